package logs

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"
)

// Consolidation. The tree keeps templates apart wherever two words differ,
// since most differing words are wording ("VM Started", "VM Paused").
// Afterwards, templates of one length that are equal everywhere but at one
// position are siblings, and how that position varies among them decides
// (the frequency idea of Brain, Yu et al., 2023): many different words, or
// several rare ones, are values of one variable, and the siblings merge
// into one template with a wildcard there. A few frequent words stay apart,
// unless the same words also vary together in another context: the values
// of one variable recur across templates ("session opened for user cyrus"
// and "session closed for user cyrus", with news and test too), while
// wording rarely repeats as a whole set elsewhere.
const (
	// consolidateEvery is how many new templates trigger a consolidation
	// (or half the templates kept, if more), so its cost stays a fraction
	// of mining's.
	consolidateEvery = 256
	// minVariants different words at a position can make it a variable...
	minVariants = 3
	// ...if there are at most rareVariantLines lines per word on average...
	rareVariantLines = 3
	// ...and manyVariants always do.
	manyVariants = 8
	// sharedVariants words that vary at a position of one family and at
	// a position of another make both positions variables.
	sharedVariants = 3
	// maxAliases bounds the memory of merged ids; once reached, templates
	// no longer merge.
	maxAliases = 1 << 20
)

var siblingSeed = maphash.MakeSeed()

// Consolidate merges sibling templates whose differing position is a
// variable. Ids of merged templates resolve to the surviving one through
// Resolve. Add calls it as templates accumulate; call it before reading
// the final templates.
func (m *Miner) Consolidate() {
	m.sinceMerge = 0
	byLen := map[int][]*cluster{}
	var tails []*cluster
	for _, c := range m.ids {
		switch {
		case c.tailFrom > 0:
			tails = append(tails, c)
		case len(c.tokens) > 1:
			byLen[len(c.tokens)] = append(byLen[len(c.tokens)], c)
		}
	}
	slices.SortFunc(tails, func(a, b *cluster) int { return cmp.Compare(a.seq, b.seq) })
	for _, t := range tails {
		if !m.absorbTail(t, byLen) {
			return
		}
	}
	lengths := make([]int, 0, len(byLen))
	for n := range byLen {
		lengths = append(lengths, n)
	}
	slices.Sort(lengths)
	if !m.absorbOptional(byLen) {
		return
	}
	sigs := map[int]*signatures{}
	for _, n := range lengths {
		cs := byLen[n]
		if len(cs) < 2 {
			continue
		}
		slices.SortFunc(cs, func(a, b *cluster) int { return cmp.Compare(a.seq, b.seq) })
		sigs[n] = newSignatures(cs, n)
	}
	shared := sharedFamilies(byLen, sigs)
	for _, n := range lengths {
		if s := sigs[n]; s != nil {
			m.consolidateLength(byLen[n], n, s, shared)
		}
	}
}

// signatures holds, per template of one length, its weighted token hashes
// and their sum: the sum minus position p's hash identifies p's family.
type signatures struct {
	weights []uint64
	hashes  [][]uint64
	sums    []uint64
}

func newSignatures(cs []*cluster, n int) *signatures {
	s := &signatures{weights: make([]uint64, n), hashes: make([][]uint64, len(cs)), sums: make([]uint64, len(cs))}
	w := uint64(1)
	for i := range s.weights {
		s.weights[i] = w
		w *= 1099511628211
	}
	for k, c := range cs {
		s.hashes[k] = make([]uint64, n)
		for i, t := range c.tokens {
			s.hashes[k][i] = maphash.String(siblingSeed, t) * s.weights[i]
			s.sums[k] += s.hashes[k][i]
		}
	}
	return s
}

// family names the templates of length n equal everywhere but at p.
type family struct {
	n, p int
	sig  uint64
}

// sharedFamilies returns the families whose varying words include at least
// sharedVariants words that also vary in another family.
func sharedFamilies(byLen map[int][]*cluster, sigs map[int]*signatures) map[family]bool {
	words := map[family][]string{}
	for n, s := range sigs {
		for p := range n {
			for k, c := range byLen[n] {
				t := c.tokens[p]
				if strings.Contains(t, Wildcard) {
					continue
				}
				f := family{n, p, s.sums[k] - s.hashes[k][p]}
				words[f] = append(words[f], t)
			}
		}
	}
	byWord := map[string][]family{}
	for f, ws := range words {
		if len(ws) < 2 {
			continue
		}
		for _, w := range ws {
			byWord[w] = append(byWord[w], f)
		}
	}
	pairs := map[[2]family]int{}
	shared := map[family]bool{}
	for _, fs := range byWord {
		if len(fs) > manyVariants {
			// A word varying in many contexts says nothing about any one.
			continue
		}
		for i, a := range fs {
			for _, b := range fs[i+1:] {
				if a.p == b.p && a.n == b.n && a.sig == b.sig {
					continue
				}
				key := [2]family{a, b}
				pairs[key]++
				if pairs[key] >= sharedVariants {
					shared[a], shared[b] = true, true
				}
			}
		}
	}
	return shared
}

// consolidateLength merges siblings among templates of n tokens, position
// by position. A template's signature without position p is the sum of its
// weighted token hashes minus that of p's token.
func (m *Miner) consolidateLength(cs []*cluster, n int, s *signatures, shared map[family]bool) {
	weights, hashes, sums := s.weights, s.hashes, s.sums
	alive := make([]bool, len(cs))
	for k := range alive {
		alive[k] = true
	}
	for p := range n {
		families := map[uint64][]int{}
		var order []uint64
		for k := range cs {
			if !alive[k] {
				continue
			}
			sig := sums[k] - hashes[k][p]
			if families[sig] == nil {
				order = append(order, sig)
			}
			families[sig] = append(families[sig], k)
		}
		for _, sig := range order {
			members := families[sig]
			if len(members) < 2 || !shared[family{n, p, sig}] && !isVariablePosition(cs, members, p) {
				continue
			}
			target := m.mergeSiblings(cs, members, p)
			if target < 0 {
				return
			}
			for _, k := range members {
				alive[k] = k == target
			}
			hashes[target][p] = maphash.String(siblingSeed, Wildcard) * weights[p]
			sums[target] = 0
			for _, h := range hashes[target] {
				sums[target] += h
			}
		}
	}
}

// isVariablePosition decides from the siblings' words at p whether p holds
// a value: a wildcard already there, many different words, or several rare
// ones.
func isVariablePosition(cs []*cluster, members []int, p int) bool {
	lines := 0
	for _, k := range members {
		switch t := cs[k].tokens[p]; {
		case t == Wildcard:
			return true
		case strings.Contains(t, Wildcard):
			// The masking kept this wording on purpose ("dcbf....<*>").
			return false
		}
		lines += cs[k].count
	}
	variants := len(members)
	return variants >= manyVariants || variants >= minVariants && lines <= rareVariantLines*variants
}

// mergeSiblings merges the members that equal the first one outside p into
// the most frequent (the oldest on a tie) and returns its index, or -1 when
// no more aliases can be kept.
func (m *Miner) mergeSiblings(cs []*cluster, members []int, p int) int {
	target := members[0]
	for _, k := range members[1:] {
		if cs[k].count > cs[target].count {
			target = k
		}
	}
	t := cs[target]
	for _, k := range members {
		o := cs[k]
		if k == target || !equalExcept(o.tokens, t.tokens, p) {
			continue
		}
		if !m.absorb(o, t) {
			return -1
		}
	}
	t.setToken(p, Wildcard)
	// A wildcard among the leading tokens moves the template to the
	// wildcard branch of the tree.
	if p < m.cfg.Depth-2 {
		removeFromLeaf(t)
		t.leaf = m.leafFor(m.root(len(t.tokens)), t.tokens)
		t.leaf.clusters = append(t.leaf.clusters, t)
	}
	return target
}

// absorbTail merges into a template with a variable tail the templates of
// nearby lengths that it accepts: created before the tail was learned, they
// still take their own lines ("... 200 OK" beside "... <*> <*>" once
// "... 404 Not Found" was seen). Absorbed templates leave byLen. It
// returns false when no more aliases can be kept.
func (m *Miner) absorbTail(t *cluster, byLen map[int][]*cluster) bool {
	for l := t.tailFrom + 1; l <= len(t.tokens)+maxTailDiff; l++ {
		cs := byLen[l]
		kept := cs[:0]
		for _, c := range cs {
			if !acceptsHead(t, c) || hasFieldOrValue(c.tokens[t.tailFrom:]) {
				kept = append(kept, c)
				continue
			}
			if !m.absorb(c, t) {
				return false
			}
		}
		byLen[l] = kept
	}
	return true
}

// acceptsHead reports whether the tail template t accepts c's tokens before
// its tail.
func acceptsHead(t, c *cluster) bool {
	for i := range t.tailFrom {
		if t.tokens[i] != Wildcard && t.tokens[i] != c.tokens[i] {
			return false
		}
	}
	return true
}

// absorb merges template c into t: c's id resolves to t's from now on.
// It returns false, merging nothing, when no more aliases can be kept.
func (m *Miner) absorb(c, t *cluster) bool {
	if len(m.aliases) >= maxAliases {
		return false
	}
	m.aliases[c.id] = t.id
	t.count += c.count
	m.remove(c)
	if m.onMerge != nil {
		m.onMerge(c, t)
	}
	return true
}

func equalExcept(a, b []string, p int) bool {
	for i := range a {
		if i != p && a[i] != b[i] {
			return false
		}
	}
	return true
}

// Resolve returns the id a template's lines now belong to: the id itself,
// or the template it was merged into.
func (m *Miner) Resolve(id string) string {
	root := id
	// Aliases form no cycles (merged ids are never reused); the bound
	// keeps a bug from hanging the caller.
	for range len(m.aliases) {
		next, ok := m.aliases[root]
		if !ok {
			break
		}
		root = next
	}
	// Shorten the chain for the next call.
	for id != root {
		next, ok := m.aliases[id]
		if !ok {
			break
		}
		m.aliases[id] = root
		id = next
	}
	return root
}

const (
	// maxOptional is how many wildcards a template may have beyond
	// another's for absorbOptional to merge them...
	maxOptional = 2
	// ...and maxOptionalBucket bounds the templates compared pairwise.
	maxOptionalBucket = 64
)

// absorbOptional merges templates that one another accepts but for up to
// maxOptional extra wildcards ("<*> bytes sent" beside "<*> bytes <*>
// sent" for "(18.4 KB)"): a value a line may or may not carry is not a
// different event. Templates with a variable tail take part too. Only
// templates with the same first and last words are
// compared, and the more frequent survives (the older on a tie). It
// returns false when no more aliases can be kept.
func (m *Miner) absorbOptional(byLen map[int][]*cluster) bool {
	type ends struct{ first, last string }
	buckets := map[ends][]*cluster{}
	for _, c := range m.ids {
		{
			first := slices.IndexFunc(c.tokens, func(t string) bool { return t != Wildcard })
			last := len(c.tokens) - 1
			for last > first && c.tokens[last] == Wildcard {
				last--
			}
			if first < 0 || first == last {
				continue
			}
			k := ends{c.tokens[first], c.tokens[last]}
			buckets[k] = append(buckets[k], c)
		}
	}
	gone := map[*cluster]bool{}
	for _, cs := range buckets {
		if len(cs) < 2 || len(cs) > maxOptionalBucket {
			continue
		}
		slices.SortFunc(cs, func(a, b *cluster) int {
			return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.seq, b.seq))
		})
		for i, t := range cs {
			if gone[t] {
				continue
			}
			for _, c := range cs[i+1:] {
				if gone[c] || !optionalWildcards(t.tokens, c.tokens) {
					continue
				}
				if !m.absorb(c, t) {
					return false
				}
				gone[c] = true
			}
		}
	}
	for n, cs := range byLen {
		byLen[n] = slices.DeleteFunc(cs, func(c *cluster) bool { return gone[c] })
	}
	return true
}

// optionalWildcards reports whether the longer of a and b aligns with the
// shorter once 1 to maxOptional of its wildcards are deleted, a wildcard
// on either side accepting any word, and at least as many words equal as
// wildcards are deleted and accepted.
func optionalWildcards(a, b []string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	d := len(a) - len(b)
	if d < 1 || d > maxOptional {
		return false
	}
	// best[j][k]: most equal words aligning a[:j+k] with b[:j] using k
	// deletions, -1 if impossible; rolled over a.
	const none = -1
	best := make([][maxOptional + 1]int, len(b)+1)
	for j := range best {
		for k := range best[j] {
			best[j][k] = none
		}
	}
	best[0][0] = 0
	for i := range a {
		next := make([][maxOptional + 1]int, len(b)+1)
		for j := range next {
			for k := range next[j] {
				next[j][k] = none
			}
		}
		for j := 0; j <= len(b) && j <= i; j++ {
			for k := 0; k <= d; k++ {
				v := best[j][k]
				if v == none || j+k != i {
					continue
				}
				if a[i] == Wildcard && k < d && v > next[j][k+1] {
					next[j][k+1] = v
				}
				if j < len(b) && (a[i] == b[j] || a[i] == Wildcard || b[j] == Wildcard) {
					w := v
					if a[i] == b[j] {
						w++
					}
					if w > next[j+1][k] {
						next[j+1][k] = w
					}
				}
			}
		}
		best = next
	}
	equal := best[len(b)][d]
	return equal != none && 2*equal >= len(a)
}
