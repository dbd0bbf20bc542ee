package finops

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"

	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// The shop fixture: two EKS nodes and four pods, sampled every minute.
// Times are chosen so each resolution step (5m) is easy to count by hand.
var (
	t0       = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	winStart = t0
	winEnd   = t0.Add(2 * time.Hour)
)

func shopCluster() finopstest.Cluster {
	mi := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	return finopstest.Cluster{
		Start:    t0.Add(-30 * time.Minute),
		End:      t0.Add(150 * time.Minute),
		Interval: time.Minute,
		Nodes: []finopstest.Node{
			// m5.large on demand: 0.096 $/h in us-east-1.
			{Name: "node-a", InstanceType: "m5.large", Region: "us-east-1", CapacityType: "ON_DEMAND", Cores: 2, MemBytes: 8 * finopstest.GiB},
			// m5.xlarge spot: 0.192 $/h less the default 70 % discount.
			{Name: "node-b", InstanceType: "m5.xlarge", Region: "us-east-1", CapacityType: "SPOT", Cores: 4, MemBytes: 16 * finopstest.GiB},
		},
		NamespaceLabels: map[string]map[string]string{"batch": {"team": "data"}},
		Pods: []finopstest.Pod{
			// Runs the whole window, uses less than it requests.
			{Namespace: "shop", Name: "order-7d9c5-a", Node: "node-a", OwnerKind: "ReplicaSet", OwnerName: "order-7d9c5", DeploymentName: "order",
				Labels:     map[string]string{"team": "checkout"},
				Containers: []finopstest.Container{{Name: "order", CPURequest: 0.5, MemRequest: 1 * finopstest.GiB, CPUUsage: 0.25, MemUsage: 0.5 * finopstest.GiB}}},
			// Runs 10:30 to 11:30 on the spot node, uses more than it requests.
			{Namespace: "shop", Name: "order-7d9c5-b", Node: "node-b", OwnerKind: "ReplicaSet", OwnerName: "order-7d9c5", DeploymentName: "order",
				Labels:  map[string]string{"team": "checkout"},
				Created: mi(30), Started: mi(30), Stopped: mi(90),
				Containers: []finopstest.Container{{Name: "order", CPURequest: 0.5, MemRequest: 1 * finopstest.GiB, CPUUsage: 0.75, MemUsage: 1.5 * finopstest.GiB}}},
			// A Job's pod, 11:00 to 12:00; its team comes from the namespace.
			{Namespace: "batch", Name: "report-x1", Node: "node-a", OwnerKind: "Job", OwnerName: "report",
				Created: mi(60), Started: mi(60), Stopped: mi(120),
				Containers: []finopstest.Container{{Name: "report", CPURequest: 0.25, MemRequest: 0.25 * finopstest.GiB, CPUUsage: 0.1, MemUsage: 0.125 * finopstest.GiB}}},
			// Pending all along: it reserves nothing, so it costs nothing.
			{Namespace: "shop", Name: "payment-5f4-p", Node: "", OwnerKind: "ReplicaSet", OwnerName: "payment-5f4", DeploymentName: "payment", NeverRuns: true,
				Containers: []finopstest.Container{{Name: "payment", CPURequest: 1, MemRequest: 2 * finopstest.GiB}}},
		},
	}
}

func shopQuerier(t *testing.T) Querier { return querierFor(t, shopCluster()) }

// querierFor serves the cluster's metrics from a real Prometheus.
func querierFor(t *testing.T, cluster finopstest.Cluster) Querier {
	t.Helper()
	srv := promlocaltest.FromOpenMetrics(t, cluster.WriteFile(t, t.TempDir()))
	c, err := api.NewClient(api.Config{Address: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Hand-computed expectations. k is OpenCost's CPU-to-RAM price ratio; a
// node price P of C cores and G GiB splits into ram = P/(C·k+G), cpu = k·ram.
var (
	k    = 0.031611 / 0.004237
	ramA = 0.096 / (2*k + 8)
	cpuA = k * ramA
	ramB = 0.192 * 0.3 / (4*k + 16)
	cpuB = k * ramB
)

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12f, want %.12f", what, got, want)
	}
}

func rowsByName(r *Result) map[string]Row {
	m := map[string]Row{}
	for _, row := range r.Rows {
		m[row.Name] = row
	}
	return m
}

func TestAllocateShop(t *testing.T) {
	q := shopQuerier(t)
	alloc, err := New(q, DefaultPricing(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// Container integrals, counted in 5-minute steps over (10:00, 12:00]:
	//  order-a:  24 steps: cpu max(0.5, 0.25) = 0.5 → 1 core-h; ram 1 GiB → 2 GiB-h;
	//            usage 0.5 core-h, 1 GiB-h.
	//  order-b:  12 steps 10:30..11:25; the first has no rate yet (one cAdvisor
	//            sample), so the request stands: cpu (0.5 + 11·0.75)/12 core-h;
	//            ram 1.5 GiB → 1.5 GiB-h; usage 11·0.75/12 core-h, 1.5 GiB-h.
	//  report:   12 steps 11:00..11:55: cpu 0.25 core-h, ram 0.25 GiB-h;
	//            usage 11·0.1/12 core-h, 0.125 GiB-h.
	//  payment:  never runs: nothing.
	orderACPU, orderARAM := 1.0, 2.0
	orderBCPU, orderBRAM := (0.5+11*0.75)/12, 1.5
	reportCPU, reportRAM := 0.25, 0.25
	orderACost := orderACPU*cpuA + orderARAM*ramA
	orderBCost := orderBCPU*cpuB + orderBRAM*ramB
	reportCost := reportCPU*cpuA + reportRAM*ramA
	shopUseCost := 0.5*cpuA + 1*ramA + 11*0.75/12*cpuB + 1.5*ramB
	// Idle: node-a has 4 core-h and 16 GiB-h, node-b 8 and 32, for 2 h.
	idle := (4-orderACPU-reportCPU)*cpuA + (16-orderARAM-reportRAM)*ramA +
		(8-orderBCPU)*cpuB + (32-orderBRAM)*ramB
	controlPlane := 0.10 * 2

	t.Run("namespace", func(t *testing.T) {
		r, err := alloc.Allocate(ctx, Query{Start: winStart, End: winEnd, GroupBy: ByNamespace})
		if err != nil {
			t.Fatal(err)
		}
		rows := rowsByName(r)
		if len(rows) != 2 {
			t.Fatalf("rows = %+v, want shop and batch", r.Rows)
		}
		shop, batch := rows["shop"], rows["batch"]
		near(t, "shop cpu core-hours", shop.CPUCoreHours, orderACPU+orderBCPU)
		near(t, "shop ram GiB-hours", shop.RAMGiBHours, orderARAM+orderBRAM)
		near(t, "shop cpu usage", shop.CPUUsageCoreHours, 0.5+11*0.75/12)
		near(t, "shop cost", shop.TotalCost, orderACost+orderBCost)
		near(t, "shop efficiency", shop.Efficiency, shopUseCost/(orderACost+orderBCost))
		near(t, "batch cost", batch.TotalCost, reportCost)
		near(t, "batch cpu cost", batch.CPUCost, reportCPU*cpuA)
		near(t, "idle", r.IdleCost, idle)
		near(t, "control plane", r.ControlPlaneCost, controlPlane)
		// Every dollar of the nodes is either allocated or idle.
		near(t, "total", r.TotalCost, 0.096*2+0.192*0.3*2+controlPlane)
		near(t, "monthly", r.MonthlyRate, r.TotalCost/2*730)
		if r.Rows[0].Name != "shop" {
			t.Errorf("rows not sorted by cost: %+v", r.Rows)
		}
		if len(r.Nodes) != 2 || r.Nodes[1].Rates.Source != "eks-table+spot" || !r.Nodes[1].Spot {
			t.Errorf("nodes = %+v", r.Nodes)
		}
	})

	groupings := []struct {
		by   string
		want map[string]float64
	}{
		{ByWorkload, map[string]float64{"shop/Deployment/order": orderACost + orderBCost, "batch/Job/report": reportCost}},
		{ByPod, map[string]float64{"shop/order-7d9c5-a": orderACost, "shop/order-7d9c5-b": orderBCost, "batch/report-x1": reportCost}},
		{ByNode, map[string]float64{"node-a": orderACost + reportCost, "node-b": orderBCost}},
		{"label:team", map[string]float64{"checkout": orderACost + orderBCost, "data": reportCost}},
	}
	for _, g := range groupings {
		t.Run(g.by, func(t *testing.T) {
			r, err := alloc.Allocate(ctx, Query{Start: winStart, End: winEnd, GroupBy: g.by})
			if err != nil {
				t.Fatal(err)
			}
			rows := rowsByName(r)
			if len(rows) != len(g.want) {
				t.Errorf("rows = %+v, want %v", r.Rows, g.want)
			}
			for name, want := range g.want {
				near(t, name, rows[name].TotalCost, want)
			}
		})
	}

	t.Run("filter", func(t *testing.T) {
		r, err := alloc.Allocate(ctx, Query{Start: winStart, End: winEnd, GroupBy: ByPod,
			Filter: Filter{Labels: map[string]string{"team": "checkout"}, Nodes: []string{"node-b"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Rows) != 1 || r.Rows[0].Name != "shop/order-7d9c5-b" {
			t.Fatalf("rows = %+v, want only order-7d9c5-b", r.Rows)
		}
		// A filter narrows the total to the rows; idle stays the node's.
		near(t, "total", r.TotalCost, orderBCost)
		near(t, "idle of node-b", r.IdleCost, (8-orderBCPU)*cpuB+(32-orderBRAM)*ramB)
	})

	t.Run("timeseries", func(t *testing.T) {
		r, err := alloc.Allocate(ctx, Query{Start: winStart, End: winEnd, GroupBy: ByNamespace, Format: FormatTimeSeries, Step: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]Point{}
		for _, s := range r.Series {
			got[s.Name] = s.Points
		}
		if len(got["shop"]) != 2 || len(got["batch"]) != 2 || len(got[IdleName]) != 2 {
			t.Fatalf("series = %+v", r.Series)
		}
		// (10:00, 11:00]: order-a 12 steps; order-b 10:30..11:00, 7 steps of
		// which the first at the request; report only its first step, 11:00.
		near(t, "shop 1st hour", got["shop"][0].TotalCost, 0.5*cpuA+1*ramA+(0.5+6*0.75)/12*cpuB+7*1.5/12*ramB)
		near(t, "shop 2nd hour", got["shop"][1].TotalCost, 0.5*cpuA+1*ramA+5*0.75/12*cpuB+5*1.5/12*ramB)
		near(t, "batch 1st hour", got["batch"][0].TotalCost, (0.25*cpuA+0.25*ramA)/12)
		near(t, "batch 2nd hour", got["batch"][1].TotalCost, 11*(0.25*cpuA+0.25*ramA)/12)
		if !got["shop"][0].Time.Equal(t0.Add(time.Hour)) {
			t.Errorf("first bucket ends at %s, want 11:00", got["shop"][0].Time)
		}
		var idleSum float64
		for _, p := range got[IdleName] {
			idleSum += p.TotalCost
		}
		near(t, "idle over the buckets", idleSum, idle)
	})

	t.Run("custom pricing", func(t *testing.T) {
		p := DefaultPricing()
		p.CustomOnly = true
		custom, err := New(q, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := custom.Allocate(ctx, Query{Start: winStart, End: winEnd, GroupBy: ByNamespace})
		if err != nil {
			t.Fatal(err)
		}
		rows := rowsByName(r)
		near(t, "shop", rows["shop"].TotalCost, (orderACPU+orderBCPU)*0.031611+(orderARAM+orderBRAM)*0.004237)
		near(t, "batch", rows["batch"].TotalCost, reportCPU*0.031611+reportRAM*0.004237)
		near(t, "total", r.TotalCost, (4+8)*0.031611+(16+32)*0.004237+controlPlane)
	})
}
