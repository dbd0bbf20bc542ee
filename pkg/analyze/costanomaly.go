package analyze

import (
	"fmt"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// costAnomaly names the workload whose hourly cost grew most, from the cost
// trends the collector reads for cost alerts, and says what drove it: more
// pods, larger requests per pod (a rollout raised them), pods replaced
// faster than they run (crash loops, evictions), or pricier nodes.
type costAnomaly struct{}

func (costAnomaly) Name() string { return "costanomaly" }

const (
	// costGrowth is how many times its baseline the hourly cost must reach.
	costGrowth = 1.3
	// driverGrowth is how much a driver must move to be named.
	driverGrowth = 1.2
	// churnFactor: this many distinct pods per running pod in one bucket
	// means pods are replaced faster than the bucket lasts.
	churnFactor = 1.5
	// costSettle is how long before the alert the baseline ends: the growth
	// an alert fires on began some time before it.
	costSettle = time.Hour
	// recentBuckets is how many of the last buckets make the current level.
	recentBuckets = 3
	hoursPerMonth = 730
)

func (costAnomaly) Analyze(b *incident.Bundle) []incident.Finding {
	var best incident.Series
	var bestBase, bestNow float64
	found := false
	for _, s := range series(b, incident.MetricWorkloadCost) {
		base, now, ok := beforeAndNow(s, startsAt(b))
		if !ok || now < costGrowth*base || now <= base {
			continue
		}
		if !found || now-base > bestNow-bestBase {
			best, bestBase, bestNow, found = s, base, now, true
		}
	}
	if !found {
		if f := scaleOutCost(b); f != nil {
			return f
		}
		return floorCost(b)
	}
	workload := best.Labels["workload"]
	entity := seriesEntity(b, best)
	driver := func(name string) (incident.Series, float64, float64, bool) {
		for _, s := range series(b, name) {
			if s.Labels["workload"] != workload {
				continue
			}
			base, now, ok := beforeAndNow(s, startsAt(b))
			return s, base, now, ok
		}
		return incident.Series{}, 0, 0, false
	}
	ids := []string{best.ID}
	var drivers []string
	corroborated := false
	if s, base, now, ok := driver(incident.MetricWorkloadPods); ok && now >= driverGrowth*base && now-base >= 0.5 {
		drivers = append(drivers, fmt.Sprintf("replicas scaled from %.3g to %.3g running pods", base, now))
		ids = append(ids, s.ID)
	}
	cpu, cpuBase, cpuNow, cpuOK := driver(incident.MetricWorkloadCPURequest)
	mem, memBase, memNow, memOK := driver(incident.MetricWorkloadMemoryRequest)
	var raised []string
	if cpuOK && cpuNow >= driverGrowth*cpuBase && cpuBase > 0 {
		raised = append(raised, fmt.Sprintf("CPU %.3g → %.3g cores", cpuBase, cpuNow))
		ids = append(ids, cpu.ID)
	}
	if memOK && memNow >= driverGrowth*memBase && memBase > 0 {
		raised = append(raised, fmt.Sprintf("memory %.3g → %.3g GiB", memBase, memNow))
		ids = append(ids, mem.ID)
	}
	if len(raised) > 0 {
		text := "requests per pod raised (" + strings.Join(raised, ", ") + ")"
		if r, ok := rolloutBetween(b, entity, best.Points[0].T, b.Now); ok {
			text += fmt.Sprintf(" by the rollout of %s %s", r.Name, relative(b, r.CreatedAt))
			if r.ChangeCause != "" {
				text += fmt.Sprintf(" (change cause: %q)", truncate(r.ChangeCause, 120))
			}
			ids = append(ids, r.ID)
			corroborated = true
		}
		drivers = append(drivers, text)
	}
	if seen, _, seenNow, ok := driver(incident.MetricWorkloadPodsSeen); ok {
		if _, _, podsNow, ok := driver(incident.MetricWorkloadPods); ok && podsNow > 0 && seenNow >= churnFactor*podsNow {
			text := fmt.Sprintf("pods are replaced faster than they run (%.3g distinct pods per 15 minutes for %.3g running)", seenNow, podsNow)
			if crashing := crashingPods(b, entity); len(crashing) > 0 {
				text += "; " + plural(len(crashing), "pod is", "pods are") + " crash-looping"
				for _, p := range crashing {
					ids = append(ids, p.ID)
				}
				corroborated = true
			}
			drivers = append(drivers, text)
			ids = append(ids, seen.ID)
		}
	}
	if s, base, now, ok := driver(incident.MetricWorkloadCorePrice); ok && base > 0 && now >= 1.1*base {
		drivers = append(drivers, fmt.Sprintf("pods moved to pricier nodes ($%.4f → $%.4f per core-hour)", base, now))
		ids = append(ids, s.ID)
	}

	var detail strings.Builder
	fmt.Fprintf(&detail, "The hourly cost of %s went from $%.4f to $%.4f (x%.1f, $%.2f a month more at this rate)",
		entity.Name, bestBase, bestNow, bestNow/max(bestBase, 1e-9), (bestNow-bestBase)*hoursPerMonth)
	if rel := relative(b, seriesOnset(best)); rel != "" {
		fmt.Fprintf(&detail, ", from %s", rel)
	}
	detail.WriteString(".")
	confidence := 0.6
	if len(drivers) > 0 {
		fmt.Fprintf(&detail, " Driven by: %s.", strings.Join(drivers, "; "))
		confidence += 0.15
	} else {
		detail.WriteString(" No driver moved with it (pods, requests per pod, node price): check for a change of the cluster's prices.")
	}
	if corroborated {
		confidence += 0.1
	}
	return []incident.Finding{{
		Category:   incident.CategoryCostAnomaly,
		Severity:   incident.SeverityWarning,
		Title:      fmt.Sprintf("cost of %s rose x%.1f", entity.Name, bestNow/max(bestBase, 1e-9)),
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      seriesOnset(best),
	}}
}

// beforeAndNow returns a series' baseline (the median of the points that end
// an hour or more before the alert) and its current level (the median of
// the last few points).
func beforeAndNow(s incident.Series, alertStart time.Time) (float64, float64, bool) {
	var before []float64
	for _, p := range s.Points {
		if !p.T.After(alertStart.Add(-costSettle)) {
			before = append(before, p.V)
		}
	}
	if len(before) == 0 || len(s.Points) <= len(before) {
		return 0, 0, false
	}
	recent := make([]float64, 0, recentBuckets)
	for i := len(s.Points) - 1; i >= 0 && len(recent) < recentBuckets; i-- {
		recent = append(recent, s.Points[i].V)
	}
	return median(before), median(recent), true
}

// rolloutBetween is the newest rollout of the workload created in [from, to].
func rolloutBetween(b *incident.Bundle, owner incident.Entity, from, to time.Time) (incident.Rollout, bool) {
	var best incident.Rollout
	found := false
	for _, r := range b.Rollouts {
		if r.Owner.Name != owner.Name || r.Owner.Kind != owner.Kind || r.CreatedAt.Before(from) || r.CreatedAt.After(to) {
			continue
		}
		if !found || r.CreatedAt.After(best.CreatedAt) {
			best, found = r, true
		}
	}
	return best, found
}

// crashingPods are the workload's pods with a container in CrashLoopBackOff.
func crashingPods(b *incident.Bundle, owner incident.Entity) []incident.PodState {
	var out []incident.PodState
	for _, p := range b.Pods {
		if ownerOf(p) != owner {
			continue
		}
		for _, c := range p.Containers {
			if c.Reason == "CrashLoopBackOff" {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// scaleOutGrowth is how many times its starting replica count a workload
// must reach for a cost alert to be read as a scale-out without cost trends.
const scaleOutGrowth = 2.0

// scaleOutCost answers a cost alert when no cost trend was read (the cost
// metrics are absent) but the workload's replica count multiplied: spend
// grows with the pods. It says whether load explains the scale-out; when
// neither requests nor CPU per pod grew with it, the autoscaler acts on a
// metric that is not the workload's load.
func scaleOutCost(b *incident.Bundle) []incident.Finding {
	if !alertMentions(b, []string{"cost", "spend", "budget"}) {
		return nil
	}
	for _, r := range series(b, incident.MetricWorkloadReplicas) {
		if len(r.Points) < 3 {
			continue
		}
		from, now := firstValue(r), r.Summary.Last
		if from <= 0 || now < scaleOutGrowth*from {
			continue
		}
		ids := []string{r.ID}
		var detail strings.Builder
		fmt.Fprintf(&detail, "%s %s scaled from %.0f to %.0f replicas (x%.1f)", r.Entity.Kind, r.Entity.Name, from, now, now/from)
		if rel := relative(b, seriesOnset(r)); rel != "" {
			fmt.Fprintf(&detail, ", from %s", rel)
		}
		detail.WriteString("; its spend grows with its pods (no cost trend was read to price it).")
		for _, h := range series(b, incident.MetricHPAReplicas) {
			if h.Entity == r.Entity && h.Summary.Last > firstValue(h) {
				fmt.Fprintf(&detail, " Its HorizontalPodAutoscaler drove it (%.0f → %.0f).", firstValue(h), h.Summary.Last)
				ids = append(ids, h.ID)
				break
			}
		}
		confidence := 0.55
		if why, moreIDs, ok := unexplainedScaleOut(b); ok {
			fmt.Fprintf(&detail, " No load explains it: %s, so the autoscaler follows a metric that is not this workload's load (a queue or external metric that no longer decays, a misconfigured target).", why)
			ids = append(ids, moreIDs...)
			confidence += 0.1
		}
		return []incident.Finding{{
			Category:   incident.CategoryCostAnomaly,
			Severity:   incident.SeverityWarning,
			Title:      fmt.Sprintf("%s scaled out x%.1f", r.Entity.Name, now/from),
			Detail:     detail.String(),
			Entity:     r.Entity,
			Evidence:   ids,
			Confidence: confidence,
			Onset:      seriesOnset(r),
		}}
	}
	return nil
}

// idleShare is the share of its CPU request below which a pod is idle.
const idleShare = 0.25

// unexplainedScaleOut says why the load does not explain a scale-out: the
// request rate did not step up and the pods use little of the CPU they
// request. Without either series it cannot say.
func unexplainedScaleOut(b *incident.Bundle) (string, []string, bool) {
	var ids []string
	var why []string
	for _, s := range series(b, incident.MetricRequestRate) {
		if _, _, up := stepUp(s); up {
			return "", nil, false
		}
		why = append(why, "the request rate did not rise")
		ids = append(ids, s.ID)
		break
	}
	request := 0.0
	for _, p := range b.Pods {
		for _, c := range p.Containers {
			request = max(request, float64(c.Requests.CPUMilli)/1000)
		}
	}
	peak := 0.0
	var usage []incident.Series
	for _, s := range series(b, incident.MetricCPUUsage) {
		peak = max(peak, s.Summary.Max)
		usage = append(usage, s)
	}
	if len(usage) > 0 && request > 0 {
		if peak >= idleShare*request {
			return "", nil, false
		}
		why = append(why, fmt.Sprintf("the pods use at most %.0fm of the %.0fm CPU they request", 1000*peak, 1000*request))
		ids = append(ids, seriesIDs(usage)...)
	}
	if len(why) == 0 {
		return "", nil, false
	}
	return strings.Join(why, " and "), ids, true
}

// minReplicasRescale is the autoscaler's own word when it scales up only
// because the floor was raised (SuccessfulRescale "Current number of
// replicas below Spec.MinReplicas").
const minReplicasRescale = "below spec.minreplicas"

// floorCost answers a cost alert when no cost trend was read and the target
// workload's autoscaler holds it at its minReplicas: the floor, not the load,
// keeps the pods running. It needs the autoscaler's word that it scaled up to
// the floor, or pods idle against their CPU requests: a floor set and used is
// no anomaly.
func floorCost(b *incident.Bundle) []incident.Finding {
	if !alertMentions(b, []string{"cost", "spend", "budget"}) {
		return nil
	}
	for _, w := range b.Workloads {
		a := w.Autoscaler
		if a == nil || w.Entity != b.Target.Workload || a.Min <= 1 || a.Current > a.Min {
			continue
		}
		ids := []string{w.ID}
		var why []string
		for _, e := range b.Events {
			if e.Object.Kind == "HorizontalPodAutoscaler" && e.Object.Name == a.Name && strings.Contains(strings.ToLower(e.Message), minReplicasRescale) {
				why = append(why, fmt.Sprintf("the autoscaler scaled it up to the floor (%s: %q)", e.Reason, truncate(e.Message, 120)))
				ids = append(ids, e.ID)
				break
			}
		}
		if idle, moreIDs, ok := unexplainedScaleOut(b); ok {
			why = append(why, idle)
			ids = append(ids, moreIDs...)
		}
		if len(why) == 0 {
			continue
		}
		return []incident.Finding{{
			Category: incident.CategoryCostAnomaly,
			Severity: incident.SeverityWarning,
			Title:    fmt.Sprintf("%s is held at minReplicas %d", w.Entity.Name, a.Min),
			Detail: fmt.Sprintf("The HorizontalPodAutoscaler %s keeps %s %s at its minReplicas of %d (maximum %d), so the floor, not the load, sets how many pods run and what they cost: %s. Lower minReplicas back to what the load needs.",
				a.Name, w.Entity.Kind, w.Entity.Name, a.Min, a.Max, strings.Join(why, "; ")),
			Entity:     w.Entity,
			Evidence:   ids,
			Confidence: 0.5 + 0.1*float64(len(why)),
		}}
	}
	return nil
}
