// Package vocabgen writes a tiktoken-go vocabulary in the compact form that
// pkg/tokens embeds (package bpefile). It is used by the generator
// (pkg/tokens/gen) and by the test that checks the embedded files are what
// the generator writes; no binary links it, so tiktoken-go's compiled map
// literals (about 9.5 MB a binary) stay out of the plugin.
package vocabgen

import (
	"fmt"

	"github.com/tiktoken-go/tokenizer/codec"

	"github.com/cloudobs/aiops-app/pkg/tokens/internal/bpefile"
)

// Encodings maps the names pkg/tokens supports to their file names and
// tiktoken-go constructors.
var Encodings = []struct {
	Name, File string
	New        func() *codec.Codec
}{
	{"o200k_base", "o200k_base.bpe.z", codec.NewO200kBase},
	{"cl100k_base", "cl100k_base.bpe.z", codec.NewCl100kBase},
}

// maxRank bounds the scan for ranks; both vocabularies are dense below it.
const maxRank = 1 << 18

// Build returns the compressed vocabulary of c. Ranks are dense from 0 in
// both supported encodings; a gap (o200k's special tokens, which Decode
// does not know) is written as a zero-length token so that an id is always
// its position in the file.
func Build(c *codec.Codec) ([]byte, error) {
	var toks [][]byte
	gap := 0
	for r := 0; r < maxRank && gap < 64; r++ {
		s, err := c.Decode([]uint{uint(r)})
		if err != nil {
			gap++
			toks = append(toks, nil)
			continue
		}
		gap = 0
		toks = append(toks, []byte(s))
	}
	for len(toks) > 0 && toks[len(toks)-1] == nil {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("%s: empty vocabulary", c.GetName())
	}
	return bpefile.Write(toks)
}
