package trace

import (
	"fmt"
	"time"
)

// The shop scenario: order-service calls payment-service. Before the alert
// every call is fast; in the alert's window payment-service fails some
// charges, order-service's address of payment-service points where
// nothing listens for others, and payment-service answers after 6s for the
// rest, after order-service's client gave up at 5s.
var (
	alertStart = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	alertNow   = alertStart.Add(5 * time.Minute)
)

const (
	nBaseline = 8
	nFailing  = 6
	nRefused  = 4
	nSlow     = 5
)

type shape int

const (
	healthy shape = iota
	failing
	refused
	slow
)

// shopTrace builds one order request of the given shape starting at t.
func shopTrace(n int, t time.Time, sh shape) Trace {
	id := fmt.Sprintf("%032x", 0xabc000+n)
	sid := func(k int) string { return fmt.Sprintf("%016x", (n<<8)+k) }
	root := Span{TraceID: id, SpanID: sid(1), Service: "order-service", Name: "POST /orders", Kind: "server", Start: t, Duration: 50 * time.Millisecond}
	call := Span{TraceID: id, SpanID: sid(2), ParentID: sid(1), Service: "order-service", Name: "HTTP POST", Kind: "client",
		Start: t.Add(5 * time.Millisecond), Duration: 30 * time.Millisecond, Peer: "127.0.0.1:18082"}
	charge := Span{TraceID: id, SpanID: sid(3), ParentID: sid(2), Service: "payment-service", Name: "POST /payment/charge", Kind: "server",
		Start: t.Add(8 * time.Millisecond), Duration: 20 * time.Millisecond}
	switch sh {
	case failing:
		charge.Error, charge.Status = true, "status 500"
		call.Error, call.Status = true, "status 500"
		root.Error, root.Status = true, "status 502"
	case refused:
		call.Peer = "127.0.0.1:1"
		call.Duration = time.Millisecond
		call.Error, call.Status = true, "dial tcp 127.0.0.1:1: connect: connection refused"
		root.Error, root.Status = true, "status 502"
		return Trace{ID: id, Spans: []Span{root, call}}
	case slow:
		call.Duration = 5 * time.Second
		call.Error, call.Status = true, "context deadline exceeded"
		charge.Duration = 6 * time.Second
		root.Duration = 5010 * time.Millisecond
		root.Error, root.Status = true, "status 502"
	}
	return Trace{ID: id, Spans: []Span{root, call, charge}}
}

// shopTraces is the whole scenario, oldest first.
func shopTraces() []Trace {
	var out []Trace
	n := 0
	add := func(count int, from time.Time, sh shape) {
		for i := range count {
			n++
			out = append(out, shopTrace(n, from.Add(time.Duration(i)*10*time.Second), sh))
		}
	}
	add(nBaseline, alertStart.Add(-30*time.Minute), healthy)
	add(nFailing, alertStart.Add(-4*time.Minute), failing)
	add(nRefused, alertStart.Add(-2*time.Minute), refused)
	add(nSlow, alertStart.Add(time.Minute), slow)
	return out
}
