package tokens

import (
	"math"
	"unicode/utf8"
)

// noRank marks a pair that is no token, or a boundary a merge removed.
const noRank = math.MaxUint32

// heapFrom is the piece length from which merging uses a heap: the linear
// scan costs O(n) per merge, so O(n²) per piece, and a piece can be as
// long as a chunk (maxExactBytes).
const heapFrom = 96

// encode splits s by the vocabulary's pre-tokenizer and merges each piece
// into tokens, calling yield with each token's rank and length in bytes.
// Invalid UTF-8 is replaced first, byte by byte, by U+FFFD, as tiktoken-go
// (whose regexp2 works on runes) does; token lengths are then those of the
// replaced text.
func encode(enc Encoding, s string, yield func(rank uint32, n int)) {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	v, split := o200kVocab.get(), splitO200k
	if enc == Cl100k {
		v, split = cl100kVocab.get(), splitCl100k
	}
	var m merger
	split(s, func(piece string) {
		if r := v.rank(piece); r != noRank {
			yield(r, len(piece))
			return
		}
		m.merge(v, piece, yield)
	})
}

// merger holds the buffers of byte-pair merges, reused across the pieces of
// one text.
type merger struct {
	parts []part
	nodes []node
	heap  mergeHeap
}

type part struct {
	off  int
	rank uint32 // of the pair starting here
}

// merge yields the tokens byte-pair encoding makes of piece: the adjacent
// pair whose concatenation has the lowest rank merges first, the leftmost
// among equal ranks, until no pair is a token. Every single byte is a token
// of both vocabularies, so the parts left are tokens.
func (m *merger) merge(v *vocab, piece string, yield func(uint32, int)) {
	if len(piece) < heapFrom {
		m.scan(v, piece, yield)
		return
	}
	m.heapMerge(v, piece, yield)
}

func (m *merger) scan(v *vocab, piece string, yield func(uint32, int)) {
	parts := m.parts[:0]
	for i := range len(piece) + 1 {
		parts = append(parts, part{i, noRank})
	}
	pair := func(i int) uint32 { // rank of parts i and i+1 merged
		if i+2 >= len(parts) {
			return noRank
		}
		return v.rank(piece[parts[i].off:parts[i+2].off])
	}
	for i := range len(parts) - 2 {
		parts[i].rank = pair(i)
	}
	for len(parts) > 2 {
		best, at := uint32(noRank), 0
		for i, p := range parts[:len(parts)-2] {
			if p.rank < best {
				best, at = p.rank, i
			}
		}
		if best == noRank {
			break
		}
		parts = append(parts[:at+1], parts[at+2:]...)
		parts[at].rank = pair(at)
		if at > 0 {
			parts[at-1].rank = pair(at - 1)
		}
	}
	for i := range len(parts) - 1 {
		tok := piece[parts[i].off:parts[i+1].off]
		yield(v.rank(tok), len(tok))
	}
	m.parts = parts
}

// node is a part boundary in heapMerge's doubly linked list; rank is that
// of this part merged with the next.
type node struct {
	prev, next int32
	rank       uint32
}

type candidate struct {
	rank uint32
	off  int32
}

func (m *merger) heapMerge(v *vocab, piece string, yield func(uint32, int)) {
	n := int32(len(piece))
	nodes := m.nodes[:0]
	for i := range n + 1 {
		nodes = append(nodes, node{prev: i - 1, next: i + 1, rank: noRank})
	}
	nodes[n].next = -1
	pair := func(i int32) uint32 {
		j := nodes[i].next
		if j < 0 {
			return noRank
		}
		k := nodes[j].next
		if k < 0 {
			return noRank
		}
		return v.rank(piece[i:k])
	}
	h := m.heap[:0]
	for i := int32(0); i+2 <= n; i++ {
		if r := pair(i); r != noRank {
			nodes[i].rank = r
			h = append(h, candidate{r, i})
		}
	}
	h.init()
	for len(h) > 0 {
		top := h.pop()
		i := top.off
		if nodes[i].rank != top.rank {
			continue // stale: this boundary's pair changed or was merged away
		}
		j := nodes[i].next
		k := nodes[j].next
		nodes[j].rank = noRank
		nodes[i].next = k
		if k >= 0 {
			nodes[k].prev = i
		}
		for _, b := range [2]int32{i, nodes[i].prev} {
			if b < 0 {
				continue
			}
			if nodes[b].rank = pair(b); nodes[b].rank != noRank {
				h.push(candidate{nodes[b].rank, b})
			}
		}
	}
	for i := int32(0); i >= 0 && i < n; i = nodes[i].next {
		e := nodes[i].next
		yield(v.rank(piece[i:e]), int(e-i))
	}
	m.nodes, m.heap = nodes, h
}

// mergeHeap is a binary min-heap by rank, then offset, so that among equal
// ranks the leftmost pair merges first. It is typed, unlike container/heap,
// so pushes do not allocate.
type mergeHeap []candidate

func (h mergeHeap) less(a, b int) bool {
	if h[a].rank != h[b].rank {
		return h[a].rank < h[b].rank
	}
	return h[a].off < h[b].off
}

func (h mergeHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *mergeHeap) push(c candidate) {
	*h = append(*h, c)
	h.up(len(*h) - 1)
}

func (h *mergeHeap) pop() candidate {
	old := *h
	top := old[0]
	last := len(old) - 1
	old[0] = old[last]
	*h = old[:last]
	h.down(0)
	return top
}

func (h mergeHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (h mergeHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && h.less(r, l) {
			c = r
		}
		if !h.less(c, i) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
