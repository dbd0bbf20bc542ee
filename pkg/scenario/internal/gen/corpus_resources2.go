package main

import (
	"fmt"
	"math"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func resourceScenarios2() []definition {
	return []definition{
		{"cpu-throttling-search-api", cpuThrottlingSearchAPI},
		{"disk-full-postgres-statefulset", diskFullPostgres},
		{"fd-exhaustion-api-gateway", fdExhaustionGateway},
		{"connection-pool-exhausted-payments", hikariPoolExhausted},
	}
}

// A Node.js search API with a 500m CPU limit is throttled more and more as
// the catalogue grew; latency follows. Traffic is ordinary.
func cpuThrottlingSearchAPI(b *builder) {
	b.setup("2026-11-13T18:40:00Z", 45)
	b.describe(`search-api (Node.js) runs with a CPU limit of 500m. Query cost grew with the
catalogue and, at the evening peak, the containers spend most CFS periods throttled
(~70%): p99 latency passes 1 s while request rate is only slightly above the usual
evening level. No restarts, no errors of note, no rollout.`)
	nodes := b.cluster(3, "c6i.xlarge", "compute")
	spec := b.podSpec("search-api", ctrSpec{name: "search-api", image: "ghcr.io/acme-shop/search-api:12.4.1", port: 3000,
		cpuReq: "250m", cpuLim: "500m", memReq: "384Mi", memLim: "512Mi", env: []string{"NODE_ENV", "production", "UV_THREADPOOL_SIZE", "8"},
		readiness: httpProbe("/ready", 3000, 5, 10, 3, 3), liveness: httpProbe("/live", 3000, 15, 20, 5, 5)})
	w := b.deployment("discovery", "search-api", 3, b.at(days(230)), spec)
	rev := w.revision(44, b.at(days(13)), nil)
	onset := b.at(24 * time.Minute)
	throttle := ramp(0.08, 0.71, onset, onset.Add(8*time.Minute))
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(13)-time.Duration(i)*time.Minute))
		c := p.ctr("search-api")
		c.throttle = func(t time.Time) float64 { return throttle(t) * (0.95 + 0.1*b.rng.Float64()) }
		c.cpuUsage(func(t time.Time) float64 { return math.Min(0.497, 0.3+0.2*throttle(t)/0.71) })
		p.http = b.webTraffic("search-api", 3000, 24, 0.06, route{"GET", "/v2/search", 0.85}, route{"GET", "/v2/suggest", 0.15})
		p.http.rps = times(steady(b, 24), ramp(1, 1.15, b.at(45*time.Minute), b.now))
		p.http.median = func(t time.Time) float64 { return 0.06 + 0.5*math.Pow(throttle(t), 2) }
		host := p.name
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 6*time.Second, emit, func(t time.Time, i int) string {
				rt := int(1000 * (0.06 + 0.5*math.Pow(throttle(t), 2)) * (0.7 + 0.8*b.rng.Float64()))
				if rt > 500 {
					return pino(t, 40, host, "slow request", "req", map[string]any{"method": "GET", "url": "/v2/search?q=" + b.hex(4)}, "responseTime", rt)
				}
				return pino(t, 30, host, "request completed", "req", map[string]any{"method": "GET", "url": "/v2/search?q=" + b.hex(4)}, "res", map[string]any{"statusCode": 200}, "responseTime", rt)
			})
		}
	}
	b.service(w, 80, 3000)
	b.alert(alertSpec{
		labels:      serviceAlert("HighLatencyP99", "discovery", "search-api", "warning"),
		summary:     "search-api p99 latency above 500ms",
		description: "99th percentile latency of discovery/search-api is 1.21s for 5 minutes.",
		startsAt:    b.at(12 * time.Minute),
		query:       latencyQuery,
		value:       1.21,
	})
	b.expect("CPUThrottling", "discovery", "Deployment", "search-api", "500m", "throttl")
}

// The PostgreSQL volume fills up with WAL after a replication slot stalls;
// postgres PANICs and the container restarts.
func diskFullPostgres(b *builder) {
	b.setup("2026-11-19T08:52:00Z", 50)
	b.describe(`postgres-0 of the inventory StatefulSet runs out of space on its 20Gi volume
(data-postgres-0): WAL accumulated behind an inactive replication slot. PostgreSQL
PANICs with "No space left on device" and the container now fails at start.`)
	nodes := b.cluster(3, "r6i.large", "data")
	spec := b.podSpec("postgres", ctrSpec{name: "postgres", image: "postgres:16.4-bookworm", port: 5432, portName: "postgresql",
		cpuReq: "500m", memReq: "1Gi", memLim: "2Gi", env: []string{"PGDATA", "/var/lib/postgresql/data/pgdata", "POSTGRES_DB", "inventory"},
		secretEnv: []string{"postgres-credentials"},
		mounts:    []corev1.VolumeMount{{Name: "data", MountPath: "/var/lib/postgresql/data"}},
		liveness:  execProbe([]string{"pg_isready", "-U", "postgres"}, 10, 5, 6), readiness: execProbe([]string{"pg_isready", "-U", "postgres"}, 5, 3, 3)},
		ctrSpec{name: "metrics", image: "quay.io/prometheuscommunity/postgres-exporter:v0.16.0", port: 9187, portName: "metrics", cpuReq: "10m", memReq: "32Mi", memLim: "64Mi"})
	spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data-postgres-0"}}}}
	w := b.workload("StatefulSet", "inventory", "postgres", 1, b.at(days(400)), spec)
	w.volumeSize = "20Gi"
	p := w.pod(nodes[1], b.at(days(21)), 0)
	full := b.at(31 * time.Minute)
	c := p.ctr("postgres")
	firstRun := run{start: b.at(days(21) - 10*time.Second), end: full.Add(40 * time.Second), reason: "Error", exit: 1, id: b.hex(64)}
	c.crashLoop(full.Add(55*time.Second), 3*time.Second, run{reason: "Error", exit: 1}, 0)
	c.runs = append([]run{firstRun}, c.runs...)
	c.logs = func(r run, idx int, emit func(time.Time, string)) {
		pg := func(t time.Time, pid int, level, msg string) string {
			return fmt.Sprintf("%s UTC [%d] %s:  %s", t.UTC().Format("2006-01-02 15:04:05.000"), pid, level, msg)
		}
		if idx == 0 {
			every(b, r, 0, 5*time.Minute, emit, func(t time.Time, i int) string {
				if t.After(full) {
					return ""
				}
				return pg(t, 31, "LOG", fmt.Sprintf("checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; write=26.9 s, sync=0.004 s, total=27.0 s", 900+b.rng.IntN(900), 5+5*b.rng.Float64(), b.rng.IntN(3)))
			})
			every(b, r, 0, 2*time.Minute, emit, func(t time.Time, i int) string {
				if t.After(full) {
					return ""
				}
				return pg(t, 31, "WARNING", "replication slot \"analytics_cdc\" is inactive; retained WAL 14 GB")
			})
			type at struct {
				d    time.Duration
				pid  int
				lvl  string
				text string
			}
			for _, l := range []at{
				{0, 2481, "PANIC", `could not write to file "pg_wal/xlogtemp.2481": No space left on device`},
				{2 * time.Millisecond, 2481, "STATEMENT", "INSERT INTO stock_movements (sku, warehouse_id, delta, reason) VALUES ($1, $2, $3, $4)"},
				{40 * time.Millisecond, 1, "LOG", "server process (PID 2481) was terminated by signal 6: Aborted"},
				{41 * time.Millisecond, 1, "LOG", "terminating any other active server processes"},
				{300 * time.Millisecond, 1, "LOG", "all server processes terminated; reinitializing"},
				{900 * time.Millisecond, 2511, "LOG", "database system was interrupted; last known up at " + full.Add(-4*time.Minute).UTC().Format("2006-01-02 15:04:05") + " UTC"},
				{30 * time.Second, 2511, "FATAL", `could not write to file "pg_wal/xlogtemp.2511": No space left on device`},
				{30*time.Second + time.Millisecond, 1, "LOG", "startup process (PID 2511) exited with exit code 1"},
				{30*time.Second + 2*time.Millisecond, 1, "LOG", "aborting startup due to startup process failure"},
				{30*time.Second + 9*time.Millisecond, 1, "LOG", "database system is shut down"},
			} {
				emit(full.Add(l.d), pg(full.Add(l.d), l.pid, l.lvl, l.text))
			}
			return
		}
		t := after(r, 100*time.Millisecond)
		emit(t, "")
		emit(t.Add(time.Millisecond), "PostgreSQL Database directory appears to contain a database; Skipping initialization")
		emit(t.Add(2*time.Millisecond), "")
		emit(t.Add(40*time.Millisecond), pg(t.Add(40*time.Millisecond), 1, "FATAL", `could not write lock file "postmaster.pid": No space left on device`))
	}
	b.pvc("inventory", "data-postgres-0", "20Gi", b.at(days(400)), nodes[1], 17.6e9, 21.12e9, b.at(50*time.Minute), full)
	for _, r := range c.runs[1:] {
		p.kubeletEvent("Warning", "Unhealthy", "Liveness probe failed: /var/run/postgresql:5432 - no response", "spec.containers{postgres}", r.start.Add(time.Second))
	}
	svc := &workload{b: b, ns: "inventory", name: "postgres", labels: w.labels, selector: w.selector, created: w.created, pods: w.pods}
	b.service(svc, 5432, 5432)
	crashLoopingAlert(b, p, "postgres", b.at(9*time.Minute))
	// DESIGN's entity rule: a full volume is its PersistentVolumeClaim.
	b.expect("ResourceExhaustion", "inventory", "PersistentVolumeClaim", "data-postgres-0", "No space left on device", "postgres-0")
}

// A Go gateway leaks upstream connections; it reaches the 1024 descriptor
// limit and every accept and dial fails.
func fdExhaustionGateway(b *builder) {
	b.setup("2026-11-06T13:05:00Z", 45)
	b.describe(`api-gateway leaks a connection per upstream retry (response bodies are not
closed). Open file descriptors climb to the container's limit of 1024; from then on
accept() and dial fail with "too many open files" and half of the requests get 502.`)
	nodes := b.cluster(3, "m6i.xlarge", "edge")
	spec := b.podSpec("api-gateway", ctrSpec{name: "gateway", image: b.ecr("edge/api-gateway", "0.19.3"), port: 8443, portName: "https",
		cpuReq: "200m", memReq: "128Mi", memLim: "256Mi", readiness: httpProbe("/ready", 9901, 2, 5, 1, 3)})
	w := b.deployment("edge", "api-gateway", 2, b.at(days(75)), spec)
	rev := w.revision(15, b.at(days(2)+5*time.Hour), nil)
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(2)+5*time.Hour-time.Duration(i)*time.Minute))
		hitAt := b.at(time.Duration(17+i*4) * time.Minute)
		open := ramp(820, 1024, b.at(45*time.Minute), hitAt)
		b.processFDs(p, 8443, open, 1024)
		p.http = b.webTraffic("api-gateway", 8443, 60, 0.02, route{"GET", "/", 0.7}, route{"POST", "/", 0.3})
		p.http.errCode = "502"
		p.http.errRatio = ramp(0.001, 0.48, hitAt, hitAt.Add(2*time.Minute))
		p.ctr("gateway").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 3*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(hitAt) {
					if k%10 == 0 {
						return goLog(t, fmt.Sprintf("proxy: upstream %s retry 1/3 after 502", []string{"orders", "catalog", "accounts"}[k%3]))
					}
					return ""
				}
				switch k % 3 {
				case 0:
					return goLog(t, "http: Accept error: accept tcp [::]:8443: accept4: too many open files; retrying in 1s")
				case 1:
					return goLog(t, fmt.Sprintf("proxy: error dialing upstream catalog: dial tcp 172.20.%d.%d:80: socket: too many open files", 10+k%40, 3+k%200))
				}
				return goLog(t, "proxy: 502 Bad Gateway for GET /catalog/v1/products: open /etc/gateway/routes.yaml: too many open files")
			})
		}
	}
	b.service(w, 443, 8443)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "edge", "api-gateway", "critical"),
		summary:     "api-gateway is returning errors",
		description: "More than 5% of requests to edge/api-gateway fail with 5xx (current value 0.31).",
		startsAt:    b.at(13 * time.Minute),
		query:       errorRatioQuery,
		value:       0.31,
	})
	b.expect("ResourceExhaustion", "edge", "Deployment", "api-gateway", "too many open files", "1024")
}

// The JDBC pool (10 connections) is exhausted by a slow report query; the
// database itself answers.
func hikariPoolExhausted(b *builder) {
	b.setup("2026-11-22T10:18:00Z", 40)
	b.describe(`payment-processor (Spring Boot, HikariCP pool of 10) gets a new admin report
endpoint that holds connections for 20+ seconds. The pool is exhausted: requests wait
30 s for a connection and fail with SQLTransientConnectionException. The database is
healthy and reachable; nothing was deployed in the last days.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("payment-processor", ctrSpec{name: "app", image: b.ecr("payments/payment-processor", "2.9.12"), port: 8080,
		cpuReq: "500m", memReq: "1Gi", memLim: "1536Mi", env: []string{"SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE", "10"},
		secretEnv: []string{"payment-processor-db"}, readiness: httpProbe("/actuator/health/readiness", 8080, 30, 10, 2, 3)})
	w := b.deployment("payments", "payment-processor", 2, b.at(days(180)), spec)
	rev := w.revision(27, b.at(days(9)), nil)
	onset := b.at(21 * time.Minute)
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(9)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("payment-processor", 8080, 14, 0.04, route{"POST", "/v1/payments", 0.8}, route{"GET", "/v1/payments/{id}", 0.2})
		p.http.errRatio = ramp(0.001, 0.37, onset, onset.Add(3*time.Minute))
		p.http.median = func(t time.Time) float64 {
			if t.Before(onset) {
				return 0.04
			}
			return 2.5
		}
		p.ctr("app").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 4*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(onset) {
					if k%5 == 0 {
						return springLog(t, "INFO", "payment-processor", fmt.Sprintf("http-nio-8080-exec-%d", 1+k%20), "c.a.p.api.PaymentController", "payment authorised id=pay_"+b.hex(10))
					}
					return ""
				}
				if k%4 == 0 {
					return springLog(t, "WARN", "payment-processor", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
						fmt.Sprintf("HikariPool-1 - Pool stats (total=10, active=10, idle=0, waiting=%d)", 30+k%25))
				}
				thread := fmt.Sprintf("http-nio-8080-exec-%d", 1+k%200)
				return springLog(t, "ERROR", "payment-processor", thread, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
					"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction] with root cause") +
					"\n\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=47)" +
					"\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)" +
					"\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)" +
					"\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)" +
					"\n\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)" +
					"\n\tat org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl.getConnection(DatasourceConnectionProviderImpl.java:122)" +
					"\n\t... 87 common frames omitted"
			})
			every(b, r, 30*time.Second, 45*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(onset.Add(-2 * time.Minute)) {
					return ""
				}
				return springLog(t, "INFO", "payment-processor", fmt.Sprintf("http-nio-8080-exec-%d", 3+k), "c.a.p.admin.ReportController", fmt.Sprintf("settlement report for merchant=m_%s finished in %d ms", b.hex(6), 21000+b.rng.IntN(9000)))
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "payments", "payment-processor", "critical"),
		summary:     "payment-processor is returning errors",
		description: "More than 5% of requests to payments/payment-processor fail with 5xx (current value 0.35).",
		startsAt:    b.at(14 * time.Minute),
		query:       errorRatioQuery,
		value:       0.35,
	})
	b.expect("ResourceExhaustion", "payments", "Deployment", "payment-processor", "HikariPool-1", "Connection is not available")
}
