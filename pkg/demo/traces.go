package demo

import (
	"context"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/trace"
	"github.com/cloudobs/aiops-app/pkg/evidence/trace/jaegerlocal"
)

// minTraceWindow keeps a window when the alert fires right after the
// fault.
const minTraceWindow = 5 * time.Second

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
