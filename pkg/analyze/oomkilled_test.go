package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestOOMKilled(t *testing.T) {
	oomPod := orderPod("order-1", crashed("OOMKilled", 137, 5))
	tests := []struct {
		name   string
		bundle func() *incident.Bundle
		want   bool
		entity incident.Entity
		words  []string
	}{
		{"status reason with memory trend", func() *incident.Bundle {
			b := newBundle(oomPod, orderPod("order-2", crashed("OOMKilled", 137, 4)))
			b.Metrics = []incident.Series{metric(incident.MetricMemoryWorkingSet,
				incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, time.Minute,
				100<<20, 127<<20, 20<<20, 50<<20, 90<<20, 110<<20)}
			return b
		}, true, deployOrder, []string{"OOMKilled", "128Mi", "99%", "restarts up to 5"}},
		{"flat samples far below the limit: say what they cannot show", func() *incident.Bundle {
			b := newBundle(oomPod)
			b.Metrics = []incident.Series{metric(incident.MetricMemoryWorkingSet,
				incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, 30*time.Second,
				40<<20, 40<<20, 40<<20, 40<<20, 40<<20)}
			return b
		}, true, deployOrder, []string{"stayed at about 40Mi", "31% of the 128Mi limit", "(30s)", "cannot tell how fast"}},
		{"flat samples and no limit known: say what they cannot show", func() *incident.Bundle {
			c := crashed("OOMKilled", 137, 5)
			c.Limits = incident.Resources{}
			b := newBundle(orderPod("order-1", c))
			b.Metrics = []incident.Series{metric(incident.MetricMemoryWorkingSet,
				incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, 30*time.Second,
				30<<20, 30<<20, 30<<20, 30<<20)}
			return b
		}, true, deployOrder, []string{"stayed at about 30Mi", "limit is not in the metrics", "cannot tell how close"}},
		{"single pod without owner is blamed itself", func() *incident.Bundle {
			p := oomPod
			p.Owner = incident.Entity{}
			b := newBundle(p)
			b.Target.Workload = incident.Entity{}
			return b
		}, true, incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, []string{"exit code 137"}},
		{"kernel OOM event only", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Events = []incident.Event{podEvent("order-1", "OOMKilling",
				"Memory cgroup out of memory: Killed process 4242 (java)", 1, -time.Minute, -time.Minute)}
			return b
		}, true, deployOrder, []string{"Killed process"}},
		{"exit 137 from a liveness kill is not OOM", func() *incident.Bundle {
			return newBundle(orderPod("order-1", crashed("Error", 137, 5)))
		}, false, incident.Entity{}, nil},
		{"healthy pods", func() *incident.Bundle { return newBundle(orderPod("order-1", healthy())) }, false, incident.Entity{}, nil},
		{"empty bundle", func() *incident.Bundle { return &incident.Bundle{} }, false, incident.Entity{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.bundle()
			got := analyzeOne(oomKilled{}, b)
			if !tt.want {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one finding, got %d", len(got))
			}
			checkFinding(t, b, got[0], incident.CategoryOOMKilled, tt.entity, tt.words...)
		})
	}
}
