// Package logs turns raw container logs into a few representative templates:
// it parses lines (JSON, logfmt, plain) into records, joining multi-line
// stack traces; mines templates with a Drain-style parse tree; and selects
// the templates that matter for an incident within a token budget.
package logs

import "time"

// Record is one log entry: a line, or several joined (a stack trace).
type Record struct {
	// Time is the kubelet timestamp of the first line, else the entry's own
	// time field when it has one.
	Time time.Time
	// Level is normalised: fatal, panic, error, warn, info, debug or "".
	Level string
	// Message is the entry's message: the msg field of JSON and logfmt, the
	// line without its leading timestamp for plain text, the exception line
	// of a bare Python traceback.
	Message string
	// Raw is the entry as logged, lines joined by "\n" (bounded).
	Raw string
	// Format is json, logfmt or plain.
	Format string
	// Lines is the number of input lines joined into the record.
	Lines   int
	TraceID string
	// Error is the error field of a structured entry, if any.
	Error string
}

// Formats of a record.
const (
	FormatJSON   = "json"
	FormatLogfmt = "logfmt"
	FormatPlain  = "plain"
)

// Normalised levels, most severe first.
const (
	LevelFatal = "fatal"
	LevelPanic = "panic"
	LevelError = "error"
	LevelWarn  = "warn"
	LevelInfo  = "info"
	LevelDebug = "debug"
)

// Bounds on what one record keeps, so that a hostile or broken log cannot
// make a record grow without limit.
const (
	maxRawBytes   = 16 << 10
	maxFieldBytes = 512
	maxLineBytes  = 64 << 10
)

// MineText is the text templates are mined from: the message, followed by
// the error of a structured entry, since "payment failed" with "card
// declined" and with "connection refused" are different problems.
func (r Record) MineText() string {
	if r.Error == "" || r.Format == FormatPlain {
		return r.Message
	}
	return r.Message + " error=" + r.Error
}

// SeverityRank orders levels: higher is more severe; "" ranks with info.
func SeverityRank(level string) int {
	switch level {
	case LevelFatal:
		return 6
	case LevelPanic:
		return 5
	case LevelError:
		return 4
	case LevelWarn:
		return 3
	case LevelInfo, "":
		return 2
	case LevelDebug:
		return 1
	}
	return 2
}

// moreSevere reports whether level a should replace b as the most severe
// seen: a higher rank, or a named level where there was none.
func moreSevere(a, b string) bool {
	ra, rb := SeverityRank(a), SeverityRank(b)
	return ra > rb || ra == rb && b == "" && a != ""
}

// normalizeLevel maps the many spellings of a level to the normalised set.
func normalizeLevel(s string) string {
	if len(s) > 16 {
		return ""
	}
	// Lower-cased in a stack buffer: the levels are ASCII, and this runs for
	// a word or two of every line.
	var buf [16]byte
	w := buf[:0]
	for _, c := range []byte(trimSet(s, trimBrackets|trimAngles|trimColon)) {
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c < 'a' || c > 'z':
			// Every spelling is letters only: most words stop here.
			return ""
		}
		w = append(w, c)
	}
	switch string(w) {
	case "fatal", "critical", "crit", "emerg", "emergency", "alert", "severe", "f":
		return LevelFatal
	case "panic", "dpanic":
		return LevelPanic
	case "error", "err", "eror", "e":
		return LevelError
	case "warn", "warning", "wrn", "w":
		return LevelWarn
	case "info", "information", "inf", "notice", "i", "log":
		return LevelInfo
	case "debug", "dbg", "trace", "trc", "d", "verbose", "fine", "finer", "finest":
		return LevelDebug
	}
	return ""
}

// numericLevel maps bunyan/pino numeric levels.
func numericLevel(s string) string {
	switch s {
	case "60":
		return LevelFatal
	case "50":
		return LevelError
	case "40":
		return LevelWarn
	case "30":
		return LevelInfo
	case "20", "10":
		return LevelDebug
	}
	return ""
}

// inferLevel guesses a level for an entry that has none from words that
// reliably mark failures, found case-insensitively in the first
// inferWindow bytes.
func inferLevel(msg string) string {
	s := msg[:min(len(msg), inferWindow)]
	if hasPrefixFold(s, "panic:") || hasPrefixFold(s, "fatal error:") {
		return LevelPanic
	}
	// One pass over the bytes instead of a search per word: this runs for
	// every plain line. "fatal" wins at once; an error word beats "warn".
	// A byte that starts no word is skipped by one table look-up, and a
	// word is compared only when its second letter fits too: e, r and t
	// are common letters.
	failure, warn := false, false
	for i := 0; i+1 < len(s); i++ {
		if !inferStart[s[i]] {
			continue
		}
		// c|0x20 equals a lower-case letter only for that letter in
		// either case.
		switch uint16(s[i]|0x20)<<8 | uint16(s[i+1]|0x20) {
		case 'f'<<8 | 'a':
			if hasPrefixFold(s[i:], "fatal") {
				return LevelFatal
			}
			failure = failure || hasPrefixFold(s[i:], "failed")
		case 'e'<<8 | 'r':
			failure = failure || hasPrefixFold(s[i:], "error")
		case 'e'<<8 | 'x':
			failure = failure || hasPrefixFold(s[i:], "exception")
		case 't'<<8 | 'r':
			failure = failure || hasPrefixFold(s[i:], "traceback")
		case 'r'<<8 | 'e':
			failure = failure || hasPrefixFold(s[i:], "refused")
		case 'w'<<8 | 'a':
			warn = warn || hasPrefixFold(s[i:], "warn")
		}
	}
	switch {
	case failure:
		return LevelError
	case warn:
		return LevelWarn
	}
	return ""
}

// inferWindow is how much of a message inferLevel reads.
const inferWindow = 512

// inferStart marks the first letters of inferLevel's words, in both cases.
var inferStart = func() (t [256]bool) {
	for _, c := range "fetrwFETRW" {
		t[c] = true
	}
	return t
}()

// hasPrefixFold reports whether s starts with lower, an ASCII lower-case
// word, in any case.
func hasPrefixFold(s, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
