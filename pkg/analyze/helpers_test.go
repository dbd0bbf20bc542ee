package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// t0 is the alert start of every hand-built bundle.
var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// newBundle is an alert on Deployment shop/order with the given pods.
func newBundle(pods ...incident.PodState) *incident.Bundle {
	b := &incident.Bundle{
		Alert: incident.Alert{Labels: map[string]string{"alertname": "TestAlert", "namespace": "shop"},
			StartsAt: t0, Fingerprint: "fp1"},
		Now: at(5 * time.Minute),
		Target: incident.Target{Namespace: "shop",
			Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}},
		Pods: pods,
	}
	for _, p := range pods {
		b.Target.Pods = append(b.Target.Pods, p.Name)
	}
	return b
}

// orderPod is a running pod of Deployment shop/order with one container.
func orderPod(name string, c incident.ContainerState) incident.PodState {
	if c.Name == "" {
		c.Name = "order"
	}
	return incident.PodState{Namespace: "shop", Name: name, Node: "node-a", Phase: "Running",
		IP:         "10.0.1." + string(rune('0'+len(name)%10)),
		Labels:     map[string]string{"app": "order"},
		Owner:      incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"},
		ReplicaSet: "order-7d9c5", StartTime: at(-time.Hour), Containers: []incident.ContainerState{c}}
}

func healthy() incident.ContainerState {
	return incident.ContainerState{State: "running", Ready: true}
}

func crashed(reason string, exit int32, restarts int32) incident.ContainerState {
	return incident.ContainerState{State: "waiting", Reason: "CrashLoopBackOff", RestartCount: restarts,
		LastTermination: &incident.Termination{Reason: reason, ExitCode: exit,
			StartedAt: at(-3 * time.Minute), FinishedAt: at(-2 * time.Minute)},
		Limits: incident.Resources{MemoryBytes: 128 << 20}, Requests: incident.Resources{MemoryBytes: 64 << 20}}
}

func podEvent(pod, reason, msg string, count int32, first, last time.Duration) incident.Event {
	return incident.Event{Object: incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: pod},
		Type: "Warning", Reason: reason, Message: msg, Count: count, FirstSeen: at(first), LastSeen: at(last)}
}

func template(pod, pattern string, count int, novel bool, first time.Duration, examples ...string) incident.LogTemplate {
	if len(examples) == 0 {
		examples = []string{pattern}
	}
	return incident.LogTemplate{TemplateID: pattern, Pattern: pattern, Level: levelOf(pattern), Count: count,
		FirstSeen: at(first), LastSeen: at(first + 3*time.Minute), Examples: examples,
		Sources: []string{"shop/" + pod + "/order"}, Novel: novel}
}

func metric(name string, entity incident.Entity, step time.Duration, values ...float64) incident.Series {
	s := incident.Series{Name: name, Entity: entity}
	start := at(-time.Duration(len(values)/2) * step)
	for i, v := range values {
		s.Points = append(s.Points, incident.Point{T: start.Add(time.Duration(i) * step), V: v})
	}
	s.Summary = summarize(s.Points)
	return s
}

// summarize fills what the Prometheus collector would: min, max, first, last
// and a crude trend.
func summarize(ps []incident.Point) incident.SeriesSummary {
	var s incident.SeriesSummary
	if len(ps) == 0 {
		return s
	}
	s.Min, s.Max, s.First, s.Last = ps[0].V, ps[0].V, ps[0].V, ps[len(ps)-1].V
	sum := 0.0
	for _, p := range ps {
		s.Min, s.Max = min(s.Min, p.V), max(s.Max, p.V)
		sum += p.V
	}
	s.Mean = sum / float64(len(ps))
	switch {
	case s.Last > s.First*1.5:
		s.Trend = "rising"
	case s.Last < s.First/1.5:
		s.Trend = "falling"
	default:
		s.Trend = "flat"
	}
	return s
}

var deployOrder = incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order"}

// analyzeOne runs one analyzer on a bundle with ids assigned.
func analyzeOne(a Analyzer, b *incident.Bundle) []incident.Finding {
	b.AssignIDs()
	out, err := runOne(a.Name(), a.Analyze, b)
	if err != nil {
		panic(err)
	}
	return out
}

// checkFinding asserts the category, entity and words a finding must carry,
// and that its evidence ids exist in the bundle.
func checkFinding(t *testing.T, b *incident.Bundle, f incident.Finding, cat incident.Category, entity incident.Entity, words ...string) {
	t.Helper()
	if f.Category != cat {
		t.Errorf("category = %s, want %s (finding %+v)", f.Category, cat, f)
	}
	if f.Entity != entity {
		t.Errorf("entity = %v, want %v", f.Entity, entity)
	}
	text := strings.ToLower(f.Title + " " + f.Detail)
	for _, w := range words {
		if !strings.Contains(text, strings.ToLower(w)) {
			t.Errorf("finding does not mention %q: %s | %s", w, f.Title, f.Detail)
		}
	}
	ids := map[string]bool{}
	for _, e := range b.Catalog() {
		ids[e.ID] = true
	}
	if len(f.Evidence) == 0 {
		t.Errorf("finding cites no evidence: %+v", f)
	}
	for _, id := range f.Evidence {
		if !ids[id] {
			t.Errorf("finding cites %q, which is not in the catalog", id)
		}
	}
}
