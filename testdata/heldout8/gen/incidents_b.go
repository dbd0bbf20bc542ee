package main

import (
	"fmt"
	"time"
)

func efsProvisioningFailed() *world {
	w := newWorld("h8-efs-claim-provisioning-failed-filesystem-gone", "2026-12-03T06:05:00Z")
	w.description = `report-renderer in data-jobs mounts the EFS-backed claim shared-reports. The claim was recreated during a
namespace clean-up, but StorageClass efs-sc still names file system fs-0c2d5e8a9b1f4e7a6, which was deleted when the
old reporting stack was torn down. The EFS CSI controller cannot create an access point (FileSystemNotFound), the
claim stays Pending and the pod is unschedulable with "pod has unbound immediate PersistentVolumeClaims". The claim
itself has no logs; the CSI controller's logs were not captured.`
	w.source = "https://github.com/kubernetes-sigs/aws-efs-csi-driver/issues/499"
	w.stdNodes()
	w.pvc("data-jobs", "shared-reports", "efs-sc", "50Gi", "Pending", 2*time.Hour, map[string]string{"app.kubernetes.io/name": "report-renderer"})
	sched := "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
	pods := w.app(appSpec{ns: "data-jobs", name: "report-renderer", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/data/report-renderer:0.19.0", port: 8080,
		res: res("500m", "1Gi", "2", "2Gi"), revision: 4, age: 2 * time.Hour, rsAge: 2 * time.Hour,
		volumes: []obj{{"name": "reports", "persistentVolumeClaim": obj{"claimName": "shared-reports"}}},
		pods:    []podState{{state: waiting("ContainerCreating", ""), age: 2 * time.Hour, node: -1, schedMsg: sched}}})
	w.eventSeries("data-jobs", "Pod", pods[0], "Warning", "FailedScheduling", "Scheduling", sched, 27, w.at(2*time.Hour), w.at(4*time.Minute), "default-scheduler")
	w.event("data-jobs", "PersistentVolumeClaim", "shared-reports", "Normal", "ExternalProvisioning", "Waiting for a volume to be created either by the external provisioner 'efs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.", 484, w.at(2*time.Hour), w.at(15*time.Second), "persistentvolume-controller", "")
	w.event("data-jobs", "PersistentVolumeClaim", "shared-reports", "Normal", "Provisioning", "External provisioner is provisioning volume for claim \"data-jobs/shared-reports\"", 31, w.at(2*time.Hour), w.at(3*time.Minute), "efs.csi.aws.com_efs-csi-controller-6f9c7d8b5-k2x8q_0e6b1f2a-7c1d-4e3b-9f0a-1d2c3b4a5e6f", "")
	w.event("data-jobs", "PersistentVolumeClaim", "shared-reports", "Warning", "ProvisioningFailed", "failed to provision volume with StorageClass \"efs-sc\": rpc error: code = Internal desc = Failed to fetch File System info: Describe File System failed: FileSystemNotFound: File system 'fs-0c2d5e8a9b1f4e7a6' does not exist.", 31, w.at(2*time.Hour), w.at(3*time.Minute), "efs.csi.aws.com_efs-csi-controller-6f9c7d8b5-k2x8q_0e6b1f2a-7c1d-4e3b-9f0a-1d2c3b4a5e6f", "")
	w.setAlert("KubePodNotReady", "warning", map[string]string{"namespace": "data-jobs", "pod": pods[0], "job": "kube-state-metrics"},
		"Pod has been in a non-ready state for more than 15 minutes.", "Pod data-jobs/"+pods[0]+" has been in a non-ready state for longer than 15 minutes.", 100*time.Minute,
		`sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`, 1)
	w.want("Unschedulable", "data-jobs", "PersistentVolumeClaim", "shared-reports", "shared-reports", "efs-sc")
	w.metric("kube_persistentvolumeclaim_status_phase", "gauge", "The phase the persistent volume claim is currently in.", ksm(map[string]string{"namespace": "data-jobs", "persistentvolumeclaim": "shared-reports", "phase": "Pending"}), constant(1))
	w.metric("kube_pod_status_phase", "gauge", "The pods current phase.", ksm(map[string]string{"namespace": "data-jobs", "pod": pods[0], "phase": "Pending"}), constant(1))
	w.metric("kube_pod_status_unschedulable", "gauge", "Describes the unschedulable status for the pod.", ksm(map[string]string{"namespace": "data-jobs", "pod": pods[0]}), constant(1))
	return w
}

func fargateSelectorNoProfile() *world {
	w := newWorld("h8-fargate-nodeselector-without-matching-profile", "2026-12-06T10:40:00Z")
	w.description = `model-refresher in risk was changed to run on Fargate by adding nodeSelector
eks.amazonaws.com/compute-type: fargate. The Fargate profile fp-risk only selects pods in namespace risk that carry
the label compute=fargate, and the new pod template lacks it, so fargate-scheduler never picks the pod up and the
default scheduler finds no node: the EC2 nodes do not match the selector and the existing Fargate node is tainted.
No metrics were collected.`
	w.source = "https://devopsboys.com/blog/eks-fargate-pod-not-scheduling-fix-2026"
	w.stdNodes()
	w.node(nodeSpec{name: "fargate-ip-10-42-140-9.eu-central-1.compute.internal", instance: "fargate", zone: "eu-central-1b", group: "fp-risk", fargate: true, created: w.at(3 * 24 * time.Hour),
		taints: []obj{{"key": "eks.amazonaws.com/compute-type", "value": "fargate", "effect": "NoSchedule"}}})
	sched := "0/4 nodes are available: 1 node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
	pods := w.app(appSpec{ns: "risk", name: "model-refresher", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/model-refresher:4.1.0", port: 8080, noMesh: true,
		res: res("1", "2Gi", "1", "2Gi"), revision: 7, age: 80 * 24 * time.Hour, rsAge: 50 * time.Minute, nodeSel: map[string]string{"eks.amazonaws.com/compute-type": "fargate"},
		oldRS: &oldRS{image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/risk/model-refresher:4.0.2", replicas: 0, created: w.at(30 * 24 * time.Hour)},
		pods:  []podState{{state: waiting("ContainerCreating", ""), age: 50 * time.Minute, node: -1, schedMsg: sched}}})
	w.eventSeries("risk", "Pod", pods[0], "Warning", "FailedScheduling", "Scheduling", sched, 12, w.at(50*time.Minute), w.at(5*time.Minute), "default-scheduler")
	w.setAlert("KubeDeploymentReplicasMismatch", "warning", map[string]string{"namespace": "risk", "deployment": "model-refresher", "job": "kube-state-metrics"},
		"Deployment has not matched the expected number of replicas.", "Deployment risk/model-refresher has not matched the expected number of replicas for longer than 15 minutes.", 30*time.Minute,
		`(kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"})`, 1)
	w.want("Unschedulable", "risk", "Deployment", "model-refresher", "fargate", "selector")
	return w
}

func cniNotInitialized() *world {
	w := newWorld("h8-node-notready-cni-plugin-not-initialized", "2026-12-04T03:22:00Z")
	w.description = `Node ip-10-42-12-41 of the general node group went NotReady after an in-place kubelet restart during OS
patching: "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin
returns error: cni plugin not initialized". The settlement-api replica on that node lost readiness and the Deployment
runs one replica short. No logs from the node or its aws-node pod were captured; the application itself is healthy.`
	w.source = "https://github.com/aws/karpenter-provider-aws/issues/1391"
	bad := generalNodes[1]
	w.stdNodesWith(func(i int, n *nodeSpec) {
		if i == 1 {
			n.ready, n.since = "False", w.at(21*time.Minute)
			n.readyReason = "KubeletNotReady"
			n.readyMsg = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"
			n.taints = []obj{{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}, {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute", "timeAdded": w.at(21 * time.Minute)}}
		}
	})
	pods := w.app(appSpec{ns: "payments", name: "settlement-api", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/settlement-api:8.2.0", port: 8080,
		res: res("500m", "1Gi", "2", "1536Mi"), probes: httpProbe("readinessProbe", "/actuator/health/readiness", 8080, 10, 3), revision: 40, age: 700 * 24 * time.Hour, rsAge: 8 * 24 * time.Hour,
		pods: []podState{
			{ready: true, state: running(w.at(8 * 24 * time.Hour)), age: 8 * 24 * time.Hour, node: 0},
			{ready: false, state: running(w.at(8 * 24 * time.Hour)), age: 8 * 24 * time.Hour, node: 1},
			{ready: true, state: running(w.at(8 * 24 * time.Hour)), age: 8 * 24 * time.Hour, node: 2},
		}})
	w.event("payments", "Pod", pods[1], "Warning", "NodeNotReady", "Node is not ready", 1, w.at(20*time.Minute), w.at(20*time.Minute), "node-controller", "")
	w.event("", "Node", bad, "Normal", "NodeNotReady", "Node "+bad+" status is now: NodeNotReady", 1, w.at(21*time.Minute), w.at(21*time.Minute), "node-controller", "")
	w.event("", "Node", bad, "Normal", "Starting", "Starting kubelet.", 1, w.at(22*time.Minute), w.at(22*time.Minute), "kubelet", bad)
	w.event("", "Node", bad, "Warning", "InvalidDiskCapacity", "invalid capacity 0 on image filesystem", 1, w.at(22*time.Minute), w.at(22*time.Minute), "kubelet", bad)
	w.setAlert("KubeDeploymentReplicasMismatch", "warning", map[string]string{"namespace": "payments", "deployment": "settlement-api", "job": "kube-state-metrics"},
		"Deployment has not matched the expected number of replicas.", "Deployment payments/settlement-api has not matched the expected number of replicas for longer than 15 minutes.", 4*time.Minute,
		`(kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"})`, 1)
	w.want("NodePressure", "", "Node", bad, "NotReady", "cni plugin not initialized")
	for i, n := range generalNodes {
		v := 1.0
		if i == 1 {
			v = 0
		}
		w.metric("kube_node_status_condition", "gauge", "The condition of a cluster node.", ksm(map[string]string{"node": n, "condition": "Ready", "status": "true"}), constant(v))
	}
	w.metric("kube_deployment_status_replicas_available", "gauge", "The number of available replicas per deployment.", ksm(map[string]string{"namespace": "payments", "deployment": "settlement-api"}), constant(2))
	w.metric("up", "gauge", "Whether the scrape succeeded.", map[string]string{"job": "node-exporter", "instance": bad, "namespace": "monitoring"}, constant(1))
	return w
}

func pidPressureEvictions() *world {
	w := newWorld("h8-node-pid-pressure-evicts-invoice-api", "2026-12-02T19:48:00Z")
	w.description = `Node ip-10-42-13-87 reports PIDPressure: pdf-renderer, a Celery worker on the same node, shells out to
wkhtmltopdf for every invoice and never reaps the children, so thousands of defunct processes pile up. The kubelet
starts evicting pods to reclaim PIDs; the alerted invoice-api replica (FastAPI) was evicted ("The node was low on
resource: pids") although it is not the culprit. The node taint pid-pressure keeps new pods away.`
	w.source = "https://devopsaitoolkit.com/blog/kubernetes-error-node-has-pid-pressure/"
	bad := generalNodes[2]
	w.stdNodesWith(func(i int, n *nodeSpec) {
		if i == 2 {
			n.pressure = map[string]string{"PIDPressure": "kubelet has insufficient PID available"}
			n.since = w.at(16 * time.Minute)
			n.taints = []obj{{"key": "node.kubernetes.io/pid-pressure", "effect": "NoSchedule", "timeAdded": w.at(16 * time.Minute)}}
		}
	})
	evicted := "The node was low on resource: pids. Threshold quantity: 3276, available: 2911. "
	pods := w.app(appSpec{ns: "ledger", name: "invoice-api", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/ledger/invoice-api:3.3.1", port: 8000,
		res: res("250m", "256Mi", "1", "512Mi"), revision: 21, age: 340 * 24 * time.Hour, rsAge: 4 * 24 * time.Hour,
		pods: []podState{
			{ready: true, state: running(w.at(4 * 24 * time.Hour)), age: 4 * 24 * time.Hour, node: 0},
			{ready: false, state: terminated("ContainerStatusUnknown", 137, w.at(4*24*time.Hour), w.at(12*time.Minute)), age: 4 * 24 * time.Hour, node: 2, phase: "Failed", reason: "Evicted", message: evicted},
			{ready: false, state: waiting("ContainerCreating", ""), age: 11 * time.Minute, node: 1},
		}})
	workers := w.app(appSpec{ns: "data-jobs", name: "pdf-renderer", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/data/pdf-renderer:1.4.7", port: 8000, noMesh: true,
		res: res("500m", "1Gi", "2", "2Gi"), revision: 5, age: 120 * 24 * time.Hour, rsAge: 2 * 24 * time.Hour,
		pods: []podState{{ready: true, state: running(w.at(2 * 24 * time.Hour)), age: 2 * 24 * time.Hour, node: 2}}})
	w.event("ledger", "Pod", pods[1], "Warning", "Evicted", evicted, 1, w.at(12*time.Minute), w.at(12*time.Minute), "kubelet", bad)
	w.event("ledger", "Pod", pods[1], "Normal", "Killing", "Stopping container invoice-api", 1, w.at(12*time.Minute), w.at(12*time.Minute), "kubelet", bad)
	w.event("", "Node", bad, "Warning", "EvictionThresholdMet", "Attempting to reclaim pids", 4, w.at(16*time.Minute), w.at(3*time.Minute), "kubelet", bad)
	w.event("", "Node", bad, "Normal", "NodeHasInsufficientPID", "Node "+bad+" status is now: NodeHasInsufficientPID", 1, w.at(16*time.Minute), w.at(16*time.Minute), "kubelet", bad)
	w.logLines("data-jobs", workers[0], "pdf-renderer", false, 20*time.Second, 3*time.Second, repeat(50, func(i int) string {
		if i%17 == 16 {
			return "[2026-12-02 19:47:1" + fmt.Sprint(i%10) + ",004: WARNING/ForkPoolWorker-3] wkhtmltopdf exited with code 1: Exit with code 1 due to network error: HostNotFoundError"
		}
		return fmt.Sprintf("[2026-12-02 19:47:%02d,%03d: INFO/ForkPoolWorker-%d] Task invoices.render_pdf[%s] succeeded in 2.%03ds: 'inv-%06d.pdf'", i%60, i*31%1000, i%8+1, hashOf("pdf", fmt.Sprint(i))[:8], i*37%1000, 880000+i)
	})...)
	w.logLines("ledger", pods[0], "invoice-api", false, 30*time.Second, 5*time.Second,
		`INFO:     10.42.7.19:43122 - "GET /v1/invoices/inv-880012 HTTP/1.1" 200 OK`,
		`INFO:     10.42.7.19:43128 - "GET /v1/invoices/inv-880017 HTTP/1.1" 200 OK`,
		`INFO:     10.42.9.3:51840 - "POST /v1/invoices HTTP/1.1" 201 Created`)
	w.setAlert("KubePodNotReady", "warning", map[string]string{"namespace": "ledger", "pod": pods[1], "job": "kube-state-metrics"},
		"Pod has been in a non-ready state for more than 15 minutes.", "Pod ledger/"+pods[1]+" has been in a non-ready state for longer than 15 minutes.", 2*time.Minute,
		`sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`, 1)
	w.want("NodePressure", "", "Node", bad, "PIDPressure", "pids")
	w.metric("kube_node_status_condition", "gauge", "The condition of a cluster node.", ksm(map[string]string{"node": bad, "condition": "PIDPressure", "status": "true"}), constant(1))
	w.metric("node_processes_pids", "gauge", "Number of PIDs", map[string]string{"job": "node-exporter", "instance": bad}, ramp(29400, 30100))
	w.metric("node_processes_max_processes", "gauge", "Number of max PIDs limit", map[string]string{"job": "node-exporter", "instance": bad}, constant(32768))
	w.metric("node_processes_state", "gauge", "Number of processes in each state.", map[string]string{"job": "node-exporter", "instance": bad, "state": "Z"}, ramp(26100, 26900))
	return w
}

func dotnetThrottled() *world {
	w := newWorld("h8-dotnet-tax-calculator-cfs-throttled", "2026-12-01T12:15:00Z")
	w.description = `tax-calculator (ASP.NET Core on .NET 8) has a CPU limit of 500m. Since the VAT rules for the new
quarter were loaded, each request does more work; usage sits at the limit, about 70% of CFS periods are throttled,
Kestrel reports heartbeat delays and p99 latency of the checkout tax call climbs above 2 s. Traffic is flat and no
dependency is slow: the container is starved by its CPU quota.`
	w.source = "https://github.com/dotnet/aspnetcore/issues/29150"
	w.stdNodes()
	pods := w.app(appSpec{ns: "checkout", name: "tax-calculator", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/checkout/tax-calculator:2026.11.4", port: 8080,
		res: res("250m", "256Mi", "500m", "512Mi"), revision: 33, age: 600 * 24 * time.Hour, rsAge: 7 * 24 * time.Hour,
		env:  []obj{{"name": "DOTNET_gcServer", "value": "1"}, {"name": "ASPNETCORE_URLS", "value": "http://+:8080"}},
		pods: []podState{{ready: true, state: running(w.at(7 * 24 * time.Hour)), age: 7 * 24 * time.Hour, node: 0}, {ready: true, state: running(w.at(7 * 24 * time.Hour)), age: 7 * 24 * time.Hour, node: 1}}})
	w.setAlert("CheckoutTaxLatencyHigh", "critical", map[string]string{"namespace": "checkout", "service": "tax-calculator", "job": "checkout/tax-calculator"},
		"tax-calculator p99 latency above 1s", "p99 latency of tax-calculator is 2.3s over the last 5 minutes (SLO 400ms).", 9*time.Minute,
		`histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace="checkout", service="tax-calculator"}[5m]))) > 1`, 2.3)
	w.want("CPUThrottling", "checkout", "Deployment", "tax-calculator", "throttl", "500m")
	for i, p := range pods {
		node := generalNodes[i]
		w.metric("container_cpu_cfs_periods", "counter", "Number of elapsed enforcement period intervals.", cadvisor("checkout", p, "tax-calculator", node), func(s int) float64 { return 9.1e6 + float64(s)*150 })
		w.metric("container_cpu_cfs_throttled_periods", "counter", "Number of throttled period intervals.", cadvisor("checkout", p, "tax-calculator", node), func(s int) float64 { return 2.2e6 + float64(s)*106 })
		w.metric("container_cpu_usage_seconds", "counter", "Cumulative cpu time consumed in seconds.", cadvisor("checkout", p, "tax-calculator", node), func(s int) float64 { return 301000 + float64(s)*7.45 })
		w.limitMetric("checkout", p, "tax-calculator", "cpu", "core", 0.5)
		w.metric("dotnet_threadpool_queue_length", "gauge", "The number of work items that are currently queued to be processed by the thread pool.", map[string]string{"namespace": "checkout", "pod": p, "job": "checkout/tax-calculator"}, ramp(40, 210))
	}
	w.metric("http_server_request_duration_seconds_count", "counter", "Duration of HTTP server requests.", map[string]string{"namespace": "checkout", "service": "tax-calculator", "http_route": "/v1/tax/quote", "http_response_status_code": "200"}, func(s int) float64 { return 5.2e6 + float64(s)*1800 })
	w.logLines("checkout", pods[0], "tax-calculator", false, 20*time.Second, 9*time.Second, repeat(24, func(i int) string {
		if i%4 == 3 {
			return fmt.Sprintf("warn: Microsoft.AspNetCore.Server.Kestrel[22] As of \"12/01/2026 12:1%d:%02d +00:00\", the heartbeat has been running for \"00:00:0%d.%03d\" which is longer than \"00:00:01\". This could be caused by thread pool starvation.", 1+i/10, i*7%60, 1+i%3, i*41%1000)
		}
		return fmt.Sprintf("info: TaxCalculator.Quotes.QuoteEndpoint[0] quote country=%s lines=%d rules=VAT-2027Q1 elapsed_ms=%d", []string{"DE", "FR", "NL", "AT"}[i%4], 3+i%9, 900+i*53)
	})...)
	return w
}

func auroraStaleWriter() *world {
	w := newWorld("h8-aurora-failover-pool-pinned-to-old-writer", "2026-12-05T02:47:00Z")
	w.description = `A scheduled Aurora PostgreSQL maintenance failed the payments-ledger cluster over to the other instance.
ledger-writer (Kotlin, Spring Boot, HikariCP) resolved the cluster writer endpoint long ago and its pooled connections
still point at the old writer, now a reader: every INSERT fails with "cannot execute INSERT in a read-only
transaction" (SQLState 25006) and the API returns 500. Aurora itself is healthy; the database side has no logs in
the fixture. A GC pause warning and an HPA event are noise.`
	w.source = "https://aws.amazon.com/blogs/database/improve-application-availability-on-amazon-aurora/"
	w.stdNodes()
	host := "payments-ledger.cluster-c9x2k1m0q7zd.eu-central-1.rds.amazonaws.com"
	pods := w.app(appSpec{ns: "ledger", name: "ledger-writer", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/ledger/ledger-writer:6.1.0", port: 8080,
		res: res("500m", "1Gi", "2", "1536Mi"), revision: 19, age: 420 * 24 * time.Hour, rsAge: 11 * 24 * time.Hour,
		env:  []obj{{"name": "SPRING_DATASOURCE_URL", "value": "jdbc:postgresql://" + host + ":5432/ledger"}, {"name": "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", "value": "20"}},
		pods: []podState{{ready: true, state: running(w.at(11 * 24 * time.Hour)), age: 11 * 24 * time.Hour, node: 0}, {ready: true, state: running(w.at(11 * 24 * time.Hour)), age: 11 * 24 * time.Hour, node: 2}}})
	for i, p := range pods {
		lines := repeat(30, func(j int) string {
			if j%6 == 5 {
				return fmt.Sprintf("2026-12-05T02:4%d:%02d.%03dZ  INFO 1 --- [ledger-writer] [nio-8080-exec-%d] c.p.ledger.api.BalanceController          : GET /v1/balances/acc-%05d 200 in %dms", 3+j/10, j*2%60, j*37%1000, j%9+1, 4000+j, 6+j%5)
			}
			return fmt.Sprintf("2026-12-05T02:4%d:%02d.%03dZ ERROR 1 --- [ledger-writer] [nio-8080-exec-%d] o.h.engine.jdbc.spi.SqlExceptionHelper   : ERROR: cannot execute INSERT in a read-only transaction", 3+j/10, j*2%60, j*53%1000, j%9+1)
		})
		lines = append(lines,
			"2026-12-05T02:46:40.118Z ERROR 1 --- [ledger-writer] [nio-8080-exec-4] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception",
			"org.springframework.dao.InvalidDataAccessResourceUsageException: could not execute statement [ERROR: cannot execute INSERT in a read-only transaction] [insert into ledger_entry (account_id,amount,currency,booked_at,id) values (?,?,?,?,?)]; SQL [insert into ledger_entry (account_id,amount,currency,booked_at,id) values (?,?,?,?,?)]",
			"Caused by: org.postgresql.util.PSQLException: ERROR: cannot execute INSERT in a read-only transaction",
			"\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)",
			"2026-12-05T02:46:51.402Z  WARN 1 --- [ledger-writer] [       G1 Young] o.s.b.a.m.JvmPauseDetector               : GC pause of 312ms detected")
		w.logLines("ledger", p, "ledger-writer", false, time.Duration(5+i*3)*time.Second, 7*time.Second, lines...)
		w.metric("hikaricp_connections_active", "gauge", "Active connections", map[string]string{"namespace": "ledger", "pod": p, "pool": "HikariPool-1", "application": "ledger-writer"}, constant(4))
	}
	w.metric("http_server_requests_seconds_count", "counter", "Duration of HTTP server request handling", map[string]string{"namespace": "ledger", "application": "ledger-writer", "uri": "/v1/entries", "method": "POST", "status": "500", "outcome": "SERVER_ERROR"}, func(s int) float64 { return 1200 + float64(s)*310 })
	w.metric("http_server_requests_seconds_count", "counter", "Duration of HTTP server request handling", map[string]string{"namespace": "ledger", "application": "ledger-writer", "uri": "/v1/entries", "method": "POST", "status": "201", "outcome": "SUCCESS"}, constant(8.8e6))
	w.hpa("ledger", "ledger-writer", 2, 8, 2, 2, 70, 31, []obj{{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "message": "recommended size matches current size", "lastTransitionTime": w.at(11 * 24 * time.Hour)}})
	w.setAlert("LedgerWriterErrorRateHigh", "critical", map[string]string{"namespace": "ledger", "application": "ledger-writer", "job": "ledger/ledger-writer"},
		"ledger-writer 5xx ratio above 5%", "98% of POST /v1/entries requests fail with 500 over the last 5 minutes.", 11*time.Minute,
		`sum(rate(http_server_requests_seconds_count{application="ledger-writer", status=~"5.."}[5m])) / sum(rate(http_server_requests_seconds_count{application="ledger-writer"}[5m])) > 0.05`, 0.98)
	w.want("DependencyFailure", "", "External", host, "read-only transaction", "payments-ledger")
	return w
}

func redisReadonlyReplica() *world {
	w := newWorld("h8-elasticache-readonly-replica-after-failover", "2026-12-06T21:09:00Z")
	w.description = `During the ElastiCache maintenance window the checkout-sessions replication group promoted its replica.
session-api (NestJS with ioredis) connects to the node endpoint of the former primary instead of the primary
endpoint, so it is now talking to a read-only replica: every session write fails with "READONLY You can't write
against a read only replica." and checkout returns 503. The cache itself has no logs in the fixture.`
	w.source = "https://github.com/redis/ioredis/issues/144"
	w.stdNodes()
	host := "checkout-sessions-001.x7kq2m.0001.euc1.cache.amazonaws.com"
	pods := w.app(appSpec{ns: "checkout", name: "session-api", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/checkout/session-api:3.0.8", port: 3000,
		res: res("200m", "256Mi", "1", "512Mi"), revision: 27, age: 330 * 24 * time.Hour, rsAge: 13 * 24 * time.Hour,
		env:  []obj{{"name": "REDIS_HOST", "value": host}, {"name": "REDIS_TLS", "value": "true"}},
		pods: []podState{{ready: true, state: running(w.at(13 * 24 * time.Hour)), age: 13 * 24 * time.Hour, node: 1}, {ready: true, state: running(w.at(13 * 24 * time.Hour)), age: 13 * 24 * time.Hour, node: 2}}})
	for i, p := range pods {
		w.logLines("checkout", p, "session-api", false, time.Duration(4+i*2)*time.Second, 6*time.Second, repeat(36, func(j int) string {
			if j%9 == 4 {
				return "[Nest] 1  - 12/06/2026, 9:0" + fmt.Sprint(5+j/12) + ":11 PM     LOG [SessionController] GET /v1/sessions/" + hashOf("s", fmt.Sprint(j))[:8] + " 200 4ms"
			}
			return "[Nest] 1  - 12/06/2026, 9:0" + fmt.Sprint(5+j/12) + ":1" + fmt.Sprint(j%10) + " PM   ERROR [ExceptionsHandler] ReplyError: READONLY You can't write against a read only replica."
		})...)
	}
	w.metric("http_requests_total", "counter", "Total number of HTTP requests", map[string]string{"namespace": "checkout", "service": "session-api", "route": "/v1/sessions", "method": "PUT", "status_code": "503"}, func(s int) float64 { return 300 + float64(s)*240 })
	w.metric("http_requests_total", "counter", "Total number of HTTP requests", map[string]string{"namespace": "checkout", "service": "session-api", "route": "/v1/sessions", "method": "GET", "status_code": "200"}, func(s int) float64 { return 4.1e7 + float64(s)*900 })
	w.metric("redis_replication_role", "gauge", "ElastiCache node role reported by the CloudWatch exporter (1 = primary, 0 = replica)", map[string]string{"job": "cloudwatch-exporter", "cache_cluster_id": "checkout-sessions-001"}, constant(0))
	w.setAlert("CheckoutSessionWritesFailing", "critical", map[string]string{"namespace": "checkout", "service": "session-api", "job": "checkout/session-api"},
		"session-api session writes failing", "PUT /v1/sessions returns 503 for 100% of requests.", 7*time.Minute,
		`sum(rate(http_requests_total{service="session-api", method="PUT", status_code=~"5.."}[5m])) / sum(rate(http_requests_total{service="session-api", method="PUT"}[5m])) > 0.1`, 1)
	w.want("DependencyFailure", "", "External", host, "READONLY")
	return w
}

func dynamoThrottled() *world {
	w := newWorld("h8-dynamodb-idempotency-table-throttling", "2026-12-03T18:31:00Z")
	w.description = `payment-intents (FastAPI) stores an idempotency key in the DynamoDB table payment-idempotency for every
request. The table is in provisioned mode with 400 WCU and auto scaling was disabled during a cost review; an evening
campaign pushes writes above capacity and DynamoDB throttles them (ProvisionedThroughputExceededException). boto3
exhausts its retries and the API answers 503. The pods and nodes are healthy. No metrics were collected.`
	w.source = "https://www.fixwikihub.com/articles/aws-dynamodb-throttling-provisionedthroughputexceeded"
	w.stdNodes()
	pods := w.app(appSpec{ns: "payments", name: "payment-intents", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/payment-intents:1.31.0", port: 8000,
		res: res("250m", "256Mi", "1", "512Mi"), revision: 44, age: 280 * 24 * time.Hour, rsAge: 5 * 24 * time.Hour, sa: "payment-intents",
		pods: []podState{{ready: true, state: running(w.at(5 * 24 * time.Hour)), age: 5 * 24 * time.Hour, node: 0}, {ready: true, state: running(w.at(5 * 24 * time.Hour)), age: 5 * 24 * time.Hour, node: 1}, {ready: true, state: running(w.at(5 * 24 * time.Hour)), age: 5 * 24 * time.Hour, node: 2}}})
	for i, p := range pods {
		w.logLines("payments", p, "payment-intents", false, time.Duration(3+i)*time.Second, 4*time.Second, repeat(40, func(j int) string {
			switch j % 5 {
			case 0, 2:
				return fmt.Sprintf(`{"level":"error","logger":"payment_intents.idempotency","msg":"idempotency write failed","table":"payment-idempotency","error":"An error occurred (ProvisionedThroughputExceededException) when calling the PutItem operation (reached max retries: 3): The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.","request_id":"%s"}`, hashOf(p, fmt.Sprint(j)))
			case 1:
				return `INFO:     10.42.7.19:0 - "POST /v1/payment-intents HTTP/1.1" 503 Service Unavailable`
			default:
				return `INFO:     10.42.7.19:0 - "POST /v1/payment-intents HTTP/1.1" 201 Created`
			}
		})...)
	}
	w.setAlert("PaymentIntents5xxHigh", "critical", map[string]string{"namespace": "payments", "service": "payment-intents", "job": "payments/payment-intents"},
		"payment-intents 5xx ratio above 2%", "41% of POST /v1/payment-intents requests failed over the last 5 minutes.", 6*time.Minute,
		`sum(rate(http_requests_total{service="payment-intents", status=~"5.."}[5m])) / sum(rate(http_requests_total{service="payment-intents"}[5m])) > 0.02`, 0.41)
	w.want("DependencyFailure", "", "External", "dynamodb.eu-central-1.amazonaws.com", "ProvisionedThroughputExceededException")
	return w
}
