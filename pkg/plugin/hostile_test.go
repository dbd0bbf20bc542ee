package plugin

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// TestRoutesRefuseHostileBodies sends what no browser would through the
// SDK's CallResource: 10 MB bodies, 100k nested arrays, invalid UTF-8. Each
// is refused in the error envelope with a status and message that say why.
func TestRoutesRefuseHostileBodies(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	_, seeded, _ := h.call(context.Background(), RoleViewer, "POST", "explain", testAlert("Seed"), nil)
	id := decode[incident.Explanation](t, seeded).ID
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	tenMB := strings.Repeat("x", 10<<20)
	cases := []struct {
		name, path, body string
		status           int
		says             string
	}{
		{"10 MB alert", "explain", `{"labels":{"alertname":"` + tenMB + `"}}`, http.StatusRequestEntityTooLarge, "larger than"},
		{"10 MB single log line", "summarize", `{"logs":"2026-11-20T10:00:00Z ERROR ` + tenMB + `"}`, http.StatusRequestEntityTooLarge, "larger than"},
		{"100k nested arrays as the alert", "explain", deep, http.StatusBadRequest, "invalid json"},
		{"100k nested arrays as the logs", "summarize", `{"logs":` + deep + `}`, http.StatusBadRequest, "logs"},
		{"100k nested arrays as feedback", "explanations/" + id + "/feedback", deep, http.StatusBadRequest, "not json"},
	}
	for _, c := range cases {
		status, body, _ := h.call(context.Background(), RoleViewer, "POST", c.path, c.body, nil)
		e := decode[envelope](t, body)
		if status != c.status || e.Error.Status != status || !strings.Contains(strings.ToLower(e.Error.Message), c.says) {
			t.Errorf("%s: %d %s, want %d saying %q", c.name, status, clip(string(body), 300), c.status, c.says)
		}
	}
}
