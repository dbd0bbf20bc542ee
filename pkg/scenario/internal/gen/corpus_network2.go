package main

import (
	"fmt"
	"time"
)

func networkScenarios2() []definition {
	return []definition{
		{"dependency-downstream-503-storefront", dependencyDownstream503},
		{"dns-cluster-dns-timeouts-recommendations", dnsClusterTimeouts},
		{"dns-nxdomain-partner-api", dnsNXDomainExternal},
		{"tls-expired-certificate-psp", tlsExpiredExternal},
	}
}

// The storefront's error rate comes from inventory answering 503.
func dependencyDownstream503(b *builder) {
	b.setup("2026-11-18T19:33:00Z", 40)
	b.describe(`storefront-web (namespace web) serves product pages that call the inventory
service in namespace shop. inventory has no ready endpoint since its pods fail their
readiness checks, and every stock lookup gets 503 "no healthy upstream". The alert is
storefront-web's error ratio; the failing dependency is inventory.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	onset := b.at(17 * time.Minute)
	invSpec := b.podSpec("inventory", ctrSpec{name: "inventory", image: b.ecr("shop/inventory", "6.2.3"), port: 8080,
		cpuReq: "200m", memReq: "256Mi", memLim: "512Mi", readiness: httpProbe("/ready", 8080, 5, 5, 2, 3)})
	inv := b.deployment("shop", "inventory", 2, b.at(days(400)), invSpec)
	invRev := inv.revision(70, b.at(days(14)), nil)
	for i, n := range nodes[:2] {
		p := invRev.pod(n, b.at(days(14)-time.Duration(i)*time.Minute))
		c := p.ctr("inventory")
		c.unreadySince = onset.Add(-20 * time.Second)
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 15*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(onset.Add(-30 * time.Second)) {
					return slogJSON(t, "INFO", "stock lookup", "sku_count", 1+k%5, "duration_ms", 4+k%9)
				}
				return slogJSON(t, "ERROR", "readiness: dependency check failed", "check", "stock-cache", "error", "redis: connection pool timeout")
			})
		}
		b.repeat(p.entityRef(), "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "kubelet", n.name, onset.Add(-20*time.Second), b.now, 5*time.Second)
	}
	b.service(inv, 8080, 8080)
	spec := b.podSpec("storefront-web", ctrSpec{name: "web", image: b.ecr("web/storefront-web", "2026.11.2"), port: 3000,
		cpuReq: "300m", memReq: "384Mi", memLim: "768Mi", env: []string{"INVENTORY_URL", "http://inventory.shop.svc.cluster.local:8080"}})
	w := b.deployment("web", "storefront-web", 3, b.at(days(500)), spec)
	rev := w.revision(212, b.at(days(3)), nil)
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(3)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("storefront-web", 3000, 35, 0.09, route{"GET", "/product/:slug", 0.7}, route{"GET", "/", 0.3})
		p.http.errCode = "502"
		p.http.errRatio = ramp(0.001, 0.64, onset, onset.Add(40*time.Second))
		host := p.name
		p.ctr("web").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 3*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(onset) {
					if k%6 == 0 {
						return pino(t, 30, host, "request completed", "res", map[string]any{"statusCode": 200}, "responseTime", 60+k%90)
					}
					return ""
				}
				return pino(t, 50, host, "inventory lookup failed", "err", map[string]any{"type": "UpstreamError",
					"message": "GET http://inventory.shop.svc.cluster.local:8080/v1/stock?sku=" + b.hex(8) + " returned 503 Service Unavailable: no healthy upstream"},
					"upstream", "inventory", "status", 503)
			})
		}
	}
	b.service(w, 80, 3000)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "web", "storefront-web", "critical"),
		summary:     "storefront-web is returning errors",
		description: "More than 5% of requests to web/storefront-web fail with 5xx (current value 0.62).",
		startsAt:    b.at(13 * time.Minute),
		query:       errorRatioQuery,
		value:       0.62,
	})
	b.expect("DependencyFailure", "shop", "Service", "inventory", "inventory", "503")
}

// Lookups through the cluster DNS time out for one workload.
func dnsClusterTimeouts(b *builder) {
	b.setup("2026-11-09T17:21:00Z", 40)
	b.describe(`recommendations resolves its dependencies through the cluster DNS
(172.20.0.10). Since a DNS config change on its pods (ndots 5 with a long search list
and a UDP-only resolver) lookups time out: "lookup ... on 172.20.0.10:53: ... i/o
timeout". Requests fail although the dependencies are healthy.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("recommendations", ctrSpec{name: "recommender", image: b.ecr("personalization/recommendations", "1.31.0"), port: 8080,
		cpuReq: "500m", memReq: "512Mi", memLim: "1Gi"})
	w := b.deployment("personalization", "recommendations", 3, b.at(days(210)), spec)
	rev := w.revision(48, b.at(days(7)), nil)
	onset := b.at(18 * time.Minute)
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(7)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("recommendations", 8080, 20, 0.05, route{"GET", "/v1/recommendations", 1})
		p.http.errRatio = ramp(0.001, 0.42, onset, onset.Add(2*time.Minute))
		p.http.median = times(steady(b, 0.05), ramp(1, 30, onset, onset.Add(2*time.Minute)))
		srcIP := p.ip
		p.ctr("recommender").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 3*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(onset) {
					if k%8 == 0 {
						return zapJSON(t, "info", "api/handler.go:77", "served recommendations", "user", "u_"+b.hex(6), "items", 20)
					}
					return ""
				}
				host := []string{"feature-store.personalization.svc.cluster.local", "user-profile.accounts.svc.cluster.local", "redis-recs.personalization.svc.cluster.local"}[k%3]
				return zapJSON(t, "error", "clients/dial.go:41", "dependency call failed", "dependency", host,
					"error", fmt.Sprintf("dial tcp: lookup %s on 172.20.0.10:53: read udp %s:%d->172.20.0.10:53: i/o timeout", host, srcIP, 30000+b.rng.IntN(30000)))
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "personalization", "recommendations", "warning"),
		summary:     "recommendations is returning errors",
		description: "More than 5% of requests to personalization/recommendations fail with 5xx (current value 0.4).",
		startsAt:    b.at(14 * time.Minute),
		query:       errorRatioQuery,
		value:       0.4,
	})
	b.expect("DNSFailure", "personalization", "Deployment", "recommendations", "172.20.0.10:53", "i/o timeout")
}

// The partner moved its API to a new domain; the old name no longer exists.
func dnsNXDomainExternal(b *builder) {
	b.setup("2026-11-02T08:09:00Z", 40)
	host := "api.shipfast-partner.net"
	b.describe(`label-printer calls the carrier partner at ` + host + `. The partner retired
that domain overnight; every lookup returns NXDOMAIN ("no such host") and label
creation fails. Cluster DNS itself answers other names normally.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("label-printer", ctrSpec{name: "label-printer", image: b.ecr("logistics/label-printer", "4.0.1"), port: 8080,
		cpuReq: "100m", memReq: "128Mi", memLim: "256Mi", env: []string{"CARRIER_BASE_URL", "https://" + host + "/v1"}})
	w := b.deployment("fulfilment", "label-printer", 2, b.at(days(320)), spec)
	rev := w.revision(22, b.at(days(19)), nil)
	onset := b.at(26 * time.Minute)
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(19)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("label-printer", 8080, 4, 0.2, route{"POST", "/labels", 1})
		p.http.errCode = "502"
		p.http.errRatio = ramp(0.002, 0.97, onset, onset.Add(30*time.Second))
		p.ctr("label-printer").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 7*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(onset) {
					return logfmt(t, "info", "label created", "shipment", "shp_"+b.hex(8), "carrier", "shipfast", "ms", 180+b.rng.IntN(200))
				}
				return logfmt(t, "error", "create label failed", "shipment", "shp_"+b.hex(8),
					"err", fmt.Sprintf("Post \"https://%s/v1/labels\": dial tcp: lookup %s on 172.20.0.10:53: no such host", host, host))
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "fulfilment", "label-printer", "critical"),
		summary:     "label-printer is returning errors",
		description: "More than 5% of requests to fulfilment/label-printer fail with 5xx (current value 0.96).",
		startsAt:    b.at(22 * time.Minute),
		query:       errorRatioQuery,
		value:       0.96,
	})
	b.expect("DNSFailure", "", "External", host, "no such host", host)
}

// The payment provider's certificate expired; every call fails verification.
func tlsExpiredExternal(b *builder) {
	b.setup("2026-11-20T09:20:00Z", 40)
	host := "api.paygate-partner.com"
	expiry := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	b.describe(`psp-connector calls the payment provider at ` + host + `:443. The provider's
certificate expired at 09:00 UTC; since then every TLS handshake fails with "x509:
certificate has expired or is not yet valid" and card payments fail.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("psp-connector", ctrSpec{name: "connector", image: b.ecr("payments/psp-connector", "1.17.4"), port: 8080,
		cpuReq: "200m", memReq: "128Mi", memLim: "256Mi"})
	w := b.deployment("payments", "psp-connector", 2, b.at(days(260)), spec)
	rev := w.revision(35, b.at(days(12)), nil)
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(12)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("psp-connector", 8080, 11, 0.25, route{"POST", "/v1/charges", 1})
		p.http.errCode = "502"
		p.http.errRatio = ramp(0.003, 0.99, expiry, expiry.Add(20*time.Second))
		p.ctr("connector").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 5*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(expiry) {
					return zapJSON(t, "info", "psp/client.go:120", "charge authorised", "charge", "ch_"+b.hex(12), "latency_ms", 210+b.rng.IntN(150))
				}
				return zapJSON(t, "error", "psp/client.go:131", "charge failed", "charge", "ch_"+b.hex(12),
					"error", fmt.Sprintf("Post \"https://%s/v2/charges\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time %s is after %s",
						host, t.UTC().Format(time.RFC3339), expiry.Add(-time.Second).UTC().Format(time.RFC3339)))
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "payments", "psp-connector", "critical"),
		summary:     "psp-connector is returning errors",
		description: "More than 5% of requests to payments/psp-connector fail with 5xx (current value 0.99).",
		startsAt:    b.at(15 * time.Minute),
		query:       errorRatioQuery,
		value:       0.99,
	})
	b.expect("TLSFailure", "", "External", host, "certificate has expired", host)
}
