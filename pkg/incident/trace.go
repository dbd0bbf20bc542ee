package incident

import (
	"fmt"
	"strings"
	"time"
)

// EvidenceTrace is the evidence kind of a summarised trace pattern.
const EvidenceTrace EvidenceKind = "trace"

// Kinds of TraceGroup.
const (
	// TraceErrors groups error spans by service, operation and status message.
	TraceErrors = "errors"
	// TraceLatency is an operation slower in the alert's window than before it.
	TraceLatency = "latency"
	// TraceErrorOrigin is where the deepest failing span of error traces sits.
	TraceErrorOrigin = "error_origin"
	// TraceLatencyOrigin is the span that spends the most time itself in
	// slow traces: where the latency originates.
	TraceLatencyOrigin = "latency_origin"
)

// TraceGroup is one pattern summarised from traces: a group of error spans,
// a slow operation, or the place errors or latency originate.
type TraceGroup struct {
	ID   string `json:"id,omitempty"`
	Kind string `json:"kind"`
	// Source is the trace backend: tempo or jaeger.
	Source    string `json:"source"`
	Service   string `json:"service"`
	Operation string `json:"operation,omitempty"`
	Status    string `json:"status,omitempty"`
	// Peer is host[:port] a failing client span called when no span of the
	// callee answered: the dependency that was never reached.
	Peer string `json:"peer,omitempty"`
	// Caller is the service whose call failed or waited, for origins.
	Caller string `json:"caller,omitempty"`
	// Count is spans for errors, traces for origins and latency.
	Count int `json:"count"`
	// Traces is how many distinct traces the group was seen in.
	Traces int `json:"traces"`
	// TraceIDs are a few example trace ids (hex), for links to the backend.
	TraceIDs    []string      `json:"traceIds,omitempty"`
	P50         time.Duration `json:"p50,omitempty"`
	P95         time.Duration `json:"p95,omitempty"`
	BaselineP50 time.Duration `json:"baselineP50,omitempty"`
	BaselineP95 time.Duration `json:"baselineP95,omitempty"`
	FirstSeen   time.Time     `json:"firstSeen,omitzero"`
	LastSeen    time.Time     `json:"lastSeen,omitzero"`
}

// Where names the origin: "service operation" or the peer host.
func (g TraceGroup) Where() string {
	if g.Peer != "" {
		return g.Peer
	}
	return strings.TrimSpace(g.Service + " " + g.Operation)
}

// traceEntity is the service a group is about, or the external peer a
// failing call never reached.
func traceEntity(b *Bundle, g TraceGroup) Entity {
	if g.Peer != "" && (g.Kind == TraceErrorOrigin || g.Kind == TraceLatencyOrigin) {
		return Entity{Kind: KindExternal, Name: g.Peer}
	}
	return Entity{Namespace: b.Target.Namespace, Kind: KindService, Name: g.Service}
}

func describeTrace(g TraceGroup) string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond)) }
	switch g.Kind {
	case TraceErrors:
		return fmt.Sprintf("%d error spans in %d traces: %s %s: %s", g.Count, g.Traces, g.Service, g.Operation, g.Status)
	case TraceLatency:
		s := fmt.Sprintf("%s %s p50 %s p95 %s over %d spans", g.Service, g.Operation, ms(g.P50), ms(g.P95), g.Count)
		if g.BaselineP95 > 0 {
			s += fmt.Sprintf(" (before the alert: p50 %s p95 %s)", ms(g.BaselineP50), ms(g.BaselineP95))
		}
		return s
	case TraceErrorOrigin:
		if g.Peer != "" {
			return fmt.Sprintf("errors originate in calls from %s to %s, which no traced service answered (%d traces): %s", g.Caller, g.Peer, g.Traces, g.Status)
		}
		return fmt.Sprintf("errors originate in %s (deepest failing span in %d traces, called by %s): %s", g.Where(), g.Traces, g.Caller, g.Status)
	case TraceLatencyOrigin:
		return fmt.Sprintf("latency originates in %s (most time spent in slow traces: p95 %s in %d traces, called by %s)", g.Where(), ms(g.P95), g.Traces, g.Caller)
	}
	return g.Kind + " " + g.Where()
}
