package prom

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/cloudobs/aiops-app/pkg/alert"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// TestScenarioCorpus replays three named incidents of the shared corpus
// (testdata/scenarios) through the collector: it holds the metric names the
// scenario generator writes and the queries here to one contract. The target
// is only what the alert's labels say, as when Kubernetes is unreachable.
func TestScenarioCorpus(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T, series []incident.Series, a incident.Alert)
	}{
		{"oom-order-service-leak", func(t *testing.T, series []incident.Series, a incident.Alert) {
			pod := a.Labels["pod"]
			mem, limit := find(series, incident.MetricMemoryWorkingSet, pod), find(series, incident.MetricMemoryLimit, pod)
			if len(mem) != 1 || len(limit) != 1 {
				t.Fatalf("memory %d and limit %d series for %s", len(mem), len(limit), pod)
			}
			if mem[0].Summary.Max < 0.9*limit[0].Summary.Max {
				t.Errorf("memory peaks at %.0f, limit %.0f: the leak must reach the limit", mem[0].Summary.Max, limit[0].Summary.Max)
			}
			if oom := find(series, incident.MetricOOMKills, pod); len(oom) != 1 || oom[0].Summary.Max < 1 {
				t.Errorf("OOM kill not visible: %+v", oom)
			}
		}},
		{"cpu-throttling-search-api", func(t *testing.T, series []incident.Series, _ incident.Alert) {
			thr := find(series, incident.MetricCPUThrottling, "")
			if len(thr) == 0 || thr[0].Summary.Max < 0.25 {
				t.Fatalf("throttling above 25%% expected: %+v", thr)
			}
			if p99 := find(series, incident.MetricLatencyP99, ""); len(p99) != 1 || p99[0].Summary.Max < 0.5 {
				t.Errorf("p99 above the alert's 0.5s expected: %+v", p99)
			}
		}},
		{"traffic-spike-ticket-onsale", func(t *testing.T, series []incident.Series, a incident.Alert) {
			rate := find(series, incident.MetricRequestRate, "")
			if len(rate) != 1 || rate[0].Summary.Trend != TrendRising && rate[0].Summary.Trend != TrendStep {
				t.Fatalf("request rate should rise: %+v", rate)
			}
			if rate[0].Summary.Onset.IsZero() || rate[0].Summary.Onset.After(a.StartsAt) {
				t.Errorf("the spike must begin before the alert: onset %v, startsAt %v", rate[0].Summary.Onset, a.StartsAt)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join("..", "..", "..", "testdata", "scenarios", tc.name)
			if _, err := os.Stat(filepath.Join(dir, "scenario.yaml")); err != nil {
				t.Fatalf("scenario %s is gone (renamed?): %v", tc.name, err)
			}
			a, now := loadScenarioAlert(t, dir)
			srv := promlocaltest.FromOpenMetrics(t, filepath.Join(dir, "metrics.om"))
			c, err := New(Config{URL: srv.URL()})
			if err != nil {
				t.Fatal(err)
			}
			target := incident.Target{Namespace: a.Labels["namespace"], Container: a.Labels["container"], Service: a.Labels["service"]}
			if pod := a.Labels["pod"]; pod != "" {
				target.Pods = []string{pod}
			}
			series, err := c.Collect(context.Background(), a, target, nil, time.Time{}, now)
			if err != nil {
				t.Fatalf("%s: %v", filepath.Base(dir), err)
			}
			if len(find(series, incident.MetricAlert, "")) == 0 {
				t.Errorf("%s: the alert's own query returned nothing", filepath.Base(dir))
			}
			tc.check(t, series, a)
		})
	}
}

func loadScenarioAlert(t *testing.T, dir string) (incident.Alert, time.Time) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var sc struct {
		Now   time.Time      `json:"now"`
		Alert map[string]any `json:"alert"`
	}
	if err := yaml.Unmarshal(b, &sc); err != nil {
		t.Fatal(err)
	}
	a, err := alert.FromMap(sc.Alert)
	if err != nil {
		t.Fatal(err)
	}
	return a, sc.Now
}
