package main

import "fmt"

const p99Query = `histogram_quantile(0.99, sum by (le, namespace, service) (rate(http_request_duration_seconds_bucket[5m]))) > 1`

func hpa(in *incident, ns, name string, minR, maxR, current int, limited bool) obj {
	conds := []any{obj{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale"}}
	if limited {
		conds = append(conds, obj{"type": "ScalingLimited", "status": "True", "reason": "TooManyReplicas",
			"message": "the desired replica count is more than the maximum replica count", "lastTransitionTime": ts(in.at("-14m"))})
	}
	return obj{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
		"metadata": obj{"name": name, "namespace": ns, "uid": in.uid("hpa", ns, name)},
		"spec": obj{"scaleTargetRef": obj{"apiVersion": "apps/v1", "kind": "Deployment", "name": name}, "minReplicas": minR, "maxReplicas": maxR,
			"metrics": []any{obj{"type": "Resource", "resource": obj{"name": "cpu", "target": obj{"type": "Utilization", "averageUtilization": 70}}}}},
		"status": obj{"currentReplicas": current, "desiredReplicas": maxR, "conditions": conds}}
}

// blackFridayHPAMax: traffic beyond capacity with the autoscaler at its max.
func blackFridayHPAMax() *incident {
	in := newIncident("heldout-black-friday-hpa-at-max-gateway", "2026-11-27T09:20:00Z")
	in.summary = `Black Friday opens at 09:00: requests to shop-edge/storefront-gateway jump from
~150/s to ~700/s per pod. The HPA is pinned at its maximum of 6 replicas
(ScalingLimited), CPU sits at the limit, p99 latency climbs past 3s and nginx returns
503 for upstream timeouts. Nothing crashed; capacity is the cause.`
	in.source = "'Kubernetes autoscaling with HPA' (Black Friday: traffic 10x, 3 pods, 503s), https://superallen.org/blog/2019/kubernetes-autoscaling-hpa; 'Autoscaling for traffic spikes', https://climstech.com/blog/autoscaling-traffic-spikes"
	nodes := []string{"ip-172-31-4-18.ec2.internal", "ip-172-31-9-77.ec2.internal"}
	for _, n := range nodes {
		in.add(in.node(n, true))
	}
	gw := in.workload(wl{kind: "Deployment", ns: "shop-edge", name: "storefront-gateway", replicas: 6, ready: 6, updated: 6,
		labels: map[string]string{"app": "storefront-gateway"}, image: "nginx:1.27.2", rsHash: "58f9d6c7b"})
	in.add(hpa(in, "shop-edge", "storefront-gateway", 2, 6, 6, true))
	var ips []string
	for i := range 6 {
		p := fmt.Sprintf("storefront-gateway-58f9d6c7b-%c%c%ckz", 'a'+i, 'm'+i, 'q'+i)
		ip := fmt.Sprintf("172.31.20.%d", 10+i)
		ips = append(ips, ip)
		created := "-200h"
		if i >= 2 {
			created = fmt.Sprintf("-%dm", 18-i)
		}
		in.add(in.pod(podSpec{ns: "shop-edge", name: p, node: nodes[i%2], ip: ip, owner: gw, created: created,
			labels:     map[string]string{"app": "storefront-gateway", "pod-template-hash": "58f9d6c7b"},
			containers: []ctr{{name: "nginx", image: "nginx:1.27.2", ready: true, running: created, cpuLimit: "1", cpuReq: "500m", memLimit: "256Mi"}}}))
		path := "shop-edge/" + p + "/nginx"
		in.logEvery(path, "-40m", "-21m", "30s", `10.0.3.7 - - [27/Nov/2026:08:40:00 +0000] "GET /api/products?page=2 HTTP/1.1" 200 5120 "-" "Mozilla/5.0" rt=0.081 uct=0.001`)
		in.logEvery(path, "-19m", "-5s", "4s", `10.0.3.7 - - [27/Nov/2026:09:01:00 +0000] "GET /api/cart HTTP/1.1" 503 197 "-" "Mozilla/5.0" rt=5.001 uct=-`)
		in.logEvery(path, "-19m", "-20s", "29s", `2026/11/27 09:01:00 [error] 31#31: *88231 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.3.7, server: _, request: "GET /api/cart HTTP/1.1", upstream: "http://127.0.0.1:9000/api/cart"`)
		in.httpSeries("shop-edge", "storefront-gateway", p, step(150, 610, -19), step(0.2, 40, -19), step(0.08, 2.2, -19))
		in.podSeries("shop-edge", p, "nginx", flat(120), 256, step(0.35, 0.99, -19), 1, nil)
	}
	in.service("shop-edge", "storefront-gateway", map[string]string{"app": "storefront-gateway"}, 80, ips, nil)
	in.events(ev{kind: "HorizontalPodAutoscaler", ns: "shop-edge", name: "storefront-gateway", reason: "SuccessfulRescale", typ: "Normal",
		msg: "New size: 6; reason: cpu resource utilization (percentage of request) above target", first: "-16m", component: "horizontal-pod-autoscaler"})
	in.series("kube_horizontalpodautoscaler_status_current_replicas", "gauge", lbl("namespace", "shop-edge", "horizontalpodautoscaler", "storefront-gateway", "job", "kube-state-metrics"), "-60m", step(2, 6, -16))
	in.series("kube_horizontalpodautoscaler_spec_max_replicas", "gauge", lbl("namespace", "shop-edge", "horizontalpodautoscaler", "storefront-gateway", "job", "kube-state-metrics"), "-60m", flat(6))
	in.fire(map[string]string{"alertname": "HighLatencyP99", "namespace": "shop-edge", "service": "storefront-gateway", "severity": "critical"},
		"storefront-gateway p99 above 1s", p99Query, "15m", 3.4)
	in.want("TrafficSpike", "shop-edge", "Deployment", "storefront-gateway", "storefront-gateway", "maximum")
	return in
}

// quoteServiceHPAMaxGCRedHerring: a Java service at HPA max; GC warnings are
// a red herring.
func quoteServiceHPAMaxGCRedHerring() *incident {
	in := newIncident("heldout-hpa-maxed-quote-service-gc-warnings", "2026-03-02T16:45:00Z")
	in.summary = `A partner starts batch-pricing through quote-svc (Spring Boot, namespace pricing):
requests per pod triple, the HPA sits at maxReplicas 4 with ScalingLimited, Tomcat's
thread pool is exhausted and p99 passes 2s. The JVM logs G1 "to-space exhausted"
warnings that were there the day before as well (a red herring); no pod restarted.`
	in.source = "'Scenario: Preparing for and Handling a Traffic Spike' (HPA latency, pre-scaling), https://agent-zone.pages.dev/knowledge/kubernetes/scenarios-scaling-for-traffic-spike"
	node := "node-pool-b-4"
	in.add(in.node(node, true))
	q := in.workload(wl{kind: "Deployment", ns: "pricing", name: "quote-svc", replicas: 4, ready: 4, updated: 4,
		labels: map[string]string{"app": "quote-svc"}, image: "harbor.internal/pricing/quote-svc:7.4.2", rsHash: "6d4c8f9b5"})
	in.add(hpa(in, "pricing", "quote-svc", 2, 4, 4, true))
	for i := range 4 {
		p := fmt.Sprintf("quote-svc-6d4c8f9b5-%cw%cx", 'b'+i, 'k'+i)
		in.add(in.pod(podSpec{ns: "pricing", name: p, node: node, ip: fmt.Sprintf("10.1.4.%d", 40+i), owner: q,
			labels:     map[string]string{"app": "quote-svc", "pod-template-hash": "6d4c8f9b5"},
			containers: []ctr{{name: "app", image: "harbor.internal/pricing/quote-svc:7.4.2", ready: true, running: "-70h", cpuLimit: "2", memLimit: "2Gi"}}}))
		path := "pricing/" + p + "/app"
		in.logEvery(path, "-60m", "-1m", "6m", `2026-03-02T15:45:00.000Z  WARN 1 --- [gc-monitor] c.a.p.jvm.GcWatcher : G1 evacuation pause (to-space exhausted) took 212ms`)
		in.logEvery(path, "-60m", "-21m", "40s", `2026-03-02T15:45:00.000Z  INFO 1 --- [nio-8080-exec-3] c.a.p.quote.QuoteController : quote computed sku=%d in 41ms`)
		in.logEvery(path, "-20m", "-10s", "7s", `2026-03-02T16:25:00.000Z  WARN 1 --- [nio-8080-exec-200] o.a.t.util.threads.ThreadPoolExecutor : Task queue full, rejecting request: pool size 200 of max 200`)
		in.httpSeries("pricing", "quote-svc", p, step(80, 260, -20), step(0.1, 12, -20), step(0.09, 1.4, -20))
		in.podSeries("pricing", p, "app", flat(1300), 2048, step(0.6, 1.95, -20), 2, nil)
	}
	in.fire(map[string]string{"alertname": "HighLatencyP99", "namespace": "pricing", "service": "quote-svc", "severity": "warning"},
		"quote-svc p99 above 1s", p99Query, "16m", 2.3)
	in.want("TrafficSpike", "pricing", "Deployment", "quote-svc", "quote-svc")
	return in
}

// livenessTimeoutUnderLoad: liveness probes time out under load and the
// kubelet kills healthy containers (exit 137, not OOM: memory is low).
func livenessTimeoutUnderLoad() *incident {
	in := newIncident("heldout-liveness-timeouts-kill-busy-pods", "2026-11-03T14:30:00Z")
	in.summary = `profile-svc (namespace identity) restarts every few minutes. Its liveness probe
(1s timeout) calls an endpoint that queries the database; when the database slowed
down the probe timed out and the kubelet killed the containers (exit code 137 after
SIGKILL). Memory stays at a third of the limit: this is not an OOM kill.`
	in.source = "'Kubernetes Liveness Probes Failures' post-mortem (1s timeout, cascading restarts), https://www.vdnt.click/blog/k8s-liveness-probes; Netdata, 'Kubernetes pod liveness probe killing healthy containers', https://www.netdata.cloud/guides/kubernetes/kubernetes-pod-liveness-probe-killing/"
	node := "pool-std-8a3f"
	in.add(in.node(node, true))
	d := in.workload(wl{kind: "Deployment", ns: "identity", name: "profile-svc", replicas: 3, ready: 1, updated: 3,
		labels: map[string]string{"app": "profile-svc"}, image: "quay.io/acme/profile-svc:2.8.0", rsHash: "84d6b7c9f"})
	for i := range 3 {
		p := fmt.Sprintf("profile-svc-84d6b7c9f-%cq%cr", 'd'+i, 'n'+i)
		in.add(in.pod(podSpec{ns: "identity", name: p, node: node, ip: fmt.Sprintf("10.12.0.%d", 20+i), owner: d,
			labels: map[string]string{"app": "profile-svc", "pod-template-hash": "84d6b7c9f"},
			containers: []ctr{{name: "profile", image: "quay.io/acme/profile-svc:2.8.0", ready: i == 0, restarts: 6 + i, running: "-50s",
				last:     &term{reason: "Error", exit: 137, started: "-4m", ended: "-55s"},
				memLimit: "1Gi", liveness: httpProbe("/health", 8080, 5, 1, 3), readiness: httpProbe("/health", 8080, 5, 1, 1)}}}))
		in.events(
			ev{kind: "Pod", ns: "identity", name: p, reason: "Unhealthy", fieldPath: "spec.containers{profile}",
				msg: "Liveness probe failed: Get \"http://10.12.0.2" + fmt.Sprint(i) + ":8080/health\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", count: 40 + i, first: "-35m", last: "-1m"},
			ev{kind: "Pod", ns: "identity", name: p, reason: "Killing", typ: "Normal", fieldPath: "spec.containers{profile}",
				msg: "Container profile failed liveness probe, will be restarted", count: 6 + i, first: "-33m", last: "-1m"},
		)
		path := "identity/" + p + "/profile"
		in.log(path+".previous",
			`-4m {"ts":"2026-11-03T14:26:00Z","lvl":"info","msg":"server started","port":8080}`,
			`-3m {"ts":"2026-11-03T14:27:00Z","lvl":"warn","msg":"slow query","query":"SELECT 1 FROM profiles LIMIT 1","ms":1840}`,
			`-2m {"ts":"2026-11-03T14:28:00Z","lvl":"warn","msg":"slow query","query":"SELECT * FROM profiles WHERE id=$1","ms":2210}`,
			`-1m {"ts":"2026-11-03T14:29:00Z","lvl":"info","msg":"shutting down on SIGTERM"}`)
		in.log(path, `-50s {"ts":"2026-11-03T14:29:10Z","lvl":"info","msg":"server started","port":8080}`)
		in.podSeries("identity", p, "profile", flat(340), 1024, flat(0.4), 0, counter(step(0, 0.003, -35)))
	}
	in.fire(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "identity", "pod": "profile-svc-84d6b7c9f-eqor", "container": "profile", "severity": "warning"},
		"Pod is crash looping.", `increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[15m]) > 2`, "20m", 4)
	in.want("ProbeFailure", "identity", "Deployment", "profile-svc", "liveness", "profile-svc")
	return in
}

// gunicornHealthcheckDBPing: a Python service whose health check depends on
// Redis; the liveness probe restarts pods when Redis is slow.
func gunicornHealthcheckDBPing() *incident {
	in := newIncident("heldout-liveness-healthcheck-pings-dependency", "2026-08-14T11:05:00Z")
	in.summary = `reports-api (gunicorn/Flask, namespace analytics) restarts in a loop. The liveness
and readiness probes share /healthz, which pings the database; under load the ping
exceeds the probe's 2s timeout, the kubelet restarts the workers and the remaining pods
take more load. Exit code 143 (SIGTERM), no OOM, memory well below the limit.`
	in.source = "'Liveness vs readiness' (same /health endpoint with a database ping, cascading restarts), https://www.sivabuilds.com/notes/liveness-vs-readiness; k8s-issues scenario #419, https://k8s-issues.purutuladhar.com/scenario/419"
	node := "worker-b-12"
	in.add(in.node(node, true))
	d := in.workload(wl{kind: "Deployment", ns: "analytics", name: "reports-api", replicas: 2, ready: 0, updated: 2,
		labels: map[string]string{"app": "reports-api"}, image: "registry.gitlab.com/acme/reports-api:5.0.3", rsHash: "7b8d9c5f4"})
	for i := range 2 {
		p := fmt.Sprintf("reports-api-7b8d9c5f4-%cz%cp", 'h'+i, 'a'+i)
		in.add(in.pod(podSpec{ns: "analytics", name: p, node: node, ip: fmt.Sprintf("10.20.5.%d", 60+i), owner: d,
			labels: map[string]string{"app": "reports-api", "pod-template-hash": "7b8d9c5f4"},
			containers: []ctr{{name: "gunicorn", image: "registry.gitlab.com/acme/reports-api:5.0.3", restarts: 11 + i,
				waiting: "CrashLoopBackOff", waitingMsg: "back-off 1m20s restarting failed container=gunicorn pod=" + p,
				last:     &term{reason: "Error", exit: 143, started: "-3m", ended: "-1m30s"},
				memLimit: "1Gi", liveness: httpProbe("/healthz", 8000, 10, 2, 3), readiness: httpProbe("/healthz", 8000, 10, 2, 1)}}}))
		in.events(ev{kind: "Pod", ns: "analytics", name: p, reason: "Unhealthy", fieldPath: "spec.containers{gunicorn}",
			msg: "Liveness probe failed: Get \"http://10.20.5.6" + fmt.Sprint(i) + ":8000/healthz\": context deadline exceeded", count: 66, first: "-40m", last: "-1m40s"},
			ev{kind: "Pod", ns: "analytics", name: p, reason: "BackOff", msg: "Back-off restarting failed container gunicorn in pod " + p + "_analytics", count: 25, first: "-30m", last: "-20s"})
		path := "analytics/" + p + "/gunicorn.previous"
		in.log(path,
			`-3m [2026-08-14 11:02:00 +0000] [1] [INFO] Starting gunicorn 22.0.0`,
			`-3m [2026-08-14 11:02:00 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)`,
			`-2m [2026-08-14 11:03:00 +0000] [8] [WARNING] healthz: database ping took 2.8s`,
			`-2m [2026-08-14 11:03:10 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:8)`,
			`-1m30s [2026-08-14 11:03:30 +0000] [1] [INFO] Handling signal: term`)
		in.podSeries("analytics", p, "gunicorn", flat(260), 1024, flat(0.7), 0, counter(step(0, 0.005, -40)))
	}
	in.fire(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "analytics", "pod": "reports-api-7b8d9c5f4-hzap", "container": "gunicorn", "severity": "warning"},
		"Pod is crash looping.", `increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[15m]) > 2`, "25m", 5)
	in.want("ProbeFailure", "analytics", "Deployment", "reports-api", "/healthz", "liveness")
	return in
}
