package finops

import (
	"context"
	"sort"
	"time"
)

// WorkloadTrend is one workload's cost per bucket beside the quantities that
// set it: how many pods ran, what each requested, what an allocated core cost
// where they ran, and how many distinct pods took turns (churn). A cost
// alert is explained by which of these moved.
type WorkloadTrend struct {
	// Workload is namespace/Kind/name, as the workload grouping names it.
	Workload string      `json:"workload"`
	Ends     []time.Time `json:"ends"`
	// CostPerHour is the bucket's allocated cost divided by its hours.
	CostPerHour []float64 `json:"costPerHour"`
	// Pods is the average number of running pods (pod-hours ÷ hours).
	Pods []float64 `json:"pods"`
	// CPURequestPerPod (cores) and RAMRequestPerPod (GiB) are the requests
	// of a running pod, averaged over its running time.
	CPURequestPerPod []float64 `json:"cpuRequestPerPod"`
	RAMRequestPerPod []float64 `json:"ramRequestPerPod"`
	// PricePerCoreHour is the CPU cost per allocated core-hour: it rises
	// when pods move to pricier nodes (on-demand after spot, a larger
	// family).
	PricePerCoreHour []float64 `json:"pricePerCoreHour"`
	// PodsSeen is how many distinct pods ran in the bucket; far above Pods
	// means pods are replaced faster than the bucket lasts.
	PodsSeen []float64 `json:"podsSeen"`
}

// Trends returns the per-bucket trend of every workload the query's filter
// keeps, costliest first. The query's grouping is ignored; its form is the
// time series.
func (a *Allocator) Trends(ctx context.Context, q Query) ([]WorkloadTrend, []string, error) {
	q.GroupBy, q.Format = ByWorkload, FormatTimeSeries
	if err := q.normalise(); err != nil {
		return nil, nil, err
	}
	e := a.exprs(q)
	resHours := q.Resolution.Hours()
	extra := []job{
		sums("running hours", e.counted(e.running()), perContainer(func(c *containerData) *buckets { return &c.hours }, resHours)),
		sums("cpu requests", e.integral(e.request("cpu", "core")), perContainer(func(c *containerData) *buckets { return &c.cpuRequest }, resHours)),
		sums("memory requests", e.integral(e.request("memory", "byte")), perContainer(func(c *containerData) *buckets { return &c.ramRequest }, resHours/gib)),
	}
	d, err := a.collect(ctx, q, extra...)
	if err != nil {
		return nil, nil, err
	}
	pcs, _ := a.price(d)
	n := len(d.ends)
	type acc struct {
		cost, cpuCost, cpuAlloc, cpuReq, ramReq buckets
		// podHours is each pod's running hours per bucket: a pod's
		// containers run together, so the longest-running one counts.
		podHours map[string]buckets
	}
	byWorkload := map[string]*acc{}
	for _, pc := range pcs {
		if !d.keep(pc) {
			continue
		}
		name := d.workload(pc.c.key, pc.pod)
		w := byWorkload[name]
		if w == nil {
			w = &acc{cost: make(buckets, n), cpuCost: make(buckets, n), cpuAlloc: make(buckets, n),
				cpuReq: make(buckets, n), ramReq: make(buckets, n), podHours: map[string]buckets{}}
			byWorkload[name] = w
		}
		ph := w.podHours[pc.c.key.pod]
		if ph == nil {
			ph = make(buckets, n)
			w.podHours[pc.c.key.pod] = ph
		}
		for i := range n {
			w.cost[i] += pc.cpuCost[i] + pc.ramCost[i]
			w.cpuCost[i] += pc.cpuCost[i]
			w.cpuAlloc[i] += pc.c.cpuAlloc[i]
			w.cpuReq[i] += at(pc.c.cpuRequest, i)
			w.ramReq[i] += at(pc.c.ramRequest, i)
			ph[i] = max(ph[i], at(pc.c.hours, i))
		}
	}
	stepHours := q.Step.Hours()
	out := make([]WorkloadTrend, 0, len(byWorkload))
	for name, w := range byWorkload {
		t := WorkloadTrend{Workload: name, Ends: d.ends, CostPerHour: make([]float64, n), Pods: make([]float64, n),
			CPURequestPerPod: make([]float64, n), RAMRequestPerPod: make([]float64, n),
			PricePerCoreHour: make([]float64, n), PodsSeen: make([]float64, n)}
		for i := range n {
			var podHours float64
			for _, ph := range w.podHours {
				podHours += ph[i]
				if ph[i] > 0 {
					t.PodsSeen[i]++
				}
			}
			t.CostPerHour[i] = w.cost[i] / stepHours
			t.Pods[i] = podHours / stepHours
			if podHours > 0 {
				t.CPURequestPerPod[i] = w.cpuReq[i] / podHours
				t.RAMRequestPerPod[i] = w.ramReq[i] / podHours
			}
			if w.cpuAlloc[i] > 0 {
				t.PricePerCoreHour[i] = w.cpuCost[i] / w.cpuAlloc[i]
			}
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		ci, cj := buckets(out[i].CostPerHour).sum(), buckets(out[j].CostPerHour).sum()
		if ci != cj {
			return ci > cj
		}
		return out[i].Workload < out[j].Workload
	})
	return out, d.warnings, nil
}
