package main

import (
	"fmt"
	"math"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// cluster adds n nodes of one node group spread over three zones.
func (b *builder) cluster(n int, itype, nodegroup string) []*nodePlan {
	zones := []string{"a", "b", "c"}
	var out []*nodePlan
	for i := 0; i < n; i++ {
		out = append(out, b.node(b.region+zones[i%3], itype, nodegroup))
	}
	return out
}

// memGrowth makes memory climb from 'from' to 'to' bytes over each run
// (runFor for the run still going): a leak that ends at the limit.
func (c *ctrPlan) memGrowth(from, to float64, runFor time.Duration) *ctrPlan {
	c.mem = func(t time.Time, r run) float64 {
		d := runFor
		if !r.end.IsZero() {
			d = r.end.Sub(r.start)
		}
		f := math.Min(1, t.Sub(r.start).Seconds()/d.Seconds())
		return math.Round(from + (to-from)*math.Pow(f, 0.8))
	}
	return c
}

// cpuUsage sets the container's CPU usage in cores.
func (c *ctrPlan) cpuUsage(f func(time.Time) float64) *ctrPlan { c.cpu = f; return c }

func mi(v float64) float64 { return v * (1 << 20) }

// webTraffic is a typical service's load on one pod.
func (b *builder) webTraffic(service string, port int32, rps, median float64, routes ...route) *traffic {
	if len(routes) == 0 {
		routes = []route{{"GET", "/api/v1/items", 1}}
	}
	return &traffic{service: service, port: port, routes: routes, rps: steady(b, rps),
		errRatio: constant(0.001), errCode: "500", median: steady(b, median)}
}

// quietStartup is the log of a healthy service: start-up lines, then a
// request line a minute.
func quietStartup(b *builder, style func(t time.Time, level, msg string, kv ...any) string, svc, version string) logFunc {
	return func(r run, _ int, emit func(time.Time, string)) {
		emit(after(r, 300*time.Millisecond), style(after(r, 300*time.Millisecond), "INFO", "starting "+svc, "version", version))
		emit(after(r, 900*time.Millisecond), style(after(r, 900*time.Millisecond), "INFO", "listening", "addr", ":8080"))
		every(b, r, 30*time.Second, 60*time.Second, emit, func(t time.Time, i int) string {
			return style(t, "INFO", "request served", "method", "GET", "path", "/api/v1/items", "status", 200,
				"duration_ms", 8+b.rng.IntN(30), "trace_id", b.traceID())
		})
	}
}

// slogStyle and logfmtStyle adapt the formatters to quietStartup's shape.
func slogStyle(t time.Time, level, msg string, kv ...any) string {
	return slogJSON(t, level, msg, kv...)
}

func logfmtStyle(t time.Time, level, msg string, kv ...any) string {
	return logfmt(t, map[string]string{"INFO": "info", "WARN": "warning", "ERROR": "error"}[level], msg, kv...)
}

// withImage changes the image of one container of a pod spec.
func withImage(name, image string) func(*corev1.PodSpec) {
	return func(s *corev1.PodSpec) {
		for i := range s.Containers {
			if s.Containers[i].Name == name {
				s.Containers[i].Image = image
			}
		}
	}
}

func days(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }

func podAlert(alertname, ns, pod, container, severity string) map[string]string {
	l := map[string]string{"alertname": alertname, "namespace": ns, "pod": pod, "severity": severity,
		"job": "kube-state-metrics", "prometheus": "monitoring/k8s"}
	if container != "" {
		l["container"] = container
	}
	return l
}

const runbooks = "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/"

func crashLoopingAlert(b *builder, p *podPlan, container string, startsAt time.Time) {
	b.alert(alertSpec{
		labels:      mergeMaps(podAlert("KubePodCrashLooping", p.ns, p.name, container, "warning"), map[string]string{"reason": "CrashLoopBackOff", "uid": p.uid}),
		summary:     "Pod is crash looping.",
		description: fmt.Sprintf("Pod %s/%s (%s) is in waiting state (reason: \"CrashLoopBackOff\").", p.ns, p.name, container),
		runbook:     runbooks + "kubepodcrashlooping",
		startsAt:    startsAt,
		query:       `max_over_time(kube_pod_container_status_waiting_reason{job="kube-state-metrics",namespace=~".*",reason="CrashLoopBackOff"}[5m]) >= 1`,
		value:       1,
	})
}

// pvc adds a bound PersistentVolumeClaim and its kubelet volume stats; used
// goes from usedFrom to usedTo bytes between from and to.
func (b *builder) pvc(ns, name, size string, created time.Time, node *nodePlan, usedFrom, usedTo float64, from, to time.Time) {
	q := resource.MustParse(size)
	capacity := float64(q.Value())
	b.extraObjects = append(b.extraObjects, kubeObject{"volumes.yaml", &corev1.PersistentVolumeClaim{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: k8sUID(b.uid()), CreationTimestamp: metav1.NewTime(created),
			ResourceVersion: fmt.Sprint(30000000 + b.rng.IntN(9000000)),
			Annotations: map[string]string{"pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes",
				"volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com", "volume.kubernetes.io/selected-node": node.name,
				"volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com"},
			Finalizers: []string{"kubernetes.io/pvc-protection"}},
		Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			StorageClassName: ptr("gp3"), VolumeMode: ptr(corev1.PersistentVolumeFilesystem), VolumeName: "pvc-" + b.uid(),
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(size)}}},
		Status: corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound, AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Capacity: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(size)}},
	}})
	used := ramp(usedFrom, usedTo, from, to)
	lbl := labels("endpoint", "https-metrics", "instance", node.ip+":10250", "job", "kubelet", "metrics_path", "/metrics",
		"namespace", ns, "node", node.name, "persistentvolumeclaim", name, "service", "kubelet")
	m := b.metrics
	m.gauge("kubelet_volume_stats_capacity_bytes", "[ALPHA] Capacity in bytes of the volume", lbl,
		func(time.Time) (float64, bool) { return capacity, true })
	m.gauge("kubelet_volume_stats_used_bytes", "[ALPHA] Number of used bytes in the volume", lbl,
		func(t time.Time) (float64, bool) { return math.Round(used(t)), true })
	m.gauge("kubelet_volume_stats_available_bytes", "[ALPHA] Number of available bytes in the volume", lbl,
		func(t time.Time) (float64, bool) { return math.Max(0, math.Round(capacity*0.985-used(t))), true })
}

// processFDs records process_open_fds/process_max_fds of the pod's main
// container, as the Go and Java clients export them.
func (b *builder) processFDs(p *podPlan, port int32, open func(time.Time) float64, maxFDs float64) {
	lbl := labels("instance", p.ip+":"+itoa(port), "job", p.ns+"/"+p.w.name, "namespace", p.ns, "pod", p.name)
	main := p.ctrs[0]
	b.metrics.gauge("process_open_fds", "Number of open file descriptors.", lbl, func(t time.Time) (float64, bool) {
		_, ok := main.runAt(t)
		return math.Round(math.Min(maxFDs, open(t))), ok
	})
	b.metrics.gauge("process_max_fds", "Maximum number of open file descriptors.", lbl, func(t time.Time) (float64, bool) {
		_, ok := main.runAt(t)
		return maxFDs, ok
	})
}

// pino is the Node.js pino logger's JSON (numeric levels).
func pino(t time.Time, level int, host, msg string, kv ...any) string {
	return jsonObject(append([]any{"level", level, "time", t.UnixMilli(), "pid", 1, "hostname", host, "msg", msg}, kv...)...)
}

func serviceAlert(alertname, ns, service, severity string) map[string]string {
	return map[string]string{"alertname": alertname, "namespace": ns, "service": service, "severity": severity}
}

const errorRatioQuery = `sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace, service) (rate(http_requests_total[5m])) > 0.05`

const latencyQuery = `histogram_quantile(0.99, sum by (le, namespace, service) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5`
