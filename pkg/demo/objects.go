package demo

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// NodeName is the one node the demo's pods run on.
const NodeName = "aiops-demo-node"

// maxServedLogBytes is the tail of each log file served through the API.
const maxServedLogBytes = 8 << 20

// Objects renders the supervised containers as the Kubernetes objects a
// cluster would hold for them: Node, Deployments, ReplicaSets, Pods with
// full status, Services, Endpoints and Events.
func Objects(pods []ContainerStatus, events []EventRecord, now time.Time) ([]kubeapi.Object, error) {
	var typed []runtime.Object
	oldest := now
	for _, p := range pods {
		if p.Created.Before(oldest) {
			oldest = p.Created
		}
	}
	typed = append(typed, node(oldest, now))
	uids := map[string]types.UID{}
	for _, p := range pods {
		dep, rs, pod := workload(p, now)
		uids[p.Spec.Pod] = pod.UID
		typed = append(typed, dep, rs, pod)
		if p.Spec.Port > 0 {
			svc, eps := service(p)
			typed = append(typed, svc, eps)
		}
	}
	for i, e := range events {
		typed = append(typed, event(i, e, uids[e.Pod]))
	}
	objs, err := kubeapi.FromTyped(typed...)
	if err != nil {
		return nil, fmt.Errorf("render objects: %w", err)
	}
	return objs, nil
}

// Logs loads the containers' log files (current and previous runs) for the
// API's log endpoint.
func Logs(k *Kubelet, pods []ContainerStatus) (*kubeapi.Logs, error) {
	logs := kubeapi.NewLogs()
	for _, p := range pods {
		for _, previous := range []bool{false, true} {
			data, err := readTail(k.LogPath(p.Spec, previous), maxServedLogBytes)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if err := logs.Put(p.Spec.Namespace, p.Spec.Pod, p.Spec.Container, previous, data); err != nil {
				return nil, fmt.Errorf("log of %s/%s: %w", p.Spec.Pod, p.Spec.Container, err)
			}
		}
	}
	return logs, nil
}

// readTail reads the last limit bytes of a file, from a line start.
func readTail(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	offset := max(info.Size()-limit, 0)
	buf := make([]byte, info.Size()-offset)
	if _, err := f.ReadAt(buf, offset); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if offset > 0 {
		if i := strings.IndexByte(string(buf), '\n'); i >= 0 {
			buf = buf[i+1:]
		}
	}
	// A line still being written has no newline yet and is left for later.
	if i := strings.LastIndexByte(string(buf), '\n'); i >= 0 {
		buf = buf[:i+1]
	} else {
		buf = nil
	}
	return buf, nil
}

func node(created, now time.Time) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: NodeName, UID: uid("node", NodeName),
			CreationTimestamp: metav1.NewTime(created),
			Labels:            map[string]string{"kubernetes.io/hostname": NodeName, "kubernetes.io/os": "linux"}},
		Status: corev1.NodeStatus{
			Conditions: []corev1.NodeCondition{
				{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
					Message: "kubelet is posting ready status", LastHeartbeatTime: metav1.NewTime(now), LastTransitionTime: metav1.NewTime(created)},
				{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientMemory",
					LastHeartbeatTime: metav1.NewTime(now), LastTransitionTime: metav1.NewTime(created)},
			},
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "127.0.0.1"}},
		},
	}
}

func workload(p ContainerStatus, now time.Time) (*appsv1.Deployment, *appsv1.ReplicaSet, *corev1.Pod) {
	s := p.Spec
	created := metav1.NewTime(p.Created)
	hash := strings.TrimPrefix(s.Pod[:max(strings.LastIndexByte(s.Pod, '-'), 0)], s.App+"-")
	labels := map[string]string{"app": s.App}
	podLabels := map[string]string{"app": s.App, "pod-template-hash": hash}
	template := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec:       podSpec(s),
	}
	one := int32(1)
	ready := int32(0)
	if p.Ready {
		ready = 1
	}
	depUID := uid("deployment", s.Namespace, s.App)
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: s.App, Namespace: s.Namespace, UID: depUID, Labels: labels,
			CreationTimestamp: created, Generation: 1,
			Annotations: map[string]string{"deployment.kubernetes.io/revision": "1"}},
		Spec: appsv1.DeploymentSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: labels}, Template: template},
		Status: appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 1, UpdatedReplicas: 1,
			ReadyReplicas: ready, AvailableReplicas: ready, UnavailableReplicas: 1 - ready,
			Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentAvailable,
				Status: boolCondition(ready == 1), LastUpdateTime: metav1.NewTime(now), LastTransitionTime: created}}},
	}
	rsName := s.App + "-" + hash
	rsUID := uid("replicaset", s.Namespace, rsName)
	rsTemplate := template.DeepCopy()
	rsTemplate.Labels = podLabels
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: rsName, Namespace: s.Namespace, UID: rsUID, Labels: podLabels,
			CreationTimestamp: created, Generation: 1,
			Annotations:     map[string]string{"deployment.kubernetes.io/revision": "1"},
			OwnerReferences: []metav1.OwnerReference{owner("apps/v1", "Deployment", s.App, depUID)}},
		Spec: appsv1.ReplicaSetSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: podLabels}, Template: *rsTemplate},
		Status: appsv1.ReplicaSetStatus{Replicas: 1, FullyLabeledReplicas: 1, ReadyReplicas: ready,
			AvailableReplicas: ready, ObservedGeneration: 1},
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: s.Pod, Namespace: s.Namespace, UID: uid("pod", s.Namespace, s.Pod),
			Labels: podLabels, CreationTimestamp: created,
			OwnerReferences: []metav1.OwnerReference{owner("apps/v1", "ReplicaSet", rsName, rsUID)}},
		Spec:   podSpec(s),
		Status: podStatus(p),
	}
	pod.Spec.NodeName = NodeName
	return dep, rs, pod
}

func podSpec(s ContainerSpec) corev1.PodSpec {
	c := corev1.Container{Name: s.Container, Image: "aiops-demo/" + s.App + ":dev",
		ImagePullPolicy: corev1.PullNever, Args: s.Args}
	for _, kv := range s.Env {
		name, value, _ := strings.Cut(kv, "=")
		if s.SecretEnv[name] {
			c.Env = append(c.Env, corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{
				SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: s.App}, Key: strings.ToLower(name)}}})
			continue
		}
		c.Env = append(c.Env, corev1.EnvVar{Name: name, Value: value})
	}
	if s.Port > 0 {
		c.Ports = []corev1.ContainerPort{{Name: "http", ContainerPort: int32(s.Port), Protocol: corev1.ProtocolTCP}}
	}
	if s.ReadinessPath != "" && s.Port > 0 {
		c.ReadinessProbe = &corev1.Probe{
			ProbeHandler:   corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: s.ReadinessPath, Port: intstr.FromString("http")}},
			TimeoutSeconds: 1, PeriodSeconds: 5, FailureThreshold: 3, SuccessThreshold: 1,
		}
	}
	if s.MemoryLimit > 0 {
		q := resource.NewQuantity(s.MemoryLimit, resource.BinarySI)
		c.Resources = corev1.ResourceRequirements{
			Limits:   corev1.ResourceList{corev1.ResourceMemory: *q},
			Requests: corev1.ResourceList{corev1.ResourceMemory: *q},
		}
	}
	return corev1.PodSpec{Containers: []corev1.Container{c}, RestartPolicy: corev1.RestartPolicyAlways}
}

func podStatus(p ContainerStatus) corev1.PodStatus {
	s := p.Spec
	cs := corev1.ContainerStatus{Name: s.Container, Image: "aiops-demo/" + s.App + ":dev",
		ImageID: "aiops-demo/" + s.App + "@local", RestartCount: int32(p.Restarts), Ready: p.Ready}
	started := p.Running
	cs.Started = &started
	switch {
	case p.Running:
		cs.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(p.StartedAt)}
		cs.ContainerID = "demo://" + s.Pod + "-" + strconv.Itoa(p.Restarts)
	default:
		cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: p.Waiting, Message: p.WaitingMessage}
	}
	if p.Last != nil {
		cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{
			Reason: p.Last.Reason, ExitCode: int32(p.Last.ExitCode), Message: p.Last.Message,
			StartedAt: metav1.NewTime(p.Last.StartedAt), FinishedAt: metav1.NewTime(p.Last.FinishedAt),
			ContainerID: "demo://" + s.Pod + "-" + strconv.Itoa(p.Restarts-1)}
	}
	created := metav1.NewTime(p.Created)
	readySince := created
	if !p.ReadySince.IsZero() {
		readySince = metav1.NewTime(p.ReadySince)
	}
	readyReason := ""
	if !p.Ready {
		readyReason = "ContainersNotReady"
	}
	return corev1.PodStatus{
		Phase: corev1.PodRunning, HostIP: "127.0.0.1", PodIP: "127.0.0.1", StartTime: &created,
		QOSClass: corev1.PodQOSBurstable,
		Conditions: []corev1.PodCondition{
			{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: created},
			{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, LastTransitionTime: created},
			{Type: corev1.ContainersReady, Status: boolCondition(p.Ready), Reason: readyReason, LastTransitionTime: readySince},
			{Type: corev1.PodReady, Status: boolCondition(p.Ready), Reason: readyReason, LastTransitionTime: readySince},
		},
		ContainerStatuses: []corev1.ContainerStatus{cs},
	}
}

func service(p ContainerStatus) (*corev1.Service, *corev1.Endpoints) {
	s := p.Spec
	labels := map[string]string{"app": s.App}
	port := corev1.ServicePort{Name: "http", Port: int32(s.Port), TargetPort: intstr.FromInt32(int32(s.Port)), Protocol: corev1.ProtocolTCP}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: s.App, Namespace: s.Namespace, UID: uid("service", s.Namespace, s.App),
			Labels: labels, CreationTimestamp: metav1.NewTime(p.Created)},
		Spec: corev1.ServiceSpec{Selector: labels, Ports: []corev1.ServicePort{port}, ClusterIP: "127.0.0.1",
			Type: corev1.ServiceTypeClusterIP},
	}
	addr := corev1.EndpointAddress{IP: "127.0.0.1", NodeName: ptr(NodeName),
		TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: s.Namespace, Name: s.Pod}}
	subset := corev1.EndpointSubset{Ports: []corev1.EndpointPort{{Name: "http", Port: int32(s.Port), Protocol: corev1.ProtocolTCP}}}
	if p.Ready {
		subset.Addresses = []corev1.EndpointAddress{addr}
	} else {
		subset.NotReadyAddresses = []corev1.EndpointAddress{addr}
	}
	eps := &corev1.Endpoints{
		ObjectMeta: metav1.ObjectMeta{Name: s.App, Namespace: s.Namespace, UID: uid("endpoints", s.Namespace, s.App),
			Labels: labels, CreationTimestamp: metav1.NewTime(p.Created)},
		Subsets: []corev1.EndpointSubset{subset},
	}
	return svc, eps
}

func event(i int, e EventRecord, podUID types.UID) *corev1.Event {
	name := fmt.Sprintf("%s.%x", e.Pod, e.First.UnixNano()+int64(i))
	return &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: e.Namespace, UID: uid("event", e.Namespace, name),
			CreationTimestamp: metav1.NewTime(e.First)},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: e.Namespace, Name: e.Pod, UID: podUID, APIVersion: "v1"},
		Reason:         e.Reason, Message: e.Message, Type: e.Type, Count: int32(e.Count),
		FirstTimestamp: metav1.NewTime(e.First), LastTimestamp: metav1.NewTime(e.Last),
		Source:              corev1.EventSource{Component: "kubelet", Host: NodeName},
		ReportingController: "kubelet", ReportingInstance: NodeName,
	}
}

func owner(apiVersion, kind, name string, id types.UID) metav1.OwnerReference {
	yes := true
	return metav1.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: name, UID: id, Controller: &yes, BlockOwnerDeletion: &yes}
}

// uid is stable per object, so repeated snapshots describe the same objects.
func uid(parts ...string) types.UID {
	h := podTemplateHash(parts...) + podTemplateHash(append(parts, "uid")...)
	return types.UID(h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:18] + "00-000000000000")
}

func boolCondition(b bool) corev1.ConditionStatus {
	if b {
		return corev1.ConditionTrue
	}
	return corev1.ConditionFalse
}

func ptr[T any](v T) *T { return &v }
