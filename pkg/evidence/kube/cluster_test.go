package kube

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/rest"

	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// The test cluster's clock: the alert fired at startsAt, evaluated at now.
var (
	startsAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	now      = startsAt.Add(3 * time.Minute)
)

func ts(d time.Duration) metav1.Time { return metav1.NewTime(startsAt.Add(d)) }

func ptr[T any](v T) *T { return &v }

func ctrl(kind, name string) []metav1.OwnerReference {
	api := "apps/v1"
	if kind == "Job" || kind == "CronJob" {
		api = "batch/v1"
	}
	return []metav1.OwnerReference{{APIVersion: api, Kind: kind, Name: name, UID: types.UID("uid-" + name), Controller: ptr(true)}}
}

func container(name string) corev1.Container {
	return corev1.Container{
		Name: name, Image: "shop/" + name + ":1.4.0",
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("128Mi")},
		},
		LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}},
			PeriodSeconds: 10, FailureThreshold: 3},
		Env:     []corev1.EnvVar{{Name: "DB_PASSWORD", Value: "hunter2"}, {Name: "API_KEY", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "api"}, Key: "k"}}}},
		EnvFrom: []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "order-config"}}}},
	}
}

func runningStatus(name string, restarts int32) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, Ready: true, RestartCount: restarts, Image: "shop/" + name + ":1.4.0",
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: ts(-time.Hour)}}}
}

// orderPod is a healthy pod of the order Deployment's newest ReplicaSet.
func orderPod(i int, node string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("order-7d9c5fb8c-%05d", i), Namespace: "shop",
			Labels: map[string]string{"app": "order", "pod-template-hash": "7d9c5fb8c"}, OwnerReferences: ctrl("ReplicaSet", "order-7d9c5fb8c"),
			CreationTimestamp: ts(-time.Hour)},
		Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{container("order")}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: fmt.Sprintf("10.1.0.%d", i+1), StartTime: ptr(ts(-time.Hour)),
			Conditions:        []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}},
			ContainerStatuses: []corev1.ContainerStatus{runningStatus("order", 0)}},
	}
}

// crashingPod is an order pod OOMKilled four times, now in back-off.
func crashingPod() *corev1.Pod {
	p := orderPod(99, "node-a")
	p.Name = "order-7d9c5fb8c-xcrsh"
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady"}}
	p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "order", RestartCount: 4, Image: "shop/order:1.4.0",
		State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 40s"}},
		LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "OOMKilled", ExitCode: 137,
			StartedAt: ts(-2 * time.Minute), FinishedAt: ts(-30 * time.Second)}}}}
	return p
}

func replicaSet(name string, rev int, created time.Duration, image string) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop", CreationTimestamp: ts(created), OwnerReferences: ctrl("Deployment", "order"),
			Labels:      map[string]string{"app": "order"},
			Annotations: map[string]string{"deployment.kubernetes.io/revision": fmt.Sprint(rev), "kubernetes.io/change-cause": "image " + image}},
		Spec: appsv1.ReplicaSetSpec{Replicas: ptr(int32(12)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "order"}},
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "order", Image: image}}}}},
	}
}

// testCluster is a small cluster with one incident: the order Deployment of
// namespace shop (12 pods, one OOMKilled in a crash loop after a rollout 20
// minutes before the alert), a Service in front of it, a StatefulSet, a
// CronJob whose Job failed, two nodes (one under memory pressure) and events
// in both shapes.
func testCluster(t testing.TB) []kubeapi.Object {
	t.Helper()
	objs := []runtime.Object{
		&appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: "order", Namespace: "shop", CreationTimestamp: ts(-48 * time.Hour)},
			Spec: appsv1.DeploymentSpec{Replicas: ptr(int32(12)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "order"}},
				Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{container("order")}}}},
			Status: appsv1.DeploymentStatus{ReadyReplicas: 11, AvailableReplicas: 11, UpdatedReplicas: 12,
				Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "NewReplicaSetAvailable"}}},
		},
		replicaSet("order-5f6d7c8b9", 1, -30*time.Hour, "shop/order:1.2.0"),
		replicaSet("order-6b7c8d9f5", 2, -5*time.Hour, "shop/order:1.3.0"),
		replicaSet("order-7d9c5fb8c", 3, -20*time.Minute, "shop/order:1.4.0"),
		// An autoscaler named unlike the workload it scales, and one scaling
		// a kind the resolver does not read.
		&autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Name: "order-autoscaler", Namespace: "shop"},
			Spec: autoscalingv2.HorizontalPodAutoscalerSpec{MinReplicas: ptr(int32(4)), MaxReplicas: 12,
				ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "order"}},
			Status: autoscalingv2.HorizontalPodAutoscalerStatus{CurrentReplicas: 12, DesiredReplicas: 12}},
		&autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Name: "widgets", Namespace: "shop"},
			Spec: autoscalingv2.HorizontalPodAutoscalerSpec{MaxReplicas: 3,
				ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "example.com/v1", Kind: "Widget", Name: "w"}}},
		// A pod of another app whose labels overlap must not be taken for an order pod.
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "order-debug", Namespace: "shop", Labels: map[string]string{"app": "order"}},
			Spec:   corev1.PodSpec{NodeName: "node-b", Containers: []corev1.Container{{Name: "sh", Image: "busybox"}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.1.1.1"}},
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "order-svc", Namespace: "shop"},
			Spec: corev1.ServiceSpec{Selector: map[string]string{"app": "order"}, Ports: []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(8080)}}}},
		&discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Name: "order-svc-abc", Namespace: "shop", Labels: map[string]string{discoveryv1.LabelServiceName: "order-svc"}},
			AddressType: discoveryv1.AddressTypeIPv4,
			Endpoints: []discoveryv1.Endpoint{{Addresses: []string{"10.1.0.1"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr(true)}},
				{Addresses: []string{"10.1.0.100"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr(false)}}}},
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-a"},
			Spec: corev1.NodeSpec{Taints: []corev1.Taint{{Key: "node.kubernetes.io/memory-pressure", Effect: corev1.TaintEffectNoSchedule}}},
			Status: corev1.NodeStatus{
				Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady"},
					{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionTrue, Reason: "KubeletHasInsufficientMemory"}},
				Allocatable: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1930m"), corev1.ResourceMemory: resource.MustParse("7Gi")},
				Addresses:   []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "192.168.1.10"}}}},
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-b"},
			Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}},
				Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "192.168.1.11"}}}},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "crash.1", Namespace: "shop"},
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: "order-7d9c5fb8c-xcrsh"},
			Reason:         "BackOff", Message: "Back-off restarting failed container order", Type: "Warning", Count: 9,
			FirstTimestamp: ts(-90 * time.Second), LastTimestamp: ts(2 * time.Minute), Source: corev1.EventSource{Component: "kubelet", Host: "node-a"}},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "old.1", Namespace: "shop"},
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: "order-7d9c5fb8c-xcrsh"},
			Reason:         "Pulled", Message: "long ago", Type: "Normal", Count: 1, FirstTimestamp: ts(-10 * time.Hour), LastTimestamp: ts(-10 * time.Hour)},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "order-autoscaler.1", Namespace: "shop"},
			InvolvedObject: corev1.ObjectReference{Kind: "HorizontalPodAutoscaler", Namespace: "shop", Name: "order-autoscaler"},
			Reason:         "ScalingLimited", Message: "the desired replica count is more than the maximum replica count", Type: "Warning", Count: 6,
			FirstTimestamp: ts(-15 * time.Minute), LastTimestamp: ts(-10 * time.Minute)},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "scale.1", Namespace: "shop"},
			InvolvedObject: corev1.ObjectReference{Kind: "Deployment", Namespace: "shop", Name: "order"},
			Reason:         "ScalingReplicaSet", Message: "Scaled up replica set order-7d9c5fb8c to 12", Type: "Normal", Count: 1,
			FirstTimestamp: ts(-20 * time.Minute), LastTimestamp: ts(-20 * time.Minute)},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "node-a.1", Namespace: "default"},
			InvolvedObject: corev1.ObjectReference{Kind: "Node", Name: "node-a"},
			Reason:         "EvictionThresholdMet", Message: "Attempting to reclaim memory", Type: "Warning",
			EventTime: metav1.NewMicroTime(startsAt.Add(-time.Minute)), ReportingController: "kubelet", ReportingInstance: "node-a",
			Series: &corev1.EventSeries{Count: 4, LastObservedTime: metav1.NewMicroTime(startsAt.Add(time.Minute))}},
		// A Service with only v1 Endpoints, as older clusters and fixtures have.
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "shop"},
			Spec: corev1.ServiceSpec{Selector: map[string]string{"app": "db"}, Ports: []corev1.ServicePort{{Port: 5432, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(5432)}}}},
		&corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "shop"},
			Subsets: []corev1.EndpointSubset{{Addresses: []corev1.EndpointAddress{{IP: "10.1.2.1"}}, NotReadyAddresses: []corev1.EndpointAddress{{IP: "10.1.2.2"}, {IP: "10.1.2.3"}}}}},
		// StatefulSet with ControllerRevisions.
		&appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "shop"},
			Spec:   appsv1.StatefulSetSpec{Replicas: ptr(int32(1)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}}},
			Status: appsv1.StatefulSetStatus{ReadyReplicas: 1}},
		&appsv1.ControllerRevision{ObjectMeta: metav1.ObjectMeta{Name: "db-7f8", Namespace: "shop", Labels: map[string]string{"app": "db"},
			OwnerReferences: ctrl("StatefulSet", "db"), CreationTimestamp: ts(-10 * time.Minute)}, Revision: 2,
			Data: runtime.RawExtension{Raw: []byte(`{"spec":{"template":{"spec":{"containers":[{"name":"db","image":"postgres:17"}]}}}}`)}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "db-0", Namespace: "shop", Labels: map[string]string{"app": "db"}, OwnerReferences: ctrl("StatefulSet", "db")},
			Spec:   corev1.PodSpec{NodeName: "node-b", Containers: []corev1.Container{{Name: "db", Image: "postgres:17"}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.1.2.1", ContainerStatuses: []corev1.ContainerStatus{runningStatus("db", 0)}}},
		// CronJob → Job → Pod that failed.
		&batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "report", Namespace: "shop"}, Spec: batchv1.CronJobSpec{Schedule: "*/5 * * * *", Suspend: ptr(true)}},
		&batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "report-29000", Namespace: "shop", OwnerReferences: ctrl("CronJob", "report"), CreationTimestamp: ts(-5 * time.Minute)},
			Spec:   batchv1.JobSpec{BackoffLimit: ptr(int32(2)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"batch.kubernetes.io/job-name": "report-29000"}}},
			Status: batchv1.JobStatus{Failed: 3, Conditions: []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded"}}}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "report-29000-abcde", Namespace: "shop", Labels: map[string]string{"batch.kubernetes.io/job-name": "report-29000"},
			OwnerReferences: ctrl("Job", "report-29000")},
			Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "report", Image: "report:1"}}},
			Status: corev1.PodStatus{Phase: corev1.PodFailed, ContainerStatuses: []corev1.ContainerStatus{{Name: "report",
				State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error", FinishedAt: ts(-4 * time.Minute)}}}}}},
		// A pod that never started: no logs.
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "pay-5c6d7f8b9-aaaaa", Namespace: "pay", Labels: map[string]string{"app": "pay"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "pay", Image: "pay:typo"}}},
			Status: corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{{Name: "pay",
				State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff"}}}}}},
	}
	for i := range 11 {
		node := "node-a"
		if i%2 == 1 {
			node = "node-b"
		}
		objs = append(objs, orderPod(i, node))
	}
	objs = append(objs, crashingPod())
	out, err := kubeapi.FromTyped(objs...)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, rolloutObjects(t)...)
}

// rolloutObjects is namespace cart: an Argo Rollout whose canary was aborted
// (testdata/rollout.yaml).
func rolloutObjects(t testing.TB) []kubeapi.Object {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "rollout.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := kubeapi.ParseObjects(raw)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// testLogs writes the crashing pod's logs: a previous run that ran out of
// memory and a current run of 200 lines over the last 200 seconds.
func testLogs(t testing.TB) *kubeapi.Logs {
	t.Helper()
	logs := kubeapi.NewLogs()
	var prev, cur strings.Builder
	fmt.Fprintf(&prev, "%s starting order service\n", startsAt.Add(-2*time.Minute).Format(time.RFC3339Nano))
	fmt.Fprintf(&prev, "%s fatal error: runtime: out of memory\n", startsAt.Add(-31*time.Second).Format(time.RFC3339Nano))
	for i := range 200 {
		fmt.Fprintf(&cur, "%s request %03d served\n", now.Add(time.Duration(i-200)*time.Second).Format(time.RFC3339Nano), i)
	}
	for _, p := range []struct {
		previous bool
		data     string
	}{{true, prev.String()}, {false, cur.String()}} {
		if err := logs.Put("shop", "order-7d9c5fb8c-xcrsh", "order", p.previous, []byte(p.data)); err != nil {
			t.Fatal(err)
		}
	}
	return logs
}

// requestLog records the API paths a test made, for the RBAC check, and
// the Accept header of each.
type requestLog struct {
	mu      sync.Mutex
	paths   []string
	accepts []string
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.paths = append(l.paths, r.URL.Path+"?"+r.URL.RawQuery)
		l.accepts = append(l.accepts, r.Header.Get("Accept"))
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// startCluster serves the test cluster and returns a collector for it.
func startCluster(t testing.TB, rec *requestLog) *Collector {
	t.Helper()
	api, err := kubeapi.New(kubeapi.Config{Objects: testCluster(t), Logs: testLogs(t), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = api
	if rec != nil {
		h = rec.wrap(api)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(Config{RESTConfig: &rest.Config{Host: srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
