package kubeapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// startFixture serves testdata/cluster and returns a typed client for it.
func startFixture(t *testing.T, now time.Time) kubernetes.Interface {
	t.Helper()
	objs, err := LoadObjects("testdata/cluster/kube")
	if err != nil {
		t.Fatal(err)
	}
	logs, err := LoadLogs("testdata/cluster/logs")
	if err != nil {
		t.Fatal(err)
	}
	api, err := New(Config{Objects: objs, Logs: logs, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	cs, err := kubernetes.NewForConfig(srv.RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestListAndGetWithSelectors(t *testing.T) {
	ctx := context.Background()
	cs := startFixture(t, time.Now())
	tests := []struct {
		name      string
		namespace string
		opts      metav1.ListOptions
		want      []string
	}{
		{"all namespaces", "", metav1.ListOptions{}, []string{"web-1", "order-7d9c5-pending", "order-7d9c5-x2x1q"}},
		{"namespace", "shop", metav1.ListOptions{}, []string{"order-7d9c5-pending", "order-7d9c5-x2x1q"}},
		{"label selector", "", metav1.ListOptions{LabelSelector: "app=order,pod-template-hash in (7d9c5)"},
			[]string{"order-7d9c5-pending", "order-7d9c5-x2x1q"}},
		{"label mismatch", "", metav1.ListOptions{LabelSelector: "app=nothing"}, nil},
		{"pod IP", "", metav1.ListOptions{FieldSelector: "status.podIP=10.0.0.9"}, []string{"web-1"}},
		{"node name", "shop", metav1.ListOptions{FieldSelector: "spec.nodeName=node-a"}, []string{"order-7d9c5-x2x1q"}},
		{"metadata name", "", metav1.ListOptions{FieldSelector: "metadata.name=web-1"}, []string{"web-1"}},
		{"not equal", "shop", metav1.ListOptions{FieldSelector: "status.phase!=Running"}, []string{"order-7d9c5-pending"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := cs.CoreV1().Pods(tc.namespace).List(ctx, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range list.Items {
				got = append(got, p.Name)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}

	pod, err := cs.CoreV1().Pods("shop").Get(ctx, "order-7d9c5-x2x1q", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pod.Status.ContainerStatuses[0].LastTerminationState.Terminated.Reason != "OOMKilled" || pod.Spec.NodeName != "node-a" {
		t.Fatalf("pod decoded wrongly: %+v", pod.Status)
	}
	if _, err := cs.CoreV1().Pods("shop").Get(ctx, "gone", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("missing pod: want NotFound, got %v", err)
	}
	if _, err := cs.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "spec.bogus=x"}); !apierrors.IsBadRequest(err) {
		t.Fatalf("unknown field selector: want BadRequest, got %v", err)
	}
	if _, err := cs.CoreV1().Secrets("shop").List(ctx, metav1.ListOptions{}); !apierrors.IsForbidden(err) {
		t.Fatalf("secrets: want Forbidden, got %v", err)
	}
	node, err := cs.CoreV1().Nodes().Get(ctx, "node-a", metav1.GetOptions{})
	if err != nil || node.Status.Allocatable.Memory().Value() != 7<<30 {
		t.Fatalf("node: %v %v", err, node)
	}
	rs, err := cs.AppsV1().ReplicaSets("shop").List(ctx, metav1.ListOptions{LabelSelector: "app=order"})
	if err != nil || len(rs.Items) != 1 || rs.Items[0].OwnerReferences[0].Name != "order" {
		t.Fatalf("replicasets: %v %+v", err, rs)
	}
}

func TestPaging(t *testing.T) {
	cs := startFixture(t, time.Now())
	ctx := context.Background()
	first, err := cs.CoreV1().Pods("").List(ctx, metav1.ListOptions{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 2 || first.Continue == "" || first.RemainingItemCount == nil || *first.RemainingItemCount != 1 {
		t.Fatalf("first page: %d items, continue %q", len(first.Items), first.Continue)
	}
	second, err := cs.CoreV1().Pods("").List(ctx, metav1.ListOptions{Limit: 2, Continue: first.Continue})
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Items) != 1 || second.Continue != "" || second.Items[0].Name != "order-7d9c5-x2x1q" {
		t.Fatalf("second page: %+v", second.Items)
	}
}

func TestEventsInBothShapes(t *testing.T) {
	cs := startFixture(t, time.Now())
	ctx := context.Background()
	core, err := cs.CoreV1().Events("shop").List(ctx, metav1.ListOptions{FieldSelector: "involvedObject.name=order-7d9c5-pending,involvedObject.kind=Pod"})
	if err != nil {
		t.Fatal(err)
	}
	if len(core.Items) != 1 {
		t.Fatalf("core events: got %d", len(core.Items))
	}
	ev := core.Items[0]
	if ev.Message != "0/3 nodes are available: 3 Insufficient memory." || ev.Series == nil || ev.Series.Count != 5 ||
		ev.ReportingController != "default-scheduler" || ev.EventTime.IsZero() {
		t.Fatalf("events.k8s.io event not converted to core/v1: %+v", ev)
	}
	v1, err := cs.EventsV1().Events("shop").List(ctx, metav1.ListOptions{FieldSelector: "regarding.name=order-7d9c5-x2x1q"})
	if err != nil {
		t.Fatal(err)
	}
	if len(v1.Items) != 1 || v1.Items[0].Note != "Back-off restarting failed container order" || v1.Items[0].DeprecatedCount != 12 {
		t.Fatalf("core event not converted to events.k8s.io/v1: %+v", v1.Items)
	}
}

func TestPodLogs(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 30, 0, time.UTC)
	cs := startFixture(t, now)
	since := metav1.NewTime(time.Date(2026, 11, 20, 9, 59, 45, 0, time.UTC))
	sinceSeconds := int64(30)
	limit := int64(10)
	tail := int64(1)
	tests := []struct {
		name    string
		opts    corev1.PodLogOptions
		want    string
		wantErr string
	}{
		{"plain", corev1.PodLogOptions{Container: "order"},
			"starting order service\nlistening on :8080\nGET /orders 200\n", ""},
		{"timestamps fixed width", corev1.PodLogOptions{Container: "order", Timestamps: true, TailLines: &tail},
			"2026-11-20T10:00:10.500000000Z GET /orders 200\n", ""},
		{"sinceTime", corev1.PodLogOptions{Container: "order", SinceTime: &since},
			"listening on :8080\nGET /orders 200\n", ""},
		{"sinceSeconds from the server clock", corev1.PodLogOptions{Container: "order", SinceSeconds: &sinceSeconds},
			"GET /orders 200\n", ""},
		{"limitBytes cuts mid-line", corev1.PodLogOptions{Container: "order", LimitBytes: &limit}, "starting o", ""},
		{"previous", corev1.PodLogOptions{Container: "order", Previous: true},
			"starting order service\nfatal: out of memory\n", ""},
		{"no previous run", corev1.PodLogOptions{Container: "proxy", Previous: true}, "", "previous terminated container"},
		{"container required", corev1.PodLogOptions{}, "", "a container name must be specified"},
		{"unknown container", corev1.PodLogOptions{Container: "nope"}, "", "is not valid for pod"},
		{"running without a log file", corev1.PodLogOptions{Container: "proxy"}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc, err := cs.CoreV1().Pods("shop").GetLogs("order-7d9c5-x2x1q", &tc.opts).Stream(context.Background())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want error containing %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	_, err := cs.CoreV1().Pods("shop").GetLogs("order-7d9c5-pending", &corev1.PodLogOptions{}).Stream(context.Background())
	if err == nil || !strings.Contains(err.Error(), "waiting to start: ContainerCreating") {
		t.Fatalf("never-started container: got %v", err)
	}
}

func TestDiscovery(t *testing.T) {
	cs := startFixture(t, time.Now())
	groups, err := cs.Discovery().ServerGroups()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, g := range groups.Groups {
		names[g.Name] = true
	}
	for _, want := range []string{"", "apps", "batch", "events.k8s.io"} {
		if !names[want] {
			t.Errorf("group %q missing from discovery: %v", want, names)
		}
	}
	res, err := cs.Discovery().ServerResourcesForGroupVersion("apps/v1")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range res.APIResources {
		found = found || (r.Name == "deployments" && r.Namespaced)
	}
	if !found {
		t.Fatalf("deployments missing from apps/v1: %+v", res.APIResources)
	}
	v, err := cs.Discovery().ServerVersion()
	if err != nil || v.Major != "1" {
		t.Fatalf("version: %v %+v", err, v)
	}
}

func FuzzServeHTTP(f *testing.F) {
	objs, err := LoadObjects("testdata/cluster/kube")
	if err != nil {
		f.Fatal(err)
	}
	logs, err := LoadLogs("testdata/cluster/logs")
	if err != nil {
		f.Fatal(err)
	}
	api, err := New(Config{Objects: objs, Logs: logs, Now: time.Now})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][2]string{
		{"/api/v1/namespaces/shop/pods/order-7d9c5-x2x1q/log", "container=order&previous=true&tailLines=1&limitBytes=5&timestamps=true"},
		{"/api/v1/pods", "labelSelector=app%3Dorder&fieldSelector=status.podIP%3D10.0.0.7&limit=1&continue=1"},
		{"/apis/events.k8s.io/v1/namespaces/shop/events", "fieldSelector=regarding.name%3Dx"},
		{"/api/v1/namespaces/shop/secrets/db", ""},
		{"/apis/apps/v1", ""},
		{"/api/v1/namespaces/shop/pods/order-7d9c5-x2x1q/log", "sinceSeconds=99999999999999&sinceTime=x"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, path, query string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path, req.URL.RawQuery = path, query
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		if rec.Code < 200 || rec.Code > 599 {
			t.Fatalf("status %d", rec.Code)
		}
		if strings.Contains(path, "secrets") && rec.Code == http.StatusOK && strings.Contains(rec.Body.String(), `"kind":"Secret"`) {
			t.Fatalf("served a secret for %s", path)
		}
	})
}
