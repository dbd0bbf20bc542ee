package main

import (
	"fmt"
	"time"
)

// The general-purpose managed node group every incident starts from.
var generalNodes = []string{
	"ip-10-42-11-23.eu-central-1.compute.internal",
	"ip-10-42-12-41.eu-central-1.compute.internal",
	"ip-10-42-13-87.eu-central-1.compute.internal",
}

func (w *world) stdNodes() { w.stdNodesWith(nil) }

// stdNodesWith lets an incident change one node of the group (NotReady, under pressure, tainted).
func (w *world) stdNodesWith(change func(i int, n *nodeSpec)) {
	for i, name := range generalNodes {
		n := nodeSpec{name: name, instance: "m6i.xlarge", zone: "eu-central-1" + string(rune('a'+i)), group: "general-2025-11", created: w.at(9*24*time.Hour + time.Duration(i)*time.Hour)}
		if change != nil {
			change(i, &n)
		}
		w.node(n)
	}
}

// podState is what one replica looks like at `now`.
type podState struct {
	ready    bool
	restarts int
	state    obj
	last     obj
	age      time.Duration
	node     int // index into generalNodes; -1 for a pod that was never scheduled
	// phase, reason and message override the pod status (an evicted pod is Failed/Evicted).
	phase, reason, message string
	schedMsg               string // the scheduler's PodScheduled=False message
}

type appSpec struct {
	ns, name  string
	labels    map[string]string
	image     string
	port      int
	res       obj
	probes    obj
	env       []obj
	envFrom   []obj
	revision  int
	age       time.Duration // Deployment age
	rsAge     time.Duration // current ReplicaSet age
	pods      []podState
	oldRS     *oldRS
	oldPods   int // running pods still owned by the previous ReplicaSet
	progress  obj
	nodeSel   map[string]string
	volumes   []obj
	sa        string
	noMesh    bool
	container string
}

// app writes a Deployment, its ReplicaSet(s) and the pods, and returns the pod names of the current ReplicaSet.
func (w *world) app(a appSpec) []string {
	if a.revision == 0 {
		a.revision = 1
	}
	if a.container == "" {
		a.container = a.name
	}
	main := cs{name: a.container, image: a.image, ports: []int{a.port}, resources: a.res, probes: a.probes, env: a.env, envFrom: a.envFrom}
	ready := a.oldPods
	for _, p := range a.pods {
		if p.ready {
			ready++
		}
	}
	var old *oldRS
	if a.oldRS != nil {
		old = a.oldRS
	}
	rs, labels := w.deployment(deploySpec{ns: a.ns, name: a.name, labels: a.labels, replicas: len(a.pods) + a.oldPods, ready: ready, revision: a.revision,
		created: w.at(a.age), rsCreated: w.at(a.rsAge), image: a.image, template: []cs{main}, oldRS: old, progress: a.progress})
	var names []string
	for i, p := range a.pods {
		name := podName(rs, fmt.Sprint(i))
		names = append(names, name)
		c := main
		c.ready, c.restarts, c.state, c.last = p.ready, p.restarts, p.state, p.last
		w.meshedPod(a, name, rs, "ReplicaSet", labels, p, c)
	}
	if a.oldPods > 0 {
		ors, ol := oldPodLabels(a.ns, a.name, a.revision, a.labels)
		for i := 0; i < a.oldPods; i++ {
			c := main
			c.image = a.oldRS.image
			c.ready, c.state = true, running(a.oldRS.created)
			w.meshedPod(a, podName(ors, fmt.Sprint(i)), ors, "ReplicaSet", ol, podState{age: w.now.Sub(mustTime(a.oldRS.created)), node: i}, c)
		}
	}
	return names
}

func (w *world) meshedPod(a appSpec, name, ownerName, ownerKind string, labels map[string]string, st podState, c cs) {
	created := w.at(st.age)
	p := podSpec{ns: a.ns, name: name, labels: labels, ownerKind: ownerKind, ownerName: ownerName, created: created,
		nodeSelector: a.nodeSel, volumes: a.volumes, saName: a.sa, phase: st.phase, reason: st.reason, message: st.message}
	if st.node >= 0 {
		nodes := generalNodes
		if len(w.podNodes) > 0 {
			nodes = w.podNodes
		}
		p.node = nodes[st.node%len(nodes)]
	} else {
		p.phase = "Pending"
		p.conditions = []obj{{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": st.schedMsg, "lastProbeTime": nil, "lastTransitionTime": created}}
	}
	if a.noMesh {
		p.containers = []cs{c}
	} else {
		init, proxy := istio(true, created)
		p.inits, p.containers = []cs{init}, []cs{c, proxy}
	}
	if _, waitingCreate := c.state["waiting"]; waitingCreate && c.restarts == 0 && c.last == nil && p.phase == "" {
		p.phase = "Pending"
	}
	w.pod(p)
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func (w *world) configMap(ns, name string, data map[string]string) {
	w.add("config", obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(ns, name, w.at(30*24*time.Hour), nil), "data": data})
}

func (w *world) pvc(ns, name, class, size, phase string, age time.Duration, labels map[string]string) {
	o := obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta(ns, name, w.at(age), labels),
		"spec":   obj{"accessModes": []string{"ReadWriteOnce"}, "storageClassName": class, "volumeMode": "Filesystem", "resources": obj{"requests": obj{"storage": size}}},
		"status": obj{"phase": phase}}
	if phase == "Bound" {
		o["spec"].(obj)["volumeName"] = "pvc-" + uid(ns, name)
		o["status"] = obj{"phase": "Bound", "accessModes": []string{"ReadWriteOnce"}, "capacity": obj{"storage": size}}
	}
	w.add("storage", o)
}

func (w *world) hpa(ns, name string, min, max, current, desired int, cpuTarget, cpuNow int, conds []obj) {
	w.add("apps", obj{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta(ns, name, w.at(60*24*time.Hour), nil),
		"spec": obj{"scaleTargetRef": obj{"apiVersion": "apps/v1", "kind": "Deployment", "name": name}, "minReplicas": min, "maxReplicas": max,
			"metrics": []obj{{"type": "Resource", "resource": obj{"name": "cpu", "target": obj{"type": "Utilization", "averageUtilization": cpuTarget}}}}},
		"status": obj{"currentReplicas": current, "desiredReplicas": desired, "lastScaleTime": w.at(6 * time.Minute),
			"currentMetrics": []obj{{"type": "Resource", "resource": obj{"name": "cpu", "current": obj{"averageUtilization": cpuNow}}}}, "conditions": conds}})
}

// Metric helpers, named the way kube-state-metrics and cAdvisor name them.

func ksm(extra map[string]string) map[string]string {
	return merge(map[string]string{"job": "kube-state-metrics", "instance": "10.42.200.17:8080"}, extra)
}

func cadvisor(ns, pod, container, node string) map[string]string {
	return map[string]string{"job": "kubelet", "metrics_path": "/metrics/cadvisor", "namespace": ns, "pod": pod, "container": container, "node": node, "instance": node}
}

func (w *world) restartsMetric(ns, pod, container string, from, to int) {
	w.metric("kube_pod_container_status_restarts", "counter", "Number of container restarts per container.", ksm(map[string]string{"namespace": ns, "pod": pod, "container": container}),
		func(i int) float64 { return float64(from + (to-from)*i/(steps-1)) })
}

func (w *world) memoryMetric(ns, pod, container, node string, f func(i int) float64) {
	w.metric("container_memory_working_set_bytes", "gauge", "Current working set of the container in bytes", cadvisor(ns, pod, container, node), f)
}

func (w *world) limitMetric(ns, pod, container, resource, unit string, v float64) {
	w.metric("kube_pod_container_resource_limits", "gauge", "The number of requested limit resource by a container.",
		ksm(map[string]string{"namespace": ns, "pod": pod, "container": container, "resource": resource, "unit": unit}), func(int) float64 { return v })
}

func (w *world) waitingMetric(ns, pod, container, reason string) {
	w.metric("kube_pod_container_status_waiting_reason", "gauge", "Describes the reason the container is currently in waiting state.",
		ksm(map[string]string{"namespace": ns, "pod": pod, "container": container, "reason": reason}), func(int) float64 { return 1 })
}

func constant(v float64) func(int) float64 { return func(int) float64 { return v } }
func ramp(from, to float64) func(int) float64 {
	return func(i int) float64 { return from + (to-from)*float64(i)/float64(steps-1) }
}

// progressing is the Deployment condition of a rollout whose new ReplicaSet has not become available yet.
func (w *world) progressing(ns, name string, revision int, ago time.Duration) obj {
	rs := name + "-" + hashOf(ns, name, fmt.Sprint(revision))[:10]
	return obj{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "lastTransitionTime": w.at(ago), "lastUpdateTime": w.at(ago), "message": fmt.Sprintf("ReplicaSet %q is progressing.", rs)}
}
