package plugin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/cloudobs/aiops-app/pkg/store/disktest"
	"github.com/cloudobs/aiops-app/pkg/store/pgtest"
)

// TestPostgresDiskFullRefusesDeliveriesKeepsAnsweringAndResumes fills the
// filesystem under a real PostgreSQL's data directory while the plugin
// holds connections to it. Deliveries are taken until PostgreSQL cannot
// grow a table; from then on they are refused with 503 and Retry-After
// and the refusal is logged with the store's name and the full disk.
// Explanations are still answered (their failed saves logged the same
// way) and the history is still read. Once room is made the same instance
// writes again, without a restart: every delivery answered 202 is
// explained once, and what was committed before the disk filled is there.
func TestPostgresDiskFullRefusesDeliveriesKeepsAnsweringAndResumes(t *testing.T) {
	if !disktest.InOwnNamespace(t) {
		return
	}
	fs, _ := disktest.Small(t, "128m")
	_, dsn := pgtest.OwnOn(t, fs)
	rec := newRecordingLogger()
	saved := backend.Logger
	backend.Logger = rec
	t.Cleanup(func() { backend.Logger = saved })
	model := newFakeModel(t)
	h := newHarness(t, model.settings(""), map[string]string{"openaiApiKey": "sk-test", "storeDSN": dsn})
	ctx := context.Background()
	deliver := func(name string) (int, []byte, http.Header) {
		t.Helper()
		return h.call(ctx, RoleEditor, "POST", "webhook/alertmanager", webhookBody(testAlert(name)), nil)
	}
	explainOffline := func(name string) string {
		t.Helper()
		status, body, _ := h.call(ctx, RoleViewer, "POST", "explain?provider=offline", testAlert(name), nil)
		ex := decode[historyItem](t, body)
		if status != http.StatusOK || ex.Summary == "" {
			t.Fatalf("explain %s: %d %s, want an answer", name, status, body)
		}
		return ex.ID
	}
	kept := func(id string) bool {
		t.Helper()
		status, body, _ := h.call(ctx, RoleViewer, "GET", "explanations/"+id, nil, nil)
		if status != http.StatusOK && status != http.StatusNotFound {
			t.Fatalf("reading %s: %d %s", id, status, body)
		}
		return status == http.StatusOK
	}

	if status, body, _ := deliver("BeforeTheDiskFilled"); status != http.StatusAccepted {
		t.Fatalf("delivery before the disk filled: %d %s", status, body)
	}
	explainedOnce(t, h, "BeforeTheDiskFilled", 30*time.Second)
	before := explainOffline("ExplainedBeforeTheDiskFilled")

	// The workers hold what they take at the model until room is made, so
	// that what is accepted now is explained after, not into a full disk.
	model.block.Store(true)
	free := disktest.Fill(t, fs)
	// PostgreSQL fills the room left in the pages it has before it needs
	// a new one, so the first deliveries may still be committed.
	var accepted []string
	refused := false
	for i := 0; i < 500 && !refused; i++ {
		name := fmt.Sprint("WhileTheDiskIsFull", i)
		status, body, hdr := deliver(name)
		switch {
		case status == http.StatusAccepted:
			accepted = append(accepted, name)
		case status == http.StatusServiceUnavailable && hdr.Get("Retry-After") != "" && strings.Contains(string(body), "history"):
			refused = true
		default:
			t.Fatalf("delivery %s on a full disk: %d %v %s, want 202 or 503 with Retry-After", name, status, hdr, body)
		}
	}
	if !refused {
		t.Fatalf("500 deliveries accepted on a full disk, none refused")
	}
	t.Logf("%d deliveries committed after the filesystem filled, then refused", len(accepted))
	if log := rec.String(); !strings.Contains(log, "Webhook delivery refused") || !strings.Contains(log, "PostgreSQL") || !strings.Contains(log, "No space left on device") {
		t.Errorf("the refusal is not logged with the store and the full disk:\n%s", log)
	}
	var unsaved string
	for i := 0; i < 100 && unsaved == ""; i++ {
		if id := explainOffline(fmt.Sprint("ExplainedWhileFull", i)); !kept(id) {
			unsaved = id
		}
	}
	if unsaved == "" {
		t.Fatal("100 explanations saved on a full disk, none refused")
	}
	if log := rec.String(); !strings.Contains(log, "Saving the explanation failed") || !strings.Contains(log, "No space left on device") {
		t.Errorf("the failed save is not logged with the full disk:\n%s", log)
	}
	if !kept(before) {
		t.Errorf("an explanation committed before the disk filled cannot be read while it is full")
	}
	explainedOnce(t, h, "BeforeTheDiskFilled", time.Second)

	free()
	model.block.Store(false)
	if status, body, _ := deliver("AfterRoomWasMade"); status != http.StatusAccepted {
		t.Fatalf("delivery once room was made: %d %s", status, body)
	}
	if id := explainOffline("ExplainedAfterRoomWasMade"); !kept(id) {
		t.Errorf("an explanation made once room was made was not saved")
	}
	for _, name := range append(accepted, "AfterRoomWasMade") {
		explainedOnce(t, h, name, 60*time.Second)
	}
	if !kept(before) {
		t.Errorf("an explanation committed before the disk filled was lost")
	}
	explainedOnce(t, h, "BeforeTheDiskFilled", time.Second)
}
