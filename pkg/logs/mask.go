package logs

// Wildcard is the template token that stands for a variable part.
const Wildcard = "<*>"

// maxMineBytes and maxMineTokens bound the work per message: the head of a
// message identifies its template; a longer tail becomes one wildcard.
const (
	maxMineBytes  = 2048
	maxMineTokens = 64
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

// split returns the masked tokens of s; the slice is reused by the next call.
func (tz *tokenizer) split(s string) []string {
	toks := tz.toks[:0]
	truncated := false
	if len(s) > maxMineBytes {
		s = cutUTF8(s, maxMineBytes)
		truncated = true
	}
	n := len(s)
	i := 0
	for i < n {
		for i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
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
		for i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
			c := s[i]
			if (c == '"' || c == '\'') && (i == start || i == eq+1) {
				if end := closingQuote(s, i); end > 0 {
					i = end
					quoted = true
					break
				}
			}
			if c == '=' && eq < 0 && i > start {
				eq = i
			}
			i++
		}
		tok := s[start:i]
		valueStart := 0
		if eq >= 0 {
			valueStart = eq + 1 - start
		}
		if quoted || isVariable(tok[valueStart:]) {
			if valueStart == 0 {
				tok = Wildcard
			} else {
				tok = tz.keyWildcard(tok[:valueStart])
			}
		}
		toks = append(toks, tok)
	}
	if truncated {
		toks = append(toks, Wildcard)
	}
	tz.toks = toks
	return toks
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
func isVariable(t string) bool {
	if t == "" {
		return false
	}
	digits, hexLetters, at := 0, 0, -1
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			hexLetters++
		case c == '@':
			at = i
		}
	}
	if digits > 0 {
		return !isVersionedWord(t)
	}
	if at > 0 {
		for i := at + 1; i < len(t)-1; i++ {
			if t[i] == '.' {
				return true
			}
		}
	}
	if hexLetters >= 12 && hexLetters == len(t) {
		return true
	}
	return isGeneratedName(t)
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
