package main

import (
	"strconv"
	"time"
)

// cronJob is a CronJob with the Jobs it created.
type cronJob struct {
	namespace, name, schedule string
	containers                []ctr
	created                   time.Time
	lastSchedule              time.Time
	active                    []string
	backoffLimit              int
}

func (c cronJob) object() obj {
	m := meta("CronJob", c.namespace, c.name, c.created, map[string]string{"app": c.name})
	var active []any
	for _, j := range c.active {
		active = append(active, obj{"kind": "Job", "namespace": c.namespace, "name": j, "uid": uid("Job", c.namespace, j), "apiVersion": "batch/v1"})
	}
	status := obj{"lastScheduleTime": ts(c.lastSchedule)}
	if len(active) > 0 {
		status["active"] = active
	}
	var cs []any
	for _, x := range c.containers {
		cs = append(cs, x.spec())
	}
	return obj{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": m, "spec": obj{
		"schedule": c.schedule, "concurrencyPolicy": "Allow", "suspend": false, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
		"jobTemplate": obj{"spec": obj{"backoffLimit": c.backoffLimit, "template": obj{"spec": obj{"containers": cs, "restartPolicy": "Never"}}}},
	}, "status": status}
}

// job is one run of the CronJob; state is "active", "complete" or "failed".
type job struct {
	cron            cronJob
	name            string
	created, ended  time.Time
	state           string
	failed, succeed int
}

func (j job) labels() map[string]string {
	u := uid("Job", j.cron.namespace, j.name)
	return map[string]string{"batch.kubernetes.io/controller-uid": u, "batch.kubernetes.io/job-name": j.name, "controller-uid": u, "job-name": j.name}
}

func (j job) object() obj {
	m := meta("Job", j.cron.namespace, j.name, j.created, j.labels())
	m["ownerReferences"] = ownerRef("CronJob", j.cron.namespace, j.cron.name)
	status := obj{"startTime": ts(j.created)}
	switch j.state {
	case "complete":
		status["succeeded"] = 1
		status["completionTime"] = ts(j.ended)
		status["conditions"] = []any{obj{"type": "Complete", "status": "True", "lastProbeTime": ts(j.ended), "lastTransitionTime": ts(j.ended)}}
	case "failed":
		status["failed"] = j.failed
		status["conditions"] = []any{obj{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
			"message": "Job has reached the specified backoff limit", "lastProbeTime": ts(j.ended), "lastTransitionTime": ts(j.ended)}}
	default:
		status["active"] = 1
	}
	return obj{"apiVersion": "batch/v1", "kind": "Job", "metadata": m, "spec": obj{
		"backoffLimit": j.cron.backoffLimit, "completions": 1, "parallelism": 1,
		"selector": obj{"matchLabels": map[string]string{"batch.kubernetes.io/controller-uid": uid("Job", j.cron.namespace, j.name)}},
		"template": podTemplate(j.labels(), j.cron.containers...),
	}, "status": status}
}

// pod is one attempt of the Job.
func (j job) pod(suffix, node string, created time.Time, statuses ...cstat) pod {
	p := pod{namespace: j.cron.namespace, name: j.name + "-" + suffix, node: node, ownerKind: "Job", ownerName: j.name,
		labels: j.labels(), containers: j.cron.containers, statuses: statuses, phase: "Running", created: created}
	for i := range p.statuses {
		p.statuses[i].image = j.cron.containers[0].image
		if p.statuses[i].state == "terminated" {
			p.phase = "Failed"
			if p.statuses[i].exitCode == 0 {
				p.phase = "Succeeded"
			}
		}
	}
	return p
}

func galeraBackupAccessDenied() *incident {
	now := mustTime("2026-12-07T02:20:00Z")
	cj := cronJob{namespace: "mariadb", name: "galera-backup", schedule: "0 2 * * *", backoffLimit: 1,
		containers: []ctr{{name: "backup", image: registry + "/galera-backup:1.4.0", reqCPU: "500m", reqMem: "512Mi", limMem: "1Gi",
			env: []obj{envVal("MC_HOST_backup", "https://minio.minio-tenant.svc"), envVal("BUCKET", "db-backups/edge-core/2026-12")}}},
		created: now.Add(-300 * 24 * 60 * m), lastSchedule: now.Add(-20 * m)}
	j := job{cron: cj, name: "galera-backup-29421120", created: now.Add(-20 * m), ended: now.Add(-7 * m), state: "failed", failed: 2}
	prev := job{cron: cj, name: "galera-backup-29419680", created: now.Add(-24*60*m - 20*m), ended: now.Add(-24*60*m - 9*m), state: "complete"}
	p1 := j.pod("7vx2m", "core-srv-2", now.Add(-20*m), cstat{name: "backup", state: "terminated", reason: "Error", exitCode: 1, started: now.Add(-20 * m), finish: now.Add(-14 * m)})
	p2 := j.pod("q9fkt", "core-srv-3", now.Add(-13*m), cstat{name: "backup", state: "terminated", reason: "Error", exitCode: 1, started: now.Add(-13 * m), finish: now.Add(-7 * m)})
	logFor := func(p pod, start time.Time) logFile {
		return logFile{namespace: "mariadb", pod: p.name, container: "backup", lines: at(start,
			0*sec, `+ mariabackup --backup --stream=xbstream --user=backup --host=mariadb-galera-2.mariadb-galera-headless`,
			1*sec, `[00] 2026-12-07 02:00:01 Connecting to MariaDB server host: mariadb-galera-2.mariadb-galera-headless, user: backup, password: set, port: not set, socket: not set`,
			2*sec, `[00] 2026-12-07 02:00:02 Using server version 11.4.4-MariaDB-log`,
			5*m, `[00] 2026-12-07 02:05:00 completed OK!`,
			5*m+2*sec, `mc: <ERROR> Failed to copy `+"`"+`/dev/stdin`+"`"+`. Access Denied.`,
			5*m+2*sec, `+ echo 'upload to backup/db-backups/edge-core/2026-12/galera-2026-12-07.xbstream.zst failed'`,
			5*m+2*sec, `upload to backup/db-backups/edge-core/2026-12/galera-2026-12-07.xbstream.zst failed`,
		)}
	}
	return &incident{
		name: "h11-galera-backup-job-access-denied-on-new-month-prefix",
		description: `The nightly Galera backup CronJob writes to a per-month prefix in the MinIO bucket. The
backup user's policy was narrowed to the 2026-11 prefix during an audit, so December's first
run streams the whole backup and then fails the upload with Access Denied, twice, and the
Job fails. The alert names the CronJob; the failed Job is the object to look at.`,
		source: "https://github.com/minio/mc/issues/2752",
		now:    now,
		alert: alert{labels: map[string]string{"alertname": "CronJobLastRunFailed", "namespace": "mariadb", "cronjob": "galera-backup", "severity": "critical", "prometheus": promInstance},
			annotations: annotations("Last run of CronJob mariadb/galera-backup failed", "The most recent Job of CronJob galera-backup has failed."),
			startsAt:    now.Add(-5 * m), value: 1,
			query: `max by (namespace, cronjob) (kube_job_status_failed{job_name=~"galera-backup-.*"} * on(job_name, namespace) group_left(owner_name) kube_job_owner{owner_kind="CronJob"}) > 0`},
		expect: expect{category: "JobFailure", namespace: "mariadb", kind: "Job", name: j.name, mentions: []string{"Access Denied"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), cj.object(), prev.object(), j.object(), p1.object(), p2.object(),
			event("mariadb", "Job", j.name, "Normal", "SuccessfulCreate", "Created pod: "+p1.name, "job-controller", "", 1, now.Add(-20*m), now.Add(-20*m)),
			event("mariadb", "Job", j.name, "Normal", "SuccessfulCreate", "Created pod: "+p2.name, "job-controller", "", 1, now.Add(-13*m), now.Add(-13*m)),
			event("mariadb", "Job", j.name, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", "job-controller", "", 1, now.Add(-7*m), now.Add(-7*m)),
			event("mariadb", "CronJob", cj.name, "Normal", "SawCompletedJob", "Saw completed job: "+j.name+", status: Failed", "cronjob-controller", "", 1, now.Add(-7*m), now.Add(-7*m)),
		),
		logs: []logFile{logFor(p1, now.Add(-20*m)), logFor(p2, now.Add(-13*m))},
	}
}

func expirePointsDeadlock() *incident {
	now := mustTime("2026-12-07T04:12:00Z")
	cj := cronJob{namespace: "loyalty", name: "expire-points", schedule: "0 4 * * *", backoffLimit: 0,
		containers: []ctr{{name: "artisan", image: registry + "/loyalty:4.12.0", reqCPU: "250m", reqMem: "256Mi", limMem: "512Mi",
			args: []string{"php", "artisan", "loyalty:expire-points", "--chunk=5000"}}},
		created: now.Add(-200 * 24 * 60 * m), lastSchedule: now.Add(-12 * m)}
	j := job{cron: cj, name: "expire-points-29421360", created: now.Add(-12 * m), ended: now.Add(-9 * m), state: "failed", failed: 1}
	p := j.pod("x2b7r", "core-srv-1", now.Add(-12*m), cstat{name: "artisan", state: "terminated", reason: "Error", exitCode: 1, started: now.Add(-12 * m), finish: now.Add(-9 * m)})
	hz := workload{kind: "Deployment", namespace: "loyalty", name: "loyalty-horizon", replicas: 2, ready: 2,
		labels:     map[string]string{"app.kubernetes.io/name": "loyalty-horizon", "app.kubernetes.io/part-of": "loyalty"},
		containers: []ctr{{name: "horizon", image: registry + "/loyalty:4.12.0", reqCPU: "250m", reqMem: "256Mi", limMem: "512Mi"}},
		created:    now.Add(-200 * 24 * 60 * m)}
	hh := "6f8d9c7b54"
	h1 := hz.pod(hh, "d4n8s", "core-srv-2", now.Add(-2*24*60*m), running("horizon", now.Add(-2*24*60*m), 0, true))
	return &incident{
		name: "h11-laravel-expire-points-job-dies-on-deadlock",
		description: `The nightly loyalty:expire-points artisan command updates the points ledger in 5000-row
chunks without retrying; tonight it deadlocked with the Horizon workers crediting points for
early shops and the Job, which has no retries, failed on the first SQLSTATE[40001].`,
		source: "https://github.com/laravel/framework/issues/23034",
		now:    now,
		alert: alert{labels: with(ksmAlert("KubeJobFailed", "loyalty", "", "", "warning"), "job_name", j.name),
			annotations: runbook("Job failed to complete.", "Job loyalty/"+j.name+" failed to complete. Removing failed job after investigation should clear this alert.", "kubejobfailed"),
			startsAt:    now.Add(-8 * m), value: 1, query: `kube_job_failed{job="kube-state-metrics"} > 0`},
		expect: expect{category: "JobFailure", namespace: "loyalty", kind: "Job", name: j.name, mentions: []string{"Deadlock"}},
		objects: append(nodes(now, now.Add(-400*24*60*m)), cj.object(), j.object(), p.object(), hz.object(), hz.replicaSet(hh, 2, 2, now.Add(-2*24*60*m), 15), h1.object(),
			event("loyalty", "Job", j.name, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", "job-controller", "", 1, now.Add(-9*m), now.Add(-9*m))),
		logs: []logFile{
			{namespace: "loyalty", pod: p.name, container: "artisan", lines: at(now.Add(-12*m),
				0*sec, `Expiring points older than 2024-12-07 in chunks of 5000`,
				40*sec, `Processed chunk 1 (5000 rows)`,
				95*sec, `Processed chunk 2 (5000 rows)`,
				170*sec, ``,
				170*sec, `   Illuminate\Database\QueryException `,
				170*sec, ``,
				170*sec, `  SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock; try restarting transaction (Connection: mysql, SQL: update `+"`points_ledger`"+` set `+"`expired_at`"+` = 2026-12-07 04:02:50 where `+"`id`"+` in (88120021, 88120022, 88120035, ...))`,
				170*sec, ``,
				170*sec, `  at vendor/laravel/framework/src/Illuminate/Database/Connection.php:825`,
			)},
			{namespace: "loyalty", pod: h1.name, container: "horizon", lines: at(now.Add(-10*m),
				0*sec, `  2026-12-07 04:02:00 App\Jobs\CreditPoints ................................ RUNNING`,
				0*sec, `  2026-12-07 04:02:00 App\Jobs\CreditPoints ........................ 31.20ms DONE`,
				50*sec, `  2026-12-07 04:02:50 App\Jobs\CreditPoints ................................ RUNNING`,
				51*sec, `  2026-12-07 04:02:51 App\Jobs\CreditPoints ...................... 1,204.77ms DONE`,
			)},
		},
		metrics: []series{
			sr("kube_job_status_failed", "gauge", "The number of pods which reached Phase Failed and the reason for failure.", map[string]string{"namespace": "loyalty", "job_name": j.name, "reason": "BackoffLimitExceeded"}, now.Add(-8*m), now.Add(-15*sec), flat(1)),
			sr("mysql_global_status_innodb_deadlocks", "gauge", "Generic metric from SHOW GLOBAL STATUS.", map[string]string{"namespace": "mariadb", "pod": "mariadb-galera-0"}, now.Add(-12*m), now.Add(-15*sec), stepAt(11, 14, 15)),
		},
	}
}

func cronEveryMinuteChurn() *incident {
	now := mustTime("2026-12-07T03:16:00Z")
	cj := cronJob{namespace: "media", name: "thumbnail-rebuild", schedule: "* 3 * * *", backoffLimit: 2,
		containers: []ctr{{name: "rebuild", image: registry + "/thumb-api:3.4.0", reqCPU: "2", reqMem: "2Gi", limMem: "3Gi", args: []string{"python", "-m", "thumb_api.rebuild", "--all"}}},
		created:    now.Add(-9 * 24 * 60 * m), lastSchedule: now.Add(-1 * m)}
	var objs []obj
	objs = append(objs, nodes(now, now.Add(-400*24*60*m))...)
	var active []string
	var runs []job
	for i := 0; i < 5; i++ {
		started := now.Add(-time.Duration(i+1) * m)
		// A CronJob names its Jobs after the scheduled minute since the epoch.
		runs = append(runs, job{cron: cj, name: "thumbnail-rebuild-" + strconv.FormatInt(started.Unix()/60, 10), created: started, state: "active"})
		active = append(active, runs[i].name)
	}
	cj.active = active
	objs = append(objs, cj.object())
	for i, r := range runs {
		p := r.pod([]string{"4kq8d", "b7wzn", "h2xlt", "n9cvr", "t5mps"}[i], coreNodes[i%3], r.created, running("rebuild", r.created.Add(3*sec), 0, true))
		objs = append(objs, r.object(), p.object())
	}
	done := job{cron: cj, name: "thumbnail-rebuild-" + strconv.FormatInt(now.Add(-7*m).Unix()/60, 10), created: now.Add(-7 * m), ended: now.Add(-2*m - 30*sec), state: "complete"}
	objs = append(objs, done.object(),
		event("media", "CronJob", cj.name, "Normal", "SuccessfulCreate", "Created job "+runs[0].name, "cronjob-controller", "", 1, now.Add(-1*m), now.Add(-1*m)),
		event("media", "CronJob", cj.name, "Normal", "SawCompletedJob", "Saw completed job: "+done.name+", status: Complete", "cronjob-controller", "", 1, now.Add(-2*m-30*sec), now.Add(-2*m-30*sec)),
	)
	start, end := now.Add(-15*m), now.Add(-15*sec)
	return &incident{
		name: "h11-thumbnail-cronjob-runs-every-minute-of-the-night-hour",
		description: `The thumbnail-rebuild CronJob was meant to run once at 03:00 ("0 3 * * *") but was
written as "* 3 * * *": it starts a run every minute from 03:00 to 03:59. Each run requests
two cores for about four minutes, so with concurrencyPolicy Allow five runs overlap and the
media namespace requests ten more cores than its baseline. The alert is a Grafana cost rule.`,
		source: "https://github.com/acryldata/datahub-helm/pull/457",
		now:    now,
		alert: alert{labels: grafanaAlert("Namespace CPU requests above baseline", "Capacity", "namespace", "media", "team", "media", "severity", "info"),
			annotations: annotations("media requests 3.6x its 7-day CPU baseline", "Requested CPU in namespace media is 13 cores against a 7-day baseline of 3.6 cores."),
			startsAt:    now.Add(-10 * m), value: 13, query: `sum(kube_pod_container_resource_requests{namespace="media",resource="cpu"})`},
		expect:  expect{category: "CostAnomaly", namespace: "media", kind: "CronJob", name: "thumbnail-rebuild", mentions: []string{"thumbnail-rebuild"}},
		objects: objs,
		metrics: []series{
			sr("namespace_cpu:kube_pod_container_resource_requests:sum", "gauge", "Recording rule: requested CPU cores per namespace.", map[string]string{"namespace": "media"}, start, end, func(i int) float64 {
				return 3 + 2*float64(min(5, i/4))
			}),
			sr("kube_cronjob_status_active", "gauge", "Active holds pointers to currently running jobs.", map[string]string{"namespace": "media", "cronjob": "thumbnail-rebuild"}, start, end, func(i int) float64 { return float64(min(5, i/4)) }),
			sr("kube_cronjob_next_schedule_time", "gauge", "Next time the cronjob should be scheduled.", map[string]string{"namespace": "media", "cronjob": "thumbnail-rebuild"}, start, end, func(i int) float64 {
				t := start.Add(time.Duration(i) * step)
				return float64(t.Truncate(time.Minute).Add(time.Minute).Unix())
			}),
		},
	}
}
