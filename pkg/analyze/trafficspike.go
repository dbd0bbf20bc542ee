package analyze

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// trafficSpike finds a step up in request rate that precedes saturation:
// latency, errors, CPU throttling or CPU at its limit.
type trafficSpike struct{}

func (trafficSpike) Name() string { return "trafficspike" }

const (
	// spikeFactor is how many times its baseline the request rate must reach.
	spikeFactor = 2.0
	// saturationLag is how long after the spike saturation may begin.
	saturationLag = 15 * time.Minute
)

func (trafficSpike) Analyze(b *incident.Bundle) []incident.Finding {
	var spike incident.Series
	var base, peak float64
	found := false
	for _, s := range series(b, incident.MetricRequestRate) {
		bv, pv, ok := stepUp(s)
		if ok && (!found || pv/max(bv, 1e-9) > peak/max(base, 1e-9)) {
			spike, base, peak, found = s, bv, pv, true
		}
	}
	ceiling, atCeiling := hpaCeiling(b)
	if !found {
		if atCeiling {
			return capacityFinding(b, ceiling)
		}
		return nil
	}
	onset := seriesOnset(spike)
	ids := []string{spike.ID}
	entity := seriesEntity(b, spike)
	var detail strings.Builder
	fmt.Fprintf(&detail, "Request rate stepped up from %.3g to %.3g req/s (x%.1f)", base, peak, peak/max(base, 1e-9))
	if rel := relative(b, onset); rel != "" {
		fmt.Fprintf(&detail, ", %s", rel)
	}
	detail.WriteString(".")
	confidence := 0.4
	if peak >= 3*base {
		confidence += 0.1
	}
	if peak >= 5*base {
		confidence += 0.05
	}
	var saturated []string
	for _, name := range []string{incident.MetricLatencyP99, incident.MetricLatencyP95, incident.MetricErrorRatio, incident.MetricCPUThrottling, incident.MetricCPUUsage} {
		for _, s := range series(b, name) {
			o := seriesOnset(s)
			// Saturation must follow the spike, not precede it: errors first
			// and traffic after is clients retrying.
			if !sustainedRise(s, 1.5) || (!o.IsZero() && !onset.IsZero() && (o.Before(onset.Add(-time.Minute)) || o.After(onset.Add(saturationLag)))) {
				continue
			}
			saturated = append(saturated, fmt.Sprintf("%s rose from %.3g to %.3g", s.Name, firstValue(s), s.Summary.Max))
			ids = append(ids, s.ID)
			break
		}
	}
	if len(saturated) > 0 {
		fmt.Fprintf(&detail, " Saturation followed: %s.", strings.Join(saturated, "; "))
		confidence += 0.2
	} else {
		detail.WriteString(" No saturation signal followed, so the service may have absorbed it.")
		confidence -= 0.15
	}
	if atCeiling {
		fmt.Fprintf(&detail, " %s", ceiling.text)
		ids = append(ids, ceiling.ids...)
		confidence += 0.1
	}
	return []incident.Finding{{
		Category:   incident.CategoryTrafficSpike,
		Severity:   incident.SeverityWarning,
		Title:      fmt.Sprintf("traffic to %s spiked x%.1f", entity.Name, peak/max(base, 1e-9)),
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      onset,
	}}
}

// stepUp returns the baseline (the median of the first third) and the peak
// when the rate stays raised: the median of the last third is spikeFactor
// times the baseline. A blip that comes and goes (clients retrying against a
// hung service) is not load.
func stepUp(s incident.Series) (float64, float64, bool) {
	if len(s.Points) < 3 {
		return 0, 0, false
	}
	base, late := thirds(s)
	peak := 0.0
	for _, p := range s.Points {
		peak = max(peak, p.V)
	}
	if base <= 0 || late < spikeFactor*base {
		return 0, 0, false
	}
	return base, peak, true
}

// thirds returns the medians of the first and the last third of the points.
func thirds(s incident.Series) (float64, float64) {
	n := max(len(s.Points)/3, 1)
	head := make([]float64, 0, n)
	tail := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		head = append(head, s.Points[i].V)
		tail = append(tail, s.Points[len(s.Points)-1-i].V)
	}
	return median(head), median(tail)
}

// sustainedRise reports a series whose last third sits factor times above
// its first third (or clearly above zero when it started at zero).
func sustainedRise(s incident.Series, factor float64) bool {
	if len(s.Points) < 3 {
		return false
	}
	base, late := thirds(s)
	if base <= 0 {
		return late > 0 && late >= s.Summary.Max/2
	}
	return late >= factor*base
}

func median(xs []float64) float64 {
	sorted := append([]float64(nil), xs...)
	sort.Float64s(sorted)
	return sorted[len(sorted)/2]
}

func firstValue(s incident.Series) float64 {
	if len(s.Points) > 0 {
		return s.Points[0].V
	}
	return s.Summary.First
}

// hpaSaturatedErrors is the share of failing requests that, with the
// autoscaler at its maximum, says the replicas it has cannot serve the load.
const hpaSaturatedErrors = 0.05

// ceiling is a HorizontalPodAutoscaler that reached its maxReplicas.
type ceiling struct {
	entity  incident.Entity
	maximum float64
	// from is its replica count at the start of the window.
	from  float64
	onset time.Time
	text  string
	ids   []string
}

// hpaCeiling reports the target's autoscaler at its maxReplicas at the end
// of the window: it can add no more capacity, whatever the load asks for.
func hpaCeiling(b *incident.Bundle) (ceiling, bool) {
	for _, cur := range series(b, incident.MetricHPAReplicas) {
		for _, mx := range series(b, incident.MetricHPAMaxReplicas) {
			if mx.Entity != cur.Entity || mx.Summary.Last <= 0 || len(cur.Points) < 3 {
				continue
			}
			if n := len(cur.Points); cur.Points[n-1].V < mx.Summary.Last || cur.Points[n-2].V < mx.Summary.Last {
				continue // not (or not still) at its maximum at the end of the window
			}
			c := ceiling{entity: cur.Entity, maximum: mx.Summary.Last, from: firstValue(cur), ids: []string{cur.ID, mx.ID}}
			c.text = fmt.Sprintf("The HorizontalPodAutoscaler is at its maximum of %.0f replicas (its maxReplicas)", c.maximum)
			if c.from < c.maximum {
				c.onset = seriesOnset(cur)
				c.text += fmt.Sprintf(" (it scaled from %.0f", c.from)
				if rel := relative(b, c.onset); rel != "" {
					c.text += ", " + rel
				}
				c.text += ")"
			}
			c.text += ", so it cannot add the capacity the load asks for."
			return c, true
		}
	}
	// Without kube-state-metrics, the autoscaler object says the same now,
	// and its ScalingLimited event that it wanted more than its maximum.
	for _, w := range b.Workloads {
		a := w.Autoscaler
		if a == nil || w.Entity != b.Target.Workload || a.Max <= 0 || a.Current < a.Max {
			continue
		}
		c := ceiling{entity: w.Entity, maximum: float64(a.Max), from: float64(a.Max), ids: []string{w.ID}}
		c.text = fmt.Sprintf("The HorizontalPodAutoscaler %s is at its maximum of %d replicas (its maxReplicas)", a.Name, a.Max)
		for _, e := range b.Events {
			if e.Object.Kind == "HorizontalPodAutoscaler" && e.Object.Name == a.Name && strings.EqualFold(e.Reason, "ScalingLimited") && !staleEvent(b, e) {
				c.text += fmt.Sprintf(" and wants more (%s: %q)", e.Reason, truncate(e.Message, 120))
				c.ids = append(c.ids, e.ID)
				break
			}
		}
		c.text += ", so it cannot add the capacity the load asks for."
		return c, true
	}
	return ceiling{}, false
}

// capacityFinding is load beyond capacity without a visible step in the
// request rate (the rate was already high when the window starts, or the
// service exports none): the autoscaler is at its maximum while the service
// saturates. At its maximum without saturation it is sized right, not short.
func capacityFinding(b *incident.Bundle, c ceiling) []incident.Finding {
	var saturated []string
	ids := append([]string(nil), c.ids...)
	for _, s := range series(b, incident.MetricErrorRatio) {
		if _, late := thirds(s); len(s.Points) >= 3 && late >= hpaSaturatedErrors {
			saturated = append(saturated, fmt.Sprintf("%.0f%% of requests fail", 100*late))
			ids = append(ids, s.ID)
			break
		}
	}
	for _, name := range []string{incident.MetricLatencyP99, incident.MetricLatencyP95, incident.MetricCPUThrottling} {
		for _, s := range series(b, name) {
			if sustainedRise(s, 1.5) {
				saturated = append(saturated, fmt.Sprintf("%s rose from %.3g to %.3g", s.Name, firstValue(s), s.Summary.Max))
				ids = append(ids, s.ID)
				break
			}
		}
	}
	if q, ok := growingBacklog(b); ok {
		saturated = append(saturated, fmt.Sprintf("the backlog of queue %s grew from %.3g to %.3g", queueName(q), firstValue(q), q.Summary.Last))
		ids = append(ids, q.ID)
	}
	if usage, limit, ok := cpuUsageVsLimit(b); ok && usage.Summary.Last >= 0.9*limit {
		saturated = append(saturated, fmt.Sprintf("CPU usage is at %.0fm of its %.0fm limit", 1000*usage.Summary.Last, 1000*limit))
		ids = append(ids, usage.ID)
	}
	if len(saturated) == 0 {
		return nil
	}
	confidence := 0.55
	if c.from < c.maximum {
		// It scaled out to the ceiling during the window: the load grew.
		confidence += 0.1
	}
	for _, s := range series(b, incident.MetricRequestRate) {
		ids = append(ids, s.ID)
		break
	}
	return []incident.Finding{{
		Category: incident.CategoryTrafficSpike,
		Severity: incident.SeverityWarning,
		Title:    fmt.Sprintf("load on %s exceeds what %.0f replicas serve", c.entity.Name, c.maximum),
		Detail: fmt.Sprintf("%s Meanwhile %s: the replicas it has cannot serve the load (raise maxReplicas or the capacity per replica).",
			c.text, strings.Join(saturated, "; ")),
		Entity:     c.entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      c.onset,
	}}
}

// backlogGrowth is how much a queue's depth must grow over the window, end
// against start, to say the replicas do not drain it: a queue drained on
// schedule shrinks, one fed faster than it is drained keeps growing.
const backlogGrowth = 1.1

// growingBacklog is the queue whose backlog grows the most over the window,
// when one keeps growing to its end.
func growingBacklog(b *incident.Bundle) (incident.Series, bool) {
	var best incident.Series
	found := false
	for _, s := range series(b, incident.MetricQueueBacklog) {
		if len(s.Points) < 3 {
			continue
		}
		first, last := firstValue(s), s.Points[len(s.Points)-1].V
		base, late := thirds(s)
		if first <= 0 || last < backlogGrowth*first || late <= base {
			continue
		}
		if !found || last/first > best.Points[len(best.Points)-1].V/firstValue(best) {
			best, found = s, true
		}
	}
	return best, found
}

// queueName is the queue a backlog series is about, under whichever label
// its exporter names it.
func queueName(s incident.Series) string {
	for _, l := range []string{"queue_name", "dimension_QueueName", "queue", "consumergroup"} {
		if v := s.Labels[l]; v != "" {
			return v
		}
	}
	return s.Entity.Name
}
