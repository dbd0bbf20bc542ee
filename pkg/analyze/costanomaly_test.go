package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// costBundle is a cost alert on namespace shop, with order's cost trend: 21
// points of baseline (6 h to 1 h before the alert) then 7 at the new level,
// every 15 minutes, as the cost collector reads them.
func costBundle(pods ...incident.PodState) *incident.Bundle {
	b := newBundle(pods...)
	b.Alert.Labels = map[string]string{"alertname": "NamespaceCostGrowth", "namespace": "shop"}
	b.Target.Workload = incident.Entity{}
	b.Now = at(45 * time.Minute)
	return b
}

func addTrend(b *incident.Bundle, name string, base, now float64) {
	s := incident.Series{Name: name, Entity: deployOrder, Labels: map[string]string{"workload": "shop/Deployment/order"}}
	for i := range 28 {
		v := base
		if i > 20 {
			v = now
		}
		s.Points = append(s.Points, incident.Point{T: at(-6*time.Hour + time.Duration(i)*15*time.Minute), V: v})
	}
	s.Summary = summarize(s.Points)
	b.Metrics = append(b.Metrics, s)
}

func TestCostAnomalyNamesTheDriver(t *testing.T) {
	cases := []struct {
		name  string
		build func() *incident.Bundle
		words []string
	}{
		{"replicas scaled", func() *incident.Bundle {
			b := costBundle()
			addTrend(b, incident.MetricWorkloadCost, 0.10, 0.20)
			addTrend(b, incident.MetricWorkloadPods, 2, 4)
			addTrend(b, incident.MetricWorkloadPodsSeen, 2, 4)
			addTrend(b, incident.MetricWorkloadCPURequest, 0.5, 0.5)
			addTrend(b, incident.MetricWorkloadCorePrice, 0.02, 0.02)
			return b
		}, []string{"replicas scaled from 2 to 4", "$0.1000 to $0.2000", "$73.00 a month"}},
		{"requests raised by a rollout", func() *incident.Bundle {
			b := costBundle()
			b.Rollouts = []incident.Rollout{{Owner: deployOrder, Name: "order-5b7f9", Revision: 8, CreatedAt: at(-40 * time.Minute)}}
			addTrend(b, incident.MetricWorkloadCost, 0.10, 0.30)
			addTrend(b, incident.MetricWorkloadPods, 2, 2)
			addTrend(b, incident.MetricWorkloadCPURequest, 0.5, 1.5)
			addTrend(b, incident.MetricWorkloadMemoryRequest, 1, 1)
			return b
		}, []string{"requests per pod raised", "cpu 0.5 → 1.5 cores", "rollout of order-5b7f9"}},
		{"crash-looping pods replaced", func() *incident.Bundle {
			b := costBundle(orderPod("order-a", crashed("Error", 1, 9)), orderPod("order-b", healthy()))
			addTrend(b, incident.MetricWorkloadCost, 0.10, 0.16)
			addTrend(b, incident.MetricWorkloadPods, 2, 2.2)
			addTrend(b, incident.MetricWorkloadPodsSeen, 2, 7)
			return b
		}, []string{"replaced faster than they run", "1 pod is crash-looping"}},
		{"moved to pricier nodes", func() *incident.Bundle {
			b := costBundle()
			addTrend(b, incident.MetricWorkloadCost, 0.10, 0.25)
			addTrend(b, incident.MetricWorkloadPods, 2, 2)
			addTrend(b, incident.MetricWorkloadCorePrice, 0.0095, 0.0316)
			return b
		}, []string{"pricier nodes", "$0.0095 → $0.0316 per core-hour"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.build()
			fs := analyzeOne(costAnomaly{}, b)
			if len(fs) != 1 {
				t.Fatalf("findings = %+v, want one", fs)
			}
			checkFinding(t, b, fs[0], incident.CategoryCostAnomaly, deployOrder, tc.words...)
			if len(fs[0].Evidence) < 2 {
				t.Errorf("finding cites %v: want the cost series and its driver", fs[0].Evidence)
			}
		})
	}
}

func TestCostAnomalyQuietWithoutGrowth(t *testing.T) {
	for _, tc := range []struct {
		name      string
		base, now float64
	}{{"flat", 0.1, 0.1}, {"small rise", 0.1, 0.12}, {"fall", 0.2, 0.1}} {
		t.Run(tc.name, func(t *testing.T) {
			b := costBundle()
			addTrend(b, incident.MetricWorkloadCost, tc.base, tc.now)
			if fs := analyzeOne(costAnomaly{}, b); len(fs) != 0 {
				t.Errorf("findings = %+v, want none", fs)
			}
		})
	}
	if fs := analyzeOne(costAnomaly{}, costBundle()); len(fs) != 0 {
		t.Errorf("no cost trend gave %+v", fs)
	}
}

// On a cost alert the crash loop that drives the spend is the cost
// finding's detail: the root cause stays CostAnomaly.
func TestCostAnomalyOutranksItsDriver(t *testing.T) {
	b := costBundle(orderPod("order-a", crashed("Error", 1, 9)))
	addTrend(b, incident.MetricWorkloadCost, 0.10, 0.16)
	addTrend(b, incident.MetricWorkloadPods, 1, 1.2)
	addTrend(b, incident.MetricWorkloadPodsSeen, 1, 5)
	b.AssignIDs()
	findings := Run(b)
	crashLoop := false
	for _, f := range findings {
		crashLoop = crashLoop || f.Category == incident.CategoryCrashLoop
	}
	if !crashLoop {
		t.Fatalf("findings = %+v, want the crash loop among them", findings)
	}
	rc, _ := Rank(b, findings)
	if rc.Category != incident.CategoryCostAnomaly || rc.Entity != deployOrder {
		t.Fatalf("root cause = %s %v, want CostAnomaly on %v (findings %+v)", rc.Category, rc.Entity, deployOrder, findings)
	}
}

// replicaBundle is a cost alert whose namespace has no cost trend but
// whose workload's replica count climbed as given.
func replicaBundle(cpuRequestMilli int64, replicas ...float64) *incident.Bundle {
	pod := orderPod("order-1", incident.ContainerState{Name: "order", State: "running", Ready: true,
		Requests: incident.Resources{CPUMilli: cpuRequestMilli}})
	b := costBundle(pod)
	b.Target.Workload = deployOrder
	b.Metrics = []incident.Series{metric(incident.MetricWorkloadReplicas, deployOrder, time.Minute, replicas...)}
	return b
}

func TestScaleOutCostWithoutCostTrends(t *testing.T) {
	runKubeCases(t, costAnomaly{}, incident.CategoryCostAnomaly, []kubeCase{
		{"idle pods multiplied by the autoscaler", func() *incident.Bundle {
			b := replicaBundle(500, 3, 3, 9, 15, 24, 30)
			b.Metrics = append(b.Metrics,
				metric(incident.MetricHPAReplicas, deployOrder, time.Minute, 3, 3, 9, 15, 24, 30),
				metric(incident.MetricCPUUsage, incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, time.Minute, 0.03, 0.02, 0.03, 0.02, 0.02, 0.03),
				metric(incident.MetricRequestRate, svcOrder, time.Minute, 120, 118, 121, 119, 122, 120))
			return b
		}, true, deployOrder, []string{"from 3 to 30 replicas", "HorizontalPodAutoscaler drove it", "no load explains it", "30m of the 500m"}},
		{"a scale-out with no load series to judge it", func() *incident.Bundle {
			return replicaBundle(0, 2, 2, 4, 6, 8, 8)
		}, true, deployOrder, []string{"from 2 to 8 replicas"}},
		{"healthy: replicas barely moved", func() *incident.Bundle {
			return replicaBundle(500, 4, 4, 5, 5, 5, 5)
		}, false, incident.Entity{}, nil},
		{"healthy: a scale-out on an alert that is not about spend", func() *incident.Bundle {
			b := replicaBundle(500, 3, 3, 9, 15, 24, 30)
			b.Alert.Labels = map[string]string{"alertname": "HighLatency", "namespace": "shop"}
			return b
		}, false, incident.Entity{}, nil},
	})
}

func TestScaleOutUnderLoadIsNotCalledUnexplained(t *testing.T) {
	b := replicaBundle(500, 3, 3, 9, 15, 24, 30)
	b.Metrics = append(b.Metrics,
		metric(incident.MetricCPUUsage, incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"}, time.Minute, 0.3, 0.4, 0.45, 0.42, 0.44, 0.43),
		metric(incident.MetricRequestRate, svcOrder, time.Minute, 100, 110, 105, 480, 500, 490))
	got := analyzeOne(costAnomaly{}, b)
	if len(got) != 1 {
		t.Fatalf("want one finding, got %+v", got)
	}
	if f := got[0]; strings.Contains(strings.ToLower(f.Detail), "no load explains") {
		t.Errorf("a scale-out that follows a traffic step and busy pods was called unexplained: %s", f.Detail)
	}
}

// floorBundle is a cost alert on order whose autoscaler holds it at a
// minReplicas of 30, with the rescale event when rescaled is set.
func floorBundle(current int32, rescaled bool, usage float64) *incident.Bundle {
	b := replicaBundle(500, 30, 30, 30, 30, 30, 30)
	b.Metrics = append(b.Metrics, metric(incident.MetricCPUUsage, incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: "order-1"},
		time.Minute, usage, usage, usage, usage, usage, usage))
	b.Workloads = []incident.WorkloadState{{Entity: deployOrder, Replicas: current,
		Autoscaler: &incident.Autoscaler{Name: "order", Min: 30, Max: 50, Current: current, Desired: current}}}
	if rescaled {
		b.Events = []incident.Event{{Object: incident.Entity{Namespace: "shop", Kind: "HorizontalPodAutoscaler", Name: "order"},
			Type: "Normal", Reason: "SuccessfulRescale", Message: "New size: 30; reason: Current number of replicas below Spec.MinReplicas",
			Count: 1, FirstSeen: at(-72 * time.Hour), LastSeen: at(-72 * time.Hour)}}
	}
	return b
}

func TestCostOfARaisedMinReplicas(t *testing.T) {
	runKubeCases(t, costAnomaly{}, incident.CategoryCostAnomaly, []kubeCase{
		{"held at its floor and idle", func() *incident.Bundle { return floorBundle(30, false, 0.02) },
			true, deployOrder, []string{"minReplicas 30", "20m of the 500m"}},
		{"held at its floor the autoscaler scaled up to, no usage series", func() *incident.Bundle {
			b := floorBundle(30, true, 0)
			b.Metrics = b.Metrics[:1]
			return b
		}, true, deployOrder, []string{"minReplicas of 30", "below Spec.MinReplicas"}},
		{"healthy: at its floor and busy", func() *incident.Bundle { return floorBundle(30, false, 0.4) },
			false, incident.Entity{}, nil},
		{"healthy: scaled above its floor by load", func() *incident.Bundle { return floorBundle(42, true, 0.02) },
			false, incident.Entity{}, nil},
	})
}
