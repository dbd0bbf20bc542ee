package main

import (
	"fmt"
	"time"
)

func incidents() []*world {
	return []*world{
		springDirectMemoryOOM(), celeryPrefetchOOM(), nestUnhandledRejection(), expressStackOverflowWithPullError(),
		quarkusManagementPortLiveness(), ecrWrongRegion(), externalSecretMissingKey(), irsaTrustPolicyNamespace(),
		efsProvisioningFailed(), fargateSelectorNoProfile(), cniNotInitialized(), pidPressureEvictions(),
		dotnetThrottled(), auroraStaleWriter(), redisReadonlyReplica(), dynamoThrottled(),
		nodeLocalDNSBind(), externalDNSAccessDenied(), flywayChecksumRollout(), pydanticBaseSettingsRollout(),
		mskTruststore(), gatewayCertExpired(), kafkaStreamsStateFull(), pgPoolExhausted(),
		sqsBacklogHPAMax(), pgDumpJobTimeout(), reindexDeadline(), minReplicasCost(),
		notReadyRecovered(), targetDownNoEvidence(),
	}
}

const springLog = `{"@timestamp":"%s","log.level":"%s","message":"%s","ecs.version":"1.2.0","service.name":"payment-gateway","process.thread.name":"%s","log.logger":"%s"}`

func springDirectMemoryOOM() *world {
	w := newWorld("h8-spring-netty-direct-memory-oomkilled", "2026-12-05T09:42:00Z")
	w.description = `payment-gateway (Spring Boot 3.3 WebFlux on Java 21) keeps being OOMKilled. The heap is capped at -Xmx512m and
stays flat near 380 MiB, but Netty's pooled direct buffers grow without bound (a ByteBuf leak in a WebClient filter),
so the container's working set reaches the 1Gi limit and the kernel kills it with exit code 137. The readiness probe
failures after each restart are a consequence, not the cause.`
	w.source = "https://www.michal-drozd.com/en/blog/java-native-memory-oomkilled/"
	w.stdNodes()
	lim := res("500m", "768Mi", "2", "1Gi")
	oom := func(ago time.Duration) obj {
		return obj{"terminated": obj{"reason": "OOMKilled", "exitCode": 137, "startedAt": w.at(ago + 41*time.Minute), "finishedAt": w.at(ago), "containerID": "containerd://" + hashOf("oom", w.at(ago))}}
	}
	pods := w.app(appSpec{ns: "payments", name: "payment-gateway", labels: map[string]string{"app.kubernetes.io/part-of": "payments", "app.kubernetes.io/version": "4.12.3"},
		image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/payment-gateway:4.12.3", port: 8080, res: lim,
		env:      []obj{{"name": "JAVA_TOOL_OPTIONS", "value": "-Xmx512m -XX:+UseG1GC -XX:MaxMetaspaceSize=192m"}, {"name": "SPRING_PROFILES_ACTIVE", "value": "prod,eks"}},
		probes:   merge2(httpProbe("readinessProbe", "/actuator/health/readiness", 8080, 10, 3), httpProbe("livenessProbe", "/actuator/health/liveness", 8080, 10, 6)),
		revision: 31, age: 400 * 24 * time.Hour, rsAge: 6 * 24 * time.Hour,
		pods: []podState{
			{ready: true, restarts: 6, state: running(w.at(4 * time.Minute)), last: oom(4*time.Minute + 20*time.Second), age: 6 * 24 * time.Hour, node: 0},
			{ready: false, restarts: 7, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=payment-gateway pod=payment-gateway"), last: oom(90 * time.Second), age: 6 * 24 * time.Hour, node: 1},
			{ready: true, restarts: 4, state: running(w.at(19 * time.Minute)), last: oom(19*time.Minute + 15*time.Second), age: 6 * 24 * time.Hour, node: 2},
		}})
	w.setAlert("KubePodCrashLooping", "warning", map[string]string{"namespace": "payments", "pod": pods[1], "container": "payment-gateway", "job": "kube-state-metrics"},
		"Pod is crash looping.", fmt.Sprintf("Pod payments/%s (payment-gateway) is in waiting state (reason: \"CrashLoopBackOff\").", pods[1]), 12*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	w.want("OOMKilled", "payments", "Deployment", "payment-gateway", "OOMKilled", "direct")
	for i, p := range pods {
		node := generalNodes[i]
		w.memoryMetric("payments", p, "payment-gateway", node, ramp(640e6+float64(i)*40e6, 1.06e9))
		w.limitMetric("payments", p, "payment-gateway", "memory", "byte", 1073741824)
		w.metric("jvm_memory_used_bytes", "gauge", "The amount of used memory", map[string]string{"namespace": "payments", "pod": p, "area": "heap", "id": "G1 Old Gen", "application": "payment-gateway"}, ramp(2.9e8, 3.1e8))
		w.metric("jvm_buffer_memory_used_bytes", "gauge", "An estimate of the memory that the Java virtual machine is using for this buffer pool",
			map[string]string{"namespace": "payments", "pod": p, "id": "direct", "application": "payment-gateway"}, ramp(1.6e8+float64(i)*2e7, 4.9e8))
		w.restartsMetric("payments", p, "payment-gateway", 3+i, []int{6, 7, 4}[i])
	}
	thread := []string{"reactor-http-epoll-1", "reactor-http-epoll-2", "reactor-http-epoll-3", "reactor-http-epoll-4"}
	body := []string{
		fmt.Sprintf(springLog, w.at(43*time.Minute), "INFO", "Starting PaymentGatewayApplication v4.12.3 using Java 21.0.5 with PID 1", "main", "com.paynova.gateway.PaymentGatewayApplication"),
		fmt.Sprintf(springLog, w.at(43*time.Minute), "INFO", "Netty started on port 8080 (http)", "main", "o.s.b.web.embedded.netty.NettyWebServer"),
		fmt.Sprintf(springLog, w.at(43*time.Minute), "INFO", "Started PaymentGatewayApplication in 7.912 seconds (process running for 8.655)", "main", "com.paynova.gateway.PaymentGatewayApplication"),
	}
	body = append(body, repeat(40, func(i int) string {
		return fmt.Sprintf(springLog, w.at(40*time.Minute), "INFO", fmt.Sprintf("authorize psp=adyen merchant=m-%04d status=AUTHORISED latency_ms=%d", 1200+i*7, 80+i%40), thread[i%4], "com.paynova.gateway.authorize.AuthorizeHandler")
	})...)
	body = append(body, fmt.Sprintf(springLog, w.at(12*time.Minute), "ERROR", "LEAK: ByteBuf.release() was not called before it's garbage-collected. See https://netty.io/wiki/reference-counted-objects.html for more information.", "reactor-http-epoll-2", "io.netty.util.ResourceLeakDetector"))
	body = append(body, repeat(20, func(i int) string {
		return fmt.Sprintf(springLog, w.at(5*time.Minute), "INFO", fmt.Sprintf("authorize psp=adyen merchant=m-%04d status=AUTHORISED latency_ms=%d", 3100+i*3, 95+i%30), thread[i%4], "com.paynova.gateway.authorize.AuthorizeHandler")
	})...)
	w.logLines("payments", pods[1], "payment-gateway", true, 100*time.Second, 55*time.Second, body...)
	w.logLines("payments", pods[1], "istio-proxy", false, 80*time.Second, 30*time.Second,
		`[2026-12-05T09:39:41.118Z] "POST /v2/authorize HTTP/1.1" 503 URX upstream_reset_before_response_started{connection_termination} - "-" 412 95 1 - "10.42.7.19" "okhttp/4.12.0" "3e0a6f1c-77c1-9d1e-a2b1-4c1f0f2e9a11" "payment-gateway.payments.svc.cluster.local:8080" "10.42.88.12:8080" inbound|8080|| 127.0.0.6:45711 10.42.88.12:8080 10.42.7.19:52014 outbound_.8080_._.payment-gateway.payments.svc.cluster.local default`,
		`2026-12-05T09:40:12.441203Z	warning	envoy config external/envoy/source/common/upstream/health_checker_impl.cc:314	health check failed	thread=21`)
	for i, p := range pods {
		w.event("payments", "Pod", p, "Warning", "BackOff", "Back-off restarting failed container payment-gateway in pod "+p+"_payments("+uid("payments", p)+")", 9+i, w.at(3*time.Hour), w.at(time.Duration(i+1)*40*time.Second), "kubelet", generalNodes[i])
		w.event("payments", "Pod", p, "Warning", "Unhealthy", "Readiness probe failed: Get \"http://"+ipOf("payments"+p)+":15020/app-health/payment-gateway/readyz\": dial tcp "+ipOf("payments"+p)+":15020: connect: connection refused", 5, w.at(3*time.Hour), w.at(4*time.Minute), "kubelet", generalNodes[i])
	}
	return w
}

func merge2(a, b obj) obj {
	out := obj{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func celeryPrefetchOOM() *world {
	w := newWorld("h8-celery-eta-prefetch-oomkilled-no-metrics", "2026-12-04T22:18:00Z")
	w.description = `notify-worker (Celery 5.4 on an ElastiCache Redis broker) is OOMKilled in a loop after a batch of ~40,000
reminder tasks was scheduled with an ETA. Celery keeps fetching ETA tasks regardless of worker_prefetch_multiplier,
so every worker holds thousands of task messages in memory, crosses the 768Mi limit and is killed; the messages go
back to the queue and the next worker dies the same way. No metrics were collected for this incident.`
	w.source = "https://github.com/celery/celery/issues/9849"
	w.stdNodes()
	oom := func(ago time.Duration) obj {
		return obj{"terminated": obj{"reason": "OOMKilled", "exitCode": 137, "startedAt": w.at(ago + 3*time.Minute), "finishedAt": w.at(ago)}}
	}
	pods := w.app(appSpec{ns: "notifications", name: "notify-worker", labels: map[string]string{"app.kubernetes.io/component": "worker"}, noMesh: true,
		image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/notifications/notify-worker:2.3.0", port: 8000, res: res("250m", "512Mi", "", "768Mi"),
		env:      []obj{{"name": "CELERY_BROKER_URL", "value": "rediss://notify-broker.x7kq2m.ng.0001.euc1.cache.amazonaws.com:6379/0"}, {"name": "CELERY_WORKER_PREFETCH_MULTIPLIER", "value": "4"}, {"name": "CELERY_WORKER_CONCURRENCY", "value": "4"}},
		revision: 14, age: 200 * 24 * time.Hour, rsAge: 12 * 24 * time.Hour,
		pods: []podState{
			{ready: false, restarts: 11, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=notify-worker"), last: oom(2 * time.Minute), age: 12 * 24 * time.Hour, node: 0},
			{ready: true, restarts: 10, state: running(w.at(70 * time.Second)), last: oom(75 * time.Second), age: 12 * 24 * time.Hour, node: 2},
		}})
	w.setAlert("KubePodCrashLooping", "warning", map[string]string{"namespace": "notifications", "pod": pods[0], "container": "notify-worker", "job": "kube-state-metrics"},
		"Pod is crash looping.", "Pod notifications/"+pods[0]+" (notify-worker) is in waiting state (reason: \"CrashLoopBackOff\").", 25*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	w.want("OOMKilled", "notifications", "Deployment", "notify-worker", "OOMKilled", "768Mi")
	lines := []string{
		" -------------- celery@notify-worker v5.4.0 (opalescent)",
		"[2026-12-04 22:12:58,114: INFO/MainProcess] Connected to rediss://notify-broker.x7kq2m.ng.0001.euc1.cache.amazonaws.com:6379/0",
		"[2026-12-04 22:12:58,201: INFO/MainProcess] celery@notify-worker-0 ready.",
	}
	lines = append(lines, repeat(60, func(i int) string {
		return fmt.Sprintf("[2026-12-04 22:13:%02d,%03d: INFO/MainProcess] Task notify.tasks.send_payment_reminder[%s-%04d] received", i%60, i*13%1000, hashOf("t", fmt.Sprint(i))[:8], i)
	})...)
	lines = append(lines, "[2026-12-04 22:15:41,877: WARNING/MainProcess] Substantial drift from celery@notify-worker-1 may mean clocks are out of sync.  Current drift is 18 seconds.")
	w.logLines("notifications", pods[0], "notify-worker", true, 2*time.Minute, 2*time.Second, lines...)
	w.event("notifications", "Pod", pods[0], "Warning", "BackOff", "Back-off restarting failed container notify-worker in pod "+pods[0]+"_notifications("+uid("notifications", pods[0])+")", 31, w.at(50*time.Minute), w.at(30*time.Second), "kubelet", generalNodes[0])
	w.event("notifications", "Pod", pods[1], "Normal", "Pulled", "Container image \"491783263510.dkr.ecr.eu-central-1.amazonaws.com/notifications/notify-worker:2.3.0\" already present on machine", 10, w.at(50*time.Minute), w.at(70*time.Second), "kubelet", generalNodes[2])
	return w
}

func nestUnhandledRejection() *world {
	w := newWorld("h8-nestjs-unhandled-rejection-crashloop", "2026-12-03T14:07:00Z")
	w.description = `cart-api (NestJS 10 on Node.js 20) crashes a few seconds after every start. A promotion created in the back
office has no "sku" field; the PricingService warm-up promise dereferences it outside any request scope, so the
rejection is unhandled and Node terminates the process with exit code 1. Nothing was deployed; an unrelated HPA
metrics warning in the namespace is noise.`
	w.source = "https://getreflex.dev/errors/nestjs-crash-recovery"
	w.stdNodes()
	crash := func(ago time.Duration) obj { return terminated("Error", 1, w.at(ago+9*time.Second), w.at(ago)) }
	pods := w.app(appSpec{ns: "checkout", name: "cart-api", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/checkout/cart-api:7.4.1", port: 3000,
		res: res("200m", "256Mi", "1", "512Mi"), probes: httpProbe("readinessProbe", "/health", 3000, 5, 3), revision: 52, age: 500 * 24 * time.Hour, rsAge: 9 * 24 * time.Hour,
		pods: []podState{
			{restarts: 8, state: waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container=cart-api"), last: crash(50 * time.Second), age: 9 * 24 * time.Hour, node: 0},
			{restarts: 8, state: waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container=cart-api"), last: crash(80 * time.Second), age: 9 * 24 * time.Hour, node: 1},
		}})
	w.setAlert("KubePodCrashLooping", "critical", map[string]string{"namespace": "checkout", "pod": pods[0], "container": "cart-api", "job": "kube-state-metrics"},
		"Pod is crash looping.", "Pod checkout/"+pods[0]+" (cart-api) is in waiting state (reason: \"CrashLoopBackOff\").", 15*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	w.want("CrashLoop", "checkout", "Deployment", "cart-api", "Cannot read properties of undefined")
	for i, p := range pods {
		w.logLines("checkout", p, "cart-api", true, 50*time.Second+time.Duration(i)*30*time.Second, 400*time.Millisecond,
			"[Nest] 1  - 12/03/2026, 2:06:01 PM     LOG [NestFactory] Starting Nest application...",
			"[Nest] 1  - 12/03/2026, 2:06:01 PM     LOG [InstanceLoader] ConfigModule dependencies initialized +18ms",
			"[Nest] 1  - 12/03/2026, 2:06:01 PM     LOG [InstanceLoader] RedisModule dependencies initialized +2ms",
			"[Nest] 1  - 12/03/2026, 2:06:02 PM     LOG [InstanceLoader] PricingModule dependencies initialized +1ms",
			"[Nest] 1  - 12/03/2026, 2:06:02 PM     LOG [RoutesResolver] CartController {/v1/carts}: +6ms",
			"[Nest] 1  - 12/03/2026, 2:06:02 PM     LOG [RouterExplorer] Mapped {/v1/carts/:id, GET} route +2ms",
			"[Nest] 1  - 12/03/2026, 2:06:02 PM     LOG [NestApplication] Nest application successfully started +3ms",
			"[Nest] 1  - 12/03/2026, 2:06:03 PM     LOG [PricingService] warming promotion cache (214 active promotions)",
			"/app/dist/pricing/pricing.service.js:48",
			"            const key = `${promo.target.sku}:${promo.currency}`;",
			"                                           ^",
			"",
			"TypeError: Cannot read properties of undefined (reading 'sku')",
			"    at PricingService.indexPromotion (/app/dist/pricing/pricing.service.js:48:44)",
			"    at Array.forEach (<anonymous>)",
			"    at PricingService.warmCache (/app/dist/pricing/pricing.service.js:31:20)",
			"    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)",
			"",
			"Node.js v20.18.1")
		w.event("checkout", "Pod", p, "Warning", "BackOff", "Back-off restarting failed container cart-api in pod "+p+"_checkout("+uid("checkout", p)+")", 22, w.at(40*time.Minute), w.at(20*time.Second), "kubelet", generalNodes[i])
	}
	w.hpa("checkout", "cart-api", 2, 10, 2, 2, 70, 0, []obj{{"type": "ScalingActive", "status": "False", "reason": "FailedGetResourceMetric", "message": "the HPA was unable to compute the replica count: failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)", "lastTransitionTime": w.at(35 * time.Minute)}})
	w.event("checkout", "HorizontalPodAutoscaler", "cart-api", "Warning", "FailedGetResourceMetric", "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)", 44, w.at(35*time.Minute), w.at(15*time.Second), "horizontal-pod-autoscaler", "")
	for i, p := range pods {
		w.restartsMetric("checkout", p, "cart-api", 3, 8)
		w.waitingMetric("checkout", p, "cart-api", "CrashLoopBackOff")
		_ = i
	}
	w.metric("kube_deployment_status_replicas_available", "gauge", "The number of available replicas per deployment.", ksm(map[string]string{"namespace": "checkout", "deployment": "cart-api"}), constant(0))
	return w
}

func expressStackOverflowWithPullError() *world {
	w := newWorld("h8-express-stack-overflow-plus-unrelated-pull-error", "2026-12-02T11:25:00Z")
	w.description = `fraud-scorer (Express on Node.js 22) crash-loops: a rule set published to its ConfigMap contains a cycle
(rule R-771 references R-402 which references R-771), and the recursive flattenRules() overflows the stack at
start-up with "RangeError: Maximum call stack size exceeded". At the same time, and unrelated, a new risk-dashboard
pod cannot pull its image because of a mistyped tag; that is a second, smaller problem.`
	w.source = "https://github.com/WebexSamples/hookbuster/issues/8"
	w.stdNodes()
	crash := func(ago time.Duration) obj { return terminated("Error", 1, w.at(ago+4*time.Second), w.at(ago)) }
	pods := w.app(appSpec{ns: "risk", name: "fraud-scorer", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/fraud-scorer:3.9.0", port: 8080,
		res: res("300m", "384Mi", "1", "768Mi"), revision: 18, age: 300 * 24 * time.Hour, rsAge: 20 * 24 * time.Hour,
		volumes: []obj{{"name": "rules", "configMap": obj{"name": "fraud-rules", "defaultMode": 420}}},
		pods: []podState{
			{restarts: 9, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=fraud-scorer"), last: crash(3 * time.Minute), age: 20 * 24 * time.Hour, node: 0},
			{restarts: 9, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=fraud-scorer"), last: crash(2 * time.Minute), age: 20 * 24 * time.Hour, node: 1},
			{restarts: 8, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=fraud-scorer"), last: crash(4 * time.Minute), age: 20 * 24 * time.Hour, node: 2},
		}})
	w.configMap("risk", "fraud-rules", map[string]string{"rules.json": `{"version":"2026-12-02.3","rules":[{"id":"R-402","when":{"ref":"R-771"},"score":40},{"id":"R-771","when":{"all":[{"ref":"R-402"},{"field":"amount","gt":5000}]},"score":55}]}`})
	dash := w.app(appSpec{ns: "risk", name: "risk-dashboard", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-dashboard:1.22.O", port: 3000,
		res: res("100m", "128Mi", "500m", "256Mi"), revision: 6, age: 90 * 24 * time.Hour, rsAge: 25 * time.Minute,
		oldRS: &oldRS{image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-dashboard:1.21.4", replicas: 1, created: w.at(30 * 24 * time.Hour)}, oldPods: 1,
		pods: []podState{{state: waiting("ImagePullBackOff", "Back-off pulling image \"491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-dashboard:1.22.O\""), age: 25 * time.Minute, node: 2}}})
	w.event("risk", "Pod", dash[0], "Warning", "Failed", "Failed to pull image \"491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-dashboard:1.22.O\": rpc error: code = NotFound desc = failed to pull and unpack image \"491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-dashboard:1.22.O\": failed to resolve reference \"491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-dashboard:1.22.O\": 491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-dashboard:1.22.O: not found", 6, w.at(25*time.Minute), w.at(4*time.Minute), "kubelet", generalNodes[2])
	w.event("risk", "Pod", dash[0], "Normal", "BackOff", "Back-off pulling image \"491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/risk-dashboard:1.22.O\"", 98, w.at(25*time.Minute), w.at(30*time.Second), "kubelet", generalNodes[2])
	w.setAlert("KubePodCrashLooping", "critical", map[string]string{"namespace": "risk", "pod": pods[1], "container": "fraud-scorer", "job": "kube-state-metrics"},
		"Pod is crash looping.", "Pod risk/"+pods[1]+" (fraud-scorer) is in waiting state (reason: \"CrashLoopBackOff\").", 30*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	w.want("CrashLoop", "risk", "Deployment", "fraud-scorer", "Maximum call stack size exceeded")
	for i, p := range pods {
		w.logLines("risk", p, "fraud-scorer", true, time.Duration(2+i)*time.Minute, 300*time.Millisecond,
			`{"level":30,"time":1764674600114,"pid":1,"hostname":"`+p+`","msg":"loading rules from /etc/fraud/rules.json"}`,
			`{"level":30,"time":1764674600139,"pid":1,"hostname":"`+p+`","msg":"rule set 2026-12-02.3 parsed: 1184 rules"}`,
			"/app/src/rules/flatten.js:22",
			"function flattenRules(rule, index, depth = 0) {",
			"                     ^",
			"",
			"RangeError: Maximum call stack size exceeded",
			"    at flattenRules (/app/src/rules/flatten.js:22:22)",
			"    at /app/src/rules/flatten.js:31:14",
			"    at Array.map (<anonymous>)",
			"    at flattenRules (/app/src/rules/flatten.js:30:32)",
			"    at flattenRules (/app/src/rules/flatten.js:35:12)",
			"",
			"Node.js v22.11.0")
		w.event("risk", "Pod", p, "Warning", "BackOff", "Back-off restarting failed container fraud-scorer in pod "+p+"_risk("+uid("risk", p)+")", 40, w.at(55*time.Minute), w.at(time.Duration(i+1)*20*time.Second), "kubelet", generalNodes[i])
		w.restartsMetric("risk", p, "fraud-scorer", 6, 9)
	}
	w.waitingMetric("risk", dash[0], "risk-dashboard", "ImagePullBackOff")
	return w
}

func quarkusManagementPortLiveness() *world {
	w := newWorld("h8-quarkus-management-port-liveness-refused", "2026-12-01T08:50:00Z")
	w.description = `ledger-query (Kotlin on Quarkus 3.15) was moved to the platform Helm chart, whose probes target the
management interface on port 9000 (/q/health/live, /q/health/ready). The service's application.yaml never enables
quarkus.management, so health is only served on 8080 and nothing listens on 9000: the app starts fine, the liveness
probe gets "connection refused" and kubelet restarts the container every ~40 seconds.`
	w.source = "https://github.com/quarkusio/quarkus/issues/32135"
	w.stdNodes()
	probes := merge2(httpProbe("livenessProbe", "/q/health/live", 9000, 10, 3), httpProbe("readinessProbe", "/q/health/ready", 9000, 10, 3))
	killed := func(ago time.Duration) obj { return terminated("Error", 143, w.at(ago+38*time.Second), w.at(ago)) }
	pods := w.app(appSpec{ns: "ledger", name: "ledger-query", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/ledger/ledger-query:2.8.0", port: 8080,
		res: res("250m", "384Mi", "1", "512Mi"), probes: probes, revision: 1, age: 48 * time.Minute, rsAge: 48 * time.Minute,
		pods: []podState{
			{restarts: 14, state: running(w.at(25 * time.Second)), last: killed(26 * time.Second), age: 48 * time.Minute, node: 0},
			{restarts: 13, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=ledger-query"), last: killed(70 * time.Second), age: 48 * time.Minute, node: 2},
		}})
	w.setAlert("KubePodCrashLooping", "warning", map[string]string{"namespace": "ledger", "pod": pods[1], "container": "ledger-query", "job": "kube-state-metrics"},
		"Pod is crash looping.", "Pod ledger/"+pods[1]+" (ledger-query) is in waiting state (reason: \"CrashLoopBackOff\").", 20*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	w.want("ProbeFailure", "ledger", "Deployment", "ledger-query", "9000", "liveness")
	for i, p := range pods {
		ip := ipOf("ledger" + p)
		w.logLines("ledger", p, "ledger-query", true, 70*time.Second, 2*time.Second,
			"__  ____  __  _____   ___  __ ____  ______ ",
			"2026-12-01 08:48:12,402 INFO  [io.quarkus] (main) ledger-query 2.8.0 on JVM (powered by Quarkus 3.15.1) started in 3.412s. Listening on: http://0.0.0.0:8080",
			"2026-12-01 08:48:12,403 INFO  [io.quarkus] (main) Profile prod activated. ",
			"2026-12-01 08:48:12,403 INFO  [io.quarkus] (main) Installed features: [agroal, cdi, hibernate-orm, jdbc-postgresql, kotlin, micrometer, narayana-jta, rest, rest-jackson, smallrye-context-propagation, smallrye-health, vertx]",
			"2026-12-01 08:48:31,920 INFO  [io.agroal.pool] (agroal-11) Datasource '<default>': Initial size smaller than min. Connections will be created when necessary",
			"2026-12-01 08:48:49,017 INFO  [io.quarkus] (Shutdown thread) ledger-query stopped in 0.041s")
		w.event("ledger", "Pod", p, "Warning", "Unhealthy", fmt.Sprintf("Liveness probe failed: Get \"http://%s:9000/q/health/live\": dial tcp %s:9000: connect: connection refused", ip, ip), 41, w.at(47*time.Minute), w.at(time.Duration(5+i*20)*time.Second), "kubelet", generalNodes[i*2])
		w.event("ledger", "Pod", p, "Warning", "Unhealthy", fmt.Sprintf("Readiness probe failed: Get \"http://%s:9000/q/health/ready\": dial tcp %s:9000: connect: connection refused", ip, ip), 120, w.at(47*time.Minute), w.at(time.Duration(3+i*20)*time.Second), "kubelet", generalNodes[i*2])
		w.event("ledger", "Pod", p, "Normal", "Killing", "Container ledger-query failed liveness probe, will be restarted", 14, w.at(46*time.Minute), w.at(time.Duration(26+i*44)*time.Second), "kubelet", generalNodes[i*2])
		w.restartsMetric("ledger", p, "ledger-query", 8+i, 14-i)
	}
	w.metric("prober_probe_total", "counter", "Cumulative number of a liveness, readiness or startup probe for a container by result.",
		map[string]string{"job": "kubelet", "metrics_path": "/metrics/probes", "namespace": "ledger", "pod": pods[0], "container": "ledger-query", "probe_type": "Liveness", "result": "failed"}, ramp(30, 41))
	return w
}

func ecrWrongRegion() *world {
	w := newWorld("h8-ecr-image-reference-wrong-region", "2026-12-02T16:31:00Z")
	w.description = `The 2.14.0 release of refund-service (.NET 8) was rolled out with an image reference that points at the
ECR registry in eu-west-1, left over from the disaster-recovery pipeline. The repository only exists in eu-central-1,
so the new pod gets "not found" from eu-west-1, sits in ImagePullBackOff and the rollout stalls; the old ReplicaSet
keeps serving. The new container never started, so it has no logs.`
	w.source = "https://linden.consulting/en/blog/ecr-image-pull-failure"
	w.stdNodes()
	img := "491783263510.dkr.ecr.eu-west-1.amazonaws.com/payments/refund-service:2.14.0"
	pods := w.app(appSpec{ns: "payments", name: "refund-service", image: img, port: 8080, res: res("200m", "256Mi", "1", "512Mi"), revision: 12, age: 260 * 24 * time.Hour, rsAge: 35 * time.Minute,
		oldRS: &oldRS{image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/refund-service:2.13.2", replicas: 3, created: w.at(16 * 24 * time.Hour)}, oldPods: 3,
		progress: w.progressing("payments", "refund-service", 12, 35*time.Minute),
		pods:     []podState{{state: waiting("ImagePullBackOff", "Back-off pulling image \""+img+"\""), age: 35 * time.Minute, node: 1}}})
	w.setAlert("KubeContainerWaiting", "warning", map[string]string{"namespace": "payments", "pod": pods[0], "container": "refund-service", "job": "kube-state-metrics"},
		"Pod container waiting longer than 1 hour", "pod/"+pods[0]+" in namespace payments on container refund-service has been in waiting state for longer than 1 hour. (reason: \"ImagePullBackOff\")", 3*time.Minute,
		`sum by (namespace, pod, container, cluster) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`, 1)
	w.want("ImagePull", "payments", "Deployment", "refund-service", "eu-west-1", "not found")
	w.event("payments", "Pod", pods[0], "Normal", "Pulling", "Pulling image \""+img+"\"", 8, w.at(35*time.Minute), w.at(6*time.Minute), "kubelet", generalNodes[1])
	w.event("payments", "Pod", pods[0], "Warning", "Failed", "Failed to pull image \""+img+"\": rpc error: code = NotFound desc = failed to pull and unpack image \""+img+"\": failed to resolve reference \""+img+"\": "+img+": not found", 8, w.at(35*time.Minute), w.at(6*time.Minute), "kubelet", generalNodes[1])
	w.event("payments", "Pod", pods[0], "Warning", "Failed", "Error: ErrImagePull", 8, w.at(35*time.Minute), w.at(6*time.Minute), "kubelet", generalNodes[1])
	w.event("payments", "Pod", pods[0], "Normal", "BackOff", "Back-off pulling image \""+img+"\"", 141, w.at(35*time.Minute), w.at(40*time.Second), "kubelet", generalNodes[1])
	w.eventSeries("payments", "Pod", pods[0], "Normal", "Scheduled", "Binding", "Successfully assigned payments/"+pods[0]+" to "+generalNodes[1], 1, w.at(35*time.Minute), w.at(35*time.Minute), "default-scheduler")
	w.waitingMetric("payments", pods[0], "refund-service", "ImagePullBackOff")
	w.metric("kube_deployment_status_replicas_updated", "gauge", "The number of updated replicas per deployment.", ksm(map[string]string{"namespace": "payments", "deployment": "refund-service"}), constant(1))
	w.metric("kube_deployment_status_replicas_available", "gauge", "The number of available replicas per deployment.", ksm(map[string]string{"namespace": "payments", "deployment": "refund-service"}), constant(3))
	return w
}

func externalSecretMissingKey() *world {
	w := newWorld("h8-externalsecret-synced-without-key", "2026-12-06T07:12:00Z")
	w.description = `sms-dispatcher (FastAPI) was restarted by a node rotation and its new pods cannot start:
CreateContainerConfigError, couldn't find key TWILIO_AUTH_TOKEN in Secret notifications/twilio-credentials. The
External Secrets Operator reports the ExternalSecret as SecretSynced, but the property was renamed in AWS Secrets
Manager (auth_token -> authToken), so the synced Secret silently lost that key. The ExternalSecret custom resource
itself was not captured (only its events); no metrics were collected.`
	w.source = "https://github.com/external-secrets/external-secrets/issues/1049"
	w.stdNodes()
	env := []obj{{"name": "TWILIO_ACCOUNT_SID", "valueFrom": obj{"secretKeyRef": obj{"name": "twilio-credentials", "key": "TWILIO_ACCOUNT_SID"}}},
		{"name": "TWILIO_AUTH_TOKEN", "valueFrom": obj{"secretKeyRef": obj{"name": "twilio-credentials", "key": "TWILIO_AUTH_TOKEN"}}}}
	msg := "couldn't find key TWILIO_AUTH_TOKEN in Secret notifications/twilio-credentials"
	pods := w.app(appSpec{ns: "notifications", name: "sms-dispatcher", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/notifications/sms-dispatcher:1.6.2", port: 8000,
		res: res("100m", "192Mi", "500m", "384Mi"), env: env, revision: 9, age: 150 * 24 * time.Hour, rsAge: 20 * 24 * time.Hour,
		pods: []podState{{state: waiting("CreateContainerConfigError", msg), age: 40 * time.Minute, node: 0}, {state: waiting("CreateContainerConfigError", msg), age: 40 * time.Minute, node: 2}}})
	w.setAlert("KubeContainerWaiting", "warning", map[string]string{"namespace": "notifications", "pod": pods[0], "container": "sms-dispatcher", "job": "kube-state-metrics"},
		"Pod container waiting longer than 1 hour", "pod/"+pods[0]+" in namespace notifications on container sms-dispatcher has been in waiting state for longer than 1 hour. (reason: \"CreateContainerConfigError\")", 5*time.Minute,
		`sum by (namespace, pod, container, cluster) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`, 1)
	w.want("ConfigError", "notifications", "Deployment", "sms-dispatcher", "TWILIO_AUTH_TOKEN", "twilio-credentials")
	for i, p := range pods {
		w.event("notifications", "Pod", p, "Warning", "Failed", "Error: "+msg, 190, w.at(40*time.Minute), w.at(time.Duration(10+i*7)*time.Second), "kubelet", generalNodes[i*2])
		w.event("notifications", "Pod", p, "Normal", "Pulled", "Container image \"491783263510.dkr.ecr.eu-central-1.amazonaws.com/notifications/sms-dispatcher:1.6.2\" already present on machine", 190, w.at(40*time.Minute), w.at(time.Duration(10+i*7)*time.Second), "kubelet", generalNodes[i*2])
	}
	w.event("notifications", "ExternalSecret", "twilio-credentials", "Normal", "Updated", "Updated Secret", 3, w.at(3*time.Hour), w.at(52*time.Minute), "external-secrets", "")
	return w
}

func irsaTrustPolicyNamespace() *world {
	w := newWorld("h8-irsa-trust-policy-wrong-namespace", "2026-12-05T13:20:00Z")
	w.description = `statement-exporter (Kotlin, Spring Boot 3) was moved from the "reporting" namespace to "ledger". Its
ServiceAccount still carries the IRSA annotation for role payments-eu-statement-exporter, but the role's trust policy
only allows the subject system:serviceaccount:reporting:statement-exporter. STS rejects the web identity token
(AccessDenied, Not authorized to perform sts:AssumeRoleWithWebIdentity), the S3 client bean fails and the context
never starts.`
	w.source = "https://repost.aws/knowledge-center/eks-troubleshoot-irsa-errors"
	w.stdNodes()
	w.add("config", obj{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": merge2(meta("ledger", "statement-exporter", w.at(3*time.Hour), nil),
		obj{"annotations": map[string]string{"eks.amazonaws.com/role-arn": "arn:aws:iam::491783263510:role/payments-eu-statement-exporter"}})})
	crash := func(ago time.Duration) obj { return terminated("Error", 1, w.at(ago+14*time.Second), w.at(ago)) }
	pods := w.app(appSpec{ns: "ledger", name: "statement-exporter", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/ledger/statement-exporter:5.0.3", port: 8080, sa: "statement-exporter",
		env: []obj{{"name": "AWS_ROLE_ARN", "value": "arn:aws:iam::491783263510:role/payments-eu-statement-exporter"}, {"name": "AWS_WEB_IDENTITY_TOKEN_FILE", "value": "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"}, {"name": "AWS_REGION", "value": "eu-central-1"}},
		res: res("250m", "512Mi", "1", "768Mi"), revision: 1, age: 3 * time.Hour, rsAge: 3 * time.Hour,
		pods: []podState{{restarts: 26, state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=statement-exporter"), last: crash(3 * time.Minute), age: 3 * time.Hour, node: 1}}})
	w.setAlert("KubePodCrashLooping", "warning", map[string]string{"namespace": "ledger", "pod": pods[0], "container": "statement-exporter", "job": "kube-state-metrics"},
		"Pod is crash looping.", "Pod ledger/"+pods[0]+" (statement-exporter) is in waiting state (reason: \"CrashLoopBackOff\").", 2*time.Hour,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	w.want("ConfigError", "ledger", "Deployment", "statement-exporter", "AssumeRoleWithWebIdentity")
	w.logLines("ledger", pods[0], "statement-exporter", true, 3*time.Minute, 700*time.Millisecond,
		"2026-12-05T13:16:43.101Z  INFO 1 --- [statement-exporter] [           main] c.p.l.s.StatementExporterApplicationKt   : Starting StatementExporterApplicationKt v5.0.3 using Java 21.0.5 with PID 1",
		"2026-12-05T13:16:43.109Z  INFO 1 --- [statement-exporter] [           main] c.p.l.s.StatementExporterApplicationKt   : The following 2 profiles are active: \"prod\", \"eks\"",
		"2026-12-05T13:16:49.552Z  WARN 1 --- [statement-exporter] [           main] ConfigServletWebServerApplicationContext : Exception encountered during context initialization - cancelling refresh attempt: org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'statementBucket' defined in class path resource [com/paynova/ledger/statements/S3Config.class]: Failed to instantiate [software.amazon.awssdk.services.s3.model.HeadBucketResponse]: Factory method 'statementBucket' threw exception with message: Not authorized to perform sts:AssumeRoleWithWebIdentity (Service: Sts, Status Code: 403, Request ID: 5d1c1f4e-9a0b-4f7e-8d3c-2b6a1e0c9f71)",
		"2026-12-05T13:16:49.561Z ERROR 1 --- [statement-exporter] [           main] o.s.boot.SpringApplication               : Application run failed",
		"",
		"org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'statementBucket'",
		"Caused by: software.amazon.awssdk.services.sts.model.StsException: Not authorized to perform sts:AssumeRoleWithWebIdentity (Service: Sts, Status Code: 403, Request ID: 5d1c1f4e-9a0b-4f7e-8d3c-2b6a1e0c9f71)",
		"\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
		"\tat software.amazon.awssdk.services.sts.DefaultStsClient.assumeRoleWithWebIdentity(DefaultStsClient.java:1264)",
		"\tat software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider.getUpdatedCredentials(StsWebIdentityTokenFileCredentialsProvider.java:137)")
	w.event("ledger", "Pod", pods[0], "Warning", "BackOff", "Back-off restarting failed container statement-exporter in pod "+pods[0]+"_ledger("+uid("ledger", pods[0])+")", 610, w.at(170*time.Minute), w.at(40*time.Second), "kubelet", generalNodes[1])
	w.restartsMetric("ledger", pods[0], "statement-exporter", 25, 26)
	return w
}
