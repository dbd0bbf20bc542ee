package analyze

import (
	"slices"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestDependencyTraceOrigin(t *testing.T) {
	errOrigin := func(svc, peer string, traces int) incident.TraceGroup {
		return incident.TraceGroup{Kind: incident.TraceErrorOrigin, Source: "tempo", Service: svc, Operation: "POST /payment/charge",
			Peer: peer, Caller: "order", Status: "status 500", Count: traces, Traces: traces, FirstSeen: at(-time.Minute)}
	}
	latOrigin := incident.TraceGroup{Kind: incident.TraceLatencyOrigin, Source: "jaeger", Service: "payment-service",
		Operation: "POST /payment/charge", Caller: "order", Count: 5, Traces: 5, P95: 6 * time.Second}
	refusedLine := `level=error msg="charge failed" err="dial tcp 10.0.9.9:8080: connect: connection refused"`
	for _, tt := range []struct {
		name   string
		alert  string
		lines  []string
		traces []incident.TraceGroup
		// loopback lays the bundle out as the no-Docker demo does: every
		// pod on 127.0.0.1, each Service on its own port.
		loopback bool
		want     incident.Entity
		words    []string
		none     bool
	}{
		{name: "traces alone name the downstream service", traces: []incident.TraceGroup{errOrigin("payment-service", "", 6)},
			want: service("payment-service"), words: []string{"deepest failing span", "status 500"}},
		{name: "traces move the logs' anonymous peer to the origin", lines: []string{refusedLine},
			traces: []incident.TraceGroup{errOrigin("payment-service", "", 6)}, want: service("payment-service"),
			words: []string{"connection refused", "traces show the errors originate in payment-service"}},
		{name: "a peer no service answered is external", traces: []incident.TraceGroup{errOrigin("order", "203.0.113.7:443", 4)},
			want: external("203.0.113.7"), words: []string{"no traced service answering"}},
		{name: "a loopback peer no service answered is the caller's own address", traces: []incident.TraceGroup{errOrigin("order", "127.0.0.1:1", 4)},
			want: targetEntity(newBundle(orderPod("order-1", healthy()))), words: []string{"an address of its own host", "configured with is wrong"}},
		{name: "demo: a loopback port nothing serves is the caller's address", loopback: true, lines: []string{refusedLine},
			traces: []incident.TraceGroup{errOrigin("order", "127.0.0.1:1", 20)}, want: targetEntity(newBundle(orderPod("order-1", healthy()))),
			words: []string{"an address of its own host"}},
		{name: "demo: a loopback port another Service exposes is that Service", loopback: true,
			traces: []incident.TraceGroup{errOrigin("order", "127.0.0.1:18082", 5)}, want: service("payment-service"),
			words: []string{"no traced service answering"}},
		{name: "latency alerts follow the latency origin", alert: "HighLatencyP99",
			traces: []incident.TraceGroup{errOrigin("order", "127.0.0.1:1", 9), latOrigin}, want: service("payment-service"),
			words: []string{"spends the most time", "6s"}},
		{name: "errors in the target itself blame nothing downstream", traces: []incident.TraceGroup{errOrigin("order", "", 9)}, none: true},
		{name: "no traces, no logs: no finding", none: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newBundle(orderPod("order-1", healthy()))
			if tt.alert != "" {
				b.Alert.Labels["alertname"] = tt.alert
			}
			b.Traces = tt.traces
			if tt.loopback {
				b.Pods[0].IP = "127.0.0.1"
				b.Services = []incident.ServiceState{
					{Namespace: "shop", Name: "order", Selector: map[string]string{"app": "order"}, Ports: []string{"8080/TCP"}},
					{Namespace: "shop", Name: "payment-service", Selector: map[string]string{"app": "payment"}, Ports: []string{"18082/TCP"}},
				}
			}
			for _, l := range tt.lines {
				b.Templates = append(b.Templates, template("order-1", l, 20, true, -2*time.Minute))
			}
			got := analyzeOne(dependency{}, b)
			if tt.none {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one finding, got %+v", got)
			}
			checkFinding(t, b, got[0], incident.CategoryDependencyFailure, tt.want, tt.words...)
			cited := false
			for _, g := range b.Traces {
				cited = cited || slices.Contains(got[0].Evidence, g.ID)
			}
			if !cited {
				t.Errorf("finding cites no trace evidence: %v", got[0].Evidence)
			}
		})
	}
}
