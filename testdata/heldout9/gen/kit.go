package main

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// obj is one Kubernetes object as the API returns it.
type obj = map[string]any

// logLine is one timestamped entry of a container log.
type logLine struct {
	at  time.Time
	msg string
}

// scn is one incident being built: its scenario.yaml fields, its objects,
// its logs and (optionally) its metrics.
type scn struct {
	name, description, source string
	now                       time.Time
	alert                     obj
	category                  string
	entity                    [3]string // namespace, kind, name
	mentions                  []string
	objects                   []obj
	logs                      map[string][]logLine // "ns/pod/container[.previous]"
	metrics                   *mset
}

func newScn(name string, now time.Time) *scn {
	return &scn{name: name, now: now, logs: map[string][]logLine{}}
}

func (s *scn) ago(d time.Duration) time.Time { return s.now.Add(-d) }

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// uid derives a stable UID from the incident and the object's identity, so
// that regenerating the set changes nothing.
func (s *scn) uid(kind, ns, name string) string {
	h := sha1.Sum([]byte(s.name + "/" + kind + "/" + ns + "/" + name))
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// suffix derives the random-looking name parts Kubernetes generates
// (pod-template-hash, pod suffixes) from a seed, with the alphabet the
// apiserver uses.
func suffix(seed string, n int) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	h := sha1.Sum([]byte(seed))
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[int(h[i])%len(alphabet)])
	}
	return b.String()
}

func (s *scn) add(objs ...obj) { s.objects = append(s.objects, objs...) }

func (s *scn) meta(kind, ns, name string, labels map[string]string, created time.Time) obj {
	m := obj{"name": name, "uid": s.uid(kind, ns, name), "creationTimestamp": ts(created)}
	if ns != "" {
		m["namespace"] = ns
	}
	if len(labels) > 0 {
		m["labels"] = labels
	}
	return m
}

func (s *scn) ownerRef(kind, apiVersion, ns, name string) obj {
	return obj{"apiVersion": apiVersion, "kind": kind, "name": name, "uid": s.uid(kind, ns, name),
		"controller": true, "blockOwnerDeletion": true}
}

// ctr is a container of a pod template.
type ctr struct {
	name, image                  string
	args, command                []string
	ports                        []obj
	requests, limits             map[string]string
	env                          []obj
	liveness, readiness, startup obj
	mounts                       []obj
}

func (c ctr) spec() obj {
	o := obj{"name": c.name, "image": c.image, "imagePullPolicy": "IfNotPresent"}
	for _, f := range []struct {
		key   string
		value any
		set   bool
	}{{"args", c.args, len(c.args) > 0}, {"command", c.command, len(c.command) > 0}, {"ports", c.ports, len(c.ports) > 0},
		{"env", c.env, len(c.env) > 0}, {"livenessProbe", c.liveness, c.liveness != nil}, {"readinessProbe", c.readiness, c.readiness != nil},
		{"startupProbe", c.startup, c.startup != nil}, {"volumeMounts", c.mounts, len(c.mounts) > 0}} {
		if f.set {
			o[f.key] = f.value
		}
	}
	res := obj{}
	if c.requests != nil {
		res["requests"] = c.requests
	}
	if c.limits != nil {
		res["limits"] = c.limits
	}
	o["resources"] = res
	return o
}

func port(name string, n int) obj { return obj{"name": name, "containerPort": n, "protocol": "TCP"} }

func httpProbe(path string, p any, period, timeout, failures int) obj {
	return obj{"httpGet": obj{"path": path, "port": p, "scheme": "HTTP"}, "periodSeconds": period,
		"timeoutSeconds": timeout, "failureThreshold": failures, "successThreshold": 1}
}

func res(cpu, mem string) map[string]string {
	m := map[string]string{}
	if cpu != "" {
		m["cpu"] = cpu
	}
	if mem != "" {
		m["memory"] = mem
	}
	return m
}

func envVal(name, value string) obj { return obj{"name": name, "value": value} }

// tmpl is a pod template: labels, containers and any other pod spec fields.
type tmpl struct {
	labels     map[string]string
	containers []ctr
	extra      obj
}

func (t tmpl) podSpec() obj {
	var cs []any
	for _, c := range t.containers {
		cs = append(cs, c.spec())
	}
	o := obj{"containers": cs, "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
		"dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler"}
	for k, v := range t.extra {
		o[k] = v
	}
	return o
}

func withLabels(base map[string]string, more ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i+1 < len(more); i += 2 {
		m[more[i]] = more[i+1]
	}
	return m
}

// deployment adds a Deployment and returns it; replica sets are added with rs.
func (s *scn) deployment(ns, name string, replicas int, created time.Time, revision int, t tmpl, status obj) {
	d := obj{"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": s.meta("Deployment", ns, name, t.labels, created),
		"spec": obj{"replicas": replicas, "selector": obj{"matchLabels": t.labels},
			"strategy": obj{"type": "RollingUpdate", "rollingUpdate": obj{"maxSurge": "25%", "maxUnavailable": 0}},
			"template": obj{"metadata": obj{"labels": t.labels}, "spec": t.podSpec()}},
		"status": status}
	d["metadata"].(obj)["annotations"] = map[string]string{"deployment.kubernetes.io/revision": fmt.Sprint(revision)}
	d["metadata"].(obj)["generation"] = revision
	s.add(d)
}

func depStatus(replicas, updated, ready, available int, conds ...obj) obj {
	o := obj{"observedGeneration": 1, "replicas": replicas, "updatedReplicas": updated, "readyReplicas": ready,
		"availableReplicas": available}
	if unavailable := replicas - available; unavailable > 0 {
		o["unavailableReplicas"] = unavailable
	}
	if len(conds) > 0 {
		o["conditions"] = conds
	}
	return o
}

func cond(typ, status, reason, msg string, at time.Time) obj {
	return obj{"type": typ, "status": status, "reason": reason, "message": msg,
		"lastTransitionTime": ts(at), "lastUpdateTime": ts(at)}
}

// rs adds a ReplicaSet of a Deployment at a revision and returns its name.
func (s *scn) rs(ns, dep string, revision, replicas, ready int, created time.Time, t tmpl) string {
	hash := suffix(s.name+dep+fmt.Sprint(revision), 10)
	name := dep + "-" + hash
	labels := withLabels(t.labels, "pod-template-hash", hash)
	m := s.meta("ReplicaSet", ns, name, labels, created)
	m["ownerReferences"] = []any{s.ownerRef("Deployment", "apps/v1", ns, dep)}
	m["annotations"] = map[string]string{"deployment.kubernetes.io/revision": fmt.Sprint(revision)}
	s.add(obj{"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": m,
		"spec": obj{"replicas": replicas, "selector": obj{"matchLabels": labels},
			"template": obj{"metadata": obj{"labels": labels}, "spec": t.podSpec()}},
		"status": obj{"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready, "observedGeneration": 1}})
	return name
}

// rsLabels are the labels of pods of a replica set made by rs.
func rsLabels(t tmpl, rsName string) map[string]string {
	return withLabels(t.labels, "pod-template-hash", rsName[strings.LastIndex(rsName, "-")+1:])
}

// cst is the status of one container of a pod.
type cst struct {
	name, image string
	ready       bool
	restarts    int
	state, last obj
}

func running(since time.Time) obj { return obj{"running": obj{"startedAt": ts(since)}} }

func waiting(reason, msg string) obj {
	w := obj{"reason": reason}
	if msg != "" {
		w["message"] = msg
	}
	return obj{"waiting": w}
}

func terminated(reason string, code int, started, finished time.Time) obj {
	return obj{"terminated": obj{"reason": reason, "exitCode": code, "startedAt": ts(started), "finishedAt": ts(finished),
		"containerID": "containerd://" + suffixHex(reason+ts(started))}}
}

func suffixHex(seed string) string {
	h := sha1.Sum([]byte(seed))
	return hex.EncodeToString(h[:]) + hex.EncodeToString(h[:12])
}

// pod adds a pod owned by owner (kind, name) with the template's containers
// and the given container statuses. An empty node means never scheduled.
func (s *scn) pod(ns, name, node, ownerKind, ownerName string, labels map[string]string, t tmpl,
	phase string, created time.Time, statuses []cst, extra obj) {
	m := s.meta("Pod", ns, name, labels, created)
	if ownerKind != "" {
		api := "apps/v1"
		if ownerKind == "Job" {
			api = "batch/v1"
		}
		m["ownerReferences"] = []any{s.ownerRef(ownerKind, api, ns, ownerName)}
	}
	spec := t.podSpec()
	if ownerKind == "Job" {
		spec["restartPolicy"] = "Never"
	}
	if node != "" {
		spec["nodeName"] = node
	}
	allReady := phase == "Running"
	var cs []any
	for _, c := range statuses {
		img := c.image
		if img == "" {
			for _, tc := range t.containers {
				if tc.name == c.name {
					img = tc.image
				}
			}
		}
		o := obj{"name": c.name, "image": img, "ready": c.ready, "restartCount": c.restarts, "state": c.state,
			"started": c.ready}
		if c.last != nil {
			o["lastState"] = c.last
		} else {
			o["lastState"] = obj{}
		}
		if !c.ready {
			allReady = false
		}
		cs = append(cs, o)
	}
	readyStatus := "False"
	if allReady {
		readyStatus = "True"
	}
	status := obj{"phase": phase, "qosClass": "Burstable"}
	if node != "" {
		status["hostIP"] = nodeIP(node)
		status["podIP"] = podIP(name)
		status["startTime"] = ts(created)
		status["conditions"] = []any{
			obj{"type": "PodScheduled", "status": "True", "lastTransitionTime": ts(created)},
			obj{"type": "Initialized", "status": "True", "lastTransitionTime": ts(created)},
			obj{"type": "ContainersReady", "status": readyStatus, "lastTransitionTime": ts(created)},
			obj{"type": "Ready", "status": readyStatus, "lastTransitionTime": ts(created)},
		}
		status["containerStatuses"] = cs
	}
	for k, v := range extra {
		status[k] = v
	}
	s.add(obj{"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": status})
}

// pendingPod adds a pod the scheduler could not place.
func (s *scn) pendingPod(ns, name, ownerKind, ownerName string, labels map[string]string, t tmpl, created time.Time, msg string) {
	s.pod(ns, name, "", ownerKind, ownerName, labels, t, "Pending", created, nil, obj{
		"conditions": []any{obj{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
			"message": msg, "lastTransitionTime": ts(created)}}})
}

func nodeIP(node string) string {
	h := sha1.Sum([]byte(node))
	return fmt.Sprintf("10.164.0.%d", 10+int(h[0])%200)
}

func podIP(pod string) string {
	h := sha1.Sum([]byte(pod))
	return fmt.Sprintf("10.52.%d.%d", int(h[0])%32, 2+int(h[1])%250)
}

// gkeNode adds a GKE node of a pool; conditions override the healthy ones by type.
func (s *scn) gkeNode(name, pool, zone, machine string, spot bool, created time.Time, taints []any, conds ...obj) {
	labels := map[string]string{"cloud.google.com/gke-nodepool": pool, "topology.kubernetes.io/zone": zone,
		"topology.kubernetes.io/region": "europe-west4", "node.kubernetes.io/instance-type": machine,
		"cloud.google.com/gke-os-distribution": "cos", "cloud.google.com/gke-container-runtime": "containerd",
		"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}
	if spot {
		labels["cloud.google.com/gke-spot"] = "true"
	}
	healthy := []obj{
		nodeCond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", created),
		nodeCond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", created),
		nodeCond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", created),
		nodeCond("Ready", "True", "KubeletReady", "kubelet is posting ready status. AppArmor enabled", created),
	}
	var all []any
	for _, h := range healthy {
		replaced := false
		for _, c := range conds {
			if c["type"] == h["type"] {
				all = append(all, c)
				replaced = true
			}
		}
		if !replaced {
			all = append(all, h)
		}
	}
	for _, c := range conds {
		known := false
		for _, h := range healthy {
			known = known || c["type"] == h["type"]
		}
		if !known {
			all = append(all, c)
		}
	}
	cpu, mem := "4", "16393180Ki"
	switch {
	case strings.HasPrefix(machine, "e2-standard-8"), strings.HasPrefix(machine, "n2-standard-8"):
		cpu, mem = "8", "32882048Ki"
	case strings.HasPrefix(machine, "n2-highmem-8"):
		cpu, mem = "8", "65842024Ki"
	}
	spec := obj{"providerID": "gce://retail-prod/" + zone + "/" + name, "podCIDR": "10.52.0.0/24"}
	if len(taints) > 0 {
		spec["taints"] = taints
	}
	s.add(obj{"apiVersion": "v1", "kind": "Node", "metadata": s.meta("Node", "", name, labels, created), "spec": spec,
		"status": obj{"conditions": all,
			"capacity":    obj{"cpu": cpu, "memory": mem, "pods": "110", "ephemeral-storage": "98831908Ki"},
			"allocatable": obj{"cpu": allocCPU(cpu), "memory": mem, "pods": "110", "ephemeral-storage": "47060071478"},
			"addresses":   []any{obj{"type": "InternalIP", "address": nodeIP(name)}, obj{"type": "Hostname", "address": name}},
			"nodeInfo": obj{"kubeletVersion": "v1.30.5-gke.1443001", "containerRuntimeVersion": "containerd://1.7.22",
				"osImage": "Container-Optimized OS from Google", "kernelVersion": "6.1.100+", "architecture": "amd64",
				"operatingSystem": "linux"}}})
}

func allocCPU(cpu string) string {
	switch cpu {
	case "8":
		return "7910m"
	default:
		return "3920m"
	}
}

func nodeCond(typ, status, reason, msg string, at time.Time) obj {
	return obj{"type": typ, "status": status, "reason": reason, "message": msg,
		"lastHeartbeatTime": ts(at), "lastTransitionTime": ts(at)}
}

// event adds a core/v1 Event in the count/firstTimestamp/lastTimestamp shape.
func (s *scn) event(ns, kind, name, typ, reason, msg string, count int, first, last time.Time, component, host string) {
	evNS := ns
	if evNS == "" {
		evNS = "default"
	}
	evName := name + "." + suffixHex(reason + msg + ts(first))[:16]
	src := obj{"component": component}
	if host != "" {
		src["host"] = host
	}
	inv := obj{"kind": kind, "name": name, "uid": s.uid(kind, ns, name)}
	if ns != "" {
		inv["namespace"] = ns
	}
	s.add(obj{"apiVersion": "v1", "kind": "Event",
		"metadata":       obj{"name": evName, "namespace": evNS, "uid": s.uid("Event", evNS, evName), "creationTimestamp": ts(first)},
		"involvedObject": inv, "type": typ, "reason": reason, "message": msg, "count": count,
		"firstTimestamp": ts(first), "lastTimestamp": ts(last), "source": src, "reportingComponent": component})
}

// schedEvent adds a FailedScheduling event in the eventTime/series shape the
// scheduler emits.
func (s *scn) schedEvent(ns, pod, msg string, count int, first, last time.Time) {
	evName := fmt.Sprintf("%s.%x", pod, first.UnixNano())
	e := obj{"apiVersion": "v1", "kind": "Event",
		"metadata":       obj{"name": evName, "namespace": ns, "uid": s.uid("Event", ns, evName), "creationTimestamp": ts(first)},
		"involvedObject": obj{"kind": "Pod", "namespace": ns, "name": pod, "uid": s.uid("Pod", ns, pod)},
		"type":           "Warning", "reason": "FailedScheduling", "message": msg, "action": "Scheduling",
		"eventTime": first.UTC().Format("2006-01-02T15:04:05.000000Z"), "reportingComponent": "default-scheduler",
		"reportingInstance": "default-scheduler-gke-retail-prod-ew4", "firstTimestamp": nil, "lastTimestamp": nil,
		"source": obj{}}
	if count > 1 {
		e["series"] = obj{"count": count, "lastObservedTime": last.UTC().Format("2006-01-02T15:04:05.000000Z")}
	}
	s.add(e)
}

// service adds a Service and its Endpoints; addresses are pod names whose
// IPs become ready endpoints.
func (s *scn) service(ns, name string, selector map[string]string, portName string, p int, target any, created time.Time, readyPods ...string) {
	s.add(obj{"apiVersion": "v1", "kind": "Service", "metadata": s.meta("Service", ns, name, nil, created),
		"spec": obj{"type": "ClusterIP", "clusterIP": svcIP(ns + name), "selector": selector,
			"ports": []any{obj{"name": portName, "port": p, "targetPort": target, "protocol": "TCP"}}}})
	ep := obj{"apiVersion": "v1", "kind": "Endpoints", "metadata": s.meta("Endpoints", ns, name, nil, created)}
	if len(readyPods) > 0 {
		var addrs []any
		for _, pod := range readyPods {
			addrs = append(addrs, obj{"ip": podIP(pod), "targetRef": obj{"kind": "Pod", "namespace": ns, "name": pod,
				"uid": s.uid("Pod", ns, pod)}})
		}
		tp := p
		if n, ok := target.(int); ok {
			tp = n
		}
		ep["subsets"] = []any{obj{"addresses": addrs, "ports": []any{obj{"name": portName, "port": tp, "protocol": "TCP"}}}}
	}
	s.add(ep)
}

func svcIP(seed string) string {
	h := sha1.Sum([]byte(seed))
	return fmt.Sprintf("10.56.%d.%d", int(h[0])%16, 2+int(h[1])%250)
}

// log appends entries to a container log; key is "ns/pod/container" with an
// optional ".previous".
func (s *scn) log(key string, lines ...logLine) { s.logs[key] = append(s.logs[key], lines...) }

// every spreads messages from start, step apart.
func every(start time.Time, step time.Duration, msgs ...string) []logLine {
	var out []logLine
	for i, m := range msgs {
		out = append(out, logLine{start.Add(time.Duration(i) * step), m})
	}
	return out
}

// repeat makes n entries from start, step apart, with f choosing each message.
func repeat(start time.Time, step time.Duration, n int, f func(i int, at time.Time) string) []logLine {
	var out []logLine
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * step)
		out = append(out, logLine{at, f(i, at)})
	}
	return out
}

// gcl renders a Cloud Logging JSON entry the way apps on GKE print them.
func gcl(severity, message string, fields ...string) string {
	m := map[string]any{"severity": severity, "message": message}
	for i := 0; i+1 < len(fields); i += 2 {
		m[fields[i]] = fields[i+1]
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// fingerprint is a stable hash of an alert's label set, as Alertmanager
// gives each alert one.
func fingerprint(labels map[string]string) string {
	h := sha1.New()
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		fmt.Fprintf(h, "%s=%s;", k, labels[k])
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func sortLogs(lines []logLine) {
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].at.Before(lines[j].at) })
}
