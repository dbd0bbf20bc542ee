package main

import "fmt"

var (
	_ = register(pgDumpOlderThanServer)
	_ = register(clearSessionsDeadline)
	_ = register(minReplicasLeftFromLoadTest)
	_ = register(metallbPoolExhausted)
	_ = register(healthyNightlyExportAtMax)
	_ = register(nodeExporterDownDuringReboot)
	_ = register(redisReadinessNoAuth)
)

func pgDumpOlderThanServer() *scene {
	s := newScene("h7-cms-db-backup-pg-dump-older-than-server", "2026-12-07T02:20:00Z")
	s.description = `The nightly cms-db-backup CronJob runs pg_dump from the postgres:15 image. The CloudNativePG cluster
cms-db was upgraded to PostgreSQL 16.4 on Friday, and pg_dump refuses to dump a newer server ("aborting because of
server version mismatch"); all 3 attempts failed and the Job hit its backoffLimit. The CronJob schedule itself is
fine; the failed run is the Job. No metrics are collected for the backup.`
	s.source = "https://ragit.baehyunsol.com/sample/postgresql/chunk/4b6deabffb06af77039966300275fe5439a3da950ab937e20000000100000d6f"
	s.workers()
	cj := s.cronJob("cms", "cms-db-backup", "0 2 * * *", 500*day, nil)
	cj["status"] = obj{"lastScheduleTime": s.at(20 * minute), "lastSuccessfulTime": s.at(3*day + 20*minute)}
	c := ctr{name: "pg-dump", image: "harbor.dc1.internal/mirror/library/postgres:15.8", cpuReq: "250m", memReq: "256Mi", memLim: "1Gi",
		args: []string{"sh", "-c", "pg_dump --format=custom --file=/backup/cms-$(date +%F).dump \"$DATABASE_URL\" && rclone copy /backup s3:dc1-backups/cms/"},
		env:  []any{envFrom("Secret", "DATABASE_URL", "uri", "cms-db-app")}}
	name := "cms-db-backup-29943480"
	j := s.job("cms", name, cj, 20*minute, obj{"backoffLimit": 2}, obj{
		"startTime": s.at(20 * minute), "failed": 3,
		"conditions": []any{obj{"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastProbeTime": s.at(12 * minute), "lastTransitionTime": s.at(12 * minute)},
			obj{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastProbeTime": s.at(12 * minute), "lastTransitionTime": s.at(12 * minute)}}}, c)
	cj["status"].(obj)["active"] = nil
	for i, n := range []string{r1n03, r2n06, r3n02} {
		age := []int{20, 19, 14}[i]
		p := j.pod(nil, []string{"7hqxm", "d2kzp", "s9wlc"}[i], n, minuteOf(age), s.terminated("Error", 1, minuteOf(age)-5*second, minuteOf(age)-8*second))
		s.logLines("cms", p, "pg-dump", false, minuteOf(age)-6*second, 200*1e6,
			"pg_dump: error: aborting because of server version mismatch",
			"pg_dump: detail: server version: 16.4; pg_dump version: 15.8")
		s.podEvent("cms", p, "Normal", "Started", "Started container pg-dump", 1, minuteOf(age)-5*second, minuteOf(age)-5*second)
	}
	s.event("cms", "Job", name, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", 1, 12*minute, 12*minute, "job-controller", "")
	s.event("cms", "CronJob", "cms-db-backup", "Normal", "SuccessfulCreate", "Created job "+name, 1, 20*minute, 20*minute, "cronjob-controller", "")
	s.jobFailedAlert("cms", name, 10*minute)
	s.want("JobFailure", "cms", "Job", name, "server version mismatch", "16.4")
	return s
}

func clearSessionsDeadline() *scene {
	s := newScene("h7-django-clearsessions-job-deadline-exceeded", "2026-12-07T04:15:00Z")
	s.description = `The hourly session-cleanup CronJob runs "manage.py clearsessions" with activeDeadlineSeconds=600. Since a
bot campaign created ~40M anonymous sessions, the DELETE takes longer than ten minutes; the job controller kills the
pod and marks the Job Failed with reason DeadlineExceeded. Each run deletes nothing because the transaction is rolled
back. The CronJob spec is unchanged; the failing object is the Job. No metrics exist for it.`
	s.source = "https://github.com/cdapio/cdap-operator/pull/36"
	s.workers()
	cj := s.cronJob("identity", "session-cleanup", "5 * * * *", 300*day, nil)
	cj["status"] = obj{"lastScheduleTime": s.at(70 * minute), "lastSuccessfulTime": s.at(2*day + 10*minute)}
	c := ctr{name: "clearsessions", image: "harbor.dc1.internal/identity/accounts-django:2026.11.27", cpuReq: "100m", memReq: "256Mi", memLim: "512Mi",
		args: []string{"python", "manage.py", "clearsessions", "--verbosity", "2"}}
	name := "session-cleanup-29943545"
	j := s.job("identity", name, cj, 70*minute, obj{"activeDeadlineSeconds": 600, "backoffLimit": 1}, obj{
		"startTime": s.at(70 * minute), "failed": 1,
		"conditions": []any{obj{"type": "FailureTarget", "status": "True", "reason": "DeadlineExceeded", "message": "Job was active longer than specified deadline", "lastProbeTime": s.at(60 * minute), "lastTransitionTime": s.at(60 * minute)},
			obj{"type": "Failed", "status": "True", "reason": "DeadlineExceeded", "message": "Job was active longer than specified deadline", "lastProbeTime": s.at(60 * minute), "lastTransitionTime": s.at(60 * minute)}}}, c)
	p := j.pod(nil, "k8vtn", r2n04, 70*minute, s.terminated("Error", 137, 70*minute-4*second, 60*minute))
	s.logLines("identity", p, "clearsessions", false, 70*minute-3*second, 90*second,
		"{py_ts} INFO django.db.backends (0.002) SELECT COUNT(*) FROM \"django_session\" WHERE \"django_session\".\"expire_date\" < '2026-12-07 03:05:04.118220+00:00'; args=(...)",
		"{py_ts} INFO sessions.cleanup expired sessions to delete: 41382917",
		"{py_ts} INFO sessions.cleanup deleting expired sessions (this may take a while)")
	s.podEvent("identity", p, "Normal", "Killing", "Stopping container clearsessions", 1, 60*minute, 60*minute)
	s.event("identity", "Job", name, "Warning", "DeadlineExceeded", "Job was active longer than specified deadline", 1, 60*minute, 60*minute, "job-controller", "")
	s.event("identity", "CronJob", "session-cleanup", "Normal", "SuccessfulCreate", "Created job "+name, 1, 70*minute, 70*minute, "cronjob-controller", "")
	s.event("identity", "CronJob", "session-cleanup", "Normal", "SawCompletedJob", "Saw completed job: "+name+", status: Failed", 1, 60*minute, 60*minute, "cronjob-controller", "")
	s.jobFailedAlert("identity", name, 58*minute)
	s.want("JobFailure", "identity", "Job", name, "DeadlineExceeded", "activeDeadlineSeconds")
	return s
}

func minReplicasLeftFromLoadTest() *scene {
	s := newScene("h7-ranker-hpa-minreplicas-left-at-40-after-load-test", "2026-12-07T09:00:00Z")
	s.description = `The recommendations team raised the ranker HPA's minReplicas from 4 to 40 for a load test on Friday and
never reverted it. Since then 40 ranker pods (Rust, 2 CPU / 4Gi requested each) idle at 5% CPU and the namespace's
allocated cost in OpenCost is ~9x its baseline; the scheduler also had to spread other workloads thinner. Nothing is
failing: this is spend beyond baseline caused by the forgotten minReplicas.`
	s.source = "https://axyi.ru/en/kubernetes-cost-three-levers/"
	s.workers()
	w := s.deployment("recommendations", "ranker", 40, 250*day, nil)
	r := w.rev("8b6d9c7f5", "0.44.2", 9*day, 40, ctr{name: "ranker", image: "harbor.dc1.internal/recommendations/ranker:0.44.2", cpuReq: "2", cpuLim: "2", memReq: "4Gi", memLim: "4Gi", port: 8080})
	w.status(nil, 40)
	all := []string{r1n03, r1n05, r2n04, r2n06, r3n02, r3n07}
	var pods []string
	for i := 0; i < 40; i++ {
		age := 2*day + 20*hour
		if i < 4 {
			age = 9 * day
		}
		pods = append(pods, w.pod(r, fmt.Sprintf("%c%c%d%c%c", 'a'+i%26, 'z'-i%17, i%10, 'c'+i%13, 'm'+i%11), all[i%6], age, s.running(age)))
	}
	h := s.hpa("recommendations", w, 40, 60, 40, 40, 70, 5, []any{
		s.hpaCond("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", 2*day),
		s.hpaCond("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)", 250*day),
		s.hpaCond("ScalingLimited", "True", "TooFewReplicas", "the desired replica count is less than the minimum replica count", 2*day)})
	metaOf(h)["annotations"] = obj{"kubectl.kubernetes.io/last-applied-configuration": `{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"ranker","namespace":"recommendations"},"spec":{"maxReplicas":60,"minReplicas":40}}`}
	s.event("recommendations", "HorizontalPodAutoscaler", "ranker", "Normal", "SuccessfulRescale", "New size: 40; reason: Current number of replicas below Spec.MinReplicas", 1, 2*day+20*hour, 2*day+20*hour, "horizontal-pod-autoscaler", "")
	s.logLines("recommendations", pods[0], "ranker", false, 4*minute, 40*second, repeat(6,
		`{ts}  INFO ranker::http: request served route="/v2/rank" candidates=200 latency_ms=1{i}`)...)
	s.metric("node_total_hourly_cost", "gauge", map[string]string{"job": "opencost", "node": r1n03, "instance_type": "dc1-r640-32c-128g"}, flat(1.42))
	s.metric("opencost:namespace_hourly_cost", "gauge", map[string]string{"namespace": "recommendations", "job": "opencost"}, flat(11.9))
	s.metric("opencost:namespace_hourly_cost:avg_7d_before", "gauge", map[string]string{"namespace": "recommendations", "job": "opencost"}, flat(1.31))
	s.metric("kube_horizontalpodautoscaler_spec_min_replicas", "gauge", ksm(map[string]string{"namespace": "recommendations", "horizontalpodautoscaler": "ranker"}), flat(40))
	s.metric("kube_horizontalpodautoscaler_status_current_replicas", "gauge", ksm(map[string]string{"namespace": "recommendations", "horizontalpodautoscaler": "ranker"}), flat(40))
	for i, p := range pods[:6] {
		s.metric("container_cpu_usage_seconds", "counter", cad("recommendations", p, "ranker", all[i%6]), rate(2.4e4, 0.1))
	}
	s.setAlert("NamespaceCostAboveBaseline", "warning", map[string]string{"namespace": "recommendations", "team": "recommendations", "job": "opencost"},
		"Namespace spend is far above its 7-day baseline", "recommendations costs $11.90/h against a 7-day baseline of $1.31/h (9.1x).",
		`opencost:namespace_hourly_cost / opencost:namespace_hourly_cost:avg_7d_before > 3`, 2*day+18*hour, 9.1)
	s.want("CostAnomaly", "recommendations", "Deployment", "ranker", "minReplicas", "40")
	return s
}

func metallbPoolExhausted() *scene {
	s := newScene("h7-metallb-pool-exhausted-partner-ingress-pending", "2026-12-07T10:40:00Z")
	s.description = `The new partner ingress controller's LoadBalancer Service ingress-nginx-partners-controller has stayed
<pending> for 35 minutes: MetalLB's only IPAddressPool dc1-public (10.40.200.10-10.40.200.29) is fully allocated, and
the controller reports "no available IPs". The ingress pods are Running; the external blackbox probe of
partners-api.dc1.example.com fails because no address is announced. Responsible: that Service's unallocatable address.`
	s.source = "https://github.com/metallb/metallb/issues/2553"
	s.workers()
	w := s.deployment("ingress-partners", "ingress-nginx-partners-controller", 2, 35*minute, nil)
	r := w.rev("5d8f7c9b6", "1.11.3", 35*minute, 2, ctr{name: "controller", image: "registry.k8s.io/ingress-nginx/controller:v1.11.3", cpuReq: "100m", memReq: "90Mi", memLim: "512Mi", port: 443,
		readiness: httpProbe("/healthz", 10254, 1, 10, 3)})
	w.status(nil, 2)
	var pods []string
	for i, n := range []string{r1n05, r3n02} {
		pods = append(pods, w.pod(r, []string{"g5xkp", "m9dtq"}[i], n, 35*minute, s.running(34*minute)))
	}
	svc := s.service("ingress-partners", "ingress-nginx-partners-controller", selectorOf("ingress-nginx-partners-controller"), 443, 443, "LoadBalancer")
	svc["spec"].(obj)["externalTrafficPolicy"] = "Local"
	s.endpoints("ingress-partners", "ingress-nginx-partners-controller", 443, pods, nil)
	s.schedEvent("ingress-partners", "Service", "ingress-nginx-partners-controller", "AllocationFailed", `Failed to allocate IP for "ingress-partners/ingress-nginx-partners-controller": no available IPs`, 14, 35*minute, 2*minute, "metallb-controller")
	mc := s.deployment("metallb-system", "metallb-controller", 1, 500*day, nil)
	mr := mc.rev("6f9c8d7b5", "v0.14.8", 90*day, 1, ctr{name: "controller", image: "quay.io/metallb/controller:v0.14.8", cpuReq: "50m", memReq: "64Mi", memLim: "128Mi", port: 7472})
	mc.status(nil, 1)
	mp := mc.pod(mr, "b2wlz", r2n04, 90*day, s.running(90*day))
	s.logLines("metallb-system", mp, "controller", false, 35*minute, 150*second, repeat(12,
		`{"caller":"service.go:150","error":"no available IPs","level":"error","msg":"IP allocation failed","op":"allocateIPs","ts":"{ts}"}`)...)
	s.logLines("ingress-partners", pods[0], "controller", false, 30*minute, 5*minute,
		"I1207 10:10:04.118220       7 controller.go:193] \"Configuration changes detected, backend reload required\"",
		"I1207 10:10:04.311020       7 controller.go:213] \"Backend successfully reloaded\"",
		"W1207 10:15:12.002144       7 controller.go:1216] Service \"partners/partner-gateway\" does not have any active Endpoint.")
	s.metric("probe_success", "gauge", map[string]string{"job": "blackbox", "instance": "https://partners-api.dc1.example.com/healthz", "module": "http_2xx"}, flat(0))
	s.metric("metallb_allocator_addresses_in_use_total", "gauge", map[string]string{"pool": "dc1-public", "job": "metallb-controller"}, flat(20))
	s.metric("metallb_allocator_addresses_total", "gauge", map[string]string{"pool": "dc1-public", "job": "metallb-controller"}, flat(20))
	s.setAlert("BlackboxProbeFailed", "critical", map[string]string{"instance": "https://partners-api.dc1.example.com/healthz", "job": "blackbox", "module": "http_2xx", "team": "partners"},
		"Blackbox probe failed", "Probe of https://partners-api.dc1.example.com/healthz has failed for 15 minutes.",
		`probe_success{job="blackbox"} == 0`, 20*minute, 0)
	s.want("ResourceExhaustion", "ingress-partners", "Service", "ingress-nginx-partners-controller", "no available IPs", "dc1-public")
	return s
}

func healthyNightlyExportAtMax() *scene {
	s := newScene("h7-unknown-pdf-export-worker-hpa-at-max-nightly-batch", "2026-12-07T01:30:00Z")
	s.description = `KubeHpaMaxedOut fires every night for pdf-export-worker while the 01:00 statement export drains its
queue: the HPA sits at maxReplicas 10 by design, queue depth is falling on schedule, no pod restarts, no errors, latency
within SLO. Nothing in the evidence supports a fault; the right answer is that there is no cause to find (a noisy
alert that should be silenced for the batch window).`
	s.source = "https://docs.monlab.newt.cz/runbooks/kubernetes/KubeHpaMaxedOut/"
	s.workers()
	w := s.deployment("billing", "pdf-export-worker", 10, 400*day, nil)
	r := w.rev("7c5f8d9b6", "2026.11.20", 17*day, 10, ctr{name: "worker", image: "harbor.dc1.internal/billing/pdf-export:2026.11.20", cpuReq: "1", cpuLim: "2", memReq: "1Gi", memLim: "2Gi"})
	w.status(nil, 10)
	all := []string{r1n03, r1n05, r2n04, r2n06, r3n02, r3n07}
	var pods []string
	for i := 0; i < 10; i++ {
		age := 28 * minute
		if i < 2 {
			age = 17 * day
		}
		pods = append(pods, w.pod(r, fmt.Sprintf("p%c%dw%c", 'd'+i, i, 'q'+i%8), all[i%6], age, s.running(age)))
	}
	s.hpa("billing", w, 2, 10, 10, 10, 70, 83, []any{
		s.hpaCond("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", 24*minute),
		s.hpaCond("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)", 400*day),
		s.hpaCond("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count", 24*minute)})
	s.event("billing", "HorizontalPodAutoscaler", "pdf-export-worker", "Normal", "SuccessfulRescale", "New size: 10; reason: cpu resource utilization (percentage of request) above target", 1, 24*minute, 24*minute, "horizontal-pod-autoscaler", "")
	s.logLines("billing", pods[3], "worker", false, 4*minute, 20*second, repeat(12,
		`{ts} pid=1 tid=3hq{i} class=StatementPdfJob jid=9a{i}4c01be elapsed=2.87 INFO: done`)...)
	s.metric("sidekiq_queue_size", "gauge", map[string]string{"queue": "statements", "job": "sidekiq-exporter", "namespace": "billing"}, ramp(48200, 31900))
	s.metric("sidekiq_queue_latency_seconds", "gauge", map[string]string{"queue": "statements", "job": "sidekiq-exporter", "namespace": "billing"}, ramp(190, 175))
	s.metric("kube_horizontalpodautoscaler_status_current_replicas", "gauge", ksm(map[string]string{"namespace": "billing", "horizontalpodautoscaler": "pdf-export-worker"}), flat(10))
	s.metric("kube_horizontalpodautoscaler_spec_max_replicas", "gauge", ksm(map[string]string{"namespace": "billing", "horizontalpodautoscaler": "pdf-export-worker"}), flat(10))
	s.restarts("billing", pods[0], "worker", 0, 0)
	s.setAlert("KubeHpaMaxedOut", "warning", map[string]string{"namespace": "billing", "horizontalpodautoscaler": "pdf-export-worker", "job": "kube-state-metrics"},
		"HPA is running at max replicas", "HPA billing/pdf-export-worker has been running at max replicas for longer than 15 minutes.",
		`kube_horizontalpodautoscaler_status_current_replicas{job="kube-state-metrics",namespace=~".*"} == kube_horizontalpodautoscaler_spec_max_replicas{job="kube-state-metrics",namespace=~".*"}`, 9*minute, 10)
	s.want("Unknown", "billing", "Deployment", "pdf-export-worker", "pdf-export-worker")
	return s
}

func nodeExporterDownDuringReboot() *scene {
	s := newScene("h7-unknown-node-exporter-target-down-after-planned-reboot", "2026-12-07T11:20:00Z")
	s.description = `TargetDown fired for the node-exporter target on node-r2-06 while the node was rebooted for the kernel
patch window (drained, rebooted, uncordoned). By now the node is Ready again, the node-exporter pod has been Running
for 3 minutes and its target is up; nothing else in the cluster is affected. The alert is stale: there is no fault to
explain, and an SRE should say the evidence shows recovery rather than invent a cause.`
	s.source = "https://runbooks.nanocosmos.cloud/alerts/alerts-k8s-exporter/general/targetdown"
	s.nodes(r1n03, r1n05, r2n04, r3n02, r3n07)
	s.node(r2n06, nil)
	nd := s.find("Node", "", r2n06)
	for _, c := range nd["status"].(obj)["conditions"].([]any) {
		if c.(obj)["type"] == "Ready" {
			c.(obj)["lastTransitionTime"] = s.at(4 * minute)
		}
	}
	ds := s.daemonSet("monitoring", "kube-prometheus-stack-prometheus-node-exporter", 300*day, "1.8.2", obj{"hostNetwork": true},
		ctr{name: "node-exporter", image: "harbor.dc1.internal/mirror/prometheus/node-exporter:v1.8.2", cpuReq: "50m", memReq: "64Mi", memLim: "128Mi", port: 9100})
	ds.obj["status"] = obj{"currentNumberScheduled": 6, "desiredNumberScheduled": 6, "numberReady": 6, "numberAvailable": 6, "updatedNumberScheduled": 6, "observedGeneration": 2}
	var p string
	for i, n := range []string{r1n03, r1n05, r2n04, r2n06, r3n02, r3n07} {
		age := 60 * day
		if n == r2n06 {
			age = 3 * minute
		}
		name := ds.pod(nil, []string{"4kqzx", "9mtlw", "c2vnd", "h7rbp", "p3xsk", "w8jdf"}[i], n, age, s.running(age))
		if n == r2n06 {
			p = name
		}
	}
	s.event("", "Node", r2n06, "Normal", "Rebooted", "Node "+r2n06+" has been rebooted, boot id: 3b8f0c2e-7a41-4d0e-9b7c-1e5d6f2a8c90", 1, 5*minute, 5*minute, "kubelet", r2n06)
	s.event("", "Node", r2n06, "Normal", "NodeReady", "Node "+r2n06+" status is now: NodeReady", 1, 4*minute, 4*minute, "kubelet", r2n06)
	s.event("", "Node", r2n06, "Normal", "NodeSchedulable", "Node "+r2n06+" status is now: NodeSchedulable", 1, 2*minute, 2*minute, "kubelet", r2n06)
	s.logLines("monitoring", p, "node-exporter", false, 3*minute, 1*second,
		`ts={ts} caller=node_exporter.go:193 level=info msg="Starting node_exporter" version="(version=1.8.2, branch=HEAD, revision=f1e0e8360aa60b6cb5e5cc1560bed348fc2c1895)"`,
		`ts={ts} caller=node_exporter.go:111 level=info msg="Enabled collectors"`,
		`ts={ts} caller=tls_config.go:313 level=info msg="Listening on" address=[::]:9100`)
	s.metric("up", "gauge", map[string]string{"job": "node-exporter", "instance": nodeIP(r2n06) + ":9100", "node": r2n06, "namespace": "monitoring", "pod": p}, stepAt(0.45, 0, 1))
	s.setAlert("TargetDown", "warning", map[string]string{"job": "node-exporter", "namespace": "monitoring", "service": "kube-prometheus-stack-prometheus-node-exporter"},
		"One or more targets are unreachable.", "16.67% of the node-exporter/kube-prometheus-stack-prometheus-node-exporter targets in monitoring namespace are down.",
		`100 * (count by (cluster, job, namespace, service) (up == 0) / count by (cluster, job, namespace, service) (up)) > 10`, 8*minute, 16.67)
	s.want("Unknown", "monitoring", "DaemonSet", "kube-prometheus-stack-prometheus-node-exporter", "node-r2-06")
	return s
}

func redisReadinessNoAuth() *scene {
	s := newScene("h7-redis-cache-readiness-exec-probe-noauth", "2026-12-07T13:05:00Z")
	s.description = `The platform team enabled requirepass on the redis-cache StatefulSet (password from a Secret) but its
readiness probe still runs an unauthenticated "redis-cli ping", which now gets "NOAUTH Authentication required." Redis itself runs
and serves authenticated clients, yet all three pods are NotReady, the redis-cache Service has no ready endpoints and
basket-api (Go) fails with "connection refused". Responsible: redis-cache's probe.`
	s.source = "https://tracegrid.app/blog/kubernetes-liveness-readiness-probes"
	s.workers()
	probe := obj{"exec": obj{"command": []any{"sh", "-c", `response=$(timeout -s 15 1 redis-cli -h localhost -p 6379 ping); if [ "$response" != "PONG" ]; then echo "$response"; exit 1; fi`}}, "timeoutSeconds": 1, "periodSeconds": 5, "failureThreshold": 3, "successThreshold": 1, "initialDelaySeconds": 5}
	rc := ctr{name: "redis", image: "harbor.dc1.internal/mirror/library/redis:7.2.5", cpuReq: "250m", cpuLim: "1", memReq: "1Gi", memLim: "1Gi", port: 6379,
		args: []string{"redis-server", "--requirepass", "$(REDIS_PASSWORD)"}, env: []any{envFrom("Secret", "REDIS_PASSWORD", "password", "redis-cache-auth")}, readiness: probe}
	w := s.statefulSet("storefront", "redis-cache", 3, 500*day, "7.2.5", nil, nil, rc)
	w.obj["status"].(obj)["readyReplicas"] = 0
	var pods []string
	for i, n := range []string{r1n03, r2n04, r3n07} {
		age := []int{22, 21, 20}[i]
		p := w.pod(nil, fmt.Sprint(i), n, minuteOf(age), s.runningUnready(minuteOf(age)-10*second, 0, nil))
		pods = append(pods, p)
		s.podEvent("storefront", p, "Warning", "Unhealthy", "Readiness probe failed: NOAUTH Authentication required.", 250-i*10, minuteOf(age)-5*second, 4*second)
	}
	s.logLines("storefront", pods[0], "redis", false, 22*minute-8*second, 1*second,
		"1:C 07 Dec 2026 12:43:02.118 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
		"1:C 07 Dec 2026 12:43:02.118 * Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started",
		"1:M 07 Dec 2026 12:43:02.121 * Server initialized",
		"1:M 07 Dec 2026 12:43:02.121 * Ready to accept connections tcp")
	s.service("storefront", "redis-cache", selectorOf("redis-cache"), 6379, 6379, "")
	s.endpoints("storefront", "redis-cache", 6379, nil, pods)
	b := s.deployment("storefront", "basket-api", 3, 300*day, nil)
	br := b.rev("9b7d6c8f5", "4.2.0", 11*day, 3, ctr{name: "api", image: "harbor.dc1.internal/storefront/basket-api:4.2.0", cpuReq: "250m", cpuLim: "1", memReq: "256Mi", memLim: "512Mi", port: 8080})
	b.status(nil, 3)
	bp := b.pod(br, "l4qmz", r2n06, 11*day, s.running(11*day))
	b.pod(br, "t7kxd", r3n02, 11*day, s.running(11*day))
	b.pod(br, "z2hwc", r1n05, 11*day, s.running(11*day))
	svc := s.find("Service", "storefront", "redis-cache")["spec"].(obj)["clusterIP"].(string)
	s.logLines("storefront", bp, "api", false, 8*minute, 20*second, repeat(20,
		`{"time":"{ts}","level":"ERROR","msg":"basket load failed","basket":"b-{i}7731","err":"dial tcp `+svc+`:6379: connect: connection refused"}`)...)
	s.metric("kube_pod_status_ready", "gauge", ksm(map[string]string{"namespace": "storefront", "pod": pods[0], "condition": "true"}), flat(0))
	s.metric("http_requests", "counter", map[string]string{"namespace": "storefront", "job": "basket-api", "code": "503"}, rate(5100, 14))
	s.setAlert("BasketApiErrorRateHigh", "critical", map[string]string{"namespace": "storefront", "service": "basket-api", "team": "checkout"},
		"basket-api 5xx ratio above 10%", "61% of basket-api requests fail with HTTP 503.",
		`sum(rate(http_requests_total{job="basket-api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="basket-api"}[5m])) > 0.1`, 17*minute, 0.61)
	s.want("ProbeFailure", "storefront", "StatefulSet", "redis-cache", "NOAUTH", "redis-cache")
	return s
}
