package main

import "fmt"

// Incidents whose responsible object is not simply the alerted workload.

const errRatio = `sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m])) > 0.02`

// esFloodStageReadOnly: Elasticsearch's data volume passed the flood-stage
// watermark; indices turn read-only and the indexing service's writes fail.
func esFloodStageReadOnly() *fixture {
	f := newFixture("h3-elasticsearch-flood-stage-volume-full", "2026-05-05T22:10:00Z")
	f.story = `The indexing service product-indexer (namespace catalog-sync) fails its bulk writes with
"cluster_block_exception: index [products-v7] blocked by: [TOO_MANY_REQUESTS/12/disk usage
exceeded flood-stage watermark, index has read-only-allow-delete block]". The Elasticsearch
StatefulSet es-data (namespace search) runs and is ready, but the volume of es-data-2
(claim data-es-data-2, 100Gi) is 96% full. The responsible object is that claim.`
	f.source = "elastic/elasticsearch issue #77906 'Error resolution of disk usage exceeded flood-stage watermark', https://github.com/elastic/elasticsearch/issues/77906; Kubernetes Failure Stories, https://k8s.af (full volumes behind healthy pods)"
	n := "gke-search-default-pool-0f1e2d3c-es01"
	f.node(n, "True")
	es := f.workload(app{kind: "StatefulSet", ns: "search", name: "es-data", replicas: 3, ready: 3, labels: map[string]string{"app": "es-data"}, image: "docker.elastic.co/elasticsearch/elasticsearch:8.13.4"})
	var ips []string
	for i := 0; i < 3; i++ {
		p, claim := fmt.Sprintf("es-data-%d", i), fmt.Sprintf("data-es-data-%d", i)
		ip := fmt.Sprintf("10.160.1.%d", 10+i)
		ips = append(ips, ip)
		f.pod(podDef{ns: "search", name: p, node: n, ip: ip, owner: es, labels: map[string]string{"app": "es-data"}, created: "600h",
			boxes:   []box{{name: "elasticsearch", image: "docker.elastic.co/elasticsearch/elasticsearch:8.13.4", resources: limits("2", "8Gi"), ready: true, state: running(f, "600h"), mounts: []any{m{"name": "data", "mountPath": "/usr/share/elasticsearch/data"}}}},
			volumes: []any{m{"name": "data", "persistentVolumeClaim": m{"claimName": claim}}}})
		f.put(m{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": m{"name": claim, "namespace": "search", "uid": f.id("pvc", claim)},
			"spec":   m{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": "premium-rwo", "resources": m{"requests": m{"storage": "100Gi"}}},
			"status": m{"phase": "Bound", "capacity": m{"storage": "100Gi"}}})
		used := 61.0 + float64(i)*3
		if i == 2 {
			used = 96
		}
		f.gauge("kubelet_volume_stats_used_bytes", level(used*(1<<30)), "namespace", "search", "persistentvolumeclaim", claim, "job", "kubelet")
		f.gauge("kubelet_volume_stats_capacity_bytes", level(100*(1<<30)), "namespace", "search", "persistentvolumeclaim", claim, "job", "kubelet")
	}
	f.say("search/es-data-2/elasticsearch",
		`30m {"@timestamp":"2026-05-05T21:40:00.120Z", "log.level": "WARN", "message":"flood stage disk watermark [95%] exceeded on [es-data-2][/usr/share/elasticsearch/data] free: 4gb[4%], all indices on this node will be marked read-only", "ecs.version": "1.2.0","service.name":"ES_ECS","event.dataset":"elasticsearch.server","log.logger":"org.elasticsearch.cluster.routing.allocation.DiskThresholdMonitor"}`)
	f.svc("search", "es-http", map[string]string{"app": "es-data"}, 9200, ips, nil)
	pods := f.fleet(fleet{ns: "catalog-sync", name: "product-indexer", hash: "6e5d4c3b2a", image: "catalog/product-indexer:3.8.0", node: n, net: "10.160.2", n: 2, ready: 2, res: limits("500m", "512Mi")})
	for _, p := range pods {
		f.requests("catalog-sync", "product-indexer", p, ramp(-30, -28, 20, 2), ramp(-30, -28, 0, 18), nil)
		f.repeat("catalog-sync/"+p+"/product-indexer", "28m", "30s", "30s",
			`{"level":"error","ts":"2026-05-05T21:42:00Z","logger":"bulk","msg":"bulk request failed","url":"http://es-http.search.svc.cluster.local:9200/_bulk","status":429,"error":"cluster_block_exception: index [products-v7] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block]"}`)
	}
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "catalog-sync", "service": "product-indexer", "severity": "critical"},
		"product-indexer 5xx ratio above 2%.", errRatio, "25m", 0.9)
	f.answer("ResourceExhaustion", "search", "PersistentVolumeClaim", "data-es-data-2", "flood-stage", "data-es-data-2")
	return f
}

// corednsCorefileTypo: an edit of the coredns ConfigMap breaks the Corefile;
// the CoreDNS pods crash-loop and every lookup in the cluster fails.
func corednsCorefileTypo() *fixture {
	f := newFixture("h3-coredns-corefile-edit-crashloop", "2026-07-15T13:35:00Z")
	f.story = `An edit of the coredns ConfigMap (kube-system) added a forward block with a hostname
instead of an IP; the restarted CoreDNS pods exit with "plugin/forward: not an IP address or
file: \"resolver.corp\"" and crash-loop, so the kube-dns Service has no ready endpoint. The
alert is on payments-gateway (namespace checkout), whose calls fail with "lookup ... i/o
timeout". The responsible object is the coredns Deployment in kube-system.`
	f.source = "Zalando postmortem 'DNS outage' (CoreDNS), https://github.com/zalando-incubator/kubernetes-on-aws/blob/dev/docs/postmortems/jan-2019-dns-outage.md; coredns/coredns issue #4500 'plugin/forward: not an IP address or file' (a hostname in forward), https://github.com/coredns/coredns/issues/4500"
	n := "gke-core-default-pool-1a2b3c4d-dn01"
	f.node(n, "True")
	dns := f.fleet(fleet{ns: "kube-system", name: "coredns", hash: "76f75df574", image: "registry.k8s.io/coredns/coredns:v1.11.1", node: n, net: "10.170.0", n: 2, ready: 0,
		labels: map[string]string{"k8s-app": "kube-dns"}, res: limits("", "170Mi"), created: "6m",
		tweak: func(i int, b *box) {
			b.ready, b.restarts = false, 5
			b.state = waiting("CrashLoopBackOff", "back-off 1m20s restarting failed container")
			b.last = terminated(f, "Error", 1, "2m", "1m59s", "")
		}})
	for _, p := range dns {
		f.say("kube-system/"+p+"/coredns.previous",
			`2m [INFO] plugin/reload: Running configuration SHA512 = 2bb1c0c2e1c6b4f0`,
			`1m59s /etc/coredns/Corefile:14 - Error during parsing: plugin/forward: not an IP address or file: "resolver.corp"`)
	}
	f.svc("kube-system", "kube-dns", map[string]string{"k8s-app": "kube-dns"}, 53, nil, []string{"10.170.0.20", "10.170.0.21"})
	f.event(happening{kind: "Pod", ns: "kube-system", name: dns[0], reason: "BackOff", note: "Back-off restarting failed container coredns in pod " + dns[0], count: 14, first: "6m", last: "20s"})
	pods := f.fleet(fleet{ns: "checkout", name: "payments-gateway", hash: "5d6e7f8091", image: "checkout/payments-gateway:9.2.1", node: n, net: "10.170.2", n: 2, ready: 2, res: limits("1", "1Gi")})
	for _, p := range pods {
		f.requests("checkout", "payments-gateway", p, ramp(-7, -5, 60, 10), ramp(-7, -5, 0, 48), nil)
		f.repeat("checkout/"+p+"/payments-gateway", "5m", "20s", "15s",
			`2026-07-15T13:30:00.000Z error: charge failed {"service":"payments-gateway","err":"getaddrinfo EAI_AGAIN psp-adapter.checkout.svc.cluster.local","code":"EAI_AGAIN"}`)
		f.repeat("checkout/"+p+"/payments-gateway", "5m", "20s", "40s",
			`2026-07-15T13:30:00.000Z warn: token refresh failed {"service":"payments-gateway","err":"dial tcp: lookup vault.security.svc.cluster.local on 10.0.0.10:53: read udp 10.170.2.20:41234->10.0.0.10:53: i/o timeout"}`)
	}
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "checkout", "service": "payments-gateway", "severity": "critical"},
		"payments-gateway 5xx ratio above 2%.", errRatio, "4m", 0.83)
	f.answer("DNSFailure", "kube-system", "Deployment", "coredns", "not an IP address or file")
	return f
}

// redisScaledToZeroOtherNs: a cost clean-up scaled a shared Redis to zero;
// its Service in another namespace has no endpoints.
func redisScaledToZeroOtherNs() *fixture {
	f := newFixture("h3-shared-redis-scaled-to-zero", "2026-03-25T10:45:00Z")
	f.story = `A clean-up script scaled "unused" StatefulSets to zero, including session-redis in namespace
shared-cache. The Service session-redis there has no endpoints; the Python API profile-api
(namespace accounts) fails every request with "Error 111 connecting to
session-redis.shared-cache.svc.cluster.local:6379. Connection refused." The responsible
object is the session-redis Service (its backend has no pods).`
	f.source = "Kubernetes Failure Stories, https://k8s.af (scripts scaling away dependencies)"
	n := "gke-acct-default-pool-2b3c4d5e-rc01"
	f.node(n, "True")
	f.workload(app{kind: "StatefulSet", ns: "shared-cache", name: "session-redis", replicas: 0, ready: 0, labels: map[string]string{"app": "session-redis"}, image: "redis:7.2.4"})
	f.svc("shared-cache", "session-redis", map[string]string{"app": "session-redis"}, 6379, nil, nil)
	f.event(happening{kind: "StatefulSet", ns: "shared-cache", name: "session-redis", reason: "SuccessfulDelete", typ: "Normal", by: "statefulset-controller", note: "delete Pod session-redis-0 in StatefulSet session-redis successful", first: "20m"})
	pods := f.fleet(fleet{ns: "accounts", name: "profile-api", hash: "8a9b0c1d2e", image: "accounts/profile-api:2026.3.1", node: n, net: "10.180.1", n: 3, ready: 3, res: limits("500m", "512Mi")})
	for _, p := range pods {
		f.requests("accounts", "profile-api", p, ramp(-21, -19, 30, 3), ramp(-21, -19, 0, 27), nil)
		f.repeat("accounts/"+p+"/profile-api", "19m", "30s", "25s",
			`{"event": "request failed", "level": "error", "logger": "profile.api", "timestamp": "2026-03-25T10:26:00Z", "exc_info": "redis.exceptions.ConnectionError: Error 111 connecting to session-redis.shared-cache.svc.cluster.local:6379. Connection refused."}`)
	}
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "accounts", "service": "profile-api", "severity": "critical"},
		"profile-api 5xx ratio above 2%.", errRatio, "17m", 0.9)
	f.answer("DependencyFailure", "shared-cache", "Service", "session-redis", "Connection refused", "session-redis")
	return f
}

// istioWebhookCertExpired: the sidecar injector's serving certificate
// expired; no new pod of any namespace can be created.
func istioWebhookCertExpired() *fixture {
	f := newFixture("h3-injector-webhook-cert-expired", "2026-10-17T12:50:00Z")
	f.story = `A scale-out of grafana (namespace observability) creates no pods: the ReplicaSet's FailedCreate
events say the call to the sidecar-injector webhook failed, "x509: certificate has expired or
is not yet valid", for https://istiod.istio-system.svc:443/inject. The istiod serving
certificate expired; every namespace with injection is affected. The responsible object is
istiod in istio-system.`
	f.source = "kubernetes/kubectl issue #1307 'x509: certificate has expired or is not yet valid' (istio sidecar injector webhook), https://github.com/kubernetes/kubectl/issues/1307; cert-manager/cert-manager issue #5861, https://github.com/cert-manager/cert-manager/issues/5861"
	n := "gke-obs-default-pool-3c4d5e6f-ob01"
	f.node(n, "True")
	f.fleet(fleet{ns: "istio-system", name: "istiod", hash: "7f8e9d0c1b", image: "docker.io/istio/pilot:1.15.2", node: n, net: "10.190.0", n: 1, ready: 1,
		labels: map[string]string{"app": "istiod"}, res: limits("500m", "2Gi"), created: "8800h"})
	f.svc("istio-system", "istiod", map[string]string{"app": "istiod"}, 443, []string{"10.190.0.20"}, nil)
	f.say("istio-system/istiod-7f8e9d0c1b-"+suffix("istiod", 0)+"/discovery",
		`25m 2026-10-17T12:25:00.118Z	error	http: TLS handshake error from 10.190.0.1:52810: remote error: tls: bad certificate`,
		`10m 2026-10-17T12:40:00.230Z	error	http: TLS handshake error from 10.190.0.1:53008: remote error: tls: bad certificate`)
	owner := f.workload(app{kind: "Deployment", ns: "observability", name: "grafana", replicas: 3, ready: 1, labels: map[string]string{"app": "grafana"},
		revisions: []revision{{hash: "68746b898c", image: "grafana/grafana:10.4.2", replicas: 3, ready: 1, created: "900h"}}})
	f.pod(podDef{ns: "observability", name: "grafana-68746b898c-" + suffix("graf", 0), node: n, ip: "10.190.1.20", owner: owner, created: "900h",
		labels: map[string]string{"app": "grafana", "pod-template-hash": "68746b898c"},
		boxes:  []box{{name: "grafana", image: "grafana/grafana:10.4.2", resources: limits("500m", "512Mi"), ready: true, state: running(f, "900h")}}})
	f.event(happening{kind: "ReplicaSet", ns: "observability", name: "grafana-68746b898c", reason: "FailedCreate", by: "replicaset-controller",
		note: `Error creating: Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-10-17T12:49:46Z is after 2026-10-17T11:53:00Z`, count: 16, first: "30m", last: "1m"})
	f.alertOn(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "observability", "deployment": "grafana", "severity": "warning"},
		"Deployment observability/grafana has not matched the expected number of replicas for longer than 15 minutes.",
		`kube_deployment_spec_replicas > kube_deployment_status_replicas_available`, "15m", 2)
	f.answer("TLSFailure", "istio-system", "Deployment", "istiod", "certificate has expired")
	return f
}

// nodeDiskPressureLogs: a chatty container fills the node's disk with logs;
// the kubelet reports DiskPressure and evicts pods of other workloads.
func nodeDiskPressureLogs() *fixture {
	f := newFixture("h3-node-disk-pressure-evicts-pods", "2026-08-02T04:30:00Z")
	f.story = `On node gke-ops-default-pool-4d5e6f70-dk03 a debug-level sidecar wrote 40 GB of logs; the
kubelet reports DiskPressure and evicts pods, among them the pods of rates-cache (namespace
fx): "The node was low on resource: ephemeral-storage." The alert is on rates-cache running
below its replica count. The responsible object is the node.`
	f.source = "Target engineering, 'On Infrastructure at Scale: A Cascading Failure of Distributed Systems' (logging filled node disks), https://medium.com/@daniel.p.woods/on-infrastructure-at-scale-a-cascading-failure-of-distributed-systems-7cff2a3cd2df (k8s.af)"
	bad, ok := "gke-ops-default-pool-4d5e6f70-dk03", "gke-ops-default-pool-4d5e6f70-dk04"
	f.node(bad, "True", m{"type": "DiskPressure", "status": "True", "reason": "KubeletHasDiskPressure", "message": "kubelet has disk pressure", "lastTransitionTime": stamp(f.ago("22m"))})
	f.node(ok, "True")
	owner := f.workload(app{kind: "Deployment", ns: "fx", name: "rates-cache", replicas: 3, ready: 1, labels: map[string]string{"app": "rates-cache"},
		revisions: []revision{{hash: "59d8c7b6a5", image: "fx/rates-cache:1.4.0", replicas: 3, ready: 1, created: "700h"}}})
	lbl := map[string]string{"app": "rates-cache", "pod-template-hash": "59d8c7b6a5"}
	f.pod(podDef{ns: "fx", name: "rates-cache-59d8c7b6a5-" + suffix("rc", 0), node: ok, ip: "10.200.4.20", owner: owner, labels: lbl, created: "700h",
		boxes: []box{{name: "rates-cache", image: "fx/rates-cache:1.4.0", resources: limits("250m", "256Mi"), ready: true, state: running(f, "700h")}}})
	for i := 1; i < 3; i++ {
		p := "rates-cache-59d8c7b6a5-" + suffix("rc", i)
		f.pod(podDef{ns: "fx", name: p, node: bad, owner: owner, labels: lbl, phase: "Failed", created: "700h",
			status: m{"reason": "Evicted", "message": "The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 6%. Container rates-cache was using 12Ki, request is 0, has larger consumption of ephemeral-storage. "},
			boxes:  []box{{name: "rates-cache", image: "fx/rates-cache:1.4.0", resources: limits("250m", "256Mi")}}})
		f.event(happening{kind: "Pod", ns: "fx", name: p, reason: "Evicted", note: "The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 6%.", first: fmt.Sprintf("%dm", 18-i)})
		np := "rates-cache-59d8c7b6a5-" + suffix("rc-pending", i)
		f.pod(podDef{ns: "fx", name: np, owner: owner, labels: lbl, phase: "Pending", created: "15m",
			boxes:      []box{{name: "rates-cache", image: "fx/rates-cache:1.4.0", resources: limits("250m", "256Mi")}},
			conditions: []any{m{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "lastTransitionTime": stamp(f.ago("15m")), "message": "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }."}}})
	}
	f.event(happening{kind: "Node", name: bad, reason: "EvictionThresholdMet", by: "kubelet", note: "Attempting to reclaim ephemeral-storage", first: "22m"})
	f.repeat("fx/rates-cache-59d8c7b6a5-"+suffix("rc", 0)+"/rates-cache", "30m", "1m", "3m", `I0802 04:00:00.000000       1 cache.cc:88] refreshed 164 currency pairs`)
	f.alertOn(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "fx", "deployment": "rates-cache", "severity": "warning"},
		"Deployment fx/rates-cache has not matched the expected number of replicas for longer than 15 minutes.",
		`kube_deployment_spec_replicas > kube_deployment_status_replicas_available`, "3m", 2)
	f.answer("NodePressure", "", "Node", bad, "ephemeral-storage", bad)
	return f
}

// networkPolicyDefaultDeny: a default-deny egress policy is applied to the
// namespace; the database is healthy but unreachable. The policy is not
// recorded (the local API serves no NetworkPolicies) and DESIGN's entity kinds
// have none, so the answer names the unreachable Service.
func networkPolicyDefaultDeny() *fixture {
	f := newFixture("h3-default-deny-egress-blocks-database", "2026-09-01T09:20:00Z")
	f.story = `A security change applied a default-deny egress NetworkPolicy to namespace ordering without
an allow rule for the database. order-api's connections to the Service orders-pg (port 5432,
same namespace, endpoints ready, the database healthy) now time out: "dial tcp
10.0.63.91:5432: i/o timeout". The policy itself is not in the recorded objects (the fixture
format and the product's gatherer do not read NetworkPolicies: missing evidence), and DESIGN
has no NetworkPolicy entity kind: the dependency that cannot be reached is the orders-pg
Service.`
	f.source = "aws/aws-network-policy-agent issue #236 'Network policy blocks established connections to RDS', https://github.com/aws/aws-network-policy-agent/issues/236; devantler-tech/platform PR #2079 (default-deny without an egress rule), https://github.com/devantler-tech/platform/pull/2079"
	n := "gke-ordering-default-pool-5e6f7081-np01"
	f.node(n, "True")
	pg := f.workload(app{kind: "StatefulSet", ns: "ordering", name: "orders-pg", replicas: 1, ready: 1, labels: map[string]string{"app": "orders-pg"}, image: "postgres:16.2"})
	f.pod(podDef{ns: "ordering", name: "orders-pg-0", node: n, ip: "10.210.0.9", owner: pg, labels: map[string]string{"app": "orders-pg"}, created: "900h",
		boxes: []box{{name: "postgres", image: "postgres:16.2", resources: limits("2", "4Gi"), ready: true, state: running(f, "900h")}}})
	f.repeat("ordering/orders-pg-0/postgres", "30m", "1m", "5m", `2026-09-01 08:50:00.000 UTC [27] LOG:  checkpoint complete: wrote 212 buffers (1.3%); 0 WAL file(s) added, 0 removed, 1 recycled`)
	f.svc("ordering", "orders-pg", map[string]string{"app": "orders-pg"}, 5432, []string{"10.210.0.9"}, nil)
	pods := f.fleet(fleet{ns: "ordering", name: "order-api", hash: "4f5e6d7c8b", image: "ordering/order-api:6.0.3", node: n, net: "10.210.1", n: 2, ready: 2, res: limits("1", "1Gi")})
	for _, p := range pods {
		f.requests("ordering", "order-api", p, ramp(-15, -13, 45, 4), ramp(-15, -13, 0, 40), nil)
		f.repeat("ordering/"+p+"/order-api", "13m", "30s", "20s",
			`time=2026-09-01T09:07:00.000Z level=ERROR msg="db ping failed" err="failed to connect to host=orders-pg.ordering.svc.cluster.local user=orders database=orders: dial tcp 10.0.63.91:5432: i/o timeout"`)
	}
	f.alertOn(map[string]string{"alertname": "HighErrorRate", "namespace": "ordering", "service": "order-api", "severity": "critical"},
		"order-api 5xx ratio above 2%.", errRatio, "12m", 0.9)
	f.answer("DependencyFailure", "ordering", "Service", "orders-pg", "i/o timeout", "orders-pg")
	return f
}

// quotaBlocksScaleOut: the namespace's ResourceQuota is used up; the HPA
// asks for more pods and the ReplicaSet cannot create them.
func quotaBlocksScaleOut() *fixture {
	f := newFixture("h3-resourcequota-blocks-scale-out", "2026-06-22T17:15:00Z")
	f.story = `The HPA of report-api (namespace analytics) asked for 6 replicas, but the namespace's
ResourceQuota compute-resources (requests.memory 8Gi) is used up; the ReplicaSet's
FailedCreate events say "exceeded quota: compute-resources, requested: requests.memory=2Gi,
used: requests.memory=8Gi, limited: requests.memory=8Gi". Four pods run, two are never created.`
	f.source = "kubernetes/website PR #641 (quota FailedCreate walkthrough), https://github.com/kubernetes/website/pull/641; m3o/backend PR #378 (FailedCreate: forbidden: failed quota), https://github.com/m3o/backend/pull/378"
	n := "gke-analytics-default-pool-6f708192-rq01"
	f.node(n, "True")
	f.put(m{"apiVersion": "v1", "kind": "ResourceQuota", "metadata": m{"name": "compute-resources", "namespace": "analytics", "uid": f.id("quota", "compute-resources")},
		"spec":   m{"hard": m{"requests.cpu": "8", "requests.memory": "8Gi"}},
		"status": m{"hard": m{"requests.cpu": "8", "requests.memory": "8Gi"}, "used": m{"requests.cpu": "4", "requests.memory": "8Gi"}}})
	pods := f.fleet(fleet{ns: "analytics", name: "report-api", hash: "9a8b7c6d5e", image: "analytics/report-api:1.22.0", node: n, net: "10.220.0", n: 4, ready: 4, res: limits("1", "2Gi")})
	for _, p := range pods {
		f.container("analytics", p, "report-api", level(1500), 2048, level(0.97), 1, nil, nil)
		f.requests("analytics", "report-api", p, level(40), level(0.2), ramp(-20, -10, 0.2, 1.1))
	}
	f.event(happening{kind: "ReplicaSet", ns: "analytics", name: "report-api-9a8b7c6d5e", reason: "FailedCreate", by: "replicaset-controller",
		note: `Error creating: pods "report-api-9a8b7c6d5e-x7k2p" is forbidden: exceeded quota: compute-resources, requested: requests.memory=2Gi, used: requests.memory=8Gi, limited: requests.memory=8Gi`, count: 19, first: "18m", last: "1m"})
	f.event(happening{kind: "HorizontalPodAutoscaler", ns: "analytics", name: "report-api", reason: "SuccessfulRescale", typ: "Normal", by: "horizontal-pod-autoscaler", note: "New size: 6; reason: cpu resource utilization (percentage of request) above target", first: "18m"})
	f.alertOn(map[string]string{"alertname": "KubeHpaReplicasMismatch", "namespace": "analytics", "horizontalpodautoscaler": "report-api", "severity": "warning"},
		"HPA analytics/report-api has not matched the desired number of replicas for longer than 15 minutes.",
		`kube_horizontalpodautoscaler_status_desired_replicas != kube_horizontalpodautoscaler_status_current_replicas`, "3m", 6)
	f.answer("ResourceExhaustion", "analytics", "Deployment", "report-api", "exceeded quota", "compute-resources")
	return f
}

// partnerCertExpired: an external partner's API serves an expired
// certificate; no metrics were scraped for this app (missing evidence).
func partnerCertExpired() *fixture {
	f := newFixture("h3-partner-api-certificate-expired", "2026-01-02T00:40:00Z")
	f.story = `At midnight the certificate of the partner API api.parcelnet.example expired. The Ruby worker
label-printer (namespace logistics-eu) fails every call with "SSL_connect returned=1 errno=0
state=error: certificate verify failed (certificate has expired)". The app exposes no
metrics, so only logs and the alert tell. The responsible object is the external host.`
	f.source = "Let's Encrypt, 'DST Root CA X3 Expiration (September 2021)', https://letsencrypt.org/docs/dst-root-ca-x3-expiration-september-2021/; Kubernetes Failure Stories, https://k8s.af (expired certificates)"
	n := "gke-logi-default-pool-708192a3-lp01"
	f.node(n, "True")
	pods := f.fleet(fleet{ns: "logistics-eu", name: "label-printer", hash: "3b4c5d6e7f", image: "logistics/label-printer:2.9.1", node: n, net: "10.230.0", n: 2, ready: 2, res: limits("500m", "512Mi")})
	for _, p := range pods {
		f.repeat("logistics-eu/"+p+"/label-printer", "38m", "30s", "30s",
			`E, [2026-01-02T00:02:00.000000 #1] ERROR -- : [LabelJob] OpenSSL::SSL::SSLError: SSL_connect returned=1 errno=0 peeraddr=203.0.113.40:443 state=error: certificate verify failed (certificate has expired) host=api.parcelnet.example`)
	}
	f.alertOn(map[string]string{"alertname": "SidekiqJobsFailing", "namespace": "logistics-eu", "deployment": "label-printer", "severity": "warning"},
		"label-printer jobs are failing.", `sum by (namespace, deployment) (rate(sidekiq_jobs_failed_total[5m])) > 0.1`, "35m", 1.9)
	f.answer("TLSFailure", "", "External", "api.parcelnet.example", "certificate has expired", "api.parcelnet.example")
	return f
}
