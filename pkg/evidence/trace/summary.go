package trace

import (
	"cmp"
	"slices"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Summary bounds and thresholds.
const (
	// maxExamples is how many trace ids a group cites.
	maxExamples = 3
	// slowFactor is how much slower than its baseline p95 an operation's p95
	// must be to count as slow; minSlowdown the least absolute difference.
	slowFactor  = 2.0
	minSlowdown = 50 * time.Millisecond
)

// Windows are the traces a summary reads.
type Windows struct {
	// Problem are traces of the alert's window with errors or slow spans.
	Problem []Trace
	// Window and Baseline are unfiltered traces of the alert's window and
	// of the window before it.
	Window   []Trace
	Baseline []Trace
}

// Summarize turns the traces into evidence groups: error spans, slow
// operations, and where errors and latency originate. slow is the duration
// from which an operation without a baseline counts as slow; maxGroups
// bounds each kind. The order is deterministic.
func Summarize(source string, w Windows, slow time.Duration, maxGroups int) []incident.TraceGroup {
	current := union(w.Problem, w.Window)
	var out []incident.TraceGroup
	out = append(out, top(errorGroups(source, current), maxGroups)...)
	window := w.Window
	if len(window) == 0 {
		window = w.Problem
	}
	latency := latencyGroups(source, window, w.Baseline, slow)
	out = append(out, top(latency, maxGroups)...)
	out = append(out, top(errorOrigins(source, current), maxGroups)...)
	out = append(out, top(latencyOrigins(source, current, w.Baseline, slow), maxGroups)...)
	return out
}

func union(a, b []Trace) []Trace {
	seen := map[string]bool{}
	var out []Trace
	for _, t := range slices.Concat(a, b) {
		if !seen[t.ID] {
			seen[t.ID] = true
			out = append(out, t)
		}
	}
	return out
}

// top sorts groups most traces first (then by name for stable output) and
// keeps n.
func top(gs []incident.TraceGroup, n int) []incident.TraceGroup {
	slices.SortStableFunc(gs, func(a, b incident.TraceGroup) int {
		return cmp.Or(cmp.Compare(b.Traces, a.Traces), cmp.Compare(b.Count, a.Count), cmp.Compare(b.P95, a.P95),
			cmp.Compare(a.Service, b.Service), cmp.Compare(a.Operation, b.Operation), cmp.Compare(a.Peer, b.Peer), cmp.Compare(a.Status, b.Status))
	})
	if len(gs) > n {
		gs = gs[:n]
	}
	return gs
}

// groupKey is what makes groups distinct.
type groupKey struct{ kind, source, service, operation, status, peer, caller string }

func keyOf(g incident.TraceGroup) groupKey {
	return groupKey{g.Kind, g.Source, g.Service, g.Operation, g.Status, g.Peer, g.Caller}
}

// grouper accumulates groups by key, counting distinct traces.
type grouper struct {
	byKey  map[groupKey]*incident.TraceGroup
	traces map[groupKey]map[string]bool
	order  []groupKey
}

func newGrouper() *grouper {
	return &grouper{byKey: map[groupKey]*incident.TraceGroup{}, traces: map[groupKey]map[string]bool{}}
}

// add counts span s in the group that proto describes.
func (g *grouper) add(proto incident.TraceGroup, s Span) *incident.TraceGroup {
	key := keyOf(proto)
	cur := g.byKey[key]
	if cur == nil {
		cur = &proto
		g.byKey[key] = cur
		g.traces[key] = map[string]bool{}
		g.order = append(g.order, key)
	}
	cur.Count++
	if !g.traces[key][s.TraceID] {
		g.traces[key][s.TraceID] = true
		cur.Traces++
		if len(cur.TraceIDs) < maxExamples {
			cur.TraceIDs = append(cur.TraceIDs, s.TraceID)
		}
	}
	if !s.Start.IsZero() {
		if cur.FirstSeen.IsZero() || s.Start.Before(cur.FirstSeen) {
			cur.FirstSeen = s.Start
		}
		if end := s.Start.Add(s.Duration); end.After(cur.LastSeen) {
			cur.LastSeen = end
		}
	}
	return cur
}

func (g *grouper) groups() []incident.TraceGroup {
	out := make([]incident.TraceGroup, 0, len(g.order))
	for _, k := range g.order {
		out = append(out, *g.byKey[k])
	}
	return out
}

func errorGroups(source string, traces []Trace) []incident.TraceGroup {
	g := newGrouper()
	for _, t := range traces {
		for _, s := range t.Spans {
			if s.Error {
				g.add(incident.TraceGroup{Kind: incident.TraceErrors, Source: source, Service: s.Service, Operation: s.Name, Status: s.Status}, s)
			}
		}
	}
	return g.groups()
}

type opKey struct{ service, name string }

func durations(traces []Trace) map[opKey][]time.Duration {
	out := map[opKey][]time.Duration{}
	for _, t := range traces {
		for _, s := range t.Spans {
			k := opKey{s.Service, s.Name}
			out[k] = append(out[k], s.Duration)
		}
	}
	return out
}

// latencyGroups are operations whose p95 in the window is well above the
// baseline's, or above slow when the baseline never saw them.
func latencyGroups(source string, window, baseline []Trace, slow time.Duration) []incident.TraceGroup {
	cur, before := durations(window), durations(baseline)
	var out []incident.TraceGroup
	for k, ds := range cur {
		p50, p95 := quantile(ds, 0.5), quantile(ds, 0.95)
		g := incident.TraceGroup{Kind: incident.TraceLatency, Source: source, Service: k.service, Operation: k.name,
			Count: len(ds), Traces: len(ds), P50: p50, P95: p95}
		if b := before[k]; len(b) > 0 {
			g.BaselineP50, g.BaselineP95 = quantile(b, 0.5), quantile(b, 0.95)
			if float64(p95) < slowFactor*float64(g.BaselineP95) || p95-g.BaselineP95 < minSlowdown {
				continue
			}
		} else if p95 < slow {
			continue
		}
		out = append(out, g)
	}
	// Map order is random: sort before top's stable sort sees ties.
	slices.SortFunc(out, func(a, b incident.TraceGroup) int {
		return cmp.Or(cmp.Compare(a.Service, b.Service), cmp.Compare(a.Operation, b.Operation))
	})
	return out
}

// quantile is the nearest-rank quantile.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// tree indexes a trace's spans by id and by parent.
type tree struct {
	byID     map[string]*Span
	children map[string][]*Span
}

func index(t Trace) tree {
	tr := tree{byID: map[string]*Span{}, children: map[string][]*Span{}}
	for i := range t.Spans {
		tr.byID[t.Spans[i].SpanID] = &t.Spans[i]
	}
	for i := range t.Spans {
		s := &t.Spans[i]
		if _, ok := tr.byID[s.ParentID]; ok && s.ParentID != s.SpanID {
			tr.children[s.ParentID] = append(tr.children[s.ParentID], s)
		}
	}
	return tr
}

// depth counts ancestors, bounded so a malformed cycle cannot loop.
func (tr tree) depth(s *Span) int {
	d := 0
	for p := tr.byID[s.ParentID]; p != nil && d < len(tr.byID); p = tr.byID[p.ParentID] {
		d++
	}
	return d
}

// caller is the nearest ancestor's service other than service.
func (tr tree) caller(s *Span, service string) string {
	for p, n := tr.byID[s.ParentID], 0; p != nil && n < len(tr.byID); p, n = tr.byID[p.ParentID], n+1 {
		if p.Service != service {
			return p.Service
		}
	}
	return ""
}

// errorOrigins finds, per error trace, the deepest failing span. A failing
// client call answered by another service's span blames that service; one
// that nothing answered blames the peer it called.
func errorOrigins(source string, traces []Trace) []incident.TraceGroup {
	g := newGrouper()
	for _, t := range traces {
		tr := index(t)
		var deepest *Span
		best := -1
		for i := range t.Spans {
			s := &t.Spans[i]
			if !s.Error {
				continue
			}
			if d := tr.depth(s); d > best || (d == best && s.Start.Before(deepest.Start)) {
				deepest, best = s, d
			}
		}
		if deepest == nil {
			continue
		}
		key := incident.TraceGroup{Kind: incident.TraceErrorOrigin, Source: source, Service: deepest.Service,
			Operation: deepest.Name, Status: deepest.Status}
		if deepest.Kind == "client" || deepest.Kind == "producer" {
			callee := answeringSpan(tr, deepest)
			switch {
			case callee != nil:
				key.Service, key.Operation = callee.Service, callee.Name
				key.Caller = deepest.Service
			case deepest.Peer != "":
				key.Peer, key.Caller = deepest.Peer, deepest.Service
			}
		}
		if key.Caller == "" {
			key.Caller = tr.caller(deepest, key.Service)
		}
		g.add(key, *deepest)
	}
	return g.groups()
}

// answeringSpan is the first child of a client span in another service.
func answeringSpan(tr tree, client *Span) *Span {
	for _, c := range tr.children[client.SpanID] {
		if c.Service != client.Service {
			return c
		}
	}
	return nil
}

// latencyOrigins finds, in each slow trace, the span that spends the most
// time itself (its duration less its children's): where the wait is.
func latencyOrigins(source string, traces, baseline []Trace, slow time.Duration) []incident.TraceGroup {
	threshold := slow
	if len(baseline) > 0 {
		var ds []time.Duration
		for _, t := range baseline {
			ds = append(ds, span(t))
		}
		threshold = min(threshold, max(time.Duration(slowFactor*float64(quantile(ds, 0.95))), minSlowdown))
	}
	g := newGrouper()
	selfTimes := map[groupKey][]time.Duration{}
	for _, t := range traces {
		if span(t) < threshold {
			continue
		}
		tr := index(t)
		var worst *Span
		var worstSelf time.Duration = -1
		for i := range t.Spans {
			s := &t.Spans[i]
			self := s.Duration
			for _, c := range tr.children[s.SpanID] {
				self -= c.Duration
			}
			// A caller that gave up before its callee finished waited for
			// it: that time is the callee's.
			self = max(self, 0)
			if self > worstSelf || (self == worstSelf && tr.depth(s) > tr.depth(worst)) {
				worst, worstSelf = s, self
			}
		}
		if worst == nil {
			continue
		}
		key := incident.TraceGroup{Kind: incident.TraceLatencyOrigin, Source: source, Service: worst.Service,
			Operation: worst.Name, Caller: tr.caller(worst, worst.Service)}
		if (worst.Kind == "client" || worst.Kind == "producer") && worst.Peer != "" && answeringSpan(tr, worst) == nil {
			key.Peer = worst.Peer
			key.Caller = worst.Service
		}
		g.add(key, *worst)
		selfTimes[keyOf(key)] = append(selfTimes[keyOf(key)], worst.Duration)
	}
	out := g.groups()
	for i := range out {
		ds := selfTimes[keyOf(out[i])]
		out[i].P50, out[i].P95 = quantile(ds, 0.5), quantile(ds, 0.95)
	}
	return out
}

// span is a trace's extent from its first start to its last end.
func span(t Trace) time.Duration {
	var first, last time.Time
	for _, s := range t.Spans {
		if first.IsZero() || s.Start.Before(first) {
			first = s.Start
		}
		if e := s.Start.Add(s.Duration); e.After(last) {
			last = e
		}
	}
	return last.Sub(first)
}
