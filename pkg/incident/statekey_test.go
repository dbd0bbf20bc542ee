package incident

import (
	"testing"
	"time"
)

func stateBundle() *Bundle {
	start := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	return &Bundle{
		Alert: Alert{Labels: map[string]string{"alertname": "HighErrorRate", "namespace": "shop"}, Status: "firing", StartsAt: start},
		Now:   start.Add(5 * time.Minute),
		Pods: []PodState{{Namespace: "shop", Name: "order-1", Phase: "Running",
			Containers: []ContainerState{{Name: "order", Image: "order:1.2", State: "running", Ready: true}}}},
		Events:    []Event{{Object: Entity{Kind: "Pod", Namespace: "shop", Name: "order-1"}, Type: "Warning", Reason: "Unhealthy", Count: 3}},
		Templates: []LogTemplate{{Pattern: "payment call failed: <*>", Level: "error", Count: 40}},
		Metrics:   []Series{{Name: MetricErrorRatio, Summary: SeriesSummary{Trend: "rising", Max: 0.4}}},
		Traces:    []TraceGroup{{Kind: TraceErrorOrigin, Service: "payment", Operation: "POST /charge", Count: 12}},
		Services:  []ServiceState{{Namespace: "shop", Name: "payment", Ready: 2}},
	}
}

func TestStateKeyIgnoresWhatChangesOnEveryCollection(t *testing.T) {
	a, b := stateBundle(), stateBundle()
	b.Now = b.Now.Add(time.Minute)
	b.Events[0].Count = 9
	b.Templates[0].Count = 85
	b.Metrics[0].Summary.Max = 0.55
	b.Traces[0].Count = 30
	b.Services[0].Ready = 3
	if a.StateKey() != b.StateKey() {
		t.Fatal("counts, samples and the clock changed the key")
	}
}

func TestStateKeyFollowsWhatTheEvidenceSays(t *testing.T) {
	base := stateBundle().StateKey()
	changes := map[string]func(*Bundle){
		"new firing":          func(b *Bundle) { b.Alert.StartsAt = b.Alert.StartsAt.Add(time.Hour) },
		"container state":     func(b *Bundle) { b.Pods[0].Containers[0].State = "waiting" },
		"new event reason":    func(b *Bundle) { b.Events = append(b.Events, Event{Type: "Warning", Reason: "BackOff"}) },
		"new log template":    func(b *Bundle) { b.Templates = append(b.Templates, LogTemplate{Pattern: "pool exhausted"}) },
		"template turns new":  func(b *Bundle) { b.Templates[0].Novel = true },
		"metric direction":    func(b *Bundle) { b.Metrics[0].Summary.Trend = "flat" },
		"trace origin moves":  func(b *Bundle) { b.Traces[0].Service = "ledger" },
		"service loses pods":  func(b *Bundle) { b.Services[0].Ready = 0 },
		"a source failed":     func(b *Bundle) { b.Degraded = append(b.Degraded, Degraded{Source: "prometheus"}) },
		"another alert label": func(b *Bundle) { b.Alert.Labels["pod"] = "order-1" },
	}
	for name, change := range changes {
		b := stateBundle()
		change(b)
		if b.StateKey() == base {
			t.Errorf("%s: key unchanged", name)
		}
	}
}
