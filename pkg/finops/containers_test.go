package finops

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
)

// The PromQL joins the allocation asked before it joined the container
// integrals in Go (containers.go), kept as the reference the Go join must
// equal.

// allocated is max(request, usage) per container while it runs (either
// alone where the other has no sample). The two sides are told apart by a
// label so "or" keeps both.
func (e exprs) allocated(request, usage string) string {
	return e.whileRunning(fmt.Sprintf(`max by (%s) (label_replace(%s, "finops_side", "request", "", "") or label_replace(%s, "finops_side", "usage", "", ""))`,
		containerKey, request, usage))
}

func (e exprs) cpuAllocated() string {
	return e.allocated(e.rawRequest("cpu", "core"), e.rawCPUUsage())
}

func (e exprs) ramAllocated() string {
	return e.allocated(e.rawRequest("memory", "byte"), e.rawRAMUsage())
}

// joinedInPromQL is the four container integrals of q the way the joins in
// Prometheus computed them, into a dataset that shares d's metadata.
func (a *Allocator) joinedInPromQL(ctx context.Context, d *dataset) (*dataset, error) {
	e := a.exprs(d.q)
	ref := *d
	ref.containers = map[containerKey3]*containerData{}
	resHours := d.q.Resolution.Hours()
	jobs := []job{
		sums("cpu allocation", e.integral(e.cpuAllocated()), perContainer(func(c *containerData) *buckets { return &c.cpuAlloc }, resHours)),
		sums("cpu usage", e.integral(e.cpuUsage()), perContainer(func(c *containerData) *buckets { return &c.cpuUse }, resHours)),
		sums("memory allocation", e.integral(e.ramAllocated()), perContainer(func(c *containerData) *buckets { return &c.ramAlloc }, resHours/gib)),
		sums("memory usage", e.integral(e.ramUsage()), perContainer(func(c *containerData) *buckets { return &c.ramUse }, resHours/gib)),
	}
	if err := a.run(ctx, &ref, jobs, make(chan struct{}, a.opt.Concurrency)); err != nil {
		return nil, err
	}
	return &ref, nil
}

// joinCluster has what could make the Go join and the PromQL join differ:
// a pod replaced mid-window, usage above requests, a Pending pod, one that
// waits before it starts, two containers in a pod and an in-place resize
// off the resolution grid that takes the request across the usage.
func joinCluster() finopstest.Cluster {
	mi := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	c := shopCluster()
	c.End = t0.Add(5 * time.Hour)
	c.Pods = []finopstest.Pod{
		{Namespace: "shop", Name: "api-a", Node: "node-a", OwnerKind: "ReplicaSet", OwnerName: "api-1", DeploymentName: "api", Stopped: mi(100),
			Containers: []finopstest.Container{{Name: "api", CPURequest: 0.25, MemRequest: 1 * finopstest.GiB, CPUUsage: 0.5, MemUsage: 0.5 * finopstest.GiB}}},
		{Namespace: "shop", Name: "api-b", Node: "node-b", OwnerKind: "ReplicaSet", OwnerName: "api-1", DeploymentName: "api", Created: mi(100),
			Containers: []finopstest.Container{{Name: "api", CPURequest: 0.25, MemRequest: 1 * finopstest.GiB, CPUUsage: 0.5, MemUsage: 0.5 * finopstest.GiB}}},
		{Namespace: "batch", Name: "worker-x", Node: "node-a", OwnerKind: "Job", OwnerName: "worker",
			Containers: []finopstest.Container{
				{Name: "main", CPURequest: 0.2, MemRequest: 1 * finopstest.GiB, CPUUsage: 0.4, MemUsage: 0.75 * finopstest.GiB,
					Resized: mi(77), CPURequestAfter: 0.6, MemRequestAfter: 0.5 * finopstest.GiB},
				{Name: "sidecar", CPURequest: 0.1, MemRequest: 0.125 * finopstest.GiB, CPUUsage: 0.05, MemUsage: 0.25 * finopstest.GiB},
			}},
		{Namespace: "batch", Name: "late-y", Node: "node-b", OwnerKind: "Job", OwnerName: "late", Created: mi(20), Started: mi(33), Stopped: mi(181),
			Containers: []finopstest.Container{{Name: "late", CPURequest: 0.5, MemRequest: 2 * finopstest.GiB, CPUUsage: 0.3, MemUsage: 1 * finopstest.GiB}}},
		{Namespace: "shop", Name: "payment-p", Node: "", OwnerKind: "ReplicaSet", OwnerName: "payment-5f4", DeploymentName: "payment", NeverRuns: true,
			Containers: []finopstest.Container{{Name: "payment", CPURequest: 1, MemRequest: 2 * finopstest.GiB}}},
	}
	return c
}

// The container integrals joined in Go equal the PromQL joins' for every
// container and bucket, and so do the rows priced from them, in pieces
// that cut buckets and pieces that group them.
func TestGoJoinEqualsPromQLJoin(t *testing.T) {
	prom := querierFor(t, joinCluster())
	a, err := New(prom, DefaultPricing(), Options{MaxQueryWindow: 90 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	end := t0.Add(4 * time.Hour)
	for _, q := range []Query{
		{Start: t0, End: end, GroupBy: ByPod},
		{Start: t0, End: end, GroupBy: ByWorkload, Format: FormatTimeSeries, Step: 20 * time.Minute},
		{Start: t0, End: end, GroupBy: ByNamespace, Format: FormatTimeSeries, Step: 2 * time.Hour},
	} {
		if err := q.normalise(); err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("%s %s step %s", q.GroupBy, q.Format, q.Step)
		d, err := a.collect(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := a.joinedInPromQL(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		keys := slices.SortedFunc(maps.Keys(ref.containers), compareContainers)
		if got := slices.SortedFunc(maps.Keys(d.containers), compareContainers); !slices.Equal(got, keys) {
			t.Fatalf("%s: containers %v, want %v", what, got, keys)
		}
		if len(keys) != 5 {
			t.Fatalf("%s: %d containers ran, want 5 (the Pending one costs nothing)", what, len(keys))
		}
		for _, k := range keys {
			g, w := d.containers[k], ref.containers[k]
			for i := range d.ends {
				at := fmt.Sprintf("%s %v bucket %d", what, k, i)
				near(t, at+" cpu alloc", g.cpuAlloc[i], w.cpuAlloc[i])
				near(t, at+" cpu use", g.cpuUse[i], w.cpuUse[i])
				near(t, at+" ram alloc", g.ramAlloc[i], w.ramAlloc[i])
				near(t, at+" ram use", g.ramUse[i], w.ramUse[i])
			}
		}
		got, want := a.allocate(d), a.allocate(ref)
		if len(got.Rows) != len(want.Rows) || len(got.Series) != len(want.Series) {
			t.Fatalf("%s: %d rows, %d series; want %d, %d", what, len(got.Rows), len(got.Series), len(want.Rows), len(want.Series))
		}
		for i, w := range want.Rows {
			g := got.Rows[i]
			if g.Name != w.Name {
				t.Fatalf("%s row %d is %s, want %s", what, i, g.Name, w.Name)
			}
			near(t, what+" "+w.Name+" cost", g.TotalCost, w.TotalCost)
			near(t, what+" "+w.Name+" core-hours", g.CPUCoreHours, w.CPUCoreHours)
			near(t, what+" "+w.Name+" GiB-hours", g.RAMGiBHours, w.RAMGiBHours)
			near(t, what+" "+w.Name+" efficiency", g.Efficiency, w.Efficiency)
		}
		for i, w := range want.Series {
			for j, p := range w.Points {
				near(t, what+" "+w.Name+" point "+p.Time.Format(time.RFC3339), got.Series[i].Points[j].TotalCost, p.TotalCost)
			}
		}
		near(t, what+" idle", got.IdleCost, want.IdleCost)
		near(t, what+" total", got.TotalCost, want.TotalCost)
	}
	// The resize is seen: 15 steps to 11:15 at the usage (0.4 cores), 33
	// from 11:20 at the raised request (0.6), 5 minutes each.
	q := Query{Start: t0, End: end}
	if err := q.normalise(); err != nil {
		t.Fatal(err)
	}
	d, err := a.collect(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "resized container's core-hours", d.containers[containerKey3{"batch", "worker-x", "main"}].cpuAlloc[0], (15*0.4+33*0.6)/12)
}

func compareContainers(x, y containerKey3) int {
	return cmp.Or(cmp.Compare(x.namespace, y.namespace), cmp.Compare(x.pod, y.pod), cmp.Compare(x.container, y.container))
}
