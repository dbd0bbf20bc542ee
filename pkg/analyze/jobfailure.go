package analyze

import (
	"fmt"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// jobFailure finds Jobs (and CronJobs' Jobs) that failed: backoff limit
// reached or deadline exceeded, with the failing pods' exit and last words.
type jobFailure struct{}

func (jobFailure) Name() string { return "jobfailure" }

func (j jobFailure) Analyze(b *incident.Bundle) []incident.Finding {
	return j.analyzeLogs(b, logRecords(b))
}

func (jobFailure) analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding {
	type failedJob struct {
		entity incident.Entity
		reason string
		ids    []string
		w      *incident.WorkloadState
		// fromPods: only a failed pod says so, not the Job or its events.
		fromPods bool
	}
	jobs := map[incident.Entity]*failedJob{}
	var order []incident.Entity
	add := func(e incident.Entity, reason, id string) *failedJob {
		j := jobs[e]
		if j == nil {
			j = &failedJob{entity: e}
			jobs[e] = j
			order = append(order, e)
		}
		if j.reason == "" {
			j.reason = reason
		}
		j.ids = append(j.ids, id)
		return j
	}
	for i, w := range b.Workloads {
		if w.Entity.Kind != incident.KindJob {
			continue
		}
		failedCond := ""
		for _, c := range w.Conditions {
			if c.Type == "Failed" && c.Status == "True" {
				failedCond = strings.TrimSpace(c.Reason + ": " + c.Message)
			}
		}
		if failedCond == "" && w.Failed == 0 {
			continue
		}
		if failedCond == "" && w.Active > 0 {
			// Still retrying within its backoff limit: not failed yet.
			continue
		}
		j := add(w.Entity, failedCond, w.ID)
		j.w = &b.Workloads[i]
	}
	for _, e := range b.Events {
		if staleEvent(b, e) {
			continue
		}
		if strings.EqualFold(e.Reason, "BackoffLimitExceeded") || strings.EqualFold(e.Reason, "DeadlineExceeded") ||
			(e.Object.Kind == incident.KindJob && e.Type == "Warning") {
			entity := e.Object
			if entity.Kind != incident.KindJob && entity.Kind != incident.KindCronJob {
				continue
			}
			add(entity, e.Reason+": "+e.Message, e.ID)
		}
	}
	// Without the Job object or its events, a Job's pod that failed says
	// enough: the run failed.
	if len(order) == 0 {
		for _, p := range b.Pods {
			if p.Owner.Kind != incident.KindJob && p.Owner.Kind != incident.KindCronJob {
				continue
			}
			job := jobOfPod(p)
			if _, _, _, failed := failedJobPod(b, job); failed || p.Phase == "Failed" {
				add(job, "its pod "+p.Name+" failed", p.ID).fromPods = true
			}
		}
	}
	var out []incident.Finding
	for _, job := range order {
		j := jobs[job]
		// A failed run is blamed on its Job (DESIGN's entity rule): the
		// CronJob only when the evidence is about the CronJob itself (its
		// own events: missed schedules, a bad spec).
		e := cronJobOf(b, job)
		var detail strings.Builder
		fmt.Fprintf(&detail, "%s %s failed", job.Kind, job.Name)
		if e != job {
			fmt.Fprintf(&detail, " (a run of %s %s)", e.Kind, e.Name)
		}
		if j.reason != "" {
			fmt.Fprintf(&detail, " (%s)", truncate(j.reason, 200))
		}
		if j.w != nil {
			fmt.Fprintf(&detail, ": %d failed, %d succeeded, backoffLimit %d", j.w.Failed, j.w.Succeeded, j.w.BackoffLimit)
		}
		detail.WriteString(".")
		if pod, c, t, ok := failedJobPod(b, job); ok {
			j.ids = append(j.ids, pod.ID)
			fmt.Fprintf(&detail, " Pod %s container %s ended with %s", pod.Name, c.Name, describeExit(t.ExitCode))
			if t.Reason != "" {
				fmt.Fprintf(&detail, ", reason %s", t.Reason)
			}
			detail.WriteString(".")
			lines, tailIDs := tailLines(b, pod.Name, c.Name, 3)
			j.ids = append(j.ids, tailIDs...)
			if len(lines) == 0 {
				lines, tailIDs = lastErrorLines(recs, pod.Name, 3)
				j.ids = append(j.ids, tailIDs...)
			}
			if len(lines) > 0 {
				fmt.Fprintf(&detail, " Last log lines: %q.", strings.Join(lines, " | "))
			}
		}
		out = append(out, incident.Finding{
			Category:   incident.CategoryJobFailure,
			Severity:   incident.SeverityCritical,
			Title:      fmt.Sprintf("%s %s failed", strings.ToLower(job.Kind), job.Name),
			Detail:     detail.String(),
			Entity:     job,
			Evidence:   j.ids,
			Confidence: jobConfidence(j.fromPods),
		})
	}
	return out
}

// jobOfPod is the Job a pod belongs to: its owner, or, when the owner shown
// is the Job's CronJob, the Job its name starts with ("<job>-<suffix>").
func jobOfPod(p incident.PodState) incident.Entity {
	owner := ownerOf(p)
	if owner.Kind != incident.KindCronJob {
		return owner
	}
	if i := strings.LastIndexByte(p.Name, '-'); i > len(owner.Name) && strings.HasPrefix(p.Name, owner.Name+"-") {
		return incident.Entity{Namespace: p.Namespace, Kind: incident.KindJob, Name: p.Name[:i]}
	}
	return owner
}

// failedJobPod is a pod of the job whose container ended with an error.
func failedJobPod(b *incident.Bundle, job incident.Entity) (incident.PodState, incident.ContainerState, incident.Termination, bool) {
	for _, p := range b.Pods {
		if p.Namespace != job.Namespace || !(p.Owner.Name == job.Name || strings.HasPrefix(p.Name, job.Name+"-")) {
			continue
		}
		for _, c := range p.Containers {
			for _, t := range []*incident.Termination{c.Terminated, c.LastTermination} {
				if t != nil && t.ExitCode != 0 {
					return p, c, *t, true
				}
			}
		}
	}
	return incident.PodState{}, incident.ContainerState{}, incident.Termination{}, false
}

// lastErrorLines are the error lines of a pod's log when it has no tail.
func lastErrorLines(recs []logRecord, pod string, n int) ([]string, []string) {
	var lines, ids []string
	for _, r := range recs {
		if contains(r.Pods, pod) && severeLevel(r.Level) && len(lines) < n {
			lines = append(lines, truncate(r.Lines[0], 240))
			ids = append(ids, r.ID)
		}
	}
	return lines, ids
}

// cronJobOf is the CronJob that created a Job: the top-level owner of its
// pods, or the CronJob whose name the Job's name extends with the
// scheduled time ("<cronjob>-<minutes>").
func cronJobOf(b *incident.Bundle, job incident.Entity) incident.Entity {
	if job.Kind != incident.KindJob {
		return job
	}
	for _, p := range b.Pods {
		if p.Owner.Kind == incident.KindCronJob && strings.HasPrefix(job.Name, p.Owner.Name+"-") {
			return ownerOf(p)
		}
	}
	for _, w := range b.Workloads {
		if w.Entity.Kind != incident.KindCronJob || w.Entity.Namespace != job.Namespace {
			continue
		}
		suffix, ok := strings.CutPrefix(job.Name, w.Entity.Name+"-")
		if ok && isDigits(suffix) {
			return w.Entity
		}
	}
	return job
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func jobConfidence(fromPods bool) float64 {
	if fromPods {
		return 0.7
	}
	return 0.85
}
