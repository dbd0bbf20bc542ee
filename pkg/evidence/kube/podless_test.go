package kube

import (
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// The newest ReplicaSet's events are read only when no examined pod is its:
// a rollout whose pod creations are refused owns no pod to read them from.
func TestPodlessNewest(t *testing.T) {
	dep := incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "web"}
	rollouts := []incident.Rollout{{Name: "web-aaa", Revision: 3}, {Name: "web-bbb", Revision: 4}}
	res := &Resolution{Target: incident.Target{Workload: dep}}
	rs, ok := podlessNewest(res, rollouts)
	if !ok || rs != (incident.Entity{Namespace: "shop", Kind: incident.KindReplicaSet, Name: "web-bbb"}) {
		t.Fatalf("podlessNewest = %v, %v; want shop/ReplicaSet/web-bbb", rs, ok)
	}
	res.intermediates = []incident.Entity{rs}
	if _, ok := podlessNewest(res, rollouts); ok {
		t.Error("a ReplicaSet whose pods were examined was read again")
	}
	res = &Resolution{Target: incident.Target{Workload: incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "db"}}}
	if _, ok := podlessNewest(res, rollouts); ok {
		t.Error("a StatefulSet's revisions are no ReplicaSets")
	}
}
