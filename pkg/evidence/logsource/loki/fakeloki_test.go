package loki

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeLoki speaks the part of Loki's HTTP API the source uses: GET
// /loki/api/v1/query_range with a stream selector, start/end in unix
// nanoseconds, limit and direction, answering with Loki's JSON.
type fakeLoki struct {
	t       *testing.T
	streams []fakeStream
	// structuredMetadata adds a third element to each value, as Loki does
	// with the categorize-labels encoding flag.
	structuredMetadata bool
	failWith           int // HTTP status to answer with, 0 for none
	// tenant, when set, is required in X-Scope-OrgID as multi-tenant Loki
	// does ("no org id" otherwise).
	tenant string

	mu      sync.Mutex
	queries []string
	headers []http.Header
}

type fakeStream struct {
	labels  map[string]string
	entries []entry
}

var matcherRE = regexp.MustCompile(`^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*")\s*(?:,|$)`)

// parseSelector parses {name op "value", ...} as Loki does, with Go string
// escapes.
func parseSelector(q string) ([]func(map[string]string) bool, error) {
	q = strings.TrimSpace(q)
	if !strings.HasPrefix(q, "{") || !strings.HasSuffix(q, "}") {
		return nil, fmt.Errorf("parse error: want a stream selector, got %q", q)
	}
	body := q[1 : len(q)-1]
	var out []func(map[string]string) bool
	for strings.TrimSpace(body) != "" {
		m := matcherRE.FindStringSubmatch(body)
		if m == nil {
			return nil, fmt.Errorf("parse error at %q", body)
		}
		body = body[len(m[0]):]
		name, op := m[1], m[2]
		value, err := strconv.Unquote(m[3])
		if err != nil {
			return nil, fmt.Errorf("parse error: %w", err)
		}
		var re *regexp.Regexp
		if op == "=~" || op == "!~" {
			if re, err = regexp.Compile("^(?:" + value + ")$"); err != nil {
				return nil, fmt.Errorf("parse error: %w", err)
			}
		}
		out = append(out, func(l map[string]string) bool {
			switch op {
			case "=":
				return l[name] == value
			case "!=":
				return l[name] != value
			case "=~":
				return re.MatchString(l[name])
			}
			return !re.MatchString(l[name])
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("parse error: queries require at least one matcher")
	}
	return out, nil
}

func (f *fakeLoki) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.Query().Get("query"))
	f.headers = append(f.headers, r.Header.Clone())
	f.mu.Unlock()
	if f.tenant != "" && r.Header.Get("X-Scope-OrgID") != f.tenant {
		http.Error(w, "no org id", http.StatusUnauthorized)
		return
	}
	if f.failWith != 0 {
		http.Error(w, "too many outstanding requests", f.failWith)
		return
	}
	switch r.URL.Path {
	case "/loki/api/v1/labels":
		f.labels(w)
		return
	case "/loki/api/v1/query_range":
	default:
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	matchers, err := parseSelector(q.Get("query"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	start, err1 := strconv.ParseInt(q.Get("start"), 10, 64)
	end, err2 := strconv.ParseInt(q.Get("end"), 10, 64)
	limit, err3 := strconv.Atoi(q.Get("limit"))
	if err1 != nil || err2 != nil || err3 != nil || q.Get("direction") != "backward" {
		http.Error(w, "bad start/end/limit/direction", http.StatusBadRequest)
		return
	}
	type hit struct {
		stream int
		e      entry
	}
	var hits []hit
	for i, s := range f.streams {
		ok := true
		for _, m := range matchers {
			ok = ok && m(s.labels)
		}
		if !ok {
			continue
		}
		for _, e := range s.entries {
			if ns := e.t.UnixNano(); ns >= start && ns < end {
				hits = append(hits, hit{i, e})
			}
		}
	}
	// Backward: the newest entries across all streams, up to the limit.
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].e.t.After(hits[b].e.t) })
	if len(hits) > limit {
		hits = hits[:limit]
	}
	type result struct {
		Stream map[string]string `json:"stream"`
		Values [][]any           `json:"values"`
	}
	byStream := map[int]*result{}
	var order []int
	for _, h := range hits {
		res, ok := byStream[h.stream]
		if !ok {
			res = &result{Stream: f.streams[h.stream].labels}
			byStream[h.stream] = res
			order = append(order, h.stream)
		}
		v := []any{strconv.FormatInt(h.e.t.UnixNano(), 10), h.e.line}
		if f.structuredMetadata {
			v = append(v, map[string]any{"structuredMetadata": map[string]string{"trace_id": "abc"}})
		}
		res.Values = append(res.Values, v)
	}
	results := []result{}
	for _, i := range order {
		results = append(results, *byStream[i])
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"status": "success",
		"data": map[string]any{
			"resultType": "streams",
			"result":     results,
			"stats":      map[string]any{"summary": map[string]any{"totalEntriesReturned": len(hits)}},
		},
	})
}

// labels answers the label names of every stream, as Loki's labels API.
func (f *fakeLoki) labels(w http.ResponseWriter) {
	names := map[string]bool{}
	for _, s := range f.streams {
		for k := range s.labels {
			names[k] = true
		}
	}
	data := []string{}
	for k := range names {
		data = append(data, k)
	}
	sort.Strings(data)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": data})
}

// lines makes n entries 10s apart from start, "<prefix> i".
func lines(start time.Time, n int, prefix string) []entry {
	out := make([]entry, n)
	for i := range out {
		out[i] = entry{t: start.Add(time.Duration(i) * 10 * time.Second), line: fmt.Sprintf("%s %d", prefix, i)}
	}
	return out
}

func basicAuth(header string) (user, pass string, ok bool) {
	r, _ := http.NewRequest(http.MethodGet, "http://x", nil)
	r.Header.Set("Authorization", header)
	return r.BasicAuth()
}
