package incident

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// AssignIDs numbers every citable item of the bundle "e1", "e2", ... in a fixed
// order (pods, workloads, rollouts, events, nodes, templates, metrics, traces), so the
// same bundle always gets the same ids. Call it once, after log mining.
func (b *Bundle) AssignIDs() {
	n := 0
	next := func() string {
		n++
		return fmt.Sprintf("e%d", n)
	}
	for i := range b.Pods {
		b.Pods[i].ID = next()
	}
	for i := range b.Workloads {
		b.Workloads[i].ID = next()
	}
	for i := range b.Rollouts {
		b.Rollouts[i].ID = next()
	}
	for i := range b.Events {
		b.Events[i].ID = next()
	}
	for i := range b.Nodes {
		b.Nodes[i].ID = next()
	}
	for i := range b.Templates {
		b.Templates[i].ID = next()
	}
	for i := range b.Metrics {
		b.Metrics[i].ID = next()
	}
	for i := range b.Traces {
		b.Traces[i].ID = next()
	}
}

// Catalog renders the bundle's citable items as Evidence, in id order. The
// texts are built from structured fields; callers redact them before they
// leave the process.
func (b *Bundle) Catalog() []Evidence {
	var out []Evidence
	for _, p := range b.Pods {
		out = append(out, Evidence{ID: p.ID, Kind: EvidencePodStatus, Entity: p.Entity(), Text: describePod(p),
			FirstSeen: p.StartTime})
	}
	for _, w := range b.Workloads {
		out = append(out, Evidence{ID: w.ID, Kind: EvidenceRollout, Entity: w.Entity, Text: describeWorkload(w)})
	}
	for _, r := range b.Rollouts {
		out = append(out, Evidence{ID: r.ID, Kind: EvidenceRollout, Entity: r.Owner,
			Text: fmt.Sprintf("%s revision %d (ReplicaSet %s) created %s, images %s, %d/%d ready",
				r.Owner.Kind, r.Revision, r.Name, r.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
				strings.Join(r.Images, ","), r.Ready, r.Replicas),
			FirstSeen: r.CreatedAt})
	}
	for _, e := range b.Events {
		out = append(out, Evidence{ID: e.ID, Kind: EvidenceEvent, Entity: e.Object,
			Text:  fmt.Sprintf("%s %s: %s", e.Type, e.Reason, e.Message),
			Count: int(e.Count), FirstSeen: e.FirstSeen, LastSeen: e.LastSeen})
	}
	for _, nd := range b.Nodes {
		out = append(out, Evidence{ID: nd.ID, Kind: EvidenceNode,
			Entity: Entity{Kind: KindNode, Name: nd.Name}, Text: describeNode(nd)})
	}
	for _, t := range b.Templates {
		out = append(out, Evidence{ID: t.ID, Kind: EvidenceLogTemplate, Entity: templateEntity(b, t),
			Text: t.Pattern, Count: t.Count, FirstSeen: t.FirstSeen, LastSeen: t.LastSeen, Examples: t.Examples})
	}
	for _, s := range b.Metrics {
		values := make([]float64, len(s.Points))
		for i, p := range s.Points {
			values[i] = p.V
		}
		out = append(out, Evidence{ID: s.ID, Kind: EvidenceMetric, Entity: s.Entity,
			Text: fmt.Sprintf("%s: min %.4g, max %.4g, last %.4g, trend %s", s.Name,
				s.Summary.Min, s.Summary.Max, s.Summary.Last, s.Summary.Trend),
			FirstSeen: s.Summary.Onset, Values: values})
	}
	for _, g := range b.Traces {
		out = append(out, Evidence{ID: g.ID, Kind: EvidenceTrace, Entity: traceEntity(b, g),
			Text: describeTrace(g), Count: g.Count, FirstSeen: g.FirstSeen, LastSeen: g.LastSeen, TraceIDs: g.TraceIDs})
	}
	return out
}

// templateEntity attributes a log template to its pod when it came from one
// pod, and to the target workload otherwise.
func templateEntity(b *Bundle, t LogTemplate) Entity {
	if len(t.Sources) == 1 {
		parts := strings.SplitN(t.Sources[0], "/", 3)
		if len(parts) >= 2 {
			return Entity{Namespace: parts[0], Kind: KindPod, Name: parts[1]}
		}
	}
	if !b.Target.Workload.IsZero() {
		return b.Target.Workload
	}
	return Entity{Namespace: b.Target.Namespace}
}

func describePod(p PodState) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "pod %s phase %s", p.Name, p.Phase)
	if p.Reason != "" {
		fmt.Fprintf(&sb, " (%s)", p.Reason)
	}
	if p.Node != "" {
		fmt.Fprintf(&sb, " on node %s", p.Node)
	}
	for _, c := range p.Containers {
		fmt.Fprintf(&sb, "; container %s %s", c.Name, c.State)
		if c.Reason != "" {
			fmt.Fprintf(&sb, " %s", c.Reason)
		}
		fmt.Fprintf(&sb, ", restarts %d", c.RestartCount)
		if t := c.LastTermination; t != nil {
			fmt.Fprintf(&sb, ", last terminated %s exit %d", t.Reason, t.ExitCode)
		}
		if c.Limits.MemoryBytes > 0 {
			fmt.Fprintf(&sb, ", memory limit %dMi", c.Limits.MemoryBytes>>20)
		}
	}
	return sb.String()
}

func describeWorkload(w WorkloadState) string {
	if w.Entity.Kind == KindJob || w.Entity.Kind == KindCronJob {
		schedule := ""
		if w.Entity.Kind == KindCronJob {
			schedule = fmt.Sprintf(", schedule %q", w.Schedule)
			if !w.LastSchedule.IsZero() {
				schedule += ", last scheduled " + w.LastSchedule.UTC().Format(time.RFC3339)
			}
			if w.Suspended {
				schedule += ", suspended"
			}
		}
		return fmt.Sprintf("%s %s: active %d, succeeded %d, failed %d (backoffLimit %d)%s%s",
			w.Entity.Kind, w.Entity.Name, w.Active, w.Succeeded, w.Failed, w.BackoffLimit, schedule, describeConditions(w.Conditions))
	}
	autoscaler := ""
	if a := w.Autoscaler; a != nil {
		autoscaler = fmt.Sprintf(", HorizontalPodAutoscaler %s at %d of %d to %d replicas (desired %d)", a.Name, a.Current, a.Min, a.Max, a.Desired)
	}
	return fmt.Sprintf("%s %s: %d desired, %d ready, %d available, %d updated%s%s",
		w.Entity.Kind, w.Entity.Name, w.Replicas, w.Ready, w.Available, w.Updated, autoscaler, describeConditions(w.Conditions))
}

func describeNode(n NodeState) string {
	var bad []string
	for _, c := range n.Conditions {
		healthy := (c.Type == "Ready" && c.Status == "True") || (c.Type != "Ready" && c.Status == "False")
		if !healthy {
			bad = append(bad, fmt.Sprintf("%s=%s (%s)", c.Type, c.Status, c.Reason))
		}
	}
	sort.Strings(bad)
	status := "healthy"
	if len(bad) > 0 {
		status = strings.Join(bad, ", ")
	}
	return fmt.Sprintf("node %s: %s; allocatable cpu %dm, memory %dMi", n.Name, status,
		n.Allocatable.CPUMilli, n.Allocatable.MemoryBytes>>20)
}

func describeConditions(cs []Condition) string {
	var parts []string
	for _, c := range cs {
		if c.Reason != "" || c.Message != "" {
			parts = append(parts, fmt.Sprintf("%s=%s %s", c.Type, c.Status, c.Reason))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}
