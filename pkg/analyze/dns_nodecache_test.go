package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestDNSCacheDownOnOneNode(t *testing.T) {
	cache := incident.Entity{Namespace: "kube-system", Kind: incident.KindDaemonSet, Name: "node-local-dns"}
	const failure = `ERROR upstream call failed: httpx.ConnectError: [Errno -3] Temporary failure in name resolution (host='ledger.shop.svc.cluster.local')`
	// bundle: Deployment shop/order with a pod on node-a and one on node-b;
	// the pods named in failingPods log the lookup failure; the cache
	// DaemonSet has ready of 2 pods ready.
	bundle := func(ready int32, failingPods ...string) *incident.Bundle {
		a, bpod := orderPod("order-a", healthy()), orderPod("order-b", healthy())
		a.Node, bpod.Node = "node-a", "node-b"
		b := newBundle(a, bpod)
		b.Workloads = []incident.WorkloadState{{Entity: cache, Replicas: 2, Ready: ready}}
		for _, pod := range failingPods {
			s := incident.LogStream{Namespace: "shop", Pod: pod, Container: "order"}
			for k := range 6 {
				s.Lines = append(s.Lines, incident.LogLine{Time: at(time.Duration(k*10-120) * time.Second), Text: failure})
			}
			b.Logs = append(b.Logs, s)
		}
		return b
	}
	cases := []struct {
		name   string
		b      *incident.Bundle
		entity incident.Entity
		words  []string
	}{
		{"only one node's pods fail while its cache is down: the cache DaemonSet", bundle(1, "order-a"), cache, []string{"node-a", "1 of 2"}},
		{"every cache pod ready: the node is not shown to be at fault", bundle(2, "order-a"), deployOrder, nil},
		{"pods on both nodes fail: not one node's cache", bundle(1, "order-a", "order-b"), deployOrder, nil},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got := analyzeOne(dnsFailure{}, tt.b)
			if len(got) == 0 {
				t.Fatal("want a finding, got none")
			}
			checkFinding(t, tt.b, got[0], incident.CategoryDNSFailure, tt.entity, tt.words...)
		})
	}
}
