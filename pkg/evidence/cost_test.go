package evidence

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/finops"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// fakeCost answers with two workloads, one whose cost doubled and one that
// stayed flat, and records the query it was asked.
type fakeCost struct {
	asked []finops.Query
	err   error
}

func (f *fakeCost) Trends(_ context.Context, q finops.Query) ([]finops.WorkloadTrend, []string, error) {
	f.asked = append(f.asked, q)
	if f.err != nil {
		return nil, nil, f.err
	}
	trend := func(name string, base, late float64) finops.WorkloadTrend {
		t := finops.WorkloadTrend{Workload: name}
		for i := range 8 {
			v := base
			if i >= 4 {
				v = late
			}
			t.Ends = append(t.Ends, q.Start.Add(time.Duration(i+1)*15*time.Minute))
			for _, s := range []*[]float64{&t.CostPerHour, &t.Pods, &t.CPURequestPerPod, &t.RAMRequestPerPod, &t.PricePerCoreHour, &t.PodsSeen} {
				*s = append(*s, v)
			}
		}
		return t
	}
	return []finops.WorkloadTrend{trend("shop/Deployment/cart", 1, 1), trend("shop/Deployment/order", 1, 2)}, []string{"partial data"}, nil
}

func costAlert(name string) incident.Alert {
	return incident.Alert{Labels: map[string]string{"alertname": name, "namespace": "shop"}, StartsAt: now.Add(-10 * time.Minute)}
}

func TestCostTrendsOnlyForCostAlerts(t *testing.T) {
	src := &fakeCost{}
	g := NewGatherer(Sources{Cost: src}, Options{})
	b, err := g.Collect(context.Background(), costAlert("NamespaceCostGrowth"), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.asked) != 1 || src.asked[0].Filter.Namespaces[0] != "shop" {
		t.Fatalf("queries = %+v, want one for namespace shop", src.asked)
	}
	if got := src.asked[0].Start; !got.Equal(now.Add(-10*time.Minute - costLookback)) {
		t.Errorf("window starts %s, want %s before the alert", got, costLookback)
	}
	var names []string
	for _, s := range b.Metrics {
		if s.Name == incident.MetricWorkloadCost {
			names = append(names, s.Entity.Name)
		}
	}
	if len(names) != 2 || names[0] != "order" {
		t.Errorf("cost series of %v, want order (which moved) first, then cart", names)
	}
	if len(b.Metrics) != 12 {
		t.Errorf("%d series, want 6 per workload", len(b.Metrics))
	}
	if !slices.Contains(b.Notes, "cost: partial data") {
		t.Errorf("notes = %v, want the allocation's warning", b.Notes)
	}

	if _, err := g.Collect(context.Background(), costAlert("HighErrorRate"), now); err != nil {
		t.Fatal(err)
	}
	if len(src.asked) != 1 {
		t.Errorf("an alert about errors ran the cost queries: %+v", src.asked)
	}
}

func TestCostSourceFailureDegrades(t *testing.T) {
	g := NewGatherer(Sources{Cost: &fakeCost{err: errors.New("prometheus: 503")}}, Options{})
	b, err := g.Collect(context.Background(), costAlert("NamespaceCostGrowth"), now)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range b.Degraded {
		found = found || (d.Source == SourceCost && d.Error != "")
	}
	if !found {
		t.Errorf("degraded = %+v, want the cost source", b.Degraded)
	}
}
