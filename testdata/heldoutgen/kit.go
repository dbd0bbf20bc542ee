package main

import (
	"crypto/sha256"
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

// m is an unstructured API object or field.
type m = map[string]any

// style is what the authors of the sets chose differently for what the kit
// writes.
type style struct {
	// scrape is the interval of every series.
	scrape time.Duration
	// nodeLabels and providerID describe a node by its name.
	nodeLabels func(name string) m
	providerID func(name string) string
	// hostIP is every running pod's.
	hostIP string
	// coreEvents writes events in the core/v1 shape unless a happening is
	// modern; otherwise in the events.k8s.io/v1 shape unless it is legacy.
	coreEvents bool
}

var (
	heldout2Style = style{
		scrape: 15 * time.Second,
		nodeLabels: func(name string) m {
			return m{"kubernetes.io/hostname": name, "kubernetes.io/arch": "amd64", "node.kubernetes.io/instance-type": "Standard_D8s_v5"}
		},
		providerID: func(name string) string { return "azure:///subscriptions/x/" + name },
		hostIP:     "10.224.0.4",
	}
	heldout3Style = style{
		scrape: 30 * time.Second,
		nodeLabels: func(name string) m {
			return m{"kubernetes.io/hostname": name, "kubernetes.io/arch": "amd64", "node.kubernetes.io/instance-type": "e2-standard-8", "cloud.google.com/gke-nodepool": "default-pool"}
		},
		providerID: func(name string) string { return "gce://shop-prod/europe-west1-b/" + name },
		hostIP:     "10.132.0.4",
		coreEvents: true,
	}
)

// current is the style of the set being written (main sets it once).
var current style

// fixture is one incident of a held-out set. The kit's choices differ from
// testdata/heldout/gen on purpose: objects are declared as whole manifests
// rather than assembled from options.
type fixture struct {
	name, story, source string
	now                 time.Time
	alert, expect       m
	objects             []m
	logs                map[string][]string
	series              map[string][]point // "family|type" -> points
}

type point struct {
	labels string
	at     time.Time
	value  float64
}

func newFixture(name, now string) *fixture {
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		panic(err)
	}
	return &fixture{name: name, now: t, logs: map[string][]string{}, series: map[string][]point{}}
}

// ago is now minus a duration written like "7m30s".
func (f *fixture) ago(d string) time.Time {
	dur, err := time.ParseDuration(d)
	if err != nil {
		panic(err)
	}
	return f.now.Add(-dur)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (f *fixture) id(parts ...string) string {
	sum := sha256.Sum256([]byte(f.name + "|" + strings.Join(parts, "|")))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (f *fixture) put(objs ...m) { f.objects = append(f.objects, objs...) }

// ---- alert and expectation ----

func (f *fixture) alertOn(labels map[string]string, summary, expr, since string, value float64) {
	l := m{}
	for k, v := range labels {
		l[k] = v
	}
	sum := sha256.Sum256([]byte(f.name + "/alert"))
	f.alert = m{"labels": l, "annotations": m{"summary": summary}, "status": "firing",
		"startsAt": stamp(f.ago(since)), "endsAt": "0001-01-01T00:00:00Z",
		"fingerprint": hex.EncodeToString(sum[:8]), "generatorURL": "https://alertmanager.ops.example/graph",
		"query": expr, "values": m{"A": value}}
}

func (f *fixture) answer(category, ns, kind, name string, mentions ...string) {
	f.expect = m{"category": category, "entity": m{"namespace": ns, "kind": kind, "name": name}, "mentions": mentions}
}

// ---- objects ----

func (f *fixture) node(name string, ready string, extra ...m) {
	conds := []any{
		m{"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory"},
		m{"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure"},
		m{"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID"},
		m{"type": "Ready", "status": ready, "reason": "KubeletReady", "message": "kubelet is posting ready status"},
	}
	for _, e := range extra {
		for i, c := range conds {
			if c.(m)["type"] == e["type"] {
				conds[i] = e
			}
		}
	}
	for _, c := range conds {
		if c.(m)["lastTransitionTime"] == nil {
			c.(m)["lastTransitionTime"] = stamp(f.ago("300h"))
		}
		c.(m)["lastHeartbeatTime"] = stamp(f.ago("40s"))
	}
	f.put(m{"apiVersion": "v1", "kind": "Node",
		"metadata": m{"name": name, "uid": f.id("node", name), "creationTimestamp": stamp(f.ago("900h")),
			"labels": current.nodeLabels(name)},
		"spec": m{"providerID": current.providerID(name)},
		"status": m{"conditions": conds,
			"capacity":    m{"cpu": "8", "memory": "32Gi", "pods": "110", "ephemeral-storage": "128Gi"},
			"allocatable": m{"cpu": "7820m", "memory": "29Gi", "pods": "110", "ephemeral-storage": "118Gi"},
			"nodeInfo":    m{"kubeletVersion": "v1.29.4", "containerRuntimeVersion": "containerd://1.7.15", "architecture": "amd64"}}})
}

// controller is what a pod names in its ownerReferences.
type controller struct{ apiVersion, kind, name, uid string }

func (c controller) refs() []any {
	return []any{m{"apiVersion": c.apiVersion, "kind": c.kind, "name": c.name, "uid": c.uid, "controller": true, "blockOwnerDeletion": true}}
}

// app describes a workload: a Deployment with one ReplicaSet per revision,
// a StatefulSet or a DaemonSet.
type app struct {
	kind, ns, name string
	labels         map[string]string
	replicas       int
	ready          int
	revisions      []revision // oldest first; Deployments only
	image          string     // StatefulSet/DaemonSet
	container      m          // the template's container (name, image, resources, probes)
	conditions     []any
}

type revision struct {
	hash, image     string
	replicas, ready int
	created         string // ago
}

// workload writes the object (and ReplicaSets) and returns the controller
// of the newest revision's pods.
func (f *fixture) workload(a app) controller {
	sel := m{}
	for k, v := range a.labels {
		sel[k] = v
	}
	uid := f.id(a.kind, a.ns, a.name)
	ctr := a.container
	if ctr == nil {
		ctr = m{"name": a.name, "image": a.image}
	}
	generation := len(a.revisions)
	if generation == 0 {
		generation = 1
	}
	meta := m{"name": a.name, "namespace": a.ns, "uid": uid, "generation": generation, "labels": sel,
		"creationTimestamp": stamp(f.ago("2000h")), "annotations": m{"deployment.kubernetes.io/revision": fmt.Sprint(generation)}}
	spec := m{"selector": m{"matchLabels": sel}, "template": m{"metadata": m{"labels": sel}, "spec": m{"containers": []any{ctr}}}}
	status := m{"observedGeneration": generation}
	switch a.kind {
	case "DaemonSet":
		status["desiredNumberScheduled"], status["currentNumberScheduled"] = a.replicas, a.replicas
		status["numberReady"], status["numberAvailable"], status["updatedNumberScheduled"] = a.ready, a.ready, a.replicas
		if a.ready < a.replicas {
			status["numberUnavailable"] = a.replicas - a.ready
		}
	default:
		spec["replicas"] = a.replicas
		status["replicas"], status["readyReplicas"], status["availableReplicas"] = a.replicas, a.ready, a.ready
		status["updatedReplicas"] = a.replicas
		if n := len(a.revisions); n > 0 {
			status["updatedReplicas"] = a.revisions[n-1].replicas
		}
		if a.kind == "StatefulSet" {
			spec["serviceName"] = a.name
			status["currentReplicas"] = a.replicas
		}
	}
	if a.conditions != nil {
		status["conditions"] = a.conditions
	}
	f.put(m{"apiVersion": "apps/v1", "kind": a.kind, "metadata": meta, "spec": spec, "status": status})
	owner := controller{"apps/v1", a.kind, a.name, uid}
	if a.kind != "Deployment" {
		return owner
	}
	var newest controller
	for i, r := range a.revisions {
		rsName := a.name + "-" + r.hash
		rsUID := f.id("rs", a.ns, rsName)
		labels := m{"pod-template-hash": r.hash}
		for k, v := range a.labels {
			labels[k] = v
		}
		c := m{}
		for k, v := range ctr {
			c[k] = v
		}
		c["image"] = r.image
		f.put(m{"apiVersion": "apps/v1", "kind": "ReplicaSet",
			"metadata": m{"name": rsName, "namespace": a.ns, "uid": rsUID, "labels": labels, "ownerReferences": owner.refs(),
				"creationTimestamp": stamp(f.ago(r.created)), "annotations": m{"deployment.kubernetes.io/revision": fmt.Sprint(i + 1)}},
			"spec":   m{"replicas": r.replicas, "selector": m{"matchLabels": labels}, "template": m{"metadata": m{"labels": labels}, "spec": m{"containers": []any{c}}}},
			"status": m{"replicas": r.replicas, "readyReplicas": r.ready, "availableReplicas": r.ready, "observedGeneration": 1}})
		newest = controller{"apps/v1", "ReplicaSet", rsName, rsUID}
	}
	return newest
}

// box is one container of a pod: spec and status together.
type box struct {
	name, image string
	resources   m
	probes      m // livenessProbe/readinessProbe/startupProbe -> probe
	env         []any
	mounts      []any
	ready       bool
	restarts    int
	state       m // {"running": ...} / {"waiting": ...} / {"terminated": ...}
	last        m // lastState
	command     []any
}

func running(f *fixture, since string) m { return m{"running": m{"startedAt": stamp(f.ago(since))}} }
func waiting(reason, msg string) m {
	w := m{"reason": reason}
	if msg != "" {
		w["message"] = msg
	}
	return m{"waiting": w}
}
func terminated(f *fixture, reason string, code int, from, to, msg string) m {
	t := m{"reason": reason, "exitCode": code, "startedAt": stamp(f.ago(from)), "finishedAt": stamp(f.ago(to)),
		"containerID": "containerd://" + strings.ReplaceAll(f.id("c", reason, from, to), "-", "")}
	if msg != "" {
		t["message"] = msg
	}
	return m{"terminated": t}
}

func limits(cpu, mem string) m {
	l := m{}
	if cpu != "" {
		l["cpu"] = cpu
	}
	if mem != "" {
		l["memory"] = mem
	}
	return m{"limits": l, "requests": l}
}

type podDef struct {
	ns, name, node, ip string
	owner              controller
	labels             map[string]string
	phase              string
	boxes              []box
	volumes            []any
	conditions         []any
	status             m // extra status fields (reason, message, nominatedNodeName)
	restartPolicy      string
	created            string
}

func (f *fixture) pod(p podDef) {
	if p.phase == "" {
		p.phase = "Running"
	}
	if p.created == "" {
		p.created = "30h"
	}
	if p.restartPolicy == "" {
		p.restartPolicy = "Always"
	}
	labels := m{}
	for k, v := range p.labels {
		labels[k] = v
	}
	meta := m{"name": p.name, "namespace": p.ns, "uid": f.id("pod", p.ns, p.name), "labels": labels,
		"creationTimestamp": stamp(f.ago(p.created))}
	if p.owner.kind != "" {
		meta["ownerReferences"] = p.owner.refs()
	}
	var specs, statuses []any
	allReady := true
	for _, b := range p.boxes {
		s := m{"name": b.name, "image": b.image, "imagePullPolicy": "IfNotPresent"}
		if b.resources != nil {
			s["resources"] = b.resources
		}
		for k, v := range b.probes {
			s[k] = v
		}
		if b.env != nil {
			s["env"] = b.env
		}
		if b.mounts != nil {
			s["volumeMounts"] = b.mounts
		}
		if b.command != nil {
			s["command"] = b.command
		}
		specs = append(specs, s)
		st := m{"name": b.name, "image": b.image, "ready": b.ready, "restartCount": b.restarts, "state": b.state,
			"started": b.state["running"] != nil}
		if b.last != nil {
			st["lastState"] = b.last
		} else {
			st["lastState"] = m{}
		}
		statuses = append(statuses, st)
		allReady = allReady && b.ready
	}
	spec := m{"containers": specs, "restartPolicy": p.restartPolicy, "serviceAccountName": "default",
		"terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst"}
	if p.node != "" {
		spec["nodeName"] = p.node
	}
	if p.volumes != nil {
		spec["volumes"] = p.volumes
	}
	status := m{"phase": p.phase, "qosClass": "Guaranteed"}
	for k, v := range p.status {
		status[k] = v
	}
	if p.node != "" && p.boxes[0].state != nil {
		status["podIP"], status["hostIP"], status["startTime"] = p.ip, current.hostIP, stamp(f.ago(p.created))
		status["containerStatuses"] = statuses
	}
	conds := p.conditions
	if conds == nil && p.node != "" {
		r := "True"
		if !allReady {
			r = "False"
		}
		at := stamp(f.ago(p.created))
		conds = []any{m{"type": "PodScheduled", "status": "True", "lastTransitionTime": at},
			m{"type": "Initialized", "status": "True", "lastTransitionTime": at},
			m{"type": "ContainersReady", "status": r, "lastTransitionTime": at},
			m{"type": "Ready", "status": r, "lastTransitionTime": at}}
	}
	if conds != nil {
		status["conditions"] = conds
	}
	f.put(m{"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status})
}

// svc writes a Service and its Endpoints; ready and notReady are pod IPs.
func (f *fixture) svc(ns, name string, selector map[string]string, port int, ready, notReady []string) {
	sel := m{}
	for k, v := range selector {
		sel[k] = v
	}
	f.put(m{"apiVersion": "v1", "kind": "Service",
		"metadata": m{"name": name, "namespace": ns, "uid": f.id("svc", ns, name), "creationTimestamp": stamp(f.ago("2000h"))},
		"spec": m{"type": "ClusterIP", "clusterIP": fmt.Sprintf("10.0.%d.%d", len(ns)*7%250, len(name)*13%250),
			"selector": sel, "ports": []any{m{"port": port, "targetPort": port, "protocol": "TCP"}}}})
	ep := m{"apiVersion": "v1", "kind": "Endpoints", "metadata": m{"name": name, "namespace": ns}}
	subset := m{"ports": []any{m{"port": port, "protocol": "TCP"}}}
	addrs := func(ips []string) []any {
		var out []any
		for _, ip := range ips {
			out = append(out, m{"ip": ip})
		}
		return out
	}
	if len(ready) > 0 {
		subset["addresses"] = addrs(ready)
	}
	if len(notReady) > 0 {
		subset["notReadyAddresses"] = addrs(notReady)
	}
	if len(ready)+len(notReady) > 0 {
		ep["subsets"] = []any{subset}
	}
	f.put(ep)
}

// happening is an event about an object, written in the set's event shape
// (current.coreEvents) unless legacy asks for core/v1 (message,
// involvedObject, count) or modern for events.k8s.io/v1 (note, regarding,
// series).
type happening struct {
	kind, ns, name, reason, note, typ, by string
	count                                 int
	first, last                           string // ago
	legacy, modern                        bool
}

func (f *fixture) event(h happening) {
	if h.typ == "" {
		h.typ = "Warning"
	}
	if h.by == "" {
		h.by = "kubelet"
	}
	if h.last == "" {
		h.last = h.first
	}
	api := map[string]string{"Deployment": "apps/v1", "ReplicaSet": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1",
		"Job": "batch/v1", "CronJob": "batch/v1", "HorizontalPodAutoscaler": "autoscaling/v2"}[h.kind]
	if api == "" {
		api = "v1"
	}
	prefix := strings.ToLower(h.kind)
	if h.kind == "Pod" {
		prefix = "pod"
	}
	about := m{"apiVersion": api, "kind": h.kind, "name": h.name, "uid": f.id(prefix, h.ns, h.name)}
	ns := h.ns
	if ns != "" {
		about["namespace"] = ns
	} else {
		ns = "default"
	}
	meta := m{"name": h.name + "." + strings.ReplaceAll(f.id("ev", h.name, h.reason, h.note), "-", "")[:15], "namespace": ns,
		"creationTimestamp": stamp(f.ago(h.first))}
	if h.legacy || (current.coreEvents && !h.modern) {
		if h.count == 0 {
			h.count = 1
		}
		f.put(m{"apiVersion": "v1", "kind": "Event", "metadata": meta, "involvedObject": about, "reason": h.reason,
			"message": h.note, "type": h.typ, "count": h.count, "firstTimestamp": stamp(f.ago(h.first)),
			"lastTimestamp": stamp(f.ago(h.last)), "source": m{"component": h.by}})
		return
	}
	e := m{"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": meta, "regarding": about, "reason": h.reason,
		"note": h.note, "type": h.typ, "action": h.reason, "reportingController": h.by, "reportingInstance": h.by,
		"eventTime": f.ago(h.first).UTC().Format("2006-01-02T15:04:05.000000Z")}
	if h.count > 1 {
		e["series"] = m{"count": h.count, "lastObservedTime": f.ago(h.last).UTC().Format("2006-01-02T15:04:05.000000Z")}
	}
	f.put(e)
}

// ---- logs ----

// say appends log lines to ns/pod/container (".previous" for the crashed
// one); each line starts with how long ago it was written, then a space.
func (f *fixture) say(path string, lines ...string) {
	for _, l := range lines {
		ago, text, _ := strings.Cut(l, " ")
		f.logs[path] = append(f.logs[path], f.ago(ago).UTC().Format(time.RFC3339Nano)+" "+text)
	}
}

// repeat writes text every step between from and to ago; {n} is the index.
func (f *fixture) repeat(path, from, to, step, text string) {
	d, _ := time.ParseDuration(step)
	for i, t := 0, f.ago(from); !t.After(f.ago(to)); i, t = i+1, t.Add(d) {
		f.logs[path] = append(f.logs[path], t.UTC().Format(time.RFC3339Nano)+" "+strings.ReplaceAll(text, "{n}", fmt.Sprint(i)))
	}
}

// ---- metrics (at the set's scrape interval) ----

// curve gives a value at t minutes relative to now (t <= 0); NaN skips.
type curve func(t float64) float64

func level(v float64) curve { return func(float64) float64 { return v } }

// ramp goes linearly from a (at minute from) to b (at minute to), flat outside.
func ramp(from, to, a, b float64) curve {
	return func(t float64) float64 {
		switch {
		case t <= from:
			return a
		case t >= to:
			return b
		}
		return a + (b-a)*(t-from)/(to-from)
	}
}

// after is before until minute at, then v.
func after(at, before, v float64) curve {
	return func(t float64) float64 {
		if t < at {
			return before
		}
		return v
	}
}

// gap hides samples between minutes a and b (a scrape outage).
func gap(c curve, a, b float64) curve {
	return func(t float64) float64 {
		if t >= a && t < b {
			return math.NaN()
		}
		return c(t)
	}
}

func labelString(kv ...string) string {
	pairs := make([]string, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, fmt.Sprintf("%s=%q", kv[i], kv[i+1]))
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}

// gauge samples c from 45 minutes ago until now.
func (f *fixture) gauge(name string, c curve, kv ...string) { f.sample(name, "gauge", c, kv) }

// counter integrates a per-second rate.
func (f *fixture) counter(name string, rate curve, kv ...string) {
	total, prev := 0.0, math.NaN()
	f.sample(name, "counter", func(t float64) float64 {
		if !math.IsNaN(prev) {
			total += rate(t) * (t - prev) * 60
		}
		prev = t
		return math.Round(total*1000) / 1000
	}, kv)
}

func (f *fixture) sample(name, typ string, c curve, kv []string) {
	key := name + "|" + typ
	ls := labelString(kv...)
	for at := f.ago("45m"); !at.After(f.now); at = at.Add(current.scrape) {
		v := c(at.Sub(f.now).Minutes())
		if math.IsNaN(v) {
			continue
		}
		f.series[key] = append(f.series[key], point{ls, at, v})
	}
}

// container writes the cAdvisor and kube-state-metrics series of one
// container: working set (MiB), memory limit (MiB), CPU cores used, CPU limit,
// throttled share of periods, restarts.
func (f *fixture) container(ns, pod, ctr string, memMiB curve, limMiB float64, cores curve, cpuLimit float64, throttled curve, restarts curve) {
	id := []string{"namespace", ns, "pod", pod, "container", ctr}
	f.gauge("container_memory_working_set_bytes", func(t float64) float64 { return math.Round(memMiB(t) * 1048576) },
		append(id, "job", "kubernetes-cadvisor", "image", "sha256:x")...)
	if limMiB > 0 {
		f.gauge("kube_pod_container_resource_limits", level(limMiB*1048576), append(id, "resource", "memory", "unit", "byte", "job", "kube-state-metrics")...)
	}
	if cores != nil {
		f.counter("container_cpu_usage_seconds", cores, append(id, "job", "kubernetes-cadvisor", "cpu", "total")...)
	}
	if cpuLimit > 0 {
		f.gauge("kube_pod_container_resource_limits", level(cpuLimit), append(id, "resource", "cpu", "unit", "core", "job", "kube-state-metrics")...)
		f.counter("container_cpu_cfs_periods", level(10), append(id, "job", "kubernetes-cadvisor")...)
		if throttled != nil {
			f.counter("container_cpu_cfs_throttled_periods", func(t float64) float64 { return 10 * throttled(t) }, append(id, "job", "kubernetes-cadvisor")...)
		}
	}
	if restarts == nil {
		restarts = level(0)
	}
	f.sample("kube_pod_container_status_restarts", "counter", restarts, append(id, "job", "kube-state-metrics", "uid", f.id("pod", ns, pod)))
}

// requests writes http_requests_total (rps by code) and a latency histogram
// around p50 seconds for one pod of a service.
func (f *fixture) requests(ns, service, pod string, ok, failed curve, p50 curve) {
	id := []string{"namespace", ns, "service", service, "pod", pod, "job", service}
	f.counter("http_requests", ok, append(id, "code", "200", "method", "GET")...)
	f.counter("http_requests", failed, append(id, "code", "500", "method", "GET")...)
	if p50 == nil {
		return
	}
	all := func(t float64) float64 { return ok(t) + failed(t) }
	for _, le := range []string{"0.025", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"} {
		bound := math.Inf(1)
		if le != "+Inf" {
			fmt.Sscan(le, &bound)
		}
		b := bound
		f.counter("http_request_duration_seconds_bucket", func(t float64) float64 {
			if math.IsInf(b, 1) {
				return all(t)
			}
			return all(t) * (1 - math.Pow(0.5, b/p50(t)))
		}, append(id, "le", le)...)
	}
}

// ---- writing ----

func (f *fixture) write(root string) error {
	dir := filepath.Join(root, f.name)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	head := m{"name": f.name, "now": stamp(f.now), "alert": f.alert, "expect": f.expect,
		"description": strings.TrimSpace(f.story) + "\n\nSource: " + f.source}
	if err := save(filepath.Join(dir, "scenario.yaml"), head); err != nil {
		return err
	}
	var docs []string
	for _, o := range f.objects {
		raw, err := yaml.Marshal(o)
		if err != nil {
			return err
		}
		docs = append(docs, string(raw))
	}
	if err := store(filepath.Join(dir, "kube", "cluster.yaml"), []byte(strings.Join(docs, "---\n"))); err != nil {
		return err
	}
	for path, lines := range f.logs {
		sort.SliceStable(lines, func(i, j int) bool { return lines[i][:20] < lines[j][:20] })
		if err := store(filepath.Join(dir, "logs", filepath.FromSlash(path)+".log"), []byte(strings.Join(lines, "\n")+"\n")); err != nil {
			return err
		}
	}
	if len(f.series) == 0 {
		return nil
	}
	return store(filepath.Join(dir, "metrics.om"), []byte(f.openMetrics()))
}

func (f *fixture) openMetrics() string {
	keys := make([]string, 0, len(f.series))
	for k := range f.series {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		name, typ, _ := strings.Cut(k, "|")
		family, sampleName := name, name
		switch {
		case typ == "counter" && strings.HasSuffix(name, "_bucket"):
			family, typ = strings.TrimSuffix(name, "_bucket"), "histogram"
		case typ == "counter":
			sampleName = name + "_total"
		}
		fmt.Fprintf(&b, "# TYPE %s %s\n", family, typ)
		pts := f.series[k]
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].labels < pts[j].labels })
		for _, p := range pts {
			fmt.Fprintf(&b, "%s{%s} %s %d\n", sampleName, p.labels, number(p.value), p.at.Unix())
		}
	}
	b.WriteString("# EOF\n")
	return b.String()
}

func number(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%g", v)
}

func save(path string, v any) error {
	raw, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	return store(path, raw)
}

func store(path string, raw []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}
