package main

import "fmt"

var (
	_ = register(kafkaBrokerVolumeFull)
	_ = register(railsTooManyClients)
	_ = register(corednsForwardLoop)
	_ = register(djangoReleaseMissingMigration)
	_ = register(cppReleaseIllegalInstruction)
	_ = register(expiredInternalServingCert)
	_ = register(strimziCARenewedStaleTruststore)
	_ = register(phoenixOnSaleTrafficSpike)
)

func kafkaBrokerVolumeFull() *scene {
	s := newScene("h7-strimzi-broker-volume-full-producers-fail", "2026-12-04T19:35:00Z")
	s.description = `order-events-consumer and the checkout producers fail with NOT_ENOUGH_REPLICAS because Kafka broker
events-broker-1 crashed: its 200Gi Ceph volume data-0-events-broker-1 is 100% full ("No space left on device") after
a topic was created with retention.ms=-1 and no retention.bytes. min.insync.replicas=2 of 3 cannot be met for the
partitions it led. Responsible: the broker's PersistentVolumeClaim. The consumer is a victim.`
	s.source = "https://github.com/strimzi/strimzi-kafka-operator/issues/4844"
	s.workers()
	kc := ctr{name: "kafka", image: "quay.io/strimzi/kafka:0.43.0-kafka-3.8.0", cpuReq: "2", cpuLim: "4", memReq: "8Gi", memLim: "8Gi", port: 9093}
	lb := func(i int) map[string]string {
		return map[string]string{"strimzi.io/cluster": "events", "strimzi.io/kind": "Kafka", "strimzi.io/name": "events-kafka",
			"strimzi.io/pool-name": "broker", "strimzi.io/broker-role": "true", "strimzi.io/pod-name": fmt.Sprintf("events-broker-%d", i)}
	}
	nodes := []string{r1n05, r2n04, r3n02}
	for i := 0; i < 3; i++ {
		st := s.running(50 * day)
		if i == 1 {
			st = s.crashLoop(6, "5m0s", s.term("Error", 1, 9*minute, 8*minute))
		}
		s.operatorPod("kafka", fmt.Sprintf("events-broker-%d", i), "core.strimzi.io/v1beta2", "StrimziPodSet", "events-broker", nodes[i], lb(i), 50*day, []ctr{kc}, st)
		s.pvc("kafka", fmt.Sprintf("data-0-events-broker-%d", i), "ceph-block", "200Gi", "Bound", 300*day, nil)
	}
	s.podEvent("kafka", "events-broker-1", "Warning", "BackOff", "Back-off restarting failed container kafka in pod events-broker-1_kafka("+uidOf(s.find("Pod", "kafka", "events-broker-1"))+")", 22, 40*minute, 1*minute)
	s.service("kafka", "events-kafka-bootstrap", map[string]string{"strimzi.io/cluster": "events", "strimzi.io/kind": "Kafka", "strimzi.io/name": "events-kafka"}, 9093, 9093, "")
	s.endpoints("kafka", "events-kafka-bootstrap", 9093, []string{"events-broker-0", "events-broker-2"}, []string{"events-broker-1"})
	w := s.deployment("fulfillment", "order-events-consumer", 2, 200*day, nil)
	r := w.rev("7b5d9c6f8", "1.12.0", 12*day, 2, ctr{name: "consumer", image: "harbor.dc1.internal/fulfillment/order-events-consumer:1.12.0", cpuReq: "250m", cpuLim: "1", memReq: "256Mi", memLim: "512Mi"})
	w.status(nil, 2)
	cp := w.pod(r, "d4wks", r2n06, 12*day, s.running(12*day))
	w.pod(r, "h9pzm", r3n07, 12*day, s.running(12*day))
	s.logLines("fulfillment", cp, "consumer", false, 5*minute, 12*second, join(
		repeat(12, `{py_ts} ERROR order_events.publish: delivery failed topic=fulfillment.shipments partition={i} error=KafkaError{code=NOT_ENOUGH_REPLICAS,val=19,str="Broker: Not enough in-sync replicas"}`),
		[]string{`{py_ts} WARNING order_events.consume: commit failed: KafkaError{code=_TIMED_OUT,val=-185,str="Commit failed: Local: Timed out"}`},
		repeat(8, `{py_ts} ERROR order_events.publish: delivery failed topic=fulfillment.shipments partition=4 error=KafkaError{code=NOT_ENOUGH_REPLICAS,val=19,str="Broker: Not enough in-sync replicas"}`))...)
	for i := 0; i < 3; i++ {
		used := gi(131)
		if i == 1 {
			used = gi(200) - mi(2)
		}
		l := map[string]string{"namespace": "kafka", "persistentvolumeclaim": fmt.Sprintf("data-0-events-broker-%d", i), "job": "kubelet", "node": nodes[i], "metrics_path": "/metrics"}
		s.metric("kubelet_volume_stats_used_bytes", "gauge", l, flat(used))
		s.metric("kubelet_volume_stats_capacity_bytes", "gauge", l, flat(gi(200)))
	}
	s.metric("kafka_topic_partition_under_replicated_partition", "gauge", map[string]string{"topic": "fulfillment.shipments", "partition": "4", "job": "kafka-exporter", "namespace": "kafka"}, flat(1))
	s.setAlert("KafkaProducerErrors", "critical", map[string]string{"namespace": "fulfillment", "deployment": "order-events-consumer", "team": "fulfillment"},
		"order-events-consumer cannot publish to Kafka", "order-events-consumer delivery errors above 5/s for 5 minutes.",
		`sum(rate(kafka_producer_delivery_errors_total{namespace="fulfillment"}[5m])) > 5`, 14*minute, 11.4)
	s.want("ResourceExhaustion", "kafka", "PersistentVolumeClaim", "data-0-events-broker-1", "data-0-events-broker-1", "No space left on device")
	s.logLines("kafka", "events-broker-1", "kafka", true, 9*minute, 2*second,
		"STRIMZI_BROKER_ID=1",
		"Preparing truststore for replication listener",
		"{py_ts} INFO [LogLoader partition=fulfillment.shipments-4, dir=/var/lib/kafka/data-0/kafka-log1] Loading producer state till offset 48811927 with message format version 2 (kafka.log.UnifiedLog$) [log-recovery-/var/lib/kafka/data-0/kafka-log1]",
		"{py_ts} ERROR Error while writing to checkpoint file /var/lib/kafka/data-0/kafka-log1/audit.raw-2/leader-epoch-checkpoint (kafka.server.LogDirFailureChannel) [main]",
		"java.io.IOException: No space left on device",
		"\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)",
		"{py_ts} ERROR Shutdown broker because all log dirs in /var/lib/kafka/data-0/kafka-log1 have failed (kafka.log.LogManager) [LogDirFailureHandler]")
	return s
}

func railsTooManyClients() *scene {
	s := newScene("h7-rails-checkout-too-many-clients-after-scale-out", "2026-12-05T12:10:00Z")
	s.description = `checkout-web (Rails 7.1, Puma 2 workers x 5 threads, pool 10 per process) was scaled by its HPA from 6
to 14 replicas for a lunchtime promotion. 14 x 2 x 5 = 140 connections plus 24 from Sidekiq exceed max_connections=150
on shop-db (CloudNativePG, no PgBouncer). New Puma workers fail with "FATAL: sorry, too many clients already" and
requests 500. The database is otherwise healthy; the fix is a pooler or smaller pools, not a bigger database.`
	s.source = "https://useo.tech/anti-patterns/connection-pool-exhaustion/"
	s.workers()
	w := s.deployment("storefront", "checkout-web", 14, 500*day, nil)
	r := w.rev("8d6c5f7b9", "2026.12.03", 2*day, 14, ctr{name: "web", image: "harbor.dc1.internal/storefront/checkout-web:2026.12.03", cpuReq: "1", cpuLim: "2", memReq: "1Gi", memLim: "1536Mi", port: 3000,
		env: []any{envVar("WEB_CONCURRENCY", "2"), envVar("RAILS_MAX_THREADS", "5"), envVar("DATABASE_URL", "postgres://checkout@shop-db-rw.db.svc:5432/shop?pool=10")}})
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 2*day)}, 14)
	all := []string{r1n03, r1n05, r2n04, r2n06, r3n02, r3n07}
	var pods []string
	for i := 0; i < 14; i++ {
		age := 2 * day
		if i >= 6 {
			age = 24 * minute
		}
		pods = append(pods, w.pod(r, fmt.Sprintf("%c%c%dq%c", 'a'+i, 'k'+i%9, i%10, 'm'+i%7), all[i%6], age, s.running(age-20*second)))
	}
	s.hpa("storefront", w, 6, 20, 14, 14, 60, 71, []any{
		s.hpaCond("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", 9*minute),
		s.hpaCond("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)", 90*day),
		s.hpaCond("ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range", 9*minute)})
	s.event("storefront", "HorizontalPodAutoscaler", "checkout-web", "Normal", "SuccessfulRescale", "New size: 14; reason: cpu resource utilization (percentage of request) above target", 2, 24*minute, 20*minute, "horizontal-pod-autoscaler", "")
	s.logLines("storefront", pods[9], "web", false, 12*minute, 15*second, join(
		[]string{"[1] Puma starting in cluster mode...", "[1] * Puma version: 6.4.3 (ruby 3.3.5-p100) (\"The Eagle of Durango\")",
			"[1] *  Min threads: 5", "[1] *  Max threads: 5", "[1] *  Environment: production", "[1] *   Master PID: 1", "[1] *      Workers: 2",
			"[1] * Listening on http://0.0.0.0:3000"},
		repeat(14, `[{rails_ts} #14] ERROR -- : [req-{i}f8e2] ActiveRecord::ConnectionNotEstablished (connection to server at "shop-db-rw.db.svc" (10.96.41.17), port 5432 failed: FATAL:  sorry, too many clients already`),
		[]string{`[{rails_ts} #14]  INFO -- : [req-4a11] Completed 500 Internal Server Error in 5ms (ActiveRecord: 0.0ms | Allocations: 844)`})...)
	s.logLines("storefront", pods[0], "web", false, 3*minute, 20*second,
		`[{rails_ts} #7]  INFO -- : [req-8c2d] Completed 200 OK in 87ms (Views: 11.2ms | ActiveRecord: 31.0ms | Allocations: 40118)`,
		`[{rails_ts} #7]  INFO -- : [req-8c31] Completed 200 OK in 92ms (Views: 12.0ms | ActiveRecord: 33.4ms | Allocations: 41022)`)
	s.metric("cnpg_backends_total", "gauge", map[string]string{"namespace": "db", "pod": "shop-db-1", "datname": "shop", "usename": "checkout", "state": "idle"}, ramp(88, 126))
	s.metric("cnpg_pg_settings_setting", "gauge", map[string]string{"namespace": "db", "pod": "shop-db-1", "name": "max_connections"}, flat(150))
	s.metric("kube_horizontalpodautoscaler_status_current_replicas", "gauge", ksm(map[string]string{"namespace": "storefront", "horizontalpodautoscaler": "checkout-web"}), flat(14))
	s.metric("rails_requests", "counter", map[string]string{"namespace": "storefront", "job": "checkout-web", "status": "500"}, rate(800, 6.5))
	s.setAlert("CheckoutErrorRateHigh", "critical", map[string]string{"namespace": "storefront", "service": "checkout-web", "team": "checkout"},
		"checkout-web 5xx ratio above 5%", "12% of checkout-web requests fail with HTTP 5xx.",
		`sum(rate(rails_requests_total{job="checkout-web",status=~"5.."}[5m])) / sum(rate(rails_requests_total{job="checkout-web"}[5m])) > 0.05`, 19*minute, 0.12)
	s.want("ResourceExhaustion", "storefront", "Deployment", "checkout-web", "too many clients", "max_connections")
	return s
}

func corednsForwardLoop() *scene {
	s := newScene("h7-coredns-loop-after-systemd-resolved-node-image", "2026-12-05T07:20:00Z")
	s.description = `The nodes were re-imaged overnight with an Ubuntu build that enables systemd-resolved, so /etc/resolv.conf
points at the 127.0.0.53 stub. The kubelet passes that file to CoreDNS, whose "forward . /etc/resolv.conf" now loops
back to itself; the loop plugin detects it and exits, and both coredns pods are in CrashLoopBackOff. Every in-cluster
lookup fails: notification-dispatcher (Elixir) logs :nxdomain for its database host. Responsible: kube-system/coredns.
Fix: kubelet resolvConf=/run/systemd/resolve/resolv.conf.`
	s.source = "https://github.com/coredns/coredns/issues/2087"
	s.workers()
	dns := s.deployment("kube-system", "coredns", 2, 600*day, obj{"priorityClassName": "system-cluster-critical"})
	dns.labels = map[string]string{"k8s-app": "kube-dns"}
	dns.obj["spec"].(obj)["selector"] = obj{"matchLabels": obj{"k8s-app": "kube-dns"}}
	dc := ctr{name: "coredns", image: "registry.k8s.io/coredns/coredns:v1.11.3", cpuReq: "100m", memReq: "70Mi", memLim: "170Mi", port: 53,
		args: []string{"-conf", "/etc/coredns/Corefile"}, liveness: httpProbe("/health", 8080, 5, 10, 5)}
	rv := dns.rev("76f75df574", "v1.11.3", 90*day, 2, dc)
	for _, o := range []obj{rv.obj["spec"].(obj)["template"].(obj), dns.obj["spec"].(obj)["template"].(obj)} {
		o["metadata"].(obj)["labels"].(map[string]any)["k8s-app"] = "kube-dns"
	}
	rv.obj["spec"].(obj)["selector"].(obj)["matchLabels"].(map[string]any)["k8s-app"] = "kube-dns"
	dns.status([]any{s.depCond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", 44*minute)}, 0)
	var dnsPods []string
	for i, n := range []string{r1n03, r2n06} {
		p := dns.pod(rv, []string{"8xlqm", "tz4vc"}[i], n, 46*minute, s.crashLoop(12+i, "5m0s", s.term("Error", 1, 3*minute+10*second, 3*minute)))
		dnsPods = append(dnsPods, p)
		s.logLines("kube-system", p, "coredns", true, 3*minute+10*second, 1*second,
			".:53",
			"[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
			"CoreDNS-1.11.3",
			"linux/amd64, go1.21.11, a6338e9",
			fmt.Sprintf(`[FATAL] plugin/loop: Loop (127.0.0.1:%d -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."`, 41235+i*977))
		s.podEvent("kube-system", p, "Warning", "BackOff", "Back-off restarting failed container coredns in pod "+p+"_kube-system("+uidOf(s.find("Pod", "kube-system", p))+")", 180, 44*minute, 30*second)
	}
	s.configMap("kube-system", "coredns", 600*day, map[string]string{"Corefile": ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n"})
	s.service("kube-system", "kube-dns", map[string]string{"k8s-app": "kube-dns"}, 53, 53, "")
	s.endpoints("kube-system", "kube-dns", 53, nil, dnsPods)
	w := s.deployment("notifications", "notification-dispatcher", 2, 150*day, nil)
	r := w.rev("5c7d9b8f6", "2.4.1", 6*day, 2, ctr{name: "dispatcher", image: "harbor.dc1.internal/notifications/dispatcher:2.4.1", cpuReq: "250m", cpuLim: "1", memReq: "512Mi", memLim: "768Mi", port: 4000})
	w.status(nil, 2)
	np := w.pod(r, "r7xkd", r3n02, 6*day, s.running(6*day))
	w.pod(r, "c2mwp", r1n05, 6*day, s.running(6*day))
	s.logLines("notifications", np, "dispatcher", false, 8*minute, 15*second, join(
		repeat(10, "{ex_ts} [error] Postgrex.Protocol (#PID<0.2{i}41.0>) failed to connect: ** (DBConnection.ConnectionError) tcp connect (mailer-db-rw.db.svc.cluster.local:5432): non-existing domain - :nxdomain"),
		[]string{"{ex_ts} [error] Swoosh delivery failed: {:error, {:failed_connect, [{:to_address, {~c\"smtp-relay.dc1.internal\", 587}}, {:inet, [:inet], :nxdomain}]}}"},
		repeat(8, "{ex_ts} [error] Postgrex.Protocol (#PID<0.3{i}12.0>) failed to connect: ** (DBConnection.ConnectionError) tcp connect (mailer-db-rw.db.svc.cluster.local:5432): non-existing domain - :nxdomain"))...)
	for _, p := range dnsPods {
		s.restarts("kube-system", p, "coredns", 9, 12)
	}
	s.metric("coredns_dns_requests", "counter", map[string]string{"job": "coredns", "server": "dns://:53", "zone": ".", "proto": "udp", "type": "A", "namespace": "kube-system"}, flat(918234))
	s.setAlert("NotificationDeliveryFailing", "critical", map[string]string{"namespace": "notifications", "service": "notification-dispatcher", "team": "comms"},
		"Notification deliveries are failing", "More than 50% of notification deliveries failed in the last 10 minutes.",
		`sum(rate(dispatcher_deliveries_total{result="error"}[10m])) / sum(rate(dispatcher_deliveries_total[10m])) > 0.5`, 16*minute, 1)
	s.want("DNSFailure", "kube-system", "Deployment", "coredns", "plugin/loop", "coredns")
	return s
}

func djangoReleaseMissingMigration() *scene {
	s := newScene("h7-django-editorial-release-missing-migration", "2026-12-05T15:45:00Z")
	s.description = `editorial-api 2024.12.2 (Django 5.1 + gunicorn) rolled out 14 minutes ago. Its Article model gained an
embargo_until field, but the migrate hook Job was skipped by the pipeline (helm --no-hooks), so every article query
fails with django.db.utils.ProgrammingError: column articles_article.embargo_until does not exist and the API answers
500. The pods are Running and Ready (the health view does not touch the table). The previous revision was fine.`
	s.source = "https://errorfix.dev/errors/django-django-db-utils-programmingerror-column-x-does-not-exist.html"
	s.workers()
	w := s.deployment("cms", "editorial-api", 3, 400*day, nil)
	mk := func(v string) ctr {
		return ctr{name: "api", image: "harbor.dc1.internal/cms/editorial-api:" + v, cpuReq: "500m", cpuLim: "1", memReq: "512Mi", memLim: "1Gi", port: 8000,
			args: []string{"gunicorn", "editorial.wsgi", "--workers", "4", "--bind", "0.0.0.0:8000"}, readiness: httpProbe("/healthz", 8000, 2, 10, 3)}
	}
	w.rev("6b9f8c7d5", "2024.12.1", 9*day, 0, mk("2024.12.1"))
	cur := w.rev("9d7c6b5f8", "2024.12.2", 14*minute, 3, mk("2024.12.2"))
	w.status([]any{s.depCond("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "editorial-api-9d7c6b5f8" has successfully progressed.`, 11*minute)}, 0, 3)

	var pods []string
	for i, n := range []string{r1n05, r2n04, r3n07} {
		pods = append(pods, w.pod(cur, []string{"k3wzd", "p8vnq", "x5hjt"}[i], n, 14*minute, s.running(14*minute-20*second)))
	}
	s.event("cms", "Deployment", "editorial-api", "Normal", "ScalingReplicaSet", "Scaled up replica set editorial-api-9d7c6b5f8 to 3 from 2", 1, 12*minute, 12*minute, "deployment-controller", "")
	s.event("cms", "Deployment", "editorial-api", "Normal", "ScalingReplicaSet", "Scaled down replica set editorial-api-6b9f8c7d5 to 0 from 1", 1, 11*minute, 11*minute, "deployment-controller", "")
	tb := []string{
		`{py_ts} ERROR django.request Internal Server Error: /api/v2/articles/`,
		`Traceback (most recent call last):`,
		`  File "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py", line 105, in _execute`,
		`    return self.cursor.execute(sql, params)`,
		`psycopg.errors.UndefinedColumn: column articles_article.embargo_until does not exist`,
		`LINE 1: ...title", "articles_article"."slug", "articles_article"."embargo_u...`,
		``,
		`The above exception was the direct cause of the following exception:`,
		``,
		`django.db.utils.ProgrammingError: column articles_article.embargo_until does not exist`,
		`LINE 1: ...title", "articles_article"."slug", "articles_article"."embargo_u...`,
	}
	lines := []string{"[{py_ts} +0000] [1] [INFO] Starting gunicorn 23.0.0", "[{py_ts} +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
		"[{py_ts} +0000] [1] [INFO] Using worker: sync", "[{py_ts} +0000] [8] [INFO] Booting worker with pid: 8"}
	for i := 0; i < 6; i++ {
		lines = append(lines, tb...)
		lines = append(lines, `{py_ts} WARNING django.request Not Found: /favicon.ico`)
	}
	s.logLines("cms", pods[0], "api", false, 13*minute, 6*second, lines...)
	for _, p := range pods {
		s.metric("django_http_responses_total_by_status_view_method", "counter", map[string]string{"namespace": "cms", "pod": p, "status": "500", "view": "articles-list", "method": "GET", "job": "editorial-api"}, rate(310, 4.1))
		s.metric("django_http_responses_total_by_status_view_method", "counter", map[string]string{"namespace": "cms", "pod": p, "status": "200", "view": "healthz", "method": "GET", "job": "editorial-api"}, rate(95, 0.1))
	}
	s.setAlert("EditorialApiErrorBudgetBurn", "critical", map[string]string{"namespace": "cms", "service": "editorial-api", "team": "newsroom"},
		"editorial-api is burning its error budget", "editorial-api 5xx ratio is 0.98 (1h burn rate 98x).",
		`sum(rate(django_http_responses_total_by_status_view_method_total{job="editorial-api",status=~"5.."}[5m])) / sum(rate(django_http_responses_total_by_status_view_method_total{job="editorial-api",view!="healthz"}[5m])) > 0.1`, 9*minute, 0.98)
	s.want("BadDeploy", "cms", "Deployment", "editorial-api", "embargo_until", "2024.12.2")
	return s
}

func cppReleaseIllegalInstruction() *scene {
	s := newScene("h7-cpp-packager-release-illegal-instruction-older-nodes", "2026-12-06T09:30:00Z")
	s.description = `packager 5.2.0 (C++, built in the new CI image with -march=native on an AVX-512 build host) rolled
out 16 minutes ago. New pods on the rack-r1 and r2 nodes (Xeon E5 v4, no AVX-512) die with exit code 132 (SIGILL)
immediately; the one scheduled on node-r4-01 (Ice Lake) runs. 5.1.9 pods keep serving, so the rollout is stuck.
There are no metrics for the service and the crashing container writes one line before dying.`
	s.source = "https://github.com/Wonderfall/docker-nextcloud/issues/82"
	s.workers()
	s.node(r4n01, nil)
	w := s.deployment("video", "packager", 4, 350*day, nil)
	mk := func(v string) ctr {
		return ctr{name: "packager", image: "harbor.dc1.internal/video/packager:" + v, cpuReq: "2", cpuLim: "4", memReq: "2Gi", memLim: "4Gi", port: 8090}
	}
	old := w.rev("7f9d6c5b8", "5.1.9", 30*day, 3, mk("5.1.9"))
	cur := w.rev("5b8c7f6d9", "5.2.0", 16*minute, 2, mk("5.2.0"))
	w.status([]any{s.depCond("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "packager-5b8c7f6d9" is progressing.`, 16*minute)}, 3, 1)
	for i, n := range []string{r1n03, r2n06, r3n02} {
		w.pod(old, []string{"b6tkq", "g2mvx", "w9czn"}[i], n, 30*day, s.running(30*day))
	}
	bad := w.pod(cur, "n4dzl", r1n05, 16*minute, s.crashLoop(7, "2m40s", s.term("Error", 132, 1*minute+2*second, 1*minute)))
	w.pod(cur, "q7rhs", r4n01, 16*minute, s.running(15*minute))
	s.podEvent("video", bad, "Warning", "BackOff", "Back-off restarting failed container packager in pod "+bad+"_video("+uidOf(s.find("Pod", "video", bad))+")", 30, 15*minute, 40*second)
	s.logLines("video", bad, "packager", true, 1*minute+2*second, 1*second, "[2026-12-06 09:28:58.114] [info] packager 5.2.0 (gcc 13.3, -O3 -march=native) starting, 4 worker threads")
	s.crashLoopAlert("video", bad, "packager", 10*minute)
	s.want("BadDeploy", "video", "Deployment", "packager", "132", "5.2.0")
	return s
}

func expiredInternalServingCert() *scene {
	s := newScene("h7-inventory-api-serving-cert-expired-ca-issuer", "2026-12-06T03:40:00Z")
	s.description = `replenish-planner (Go) in planning calls https://inventory-api.supply.svc:8443 and every call fails since
03:12 with "x509: certificate has expired or is not yet valid". inventory-api serves a cert-manager certificate from
the dc1-internal-ca CA issuer; the CA secret itself expired last week, so cert-manager stopped renewing and the serving
certificate inventory-api-tls lapsed tonight. Responsible: inventory-api's serving certificate (in the supply namespace).`
	s.source = "https://github.com/cert-manager/cert-manager/issues/5851"
	s.workers()
	inv := s.deployment("supply", "inventory-api", 2, 400*day, obj{"volumes": []any{obj{"name": "tls", "secret": obj{"secretName": "inventory-api-tls"}}}})
	ir := inv.rev("8f5c7d9b6", "6.0.2", 25*day, 2, ctr{name: "api", image: "harbor.dc1.internal/supply/inventory-api:6.0.2", cpuReq: "500m", cpuLim: "1", memReq: "512Mi", memLim: "1Gi", port: 8443})
	inv.status(nil, 2)
	ip := inv.pod(ir, "c8mkt", r2n04, 25*day, s.running(25*day))
	ip2 := inv.pod(ir, "l3wqz", r3n07, 25*day, s.running(25*day))
	s.service("supply", "inventory-api", selectorOf("inventory-api"), 8443, 8443, "")
	s.endpoints("supply", "inventory-api", 8443, []string{ip, ip2}, nil)
	s.logLines("supply", ip, "api", false, 30*minute, 40*second, join(
		repeat(10, `{ts} http: TLS handshake error from 192.168.14.{i}0:48812: remote error: tls: bad certificate`),
		repeat(5, `{ts} INFO request method=GET path=/v2/stock status=200 duration=4ms client=ops-dashboard`))...)
	pl := s.deployment("planning", "replenish-planner", 1, 200*day, nil)
	pr := pl.rev("6d9b8f7c5", "2.8.0", 18*day, 1, ctr{name: "planner", image: "harbor.dc1.internal/planning/replenish-planner:2.8.0", cpuReq: "250m", cpuLim: "1", memReq: "256Mi", memLim: "512Mi"})
	pl.status(nil, 1)
	pp := pl.pod(pr, "f6xvn", r1n03, 18*day, s.running(18*day))
	s.logLines("planning", pp, "planner", false, 26*minute, 60*second, repeat(24,
		`{"time":"{ts}","level":"ERROR","msg":"stock fetch failed","sku_batch":{i},"err":"Get \"https://inventory-api.supply.svc:8443/v2/stock?batch={i}\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-12-06T03:1{i}:07Z is after 2026-12-06T03:12:09Z"}`)...)
	cm := s.deployment("cert-manager", "cert-manager", 1, 700*day, nil)
	cr := cm.rev("7b9c5d8f6", "v1.15.3", 60*day, 1, ctr{name: "cert-manager-controller", image: "quay.io/jetstack/cert-manager-controller:v1.15.3", cpuReq: "50m", memReq: "128Mi", memLim: "256Mi", port: 9402})
	cm.status(nil, 1)
	cp := cm.pod(cr, "h2qpw", r2n06, 60*day, s.running(60*day))
	s.logLines("cert-manager", cp, "cert-manager-controller", false, 40*minute, 5*minute,
		`E1206 03:00:41.118244       1 sync.go:276] "error issuing certificate request" err="the CA certificate in Secret cert-manager/dc1-internal-ca-keypair has expired (notAfter 2026-11-29T00:00:00Z)" logger="cert-manager.controller" resource_name="inventory-api-tls-1" resource_namespace="supply" resource_kind="CertificateRequest" resource_version="v1"`,
		`I1206 03:05:41.120031       1 conditions.go:203] Setting lastTransitionTime for Certificate "inventory-api-tls" condition "Ready" to 2026-12-06 03:05:41.120027 +0000 UTC`,
		`E1206 03:10:41.119876       1 sync.go:276] "error issuing certificate request" err="the CA certificate in Secret cert-manager/dc1-internal-ca-keypair has expired (notAfter 2026-11-29T00:00:00Z)" logger="cert-manager.controller" resource_name="inventory-api-tls-1" resource_namespace="supply" resource_kind="CertificateRequest" resource_version="v1"`)
	s.metric("certmanager_certificate_expiration_timestamp_seconds", "gauge", map[string]string{"name": "inventory-api-tls", "namespace": "supply", "issuer_name": "dc1-internal-ca", "issuer_kind": "ClusterIssuer", "job": "cert-manager"}, flat(float64(s.now.Add(-28*minute).Unix())))
	s.metric("certmanager_certificate_ready_status", "gauge", map[string]string{"name": "inventory-api-tls", "namespace": "supply", "condition": "False", "job": "cert-manager"}, flat(1))
	s.setAlert("ReplenishPlannerUpstreamErrors", "critical", map[string]string{"namespace": "planning", "service": "replenish-planner", "upstream": "inventory-api"},
		"replenish-planner cannot read stock from inventory-api", "All calls from replenish-planner to inventory-api failed in the last 15 minutes.",
		`sum(rate(planner_upstream_requests_total{upstream="inventory-api",result="error"}[5m])) / sum(rate(planner_upstream_requests_total{upstream="inventory-api"}[5m])) > 0.5`, 20*minute, 1)
	s.want("TLSFailure", "supply", "Deployment", "inventory-api", "certificate has expired", "inventory-api")
	return s
}

func strimziCARenewedStaleTruststore() *scene {
	s := newScene("h7-clickstream-ingest-stale-truststore-after-strimzi-ca-renewal", "2026-12-06T11:55:00Z")
	s.description = `Strimzi renewed the events cluster CA (new key, generation 1) during the maintenance window and rolled
the brokers. clickstream-ingest (Python, confluent-kafka) ships a CA file baked into its image instead of mounting the
events-cluster-ca-cert Secret, so every TLS handshake to the brokers now fails with "certificate verify failed". Other
clients that mount the Secret reconnected. Responsible: clickstream-ingest's trust configuration (ssl.ca.location).`
	s.source = "https://github.com/strimzi/strimzi-kafka-operator/pull/908"
	s.workers()
	w := s.deployment("analytics", "clickstream-ingest", 3, 260*day, nil)
	r := w.rev("9c6d8b7f5", "4.3.0", 35*day, 3, ctr{name: "ingest", image: "harbor.dc1.internal/analytics/clickstream-ingest:4.3.0", cpuReq: "500m", cpuLim: "1", memReq: "512Mi", memLim: "1Gi", port: 8000,
		env: []any{envVar("KAFKA_BOOTSTRAP", "events-kafka-bootstrap.kafka.svc:9093"), envVar("KAFKA_SSL_CA_LOCATION", "/app/certs/events-ca.crt")}})
	w.status(nil, 3)
	var pods []string
	for i, n := range []string{r1n05, r2n04, r3n02} {
		pods = append(pods, w.pod(r, []string{"t5kwm", "z8dpq", "b3nxr"}[i], n, 35*day, s.running(35*day)))
	}
	fail := `%3|{ts}|FAIL|rdkafka#producer-1| [thrd:ssl://events-broker-{i}.events-kafka-brokers.kafka.svc:9093/{i}]: ssl://events-broker-{i}.events-kafka-brokers.kafka.svc:9093/{i}: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified, verify that ssl.ca.location is correctly configured or root CA certificates are installed (install ca-certificates package) (after 6ms in state SSL_HANDSHAKE)`
	s.logLines("analytics", pods[0], "ingest", false, 9*minute, 20*second, join(
		repeat(3, fail), []string{`{py_ts} ERROR clickstream.sink: 18422 events buffered, producer queue full: KafkaError{code=_QUEUE_FULL,val=-184,str="Local: Queue full"}`},
		repeat(3, fail), repeat(3, fail),
		[]string{`{py_ts} INFO uvicorn.access: 10.40.17.9:51220 - "POST /collect HTTP/1.1" 503`})...)
	kc := ctr{name: "kafka", image: "quay.io/strimzi/kafka:0.43.0-kafka-3.8.0", cpuReq: "2", cpuLim: "4", memReq: "8Gi", memLim: "8Gi", port: 9093}
	for i, n := range []string{r1n03, r2n06, r3n07} {
		name := fmt.Sprintf("events-broker-%d", i)
		s.operatorPod("kafka", name, "core.strimzi.io/v1beta2", "StrimziPodSet", "events-broker", n,
			map[string]string{"strimzi.io/cluster": "events", "strimzi.io/kind": "Kafka", "strimzi.io/name": "events-kafka", "strimzi.io/pool-name": "broker"}, 50*minute, []ctr{kc}, s.running(48*minute))
		s.podEvent("kafka", name, "Normal", "Started", "Started container kafka", 1, 48*minute, 48*minute)
	}
	s.logLines("kafka", "events-broker-0", "kafka", false, 20*minute, 60*second, repeat(12,
		`{py_ts} INFO [SocketServer listenerType=BROKER, nodeId=0] Failed authentication with /192.168.61.{i}4 (channelId=192.168.3.18:9093-192.168.61.{i}4:40122-{i}) (SSL handshake failed) (org.apache.kafka.common.network.Selector) [data-plane-kafka-network-thread-0-ListenerName(TLS-9093)-SSL-4]`)...)
	s.metric("kafka_producer_record_error", "counter", map[string]string{"namespace": "analytics", "client_id": "clickstream-ingest", "job": "clickstream-ingest"}, rate(2200, 38))
	s.setAlert("ClickstreamIngestBacklog", "warning", map[string]string{"namespace": "analytics", "service": "clickstream-ingest"},
		"clickstream-ingest cannot deliver events", "clickstream-ingest returned 503 for 40% of /collect requests over 10 minutes.",
		`sum(rate(http_requests_total{job="clickstream-ingest",code="503"}[10m])) / sum(rate(http_requests_total{job="clickstream-ingest"}[10m])) > 0.2`, 14*minute, 0.41)
	s.want("TLSFailure", "analytics", "Deployment", "clickstream-ingest", "certificate verify failed", "ssl.ca.location")
	return s
}

func phoenixOnSaleTrafficSpike() *scene {
	s := newScene("h7-seatmap-api-on-sale-traffic-beyond-hpa-max", "2026-12-06T18:05:00Z")
	s.description = `A stadium tour went on sale at 17:40; requests to seatmap-api (Phoenix 1.7) went from ~900 to ~4,200 per
second. The HPA reached its maxReplicas of 12 by 17:48 and has been pinned there since (ScalingLimited TooManyReplicas)
with CPU at 180% of request; p95 latency is 2.4s and ingress-nginx returns 504s. Nothing is broken: demand exceeds the
configured capacity. A transient readiness failure while the new pods warmed up is noise.`
	s.source = "https://runbooks.gitlab-static.net/kube/alerts/HPAScaleCapability/"
	s.workers()
	w := s.deployment("ticketing", "seatmap-api", 12, 300*day, nil)
	r := w.rev("6c8d7b9f5", "3.14.1", 5*day, 12, ctr{name: "api", image: "harbor.dc1.internal/ticketing/seatmap-api:3.14.1", cpuReq: "1", cpuLim: "2", memReq: "1Gi", memLim: "1536Mi", port: 4000,
		readiness: httpProbe("/health/ready", 4000, 2, 5, 3)})
	w.status(nil, 12)
	all := []string{r1n03, r1n05, r2n04, r2n06, r3n02, r3n07}
	var pods []string
	for i := 0; i < 12; i++ {
		age := 5 * day
		if i >= 4 {
			age = 20 * minute
		}
		pods = append(pods, w.pod(r, fmt.Sprintf("s%c%dx%c", 'b'+i, i, 'k'+i), all[i%6], age, s.running(age-15*second)))
	}
	s.hpa("ticketing", w, 4, 12, 12, 12, 70, 180, []any{
		s.hpaCond("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", 17*minute),
		s.hpaCond("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)", 300*day),
		s.hpaCond("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count", 17*minute)})
	s.event("ticketing", "HorizontalPodAutoscaler", "seatmap-api", "Normal", "SuccessfulRescale", "New size: 12; reason: cpu resource utilization (percentage of request) above target", 1, 17*minute, 17*minute, "horizontal-pod-autoscaler", "")
	s.event("ticketing", "HorizontalPodAutoscaler", "seatmap-api", "Normal", "SuccessfulRescale", "New size: 8; reason: cpu resource utilization (percentage of request) above target", 1, 21*minute, 21*minute, "horizontal-pod-autoscaler", "")
	s.podEvent("ticketing", pods[7], "Warning", "Unhealthy", `Readiness probe failed: Get "http://`+podIP(pods[7])+`:4000/health/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, 2, 19*minute, 18*minute)
	s.logLines("ticketing", pods[0], "api", false, 3*minute, 2*second, join(
		repeat(30, `{ex_ts} request_id=GD{i}k2Qx [info] GET /api/events/stadium-tour-2027/seats`),
		repeat(30, `{ex_ts} request_id=GD{i}k2Qx [info] Sent 200 in 2{i}41ms`))...)
	for i, p := range pods {
		l := cad("ticketing", p, "api", all[i%6])
		s.metric("container_cpu_usage_seconds", "counter", l, rate(2e4, 1.8))
	}
	s.metric("nginx_ingress_controller_requests", "counter", map[string]string{"ingress": "seatmap-api", "namespace": "ticketing", "status": "200", "controller_class": "k8s.io/ingress-nginx", "job": "ingress-nginx"}, rate(3.1e8, 4020))
	s.metric("nginx_ingress_controller_requests", "counter", map[string]string{"ingress": "seatmap-api", "namespace": "ticketing", "status": "504", "controller_class": "k8s.io/ingress-nginx", "job": "ingress-nginx"}, rate(61200, 175))
	s.metric("kube_horizontalpodautoscaler_status_current_replicas", "gauge", ksm(map[string]string{"namespace": "ticketing", "horizontalpodautoscaler": "seatmap-api"}), flat(12))
	s.metric("kube_horizontalpodautoscaler_spec_max_replicas", "gauge", ksm(map[string]string{"namespace": "ticketing", "horizontalpodautoscaler": "seatmap-api"}), flat(12))
	s.setAlert("KubeHpaMaxedOut", "warning", map[string]string{"namespace": "ticketing", "horizontalpodautoscaler": "seatmap-api", "job": "kube-state-metrics"},
		"HPA is running at max replicas", "HPA ticketing/seatmap-api has been running at max replicas for longer than 15 minutes.",
		`kube_horizontalpodautoscaler_status_current_replicas{job="kube-state-metrics",namespace=~".*"} == kube_horizontalpodautoscaler_spec_max_replicas{job="kube-state-metrics",namespace=~".*"}`, 2*minute, 12)
	s.want("TrafficSpike", "ticketing", "Deployment", "seatmap-api", "seatmap-api", "12")
	return s
}
