package plugin

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/cloudobs/aiops-app/pkg/engine"
)

func counterValue(t *testing.T, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

func TestMetricsCountExplanationsAndCacheHits(t *testing.T) {
	h := newHarness(t, `{}`, nil)
	m := h.app().svc.metrics
	ok := m.Explanations.WithLabelValues("offline", "Unknown", engine.OutcomeOK)
	cached := m.Explanations.WithLabelValues("offline", "Unknown", engine.OutcomeCached)
	okBefore, cachedBefore, hitsBefore := counterValue(t, ok), counterValue(t, cached), counterValue(t, m.CacheHits)
	for range 3 {
		if status, body, _ := h.call(context.Background(), RoleViewer, "POST", "explain", testAlert("Metered"), nil); status != 200 {
			t.Fatalf("explain: %d %s", status, body)
		}
	}
	if d := counterValue(t, ok) - okBefore; d != 1 {
		t.Errorf("ok explanations +%v, want +1", d)
	}
	if d := counterValue(t, cached) - cachedBefore; d != 2 {
		t.Errorf("cached explanations +%v, want +2", d)
	}
	if d := counterValue(t, m.CacheHits) - hitsBefore; d != 2 {
		t.Errorf("cache hits +%v, want +2", d)
	}
	// A second instance (settings saved) shares the registered series.
	if again := NewMetrics(nil); again == nil {
		t.Fatal("NewMetrics(nil) returned nil")
	}
}

// BenchmarkExplainConcurrent measures /explain through CallResource with
// 100 callers per core against the local fake model, every call a new alert.
// Run: go test -run=^$ -bench=ExplainConcurrent -benchtime=400x ./pkg/plugin/
func BenchmarkExplainConcurrent(b *testing.B) {
	model := newFakeModel(b)
	h := newHarness(b, model.settings(""), map[string]string{"openaiApiKey": "sk-test"})
	h.app()
	var seq atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	var failures atomic.Int64
	b.SetParallelism(100)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t0 := time.Now()
			status, _, _ := h.call(context.Background(), RoleViewer, "POST", "explain", testAlert(fmt.Sprint("Bench", seq.Add(1))), nil)
			d := time.Since(t0)
			if status != 200 {
				failures.Add(1)
			}
			mu.Lock()
			latencies = append(latencies, d)
			mu.Unlock()
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if failures.Load() > 0 {
		b.Fatalf("%d of %d calls failed", failures.Load(), len(latencies))
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "explanations/s")
	b.ReportMetric(float64(latencies[len(latencies)*95/100].Milliseconds()), "p95-ms")
}
