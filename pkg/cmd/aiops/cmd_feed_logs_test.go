package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// feedPods: web-1 runs two containers, the app one after a crash (restart
// 1, previous run kept); web-2's app never started; web-3 restarted but its
// previous log is gone.
const feedPods = `
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: web-1, namespace: shop, labels: {app: web}}
  spec: {containers: [{name: app, image: web:1}, {name: proxy, image: envoy:1}]}
  status:
    phase: Running
    containerStatuses:
    - {name: app, ready: true, restartCount: 1, state: {running: {startedAt: "2026-12-06T10:00:00Z"}},
       lastState: {terminated: {exitCode: 2, reason: Error, startedAt: "2026-12-06T09:50:00Z", finishedAt: "2026-12-06T09:59:59Z"}}}
    - {name: proxy, ready: true, restartCount: 0, state: {running: {startedAt: "2026-12-06T09:00:00Z"}}}
- apiVersion: v1
  kind: Pod
  metadata: {name: web-2, namespace: shop, labels: {app: web}}
  spec: {containers: [{name: app, image: web:2}]}
  status:
    phase: Pending
    containerStatuses:
    - {name: app, ready: false, restartCount: 0, state: {waiting: {reason: ImagePullBackOff}}}
- apiVersion: v1
  kind: Pod
  metadata: {name: web-3, namespace: shop, labels: {app: web}}
  spec: {containers: [{name: app, image: web:1}]}
  status:
    phase: Running
    containerStatuses:
    - {name: app, ready: true, restartCount: 3, state: {running: {startedAt: "2026-12-06T10:01:00Z"}}}
`

// TestCollectFeedLogs runs the feeder's reads against the local Kubernetes
// API: the previous run is read beyond --since (it ended before), and each
// unreadable container carries the API server's reason.
func TestCollectFeedLogs(t *testing.T) {
	objs, err := kubeapi.ParseObjects([]byte(feedPods))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 10, 2, 30, 0, time.UTC)
	logs := kubeapi.NewLogs()
	put := func(pod, container string, previous bool, lines ...string) {
		var sb strings.Builder
		for _, l := range lines {
			fmt.Fprintln(&sb, l)
		}
		if err := logs.Put("shop", pod, container, previous, []byte(sb.String())); err != nil {
			t.Fatal(err)
		}
	}
	put("web-1", "app", true, "2026-12-06T09:50:10.000000000Z panic: nil map write")
	put("web-1", "app", false, "2026-12-06T10:00:01.000000000Z listening on :8080")
	put("web-1", "proxy", false, "2026-12-06T10:00:00.500000000Z upstream connect error")
	put("web-3", "app", false, "2026-12-06T10:02:00.000000000Z ready")
	api, err := kubeapi.New(kubeapi.Config{Objects: objs, Logs: logs, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	defer srv.Close()
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	text, pods, problems, err := collectFeedLogs(context.Background(), cs, "shop", "app=web", 180, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"2026-12-06T09:50:10.000000000Z [web-1/app previous] panic: nil map write",
		"2026-12-06T10:00:00.500000000Z [web-1/proxy] upstream connect error",
		"2026-12-06T10:00:01.000000000Z [web-1/app] listening on :8080",
		"2026-12-06T10:02:00.000000000Z [web-3/app] ready",
	}, "\n") + "\n"
	if text != want {
		t.Errorf("lines:\n%s\nwant:\n%s", text, want)
	}
	// The server's own reasons, not client-go's "unknown reason".
	if pods != 3 || len(problems) != 2 || problems[0] != `web-2/app: container "app" in pod "web-2" is waiting to start: ImagePullBackOff` ||
		problems[1] != `web-3/app previous: previous terminated container "app" in pod "web-3" not found` {
		t.Errorf("pods %d, problems %q", pods, problems)
	}
}
