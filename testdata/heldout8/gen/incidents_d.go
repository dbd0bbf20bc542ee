package main

import (
	"fmt"
	"time"
)

type jobSpec struct {
	ns, name, cronJob string
	image             string
	backoffLimit      int
	deadline          int // activeDeadlineSeconds, 0 for none
	started           time.Duration
	failedAt          time.Duration
	reason, message   string
	pods              []cs // one per attempt, already terminated
	podAges           []time.Duration
}

// job writes a failed Job (owned by its CronJob when cronJob is set) and its attempt pods.
func (w *world) job(j jobSpec) []string {
	labels := map[string]string{"batch.kubernetes.io/job-name": j.name, "job-name": j.name, "batch.kubernetes.io/controller-uid": uid(j.ns, j.name), "controller-uid": uid(j.ns, j.name)}
	m := meta(j.ns, j.name, w.at(j.started), map[string]string{"app.kubernetes.io/name": j.cronJob})
	if j.cronJob != "" {
		m["ownerReferences"] = owner("CronJob", j.ns, j.cronJob)
		m["annotations"] = map[string]string{"batch.kubernetes.io/cronjob-scheduled-timestamp": w.at(j.started)}
	}
	spec := obj{"backoffLimit": j.backoffLimit, "completions": 1, "parallelism": 1, "completionMode": "NonIndexed", "suspend": false,
		"selector": obj{"matchLabels": map[string]string{"batch.kubernetes.io/controller-uid": uid(j.ns, j.name)}},
		"template": obj{"metadata": obj{"labels": labels}, "spec": obj{"restartPolicy": "Never", "containers": []obj{j.pods[0].spec()}}}}
	if j.deadline > 0 {
		spec["activeDeadlineSeconds"] = j.deadline
	}
	w.add("batch", obj{"apiVersion": "batch/v1", "kind": "Job", "metadata": m, "spec": spec,
		"status": obj{"startTime": w.at(j.started), "failed": len(j.pods), "active": 0, "ready": 0, "terminating": 0, "uncountedTerminatedPods": obj{},
			"conditions": []obj{
				{"type": "FailureTarget", "status": "True", "reason": j.reason, "message": j.message, "lastProbeTime": w.at(j.failedAt), "lastTransitionTime": w.at(j.failedAt)},
				{"type": "Failed", "status": "True", "reason": j.reason, "message": j.message, "lastProbeTime": w.at(j.failedAt), "lastTransitionTime": w.at(j.failedAt)}}}})
	var names []string
	for i, c := range j.pods {
		pn := j.name + "-" + hashOf(j.name, fmt.Sprint(i))[:5]
		names = append(names, pn)
		w.pod(podSpec{ns: j.ns, name: pn, labels: merge(labels, map[string]string{"batch.kubernetes.io/job-completion-index": ""}), ownerKind: "Job", ownerName: j.name,
			node: generalNodes[i%len(generalNodes)], created: w.at(j.podAges[i]), phase: "Failed", containers: []cs{c}})
	}
	return names
}

func (w *world) cronJob(ns, name, schedule, image string, lastSchedule, lastSuccess time.Duration, deadline int) {
	jt := obj{"spec": obj{"backoffLimit": 2, "template": obj{"spec": obj{"restartPolicy": "Never", "containers": []obj{cs{name: name, image: image}.spec()}}}}}
	if deadline > 0 {
		jt["spec"].(obj)["activeDeadlineSeconds"] = deadline
	}
	w.add("batch", obj{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta(ns, name, w.at(400*24*time.Hour), map[string]string{"app.kubernetes.io/name": name}),
		"spec":   obj{"schedule": schedule, "timeZone": "Etc/UTC", "concurrencyPolicy": "Forbid", "suspend": false, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1, "jobTemplate": jt},
		"status": obj{"lastScheduleTime": w.at(lastSchedule), "lastSuccessfulTime": w.at(lastSuccess)}})
}

func sqsBacklogHPAMax() *world {
	w := newWorld("h8-campaign-sqs-backlog-hpa-at-max", "2026-12-04T08:12:00Z")
	w.description = `A marketing campaign queued 1.9 million e-mails in the SQS queue email-render. email-renderer
(FastAPI workers) autoscales on CPU and has been at its HPA maxReplicas of 12 for 25 minutes; all replicas are at
their CPU target, the queue depth keeps climbing and the oldest message is 40 minutes old. Nothing is broken, the
workload is simply beyond the capacity the HPA is allowed to reach. One replica restarted once yesterday (noise).`
	w.source = "https://k8s-issues.purutuladhar.com/scenario/462"
	w.stdNodes()
	var states []podState
	for i := 0; i < 12; i++ {
		st := podState{ready: true, state: running(w.at(time.Duration(30+i)*time.Minute + 10*time.Hour)), age: time.Duration(30+i)*time.Minute + 10*time.Hour, node: i}
		if i == 4 {
			st.restarts = 1
			st.last = terminated("Error", 137, w.at(30*time.Hour), w.at(20*time.Hour))
		}
		states = append(states, st)
	}
	pods := w.app(appSpec{ns: "notifications", name: "email-renderer", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/notifications/email-renderer:6.3.0", port: 8000,
		res: res("500m", "512Mi", "1", "1Gi"), revision: 12, age: 300 * 24 * time.Hour, rsAge: 3 * 24 * time.Hour, pods: states})
	w.hpa("notifications", "email-renderer", 3, 12, 12, 12, 70, 96, []obj{
		{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "message": "recommended size matches current size", "lastTransitionTime": w.at(25 * time.Minute)},
		{"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound", "message": "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)", "lastTransitionTime": w.at(60 * 24 * time.Hour)},
		{"type": "ScalingLimited", "status": "True", "reason": "TooManyReplicas", "message": "the desired replica count is more than the maximum replica count", "lastTransitionTime": w.at(25 * time.Minute)}})
	w.event("notifications", "HorizontalPodAutoscaler", "email-renderer", "Normal", "SuccessfulRescale", "New size: 12; reason: cpu resource utilization (percentage of request) above target", 1, w.at(25*time.Minute), w.at(25*time.Minute), "horizontal-pod-autoscaler", "")
	w.metric("kube_horizontalpodautoscaler_status_current_replicas", "gauge", "Current number of replicas of pods managed by this autoscaler.", ksm(map[string]string{"namespace": "notifications", "horizontalpodautoscaler": "email-renderer"}), constant(12))
	w.metric("kube_horizontalpodautoscaler_spec_max_replicas", "gauge", "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.", ksm(map[string]string{"namespace": "notifications", "horizontalpodautoscaler": "email-renderer"}), constant(12))
	w.metric("aws_sqs_approximate_number_of_messages_visible_average", "gauge", "CloudWatch metric AWS/SQS ApproximateNumberOfMessagesVisible Dimensions: [QueueName] Statistic: Average Unit: Count", map[string]string{"job": "cloudwatch-exporter", "queue_name": "email-render"}, ramp(1.41e6, 1.62e6))
	w.metric("aws_sqs_approximate_age_of_oldest_message_maximum", "gauge", "CloudWatch metric AWS/SQS ApproximateAgeOfOldestMessage Dimensions: [QueueName] Statistic: Maximum Unit: Seconds", map[string]string{"job": "cloudwatch-exporter", "queue_name": "email-render"}, ramp(2100, 2400))
	for i, p := range pods {
		w.metric("container_cpu_usage_seconds", "counter", "Cumulative cpu time consumed in seconds.", cadvisor("notifications", p, "email-renderer", generalNodes[i%3]), func(s int) float64 { return 20000 + float64(i)*100 + float64(s)*7.2 })
	}
	w.logLines("notifications", pods[0], "email-renderer", false, 3*time.Second, 2*time.Second, repeat(40, func(j int) string {
		return fmt.Sprintf(`{"level":"info","logger":"email_renderer.worker","msg":"rendered","template":"black-week-2026","message_id":"%s","render_ms":%d,"queue":"email-render"}`, uid("m", fmt.Sprint(j)), 180+j*7%90)
	})...)
	w.setAlert("KubeHpaMaxedOut", "warning", map[string]string{"namespace": "notifications", "horizontalpodautoscaler": "email-renderer", "job": "kube-state-metrics"},
		"HPA is running at max replicas", "HPA notifications/email-renderer has been running at max replicas for longer than 15 minutes.", 10*time.Minute,
		`kube_horizontalpodautoscaler_status_current_replicas{job="kube-state-metrics"} == kube_horizontalpodautoscaler_spec_max_replicas{job="kube-state-metrics"}`, 12)
	w.want("TrafficSpike", "notifications", "Deployment", "email-renderer", "maxReplicas", "queue")
	return w
}

func pgDumpJobTimeout() *world {
	w := newWorld("h8-nightly-aurora-dump-job-connection-timeout", "2026-12-06T03:41:00Z")
	w.description = `The nightly CronJob aurora-nightly-dump runs pg_dump against the reader endpoint of payments-core. A
security-group clean-up removed the rule that allowed the data-jobs node group's security group to reach port 5432,
so every attempt of Job aurora-nightly-dump-29416800 times out connecting and the Job fails with
BackoffLimitExceeded. The CronJob spec itself is fine; the services using the writer through another security group
are unaffected.`
	w.source = "https://github.com/reactive-tech/kubegres/issues/143"
	w.stdNodes()
	host := "payments-core.cluster-ro-c9x2k1m0q7zd.eu-central-1.rds.amazonaws.com"
	img := "491783263510.dkr.ecr.eu-central-1.amazonaws.com/data/pg-tools:16.4-2"
	w.cronJob("data-jobs", "aurora-nightly-dump", "0 3 * * *", img, 41*time.Minute, 24*time.Hour+35*time.Minute, 0)
	var attempts []cs
	var ages []time.Duration
	for i := 0; i < 3; i++ {
		start := 41*time.Minute - time.Duration(i)*9*time.Minute
		attempts = append(attempts, cs{name: "pg-dump", image: img, resources: res("500m", "512Mi", "1", "1Gi"), state: terminated("Error", 1, w.at(start), w.at(start-2*time.Minute-10*time.Second))})
		ages = append(ages, start)
	}
	pods := w.job(jobSpec{ns: "data-jobs", name: "aurora-nightly-dump-29416800", cronJob: "aurora-nightly-dump", image: img, backoffLimit: 2, started: 41 * time.Minute, failedAt: 20 * time.Minute,
		reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", pods: attempts, podAges: ages})
	for i, p := range pods {
		w.logLines("data-jobs", p, "pg-dump", false, ages[i]-2*time.Minute-11*time.Second, 65*time.Second,
			"2026-12-06T03:"+fmt.Sprintf("%02d", i*9)+":02Z starting dump of ledger,payouts,merchants to s3://paynova-eu-backups/aurora/payments-core/2026-12-06/",
			"pg_dump: error: connection to server at \""+host+"\" (10.20.3.14), port 5432 failed: Connection timed out",
			"\tIs the server running on that host and accepting TCP/IP connections?",
			"2026-12-06T03:"+fmt.Sprintf("%02d", i*9+2)+":11Z dump failed with exit code 1")
	}
	w.event("data-jobs", "Job", "aurora-nightly-dump-29416800", "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", 1, w.at(20*time.Minute), w.at(20*time.Minute), "job-controller", "")
	w.event("data-jobs", "CronJob", "aurora-nightly-dump", "Normal", "SuccessfulCreate", "Created job aurora-nightly-dump-29416800", 1, w.at(41*time.Minute), w.at(41*time.Minute), "cronjob-controller", "")
	w.event("data-jobs", "CronJob", "aurora-nightly-dump", "Warning", "UnexpectedJob", "Saw a job that the controller did not create or forgot: aurora-nightly-dump-manual-8kq", 1, w.at(26*time.Hour), w.at(26*time.Hour), "cronjob-controller", "")
	w.metric("kube_job_status_failed", "gauge", "The number of pods which reached Phase Failed and the reason for failure.", ksm(map[string]string{"namespace": "data-jobs", "job_name": "aurora-nightly-dump-29416800", "reason": "BackoffLimitExceeded"}), constant(1))
	w.metric("kube_cronjob_status_last_successful_time", "gauge", "LastSuccessfulTime keeps information of when was the last time the job was completed successfully.", ksm(map[string]string{"namespace": "data-jobs", "cronjob": "aurora-nightly-dump"}), constant(float64(w.now.Add(-24*time.Hour-35*time.Minute).Unix())))
	w.setAlert("KubeJobFailed", "warning", map[string]string{"namespace": "data-jobs", "job_name": "aurora-nightly-dump-29416800", "job": "kube-state-metrics"},
		"Job failed to complete.", "Job data-jobs/aurora-nightly-dump-29416800 failed to complete. Removing failed job after investigation should clear this alert.", 15*time.Minute,
		`kube_job_failed{job="kube-state-metrics"} > 0`, 1)
	w.want("JobFailure", "data-jobs", "Job", "aurora-nightly-dump-29416800", "pg_dump", "Connection timed out")
	return w
}

func reindexDeadline() *world {
	w := newWorld("h8-search-reindex-job-deadline-exceeded", "2026-12-05T05:20:00Z")
	w.description = `search-reindex rebuilds the merchant search index every night with activeDeadlineSeconds: 3600. The
index grew past 2.3 million documents and the OpenSearch bulk endpoint now rate-limits the job, so last night's Job
search-reindex-29415360 was still at 41% when the deadline hit: the controller killed it with DeadlineExceeded. The
alert is raised on the CronJob's last successful run; the failed Job is the object to look at. No retries happen
because the deadline is for the whole Job.`
	w.source = "https://github.com/kubernetes/website/pull/7843"
	w.stdNodes()
	img := "491783263510.dkr.ecr.eu-central-1.amazonaws.com/data/search-reindex:2.0.4"
	w.cronJob("data-jobs", "search-reindex", "0 4 * * *", img, 80*time.Minute, 49*time.Hour, 3600)
	started := 80 * time.Minute
	att := cs{name: "search-reindex", image: img, resources: res("1", "1Gi", "2", "2Gi"), state: terminated("Error", 143, w.at(started), w.at(started-time.Hour))}
	pods := w.job(jobSpec{ns: "data-jobs", name: "search-reindex-29415360", cronJob: "search-reindex", image: img, backoffLimit: 2, deadline: 3600, started: started, failedAt: started - time.Hour,
		reason: "DeadlineExceeded", message: "Job was active longer than specified deadline", pods: []cs{att}, podAges: []time.Duration{started}})
	w.logLines("data-jobs", pods[0], "search-reindex", false, started-time.Hour, 3*time.Minute, repeat(20, func(j int) string {
		if j%5 == 4 {
			return fmt.Sprintf(`{"level":"WARNING","logger":"reindex.bulk","msg":"bulk rejected, backing off","status":429,"error":"es_rejected_execution_exception","backoff_s":%d}`, 8+j)
		}
		return fmt.Sprintf(`{"level":"INFO","logger":"reindex","msg":"progress","indexed":%d,"total":2304118,"index":"merchants-v58","docs_per_s":%d}`, 47000*(j+1), 260-j*3)
	})...)
	w.event("data-jobs", "Job", "search-reindex-29415360", "Warning", "DeadlineExceeded", "Job was active longer than specified deadline", 1, w.at(started-time.Hour), w.at(started-time.Hour), "job-controller", "")
	w.event("data-jobs", "Pod", pods[0], "Normal", "Killing", "Stopping container search-reindex", 1, w.at(started-time.Hour), w.at(started-time.Hour), "kubelet", generalNodes[0])
	w.metric("kube_cronjob_status_last_successful_time", "gauge", "LastSuccessfulTime keeps information of when was the last time the job was completed successfully.", ksm(map[string]string{"namespace": "data-jobs", "cronjob": "search-reindex"}), constant(float64(w.now.Add(-49*time.Hour).Unix())))
	w.metric("kube_job_status_failed", "gauge", "The number of pods which reached Phase Failed and the reason for failure.", ksm(map[string]string{"namespace": "data-jobs", "job_name": "search-reindex-29415360", "reason": "DeadlineExceeded"}), constant(1))
	w.setAlert("CronJobLastSuccessTooOld", "warning", map[string]string{"namespace": "data-jobs", "cronjob": "search-reindex", "job": "kube-state-metrics"},
		"CronJob has not succeeded in over 26 hours", "CronJob data-jobs/search-reindex last succeeded 49 hours ago.", 20*time.Minute,
		`time() - kube_cronjob_status_last_successful_time{job="kube-state-metrics"} > 93600`, 176400)
	w.want("JobFailure", "data-jobs", "Job", "search-reindex-29415360", "DeadlineExceeded", "activeDeadlineSeconds")
	return w
}

func minReplicasCost() *world {
	w := newWorld("h8-catalog-hpa-min-replicas-raised-cost", "2026-12-07T11:00:00Z")
	w.description = `A values change meant for the load-test environment raised the HPA minReplicas of catalog-api in
production from 3 to 24. The 24 replicas use about 4% of their CPU requests, the cluster autoscaler added five
m6i.2xlarge nodes to the general node group, and the checkout namespace's daily spend is 3.4 times its 30-day
baseline. Nothing is failing: this is pure cost.`
	w.source = "https://blog.mathod.fr/bookmarks/2026/01/19/that-time-our-kubernetes-auto-scaling-cost-us-15000-in-one-weekend"
	w.stdNodes()
	var extra []string
	for i := 0; i < 5; i++ {
		n := fmt.Sprintf("ip-10-42-%d-%d.eu-central-1.compute.internal", 14+i, 100+i*7)
		extra = append(extra, n)
		w.node(nodeSpec{name: n, instance: "m6i.2xlarge", zone: "eu-central-1" + string(rune('a'+i%3)), group: "general-2025-11", created: w.at(time.Duration(20+i) * time.Hour)})
	}
	w.podNodes = append(append([]string{}, generalNodes...), extra...)
	var states []podState
	for i := 0; i < 24; i++ {
		age := 21 * time.Hour
		if i < 3 {
			age = 12 * 24 * time.Hour
		}
		states = append(states, podState{ready: true, state: running(w.at(age)), age: age, node: i})
	}
	pods := w.app(appSpec{ns: "checkout", name: "catalog-api", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/checkout/catalog-api:11.2.0", port: 8080,
		res: res("1", "2Gi", "2", "2Gi"), revision: 70, age: 900 * 24 * time.Hour, rsAge: 12 * 24 * time.Hour, pods: states})
	w.hpa("checkout", "catalog-api", 24, 40, 24, 24, 65, 4, []obj{
		{"type": "ScalingLimited", "status": "True", "reason": "TooFewReplicas", "message": "the desired replica count is less than the minimum replica count", "lastTransitionTime": w.at(21 * time.Hour)}})
	w.event("checkout", "HorizontalPodAutoscaler", "catalog-api", "Normal", "SuccessfulRescale", "New size: 24; reason: Current number of replicas below Spec.MinReplicas", 1, w.at(21*time.Hour), w.at(21*time.Hour), "horizontal-pod-autoscaler", "")
	for i, n := range extra {
		w.event("", "Node", n, "Normal", "RegisteredNode", "Node "+n+" event: Registered Node "+n+" in Controller", 1, w.at(time.Duration(20+i)*time.Hour), w.at(time.Duration(20+i)*time.Hour), "node-controller", "")
	}
	w.metric("kube_horizontalpodautoscaler_spec_min_replicas", "gauge", "Lower limit for the number of pods that can be set by the autoscaler, default 1.", ksm(map[string]string{"namespace": "checkout", "horizontalpodautoscaler": "catalog-api"}), constant(24))
	w.metric("kube_deployment_status_replicas", "gauge", "The number of replicas per deployment.", ksm(map[string]string{"namespace": "checkout", "deployment": "catalog-api"}), constant(24))
	for i, p := range pods[:6] {
		w.metric("container_cpu_usage_seconds", "counter", "Cumulative cpu time consumed in seconds.", cadvisor("checkout", p, "catalog-api", w.podNodes[i]), func(s int) float64 { return 3000 + float64(s)*0.6 })
	}
	w.metric("opencost_namespace_daily_cost", "gauge", "Estimated daily cost of a namespace in USD (OpenCost allocation).", map[string]string{"job": "opencost", "namespace": "checkout"}, ramp(611, 618))
	w.metric("opencost_namespace_daily_cost_baseline", "gauge", "30-day median daily cost of a namespace in USD.", map[string]string{"job": "opencost", "namespace": "checkout"}, constant(181))
	for _, n := range w.podNodes {
		price := 0.23
		if n != generalNodes[0] && n != generalNodes[1] && n != generalNodes[2] {
			price = 0.46
		}
		w.metric("node_total_hourly_cost", "gauge", "Total node cost per hour", map[string]string{"job": "opencost", "node": n, "instance_type": map[bool]string{true: "m6i.xlarge", false: "m6i.2xlarge"}[price == 0.23], "region": "eu-central-1"}, constant(price))
	}
	w.setAlert("NamespaceCostAboveBaseline", "warning", map[string]string{"namespace": "checkout", "job": "opencost"},
		"checkout spend is 3.4x its 30-day baseline", "Estimated daily cost of namespace checkout is $618 against a baseline of $181.", 3*time.Hour,
		`opencost_namespace_daily_cost{namespace="checkout"} / opencost_namespace_daily_cost_baseline{namespace="checkout"} > 1.5`, 3.4)
	w.want("CostAnomaly", "checkout", "Deployment", "catalog-api", "minReplicas", "24")
	return w
}

func notReadyRecovered() *world {
	w := newWorld("h8-fx-rates-not-ready-alert-after-warmup", "2026-12-06T12:31:00Z")
	w.description = `KubePodNotReady fired for an fx-rates pod in payments. By the time anyone looks, the pod is Ready, has
never restarted, its logs show a normal start and normal requests, and the only events are the readiness probe
failures of a JVM warming up after a node-group rotation 20 minutes ago. The Deployment has all replicas available.
Nothing is wrong now and the evidence does not show a cause beyond a slow start; the honest answer is Unknown.`
	w.source = "https://github.com/AndreiGavriliu/homelab/issues/6499"
	w.stdNodes()
	pods := w.app(appSpec{ns: "payments", name: "fx-rates", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/fx-rates:3.1.2", port: 8080,
		res: res("250m", "512Mi", "1", "768Mi"), probes: httpProbe("readinessProbe", "/actuator/health/readiness", 8080, 10, 3), revision: 12, age: 500 * 24 * time.Hour, rsAge: 30 * 24 * time.Hour,
		pods: []podState{{ready: true, state: running(w.at(19 * time.Minute)), age: 20 * time.Minute, node: 1}, {ready: true, state: running(w.at(2 * time.Hour)), age: 2 * time.Hour, node: 0}}})
	ip := ipOf("payments" + pods[0])
	w.event("payments", "Pod", pods[0], "Normal", "Pulled", "Successfully pulled image \"491783263510.dkr.ecr.eu-central-1.amazonaws.com/payments/fx-rates:3.1.2\" in 41.2s (41.2s including waiting). Image size: 212406117 bytes.", 1, w.at(19*time.Minute+30*time.Second), w.at(19*time.Minute+30*time.Second), "kubelet", generalNodes[1])
	w.event("payments", "Pod", pods[0], "Normal", "Started", "Started container fx-rates", 1, w.at(19*time.Minute), w.at(19*time.Minute), "kubelet", generalNodes[1])
	w.event("payments", "Pod", pods[0], "Warning", "Unhealthy", "Readiness probe failed: Get \"http://"+ip+":15020/app-health/fx-rates/readyz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", 4, w.at(18*time.Minute), w.at(16*time.Minute), "kubelet", generalNodes[1])
	w.eventSeries("payments", "Pod", pods[0], "Normal", "Scheduled", "Binding", "Successfully assigned payments/"+pods[0]+" to "+generalNodes[1], 1, w.at(20*time.Minute), w.at(20*time.Minute), "default-scheduler")
	w.logLines("payments", pods[0], "fx-rates", false, 30*time.Second, 40*time.Second,
		"2026-12-06T12:12:04.551Z  INFO 1 --- [fx-rates] [           main] c.p.fx.FxRatesApplication                : Starting FxRatesApplication v3.1.2 using Java 21.0.5 with PID 1",
		"2026-12-06T12:14:47.120Z  INFO 1 --- [fx-rates] [           main] c.p.fx.FxRatesApplication                : Started FxRatesApplication in 162.771 seconds (process running for 163.9)",
		"2026-12-06T12:15:02.004Z  INFO 1 --- [fx-rates] [   scheduling-1] c.p.fx.refresh.EcbRatesRefresher         : refreshed 31 ECB reference rates (as of 2026-12-05)",
		"2026-12-06T12:30:02.011Z  INFO 1 --- [fx-rates] [   scheduling-1] c.p.fx.refresh.EcbRatesRefresher         : refreshed 31 ECB reference rates (as of 2026-12-05)")
	w.metric("kube_pod_status_ready", "gauge", "Describes whether the pod is ready to serve requests.", ksm(map[string]string{"namespace": "payments", "pod": pods[0], "condition": "true"}), constant(1))
	w.metric("kube_deployment_status_replicas_available", "gauge", "The number of available replicas per deployment.", ksm(map[string]string{"namespace": "payments", "deployment": "fx-rates"}), constant(2))
	w.restartsMetric("payments", pods[0], "fx-rates", 0, 0)
	w.setAlert("KubePodNotReady", "warning", map[string]string{"namespace": "payments", "pod": pods[0], "job": "kube-state-metrics"},
		"Pod has been in a non-ready state for more than 15 minutes.", "Pod payments/"+pods[0]+" has been in a non-ready state for longer than 15 minutes.", 2*time.Minute,
		`sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics", phase=~"Pending|Unknown|Failed"})) > 0`, 1)
	w.want("Unknown", "payments", "Deployment", "fx-rates", "fx-rates")
	return w
}

func targetDownNoEvidence() *world {
	w := newWorld("h8-ledger-metrics-target-down-without-evidence", "2026-12-07T06:05:00Z")
	w.description = `TargetDown fired for job ledger/ledger-metrics: Prometheus reports 50% of the targets down. The
ledger-metrics pods are Running and Ready, the Service has both endpoints, there are no warning events and the
application logs were not retained; no metrics were exported into the fixture. Nothing in the evidence says why the
scrape fails (network policy, TLS on the metrics port, a slow /metrics handler...), so the cause is Unknown and the
explanation should say what is missing.`
	w.source = "https://github.com/prometheus/prometheus/issues/7997"
	w.stdNodes()
	pods := w.app(appSpec{ns: "ledger", name: "ledger-metrics", image: "491783263510.dkr.ecr.eu-central-1.amazonaws.com/ledger/ledger-metrics:1.8.0", port: 9102,
		res: res("100m", "128Mi", "500m", "256Mi"), revision: 5, age: 200 * 24 * time.Hour, rsAge: 15 * 24 * time.Hour,
		pods: []podState{{ready: true, state: running(w.at(15 * 24 * time.Hour)), age: 15 * 24 * time.Hour, node: 0}, {ready: true, state: running(w.at(15 * 24 * time.Hour)), age: 15 * 24 * time.Hour, node: 2}}})
	w.service("ledger", "ledger-metrics", map[string]string{"app.kubernetes.io/name": "ledger-metrics"}, 9102, 9102, []string{ipOf("ledger" + pods[0]), ipOf("ledger" + pods[1])}, nil)
	w.setAlert("TargetDown", "warning", map[string]string{"namespace": "ledger", "job": "ledger-metrics", "service": "ledger-metrics"},
		"One or more targets are unreachable.", "50% of the ledger-metrics/ledger-metrics targets in ledger namespace are down.", 25*time.Minute,
		`100 * (count(up == 0) BY (cluster, job, namespace, service) / count(up) BY (cluster, job, namespace, service)) > 10`, 50)
	w.want("Unknown", "ledger", "Service", "ledger-metrics", "ledger-metrics")
	return w
}
