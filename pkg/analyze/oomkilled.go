package analyze

import (
	"fmt"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// oomKilled finds containers killed for exceeding their memory limit, from
// the container status, kernel OOM events and the oom_kills metric, and
// reports how the working set approached the limit before the kill.
type oomKilled struct{}

func (oomKilled) Name() string { return "oomkilled" }

type oomVictim struct {
	pod       incident.PodState
	container incident.ContainerState
	killedAt  time.Time
}

func (oomKilled) Analyze(b *incident.Bundle) []incident.Finding {
	var victims []oomVictim
	var ids []string
	for _, p := range b.Pods {
		for _, c := range p.Containers {
			for _, t := range []*incident.Termination{c.LastTermination, c.Terminated} {
				if t != nil && strings.EqualFold(t.Reason, "OOMKilled") {
					victims = append(victims, oomVictim{pod: p, container: c, killedAt: t.FinishedAt})
					ids = append(ids, p.ID)
					break
				}
			}
		}
	}
	events := oomEvents(b)
	ids = append(ids, eventIDs(events)...)
	kills := oomKillSeries(b)
	ids = append(ids, seriesIDs(kills)...)
	if len(victims) == 0 && len(events) == 0 && len(kills) == 0 {
		return nil
	}

	pods := map[string]bool{}
	var podNames []string
	namespace := b.Target.Namespace
	for _, v := range victims {
		if !pods[v.pod.Name] {
			pods[v.pod.Name] = true
			podNames = append(podNames, v.pod.Name)
			namespace = v.pod.Namespace
		}
	}
	for _, e := range events {
		if e.Object.Kind == incident.KindPod && !pods[e.Object.Name] {
			pods[e.Object.Name] = true
			podNames = append(podNames, e.Object.Name)
			namespace = e.Object.Namespace
		}
	}
	entity := responsible(b, namespace, podNames)

	var detail strings.Builder
	confidence := 0.7
	var onset time.Time
	if len(victims) > 0 {
		confidence = 0.9
		v := victims[0]
		onset = v.killedAt
		restarts := int32(0)
		for _, x := range victims {
			restarts = max(restarts, x.container.RestartCount)
			if !x.killedAt.IsZero() && (onset.IsZero() || x.killedAt.Before(onset)) {
				onset = x.killedAt
			}
		}
		fmt.Fprintf(&detail, "Container %s of %s was OOMKilled (exit code 137: killed by the kernel for exceeding its memory limit)",
			v.container.Name, plural(len(podNames), "pod", "pods"))
		fmt.Fprintf(&detail, "; restarts up to %d.", restarts)
		limit := float64(v.container.Limits.MemoryBytes)
		if limit > 0 {
			fmt.Fprintf(&detail, " Memory limit %s (request %s).", quantity(int64(limit)), quantity(v.container.Requests.MemoryBytes))
		} else {
			detail.WriteString(" The container has no memory limit, so the node's memory ran out.")
			confidence = 0.6
		}
		if trend, sid, ratio := memoryTrend(b, v, limit); trend != "" {
			detail.WriteString(" " + trend)
			ids = append(ids, sid...)
			if ratio >= 0.9 {
				confidence = 0.95
			}
		}
	} else {
		fmt.Fprintf(&detail, "The kernel OOM killer fired for %s", entity.Name)
		if len(events) > 0 {
			fmt.Fprintf(&detail, ": %s", truncate(events[0].Message, 200))
			onset = events[0].FirstSeen
		}
		detail.WriteString(".")
	}
	severity := incident.SeverityWarning
	for _, v := range victims {
		if v.container.RestartCount >= 3 || v.container.Reason == "CrashLoopBackOff" {
			severity = incident.SeverityCritical
		}
	}
	return []incident.Finding{{
		Category:   incident.CategoryOOMKilled,
		Severity:   severity,
		Title:      fmt.Sprintf("%s OOMKilled: containers exceed their memory limit", entity.Name),
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      onset,
	}}
}

// oomEvents are kernel or kubelet events reporting an OOM kill.
func oomEvents(b *incident.Bundle) []incident.Event {
	var out []incident.Event
	for _, e := range b.Events {
		msg := strings.ToLower(e.Message)
		if strings.EqualFold(e.Reason, "OOMKilling") || strings.EqualFold(e.Reason, "OOMKilled") ||
			strings.Contains(msg, "oomkilled") || strings.Contains(msg, "memory cgroup out of memory") {
			out = append(out, e)
		}
	}
	return out
}

func oomKillSeries(b *incident.Bundle) []incident.Series {
	var out []incident.Series
	for _, s := range series(b, incident.MetricOOMKills) {
		if s.Summary.Max > 0 {
			out = append(out, s)
		}
	}
	return out
}

// memoryTrend describes the working set in the ten minutes before the kill
// against the limit; ratio is peak/limit (0 when unknown).
func memoryTrend(b *incident.Bundle, v oomVictim, limit float64) (string, []string, float64) {
	var best incident.Series
	found := false
	for _, s := range series(b, incident.MetricMemoryWorkingSet) {
		if s.Entity.Name == v.pod.Name || s.Labels["pod"] == v.pod.Name {
			best, found = s, true
			break
		}
		if !found {
			best, found = s, true
		}
	}
	if !found {
		return "", nil, 0
	}
	if limit <= 0 {
		for _, s := range series(b, incident.MetricMemoryLimit) {
			if s.Summary.Max > 0 {
				limit = s.Summary.Max
				break
			}
		}
	}
	peak, start := best.Summary.Max, best.Summary.Min
	if !v.killedAt.IsZero() {
		if m, ok := maxBetween(best, v.killedAt.Add(-10*time.Minute), v.killedAt.Add(scrapeLag)); ok {
			peak = m
		}
	}
	if len(best.Points) > 0 {
		start = best.Points[0].V
	}
	text := fmt.Sprintf("Working set went from %s to %s (trend %s)", mib(start), mib(peak), best.Summary.Trend)
	ratio := 0.0
	if limit > 0 {
		ratio = peak / limit
		text += fmt.Sprintf(", %.0f%% of the %s limit before the kill", 100*ratio, quantity(int64(limit)))
	}
	return text + ".", []string{best.ID}, ratio
}

// scrapeLag lets the sample scraped just after a kill still count as "before".
const scrapeLag = 30 * time.Second
