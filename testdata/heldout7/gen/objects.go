package main

import (
	"fmt"
	"strings"
	"time"
)

// ---- nodes ----

type nodeCond struct{ typ, status, reason, message string }

// node adds a bare-metal worker; extra conditions replace the healthy defaults of the same type.
func (s *scene) node(name string, taints []any, conds ...nodeCond) obj {
	rack := strings.Split(strings.TrimPrefix(name, "node-"), "-")[0]
	labels := map[string]string{
		"kubernetes.io/hostname": strings.Split(name, ".")[0], "kubernetes.io/os": "linux",
		"kubernetes.io/arch": "amd64", "topology.kubernetes.io/zone": "dc1-" + rack,
		"node.dc1.internal/rack": rack,
	}
	healthy := []nodeCond{
		{"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
		{"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
		{"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
		{"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
	}
	var list []any
	for _, h := range healthy {
		c := h
		for _, o := range conds {
			if o.typ == h.typ {
				c = o
			}
		}
		hb := s.at(12 * time.Second)
		if c.status == "Unknown" {
			hb = s.at(9 * time.Minute)
		}
		list = append(list, obj{"type": c.typ, "status": c.status, "reason": c.reason, "message": c.message,
			"lastHeartbeatTime": hb, "lastTransitionTime": s.at(transitionAge(c, h))})
	}
	list = append([]any{obj{"type": "NetworkUnavailable", "status": "False", "reason": "CalicoIsUp",
		"message": "Calico is running on this node", "lastHeartbeatTime": s.at(40 * 24 * time.Hour),
		"lastTransitionTime": s.at(40 * 24 * time.Hour)}}, list...)
	spec := obj{"podCIDR": "", "providerID": ""}
	delete(spec, "providerID")
	delete(spec, "podCIDR")
	if len(taints) > 0 {
		spec["taints"] = taints
	}
	return s.add(obj{"apiVersion": "v1", "kind": "Node", "metadata": s.meta("Node", "", name, labels, 180*24*time.Hour),
		"spec": spec,
		"status": obj{
			"capacity":    obj{"cpu": "32", "memory": "131758236Ki", "pods": "110", "ephemeral-storage": "467169532Ki"},
			"allocatable": obj{"cpu": "31500m", "memory": "130631836Ki", "pods": "110", "ephemeral-storage": "430544979964"},
			"conditions":  list,
			"addresses":   []any{obj{"type": "InternalIP", "address": nodeIP(name)}, obj{"type": "Hostname", "address": name}},
			"nodeInfo": obj{"kubeletVersion": "v1.30.6", "kubeProxyVersion": "v1.30.6", "containerRuntimeVersion": "containerd://1.7.22",
				"osImage": "Ubuntu 22.04.5 LTS", "kernelVersion": "5.15.0-125-generic", "operatingSystem": "linux", "architecture": "amd64"},
		}})
}

func transitionAge(c, healthy nodeCond) time.Duration {
	if c == healthy {
		return 21 * 24 * time.Hour
	}
	return 11 * time.Minute
}

func nodeIP(name string) string {
	h := uid(name)
	return fmt.Sprintf("10.40.%d.%d", 10+int(h[0])%20, 10+int(h[1])%200)
}

func podIP(name string) string {
	h := uid(name)
	return fmt.Sprintf("192.168.%d.%d", int(h[0])*7%250, 2+int(h[1])*3%250)
}

func (s *scene) nodes(names ...string) {
	for _, n := range names {
		s.node(n, nil)
	}
}

// ---- containers ----

type ctr struct {
	name, image    string
	cpuReq, cpuLim string
	memReq, memLim string
	port           int
	env            []any
	args           []string
	liveness       obj
	readiness      obj
}

func (c ctr) spec() obj {
	res := obj{}
	req, lim := obj{}, obj{}
	if c.cpuReq != "" {
		req["cpu"] = c.cpuReq
	}
	if c.memReq != "" {
		req["memory"] = c.memReq
	}
	if c.cpuLim != "" {
		lim["cpu"] = c.cpuLim
	}
	if c.memLim != "" {
		lim["memory"] = c.memLim
	}
	if len(req) > 0 {
		res["requests"] = req
	}
	if len(lim) > 0 {
		res["limits"] = lim
	}
	o := obj{"name": c.name, "image": c.image, "imagePullPolicy": "IfNotPresent", "resources": res,
		"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
	if c.port > 0 {
		o["ports"] = []any{obj{"name": "http", "containerPort": c.port, "protocol": "TCP"}}
	}
	if len(c.env) > 0 {
		o["env"] = c.env
	}
	if len(c.args) > 0 {
		args := make([]any, len(c.args))
		for i, a := range c.args {
			args[i] = a
		}
		o["args"] = args
	}
	if c.liveness != nil {
		o["livenessProbe"] = c.liveness
	}
	if c.readiness != nil {
		o["readinessProbe"] = c.readiness
	}
	return o
}

func httpProbe(path string, port, timeout, period, failures int) obj {
	return obj{"httpGet": obj{"path": path, "port": port, "scheme": "HTTP"}, "timeoutSeconds": timeout,
		"periodSeconds": period, "failureThreshold": failures, "successThreshold": 1, "initialDelaySeconds": 10}
}

func envVar(name, value string) obj { return obj{"name": name, "value": value} }

func envFrom(kind, name, key, src string) obj {
	ref := "configMapKeyRef"
	if kind == "Secret" {
		ref = "secretKeyRef"
	}
	return obj{"name": name, "valueFrom": obj{ref: obj{"name": src, "key": key}}}
}

// ---- container statuses ----

type cst struct {
	ready    bool
	started  bool
	restarts int
	state    obj
	last     obj
}

func (s *scene) running(since time.Duration) cst {
	return cst{ready: true, started: true, state: obj{"running": obj{"startedAt": s.at(since)}}}
}

func (s *scene) runningUnready(since time.Duration, restarts int, last obj) cst {
	return cst{ready: false, started: true, restarts: restarts, state: obj{"running": obj{"startedAt": s.at(since)}}, last: last}
}

func (s *scene) term(reason string, code int, started, finished time.Duration) obj {
	t := obj{"exitCode": code, "reason": reason, "startedAt": s.at(started), "finishedAt": s.at(finished),
		"containerID": "containerd://" + hexID(64, s.name, reason, fmt.Sprint(started))}
	return obj{"terminated": t}
}

func (s *scene) crashLoop(restarts int, backoff string, last obj) cst {
	return cst{restarts: restarts, last: last, state: obj{"waiting": obj{"reason": "CrashLoopBackOff",
		"message": "back-off " + backoff + " restarting failed container"}}}
}

func waiting(reason, message string) cst {
	return cst{state: obj{"waiting": obj{"reason": reason, "message": message}}}
}

func (s *scene) terminated(reason string, code int, started, finished time.Duration) cst {
	return cst{state: s.term(reason, code, started, finished)}
}

// ---- workloads and pods ----

type workload struct {
	s        *scene
	kind     string
	ns, name string
	labels   map[string]string
	obj      obj
	revs     []*revision
	extra    obj // pod spec fields shared by every revision (affinity, volumes, tolerations)
}

type revision struct {
	hash  string
	obj   obj // ReplicaSet, or nil for StatefulSets, DaemonSets and Jobs
	ctrs  []ctr
	image string
}

func template(labels map[string]string, ctrs []ctr, extra obj) obj {
	var cs []any
	for _, c := range ctrs {
		cs = append(cs, c.spec())
	}
	spec := obj{"containers": cs, "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
		"dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler"}
	for k, v := range extra {
		spec[k] = v
	}
	return obj{"metadata": obj{"labels": copyLabels(labels)}, "spec": spec}
}

func appLabels(name, version string) map[string]string {
	return map[string]string{"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name, "app.kubernetes.io/version": version}
}

func selectorOf(name string) map[string]string {
	return map[string]string{"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name}
}

// deployment adds a Deployment; call rev() for each ReplicaSet, oldest first.
func (s *scene) deployment(ns, name string, replicas int, age time.Duration, podExtra obj) *workload {
	w := &workload{s: s, kind: "Deployment", ns: ns, name: name, labels: selectorOf(name), extra: podExtra}
	m := s.meta("Deployment", ns, name, map[string]string{"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": ns}, age)
	m["generation"] = 1
	w.obj = s.add(obj{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": m,
		"spec": obj{"replicas": replicas, "selector": obj{"matchLabels": copyLabels(w.labels)},
			"strategy":             obj{"type": "RollingUpdate", "rollingUpdate": obj{"maxSurge": "25%", "maxUnavailable": "25%"}},
			"revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
		"status": obj{}})
	return w
}

// rev adds a ReplicaSet revision of a Deployment; the last one added is the Deployment's template.
func (w *workload) rev(hash, version string, age time.Duration, replicas int, ctrs ...ctr) *revision {
	s := w.s
	labels := merge(appLabels(w.name, version), map[string]string{"pod-template-hash": hash})
	m := s.meta("ReplicaSet", w.ns, w.name+"-"+hash, labels, age)
	m["ownerReferences"] = ownerRef("apps/v1", "Deployment", w.name, uidOf(w.obj))
	m["annotations"] = obj{"deployment.kubernetes.io/revision": fmt.Sprint(len(w.revs) + 1),
		"deployment.kubernetes.io/desired-replicas": fmt.Sprint(w.obj["spec"].(obj)["replicas"])}
	spec := w.obj["spec"].(obj)
	extra := w.extra
	rs := s.add(obj{"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": m,
		"spec": obj{"replicas": replicas, "selector": obj{"matchLabels": copyLabels(merge(w.labels, map[string]string{"pod-template-hash": hash}))},
			"template": template(labels, ctrs, extra)},
		"status": obj{"replicas": replicas, "observedGeneration": 1}})
	r := &revision{hash: hash, obj: rs, ctrs: ctrs, image: ctrs[0].image}
	w.revs = append(w.revs, r)
	depLabels := appLabels(w.name, version)
	spec["template"] = template(depLabels, ctrs, extra)
	metaOf(w.obj)["generation"] = len(w.revs)
	metaOf(w.obj)["annotations"] = obj{"deployment.kubernetes.io/revision": fmt.Sprint(len(w.revs))}
	return r
}

// status fills Deployment and ReplicaSet status; ready counts per revision in rev order.
func (w *workload) status(conds []any, ready ...int) {
	total, readyTotal := 0, 0
	for i, r := range w.revs {
		n := r.obj["spec"].(obj)["replicas"].(int)
		rd := 0
		if i < len(ready) {
			rd = ready[i]
		}
		st := obj{"replicas": n, "fullyLabeledReplicas": n, "readyReplicas": rd, "availableReplicas": rd, "observedGeneration": 1}
		r.obj["status"] = st
		total += n
		readyTotal += rd
	}
	updated := w.revs[len(w.revs)-1].obj["spec"].(obj)["replicas"].(int)
	st := obj{"observedGeneration": len(w.revs), "replicas": total, "updatedReplicas": updated,
		"readyReplicas": readyTotal, "availableReplicas": readyTotal, "unavailableReplicas": total - readyTotal}
	if conds != nil {
		st["conditions"] = conds
	}
	w.obj["status"] = st
}

func (s *scene) depCond(typ, status, reason, msg string, age time.Duration) obj {
	return obj{"type": typ, "status": status, "reason": reason, "message": msg,
		"lastUpdateTime": s.at(age), "lastTransitionTime": s.at(age)}
}

// statefulSet adds a StatefulSet with its template.
func (s *scene) statefulSet(ns, name string, replicas int, age time.Duration, version string, podExtra obj, claims []any, ctrs ...ctr) *workload {
	w := &workload{s: s, kind: "StatefulSet", ns: ns, name: name, labels: selectorOf(name)}
	m := s.meta("StatefulSet", ns, name, map[string]string{"app.kubernetes.io/name": name}, age)
	m["generation"] = 3
	spec := obj{"replicas": replicas, "serviceName": name + "-headless", "podManagementPolicy": "OrderedReady",
		"selector": obj{"matchLabels": copyLabels(w.labels)}, "template": template(appLabels(name, version), ctrs, podExtra),
		"updateStrategy": obj{"type": "RollingUpdate", "rollingUpdate": obj{"partition": 0}}}
	if claims != nil {
		spec["volumeClaimTemplates"] = claims
	}
	hash := name + "-" + hexID(10, s.name, name)
	w.obj = s.add(obj{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": m, "spec": spec,
		"status": obj{"replicas": replicas, "observedGeneration": 3, "currentRevision": hash, "updateRevision": hash}})
	w.revs = []*revision{{hash: hash, ctrs: ctrs, image: ctrs[0].image}}
	return w
}

// daemonSet adds a DaemonSet.
func (s *scene) daemonSet(ns, name string, age time.Duration, version string, podExtra obj, ctrs ...ctr) *workload {
	w := &workload{s: s, kind: "DaemonSet", ns: ns, name: name, labels: selectorOf(name)}
	m := s.meta("DaemonSet", ns, name, map[string]string{"app.kubernetes.io/name": name}, age)
	m["generation"] = 2
	w.obj = s.add(obj{"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": m,
		"spec":   obj{"selector": obj{"matchLabels": copyLabels(w.labels)}, "template": template(appLabels(name, version), ctrs, podExtra)},
		"status": obj{}})
	w.revs = []*revision{{hash: hexID(10, s.name, name), ctrs: ctrs, image: ctrs[0].image}}
	return w
}

// cronJob adds a CronJob; jobs are added with job().
func (s *scene) cronJob(ns, name, schedule string, age time.Duration, extra obj) obj {
	m := s.meta("CronJob", ns, name, map[string]string{"app.kubernetes.io/name": name}, age)
	spec := obj{"schedule": schedule, "concurrencyPolicy": "Forbid", "suspend": false,
		"successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1, "timeZone": "Etc/UTC"}
	for k, v := range extra {
		spec[k] = v
	}
	return s.add(obj{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": m, "spec": spec, "status": obj{}})
}

// job adds a Job (owned by cron when given) with the given spec extras and status.
func (s *scene) job(ns, name string, cron obj, age time.Duration, jobSpec obj, status obj, ctrs ...ctr) *workload {
	labels := map[string]string{"job-name": name, "batch.kubernetes.io/job-name": name}
	m := s.meta("Job", ns, name, labels, age)
	if cron != nil {
		m["ownerReferences"] = ownerRef("batch/v1", "CronJob", metaOf(cron)["name"].(string), uidOf(cron))
	}
	id := m["uid"].(string)
	sel := map[string]string{"batch.kubernetes.io/controller-uid": id}
	podLabels := merge(labels, merge(sel, map[string]string{"controller-uid": id}))
	tmpl := template(podLabels, ctrs, obj{"restartPolicy": "Never"})
	spec := obj{"parallelism": 1, "completions": 1, "backoffLimit": 6, "completionMode": "NonIndexed",
		"selector": obj{"matchLabels": copyLabels(sel)}, "template": tmpl, "suspend": false}
	for k, v := range jobSpec {
		spec[k] = v
	}
	o := s.add(obj{"apiVersion": "batch/v1", "kind": "Job", "metadata": m, "spec": spec, "status": status})
	if cron != nil {
		jobTemplate := obj{}
		for k, v := range jobSpec {
			jobTemplate[k] = v
		}
		jobTemplate["template"] = template(nil, ctrs, obj{"restartPolicy": "Never"})
		cron["spec"].(obj)["jobTemplate"] = obj{"metadata": obj{}, "spec": jobTemplate}
	}
	return &workload{s: s, kind: "Job", ns: ns, name: name, labels: podLabels, obj: o,
		revs: []*revision{{hash: "", ctrs: ctrs, image: ctrs[0].image}}}
}

// pod adds a Pod of the workload. For Deployments r selects the ReplicaSet; suffix is the
// random tail (Deployments, Jobs, DaemonSets) or ordinal (StatefulSets). node "" leaves it unscheduled.
func (w *workload) pod(r *revision, suffix, node string, age time.Duration, sts ...cst) string {
	s := w.s
	if r == nil {
		r = w.revs[len(w.revs)-1]
	}
	var name string
	var labels map[string]string
	var owner []any
	tmplMeta := obj{}
	switch w.kind {
	case "Deployment":
		name = w.name + "-" + r.hash + "-" + suffix
		tmplMeta = r.obj["spec"].(obj)["template"].(obj)
		owner = ownerRef("apps/v1", "ReplicaSet", w.name+"-"+r.hash, uidOf(r.obj))
	case "StatefulSet":
		name = w.name + "-" + suffix
		tmplMeta = w.obj["spec"].(obj)["template"].(obj)
		owner = ownerRef("apps/v1", "StatefulSet", w.name, uidOf(w.obj))
	case "DaemonSet":
		name = w.name + "-" + suffix
		tmplMeta = w.obj["spec"].(obj)["template"].(obj)
		owner = ownerRef("apps/v1", "DaemonSet", w.name, uidOf(w.obj))
	case "Job":
		name = w.name + "-" + suffix
		tmplMeta = w.obj["spec"].(obj)["template"].(obj)
		owner = ownerRef("batch/v1", "Job", w.name, uidOf(w.obj))
	}
	labels = map[string]string{}
	for k, v := range tmplMeta["metadata"].(obj)["labels"].(map[string]any) {
		labels[k] = v.(string)
	}
	switch w.kind {
	case "StatefulSet":
		labels["controller-revision-hash"] = r.hash
		labels["statefulset.kubernetes.io/pod-name"] = name
		labels["apps.kubernetes.io/pod-index"] = suffix
	case "DaemonSet":
		labels["controller-revision-hash"] = r.hash[:9]
		labels["pod-template-generation"] = "2"
	}
	m := s.meta("Pod", w.ns, name, labels, age)
	m["ownerReferences"] = owner
	m["generateName"] = strings.TrimSuffix(name, suffix)
	spec := obj{}
	for k, v := range tmplMeta["spec"].(obj) {
		spec[k] = v
	}
	spec["serviceAccountName"] = w.name
	spec["enableServiceLinks"] = true
	spec["priority"] = 0
	if node != "" {
		spec["nodeName"] = node
	}
	s.add(obj{"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": s.podStatus(name, node, age, r.ctrs, sts)})
	return name
}

func (s *scene) podStatus(name, node string, age time.Duration, ctrs []ctr, sts []cst) obj {
	if node == "" {
		return obj{"phase": "Pending", "qosClass": "Burstable", "conditions": []any{obj{"type": "PodScheduled", "status": "False",
			"reason": "Unschedulable", "lastProbeTime": nil, "lastTransitionTime": s.at(age)}}}
	}
	allReady := true
	anyStarted := false
	var statuses []any
	for i, c := range ctrs {
		st := s.running(age - 5*time.Second)
		if i < len(sts) {
			st = sts[i]
		}
		allReady = allReady && st.ready
		anyStarted = anyStarted || st.started || st.last != nil || st.state["terminated"] != nil
		o := obj{"name": c.name, "image": c.image, "imageID": "", "ready": st.ready, "started": st.started,
			"restartCount": st.restarts, "state": st.state, "lastState": obj{}}
		if st.last != nil {
			o["lastState"] = st.last
		}
		if st.started || st.last != nil || st.state["terminated"] != nil {
			o["imageID"] = imageRef(c.image)
			o["containerID"] = "containerd://" + hexID(64, s.name, name, c.name, fmt.Sprint(st.restarts))
		}
		statuses = append(statuses, o)
	}
	phase := "Running"
	if !anyStarted {
		phase = "Pending"
	}
	if len(sts) > 0 && sts[0].state["terminated"] != nil {
		if sts[0].state["terminated"].(obj)["exitCode"] == 0 {
			phase = "Succeeded"
		} else {
			phase = "Failed"
		}
	}
	ready := "False"
	if allReady {
		ready = "True"
	}
	conds := []any{
		obj{"type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": nil, "lastTransitionTime": s.at(age - 3*time.Second)},
		obj{"type": "Initialized", "status": "True", "lastProbeTime": nil, "lastTransitionTime": s.at(age - 2*time.Second)},
		obj{"type": "Ready", "status": ready, "lastProbeTime": nil, "lastTransitionTime": s.at(age / 2)},
		obj{"type": "ContainersReady", "status": ready, "lastProbeTime": nil, "lastTransitionTime": s.at(age / 2)},
		obj{"type": "PodScheduled", "status": "True", "lastProbeTime": nil, "lastTransitionTime": s.at(age)},
	}
	return obj{"phase": phase, "qosClass": "Burstable", "hostIP": nodeIP(node), "podIP": podIP(name),
		"podIPs": []any{obj{"ip": podIP(name)}}, "startTime": s.at(age), "conditions": conds, "containerStatuses": statuses}
}

func imageRef(image string) string {
	repo := strings.Split(image, ":")[0]
	return repo + "@sha256:" + hexID(64, image)
}

// ---- services, endpoints, config, storage, autoscaling ----

func (s *scene) service(ns, name string, selector map[string]string, port, target int, lbType string) obj {
	typ := "ClusterIP"
	if lbType != "" {
		typ = lbType
	}
	spec := obj{"type": typ, "clusterIP": "10.96." + fmt.Sprint(int(uid(ns, name)[0])%200) + "." + fmt.Sprint(int(uid(ns, name)[1])%250+2),
		"ports": []any{obj{"name": "http", "port": port, "targetPort": target, "protocol": "TCP"}}, "sessionAffinity": "None"}
	if selector != nil {
		spec["selector"] = copyLabels(selector)
	}
	return s.add(obj{"apiVersion": "v1", "kind": "Service", "metadata": s.meta("Service", ns, name, selector, 200*24*time.Hour),
		"spec": spec, "status": obj{"loadBalancer": obj{}}})
}

// endpoints lists the ready and not-ready pods behind a Service by pod name.
func (s *scene) endpoints(ns, name string, port int, ready, notReady []string) obj {
	subset := obj{"ports": []any{obj{"name": "http", "port": port, "protocol": "TCP"}}}
	addr := func(pods []string) []any {
		var out []any
		for _, p := range pods {
			node := ""
			for _, o := range s.objects {
				if o["kind"] == "Pod" && metaOf(o)["name"] == p {
					node, _ = o["spec"].(obj)["nodeName"].(string)
				}
			}
			out = append(out, obj{"ip": podIP(p), "nodeName": node, "targetRef": obj{"kind": "Pod", "namespace": ns, "name": p}})
		}
		return out
	}
	if len(ready) > 0 {
		subset["addresses"] = addr(ready)
	}
	if len(notReady) > 0 {
		subset["notReadyAddresses"] = addr(notReady)
	}
	o := obj{"apiVersion": "v1", "kind": "Endpoints", "metadata": s.meta("Endpoints", ns, name, nil, 200*24*time.Hour)}
	if len(ready)+len(notReady) > 0 {
		o["subsets"] = []any{subset}
	}
	return s.add(o)
}

func (s *scene) configMap(ns, name string, age time.Duration, data map[string]string) obj {
	d := obj{}
	for k, v := range data {
		d[k] = v
	}
	return s.add(obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": s.meta("ConfigMap", ns, name, nil, age), "data": d})
}

func (s *scene) pvc(ns, name, class, size, phase string, age time.Duration, owner obj) obj {
	m := s.meta("PersistentVolumeClaim", ns, name, nil, age)
	m["annotations"] = obj{"volume.kubernetes.io/storage-provisioner": "rook-ceph.rbd.csi.ceph.com"}
	m["finalizers"] = []any{"kubernetes.io/pvc-protection"}
	if owner != nil {
		m["ownerReferences"] = ownerRef(owner["apiVersion"].(string), owner["kind"].(string), metaOf(owner)["name"].(string), uidOf(owner))
	}
	st := obj{"phase": phase}
	spec := obj{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": class, "volumeMode": "Filesystem",
		"resources": obj{"requests": obj{"storage": size}}}
	if phase == "Bound" {
		spec["volumeName"] = "pvc-" + uid(s.name, ns, name)
		st["capacity"] = obj{"storage": size}
		st["accessModes"] = []any{"ReadWriteOnce"}
	}
	return s.add(obj{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": m, "spec": spec, "status": st})
}

func (s *scene) hpa(ns string, target *workload, min, max, current, desired int, cpuTarget, cpuNow int, conds []any) obj {
	return s.add(obj{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
		"metadata": s.meta("HorizontalPodAutoscaler", ns, target.name, nil, 90*24*time.Hour),
		"spec": obj{"scaleTargetRef": obj{"apiVersion": "apps/v1", "kind": "Deployment", "name": target.name},
			"minReplicas": min, "maxReplicas": max,
			"metrics": []any{obj{"type": "Resource", "resource": obj{"name": "cpu", "target": obj{"type": "Utilization", "averageUtilization": cpuTarget}}}}},
		"status": obj{"currentReplicas": current, "desiredReplicas": desired, "lastScaleTime": s.at(9 * time.Minute),
			"currentMetrics": []any{obj{"type": "Resource", "resource": obj{"name": "cpu", "current": obj{"averageUtilization": cpuNow}}}},
			"conditions":     conds}})
}

func (s *scene) hpaCond(typ, status, reason, msg string, age time.Duration) obj {
	return obj{"type": typ, "status": status, "reason": reason, "message": msg, "lastTransitionTime": s.at(age)}
}

// operatorPod adds a Pod owned by a custom resource the fixture does not carry
// (a CloudNativePG Cluster, a Strimzi StrimziPodSet): the operators create such pods directly.
func (s *scene) operatorPod(ns, name, ownerAPI, ownerKind, ownerName, node string, labels map[string]string, age time.Duration, ctrs []ctr, sts ...cst) obj {
	m := s.meta("Pod", ns, name, labels, age)
	m["ownerReferences"] = ownerRef(ownerAPI, ownerKind, ownerName, uid(s.name, ownerKind, ns, ownerName))
	spec := template(labels, ctrs, nil)["spec"].(obj)
	spec["nodeName"] = node
	spec["serviceAccountName"] = ownerName
	return s.add(obj{"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": s.podStatus(name, node, age, ctrs, sts)})
}

// initBlocked rewrites a pod's status so that its init container is the one failing.
func (s *scene) initBlocked(ns, pod string, init ctr, st cst) {
	p := s.find("Pod", ns, pod)
	spec := p["spec"].(obj)
	spec["initContainers"] = []any{init.spec()}
	status := p["status"].(obj)
	status["phase"] = "Pending"
	for _, c := range status["conditions"].([]any) {
		cond := c.(obj)
		if cond["type"] == "Initialized" || cond["type"] == "Ready" || cond["type"] == "ContainersReady" {
			cond["status"] = "False"
			if cond["type"] == "Initialized" {
				cond["reason"] = "ContainersNotInitialized"
				cond["message"] = "containers with incomplete status: [" + init.name + "]"
			}
		}
	}
	for _, c := range status["containerStatuses"].([]any) {
		cs := c.(obj)
		cs["ready"], cs["started"], cs["restartCount"] = false, false, 0
		cs["state"] = obj{"waiting": obj{"reason": "PodInitializing"}}
		cs["lastState"] = obj{}
		cs["imageID"] = ""
		delete(cs, "containerID")
	}
	is := obj{"name": init.name, "image": init.image, "imageID": imageRef(init.image), "ready": false, "started": st.started,
		"restartCount": st.restarts, "state": st.state, "lastState": obj{}, "containerID": "containerd://" + hexID(64, s.name, pod, init.name)}
	if st.last != nil {
		is["lastState"] = st.last
	}
	status["initContainerStatuses"] = []any{is}
}
