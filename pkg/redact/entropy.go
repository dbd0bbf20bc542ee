package redact

import (
	"math"
	"strings"
)

// Generic high-entropy tokens: a run of base64/base62 characters this long,
// mixing upper case, lower case and digits, with this much Shannon entropy
// per character, is taken for a generated credential. Hex-only runs (git
// SHAs, digests, trace ids) and UUIDs never qualify: they lack upper case.
const (
	minEntropyLen  = 32
	minEntropyBits = 4.0
)

const entropyKind = "high-entropy-token"

// redactHighEntropy replaces every qualifying run in s. It is a hand-written
// scan rather than a regexp so that it stays linear and cheap on long lines.
func redactHighEntropy(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isTokenChar(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isTokenChar(s[j]) {
			j++
		}
		if word := s[i:j]; highEntropy(word) {
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:i])
			b.WriteString(placeholder(entropyKind))
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '+' || c == '/' || c == '_' || c == '-' || c == '='
}

func highEntropy(w string) bool {
	core := strings.TrimRight(w, "=")
	if len(core) < minEntropyLen || strings.Contains(core, "REDACTED") {
		return false
	}
	if !hasUpper(core) || !hasLower(core) || !hasDigit(core) {
		return false
	}
	// A path or a dashed name is made of words; a credential is one blob.
	// Require a long stretch without separators.
	longest, cur := 0, 0
	for i := 0; i < len(core); i++ {
		if c := core[i]; c == '/' || c == '-' || c == '_' {
			cur = 0
			continue
		}
		cur++
		longest = max(longest, cur)
	}
	if longest < 24 {
		return false
	}
	return entropy(core) >= minEntropyBits
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var freq [256]int
	for i := 0; i < len(s); i++ {
		freq[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, f := range freq {
		if f == 0 {
			continue
		}
		p := float64(f) / n
		h -= p * math.Log2(p)
	}
	return h
}
