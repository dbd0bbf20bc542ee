package logs

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/tokens"
)

// SelectOptions tune Select.
type SelectOptions struct {
	// StartsAt splits the novelty baseline (before) from the incident (after).
	StartsAt time.Time
	// TokenBudget bounds all selected templates together (default 1500).
	TokenBudget int
	// MaxExamples is the number of example entries per template (default 2).
	MaxExamples int
	// TailLines is how many last lines to keep before each termination
	// (default 5).
	TailLines int
	// Terminated lists current streams ("namespace/pod/container") whose
	// container has ended; previous-run streams always count as terminated.
	Terminated []string
}

// Defaults of SelectOptions.
const (
	DefaultTokenBudget = 1500
	DefaultMaxExamples = 2
	DefaultTailLines   = 5
)

// templateOverhead approximates the tokens a prompt spends on a template's
// metadata (id, level, count, times, sources) besides its texts.
const templateOverhead = 24

// minimalPatternTokens bounds the pattern of a template kept without
// examples because the budget is tight.
const minimalPatternTokens = 48

// Select mines the streams and returns the templates that matter most for an
// incident within a token budget, most important first: severity (fatal,
// panic, error, warn), novelty (present after StartsAt, absent before it),
// burstiness and count rank them; every template of error level or worse is
// represented (without examples, or merged into one entry, if the budget is
// tight); for each terminated container the last lines before it ended come
// first, as Tail templates.
func Select(streams []incident.LogStream, opt SelectOptions) []incident.LogTemplate {
	if opt.TokenBudget <= 0 {
		opt.TokenBudget = DefaultTokenBudget
	}
	if opt.MaxExamples <= 0 {
		opt.MaxExamples = DefaultMaxExamples
	}
	if opt.TailLines <= 0 {
		opt.TailLines = DefaultTailLines
	}
	sum := NewSummary(SummaryOptions{MaxExamples: opt.MaxExamples, StartsAt: opt.StartsAt})
	var tails []incident.LogTemplate
	var first, last time.Time
	baseline := false
	for _, st := range streams {
		src := st.Namespace + "/" + st.Pod + "/" + st.Container
		p := NewParser()
		add := func(recs []Record) {
			for _, r := range recs {
				sum.Add(r, src)
				if !r.Time.IsZero() {
					if first.IsZero() || r.Time.Before(first) {
						first = r.Time
					}
					if r.Time.After(last) {
						last = r.Time
					}
					if !opt.StartsAt.IsZero() && r.Time.Before(opt.StartsAt) {
						baseline = true
					}
				}
			}
		}
		for _, l := range st.Lines {
			add(p.AddLine(l))
		}
		add(p.Flush())
		if st.Previous || slices.Contains(opt.Terminated, src) {
			if t, ok := tailTemplate(st, src, opt.TailLines); ok {
				tails = append(tails, t)
			}
		}
	}
	r := ranker{opt: opt, first: first, last: last, baseline: baseline}
	return r.choose(sum.Templates(), tails)
}

type ranker struct {
	opt         SelectOptions
	first, last time.Time
	baseline    bool
}

type candidate struct {
	stats TemplateStats
	score float64
	novel bool
}

func severityWeight(level string) float64 {
	switch level {
	case LevelFatal, LevelPanic:
		return 100
	case LevelError:
		return 60
	case LevelWarn:
		return 25
	case LevelDebug:
		return 1
	}
	return 5
}

func isErrorLevel(level string) bool { return SeverityRank(level) >= SeverityRank(LevelError) }

func (r ranker) score(st TemplateStats) candidate {
	c := candidate{stats: st}
	c.score = severityWeight(st.Level) + 5*math.Log2(1+float64(st.Count))
	if r.opt.StartsAt.IsZero() || !r.baseline {
		return c
	}
	if st.Before == 0 && st.After > 0 {
		c.novel = true
		c.score += 40
	}
	before := r.opt.StartsAt.Sub(r.first).Seconds()
	after := r.last.Sub(r.opt.StartsAt).Seconds()
	if before > 0 && after > 0 {
		const eps = 1e-3
		ratio := (float64(st.After)/after + eps) / (float64(st.Before)/before + eps)
		c.score += 10 * math.Log2(min(max(ratio, 1), 1024))
	}
	return c
}

// choose fills the budget: tails, then every error template in a minimal
// form, then examples for those, then the other templates.
func (r ranker) choose(stats []TemplateStats, tails []incident.LogTemplate) []incident.LogTemplate {
	budget := r.opt.TokenBudget
	used := 0
	var out []incident.LogTemplate
	for _, t := range tails {
		used += cost(t)
		out = append(out, t)
	}
	cands := make([]candidate, len(stats))
	for i, st := range stats {
		cands[i] = r.score(st)
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(a.stats.ID, b.stats.ID)
	})

	chosen := make([]incident.LogTemplate, 0, len(cands))
	var overflow []candidate
	for _, c := range cands {
		if !isErrorLevel(c.stats.Level) {
			continue
		}
		t := minimal(c)
		if used+cost(t) > budget {
			overflow = append(overflow, c)
			continue
		}
		used += cost(t)
		chosen = append(chosen, t)
	}
	if len(overflow) > 0 {
		merged := mergeErrors(overflow)
		used += cost(merged)
		chosen = append(chosen, merged)
	}
	// Examples for the errors, in rank order, one round at a time so that
	// every error gets its first example before any gets a second.
	byID := make(map[string]candidate, len(cands))
	for _, c := range cands {
		byID[c.stats.ID] = c
	}
	for round := 0; round < r.opt.MaxExamples; round++ {
		for i := range chosen {
			c, ok := byID[chosen[i].TemplateID]
			if !ok || round >= len(c.stats.Examples) || len(chosen[i].Examples) != round {
				continue
			}
			ex := c.stats.Examples[round]
			if used+tokens.Count(ex)+1 > budget {
				continue
			}
			used += tokens.Count(ex) + 1
			chosen[i].Examples = append(chosen[i].Examples, ex)
			if round == 0 && chosen[i].Pattern != c.stats.Pattern && used+tokens.Count(c.stats.Pattern)-tokens.Count(chosen[i].Pattern) <= budget {
				used += tokens.Count(c.stats.Pattern) - tokens.Count(chosen[i].Pattern)
				chosen[i].Pattern = c.stats.Pattern
			}
		}
	}
	for _, c := range cands {
		if isErrorLevel(c.stats.Level) {
			continue
		}
		t := full(c, 1)
		if used+cost(t) > budget {
			t = minimal(c)
			if used+cost(t) > budget {
				continue
			}
		}
		used += cost(t)
		chosen = append(chosen, t)
	}
	slices.SortStableFunc(chosen, func(a, b incident.LogTemplate) int {
		return cmp.Compare(rankOf(byID, b), rankOf(byID, a))
	})
	return append(out, chosen...)
}

func rankOf(byID map[string]candidate, t incident.LogTemplate) float64 {
	if c, ok := byID[t.TemplateID]; ok {
		return c.score
	}
	return severityWeight(t.Level) // merged errors
}

func cost(t incident.LogTemplate) int {
	n := templateOverhead + tokens.Count(t.Pattern)
	for _, e := range t.Examples {
		n += tokens.Count(e) + 1
	}
	return n
}

func base(c candidate) incident.LogTemplate {
	st := c.stats
	return incident.LogTemplate{TemplateID: st.ID, Pattern: st.Pattern, Level: st.Level, Count: st.Count,
		FirstSeen: st.FirstSeen, LastSeen: st.LastSeen, Sources: st.Sources, Novel: c.novel}
}

func minimal(c candidate) incident.LogTemplate {
	t := base(c)
	t.Pattern = truncateWords(t.Pattern, minimalPatternTokens)
	return t
}

func full(c candidate, examples int) incident.LogTemplate {
	t := base(c)
	t.Examples = slices.Clone(c.stats.Examples[:min(examples, len(c.stats.Examples))])
	return t
}

// mergeErrors folds the error templates that did not fit into one entry, so
// that the reader still learns they exist.
func mergeErrors(cs []candidate) incident.LogTemplate {
	t := incident.LogTemplate{TemplateID: "merged-errors", Level: LevelError}
	var parts []string
	for _, c := range cs {
		st := c.stats
		t.Count += st.Count
		if SeverityRank(st.Level) > SeverityRank(t.Level) {
			t.Level = st.Level
		}
		if !st.FirstSeen.IsZero() && (t.FirstSeen.IsZero() || st.FirstSeen.Before(t.FirstSeen)) {
			t.FirstSeen = st.FirstSeen
		}
		if st.LastSeen.After(t.LastSeen) {
			t.LastSeen = st.LastSeen
		}
		for _, s := range st.Sources {
			if len(t.Sources) < maxSources && !slices.Contains(t.Sources, s) {
				t.Sources = append(t.Sources, s)
			}
		}
		if len(parts) < 8 {
			parts = append(parts, truncateWords(st.Pattern, 12))
		}
	}
	t.Pattern = strconv.Itoa(len(cs)) + " more error templates, e.g. " + strings.Join(parts, " | ")
	return t
}

// truncateWords cuts s to at most max tokens at a word boundary.
func truncateWords(s string, max int) string {
	if tokens.Count(s) <= max {
		return s
	}
	cut := tokens.Truncate(s, max)
	if i := strings.LastIndexAny(cut, " \t\n"); i > 0 && len(cut) < len(s) && s[len(cut)] != ' ' {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \t\n") + " …"
}

// tailTemplate renders the last lines of a terminated container run.
func tailTemplate(st incident.LogStream, src string, n int) (incident.LogTemplate, bool) {
	lines := st.Lines
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1].Text) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return incident.LogTemplate{}, false
	}
	lines = lines[max(0, len(lines)-n):]
	t := incident.LogTemplate{TemplateID: "tail:" + src, Pattern: "last lines before termination of " + src,
		Count: len(lines), Sources: []string{src}, Tail: true}
	for _, l := range lines {
		tm, text := l.Time, l.Text
		if tm.IsZero() {
			tm, text = splitKubeletTime(text)
		} else {
			_, text = splitKubeletTime(text)
		}
		if !tm.IsZero() {
			if t.FirstSeen.IsZero() {
				t.FirstSeen = tm
			}
			t.LastSeen = tm
		}
		var r Record
		parseEntry(&r, text)
		if moreSevere(r.Level, t.Level) {
			t.Level = r.Level
		}
		t.Examples = append(t.Examples, shortenExample(text))
	}
	return t, true
}
