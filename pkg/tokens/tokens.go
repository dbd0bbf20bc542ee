// Package tokens counts LLM tokens offline. Budgets for prompts and for the
// log selection are measured in real tokens (o200k_base, the vocabulary of
// current OpenAI models, compiled into the binary), because a byte estimate
// can be off by 2x on logs full of ids and punctuation. The byte-pair
// encoder is our own, over compact embedded vocabularies, and gives the
// same ids as OpenAI's tiktoken (the tests compare it with tiktoken-go,
// which the binaries do not link).
package tokens

import (
	"strings"
	"unicode/utf8"
)

// maxExactBytes bounds the text handed to the BPE tokenizer in one call; a
// longer text is counted in pieces (cut at whitespace where possible), which
// keeps the cost linear and the count exact to within a token per piece.
const maxExactBytes = 64 << 10

// Encoding names a vocabulary.
type Encoding string

// Vocabularies compiled in.
const (
	O200k  Encoding = "o200k_base"
	Cl100k Encoding = "cl100k_base"
)

// Count returns the exact number of o200k_base tokens of s. It is safe for
// concurrent use.
func Count(s string) int { return CountWith(O200k, s) }

// CountWith counts the tokens of s in the given vocabulary (cl100k_base for
// GPT-4 and GPT-3.5 era models). An unknown encoding falls back to o200k_base.
func CountWith(enc Encoding, s string) int {
	if s == "" {
		return 0
	}
	total := 0
	for piece := range pieces(s) {
		encode(enc, piece, func(uint32, int) { total++ })
	}
	return total
}

// Estimate is a cheap upper-leaning guess (about 4 bytes a token, never 0
// for a non-empty string) for places where exactness does not matter.
func Estimate(s string) int {
	if s == "" {
		return 0
	}
	return (len(s) + 3) / 4
}

// Truncate cuts s to at most max tokens (exact, o200k_base), never inside a
// UTF-8 character. It returns s unchanged when it already fits.
func Truncate(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if len(s) <= max { // a token is at least one byte
		return s
	}
	// Encode at most a prefix long enough to hold max tokens; tokens are
	// rarely longer than 16 bytes.
	prefix := cutBytes(s, min(len(s), max*16+16))
	count, n := 0, 0
	encode(O200k, prefix, func(_ uint32, size int) {
		if count < max {
			n += size
		}
		count++
	})
	if count <= max && len(prefix) == len(s) {
		return s
	}
	out := cutBytes(s, n)
	// Re-tokenising a prefix can merge differently at its end; shorten until
	// the exact count fits.
	for out != "" && CountWith(O200k, out) > max {
		out = cutBytes(out, len(out)-1)
	}
	return out
}

// cutBytes returns the longest prefix of s of at most n bytes that does not
// end inside a UTF-8 sequence.
func cutBytes(s string, n int) string {
	if n >= len(s) {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// pieces splits s into chunks of at most about maxExactBytes, preferring to
// cut just before whitespace so that few tokens straddle a cut.
func pieces(s string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for len(s) > maxExactBytes {
			cut := strings.LastIndexAny(s[:maxExactBytes], " \n\t")
			if cut <= maxExactBytes/2 {
				cut = len(cutBytes(s, maxExactBytes))
			}
			if cut == 0 {
				cut = maxExactBytes
			}
			if !yield(s[:cut]) {
				return
			}
			s = s[cut:]
		}
		if s != "" {
			yield(s)
		}
	}
}
