package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// FuzzResources sends arbitrary bodies and query strings to every route as
// a Viewer and as the webhook: nothing may panic, answer 500 or leave the
// error envelope.
func FuzzResources(f *testing.F) {
	f.Add(0, "", []byte(`{"labels":{"alertname":"A","namespace":"shop"},"status":"firing"}`))
	f.Add(1, "", []byte(`{"logs":"2026-11-20T10:00:00Z ERROR x"}`))
	f.Add(2, "alertname=A&since=24h&limit=5&offset=1", []byte(nil))
	f.Add(3, "provider=ollama", []byte(nil))
	f.Add(4, "from=2026-01-01T00:00:00Z&to=1h", []byte(nil))
	f.Add(5, "", []byte(`{"version":"4","alerts":[{"labels":{"alertname":"W"},"status":"firing"}]}`))
	f.Add(6, "", []byte(`{"helpful":true,"comment":"\u0000"}`))
	f.Add(0, "stream=abcdefgh1&provider=%00", []byte(`{"alerts":[]}`))
	h := newHarness(f, `{"webhookQueueSize":2}`, map[string]string{"webhookSecret": "s"})
	routes := []struct{ method, path string }{
		{"POST", "explain"}, {"POST", "summarize"}, {"GET", "explanations"}, {"GET", "models"},
		{"GET", "usage"}, {"POST", "webhook/alertmanager"}, {"POST", "explanations/ex_1/feedback"},
	}
	f.Fuzz(func(t *testing.T, route int, query string, body []byte) {
		if route < 0 {
			route = -route
		}
		rt := routes[route%len(routes)]
		h.t = t
		path := rt.path
		// Grafana hands over URLs it has parsed: re-encode the fuzzed query
		// the way a browser would send it.
		if q, err := url.ParseQuery(query); err == nil && len(q) > 0 {
			path += "?" + q.Encode()
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		status, resp, _ := h.call(ctx, RoleViewer, rt.method, path, body, map[string][]string{webhookSecretHeader: {"s"}})
		if status >= http.StatusInternalServerError && status != http.StatusServiceUnavailable && status != http.StatusBadGateway {
			t.Fatalf("%s %s: %d %s", rt.method, path, status, resp)
		}
		if !json.Valid(resp) {
			t.Fatalf("%s %s: response is not JSON: %q", rt.method, path, resp)
		}
	})
}
