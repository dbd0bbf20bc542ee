package plugin

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// Soak targets: what a steady stream of explanations and webhook deliveries
// may cost over the run.
const (
	soakRate = 250 * time.Millisecond // one request every 250 ms: 4 per second
	// soakP99 is the latency target of one explanation against a local
	// model and Prometheus.
	soakP99 = 2 * time.Second
	// The heap after a collection may grow this much past its level after
	// the warm-up quarter (the history store fills up to its cap), and the
	// goroutines this many past their count then.
	soakHeapGrowth      = 1.5
	soakHeapSlack       = 8 << 20
	soakGoroutineGrowth = 10
)

// TestSoak sends explanations (refresh=true, so each one collects from a real
// Prometheus and asks the scripted model) and Alertmanager deliveries at a
// steady rate for AIOPS_SOAK (e.g. 30m), sampling the heap after a
// collection and the goroutines every 10 s, and checks that both stay flat
// and that p99 stays under its target. `make soak` runs it; `make test` does
// not (without AIOPS_SOAK it says so and stops).
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("AIOPS_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("SKIP soak: set AIOPS_SOAK to a duration (make soak runs 30m)")
	}
	now := time.Now().UTC().Truncate(time.Minute)
	cluster := finopstest.Cluster{Start: now.Add(-time.Hour), End: now.Add(d + 10*time.Minute), Interval: time.Minute,
		Nodes: []finopstest.Node{{Name: "node-a", Cores: 4, MemBytes: 16 * finopstest.GiB}},
		Pods: []finopstest.Pod{{Namespace: "shop", Name: "order-7d9c5-x2x1q", Node: "node-a", OwnerKind: "ReplicaSet",
			OwnerName: "order-7d9c5", DeploymentName: "order",
			Containers: []finopstest.Container{{Name: "order", CPURequest: 0.5, MemRequest: finopstest.GiB, CPUUsage: 0.4, MemUsage: 0.9 * finopstest.GiB}}}},
	}
	prom := promlocaltest.FromOpenMetrics(t, cluster.WriteFile(t, t.TempDir()))
	model := newFakeModel(t)
	go func() {
		for range model.started {
		}
	}()
	h := newHarness(t, model.settings(fmt.Sprintf(`,"prometheus":{"url":%q},"budgets":{"perUserPerMinute":0},"historyMaxCount":500`, prom.URL())),
		map[string]string{"openaiApiKey": "sk-test", "webhookSecret": "soak"})
	ctx := context.Background()
	alert := func(name string) map[string]any {
		a := testAlert(name)
		a["startsAt"] = now.Format(time.RFC3339)
		return a
	}
	secret := map[string][]string{webhookSecretHeader: {"soak"}}

	type sample struct {
		at         time.Duration
		heap       uint64
		goroutines int
	}
	var samples []sample
	measure := func(at time.Duration) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		samples = append(samples, sample{at, ms.HeapAlloc, runtime.NumGoroutine()})
	}
	var latencies []time.Duration
	failures := 0
	start := time.Now()
	tick := time.NewTicker(soakRate)
	defer tick.Stop()
	nextSample := time.Duration(0)
	for i := 0; time.Since(start) < d; i++ {
		<-tick.C
		if el := time.Since(start); el >= nextSample {
			measure(el)
			nextSample += 10 * time.Second
		}
		if i%4 == 3 {
			// One delivery in four: a group of two firing alerts.
			status, _, _ := h.call(ctx, RoleViewer, "POST", "webhook/alertmanager",
				webhookBody(alert(fmt.Sprint("Hook", i%50)), alert(fmt.Sprint("Hook", i%50+1))), secret)
			if status != 202 {
				failures++
			}
			continue
		}
		t0 := time.Now()
		status, _, _ := h.call(ctx, RoleViewer, "POST", "explain?refresh=true", alert(fmt.Sprint("Soak", i%20)), nil)
		latencies = append(latencies, time.Since(t0))
		if status != 200 {
			failures++
		}
	}
	measure(time.Since(start))

	slices.Sort(latencies)
	p := func(q float64) time.Duration { return latencies[int(q*float64(len(latencies)-1))] }
	warm := samples[len(samples)/4]
	last := samples[len(samples)-1]
	t.Logf("soak %s: %d explanations, %d failed requests, model calls %d; p50 %s p99 %s max %s; heap %.1f MiB after warm-up, %.1f MiB at the end; goroutines %d → %d",
		d, len(latencies), failures, model.requests.Load(), p(0.5), p(0.99), latencies[len(latencies)-1],
		float64(warm.heap)/(1<<20), float64(last.heap)/(1<<20), warm.goroutines, last.goroutines)
	if failures > 0 {
		t.Errorf("%d requests failed", failures)
	}
	if p(0.99) > soakP99 {
		t.Errorf("p99 %s is over the %s target", p(0.99), soakP99)
	}
	if float64(last.heap) > soakHeapGrowth*float64(warm.heap)+soakHeapSlack {
		t.Errorf("heap grew from %d to %d bytes", warm.heap, last.heap)
	}
	if last.goroutines > warm.goroutines+soakGoroutineGrowth {
		t.Errorf("goroutines grew from %d to %d", warm.goroutines, last.goroutines)
	}
}
