package evidence_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/scenario"
	"github.com/cloudobs/aiops-app/pkg/scenario/scenariotest"
)

// TestCorpusResolution collects the Kubernetes evidence of every recorded
// incident through kubeapi and client-go and checks that the target found
// is the expected entity (or one of its pods, or its node), that nothing
// degrades, and that pods that ran have logs.
func TestCorpusResolution(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "scenarios")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("no scenario corpus at %s: %v", root, err)
	}
	resolved := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			s, srv := scenariotest.Serve(t, dir)
			kc, err := kube.New(kube.Config{RESTConfig: srv.RESTConfig()})
			if err != nil {
				t.Fatal(err)
			}
			b, err := evidence.NewGatherer(evidence.Sources{Kube: kc}, evidence.Options{}).Collect(context.Background(), s.Alert, s.Now)
			if err != nil {
				t.Fatal(err)
			}
			if len(incident.Failures(b.Degraded)) > 0 {
				t.Fatalf("degraded: %+v", incident.Failures(b.Degraded))
			}
			// A cost alert names only its namespace: the workload comes
			// from the cost trends, which need Prometheus (the replay in
			// pkg/scenario checks it).
			if s.Expect.Category == incident.CategoryCostAnomaly {
				if b.Target.Namespace != s.Expect.Entity.Namespace {
					t.Errorf("cost alert resolved to namespace %q, want %q", b.Target.Namespace, s.Expect.Entity.Namespace)
				}
				resolved++
				return
			}
			if !targets(b, s.Expect.Entity) {
				t.Errorf("expected %v; resolved %+v (pods %v, notes %v)", s.Expect.Entity, b.Target, b.Target.Pods, b.Notes)
				return
			}
			resolved++
			ran := 0
			for _, p := range b.Pods {
				for _, c := range p.Containers {
					if c.State == "running" || c.LastTermination != nil || c.Terminated != nil {
						ran++
					}
				}
			}
			_, noLogs := os.Stat(filepath.Join(dir, scenario.LogsDir))
			if ran > 0 && noLogs == nil && len(b.Logs) == 0 {
				t.Errorf("%d containers ran but no logs were collected", ran)
			}
		})
	}
	t.Logf("resolved %d of %d scenarios to their expected entity", resolved, len(entries))
}

// targets reports whether the bundle's target covers the expected entity:
// the same workload, one of its examined pods, its node, or — for a failing
// dependency (External, or a Service the alerting workload calls) — the
// alerting side itself, since the dependency is found by analysing its logs
// and metrics, not by resolution.
func targets(b *incident.Bundle, want incident.Entity) bool {
	t := b.Target
	switch want.Kind {
	case incident.KindExternal, incident.KindService:
		return t.Service == want.Name || len(b.Pods) > 0 || !t.Workload.IsZero()
	case incident.KindNode:
		if t.Node == want.Name {
			return true
		}
		for _, p := range b.Pods {
			if p.Node == want.Name {
				return true
			}
		}
		return false
	case incident.KindPod:
		for _, p := range b.Pods {
			if p.Name == want.Name {
				return true
			}
		}
		return false
	case incident.KindPVC:
		// A volume is found through the pods that mount it, and collected.
		for _, c := range b.Claims {
			if c.Namespace == want.Namespace && c.Name == want.Name {
				return true
			}
		}
		return false
	}
	if t.Workload.Kind == want.Kind && t.Workload.Name == want.Name {
		return true
	}
	for _, p := range b.Pods {
		if p.Owner.Name == want.Name || strings.HasPrefix(p.Name, want.Name+"-") {
			return true
		}
	}
	return false
}
