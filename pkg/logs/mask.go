package logs

import (
	"math/bits"
	"strings"
)

// Wildcard is the template token that stands for a variable part.
const Wildcard = "<*>"

// maxMineBytes and maxMineTokens bound the work per message: the head of a
// message identifies its template; a longer tail becomes one wildcard.
const (
	maxMineBytes  = 2048
	maxMineTokens = 64 // at most 64: splitTokens marks tokens in a uint64
)

// tokenizer splits a message into tokens and masks the variable ones in a
// single pass, without regexps and without allocating per message: tokens
// are substrings of the message, wildcards are the shared Wildcard string,
// and "key=<*>" tokens are interned.
type tokenizer struct {
	toks     []string
	interned map[string]string
}

const maxInterned = 4096

func newTokenizer() *tokenizer {
	return &tokenizer{toks: make([]string, 0, maxMineTokens+1), interned: make(map[string]string, 256)}
}

// Byte classes for the tokenizer's single pass. Most bytes are of no
// class, and digits and '@' only mark the token: the pass handles those
// in one step.
const (
	clSpace = 1 << iota
	clDigit
	clAt
	clQuote
	clEq
	clBracket
)

var byteClass = func() (t [256]uint8) {
	for _, c := range " \t\n\r" {
		t[c] = clSpace
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit
	}
	t['"'], t['\''], t['='], t['@'], t['['], t['('] = clQuote, clQuote, clEq, clAt, clBracket, clBracket
	return t
}()

// split returns the masked tokens of s; the slice is reused by the next call.
func (tz *tokenizer) split(s string) []string {
	toks, keyed := splitTokens(s, tz.toks[:0])
	tz.toks = toks
	tz.intern(toks, keyed)
	return toks
}

// intern turns the tokens that splitTokens left as the "key=" (or
// wording) prefix of a masked value, bit i of keyed for toks[i], into
// the interned "key=<*>". It runs where the mining does, in order, since
// the interned set is bounded and which prefixes fit depends on it.
func (tz *tokenizer) intern(toks []string, keyed uint64) {
	for keyed != 0 {
		i := bits.TrailingZeros64(keyed)
		keyed &= keyed - 1
		toks[i] = tz.keyWildcard(toks[i])
	}
}

// splitTokens appends the masked tokens of s to toks, which must be empty,
// and reports in keyed which ones intern must complete. It keeps no
// state, so that it can run in any goroutine.
func splitTokens(s string, toks []string) ([]string, uint64) {
	var keyed uint64
	truncated := false
	if len(s) > maxMineBytes {
		s = cutUTF8(s, maxMineBytes)
		truncated = true
	}
	n := len(s)
	i := 0
	for i < n {
		for i < n && byteClass[s[i]] == clSpace {
			i++
		}
		if i >= n {
			break
		}
		if len(toks) == maxMineTokens {
			truncated = true
			break
		}
		start := i
		eq := -1
		quoted := false
		var marks uint8 // clDigit and clAt if seen
		// Four bytes at a time while none ends the token or needs a look.
		for i+4 <= n {
			cl := byteClass[s[i]] | byteClass[s[i+1]] | byteClass[s[i+2]] | byteClass[s[i+3]]
			if cl&^(clDigit|clAt) != 0 {
				break
			}
			marks |= cl
			i += 4
		}
		for i < n {
			cl := byteClass[s[i]]
			if cl&^(clDigit|clAt) == 0 {
				marks |= cl
				i++
				continue
			}
			if cl == clSpace {
				break
			}
			switch cl {
			case clEq:
				if eq < 0 && i > start {
					eq = i
					// The value's classes are what matter.
					marks = 0
				}
			case clQuote:
				if i == start || i == eq+1 {
					if end := closingQuote(s, i); end > 0 {
						i = end
						quoted = true
					}
				}
			case clBracket:
				// A bracketed list with spaces ("[a b c]") is one token, so
				// that lists of different lengths keep the line's shape; so
				// is a parenthesized value with spaces ("(18.4 KB)"), while
				// parenthesized wording stays words.
				if i == start || i == eq+1 {
					if end, variable := bracketGroup(s, i); end > 0 && (variable || s[i] == '[') {
						i = end
						quoted = variable
						if !variable {
							i--
						}
					}
				}
			}
			if quoted {
				break
			}
			i++
		}
		tok := s[start:i]
		valueStart := 0
		if eq >= 0 {
			valueStart = eq + 1 - start
		}
		// A value after '=' is data even when it looks like a word with a
		// version number.
		digits := marks&clDigit != 0
		if quoted || isVariable(tok[valueStart:], digits, marks&clAt != 0) || valueStart > 0 && digits {
			w := 0
			if valueStart == 0 && !quoted {
				w = wordedNumber(tok)
			}
			switch {
			case valueStart > 0:
				tok = tok[:valueStart]
				keyed |= 1 << len(toks)
			case w > 0:
				tok = tok[:w]
				keyed |= 1 << len(toks)
			default:
				tok = Wildcard
			}
		}
		toks = append(toks, tok)
	}
	if truncated {
		toks = append(toks, Wildcard)
	}
	return toks, keyed
}

// wordedNumber returns the length of the wording of a token that glues a
// word to a number with punctuation ("instruction......0", "onExtend:1514",
// "blk_-1234", "port:22"), 0 for any other token. The wording is what tells
// such tokens apart, so it stays; the number becomes a wildcard. A host
// before a port (db.example:5432) is a value itself and gets no wording.
func wordedNumber(t string) int {
	end := 0
	letters := 0
	for end < len(t) && (t[end] < '0' || t[end] > '9') {
		if c := t[end] | 0x20; c >= 'a' && c <= 'z' {
			letters++
		}
		end++
	}
	if end == len(t) || letters < 2 {
		return 0
	}
	if end > 0 && t[end-1] == '-' {
		end-- // a sign belongs to the number
	}
	if end == 0 || !isWordPunct(t[end-1]) {
		return 0
	}
	if t[end-1] == ':' && strings.IndexByte(t[:end], '.') >= 0 {
		return 0
	}
	for i := end; i < len(t); i++ {
		c := t[i]
		if byteClass[c] != clDigit && !isHexLetter(c) && c != 'x' && !isDelimiter(c) && c != '-' && c != '/' {
			return 0
		}
	}
	return end
}

// isWordPunct is punctuation that may join a word to its number.
func isWordPunct(c byte) bool {
	switch c {
	case '.', ':', '_', '-', '#', '(', '/', ',':
		return true
	}
	return false
}

// keyWildcard returns the interned "key=<*>" for the prefix "key=".
func (tz *tokenizer) keyWildcard(prefix string) string {
	if w, ok := tz.interned[prefix]; ok {
		return w
	}
	if len(tz.interned) >= maxInterned || len(prefix) > 64 {
		return Wildcard
	}
	w := prefix + Wildcard
	tz.interned[string([]byte(prefix))] = w
	return w
}

// closingQuote returns the index just past the quote that closes the one at
// s[i], if it is followed by a delimiter; 0 otherwise.
func closingQuote(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			if j+1 == len(s) || isDelimiter(s[j+1]) {
				return j + 1
			}
			if q == '\'' {
				continue
			}
			return 0
		}
	}
	return 0
}

// bracketGroup returns the index just past the ']' or ')' closing the '['
// or '(' at s[i] when the group holds a space and is followed by a delimiter, and whether
// it holds a variable (a word with a digit, an e-mail, a generated name).
// It returns 0 for anything else.
func bracketGroup(s string, i int) (int, bool) {
	depth, spaced := 0, false
	closer := byte(']')
	if s[i] == '(' {
		closer = ')'
	}
	for j := i; j < len(s) && j-i < maxMineBytes; j++ {
		switch s[j] {
		case s[i]:
			depth++
		case closer:
			depth--
			if depth > 0 {
				continue
			}
			if !spaced || j+1 < len(s) && !isDelimiter(s[j+1]) {
				return 0, false
			}
			return j + 1, groupHasVariable(s[i+1 : j])
		case ' ', '\t':
			spaced = true
		case '\n', '\r':
			return 0, false
		}
	}
	return 0, false
}

func groupHasVariable(g string) bool {
	wordStart := -1
	var marks uint8
	for k := 0; k <= len(g); k++ {
		if k == len(g) || g[k] == ' ' || g[k] == '\t' || g[k] == ',' || g[k] == '[' || g[k] == ']' {
			if wordStart >= 0 && isVariable(g[wordStart:k], marks&clDigit != 0, marks&clAt != 0) {
				return true
			}
			wordStart, marks = -1, 0
			continue
		}
		if wordStart < 0 {
			wordStart = k
		}
		marks |= byteClass[g[k]] & (clDigit | clAt)
	}
	return false
}

func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', ',', ';', ')', ']', '}', ':', '.':
		return true
	}
	return false
}

// isVariable decides whether a token is a value rather than part of the
// message's wording: numbers with or without units, durations, timestamps,
// IPs, UUIDs and hex ids, paths and names with ids, e-mails, Kubernetes
// generated names.
// The caller saw whether the token holds a digit and an '@'.
func isVariable(t string, digits, at bool) bool {
	if t == "" {
		return false
	}
	if digits {
		return !isVersionedWord(t)
	}
	if at {
		if i := strings.IndexByte(t, '@'); i > 0 && i+2 < len(t) && strings.IndexByte(t[i+1:len(t)-1], '.') >= 0 {
			return true
		}
	}
	if len(t) >= 12 && allHexLetters(t) {
		return true
	}
	return isGeneratedName(t) || isCalendarWord(t)
}

func isHexLetter(c byte) bool {
	c |= 0x20
	return c >= 'a' && c <= 'f'
}

func allHexLetters(t string) bool {
	for i := 0; i < len(t); i++ {
		if !isHexLetter(t[i]) {
			return false
		}
	}
	return true
}

// isCalendarWord matches the abbreviated day and month names of a date
// written out (Fri Jul 01 08:16:53 2005): they are part of the value.
func isCalendarWord(t string) bool {
	if len(t) < 3 || t[0] < 'A' || t[0] > 'Z' {
		return false
	}
	for len(t) > 3 && t[len(t)-1] == ',' {
		t = t[:len(t)-1]
	}
	switch t {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

// isVersionedWord keeps words that merely end in a small number as wording:
// http2, x509:, sha256, ipv4, utf8, base64 (but not v1 or s3: too short to
// tell from an id).
func isVersionedWord(t string) bool {
	for len(t) > 0 && isDelimiter(t[len(t)-1]) {
		t = t[:len(t)-1]
	}
	letters := 0
	for letters < len(t) && (t[letters] >= 'a' && t[letters] <= 'z' || t[letters] >= 'A' && t[letters] <= 'Z') {
		letters++
	}
	rest := len(t) - letters
	if letters < 1 || rest < 1 || rest > 3 || len(t) < 3 {
		return false
	}
	for i := letters; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return true
}

// isGeneratedName matches names ending in a Kubernetes generated suffix,
// e.g. order-bcdfg-xkzqp: a final segment of five characters from the
// alphabet Kubernetes uses (no vowels, so real words rarely match).
func isGeneratedName(t string) bool {
	for len(t) > 0 && isDelimiter(t[len(t)-1]) {
		t = t[:len(t)-1]
	}
	if len(t) < 7 || t[len(t)-6] != '-' {
		return false
	}
	for i := len(t) - 5; i < len(t); i++ {
		if !isK8sSuffixChar(t[i]) {
			return false
		}
	}
	return true
}

func isK8sSuffixChar(c byte) bool {
	switch c {
	case 'b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'q', 'r', 's', 't', 'v', 'w', 'x', 'z',
		'2', '4', '5', '6', '7', '8', '9':
		return true
	}
	return false
}
