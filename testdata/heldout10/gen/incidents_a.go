package main

import (
	"fmt"
	"slices"
	"time"
)

func incidents() []*incident {
	return []*incident{
		blobIndexerOOM(), amaMetricsOOM(), ciliumAgentOOM(), sessionGatewayMapWrites(), ediGatewayLiveness(),
		invoiceAPIAcr401(), ediGatewayNoLinuxManifest(), claimsAPIKeyVaultSecret(), claimsIntakeDaprStatestore(), documentsAPIFederatedCredential(),
		quoteAPITopologySpread(), userpoolImageGCDiskPressure(), quoteEngineThrottled(), portalRedisMaintenance(), ratingEngineAtZero(),
		telemetryEventHubsPrivate(), billingPostgresPrivateDNS(), corednsCustomForward(), policyAdminPort8080(), portalBFFMuslModule(),
		archiveShareFull(), claimsNotifierSockets(), partnerEdgeCertRotation(), fnolStormSurge(), invoiceCloseJobBlob(),
		billingWorkerKedaCost(), unknownNodeImageUpgrade(), unknownBillingAPINoEvidence(), unknownOCRWorkerPageCache(), searchIndexMaxVolumes(),
		policySchedulerBeatLock(), retentionPurgeImmutable(),
	}
}

func amLabels(alertname, severity, ns string, kv ...string) map[string]string {
	l := map[string]string{"alertname": alertname, "severity": severity, "namespace": ns, "cluster": "contoso-weu-prod",
		"prometheus": "monitoring/kube-prometheus-stack-prometheus"}
	for i := 0; i+1 < len(kv); i += 2 {
		l[kv[i]] = kv[i+1]
	}
	return l
}

func grafanaLabels(alertname, folder, ns string, kv ...string) map[string]string {
	l := map[string]string{"alertname": alertname, "grafana_folder": folder, "namespace": ns, "team": folder,
		"__alert_rule_uid__": hashOf(alertname, 14)}
	for i := 0; i+1 < len(kv); i += 2 {
		l[kv[i]] = kv[i+1]
	}
	return l
}

func restartsSeries(ns, pod, container string, from int, every int, n int) series {
	v := make([]float64, n)
	r := float64(from)
	for i := range v {
		if every > 0 && i > 0 && i%every == 0 {
			r++
		}
		v[i] = r
	}
	return sr(fmt.Sprintf(`namespace="%s",pod="%s",container="%s",job="kube-state-metrics"`, ns, pod, container), v)
}

func sawtooth(low, high float64, period, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = low + (high-low)*float64(i%period)/float64(period-1)
	}
	return v
}

func blobIndexerOOM() *incident {
	in := newIncident("h10-blob-indexer-oomkilled-reading-whole-archive-blobs", 0)
	in.summary = `The Go blob-indexer in documents reads each new blob from the claims-archive container fully into memory
before parsing it. Large scanned ZIP archives uploaded by a partner push it past its 512Mi limit and the kernel
OOM-kills it; the pod is in CrashLoopBackOff. A single Blob Storage 503 ServerBusy retry in the log is unrelated.`
	in.source = "https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/"
	in.herring = true
	in.cluster("a", "b", "c")
	tpl := podTemplate{labels: appLabels("blob-indexer", "documents", "1.9.2"), serviceAccount: "blob-indexer",
		containers: []container{{name: "blob-indexer", image: acr + "documents/blob-indexer:1.9.2", port: 8080,
			reqCPU: "200m", reqMem: "256Mi", limCPU: "1", limMem: "512Mi", env: env("GOMAXPROCS", "1", "INDEX_CONTAINER", "claims-archive")}}}
	_, rs := in.rollout("documents", "blob-indexer", tpl, 2, 1, 7, 20*24*time.Hour, 6*24*time.Hour)
	img := acr + "documents/blob-indexer:1.9.2"
	bad := in.pod(rs, "", userNode("b"), podIP("bi1"), "Running", in.ago(2*time.Hour),
		cs{name: "blob-indexer", image: img, restarts: 6, waitReason: "CrashLoopBackOff",
			lastReason: "OOMKilled", lastExit: 137, lastStart: in.ago(3*time.Minute + 10*time.Second), lastEnd: in.ago(90 * time.Second)})
	bad["status"].(obj)["containerStatuses"].([]any)[0].(obj)["state"].(obj)["waiting"].(obj)["message"] =
		"back-off 2m40s restarting failed container=blob-indexer pod=" + nameOf(bad) + "_documents(" + bad["metadata"].(obj)["uid"].(string) + ")"
	in.pod(rs, "", userNode("c"), podIP("bi2"), "Running", in.ago(6*24*time.Hour),
		cs{name: "blob-indexer", image: img, ready: true, started: in.ago(6 * 24 * time.Hour)})
	p := nameOf(bad)
	in.event(bad, "Warning", "BackOff", "Back-off restarting failed container blob-indexer in pod "+p+"_documents("+bad["metadata"].(obj)["uid"].(string)+")",
		"kubelet", userNode("b"), 23, in.ago(38*time.Minute), in.ago(40*time.Second))
	in.event(bad, "Normal", "Pulled", `Container image "`+img+`" already present on machine`, "kubelet", userNode("b"), 7, in.ago(2*time.Hour), in.ago(3*time.Minute+10*time.Second))
	start := in.ago(3*time.Minute + 9*time.Second)
	in.logAt("documents/"+p+"/blob-indexer.previous", start, 2*time.Second,
		`{"time":"`+ts(start)+`","level":"INFO","msg":"starting blob-indexer","version":"1.9.2","container":"claims-archive","gomaxprocs":1}`,
		`{"level":"INFO","msg":"change feed cursor restored","segment":"idx/segments/2026/12/03/0900/meta.json"}`,
		`{"level":"INFO","msg":"indexing blob","blob":"partner-uploads/2026/12/03/vgz-scan-batch-0412.zip","size_bytes":1873412096}`,
		`{"level":"WARN","msg":"request failed, retrying","op":"DownloadStream","status":503,"code":"ServerBusy","attempt":1}`,
		`{"level":"INFO","msg":"download started","blob":"partner-uploads/2026/12/03/vgz-scan-batch-0412.zip","buffer":"bytes.Buffer"}`)
	in.logAt("documents/"+p+"/blob-indexer", in.ago(80*time.Second), time.Second,
		`{"level":"INFO","msg":"starting blob-indexer","version":"1.9.2","container":"claims-archive","gomaxprocs":1}`,
		`{"level":"INFO","msg":"change feed cursor restored","segment":"idx/segments/2026/12/03/0900/meta.json"}`)
	in.fireCrashLooping("documents", p, "blob-indexer", 14*time.Minute)
	n := 40
	lab := fmt.Sprintf(`namespace="documents",pod="%s",container="blob-indexer"`, p)
	in.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes", sr(lab+`,job="kubelet",metrics_path="/metrics/cadvisor"`, wobble(sawtooth(9.1e7, 5.33e8, 13, n), 0.01)))
	in.gauge("kube_pod_container_resource_limits", "The number of requested limit resource by a container.", sr(lab+`,resource="memory",unit="byte",job="kube-state-metrics"`, ramp(536870912, 536870912, n)))
	in.count("kube_pod_container_status_restarts_total", "The number of container restarts per container.", restartsSeries("documents", p, "blob-indexer", 3, 13, n))
	in.gauge("kube_pod_container_status_last_terminated_reason", "Describes the last reason the container was in terminated state.", sr(lab+`,reason="OOMKilled",job="kube-state-metrics"`, ramp(1, 1, n)))
	in.want("OOMKilled", "documents", "Deployment", "blob-indexer", "OOMKilled", "512Mi")
	return in
}

func amaMetricsOOM() *incident {
	in := newIncident("h10-ama-metrics-replica-oomkilled-portal-series-absent", 7*time.Minute)
	in.summary = `A Grafana rule on the portal's request rate fires "absent": no series arrive in the Azure Monitor workspace.
portal-web is healthy. The managed Prometheus replica (kube-system/ama-metrics) is OOM-killed in a loop since
search-index pods started exposing a per-document label through their pod-annotation scrape (about 1.9 million
new series). The ama-metrics-node DaemonSet is fine.`
	in.source = "https://github.com/Azure/AKS/issues/5624"
	in.cluster("a", "b", "c", "d")
	// The portal is the alerted workload and is healthy.
	ptpl := podTemplate{labels: appLabels("portal-web", "portal", "5.3.0"), containers: []container{aspnet("portal-web", acr+"portal/portal-web:5.3.0", 8080)},
		annotations: map[string]any{"prometheus.io/scrape": "true", "prometheus.io/port": "8080"}}
	_, prs := in.rollout("portal", "portal-web", ptpl, 2, 2, 41, 90*24*time.Hour, 3*24*time.Hour)
	portalPods := in.healthy(prs, in.ago(3*24*time.Hour), "a", "c")
	for _, p := range portalPods {
		in.logAt("portal/"+nameOf(p)+"/portal-web", in.ago(4*time.Minute), 9*time.Second,
			serilog(in.ago(4*time.Minute), "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"GET","RequestPath":"/api/policies","StatusCode":200,"Elapsed":38.4122`),
			serilog(in.ago(4*time.Minute-9*time.Second), "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"GET","RequestPath":"/api/claims/summary","StatusCode":200,"Elapsed":51.0931`),
			serilog(in.ago(4*time.Minute-18*time.Second), "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"POST","RequestPath":"/api/quotes","StatusCode":201,"Elapsed":112.7703`))
	}
	svc := in.service("portal", "portal-web", selectorLabels(ptpl.labels), 80, 8080, "10.0.41.12", in.ago(90*24*time.Hour))
	in.endpoints(svc, 8080, portalPods, nil)
	// The add-on.
	atpl := podTemplate{labels: labelsOf("rsName", "ama-metrics", "kubernetes.azure.com/managedby", "aks"), serviceAccount: "ama-metrics-serviceaccount",
		containers: []container{{name: "prometheus-collector", image: "mcr.microsoft.com/azuremonitor/containerinsights/ciprod/prometheus-collector/images:6.10.0-main-10-28-2024-4b9e5b4e",
			reqCPU: "150m", reqMem: "500Mi", limCPU: "7", limMem: "14Gi"}, {name: "addon-token-adapter", image: "mcr.microsoft.com/aks/msi/addon-token-adapter:master.241010.1",
			reqCPU: "20m", reqMem: "30Mi", limCPU: "500m", limMem: "100Mi"}}}
	_, ars := in.rollout("kube-system", "ama-metrics", atpl, 2, 0, 12, 61*24*time.Hour, 12*24*time.Hour)
	img := atpl.containers[0].image
	var amaPods []string
	for i, nd := range []string{systemNodes[0], systemNodes[2]} {
		p := in.pod(ars, "", nd, podIP("ama"+nd), "Running", in.ago(12*24*time.Hour),
			cs{name: "prometheus-collector", image: img, restarts: 9 + i, waitReason: "CrashLoopBackOff",
				lastReason: "OOMKilled", lastExit: 137, lastStart: in.ago(time.Duration(7+i) * time.Minute), lastEnd: in.ago(time.Duration(2+i) * time.Minute)},
			cs{name: "addon-token-adapter", image: atpl.containers[1].image, ready: true, started: in.ago(12 * 24 * time.Hour)})
		amaPods = append(amaPods, nameOf(p))
		in.event(p, "Warning", "BackOff", "Back-off restarting failed container prometheus-collector in pod "+nameOf(p)+"_kube-system("+p["metadata"].(obj)["uid"].(string)+")",
			"kubelet", nd, 31, in.ago(70*time.Minute), in.ago(time.Duration(1+i)*time.Minute))
		st := in.ago(time.Duration(7+i) * time.Minute)
		in.logAt("kube-system/"+nameOf(p)+"/prometheus-collector.previous", st, 11*time.Second,
			"MODE=advanced CONTROLLER_TYPE=ReplicaSet CLUSTER=/subscriptions/5b1e0c7a-3f55-4f0e-9d8e-1c2a7be0f4d1/resourcegroups/rg-contoso-weu-prod/providers/Microsoft.ContainerService/managedClusters/contoso-weu-prod",
			"prom-config-validator::Config file provided - /etc/config/settings/prometheus/prometheus-config",
			"otelcollector::Starting otelcollector with config /opt/microsoft/otelcollector/collector-config.yml",
			`2026-12-03T`+in.ago(time.Duration(7+i)*time.Minute).Format("15:04:05")+`.118Z	info	prometheusreceiver@v0.110.0/metrics_receiver.go:307	Starting scrape manager	{"kind": "receiver", "name": "prometheus", "data_type": "metrics"}`,
			`2026-12-03T`+in.ago(time.Duration(6+i)*time.Minute).Format("15:04:05")+`.402Z	warn	internal/transaction.go:129	Failed to scrape Prometheus endpoint	{"kind": "receiver", "name": "prometheus", "data_type": "metrics", "scrape_timestamp": 1764754920112, "target_labels": "{__name__=\"up\", instance=\"10.244.4.31:9200\", job=\"kubernetes-pods\", namespace=\"documents\", pod=\"search-index-1\"}"}`,
			`2026-12-03T`+in.ago(time.Duration(5+i)*time.Minute).Format("15:04:05")+`.877Z	info	memorylimiter/memorylimiter.go:222	Memory usage is above soft limit. Forcing a GC.	{"kind": "processor", "name": "memory_limiter", "pipeline": "metrics", "cur_mem_mib": 12911}`,
			`2026-12-03T`+in.ago(time.Duration(4+i)*time.Minute).Format("15:04:05")+`.031Z	warn	memorylimiter/memorylimiter.go:229	Memory usage is above hard limit. Refusing data.	{"kind": "processor", "name": "memory_limiter", "pipeline": "metrics", "cur_mem_mib": 13873}`)
	}
	ntpl := podTemplate{labels: labelsOf("dsName", "ama-metrics-node"), containers: []container{{name: "prometheus-collector", image: img, reqCPU: "50m", reqMem: "150Mi", limCPU: "500m", limMem: "1Gi"}}}
	nds := in.daemonSet("kube-system", "ama-metrics-node", 7, 7, ntpl, in.ago(61*24*time.Hour))
	in.pod(nds, "", userNode("a"), podIP("amn-a"), "Running", in.ago(12*24*time.Hour), cs{name: "prometheus-collector", image: img, ready: true, started: in.ago(12 * 24 * time.Hour)})
	in.fire(grafanaLabels("Portal request rate absent", "portal", "portal", "service", "portal-web", "severity", "critical"),
		"No request metrics from portal-web for 10 minutes", "absent(rate(http_requests_received_total{namespace=\"portal\"}[5m])) is 1 in Azure Monitor workspace amw-contoso-weu-prod.",
		`absent(rate(http_requests_received_total{namespace="portal",service="portal-web"}[5m]))`, 1, 11*time.Minute)
	n := 44
	for i, pod := range amaPods {
		lab := fmt.Sprintf(`namespace="kube-system",pod="%s",container="prometheus-collector",job="kubelet",metrics_path="/metrics/cadvisor"`, pod)
		in.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes", sr(lab, sawtooth(2.1e9, 1.5e10, 19+i*3, n)))
	}
	in.gauge("scrape_series_added", "The approximate number of new series in this scrape", sr(`job="kubernetes-pods",namespace="documents",pod="search-index-1",instance="10.244.4.31:9200"`, wobble(ramp(1.86e6, 1.91e6, n), 0.01)))
	in.want("OOMKilled", "kube-system", "Deployment", "ama-metrics", "ama-metrics", "OOMKilled")
	return in
}

func ciliumAgentOOM() *incident {
	in := newIncident("h10-cilium-agent-oomkilled-one-node-pods-stuck-creating", 13*time.Minute)
	in.summary = `A new claims-api pod has been ContainerCreating for 15 minutes on aks-userpool-38211457-vmss00000b. The kubelet
cannot set up its sandbox network: the Cilium CNI plugin gets no answer from the agent socket. The cilium agent on
that node is OOM-killed at its 1Gi limit while it restores endpoints; the agents on the other nodes are healthy.`
	in.source = "https://github.com/cilium/cilium/issues/20597"
	in.cluster("a", "b", "c")
	tpl := podTemplate{labels: appLabels("claims-api", "claims", "8.14.1"), serviceAccount: "claims-api",
		containers: []container{aspnet("claims-api", acr+"claims/claims-api:8.14.1", 8080)}}
	_, rs := in.rollout("claims", "claims-api", tpl, 3, 2, 52, 200*24*time.Hour, 5*24*time.Hour)
	img := acr + "claims/claims-api:8.14.1"
	in.healthy(rs, in.ago(5*24*time.Hour), "a", "c")
	stuck := in.pod(rs, "", userNode("b"), "", "Pending", in.ago(16*time.Minute), cs{name: "claims-api", image: img, waitReason: "ContainerCreating"})
	sandbox := hashOf("sandbox", 32) + hashOf("sandbox2", 32)
	in.event(stuck, "Normal", "Scheduled", "Successfully assigned claims/"+nameOf(stuck)+" to "+userNode("b"), "default-scheduler", "", 1, in.ago(16*time.Minute), in.ago(16*time.Minute))
	in.event(stuck, "Warning", "FailedCreatePodSandBox", `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "`+sandbox+`": plugin type="cilium-cni" failed (add): unable to connect to Cilium agent: failed to create cilium agent client after 30.000000 seconds timeout: Get "http://localhost/v1/config": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory`,
		"kubelet", userNode("b"), 14, in.ago(15*time.Minute), in.ago(50*time.Second))
	ctpl := podTemplate{labels: labelsOf("k8s-app", "cilium", "kubernetes.azure.com/managedby", "aks"), serviceAccount: "cilium", extra: obj{"hostNetwork": true},
		containers: []container{{name: "cilium-agent", image: "mcr.microsoft.com/containernetworking/cilium/cilium:v1.14.15-241024", reqCPU: "100m", reqMem: "128Mi", limMem: "1Gi"}}}
	ds := in.daemonSet("kube-system", "cilium", 6, 5, ctpl, in.ago(61*24*time.Hour))
	cimg := ctpl.containers[0].image
	for _, nd := range []string{userNode("a"), userNode("c"), systemNodes[0]} {
		in.pod(ds, "", nd, nodeIP(nd), "Running", in.ago(9*24*time.Hour), cs{name: "cilium-agent", image: cimg, ready: true, started: in.ago(9 * 24 * time.Hour)})
	}
	agent := in.pod(ds, "", userNode("b"), nodeIP(userNode("b")), "Running", in.ago(9*24*time.Hour),
		cs{name: "cilium-agent", image: cimg, restarts: 7, waitReason: "CrashLoopBackOff", lastReason: "OOMKilled", lastExit: 137,
			lastStart: in.ago(4 * time.Minute), lastEnd: in.ago(3*time.Minute + 20*time.Second)})
	in.event(agent, "Warning", "BackOff", "Back-off restarting failed container cilium-agent in pod "+nameOf(agent)+"_kube-system("+agent["metadata"].(obj)["uid"].(string)+")",
		"kubelet", userNode("b"), 19, in.ago(17*time.Minute), in.ago(30*time.Second))
	st := in.ago(4 * time.Minute)
	in.logAt("kube-system/"+nameOf(agent)+"/cilium-agent.previous", st, 3*time.Second,
		`level=info msg="Memory available for map entries (0.003% of 33652158464B): 84130396B" subsys=config`,
		`level=info msg="  --enable-endpoint-health-checking='true'" subsys=daemon`,
		`level=info msg="Restored endpoint" endpointID=1174 ipAddr="[10.244.3.18 ]" subsys=endpoint`,
		`level=info msg="Endpoints restored" failed=0 restored=97 subsys=daemon`,
		`level=info msg="Regenerating restored endpoints" numRestored=97 subsys=daemon`,
		`level=info msg="Waiting for IPs to become available in CRD-backed allocation pool" available=0 helpMessage="Check if cilium-operator pod is running and does not have any warnings or error messages." name=`+userNode("b")+` required=8 subsys=ipam`,
		`level=info msg="Compiling datapath for 97 endpoints" subsys=datapath-loader`)
	in.firePodNotReady("claims", nameOf(stuck), time.Minute)
	in.want("OOMKilled", "kube-system", "DaemonSet", "cilium", "cilium", "OOMKilled")
	return in
}

func sessionGatewayMapWrites() *incident {
	in := newIncident("h10-session-gateway-fatal-concurrent-map-writes", 21*time.Minute)
	in.summary = `The Go session-gateway in portal restarts every few minutes under the morning login peak. Its previous
container ends with the Go runtime's "fatal error: concurrent map writes" from the tenant cache refresh; exit
code 2, memory far below the limit. One earlier Redis pool warning is a red herring.`
	in.source = "https://github.com/fleetdm/fleet/issues/49536"
	in.herring = true
	in.cluster("a", "b", "c")
	img := acr + "portal/session-gateway:3.2.0"
	tpl := podTemplate{labels: appLabels("session-gateway", "portal", "3.2.0"), serviceAccount: "session-gateway",
		containers: []container{{name: "session-gateway", image: img, port: 8080, reqCPU: "250m", reqMem: "128Mi", limCPU: "1", limMem: "512Mi",
			liveness: httpProbe("/livez", 8080, 5, 10, 1, 3), readiness: httpProbe("/readyz", 8080, 2, 5, 1, 3)}}}
	_, rs := in.rollout("portal", "session-gateway", tpl, 3, 1, 18, 300*24*time.Hour, 9*24*time.Hour)
	crash := in.crashLooping(rs, in.ago(9*24*time.Hour), 8, "Error", 2, 2*time.Minute, 3*time.Minute, "a", "b")
	// The third replica is up again for the moment, between two crashes.
	in.pod(rs, "", userNode("c"), podIP("sgc"), "Running", in.ago(9*24*time.Hour),
		cs{name: "session-gateway", image: img, restarts: 9, ready: true, started: in.ago(70 * time.Second), lastReason: "Error", lastExit: 2,
			lastStart: in.ago(6 * time.Minute), lastEnd: in.ago(80 * time.Second)})
	p := nameOf(crash[0])
	st := in.ago(5 * time.Minute)
	in.logAt("portal/"+p+"/session-gateway.previous", st, 700*time.Millisecond,
		`{"time":"`+st.Format(time.RFC3339)+`","level":"INFO","msg":"listening","addr":":8080","version":"3.2.0"}`,
		`{"level":"INFO","msg":"tenant cache warmed","tenants":412}`,
		`{"level":"WARN","msg":"redis: connection pool: was not able to get a healthy connection after 1 attempts","addr":"contoso-portal-sessions.redis.cache.windows.net:6380"}`,
		`{"level":"INFO","msg":"tenant cache refresh","changed":17}`,
		`fatal error: concurrent map writes`,
		``,
		`goroutine 18342 [running]:`,
		`github.com/contoso/session-gateway/internal/tenant.(*Cache).Put(0xc0001a6e40, {0xc003b1e2a0, 0x24}, 0xc0041c7d40)`,
		`	/src/internal/tenant/cache.go:88 +0x8a`,
		`github.com/contoso/session-gateway/internal/tenant.(*Cache).refreshOne(0xc0001a6e40, {0xc003b1e2a0, 0x24})`,
		`	/src/internal/tenant/cache.go:131 +0x1d3`,
		`created by github.com/contoso/session-gateway/internal/tenant.(*Cache).Refresh in goroutine 61`,
		`	/src/internal/tenant/cache.go:112 +0x10f`,
		``,
		`goroutine 1 [IO wait, 4 minutes]:`,
		`internal/poll.runtime_pollWait(0x7f2c1c7a4e18, 0x72)`,
		`	/usr/local/go/src/runtime/netpoll.go:351 +0x85`)
	in.fireCrashLooping("portal", p, "session-gateway", 19*time.Minute)
	n := 36
	in.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes",
		sr(fmt.Sprintf(`namespace="portal",pod="%s",container="session-gateway",job="kubelet",metrics_path="/metrics/cadvisor"`, p), wobble(sawtooth(3.1e7, 6.4e7, 12, n), 0.02)))
	in.count("kube_pod_container_status_restarts_total", "The number of container restarts per container.", restartsSeries("portal", p, "session-gateway", 4, 9, n))
	in.want("CrashLoop", "portal", "Deployment", "session-gateway", "concurrent map writes")
	return in
}

func ediGatewayLiveness() *incident {
	in := newIncident("h10-edi-gateway-windows-liveness-kills-schema-warmup", 29*time.Minute)
	in.summary = `The legacy .NET Framework edi-gateway runs on the Windows pool. After the Windows nodes were reimaged, the
pod has a cold image and IIS warms up by loading 2,214 EDIFACT/X12 schemas, which takes about three minutes. The
liveness probe allows 15 s plus three 10 s periods, so the kubelet kills the container mid-load over and over.`
	in.source = "https://github.com/sysdiglabs/charts/pull/2592"
	in.cluster("a")
	win := []string{"akswinp1000000", "akswinp1000001"}
	for _, n := range win {
		in.node(n, nodeOpt{pool: "winp1", zone: zoneOf(n), os: "windows", vmSize: "Standard_D8s_v5",
			taints: []any{obj{"key": "os", "value": "windows", "effect": "NoSchedule"}}}, in.ago(2*time.Hour))
	}
	img := acr + "integration/edi-gateway:4.7.2-ltsc2022"
	tpl := podTemplate{labels: appLabels("edi-gateway", "integration", "4.7.2"),
		nodeSelector: labelsOf("kubernetes.io/os", "windows"), tolerations: []any{obj{"key": "os", "operator": "Equal", "value": "windows", "effect": "NoSchedule"}},
		containers: []container{{name: "edi-gateway", image: img, port: 80, reqCPU: "1", reqMem: "2Gi", limCPU: "2", limMem: "4Gi",
			liveness: httpProbe("/health", 80, 15, 10, 1, 3), readiness: httpProbe("/health", 80, 15, 10, 1, 3)}}}
	_, rs := in.rollout("integration", "edi-gateway", tpl, 2, 0, 9, 400*24*time.Hour, 40*24*time.Hour)
	var first obj
	for i, n := range win {
		p := in.pod(rs, "", n, podIP("edi"+n), "Running", in.ago(95*time.Minute),
			cs{name: "edi-gateway", image: img, restarts: 14 + i, started: in.ago(time.Duration(30+10*i) * time.Second), lastReason: "Error", lastExit: -1073741510,
				lastStart: in.ago(time.Duration(100+10*i) * time.Second), lastEnd: in.ago(time.Duration(35+10*i) * time.Second)})
		if i == 0 {
			first = p
		}
		ip := p["status"].(obj)["podIP"].(string)
		in.event(p, "Warning", "Unhealthy", `Liveness probe failed: Get "http://`+ip+`:80/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
			"kubelet", n, 42+i, in.ago(92*time.Minute), in.ago(40*time.Second))
		in.event(p, "Normal", "Killing", "Container edi-gateway failed liveness probe, will be restarted", "kubelet", n, 14+i, in.ago(90*time.Minute), in.ago(time.Duration(35+10*i)*time.Second))
		in.event(p, "Normal", "Pulled", `Successfully pulled image "`+img+`" in 4m12.518s (4m12.518s including waiting). Image size: 5348917212 bytes.`, "kubelet", n, 1, in.ago(94*time.Minute), in.ago(94*time.Minute))
	}
	p := nameOf(first)
	st := in.ago(100 * time.Second)
	l4n := func(t time.Time, msg string) string { return t.Format("2006-01-02 15:04:05,000") + " [1] INFO  " + msg }
	in.logAt("integration/"+p+"/edi-gateway.previous", st, 9*time.Second,
		" Service 'w3svc' has been stopped",
		" APPCMD failed with error code 4312",
		" Service 'w3svc' started",
		l4n(st.Add(28*time.Second), "EdiGateway.Global - Application_Start: EdiGateway 4.7.2.0 on .NET Framework 4.8.9277.0"),
		l4n(st.Add(37*time.Second), "EdiGateway.Schemas.SchemaCache - loading 2214 EDIFACT/X12 schemas from C:\\inetpub\\edi\\schemas"),
		l4n(st.Add(46*time.Second), "EdiGateway.Schemas.SchemaCache - 412/2214 schemas compiled"),
		l4n(st.Add(55*time.Second), "EdiGateway.Schemas.SchemaCache - 838/2214 schemas compiled"))
	cur := in.ago(28 * time.Second)
	in.logAt("integration/"+p+"/edi-gateway", cur, 9*time.Second,
		" Service 'w3svc' has been stopped",
		" Service 'w3svc' started",
		l4n(cur.Add(19*time.Second), "EdiGateway.Global - Application_Start: EdiGateway 4.7.2.0 on .NET Framework 4.8.9277.0"))
	in.fireReplicasMismatch("integration", "edi-gateway", 2, 71*time.Minute)
	n := 40
	in.count("prober_probe_total", "Cumulative number of a liveness, readiness or startup probe for a container by result.",
		sr(fmt.Sprintf(`namespace="integration",pod="%s",container="edi-gateway",probe_type="Liveness",result="failed",job="kubelet",metrics_path="/metrics/probes"`, p), counter(118, slices.Concat(ramp(1.5, 1.5, n)))),
		sr(fmt.Sprintf(`namespace="integration",pod="%s",container="edi-gateway",probe_type="Liveness",result="successful",job="kubelet",metrics_path="/metrics/probes"`, p), ramp(3, 3, n)))
	in.count("kube_pod_container_status_restarts_total", "The number of container restarts per container.", restartsSeries("integration", p, "edi-gateway", 10, 9, n))
	in.want("ProbeFailure", "integration", "Deployment", "edi-gateway", "liveness")
	return in
}

func invoiceAPIAcr401() *incident {
	in := newIncident("h10-invoice-api-acr-401-kubelet-identity-lost-acrpull", 36*time.Minute)
	in.summary = `A Terraform refactor of the role assignments removed AcrPull for the cluster's kubelet identity on
contosoweuprod.azurecr.io. Running pods keep their cached images, but the invoice-api pod rescheduled onto the
node the autoscaler just added cannot pull: every token request to the registry answers 401 Unauthorized. The
scale-up event itself is normal.`
	in.source = "https://github.com/Azure/AKS/issues/4593"
	in.herring = true
	in.cluster("a", "b", "e")
	img := acr + "billing/invoice-api:2.14.0"
	tpl := podTemplate{labels: appLabels("invoice-api", "billing", "2.14.0"), containers: []container{aspnet("invoice-api", img, 8080)}}
	_, rs := in.rollout("billing", "invoice-api", tpl, 3, 2, 33, 500*24*time.Hour, 11*24*time.Hour)
	in.healthy(rs, in.ago(11*24*time.Hour), "a", "b")
	p := in.pod(rs, "", userNode("e"), podIP("inve"), "Pending", in.ago(19*time.Minute),
		cs{name: "invoice-api", image: img, waitReason: "ImagePullBackOff", waitMessage: `Back-off pulling image "` + img + `"`})
	msg := `Failed to pull image "` + img + `": failed to pull and unpack image "` + img + `": failed to resolve reference "` + img + `": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://contosoweuprod.azurecr.io/oauth2/token?scope=repository%3Abilling%2Finvoice-api%3Apull&service=contosoweuprod.azurecr.io: 401 Unauthorized`
	in.event(p, "Normal", "Scheduled", "Successfully assigned billing/"+nameOf(p)+" to "+userNode("e"), "default-scheduler", "", 1, in.ago(19*time.Minute), in.ago(19*time.Minute))
	in.event(p, "Normal", "Pulling", `Pulling image "`+img+`"`, "kubelet", userNode("e"), 6, in.ago(19*time.Minute), in.ago(2*time.Minute))
	in.event(p, "Warning", "Failed", msg, "kubelet", userNode("e"), 6, in.ago(19*time.Minute), in.ago(2*time.Minute))
	in.event(p, "Warning", "Failed", "Error: ErrImagePull", "kubelet", userNode("e"), 6, in.ago(19*time.Minute), in.ago(2*time.Minute))
	in.event(p, "Normal", "BackOff", `Back-off pulling image "`+img+`"`, "kubelet", userNode("e"), 71, in.ago(18*time.Minute), in.ago(20*time.Second))
	in.event(p, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet", userNode("e"), 71, in.ago(18*time.Minute), in.ago(20*time.Second))
	in.event(p, "Normal", "TriggeredScaleUp", "pod triggered scale-up: [{aks-userpool-38211457-vmss 4->5 (max: 12)}]", "cluster-autoscaler", "", 1, in.ago(24*time.Minute), in.ago(24*time.Minute))
	in.fireReplicasMismatch("billing", "invoice-api", 1, 3*time.Minute)
	in.want("ImagePull", "billing", "Deployment", "invoice-api", "401", "AcrPull")
	return in
}

func ediGatewayNoLinuxManifest() *incident {
	in := newIncident("h10-edi-gateway-rollout-without-os-selector-lands-on-linux", 44*time.Minute)
	in.summary = `A Flux kustomization refactor moved edi-gateway to a shared base overlay and lost its
kubernetes.io/os: windows nodeSelector and toleration. The new ReplicaSet's pod is scheduled onto a Linux user
node, where containerd finds no linux/amd64 entry in the Windows-only image: "no match for platform in manifest".
The old pods on the Windows pool still serve.`
	in.source = "https://oneuptime.com/blog/post/2026-02-16-how-to-deploy-windows-containers-alongside-linux-containers-on-aks-with-mixed-node-pools/view"
	in.cluster("a", "b")
	win := "akswinp1000000"
	in.node(win, nodeOpt{pool: "winp1", zone: zoneOf(win), os: "windows", vmSize: "Standard_D8s_v5",
		taints: []any{obj{"key": "os", "value": "windows", "effect": "NoSchedule"}}}, in.ago(20*24*time.Hour))
	oldImg := acr + "integration/edi-gateway:4.7.2-ltsc2022"
	newImg := acr + "integration/edi-gateway:4.7.3-ltsc2022"
	mk := func(image, version string, windows bool) podTemplate {
		t := podTemplate{labels: appLabels("edi-gateway", "integration", version),
			containers: []container{{name: "edi-gateway", image: image, port: 80, reqCPU: "1", reqMem: "2Gi", limCPU: "2", limMem: "4Gi",
				readiness: httpProbe("/health", 80, 30, 10, 2, 3)}}}
		if windows {
			t.nodeSelector = labelsOf("kubernetes.io/os", "windows")
			t.tolerations = []any{obj{"key": "os", "operator": "Equal", "value": "windows", "effect": "NoSchedule"}}
		}
		return t
	}
	oldT, newT := mk(oldImg, "4.7.2", true), mk(newImg, "4.7.3", false)
	d := in.deployment("integration", "edi-gateway", 2, 2, newT, in.ago(400*24*time.Hour), 10)
	oldRS := in.replicaSet(d, oldT, 9, 2, 2, in.ago(40*24*time.Hour))
	newRS := in.replicaSet(d, newT, 10, 1, 0, in.ago(22*time.Minute))
	in.pod(oldRS, "", win, podIP("edi-old1"), "Running", in.ago(9*24*time.Hour), cs{name: "edi-gateway", image: oldImg, ready: true, started: in.ago(9 * 24 * time.Hour)})
	in.pod(oldRS, "", win, podIP("edi-old2"), "Running", in.ago(9*24*time.Hour), cs{name: "edi-gateway", image: oldImg, ready: true, started: in.ago(9 * 24 * time.Hour)})
	p := in.pod(newRS, "", userNode("b"), podIP("edi-new"), "Pending", in.ago(22*time.Minute),
		cs{name: "edi-gateway", image: newImg, waitReason: "ImagePullBackOff", waitMessage: `Back-off pulling image "` + newImg + `"`})
	in.event(d.obj, "Normal", "ScalingReplicaSet", "Scaled up replica set "+newRS.name+" to 1", "deployment-controller", "", 1, in.ago(22*time.Minute), in.ago(22*time.Minute))
	in.event(p, "Normal", "Scheduled", "Successfully assigned integration/"+nameOf(p)+" to "+userNode("b"), "default-scheduler", "", 1, in.ago(22*time.Minute), in.ago(22*time.Minute))
	in.event(p, "Warning", "Failed", `Failed to pull image "`+newImg+`": rpc error: code = NotFound desc = failed to pull and unpack image "`+newImg+`": no match for platform in manifest: not found`,
		"kubelet", userNode("b"), 7, in.ago(21*time.Minute), in.ago(3*time.Minute))
	in.event(p, "Normal", "BackOff", `Back-off pulling image "`+newImg+`"`, "kubelet", userNode("b"), 83, in.ago(21*time.Minute), in.ago(25*time.Second))
	in.firePodNotReady("integration", nameOf(p), 6*time.Minute)
	in.want("ImagePull", "integration", "Deployment", "edi-gateway", "platform", "windows")
	return in
}

func claimsAPIKeyVaultSecret() *incident {
	in := newIncident("h10-claims-api-keyvault-secret-deleted-pods-stuck-mounting", 52*time.Minute)
	in.summary = `A clean-up script soft-deleted the Key Vault secret cosmos-primary-key that claims-api's
SecretProviderClass mounts. Pods that were running keep the mounted file; the two pods re-created by this morning's
node drain stay ContainerCreating because the Secrets Store CSI driver gets SecretNotFound (404) from Key Vault. A
failing HPA metric fetch during the drain is unrelated.`
	in.source = "https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/714"
	in.herring = true
	in.cluster("a", "b", "c", "d")
	img := acr + "claims/claims-api:8.14.1"
	c := aspnet("claims-api", img, 8080)
	c.volumeMounts = []any{obj{"name": "kv-secrets", "mountPath": "/mnt/secrets", "readOnly": true}}
	tpl := podTemplate{labels: appLabels("claims-api", "claims", "8.14.1"), serviceAccount: "claims-api", containers: []container{c},
		volumes: []any{obj{"name": "kv-secrets", "csi": obj{"driver": "secrets-store.csi.k8s.io", "readOnly": true,
			"volumeAttributes": obj{"secretProviderClass": "claims-api-kv"}}}}}
	_, rs := in.rollout("claims", "claims-api", tpl, 4, 2, 52, 200*24*time.Hour, 5*24*time.Hour)
	in.healthy(rs, in.ago(5*24*time.Hour), "a", "b")
	var stuck obj
	for i, nd := range []string{"c", "d"} {
		p := in.pod(rs, "", userNode(nd), "", "Pending", in.ago(34*time.Minute), cs{name: "claims-api", image: img, waitReason: "ContainerCreating"})
		if i == 0 {
			stuck = p
		}
		in.event(p, "Warning", "FailedMount", `MountVolume.SetUp failed for volume "kv-secrets" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod claims/`+nameOf(p)+`, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:cosmos-primary-key, objectVersion:: GET https://kv-contoso-weu-prod.vault.azure.net/secrets/cosmos-primary-key/`+"\n"+`--------------------------------------------------------------------------------`+"\n"+`RESPONSE 404: 404 Not Found`+"\n"+`ERROR CODE: SecretNotFound`+"\n"+`--------------------------------------------------------------------------------`+"\n"+`{"error":{"code":"SecretNotFound","message":"A secret with (name/id) cosmos-primary-key was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"}}`,
			"kubelet", userNode(nd), 17, in.ago(33*time.Minute), in.ago(1*time.Minute))
		in.event(p, "Warning", "FailedMount", "Unable to attach or mount volumes: unmounted volumes=[kv-secrets], unattached volumes=[kv-secrets kube-api-access-"+hashOf(nd, 5)+"]: timed out waiting for the condition",
			"kubelet", userNode(nd), 15, in.ago(31*time.Minute), in.ago(2*time.Minute))
	}
	hpa := obj{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": obj{"name": "claims-api", "namespace": "claims", "uid": uid("HorizontalPodAutoscaler", "claims", "claims-api")}}
	in.event(hpa, "Warning", "FailedGetResourceMetric", "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)",
		"horizontal-pod-autoscaler", "", 9, in.ago(33*time.Minute), in.ago(4*time.Minute))
	in.firePodNotReady("claims", nameOf(stuck), 18*time.Minute)
	in.want("ConfigError", "claims", "Deployment", "claims-api", "cosmos-primary-key", "SecretNotFound")
	return in
}

func claimsIntakeDaprStatestore() *incident {
	in := newIncident("h10-claims-intake-daprd-statestore-missing-master-key", 58*time.Minute)
	in.summary = `claims-intake's Dapr sidecar exits at start-up: the statestore component (state.azure.cosmosdb) was
switched to workload identity in Git but the azureClientId metadata was left out, so daprd finds neither a
masterKey nor an identity and fails initialising the component. The app container only sees localhost:3500
refused. A DataProtection warning in the app log is routine.`
	in.source = "https://github.com/dapr/dapr/issues/5627"
	in.herring = true
	in.cluster("a", "b")
	img := acr + "claims/claims-intake:6.0.4"
	dimg := "ghcr.io/dapr/daprd:1.14.4"
	tpl := podTemplate{labels: appLabels("claims-intake", "claims", "6.0.4"), serviceAccount: "claims-intake",
		annotations: map[string]any{"dapr.io/enabled": "true", "dapr.io/app-id": "claims-intake", "dapr.io/app-port": "8080"},
		containers:  []container{aspnet("claims-intake", img, 8080), {name: "daprd", image: dimg, port: 3500, reqCPU: "100m", reqMem: "250Mi", limCPU: "300m", limMem: "1Gi"}}}
	_, rs := in.rollout("claims", "claims-intake", tpl, 2, 0, 27, 150*24*time.Hour, 2*24*time.Hour)
	var first obj
	for i, nd := range []string{"a", "b"} {
		p := in.pod(rs, "", userNode(nd), podIP("cin"+nd), "Running", in.ago(47*time.Minute),
			cs{name: "claims-intake", image: img, started: in.ago(47 * time.Minute)},
			cs{name: "daprd", image: dimg, restarts: 10 + i, waitReason: "CrashLoopBackOff", lastReason: "Error", lastExit: 1,
				lastStart: in.ago(time.Duration(4+i) * time.Minute), lastEnd: in.ago(time.Duration(3+i)*time.Minute + 50*time.Second)})
		if i == 0 {
			first = p
		}
		in.event(p, "Warning", "BackOff", "Back-off restarting failed container daprd in pod "+nameOf(p)+"_claims("+p["metadata"].(obj)["uid"].(string)+")",
			"kubelet", userNode(nd), 27+i, in.ago(45*time.Minute), in.ago(40*time.Second))
	}
	p := nameOf(first)
	st := in.ago(4 * time.Minute)
	line := 0
	dl := func(level, msg string) string {
		at := st.Add(time.Duration(line) * 600 * time.Millisecond)
		line++
		return fmt.Sprintf(`time="%s" level=%s msg="%s" app_id=claims-intake instance=%s scope=dapr.runtime type=log ver=1.14.4`, at.Format("2006-01-02T15:04:05.000000000Z"), level, msg, p)
	}
	in.logAt("claims/"+p+"/daprd.previous", st, 600*time.Millisecond,
		dl("info", "Starting Dapr Runtime -- version 1.14.4 -- commit 583960dc90120616124b60ad2b7820fc0b3edf44"),
		dl("info", "Log level set to: info"),
		dl("info", "Loading components…"),
		dl("info", "Component loaded: pubsub (pubsub.azure.servicebus.topics/v1)"),
		dl("warning", "Error processing component, daprd will exit gracefully"),
		dl("info", "Dapr is shutting down"),
		dl("fatal", "Fatal error from runtime: process component statestore error: [INIT_COMPONENT_FAILURE]: initialization error occurred for statestore (state.azure.cosmosdb/v1): missing or empty masterKey field from metadata"))
	in.logAt("claims/"+p+"/claims-intake", in.ago(3*time.Minute), 20*time.Second,
		serilog(in.ago(47*time.Minute), "Warning", "No XML encryptor configured. Key {KeyId:B} may be persisted to storage in unencrypted form.", "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", `"KeyId":"6f3c1b1e-2e0a-4a41-9b3a-ffb7e7bd1a52"`),
		serilog(in.ago(3*time.Minute), "Error", "Saving claim draft {ClaimId} failed", "Claims.Intake.Drafts.DraftStore", `"ClaimId":"CLM-2026-0881231","@x":"Dapr.DaprException: State operation failed: the Dapr endpoint indicated a failure. See InnerException for details.\n ---> Grpc.Core.RpcException: Status(StatusCode=\"Unavailable\", Detail=\"Error connecting to subchannel.\", DebugException=\"System.Net.Sockets.SocketException: Connection refused\")"`),
		serilog(in.ago(2*time.Minute), "Error", "Saving claim draft {ClaimId} failed", "Claims.Intake.Drafts.DraftStore", `"ClaimId":"CLM-2026-0881240","@x":"Dapr.DaprException: State operation failed: the Dapr endpoint indicated a failure. See InnerException for details.\n ---> Grpc.Core.RpcException: Status(StatusCode=\"Unavailable\", Detail=\"Error connecting to subchannel.\", DebugException=\"System.Net.Sockets.SocketException: Connection refused\")"`))
	in.fireCrashLooping("claims", p, "daprd", 40*time.Minute)
	n := 32
	in.count("kube_pod_container_status_restarts_total", "The number of container restarts per container.", restartsSeries("claims", p, "daprd", 8, 12, n))
	in.want("ConfigError", "claims", "Deployment", "claims-intake", "statestore", "masterKey")
	return in
}

func documentsAPIFederatedCredential() *incident {
	in := newIncident("h10-documents-api-federated-credential-missing-after-identity-recreate", 66*time.Minute)
	in.summary = `Terraform recreated the user-assigned identity id-documents-api (a name change forced replacement) but not
its federated identity credential. Pods restarted by the node image upgrade present their service-account token
and Entra ID answers AADSTS70021: no matching federated identity record. documents-api loads its Key Vault
configuration at start-up, so the host terminates and the pods crash-loop.`
	in.source = "https://github.com/Azure/azure-workload-identity/issues/340"
	in.cluster("a", "b", "c")
	img := acr + "documents/documents-api:11.2.0"
	tpl := podTemplate{labels: appLabels("documents-api", "documents", "11.2.0"), serviceAccount: "documents-api",
		containers: []container{aspnet("documents-api", img, 8080)}}
	_, rs := in.rollout("documents", "documents-api", tpl, 3, 0, 61, 250*24*time.Hour, 12*24*time.Hour)
	p := nameOf(in.crashLooping(rs, in.ago(38*time.Minute), 9, "Error", 134, 3*time.Minute-6*time.Second, 6*time.Second, "a", "b", "c")[0])
	st := in.ago(3 * time.Minute)
	in.logAt("documents/"+p+"/documents-api.previous", st, 700*time.Millisecond,
		serilog(st, "Information", "Starting {Application} {Version}", "Program", `"Application":"Documents.Api","Version":"11.2.0"`),
		serilog(st.Add(time.Second), "Fatal", "Host terminated unexpectedly", "Program",
			`"@x":"Azure.Identity.AuthenticationFailedException: WorkloadIdentityCredential authentication failed: A configuration issue is preventing authentication - check the error message from the server for details. You can modify the configuration in the application registration portal. See https://aka.ms/msal-net-invalid-client for details.  Original exception: AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://westeurope.oic.prod-aks.azure.com/0c7a2f31-4d4b-4f38-9a51-1fe0f1a5c9d2/6d0b8f9e-77a1-4b0e-a0a8-3b5c2e9e4f10/'. Assertion Subject: 'system:serviceaccount:documents:documents-api'. Assertion Audience: 'api://AzureADTokenExchange'.\n   at Azure.Identity.CredentialDiagnosticScope.FailWrapAndThrow(Exception ex, String additionalMessage, Boolean isCredentialUnavailable)\n   at Azure.Extensions.AspNetCore.Configuration.Secrets.AzureKeyVaultConfigurationProvider.LoadAsync()"`))
	in.fireCrashLooping("documents", p, "documents-api", 31*time.Minute)
	in.want("ConfigError", "documents", "Deployment", "documents-api", "AADSTS70021", "federated")
	return in
}
