package prompt

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// SummaryStream pulls the decoded text of the top-level "summary" string out
// of a JSON answer while it is being generated, so the summary can be shown
// token by token. Feed it the raw fragments in order; it emits only summary
// text, never keys, other fields or text around the object.
type SummaryStream struct {
	emit func(string)

	depth    int
	started  bool
	inString bool
	escaped  bool
	// isKey is true while the current depth-1 string is an object key.
	isKey     bool
	expectKey bool
	key       strings.Builder
	// afterSummaryKey: the last depth-1 key was "summary" and its value has
	// not started yet.
	afterSummaryKey bool
	inSummary       bool
	done            bool
	// unicode collects the hex digits of a \u escape; pendingHigh holds a
	// high surrogate waiting for its pair.
	unicode     []byte
	inUnicode   bool
	pendingHigh rune
	// carry holds the start of a UTF-8 character split across fragments,
	// so every emitted piece is valid UTF-8.
	carry string
}

// simpleEscapes are JSON's one-letter escapes.
var simpleEscapes = map[byte]rune{'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 'f': '\f', '"': '"', '\\': '\\', '/': '/'}

// NewSummaryStream returns a stream that calls emit with summary text.
func NewSummaryStream(emit func(string)) *SummaryStream {
	return &SummaryStream{emit: emit}
}

// Write consumes the next fragment of the answer.
func (s *SummaryStream) Write(fragment string) {
	if s.done {
		return
	}
	var out strings.Builder
	out.WriteString(s.carry)
	s.carry = ""
	for i := 0; i < len(fragment); i++ {
		s.step(fragment[i], &out)
		if s.done {
			break
		}
	}
	text := out.String()
	if !s.done {
		text, s.carry = splitIncompleteRune(text)
	}
	// Raw invalid bytes inside the JSON string must not reach a UI as such.
	text = strings.ToValidUTF8(text, "\uFFFD")
	if text != "" {
		s.emit(text)
	}
}

// splitIncompleteRune separates a trailing, not yet complete UTF-8 sequence.
func splitIncompleteRune(s string) (complete, rest string) {
	for back := 1; back <= utf8.UTFMax && back <= len(s); back++ {
		i := len(s) - back
		if utf8.RuneStart(s[i]) {
			if utf8.FullRuneInString(s[i:]) {
				return s, ""
			}
			return s[:i], s[i:]
		}
	}
	return s, ""
}

func (s *SummaryStream) step(c byte, out *strings.Builder) {
	if !s.started {
		if c == '{' {
			s.started, s.depth, s.expectKey = true, 1, true
		}
		return
	}
	if s.inString {
		s.stringByte(c, out)
		return
	}
	switch c {
	case '"':
		s.inString = true
		s.isKey = s.depth == 1 && s.expectKey
		s.key.Reset()
		if s.depth == 1 && s.afterSummaryKey {
			s.inSummary, s.afterSummaryKey = true, false
		}
	case ':':
		if s.depth == 1 {
			s.expectKey = false
		}
	case ',':
		if s.depth == 1 {
			s.expectKey, s.afterSummaryKey = true, false
		}
	case '{', '[':
		s.depth++
		if s.depth == 2 {
			s.afterSummaryKey = false
		}
	case '}', ']':
		s.depth--
		if s.depth <= 0 {
			s.done = true
		}
	default:
		// A non-string value (number, null) for "summary" ends the wait.
		if s.depth == 1 && s.afterSummaryKey && c > ' ' {
			s.afterSummaryKey = false
		}
	}
}

func (s *SummaryStream) stringByte(c byte, out *strings.Builder) {
	switch {
	case s.inUnicode:
		s.unicode = append(s.unicode, c)
		if len(s.unicode) == 4 {
			s.inUnicode = false
			n, err := strconv.ParseUint(string(s.unicode), 16, 32)
			if err == nil {
				s.writeRune(rune(n), out)
			}
		}
	case s.escaped:
		s.escaped = false
		if c == 'u' {
			s.inUnicode, s.unicode = true, s.unicode[:0]
			return
		}
		if r, ok := simpleEscapes[c]; ok {
			s.writeRune(r, out)
		}
	case c == '\\':
		s.escaped = true
	case c == '"':
		s.inString = false
		s.flushHigh(out)
		if s.isKey {
			s.afterSummaryKey = s.key.String() == "summary"
		}
		if s.inSummary {
			s.inSummary = false
			s.done = true
		}
	default:
		if s.inSummary {
			s.flushHigh(out)
			out.WriteByte(c)
		} else if s.isKey && s.key.Len() < 16 {
			s.key.WriteByte(c)
		}
	}
}

// writeRune emits an escaped rune of the summary, joining surrogate pairs.
func (s *SummaryStream) writeRune(r rune, out *strings.Builder) {
	if s.isKey {
		if s.key.Len() < 16 {
			s.key.WriteRune(r)
		}
		return
	}
	if !s.inSummary {
		return
	}
	isHigh := r >= 0xD800 && r < 0xDC00
	isLow := r >= 0xDC00 && r < 0xE000
	switch {
	case s.pendingHigh != 0 && isLow:
		r = utf16.DecodeRune(s.pendingHigh, r)
		s.pendingHigh = 0
	case isHigh:
		s.flushHigh(out)
		s.pendingHigh = r
		return
	case isLow:
		r = utf8.RuneError
	default:
		s.flushHigh(out)
	}
	out.WriteRune(r)
}

// flushHigh emits a high surrogate that found no pair as U+FFFD, as
// encoding/json decodes it.
func (s *SummaryStream) flushHigh(out *strings.Builder) {
	if s.pendingHigh != 0 {
		s.pendingHigh = 0
		if s.inSummary {
			out.WriteRune(utf8.RuneError)
		}
	}
}
