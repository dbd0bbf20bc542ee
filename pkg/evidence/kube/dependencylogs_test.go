package kube

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Lines naming StatefulSet members by their per-pod DNS name give the
// member's pod; a plain Service name gives none.
func TestNamedMembers(t *testing.T) {
	got := NamedMembers([]incident.LogStream{{Lines: []incident.LogLine{
		{Text: "No server chosen: {address: db-1.db-hl.store.svc.cluster.local:27017, type: Unknown}"},
		{Text: "dial tcp: lookup cache.shop.svc.cluster.local: i/o timeout"},
		{Text: "retrying db-1.db-hl.store.svc:27017"},
	}}})
	if want := []NamespacedName{{Namespace: "store", Name: "db-1"}}; !slices.Equal(got, want) {
		t.Errorf("NamedMembers = %v, want %v", got, want)
	}
}

// A failing line that names a store by its client's wording hints at the
// product; the same product in a routine line does not.
func TestFailingProducts(t *testing.T) {
	for _, tt := range []struct {
		line string
		want []string
	}{
		{`produce failed: KafkaError{code=REQUEST_TIMED_OUT,val=7,str="Broker: Request timed out"}`, []string{"kafka"}},
		{"org.apache.kafka.common.errors.TimeoutException: Topic orders not present in metadata", []string{"kafka"}},
		{"io.lettuce.core.RedisConnectionException: Unable to connect", []string{"redis"}},
		{"com.mongodb.MongoSocketReadException: Prematurely reached end of stream", []string{"mongo"}},
		{"AMQP connection failed: ECONNREFUSED", []string{"rabbit"}},
		{"connected to kafka bootstrap, 12 partitions assigned", nil},
		{"request failed: upstream returned 503", nil},
	} {
		if got := FailingProducts([]incident.LogStream{{Lines: []incident.LogLine{{Text: tt.line}}}}); !slices.Equal(got, tt.want) {
			t.Errorf("FailingProducts(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// The dependencies' own pods whose logs are read: the member the logs name
// (with its claim), the unhealthiest pods of the broker found by product in
// another namespace, and not those of a healthy Service nobody named.
func TestDependencyLogPods(t *testing.T) {
	const objects = `apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: web:1}]}
status: {phase: Running, containerStatuses: [{name: web, ready: true, state: {running: {}}}]}
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: shop}
spec: {selector: {app: cache}, clusterIP: 10.0.0.5, ports: [{port: 6379}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cache-1, namespace: shop, labels: {app: cache}}
spec: {containers: [{name: cache, image: cache:1}]}
status: {phase: Running, containerStatuses: [{name: cache, ready: true, state: {running: {}}}]}
---
apiVersion: v1
kind: Service
metadata: {name: events-kafka, namespace: queue}
spec: {selector: {app: broker}, clusterIP: 10.0.0.9, ports: [{port: 9092}]}
---
apiVersion: v1
kind: Pod
metadata: {name: broker-0, namespace: queue, labels: {app: broker}}
spec: {containers: [{name: kafka, image: kafka:1}]}
status: {phase: Running, containerStatuses: [{name: kafka, ready: true, state: {running: {}}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: broker-1, namespace: queue, labels: {app: broker}}
spec: {containers: [{name: kafka, image: kafka:1}]}
status: {phase: Running, containerStatuses: [{name: kafka, ready: false, restartCount: 4, state: {waiting: {reason: CrashLoopBackOff}}, lastState: {terminated: {exitCode: 1, reason: Error}}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: broker-2, namespace: queue, labels: {app: broker}}
spec: {containers: [{name: kafka, image: kafka:1}]}
status: {phase: Running, containerStatuses: [{name: kafka, ready: true, state: {running: {}}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: store, labels: {app: db}}
spec:
  containers: [{name: db, image: db:1}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data-db-0}}]
status: {phase: Running, containerStatuses: [{name: db, ready: true, state: {running: {}}}]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data-db-0, namespace: store}
spec: {resources: {requests: {storage: 1Gi}}}
status: {phase: Bound, capacity: {storage: 1Gi}}
`
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "kube"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kube", "objects.yaml"), []byte(objects), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := &requestLog{}
	c := recordedCluster(t, dir, rec)
	ctx := context.Background()
	res, err := c.Resolve(ctx, incident.Alert{Labels: map[string]string{"namespace": "shop", "pod": "web-1"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	deps, err := c.Dependencies(ctx, res.Target, res.Pods, nil, DependencyHints{
		Members:  []NamespacedName{{Namespace: "store", Name: "db-0"}, {Namespace: "store", Name: "gone-0"}},
		Products: []string{"kafka"},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkRBAC(t, rec)
	var got []string
	for _, p := range deps.LogPods {
		got = append(got, p.Namespace+"/"+p.Name)
	}
	if want := []string{"store/db-0", "queue/broker-1", "queue/broker-0"}; !slices.Equal(got, want) {
		t.Errorf("log pods = %v, want %v", got, want)
	}
	if !slices.ContainsFunc(deps.Claims, func(c incident.ClaimState) bool { return c.Namespace == "store" && c.Name == "data-db-0" }) {
		t.Errorf("claims = %+v, want the named member's", deps.Claims)
	}
	if !slices.ContainsFunc(deps.Services, func(s incident.ServiceState) bool {
		return s.Namespace == "queue" && s.Name == "events-kafka" && s.Dependency
	}) {
		t.Errorf("services = %+v, want the broker found by product", deps.Services)
	}
}
