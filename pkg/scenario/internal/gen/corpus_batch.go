package main

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func batchScenarios() []definition {
	return []definition{
		{"job-migration-backoff-limit", jobMigrationBackoff},
		{"cronjob-export-access-denied", cronJobAccessDenied},
	}
}

// jobAttempt adds one pod of a Job that ran from start for d and ended with exit.
func jobAttempt(w *workload, node *nodePlan, created time.Time, d time.Duration, exit int32, logs logFunc) *podPlan {
	p := w.pod(node, created, 0)
	c := p.ctrs[0]
	r := &c.runs[0]
	r.end = r.start.Add(d)
	r.exit, r.reason = exit, "Completed"
	p.phase = "Succeeded"
	if exit != 0 {
		r.reason, p.phase = "Error", "Failed"
	}
	p.failedAt = r.end
	c.logs = logs
	return p
}

// A Helm pre-upgrade migration Job fails four times and hits its backoff limit.
func jobMigrationBackoff(b *builder) {
	b.setup("2026-11-16T07:34:00Z", 35)
	b.describe(`The pre-upgrade hook Job accounts-db-migrate-412 runs alembic migrations. The
migration adds a column that a hotfix already added by hand, so every attempt fails
with "column ... already exists" (exit code 1). After 4 attempts the Job reaches its
backoffLimit of 3: BackoffLimitExceeded, and the release is blocked.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("accounts-migrate", ctrSpec{name: "migrate", image: b.ecr("accounts/accounts-api", "4.12.0"),
		command: []string{"alembic", "upgrade", "head"}, cpuReq: "100m", memReq: "128Mi", memLim: "256Mi", secretEnv: []string{"accounts-db"}})
	spec.RestartPolicy = corev1.RestartPolicyNever
	w := b.workload("Job", "accounts", "accounts-db-migrate-412", 1, b.at(24*time.Minute), spec, "helm.sh/chart", "accounts-4.12.0")
	w.backoffLimit = 3
	logs := func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 900*time.Millisecond)
		emit(t, "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.")
		emit(t.Add(time.Millisecond), "INFO  [alembic.runtime.migration] Will assume transactional DDL.")
		emit(t.Add(40*time.Millisecond), "INFO  [alembic.runtime.migration] Running upgrade 7b2f4a91c0de -> 3e8d1c55aa20, add email verification")
		emit(t.Add(90*time.Millisecond), `Traceback (most recent call last):
  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 1967, in _exec_single_context
    self.dialect.do_execute(
  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/default.py", line 941, in do_execute
    cursor.execute(statement, parameters)
psycopg2.errors.DuplicateColumn: column "email_verified_at" of relation "users" already exists

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/usr/local/bin/alembic", line 8, in <module>
    sys.exit(main())
  File "/app/migrations/versions/3e8d1c55aa20_add_email_verification.py", line 19, in upgrade
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(timezone=True)))
sqlalchemy.exc.ProgrammingError: (psycopg2.errors.DuplicateColumn) column "email_verified_at" of relation "users" already exists
[SQL: ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP WITH TIME ZONE]
(Background on this error at: https://sqlalche.me/e/20/f405)`)
	}
	start := w.created
	var last *podPlan
	for i := 0; i < 4; i++ {
		last = jobAttempt(w, nodes[i%3], start, 4*time.Second+b.jitter(time.Second), 1, logs)
		start = last.ctrs[0].runs[0].end.Add(time.Duration(10<<i) * time.Second)
	}
	w.failedAt = last.failedAt.Add(time.Second)
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "KubeJobFailed", "namespace": "accounts", "job_name": w.name, "severity": "warning", "job": "kube-state-metrics", "condition": "true"},
		summary:     "Job failed to complete.",
		description: fmt.Sprintf("Job accounts/%s failed to complete. Removing failed job after investigation should clear this alert.", w.name),
		runbook:     runbooks + "kubejobfailed",
		startsAt:    b.at(12 * time.Minute),
		query:       `kube_job_failed{job="kube-state-metrics"} > 0`,
		value:       1,
	})
	b.expect("JobFailure", "accounts", "Job", w.name, "BackoffLimitExceeded", "already exists")
}

// The hourly export CronJob cannot write to S3 after a bucket policy change.
func cronJobAccessDenied(b *builder) {
	b.setup("2026-11-22T14:19:00Z", 45)
	b.describe(`invoice-export runs hourly and uploads a CSV to S3. A bucket policy change at
13:40 denies its IAM role s3:PutObject; the 14:00 run fails twice with AccessDenied and
the Job gives up (backoffLimit 1). The 13:00 run had succeeded.`)
	nodes := b.cluster(3, "m6i.large", "batch")
	spec := b.podSpec("invoice-export", ctrSpec{name: "export", image: b.ecr("finance/invoice-export", "1.8.0"),
		command: []string{"python", "-m", "export.main"}, cpuReq: "200m", memReq: "256Mi", memLim: "512Mi",
		env: []string{"EXPORT_BUCKET", "acme-finance-exports-prod", "AWS_REGION", "eu-west-1"}})
	spec.RestartPolicy = corev1.RestartPolicyNever
	cron := b.workload("CronJob", "finance", "invoice-export", 0, b.at(days(150)), spec)
	cron.schedule = "0 * * * *"
	cron.backoffLimit = 1
	run13 := time.Date(2026, 11, 22, 13, 0, 0, 0, time.UTC)
	run14 := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	jobFor := func(at time.Time) *workload {
		j := b.workload("Job", "finance", fmt.Sprintf("invoice-export-%d", at.Unix()/60), 1, at.Add(200*time.Millisecond), spec)
		j.parent, j.backoffLimit = cron, 1
		j.labels = mergeMaps(j.labels, map[string]string{"app.kubernetes.io/name": "invoice-export"})
		return j
	}
	okLogs := func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 2*time.Second)
		emit(t, pyLog(t, "INFO", "export.main", "exporting invoices for 2026-11-22T12:00Z..13:00Z"))
		emit(t.Add(9*time.Second), pyLog(t.Add(9*time.Second), "INFO", "export.s3", "uploaded s3://acme-finance-exports-prod/invoices/2026/11/22/12.csv (1843 rows)"))
	}
	badLogs := func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 2*time.Second)
		emit(t, pyLog(t, "INFO", "export.main", "exporting invoices for 2026-11-22T13:00Z..14:00Z"))
		t = t.Add(8 * time.Second)
		emit(t, pyLog(t, "ERROR", "export.main", "upload failed")+`
Traceback (most recent call last):
  File "/app/export/main.py", line 64, in run
    s3.upload_file(path, bucket, key)
  File "/usr/local/lib/python3.12/site-packages/boto3/s3/transfer.py", line 377, in upload_file
    raise S3UploadFailedError(
boto3.exceptions.S3UploadFailedError: Failed to upload /tmp/13.csv to acme-finance-exports-prod/invoices/2026/11/22/13.csv: An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::412345678901:assumed-role/invoice-export-irsa/botocore-session-1763820001 is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::acme-finance-exports-prod/invoices/2026/11/22/13.csv" with an explicit deny in a resource-based policy`)
	}
	j13 := jobFor(run13)
	jobAttempt(j13, nodes[0], j13.created, 14*time.Second, 0, okLogs)
	j14 := jobFor(run14)
	p1 := jobAttempt(j14, nodes[1], j14.created, 11*time.Second, 1, badLogs)
	p2 := jobAttempt(j14, nodes[2], p1.failedAt.Add(10*time.Second), 11*time.Second, 1, badLogs)
	j14.failedAt = p2.failedAt.Add(time.Second)
	for _, j := range []*workload{j13, j14} {
		b.event(cron.ref(), "Normal", "SuccessfulCreate", "Created job "+j.name, "cronjob-controller", "", j.created)
	}
	b.event(cron.ref(), "Normal", "SawCompletedJob", fmt.Sprintf("Saw completed job: %s, condition: Complete", j13.name), "cronjob-controller", "", j13.created.Add(20*time.Second))
	b.event(cron.ref(), "Normal", "SawCompletedJob", fmt.Sprintf("Saw completed job: %s, condition: Failed", j14.name), "cronjob-controller", "", j14.failedAt)
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "KubeJobFailed", "namespace": "finance", "job_name": j14.name, "severity": "warning", "job": "kube-state-metrics", "condition": "true"},
		summary:     "Job failed to complete.",
		description: fmt.Sprintf("Job finance/%s failed to complete. Removing failed job after investigation should clear this alert.", j14.name),
		runbook:     runbooks + "kubejobfailed",
		startsAt:    b.at(13 * time.Minute),
		query:       `kube_job_failed{job="kube-state-metrics"} > 0`,
		value:       1,
	})
	// DESIGN's entity rule: the failed run (Job), not its CronJob.
	b.expect("JobFailure", "finance", "Job", j14.name, "AccessDenied", "invoice-export")
}
