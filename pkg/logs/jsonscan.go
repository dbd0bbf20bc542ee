package logs

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Structured lines are scanned by hand rather than with encoding/json: only
// the top-level members are needed, most values are strings, and a log
// line may be anything, so the scanner must be fast, allocation-light and
// give up cleanly on text that only starts like JSON.

// scanJSON calls member for every top-level member of the JSON object in s,
// with the decoded string value, or the raw text of any other value. It
// returns false when s is not a well-formed object (members seen so far may
// already have been reported).
func scanJSON(s string, member func(key, value string)) bool {
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return false
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return skipSpace(s, i+1) == len(s)
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return false
		}
		key, next, ok := scanString(s, i)
		if !ok {
			return false
		}
		i = skipSpace(s, next)
		if i >= len(s) || s[i] != ':' {
			return false
		}
		i = skipSpace(s, i+1)
		if i >= len(s) {
			return false
		}
		var value string
		if s[i] == '"' {
			value, next, ok = scanString(s, i)
		} else {
			next, ok = skipValue(s, i)
			value = s[i:next]
		}
		if !ok {
			return false
		}
		member(key, value)
		i = skipSpace(s, next)
		if i >= len(s) {
			return false
		}
		switch s[i] {
		case ',':
			i = skipSpace(s, i+1)
		case '}':
			return skipSpace(s, i+1) == len(s)
		default:
			return false
		}
	}
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// scanString decodes the JSON string starting at s[i] == '"'. It returns a
// substring of s (no allocation) unless the string has escapes.
func scanString(s string, i int) (string, int, bool) {
	start := i + 1
	j := start
	for j < len(s) {
		switch s[j] {
		case '"':
			return s[start:j], j + 1, true
		case '\\':
			return scanEscaped(s, start)
		}
		j++
	}
	return "", len(s), false
}

func scanEscaped(s string, start int) (string, int, bool) {
	var b strings.Builder
	j := start
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			return b.String(), j + 1, true
		case c != '\\':
			b.WriteByte(c)
			j++
			continue
		}
		if j+1 >= len(s) {
			return "", len(s), false
		}
		switch e := s[j+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if j+6 > len(s) {
				return "", len(s), false
			}
			r, err := strconv.ParseUint(s[j+2:j+6], 16, 32)
			if err != nil {
				return "", len(s), false
			}
			j += 4
			if r >= 0xD800 && r < 0xDC00 && j+8 <= len(s) && s[j+2] == '\\' && s[j+3] == 'u' {
				if lo, err := strconv.ParseUint(s[j+4:j+8], 16, 32); err == nil && lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					j += 6
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				r = utf8.RuneError
			}
			b.WriteRune(rune(r))
		default:
			return "", len(s), false
		}
		j += 2
	}
	return "", len(s), false
}

// skipValue skips a non-string JSON value: a number, literal, object or
// array (nested structures are skipped without being decoded).
func skipValue(s string, i int) (int, bool) {
	switch s[i] {
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			case '"':
				_, next, ok := scanString(s, j)
				if !ok {
					return len(s), false
				}
				j = next - 1
			}
		}
		return len(s), false
	}
	j := i
	for j < len(s) && s[j] != ',' && s[j] != '}' && s[j] != ' ' && s[j] != '\t' && s[j] != '\r' && s[j] != '\n' {
		j++
	}
	return j, j > i
}

// scanLogfmt calls member for each key=value pair of a logfmt line and
// returns the number of pairs. Bare words without '=' are skipped.
func scanLogfmt(s string, member func(key, value string)) int {
	n := 0
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' && s[i] != '\t' && s[i] != '"' {
			i++
		}
		if i >= len(s) || s[i] != '=' || i == start {
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				i++
			}
			continue
		}
		key := s[start:i]
		i++
		var value string
		if i < len(s) && s[i] == '"' {
			v, next, ok := scanString(s, i)
			if !ok {
				value, i = s[i:], len(s)
			} else {
				value, i = v, next
			}
		} else {
			vs := i
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				i++
			}
			value = s[vs:i]
		}
		member(key, value)
		n++
	}
	return n
}
