package main

import "fmt"

// Incidents whose cause is in the alerted workload itself.

var heldout3Cases = []func() *fixture{
	jvmHeapEqualsLimit, livenessTimeoutUnderLoad, ecrTagExpired, secretKeyMissingNoLogs,
	laravelConfigCacheTypo, taintedPoolPending, cfsThrottlingLatency, blackFridayHPAMax,
	rolloutNPE, goPanicNilMapConcurrentPull, progressingRolloutNotReady, pullOnceRecovered,
	cronBackupAuthFailed,
	esFloodStageReadOnly, corednsCorefileTypo, redisScaledToZeroOtherNs, istioWebhookCertExpired,
	nodeDiskPressureLogs, networkPolicyDefaultDeny, quotaBlocksScaleOut, partnerCertExpired,
}

// jvmHeapEqualsLimit: -Xmx set to the container limit; native memory on top
// of the heap makes the kernel kill the JVM.
func jvmHeapEqualsLimit() *fixture {
	f := newFixture("h3-jvm-xmx-equals-memory-limit", "2026-04-08T09:40:00Z")
	f.story = `The Spring Boot service invoice-renderer (namespace billing-core) starts the JVM with
-Xmx1536m inside a 1536Mi limit. Heap plus metaspace, thread stacks and direct buffers exceed
the limit under PDF rendering and the kernel kills the container (exit 137, OOMKilled) every
few minutes. A noisy WARN about a deprecated Hibernate dialect is a red herring.`
	f.source = "Kubernetes Failure Stories, https://k8s.af (several JVM-in-container OOM reports)"
	n := "gke-billing-prod-default-pool-3b1f9a2c-q7xd"
	f.node(n, "True")
	pods := f.fleet(fleet{ns: "billing-core", name: "invoice-renderer", hash: "6d9f7c8b54", image: "registry.billing.example/invoice-renderer:4.12.0",
		node: n, net: "10.48.2", n: 2, ready: 1, res: limits("1", "1536Mi"),
		tweak: func(i int, b *box) {
			if i == 0 {
				b.ready, b.restarts = false, 9
				b.state = waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container")
				b.last = terminated(f, "OOMKilled", 137, "6m", "3m10s", "")
			}
		}})
	f.container("billing-core", pods[0], "invoice-renderer", ramp(-6, -3.2, 900, 1536), 1536, level(0.8), 1, nil, ramp(-40, 0, 2, 9))
	f.container("billing-core", pods[1], "invoice-renderer", level(1180), 1536, level(0.5), 1, nil, nil)
	for _, p := range pods {
		f.repeat("billing-core/"+p+"/invoice-renderer", "30m", "4m", "90s",
			`2026-04-08 09:10:00.412  WARN 1 --- [           main] o.h.e.j.e.i.JdbcEnvironmentInitiator     : HHH000342: Could not obtain connection to query metadata; dialect org.hibernate.dialect.PostgreSQL95Dialect is deprecated`)
	}
	f.say("billing-core/"+pods[0]+"/invoice-renderer.previous",
		`6m 2026-04-08 09:34:00.101  INFO 1 --- [           main] c.b.i.InvoiceRendererApplication         : Started InvoiceRendererApplication in 21.4 seconds (JVM running for 23.0)`,
		`3m20s 2026-04-08 09:36:40.880  INFO 1 --- [nio-8080-exec-7] c.b.i.render.PdfRenderer                 : rendering batch=7781 pages=412`)
	f.event(happening{kind: "Pod", ns: "billing-core", name: pods[0], reason: "BackOff", note: "Back-off restarting failed container invoice-renderer in pod " + pods[0], count: 21, first: "40m", last: "1m"})
	f.alertOn(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "billing-core", "pod": pods[0], "container": "invoice-renderer", "severity": "warning"},
		"Pod billing-core/"+pods[0]+" (invoice-renderer) is in waiting state (reason: CrashLoopBackOff).",
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, "15m", 1)
	f.answer("OOMKilled", "billing-core", "Deployment", "invoice-renderer", "137", "1536Mi")
	return f
}

// livenessTimeoutUnderLoad: a 1s liveness timeout on a single-threaded
// Python server; slow requests block the probe handler and the kubelet kills
// healthy processes — memory is far below the limit.
func livenessTimeoutUnderLoad() *fixture {
	f := newFixture("h3-liveness-timeout-kills-busy-workers", "2026-05-19T18:25:00Z")
	f.story = `The Django API quote-api (namespace pricing) runs gunicorn with 2 sync workers. Its
liveness probe hits /healthz with timeoutSeconds 1; during the evening peak slow quote
requests occupy both workers, the probe times out, and the kubelet kills the container
(exit 137, reason Error, memory at 30% of the limit). Restarts cascade as the other pods
take the load. Not an OOM: the probe is too strict for a blocking server.`
	f.source = "Henning Jacobs, 'Kubernetes Liveness Probes are Dangerous', https://srcco.de/posts/kubernetes-liveness-probes-are-dangerous.html (k8s.af)"
	n := "gke-pricing-default-pool-7c2e11d0-m2kq"
	f.node(n, "True")
	probe := m{"livenessProbe": m{"httpGet": m{"path": "/healthz", "port": 8000}, "timeoutSeconds": 1, "periodSeconds": 5, "failureThreshold": 3}}
	pods := f.fleet(fleet{ns: "pricing", name: "quote-api", hash: "58c7d9f6b4", image: "ghcr.io/acme-pricing/quote-api:2026.05.2",
		node: n, net: "10.52.1", n: 3, ready: 1, res: limits("1", "1Gi"), probes: probe,
		tweak: func(i int, b *box) {
			if i < 2 {
				b.ready, b.restarts = false, 6+i
				b.state = running(f, fmt.Sprintf("%ds", 40+i*30))
				b.last = terminated(f, "Error", 137, "9m", fmt.Sprintf("%ds", 60+i*30), "")
			}
		}})
	for i, p := range pods {
		f.container("pricing", p, "quote-api", level(310+float64(i)*12), 1024, level(0.95), 1, nil, ramp(-30, 0, 0, float64(6+i)))
		f.requests("pricing", "quote-api", p, level(35), level(0.4), ramp(-30, -5, 0.2, 1.4))
		f.repeat("pricing/"+p+"/quote-api", "25m", "2m", "45s",
			`{"event": "request_finished", "level": "warning", "logger": "quote.views", "path": "/v2/quote", "duration_ms": 4120, "timestamp": "2026-05-19T18:00:00Z"}`)
	}
	for i := 0; i < 2; i++ {
		f.say("pricing/"+pods[i]+"/quote-api.previous",
			`8m [2026-05-19 18:17:00 +0000] [1] [INFO] Booting worker with pid: 9`,
			`2m [2026-05-19 18:23:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)`,
			`70s [2026-05-19 18:23:50 +0000] [1] [INFO] Handling signal: term`)
		f.event(happening{kind: "Pod", ns: "pricing", name: pods[i], reason: "Unhealthy", note: "Liveness probe failed: Get \"http://10.52.1." + fmt.Sprint(20+i) + ":8000/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", count: 18, first: "25m", last: "1m"})
		f.event(happening{kind: "Pod", ns: "pricing", name: pods[i], reason: "Killing", typ: "Normal", note: "Container quote-api failed liveness probe, will be restarted", count: 6, first: "25m", last: "1m"})
	}
	f.alertOn(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "pricing", "pod": pods[0], "container": "quote-api", "severity": "warning"},
		"Pod pricing/"+pods[0]+" (quote-api) is restarting 0.4 times / 10 minutes.",
		`increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[10m]) > 0`, "12m", 3)
	f.answer("ProbeFailure", "pricing", "Deployment", "quote-api", "Liveness probe failed", "context deadline exceeded")
	return f
}

// ecrTagExpired: a lifecycle policy in the registry expired an old tag; a
// node replacement reschedules pods that now cannot pull it.
func ecrTagExpired() *fixture {
	f := newFixture("h3-registry-lifecycle-deleted-tag", "2026-02-11T07:05:00Z")
	f.story = `The Node.js service notification-hub (namespace messaging) still runs the tag 1.8.3,
which the registry's lifecycle policy (keep the last 30 images) deleted. When a node was
replaced, the rescheduled pod cannot pull it: "manifest unknown". The pod on the old node
still runs the cached image.`
	f.source = "Kubernetes Failure Stories, https://k8s.af (registry clean-ups removing images in use); Amazon ECR lifecycle policies, https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html"
	old, fresh := "gke-msg-default-pool-51a0c7e3-2bvd", "gke-msg-default-pool-51a0c7e3-9xlt"
	f.node(old, "True")
	f.node(fresh, "True")
	img := "123456789012.dkr.ecr.eu-central-1.amazonaws.com/notification-hub:1.8.3"
	pods := f.fleet(fleet{ns: "messaging", name: "notification-hub", hash: "7b5f9d6c88", image: img, node: old, net: "10.60.3", n: 2, ready: 1,
		res: limits("500m", "512Mi"),
		tweak: func(i int, b *box) {
			if i == 1 {
				b.ready = false
				b.state = waiting("ImagePullBackOff", `Back-off pulling image "`+img+`"`)
			}
		}})
	f.repeat("messaging/"+pods[0]+"/notification-hub", "30m", "1m", "2m",
		`{"level":"info","message":"delivered batch","service":"notification-hub","count":120,"timestamp":"2026-02-11T06:40:00.000Z"}`)
	f.event(happening{kind: "Pod", ns: "messaging", name: pods[1], reason: "Failed", note: `Failed to pull image "` + img + `": rpc error: code = NotFound desc = failed to pull and unpack image "` + img + `": failed to resolve reference "` + img + `": ` + img + `: not found: manifest unknown: Requested image not found`, count: 8, first: "14m", last: "2m"})
	f.event(happening{kind: "Pod", ns: "messaging", name: pods[1], reason: "BackOff", typ: "Normal", note: `Back-off pulling image "` + img + `"`, count: 40, first: "14m", last: "30s"})
	f.alertOn(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "messaging", "deployment": "notification-hub", "severity": "warning"},
		"Deployment messaging/notification-hub has not matched the expected number of replicas for longer than 10 minutes.",
		`kube_deployment_spec_replicas > kube_deployment_status_replicas_available`, "11m", 1)
	f.answer("ImagePull", "messaging", "Deployment", "notification-hub", "manifest unknown")
	return f
}

// secretKeyMissingNoLogs: the container never starts, so there are no logs
// at all; only the waiting reason and events tell.
func secretKeyMissingNoLogs() *fixture {
	f := newFixture("h3-secret-key-renamed-no-logs", "2026-07-02T12:00:00Z")
	f.story = `A secret rotation in namespace identity renamed the key DB_PASSWORD to db-password; the
new pod of session-broker stays in CreateContainerConfigError ("couldn't find key
DB_PASSWORD in Secret identity/session-db"). The container never ran, so there are no logs
and no container metrics.`
	f.source = "sentry-kubernetes/charts issue #1433 'Error: couldn’t find key postgresql-password in Secret', https://github.com/sentry-kubernetes/charts/issues/1433; hetznercloud/csi-driver issue #1389, https://github.com/hetznercloud/csi-driver/issues/1389; Kubernetes Failure Stories, https://k8s.af"
	n := "gke-identity-default-pool-0a9b8c7d-ttq1"
	f.node(n, "True")
	pods := f.fleet(fleet{ns: "identity", name: "session-broker", hash: "5cc8b7d4f9", image: "quay.io/identity/session-broker:3.1.0", node: n, net: "10.70.0", n: 1, ready: 0,
		res: limits("250m", "256Mi"), created: "9m",
		tweak: func(i int, b *box) {
			b.ready = false
			b.env = []any{m{"name": "DB_PASSWORD", "valueFrom": m{"secretKeyRef": m{"name": "session-db", "key": "DB_PASSWORD"}}}}
			b.state = waiting("CreateContainerConfigError", "couldn't find key DB_PASSWORD in Secret identity/session-db")
		}})
	f.event(happening{kind: "Pod", ns: "identity", name: pods[0], reason: "Failed", note: "Error: couldn't find key DB_PASSWORD in Secret identity/session-db", count: 44, first: "9m", last: "20s"})
	f.alertOn(map[string]string{"alertname": "KubeContainerWaiting", "namespace": "identity", "pod": pods[0], "container": "session-broker", "severity": "warning"},
		"pod/"+pods[0]+" in namespace identity on container session-broker has been in waiting state for longer than 1 hour.",
		`sum by (namespace, pod, container) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`, "5m", 1)
	f.answer("ConfigError", "identity", "Deployment", "session-broker", "DB_PASSWORD", "session-db")
	return f
}

// laravelConfigCacheTypo: a ConfigMap change with a bad value makes a PHP
// app fail at boot; the previous run logs the exception.
func laravelConfigCacheTypo() *fixture {
	f := newFixture("h3-configmap-bad-env-php-boot", "2026-08-21T15:30:00Z")
	f.story = `An edit of the ConfigMap storefront-env (namespace web-shop) set DB_PORT to "5432 " with
a trailing comment pasted into the value. After the rollout restart every pod of the Laravel
app storefront-php exits at boot with an InvalidArgumentException about the port; the
previous container logs show it. Nothing in the image changed.`
	f.source = "Skyscanner engineering, 'How a couple of characters brought down our site' (a config templating typo), https://medium.com/@SkyscannerEng/how-a-couple-of-characters-brought-down-our-site-356ccaf1fbc3 (k8s.af)"
	n := "gke-webshop-default-pool-1f2e3d4c-abcd"
	f.node(n, "True")
	f.put(m{"apiVersion": "v1", "kind": "ConfigMap", "metadata": m{"name": "storefront-env", "namespace": "web-shop", "uid": f.id("cm", "storefront-env")},
		"data": m{"APP_ENV": "production", "DB_HOST": "pg.web-shop.svc.cluster.local", "DB_PORT": "5432 # primary"}})
	pods := f.fleet(fleet{ns: "web-shop", name: "storefront-php", hash: "84f6c7b9d2", image: "eu.gcr.io/webshop/storefront-php:7.4.33-r219", node: n, net: "10.80.4", n: 2, ready: 0,
		res: limits("500m", "512Mi"), created: "12m",
		tweak: func(i int, b *box) {
			b.ready, b.restarts = false, 6
			b.state = waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container")
			b.last = terminated(f, "Error", 255, "3m", "2m55s", "")
		}})
	for i, p := range pods {
		f.say("web-shop/"+p+"/storefront-php.previous",
			`3m [2026-08-21 15:27:00] production.ERROR: SQLSTATE[HY000] [2002] Invalid port: "5432 # primary" (Connection: pgsql) {"exception":"[object] (Illuminate\\Database\\QueryException(code: 2002): SQLSTATE[HY000] [2002] Invalid port at /var/www/vendor/laravel/framework/src/Illuminate/Database/Connection.php:760)"}`,
			`2m56s PHP Fatal error:  Uncaught InvalidArgumentException: DB_PORT must be numeric, got "5432 # primary" in /var/www/config/database.php:41`)
		f.container("web-shop", p, "storefront-php", level(60+float64(i)), 512, level(0.05), 0.5, nil, ramp(-12, 0, 0, 6))
	}
	f.event(happening{kind: "Pod", ns: "web-shop", name: pods[0], reason: "BackOff", note: "Back-off restarting failed container storefront-php in pod " + pods[0], count: 25, first: "11m", last: "40s"})
	f.alertOn(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "web-shop", "pod": pods[0], "container": "storefront-php", "severity": "critical"},
		"Pod web-shop/"+pods[0]+" (storefront-php) is in waiting state (reason: CrashLoopBackOff).",
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1`, "8m", 1)
	f.answer("ConfigError", "web-shop", "Deployment", "storefront-php", "DB_PORT")
	return f
}

// taintedPoolPending: a nodeSelector names a pool whose nodes are all
// tainted; new pods stay Pending.
func taintedPoolPending() *fixture {
	f := newFixture("h3-nodeselector-onto-tainted-pool", "2026-03-03T10:10:00Z")
	f.story = `The video transcoder encoder-svc (namespace media) was moved to the GPU pool by a
nodeSelector, but the pool's nodes carry the taint nvidia.com/gpu=present:NoSchedule and the
pods have no toleration. The new pods stay Pending: "0/4 nodes are available: 2 node(s) had
untolerated taint {nvidia.com/gpu: present}, 2 node(s) didn't match Pod's node
affinity/selector".`
	f.source = "kubernetes/kubernetes issue #116133 '1 node(s) had untolerated taint', https://github.com/kubernetes/kubernetes/issues/116133; kubernetes/kubernetes issue #85625 (taints that the pod didn't tolerate), https://github.com/kubernetes/kubernetes/issues/85625"
	for _, n := range []string{"gke-media-gpu-pool-8d7c6b5a-0001", "gke-media-gpu-pool-8d7c6b5a-0002", "gke-media-default-pool-2a3b4c5d-0001", "gke-media-default-pool-2a3b4c5d-0002"} {
		f.node(n, "True")
	}
	owner := f.workload(app{kind: "Deployment", ns: "media", name: "encoder-svc", replicas: 2, ready: 0, labels: map[string]string{"app": "encoder-svc"},
		revisions: []revision{{hash: "6f8d9c7b55", image: "media/encoder-svc:5.0.1", replicas: 2, ready: 0, created: "25m"}}})
	for i := 0; i < 2; i++ {
		p := "encoder-svc-6f8d9c7b55-" + suffix("enc", i)
		f.pod(podDef{ns: "media", name: p, owner: owner, labels: map[string]string{"app": "encoder-svc", "pod-template-hash": "6f8d9c7b55"}, phase: "Pending", created: "25m",
			boxes:      []box{{name: "encoder-svc", image: "media/encoder-svc:5.0.1", resources: limits("4", "8Gi")}},
			conditions: []any{m{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "lastTransitionTime": stamp(f.ago("25m")), "message": "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {nvidia.com/gpu: present}. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."}}})
		f.event(happening{kind: "Pod", ns: "media", name: p, reason: "FailedScheduling", by: "default-scheduler", modern: true, note: "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {nvidia.com/gpu: present}. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.", count: 12, first: "25m", last: "3m"})
	}
	f.alertOn(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "media", "deployment": "encoder-svc", "severity": "warning"},
		"Deployment media/encoder-svc has not matched the expected number of replicas for longer than 15 minutes.",
		`kube_deployment_spec_replicas > kube_deployment_status_replicas_available`, "10m", 2)
	f.answer("Unschedulable", "media", "Deployment", "encoder-svc", "untolerated taint")
	return f
}

// cfsThrottlingLatency: a CPU limit well under the bursts of a JVM service;
// p99 latency rises while average CPU looks moderate.
func cfsThrottlingLatency() *fixture {
	f := newFixture("h3-cfs-quota-throttles-scala-api", "2026-09-14T11:45:00Z")
	f.story = `The Scala (Akka HTTP) service route-planner (namespace journeys) has a 1-CPU limit; its
request bursts and GC threads use the whole quota in the first milliseconds of each 100ms
period, and 68% of periods are throttled. p99 latency went from 120ms to 2.4s though average
CPU use is 0.8 cores. No deploy, no error spike.`
	f.source = "Omio engineering, 'CPU limits and aggressive throttling in Kubernetes', https://medium.com/omio-engineering/cpu-limits-and-aggressive-throttling-in-kubernetes-c5b20bd8a718; kubernetes/kubernetes issue #67577 'CFS quotas can lead to unnecessary throttling', https://github.com/kubernetes/kubernetes/issues/67577"
	n := "gke-journeys-default-pool-9e8d7c6b-r4t5"
	f.node(n, "True")
	pods := f.fleet(fleet{ns: "journeys", name: "route-planner", hash: "b7c6d5e4f3", image: "europe-docker.pkg.dev/omnibus/route-planner:2.33.1", node: n, net: "10.90.1", n: 2, ready: 2,
		res: limits("1", "2Gi")})
	for _, p := range pods {
		f.container("journeys", p, "route-planner", level(1300), 2048, level(0.8), 1, ramp(-30, -15, 0.1, 0.68), nil)
		f.requests("journeys", "route-planner", p, level(80), level(0.05), ramp(-30, -15, 0.08, 1.2))
		f.repeat("journeys/"+p+"/route-planner", "30m", "1m", "50s",
			`[INFO] [09/14/2026 11:15:00.120] [planner-akka.actor.default-dispatcher-12] [akka://planner/user/http] request GET /v1/routes completed in 2210 ms`)
	}
	f.alertOn(map[string]string{"alertname": "HighLatencyP99", "namespace": "journeys", "service": "route-planner", "severity": "warning"},
		"route-planner p99 latency above 1s for 10 minutes.",
		`histogram_quantile(0.99, sum by (le, namespace, service) (rate(http_request_duration_seconds_bucket[5m]))) > 1`, "12m", 2.4)
	f.answer("CPUThrottling", "journeys", "Deployment", "route-planner", "throttl")
	return f
}

// blackFridayHPAMax: a sale drives traffic past what the HPA's maximum can
// serve; CPU is at its requests everywhere, no pod is broken.
func blackFridayHPAMax() *fixture {
	f := newFixture("h3-sale-traffic-hpa-at-max", "2026-11-27T19:05:00Z")
	f.story = `A flash sale sends checkout-web (namespace commerce) from 300 to 1,900 requests per second.
The HPA scaled to its maxReplicas of 6 fifteen minutes ago and stays there
(ScalingLimited: TooManyReplicas); every pod runs at its CPU limit, latency climbs and 5xx
(upstream timeouts) reach 7%. No pod restarted, no deploy. Slow-query warnings of the
database are a consequence, not the cause.`
	f.source = "Kubernetes Failure Stories, https://k8s.af (autoscaling capped below peak load); Kubernetes documentation, HorizontalPodAutoscaler ScalingLimited condition, https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"
	n := "gke-commerce-default-pool-4c5d6e7f-hh01"
	f.node(n, "True")
	pods := f.fleet(fleet{ns: "commerce", name: "checkout-web", hash: "7d6c5b4a39", image: "commerce/checkout-web:12.4.0", node: n, net: "10.100.2", n: 6, ready: 6,
		res: limits("1", "1Gi"), created: "200h"})
	f.put(m{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
		"metadata": m{"name": "checkout-web", "namespace": "commerce", "uid": f.id("hpa", "checkout-web")},
		"spec": m{"minReplicas": 2, "maxReplicas": 6, "scaleTargetRef": m{"apiVersion": "apps/v1", "kind": "Deployment", "name": "checkout-web"},
			"metrics": []any{m{"type": "Resource", "resource": m{"name": "cpu", "target": m{"type": "Utilization", "averageUtilization": 70}}}}},
		"status": m{"currentReplicas": 6, "desiredReplicas": 6,
			"currentMetrics": []any{m{"type": "Resource", "resource": m{"name": "cpu", "current": m{"averageUtilization": 99}}}},
			"conditions": []any{
				m{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale"},
				m{"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound"},
				m{"type": "ScalingLimited", "status": "True", "reason": "TooManyReplicas", "message": "the desired replica count is more than the maximum replica count", "lastTransitionTime": stamp(f.ago("15m"))}}}})
	for _, p := range pods {
		f.container("commerce", p, "checkout-web", level(620), 1024, ramp(-30, -15, 0.3, 1), 1, ramp(-30, -15, 0, 0.4), nil)
		f.requests("commerce", "checkout-web", p, ramp(-30, -15, 50, 295), ramp(-30, -15, 0.1, 22), ramp(-30, -15, 0.05, 0.9))
		f.repeat("commerce/"+p+"/checkout-web", "15m", "1m", "40s",
			`{"level":"error","time":"2026-11-27T18:50:00.000Z","msg":"upstream request timeout","route":"/api/cart/checkout","elapsed_ms":5000}`)
	}
	f.event(happening{kind: "HorizontalPodAutoscaler", ns: "commerce", name: "checkout-web", reason: "SuccessfulRescale", typ: "Normal", by: "horizontal-pod-autoscaler", note: "New size: 6; reason: cpu resource utilization (percentage of request) above target", first: "16m"})
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "commerce", "service": "checkout-web", "severity": "critical"},
		"checkout-web 5xx ratio above 2% for 5 minutes.",
		`sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m])) > 0.02`, "10m", 0.07)
	f.answer("TrafficSpike", "commerce", "Deployment", "checkout-web", "checkout-web")
	return f
}
