package main

import "time"

var (
	_ = register(sidekiqFragmentationOOM)
	_ = register(beamMailboxOOM)
	_ = register(cppSegfaultNoLogs)
	_ = register(rustConsumerPoisonRecord)
	_ = register(phoenixProbeWrongPort)
	_ = register(newNodeMissingRegistryCA)
	_ = register(harborRobotTokenExpired)
	_ = register(vaultRoleMissingServiceAccount)
)

func sidekiqFragmentationOOM() *scene {
	s := newScene("h7-sidekiq-invoice-worker-oomkilled-heap-fragmentation", "2026-11-24T09:40:00Z")
	s.description = `The Sidekiq worker sidekiq-invoices (Rails 7.1, Ruby 3.3 on glibc malloc) renders invoice PDFs.
Its resident set climbs steadily after every start and the kernel kills it at the 1536Mi limit (OOMKilled, exit 137);
the pod has restarted 7 times. Ruby's own heap (GC.stat) is flat: this is allocator fragmentation, fixed by jemalloc
or MALLOC_ARENA_MAX=2, not a leak in job code. A Redis deprecation warning in the log is noise.`
	s.source = "https://useo.tech/anti-patterns/sidekiq-memory-bloat/"
	s.workers()
	w := s.deployment("billing", "sidekiq-invoices", 2, 60*day, nil)
	c := ctr{name: "sidekiq", image: "harbor.dc1.internal/billing/invoicing:2026.11.18-3f9c2e1", cpuReq: "500m", cpuLim: "2",
		memReq: "1Gi", memLim: "1536Mi", args: []string{"bundle", "exec", "sidekiq", "-C", "config/sidekiq.yml"},
		env: []any{envVar("RAILS_ENV", "production"), envVar("SIDEKIQ_CONCURRENCY", "10")}}
	r := w.rev("6d8f9c7b54", "2026.11.18", 6*day, 2, c)
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 40*minute)}, 1)
	bad := w.pod(r, "x7kqp", r2n04, 6*day, s.crashLoop(7, "2m40s", s.term("OOMKilled", 137, 19*minute, 3*minute)))
	good := w.pod(r, "m2t9w", r3n02, 6*day, s.running(2*hour))
	s.podEvent("billing", bad, "Warning", "BackOff", "Back-off restarting failed container sidekiq in pod "+bad+"_billing("+uidOf(s.find("Pod", "billing", bad))+")", 19, 95*minute, 1*minute)
	s.podEvent("billing", bad, "Normal", "Pulled", `Container image "harbor.dc1.internal/billing/invoicing:2026.11.18-3f9c2e1" already present on machine`, 8, 6*day, 3*minute)
	jobLines := repeat(40, "{ts} pid=1 tid=2k1s class=InvoicePdfJob jid=b4c1{i}e9a0f3 elapsed=4.12 INFO: done")
	s.logLines("billing", bad, "sidekiq", true, 19*minute, 20*second, join(
		[]string{"{ts} pid=1 tid=2jzd INFO: Booted Rails 7.1.4 application in production environment",
			"{ts} pid=1 tid=2jzd INFO: Running in ruby 3.3.5 (2024-09-03 revision ef084cc8f4) [x86_64-linux]",
			"{ts} pid=1 tid=2jzd INFO: Sidekiq 7.3.2 connecting to Redis with options {:size=>12, :pool_name=>\"internal\", :url=>\"redis://redis-jobs.billing.svc:6379/2\"}",
			"{ts} pid=1 tid=2jzd WARN: `config.redis = { network_timeout: 3 }` is deprecated, use `timeout:` instead",
			"{ts} pid=1 tid=2jzd INFO: Starting processing, hit Ctrl-C to stop"},
		jobLines[:25],
		[]string{"{ts} pid=1 tid=2k5f class=InvoicePdfJob jid=77a0c2e19b4d INFO: start"})...)
	s.logLines("billing", bad, "sidekiq", false, 2*minute, 5*second,
		"{ts} pid=1 tid=2jzd INFO: Booted Rails 7.1.4 application in production environment",
		"{ts} pid=1 tid=2jzd INFO: Sidekiq 7.3.2 connecting to Redis with options {:size=>12, :pool_name=>\"internal\", :url=>\"redis://redis-jobs.billing.svc:6379/2\"}",
		"{ts} pid=1 tid=2jzd WARN: `config.redis = { network_timeout: 3 }` is deprecated, use `timeout:` instead")
	s.logLines("billing", good, "sidekiq", false, 4*minute, 6*second, jobLines[25:]...)
	node := map[string]string{bad: r2n04, good: r3n02}
	for _, p := range []string{bad, good} {
		lo, hi := mi(700), mi(1536)
		f := sawtooth(lo, hi, 2)
		if p == good {
			f = ramp(mi(1180), mi(1260))
		}
		s.metric("container_memory_working_set_bytes", "gauge", cad("billing", p, "sidekiq", node[p]), f)
		s.metric("kube_pod_container_resource_limits", "gauge", ksm(map[string]string{"namespace": "billing", "pod": p, "container": "sidekiq", "resource": "memory", "unit": "byte", "node": node[p]}), flat(mi(1536)))
	}
	s.restarts("billing", bad, "sidekiq", 5, 7)
	s.crashLoopAlert("billing", bad, "sidekiq", 12*minute)
	s.want("OOMKilled", "billing", "Deployment", "sidekiq-invoices", "OOMKilled", "1536Mi")
	return s
}

func beamMailboxOOM() *scene {
	s := newScene("h7-phoenix-presence-hub-oomkilled-mailbox-growth", "2026-11-25T14:05:00Z")
	s.description = `presence-hub (Elixir 1.17 / Phoenix 1.7 channels) is OOMKilled at its 2Gi limit every few minutes since
a client release began sending typing events 10x more often: one PresenceHub.Tracker GenServer's mailbox grows
unbounded and the BEAM is killed with no stack trace. At the same time an unrelated presence-admin canary has a
wrong image tag (ImagePullBackOff) in the same namespace: a second, smaller problem.`
	s.source = "https://elixirforum.com/t/k8s-oomkilled-pods/39969"
	s.workers()
	w := s.deployment("realtime", "presence-hub", 3, 120*day, nil)
	c := ctr{name: "presence-hub", image: "harbor.dc1.internal/realtime/presence-hub:1.31.0", cpuReq: "1", cpuLim: "2", memReq: "2Gi", memLim: "2Gi", port: 4000,
		env: []any{envVar("PHX_SERVER", "true"), envVar("RELEASE_COOKIE_FILE", "/etc/erlang/cookie")}}
	r := w.rev("7c9d4b6f8", "1.31.0", 9*day, 3, c)
	w.status([]any{s.depCond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", 8*minute)}, 1)
	var pods []string
	for i, n := range []string{r1n03, r2n06, r3n07} {
		suffix := []string{"q8vzn", "4hkcd", "wp2mf"}[i]
		st := s.crashLoop(4+i, "1m20s", s.term("OOMKilled", 137, time.Duration(6+i)*minute, time.Duration(2+i)*minute))
		if i == 0 {
			st = s.runningUnready(70*second, 6, s.term("OOMKilled", 137, 9*minute, 75*second))
			st.ready = true
		}
		pods = append(pods, w.pod(r, suffix, n, 9*day, st))
	}
	for i, p := range pods {
		s.podEvent("realtime", p, "Warning", "BackOff", "Back-off restarting failed container presence-hub in pod "+p+"_realtime("+uidOf(s.find("Pod", "realtime", p))+")", 6+i, 40*minute, 2*minute)
	}
	lines := func(extra ...string) []string {
		return append([]string{
			"{ex_ts} [info] Running PresenceHubWeb.Endpoint with Bandit 1.5.7 at :::4000 (http)",
			"{ex_ts} [info] Access PresenceHubWeb.Endpoint at https://presence.dc1.example.com",
			"{ex_ts} [info] CONNECTED TO Phoenix.LiveView.Socket in 41µs",
		}, extra...)
	}
	s.logLines("realtime", pods[1], "presence-hub", true, 7*minute, 12*second, lines(join(
		repeat(12, "{ex_ts} [info] JOINED presence:room:{i}8812 in 92µs"),
		[]string{"{ex_ts} [warning] PresenceHub.Tracker message_queue_len=184233 memory=1.41GB",
			"{ex_ts} [warning] PresenceHub.Tracker message_queue_len=402917 memory=1.87GB"})...)...)
	s.logLines("realtime", pods[0], "presence-hub", false, 60*second, 9*second, lines(
		"{ex_ts} [warning] PresenceHub.Tracker message_queue_len=96410 memory=0.74GB")...)
	admin := s.deployment("realtime", "presence-admin", 1, 30*day, nil)
	oldA := admin.rev("5f6b8d9c7", "0.9.4", 30*day, 1, ctr{name: "admin", image: "harbor.dc1.internal/realtime/presence-admin:0.9.4", cpuReq: "100m", memReq: "256Mi", memLim: "256Mi", port: 4000})
	newA := admin.rev("8b7f5c6d9", "0.9.5", 25*minute, 1, ctr{name: "admin", image: "harbor.dc1.internal/realtime/presence-admin:0.9.5-rc", cpuReq: "100m", memReq: "256Mi", memLim: "256Mi", port: 4000})
	admin.status(nil, 1, 0)
	admin.pod(oldA, "c5n7x", r2n04, 30*day, s.running(30*day))
	ap := admin.pod(newA, "z9lqr", r3n02, 25*minute, waiting("ImagePullBackOff", `Back-off pulling image "harbor.dc1.internal/realtime/presence-admin:0.9.5-rc"`))
	s.podEvent("realtime", ap, "Warning", "Failed", `Failed to pull image "harbor.dc1.internal/realtime/presence-admin:0.9.5-rc": rpc error: code = NotFound desc = failed to pull and unpack image "harbor.dc1.internal/realtime/presence-admin:0.9.5-rc": failed to resolve reference "harbor.dc1.internal/realtime/presence-admin:0.9.5-rc": harbor.dc1.internal/realtime/presence-admin:0.9.5-rc: not found`, 7, 25*minute, 3*minute)
	nodes := []string{r1n03, r2n06, r3n07}
	for i, p := range pods {
		s.metric("container_memory_working_set_bytes", "gauge", cad("realtime", p, "presence-hub", nodes[i]), sawtooth(gi(0.3), gi(2), 2+i%2))
	}
	s.restarts("realtime", pods[1], "presence-hub", 3, 5)
	s.crashLoopAlert("realtime", pods[1], "presence-hub", 18*minute)
	s.want("OOMKilled", "realtime", "Deployment", "presence-hub", "OOMKilled", "mailbox")
	return s
}

func cppSegfaultNoLogs() *scene {
	s := newScene("h7-cpp-thumbnail-render-segfault-exit-139", "2026-11-26T03:22:00Z")
	s.description = `thumbnail-render (C++17, libvips) crashes with exit code 139 (SIGSEGV) a few seconds after start on every
replica; the process dies before flushing stdout, so there are no container logs, and no metrics were scraped for it.
Nothing changed in its Deployment for 12 days; the crash follows a corrupt source image that every replica picks first
from the shared work queue. The evidence is the termination state only: exit code 139, reason Error.`
	s.source = "https://cast.ai/blog/kubernetes-exit-codes"
	s.workers()
	w := s.deployment("media", "thumbnail-render", 2, 200*day, nil)
	c := ctr{name: "render", image: "harbor.dc1.internal/media/thumbnail-render:4.7.2", cpuReq: "1", cpuLim: "4", memReq: "1Gi", memLim: "3Gi",
		env: []any{envVar("QUEUE_URL", "amqp://rabbitmq.media.svc:5672/render")}}
	r := w.rev("5b9c8d7f6", "4.7.2", 12*day, 2, c)
	w.status([]any{s.depCond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", 26*minute)}, 0)
	a := w.pod(r, "k2pzs", r1n05, 12*day, s.crashLoop(9, "5m0s", s.term("Error", 139, 4*minute, 4*minute-6*second)))
	b := w.pod(r, "t8mcv", r3n02, 12*day, s.crashLoop(8, "5m0s", s.term("Error", 139, 2*minute, 2*minute-5*second)))
	for _, p := range []string{a, b} {
		s.podEvent("media", p, "Warning", "BackOff", "Back-off restarting failed container render in pod "+p+"_media("+uidOf(s.find("Pod", "media", p))+")", 31, 35*minute, 1*minute)
	}
	s.podEvent("media", a, "Normal", "Pulled", `Container image "harbor.dc1.internal/media/thumbnail-render:4.7.2" already present on machine`, 9, 12*day, 4*minute)
	s.crashLoopAlert("media", a, "render", 25*minute)
	s.want("CrashLoop", "media", "Deployment", "thumbnail-render", "139")
	return s
}

func rustConsumerPoisonRecord() *scene {
	s := newScene("h7-rust-ledger-projector-panics-on-poison-record", "2026-11-27T11:15:00Z")
	s.description = `ledger-projector (Rust, rdkafka + serde_json) consumes ledger.postings from the Strimzi cluster. A producer
wrote one record with "amount": null at partition 3 offset 8812044; the consumer unwraps the decode error, panics and
exits 101, restarts, re-reads the same uncommitted offset and panics again. Consumer lag on partition 3 grows; the other
partitions are fine. The Kafka brokers are healthy (a broker leader election message in the log is routine).`
	s.source = "https://randomwits.com/blog/handling-kafka-poison-pills-reactive-spring-boot-applications"
	s.workers()
	w := s.deployment("ledger", "ledger-projector", 1, 90*day, nil)
	c := ctr{name: "projector", image: "harbor.dc1.internal/ledger/ledger-projector:0.18.3", cpuReq: "250m", cpuLim: "1", memReq: "256Mi", memLim: "512Mi",
		env: []any{envVar("KAFKA_BROKERS", "events-kafka-bootstrap.kafka.svc:9093"), envVar("RUST_LOG", "info,rdkafka=warn")}}
	r := w.rev("84d7c9f5b", "0.18.3", 20*day, 1, c)
	w.status([]any{s.depCond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", 30*minute)}, 0)
	p := w.pod(r, "g6w2d", r2n06, 20*day, s.crashLoop(11, "5m0s", s.term("Error", 101, 3*minute, 3*minute-8*second)))
	s.podEvent("ledger", p, "Warning", "BackOff", "Back-off restarting failed container projector in pod "+p+"_ledger("+uidOf(s.find("Pod", "ledger", p))+")", 44, 50*minute, 40*second)
	s.logLines("ledger", p, "projector", true, 3*minute, 700*1e6,
		`{ts}  INFO ledger_projector: starting version="0.18.3" group.id="ledger-projector" topics=["ledger.postings"]`,
		`{ts}  INFO ledger_projector::consumer: partitions assigned partitions=[0, 1, 2, 3, 4, 5]`,
		`{ts}  WARN rdkafka::client: librdkafka: METADATA [thrd:main]: Partition ledger.postings [3] leader changed from 2 to 0`,
		`{ts}  INFO ledger_projector::consumer: resuming partition=3 offset=8812044`,
		`thread 'tokio-runtime-worker' panicked at src/consumer.rs:142:58:`,
		`called `+"`Result::unwrap()`"+` on an `+"`Err`"+` value: Error("invalid type: null, expected f64", line: 1, column: 58)`,
		`note: run with `+"`RUST_BACKTRACE=1`"+` environment variable to display a backtrace`)
	s.metric("kafka_consumergroup_lag", "gauge", map[string]string{"consumergroup": "ledger-projector", "topic": "ledger.postings", "partition": "3", "job": "kafka-exporter", "namespace": "kafka"}, ramp(41200, 58900))
	s.metric("kafka_consumergroup_lag", "gauge", map[string]string{"consumergroup": "ledger-projector", "topic": "ledger.postings", "partition": "1", "job": "kafka-exporter", "namespace": "kafka"}, flat(0))
	s.restarts("ledger", p, "projector", 9, 11)
	s.crashLoopAlert("ledger", p, "projector", 28*minute)
	s.want("CrashLoop", "ledger", "Deployment", "ledger-projector", "8812044", "panicked")
	return s
}

func phoenixProbeWrongPort() *scene {
	s := newScene("h7-phoenix-accounts-web-liveness-probe-wrong-port", "2026-11-28T10:30:00Z")
	s.description = `accounts-web (Phoenix 1.7) was deployed for the first time 25 minutes ago. The release listens on port
4000 (PORT=4000), but the chart's liveness and readiness probes target 8080, copied from the Go service template.
Every probe gets "connection refused", the kubelet kills the container after three failures, and the app log shows a
clean boot followed by SIGTERM. The application itself is healthy.`
	s.source = "https://kubernetesinterviewquestions.com/errors/liveness-probe-failed"
	s.workers()
	w := s.deployment("identity", "accounts-web", 2, 25*minute, nil)
	c := ctr{name: "web", image: "harbor.dc1.internal/identity/accounts-web:1.0.0", cpuReq: "250m", cpuLim: "1", memReq: "512Mi", memLim: "512Mi", port: 4000,
		env:       []any{envVar("PORT", "4000"), envVar("PHX_HOST", "accounts.dc1.example.com")},
		liveness:  httpProbe("/healthz", 8080, 1, 10, 3),
		readiness: httpProbe("/healthz", 8080, 1, 5, 3)}
	r := w.rev("66c8b7d9f", "1.0.0", 25*minute, 2, c)
	w.status([]any{s.depCond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", 25*minute)}, 0)
	var pods []string
	for i, n := range []string{r1n05, r3n07} {
		p := w.pod(r, []string{"h4xlm", "b7rkt"}[i], n, 25*minute,
			s.runningUnready(time.Duration(20+i*15)*second, 6+i, s.term("Error", 143, 70*second, 25*second)))
		pods = append(pods, p)
		ip := podIP(p)
		s.podEvent("identity", p, "Warning", "Unhealthy", `Liveness probe failed: Get "http://`+ip+`:8080/healthz": dial tcp `+ip+`:8080: connect: connection refused`, 21+i, 24*minute, 10*second)
		s.podEvent("identity", p, "Warning", "Unhealthy", `Readiness probe failed: Get "http://`+ip+`:8080/healthz": dial tcp `+ip+`:8080: connect: connection refused`, 40+i, 24*minute, 5*second)
		s.podEvent("identity", p, "Normal", "Killing", "Container web failed liveness probe, will be restarted", 6+i, 23*minute, 30*second)
	}
	s.logLines("identity", pods[0], "web", true, 70*second, 3*second,
		"{ex_ts} [info] Migrations already up",
		"{ex_ts} [info] Running AccountsWeb.Endpoint with Bandit 1.5.7 at :::4000 (http)",
		"{ex_ts} [info] Access AccountsWeb.Endpoint at https://accounts.dc1.example.com",
		"{ex_ts} [notice] SIGTERM received - shutting down")
	s.logLines("identity", pods[0], "web", false, 20*second, 3*second,
		"{ex_ts} [info] Migrations already up",
		"{ex_ts} [info] Running AccountsWeb.Endpoint with Bandit 1.5.7 at :::4000 (http)")
	s.restarts("identity", pods[0], "web", 3, 6)
	s.metric("kube_deployment_status_replicas_available", "gauge", ksm(map[string]string{"namespace": "identity", "deployment": "accounts-web"}), flat(0))
	s.replicasMismatchAlert("identity", "accounts-web", 9*minute, 2)
	s.want("ProbeFailure", "identity", "Deployment", "accounts-web", "8080", "4000")
	return s
}

func newNodeMissingRegistryCA() *scene {
	s := newScene("h7-new-node-missing-internal-ca-harbor-x509", "2026-11-29T08:50:00Z")
	s.description = `node-r4-02 joined dc1-prod this morning from a new PXE image that lacks the internal CA bundle under
/etc/containerd/certs.d/harbor.dc1.internal. Every pod scheduled there fails to pull from Harbor with "x509: certificate
signed by unknown authority"; the same image runs fine on the other nodes. The alerted pod belongs to a healthy
Deployment; the node is the responsible object.`
	s.source = "https://github.com/goharbor/harbor/issues/5066"
	s.workers()
	s.node(r4n02, nil)
	w := s.deployment("search", "suggest-api", 4, 80*day, nil)
	c := ctr{name: "api", image: "harbor.dc1.internal/search/suggest-api:2.3.1", cpuReq: "500m", cpuLim: "1", memReq: "512Mi", memLim: "1Gi", port: 8080}
	r := w.rev("7f4c9d8b6", "2.3.1", 15*day, 4, c)
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 15*day)}, 3)
	for i, n := range []string{r1n03, r2n06, r3n02} {
		w.pod(r, []string{"d9v2k", "p3nsz", "l8fqm"}[i], n, 15*day, s.running(15*day))
	}
	msg := `Failed to pull image "harbor.dc1.internal/search/suggest-api:2.3.1": rpc error: code = Unknown desc = failed to pull and unpack image "harbor.dc1.internal/search/suggest-api:2.3.1": failed to resolve reference "harbor.dc1.internal/search/suggest-api:2.3.1": failed to do request: Head "https://harbor.dc1.internal/v2/search/suggest-api/manifests/2.3.1": tls: failed to verify certificate: x509: certificate signed by unknown authority`
	p := w.pod(r, "w5jhc", r4n02, 38*minute, waiting("ImagePullBackOff", `Back-off pulling image "harbor.dc1.internal/search/suggest-api:2.3.1"`))
	s.podEvent("search", p, "Warning", "Failed", msg, 11, 37*minute, 2*minute)
	s.podEvent("search", p, "Warning", "Failed", "Error: ErrImagePull", 11, 37*minute, 2*minute)
	s.podEvent("search", p, "Normal", "BackOff", `Back-off pulling image "harbor.dc1.internal/search/suggest-api:2.3.1"`, 150, 37*minute, 20*second)
	ds := s.daemonSet("monitoring", "kube-prometheus-stack-prometheus-node-exporter", 200*day, "1.8.2", obj{"hostNetwork": true},
		ctr{name: "node-exporter", image: "harbor.dc1.internal/mirror/prometheus/node-exporter:v1.8.2", cpuReq: "50m", memReq: "64Mi", memLim: "128Mi", port: 9100})
	ne := ds.pod(nil, "7txbq", r4n02, 41*minute, waiting("ImagePullBackOff", `Back-off pulling image "harbor.dc1.internal/mirror/prometheus/node-exporter:v1.8.2"`))
	s.podEvent("monitoring", ne, "Warning", "Failed", `Failed to pull image "harbor.dc1.internal/mirror/prometheus/node-exporter:v1.8.2": failed to do request: Head "https://harbor.dc1.internal/v2/mirror/prometheus/node-exporter/manifests/v1.8.2": tls: failed to verify certificate: x509: certificate signed by unknown authority`, 12, 40*minute, 3*minute)
	s.event("", "Node", r4n02, "Normal", "RegisteredNode", "Node "+r4n02+" event: Registered Node "+r4n02+" in Controller", 1, 45*minute, 45*minute, "node-controller", "")
	s.setAlert("KubeContainerWaiting", "warning", map[string]string{"namespace": "search", "pod": p, "container": "api", "job": "kube-state-metrics", "reason": "ImagePullBackOff"},
		"Pod container waiting longer than 1 hour",
		"pod/"+p+" in namespace search on container api has been in waiting state for longer than 1 hour.",
		`sum by (namespace, pod, container, cluster) (kube_pod_container_status_waiting_reason{job="kube-state-metrics",namespace=~".*"}) > 0`, 8*minute, 1)
	s.metric("kube_pod_container_status_waiting_reason", "gauge", ksm(map[string]string{"namespace": "search", "pod": p, "container": "api", "reason": "ImagePullBackOff"}), flat(1))
	s.want("ImagePull", "", "Node", r4n02, "x509", "node-r4-02")
	return s
}

func harborRobotTokenExpired() *scene {
	s := newScene("h7-harbor-robot-account-expired-rollout-401", "2026-11-30T13:10:00Z")
	s.description = `catalog-api 2.14.0 was rolled out 20 minutes ago. The new pod cannot pull its image: Harbor answers 401
Unauthorized because the project robot account robot$storefront+puller used by the imagePullSecret harbor-storefront
expired yesterday (30-day lifetime). Pods of 2.13.4 are still cached on their nodes and keep serving, so the rollout
is stuck with one pod in ImagePullBackOff.`
	s.source = "https://github.com/goharbor/harbor/issues/17811"
	s.workers()
	w := s.deployment("storefront", "catalog-api", 3, 300*day, obj{"imagePullSecrets": []any{obj{"name": "harbor-storefront"}}})
	mk := func(v string) ctr {
		return ctr{name: "api", image: "harbor.dc1.internal/storefront/catalog-api:" + v, cpuReq: "500m", cpuLim: "2", memReq: "512Mi", memLim: "1Gi", port: 8080}
	}
	old := w.rev("5d7b9c8f4", "2.13.4", 21*day, 3, mk("2.13.4"))
	cur := w.rev("9c4f7d6b8", "2.14.0", 20*minute, 1, mk("2.14.0"))
	w.status([]any{s.depCond("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "catalog-api-9c4f7d6b8" is progressing.`, 20*minute)}, 3, 0)
	for i, n := range []string{r1n03, r2n04, r3n07} {
		w.pod(old, []string{"f2kq8", "n6zvd", "s9tlw"}[i], n, 21*day, s.running(21*day))
	}
	p := w.pod(cur, "j3mxp", r2n06, 20*minute, waiting("ImagePullBackOff", `Back-off pulling image "harbor.dc1.internal/storefront/catalog-api:2.14.0"`))
	s.podEvent("storefront", p, "Warning", "Failed", `Failed to pull image "harbor.dc1.internal/storefront/catalog-api:2.14.0": rpc error: code = Unknown desc = failed to pull and unpack image "harbor.dc1.internal/storefront/catalog-api:2.14.0": failed to resolve reference "harbor.dc1.internal/storefront/catalog-api:2.14.0": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://harbor.dc1.internal/service/token?scope=repository%3Astorefront%2Fcatalog-api%3Apull&service=harbor-registry: 401 Unauthorized`, 9, 19*minute, 1*minute)
	s.podEvent("storefront", p, "Normal", "BackOff", `Back-off pulling image "harbor.dc1.internal/storefront/catalog-api:2.14.0"`, 70, 19*minute, 15*second)
	s.setAlert("KubeDeploymentRolloutStuck", "warning", map[string]string{"namespace": "storefront", "deployment": "catalog-api", "job": "kube-state-metrics"},
		"Deployment rollout is not progressing.", "Rollout of deployment storefront/catalog-api is not progressing for longer than 15 minutes.",
		`kube_deployment_status_condition{condition="Progressing",job="kube-state-metrics",namespace=~".*",status="false"} != 0`, 4*minute, 1)
	s.want("ImagePull", "storefront", "Deployment", "catalog-api", "401", "2.14.0")
	return s
}

func vaultRoleMissingServiceAccount() *scene {
	s := newScene("h7-vault-agent-init-permission-denied-renamed-serviceaccount", "2026-12-01T07:45:00Z")
	s.description = `refund-worker (Python 3.12) gets its database credentials from the Vault agent injector. Yesterday the
chart renamed its ServiceAccount from payments-refunds to refund-worker, but the Vault role payments-refunds still binds
bound_service_account_names=payments-refunds. Pods rescheduled this morning hang in Init: vault-agent-init logs
"permission denied" on auth/kubernetes/login forever. The Vault server and the injector are healthy; no metrics exist.`
	s.source = "https://github.com/hashicorp/vault-k8s/issues/308"
	s.workers()
	w := s.deployment("payments", "refund-worker", 2, 150*day, obj{"serviceAccountName": "refund-worker"})
	c := ctr{name: "worker", image: "harbor.dc1.internal/payments/refund-worker:3.2.0", cpuReq: "200m", cpuLim: "1", memReq: "384Mi", memLim: "512Mi",
		args: []string{"celery", "-A", "refunds", "worker", "-Q", "refunds", "--concurrency=4"}}
	r := w.rev("6b8d5f9c7", "3.2.0", 19*hour, 2, c)
	w.status([]any{s.depCond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", 40*minute)}, 0)
	init := ctr{name: "vault-agent-init", image: "hashicorp/vault:1.17.6", cpuReq: "250m", cpuLim: "500m", memReq: "64Mi", memLim: "128Mi"}
	for i, n := range []string{r1n05, r3n02} {
		p := w.pod(r, []string{"v7cbn", "q2hzt"}[i], n, 42*minute)
		s.initBlocked("payments", p, init, s.running(42*minute-5*second))
		s.find("Pod", "payments", p)["status"].(obj)["initContainerStatuses"].([]any)[0].(obj)["ready"] = false
		lines := []string{
			"==> Vault Agent started! Log data will stream in below:",
			"{ts} [INFO]  agent.sink.file: creating file sink",
			"{ts} [INFO]  agent.sink.file: file sink configured: path=/home/vault/.vault-token mode=-rw-r-----",
			"{ts} [INFO]  agent.auth.handler: starting auth handler",
			"{ts} [INFO]  agent.auth.handler: authenticating",
		}
		for j := 0; j < 12; j++ {
			lines = append(lines, "{ts} [ERROR] agent.auth.handler: error authenticating:",
				"  error=",
				"  | Error making API request.",
				"  | ",
				"  | URL: PUT https://vault.vault.svc:8200/v1/auth/kubernetes/login",
				"  | Code: 403. Errors:",
				"  | ",
				"  | * permission denied",
				"   backoff=4m35s",
				"{ts} [INFO]  agent.auth.handler: authenticating")
		}
		s.logLines("payments", p, "vault-agent-init", false, 41*minute, 15*second, lines...)
	}
	p0 := metaOf(s.objects[len(s.objects)-1])["name"].(string)
	s.event("payments", "ReplicaSet", "refund-worker-6b8d5f9c7", "Normal", "SuccessfulCreate", "Created pod: "+p0, 1, 42*minute, 42*minute, "replicaset-controller", "")
	s.podNotReadyAlert("payments", p0, 25*minute)
	s.want("ConfigError", "payments", "Deployment", "refund-worker", "permission denied", "payments-refunds")
	return s
}
