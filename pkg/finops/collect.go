package finops

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/api"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// Querier is the Prometheus HTTP client the allocation asks through, with
// the caller's transport, authentication and response bound. The container
// selectors' answers are read from its bodies directly (matrix.go); the
// other queries go through client_golang's v1 API over the same client.
type Querier = api.Client

// Options tune an Allocator. The zero value is ready to use.
type Options struct {
	// RateWindow is the range of rate() for CPU usage; default the
	// resolution, which makes each sample the average use of its own step.
	// Raise it when the scrape interval is not well below the resolution.
	RateWindow time.Duration
	// MaxSeries bounds the series of one query's answer.
	MaxSeries int
	// Concurrency bounds the queries in flight; default 3.
	Concurrency int
	// UncompressedAnswers asks for the container selectors' answers
	// uncompressed (Accept-Encoding: identity). Go's HTTP client asks for
	// gzip by default and Prometheus then compresses every answer: for a
	// week of 1,000 containers that is about 175 MB of JSON, and gzip was
	// about 40 % of Prometheus's CPU for the allocation (docs/finops.md,
	// "Benchmark"). Set it when Prometheus is on the same host or a fast
	// network; leave it off across a slow link, where the 60-fold smaller
	// answers are worth the CPU.
	UncompressedAnswers bool
	// MaxQueryWindow is the longest span one Prometheus query integrates
	// over; default a day. A longer window is asked in pieces that run
	// concurrently and add up, so no single query scans a week.
	MaxQueryWindow time.Duration
}

// DefaultMaxQueryWindow keeps each piece of a week-long allocation well
// inside Prometheus's default 2-minute query timeout.
const DefaultMaxQueryWindow = 24 * time.Hour

// maxPieces bounds the requests one job is split into.
const maxPieces = 400

// DefaultMaxSeries is enough for a cluster of 50,000 containers.
const DefaultMaxSeries = 50000

// Allocator computes cost from one Prometheus with one pricing.
type Allocator struct {
	c       Querier
	q       v1.API
	pricing Pricing
	opt     Options
}

// New returns an Allocator; it makes no request.
func New(q Querier, pricing Pricing, opt Options) (*Allocator, error) {
	if q == nil {
		return nil, errors.New("finops: no Prometheus client")
	}
	if err := pricing.Validate(); err != nil {
		return nil, fmt.Errorf("finops pricing: %w", err)
	}
	if opt.RateWindow < 0 {
		return nil, fmt.Errorf("finops: rate window %s is negative", opt.RateWindow)
	}
	if opt.MaxSeries <= 0 {
		opt.MaxSeries = DefaultMaxSeries
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 3
	}
	if opt.MaxQueryWindow < 0 {
		return nil, fmt.Errorf("finops: max query window %s is negative", opt.MaxQueryWindow)
	}
	if opt.MaxQueryWindow == 0 {
		opt.MaxQueryWindow = DefaultMaxQueryWindow
	}
	return &Allocator{c: q, q: v1.NewAPI(q), pricing: pricing, opt: opt}, nil
}

func (a *Allocator) exprs(q Query) exprs {
	rw := a.opt.RateWindow
	if rw == 0 {
		rw = q.Resolution
	}
	return exprs{res: q.Resolution, rateWindow: rw}
}

type containerKey3 struct{ namespace, pod, container string }
type podKey struct{ namespace, pod string }

// buckets holds one value per time bucket.
type buckets []float64

func (b buckets) sum() float64 {
	var s float64
	for _, v := range b {
		s += v
	}
	return s
}

// containerData is one container's integrals, in resource-hours per bucket.
type containerData struct {
	key              containerKey3
	cpuAlloc, cpuUse buckets // core-hours
	ramAlloc, ramUse buckets // GiB-hours
	// The trend's integrals (nil unless Trends asked for them): requests
	// while running, in core-hours and GiB-hours, and running hours.
	cpuRequest, ramRequest, hours buckets
}

// nodeData is one node's capacity integrals and what prices it.
type nodeData struct {
	name           string
	cpuCap, ramCap buckets // core-hours, GiB-hours
	hours          buckets
	instanceType   string
	region         string
	spot, eks      bool
}

type podMeta struct {
	node                 string
	ownerKind, ownerName string
	// labels are the pod's values of the label keys the query uses.
	labels map[string]string
}

// dataset is everything fetched for one query.
type dataset struct {
	q          Query
	ends       []time.Time // bucket ends
	containers map[containerKey3]*containerData
	pods       map[podKey]*podMeta
	nodes      map[string]*nodeData
	rsOwner    map[podKey][2]string // replicaset -> (kind, name)
	// nsLabels are the namespaces' values of the label keys the query uses.
	nsLabels map[string]map[string]string
	warnings []string
}

func (d *dataset) container(k containerKey3) *containerData {
	c, ok := d.containers[k]
	if !ok {
		n := len(d.ends)
		c = &containerData{key: k, cpuAlloc: make(buckets, n), cpuUse: make(buckets, n),
			ramAlloc: make(buckets, n), ramUse: make(buckets, n)}
		d.containers[k] = c
	}
	return c
}

func (d *dataset) node(name string) *nodeData {
	n, ok := d.nodes[name]
	if !ok {
		m := len(d.ends)
		n = &nodeData{name: name, cpuCap: make(buckets, m), ramCap: make(buckets, m), hours: make(buckets, m)}
		d.nodes[name] = n
	}
	return n
}

func (d *dataset) pod(k podKey) *podMeta {
	p, ok := d.pods[k]
	if !ok {
		p = &podMeta{}
		d.pods[k] = p
	}
	return p
}

const gib = 1 << 30

// Labels of kube_node_labels (kube-state-metrics sanitises the keys) that
// price a node; they are exported only when kube-state-metrics' allowlist
// names them (docs/finops.md).
var (
	instanceTypeLabels = []model.LabelName{"label_node_kubernetes_io_instance_type", "label_beta_kubernetes_io_instance_type"}
	regionLabels       = []model.LabelName{"label_topology_kubernetes_io_region", "label_failure_domain_beta_kubernetes_io_region"}
	spotLabels         = []model.LabelName{"label_eks_amazonaws_com_capacityType", "label_karpenter_sh_capacity_type"}
	eksLabels          = []model.LabelName{"label_eks_amazonaws_com_nodegroup", "label_eks_amazonaws_com_capacityType", "label_eks_amazonaws_com_compute_type"}
)

// job is one query of a collection and where its answer goes.
type job struct {
	name string
	// expr is an instant query at End. sum, set instead, is a query whose
	// value at a time is a sum over the width before it: its buckets are
	// asked in pieces whose answers add up (pieces).
	expr  string
	sum   func(width time.Duration) string
	apply func(d *dataset, m model.Matrix) error
}

func instant(name, expr string, apply func(*dataset, model.Matrix) error) job {
	return job{name: name, expr: expr, apply: apply}
}

func sums(name string, sum func(width time.Duration) string, apply func(*dataset, model.Matrix) error) job {
	return job{name: name, sum: sum, apply: apply}
}

// request is one Prometheus query of a job: instant at at, or a range
// query over the bucket ends from..at. An instant piece of a bucket longer
// than MaxQueryWindow has its answer credited to the bucket's end.
type request struct {
	job      int
	expr     string
	rng      bool
	from, at time.Time
	credit   time.Time
}

// pieces splits job i into requests no longer than MaxQueryWindow (rounded
// down to the resolution): buckets up to that width are asked in range
// queries of whole buckets; a longer bucket (the table form's one bucket)
// in instant queries over consecutive pieces of it, newest first. Every
// piece's edges are multiples of the resolution, so the pieces' subquery
// steps are exactly the whole bucket's.
func (a *Allocator) pieces(q Query, i int, j job) []request {
	if j.sum == nil {
		return []request{{job: i, expr: j.expr, at: q.End}}
	}
	window := q.End.Sub(q.Start)
	width := max(q.Resolution, a.opt.MaxQueryWindow/q.Resolution*q.Resolution)
	if window/width > maxPieces {
		width = (window/maxPieces + q.Resolution - 1) / q.Resolution * q.Resolution
	}
	var out []request
	if q.Step <= width {
		per := time.Duration(width / q.Step)
		for first := q.Start.Add(q.Step); !first.After(q.End); first = first.Add(per * q.Step) {
			last := first.Add((per - 1) * q.Step)
			if last.After(q.End) {
				last = q.End
			}
			out = append(out, request{job: i, expr: j.sum(q.Step), rng: true, from: first, at: last})
		}
		return out
	}
	for end := q.Start.Add(q.Step); !end.After(q.End); end = end.Add(q.Step) {
		open := end.Add(-q.Step)
		for to := end; to.After(open); to = to.Add(-width) {
			out = append(out, request{job: i, expr: j.sum(min(width, to.Sub(open))), at: to, credit: end})
		}
	}
	return out
}

// collect runs the container, node and metadata queries of q and joins
// their answers. The per-container jobs are extra (right-sizing adds its
// own).
func (a *Allocator) collect(ctx context.Context, q Query, extra ...job) (*dataset, error) {
	e := a.exprs(q)
	d := &dataset{q: q, containers: map[containerKey3]*containerData{}, pods: map[podKey]*podMeta{},
		nodes: map[string]*nodeData{}, rsOwner: map[podKey][2]string{}, nsLabels: map[string]map[string]string{}}
	for t := q.Start.Add(q.Step); !t.After(q.End); t = t.Add(q.Step) {
		d.ends = append(d.ends, t)
	}
	resHours := q.Resolution.Hours()
	window := q.End.Sub(q.Start)
	perNode := func(get func(*nodeData) buckets, scale float64) func(*dataset, model.Matrix) error {
		return func(d *dataset, m model.Matrix) error {
			return d.eachBucket(m, func(s *model.SampleStream, i int, v float64) {
				get(d.node(string(s.Metric["node"])))[i] += v * scale
			})
		}
	}
	nodeCPU := e.nodeCapacity("cpu", "core")
	jobs := []job{
		sums("node cpu capacity", e.integral(nodeCPU), perNode(func(n *nodeData) buckets { return n.cpuCap }, resHours)),
		sums("node memory capacity", e.integral(e.nodeCapacity("memory", "byte")), perNode(func(n *nodeData) buckets { return n.ramCap }, resHours/gib)),
		sums("node hours", e.counted(nodeCPU), perNode(func(n *nodeData) buckets { return n.hours }, resHours)),
		instant("pod nodes", infoQuery(`kube_pod_info{node!=""}`, []string{"namespace", "pod", "node"}, window), applyPodNodes),
		instant("pod owners", infoQuery("kube_pod_owner", []string{"namespace", "pod", "owner_kind", "owner_name"}, window), applyPodOwners),
		instant("replicaset owners", infoQuery("kube_replicaset_owner", []string{"namespace", "replicaset", "owner_kind", "owner_name"}, window), applyReplicaSetOwners),
		instant("node labels", infoQuery("kube_node_labels", nodeLabelNames(), window), applyNodeLabels),
		instant("node info", infoQuery("kube_node_info", []string{"node", "provider_id", "kubelet_version"}, window), applyNodeInfo),
	}
	if keys := q.labelKeys(); len(keys) > 0 {
		jobs = append(jobs,
			instant("pod labels", infoQuery("kube_pod_labels", append([]string{"namespace", "pod"}, ksmLabels(keys)...), window), applyPodLabels(keys)),
			instant("namespace labels", infoQuery("kube_namespace_labels", append([]string{"namespace"}, ksmLabels(keys)...), window), applyNamespaceLabels(keys)),
		)
	}
	jobs = append(jobs, extra...)
	// The container integrals and the other jobs share one bound on the
	// requests in flight.
	sem := make(chan struct{}, a.opt.Concurrency)
	var (
		parts     []containerPart
		partWarns []string
		partErr   error
		wg        sync.WaitGroup
	)
	wg.Go(func() { parts, partWarns, partErr = a.containerIntegrals(ctx, d, sem) })
	err := a.run(ctx, d, jobs, sem)
	wg.Wait()
	d.warnings = append(d.warnings, partWarns...)
	switch {
	case partErr != nil && err != nil:
		return nil, fmt.Errorf("%w; and the container usage and requests: %w", err, partErr)
	case partErr != nil:
		return nil, fmt.Errorf("prometheus: the container usage and requests queries failed: %w", partErr)
	case err != nil:
		return nil, err
	}
	d.addContainerParts(parts)
	return d, nil
}

// perContainer adds each sample, scaled, to the container's buckets that get
// names; buckets only some queries fill are made on first use.
func perContainer(get func(*containerData) *buckets, scale float64) func(*dataset, model.Matrix) error {
	return func(d *dataset, m model.Matrix) error {
		return d.eachBucket(m, func(s *model.SampleStream, i int, v float64) {
			b := get(d.container(containerKey3{string(s.Metric["namespace"]), string(s.Metric["pod"]), string(s.Metric["container"])}))
			if *b == nil {
				*b = make(buckets, len(d.ends))
			}
			(*b)[i] += v * scale
		})
	}
}

// labelKeys are the label keys that q groups or filters by, sorted.
func (q Query) labelKeys() []string {
	var keys []string
	if k, ok := strings.CutPrefix(q.GroupBy, labelPrefix); ok {
		keys = append(keys, k)
	}
	for k := range q.Filter.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return uniq(keys)
}

func ksmLabels(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = ksmLabel(k)
	}
	return out
}

func nodeLabelNames() []string {
	names := []string{"node"}
	for _, group := range [][]model.LabelName{instanceTypeLabels, regionLabels, spotLabels, eksLabels} {
		for _, l := range group {
			names = append(names, string(l))
		}
	}
	sort.Strings(names[1:])
	return uniq(names)
}

func uniq(s []string) []string {
	out := s[:0]
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// run executes the jobs' requests with bounded concurrency and applies
// their answers in order (applying mutates the dataset, so it is
// serialised); the pieces of a job add into the same buckets.
func (a *Allocator) run(ctx context.Context, d *dataset, jobs []job, sem chan struct{}) error {
	var reqs []request
	for i, j := range jobs {
		reqs = append(reqs, a.pieces(d.q, i, j)...)
	}
	results := make([]model.Matrix, len(reqs))
	errs := make([]error, len(reqs))
	warns := make([]v1.Warnings, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				errs[i] = fmt.Errorf("%s: %w", jobs[r.job].name, ctx.Err())
				return
			}
			results[i], warns[i], errs[i] = a.fetch(ctx, d.q, jobs[r.job].name, r)
		}()
	}
	wg.Wait()
	failedJobs := map[int]bool{}
	var failed []error
	for i, r := range reqs {
		name := jobs[r.job].name
		for _, w := range warns[i] {
			d.warnings = append(d.warnings, name+": "+w)
		}
		if failedJobs[r.job] {
			continue
		}
		if errs[i] != nil {
			failedJobs[r.job] = true
			failed = append(failed, errs[i])
			continue
		}
		if err := jobs[r.job].apply(d, results[i]); err != nil {
			failedJobs[r.job] = true
			failed = append(failed, fmt.Errorf("%s: %w", name, err))
		}
		results[i] = nil
	}
	if len(failed) > 0 {
		return fmt.Errorf("prometheus: %d of %d cost queries failed: %w", len(failedJobs), len(jobs), errors.Join(failed...))
	}
	return nil
}

func (a *Allocator) fetch(ctx context.Context, q Query, name string, r request) (model.Matrix, v1.Warnings, error) {
	var (
		v     model.Value
		warns v1.Warnings
		err   error
	)
	if r.rng {
		v, warns, _, err = a.q.QueryRange(ctx, r.expr, v1.Range{Start: r.from, End: r.at, Step: q.Step})
	} else {
		v, warns, _, err = a.q.Query(ctx, r.expr, r.at)
	}
	if err != nil {
		return nil, warns, fmt.Errorf("%s: %w", name, err)
	}
	m, err := asMatrix(v, r.at)
	if err != nil {
		return nil, warns, fmt.Errorf("%s: %w", name, err)
	}
	if len(m) > a.opt.MaxSeries {
		return nil, warns, fmt.Errorf("%s: %d series, more than the %d allowed (narrow the query or raise the bound)", name, len(m), a.opt.MaxSeries)
	}
	if !r.credit.IsZero() {
		at := model.TimeFromUnixNano(r.credit.UnixNano())
		for _, s := range m {
			for k := range s.Values {
				s.Values[k].Timestamp = at
			}
		}
	}
	return m, warns, nil
}

// asMatrix turns an instant vector into a one-point matrix so every answer
// is read the same way.
func asMatrix(v model.Value, at time.Time) (model.Matrix, error) {
	switch x := v.(type) {
	case model.Matrix:
		return x, nil
	case model.Vector:
		m := make(model.Matrix, 0, len(x))
		for _, s := range x {
			m = append(m, &model.SampleStream{Metric: s.Metric, Values: []model.SamplePair{{Timestamp: s.Timestamp, Value: s.Value}}})
		}
		return m, nil
	case nil:
		return nil, nil
	default:
		return nil, fmt.Errorf("unexpected %s answer at %s", v.Type(), at.Format(time.RFC3339))
	}
}

// eachBucket calls fn for every finite sample, with the index of the bucket
// that ends at the sample's time.
func (d *dataset) eachBucket(m model.Matrix, fn func(s *model.SampleStream, i int, v float64)) error {
	first := d.ends[0]
	step := d.q.Step
	for _, s := range m {
		for _, p := range s.Values {
			v := float64(p.Value)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			off := p.Timestamp.Time().Sub(first)
			i := int(off / step)
			if off < 0 || off%step != 0 || i >= len(d.ends) {
				return fmt.Errorf("sample at %s is not at a bucket end", p.Timestamp.Time().UTC().Format(time.RFC3339))
			}
			fn(s, i, v)
		}
	}
	return nil
}

func applyPodNodes(d *dataset, m model.Matrix) error {
	sortStreams(m)
	for _, s := range m {
		p := d.pod(podKey{string(s.Metric["namespace"]), string(s.Metric["pod"])})
		if p.node == "" {
			p.node = string(s.Metric["node"])
		}
	}
	return nil
}

func applyPodOwners(d *dataset, m model.Matrix) error {
	sortStreams(m)
	for _, s := range m {
		p := d.pod(podKey{string(s.Metric["namespace"]), string(s.Metric["pod"])})
		kind, name := string(s.Metric["owner_kind"]), string(s.Metric["owner_name"])
		// kube-state-metrics reports "<none>" for a pod without an owner.
		if p.ownerKind == "" && kind != "" && kind != "<none>" {
			p.ownerKind, p.ownerName = kind, name
		}
	}
	return nil
}

func applyReplicaSetOwners(d *dataset, m model.Matrix) error {
	sortStreams(m)
	for _, s := range m {
		k := podKey{string(s.Metric["namespace"]), string(s.Metric["replicaset"])}
		kind := string(s.Metric["owner_kind"])
		if _, seen := d.rsOwner[k]; !seen && kind != "" && kind != "<none>" {
			d.rsOwner[k] = [2]string{kind, string(s.Metric["owner_name"])}
		}
	}
	return nil
}

func firstLabel(s *model.SampleStream, names []model.LabelName) string {
	for _, n := range names {
		if v := s.Metric[n]; v != "" {
			return string(v)
		}
	}
	return ""
}

func applyNodeLabels(d *dataset, m model.Matrix) error {
	sortStreams(m)
	for _, s := range m {
		n := d.node(string(s.Metric["node"]))
		if t := firstLabel(s, instanceTypeLabels); t != "" {
			n.instanceType = t
		}
		if r := firstLabel(s, regionLabels); r != "" {
			n.region = r
		}
		if c := firstLabel(s, spotLabels); strings.EqualFold(c, "spot") {
			n.spot = true
		}
		if firstLabel(s, eksLabels) != "" {
			n.eks = true
		}
	}
	return nil
}

// applyNodeInfo reads the region from an AWS provider id
// (aws:///us-east-1a/i-0abc) and recognises EKS by its kubelet version
// (v1.30.4-eks-a737599).
func applyNodeInfo(d *dataset, m model.Matrix) error {
	sortStreams(m)
	for _, s := range m {
		n := d.node(string(s.Metric["node"]))
		if strings.Contains(string(s.Metric["kubelet_version"]), "-eks-") {
			n.eks = true
		}
		pid := string(s.Metric["provider_id"])
		if rest, ok := strings.CutPrefix(pid, "aws:///"); ok && n.region == "" {
			zone, _, _ := strings.Cut(rest, "/")
			if len(zone) > 1 && zone[len(zone)-1] >= 'a' && zone[len(zone)-1] <= 'z' {
				n.region = zone[:len(zone)-1]
			}
		}
	}
	return nil
}

func applyPodLabels(keys []string) func(*dataset, model.Matrix) error {
	return func(d *dataset, m model.Matrix) error {
		sortStreams(m)
		for _, s := range m {
			p := d.pod(podKey{string(s.Metric["namespace"]), string(s.Metric["pod"])})
			p.labels = setLabels(p.labels, keys, s.Metric)
		}
		return nil
	}
}

func applyNamespaceLabels(keys []string) func(*dataset, model.Matrix) error {
	return func(d *dataset, m model.Matrix) error {
		sortStreams(m)
		for _, s := range m {
			ns := string(s.Metric["namespace"])
			d.nsLabels[ns] = setLabels(d.nsLabels[ns], keys, s.Metric)
		}
		return nil
	}
}

// setLabels records the non-empty values of keys; the first value seen wins.
func setLabels(into map[string]string, keys []string, m model.Metric) map[string]string {
	for _, k := range keys {
		v := string(m[model.LabelName(ksmLabel(k))])
		if v == "" {
			continue
		}
		if into == nil {
			into = map[string]string{}
		}
		if _, ok := into[k]; !ok {
			into[k] = v
		}
	}
	return into
}

// sortStreams makes "the first one wins" deterministic when metadata
// disagrees (a pod seen on two nodes within the window).
func sortStreams(m model.Matrix) {
	sort.Slice(m, func(i, j int) bool { return m[i].Metric.Before(m[j].Metric) })
}
