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
	s = trimSet(s, trimBrackets|trimAngles|trimColon)
	// Most words are no level's shape (first letter and length): they
	// stop at one look-up. c|0x20 is a lower-case letter only for that
	// letter in either case.
	if s == "" {
		return ""
	}
	if c := s[0] | 0x20; c < 'a' || c > 'z' || levelShape[c-'a']&(1<<len(s)) == 0 {
		return ""
	}
	// Lower-cased in a stack buffer: the levels are ASCII, and this runs for
	// a word or two of every line.
	var buf [16]byte
	w := buf[:0]
	for _, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c < 'a' || c > 'z':
			// Every spelling is letters only.
			return ""
		}
		w = append(w, c)
	}
	return levelSpellings[string(w)]
}

// levelSpellings maps each lower-case spelling of a level to the level.
var levelSpellings = func() map[string]string {
	m := map[string]string{}
	for level, words := range map[string][]string{
		LevelFatal: {"fatal", "critical", "crit", "emerg", "emergency", "alert", "severe", "f"},
		LevelPanic: {"panic", "dpanic"},
		LevelError: {"error", "err", "eror", "e"},
		LevelWarn:  {"warn", "warning", "wrn", "w"},
		LevelInfo:  {"info", "information", "inf", "notice", "i", "log"},
		LevelDebug: {"debug", "dbg", "trace", "trc", "d", "verbose", "fine", "finer", "finest"},
	} {
		for _, w := range words {
			m[w] = level
		}
	}
	return m
}()

// levelShape has, for each first letter of a spelling, bit n set when a
// spelling of n letters starts with it (every spelling is under 16).
var levelShape = func() (t [26]uint16) {
	for w := range levelSpellings {
		t[w[0]-'a'] |= 1 << len(w)
	}
	return t
}()

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
	// Every word is at least two letters long, so looking at every other
	// byte finds each one by its first letter or by its second; a byte
	// that is neither costs one table look-up, and a word is compared only
	// when its first two letters are one of the words' (e, r and t start
	// many words).
	var seen uint8
	for j := 0; j < len(s); j += 2 {
		c := inferByte[s[j]]
		if c == 0 {
			continue
		}
		if j > 0 && inferByte[s[j-1]]&(c>>4) != 0 {
			seen |= inferWord(s[j-1:])
		}
		if j+1 < len(s) && c&(inferByte[s[j+1]]>>4) != 0 {
			seen |= inferWord(s[j:])
		}
		if seen&sawFatal != 0 {
			return LevelFatal
		}
	}
	switch {
	case seen&sawFailure != 0:
		return LevelError
	case seen&sawWarn != 0:
		return LevelWarn
	}
	return ""
}

// inferWindow is how much of a message inferLevel reads.
const inferWindow = 512

// inferByte describes a byte, in either case, for inferLevel's pairs of
// first letters: the low half has a bit for each letter that follows it
// as a word's first letter (f: a; e: r, x; t: r; r: e; w: a), the high
// half the bit of the letter itself as a word's second letter.
var inferByte = func() (t [256]uint8) {
	second := map[byte]uint8{'a': 1, 'r': 2, 'x': 4, 'e': 8}
	for _, w := range []string{"fa", "er", "ex", "tr", "re", "wa"} {
		for _, d := range []byte{0, 'a' - 'A'} {
			t[w[0]-d] |= second[w[1]]
		}
	}
	for c, bit := range second {
		t[c] |= bit << 4
		t[c-('a'-'A')] |= bit << 4
	}
	return t
}()

// What inferWord saw.
const (
	sawFatal = 1 << iota
	sawFailure
	sawWarn
)

// inferWord reports which of inferLevel's words s starts with, if any.
func inferWord(s string) uint8 {
	// c|0x20 equals a lower-case letter only for that letter in either
	// case.
	switch s[0] | 0x20 {
	case 'f':
		if hasPrefixFold(s, "fatal") {
			return sawFatal
		}
		if hasPrefixFold(s, "failed") {
			return sawFailure
		}
	case 'e':
		if hasPrefixFold(s, "error") || hasPrefixFold(s, "exception") {
			return sawFailure
		}
	case 't':
		if hasPrefixFold(s, "traceback") {
			return sawFailure
		}
	case 'r':
		if hasPrefixFold(s, "refused") {
			return sawFailure
		}
	case 'w':
		if hasPrefixFold(s, "warn") {
			return sawWarn
		}
	}
	return 0
}

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
