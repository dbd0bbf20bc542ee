package main

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func extraScenarios() []definition {
	return []definition{
		{"quota-exceeded-scale-up-report-api", quotaExceeded},
		{"imagepull-invalid-image-name-uppercase", imagePullInvalidName},
		{"dependency-opensearch-503-log-search", dependencyOpenSearch},
		{"oom-init-container-warm-cache", oomInitContainer},
		{"node-pid-pressure-evictions", nodePIDPressure},
	}
}

// The HPA asks for more replicas than the namespace's ResourceQuota allows.
func quotaExceeded(b *builder) {
	b.setup("2026-11-18T09:24:00Z", 40)
	b.describe(`report-api is scaled from 3 to 6 replicas for the month-end run, but namespace
bi-reports has a ResourceQuota of 6Gi memory limits and already uses 5Gi: the
ReplicaSet cannot create the new pods ("exceeded quota: compute-quota"). The three
existing pods are fine; the deployment stays at 3 of 6.`)
	nodes := b.cluster(3, "m6i.xlarge", "apps")
	spec := b.podSpec("report-api", ctrSpec{name: "api", image: b.ecr("bi/report-api", "2.2.5"), port: 8080,
		cpuReq: "250m", cpuLim: "1", memReq: "1Gi", memLim: "1Gi"})
	w := b.deployment("bi-reports", "report-api", 6, b.at(days(200)), spec)
	rev := w.revision(9, b.at(days(30)), nil)
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(30)-time.Duration(i)*time.Minute))
		p.ctr("api").logs = quietStartup(b, slogStyle, "report-api", "2.2.5")
		p.http = b.webTraffic("report-api", 8080, 3, 0.4, route{"GET", "/v1/reports/{id}", 1})
	}
	scaled := b.at(21 * time.Minute)
	rsRef := corev1.ObjectReference{Kind: "ReplicaSet", Namespace: "bi-reports", Name: rev.name, UID: k8sUID(rev.uid), APIVersion: "apps/v1"}
	for k := 0; k < 3; k++ {
		name := rev.name + "-" + b.suffix(5)
		msg := fmt.Sprintf(`Error creating: pods "%s" is forbidden: exceeded quota: compute-quota, requested: limits.memory=1Gi, used: limits.memory=5Gi, limited: limits.memory=6Gi`, name)
		if k > 0 {
			msg = fmt.Sprintf(`Error creating: pods "%s" is forbidden: exceeded quota: compute-quota, requested: limits.memory=1Gi, used: limits.memory=6Gi, limited: limits.memory=6Gi`, name)
		}
		b.repeat(rsRef, "Warning", "FailedCreate", msg, "replicaset-controller", "", scaled.Add(time.Duration(k)*time.Second), b.now, 3*time.Minute)
	}
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 3 to 6", rev.name), "deployment-controller", "", scaled)
	quota := &corev1.ResourceQuota{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ResourceQuota"},
		ObjectMeta: metav1.ObjectMeta{Name: "compute-quota", Namespace: "bi-reports", UID: k8sUID(b.uid()), CreationTimestamp: metav1.NewTime(b.at(days(300))),
			ResourceVersion: fmt.Sprint(30000000 + b.rng.IntN(9000000))},
		Spec: corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{"limits.memory": resource.MustParse("6Gi"), "limits.cpu": resource.MustParse("8"), "pods": resource.MustParse("20")}},
		Status: corev1.ResourceQuotaStatus{
			Hard: corev1.ResourceList{"limits.memory": resource.MustParse("6Gi"), "limits.cpu": resource.MustParse("8"), "pods": resource.MustParse("20")},
			Used: corev1.ResourceList{"limits.memory": resource.MustParse("6Gi"), "limits.cpu": resource.MustParse("5"), "pods": resource.MustParse("5")},
		},
	}
	b.extraObjects = append(b.extraObjects, kubeObject{"quotas.yaml", quota})
	for _, q := range []struct {
		res, typ string
		v        float64
	}{{"limits.memory", "hard", 6 << 30}, {"limits.memory", "used", 6 << 30}, {"limits.cpu", "hard", 8}, {"limits.cpu", "used", 5}} {
		v := q.v
		b.metrics.gauge("kube_resourcequota", "Information about resource quota.",
			labels("instance", b.ksmInstance(), "job", "kube-state-metrics", "namespace", "bi-reports", "resource", q.res, "resourcequota", "compute-quota", "type", q.typ),
			func(time.Time) (float64, bool) { return v, true })
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      map[string]string{"alertname": "KubeDeploymentReplicasMismatch", "namespace": "bi-reports", "deployment": "report-api", "severity": "warning", "job": "kube-state-metrics"},
		summary:     "Deployment has not matched the expected number of replicas.",
		description: "Deployment bi-reports/report-api has not matched the expected number of replicas for longer than 15 minutes.",
		runbook:     runbooks + "kubedeploymentreplicasmismatch",
		startsAt:    b.at(5 * time.Minute),
		query:       `(kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}) and (changes(kube_deployment_status_replicas_updated{job="kube-state-metrics"}[10m]) == 0)`,
		value:       3,
	})
	b.expect("ResourceExhaustion", "bi-reports", "Deployment", "report-api", "exceeded quota", "compute-quota")
}

// A repository name with capitals cannot be parsed as an image reference.
func imagePullInvalidName(b *builder) {
	b.setup("2026-11-15T12:52:00Z", 35)
	b.describe(`A hand-edited manifest sets the image of checkout-web to
ghcr.io/acme-shop/Checkout-Web:3.4.0. Image references must be lowercase: the kubelet
cannot parse it (InvalidImageName) and the new pod never starts; the old ReplicaSet
keeps serving.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("checkout-web", ctrSpec{name: "web", image: "ghcr.io/acme-shop/checkout-web:3.3.2", port: 3000, cpuReq: "200m", memReq: "256Mi", memLim: "512Mi"})
	w := b.deployment("web", "checkout-web", 2, b.at(days(150)), spec)
	old := w.revision(33, b.at(days(9)), nil)
	bad := "ghcr.io/acme-shop/Checkout-Web:3.4.0"
	cur := w.revision(34, b.at(17*time.Minute), withImage("web", bad))
	for i, n := range nodes[:2] {
		p := old.pod(n, b.at(days(9)-time.Duration(i)*time.Minute))
		p.ctr("web").logs = quietStartup(b, slogStyle, "checkout-web", "3.3.2")
		p.http = b.webTraffic("checkout-web", 3000, 20, 0.03)
	}
	p := cur.pod(nodes[2], b.at(17*time.Minute))
	c := p.ctr("web")
	c.runs = nil
	msg := fmt.Sprintf(`Failed to apply default image tag %q: couldn't parse image name %q: invalid reference format: repository name (acme-shop/Checkout-Web) must be lowercase`, bad, bad)
	c.waiting, c.waitMsg = "InvalidImageName", msg
	b.repeat(p.entityRef(), "Warning", "InspectFailed", msg, "kubelet", nodes[2].name, p.scheduled.Add(time.Second), b.now, 10*time.Second)
	b.repeat(p.entityRef(), "Warning", "Failed", "Error: InvalidImageName", "kubelet", nodes[2].name, p.scheduled.Add(time.Second), b.now, 10*time.Second)
	b.schedulerEvent(p, "Normal", "Scheduled", "Binding", fmt.Sprintf("Successfully assigned web/%s to %s", p.name, nodes[2].name), p.scheduled, p.scheduled, 1)
	b.event(w.ref(), "Normal", "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 1", cur.name), "deployment-controller", "", cur.created)
	b.service(w, 80, 3000)
	b.alert(alertSpec{
		labels:      podAlert("KubeContainerWaiting", "web", p.name, "web", "warning"),
		summary:     "Pod container waiting longer than 1 hour",
		description: fmt.Sprintf("pod/%s in namespace web on container web has been in waiting state for longer than 1 hour. (reason: \"InvalidImageName\")", p.name),
		runbook:     runbooks + "kubecontainerwaiting",
		startsAt:    b.at(2 * time.Minute),
		query:       `sum by (namespace, pod, container, cluster) (kube_pod_container_status_waiting_reason{job="kube-state-metrics"}) > 0`,
		value:       1,
	})
	b.expect("ImagePull", "web", "Deployment", "checkout-web", "InvalidImageName", "lowercase")
}

// The managed OpenSearch domain answers 503 during a blue/green update.
func dependencyOpenSearch(b *builder) {
	b.setup("2026-11-10T04:18:00Z", 40)
	host := "search-app-logs-7xk2p9qfa3mb5hz.eu-west-1.es.amazonaws.com"
	b.describe(`log-search queries an Amazon OpenSearch Service domain (` + host + `). During a
stuck blue/green configuration change the domain answers most searches with 503
Service Unavailable; log-search passes the failure on. Its pods are healthy.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("log-search", ctrSpec{name: "api", image: b.ecr("observability/log-search", "0.14.2"), port: 8080, cpuReq: "100m", memReq: "256Mi", memLim: "512Mi",
		env: []string{"OPENSEARCH_URL", "https://" + host}})
	w := b.deployment("observability", "log-search", 2, b.at(days(100)), spec)
	rev := w.revision(12, b.at(days(6)), nil)
	onset := b.at(15 * time.Minute)
	for i, n := range nodes[:2] {
		p := rev.pod(n, b.at(days(6)-time.Duration(i)*time.Minute))
		p.http = b.webTraffic("log-search", 8080, 3, 0.3, route{"POST", "/api/search", 1})
		p.http.errCode = "502"
		p.http.errRatio = ramp(0.002, 0.7, onset, onset.Add(time.Minute))
		p.ctr("api").logs = func(r run, _ int, emit func(time.Time, string)) {
			every(b, r, 0, 5*time.Second, emit, func(t time.Time, k int) string {
				if t.Before(onset) || k%3 == 0 {
					return pyLog(t, "INFO", "logsearch.api", fmt.Sprintf("search ok index=app-logs-* hits=%d took=%dms", b.rng.IntN(5000), 40+b.rng.IntN(200)))
				}
				return pyLog(t, "ERROR", "logsearch.api", fmt.Sprintf("search failed: TransportError(503, 'Service Unavailable') from POST https://%s:443/app-logs-*/_search", host))
			})
		}
	}
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      serviceAlert("HighErrorRate", "observability", "log-search", "warning"),
		summary:     "log-search is returning errors",
		description: "More than 5% of requests to observability/log-search fail with 5xx (current value 0.47).",
		startsAt:    b.at(11 * time.Minute),
		query:       errorRatioQuery,
		value:       0.47,
	})
	b.expect("DependencyFailure", "", "External", host, "503", "Service Unavailable")
}

// An init container that warms a cache file is OOMKilled; the app never starts.
func oomInitContainer(b *builder) {
	b.setup("2026-11-22T17:06:00Z", 35)
	b.describe(`catalog-sync's init container warm-cache loads the product snapshot into memory
before the app starts. The snapshot outgrew the init container's 128Mi limit: it is
OOMKilled (exit code 137) at every attempt, the pod stays in Init:CrashLoopBackOff and
the sync container never starts.`)
	nodes := b.cluster(3, "m6i.large", "apps")
	spec := b.podSpec("catalog-sync", ctrSpec{name: "sync", image: b.ecr("catalog/catalog-sync", "1.12.0"), cpuReq: "100m", memReq: "256Mi", memLim: "512Mi"})
	init := ctrSpec{name: "warm-cache", image: b.ecr("catalog/catalog-sync", "1.12.0"), command: []string{"/app/warm-cache", "--snapshot", "s3://acme-catalog/snapshots/latest.json.gz"},
		cpuReq: "100m", memReq: "64Mi", memLim: "128Mi"}
	spec.InitContainers = []corev1.Container{init.container()}
	w := b.deployment("catalog", "catalog-sync", 1, b.at(days(80)), spec)
	rev := w.revision(7, b.at(days(10)), nil)
	p := rev.pod(nodes[1], b.at(29*time.Minute))
	ic := p.ctr("warm-cache")
	ic.crashLoop(ic.runs[0].start, 25*time.Second, run{reason: "OOMKilled", exit: 137}, 0)
	ic.memGrowth(mi(20), mi(128), 25*time.Second)
	ic.oomKills = true
	ic.logs = func(r run, _ int, emit func(time.Time, string)) {
		t := after(r, 200*time.Millisecond)
		emit(t, logfmt(t, "info", "downloading snapshot", "url", "s3://acme-catalog/snapshots/latest.json.gz", "size", "61MB"))
		every(b, r, 3*time.Second, 5*time.Second, emit, func(t time.Time, k int) string {
			return logfmt(t, "info", "decoded products", "count", (k+1)*40000)
		})
	}
	main := p.ctr("sync")
	main.runs = nil
	main.waiting, main.waitMsg = "PodInitializing", ""
	b.alert(alertSpec{
		labels:      podAlert("KubePodNotReady", "catalog", p.name, "", "warning"),
		summary:     "Pod has been in a non-ready state for more than 15 minutes.",
		description: fmt.Sprintf("Pod catalog/%s has been in a non-ready state for longer than 15 minutes on cluster .", p.name),
		runbook:     runbooks + "kubepodnotready",
		startsAt:    b.at(13 * time.Minute),
		query:       `sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown|Failed"})) > 0`,
		value:       1,
	})
	b.expect("OOMKilled", "catalog", "Deployment", "catalog-sync", "warm-cache", "128Mi")
}

// A CI runner leaks processes on a node until PIDPressure evicts its neighbours.
func nodePIDPressure(b *builder) {
	b.setup("2026-11-13T03:27:00Z", 40)
	b.describe(`A build pod on node ip-… spawns test processes that never exit (zombie
shells). The node's PID table fills (PIDPressure=True); the kubelet evicts pods to
reclaim PIDs, among them a quota-service replica: the pod of the alert. Other pods on
the node log "fork: retry: Resource temporarily unavailable".`)
	nodes := b.cluster(3, "m6i.xlarge", "ci")
	hot := nodes[2]
	pressure := b.at(12 * time.Minute)
	hot.condition("PIDPressure", "True", "KubeletHasInsufficientPID", "kubelet has insufficient PID available", pressure)
	hot.taints = []corev1.Taint{{Key: "node.kubernetes.io/pid-pressure", Effect: corev1.TaintEffectNoSchedule, TimeAdded: ptrTime(pressure)}}
	nodeRef := corev1.ObjectReference{Kind: "Node", Name: hot.name, UID: k8sUID(hot.name)}
	b.event(nodeRef, "Normal", "NodeHasInsufficientPID", fmt.Sprintf("Node %s status is now: NodeHasInsufficientPID", hot.name), "kubelet", hot.name, pressure)
	b.repeat(nodeRef, "Warning", "EvictionThresholdMet", "Attempting to reclaim pids", "kubelet", hot.name, pressure, b.now, time.Minute)
	runnerSpec := b.podSpec("ci-runner", ctrSpec{name: "runner", image: "ghcr.io/acme-ci/runner:2.320.0", cpuReq: "1", memReq: "2Gi"})
	runner := b.deployment("ci", "ci-runner", 1, b.at(days(90)), runnerSpec)
	rp := runner.revision(11, b.at(days(5)), nil).pod(hot, b.at(2*time.Hour))
	rp.ctr("runner").logs = func(r run, _ int, emit func(time.Time, string)) {
		every(b, r, 0, 20*time.Second, emit, func(t time.Time, k int) string {
			if t.After(pressure.Add(-3 * time.Minute)) {
				return "/home/runner/work/_temp/run-tests.sh: fork: retry: Resource temporarily unavailable"
			}
			return fmt.Sprintf("[%s] Running integration shard %d/64", t.UTC().Format("15:04:05"), 1+k%64)
		})
	}
	spec := b.podSpec("quota-service", ctrSpec{name: "quota", image: b.ecr("platform/quota-service", "4.0.2"), port: 8080, cpuReq: "100m", memReq: "128Mi", memLim: "256Mi"})
	w := b.deployment("platform", "quota-service", 3, b.at(days(300)), spec)
	rev := w.revision(25, b.at(days(12)), nil)
	var victim *podPlan
	for i, n := range nodes {
		p := rev.pod(n, b.at(days(12)-time.Duration(i)*time.Minute))
		p.ctr("quota").logs = quietStartup(b, logfmtStyle, "quota-service", "4.0.2")
		p.http = b.webTraffic("quota-service", 8080, 12, 0.01)
		if n == hot {
			victim = p
		}
	}
	evictAt := pressure.Add(50 * time.Second)
	victim.phase, victim.reason, victim.failedAt = "Failed", "Evicted", evictAt
	victim.message = "The node was low on resource: pids. Threshold quantity: 4096, available: 3810. "
	c := victim.ctr("quota")
	c.runs[0].end, c.runs[0].reason, c.runs[0].exit = evictAt, "Error", 137
	victim.kubeletEvent("Warning", "Evicted", victim.message, "", evictAt)
	repl := rev.pod(nodes[0], evictAt.Add(time.Second))
	repl.ctr("quota").logs = quietStartup(b, logfmtStyle, "quota-service", "4.0.2")
	b.service(w, 80, 8080)
	b.alert(alertSpec{
		labels:      podAlert("KubePodNotReady", "platform", victim.name, "", "warning"),
		summary:     "Pod has been in a non-ready state for more than 15 minutes.",
		description: fmt.Sprintf("Pod platform/%s has been in a non-ready state for longer than 15 minutes on cluster .", victim.name),
		runbook:     runbooks + "kubepodnotready",
		startsAt:    b.at(time.Minute),
		query:       `sum by (namespace, pod, cluster) (max by (namespace, pod, cluster) (kube_pod_status_phase{job="kube-state-metrics",phase=~"Pending|Unknown|Failed"})) > 0`,
		value:       1,
	})
	b.expect("NodePressure", "", "Node", hot.name, "PIDPressure", "pids")
}
