package main

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"time"
)

// obj is one Kubernetes object as the API returns it, kept as a generic map
// so that the fixtures carry exactly the fields a reader of the API sees.
type obj = map[string]any

// incident is one held-out case before it is written to disk.
type incident struct {
	name        string
	description string
	source      string
	now         time.Time
	alert       alert
	expect      expect
	objects     []obj
	logs        []logFile
	metrics     []series // nil: the incident comes without metrics.om
}

type alert struct {
	labels      map[string]string
	annotations map[string]string
	startsAt    time.Time
	query       string
	value       float64
	generator   string
}

type expect struct {
	category  string
	namespace string
	kind      string
	name      string
	mentions  []string
}

// logFile is one container log; previous marks the terminated container's log.
type logFile struct {
	namespace, pod, container string
	previous                  bool
	lines                     []logLine
}

type logLine struct {
	at   time.Time
	text string
}

// series is one metric series sampled every 15 s from start to end.
type series struct {
	name, typ, help string
	labels          map[string]string
	start, end      time.Time
	value           func(i int) float64
}

const step = 15 * time.Second

// uid derives a stable UID from an object's identity so regenerating the set
// gives byte-identical fixtures.
func uid(kind, namespace, name string) string {
	h := sha256.Sum256([]byte(kind + "/" + namespace + "/" + name))
	x := fmt.Sprintf("%x", h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func meta(kind, namespace, name string, created time.Time, labels map[string]string) obj {
	m := obj{"name": name, "uid": uid(kind, namespace, name), "creationTimestamp": ts(created)}
	if namespace != "" {
		m["namespace"] = namespace
	}
	if len(labels) > 0 {
		m["labels"] = labels
	}
	return m
}

func ownerRef(kind, namespace, name string) []any {
	api := "apps/v1"
	if kind == "Job" || kind == "CronJob" {
		api = "batch/v1"
	}
	return []any{obj{"apiVersion": api, "kind": kind, "name": name, "uid": uid(kind, namespace, name),
		"controller": true, "blockOwnerDeletion": true}}
}

// ctr is a container spec.
type ctr struct {
	name, image         string
	reqCPU, reqMem      string
	limCPU, limMem      string
	ports               []int
	liveness, readiness obj
	startup             obj
	env                 []obj
	args                []string
}

func (c ctr) spec() obj {
	s := obj{"name": c.name, "image": c.image, "imagePullPolicy": "IfNotPresent"}
	res := obj{}
	if c.reqCPU != "" || c.reqMem != "" {
		r := obj{}
		if c.reqCPU != "" {
			r["cpu"] = c.reqCPU
		}
		if c.reqMem != "" {
			r["memory"] = c.reqMem
		}
		res["requests"] = r
	}
	if c.limCPU != "" || c.limMem != "" {
		l := obj{}
		if c.limCPU != "" {
			l["cpu"] = c.limCPU
		}
		if c.limMem != "" {
			l["memory"] = c.limMem
		}
		res["limits"] = l
	}
	s["resources"] = res
	if len(c.ports) > 0 {
		var ps []any
		for _, p := range c.ports {
			ps = append(ps, obj{"containerPort": p, "protocol": "TCP"})
		}
		s["ports"] = ps
	}
	if c.liveness != nil {
		s["livenessProbe"] = c.liveness
	}
	if c.readiness != nil {
		s["readinessProbe"] = c.readiness
	}
	if c.startup != nil {
		s["startupProbe"] = c.startup
	}
	if len(c.env) > 0 {
		var es []any
		for _, e := range c.env {
			es = append(es, e)
		}
		s["env"] = es
	}
	if len(c.args) > 0 {
		s["args"] = c.args
	}
	return s
}

func httpProbe(path string, port, period, timeout, failures int) obj {
	return obj{"httpGet": obj{"path": path, "port": port, "scheme": "HTTP"}, "periodSeconds": period,
		"timeoutSeconds": timeout, "failureThreshold": failures, "successThreshold": 1}
}

func envVal(name, value string) obj { return obj{"name": name, "value": value} }

func podTemplate(labels map[string]string, containers ...ctr) obj {
	var cs []any
	for _, c := range containers {
		cs = append(cs, c.spec())
	}
	return obj{"metadata": obj{"labels": labels}, "spec": obj{"containers": cs}}
}

// workload is a controller with its pod template: a Deployment (with one
// ReplicaSet per template hash), a StatefulSet or a DaemonSet.
type workload struct {
	kind, namespace, name string
	labels                map[string]string
	containers            []ctr
	replicas, ready       int
	created               time.Time
	generation            int
}

func (w workload) selector() map[string]string { return w.labels }

func (w workload) object() obj {
	gen := w.generation
	if gen == 0 {
		gen = 1
	}
	m := meta(w.kind, w.namespace, w.name, w.created, w.labels)
	m["generation"] = gen
	spec := obj{"selector": obj{"matchLabels": w.selector()}, "template": podTemplate(w.labels, w.containers...)}
	status := obj{"observedGeneration": gen}
	switch w.kind {
	case "DaemonSet":
		status["desiredNumberScheduled"] = w.replicas
		status["currentNumberScheduled"] = w.replicas
		status["numberReady"] = w.ready
		status["numberAvailable"] = w.ready
		status["updatedNumberScheduled"] = w.replicas
		if w.replicas > w.ready {
			status["numberUnavailable"] = w.replicas - w.ready
		}
	case "StatefulSet":
		spec["replicas"] = w.replicas
		spec["serviceName"] = w.name + "-headless"
		status["replicas"] = w.replicas
		status["readyReplicas"] = w.ready
		status["currentReplicas"] = w.replicas
		status["updatedReplicas"] = w.replicas
		status["availableReplicas"] = w.ready
	default:
		spec["replicas"] = w.replicas
		spec["strategy"] = obj{"type": "RollingUpdate", "rollingUpdate": obj{"maxSurge": "25%", "maxUnavailable": "25%"}}
		status["replicas"] = w.replicas
		status["readyReplicas"] = w.ready
		status["availableReplicas"] = w.ready
		status["updatedReplicas"] = w.replicas
		if w.replicas > w.ready {
			status["unavailableReplicas"] = w.replicas - w.ready
		}
		avail := "True"
		reason := "MinimumReplicasAvailable"
		if w.ready*4 < w.replicas*3 {
			avail, reason = "False", "MinimumReplicasUnavailable"
		}
		status["conditions"] = []any{
			obj{"type": "Available", "status": avail, "reason": reason, "lastTransitionTime": ts(w.created)},
			obj{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "lastTransitionTime": ts(w.created)},
		}
	}
	return obj{"apiVersion": "apps/v1", "kind": w.kind, "metadata": m, "spec": spec, "status": status}
}

// replicaSet is the Deployment's ReplicaSet for one template hash.
func (w workload) replicaSet(hash string, replicas, ready int, created time.Time, revision int, containers ...ctr) obj {
	if len(containers) == 0 {
		containers = w.containers
	}
	labels := with(w.labels, "pod-template-hash", hash)
	name := w.name + "-" + hash
	m := meta("ReplicaSet", w.namespace, name, created, labels)
	m["ownerReferences"] = ownerRef("Deployment", w.namespace, w.name)
	m["annotations"] = map[string]string{"deployment.kubernetes.io/revision": fmt.Sprint(revision)}
	return obj{"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": m,
		"spec":   obj{"replicas": replicas, "selector": obj{"matchLabels": labels}, "template": podTemplate(labels, containers...)},
		"status": obj{"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready, "observedGeneration": 1}}
}

func with(labels map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range labels {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// cstat is a container's status.
type cstat struct {
	name, image     string
	state           string // running, waiting, terminated
	reason, message string
	exitCode        int
	started, finish time.Time
	restarts        int
	ready           bool
	last            *cstat // lastState.terminated
}

func (c cstat) stateObj() obj {
	switch c.state {
	case "waiting":
		w := obj{"reason": c.reason}
		if c.message != "" {
			w["message"] = c.message
		}
		return obj{"waiting": w}
	case "terminated":
		return obj{"terminated": obj{"reason": c.reason, "exitCode": c.exitCode, "startedAt": ts(c.started), "finishedAt": ts(c.finish)}}
	default:
		return obj{"running": obj{"startedAt": ts(c.started)}}
	}
}

func (c cstat) object() obj {
	s := obj{"name": c.name, "image": c.image, "ready": c.ready, "restartCount": c.restarts, "state": c.stateObj(),
		"started": c.state == "running"}
	if c.last != nil {
		s["lastState"] = c.last.stateObj()
	} else {
		s["lastState"] = obj{}
	}
	if c.state != "waiting" || c.reason != "ContainerCreating" {
		s["imageID"] = c.image
	}
	return s
}

// pod is a Pod with its status; node is empty for a Pending pod never scheduled.
type pod struct {
	namespace, name, node string
	ownerKind, ownerName  string
	labels                map[string]string
	containers            []ctr
	statuses              []cstat
	phase                 string
	created               time.Time
	reason, message       string
	unschedulable         string // PodScheduled=False message
	volumes               []obj
	podIP                 string
}

func (p pod) object() obj {
	m := meta("Pod", p.namespace, p.name, p.created, p.labels)
	if p.ownerKind != "" {
		m["ownerReferences"] = ownerRef(p.ownerKind, p.namespace, p.ownerName)
	}
	var cs []any
	for _, c := range p.containers {
		cs = append(cs, c.spec())
	}
	spec := obj{"containers": cs, "restartPolicy": "Always", "serviceAccountName": "default"}
	if p.ownerKind == "Job" {
		spec["restartPolicy"] = "Never"
	}
	if p.node != "" {
		spec["nodeName"] = p.node
	}
	if len(p.volumes) > 0 {
		var vs []any
		for _, v := range p.volumes {
			vs = append(vs, v)
		}
		spec["volumes"] = vs
	}
	allReady := len(p.statuses) > 0
	var ss []any
	for _, s := range p.statuses {
		ss = append(ss, s.object())
		allReady = allReady && s.ready
	}
	status := obj{"phase": p.phase}
	if p.reason != "" {
		status["reason"] = p.reason
		status["message"] = p.message
	}
	readyStr := "False"
	if allReady {
		readyStr = "True"
	}
	switch {
	case p.unschedulable != "":
		status["conditions"] = []any{obj{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
			"message": p.unschedulable, "lastTransitionTime": ts(p.created)}}
	default:
		status["startTime"] = ts(p.created)
		status["hostIP"] = nodeIP(p.node)
		if p.podIP != "" {
			status["podIP"] = p.podIP
		} else if p.phase == "Running" {
			status["podIP"] = podIP(p.namespace + "/" + p.name)
		}
		status["conditions"] = []any{
			obj{"type": "PodScheduled", "status": "True", "lastTransitionTime": ts(p.created)},
			obj{"type": "Initialized", "status": "True", "lastTransitionTime": ts(p.created)},
			obj{"type": "ContainersReady", "status": readyStr, "lastTransitionTime": ts(p.created)},
			obj{"type": "Ready", "status": readyStr, "lastTransitionTime": ts(p.created)},
		}
		status["containerStatuses"] = ss
		status["qosClass"] = "Burstable"
	}
	return obj{"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": status}
}

// nodeIP and podIP give stable addresses derived from names.
func nodeIP(node string) string {
	if node == "" {
		return ""
	}
	h := sha256.Sum256([]byte(node))
	return fmt.Sprintf("10.20.%d.%d", 1+int(h[0])%8, 10+int(h[1])%200)
}

func podIP(key string) string {
	h := sha256.Sum256([]byte(key))
	return fmt.Sprintf("10.42.%d.%d", int(h[0])%4, 2+int(h[1])%250)
}

// node is a k3s Node with its conditions; ready is "True", "False" or "Unknown".
type node struct {
	name                         string
	roles                        []string
	ready                        string
	readyReason, readyMessage    string
	memoryPressure, diskPressure bool
	heartbeat                    time.Time
	created                      time.Time
	taints                       []obj
	cpu, memory                  string
	unschedulable                bool
	extraLabels                  map[string]string
}

func (n node) object() obj {
	labels := map[string]string{"kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
		"node.kubernetes.io/instance-type": "k3s"}
	for _, r := range n.roles {
		labels["node-role.kubernetes.io/"+r] = "true"
	}
	for k, v := range n.extraLabels {
		labels[k] = v
	}
	m := meta("Node", "", n.name, n.created, labels)
	m["annotations"] = map[string]string{"k3s.io/node-args": `["agent"]`, "flannel.alpha.coreos.com/public-ip": nodeIP(n.name)}
	cond := func(typ string, on bool, reasonOn, reasonOff, msgOn, msgOff string) obj {
		st, reason, msg := "False", reasonOff, msgOff
		if on {
			st, reason, msg = "True", reasonOn, msgOn
		}
		if n.ready == "Unknown" {
			st, reason, msg = "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."
		}
		return obj{"type": typ, "status": st, "reason": reason, "message": msg,
			"lastHeartbeatTime": ts(n.heartbeat), "lastTransitionTime": ts(n.heartbeat)}
	}
	readyCond := obj{"type": "Ready", "status": n.ready, "reason": n.readyReason, "message": n.readyMessage,
		"lastHeartbeatTime": ts(n.heartbeat), "lastTransitionTime": ts(n.heartbeat)}
	if n.readyReason == "" {
		readyCond["reason"] = "KubeletReady"
		readyCond["message"] = "kubelet is posting ready status"
	}
	cpu, mem := n.cpu, n.memory
	if cpu == "" {
		cpu = "8"
	}
	if mem == "" {
		mem = "32827380Ki"
	}
	spec := obj{"podCIDR": "10.42.0.0/24", "providerID": "k3s://" + n.name}
	if len(n.taints) > 0 {
		var t []any
		for _, x := range n.taints {
			t = append(t, x)
		}
		spec["taints"] = t
	}
	if n.unschedulable {
		spec["unschedulable"] = true
	}
	return obj{"apiVersion": "v1", "kind": "Node", "metadata": m, "spec": spec, "status": obj{
		"capacity":    obj{"cpu": cpu, "memory": mem, "pods": "110", "ephemeral-storage": "238222068Ki"},
		"allocatable": obj{"cpu": cpu, "memory": mem, "pods": "110", "ephemeral-storage": "231744704296"},
		"addresses":   []any{obj{"type": "InternalIP", "address": nodeIP(n.name)}, obj{"type": "Hostname", "address": n.name}},
		"nodeInfo": obj{"kubeletVersion": "v1.31.4+k3s1", "containerRuntimeVersion": "containerd://1.7.23-k3s2",
			"osImage": "Ubuntu 24.04.1 LTS", "kernelVersion": "6.8.0-49-generic", "architecture": "amd64", "operatingSystem": "linux"},
		"conditions": []any{
			cond("MemoryPressure", n.memoryPressure, "KubeletHasInsufficientMemory", "KubeletHasSufficientMemory",
				"kubelet has insufficient memory available", "kubelet has sufficient memory available"),
			cond("DiskPressure", n.diskPressure, "KubeletHasDiskPressure", "KubeletHasNoDiskPressure",
				"kubelet has disk pressure", "kubelet has no disk pressure"),
			cond("PIDPressure", false, "KubeletHasInsufficientPID", "KubeletHasSufficientPID",
				"kubelet has insufficient PID available", "kubelet has sufficient PID available"),
			readyCond,
		},
	}}
}

// event is a core/v1 Event in the count/firstTimestamp/lastTimestamp shape.
func event(namespace, kind, name, typ, reason, message, component, host string, count int, first, last time.Time) obj {
	evName := fmt.Sprintf("%s.%x", name, sha256.Sum256([]byte(reason+message+ts(first))))[:len(name)+17]
	involvedNS := namespace
	if kind == "Node" {
		involvedNS = ""
	}
	involved := obj{"kind": kind, "name": name, "uid": uid(kind, involvedNS, name)}
	if involvedNS != "" {
		involved["namespace"] = involvedNS
	}
	source := obj{"component": component}
	if host != "" {
		source["host"] = host
	}
	m := meta("Event", namespace, evName, first, nil)
	return obj{"apiVersion": "v1", "kind": "Event", "metadata": m, "involvedObject": involved, "type": typ,
		"reason": reason, "message": message, "source": source, "count": count,
		"firstTimestamp": ts(first), "lastTimestamp": ts(last)}
}

// schedEvent is the events.k8s.io-style Event the scheduler emits: eventTime
// and a series instead of count and timestamps.
func schedEvent(namespace, podName, message string, first, lastObserved time.Time, count int) obj {
	evName := fmt.Sprintf("%s.%x", podName, sha256.Sum256([]byte(message+ts(first))))[:len(podName)+17]
	m := meta("Event", namespace, evName, first, nil)
	e := obj{"apiVersion": "v1", "kind": "Event", "metadata": m,
		"involvedObject": obj{"kind": "Pod", "namespace": namespace, "name": podName, "uid": uid("Pod", namespace, podName)},
		"type":           "Warning", "reason": "FailedScheduling", "message": message,
		"eventTime":          first.UTC().Format("2006-01-02T15:04:05.000000Z"),
		"reportingComponent": "default-scheduler", "reportingInstance": "default-scheduler-core-srv-1",
		"action": "Scheduling", "source": obj{}, "firstTimestamp": nil, "lastTimestamp": nil}
	if count > 1 {
		e["series"] = obj{"count": count, "lastObservedTime": lastObserved.UTC().Format("2006-01-02T15:04:05.000000Z")}
	}
	return e
}

func service(namespace, name string, selector map[string]string, port, target int, created time.Time, typ string) obj {
	if typ == "" {
		typ = "ClusterIP"
	}
	h := sha256.Sum256([]byte(namespace + "/" + name))
	spec := obj{"type": typ, "selector": selector, "clusterIP": fmt.Sprintf("10.43.%d.%d", h[0], 1+int(h[1])%250),
		"ports": []any{obj{"name": "http", "port": port, "targetPort": target, "protocol": "TCP"}}}
	return obj{"apiVersion": "v1", "kind": "Service", "metadata": meta("Service", namespace, name, created, nil), "spec": spec}
}

// endpoints lists the ready addresses of the given pods.
func endpoints(namespace, name string, port int, created time.Time, ready []pod, notReady []pod) obj {
	subset := obj{"ports": []any{obj{"name": "http", "port": port, "protocol": "TCP"}}}
	addr := func(ps []pod) []any {
		var out []any
		for _, p := range ps {
			out = append(out, obj{"ip": podIP(p.namespace + "/" + p.name), "nodeName": p.node,
				"targetRef": obj{"kind": "Pod", "namespace": p.namespace, "name": p.name, "uid": uid("Pod", p.namespace, p.name)}})
		}
		return out
	}
	if len(ready) > 0 {
		subset["addresses"] = addr(ready)
	}
	if len(notReady) > 0 {
		subset["notReadyAddresses"] = addr(notReady)
	}
	e := obj{"apiVersion": "v1", "kind": "Endpoints", "metadata": meta("Endpoints", namespace, name, created, nil)}
	if len(ready)+len(notReady) > 0 {
		e["subsets"] = []any{subset}
	}
	return e
}

func pvc(namespace, name, storageClass, size, phase, volume string, created time.Time, labels map[string]string) obj {
	spec := obj{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": storageClass,
		"resources": obj{"requests": obj{"storage": size}}}
	if volume != "" {
		spec["volumeName"] = volume
	}
	status := obj{"phase": phase}
	if phase == "Bound" {
		status["capacity"] = obj{"storage": size}
		status["accessModes"] = []any{"ReadWriteOnce"}
	}
	return obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("PersistentVolumeClaim", namespace, name, created, labels),
		"spec": spec, "status": status}
}

func configMap(namespace, name string, data map[string]string, created time.Time) obj {
	return obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("ConfigMap", namespace, name, created, nil), "data": data}
}

// lines spreads texts over time from start, one every gap.
func lines(start time.Time, gap time.Duration, texts ...string) []logLine {
	out := make([]logLine, len(texts))
	for i, t := range texts {
		out[i] = logLine{at: start.Add(time.Duration(i) * gap), text: t}
	}
	return out
}

// at pins individual lines to explicit offsets from base.
func at(base time.Time, pairs ...any) []logLine {
	var out []logLine
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, logLine{at: base.Add(pairs[i].(time.Duration)), text: pairs[i+1].(string)})
	}
	return out
}

// ramp, flat and linear are sample shapes for series values.
func flat(v float64) func(int) float64 { return func(int) float64 { return v } }

func linear(from, perStep float64) func(int) float64 {
	return func(i int) float64 { return from + perStep*float64(i) }
}

// stepAt is from until sample index i, then to.
func stepAt(i0 int, from, to float64) func(int) float64 {
	return func(i int) float64 {
		if i < i0 {
			return from
		}
		return to
	}
}

// sawtooth grows from base by perStep and drops back every period samples,
// as a container's memory does when it is killed and restarted.
func sawtooth(base, perStep float64, period int) func(int) float64 {
	return func(i int) float64 { return base + perStep*float64(i%period) }
}

func labelString(l map[string]string) string {
	if len(l) == 0 {
		return ""
	}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%s=%q", k, l[k])
	}
	b.WriteString("}")
	return b.String()
}
