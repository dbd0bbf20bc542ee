package hosttest

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"

	"github.com/cloudobs/aiops-app/pkg/store"
	"github.com/cloudobs/aiops-app/pkg/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestTwoReplicasOnOnePostgresInvestigateAWebhookOnce hosts the built app
// twice, as two Grafana replicas sharing one PostgreSQL store, delivers the
// same Alertmanager webhook to both at once (as Alertmanager does behind a
// load balancer's replicas) and expects one investigation: one explanation
// in either replica's log, the other copy left to it (a duplicate of the
// delivery the shared queue holds, or an investigation already claimed),
// and one explanation in the shared history.
func TestTwoReplicasOnOnePostgresInvestigateAWebhookOnce(t *testing.T) {
	binary := distBinary(t, "", "gpx_aiops")
	dsn := pgtest.NewDatabase(t)
	t.Setenv("AIOPS_DATA_DIR", t.TempDir())
	settings := &backend.AppInstanceSettings{JSONData: json.RawMessage(`{"provider":"offline"}`),
		DecryptedSecureJSONData: map[string]string{"storeDSN": dsn}, Updated: time.Unix(1, 0)}
	editor := backend.ToProto().PluginContext(backend.PluginContext{OrgID: 1, PluginID: appID, AppInstanceSettings: settings,
		User: &backend.User{Login: "alertmanager", Role: "Editor"}})
	type replica struct {
		res  grpcplugin.ResourceClient
		logs *syncBuffer
	}
	replicas := make([]replica, 2)
	for i := range replicas {
		rpc, logs := startPluginWithLogs(t, binary, appID)
		replicas[i] = replica{dispense[grpcplugin.ResourceClient](t, rpc, "resource"), logs}
	}
	webhook := []byte(`{"version":"4","status":"firing","receiver":"aiops","alerts":[{"status":"firing",
		"labels":{"alertname":"KubePodCrashLooping","namespace":"shop","pod":"order-7d9c5-x2x1q"},
		"startsAt":"2026-11-20T10:00:00Z","fingerprint":"3f2a9c0d1e5b7a64"}]}`)
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, body := callResource(t, r.res, editor, "POST", "webhook/alertmanager", webhook); code != 202 {
				t.Errorf("webhook: %d %s", code, body)
			}
		}()
	}
	wg.Wait()
	// The replicas share the queue as well as the history: whichever
	// worker takes the delivery explains it, possibly on the replica that
	// did not receive it. The alert is handled once one replica says it
	// explained it and the other's copy was left to it (a duplicate of the
	// queued delivery, or an investigation the first had claimed).
	const explained = "Explained webhook alert"
	deadline := time.Now().Add(2 * time.Minute)
	for {
		a, b := replicas[0].logs.String(), replicas[1].logs.String()
		n := strings.Count(a, explained) + strings.Count(b, explained)
		if n > 1 {
			t.Fatal("both replicas investigated the same webhook")
		}
		if n == 1 && (leftToTheOther(a) || leftToTheOther(b)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replicas did not both handle the webhook in time")
		}
		time.Sleep(100 * time.Millisecond)
	}
	st, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, total, err := st.List(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || recs[0].Explanation.Alert.Fingerprint != "3f2a9c0d1e5b7a64" {
		t.Fatalf("the shared history holds %d explanations, want the webhook's one", total)
	}
}

// leftToTheOther reports whether a replica's log says it left its copy of
// the alert: the shared queue already held it when the copy came (a
// duplicate), or another replica had claimed its investigation.
func leftToTheOther(log string) bool {
	if strings.Contains(log, "left to the replica that claimed them") {
		return true
	}
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "Webhook received") && strings.Contains(line, " duplicates=1 ") && strings.Contains(line, " queued=0 ") {
			return true
		}
	}
	return false
}
