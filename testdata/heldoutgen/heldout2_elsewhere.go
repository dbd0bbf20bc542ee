package main

import "fmt"

// Incidents whose responsible object is not simply the alerted workload.

const fiveXXRatio = `sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m])) > 0.02`

// lokiIngesterVolumeFull: the Loki write path fails because an ingester's
// WAL volume is full; the ingester cannot even replay its WAL on restart.
func lokiIngesterVolumeFull() *fixture {
	f := newFixture("h2-loki-ingester-wal-volume-full", "2026-03-14T03:20:00Z")
	f.story = `The Loki distributors (namespace logging) reject pushes with 500s. One ingester,
loki-ingester-1, crash-loops: its WAL volume (storage-loki-ingester-1, 20Gi) is full, the
ingester fails while replaying the WAL and cannot start to free space. The other two
ingesters are healthy. The responsible object is the claim storage-loki-ingester-1.`
	f.source = "grafana/loki issue #15235 'Ingester fails initializing when WAL PVC is out of space', https://github.com/grafana/loki/issues/15235; lsst-it/k8s-cookbook PR #450 (ingester PVC full), https://github.com/lsst-it/k8s-cookbook/pull/450"
	n := "aks-logs-31337-vmss000002"
	f.node(n, "True")
	ing := f.workload(app{kind: "StatefulSet", ns: "logging", name: "loki-ingester", replicas: 3, ready: 2,
		labels: map[string]string{"app.kubernetes.io/component": "ingester", "app.kubernetes.io/name": "loki"}, image: "grafana/loki:3.3.1"})
	for i := 0; i < 3; i++ {
		name := fmt.Sprintf("loki-ingester-%d", i)
		claim := "storage-" + name
		b := box{name: "ingester", image: "grafana/loki:3.3.1", resources: limits("2", "6Gi"), ready: true, state: running(f, "200h"),
			mounts: []any{m{"name": "storage", "mountPath": "/var/loki"}},
			probes: m{"readinessProbe": m{"httpGet": m{"path": "/ready", "port": 3100}, "initialDelaySeconds": 15, "timeoutSeconds": 1}}}
		if i == 1 {
			b.ready, b.restarts = false, 14
			b.state = waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=ingester pod="+name)
			b.last = terminated(f, "Error", 1, "6m", "5m40s", "")
		}
		f.pod(podDef{ns: "logging", name: name, node: n, ip: fmt.Sprintf("10.244.2.%d", 40+i), owner: ing,
			labels: map[string]string{"app.kubernetes.io/component": "ingester", "app.kubernetes.io/name": "loki"}, boxes: []box{b},
			volumes: []any{m{"name": "storage", "persistentVolumeClaim": m{"claimName": claim}}}})
		f.put(m{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
			"metadata": m{"name": claim, "namespace": "logging", "uid": f.id("pvc", claim), "labels": m{"app.kubernetes.io/name": "loki"}},
			"spec":     m{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": "managed-csi", "resources": m{"requests": m{"storage": "20Gi"}}},
			"status":   m{"phase": "Bound", "accessModes": []any{"ReadWriteOnce"}, "capacity": m{"storage": "20Gi"}}})
		used := 6.5 + float64(i)
		if i == 1 {
			used = 20
		}
		f.gauge("kubelet_volume_stats_used_bytes", level(used*(1<<30)), "namespace", "logging", "persistentvolumeclaim", claim, "job", "kubelet")
		f.gauge("kubelet_volume_stats_capacity_bytes", level(20*(1<<30)), "namespace", "logging", "persistentvolumeclaim", claim, "job", "kubelet")
		restarts := level(0)
		if i == 1 {
			restarts = ramp(-40, 0, 4, 14)
		}
		f.container("logging", name, "ingester", level(2100+float64(i)*90), 6144, level(0.4), 2, nil, restarts)
	}
	f.say("logging/loki-ingester-1/ingester.previous",
		`6m level=info ts=2026-03-14T03:14:00.112Z caller=main.go:126 msg="Starting Loki" version="(version=3.3.1, branch=HEAD)"`,
		`6m level=info ts=2026-03-14T03:14:01.870Z caller=ingester.go:451 component=ingester msg="recovering from WAL"`,
		`5m50s level=error ts=2026-03-14T03:14:18.004Z caller=checkpoint.go:615 msg="failed to write checkpoint" err="write /var/loki/wal/checkpoint.017731.tmp/00000000: no space left on device"`,
		`5m40s level=error ts=2026-03-14T03:14:20.310Z caller=log.go:216 msg="error running loki" err="creating WAL: open /var/loki/wal/00017732: no space left on device"`)
	for i, d := range []string{"loki-distributor-5f8c7b9d4-6kq2m", "loki-distributor-5f8c7b9d4-vt8hx"} {
		f.repeat("logging/"+d+"/distributor", "30m", "1m", "37s",
			`level=warn ts=2026-03-14T03:00:00Z caller=logging.go:123 msg="POST /loki/api/v1/push (500) 5.01s Response: \"rpc error: code = Unavailable desc = at least 2 live replicas required, could only find 1\""`)
		f.requests("logging", "loki-distributor", d, level(40), after(-30, 0.2, 14+float64(i)), nil)
	}
	dist := f.workload(app{kind: "Deployment", ns: "logging", name: "loki-distributor", replicas: 2, ready: 2,
		labels:    map[string]string{"app.kubernetes.io/component": "distributor"},
		revisions: []revision{{hash: "5f8c7b9d4", image: "grafana/loki:3.3.1", replicas: 2, ready: 2, created: "400h"}}})
	for i, d := range []string{"loki-distributor-5f8c7b9d4-6kq2m", "loki-distributor-5f8c7b9d4-vt8hx"} {
		f.pod(podDef{ns: "logging", name: d, node: n, ip: fmt.Sprintf("10.244.2.%d", 60+i), owner: dist,
			labels: map[string]string{"app.kubernetes.io/component": "distributor", "pod-template-hash": "5f8c7b9d4"},
			boxes:  []box{{name: "distributor", image: "grafana/loki:3.3.1", resources: limits("1", "1Gi"), ready: true, state: running(f, "400h")}}})
	}
	f.event(happening{kind: "Pod", ns: "logging", name: "loki-ingester-1", reason: "BackOff", note: "Back-off restarting failed container ingester in pod loki-ingester-1_logging(" + f.id("pod", "logging", "loki-ingester-1") + ")", count: 57, first: "44m", last: "1m"})
	f.alertOn(map[string]string{"alertname": "LokiRequestErrors", "namespace": "logging", "job": "logging/loki-distributor", "route": "loki_api_v1_push", "severity": "critical"},
		"logging/loki-distributor loki_api_v1_push is experiencing 26% errors.",
		`100 * sum(rate(loki_request_duration_seconds_count{status_code=~"5.."}[2m])) by (namespace, job, route) / sum(rate(loki_request_duration_seconds_count[2m])) by (namespace, job, route) > 10`, "25m", 26)
	f.answer("ResourceExhaustion", "logging", "PersistentVolumeClaim", "storage-loki-ingester-1", "no space left on device", "storage-loki-ingester-1")
	return f
}

// coreDNSLostReplica: a planned node termination took one CoreDNS replica
// away; the remaining one, CPU-limited, could not take the load and stopped
// answering in time, so the kube-dns Service has no ready endpoint.
func coreDNSLostReplica() *fixture {
	f := newFixture("h2-coredns-lost-replica-overloaded", "2026-05-19T13:55:00Z")
	f.story = `The publishing API (Elixir/Phoenix, namespace newsroom) returns 500s because outbound
calls fail to resolve (":timeout" and ":nxdomain" from the Erlang resolver). A planned EC2
instance termination removed one of the two CoreDNS pods (its replacement is Pending);
the remaining pod, throttled at its CPU limit, fails its readiness probe, so the kube-dns
Service in kube-system has no ready endpoint. The responsible object is the coredns
Deployment, not the API.`
	f.source = "RebelMouse, 'CoreDNS Performance Degradation' incident report (May 19, 2025), https://status.rebelmouse.com/incidents/w170d4lz2bhl"
	left, apps := "ip-172-20-41-7.ec2.internal", "ip-172-20-55-19.ec2.internal"
	f.node(left, "True")
	f.node(apps, "True")
	dns := f.workload(app{kind: "Deployment", ns: "kube-system", name: "coredns", replicas: 2, ready: 0,
		labels:    map[string]string{"k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns"},
		revisions: []revision{{hash: "5b8cc885bc", image: "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2", replicas: 2, ready: 0, created: "800h"}}})
	image := "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2"
	f.pod(podDef{ns: "kube-system", name: "coredns-5b8cc885bc-qv7fz", node: left, ip: "172.20.41.88", owner: dns,
		labels: map[string]string{"k8s-app": "kube-dns", "pod-template-hash": "5b8cc885bc"},
		boxes: []box{{name: "coredns", image: image, resources: limits("100m", "170Mi"), state: running(f, "300h"),
			probes: m{"readinessProbe": m{"httpGet": m{"path": "/ready", "port": 8181}, "periodSeconds": 10, "timeoutSeconds": 1}}}}})
	f.event(happening{kind: "Pod", ns: "kube-system", name: "coredns-5b8cc885bc-qv7fz", reason: "Unhealthy",
		note: "Readiness probe failed: Get \"http://172.20.41.88:8181/ready\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", count: 61, first: "13m", last: "20s"})
	f.say("kube-system/coredns-5b8cc885bc-qv7fz/coredns",
		`13m [ERROR] plugin/errors: 2 publishing-db.newsroom.svc.cluster.local. A: read udp 172.20.41.88:48213->172.20.0.2:53: i/o timeout`,
		`9m [WARNING] plugin/health: Local health request to "http://:8080/health" took more than 1s: 1.482s`,
		`4m [ERROR] plugin/errors: 2 sqs.us-east-1.amazonaws.com. AAAA: read udp 172.20.41.88:39002->172.20.0.2:53: i/o timeout`)
	f.container("kube-system", "coredns-5b8cc885bc-qv7fz", "coredns", level(74), 170, after(-14, 0.04, 0.1), 0.1, after(-14, 0.02, 0.93), nil)
	f.pod(podDef{ns: "kube-system", name: "coredns-5b8cc885bc-8hxlw", owner: dns, phase: "Pending", created: "14m",
		labels: map[string]string{"k8s-app": "kube-dns", "pod-template-hash": "5b8cc885bc"},
		conditions: []any{m{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
			"message": "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."}},
		boxes: []box{{name: "coredns", image: image, resources: limits("100m", "170Mi")}}})
	f.event(happening{kind: "Pod", ns: "kube-system", name: "coredns-5b8cc885bc-8hxlw", reason: "FailedScheduling", by: "default-scheduler",
		note: "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.", count: 9, first: "14m", last: "2m"})
	f.svc("kube-system", "kube-dns", map[string]string{"k8s-app": "kube-dns"}, 53, nil, []string{"172.20.41.88"})
	api := f.workload(app{kind: "Deployment", ns: "newsroom", name: "publishing-api", replicas: 3, ready: 3,
		labels:    map[string]string{"app": "publishing-api"},
		revisions: []revision{{hash: "66f7d9b8c5", image: "310912345678.dkr.ecr.us-east-1.amazonaws.com/publishing-api:2025.05.12", replicas: 3, ready: 3, created: "120h"}}})
	for i := 0; i < 3; i++ {
		p := fmt.Sprintf("publishing-api-66f7d9b8c5-%c%cx9", 'a'+i, 'k'+i)
		f.pod(podDef{ns: "newsroom", name: p, node: apps, ip: fmt.Sprintf("172.20.55.%d", 30+i), owner: api,
			labels: map[string]string{"app": "publishing-api", "pod-template-hash": "66f7d9b8c5"},
			boxes:  []box{{name: "phoenix", image: "310912345678.dkr.ecr.us-east-1.amazonaws.com/publishing-api:2025.05.12", resources: limits("1", "1Gi"), ready: true, state: running(f, "120h")}}})
		path := "newsroom/" + p + "/phoenix"
		f.repeat(path, "40m", "15m", "50s", `13:20:00.123 request_id=FxA2 [info] GET /api/articles Sent 200 in 41ms`)
		f.repeat(path, "14m", "30s", "23s", `13:41:00.456 request_id=FxB7 [error] ** (Mint.TransportError) non-existing domain: "asset-store.media.svc.cluster.local" (:nxdomain)`)
		f.repeat(path, "13m", "1m", "71s", `13:42:00.789 [warning] Postgrex.Protocol (#PID<0.2911.0>) failed to connect: ** (DBConnection.ConnectionError) tcp connect (publishing-db.newsroom.svc.cluster.local:5432): timeout`)
		f.requests("newsroom", "publishing-api", p, after(-14, 25, 9), after(-14, 0, 16), nil)
	}
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "newsroom", "service": "publishing-api", "severity": "page"},
		"publishing-api error ratio is 64%", fiveXXRatio, "11m", 0.64)
	f.answer("DNSFailure", "kube-system", "Deployment", "coredns", "i/o timeout", "coredns")
	return f
}

// pgbouncerScaledToZero: a kustomize overlay left the connection pooler at
// zero replicas; the Rails app cannot reach its database through it.
func pgbouncerScaledToZero() *fixture {
	f := newFixture("h2-pgbouncer-service-without-endpoints", "2026-05-21T09:12:00Z")
	f.story = `The billing web app (Ruby on Rails, namespace billing) returns 500s:
ActiveRecord::ConnectionNotEstablished, "connection to server at pgbouncer (10.0.49.104),
port 6432 failed: Connection refused". An operator scaled the pgbouncer Deployment in
namespace data to 0 replicas as a precaution and the change was never reverted, so the pgbouncer Service has no
endpoints. The app itself is healthy. The responsible object is the pgbouncer Service.`
	f.source = "Monzo, 'Current account payments may fail - Major Outage (27/10/2017)' post-mortem (a service scaled to 0 replicas while its Service remained), https://community.monzo.com/t/resolved-current-account-payments-may-fail-major-outage-27-10-2017/26296/95; SREGym issue #843 'service with no running pods still appears healthy', https://github.com/SREGym/SREGym/issues/843"
	n := "k3s-agent-eu-2"
	f.node(n, "True")
	f.workload(app{kind: "Deployment", ns: "data", name: "pgbouncer", replicas: 0, ready: 0,
		labels:    map[string]string{"app": "pgbouncer"},
		revisions: []revision{{hash: "b6d8f4c77", image: "bitnami/pgbouncer:1.22.1", replicas: 0, ready: 0, created: "5h"}}})
	f.event(happening{kind: "Deployment", ns: "data", name: "pgbouncer", reason: "ScalingReplicaSet", typ: "Normal", by: "deployment-controller",
		note: "Scaled down replica set pgbouncer-b6d8f4c77 to 0 from 2", first: "34m", legacy: true})
	f.svc("data", "pgbouncer", map[string]string{"app": "pgbouncer"}, 6432, nil, nil)
	f.put(m{"apiVersion": "v1", "kind": "ConfigMap", "metadata": m{"name": "billing-db", "namespace": "billing"},
		"data": m{"DATABASE_HOST": "pgbouncer.data.svc.cluster.local", "DATABASE_PORT": "6432"}})
	web := f.workload(app{kind: "Deployment", ns: "billing", name: "billing-web", replicas: 2, ready: 2,
		labels:    map[string]string{"app": "billing-web"},
		revisions: []revision{{hash: "7d4c9f6b5", image: "ghcr.io/acme/billing-web:v3.41.0", replicas: 2, ready: 2, created: "50h"}}})
	for i := 0; i < 2; i++ {
		p := fmt.Sprintf("billing-web-7d4c9f6b5-%cr%ct", 'f'+i, 'q'+i)
		f.pod(podDef{ns: "billing", name: p, node: n, ip: fmt.Sprintf("10.42.0.%d", 80+i), owner: web,
			labels: map[string]string{"app": "billing-web", "pod-template-hash": "7d4c9f6b5"},
			boxes:  []box{{name: "puma", image: "ghcr.io/acme/billing-web:v3.41.0", resources: limits("1", "1536Mi"), ready: true, state: running(f, "50h")}}})
		path := "billing/" + p + "/puma"
		f.repeat(path, "44m", "35m", "40s", `I, [2026-05-21T08:30:00.000000 #1]  INFO -- : [4f1c] Completed 200 OK in 38ms (Views: 11.2ms | ActiveRecord: 9.8ms)`)
		for _, ago := range []string{"33m", "27m", "20m", "14m", "8m", "2m"} {
			f.say(path,
				ago+` E, [2026-05-21T08:39:00.000000 #1] ERROR -- : [7a2e] ActiveRecord::ConnectionNotEstablished (connection to server at "pgbouncer.data.svc.cluster.local" (10.0.49.104), port 6432 failed: Connection refused`,
				ago+` 	Is the server running on that host and accepting TCP/IP connections?`,
				ago+` ):`,
				ago+`  app/controllers/invoices_controller.rb:12:in 'index'`)
		}
		f.requests("billing", "billing-web", p, after(-34, 12, 2), after(-34, 0, 10), nil)
	}
	f.alertOn(map[string]string{"alertname": "BillingWebErrors", "namespace": "billing", "service": "billing-web", "severity": "critical"},
		"billing-web is failing 83% of requests", fiveXXRatio, "30m", 0.83)
	f.answer("DependencyFailure", "data", "Service", "pgbouncer", "Connection refused", "pgbouncer")
	return f
}

// nodeMemoryEvictions: a node under memory pressure evicts pods; the alert
// is on a Deployment whose replicas were evicted. A neighbour's OOM kill in
// its own limit is a red herring.
func nodeMemoryEvictions() *fixture {
	f := newFixture("h2-node-memory-pressure-evictions", "2026-06-30T22:05:00Z")
	f.story = `Pods of search-frontend (namespace catalog) disappear and the Deployment runs below its
replica count: the kubelet of node ip-10-31-7-22.eu-west-1.compute.internal reports
MemoryPressure and evicts pods ("The node was low on resource: memory"). The node was
overcommitted by pods without memory requests. A sidecar OOM-killed in its own small
limit on another node is unrelated. The responsible object is the node.`
	f.source = "kubernetes/kubernetes issue #112927 'The node was low on resource: memory', https://github.com/kubernetes/kubernetes/issues/112927; amygdala-labs/cosmos-operator issue #185 (Evicted pods, ContainerStatusUnknown), https://github.com/amygdala-labs/cosmos-operator/issues/185"
	bad, other := "ip-10-31-7-22.eu-west-1.compute.internal", "ip-10-31-9-140.eu-west-1.compute.internal"
	f.node(bad, "True", m{"type": "MemoryPressure", "status": "True", "reason": "KubeletHasInsufficientMemory",
		"message": "kubelet has insufficient memory available", "lastTransitionTime": stamp(f.ago("22m"))})
	f.node(other, "True")
	f.event(happening{kind: "Node", name: bad, reason: "EvictionThresholdMet", note: "Attempting to reclaim memory", count: 6, first: "22m", last: "3m", legacy: true})
	fe := f.workload(app{kind: "Deployment", ns: "catalog", name: "search-frontend", replicas: 4, ready: 2,
		labels:    map[string]string{"app": "search-frontend"},
		revisions: []revision{{hash: "59d7b8f6c", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-frontend:1.18.2", replicas: 4, ready: 2, created: "60h"}}})
	for i, p := range []string{"search-frontend-59d7b8f6c-2j8vq", "search-frontend-59d7b8f6c-hx4pn"} {
		f.pod(podDef{ns: "catalog", name: p, node: bad, owner: fe, phase: "Failed",
			labels: map[string]string{"app": "search-frontend", "pod-template-hash": "59d7b8f6c"},
			status: m{"reason": "Evicted", "message": "The node was low on resource: memory. Threshold quantity: 100Mi, available: 71Mi. Container search-frontend was using 1410Mi, request is 0, has larger consumption of memory."},
			boxes: []box{{name: "search-frontend", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-frontend:1.18.2",
				state: terminated(f, "ContainerStatusUnknown", 137, "60h", fmt.Sprintf("%dm", 18-7*i), "The container could not be located when the pod was terminated")}}})
		f.event(happening{kind: "Pod", ns: "catalog", name: p, reason: "Evicted", note: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 71Mi. Container search-frontend was using 1410Mi, request is 0, has larger consumption of memory.", first: fmt.Sprintf("%dm", 18-7*i), legacy: true})
	}
	for i, p := range []string{"search-frontend-59d7b8f6c-9zq7d", "search-frontend-59d7b8f6c-kd5wt"} {
		f.pod(podDef{ns: "catalog", name: p, node: other, ip: fmt.Sprintf("10.31.9.%d", 50+i), owner: fe,
			labels: map[string]string{"app": "search-frontend", "pod-template-hash": "59d7b8f6c"},
			boxes:  []box{{name: "search-frontend", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-frontend:1.18.2", ready: true, state: running(f, "60h")}}})
		f.say("catalog/"+p+"/search-frontend", `20m {"time":"2026-06-30T21:45:00Z","level":"INFO","msg":"query served","q_ms":34}`)
		f.container("catalog", p, "search-frontend", level(1380), 0, level(0.3), 0, nil, nil)
	}
	for _, p := range []string{"search-frontend-59d7b8f6c-p6w2r", "search-frontend-59d7b8f6c-t8m3c"} {
		f.pod(podDef{ns: "catalog", name: p, owner: fe, phase: "Pending", created: "2m",
			labels:     map[string]string{"app": "search-frontend", "pod-template-hash": "59d7b8f6c"},
			conditions: []any{m{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, 1 Insufficient memory."}},
			boxes:      []box{{name: "search-frontend", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-frontend:1.18.2"}}})
	}
	sidecar := f.workload(app{kind: "DaemonSet", ns: "observability", name: "log-shipper", replicas: 2, ready: 2,
		labels: map[string]string{"app": "log-shipper"}, image: "fluent/fluent-bit:3.0.7"})
	f.pod(podDef{ns: "observability", name: "log-shipper-x7lq2", node: other, ip: "10.31.9.9", owner: sidecar, labels: map[string]string{"app": "log-shipper"},
		boxes: []box{{name: "fluent-bit", image: "fluent/fluent-bit:3.0.7", resources: limits("200m", "64Mi"), ready: true, restarts: 1, state: running(f, "5h"),
			last: terminated(f, "OOMKilled", 137, "30h", "5h", "")}}})
	f.gauge("node_memory_MemAvailable_bytes", ramp(-30, -20, 3.2*(1<<30), 70*(1<<20)), "instance", bad, "job", "node-exporter")
	f.alertOn(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "catalog", "deployment": "search-frontend", "severity": "warning"},
		"Deployment catalog/search-frontend has not matched the expected number of replicas for longer than 15 minutes.",
		`kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}`, "16m", 2)
	f.answer("NodePressure", "", "Node", bad, "low on resource: memory", bad)
	return f
}

// plegNodeNotReady: the kubelet's PLEG stalls and the node goes NotReady;
// the pods on it are marked not ready while the app's own logs just stop.
func plegNodeNotReady() *fixture {
	f := newFixture("h2-pleg-not-healthy-node-notready", "2026-04-02T14:10:00Z")
	f.story = `Pods of the fulfilment worker (namespace warehouse) on node node-7.dc2.lan turn NotReady:
the node flaps to NotReady with "PLEG is not healthy: pleg was last seen active 3m7s
ago; threshold is 3m0s" after the container runtime hangs. The workers' logs simply stop
(nothing can be fetched from the node). The responsible object is the node.`
	f.source = "kubernetes/kubernetes issue #45419 'Node flapping between Ready/NotReady with PLEG issues', https://github.com/kubernetes/kubernetes/issues/45419; aws-samples/eks-workshop-v2 issue #447, https://github.com/aws-samples/eks-workshop-v2/issues/447"
	bad, good := "node-7.dc2.lan", "node-3.dc2.lan"
	f.node(bad, "False", m{"type": "Ready", "status": "False", "reason": "KubeletNotReady",
		"message": "PLEG is not healthy: pleg was last seen active 3m7.629592089s ago; threshold is 3m0s", "lastTransitionTime": stamp(f.ago("13m"))})
	f.node(good, "True")
	f.event(happening{kind: "Node", name: bad, reason: "NodeNotReady", typ: "Normal", by: "node-controller", note: "Node node-7.dc2.lan status is now: NodeNotReady", count: 3, first: "41m", last: "13m", legacy: true})
	w := f.workload(app{kind: "Deployment", ns: "warehouse", name: "fulfilment-worker", replicas: 4, ready: 2,
		labels:    map[string]string{"app": "fulfilment-worker"},
		revisions: []revision{{hash: "c7f5d8b94", image: "harbor.dc2.lan/wh/fulfilment-worker:8.3.1", replicas: 4, ready: 2, created: "90h"}}})
	for i := 0; i < 4; i++ {
		p := fmt.Sprintf("fulfilment-worker-c7f5d8b94-%cw%cm", 'b'+i, 'c'+i)
		node, ready := good, true
		if i < 2 {
			node, ready = bad, false
		}
		def := podDef{ns: "warehouse", name: p, node: node, ip: fmt.Sprintf("10.60.%d.%d", 7-4*(i/2), 11+i), owner: w,
			labels: map[string]string{"app": "fulfilment-worker", "pod-template-hash": "c7f5d8b94"},
			boxes:  []box{{name: "worker", image: "harbor.dc2.lan/wh/fulfilment-worker:8.3.1", resources: limits("500m", "768Mi"), ready: ready, state: running(f, "90h")}}}
		if !ready {
			at := stamp(f.ago("13m"))
			def.conditions = []any{m{"type": "PodScheduled", "status": "True", "lastTransitionTime": stamp(f.ago("90h"))},
				m{"type": "Ready", "status": "False", "lastTransitionTime": at}, m{"type": "ContainersReady", "status": "False", "lastTransitionTime": at}}
		}
		f.pod(def)
		path := "warehouse/" + p + "/worker"
		until := "10s"
		if !ready {
			until = "14m"
		}
		f.repeat(path, "40m", until, "45s", `{"@t":"2026-04-02T13:30:00.0000000Z","@mt":"Picked order {OrderId} in {Elapsed} ms","OrderId":"WH-{n}","Elapsed":212,"SourceContext":"Fulfilment.Worker.PickLoop"}`)
		if !ready {
			f.say(path, `30m {"@t":"2026-04-02T13:40:00.0000000Z","@mt":"Slow heartbeat to broker","@l":"Warning","SourceContext":"Fulfilment.Worker.Bus"}`)
			f.container("warehouse", p, "worker", gap(level(410), -14, 0), 768, gap(level(0.2), -14, 0), 0.5, nil, nil)
		} else {
			f.container("warehouse", p, "worker", level(420), 768, level(0.25), 0.5, nil, nil)
		}
	}
	f.alertOn(map[string]string{"alertname": "KubePodNotReady", "namespace": "warehouse", "pod": "fulfilment-worker-c7f5d8b94-bwcm", "severity": "warning"},
		"Pod warehouse/fulfilment-worker-c7f5d8b94-bwcm has been in a non-ready state for longer than 10 minutes.",
		`sum by (namespace, pod) (max by(namespace, pod) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown"})) > 0`, "11m", 1)
	f.answer("NodePressure", "", "Node", bad, "PLEG is not healthy", bad)
	return f
}

// letsEncryptRootExpiry: an outbound call to a partner fails certificate
// verification because the image's CA bundle still chains to the expired
// DST Root CA X3.
func letsEncryptRootExpiry() *fixture {
	f := newFixture("h2-old-ca-bundle-expired-root", "2026-10-01T15:05:00Z")
	f.story = `The shipping-rates service (Rust, namespace logistics) fails every quote with 502s: its
HTTPS calls to api.freightquote.example fail with "certificate verify failed:
certificate has expired". The partner's certificate is valid, but the service's base
image has an old CA bundle whose chain ends at the expired DST Root CA X3. The
responsible object is the external endpoint's trust chain as seen by the service.`
	f.source = "Let's Encrypt, 'DST Root CA X3 Expiration (September 2021)', https://letsencrypt.org/docs/dst-root-ca-x3-expiration-september-2021/"
	n := "aks-general-23984-vmss00000c"
	f.node(n, "True")
	d := f.workload(app{kind: "Deployment", ns: "logistics", name: "shipping-rates", replicas: 2, ready: 2,
		labels:    map[string]string{"app": "shipping-rates"},
		revisions: []revision{{hash: "6c5f89d7b", image: "acr.example.io/logistics/shipping-rates:0.19.4", replicas: 2, ready: 2, created: "700h"}}})
	for i := 0; i < 2; i++ {
		p := fmt.Sprintf("shipping-rates-6c5f89d7b-%cv%cq", 'l'+i, 'z'-i)
		f.pod(podDef{ns: "logistics", name: p, node: n, ip: fmt.Sprintf("10.244.5.%d", 20+i), owner: d,
			labels: map[string]string{"app": "shipping-rates", "pod-template-hash": "6c5f89d7b"},
			boxes:  []box{{name: "rates", image: "acr.example.io/logistics/shipping-rates:0.19.4", resources: limits("500m", "256Mi"), ready: true, state: running(f, "700h")}}})
		path := "logistics/" + p + "/rates"
		f.repeat(path, "40m", "21m", "44s", `2026-10-01T14:25:00.101Z  INFO shipping_rates::quote: quote served carrier="freightquote" ms=188`)
		f.repeat(path, "20m", "20s", "17s", `2026-10-01T14:45:00.333Z ERROR shipping_rates::carrier: upstream request failed carrier="freightquote" error=reqwest::Error { kind: Request, url: "https://api.freightquote.example/v2/rates", source: hyper::Error(Connect, Ssl(Error { code: ErrorCode(1), cause: Some(Ssl(ErrorStack([Error { code: 167772294, library: "SSL routines", function: "tls_post_process_server_certificate", reason: "certificate verify failed", file: "ssl/statem/statem_clnt.c", line: 1889 }]))) }, X509VerifyResult { code: 10, error: "certificate has expired" })) }`)
		f.requests("logistics", "shipping-rates", p, after(-20, 9, 0.3), after(-20, 0, 8.5), nil)
		f.container("logistics", p, "rates", level(48), 256, level(0.05), 0.5, level(0), nil)
	}
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "logistics", "service": "shipping-rates", "severity": "critical"},
		"shipping-rates: 96% of requests fail", fiveXXRatio, "17m", 0.96)
	f.answer("TLSFailure", "", "External", "api.freightquote.example", "certificate has expired", "api.freightquote.example")
	return f
}
