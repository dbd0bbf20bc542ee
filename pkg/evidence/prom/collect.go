package prom

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Collect runs the alert's own query and the standard set for the target
// over [since, until] and returns the summarised series: the alert's first,
// then the standard metrics in a fixed order. A zero since means startsAt
// minus the lookback. Failed queries do not lose the others: the series
// collected are returned together with an error naming each failure, for
// the caller to report as degraded.
func (c *Collector) Collect(ctx context.Context, a incident.Alert, t incident.Target,
	pods []incident.PodState, since, until time.Time) ([]incident.Series, error) {
	if until.IsZero() {
		return nil, errors.New("prometheus: the window has no end (until)")
	}
	if since.IsZero() {
		anchor := a.StartsAt
		if anchor.IsZero() || anchor.After(until) {
			anchor = until
		}
		since = anchor.Add(-c.cfg.Lookback)
	}
	if !since.Before(until) {
		return nil, fmt.Errorf("prometheus: empty window [%s, %s]", since.Format(time.RFC3339), until.Format(time.RFC3339))
	}
	step := stepFor(since, until, c.cfg.MaxPoints)
	specs := c.specs(a, t, pods, rateWindow(step, c.cfg.RateWindow))
	if len(specs) == 0 {
		return nil, nil
	}
	r := v1.Range{Start: since, End: until, Step: step}

	results := make([][]incident.Series, len(specs))
	errs := make([]error, len(specs))
	sem := make(chan struct{}, queryConcurrency)
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				errs[i] = fmt.Errorf("%s: %w", spec.name, ctx.Err())
				return
			}
			results[i], errs[i] = c.run(ctx, spec, r, a.StartsAt)
		}()
	}
	wg.Wait()

	var out []incident.Series
	for _, s := range results {
		out = append(out, s...)
	}
	var failed []error
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		return out, fmt.Errorf("prometheus: %d of %d queries failed: %w", len(failed), len(specs), errors.Join(failed...))
	}
	return out, nil
}

// specs lists what to query for this alert and target.
func (c *Collector) specs(a incident.Alert, t incident.Target, pods []incident.PodState, window string) []querySpec {
	var specs []querySpec
	if strings.TrimSpace(a.Query) != "" && !isLogQL(a.Query) {
		specs = append(specs, alertSpec(a, t))
	}
	if sel, ok := selectorFor(t, pods); ok {
		specs = append(specs, containerMetricSpecs(sel, window)...)
	}
	specs = append(specs, scaleMetricSpecs(t.Workload)...)
	if spec, ok := conntrackSpec(pods); ok {
		specs = append(specs, spec)
	}
	if svc := serviceName(a, t); svc != "" {
		ns := t.Namespace
		if ns == "" {
			ns = a.Labels["namespace"]
		}
		specs = append(specs, httpMetricSpecs(ns, svc, window)...)
	}
	return specs
}

// run tries a spec's alternatives until one returns data.
func (c *Collector) run(ctx context.Context, spec querySpec, r v1.Range, startsAt time.Time) ([]incident.Series, error) {
	var lastErr error
	for _, expr := range spec.alternatives {
		value, _, _, err := c.api.QueryRange(ctx, expr, r)
		if err != nil {
			lastErr = err
			if ctx.Err() != nil || !isQueryError(err) {
				break // the server or the network is the problem, not the query
			}
			continue
		}
		matrix, ok := value.(model.Matrix)
		if !ok {
			lastErr = fmt.Errorf("range query returned %s, want matrix", valueKind(value))
			continue
		}
		if series := c.toSeries(spec, expr, matrix, startsAt); len(series) > 0 {
			return series, nil
		}
	}
	if lastErr != nil {
		return nil, fmt.Errorf("%s: %w", spec.name, lastErr)
	}
	return nil, nil
}

// valueKind names what a query returned; a server that answers success
// without data gives no value at all.
func valueKind(v model.Value) string {
	if v == nil {
		return "no data"
	}
	return v.Type().String()
}

// isQueryError reports an error about the query itself (bad_data,
// execution), after which the next alternative may still work.
func isQueryError(err error) bool {
	var apiErr *v1.Error
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.Type == v1.ErrBadData || apiErr.Type == v1.ErrExec
}

// toSeries converts a matrix, keeping the MaxSeries series that moved most
// from their baseline. Non-finite samples (0/0 ratios) are dropped: they
// carry no value and cannot be written as JSON.
func (c *Collector) toSeries(spec querySpec, expr string, m model.Matrix, startsAt time.Time) []incident.Series {
	type scored struct {
		s     incident.Series
		score float64
		key   string
	}
	if spec.belongs != nil {
		own := slices.DeleteFunc(slices.Clone(m), func(ss *model.SampleStream) bool {
			labels := make(map[string]string, len(ss.Metric))
			for k, v := range ss.Metric {
				labels[string(k)] = string(v)
			}
			return !spec.belongs(labels)
		})
		if len(own) > 0 {
			m = own
		}
	}
	var all []scored
	for _, stream := range m {
		points := make([]incident.Point, 0, len(stream.Values))
		for _, v := range stream.Values {
			f := float64(v.Value)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				continue
			}
			points = append(points, incident.Point{T: v.Timestamp.Time().UTC(), V: f})
		}
		if len(points) == 0 {
			continue
		}
		labels := make(map[string]string, len(stream.Metric))
		for k, v := range stream.Metric {
			if k != model.MetricNameLabel {
				labels[string(k)] = string(v)
			}
		}
		summary := Summarise(points, startsAt)
		s := incident.Series{
			Name:    spec.name,
			Query:   expr,
			Labels:  labels,
			Unit:    spec.unit,
			Points:  decimate(points, c.cfg.MaxPoints),
			Summary: summary,
			Entity:  spec.entity(labels),
		}
		if len(s.Labels) == 0 {
			s.Labels = nil
		}
		all = append(all, scored{s: s, score: deviation(points, startsAt, summary), key: stream.Metric.String()})
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].key < all[j].key
	})
	out := make([]incident.Series, 0, min(len(all), c.cfg.MaxSeries))
	for _, s := range all[:min(len(all), c.cfg.MaxSeries)] {
		out = append(out, s.s)
	}
	return out
}

// decimate keeps at most n points, evenly spread, always the last one. The
// step already bounds a well-behaved server; this bounds any other.
func decimate(points []incident.Point, n int) []incident.Point {
	if len(points) <= n {
		return points
	}
	out := make([]incident.Point, 0, n)
	for i := range n {
		out = append(out, points[i*(len(points)-1)/(n-1)])
	}
	return slices.Clip(out)
}

// Health runs a trivial query: it proves the URL, the authentication and
// the PromQL engine in one request.
func (c *Collector) Health(ctx context.Context) error {
	v, _, _, err := c.api.Query(ctx, "vector(1)", time.Time{})
	if err != nil {
		return fmt.Errorf("prometheus at %s: %w", c.cfg.URL, err)
	}
	if v == nil || v.Type() != model.ValVector {
		return fmt.Errorf("prometheus at %s: unexpected answer to a test query", c.cfg.URL)
	}
	return nil
}
