package main

import (
	"fmt"
	"math"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func trickyScenarios() []definition {
	return []definition{
		{"unknown-flapping-latency-alert", unknownFlapping},
		{"red-herring-noisy-warnings-hung-app", redHerringHungApp},
		{"two-problems-oom-and-pending-replica", twoProblems},
		{"sidecar-log-shipper-config-error", sidecarConfigError},
	}
}

// A p99 latency alert with a threshold at the edge of normal: it flaps while
// the service is healthy.
func unknownFlapping(b *builder) {
	b.setup("2026-11-10T21:05:00Z", 45)
	b.describe(`HighLatencyP99 for profile-api flaps: its 500ms threshold sits inside the
service's normal evening variance (p99 between ~0.4 and ~0.6 s). No errors, no
restarts, no events, no rollout, no saturation: the evidence supports no cause, and
the honest answer is Unknown (tune the alert).`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("profile-api", ctrSpec{name: "api", image: b.ecr("accounts/profile-api", "5.4.2"), port: 8080,
		cpuReq: "250m", memReq: "256Mi", memLim: "512Mi", readiness: httpProbe("/ready", 8080, 3, 10, 1, 3), liveness: httpProbe("/live", 8080, 10, 10, 1, 3)})
	w := b.deployment("accounts", "profile-api", 3, b.at(days(400)), spec)
	rev := w.revision(90, b.at(days(8)), nil)
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(8)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("profile-api", 8080, 30, 0.16, route{"GET", "/v1/profiles/{id}", 0.9}, route{"PUT", "/v1/profiles/{id}", 0.1})
		phase := float64(i)
		p.http.median = func(t time.Time) float64 {
			return 0.155 * (1 + 0.12*math.Sin(float64(t.Unix())/170+phase) + 0.05*math.Sin(float64(t.Unix())/41))
		}
		host := p.name
		p.ctr("api").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 4*time.Second, emit, func(t time.Time, k int) string {
				if k%9 == 0 {
					return pino(t, 40, host, "slow request", "responseTime", 520+b.rng.IntN(200), "route", "/v1/profiles/:id")
				}
				return pino(t, 30, host, "request completed", "res", map[string]any{"statusCode": 200}, "responseTime", 90+b.rng.IntN(250))
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighLatencyP99", "accounts", "profile-api", "warning"),
		summary:     "profile-api p99 latency above 500ms",
		description: "99th percentile latency of accounts/profile-api is 0.52s for 5 minutes.",
		startsAt:    b.at(3 * time.Minute),
		query:       latencyQuery,
		value:       0.52,
	})
	b.expect("Unknown", "accounts", "Deployment", "profile-api", "profile-api")
}

// Loud but harmless warnings (tracing exporter, deprecations, DNS config and
// HPA metric events) surround the real cause: the app deadlocks, its liveness
// probe times out and the kubelet kills it (exit 137 after the grace period,
// not an OOM).
func redHerringHungApp(b *builder) {
	b.setup("2026-11-15T04:26:00Z", 45)
	b.describe(`session-store deadlocks under a lock-ordering bug a few minutes after start: it
stops answering and its liveness probe times out; the kubelet kills it and, as the hung
process ignores SIGTERM, it ends with exit code 137 (reason Error, memory is low: not
an OOM). Around it is noise that explains nothing: the OpenTelemetry exporter cannot
reach its collector, deprecation warnings, DNSConfigForming and HPA
FailedGetResourceMetric events.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("session-store", ctrSpec{name: "session-store", image: b.ecr("identity/session-store", "2.7.5"), port: 8080,
		cpuReq: "200m", memReq: "256Mi", memLim: "512Mi", env: []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability.svc:4317"},
		liveness: httpProbe("/healthz", 8080, 10, 10, 2, 3), readiness: httpProbe("/readyz", 8080, 5, 5, 2, 3)})
	w := b.deployment("identity", "session-store", 2, b.at(days(170)), spec)
	rev := w.revision(19, b.at(days(10)), nil)
	var alertPod *podPlan
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(10)-time.Duration(i)*time.Minute))
		c := p.ctr("session-store")
		c.crashLoop(b.at(time.Duration(50-i*3)*time.Minute), time.Duration(4+i)*time.Minute+40*time.Second, run{reason: "Error", exit: 137}, 6)
		c.mem = func(t time.Time, r run) float64 { return mi(96) + mi(10)*math.Min(1, t.Sub(r.start).Minutes()/2) }
		p.http = b.webTraffic("session-store", 8080, 25, 0.004)
		ip := p.ip
		hang := func(r run) time.Time {
			if r.end.IsZero() {
				return b.now.Add(time.Hour)
			}
			return r.end.Add(-62 * time.Second)
		}
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			t := after(r, 200*time.Millisecond)
			emit(t, logfmt(t, "warning", "flag --redis-sentinel is deprecated and will be removed in 3.0, use --redis-url"))
			emit(t.Add(50*time.Millisecond), logfmt(t.Add(50*time.Millisecond), "info", "session-store listening", "addr", ":8080", "version", "2.7.5"))
			every(b, r, 5*time.Second, 5*time.Second, emit, func(t time.Time, k int) string {
				if t.After(hang(r)) {
					if k%3 == 0 {
						return logfmt(t, "warning", "traces export: context deadline exceeded: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 172.20.14.9:4317: connect: connection refused\"")
					}
					return ""
				}
				switch k % 4 {
				case 0:
					return logfmt(t, "warning", "traces export: context deadline exceeded: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 172.20.14.9:4317: connect: connection refused\"")
				case 1:
					return logfmt(t, "warning", "DEPRECATED: session cookie SameSite=None without Secure will be rejected by browsers")
				}
				return logfmt(t, "info", "session refreshed", "sid", b.hex(16), "ttl", "30m")
			})
			if !r.end.IsZero() {
				t := hang(r).Add(-200 * time.Millisecond)
				emit(t, logfmt(t, "debug", "acquiring shard lock", "shard", 7, "holder", "gc-sweeper"))
			}
		}
		for _, r := range c.runs {
			if r.end.IsZero() {
				continue
			}
			for k := 0; k < 3; k++ {
				at := r.end.Add(-time.Duration(60-k*10) * time.Second)
				p.kubeletEvent("Warning", "Unhealthy", fmt.Sprintf("Liveness probe failed: Get \"http://%s:8080/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", ip), "spec.containers{session-store}", at)
				p.kubeletEvent("Warning", "Unhealthy", fmt.Sprintf("Readiness probe failed: Get \"http://%s:8080/readyz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", ip), "spec.containers{session-store}", at.Add(2*time.Second))
			}
			p.kubeletEvent("Normal", "Killing", "Container session-store failed liveness probe, will be restarted", "spec.containers{session-store}", r.end.Add(-30*time.Second))
		}
		b.repeat(p.entityRef(), "Warning", "DNSConfigForming", "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.0.0.2 10.0.0.3 10.0.0.4", "kubelet", n.name, b.at(59*time.Minute), b.now, 2*time.Minute)
		if alertPod == nil {
			alertPod = p
		}
	}
	hpaRef := corev1.ObjectReference{Kind: "HorizontalPodAutoscaler", Namespace: "identity", Name: "session-store", UID: k8sUID(b.uid()), APIVersion: "autoscaling/v2"}
	b.repeat(hpaRef, "Warning", "FailedGetResourceMetric", "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API", "horizontal-pod-autoscaler", "", b.at(58*time.Minute), b.now, 3*time.Minute)
	b.service(w, 80, 8080)
	crashLoopingAlert(b, alertPod, "session-store", b.at(17*time.Minute))
	b.expect("ProbeFailure", "identity", "Deployment", "session-store", "liveness", "session-store")
}

// Two real problems: the worker is OOMKilled (the alert) and, unrelated, its
// third replica cannot be scheduled.
func twoProblems(b *builder) {
	b.setup("2026-11-20T11:48:00Z", 45)
	b.describe(`ingest-worker has two problems at once. Its running pods are OOMKilled every
few minutes at their 256Mi limit — that is what the crash-loop alert is about. Separately
a third replica added this morning is Pending for lack of CPU. The answer should be the
OOM, not the scheduling problem.`)
	nodes := b.cluster(3, "t3.medium", "small")
	spec := b.podSpec("ingest-worker", ctrSpec{name: "worker", image: "ghcr.io/acme-data/ingest-worker:0.42.0",
		cpuReq: "600m", memReq: "192Mi", memLim: "256Mi", env: []string{"BATCH_SIZE", "5000"}})
	w := b.deployment("data", "ingest-worker", 3, b.at(days(33)), spec)
	rev := w.revision(6, b.at(days(4)), nil)
	var alertPod *podPlan
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(4)-time.Duration(i)*time.Minute))
		c := p.ctr("worker")
		runFor := time.Duration(3+i) * time.Minute
		c.crashLoop(b.at(time.Duration(46-i*2)*time.Minute), runFor, run{reason: "OOMKilled", exit: 137}, 11)
		c.memGrowth(mi(70), mi(256), runFor)
		c.oomKills = true
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, time.Second, 10*time.Second, emit, func(t time.Time, k int) string {
				return zapJSON(t, "info", "ingest/batch.go:73", "batch buffered", "records", (k+1)*5000, "topic", "clickstream")
			})
		}
		if i == 0 {
			alertPod = p
		}
	}
	pending := rev.pod(nil, b.at(3*time.Hour))
	msg := "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
	pending.pending = msg
	b.schedulerEvent(pending, "Warning", "FailedScheduling", "Scheduling", msg, pending.created.Add(time.Second), b.at(4*time.Minute), 41)
	crashLoopingAlert(b, alertPod, "worker", b.at(16*time.Minute))
	b.expect("OOMKilled", "data", "Deployment", "ingest-worker", "256Mi", "OOMKilled")
}

// The main container is healthy; its fluent-bit sidecar crash-loops on a
// typo in its configuration.
func sidecarConfigError(b *builder) {
	b.setup("2026-11-04T10:30:00Z", 40)
	b.describe(`audit-api pods run the api container and a log-shipper sidecar (fluent-bit).
After an edit of ConfigMap audit-api-fluent-bit the sidecar fails to parse its
configuration ("section 'outputt' tried to instance a plugin name that doesn't exist")
and exits 1 at every start. The api container is fine; audit logs are not shipped.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("audit-api", ctrSpec{name: "api", image: b.ecr("compliance/audit-api", "1.22.0"), port: 8080,
		cpuReq: "200m", memReq: "256Mi", memLim: "512Mi", readiness: httpProbe("/ready", 8080, 3, 10, 1, 3),
		mounts: []corev1.VolumeMount{{Name: "logs", MountPath: "/var/log/audit"}}},
		ctrSpec{name: "log-shipper", image: "cr.fluentbit.io/fluent/fluent-bit:3.2.2", cpuReq: "20m", memReq: "32Mi", memLim: "64Mi",
			mounts: []corev1.VolumeMount{{Name: "logs", MountPath: "/var/log/audit", ReadOnly: true}, {Name: "fluent-bit-config", MountPath: "/fluent-bit/etc/"}}})
	spec.Volumes = []corev1.Volume{
		{Name: "logs", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		{Name: "fluent-bit-config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "audit-api-fluent-bit"}}}},
	}
	w := b.deployment("compliance", "audit-api", 2, b.at(days(220)), spec)
	rev := w.revision(13, b.at(days(1)+3*time.Hour), nil)
	var alertPod *podPlan
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(34*time.Minute-time.Duration(i)*10*time.Second))
		p.ctr("api").logs = quietStartup(b, slogStyle, "audit-api", "1.22.0")
		p.http = b.webTraffic("audit-api", 8080, 7, 0.02)
		c := p.ctr("log-shipper")
		c.crashLoop(c.runs[0].start, 150*time.Millisecond, run{reason: "Error", exit: 1}, 0)
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			t := after(r, 5*time.Millisecond)
			ts := "[" + t.UTC().Format("2006/01/02 15:04:05") + "] "
			emit(t, "Fluent Bit v3.2.2")
			emit(t.Add(time.Millisecond), "* Copyright (C) 2015-2024 The Fluent Bit Authors")
			emit(t.Add(3*time.Millisecond), ts+"[error] [config] section 'outputt' tried to instance a plugin name that doesn't exist")
			emit(t.Add(4*time.Millisecond), ts+"[error] configuration file contains errors, aborting.")
		}
		if i == 0 {
			alertPod = p
		}
	}
	b.configMap("compliance", "audit-api-fluent-bit", b.at(days(220)), "fluent-bit.conf",
		"[SERVICE]\n    Flush 5\n    Log_Level info\n\n[INPUT]\n    Name tail\n    Path /var/log/audit/*.log\n\n[OUTPUTT]\n    Name cloudwatch_logs\n    region eu-west-1\n    log_group_name /compliance/audit-api\n")
	b.service(w, 80, 8080)
	crashLoopingAlert(b, alertPod, "log-shipper", b.at(15*time.Minute))
	b.expect("ConfigError", "compliance", "Deployment", "audit-api", "log-shipper", "outputt")
}
