package plugin

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// TestWebhookDeliveriesWhileDependenciesFail posts Alertmanager deliveries
// while an evidence source, the model or the history store fails. A
// delivery that is accepted (202) is explained and kept, degraded and
// naming what failed; one that cannot be kept is refused with 503 and
// Retry-After, so Alertmanager delivers it again, and spends nothing.
func TestWebhookDeliveriesWhileDependenciesFail(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	failingModel := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"error":{"message":"internal error","type":"server_error"}}`)
	}))
	t.Cleanup(failingModel.Close)
	ctx := context.Background()
	for _, tc := range []struct {
		name, jsonData, failed string
	}{
		{"prometheus down", fmt.Sprintf(`{"prometheus":{"url":%q}}`, closed.URL), "prometheus"},
		{"model failing", fmt.Sprintf(`{"provider":"openai","openai":{"baseURL":%q,"model":"gpt-4o-mini"}}`, failingModel.URL+"/v1"), "llm/openai"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.jsonData, map[string]string{"openaiApiKey": "sk-test"})
			status, body, _ := h.call(ctx, RoleEditor, "POST", "webhook/alertmanager", webhookBody(testAlert("HookedWhileFailing")), nil)
			if status != http.StatusAccepted {
				t.Fatalf("delivery: %d %s, want 202", status, body)
			}
			var page historyPage
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				_, body, _ = h.call(ctx, RoleViewer, "GET", "explanations?alertname=HookedWhileFailing", nil, nil)
				if page = decode[historyPage](t, body); page.Total > 0 {
					break
				}
			}
			if page.Total != 1 {
				t.Fatalf("the accepted delivery was not kept: %+v", page)
			}
			if !namesSource(page.Items[0].Degraded, tc.failed) {
				t.Errorf("kept explanation's degraded %+v does not name %s", page.Items[0].Degraded, tc.failed)
			}
		})
	}

	t.Run("history store unavailable", func(t *testing.T) {
		model := newFakeModel(t)
		h := newHarness(t, model.settings(""), map[string]string{"openaiApiKey": "sk-test"})
		// A file where the org's data directory should be: the history cannot be opened.
		if err := os.WriteFile(filepath.Join(h.dir, "org-1"), []byte("not a directory"), 0o600); err != nil {
			t.Fatal(err)
		}
		status, body, hdr := h.call(ctx, RoleEditor, "POST", "webhook/alertmanager", webhookBody(testAlert("HookedWithoutHistory")), nil)
		if status != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" || !strings.Contains(string(body), "history") {
			t.Fatalf("delivery without a history: %d %v %s, want 503 with Retry-After naming the history", status, hdr, body)
		}
		time.Sleep(100 * time.Millisecond)
		if n := model.requests.Load(); n != 0 {
			t.Errorf("a refused delivery made %d model requests", n)
		}
	})
}

func namesSource(degraded []incident.Degraded, source string) bool {
	for _, d := range incident.Failures(degraded) {
		if d.Source == source {
			return true
		}
	}
	return false
}
