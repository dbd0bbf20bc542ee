package main

var (
	_ = register(configMapKeyRenamed)
	_ = register(cephPoolMissing)
	_ = register(redisAntiAffinityCordoned)
	_ = register(kubeletStoppedPosting)
	_ = register(pidPressureZombies)
	_ = register(gomaxprocsThrottled)
	_ = register(cnpgPrimaryFenced)
	_ = register(externalGeocoderTimeouts)
)

func configMapKeyRenamed() *scene {
	s := newScene("h7-configmap-key-renamed-query-gateway-createcontainerconfigerror", "2026-12-01T15:20:00Z")
	s.description = `The search platform team renamed OPENSEARCH_URL to OPENSEARCH_ENDPOINT in the shared ConfigMap
query-gateway-env while preparing a new chart version. Running query-gateway pods keep the old environment, but the
pod that was recreated after node-r2-04's firmware drain fails with CreateContainerConfigError: couldn't find key
OPENSEARCH_URL. The Deployment spec itself did not change; there are no logs (the container never started) and no metrics.`
	s.source = "https://github.com/contiv/install/issues/324"
	s.workers()
	w := s.deployment("search", "query-gateway", 3, 210*day, nil)
	c := ctr{name: "gateway", image: "harbor.dc1.internal/search/query-gateway:1.9.0", cpuReq: "300m", cpuLim: "1", memReq: "256Mi", memLim: "512Mi", port: 8080,
		env: []any{envFrom("ConfigMap", "OPENSEARCH_URL", "OPENSEARCH_URL", "query-gateway-env"), envFrom("ConfigMap", "CACHE_TTL", "CACHE_TTL", "query-gateway-env")}}
	r := w.rev("5c8f6d7b9", "1.9.0", 33*day, 3, c)
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 33*day)}, 2)
	w.pod(r, "r4bxk", r1n03, 33*day, s.running(33*day))
	w.pod(r, "m8czq", r3n07, 33*day, s.running(33*day))
	p := w.pod(r, "t2vhn", r2n06, 34*minute, waiting("CreateContainerConfigError", "couldn't find key OPENSEARCH_URL in ConfigMap search/query-gateway-env"))
	s.configMap("search", "query-gateway-env", 2*hour, map[string]string{"OPENSEARCH_ENDPOINT": "https://opensearch.search.svc:9200", "CACHE_TTL": "30s"})
	s.podEvent("search", p, "Warning", "Failed", "Error: couldn't find key OPENSEARCH_URL in ConfigMap search/query-gateway-env", 158, 34*minute, 12*second)
	s.podEvent("search", p, "Normal", "Pulled", `Container image "harbor.dc1.internal/search/query-gateway:1.9.0" already present on machine`, 158, 34*minute, 12*second)
	s.event("", "Node", r2n04, "Normal", "NodeSchedulable", "Node "+r2n04+" status is now: NodeSchedulable", 1, 20*minute, 20*minute, "kubelet", r2n04)
	s.replicasMismatchAlert("search", "query-gateway", 16*minute, 1)
	s.want("ConfigError", "search", "Deployment", "query-gateway", "OPENSEARCH_URL", "query-gateway-env")
	return s
}

func cephPoolMissing() *scene {
	s := newScene("h7-rook-ceph-pool-missing-clickhouse-pvc-pending", "2026-12-02T09:05:00Z")
	s.description = `analytics scaled the clickhouse-shard StatefulSet from 2 to 3 replicas. The new replica's claim
data-clickhouse-shard-2 asks for StorageClass ceph-block-ssd, whose pool replicapool-ssd was never created by the
CephBlockPool manifest (it was renamed during the Rook upgrade), so the CSI provisioner fails and the pod stays Pending
with an unbound PersistentVolumeClaim. The two existing shards are fine. Responsible: the claim / its storage class.`
	s.source = "https://github.com/rook/rook/issues/7362"
	s.workers()
	claims := []any{obj{"metadata": obj{"name": "data"}, "spec": obj{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": "ceph-block-ssd",
		"resources": obj{"requests": obj{"storage": "500Gi"}}}}}
	w := s.statefulSet("analytics", "clickhouse-shard", 3, 160*day, "24.8.4", nil, claims,
		ctr{name: "clickhouse", image: "harbor.dc1.internal/mirror/clickhouse/clickhouse-server:24.8.4", cpuReq: "4", cpuLim: "8", memReq: "16Gi", memLim: "16Gi", port: 8123})
	w.obj["status"].(obj)["readyReplicas"] = 2
	w.obj["status"].(obj)["currentReplicas"] = 3
	w.pod(nil, "0", r1n05, 160*day, s.running(40*day))
	w.pod(nil, "1", r2n06, 160*day, s.running(40*day))
	p := w.pod(nil, "2", "", 27*minute)
	s.pvc("analytics", "data-clickhouse-shard-0", "ceph-block-ssd-legacy", "500Gi", "Bound", 160*day, nil)
	s.pvc("analytics", "data-clickhouse-shard-1", "ceph-block-ssd-legacy", "500Gi", "Bound", 160*day, nil)
	s.pvc("analytics", "data-clickhouse-shard-2", "ceph-block-ssd", "500Gi", "Pending", 27*minute, nil)
	s.schedEvent("analytics", "Pod", p, "FailedScheduling", "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.", 9, 27*minute, 2*minute, "default-scheduler")
	s.event("analytics", "PersistentVolumeClaim", "data-clickhouse-shard-2", "Normal", "ExternalProvisioning", `Waiting for a volume to be created either by the external provisioner 'rook-ceph.rbd.csi.ceph.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`, 110, 27*minute, 10*second, "persistentvolume-controller", "")
	s.event("analytics", "PersistentVolumeClaim", "data-clickhouse-shard-2", "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "ceph-block-ssd": rpc error: code = Internal desc = pool not found: pool (replicapool-ssd) not found in Ceph cluster`, 14, 27*minute, 1*minute, "rook-ceph.rbd.csi.ceph.com_csi-rbdplugin-provisioner-6f8d9b7c5-xk2lp_3c7f9a1e-2d4b-4e8f-9a6c-5b1d7e3f2a90", "")
	s.event("analytics", "StatefulSet", "clickhouse-shard", "Normal", "SuccessfulCreate", "create Claim data-clickhouse-shard-2 Pod clickhouse-shard-2 in StatefulSet clickhouse-shard success", 1, 27*minute, 27*minute, "statefulset-controller", "")
	s.podNotReadyAlert("analytics", p, 12*minute)
	s.want("Unschedulable", "analytics", "PersistentVolumeClaim", "data-clickhouse-shard-2", "replicapool-ssd", "data-clickhouse-shard-2")
	return s
}

func redisAntiAffinityCordoned() *scene {
	s := newScene("h7-redis-sessions-anti-affinity-with-cordoned-node", "2026-12-02T16:40:00Z")
	s.description = `redis-sessions runs 3 replicas with required pod anti-affinity on kubernetes.io/hostname and a node
selector for the three pool=stateful nodes. node-r2-04 was cordoned for a firmware update and redis-sessions-2 was
evicted from it; the scheduler cannot place it anywhere: one node is unschedulable and the other two already hold a
replica. Sessions keep working on two replicas but the StatefulSet is degraded until the node is uncordoned.`
	s.source = "https://koti.dev/posts/affinity-rules-violation"
	s.nodes(r1n03, r2n06, r3n07, r1n05)
	s.node(r3n02, nil)
	s.node(r2n04, []any{obj{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": s.at(50 * minute)}})
	s.find("Node", "", r2n04)["spec"].(obj)["unschedulable"] = true
	for _, n := range []string{r1n05, r2n04, r3n02} {
		metaOf(s.find("Node", "", n))["labels"].(map[string]any)["pool"] = "stateful"
	}
	extra := obj{"nodeSelector": obj{"pool": "stateful"}, "affinity": obj{"podAntiAffinity": obj{"requiredDuringSchedulingIgnoredDuringExecution": []any{
		obj{"labelSelector": obj{"matchLabels": copyLabels(selectorOf("redis-sessions"))}, "topologyKey": "kubernetes.io/hostname"}}}}}
	w := s.statefulSet("storefront", "redis-sessions", 3, 400*day, "7.2.5", extra, nil,
		ctr{name: "redis", image: "harbor.dc1.internal/mirror/library/redis:7.2.5", cpuReq: "500m", cpuLim: "1", memReq: "2Gi", memLim: "2Gi", port: 6379})
	w.obj["status"].(obj)["readyReplicas"] = 2
	w.pod(nil, "0", r1n05, 60*day, s.running(60*day))
	w.pod(nil, "1", r3n02, 60*day, s.running(60*day))
	p := w.pod(nil, "2", "", 48*minute)
	s.schedEvent("storefront", "Pod", p, "FailedScheduling", "0/6 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match pod anti-affinity rules, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 2 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.", 15, 48*minute, 3*minute, "default-scheduler")
	s.event("", "Node", r2n04, "Normal", "NodeNotSchedulable", "Node "+r2n04+" status is now: NodeNotSchedulable", 1, 50*minute, 50*minute, "kubelet", r2n04)
	s.event("storefront", "Pod", "redis-sessions-2", "Normal", "TaintManagerEviction", "Cancelling deletion of Pod storefront/redis-sessions-2", 1, 55*minute, 55*minute, "taint-eviction-controller", "")
	s.logLines("storefront", "redis-sessions-0", "redis", false, 50*minute, 40*second,
		"1:M 02 Dec 2026 15:50:12.511 * Connection with replica 192.168.77.41:6379 lost.",
		"1:M 02 Dec 2026 15:55:40.004 * 100 changes in 300 seconds. Saving...",
		"1:M 02 Dec 2026 15:55:40.007 * Background saving started by pid 4211",
		"4211:C 02 Dec 2026 15:55:40.912 * DB saved on disk",
		"1:M 02 Dec 2026 15:55:41.009 * Background saving terminated with success")
	s.metric("kube_statefulset_status_replicas_ready", "gauge", ksm(map[string]string{"namespace": "storefront", "statefulset": "redis-sessions"}), stepAt(0.1, 3, 2))
	s.setAlert("KubeStatefulSetReplicasMismatch", "warning", map[string]string{"namespace": "storefront", "statefulset": "redis-sessions", "job": "kube-state-metrics"},
		"StatefulSet has not matched the expected number of replicas.", "StatefulSet storefront/redis-sessions has not matched the expected number of replicas for longer than 15 minutes.",
		`(kube_statefulset_status_replicas_ready{job="kube-state-metrics",namespace=~".*"} != kube_statefulset_status_replicas{job="kube-state-metrics",namespace=~".*"}) and (changes(kube_statefulset_status_replicas_updated{job="kube-state-metrics",namespace=~".*"}[10m]) == 0)`,
		30*minute, 2)
	s.want("Unschedulable", "storefront", "StatefulSet", "redis-sessions", "anti-affinity", "node-r2-04")
	return s
}

func kubeletStoppedPosting() *scene {
	s := newScene("h7-node-r3-07-kubelet-stopped-posting-status", "2026-12-03T02:15:00Z")
	s.description = `node-r3-07 stopped renewing its lease 9 minutes ago (a hung NIC bonding driver after a switch failover):
the node controller set Ready=Unknown, tainted it unreachable and marked its pods for deletion. The pods there still
show Running but cannot be reached and nothing new has started on the node. The alert fires for one of those pods;
the node is the responsible object. There are no logs from the node's pods (the kubelet is unreachable).`
	s.source = "https://devopsaitoolkit.com/blog/kubernetes-error-node-is-unreachable/"
	s.nodes(r1n03, r1n05, r2n04, r2n06, r3n02)
	unknown := func(typ string) nodeCond {
		return nodeCond{typ, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."}
	}
	s.node(r3n07, []any{obj{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": s.at(8 * minute)},
		obj{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": s.at(8 * minute)}},
		unknown("Ready"), unknown("MemoryPressure"), unknown("DiskPressure"), unknown("PIDPressure"))
	w := s.deployment("storefront", "pricing-api", 3, 300*day, nil)
	r := w.rev("7d5c8f9b6", "5.4.2", 8*day, 3, ctr{name: "api", image: "harbor.dc1.internal/storefront/pricing-api:5.4.2", cpuReq: "500m", cpuLim: "2", memReq: "512Mi", memLim: "1Gi", port: 8080})
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 8*day)}, 2)
	w.pod(r, "c4pwn", r1n03, 8*day, s.running(8*day))
	w.pod(r, "k9sdx", r2n06, 8*day, s.running(8*day))
	p := w.pod(r, "z6fmq", r3n07, 8*day, s.running(8*day))
	pod := s.find("Pod", "storefront", p)
	for _, c := range pod["status"].(obj)["conditions"].([]any) {
		if t := c.(obj)["type"]; t == "Ready" || t == "ContainersReady" {
			c.(obj)["status"] = "False"
			c.(obj)["lastTransitionTime"] = s.at(8 * minute)
		}
	}
	pod["status"].(obj)["containerStatuses"].([]any)[0].(obj)["ready"] = false
	s.event("", "Node", r3n07, "Normal", "NodeNotReady", "Node "+r3n07+" status is now: NodeNotReady", 1, 8*minute, 8*minute, "node-controller", "")
	s.event("storefront", "Pod", p, "Warning", "NodeNotReady", "Node is not ready", 1, 8*minute, 8*minute, "node-controller", "")
	s.event("storefront", "Pod", p, "Normal", "TaintManagerEviction", "Marking for deletion Pod storefront/"+p, 1, 3*minute, 3*minute, "taint-eviction-controller", "")
	s.metric("up", "gauge", map[string]string{"job": "node-exporter", "instance": nodeIP(r3n07) + ":9100", "node": r3n07, "namespace": "monitoring"}, stepAt(0.1, 1, 0))
	s.metric("up", "gauge", map[string]string{"job": "node-exporter", "instance": nodeIP(r3n02) + ":9100", "node": r3n02, "namespace": "monitoring"}, flat(1))
	s.metric("kube_node_status_condition", "gauge", ksm(map[string]string{"node": r3n07, "condition": "Ready", "status": "unknown"}), stepAt(0.1, 0, 1))
	s.podNotReadyAlert("storefront", p, 2*minute)
	s.want("NodePressure", "", "Node", r3n07, "node-r3-07", "NotReady")
	return s
}

func pidPressureZombies() *scene {
	s := newScene("h7-node-pid-pressure-report-renderer-zombies", "2026-12-03T12:30:00Z")
	s.description = `node-r1-05 reports PIDPressure=True: the report-renderer pod (Python, spawns headless Chromium per PDF
and never reaps the children because it runs as PID 1 without an init) has accumulated ~29k zombie processes, there is
no podPidsLimit, and kernel.pid_max is 32768. The kubelet evicted a search-indexer pod from the node (the alerted
workload) and new pods cannot fork. The node condition is the primary signal; the evicted pod is a victim.`
	s.source = "https://www.netdata.cloud/guides/kubernetes/kubernetes-node-pid-pressure/"
	s.nodes(r1n03, r2n04, r2n06, r3n02, r3n07)
	s.node(r1n05, []any{obj{"key": "node.kubernetes.io/pid-pressure", "effect": "NoSchedule", "timeAdded": s.at(14 * minute)}},
		nodeCond{"PIDPressure", "True", "KubeletHasInsufficientPID", "kubelet has insufficient PID available"})
	idx := s.deployment("search", "search-indexer", 2, 120*day, nil)
	r := idx.rev("9f6c7d8b5", "3.1.0", 10*day, 2, ctr{name: "indexer", image: "harbor.dc1.internal/search/search-indexer:3.1.0", cpuReq: "1", cpuLim: "2", memReq: "1Gi", memLim: "2Gi"})
	idx.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 10*day)}, 1, 0)
	idx.pod(r, "b3kqs", r2n06, 10*day, s.running(10*day))
	ev := idx.pod(r, "h8xzt", r1n05, 10*day, s.terminated("Error", 137, 10*day, 12*minute))
	evPod := s.find("Pod", "search", ev)
	evPod["status"].(obj)["reason"] = "Evicted"
	evPod["status"].(obj)["message"] = "The node was low on resource: pids. "
	evPod["status"].(obj)["phase"] = "Failed"
	repl := idx.pod(r, "q5nvw", "", 11*minute)
	rr := s.deployment("reporting", "report-renderer", 1, 45*day, nil)
	rrv := rr.rev("6c9d8f7b4", "2.0.3", 6*day, 1, ctr{name: "renderer", image: "harbor.dc1.internal/reporting/report-renderer:2.0.3", cpuReq: "500m", cpuLim: "2", memReq: "1Gi", memLim: "3Gi", port: 8000})
	rr.status(nil, 1)
	rp := rr.pod(rrv, "w2lgc", r1n05, 6*day, s.running(6*day))
	s.event("", "Node", r1n05, "Warning", "EvictionThresholdMet", "Attempting to reclaim pids", 6, 14*minute, 2*minute, "kubelet", r1n05)
	s.event("", "Node", r1n05, "Normal", "NodeHasInsufficientPID", "Node "+r1n05+" status is now: NodeHasInsufficientPID", 1, 14*minute, 14*minute, "kubelet", r1n05)
	s.podEvent("search", ev, "Warning", "Evicted", "The node was low on resource: pids. ", 1, 12*minute, 12*minute)
	s.schedEvent("search", "Pod", repl, "FailedScheduling", "0/6 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/pid-pressure: }, 5 Insufficient cpu. preemption: 0/6 nodes are available: 1 Preemption is not helpful for scheduling, 5 No preemption victims found for incoming pod.", 4, 11*minute, 3*minute, "default-scheduler")
	s.logLines("reporting", rp, "renderer", false, 6*minute, 20*second, join(
		repeat(8, `{py_ts} INFO [renderer.pdf] rendered report id=9{i}2231 pages=14 chromium_pid=2{i}8110 in 3.41s`),
		[]string{`{py_ts} ERROR [renderer.pdf] chromium launch failed: [Errno 11] Resource temporarily unavailable`,
			`{py_ts} ERROR [renderer.pdf] chromium launch failed: [Errno 11] Resource temporarily unavailable`})...)
	s.metric("node_processes_pids", "gauge", map[string]string{"job": "node-exporter", "instance": nodeIP(r1n05) + ":9100", "node": r1n05}, ramp(30100, 32610))
	s.metric("node_processes_max_processes", "gauge", map[string]string{"job": "node-exporter", "instance": nodeIP(r1n05) + ":9100", "node": r1n05}, flat(32768))
	s.metric("node_processes_state", "gauge", map[string]string{"job": "node-exporter", "instance": nodeIP(r1n05) + ":9100", "node": r1n05, "state": "Z"}, ramp(27800, 29400))
	s.replicasMismatchAlert("search", "search-indexer", 5*minute, 1)
	s.want("NodePressure", "", "Node", r1n05, "PIDPressure", "node-r1-05")
	return s
}

func gomaxprocsThrottled() *scene {
	s := newScene("h7-go-fx-rates-gomaxprocs-32-cfs-throttled", "2026-12-03T17:10:00Z")
	s.description = `fx-rates-api (Go 1.22, without automaxprocs) runs with a 2-CPU limit on 32-core nodes, so the runtime
starts GOMAXPROCS=32 and burns the CFS quota in the first milliseconds of each 100ms period: 60-70% of periods are
throttled and p99 latency rose from 40ms to 900ms as month-end traffic grew 30%. CPU usage stays just under the limit.
Fix by setting GOMAXPROCS from limits.cpu (resourceFieldRef) or upgrading to Go 1.25.`
	s.source = "https://blog.esc.sh/golang-performance-penalty-in-kubernetes"
	s.workers()
	w := s.deployment("ledger", "fx-rates-api", 3, 500*day, nil)
	r := w.rev("8c6f9d7b5", "3.8.1", 40*day, 3, ctr{name: "api", image: "harbor.dc1.internal/ledger/fx-rates-api:3.8.1", cpuReq: "2", cpuLim: "2", memReq: "256Mi", memLim: "512Mi", port: 8080,
		readiness: httpProbe("/readyz", 8080, 2, 10, 3)})
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 40*day)}, 3)
	nodes := []string{r1n03, r2n04, r3n02}
	var pods []string
	for i, n := range nodes {
		pods = append(pods, w.pod(r, []string{"j5kcz", "n2xwq", "v8rpd"}[i], n, 40*day, s.running(40*day)))
	}
	s.logLines("ledger", pods[0], "api", false, 4*minute, 20*second, join(
		[]string{`{"time":"{ts}","level":"INFO","msg":"starting","service":"fx-rates-api","version":"3.8.1","go":"go1.22.7","gomaxprocs":32,"num_cpu":32}`},
		repeat(6, `{"time":"{ts}","level":"WARN","msg":"slow request","route":"/v1/rates/convert","duration_ms":8{i}4,"status":200}`),
		repeat(4, `{"time":"{ts}","level":"INFO","msg":"rates refreshed","source":"ecb","pairs":162,"duration_ms":1{i}31}`))...)
	for i, p := range pods {
		l := cad("ledger", p, "api", nodes[i])
		s.metric("container_cpu_cfs_periods", "counter", l, rate(8.1e6, 10))
		s.metric("container_cpu_cfs_throttled_periods", "counter", l, rate(4.9e6, 6.6+0.3*float64(i)))
		s.metric("container_cpu_cfs_throttled_seconds", "counter", l, rate(9.3e5, 1.9))
		s.metric("container_cpu_usage_seconds", "counter", l, rate(5.6e6, 1.93))
		s.metric("kube_pod_container_resource_limits", "gauge", ksm(map[string]string{"namespace": "ledger", "pod": p, "container": "api", "resource": "cpu", "unit": "core", "node": nodes[i]}), flat(2))
	}
	s.metric("http_server_request_duration_seconds:p99", "gauge", map[string]string{"namespace": "ledger", "service": "fx-rates-api", "route": "/v1/rates/convert"}, ramp(0.42, 0.93))
	s.setAlert("FxRatesLatencyHigh", "critical", map[string]string{"namespace": "ledger", "service": "fx-rates-api", "team": "ledger"},
		"fx-rates-api p99 latency above 500ms", "p99 latency of fx-rates-api /v1/rates/convert is 0.93s for 10 minutes (SLO 250ms).",
		`histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket{namespace="ledger",service="fx-rates-api"}[5m]))) > 0.5`, 11*minute, 0.93)
	s.want("CPUThrottling", "ledger", "Deployment", "fx-rates-api", "GOMAXPROCS", "throttl")
	return s
}

func cnpgPrimaryFenced() *scene {
	s := newScene("h7-cnpg-orders-db-rw-service-without-endpoints", "2026-12-04T06:25:00Z")
	s.description = `orders-web (Rails 7.1 / Puma) returns 500s: every request fails with PG::ConnectionBad "Connection
refused" to orders-db-rw. The CloudNativePG primary orders-db-1 was fenced by an operator during a storage check
(cnpg.io/fencedInstances) and nobody unfenced it; its postgres container is stopped, so the -rw Service, which selects
the pod labelled primary, has no ready endpoints. The two replicas are healthy and read-only. Responsible: the
orders-db-rw Service's missing backend, not the Rails app.`
	s.source = "https://github.com/cloudnative-pg/cloudnative-pg/issues/10403"
	s.workers()
	pg := ctr{name: "postgres", image: "ghcr.io/cloudnative-pg/postgresql:16.4", cpuReq: "2", cpuLim: "4", memReq: "8Gi", memLim: "8Gi", port: 5432}
	labels := func(n, role string) map[string]string {
		return map[string]string{"cnpg.io/cluster": "orders-db", "cnpg.io/instanceName": n, "cnpg.io/instanceRole": role, "role": role, "cnpg.io/podRole": "instance"}
	}
	fenced := s.runningUnready(70*day, 0, nil)
	s.operatorPod("db", "orders-db-1", "postgresql.cnpg.io/v1", "Cluster", "orders-db", r1n05, labels("orders-db-1", "primary"), 70*day, []ctr{pg}, fenced)
	s.operatorPod("db", "orders-db-2", "postgresql.cnpg.io/v1", "Cluster", "orders-db", r2n06, labels("orders-db-2", "replica"), 70*day, []ctr{pg}, s.running(70*day))
	s.operatorPod("db", "orders-db-3", "postgresql.cnpg.io/v1", "Cluster", "orders-db", r3n07, labels("orders-db-3", "replica"), 70*day, []ctr{pg}, s.running(70*day))
	s.service("db", "orders-db-rw", map[string]string{"cnpg.io/cluster": "orders-db", "cnpg.io/instanceRole": "primary"}, 5432, 5432, "")
	s.endpoints("db", "orders-db-rw", 5432, nil, []string{"orders-db-1"})
	s.service("db", "orders-db-ro", map[string]string{"cnpg.io/cluster": "orders-db", "cnpg.io/instanceRole": "replica"}, 5432, 5432, "")
	s.endpoints("db", "orders-db-ro", 5432, []string{"orders-db-2", "orders-db-3"}, nil)
	s.podEvent("db", "orders-db-1", "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500", 190, 32*minute, 10*second)
	s.logLines("db", "orders-db-1", "postgres", false, 33*minute, 30*second,
		`{"level":"info","ts":"{ts}","logger":"instance-manager","msg":"Fencing: instance is fenced, shutting down postgres","logging_pod":"orders-db-1"}`,
		`{"level":"info","ts":"{ts}","logger":"postgres","msg":"record","logging_pod":"orders-db-1","record":{"error_severity":"LOG","message":"received fast shutdown request"}}`,
		`{"level":"info","ts":"{ts}","logger":"postgres","msg":"record","logging_pod":"orders-db-1","record":{"error_severity":"LOG","message":"database system is shut down"}}`,
		`{"level":"info","ts":"{ts}","logger":"instance-manager","msg":"Instance is fenced, postgres is not running","logging_pod":"orders-db-1"}`)
	w := s.deployment("storefront", "orders-web", 4, 700*day, nil)
	r := w.rev("5f9b7c6d8", "2026.11.30", 4*day, 4, ctr{name: "web", image: "harbor.dc1.internal/storefront/orders-web:2026.11.30", cpuReq: "1", cpuLim: "2", memReq: "1Gi", memLim: "1536Mi", port: 3000,
		env: []any{envVar("DATABASE_HOST", "orders-db-rw.db.svc.cluster.local"), envVar("RAILS_MAX_THREADS", "5")}})
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 4*day)}, 4)
	var web []string
	for i, n := range []string{r1n03, r2n04, r3n02, r2n06} {
		web = append(web, w.pod(r, []string{"a7dqk", "f3lmz", "p9vtc", "x2bnh"}[i], n, 4*day, s.running(4*day)))
	}
	s.service("storefront", "orders-web", selectorOf("orders-web"), 80, 3000, "")
	s.endpoints("storefront", "orders-web", 3000, web, nil)
	svc := s.find("Service", "db", "orders-db-rw")["spec"].(obj)["clusterIP"].(string)
	s.logLines("storefront", web[0], "web", false, 5*minute, 10*second, join(
		repeat(10, `[{rails_ts} #1] ERROR -- : [req-{i}c41f] PG::ConnectionBad (connection to server at "orders-db-rw.db.svc.cluster.local" (`+svc+`), port 5432 failed: Connection refused`),
		[]string{`[{rails_ts} #1]  INFO -- : [req-77c41f] Completed 500 Internal Server Error in 3ms (ActiveRecord: 0.0ms | Allocations: 512)`},
		repeat(6, `[{rails_ts} #1] ERROR -- : [req-9{i}a2e] ActiveRecord::ConnectionNotEstablished (connection to server at "orders-db-rw.db.svc.cluster.local" (`+svc+`), port 5432 failed: Connection refused`))...)
	for _, p := range web {
		s.metric("rails_requests", "counter", map[string]string{"namespace": "storefront", "pod": p, "status": "500", "controller": "orders", "job": "orders-web"}, rate(1200, 3.2))
	}
	s.metric("cnpg_collector_up", "gauge", map[string]string{"namespace": "db", "pod": "orders-db-1", "cluster": "orders-db"}, stepAt(0.05, 1, 0))
	s.setAlert("OrdersWebErrorRateHigh", "critical", map[string]string{"namespace": "storefront", "service": "orders-web", "team": "orders"},
		"orders-web is returning 5xx", "More than 20% of orders-web requests fail with HTTP 5xx for 5 minutes.",
		`sum(rate(rails_requests_total{namespace="storefront",job="orders-web",status=~"5.."}[5m])) / sum(rate(rails_requests_total{namespace="storefront",job="orders-web"}[5m])) > 0.2`, 29*minute, 0.97)
	s.want("DependencyFailure", "db", "Service", "orders-db-rw", "orders-db-rw", "fenced")
	return s
}

func externalGeocoderTimeouts() *scene {
	s := newScene("h7-sidekiq-geocoding-external-api-open-timeouts", "2026-12-04T10:50:00Z")
	s.description = `The address-enrichment Sidekiq queue of the logistics app is backing up: every GeocodeAddressJob fails
with Net::OpenTimeout connecting to the partner API geo.locatrix.io (TCP 443), which is down since 10:25 according to
its status page. Sidekiq retries with backoff, so the retry set and queue latency grow; pods, nodes and DNS are healthy.
Responsible: the external host. An unrelated Rack::Attack throttle warning in the web pod is noise.`
	s.source = "https://www.dmitryjum.com/blog/posts/mindbody-timeouts-resilience"
	s.workers()
	w := s.deployment("logistics", "sidekiq-enrichment", 2, 260*day, nil)
	r := w.rev("9d6b5c8f7", "2026.12.01", 3*day, 2, ctr{name: "sidekiq", image: "harbor.dc1.internal/logistics/dispatch:2026.12.01", cpuReq: "500m", cpuLim: "1", memReq: "768Mi", memLim: "1Gi",
		args: []string{"bundle", "exec", "sidekiq", "-q", "enrichment"}})
	w.status([]any{s.depCond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", 3*day)}, 2)
	a := w.pod(r, "k4nvz", r1n03, 3*day, s.running(3*day))
	w.pod(r, "s7qxb", r3n07, 3*day, s.running(3*day))
	s.logLines("logistics", a, "sidekiq", false, 6*minute, 8*second, join(
		repeat(14, "{ts} pid=1 tid=8bq{i} class=GeocodeAddressJob jid=c{i}81fa2d3e WARN: Net::OpenTimeout: Failed to open TCP connection to geo.locatrix.io:443 (execution expired)"),
		[]string{"{ts} pid=1 tid=8bq3 class=GeocodeAddressJob jid=c381fa2d3e WARN: /usr/local/lib/ruby/3.3.0/net/http.rb:1603:in `initialize'",
			"{ts} pid=1 tid=8bq4 class=ShipmentLabelJob jid=f09ad2b41c elapsed=0.82 INFO: done"},
		repeat(10, "{ts} pid=1 tid=8bq{i} class=GeocodeAddressJob jid=d{i}7ea912bc WARN: Net::OpenTimeout: Failed to open TCP connection to geo.locatrix.io:443 (execution expired)"))...)
	web := s.deployment("logistics", "dispatch-web", 2, 260*day, nil)
	wr := web.rev("6f8c7d9b5", "2026.12.01", 3*day, 2, ctr{name: "web", image: "harbor.dc1.internal/logistics/dispatch:2026.12.01", cpuReq: "500m", cpuLim: "1", memReq: "768Mi", memLim: "1Gi", port: 3000})
	web.status(nil, 2)
	wp := web.pod(wr, "m3hcl", r2n04, 3*day, s.running(3*day))
	web.pod(wr, "t6jrw", r3n02, 3*day, s.running(3*day))
	s.logLines("logistics", wp, "web", false, 3*minute, 30*second,
		`[{rails_ts} #1]  INFO -- : [req-5e1a] Completed 200 OK in 41ms (Views: 0.4ms | ActiveRecord: 12.1ms | Allocations: 10342)`,
		`[{rails_ts} #1]  WARN -- : [Rack::Attack] throttled request ip=10.40.22.18 path=/api/v2/tracking discriminator=partner-feed`,
		`[{rails_ts} #1]  INFO -- : [req-6f2b] Completed 200 OK in 38ms (Views: 0.3ms | ActiveRecord: 10.8ms | Allocations: 9981)`)
	s.metric("sidekiq_queue_latency_seconds", "gauge", map[string]string{"queue": "enrichment", "job": "sidekiq-exporter", "namespace": "logistics"}, ramp(640, 1480))
	s.metric("sidekiq_retry_size", "gauge", map[string]string{"job": "sidekiq-exporter", "namespace": "logistics"}, ramp(2100, 3950))
	s.metric("probe_success", "gauge", map[string]string{"job": "blackbox", "instance": "https://geo.locatrix.io/v3/health", "module": "http_2xx"}, flat(0))
	s.metric("probe_duration_seconds", "gauge", map[string]string{"job": "blackbox", "instance": "https://geo.locatrix.io/v3/health", "module": "http_2xx"}, flat(10))
	s.setAlert("SidekiqQueueLatencyHigh", "warning", map[string]string{"namespace": "logistics", "queue": "enrichment", "job": "sidekiq-exporter"},
		"Sidekiq queue enrichment is backing up", "Jobs in queue enrichment wait 1480s before they start (threshold 300s).",
		`max by (queue) (sidekiq_queue_latency_seconds{namespace="logistics"}) > 300`, 18*minute, 1480)
	s.want("DependencyFailure", "", "External", "geo.locatrix.io", "geo.locatrix.io", "Net::OpenTimeout")
	return s
}
