package analyze

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// badDeploy finds a rollout shortly before the trouble: a new ReplicaSet
// (new image or pod template) after which new errors, crashes or a latency
// or error-rate rise began, on the new revision's pods. A Deployment's and an
// Argo Rollout's revisions are both ReplicaSets; a Rollout's aborted canary
// is one more signal.
type badDeploy struct{}

func (badDeploy) Name() string { return "baddeploy" }

const (
	// deployWindow is how long before the alert a rollout is a suspect.
	deployWindow = 2 * time.Hour
	// onsetAfterDeploy is how soon after a rollout its errors must begin.
	onsetAfterDeploy = 30 * time.Minute
)

func (d badDeploy) Analyze(b *incident.Bundle) []incident.Finding {
	return d.analyzeLogs(b, logRecords(b))
}

func (badDeploy) analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding {
	byOwner := map[incident.Entity][]incident.Rollout{}
	for _, r := range b.Rollouts {
		byOwner[r.Owner] = append(byOwner[r.Owner], r)
	}
	var out []incident.Finding
	start := startsAt(b)
	for owner, rs := range byOwner {
		if len(rs) < 2 {
			continue
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].Revision > rs[j].Revision })
		cur, prev := rs[0], rs[1]
		if cur.CreatedAt.IsZero() || cur.CreatedAt.Before(start.Add(-deployWindow)) || cur.CreatedAt.After(start.Add(5*time.Minute)) {
			continue
		}
		if f, ok := deployFinding(b, recs, owner, cur, prev); ok {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Entity.Name < out[j].Entity.Name })
	return out
}

func deployFinding(b *incident.Bundle, recs []logRecord, owner incident.Entity, cur, prev incident.Rollout) (incident.Finding, bool) {
	newPods, oldPods := podsOfRevision(b, cur.Name), podsOfRevision(b, prev.Name)
	ids := []string{cur.ID, prev.ID}
	var signals []string
	confidence := 0.3
	var onset time.Time

	// New error lines that began after the rollout, on the new pods.
	var fresh []logRecord
	oldErrors := false
	for _, r := range recs {
		if !severeLevel(r.Level) || stale(b, r) {
			continue
		}
		fromNew, fromOld := false, false
		for _, p := range r.Pods {
			fromNew = fromNew || contains(newPods, p)
			fromOld = fromOld || contains(oldPods, p)
		}
		if fromOld && !r.First.IsZero() && r.First.Before(cur.CreatedAt) {
			oldErrors = true
		}
		after := r.First.IsZero() || !r.First.Before(cur.CreatedAt.Add(-time.Minute))
		if (fromNew || len(newPods) == 0) && after && (r.Novel || r.Tail || r.Previous) {
			fresh = append(fresh, r)
		}
	}
	if len(fresh) > 0 {
		sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].Count > fresh[j].Count })
		confidence += 0.25
		ids = append(ids, recordIDs(fresh, 4)...)
		examples := make([]string, 0, 2)
		for _, r := range firstNRecords(fresh, 2) {
			examples = append(examples, fmt.Sprintf("%q", display(r.Lines[0])))
		}
		signals = append(signals, fmt.Sprintf("new errors from the new pods (%s), e.g. %s",
			plural(totalCount(fresh), "line", "lines"), strings.Join(examples, " and ")))
		setOnset(&onset, earliest(fresh))
	}
	// Crashing or unready pods of the new revision while the old ones run,
	// when the rollout is recent enough for that to be its doing.
	recent := !cur.CreatedAt.Before(startsAt(b).Add(-onsetAfterDeploy))
	if broken := brokenPods(b, newPods); len(broken) > 0 && recent {
		confidence += 0.15
		for _, p := range broken {
			ids = append(ids, podID(b, owner.Namespace, p))
		}
		msg := fmt.Sprintf("%s of the new revision failing", plural(len(broken), "pod", "pods"))
		switch {
		case len(oldPods) > 0 && len(brokenPods(b, oldPods)) == 0:
			msg += " while the old revision's pods run fine"
			confidence += 0.1
		case len(oldPods) == 0 && prev.Replicas > 0 && prev.Ready >= prev.Replicas:
			// The alert named only the new pods; the old ReplicaSet's own
			// count says its pods serve.
			msg += fmt.Sprintf(" while the old revision's %s stay ready", plural(int(prev.Replicas), "replica", "replicas"))
			confidence += 0.1
		}
		signals = append(signals, msg)
	}
	// Error ratio or latency rising within minutes after the rollout.
	for _, name := range []string{incident.MetricErrorRatio, incident.MetricLatencyP99, incident.MetricLatencyP95} {
		for _, s := range series(b, name) {
			o := seriesOnset(s)
			if !rose(s, 2) || o.IsZero() || o.Before(cur.CreatedAt.Add(-time.Minute)) || o.After(cur.CreatedAt.Add(onsetAfterDeploy)) {
				continue
			}
			confidence += 0.2
			ids = append(ids, s.ID)
			signals = append(signals, fmt.Sprintf("%s rose from %.3g to %.3g starting %s after the rollout",
				s.Name, s.Summary.First, s.Summary.Max, o.Sub(cur.CreatedAt).Round(time.Second)))
			setOnset(&onset, o)
			break
		}
	}
	// Argo Rollouts judged the canary itself: an aborted rollout is its
	// analysis (error ratio, latency) failing on the new revision.
	if msg, ok := abortedCanary(b, owner); ok {
		confidence += 0.2
		signals = append(signals, "Argo Rollouts aborted the canary: "+truncate(msg, 200))
	}
	if len(signals) == 0 {
		return incident.Finding{}, false
	}
	if oldErrors {
		// The same kind of errors already came from the old revision.
		confidence -= 0.2
	}
	if !onset.IsZero() && onset.Sub(cur.CreatedAt) > onsetAfterDeploy {
		confidence -= 0.2
	}
	change := describeChange(prev, cur)
	detail := fmt.Sprintf("%s %s rolled out revision %d (ReplicaSet %s) at %s, %s; %s. After it: %s.",
		owner.Kind, owner.Name, cur.Revision, cur.Name, cur.CreatedAt.UTC().Format(time.RFC3339),
		relative(b, cur.CreatedAt), change, strings.Join(signals, "; "))
	if owner.Kind == incident.KindRollout {
		detail += fmt.Sprintf(" Back out with: kubectl argo rollouts -n %s abort %s, then undo %s.", owner.Namespace, owner.Name, owner.Name)
	}
	if cur.ChangeCause != "" {
		detail += fmt.Sprintf(" Change cause: %q.", truncate(cur.ChangeCause, 200))
	}
	return incident.Finding{
		Category:   incident.CategoryBadDeploy,
		Severity:   incident.SeverityCritical,
		Title:      fmt.Sprintf("%s: new revision %d (%s) introduced failures", owner.Name, cur.Revision, strings.Join(cur.Images, ", ")),
		Detail:     detail,
		Entity:     owner,
		Evidence:   ids,
		Confidence: confidence,
		Onset:      cur.CreatedAt,
	}, true
}

// abortedCanary reports whether a Rollout's canary was aborted, from the
// collector's Phase/<phase> condition or Argo's RolloutAborted reason.
func abortedCanary(b *incident.Bundle, owner incident.Entity) (string, bool) {
	if owner.Kind != incident.KindRollout {
		return "", false
	}
	for _, w := range b.Workloads {
		if w.Entity != owner {
			continue
		}
		for _, c := range w.Conditions {
			if c.Status == "Aborted" || c.Reason == "RolloutAborted" {
				msg := c.Message
				if msg == "" {
					msg = c.Reason
				}
				return msg, true
			}
		}
	}
	return "", false
}

// newRevisionAlone reports that a workload's failure is confined to its
// newest revision: a pod of it is failing while the previous revision's
// examined pods run fine or, none examined, its ReplicaSet keeps all its
// replicas ready. Whatever error those pods print, the rollout brought it.
func newRevisionAlone(b *incident.Bundle, owner incident.Entity) bool {
	var rs []incident.Rollout
	for _, r := range b.Rollouts {
		if r.Owner == owner {
			rs = append(rs, r)
		}
	}
	if len(rs) < 2 {
		return false
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Revision > rs[j].Revision })
	cur, prev := rs[0], rs[1]
	if len(brokenPods(b, podsOfRevision(b, cur.Name))) == 0 {
		return false
	}
	if old := podsOfRevision(b, prev.Name); len(old) > 0 {
		return len(brokenPods(b, old)) == 0
	}
	return prev.Replicas > 0 && prev.Ready >= prev.Replicas
}

func describeChange(prev, cur incident.Rollout) string {
	if strings.Join(prev.Images, ",") != strings.Join(cur.Images, ",") {
		return fmt.Sprintf("image changed from %s (revision %d, ReplicaSet %s) to %s",
			strings.Join(prev.Images, ", "), prev.Revision, prev.Name, strings.Join(cur.Images, ", "))
	}
	return fmt.Sprintf("same image %s as revision %d (ReplicaSet %s), so the pod template (config, env, resources) changed",
		strings.Join(cur.Images, ", "), prev.Revision, prev.Name)
}

func podsOfRevision(b *incident.Bundle, replicaSet string) []string {
	var out []string
	for _, p := range b.Pods {
		if p.ReplicaSet == replicaSet {
			out = append(out, p.Name)
		}
	}
	return out
}

// brokenPods are pods with a restarting, waiting or unready container; a
// pod that is still starting is not broken yet.
func brokenPods(b *incident.Bundle, pods []string) []string {
	var out []string
	for _, p := range b.Pods {
		if !contains(pods, p.Name) || stillStarting(b, p) {
			continue
		}
		for _, c := range p.Containers {
			if c.Init {
				continue
			}
			if c.RestartCount > 0 || c.State == "waiting" || c.State == "terminated" || !c.Ready {
				out = append(out, p.Name)
				break
			}
		}
	}
	return out
}

func firstNRecords(recs []logRecord, n int) []logRecord {
	if len(recs) > n {
		return recs[:n]
	}
	return recs
}

// startupGrace is how long a new pod may run unready before its readiness
// counts as a failure: long starts (a WAL replay, a cache warm-up) are
// normal, and a rollout's progress deadline is usually 10 minutes or more.
const startupGrace = 30 * time.Minute

// stillStarting reports a pod whose containers all run without a restart or
// a termination, started within startupGrace, while its workload has not
// reported ProgressDeadlineExceeded: unready because it is starting, not
// because it fails.
func stillStarting(b *incident.Bundle, p incident.PodState) bool {
	started := p.StartTime
	if started.IsZero() {
		started = p.CreatedAt
	}
	if started.IsZero() || b.Now.Sub(started) > startupGrace {
		return false
	}
	for _, c := range p.Containers {
		if c.Init {
			continue
		}
		if c.State != "running" || c.RestartCount > 0 || c.LastTermination != nil {
			return false
		}
	}
	for _, w := range b.Workloads {
		if w.Entity.Name != ownerOf(p).Name || w.Entity.Namespace != p.Namespace {
			continue
		}
		for _, c := range w.Conditions {
			if c.Reason == "ProgressDeadlineExceeded" {
				return false
			}
		}
	}
	return true
}
