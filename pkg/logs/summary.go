package logs

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// TemplateStats is what is known about one template after mining a log.
type TemplateStats struct {
	ID      string
	Pattern string
	// Level is the most severe level seen.
	Level     string
	Count     int
	FirstSeen time.Time
	LastSeen  time.Time
	// Examples are real entries, shortened: the first seen and the latest.
	Examples []string
	// Sources are the streams ("namespace/pod/container") it occurred in.
	Sources []string
	// Before and After count the entries before and from StartsAt.
	Before, After int
}

// SummaryOptions configure a Summary.
type SummaryOptions struct {
	Miner MinerConfig
	// MaxExamples is how many example entries to keep (default 2).
	MaxExamples int
	// StartsAt splits the counts into Before and After; zero puts all in After.
	StartsAt time.Time
}

const maxSources = 10

// Summary mines records and keeps per-template statistics in bounded memory:
// statistics leave with their template when the miner evicts it.
type Summary struct {
	miner       *Miner
	stats       map[string]*templateState
	maxExamples int
	startsAt    time.Time
	records     int
	lines       int
}

// templateState is a template's statistics while mining. Once its
// examples are full, the latest entry is copied into a buffer that each
// entry reuses, and becomes the last example only when read (examples):
// no allocation per entry.
type templateState struct {
	TemplateStats
	latest    []byte
	latestCut bool // latest was shortened: it takes the cut mark
	hasLatest bool
}

// examples puts the latest entry in place and returns the examples.
func (st *templateState) examples() []string {
	if st.hasLatest {
		st.Examples[len(st.Examples)-1] = withCutMark(string(st.latest), st.latestCut)
		st.hasLatest = false
	}
	return st.Examples
}

// NewSummary returns an empty summary.
func NewSummary(opt SummaryOptions) *Summary {
	if opt.MaxExamples <= 0 {
		opt.MaxExamples = 2
	}
	s := &Summary{miner: NewMiner(opt.Miner), stats: make(map[string]*templateState), maxExamples: opt.MaxExamples,
		startsAt: opt.StartsAt}
	s.miner.onEvict = func(id string) { delete(s.stats, id) }
	s.miner.onMerge = s.merge
	return s
}

// merge moves the statistics of template from into those of to.
func (s *Summary) merge(from, to *cluster) {
	a, b := s.stats[from.id], s.stats[to.id]
	delete(s.stats, from.id)
	if a == nil {
		return
	}
	if b == nil {
		a.ID = to.id
		s.stats[to.id] = a
		to.stats = a
		return
	}
	b.Count += a.Count
	b.Before += a.Before
	b.After += a.After
	if moreSevere(a.Level, b.Level) {
		b.Level = a.Level
	}
	if !a.FirstSeen.IsZero() && (b.FirstSeen.IsZero() || a.FirstSeen.Before(b.FirstSeen)) {
		b.FirstSeen = a.FirstSeen
	}
	if a.LastSeen.After(b.LastSeen) {
		b.LastSeen = a.LastSeen
	}
	for _, e := range a.examples() {
		if len(b.Examples) < s.maxExamples {
			b.Examples = append(b.Examples, e)
		}
	}
	for _, src := range a.Sources {
		if len(b.Sources) < maxSources && !slices.Contains(b.Sources, src) {
			b.Sources = append(b.Sources, src)
		}
	}
}

// Consolidate merges sibling templates now (see Miner.Consolidate);
// Templates does it too.
func (s *Summary) Consolidate() { s.miner.Consolidate() }

// Resolve returns the id that the lines of template id now belong to,
// which differs from id once its template was merged into another.
func (s *Summary) Resolve(id string) string { return s.miner.Resolve(id) }

// Add mines one record seen in source and returns its template id.
func (s *Summary) Add(r Record, source string) string {
	return s.count(&r, source, s.miner.addTokens(s.miner.tz.split(r.MineText())))
}

// AddPrepared mines a record that a Preparer split, exactly as Add mines
// the record, and returns its template id.
func (s *Summary) AddPrepared(p *Prepared, source string) string {
	s.miner.tz.intern(p.toks, p.keyed)
	return s.count(&p.Record, source, s.miner.addTokens(p.toks))
}

// count adds record r, which the miner gave template c, to the
// statistics and returns c's id.
func (s *Summary) count(r *Record, source string, c *cluster) string {
	s.records++
	s.lines += r.Lines
	st := c.stats
	if st == nil {
		st = &templateState{TemplateStats: TemplateStats{ID: c.id}}
		s.stats[c.id] = st
		c.stats = st
	}
	st.Count++
	if moreSevere(r.Level, st.Level) {
		st.Level = r.Level
	}
	if !r.Time.IsZero() {
		if st.FirstSeen.IsZero() || r.Time.Before(st.FirstSeen) {
			st.FirstSeen = r.Time
		}
		if r.Time.After(st.LastSeen) {
			st.LastSeen = r.Time
		}
	}
	if !s.startsAt.IsZero() && !r.Time.IsZero() && r.Time.Before(s.startsAt) {
		st.Before++
	} else {
		st.After++
	}
	switch {
	case len(st.Examples) < s.maxExamples:
		st.Examples = append(st.Examples, shortenExample(r.Raw))
	case s.maxExamples > 1:
		// Keep the first entry and the latest one.
		short, cut := shortened(r.Raw)
		st.latest = append(st.latest[:0], short...)
		st.latestCut, st.hasLatest = cut, true
	}
	if source != "" && len(st.Sources) < maxSources && !slices.Contains(st.Sources, source) {
		st.Sources = append(st.Sources, source)
	}
	return c.id
}

// Lines and Records count what was added.
func (s *Summary) Lines() int   { return s.lines }
func (s *Summary) Records() int { return s.records }

// Templates returns the statistics of every template, most frequent first
// (ties by id), with patterns in their final form.
func (s *Summary) Templates() []TemplateStats {
	s.miner.Consolidate()
	out := make([]TemplateStats, 0, len(s.stats))
	for id, st := range s.stats {
		t := st.TemplateStats
		if tm, ok := s.miner.Template(id); ok {
			t.Pattern = tm.Pattern
		}
		t.Examples = slices.Clone(st.examples())
		for i := range t.Examples {
			t.Examples[i] = shortenExample(t.Examples[i])
		}
		t.Sources = slices.Clone(st.Sources)
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b TemplateStats) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Example bounds: a single line keeps its head, a stack trace its first
// lines, which name the failure.
const (
	maxExampleBytes = 400
	maxExampleLines = 8
)

// shortenExample bounds an example without cutting inside a word, so that a
// secret is never left half there (redaction recognises whole tokens only).
// The result never shares memory with the input.
func shortenExample(s string) string {
	short, cut := shortened(s)
	return withCutMark(strings.Clone(short), cut)
}

// withCutMark marks an example that shortened cut.
func withCutMark(s string, cut bool) string {
	if cut {
		return s + " …"
	}
	return s
}

// shortened returns the part of s an example keeps and whether that cut
// anything.
func shortened(s string) (string, bool) {
	cut := false
	if n := strings.Count(s, "\n"); n >= maxExampleLines {
		idx := 0
		for range maxExampleLines {
			idx += strings.IndexByte(s[idx:], '\n') + 1
		}
		s = s[:idx-1]
		cut = true
	}
	if len(s) > maxExampleBytes {
		s = cutAtSpace(s, maxExampleBytes)
		cut = true
	}
	return s, cut
}

// cutAtSpace returns the longest prefix of s of at most n bytes that ends at
// a word boundary.
func cutAtSpace(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := strings.LastIndexAny(s[:n+1], " \t\n")
	if i <= 0 {
		return ""
	}
	return strings.TrimRight(s[:i], " \t\n")
}
