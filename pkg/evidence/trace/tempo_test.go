package trace

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func newFakeTempo(t testing.TB, f *fakeTempo, cfg HTTPConfig) *Tempo {
	t.Helper()
	f.t = t
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg.URL = srv.URL
	tempo, err := NewTempo(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tempo
}

var shopAlert = incident.Alert{Labels: map[string]string{"alertname": "HighErrorRate", "service": "order-service"}, StartsAt: alertStart}

// find returns the groups of a kind.
func find(gs []incident.TraceGroup, kind string) []incident.TraceGroup {
	var out []incident.TraceGroup
	for _, g := range gs {
		if g.Kind == kind {
			out = append(out, g)
		}
	}
	return out
}

// checkShop asserts the summary of the shop scenario, whichever backend
// served it.
func checkShop(t *testing.T, source string, gs []incident.TraceGroup) {
	t.Helper()
	for _, g := range gs {
		if g.Source != source {
			t.Errorf("group %+v: source %q, want %q", g, g.Source, source)
		}
	}
	origins := find(gs, incident.TraceErrorOrigin)
	want := []struct {
		service, operation, peer, caller string
		traces                           int
	}{
		{"payment-service", "POST /payment/charge", "", "order-service", nFailing},
		{"payment-service", "POST /payment/charge", "", "order-service", nSlow},
		{"order-service", "HTTP POST", "127.0.0.1:1", "order-service", nRefused},
	}
	if len(origins) != len(want) {
		t.Fatalf("error origins: got %d, want %d: %+v", len(origins), len(want), origins)
	}
	for i, w := range want {
		o := origins[i]
		if o.Service != w.service || o.Operation != w.operation || o.Peer != w.peer || o.Caller != w.caller || o.Traces != w.traces {
			t.Errorf("origin %d: got %s %q peer %q caller %q in %d traces, want %+v", i, o.Service, o.Operation, o.Peer, o.Caller, o.Traces, w)
		}
		if len(o.TraceIDs) == 0 || len(o.TraceIDs) > maxExamples || len(o.TraceIDs[0]) != 32 {
			t.Errorf("origin %d: example trace ids %v", i, o.TraceIDs)
		}
	}
	if s := origins[2].Status; !strings.Contains(s, "connection refused") {
		t.Errorf("refused origin status %q", s)
	}

	errs := find(gs, incident.TraceErrors)
	if len(errs) == 0 || errs[0].Service != "order-service" || errs[0].Operation != "POST /orders" || errs[0].Count != nFailing+nRefused+nSlow {
		t.Errorf("error groups: %+v", errs)
	}

	lat := find(gs, incident.TraceLatency)
	var charge *incident.TraceGroup
	for i, g := range lat {
		if g.Service == "payment-service" && g.Operation == "POST /payment/charge" {
			charge = &lat[i]
		}
	}
	if charge == nil {
		t.Fatalf("payment-service's charge is not slow: %+v", lat)
	}
	if charge.P95 != 6*time.Second || charge.BaselineP95 != 20*time.Millisecond {
		t.Errorf("charge p95 %s (baseline %s), want 6s (20ms)", charge.P95, charge.BaselineP95)
	}

	lo := find(gs, incident.TraceLatencyOrigin)
	if len(lo) != 1 || lo[0].Service != "payment-service" || lo[0].Caller != "order-service" || lo[0].Traces != nSlow || lo[0].P95 != 6*time.Second {
		t.Errorf("latency origins: %+v", lo)
	}
}

func TestTempoCollectShop(t *testing.T) {
	f := &fakeTempo{traces: shopTraces()}
	c := NewCollector(newFakeTempo(t, f, HTTPConfig{}), Options{})
	gs, err := c.Collect(context.Background(), shopAlert, incident.Target{Namespace: "shop"}, alertStart, alertNow)
	if err != nil {
		t.Fatal(err)
	}
	checkShop(t, "tempo", gs)
	// The collector searches the alert window and the baseline window
	// concurrently, so the order in which the fake sees them varies.
	filtered := 0
	for _, q := range f.searches {
		if strings.Contains(q, "status = error || duration >= 1000ms") {
			filtered++
		}
	}
	if len(f.searches) != 3 || filtered != 1 {
		t.Errorf("searches %q: want 3, one of them filtered on errors and slow spans", f.searches)
	}
}

func TestTempoAuthAndTenant(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  HTTPConfig
		want string
	}{
		{"bearer", HTTPConfig{BearerToken: "tok", TenantID: "team-a"}, "Bearer tok"},
		{"basic", HTTPConfig{BasicUser: "u", BasicPassword: "p"}, "Basic dTpw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeTempo{traces: shopTraces()}
			tempo := newFakeTempo(t, f, tc.cfg)
			if err := tempo.Ping(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, h := range f.headers {
				if h.Get("Authorization") != tc.want || h.Get("X-Scope-OrgID") != tc.cfg.TenantID {
					t.Errorf("headers %v", h)
				}
			}
		})
	}
}

func TestTempoBounds(t *testing.T) {
	f := &fakeTempo{traces: shopTraces()}
	tempo := newFakeTempo(t, f, HTTPConfig{})
	got, err := tempo.Traces(context.Background(), Query{Service: "order-service", Start: alertStart.Add(-time.Hour), End: alertNow, Limit: 2, MaxSpans: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d traces, want 2", len(got))
	}
	for _, tr := range got {
		if len(tr.Spans) != 2 || !tr.Truncated || len(tr.ID) != 32 {
			t.Errorf("trace %s: %d spans, truncated %v", tr.ID, len(tr.Spans), tr.Truncated)
		}
	}
	if got[0].Spans[1].ParentID != got[0].Spans[0].SpanID || got[0].Spans[1].Kind != "client" || got[0].Spans[1].Peer != "127.0.0.1:18082" {
		t.Errorf("decoded spans %+v", got[0].Spans)
	}
}

func TestTempoFailures(t *testing.T) {
	f := &fakeTempo{traces: shopTraces(), fail: http.StatusServiceUnavailable}
	c := NewCollector(newFakeTempo(t, f, HTTPConfig{}), Options{})
	gs, err := c.Collect(context.Background(), shopAlert, incident.Target{}, alertStart, alertNow)
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") || !strings.Contains(err.Error(), "ingester unavailable") {
		t.Errorf("error %v", err)
	}
	if len(gs) != 0 {
		t.Errorf("groups from a failing source: %+v", gs)
	}

	// A server that is not Tempo fails the health check with a hint.
	other := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(other.Close)
	tempo, err := NewTempo(HTTPConfig{URL: other.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := tempo.Ping(context.Background()); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("ping of a non-Tempo server: %v", err)
	}

	// A source that does not answer in time is cut by the caller's deadline.
	slowSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(slowSrv.Close)
	tempo, _ = NewTempo(HTTPConfig{URL: slowSrv.URL})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := NewCollector(tempo, Options{}).Collect(ctx, shopAlert, incident.Target{}, alertStart, alertNow); err == nil {
		t.Error("no error from a source past its deadline")
	}
}

func TestTraceQL(t *testing.T) {
	for _, tc := range []struct {
		q       Query
		want    string
		wantErr bool
	}{
		{Query{Service: "order-service"}, `{ resource.service.name = "order-service" }`, false},
		{Query{Service: "a", ErrorsOnly: true}, `{ resource.service.name = "a" && (status = error) }`, false},
		{Query{Service: "a", ErrorsOnly: true, MinDuration: 1500 * time.Millisecond}, `{ resource.service.name = "a" && (status = error || duration >= 1500ms) }`, false},
		{Query{Service: `a" || true || "`}, "", true},
		{Query{Service: ""}, "", true},
	} {
		got, err := TraceQL(tc.q)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("TraceQL(%+v) = %q, %v; want %q", tc.q, got, err, tc.want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []HTTPConfig{{}, {URL: "ftp://x"}, {URL: "http://"}, {URL: "http://x", BearerToken: "t", BasicUser: "u"}} {
		if _, err := NewTempo(cfg); err == nil {
			t.Errorf("NewTempo(%+v): no error", cfg)
		}
		if _, err := NewJaeger(cfg); err == nil {
			t.Errorf("NewJaeger(%+v): no error", cfg)
		}
	}
}

func TestServices(t *testing.T) {
	a := incident.Alert{Labels: map[string]string{"service": "order-service", "job": "order", "app": "bad name!"}}
	got := Services(a, incident.Target{Service: "order-service", Workload: incident.Entity{Name: "order"}})
	if strings.Join(got, ",") != "order-service,order" {
		t.Errorf("Services = %v", got)
	}
}
