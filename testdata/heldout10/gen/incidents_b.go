package main

import (
	"fmt"
	"slices"
	"time"
)

func quoteAPITopologySpread() *incident {
	in := newIncident("h10-quote-api-pending-zone-spread-counts-cordoned-node", 73*time.Minute)
	in.summary = `quote-api spreads over zones with maxSkew 1 and whenUnsatisfiable DoNotSchedule. The only zone-3 user node
has been cordoned for a stuck node-image upgrade; the scheduler still counts its zone, which holds no quote-api pod,
so the two new replicas of a scale-out cannot go to zones 1 or 2 and stay Pending. The autoscaler does not help
because a new node would not fix the skew either.`
	in.source = "https://github.com/kubernetes/kubernetes/issues/116978"
	in.cluster("a", "b", "d", "e")
	cordoned := userNode("c")
	in.node(cordoned, nodeOpt{pool: "userpool", zone: "westeurope-3", unschedulable: true,
		taints: []any{obj{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": ts(in.ago(3 * time.Hour))}}}, base.Add(-9*24*time.Hour))
	img := acr + "policy/quote-api:7.3.2"
	tpl := podTemplate{labels: appLabels("quote-api", "policy", "7.3.2"), containers: []container{aspnet("quote-api", img, 8080)},
		extra: obj{"topologySpreadConstraints": []any{obj{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
			"labelSelector": obj{"matchLabels": labelsOf("app.kubernetes.io/name", "quote-api")}}}}}
	d, rs := in.rollout("policy", "quote-api", tpl, 6, 4, 22, 300*24*time.Hour, 8*24*time.Hour)
	in.healthy(rs, in.ago(8*24*time.Hour), "a", "d", "b", "e")
	msg := "0/8 nodes are available: 1 node(s) were unschedulable, 3 node(s) had untolerated taint {CriticalAddonsOnly: true}, 4 node(s) didn't match pod topology spread constraints. preemption: 0/8 nodes are available: 4 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling."
	var first obj
	for i := 0; i < 2; i++ {
		p := in.pod(rs, "", "", "", "Pending", in.ago(27*time.Minute), cs{name: "quote-api", image: img, waitReason: "ContainerCreating"})
		if i == 0 {
			first = p
		}
		in.schedEvent(p, msg, 9, in.ago(27*time.Minute), in.ago(90*time.Second))
		in.event(p, "Normal", "NotTriggerScaleUp", "pod didn't trigger scale-up: 1 node(s) didn't match pod topology spread constraints", "cluster-autoscaler", "", 16, in.ago(26*time.Minute), in.ago(1*time.Minute))
	}
	in.event(d.obj, "Normal", "ScalingReplicaSet", "Scaled up replica set "+rs.name+" to 6 from 4", "deployment-controller", "", 1, in.ago(27*time.Minute), in.ago(27*time.Minute))
	in.firePodNotReady("policy", nameOf(first), 12*time.Minute)
	n := 30
	in.gauge("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", sr(`namespace="policy",deployment="quote-api",job="kube-state-metrics"`, ramp(6, 6, n)))
	in.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", sr(`namespace="policy",deployment="quote-api",job="kube-state-metrics"`, ramp(4, 4, n)))
	in.want("Unschedulable", "policy", "Deployment", "quote-api", "topology spread")
	return in
}

func userpoolImageGCDiskPressure() *incident {
	in := newIncident("h10-userpool-node-disk-pressure-image-gc-frees-nothing", 81*time.Minute)
	in.summary = `aks-userpool-38211457-vmss00000c reports DiskPressure: pdf-render workers write large temporary files into
emptyDir on the 128 GiB OS disk, and image garbage collection frees 0 bytes because every image is in use. The
kubelet evicts portal-web from the node and taints it; the replacement pod waits. The evicted workload is not the
cause.`
	in.source = "https://github.com/Azure/AKS/issues/2721"
	in.herring = true
	in.cluster("a", "b")
	sick := userNode("c")
	node := in.node(sick, nodeOpt{pool: "userpool", zone: zoneOf(sick),
		pressure: map[string]string{"DiskPressure": "kubelet has disk pressure"},
		taints:   []any{obj{"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule", "timeAdded": ts(in.ago(9 * time.Minute))}}}, base.Add(-9*24*time.Hour))
	in.event(node, "Warning", "FreeDiskSpaceFailed", "Failed to garbage collect required amount of images. Attempted to free 14602524672 bytes, but only found 0 bytes eligible to free.", "kubelet", sick, 6, in.ago(31*time.Minute), in.ago(2*time.Minute))
	in.event(node, "Warning", "ImageGCFailed", "Failed to garbage collect required amount of images. Attempted to free 14602524672 bytes, but only found 0 bytes eligible to free.", "kubelet", sick, 6, in.ago(31*time.Minute), in.ago(2*time.Minute))
	in.event(node, "Warning", "EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", "kubelet", sick, 3, in.ago(9*time.Minute), in.ago(3*time.Minute))
	in.event(node, "Normal", "NodeHasDiskPressure", "Node "+sick+" status is now: NodeHasDiskPressure", "kubelet", sick, 1, in.ago(9*time.Minute), in.ago(9*time.Minute))
	img := acr + "portal/portal-web:5.3.0"
	ptpl := podTemplate{labels: appLabels("portal-web", "portal", "5.3.0"), containers: []container{aspnet("portal-web", img, 8080)}}
	_, prs := in.rollout("portal", "portal-web", ptpl, 3, 2, 41, 90*24*time.Hour, 3*24*time.Hour)
	in.healthy(prs, in.ago(3*24*time.Hour), "a", "b")
	evicted := in.pod(prs, "", sick, podIP("pwdc"), "Failed", in.ago(3*24*time.Hour),
		cs{name: "portal-web", image: img, termReason: "ContainerStatusUnknown", termExit: 137, lastStart: in.ago(3 * 24 * time.Hour), lastEnd: in.ago(8 * time.Minute)})
	est := evicted["status"].(obj)
	est["reason"] = "Evicted"
	est["message"] = "The node was low on resource: ephemeral-storage. Threshold quantity: 13300756173, available: 11877824Ki. Container portal-web was using 212Ki, request is 0, has larger consumption of ephemeral-storage. "
	in.event(evicted, "Warning", "Evicted", "The node was low on resource: ephemeral-storage. Threshold quantity: 13300756173, available: 11877824Ki. Container portal-web was using 212Ki, request is 0, has larger consumption of ephemeral-storage. ", "kubelet", sick, 1, in.ago(8*time.Minute), in.ago(8*time.Minute))
	repl := in.pod(prs, "", "", "", "Pending", in.ago(8*time.Minute), cs{name: "portal-web", image: img, waitReason: "ContainerCreating"})
	in.schedEvent(repl, "0/6 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 2 Insufficient cpu, 3 node(s) had untolerated taint {CriticalAddonsOnly: true}. preemption: 0/6 nodes are available: 2 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.", 5, in.ago(8*time.Minute), in.ago(1*time.Minute))
	rtpl := podTemplate{labels: appLabels("pdf-render", "documents", "2.4.0"), containers: []container{{name: "worker", image: acr + "documents/pdf-render:2.4.0", reqCPU: "500m", reqMem: "1Gi", limCPU: "2", limMem: "2Gi",
		volumeMounts: []any{obj{"name": "scratch", "mountPath": "/tmp/render"}}}}, volumes: []any{obj{"name": "scratch", "emptyDir": obj{}}}}
	_, rrs := in.rollout("documents", "pdf-render", rtpl, 2, 2, 8, 60*24*time.Hour, 4*24*time.Hour)
	for i := 0; i < 2; i++ {
		p := in.pod(rrs, "", sick, podIP(fmt.Sprint("render", i)), "Running", in.ago(4*24*time.Hour), cs{name: "worker", image: acr + "documents/pdf-render:2.4.0", ready: true, started: in.ago(4 * 24 * time.Hour)})
		in.logAt("documents/"+nameOf(p)+"/worker", in.ago(6*time.Minute), 40*time.Second,
			fmt.Sprintf("[2026-12-03 %s,211: INFO/ForkPoolWorker-%d] Task render.merge_claim_bundle[6c1d%02d9e-1b0f-4a8e-9c51-0d2d3a1f4e7%d] succeeded in 38.112s: {'pages': 412}", in.ago(6*time.Minute).Format("15:04:05"), i+1, i, i),
			fmt.Sprintf("[2026-12-03 %s,904: INFO/MainProcess] Task render.merge_claim_bundle[8e2a%02d11-77c3-4d2b-8a0e-4f1c9b2d6a3%d] received", in.ago(5*time.Minute).Format("15:04:05"), i, i))
	}
	in.fireReplicasMismatch("portal", "portal-web", 2, 2*time.Minute)
	n := 44
	in.gauge("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.",
		sr(`instance="`+sick+`",job="node",device="/dev/root",fstype="ext4",mountpoint="/"`, ramp(2.41e10, 1.19e10, n)),
		sr(`instance="`+userNode("a")+`",job="node",device="/dev/root",fstype="ext4",mountpoint="/"`, ramp(8.8e10, 8.79e10, n)))
	in.gauge("node_filesystem_size_bytes", "Filesystem size in bytes.",
		sr(`instance="`+sick+`",job="node",device="/dev/root",fstype="ext4",mountpoint="/"`, ramp(1.3300756e11, 1.3300756e11, n)),
		sr(`instance="`+userNode("a")+`",job="node",device="/dev/root",fstype="ext4",mountpoint="/"`, ramp(1.3300756e11, 1.3300756e11, n)))
	in.gauge("kube_node_status_condition", "The condition of a cluster node.", sr(`node="`+sick+`",condition="DiskPressure",status="true",job="kube-state-metrics"`, slices.Concat(ramp(0, 0, 8), ramp(1, 1, n-8))))
	in.want("NodePressure", "", "Node", sick, "DiskPressure", "ephemeral-storage")
	return in
}

func quoteEngineThrottled() *incident {
	in := newIncident("h10-quote-engine-ktor-cfs-throttled-at-half-cpu", 88*time.Minute)
	in.summary = `The Kotlin/Ktor quote-engine has a 500m CPU limit. Pricing requests are CPU-bound (rating tables are
recomputed per request), so the container spends most CFS periods throttled and p99 latency climbs above 2 s at an
ordinary request rate, while usage sits flat at the limit. Nothing in the logs is an error.`
	in.source = "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
	in.cluster("a", "b")
	img := acr + "policy/quote-engine:2.8.0"
	tpl := podTemplate{labels: appLabels("quote-engine", "policy", "2.8.0"),
		containers: []container{{name: "quote-engine", image: img, port: 8080, reqCPU: "250m", reqMem: "768Mi", limCPU: "500m", limMem: "1536Mi",
			env: env("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70"), liveness: httpProbe("/health/live", 8080, 40, 10, 3, 3), readiness: httpProbe("/health/ready", 8080, 20, 5, 3, 3)}}}
	_, rs := in.rollout("policy", "quote-engine", tpl, 2, 2, 15, 180*24*time.Hour, 6*24*time.Hour)
	pods := names(in.healthy(rs, in.ago(6*24*time.Hour), "a", "b"))
	st := in.ago(5 * time.Minute)
	in.logAt("policy/"+pods[0]+"/quote-engine", st, 23*time.Second,
		st.Format("2006-01-02 15:04:05.000")+" [eventLoopGroupProxy-4-1] INFO  ktor.application - 200 OK: POST - /v2/quotes in 1874ms",
		st.Add(23*time.Second).Format("2006-01-02 15:04:05.000")+" [eventLoopGroupProxy-4-1] INFO  ktor.application - 200 OK: POST - /v2/quotes in 2311ms",
		st.Add(46*time.Second).Format("2006-01-02 15:04:05.000")+" [DefaultDispatcher-worker-1] INFO  c.c.q.rating.TableCache - rating tables recomputed for product HOME-PLUS in 1422ms",
		st.Add(69*time.Second).Format("2006-01-02 15:04:05.000")+" [eventLoopGroupProxy-4-1] INFO  ktor.application - 200 OK: POST - /v2/quotes in 2640ms",
		st.Add(92*time.Second).Format("2006-01-02 15:04:05.000")+" [eventLoopGroupProxy-4-1] INFO  ktor.application - 200 OK: GET - /health/ready in 904ms")
	in.fire(grafanaLabels("Quote engine p99 latency", "policy", "policy", "service", "quote-engine", "severity", "warning"),
		"quote-engine p99 latency above 1.5 s", "histogram_quantile(0.99) of ktor_http_server_requests_seconds for quote-engine is 2.4 s.",
		`histogram_quantile(0.99, sum by (le) (rate(ktor_http_server_requests_seconds_bucket{namespace="policy",service="quote-engine"}[5m])))`, 2.43, 17*time.Minute)
	n := 40
	for i, p := range pods {
		lab := fmt.Sprintf(`namespace="policy",pod="%s",container="quote-engine",job="kubelet",metrics_path="/metrics/cadvisor"`, p)
		in.count("container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.", sr(lab, counter(812000+float64(i)*9000, ramp(150, 150, n))))
		in.count("container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.", sr(lab, counter(402000+float64(i)*7000, wobble(ramp(112, 121, n), 0.04))))
		in.count("container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", sr(lab, counter(51000+float64(i)*800, wobble(ramp(7.45, 7.5, n), 0.005))))
	}
	in.gauge("kube_pod_container_resource_limits", "The number of requested limit resource by a container.",
		sr(fmt.Sprintf(`namespace="policy",pod="%s",container="quote-engine",resource="cpu",unit="core",job="kube-state-metrics"`, pods[0]), ramp(0.5, 0.5, n)))
	in.want("CPUThrottling", "policy", "Deployment", "quote-engine", "throttl")
	return in
}

func portalRedisMaintenance() *incident {
	in := newIncident("h10-portal-sessions-redis-patching-connection-resets", 94*time.Minute)
	in.summary = `Azure Cache for Redis contoso-portal-sessions is in scheduled patching; the primary fails over and
StackExchange.Redis in portal-web sees its connections reset and times out reading sessions, so logged-in pages
return 500. portal-web itself is healthy. The DataProtection warning at start-up is routine.`
	in.source = "https://github.com/StackExchange/StackExchange.Redis/issues/1449"
	in.herring = true
	in.cluster("a", "b", "c")
	img := acr + "portal/portal-web:5.3.0"
	tpl := podTemplate{labels: appLabels("portal-web", "portal", "5.3.0"), containers: []container{aspnet("portal-web", img, 8080)}}
	_, rs := in.rollout("portal", "portal-web", tpl, 3, 3, 41, 90*24*time.Hour, 3*24*time.Hour)
	pods := in.healthy(rs, in.ago(3*24*time.Hour), "a", "b", "c")
	svc := in.service("portal", "portal-web", selectorLabels(tpl.labels), 80, 8080, "10.0.41.12", in.ago(90*24*time.Hour))
	in.endpoints(svc, 8080, pods, nil)
	p := nameOf(pods[0])
	host := "contoso-portal-sessions.redis.cache.windows.net"
	st := in.ago(7 * time.Minute)
	in.logAt("portal/"+p+"/portal-web", st, 25*time.Second,
		serilog(in.ago(3*24*time.Hour), "Warning", "No XML encryptor configured. Key {KeyId:B} may be persisted to storage in unencrypted form.", "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", `"KeyId":"0b9f7e21-6c3d-4d8e-a1f4-2f6c0a9b3e15"`),
		serilog(st, "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"GET","RequestPath":"/mijn/polissen","StatusCode":200,"Elapsed":44.1203`),
		serilog(st.Add(25*time.Second), "Error", "Connection to Redis lost", "Portal.Web.Sessions.RedisSessionStore", `"@x":"StackExchange.Redis.RedisConnectionException: SocketFailure (ReadSocketError/ConnectionReset, last-recv: 7) on `+host+`:6380/Interactive, Idle/MarkProcessed, last: GET, origin: ReadFromPipe, outstanding: 2, last-read: 0s ago, last-write: 0s ago, keep-alive: 60s, state: ConnectedEstablished, mgr: 9 of 10 available, in: 0, in-pipe: 0, out-pipe: 0, last-heartbeat: 0s ago, last-mbeat: 0s ago, global: 0s ago, v: 2.7.33.41805\n ---> Pipelines.Sockets.Unofficial.ConnectionResetException: Connection reset by peer"`),
		serilog(st.Add(50*time.Second), "Error", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"GET","RequestPath":"/mijn/claims","StatusCode":500,"Elapsed":5012.4471,"@x":"StackExchange.Redis.RedisTimeoutException: Timeout awaiting response (outbound=0KiB, inbound=0KiB, 5008ms elapsed, timeout is 5000ms), command=HMGET, next: HMGET session:8f31c2, inst: 0, qu: 0, qs: 14, aw: False, bw: SpinningDown, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: `+host+`:6380, mc: 1/1/0, mgr: 10 of 10 available, clientName: `+p+`(SE.Redis-v2.7.33.41805), IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy=3,Free=32764,Min=2,Max=32767), POOL: (Threads=9,QueuedItems=0,CompletedItems=881231), v: 2.7.33.41805"`),
		serilog(st.Add(75*time.Second), "Error", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"GET","RequestPath":"/mijn/polissen","StatusCode":500,"Elapsed":5004.9012,"@x":"StackExchange.Redis.RedisConnectionException: No connection is active/available to service this operation: HMGET session:c41a09; SocketFailure on `+host+`:6380/Interactive, Flushed/ComputeResult, last: ECHO, origin: SetResult, outstanding: 0, last-read: 0s ago, last-write: 0s ago, keep-alive: 60s, state: ConnectedEstablished, mgr: 10 of 10 available, v: 2.7.33.41805"`),
		serilog(st.Add(100*time.Second), "Information", "Reconnected to {Endpoint}", "Portal.Web.Sessions.RedisSessionStore", `"Endpoint":"`+host+`:6380"`),
		serilog(st.Add(125*time.Second), "Error", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"POST","RequestPath":"/mijn/claims/nieuw","StatusCode":500,"Elapsed":5009.1184,"@x":"StackExchange.Redis.RedisTimeoutException: Timeout awaiting response (outbound=1KiB, inbound=0KiB, 5006ms elapsed, timeout is 5000ms), command=EVAL, inst: 0, qu: 0, qs: 9, serverEndpoint: `+host+`:6380, v: 2.7.33.41805"`))
	in.fire(grafanaLabels("Portal 5xx ratio", "portal", "portal", "service", "portal-web", "severity", "critical"),
		"portal-web is returning 5xx for more than 5% of requests", "5xx ratio of http_requests_received_total for portal-web is 23%.",
		`sum(rate(http_requests_received_total{namespace="portal",code=~"5.."}[5m])) / sum(rate(http_requests_received_total{namespace="portal"}[5m]))`, 0.23, 6*time.Minute)
	n := 40
	in.count("http_requests_received_total", "Provides the count of HTTP requests that have been processed by the ASP.NET Core pipeline.",
		sr(`namespace="portal",service="portal-web",method="GET",code="200",controller="Policies",action="Index"`, counter(4.1e6, wobble(slices.Concat(ramp(62, 62, 12), ramp(48, 48, n-12)), 0.05))),
		sr(`namespace="portal",service="portal-web",method="GET",code="500",controller="Policies",action="Index"`, counter(1840, slices.Concat(ramp(0, 0, 12), wobble(ramp(14, 14, n-12), 0.1)))))
	in.want("DependencyFailure", "", "External", host, "contoso-portal-sessions", "Redis")
	return in
}

func ratingEngineAtZero() *incident {
	in := newIncident("h10-rating-engine-left-at-zero-replicas-billing-refused", 101*time.Minute)
	in.summary = `During last night's maintenance the policy team suspended the Flux kustomization and scaled
rating-engine to 0; nobody scaled it back. Its Service has no endpoints, so Cilium refuses billing-api's gRPC
connections to rating-engine.policy:50051 and invoice runs fail. billing-api is healthy; rating-engine has no pods
and so no logs.`
	in.source = "https://github.com/kubernetes/kubernetes/issues/78994"
	in.cluster("a", "b")
	img := acr + "billing/billing-api:4.2.1"
	btpl := podTemplate{labels: appLabels("billing-api", "billing", "4.2.1"), containers: []container{{name: "billing-api", image: img, port: 8080,
		reqCPU: "200m", reqMem: "128Mi", limCPU: "1", limMem: "256Mi", liveness: httpProbe("/livez", 8080, 5, 10, 1, 3), readiness: httpProbe("/readyz", 8080, 2, 5, 1, 3)}}}
	_, brs := in.rollout("billing", "billing-api", btpl, 2, 2, 30, 400*24*time.Hour, 10*24*time.Hour)
	p := nameOf(in.healthy(brs, in.ago(10*24*time.Hour), "a", "b")[0])
	st := in.ago(6 * time.Minute)
	ge := `"error":"rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 10.0.184.21:50051: connect: connection refused\""`
	in.logAt("billing/"+p+"/billing-api", st, 30*time.Second,
		`{"time":"`+st.Format(time.RFC3339)+`","level":"INFO","msg":"invoice run started","run":"2026-12-03-0940","policies":1823}`,
		`{"level":"ERROR","msg":"rate lookup failed","target":"rating-engine.policy.svc.cluster.local:50051","policy":"POL-0099812",`+ge+`}`,
		`{"level":"ERROR","msg":"rate lookup failed","target":"rating-engine.policy.svc.cluster.local:50051","policy":"POL-0099813",`+ge+`}`,
		`{"level":"WARN","msg":"retrying","attempt":3,"backoff":"4s","target":"rating-engine.policy.svc.cluster.local:50051"}`,
		`{"level":"ERROR","msg":"invoice run aborted","run":"2026-12-03-0940","failed":1823,"reason":"rating unavailable"}`,
		`{"level":"INFO","msg":"GET /readyz 200","duration_ms":0.4}`)
	rtpl := podTemplate{labels: appLabels("rating-engine", "policy", "3.11.0"), containers: []container{{name: "rating-engine", image: acr + "policy/rating-engine:3.11.0", port: 50051,
		reqCPU: "500m", reqMem: "512Mi", limCPU: "2", limMem: "1Gi"}}}
	rd := in.deployment("policy", "rating-engine", 0, 0, rtpl, in.ago(700*24*time.Hour), 44)
	rd.obj["metadata"].(obj)["annotations"].(obj)["kustomize.toolkit.fluxcd.io/reconcile"] = "disabled"
	rrs := in.replicaSet(rd, rtpl, 44, 0, 0, in.ago(30*24*time.Hour))
	in.event(rd.obj, "Normal", "ScalingReplicaSet", "Scaled down replica set "+rrs.name+" to 0 from 3", "deployment-controller", "", 1, in.ago(9*time.Hour), in.ago(9*time.Hour))
	svc := in.service("policy", "rating-engine", selectorLabels(rtpl.labels), 50051, 50051, "10.0.184.21", in.ago(700*24*time.Hour))
	svc["spec"].(obj)["ports"].([]any)[0].(obj)["name"] = "grpc"
	in.endpoints(svc, 50051, nil, nil)
	in.fire(grafanaLabels("Billing invoice run failures", "billing", "billing", "service", "billing-api", "severity", "critical"),
		"billing-api invoice runs are failing", "increase(billing_invoice_runs_total{result=\"failed\"}[15m]) is 3.",
		`increase(billing_invoice_runs_total{namespace="billing",result="failed"}[15m]) > 0`, 3, 5*time.Minute)
	n := 36
	in.count("grpc_client_handled_total", "Total number of RPCs completed by the client, regardless of success or failure.",
		sr(`namespace="billing",pod="`+p+`",grpc_service="rating.v3.RatingService",grpc_method="Rate",grpc_code="Unavailable"`, counter(9120, slices.Concat(ramp(0, 0, 10), ramp(70, 70, n-10)))))
	in.gauge("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", sr(`namespace="policy",deployment="rating-engine",job="kube-state-metrics"`, ramp(0, 0, n)))
	in.want("DependencyFailure", "policy", "Service", "rating-engine", "rating-engine", "endpoints")
	return in
}

func telemetryEventHubsPrivate() *incident {
	in := newIncident("h10-telemetry-forwarder-event-hubs-public-access-disabled", 108*time.Minute)
	in.summary = `A security baseline policy set publicNetworkAccess=Disabled on the Event Hubs namespace contoso-weu-events,
and the cluster's VNet has no private endpoint for it. The Go telemetry-forwarder cannot reach the Kafka endpoint
on 9093 (connections time out), gives up at start-up and crash-loops. Sarama's default ClientID warning is noise.`
	in.source = "https://github.com/Azure/azure-event-hubs-for-kafka/issues/88"
	in.herring = true
	in.cluster("a", "b")
	img := acr + "integration/telemetry-forwarder:0.17.3"
	tpl := podTemplate{labels: appLabels("telemetry-forwarder", "integration", "0.17.3"),
		containers: []container{{name: "forwarder", image: img, reqCPU: "100m", reqMem: "64Mi", limCPU: "500m", limMem: "256Mi",
			env: env("KAFKA_BROKERS", "contoso-weu-events.servicebus.windows.net:9093", "KAFKA_TOPIC", "vehicle-telemetry")}}}
	_, rs := in.rollout("integration", "telemetry-forwarder", tpl, 2, 0, 12, 220*24*time.Hour, 14*24*time.Hour)
	p := nameOf(in.crashLooping(rs, in.ago(14*24*time.Hour), 11, "Error", 1, 3*time.Minute-10*time.Second, 50*time.Second, "a", "b")[0])
	st := in.ago(4 * time.Minute)
	in.logAt("integration/"+p+"/forwarder.previous", st, 10*time.Second,
		"[sarama] "+st.Format("2006/01/02 15:04:05")+" ClientID is the default of 'sarama', you should consider setting it to something application-specific.",
		"[sarama] "+st.Add(time.Second).Format("2006/01/02 15:04:05")+" client/metadata fetching metadata for all topics from broker contoso-weu-events.servicebus.windows.net:9093",
		"[sarama] "+st.Add(31*time.Second).Format("2006/01/02 15:04:05")+" Failed to connect to broker contoso-weu-events.servicebus.windows.net:9093: dial tcp 20.50.118.37:9093: i/o timeout",
		"[sarama] "+st.Add(32*time.Second).Format("2006/01/02 15:04:05")+" client/metadata got error from broker -1 while fetching metadata: dial tcp 20.50.118.37:9093: i/o timeout",
		`{"level":"fatal","ts":`+fmt.Sprint(st.Add(50*time.Second).Unix())+`.482,"msg":"cannot create producer","brokers":["contoso-weu-events.servicebus.windows.net:9093"],"error":"kafka: client has run out of available brokers to talk to: dial tcp 20.50.118.37:9093: i/o timeout"}`)
	in.fireCrashLooping("integration", p, "forwarder", 47*time.Minute)
	n := 30
	in.count("kube_pod_container_status_restarts_total", "The number of container restarts per container.", restartsSeries("integration", p, "forwarder", 9, 14, n))
	in.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes",
		sr(fmt.Sprintf(`namespace="integration",pod="%s",container="forwarder",job="kubelet",metrics_path="/metrics/cadvisor"`, p), wobble(ramp(1.9e7, 2.1e7, n), 0.03)))
	in.want("DependencyFailure", "", "External", "contoso-weu-events.servicebus.windows.net", "contoso-weu-events", "9093")
	return in
}

func billingPostgresPrivateDNS() *incident {
	in := newIncident("h10-billing-worker-postgres-private-dns-zone-unlinked", 115*time.Minute)
	in.summary = `The hub-network team moved the privatelink.postgres.database.azure.com private DNS zone to a new
subscription and did not recreate the virtual-network link to the AKS VNet. From the pods,
contoso-billing-pg.postgres.database.azure.com now resolves to NXDOMAIN, so every Celery task in billing-worker
fails with psycopg's "could not translate host name". CoreDNS itself is healthy.`
	in.source = "https://www.patoune-it.fr/en/posts/2025-02-11-azure-private-dns-aks/"
	in.cluster("a", "b")
	host := "contoso-billing-pg.postgres.database.azure.com"
	img := acr + "billing/billing-worker:9.3.0"
	tpl := podTemplate{labels: appLabels("billing-worker", "billing", "9.3.0"),
		containers: []container{{name: "celery", image: img, reqCPU: "250m", reqMem: "512Mi", limCPU: "1", limMem: "1Gi",
			env: env("DJANGO_SETTINGS_MODULE", "billing.settings.production", "DATABASE_HOST", host)}}}
	_, rs := in.rollout("billing", "billing-worker", tpl, 2, 2, 64, 400*24*time.Hour, 5*24*time.Hour)
	p := nameOf(in.healthy(rs, in.ago(5*24*time.Hour), "a", "b")[0])
	st := in.ago(5 * time.Minute)
	c := func(t time.Time, lvl, proc, msg string) string {
		return fmt.Sprintf("[%s,%03d: %s/%s] %s", t.Format("2006-01-02 15:04:05"), t.Nanosecond()/1e6+117, lvl, proc, msg)
	}
	in.logAt("billing/"+p+"/celery", st, 20*time.Second,
		c(st, "INFO", "MainProcess", "Task billing.tasks.post_ledger_entry[3f1a7c2e-5d9b-4e61-8a4f-1c0b2e9d7a31] received"),
		c(st.Add(20*time.Second), "ERROR", "ForkPoolWorker-2", `Task billing.tasks.post_ledger_entry[3f1a7c2e-5d9b-4e61-8a4f-1c0b2e9d7a31] raised unexpected: OperationalError('could not translate host name "`+host+`" to address: Name or service not known\n')`),
		"Traceback (most recent call last):",
		`  File "/usr/local/lib/python3.12/site-packages/django/db/backends/base/base.py", line 279, in ensure_connection`,
		"    self.connect()",
		`  File "/usr/local/lib/python3.12/site-packages/psycopg/connection.py", line 119, in connect`,
		"    raise last_ex.with_traceback(None)",
		`django.db.utils.OperationalError: could not translate host name "`+host+`" to address: Name or service not known`,
		c(st.Add(160*time.Second), "ERROR", "ForkPoolWorker-1", `Task billing.tasks.send_invoice[9b2e41d0-7c3a-4f18-b5e6-2a1d0c9f8e44] raised unexpected: OperationalError('could not translate host name "`+host+`" to address: Name or service not known\n')`))
	ctpl := podTemplate{labels: labelsOf("k8s-app", "kube-dns", "kubernetes.azure.com/managedby", "aks"), serviceAccount: "coredns",
		containers: []container{{name: "coredns", image: "mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-5", port: 53, reqCPU: "100m", reqMem: "70Mi", limMem: "500Mi"}}}
	_, crs := in.rollout("kube-system", "coredns", ctpl, 2, 2, 3, 61*24*time.Hour, 61*24*time.Hour)
	for _, nd := range systemNodes[:2] {
		in.pod(crs, "", nd, podIP("cdns"+nd), "Running", in.ago(20*24*time.Hour), cs{name: "coredns", image: ctpl.containers[0].image, ready: true, started: in.ago(20 * 24 * time.Hour)})
	}
	in.fire(grafanaLabels("Billing Celery task failure rate", "billing", "billing", "service", "billing-worker", "severity", "critical"),
		"billing-worker tasks are failing", "More than 20% of billing-worker Celery tasks failed in the last 10 minutes.",
		`sum(rate(celery_task_failed_total{namespace="billing"}[10m])) / sum(rate(celery_task_received_total{namespace="billing"}[10m]))`, 1, 9*time.Minute)
	n := 40
	in.count("coredns_dns_responses_total", "Counter of response status codes.",
		sr(`server="dns://:53",zone=".",view="",rcode="NXDOMAIN",plugin="",job="coredns"`, counter(88000, slices.Concat(ramp(3, 3, 8), wobble(ramp(41, 41, n-8), 0.1)))),
		sr(`server="dns://:53",zone=".",view="",rcode="NOERROR",plugin="",job="coredns"`, counter(9.1e6, wobble(ramp(820, 820, n), 0.05))))
	in.count("celery_task_failed_total", "Sent if the execution of the task failed.", sr(`namespace="billing",name="billing.tasks.post_ledger_entry",job="celery-exporter"`, counter(210, slices.Concat(ramp(0, 0, 8), ramp(6, 6, n-8)))))
	in.want("DNSFailure", "", "External", host, "contoso-billing-pg", "translate host name")
	return in
}

func corednsCustomForward() *incident {
	in := newIncident("h10-coredns-custom-forwards-to-retired-onprem-dns", 122*time.Minute)
	in.summary = `coredns-custom forwards contoso.internal to 10.60.0.4, the on-premises DNS server that was switched off
when the zone moved behind the Azure DNS Private Resolver (10.60.8.4). CoreDNS times out on every forward, so the
Perl crm-edge service cannot resolve legacy-crm.contoso.internal and returns 502. The warning about an empty
override glob is normal on AKS.`
	in.source = "https://github.com/Azure/AKS/issues/1605"
	in.herring = true
	in.cluster("a", "b")
	ctpl := podTemplate{labels: labelsOf("k8s-app", "kube-dns", "kubernetes.azure.com/managedby", "aks"), serviceAccount: "coredns",
		containers: []container{{name: "coredns", image: "mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-5", port: 53, reqCPU: "100m", reqMem: "70Mi", limMem: "500Mi"}}}
	_, crs := in.rollout("kube-system", "coredns", ctpl, 2, 2, 3, 61*24*time.Hour, 2*24*time.Hour)
	in.add(configMap("kube-system", "coredns-custom", map[string]any{
		"contoso.server": "contoso.internal:53 {\n    errors\n    cache 30\n    forward . 10.60.0.4\n}\n"}, in.ago(400*24*time.Hour)))
	for i, nd := range systemNodes[:2] {
		p := in.pod(crs, "", nd, podIP("cdx"+nd), "Running", in.ago(2*24*time.Hour), cs{name: "coredns", image: ctpl.containers[0].image, ready: true, started: in.ago(2 * 24 * time.Hour)})
		src := podIP("cdx" + nd)
		st := in.ago(6 * time.Minute)
		lines := []string{"[WARNING] No files matching import glob pattern: custom/*.override", ".:53", "contoso.internal.:53", "CoreDNS-1.11.3", "linux/amd64, go1.22.7, 5f0c6b8"}
		for k := 0; k < 5; k++ {
			lines = append(lines, fmt.Sprintf("[ERROR] plugin/errors: 2 legacy-crm.contoso.internal. A: read udp %s:%d->10.60.0.4:53: i/o timeout", src, 40000+k*731+i*17))
		}
		in.logAt("kube-system/"+nameOf(p)+"/coredns", st.Add(-2*24*time.Hour), 0, lines[:5]...)
		in.logAt("kube-system/"+nameOf(p)+"/coredns", st, 40*time.Second, lines[5:]...)
	}
	img := acr + "integration/crm-edge:1.4.0"
	etpl := podTemplate{labels: appLabels("crm-edge", "integration", "1.4.0"), containers: []container{{name: "crm-edge", image: img, port: 8080,
		reqCPU: "100m", reqMem: "128Mi", limCPU: "500m", limMem: "256Mi", env: env("CRM_BASE_URL", "https://legacy-crm.contoso.internal")}}}
	_, ers := in.rollout("integration", "crm-edge", etpl, 2, 2, 7, 900*24*time.Hour, 80*24*time.Hour)
	p := nameOf(in.healthy(ers, in.ago(80*24*time.Hour), "a", "b")[0])
	st := in.ago(5 * time.Minute)
	m := func(t time.Time, lvl, msg string) string {
		return fmt.Sprintf("[%s.%05d] [8] [%s] %s", t.Format("2006-01-02 15:04:05"), t.Nanosecond()/1e4%100000+31, lvl, msg)
	}
	in.logAt("integration/"+p+"/crm-edge", st, 30*time.Second,
		m(st, "info", "GET \"/v2/customers/881233\""),
		m(st.Add(30*time.Second), "error", "CRM lookup failed: Can't connect: Temporary failure in name resolution (legacy-crm.contoso.internal:443)"),
		m(st.Add(60*time.Second), "info", "502 Bad Gateway (5.0123s, 0.200/s)"),
		m(st.Add(90*time.Second), "error", "CRM lookup failed: Can't connect: Temporary failure in name resolution (legacy-crm.contoso.internal:443)"),
		m(st.Add(120*time.Second), "info", "502 Bad Gateway (5.0089s, 0.200/s)"))
	in.fire(amLabels("CrmEdgeBadGateway", "critical", "integration", "service", "crm-edge", "job", "crm-edge"),
		"crm-edge returns 502 for most requests", "More than 50% of crm-edge responses are 502 Bad Gateway.",
		`sum(rate(mojo_http_responses_total{namespace="integration",code="502"}[5m])) / sum(rate(mojo_http_responses_total{namespace="integration"}[5m])) > 0.5`, 0.94, 7*time.Minute)
	n := 40
	in.count("coredns_forward_requests_total", "Counter of requests made per upstream.", sr(`to="10.60.0.4:53",server="dns://:53",zone="contoso.internal.",job="coredns"`, counter(51000, wobble(ramp(19, 19, n), 0.1))))
	in.count("coredns_forward_responses_total", "Counter of responses received per upstream.", sr(`to="10.60.0.4:53",rcode="NOERROR",server="dns://:53",zone="contoso.internal.",job="coredns"`, counter(50200, slices.Concat(ramp(18, 18, 6), ramp(0, 0, n-6)))))
	in.count("coredns_dns_responses_total", "Counter of response status codes.", sr(`server="dns://:53",zone="contoso.internal.",view="",rcode="SERVFAIL",plugin="",job="coredns"`, counter(120, slices.Concat(ramp(0, 0, 6), wobble(ramp(19, 19, n-6), 0.1)))))
	in.want("DNSFailure", "kube-system", "Deployment", "coredns", "coredns-custom", "10.60.0.4")
	return in
}

func policyAdminPort8080() *incident {
	in := newIncident("h10-policy-admin-dotnet8-release-listens-on-8080", 129*time.Minute)
	in.summary = `Release 3.0.0 of policy-admin moved from the .NET 7 to the .NET 8 ASP.NET base image, whose default port
is 8080 instead of 80. The Deployment still probes and routes port 80, so the new ReplicaSet's pod logs "Now
listening on: http://[::]:8080" and never becomes ready; the rollout is stuck at 1 of 2 new pods while the two old
pods serve.`
	in.source = "https://github.com/dotnet/docs/issues/35959"
	in.cluster("a", "b", "c")
	mk := func(version, image string) podTemplate {
		c := aspnet("policy-admin", image, 80)
		c.liveness = httpProbe("/healthz/live", 80, 30, 10, 2, 3)
		c.readiness = httpProbe("/healthz/ready", 80, 5, 5, 2, 3)
		return podTemplate{labels: appLabels("policy-admin", "policy", version), containers: []container{c}}
	}
	oldImg, newImg := acr+"policy/policy-admin:2.9.4", acr+"policy/policy-admin:3.0.0"
	oldT, newT := mk("2.9.4", oldImg), mk("3.0.0", newImg)
	d := in.deployment("policy", "policy-admin", 2, 2, newT, in.ago(600*24*time.Hour), 14)
	d.obj["status"].(obj)["conditions"] = []any{
		obj{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability.", "lastTransitionTime": ts(in.ago(30 * 24 * time.Hour)), "lastUpdateTime": ts(in.ago(30 * 24 * time.Hour))},
		obj{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": `ReplicaSet "policy-admin-` + hashOf("policy-admin14", 10) + `" has timed out progressing.`, "lastTransitionTime": ts(in.ago(8 * time.Minute)), "lastUpdateTime": ts(in.ago(8 * time.Minute))}}
	d.obj["status"].(obj)["updatedReplicas"] = 1
	oldRS := in.replicaSet(d, oldT, 13, 2, 2, in.ago(30*24*time.Hour))
	newRS := in.replicaSet(d, newT, 14, 1, 0, in.ago(18*time.Minute))
	in.healthy(oldRS, in.ago(30*24*time.Hour), "a", "b")
	np := in.pod(newRS, "", userNode("c"), podIP("pan"), "Running", in.ago(18*time.Minute), cs{name: "policy-admin", image: newImg, restarts: 5, started: in.ago(2 * time.Minute),
		lastReason: "Completed", lastExit: 0, lastStart: in.ago(4 * time.Minute), lastEnd: in.ago(2*time.Minute + 5*time.Second)})
	ip := np["status"].(obj)["podIP"].(string)
	in.event(d.obj, "Normal", "ScalingReplicaSet", "Scaled up replica set "+newRS.name+" to 1", "deployment-controller", "", 1, in.ago(18*time.Minute), in.ago(18*time.Minute))
	in.event(np, "Warning", "Unhealthy", `Readiness probe failed: Get "http://`+ip+`:80/healthz/ready": dial tcp `+ip+`:80: connect: connection refused`, "kubelet", userNode("c"), 206, in.ago(18*time.Minute), in.ago(10*time.Second))
	in.event(np, "Warning", "Unhealthy", `Liveness probe failed: Get "http://`+ip+`:80/healthz/live": dial tcp `+ip+`:80: connect: connection refused`, "kubelet", userNode("c"), 15, in.ago(17*time.Minute), in.ago(20*time.Second))
	in.event(np, "Normal", "Killing", "Container policy-admin failed liveness probe, will be restarted", "kubelet", userNode("c"), 5, in.ago(16*time.Minute), in.ago(2*time.Minute+5*time.Second))
	st := in.ago(2 * time.Minute)
	in.logAt("policy/"+nameOf(np)+"/policy-admin", st, 400*time.Millisecond,
		serilog(st, "Information", "Starting {Application} {Version} on .NET {Runtime}", "Program", `"Application":"Policy.Admin","Version":"3.0.0","Runtime":"8.0.11"`),
		serilog(st.Add(400*time.Millisecond), "Warning", "Overriding HTTP_PORTS '8080' and HTTPS_PORTS ''. Binding to values defined by URLS instead ''.", "Microsoft.AspNetCore.Hosting.Diagnostics", ""),
		serilog(st.Add(800*time.Millisecond), "Information", "Now listening on: {address}", "Microsoft.Hosting.Lifetime", `"address":"http://[::]:8080"`),
		serilog(st.Add(1200*time.Millisecond), "Information", "Application started. Press Ctrl+C to shut down.", "Microsoft.Hosting.Lifetime", ""),
		serilog(st.Add(1600*time.Millisecond), "Information", "Hosting environment: {EnvName}", "Microsoft.Hosting.Lifetime", `"EnvName":"Production"`))
	in.fire(amLabels("KubeDeploymentRolloutStuck", "warning", "policy", "deployment", "policy-admin", "job", "kube-state-metrics"),
		"Deployment rollout is not progressing.", "Rollout of deployment policy/policy-admin is not progressing for longer than 15 minutes.",
		`kube_deployment_status_condition{condition="Progressing", status="false",job="kube-state-metrics"} != 0`, 1, 1*time.Minute)
	in.want("BadDeploy", "policy", "Deployment", "policy-admin", "8080", "3.0.0")
	return in
}

func portalBFFMuslModule() *incident {
	in := newIncident("h10-portal-bff-release-missing-musl-native-module", 136*time.Minute)
	in.summary = `portal-bff 2026.12.03-1 switched its Bun base image from Debian to Alpine, but the lockfile was produced
on glibc, so the argon2 native binding for linux-x64-musl was never installed. The new ReplicaSet's pods exit at
start-up with "Cannot find package"; the previous ReplicaSet still serves, so users see only slower pages.`
	in.source = "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/"
	in.cluster("a", "b", "c")
	mk := func(tag string) podTemplate {
		return podTemplate{labels: appLabels("portal-bff", "portal", tag), containers: []container{{name: "portal-bff", image: acr + "portal/portal-bff:" + tag, port: 3000,
			reqCPU: "200m", reqMem: "256Mi", limCPU: "1", limMem: "512Mi", readiness: httpProbe("/ready", 3000, 3, 5, 1, 3)}}}
	}
	oldT, newT := mk("2026.11.27-2"), mk("2026.12.03-1")
	d := in.deployment("portal", "portal-bff", 3, 3, newT, in.ago(300*24*time.Hour), 31)
	d.obj["status"].(obj)["updatedReplicas"] = 1
	oldRS := in.replicaSet(d, oldT, 30, 3, 3, in.ago(6*24*time.Hour))
	newRS := in.replicaSet(d, newT, 31, 1, 0, in.ago(16*time.Minute))
	in.healthy(oldRS, in.ago(6*24*time.Hour), "a", "b", "c")
	img := acr + "portal/portal-bff:2026.12.03-1"
	np := in.pod(newRS, "", userNode("b"), podIP("bffn"), "Running", in.ago(16*time.Minute),
		cs{name: "portal-bff", image: img, restarts: 7, waitReason: "CrashLoopBackOff", lastReason: "Error", lastExit: 1, lastStart: in.ago(3 * time.Minute), lastEnd: in.ago(3*time.Minute - 600*time.Millisecond)})
	in.event(d.obj, "Normal", "ScalingReplicaSet", "Scaled up replica set "+newRS.name+" to 1", "deployment-controller", "", 1, in.ago(16*time.Minute), in.ago(16*time.Minute))
	in.event(np, "Warning", "BackOff", "Back-off restarting failed container portal-bff in pod "+nameOf(np)+"_portal("+np["metadata"].(obj)["uid"].(string)+")", "kubelet", userNode("b"), 19, in.ago(15*time.Minute), in.ago(30*time.Second))
	st := in.ago(3 * time.Minute)
	in.logAt("portal/"+nameOf(np)+"/portal-bff.previous", st, 40*time.Millisecond,
		"error: Cannot find package '@node-rs/argon2-linux-x64-musl' from '/app/node_modules/@node-rs/argon2/index.js'",
		"",
		"Bun v1.1.38 (Linux x64 baseline)")
	in.fireCrashLooping("portal", nameOf(np), "portal-bff", 10*time.Minute)
	n := 30
	in.count("kube_pod_container_status_restarts_total", "The number of container restarts per container.", restartsSeries("portal", nameOf(np), "portal-bff", 3, 8, n))
	in.want("BadDeploy", "portal", "Deployment", "portal-bff", "argon2", "2026.12.03-1")
	return in
}
