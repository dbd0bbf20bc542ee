package evidence

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

var (
	startsAt = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	now      = startsAt.Add(5 * time.Minute)
)

func ptr[T any](v T) *T { return &v }

// deploymentCluster is namespace shop with Deployment "order" of n pods
// (pod 0 OOMKilled and restarting), its ReplicaSet, node and an event, and
// logsPerPod bytes of log per container (pod 0 also has a previous run).
func deploymentCluster(tb testing.TB, n int, logsPerPod int) kubeapi.Config {
	tb.Helper()
	owner := func(kind, name string) []metav1.OwnerReference {
		return []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: kind, Name: name, UID: "u", Controller: ptr(true)}}
	}
	tmpl := corev1.PodSpec{Containers: []corev1.Container{{Name: "order", Image: "shop/order:1.4.0",
		Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("128Mi")}}}}}
	objs := []runtime.Object{
		&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "order", Namespace: "shop"},
			Spec: appsv1.DeploymentSpec{Replicas: ptr(int32(n)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "order"}},
				Template: corev1.PodTemplateSpec{Spec: tmpl}},
			Status: appsv1.DeploymentStatus{ReadyReplicas: int32(n - 1)}},
		&appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "order-7d9c5fb8c", Namespace: "shop", OwnerReferences: owner("Deployment", "order"),
			Labels: map[string]string{"app": "order"}, Annotations: map[string]string{"deployment.kubernetes.io/revision": "4"},
			CreationTimestamp: metav1.NewTime(startsAt.Add(-10 * time.Minute))},
			Spec: appsv1.ReplicaSetSpec{Replicas: ptr(int32(n)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "order"}},
				Template: corev1.PodTemplateSpec{Spec: tmpl}}},
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-a"},
			Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e1", Namespace: "shop"},
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: podName(0)},
			Reason:         "BackOff", Message: "Back-off restarting failed container order", Type: "Warning", Count: 7,
			FirstTimestamp: metav1.NewTime(startsAt.Add(-time.Minute)), LastTimestamp: metav1.NewTime(startsAt.Add(time.Minute))},
	}
	for i := range n {
		status := corev1.ContainerStatus{Name: "order", Ready: true, Image: "shop/order:1.4.0",
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(startsAt.Add(-time.Hour))}}}
		if i == 0 {
			status.Ready, status.RestartCount = false, 3
			status.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "OOMKilled", ExitCode: 137,
				FinishedAt: metav1.NewTime(startsAt.Add(-20 * time.Second))}}
		}
		objs = append(objs, &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: podName(i), Namespace: "shop", Labels: map[string]string{"app": "order"},
				OwnerReferences: owner("ReplicaSet", "order-7d9c5fb8c")},
			Spec:   corev1.PodSpec{NodeName: "node-a", Containers: tmpl.Containers},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: fmt.Sprintf("10.0.0.%d", i+1), ContainerStatuses: []corev1.ContainerStatus{status}},
		})
	}
	typed, err := kubeapi.FromTyped(objs...)
	if err != nil {
		tb.Fatal(err)
	}
	logs := kubeapi.NewLogs()
	for i := range n {
		if err := logs.Put("shop", podName(i), "order", false, logText(logsPerPod, i)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := logs.Put("shop", podName(0), "order", true,
		fmt.Appendf(nil, "%s fatal error: runtime: out of memory\n", startsAt.Add(-21*time.Second).Format(time.RFC3339Nano))); err != nil {
		tb.Fatal(err)
	}
	return kubeapi.Config{Objects: typed, Logs: logs, Now: func() time.Time { return now }}
}

func podName(i int) string { return fmt.Sprintf("order-7d9c5fb8c-p%04d", i) }

// logText is about size bytes of log as served with timestamps (31 bytes of
// timestamp and space per line), spread over the ten minutes before now.
func logText(size, seed int) []byte {
	var sb strings.Builder
	sb.Grow(size + 256)
	const lineLen = 31 + 90
	lines := max(size/lineLen, 1)
	step := 10 * time.Minute / time.Duration(lines)
	for i := range lines {
		t := now.Add(-10 * time.Minute).Add(time.Duration(i) * step)
		level := "info"
		if i%97 == seed%97 {
			level = "error"
		}
		line := fmt.Sprintf("level=%s msg=\"handled request\" path=/orders/%08d status=200 duration_ms=%04d user=u%06d", level, i, i%1000, (i*7)%999999)
		fmt.Fprintf(&sb, "%s %-89s\n", t.Format(time.RFC3339Nano), line)
	}
	return []byte(sb.String())
}

// startKube serves a cluster and returns a collector for it.
func startKube(tb testing.TB, cfg kubeapi.Config) *kube.Collector {
	tb.Helper()
	api, err := kubeapi.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := api.Start()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	c, err := kube.New(kube.Config{RESTConfig: srv.RESTConfig()})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// fakePrometheus answers every range query with one flat series of points
// over the asked range, the way Prometheus's HTTP API does.
func fakePrometheus(tb testing.TB) *prom.Collector {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if !strings.HasSuffix(r.URL.Path, "/query_range") {
			fmt.Fprint(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
			return
		}
		var sb strings.Builder
		start, end := startsAt.Add(-30*time.Minute), now
		for t := start; !t.After(end); t = t.Add(15 * time.Second) {
			if sb.Len() > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `[%d,"%d"]`, t.Unix(), 1+int(t.Sub(start)/time.Minute))
		}
		fmt.Fprintf(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"namespace":"shop","pod":%q},"values":[%s]}]}}`,
			podName(0), sb.String())
	}))
	tb.Cleanup(srv.Close)
	c, err := prom.New(prom.Config{URL: srv.URL})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func unreachableKube(tb testing.TB) *kube.Collector {
	tb.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := kube.New(kube.Config{RESTConfig: &rest.Config{Host: url}})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func crashAlert() incident.Alert {
	return incident.Alert{Labels: map[string]string{"alertname": "KubePodCrashLooping", "namespace": "shop", "deployment": "order"},
		StartsAt: startsAt, Query: "increase(kube_pod_container_status_restarts_total[10m]) > 2"}
}
