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
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/watch"
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

func metricValue(t *testing.T, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	switch {
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Histogram != nil:
		return float64(m.GetHistogram().GetSampleCount())
	}
	return m.GetCounter().GetValue()
}

// TestWatchMetricsCountPolls: each poll's stats land in the watch series,
// counters adding up and gauges holding the latest poll.
func TestWatchMetricsCountPolls(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	m.WatchPolled(watch.PollStats{Duration: 40 * time.Millisecond, Containers: 4, Lines: 120, Templates: 9,
		Findings: map[string]int{incident.WatchNewErrorTemplate: 2}, Errors: map[string]int{"shop": 1}})
	m.WatchPolled(watch.PollStats{Duration: 2 * time.Second, Containers: 3, Lines: 30, Templates: 11,
		Findings: map[string]int{incident.WatchTemplateSurge: 1}, Errors: map[string]int{}})
	for name, c := range map[string]struct {
		metric prometheus.Metric
		want   float64
	}{
		"polls":               {m.WatchPolls, 2},
		"lines":               {m.WatchLines, 150},
		"new error findings":  {m.WatchFindings.WithLabelValues(incident.WatchNewErrorTemplate), 2},
		"surge findings":      {m.WatchFindings.WithLabelValues(incident.WatchTemplateSurge), 1},
		"errors in shop":      {m.WatchErrors.WithLabelValues("shop"), 1},
		"poll durations":      {m.WatchDuration, 2},
		"templates (latest)":  {m.WatchTemplates, 11},
		"containers (latest)": {m.WatchContainers, 3},
	} {
		if got := metricValue(t, c.metric); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	var h dto.Metric
	if err := m.WatchDuration.Write(&h); err != nil {
		t.Fatal(err)
	}
	if got := h.GetHistogram().GetSampleSum(); got != 2.04 {
		t.Errorf("poll duration sum %v s, want 2.04", got)
	}
}
