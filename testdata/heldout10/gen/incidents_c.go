package main

import (
	"fmt"
	"slices"
	"time"
)

func archiveShareFull() *incident {
	in := newIncident("h10-pdf-archiver-azure-files-share-quota-full", 143*time.Minute)
	in.summary = `pdf-archiver (Celery) writes signed claim PDFs to the Azure Files share behind the PVC archive-share, a
100 GiB premium share whose quota is the claim size. Month-end volume filled it; every write fails with ENOSPC and
the archive queue grows. The pods are healthy; the Celery broker deprecation warning is unrelated.`
	in.source = "https://github.com/Azure/AKS/issues/1246"
	in.herring = true
	in.cluster("a", "b")
	in.pvc("documents", "archive-share", "azurefile-csi-premium", "100Gi", "pvc-"+uid("pv", "documents", "archive-share"), in.ago(400*24*time.Hour))
	img := acr + "documents/pdf-archiver:5.1.2"
	tpl := podTemplate{labels: appLabels("pdf-archiver", "documents", "5.1.2"),
		containers: []container{{name: "celery", image: img, reqCPU: "200m", reqMem: "384Mi", limCPU: "1", limMem: "768Mi",
			volumeMounts: []any{obj{"name": "archive", "mountPath": "/mnt/archive"}}}},
		volumes: []any{obj{"name": "archive", "persistentVolumeClaim": obj{"claimName": "archive-share"}}}}
	_, rs := in.rollout("documents", "pdf-archiver", tpl, 2, 2, 19, 400*24*time.Hour, 9*24*time.Hour)
	pods := names(in.healthy(rs, in.ago(9*24*time.Hour), "a", "b"))
	st := in.ago(6 * time.Minute)
	c := func(t time.Time, lvl, proc, msg string) string {
		return fmt.Sprintf("[%s,%03d: %s/%s] %s", t.Format("2006-01-02 15:04:05"), (t.Nanosecond()/1e6+311)%1000, lvl, proc, msg)
	}
	in.logAt("documents/"+pods[0]+"/celery", in.ago(9*24*time.Hour), time.Second,
		"/usr/local/lib/python3.12/site-packages/celery/worker/consumer/consumer.py:508: CPendingDeprecationWarning: The broker_connection_retry configuration setting will no longer determine",
		"whether broker connection retries are made during startup in Celery 6.0 and above.")
	in.logAt("documents/"+pods[0]+"/celery", st, 45*time.Second,
		c(st, "INFO", "MainProcess", "Task archive.tasks.store_signed_pdf[7d21c9a0-4b3e-4f7a-9e2d-6a1b0c3f5e88] received"),
		c(st.Add(45*time.Second), "ERROR", "ForkPoolWorker-1", "Task archive.tasks.store_signed_pdf[7d21c9a0-4b3e-4f7a-9e2d-6a1b0c3f5e88] raised unexpected: OSError(28, 'No space left on device')"),
		"Traceback (most recent call last):",
		`  File "/app/archive/tasks.py", line 61, in store_signed_pdf`,
		"    with open(target, \"wb\") as fh:",
		"OSError: [Errno 28] No space left on device: '/mnt/archive/2026/12/03/CLM-2026-0881302.pdf'",
		c(st.Add(4*time.Minute), "WARNING", "ForkPoolWorker-2", "Task archive.tasks.store_signed_pdf[1f9e0d2c-8a7b-4c6d-b5e4-3a2f1e0d9c8b] retry: Retry in 300s: OSError(28, 'No space left on device')"))
	in.fire(grafanaLabels("PDF archive task failures", "documents", "documents", "service", "pdf-archiver", "severity", "warning"),
		"pdf-archiver is failing to store PDFs", "celery task failures for archive.tasks.store_signed_pdf above 10/min.",
		`sum(rate(celery_task_failed_total{namespace="documents",name="archive.tasks.store_signed_pdf"}[5m])) * 60 > 10`, 17, 11*time.Minute)
	n := 44
	lab := `namespace="documents",persistentvolumeclaim="archive-share",job="kubelet",metrics_path="/metrics"`
	in.gauge("kubelet_volume_stats_capacity_bytes", "Capacity in bytes of the volume", sr(lab, ramp(107374182400, 107374182400, n)))
	in.gauge("kubelet_volume_stats_used_bytes", "Number of used bytes in the volume", sr(lab, slices.Concat(ramp(1.07201e11, 107374182400, 10), ramp(107374182400, 107374182400, n-10))))
	in.gauge("kubelet_volume_stats_available_bytes", "Number of available bytes in the volume", sr(lab, slices.Concat(ramp(1.73e8, 0, 10), ramp(0, 0, n-10))))
	in.count("celery_task_failed_total", "Sent if the execution of the task failed.", sr(`namespace="documents",name="archive.tasks.store_signed_pdf",job="celery-exporter"`, counter(40, slices.Concat(ramp(0, 0, 10), wobble(ramp(4, 4, n-10), 0.2)))))
	in.want("ResourceExhaustion", "documents", "PersistentVolumeClaim", "archive-share", "archive-share", "No space left")
	return in
}

func claimsNotifierSockets() *incident {
	in := newIncident("h10-claims-notifier-new-httpclient-per-message-exhausts-ports", 150*time.Minute)
	in.summary = `claims-notifier (.NET 8) creates and disposes a new HttpClient for every Service Bus message it turns
into a Graph mail call. During the storm backlog it opens thousands of short connections; sockets pile up in
TIME_WAIT, the pod runs out of ephemeral ports and connects fail with "Cannot assign requested address". Graph is
healthy.`
	in.source = "https://github.com/dotnet/core/issues/2253"
	in.cluster("a", "b")
	img := acr + "claims/claims-notifier:2.3.0"
	tpl := podTemplate{labels: appLabels("claims-notifier", "claims", "2.3.0"), serviceAccount: "claims-notifier", containers: []container{aspnet("claims-notifier", img, 8080)}}
	_, rs := in.rollout("claims", "claims-notifier", tpl, 2, 2, 9, 120*24*time.Hour, 7*24*time.Hour)
	pods := names(in.healthy(rs, in.ago(7*24*time.Hour), "a", "b"))
	st := in.ago(5 * time.Minute)
	ex := `"@x":"System.Net.Http.HttpRequestException: Cannot assign requested address (graph.microsoft.com:443)\n ---> System.Net.Sockets.SocketException (99): Cannot assign requested address\n   at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.ThrowException(SocketError error, CancellationToken cancellationToken)\n   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, HttpRequestMessage initialRequest, Boolean async, CancellationToken cancellationToken)"`
	in.logAt("claims/"+pods[0]+"/claims-notifier", st, 15*time.Second,
		serilog(st, "Information", "Processing {MessageId} from {Queue}", "Claims.Notifier.Worker", `"MessageId":"a1c9f0d2e3b44c6f8d7e6a5b4c3d2e1f","Queue":"claim-status-changed"`),
		serilog(st.Add(15*time.Second), "Error", "Sending notification for {ClaimId} failed", "Claims.Notifier.GraphMailSender", `"ClaimId":"CLM-2026-0881377",`+ex),
		serilog(st.Add(30*time.Second), "Error", "Sending notification for {ClaimId} failed", "Claims.Notifier.GraphMailSender", `"ClaimId":"CLM-2026-0881379",`+ex),
		serilog(st.Add(45*time.Second), "Warning", "Abandoning {MessageId}, delivery count {DeliveryCount}", "Claims.Notifier.Worker", `"MessageId":"b7e6d5c4b3a24f1e9d8c7b6a5f4e3d2c","DeliveryCount":4`),
		serilog(st.Add(60*time.Second), "Error", "Sending notification for {ClaimId} failed", "Claims.Notifier.GraphMailSender", `"ClaimId":"CLM-2026-0881384",`+ex))
	in.fire(grafanaLabels("Claims notifier send failures", "claims", "claims", "service", "claims-notifier", "severity", "warning"),
		"claims-notifier cannot send notifications", "More than 30% of notification sends failed over 10 minutes.",
		`sum(rate(notifier_sends_total{namespace="claims",result="failed"}[10m])) / sum(rate(notifier_sends_total{namespace="claims"}[10m]))`, 0.71, 13*time.Minute)
	n := 40
	for _, nd := range []string{"a", "b"} {
		in.gauge("node_sockstat_TCP_tw", "Number of TCP sockets in state tw.", sr(`instance="`+userNode(nd)+`",job="node"`, wobble(slices.Concat(ramp(2100, 27800, 14), ramp(28100, 28200, n-14)), 0.01)))
	}
	in.gauge("http_client_open_connections", "Number of outbound HTTP connections that are currently active or idle on the client.",
		sr(`namespace="claims",pod="`+pods[0]+`",server_address="graph.microsoft.com",http_connection_state="active"`, wobble(ramp(310, 1900, n), 0.05)))
	in.count("notifier_sends_total", "Notification sends by result.", sr(`namespace="claims",pod="`+pods[0]+`",result="failed"`, counter(500, slices.Concat(ramp(0, 0, 12), wobble(ramp(31, 31, n-12), 0.1)))))
	in.want("ResourceExhaustion", "claims", "Deployment", "claims-notifier", "Cannot assign requested address")
	return in
}

func partnerEdgeCertRotation() *incident {
	in := newIncident("h10-partner-edge-serves-expired-cert-csi-rotation-off", 157*time.Minute)
	in.summary = `Key Vault renewed the partners.contoso-insurance.eu certificate a month ago, but the Secrets Store CSI
add-on runs without secret rotation, so the OpenResty partner-edge pods (up for 41 days) still serve the old
certificate mounted at start, which expired this morning. Partner clients abort the handshake. The ssl_stapling
warning is long-standing.`
	in.source = "https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/1389"
	in.herring = true
	in.cluster("a", "b")
	img := acr + "integration/partner-edge:1.25.3.2-3"
	tpl := podTemplate{labels: appLabels("partner-edge", "integration", "1.25.3.2-3"),
		containers: []container{{name: "openresty", image: img, port: 8443, reqCPU: "100m", reqMem: "64Mi", limCPU: "1", limMem: "256Mi",
			volumeMounts: []any{obj{"name": "tls", "mountPath": "/etc/nginx/tls", "readOnly": true}}}},
		volumes: []any{obj{"name": "tls", "csi": obj{"driver": "secrets-store.csi.k8s.io", "readOnly": true, "volumeAttributes": obj{"secretProviderClass": "partner-edge-tls"}}}}}
	_, rs := in.rollout("integration", "partner-edge", tpl, 2, 2, 16, 700*24*time.Hour, 41*24*time.Hour)
	pods := in.healthy(rs, in.ago(41*24*time.Hour), "a", "b")
	svc := in.service("integration", "partner-edge", selectorLabels(tpl.labels), 443, 8443, "10.0.77.40", in.ago(700*24*time.Hour))
	in.endpoints(svc, 8443, pods, nil)
	p := nameOf(pods[0])
	ng := func(t time.Time, lvl, msg string) string {
		return t.Format("2006/01/02 15:04:05") + " [" + lvl + "] 9#9: " + msg
	}
	in.logAt("integration/"+p+"/openresty", in.ago(41*24*time.Hour), time.Second,
		ng(in.ago(41*24*time.Hour), "warn", `"ssl_stapling" ignored, no OCSP responder URL in the certificate "/etc/nginx/tls/partners-contoso-insurance-eu.crt"`))
	st := in.ago(6 * time.Minute)
	in.logAt("integration/"+p+"/openresty", st, 40*time.Second,
		ng(st, "info", "*881201 SSL_do_handshake() failed (SSL: error:0A000416:SSL routines::sslv3 alert certificate unknown:SSL alert number 46) while SSL handshaking, client: 20.31.4.17, server: 0.0.0.0:8443"),
		ng(st.Add(40*time.Second), "info", "*881233 SSL_do_handshake() failed (SSL: error:0A000416:SSL routines::sslv3 alert certificate unknown:SSL alert number 46) while SSL handshaking, client: 51.124.9.203, server: 0.0.0.0:8443"),
		ng(st.Add(80*time.Second), "info", "*881260 SSL_do_handshake() failed (SSL: error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42) while SSL handshaking, client: 20.31.4.17, server: 0.0.0.0:8443"))
	in.fire(amLabels("SSLCertExpired", "critical", "integration", "instance", "https://partners.contoso-insurance.eu/health", "job", "blackbox", "service", "partner-edge"),
		"TLS certificate has expired.", "The certificate served by https://partners.contoso-insurance.eu/health expired 3h20m ago.",
		`probe_ssl_earliest_cert_expiry{job="blackbox"} - time() < 0`, -12000, 3*time.Hour)
	n := 40
	exp := float64(in.ago(3*time.Hour + 20*time.Minute).Unix())
	lab := `instance="https://partners.contoso-insurance.eu/health",job="blackbox",module="http_2xx_tls"`
	in.gauge("probe_ssl_earliest_cert_expiry", "Returns last SSL chain expiry in unixtime", sr(lab, ramp(exp, exp, n)))
	in.gauge("probe_success", "Displays whether or not the probe was a success", sr(lab, ramp(0, 0, n)))
	in.gauge("probe_http_ssl", "Indicates if SSL was used for the final redirect", sr(lab, ramp(0, 0, n)))
	in.want("TLSFailure", "integration", "Deployment", "partner-edge", "expired", "rotation")
	return in
}

func fnolStormSurge() *incident {
	in := newIncident("h10-fnol-api-windstorm-claims-surge-beyond-hpa-max", 164*time.Minute)
	in.summary = `A windstorm over the Netherlands brings six times the usual first-notice-of-loss filings. fnol-api
scaled out to its HPA maximum of 12 replicas within 20 minutes; every replica sits at its CPU limit and p95
latency is above 4 s. Nothing is broken: the service needs more capacity (a higher maxReplicas) for the surge.`
	in.source = "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"
	nodes := []string{"a", "b", "c", "d", "e", "f"}
	in.cluster(nodes...)
	img := acr + "claims/fnol-api:3.6.0"
	tpl := podTemplate{labels: appLabels("fnol-api", "claims", "3.6.0"), containers: []container{aspnet("fnol-api", img, 8080)}}
	_, rs := in.rollout("claims", "fnol-api", tpl, 12, 12, 20, 300*24*time.Hour, 7*24*time.Hour)
	var pods []string
	for i := 0; i < 12; i++ {
		started := in.ago(7 * 24 * time.Hour)
		if i >= 3 {
			started = in.ago(time.Duration(40-2*i) * time.Minute)
		}
		p := in.pod(rs, "", userNode(nodes[i%6]), podIP(fmt.Sprint("fnol", i)), "Running", started, cs{name: "fnol-api", image: img, ready: true, started: started})
		pods = append(pods, nameOf(p))
	}
	hpa := obj{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": obj{"name": "fnol-api", "namespace": "claims", "uid": uid("HorizontalPodAutoscaler", "claims", "fnol-api")}}
	for i, size := range []int{6, 9, 12} {
		at := in.ago(time.Duration(36-8*i) * time.Minute)
		in.event(hpa, "Normal", "SuccessfulRescale", fmt.Sprintf("New size: %d; reason: cpu resource utilization (percentage of request) above target", size), "horizontal-pod-autoscaler", "", 1, at, at)
	}
	in.event(hpa, "Warning", "DesiredReplicasAboveMax", "the desired replica count is more than the maximum replica count", "horizontal-pod-autoscaler", "", 1, in.ago(18*time.Minute), in.ago(18*time.Minute))
	st := in.ago(4 * time.Minute)
	req := func(t time.Time, path string, code int, ms float64) string {
		return serilog(t, "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware",
			fmt.Sprintf(`"RequestMethod":"POST","RequestPath":"%s","StatusCode":%d,"Elapsed":%.4f`, path, code, ms))
	}
	in.logAt("claims/"+pods[0]+"/fnol-api", st, 3*time.Second,
		req(st, "/api/fnol", 201, 3812.4410), req(st.Add(3*time.Second), "/api/fnol", 201, 4420.1093), req(st.Add(6*time.Second), "/api/fnol/attachments", 201, 5120.8831),
		req(st.Add(9*time.Second), "/api/fnol", 201, 3977.0012), req(st.Add(12*time.Second), "/api/fnol", 201, 4688.7420))
	in.fire(grafanaLabels("FNOL p95 latency", "claims", "claims", "service", "fnol-api", "severity", "critical"),
		"fnol-api p95 latency above 2 s", "p95 of http_request_duration_seconds for fnol-api is 4.4 s.",
		`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="claims",service="fnol-api"}[5m])))`, 4.4, 16*time.Minute)
	n := 48
	hl := `namespace="claims",horizontalpodautoscaler="fnol-api",job="kube-state-metrics"`
	in.gauge("kube_horizontalpodautoscaler_spec_max_replicas", "Upper limit for the number of pods that can be set by the autoscaler.", sr(hl, ramp(12, 12, n)))
	in.gauge("kube_horizontalpodautoscaler_status_current_replicas", "Current number of replicas of pods managed by this autoscaler.", sr(hl, slices.Concat(ramp(6, 6, 4), ramp(9, 9, 32), ramp(12, 12, n-36))[:n]))
	in.gauge("kube_horizontalpodautoscaler_status_desired_replicas", "Desired number of replicas of pods managed by this autoscaler.", sr(hl, slices.Concat(ramp(9, 9, 4), ramp(12, 12, 32), ramp(17, 19, n-36))[:n]))
	in.count("http_requests_received_total", "Provides the count of HTTP requests that have been processed by the ASP.NET Core pipeline.",
		sr(`namespace="claims",service="fnol-api",method="POST",code="201",controller="Fnol",action="Create"`, counter(2.2e6, wobble(ramp(310, 1850, n), 0.03))))
	for _, p := range pods[:3] {
		in.count("container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.",
			sr(fmt.Sprintf(`namespace="claims",pod="%s",container="fnol-api",job="kubelet",metrics_path="/metrics/cadvisor"`, p), counter(30000, wobble(ramp(9, 14.9, n), 0.01))))
	}
	in.want("TrafficSpike", "claims", "Deployment", "fnol-api", "max")
	return in
}

func invoiceCloseJobBlob() *incident {
	in := newIncident("h10-invoice-month-close-job-blob-authorization-mismatch", 171*time.Minute)
	in.summary = `The month-close CronJob's run tonight failed after three attempts. The Django management command renders
invoice PDFs and uploads them to Blob Storage with the job's workload identity, which a role clean-up left with
"Storage Blob Data Reader" only; every upload returns 403 AuthorizationPermissionMismatch. The CronJob spec is
fine; the failed Job is the object to look at.`
	in.source = "https://github.com/Azure/azure-storage-blob-go/issues/183"
	in.cluster("a", "b")
	img := acr + "billing/billing-jobs:9.3.0"
	tpl := podTemplate{labels: appLabels("invoice-month-close", "billing", "9.3.0"), serviceAccount: "billing-jobs",
		containers: []container{{name: "close-month", image: img, reqCPU: "500m", reqMem: "512Mi", limCPU: "2", limMem: "2Gi",
			env: env("DJANGO_SETTINGS_MODULE", "billing.settings.production", "INVOICE_CONTAINER", "invoices")}}}
	sched := time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC)
	cj := in.cronJob("billing", "invoice-month-close", "0 2 3 * *", tpl, in.ago(500*24*time.Hour), sched, 2)
	jobName := fmt.Sprintf("invoice-month-close-%d", sched.Unix()/60)
	j := in.job(cj, "billing", jobName, tpl, 2, 3, 0, sched)
	in.event(cj.obj, "Normal", "SuccessfulCreate", "Created job "+jobName, "cronjob-controller", "", 1, sched, sched)
	failed := in.failedRuns(cj, j, []string{"a", "b", "a"}, sched, 14*time.Minute, 12*time.Minute, func(start time.Time) []logLine {
		py := pyLogger(start, "billing.management.commands.close_invoice_month")
		failedAt := 6 * time.Minute
		return append([]logLine{
			py(5*time.Second, "INFO", "closing invoice month 2026-11 for 48211 policies"),
			py(3*time.Minute, "INFO", "rendered 48211 invoices, uploading to https://stcontosoweuprodbill.blob.core.windows.net/invoices/2026-11/"),
			py(failedAt, "ERROR", "upload failed for 2026-11/INV-2026-11-000001.pdf")},
			pythonError(start.Add(failedAt), []string{`  File "/app/billing/management/commands/close_invoice_month.py", line 142, in handle`, "    blob.upload_blob(pdf, overwrite=True)"},
				"HttpResponseError", "This request is not authorized to perform this operation using this permission.",
				"6c15bc51-a01e-0080-31ce-6b84c9000000", "AuthorizationPermissionMismatch")...)
	})
	in.fire(amLabels("KubeCronJobRunFailed", "warning", "billing", "cronjob", "invoice-month-close", "job_name", jobName, "job", "kube-state-metrics"),
		"CronJob run failed.", "The latest run of CronJob billing/invoice-month-close (Job "+jobName+") failed.",
		`kube_job_status_failed{job="kube-state-metrics"} * on(namespace, job_name) group_left(owner_name) kube_job_owner{owner_kind="CronJob"} > 0`, 1, in.now.Sub(failed.Add(time.Minute)))
	in.want("JobFailure", "billing", "Job", jobName, "AuthorizationPermissionMismatch")
	return in
}

func billingWorkerKedaCost() *incident {
	in := newIncident("h10-billing-worker-keda-message-count-one-scales-to-forty", 178*time.Minute)
	in.summary = `A Flux commit meant to make billing-worker react faster set the KEDA azure-servicebus trigger's
messageCount from "50" to "1". With a normal backlog of about 60 messages the HPA now asks for 40 replicas, the
cluster autoscaler adds six Standard_D8ds_v5 nodes, and the billing namespace's hourly cost is five times its
baseline. No message is late; the extra capacity does nothing.`
	in.source = "https://github.com/kedacore/keda/issues/4077"
	nodes := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	in.cluster(nodes...)
	img := acr + "billing/billing-worker:9.3.0"
	tpl := podTemplate{labels: appLabels("billing-worker", "billing", "9.3.0"), containers: []container{{name: "celery", image: img, reqCPU: "1", reqMem: "1Gi", limCPU: "2", limMem: "2Gi"}}}
	_, rs := in.rollout("billing", "billing-worker", tpl, 40, 40, 64, 400*24*time.Hour, 5*24*time.Hour)
	for i := 0; i < 8; i++ {
		st := in.ago(time.Duration(50-3*i) * time.Minute)
		in.pod(rs, "", userNode(nodes[i]), podIP(fmt.Sprint("bwk", i)), "Running", st, cs{name: "celery", image: img, ready: true, started: st})
	}
	hpa := obj{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": obj{"name": "keda-hpa-billing-worker", "namespace": "billing", "uid": uid("HorizontalPodAutoscaler", "billing", "keda-hpa-billing-worker")}}
	for i, size := range []int{16, 32, 40} {
		at := in.ago(time.Duration(52-6*i) * time.Minute)
		in.event(hpa, "Normal", "SuccessfulRescale", fmt.Sprintf("New size: %d; reason: external metric s0-azure-servicebus-invoice-events(&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: billing-worker,},MatchExpressions:[]LabelSelectorRequirement{},}) above target", size), "horizontal-pod-autoscaler", "", 1, at, at)
	}
	so := obj{"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": obj{"name": "billing-worker", "namespace": "billing", "uid": uid("ScaledObject", "billing", "billing-worker")}}
	in.event(so, "Normal", "KEDAScalersStarted", `Scaler azure-servicebus is built.`, "keda-operator", "", 1, in.ago(53*time.Minute), in.ago(53*time.Minute))
	in.event(so, "Normal", "ScaledObjectReady", "ScaledObject is ready for scaling", "keda-operator", "", 1, in.ago(53*time.Minute), in.ago(53*time.Minute))
	in.add(configMap("billing", "billing-worker-scaling", map[string]any{"messageCount": "1", "queueName": "invoice-events", "maxReplicaCount": "40"}, in.ago(53*time.Minute)))
	in.fire(grafanaLabels("Namespace cost above baseline", "finops", "billing", "severity", "warning"),
		"billing namespace hourly cost is 5.1x its 7-day baseline", "sum(opencost namespace cost) for billing is 18.40 USD/h against a baseline of 3.60 USD/h.",
		`sum(container_cpu_allocation{namespace="billing"} * on(node) group_left() node_cpu_hourly_cost) + sum(container_memory_allocation_bytes{namespace="billing"} / 1024^3 * on(node) group_left() node_ram_hourly_cost) > 2 * avg_over_time(namespace_hourly_cost{namespace="billing"}[7d])`, 18.4, 22*time.Minute)
	n := 56
	in.gauge("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", sr(`namespace="billing",deployment="billing-worker",job="kube-state-metrics"`, slices.Concat(ramp(16, 16, 12), ramp(32, 32, 24), ramp(40, 40, n-36))))
	in.gauge("keda_scaler_metrics_value", "The current value for each scaler's metric that would be used by the HPA in computing the target average.",
		sr(`namespace="billing",scaledObject="billing-worker",scaler="azure-servicebus",metric="s0-azure-servicebus-invoice-events",type="scaledobject"`, wobble(ramp(58, 63, n), 0.08)))
	in.gauge("kube_node_labels_count", "Number of user-pool nodes (recording rule).", sr(`agentpool="userpool",record="count(kube_node_labels{label_agentpool=\"userpool\"})"`, slices.Concat(ramp(6, 6, 10), ramp(9, 9, 20), ramp(12, 12, n-30))))
	in.gauge("node_total_hourly_cost", "Total node cost per hour (OpenCost).", sr(`node="`+userNode("h")+`",instance_type="Standard_D8ds_v5",region="westeurope",job="opencost"`, ramp(0.456, 0.456, n)))
	in.gauge("namespace_hourly_cost", "Hourly cost of a namespace (recording rule over OpenCost allocation).", sr(`namespace="billing"`, slices.Concat(ramp(3.6, 3.7, 10), ramp(9.8, 9.9, 20), ramp(18.3, 18.4, n-30))))
	in.want("CostAnomaly", "billing", "Deployment", "billing-worker", "messageCount", "billing-worker")
	return in
}

func unknownNodeImageUpgrade() *incident {
	in := newIncident("h10-unknown-portal-replicas-mismatch-during-node-image-upgrade", 185*time.Minute)
	in.summary = `KubeDeploymentReplicasMismatch fired for portal-web while the weekly node-image upgrade surged and drained
the user pool. The upgrade finished ten minutes ago: portal-web has 3 of 3 replicas ready on the new nodes, every
node is Ready, and nothing has restarted. The alert has not resolved yet because of its 15-minute window; there is
no fault to explain.`
	in.source = "https://learn.microsoft.com/en-us/azure/aks/upgrade-aks-cluster"
	in.cluster("f", "g", "h")
	img := acr + "portal/portal-web:5.3.0"
	tpl := podTemplate{labels: appLabels("portal-web", "portal", "5.3.0"), containers: []container{aspnet("portal-web", img, 8080)}}
	_, rs := in.rollout("portal", "portal-web", tpl, 3, 3, 41, 90*24*time.Hour, 3*24*time.Hour)
	var pods []obj
	for i, nd := range []string{"f", "g", "h"} {
		st := in.ago(time.Duration(24-5*i) * time.Minute)
		p := in.pod(rs, "", userNode(nd), podIP("pwu"+nd), "Running", st, cs{name: "portal-web", image: img, ready: true, started: st})
		pods = append(pods, p)
		in.event(p, "Normal", "Scheduled", "Successfully assigned portal/"+nameOf(p)+" to "+userNode(nd), "default-scheduler", "", 1, st, st)
		in.event(p, "Normal", "Pulled", `Container image "`+img+`" already present on machine`, "kubelet", userNode(nd), 1, st.Add(2*time.Second), st.Add(2*time.Second))
		in.event(p, "Normal", "Started", "Started container portal-web", "kubelet", userNode(nd), 1, st.Add(3*time.Second), st.Add(3*time.Second))
	}
	svc := in.service("portal", "portal-web", selectorLabels(tpl.labels), 80, 8080, "10.0.41.12", in.ago(90*24*time.Hour))
	in.endpoints(svc, 8080, pods, nil)
	for i, nd := range []string{"f", "g", "h"} {
		at := in.ago(time.Duration(27-5*i) * time.Minute)
		node := obj{"apiVersion": "v1", "kind": "Node", "metadata": obj{"name": userNode(nd), "uid": uid("Node", "", userNode(nd))}}
		in.event(node, "Normal", "NodeReady", "Node "+userNode(nd)+" status is now: NodeReady", "kubelet", userNode(nd), 1, at, at)
	}
	old := obj{"apiVersion": "v1", "kind": "Node", "metadata": obj{"name": userNode("a"), "uid": uid("Node", "", userNode("a"))}}
	in.event(old, "Normal", "NodeNotSchedulable", "Node "+userNode("a")+" status is now: NodeNotSchedulable", "kubelet", userNode("a"), 1, in.ago(31*time.Minute), in.ago(31*time.Minute))
	in.event(old, "Normal", "RemovingNode", "Node "+userNode("a")+" event: Removing Node "+userNode("a")+" from Controller", "node-controller", "", 1, in.ago(12*time.Minute), in.ago(12*time.Minute))
	st := in.ago(3 * time.Minute)
	in.logAt("portal/"+nameOf(pods[0])+"/portal-web", st, 20*time.Second,
		serilog(st, "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"GET","RequestPath":"/mijn/polissen","StatusCode":200,"Elapsed":41.0087`),
		serilog(st.Add(20*time.Second), "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms", "Serilog.AspNetCore.RequestLoggingMiddleware", `"RequestMethod":"GET","RequestPath":"/api/claims/summary","StatusCode":200,"Elapsed":55.3140`))
	in.fireReplicasMismatch("portal", "portal-web", 2, 16*time.Minute)
	n := 40
	in.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", sr(`namespace="portal",deployment="portal-web",job="kube-state-metrics"`, slices.Concat(ramp(2, 2, 12), ramp(3, 3, n-12))))
	in.gauge("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", sr(`namespace="portal",deployment="portal-web",job="kube-state-metrics"`, ramp(3, 3, n)))
	in.want("Unknown", "portal", "Deployment", "portal-web", "upgrade")
	return in
}

func unknownBillingAPINoEvidence() *incident {
	in := newIncident("h10-unknown-billing-api-5xx-alert-without-evidence", 192*time.Minute)
	in.summary = `A Grafana rule reports billing-api 5xx above 2%, but the collected evidence shows nothing behind it: both
pods are Running and Ready with no restarts and no warning events, the recent log lines are all 200s, and no
metrics were collected for the window. A cause cannot be named from this; the rule's own data source has to be
checked first.`
	in.source = "https://github.com/Azure/AKS/issues/4159"
	in.cluster("a", "b")
	img := acr + "billing/billing-api:4.2.1"
	tpl := podTemplate{labels: appLabels("billing-api", "billing", "4.2.1"), containers: []container{{name: "billing-api", image: img, port: 8080,
		reqCPU: "200m", reqMem: "128Mi", limCPU: "1", limMem: "256Mi", readiness: httpProbe("/readyz", 8080, 2, 5, 1, 3)}}}
	_, rs := in.rollout("billing", "billing-api", tpl, 2, 2, 30, 400*24*time.Hour, 10*24*time.Hour)
	pods := in.healthy(rs, in.ago(10*24*time.Hour), "a", "b")
	st := in.ago(4 * time.Minute)
	in.logAt("billing/"+nameOf(pods[0])+"/billing-api", st, 30*time.Second,
		`{"time":"`+st.Format(time.RFC3339)+`","level":"INFO","msg":"GET /v1/invoices/INV-2026-11-004812 200","duration_ms":12.8}`,
		`{"level":"INFO","msg":"POST /v1/payments 201","duration_ms":48.1}`,
		`{"level":"INFO","msg":"GET /v1/invoices?policy=POL-0088123 200","duration_ms":19.4}`,
		`{"level":"INFO","msg":"GET /readyz 200","duration_ms":0.3}`)
	in.fire(grafanaLabels("Billing API 5xx ratio", "billing", "billing", "service", "billing-api", "severity", "warning"),
		"billing-api 5xx ratio above 2%", "The 5xx ratio for billing-api is 3.1% over 10 minutes.",
		`sum(rate(http_requests_total{namespace="billing",service="billing-api",code=~"5.."}[10m])) / sum(rate(http_requests_total{namespace="billing",service="billing-api"}[10m]))`, 0.031, 8*time.Minute)
	in.want("Unknown", "billing", "Deployment", "billing-api", "metrics")
	return in
}

func unknownOCRWorkerPageCache() *incident {
	in := newIncident("h10-unknown-ocr-worker-memory-near-limit-is-page-cache", 199*time.Minute)
	in.summary = `A custom rule warns that ocr-worker's working set is at 91% of its limit and that the pod "is likely to
be OOMKilled". The working set is flat for the whole window and is mostly page cache from the OCR model files; RSS
stays around 40% of the limit, there are no restarts, no OOM kills and no warning events. The claimed cause is not
supported.`
	in.source = "https://github.com/openshift/cluster-monitoring-operator/pull/639"
	in.cluster("a", "b")
	img := acr + "documents/ocr-worker:3.0.7"
	tpl := podTemplate{labels: appLabels("ocr-worker", "documents", "3.0.7"), containers: []container{{name: "celery", image: img, reqCPU: "1", reqMem: "2Gi", limCPU: "2", limMem: "4Gi"}}}
	_, rs := in.rollout("documents", "ocr-worker", tpl, 2, 2, 11, 200*24*time.Hour, 8*24*time.Hour)
	pods := names(in.healthy(rs, in.ago(8*24*time.Hour), "a", "b"))
	st := in.ago(5 * time.Minute)
	in.logAt("documents/"+pods[0]+"/celery", st, 50*time.Second,
		fmt.Sprintf("[%s,118: INFO/ForkPoolWorker-1] Task ocr.tasks.extract_text[0d4c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d] succeeded in 11.804s: {'pages': 7, 'lang': 'nld'}", st.Format("2006-01-02 15:04:05")),
		fmt.Sprintf("[%s,731: INFO/MainProcess] Task ocr.tasks.extract_text[4f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9] received", st.Add(50*time.Second).Format("2006-01-02 15:04:05")),
		fmt.Sprintf("[%s,402: INFO/ForkPoolWorker-2] Task ocr.tasks.extract_text[4f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9] succeeded in 9.377s: {'pages': 4, 'lang': 'nld'}", st.Add(100*time.Second).Format("2006-01-02 15:04:05")))
	in.fire(amLabels("ContainerMemoryNearLimit", "warning", "documents", "pod", pods[0], "container", "celery", "job", "kubelet"),
		"Container memory near its limit.", "celery in documents/"+pods[0]+" uses 91% of its memory limit and is likely to be OOMKilled.",
		`container_memory_working_set_bytes{container!=""} / on(namespace,pod,container) kube_pod_container_resource_limits{resource="memory"} > 0.9`, 0.91, 25*time.Minute)
	n := 40
	lab := fmt.Sprintf(`namespace="documents",pod="%s",container="celery",job="kubelet",metrics_path="/metrics/cadvisor"`, pods[0])
	in.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes", sr(lab, wobble(ramp(3.9e9, 3.91e9, n), 0.004)))
	in.gauge("container_memory_rss", "Size of RSS in bytes.", sr(lab, wobble(ramp(1.71e9, 1.73e9, n), 0.02)))
	in.gauge("container_memory_cache", "Number of bytes of page cache memory.", sr(lab, wobble(ramp(2.25e9, 2.26e9, n), 0.004)))
	in.count("kube_pod_container_status_restarts_total", "The number of container restarts per container.", restartsSeries("documents", pods[0], "celery", 0, 0, n))
	in.want("Unknown", "documents", "Deployment", "ocr-worker", "cache")
	return in
}

func searchIndexMaxVolumes() *incident {
	in := newIncident("h10-search-index-replica-pending-node-data-disk-limit", 206*time.Minute)
	in.summary = `search-index (a StatefulSet with one Azure Disk per replica) was scaled from 3 to 4. The user-pool nodes
are Standard_D4ds_v5 with a limit of 8 data disks each and all of them already carry 8, so the scheduler finds no
node for search-index-3 ("exceed max volume count") and the autoscaler cannot add one because the pool is at its
maximum.`
	in.source = "https://github.com/kubernetes/kubernetes/issues/116978"
	in.cluster("a", "b", "c", "d", "e")
	img := acr + "documents/search-index:2.17.1"
	tpl := podTemplate{labels: appLabels("search-index", "documents", "2.17.1"), containers: []container{{name: "search", image: img, port: 9200, reqCPU: "1", reqMem: "4Gi", limCPU: "2", limMem: "6Gi",
		volumeMounts: []any{obj{"name": "data", "mountPath": "/usr/share/search/data"}}}}}
	claim := []any{obj{"metadata": obj{"name": "data"}, "spec": obj{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": "managed-csi-premium", "resources": obj{"requests": obj{"storage": "256Gi"}}}}}
	sts := in.statefulSet("documents", "search-index", 4, 3, tpl, in.ago(300*24*time.Hour), claim)
	for i, nd := range []string{"a", "c", "e"} {
		in.pod(sts, fmt.Sprintf("search-index-%d", i), userNode(nd), podIP(fmt.Sprint("si", i)), "Running", in.ago(20*24*time.Hour), cs{name: "search", image: img, ready: true, started: in.ago(20 * 24 * time.Hour)})
	}
	p := in.pod(sts, "search-index-3", "", "", "Pending", in.ago(25*time.Minute), cs{name: "search", image: img, waitReason: "ContainerCreating"})
	pvc := in.pvc("documents", "data-search-index-3", "managed-csi-premium", "256Gi", "", in.ago(25*time.Minute))
	pvc["spec"].(obj)["accessModes"] = []any{"ReadWriteOnce"}
	delete(pvc["spec"].(obj), "volumeName")
	pvc["status"] = obj{"phase": "Pending"}
	delete(pvc["metadata"].(obj)["annotations"].(obj), "pv.kubernetes.io/bind-completed")
	in.event(pvc, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding", "persistentvolume-controller", "", 1, in.ago(25*time.Minute), in.ago(25*time.Minute))
	in.event(pvc, "Normal", "WaitForPodScheduled", "waiting for pod search-index-3 to be scheduled", "persistentvolume-controller", "", 101, in.ago(25*time.Minute), in.ago(15*time.Second))
	in.schedEvent(p, "0/8 nodes are available: 3 node(s) had untolerated taint {CriticalAddonsOnly: true}, 5 node(s) exceed max volume count. preemption: 0/8 nodes are available: 3 Preemption is not helpful for scheduling, 5 No preemption victims found for incoming pod.", 12, in.ago(25*time.Minute), in.ago(2*time.Minute))
	in.event(p, "Normal", "NotTriggerScaleUp", "pod didn't trigger scale-up: 1 max node group size reached", "cluster-autoscaler", "", 24, in.ago(24*time.Minute), in.ago(1*time.Minute))
	in.event(sts.obj, "Normal", "SuccessfulCreate", "create Claim data-search-index-3 Pod search-index-3 in StatefulSet search-index success", "statefulset-controller", "", 1, in.ago(25*time.Minute), in.ago(25*time.Minute))
	in.fire(amLabels("KubeStatefulSetReplicasMismatch", "warning", "documents", "statefulset", "search-index", "job", "kube-state-metrics"),
		"StatefulSet has not matched the expected number of replicas.", "StatefulSet documents/search-index has not matched the expected number of replicas for longer than 15 minutes.",
		`(kube_statefulset_status_replicas_ready{job="kube-state-metrics"} != kube_statefulset_status_replicas{job="kube-state-metrics"}) and (changes(kube_statefulset_status_replicas_updated{job="kube-state-metrics"}[10m]) == 0)`, 1, 9*time.Minute)
	n := 30
	for _, nd := range []string{"a", "b", "c", "d", "e"} {
		in.gauge("csi_node_attached_volumes", "Volumes attached to the node by disk.csi.azure.com (recording rule).", sr(`node="`+userNode(nd)+`",driver="disk.csi.azure.com"`, ramp(8, 8, n)))
	}
	in.want("Unschedulable", "documents", "StatefulSet", "search-index", "max volume count")
	return in
}
