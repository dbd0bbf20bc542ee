package main

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"
)

// obj is a Kubernetes object as the API returns it, kept as plain maps so
// that the YAML matches the wire shape field for field.
type obj = map[string]any

// uid derives a stable UID from an object's identity so every run writes
// the same bytes.
func uid(kind, ns, name string) string {
	h := sha256.Sum256([]byte(kind + "/" + ns + "/" + name))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// hashOf derives a short lowercase suffix (pod-template-hash, pod names).
func hashOf(s string, n int) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	h := sha256.Sum256([]byte(s))
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[int(h[i])%len(alphabet)])
	}
	return b.String()
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func labelsOf(kv ...string) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func meta(kind, ns, name string, created time.Time, labels map[string]any) obj {
	m := obj{"name": name, "uid": uid(kind, ns, name), "creationTimestamp": ts(created)}
	if ns != "" {
		m["namespace"] = ns
	}
	if len(labels) > 0 {
		m["labels"] = labels
	}
	return m
}

func ownerRef(owner obj) []any {
	md := owner["metadata"].(obj)
	return []any{obj{"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": md["name"],
		"uid": md["uid"], "controller": true, "blockOwnerDeletion": true}}
}

func nameOf(o obj) string      { return o["metadata"].(obj)["name"].(string) }
func namespaceOf(o obj) string { s, _ := o["metadata"].(obj)["namespace"].(string); return s }

// container describes one container of a pod template.
type container struct {
	name, image         string
	port                int
	reqCPU, reqMem      string
	limCPU, limMem      string
	env                 []any
	liveness, readiness obj
	volumeMounts        []any
}

func (c container) spec() obj {
	s := obj{"name": c.name, "image": c.image, "imagePullPolicy": "IfNotPresent"}
	res := obj{}
	if r := quantities(c.reqCPU, c.reqMem); r != nil {
		res["requests"] = r
	}
	if l := quantities(c.limCPU, c.limMem); l != nil {
		res["limits"] = l
	}
	if len(res) > 0 {
		s["resources"] = res
	}
	if c.port != 0 {
		s["ports"] = []any{obj{"containerPort": c.port, "name": "http", "protocol": "TCP"}}
	}
	if len(c.env) > 0 {
		s["env"] = c.env
	}
	if c.liveness != nil {
		s["livenessProbe"] = c.liveness
	}
	if c.readiness != nil {
		s["readinessProbe"] = c.readiness
	}
	if len(c.volumeMounts) > 0 {
		s["volumeMounts"] = c.volumeMounts
	}
	return s
}

// quantities is a requests or limits block; nil when both are unset.
func quantities(cpu, memory string) obj {
	q := obj{}
	if cpu != "" {
		q["cpu"] = cpu
	}
	if memory != "" {
		q["memory"] = memory
	}
	if len(q) == 0 {
		return nil
	}
	return q
}

func httpProbe(path string, port, delay, period, timeout, failures int) obj {
	return obj{"httpGet": obj{"path": path, "port": port, "scheme": "HTTP"}, "initialDelaySeconds": delay,
		"periodSeconds": period, "timeoutSeconds": timeout, "failureThreshold": failures, "successThreshold": 1}
}

func env(kv ...string) []any {
	var out []any
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, obj{"name": kv[i], "value": kv[i+1]})
	}
	return out
}

// podTemplate is the part shared by workloads and their pods.
type podTemplate struct {
	labels         map[string]any
	containers     []container
	nodeSelector   map[string]any
	tolerations    []any
	volumes        []any
	serviceAccount string
	annotations    map[string]any
	extra          obj // further pod spec fields (topologySpreadConstraints, affinity)
}

func (p podTemplate) spec() obj {
	var cs []any
	for _, c := range p.containers {
		cs = append(cs, c.spec())
	}
	s := obj{"containers": cs, "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
		"dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler"}
	if p.serviceAccount != "" {
		s["serviceAccountName"] = p.serviceAccount
	}
	if len(p.nodeSelector) > 0 {
		s["nodeSelector"] = p.nodeSelector
	}
	if len(p.tolerations) > 0 {
		s["tolerations"] = p.tolerations
	}
	if len(p.volumes) > 0 {
		s["volumes"] = p.volumes
	}
	for k, v := range p.extra {
		s[k] = v
	}
	return s
}

func (p podTemplate) template(extraLabels map[string]any) obj {
	l := map[string]any{}
	for k, v := range p.labels {
		l[k] = v
	}
	for k, v := range extraLabels {
		l[k] = v
	}
	md := obj{"labels": l}
	if len(p.annotations) > 0 {
		md["annotations"] = p.annotations
	}
	return obj{"metadata": md, "spec": p.spec()}
}

// selectorLabels picks the selector subset: app.kubernetes.io/name or app.
// It always returns a new map: callers extend it (pod-template-hash).
func selectorLabels(l map[string]any) map[string]any {
	for _, k := range []string{"app.kubernetes.io/name", "app", "k8s-app"} {
		if v, ok := l[k]; ok {
			return map[string]any{k: v}
		}
	}
	out := map[string]any{}
	for k, v := range l {
		out[k] = v
	}
	return out
}

// cs builds one container status.
type cs struct {
	name, image string
	ready       bool
	restarts    int
	started     time.Time // running since (zero: not running)
	waitReason  string
	waitMessage string
	lastReason  string
	lastExit    int
	lastStart   time.Time
	lastEnd     time.Time
	termReason  string // current state terminated (Jobs)
	termExit    int
}

func (c cs) status() obj {
	o := obj{"name": c.name, "image": c.image, "imageID": "", "ready": c.ready, "restartCount": c.restarts,
		"started": !c.started.IsZero()}
	if !c.started.IsZero() || c.termReason != "" {
		o["containerID"] = "containerd://" + hashOf(c.name+c.image+ts(c.started), 12) + hashOf(c.image, 12)
		o["imageID"] = imageID(c.image)
	}
	switch {
	case c.termReason != "":
		o["state"] = obj{"terminated": obj{"reason": c.termReason, "exitCode": c.termExit,
			"startedAt": ts(c.lastStart), "finishedAt": ts(c.lastEnd)}}
	case !c.started.IsZero():
		o["state"] = obj{"running": obj{"startedAt": ts(c.started)}}
	default:
		w := obj{"reason": c.waitReason}
		if c.waitMessage != "" {
			w["message"] = c.waitMessage
		}
		o["state"] = obj{"waiting": w}
	}
	if c.lastReason != "" {
		o["lastState"] = obj{"terminated": obj{"reason": c.lastReason, "exitCode": c.lastExit,
			"startedAt": ts(c.lastStart), "finishedAt": ts(c.lastEnd),
			"containerID": "containerd://" + hashOf(c.name+ts(c.lastStart), 12) + hashOf(c.image, 12)}}
	} else {
		o["lastState"] = obj{}
	}
	return o
}

func imageID(image string) string {
	repo := image
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		repo = image[:i]
	}
	return repo + "@sha256:" + fmt.Sprintf("%x", sha256.Sum256([]byte(image)))
}
