"""Batch work and alerts with nothing behind them: a scheduled Job that
fails on its own, a CronJob left suspended, an alert that fired during a
normal node consolidation and has recovered, and an alert whose data
source returned nothing."""

from datetime import datetime, timedelta, timezone

from common import MI, cadvisor, ksm, limits
from kit import (Metrics, Workload, alert, container_spec, event, http_probe, log_lines, node, node_name, parse, pod,
                 running, terminated, ts, uid)

ECR = "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop/"


def _cronjob(ns, name, schedule, container, created, suspend=False, last_schedule=None, last_success=None, active=None):
    obj = {"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": ns, "uid": uid("cronjob", ns, name), "creationTimestamp": ts(created),
                        "labels": {"app.kubernetes.io/name": name}},
           "spec": {"schedule": schedule, "timeZone": "Etc/UTC", "concurrencyPolicy": "Forbid", "suspend": suspend,
                    "startingDeadlineSeconds": 600, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 3,
                    "jobTemplate": {"spec": {"backoffLimit": 2, "activeDeadlineSeconds": 3600,
                                             "template": {"metadata": {"labels": {"app.kubernetes.io/name": name}},
                                                          "spec": {"restartPolicy": "Never", "containers": [container]}}}}},
           "status": {}}
    if last_schedule:
        obj["status"]["lastScheduleTime"] = ts(last_schedule)
    if last_success:
        obj["status"]["lastSuccessfulTime"] = ts(last_success)
    if active:
        obj["status"]["active"] = active
    return obj


def _job(cron, scheduled, container, outcome, pods_):
    ns, cname = cron["metadata"]["namespace"], cron["metadata"]["name"]
    name = f"{cname}-{int(scheduled.timestamp() // 60)}"
    juid = uid("job", ns, name)
    labels = {"app.kubernetes.io/name": cname, "batch.kubernetes.io/controller-uid": juid, "batch.kubernetes.io/job-name": name,
              "controller-uid": juid, "job-name": name}
    job = {"apiVersion": "batch/v1", "kind": "Job",
           "metadata": {"name": name, "namespace": ns, "uid": juid, "creationTimestamp": ts(scheduled), "labels": labels,
                        "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": ts(scheduled)},
                        "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": cname, "uid": cron["metadata"]["uid"],
                                             "controller": True, "blockOwnerDeletion": True}]},
           "spec": {"backoffLimit": 2, "activeDeadlineSeconds": 3600, "completions": 1, "parallelism": 1, "completionMode": "NonIndexed",
                    "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": juid}},
                    "template": {"metadata": {"labels": labels}, "spec": {"restartPolicy": "Never", "containers": [container]}}},
           "status": {"startTime": ts(scheduled + timedelta(seconds=1))}}
    if outcome == "failed":
        end = pods_[-1][2] + timedelta(seconds=1)
        job["status"].update({"failed": len(pods_), "ready": 0, "terminating": 0, "uncountedTerminatedPods": {},
                              "conditions": [{"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded",
                                              "message": "Job has reached the specified backoff limit",
                                              "lastProbeTime": ts(end), "lastTransitionTime": ts(end)},
                                             {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                                              "message": "Job has reached the specified backoff limit",
                                              "lastProbeTime": ts(end), "lastTransitionTime": ts(end)}]})
    else:
        end = pods_[-1][2] + timedelta(seconds=1)
        job["status"].update({"succeeded": 1, "ready": 0, "completionTime": ts(end),
                              "conditions": [{"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": ts(end), "lastTransitionTime": ts(end)},
                                             {"type": "Complete", "status": "True", "lastProbeTime": ts(end), "lastTransitionTime": ts(end)}]})
    objs = [job]
    for i, (code, start, finish, nn) in enumerate(pods_):
        pname = f"{name}-{uid('jp', name, i)[:5]}"
        reason = "Completed" if code == 0 else "Error"
        objs.append(pod(ns, pname, labels, ("Job", name, juid, "batch/v1"), [container],
                        [terminated(reason, code, start, finish)], nn, start - timedelta(seconds=3),
                        phase="Succeeded" if code == 0 else "Failed",
                        extra_spec={"restartPolicy": "Never"}))
    return name, objs


def invoice_export_php_memory_limit():
    now = parse("2026-12-06T02:58:00Z")
    ns = "billing"
    n1 = node_name(42, 140)
    nodes_ = [node(n1, now, itype="c7i.large", cpu="2", memory="4Gi", pool="batch", capacity_type="spot")]
    c = container_spec("invoice-export", f"{ECR}billing:5.14.2-cli", cpu_req="500m", mem_req="512Mi", mem_lim="1Gi",
                       command=["php", "artisan", "invoices:export", "--month=previous", "--format=xlsx"])
    cron = _cronjob(ns, "invoice-export", "15 2 * * *", c, now - timedelta(days=400))
    sched = parse("2026-12-06T02:15:00Z")
    runs = [(255, sched + timedelta(seconds=4), sched + timedelta(minutes=9)),
            (255, sched + timedelta(minutes=9, seconds=12), sched + timedelta(minutes=18, seconds=30)),
            (255, sched + timedelta(minutes=19, seconds=5), sched + timedelta(minutes=28, seconds=2))]
    jname, jobjs = _job(cron, sched, c, "failed", [(code, s, f, n1) for code, s, f in runs])
    prev_sched = parse("2026-12-05T02:15:00Z")
    pname, pobjs = _job(cron, prev_sched, c, "ok", [(0, prev_sched + timedelta(seconds=4), prev_sched + timedelta(minutes=7), n1)])
    cron["status"] = {"lastScheduleTime": ts(sched), "lastSuccessfulTime": ts(prev_sched + timedelta(minutes=7))}
    objs = nodes_ + [cron] + pobjs + jobjs
    job_uid = jobjs[0]["metadata"]["uid"]
    objs.append(event(ns, "Job", jname, job_uid, "BackoffLimitExceeded", "Job has reached the specified backoff limit",
                      runs[-1][2], runs[-1][2], component="job-controller", api="batch/v1"))
    objs.append(event(ns, "CronJob", "invoice-export", cron["metadata"]["uid"], "SuccessfulCreate", f"Created job {jname}", sched, sched,
                      etype="Normal", component="cronjob-controller", api="batch/v1"))
    objs.append(event(ns, "CronJob", "invoice-export", cron["metadata"]["uid"], "SawCompletedJob",
                      f"Saw completed job: {jname}, condition: Failed", runs[-1][2], runs[-1][2], etype="Normal", component="cronjob-controller",
                      api="batch/v1"))
    logs = {}
    for (code, s, f), p in zip(runs, jobjs[1:]):
        logs[(ns, p["metadata"]["name"], "invoice-export", False)] = log_lines(s + timedelta(seconds=1), 30, [
            "Exporting invoices for 2026-11 (tenant scope: all) ...",
            "  chunk 1/14 done (25000 invoices)", "  chunk 2/14 done (50000 invoices)", "  chunk 3/14 done (75000 invoices)",
            "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/vendor/phpoffice/phpspreadsheet/src/PhpSpreadsheet/Collection/Cells.php on line 426",
            "",
            "   Symfony\\Component\\ErrorHandler\\Error\\FatalError ",
            "",
            "  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)"])
    m = Metrics(now - timedelta(minutes=50), now - timedelta(seconds=30))
    for (code, s, f), p in zip(runs, jobjs[1:]):
        m.gauge("container_memory_working_set_bytes", cadvisor(ns, p["metadata"]["name"], "invoice-export", n1),
                (lambda t, s=s, f=f: int(90 * MI + 80 * MI * (t - s).total_seconds() / (f - s).total_seconds()) if s <= t <= f else None))
        limits(m, ns, p["metadata"]["name"], "invoice-export", n1, memory=1024 * MI)
    m.gauge("kube_job_status_failed", {"namespace": ns, "job_name": jname, "reason": "BackoffLimitExceeded", "job": "kube-state-metrics"},
            lambda t: 3 if t >= runs[-1][2] else None)
    return {
        "name": "h6-scheduled-invoice-export-job-php-memory-limit",
        "description": f"""
The nightly invoice export Job {jname} (created by CronJob billing/invoice-export) failed after three
attempts, BackoffLimitExceeded. Each pod exited 255 with "PHP Fatal error: Allowed memory size of
134217728 bytes exhausted" while building the spreadsheet: PHP's own 128M memory_limit, not the
container's 1Gi limit (the pods peak at ~170Mi; no OOM kill). Yesterday's run succeeded; the November
export is larger. The CronJob spec is fine; the failed object is this Job.""",
        "sources": ["SpartnerNL/Laravel-Excel issue 1728 'Allowed memory size of 134217728 bytes exhausted' (export from a query), https://github.com/SpartnerNL/Laravel-Excel/issues/1728",
                    "karlomikus/bar-assistant issue 551 'Error - Export Database' (scripted artisan export fails with Allowed memory size exhausted), https://github.com/karlomikus/bar-assistant/issues/551"],
        "now": now,
        "alert": alert("KubeJobFailed", {"namespace": ns, "job_name": jname, "severity": "warning", "job": "kube-state-metrics"},
                       f"Job {ns}/{jname} failed to complete.", runs[-1][2] + timedelta(minutes=10),
                       'kube_job_failed{job="kube-state-metrics"} > 0', 1,
                       runbook="https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubejobfailed"),
        "expect": {"category": "JobFailure", "entity": {"namespace": ns, "kind": "Job", "name": jname},
                   "mentions": ["Allowed memory size"]},
        "objects": objs, "logs": logs, "metrics": m,
    }


def backup_cronjob_left_suspended():
    now = parse("2026-12-06T09:30:00Z")
    ns = "data"
    n1 = node_name(8, 33)
    nodes_ = [node(n1, now, itype="r6i.xlarge", memory="32Gi", pool="stateful")]
    c = container_spec("mongodump", "docker.io/mongo:7.0.14", cpu_req="250m", mem_req="512Mi", mem_lim="2Gi",
                       command=["/bin/sh", "-c", "mongodump --uri=$MONGODB_URI --gzip --archive | aws s3 cp - s3://shop-prod-backups/mongodb/$(date +%F).gz"])
    last = parse("2026-11-30T01:00:00Z")
    cron = _cronjob(ns, "mongodb-backup", "0 1 * * *", c, now - timedelta(days=500), suspend=True, last_schedule=last,
                    last_success=last + timedelta(minutes=23))
    cron["metadata"]["managedFields"] = [{"manager": "kubectl-patch", "operation": "Update", "apiVersion": "batch/v1",
                                          "time": ts(parse("2026-11-30T14:12:00Z")), "fieldsType": "FieldsV1",
                                          "fieldsV1": {"f:spec": {"f:suspend": {}}}}]
    cron["metadata"]["annotations"] = {"ops.shop.example/maintenance": "CHG-4471 storage migration, resume after"}
    jname, jobjs = _job(cron, last, c, "ok", [(0, last + timedelta(seconds=5), last + timedelta(minutes=23), n1)])
    objs = nodes_ + [cron] + jobjs
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    m.gauge("kube_cronjob_spec_suspend", {"namespace": ns, "cronjob": "mongodb-backup", "job": "kube-state-metrics"}, lambda t: 1)
    m.gauge("kube_cronjob_status_last_successful_time", {"namespace": ns, "cronjob": "mongodb-backup", "job": "kube-state-metrics"},
            lambda t: (last + timedelta(minutes=23)).timestamp())
    m.gauge("kube_cronjob_status_last_schedule_time", {"namespace": ns, "cronjob": "mongodb-backup", "job": "kube-state-metrics"},
            lambda t: last.timestamp())
    m.gauge("kube_cronjob_next_schedule_time", {"namespace": ns, "cronjob": "mongodb-backup", "job": "kube-state-metrics"},
            lambda t: parse("2026-12-07T01:00:00Z").timestamp())
    return {
        "name": "h6-backup-cronjob-left-suspended-after-maintenance",
        "description": """
The "backup too old" alert fired: the last successful MongoDB backup is from 30 November. No Job failed:
the CronJob data/mongodb-backup has spec.suspend=true, set with kubectl patch on 30 November for a
storage migration (annotation "resume after") and never reverted, so no Job has been created for six
nights; no events remain from that time. The fault lies in the CronJob's own spec, so the CronJob is
the object to name.""",
        "sources": ["k8-one, 'Your Kubernetes CronJobs Are Silently Failing' (CronJobs that stop producing successful runs without anyone being told), https://k8-one.com/posts/your-kubernetes-cronjobs-are-silently-failing/",
                    "korpro.io glossary, 'CronJob' (spec.suspend: true prevents new Jobs from being created; used during maintenance windows), https://korpro.io/glossary/cronjob"],
        "now": now,
        "alert": alert("MongoBackupTooOld", {"namespace": ns, "cronjob": "mongodb-backup", "severity": "critical", "team": "data"},
                       "No successful mongodb-backup run for 6d 8h", now - timedelta(hours=4),
                       'time() - kube_cronjob_status_last_successful_time{cronjob="mongodb-backup"} > 26 * 3600', 548220),
        "expect": {"category": "JobFailure", "entity": {"namespace": ns, "kind": "CronJob", "name": "mongodb-backup"},
                   "mentions": ["suspend"]},
        "objects": objs, "logs": {}, "metrics": m,
    }


def consolidation_blip_already_recovered():
    now = parse("2026-12-06T12:20:00Z")
    ns = "accounts"
    n1, n2 = node_name(13, 19), node_name(29, 44)
    nodes_ = [node(n1, now, itype="m7i.xlarge"), node(n2, now, itype="m7i.xlarge", zone="us-west-2b", created_days=0)]
    nodes_[1]["metadata"]["creationTimestamp"] = ts(now - timedelta(minutes=16))
    c = container_spec("accounts-api", f"{ECR}accounts-api:9.2.0", cpu_req="250m", mem_req="384Mi", mem_lim="768Mi", ports=[("http", 8080)],
                       readiness=http_probe("/health/ready", 8080))
    d = Workload("Deployment", ns, "accounts-api", {"app.kubernetes.io/name": "accounts-api"}, [c], 4, now - timedelta(days=300), revision=51)
    h = d.add_rs(51, 4, 4, created=now - timedelta(days=6))
    moved = now - timedelta(minutes=14)
    pods = [d.pod(h, i, [running(now - timedelta(days=6) if i < 2 else moved + timedelta(seconds=40))], (n1, n1, n2, n2)[i],
                  now - timedelta(days=6) if i < 2 else moved) for i in range(4)]
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
           "metadata": {"name": "accounts-api", "namespace": ns, "uid": uid("pdb", ns, "accounts-api")},
           "spec": {"maxUnavailable": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": "accounts-api"}}},
           "status": {"currentHealthy": 4, "desiredHealthy": 2, "disruptionsAllowed": 2, "expectedPods": 4, "observedGeneration": 1}}
    objs = nodes_ + d.objects() + pods + [pdb]
    for p in pods[2:]:
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "Scheduled",
                          f"Successfully assigned {ns}/{p['metadata']['name']} to {n2}", moved, moved, etype="Normal", component="default-scheduler"))
        objs.append(event(ns, "Pod", p["metadata"]["name"], p["metadata"]["uid"], "Started", "Started container accounts-api",
                          moved + timedelta(seconds=9), moved + timedelta(seconds=9), etype="Normal", host=n2,
                          field_path="spec.containers{accounts-api}"))
    objs.append(event("", "Node", n2, nodes_[1]["metadata"]["uid"], "Ready", "Status condition transitioned, Type: Ready, Status: False -> True, Reason: KubeletReady",
                      now - timedelta(minutes=15), now - timedelta(minutes=15), etype="Normal", component="karpenter"))
    objs.append(event(ns, "ReplicaSet", d.rs_name(h), uid("ReplicaSet", ns, d.rs_name(h)), "SuccessfulCreate",
                      f"Created pod: {pods[2]['metadata']['name']}", moved, moved, etype="Normal", component="replicaset-controller", api="apps/v1"))
    objs.append(event(ns, "ReplicaSet", d.rs_name(h), uid("ReplicaSet", ns, d.rs_name(h)), "SuccessfulCreate",
                      f"Created pod: {pods[3]['metadata']['name']}", moved, moved, etype="Normal", component="replicaset-controller", api="apps/v1"))
    logs = {(ns, p["metadata"]["name"], "accounts-api", False): log_lines(now - timedelta(minutes=12), 30, [
        "@SP@ INFO  [eventLoopGroupProxy-4-1] Application - 200 OK: GET - /v1/accounts/me in 14ms",
        "@SP@ INFO  [eventLoopGroupProxy-4-2] Application - 200 OK: POST - /v1/sessions in 41ms"] * 10) for p in pods}
    m = Metrics(now - timedelta(minutes=40), now - timedelta(seconds=30))
    m.gauge("kube_deployment_status_replicas_available", {"namespace": ns, "deployment": "accounts-api", "job": "kube-state-metrics"},
            lambda t: 2 if moved - timedelta(minutes=1) <= t < moved + timedelta(minutes=1) else 4)
    m.gauge("kube_deployment_spec_replicas", {"namespace": ns, "deployment": "accounts-api", "job": "kube-state-metrics"}, lambda t: 4)
    m.counter("ktor_http_server_requests_seconds_count", {"namespace": ns, "service": "accounts-api", "status": "200", "job": "accounts-api"},
              lambda t: 140.0)
    m.counter("ktor_http_server_requests_seconds_count", {"namespace": ns, "service": "accounts-api", "status": "500", "job": "accounts-api"},
              lambda t: 0.02)
    return {
        "name": "h6-replicas-alert-during-consolidation-already-recovered",
        "description": """
KubeDeploymentReplicasMismatch fired for accounts-api while Karpenter replaced an underutilized node:
two replicas were drained 14 minutes ago (within the PodDisruptionBudget) and came back on a new node
within about a minute. Now all 4 replicas are Running and Ready with no restarts, error rate is flat at
~0.01%, logs are normal. Nothing is wrong now; a careful answer says the evidence shows a completed,
normal disruption and no fault.""",
        "sources": ["aws/karpenter-provider-aws issue 7146 'Karpenter Underutilised disruption causing excessive node churn' (pods restarted by consolidation while nothing else changed), https://github.com/aws/karpenter-provider-aws/issues/7146"],
        "now": now,
        "alert": alert("KubeDeploymentReplicasMismatch", {"namespace": ns, "deployment": "accounts-api", "severity": "warning", "job": "kube-state-metrics"},
                       f"Deployment {ns}/accounts-api has not matched the expected number of replicas.", now - timedelta(minutes=13),
                       'kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}', 2),
        "expect": {"category": "Unknown", "entity": {"namespace": ns, "kind": "Deployment", "name": "accounts-api"}},
        "objects": objs, "logs": logs, "metrics": m,
    }


def datasource_no_data_alert():
    now = parse("2026-12-06T17:45:00Z")
    ns = "ledger"
    n1, n2 = node_name(16, 88), node_name(33, 150)
    nodes_ = [node(n1, now, itype="m6i.xlarge"), node(n2, now, itype="m6i.xlarge", zone="us-west-2b")]
    c = container_spec("ledger-api", f"{ECR}ledger-api:4.0.7", cpu_req="500m", mem_req="1Gi", mem_lim="2Gi", ports=[("http", 8080)],
                       readiness=http_probe("/ready", 8080))
    d = Workload("Deployment", ns, "ledger-api", {"app.kubernetes.io/name": "ledger-api"}, [c], 3, now - timedelta(days=500), revision=33)
    h = d.add_rs(33, 3, 3, created=now - timedelta(days=11))
    pods = [d.pod(h, i, [running(now - timedelta(days=11))], (n1, n2)[i % 2], now - timedelta(days=11)) for i in range(3)]
    objs = nodes_ + d.objects() + pods
    return {
        "name": "h6-grafana-nodata-alert-ledger-latency",
        "description": """
A Grafana-managed rule for ledger-api (Scala/Akka) p99 latency fired as DatasourceNoData: its query
returned no series. The three pods are Running and Ready, never restarted, no warning events; no
metrics and no logs were available for the window (the metrics pipeline for this namespace was not
returning data). Nothing in the evidence shows a fault in the service; a careful answer says the cause
cannot be determined and what data is missing.""",
        "sources": ["grafana/grafana issue 88184 (no-data outcome creates alerts named DatasourceNoData), https://github.com/grafana/grafana/issues/88184",
                    "grafana/grafana issue 26117 'Alerting: Prometheus firing state is incorrect' (notification for No Data while the rule is not firing), https://github.com/grafana/grafana/issues/26117"],
        "now": now,
        "alert": alert("DatasourceNoData", {"namespace": ns, "service": "ledger-api", "rulename": "LedgerApiLatencyP99", "datasource_uid": "prom-shop-prod",
                                            "ref_id": "A", "grafana_folder": "ledger", "severity": "warning"},
                       "LedgerApiLatencyP99: no data", now - timedelta(minutes=22),
                       'histogram_quantile(0.99, sum by (le) (rate(akka_http_request_duration_seconds_bucket{namespace="ledger"}[5m]))) > 0.8', 0),
        "expect": {"category": "Unknown", "entity": {"namespace": ns, "kind": "Deployment", "name": "ledger-api"}},
        "objects": objs, "logs": {}, "metrics": None,
    }


CASES = [invoice_export_php_memory_limit, backup_cronjob_left_suspended, consolidation_blip_already_recovered, datasource_no_data_alert]
