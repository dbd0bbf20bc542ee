package demo

import (
	"bytes"
	"io"
	"sync"
	"time"
)

// kubeletTimeFormat is the fixed-width RFC3339Nano that the container
// runtime prefixes every log line with.
const kubeletTimeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// maxLineBytes splits longer lines, as the container runtime does (16 KiB).
const maxLineBytes = 16 << 10

// stampWriter prefixes each line with the time it was completed and a space,
// the format of a container log file and of `kubectl logs --timestamps`.
type stampWriter struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte
	// line is reused for each stamped line, so capture does not allocate.
	line []byte
	now  func() time.Time
}

func newStampWriter(w io.Writer) *stampWriter { return &stampWriter{w: w, now: time.Now} }

func (s *stampWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		room := maxLineBytes - len(s.pending)
		i := bytes.IndexByte(p, '\n')
		switch {
		case i >= 0 && i <= room:
			s.pending = append(s.pending, p[:i]...)
			p = p[i+1:]
		case len(p) >= room:
			s.pending = append(s.pending, p[:room]...)
			p = p[room:]
		default:
			s.pending = append(s.pending, p...)
			return n, nil
		}
		if err := s.emit(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// Flush writes an unterminated last line.
func (s *stampWriter) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return nil
	}
	return s.emit()
}

func (s *stampWriter) emit() error {
	s.line = s.now().UTC().AppendFormat(s.line[:0], kubeletTimeFormat)
	s.line = append(s.line, ' ')
	s.line = append(s.line, s.pending...)
	s.line = append(s.line, '\n')
	s.pending = s.pending[:0]
	_, err := s.w.Write(s.line)
	return err
}
