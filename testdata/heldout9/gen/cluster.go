package main

import (
	"fmt"
	"time"
)

func topologySpreadSpotZone() *scn {
	s := newScn("h9-topology-spread-do-not-schedule-spot-zone-stockout", utc(11, 20, 19, 40))
	s.source = "https://github.com/kubernetes/enhancements/issues/3990"
	s.description = `cart-api is pinned to the Spot pool and spreads over zones with whenUnsatisfiable:
DoNotSchedule. Spot capacity in europe-west4-c is exhausted, so the autoscaler cannot add a node
there, and the new replicas cannot go to a or b without breaking maxSkew 1: they stay Pending.
A routine BackendConfig sync warning is unrelated.`
	spot := []string{}
	zones := []string{"europe-west4-a", "europe-west4-b"}
	for i := 0; i < 4; i++ {
		n := fmt.Sprintf("gke-retail-prod-ew4-pool-spot-7c1d2e3f-%s", suffix(s.name+fmt.Sprint(i), 4))
		s.gkeNode(n, "pool-spot", zones[i%2], "e2-standard-4", true, s.ago(3*24*time.Hour), []any{obj{"key": "cloud.google.com/gke-spot", "value": "true", "effect": "NoSchedule"}})
		spot = append(spot, n)
	}
	s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("cart-api"), containers: []ctr{{name: "cart-api", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/cart-api:5.2.7",
		ports: []obj{port("http", 8080)}, requests: res("1500m", "2Gi"), limits: res("", "2Gi")}},
		extra: obj{"nodeSelector": map[string]string{"cloud.google.com/gke-spot": "true"},
			"tolerations": []any{obj{"key": "cloud.google.com/gke-spot", "operator": "Equal", "value": "true", "effect": "NoSchedule"}},
			"topologySpreadConstraints": []any{obj{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
				"labelSelector": obj{"matchLabels": map[string]string{"app.kubernetes.io/name": "cart-api"}}}}}}
	s.deployment("storefront", "cart-api", 9, s.ago(40*24*time.Hour), 19, t, depStatus(9, 9, 4, 4))
	a := app{ns: "storefront", name: "cart-api", t: t, rs: s.rs("storefront", "cart-api", 19, 9, 4, s.ago(6*24*time.Hour), t)}
	for i := 0; i < 4; i++ {
		s.appPod(a, i, spot[i], "Running", s.ago(2*24*time.Hour), healthy("cart-api", s.ago(2*24*time.Hour)))
	}
	msg := "0/7 nodes are available: 3 node(s) didn't match Pod's node affinity/selector, 4 node(s) didn't match pod topology spread constraints. preemption: 0/7 nodes are available: 3 Preemption is not helpful for scheduling, 4 No preemption victims found for incoming pod."
	var pending []string
	for i := 4; i < 9; i++ {
		p := s.podName(a, i)
		s.pendingPod("storefront", p, "ReplicaSet", a.rs, rsLabels(t, a.rs), t, s.ago(25*time.Minute), msg)
		s.schedEvent("storefront", p, msg, 14, s.ago(25*time.Minute), s.ago(90*time.Second))
		s.event("storefront", "Pod", p, "Normal", "NotTriggerScaleUp", "pod didn't trigger scale-up: 1 max node group size reached, 2 node(s) didn't match pod topology spread constraints, 1 in backoff after failed scale-up", 18, s.ago(24*time.Minute), s.ago(time.Minute), "cluster-autoscaler", "")
		pending = append(pending, p)
	}
	s.event("", "Node", spot[0], "Warning", "FailedScaleUp", "Node scale up in zones europe-west4-c associated with this pod failed: GCE out of resources. Pod is at risk of not being scheduled.", 6, s.ago(24*time.Minute), s.ago(4*time.Minute), "cluster-autoscaler", "")
	s.event("storefront", "Service", "cart-api", "Warning", "SyncNetworkEndpointGroupFailed", "Failed to sync NEG \"k8s1-7c1d2e3f-storefront-cart-api-8080-0b7e1d22\" (will retry): googleapi: Error 503: Backend service is being updated, backendServiceNotReady", 1, s.ago(18*time.Minute), s.ago(18*time.Minute), "neg-controller", "")
	s.service("storefront", "cart-api", t.labels, "http", 8080, "http", s.ago(40*24*time.Hour), s.podName(a, 0), s.podName(a, 1), s.podName(a, 2), s.podName(a, 3))
	m := newMetrics(s.now, 10*time.Minute)
	for _, p := range pending {
		m.gauge("kube_pod_status_phase", "The pods current phase.", `namespace="storefront",pod="`+p+`",phase="Pending"`, flat(1))
	}
	m.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", `namespace="storefront",deployment="cart-api"`, flat(4))
	m.gauge("cluster_autoscaler_unschedulable_pods_count", "Number of unschedulable pods in the cluster.", `type="unschedulable"`, flat(5))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubePodNotScheduled", "namespace": "storefront", "pod": pending[0], "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Pod cannot be scheduled.", "description": "Pod storefront/" + pending[0] + " cannot be scheduled for more than 15 minutes."},
		10*time.Minute, `last_over_time(kube_pod_status_unschedulable{job="kube-state-metrics"}[5m]) == 1`, 1)
	s.expect("Unschedulable", "storefront", "Deployment", "cart-api", "topology spread", "europe-west4-c")
	return s
}

func filestoreClaimAboveTierMaximum() *scn {
	s := newScn("h9-filestore-claim-above-tier-maximum-pending", utc(11, 21, 9, 15))
	s.source = "https://github.com/kubernetes-sigs/gcp-filestore-csi-driver/issues/1059"
	s.description = `A new reports-renderer StatefulSet asks for a 20Ti claim on the enterprise-rwx
(Filestore Enterprise) StorageClass, whose largest instance is 10Ti. The CSI driver rejects the
CreateVolume and retries, the claim stays Pending and so does the pod. The pod never started:
no logs.`
	s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("reports-renderer"), containers: []ctr{{name: "renderer", image: "europe-west4-docker.pkg.dev/retail-prod/analytics/reports-renderer:0.9.0",
		requests: res("1", "2Gi"), limits: res("", "2Gi"), mounts: []obj{{"name": "shared", "mountPath": "/reports"}}}},
		extra: obj{"volumes": []any{obj{"name": "shared", "persistentVolumeClaim": obj{"claimName": "reports-shared"}}}}}
	s.add(obj{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": s.meta("StatefulSet", "analytics", "reports-renderer", t.labels, s.ago(30*time.Minute)),
		"spec":   obj{"replicas": 1, "serviceName": "reports-renderer", "selector": obj{"matchLabels": t.labels}, "template": obj{"metadata": obj{"labels": t.labels}, "spec": t.podSpec()}},
		"status": obj{"replicas": 1, "readyReplicas": 0, "currentReplicas": 1, "updatedReplicas": 1}})
	s.add(obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": s.meta("PersistentVolumeClaim", "analytics", "reports-shared", t.labels, s.ago(30*time.Minute)),
		"spec":   obj{"accessModes": []string{"ReadWriteMany"}, "storageClassName": "enterprise-rwx", "volumeMode": "Filesystem", "resources": obj{"requests": obj{"storage": "20Ti"}}},
		"status": obj{"phase": "Pending"}})
	pod := "reports-renderer-0"
	msg := "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
	s.pendingPod("analytics", pod, "StatefulSet", "reports-renderer", withLabels(t.labels, "statefulset.kubernetes.io/pod-name", pod, "apps.kubernetes.io/pod-index", "0"), t, s.ago(30*time.Minute), msg)
	s.schedEvent("analytics", pod, msg, 9, s.ago(30*time.Minute), s.ago(3*time.Minute))
	s.event("analytics", "PersistentVolumeClaim", "reports-shared", "Normal", "Provisioning", `External provisioner is provisioning volume for claim "analytics/reports-shared"`, 12, s.ago(30*time.Minute), s.ago(2*time.Minute), "filestore.csi.storage.gke.io_gke-7c1d2e3f-filestore-csi-controller-6b8d9_0f2a1c", "")
	s.event("analytics", "PersistentVolumeClaim", "reports-shared", "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "enterprise-rwx": rpc error: code = InvalidArgument desc = request bytes 21990232555520 is more than maximum instance size bytes 10995116277760 for tier ENTERPRISE`, 12, s.ago(30*time.Minute), s.ago(2*time.Minute), "filestore.csi.storage.gke.io_gke-7c1d2e3f-filestore-csi-controller-6b8d9_0f2a1c", "")
	s.event("analytics", "StatefulSet", "reports-renderer", "Normal", "SuccessfulCreate", "create Pod reports-renderer-0 in StatefulSet reports-renderer successful", 1, s.ago(30*time.Minute), s.ago(30*time.Minute), "statefulset-controller", "")
	m := newMetrics(s.now, 10*time.Minute)
	m.gauge("kube_persistentvolumeclaim_status_phase", "The phase the persistent volume claim is currently in.", `namespace="analytics",persistentvolumeclaim="reports-shared",phase="Pending"`, flat(1))
	m.gauge("kube_pod_status_phase", "The pods current phase.", `namespace="analytics",pod="reports-renderer-0",phase="Pending"`, flat(1))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "KubeStatefulSetReplicasMismatch", "namespace": "analytics", "statefulset": "reports-renderer", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "StatefulSet has not matched the expected number of replicas."}, 15*time.Minute,
		`kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_status_replicas{job="kube-state-metrics"}`, 0)
	s.expect("Unschedulable", "analytics", "PersistentVolumeClaim", "reports-shared", "10Ti", "ProvisioningFailed")
	return s
}

func spotPreemptionNode() *scn {
	s := newScn("h9-spot-node-preempted-checkout-pods-terminated", utc(11, 23, 12, 2))
	s.source = "https://cloud.google.com/kubernetes-engine/docs/preemptible-vm"
	s.description = `Compute Engine reclaimed Spot node gke-retail-prod-ew4-pool-spot-7c1d2e3f-x9k2: the kubelet's
graceful node shutdown terminated its pods ("Pod was terminated in response to imminent node
shutdown"), the node went NotReady with the impending-node-termination taint, and two of the
three checkout-web replicas were on it. Replacements wait for a new Spot node.`
	node := "gke-retail-prod-ew4-pool-spot-7c1d2e3f-x9k2"
	down := s.ago(6 * time.Minute)
	s.gkeNode(node, "pool-spot", "europe-west4-b", "e2-standard-4", true, s.ago(19*time.Hour),
		[]any{obj{"key": "cloud.google.com/gke-spot", "value": "true", "effect": "NoSchedule"},
			obj{"key": "cloud.google.com/impending-node-termination", "effect": "NoSchedule", "timeAdded": ts(down.Add(-30 * time.Second))},
			obj{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": ts(down)},
			obj{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": ts(down)}},
		nodeCond("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", down),
		nodeCond("MemoryPressure", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", down))
	s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(30*24*time.Hour))
	other := "gke-retail-prod-ew4-pool-spot-7c1d2e3f-" + suffix(s.name+"other", 4)
	s.gkeNode(other, "pool-spot", "europe-west4-a", "e2-standard-4", true, s.ago(2*24*time.Hour), []any{obj{"key": "cloud.google.com/gke-spot", "value": "true", "effect": "NoSchedule"}})
	t := tmpl{labels: labelsApp("checkout-web"), containers: []ctr{{name: "checkout", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/checkout-web:9.4.0",
		ports: []obj{port("http", 8080)}, requests: res("1500m", "2Gi"), limits: res("", "2Gi"), readiness: httpProbe("/ready", "http", 5, 2, 3)}},
		extra: obj{"nodeSelector": map[string]string{"cloud.google.com/gke-spot": "true"}, "tolerations": []any{obj{"key": "cloud.google.com/gke-spot", "operator": "Exists", "effect": "NoSchedule"}}}}
	s.deployment("storefront", "checkout-web", 3, s.ago(60*24*time.Hour), 41, t, depStatus(3, 3, 1, 1))
	a := app{ns: "storefront", name: "checkout-web", t: t, rs: s.rs("storefront", "checkout-web", 41, 3, 1, s.ago(4*24*time.Hour), t)}
	survivor := s.appPod(a, 0, other, "Running", s.ago(2*24*time.Hour), healthy("checkout", s.ago(2*24*time.Hour)))
	for i := 1; i < 3; i++ {
		p := s.podName(a, i)
		s.pod("storefront", p, node, "ReplicaSet", a.rs, rsLabels(t, a.rs), t, "Failed", s.ago(19*time.Hour),
			[]cst{{name: "checkout", state: terminated("Error", 143, s.ago(19*time.Hour), down.Add(-5*time.Second))}},
			obj{"reason": "Terminated", "message": "Pod was terminated in response to imminent node shutdown."})
		s.event("storefront", "Pod", p, "Normal", "Killing", "Stopping container checkout", 1, down.Add(-28*time.Second), down.Add(-28*time.Second), "kubelet", node)
	}
	var pending []string
	for i := 3; i < 5; i++ {
		p := s.podName(a, i)
		msg := "0/5 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: 1 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling."
		s.pendingPod("storefront", p, "ReplicaSet", a.rs, rsLabels(t, a.rs), t, down, msg)
		s.schedEvent("storefront", p, msg, 5, down, s.ago(time.Minute))
		s.event("storefront", "Pod", p, "Normal", "TriggeredScaleUp", "pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/retail-prod/zones/europe-west4-b/instanceGroups/gke-retail-prod-ew4-pool-spot-7c1d2e3f-grp 3->4 (max: 12)}]", 1, s.ago(5*time.Minute), s.ago(5*time.Minute), "cluster-autoscaler", "")
		pending = append(pending, p)
	}
	s.event("", "Node", node, "Normal", "NodeNotReady", "Node "+node+" status is now: NodeNotReady", 1, down, down, "node-controller", "")
	s.event("", "Node", node, "Normal", "Shutdown", "Shutdown manager detected shutdown event", 1, down.Add(-30*time.Second), down.Add(-30*time.Second), "kubelet", node)
	s.log("storefront/"+survivor+"/checkout", repeat(s.ago(8*time.Minute), 30*time.Second, 16, func(i int, _ time.Time) string {
		if i > 4 && i%3 == 0 {
			return gcl("WARNING", "request queue depth 38 above 25", "logger", "checkout.http")
		}
		return gcl("INFO", "POST /v1/checkout 200", "latency_ms", fmt.Sprint(180+i*9))
	})...)
	m := newMetrics(s.now, 10*time.Minute)
	m.gauge("kube_node_status_condition", "The condition of a cluster node.", `node="`+node+`",condition="Ready",status="unknown"`, after(16, 0, 1))
	m.gauge("kube_node_status_condition", "The condition of a cluster node.", `node="`+node+`",condition="Ready",status="true"`, after(16, 1, 0))
	m.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", `namespace="storefront",deployment="checkout-web"`, after(16, 3, 1))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "CheckoutAvailabilityLow", "namespace": "storefront", "deployment": "checkout-web", "severity": "critical", "grafana_folder": "Storefront"},
		map[string]string{"summary": "checkout-web has 1 of 3 replicas available"}, 4*time.Minute,
		`kube_deployment_status_replicas_available{namespace="storefront",deployment="checkout-web"} / kube_deployment_spec_replicas{namespace="storefront",deployment="checkout-web"} < 0.5`, 0.33)
	s.expect("NodePressure", "", "Node", node, "preempt", "NotReady")
	return s
}

func readonlyFilesystemNode() *scn {
	s := newScn("h9-node-boot-disk-remounted-read-only", utc(11, 24, 3, 50))
	s.source = "https://github.com/kubernetes/kubernetes/issues/99126"
	s.description = `node-problem-detector set ReadonlyFilesystem=True on one pool-std node after the kernel
remounted the boot disk read-only; the kubelet still reports Ready, so pods keep landing there and
fail to start (RunContainerError: read-only file system). The inventory-api pods on the node crash;
its pods elsewhere are healthy. No metrics for this incident.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	bad := "gke-retail-prod-ew4-pool-std-" + hex8(s.name+"bad") + "-m4t1"
	since := s.ago(42 * time.Minute)
	s.gkeNode(bad, "pool-std", "europe-west4-c", "e2-standard-8", false, s.ago(30*24*time.Hour), nil,
		nodeCond("ReadonlyFilesystem", "True", "FilesystemIsReadOnly", "Remounting filesystem read-only", since),
		nodeCond("KernelDeadlock", "False", "KernelHasNoDeadlock", "kernel has no deadlock", s.ago(30*24*time.Hour)))
	t := tmpl{labels: labelsApp("inventory-api"), containers: []ctr{{name: "inventory-api", image: "europe-west4-docker.pkg.dev/retail-prod/inventory/inventory-api:6.0.2",
		ports: []obj{port("grpc", 50051)}, requests: res("500m", "512Mi"), limits: res("", "1Gi")}}}
	a := s.app("inventory", "inventory-api", 4, 2, s.ago(10*24*time.Hour), 30, t)
	s.appPod(a, 0, nodes[0], "Running", s.ago(10*24*time.Hour), healthy("inventory-api", s.ago(10*24*time.Hour)))
	s.appPod(a, 1, nodes[1], "Running", s.ago(10*24*time.Hour), healthy("inventory-api", s.ago(10*24*time.Hour)))
	var sick []string
	for i := 2; i < 4; i++ {
		p := s.appPod(a, i, bad, "Running", s.ago(40*time.Minute), cst{name: "inventory-api", restarts: 9,
			state: waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=inventory-api"),
			last:  obj{"terminated": obj{"reason": "StartError", "exitCode": 128, "message": "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting \"/var/lib/kubelet/pods/" + s.uid("Pod", "inventory", s.podName(a, i)) + "/etc-hosts\" to rootfs at \"/etc/hosts\": open /var/lib/containerd/io.containerd.runtime.v2.task/k8s.io/rootfs/etc/hosts: read-only file system: unknown", "startedAt": "1970-01-01T00:00:00Z", "finishedAt": ts(s.ago(3 * time.Minute))}}})
		s.event("inventory", "Pod", p, "Warning", "Failed", "Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: read-only file system: unknown", 10, s.ago(39*time.Minute), s.ago(3*time.Minute), "kubelet", bad)
		s.event("inventory", "Pod", p, "Warning", "BackOff", "Back-off restarting failed container inventory-api in pod "+p+"_inventory("+s.uid("Pod", "inventory", p)+")", 120, s.ago(38*time.Minute), s.ago(time.Minute), "kubelet", bad)
		sick = append(sick, p)
	}
	s.event("", "Node", bad, "Warning", "FilesystemIsReadOnly", "Node condition ReadonlyFilesystem is now: True, reason: FilesystemIsReadOnly, message: \"Remounting filesystem read-only\"", 1, since, since, "kernel-monitor", bad)
	s.event("", "Node", bad, "Warning", "ContainerGCFailed", "rpc error: code = Unknown desc = failed to remove container: read-only file system", 4, s.ago(35*time.Minute), s.ago(5*time.Minute), "kubelet", bad)
	s.setAlert(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "inventory", "pod": sick[0], "container": "inventory-api", "severity": "warning", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "Pod is crash looping."}, 30*time.Minute,
		`max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1`, 1)
	s.expect("NodePressure", "", "Node", bad, "read-only", "ReadonlyFilesystem")
	return s
}

func rustResizerThrottled() *scn {
	s := newScn("h9-rust-image-resizer-cfs-throttled-at-300m", utc(11, 25, 17, 30))
	s.source = "https://github.com/kubernetes/kubernetes/issues/67577"
	s.description = `The Rust tonic image-resizer has a 300m CPU limit; tokio starts one worker per host CPU and
each resize bursts on several threads, so most CFS periods are throttled and p99 latency of
Resize rises to seconds while average CPU use stays near the limit. Traffic is flat. An h2
"connection reset" debug line is noise.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("image-resizer"), containers: []ctr{{name: "resizer", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/image-resizer:0.22.1",
		ports: []obj{port("grpc", 50051)}, requests: res("300m", "256Mi"), limits: res("300m", "512Mi"), env: []obj{envVal("RUST_LOG", "info,tower_http=warn")}}}}
	a := s.app("storefront", "image-resizer", 3, 3, s.ago(14*24*time.Hour), 12, t)
	pods := s.runningPods(a, 3, nodes, s.ago(14*24*time.Hour))
	s.log("storefront/"+pods[0]+"/resizer", repeat(s.ago(10*time.Minute), 20*time.Second, 30, func(i int, at time.Time) string {
		if i == 11 {
			return at.Format("2006-01-02T15:04:05.000000Z") + " DEBUG h2::proto::connection: Connection::poll; connection error error=connection reset"
		}
		return fmt.Sprintf("%s  WARN image_resizer::service: slow resize sku=SKU-%d width=1200 elapsed_ms=%d", at.Format("2006-01-02T15:04:05.000000Z"), 40000+i*17, 1900+i*37)
	})...)
	m := newMetrics(s.now, 12*time.Minute)
	for _, p := range pods {
		l := `namespace="storefront",pod="` + p + `",container="resizer"`
		m.counter("container_cpu_cfs_periods", "Number of elapsed enforcement period intervals.", l, 8.1e6, flat(150))
		m.counter("container_cpu_cfs_throttled_periods", "Number of throttled period intervals.", l, 3.9e6, wobble(118, 8))
		m.counter("container_cpu_usage_seconds", "Cumulative cpu time consumed in seconds.", l, 2.6e5, wobble(4.4, 0.2))
		m.gauge("kube_pod_container_resource_limits", "The number of requested limit resource by a container.", `namespace="storefront",pod="`+p+`",container="resizer",resource="cpu",unit="core"`, flat(0.3))
	}
	m.histogram("grpc_server_handling_seconds", "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
		`namespace="storefront",grpc_service="media.v1.Resizer",grpc_method="Resize"`, []float64{0.1, 0.5, 1, 2.5, 5},
		flat(135), func(int) []float64 { return []float64{0.08, 0.31, 0.55, 0.86, 0.99} }, flat(1.7))
	m.counter("grpc_server_handled", "Total number of RPCs completed on the server.", `namespace="storefront",grpc_service="media.v1.Resizer",grpc_method="Resize",grpc_code="OK"`, 5.5e6, flat(135))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "ResizerLatencyHigh", "namespace": "storefront", "service": "image-resizer", "severity": "warning", "cluster": "retail-prod-ew4", "project_id": "retail-prod"},
		map[string]string{"summary": "image-resizer p99 latency above 2s", "description": "p99 of media.v1.Resizer/Resize is 4.6s"}, 25*time.Minute,
		`histogram_quantile(0.99, sum by (le) (rate(grpc_server_handling_seconds_bucket{namespace="storefront",grpc_method="Resize"}[5m]))) > 2`, 4.6)
	s.expect("CPUThrottling", "storefront", "Deployment", "image-resizer", "throttl", "300m")
	return s
}

func stockGrpcTargetPortRenamed() *scn {
	s := newScn("h9-stock-grpc-named-target-port-renamed-no-endpoints", utc(11, 26, 10, 40))
	s.source = "https://github.com/kubernetes/kubernetes/issues/83145"
	s.description = `product-page (Node.js, grpc-js) in storefront fails every stock lookup with "14 UNAVAILABLE".
The inventory team renamed the container port of stock-grpc from "grpc" to "grpc-api" in the last
release; the Service still targets the named port "grpc", so its Endpoints are empty although all
stock-grpc pods are Running and Ready. No metrics kept.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(30*24*time.Hour))
	st := tmpl{labels: labelsApp("stock-grpc"), containers: []ctr{{name: "stock", image: "europe-west4-docker.pkg.dev/retail-prod/inventory/stock-grpc:2.14.0",
		ports: []obj{port("grpc-api", 50051), port("metrics", 9464)}, requests: res("250m", "256Mi"), limits: res("", "512Mi")}}}
	sa := s.app("inventory", "stock-grpc", 3, 3, s.ago(90*24*time.Hour), 27, st)
	for i := 0; i < 3; i++ {
		p := s.appPod(sa, i, nodes[i], "Running", s.ago(48*time.Minute), healthy("stock", s.ago(48*time.Minute)))
		if i == 0 {
			s.log("inventory/"+p+"/stock", every(s.ago(48*time.Minute), time.Second,
				gcl("INFO", "stock-grpc 2.14.0 listening", "addr", "0.0.0.0:50051"),
				gcl("INFO", "connected to Spanner", "database", "projects/retail-prod/instances/retail/databases/inventory"))...)
		}
	}
	s.event("inventory", "Deployment", "stock-grpc", "Normal", "ScalingReplicaSet", "Scaled up replica set "+sa.rs+" to 3", 1, s.ago(49*time.Minute), s.ago(49*time.Minute), "deployment-controller", "")
	s.service("inventory", "stock-grpc", st.labels, "grpc", 50051, "grpc", s.ago(90*24*time.Hour))
	pt := tmpl{labels: labelsApp("product-page"), containers: []ctr{{name: "web", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/product-page:12.3.0",
		ports: []obj{port("http", 3000)}, requests: res("300m", "384Mi"), limits: res("", "768Mi"), env: []obj{envVal("STOCK_ADDR", "stock-grpc.inventory.svc.cluster.local:50051")}}}}
	pa := s.app("storefront", "product-page", 2, 2, s.ago(20*24*time.Hour), 44, pt)
	pods := s.runningPods(pa, 2, nodes, s.ago(3*24*time.Hour))
	for _, p := range pods {
		s.log("storefront/"+p+"/web", repeat(s.ago(40*time.Minute), 45*time.Second, 50, func(j int, at time.Time) string {
			if j%6 == 5 {
				return fmt.Sprintf(`{"level":40,"time":%d,"pid":1,"hostname":"%s","msg":"stock unavailable, rendering product without availability","sku":"SKU-%d"}`, at.UnixMilli(), p, 81000+j)
			}
			return fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"%s","err":{"type":"Error","message":"14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED %s:50051","code":14},"msg":"stock lookup failed"}`, at.UnixMilli(), p, svcIP("inventory"+"stock-grpc"))
		})...)
	}
	s.setAlert(map[string]string{"alertname": "ProductPageStockErrors", "namespace": "storefront", "pod": pods[0], "severity": "critical", "grafana_folder": "Storefront"},
		map[string]string{"summary": "product-page stock lookups failing", "description": "More than 90% of stock lookups failed in the last 10 minutes"}, 35*time.Minute,
		`sum(rate(stock_lookup_errors_total{namespace="storefront"}[10m])) / sum(rate(stock_lookups_total{namespace="storefront"}[10m]))`, 1)
	s.expect("DependencyFailure", "inventory", "Service", "stock-grpc", "stock-grpc", "endpoints")
	return s
}

func memorystoreMaintenance() *scn {
	s := newScn("h9-memorystore-basic-tier-maintenance-sessions-down", utc(11, 27, 2, 20))
	s.source = "https://cloud.google.com/memorystore/docs/redis/maintenance-policy"
	s.description = `The session-gateway (Fastify, ioredis) loses its Memorystore for Redis instance: it is a
Basic Tier instance and its scheduled maintenance restarts it, so connections are refused for
several minutes and the cache is flushed. Nothing in the cluster changed. A noisy ioredis
"Unhandled error event" repeats the same cause. No metrics kept.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("session-gateway"), containers: []ctr{{name: "gateway", image: "europe-west4-docker.pkg.dev/retail-prod/identity/session-gateway:3.3.1",
		ports: []obj{port("http", 8080)}, requests: res("200m", "256Mi"), limits: res("", "512Mi"),
		env: []obj{envVal("REDIS_HOST", "sessions-redis.retail.internal"), envVal("REDIS_PORT", "6379")}}}}
	a := s.app("identity", "session-gateway", 2, 2, s.ago(20*24*time.Hour), 15, t)
	pods := s.runningPods(a, 2, nodes, s.ago(6*24*time.Hour))
	for _, p := range pods {
		s.log("identity/"+p+"/gateway", repeat(s.ago(9*time.Minute), 10*time.Second, 50, func(j int, at time.Time) string {
			ms := at.UnixMilli()
			switch {
			case j < 3:
				return fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"%s","reqId":"req-%d","res":{"statusCode":200},"responseTime":4.1,"msg":"request completed"}`, ms, p, 900+j)
			case j%4 == 0:
				return fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"%s","msg":"[ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.87.16.4:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)"}`, ms, p)
			case j%4 == 1:
				return fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"%s","reqId":"req-%d","err":{"type":"MaxRetriesPerRequestError","message":"Reached the max retries per request limit (which is 3). Refer to \"maxRetriesPerRequest\" option for details."},"msg":"session lookup failed"}`, ms, p, 900+j)
			default:
				return fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"%s","reqId":"req-%d","res":{"statusCode":503},"responseTime":1503.2,"msg":"request completed"}`, ms, p, 900+j)
			}
		})...)
	}
	s.setAlert(map[string]string{"alertname": "SessionGateway5xx", "namespace": "identity", "pod": pods[0], "severity": "critical", "source": "grafana"},
		map[string]string{"summary": "session-gateway returns 503 for most requests"}, 6*time.Minute,
		`sum(rate(http_requests_total{namespace="identity",service="session-gateway",status="503"}[2m])) / sum(rate(http_requests_total{namespace="identity",service="session-gateway"}[2m])) > 0.2`, 0.81)
	s.expect("DependencyFailure", "", "External", "sessions-redis.retail.internal", "Memorystore", "ECONNREFUSED")
	return s
}

func kubeDNSDnsmasqMaxQueries() *scn {
	s := newScn("h9-kube-dns-dnsmasq-max-concurrent-queries", utc(11, 28, 20, 5))
	s.source = "https://github.com/kubernetes/dns/issues/199"
	s.description = `recommendations-web (Flask on gunicorn) fails to resolve service names: "Temporary failure
in name resolution". kube-dns runs two replicas (its autoscaler ConfigMap was pinned to
min 2 during a cost review) and dnsmasq logs "Maximum number of concurrent DNS queries reached"
in both. The gunicorn worker timeout warnings follow from it.`
	nodes := s.nodes("pool-std", "e2-standard-8", false, 3, s.ago(30*24*time.Hour))
	dt := tmpl{labels: map[string]string{"k8s-app": "kube-dns"}, containers: []ctr{
		{name: "kubedns", image: "gke.gcr.io/k8s-dns-kube-dns:1.23.0-gke.9", requests: res("100m", "70Mi"), limits: res("", "210Mi")},
		{name: "dnsmasq", image: "gke.gcr.io/k8s-dns-dnsmasq-nanny:1.23.0-gke.9", args: []string{"-v=2", "-logtostderr", "-configDir=/etc/k8s/dns/dnsmasq-nanny", "-restartDnsmasq=true", "--", "-k", "--cache-size=1000", "--no-negcache", "--dns-forward-max=1500", "--log-facility=-", "--server=/cluster.local/127.0.0.1#10053"}, requests: res("150m", "20Mi")},
		{name: "sidecar", image: "gke.gcr.io/k8s-dns-sidecar:1.23.0-gke.9", requests: res("10m", "20Mi")}},
		extra: obj{"priorityClassName": "system-cluster-critical", "serviceAccountName": "kube-dns"}}
	da := s.app("kube-system", "kube-dns", 2, 2, s.ago(200*24*time.Hour), 11, dt)
	dns := s.runningPods(da, 2, nodes, s.ago(9*24*time.Hour))
	for _, p := range dns {
		s.log("kube-system/"+p+"/dnsmasq", repeat(s.ago(10*time.Minute), 10*time.Second, 60, func(j int, at time.Time) string {
			return fmt.Sprintf("I%s       1 nanny.go:146] dnsmasq[14]: Maximum number of concurrent DNS queries reached (max: 1500)", at.Format("0102 15:04:05.000000"))
		})...)
		s.log("kube-system/"+p+"/sidecar", repeat(s.ago(10*time.Minute), 40*time.Second, 15, func(j int, at time.Time) string {
			return fmt.Sprintf("W%s       1 server.go:64] Error getting metrics from dnsmasq: read udp 127.0.0.1:41235->127.0.0.1:53: i/o timeout", at.Format("0102 15:04:05.000000"))
		})...)
	}
	s.service("kube-system", "kube-dns", dt.labels, "dns", 53, 53, s.ago(200*24*time.Hour), dns...)
	s.add(obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": s.meta("ConfigMap", "kube-system", "kube-dns-autoscaler", nil, s.ago(200*24*time.Hour)),
		"data": map[string]string{"linear": `{"coresPerReplica":256,"includeUnschedulableNodes":true,"nodesPerReplica":16,"min":2,"max":2,"preventSinglePointFailure":true}`}})
	rt := tmpl{labels: labelsApp("recommendations-web"), containers: []ctr{{name: "web", image: "europe-west4-docker.pkg.dev/retail-prod/storefront/recommendations-web:4.9.2",
		command: []string{"gunicorn", "-w", "4", "-b", "0.0.0.0:8000", "--timeout", "30", "reco.wsgi:app"}, ports: []obj{port("http", 8000)}, requests: res("500m", "512Mi"), limits: res("", "1Gi")}}}
	ra := s.app("storefront", "recommendations-web", 6, 6, s.ago(40*24*time.Hour), 33, rt)
	web := s.runningPods(ra, 6, nodes, s.ago(2*24*time.Hour))
	s.log("storefront/"+web[0]+"/web", repeat(s.ago(10*time.Minute), 12*time.Second, 48, func(j int, at time.Time) string {
		switch j % 4 {
		case 0:
			return gcl("ERROR", `Exception on /v1/recommendations [GET]: requests.exceptions.ConnectionError: HTTPConnectionPool(host='catalog.storefront.svc.cluster.local', port=80): Max retries exceeded with url: /v1/items?ids=8812,9931 (Caused by NameResolutionError("<urllib3.connection.HTTPConnection object at 0x7f3a2c1d9e50>: Failed to resolve 'catalog.storefront.svc.cluster.local' ([Errno -3] Temporary failure in name resolution)"))`, "logger", "reco.app")
		case 1:
			return at.Format("[2006-01-02 15:04:05 +0000]") + " [1] [CRITICAL] WORKER TIMEOUT (pid:88)"
		case 2:
			return gcl("ERROR", `redis.exceptions.ConnectionError: Error -3 connecting to reco-cache.storefront.svc.cluster.local:6379. Temporary failure in name resolution.`, "logger", "reco.cache")
		default:
			return gcl("INFO", "GET /v1/recommendations 200", "latency_ms", "5400")
		}
	})...)
	m := newMetrics(s.now, 10*time.Minute)
	for _, p := range dns {
		m.counter("kubedns_dnsmasq_misses", "Number of DNS requests not answered from the cache.", `namespace="kube-system",pod="`+p+`"`, 8.8e7, wobble(26000, 900))
		m.counter("kubedns_dnsmasq_hits", "Number of DNS requests answered from the cache.", `namespace="kube-system",pod="`+p+`"`, 2.1e8, wobble(51000, 1500))
		m.counter("container_cpu_usage_seconds", "Cumulative cpu time consumed in seconds.", `namespace="kube-system",pod="`+p+`",container="dnsmasq"`, 9.1e4, wobble(14.6, 0.3))
	}
	m.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", `namespace="kube-system",deployment="kube-dns"`, flat(2))
	s.metrics = m
	s.setAlert(map[string]string{"alertname": "RecommendationsErrorRate", "namespace": "storefront", "pod": web[0], "severity": "critical", "cluster": "retail-prod-ew4"},
		map[string]string{"summary": "recommendations-web 5xx above 10%"}, 14*time.Minute,
		`sum(rate(flask_http_request_total{namespace="storefront",status=~"5.."}[5m])) / sum(rate(flask_http_request_total{namespace="storefront"}[5m])) > 0.1`, 0.37)
	s.expect("DNSFailure", "kube-system", "Deployment", "kube-dns", "kube-dns", "name resolution")
	return s
}

func cloudDNSPrivateZoneNotBound() *scn {
	s := newScn("h9-cloud-dns-private-zone-not-visible-to-cluster-vpc", utc(12, 15, 7, 50))
	s.source = "https://cloud.google.com/dns/docs/vpc-name-res-order"
	s.description = `The Sinatra otp-service cannot resolve otp-redis.retail.internal: the private Cloud DNS
zone retail.internal was recreated by the network team and bound only to the shared VPC of the
staging project, so from the cluster the name is NXDOMAIN ("getaddrinfo: Name or service not
known"). Other names resolve; kube-dns is healthy. No metrics kept, logs only.`
	nodes := s.nodes("pool-std", "e2-standard-4", false, 2, s.ago(30*24*time.Hour))
	t := tmpl{labels: labelsApp("otp-service"), containers: []ctr{{name: "web", image: "europe-west4-docker.pkg.dev/retail-prod/identity/otp-service:1.22.0",
		command: []string{"bundle", "exec", "puma", "-p", "4567"}, ports: []obj{port("http", 4567)}, requests: res("200m", "256Mi"), limits: res("", "512Mi"),
		env: []obj{envVal("REDIS_URL", "redis://otp-redis.retail.internal:6379/0")}}}}
	a := s.app("identity", "otp-service", 2, 2, s.ago(50*24*time.Hour), 12, t)
	pods := s.runningPods(a, 2, nodes, s.ago(4*24*time.Hour))
	for _, p := range pods {
		s.log("identity/"+p+"/web", repeat(s.ago(15*time.Minute), 20*time.Second, 45, func(j int, at time.Time) string {
			switch j % 3 {
			case 0:
				return fmt.Sprintf(`{"severity":"ERROR","message":"Redis::CannotConnectError: Error connecting to Redis on otp-redis.retail.internal:6379 (SocketError: getaddrinfo: Name or service not known)","path":"/v1/otp/verify","request_id":"%s"}`, suffix(p+fmt.Sprint(j), 12))
			case 1:
				return `10.52.3.1 - - [` + at.Format("02/Jan/2006:15:04:05 -0700") + `] "POST /v1/otp/verify HTTP/1.1" 500 30 0.0421`
			default:
				return `{"severity":"INFO","message":"sent OTP via sms-gateway.identity.svc.cluster.local","provider":"twilio"}`
			}
		})...)
	}
	s.setAlert(map[string]string{"alertname": "OTPVerifyFailures", "namespace": "identity", "pod": pods[0], "severity": "critical", "grafana_folder": "Identity"},
		map[string]string{"summary": "OTP verification failing for most users"}, 12*time.Minute,
		`sum(rate(otp_verify_total{namespace="identity",result="error"}[5m])) / sum(rate(otp_verify_total{namespace="identity"}[5m])) > 0.5`, 0.97)
	s.expect("DNSFailure", "", "External", "otp-redis.retail.internal", "otp-redis.retail.internal", "Name or service not known")
	return s
}
