package demo

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// TestObjectsServeThroughKubeAPI renders a crash-looping, OOMKilled
// container and reads it back with client-go from a local API server.
func TestObjectsServeThroughKubeAPI(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	spec := ContainerSpec{Namespace: "demo", App: "order-service", Pod: "order-service-7d9c5b6f4-x2x1q",
		Container: "order-service", Binary: "/bin/false", Port: 8082, MemoryLimit: 96 << 20,
		Env: []string{"ADMIN_TOKEN=s3cr3t-token", "PORT=8082"}, SecretEnv: map[string]bool{"ADMIN_TOKEN": true}}
	pods := []ContainerStatus{{
		Spec: spec, Created: t0, Waiting: "CrashLoopBackOff", WaitingMessage: "back-off 20s", Restarts: 2,
		Last: &Termination{Reason: "OOMKilled", ExitCode: 137, StartedAt: t0.Add(30 * time.Second), FinishedAt: t0.Add(50 * time.Second)},
	}}
	events := []EventRecord{{Namespace: "demo", Pod: spec.Pod, Type: "Warning", Reason: "BackOff",
		Message: "Back-off restarting failed container", Count: 2, First: t0.Add(51 * time.Second), Last: t0.Add(70 * time.Second)}}
	objs, err := Objects(pods, events, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	api, err := kubeapi.New(kubeapi.Config{Objects: objs})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cs, err := kubernetes.NewForConfig(srv.RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pod, err := cs.CoreV1().Pods("demo").Get(ctx, spec.Pod, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := pod.Status.ContainerStatuses[0]
	if st.RestartCount != 2 || st.State.Waiting == nil || st.State.Waiting.Reason != "CrashLoopBackOff" {
		t.Errorf("container status = %+v", st)
	}
	if term := st.LastTerminationState.Terminated; term == nil || term.Reason != "OOMKilled" || term.ExitCode != 137 {
		t.Errorf("last termination = %+v", st.LastTerminationState)
	}
	if lim := pod.Spec.Containers[0].Resources.Limits.Memory().Value(); lim != 96<<20 {
		t.Errorf("memory limit = %d", lim)
	}
	for _, e := range pod.Spec.Containers[0].Env {
		if e.Name == "ADMIN_TOKEN" && (e.Value != "" || e.ValueFrom == nil) {
			t.Errorf("the admin token is served by value: %+v", e)
		}
	}
	rs, err := cs.AppsV1().ReplicaSets("demo").Get(ctx, pod.OwnerReferences[0].Name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("pod owner: %v", err)
	}
	if rs.Name != "order-service-7d9c5b6f4" || rs.OwnerReferences[0].Kind != "Deployment" || rs.OwnerReferences[0].Name != "order-service" {
		t.Errorf("replicaset %s owned by %+v", rs.Name, rs.OwnerReferences)
	}
	if _, err := cs.AppsV1().Deployments("demo").Get(ctx, "order-service", metav1.GetOptions{}); err != nil {
		t.Errorf("deployment: %v", err)
	}
	eps, err := cs.CoreV1().Endpoints("demo").Get(ctx, "order-service", metav1.GetOptions{})
	if err != nil || len(eps.Subsets) != 1 || len(eps.Subsets[0].NotReadyAddresses) != 1 {
		t.Errorf("endpoints of a waiting pod = %+v, %v", eps, err)
	}
	evs, err := cs.CoreV1().Events("demo").List(ctx, metav1.ListOptions{FieldSelector: "involvedObject.name=" + spec.Pod})
	if err != nil || len(evs.Items) != 1 || evs.Items[0].Count != 2 || evs.Items[0].Reason != "BackOff" {
		t.Errorf("events = %+v, %v", evs, err)
	}
	if _, err := cs.CoreV1().Nodes().Get(ctx, NodeName, metav1.GetOptions{}); err != nil {
		t.Errorf("node: %v", err)
	}
	if pod.Status.Phase != corev1.PodRunning {
		t.Errorf("phase %s", pod.Status.Phase)
	}
}

func TestLogsServeCurrentAndPrevious(t *testing.T) {
	dir := t.TempDir()
	k, err := NewKubelet(KubeletOptions{LogDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	spec := ContainerSpec{Namespace: "demo", App: "a", Pod: "a-5d8f7c9b4-x2x1q", Container: "a"}
	if err := os.MkdirAll(filepath.Dir(k.LogPath(spec, false)), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(previous bool, text string) {
		if err := os.WriteFile(k.LogPath(spec, previous), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(false, "2026-11-20T10:00:01.000000000Z now\n2026-11-20T10:00:02.000000000Z half a li")
	write(true, "2026-11-20T09:59:00.000000000Z before\n")
	logs, err := Logs(k, []ContainerStatus{{Spec: spec}})
	if err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 2 {
		t.Fatalf("%d streams, want current and previous", logs.Len())
	}
}

func TestReadTailStartsAtALine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	if err := os.WriteFile(path, []byte("first line\nsecond\nthird\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readTail(path, 10)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "third\n" {
		t.Fatalf("tail = %q", got)
	}
}
