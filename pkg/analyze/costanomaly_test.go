package analyze

import (
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
