package main

import (
	"fmt"
	"time"
)

// networkScenarios: dependencies, DNS and TLS.
func networkScenarios() []definition {
	return []definition{
		{"dependency-rds-connection-refused-orders", dependencyRDSRefused},
	}
}

// The orders database (RDS, outside the cluster) refuses connections during
// a failover gone wrong: the API answers 500 for most writes.
func dependencyRDSRefused(b *builder) {
	b.setup("2026-11-21T03:12:00Z", 45)
	host := "orders-prod.cluster-c8k2xq1vtx9e.eu-west-1.rds.amazonaws.com"
	b.describe(`The orders API loses its PostgreSQL database (Amazon RDS, outside the cluster):
connections to ` + host + `:5432 are refused after a failed failover. The pods stay
up and ready, the error ratio climbs to ~60% and the logs fill with pgx dial errors.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("orders-api", ctrSpec{name: "api", image: b.ecr("orders/orders-api", "3.3.9"), port: 8080,
		cpuReq: "250m", memReq: "256Mi", memLim: "512Mi", secretEnv: []string{"orders-api-db"},
		readiness: httpProbe("/healthz/ready", 8080, 3, 10, 1, 3), liveness: httpProbe("/healthz/live", 8080, 10, 10, 1, 3)})
	w := b.deployment("orders", "orders-api", 3, b.at(days(90)), spec)
	rev := w.revision(40, b.at(days(5)), nil)
	onset := b.at(19 * time.Minute)
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(5)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("orders-api", 8080, 18, 0.03, route{"POST", "/v1/orders", 0.35}, route{"GET", "/v1/orders/{id}", 0.65})
		p.http.errRatio = ramp(0.002, 0.61, onset, onset.Add(90*time.Second))
		p.http.median = times(steady(b, 0.03), ramp(1, 4, onset, onset.Add(time.Minute)))
		ip := fmt.Sprintf("10.0.%d.%d", 100+b.rng.IntN(20), 10+b.rng.IntN(200))
		p.ctr("api").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 20*time.Second, emit, func(t time.Time, i int) string {
				if t.Before(onset) {
					return zapJSON(t, "info", "http/middleware.go:64", "request", "method", "GET", "path", "/v1/orders/"+b.hex(8), "status", 200, "latency", 0.02+0.01*b.rng.Float64())
				}
				return ""
			})
			every(b, r, 0, 2*time.Second, emit, func(t time.Time, i int) string {
				if t.Before(onset) {
					return ""
				}
				switch i % 5 {
				case 0:
					return zapJSON(t, "warn", "db/pool.go:118", "database ping failed", "error",
						fmt.Sprintf("failed to connect to `host=%s user=orders_app database=orders`: dial error (dial tcp %s:5432: connect: connection refused)", host, ip))
				case 3:
					return zapJSON(t, "info", "http/middleware.go:64", "request", "method", "GET", "path", "/v1/orders/"+b.hex(8), "status", 200, "latency", 0.003)
				}
				return zapJSON(t, "error", "orders/store.go:211", "create order failed", "order_ref", "ord_"+b.hex(10),
					"error", fmt.Sprintf("begin tx: failed to connect to `host=%s user=orders_app database=orders`: dial error (dial tcp %s:5432: connect: connection refused)", host, ip),
					"status", 500)
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "HighErrorRate", "namespace": "orders", "service": "orders-api", "severity": "critical", "team": "orders"},
		summary:     "orders-api is returning errors",
		description: "More than 5% of requests to orders/orders-api fail with 5xx (current value 0.58).",
		startsAt:    b.at(15 * time.Minute),
		query:       `sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m])) > 0.05`,
		value:       0.58,
	})
	b.expect("DependencyFailure", "", "External", host, "connection refused", "5432")
}
