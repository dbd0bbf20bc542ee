package finops

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// The container integrals (allocation and usage, CPU and memory) are joined
// in Go. Prometheus evaluates a join such as `(request or usage) and on(…)
// running` series by series at every resolution step, and it was 95 % of
// an allocation's time (docs/finops.md, "How it queries"); plain selectors
// over the same steps cost it a tenth of that. So the allocation asks five
// selectors as range queries at the resolution — the running state, the
// CPU and memory requests, the CPU usage rate and the working set — and
// computes max(request, usage) while running per container and step, the
// same value at the same steps as the PromQL it replaces.

// containerSource is one of the selectors of a piece.
type containerSource int

const (
	srcRunning containerSource = iota
	srcCPURequest
	srcRAMRequest
	srcCPUUse
	srcRAMUse
	nSources
)

var sourceNames = [nSources]string{"running state", "cpu requests", "memory requests", "cpu usage", "memory usage"}

// sources are the selectors; each answer is grouped by container in Go,
// as `max by` (running, requests) or `sum by` (usage) would in PromQL.
func (e exprs) sources() [nSources]string {
	return [nSources]string{
		srcRunning:    fmt.Sprintf(`kube_pod_container_status_running{%s}`, containerSel),
		srcCPURequest: fmt.Sprintf(`kube_pod_container_resource_requests{resource="cpu",unit="core",%s}`, containerSel),
		srcRAMRequest: fmt.Sprintf(`kube_pod_container_resource_requests{resource="memory",unit="byte",%s}`, containerSel),
		srcCPUUse:     fmt.Sprintf(`rate(container_cpu_usage_seconds_total{%s}[%s])`, containerSel, promDuration(e.rateWindow)),
		srcRAMUse:     fmt.Sprintf(`container_memory_working_set_bytes{%s}`, containerSel),
	}
}

// maxContainerPiece bounds the span of one piece's range queries: its
// answers are decoded whole, so a piece of a cluster of c containers holds
// about 5 × c × (span ÷ resolution) samples, and Concurrency pieces are in
// flight.
const maxContainerPiece = 6 * time.Hour

// containerPart is one piece's integrals: per container, the sums of the
// step values of the buckets first..first+len-1, in resource units × steps.
type containerPart struct {
	first int
	sums  map[containerKey3]*[4][]float64 // cpu alloc, cpu use, ram alloc, ram use
}

// containerSpans cuts the window into pieces (from, to] whose edges are
// multiples of the resolution, at most maxContainerPiece (and
// MaxQueryWindow) long and at most maxPieces of them.
func (a *Allocator) containerSpans(q Query) [][2]time.Time {
	width := min(maxContainerPiece, a.opt.MaxQueryWindow)
	width = max(q.Resolution, width/q.Resolution*q.Resolution)
	if window := q.End.Sub(q.Start); window/width > maxPieces {
		width = (window/maxPieces + q.Resolution - 1) / q.Resolution * q.Resolution
	}
	var out [][2]time.Time
	for open := q.Start; open.Before(q.End); open = open.Add(width) {
		to := open.Add(width)
		if to.After(q.End) {
			to = q.End
		}
		out = append(out, [2]time.Time{open, to})
	}
	return out
}

// containerIntegrals fetches and joins every piece, at most one piece per
// slot of sem at a time, and returns the pieces' integrals in window order
// so that adding them up is deterministic.
func (a *Allocator) containerIntegrals(ctx context.Context, d *dataset, sem chan struct{}) ([]containerPart, []string, error) {
	spans := a.containerSpans(d.q)
	parts := make([]containerPart, len(spans))
	warns := make([][]string, len(spans))
	errs := make([]error, len(spans))
	e := a.exprs(d.q)
	done := make(chan struct{}, len(spans))
	for i, sp := range spans {
		go func() {
			defer func() { done <- struct{}{} }()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				errs[i] = fmt.Errorf("container usage and requests: %w", ctx.Err())
				return
			}
			parts[i], warns[i], errs[i] = a.containerPiece(ctx, d, e, sp[0], sp[1])
		}()
	}
	for range spans {
		<-done
	}
	var all []string
	for _, w := range warns {
		all = append(all, w...)
	}
	return parts, all, errors.Join(errs...)
}

// grid is one source's value per container and step of a piece; NaN where
// the container has no sample.
type grid map[containerKey3][]float64

// containerPiece asks the five selectors over the steps (open, close] and
// integrates the join into the piece's buckets.
func (a *Allocator) containerPiece(ctx context.Context, d *dataset, e exprs, open, close time.Time) (containerPart, []string, error) {
	res := d.q.Resolution
	n := int(close.Sub(open) / res)
	r := v1.Range{Start: open.Add(res), End: close, Step: res}
	var grids [nSources]grid
	var warns []string
	for src, expr := range e.sources() {
		body, err := a.queryRange(ctx, expr, r)
		if err != nil {
			return containerPart{}, warns, fmt.Errorf("%s: %w", sourceNames[src], err)
		}
		g := grid{}
		w, err := readMatrix(body, a.opt.MaxSeries, g.fold(containerSource(src), r.Start, res, n))
		for _, s := range w {
			warns = append(warns, sourceNames[src]+": "+s)
		}
		if err != nil {
			return containerPart{}, warns, fmt.Errorf("%s: %w", sourceNames[src], err)
		}
		grids[src] = g
	}
	first := bucketOf(d.q, r.Start)
	part := containerPart{first: first, sums: map[containerKey3]*[4][]float64{}}
	nb := bucketOf(d.q, close) - first + 1
	for k, running := range grids[srcRunning] {
		var sums *[4][]float64
		add := func(which, b int, v float64) {
			if sums == nil {
				sums = &[4][]float64{make([]float64, nb), make([]float64, nb), make([]float64, nb), make([]float64, nb)}
				part.sums[k] = sums
			}
			sums[which][b] += v
		}
		cpuReq, ramReq, cpuUse, ramUse := grids[srcCPURequest][k], grids[srcRAMRequest][k], grids[srcCPUUse][k], grids[srcRAMUse][k]
		for i, run := range running {
			if run != 1 {
				continue
			}
			b := bucketOf(d.q, r.Start.Add(time.Duration(i)*res)) - first
			if v, ok := maxPresent(valueAt(cpuReq, i), valueAt(cpuUse, i)); ok {
				add(0, b, v)
			}
			if v := valueAt(cpuUse, i); !math.IsNaN(v) {
				add(1, b, v)
			}
			if v, ok := maxPresent(valueAt(ramReq, i), valueAt(ramUse, i)); ok {
				add(2, b, v)
			}
			if v := valueAt(ramUse, i); !math.IsNaN(v) {
				add(3, b, v)
			}
		}
	}
	return part, warns, nil
}

// fold adds the series of one answer into g, one row per container, the
// way the PromQL aggregation would: running is 1 where any series is 1,
// requests take the largest, usage adds up. Non-finite samples are
// dropped (a sum over them would be too).
func (g grid) fold(src containerSource, from time.Time, res time.Duration, n int) seriesSink {
	start := from.UnixMilli()
	step := res.Milliseconds()
	return func(k containerKey3) func(int64, float64) error {
		row, ok := g[k]
		if !ok {
			row = make([]float64, n)
			for i := range row {
				row[i] = math.NaN()
			}
			g[k] = row
		}
		return func(ms int64, v float64) error {
			off := ms - start
			i := int(off / step)
			if off < 0 || off%step != 0 || i >= n {
				return fmt.Errorf("sample at %s is not at a resolution step", time.UnixMilli(ms).UTC().Format(time.RFC3339Nano))
			}
			if !finite(v) {
				return nil
			}
			switch {
			case src == srcRunning:
				if v == 1 {
					row[i] = 1
				}
			case math.IsNaN(row[i]):
				row[i] = v
			case src == srcCPUUse || src == srcRAMUse:
				row[i] += v
			default:
				row[i] = max(row[i], v)
			}
			return nil
		}
	}
}

// valueAt is row[i], NaN when the container has no such series.
func valueAt(row []float64, i int) float64 {
	if row == nil {
		return math.NaN()
	}
	return row[i]
}

// maxPresent is the larger of the values that are present.
func maxPresent(a, b float64) (float64, bool) {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0, false
	case math.IsNaN(a):
		return b, true
	case math.IsNaN(b):
		return a, true
	}
	return max(a, b), true
}

// bucketOf is the index of the bucket (end-step, end] holding time t > Start.
func bucketOf(q Query, t time.Time) int {
	return int((t.Sub(q.Start) - 1) / q.Step)
}

// addContainerParts adds the pieces' integrals into the dataset, scaled to
// core-hours and GiB-hours.
func (d *dataset) addContainerParts(parts []containerPart) {
	resHours := d.q.Resolution.Hours()
	scale := [4]float64{resHours, resHours, resHours / gib, resHours / gib}
	for _, p := range parts {
		for k, sums := range p.sums {
			c := d.container(k)
			into := [4]buckets{c.cpuAlloc, c.cpuUse, c.ramAlloc, c.ramUse}
			for w := range sums {
				for j, v := range sums[w] {
					into[w][p.first+j] += v * scale[w]
				}
			}
		}
	}
}
