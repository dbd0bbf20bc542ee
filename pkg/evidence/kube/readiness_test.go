package kube

import (
	"context"
	"strings"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// A dependency's unready pod carries its readiness probe's own message, so a
// probe refused by a healthy server can be told from a failing server.
func TestBackendUnreadyCarriesProbeMessage(t *testing.T) {
	const cluster = `
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: shop}
spec:
  clusterIP: 10.96.0.20
  selector: {app: cache}
  ports: [{port: 6379, protocol: TCP, targetPort: 6379}]
---
apiVersion: v1
kind: Pod
metadata:
  name: cache-0
  namespace: shop
  labels: {app: cache}
spec:
  containers: [{name: cache, image: valkey/valkey:8}]
status:
  phase: Running
  conditions: [{type: Ready, status: "False"}]
  containerStatuses: [{name: cache, ready: false, restartCount: 0, state: {running: {startedAt: "2026-11-20T08:00:00Z"}}}]
---
apiVersion: v1
kind: Event
metadata: {name: cache-0.1, namespace: shop}
involvedObject: {kind: Pod, name: cache-0, namespace: shop}
reason: Unhealthy
type: Warning
message: 'Readiness probe failed: WRONGPASS invalid username-password pair or user is disabled.'
count: 30
firstTimestamp: "2026-11-20T09:00:00Z"
lastTimestamp: "2026-11-20T09:55:00Z"
`
	objs, err := kubeapi.ParseObjects([]byte(cluster))
	if err != nil {
		t.Fatal(err)
	}
	rec := &requestLog{}
	c := servedObjects(t, objs, rec)
	deps, err := c.Dependencies(context.Background(), incident.Target{Namespace: "shop"}, nil, nil, DependencyHints{})
	if err != nil {
		t.Fatal(err)
	}
	checkRBAC(t, rec)
	svcs := deps.Services
	if len(svcs) != 1 || len(svcs[0].BackendProblems) != 1 ||
		!strings.Contains(svcs[0].BackendProblems[0], "not ready (Readiness probe failed: WRONGPASS") {
		t.Fatalf("dependencies = %+v", svcs)
	}
}
