package main

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"
)

// obj is a Kubernetes object as the API returns it, kept generic so the
// fixtures can carry exactly the fields a real `kubectl get -o yaml` shows.
type obj = map[string]any

// world collects everything one incident's fixture directory will hold.
type world struct {
	name        string
	description string
	source      string
	now         time.Time
	alert       obj
	expect      obj
	files       map[string][]obj // kube/<file>.yaml -> items of a v1 List
	logs        map[string][]string
	series      []series
	// podNodes, when set, replaces generalNodes as the nodes app() spreads pods over.
	podNodes []string
}

type series struct {
	family string
	typ    string
	help   string
	labels map[string]string
	value  func(step int) float64
}

func newWorld(name string, now string) *world {
	t, err := time.Parse(time.RFC3339, now)
	if err != nil {
		panic(err)
	}
	return &world{name: name, now: t, files: map[string][]obj{}, logs: map[string][]string{}}
}

// at returns an RFC3339 timestamp `ago` before now.
func (w *world) at(ago time.Duration) string {
	return w.now.Add(-ago).UTC().Format(time.RFC3339)
}

func (w *world) add(file string, items ...obj) { w.files[file] = append(w.files[file], items...) }

// hashOf gives stable pseudo-random suffixes, so regenerating the set yields identical files.
func hashOf(parts ...string) string {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(parts, "/")))
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	v := h.Sum64()
	var b strings.Builder
	for i := 0; i < 10; i++ {
		b.WriteByte(alphabet[v%uint64(len(alphabet))])
		v /= uint64(len(alphabet))
	}
	return b.String()
}

func uid(parts ...string) string {
	h := fnv.New128a()
	h.Write([]byte(strings.Join(parts, "/")))
	s := fmt.Sprintf("%x", h.Sum(nil))
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

func meta(ns, name, created string, labels map[string]string) obj {
	m := obj{"name": name, "uid": uid(ns, name), "creationTimestamp": created, "resourceVersion": fmt.Sprint(100000 + len(name)*977)}
	if ns != "" {
		m["namespace"] = ns
	}
	if len(labels) > 0 {
		m["labels"] = labels
	}
	return m
}

func owner(kind, ns, name string) []obj {
	api := "apps/v1"
	if kind == "Job" || kind == "CronJob" {
		api = "batch/v1"
	}
	if kind == "Rollout" {
		api = "argoproj.io/v1alpha1"
	}
	return []obj{{"apiVersion": api, "kind": kind, "name": name, "uid": uid(ns, name), "controller": true, "blockOwnerDeletion": true}}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// cs describes one container: its spec and the status the kubelet reports.
type cs struct {
	name      string
	image     string
	ports     []int
	env       []obj
	envFrom   []obj
	resources obj
	probes    obj // livenessProbe/readinessProbe/startupProbe
	args      []string
	// status
	ready    bool
	restarts int
	state    obj // running / waiting / terminated
	last     obj // lastState
}

func running(since string) obj { return obj{"running": obj{"startedAt": since}} }
func waiting(reason, msg string) obj {
	o := obj{"reason": reason}
	if msg != "" {
		o["message"] = msg
	}
	return obj{"waiting": o}
}
func terminated(reason string, code int, started, finished string) obj {
	return obj{"terminated": obj{"reason": reason, "exitCode": code, "startedAt": started, "finishedAt": finished, "containerID": "containerd://" + hashOf(reason, started, finished) + hashOf(finished)}}
}

func res(cpuReq, memReq, cpuLim, memLim string) obj {
	r := obj{"requests": obj{"cpu": cpuReq, "memory": memReq}}
	lim := obj{}
	if cpuLim != "" {
		lim["cpu"] = cpuLim
	}
	if memLim != "" {
		lim["memory"] = memLim
	}
	if len(lim) > 0 {
		r["limits"] = lim
	}
	return r
}

func httpProbe(kind, path string, port int, period, failures int) obj {
	return obj{kind: obj{"httpGet": obj{"path": path, "port": port, "scheme": "HTTP"}, "periodSeconds": period, "failureThreshold": failures, "timeoutSeconds": 1, "successThreshold": 1}}
}

func (c cs) spec() obj {
	o := obj{"name": c.name, "image": c.image, "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
	if len(c.ports) > 0 {
		var ps []obj
		for _, p := range c.ports {
			ps = append(ps, obj{"containerPort": p, "protocol": "TCP"})
		}
		o["ports"] = ps
	}
	if len(c.env) > 0 {
		o["env"] = c.env
	}
	if len(c.envFrom) > 0 {
		o["envFrom"] = c.envFrom
	}
	if c.resources != nil {
		o["resources"] = c.resources
	}
	if len(c.args) > 0 {
		o["args"] = c.args
	}
	for k, v := range c.probes {
		o[k] = v
	}
	return o
}

func (c cs) status(ns, pod string) obj {
	o := obj{"name": c.name, "image": c.image, "imageID": "", "ready": c.ready, "restartCount": c.restarts, "state": c.state, "lastState": obj{}}
	if c.last != nil {
		o["lastState"] = c.last
	}
	if _, ok := c.state["running"]; ok {
		o["started"] = true
		o["containerID"] = "containerd://" + hashOf(ns, pod, c.name) + hashOf(pod, c.name, ns)
		o["imageID"] = strings.SplitN(c.image, ":", 2)[0] + "@sha256:" + hashOf(c.image) + hashOf(c.image, "d") + hashOf(c.image, "e")
	} else {
		o["started"] = false
	}
	return o
}

// istio adds the sidecar pair that Istio injection puts into every meshed pod.
func istio(ready bool, since string) (cs, cs) {
	init := cs{name: "istio-init", image: "docker.io/istio/proxyv2:1.24.2", args: []string{"istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337"},
		resources: res("10m", "40Mi", "2", "1Gi"), state: terminated("Completed", 0, since, since)}
	proxy := cs{name: "istio-proxy", image: "docker.io/istio/proxyv2:1.24.2", ports: []int{15090}, resources: res("100m", "128Mi", "2", "1Gi"),
		probes: httpProbe("readinessProbe", "/healthz/ready", 15021, 15, 4), ready: ready, state: running(since)}
	return init, proxy
}

type podSpec struct {
	ns, name     string
	labels       map[string]string
	ownerKind    string
	ownerName    string
	node         string
	created      string
	phase        string
	inits        []cs
	containers   []cs
	conditions   []obj
	nodeSelector map[string]string
	volumes      []obj
	saName       string
	reason       string
	message      string
	schedName    string
	tolerations  []obj
}

func (w *world) pod(p podSpec) obj {
	spec := obj{"restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "terminationGracePeriodSeconds": 30, "enableServiceLinks": true,
		"serviceAccountName": "default", "schedulerName": "default-scheduler", "priority": 0}
	if p.saName != "" {
		spec["serviceAccountName"] = p.saName
	}
	if p.schedName != "" {
		spec["schedulerName"] = p.schedName
	}
	if p.ownerKind == "Job" {
		spec["restartPolicy"] = "Never"
	}
	if p.node != "" {
		spec["nodeName"] = p.node
	}
	if len(p.nodeSelector) > 0 {
		spec["nodeSelector"] = p.nodeSelector
	}
	if len(p.tolerations) > 0 {
		spec["tolerations"] = p.tolerations
	}
	if len(p.volumes) > 0 {
		spec["volumes"] = p.volumes
	}
	var ic, cc, ics, ccs []obj
	for _, c := range p.inits {
		ic = append(ic, c.spec())
		ics = append(ics, c.status(p.ns, p.name))
	}
	allReady := true
	for _, c := range p.containers {
		cc = append(cc, c.spec())
		ccs = append(ccs, c.status(p.ns, p.name))
		allReady = allReady && c.ready
	}
	if len(ic) > 0 {
		spec["initContainers"] = ic
	}
	spec["containers"] = cc
	phase := p.phase
	if phase == "" {
		phase = "Running"
	}
	status := obj{"phase": phase, "qosClass": "Burstable"}
	if p.node != "" {
		status["hostIP"] = ipOf(p.node)
		status["podIP"] = ipOf(p.ns + p.name)
		status["startTime"] = p.created
	}
	if p.reason != "" {
		status["reason"] = p.reason
		status["message"] = p.message
	}
	if p.conditions != nil {
		status["conditions"] = p.conditions
	} else if p.node != "" {
		rs := "True"
		if !allReady {
			rs = "False"
		}
		status["conditions"] = []obj{
			{"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": p.created},
			{"type": "Initialized", "status": "True", "lastTransitionTime": p.created},
			{"type": "Ready", "status": rs, "lastTransitionTime": p.created},
			{"type": "ContainersReady", "status": rs, "lastTransitionTime": p.created},
			{"type": "PodScheduled", "status": "True", "lastTransitionTime": p.created},
		}
	}
	if len(ics) > 0 {
		status["initContainerStatuses"] = ics
	}
	if len(ccs) > 0 && p.node != "" {
		status["containerStatuses"] = ccs
	}
	m := meta(p.ns, p.name, p.created, p.labels)
	if p.ownerKind != "" {
		m["ownerReferences"] = owner(p.ownerKind, p.ns, p.ownerName)
	}
	if len(p.inits) > 0 && p.inits[0].name == "istio-init" {
		m["annotations"] = map[string]string{"sidecar.istio.io/status": `{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"revision":"default"}`,
			"kubectl.kubernetes.io/default-container": p.containers[0].name}
	}
	o := obj{"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": status}
	w.add("pods", o)
	return o
}

func ipOf(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	v := h.Sum32()
	return fmt.Sprintf("10.42.%d.%d", (v>>8)%250+1, v%250+2)
}

// deployment writes a Deployment and its current ReplicaSet and returns the pod-template-hash
// and the ReplicaSet name so callers can attach pods to it.
type deploySpec struct {
	ns, name   string
	labels     map[string]string
	replicas   int
	ready      int
	revision   int
	created    string
	rsCreated  string
	image      string
	template   []cs
	oldRS      *oldRS // the previous ReplicaSet kept by a rollout
	progress   obj
	annotation map[string]string
}

type oldRS struct {
	image    string
	replicas int
	created  string
}

func (w *world) deployment(d deploySpec) (rsName string, podLabels map[string]string) {
	sel := map[string]string{"app.kubernetes.io/name": d.name}
	hash := hashOf(d.ns, d.name, fmt.Sprint(d.revision))[:10]
	rsName = d.name + "-" + hash
	podLabels = merge(merge(sel, d.labels), map[string]string{"pod-template-hash": hash, "security.istio.io/tlsMode": "istio"})
	var tpl []obj
	for _, c := range d.template {
		tpl = append(tpl, c.spec())
	}
	conds := []obj{{"type": "Available", "status": boolStr(d.ready >= d.replicas/2+d.replicas%2), "reason": "MinimumReplicasAvailable", "lastTransitionTime": d.rsCreated, "lastUpdateTime": d.rsCreated, "message": "Deployment has minimum availability."}}
	if d.progress != nil {
		conds = append(conds, d.progress)
	} else {
		conds = append(conds, obj{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "lastTransitionTime": d.created, "lastUpdateTime": d.rsCreated, "message": fmt.Sprintf("ReplicaSet %q has successfully progressed.", rsName)})
	}
	dm := meta(d.ns, d.name, d.created, merge(sel, d.labels))
	dm["generation"] = d.revision + 3
	ann := map[string]string{"deployment.kubernetes.io/revision": fmt.Sprint(d.revision)}
	for k, v := range d.annotation {
		ann[k] = v
	}
	dm["annotations"] = ann
	w.add("apps", obj{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": dm,
		"spec": obj{"replicas": d.replicas, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
			"selector": obj{"matchLabels": sel},
			"strategy": obj{"type": "RollingUpdate", "rollingUpdate": obj{"maxSurge": "25%", "maxUnavailable": "25%"}},
			"template": obj{"metadata": obj{"labels": merge(sel, d.labels), "annotations": map[string]string{"sidecar.istio.io/inject": "true"}}, "spec": obj{"containers": tpl}}},
		"status": obj{"observedGeneration": d.revision + 3, "replicas": d.replicas, "updatedReplicas": d.replicas, "readyReplicas": d.ready, "availableReplicas": d.ready, "unavailableReplicas": d.replicas - d.ready, "conditions": conds}})
	rsMeta := meta(d.ns, rsName, d.rsCreated, podLabels)
	rsMeta["ownerReferences"] = owner("Deployment", d.ns, d.name)
	rsMeta["annotations"] = map[string]string{"deployment.kubernetes.io/revision": fmt.Sprint(d.revision), "deployment.kubernetes.io/desired-replicas": fmt.Sprint(d.replicas)}
	w.add("apps", obj{"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": rsMeta,
		"spec": obj{"replicas": d.replicas, "selector": obj{"matchLabels": merge(sel, map[string]string{"pod-template-hash": hash})},
			"template": obj{"metadata": obj{"labels": podLabels}, "spec": obj{"containers": tpl}}},
		"status": obj{"replicas": d.replicas, "readyReplicas": d.ready, "availableReplicas": d.ready, "fullyLabeledReplicas": d.replicas, "observedGeneration": 1}})
	if d.oldRS != nil {
		oh := hashOf(d.ns, d.name, fmt.Sprint(d.revision-1))[:10]
		oldName := d.name + "-" + oh
		ol := merge(merge(sel, d.labels), map[string]string{"pod-template-hash": oh})
		om := meta(d.ns, oldName, d.oldRS.created, ol)
		om["ownerReferences"] = owner("Deployment", d.ns, d.name)
		om["annotations"] = map[string]string{"deployment.kubernetes.io/revision": fmt.Sprint(d.revision - 1)}
		old := d.template[0]
		old.image = d.oldRS.image
		w.add("apps", obj{"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": om,
			"spec": obj{"replicas": d.oldRS.replicas, "selector": obj{"matchLabels": merge(sel, map[string]string{"pod-template-hash": oh})},
				"template": obj{"metadata": obj{"labels": ol}, "spec": obj{"containers": []obj{old.spec()}}}},
			"status": obj{"replicas": d.oldRS.replicas, "readyReplicas": d.oldRS.replicas, "availableReplicas": d.oldRS.replicas, "observedGeneration": 2}})
	}
	return rsName, podLabels
}

// oldPodLabels are the labels of pods that still belong to the previous ReplicaSet.
func oldPodLabels(ns, name string, revision int, extra map[string]string) (string, map[string]string) {
	oh := hashOf(ns, name, fmt.Sprint(revision-1))[:10]
	return name + "-" + oh, merge(merge(map[string]string{"app.kubernetes.io/name": name}, extra), map[string]string{"pod-template-hash": oh, "security.istio.io/tlsMode": "istio"})
}

func podName(rs, salt string) string { return rs + "-" + hashOf(rs, salt)[:5] }

func boolStr(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func (w *world) service(ns, name string, selector map[string]string, port, target int, readyIPs, notReadyIPs []string) {
	w.add("network", obj{"apiVersion": "v1", "kind": "Service", "metadata": meta(ns, name, w.at(2400*time.Hour), map[string]string{"app.kubernetes.io/name": name}),
		"spec": obj{"type": "ClusterIP", "clusterIP": "172.20." + ipOf(name)[6:], "selector": selector, "ports": []obj{{"name": "http", "port": port, "targetPort": target, "protocol": "TCP"}}}, "status": obj{"loadBalancer": obj{}}})
	subset := obj{"ports": []obj{{"name": "http", "port": target, "protocol": "TCP"}}}
	var ra, na []obj
	for _, ip := range readyIPs {
		ra = append(ra, obj{"ip": ip})
	}
	for _, ip := range notReadyIPs {
		na = append(na, obj{"ip": ip})
	}
	if ra != nil {
		subset["addresses"] = ra
	}
	if na != nil {
		subset["notReadyAddresses"] = na
	}
	ep := obj{"apiVersion": "v1", "kind": "Endpoints", "metadata": meta(ns, name, w.at(2400*time.Hour), map[string]string{"app.kubernetes.io/name": name})}
	if ra != nil || na != nil {
		ep["subsets"] = []obj{subset}
	}
	w.add("network", ep)
}

type nodeSpec struct {
	name, instance, zone, group string
	fargate                     bool
	created                     string
	ready                       string // True/False/Unknown
	readyReason, readyMsg       string
	pressure                    map[string]string // condition type -> message (status True)
	taints                      []obj
	since                       string
}

func (w *world) node(n nodeSpec) {
	labels := map[string]string{"kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
		"topology.kubernetes.io/region": "eu-central-1", "topology.kubernetes.io/zone": n.zone, "node.kubernetes.io/instance-type": n.instance}
	if n.fargate {
		labels["eks.amazonaws.com/compute-type"] = "fargate"
		labels["eks.amazonaws.com/fargate-profile"] = n.group
	} else {
		labels["eks.amazonaws.com/nodegroup"] = n.group
		labels["eks.amazonaws.com/capacityType"] = "ON_DEMAND"
	}
	since := n.since
	if since == "" {
		since = n.created
	}
	readyReason, readyMsg := "KubeletReady", "kubelet is posting ready status"
	if n.ready == "" {
		n.ready = "True"
	}
	if n.ready != "True" {
		readyReason, readyMsg = n.readyReason, n.readyMsg
	}
	conds := []obj{}
	for _, t := range []string{"MemoryPressure", "DiskPressure", "PIDPressure"} {
		c := obj{"type": t, "status": "False", "reason": "KubeletHasSufficient" + strings.TrimSuffix(t, "Pressure"), "message": "kubelet has sufficient " + strings.ToLower(strings.TrimSuffix(t, "Pressure")) + " available", "lastHeartbeatTime": w.at(20 * time.Second), "lastTransitionTime": n.created}
		if t == "DiskPressure" {
			c["reason"], c["message"] = "KubeletHasNoDiskPressure", "kubelet has no disk pressure"
		}
		if t == "MemoryPressure" {
			c["reason"] = "KubeletHasSufficientMemory"
		}
		if msg, ok := n.pressure[t]; ok {
			c["status"], c["message"], c["lastTransitionTime"] = "True", msg, since
			c["reason"] = "KubeletHasInsufficient" + strings.TrimSuffix(t, "Pressure")
			if t == "DiskPressure" {
				c["reason"] = "KubeletHasDiskPressure"
			}
		}
		conds = append(conds, c)
	}
	conds = append(conds, obj{"type": "Ready", "status": n.ready, "reason": readyReason, "message": readyMsg, "lastHeartbeatTime": w.at(20 * time.Second), "lastTransitionTime": since})
	spec := obj{"providerID": "aws:///eu-central-1" + n.zone[len(n.zone)-1:] + "/i-0" + hashOf(n.name) + hashOf(n.name, "i")[:6]}
	if len(n.taints) > 0 {
		spec["taints"] = n.taints
	}
	w.add("nodes", obj{"apiVersion": "v1", "kind": "Node", "metadata": meta("", n.name, n.created, labels), "spec": spec,
		"status": obj{"conditions": conds, "capacity": obj{"cpu": "4", "memory": "15896772Ki", "pods": "58", "ephemeral-storage": "83873772Ki"},
			"allocatable": obj{"cpu": "3920m", "memory": "14879940Ki", "pods": "58", "ephemeral-storage": "76224326324"},
			"nodeInfo":    obj{"kubeletVersion": "v1.31.4-eks-aeac579", "containerRuntimeVersion": "containerd://1.7.25", "osImage": "Amazon Linux 2023.6.20250115", "kernelVersion": "6.1.124-134.200.amzn2023.x86_64", "architecture": "amd64", "operatingSystem": "linux"}}})
}

// event writes a core/v1 Event in the classic count/firstTimestamp/lastTimestamp shape (kubelet, controllers).
func (w *world) event(ns, kind, name, typ, reason, msg string, count int, first, last, component, host string) {
	e := obj{"apiVersion": "v1", "kind": "Event", "metadata": meta(ns, name+"."+hashOf(reason, msg, first)[:8], first, nil),
		"involvedObject": obj{"kind": kind, "name": name, "namespace": ns, "uid": uid(ns, name), "apiVersion": apiOf(kind)},
		"type":           typ, "reason": reason, "message": msg, "count": count, "firstTimestamp": first, "lastTimestamp": last,
		"source": obj{"component": component}, "reportingComponent": component, "reportingInstance": host}
	if host != "" {
		e["source"] = obj{"component": component, "host": host}
	}
	if ns == "" {
		e["metadata"].(obj)["namespace"] = "default"
		delete(e["involvedObject"].(obj), "namespace")
	}
	w.add("events", e)
}

// eventSeries writes an Event in the eventTime/series shape the scheduler and newer controllers emit.
func (w *world) eventSeries(ns, kind, name, typ, reason, action, msg string, count int, first, last, controller string) {
	e := obj{"apiVersion": "v1", "kind": "Event", "metadata": meta(ns, name+"."+hashOf(reason, msg, first)[:8], first, nil),
		"involvedObject": obj{"kind": kind, "name": name, "namespace": ns, "uid": uid(ns, name), "apiVersion": apiOf(kind)},
		"type":           typ, "reason": reason, "action": action, "note": nil, "message": msg, "eventTime": strings.TrimSuffix(first, "Z") + ".104211Z",
		"firstTimestamp": nil, "lastTimestamp": nil, "source": obj{}, "reportingComponent": controller, "reportingInstance": controller + "-" + hashOf(controller)[:6]}
	delete(e, "note")
	if count > 1 {
		e["series"] = obj{"count": count, "lastObservedTime": strings.TrimSuffix(last, "Z") + ".339102Z"}
	}
	w.add("events", e)
}

func apiOf(kind string) string {
	switch kind {
	case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet":
		return "apps/v1"
	case "Job", "CronJob":
		return "batch/v1"
	case "HorizontalPodAutoscaler":
		return "autoscaling/v2"
	}
	return "v1"
}

// logs writes lines spaced `step` apart, ending `endAgo` before now.
func (w *world) logLines(ns, pod, container string, previous bool, endAgo, step time.Duration, lines ...string) {
	key := ns + "/" + pod + "/" + container + ".log"
	if previous {
		key = ns + "/" + pod + "/" + container + ".previous.log"
	}
	start := w.now.Add(-endAgo).Add(-step * time.Duration(len(lines)-1))
	for i, l := range lines {
		// The jitter is less than one step and only moves a line earlier, so
		// lines stay in order and never pass now.
		ts := start.Add(step * time.Duration(i)).Add(-step * time.Duration(i*137%997) / 1000)
		w.logs[key] = append(w.logs[key], ts.UTC().Format("2006-01-02T15:04:05.000000000Z")+" "+l)
	}
}

// repeat returns n copies of a line produced by f(i), for noisy but realistic log bodies.
func repeat(n int, f func(i int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func (w *world) metric(family, typ, help string, labels map[string]string, value func(step int) float64) {
	w.series = append(w.series, series{family: family, typ: typ, help: help, labels: labels, value: value})
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
