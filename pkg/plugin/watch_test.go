package plugin

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/scenario/scenariotest"
	"github.com/cloudobs/aiops-app/pkg/watch"
)

// TestWatchFindingOpensAnExplanation: an app with the log watch enabled
// starts, and the synthetic alert of a watch finding (the canary's new
// charge errors, raised before any alert) is explained by POST /explain,
// about the canary pod: the bad deploy, nine minutes before the recorded
// alert (15:24) fires.
func TestWatchFindingOpensAnExplanation(t *testing.T) {
	_, srv := scenariotest.Serve(t, filepath.Join("..", "..", "testdata", "scenarios", "bad-deploy-canary-rollout-aborted-order"))
	h := newHarness(t, fmt.Sprintf(`{"kubernetes":{"mode":"kubeconfig","kubeconfigPath":%q},"watch":{"enabled":true,"namespaces":["order"],"interval":"5s"}}`,
		writeKubeconfig(t, srv.URL)), nil)
	// The series are the process's (Grafana scrapes one registry), so the
	// polls are counted from before the instance starts.
	m := NewMetrics(prometheus.DefaultRegisterer)
	polls := metricValue(t, m.WatchPolls)
	if _, err := h.app().Settings(); err != nil {
		t.Fatal(err)
	}
	// The app's own watcher polls at once; its metrics show that it runs
	// and reads the namespace's containers.
	for deadline := time.Now().Add(10 * time.Second); metricValue(t, m.WatchPolls) == polls; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the background log watch never polled")
		}
	}
	if n := metricValue(t, m.WatchContainers); n < 1 {
		t.Errorf("the watch read %v containers of namespace order", n)
	}

	col, err := kube.New(kube.Config{RESTConfig: srv.RESTConfig()})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 21, 15, 12, 0, 0, time.UTC)
	w, err := watch.New(watch.KubeSource{Collector: col}, watch.Options{Namespaces: []string{"order"}, Interval: time.Minute, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	var found []incident.WatchFinding
	for ; len(found) == 0 && at.Hour() < 16; at = at.Add(time.Minute) {
		if found, err = w.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(found) != 1 {
		t.Fatalf("watch findings %+v", found)
	}
	// The finding as the watcher keeps it, listed by GET /watch/findings as
	// the Watch page reads it; its alert is what the page's Explain sends.
	st, err := h.app().svc.engine.Store(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveWatchFinding(context.Background(), found[0]); err != nil {
		t.Fatal(err)
	}
	status, body, _ := h.call(context.Background(), RoleViewer, "GET", fmt.Sprintf("watch/findings?namespace=order&since=%d", at.Add(-time.Hour).UnixMilli()), nil, nil)
	if status != 200 {
		t.Fatalf("list watch findings: %d %s", status, body)
	}
	page := decode[watchPage](t, body)
	if len(page.Items) != 1 || page.Items[0].ID != found[0].ID || !page.Enabled || len(page.Namespaces) != 1 || page.Namespaces[0] != "order" {
		t.Fatalf("watch findings page %s", body)
	}
	status, body, _ = h.call(context.Background(), RoleViewer, "POST", "explain", page.Items[0].Alert, nil)
	if status != 200 {
		t.Fatalf("explain the watch finding: %d %s", status, body)
	}
	ex := decode[incident.Explanation](t, body)
	if ex.Alert.Name() != incident.WatchNewErrorTemplate || ex.Alert.Labels["pod"] != "order-service-7b9c4d2f8-r8s6j" || ex.RootCause.Category != incident.CategoryBadDeploy {
		t.Fatalf("explanation of %s: %s %s", ex.Alert.Name(), ex.RootCause.Category, ex.RootCause.Description)
	}
	t.Logf("explained as %s: %s", ex.RootCause.Category, ex.RootCause.Description)
}

// TestWatchFindingsRouteBoundsItsInput: the route refuses what is not a
// namespace, a time or a limit in range, in the error envelope, and lists
// nothing (not null) when nothing was raised.
func TestWatchFindingsRouteBoundsItsInput(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	for _, path := range []string{"watch/findings?namespace=Not_A_Namespace", "watch/findings?since=yesterday", "watch/findings?limit=0", "watch/findings?limit=501"} {
		status, body, _ := h.call(context.Background(), RoleViewer, "GET", path, nil, nil)
		if e := decode[envelope](t, body); status != 400 || e.Error.Message == "" {
			t.Errorf("%s: %d %s, want 400 with a message", path, status, body)
		}
	}
	status, body, _ := h.call(context.Background(), RoleViewer, "GET", "watch/findings?namespace=shop&since=1h&limit=500", nil, nil)
	if status != 200 || strings.TrimSpace(string(body)) != `{"items":[],"enabled":false,"namespaces":[]}` {
		t.Errorf("empty list: %d %q", status, body)
	}
}
