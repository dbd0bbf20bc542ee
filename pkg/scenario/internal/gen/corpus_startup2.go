package main

import (
	"fmt"
	"time"
)

func startupScenarios2() []definition {
	return []definition{
		{"crashloop-exit127-moved-latest-tag", crashLoopExit127},
		{"crashloop-segfault-thumbnailer", crashLoopSegfault},
		{"probe-wrong-readiness-path-notifications", probeWrongPath},
		{"imagepull-ecr-forbidden-fraud-scorer", imagePullForbidden},
		{"imagepull-dockerhub-rate-limit-daemonset", imagePullRateLimit},
		{"config-startup-panic-missing-env", configStartupPanic},
	}
}

// The :latest tag moved to an image without chromium; only the pod that was
// rescheduled (and pulled again) runs it and exits 127.
func crashLoopExit127(b *builder) {
	b.setup("2026-11-10T15:26:00Z", 40)
	b.describe(`pdf-renderer uses the :latest tag with imagePullPolicy Always. A node was
scaled in, its pod was recreated elsewhere and pulled the current :latest, which no
longer ships chromium: the entrypoint's exec fails with exit code 127 ("not found").
The other replica still runs the older digest. No rollout happened.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("pdf-renderer", ctrSpec{name: "renderer", image: "docker.io/acmedocs/pdf-renderer:latest", port: 8080,
		cpuReq: "500m", memReq: "512Mi", memLim: "1Gi", command: []string{"/docker-entrypoint.sh"}})
	w := b.deployment("docs", "pdf-renderer", 2, b.at(days(500)), spec)
	rev := w.revision(9, b.at(days(70)), nil)
	old := rev.pod(nodes[0], b.at(days(6)))
	old.ctr("renderer").logs = quietStartup(b, slogStyle, "pdf-renderer", "latest")
	p := rev.pod(nodes[2], b.at(31*time.Minute))
	c := p.ctr("renderer")
	c.crashLoop(c.runs[0].start, 300*time.Millisecond, run{reason: "Error", exit: 127}, 0)
	c.logs = func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 20*time.Millisecond)
		emit(t, "+ export CHROME_PATH=/usr/bin/chromium-browser")
		emit(t.Add(time.Millisecond), "+ exec chromium-browser --headless --disable-gpu --remote-debugging-port=9222 --no-sandbox")
		emit(t.Add(3*time.Millisecond), "/docker-entrypoint.sh: line 14: exec: chromium-browser: not found")
	}
	b.service(w, 80, 8080)
	crashLoopingAlert(b, p, "renderer", b.at(14*time.Minute))
	b.expect("CrashLoop", "docs", "Deployment", "pdf-renderer", "127", "chromium-browser")
}

// A native image library segfaults on some uploads; Python's faulthandler
// prints the frame, the container exits 139.
func crashLoopSegfault(b *builder) {
	b.setup("2026-11-16T11:02:00Z", 50)
	b.describe(`thumbnailer (Python + libvips) crashes with a segmentation fault while
decoding certain HEIC uploads: exit code 139 (SIGSEGV), a few minutes into each run,
whenever the poison upload is picked from the queue again.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("thumbnailer", ctrSpec{name: "thumbnailer", image: b.ecr("media/thumbnailer", "5.12.0"),
		cpuReq: "1", memReq: "1Gi", memLim: "2Gi", env: []string{"VIPS_CONCURRENCY", "2", "QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/412345678901/media-uploads"}})
	w := b.deployment("media", "thumbnailer", 3, b.at(days(365)), spec)
	rev := w.revision(33, b.at(days(20)), nil)
	var alertPod *podPlan
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(20)-time.Duration(i)*time.Minute))
		c := p.ctr("thumbnailer")
		if i == 1 {
			c.logs = thumbnailerLogs(b, false)
			continue
		}
		c.crashLoop(b.at(time.Duration(48-i*5)*time.Minute), time.Duration(2+i)*time.Minute, run{reason: "Error", exit: 139}, 3)
		c.logs = thumbnailerLogs(b, true)
		if alertPod == nil {
			alertPod = p
		}
	}
	crashLoopingAlert(b, alertPod, "thumbnailer", b.at(20*time.Minute))
	b.expect("CrashLoop", "media", "Deployment", "thumbnailer", "139", "Segmentation fault")
}

func thumbnailerLogs(b *builder, crashes bool) logFunc {
	return func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 700*time.Millisecond)
		emit(t, pyLog(t, "INFO", "thumbs.main", "consuming from media-uploads with 2 workers (libvips 8.15.3)"))
		every(b, r, 3*time.Second, 8*time.Second, emit, func(t time.Time, k int) string {
			return pyLog(t, "INFO", "thumbs.worker", fmt.Sprintf("resized uploads/%s.jpg to 3 sizes in %d ms", b.hex(12), 80+b.rng.IntN(300)))
		})
		if crashes && !r.end.IsZero() {
			t := b.beforeEnd(r, 40*time.Millisecond)
			emit(t, pyLog(t, "INFO", "thumbs.worker", "decoding uploads/7f3a9c2e51d0.heic (4032x3024)"))
			emit(t.Add(30*time.Millisecond), "Fatal Python error: Segmentation fault\n\nThread 0x00007f3b2c9fe6c0 (most recent call first):\n  File \"/usr/local/lib/python3.12/site-packages/pyvips/vimage.py\", line 1322 in thumbnail_image\n  File \"/app/thumbs/resize.py\", line 88 in resize\n  File \"/app/thumbs/worker.py\", line 41 in handle\n  File \"/usr/local/lib/python3.12/concurrent/futures/thread.py\", line 59 in run\n\nExtension modules: _cffi_backend, pyvips (total: 2)")
		}
	}
}

// A new service's readiness probe asks /healthz, the app serves /health.
func probeWrongPath(b *builder) {
	b.setup("2026-11-03T12:31:00Z", 35)
	b.describe(`notification-svc is deployed for the first time. Its readiness probe asks
GET /healthz on port 8080 but the service answers health checks on /health, so every
probe gets 404: the pods run but never become ready and the Service has no endpoints.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("notification-svc", ctrSpec{name: "notification-svc", image: b.ecr("comms/notification-svc", "1.0.0"), port: 8080,
		cpuReq: "100m", memReq: "128Mi", memLim: "256Mi", readiness: httpProbe("/healthz", 8080, 5, 10, 1, 3)})
	w := b.deployment("comms", "notification-svc", 2, b.at(26*time.Minute), spec)
	rev := w.revision(1, b.at(26*time.Minute), nil)
	var alertPod *podPlan
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(26*time.Minute-time.Duration(i)*200*time.Millisecond))
		c := p.ctr("notification-svc")
		c.unreadySince = c.runs[0].start
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			t := after(r, 400*time.Millisecond)
			emit(t, logfmt(t, "info", "notification-svc starting", "version", "1.0.0", "port", 8080))
			emit(t.Add(20*time.Millisecond), logfmt(t.Add(20*time.Millisecond), "info", "health endpoint registered", "path", "/health"))
			every(b, r, 5*time.Second, 10*time.Second, emit, func(t time.Time, k int) string {
				return logfmt(t, "warning", "request", "method", "GET", "path", "/healthz", "status", 404, "user_agent", "kube-probe/1.33", "duration", "0.2ms")
			})
		}
		b.repeat(p.entityRef(), "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 404", "kubelet", n.name, c.runs[0].start.Add(6*time.Second), b.now, 10*time.Second)
		if i == 0 {
			alertPod = p
		}
	}
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 2", rev.name), "deployment-controller", "", rev.created)
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      podAlert("KubePodNotReady", "comms", alertPod.name, "", "warning"),
		summary:     "Pod has been in a non-ready state for more than 15 minutes.",
		description: fmt.Sprintf("Pod comms/%s has been in a non-ready state for longer than 15 minutes on cluster .", alertPod.name),
		runbook:     runbooks + "kubepodnotready",
		startsAt:    b.at(10 * time.Minute),
		query:       `kube_pod_status_ready{condition="false",job="kube-state-metrics"} == 1`,
		value:       1,
	})
	b.expect("ProbeFailure", "comms", "Deployment", "notification-svc", "/healthz", "404")
}

// The image moved to another account's registry the node role cannot read.
func imagePullForbidden(b *builder) {
	b.setup("2026-11-14T09:47:00Z", 35)
	b.region = "us-east-1"
	b.describe(`fraud-scorer's new revision points at the ML team's ECR registry in another
AWS account (987654321098). The node IAM role has no pull permission there: 403
Forbidden, ErrImagePull then ImagePullBackOff. The previous revision keeps one pod up.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("fraud-scorer", ctrSpec{name: "scorer", image: b.ecr("risk/fraud-scorer", "1.3.7"), port: 8501,
		cpuReq: "1", memReq: "2Gi", memLim: "3Gi"})
	w := b.deployment("risk", "fraud-scorer", 2, b.at(days(100)), spec)
	old := w.revision(11, b.at(days(30)), nil)
	newImage := "987654321098.dkr.ecr.us-east-1.amazonaws.com/ml/fraud-scorer:1.4.0"
	cur := w.revision(12, b.at(19*time.Minute), withImage("scorer", newImage))
	op := old.pod(nodes[0], b.at(days(30)))
	op.ctr("scorer").logs = quietStartup(b, slogStyle, "fraud-scorer", "1.3.7")
	var alertPod *podPlan
	for i, n := range nodes[1:] {
		p := cur.pod(n, b.at(19*time.Minute-time.Duration(i)*time.Second))
		c := p.ctr("scorer")
		c.runs = nil
		c.waiting, c.waitMsg = "ImagePullBackOff", fmt.Sprintf("Back-off pulling image %q", newImage)
		msg := fmt.Sprintf("Failed to pull image %q: rpc error: code = Unknown desc = failed to pull and unpack image %q: failed to resolve reference %q: unexpected status from HEAD request to https://987654321098.dkr.ecr.us-east-1.amazonaws.com/v2/ml/fraud-scorer/manifests/1.4.0: 403 Forbidden", newImage, newImage, newImage)
		b.repeat(p.entityRef(), "Normal", "Pulling", fmt.Sprintf("Pulling image %q", newImage), "kubelet", n.name, p.scheduled.Add(time.Second), b.now, 5*time.Minute)
		b.repeat(p.entityRef(), "Warning", "Failed", msg, "kubelet", n.name, p.scheduled.Add(2*time.Second), b.now, 5*time.Minute)
		b.repeat(p.entityRef(), "Warning", "Failed", "Error: ErrImagePull", "kubelet", n.name, p.scheduled.Add(2*time.Second), b.now, 5*time.Minute)
		b.repeat(p.entityRef(), "Normal", "BackOff", fmt.Sprintf("Back-off pulling image %q", newImage), "kubelet", n.name, p.scheduled.Add(15*time.Second), b.now, 20*time.Second)
		b.repeat(p.entityRef(), "Warning", "Failed", "Error: ImagePullBackOff", "kubelet", n.name, p.scheduled.Add(15*time.Second), b.now, 20*time.Second)
		b.schedulerEvent(p, "Normal", "Scheduled", "Binding", fmt.Sprintf("Successfully assigned risk/%s to %s", p.name, n.name), p.scheduled, p.scheduled, 1)
		if i == 0 {
			alertPod = p
		}
	}
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 1", cur.name), "deployment-controller", "", cur.created)
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled down replica set %s from 2 to 1", old.name), "deployment-controller", "", cur.created.Add(time.Second))
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 1 to 2", cur.name), "deployment-controller", "", cur.created.Add(2*time.Second))
	b.alert(alertSpec{
		labels:      podAlert("KubeContainerWaiting", "risk", alertPod.name, "scorer", "warning"),
		summary:     "Pod container waiting longer than 1 hour",
		description: fmt.Sprintf("pod/%s in namespace risk on container scorer has been in waiting state for longer than 1 hour. (reason: \"ImagePullBackOff\")", alertPod.name),
		runbook:     runbooks + "kubecontainerwaiting",
		startsAt:    b.at(4 * time.Minute),
		query:       `sum by (namespace, pod, container, cluster) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`,
		value:       1,
	})
	b.expect("ImagePull", "risk", "Deployment", "fraud-scorer", "403 Forbidden", "987654321098")
}

// A new node cannot pull fluent-bit from Docker Hub: unauthenticated rate limit.
func imagePullRateLimit(b *builder) {
	b.setup("2026-11-08T20:14:00Z", 35)
	b.describe(`The cluster autoscaler added two nodes. The fluent-bit DaemonSet pods on them
pull docker.io/fluent/fluent-bit anonymously and hit Docker Hub's pull rate limit (429
Too Many Requests, toomanyrequests); they stay in ImagePullBackOff.`)
	nodes := b.cluster(5, "m6i.xlarge", "apps")
	spec := b.podSpec("fluent-bit", ctrSpec{name: "fluent-bit", image: "fluent/fluent-bit:3.1.9", port: 2020, portName: "metrics",
		cpuReq: "50m", memReq: "64Mi", memLim: "128Mi"})
	w := b.workload("DaemonSet", "logging", "fluent-bit", 5, b.at(days(300)), spec)
	var alertPod *podPlan
	for i, n := range nodes {
		if i < 3 {
			p := w.pod(n, b.at(days(12)+time.Duration(i)*time.Minute), 0)
			p.ctr("fluent-bit").logs = func(r run, _ int, emit func(time.Time, string)) {
				every(b, r, 0, 45*time.Second, emit, func(t time.Time, k int) string {
					return fmt.Sprintf("[%s] [ info] [output:cloudwatch_logs:cloudwatch_logs.0] Sent %d events to CloudWatch", t.UTC().Format("2006/01/02 15:04:05"), 100+b.rng.IntN(900))
				})
			}
			continue
		}
		n.bornAt(b.at(time.Duration(27-i) * time.Minute))
		p := w.pod(n, n.created.Add(40*time.Second), 0)
		c := p.ctr("fluent-bit")
		c.runs = nil
		c.waiting, c.waitMsg = "ImagePullBackOff", `Back-off pulling image "fluent/fluent-bit:3.1.9"`
		msg := `Failed to pull image "fluent/fluent-bit:3.1.9": failed to pull and unpack image "docker.io/fluent/fluent-bit:3.1.9": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/fluent/fluent-bit/manifests/sha256:` + b.hex(64) + `: 429 Too Many Requests - Server message: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit`
		b.repeat(p.entityRef(), "Normal", "Pulling", `Pulling image "fluent/fluent-bit:3.1.9"`, "kubelet", n.name, p.scheduled.Add(time.Second), b.now, 5*time.Minute)
		b.repeat(p.entityRef(), "Warning", "Failed", msg, "kubelet", n.name, p.scheduled.Add(3*time.Second), b.now, 5*time.Minute)
		b.repeat(p.entityRef(), "Warning", "Failed", "Error: ErrImagePull", "kubelet", n.name, p.scheduled.Add(3*time.Second), b.now, 5*time.Minute)
		b.repeat(p.entityRef(), "Normal", "BackOff", `Back-off pulling image "fluent/fluent-bit:3.1.9"`, "kubelet", n.name, p.scheduled.Add(20*time.Second), b.now, 20*time.Second)
		b.schedulerEvent(p, "Normal", "Scheduled", "Binding", fmt.Sprintf("Successfully assigned logging/%s to %s", p.name, n.name), p.scheduled, p.scheduled, 1)
		b.event(w.ref(), "Normal", "SuccessfulCreate", "Created pod: "+p.name, "daemonset-controller", "", p.created)
		if alertPod == nil {
			alertPod = p
		}
	}
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "KubeDaemonSetRolloutStuck", "namespace": "logging", "daemonset": "fluent-bit", "severity": "warning", "job": "kube-state-metrics"},
		summary:     "DaemonSet rollout is stuck.",
		description: "DaemonSet logging/fluent-bit has not finished or progressed for at least 15m.",
		runbook:     runbooks + "kubedaemonsetrolloutstuck",
		startsAt:    b.at(5 * time.Minute),
		query:       `kube_daemonset_status_number_ready{job="kube-state-metrics"} != kube_daemonset_status_desired_number_scheduled{job="kube-state-metrics"}`,
		value:       3,
	})
	b.expect("ImagePull", "logging", "DaemonSet", "fluent-bit", "429", "rate limit")
}

// A hand edit of a ConfigMap renamed a key; pods restarted by a node
// rotation panic at start because the variable is empty.
func configStartupPanic(b *builder) {
	b.setup("2026-11-19T16:55:00Z", 40)
	b.describe(`The ConfigMap shipping-quotes-env was edited and CARRIER_API_URL became
CARRIER_API_ENDPOINT. Pods that started before keep the old value; the two pods
recreated by this afternoon's node rotation read an empty CARRIER_API_URL, log a
configuration error and panic (exit code 2) at every start.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("shipping-quotes", ctrSpec{name: "quotes", image: "ghcr.io/acme-logistics/shipping-quotes:2.2.0", port: 8080,
		cpuReq: "100m", memReq: "64Mi", memLim: "128Mi", configMapEnv: []string{"shipping-quotes-env"}})
	w := b.deployment("logistics", "shipping-quotes", 3, b.at(days(140)), spec)
	rev := w.revision(14, b.at(days(25)), nil)
	keep := rev.pod(nodes[0], b.at(days(25)))
	keep.ctr("quotes").logs = quietStartup(b, logfmtStyle, "shipping-quotes", "2.2.0")
	keep.http = b.webTraffic("shipping-quotes", 8080, 9, 0.05)
	var alertPod *podPlan
	for i, n := range nodes[1:] {
		p := rev.pod(n, b.at(time.Duration(36-i*2)*time.Minute))
		c := p.ctr("quotes")
		c.crashLoop(c.runs[0].start, 200*time.Millisecond, run{reason: "Error", exit: 2}, 0)
		c.logs = func(r run, _ int, emit func(time.Time, string)) {
			t := after(r, 15*time.Millisecond)
			emit(t, logfmt(t, "info", "loading configuration", "source", "env"))
			emit(t.Add(time.Millisecond), logfmt(t.Add(time.Millisecond), "error", "invalid configuration", "err", "CARRIER_API_URL is empty"))
			emit(t.Add(2*time.Millisecond), "panic: config: parse \"\": empty url\n\ngoroutine 1 [running]:\nmain.mustConfig(...)\n\t/app/cmd/quotes/main.go:52\nmain.main()\n\t/app/cmd/quotes/main.go:27 +0x3a5")
		}
		if i == 0 {
			alertPod = p
		}
	}
	b.configMap("logistics", "shipping-quotes-env", b.at(days(140)), "CARRIER_API_ENDPOINT", "https://api.carrier-hub.example/v3", "QUOTE_CACHE_TTL", "10m", "LOG_LEVEL", "info")
	b.service(w, 80, 8080)
	crashLoopingAlert(b, alertPod, "quotes", b.at(18*time.Minute))
	b.expect("ConfigError", "logistics", "Deployment", "shipping-quotes", "CARRIER_API_URL")
}
