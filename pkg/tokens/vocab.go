package tokens

import (
	_ "embed"
	"fmt"
	"hash/maphash"
	"sync"

	"github.com/cloudobs/aiops-app/pkg/tokens/internal/bpefile"
)

//go:generate go run ./gen

// The vocabularies, written by ./gen from tiktoken-go (whose compiled map
// literals cost about 9.5 MB a binary; these files are 1.5 MB together).
// Their data is OpenAI's tiktoken, MIT licensed: see NOTICE in this
// directory.
var (
	//go:embed o200k_base.bpe.z
	o200kFile string
	//go:embed cl100k_base.bpe.z
	cl100kFile string
)

// vocab maps a token's bytes to its rank (its id) and back. The tokens are
// one string cut by off (token r is data[off[r]:off[r+1]]), and the lookup
// is an open-addressing table of rank+1 (0 marks an empty slot): about
// 5 MB resident for o200k instead of the 15 MB or more of a Go map of
// strings.
type vocab struct {
	data  string
	off   []uint32
	slots []uint32
	mask  uint64
	seed  maphash.Seed
}

// lazyVocab decodes one embedded file on first use; a process that never
// counts cl100k tokens never pays for its table.
type lazyVocab struct {
	once sync.Once
	file *string
	v    *vocab
}

var (
	o200kVocab  = lazyVocab{file: &o200kFile}
	cl100kVocab = lazyVocab{file: &cl100kFile}
)

func (l *lazyVocab) get() *vocab {
	l.once.Do(func() {
		v, err := parseVocab(*l.file)
		if err != nil {
			// The files are compiled in and checked by the tests, so this
			// is a broken build, not bad input.
			panic("tokens: embedded vocabulary: " + err.Error())
		}
		l.v = v
	})
	return l.v
}

// parseVocab decodes an embedded file and builds its lookup table.
func parseVocab(file string) (*vocab, error) {
	data, off, err := bpefile.Read([]byte(file))
	if err != nil {
		return nil, err
	}
	n := uint64(len(off) - 1)
	size := uint64(1)
	for size < 2*n {
		size <<= 1
	}
	v := &vocab{data: string(data), off: off, slots: make([]uint32, size), mask: size - 1, seed: maphash.MakeSeed()}
	for r := range n {
		tok := v.data[off[r]:off[r+1]]
		if tok == "" {
			continue
		}
		i := maphash.String(v.seed, tok) & v.mask
		for v.slots[i] != 0 {
			if v.token(v.slots[i]-1) == tok {
				return nil, fmt.Errorf("token %d repeats token %d", r, v.slots[i]-1)
			}
			i = (i + 1) & v.mask
		}
		v.slots[i] = uint32(r) + 1
	}
	return v, nil
}

func (v *vocab) token(r uint32) string { return v.data[v.off[r]:v.off[r+1]] }

// rank returns the id of the token spelled b, or noRank.
func (v *vocab) rank(b string) uint32 {
	i := maphash.String(v.seed, b) & v.mask
	for {
		s := v.slots[i]
		if s == 0 {
			return noRank
		}
		if v.token(s-1) == b {
			return s - 1
		}
		i = (i + 1) & v.mask
	}
}
