package evidence

import (
	"context"
	"fmt"
	"maps"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/finops"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// SourceCost names the cost trend source in Degraded entries.
const SourceCost = "cost"

// Cost evidence bounds: the window before the alert that shows the
// baseline, the bucket width, and how many workloads are kept (those whose
// cost moved most).
const (
	costLookback     = 6 * time.Hour
	costStep         = 15 * time.Minute
	maxCostWorkloads = 5
)

// CostSource reads how the cost of a namespace's workloads moved and what
// set it (pkg/finops over Prometheus).
type CostSource interface {
	Trends(ctx context.Context, q finops.Query) ([]finops.WorkloadTrend, []string, error)
}

// isCostAlert reports an alert about spend: its name says cost. Only those
// pay for the cost queries.
func isCostAlert(a incident.Alert) bool {
	return strings.Contains(strings.ToLower(a.Labels["alertname"]), "cost")
}

// costFirst collects the cost trends of the alert's namespace into the
// bundle and returns the alert to resolve the target with: the original
// one with a label naming the workload whose cost moved most, when there is
// one. The bundle keeps the alert as it came.
func (g *Gatherer) costFirst(ctx context.Context, a incident.Alert, b *incident.Bundle, anchor, now time.Time) incident.Alert {
	namespace := kube.TargetFromLabels(a).Namespace
	if namespace == "" {
		b.Notes = append(b.Notes, "cost: the alert names no namespace, so no cost trend was read")
		return a
	}
	ctx, cancel := context.WithTimeout(ctx, g.opt.SourceTimeout)
	defer cancel()
	var series []incident.Series
	var warnings []string
	err := guard(func() error {
		var err error
		series, warnings, err = collectCost(ctx, g.src.Cost, namespace, anchor, now)
		return err
	})
	for _, w := range warnings {
		b.Notes = append(b.Notes, "cost: "+w)
	}
	if err != nil {
		b.Degraded = append(b.Degraded, degraded(SourceCost, fmt.Errorf("cost trends: %w", err)))
		return a
	}
	b.Metrics = append(b.Metrics, series...)
	if len(series) == 0 {
		return g.floorFirst(ctx, a, b, namespace, now)
	}
	top := series[0].Entity
	label, ok := kube.WorkloadLabel(top.Kind)
	if !ok || top.Namespace != namespace {
		return a
	}
	return withLabel(a, b, label, top.Name, fmt.Sprintf("cost: examined %s %s, whose hourly cost moved most in %s", top.Kind, top.Name, namespace))
}

// floorFirst, when no cost trend names a workload (the allocation metrics
// are absent), resolves the alert to the namespace's autoscaler held at the
// highest minReplicas: a floor raised and left there keeps pods running that
// no load asks for. The autoscaler's label lets Kubernetes find what it scales.
func (g *Gatherer) floorFirst(ctx context.Context, a incident.Alert, b *incident.Bundle, namespace string, now time.Time) incident.Alert {
	if g.src.Prom == nil {
		return a
	}
	var floors []prom.Floor
	err := guard(func() error {
		var err error
		floors, err = g.src.Prom.FlooredAutoscalers(ctx, namespace, now)
		return err
	})
	if err != nil {
		b.Degraded = append(b.Degraded, degraded(SourcePrometheus, fmt.Errorf("cost: %w", err)))
		return a
	}
	if len(floors) == 0 {
		return a
	}
	top := floors[0]
	return withLabel(a, b, prom.HPALabel, top.Autoscaler, fmt.Sprintf(
		"cost: examined HorizontalPodAutoscaler %s, held at its minReplicas of %d in %s", top.Autoscaler, top.MinReplicas, namespace))
}

// withLabel is the alert with one more label naming what to examine, unless
// the alert already sets it; the note says why.
func withLabel(a incident.Alert, b *incident.Bundle, label, value, note string) incident.Alert {
	if _, set := a.Labels[label]; set {
		return a
	}
	labels := make(map[string]string, len(a.Labels)+1)
	maps.Copy(labels, a.Labels)
	labels[label] = value
	b.Notes = append(b.Notes, note)
	resolved := a
	resolved.Labels = labels
	return resolved
}

// collectCost returns the trends of the namespace's workloads as series,
// the workloads whose cost moved most first.
func collectCost(ctx context.Context, src CostSource, namespace string, anchor, now time.Time) ([]incident.Series, []string, error) {
	start := anchor.Add(-costLookback)
	trends, warnings, err := src.Trends(ctx, finops.Query{Start: start, End: now, Step: costStep,
		Filter: finops.Filter{Namespaces: []string{namespace}}})
	if err != nil {
		return nil, nil, err
	}
	sort.SliceStable(trends, func(i, j int) bool { return costMove(trends[i]) > costMove(trends[j]) })
	if len(trends) > maxCostWorkloads {
		trends = trends[:maxCostWorkloads]
	}
	var out []incident.Series
	for _, t := range trends {
		out = append(out, trendSeries(t, anchor)...)
	}
	return out, warnings, nil
}

// costMove is how far a workload's hourly cost moved between the first and
// the last quarter of the window, in dollars per hour.
func costMove(t finops.WorkloadTrend) float64 {
	n := len(t.CostPerHour)
	q := max(n/4, 1)
	if n < 2 {
		return 0
	}
	var head, tail float64
	for i := range q {
		head += t.CostPerHour[i]
		tail += t.CostPerHour[n-1-i]
	}
	return math.Abs(tail-head) / float64(q)
}

// trendSeries turns one workload's trend into the standard cost series.
func trendSeries(t finops.WorkloadTrend, anchor time.Time) []incident.Series {
	entity := workloadEntity(t.Workload)
	one := func(name, unit string, values []float64) incident.Series {
		points := make([]incident.Point, 0, len(values))
		for i, v := range values {
			points = append(points, incident.Point{T: t.Ends[i], V: v})
		}
		return incident.Series{Name: name, Unit: unit, Query: "finops trend of " + t.Workload,
			Labels: map[string]string{"workload": t.Workload}, Points: points,
			Summary: prom.Summarise(points, anchor), Entity: entity}
	}
	return []incident.Series{
		one(incident.MetricWorkloadCost, "USD/h", t.CostPerHour),
		one(incident.MetricWorkloadPods, "pods", t.Pods),
		one(incident.MetricWorkloadCPURequest, "cores/pod", t.CPURequestPerPod),
		one(incident.MetricWorkloadMemoryRequest, "GiB/pod", t.RAMRequestPerPod),
		one(incident.MetricWorkloadCorePrice, "USD/core-hour", t.PricePerCoreHour),
		one(incident.MetricWorkloadPodsSeen, "pods", t.PodsSeen),
	}
}

// workloadEntity reads the namespace/Kind/name a trend is keyed by.
func workloadEntity(key string) incident.Entity {
	parts := strings.SplitN(key, "/", 3)
	if len(parts) != 3 {
		return incident.Entity{Name: key}
	}
	return incident.Entity{Namespace: parts[0], Kind: parts[1], Name: parts[2]}
}

// NewCostSource prices the cluster behind a Prometheus with pricing
// (finops.DefaultPricing unless the settings override it); the response
// bound is the allocation's, larger than the collector's.
func NewCostSource(cfg prom.Config, pricing finops.Pricing) (*finops.Allocator, error) {
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = finops.DefaultMaxResponseBytes
	}
	c, err := prom.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("prometheus: %w", err)
	}
	return finops.New(c, pricing, finops.Options{})
}
