package analyze

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// FuzzRun feeds arbitrary bundles (as JSON) to the whole offline path: no
// analyzer may panic, every root cause must be on the closed list and every
// cited id must exist.
func FuzzRun(f *testing.F) {
	seed := newBundle(orderPod("order-1", crashed("OOMKilled", 137, 5)), orderPod("order-2", crashed("Error", 1, 3)))
	seed.Events = []incident.Event{podEvent("order-1", "Unhealthy", `Liveness probe failed: Get "http://10.0.1.5:8080/healthz": context deadline exceeded`, 3, -time.Minute, 0)}
	seed.Templates = []incident.LogTemplate{template("order-1", "dial tcp 10.0.3.7:5432: connect: connection refused", 40, true, -time.Minute)}
	seed.Metrics = []incident.Series{metric(incident.MetricCPUThrottling, deployOrder, time.Minute, 0.1, 0.5, 0.7)}
	raw, err := json.Marshal(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"pods":[{"name":"x","containers":[{"name":"c","lastTermination":{"reason":"OOMKilled","exitCode":137}}]}]}`))
	f.Add([]byte(`{"events":[{"object":{"kind":"Node","name":"n"},"reason":"NodeNotReady","message":""}],"metrics":[{"name":"http_request_rate","points":[{"t":"2026-01-01T00:00:00Z","v":1e308}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var b incident.Bundle
		if err := json.Unmarshal(data, &b); err != nil {
			return
		}
		b.AssignIDs()
		checkExplanation(t, &b, Offline(&b))
	})
}

// FuzzLogLine puts one arbitrary line in every text slot analyzers read: a
// template, a raw previous log, an event and a container message.
func FuzzLogLine(f *testing.F) {
	for _, s := range []string{
		`dial tcp 10.0.3.7:5432: connect: connection refused`,
		`Get "https://api.partner.example/v1": x509: certificate has expired or is not yet valid`,
		`dial tcp: lookup payment-service on 10.96.0.10:53: no such host`,
		`upstream payment-service returned 503`,
		`0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available`,
		`rpc error: code = NotFound desc = failed to pull and unpack image "x": not found`,
		`couldn't find key DB_URL in ConfigMap shop/app-config`,
		"\x00\xff" + strings.Repeat("a:", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c := crashed("Error", 1, 4)
		c.Message = line
		b := newBundle(orderPod("order-1", c))
		b.Events = []incident.Event{podEvent("order-1", "FailedScheduling", line, 1, -time.Minute, 0),
			podEvent("order-1", "Failed", line, 2, -time.Minute, 0)}
		b.Templates = []incident.LogTemplate{template("order-1", line, 10, true, -time.Minute)}
		b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "order-1", Container: "order", Previous: true,
			Lines: []incident.LogLine{{Time: at(-time.Minute), Text: line}}}}
		b.AssignIDs()
		checkExplanation(t, b, Offline(b))
		b.Templates = nil
		checkExplanation(t, b, Offline(b))
	})
}

func checkExplanation(t *testing.T, b *incident.Bundle, ex incident.Explanation) {
	t.Helper()
	if !ex.RootCause.Category.Valid() {
		t.Fatalf("invalid category %q", ex.RootCause.Category)
	}
	if ex.RootCause.Confidence < 0 || ex.RootCause.Confidence > 1 {
		t.Fatalf("confidence %v", ex.RootCause.Confidence)
	}
	ids := map[string]bool{}
	for _, e := range b.Catalog() {
		ids[e.ID] = true
	}
	for _, f := range ex.Findings {
		if !f.Category.Valid() {
			t.Fatalf("finding with invalid category %q", f.Category)
		}
		for _, id := range f.Evidence {
			if !ids[id] {
				t.Fatalf("finding %s cites unknown id %q", f.ID, id)
			}
		}
	}
	if len(ex.NextSteps) == 0 {
		t.Fatal("no next steps")
	}
}

// TestRunOnDegenerateBundle checks that templates without text, rollouts
// without times and series without points make no analyzer fail.
func TestRunOnDegenerateBundle(t *testing.T) {
	b := newBundle(orderPod("order-1", crashed("Error", 1, 3)))
	b.Templates = []incident.LogTemplate{{Level: "error", Count: 5, Novel: true, Sources: []string{"shop/order-1/order"}}}
	b.Rollouts = []incident.Rollout{{Owner: deployOrder, Name: "a", Revision: 1}, {Owner: deployOrder, Name: "b", Revision: 2, CreatedAt: at(-time.Minute)}}
	b.Metrics = []incident.Series{{Name: incident.MetricRequestRate}, {Name: incident.MetricCPUThrottling, Summary: incident.SeriesSummary{Max: 0.9}}}
	b.AssignIDs()
	before := len(b.Notes)
	ex := Offline(b)
	checkExplanation(t, b, ex)
	if len(b.Notes) != before {
		t.Errorf("an analyzer failed: %v", b.Notes[before:])
	}
}

func TestRunOneRecoversFromAPanic(t *testing.T) {
	b := newBundle()
	out, err := runOne("broken", func(*incident.Bundle) []incident.Finding { panic("index out of range") }, b)
	if out != nil || err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("runOne = %v, %v; want no findings and an error naming the analyzer", out, err)
	}
}
