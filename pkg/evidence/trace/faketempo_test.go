package trace

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTempo answers Tempo's HTTP API (/api/echo, /api/search/tags,
// /api/search, /api/v2/traces/<id>) in the response shapes Tempo documents,
// over the given traces. Tempo itself (AGPL) is never linked or run. It
// evaluates the TraceQL forms this client writes.
type fakeTempo struct {
	t      testing.TB
	traces []Trace
	// fail answers every search with this status when non-zero.
	fail int

	mu       sync.Mutex
	headers  []http.Header
	searches []string
}

var (
	svcRe = regexp.MustCompile(`resource\.service\.name = "([^"]+)"`)
	durRe = regexp.MustCompile(`duration >= (\d+)ms`)
)

func (f *fakeTempo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.headers = append(f.headers, r.Header.Clone())
	f.mu.Unlock()
	switch {
	case r.URL.Path == "/api/echo":
		_, _ = w.Write([]byte("echo"))
	case r.URL.Path == "/api/search/tags":
		_, _ = w.Write([]byte(`{"tagNames":["service.name","http.method"]}`))
	case r.URL.Path == "/api/search":
		if f.fail != 0 {
			http.Error(w, "search failed: ingester unavailable", f.fail)
			return
		}
		f.search(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/v2/traces/"):
		f.byID(w, strings.TrimPrefix(r.URL.Path, "/api/v2/traces/"))
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeTempo) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ql := q.Get("q")
	f.mu.Lock()
	f.searches = append(f.searches, ql)
	f.mu.Unlock()
	start, err1 := strconv.ParseInt(q.Get("start"), 10, 64)
	end, err2 := strconv.ParseInt(q.Get("end"), 10, 64)
	limit, err3 := strconv.Atoi(q.Get("limit"))
	m := svcRe.FindStringSubmatch(ql)
	if err1 != nil || err2 != nil || err3 != nil || m == nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	errorsOnly := strings.Contains(ql, "status = error")
	var minDur time.Duration
	if d := durRe.FindStringSubmatch(ql); d != nil {
		ms, _ := strconv.Atoi(d[1])
		minDur = time.Duration(ms) * time.Millisecond
	}
	type result struct {
		TraceID           string `json:"traceID"`
		RootServiceName   string `json:"rootServiceName"`
		RootTraceName     string `json:"rootTraceName"`
		StartTimeUnixNano string `json:"startTimeUnixNano"`
		DurationMs        int64  `json:"durationMs"`
	}
	res := struct {
		Traces  []result       `json:"traces"`
		Metrics map[string]any `json:"metrics"`
	}{Traces: []result{}, Metrics: map[string]any{"inspectedBytes": "1024", "completedJobs": 1, "totalJobs": 1}}
	for _, tr := range f.traces {
		root := tr.Spans[0]
		if root.Start.Unix() < start || root.Start.Unix() >= end || len(res.Traces) == limit {
			continue
		}
		match := false
		for _, s := range tr.Spans {
			if s.Service != m[1] {
				continue
			}
			filtered := errorsOnly || minDur > 0
			if !filtered || (errorsOnly && s.Error) || (minDur > 0 && s.Duration >= minDur) {
				match = true
			}
		}
		if match {
			// Tempo drops the leading zeros of trace ids in search results.
			res.Traces = append(res.Traces, result{TraceID: strings.TrimLeft(tr.ID, "0"), RootServiceName: root.Service,
				RootTraceName: root.Name, StartTimeUnixNano: strconv.FormatInt(root.Start.UnixNano(), 10), DurationMs: span(tr).Milliseconds()})
		}
	}
	writeJSON(f.t, w, res)
}

func (f *fakeTempo) byID(w http.ResponseWriter, id string) {
	for _, tr := range f.traces {
		if tr.ID == id {
			writeJSON(f.t, w, map[string]any{"trace": map[string]any{"resourceSpans": otlpResourceSpansOf(tr)}})
			return
		}
	}
	http.Error(w, "trace not found", http.StatusNotFound)
}

// otlpResourceSpansOf renders a trace as Tempo does: one resourceSpans per
// service, ids in base64 (protobuf JSON), enums by name, times as strings.
func otlpResourceSpansOf(tr Trace) []map[string]any {
	b64 := func(h string) string {
		if h == "" {
			return ""
		}
		raw, _ := hex.DecodeString(h)
		return base64.StdEncoding.EncodeToString(raw)
	}
	kinds := map[string]string{"server": "SPAN_KIND_SERVER", "client": "SPAN_KIND_CLIENT", "": "SPAN_KIND_INTERNAL"}
	var order []string
	bySvc := map[string][]map[string]any{}
	for _, s := range tr.Spans {
		if _, ok := bySvc[s.Service]; !ok {
			order = append(order, s.Service)
		}
		attrs := []map[string]any{}
		if s.Peer != "" {
			host, port, _ := strings.Cut(s.Peer, ":")
			attrs = append(attrs, map[string]any{"key": "server.address", "value": map[string]any{"stringValue": host}},
				map[string]any{"key": "server.port", "value": map[string]any{"intValue": port}})
		}
		status := map[string]any{}
		if s.Error {
			status = map[string]any{"code": "STATUS_CODE_ERROR", "message": s.Status}
		}
		sp := map[string]any{"traceId": b64(s.TraceID), "spanId": b64(s.SpanID), "name": s.Name, "kind": kinds[s.Kind],
			"startTimeUnixNano": strconv.FormatInt(s.Start.UnixNano(), 10),
			"endTimeUnixNano":   strconv.FormatInt(s.Start.Add(s.Duration).UnixNano(), 10),
			"attributes":        attrs, "status": status}
		if s.ParentID != "" {
			sp["parentSpanId"] = b64(s.ParentID)
		}
		bySvc[s.Service] = append(bySvc[s.Service], sp)
	}
	var out []map[string]any
	for _, svc := range order {
		out = append(out, map[string]any{
			"resource":   map[string]any{"attributes": []map[string]any{{"key": "service.name", "value": map[string]any{"stringValue": svc}}}},
			"scopeSpans": []map[string]any{{"scope": map[string]any{"name": "otelhttp"}, "spans": bySvc[svc]}},
		})
	}
	return out
}

func writeJSON(t testing.TB, w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		t.Errorf("encode: %v", err)
	}
}
