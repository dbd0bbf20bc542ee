package tokens

import (
	"unicode"
	"unicode/utf8"
)

// The pre-tokenizers split text into the pieces BPE merges within, by the
// same rules as the regular expressions of OpenAI's tiktoken (o200k_base):
//
//	[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//	|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//	|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// and (cl100k_base)
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
//	| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// written out by hand: a backtracking regexp engine (tiktoken-go's regexp2)
// costs code in every binary and time per match. Each alternative below is
// one of the pattern's, tried in the pattern's order, and returns where its
// first successful match under backtracking ends; \s is unicode.IsSpace, as
// in regexp2. The input is valid UTF-8 (the caller replaces invalid bytes as
// regexp2 does). Every rune but del is matched by some alternative.

// del is U+007F. tiktoken-go's generated matchers leave it out of both
// [^\r\n\p{L}\p{N}] and [^\s\p{L}\p{N}] (their ASCII bitmaps lack bit
// 127), so no alternative matches it and the splitter skips it: it yields
// no token. Parity keeps that.
const del = 0x7f

// Rune classes, as bits.
const (
	clLetter = 1 << iota // \p{L}
	clUpper              // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
	clLower              // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
	clNumber             // \p{N}
	clSpace              // \s
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for r := range rune(utf8.RuneSelf) {
		t[r] = slowClass(r)
	}
	return t
}()

func class(r rune) uint8 {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	return slowClass(r)
}

func slowClass(r rune) uint8 {
	switch {
	case unicode.IsLetter(r):
		switch {
		case unicode.Is(unicode.Ll, r):
			return clLetter | clLower
		case unicode.Is(unicode.Lu, r), unicode.Is(unicode.Lt, r):
			return clLetter | clUpper
		default: // Lm, Lo
			return clLetter | clUpper | clLower
		}
	case unicode.Is(unicode.M, r):
		return clUpper | clLower
	case unicode.Is(unicode.N, r):
		return clNumber
	case unicode.IsSpace(r):
		return clSpace
	}
	return 0
}

// at returns the rune at byte i of s, its size and its class; size 0 at the
// end of s.
func at(s string, i int) (rune, int, uint8) {
	if i >= len(s) {
		return 0, 0, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1, asciiClass[c]
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return r, n, slowClass(r)
}

// run returns the end of the run of runes from i whose class has a bit of
// want.
func run(s string, i int, want uint8) int {
	for {
		_, n, c := at(s, i)
		if n == 0 || c&want == 0 {
			return i
		}
		i += n
	}
}

// prefixLen is the size of the rune at i if [^\r\n\p{L}\p{N}] matches it,
// else 0.
func prefixLen(s string, i int) int {
	r, n, c := at(s, i)
	if n == 0 || r == '\r' || r == '\n' || r == del || c&(clLetter|clNumber) != 0 {
		return 0
	}
	return n
}

// contraction returns the end of (?i:'s|'t|'re|'ve|'m|'ll|'d) at i, or i.
// regexp2 folds case the Unicode way, so 's also matches U+017F (ſ).
func contraction(s string, i int) int {
	if i >= len(s) || s[i] != '\'' {
		return i
	}
	rest := s[i+1:]
	if len(rest) >= 2 && rest[0] == 0xC5 && rest[1] == 0xBF { // ſ
		return i + 3
	}
	if rest == "" {
		return i
	}
	switch rest[0] | 0x20 {
	case 's', 't', 'm', 'd':
		return i + 2
	case 'r', 'v':
		if len(rest) >= 2 && rest[1]|0x20 == 'e' {
			return i + 3
		}
	case 'l':
		if len(rest) >= 2 && rest[1]|0x20 == 'l' {
			return i + 3
		}
	}
	return i
}

// o200kLower is the first alternative: the optional prefix, then the
// greedy upper-class run, giving back runes until a lower-class run can
// start (Lm, Lo and marks are in both classes).
func o200kLower(s string, i int) int {
	for _, j := range [2]int{i + prefixLen(s, i), i} {
		e, lastBoth := j, -1
		for {
			_, n, c := at(s, e)
			if n == 0 || c&clUpper == 0 {
				break
			}
			e += n
			if c&clLower != 0 {
				lastBoth = e
			}
		}
		if _, n, c := at(s, e); n != 0 && c&clLower != 0 {
			return contraction(s, run(s, e, clLower))
		}
		if lastBoth >= 0 {
			// The lower run starts at the last rune of the upper run that is
			// in both classes; the rune after it is in neither.
			return contraction(s, lastBoth)
		}
		if j == i {
			break
		}
	}
	return -1
}

// o200kUpper is the second alternative: at least one upper-class rune.
func o200kUpper(s string, i int) int {
	for _, j := range [2]int{i + prefixLen(s, i), i} {
		if e := run(s, j, clUpper); e > j {
			return contraction(s, run(s, e, clLower))
		}
		if j == i {
			break
		}
	}
	return -1
}

// cl100kLetters is [^\r\n\p{L}\p{N}]?\p{L}+.
func cl100kLetters(s string, i int) int {
	for _, j := range [2]int{i + prefixLen(s, i), i} {
		if e := run(s, j, clLetter); e > j {
			return e
		}
		if j == i {
			break
		}
	}
	return -1
}

// digits is \p{N}{1,3}.
func digits(s string, i int) int {
	e := i
	for range 3 {
		_, n, c := at(s, e)
		if n == 0 || c&clNumber == 0 {
			break
		}
		e += n
	}
	if e == i {
		return -1
	}
	return e
}

// punct is ' ?[^\s\p{L}\p{N}]+' followed by runs of \r, \n and, for
// o200k, '/'.
func punct(s string, i int, slash bool) int {
	j := i
	if s[i] == ' ' {
		j++
	}
	e := j
	for {
		r, n, c := at(s, e)
		if n == 0 || r == del || c&(clSpace|clLetter|clNumber) != 0 {
			break
		}
		e += n
	}
	if e == j {
		return -1
	}
	for e < len(s) && (s[e] == '\r' || s[e] == '\n' || slash && s[e] == '/') {
		e++
	}
	return e
}

// spaces is \s*[\r\n]+|\s+(?!\S)|\s+.
func spaces(s string, i int) int {
	e, lastNL, last := i, -1, i
	for {
		r, n, c := at(s, e)
		if n == 0 || c&clSpace == 0 {
			break
		}
		last = e
		e += n
		if r == '\r' || r == '\n' {
			lastNL = e
		}
	}
	switch {
	case e == i:
		return -1
	case lastNL >= 0:
		// \s* gives back runes until [\r\n]+ can match: at the last line
		// break of the run, and the rune after it is no line break.
		return lastNL
	case e == len(s) || last == i:
		return e
	default:
		// \s+(?!\S) gives back the last space, which the next piece takes.
		return last
	}
}

// splitO200k calls yield with each piece of s.
func splitO200k(s string, yield func(string)) {
	split(s, func(s string, i int) int {
		if e := o200kLower(s, i); e >= 0 {
			return e
		}
		return o200kUpper(s, i)
	}, true, yield)
}

// splitCl100k calls yield with each piece of s.
func splitCl100k(s string, yield func(string)) {
	split(s, func(s string, i int) int {
		if e := contraction(s, i); e > i {
			return e
		}
		return cl100kLetters(s, i)
	}, false, yield)
}

// split tries at each position the encoding's word alternatives, then the
// ones both patterns share.
func split(s string, words func(string, int) int, slash bool, yield func(string)) {
	for i := 0; i < len(s); {
		e := words(s, i)
		if e < 0 {
			e = digits(s, i)
		}
		if e < 0 {
			e = punct(s, i, slash)
		}
		if e < 0 {
			e = spaces(s, i)
		}
		if e < 0 { // only del
			i++
			continue
		}
		yield(s[i:e])
		i = e
	}
}
