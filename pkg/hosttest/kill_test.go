package hosttest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"

	"github.com/cloudobs/aiops-app/pkg/llm/llmtest"
)

// TestAPluginKilledMidDeliveryExplainsItOnceAfterRestart accepts a webhook
// delivery (202) in the built plugin, lets its explanation reach a model
// that does not answer, kills the plugin process (SIGKILL, as an OOM kill
// or a crash would: nothing is drained or given back), and starts it again
// on the same data directory. The dead process's lease on the delivery
// (4 minutes) and its claim on the investigation run out, and the new
// process explains the delivery: once in its log, once in the history,
// with one model request beyond the one the kill cut.
func TestAPluginKilledMidDeliveryExplainsItOnceAfterRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the killed process's 4-minute lease")
	}
	binary := distBinary(t, "", "gpx_aiops")
	t.Setenv("AIOPS_DATA_DIR", t.TempDir())
	const summary = "order-service restarts after its database refuses connections."
	var requests atomic.Int64
	reached := make(chan struct{}, 10)
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if requests.Add(1) == 1 {
			// The first request is held until its plugin dies.
			reached <- struct{}{}
			<-r.Context().Done()
			return
		}
		llmtest.WriteChatStream(w, llmtest.ExplanationJSON(summary))
	}))
	t.Cleanup(model.Close)
	settings := &backend.AppInstanceSettings{
		JSONData:                json.RawMessage(fmt.Sprintf(`{"provider":"openai","openai":{"baseURL":%q,"model":"gpt-4o-mini"}}`, model.URL+"/v1")),
		DecryptedSecureJSONData: map[string]string{"openaiApiKey": "sk-test"}, Updated: time.Unix(1, 0)}
	as := func(role string) *backend.PluginContext {
		return &backend.PluginContext{OrgID: 1, PluginID: appID, AppInstanceSettings: settings, User: &backend.User{Login: "alertmanager", Role: role}}
	}
	webhook := []byte(`{"version":"4","status":"firing","receiver":"aiops","alerts":[{"status":"firing",
		"labels":{"alertname":"KilledMidDelivery","namespace":"shop","pod":"order-7d9c5-x2x1q"},
		"startsAt":"2026-11-20T10:00:00Z","fingerprint":"9c1d2e3f4a5b6c7d"}]}`)

	rpc, _, cmd := startPluginProcess(t, binary, appID)
	res := dispense[grpcplugin.ResourceClient](t, rpc, "resource")
	if code, body := callResource(t, res, backend.ToProto().PluginContext(*as("Editor")), "POST", "webhook/alertmanager", webhook); code != 202 {
		t.Fatalf("webhook: %d %s", code, body)
	}
	select {
	case <-reached:
	case <-time.After(time.Minute):
		t.Fatal("the accepted delivery never reached the model")
	}
	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// go-plugin waits for (and reaps) its process; the test only watches
	// the process go, since a second Wait on the same Cmd would race it.
	for deadline := time.Now().Add(30 * time.Second); syscall.Kill(cmd.Process.Pid, 0) == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the killed plugin process is still there after 30 s")
		}
	}

	rpc, logs, _ := startPluginProcess(t, binary, appID)
	res = dispense[grpcplugin.ResourceClient](t, rpc, "resource")
	viewer := backend.ToProto().PluginContext(*as("Viewer"))
	total := func() (int, string) {
		t.Helper()
		code, body := callResource(t, res, viewer, "GET", "explanations?alertname=KilledMidDelivery", nil)
		var page struct {
			Total int `json:"total"`
			Items []struct {
				Summary string `json:"summary"`
				User    string `json:"user"`
			} `json:"items"`
		}
		if code != 200 || json.Unmarshal(body, &page) != nil {
			t.Fatalf("history: %d %s", code, body)
		}
		if page.Total > 0 && (page.Items[0].Summary != summary || page.Items[0].User != "webhook") {
			t.Errorf("explained as %s, want the webhook's with the model's summary", body)
		}
		return page.Total, string(body)
	}
	// Any first call makes the instance, whose workers then poll the queue.
	for deadline := time.Now().Add(6 * time.Minute); ; time.Sleep(time.Second) {
		if n, _ := total(); n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the delivery accepted before the kill was not explained after the restart:\n%s", logs.String())
		}
	}
	// A second explanation would come within a worker's poll (10 s).
	time.Sleep(12 * time.Second)
	if n, body := total(); n != 1 {
		t.Errorf("history holds %d explanations of the delivery, want 1: %s", n, body)
	}
	if n := strings.Count(logs.String(), "Explained webhook alert"); n != 1 {
		t.Errorf("the restarted plugin explained the delivery %d times, want once", n)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("%d model requests, want 2 (the one the kill cut and the retried one)", n)
	}
}
