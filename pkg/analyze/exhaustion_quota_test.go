package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// refusedRollout is a rolling update whose new ReplicaSet's pod creations
// the API server refuses with msg, while the old revision's pods run.
func refusedRollout(msg string) *incident.Bundle {
	b := newBundle(orderPod("order-7d9c5-a1b2c", healthy()), orderPod("order-7d9c5-d3e4f", healthy()))
	b.Rollouts = []incident.Rollout{
		{Owner: deployOrder, Name: "order-7d9c5", Revision: 11, CreatedAt: at(-30 * 24 * time.Hour)},
		{Owner: deployOrder, Name: "order-84f6b9d7c", Revision: 12, CreatedAt: at(-20 * time.Minute)},
	}
	b.Events = []incident.Event{{Object: incident.Entity{Namespace: "shop", Kind: incident.KindReplicaSet, Name: "order-84f6b9d7c"},
		Type: "Warning", Reason: "FailedCreate", Count: 14, FirstSeen: at(-19 * time.Minute), LastSeen: at(-time.Minute), Message: msg}}
	return b
}

func TestAdmissionRefusesRollingUpdate(t *testing.T) {
	runKubeCases(t, exhaustion{}, incident.CategoryResourceExhaustion, []kubeCase{
		{"a quota on limits is used up by the surge pod", func() *incident.Bundle {
			return refusedRollout(`Error creating: pods "order-84f6b9d7c-q9w8e" is forbidden: exceeded quota: team-limits, requested: limits.cpu=1500m,limits.memory=3Gi, used: limits.cpu=9,limits.memory=18Gi, limited: limits.cpu=10,limits.memory=20Gi`)
		}, true, deployOrder, []string{"quota", "limits.cpu=1500m", "ResourceQuota"}},
		{"a quota on limits refuses a template without limits", func() *incident.Bundle {
			return refusedRollout(`Error creating: pods "order-84f6b9d7c-q9w8e" is forbidden: failed quota: team-limits: must specify limits.cpu for: migrate,order; limits.memory for: migrate,order`)
		}, true, deployOrder, []string{"quota", "must specify limits.cpu"}},
		{"a LimitRange maximum per container", func() *incident.Bundle {
			return refusedRollout(`Error creating: pods "order-84f6b9d7c-q9w8e" is forbidden: [maximum memory usage per Container is 2Gi, but limit is 4Gi, maximum cpu usage per Container is 2, but limit is 3]`)
		}, true, deployOrder, []string{"LimitRange", "maximum memory usage per Container is 2Gi"}},
		{"a LimitRange ratio", func() *incident.Bundle {
			return refusedRollout(`Error creating: pods "order-84f6b9d7c-q9w8e" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000`)
		}, true, deployOrder, []string{"LimitRange", "ratio"}},
		{"healthy: the ReplicaSet created its pods", func() *incident.Bundle {
			b := refusedRollout("")
			b.Events = []incident.Event{{Object: incident.Entity{Namespace: "shop", Kind: incident.KindReplicaSet, Name: "order-84f6b9d7c"},
				Type: "Normal", Reason: "SuccessfulCreate", Count: 2, FirstSeen: at(-19 * time.Minute), LastSeen: at(-18 * time.Minute),
				Message: "Created pod: order-84f6b9d7c-q9w8e"}}
			return b
		}, false, incident.Entity{}, nil},
	})
}

func TestLimitRangeFindingReadsAsARefusal(t *testing.T) {
	b := refusedRollout(`Error creating: pods "order-84f6b9d7c-q9w8e" is forbidden: minimum memory usage per Container is 128Mi, but request is 64Mi`)
	got := analyzeOne(exhaustion{}, b)
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	checkFinding(t, b, got[0], incident.CategoryResourceExhaustion, deployOrder, "outside the namespace's LimitRange", "refuses the pods", "minimum memory usage per Container is 128Mi")
}
