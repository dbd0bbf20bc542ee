package main

import (
	"fmt"
	"time"
)

// resourceScenarios: memory limits, CPU limits, disks, descriptors, pools.
func resourceScenarios() []definition {
	return []definition{
		{"oom-order-service-leak", oomOrderServiceLeak},
	}
}

// An order cache without eviction grows until the 128Mi limit: two of three
// replicas are OOMKilled every few minutes.
func oomOrderServiceLeak(b *builder) {
	b.setup("2026-11-18T14:22:00Z", 45)
	b.describe(`order-service keeps an unbounded in-memory cache of orders; two of its three
pods reach the 128Mi memory limit a few minutes after each start and are OOMKilled
(exit code 137). The alert names one pod.`)
	nodes := b.cluster(3, "m6i.xlarge", "general-2026101")
	spec := b.podSpec("order-service", ctrSpec{name: "order-service", image: b.ecr("shop/order-service", "1.14.2"), port: 8080,
		cpuReq: "250m", memReq: "128Mi", memLim: "128Mi",
		env:          []string{"GOMEMLIMIT", "", "HTTP_ADDR", ":8080", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4317"},
		configMapEnv: []string{"order-service-config"},
		liveness:     httpProbe("/healthz", 8080, 5, 10, 1, 3), readiness: httpProbe("/readyz", 8080, 2, 5, 1, 3)})
	w := b.deployment("shop", "order-service", 3, b.at(days(41)), spec, "app.kubernetes.io/version", "1.14.2")
	w.revision(6, b.at(days(9)), withImage("order-service", b.ecr("shop/order-service", "1.14.1")))
	rev := w.revision(7, b.at(days(3)+2*time.Hour), nil)
	var alertPod *podPlan
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(3)+2*time.Hour-time.Duration(i)*40*time.Second))
		c := p.ctr("order-service")
		p.http = b.webTraffic("order-service", 8080, 22, 0.018, route{"POST", "/api/v1/orders", 0.4}, route{"GET", "/api/v1/orders/{id}", 0.6})
		if i == 2 {
			c.runs[0].start = b.at(days(3) + 2*time.Hour - 5*time.Second)
			c.memGrowth(mi(41), mi(74), days(3))
			c.logs = orderServiceLogs(b, false)
			continue
		}
		runFor := time.Duration(6+i) * time.Minute
		c.crashLoop(b.at(52*time.Minute-time.Duration(i)*3*time.Minute), runFor,
			run{reason: "OOMKilled", exit: 137}, int32(31+i*4))
		c.memGrowth(mi(38), mi(128), runFor)
		c.oomKills = true
		c.logs = orderServiceLogs(b, true)
		if i == 0 {
			alertPod = p
		}
	}
	b.configMap("shop", "order-service-config", b.at(days(41)), "CACHE_TTL", "0", "LOG_LEVEL", "info", "PAYMENT_URL", "http://payment-service.shop.svc.cluster.local:8080")
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      podAlert("KubeContainerOOMKilled", "shop", alertPod.name, "order-service", "warning"),
		summary:     "Container was OOMKilled.",
		description: fmt.Sprintf("Container order-service in pod shop/%s has been OOMKilled %d times in the last 10 minutes.", alertPod.name, 1),
		startsAt:    b.at(11 * time.Minute),
		query:       `(kube_pod_container_status_restarts_total - kube_pod_container_status_restarts_total offset 10m >= 1) and ignoring (reason) min_over_time(kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}[10m]) == 1`,
		value:       1,
	})
	b.expect("OOMKilled", "shop", "Deployment", "order-service", "order-service", "128Mi", "137")
}

func orderServiceLogs(b *builder, leaking bool) logFunc {
	return func(r run, _ int, emit func(time.Time, string)) {
		t0 := after(r, 210*time.Millisecond)
		emit(t0, slogJSON(t0, "INFO", "starting order-service", "version", "1.14.2", "go", "go1.25.4", "gomaxprocs", 2))
		emit(t0.Add(40*time.Millisecond), slogJSON(t0.Add(40*time.Millisecond), "INFO", "connected to postgres", "host", "orders-db.shop.svc.cluster.local", "pool_max", 20))
		emit(t0.Add(90*time.Millisecond), slogJSON(t0.Add(90*time.Millisecond), "INFO", "http server listening", "addr", ":8080"))
		entries := 0
		every(b, r, 4*time.Second, 9*time.Second, emit, func(t time.Time, i int) string {
			entries += 900 + b.rng.IntN(400)
			if leaking && i%6 == 5 {
				return slogJSON(t, "WARN", "order cache above soft limit", "entries", entries, "soft_limit", 5000)
			}
			return slogJSON(t, "INFO", "request completed", "method", "POST", "route", "/api/v1/orders", "status", 201,
				"duration_ms", 9+b.rng.IntN(40), "trace_id", b.traceID())
		})
	}
}
