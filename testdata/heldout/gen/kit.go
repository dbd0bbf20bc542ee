package main

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// obj is a Kubernetes object as the API returns it, unstructured.
type obj = map[string]any

// incident is one held-out scenario under construction. Unlike the in-sample
// generator, nothing here is derived from a timeline: every object, log line
// and series is stated by the case that writes it, the way an SRE copies
// `kubectl get -o yaml` output and log excerpts into a report.
type incident struct {
	name    string
	summary string
	source  string
	now     time.Time
	alert   obj
	expect  obj
	objects []obj
	logs    map[string][]string // "ns/pod/container[.previous]" -> lines with timestamps
	metrics map[string]*family  // by family name
}

func newIncident(name, now string) *incident {
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		panic(err)
	}
	return &incident{name: name, now: t, logs: map[string][]string{}, metrics: map[string]*family{}}
}

// at is a time relative to now, e.g. at("-12m").
func (in *incident) at(offset string) time.Time {
	d, err := time.ParseDuration(offset)
	if err != nil {
		panic(err)
	}
	return in.now.Add(d)
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// uid is stable per incident and object so regenerating is byte-identical.
func (in *incident) uid(parts ...string) string {
	h := sha1.Sum([]byte(in.name + "/" + strings.Join(parts, "/")))
	s := hex.EncodeToString(h[:16])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

func (in *incident) add(o ...obj) { in.objects = append(in.objects, o...) }

// fire sets the alert; labels and annotations as Alertmanager sends them.
func (in *incident) fire(labels map[string]string, summary, query, startsAgo string, value float64) {
	l := obj{}
	for k, v := range labels {
		l[k] = v
	}
	fp := sha1.Sum([]byte(in.name + "alert"))
	in.alert = obj{
		"labels":       l,
		"annotations":  obj{"summary": summary},
		"status":       "firing",
		"startsAt":     ts(in.at("-" + startsAgo)),
		"endsAt":       "0001-01-01T00:00:00Z",
		"fingerprint":  hex.EncodeToString(fp[:8]),
		"generatorURL": "http://prometheus.monitoring:9090/graph",
		"values":       obj{"A": value},
		"query":        query,
	}
}

func (in *incident) want(category, ns, kind, name string, mentions ...string) {
	in.expect = obj{"category": category,
		"entity":   obj{"namespace": ns, "kind": kind, "name": name},
		"mentions": mentions}
}

// log appends lines to a container log; each line is "offset text", the
// offset relative to now ("-9m30s").
func (in *incident) log(path string, lines ...string) {
	for _, l := range lines {
		off, text, ok := strings.Cut(l, " ")
		if !ok {
			panic("log line without offset: " + l)
		}
		in.logs[path] = append(in.logs[path], in.at(off).UTC().Format(time.RFC3339Nano)+" "+text)
	}
}

// logEvery repeats a line from..to every step; %d in text becomes the index.
func (in *incident) logEvery(path, from, to, step, text string) {
	d, _ := time.ParseDuration(step)
	for i, t := 0, in.at(from); !t.After(in.at(to)); i, t = i+1, t.Add(d) {
		line := text
		if strings.Contains(text, "%d") {
			line = fmt.Sprintf(text, i)
		}
		in.logs[path] = append(in.logs[path], t.UTC().Format(time.RFC3339Nano)+" "+line)
	}
}

// ---- objects ----

type ctr struct {
	name, image           string
	ready                 bool
	restarts              int
	waiting, waitingMsg   string // reason of a waiting container
	running               string // startedAt offset of a running container
	last                  *term  // lastState.terminated
	terminated            *term  // state.terminated
	memLimit, cpuLimit    string
	memReq, cpuReq        string
	liveness, readiness   obj
	envFrom               []obj
	env                   []obj
	ports                 []obj
	args                  []string
	claim, claimMountPath string
}

type term struct {
	reason         string
	exit           int
	started, ended string // offsets
	message        string
}

func (in *incident) termObj(t *term) obj {
	o := obj{"reason": t.reason, "exitCode": t.exit, "startedAt": ts(in.at(t.started)), "finishedAt": ts(in.at(t.ended)),
		"containerID": "containerd://" + strings.ReplaceAll(in.uid("cid", t.started, t.ended), "-", "")}
	if t.message != "" {
		o["message"] = t.message
	}
	return o
}

func httpProbe(path string, port any, period, timeout, failures int) obj {
	return obj{"httpGet": obj{"path": path, "port": port, "scheme": "HTTP"}, "periodSeconds": period,
		"timeoutSeconds": timeout, "failureThreshold": failures, "successThreshold": 1}
}

// owner is a controller reference.
type owner struct{ kind, name, uid string }

func (o owner) ref() []any {
	api := "apps/v1"
	if o.kind == "Job" || o.kind == "CronJob" {
		api = "batch/v1"
	}
	return []any{obj{"apiVersion": api, "kind": o.kind, "name": o.name, "uid": o.uid, "controller": true, "blockOwnerDeletion": true}}
}

type podSpec struct {
	ns, name, node, ip string
	owner              owner
	labels             map[string]string
	phase              string // default Running
	created            string
	containers         []ctr
	initContainers     []ctr
	reason, message    string
	restartPolicy      string
	conditions         []obj // overrides the computed ones
}

func (in *incident) pod(p podSpec) obj {
	if p.phase == "" {
		p.phase = "Running"
	}
	if p.created == "" {
		p.created = "-72h"
	}
	if p.restartPolicy == "" {
		p.restartPolicy = "Always"
	}
	labels := obj{}
	for k, v := range p.labels {
		labels[k] = v
	}
	meta := obj{"name": p.name, "namespace": p.ns, "uid": in.uid("pod", p.ns, p.name), "labels": labels,
		"creationTimestamp": ts(in.at(p.created)), "resourceVersion": "1"}
	if p.owner.kind != "" {
		meta["ownerReferences"] = p.owner.ref()
	}
	var specCtrs, initSpec, statuses, initStatuses []any
	allReady := true
	var volumes []any
	build := func(c ctr) (obj, obj) {
		res := obj{}
		lim, req := obj{}, obj{}
		if c.memLimit != "" {
			lim["memory"] = c.memLimit
		}
		if c.cpuLimit != "" {
			lim["cpu"] = c.cpuLimit
		}
		if c.memReq != "" {
			req["memory"] = c.memReq
		}
		if c.cpuReq != "" {
			req["cpu"] = c.cpuReq
		}
		if len(lim) > 0 {
			res["limits"] = lim
		}
		if len(req) > 0 {
			res["requests"] = req
		}
		spec := obj{"name": c.name, "image": c.image, "imagePullPolicy": "IfNotPresent", "resources": res,
			"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
		if c.liveness != nil {
			spec["livenessProbe"] = c.liveness
		}
		if c.readiness != nil {
			spec["readinessProbe"] = c.readiness
		}
		if len(c.envFrom) > 0 {
			spec["envFrom"] = toAny(c.envFrom)
		}
		if len(c.env) > 0 {
			spec["env"] = toAny(c.env)
		}
		if len(c.ports) > 0 {
			spec["ports"] = toAny(c.ports)
		}
		if len(c.args) > 0 {
			spec["args"] = c.args
		}
		if c.claim != "" {
			spec["volumeMounts"] = []any{obj{"name": "data", "mountPath": c.claimMountPath}}
			volumes = append(volumes, obj{"name": "data", "persistentVolumeClaim": obj{"claimName": c.claim}})
		}
		st := obj{"name": c.name, "image": c.image, "imageID": "", "ready": c.ready, "restartCount": c.restarts,
			"started": c.running != ""}
		switch {
		case c.waiting != "":
			w := obj{"reason": c.waiting}
			if c.waitingMsg != "" {
				w["message"] = c.waitingMsg
			}
			st["state"] = obj{"waiting": w}
		case c.terminated != nil:
			st["state"] = obj{"terminated": in.termObj(c.terminated)}
		case c.running == "":
			st["state"] = obj{"waiting": obj{"reason": "ContainerCreating"}}
		default:
			st["state"] = obj{"running": obj{"startedAt": ts(in.at(c.running))}}
		}
		if c.last != nil {
			st["lastState"] = obj{"terminated": in.termObj(c.last)}
		} else {
			st["lastState"] = obj{}
		}
		return spec, st
	}
	for _, c := range p.initContainers {
		s, st := build(c)
		initSpec = append(initSpec, s)
		initStatuses = append(initStatuses, st)
	}
	for _, c := range p.containers {
		s, st := build(c)
		specCtrs = append(specCtrs, s)
		statuses = append(statuses, st)
		allReady = allReady && c.ready
	}
	spec := obj{"containers": specCtrs, "restartPolicy": p.restartPolicy, "dnsPolicy": "ClusterFirst",
		"schedulerName": "default-scheduler", "serviceAccountName": "default", "terminationGracePeriodSeconds": 30}
	if p.node != "" {
		spec["nodeName"] = p.node
	}
	if len(initSpec) > 0 {
		spec["initContainers"] = initSpec
	}
	if len(volumes) > 0 {
		spec["volumes"] = volumes
	}
	status := obj{"phase": p.phase, "qosClass": "Burstable"}
	if p.reason != "" {
		status["reason"] = p.reason
	}
	if p.message != "" {
		status["message"] = p.message
	}
	if p.node != "" {
		status["hostIP"] = "10.40.0.10"
		status["podIP"] = p.ip
		status["startTime"] = ts(in.at(p.created))
		status["containerStatuses"] = statuses
		if len(initStatuses) > 0 {
			status["initContainerStatuses"] = initStatuses
		}
	}
	conds := p.conditions
	if conds == nil && p.node != "" {
		ready := "True"
		if !allReady {
			ready = "False"
		}
		t := ts(in.at(p.created))
		conds = []obj{
			{"type": "PodScheduled", "status": "True", "lastTransitionTime": t},
			{"type": "Initialized", "status": "True", "lastTransitionTime": t},
			{"type": "ContainersReady", "status": ready, "lastTransitionTime": t},
			{"type": "Ready", "status": ready, "lastTransitionTime": t},
		}
	}
	status["conditions"] = toAny(conds)
	return obj{"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}
}

func toAny(in []obj) []any {
	out := make([]any, len(in))
	for i, o := range in {
		out[i] = o
	}
	return out
}

// workload writes a Deployment (and its ReplicaSet) or a StatefulSet or a
// DaemonSet and returns the owner the pods reference.
type wl struct {
	kind, ns, name           string
	replicas, ready, updated int
	labels                   map[string]string
	image                    string
	rsHash                   string // ReplicaSet suffix of the current revision
	revision                 int
	created                  string
	conditions               []obj
	oldRS                    string // previous ReplicaSet suffix, if any
	oldImage                 string
	rsCreated                string
}

func (in *incident) workload(w wl) owner {
	if w.created == "" {
		w.created = "-2160h"
	}
	if w.revision == 0 {
		w.revision = 1
	}
	sel := obj{}
	for k, v := range w.labels {
		sel[k] = v
	}
	uid := in.uid(w.kind, w.ns, w.name)
	meta := obj{"name": w.name, "namespace": w.ns, "uid": uid, "labels": sel, "generation": w.revision,
		"creationTimestamp": ts(in.at(w.created)), "annotations": obj{"deployment.kubernetes.io/revision": fmt.Sprint(w.revision)}}
	tmpl := obj{"metadata": obj{"labels": sel}, "spec": obj{"containers": []any{obj{"name": w.name, "image": w.image}}}}
	status := obj{"replicas": w.replicas, "readyReplicas": w.ready, "availableReplicas": w.ready, "updatedReplicas": w.updated,
		"observedGeneration": w.revision}
	if w.conditions != nil {
		status["conditions"] = toAny(w.conditions)
	}
	spec := obj{"replicas": w.replicas, "selector": obj{"matchLabels": sel}, "template": tmpl}
	api := "apps/v1"
	switch w.kind {
	case "StatefulSet":
		spec["serviceName"] = w.name
		status["currentReplicas"] = w.updated
	case "DaemonSet":
		delete(spec, "replicas")
		status = obj{"desiredNumberScheduled": w.replicas, "numberReady": w.ready, "currentNumberScheduled": w.replicas,
			"updatedNumberScheduled": w.updated, "numberAvailable": w.ready, "observedGeneration": w.revision}
	}
	in.add(obj{"apiVersion": api, "kind": w.kind, "metadata": meta, "spec": spec, "status": status})
	own := owner{w.kind, w.name, uid}
	if w.kind != "Deployment" {
		return own
	}
	rs := func(hash, image string, replicas, ready, revision int, created string) owner {
		name := w.name + "-" + hash
		rsUID := in.uid("rs", w.ns, name)
		lbl := obj{"pod-template-hash": hash}
		for k, v := range w.labels {
			lbl[k] = v
		}
		in.add(obj{"apiVersion": "apps/v1", "kind": "ReplicaSet",
			"metadata": obj{"name": name, "namespace": w.ns, "uid": rsUID, "labels": lbl, "ownerReferences": own.ref(),
				"creationTimestamp": ts(in.at(created)),
				"annotations":       obj{"deployment.kubernetes.io/revision": fmt.Sprint(revision)}},
			"spec": obj{"replicas": replicas, "selector": obj{"matchLabels": lbl},
				"template": obj{"metadata": obj{"labels": lbl}, "spec": obj{"containers": []any{obj{"name": w.name, "image": image}}}}},
			"status": obj{"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready, "observedGeneration": 1}})
		return owner{"ReplicaSet", name, rsUID}
	}
	if w.oldRS != "" {
		rs(w.oldRS, w.oldImage, w.replicas-w.updated, w.ready-min(w.ready, w.updated), w.revision-1, w.created)
	}
	created := w.rsCreated
	if created == "" {
		created = w.created
	}
	return rs(w.rsHash, w.image, w.updated, min(w.ready, w.updated), w.revision, created)
}

type ev struct {
	kind, ns, name, reason, msg, typ string
	count                            int
	first, last                      string
	component                        string
	fieldPath                        string
	series                           bool // the events.k8s.io shape with eventTime/series
}

func (in *incident) event(e ev) obj {
	if e.typ == "" {
		e.typ = "Warning"
	}
	if e.count == 0 {
		e.count = 1
	}
	if e.component == "" {
		e.component = "kubelet"
	}
	api := "v1"
	if e.kind == "Deployment" || e.kind == "ReplicaSet" || e.kind == "StatefulSet" || e.kind == "DaemonSet" {
		api = "apps/v1"
	}
	if e.kind == "Job" || e.kind == "CronJob" {
		api = "batch/v1"
	}
	involved := obj{"apiVersion": api, "kind": e.kind, "name": e.name, "uid": in.uid(strings.ToLower(e.kind), e.ns, e.name)}
	if e.ns != "" {
		involved["namespace"] = e.ns
	}
	if e.kind == "Pod" {
		involved["uid"] = in.uid("pod", e.ns, e.name)
	}
	if e.fieldPath != "" {
		involved["fieldPath"] = e.fieldPath
	}
	name := fmt.Sprintf("%s.%s", e.name, strings.ReplaceAll(in.uid("ev", e.name, e.reason, e.msg), "-", "")[:16])
	ns := e.ns
	if ns == "" {
		ns = "default"
	}
	meta := obj{"name": name, "namespace": ns, "creationTimestamp": ts(in.at(e.first))}
	if e.series {
		o := obj{"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": meta, "regarding": involved,
			"reason": e.reason, "note": e.msg, "type": e.typ, "action": "Scheduling",
			"reportingController": e.component, "reportingInstance": e.component + "-1",
			"eventTime": in.at(e.first).UTC().Format("2006-01-02T15:04:05.000000Z")}
		if e.count > 1 {
			o["series"] = obj{"count": e.count, "lastObservedTime": in.at(e.last).UTC().Format("2006-01-02T15:04:05.000000Z")}
		}
		return o
	}
	last := e.last
	if last == "" {
		last = e.first
	}
	return obj{"apiVersion": "v1", "kind": "Event", "metadata": meta, "involvedObject": involved, "reason": e.reason,
		"message": e.msg, "type": e.typ, "count": e.count, "firstTimestamp": ts(in.at(e.first)),
		"lastTimestamp": ts(in.at(last)), "source": obj{"component": e.component}, "reportingComponent": e.component}
}

func (in *incident) events(es ...ev) {
	for _, e := range es {
		in.add(in.event(e))
	}
}

func (in *incident) node(name string, ready bool, extra ...obj) obj {
	st := "True"
	reason, msg := "KubeletReady", "kubelet is posting ready status"
	if !ready {
		st, reason, msg = "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."
	}
	conds := []any{
		obj{"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "lastTransitionTime": ts(in.at("-720h"))},
		obj{"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure", "lastTransitionTime": ts(in.at("-720h"))},
		obj{"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID", "lastTransitionTime": ts(in.at("-720h"))},
		obj{"type": "Ready", "status": st, "reason": reason, "message": msg, "lastTransitionTime": ts(in.at("-720h"))},
	}
	for _, e := range extra {
		for i, c := range conds {
			if c.(obj)["type"] == e["type"] {
				conds[i] = e
			}
		}
	}
	return obj{"apiVersion": "v1", "kind": "Node",
		"metadata": obj{"name": name, "uid": in.uid("node", name), "labels": obj{"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"},
			"creationTimestamp": ts(in.at("-720h"))},
		"spec": obj{},
		"status": obj{"conditions": conds,
			"capacity":    obj{"cpu": "4", "memory": "16Gi", "pods": "58", "ephemeral-storage": "80Gi"},
			"allocatable": obj{"cpu": "3920m", "memory": "15Gi", "pods": "58", "ephemeral-storage": "72Gi"}}}
}

func (in *incident) service(ns, name string, selector map[string]string, port int, ready, notReady []string) {
	sel := obj{}
	for k, v := range selector {
		sel[k] = v
	}
	in.add(obj{"apiVersion": "v1", "kind": "Service",
		"metadata": obj{"name": name, "namespace": ns, "uid": in.uid("svc", ns, name), "creationTimestamp": ts(in.at("-2160h"))},
		"spec": obj{"selector": sel, "type": "ClusterIP", "clusterIP": "10.100." + fmt.Sprint(len(name)) + "." + fmt.Sprint(port%250),
			"ports": []any{obj{"name": "tcp", "port": port, "targetPort": port, "protocol": "TCP"}}}})
	subset := obj{"ports": []any{obj{"name": "tcp", "port": port, "protocol": "TCP"}}}
	addr := func(ips []string) []any {
		var out []any
		for _, ip := range ips {
			out = append(out, obj{"ip": ip})
		}
		return out
	}
	if len(ready) > 0 {
		subset["addresses"] = addr(ready)
	}
	if len(notReady) > 0 {
		subset["notReadyAddresses"] = addr(notReady)
	}
	ep := obj{"apiVersion": "v1", "kind": "Endpoints", "metadata": obj{"name": name, "namespace": ns}}
	if len(ready)+len(notReady) > 0 {
		ep["subsets"] = []any{subset}
	}
	in.add(ep)
}

// ---- metrics ----

type sample struct {
	labels map[string]string
	t      time.Time
	v      float64
}

type family struct {
	name, typ string
	samples   []sample
}

// series adds samples every 30s from "from" to now; f gets minutes relative
// to now (negative) and returns the value.
func (in *incident) series(name, typ string, labels map[string]string, from string, f func(m float64) float64) {
	fam := in.metrics[name]
	if fam == nil {
		fam = &family{name: name, typ: typ}
		in.metrics[name] = fam
	}
	for t := in.at(from); !t.After(in.now); t = t.Add(30 * time.Second) {
		m := t.Sub(in.now).Minutes()
		v := f(m)
		if math.IsNaN(v) {
			continue
		}
		fam.samples = append(fam.samples, sample{labels, t, v})
	}
}

func flat(v float64) func(float64) float64 { return func(float64) float64 { return v } }

// step is a before value until minute at (relative), after value from then.
func step(before, after, at float64) func(float64) float64 {
	return func(m float64) float64 {
		if m < at {
			return before
		}
		return after
	}
}

// counter integrates a per-second rate function into a counter.
func counter(rate func(m float64) float64) func(float64) float64 {
	total, last := 0.0, math.NaN()
	return func(m float64) float64 {
		if !math.IsNaN(last) {
			total += rate(m) * (m - last) * 60
		}
		last = m
		return math.Round(total)
	}
}

func lbl(kv ...string) map[string]string {
	out := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range lbl(kv...) {
		out[k] = v
	}
	return out
}

// httpSeries writes http_requests_total for a service's pod: ok and 5xx
// rates per second, and a latency histogram whose typical latency follows lat
// (seconds).
func (in *incident) httpSeries(ns, svc, pod string, okRate, errRate, lat func(m float64) float64) {
	base := lbl("namespace", ns, "service", svc, "pod", pod, "job", ns+"/"+svc)
	in.series("http_requests", "counter", with(base, "code", "200"), "-60m", counter(okRate))
	in.series("http_requests", "counter", with(base, "code", "503"), "-60m", counter(errRate))
	if lat == nil {
		return
	}
	total := func(m float64) float64 { return okRate(m) + errRate(m) }
	for _, le := range []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10} {
		share := func(m float64) float64 {
			// an exponential latency distribution around lat(m)
			return total(m) * (1 - math.Exp(-le/lat(m)))
		}
		in.series("http_request_duration_seconds", "histogram", with(base, "le", fmt.Sprint(le)), "-60m", counter(share))
	}
	in.series("http_request_duration_seconds", "histogram", with(base, "le", "+Inf"), "-60m", counter(total))
}

// podSeries writes the kube-state-metrics and cAdvisor series of a container.
func (in *incident) podSeries(ns, pod, container string, memMiB func(float64) float64, memLimitMiB float64, cpu func(float64) float64, cpuLimit float64, restarts func(float64) float64) {
	base := lbl("namespace", ns, "pod", pod, "container", container)
	in.series("container_memory_working_set_bytes", "gauge", with(base, "job", "kubelet"), "-60m", func(m float64) float64 { return math.Round(memMiB(m) * 1048576) })
	if memLimitMiB > 0 {
		in.series("kube_pod_container_resource_limits", "gauge", with(base, "resource", "memory", "unit", "byte", "job", "kube-state-metrics"), "-60m", flat(memLimitMiB*1048576))
	}
	if cpu != nil {
		in.series("container_cpu_usage_seconds", "counter", with(base, "job", "kubelet"), "-60m", func() func(float64) float64 {
			total, last := 0.0, math.NaN()
			return func(m float64) float64 {
				if !math.IsNaN(last) {
					total += cpu(m) * (m - last) * 60
				}
				last = m
				return math.Round(total*1000) / 1000
			}
		}())
	}
	if cpuLimit > 0 {
		in.series("kube_pod_container_resource_limits", "gauge", with(base, "resource", "cpu", "unit", "core", "job", "kube-state-metrics"), "-60m", flat(cpuLimit))
	}
	if restarts == nil {
		restarts = flat(0)
	}
	in.series("kube_pod_container_status_restarts", "counter", with(base, "job", "kube-state-metrics"), "-60m", restarts)
}

// ---- writing ----

func (in *incident) write(root string) error {
	dir := filepath.Join(root, in.name)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	desc := strings.TrimSpace(in.summary) + "\n\nSource: " + in.source
	meta := obj{"name": in.name, "description": desc, "now": ts(in.now), "alert": in.alert, "expect": in.expect}
	if err := writeYAML(filepath.Join(dir, "scenario.yaml"), meta); err != nil {
		return err
	}
	if len(in.objects) > 0 {
		items := make([]any, len(in.objects))
		for i, o := range in.objects {
			items[i] = o
		}
		list := obj{"apiVersion": "v1", "kind": "List", "metadata": obj{"resourceVersion": ""}, "items": items}
		if err := writeYAML(filepath.Join(dir, "kube", "objects.yaml"), list); err != nil {
			return err
		}
	}
	for path, lines := range in.logs {
		sort.SliceStable(lines, func(i, j int) bool { return lineTime(lines[i]).Before(lineTime(lines[j])) })
		file := filepath.Join(dir, "logs", filepath.FromSlash(path)) + ".log"
		if err := writeFile(file, []byte(strings.Join(lines, "\n")+"\n")); err != nil {
			return err
		}
	}
	if len(in.metrics) > 0 {
		if err := writeFile(filepath.Join(dir, "metrics.om"), []byte(in.openMetrics())); err != nil {
			return err
		}
	}
	return nil
}

func lineTime(l string) time.Time {
	s, _, _ := strings.Cut(l, " ")
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func (in *incident) openMetrics() string {
	names := make([]string, 0, len(in.metrics))
	for n := range in.metrics {
		names = append(names, n)
	}
	sort.Strings(names)
	var sb strings.Builder
	for _, n := range names {
		fam := in.metrics[n]
		fmt.Fprintf(&sb, "# TYPE %s %s\n", fam.name, fam.typ)
		suffix := ""
		switch fam.typ {
		case "counter":
			suffix = "_total"
		case "histogram":
			suffix = "_bucket"
		}
		// OpenMetrics wants the samples of one series together.
		byKey := map[string][]sample{}
		var keys []string
		for _, s := range fam.samples {
			k := labelText(s.labels)
			if _, ok := byKey[k]; !ok {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], s)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, s := range byKey[k] {
				fmt.Fprintf(&sb, "%s%s{%s} %s %d\n", fam.name, suffix, k, fmtFloat(s.v), s.t.Unix())
			}
		}
	}
	sb.WriteString("# EOF\n")
	return sb.String()
}

func labelText(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, l[k])
	}
	return strings.Join(parts, ",")
}

func fmtFloat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%g", v)
}

func writeYAML(path string, v any) error {
	raw, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeFile(path, raw)
}

func writeFile(path string, raw []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}
