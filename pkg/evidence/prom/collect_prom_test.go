package prom

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/promlocal"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// startFixturePrometheus serves the incident fixture from a real Prometheus.
func startFixturePrometheus(t testing.TB) *promlocal.Server {
	t.Helper()
	return promlocaltest.FromOpenMetrics(t, writeIncidentFixture(t))
}

// TestRealPrometheus runs every check that needs Prometheus against one
// server: starting one costs a backfill and a TSDB open.
func TestRealPrometheus(t *testing.T) {
	srv := startFixturePrometheus(t)
	t.Run("standard set", func(t *testing.T) { testStandardSet(t, srv) })
	t.Run("pods from workload and pod states", func(t *testing.T) { testPodsFromWorkloadAndStates(t, srv) })
	t.Run("partial failure", func(t *testing.T) { testPartialFailure(t, srv) })
	t.Run("window from startsAt", func(t *testing.T) { testWindowFromStartsAt(t, srv) })
	t.Run("alert's own series", func(t *testing.T) { testAlertsOwnSeries(t, srv) })
	t.Run("hostile labels", func(t *testing.T) { testHostileLabels(t, srv) })
	t.Run("claim usage", func(t *testing.T) { testClaimUsage(t, srv) })
	t.Run("pod claims", func(t *testing.T) { testPodClaims(t, srv) })
	t.Run("scale series", func(t *testing.T) { testScaleSeries(t, srv) })
	t.Run("floored autoscalers", func(t *testing.T) { testFlooredAutoscalers(t, srv) })
}

// testFlooredAutoscalers finds the autoscaler held at its minReplicas
// (payment-service, 3 of minimum 3) and not the one scaled above it.
func testFlooredAutoscalers(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.FlooredAutoscalers(context.Background(), "shop", fxEnd)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Floor{{Autoscaler: "payment-service", MinReplicas: 3}}; !slices.Equal(got, want) {
		t.Errorf("shop: got %+v, want %+v", got, want)
	}
	if got, err := c.FlooredAutoscalers(context.Background(), "billing", fxEnd); err != nil || len(got) != 0 {
		t.Errorf("billing has no autoscaler: got %+v, %v", got, err)
	}
	if _, err := c.FlooredAutoscalers(context.Background(), `shop"}) or vector(1`, fxEnd); err == nil {
		t.Error("a namespace that is no name was queried")
	}
}

// testScaleSeries reads the workload's replicas and the autoscaler that
// scales it, found by its scale target rather than its name.
func testScaleSeries(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	series, err := c.Collect(context.Background(), fixtureAlert(), fixtureTarget(), nil, fxStartsAt.Add(-30*time.Minute), fxEnd)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		name        string
		first, last float64
	}{
		{incident.MetricWorkloadReplicas, 2, 6},
		{incident.MetricHPAReplicas, 2, 6},
		{incident.MetricHPAMaxReplicas, 6, 6},
	} {
		got := find(series, w.name, "")
		if len(got) != 1 {
			t.Errorf("%s: %d series, want 1", w.name, len(got))
			continue
		}
		if s := got[0]; s.Summary.First != w.first || s.Summary.Last != w.last || s.Entity != fixtureTarget().Workload {
			t.Errorf("%s: %v -> %v on %v, want %v -> %v on the target workload", w.name, s.Summary.First, s.Summary.Last, s.Entity, w.first, w.last)
		}
	}
	// A DaemonSet has no replica count or autoscaler to read.
	ds := incident.Target{Namespace: "shop", Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDaemonSet, Name: "order-service"}}
	series, _ = c.Collect(context.Background(), fixtureAlert(), ds, nil, fxStartsAt.Add(-30*time.Minute), fxEnd)
	if got := find(series, incident.MetricWorkloadReplicas, ""); len(got) != 0 {
		t.Errorf("a DaemonSet got replica series: %+v", got)
	}
}

// testPodClaims names the claims the kubelet measures that follow the
// StatefulSet naming of the pods, in the pods' namespaces only.
func testPodClaims(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	pods := []incident.PodState{{Namespace: "shop", Name: "orders-db-0"}, {Namespace: "billing", Name: "orders-db-1"}, {Namespace: "shop", Name: `x"}) or vector(1) #`}}
	got, err := c.PodClaims(context.Background(), pods, fxEnd)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Namespace != "shop" || got[0].Name != "data-orders-db-0" {
		t.Errorf("PodClaims = %+v, want only shop/data-orders-db-0", got)
	}
}

func testClaimUsage(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	claims := []incident.ClaimState{
		{Namespace: "shop", Name: "data-orders-db-0", Phase: "Bound", Capacity: 8 * gib},
		{Namespace: "billing", Name: "data-orders-db-0", Phase: "Bound"},
		{Namespace: "shop", Name: "data-unmeasured-0", Phase: "Bound", Capacity: 5 * gib},
		{Namespace: "shop", Name: `x"}) or vector(1) #`, Phase: "Bound"},
	}
	if err := c.ClaimUsage(context.Background(), claims, fxEnd); err != nil {
		t.Fatal(err)
	}
	if got := claims[0]; got.Capacity != 10*gib || !near(float64(got.UsedBytes), 0.96*10*gib, 0.01*gib) || !got.FullAt(0.9) {
		t.Errorf("shop's claim: used %d of %d, want 96%% of 10Gi and full", got.UsedBytes, got.Capacity)
	}
	if got := claims[1]; !near(float64(got.UsedBytes), 0.2*10*gib, 1) || got.FullAt(0.9) {
		t.Errorf("billing's claim of the same name: used %d of %d, want 20%%", got.UsedBytes, got.Capacity)
	}
	if got := claims[2]; got.UsedBytes != 0 || got.Capacity != 5*gib || got.FullAt(0.9) {
		t.Errorf("an unmeasured claim changed: %+v", got)
	}
	if got := claims[3]; got.UsedBytes != 0 {
		t.Errorf("a claim name that is not a DNS name was queried: %+v", got)
	}
}

func fixtureAlert() incident.Alert {
	return incident.Alert{
		Labels:   map[string]string{"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": podSick, "container": "order"},
		StartsAt: fxStartsAt,
		Query:    `increase(kube_pod_container_status_restarts_total{namespace="shop"}[5m]) > 0`,
	}
}

func fixtureTarget() incident.Target {
	return incident.Target{
		Namespace: "shop",
		Workload:  incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order-service"},
		Pods:      []string{podSick, podWell},
		Container: "order",
		Service:   "order-service",
	}
}

// find returns the series of a name for an entity name ("" for any).
func find(series []incident.Series, name, entity string) []incident.Series {
	var out []incident.Series
	for _, s := range series {
		if s.Name == name && (entity == "" || s.Entity.Name == entity) {
			out = append(out, s)
		}
	}
	return out
}

func one(t *testing.T, series []incident.Series, name, entity string) incident.Series {
	t.Helper()
	found := find(series, name, entity)
	if len(found) != 1 {
		t.Fatalf("want one %s series for %q, got %d", name, entity, len(found))
	}
	return found[0]
}

func near(got, want, tolerance float64) bool { return math.Abs(got-want) <= tolerance }

func within(t time.Time, from, to time.Time) bool { return !t.Before(from) && !t.After(to) }

func testStandardSet(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Health(ctx); err != nil {
		t.Fatalf("Health: %v", err)
	}
	since, until := fxStartsAt.Add(-30*time.Minute), fxStartsAt.Add(10*time.Minute)
	series, err := c.Collect(ctx, fixtureAlert(), fixtureTarget(), nil, since, until)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if _, err := json.Marshal(series); err != nil {
		t.Fatalf("series must serialise: %v", err)
	}
	for _, s := range series {
		if len(s.Points) == 0 || len(s.Points) > DefaultMaxPoints {
			t.Errorf("%s %v: %d points", s.Name, s.Labels, len(s.Points))
		}
		if s.Points[0].T.Before(since) || s.Points[len(s.Points)-1].T.After(until) {
			t.Errorf("%s: points outside the window", s.Name)
		}
		if s.Entity.Namespace == "billing" {
			t.Errorf("%s: series from another namespace: %v", s.Name, s.Labels)
		}
		if s.Entity.IsZero() {
			t.Errorf("%s: no entity", s.Name)
		}
	}
	for _, name := range []string{incident.MetricAlert, incident.MetricMemoryWorkingSet, incident.MetricMemoryLimit,
		incident.MetricCPUUsage, incident.MetricCPULimit, incident.MetricCPUThrottling, incident.MetricRestarts,
		incident.MetricOOMKills, incident.MetricRequestRate, incident.MetricErrorRatio, incident.MetricLatencyP95,
		incident.MetricLatencyP99} {
		if len(find(series, name, "")) == 0 {
			t.Errorf("no %s series", name)
		}
	}
	if series[0].Name != incident.MetricAlert {
		t.Errorf("the alert's own series must come first, got %s", series[0].Name)
	}

	t.Run("alert query without its threshold", func(t *testing.T) {
		s := one(t, series, incident.MetricAlert, podSick)
		if strings.Contains(s.Query, "> 0") {
			t.Errorf("threshold kept in %q", s.Query)
		}
		if s.Entity != (incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: podSick}) {
			t.Errorf("entity %v", s.Entity)
		}
		if s.Summary.Max <= 0 || s.Summary.Onset.IsZero() {
			t.Errorf("the restart must show: %+v", s.Summary)
		}
	})
	t.Run("memory leak", func(t *testing.T) {
		s := one(t, series, incident.MetricMemoryWorkingSet, podSick)
		if s.Unit != unitBytes || s.Entity.Kind != incident.KindPod || s.Labels["container"] != "order" {
			t.Errorf("unit %q entity %v labels %v", s.Unit, s.Entity, s.Labels)
		}
		if !near(s.Summary.Max, 126*mib, 2*mib) || !near(s.Summary.Min, 60*mib, 0) {
			t.Errorf("min %v max %v", s.Summary.Min/mib, s.Summary.Max/mib)
		}
		if !within(s.Summary.Onset, fxLeak, fxLeak.Add(30*time.Second)) || s.Summary.OnsetOffsetSec >= 0 {
			t.Errorf("onset %v (%vs), want just after %v", s.Summary.Onset, s.Summary.OnsetOffsetSec, fxLeak)
		}
		well := one(t, series, incident.MetricMemoryWorkingSet, podWell)
		if well.Summary.Trend != TrendFlat || !well.Summary.Onset.IsZero() || well.Summary.Max != 70*mib {
			t.Errorf("healthy pod: %+v", well.Summary)
		}
		limit := one(t, series, incident.MetricMemoryLimit, podSick)
		if limit.Summary.Last != 128*mib || limit.Summary.Trend != TrendFlat {
			t.Errorf("limit %+v", limit.Summary)
		}
	})
	t.Run("restart and OOM kill are steps at the kill", func(t *testing.T) {
		for _, name := range []string{incident.MetricRestarts, incident.MetricOOMKills} {
			s := one(t, series, name, podSick)
			if s.Summary.Trend != TrendStep || s.Summary.Last != 1 {
				t.Errorf("%s: %+v", name, s.Summary)
			}
			if !within(s.Summary.Onset, fxOOM, fxOOM.Add(15*time.Second)) {
				t.Errorf("%s onset %v, want at %v", name, s.Summary.Onset, fxOOM)
			}
			well := one(t, series, name, podWell)
			if well.Summary.Max != 0 {
				t.Errorf("%s healthy pod: %+v", name, well.Summary)
			}
		}
	})
	t.Run("cpu and throttling", func(t *testing.T) {
		usage := one(t, series, incident.MetricCPUUsage, podSick)
		if !near(usage.Summary.Mean, 0.2, 0.01) || usage.Unit != unitCores {
			t.Errorf("cpu usage %+v", usage.Summary)
		}
		thr := one(t, series, incident.MetricCPUThrottling, podSick)
		if !near(thr.Summary.Last, 0.1, 0.005) {
			t.Errorf("throttling %+v", thr.Summary)
		}
		if lim := one(t, series, incident.MetricCPULimit, podWell); lim.Summary.Last != 0.5 {
			t.Errorf("cpu limit %+v", lim.Summary)
		}
	})
	t.Run("http errors and latency of the service only", func(t *testing.T) {
		rate := one(t, series, incident.MetricRequestRate, "order-service")
		if rate.Entity != (incident.Entity{Namespace: "shop", Kind: incident.KindService, Name: "order-service"}) {
			t.Errorf("entity %v", rate.Entity)
		}
		if !near(rate.Summary.First, 20, 0.5) || !near(rate.Summary.Last, 25, 0.5) {
			t.Errorf("request rate %+v", rate.Summary)
		}
		errs := one(t, series, incident.MetricErrorRatio, "order-service")
		if errs.Summary.First != 0 || !near(errs.Summary.Last, 0.2, 0.01) {
			t.Errorf("error ratio %+v", errs.Summary)
		}
		if !within(errs.Summary.Onset, fxOOM, fxOOM.Add(time.Minute)) {
			t.Errorf("error onset %v, want soon after %v", errs.Summary.Onset, fxOOM)
		}
		p99 := one(t, series, incident.MetricLatencyP99, "order-service")
		if p99.Summary.First >= 0.05 || p99.Summary.Last < 0.5 || p99.Summary.Onset.IsZero() {
			t.Errorf("p99 %+v", p99.Summary)
		}
		p95 := one(t, series, incident.MetricLatencyP95, "order-service")
		if p95.Summary.Last < 0.5 {
			t.Errorf("p95 %+v", p95.Summary)
		}
	})
}

func testPodsFromWorkloadAndStates(t *testing.T, srv *promlocal.Server) {
	ctx := context.Background()
	since, until := fxStartsAt.Add(-30*time.Minute), fxStartsAt.Add(10*time.Minute)

	t.Run("workload only: pods by name pattern", func(t *testing.T) {
		c, err := New(Config{URL: srv.URL()})
		if err != nil {
			t.Fatal(err)
		}
		target := incident.Target{Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order-service"}}
		series, err := c.Collect(ctx, incident.Alert{StartsAt: fxStartsAt}, target, nil, since, until)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(find(series, incident.MetricMemoryWorkingSet, "")); got != 2 {
			t.Errorf("memory series: %d, want the two shop pods", got)
		}
		// The service is taken from the workload's name.
		if len(find(series, incident.MetricErrorRatio, "order-service")) != 1 {
			t.Error("no error ratio for the workload's service")
		}
	})
	t.Run("pods from the collected pod states", func(t *testing.T) {
		c, err := New(Config{URL: srv.URL(), MaxSeries: 1})
		if err != nil {
			t.Fatal(err)
		}
		pods := []incident.PodState{{Namespace: "shop", Name: podSick}, {Namespace: "shop", Name: podWell}}
		series, err := c.Collect(ctx, incident.Alert{StartsAt: fxStartsAt}, incident.Target{}, pods, since, until)
		if err != nil {
			t.Fatal(err)
		}
		mem := find(series, incident.MetricMemoryWorkingSet, "")
		if len(mem) != 1 || mem[0].Entity.Name != podSick {
			t.Errorf("MaxSeries 1 must keep the pod that moved: %+v", mem)
		}
	})
}

func testPartialFailure(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	a := fixtureAlert()
	a.Query = `sum(rate(http_requests_total[5m]` // broken PromQL from the rule
	since, until := fxStartsAt.Add(-30*time.Minute), fxStartsAt.Add(10*time.Minute)
	series, err := c.Collect(context.Background(), a, fixtureTarget(), nil, since, until)
	if err == nil || !strings.Contains(err.Error(), "alert:") || !strings.Contains(err.Error(), "1 of") {
		t.Fatalf("want the alert query's failure reported, got %v", err)
	}
	if len(find(series, incident.MetricMemoryWorkingSet, podSick)) != 1 {
		t.Error("the standard series must survive the alert query's failure")
	}
}

func testWindowFromStartsAt(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL(), Lookback: 10 * time.Minute, MaxPoints: 50})
	if err != nil {
		t.Fatal(err)
	}
	until := fxStartsAt.Add(5 * time.Minute)
	series, err := c.Collect(context.Background(), fixtureAlert(), fixtureTarget(), nil, time.Time{}, until)
	if err != nil {
		t.Fatal(err)
	}
	s := one(t, series, incident.MetricMemoryWorkingSet, podSick)
	if first := s.Points[0].T; first.Before(fxStartsAt.Add(-10 * time.Minute)) {
		t.Errorf("first point %v before startsAt - lookback", first)
	}
	if len(s.Points) > 50 {
		t.Errorf("%d points, MaxPoints 50", len(s.Points))
	}
}

func TestCollectCancelled(t *testing.T) {
	c, err := New(Config{URL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	series, err := c.Collect(ctx, fixtureAlert(), fixtureTarget(), nil, fxStartsAt.Add(-time.Hour), fxStartsAt)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
	if len(series) != 0 {
		t.Errorf("cancelled collection returned %d series", len(series))
	}
}

func testAlertsOwnSeries(t *testing.T, srv *promlocal.Server) {
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	since, until := fxStartsAt.Add(-30*time.Minute), fxStartsAt.Add(10*time.Minute)
	ctx := context.Background()
	a := incident.Alert{
		Labels:   map[string]string{"alertname": "HighMemory", "namespace": "shop", "pod": podWell, "container": "order"},
		StartsAt: fxStartsAt,
		// Cluster-wide rule: every pod's memory, all namespaces.
		Query: `container_memory_working_set_bytes{container!=""} > 0`,
	}
	series, err := c.Collect(ctx, a, incident.Target{}, nil, since, until)
	if err != nil {
		t.Fatal(err)
	}
	own := find(series, incident.MetricAlert, "")
	if len(own) != 1 || own[0].Labels["pod"] != podWell || own[0].Labels["namespace"] != "shop" {
		t.Errorf("want only the alert's own series, got %+v", own)
	}
	// Labels that match no series keep them all (up to MaxSeries).
	a.Labels = map[string]string{"alertname": "HighMemory", "namespace": "elsewhere"}
	series, err = c.Collect(ctx, a, incident.Target{}, nil, since, until)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(find(series, incident.MetricAlert, "")); got != 3 {
		t.Errorf("want the three container series, got %d", got)
	}
}
