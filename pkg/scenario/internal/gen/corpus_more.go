package main

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func moreScenarios() []definition {
	return []definition{
		{"bad-deploy-crashloop-new-replicaset", badDeployCrashLoop},
		{"config-missing-secret-mailer", configMissingSecret},
		{"dependency-redis-timeouts-feed", dependencyRedis},
		{"node-disk-pressure-evictions", nodeDiskPressure},
		{"job-active-deadline-exceeded", jobDeadlineExceeded},
	}
}

// The new ReplicaSet's pods crash at import time; the old ones keep serving.
// The crash loop is the symptom, the rollout the cause.
func badDeployCrashLoop(b *builder) {
	b.setup("2026-11-19T11:12:00Z", 40)
	b.describe(`pricing-engine 5.0.0 was rolled out 13 minutes ago. Its image misses a
module (ModuleNotFoundError: pricing.rules.v2) and the new pod crashes at start with
exit code 1; the rollout is stuck with three pods of 4.9.3 serving. Restarts are the
symptom; the new revision is the cause.`)
	nodes := b.cluster(4, "m6i.xlarge", "apps")
	spec := b.podSpec("pricing-engine", ctrSpec{name: "engine", image: b.ecr("commerce/pricing-engine", "4.9.3"), port: 8000,
		cpuReq: "500m", memReq: "512Mi", memLim: "1Gi", command: []string{"gunicorn", "pricing.app:app", "-b", "0.0.0.0:8000", "-w", "4"},
		readiness: httpProbe("/health", 8000, 5, 10, 2, 3)})
	w := b.deployment("commerce", "pricing-engine", 4, b.at(days(260)), spec)
	old := w.revision(21, b.at(days(15)), nil)
	rollout := b.at(13 * time.Minute)
	cur := w.revision(22, rollout, withImage("engine", b.ecr("commerce/pricing-engine", "5.0.0")))
	for i, n := range nodes[:3] {
		p := old.pod(n, b.at(days(15)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("pricing-engine", 8000, 20, 0.03)
		p.ctr("engine").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 20*time.Second, emit, func(t time.Time, k int) string {
				return pyLog(t, "INFO", "pricing.api", fmt.Sprintf("quote computed sku_count=%d rules=41 ms=%d", 1+k%7, 12+k%30))
			})
		}
	}
	first := old.pod(nodes[3], b.at(days(15)))
	first.ctr("engine").logs = quietStartup(b, slogStyle, "pricing-engine", "4.9.3")
	first.deleteAt(rollout.Add(2 * time.Second))
	p := cur.pod(nodes[3], rollout.Add(time.Second))
	c := p.ctr("engine")
	c.crashLoop(c.runs[0].start, 1500*time.Millisecond, run{reason: "Error", exit: 1}, 0)
	c.logs = func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 300*time.Millisecond)
		emit(t, fmt.Sprintf("[%s +0000] [1] [INFO] Starting gunicorn 23.0.0", t.UTC().Format("2006-01-02 15:04:05")))
		emit(t.Add(5*time.Millisecond), fmt.Sprintf("[%s +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)", t.UTC().Format("2006-01-02 15:04:05")))
		t = t.Add(600 * time.Millisecond)
		emit(t, fmt.Sprintf("[%s +0000] [7] [ERROR] Exception in worker process", t.UTC().Format("2006-01-02 15:04:05"))+`
Traceback (most recent call last):
  File "/usr/local/lib/python3.12/site-packages/gunicorn/arbiter.py", line 608, in spawn_worker
    worker.init_process()
  File "/app/pricing/app.py", line 9, in <module>
    from pricing.rules.v2 import RuleEngine
ModuleNotFoundError: No module named 'pricing.rules.v2'`)
		emit(t.Add(200*time.Millisecond), fmt.Sprintf("[%s +0000] [1] [ERROR] Reason: Worker failed to boot.", t.UTC().Format("2006-01-02 15:04:05")))
	}
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled down replica set %s from 4 to 3", old.name), "deployment-controller", "", rollout)
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 1", cur.name), "deployment-controller", "", rollout)
	b.service(w, 80, 8000)
	crashLoopingAlert(b, p, "engine", b.at(5*time.Minute))
	b.expect("BadDeploy", "commerce", "Deployment", "pricing-engine", "5.0.0", "pricing.rules.v2")
}

// A Secret referenced by envFrom was not created in this namespace.
func configMissingSecret(b *builder) {
	b.setup("2026-11-06T16:40:00Z", 35)
	b.describe(`mailer was moved to the notifications namespace; its envFrom references Secret
smtp-credentials, which was never created there. The pods cannot start:
CreateContainerConfigError, secret "smtp-credentials" not found.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("mailer", ctrSpec{name: "mailer", image: "ghcr.io/acme-comms/mailer:3.1.0", port: 8025, cpuReq: "50m", memReq: "64Mi", memLim: "128Mi",
		configMapEnv: []string{"mailer-config"}, secretEnv: []string{"smtp-credentials"}})
	w := b.deployment("notifications", "mailer", 2, b.at(24*time.Minute), spec)
	rev := w.revision(1, b.at(24*time.Minute), nil)
	var alertPod *podPlan
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(24*time.Minute-time.Duration(i)*time.Second))
		c := p.ctr("mailer")
		c.runs = nil
		c.waiting, c.waitMsg = "CreateContainerConfigError", `secret "smtp-credentials" not found`
		b.repeat(p.entityRef(), "Warning", "Failed", `Error: secret "smtp-credentials" not found`, "kubelet", n.name, p.scheduled.Add(2*time.Second), b.now, 12*time.Second)
		b.repeat(p.entityRef(), "Normal", "Pulled", `Container image "ghcr.io/acme-comms/mailer:3.1.0" already present on machine`, "kubelet", n.name, p.scheduled.Add(2*time.Second), b.now, 12*time.Second)
		b.schedulerEvent(p, "Normal", "Scheduled", "Binding", fmt.Sprintf("Successfully assigned notifications/%s to %s", p.name, n.name), p.scheduled, p.scheduled, 1)
		if i == 0 {
			alertPod = p
		}
	}
	b.configMap("notifications", "mailer-config", b.at(25*time.Minute), "SMTP_HOST", "email-smtp.eu-west-1.amazonaws.com", "SMTP_PORT", "587")
	b.service(w, 25, 8025)
	b.alert(alertSpec{
		labels:      podAlert("KubeContainerWaiting", "notifications", alertPod.name, "mailer", "warning"),
		summary:     "Pod container waiting longer than 1 hour",
		description: fmt.Sprintf("pod/%s in namespace notifications on container mailer has been in waiting state for longer than 1 hour. (reason: \"CreateContainerConfigError\")", alertPod.name),
		runbook:     runbooks + "kubecontainerwaiting",
		startsAt:    b.at(4 * time.Minute),
		query:       `sum by (namespace, pod, container, cluster) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`,
		value:       1,
	})
	b.expect("ConfigError", "notifications", "Deployment", "mailer", "smtp-credentials", "not found")
}

// feed-api times out on its in-cluster Redis, which is down.
func dependencyRedis(b *builder) {
	b.setup("2026-11-23T07:55:00Z", 40)
	b.describe(`feed-api caches timelines in the redis-feed StatefulSet of the same namespace.
Redis stopped answering (its only replica is restarting), and feed-api's requests time
out on dial tcp ...:6379 with the address redis-feed.social.svc.cluster.local in every
log line. feed-api's own pods are healthy; the dependency is what fails.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	onset := b.at(16 * time.Minute)
	rspec := b.podSpec("redis-feed", ctrSpec{name: "redis", image: "redis:7.4.1-alpine", port: 6379, portName: "redis", cpuReq: "250m", memReq: "1Gi", memLim: "1Gi",
		readiness: execProbe([]string{"redis-cli", "ping"}, 5, 2, 3)})
	redis := b.workload("StatefulSet", "social", "redis-feed", 1, b.at(days(300)), rspec)
	rp := redis.pod(nodes[2], b.at(days(40)), 0)
	rc := rp.ctr("redis")
	rc.crashLoop(onset.Add(-30*time.Second), 70*time.Second, run{reason: "Error", exit: 1}, 2)
	rc.logs = func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 50*time.Millisecond)
		emit(t, fmt.Sprintf("1:M %s * Loading RDB produced by version 7.4.1", t.UTC().Format("02 Jan 2006 15:04:05.000")))
		t = t.Add(60 * time.Second)
		emit(t, fmt.Sprintf("1:M %s # Short read or OOM loading DB. Unrecoverable error, aborting now.", t.UTC().Format("02 Jan 2006 15:04:05.000")))
	}
	b.service(redis, 6379, 6379)
	spec := b.podSpec("feed-api", ctrSpec{name: "api", image: b.ecr("social/feed-api", "9.2.0"), port: 8080, cpuReq: "300m", memReq: "256Mi", memLim: "512Mi",
		env: []string{"REDIS_ADDR", "redis-feed.social.svc.cluster.local:6379"}})
	w := b.deployment("social", "feed-api", 3, b.at(days(300)), spec)
	rev := w.revision(77, b.at(days(4)), nil)
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(4)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("feed-api", 8080, 28, 0.03, route{"GET", "/v1/feed", 1})
		p.http.errCode = "504"
		p.http.errRatio = ramp(0.001, 0.55, onset, onset.Add(time.Minute))
		p.http.median = times(steady(b, 0.03), ramp(1, 20, onset, onset.Add(time.Minute)))
		p.ctr("api").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 3*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(onset) {
					if k%8 == 0 {
						return logfmt(t, "info", "feed served", "user", "u"+b.hex(6), "items", 50, "cache", "hit")
					}
					return ""
				}
				return logfmt(t, "error", "timeline cache unavailable", "addr", "redis-feed.social.svc.cluster.local:6379",
					"err", "dial tcp 172.20.31.7:6379: i/o timeout", "fallback", "none", "status", 504)
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "social", "feed-api", "critical"),
		summary:     "feed-api is returning errors",
		description: "More than 5% of requests to social/feed-api fail with 5xx (current value 0.53).",
		startsAt:    b.at(12 * time.Minute),
		query:       errorRatioQuery,
		value:       0.53,
	})
	b.expect("DependencyFailure", "social", "Service", "redis-feed", "redis-feed", "6379")
}

// A neighbour's logs fill the node's disk; the kubelet evicts an innocent pod.
func nodeDiskPressure(b *builder) {
	b.setup("2026-11-08T05:31:00Z", 45)
	b.describe(`A debug-logging batch pod writes gigabytes of logs on node ip-…, its root volume
falls under the kubelet's eviction threshold and the node reports DiskPressure; image
garbage collection cannot free enough and the kubelet evicts pods, among them a geo-api
replica — the pod of the alert. The node's disk is the cause.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	hot := nodes[0]
	pressure := b.at(14 * time.Minute)
	hot.condition("DiskPressure", "True", "KubeletHasDiskPressure", "kubelet has disk pressure", pressure)
	hot.taints = []corev1.Taint{{Key: "node.kubernetes.io/disk-pressure", Effect: corev1.TaintEffectNoSchedule, TimeAdded: ptrTime(pressure)}}
	nodeRef := corev1.ObjectReference{Kind: "Node", Name: hot.name, UID: k8sUID(hot.name)}
	b.event(nodeRef, "Normal", "NodeHasDiskPressure", fmt.Sprintf("Node %s status is now: NodeHasDiskPressure", hot.name), "kubelet", hot.name, pressure)
	b.repeat(nodeRef, "Warning", "FreeDiskSpaceFailed", "Failed to garbage collect required amount of images. Attempted to free 4412198912 bytes, but only found 0 bytes eligible to free.", "kubelet", hot.name, pressure.Add(-4*time.Minute), b.now, 5*time.Minute)
	b.repeat(nodeRef, "Warning", "EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", "kubelet", hot.name, pressure, b.now, time.Minute)
	spec := b.podSpec("geo-api", ctrSpec{name: "geo", image: b.ecr("maps/geo-api", "2.4.0"), port: 8080, cpuReq: "200m", memReq: "256Mi", memLim: "512Mi"})
	w := b.deployment("maps", "geo-api", 3, b.at(days(500)), spec)
	rev := w.revision(30, b.at(days(21)), nil)
	var victim *podPlan
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(21)-time.Duration(i)*time.Minute))
		p.ctr("geo").logs = quietStartup(b, zapStyle, "geo-api", "2.4.0")
		p.http = b.webTraffic("geo-api", 8080, 15, 0.02)
		if n == hot {
			victim = p
		}
	}
	evictAt := pressure.Add(70 * time.Second)
	victim.phase, victim.reason, victim.failedAt = "Failed", "Evicted", evictAt
	victim.message = "The node was low on resource: ephemeral-storage. Threshold quantity: 8161506304, available: 7012860Ki. "
	c := victim.ctr("geo")
	c.runs[0].end, c.runs[0].reason, c.runs[0].exit = evictAt, "Error", 137
	victim.kubeletEvent("Warning", "Evicted", victim.message, "", evictAt)
	repl := rev.pod(nodes[1], evictAt.Add(time.Second))
	repl.ctr("geo").logs = quietStartup(b, zapStyle, "geo-api", "2.4.0")
	bspec := b.podSpec("tile-rebuild", ctrSpec{name: "rebuild", image: b.ecr("maps/tile-rebuild", "0.3.0"), cpuReq: "500m", memReq: "512Mi", env: []string{"LOG_LEVEL", "trace"}})
	bw := b.deployment("maps", "tile-rebuild", 1, b.at(days(2)), bspec)
	bp := bw.revision(3, b.at(days(2)), nil).pod(hot, b.at(3*time.Hour))
	bp.ctr("rebuild").logs = func(r run, _ int, emit func(time.Time, string)) {
		every(b, r, 0, 2*time.Second, emit, func(t time.Time, k int) string {
			return logfmt(t, "trace", "tile written", "z", 14, "x", 8000+k, "y", 5400+k%100, "bytes", 18000+k%5000)
		})
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      podAlert("KubePodNotReady", "maps", victim.name, "", "warning"),
		summary:     "Pod has been in a non-ready state for more than 15 minutes.",
		description: fmt.Sprintf("Pod maps/%s has been in a non-ready state for longer than 15 minutes on cluster .", victim.name),
		runbook:     runbooks + "kubepodnotready",
		startsAt:    b.at(time.Minute),
		query:       `sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown|Failed"})) > 0`,
		value:       1,
	})
	b.expect("NodePressure", "", "Node", hot.name, "DiskPressure", "ephemeral-storage")
}

func zapStyle(t time.Time, level, msg string, kv ...any) string {
	return zapJSON(t, map[string]string{"INFO": "info", "WARN": "warn", "ERROR": "error"}[level], "server/main.go:88", msg, kv...)
}

// A nightly reindex Job outgrows its activeDeadlineSeconds and is killed.
func jobDeadlineExceeded(b *builder) {
	b.setup("2026-11-21T02:47:00Z", 50)
	b.describe(`The search-reindex Job has activeDeadlineSeconds 1800. The catalogue doubled and
the reindex now needs ~45 minutes; at 30 minutes the Job controller stops it
(DeadlineExceeded: "Job was active longer than specified deadline") and the pod is
terminated with exit code 143 before finishing.`)
	nodes := b.cluster(3, "m6i.xlarge", "batch")
	spec := b.podSpec("search-reindex", ctrSpec{name: "reindex", image: b.ecr("search/reindex", "2.0.4"), cpuReq: "1", memReq: "1Gi", memLim: "2Gi"})
	spec.RestartPolicy = corev1.RestartPolicyNever
	w := b.workload("Job", "search", "search-reindex-20261121", 1, b.at(32*time.Minute), spec)
	w.backoffLimit = 2
	p := jobAttempt(w, nodes[1], w.created, 30*time.Minute, 143, func(r run, _ int, emit func(time.Time, string)) {
		every(b, r, 2*time.Second, 30*time.Second, emit, func(t time.Time, k int) string {
			return slogJSON(t, "INFO", "reindex progress", "indexed", (k+1)*21000, "total", 1900000, "index", "products-v42")
		})
		t := b.beforeEnd(r, 50*time.Millisecond)
		emit(t, slogJSON(t, "WARN", "received SIGTERM, stopping at a batch boundary", "indexed", 1302000))
	})
	p.ctrs[0].runs[0].reason = "Error"
	deadline := p.failedAt
	w.failedAt = deadline
	b.event(w.ref(), "Warning", "DeadlineExceeded", "Job was active longer than specified deadline", "job-controller", "", deadline)
	p.kubeletEvent("Normal", "Killing", "Stopping container reindex", "spec.containers{reindex}", deadline.Add(-time.Second))
	w.deadline = true
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "KubeJobFailed", "namespace": "search", "job_name": w.name, "severity": "warning", "job": "kube-state-metrics", "condition": "true"},
		summary:     "Job failed to complete.",
		description: fmt.Sprintf("Job search/%s failed to complete. Removing failed job after investigation should clear this alert.", w.name),
		runbook:     runbooks + "kubejobfailed",
		startsAt:    b.at(time.Minute),
		query:       `kube_job_failed{job="kube-state-metrics"} > 0`,
		value:       1,
	})
	b.expect("JobFailure", "search", "Job", w.name, "DeadlineExceeded", "deadline")
}
