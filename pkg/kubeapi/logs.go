package kubeapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	maxLogFileBytes = 64 << 20
	maxLogLineBytes = 1 << 20
	maxLogStreams   = 10000
	// kubeletTimeFormat is the fixed-width RFC3339Nano the kubelet prefixes
	// lines with when timestamps=true.
	kubeletTimeFormat = "2006-01-02T15:04:05.000000000Z07:00"
)

// Logs holds container logs by namespace, pod, container and run (current or
// previous), each line with its timestamp, the way the kubelet keeps them.
type Logs struct {
	streams map[logKey]*logStream
}

type logKey struct {
	namespace, pod, container string
	previous                  bool
}

// logStream keeps all lines in one buffer, already in the kubelet's
// "timestamp SPACE text NEWLINE" form, so serving megabytes of log is mostly
// copying contiguous ranges.
type logStream struct {
	text  []byte
	lines []logLine
}

// logLine is text[start:end] (with its newline); the message alone starts
// kubeletTimeFormat's length plus one byte later.
type logLine struct {
	t          time.Time
	start, end int
}

// stampLen is the length of a formatted timestamp and its space.
const stampLen = len("2006-01-02T15:04:05.000000000Z") + 1

// NewLogs returns an empty log store.
func NewLogs() *Logs { return &Logs{streams: map[logKey]*logStream{}} }

// Put parses data (lines "RFC3339Nano-timestamp SPACE text") as the log of one
// container run, replacing what was there.
func (l *Logs) Put(namespace, pod, container string, previous bool, data []byte) error {
	if len(l.streams) >= maxLogStreams {
		return fmt.Errorf("more than %d log streams", maxLogStreams)
	}
	s, err := parseLog(data)
	if err != nil {
		return fmt.Errorf("log %s/%s/%s: %w", namespace, pod, container, err)
	}
	l.streams[logKey{namespace, pod, container, previous}] = s
	return nil
}

// Len is the number of container runs with logs.
func (l *Logs) Len() int { return len(l.streams) }

// LoadLogs reads logs/<namespace>/<pod>/<container>.log and
// <container>.previous.log below dir, the layout of a scenario fixture. A
// missing dir is an empty store: pods that never started have no logs.
func LoadLogs(dir string) (*Logs, error) {
	logs := NewLogs()
	nsEntries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return logs, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read logs directory: %w", err)
	}
	for _, ns := range nsEntries {
		if !ns.IsDir() {
			continue
		}
		podEntries, err := os.ReadDir(filepath.Join(dir, ns.Name()))
		if err != nil {
			return nil, fmt.Errorf("read logs directory: %w", err)
		}
		for _, pod := range podEntries {
			if !pod.IsDir() {
				continue
			}
			if err := loadPodLogs(logs, filepath.Join(dir, ns.Name(), pod.Name()), ns.Name(), pod.Name()); err != nil {
				return nil, err
			}
		}
	}
	return logs, nil
}

func loadPodLogs(logs *Logs, dir, namespace, pod string) error {
	files, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read logs directory: %w", err)
	}
	for _, f := range files {
		name := f.Name()
		if !f.Type().IsRegular() || !strings.HasSuffix(name, ".log") {
			continue
		}
		container, previous := strings.TrimSuffix(name, ".log"), false
		if c, ok := strings.CutSuffix(container, ".previous"); ok {
			container, previous = c, true
		}
		if container == "" {
			continue
		}
		data, err := readBounded(filepath.Join(dir, name), maxLogFileBytes)
		if err != nil {
			return err
		}
		if err := logs.Put(namespace, pod, container, previous, data); err != nil {
			return err
		}
	}
	return nil
}

// parseLog splits timestamped lines. A line without a leading timestamp is an
// error naming its number, so broken fixtures fail loudly.
func parseLog(data []byte) (*logStream, error) {
	if len(data) > maxLogFileBytes {
		return nil, fmt.Errorf("%d bytes exceeds the %d limit", len(data), maxLogFileBytes)
	}
	s := &logStream{text: make([]byte, 0, len(data))}
	s.lines = make([]logLine, 0, bytes.Count(data, []byte("\n"))+1)
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if len(line) > maxLogLineBytes {
			return nil, fmt.Errorf("line %d: longer than %d bytes", n, maxLogLineBytes)
		}
		stamp, text, ok := bytes.Cut(line, []byte(" "))
		if !ok {
			text = nil
		}
		t, err := time.Parse(time.RFC3339Nano, string(stamp))
		if err != nil {
			return nil, fmt.Errorf("line %d: no RFC3339Nano timestamp prefix", n)
		}
		start := len(s.text)
		s.text = t.UTC().AppendFormat(s.text, kubeletTimeFormat)
		s.text = append(s.text, ' ')
		s.text = append(s.text, text...)
		s.text = append(s.text, '\n')
		s.lines = append(s.lines, logLine{t: t.UTC(), start: start, end: len(s.text)})
	}
	return s, nil
}

// logQuery is the kubelet's log options that shape the output.
type logQuery struct {
	since      time.Time // zero: from the start
	tailLines  int64     // negative: all
	limitBytes int64     // zero or negative: unlimited
	timestamps bool
}

// write serves the stream as the kubelet does: tail first, then the since
// filter, each line optionally prefixed by its timestamp, cut hard after
// limitBytes (possibly mid-line). Runs of consecutive lines go out in one
// write.
func (s *logStream) write(w io.Writer, q logQuery) error {
	lines := s.lines
	if q.tailLines >= 0 && int64(len(lines)) > q.tailLines {
		lines = lines[int64(len(lines))-q.tailLines:]
	}
	out := &limitedWriter{w: w, limited: q.limitBytes > 0, remaining: q.limitBytes}
	if !q.timestamps {
		for _, ln := range lines {
			if !q.since.IsZero() && ln.t.Before(q.since) {
				continue
			}
			if done, err := out.write(s.text[ln.start+stampLen : ln.end]); done || err != nil {
				return err
			}
		}
		return nil
	}
	runStart, runEnd := -1, -1
	flush := func() (bool, error) {
		if runStart < 0 {
			return false, nil
		}
		done, err := out.write(s.text[runStart:runEnd])
		runStart = -1
		return done, err
	}
	for _, ln := range lines {
		if !q.since.IsZero() && ln.t.Before(q.since) {
			if done, err := flush(); done || err != nil {
				return err
			}
			continue
		}
		if runStart >= 0 && ln.start == runEnd && runEnd-runStart < 256<<10 {
			runEnd = ln.end
			continue
		}
		if done, err := flush(); done || err != nil {
			return err
		}
		runStart, runEnd = ln.start, ln.end
	}
	_, err := flush()
	return err
}

// limitedWriter stops writing after a byte budget when limited is set; done
// reports that the budget is spent.
type limitedWriter struct {
	w         io.Writer
	limited   bool
	remaining int64
}

func (l *limitedWriter) write(p []byte) (done bool, err error) {
	if !l.limited {
		_, err = l.w.Write(p)
		return false, err
	}
	if int64(len(p)) >= l.remaining {
		_, err = l.w.Write(p[:l.remaining])
		l.remaining = 0
		return true, err
	}
	l.remaining -= int64(len(p))
	_, err = l.w.Write(p)
	return false, err
}
