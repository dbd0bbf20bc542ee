package main

import "fmt"

// Incidents where the alerted workload itself (or its Job) is responsible,
// and one where nothing is wrong.

const restartsQuery = `increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[10m]) > 3`

// armImageOnAmdNodes: a chart upgrade rolls out an image pushed from an
// arm64 laptop; the new ReplicaSet's pods exit with "exec format error"
// while the previous ReplicaSet keeps serving.
func armImageOnAmdNodes() *fixture {
	f := newFixture("h2-arm64-image-exec-format-error", "2026-09-28T10:40:00Z")
	f.story = `After an upgrade of the AWS Load Balancer Controller (kube-system) from chart 1.4.2 to
1.4.5, the new pod crash-loops with "exec /controller: exec format error": the image was
re-tagged and pushed to the private ECR from an M1 (arm64) laptop and the nodes are
amd64. The previous ReplicaSet still runs. The rollout is the cause.`
	f.source = "kubernetes-sigs/aws-load-balancer-controller issue #2820 'error with chart version 1.4.5' (exec format error, image pushed from an M1 Mac), https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2820"
	n := "ip-10-0-12-201.eu-central-1.compute.internal"
	f.node(n, "True")
	ctr := m{"name": "aws-load-balancer-controller", "args": []any{"--cluster-name=prod-euc1", "--ingress-class=alb"}}
	d := f.workload(app{kind: "Deployment", ns: "kube-system", name: "aws-load-balancer-controller", replicas: 2, ready: 1, container: ctr,
		labels: map[string]string{"app.kubernetes.io/name": "aws-load-balancer-controller"},
		revisions: []revision{
			{hash: "6d9b7f8c4", image: "111122223333.dkr.ecr.eu-central-1.amazonaws.com/aws-load-balancer-controller:v2.4.2", replicas: 1, ready: 1, created: "2000h"},
			{hash: "85c6fbd97", image: "111122223333.dkr.ecr.eu-central-1.amazonaws.com/aws-load-balancer-controller:v2.4.4", replicas: 1, ready: 0, created: "26m"}},
		conditions: []any{m{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "message": "ReplicaSet \"aws-load-balancer-controller-85c6fbd97\" is progressing."}}})
	oldRS := controller{"apps/v1", "ReplicaSet", "aws-load-balancer-controller-6d9b7f8c4", f.id("rs", "kube-system", "aws-load-balancer-controller-6d9b7f8c4")}
	f.pod(podDef{ns: "kube-system", name: "aws-load-balancer-controller-6d9b7f8c4-wq2lz", node: n, ip: "10.0.12.77", owner: oldRS, created: "2000h",
		labels: map[string]string{"app.kubernetes.io/name": "aws-load-balancer-controller", "pod-template-hash": "6d9b7f8c4"},
		boxes: []box{{name: "aws-load-balancer-controller", image: "111122223333.dkr.ecr.eu-central-1.amazonaws.com/aws-load-balancer-controller:v2.4.2",
			resources: limits("200m", "500Mi"), ready: true, state: running(f, "2000h")}}})
	f.repeat("kube-system/aws-load-balancer-controller-6d9b7f8c4-wq2lz/aws-load-balancer-controller", "40m", "1m", "3m",
		`{"level":"info","ts":"2026-09-28T10:00:00Z","logger":"controllers.ingress","msg":"successfully deployed model","ingressGroup":"shop/storefront"}`)
	p := "aws-load-balancer-controller-85c6fbd97-tm5xj"
	f.pod(podDef{ns: "kube-system", name: p, node: n, ip: "10.0.12.90", owner: d, created: "26m",
		labels: map[string]string{"app.kubernetes.io/name": "aws-load-balancer-controller", "pod-template-hash": "85c6fbd97"},
		boxes: []box{{name: "aws-load-balancer-controller", image: "111122223333.dkr.ecr.eu-central-1.amazonaws.com/aws-load-balancer-controller:v2.4.4",
			resources: limits("200m", "500Mi"), restarts: 9, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=aws-load-balancer-controller pod="+p),
			last: terminated(f, "Error", 1, "3m2s", "3m2s", "")}}})
	f.say("kube-system/"+p+"/aws-load-balancer-controller.previous", `3m2s exec /controller: exec format error`)
	f.event(happening{kind: "Pod", ns: "kube-system", name: p, reason: "BackOff", note: "Back-off restarting failed container aws-load-balancer-controller in pod " + p + "_kube-system", count: 112, first: "25m", last: "40s"})
	f.event(happening{kind: "Deployment", ns: "kube-system", name: "aws-load-balancer-controller", reason: "ScalingReplicaSet", typ: "Normal", by: "deployment-controller",
		note: "Scaled up replica set aws-load-balancer-controller-85c6fbd97 to 1", first: "26m", legacy: true})
	f.container("kube-system", p, "aws-load-balancer-controller", level(0), 500, nil, 0, nil, ramp(-25, -3, 0, 9))
	f.alertOn(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "kube-system", "pod": p, "container": "aws-load-balancer-controller", "severity": "warning"},
		"Pod kube-system/"+p+" (aws-load-balancer-controller) is in waiting state (reason: \"CrashLoopBackOff\").", restartsQuery, "20m", 9)
	f.answer("BadDeploy", "kube-system", "Deployment", "aws-load-balancer-controller", "exec format error", "v2.4.4")
	return f
}

// helmMigrateHookFailed: a Helm post-upgrade migration Job fails on every
// attempt; the release is rolled back.
func helmMigrateHookFailed() *fixture {
	f := newFixture("h2-helm-migrate-hook-backofflimit", "2026-09-20T16:32:00Z")
	f.story = `helm upgrade of PostHog (namespace posthog) fails with "post-upgrade hooks failed: job
failed: BackoffLimitExceeded" and is rolled back. The hook Job posthog-migrate ran its
Django/ClickHouse migrations four times; each attempt dies on a ClickHouse migration
("Code: 57. DB::Exception: Table posthog.sharded_events already exists"). The web pods
keep running the old release. The responsible object is the Job.`
	f.source = "PostHog/posthog issue #6025 'DO / helm: Can't Upgrade' (post-upgrade hooks failed: job failed: BackoffLimitExceeded), https://github.com/PostHog/posthog/issues/6025; helm/helm issue #10720, https://github.com/helm/helm/issues/10720"
	n := "pool-posthog-c2x9a"
	f.node(n, "True")
	jobUID := f.id("job", "posthog", "posthog-migrate")
	f.put(m{"apiVersion": "batch/v1", "kind": "Job",
		"metadata": m{"name": "posthog-migrate", "namespace": "posthog", "uid": jobUID, "creationTimestamp": stamp(f.ago("14m")),
			"labels":      m{"app": "posthog", "job-name": "posthog-migrate"},
			"annotations": m{"helm.sh/hook": "post-install,post-upgrade", "helm.sh/hook-delete-policy": "before-hook-creation"}},
		"spec": m{"backoffLimit": 3, "completions": 1, "parallelism": 1,
			"template": m{"spec": m{"restartPolicy": "Never", "containers": []any{m{"name": "migrate-job", "image": "posthog/posthog:release-1.29.0"}}}}},
		"status": m{"failed": 4, "startTime": stamp(f.ago("14m")),
			"conditions": []any{m{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit",
				"lastTransitionTime": stamp(f.ago("2m"))}}}})
	owner := controller{"batch/v1", "Job", "posthog-migrate", jobUID}
	for i, id := range []string{"2kd8x", "7hq4n", "bz5wm", "r9t2c"} {
		p := "posthog-migrate-" + id
		start := fmt.Sprintf("%dm", 14-3*i)
		end := fmt.Sprintf("%dm", 13-3*i)
		f.pod(podDef{ns: "posthog", name: p, node: n, ip: fmt.Sprintf("10.108.3.%d", 40+i), owner: owner, phase: "Failed", restartPolicy: "Never", created: start,
			labels: map[string]string{"job-name": "posthog-migrate", "controller-uid": jobUID},
			boxes:  []box{{name: "migrate-job", image: "posthog/posthog:release-1.29.0", state: terminated(f, "Error", 1, start, end, "")}}})
		path := "posthog/" + p + "/migrate-job"
		f.say(path,
			start+` Operations to perform:`,
			start+`   Apply all migrations: admin, auth, axes, contenttypes, ee, posthog, rest_hooks, sessions, social_django`,
			start+` Running migrations:`,
			start+`   No migrations to apply.`,
			start+` Running ClickHouse migrations: 0007_sharded_events`,
			end+` Traceback (most recent call last):`,
			end+`   File "/home/posthog/code/ee/management/commands/migrate_clickhouse.py", line 52, in migrate`,
			end+`     migrate(database=database, upto=upto)`,
			end+` infi.clickhouse_orm.database.ServerError: Code: 57. DB::Exception: Table posthog.sharded_events already exists. (TABLE_ALREADY_EXISTS) (version 21.6.5.37 (official build))`)
		f.event(happening{kind: "Job", ns: "posthog", name: "posthog-migrate", reason: "SuccessfulCreate", typ: "Normal", by: "job-controller", note: "Created pod: " + p, first: start, legacy: true})
	}
	f.event(happening{kind: "Job", ns: "posthog", name: "posthog-migrate", reason: "BackoffLimitExceeded", by: "job-controller", note: "Job has reached the specified backoff limit", first: "2m", legacy: true})
	web := f.workload(app{kind: "Deployment", ns: "posthog", name: "posthog-web", replicas: 2, ready: 2,
		labels:    map[string]string{"app": "posthog", "role": "web"},
		revisions: []revision{{hash: "5f9c8d7b6", image: "posthog/posthog:release-1.28.1", replicas: 2, ready: 2, created: "300h"}}})
	for i := 0; i < 2; i++ {
		p := fmt.Sprintf("posthog-web-5f9c8d7b6-%cn%cd", 'k'+i, 'x'-i)
		f.pod(podDef{ns: "posthog", name: p, node: n, ip: fmt.Sprintf("10.108.3.%d", 10+i), owner: web,
			labels: map[string]string{"app": "posthog", "role": "web", "pod-template-hash": "5f9c8d7b6"},
			boxes:  []box{{name: "posthog-web", image: "posthog/posthog:release-1.28.1", resources: limits("1", "2Gi"), ready: true, state: running(f, "300h")}}})
		f.repeat("posthog/"+p+"/posthog-web", "30m", "1m", "2m", `[2026-09-20 16:02:00 +0000] [24] [INFO] "GET /_health HTTP/1.1" 200`)
	}
	f.alertOn(map[string]string{"alertname": "KubeJobFailed", "namespace": "posthog", "job_name": "posthog-migrate", "severity": "warning"},
		"Job posthog/posthog-migrate failed to complete.", `kube_job_failed{job="kube-state-metrics"} > 0`, "2m", 1)
	f.answer("JobFailure", "posthog", "Job", "posthog-migrate", "BackoffLimitExceeded", "already exists")
	return f
}

// dockerHubRateLimit: a scale-out needs new image pulls from Docker Hub on
// fresh nodes; anonymous pulls are rate limited.
func dockerHubRateLimit() *fixture {
	f := newFixture("h2-docker-hub-pull-rate-limit", "2026-11-02T11:18:00Z")
	f.story = `The Kafka UI Deployment kafdrop (namespace streaming) was scaled from 1 to 3 replicas; the
two new pods land on fresh nodes and stay in ImagePullBackOff: Docker Hub answers "429 Too
Many Requests - toomanyrequests: You have reached your pull rate limit" for the
anonymous pulls of obsidiandynamics/kafdrop:latest. The running pod is fine.`
	f.source = "red-hat-storage/ocs-ci issue #4494 'Failed to pull image obsidiandynamics/kafdrop:latest' (toomanyrequests), https://github.com/red-hat-storage/ocs-ci/issues/4494; kata-containers issue #10109, https://github.com/kata-containers/kata-containers/issues/10109"
	old, fresh := "compute-0", "compute-3"
	f.node(old, "True")
	f.node(fresh, "True")
	d := f.workload(app{kind: "Deployment", ns: "streaming", name: "kafdrop", replicas: 3, ready: 1,
		labels:    map[string]string{"app": "kafdrop"},
		revisions: []revision{{hash: "7f6d5c9b8", image: "obsidiandynamics/kafdrop:latest", replicas: 3, ready: 1, created: "900h"}}})
	f.pod(podDef{ns: "streaming", name: "kafdrop-7f6d5c9b8-h2vkq", node: old, ip: "10.131.0.86", owner: d, created: "900h",
		labels: map[string]string{"app": "kafdrop", "pod-template-hash": "7f6d5c9b8"},
		boxes:  []box{{name: "kafdrop", image: "obsidiandynamics/kafdrop:latest", resources: limits("500m", "512Mi"), ready: true, state: running(f, "900h")}}})
	f.repeat("streaming/kafdrop-7f6d5c9b8-h2vkq/kafdrop", "40m", "1m", "4m",
		`2026-11-02 10:40:00.101  INFO 1 --- [nio-9000-exec-3] k.c.ClusterController                    : Cluster info requested`)
	for i, p := range []string{"kafdrop-7f6d5c9b8-j4969", "kafdrop-7f6d5c9b8-x8wqp"} {
		f.pod(podDef{ns: "streaming", name: p, node: fresh, ip: fmt.Sprintf("10.131.3.%d", 12+i), owner: d, created: "9m",
			labels: map[string]string{"app": "kafdrop", "pod-template-hash": "7f6d5c9b8"},
			boxes: []box{{name: "kafdrop", image: "obsidiandynamics/kafdrop:latest", resources: limits("500m", "512Mi"),
				state: waiting("ImagePullBackOff", "Back-off pulling image \"obsidiandynamics/kafdrop:latest\"")}}})
		f.event(happening{kind: "Pod", ns: "streaming", name: p, reason: "Failed", legacy: true, count: 4, first: "8m", last: "1m",
			note: "Failed to pull image \"obsidiandynamics/kafdrop:latest\": rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/obsidiandynamics/kafdrop:latest\": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/obsidiandynamics/kafdrop/manifests/sha256:3f1a: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"})
		f.event(happening{kind: "Pod", ns: "streaming", name: p, reason: "BackOff", typ: "Normal", legacy: true, count: 21, first: "8m", last: "20s",
			note: "Back-off pulling image \"obsidiandynamics/kafdrop:latest\""})
	}
	f.event(happening{kind: "Deployment", ns: "streaming", name: "kafdrop", reason: "ScalingReplicaSet", typ: "Normal", by: "deployment-controller", legacy: true,
		note: "Scaled up replica set kafdrop-7f6d5c9b8 to 3 from 1", first: "9m"})
	f.alertOn(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "streaming", "deployment": "kafdrop", "severity": "warning"},
		"Deployment streaming/kafdrop has not matched the expected number of replicas.",
		`kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}`, "5m", 2)
	f.answer("ImagePull", "streaming", "Deployment", "kafdrop", "toomanyrequests", "kafdrop:latest")
	return f
}

// cpuLimitThrottling: a Go service with a tight CPU limit is throttled on
// most periods while average usage looks low; latency rises.
func cpuLimitThrottling() *fixture {
	f := newFixture("h2-cpu-limit-throttling-latency", "2026-01-15T12:30:00Z")
	f.story = `The analytics ingestion API (Go, namespace buffer-analytics) breaches its latency SLO: p50
goes from ~40ms to ~600ms at unchanged traffic. Its container has a 500m CPU limit; CFS
throttles it in ~80% of periods although average usage reads ~0.45 core, because request
bursts exhaust the quota early in each 100ms period. Nothing else changed.`
	f.source = "Buffer, 'Kubernetes: Make your services faster by removing CPU limits', https://erickhun.com/posts/kubernetes-faster-services-no-cpu-limits/"
	n := "ip-172-31-8-14.ec2.internal"
	f.node(n, "True")
	d := f.workload(app{kind: "Deployment", ns: "buffer-analytics", name: "ingest-api", replicas: 2, ready: 2,
		labels:    map[string]string{"app": "ingest-api"},
		revisions: []revision{{hash: "8c7b6d5f4", image: "buffer/ingest-api:v7.3.0", replicas: 2, ready: 2, created: "500h"}}})
	for i := 0; i < 2; i++ {
		p := fmt.Sprintf("ingest-api-8c7b6d5f4-%cp%cs", 'g'+i, 'h'+i)
		f.pod(podDef{ns: "buffer-analytics", name: p, node: n, ip: fmt.Sprintf("100.96.4.%d", 20+i), owner: d,
			labels: map[string]string{"app": "ingest-api", "pod-template-hash": "8c7b6d5f4"},
			boxes:  []box{{name: "api", image: "buffer/ingest-api:v7.3.0", resources: limits("500m", "256Mi"), ready: true, state: running(f, "500h")}}})
		path := "buffer-analytics/" + p + "/api"
		f.repeat(path, "40m", "21m", "40s", `time=2026-01-15T12:00:00Z level=INFO msg="request done" path=/v1/events status=202 dur=38ms`)
		f.repeat(path, "20m", "10s", "13s", `time=2026-01-15T12:15:00Z level=WARN msg="slow request" path=/v1/events status=202 dur=640ms`)
		f.container("buffer-analytics", p, "api", level(120), 256, after(-20, 0.3, 0.46), 0.5, after(-20, 0.1, 0.81), nil)
		f.requests("buffer-analytics", "ingest-api", p, level(60), level(0), after(-20, 0.04, 0.6))
	}
	f.alertOn(map[string]string{"alertname": "LatencySLOBreach", "namespace": "buffer-analytics", "service": "ingest-api", "severity": "warning"},
		"ingest-api p95 latency above 500ms", `histogram_quantile(0.95, sum by (le, namespace, service) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5`, "15m", 1.9)
	f.answer("CPUThrottling", "buffer-analytics", "Deployment", "ingest-api", "throttl", "ingest-api")
	return f
}

// priorityPreemption: a new high-priority workload preempts the
// ingesters, which then cannot be scheduled again.
func priorityPreemption() *fixture {
	f := newFixture("h2-priority-preemption-ingesters-pending", "2026-07-19T15:20:00Z")
	f.story = `Cortex ingesters (StatefulSet ingester, namespace cortex) drop out: a rollout of another
team's Deployment with a higher PriorityClass preempted two ingesters, and the ingesters
(4 cores, 15GB each) cannot be placed again: "0/12 nodes are available: 12 Insufficient
memory". Writes fail because too few ingesters are in the ring. The ingesters are
Unschedulable.`
	f.source = "Grafana Labs, 'How a production outage was caused using Kubernetes pod priorities' (July 2019), https://grafana.com/blog/2019/07/24/how-a-production-outage-was-caused-using-kubernetes-pod-priorities/"
	nodes := []string{"gke-cortex-prod-pool-a-1", "gke-cortex-prod-pool-a-2"}
	for _, n := range nodes {
		f.node(n, "True")
	}
	st := f.workload(app{kind: "StatefulSet", ns: "cortex", name: "ingester", replicas: 4, ready: 2,
		labels: map[string]string{"name": "ingester"}, image: "quay.io/cortexproject/cortex:v0.1.0"})
	for i := 0; i < 4; i++ {
		p := fmt.Sprintf("ingester-%d", i)
		b := box{name: "ingester", image: "quay.io/cortexproject/cortex:v0.1.0", resources: limits("4", "15Gi"), ready: true, state: running(f, "200h")}
		if i >= 2 {
			f.pod(podDef{ns: "cortex", name: p, owner: st, phase: "Pending", created: "12m", labels: map[string]string{"name": "ingester"},
				conditions: []any{m{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
					"message": "0/12 nodes are available: 12 Insufficient memory, 3 Insufficient cpu. preemption: 0/12 nodes are available: 12 No preemption victims found for incoming pod."}},
				boxes: []box{{name: "ingester", image: "quay.io/cortexproject/cortex:v0.1.0", resources: limits("4", "15Gi")}}})
			f.event(happening{kind: "Pod", ns: "cortex", name: p, reason: "Preempted", typ: "Normal", by: "default-scheduler",
				note: "Preempted by monitoring/bulk-exporter-7d8f9c6b5-kq2zt on node " + nodes[i-2], first: "13m"})
			f.event(happening{kind: "Pod", ns: "cortex", name: p, reason: "FailedScheduling", by: "default-scheduler", count: 14, first: "12m", last: "30s",
				note: "0/12 nodes are available: 12 Insufficient memory, 3 Insufficient cpu. preemption: 0/12 nodes are available: 12 No preemption victims found for incoming pod."})
			continue
		}
		f.pod(podDef{ns: "cortex", name: p, node: nodes[i], ip: fmt.Sprintf("10.52.%d.9", i), owner: st, labels: map[string]string{"name": "ingester"}, boxes: []box{b}})
		f.repeat("cortex/"+p+"/ingester", "30m", "1m", "2m", `level=info ts=2026-07-19T14:50:00Z caller=lifecycler.go:421 msg="heartbeat" ring=ingester state=ACTIVE`)
		f.container("cortex", p, "ingester", level(11200), 15360, level(2.1), 4, level(0), nil)
	}
	for i, p := range []string{"distributor-6f7c9d8b5-2lmxq", "distributor-6f7c9d8b5-9wzrt"} {
		f.repeat("cortex/"+p+"/distributor", "12m", "20s", "19s",
			`level=warn ts=2026-07-19T15:08:00Z caller=logging.go:62 traceID=5b2f msg="POST /api/prom/push (500) 1.2ms Response: \"at least 2 live replicas required, could only find 1\\n\""`)
		f.requests("cortex", "distributor", p, level(300), after(-12, 0, 120+float64(i)*10), nil)
	}
	dist := f.workload(app{kind: "Deployment", ns: "cortex", name: "distributor", replicas: 2, ready: 2, labels: map[string]string{"name": "distributor"},
		revisions: []revision{{hash: "6f7c9d8b5", image: "quay.io/cortexproject/cortex:v0.1.0", replicas: 2, ready: 2, created: "200h"}}})
	for i, p := range []string{"distributor-6f7c9d8b5-2lmxq", "distributor-6f7c9d8b5-9wzrt"} {
		f.pod(podDef{ns: "cortex", name: p, node: nodes[i], ip: fmt.Sprintf("10.52.%d.30", i), owner: dist,
			labels: map[string]string{"name": "distributor", "pod-template-hash": "6f7c9d8b5"},
			boxes:  []box{{name: "distributor", image: "quay.io/cortexproject/cortex:v0.1.0", resources: limits("2", "2Gi"), ready: true, state: running(f, "200h")}}})
	}
	f.alertOn(map[string]string{"alertname": "KubeStatefulSetReplicasMismatch", "namespace": "cortex", "statefulset": "ingester", "severity": "critical"},
		"StatefulSet cortex/ingester has not matched the expected number of replicas for longer than 5 minutes.",
		`kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_status_replicas{job="kube-state-metrics"}`, "7m", 2)
	f.answer("Unschedulable", "cortex", "StatefulSet", "ingester", "Insufficient memory", "ingester")
	return f
}

// slowStartLivenessKills: a slow-starting service is killed by its liveness
// probe before it finishes starting, every time.
func slowStartLivenessKills() *fixture {
	f := newFixture("h2-slow-start-liveness-restart-loop", "2026-10-06T09:15:00Z")
	f.story = `lakeFS (namespace data-lake) never becomes ready on a small cluster: it needs ~45s to run
its startup migrations, but the chart's liveness probe (period 10s, failureThreshold 3,
no startupProbe) kills it after ~30s, so it restarts forever (exit code 2 after SIGTERM
during migration). Memory and CPU are far below the limits.`
	f.source = "treeverse/charts issue #143 'Liveness and Readiness probe fail to quickly', https://github.com/treeverse/charts/issues/143"
	n := "k3d-datalake-agent-0"
	f.node(n, "True")
	d := f.workload(app{kind: "Deployment", ns: "data-lake", name: "lakefs", replicas: 1, ready: 0,
		labels:    map[string]string{"app": "lakefs"},
		revisions: []revision{{hash: "59c48d7f6", image: "treeverse/lakefs:0.80.2", replicas: 1, ready: 0, created: "40m"}}})
	p := "lakefs-59c48d7f6-vx8gt"
	probe := m{"httpGet": m{"path": "/_health", "port": 8000}, "periodSeconds": 10, "failureThreshold": 3, "timeoutSeconds": 1}
	f.pod(podDef{ns: "data-lake", name: p, node: n, ip: "10.42.0.31", owner: d, created: "40m",
		labels: map[string]string{"app": "lakefs", "pod-template-hash": "59c48d7f6"},
		boxes: []box{{name: "lakefs", image: "treeverse/lakefs:0.80.2", resources: limits("1", "1Gi"), restarts: 8,
			probes: m{"livenessProbe": probe, "readinessProbe": probe},
			state:  waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container=lakefs pod="+p),
			last:   terminated(f, "Error", 2, "2m40s", "2m8s", "")}}})
	f.say("data-lake/"+p+"/lakefs.previous",
		`2m40s time="2026-10-06T09:12:20Z" level=info msg="Config loaded" func=cmd/lakefs/cmd.initConfig file="cmd/root.go:103" fields.file=/etc/lakefs/config.yaml`,
		`2m39s time="2026-10-06T09:12:21Z" level=info msg="KV valid" func=pkg/kv.ValidateSchemaVersion`,
		`2m38s time="2026-10-06T09:12:22Z" level=info msg="Migrating repositories" func=pkg/kv/migrations.Migrate total=1834`,
		`2m9s time="2026-10-06T09:12:51Z" level=info msg="Received signal terminated, shutting down" func=cmd/lakefs/cmd.gracefulShutdown`,
		`2m8s time="2026-10-06T09:12:52Z" level=fatal msg="Migration interrupted" func=pkg/kv/migrations.Migrate error="context canceled" done=1310 total=1834`)
	f.event(happening{kind: "Pod", ns: "data-lake", name: p, reason: "Unhealthy", count: 47, first: "38m", last: "2m10s",
		note: "Liveness probe failed: Get \"http://10.42.0.31:8000/_health\": dial tcp 10.42.0.31:8000: connect: connection refused"})
	f.event(happening{kind: "Pod", ns: "data-lake", name: p, reason: "Killing", typ: "Normal", count: 8, first: "37m", last: "2m9s",
		note: "Container lakefs failed liveness probe, will be restarted"})
	f.container("data-lake", p, "lakefs", level(180), 1024, level(0.35), 1, level(0), ramp(-38, -2, 0, 8))
	f.alertOn(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "data-lake", "pod": p, "container": "lakefs", "severity": "warning"},
		"Pod data-lake/"+p+" (lakefs) is restarting 2.00 times / 10 minutes.", restartsQuery, "30m", 8)
	f.answer("ProbeFailure", "data-lake", "Deployment", "lakefs", "liveness", "lakefs")
	return f
}

// healthyHPAAtMax: an HPA sits at maxReplicas because the desired count
// equals it; it is not limited and the service is fine.
func healthyHPAScaleUp() *fixture {
	f := newFixture("h2-healthy-hpa-at-max-not-limited", "2026-09-15T08:10:00Z")
	f.story = `KubeHpaMaxedOut fires for report-renderer (namespace reporting): the HPA runs at its
maxReplicas of 6, but its ScalingLimited condition is False (DesiredWithinRange): the
computed desired count is exactly 6 and the pods sit at ~60% of their CPU request.
Latency and errors are normal. Nothing is wrong; the alert is a known false positive.`
	f.source = "kubernetes-sigs/kubernetes-mixin issue #1293 'KubeHpaMaxedOut fires false positives when HPA is at maxReplicas but not ScalingLimited', https://github.com/kubernetes-sigs/kubernetes-mixin/issues/1293; prometheus-community/helm-charts issue #7278, https://github.com/prometheus-community/helm-charts/issues/7278"
	n1, n2 := "aks-reports-17310-vmss000000", "aks-reports-17310-vmss000001"
	f.node(n1, "True")
	f.node(n2, "True")
	d := f.workload(app{kind: "Deployment", ns: "reporting", name: "report-renderer", replicas: 6, ready: 6,
		labels:    map[string]string{"app": "report-renderer"},
		revisions: []revision{{hash: "d8f7c6b5a", image: "acrreports.azurecr.io/report-renderer:3.2.0", replicas: 6, ready: 6, created: "700h"}}})
	for i := 0; i < 6; i++ {
		p := fmt.Sprintf("report-renderer-d8f7c6b5a-%c%c4q", 'b'+i, 'm'+i)
		node := n1
		if i%2 == 1 {
			node = n2
		}
		f.pod(podDef{ns: "reporting", name: p, node: node, ip: fmt.Sprintf("10.244.7.%d", 10+i), owner: d, created: fmt.Sprintf("%dh", 2+i*5),
			labels: map[string]string{"app": "report-renderer", "pod-template-hash": "d8f7c6b5a"},
			boxes:  []box{{name: "renderer", image: "acrreports.azurecr.io/report-renderer:3.2.0", resources: limits("1", "1Gi"), ready: true, state: running(f, fmt.Sprintf("%dh", 2+i*5))}}})
		f.repeat("reporting/"+p+"/renderer", "40m", "30s", "90s", `info: Reports.Renderer[0] Rendered report {ReportId} in 1840 ms`)
		f.container("reporting", p, "renderer", level(510), 1024, level(0.6), 1, level(0.01), nil)
		f.requests("reporting", "report-renderer", p, level(4), level(0), level(0.9))
	}
	f.put(m{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
		"metadata": m{"name": "report-renderer", "namespace": "reporting", "uid": f.id("hpa", "report-renderer")},
		"spec": m{"minReplicas": 2, "maxReplicas": 6, "scaleTargetRef": m{"apiVersion": "apps/v1", "kind": "Deployment", "name": "report-renderer"},
			"metrics": []any{m{"type": "Resource", "resource": m{"name": "cpu", "target": m{"type": "Utilization", "averageUtilization": 60}}}}},
		"status": m{"currentReplicas": 6, "desiredReplicas": 6,
			"currentMetrics": []any{m{"type": "Resource", "resource": m{"name": "cpu", "current": m{"averageUtilization": 59, "averageValue": "590m"}}}},
			"conditions": []any{
				m{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "lastTransitionTime": stamp(f.ago("3h"))},
				m{"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound", "lastTransitionTime": stamp(f.ago("700h"))},
				m{"type": "ScalingLimited", "status": "False", "reason": "DesiredWithinRange", "message": "the desired count is within the acceptable range", "lastTransitionTime": stamp(f.ago("3h"))}}}})
	f.alertOn(map[string]string{"alertname": "KubeHpaMaxedOut", "namespace": "reporting", "horizontalpodautoscaler": "report-renderer", "severity": "warning"},
		"HPA reporting/report-renderer has been running at max replicas for longer than 15 minutes.",
		`kube_horizontalpodautoscaler_status_current_replicas{job="kube-state-metrics"} == kube_horizontalpodautoscaler_spec_max_replicas{job="kube-state-metrics"}`, "20m", 6)
	f.answer("Unknown", "reporting", "Deployment", "report-renderer", "report-renderer")
	return f
}

// fileDescriptorsExhausted: a Node.js service leaks sockets until it hits
// its open-files limit.
func fileDescriptorsExhausted() *fixture {
	f := newFixture("h2-emfile-too-many-open-files", "2026-03-03T19:40:00Z")
	f.story = `Etherpad (namespace collab) starts failing requests with "Error: EMFILE: too many open
files" after a day of uptime: long-lived websocket connections are never closed and the
process reaches its 1024 open-files limit; new connections and file reads fail. CPU and
memory are normal. A resource (file descriptors) is exhausted in the pod.`
	f.source = "ether/etherpad issue #3012 'Multiple variations of \"console - Error: EMFILE, open / too many open\" errors', https://github.com/ether/etherpad/issues/3012; nodejs/node issue #16572, https://github.com/nodejs/node/issues/16572"
	n := "node-pool-b-5"
	f.node(n, "True")
	d := f.workload(app{kind: "Deployment", ns: "collab", name: "etherpad", replicas: 1, ready: 1,
		labels:    map[string]string{"app": "etherpad"},
		revisions: []revision{{hash: "7b6c5d4e3", image: "etherpad/etherpad:1.9.6", replicas: 1, ready: 1, created: "30h"}}})
	p := "etherpad-7b6c5d4e3-q9z8x"
	f.pod(podDef{ns: "collab", name: p, node: n, ip: "10.2.5.44", owner: d,
		labels: map[string]string{"app": "etherpad", "pod-template-hash": "7b6c5d4e3"},
		boxes:  []box{{name: "etherpad", image: "etherpad/etherpad:1.9.6", resources: limits("1", "1Gi"), ready: true, state: running(f, "30h")}}})
	path := "collab/" + p + "/etherpad"
	f.repeat(path, "40m", "19m", "50s", `[2026-03-03T19:00:00.000] [INFO] access - [CREATE] pad:team-notes socket:Xa8 IP:10.2.0.1 authID:a.9f`)
	f.repeat(path, "18m", "15s", "11s", `[2026-03-03T19:22:00.000] [ERROR] console - Error: EMFILE: too many open files, open '/opt/etherpad-lite/src/static/js/pad.js'`)
	f.repeat(path, "17m", "1m", "53s", `[2026-03-03T19:23:00.000] [ERROR] console - Error: accept EMFILE`)
	f.container("collab", p, "etherpad", level(330), 1024, level(0.12), 1, level(0), nil)
	f.gauge("process_open_fds", ramp(-45, -18, 870, 1024), "namespace", "collab", "pod", p, "job", "etherpad")
	f.gauge("process_max_fds", level(1024), "namespace", "collab", "pod", p, "job", "etherpad")
	f.requests("collab", "etherpad", p, after(-18, 20, 6), after(-18, 0, 9), nil)
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "collab", "service": "etherpad", "severity": "critical"},
		"etherpad returns 5xx for 60% of requests", fiveXXRatio, "15m", 0.6)
	f.answer("ResourceExhaustion", "collab", "Deployment", "etherpad", "too many open files", "etherpad")
	return f
}

// nodeHeapOverLimit: V8's default heap is larger than the container limit;
// occasional spikes are OOM-killed while the scrapes show the pod well below.
func nodeHeapOverLimit() *fixture {
	f := newFixture("h2-v8-heap-above-container-limit", "2026-02-07T15:30:00Z")
	f.story = `The gnomAD API (Node.js, namespace gnomad) restarts a few times a day: Last State
OOMKilled, exit code 137, on a 4Gi memory limit. Node's default heap_size_limit is
4.3GiB, larger than the container limit, so the garbage collector does not run before the
kernel kills the process. The pods sit well below the limit most of the time; the spikes
are shorter than the scrape interval.`
	f.source = "broadinstitute/gnomad-browser PR #1410 'set a maximum for the JS heap that is less than the container mem limit', https://github.com/broadinstitute/gnomad-browser/pull/1410"
	n := "gke-gnomad-api-pool-7fe2"
	f.node(n, "True")
	d := f.workload(app{kind: "Deployment", ns: "gnomad", name: "gnomad-api", replicas: 2, ready: 2,
		labels:    map[string]string{"app": "gnomad-api"},
		revisions: []revision{{hash: "775f4c6d7d", image: "us-docker.pkg.dev/exac-gnomad/gnomad/gnomad-api:2024-02-01", replicas: 2, ready: 2, created: "22h"}}})
	for i, id := range []string{"25fwx", "m8k2r"} {
		p := "gnomad-api-775f4c6d7d-" + id
		b := box{name: "app", image: "us-docker.pkg.dev/exac-gnomad/gnomad/gnomad-api:2024-02-01", resources: limits("2", "4Gi"), ready: true, state: running(f, "23m")}
		if i == 0 {
			b.restarts, b.last = 3, terminated(f, "OOMKilled", 137, "4h30m", "23m", "")
		} else {
			b.state = running(f, "22h")
		}
		f.pod(podDef{ns: "gnomad", name: p, node: n, ip: fmt.Sprintf("10.8.4.%d", 70+i), owner: d, created: "22h",
			labels: map[string]string{"app": "gnomad-api", "pod-template-hash": "775f4c6d7d"}, boxes: []box{b}})
		path := "gnomad/" + p + "/app"
		f.repeat(path, "40m", "30s", "35s", `{"level":30,"time":1707318000000,"pid":1,"hostname":"`+p+`","req":{"method":"POST","url":"/api"},"res":{"statusCode":200},"responseTime":312,"msg":"request completed"}`)
		restarts := level(0)
		if i == 0 {
			restarts = after(-23, 2, 3)
		}
		f.container("gnomad", p, "app", level(2300+float64(i)*150), 4096, level(0.8), 2, level(0), restarts)
	}
	f.say("gnomad/gnomad-api-775f4c6d7d-25fwx/app", `23m {"level":30,"time":1707316620000,"pid":1,"msg":"gnomAD API listening on port 8000"}`)
	f.say("gnomad/gnomad-api-775f4c6d7d-25fwx/app.previous",
		`24m {"level":30,"time":1707316560000,"pid":1,"req":{"method":"POST","url":"/api"},"msg":"variant search","dataset":"gnomad_r4","genes":412}`)
	f.event(happening{kind: "Pod", ns: "gnomad", name: "gnomad-api-775f4c6d7d-25fwx", reason: "BackOff", count: 1, first: "23m", note: "Back-off restarting failed container app in pod gnomad-api-775f4c6d7d-25fwx_gnomad"})
	f.alertOn(map[string]string{"alertname": "KubeContainerOOMKilled", "namespace": "gnomad", "pod": "gnomad-api-775f4c6d7d-25fwx", "container": "app", "severity": "warning"},
		"Container app in pod gnomad/gnomad-api-775f4c6d7d-25fwx was OOMKilled.",
		`kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1 and on (namespace, pod, container) increase(kube_pod_container_status_restarts_total[15m]) > 0`, "20m", 1)
	f.answer("OOMKilled", "gnomad", "Deployment", "gnomad-api", "OOMKilled", "4Gi")
	return f
}

// ingressConfigTypo: a typo in the controller's stream-snippets ConfigMap
// (an upstream name misspelled) makes nginx refuse its configuration at
// start; the controller pod crash-loops.
func ingressConfigTypo() *fixture {
	f := newFixture("h2-ingress-configmap-snippet-typo", "2026-11-11T07:50:00Z")
	f.story = `The NGINX Ingress Controller (namespace nginx-ingress, DaemonSet) crash-loops after its
ConfigMap gained stream-snippets for a SIP and a MySQL upstream: the upstream is declared
as "sip-demp-udp" but referenced as "sip-demo-udp", nginx refuses the configuration
("host not found in upstream") and the controller exits. The ConfigMap is the cause.`
	f.source = "nginx/kubernetes-ingress issue #757 'nginx CrashLoopBackOff always' (stream-snippets in config.entries), https://github.com/nginx/kubernetes-ingress/issues/757; nginx/kubernetes-ingress issue #6379, https://github.com/nginx/kubernetes-ingress/issues/6379"
	n := "edge-1.onprem.lan"
	f.node(n, "True")
	f.put(m{"apiVersion": "v1", "kind": "ConfigMap", "metadata": m{"name": "nginx-config", "namespace": "nginx-ingress"},
		"data": m{"stream-snippets": "upstream sip-demp-udp {\n  server sip-demo.my-system.svc.cluster.local:5060;\n}\nserver {\n  listen 5060 udp;\n  proxy_pass sip-demo-udp;\n  proxy_responses 1;\n}\n"}})
	ds := f.workload(app{kind: "DaemonSet", ns: "nginx-ingress", name: "nginx-ingress", replicas: 1, ready: 0,
		labels: map[string]string{"app": "nginx-ingress"}, image: "nginx/nginx-ingress:1.5.7"})
	p := "nginx-ingress-8xq2v"
	f.pod(podDef{ns: "nginx-ingress", name: p, node: n, ip: "192.168.10.21", owner: ds, labels: map[string]string{"app": "nginx-ingress"},
		boxes: []box{{name: "nginx-ingress", image: "nginx/nginx-ingress:1.5.7", resources: limits("", "512Mi"), restarts: 7,
			state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=nginx-ingress pod="+p),
			last:  terminated(f, "Error", 1, "4m12s", "4m10s", "")}}})
	f.say("nginx-ingress/"+p+"/nginx-ingress.previous",
		`4m12s I1111 07:45:48.102311       1 main.go:155] Starting NGINX Ingress controller Version=1.5.7 GitCommit=0d14b67b`,
		`4m11s I1111 07:45:49.020114       1 manager.go:140] Writing main config to /etc/nginx/nginx.conf`,
		`4m11s 2026/11/11 07:45:49 [emerg] 14#14: host not found in upstream "sip-demo-udp" in /etc/nginx/nginx.conf:61`,
		`4m10s F1111 07:45:50.004219       1 manager.go:286] Failed to start nginx: nginx: [emerg] host not found in upstream "sip-demo-udp" in /etc/nginx/nginx.conf:61`)
	f.event(happening{kind: "ConfigMap", ns: "nginx-ingress", name: "nginx-config", reason: "Updated", typ: "Normal", by: "nginx-ingress-controller", legacy: true,
		note: "Configuration from nginx-ingress/nginx-config was updated", first: "31m"})
	f.event(happening{kind: "Pod", ns: "nginx-ingress", name: p, reason: "BackOff", count: 64, first: "29m", last: "30s",
		note: "Back-off restarting failed container nginx-ingress in pod " + p + "_nginx-ingress"})
	f.container("nginx-ingress", p, "nginx-ingress", level(0), 512, nil, 0, nil, ramp(-29, -4, 0, 7))
	f.alertOn(map[string]string{"alertname": "KubeDaemonSetRolloutStuck", "namespace": "nginx-ingress", "daemonset": "nginx-ingress", "severity": "critical"},
		"DaemonSet nginx-ingress/nginx-ingress has not finished or progressed for at least 15 minutes.",
		`kube_daemonset_status_number_ready{job="kube-state-metrics"} != kube_daemonset_status_desired_number_scheduled{job="kube-state-metrics"}`, "20m", 1)
	f.answer("ConfigError", "nginx-ingress", "DaemonSet", "nginx-ingress", "host not found in upstream", "nginx-config")
	return f
}
