package engine

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/scenario/scenariotest"
)

// TestWatchKeepsFindingsInTheStore runs the settings' log watch over the
// served canary rollout, the clock a minute further at each poll, and
// reads the canary's new error template back from the store. The store is
// opened first (its open reads the clock once), so the watch's two warm-up
// polls end before the canary starts at 15:14:25.
func TestWatchKeepsFindingsInTheStore(t *testing.T) {
	_, srv := scenariotest.Serve(t, filepath.Join("..", "..", "testdata", "scenarios", "bad-deploy-canary-rollout-aborted-order"))
	collector, err := kube.New(kube.Config{RESTConfig: srv.RESTConfig()})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	at := time.Date(2026, 11, 21, 15, 10, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at = at.Add(time.Minute)
		return at
	}
	cfg := config.DefaultSettings()
	cfg.Kubernetes.Mode = config.KubeKubeconfig
	cfg.Watch = config.WatchSettings{Enabled: true, Namespaces: []string{"order"}, Interval: config.Duration(time.Second)}
	e := Open(cfg, Options{HistoryPath: filepath.Join(t.TempDir(), "history.db"), Sources: &evidence.Sources{Kube: collector}, Now: clock})
	t.Cleanup(e.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := e.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	problems := make(chan error, 100)
	if err := e.Watch(ctx, func(err error) { problems <- err }); err != nil {
		t.Fatal(err)
	}
	var found []incident.WatchFinding
	for deadline := time.Now().Add(20 * time.Second); len(found) == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if found, err = st.WatchFindings(ctx, "order", time.Time{}, 10); err != nil {
			t.Fatal(err)
		}
	}
	if len(found) == 0 || found[0].Kind != incident.WatchNewErrorTemplate || found[0].Pod != "order-service-7b9c4d2f8-r8s6j" {
		t.Fatalf("stored findings %+v", found)
	}
	select {
	case err := <-problems:
		t.Fatalf("problem: %v", err)
	default:
	}
}

func TestWatchOffOrWithoutKubernetes(t *testing.T) {
	e := openTest(t, config.DefaultSettings(), Options{})
	if err := e.Watch(context.Background(), func(error) {}); err != nil {
		t.Fatalf("a disabled watch failed: %v", err)
	}
	cfg := config.DefaultSettings()
	cfg.Watch = config.WatchSettings{Enabled: true, Namespaces: []string{"order"}, Interval: config.Duration(time.Minute)}
	e = openTest(t, cfg, Options{})
	if err := e.Watch(context.Background(), func(error) {}); err == nil || !strings.Contains(err.Error(), "kubernetes is off") {
		t.Fatalf("error %v", err)
	}
}
