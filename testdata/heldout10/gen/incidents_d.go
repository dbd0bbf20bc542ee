package main

import (
	"fmt"
	"time"
)

func policySchedulerBeatLock() *incident {
	in := newIncident("h10-policy-scheduler-two-beat-replicas-lock-schedule-file", 213*time.Minute)
	in.summary = `policy-scheduler runs Celery beat with its PersistentScheduler file on a shared Azure Files volume. Someone
raised replicas to 2 "for availability"; the second beat process cannot take the gdbm lock the first one holds,
Celery's attempt to remove the "corrupted" file fails the same way, and the process exits with
_gdbm.error [Errno 11]. That replica restarts over and over while the first keeps scheduling.`
	in.source = "https://github.com/celery/celery/issues/8037"
	in.cluster("a", "b")
	in.pvc("policy", "beat-schedule", "azurefile-csi", "1Gi", "pvc-"+uid("pv", "policy", "beat-schedule"), in.ago(300*24*time.Hour))
	img := acr + "policy/policy-app:12.4.0"
	tpl := podTemplate{labels: appLabels("policy-scheduler", "policy", "12.4.0"),
		containers: []container{{name: "beat", image: img, reqCPU: "50m", reqMem: "192Mi", limCPU: "500m", limMem: "384Mi",
			env:          env("DJANGO_SETTINGS_MODULE", "policy.settings.production"),
			volumeMounts: []any{obj{"name": "schedule", "mountPath": "/var/lib/beat"}}}},
		volumes: []any{obj{"name": "schedule", "persistentVolumeClaim": obj{"claimName": "beat-schedule"}}}}
	d, rs := in.rollout("policy", "policy-scheduler", tpl, 2, 1, 47, 300*24*time.Hour, 4*24*time.Hour)
	in.event(d.obj, "Normal", "ScalingReplicaSet", "Scaled up replica set "+rs.name+" to 2 from 1", "deployment-controller", "", 1, in.ago(52*time.Minute), in.ago(52*time.Minute))
	ok := in.pod(rs, "", userNode("a"), podIP("beat-a"), "Running", in.ago(4*24*time.Hour), cs{name: "beat", image: img, ready: true, started: in.ago(4 * 24 * time.Hour)})
	bad := in.pod(rs, "", userNode("b"), podIP("beat-b"), "Running", in.ago(52*time.Minute),
		cs{name: "beat", image: img, restarts: 13, waitReason: "CrashLoopBackOff", lastReason: "Error", lastExit: 1, lastStart: in.ago(4 * time.Minute), lastEnd: in.ago(4*time.Minute - 9*time.Second)})
	in.event(bad, "Warning", "BackOff", "Back-off restarting failed container beat in pod "+nameOf(bad)+"_policy("+bad["metadata"].(obj)["uid"].(string)+")", "kubelet", userNode("b"), 188, in.ago(50*time.Minute), in.ago(25*time.Second))
	c := func(t time.Time, lvl, msg string) string {
		return fmt.Sprintf("[%s,%03d: %s/MainProcess] %s", t.Format("2006-01-02 15:04:05"), (t.Nanosecond()/1e6+77)%1000, lvl, msg)
	}
	st := in.ago(4 * time.Minute)
	in.logAt("policy/"+nameOf(bad)+"/beat.previous", st, 500*time.Millisecond,
		"celery beat v5.4.0 (opalescent) is starting.",
		"__    -    ... __   -        _",
		"LocalTime -> "+st.Format("2006-01-02 15:04:05"),
		"Configuration ->",
		"    . broker -> azureservicebus://RootManageSharedAccessKey:**@contoso-weu-sb.servicebus.windows.net//",
		"    . scheduler -> celery.beat.PersistentScheduler",
		"    . db -> /var/lib/beat/celerybeat-schedule",
		c(st.Add(4*time.Second), "INFO", "beat: Starting..."),
		c(st.Add(5*time.Second), "ERROR", "Removing corrupted schedule file '/var/lib/beat/celerybeat-schedule': error(11, 'Resource temporarily unavailable')"),
		"Traceback (most recent call last):",
		`  File "/usr/local/lib/python3.12/site-packages/celery/beat.py", line 533, in setup_schedule`,
		"    self._store = self._open_schedule()",
		`  File "/usr/local/lib/python3.12/shelve.py", line 243, in open`,
		"    return DbfilenameShelf(filename, flag, protocol, writeback)",
		"_gdbm.error: [Errno 11] Resource temporarily unavailable: '/var/lib/beat/celerybeat-schedule'",
		c(st.Add(8*time.Second), "CRITICAL", "beat raised exception <class '_gdbm.error'>: error(11, 'Resource temporarily unavailable')"))
	in.logAt("policy/"+nameOf(ok)+"/beat", in.ago(3*time.Minute), time.Minute,
		c(in.ago(3*time.Minute), "INFO", "Scheduler: Sending due task renewals.send_reminders (policy.tasks.send_renewal_reminders)"),
		c(in.ago(2*time.Minute), "INFO", "Scheduler: Sending due task claims.sync_status (policy.tasks.sync_claim_status)"))
	in.fireCrashLooping("policy", nameOf(bad), "beat", 45*time.Minute)
	n := 36
	in.count("kube_pod_container_status_restarts_total", "The number of container restarts per container.", restartsSeries("policy", nameOf(bad), "beat", 10, 12, n))
	in.gauge("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", sr(`namespace="policy",deployment="policy-scheduler",job="kube-state-metrics"`, ramp(2, 2, n)))
	in.want("CrashLoop", "policy", "Deployment", "policy-scheduler", "celerybeat-schedule", "Resource temporarily unavailable")
	return in
}

func retentionPurgeImmutable() *incident {
	in := newIncident("h10-retention-purge-job-blocked-by-blob-immutability-policy", 220*time.Minute)
	in.summary = `The nightly retention-purge run deletes claim documents past their retention date. Compliance added a
time-based immutability policy to the claims-archive container yesterday, so tonight every delete answers 409
BlobImmutableDueToPolicy and the Job fails after its retries. Last night's Job, before the policy, succeeded.`
	in.source = "https://github.com/Azure/azure-powershell/issues/9195"
	in.herring = true
	in.cluster("a", "b")
	img := acr + "documents/records-tools:3.2.0"
	tpl := podTemplate{labels: appLabels("retention-purge", "documents", "3.2.0"), serviceAccount: "records-tools",
		containers: []container{{name: "purge", image: img, reqCPU: "200m", reqMem: "256Mi", limCPU: "1", limMem: "512Mi",
			env: env("ARCHIVE_ACCOUNT_URL", "https://stcontosoweuproddocs.blob.core.windows.net", "ARCHIVE_CONTAINER", "claims-archive")}}}
	tonight := time.Date(2026, 12, 3, 2, 30, 0, 0, time.UTC)
	yesterday := tonight.Add(-24 * time.Hour)
	cj := in.cronJob("documents", "retention-purge", "30 3 * * *", tpl, in.ago(400*24*time.Hour), tonight, 1)
	okName := fmt.Sprintf("retention-purge-%d", yesterday.Unix()/60)
	okJob := in.job(cj, "documents", okName, tpl, 1, 0, 1, yesterday)
	okJob.obj["status"].(obj)["completionTime"] = ts(yesterday.Add(18 * time.Minute))
	okJob.obj["status"].(obj)["conditions"] = []any{obj{"type": "Complete", "status": "True", "lastProbeTime": ts(yesterday.Add(18 * time.Minute)), "lastTransitionTime": ts(yesterday.Add(18 * time.Minute))}}
	in.pod(okJob, okName+"-"+hashOf(okName, 5), userNode("a"), podIP("rp-ok"), "Succeeded", yesterday,
		cs{name: "purge", image: img, termReason: "Completed", termExit: 0, lastStart: yesterday, lastEnd: yesterday.Add(18 * time.Minute)})
	jobName := fmt.Sprintf("retention-purge-%d", tonight.Unix()/60)
	j := in.job(cj, "documents", jobName, tpl, 1, 2, 0, tonight)
	failed := in.failedRuns(cj, j, []string{"b", "a"}, tonight, 5*time.Minute, 3*time.Minute+20*time.Second, func(start time.Time) []logLine {
		lg := pyLogger(start, "records.purge")
		failedAt := 84 * time.Second
		return append([]logLine{
			lg(4*time.Second, "INFO", "listing blobs in claims-archive older than retention (7y) for 2019-11"),
			lg(44*time.Second, "INFO", "3112 blobs eligible for deletion"),
			lg(failedAt, "ERROR", "delete failed for claims/2019/11/CLM-2019-0412771/photo-01.jpg")},
			pythonError(start.Add(failedAt), []string{`  File "/app/records/purge.py", line 88, in purge_month`, `    container.delete_blob(name, delete_snapshots="include")`},
				"ResourceExistsError", "This operation is not permitted as the blob is immutable due to a policy.",
				"8e2c71d4-d01e-0042-7b5f-45c3a9000000", "BlobImmutableDueToPolicy")...)
	})
	in.fire(amLabels("KubeJobFailed", "warning", "documents", "job_name", jobName, "cronjob", "retention-purge", "job", "kube-state-metrics"),
		"Job failed to complete.", "Job documents/"+jobName+" failed to complete. Removing failed job after investigation should clear this alert.",
		`kube_job_failed{job="kube-state-metrics"} > 0`, 1, in.now.Sub(failed.Add(time.Minute)))
	in.want("JobFailure", "documents", "Job", jobName, "BlobImmutableDueToPolicy")
	return in
}
