package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// cronEvent is an event of CronJob shop/ledger-close as the cronjob
// controller records it.
func cronEvent(typ, reason, msg string, count int32) incident.Event {
	return incident.Event{Object: incident.Entity{Namespace: "shop", Kind: incident.KindCronJob, Name: "ledger-close"},
		Type: typ, Reason: reason, Message: msg, Count: count, FirstSeen: at(-40 * time.Minute), LastSeen: at(-time.Minute),
		Source: "cronjob-controller"}
}

// cronBundle is an alert on CronJob shop/ledger-close that last started a
// run two hours before the alert, with the given events.
func cronBundle(events ...incident.Event) *incident.Bundle {
	cron := incident.Entity{Namespace: "shop", Kind: incident.KindCronJob, Name: "ledger-close"}
	b := newBundle()
	b.Target.Workload = cron
	b.Workloads = []incident.WorkloadState{{Entity: cron, Schedule: "*/15 * * * *", LastSchedule: at(-2 * time.Hour)}}
	b.Events = events
	return b
}

func TestCronJobNotScheduling(t *testing.T) {
	cron := incident.Entity{Namespace: "shop", Kind: incident.KindCronJob, Name: "ledger-close"}
	runKubeCases(t, jobFailure{}, incident.CategoryJobFailure, []kubeCase{
		{"v2 controller: too many missed start times", func() *incident.Bundle {
			return cronBundle(cronEvent("Warning", "TooManyMissedTimes",
				"too many missed start times: 214. Set or decrease .spec.startingDeadlineSeconds or check clock skew", 12))
		}, true, cron, []string{"ledger-close", "startingDeadlineSeconds", "*/15 * * * *", "2h0m0s before the alert"}},
		{"a start missed past its deadline", func() *incident.Bundle {
			return cronBundle(cronEvent("Warning", "MissSchedule",
				"Missed scheduled time to start a job: Fri, 20 Nov 2026 09:45:00 +0000", 3))
		}, true, cron, []string{"not scheduling", "startingDeadlineSeconds"}},
		{"an operator's wording under another reason", func() *incident.Bundle {
			return cronBundle(cronEvent("Warning", "ScheduleSkipped",
				"run skipped: missed starting window by 4m12s", 1))
		}, true, cron, []string{"missed starting window"}},
		{"the controller cannot create the run", func() *incident.Bundle {
			return cronBundle(cronEvent("Warning", "FailedCreate",
				`Error creating job: jobs.batch "ledger-close-29925000" is forbidden: exceeded quota: batch-quota, requested: count/jobs.batch=1, used: count/jobs.batch=20, limited: count/jobs.batch=20`, 8))
		}, true, cron, []string{"exceeded quota"}},
		{"healthy: the controller created and completed its runs", func() *incident.Bundle {
			return cronBundle(cronEvent("Normal", "SuccessfulCreate", "Created job ledger-close-29925000", 1),
				cronEvent("Normal", "SawCompletedJob", "Saw completed job: ledger-close-29925000, status: Complete", 1))
		}, false, incident.Entity{}, nil},
		{"healthy: a Normal event that mentions the deadline", func() *incident.Bundle {
			return cronBundle(cronEvent("Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid; startingDeadlineSeconds 300", 1))
		}, false, incident.Entity{}, nil},
	})
}

func TestJobCompletedAfterRetryIsNotFailed(t *testing.T) {
	job := incident.Entity{Namespace: "shop", Kind: incident.KindJob, Name: "feed-export-29925090"}
	failedPod := func() incident.PodState {
		p := orderPod("feed-export-29925090-a1b2c", incident.ContainerState{Name: "export", State: "terminated",
			Terminated: &incident.Termination{Reason: "Error", ExitCode: 2}})
		p.Owner, p.Phase = job, "Failed"
		return p
	}
	donePod := func() incident.PodState {
		p := orderPod("feed-export-29925090-d3e4f", incident.ContainerState{Name: "export", State: "terminated",
			Terminated: &incident.Termination{Reason: "Completed", ExitCode: 0}})
		p.Owner, p.Phase = job, "Succeeded"
		return p
	}
	runKubeCases(t, jobFailure{}, incident.CategoryJobFailure, []kubeCase{
		{"healthy: Complete after one failed pod", func() *incident.Bundle {
			b := newBundle(failedPod(), donePod())
			b.Target.Workload = job
			b.Workloads = []incident.WorkloadState{{Entity: job, Succeeded: 1, Failed: 1, BackoffLimit: 6,
				Conditions: []incident.Condition{{Type: "Complete", Status: "True"}}}}
			b.Events = []incident.Event{{Object: job, Type: "Normal", Reason: "Completed", Message: "Job completed"}}
			b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "feed-export-29925090-a1b2c", Container: "export",
				Lines: []incident.LogLine{{Text: `level=error msg="upload failed" err="read: connection reset by peer"`}}}}
			return b
		}, false, incident.Entity{}, nil},
		{"still failed: both conditions say so, Failed wins", func() *incident.Bundle {
			b := newBundle(failedPod())
			b.Target.Workload = job
			b.Workloads = []incident.WorkloadState{{Entity: job, Failed: 7, BackoffLimit: 6,
				Conditions: []incident.Condition{{Type: "Complete", Status: "True"}, {Type: "Failed", Status: "True", Reason: "BackoffLimitExceeded"}}}}
			return b
		}, true, job, []string{"BackoffLimitExceeded"}},
		{"not complete yet and no pod running: failed", func() *incident.Bundle {
			b := newBundle(failedPod())
			b.Target.Workload = job
			b.Workloads = []incident.WorkloadState{{Entity: job, Failed: 1, BackoffLimit: 0}}
			return b
		}, true, job, []string{"1 failed"}},
	})
}
