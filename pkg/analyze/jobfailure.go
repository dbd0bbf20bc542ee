package analyze

import (
	"fmt"
	"regexp"
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

// cronJobSuspended is the reason a suspended CronJob starts no run: its own
// spec, which the finding's advice turns back on.
const cronJobSuspended = "spec.suspend is true"

func (jobFailure) analyzeLogs(b *incident.Bundle, recs []logRecord) []incident.Finding {
	type failedJob struct {
		entity incident.Entity
		reason string
		ids    []string
		w      *incident.WorkloadState
		// fromPods: only a failed pod says so, not the Job or its events.
		fromPods bool
		// notScheduling: the CronJob controller creates no run at all.
		notScheduling bool
	}
	jobs := map[incident.Entity]*failedJob{}
	var order []incident.Entity
	completed := completedJobs(b)
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
		if failedCond == "" && (w.Failed == 0 || completed[w.Entity]) {
			// A Job that completed after a failed pod retried within its
			// backoff limit: the run succeeded, whatever counts failures.
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
		if completed[e.Object] {
			continue
		}
		if strings.EqualFold(e.Reason, "BackoffLimitExceeded") || strings.EqualFold(e.Reason, "DeadlineExceeded") ||
			(e.Object.Kind == incident.KindJob && e.Type == "Warning") {
			entity := e.Object
			if entity.Kind != incident.KindJob && entity.Kind != incident.KindCronJob {
				continue
			}
			add(entity, e.Reason+": "+e.Message, e.ID)
			continue
		}
		if cronJobNotScheduling(e) {
			add(e.Object, e.Reason+": "+e.Message, e.ID).notScheduling = true
		}
	}
	// A suspended CronJob the alert is about starts no run until resumed:
	// its spec is the cause (a suspend left on after maintenance, say).
	// One nobody alerted on is suspended on purpose.
	for _, w := range b.Workloads {
		if w.Entity.Kind == incident.KindCronJob && w.Suspended && w.Entity == b.Target.Workload && jobs[w.Entity] == nil {
			add(w.Entity, cronJobSuspended, w.ID).notScheduling = true
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
			if completed[job] {
				continue
			}
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
		if j.notScheduling {
			out = append(out, notSchedulingFinding(b, job, j.reason, j.ids))
			continue
		}
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

// completedJobs are the Jobs whose Complete condition is True and whose
// Failed condition is not: a pod that failed on the way was retried and a
// later one succeeded, so nothing about the run is wrong now.
func completedJobs(b *incident.Bundle) map[incident.Entity]bool {
	done := map[incident.Entity]bool{}
	for _, w := range b.Workloads {
		if w.Entity.Kind != incident.KindJob {
			continue
		}
		complete, failed := false, false
		for _, c := range w.Conditions {
			switch {
			case c.Type == "Complete" && c.Status == "True":
				complete = true
			case c.Type == "Failed" && c.Status == "True":
				failed = true
			}
		}
		if complete && !failed {
			done[w.Entity] = true
		}
	}
	return done
}

// cronJobSchedulingReasons are the CronJob controller's warnings that it
// created no Job when one was due (kube-controller-manager's cronjob
// controller, v1 and v2): too many missed start times, a start missed by
// more than startingDeadlineSeconds, a schedule or time zone it cannot read,
// a Job it failed to create.
var cronJobSchedulingReasons = map[string]bool{
	"failedneedsstart":   true,
	"toomanymissedtimes": true,
	"missschedule":       true,
	"invalidschedule":    true,
	"unknowntimezone":    true,
	"failedcreate":       true,
}

// missedStartRe words a missed start whatever the event's reason says (a
// controller of another version or a wrapper like an operator).
var missedStartRe = regexp.MustCompile(`(?i)missed (?:start(?:ing)? (?:time|window|deadline)|scheduled? time)|startingDeadlineSeconds|too many missed`)

// cronJobNotScheduling is a CronJob's own warning that it does not start
// runs: the CronJob's spec (or the controller) is the cause, not a run.
func cronJobNotScheduling(e incident.Event) bool {
	if e.Object.Kind != incident.KindCronJob || e.Type == "Normal" {
		return false
	}
	return cronJobSchedulingReasons[strings.ToLower(e.Reason)] || missedStartRe.MatchString(e.Message)
}

// notSchedulingFinding blames the CronJob itself (DESIGN's entity rule: its
// own events are about its spec), with how long ago it last started a run.
func notSchedulingFinding(b *incident.Bundle, cj incident.Entity, reason string, ids []string) incident.Finding {
	var detail strings.Builder
	fmt.Fprintf(&detail, "CronJob %s is not starting its runs (%s).", cj.Name, truncate(reason, 240))
	for _, w := range b.Workloads {
		if w.Entity != cj || w.Schedule == "" {
			continue
		}
		ids = append(ids, w.ID)
		fmt.Fprintf(&detail, " Schedule %q", w.Schedule)
		if rel := relative(b, w.LastSchedule); rel != "" {
			fmt.Fprintf(&detail, ", last run scheduled %s", rel)
		}
		detail.WriteString(".")
	}
	switch {
	case reason == cronJobSuspended:
		detail.WriteString(" A suspended CronJob starts no run until spec.suspend is set back to false (kubectl patch cronjob --type merge -p '{\"spec\":{\"suspend\":false}}').")
	case strings.Contains(strings.ToLower(reason), "too many missed"):
		detail.WriteString(" After more than 100 missed start times the controller will not start the CronJob until .spec.startingDeadlineSeconds is set or lowered (or the clock skew is fixed).")
	case missedStartRe.MatchString(reason):
		detail.WriteString(" A run that cannot start within startingDeadlineSeconds of its scheduled time is skipped.")
	}
	return incident.Finding{
		Category:   incident.CategoryJobFailure,
		Severity:   incident.SeverityCritical,
		Title:      fmt.Sprintf("cronjob %s is not scheduling runs", cj.Name),
		Detail:     detail.String(),
		Entity:     cj,
		Evidence:   ids,
		Confidence: 0.85,
	}
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
