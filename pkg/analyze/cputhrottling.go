package analyze

import (
	"fmt"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// cpuThrottling finds containers whose CFS quota throttles a large share of
// their CPU periods, and checks whether latency rose with it.
type cpuThrottling struct{}

func (cpuThrottling) Name() string { return "cputhrottling" }

const (
	// throttleThreshold is the throttled share of periods that starves a
	// latency-sensitive service (Grafana Sift uses the same 25%).
	throttleThreshold = 0.25
	// correlationWindow is how close latency's onset must be to throttling's.
	correlationWindow = 10 * time.Minute
)

func (cpuThrottling) Analyze(b *incident.Bundle) []incident.Finding {
	var worst incident.Series
	found := false
	for _, s := range series(b, incident.MetricCPUThrottling) {
		if s.Summary.Max >= throttleThreshold && (!found || s.Summary.Max > worst.Summary.Max) {
			worst, found = s, true
		}
	}
	if !found {
		return nil
	}
	entity := seriesEntity(b, worst)
	onset := seriesOnset(worst)
	ids := []string{worst.ID}
	var detail strings.Builder
	fmt.Fprintf(&detail, "CPU throttling reached %.0f%% of CFS periods (mean %.0f%%, last %.0f%%; threshold %.0f%%)",
		100*worst.Summary.Max, 100*worst.Summary.Mean, 100*worst.Summary.Last, 100*throttleThreshold)
	if rel := relative(b, onset); rel != "" {
		fmt.Fprintf(&detail, ", rising %s", rel)
	}
	detail.WriteString(".")
	confidence := 0.5
	if worst.Summary.Max >= 0.5 {
		confidence += 0.1
	}
	if usage, limit, ok := cpuUsageVsLimit(b); ok {
		fmt.Fprintf(&detail, " CPU usage peaks at %.0fm against a %.0fm limit.", 1000*usage.Summary.Max, 1000*limit)
		ids = append(ids, usage.ID)
		if usage.Summary.Max >= 0.8*limit {
			confidence += 0.05
		}
	}
	if lat, ok := correlatedLatency(b, onset); ok {
		fmt.Fprintf(&detail, " Latency (%s) rose with it from %.3gs to %.3gs.", lat.Name, lat.Summary.First, lat.Summary.Max)
		ids = append(ids, lat.ID)
		confidence += 0.15
	}
	// Throttling as high before the incident as during it is chronic, not new.
	if before, ok := valueBefore(worst, startsAt(b).Add(-30*time.Minute)); ok && before >= 0.8*worst.Summary.Max {
		detail.WriteString(" It was already this high well before the alert, so it is chronic rather than the trigger.")
		confidence -= 0.25
	}
	return []incident.Finding{{
		Category:   incident.CategoryCPUThrottling,
		Severity:   incident.SeverityWarning,
		Title:      fmt.Sprintf("%s is CPU-throttled (%.0f%% of periods)", entity.Name, 100*worst.Summary.Max),
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      onset,
	}}
}

// seriesEntity is the workload a series is about.
func seriesEntity(b *incident.Bundle, s incident.Series) incident.Entity {
	e := s.Entity
	if e.Kind == incident.KindPod {
		if p, ok := findPod(b, e.Namespace, e.Name); ok {
			return ownerOf(p)
		}
	}
	if e.IsZero() || e.Name == "" {
		if pod := s.Labels["pod"]; pod != "" {
			if p, ok := findPod(b, s.Labels["namespace"], pod); ok {
				return ownerOf(p)
			}
		}
		return targetEntity(b)
	}
	return e
}

func cpuUsageVsLimit(b *incident.Bundle) (incident.Series, float64, bool) {
	usage := series(b, incident.MetricCPUUsage)
	if len(usage) == 0 {
		return incident.Series{}, 0, false
	}
	limit := 0.0
	for _, s := range series(b, incident.MetricCPULimit) {
		limit = max(limit, s.Summary.Max)
	}
	if limit == 0 {
		for _, p := range b.Pods {
			for _, c := range p.Containers {
				limit = max(limit, float64(c.Limits.CPUMilli)/1000)
			}
		}
	}
	if limit == 0 {
		return incident.Series{}, 0, false
	}
	return usage[0], limit, true
}

// correlatedLatency is a latency series that rose at about the same time.
func correlatedLatency(b *incident.Bundle, onset time.Time) (incident.Series, bool) {
	for _, name := range []string{incident.MetricLatencyP99, incident.MetricLatencyP95} {
		for _, s := range series(b, name) {
			if !rose(s, 1.5) {
				continue
			}
			o := seriesOnset(s)
			if onset.IsZero() || o.IsZero() || absDuration(o.Sub(onset)) <= correlationWindow {
				return s, true
			}
		}
	}
	return incident.Series{}, false
}

// rose reports a series whose peak is factor times its starting level.
func rose(s incident.Series, factor float64) bool {
	first := s.Summary.First
	if len(s.Points) > 0 {
		first = s.Points[0].V
	}
	if first <= 0 {
		return s.Summary.Max > 0 && s.Summary.Max > s.Summary.Min*factor
	}
	return s.Summary.Max >= factor*first
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
