package main

import "fmt"

// Healthy cases (nothing wrong: the honest category is Unknown, on the
// alerted workload) and jobs named by their CronJob.

func healthyRolloutReplicasMismatch() *incident {
	in := newIncident("heldout-healthy-slow-rollout-replicas-mismatch", "2026-06-21T15:20:00Z")
	in.summary = `KubeDeploymentReplicasMismatch fires for ingester (namespace cortex) during a
planned rolling update: each new replica replays its WAL for several minutes before it
is Ready. The rollout progresses (NewReplicaSetAvailable pending, Progressing=True),
no container restarted, no error is logged. Nothing is wrong; no cause should be
claimed.`
	in.source = "kubernetes-sigs/kubernetes-mixin PR #359 'Do not alert mismatch replicas during rolling updates', https://github.com/kubernetes-sigs/kubernetes-mixin/pull/359"
	node := "cortex-node-1"
	in.add(in.node(node, true))
	d := in.workload(wl{kind: "Deployment", ns: "cortex", name: "ingester", replicas: 3, ready: 2, updated: 2, revision: 9,
		labels: map[string]string{"name": "ingester"}, image: "cortexproject/cortex:v1.17.1", rsHash: "6c5b9d7f8", rsCreated: "-19m",
		oldRS: "59d8c7b6f", oldImage: "cortexproject/cortex:v1.17.0",
		conditions: []obj{{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "message": `ReplicaSet "ingester-6c5b9d7f8" is progressing.`},
			{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}}})
	_ = d
	newRS := owner{"ReplicaSet", "ingester-6c5b9d7f8", in.uid("rs", "cortex", "ingester-6c5b9d7f8")}
	oldRS := owner{"ReplicaSet", "ingester-59d8c7b6f", in.uid("rs", "cortex", "ingester-59d8c7b6f")}
	pods := []struct {
		name    string
		own     owner
		ready   bool
		created string
	}{
		{"ingester-6c5b9d7f8-7xkqp", newRS, true, "-19m"},
		{"ingester-6c5b9d7f8-c2wzn", newRS, false, "-6m"},
		{"ingester-59d8c7b6f-pr4mt", oldRS, true, "-300h"},
	}
	for i, p := range pods {
		hash := "6c5b9d7f8"
		img := "cortexproject/cortex:v1.17.1"
		if p.own == oldRS {
			hash, img = "59d8c7b6f", "cortexproject/cortex:v1.17.0"
		}
		in.add(in.pod(podSpec{ns: "cortex", name: p.name, node: node, ip: fmt.Sprintf("10.3.0.%d", 30+i), owner: p.own, created: p.created,
			labels:     map[string]string{"name": "ingester", "pod-template-hash": hash},
			containers: []ctr{{name: "ingester", image: img, ready: p.ready, running: p.created, memLimit: "8Gi", readiness: httpProbe("/ready", 80, 15, 1, 3)}}}))
		path := "cortex/" + p.name + "/ingester"
		in.log(path, p.created+` level=info ts=2026-06-21T15:01:00Z caller=ingester.go:412 msg="replaying WAL, this may take a while"`)
		if p.ready {
			in.logEvery(path, "-5m", "-1m", "1m", `level=info ts=2026-06-21T15:15:00Z caller=ingester.go:1310 msg="flushing series" count=%d`)
		} else {
			in.logEvery(path, "-5m", "-30s", "1m", `level=info ts=2026-06-21T15:15:00Z caller=wal.go:208 msg="WAL segment loaded" segment=%d`)
		}
	}
	in.events(ev{kind: "Deployment", ns: "cortex", name: "ingester", reason: "ScalingReplicaSet", typ: "Normal",
		msg: "Scaled down replica set ingester-59d8c7b6f to 1 from 2", first: "-6m", component: "deployment-controller"},
		ev{kind: "Pod", ns: "cortex", name: "ingester-6c5b9d7f8-c2wzn", reason: "Unhealthy", typ: "Warning",
			msg: "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 20, first: "-5m", last: "-15s"})
	ksm := lbl("namespace", "cortex", "deployment", "ingester", "job", "kube-state-metrics")
	in.series("kube_deployment_spec_replicas", "gauge", ksm, "-60m", flat(3))
	in.series("kube_deployment_status_replicas_available", "gauge", ksm, "-60m", step(3, 2, -19))
	in.fire(map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "cortex", "deployment": "ingester", "severity": "warning"},
		"Deployment has not matched the expected number of replicas.",
		`kube_deployment_spec_replicas{job="kube-state-metrics"} != kube_deployment_status_replicas_available{job="kube-state-metrics"}`, "4m", 1)
	in.want("Unknown", "cortex", "Deployment", "ingester", "ingester")
	return in
}

func healthyJVMMemoryNearLimit() *incident {
	in := newIncident("heldout-healthy-jvm-heap-near-limit-no-kill", "2026-04-09T10:00:00Z")
	in.summary = `ContainerMemoryNearLimit fires for search-indexer (Elasticsearch-style JVM with a
fixed heap) at 88% of its 4Gi limit. The JVM reserves its whole heap at start, so the
working set is flat at that level for days: no OOM kill, no restart, no error. The
alert threshold does not suit a fixed-heap JVM; no cause should be claimed.`
	in.source = "prometheus-operator/prometheus-operator issue #2963 (alerts firing for healthy workloads), https://github.com/prometheus-operator/prometheus-operator/issues/2963"
	node := "es-data-node-2"
	in.add(in.node(node, true))
	s := in.workload(wl{kind: "StatefulSet", ns: "search", name: "search-indexer", replicas: 1, ready: 1, updated: 1,
		labels: map[string]string{"app": "search-indexer"}, image: "docker.elastic.co/elasticsearch/elasticsearch:8.13.4"})
	p := "search-indexer-0"
	in.add(in.pod(podSpec{ns: "search", name: p, node: node, ip: "10.5.2.9", owner: s, labels: map[string]string{"app": "search-indexer"},
		containers: []ctr{{name: "elasticsearch", image: "docker.elastic.co/elasticsearch/elasticsearch:8.13.4", ready: true, running: "-190h",
			memLimit: "4Gi", memReq: "4Gi", env: []obj{{"name": "ES_JAVA_OPTS", "value": "-Xms3g -Xmx3g"}}}}}))
	in.logEvery("search/"+p+"/elasticsearch", "-50m", "-1m", "4m",
		`{"@timestamp":"2026-04-09T09:10:00.000Z","log.level":"INFO","message":"[gc][young][88%d] duration [41ms], collections [1]/[1s]","ecs.version":"1.2.0","service.name":"ES_ECS"}`)
	in.podSeries("search", p, "elasticsearch", flat(3605), 4096, flat(0.8), 0, nil)
	in.fire(map[string]string{"alertname": "ContainerMemoryNearLimit", "namespace": "search", "pod": p, "container": "elasticsearch", "severity": "warning"},
		"Container memory above 85% of its limit",
		`max by (namespace, pod, container) (container_memory_working_set_bytes{container!=""}) / max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"}) > 0.85`, "30m", 0.88)
	in.want("Unknown", "search", "StatefulSet", "search-indexer", "search-indexer")
	return in
}

func healthyRecoveredWaiting() *incident {
	in := newIncident("heldout-healthy-transient-container-waiting", "2026-02-05T21:40:00Z")
	in.summary = `KubeContainerWaiting fired for upgrade-controller (namespace system-upgrade) while
a node drain rescheduled it and the image was pulled on the new node. The pod has been
Running and Ready for minutes; the pull took 40s and succeeded, no restarts. The alert
is stale; there is nothing to explain.`
	in.source = "AndreiGavriliu/homelab issue #5477 (KubeDeploymentReplicasMismatch for system-upgrade-controller during node maintenance), https://github.com/AndreiGavriliu/homelab/issues/5477"
	node := "talos-w-03"
	in.add(in.node(node, true))
	d := in.workload(wl{kind: "Deployment", ns: "system-upgrade", name: "upgrade-controller", replicas: 1, ready: 1, updated: 1,
		labels: map[string]string{"app": "upgrade-controller"}, image: "rancher/system-upgrade-controller:v0.13.4", rsHash: "6f7d5c8b9"})
	p := "upgrade-controller-6f7d5c8b9-t2jkw"
	in.add(in.pod(podSpec{ns: "system-upgrade", name: p, node: node, ip: "10.244.3.8", owner: d, created: "-9m",
		labels:     map[string]string{"app": "upgrade-controller", "pod-template-hash": "6f7d5c8b9"},
		containers: []ctr{{name: "controller", image: "rancher/system-upgrade-controller:v0.13.4", ready: true, running: "-8m"}}}))
	in.events(
		ev{kind: "Pod", ns: "system-upgrade", name: p, reason: "Pulling", typ: "Normal", msg: `Pulling image "rancher/system-upgrade-controller:v0.13.4"`, first: "-9m"},
		ev{kind: "Pod", ns: "system-upgrade", name: p, reason: "Pulled", typ: "Normal", msg: `Successfully pulled image "rancher/system-upgrade-controller:v0.13.4" in 40.2s (40.2s including waiting)`, first: "-8m"},
		ev{kind: "Pod", ns: "system-upgrade", name: p, reason: "Started", typ: "Normal", msg: "Started container controller", first: "-8m"},
	)
	in.logEvery("system-upgrade/"+p+"/controller", "-8m", "-30s", "1m", `time="2026-02-05T21:32:00Z" level=info msg="plan reconciled" plan=k3s-server generation=%d`)
	in.series("kube_pod_container_status_waiting_reason", "gauge", lbl("namespace", "system-upgrade", "pod", p, "container", "controller", "reason", "ContainerCreating", "job", "kube-state-metrics"), "-9m", step(1, 0, -8))
	in.podSeries("system-upgrade", p, "controller", flat(38), 0, flat(0.01), 0, nil)
	in.fire(map[string]string{"alertname": "KubeContainerWaiting", "namespace": "system-upgrade", "pod": p, "container": "controller", "severity": "warning"},
		"Pod container waiting",
		`sum by (namespace, pod, container) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`, "9m", 1)
	in.want("Unknown", "system-upgrade", "Deployment", "upgrade-controller", "upgrade-controller")
	return in
}

// cronJobRun writes a CronJob, its failed Job and the Job's failed pods.
func cronJobRun(in *incident, ns, cron, job, image, container, node string, pods []string, logs func(pod, at string)) {
	cj := in.uid("CronJob", ns, cron)
	in.add(obj{"apiVersion": "batch/v1", "kind": "CronJob",
		"metadata": obj{"name": cron, "namespace": ns, "uid": cj, "creationTimestamp": ts(in.at("-2000h"))},
		"spec": obj{"schedule": "0 */6 * * *", "concurrencyPolicy": "Forbid", "failedJobsHistoryLimit": 1,
			"jobTemplate": obj{"spec": obj{"backoffLimit": len(pods) - 1, "template": obj{"spec": obj{"restartPolicy": "Never",
				"containers": []any{obj{"name": container, "image": image}}}}}}},
		"status": obj{"lastScheduleTime": ts(in.at("-40m")), "lastSuccessfulTime": ts(in.at("-6h40m"))}})
	jobUID := in.uid("Job", ns, job)
	in.add(obj{"apiVersion": "batch/v1", "kind": "Job",
		"metadata": obj{"name": job, "namespace": ns, "uid": jobUID, "creationTimestamp": ts(in.at("-40m")),
			"labels": obj{"job-name": job}, "ownerReferences": owner{"CronJob", cron, cj}.ref()},
		"spec": obj{"backoffLimit": len(pods) - 1, "completions": 1, "parallelism": 1,
			"template": obj{"spec": obj{"restartPolicy": "Never", "containers": []any{obj{"name": container, "image": image}}}}},
		"status": obj{"failed": len(pods), "startTime": ts(in.at("-40m")),
			"conditions": []any{obj{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
				"message": "Job has reached the specified backoff limit", "lastTransitionTime": ts(in.at("-12m"))}}}})
	for i, p := range pods {
		start := fmt.Sprintf("-%dm", 40-i*9)
		end := fmt.Sprintf("-%dm", 39-i*9)
		in.add(in.pod(podSpec{ns: ns, name: p, node: node, ip: fmt.Sprintf("10.9.7.%d", 100+i), phase: "Failed", restartPolicy: "Never", created: start,
			owner: owner{"Job", job, jobUID}, labels: map[string]string{"job-name": job},
			containers: []ctr{{name: container, image: image, terminated: &term{reason: "Error", exit: 1, started: start, ended: end}}}}))
		logs(p, fmt.Sprintf("-%dm30s", 39-i*9))
	}
	in.events(ev{kind: "Job", ns: ns, name: job, reason: "BackoffLimitExceeded", msg: "Job has reached the specified backoff limit",
		first: "-12m", component: "job-controller"},
		ev{kind: "CronJob", ns: ns, name: cron, reason: "SuccessfulCreate", typ: "Normal", msg: "Created job " + job, first: "-40m", component: "cronjob-controller"})
	in.series("kube_job_failed", "gauge", lbl("namespace", ns, "job_name", job, "condition", "true", "job", "kube-state-metrics"), "-40m", step(0, 1, -12))
}

func etcdBackupCronJobNoSuchBucket() *incident {
	in := newIncident("heldout-cronjob-backup-bucket-missing", "2026-10-26T06:52:00Z")
	in.summary = `The etcd snapshot CronJob in namespace platform-backup fails: its last Job
etcd-snapshot-29361240 reached the backoff limit because the target S3 bucket does not
exist (NoSuchBucket). The CronJob's schedule and template are fine; the failed Job is
the responsible object.`
	in.source = "kubermatic/dashboard issue #6336 (backups fail with 'Job has reached the specified backoff limit'; the target S3 bucket does not exist), https://github.com/kubermatic/dashboard/issues/6336"
	node := "mgmt-worker-1"
	in.add(in.node(node, true))
	job := "etcd-snapshot-29361240"
	pods := []string{job + "-5lq8d", job + "-9wztx", job + "-k2mnc"}
	cronJobRun(in, "platform-backup", "etcd-snapshot", job, "ghcr.io/acme/etcd-backup:1.4.0", "backup", node, pods, func(p, at string) {
		in.log("platform-backup/"+p+"/backup",
			at+" "+`{"time":"2026-10-26T06:14:00Z","level":"INFO","msg":"snapshot saved","path":"/tmp/snapshot.db","bytes":183500800}`,
			at+" "+`{"time":"2026-10-26T06:14:02Z","level":"ERROR","msg":"upload failed","error":"operation error S3: PutObject, https response error StatusCode: 404, RequestID: 7Q2X, api error NoSuchBucket: The specified bucket does not exist","bucket":"acme-etcd-snapshots-prod"}`)
	})
	in.fire(map[string]string{"alertname": "KubeJobFailed", "namespace": "platform-backup", "job_name": job, "severity": "warning"},
		"Job failed to complete.", `kube_job_failed{job="kube-state-metrics"} > 0`, "10m", 1)
	in.want("JobFailure", "platform-backup", "Job", job, "NoSuchBucket", "BackoffLimitExceeded")
	return in
}

func basebackupCronJobPgHba() *incident {
	in := newIncident("heldout-cronjob-alert-names-cronjob-job-failed", "2026-12-11T09:40:00Z")
	in.summary = `CronJobLastRunFailed fires with label cronjob=pg-basebackup (namespace dbs). The last
Job, pg-basebackup-29424480, failed both attempts: pg_basebackup is refused by the
server ("no pg_hba.conf entry for replication connection"). The alert names the
CronJob, but the failed Job is the responsible object.`
	in.source = "apecloud/kubeblocks issue #6047 (pg-basebackup failed with BackoffLimitExceeded), https://github.com/apecloud/kubeblocks/issues/6047; CrunchyData/postgres-operator issue #3444, https://github.com/CrunchyData/postgres-operator/issues/3444"
	node := "db-pool-7"
	in.add(in.node(node, true))
	job := "pg-basebackup-29424480"
	pods := []string{job + "-fp2x4", job + "-qh7vb"}
	cronJobRun(in, "dbs", "pg-basebackup", job, "postgres:16.3", "basebackup", node, pods, func(p, at string) {
		in.log("dbs/"+p+"/basebackup",
			at+" "+`pg_basebackup: error: connection to server at "pg-primary.dbs.svc" (10.100.4.12), port 5432 failed: FATAL:  no pg_hba.conf entry for replication connection from host "10.9.7.100", user "replicator", no encryption`)
	})
	in.series("kube_cronjob_status_last_failed", "gauge", lbl("namespace", "dbs", "cronjob", "pg-basebackup", "job", "kube-state-metrics"), "-40m", step(0, 1, -12))
	in.fire(map[string]string{"alertname": "CronJobLastRunFailed", "namespace": "dbs", "cronjob": "pg-basebackup", "severity": "warning"},
		"The last run of CronJob dbs/pg-basebackup failed", `kube_cronjob_status_last_failed > 0`, "10m", 1)
	in.want("JobFailure", "dbs", "Job", job, "pg_hba.conf", "pg-basebackup")
	return in
}
