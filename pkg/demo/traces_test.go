package demo

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	oteltrace "go.opentelemetry.io/otel/trace"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/trace"
	"github.com/cloudobs/aiops-app/pkg/evidence/trace/jaegerlocal"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

var demoAlert = incident.Alert{Labels: map[string]string{"alertname": "HighErrorRate", "namespace": Namespace, "service": "order-service"}}

func TestTraceOptions(t *testing.T) {
	up := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name                   string
		faultAt, startsAt      time.Time
		wantLookback, wantBase time.Duration
	}{
		{"window from the fault, baseline the warm-up", up.Add(40 * time.Second), up.Add(100 * time.Second), time.Minute, 40 * time.Second},
		{"built-in fault: no baseline to speak of", up, up.Add(30 * time.Second), 30 * time.Second, minTraceWindow},
		{"alert right at the fault", up.Add(40 * time.Second), up.Add(41 * time.Second), minTraceWindow, 40 * time.Second},
	} {
		o := traceOptions(up, tc.faultAt, tc.startsAt)
		if o.Lookback != tc.wantLookback || o.Baseline != tc.wantBase {
			t.Errorf("%s: lookback %s baseline %s, want %s %s", tc.name, o.Lookback, o.Baseline, tc.wantLookback, tc.wantBase)
		}
	}
	if env := tracingEnv(""); env != nil {
		t.Errorf("no Jaeger, yet tracing env %v", env)
	}
	if env := strings.Join(tracingEnv("http://127.0.0.1:4318"), " "); !strings.Contains(env, "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318") {
		t.Errorf("tracing env %s", env)
	}
}

func TestDeadTraceBackendDegrades(t *testing.T) {
	now := time.Now()
	dead, err := trace.NewJaeger(trace.HTTPConfig{URL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	g := evidence.NewGatherer(evidence.Sources{Traces: trace.NewCollector(dead, trace.Options{})}, evidence.Options{})
	a := demoAlert
	a.StartsAt = now.Add(-time.Minute)
	b, err := g.Collect(context.Background(), a, now)
	if err != nil {
		t.Fatalf("a dead trace backend must not fail the collection: %v", err)
	}
	if !hasDegraded(b.Degraded, "jaeger", "connection refused") || len(b.Traces) != 0 {
		t.Errorf("degraded %+v, traces %d", b.Degraded, len(b.Traces))
	}
}

func hasDegraded(ds []incident.Degraded, source, text string) bool {
	for _, d := range ds {
		if d.Source == source && strings.Contains(d.Error, text) {
			return true
		}
	}
	return false
}

// TestTracesFromJaeger feeds a real Jaeger through OTLP with the demo's
// shape of request (order-service calls payment-service, which fails) and
// checks the bundle names payment-service as the origin.
func TestTracesFromJaeger(t *testing.T) {
	bin, err := jaegerlocal.Binary("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v", err)
		}
		t.Skipf("SKIP: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := jaegerlocal.Start(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)

	up := time.Now().Add(-2 * time.Minute)
	faultAt := up.Add(time.Minute)
	for i := range 6 {
		sendOrder(t, srv.OTLPEndpoint, faultAt.Add(time.Duration(i)*5*time.Second), i%2 == 0)
	}
	jaeger, err := trace.NewJaeger(trace.HTTPConfig{URL: srv.QueryURL})
	if err != nil {
		t.Fatal(err)
	}
	a := demoAlert
	a.StartsAt = faultAt.Add(30 * time.Second)
	g := evidence.NewGatherer(evidence.Sources{Traces: trace.NewCollector(jaeger, traceOptions(up, faultAt, a.StartsAt))}, evidence.Options{})
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := g.Collect(ctx, a, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range b.Traces {
			if tg.Kind == incident.TraceErrorOrigin && tg.Service == "payment-service" && tg.Caller == "order-service" && tg.Traces == 3 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no error origin in payment-service for 3 traces: %+v (degraded %+v)", b.Traces, b.Degraded)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sendOrder exports one order request as the services' SDK does: a
// server span in order-service, its client call, payment-service's server
// span; failed marks payment-service's answer an error.
func sendOrder(t *testing.T, endpoint string, at time.Time, failed bool) {
	t.Helper()
	ctx := context.Background()
	provider := func(service string) *sdktrace.TracerProvider {
		exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint+"/v1/traces"))
		if err != nil {
			t.Fatal(err)
		}
		return sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
			sdktrace.WithResource(resource.NewWithAttributes(semconv.SchemaURL, semconv.ServiceName(service))))
	}
	order, payment := provider("order-service"), provider("payment-service")
	c1, root := order.Tracer("demo").Start(ctx, "POST /orders", oteltrace.WithTimestamp(at), oteltrace.WithSpanKind(oteltrace.SpanKindServer))
	c2, call := order.Tracer("demo").Start(c1, "HTTP POST", oteltrace.WithTimestamp(at.Add(time.Millisecond)), oteltrace.WithSpanKind(oteltrace.SpanKindClient),
		oteltrace.WithAttributes(attribute.String("url.full", "http://127.0.0.1:18082/payment/charge")))
	_, charge := payment.Tracer("demo").Start(c2, "POST /payment/charge", oteltrace.WithTimestamp(at.Add(2*time.Millisecond)), oteltrace.WithSpanKind(oteltrace.SpanKindServer))
	if failed {
		for _, s := range []oteltrace.Span{charge, call, root} {
			s.SetStatus(codes.Error, "status 500")
		}
	}
	charge.End(oteltrace.WithTimestamp(at.Add(10 * time.Millisecond)))
	call.End(oteltrace.WithTimestamp(at.Add(11 * time.Millisecond)))
	root.End(oteltrace.WithTimestamp(at.Add(12 * time.Millisecond)))
	for _, tp := range []*sdktrace.TracerProvider{order, payment} {
		if err := tp.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
