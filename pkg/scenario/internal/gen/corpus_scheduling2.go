package main

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func schedulingScenarios2() []definition {
	return []definition{
		{"unschedulable-gpu-taint-not-tolerated", unschedulableTaint},
		{"unschedulable-unbound-pvc-kafka", unschedulablePVC},
		{"node-memory-pressure-evictions", nodeMemoryPressure},
		{"node-not-ready-rabbitmq", nodeNotReady},
	}
}

// GPU pods select g5 nodes but do not tolerate their taint.
func unschedulableTaint(b *builder) {
	b.setup("2026-11-05T14:12:00Z", 35)
	b.describe(`ml-inference moved to GPU nodes with a nodeSelector on instance type g5.xlarge,
but the pod template lacks the toleration for the nodes' nvidia.com/gpu taint. The new
pods stay Pending: "had untolerated taint {nvidia.com/gpu: present}".`)
	general := b.cluster(3, "m6i.xlarge", "general")
	gpus := b.cluster(2, "g5.xlarge", "gpu")
	for _, g := range gpus {
		g.taints = []corev1.Taint{{Key: "nvidia.com/gpu", Value: "present", Effect: corev1.TaintEffectNoSchedule}}
	}
	spec := b.podSpec("ml-inference", ctrSpec{name: "server", image: b.ecr("ml/inference-server", "0.9.2"), port: 8000,
		cpuReq: "2", memReq: "8Gi", memLim: "12Gi"})
	w := b.deployment("ml", "ml-inference", 2, b.at(days(45)), spec)
	old := w.revision(5, b.at(days(10)), nil)
	cur := w.revision(6, b.at(21*time.Minute), func(s *corev1.PodSpec) {
		s.NodeSelector = map[string]string{"node.kubernetes.io/instance-type": "g5.xlarge"}
		s.Containers[0].Resources.Limits["nvidia.com/gpu"] = resource.MustParse("1")
		s.Containers[0].Resources.Requests["nvidia.com/gpu"] = resource.MustParse("1")
	})
	op := old.pod(general[0], b.at(days(10)))
	op.ctr("server").logs = quietStartup(b, slogStyle, "ml-inference", "0.9.1")
	msg := "0/5 nodes are available: 2 node(s) had untolerated taint {nvidia.com/gpu: present}, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling."
	var alertPod *podPlan
	for i := 0; i < 2; i++ {
		p := cur.pod(nil, b.at(21*time.Minute-time.Duration(i)*time.Second))
		p.pending = msg
		b.schedulerEvent(p, "Warning", "FailedScheduling", "Scheduling", msg, p.created.Add(200*time.Millisecond), b.at(20*time.Second), 19)
		if i == 0 {
			alertPod = p
		}
	}
	_ = gpus
	b.alert(alertSpec{
		labels:      podAlert("KubePodNotReady", "ml", alertPod.name, "", "warning"),
		summary:     "Pod has been in a non-ready state for more than 15 minutes.",
		description: fmt.Sprintf("Pod ml/%s has been in a non-ready state for longer than 15 minutes on cluster .", alertPod.name),
		runbook:     runbooks + "kubepodnotready",
		startsAt:    b.at(6 * time.Minute),
		query:       `sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown|Failed"})) > 0`,
		value:       1,
	})
	b.expect("Unschedulable", "ml", "Deployment", "ml-inference", "untolerated taint", "nvidia.com/gpu")
}

// kafka-2's volume cannot be provisioned: the EBS CSI role may not use the KMS key.
func unschedulablePVC(b *builder) {
	b.setup("2026-11-11T06:20:00Z", 35)
	b.describe(`The kafka StatefulSet was scaled from 2 to 3 replicas. The volume of kafka-2
(PVC data-kafka-2, StorageClass gp3-encrypted) cannot be provisioned: the EBS CSI
driver's role is not allowed to use the KMS key. The claim stays Pending and so does
the pod: "pod has unbound immediate PersistentVolumeClaims".`)
	nodes := b.cluster(3, "r6i.large", "data")
	spec := b.podSpec("kafka", ctrSpec{name: "kafka", image: "bitnami/kafka:3.8.1", port: 9092, portName: "client",
		cpuReq: "500m", memReq: "2Gi", memLim: "3Gi", mounts: []corev1.VolumeMount{{Name: "data", MountPath: "/bitnami/kafka"}}})
	w := b.workload("StatefulSet", "streaming", "kafka", 3, b.at(days(200)), spec)
	w.volumeSize = "100Gi"
	for i := 0; i < 2; i++ {
		p := w.pod(nodes[i], b.at(days(15)-time.Duration(i)*2*time.Minute), i)
		p.ctr("kafka").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 2*time.Minute, emit, func(t time.Time, k int) string {
				return fmt.Sprintf("[%s] INFO [Log partition=orders-%d, dir=/bitnami/kafka/data] Rolled new log segment at offset %d in 2 ms. (kafka.log.LocalLog)", t.UTC().Format("2006-01-02 15:04:05,000"), k%12, 4000000+k*1337)
			})
		}
		b.pvc("streaming", fmt.Sprintf("data-kafka-%d", i), "100Gi", b.at(days(200)), nodes[i], 41e9, 41.3e9, b.at(35*time.Minute), b.now)
	}
	p := w.pod(nil, b.at(23*time.Minute), 2)
	msg := "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
	p.pending = msg
	b.schedulerEvent(p, "Warning", "FailedScheduling", "Scheduling", msg, p.created.Add(100*time.Millisecond), b.at(30*time.Second), 14)
	pvcUID := b.uid()
	claim := &corev1.PersistentVolumeClaim{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: metav1.ObjectMeta{Name: "data-kafka-2", Namespace: "streaming", UID: k8sUID(pvcUID), CreationTimestamp: metav1.NewTime(p.created),
			Labels:      map[string]string{"app.kubernetes.io/name": "kafka"},
			Annotations: map[string]string{"volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com", "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com"},
			Finalizers:  []string{"kubernetes.io/pvc-protection"}, ResourceVersion: fmt.Sprint(30000000 + b.rng.IntN(9000000))},
		Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}, StorageClassName: ptr("gp3-encrypted"),
			VolumeMode: ptr(corev1.PersistentVolumeFilesystem),
			Resources:  corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("100Gi")}}},
		Status: corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimPending},
	}
	b.extraObjects = append(b.extraObjects, kubeObject{"volumes.yaml", claim})
	ref := corev1.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: "streaming", Name: "data-kafka-2", UID: k8sUID(pvcUID), APIVersion: "v1"}
	b.repeat(ref, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "streaming/data-kafka-2"`, "ebs.csi.aws.com_ebs-csi-controller-6c8d9b7f4-2xk8p_"+b.uid(), "", p.created.Add(time.Second), b.now, 2*time.Minute)
	b.repeat(ref, "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "gp3-encrypted": rpc error: code = Internal desc = Could not create volume "pvc-`+pvcUID+`": could not create volume in EC2: operation error EC2: CreateVolume, https response error StatusCode: 400, RequestID: `+b.uid()+`, api error InvalidParameterValue: User: arn:aws:sts::412345678901:assumed-role/AmazonEKS_EBS_CSI_DriverRole/1731305211493853204 is not authorized to perform: kms:CreateGrant on resource: arn:aws:kms:eu-west-1:412345678901:key/`+b.uid(), "ebs.csi.aws.com_ebs-csi-controller-6c8d9b7f4-2xk8p_"+b.uid(), "", p.created.Add(4*time.Second), b.now, 2*time.Minute)
	b.event(w.ref(), "Normal", "SuccessfulCreate", "create Claim data-kafka-2 Pod kafka-2 in StatefulSet kafka success", "statefulset-controller", "", p.created)
	b.event(w.ref(), "Normal", "SuccessfulCreate", "create Pod kafka-2 in StatefulSet kafka successful", "statefulset-controller", "", p.created)
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "KubeStatefulSetReplicasMismatch", "namespace": "streaming", "statefulset": "kafka", "severity": "warning", "job": "kube-state-metrics"},
		summary:     "StatefulSet has not matched the expected number of replicas.",
		description: "StatefulSet streaming/kafka has not matched the expected number of replicas for longer than 15 minutes.",
		runbook:     runbooks + "kubestatefulsetreplicasmismatch",
		startsAt:    b.at(7 * time.Minute),
		query:       `(kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_replicas{job="kube-state-metrics"})`,
		value:       2,
	})
	// DESIGN's entity rule: an unbound volume is its PersistentVolumeClaim.
	b.expect("Unschedulable", "streaming", "PersistentVolumeClaim", "data-kafka-2", "unbound", "data-kafka-2")
}

// A batch importer without a memory limit fills a node; the kubelet evicts
// pods, among them a checkout replica.
func nodeMemoryPressure(b *builder) {
	b.setup("2026-11-07T02:44:00Z", 45)
	b.describe(`A nightly catalog-importer pod without a memory limit grows to ~5.9Gi on node
ip-10-0-…; the node reports MemoryPressure and the kubelet evicts pods to reclaim
memory, including a checkout replica. The alert is about that evicted checkout pod;
the cause is the node's memory pressure.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	hot := nodes[1]
	pressure := b.at(16 * time.Minute)
	hot.condition("MemoryPressure", "True", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available", pressure)
	hot.taints = []corev1.Taint{{Key: "node.kubernetes.io/memory-pressure", Effect: corev1.TaintEffectNoSchedule, TimeAdded: ptrTime(pressure)}}
	importerSpec := b.podSpec("catalog-importer", ctrSpec{name: "importer", image: b.ecr("shop/catalog-importer", "3.0.2"), cpuReq: "250m"})
	imp := b.deployment("batch", "catalog-importer", 1, b.at(days(60)), importerSpec)
	ip := imp.revision(4, b.at(days(20)), nil).pod(hot, b.at(50*time.Minute))
	ic := ip.ctr("importer")
	ic.memGrowth(mi(300), mi(5900), 49*time.Minute)
	ic.logs = func(r run, _ int, emit func(time.Time, string)) {
		every(b, r, 10*time.Second, 30*time.Second, emit, func(t time.Time, k int) string {
			return pyLog(t, "INFO", "importer", fmt.Sprintf("imported batch %d (%d products), cache=%d entries", k, 5000, (k+1)*5000))
		})
	}
	spec := b.podSpec("checkout", ctrSpec{name: "checkout", image: b.ecr("shop/checkout", "8.1.0"), port: 8080,
		cpuReq: "250m", memReq: "512Mi", memLim: "768Mi", readiness: httpProbe("/ready", 8080, 5, 5, 1, 3)})
	w := b.deployment("shop", "checkout", 3, b.at(days(300)), spec)
	rev := w.revision(61, b.at(days(4)), nil)
	var evicted *podPlan
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(4)-time.Duration(i)*time.Minute))
		p.ctr("checkout").logs = quietStartup(b, slogStyle, "checkout", "8.1.0")
		p.http = b.webTraffic("checkout", 8080, 6, 0.03)
		if n == hot {
			evicted = p
		}
	}
	evictAt := pressure.Add(75 * time.Second)
	evicted.phase, evicted.reason, evicted.failedAt = "Failed", "Evicted", evictAt
	evicted.message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 86212Ki. Container checkout was using 402716Ki, request is 512Mi, has larger consumption of memory."
	c := evicted.ctr("checkout")
	c.runs[0].end, c.runs[0].reason, c.runs[0].exit = evictAt, "Error", 137
	evicted.kubeletEvent("Warning", "Evicted", evicted.message, "", evictAt)
	evicted.kubeletEvent("Normal", "Killing", "Stopping container checkout", "spec.containers{checkout}", evictAt.Add(100*time.Millisecond))
	nodeRef := corev1.ObjectReference{Kind: "Node", Name: hot.name, UID: k8sUID(hot.name)}
	b.repeat(nodeRef, "Warning", "EvictionThresholdMet", "Attempting to reclaim memory", "kubelet", hot.name, pressure, b.now, 50*time.Second)
	b.event(nodeRef, "Normal", "NodeHasInsufficientMemory", fmt.Sprintf("Node %s status is now: NodeHasInsufficientMemory", hot.name), "kubelet", hot.name, pressure)
	repl := rev.pod(nodes[2], evictAt.Add(2*time.Second))
	repl.ctr("checkout").logs = quietStartup(b, slogStyle, "checkout", "8.1.0")
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      podAlert("KubePodNotReady", "shop", evicted.name, "", "warning"),
		summary:     "Pod has been in a non-ready state for more than 15 minutes.",
		description: fmt.Sprintf("Pod shop/%s has been in a non-ready state for longer than 15 minutes on cluster .", evicted.name),
		runbook:     runbooks + "kubepodnotready",
		startsAt:    b.at(time.Minute),
		query:       `sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown|Failed"})) > 0`,
		value:       1,
	})
	b.expect("NodePressure", "", "Node", hot.name, "MemoryPressure", "Evicted")
}

// A node stops posting status (kubelet hung after a kernel soft lockup); the
// rabbitmq replica on it becomes unready.
func nodeNotReady(b *builder) {
	b.setup("2026-11-21T23:58:00Z", 40)
	b.describe(`Node ip-… stopped posting status (Ready=Unknown, "Kubelet stopped posting node
status") 12 minutes ago. Its pods, among them rabbitmq-1 of the messaging StatefulSet,
are marked not ready and the unreachable taint is applied. The StatefulSet alert fires;
the cause is the node.`)
	nodes := b.cluster(3, "m6i.xlarge", "data")
	dead := nodes[1]
	down := b.at(12 * time.Minute)
	for _, typ := range []string{"MemoryPressure", "DiskPressure", "PIDPressure", "Ready"} {
		dead.condition(typ, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", down.Add(40*time.Second))
	}
	dead.taints = []corev1.Taint{
		{Key: "node.kubernetes.io/unreachable", Effect: corev1.TaintEffectNoSchedule, TimeAdded: ptrTime(down.Add(40 * time.Second))},
		{Key: "node.kubernetes.io/unreachable", Effect: corev1.TaintEffectNoExecute, TimeAdded: ptrTime(down.Add(45 * time.Second))},
	}
	spec := b.podSpec("rabbitmq", ctrSpec{name: "rabbitmq", image: "rabbitmq:3.13.7-management", port: 5672, portName: "amqp",
		cpuReq: "500m", memReq: "1Gi", memLim: "2Gi", readiness: execProbe([]string{"rabbitmq-diagnostics", "-q", "check_running"}, 10, 5, 3)})
	w := b.workload("StatefulSet", "messaging", "rabbitmq", 3, b.at(days(500)), spec)
	var victim *podPlan
	for i, n := range nodes {
		p := w.pod(n, b.at(days(33)-time.Duration(i)*3*time.Minute), i)
		p.ctr("rabbitmq").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 90*time.Second, emit, func(t time.Time, k int) string {
				if n == dead && t.After(down) {
					return ""
				}
				if k%3 == 0 && n != dead && t.After(down.Add(30*time.Second)) {
					return fmt.Sprintf("%s [warning] <0.%d.0> rabbit on node 'rabbit@rabbitmq-1.rabbitmq-headless.messaging.svc.cluster.local' down: net_tick_timeout", t.UTC().Format("2006-01-02 15:04:05.000000+00:00"), 900+k)
				}
				return fmt.Sprintf("%s [info] <0.%d.0> accepting AMQP connection 10.0.%d.%d:%d -> 10.0.40.12:5672", t.UTC().Format("2006-01-02 15:04:05.000000+00:00"), 1200+k, 40+k%20, 2+k%200, 40000+k)
			})
		}
		if n == dead {
			victim = p
			p.ctr("rabbitmq").unreadySince = down.Add(40 * time.Second)
		}
	}
	nodeRef := corev1.ObjectReference{Kind: "Node", Name: dead.name, UID: k8sUID(dead.name)}
	b.event(nodeRef, "Normal", "NodeNotReady", fmt.Sprintf("Node %s status is now: NodeNotReady", dead.name), "node-controller", "", down.Add(40*time.Second))
	b.event(victim.entityRef(), "Warning", "NodeNotReady", "Node is not ready", "node-controller", "", down.Add(41*time.Second))
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "KubeStatefulSetReplicasMismatch", "namespace": "messaging", "statefulset": "rabbitmq", "severity": "warning", "job": "kube-state-metrics"},
		summary:     "StatefulSet has not matched the expected number of replicas.",
		description: "StatefulSet messaging/rabbitmq has not matched the expected number of replicas for longer than 15 minutes.",
		runbook:     runbooks + "kubestatefulsetreplicasmismatch",
		startsAt:    b.at(90 * time.Second),
		query:       `(kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_replicas{job="kube-state-metrics"})`,
		value:       2,
	})
	b.expect("NodePressure", "", "Node", dead.name, "NotReady", dead.name)
}
