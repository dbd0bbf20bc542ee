package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// StateKey identifies an alert firing and what its evidence says, so that
// an explanation made for the same key can be reused. It leaves out what
// changes on every collection without changing the story (timestamps, event
// counts, metric samples, the exact text and counts of log lines) and keeps
// what does change it: the alert's labels and startsAt (a new firing is a new
// key), pod phases and container states, restart reasons, workload readiness,
// rollouts, event reasons, node conditions, whether Services have endpoints,
// the log templates seen (and which are new or errors), the direction of
// each metric, the trace error and latency groups, and the sources that
// failed. Call it after the logs have been mined into templates.
func (b *Bundle) StateKey() string {
	var lines []string
	add := func(parts ...string) { lines = append(lines, strings.Join(parts, "\x00")) }
	a := b.Alert
	for k, v := range a.Labels {
		add("label", k, v)
	}
	add("alert", a.Status, a.StartsAt.UTC().Format(time.RFC3339))
	for _, p := range b.Pods {
		for _, c := range p.Containers {
			last := ""
			if c.LastTermination != nil {
				last = c.LastTermination.Reason + "/" + strconv.Itoa(int(c.LastTermination.ExitCode))
			}
			add("pod", p.Namespace, p.Name, p.Phase, p.Reason, c.Name, c.Image, c.State, c.Reason, last, strconv.FormatBool(c.Ready))
		}
	}
	for _, w := range b.Workloads {
		add("workload", w.Entity.String(), strings.Join(w.Images, ","),
			strconv.Itoa(int(w.Replicas)), strconv.Itoa(int(w.Ready)), strconv.Itoa(int(w.Failed)))
	}
	for _, r := range b.Rollouts {
		add("rollout", r.Owner.String(), r.Name, strconv.FormatInt(r.Revision, 10))
	}
	for _, e := range b.Events {
		add("event", e.Object.String(), e.Type, e.Reason)
	}
	for _, n := range b.Nodes {
		for _, c := range n.Conditions {
			add("node", n.Name, c.Type, c.Status)
		}
	}
	for _, s := range b.Services {
		add("service", s.Namespace, s.Name, strconv.FormatBool(s.Ready > 0), strconv.FormatBool(s.NotReady > 0),
			strings.Join(s.BackendProblems, ";"))
	}
	for _, c := range b.Claims {
		add("claim", c.Namespace, c.Name, c.Phase)
	}
	for _, t := range b.Templates {
		add("template", t.Pattern, t.Level, strconv.FormatBool(t.Novel))
	}
	for _, m := range b.Metrics {
		add("metric", m.Name, m.Entity.String(), m.Summary.Trend)
	}
	for _, t := range b.Traces {
		add("trace", t.Kind, t.Service, t.Operation, t.Status, t.Peer, t.Caller)
	}
	for _, d := range b.Degraded {
		add("degraded", d.Source)
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	h := sha256.New()
	h.Write([]byte("state/v2\n"))
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
