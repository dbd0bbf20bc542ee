package plugin

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/store/pgtest"
)

// modelSummary is what newFakeModel answers.
const modelSummary = "order-service restarts after its database refuses connections."

// restartedInstance accepts a delivery in one app instance whose model
// never answers, disposes of that instance while its worker waits on the
// model (the process stops without draining the queue), and returns a new
// instance on the same store, whose model now answers.
func restartedInstance(t *testing.T, secure map[string]string, alertname string) (*harness, *fakeModel) {
	t.Helper()
	model := newFakeModel(t)
	model.block.Store(true)
	first := newHarness(t, model.settings(""), secure)
	status, body, _ := first.call(context.Background(), RoleEditor, "POST", "webhook/alertmanager", webhookBody(testAlert(alertname)), nil)
	if got := decode[webhookResponse](t, body); status != http.StatusAccepted || got.Queued != 1 {
		t.Fatalf("delivery: %d %s", status, body)
	}
	select {
	case <-model.started:
	case <-time.After(20 * time.Second):
		t.Fatal("the accepted delivery never reached the model")
	}
	first.app().Dispose()
	model.block.Store(false)
	second := newHarness(t, model.settings(""), secure)
	// The same data directory: the SQLite file is the first instance's.
	t.Setenv(config.EnvDir, first.dir)
	second.dir = first.dir
	return second, model
}

// explainedOnce waits for the history of h to hold alertname's explanation
// and checks that it is there once, the model's, made by the webhook.
func explainedOnce(t *testing.T, h *harness, alertname string, within time.Duration) {
	t.Helper()
	var page historyPage
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		_, body, _ := h.call(context.Background(), RoleViewer, "GET", "explanations?alertname="+alertname, nil, nil)
		if page = decode[historyPage](t, body); page.Total > 0 {
			break
		}
	}
	// A second, wrong explanation would come within the same poll round.
	time.Sleep(500 * time.Millisecond)
	_, body, _ := h.call(context.Background(), RoleViewer, "GET", "explanations?alertname="+alertname, nil, nil)
	page = decode[historyPage](t, body)
	if page.Total != 1 {
		t.Fatalf("history holds %d explanations of the resumed delivery, want 1: %s", page.Total, body)
	}
	if it := page.Items[0]; it.User != webhookUser || it.Summary != modelSummary {
		t.Errorf("resumed explanation by %q: %q, want the webhook's with the model's summary", it.User, it.Summary)
	}
}

// TestWebhookDeliveryAcceptedBeforeARestartIsExplainedOnce: a delivery
// answered 202 is committed, so an instance stopped before explaining it
// does not lose it; the next instance on the same store explains it once.
func TestWebhookDeliveryAcceptedBeforeARestartIsExplainedOnce(t *testing.T) {
	for _, b := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(*testing.T) string { return "" }},
		{"postgres", func(t *testing.T) string { _, dsn := pgtest.Own(t); return dsn }},
	} {
		t.Run(b.name, func(t *testing.T) {
			secure := map[string]string{"openaiApiKey": "sk-test"}
			if dsn := b.dsn(t); dsn != "" {
				secure["storeDSN"] = dsn
			}
			h, model := restartedInstance(t, secure, "Restarted")
			h.app() // the new instance resumes what waits without a new delivery
			explainedOnce(t, h, "Restarted", 30*time.Second)
			if n := model.requests.Load(); n != 2 {
				t.Errorf("%d model requests, want 2 (the interrupted one and the resumed one)", n)
			}
		})
	}
}

// TestWebhookRefusedWhileTheStoreIsDownLosesNothingCommitted: with the
// PostgreSQL store down a delivery is refused with 503 and Retry-After,
// and the delivery committed before the outage is explained once the
// server is back.
func TestWebhookRefusedWhileTheStoreIsDownLosesNothingCommitted(t *testing.T) {
	srv, dsn := pgtest.Own(t)
	secure := map[string]string{"openaiApiKey": "sk-test", "storeDSN": dsn}
	h, _ := restartedInstance(t, secure, "CommittedBeforeTheOutage")
	srv.Kill()
	status, body, hdr := h.call(context.Background(), RoleEditor, "POST", "webhook/alertmanager", webhookBody(testAlert("DuringTheOutage")), nil)
	if status != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" || !strings.Contains(string(body), "history") {
		t.Fatalf("delivery while the store is down: %d %v %s, want 503 with Retry-After", status, hdr, body)
	}
	if err := srv.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The engine retries a failed open after 10 s, the idle workers poll
	// every 10 s.
	explainedOnce(t, h, "CommittedBeforeTheOutage", 60*time.Second)
	_, body, _ = h.call(context.Background(), RoleViewer, "GET", "explanations?alertname=DuringTheOutage", nil, nil)
	if page := decode[historyPage](t, body); page.Total != 0 {
		t.Errorf("the refused delivery was explained: %s", body)
	}
}
