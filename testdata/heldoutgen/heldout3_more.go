package main

import "fmt"

// rolloutNPE: a new revision throws on a path the old one handled; only the
// new pods fail, the old ReplicaSet is scaled down mid-rollout.
func rolloutNPE() *fixture {
	f := newFixture("h3-rollout-nil-dereference-new-replicaset", "2026-06-10T14:20:00Z")
	f.story = `Revision 14 of the Kotlin service loyalty-points (namespace rewards), rolled out 12 minutes
ago, throws NullPointerException for accounts without a tier; 5xx went from 0.1% to 18% as
the new ReplicaSet took over. The pods of the old ReplicaSet that are left serve fine. No
restarts: the errors are per request.`
	f.source = "Kubernetes Failure Stories, https://k8s.af (bad rollouts caught late); Monzo, 'Anatomy of a production Kubernetes outage' discussion of rollouts, https://community.monzo.com/t/resolved-current-account-payments-may-fail-major-outage-27-10-2017/26296/95"
	n := "gke-rewards-default-pool-6a7b8c9d-zz12"
	f.node(n, "True")
	owner := f.workload(app{kind: "Deployment", ns: "rewards", name: "loyalty-points", replicas: 3, ready: 3, labels: map[string]string{"app": "loyalty-points"},
		revisions: []revision{{hash: "5b4c3d2e1f", image: "rewards/loyalty-points:13.0.2", replicas: 1, ready: 1, created: "500h"},
			{hash: "9f8e7d6c5b", image: "rewards/loyalty-points:14.0.0", replicas: 2, ready: 2, created: "12m"}}})
	oldRS := controller{"apps/v1", "ReplicaSet", "loyalty-points-5b4c3d2e1f", f.id("rs", "rewards", "loyalty-points-5b4c3d2e1f")}
	old := "loyalty-points-5b4c3d2e1f-" + suffix("lp-old", 0)
	f.pod(podDef{ns: "rewards", name: old, node: n, ip: "10.110.0.10", owner: oldRS, created: "500h",
		labels: map[string]string{"app": "loyalty-points", "pod-template-hash": "5b4c3d2e1f"},
		boxes:  []box{{name: "loyalty-points", image: "rewards/loyalty-points:13.0.2", resources: limits("1", "1Gi"), ready: true, state: running(f, "500h")}}})
	f.requests("rewards", "loyalty-points", old, level(40), level(0.04), nil)
	f.repeat("rewards/"+old+"/loyalty-points", "30m", "1m", "3m", `14:00:00.000 [http-nio-8080-exec-2] INFO  c.r.l.PointsController - balance served account=*** tier=GOLD`)
	for i := 0; i < 2; i++ {
		p := "loyalty-points-9f8e7d6c5b-" + suffix("lp-new", i)
		f.pod(podDef{ns: "rewards", name: p, node: n, ip: fmt.Sprintf("10.110.0.%d", 30+i), owner: owner, created: "12m",
			labels: map[string]string{"app": "loyalty-points", "pod-template-hash": "9f8e7d6c5b"},
			boxes:  []box{{name: "loyalty-points", image: "rewards/loyalty-points:14.0.0", resources: limits("1", "1Gi"), ready: true, state: running(f, "12m")}}})
		f.requests("rewards", "loyalty-points", p, after(-12, math0(), 33), after(-12, math0(), 9), nil)
		f.repeat("rewards/"+p+"/loyalty-points", "11m", "30s", "20s",
			`14:09:00.000 [http-nio-8080-exec-5] ERROR o.a.c.c.C.[.[.[/].[dispatcherServlet] - Servlet.service() threw exception java.lang.NullPointerException: Cannot invoke "com.rewards.loyalty.Tier.getMultiplier()" because "account.tier" is null`)
	}
	f.event(happening{kind: "Deployment", ns: "rewards", name: "loyalty-points", reason: "ScalingReplicaSet", typ: "Normal", by: "deployment-controller", note: "Scaled up replica set loyalty-points-9f8e7d6c5b to 2", first: "12m"})
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "rewards", "service": "loyalty-points", "severity": "critical"},
		"loyalty-points 5xx ratio above 2%.",
		`sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m])) > 0.02`, "8m", 0.18)
	f.answer("BadDeploy", "rewards", "Deployment", "loyalty-points", "NullPointerException", "loyalty-points-9f8e7d6c5b")
	return f
}

func math0() float64 { return 0 }

// goPanicNilMapConcurrentPull: a long-running Go worker panics on a nil map
// after an input change; a second, unrelated pod in the namespace cannot pull
// its image (concurrent problem).
func goPanicNilMapConcurrentPull() *fixture {
	f := newFixture("h3-go-panic-with-unrelated-pull-error", "2026-10-05T06:50:00Z")
	f.story = `The Go worker ledger-sync (namespace fin-ops, unchanged for 20 days) panics with
"assignment to entry in nil map" on a new upstream field and crash-loops (exit 2). In the same
namespace, an unrelated cron helper audit-export cannot pull a mistyped image tag; it has
nothing to do with ledger-sync.`
	f.source = "Kubernetes Failure Stories, https://k8s.af (crash loops from bad input); The Go specification on nil maps (assignment panics), https://go.dev/ref/spec#Map_types"
	n := "gke-finops-default-pool-3c4d5e6f-kk07"
	f.node(n, "True")
	pods := f.fleet(fleet{ns: "fin-ops", name: "ledger-sync", hash: "c5d4e3f2a1", image: "fin/ledger-sync:v0.19.4", node: n, net: "10.120.0", n: 1, ready: 0,
		res: limits("500m", "256Mi"), created: "480h",
		tweak: func(i int, b *box) {
			b.ready, b.restarts = false, 11
			b.state = waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container")
			b.last = terminated(f, "Error", 2, "4m", "3m58s", "")
		}})
	f.say("fin-ops/"+pods[0]+"/ledger-sync.previous",
		`4m time=2026-10-05T06:46:00.010Z level=INFO msg="sync started" source=upstream-bank`,
		`3m59s panic: assignment to entry in nil map`,
		`3m59s `,
		`3m59s goroutine 41 [running]:`,
		`3m59s main.(*Reconciler).apply(0xc0001a2000, {0xc00012e000, 0x3, 0x4})`,
		`3m59s 	/src/reconcile.go:118 +0x2a5`)
	f.container("fin-ops", pods[0], "ledger-sync", level(40), 256, level(0.02), 0.5, nil, ramp(-45, 0, 0, 11))
	aud := f.fleet(fleet{ns: "fin-ops", name: "audit-export", hash: "a1b2c3d4e5", image: "fin/audit-exprot:2.0", node: n, net: "10.120.1", n: 1, ready: 0, created: "30m",
		tweak: func(i int, b *box) {
			b.ready = false
			b.state = waiting("ImagePullBackOff", `Back-off pulling image "fin/audit-exprot:2.0"`)
		}})
	f.event(happening{kind: "Pod", ns: "fin-ops", name: aud[0], reason: "Failed", note: `Failed to pull image "fin/audit-exprot:2.0": rpc error: code = Unknown desc = pull access denied, repository does not exist or may require authorization`, count: 7, first: "30m", last: "2m"})
	f.event(happening{kind: "Pod", ns: "fin-ops", name: pods[0], reason: "BackOff", note: "Back-off restarting failed container ledger-sync in pod " + pods[0], count: 50, first: "44m", last: "1m"})
	f.alertOn(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "fin-ops", "pod": pods[0], "container": "ledger-sync", "severity": "warning"},
		"Pod fin-ops/"+pods[0]+" (ledger-sync) is in waiting state (reason: CrashLoopBackOff).",
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1`, "30m", 1)
	f.answer("CrashLoop", "fin-ops", "Deployment", "ledger-sync", "nil map")
	return f
}

// progressingRolloutNotReady: nothing wrong — a large JVM app's new pod is 3
// minutes old and not ready yet; the rollout is progressing.
func progressingRolloutNotReady() *fixture {
	f := newFixture("h3-healthy-rollout-pod-warming-up", "2026-01-20T08:12:00Z")
	f.story = `KubePodNotReady fires for the newest pod of catalog-search (namespace discovery) during a
planned rollout: the pod is 3 minutes old, has not restarted, and its readiness probe fails
while the JVM warms its caches (as every rollout of this app does). The rollout is within its
progress deadline and the old pods serve. Nothing is wrong; no cause should be claimed.`
	f.source = "Kubernetes Failure Stories, https://k8s.af (alert noise during rollouts); kubernetes-monitoring/kubernetes-mixin KubePodNotReady runbook, https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodnotready/"
	n := "gke-discovery-default-pool-5e6f7a8b-aa01"
	f.node(n, "True")
	owner := f.workload(app{kind: "Deployment", ns: "discovery", name: "catalog-search", replicas: 3, ready: 3, labels: map[string]string{"app": "catalog-search"},
		conditions: []any{m{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "message": "ReplicaSet \"catalog-search-7a6b5c4d3e\" is progressing."},
			m{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}},
		revisions: []revision{{hash: "3e4d5c6b7a", image: "discovery/catalog-search:8.1.0", replicas: 3, ready: 3, created: "400h"},
			{hash: "7a6b5c4d3e", image: "discovery/catalog-search:8.2.0", replicas: 1, ready: 0, created: "3m"}}})
	oldRS := controller{"apps/v1", "ReplicaSet", "catalog-search-3e4d5c6b7a", f.id("rs", "discovery", "catalog-search-3e4d5c6b7a")}
	probe := m{"readinessProbe": m{"httpGet": m{"path": "/ready", "port": 8080}, "periodSeconds": 10, "failureThreshold": 3}}
	for i := 0; i < 3; i++ {
		p := "catalog-search-3e4d5c6b7a-" + suffix("cs-old", i)
		f.pod(podDef{ns: "discovery", name: p, node: n, ip: fmt.Sprintf("10.130.0.%d", 10+i), owner: oldRS, created: "400h",
			labels: map[string]string{"app": "catalog-search", "pod-template-hash": "3e4d5c6b7a"},
			boxes:  []box{{name: "catalog-search", image: "discovery/catalog-search:8.1.0", resources: limits("2", "4Gi"), probes: probe, ready: true, state: running(f, "400h")}}})
		f.container("discovery", p, "catalog-search", level(2900), 4096, level(0.7), 2, nil, nil)
	}
	np := "catalog-search-7a6b5c4d3e-" + suffix("cs-new", 0)
	f.pod(podDef{ns: "discovery", name: np, node: n, ip: "10.130.0.40", owner: owner, created: "3m",
		labels: map[string]string{"app": "catalog-search", "pod-template-hash": "7a6b5c4d3e"},
		boxes:  []box{{name: "catalog-search", image: "discovery/catalog-search:8.2.0", resources: limits("2", "4Gi"), probes: probe, ready: false, state: running(f, "3m")}}})
	f.say("discovery/"+np+"/catalog-search",
		`3m 08:09:00.300 [main] INFO  o.s.b.StartupInfoLogger - Starting CatalogSearchApplication v8.2.0`,
		`2m 08:10:00.100 [main] INFO  c.d.s.cache.Warmup - warming facet cache: 412000/1800000 entries`,
		`1m 08:11:00.100 [main] INFO  c.d.s.cache.Warmup - warming facet cache: 1210000/1800000 entries`)
	f.event(happening{kind: "Pod", ns: "discovery", name: np, reason: "Unhealthy", note: "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 14, first: "2m40s", last: "10s"})
	f.alertOn(map[string]string{"alertname": "KubePodNotReady", "namespace": "discovery", "pod": np, "severity": "warning"},
		"Pod discovery/"+np+" has been in a non-ready state for longer than 2 minutes.",
		`sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown"}) > 0 or kube_pod_status_ready{condition="false"} == 1`, "1m", 1)
	f.answer("Unknown", "discovery", "Deployment", "catalog-search")
	return f
}

// pullOnceRecovered: nothing wrong any more — a pod waited on a slow pull
// once and has been running for 20 minutes; the alert is stale.
func pullOnceRecovered() *fixture {
	f := newFixture("h3-healthy-slow-pull-recovered", "2026-12-01T16:40:00Z")
	f.story = `KubeContainerWaiting fired for geo-tiles (namespace maps) while a 3 GB image pulled slowly on a
fresh node; the pull finished 20 minutes ago, the container runs, is ready and never
restarted. Nothing is wrong now; no cause should be claimed.`
	f.source = "Kubernetes Failure Stories, https://k8s.af (slow image pulls on new nodes); kube-prometheus KubeContainerWaiting runbook, https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubecontainerwaiting/"
	n := "gke-maps-default-pool-7b8c9d0e-new1"
	f.node(n, "True")
	pods := f.fleet(fleet{ns: "maps", name: "geo-tiles", hash: "d4c3b2a190", image: "maps/geo-tiles:2026.11", node: n, net: "10.140.0", n: 1, ready: 1, created: "35m", res: limits("2", "3Gi"),
		tweak: func(i int, b *box) { b.state = running(f, "20m") }})
	f.repeat("maps/"+pods[0]+"/geo-tiles", "19m", "1m", "2m", `I1201 16:21:00.000000       1 server.cc:212] served tiles z=12 count=4412 p50_ms=8`)
	f.container("maps", pods[0], "geo-tiles", level(1800), 3072, level(0.6), 2, nil, nil)
	f.event(happening{kind: "Pod", ns: "maps", name: pods[0], reason: "Pulling", typ: "Normal", note: `Pulling image "maps/geo-tiles:2026.11"`, first: "35m"})
	f.event(happening{kind: "Pod", ns: "maps", name: pods[0], reason: "Pulled", typ: "Normal", note: `Successfully pulled image "maps/geo-tiles:2026.11" in 14m48.2s (14m48.2s including waiting). Image size: 3120442871 bytes.`, first: "20m"})
	f.alertOn(map[string]string{"alertname": "KubeContainerWaiting", "namespace": "maps", "pod": pods[0], "container": "geo-tiles", "severity": "warning"},
		"pod/"+pods[0]+" in namespace maps on container geo-tiles has been in waiting state for longer than 10 minutes.",
		`sum by (namespace, pod, container) (kube_pod_container_status_waiting_reason) > 0`, "25m", 1)
	f.answer("Unknown", "maps", "Deployment", "geo-tiles")
	return f
}

// cronBackupAuthFailed: a CronJob's run fails because the database password
// rotated; the alert names the CronJob, the responsible object is the Job.
func cronBackupAuthFailed() *fixture {
	f := newFixture("h3-cronjob-run-fails-password-rotated", "2026-04-30T02:20:00Z")
	f.story = `The nightly CronJob mysql-dump (namespace crm) created the Job mysql-dump-29620800 at 02:00;
its pod fails three times with "Access denied for user 'backup'@'10.150.%'" because the
password was rotated in the database but not in the Secret, and the Job hits its backoff
limit. The alert names the CronJob; the CronJob's spec is fine, the failed run is the Job.`
	f.source = "Kubernetes Failure Stories, https://k8s.af (backup jobs failing silently); Kubernetes documentation on Job backoffLimit, https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-backoff-failure-policy"
	n := "gke-crm-default-pool-8c9d0e1f-jb01"
	f.node(n, "True")
	cjUID := f.id("cronjob", "crm", "mysql-dump")
	f.put(m{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": m{"name": "mysql-dump", "namespace": "crm", "uid": cjUID},
		"spec": m{"schedule": "0 2 * * *", "concurrencyPolicy": "Forbid", "jobTemplate": m{"spec": m{"backoffLimit": 2, "template": m{"spec": m{"restartPolicy": "Never",
			"containers": []any{m{"name": "dump", "image": "mysql:8.0.36"}}}}}}},
		"status": m{"lastScheduleTime": stamp(f.ago("20m"))}})
	job := "mysql-dump-29620800"
	jobUID := f.id("job", "crm", job)
	f.put(m{"apiVersion": "batch/v1", "kind": "Job", "metadata": m{"name": job, "namespace": "crm", "uid": jobUID, "labels": m{"job-name": job},
		"ownerReferences": []any{m{"apiVersion": "batch/v1", "kind": "CronJob", "name": "mysql-dump", "uid": cjUID, "controller": true}}},
		"spec":   m{"backoffLimit": 2, "template": m{"spec": m{"restartPolicy": "Never", "containers": []any{m{"name": "dump", "image": "mysql:8.0.36"}}}}},
		"status": m{"failed": 3, "startTime": stamp(f.ago("20m")), "conditions": []any{m{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastTransitionTime": stamp(f.ago("4m"))}}}})
	jc := controller{"batch/v1", "Job", job, jobUID}
	for i, start := range []string{"20m", "14m", "6m"} {
		p := job + "-" + suffix("dump", i)
		f.pod(podDef{ns: "crm", name: p, node: n, ip: fmt.Sprintf("10.150.0.%d", 50+i), owner: jc, labels: map[string]string{"job-name": job}, phase: "Failed", restartPolicy: "Never", created: start,
			boxes: []box{{name: "dump", image: "mysql:8.0.36", state: terminated(f, "Error", 2, start, start[:len(start)-1]+"m", "")}}})
		f.say("crm/"+p+"/dump",
			start+` mysqldump: [Warning] Using a password on the command line interface can be insecure.`,
			start+` mysqldump: Got error: 1045: Access denied for user 'backup'@'10.150.0.5`+fmt.Sprint(i)+`' (using password: YES) when trying to connect`)
	}
	f.event(happening{kind: "Job", ns: "crm", name: job, reason: "BackoffLimitExceeded", by: "job-controller", note: "Job has reached the specified backoff limit", first: "4m"})
	f.alertOn(map[string]string{"alertname": "CronJobRunFailed", "namespace": "crm", "cronjob": "mysql-dump", "severity": "warning"},
		"The last run of CronJob crm/mysql-dump failed.", `kube_job_status_failed{job_name=~"mysql-dump-.*"} > 0`, "3m", 1)
	f.answer("JobFailure", "crm", "Job", job, "Access denied", "BackoffLimitExceeded")
	return f
}
