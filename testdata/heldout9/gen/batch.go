package main

import (
	"fmt"
	"time"
)

// cronJob adds a CronJob whose jobTemplate runs t.
func (s *scn) cronJob(ns, name, schedule string, created time.Time, t tmpl, extra, status obj) {
	spec := obj{"schedule": schedule, "timeZone": "Europe/Amsterdam", "concurrencyPolicy": "Forbid", "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 3,
		"jobTemplate": obj{"spec": obj{"backoffLimit": 2, "template": obj{"metadata": obj{"labels": t.labels}, "spec": withRestart(t.podSpec(), "Never")}}}}
	for k, v := range extra {
		spec[k] = v
	}
	s.add(obj{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": s.meta("CronJob", ns, name, t.labels, created), "spec": spec, "status": status})
}

func withRestart(spec obj, policy string) obj {
	spec["restartPolicy"] = policy
	return spec
}

// job adds a Job created by a CronJob; its pods carry batch.kubernetes.io labels.
func (s *scn) job(ns, name, cron string, created time.Time, t tmpl, status obj) map[string]string {
	uid := s.uid("Job", ns, name)
	labels := withLabels(t.labels, "batch.kubernetes.io/controller-uid", uid, "batch.kubernetes.io/job-name", name, "controller-uid", uid, "job-name", name)
	m := s.meta("Job", ns, name, labels, created)
	m["ownerReferences"] = []any{obj{"apiVersion": "batch/v1", "kind": "CronJob", "name": cron, "uid": s.uid("CronJob", ns, cron), "controller": true, "blockOwnerDeletion": true}}
	m["annotations"] = map[string]string{"batch.kubernetes.io/cronjob-scheduled-timestamp": ts(created)}
	sel := map[string]string{"batch.kubernetes.io/controller-uid": uid}
	s.add(obj{"apiVersion": "batch/v1", "kind": "Job", "metadata": m,
		"spec":   obj{"backoffLimit": 2, "completions": 1, "parallelism": 1, "selector": obj{"matchLabels": sel}, "template": obj{"metadata": obj{"labels": labels}, "spec": withRestart(t.podSpec(), "Never")}},
		"status": status})
	return labels
}

func rollupJobIntegerOutOfRange() *scn {
	s := newScn("h9-sales-rollup-job-integer-out-of-range", utc(12, 9, 2, 40))
	s.source = "https://kubernetes.io/docs/concepts/workloads/controllers/job/"
	s.description = `The nightly sales-rollup CronJob (a Symfony console command) failed: each of its three pods
died on "SQLSTATE[22003]: Numeric value out of range: 7 ERROR:  integer out of range" when the
rollup total of a busy store no longer fits the int4 column, and the Job hit its backoff limit.
The CronJob itself is fine and last night's run succeeded.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("sales-rollup"), containers: []ctr{{name: "rollup", image: "europe-west4-docker.pkg.dev/retail-prod/analytics/backoffice:5.12.0",
		command: []string{"php", "bin/console", "app:sales:rollup", "--date=yesterday"}, requests: res("500m", "512Mi"), limits: res("", "1Gi")}}}
	s.cronJob("analytics", "sales-rollup", "15 2 * * *", s.ago(300*24*time.Hour), t, nil,
		obj{"lastScheduleTime": ts(s.ago(25 * time.Minute)), "lastSuccessfulTime": ts(s.ago(24*time.Hour + 10*time.Minute))})
	job := "sales-rollup-29422095"
	start := s.ago(25 * time.Minute)
	labels := s.job("analytics", job, "sales-rollup", start, t, obj{"failed": 3, "startTime": ts(start),
		"conditions": []any{obj{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastProbeTime": ts(s.ago(6 * time.Minute)), "lastTransitionTime": ts(s.ago(6 * time.Minute))}}})
	var pods []string
	for i := 0; i < 3; i++ {
		p := job + "-" + suffix(s.name+fmt.Sprint(i), 5)
		pst := start.Add(time.Duration(i*7) * time.Minute)
		s.pod("analytics", p, nodes[i%2], "Job", job, labels, tmpl{labels: labels, containers: t.containers}, "Failed", pst,
			[]cst{{name: "rollup", state: terminated("Error", 1, pst.Add(5*time.Second), pst.Add(4*time.Minute))}}, nil)
		pods = append(pods, p)
		s.log("analytics/"+p+"/rollup", every(pst.Add(6*time.Second), 20*time.Second,
			`{"message":"Rolling up sales for 2026-12-08","context":{"stores":412},"level":200,"level_name":"INFO","channel":"app","datetime":"`+pst.Add(6*time.Second).Format("2006-01-02T15:04:05.000000+00:00")+`"}`,
			`{"message":"User Deprecated: Since doctrine/doctrine-bundle 2.12: The \"auto_generate_proxy_classes\" configuration key is deprecated.","level":200,"level_name":"INFO","channel":"deprecation"}`,
			`{"message":"Processed 398/412 stores","level":200,"level_name":"INFO","channel":"app"}`,
			`{"message":"Error thrown while running command \"app:sales:rollup --date=yesterday\". Message: \"An exception occurred while executing a query: SQLSTATE[22003]: Numeric value out of range: 7 ERROR:  integer out of range\"","context":{"exception":{"class":"Doctrine\\DBAL\\Exception\\DriverException","code":7}},"level":500,"level_name":"CRITICAL","channel":"console"}`,
			``,
			`In ExceptionConverter.php line 87:`,
			`  An exception occurred while executing a query: SQLSTATE[22003]: Numeric value out of range: 7 ERROR:  integer out of range`)...)
	}
	s.event("analytics", "Job", job, "Normal", "SuccessfulCreate", "Created pod: "+pods[0], 1, start, start, "job-controller", "")
	s.event("analytics", "Job", job, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", 1, s.ago(6*time.Minute), s.ago(6*time.Minute), "job-controller", "")
	s.event("analytics", "CronJob", "sales-rollup", "Normal", "SawCompletedJob", "Saw completed job: "+job+", status: Failed", 1, s.ago(6*time.Minute), s.ago(6*time.Minute), "cronjob-controller", "")
	m := newMetrics(s.now, 10*time.Minute)
	m.gauge("kube_job_status_failed", "The number of pods which reached Phase Failed and the reason for failure.", `namespace="analytics",job_name="`+job+`",reason="BackoffLimitExceeded"`, after(26, 0, 1))
	m.gauge("kube_job_owner", "Information about the Job's owner.", `namespace="analytics",job_name="`+job+`",owner_kind="CronJob",owner_name="sales-rollup",owner_is_controller="true"`, flat(1))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubeJobFailed", "namespace": "analytics", "job_name": job, "cronjob": "sales-rollup", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Job failed to complete.", "description": "Job analytics/" + job + " failed to complete. Removing failed job after investigation should clear this alert."},
		5*time.Minute, `kube_job_failed{job="kube-state-metrics"} > 0`, 1)
	s.expect("JobFailure", "analytics", "Job", job, "integer out of range", "BackoffLimitExceeded")
	return s
}

func snapshotJobHungForbid() *scn {
	s := newScn("h9-stock-snapshot-job-hung-cronjob-skips-runs", utc(12, 10, 7, 5))
	s.source = "https://github.com/kubernetes/website/pull/44796"
	s.description = `The hourly stock-snapshot CronJob (concurrencyPolicy Forbid) has not completed for 26 hours:
yesterday's Job is still running, its Python exporter blocked on a Spanner read that never
returns (no deadline set, no activeDeadlineSeconds), so the controller skips every new run with
JobAlreadyActive. No metrics were kept.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("stock-snapshot"), containers: []ctr{{name: "snapshot", image: "europe-west4-docker.pkg.dev/retail-prod/inventory/stock-snapshot:1.3.0",
		command: []string{"python", "-m", "snapshot", "--export=gs://retail-prod-inventory/snapshots"}, requests: res("250m", "512Mi"), limits: res("", "1Gi")}}}
	started := s.ago(26*time.Hour + 5*time.Minute)
	job := "stock-snapshot-29423520"
	s.cronJob("inventory", "stock-snapshot", "0 * * * *", s.ago(200*24*time.Hour), t, nil,
		obj{"active": []any{obj{"kind": "Job", "namespace": "inventory", "name": job, "uid": s.uid("Job", "inventory", job), "apiVersion": "batch/v1"}},
			"lastScheduleTime": ts(started), "lastSuccessfulTime": ts(started.Add(-50 * time.Minute))})
	labels := s.job("inventory", job, "stock-snapshot", started, t, obj{"active": 1, "ready": 1, "startTime": ts(started)})
	p := job + "-" + suffix(s.name, 5)
	s.pod("inventory", p, nodes[0], "Job", job, labels, tmpl{labels: labels, containers: t.containers}, "Running", started, []cst{healthy("snapshot", started.Add(4*time.Second))}, nil)
	s.log("inventory/"+p+"/snapshot", every(started.Add(5*time.Second), 3*time.Second,
		"INFO:snapshot:starting stock snapshot for 2026-12-09T05:00Z",
		"INFO:snapshot:reading StockLevels from projects/retail-prod/instances/retail/databases/inventory",
		"INFO:snapshot:exported 1200000 rows",
		"INFO:snapshot:exported 1400000 rows")...)
	s.event("inventory", "CronJob", "stock-snapshot", "Warning", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", 26, s.ago(25*time.Hour), s.ago(5*time.Minute), "cronjob-controller", "")
	s.event("inventory", "Job", job, "Normal", "SuccessfulCreate", "Created pod: "+p, 1, started, started, "job-controller", "")
	s.setAlert(map[string]string{"alertname": "CronJobNotSucceeded", "namespace": "inventory", "cronjob": "stock-snapshot", "severity": "warning", "grafana_folder": "Inventory"},
		map[string]string{"summary": "stock-snapshot has not succeeded for more than 3 hours"}, 23*time.Hour,
		`time() - kube_cronjob_status_last_successful_time{namespace="inventory",cronjob="stock-snapshot"} > 3 * 3600`, 97400)
	s.expect("JobFailure", "inventory", "Job", job, "JobAlreadyActive", "Forbid")
	return s
}

func debugLoggingCost() *scn {
	s := newScn("h9-routing-engine-debug-logging-cloud-logging-cost", utc(12, 11, 10, 0))
	s.source = "https://www.doit.com/how-to-analyze-your-gcp-logging-usage/"
	s.description = `Cloud Logging ingestion for the fulfilment namespace went from about 3 GiB to 190 GiB a day:
a Config Sync change set RUST_LOG=debug on the Rust routing-engine (via its ConfigMap) and every
route evaluation is now logged. Nothing is broken; the cost alert comes from the ingestion metric.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	s.add(obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": s.meta("ConfigMap", "fulfilment", "routing-engine", map[string]string{"app.kubernetes.io/managed-by": "configmanagement.gke.io"}, s.ago(9*time.Hour)),
		"data": map[string]string{"RUST_LOG": "debug", "ROUTE_CACHE_TTL": "300"}})
	t := tmpl{labels: labelsApp("routing-engine"), containers: []ctr{{name: "engine", image: "europe-west4-docker.pkg.dev/retail-prod/fulfilment/routing-engine:3.0.7", ports: []obj{port("grpc", 50051)},
		requests: res("1", "1Gi"), limits: res("", "2Gi"), env: []obj{{"name": "RUST_LOG", "valueFrom": obj{"configMapKeyRef": obj{"name": "routing-engine", "key": "RUST_LOG"}}}}}}}
	a := s.app("fulfilment", "routing-engine", 3, 3, s.ago(100*24*time.Hour), 21, t)
	pods := s.runningPods(a, 3, nodes, s.ago(9*time.Hour))
	s.event("fulfilment", "Deployment", "routing-engine", "Normal", "ScalingReplicaSet", "Scaled up replica set "+a.rs+" to 3", 1, s.ago(9*time.Hour), s.ago(9*time.Hour), "deployment-controller", "")
	s.log("fulfilment/"+pods[0]+"/engine", repeat(s.ago(2*time.Minute), 150*time.Millisecond, 400, func(i int, at time.Time) string {
		st := at.Format("2006-01-02T15:04:05.000000Z")
		switch i % 4 {
		case 0:
			return st + " DEBUG routing_engine::eval: evaluating route candidate order_id=ORD-" + fmt.Sprint(7712000+i/4) + " carrier=parcelnet depot=ams-02 score=0.71"
		case 1:
			return st + " DEBUG routing_engine::eval: evaluating route candidate order_id=ORD-" + fmt.Sprint(7712000+i/4) + " carrier=postnl depot=ams-02 score=0.64"
		case 2:
			return st + " DEBUG h2::codec::framed_write: send frame=Data { stream_id: StreamId(" + fmt.Sprint(i) + "), flags: (0x1: END_STREAM) }"
		default:
			return st + "  INFO routing_engine::service: routed order_id=ORD-" + fmt.Sprint(7712000+i/4) + " carrier=parcelnet"
		}
	})...)
	m := newMetrics(s.now, 15*time.Minute)
	for _, p := range pods {
		m.counter("logging_googleapis_com:byte_count", "Log bytes ingested by Cloud Logging (GMP from Cloud Monitoring).", `namespace_name="fulfilment",pod_name="`+p+`",container_name="engine",severity="DEBUG"`, 6.8e10, wobble(3.4e7, 1e6))
		m.counter("logging_googleapis_com:byte_count", "Log bytes ingested by Cloud Logging (GMP from Cloud Monitoring).", `namespace_name="fulfilment",pod_name="`+p+`",container_name="engine",severity="INFO"`, 1.1e9, wobble(5.2e5, 2e4))
	}
	m.gauge("billing_logging_daily_cost_usd", "Estimated Cloud Logging ingestion cost per namespace and day (FinOps export).", `namespace="fulfilment"`, flat(95))
	m.gauge("billing_logging_daily_cost_usd_baseline", "Average of the previous 28 days.", `namespace="fulfilment"`, flat(1.6))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "LoggingCostAnomaly", "namespace": "fulfilment", "severity": "warning", "grafana_folder": "FinOps", "team": "platform"},
		map[string]string{"summary": "Cloud Logging cost of fulfilment is 59x its baseline", "description": "Estimated logging spend 95 USD/day against a 28-day baseline of 1.6 USD/day."},
		3*time.Hour, `billing_logging_daily_cost_usd{namespace="fulfilment"} / billing_logging_daily_cost_usd_baseline{namespace="fulfilment"} > 5`, 59)
	s.expect("CostAnomaly", "fulfilment", "Deployment", "routing-engine", "debug", "logging")
	return s
}

func unknownSLOBurnNoEvidence() *scn {
	s := newScn("h9-unknown-checkout-slo-burn-nothing-visible", utc(12, 12, 14, 50))
	s.source = "https://sre.google/workbook/alerting-on-slos/"
	s.description = `A Grafana SLO burn-rate alert fires for checkout-web, its annotation blames Memorystore, but
the pods are Ready with no restarts, their logs show normal 200s, no events, and there are no
metrics for the window (the GMP collector was being upgraded). Nothing here supports a cause; the
honest answer is that evidence is missing.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("checkout-web"), containers: []ctr{{name: "checkout", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/checkout-web:9.5.1",
		ports: []obj{port("http", 8080)}, requests: res("1500m", "2Gi"), limits: res("", "2Gi")}}}
	a := s.app("storefront", "checkout-web", 3, 3, s.ago(60*24*time.Hour), 43, t)
	pods := s.runningPods(a, 3, nodes, s.ago(2*24*time.Hour))
	for _, p := range pods {
		s.log("storefront/"+p+"/checkout", repeat(s.ago(10*time.Minute), 40*time.Second, 15, func(j int, _ time.Time) string {
			return gcl("INFO", "POST /v1/checkout 200", "latency_ms", fmt.Sprint(140+(j*37)%90))
		})...)
	}
	s.setAlert(map[string]string{"alertname": "CheckoutSLOFastBurn", "namespace": "storefront", "pod": pods[1], "severity": "critical", "grafana_folder": "SLO", "slo": "checkout-availability"},
		map[string]string{"summary": "checkout availability SLO burning 14.4x", "description": "Probably Memorystore again, see last incident."}, 4*time.Minute,
		`(1 - sum(rate(http_requests_total{namespace="storefront",service="checkout-web",code!~"5.."}[5m])) / sum(rate(http_requests_total{namespace="storefront",service="checkout-web"}[5m]))) / (1 - 0.999) > 14.4`, 15.1)
	s.expect("Unknown", "storefront", "Deployment", "checkout-web", "evidence")
	return s
}

func unknownConfigSyncRolloutDone() *scn {
	s := newScn("h9-unknown-replicas-mismatch-config-sync-rollout-finished", utc(12, 13, 9, 20))
	s.source = "https://github.com/kubernetes-sigs/kubernetes-mixin/pull/359"
	s.description = `KubeDeploymentReplicasMismatch fired for session-api while Config Sync rolled out a new
image across 8 replicas with maxSurge 1; the rollout has finished, all replicas are updated and
available, and the pods are healthy. A Dataplane V2 policy log line and an old BackOff event from
last week are noise. Nothing is wrong now.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("session-api"), containers: []ctr{{name: "api", image: "europe-west4-docker.pkg.dev/retail-prod/identity/session-api:2.40.0",
		ports: []obj{port("grpc", 9000)}, requests: res("250m", "256Mi"), limits: res("", "512Mi")}}}
	oldT := tmpl{labels: t.labels, containers: []ctr{t.containers[0]}}
	oldT.containers[0].image = "europe-west4-docker.pkg.dev/retail-prod/identity/session-api:2.39.2"
	s.deployment("identity", "session-api", 8, s.ago(200*24*time.Hour), 52, t, depStatus(8, 8, 8, 8,
		cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", s.ago(200*24*time.Hour)),
		cond("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet has successfully progressed.", s.ago(2*time.Minute))))
	app2(s, "identity", "session-api", 51, 0, 0, s.ago(12*24*time.Hour), oldT)
	a := app2(s, "identity", "session-api", 52, 8, 8, s.ago(24*time.Minute), t)
	var pods []string
	for i := 0; i < 8; i++ {
		created := s.ago(time.Duration(24-i*3) * time.Minute)
		pods = append(pods, s.appPod(a, i, nodes[i%3], "Running", created, healthy("api", created.Add(20*time.Second))))
	}
	s.event("identity", "Deployment", "session-api", "Normal", "ScalingReplicaSet", "Scaled down replica set session-api-"+suffix(s.name+"session-api51", 10)+" to 0 from 1", 1, s.ago(2*time.Minute), s.ago(2*time.Minute), "deployment-controller", "")
	s.event("identity", "Pod", pods[0], "Warning", "BackOff", "Back-off pulling image \"europe-west4-docker.pkg.dev/retail-prod/identity/session-api:2.40.0\"", 1, s.ago(23*time.Minute), s.ago(23*time.Minute), "kubelet", nodes[0])
	s.log("identity/"+pods[7]+"/api", every(s.ago(3*time.Minute), 20*time.Second,
		gcl("INFO", "session-api 2.40.0 serving", "addr", ":9000"),
		gcl("WARNING", "policy-verdict: denied egress to 169.254.169.252:988 (expected, metadata concealment)", "logger", "netdiag"),
		gcl("INFO", "served 1200 requests", "p99_ms", "18"))...)
	m := newMetrics(s.now, 15*time.Minute)
	m.gauge("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", `namespace="identity",deployment="session-api"`, flat(8))
	m.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", `namespace="identity",deployment="session-api"`, func(i int) float64 {
		if i < 52 {
			return 7
		}
		return 8
	})
	m.gauge("kube_deployment_status_replicas_updated", "The number of updated replicas per deployment.", `namespace="identity",deployment="session-api"`, func(i int) float64 { return min(8, 1+float64(i)/7) })
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "identity", "deployment": "session-api", "severity": "warning", "cluster": "retail-prod-ew4", "job": "kube-state-metrics"},
		map[string]string{"summary": "Deployment has not matched the expected number of replicas."}, 16*time.Minute,
		`kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}`, 7)
	s.expect("Unknown", "identity", "Deployment", "session-api", "rollout")
	return s
}
