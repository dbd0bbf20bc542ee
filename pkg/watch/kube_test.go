package watch

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/scenario/scenariotest"
)

// TestCanaryErrorsThroughTheKubernetesAPI watches a recorded rollout
// through client-go against the served scenario: the stable pods log only
// orders, the canary (same workload) starts at 15:14:25 and fails charges.
// The watch raises the new error template on the poll after it appears,
// naming the canary pod.
func TestCanaryErrorsThroughTheKubernetesAPI(t *testing.T) {
	_, srv := scenariotest.Serve(t, "../../testdata/scenarios/bad-deploy-canary-rollout-aborted-order")
	col, err := kube.New(kube.Config{RESTConfig: srv.RESTConfig()})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)}
	w, err := New(KubeSource{Collector: col}, Options{Namespaces: []string{"order"}, Interval: time.Minute, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	var found []incident.WatchFinding
	for clk.t.Before(time.Date(2026, 11, 21, 15, 20, 0, 0, time.UTC)) {
		got, err := w.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		found = append(found, got...)
		clk.t = clk.t.Add(time.Minute)
	}
	if len(found) != 1 {
		t.Fatalf("want one finding, got %d: %+v", len(found), found)
	}
	f := found[0]
	if f.Kind != incident.WatchNewErrorTemplate || f.Pod != "order-service-7b9c4d2f8-r8s6j" || f.Workload != "order-service" ||
		!strings.Contains(f.Template, "charge failed") || !f.At.Equal(time.Date(2026, 11, 21, 15, 15, 0, 0, time.UTC)) {
		t.Fatalf("finding %s at %s in %s/%s: %s", f.Kind, f.At, f.Workload, f.Pod, f.Template)
	}
	if stable := len(w.workloads); stable != 1 {
		t.Fatalf("%d workloads, want the canary and stable pods in one", stable)
	}
}
