package main

// Cases where the responsible object is not the alerted workload.

const errRatioQuery = `sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m])) > 0.05`

// coreDNSOOMAggregator: the cluster DNS pods in kube-system are OOM-killed by
// a query spike; the alert is on the aggregation service that cannot resolve
// its downstreams.
func coreDNSOOMAggregator() *incident {
	in := newIncident("heldout-coredns-oom-aggregation-layer", "2026-09-07T08:40:00Z")
	in.summary = `The fashion store's aggregation layer (storefront/page-composer) returns 5xx:
every call to a downstream fails with "lookup ... i/o timeout" against the cluster
DNS Service. A spike of retries multiplied DNS queries and the CoreDNS pods in
kube-system, limited to 100Mi, are OOM-killed over and over. The responsible object
is the CoreDNS Deployment in kube-system, not the alerted service.`
	in.source = "Zalando, 'Total DNS outage in Kubernetes cluster' (Jan 2019), https://kubernetes-on-aws.readthedocs.io/en/latest/postmortems/jan-2019-dns-outage.html"
	n1, n2 := "gke-shop-prod-default-7c1e-q2lm", "gke-shop-prod-default-7c1e-x8vd"
	in.add(in.node(n1, true), in.node(n2, true))
	dns := in.workload(wl{kind: "Deployment", ns: "kube-system", name: "coredns", replicas: 2, ready: 0, updated: 2,
		labels: map[string]string{"k8s-app": "kube-dns"}, image: "registry.k8s.io/coredns/coredns:v1.11.1", rsHash: "5d78c9869d"})
	for i, p := range []string{"coredns-5d78c9869d-7hxkq", "coredns-5d78c9869d-lm2pt"} {
		in.add(in.pod(podSpec{ns: "kube-system", name: p, node: []string{n1, n2}[i], ip: []string{"10.8.0.4", "10.8.1.5"}[i], owner: dns,
			labels: map[string]string{"k8s-app": "kube-dns", "pod-template-hash": "5d78c9869d"},
			containers: []ctr{{name: "coredns", image: "registry.k8s.io/coredns/coredns:v1.11.1", restarts: 9 + i,
				waiting: "CrashLoopBackOff", waitingMsg: "back-off 2m40s restarting failed container=coredns pod=" + p,
				last:     &term{reason: "OOMKilled", exit: 137, started: "-3m10s", ended: "-2m20s"},
				memLimit: "100Mi", memReq: "70Mi", cpuReq: "100m",
				liveness: httpProbe("/health", 8080, 10, 5, 5)}}}))
		in.podSeries("kube-system", p, "coredns", step(38, 99, -18), 100, flat(0.3), 0, step(0, 10, -18))
	}
	in.service("kube-system", "kube-dns", map[string]string{"k8s-app": "kube-dns"}, 53, nil, []string{"10.8.0.4", "10.8.1.5"})
	in.events(
		ev{kind: "Pod", ns: "kube-system", name: "coredns-5d78c9869d-7hxkq", reason: "BackOff", msg: "Back-off restarting failed container coredns in pod coredns-5d78c9869d-7hxkq_kube-system", count: 31, first: "-17m", last: "-1m"},
		ev{kind: "Pod", ns: "kube-system", name: "coredns-5d78c9869d-lm2pt", reason: "Unhealthy", msg: "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 12, first: "-17m", last: "-2m"},
	)
	app := in.workload(wl{kind: "Deployment", ns: "storefront", name: "page-composer", replicas: 3, ready: 3, updated: 3,
		labels: map[string]string{"app.kubernetes.io/name": "page-composer"}, image: "eu.gcr.io/shop/page-composer:2026.09.1", rsHash: "6b9f7c4d8"})
	pods := []string{"page-composer-6b9f7c4d8-2mxkp", "page-composer-6b9f7c4d8-9qzrw", "page-composer-6b9f7c4d8-t4hbn"}
	for i, p := range pods {
		in.add(in.pod(podSpec{ns: "storefront", name: p, node: []string{n1, n2, n1}[i], ip: "10.8.2." + string(rune('3'+i)), owner: app,
			labels: map[string]string{"app.kubernetes.io/name": "page-composer", "pod-template-hash": "6b9f7c4d8"},
			containers: []ctr{{name: "composer", image: "eu.gcr.io/shop/page-composer:2026.09.1", ready: true, running: "-50h",
				memLimit: "1Gi", cpuLimit: "2", liveness: httpProbe("/internal/health", 8080, 10, 2, 3)}}}))
		path := "storefront/" + p + "/composer"
		in.logEvery(path, "-40m", "-19m", "47s", `{"level":"INFO","logger":"composer.render","message":"page rendered","route":"/outfits/{id}","duration_ms":87}`)
		in.logEvery(path, "-18m", "-30s", "9s", `{"level":"ERROR","logger":"composer.client","message":"downstream call failed","target":"product-details.catalog.svc.cluster.local","error":"dial tcp: lookup product-details.catalog.svc.cluster.local on 10.100.8.53:53: read udp 10.8.2.3:41234->10.100.8.53:53: i/o timeout"}`)
		in.logEvery(path, "-17m", "-1m", "61s", `{"level":"WARN","logger":"composer.breaker","message":"circuit opened","target":"product-details.catalog.svc.cluster.local"}`)
		in.httpSeries("storefront", "page-composer", p, step(120, 30, -18), step(0.1, 90, -18), nil)
	}
	in.service("storefront", "page-composer", map[string]string{"app.kubernetes.io/name": "page-composer"}, 8080, []string{"10.8.2.3", "10.8.2.4", "10.8.2.5"}, nil)
	in.fire(map[string]string{"alertname": "ServiceHigh5xxRatio", "namespace": "storefront", "service": "page-composer", "severity": "critical"},
		"storefront/page-composer answers more than 5% of requests with 5xx", errRatioQuery, "15m", 0.74)
	in.want("DNSFailure", "kube-system", "Deployment", "coredns", "i/o timeout", "coredns")
	return in
}

// walFullBehindHealthyLedger: the API errors because its database's volume is
// full; the database pod itself is Running and Ready.
func walFullBehindHealthyLedger() *incident {
	in := newIncident("heldout-wal-full-volume-behind-running-db", "2026-07-25T14:30:00Z")
	in.summary = `ledger-api (a Python/Django service in namespace money) fails writes with 500s:
psycopg reports "could not extend file ... No space left on device". Its database,
StatefulSet pg-main, still runs and answers reads; WAL filled its 10Gi volume during a
replica outage. The responsible object is the volume claim data-pg-main-0.`
	in.source = "zacheryph/k8s-gitops PR #3455 (WAL filled the PVC), https://github.com/zacheryph/k8s-gitops/pull/3455; holos-run/holos issue #97, https://github.com/holos-run/holos/issues/97"
	node := "worker-03.fra1.internal"
	in.add(in.node(node, true))
	db := in.workload(wl{kind: "StatefulSet", ns: "money", name: "pg-main", replicas: 1, ready: 1, updated: 1,
		labels: map[string]string{"app": "pg-main"}, image: "postgres:15.6"})
	in.add(in.pod(podSpec{ns: "money", name: "pg-main-0", node: node, ip: "10.42.3.17", owner: db, labels: map[string]string{"app": "pg-main"},
		containers: []ctr{{name: "postgres", image: "postgres:15.6", ready: true, running: "-400h", memLimit: "4Gi", cpuReq: "1",
			claim: "data-pg-main-0", claimMountPath: "/var/lib/postgresql/data",
			readiness: obj{"exec": obj{"command": []any{"pg_isready", "-U", "postgres"}}, "periodSeconds": 10}}}}))
	in.add(obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
		"metadata": obj{"name": "data-pg-main-0", "namespace": "money", "uid": in.uid("pvc", "data-pg-main-0")},
		"spec":     obj{"accessModes": []any{"ReadWriteOnce"}, "resources": obj{"requests": obj{"storage": "10Gi"}}, "storageClassName": "longhorn"},
		"status":   obj{"phase": "Bound", "capacity": obj{"storage": "10Gi"}}})
	dbLog := "money/pg-main-0/postgres"
	in.logEvery(dbLog, "-50m", "-21m", "3m", `2026-07-25 13:55:00.000 UTC [812] LOG:  checkpoint complete: wrote 1843 buffers (11.2%)`)
	in.log(dbLog,
		`-20m 2026-07-25 14:10:02.114 UTC [31877] ERROR:  could not extend file "base/16384/24601.3": No space left on device`,
		`-20m 2026-07-25 14:10:02.114 UTC [31877] HINT:  Check free disk space.`,
		`-19m 2026-07-25 14:11:40.550 UTC [812] LOG:  could not write to file "pg_wal/xlogtemp.812": No space left on device`,
		`-15m 2026-07-25 14:15:11.902 UTC [32011] ERROR:  could not extend file "base/16384/24601.3": No space left on device`,
		`-6m 2026-07-25 14:24:30.011 UTC [32502] ERROR:  could not extend file "base/16384/24613": No space left on device`)
	api := in.workload(wl{kind: "Deployment", ns: "money", name: "ledger-api", replicas: 2, ready: 2, updated: 2,
		labels: map[string]string{"app": "ledger-api"}, image: "registry.fra1.internal/money/ledger-api:4.12.0", rsHash: "79c8d5f6b"})
	for i, p := range []string{"ledger-api-79c8d5f6b-hq7kd", "ledger-api-79c8d5f6b-vv2sn"} {
		in.add(in.pod(podSpec{ns: "money", name: p, node: node, ip: "10.42.3." + string(rune('4'+i)) + "1", owner: api,
			labels:     map[string]string{"app": "ledger-api", "pod-template-hash": "79c8d5f6b"},
			containers: []ctr{{name: "web", image: "registry.fra1.internal/money/ledger-api:4.12.0", ready: true, running: "-30h", memLimit: "768Mi"}}}))
		path := "money/" + p + "/web"
		in.logEvery(path, "-45m", "-21m", "90s", `[2026-07-25 13:50:00 +0000] [9] [INFO] POST /v2/entries 201 12ms`)
		for _, off := range []string{"-19m", "-14m", "-9m", "-4m"} {
			in.log(path,
				off+` ERROR 2026-07-25 14:11:00,401 django.request Internal Server Error: /v2/entries`,
				off+` Traceback (most recent call last):`,
				off+`   File "/app/ledger/views.py", line 88, in post`,
				off+`     entry.save()`,
				off+`   File "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py", line 105, in _execute`,
				off+`     return self.cursor.execute(sql, params)`,
				off+` psycopg.errors.DiskFull: could not extend file "base/16384/24601.3": No space left on device`,
				off+` HINT:  Check free disk space.`)
		}
		in.httpSeries("money", "ledger-api", p, step(40, 25, -20), step(0, 15, -20), nil)
	}
	in.service("money", "pg-main", map[string]string{"app": "pg-main"}, 5432, []string{"10.42.3.17"}, nil)
	in.fire(map[string]string{"alertname": "ServiceHigh5xxRatio", "namespace": "money", "service": "ledger-api", "severity": "critical"},
		"money/ledger-api 5xx ratio above 5%", errRatioQuery, "16m", 0.37)
	in.want("ResourceExhaustion", "money", "PersistentVolumeClaim", "data-pg-main-0", "No space left on device", "data-pg-main-0")
	return in
}

// sessionRedisNoEndpoints: the web tier cannot reach Redis; the Redis pod was
// evicted and its Service has no endpoints.
func sessionRedisNoEndpoints() *incident {
	in := newIncident("heldout-session-redis-service-without-endpoints", "2026-10-30T18:12:00Z")
	in.summary = `checkout-web (Node.js) logs "connect ECONNREFUSED" to session-redis:6379 and fails
logins after a cluster restart: the session-redis pod never became Ready again (its
readiness check fails while it loads a large AOF) so the Service has no ready
endpoints. The responsible object is the session-redis Service's backend.`
	in.source = "DaveZLB/edgex-helm issue #15 'Could not dial Redis ... connection refused' after cluster restart, https://github.com/DaveZLB/edgex-helm/issues/15; Mailu/helm-charts issue #363, https://github.com/Mailu/helm-charts/issues/363"
	node := "k3s-agent-2"
	in.add(in.node(node, true))
	r := in.workload(wl{kind: "StatefulSet", ns: "webshop", name: "session-redis", replicas: 1, ready: 0, updated: 1,
		labels: map[string]string{"app": "session-redis"}, image: "redis:7.2-alpine"})
	in.add(in.pod(podSpec{ns: "webshop", name: "session-redis-0", node: node, ip: "10.42.1.40", owner: r, labels: map[string]string{"app": "session-redis"},
		created: "-25m",
		containers: []ctr{{name: "redis", image: "redis:7.2-alpine", running: "-24m", memLimit: "2Gi",
			readiness: obj{"exec": obj{"command": []any{"redis-cli", "ping"}}, "periodSeconds": 5, "failureThreshold": 3}}}}))
	in.log("webshop/session-redis-0/redis",
		`-24m 1:C 30 Oct 2026 17:48:01.002 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
		`-24m 1:M 30 Oct 2026 17:48:01.010 * Server initialized`,
		`-24m 1:M 30 Oct 2026 17:48:01.011 * Reading RDB base file on AOF loading...`,
		`-10m 1:M 30 Oct 2026 18:02:00.000 * DB loaded from incr file appendonly.aof.412.incr.aof: 840.112 seconds`)
	in.events(ev{kind: "Pod", ns: "webshop", name: "session-redis-0", reason: "Unhealthy",
		msg: "Readiness probe failed: LOADING Redis is loading the dataset in memory", count: 280, first: "-24m", last: "-30s"})
	in.service("webshop", "session-redis", map[string]string{"app": "session-redis"}, 6379, nil, []string{"10.42.1.40"})
	web := in.workload(wl{kind: "Deployment", ns: "webshop", name: "checkout-web", replicas: 2, ready: 2, updated: 2,
		labels: map[string]string{"app": "checkout-web"}, image: "ghcr.io/acme/checkout-web:1.33.2", rsHash: "5c6f9b7d44"})
	for i, p := range []string{"checkout-web-5c6f9b7d44-fw8kc", "checkout-web-5c6f9b7d44-r2n6j"} {
		in.add(in.pod(podSpec{ns: "webshop", name: p, node: node, ip: "10.42.1.5" + string(rune('1'+i)), owner: web,
			labels:     map[string]string{"app": "checkout-web", "pod-template-hash": "5c6f9b7d44"},
			containers: []ctr{{name: "node", image: "ghcr.io/acme/checkout-web:1.33.2", ready: true, running: "-24m", memLimit: "512Mi"}}}))
		path := "webshop/" + p + "/node"
		in.log(path, `-24m > checkout-web@1.33.2 start`, `-24m > node server.js`, `-24m listening on :3000`)
		in.logEvery(path, "-23m", "-20s", "13s", `[ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.100.13.129:6379`)
		in.logEvery(path, "-22m", "-1m", "37s", `POST /api/session 500 5003.112 ms - 21 "Error: Connection is closed."`)
		in.httpSeries("webshop", "checkout-web", p, step(20, 6, -23), step(0, 8, -23), nil)
	}
	in.fire(map[string]string{"alertname": "ServiceHigh5xxRatio", "namespace": "webshop", "service": "checkout-web", "severity": "critical"},
		"webshop/checkout-web 5xx ratio above 5%", errRatioQuery, "20m", 0.57)
	in.want("DependencyFailure", "webshop", "Service", "session-redis", "ECONNREFUSED", "session-redis")
	return in
}

// crossNamespaceLedgerNoEndpoints: a dependency in another namespace has a
// Service with no ready endpoints.
func crossNamespaceLedgerNoEndpoints() *incident {
	in := newIncident("heldout-dependency-service-in-other-namespace-no-endpoints", "2026-05-18T03:20:00Z")
	in.summary = `payouts-worker (Go, namespace payouts) retries every payout: calls to
http://fx-rates.treasury.svc.cluster.local:8443 fail with "no healthy upstream" from the
mesh and connection refused. The fx-rates Service in namespace treasury has no ready
endpoints: all its pods fail readiness after a credentials rotation. payouts-worker
itself is healthy. The responsible object is the treasury/fx-rates Service.`
	in.source = "kubernetes/kubernetes issue #25590 ('no endpoints available for service'), https://github.com/kubernetes/kubernetes/issues/25590; dev.to 'How a Kubernetes autoscaling incident took down our API', https://dev.to/muj18/how-a-kubernetes-autoscaling-incident-took-down-our-api-and-how-i-now-debug-it-in-minutes-27m9"
	node := "aks-system-31877021-vmss000002"
	in.add(in.node(node, true))
	fx := in.workload(wl{kind: "Deployment", ns: "treasury", name: "fx-rates", replicas: 2, ready: 0, updated: 2,
		labels: map[string]string{"app": "fx-rates"}, image: "acr.example.io/treasury/fx-rates:3.1.0", rsHash: "7f5d8b9c6"})
	for i, p := range []string{"fx-rates-7f5d8b9c6-4kq2x", "fx-rates-7f5d8b9c6-zp9mw"} {
		in.add(in.pod(podSpec{ns: "treasury", name: p, node: node, ip: "10.244.2.1" + string(rune('1'+i)), owner: fx,
			labels:     map[string]string{"app": "fx-rates", "pod-template-hash": "7f5d8b9c6"},
			containers: []ctr{{name: "fx-rates", image: "acr.example.io/treasury/fx-rates:3.1.0", running: "-6h", readiness: httpProbe("/ready", 8443, 10, 1, 3)}}}))
		in.events(ev{kind: "Pod", ns: "treasury", name: p, reason: "Unhealthy", msg: "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 180, first: "-31m", last: "-20s"})
		in.log("treasury/"+p+"/fx-rates", `-31m time=2026-05-18T02:49:00Z level=ERROR msg="upstream rates provider auth failed" status=401`)
	}
	in.service("treasury", "fx-rates", map[string]string{"app": "fx-rates"}, 8443, nil, []string{"10.244.2.11", "10.244.2.12"})
	w := in.workload(wl{kind: "Deployment", ns: "payouts", name: "payouts-worker", replicas: 1, ready: 1, updated: 1,
		labels: map[string]string{"app": "payouts-worker"}, image: "acr.example.io/payouts/worker:0.44.1", rsHash: "c4b7d9f85"})
	p := "payouts-worker-c4b7d9f85-m8d2v"
	in.add(in.pod(podSpec{ns: "payouts", name: p, node: node, ip: "10.244.2.30", owner: w, labels: map[string]string{"app": "payouts-worker", "pod-template-hash": "c4b7d9f85"},
		containers: []ctr{{name: "worker", image: "acr.example.io/payouts/worker:0.44.1", ready: true, running: "-96h"}}}))
	path := "payouts/" + p + "/worker"
	in.logEvery(path, "-60m", "-30m", "2m", `time=2026-05-18T02:20:00Z level=INFO msg="payout settled" batch=%d`)
	in.logEvery(path, "-29m", "-10s", "20s", `time=2026-05-18T02:51:00Z level=ERROR msg="fx quote failed, will retry" url=http://fx-rates.treasury.svc.cluster.local:8443/v1/quote err="dial tcp 10.100.8.193:8443: connect: connection refused" attempt=%d`)
	in.series("payouts_failed", "counter", lbl("namespace", "payouts", "pod", p, "job", "payouts/payouts-worker"), "-60m", counter(step(0, 0.4, -29)))
	in.fire(map[string]string{"alertname": "PayoutsFailing", "namespace": "payouts", "pod": p, "severity": "warning"},
		"payouts-worker failing payouts", `rate(payouts_failed_total[5m]) > 0.1`, "25m", 0.4)
	in.want("DependencyFailure", "treasury", "Service", "fx-rates", "fx-rates", "connection refused")
	return in
}
