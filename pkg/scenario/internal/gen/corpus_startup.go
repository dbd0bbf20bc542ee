package main

import (
	"fmt"
	"strings"
	"time"
)

// startupScenarios: containers that cannot start or keep running.
func startupScenarios() []definition {
	return []definition{
		{"crashloop-caused-by-oom-report-worker", crashLoopCausedByOOM},
		{"crashloop-go-panic-ledger", crashLoopGoPanic},
		{"probe-slow-start-invoice-api", probeSlowStart},
		{"imagepull-tag-not-found-catalog", imagePullTagNotFound},
		{"config-missing-configmap-key-cart", configMissingKey},
	}
}

// The alert says CrashLoopBackOff, but every run ends OOMKilled: a pandas
// report worker loads a whole month of events into a 512Mi container.
func crashLoopCausedByOOM(b *builder) {
	b.setup("2026-11-12T07:41:30Z", 40)
	b.describe(`KubePodCrashLooping fires for report-worker in analytics. The container is in
CrashLoopBackOff, but its last terminations are OOMKilled (exit code 137): the worker
loads a month of events into memory and reaches its 512Mi limit. The symptom is the
crash loop, the cause is the memory limit.`)
	nodes := b.cluster(4, "r6i.large", "memory-optimized")
	spec := b.podSpec("report-worker", ctrSpec{name: "worker", image: b.ecr("analytics/report-worker", "2025.11.3"),
		cpuReq: "500m", memReq: "384Mi", cpuLim: "1", memLim: "512Mi",
		command: []string{"python", "-m", "reports.worker"}, env: []string{"REPORT_WINDOW_DAYS", "31", "PYTHONUNBUFFERED", "1"},
		secretEnv: []string{"report-worker-db"}})
	w := b.deployment("analytics", "report-worker", 1, b.at(days(120)), spec)
	rev := w.revision(12, b.at(days(16)), nil)
	p := rev.pod(nodes[1], b.at(days(2)+3*time.Hour))
	c := p.ctr("worker")
	c.crashLoop(b.at(47*time.Minute), 95*time.Second, run{reason: "OOMKilled", exit: 137}, 14)
	c.memGrowth(mi(140), mi(512), 95*time.Second)
	c.cpuUsage(constant(0.97))
	c.oomKills = true
	c.logs = func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 1200*time.Millisecond)
		emit(t, pyLog(t, "INFO", "reports.worker", "worker starting, window=31 days, batch_size=50000"))
		t = t.Add(800 * time.Millisecond)
		emit(t, pyLog(t, "INFO", "reports.db", "connected to reporting replica reporting-replica.analytics.svc.cluster.local:5432"))
		rows := 0
		every(b, r, 6*time.Second, 11*time.Second, emit, func(t time.Time, i int) string {
			rows += 50000
			return pyLog(t, "INFO", "reports.loader", fmt.Sprintf("loaded %d rows into dataframe (events_2026_10)", rows))
		})
	}
	crashLoopingAlert(b, p, "worker", b.at(19*time.Minute))
	b.expect("OOMKilled", "analytics", "Deployment", "report-worker", "512Mi", "report-worker", "OOMKilled")
}

// A nil map write in a message handler panics; the Go runtime exits 2.
func crashLoopGoPanic(b *builder) {
	b.setup("2026-11-15T22:07:10Z", 45)
	b.describe(`ledger-consumer panics on a message with an empty currency: "assignment to
entry in nil map" in the settlement handler. The Go runtime exits with code 2 and the
pod restarts in CrashLoopBackOff. Nothing was deployed recently; the poison message
keeps being redelivered.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("ledger", ctrSpec{name: "consumer", image: b.ecr("finance/ledger-consumer", "v3.8.0"), port: 9090, portName: "metrics",
		cpuReq: "100m", memReq: "96Mi", memLim: "256Mi", configMapEnv: []string{"ledger-consumer"},
		liveness: httpProbe("/healthz", 9090, 10, 10, 2, 3)})
	w := b.deployment("finance", "ledger-consumer", 2, b.at(days(200)), spec)
	rev := w.revision(23, b.at(days(11)), nil)
	var alertPod *podPlan
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(11)-time.Duration(i)*time.Minute))
		c := p.ctr("consumer")
		c.crashLoop(b.at(38*time.Minute-time.Duration(i)*50*time.Second), 14*time.Second, run{reason: "Error", exit: 2}, 0)
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			t := after(r, 150*time.Millisecond)
			emit(t, logfmt(t, "info", "starting ledger consumer", "version", "v3.8.0", "group", "ledger-settlement"))
			t = t.Add(2 * time.Second)
			emit(t, logfmt(t, "info", "joined consumer group", "topic", "payments.settled", "partitions", "0,3,5"))
			for k := 0; k < 3; k++ {
				t = t.Add(time.Duration(700+b.rng.IntN(900)) * time.Millisecond)
				emit(t, logfmt(t, "info", "settled payment", "payment_id", "pay_"+b.hex(12), "amount_minor", 1000+b.rng.IntN(90000), "currency", "EUR"))
			}
			t = b.beforeEnd(r, 80*time.Millisecond)
			emit(t, logfmt(t, "debug", "processing message", "offset", 88413207, "partition", 3, "key", "pay_9f1c02e7aa41"))
			emit(t.Add(time.Millisecond), goPanic("assignment to entry in nil map", []string{
				"github.com/acme/ledger/internal/settle.(*Handler).apply(0xc0001a4000, {0xc00041e0c0, 0x24}, 0x0)",
				"\t/src/internal/settle/handler.go:142 +0x2f4",
				"github.com/acme/ledger/internal/settle.(*Handler).Handle(0xc0001a4000, {0x1f3e6a0, 0xc0003b2f00}, 0xc000512000)",
				"\t/src/internal/settle/handler.go:88 +0x1c5",
				"github.com/acme/ledger/internal/consumer.(*Loop).Run(0xc000122240, {0x1f3e6a0, 0xc0003b2f00})",
				"\t/src/internal/consumer/loop.go:61 +0x2a6",
			}))
		}
		if i == 0 {
			alertPod = p
		}
	}
	b.configMap("finance", "ledger-consumer", b.at(days(30)), "KAFKA_BROKERS", "b-1.ledger.kafka.eu-west-1.amazonaws.com:9092,b-2.ledger.kafka.eu-west-1.amazonaws.com:9092", "LOG_FORMAT", "logfmt")
	crashLoopingAlert(b, alertPod, "consumer", b.at(21*time.Minute))
	b.expect("CrashLoop", "finance", "Deployment", "ledger-consumer", "nil map", "exit code 2", "ledger-consumer")
}

func goPanic(msg string, frames []string) string {
	return "panic: " + msg + "\n\ngoroutine 57 [running]:\n" + strings.Join(frames, "\n") +
		"\ncreated by github.com/acme/ledger/internal/consumer.Start in goroutine 1\n\t/src/internal/consumer/start.go:34 +0x1b8"
}

// A Spring Boot service needs ~75 s to start; the liveness probe starts after
// 20 s and allows 3 failures 10 s apart, so the kubelet kills it first.
func probeSlowStart(b *builder) {
	b.setup("2026-11-09T09:15:00Z", 40)
	b.describe(`invoice-api (Spring Boot) takes about 75 seconds to start since it began
warming a larger tenant cache. Its liveness probe (initialDelaySeconds 20, period 10,
failureThreshold 3) kills it before Tomcat listens, so it restarts forever with exit
code 143 and the deployment has no ready replica. There is no startupProbe.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	probe := httpProbe("/actuator/health/liveness", 8080, 20, 10, 1, 3)
	spec := b.podSpec("invoice-api", ctrSpec{name: "invoice-api", image: b.ecr("billing/invoice-api", "4.2.0"), port: 8080,
		cpuReq: "500m", memReq: "768Mi", cpuLim: "2", memLim: "1Gi", env: []string{"JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75", "SPRING_PROFILES_ACTIVE", "prod"},
		liveness: probe, readiness: httpProbe("/actuator/health/readiness", 8080, 20, 5, 1, 3)})
	w := b.deployment("billing", "invoice-api", 2, b.at(days(90)), spec)
	rev := w.revision(31, b.at(days(6)), nil)
	var alertPod *podPlan
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(34*time.Minute-time.Duration(i)*20*time.Second))
		c := p.ctr("invoice-api")
		c.crashLoop(c.runs[0].start, 51*time.Second, run{reason: "Error", exit: 143}, 0)
		c.cpuUsage(constant(1.6))
		ip := p.ip
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			t := after(r, 900*time.Millisecond)
			emit(t, springLog(t, "INFO", "invoice-api", "main", "c.a.billing.InvoiceApiApplication", "Starting InvoiceApiApplication v4.2.0 using Java 21.0.5 with PID 1"))
			t = t.Add(600 * time.Millisecond)
			emit(t, springLog(t, "INFO", "invoice-api", "main", "c.a.billing.InvoiceApiApplication", `The following 1 profile is active: "prod"`))
			t = t.Add(4 * time.Second)
			emit(t, springLog(t, "INFO", "invoice-api", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"))
			t = t.Add(3 * time.Second)
			emit(t, springLog(t, "INFO", "invoice-api", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."))
			every(b, r, 12*time.Second, 7*time.Second, emit, func(t time.Time, i int) string {
				return springLog(t, "INFO", "invoice-api", "main", "c.a.billing.cache.TenantCacheWarmer", fmt.Sprintf("warmed tenant cache %d/412", (i+1)*23))
			})
			if !r.end.IsZero() {
				t = b.beforeEnd(r, 400*time.Millisecond)
				emit(t, springLog(t, "INFO", "invoice-api", "SpringApplicationShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete"))
			}
		}
		for _, r := range c.runs {
			for k := 0; k < 3; k++ {
				at := r.start.Add(time.Duration(21+10*k) * time.Second)
				p.kubeletEvent("Warning", "Unhealthy", fmt.Sprintf("Liveness probe failed: Get \"http://%s:8080/actuator/health/liveness\": dial tcp %s:8080: connect: connection refused", ip, ip), "spec.containers{invoice-api}", at)
				p.kubeletEvent("Warning", "Unhealthy", fmt.Sprintf("Readiness probe failed: Get \"http://%s:8080/actuator/health/readiness\": dial tcp %s:8080: connect: connection refused", ip, ip), "spec.containers{invoice-api}", at.Add(2*time.Second))
			}
			if !r.end.IsZero() {
				p.kubeletEvent("Normal", "Killing", "Container invoice-api failed liveness probe, will be restarted", "spec.containers{invoice-api}", r.end.Add(-time.Second))
			}
		}
		if i == 0 {
			alertPod = p
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "billing", "deployment": "invoice-api", "severity": "warning", "job": "kube-state-metrics"},
		summary:     "Deployment has not matched the expected number of replicas.",
		description: "Deployment billing/invoice-api has not matched the expected number of replicas for longer than 15 minutes.",
		runbook:     runbooks + "kubedeploymentreplicasmismatch",
		startsAt:    b.at(16 * time.Minute),
		query:       `(kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}) and (changes(kube_deployment_status_replicas_updated{job="kube-state-metrics"}[10m]) == 0)`,
		value:       2,
	})
	_ = alertPod
	b.expect("ProbeFailure", "billing", "Deployment", "invoice-api", "liveness", "invoice-api", "/actuator/health/liveness")
}

// A rollout references a tag that CI never pushed.
func imagePullTagNotFound(b *builder) {
	b.setup("2026-11-20T16:48:00Z", 35)
	b.describe(`The catalog deployment was updated to image tag 2.31.0, which the build
pipeline never pushed to ECR. The new pod is stuck in ImagePullBackOff ("not found");
the two old pods keep serving, so the rollout is stuck and the deployment is one pod short.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("catalog", ctrSpec{name: "catalog", image: b.ecr("storefront/catalog", "2.30.4"), port: 8000,
		cpuReq: "200m", memReq: "256Mi", memLim: "512Mi", readiness: httpProbe("/health", 8000, 5, 10, 2, 3)})
	w := b.deployment("storefront", "catalog", 3, b.at(days(300)), spec)
	old := w.revision(57, b.at(days(12)), nil)
	newImage := b.ecr("storefront/catalog", "2.31.0")
	cur := w.revision(58, b.at(24*time.Minute), withImage("catalog", newImage))
	cur.changeCause = "deploy catalog 2.31.0 (pipeline #8812)"
	for i, n := range nodes[:2] {
		p := old.pod(n, b.at(days(12)-time.Duration(i)*time.Minute))
		p.ctr("catalog").logs = quietStartup(b, slogStyle, "catalog", "2.30.4")
		p.http = b.webTraffic("catalog", 8000, 31, 0.012)
	}
	p := cur.pod(nodes[2], b.at(24*time.Minute-2*time.Second))
	c := p.ctr("catalog")
	c.runs = nil
	c.waiting = "ImagePullBackOff"
	c.waitMsg = fmt.Sprintf("Back-off pulling image %q", newImage)
	field := "spec.containers{catalog}"
	notFound := fmt.Sprintf("Failed to pull image %q: rpc error: code = NotFound desc = failed to pull and unpack image %q: failed to resolve reference %q: %s: not found",
		newImage, newImage, newImage, newImage)
	for t := p.scheduled.Add(2 * time.Second); t.Before(b.now); t = t.Add(5 * time.Minute) {
		p.kubeletEvent("Normal", "Pulling", fmt.Sprintf("Pulling image %q", newImage), field, t)
		p.kubeletEvent("Warning", "Failed", notFound, field, t.Add(600*time.Millisecond))
		p.kubeletEvent("Warning", "Failed", "Error: ErrImagePull", field, t.Add(601*time.Millisecond))
	}
	b.repeat(p.entityRef(), "Normal", "BackOff", fmt.Sprintf("Back-off pulling image %q", newImage), "kubelet", nodes[2].name, p.scheduled.Add(20*time.Second), b.now, 20*time.Second)
	b.repeat(p.entityRef(), "Warning", "Failed", "Error: ImagePullBackOff", "kubelet", nodes[2].name, p.scheduled.Add(20*time.Second), b.now, 20*time.Second)
	b.schedulerEvent(p, "Normal", "Scheduled", "Binding", fmt.Sprintf("Successfully assigned storefront/%s to %s", p.name, nodes[2].name), p.scheduled, p.scheduled, 1)
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 1", cur.name), "deployment-controller", "", cur.created)
	b.service(w, 80, 8000)
	b.alert(alertSpec{
		labels:      podAlert("KubeContainerWaiting", "storefront", p.name, "catalog", "warning"),
		summary:     "Pod container waiting longer than 1 hour",
		description: fmt.Sprintf("pod/%s in namespace storefront on container catalog has been in waiting state for longer than 1 hour. (reason: \"ImagePullBackOff\")", p.name),
		runbook:     runbooks + "kubecontainerwaiting",
		startsAt:    b.at(8 * time.Minute),
		query:       `sum by (namespace, pod, container, cluster) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`,
		value:       1,
	})
	b.expect("ImagePull", "storefront", "Deployment", "catalog", "2.31.0", "not found", "catalog")
}

// New pods of an HPA scale-up reference a ConfigMap key that was renamed.
func configMissingKey(b *builder) {
	b.setup("2026-11-04T19:03:00Z", 40)
	b.describe(`cart reads REDIS_URL from key "redis.url" of ConfigMap cart-config, which was
edited by hand and now has "redis_url" instead. Running pods are unaffected; the two pods
created by the HPA scale-up cannot start: CreateContainerConfigError.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("cart", ctrSpec{name: "cart", image: "ghcr.io/acme-shop/cart:5.0.7", port: 8080, cpuReq: "300m", memReq: "256Mi", memLim: "512Mi",
		configMapKeys: [][3]string{{"REDIS_URL", "cart-config", "redis.url"}, {"CART_TTL", "cart-config", "cart.ttl"}},
		readiness:     httpProbe("/ready", 8080, 3, 5, 1, 3), liveness: httpProbe("/live", 8080, 10, 10, 1, 3)})
	w := b.deployment("shop", "cart", 5, b.at(days(60)), spec)
	rev := w.revision(19, b.at(days(8)), nil)
	for i := 0; i < 3; i++ {
		p := rev.pod(nodes[i], b.at(days(8)-time.Duration(i)*time.Minute))
		p.ctr("cart").logs = quietStartup(b, logfmtStyle, "cart", "5.0.7")
		p.http = b.webTraffic("cart", 8080, 40, 0.02)
	}
	var alertPod *podPlan
	for i := 0; i < 2; i++ {
		p := rev.pod(nodes[i+1], b.at(27*time.Minute-time.Duration(i)*300*time.Millisecond))
		c := p.ctr("cart")
		c.runs = nil
		c.waiting = "CreateContainerConfigError"
		c.waitMsg = `couldn't find key redis.url in ConfigMap shop/cart-config`
		field := "spec.containers{cart}"
		p.kubeletEvent("Normal", "Pulled", `Container image "ghcr.io/acme-shop/cart:5.0.7" already present on machine`, field, p.scheduled.Add(time.Second))
		b.repeat(p.entityRef(), "Warning", "Failed", "Error: couldn't find key redis.url in ConfigMap shop/cart-config", "kubelet", p.node.name, p.scheduled.Add(time.Second), b.now, 15*time.Second)
		b.repeat(p.entityRef(), "Normal", "Pulled", `Container image "ghcr.io/acme-shop/cart:5.0.7" already present on machine`, "kubelet", p.node.name, p.scheduled.Add(16*time.Second), b.now, 15*time.Second)
		b.schedulerEvent(p, "Normal", "Scheduled", "Binding", fmt.Sprintf("Successfully assigned shop/%s to %s", p.name, p.node.name), p.scheduled, p.scheduled, 1)
		if i == 0 {
			alertPod = p
		}
	}
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 3 to 5", rev.name), "deployment-controller", "", b.at(27*time.Minute))
	b.configMap("shop", "cart-config", b.at(days(60)), "redis_url", "redis://cart-redis.shop.svc.cluster.local:6379/0", "cart.ttl", "72h")
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      podAlert("KubePodNotReady", "shop", alertPod.name, "", "warning"),
		summary:     "Pod has been in a non-ready state for more than 15 minutes.",
		description: fmt.Sprintf("Pod shop/%s has been in a non-ready state for longer than 15 minutes on cluster .", alertPod.name),
		runbook:     runbooks + "kubepodnotready",
		startsAt:    b.at(12 * time.Minute),
		query:       `sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown|Failed"}) * on (namespace, pod, cluster) group_left (owner_kind) topk by (namespace, pod, cluster) (1, max by (namespace, pod, owner_kind, cluster) (kube_pod_owner{owner_kind!="Job"}))) > 0`,
		value:       1,
	})
	b.expect("ConfigError", "shop", "Deployment", "cart", "redis.url", "cart-config")
}
