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

// A piece's range queries answer about c × (span ÷ resolution) samples
// each for a cluster of c containers, decoded whole, and Concurrency
// pieces are in flight; so the span is chosen from the size of the
// cluster. Wider pieces cost Prometheus less for the same samples: every
// query selects each series and decodes its chunks anew, so 24 h pieces
// instead of 6 h cut its CPU for a week of 1,000 containers by about a
// sixth (docs/finops.md, "Benchmark"). The first piece is asked
// minContainerPiece wide; the rest as wide as keeps each answer within
// pieceSamples samples, between minContainerPiece and maxContainerPiece
// (and never wider than MaxQueryWindow).
const (
	minContainerPiece = 6 * time.Hour
	maxContainerPiece = 24 * time.Hour
	// pieceSamples is a day of 1,000 containers at 5 minutes: about 7 MB
	// of JSON per answer, the size a 6 h answer for 4,000 containers had
	// before the width depended on the cluster.
	pieceSamples = 1000 * 288
)

// containerPart is one piece's integrals: per container, the sums of the
// step values of the buckets first..first+len-1, in resource units × steps.
type containerPart struct {
	first int
	sums  map[containerKey3]*[4][]float64 // cpu alloc, cpu use, ram alloc, ram use
	// series is the most series any of the piece's answers had.
	series int
}

// containerSpans cuts (from, q.End] into pieces (open, close] whose edges
// are multiples of the resolution, width wide (rounded down to the
// resolution) and no more than maxPieces of them over the whole window.
func containerSpans(q Query, from time.Time, width time.Duration) [][2]time.Time {
	width = max(q.Resolution, width/q.Resolution*q.Resolution)
	if window := q.End.Sub(q.Start); window/width > maxPieces {
		width = (window/maxPieces + q.Resolution - 1) / q.Resolution * q.Resolution
	}
	var out [][2]time.Time
	for open := from; open.Before(q.End); open = open.Add(width) {
		to := open.Add(width)
		if to.After(q.End) {
			to = q.End
		}
		out = append(out, [2]time.Time{open, to})
	}
	return out
}

// restWidth is the width of the pieces after the first, which had series
// series: as many steps as keep an answer within pieceSamples samples.
func (a *Allocator) restWidth(q Query, series int) time.Duration {
	lo := min(minContainerPiece, a.opt.MaxQueryWindow)
	hi := min(maxContainerPiece, a.opt.MaxQueryWindow)
	w := time.Duration(pieceSamples/max(series, 1)) * q.Resolution
	return min(hi, max(lo, w))
}

// containerIntegrals fetches and joins every piece, at most one piece per
// slot of sem at a time, and returns the pieces' integrals in window order
// so that adding them up is deterministic. The first piece tells how many
// series the cluster has, and so how wide the others can be.
func (a *Allocator) containerIntegrals(ctx context.Context, d *dataset, sem chan struct{}) ([]containerPart, []string, error) {
	e := a.exprs(d.q)
	first := containerSpans(d.q, d.q.Start, min(minContainerPiece, a.opt.MaxQueryWindow))[0]
	part, warns, err := a.slotPiece(ctx, d, e, sem, first)
	if err != nil {
		return nil, warns, err
	}
	spans := containerSpans(d.q, first[1], a.restWidth(d.q, part.series))
	parts := make([]containerPart, len(spans)+1)
	parts[0] = part
	rest := make([][]string, len(spans))
	errs := make([]error, len(spans))
	done := make(chan struct{}, len(spans))
	for i, sp := range spans {
		go func() {
			defer func() { done <- struct{}{} }()
			parts[i+1], rest[i], errs[i] = a.slotPiece(ctx, d, e, sem, sp)
		}()
	}
	for range spans {
		<-done
	}
	for _, w := range rest {
		warns = append(warns, w...)
	}
	return parts, warns, errors.Join(errs...)
}

// slotPiece is containerPiece once a slot of sem is free.
func (a *Allocator) slotPiece(ctx context.Context, d *dataset, e exprs, sem chan struct{}, sp [2]time.Time) (containerPart, []string, error) {
	select {
	case sem <- struct{}{}:
		defer func() { <-sem }()
	case <-ctx.Done():
		return containerPart{}, nil, fmt.Errorf("container usage and requests: %w", ctx.Err())
	}
	return a.containerPiece(ctx, d, e, sp[0], sp[1])
}

// grid is one source's value per container and step of a piece; NaN where
// the container has no sample.
type grid map[containerKey3][]float64

// containerPiece asks the five selectors over the steps (open, close] and
// integrates the join into the piece's buckets: the running state first,
// then each resource's request and usage, joined and dropped before the
// next resource's are asked, so that three grids are held at a time.
func (a *Allocator) containerPiece(ctx context.Context, d *dataset, e exprs, open, close time.Time) (containerPart, []string, error) {
	res := d.q.Resolution
	n := int(close.Sub(open) / res)
	r := v1.Range{Start: open.Add(res), End: close, Step: res}
	exprs := e.sources()
	var warns []string
	part := containerPart{first: bucketOf(d.q, r.Start), sums: map[containerKey3]*[4][]float64{}}
	get := func(src containerSource) (grid, error) {
		body, err := a.queryRange(ctx, exprs[src], r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sourceNames[src], err)
		}
		g, series := grid{}, 0
		fold := g.fold(src, r.Start, res, n)
		w, err := readMatrix(body, a.opt.MaxSeries, func(k containerKey3) func(int64, float64) error {
			series++
			return fold(k)
		})
		for _, s := range w {
			warns = append(warns, sourceNames[src]+": "+s)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sourceNames[src], err)
		}
		part.series = max(part.series, series)
		return g, nil
	}
	running, err := get(srcRunning)
	if err != nil {
		return containerPart{}, warns, err
	}
	nb := bucketOf(d.q, close) - part.first + 1
	// which is the index of the resource's allocation sum; its usage sum
	// is the next.
	for _, rs := range []struct {
		req, use containerSource
		which    int
	}{{srcCPURequest, srcCPUUse, 0}, {srcRAMRequest, srcRAMUse, 2}} {
		req, err := get(rs.req)
		if err != nil {
			return containerPart{}, warns, err
		}
		use, err := get(rs.use)
		if err != nil {
			return containerPart{}, warns, err
		}
		for k, run := range running {
			reqRow, useRow := req[k], use[k]
			for i, on := range run {
				if on != 1 {
					continue
				}
				b := bucketOf(d.q, r.Start.Add(time.Duration(i)*res)) - part.first
				if v, ok := maxPresent(valueAt(reqRow, i), valueAt(useRow, i)); ok {
					part.add(k, nb, rs.which, b, v)
				}
				if v := valueAt(useRow, i); !math.IsNaN(v) {
					part.add(k, nb, rs.which+1, b, v)
				}
			}
		}
	}
	return part, warns, nil
}

// add adds v to container k's sum which, bucket b, making the container's
// nb-bucket sums on first use: a container that never ran in the piece
// has none.
func (p containerPart) add(k containerKey3, nb, which, b int, v float64) {
	sums := p.sums[k]
	if sums == nil {
		sums = &[4][]float64{make([]float64, nb), make([]float64, nb), make([]float64, nb), make([]float64, nb)}
		p.sums[k] = sums
	}
	sums[which][b] += v
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
