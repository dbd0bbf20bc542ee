package prom

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The recorded incident the real-Prometheus tests replay: order-service in
// namespace shop. Pod abcde leaks memory from 09:50 and is OOMKilled at
// 09:58:30; from then on 5 of 25 requests/s fail and latency rises. Pod fghij
// is healthy. A namespace "billing" has a pod of the same name, and
// payment-service has its own traffic: neither may leak into the results.
var (
	fxStartsAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	fxBegin    = time.Date(2026, 11, 20, 9, 20, 0, 0, time.UTC)
	fxEnd      = time.Date(2026, 11, 20, 10, 10, 0, 0, time.UTC)
	fxLeak     = time.Date(2026, 11, 20, 9, 50, 0, 0, time.UTC)
	fxOOM      = time.Date(2026, 11, 20, 9, 58, 30, 0, time.UTC)
)

const (
	fxInterval = 15 * time.Second
	mib        = 1 << 20
	gib        = 1 << 30
	podSick    = "order-service-6c9f7b8d5-abcde"
	podWell    = "order-service-6c9f7b8d5-fghij"
)

type omWriter struct{ b strings.Builder }

func (w *omWriter) family(name, typ string) {
	fmt.Fprintf(&w.b, "# TYPE %s %s\n", name, typ)
}

// series writes one series sampled every fxInterval; value returns false to
// leave a sample out (a series that does not exist yet).
func (w *omWriter) series(name, labels string, value func(t time.Time) (float64, bool)) {
	for t := fxBegin; !t.After(fxEnd); t = t.Add(fxInterval) {
		v, ok := value(t)
		if !ok {
			continue
		}
		fmt.Fprintf(&w.b, "%s{%s} %s %d\n", name, labels, formatOM(v), t.Unix())
	}
}

func formatOM(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return fmt.Sprintf("%g", v)
}

func always(f func(t time.Time) float64) func(time.Time) (float64, bool) {
	return func(t time.Time) (float64, bool) { return f(t), true }
}

func secondsSince(t, from time.Time) float64 { return t.Sub(from).Seconds() }

func sickMemory(t time.Time) float64 {
	switch {
	case t.Before(fxLeak):
		return 60 * mib
	case t.Before(fxOOM):
		return 60*mib + 2*mib*math.Floor(secondsSince(t, fxLeak)/15)
	}
	return 60*mib + mib/2*math.Floor(secondsSince(t, fxOOM)/15) // restarted, leaking slower
}

// writeIncidentFixture writes the OpenMetrics file and returns its path.
func writeIncidentFixture(t testing.TB) string {
	t.Helper()
	var w omWriter
	pods := []struct{ ns, pod string }{{"shop", podSick}, {"shop", podWell}, {"billing", podSick}}
	lbl := func(ns, pod string) string {
		return fmt.Sprintf(`namespace="%s",pod="%s",container="order"`, ns, pod)
	}
	sick := func(ns, pod string) bool { return ns == "shop" && pod == podSick }

	w.family("container_memory_working_set_bytes", "gauge")
	for _, p := range pods {
		w.series("container_memory_working_set_bytes", lbl(p.ns, p.pod), always(func(t time.Time) float64 {
			if sick(p.ns, p.pod) {
				return sickMemory(t)
			}
			return 70 * mib
		}))
		// The pod-level cgroup (container="") must be excluded.
		w.series("container_memory_working_set_bytes", fmt.Sprintf(`namespace="%s",pod="%s",container=""`, p.ns, p.pod),
			always(func(time.Time) float64 { return 500 * mib }))
	}
	w.family("kube_pod_container_resource_limits", "gauge")
	for _, p := range pods {
		w.series("kube_pod_container_resource_limits", lbl(p.ns, p.pod)+`,resource="memory",unit="byte"`,
			always(func(time.Time) float64 { return 128 * mib }))
		w.series("kube_pod_container_resource_limits", lbl(p.ns, p.pod)+`,resource="cpu",unit="core"`,
			always(func(time.Time) float64 { return 0.5 }))
	}
	w.family("container_cpu_usage_seconds", "counter")
	for _, p := range pods {
		w.series("container_cpu_usage_seconds_total", lbl(p.ns, p.pod), always(func(t time.Time) float64 {
			return 0.2 * secondsSince(t, fxBegin)
		}))
	}
	w.family("container_cpu_cfs_periods", "counter")
	for _, p := range pods {
		w.series("container_cpu_cfs_periods_total", lbl(p.ns, p.pod), always(func(t time.Time) float64 {
			return 10 * secondsSince(t, fxBegin)
		}))
	}
	w.family("container_cpu_cfs_throttled_periods", "counter")
	for _, p := range pods {
		w.series("container_cpu_cfs_throttled_periods_total", lbl(p.ns, p.pod), always(func(t time.Time) float64 {
			if sick(p.ns, p.pod) {
				return 1 * secondsSince(t, fxBegin) // 10% of periods
			}
			return 0
		}))
	}
	w.family("kube_pod_container_status_restarts", "counter")
	for _, p := range pods {
		w.series("kube_pod_container_status_restarts_total", lbl(p.ns, p.pod), always(func(t time.Time) float64 {
			if sick(p.ns, p.pod) && !t.Before(fxOOM) {
				return 1
			}
			return 0
		}))
	}
	w.family("kube_pod_container_status_last_terminated_reason", "gauge")
	w.series("kube_pod_container_status_last_terminated_reason", lbl("shop", podSick)+`,reason="OOMKilled"`,
		func(t time.Time) (float64, bool) { return 1, !t.Before(fxOOM) })

	w.family("http_requests", "counter")
	for _, svc := range []string{"order-service", "payment-service"} {
		ok := fmt.Sprintf(`service="%s",route="/orders",method="POST",code="200"`, svc)
		bad := fmt.Sprintf(`service="%s",route="/orders",method="POST",code="500"`, svc)
		w.series("http_requests_total", ok, always(func(t time.Time) float64 {
			return 20 * secondsSince(t, fxBegin)
		}))
		w.series("http_requests_total", bad, always(func(t time.Time) float64 {
			if svc == "order-service" && t.After(fxOOM) {
				return 5 * secondsSince(t, fxOOM)
			}
			return 0
		}))
	}
	w.family("http_request_duration_seconds", "histogram")
	buckets := []float64{0.05, 0.1, 0.25, 0.5, 1, math.Inf(1)}
	for _, svc := range []string{"order-service", "payment-service"} {
		for _, le := range buckets {
			w.series("http_request_duration_seconds_bucket",
				fmt.Sprintf(`service="%s",route="/orders",method="POST",le="%s"`, svc, formatOM(le)),
				always(func(t time.Time) float64 {
					fast := 20 * secondsSince(t, fxBegin) // all under 50ms
					var slow float64                      // from the OOM, 5/s take 0.5-1s
					if svc == "order-service" && t.After(fxOOM) {
						slow = 5 * secondsSince(t, fxOOM)
					}
					if le < 1 {
						return fast
					}
					return fast + slow
				}))
		}
	}
	// The kubelet's volume statistics: shop's database volume fills to 96%
	// of 10Gi by fxEnd; billing's claim of the same name stays at 20%.
	w.family("kubelet_volume_stats_used_bytes", "gauge")
	w.family("kubelet_volume_stats_capacity_bytes", "gauge")
	for _, v := range []struct {
		ns   string
		used func(time.Time) float64
	}{
		{"shop", func(t time.Time) float64 {
			return (0.5 + 0.46*secondsSince(t, fxBegin)/fxEnd.Sub(fxBegin).Seconds()) * 10 * gib
		}},
		{"billing", func(time.Time) float64 { return 0.2 * 10 * gib }},
	} {
		lbl := fmt.Sprintf(`namespace="%s",persistentvolumeclaim="data-orders-db-0"`, v.ns)
		w.series("kubelet_volume_stats_used_bytes", lbl, always(v.used))
		w.series("kubelet_volume_stats_capacity_bytes", lbl, always(func(time.Time) float64 { return 10 * gib }))
	}
	// kube-state-metrics' scale series: order-service scales from 2 to 6
	// replicas at the OOM, which is its autoscaler's maximum. The autoscaler
	// is not named after it; payment-service's autoscaler in the same
	// namespace and billing's Deployment of the same name must not be read.
	w.family("kube_deployment_status_replicas", "gauge")
	w.family("kube_horizontalpodautoscaler_info", "gauge")
	w.family("kube_horizontalpodautoscaler_status_current_replicas", "gauge")
	w.family("kube_horizontalpodautoscaler_spec_max_replicas", "gauge")
	w.family("kube_horizontalpodautoscaler_spec_min_replicas", "gauge")
	orderReplicas := func(t time.Time) float64 {
		if t.Before(fxOOM) {
			return 2
		}
		return 6
	}
	w.series("kube_deployment_status_replicas", `namespace="shop",deployment="order-service"`, always(orderReplicas))
	w.series("kube_deployment_status_replicas", `namespace="billing",deployment="order-service"`, always(func(time.Time) float64 { return 9 }))
	for _, h := range []struct {
		name, target string
		current      func(time.Time) float64
		minimum      float64
		maximum      float64
	}{
		{"orders-hpa", "order-service", orderReplicas, 2, 6},
		{"payment-service", "payment-service", func(time.Time) float64 { return 3 }, 3, 20},
	} {
		lbl := fmt.Sprintf(`namespace="shop",horizontalpodautoscaler="%s"`, h.name)
		w.series("kube_horizontalpodautoscaler_info", lbl+fmt.Sprintf(`,scaletargetref_api_version="apps/v1",scaletargetref_kind="Deployment",scaletargetref_name="%s"`, h.target),
			always(func(time.Time) float64 { return 1 }))
		w.series("kube_horizontalpodautoscaler_status_current_replicas", lbl, always(h.current))
		w.series("kube_horizontalpodautoscaler_spec_max_replicas", lbl, always(func(time.Time) float64 { return h.maximum }))
		w.series("kube_horizontalpodautoscaler_spec_min_replicas", lbl, always(func(time.Time) float64 { return h.minimum }))
	}
	w.b.WriteString("# EOF\n")
	path := filepath.Join(t.TempDir(), "metrics.om")
	if err := os.WriteFile(path, []byte(w.b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
