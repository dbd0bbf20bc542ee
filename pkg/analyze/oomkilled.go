package analyze

import (
	"fmt"
	"slices"
	"sort"
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
	// One finding per workload; kernel events and kill counts that name no
	// pod go with the only workload killed, or stand alone.
	victims := map[incident.Entity][]oomVictim{}
	events := map[incident.Entity][]incident.Event{}
	kills := map[incident.Entity][]incident.Series{}
	var owners []incident.Entity
	note := func(e incident.Entity) {
		if !slices.Contains(owners, e) {
			owners = append(owners, e)
		}
	}
	for _, p := range b.Pods {
		for _, c := range p.Containers {
			for _, t := range []*incident.Termination{c.LastTermination, c.Terminated} {
				if t != nil && strings.EqualFold(t.Reason, "OOMKilled") {
					o := ownerOf(p)
					victims[o] = append(victims[o], oomVictim{pod: p, container: c, killedAt: t.FinishedAt})
					note(o)
					break
				}
			}
		}
	}
	var loose []incident.Event
	for _, e := range oomEvents(b) {
		if e.Object.Kind != incident.KindPod {
			loose = append(loose, e)
			continue
		}
		o := ownerOfObject(b, e.Object)
		events[o] = append(events[o], e)
		note(o)
	}
	var looseKills []incident.Series
	for _, s := range oomKillSeries(b) {
		if s.Entity.Kind == incident.KindPod {
			o := ownerOfObject(b, s.Entity)
			kills[o] = append(kills[o], s)
			note(o)
			continue
		}
		looseKills = append(looseKills, s)
	}
	if len(loose)+len(looseKills) > 0 {
		o := targetEntity(b)
		if len(owners) == 1 {
			o = owners[0]
		}
		events[o] = append(events[o], loose...)
		kills[o] = append(kills[o], looseKills...)
		note(o)
	}
	sortEntities(owners)
	var out []incident.Finding
	for _, o := range owners {
		out = append(out, oomFinding(b, victims[o], events[o], kills[o]))
	}
	return out
}

func oomFinding(b *incident.Bundle, victims []oomVictim, events []incident.Event, kills []incident.Series) incident.Finding {
	var ids []string
	for _, v := range victims {
		ids = append(ids, v.pod.ID)
	}
	ids = append(ids, eventIDs(events)...)
	ids = append(ids, seriesIDs(kills)...)

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
	return incident.Finding{
		Category:   incident.CategoryOOMKilled,
		Severity:   severity,
		Title:      fmt.Sprintf("%s OOMKilled: containers exceed their memory limit", entity.Name),
		Detail:     detail.String(),
		Entity:     entity,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      onset,
	}
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
	ratio := 0.0
	if limit > 0 {
		ratio = peak / limit
	}
	if limit > 0 && ratio < missedGrowth {
		// The kernel kills at the limit: samples far below it mean the
		// growth happened between two scrapes, and they cannot show it.
		level := "at about " + mib(peak)
		if start < 0.9*peak {
			level = fmt.Sprintf("between %s and %s", mib(start), mib(peak))
		}
		text := fmt.Sprintf("The scraped working set stayed %s, at most %.0f%% of the %s limit, yet the container was killed for reaching that limit: memory grew to it faster than the scrape interval", level, 100*ratio, quantity(int64(limit)))
		if every := scrapeInterval(best); every > 0 {
			text += " (" + every.String() + ")"
		}
		text += " can show, so the samples cannot tell how fast it grew or what allocated it (a burst of allocations, a large request or a heap sized above the limit)."
		return text, []string{best.ID}, ratio
	}
	text := fmt.Sprintf("Working set went from %s to %s (trend %s)", mib(start), mib(peak), best.Summary.Trend)
	if start >= 0.9*peak {
		// "from 30Mi to 30Mi" reads as a contradiction next to a kill.
		text = "The scraped working set stayed at about " + mib(peak)
	}
	if limit > 0 {
		text += fmt.Sprintf(", %.0f%% of the %s limit before the kill", 100*ratio, quantity(int64(limit)))
	} else {
		text += "; the memory limit is not in the metrics, so the samples cannot tell how close to it memory came or how fast it grew"
	}
	return text + ".", []string{best.ID}, ratio
}

// missedGrowth is the share of the limit below which the samples before an
// OOM kill are taken to have missed the growth.
const missedGrowth = 0.8

// scrapeInterval is the median spacing of a series' samples.
func scrapeInterval(s incident.Series) time.Duration {
	var gaps []time.Duration
	for i := 1; i < len(s.Points); i++ {
		gaps = append(gaps, s.Points[i].T.Sub(s.Points[i-1].T))
	}
	if len(gaps) == 0 {
		return 0
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	return gaps[len(gaps)/2]
}

// scrapeLag lets the sample scraped just after a kill still count as "before".
const scrapeLag = 30 * time.Second
