package engine

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/scenario/scenariotest"
)

// TestADependencyAndItsVictimAreOneIncident replays a recorded incident
// (storefront-web in namespace web fails because inventory in shop has no
// ready endpoint) through a local Kubernetes API and sends its alert with
// one on inventory and one on an unrelated workload, as an Alertmanager
// group would: the analyzers trace storefront-web to inventory, so the two
// are one incident explained for inventory, with one model call; the third
// is explained apart.
func TestADependencyAndItsVictimAreOneIncident(t *testing.T) {
	s, srv := scenariotest.Serve(t, filepath.Join("..", "..", "testdata", "scenarios", "dependency-downstream-503-storefront"))
	collector, err := kube.New(kube.Config{RESTConfig: srv.RESTConfig()})
	if err != nil {
		t.Fatal(err)
	}
	model := &scriptedModel{}
	e := Open(modelSettings(), Options{
		HistoryPath: filepath.Join(t.TempDir(), "history.db"),
		Sources:     &evidence.Sources{Kube: collector},
		Provider:    model,
		Now:         func() time.Time { return s.Now },
	})
	t.Cleanup(e.Close)

	inventory := incident.Alert{Labels: map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "shop", "deployment": "inventory"},
		Status: "firing", StartsAt: s.Alert.StartsAt}
	unrelated := incident.Alert{Labels: map[string]string{"alertname": "HighLatency", "namespace": "shop", "deployment": "cart"},
		Status: "firing", StartsAt: s.Alert.StartsAt}
	out, err := e.ExplainAll(context.Background(), []incident.Alert{s.Alert, inventory, unrelated}, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("%d incidents, want the storefront and inventory alerts as one and the cart alert apart", len(out))
	}
	// The model is asked once per incident, not once per target.
	if model.calls.Load() != 2 {
		t.Errorf("%d model calls for 3 alerts in 2 incidents", model.calls.Load())
	}
	if out[0].Alert.Name() != inventory.Name() {
		t.Errorf("the incident is explained for %s, want the dependency's alert", out[0].Alert.Name())
	}
	var shares []bool
	for _, m := range out[0].Group.Alerts {
		shares = append(shares, m.SharesCause)
	}
	if len(shares) != 3 || !shares[0] || !shares[1] || shares[2] {
		t.Fatalf("shares-cause marks %v, want storefront and inventory, not cart: %+v", shares, out[0].Group.Alerts)
	}
	if got, want := out[0].Group.Alerts[0].Reason, "the analyzers trace it to Service/shop/inventory, the object KubeDeploymentReplicasMismatch fired on"; got != want {
		t.Errorf("the storefront alert's reason is %q, want %q", got, want)
	}
	if out[1].Group.Alerts[2].ExplanationID != out[1].ID || out[1].Group.Alerts[0].ExplanationID != out[0].ID {
		t.Errorf("the cart incident's group does not point at the right explanations: %+v", out[1].Group.Alerts)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestEachTargetOfAGroupIsCollectedOnce: the group of the dependency
// scenario analyses its three targets and explains two incidents; the
// evidence the analysis collected is what the incidents are explained from,
// so every pod's log is read by one collection only (a second collection of
// the inventory target, the first incident's main alert, read each of its
// pods' logs again). The explanation is the one a single Explain gives.
func TestEachTargetOfAGroupIsCollectedOnce(t *testing.T) {
	s, srv := scenariotest.Serve(t, filepath.Join("..", "..", "testdata", "scenarios", "dependency-downstream-503-storefront"))
	cfg := srv.RESTConfig()
	var mu sync.Mutex
	logReads := map[string]int{}
	cfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.HasSuffix(r.URL.Path, "/log") {
				mu.Lock()
				logReads[r.URL.Path+"?container="+r.URL.Query().Get("container")+"&previous="+r.URL.Query().Get("previous")]++
				mu.Unlock()
			}
			return rt.RoundTrip(r)
		})
	}
	collector, err := kube.New(kube.Config{RESTConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	open := func() *Engine {
		e := Open(modelSettings(), Options{
			HistoryPath: filepath.Join(t.TempDir(), "history.db"),
			Sources:     &evidence.Sources{Kube: collector},
			Provider:    &scriptedModel{},
			Now:         func() time.Time { return s.Now },
		})
		t.Cleanup(e.Close)
		return e
	}
	inventory := incident.Alert{Labels: map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "shop", "deployment": "inventory"},
		Status: "firing", StartsAt: s.Alert.StartsAt}
	unrelated := incident.Alert{Labels: map[string]string{"alertname": "HighLatency", "namespace": "shop", "deployment": "cart"},
		Status: "firing", StartsAt: s.Alert.StartsAt}
	out, err := open().ExplainAll(context.Background(), []incident.Alert{s.Alert, inventory, unrelated}, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Alert.Name() != inventory.Name() {
		t.Fatalf("%d incidents, the first for %s", len(out), out[0].Alert.Name())
	}
	inventoryLogs := 0
	// A pod is read for its own target, and again as a dependency of each
	// other target of the alerts that calls it (the gatherer reads the
	// dependencies' own logs); no read is repeated beyond that.
	alerts := 3
	for path, n := range logReads {
		if n < 1 || n > alerts {
			t.Errorf("%s read %d times, want once per alert at most", path, n)
		}
		if strings.Contains(path, "/pods/inventory-") {
			inventoryLogs++
		}
	}
	if inventoryLogs == 0 {
		t.Fatalf("the inventory pods' logs were never read: %v", logReads)
	}
	if out[0].Timings.CollectMs < 0 || out[0].Timings.TotalMs < out[0].Timings.CollectMs {
		t.Errorf("timings %+v: the handed-over collection's time is not counted", out[0].Timings)
	}

	// The same explanation as the inventory alert explained on its own.
	alone, err := open().Explain(context.Background(), Request{Alert: inventory})
	if err != nil {
		t.Fatal(err)
	}
	if alone.RootCause != out[0].RootCause || alone.Summary != out[0].Summary || len(alone.Evidence) != len(out[0].Evidence) {
		t.Errorf("explained from the analysis's evidence:\n%+v\n%s\nalone:\n%+v\n%s", out[0].RootCause, out[0].Summary, alone.RootCause, alone.Summary)
	}
}
