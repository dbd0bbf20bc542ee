package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// ctrSpec is the part of a container spec scenarios vary.
type ctrSpec struct {
	name, image                    string
	port                           int32
	portName                       string
	cpuReq, memReq, cpuLim, memLim string
	env                            []string // name, value pairs
	configMapEnv, secretEnv        []string
	configMapKeys                  [][3]string // env name, configmap, key
	liveness, readiness, startup   *corev1.Probe
	command, args                  []string
	mounts                         []corev1.VolumeMount
}

func (s ctrSpec) container() corev1.Container {
	c := corev1.Container{Name: s.name, Image: s.image, ImagePullPolicy: corev1.PullIfNotPresent,
		Command: s.command, Args: s.args,
		TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		LivenessProbe: s.liveness, ReadinessProbe: s.readiness, StartupProbe: s.startup, VolumeMounts: s.mounts}
	if strings.HasSuffix(s.image, ":latest") {
		c.ImagePullPolicy = corev1.PullAlways
	}
	if s.port != 0 {
		name := s.portName
		if name == "" {
			name = "http"
		}
		c.Ports = []corev1.ContainerPort{{Name: name, ContainerPort: s.port, Protocol: corev1.ProtocolTCP}}
	}
	set := func(list *corev1.ResourceList, res corev1.ResourceName, v string) {
		if v == "" {
			return
		}
		if *list == nil {
			*list = corev1.ResourceList{}
		}
		(*list)[res] = resource.MustParse(v)
	}
	set(&c.Resources.Requests, corev1.ResourceCPU, s.cpuReq)
	set(&c.Resources.Requests, corev1.ResourceMemory, s.memReq)
	set(&c.Resources.Limits, corev1.ResourceCPU, s.cpuLim)
	set(&c.Resources.Limits, corev1.ResourceMemory, s.memLim)
	for i := 0; i+1 < len(s.env); i += 2 {
		c.Env = append(c.Env, corev1.EnvVar{Name: s.env[i], Value: s.env[i+1]})
	}
	for _, k := range s.configMapKeys {
		c.Env = append(c.Env, corev1.EnvVar{Name: k[0], ValueFrom: &corev1.EnvVarSource{
			ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: k[1]}, Key: k[2]}}})
	}
	for _, n := range s.configMapEnv {
		c.EnvFrom = append(c.EnvFrom, corev1.EnvFromSource{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: n}}})
	}
	for _, n := range s.secretEnv {
		c.EnvFrom = append(c.EnvFrom, corev1.EnvFromSource{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: n}}})
	}
	return c
}

func httpProbe(path string, port int32, initialDelay, period, timeout, failures int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:        corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromInt32(port), Scheme: corev1.URISchemeHTTP}},
		InitialDelaySeconds: initialDelay, PeriodSeconds: period, TimeoutSeconds: timeout, FailureThreshold: failures, SuccessThreshold: 1,
	}
}

func execProbe(cmd []string, period, timeout, failures int32) *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: cmd}},
		PeriodSeconds: period, TimeoutSeconds: timeout, FailureThreshold: failures, SuccessThreshold: 1}
}

// podSpec assembles a pod spec; the service account token volume is the one
// every pod gets.
func (b *builder) podSpec(sa string, ctrs ...ctrSpec) corev1.PodSpec {
	spec := corev1.PodSpec{ServiceAccountName: sa, DeprecatedServiceAccount: sa, RestartPolicy: corev1.RestartPolicyAlways,
		DNSPolicy: corev1.DNSClusterFirst, SchedulerName: "default-scheduler", TerminationGracePeriodSeconds: ptr(int64(30)),
		SecurityContext: &corev1.PodSecurityContext{}, EnableServiceLinks: ptr(true), PreemptionPolicy: ptrPolicy(corev1.PreemptLowerPriority),
		Priority: ptr(int32(0)),
		Tolerations: []corev1.Toleration{
			{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
			{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
		},
	}
	for _, c := range ctrs {
		spec.Containers = append(spec.Containers, c.container())
	}
	return spec
}

func ptr[T any](v T) *T { return &v }

func ptrPolicy(p corev1.PreemptionPolicy) *corev1.PreemptionPolicy { return &p }

// workload is a pod controller and what it owns.
type workload struct {
	b            *builder
	kind         string
	ns, name     string
	uid          string
	labels       map[string]string
	selector     map[string]string
	spec         corev1.PodSpec
	replicas     int32
	created      time.Time
	revisions    []*revision
	pods         []*podPlan
	parent       *workload // a Job's CronJob
	backoffLimit int32
	schedule     string
	// failed marks a Job that hit its backoff limit at failedAt.
	failedAt    time.Time
	annotations map[string]string
	// progressDeadlineExceeded marks a Deployment whose rollout timed out.
	progressDeadlineExceeded bool
	// volumeSize is the StatefulSet's "data" claim template size.
	volumeSize string
	// deadline marks a Job stopped by activeDeadlineSeconds (at failedAt).
	deadline bool
}

// revision is a ReplicaSet of a Deployment (or ControllerRevision).
type revision struct {
	w           *workload
	number      int
	hash, name  string
	uid         string
	created     time.Time
	spec        corev1.PodSpec
	changeCause string
}

func (b *builder) workload(kind, ns, name string, replicas int32, created time.Time, spec corev1.PodSpec, extraLabels ...string) *workload {
	sel := map[string]string{"app.kubernetes.io/name": name}
	lbls := map[string]string{"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": ns}
	for i := 0; i+1 < len(extraLabels); i += 2 {
		lbls[extraLabels[i]] = extraLabels[i+1]
	}
	w := &workload{b: b, kind: kind, ns: ns, name: name, uid: b.uid(), labels: lbls, selector: sel, spec: spec,
		replicas: replicas, created: created, backoffLimit: 6}
	b.deploys = append(b.deploys, w)
	return w
}

func (b *builder) deployment(ns, name string, replicas int32, created time.Time, spec corev1.PodSpec, extraLabels ...string) *workload {
	return b.workload("Deployment", ns, name, replicas, created, spec, extraLabels...)
}

// revision adds a ReplicaSet; mutate changes its pod spec (a new image).
func (w *workload) revision(number int, created time.Time, mutate func(*corev1.PodSpec)) *revision {
	spec := *w.spec.DeepCopy()
	if mutate != nil {
		mutate(&spec)
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d/%v", w.name, number, spec.Containers)
	hash := hashName(h.Sum32())
	r := &revision{w: w, number: number, hash: hash, name: w.name + "-" + hash, uid: w.b.uid(), created: created, spec: spec}
	w.revisions = append(w.revisions, r)
	return r
}

// hashName turns a hash into the safe alphabet of pod-template-hash.
func hashName(v uint32) string {
	x := uint64(v)*0x9E3779B97F4A7C15 ^ 0xD1B54A32D192ED03
	x ^= x >> 29
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 32
	out := make([]byte, 10)
	for i := range out {
		out[i] = nameAlphabet[x%uint64(len(nameAlphabet))]
		x /= uint64(len(nameAlphabet))
	}
	return string(out)
}

func (w *workload) current() *revision { return w.revisions[len(w.revisions)-1] }

// pod adds a pod of the revision (Deployments) or of the workload.
func (r *revision) pod(node *nodePlan, created time.Time) *podPlan {
	w := r.w
	lbls := copyMap(w.labels)
	lbls["pod-template-hash"] = r.hash
	p := w.b.newPod(w, r, r.name+"-"+w.b.suffix(5), r.spec, lbls, node, created)
	w.pods = append(w.pods, p)
	return p
}

// pod adds a pod of a StatefulSet (ordinal names), DaemonSet or Job.
func (w *workload) pod(node *nodePlan, created time.Time, ordinal int) *podPlan {
	lbls := copyMap(w.labels)
	name := w.name + "-" + w.b.suffix(5)
	switch w.kind {
	case "StatefulSet":
		name = fmt.Sprintf("%s-%d", w.name, ordinal)
		lbls["statefulset.kubernetes.io/pod-name"] = name
		lbls["apps.kubernetes.io/pod-index"] = fmt.Sprint(ordinal)
		lbls["controller-revision-hash"] = w.name + "-" + hashName(uint32(len(w.name)*7919))
	case "DaemonSet":
		lbls["controller-revision-hash"] = hashName(uint32(len(w.name) * 104729))
		lbls["pod-template-generation"] = "3"
	case "Job":
		lbls["batch.kubernetes.io/job-name"] = w.name
		lbls["job-name"] = w.name
		lbls["batch.kubernetes.io/controller-uid"] = w.uid
		lbls["controller-uid"] = w.uid
	}
	p := w.b.newPod(w, nil, name, w.spec, lbls, node, created)
	if w.kind == "StatefulSet" && w.volumeSize != "" {
		claimVolume(&p.spec, "data-"+name)
	}
	if w.kind == "Job" {
		p.annots = map[string]string{"batch.kubernetes.io/job-tracking": ""}
	}
	w.pods = append(w.pods, p)
	return p
}

// claimVolume mounts the StatefulSet member's claim from the "data" template,
// as the StatefulSet controller does, unless the spec already names one.
func claimVolume(spec *corev1.PodSpec, claim string) {
	for _, v := range spec.Volumes {
		if v.Name == "data" {
			return
		}
	}
	spec.Volumes = append(append([]corev1.Volume{}, spec.Volumes...), corev1.Volume{Name: "data",
		VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim}}})
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (w *workload) ownerRef() metav1.OwnerReference {
	api := "apps/v1"
	if w.kind == "Job" || w.kind == "CronJob" {
		api = "batch/v1"
	}
	return metav1.OwnerReference{APIVersion: api, Kind: w.kind, Name: w.name, UID: k8sUID(w.uid), Controller: ptr(true), BlockOwnerDeletion: ptr(true)}
}

func (w *workload) podOwnerRefs(p *podPlan) []metav1.OwnerReference {
	if p.rev != nil {
		return []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: p.rev.name, UID: k8sUID(p.rev.uid),
			Controller: ptr(true), BlockOwnerDeletion: ptr(true)}}
	}
	return []metav1.OwnerReference{w.ownerRef()}
}

func (w *workload) ref() corev1.ObjectReference {
	api := "apps/v1"
	if w.kind == "Job" || w.kind == "CronJob" {
		api = "batch/v1"
	}
	return corev1.ObjectReference{Kind: w.kind, Namespace: w.ns, Name: w.name, UID: k8sUID(w.uid), APIVersion: api}
}

func (w *workload) meta(name string, created time.Time) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: w.ns, UID: k8sUID(w.uid), Labels: w.labels, Annotations: w.annotations,
		CreationTimestamp: metav1.NewTime(created), Generation: int64(len(w.revisions) + 1),
		ResourceVersion: fmt.Sprint(50000000 + w.b.rng.IntN(9000000))}
}

func (w *workload) template(spec corev1.PodSpec, hash string) corev1.PodTemplateSpec {
	lbls := copyMap(w.labels)
	if hash != "" {
		lbls["pod-template-hash"] = hash
	}
	return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: lbls}, Spec: spec}
}

func (w *workload) readyAt(t time.Time, onlyRev *revision) (ready, total int32) {
	for _, p := range w.pods {
		if onlyRev != nil && p.rev != onlyRev {
			continue
		}
		if !p.aliveAt(t) || (!p.failedAt.IsZero() && !t.Before(p.failedAt)) {
			continue
		}
		if p.derivedPhase() == "Succeeded" {
			continue
		}
		total++
		if p.readyAt(t) {
			ready++
		}
	}
	return ready, total
}

// finish writes the controller, its revisions and their metrics.
func (w *workload) finish() {
	b := w.b
	now := b.now
	ready, total := w.readyAt(now, nil)
	switch w.kind {
	case "Deployment":
		cur := w.current()
		_, updated := w.readyAt(now, cur)
		curReady, _ := w.readyAt(now, cur)
		available := metav1.ConditionTrue
		availReason, availMsg := "MinimumReplicasAvailable", "Deployment has minimum availability."
		if ready < w.replicas-w.replicas/4 {
			available, availReason, availMsg = metav1.ConditionFalse, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."
		}
		progressing := appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue,
			Reason: "NewReplicaSetAvailable", Message: fmt.Sprintf("ReplicaSet %q has successfully progressed.", cur.name),
			LastUpdateTime: metav1.NewTime(cur.created.Add(40 * time.Second)), LastTransitionTime: metav1.NewTime(w.created.Add(30 * time.Second))}
		if curReady < w.replicas {
			progressing.Reason, progressing.Message = "ReplicaSetUpdated", fmt.Sprintf("ReplicaSet %q is progressing.", cur.name)
			progressing.LastUpdateTime = metav1.NewTime(cur.created)
		}
		if w.progressDeadlineExceeded {
			progressing.Status, progressing.Reason = corev1.ConditionFalse, "ProgressDeadlineExceeded"
			progressing.Message = fmt.Sprintf("ReplicaSet %q has timed out progressing.", cur.name)
			progressing.LastUpdateTime = metav1.NewTime(cur.created.Add(10 * time.Minute))
			progressing.LastTransitionTime = progressing.LastUpdateTime
		}
		availSince := w.created.Add(45 * time.Second)
		if available == metav1.ConditionFalse {
			availSince = b.firstUnavailable(w)
		}
		meta := w.meta(w.name, w.created)
		// Every template change is a generation; scale changes add a few more.
		meta.Generation = int64(cur.number) + 2
		meta.Annotations = mergeMaps(meta.Annotations, map[string]string{"deployment.kubernetes.io/revision": fmt.Sprint(cur.number)})
		d := &appsv1.Deployment{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: meta,
			Spec: appsv1.DeploymentSpec{Replicas: ptr(w.replicas), Selector: &metav1.LabelSelector{MatchLabels: w.selector},
				Template: w.template(cur.spec, ""), RevisionHistoryLimit: ptr(int32(10)), ProgressDeadlineSeconds: ptr(int32(600)),
				Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxUnavailable: ptr(intstr.FromString("25%")), MaxSurge: ptr(intstr.FromString("25%"))}}},
			Status: appsv1.DeploymentStatus{ObservedGeneration: meta.Generation, Replicas: total, UpdatedReplicas: updated,
				ReadyReplicas: ready, AvailableReplicas: ready, UnavailableReplicas: max(0, w.replicas-ready),
				Conditions: []appsv1.DeploymentCondition{
					{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionStatus(available), Reason: availReason, Message: availMsg,
						LastUpdateTime: metav1.NewTime(availSince), LastTransitionTime: metav1.NewTime(availSince)},
					progressing,
				}},
		}
		b.add("workloads.yaml", d)
		for _, r := range w.revisions {
			rr, rt := w.readyAt(now, r)
			desired := rt
			if r == cur {
				desired = w.replicas
			}
			if r != cur && rt == 0 {
				desired = 0
			}
			rmeta := metav1.ObjectMeta{Name: r.name, Namespace: w.ns, UID: k8sUID(r.uid), Labels: mergeMaps(w.labels, map[string]string{"pod-template-hash": r.hash}),
				CreationTimestamp: metav1.NewTime(r.created), Generation: 2, ResourceVersion: fmt.Sprint(50000000 + b.rng.IntN(9000000)),
				Annotations: map[string]string{
					"deployment.kubernetes.io/desired-replicas": fmt.Sprint(w.replicas),
					"deployment.kubernetes.io/max-replicas":     fmt.Sprint(w.replicas + (w.replicas+3)/4),
					"deployment.kubernetes.io/revision":         fmt.Sprint(r.number),
				},
				OwnerReferences: []metav1.OwnerReference{w.ownerRef()}}
			if r.changeCause != "" {
				rmeta.Annotations["kubernetes.io/change-cause"] = r.changeCause
			}
			b.add("workloads.yaml", &appsv1.ReplicaSet{
				TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
				ObjectMeta: rmeta,
				Spec: appsv1.ReplicaSetSpec{Replicas: ptr(desired), Selector: &metav1.LabelSelector{MatchLabels: mergeMaps(w.selector, map[string]string{"pod-template-hash": r.hash})},
					Template: w.template(r.spec, r.hash)},
				Status: appsv1.ReplicaSetStatus{Replicas: rt, FullyLabeledReplicas: rt, ReadyReplicas: rr, AvailableReplicas: rr, ObservedGeneration: 2},
			})
		}
		w.deploymentMetrics()
	case "StatefulSet":
		hash := w.name + "-" + hashName(uint32(len(w.name)*7919))
		s := &appsv1.StatefulSet{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
			ObjectMeta: w.meta(w.name, w.created),
			Spec: appsv1.StatefulSetSpec{Replicas: ptr(w.replicas), Selector: &metav1.LabelSelector{MatchLabels: w.selector},
				Template: w.template(w.spec, ""), ServiceName: w.name + "-headless", PodManagementPolicy: appsv1.OrderedReadyPodManagement,
				UpdateStrategy:       appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType, RollingUpdate: &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr(int32(0))}},
				RevisionHistoryLimit: ptr(int32(10)),
				VolumeClaimTemplates: w.claimTemplates()},
			Status: appsv1.StatefulSetStatus{ObservedGeneration: 1, Replicas: total, ReadyReplicas: ready, CurrentReplicas: total, UpdatedReplicas: total,
				AvailableReplicas: ready, CurrentRevision: hash, UpdateRevision: hash, CollisionCount: ptr(int32(0))},
		}
		b.add("workloads.yaml", s)
		w.controllerRevision(hash, 1)
		w.simpleMetrics("kube_statefulset_replicas", "kube_statefulset_status_replicas_ready", "statefulset")
	case "DaemonSet":
		d := &appsv1.DaemonSet{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"},
			ObjectMeta: w.meta(w.name, w.created),
			Spec: appsv1.DaemonSetSpec{Selector: &metav1.LabelSelector{MatchLabels: w.selector}, Template: w.template(w.spec, ""),
				UpdateStrategy: appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: &appsv1.RollingUpdateDaemonSet{
					MaxUnavailable: ptr(intstr.FromInt32(1)), MaxSurge: ptr(intstr.FromInt32(0))}}, RevisionHistoryLimit: ptr(int32(10))},
			Status: appsv1.DaemonSetStatus{CurrentNumberScheduled: total, DesiredNumberScheduled: w.replicas, NumberReady: ready,
				NumberAvailable: ready, NumberUnavailable: w.replicas - ready, UpdatedNumberScheduled: total, ObservedGeneration: 3},
		}
		b.add("workloads.yaml", d)
		w.controllerRevision(w.name+"-"+hashName(uint32(len(w.name)*104729)), 3)
		w.simpleMetrics("kube_daemonset_status_desired_number_scheduled", "kube_daemonset_status_number_ready", "daemonset")
	case "Job":
		w.finishJob()
	case "CronJob":
		w.finishCronJob()
	}
}

// controllerRevision records the current template of a StatefulSet or
// DaemonSet as its controller stores it: the template as a patch, the
// revision number, the workload as owner.
func (w *workload) controllerRevision(name string, number int64) {
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"template": map[string]any{"$patch": "replace",
		"metadata": map[string]any{"labels": w.labels}, "spec": w.spec}}})
	if err != nil {
		panic(err)
	}
	w.b.add("workloads.yaml", &appsv1.ControllerRevision{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ControllerRevision"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: w.ns, UID: k8sUID(w.b.uid()), Labels: w.selector,
			CreationTimestamp: metav1.NewTime(w.created.Add(time.Duration(number) * time.Hour)),
			ResourceVersion:   fmt.Sprint(30000000 + w.b.rng.IntN(9000000)),
			OwnerReferences:   []metav1.OwnerReference{w.ownerRef()}},
		Data:     runtime.RawExtension{Raw: patch},
		Revision: number,
	})
}

func (w *workload) claimTemplates() []corev1.PersistentVolumeClaim {
	var out []corev1.PersistentVolumeClaim
	for _, v := range w.spec.Containers[0].VolumeMounts {
		if v.Name != "data" {
			continue
		}
		out = append(out, corev1.PersistentVolumeClaim{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
			ObjectMeta: metav1.ObjectMeta{Name: "data"},
			Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				StorageClassName: ptr("gp3"), VolumeMode: ptr(corev1.PersistentVolumeFilesystem),
				Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(w.volumeSize)}}},
		})
	}
	return out
}

func mergeMaps(a, b map[string]string) map[string]string {
	out := copyMap(a)
	for k, v := range b {
		out[k] = v
	}
	return out
}

// firstUnavailable is when the deployment last dropped below its minimum.
func (b *builder) firstUnavailable(w *workload) time.Time {
	last := w.created
	for t := b.now; t.After(b.now.Add(-6 * time.Hour)); t = t.Add(-15 * time.Second) {
		r, _ := w.readyAt(t, nil)
		if r >= w.replicas-w.replicas/4 {
			return t.Add(15 * time.Second)
		}
		last = t
	}
	return last
}

func (w *workload) ksm(extra ...string) string {
	kv := append([]string{"instance", w.b.ksmInstance(), "job", "kube-state-metrics", "namespace", w.ns}, extra...)
	return labels(kv...)
}

func (w *workload) deploymentMetrics() {
	m := w.b.metrics
	alive := func(t time.Time) bool { return !t.Before(w.created) }
	lbl := w.ksm("deployment", w.name)
	m.gauge("kube_deployment_spec_replicas", "Number of desired pods for a deployment.", lbl,
		func(t time.Time) (float64, bool) { return float64(w.replicas), alive(t) })
	m.gauge("kube_deployment_status_replicas_available", "The number of available replicas per deployment.", lbl,
		func(t time.Time) (float64, bool) { r, _ := w.readyAt(t, nil); return float64(r), alive(t) })
	m.gauge("kube_deployment_status_replicas_unavailable", "The number of unavailable replicas per deployment.", lbl,
		func(t time.Time) (float64, bool) {
			r, _ := w.readyAt(t, nil)
			return float64(max(0, w.replicas-r)), alive(t)
		})
	m.gauge("kube_deployment_status_replicas_updated", "The number of updated replicas per deployment.", lbl,
		func(t time.Time) (float64, bool) {
			var cur *revision
			for _, r := range w.revisions {
				if !t.Before(r.created) {
					cur = r
				}
			}
			if cur == nil {
				return 0, alive(t)
			}
			_, n := w.readyAt(t, cur)
			return float64(min(n, w.replicas)), alive(t)
		})
	m.gauge("kube_deployment_status_observed_generation", "The generation observed by the deployment controller.", lbl,
		func(t time.Time) (float64, bool) {
			g := 1
			for _, r := range w.revisions {
				if !t.Before(r.created) {
					g++
				}
			}
			return float64(g), alive(t)
		})
}

func (w *workload) simpleMetrics(desiredName, readyName, label string) {
	m := w.b.metrics
	lbl := w.ksm(label, w.name)
	alive := func(t time.Time) bool { return !t.Before(w.created) }
	m.gauge(desiredName, "Number of desired pods.", lbl, func(t time.Time) (float64, bool) { return float64(w.replicas), alive(t) })
	m.gauge(readyName, "Number of ready pods.", lbl, func(t time.Time) (float64, bool) { r, _ := w.readyAt(t, nil); return float64(r), alive(t) })
}

func (w *workload) finishJob() {
	b := w.b
	var failed, succeeded, active int32
	for _, p := range w.pods {
		switch p.derivedPhase() {
		case "Failed":
			failed++
		case "Succeeded":
			succeeded++
		default:
			active++
		}
	}
	meta := w.meta(w.name, w.created)
	meta.Labels = mergeMaps(meta.Labels, map[string]string{"batch.kubernetes.io/job-name": w.name, "job-name": w.name,
		"batch.kubernetes.io/controller-uid": w.uid, "controller-uid": w.uid})
	if w.parent != nil {
		meta.OwnerReferences = []metav1.OwnerReference{w.parent.ownerRef()}
		meta.Annotations = mergeMaps(meta.Annotations, map[string]string{"batch.kubernetes.io/cronjob-scheduled-timestamp": w.created.UTC().Format(time.RFC3339)})
	}
	tmpl := w.template(w.spec, "")
	tmpl.Labels = mergeMaps(tmpl.Labels, map[string]string{"batch.kubernetes.io/job-name": w.name, "job-name": w.name,
		"batch.kubernetes.io/controller-uid": w.uid, "controller-uid": w.uid})
	j := &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: meta,
		Spec: batchv1.JobSpec{Parallelism: ptr(int32(1)), Completions: ptr(int32(1)), BackoffLimit: ptr(w.backoffLimit),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"batch.kubernetes.io/controller-uid": w.uid}},
			Template: tmpl, CompletionMode: ptr(batchv1.NonIndexedCompletion), Suspend: ptr(false),
			ManualSelector: ptr(false), PodReplacementPolicy: ptr(batchv1.TerminatingOrFailed)},
		Status: batchv1.JobStatus{StartTime: ptrTime(w.created.Add(time.Second)), Failed: failed, Succeeded: succeeded,
			Active: active, Ready: ptr(int32(0)), Terminating: ptr(int32(0)), UncountedTerminatedPods: &batchv1.UncountedTerminatedPods{}},
	}
	if w.deadline {
		j.Spec.ActiveDeadlineSeconds = ptr(int64(1800))
		msg := "Job was active longer than specified deadline"
		j.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, Reason: "DeadlineExceeded", Message: msg,
				LastProbeTime: metav1.NewTime(w.failedAt), LastTransitionTime: metav1.NewTime(w.failedAt)},
			{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "DeadlineExceeded", Message: msg,
				LastProbeTime: metav1.NewTime(w.failedAt), LastTransitionTime: metav1.NewTime(w.failedAt)},
		}
	} else if !w.failedAt.IsZero() {
		msg := "Job has reached the specified backoff limit"
		j.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: msg,
				LastProbeTime: metav1.NewTime(w.failedAt), LastTransitionTime: metav1.NewTime(w.failedAt)},
			{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: msg,
				LastProbeTime: metav1.NewTime(w.failedAt), LastTransitionTime: metav1.NewTime(w.failedAt)},
		}
		b.event(w.ref(), "Warning", "BackoffLimitExceeded", msg, "job-controller", "", w.failedAt)
	} else if succeeded > 0 && active == 0 {
		done := w.pods[len(w.pods)-1].ctrs[0].runs[0].end
		j.Status.CompletionTime = ptrTime(done.Add(time.Second))
		j.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, Reason: "CompletionsReached", Message: "Reached expected number of succeeded pods",
				LastProbeTime: metav1.NewTime(done.Add(time.Second)), LastTransitionTime: metav1.NewTime(done.Add(time.Second))},
			{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, Reason: "CompletionsReached", Message: "Reached expected number of succeeded pods",
				LastProbeTime: metav1.NewTime(done.Add(time.Second)), LastTransitionTime: metav1.NewTime(done.Add(time.Second))},
		}
		b.event(w.ref(), "Normal", "Completed", "Job completed", "job-controller", "", done.Add(time.Second))
	}
	for _, p := range w.pods {
		b.event(w.ref(), "Normal", "SuccessfulCreate", "Created pod: "+p.name, "job-controller", "", p.created)
	}
	b.add("workloads.yaml", j)
	m := b.metrics
	alive := func(t time.Time) bool { return !t.Before(w.created) }
	lbl := w.ksm("job_name", w.name)
	m.gauge("kube_job_status_failed", "The number of pods which reached Phase Failed and the reason for failure.", lbl,
		func(t time.Time) (float64, bool) {
			n := 0
			for _, p := range w.pods {
				if len(p.ctrs[0].runs) > 0 && !p.ctrs[0].runs[0].end.IsZero() && !t.Before(p.ctrs[0].runs[0].end) && p.derivedPhase() == "Failed" {
					n++
				}
			}
			return float64(n), alive(t)
		})
	m.gauge("kube_job_status_active", "The number of actively running pods.", lbl,
		func(t time.Time) (float64, bool) {
			n := 0
			for _, p := range w.pods {
				if _, ok := p.ctrs[0].runAt(t); ok {
					n++
				}
			}
			return float64(n), alive(t)
		})
	for _, cond := range []string{"true", "false", "unknown"} {
		cond := cond
		m.gauge("kube_job_failed", "The job has failed its execution.", w.ksm("condition", cond, "job_name", w.name),
			func(t time.Time) (float64, bool) {
				failedNow := !w.failedAt.IsZero() && !t.Before(w.failedAt)
				return boolValue((cond == "true") == failedNow && cond != "unknown"), alive(t) && !w.failedAt.IsZero() && !t.Before(w.failedAt)
			})
	}
	if w.parent != nil {
		m.gauge("kube_job_owner", "Information about the Job's owner.", w.ksm("job_name", w.name, "owner_is_controller", "true", "owner_kind", "CronJob", "owner_name", w.parent.name),
			func(t time.Time) (float64, bool) { return 1, alive(t) })
	}
}

func (w *workload) finishCronJob() {
	b := w.b
	var last time.Time
	var active []corev1.ObjectReference
	for _, x := range w.b.deploys {
		if x.parent == w && x.created.After(last) {
			last = x.created
			if x.failedAt.IsZero() {
				active = append(active, x.ref())
			}
		}
	}
	c := &batchv1.CronJob{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"},
		ObjectMeta: w.meta(w.name, w.created),
		Spec: batchv1.CronJobSpec{Schedule: w.schedule, ConcurrencyPolicy: batchv1.ForbidConcurrent, Suspend: ptr(false),
			SuccessfulJobsHistoryLimit: ptr(int32(3)), FailedJobsHistoryLimit: ptr(int32(1)),
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{BackoffLimit: ptr(w.backoffLimit), Template: w.template(w.spec, "")}}},
		Status: batchv1.CronJobStatus{Active: active, LastScheduleTime: ptrTime(last)},
	}
	b.add("workloads.yaml", c)
	m := b.metrics
	lbl := w.ksm("cronjob", w.name)
	m.gauge("kube_cronjob_status_last_schedule_time", "LastScheduleTime keeps information of when was the last time the job was successfully scheduled.", lbl,
		func(t time.Time) (float64, bool) { return float64(last.Unix()), !t.Before(last) })
	m.gauge("kube_cronjob_status_active", "Active holds pointers to currently running jobs.", lbl,
		func(time.Time) (float64, bool) { return float64(len(active)), true })
}

// service adds a Service selecting the workload and its Endpoints.
func (b *builder) service(w *workload, port, targetPort int32) {
	svcIP := fmt.Sprintf("172.20.%d.%d", b.rng.IntN(250), 2+b.rng.IntN(250))
	b.add("services.yaml", &corev1.Service{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: w.name, Namespace: w.ns, UID: k8sUID(b.uid()), Labels: w.labels,
			CreationTimestamp: metav1.NewTime(w.created), ResourceVersion: fmt.Sprint(30000000 + b.rng.IntN(9000000))},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP, ClusterIP: svcIP, ClusterIPs: []string{svcIP}, Selector: w.selector,
			Ports:           []corev1.ServicePort{{Name: "http", Port: port, TargetPort: intstr.FromInt32(targetPort), Protocol: corev1.ProtocolTCP}},
			SessionAffinity: corev1.ServiceAffinityNone, IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol}, IPFamilyPolicy: ptr(corev1.IPFamilyPolicySingleStack),
			InternalTrafficPolicy: ptr(corev1.ServiceInternalTrafficPolicyCluster)},
	})
	b.endpointsFor = append(b.endpointsFor, endpointsPlan{w: w, port: targetPort})
}

type endpointsPlan struct {
	w    *workload
	port int32
}

func (b *builder) finishEndpoints() {
	for _, e := range b.endpointsFor {
		var ready, notReady []corev1.EndpointAddress
		pods := append([]*podPlan{}, e.w.pods...)
		sort.Slice(pods, func(i, j int) bool { return pods[i].ip < pods[j].ip })
		for _, p := range pods {
			if p.node == nil || (!p.failedAt.IsZero() && !b.now.Before(p.failedAt)) {
				continue
			}
			a := corev1.EndpointAddress{IP: p.ip, NodeName: ptr(p.node.name),
				TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: p.ns, Name: p.name, UID: k8sUID(p.uid)}}
			if p.readyAt(b.now) {
				ready = append(ready, a)
			} else {
				notReady = append(notReady, a)
			}
		}
		// Endpoints are deprecated from Kubernetes 1.33 but still served, and
		// they are what the design's collector reads.
		//lint:ignore SA1019 the fixture format lists Endpoints
		b.add("services.yaml", &corev1.Endpoints{
			TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Endpoints"},
			ObjectMeta: metav1.ObjectMeta{Name: e.w.name, Namespace: e.w.ns, Labels: e.w.labels, UID: k8sUID(b.uid()),
				CreationTimestamp: metav1.NewTime(e.w.created), ResourceVersion: fmt.Sprint(60000000 + b.rng.IntN(9000000)),
				Annotations: map[string]string{"endpoints.kubernetes.io/last-change-trigger-time": b.now.Add(-b.jitter(10 * time.Minute)).UTC().Format(time.RFC3339)}},
			Subsets: []corev1.EndpointSubset{{Addresses: ready, NotReadyAddresses: notReady,
				Ports: []corev1.EndpointPort{{Name: "http", Port: e.port, Protocol: corev1.ProtocolTCP}}}},
		})
	}
}

// configMap adds a ConfigMap with the given key/value pairs.
func (b *builder) configMap(ns, name string, created time.Time, kv ...string) {
	data := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[kv[i]] = kv[i+1]
	}
	b.add("configmaps.yaml", &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: k8sUID(b.uid()), CreationTimestamp: metav1.NewTime(created),
			ResourceVersion: fmt.Sprint(30000000 + b.rng.IntN(9000000))},
		Data: data,
	})
}
