// Package tokens counts LLM tokens offline. Budgets for prompts and for the
// log selection are measured in real tokens (o200k_base, the vocabulary of
// current OpenAI models, compiled into the binary), because a byte estimate
// can be off by 2x on logs full of ids and punctuation.
package tokens

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tiktoken-go/tokenizer/codec"
)

// maxExactBytes bounds the text handed to the BPE tokenizer in one call; a
// longer text is counted in pieces (cut at whitespace where possible), which
// keeps the cost linear and the count exact to within a token per piece.
const maxExactBytes = 64 << 10

// codecs holds the compiled vocabularies; loading one takes tens of
// milliseconds and megabytes, so it happens once, on first use. They are
// built by their own constructors, not by tokenizer.Get, whose switch over
// every encoding links the r50k and p50k vocabularies too (2.5 MB of each
// binary for encodings no supported model uses).
type codecs struct {
	once   sync.Once
	o200k  *codec.Codec
	cl100k *codec.Codec
}

var shared codecs

func (c *codecs) load() {
	c.once.Do(func() {
		c.o200k = codec.NewO200kBase()
		c.cl100k = codec.NewCl100kBase()
	})
}

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
	c := pick(enc)
	total := 0
	for piece := range pieces(s) {
		n, err := c.Count(piece)
		if err != nil {
			n = Estimate(piece)
		}
		total += n
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
	_, toks, err := pick(O200k).Encode(prefix)
	if err != nil {
		return cutBytes(s, max)
	}
	if len(toks) <= max && len(prefix) == len(s) {
		return s
	}
	n := 0
	for _, t := range toks[:min(max, len(toks))] {
		n += len(t)
	}
	out := cutBytes(s, n)
	// Re-tokenising a prefix can merge differently at its end; shorten until
	// the exact count fits.
	for out != "" && CountWith(O200k, out) > max {
		out = cutBytes(out, len(out)-1)
	}
	return out
}

func pick(enc Encoding) *codec.Codec {
	shared.load()
	if enc == Cl100k {
		return shared.cl100k
	}
	return shared.o200k
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
