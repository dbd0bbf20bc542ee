package logs

import (
	"cmp"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
)

// MinerConfig tunes the Drain parse tree. DefaultMinerConfig is meant to
// serve every log style unchanged.
type MinerConfig struct {
	// Similarity is the share of equal tokens a message needs to join a
	// template (tokens both masked as variables count as equal; positions
	// the template generalised to a wildcard do not).
	Similarity float64
	// Depth is the depth of the parse tree counting the root and the
	// token-count level, as in Drain3: Depth-2 leading tokens route a message.
	Depth int
	// MaxChildren caps the children of an inner node; further tokens share a
	// wildcard child.
	MaxChildren int
	// MaxTemplates caps the templates kept; the least recently matched one is
	// evicted beyond it.
	MaxTemplates int
}

// DefaultMinerConfig is the one configuration used everywhere: tuned on the
// labelled corpus of pkg/logs/internal/corpusgen across JSON, logfmt, nginx,
// Java, Python, Go and klog styles.
func DefaultMinerConfig() MinerConfig {
	return MinerConfig{Similarity: 0.55, Depth: 3, MaxChildren: 100, MaxTemplates: 10000}
}

// Template is a mined template.
type Template struct {
	ID      string
	Pattern string
	Count   int
}

// cluster is a template with its place in the tree and in the LRU list.
type cluster struct {
	id     string
	tokens []string
	// info holds what similarity asks of each token beyond equality, so
	// that the template's side of a comparison is never scanned again.
	info []tokInfo
	// tailFrom, when positive, is where a variable-length tail starts: the
	// template absorbed messages of other lengths that differ only there.
	tailFrom int
	count    int
	// seq orders clusters by creation, for deterministic merges.
	seq        int
	leaf       *node
	prev, next *cluster
	// stats is the Summary's statistics of the template, if one mines
	// with this miner: found without a look-up by id per entry.
	stats *templateState
}

// tokInfo is what a comparison needs to know of a token that differs
// from the other side's: the length of its "key=" (0 for a token that is
// not key=value) and whether it is a compound name.
type tokInfo struct {
	key      uint16 // tokens are at most maxMineBytes long
	compound bool
}

func infoOf(t string) tokInfo {
	return tokInfo{key: uint16(len(keyOf(t))), compound: isCompoundName(t)}
}

// setToken changes the template's token at i.
func (c *cluster) setToken(i int, t string) {
	c.tokens[i] = t
	c.info[i] = infoOf(t)
}

// message is the message being mined, with the tokInfo of its tokens
// computed on first need: most comparisons never ask for it.
type message struct {
	toks    []string
	allowed int    // conflicts allowed: maxConflictShare of the tokens
	known   uint64 // bit i: info[i] is computed
	info    [64]tokInfo
}

func (msg *message) reset(toks []string) {
	msg.toks = toks
	msg.allowed = int(maxConflictShare * float64(len(toks)))
	msg.known = 0
}

func (msg *message) infoAt(i int) tokInfo {
	if i >= len(msg.info) {
		return infoOf(msg.toks[i])
	}
	if msg.known&(1<<i) == 0 {
		msg.info[i] = infoOf(msg.toks[i])
		msg.known |= 1 << i
	}
	return msg.info[i]
}

type node struct {
	children map[string]*node
	clusters []*cluster
}

// Miner groups messages into templates online (Drain, He et al., ICWS 2017):
// the masked tokens of a message descend a fixed-depth tree by token count
// and leading tokens, and join the most similar template of the leaf, or
// start a new one. A Miner is not safe for concurrent use.
type Miner struct {
	cfg     MinerConfig
	byLen   []*node // the tree's roots by token count
	ids     map[string]*cluster
	msg     message  // scratch for addTokens
	lruHead *cluster // most recently matched
	lruTail *cluster
	tz      *tokenizer
	onEvict func(id string)
	onMerge func(from, to *cluster)
	// aliases maps the id of a template merged into another to that one.
	aliases map[string]string
	created int // clusters created, for seq
	// sinceMerge counts templates created since the last consolidation.
	sinceMerge int
}

// NewMiner returns an empty miner; zero fields of cfg take the defaults.
func NewMiner(cfg MinerConfig) *Miner {
	def := DefaultMinerConfig()
	if cfg.Similarity <= 0 || cfg.Similarity > 1 {
		cfg.Similarity = def.Similarity
	}
	if cfg.Depth < 3 {
		cfg.Depth = def.Depth
	}
	if cfg.MaxChildren <= 0 {
		cfg.MaxChildren = def.MaxChildren
	}
	if cfg.MaxTemplates <= 0 {
		cfg.MaxTemplates = def.MaxTemplates
	}
	return &Miner{cfg: cfg, ids: make(map[string]*cluster), tz: newTokenizer(),
		aliases: make(map[string]string)}
}

// Add mines one message and returns the id of its template. Ids are stable:
// the same messages in the same order give the same ids on every run.
func (m *Miner) Add(msg string) string { return m.addTokens(m.tz.split(msg)).id }

// addTokens mines a message split into its masked tokens and returns its
// template.
func (m *Miner) addTokens(toks []string) *cluster {
	root := m.root(len(toks))
	if root != nil {
		if leaf := m.descend(root, toks); leaf != nil {
			m.msg.reset(toks)
			if c, exact := m.bestMatch(leaf, &m.msg); c != nil {
				if !exact {
					m.merge(c, &m.msg)
				}
				c.count++
				m.touch(c)
				return c
			}
		}
	} else {
		root = &node{}
		if len(toks) >= len(m.byLen) {
			m.byLen = append(m.byLen, make([]*node, len(toks)+1-len(m.byLen))...)
		}
		m.byLen[len(toks)] = root
	}
	if c := m.tailMatch(toks); c != nil {
		c.count++
		m.touch(c)
		return c
	}
	return m.create(root, toks)
}

// Variable-length tails. Drain separates messages by token count, so a value
// with spaces at the end of a line (an HTTP reason phrase, a checkpoint
// cause) splits one template into several. When a message finds no template
// of its own length, it may join a template of a nearby length that it
// equals up to a short differing tail.
const (
	maxTailDiff   = 3 // tokens that may differ at the end of either
	minTailPrefix = 3 // tokens that must agree before the tail
	minTailWords  = 2 // of which words, not wildcards
)

func (m *Miner) tailMatch(toks []string) *cluster {
	n := len(toks)
	if n < minTailPrefix {
		return nil
	}
	var best *cluster
	bestPrefix := 0
	for d := 1; d <= maxTailDiff; d++ {
		for _, l := range [2]int{n - d, n + d} {
			if l < minTailPrefix+1 {
				continue
			}
			root := m.root(l)
			if root == nil {
				continue
			}
			leaf := m.descend(root, toks)
			if leaf == nil {
				continue
			}
			for _, c := range leaf.clusters {
				p := commonPrefix(c.tokens, toks)
				if c.tailFrom > 0 {
					p = min(p, c.tailFrom)
				}
				long := max(l, n)
				if p > bestPrefix && p >= minTailPrefix && long-p <= maxTailDiff && 2*p >= long &&
					!hasFieldOrValue(toks[p:]) && (c.tailFrom > 0 || !hasFieldOrValue(c.tokens[p:])) {
					best, bestPrefix = c, p
				}
			}
		}
	}
	if best != nil {
		for i := bestPrefix; i < len(best.tokens); i++ {
			best.setToken(i, Wildcard)
		}
		best.tailFrom = bestPrefix
	}
	return best
}

// hasFieldOrValue reports whether a tail holds a key=value field or a
// masked value: a field or a clause with a value more or less is another
// shape of the message ("... rhost=<*>" and "... rhost=<*> user=<*>",
// "corrected" and "corrected over <*> seconds"), not a longer phrase.
func hasFieldOrValue(tail []string) bool {
	for _, t := range tail {
		if keyOf(t) != "" || strings.Contains(t, Wildcard) {
			return true
		}
	}
	return false
}

// commonPrefix counts the leading positions where the template accepts the
// message's token; a prefix with fewer than minTailWords words (not
// wildcards) says nothing and counts as 0.
func commonPrefix(tmpl, toks []string) int {
	n := min(len(tmpl), len(toks))
	words := 0
	i := 0
	for ; i < n; i++ {
		if tmpl[i] != toks[i] && tmpl[i] != Wildcard {
			break
		}
		if tmpl[i] != Wildcard {
			words++
		}
	}
	if words < minTailWords {
		return 0
	}
	return i
}

// root returns the tree of messages of n tokens, nil if there is none.
func (m *Miner) root(n int) *node {
	if n >= len(m.byLen) {
		return nil
	}
	return m.byLen[n]
}

// descend follows the leading tokens without changing the tree.
func (m *Miner) descend(n *node, toks []string) *node {
	for i := 0; i < min(m.cfg.Depth-2, len(toks)); i++ {
		next := n.children[toks[i]]
		if next == nil {
			next = n.children[Wildcard]
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// bestMatch returns the leaf's template most similar to the message, if
// similar enough, and whether the template already accepts the message
// as it is (merging would change nothing).
func (m *Miner) bestMatch(leaf *node, msg *message) (*cluster, bool) {
	var best *cluster
	bestSim, bestParams, bestExact := -1.0, -1, false
	for _, c := range leaf.clusters {
		sim, params, exact := similarity(c, msg)
		if sim < 0 {
			continue
		}
		if sim > bestSim || sim == bestSim && params > bestParams {
			best, bestSim, bestParams, bestExact = c, sim, params, exact
			if sim == 1 {
				// Every token equal: no later template can score higher,
				// nor tie with more parameters.
				break
			}
		}
	}
	if best == nil || bestSim < m.cfg.Similarity {
		return nil, false
	}
	return best, bestExact
}

// similarity is the share of positions where template and message agree.
// A wildcard the template learned by merging matches anything but earns
// nothing; a message token masked as a variable equals a wildcard. Two
// different words at one position are a conflict: it returns -1 when the
// conflicts exceed maxConflictShare of the message. A word is wording until
// the consolidation has seen enough different ones there to call it a value
// ("VM Started" and "VM Paused" are two events, the user names after
// "invalid user" one), but a long line with a few differing words (an
// access log's flags) is one template.
//
// It also reports whether the template accepts the message as it is:
// every position equal or a wildcard of the template.
func similarity(c *cluster, msg *message) (float64, int, bool) {
	toks := msg.toks
	if len(toks) == 0 {
		return 1, 0, true
	}
	same, params, conflicts := 0, 0, 0
	// Templates of a leaf have the message's length: saying so spares
	// the bounds checks.
	toks, info := toks[:len(c.tokens)], c.info[:len(c.tokens)]
	for i, t := range c.tokens {
		u := toks[i]
		switch {
		case t == u:
			same++
		case t == Wildcard:
			params++
		case u == Wildcard:
		default:
			// Only a key=value or compound name of the template needs
			// the message's token looked at.
			if ti := info[i]; ti.key != 0 || ti.compound {
				ui := msg.infoAt(i)
				if ti.key != 0 && ti.key == ui.key && t[:ti.key] == u[:ti.key] || ti.compound && ui.compound {
					continue
				}
			}
			// Stop at the first conflict too many: most templates of a
			// leaf are rejected here.
			if conflicts++; conflicts > msg.allowed {
				return -1, 0, false
			}
		}
	}
	return float64(same) / float64(len(toks)), params, same+params == len(toks)
}

// maxConflictShare is the share of a message's tokens that may be words
// different from the template's.
const maxConflictShare = 0.125

// merge generalises the template to the message: differing positions
// become wildcards, keeping the key of a key=value pair.
func (m *Miner) merge(c *cluster, msg *message) {
	for i, t := range c.tokens {
		u := msg.toks[i]
		if t == u || t == Wildcard {
			continue
		}
		if k := c.info[i].key; k != 0 && k == msg.infoAt(i).key && t[:k] == u[:k] {
			c.setToken(i, m.tz.keyWildcard(t[:k]))
		} else {
			c.setToken(i, Wildcard)
		}
	}
}

// isCompoundName matches names joined with inner punctuation
// (payment-service, db.internal, my_queue): they name things, values of a
// variable rather than wording, and two of them do not conflict.
func isCompoundName(t string) bool {
	end := len(t)
	for end > 0 && isNameEnd(t[end-1]) {
		end--
	}
	for i := 1; i < end-1; i++ {
		switch t[i] {
		case '-', '.', '_', '/':
			return true
		}
	}
	return false
}

// isNameEnd is the punctuation that may follow a name in a sentence.
func isNameEnd(c byte) bool {
	switch c {
	case ',', ';', ':', '.', ')', ']', '}':
		return true
	}
	return false
}

// keyOf returns the "key=" of a key=value token, "" for other tokens.
func keyOf(t string) string {
	// A loop: tokens are short, and this runs for every conflict.
	for i := 0; i < len(t); i++ {
		if t[i] == '=' {
			if i == 0 {
				return ""
			}
			return t[:i+1]
		}
	}
	return ""
}

func (m *Miner) create(root *node, toks []string) *cluster {
	n := m.leafFor(root, toks)
	tokens := make([]string, len(toks))
	info := make([]tokInfo, len(toks))
	for i, t := range toks {
		if t == Wildcard {
			tokens[i] = Wildcard
		} else {
			tokens[i] = strings.Clone(t)
		}
		info[i] = infoOf(t)
	}
	m.created++
	c := &cluster{tokens: tokens, info: info, count: 1, leaf: n, seq: m.created}
	c.id = m.newID(tokens)
	m.ids[c.id] = c
	n.clusters = append(n.clusters, c)
	m.pushFront(c)
	if len(m.ids) > m.cfg.MaxTemplates {
		m.evict(m.lruTail)
	}
	if m.sinceMerge++; m.sinceMerge >= max(consolidateEvery, len(m.ids)/2) {
		m.Consolidate()
	}
	return c
}

// leafFor returns the leaf for toks, adding the path; once an inner node is
// full, further tokens share its wildcard child.
func (m *Miner) leafFor(root *node, toks []string) *node {
	n := root
	for i := 0; i < min(m.cfg.Depth-2, len(toks)); i++ {
		key := toks[i]
		next := n.children[key]
		if next == nil {
			if n.children == nil {
				n.children = make(map[string]*node)
			}
			if len(n.children) >= m.cfg.MaxChildren-1 && key != Wildcard {
				key = Wildcard
				next = n.children[key]
			}
			if next == nil {
				next = &node{}
				n.children[strings.Clone(key)] = next
			}
		}
		n = next
	}
	return n
}

// newID derives an id from the template as first seen, so ids do not depend
// on how many templates came before; a collision gets a counter.
func (m *Miner) newID(tokens []string) string {
	h := fnv.New64a()
	for _, t := range tokens {
		h.Write([]byte(t))
		h.Write([]byte{' '})
	}
	base := "T" + strconv.FormatUint(h.Sum64()>>24, 16)
	id := base
	// The id of a template merged into another stays taken: it resolves
	// to that one.
	for n := 2; m.ids[id] != nil || m.aliases[id] != ""; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}

func (m *Miner) pushFront(c *cluster) {
	c.prev, c.next = nil, m.lruHead
	if m.lruHead != nil {
		m.lruHead.prev = c
	}
	m.lruHead = c
	if m.lruTail == nil {
		m.lruTail = c
	}
}

func (m *Miner) unlink(c *cluster) {
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		m.lruHead = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else {
		m.lruTail = c.prev
	}
	c.prev, c.next = nil, nil
}

func (m *Miner) touch(c *cluster) {
	if m.lruHead == c {
		return
	}
	m.unlink(c)
	m.pushFront(c)
}

func (m *Miner) evict(c *cluster) {
	m.remove(c)
	if m.onEvict != nil {
		m.onEvict(c.id)
	}
}

// remove takes c out of the tree, the LRU list and the ids.
func (m *Miner) remove(c *cluster) {
	m.unlink(c)
	delete(m.ids, c.id)
	removeFromLeaf(c)
}

func removeFromLeaf(c *cluster) {
	if i := slices.Index(c.leaf.clusters, c); i >= 0 {
		c.leaf.clusters = slices.Delete(c.leaf.clusters, i, i+1)
	}
}

// OnEvict registers f to be called with the id of each template the LRU
// bound evicts, so that a caller keeping state per template can drop it.
func (m *Miner) OnEvict(f func(id string)) { m.onEvict = f }

// Len is the number of templates kept.
func (m *Miner) Len() int { return len(m.ids) }

// Template returns the current form of the template with the given id.
func (m *Miner) Template(id string) (Template, bool) {
	c := m.ids[id]
	if c == nil {
		return Template{}, false
	}
	return Template{ID: c.id, Pattern: c.pattern(), Count: c.count}, true
}

// pattern renders the template; a variable tail shows as one wildcard.
func (c *cluster) pattern() string {
	switch {
	case c.tailFrom <= 0:
	case c.tailFrom < len(c.tokens):
		return strings.Join(c.tokens[:c.tailFrom+1], " ")
	default:
		return strings.Join(c.tokens, " ") + " " + Wildcard
	}
	return strings.Join(c.tokens, " ")
}

// Templates returns all templates, most frequent first (ties by id).
func (m *Miner) Templates() []Template {
	out := make([]Template, 0, len(m.ids))
	for _, c := range m.ids {
		out = append(out, Template{ID: c.id, Pattern: c.pattern(), Count: c.count})
	}
	slices.SortFunc(out, func(a, b Template) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
