// Package trace reads distributed traces from a trace backend (Tempo or
// Jaeger, behind one Source interface) and summarises them into evidence:
// error spans grouped by service, operation and status; operations slower
// in the alert's window than before it; and where errors and latency
// originate (the deepest failing span, the span that spends the most time
// itself). Every query is bounded: at most MaxTraces traces of at most
// MaxSpans spans each, under the caller's timeout.
package trace

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Span is one span of a trace, reduced to what the summary needs.
type Span struct {
	TraceID  string
	SpanID   string
	ParentID string
	Service  string
	Name     string
	// Kind is server, client, internal, producer, consumer or "".
	Kind     string
	Start    time.Time
	Duration time.Duration
	Error    bool
	// Status is the error's status message (or the HTTP status code).
	Status string
	// Peer is the host[:port] a client span called, when it says.
	Peer string
}

// Trace is the spans of one trace id.
type Trace struct {
	ID    string
	Spans []Span
	// Truncated is true when the trace had more spans than the bound.
	Truncated bool
}

// Query selects traces of one service within a window.
type Query struct {
	Service string
	Start   time.Time
	End     time.Time
	// ErrorsOnly asks for traces where the service has an error span.
	ErrorsOnly bool
	// MinDuration asks for traces where a span of the service lasts at least
	// this long; with ErrorsOnly, a trace matches on either.
	MinDuration time.Duration
	// Limit is the most traces returned; MaxSpans the most spans per trace.
	Limit    int
	MaxSpans int
}

// Validate rejects a query a backend cannot answer.
func (q Query) Validate() error {
	switch {
	case q.Service == "":
		return errors.New("trace query: no service name")
	case q.End.IsZero() || !q.Start.Before(q.End):
		return fmt.Errorf("trace query: empty window [%s, %s]", q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339))
	case q.Limit <= 0 || q.MaxSpans <= 0:
		return errors.New("trace query: limit and max spans must be positive")
	}
	return nil
}

// Source is a trace backend.
type Source interface {
	// Name is "tempo" or "jaeger", for evidence and degraded entries.
	Name() string
	// Traces returns at most q.Limit whole traces matching q, each cut to
	// q.MaxSpans spans.
	Traces(ctx context.Context, q Query) ([]Trace, error)
	// Ping checks that the backend answers, with an error that says what fails.
	Ping(ctx context.Context) error
}

// cut bounds a trace's spans.
func cut(t Trace, maxSpans int) Trace {
	if len(t.Spans) > maxSpans {
		t.Spans = t.Spans[:maxSpans]
		t.Truncated = true
	}
	return t
}
