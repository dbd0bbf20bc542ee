package main

import (
	"fmt"
	"time"
)

func sqlProxyV2FlagsRollout() *scn {
	s := newScn("h9-cloud-sql-proxy-v2-image-with-v1-flags-rollout", utc(12, 1, 11, 25))
	s.source = "https://github.com/GoogleCloudPlatform/cloud-sql-proxy/issues/1659"
	s.description = `Revision 23 of the Micronaut pricing-api bumped its sidecar from cloud_sql_proxy 1.33 to the
v2 image (cloud-sql-proxy 2.13) but kept the v1 argument "-instances=...=tcp:5432". v2 parses it as
shorthand flags and exits "unknown shorthand flag: 'i'"; the new pods never become ready while the
revision 22 pods keep serving. Hikari pool warnings in the new pods follow from it.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(30*24*time.Hour))
	app := ctr{name: "pricing-api", image: "europe-west4-docker.pkg.dev/retail-prod/pricing/pricing-api:4.18.0", ports: []obj{port("http", 8080)},
		requests: res("1", "1Gi"), limits: res("", "1536Mi"), readiness: httpProbe("/health/readiness", "http", 10, 3, 3),
		env: []obj{envVal("DATASOURCES_DEFAULT_URL", "jdbc:postgresql://127.0.0.1:5432/pricing")}}
	oldT := tmpl{labels: labelsApp("pricing-api"), containers: []ctr{app, {name: "cloud-sql-proxy", image: "gcr.io/cloudsql-docker/gce-proxy:1.33.16",
		command: []string{"/cloud_sql_proxy", "-instances=retail-prod:europe-west4:pricing-pg=tcp:5432", "-structured_logs"}, requests: res("100m", "64Mi")}},
		extra: obj{"serviceAccountName": "pricing-api"}}
	newApp := app
	newApp.image = "europe-west4-docker.pkg.dev/retail-prod/pricing/pricing-api:4.19.0"
	newT := tmpl{labels: oldT.labels, containers: []ctr{newApp, {name: "cloud-sql-proxy", image: "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0",
		args: []string{"-instances=retail-prod:europe-west4:pricing-pg=tcp:5432", "--structured-logs"}, requests: res("100m", "64Mi")}}, extra: oldT.extra}
	s.deployment("pricing", "pricing-api", 4, s.ago(120*24*time.Hour), 23, newT, depStatus(5, 1, 4, 4,
		cond("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet is progressing.", s.ago(22*time.Minute))))
	oldA := app2(s, "pricing", "pricing-api", 22, 4, 4, s.ago(9*24*time.Hour), oldT)
	newA := app2(s, "pricing", "pricing-api", 23, 1, 0, s.ago(22*time.Minute), newT)
	for i := 0; i < 4; i++ {
		s.appPod(oldA, i, nodes[i%3], "Running", s.ago(9*24*time.Hour), healthy("pricing-api", s.ago(9*24*time.Hour)), healthy("cloud-sql-proxy", s.ago(9*24*time.Hour)))
	}
	np := s.appPod(newA, 0, nodes[2], "Running", s.ago(22*time.Minute),
		cst{name: "pricing-api", state: running(s.ago(22 * time.Minute))},
		cst{name: "cloud-sql-proxy", restarts: 9, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=cloud-sql-proxy"),
			last: terminated("Error", 1, s.ago(5*time.Minute), s.ago(5*time.Minute))})
	s.event("pricing", "Deployment", "pricing-api", "Normal", "ScalingReplicaSet", "Scaled up replica set "+newA.rs+" to 1", 1, s.ago(22*time.Minute), s.ago(22*time.Minute), "deployment-controller", "")
	s.event("pricing", "Pod", np, "Warning", "BackOff", "Back-off restarting failed container cloud-sql-proxy in pod "+np+"_pricing("+s.uid("Pod", "pricing", np)+")", 88, s.ago(21*time.Minute), s.ago(time.Minute), "kubelet", nodes[2])
	s.event("pricing", "Pod", np, "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 120, s.ago(20*time.Minute), s.ago(20*time.Second), "kubelet", nodes[2])
	s.log("pricing/"+np+"/cloud-sql-proxy.previous", every(s.ago(5*time.Minute), 10*time.Millisecond,
		"Error: unknown shorthand flag: 'i' in -instances=retail-prod:europe-west4:pricing-pg=tcp:5432",
		"Usage:",
		"  cloud-sql-proxy INSTANCE_CONNECTION_NAME... [flags]",
		"",
		"Flags:",
		"  -a, --address string                     (*) Address to bind Cloud SQL instance listeners. (default \"127.0.0.1\")",
		"  -p, --port int                           (*) Initial port for listeners. Subsequent listeners increment from this value.")...)
	s.log("pricing/"+np+"/pricing-api", repeat(s.ago(21*time.Minute), 40*time.Second, 30, func(i int, at time.Time) string {
		if i == 0 {
			return at.Format("15:04:05.000") + " [main] INFO  io.micronaut.runtime.Micronaut - Startup completed in 6412ms. Server Running: http://pricing-api-0:8080"
		}
		if i%2 == 0 {
			return at.Format("15:04:05.000") + " [HikariPool-1 housekeeper] WARN  com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m3s)."
		}
		return at.Format("15:04:05.000") + " [default-nioEventLoopGroup-1-3] ERROR i.m.h.s.netty.RoutingInBoundHandler - Unexpected error occurred: Connection to 127.0.0.1:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections."
	})...)
	m := newMetrics(s.now, 10*time.Minute)
	m.gauge("kube_deployment_status_replicas_updated", "The number of updated replicas per deployment.", `namespace="pricing",deployment="pricing-api"`, flat(1))
	m.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", `namespace="pricing",deployment="pricing-api"`, flat(4))
	m.counter("kube_pod_container_status_restarts", "The number of container restarts per container.", `namespace="pricing",pod="`+np+`",container="cloud-sql-proxy"`, 6, func(i int) float64 {
		if i%14 == 13 {
			return 1
		}
		return 0
	})
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubeDeploymentRolloutStuck", "namespace": "pricing", "deployment": "pricing-api", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Deployment rollout is not progressing.", "description": "Rollout of deployment pricing/pricing-api is not progressing for longer than 15 minutes."}, 6*time.Minute,
		`kube_deployment_status_condition{condition="Progressing", status="false",job="kube-state-metrics"} != 0 or kube_deployment_status_replicas_updated != kube_deployment_spec_replicas`, 1)
	s.expect("BadDeploy", "pricing", "Deployment", "pricing-api", "unknown shorthand flag", "cloud-sql-proxy")
	return s
}

// app2 is an extra ReplicaSet of a Deployment already added.
func app2(s *scn, ns, name string, revision, replicas, ready int, created time.Time, t tmpl) app {
	return app{ns: ns, name: name, t: t, rs: s.rs(ns, name, revision, replicas, ready, created, t)}
}

func flaskWerkzeugRollout() *scn {
	s := newScn("h9-flask-release-pulls-werkzeug-3-import-error", utc(12, 2, 16, 0))
	s.source = "https://github.com/workos/python-flask-example-applications/issues/57"
	s.description = `The new image of account-web was rebuilt without pinned requirements: Werkzeug 3 came in
under Flask 2.2, and every gunicorn worker fails to boot with "cannot import name 'url_quote' from
'werkzeug.urls'". Only the new ReplicaSet's pods crash; the old ones still serve. No metrics.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(30*24*time.Hour))
	c := ctr{name: "web", image: "europe-west4-docker.pkg.dev/retail-prod/identity/account-web:2026.12.1", command: []string{"gunicorn", "-w", "3", "-b", "0.0.0.0:8000", "account.wsgi:app"},
		ports: []obj{port("http", 8000)}, requests: res("250m", "384Mi"), limits: res("", "768Mi")}
	oldT := tmpl{labels: labelsApp("account-web"), containers: []ctr{c}}
	c.image = "europe-west4-docker.pkg.dev/retail-prod/identity/account-web:2026.12.2"
	newT := tmpl{labels: oldT.labels, containers: []ctr{c}}
	s.deployment("identity", "account-web", 3, s.ago(300*24*time.Hour), 58, newT, depStatus(4, 1, 3, 3))
	oldA := app2(s, "identity", "account-web", 57, 3, 3, s.ago(6*24*time.Hour), oldT)
	newA := app2(s, "identity", "account-web", 58, 1, 0, s.ago(18*time.Minute), newT)
	for i := 0; i < 3; i++ {
		s.appPod(oldA, i, nodes[i%2], "Running", s.ago(6*24*time.Hour), healthy("web", s.ago(6*24*time.Hour)))
	}
	np := s.appPod(newA, 0, nodes[1], "Running", s.ago(18*time.Minute), cst{name: "web", restarts: 8,
		state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=web"), last: terminated("Error", 3, s.ago(4*time.Minute), s.ago(4*time.Minute))})
	s.event("identity", "Deployment", "account-web", "Normal", "ScalingReplicaSet", "Scaled up replica set "+newA.rs+" to 1", 1, s.ago(18*time.Minute), s.ago(18*time.Minute), "deployment-controller", "")
	s.event("identity", "Pod", np, "Warning", "BackOff", "Back-off restarting failed container web in pod "+np+"_identity("+s.uid("Pod", "identity", np)+")", 70, s.ago(17*time.Minute), s.ago(time.Minute), "kubelet", nodes[1])
	st := s.ago(4 * time.Minute)
	f := func(d time.Duration) string { return st.Add(d).Format("[2006-01-02 15:04:05 +0000]") }
	s.log("identity/"+np+"/web.previous", every(st, 50*time.Millisecond,
		f(0)+" [1] [INFO] Starting gunicorn 21.2.0",
		f(0)+" [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
		f(0)+" [1] [INFO] Using worker: sync",
		f(0)+" [8] [INFO] Booting worker with pid: 8",
		f(0)+" [8] [ERROR] Exception in worker process",
		"Traceback (most recent call last):",
		`  File "/usr/local/lib/python3.12/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker`,
		"    worker.init_process()",
		`  File "/app/account/wsgi.py", line 3, in <module>`,
		"    from flask import Flask",
		`  File "/usr/local/lib/python3.12/site-packages/flask/__init__.py", line 5, in <module>`,
		"    from .app import Flask as Flask",
		`  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 30, in <module>`,
		"    from werkzeug.urls import url_quote",
		"ImportError: cannot import name 'url_quote' from 'werkzeug.urls' (/usr/local/lib/python3.12/site-packages/werkzeug/urls.py). Did you mean: 'unquote'?",
		f(time.Second)+" [8] [INFO] Worker exiting (pid: 8)",
		f(time.Second)+" [1] [ERROR] Worker (pid:8) exited with code 3",
		f(time.Second)+" [1] [ERROR] Shutting down: Master",
		f(time.Second)+" [1] [ERROR] Reason: Worker failed to boot.")...)
	s.setAlert(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "identity", "pod": np, "container": "web", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Pod is crash looping."}, 12*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	s.expect("BadDeploy", "identity", "Deployment", "account-web", "url_quote", "Werkzeug")
	return s
}

func spannerSessionPoolExhausted() *scn {
	s := newScn("h9-micronaut-spanner-session-pool-exhausted", utc(12, 3, 12, 45))
	s.source = "https://github.com/googleapis/google-cloud-java/issues/3786"
	s.description = `stock-ledger (Micronaut, Spanner Java client) fails requests with RESOURCE_EXHAUSTED "No
session available in the pool": a new reconciliation endpoint opens read-only transactions in a
stream it never closes, so sessions leak until the pool maximum of 100 is reached. CPU and memory
are unremarkable; Spanner itself is healthy.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("stock-ledger"), containers: []ctr{{name: "ledger", image: "europe-west4-docker.pkg.dev/retail-prod/inventory/stock-ledger:3.4.2",
		ports: []obj{port("http", 8080)}, requests: res("1", "1536Mi"), limits: res("", "2Gi"), env: []obj{envVal("SPANNER_MAX_SESSIONS", "100")}}}, extra: obj{"serviceAccountName": "stock-ledger"}}
	a := s.app("inventory", "stock-ledger", 2, 2, s.ago(30*24*time.Hour), 19, t)
	pods := s.runningPods(a, 2, nodes, s.ago(4*24*time.Hour))
	s.log("inventory/"+pods[0]+"/ledger", repeat(s.ago(12*time.Minute), 15*time.Second, 48, func(i int, at time.Time) string {
		ts := at.Format("15:04:05.000")
		switch i % 4 {
		case 0, 1:
			return ts + " [default-nioEventLoopGroup-1-" + fmt.Sprint(2+i%6) + "] ERROR i.m.http.server.RouteExecutor - Unexpected error occurred: RESOURCE_EXHAUSTED: No session available in the pool. Maximum number of sessions in the pool can be overridden by invoking SessionPoolOptions#Builder#setMaxSessions. Client can be made to block rather than fail by setting SessionPoolOptions#Builder#setBlockIfPoolExhausted."
		case 2:
			return ts + " [grpc-default-executor-7] WARN  com.google.cloud.spanner.SessionPool - Leaked session: com.google.cloud.spanner.SessionPool$PooledSession@5f2a9c1e"
		default:
			return ts + " [scheduled-executor-thread-1] INFO  c.r.ledger.ReconcileJob - reconcile window 2026-12-03T12:00Z..12:15Z streamed 18233 rows"
		}
	})...)
	m := newMetrics(s.now, 12*time.Minute)
	for _, p := range pods {
		m.gauge("spanner_max_in_use_sessions", "The maximum number of sessions in use during the last 10 minute interval.", `namespace="inventory",pod="`+p+`",database="inventory"`, m.ramp(71, 100))
		m.gauge("spanner_max_allowed_sessions", "The maximum number of sessions allowed. Configurable by the user.", `namespace="inventory",pod="`+p+`",database="inventory"`, flat(100))
		m.counter("spanner_get_session_timeouts", "The number of get sessions timeouts due to pool exhaustion.", `namespace="inventory",pod="`+p+`",database="inventory"`, 120, after(20, 0, 9))
		m.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes", `namespace="inventory",pod="`+p+`",container="ledger"`, wobble(mib(1010), mib(12)))
	}
	m.counter("http_server_requests_seconds_count", "Micrometer HTTP server requests.", `namespace="inventory",service="stock-ledger",status="500",uri="/v1/ledger/{sku}"`, 4100, after(20, 0.5, 38))
	m.counter("http_server_requests_seconds_count", "Micrometer HTTP server requests.", `namespace="inventory",service="stock-ledger",status="200",uri="/v1/ledger/{sku}"`, 3.1e6, after(20, 410, 360))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "StockLedger5xx", "namespace": "inventory", "service": "stock-ledger", "severity": "critical", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "stock-ledger 5xx ratio above 5%"}, 7*time.Minute,
		`sum(rate(http_server_requests_seconds_count{namespace="inventory",service="stock-ledger",status=~"5.."}[5m])) / sum(rate(http_server_requests_seconds_count{namespace="inventory",service="stock-ledger"}[5m])) > 0.05`, 0.095)
	s.expect("ResourceExhaustion", "inventory", "Deployment", "stock-ledger", "session", "RESOURCE_EXHAUSTED")
	return s
}

func volumeStats(m *mset, ns, pvc string, capacity float64, used func(int) float64) {
	l := `namespace="` + ns + `",persistentvolumeclaim="` + pvc + `"`
	m.gauge("kubelet_volume_stats_capacity_bytes", "Capacity in bytes of the volume", l, flat(capacity))
	m.gauge("kubelet_volume_stats_used_bytes", "Number of used bytes in the volume", l, used)
	m.gauge("kubelet_volume_stats_available_bytes", "Number of available bytes in the volume", l, func(i int) float64 { return capacity - used(i) })
}

func filestoreExportsFull() *scn {
	s := newScn("h9-filestore-report-exports-share-full", utc(12, 4, 6, 30))
	s.source = "https://github.com/pangeo-data/pangeo-cloud-federation/issues/601"
	s.description = `report-writer pods (Python) write nightly CSV exports to a shared 1Ti Filestore volume,
claim report-exports. Retention cleanup was disabled with the last Config Sync change, the share
filled, and every export now fails with "[Errno 28] No space left on device". The pods keep running.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("report-writer"), containers: []ctr{{name: "writer", image: "europe-west4-docker.pkg.dev/retail-prod/analytics/report-writer:1.7.0",
		requests: res("500m", "1Gi"), limits: res("", "2Gi"), mounts: []obj{{"name": "exports", "mountPath": "/exports"}}}},
		extra: obj{"volumes": []any{obj{"name": "exports", "persistentVolumeClaim": obj{"claimName": "report-exports"}}}}}
	a := s.app("analytics", "report-writer", 2, 2, s.ago(200*24*time.Hour), 13, t)
	s.add(obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": s.meta("PersistentVolumeClaim", "analytics", "report-exports", nil, s.ago(200*24*time.Hour)),
		"spec":   obj{"accessModes": []string{"ReadWriteMany"}, "storageClassName": "standard-rwx", "volumeName": "pvc-" + s.uid("PersistentVolumeClaim", "analytics", "report-exports"), "resources": obj{"requests": obj{"storage": "1Ti"}}},
		"status": obj{"phase": "Bound", "accessModes": []string{"ReadWriteMany"}, "capacity": obj{"storage": "1Ti"}}})
	pods := s.runningPods(a, 2, nodes, s.ago(5*24*time.Hour))
	for _, p := range pods {
		s.log("analytics/"+p+"/writer", repeat(s.ago(14*time.Minute), 30*time.Second, 28, func(j int, _ time.Time) string {
			switch j % 3 {
			case 0:
				return gcl("INFO", fmt.Sprintf("exporting orders_daily partition region=%d", j%7), "logger", "report_writer.export")
			case 1:
				return gcl("ERROR", fmt.Sprintf("export failed: OSError: [Errno 28] No space left on device: '/exports/orders_daily/2026-12-04/region=%d/part-0003.csv'", j%7), "logger", "report_writer.export")
			default:
				return gcl("WARNING", "retention cleanup disabled (EXPORT_RETENTION_DAYS=0)", "logger", "report_writer.retention")
			}
		})...)
	}
	m := newMetrics(s.now, 14*time.Minute)
	tib := 1099511627776.0
	volumeStats(m, "analytics", "report-exports", tib, func(i int) float64 {
		u := 0.985*tib + float64(i)*0.0004*tib
		if u > tib {
			return tib
		}
		return u
	})
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "ReportExportsFailing", "namespace": "analytics", "pod": pods[0], "severity": "warning", "grafana_folder": "Analytics"},
		map[string]string{"summary": "Nightly report exports are failing"}, 10*time.Minute,
		`sum(increase(report_writer_export_failures_total{namespace="analytics"}[10m])) > 0`, 14)
	s.expect("ResourceExhaustion", "analytics", "PersistentVolumeClaim", "report-exports", "No space left on device", "report-exports")
	return s
}

func meilisearchVolumeFull() *scn {
	s := newScn("h9-meilisearch-pd-volume-full-behind-search-web", utc(12, 5, 21, 10))
	s.source = "https://github.com/meilisearch/meilisearch/issues/5287"
	s.description = `search-web (Sinatra on Puma) returns 502 on every search: its backend, the meilisearch
StatefulSet, cannot write index updates and answers 500 "No space left on device (os error 28)"
because its 50Gi PD claim data-meilisearch-0 is full after a bulk reindex. A Puma thread warning
at boot is unrelated.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	mt := tmpl{labels: labelsApp("meilisearch"), containers: []ctr{{name: "meilisearch", image: "getmeili/meilisearch:v1.11.3", ports: []obj{port("http", 7700)},
		requests: res("1", "2Gi"), limits: res("", "4Gi"), mounts: []obj{{"name": "data", "mountPath": "/meili_data"}}}}}
	s.add(obj{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": s.meta("StatefulSet", "storefront", "meilisearch", mt.labels, s.ago(150*24*time.Hour)),
		"spec": obj{"replicas": 1, "serviceName": "meilisearch", "selector": obj{"matchLabels": mt.labels}, "template": obj{"metadata": obj{"labels": mt.labels}, "spec": mt.podSpec()},
			"volumeClaimTemplates": []any{obj{"metadata": obj{"name": "data"}, "spec": obj{"accessModes": []string{"ReadWriteOnce"}, "storageClassName": "premium-rwo", "resources": obj{"requests": obj{"storage": "50Gi"}}}}}},
		"status": obj{"replicas": 1, "readyReplicas": 1, "currentReplicas": 1}})
	s.add(obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": s.meta("PersistentVolumeClaim", "storefront", "data-meilisearch-0", mt.labels, s.ago(150*24*time.Hour)),
		"spec":   obj{"accessModes": []string{"ReadWriteOnce"}, "storageClassName": "premium-rwo", "volumeName": "pvc-" + s.uid("PersistentVolumeClaim", "storefront", "data-meilisearch-0"), "resources": obj{"requests": obj{"storage": "50Gi"}}},
		"status": obj{"phase": "Bound", "capacity": obj{"storage": "50Gi"}, "accessModes": []string{"ReadWriteOnce"}}})
	meili := "meilisearch-0"
	mt.extra = obj{"volumes": []any{obj{"name": "data", "persistentVolumeClaim": obj{"claimName": "data-meilisearch-0"}}}}
	s.pod("storefront", meili, nodes[0], "StatefulSet", "meilisearch", withLabels(mt.labels, "statefulset.kubernetes.io/pod-name", meili), mt, "Running", s.ago(20*24*time.Hour), []cst{healthy("meilisearch", s.ago(20*24*time.Hour))}, nil)
	s.service("storefront", "meilisearch", mt.labels, "http", 7700, "http", s.ago(150*24*time.Hour), meili)
	s.log("storefront/"+meili+"/meilisearch", repeat(s.ago(12*time.Minute), 20*time.Second, 36, func(i int, at time.Time) string {
		st := at.Format("2006-01-02T15:04:05.000000Z")
		if i%3 == 0 {
			return st + " ERROR index_scheduler: Batch failed Error(Io(Os { code: 28, kind: StorageFull, message: \"No space left on device\" }))"
		}
		return st + "  INFO HTTP request{method=POST host=\"meilisearch.storefront.svc:7700\" route=/indexes/products/search query_parameters= user_agent=Faraday v2.12.0 status_code=500 error=internal: No space left on device (os error 28).}: meilisearch: close time.busy=2.1ms"
	})...)
	wt := tmpl{labels: labelsApp("search-web"), containers: []ctr{{name: "puma", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/search-web:8.0.4", ports: []obj{port("http", 9292)},
		requests: res("300m", "384Mi"), limits: res("", "768Mi"), env: []obj{envVal("MEILI_URL", "http://meilisearch.storefront.svc:7700")}}}}
	wa := s.app("storefront", "search-web", 3, 3, s.ago(60*24*time.Hour), 26, wt)
	web := s.runningPods(wa, 3, nodes, s.ago(3*24*time.Hour))
	s.log("storefront/"+web[0]+"/puma", every(s.ago(3*24*time.Hour), time.Second,
		"Puma starting in single mode...",
		"* Puma version: 6.4.3 (ruby 3.3.5-p100) (\"The Eagle of Durango\")",
		"WARNING: Detected 1 Thread(s) started in app boot:",
		"* Listening on http://0.0.0.0:9292")...)
	s.log("storefront/"+web[0]+"/puma", repeat(s.ago(12*time.Minute), 15*time.Second, 48, func(i int, at time.Time) string {
		return fmt.Sprintf(`{"severity":"ERROR","message":"search failed: MeiliSearch::ApiError: 500 Internal Server Error - internal: No space left on device (os error 28). See https://docs.meilisearch.com/errors#internal","path":"/search","q":"winter boots %d"}`, i)
	})...)
	m := newMetrics(s.now, 12*time.Minute)
	gib := 1073741824.0
	volumeStats(m, "storefront", "data-meilisearch-0", 50*gib, func(i int) float64 { return 50*gib - float64(max(0, 40-i))*mib(8) })
	m.counter("http_requests", "Rack requests by status.", `namespace="storefront",service="search-web",status="502"`, 900, after(4, 2, 160))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "SearchWebErrors", "namespace": "storefront", "service": "search-web", "severity": "critical", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "search-web 5xx above 20%"}, 9*time.Minute,
		`sum(rate(http_requests_total{namespace="storefront",service="search-web",status=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="storefront",service="search-web"}[5m])) > 0.2`, 0.93)
	s.expect("ResourceExhaustion", "storefront", "PersistentVolumeClaim", "data-meilisearch-0", "No space left on device", "meilisearch")
	return s
}

func partnerNewChainPKIX() *scn {
	s := newScn("h9-carrier-api-new-ca-pkix-path-building-failed", utc(12, 6, 9, 5))
	s.source = "https://stackoverflow.com/questions/21076179/pkix-path-building-failed-and-unable-to-find-valid-certification-path-to-requ"
	s.description = `shipping-quotes (Micronaut) calls the carrier API api.parcelnet.eu, which moved its
certificate to a new CA overnight. The service runs with a custom truststore that holds only the
old issuer, so every call fails the TLS handshake with "PKIX path building failed". No metrics.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("shipping-quotes"), containers: []ctr{{name: "quotes", image: "europe-west4-docker.pkg.dev/retail-prod/fulfilment/shipping-quotes:2.9.1",
		ports: []obj{port("http", 8080)}, requests: res("500m", "768Mi"), limits: res("", "1Gi"),
		env: []obj{envVal("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=/etc/truststore/carriers.jks"), envVal("CARRIER_URL", "https://api.parcelnet.eu/v3")}}}}
	a := s.app("fulfilment", "shipping-quotes", 2, 2, s.ago(40*24*time.Hour), 16, t)
	pods := s.runningPods(a, 2, nodes, s.ago(10*24*time.Hour))
	for _, p := range pods {
		s.log("fulfilment/"+p+"/quotes", repeat(s.ago(15*time.Minute), 20*time.Second, 45, func(j int, at time.Time) string {
			ts := at.Format("15:04:05.000")
			if j%5 == 4 {
				return ts + " [default-nioEventLoopGroup-1-4] WARN  c.r.quotes.Fallback - carrier parcelnet unavailable, serving cached rate table from 2026-12-05"
			}
			return ts + " [default-nioEventLoopGroup-1-2] ERROR i.m.http.client.netty.DefaultHttpClient - Connect Error: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target (api.parcelnet.eu:443)"
		})...)
	}
	s.setAlert(map[string]string{"alertname": "ShippingQuotesCarrierErrors", "namespace": "fulfilment", "pod": pods[0], "severity": "warning", "source": "grafana"},
		map[string]string{"summary": "Carrier API calls from shipping-quotes failing"}, 13*time.Minute,
		`sum(rate(http_client_requests_seconds_count{namespace="fulfilment",service="shipping-quotes",status="CLIENT_ERROR"}[5m])) > 1`, 2.9)
	s.expect("TLSFailure", "", "External", "api.parcelnet.eu", "PKIX", "certification path")
	return s
}

func promoTrafficPumaAtMax() *scn {
	s := newScn("h9-promo-email-traffic-catalog-web-hpa-at-max", utc(12, 7, 8, 30))
	s.source = "https://cloud.google.com/kubernetes-engine/docs/concepts/horizontalpodautoscaler"
	s.description = `A promotion email went out at 08:00 and catalog-web (Sinatra on Puma) requests tripled. The
HPA reached its maximum of 12 replicas, every Puma worker is busy (backlog grows, pool capacity 0)
and latency rises with 503s from the load balancer. No error in the app itself; pods are healthy.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("catalog-web"), containers: []ctr{{name: "puma", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/catalog-web:14.2.0", ports: []obj{port("http", 9292)},
		requests: res("1", "1Gi"), limits: res("", "1536Mi"), env: []obj{envVal("WEB_CONCURRENCY", "2"), envVal("RAILS_MAX_THREADS", "5")}}}}
	a := s.app("storefront", "catalog-web", 12, 12, s.ago(90*24*time.Hour), 71, t)
	var pods []string
	for i := 0; i < 12; i++ {
		created := s.ago(25 * time.Minute)
		if i < 4 {
			created = s.ago(3 * 24 * time.Hour)
		}
		pods = append(pods, s.appPod(a, i, nodes[i%3], "Running", created, healthy("puma", created)))
	}
	s.event("storefront", "HorizontalPodAutoscaler", "catalog-web", "Normal", "SuccessfulRescale", "New size: 12; reason: cpu resource utilization (percentage of request) above target", 3, s.ago(28*time.Minute), s.ago(22*time.Minute), "horizontal-pod-autoscaler", "")
	s.event("storefront", "HorizontalPodAutoscaler", "catalog-web", "Warning", "ScalingLimited", "the desired replica count is more than the maximum replica count", 40, s.ago(22*time.Minute), s.ago(30*time.Second), "horizontal-pod-autoscaler", "")
	s.log("storefront/"+pods[0]+"/puma", repeat(s.ago(10*time.Minute), 20*time.Second, 30, func(i int, _ time.Time) string {
		return fmt.Sprintf(`{"severity":"INFO","message":"puma stats","backlog":%d,"running":10,"pool_capacity":0,"max_threads":10,"requests_count":%d}`, 20+i*3, 88000+i*610)
	})...)
	m := newMetrics(s.now, 15*time.Minute)
	m.gauge("kube_horizontalpodautoscaler_status_current_replicas", "Current number of replicas of pods managed by this autoscaler.", `namespace="storefront",horizontalpodautoscaler="catalog-web"`, flat(12))
	m.gauge("kube_horizontalpodautoscaler_spec_max_replicas", "Upper limit for the number of pods that can be set by the autoscaler.", `namespace="storefront",horizontalpodautoscaler="catalog-web"`, flat(12))
	m.counter("http_requests", "Rack requests by status.", `namespace="storefront",service="catalog-web",status="200"`, 4.4e7, m.ramp(14000, 26000))
	m.counter("http_requests", "Rack requests by status.", `namespace="storefront",service="catalog-web",status="503"`, 1.2e4, m.ramp(0, 1900))
	m.histogram("http_request_duration_seconds", "Rack request latency.", `namespace="storefront",service="catalog-web"`, []float64{0.1, 0.25, 0.5, 1, 2.5},
		m.ramp(14000, 27900), func(i int) []float64 {
			f := float64(i) / 60
			return []float64{0.62 - 0.4*f, 0.81 - 0.45*f, 0.92 - 0.4*f, 0.97 - 0.25*f, 0.995 - 0.05*f}
		}, m.ramp(0.12, 0.9))
	for _, p := range pods[:4] {
		m.counter("container_cpu_usage_seconds", "Cumulative cpu time consumed in seconds.", `namespace="storefront",pod="`+p+`",container="puma"`, 2.2e5, wobble(14.4, 0.4))
	}
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "CatalogLatencyHigh", "namespace": "storefront", "service": "catalog-web", "severity": "critical", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "catalog-web p95 latency above 1s"}, 11*time.Minute,
		`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="storefront",service="catalog-web"}[5m]))) > 1`, 2.2)
	s.expect("TrafficSpike", "storefront", "Deployment", "catalog-web", "maximum", "12 replicas")
	return s
}

func crawlerBurstQuoteGrpc() *scn {
	s := newScn("h9-price-scraper-burst-saturates-price-grpc", utc(12, 8, 4, 15))
	s.source = "https://status.qase.io/incidents/bv4ml9m0vmrh"
	s.description = `A price-comparison crawler hammers the public price endpoint at 4 a.m.; the Go gRPC
price-engine behind it runs a fixed 4 replicas (no HPA) and saturates: gRPC RESOURCE_EXHAUSTED from
its concurrency limiter and deadline exceeded at the gateway. All requests come from one user agent.
A certificate-renewal notice in the logs is unrelated.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("price-engine"), containers: []ctr{{name: "engine", image: "europe-west4-docker.pkg.dev/retail-prod/pricing/price-engine:7.3.0", ports: []obj{port("grpc", 9000)},
		requests: res("2", "1Gi"), limits: res("", "2Gi"), env: []obj{envVal("MAX_CONCURRENT_STREAMS", "256")}}}}
	a := s.app("pricing", "price-engine", 4, 4, s.ago(50*24*time.Hour), 40, t)
	pods := s.runningPods(a, 4, nodes, s.ago(7*24*time.Hour))
	s.log("pricing/"+pods[0]+"/engine", repeat(s.ago(12*time.Minute), 15*time.Second, 48, func(i int, _ time.Time) string {
		if i == 7 {
			return gcl("INFO", "managed certificate price-api-cert renewal scheduled", "logger", "certwatch")
		}
		if i%2 == 0 {
			return gcl("WARNING", "concurrency limit reached, rejecting stream", "grpc.code", "ResourceExhausted", "inflight", "256", "user_agent", "PriceHawkBot/2.1 (+https://pricehawk.example)")
		}
		return gcl("INFO", "served GetPrices", "skus", "50", "latency_ms", fmt.Sprint(700+i*15), "user_agent", "PriceHawkBot/2.1 (+https://pricehawk.example)")
	})...)
	m := newMetrics(s.now, 12*time.Minute)
	for _, p := range pods {
		l := `namespace="pricing",pod="` + p + `",grpc_service="pricing.v1.PriceEngine",grpc_method="GetPrices"`
		m.counter("grpc_server_handled", "Total number of RPCs completed on the server.", l+`,grpc_code="OK"`, 1.9e7, m.ramp(2800, 6100))
		m.counter("grpc_server_handled", "Total number of RPCs completed on the server.", l+`,grpc_code="ResourceExhausted"`, 2.2e3, m.ramp(0, 2400))
		m.counter("container_cpu_usage_seconds", "Cumulative cpu time consumed in seconds.", `namespace="pricing",pod="`+p+`",container="engine"`, 6.1e5, m.ramp(9, 29.5))
	}
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "PriceEngineErrorBudgetBurn", "namespace": "pricing", "service": "price-engine", "severity": "critical", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "price-engine burning error budget 14x"}, 8*time.Minute,
		`sum(rate(grpc_server_handled_total{namespace="pricing",grpc_code!="OK"}[5m])) / sum(rate(grpc_server_handled_total{namespace="pricing"}[5m])) > 14 * 0.001`, 0.28)
	s.expect("TrafficSpike", "pricing", "Deployment", "price-engine", "ResourceExhausted", "PriceHawkBot")
	return s
}
