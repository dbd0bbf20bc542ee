package finops

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Names of the rows that are not a group of containers, as OpenCost spells
// them.
const (
	IdleName        = "__idle__"
	UnallocatedName = "__unallocated__"
)

// Window is the time range a result covers.
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Row is one group's cost over the window. Hours are resource-hours:
// allocated is max(request, usage) at each step.
type Row struct {
	Name              string  `json:"name"`
	CPUCost           float64 `json:"cpuCost"`
	RAMCost           float64 `json:"ramCost"`
	TotalCost         float64 `json:"totalCost"`
	CPUCoreHours      float64 `json:"cpuCoreHours"`
	RAMGiBHours       float64 `json:"ramGiBHours"`
	CPUUsageCoreHours float64 `json:"cpuUsageCoreHours"`
	RAMUsageGiBHours  float64 `json:"ramUsageGiBHours"`
	// Efficiency is usage ÷ allocation, weighted by cost, in [0,1].
	Efficiency float64 `json:"efficiency"`
	// MonthlyRate is TotalCost at the same pace for 730 hours.
	MonthlyRate float64 `json:"monthlyRate"`
}

// Point is one bucket of a time series, at the bucket's end.
type Point struct {
	Time      time.Time `json:"time"`
	CPUCost   float64   `json:"cpuCost"`
	RAMCost   float64   `json:"ramCost"`
	TotalCost float64   `json:"totalCost"`
}

// Series is one group's cost per bucket.
type Series struct {
	Name   string  `json:"name"`
	Points []Point `json:"points"`
}

// NodeCost says how a node was priced and what of it went unused.
type NodeCost struct {
	Name         string    `json:"name"`
	InstanceType string    `json:"instanceType,omitempty"`
	Region       string    `json:"region,omitempty"`
	Spot         bool      `json:"spot"`
	Hours        float64   `json:"hours"`
	Cores        float64   `json:"cores"`
	GiB          float64   `json:"gib"`
	Rates        NodeRates `json:"rates"`
	Cost         float64   `json:"cost"`
	IdleCost     float64   `json:"idleCost"`
}

// Result is an allocation. TotalCost is the rows plus, when no filter
// narrows the rows, the idle cost and the control-plane fee: the cluster's
// compute bill for the window.
type Result struct {
	Window           Window     `json:"window"`
	Currency         string     `json:"currency"`
	GroupBy          string     `json:"groupBy"`
	Resolution       string     `json:"resolution"`
	Rows             []Row      `json:"rows"`
	IdleCost         float64    `json:"idleCost"`
	ControlPlaneCost float64    `json:"controlPlaneCost"`
	TotalCost        float64    `json:"totalCost"`
	MonthlyRate      float64    `json:"monthlyRate"`
	Series           []Series   `json:"series,omitempty"`
	Nodes            []NodeCost `json:"nodes"`
	Warnings         []string   `json:"warnings,omitempty"`
}

// Allocate computes the cost of the query's window grouped as it asks.
func (a *Allocator) Allocate(ctx context.Context, q Query) (*Result, error) {
	if err := q.normalise(); err != nil {
		return nil, err
	}
	d, err := a.collect(ctx, q)
	if err != nil {
		return nil, err
	}
	return a.allocate(d), nil
}

// priced is one container's cost per bucket.
type priced struct {
	c                *containerData
	pod              *podMeta
	node             string
	rates            NodeRates
	cpuCost, ramCost buckets
}

// price applies each node's rates to the containers that ran on it and
// finds each node's idle cost.
func (a *Allocator) price(d *dataset) ([]priced, map[string]NodeRates) {
	rates := map[string]NodeRates{}
	for name, n := range d.nodes {
		rates[name] = a.pricing.Rates(n.asNode(a.pricing.Region))
	}
	keys := make([]containerKey3, 0, len(d.containers))
	for k := range d.containers {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	out := make([]priced, 0, len(keys))
	for _, k := range keys {
		c := d.containers[k]
		p := d.pods[podKey{k.namespace, k.pod}]
		if p == nil {
			p = &podMeta{}
		}
		r, ok := rates[p.node]
		if !ok {
			// A pod whose node is unknown is costed at the custom rates.
			r = a.pricing.Rates(Node{})
		}
		pc := priced{c: c, pod: p, node: p.node, rates: r, cpuCost: make(buckets, len(d.ends)), ramCost: make(buckets, len(d.ends))}
		for i := range d.ends {
			pc.cpuCost[i] = c.cpuAlloc[i] * r.CPUPerCoreHour
			pc.ramCost[i] = c.ramAlloc[i] * r.RAMPerGiBHour
		}
		out = append(out, pc)
	}
	return out, rates
}

func (k containerKey3) less(o containerKey3) bool {
	if k.namespace != o.namespace {
		return k.namespace < o.namespace
	}
	if k.pod != o.pod {
		return k.pod < o.pod
	}
	return k.container < o.container
}

func (n *nodeData) asNode(defaultRegion string) Node {
	hours := n.hours.sum()
	node := Node{Name: n.name, InstanceType: n.instanceType, Region: n.region, Spot: n.spot}
	if node.Region == "" {
		node.Region = defaultRegion
	}
	if hours > 0 {
		node.Cores = n.cpuCap.sum() / hours
		node.GiB = n.ramCap.sum() / hours
	}
	return node
}

// group is a row being summed, with its per-bucket costs.
type group struct {
	row              Row
	cpuCost, ramCost buckets
	cpuUseCost       float64
	ramUseCost       float64
}

func (a *Allocator) allocate(d *dataset) *Result {
	q := d.q
	pcs, rates := a.price(d)
	n := len(d.ends)
	windowHours := q.End.Sub(q.Start).Hours()
	groups := map[string]*group{}
	filtered := q.Filter.active()
	// Allocated cost per node and bucket, of every container (filtered or
	// not): idle is what no container took.
	nodeCPU, nodeRAM := map[string]buckets{}, map[string]buckets{}
	for _, pc := range pcs {
		if _, known := d.nodes[pc.node]; known {
			if nodeCPU[pc.node] == nil {
				nodeCPU[pc.node], nodeRAM[pc.node] = make(buckets, n), make(buckets, n)
			}
			for i := range n {
				nodeCPU[pc.node][i] += pc.cpuCost[i]
				nodeRAM[pc.node][i] += pc.ramCost[i]
			}
		}
		if !d.keep(pc) {
			continue
		}
		name := d.groupName(pc)
		g, ok := groups[name]
		if !ok {
			g = &group{row: Row{Name: name}, cpuCost: make(buckets, n), ramCost: make(buckets, n)}
			groups[name] = g
		}
		for i := range n {
			g.cpuCost[i] += pc.cpuCost[i]
			g.ramCost[i] += pc.ramCost[i]
		}
		g.row.CPUCoreHours += pc.c.cpuAlloc.sum()
		g.row.RAMGiBHours += pc.c.ramAlloc.sum()
		g.row.CPUUsageCoreHours += pc.c.cpuUse.sum()
		g.row.RAMUsageGiBHours += pc.c.ramUse.sum()
		g.cpuUseCost += pc.c.cpuUse.sum() * pc.rates.CPUPerCoreHour
		g.ramUseCost += pc.c.ramUse.sum() * pc.rates.RAMPerGiBHour
	}

	res := &Result{
		Window:     Window{Start: q.Start, End: q.End},
		Currency:   "USD",
		GroupBy:    q.GroupBy,
		Resolution: q.Resolution.String(),
		Warnings:   d.warnings,
		Rows:       []Row{},
		Nodes:      []NodeCost{},
	}
	idle := make(buckets, n)
	eks := false
	for _, name := range sortedKeys(d.nodes) {
		nd := d.nodes[name]
		if !d.keepNode(name) || nd.hours.sum() == 0 {
			continue
		}
		eks = eks || nd.eks
		r := rates[name]
		node := nd.asNode(a.pricing.Region)
		nc := NodeCost{Name: name, InstanceType: nd.instanceType, Region: node.Region, Spot: nd.spot,
			Hours: nd.hours.sum(), Cores: node.Cores, GiB: node.GiB, Rates: r}
		for i := range n {
			cpu := nd.cpuCap[i] * r.CPUPerCoreHour
			ram := nd.ramCap[i] * r.RAMPerGiBHour
			nc.Cost += cpu + ram
			// Over-committed nodes (usage beyond capacity) have no idle,
			// never a negative one.
			v := max(0, cpu-at(nodeCPU[name], i)) + max(0, ram-at(nodeRAM[name], i))
			idle[i] += v
			nc.IdleCost += v
		}
		res.Nodes = append(res.Nodes, nc)
	}
	res.IdleCost = idle.sum()
	controlPlane := make(buckets, n)
	if eks || a.pricing.ForceControlPlane {
		for i := range n {
			controlPlane[i] = a.pricing.ControlPlanePerHour * q.Step.Hours()
		}
	}
	res.ControlPlaneCost = controlPlane.sum()

	names := make([]string, 0, len(groups))
	for name := range groups {
		names = append(names, name)
	}
	for _, name := range names {
		g := groups[name]
		g.row.CPUCost = g.cpuCost.sum()
		g.row.RAMCost = g.ramCost.sum()
		g.row.TotalCost = g.row.CPUCost + g.row.RAMCost
		if g.row.TotalCost > 0 {
			g.row.Efficiency = (g.cpuUseCost + g.ramUseCost) / g.row.TotalCost
		}
		g.row.MonthlyRate = monthly(g.row.TotalCost, windowHours)
		res.Rows = append(res.Rows, g.row)
		res.TotalCost += g.row.TotalCost
	}
	sort.Slice(res.Rows, func(i, j int) bool {
		if res.Rows[i].TotalCost != res.Rows[j].TotalCost {
			return res.Rows[i].TotalCost > res.Rows[j].TotalCost
		}
		return res.Rows[i].Name < res.Rows[j].Name
	})
	if !filtered {
		res.TotalCost += res.IdleCost + res.ControlPlaneCost
	}
	res.MonthlyRate = monthly(res.TotalCost, windowHours)

	if q.Format == FormatTimeSeries {
		for _, row := range res.Rows {
			g := groups[row.Name]
			res.Series = append(res.Series, series(row.Name, d.ends, g.cpuCost, g.ramCost, nil))
		}
		res.Series = append(res.Series, series(IdleName, d.ends, nil, nil, idle))
	}
	return res
}

func at(b buckets, i int) float64 {
	if b == nil {
		return 0
	}
	return b[i]
}

func series(name string, ends []time.Time, cpu, ram, total buckets) Series {
	s := Series{Name: name, Points: make([]Point, len(ends))}
	for i, t := range ends {
		p := Point{Time: t, CPUCost: at(cpu, i), RAMCost: at(ram, i)}
		p.TotalCost = p.CPUCost + p.RAMCost + at(total, i)
		s.Points[i] = p
	}
	return s
}

func monthly(cost, hours float64) float64 {
	if hours <= 0 {
		return 0
	}
	return cost / hours * HoursPerMonth
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (f Filter) active() bool {
	return len(f.Namespaces)+len(f.Workloads)+len(f.Pods)+len(f.Nodes)+len(f.Labels) > 0
}

// workload names the owner a pod belongs to as namespace/Kind/name: a
// ReplicaSet's pods belong to its Deployment (or Rollout), a pod without an
// owner to itself.
func (d *dataset) workload(k containerKey3, p *podMeta) string {
	kind, name := p.ownerKind, p.ownerName
	if kind == "ReplicaSet" {
		if o, ok := d.rsOwner[podKey{k.namespace, name}]; ok {
			kind, name = o[0], o[1]
		}
	}
	if kind == "" {
		kind, name = "Pod", k.pod
	}
	return k.namespace + "/" + kind + "/" + name
}

func (d *dataset) label(k containerKey3, p *podMeta, key string) string {
	if v := p.labels[key]; v != "" {
		return v
	}
	if v := d.nsLabels[k.namespace][key]; v != "" {
		return v
	}
	return ""
}

func (d *dataset) groupName(pc priced) string {
	k := pc.c.key
	switch d.q.GroupBy {
	case ByNamespace:
		return k.namespace
	case ByWorkload:
		return d.workload(k, pc.pod)
	case ByPod:
		return k.namespace + "/" + k.pod
	case ByContainer:
		return k.namespace + "/" + k.pod + "/" + k.container
	case ByNode:
		if pc.node == "" {
			return UnallocatedName
		}
		return pc.node
	}
	key := strings.TrimPrefix(d.q.GroupBy, labelPrefix)
	if v := d.label(k, pc.pod, key); v != "" {
		return v
	}
	return UnallocatedName
}

// keep applies the filter to one container.
func (d *dataset) keep(pc priced) bool {
	f := d.q.Filter
	k := pc.c.key
	if len(f.Namespaces) > 0 && !slices.Contains(f.Namespaces, k.namespace) {
		return false
	}
	if len(f.Pods) > 0 && !slices.Contains(f.Pods, k.pod) && !slices.Contains(f.Pods, k.namespace+"/"+k.pod) {
		return false
	}
	if len(f.Nodes) > 0 && !slices.Contains(f.Nodes, pc.node) {
		return false
	}
	if len(f.Workloads) > 0 {
		w := d.workload(k, pc.pod)
		_, rest, _ := strings.Cut(w, "/")
		_, name, _ := strings.Cut(rest, "/")
		if !slices.Contains(f.Workloads, w) && !slices.Contains(f.Workloads, name) {
			return false
		}
	}
	for key, want := range f.Labels {
		if d.label(k, pc.pod, key) != want {
			return false
		}
	}
	return true
}

func (d *dataset) keepNode(name string) bool {
	return len(d.q.Filter.Nodes) == 0 || slices.Contains(d.q.Filter.Nodes, name)
}

// String is a one-line account of a result, for logs and errors.
func (r *Result) String() string {
	return fmt.Sprintf("%s..%s: %d rows, total %.4f %s (idle %.4f, control plane %.4f)",
		r.Window.Start.Format(time.RFC3339), r.Window.End.Format(time.RFC3339), len(r.Rows), r.TotalCost, r.Currency, r.IdleCost, r.ControlPlaneCost)
}
