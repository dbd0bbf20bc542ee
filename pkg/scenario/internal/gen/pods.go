package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

func k8sUID(s string) types.UID { return types.UID(s) }

// run is one execution of a container, from start to end (zero while running).
type run struct {
	start, end time.Time
	reason     string // OOMKilled, Error, Completed, ...
	exit       int32
	signal     int32
	message    string
	id         string // containerd id
}

func (r run) running() bool { return r.end.IsZero() }

func (r run) aliveAt(t time.Time) bool {
	return !t.Before(r.start) && (r.end.IsZero() || t.Before(r.end))
}

// logFunc writes the log of one run through emit; idx counts runs in the
// window, last says it is the newest.
type logFunc func(r run, idx int, emit func(t time.Time, record string))

// ctrPlan is a container of a pod and everything that happened to it.
type ctrPlan struct {
	pod     *podPlan
	spec    corev1.Container
	init    bool
	imageID string
	runs    []run
	// before counts restarts that happened before the first run listed.
	before int32
	// waiting is the state reason after the last run ended (or before any
	// run, e.g. ImagePullBackOff); empty means terminated for good.
	waiting, waitMsg string
	// unreadySince makes a running container fail readiness from then on.
	unreadySince time.Time
	readyDelay   time.Duration
	mem          func(t time.Time, r run) float64
	cpu          func(t time.Time) float64
	throttle     func(t time.Time) float64
	logs         logFunc
	oomKills     bool
}

// podPlan is a pod, its placement and its containers.
type podPlan struct {
	b         *builder
	w         *workload
	rev       *revision
	ns, name  string
	uid       string
	labels    map[string]string
	annots    map[string]string
	spec      corev1.PodSpec
	node      *nodePlan
	ip        string
	created   time.Time
	scheduled time.Time
	ctrs      []*ctrPlan
	inits     []*ctrPlan
	// phase overrides the derived phase (Failed for evictions and Jobs).
	phase, reason, message string
	failedAt               time.Time
	// pending is the scheduler's message for a pod that was never placed.
	pending string
	http    *traffic
	// deletedAt is when a rollout or scale-down removed the pod: it is gone
	// from the API and its logs, only its series and events remain.
	deletedAt time.Time
}

// deleteAt ends the pod at t: its containers stop on SIGTERM.
func (p *podPlan) deleteAt(t time.Time) {
	p.deletedAt = t
	for _, c := range p.ctrs {
		last := &c.runs[len(c.runs)-1]
		last.end, last.reason, last.exit = t.Add(-time.Second), "Completed", 0
		p.kubeletEvent("Normal", "Killing", "Stopping container "+c.spec.Name, "spec.containers{"+c.spec.Name+"}", t.Add(-2*time.Second))
	}
}

func (p *podPlan) ctr(name string) *ctrPlan {
	for _, c := range append(append([]*ctrPlan{}, p.ctrs...), p.inits...) {
		if c.spec.Name == name {
			return c
		}
	}
	panic(fmt.Sprintf("pod %s has no container %s", p.name, name))
}

func (p *podPlan) entityRef() corev1.ObjectReference {
	return corev1.ObjectReference{Kind: "Pod", Namespace: p.ns, Name: p.name, UID: k8sUID(p.uid), APIVersion: "v1"}
}

// newPod places a pod built from spec; its containers start a few seconds
// after creation and keep running unless the scenario says otherwise.
func (b *builder) newPod(w *workload, rev *revision, name string, spec corev1.PodSpec, lbls map[string]string, node *nodePlan, created time.Time) *podPlan {
	p := &podPlan{b: b, w: w, rev: rev, ns: w.ns, name: name, uid: b.uid(), labels: lbls, spec: *spec.DeepCopy(),
		node: node, created: created, scheduled: created.Add(time.Duration(20+b.rng.IntN(400)) * time.Millisecond)}
	if node != nil {
		p.ip = b.podIP()
		p.spec.NodeName = node.name
	}
	start := p.scheduled.Add(time.Duration(1500+b.rng.IntN(3000)) * time.Millisecond)
	for _, c := range spec.InitContainers {
		cp := b.newCtr(p, c, true)
		end := start.Add(time.Duration(800+b.rng.IntN(2500)) * time.Millisecond)
		if node != nil {
			cp.runs = []run{{start: start, end: end, reason: "Completed", id: b.hex(64)}}
		}
		p.inits = append(p.inits, cp)
		start = end.Add(300 * time.Millisecond)
	}
	for _, c := range spec.Containers {
		cp := b.newCtr(p, c, false)
		if node != nil {
			cp.runs = []run{{start: start, id: b.hex(64)}}
		}
		p.ctrs = append(p.ctrs, cp)
		start = start.Add(time.Duration(50+b.rng.IntN(300)) * time.Millisecond)
	}
	b.pods = append(b.pods, p)
	return p
}

func (b *builder) newCtr(p *podPlan, c corev1.Container, init bool) *ctrPlan {
	limit := c.Resources.Limits.Memory().Value()
	request := c.Resources.Requests.Memory().Value()
	base := float64(request) * (0.45 + 0.25*b.rng.Float64())
	if base == 0 {
		base = float64(limit) * 0.4
	}
	if base == 0 {
		base = 60 << 20
	}
	cpuBase := float64(c.Resources.Requests.Cpu().MilliValue()) / 1000 * (0.15 + 0.3*b.rng.Float64())
	if cpuBase == 0 {
		cpuBase = 0.004
	}
	phase := b.rng.Float64() * 6
	return &ctrPlan{pod: p, spec: c, init: init, imageID: b.imageID(c.Image), readyDelay: 8 * time.Second,
		mem: func(t time.Time, r run) float64 {
			warm := math.Min(1, t.Sub(r.start).Seconds()/90)
			return math.Round(base * (0.6 + 0.4*warm) * (1 + 0.03*math.Sin(float64(t.Unix())/170+phase)))
		},
		cpu: func(t time.Time) float64 {
			return cpuBase * (1 + 0.25*math.Sin(float64(t.Unix())/230+phase))
		},
		throttle: func(time.Time) float64 { return 0.004 },
	}
}

// crashLoop replaces the container's runs: each run lasts runFor and ends
// with term; the kubelet waits 10s, 20s, 40s ... up to 5m between runs.
// Runs begin at first and continue until now; before counts older restarts.
func (c *ctrPlan) crashLoop(first time.Time, runFor time.Duration, term run, before int32) *ctrPlan {
	b := c.pod.b
	c.runs = nil
	c.before = before
	backoff := 10 * time.Second
	for i := int32(0); i < before && backoff < 5*time.Minute; i++ {
		backoff *= 2
	}
	if backoff > 5*time.Minute {
		backoff = 5 * time.Minute
	}
	start := first
	lastWait := backoff
	for {
		d := runFor + b.jitter(runFor/5+time.Second)
		r := term
		r.start, r.end, r.id = start, start.Add(d), b.hex(64)
		if r.end.After(b.now) {
			if start.Before(b.now) {
				c.runs = append(c.runs, run{start: start, id: r.id})
			}
			break
		}
		c.runs = append(c.runs, r)
		next := r.end.Add(backoff + b.jitter(2*time.Second))
		lastWait = backoff
		if next.After(b.now) {
			break
		}
		start = next
		backoff *= 2
		if backoff > 5*time.Minute {
			backoff = 5 * time.Minute
		}
	}
	if !c.runs[len(c.runs)-1].running() {
		c.waiting = "CrashLoopBackOff"
		c.waitMsg = fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)",
			shortDuration(lastWait), c.spec.Name, c.pod.name, c.pod.ns, c.pod.uid)
	}
	return c
}

func shortDuration(d time.Duration) string {
	if d >= 5*time.Minute {
		return "5m0s"
	}
	return d.String()
}

// restartsAt is the restart count at t.
func (c *ctrPlan) restartsAt(t time.Time) float64 {
	n := float64(c.before)
	for i, r := range c.runs {
		if i > 0 && !t.Before(r.start) {
			n++
		}
	}
	return n
}

func (c *ctrPlan) restartCount() int32 { return int32(c.restartsAt(c.pod.b.now)) }

func (c *ctrPlan) runAt(t time.Time) (run, bool) {
	for _, r := range c.runs {
		if r.aliveAt(t) {
			return r, true
		}
	}
	return run{}, false
}

func (c *ctrPlan) readyAt(t time.Time) bool {
	r, ok := c.runAt(t)
	if !ok || t.Before(r.start.Add(c.readyDelay)) {
		return false
	}
	return c.unreadySince.IsZero() || t.Before(c.unreadySince)
}

// status is the container's API status: state, lastState and counts,
// derived from its runs.
func (c *ctrPlan) status() corev1.ContainerStatus {
	b := c.pod.b
	st := corev1.ContainerStatus{Name: c.spec.Name, Image: c.spec.Image, RestartCount: c.restartCount()}
	term := func(r run) *corev1.ContainerStateTerminated {
		return &corev1.ContainerStateTerminated{ExitCode: r.exit, Signal: r.signal, Reason: r.reason, Message: r.message,
			StartedAt: metav1.NewTime(r.start), FinishedAt: metav1.NewTime(r.end), ContainerID: "containerd://" + r.id}
	}
	if len(c.runs) == 0 {
		st.State.Waiting = &corev1.ContainerStateWaiting{Reason: c.waiting, Message: c.waitMsg}
		if c.waiting == "" {
			st.State.Waiting.Reason = "ContainerCreating"
		}
		f := false
		st.Started = &f
		return st
	}
	st.ImageID = c.imageID
	last := c.runs[len(c.runs)-1]
	started := false
	switch {
	case last.running():
		st.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(last.start)}
		st.ContainerID = "containerd://" + last.id
		st.Ready = c.readyAt(b.now)
		started = true
		if len(c.runs) > 1 {
			st.LastTerminationState.Terminated = term(c.runs[len(c.runs)-2])
		} else if c.before > 0 {
			st.LastTerminationState.Terminated = term(run{reason: "Error", exit: 1,
				start: last.start.Add(-3 * time.Minute), end: last.start.Add(-10 * time.Second), id: b.hex(64)})
		}
	case c.waiting != "":
		st.State.Waiting = &corev1.ContainerStateWaiting{Reason: c.waiting, Message: c.waitMsg}
		st.LastTerminationState.Terminated = term(last)
	default:
		st.State.Terminated = term(last)
		st.ContainerID = "containerd://" + last.id
		if len(c.runs) > 1 {
			st.LastTerminationState.Terminated = term(c.runs[len(c.runs)-2])
		}
	}
	st.Started = &started
	return st
}

// qosClass follows the kubelet's rules.
func qosClass(spec corev1.PodSpec) corev1.PodQOSClass {
	any, guaranteed := false, true
	for _, c := range spec.Containers {
		r := c.Resources
		if len(r.Requests) > 0 || len(r.Limits) > 0 {
			any = true
		}
		for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			l, lok := r.Limits[res]
			q, qok := r.Requests[res]
			if !lok || (qok && q.Cmp(l) != 0) {
				guaranteed = false
			}
		}
	}
	switch {
	case !any:
		return corev1.PodQOSBestEffort
	case guaranteed:
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

func (p *podPlan) derivedPhase() string {
	if p.phase != "" {
		return p.phase
	}
	if p.node == nil {
		return "Pending"
	}
	for _, c := range p.ctrs {
		if len(c.runs) > 0 {
			return "Running"
		}
	}
	return "Pending"
}

func (p *podPlan) aliveAt(t time.Time) bool {
	return !t.Before(p.created) && (p.deletedAt.IsZero() || t.Before(p.deletedAt))
}

func (p *podPlan) readyAt(t time.Time) bool {
	if !p.aliveAt(t) || p.node == nil || (!p.failedAt.IsZero() && !t.Before(p.failedAt)) {
		return false
	}
	for _, c := range p.ctrs {
		if !c.readyAt(t) {
			return false
		}
	}
	return true
}

func (p *podPlan) object() *corev1.Pod {
	b := p.b
	phase := p.derivedPhase()
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: p.name, Namespace: p.ns, UID: k8sUID(p.uid), Labels: p.labels, Annotations: p.annots,
			CreationTimestamp: metav1.NewTime(p.created), ResourceVersion: fmt.Sprint(50000000 + b.rng.IntN(9000000)),
			GenerateName:    generateName(p),
			OwnerReferences: p.w.podOwnerRefs(p),
		},
		Spec: p.spec,
		Status: corev1.PodStatus{
			Phase: corev1.PodPhase(phase), Reason: p.reason, Message: p.message, QOSClass: qosClass(p.spec),
		},
	}
	if p.node == nil {
		pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse,
			Reason: "Unschedulable", Message: p.pending, LastTransitionTime: metav1.NewTime(p.created.Add(300 * time.Millisecond))}}
		return pod
	}
	pod.Status.HostIP = p.node.ip
	pod.Status.HostIPs = []corev1.HostIP{{IP: p.node.ip}}
	pod.Status.PodIP = p.ip
	pod.Status.PodIPs = []corev1.PodIP{{IP: p.ip}}
	pod.Status.StartTime = ptrTime(p.scheduled.Add(500 * time.Millisecond))
	for _, c := range p.inits {
		pod.Status.InitContainerStatuses = append(pod.Status.InitContainerStatuses, c.status())
	}
	ready := true
	var lastChange time.Time
	for _, c := range p.ctrs {
		st := c.status()
		pod.Status.ContainerStatuses = append(pod.Status.ContainerStatuses, st)
		if !st.Ready {
			ready = false
		}
		if len(c.runs) > 0 {
			l := c.runs[len(c.runs)-1]
			for _, t := range []time.Time{l.start, l.end, c.unreadySince} {
				if t.After(lastChange) && !t.After(b.now) {
					lastChange = t
				}
			}
		}
	}
	if phase == "Failed" || phase == "Succeeded" {
		ready = false
	}
	readyStatus, readyReason := corev1.ConditionTrue, ""
	if !ready {
		readyStatus, readyReason = corev1.ConditionFalse, "ContainersNotReady"
	}
	if lastChange.IsZero() {
		lastChange = p.scheduled.Add(5 * time.Second)
	}
	if ready && len(p.ctrs) > 0 && len(p.ctrs[0].runs) > 0 {
		lastChange = lastChange.Add(p.ctrs[0].readyDelay)
	}
	var notReadyNames []string
	for _, st := range pod.Status.ContainerStatuses {
		if !st.Ready {
			notReadyNames = append(notReadyNames, st.Name)
		}
	}
	readyMsg := ""
	if !ready && len(notReadyNames) > 0 {
		readyMsg = fmt.Sprintf("containers with unready status: [%s]", strings.Join(notReadyNames, " "))
	}
	initialized := p.scheduled.Add(time.Second)
	if len(p.inits) > 0 && len(p.inits[len(p.inits)-1].runs) > 0 {
		initialized = p.inits[len(p.inits)-1].runs[0].end
	}
	initStatus, initReason, initMsg := corev1.ConditionTrue, "", ""
	for _, c := range p.inits {
		if len(c.runs) == 0 || c.runs[len(c.runs)-1].reason != "Completed" {
			initStatus, initReason = corev1.ConditionFalse, "ContainersNotInitialized"
			initMsg = fmt.Sprintf("containers with incomplete status: [%s]", c.spec.Name)
			initialized = p.scheduled.Add(time.Second)
			break
		}
	}
	sandbox := corev1.ConditionTrue
	if phase == "Failed" || phase == "Succeeded" {
		sandbox = corev1.ConditionFalse
	}
	pod.Status.Conditions = []corev1.PodCondition{
		{Type: "PodReadyToStartContainers", Status: sandbox, LastTransitionTime: metav1.NewTime(p.scheduled.Add(1200 * time.Millisecond))},
		{Type: corev1.PodInitialized, Status: initStatus, Reason: initReason, Message: initMsg, LastTransitionTime: metav1.NewTime(initialized)},
		{Type: corev1.PodReady, Status: readyStatus, Reason: readyReason, Message: readyMsg, LastTransitionTime: metav1.NewTime(lastChange)},
		{Type: corev1.ContainersReady, Status: readyStatus, Reason: readyReason, Message: readyMsg, LastTransitionTime: metav1.NewTime(lastChange)},
		{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(p.scheduled)},
	}
	if p.reason == "Evicted" {
		pod.Status.Conditions = append(pod.Status.Conditions, corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
			Reason: "TerminationByKubelet", Message: p.message, LastTransitionTime: metav1.NewTime(p.failedAt)})
	}
	return pod
}

func generateName(p *podPlan) string {
	if p.w.kind == "StatefulSet" {
		return p.w.name + "-"
	}
	i := strings.LastIndex(p.name, "-")
	return p.name[:i+1]
}

func ptrTime(t time.Time) *metav1.Time { mt := metav1.NewTime(t); return &mt }

func quantityBytes(q resource.Quantity) float64 { return float64(q.Value()) }

// finish writes the pod object, its logs, its kubelet events and its series.
func (p *podPlan) finish() {
	b := p.b
	gone := !p.deletedAt.IsZero()
	if !gone {
		b.add("pods.yaml", p.object())
	}
	p.lifecycleEvents()
	for _, c := range append(append([]*ctrPlan{}, p.inits...), p.ctrs...) {
		if !gone {
			c.writeLogs()
		}
		c.writeMetrics()
	}
	p.writeMetrics()
	if p.http != nil {
		p.http.write(p)
	}
}

// writeLogs follows the kubelet: the current log is the running container or,
// while waiting to restart, the last terminated one; the previous log is the
// container of lastState.terminated.
func (c *ctrPlan) writeLogs() {
	if c.logs == nil || len(c.runs) == 0 {
		return
	}
	p := c.pod
	n := len(c.runs)
	emitRun := func(i int, previous bool) {
		c.logs(c.runs[i], i, func(t time.Time, rec string) {
			if t.Before(c.runs[i].start) || (!c.runs[i].end.IsZero() && t.After(c.runs[i].end)) || t.After(p.b.now) {
				return
			}
			p.b.logTo(p.ns, p.name, c.spec.Name, previous, t, rec)
		})
	}
	last := c.runs[n-1]
	emitRun(n-1, false)
	switch {
	case last.running() && n > 1:
		emitRun(n-2, true)
	case !last.running() && c.waiting != "":
		emitRun(n-1, true)
	case !last.running() && n > 1:
		emitRun(n-2, true)
	}
}

func (b *builder) ksmInstance() string { return "10.0.44.19:8080" }

func (c *ctrPlan) writeMetrics() {
	p := c.pod
	b := p.b
	m := b.metrics
	if p.node == nil {
		// kube-state-metrics has no container status for a pod never placed.
		return
	}
	ksm := func(extra ...string) string {
		kv := append([]string{"container", c.spec.Name, "instance", b.ksmInstance(), "job", "kube-state-metrics", "namespace", p.ns, "pod", p.name}, extra...)
		return labels(append(kv, "uid", p.uid)...)
	}
	alive := func(t time.Time) bool {
		return p.aliveAt(t) && (p.failedAt.IsZero() || t.Before(p.failedAt.Add(2*time.Minute)))
	}
	if !c.init {
		m.counterValue("kube_pod_container_status_restarts", "The number of container restarts per container.", ksm(),
			func(t time.Time) (float64, bool) { return c.restartsAt(t), alive(t) })
		for _, res := range []struct {
			name corev1.ResourceName
			unit string
		}{{corev1.ResourceCPU, "core"}, {corev1.ResourceMemory, "byte"}} {
			for _, kind := range []string{"limits", "requests"} {
				list := c.spec.Resources.Limits
				if kind == "requests" {
					list = c.spec.Resources.Requests
				}
				q, ok := list[res.name]
				if !ok {
					continue
				}
				v := quantityBytes(q)
				if res.name == corev1.ResourceCPU {
					v = float64(q.MilliValue()) / 1000
				}
				m.gauge("kube_pod_container_resource_"+kind, "The number of requested "+kind+" resource by a container.",
					ksm("node", p.node.name, "resource", string(res.name), "unit", res.unit),
					func(t time.Time) (float64, bool) { return v, alive(t) })
			}
		}
		m.gauge("kube_pod_container_status_ready", "Describes whether the containers readiness check succeeded.", ksm(),
			func(t time.Time) (float64, bool) { return boolValue(c.readyAt(t)), alive(t) })
	}
	if len(c.runs) == 0 && c.waiting != "" {
		m.gauge("kube_pod_container_status_waiting_reason", "Describes the reason the container is currently in waiting state.", ksm("reason", c.waiting),
			func(t time.Time) (float64, bool) { return 1, alive(t) && !t.Before(p.scheduled.Add(5*time.Second)) })
	}
	// waiting reason and last termination, as kube-state-metrics reports them.
	var firstEnd time.Time
	for _, r := range c.runs {
		if !r.end.IsZero() {
			firstEnd = r.end
			break
		}
	}
	if c.waiting != "" || len(c.runs) > 1 {
		reason := c.waiting
		if reason == "" {
			reason = "CrashLoopBackOff"
		}
		m.gauge("kube_pod_container_status_waiting_reason", "Describes the reason the container is currently in waiting state.", ksm("reason", reason),
			func(t time.Time) (float64, bool) {
				if !alive(t) || firstEnd.IsZero() || t.Before(firstEnd) {
					return 0, false
				}
				_, running := c.runAt(t)
				return 1, !running
			})
	}
	if !firstEnd.IsZero() && !c.init {
		reasons := map[string]bool{}
		for _, r := range c.runs {
			if r.reason != "" && !r.end.IsZero() {
				reasons[r.reason] = true
			}
		}
		lastReasonAt := func(t time.Time) (run, bool) {
			var last run
			found := false
			for _, r := range c.runs {
				if !r.end.IsZero() && !t.Before(r.end) {
					last, found = r, true
				}
			}
			return last, found
		}
		for reason := range reasons {
			m.gauge("kube_pod_container_status_last_terminated_reason", "Describes the last reason the container was in terminated state.", ksm("reason", reason),
				func(t time.Time) (float64, bool) {
					r, ok := lastReasonAt(t)
					if !ok || !alive(t) || r.reason != reason {
						return 0, false
					}
					return 1, true
				})
		}
		m.gauge("kube_pod_container_status_last_terminated_exitcode", "Describes the exit code for the last container in terminated state.", ksm(),
			func(t time.Time) (float64, bool) {
				r, ok := lastReasonAt(t)
				return float64(r.exit), ok && alive(t)
			})
	}
	// cAdvisor: one series per container instance (its cgroup id).
	qos := strings.ToLower(string(qosClass(p.spec)))
	for _, r := range c.runs {
		r := r
		cg := fmt.Sprintf("/kubepods.slice/kubepods-%s.slice/kubepods-%s-pod%s.slice/cri-containerd-%s.scope",
			qos, qos, strings.ReplaceAll(p.uid, "-", "_"), r.id)
		if qos == "guaranteed" {
			cg = fmt.Sprintf("/kubepods.slice/kubepods-pod%s.slice/cri-containerd-%s.scope", strings.ReplaceAll(p.uid, "-", "_"), r.id)
		}
		lbl := labels("container", c.spec.Name, "endpoint", "https-metrics", "id", cg, "image", c.spec.Image,
			"instance", p.node.ip+":10250", "job", "kubelet", "metrics_path", "/metrics/cadvisor", "name", r.id,
			"namespace", p.ns, "node", p.node.name, "pod", p.name, "service", "kubelet")
		runAlive := func(t time.Time) bool { return r.aliveAt(t) }
		m.gauge("container_memory_working_set_bytes", "Current working set of the container in bytes", lbl,
			func(t time.Time) (float64, bool) { return c.mem(t, r), runAlive(t) })
		m.counter("container_cpu_usage_seconds", "Cumulative cpu time consumed in seconds.", lbl, 0.4, runAlive, c.cpu)
		if _, limited := c.spec.Resources.Limits[corev1.ResourceCPU]; limited {
			m.counter("container_cpu_cfs_periods", "Number of elapsed enforcement period intervals.", lbl, 0, runAlive,
				func(time.Time) float64 { return 10 })
			m.counter("container_cpu_cfs_throttled_periods", "Number of throttled period intervals.", lbl, 0, runAlive,
				func(t time.Time) float64 { return 10 * c.throttle(t) })
		}
		if c.oomKills {
			kills := 0.0
			if r.reason == "OOMKilled" {
				kills = 1
			}
			m.counterValue("container_oom_events", "Count of out of memory events observed for the container", lbl,
				func(t time.Time) (float64, bool) {
					if !r.end.IsZero() && !t.Before(r.end.Add(-time.Second)) {
						return kills, r.end.Add(4 * time.Minute).After(t)
					}
					return 0, runAlive(t)
				})
		}
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (p *podPlan) writeMetrics() {
	b := p.b
	m := b.metrics
	ksm := func(extra ...string) string {
		kv := append([]string{"instance", b.ksmInstance(), "job", "kube-state-metrics", "namespace", p.ns, "pod", p.name}, extra...)
		return labels(append(kv, "uid", p.uid)...)
	}
	phaseAt := func(t time.Time) string {
		if !p.failedAt.IsZero() && !t.Before(p.failedAt) {
			return p.derivedPhase()
		}
		if p.node == nil {
			return "Pending"
		}
		if p.phase == "Failed" || p.phase == "Succeeded" {
			if p.failedAt.IsZero() {
				return p.phase
			}
			return "Running"
		}
		for _, c := range p.ctrs {
			if len(c.runs) > 0 && !t.Before(c.runs[0].start) {
				return "Running"
			}
		}
		return "Pending"
	}
	for _, ph := range []string{"Pending", "Running", "Succeeded", "Failed"} {
		ph := ph
		m.gauge("kube_pod_status_phase", "The pods current phase.", ksm("phase", ph),
			func(t time.Time) (float64, bool) { return boolValue(phaseAt(t) == ph), p.aliveAt(t) })
	}
	for _, cond := range []string{"true", "false"} {
		want := cond == "true"
		m.gauge("kube_pod_status_ready", "Describes whether the pod is ready to serve requests.", ksm("condition", cond),
			func(t time.Time) (float64, bool) { return boolValue(p.readyAt(t) == want), p.aliveAt(t) })
	}
	if p.node == nil {
		m.gauge("kube_pod_status_unschedulable", "Describes the unschedulable status for the pod.", ksm(),
			func(t time.Time) (float64, bool) { return 1, p.aliveAt(t) })
	}
	ownerKind, ownerName := p.w.kind, p.w.name
	if p.rev != nil {
		ownerKind, ownerName = "ReplicaSet", p.rev.name
	}
	if p.w.kind == "Job" && p.w.parent != nil {
		ownerKind, ownerName = "Job", p.w.name
	}
	m.gauge("kube_pod_owner", "Information about the Pod's owner.", ksm("owner_is_controller", "true", "owner_kind", ownerKind, "owner_name", ownerName),
		func(t time.Time) (float64, bool) { return 1, p.aliveAt(t) })
	node := ""
	hostIP := ""
	if p.node != nil {
		node, hostIP = p.node.name, p.node.ip
	}
	m.gauge("kube_pod_info", "Information about pod.", ksm("created_by_kind", ownerKind, "created_by_name", ownerName, "host_ip", hostIP,
		"host_network", "false", "node", node, "pod_ip", p.ip, "priority_class", ""),
		func(t time.Time) (float64, bool) { return 1, p.aliveAt(t) })
}
