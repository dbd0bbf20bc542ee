package finops

import (
	"context"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
)

// trendCluster has three workloads whose cost changes at 11:00 for three
// different reasons: web scales from two pods to four, api's rollout raises
// its requests fourfold, and worker moves from a spot node to an on-demand
// one. Usage stays under the requests, so allocation is the request.
func trendCluster() finopstest.Cluster {
	mi := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	small := []finopstest.Container{{Name: "app", CPURequest: 0.5, MemRequest: 1 * finopstest.GiB, CPUUsage: 0.1, MemUsage: 0.25 * finopstest.GiB}}
	pod := func(name, node, rs, deploy string, from, to time.Time, c []finopstest.Container) finopstest.Pod {
		return finopstest.Pod{Namespace: "shop", Name: name, Node: node, OwnerKind: "ReplicaSet", OwnerName: rs, DeploymentName: deploy,
			Created: from, Started: from, Stopped: to, Containers: c}
	}
	return finopstest.Cluster{
		Start:    t0.Add(-30 * time.Minute),
		End:      t0.Add(150 * time.Minute),
		Interval: time.Minute,
		Nodes: []finopstest.Node{
			{Name: "node-a", InstanceType: "m5.large", Region: "us-east-1", CapacityType: "ON_DEMAND", Cores: 2, MemBytes: 8 * finopstest.GiB},
			{Name: "node-b", InstanceType: "m5.xlarge", Region: "us-east-1", CapacityType: "SPOT", Cores: 4, MemBytes: 16 * finopstest.GiB},
		},
		Pods: []finopstest.Pod{
			pod("web-1", "node-a", "web-1a", "web", time.Time{}, time.Time{}, small),
			pod("web-2", "node-a", "web-1a", "web", time.Time{}, time.Time{}, small),
			pod("web-3", "node-a", "web-1a", "web", mi(60), time.Time{}, small),
			pod("web-4", "node-a", "web-1a", "web", mi(60), time.Time{}, small),
			pod("api-old", "node-b", "api-1", "api", time.Time{}, mi(60),
				[]finopstest.Container{{Name: "api", CPURequest: 0.25, MemRequest: 0.5 * finopstest.GiB, CPUUsage: 0.1, MemUsage: 0.1 * finopstest.GiB}}),
			pod("api-new", "node-b", "api-2", "api", mi(60), time.Time{},
				[]finopstest.Container{{Name: "api", CPURequest: 1, MemRequest: 2 * finopstest.GiB, CPUUsage: 0.1, MemUsage: 0.1 * finopstest.GiB}}),
			pod("worker-a", "node-b", "worker-1", "worker", time.Time{}, mi(60), small),
			pod("worker-b", "node-a", "worker-1", "worker", mi(60), time.Time{}, small),
		},
	}
}

func TestTrendsNameWhatMoved(t *testing.T) {
	alloc, err := New(querierFor(t, trendCluster()), DefaultPricing(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	trends, _, err := alloc.Trends(context.Background(), Query{Start: winStart, End: winEnd, Step: 30 * time.Minute,
		Filter: Filter{Namespaces: []string{"shop"}}})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]WorkloadTrend{}
	for _, tr := range trends {
		byName[tr.Workload] = tr
		if len(tr.Ends) != 4 {
			t.Fatalf("%s has %d buckets, want 4 of 30 minutes", tr.Workload, len(tr.Ends))
		}
	}
	if len(byName) != 3 {
		t.Fatalf("trends = %v, want web, api and worker", trends)
	}
	// The first bucket (10:00, 10:30] is before every change, the last
	// (11:30, 12:00] after; the buckets around 11:00 mix both.
	first, last := 0, 3
	web := byName["shop/Deployment/web"]
	near(t, "web pods before", web.Pods[first], 2)
	near(t, "web pods after", web.Pods[last], 4)
	near(t, "web pods seen after", web.PodsSeen[last], 4)
	near(t, "web cost/h before", web.CostPerHour[first], 2*(0.5*cpuA+1*ramA))
	near(t, "web cost/h after", web.CostPerHour[last], 4*(0.5*cpuA+1*ramA))
	near(t, "web cpu request per pod after", web.CPURequestPerPod[last], 0.5)

	apiTrend := byName["shop/Deployment/api"]
	near(t, "api pods before", apiTrend.Pods[first], 1)
	near(t, "api pods after", apiTrend.Pods[last], 1)
	near(t, "api cpu request per pod before", apiTrend.CPURequestPerPod[first], 0.25)
	near(t, "api cpu request per pod after", apiTrend.CPURequestPerPod[last], 1)
	near(t, "api ram request per pod after", apiTrend.RAMRequestPerPod[last], 2)
	near(t, "api cost/h after", apiTrend.CostPerHour[last], 1*cpuB+2*ramB)

	worker := byName["shop/Deployment/worker"]
	near(t, "worker price per core before (spot)", worker.PricePerCoreHour[first], cpuB)
	near(t, "worker price per core after (on demand)", worker.PricePerCoreHour[last], cpuA)
	near(t, "worker pods after", worker.Pods[last], 1)
}
