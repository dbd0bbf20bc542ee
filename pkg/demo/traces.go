package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/trace"
	"github.com/cloudobs/aiops-app/pkg/evidence/trace/jaegerlocal"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Bounds of the demo's trace collection.
const (
	traceTimeout = 10 * time.Second
	// minTraceWindow keeps a window when the alert fires right after the
	// fault.
	minTraceWindow = 5 * time.Second
	maxDegradedLen = 512
)

// startJaeger runs the local Jaeger the services export their traces to.
// Traces are optional: without Jaeger, or when it fails to start, the demo
// says so and explains from Kubernetes, metrics and logs alone.
func startJaeger(ctx context.Context, cfg Config, say func(string, ...any)) *jaegerlocal.Server {
	if cfg.NoTraces {
		say("traces off (--traces=false)")
		return nil
	}
	bin, err := jaegerlocal.Binary(cfg.JaegerBin)
	if err != nil {
		say("no traces: %v", err)
		return nil
	}
	srv, err := jaegerlocal.Start(ctx, bin)
	if err != nil {
		say("no traces: %v", err)
		return nil
	}
	say("Jaeger %s at %s; the services export traces to %s", jaegerlocal.Version, srv.QueryURL, srv.OTLPEndpoint)
	return srv
}

// tracingEnv points a service's OpenTelemetry SDK at Jaeger. The batch
// delay is short so the spans of the last seconds before the alert are in
// Jaeger when the explanation reads them.
func tracingEnv(otlpEndpoint string) []string {
	if otlpEndpoint == "" {
		return nil
	}
	return []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + otlpEndpoint, "OTEL_BSP_SCHEDULE_DELAY=500"}
}

// traceOptions lay the trace windows over the demo's timeline: the alert's
// window starts at the fault, the baseline is the healthy traffic before it.
func traceOptions(servicesUp, faultAt, startsAt time.Time) trace.Options {
	return trace.Options{
		Lookback: max(startsAt.Sub(faultAt), minTraceWindow),
		Baseline: max(faultAt.Sub(servicesUp), minTraceWindow),
	}
}

// tracedGatherer adds trace evidence to what the gatherer collects. The
// gatherer takes no trace source until the settings carry one (issue 19,
// after the engine refactor); the demo adds the traces here so that its
// explanations read them with the same collector.
type tracedGatherer struct {
	explain.Gatherer
	traces *trace.Collector
}

func (g tracedGatherer) Collect(ctx context.Context, a incident.Alert, now time.Time) (*incident.Bundle, error) {
	b, err := g.Gatherer.Collect(ctx, a, now)
	if err != nil {
		return b, err
	}
	anchor := a.StartsAt
	if anchor.IsZero() || anchor.After(now) {
		anchor = now
	}
	ctx, cancel := context.WithTimeout(ctx, traceTimeout)
	defer cancel()
	groups, err := g.traces.Collect(ctx, a, b.Target, anchor, now)
	b.Traces = append(b.Traces, groups...)
	if err != nil {
		// A failing trace source degrades the explanation, as any source.
		msg := strings.Join(strings.Fields(err.Error()), " ")
		if len(msg) > maxDegradedLen {
			msg = strings.ToValidUTF8(msg[:maxDegradedLen], "") + "…"
		}
		b.Degraded = append(b.Degraded, incident.Degraded{Source: g.traces.Name(), Error: fmt.Sprintf("traces: %s", msg)})
	}
	return b, nil
}
