package main

import "fmt"

const crashQuery = `increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[15m]) > 2`

// simpleApp is a Deployment with pods that all share one container shape;
// mk adjusts each pod's container.
func simpleApp(in *incident, ns, name, image, hash, node string, n int, mk func(i int, c *ctr)) []string {
	d := in.workload(wl{kind: "Deployment", ns: ns, name: name, replicas: n, ready: 0, updated: n,
		labels: map[string]string{"app": name}, image: image, rsHash: hash})
	var pods []string
	for i := range n {
		p := fmt.Sprintf("%s-%s-%c%c%c%c%c", name, hash, 'b'+i, 'x'-i, '4'+i, 'k', 'm'+i)
		c := ctr{name: name, image: image, ready: true, running: "-30h"}
		mk(i, &c)
		in.add(in.pod(podSpec{ns: ns, name: p, node: node, ip: fmt.Sprintf("10.60.%d.%d", len(ns), 10+i), owner: d,
			labels: map[string]string{"app": name, "pod-template-hash": hash}, containers: []ctr{c}}))
		pods = append(pods, p)
	}
	return pods
}

func jvmHeapOverLimit() *incident {
	in := newIncident("heldout-jvm-heap-larger-than-container-limit", "2026-01-19T13:15:00Z")
	in.summary = `claims-processor (Java 17, namespace insurance) is OOMKilled minutes after each
start: -Xmx2g plus metaspace and direct buffers exceed the 2Gi container limit when the
nightly batch fills the heap. Exit code 137, reason OOMKilled; the JVM itself never
logs an OutOfMemoryError.`
	in.source = "Netdata, 'Kubernetes pod liveness probe killing healthy containers' (OOM vs probe kills), https://www.netdata.cloud/guides/kubernetes/kubernetes-pod-liveness-probe-killing/; DevOps Shack, 'Kubernetes Outages: 8 Real-World Failures', https://pdfcoffee.com/kubernetes-outages-pdf-free.html"
	node := "n2-highmem-pool-3"
	in.add(in.node(node, true))
	pods := simpleApp(in, "insurance", "claims-processor", "europe-docker.pkg.dev/acme/insurance/claims-processor:22.1", "5f8b7c6d9", node, 2, func(i int, c *ctr) {
		c.ready, c.restarts, c.running = false, 7+i, "-40s"
		c.last = &term{reason: "OOMKilled", exit: 137, started: "-6m", ended: "-1m"}
		c.memLimit, c.memReq = "2Gi", "2Gi"
		c.env = []obj{{"name": "JAVA_TOOL_OPTIONS", "value": "-Xms2g -Xmx2g -XX:MaxMetaspaceSize=256m"}}
	})
	for _, p := range pods {
		path := "insurance/" + p + "/claims-processor"
		in.log(path+".previous",
			`-6m 13:09:00.112 [main] INFO  o.s.b.StartupInfoLogger - Started ClaimsProcessorApplication in 21.4 seconds`,
			`-4m 13:11:00.004 [batch-1] INFO  c.a.c.batch.NightlyImport - importing claims file claims-2026-01-19.csv (1.8 GB)`,
			`-2m 13:13:00.817 [batch-1] INFO  c.a.c.batch.NightlyImport - 412000 claims parsed`)
		in.log(path, `-40s 13:14:20.001 [main] INFO  o.s.b.StartupInfoLogger - Starting ClaimsProcessorApplication v22.1`)
		in.podSeries("insurance", p, "claims-processor", func(m float64) float64 { return 1500 + 90*(m+60-float64(int(m+60)/5*5)) }, 2048, flat(1.2), 0, counter(step(0, 0.003, -40)))
		in.series("kube_pod_container_status_last_terminated_reason", "gauge", lbl("namespace", "insurance", "pod", p, "container", "claims-processor", "reason", "OOMKilled", "job", "kube-state-metrics"), "-40m", flat(1))
	}
	in.fire(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "insurance", "pod": pods[0], "container": "claims-processor", "severity": "warning"},
		"Pod is crash looping.", crashQuery, "30m", 4)
	in.want("OOMKilled", "insurance", "Deployment", "claims-processor", "OOMKilled", "claims-processor")
	return in
}

func pythonMissingEnvKeyError() *incident {
	in := newIncident("heldout-python-keyerror-missing-env", "2026-05-02T07:30:00Z")
	in.summary = `notifier (Python 3.12 worker, namespace comms) crashes at start with
KeyError: 'SMTP_RELAY_HOST': the ConfigMap it reads its environment from was
re-created without that key. Exit code 1 at every start, CrashLoopBackOff.`
	in.source = "bitnami/charts issue #30441 (crashlooping after a values change; the logs name the cause), https://github.com/bitnami/charts/issues/30441"
	node := "gke-comms-pool-1-z9"
	in.add(in.node(node, true))
	in.add(obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": obj{"name": "notifier-env", "namespace": "comms"},
		"data": obj{"SMTP_PORT": "587", "LOG_LEVEL": "info"}})
	pods := simpleApp(in, "comms", "notifier", "us-docker.pkg.dev/acme/comms/notifier:3.9.0", "64c9d8b7f", node, 1, func(i int, c *ctr) {
		c.ready, c.restarts, c.running = false, 14, ""
		c.waiting, c.waitingMsg = "CrashLoopBackOff", "back-off 5m0s restarting failed container"
		c.last = &term{reason: "Error", exit: 1, started: "-2m", ended: "-2m"}
		c.envFrom = []obj{{"configMapRef": obj{"name": "notifier-env"}}}
	})
	path := "comms/" + pods[0] + "/notifier.previous"
	in.log(path,
		`-2m Traceback (most recent call last):`,
		`-2m   File "/app/notifier/__main__.py", line 4, in <module>`,
		`-2m     from notifier.settings import settings`,
		`-2m   File "/app/notifier/settings.py", line 19, in <module>`,
		`-2m     relay = os.environ["SMTP_RELAY_HOST"]`,
		`-2m             ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^`,
		`-2m   File "<frozen os>", line 714, in __getitem__`,
		`-2m KeyError: 'SMTP_RELAY_HOST'`)
	in.events(ev{kind: "Pod", ns: "comms", name: pods[0], reason: "BackOff", msg: "Back-off restarting failed container notifier in pod " + pods[0] + "_comms", count: 60, first: "-50m", last: "-1m"})
	in.podSeries("comms", pods[0], "notifier", flat(40), 256, nil, 0, counter(step(0, 0.004, -55)))
	in.fire(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "comms", "pod": pods[0], "container": "notifier", "severity": "warning"},
		"Pod is crash looping.", crashQuery, "45m", 3)
	in.want("ConfigError", "comms", "Deployment", "notifier", "SMTP_RELAY_HOST", "KeyError")
	return in
}

func ghcrTagDeleted() *incident {
	in := newIncident("heldout-imagepull-tag-deleted-from-registry", "2026-09-30T12:10:00Z")
	in.summary = `A retention policy on the registry deleted tag 0.9.7 of ghcr.io/acme/docs-site; the
Deployment docs-site (namespace web) still references it. New pods fail with
ErrImagePull "manifest unknown" and sit in ImagePullBackOff after a node rotation.`
	in.source = "DevOps Shack, 'Kubernetes Outages: 8 Real-World Failures' (ImagePullBackOff), https://pdfcoffee.com/kubernetes-outages-pdf-free.html"
	node := "pool-general-ab12"
	in.add(in.node(node, true))
	pods := simpleApp(in, "web", "docs-site", "ghcr.io/acme/docs-site:0.9.7", "7d6c5b4f8", node, 2, func(i int, c *ctr) {
		c.ready, c.running = false, ""
		c.waiting, c.waitingMsg = "ImagePullBackOff", `Back-off pulling image "ghcr.io/acme/docs-site:0.9.7"`
	})
	for _, p := range pods {
		in.events(
			ev{kind: "Pod", ns: "web", name: p, reason: "Failed", fieldPath: "spec.containers{docs-site}",
				msg: `Failed to pull image "ghcr.io/acme/docs-site:0.9.7": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/docs-site:0.9.7": failed to resolve reference "ghcr.io/acme/docs-site:0.9.7": ghcr.io/acme/docs-site:0.9.7: not found: manifest unknown`, count: 9, first: "-25m", last: "-2m"},
			ev{kind: "Pod", ns: "web", name: p, reason: "BackOff", typ: "Normal", msg: `Back-off pulling image "ghcr.io/acme/docs-site:0.9.7"`, count: 100, first: "-25m", last: "-10s"},
		)
		in.series("kube_pod_container_status_waiting_reason", "gauge", lbl("namespace", "web", "pod", p, "container", "docs-site", "reason", "ImagePullBackOff", "job", "kube-state-metrics"), "-25m", flat(1))
	}
	in.fire(map[string]string{"alertname": "KubeContainerWaiting", "namespace": "web", "pod": pods[0], "container": "docs-site", "severity": "warning"},
		"Pod container waiting", `sum by (namespace, pod, container) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`, "15m", 1)
	in.want("ImagePull", "web", "Deployment", "docs-site", "manifest unknown", "0.9.7")
	return in
}

func partnerCertExpired() *incident {
	in := newIncident("heldout-partner-api-certificate-expired", "2026-08-01T00:20:00Z")
	in.summary = `At midnight the TLS certificate of the partner endpoint api.carrier-link.example
expired; shipping-quotes (Go, namespace logistics) fails every call with "x509:
certificate has expired or is not yet valid" and answers 502. The responsible object is
the external endpoint.`
	in.source = "'Scenario: TLS Certificate Expired' (curl: certificate has expired; renewal failed), https://grokdatum.github.io/grokdevops-wiki/library/interview-scenarios/12-certificate-expired"
	node := "prod-np-7"
	in.add(in.node(node, true))
	pods := simpleApp(in, "logistics", "shipping-quotes", "registry.acme.io/logistics/shipping-quotes:1.2.9", "58bd6c7f4", node, 2, func(int, *ctr) {})
	for _, p := range pods {
		path := "logistics/" + p + "/shipping-quotes"
		in.logEvery(path, "-50m", "-21m", "50s", `time=2026-07-31T23:30:00Z level=INFO msg="quote ok" carrier=carrier-link ms=120`)
		in.logEvery(path, "-20m", "-10s", "8s", `time=2026-08-01T00:00:05Z level=ERROR msg="carrier quote failed" carrier=carrier-link err="Post \"https://api.carrier-link.example/v3/rates\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-08-01T00:00:05Z is after 2026-07-31T23:59:59Z"`)
		in.httpSeries("logistics", "shipping-quotes", p, step(30, 2, -20), step(0, 28, -20), nil)
	}
	in.fire(map[string]string{"alertname": "ServiceHigh5xxRatio", "namespace": "logistics", "service": "shipping-quotes", "severity": "critical"},
		"logistics/shipping-quotes 5xx ratio above 5%", errRatioQuery, "18m", 0.93)
	in.want("TLSFailure", "", "External", "api.carrier-link.example", "certificate has expired", "api.carrier-link.example")
	return in
}

func nodeKubeletStopped() *incident {
	in := newIncident("heldout-node-not-ready-after-os-update", "2026-03-08T07:10:00Z")
	in.summary = `An unattended OS update restarted systemd-networkd on node bm-rack2-14 and removed
its routes: the kubelet stops posting status, the node goes NotReady and the pods of
the kafka StatefulSet on it are marked not ready. The node is the responsible object.`
	in.source = "Datadog, '2023-03-08 incident: A deep dive into our incident response' (systemd update removed network routes on nodes), https://www.datadoghq.com/blog/2023-03-08-multiregion-infrastructure-connectivity-issue/"
	bad, good := "bm-rack2-14", "bm-rack2-15"
	in.add(in.node(bad, false), in.node(good, true))
	in.events(ev{kind: "Node", name: bad, reason: "NodeNotReady", typ: "Normal", msg: "Node " + bad + " status is now: NodeNotReady", first: "-14m", component: "node-controller"})
	s := in.workload(wl{kind: "StatefulSet", ns: "streaming", name: "kafka", replicas: 2, ready: 1, updated: 2,
		labels: map[string]string{"app": "kafka"}, image: "apache/kafka:3.7.0"})
	for i, n := range []string{bad, good} {
		p := fmt.Sprintf("kafka-%d", i)
		ready := n == good
		conds := []obj{{"type": "Ready", "status": "True"}}
		if !ready {
			conds = []obj{{"type": "Ready", "status": "False", "reason": "NodeNotReady", "lastTransitionTime": ts(in.at("-13m"))}}
		}
		in.add(in.pod(podSpec{ns: "streaming", name: p, node: n, ip: fmt.Sprintf("10.70.0.%d", 5+i), owner: s, labels: map[string]string{"app": "kafka"},
			conditions: conds,
			containers: []ctr{{name: "kafka", image: "apache/kafka:3.7.0", ready: ready, running: "-600h", memLimit: "6Gi"}}}))
		in.series("kube_pod_status_ready", "gauge", lbl("namespace", "streaming", "pod", p, "condition", "true", "job", "kube-state-metrics"), "-60m", step(1, map[bool]float64{true: 1, false: 0}[ready], -13))
	}
	in.events(ev{kind: "Pod", ns: "streaming", name: "kafka-0", reason: "NodeNotReady", msg: "Node is not ready", first: "-13m", component: "node-controller"})
	in.logEvery("streaming/kafka-1/kafka", "-12m", "-30s", "45s", `[2026-03-08 06:58:00,000] WARN [ReplicaFetcher replicaId=1, leaderId=0, fetcherId=0] Error in response for fetch request (kafka.server.ReplicaFetcherThread) java.net.SocketTimeoutException: Failed to connect within 30000 ms`)
	in.series("kube_node_status_condition", "gauge", lbl("node", bad, "condition", "Ready", "status", "true", "job", "kube-state-metrics"), "-60m", step(1, 0, -14))
	in.series("kube_node_status_condition", "gauge", lbl("node", good, "condition", "Ready", "status", "true", "job", "kube-state-metrics"), "-60m", flat(1))
	in.fire(map[string]string{"alertname": "KubeStatefulSetReplicasMismatch", "namespace": "streaming", "statefulset": "kafka", "severity": "warning"},
		"StatefulSet has not matched the expected number of replicas.",
		`sum by (namespace) (kube_pod_status_ready{condition="true",namespace="streaming"}) < 2`, "10m", 1)
	in.want("NodePressure", "", "Node", bad, bad, "NotReady")
	return in
}

func nodeDiskPressureLogs() *incident {
	in := newIncident("heldout-node-disk-pressure-container-logs", "2026-06-03T02:45:00Z")
	in.summary = `A debug log level left on by a release fills the root disk of node edge-w-02 with
container logs; the kubelet reports DiskPressure, taints the node and evicts pods,
including pods of thumbnails (namespace media) that were fine. The node is the
responsible object.`
	in.source = "DevOps Shack, 'Kubernetes Outages: 8 Real-World Failures' (node disk full, evictions), https://pdfcoffee.com/kubernetes-outages-pdf-free.html"
	node := "edge-w-02"
	in.add(in.node(node, true, obj{"type": "DiskPressure", "status": "True", "reason": "KubeletHasDiskPressure",
		"message": "kubelet has disk pressure", "lastTransitionTime": ts(in.at("-22m"))}))
	d := in.workload(wl{kind: "Deployment", ns: "media", name: "thumbnails", replicas: 2, ready: 1, updated: 2,
		labels: map[string]string{"app": "thumbnails"}, image: "registry.acme.io/media/thumbnails:8.0.1", rsHash: "6f9c8d7b5"})
	ev1 := "thumbnails-6f9c8d7b5-qd2lx"
	in.add(in.pod(podSpec{ns: "media", name: ev1, node: node, owner: d, phase: "Failed", reason: "Evicted",
		message: "The node was low on resource: ephemeral-storage. Threshold quantity: 7680Mi, available: 6012Mi. Container thumbnails was using 112Mi, request is 0, has larger consumption of ephemeral-storage.",
		labels:  map[string]string{"app": "thumbnails", "pod-template-hash": "6f9c8d7b5"}, created: "-60h",
		containers: []ctr{{name: "thumbnails", image: "registry.acme.io/media/thumbnails:8.0.1",
			terminated: &term{reason: "ContainerStatusUnknown", exit: 137, started: "-60h", ended: "-20m", message: "The container could not be located when the pod was terminated"}}}}))
	in.add(in.pod(podSpec{ns: "media", name: "thumbnails-6f9c8d7b5-w8rnk", phase: "Pending", owner: d,
		labels: map[string]string{"app": "thumbnails", "pod-template-hash": "6f9c8d7b5"}, created: "-19m",
		conditions: []obj{{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }."}},
		containers: []ctr{{name: "thumbnails", image: "registry.acme.io/media/thumbnails:8.0.1"}}}))
	in.events(
		ev{kind: "Node", name: node, reason: "EvictionThresholdMet", msg: "Attempting to reclaim ephemeral-storage", first: "-22m", last: "-2m", count: 8},
		ev{kind: "Pod", ns: "media", name: ev1, reason: "Evicted", msg: "The node was low on resource: ephemeral-storage. Threshold quantity: 7680Mi, available: 6012Mi.", first: "-20m"},
		ev{kind: "Pod", ns: "media", name: "thumbnails-6f9c8d7b5-w8rnk", reason: "FailedScheduling", component: "default-scheduler", series: true, count: 7,
			msg: "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", first: "-19m", last: "-1m"},
	)
	in.series("kube_node_status_condition", "gauge", lbl("node", node, "condition", "DiskPressure", "status", "true", "job", "kube-state-metrics"), "-60m", step(0, 1, -22))
	in.series("kube_deployment_spec_replicas", "gauge", lbl("namespace", "media", "deployment", "thumbnails", "job", "kube-state-metrics"), "-60m", flat(2))
	in.series("kube_deployment_status_replicas_available", "gauge", lbl("namespace", "media", "deployment", "thumbnails", "job", "kube-state-metrics"), "-60m", step(2, 1, -20))
	in.fire(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "media", "deployment": "thumbnails", "severity": "warning"},
		"Deployment has not matched the expected number of replicas.",
		`kube_deployment_spec_replicas{job="kube-state-metrics"} != kube_deployment_status_replicas_available{job="kube-state-metrics"}`, "15m", 1)
	in.want("NodePressure", "", "Node", node, "ephemeral-storage", node)
	return in
}

func phpFpmThrottled() *incident {
	in := newIncident("heldout-php-fpm-cpu-throttled-latency", "2026-04-22T19:30:00Z")
	in.summary = `wp-frontend (nginx + php-fpm, namespace blog) gets slow at peak although average CPU
use is below its 500m limit: CFS throttles the container in 70% of periods because
php-fpm bursts across many workers. p99 latency passes 1.5s; no errors, no restarts.`
	in.source = "Eric Khun, 'Kubernetes: make your services faster by removing CPU limits' (Buffer), https://erickhun.com/posts/kubernetes-faster-services-no-cpu-limits/"
	node := "doks-pool-k3v9"
	in.add(in.node(node, true))
	pods := simpleApp(in, "blog", "wp-frontend", "registry.digitalocean.com/acme/wp-frontend:6.5-fpm", "79f8c6d5b", node, 2, func(i int, c *ctr) {
		c.cpuLimit, c.cpuReq, c.memLimit = "500m", "250m", "512Mi"
	})
	for _, p := range pods {
		path := "blog/" + p + "/wp-frontend"
		in.logEvery(path, "-30m", "-20s", "25s", `[22-Apr-2026 19:10:00] WARNING: [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 14 total children`)
		in.httpSeries("blog", "wp-frontend", p, flat(45), flat(0.05), step(0.12, 0.9, -25))
		in.podSeries("blog", p, "wp-frontend", flat(300), 512, step(0.2, 0.42, -25), 0.5, nil)
		base := lbl("namespace", "blog", "pod", p, "container", "wp-frontend", "job", "kubelet")
		in.series("container_cpu_cfs_periods", "counter", base, "-60m", counter(flat(10)))
		in.series("container_cpu_cfs_throttled_periods", "counter", base, "-60m", counter(step(0.5, 7, -25)))
	}
	in.fire(map[string]string{"alertname": "HighLatencyP99", "namespace": "blog", "service": "wp-frontend", "severity": "warning"},
		"wp-frontend p99 above 1s", p99Query, "20m", 1.6)
	in.want("CPUThrottling", "blog", "Deployment", "wp-frontend", "wp-frontend", "throttl")
	return in
}

func nodeBadDeployTypeError() *incident {
	in := newIncident("heldout-rollout-typeerror-new-replicaset", "2026-10-08T10:40:00Z")
	in.summary = `Release 2.14.0 of cart-api (Node.js, namespace shop) went out at 10:22. Pods of the
new ReplicaSet throw "TypeError: Cannot read properties of undefined (reading
'currency')" on every checkout and answer 500; the pods still on 2.13.4 serve fine.
The rollout is the cause.`
	in.source = "kubernetes-sigs/kubernetes-mixin PR #543 (rollouts and replicas alerts), https://github.com/kubernetes-sigs/kubernetes-mixin/pull/543; DevOps Shack, 'Kubernetes Outages' (restart with rollback), https://pdfcoffee.com/kubernetes-outages-pdf-free.html"
	node := "gke-shop-pool-3-p9"
	in.add(in.node(node, true))
	in.workload(wl{kind: "Deployment", ns: "shop", name: "cart-api", replicas: 4, ready: 4, updated: 2, revision: 31,
		labels: map[string]string{"app": "cart-api"}, image: "eu.gcr.io/acme/cart-api:2.14.0", rsHash: "85c7d9f6b", rsCreated: "-18m",
		oldRS: "6d9b8c7f5", oldImage: "eu.gcr.io/acme/cart-api:2.13.4"})
	newRS := owner{"ReplicaSet", "cart-api-85c7d9f6b", in.uid("rs", "shop", "cart-api-85c7d9f6b")}
	oldRS := owner{"ReplicaSet", "cart-api-6d9b8c7f5", in.uid("rs", "shop", "cart-api-6d9b8c7f5")}
	for i, p := range []struct {
		name, hash, image string
		own               owner
		bad               bool
	}{
		{"cart-api-85c7d9f6b-2kfwn", "85c7d9f6b", "eu.gcr.io/acme/cart-api:2.14.0", newRS, true},
		{"cart-api-85c7d9f6b-x7tqp", "85c7d9f6b", "eu.gcr.io/acme/cart-api:2.14.0", newRS, true},
		{"cart-api-6d9b8c7f5-h4mzd", "6d9b8c7f5", "eu.gcr.io/acme/cart-api:2.13.4", oldRS, false},
		{"cart-api-6d9b8c7f5-r9vbc", "6d9b8c7f5", "eu.gcr.io/acme/cart-api:2.13.4", oldRS, false},
	} {
		created := "-200h"
		if p.bad {
			created = "-18m"
		}
		in.add(in.pod(podSpec{ns: "shop", name: p.name, node: node, ip: fmt.Sprintf("10.4.9.%d", 20+i), owner: p.own, created: created,
			labels:     map[string]string{"app": "cart-api", "pod-template-hash": p.hash},
			containers: []ctr{{name: "cart-api", image: p.image, ready: true, running: created, memLimit: "512Mi"}}}))
		path := "shop/" + p.name + "/cart-api"
		if p.bad {
			in.logEvery(path, "-17m", "-10s", "6s", `{"level":50,"time":1791455000000,"pid":1,"hostname":"`+p.name+`","msg":"checkout failed","err":{"type":"TypeError","message":"Cannot read properties of undefined (reading 'currency')","stack":"TypeError: Cannot read properties of undefined (reading 'currency')\n    at priceCart (/app/dist/cart/pricing.js:41:32)"}}`)
			in.httpSeries("shop", "cart-api", p.name, flat(20), step(0, 9, -17), nil)
		} else {
			in.logEvery(path, "-40m", "-10s", "40s", `{"level":30,"time":1791454000000,"pid":1,"hostname":"`+p.name+`","msg":"checkout ok","ms":38}`)
			in.httpSeries("shop", "cart-api", p.name, flat(20), flat(0), nil)
		}
	}
	in.events(ev{kind: "Deployment", ns: "shop", name: "cart-api", reason: "ScalingReplicaSet", typ: "Normal",
		msg: "Scaled up replica set cart-api-85c7d9f6b to 2", first: "-18m", component: "deployment-controller"})
	in.fire(map[string]string{"alertname": "ServiceHigh5xxRatio", "namespace": "shop", "service": "cart-api", "severity": "critical"},
		"shop/cart-api 5xx ratio above 5%", errRatioQuery, "14m", 0.18)
	in.want("BadDeploy", "shop", "Deployment", "cart-api", "2.14.0", "TypeError")
	return in
}

func unboundClaimZoneMismatch() *incident {
	in := newIncident("heldout-pending-claim-unbound-storageclass", "2026-11-15T16:25:00Z")
	in.summary = `The mastodon-style media-db StatefulSet (namespace social) was re-installed: its pod
stays Pending because claim data-media-db-0 is unbound — the StorageClass it names
("fast-ssd") does not exist in this cluster. The claim is the responsible object.`
	in.source = "mastodon/chart issue #20 ('pod has unbound immediate PersistentVolumeClaims'), https://github.com/mastodon/chart/issues/20"
	node := "hetzner-cx41-1"
	in.add(in.node(node, true))
	s := in.workload(wl{kind: "StatefulSet", ns: "social", name: "media-db", replicas: 1, ready: 0, updated: 1,
		labels: map[string]string{"app": "media-db"}, image: "postgres:14.11"})
	in.add(in.pod(podSpec{ns: "social", name: "media-db-0", phase: "Pending", owner: s, created: "-30m", labels: map[string]string{"app": "media-db"},
		conditions: []obj{{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."}},
		containers: []ctr{{name: "postgres", image: "postgres:14.11", claim: "data-media-db-0", claimMountPath: "/var/lib/postgresql/data"}}}))
	in.add(obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
		"metadata": obj{"name": "data-media-db-0", "namespace": "social", "uid": in.uid("pvc", "data-media-db-0"), "creationTimestamp": ts(in.at("-30m"))},
		"spec":     obj{"accessModes": []any{"ReadWriteOnce"}, "resources": obj{"requests": obj{"storage": "50Gi"}}, "storageClassName": "fast-ssd"},
		"status":   obj{"phase": "Pending"}})
	in.events(
		ev{kind: "Pod", ns: "social", name: "media-db-0", reason: "FailedScheduling", component: "default-scheduler", series: true, count: 9,
			msg: "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", first: "-30m", last: "-3m"},
		ev{kind: "PersistentVolumeClaim", ns: "social", name: "data-media-db-0", reason: "ProvisioningFailed", component: "persistentvolume-controller",
			msg: `storageclass.storage.k8s.io "fast-ssd" not found`, count: 122, first: "-30m", last: "-15s"},
	)
	in.series("kube_pod_status_phase", "gauge", lbl("namespace", "social", "pod", "media-db-0", "phase", "Pending", "job", "kube-state-metrics"), "-30m", flat(1))
	in.fire(map[string]string{"alertname": "KubePodNotReady", "namespace": "social", "pod": "media-db-0", "severity": "warning"},
		"Pod has been in a non-ready state for more than 15 minutes.",
		`sum by (namespace, pod) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown"}) > 0`, "15m", 1)
	in.want("Unschedulable", "social", "PersistentVolumeClaim", "data-media-db-0", "unbound", "fast-ssd")
	return in
}

func workerOOMWithUnrelatedImagePull() *incident {
	in := newIncident("heldout-two-problems-oom-worker-and-pull-error", "2026-07-07T22:15:00Z")
	in.summary = `Two things break at once in namespace ingest. The alerted one: video-transcoder
workers are OOMKilled (ffmpeg buffers a 4K upload beyond the 1Gi limit). Unrelated and
concurrent: a new sidecar image for the metrics-agent DaemonSet cannot be pulled. The
explanation must blame the transcoder's memory, not the pull error.`
	in.source = "DevOps Shack, 'Kubernetes Outages: 8 Real-World Failures' (CrashLoopBackOff storms, ImagePullBackOff), https://pdfcoffee.com/kubernetes-outages-pdf-free.html"
	node := "gpu-node-a1"
	in.add(in.node(node, true))
	pods := simpleApp(in, "ingest", "video-transcoder", "registry.acme.io/ingest/video-transcoder:5.2.0", "7c9d8b6f5", node, 2, func(i int, c *ctr) {
		c.ready, c.restarts, c.running = false, 5+i, "-1m"
		c.last = &term{reason: "OOMKilled", exit: 137, started: "-5m", ended: "-70s"}
		c.memLimit, c.memReq = "1Gi", "512Mi"
	})
	for _, p := range pods {
		in.log("ingest/"+p+"/video-transcoder.previous",
			`-5m frame=    0 fps=0.0 q=0.0 size=       0kB time=00:00:00.00 bitrate=N/A speed=   0x`,
			`-4m Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'upload-88172.mp4': Duration: 00:41:03.20, bitrate: 48012 kb/s`,
			`-3m frame= 2210 fps= 18 q=28.0 size=   81920kB time=00:01:13.60 bitrate=9118.2kbits/s speed=0.61x`)
		in.podSeries("ingest", p, "video-transcoder", func(m float64) float64 { return 300 + 180*(m+60-float64(int(m+60)/4*4)) }, 1024, flat(1.8), 0, counter(step(0, 0.004, -30)))
		in.series("kube_pod_container_status_last_terminated_reason", "gauge", lbl("namespace", "ingest", "pod", p, "container", "video-transcoder", "reason", "OOMKilled", "job", "kube-state-metrics"), "-30m", flat(1))
	}
	ds := in.workload(wl{kind: "DaemonSet", ns: "ingest", name: "metrics-agent", replicas: 1, ready: 0, updated: 1,
		labels: map[string]string{"app": "metrics-agent"}, image: "registry.acme.io/obs/metrics-agent:9.9.9-rc1"})
	in.add(in.pod(podSpec{ns: "ingest", name: "metrics-agent-7xq2p", node: node, owner: ds, labels: map[string]string{"app": "metrics-agent"},
		containers: []ctr{{name: "agent", image: "registry.acme.io/obs/metrics-agent:9.9.9-rc1", waiting: "ErrImagePull", waitingMsg: "manifest for registry.acme.io/obs/metrics-agent:9.9.9-rc1 not found"}}}))
	in.events(ev{kind: "Pod", ns: "ingest", name: "metrics-agent-7xq2p", reason: "Failed", msg: `Failed to pull image "registry.acme.io/obs/metrics-agent:9.9.9-rc1": not found`, count: 6, first: "-20m", last: "-1m"})
	in.fire(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "ingest", "pod": pods[0], "container": "video-transcoder", "severity": "warning"},
		"Pod is crash looping.", crashQuery, "25m", 3)
	in.want("OOMKilled", "ingest", "Deployment", "video-transcoder", "OOMKilled", "video-transcoder")
	return in
}

func silentCrashNoLogs() *incident {
	in := newIncident("heldout-crashloop-exit-code-without-logs", "2026-02-14T05:05:00Z")
	in.summary = `geo-sync (namespace maps), a Rust binary, exits with code 101 (a panic) within a
second of every start and prints nothing: its logger is initialised after the failing
call and the previous container's log is empty. Evidence is thin: the exit code and
restarts are all there is; the category is an application crash, not OOM or probes.`
	in.source = "bitnami/charts issue #2431 (crash loop with no useful logs), https://github.com/bitnami/charts/issues/2431; helm/charts issue #19671, https://github.com/helm/charts/issues/19671"
	node := "arm-pool-2"
	in.add(in.node(node, true))
	pods := simpleApp(in, "maps", "geo-sync", "ghcr.io/acme/geo-sync:0.3.1", "5b7c9d8f6", node, 1, func(i int, c *ctr) {
		c.ready, c.restarts, c.running = false, 22, ""
		c.waiting, c.waitingMsg = "CrashLoopBackOff", "back-off 5m0s restarting failed container"
		c.last = &term{reason: "Error", exit: 101, started: "-3m", ended: "-3m"}
		c.memLimit = "256Mi"
	})
	in.events(ev{kind: "Pod", ns: "maps", name: pods[0], reason: "BackOff", msg: "Back-off restarting failed container geo-sync in pod " + pods[0] + "_maps", count: 95, first: "-90m", last: "-30s"})
	in.podSeries("maps", pods[0], "geo-sync", flat(3), 256, nil, 0, counter(step(0, 0.004, -90)))
	in.fire(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "maps", "pod": pods[0], "container": "geo-sync", "severity": "warning"},
		"Pod is crash looping.", crashQuery, "80m", 3)
	in.want("CrashLoop", "maps", "Deployment", "geo-sync", "101")
	return in
}

func stripeUpstream503() *incident {
	in := newIncident("heldout-external-payment-provider-503", "2026-06-12T17:50:00Z")
	in.summary = `The payment provider's API (api.paygate.example) has a partial outage and answers
503; billing-svc (Kotlin, namespace checkout) logs every failed charge and returns 502
to its callers. Pods are healthy; the external dependency is the cause.`
	in.source = "'Incident Replay: CoreDNS Timeout' (downstream failures look like local errors), https://grokdatum.github.io/grokdevops-wiki/library/case-studies/kubernetes_ops/coredns-timeout-pod-dns/replay; RebelMouse, 'CoreDNS Performance Degradation', https://status.rebelmouse.com/incidents/w170d4lz2bhl"
	node := "eks-ng-c-11"
	in.add(in.node(node, true))
	pods := simpleApp(in, "checkout", "billing-svc", "1234.dkr.ecr.us-east-1.amazonaws.com/billing-svc:12.0.4", "66b8c7d9f", node, 2, func(int, *ctr) {})
	for _, p := range pods {
		path := "checkout/" + p + "/billing-svc"
		in.logEvery(path, "-40m", "-16m", "35s", `2026-06-12 17:10:00.000 INFO  [ktor-worker-3] c.a.billing.ChargeRoute - charge captured amount=49.90 currency=EUR`)
		for _, off := range []string{"-15m", "-12m", "-9m", "-6m", "-3m", "-1m"} {
			in.log(path,
				off+` 2026-06-12 17:35:00.000 ERROR [ktor-worker-1] c.a.billing.ChargeRoute - charge failed`,
				off+` io.ktor.client.plugins.ServerResponseException: Server error(POST https://api.paygate.example/v1/charges: 503 Service Unavailable. Text: "{"error":"upstream_unavailable"}"`,
				off+` 	at io.ktor.client.plugins.DefaultResponseValidationKt$addDefaultResponseValidation$1$1.invokeSuspend(DefaultResponseValidation.kt:54)`,
				off+` 	at com.acme.billing.PaygateClient.charge(PaygateClient.kt:77)`)
		}
		in.httpSeries("checkout", "billing-svc", p, step(12, 7, -15), step(0, 5, -15), nil)
	}
	in.fire(map[string]string{"alertname": "ServiceHigh5xxRatio", "namespace": "checkout", "service": "billing-svc", "severity": "critical"},
		"checkout/billing-svc 5xx ratio above 5%", errRatioQuery, "12m", 0.42)
	in.want("DependencyFailure", "", "External", "api.paygate.example", "503", "api.paygate.example")
	return in
}

func hikariPoolExhausted() *incident {
	in := newIncident("heldout-connection-pool-exhausted-after-scale-out", "2026-12-01T12:35:00Z")
	in.summary = `orders-core (Spring Boot, namespace commerce) times out acquiring database connections:
"HikariPool-1 - Connection is not available, request timed out after 30000ms". The pool
of 10 is held by slow report queries; the database is up and has spare capacity. The
connection pool of the service is the exhausted resource.`
	in.source = "dev.to, 'How a Kubernetes autoscaling incident took down our API' (connection pools multiply; too many clients), https://dev.to/muj18/how-a-kubernetes-autoscaling-incident-took-down-our-api-and-how-i-now-debug-it-in-minutes-27m9"
	node := "ocp-worker-5"
	in.add(in.node(node, true))
	pods := simpleApp(in, "commerce", "orders-core", "quay.io/acme/orders-core:9.3.1", "7b5d6f8c9", node, 2, func(int, *ctr) {})
	for _, p := range pods {
		path := "commerce/" + p + "/orders-core"
		in.logEvery(path, "-40m", "-14m", "45s", `2026-12-01T12:00:00.000Z  INFO 1 --- [nio-8080-exec-4] c.a.o.OrderController : order placed id=%d`)
		for _, off := range []string{"-13m", "-10m", "-7m", "-4m", "-2m"} {
			in.log(path,
				off+` 2026-12-01T12:22:00.000Z ERROR 1 --- [nio-8080-exec-9] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception`,
				off+` org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction`,
				off+` Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=38)`,
				off+` 	at com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)`)
		}
		in.httpSeries("commerce", "orders-core", p, step(25, 10, -13), step(0, 6, -13), step(0.05, 9, -13))
	}
	in.fire(map[string]string{"alertname": "ServiceHigh5xxRatio", "namespace": "commerce", "service": "orders-core", "severity": "critical"},
		"commerce/orders-core 5xx ratio above 5%", errRatioQuery, "11m", 0.37)
	in.want("ResourceExhaustion", "commerce", "Deployment", "orders-core", "Connection is not available", "HikariPool")
	return in
}
