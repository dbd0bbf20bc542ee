package main

import (
	"fmt"
	"math"
	"time"
)

// shapeScenarios vary how the alert arrives: Alertmanager and Grafana webhook
// bodies (no rule query), and labels that name the target only by job and
// instance.
func shapeScenarios() []definition {
	return []definition{
		{"oom-redis-statefulset-alertmanager-webhook", oomRedisWebhook},
		{"tls-internal-ca-rotation-grafana-webhook", tlsInternalCA},
		{"cpu-throttling-jvm-gc-quote-engine", cpuThrottlingJVM},
		{"traffic-spike-crawler-product-suggest", trafficSpikeCrawler},
		{"unknown-error-burst-without-evidence", unknownErrorBurst},
	}
}

// Redis without maxmemory grows to its 1Gi limit and is OOMKilled.
func oomRedisWebhook(b *builder) {
	b.setup("2026-11-09T13:44:00Z", 45)
	b.describe(`redis-cache-0 (StatefulSet redis-cache) runs without maxmemory; a new session
feature stores larger values and Redis grows until the container hits its 1Gi limit:
OOMKilled (exit code 137), a restart with an empty cache, and again. The alert arrives
as an Alertmanager webhook body, without the rule's query.`)
	nodes := b.cluster(3, "r6i.large", "data")
	spec := b.podSpec("redis-cache", ctrSpec{name: "redis", image: "redis:7.2.6", port: 6379, portName: "redis",
		cpuReq: "250m", memReq: "1Gi", memLim: "1Gi", args: []string{"--save", "", "--appendonly", "no"},
		readiness: execProbe([]string{"redis-cli", "ping"}, 5, 2, 3)},
		ctrSpec{name: "exporter", image: "oliver006/redis_exporter:v1.66.0", port: 9121, portName: "metrics", cpuReq: "10m", memReq: "32Mi", memLim: "64Mi"})
	w := b.workload("StatefulSet", "sessions", "redis-cache", 1, b.at(days(600)), spec)
	p := w.pod(nodes[0], b.at(days(12)), 0)
	c := p.ctr("redis")
	c.crashLoop(b.at(44*time.Minute), 7*time.Minute, run{reason: "OOMKilled", exit: 137}, 2)
	c.memGrowth(mi(12), mi(1024), 7*time.Minute)
	c.oomKills = true
	c.logs = func(r run, _ int, emit func(time.Time, string)) {
		ts := func(t time.Time) string { return t.UTC().Format("02 Jan 2006 15:04:05.000") }
		t := after(r, 20*time.Millisecond)
		emit(t, "1:C "+ts(t)+" # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
		emit(t.Add(time.Millisecond), "1:C "+ts(t)+" # Redis version=7.2.6, bits=64, commit=00000000, modified=0, pid=1, just started")
		emit(t.Add(2*time.Millisecond), "1:M "+ts(t)+" # WARNING: no maxmemory limit is set; Redis may use all the memory it is allowed")
		emit(t.Add(3*time.Millisecond), "1:M "+ts(t)+" * Ready to accept connections tcp")
		every(b, r, time.Minute, 2*time.Minute, emit, func(t time.Time, k int) string {
			return "1:M " + ts(t) + fmt.Sprintf(" * %d clients connected (0 replicas), %d bytes in use", 180+k*3, (k+1)*110000000)
		})
	}
	svc := &workload{b: b, ns: "sessions", name: "redis-cache", labels: w.labels, selector: w.selector, created: w.created, pods: w.pods}
	b.service(svc, 6379, 6379)
	b.alert(alertSpec{
		labels:      podAlert("KubeContainerOOMKilled", "sessions", p.name, "redis", "critical"),
		summary:     "Container was OOMKilled.",
		description: fmt.Sprintf("Container redis in pod sessions/%s has been OOMKilled.", p.name),
		startsAt:    b.at(26 * time.Minute),
		query:       `(kube_pod_container_status_restarts_total - kube_pod_container_status_restarts_total offset 10m >= 1) and ignoring (reason) min_over_time(kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}[10m]) == 1`,
		value:       1,
	})
	b.asWebhook(false)
	b.expect("OOMKilled", "sessions", "StatefulSet", "redis-cache", "1Gi", "OOMKilled")
}

// The internal CA rotated; refund-api still trusts only the old one.
func tlsInternalCA(b *builder) {
	b.setup("2026-11-16T15:32:00Z", 40)
	b.describe(`The platform team rotated the internal CA at 15:05; ledger-grpc in namespace
finance now serves a certificate from acme-internal-ca-2026, which refund-api's trust
bundle does not contain yet. Every gRPC call fails the TLS handshake ("x509: certificate
signed by unknown authority"). The Grafana alert names the service only by its job
and instance labels.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	rotate := time.Date(2026, 11, 16, 15, 5, 0, 0, time.UTC)
	lspec := b.podSpec("ledger-grpc", ctrSpec{name: "ledger", image: b.ecr("finance/ledger-grpc", "7.1.0"), port: 8443, portName: "grpc", cpuReq: "300m", memReq: "256Mi", memLim: "512Mi"})
	ledger := b.deployment("finance", "ledger-grpc", 2, b.at(days(400)), lspec)
	lrev := ledger.revision(40, b.at(days(8)), nil)
	for i, n := range nodes[:2] {
		lp := lrev.pod(n, b.at(days(8)-time.Duration(i)*time.Minute))
		lp.ctr("ledger").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 20*time.Second, emit, func(t time.Time, k int) string {
				if t.After(rotate) && k%2 == 0 {
					return zapJSON(t, "warn", "grpc/server.go:211", "grpc: Server.Serve failed to complete security handshake", "remote", fmt.Sprintf("10.0.%d.%d:%d", 40+k%9, 10+k%90, 40000+k), "error", "remote error: tls: bad certificate")
				}
				return zapJSON(t, "info", "ledger/post.go:52", "entry posted", "account", "acc_"+b.hex(8))
			})
		}
	}
	b.service(ledger, 443, 8443)
	spec := b.podSpec("refund-api", ctrSpec{name: "refund-api", image: b.ecr("payments/refund-api", "3.0.9"), port: 8080, cpuReq: "200m", memReq: "256Mi", memLim: "512Mi",
		env: []string{"LEDGER_ADDR", "ledger-grpc.finance.svc.cluster.local:443", "SSL_CERT_FILE", "/etc/ssl/internal/ca.crt"}})
	w := b.deployment("payments", "refund-api", 2, b.at(days(300)), spec)
	rev := w.revision(18, b.at(days(20)), nil)
	var alertPod *podPlan
	for i, n := range nodes[1:] {
		p := rev.pod(n, b.at(days(20)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("refund-api", 8080, 6, 0.05, route{"POST", "/v1/refunds", 1})
		p.http.errRatio = ramp(0.002, 0.98, rotate, rotate.Add(20*time.Second))
		p.ctr("refund-api").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 6*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(rotate) {
					return slogJSON(t, "INFO", "refund issued", "refund", "rf_"+b.hex(10), "amount_minor", 500+b.rng.IntN(20000))
				}
				return slogJSON(t, "ERROR", "refund failed", "refund", "rf_"+b.hex(10), "status", 502,
					"error", `ledger.Post: rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of \"crypto/rsa: verification error\" while trying to verify candidate authority certificate \"acme-internal-ca-2025\")"`,
					"target", "ledger-grpc.finance.svc.cluster.local:443")
			})
		}
		if i == 0 {
			alertPod = p
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels: map[string]string{"alertname": "RefundErrorsHigh", "grafana_folder": "Payments", "job": "payments/refund-api",
			"instance": alertPod.ip + ":8080", "namespace": "payments", "severity": "critical", "team": "payments"},
		summary:     "Refund error ratio above 5%",
		description: "refund-api instance " + alertPod.ip + ":8080 fails 98% of refunds.",
		startsAt:    b.at(22 * time.Minute),
		query:       `sum by (namespace, job, instance) (rate(http_requests_total{job="payments/refund-api",code=~"5.."}[5m])) / sum by (namespace, job, instance) (rate(http_requests_total{job="payments/refund-api"}[5m])) > 0.05`,
		value:       0.98,
	})
	b.asWebhook(true)
	b.expect("TLSFailure", "finance", "Service", "ledger-grpc", "unknown authority", "ledger-grpc")
}

// A JVM service with a one-core limit is throttled; GC pauses stretch.
func cpuThrottlingJVM(b *builder) {
	b.setup("2026-11-12T08:58:00Z", 45)
	b.describe(`quote-engine (JVM, G1) runs with a CPU limit of 1 core while the JVM sizes its
GC and JIT threads for the node's 4 cores. Under the morning load the container is
throttled in ~50% of CFS periods; young-GC pauses grow from ~20ms to ~180ms and p99
latency follows. CPUThrottlingHigh fires.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("quote-engine", ctrSpec{name: "quote-engine", image: b.ecr("insurance/quote-engine", "12.8.1"), port: 8080,
		cpuReq: "500m", cpuLim: "1", memReq: "1536Mi", memLim: "2Gi", env: []string{"JAVA_TOOL_OPTIONS", "-XX:+UseG1GC -Xmx1200m"}})
	w := b.deployment("insurance", "quote-engine", 3, b.at(days(500)), spec)
	rev := w.revision(61, b.at(days(17)), nil)
	load := ramp(0.35, 1, b.at(40*time.Minute), b.at(20*time.Minute))
	var alertPod *podPlan
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(17)-time.Duration(i)*time.Minute))
		c := p.ctr("quote-engine")
		c.throttle = func(t time.Time) float64 { return 0.03 + 0.48*math.Max(0, (load(t)-0.4)/0.6) }
		c.cpuUsage(func(t time.Time) float64 { return math.Min(0.99, 0.3+0.7*load(t)) })
		p.http = b.webTraffic("quote-engine", 8080, 9, 0.08, route{"POST", "/v3/quotes", 1})
		p.http.rps = times(steady(b, 9), func(t time.Time) float64 { return 0.7 + 0.3*load(t) })
		p.http.median = func(t time.Time) float64 { return 0.08 + 0.35*math.Max(0, load(t)-0.4) }
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 12*time.Second, emit, func(t time.Time, k int) string {
				pause := 18 + 170*math.Max(0, load(t)-0.4)/0.6*(0.8+0.4*b.rng.Float64())
				return fmt.Sprintf("[%s][info][gc] GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(1200M) %.3fms",
					t.UTC().Format("2006-01-02T15:04:05.000+0000"), 40000+k, 700+b.rng.IntN(300), 180+b.rng.IntN(60), pause)
			})
		}
		if i == 1 {
			alertPod = p
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      podAlert("CPUThrottlingHigh", "insurance", alertPod.name, "quote-engine", "info"),
		summary:     "Processes experience elevated CPU throttling.",
		description: fmt.Sprintf("49.2%% throttling of CPU in namespace insurance for container quote-engine in pod %s.", alertPod.name),
		runbook:     runbooks + "cputhrottlinghigh",
		startsAt:    b.at(10 * time.Minute),
		query:       `sum by (cluster, container, pod, namespace) (increase(container_cpu_cfs_throttled_periods_total{container!=""}[5m])) / sum by (cluster, container, pod, namespace) (increase(container_cpu_cfs_periods_total[5m])) > (25 / 100)`,
		value:       0.492,
	})
	b.expect("CPUThrottling", "insurance", "Deployment", "quote-engine", "throttl", "quote-engine")
}

// A crawler hammers the suggestion endpoint; nothing else changed.
func trafficSpikeCrawler(b *builder) {
	b.setup("2026-11-21T19:16:00Z", 40)
	b.describe(`An aggressive crawler starts requesting /suggest for every prefix of the
catalogue: product-suggest's request rate goes from ~25 to ~140 requests/s per pod in
two minutes, CPU saturates (the pods have requests but no CPU limit, so nothing is
throttled) and p99 latency passes 2 s. No rollout, no restarts, no failing dependency.`)
	nodes := b.cluster(3, "c6i.xlarge", "compute")
	spec := b.podSpec("product-suggest", ctrSpec{name: "suggest", image: b.ecr("storefront/product-suggest", "1.9.0"), port: 8080,
		cpuReq: "500m", memReq: "512Mi", memLim: "768Mi"})
	w := b.deployment("storefront", "product-suggest", 3, b.at(days(120)), spec)
	rev := w.revision(14, b.at(days(11)), nil)
	start := b.at(12 * time.Minute)
	load := ramp(1, 5.6, start, start.Add(2*time.Minute))
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(11)-time.Duration(i)*time.Minute))
		p.ctr("suggest").cpuUsage(func(t time.Time) float64 { return math.Min(3.7, 0.55*load(t)) })
		p.http = b.webTraffic("product-suggest", 8080, 25, 0.012, route{"GET", "/suggest", 1})
		p.http.rps = times(steady(b, 25), load)
		p.http.median = func(t time.Time) float64 { return 0.012 * (1 + 30*math.Max(0, load(t)-4)) }
		p.ctr("suggest").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 2*time.Second, emit, func(t time.Time, k int) string {
				ua := "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
				ms := 8 + k%20
				if t.After(start) && k%5 != 0 {
					ua = "Mozilla/5.0 (compatible; DataHarvestBot/2.1; +http://dataharvest.example/bot)"
					ms = int(1000 * 0.012 * (1 + 30*math.Max(0, load(t)-4)) * (0.5 + b.rng.Float64()))
				}
				return fmt.Sprintf(`10.0.%d.%d - - [%s] "GET /suggest?q=%s HTTP/1.1" 200 %d "-" "%s" %dms`, 40+k%10, 2+k%200,
					t.UTC().Format("02/Jan/2006:15:04:05 +0000"), b.hex(3), 300+b.rng.IntN(900), ua, ms)
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighLatencyP99", "storefront", "product-suggest", "warning"),
		summary:     "product-suggest p99 latency above 500ms",
		description: "99th percentile latency of storefront/product-suggest is 2.2s for 5 minutes.",
		startsAt:    b.at(7 * time.Minute),
		query:       latencyQuery,
		value:       2.2,
	})
	b.expect("TrafficSpike", "storefront", "Deployment", "product-suggest", "product-suggest", "request rate")
}

// A short error burst with nothing in the evidence to explain it.
func unknownErrorBurst(b *builder) {
	b.setup("2026-11-04T22:41:00Z", 45)
	b.describe(`soap-bridge answered ~9% of requests with 500 for about eight minutes and is
recovering. Its logs record only access lines (the status, no error detail), there are
no restarts, no events, no rollout, no resource pressure, and its upstream is not
observable from the cluster. The evidence supports no cause: Unknown, and the honest
answer says what is missing (application error logs, upstream metrics).`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("soap-bridge", ctrSpec{name: "bridge", image: "registry.example.internal/legacy/soap-bridge:2019.4", port: 8080,
		cpuReq: "200m", memReq: "384Mi", memLim: "512Mi"})
	w := b.deployment("legacy", "soap-bridge", 2, b.at(days(900)), spec)
	rev := w.revision(3, b.at(days(410)), nil)
	burst := b.at(9 * time.Minute)
	errs := func(t time.Time) float64 {
		if t.After(burst) && t.Before(burst.Add(8*time.Minute)) {
			return 0.09
		}
		return 0.001
	}
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(410)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("soap-bridge", 8080, 5, 0.09, route{"POST", "/services/PolicyService", 1})
		p.http.errRatio = errs
		p.ctr("bridge").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 4*time.Second, emit, func(t time.Time, k int) string {
				status := 200
				if b.rng.Float64() < errs(t)*2 {
					status = 500
				}
				return fmt.Sprintf(`%s INFO  [http-nio-8080-exec-%d] access - POST /services/PolicyService %d %dms`, t.UTC().Format("2006-01-02 15:04:05,000"), 1+k%10, status, 60+b.rng.IntN(80))
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "legacy", "soap-bridge", "warning"),
		summary:     "soap-bridge is returning errors",
		description: "More than 5% of requests to legacy/soap-bridge fail with 5xx (current value 0.09).",
		startsAt:    b.at(6 * time.Minute),
		query:       errorRatioQuery,
		value:       0.09,
	})
	b.expect("Unknown", "legacy", "Deployment", "soap-bridge", "soap-bridge")
}
