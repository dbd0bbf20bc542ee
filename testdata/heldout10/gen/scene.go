package main

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"math"
	"strings"
	"time"
)

// alert is the alert context of DESIGN.md "Alert context".
type alert struct {
	Labels       map[string]string  `json:"labels"`
	Annotations  map[string]string  `json:"annotations"`
	Status       string             `json:"status"`
	StartsAt     string             `json:"startsAt"`
	EndsAt       string             `json:"endsAt"`
	Fingerprint  string             `json:"fingerprint"`
	GeneratorURL string             `json:"generatorURL,omitempty"`
	Query        string             `json:"query"`
	Values       map[string]float64 `json:"values"`
}

type entity struct {
	Namespace string `json:"namespace"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
}

type expect struct {
	Category string   `json:"category"`
	Entity   entity   `json:"entity"`
	Mentions []string `json:"mentions"`
}

// incident is one scenario directory.
type incident struct {
	name, summary, source string
	now                   time.Time
	alert                 alert
	expect                expect
	objects               []obj
	logs                  map[string][]logLine // ns/pod/container(.previous)
	metrics               []*family            // nil: no metrics.om
	herring               bool                 // carries an unrelated warning or a second, smaller problem
}

type logLine struct {
	at   time.Time
	text string
}

// base is the shared "now" of the set; every incident shifts it a little so
// the replays do not all look alike.
var base = time.Date(2026, 12, 3, 9, 40, 0, 0, time.UTC)

func newIncident(name string, offset time.Duration) *incident {
	return &incident{name: name, now: base.Add(offset), logs: map[string][]logLine{}}
}

func (in *incident) ago(d time.Duration) time.Time { return in.now.Add(-d) }

func (in *incident) add(objs ...obj) { in.objects = append(in.objects, objs...) }

// fire sets the alert; startsAt is given as a duration before now.
func (in *incident) fire(labels map[string]string, summary, description, query string, value float64, startedAgo time.Duration) {
	fp := fmt.Sprintf("%x", sha256.Sum256([]byte(in.name)))[:16]
	in.alert = alert{Labels: labels, Annotations: map[string]string{"summary": summary, "description": description},
		Status: "firing", StartsAt: ts(in.ago(startedAgo)), EndsAt: "0001-01-01T00:00:00Z", Fingerprint: fp,
		GeneratorURL: "https://contoso-weu-prod-grafana.weu.grafana.azure.com/alerting/grafana/" + hashOf(in.name, 10) + "/view",
		Query:        query, Values: map[string]float64{"A": value}}
	if labels["alertname"] != "" && !strings.HasPrefix(labels["alertname"], "grafana") && labels["__alert_rule_uid__"] == "" {
		in.alert.GeneratorURL = "http://prometheus-operated.monitoring:9090/graph?g0.expr=" + strings.ReplaceAll(query, " ", "+")
	}
}

func (in *incident) want(category, ns, kind, name string, mentions ...string) {
	in.expect = expect{Category: category, Entity: entity{Namespace: ns, Kind: kind, Name: name}, Mentions: mentions}
}

// logAt appends lines spaced step apart, starting at start, with a small
// deterministic jitter; a line never goes before the previous one.
func (in *incident) logAt(path string, start time.Time, step time.Duration, lines ...string) {
	var timed []logLine
	for i, l := range lines {
		j := time.Duration(len(l)%97) * time.Millisecond * 7
		timed = append(timed, logLine{at: start.Add(time.Duration(i)*step + j), text: l})
	}
	in.logLines(path, timed)
}

// logLines appends timed lines; a line that would go before the previous
// one (a traceback under its error line) follows it by a millisecond.
func (in *incident) logLines(path string, lines []logLine) {
	for _, l := range lines {
		if prev := in.logs[path]; len(prev) > 0 && !l.at.After(prev[len(prev)-1].at) {
			l.at = prev[len(prev)-1].at.Add(time.Millisecond)
		}
		in.logs[path] = append(in.logs[path], l)
	}
}

// --- workloads ---------------------------------------------------------

type workload struct {
	kind, ns, name string
	replicas       int
	tpl            podTemplate
	created        time.Time
	revision       int
	obj            obj
}

func (in *incident) deployment(ns, name string, replicas, ready int, tpl podTemplate, created time.Time, revision int) *workload {
	w := &workload{kind: "Deployment", ns: ns, name: name, replicas: replicas, tpl: tpl, created: created, revision: revision}
	sel := selectorLabels(tpl.labels)
	md := meta("Deployment", ns, name, created, tpl.labels)
	md["generation"] = revision + 1
	md["annotations"] = obj{"deployment.kubernetes.io/revision": fmt.Sprint(revision)}
	st := obj{"observedGeneration": revision + 1, "replicas": replicas, "updatedReplicas": replicas,
		"readyReplicas": ready, "availableReplicas": ready}
	if ready < replicas {
		st["unavailableReplicas"] = replicas - ready
	}
	avail := "True"
	if ready == 0 && replicas > 0 {
		avail = "False"
	}
	st["conditions"] = []any{
		obj{"type": "Available", "status": avail, "reason": map[bool]string{true: "MinimumReplicasAvailable", false: "MinimumReplicasUnavailable"}[avail == "True"],
			"lastTransitionTime": ts(created), "lastUpdateTime": ts(created)},
		obj{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "lastTransitionTime": ts(created), "lastUpdateTime": ts(created)},
	}
	w.obj = obj{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": md,
		"spec": obj{"replicas": replicas, "selector": obj{"matchLabels": sel}, "template": tpl.template(nil),
			"strategy": obj{"type": "RollingUpdate", "rollingUpdate": obj{"maxSurge": "25%", "maxUnavailable": "25%"}}},
		"status": st}
	in.add(w.obj)
	return w
}

func (in *incident) statefulSet(ns, name string, replicas, ready int, tpl podTemplate, created time.Time, claims []any) *workload {
	w := &workload{kind: "StatefulSet", ns: ns, name: name, replicas: replicas, tpl: tpl, created: created}
	spec := obj{"replicas": replicas, "serviceName": name, "selector": obj{"matchLabels": selectorLabels(tpl.labels)},
		"template": tpl.template(nil), "podManagementPolicy": "OrderedReady"}
	if len(claims) > 0 {
		spec["volumeClaimTemplates"] = claims
	}
	w.obj = obj{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta("StatefulSet", ns, name, created, tpl.labels),
		"spec": spec, "status": obj{"replicas": replicas, "readyReplicas": ready, "currentReplicas": replicas,
			"updatedReplicas": replicas, "availableReplicas": ready, "currentRevision": name + "-" + hashOf(name, 10)}}
	in.add(w.obj)
	return w
}

func (in *incident) daemonSet(ns, name string, desired, ready int, tpl podTemplate, created time.Time) *workload {
	w := &workload{kind: "DaemonSet", ns: ns, name: name, replicas: desired, tpl: tpl, created: created}
	w.obj = obj{"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta("DaemonSet", ns, name, created, tpl.labels),
		"spec": obj{"selector": obj{"matchLabels": selectorLabels(tpl.labels)}, "template": tpl.template(nil),
			"updateStrategy": obj{"type": "RollingUpdate"}},
		"status": obj{"desiredNumberScheduled": desired, "currentNumberScheduled": desired, "numberReady": ready,
			"numberAvailable": ready, "numberUnavailable": desired - ready, "updatedNumberScheduled": desired, "numberMisscheduled": 0}}
	in.add(w.obj)
	return w
}

// rollout adds a Deployment at revision, created age ago, and its current
// ReplicaSet of the same template, created rsAge ago.
func (in *incident) rollout(ns, name string, tpl podTemplate, replicas, ready, revision int, age, rsAge time.Duration) (*workload, *workload) {
	d := in.deployment(ns, name, replicas, ready, tpl, in.ago(age), revision)
	return d, in.replicaSet(d, tpl, revision, replicas, ready, in.ago(rsAge))
}

// replicaSet adds the ReplicaSet of a Deployment for one template revision.
func (in *incident) replicaSet(d *workload, tpl podTemplate, revision, replicas, ready int, created time.Time) *workload {
	hash := hashOf(d.name+fmt.Sprint(revision), 10)
	name := d.name + "-" + hash
	extra := map[string]any{"pod-template-hash": hash}
	l := map[string]any{}
	for k, v := range tpl.labels {
		l[k] = v
	}
	l["pod-template-hash"] = hash
	md := meta("ReplicaSet", d.ns, name, created, l)
	md["ownerReferences"] = ownerRef(d.obj)
	md["annotations"] = obj{"deployment.kubernetes.io/revision": fmt.Sprint(revision),
		"deployment.kubernetes.io/desired-replicas": fmt.Sprint(d.replicas)}
	sel := selectorLabels(tpl.labels)
	sel["pod-template-hash"] = hash
	rs := obj{"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": md,
		"spec":   obj{"replicas": replicas, "selector": obj{"matchLabels": sel}, "template": tpl.template(extra)},
		"status": obj{"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready, "fullyLabeledReplicas": replicas, "observedGeneration": 1}}
	in.add(rs)
	return &workload{kind: "ReplicaSet", ns: d.ns, name: name, tpl: podTemplate{labels: l, containers: tpl.containers,
		nodeSelector: tpl.nodeSelector, tolerations: tpl.tolerations, volumes: tpl.volumes, serviceAccount: tpl.serviceAccount,
		annotations: tpl.annotations, extra: tpl.extra}, created: created, obj: rs}
}

// pod adds a pod owned by owner. node "" means not scheduled.
func (in *incident) pod(owner *workload, podName, node, ip string, phase string, started time.Time, statuses ...cs) obj {
	if podName == "" {
		podName = owner.name + "-" + hashOf(fmt.Sprint(owner.name, ip, node, len(in.objects)), 5)
	}
	l := map[string]any{}
	for k, v := range owner.tpl.labels {
		l[k] = v
	}
	if owner.kind == "StatefulSet" {
		l["statefulset.kubernetes.io/pod-name"] = podName
	}
	md := meta("Pod", owner.ns, podName, started, l)
	md["ownerReferences"] = ownerRef(owner.obj)
	if owner.kind == "ReplicaSet" || owner.kind == "Job" {
		md["generateName"] = owner.name + "-"
	}
	if len(owner.tpl.annotations) > 0 {
		md["annotations"] = owner.tpl.annotations
	}
	spec := owner.tpl.spec()
	if owner.kind == "Job" {
		spec["restartPolicy"] = "Never"
	}
	if node != "" {
		spec["nodeName"] = node
	}
	var css []any
	allReady := len(statuses) > 0
	for _, c := range statuses {
		css = append(css, c.status())
		allReady = allReady && c.ready
	}
	st := obj{"phase": phase, "qosClass": "Burstable"}
	ready := map[bool]string{true: "True", false: "False"}[allReady]
	conds := []any{obj{"type": "PodScheduled", "status": map[bool]string{true: "True", false: "False"}[node != ""], "lastTransitionTime": ts(started)}}
	if node != "" {
		st["hostIP"] = nodeIP(node)
		st["startTime"] = ts(started)
		if ip != "" {
			st["podIP"] = ip
			st["podIPs"] = []any{obj{"ip": ip}}
		}
		conds = append(conds,
			obj{"type": "Initialized", "status": "True", "lastTransitionTime": ts(started)},
			obj{"type": "ContainersReady", "status": ready, "lastTransitionTime": ts(started.Add(20 * time.Second))},
			obj{"type": "Ready", "status": ready, "lastTransitionTime": ts(started.Add(20 * time.Second))})
		st["containerStatuses"] = css
	}
	st["conditions"] = conds
	p := obj{"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec, "status": st}
	in.add(p)
	return p
}

// nodeIP gives each node a stable address in the 10.224.0.0/16 node subnet.
func nodeIP(node string) string {
	h := hashOf(node, 2)
	return fmt.Sprintf("10.224.0.%d", 4+int(h[0])%200)
}

// --- events ------------------------------------------------------------

// event is the core/v1 count/firstTimestamp/lastTimestamp shape.
func (in *incident) event(about obj, typ, reason, msg, component, host string, count int, first, last time.Time) {
	md := about["metadata"].(obj)
	ns := namespaceOf(about)
	if ns == "" {
		ns = "default"
	}
	name := fmt.Sprintf("%s.%s", md["name"], hashOf(reason+msg+ts(first), 16))
	e := obj{"apiVersion": "v1", "kind": "Event",
		"metadata":       obj{"name": name, "namespace": ns, "uid": uid("Event", ns, name), "creationTimestamp": ts(first)},
		"involvedObject": obj{"apiVersion": about["apiVersion"], "kind": about["kind"], "name": md["name"], "namespace": namespaceOf(about), "uid": md["uid"]},
		"type":           typ, "reason": reason, "message": msg, "count": count,
		"firstTimestamp": ts(first), "lastTimestamp": ts(last), "source": obj{"component": component}}
	if host != "" {
		e["source"].(obj)["host"] = host
	}
	in.add(e)
}

// schedEvent is the eventTime/series shape the scheduler emits.
func (in *incident) schedEvent(about obj, msg string, count int, first, last time.Time) {
	md := about["metadata"].(obj)
	ns := namespaceOf(about)
	name := fmt.Sprintf("%s.%s", md["name"], hashOf(msg+ts(first), 16))
	e := obj{"apiVersion": "v1", "kind": "Event",
		"metadata":       obj{"name": name, "namespace": ns, "uid": uid("Event", ns, name), "creationTimestamp": ts(first)},
		"involvedObject": obj{"apiVersion": "v1", "kind": "Pod", "name": md["name"], "namespace": ns, "uid": md["uid"]},
		"type":           "Warning", "reason": "FailedScheduling", "message": msg, "action": "Scheduling",
		"eventTime":          first.UTC().Format("2006-01-02T15:04:05.000000Z"),
		"reportingComponent": "default-scheduler", "reportingInstance": "default-scheduler-" + hashOf("sched", 8),
		"source": obj{}, "firstTimestamp": nil, "lastTimestamp": nil, "count": nil}
	if count > 1 {
		e["series"] = obj{"count": count, "lastObservedTime": last.UTC().Format("2006-01-02T15:04:05.000000Z")}
	}
	in.add(e)
}

// --- nodes, services, volumes, jobs -----------------------------------------

type nodeOpt struct {
	pool, zone, os, vmSize string
	ready                  string // "True", "False", "Unknown"
	readyReason, readyMsg  string
	pressure               map[string]string // condition type -> message when True
	taints                 []any
	unschedulable          bool
	allocMem, allocCPU     string
}

func (in *incident) node(name string, o nodeOpt, created time.Time) obj {
	o.os = cmp.Or(o.os, "linux")
	o.vmSize = cmp.Or(o.vmSize, "Standard_D8ds_v5")
	o.ready = cmp.Or(o.ready, "True")
	o.allocCPU = cmp.Or(o.allocCPU, "7820m")
	o.allocMem = cmp.Or(o.allocMem, "28045436Ki")
	l := labelsOf("kubernetes.io/hostname", name, "kubernetes.io/os", o.os, "kubernetes.io/arch", "amd64",
		"agentpool", o.pool, "kubernetes.azure.com/agentpool", o.pool, "kubernetes.azure.com/cluster", "MC_rg-contoso-weu-prod_contoso-weu-prod_westeurope",
		"node.kubernetes.io/instance-type", o.vmSize, "topology.kubernetes.io/region", "westeurope", "topology.kubernetes.io/zone", o.zone,
		"kubernetes.azure.com/mode", map[bool]string{true: "system", false: "user"}[o.pool == "systempool"])
	hb := in.ago(40 * time.Second)
	if o.ready == "Unknown" {
		hb = in.ago(6 * time.Minute)
	}
	var conds []any
	for _, t := range []string{"MemoryPressure", "DiskPressure", "PIDPressure"} {
		if msg, ok := o.pressure[t]; ok {
			conds = append(conds, obj{"type": t, "status": "True", "reason": "KubeletHas" + t, "message": msg,
				"lastHeartbeatTime": ts(hb), "lastTransitionTime": ts(in.ago(9 * time.Minute))})
			continue
		}
		short := map[string]string{"MemoryPressure": "sufficient memory", "DiskPressure": "no disk pressure", "PIDPressure": "sufficient PID"}[t]
		reason := map[string]string{"MemoryPressure": "KubeletHasSufficientMemory", "DiskPressure": "KubeletHasNoDiskPressure", "PIDPressure": "KubeletHasSufficientPID"}[t]
		conds = append(conds, obj{"type": t, "status": "False", "reason": reason, "message": "kubelet has " + short,
			"lastHeartbeatTime": ts(hb), "lastTransitionTime": ts(created)})
	}
	rr, rm := o.readyReason, o.readyMsg
	if rr == "" {
		rr, rm = "KubeletReady", "kubelet is posting ready status"
	}
	conds = append(conds, obj{"type": "Ready", "status": o.ready, "reason": rr, "message": rm,
		"lastHeartbeatTime": ts(hb), "lastTransitionTime": ts(created)})
	osImage, kernel, runtime := "Ubuntu 22.04.5 LTS", "5.15.0-1075-azure", "containerd://1.7.23-1"
	if o.os == "windows" {
		osImage, kernel, runtime = "Windows Server 2022 Datacenter", "10.0.20348.2849", "containerd://1.7.20+azure"
	}
	spec := obj{"providerID": "azure:///subscriptions/5b1e0c7a-3f55-4f0e-9d8e-1c2a7be0f4d1/resourceGroups/mc_rg-contoso-weu-prod_contoso-weu-prod_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-" + o.pool + "-38211457-vmss/virtualMachines/" + fmt.Sprint(int(hashOf(name, 1)[0])%20),
		"podCIDR": "10.244.0.0/24"}
	if len(o.taints) > 0 {
		spec["taints"] = o.taints
	}
	if o.unschedulable {
		spec["unschedulable"] = true
	}
	n := obj{"apiVersion": "v1", "kind": "Node", "metadata": meta("Node", "", name, created, l), "spec": spec,
		"status": obj{"conditions": conds,
			"addresses":   []any{obj{"type": "InternalIP", "address": nodeIP(name)}, obj{"type": "Hostname", "address": name}},
			"capacity":    obj{"cpu": "8", "memory": "32863436Ki", "pods": "250", "ephemeral-storage": "129886128Ki"},
			"allocatable": obj{"cpu": o.allocCPU, "memory": o.allocMem, "pods": "250", "ephemeral-storage": "119703055367"},
			"nodeInfo": obj{"kubeletVersion": "v1.30.6", "kubeProxyVersion": "v1.30.6", "osImage": osImage, "kernelVersion": kernel,
				"containerRuntimeVersion": runtime, "operatingSystem": o.os, "architecture": "amd64"}}}
	in.add(n)
	return n
}

func (in *incident) service(ns, name string, selector map[string]any, port, targetPort int, clusterIP string, created time.Time) obj {
	s := obj{"apiVersion": "v1", "kind": "Service", "metadata": meta("Service", ns, name, created, labelsOf("app.kubernetes.io/name", name)),
		"spec": obj{"type": "ClusterIP", "clusterIP": clusterIP, "clusterIPs": []any{clusterIP}, "selector": selector,
			"ports": []any{obj{"name": "http", "port": port, "targetPort": targetPort, "protocol": "TCP"}}}}
	in.add(s)
	return s
}

// endpoints lists the ready and not-ready pods behind a Service.
func (in *incident) endpoints(svc obj, port int, ready []obj, notReady []obj) obj {
	addr := func(p obj) obj {
		return obj{"ip": p["status"].(obj)["podIP"], "nodeName": p["spec"].(obj)["nodeName"],
			"targetRef": obj{"kind": "Pod", "name": nameOf(p), "namespace": namespaceOf(p), "uid": p["metadata"].(obj)["uid"]}}
	}
	var subsets []any
	if len(ready)+len(notReady) > 0 {
		sub := obj{"ports": []any{obj{"name": "http", "port": port, "protocol": "TCP"}}}
		var a, na []any
		for _, p := range ready {
			a = append(a, addr(p))
		}
		for _, p := range notReady {
			na = append(na, addr(p))
		}
		if len(a) > 0 {
			sub["addresses"] = a
		}
		if len(na) > 0 {
			sub["notReadyAddresses"] = na
		}
		subsets = append(subsets, sub)
	}
	md := meta("Endpoints", namespaceOf(svc), nameOf(svc), parseTS(svc["metadata"].(obj)["creationTimestamp"].(string)), nil)
	e := obj{"apiVersion": "v1", "kind": "Endpoints", "metadata": md}
	if subsets != nil {
		e["subsets"] = subsets
	}
	in.add(e)
	return e
}

func parseTS(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func (in *incident) pvc(ns, name, storageClass, size, volume string, created time.Time) obj {
	p := obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("PersistentVolumeClaim", ns, name, created, nil),
		"spec": obj{"accessModes": []any{"ReadWriteMany"}, "storageClassName": storageClass, "volumeName": volume,
			"resources": obj{"requests": obj{"storage": size}}, "volumeMode": "Filesystem"},
		"status": obj{"phase": "Bound", "accessModes": []any{"ReadWriteMany"}, "capacity": obj{"storage": size}}}
	p["metadata"].(obj)["annotations"] = obj{"volume.kubernetes.io/storage-provisioner": provisioner(storageClass),
		"pv.kubernetes.io/bind-completed": "yes"}
	in.add(p)
	return p
}

func provisioner(sc string) string {
	if strings.Contains(sc, "file") {
		return "file.csi.azure.com"
	}
	return "disk.csi.azure.com"
}

func (in *incident) cronJob(ns, name, schedule string, tpl podTemplate, created, lastSchedule time.Time, backoff int) *workload {
	w := &workload{kind: "CronJob", ns: ns, name: name, tpl: tpl, created: created}
	w.obj = obj{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("CronJob", ns, name, created, tpl.labels),
		"spec": obj{"schedule": schedule, "timeZone": "Europe/Amsterdam", "concurrencyPolicy": "Forbid", "suspend": false,
			"successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 3,
			"jobTemplate": obj{"spec": obj{"backoffLimit": backoff, "template": jobTemplate(tpl)}}},
		"status": obj{"lastScheduleTime": ts(lastSchedule)}}
	in.add(w.obj)
	return w
}

// jobTemplate is a pod template as a Job needs it: pods are not restarted
// in place, the Job controller creates new ones.
func jobTemplate(tpl podTemplate) obj {
	t := tpl.template(nil)
	t["spec"].(obj)["restartPolicy"] = "Never"
	return t
}

// job adds a Job (of a CronJob when parent is not nil) and returns it as
// an owner for its pods.
func (in *incident) job(parent *workload, ns, name string, tpl podTemplate, backoff, failed, succeeded int, started time.Time) *workload {
	jl := map[string]any{}
	for k, v := range tpl.labels {
		jl[k] = v
	}
	jl["batch.kubernetes.io/job-name"] = name
	jl["job-name"] = name
	jl["batch.kubernetes.io/controller-uid"] = uid("Job", ns, name)
	jl["controller-uid"] = uid("Job", ns, name)
	md := meta("Job", ns, name, started, jl)
	if parent != nil {
		md["ownerReferences"] = ownerRef(parent.obj)
	}
	ptpl := tpl
	ptpl.labels = jl
	st := obj{"startTime": ts(started), "failed": failed, "succeeded": succeeded, "active": 0, "ready": 0, "terminating": 0}
	j := obj{"apiVersion": "batch/v1", "kind": "Job", "metadata": md,
		"spec": obj{"backoffLimit": backoff, "completions": 1, "parallelism": 1,
			"selector": obj{"matchLabels": map[string]any{"batch.kubernetes.io/controller-uid": uid("Job", ns, name)}},
			"template": jobTemplate(ptpl)},
		"status": st}
	in.add(j)
	return &workload{kind: "Job", ns: ns, name: name, tpl: ptpl, created: started, obj: j}
}

// markFailed sets the conditions of a Job that hit its backoff limit.
func markFailed(j *workload, at time.Time) {
	cond := func(t string) obj {
		return obj{"type": t, "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit",
			"lastProbeTime": ts(at), "lastTransitionTime": ts(at)}
	}
	j.obj["status"].(obj)["conditions"] = []any{cond("FailureTarget"), cond("Failed")}
}

func configMap(ns, name string, data map[string]any, created time.Time) obj {
	return obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("ConfigMap", ns, name, created, nil), "data": data}
}

// --- metrics -----------------------------------------------------------

type family struct {
	name, typ, help string
	series          []series
}

type series struct {
	labels string
	values []float64
}

// ramp gives n samples from a to b; flat is ramp(v, v, n).
func ramp(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		f := 0.0
		if n > 1 {
			f = float64(i) / float64(n-1)
		}
		out[i] = math.Round((a+(b-a)*f)*1000) / 1000
	}
	return out
}

// wobble adds a deterministic ripple of relative size r.
func wobble(v []float64, r float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Round(x*(1+r*math.Sin(float64(i)*1.7))*1000) / 1000
	}
	return out
}

// counter accumulates per-step increments into a monotonic series.
func counter(start float64, perStep []float64) []float64 {
	out := make([]float64, len(perStep))
	acc := start
	for i, d := range perStep {
		acc += d
		out[i] = math.Round(acc*1000) / 1000
	}
	return out
}

func (in *incident) gauge(name, help string, s ...series) { in.addSeries(name, "gauge", help, s) }

func (in *incident) count(name, help string, s ...series) { in.addSeries(name, "counter", help, s) }

// addSeries keeps one family per metric name, as OpenMetrics requires.
func (in *incident) addSeries(name, typ, help string, s []series) {
	for _, f := range in.metrics {
		if f.name == name {
			f.series = append(f.series, s...)
			return
		}
	}
	in.metrics = append(in.metrics, &family{name: name, typ: typ, help: help, series: s})
}

func sr(labels string, values []float64) series { return series{labels: labels, values: values} }
