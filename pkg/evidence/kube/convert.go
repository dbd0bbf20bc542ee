package kube

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// maxTextLen bounds free text taken from the API (messages can be long and
// are outside input).
const maxTextLen = 2048

func clip(s string) string {
	if len(s) <= maxTextLen {
		return s
	}
	return s[:maxTextLen] + "…"
}

// podState converts a pod. Environment values are never copied: only the
// names of the ConfigMaps and Secrets a container takes its environment from.
func podState(p *corev1.Pod, owner incident.Entity, replicaSet string) incident.PodState {
	ps := incident.PodState{
		Namespace: p.Namespace, Name: p.Name, Node: p.Spec.NodeName, IP: p.Status.PodIP,
		Phase: string(p.Status.Phase), Reason: p.Status.Reason, Message: clip(p.Status.Message),
		Labels: p.Labels, Owner: owner, ReplicaSet: replicaSet,
		CreatedAt: p.CreationTimestamp.Time, QOSClass: string(p.Status.QOSClass),
	}
	if p.Status.StartTime != nil {
		ps.StartTime = p.Status.StartTime.Time
	}
	for _, c := range p.Status.Conditions {
		ps.Conditions = append(ps.Conditions, incident.Condition{Type: string(c.Type), Status: string(c.Status),
			Reason: c.Reason, Message: clip(c.Message), LastTransitionTime: c.LastTransitionTime.Time})
	}
	statuses := map[string]corev1.ContainerStatus{}
	for _, s := range p.Status.InitContainerStatuses {
		statuses["init/"+s.Name] = s
	}
	for _, s := range p.Status.ContainerStatuses {
		statuses[s.Name] = s
	}
	for _, c := range p.Spec.InitContainers {
		ps.Containers = append(ps.Containers, containerState(c, statuses["init/"+c.Name], true))
	}
	for _, c := range p.Spec.Containers {
		ps.Containers = append(ps.Containers, containerState(c, statuses[c.Name], false))
	}
	if ps.Containers == nil {
		ps.Containers = []incident.ContainerState{}
	}
	for _, v := range p.Spec.Volumes {
		if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName != "" {
			ps.Claims = append(ps.Claims, v.PersistentVolumeClaim.ClaimName)
		}
	}
	return ps
}

func claimState(c *corev1.PersistentVolumeClaim) incident.ClaimState {
	st := incident.ClaimState{Namespace: c.Namespace, Name: c.Name, Phase: string(c.Status.Phase)}
	if c.Spec.StorageClassName != nil {
		st.StorageClass = *c.Spec.StorageClassName
	}
	if q, ok := c.Spec.Resources.Requests[corev1.ResourceStorage]; ok {
		st.Requested = q.Value()
	}
	if q, ok := c.Status.Capacity[corev1.ResourceStorage]; ok {
		st.Capacity = q.Value()
	}
	return st
}

func containerState(c corev1.Container, s corev1.ContainerStatus, init bool) incident.ContainerState {
	cs := incident.ContainerState{
		Name: c.Name, Image: c.Image, Init: init, Ready: s.Ready, RestartCount: s.RestartCount,
		Requests: resources(c.Resources.Requests), Limits: resources(c.Resources.Limits),
	}
	switch {
	case s.State.Running != nil:
		cs.State, cs.StartedAt = "running", s.State.Running.StartedAt.Time
	case s.State.Terminated != nil:
		cs.State = "terminated"
		cs.Terminated = termination(s.State.Terminated)
		cs.Reason, cs.Message = s.State.Terminated.Reason, clip(s.State.Terminated.Message)
		cs.StartedAt = s.State.Terminated.StartedAt.Time
	case s.State.Waiting != nil:
		cs.State, cs.Reason, cs.Message = "waiting", s.State.Waiting.Reason, clip(s.State.Waiting.Message)
	default:
		cs.State = "waiting"
	}
	if s.LastTerminationState.Terminated != nil {
		cs.LastTermination = termination(s.LastTerminationState.Terminated)
	}
	for _, p := range []struct {
		kind  string
		probe *corev1.Probe
	}{{"liveness", c.LivenessProbe}, {"readiness", c.ReadinessProbe}, {"startup", c.StartupProbe}} {
		if p.probe != nil {
			cs.Probes = append(cs.Probes, probe(p.kind, p.probe))
		}
	}
	for _, e := range c.EnvFrom {
		switch {
		case e.ConfigMapRef != nil:
			cs.EnvFrom = append(cs.EnvFrom, "configmap/"+e.ConfigMapRef.Name)
		case e.SecretRef != nil:
			cs.EnvFrom = append(cs.EnvFrom, "secret/"+e.SecretRef.Name)
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			continue
		}
		switch {
		case e.ValueFrom.ConfigMapKeyRef != nil:
			cs.EnvFrom = append(cs.EnvFrom, "configmap/"+e.ValueFrom.ConfigMapKeyRef.Name)
		case e.ValueFrom.SecretKeyRef != nil:
			cs.EnvFrom = append(cs.EnvFrom, "secret/"+e.ValueFrom.SecretKeyRef.Name)
		}
	}
	cs.EnvFrom = dedupe(cs.EnvFrom)
	return cs
}

func termination(t *corev1.ContainerStateTerminated) *incident.Termination {
	return &incident.Termination{Reason: t.Reason, Message: clip(t.Message), ExitCode: t.ExitCode, Signal: t.Signal,
		StartedAt: t.StartedAt.Time, FinishedAt: t.FinishedAt.Time}
}

func probe(kind string, p *corev1.Probe) incident.Probe {
	out := incident.Probe{Kind: kind, InitialDelaySec: p.InitialDelaySeconds, PeriodSec: p.PeriodSeconds,
		TimeoutSec: p.TimeoutSeconds, FailureThreshold: p.FailureThreshold}
	switch {
	case p.HTTPGet != nil:
		out.Handler, out.Path, out.Port = "httpGet", p.HTTPGet.Path, p.HTTPGet.Port.String()
	case p.TCPSocket != nil:
		out.Handler, out.Port = "tcpSocket", p.TCPSocket.Port.String()
	case p.GRPC != nil:
		out.Handler, out.Port = "grpc", strconv.Itoa(int(p.GRPC.Port))
	case p.Exec != nil:
		out.Handler, out.Command = "exec", clip(strings.Join(p.Exec.Command, " "))
	}
	return out
}

func resources(rl corev1.ResourceList) incident.Resources {
	var r incident.Resources
	if q, ok := rl[corev1.ResourceCPU]; ok {
		r.CPUMilli = q.MilliValue()
	}
	if q, ok := rl[corev1.ResourceMemory]; ok {
		r.MemoryBytes = q.Value()
	}
	if q, ok := rl[corev1.ResourceEphemeralStorage]; ok {
		r.EphemeralBytes = q.Value()
	}
	if q, ok := rl[corev1.ResourcePods]; ok {
		r.Pods = q.Value()
	}
	return r
}

func nodeState(n *corev1.Node) incident.NodeState {
	ns := incident.NodeState{Name: n.Name, Allocatable: resources(n.Status.Allocatable),
		Capacity: resources(n.Status.Capacity), Unschedulable: n.Spec.Unschedulable}
	for _, c := range n.Status.Conditions {
		ns.Conditions = append(ns.Conditions, incident.Condition{Type: string(c.Type), Status: string(c.Status),
			Reason: c.Reason, Message: clip(c.Message), LastTransitionTime: c.LastTransitionTime.Time})
	}
	for _, t := range n.Spec.Taints {
		ns.Taints = append(ns.Taints, fmt.Sprintf("%s=%s:%s", t.Key, t.Value, t.Effect))
	}
	return ns
}

// event normalises both event shapes: the core count/firstTimestamp/
// lastTimestamp one and the eventTime/series one newer emitters (the
// scheduler) use, which core/v1 shows with count 0 and null timestamps.
func event(e *corev1.Event) incident.Event {
	ev := incident.Event{
		Object: incident.Entity{Namespace: e.InvolvedObject.Namespace, Kind: e.InvolvedObject.Kind, Name: e.InvolvedObject.Name},
		Type:   e.Type, Reason: e.Reason, Message: clip(e.Message), Count: e.Count,
		FirstSeen: e.FirstTimestamp.Time, LastSeen: e.LastTimestamp.Time, Source: e.Source.Component,
	}
	if ev.Object.Kind == incident.KindNode {
		ev.Object.Namespace = ""
	}
	if ev.Source == "" {
		ev.Source = e.ReportingController
	}
	if ev.Count == 0 && e.Series != nil {
		ev.Count = e.Series.Count
	}
	if ev.Count == 0 {
		ev.Count = 1
	}
	if ev.FirstSeen.IsZero() {
		ev.FirstSeen = e.EventTime.Time
	}
	if ev.FirstSeen.IsZero() {
		ev.FirstSeen = e.CreationTimestamp.Time
	}
	if e.Series != nil && e.Series.LastObservedTime.After(ev.LastSeen) {
		ev.LastSeen = e.Series.LastObservedTime.Time
	}
	if ev.LastSeen.IsZero() {
		ev.LastSeen = ev.FirstSeen
	}
	return ev
}

func conditions[T any](cs []T, get func(T) (string, string, string, string, metav1.Time)) []incident.Condition {
	var out []incident.Condition
	for _, c := range cs {
		typ, status, reason, msg, at := get(c)
		out = append(out, incident.Condition{Type: typ, Status: status, Reason: reason, Message: clip(msg), LastTransitionTime: at.Time})
	}
	return out
}

func images(spec corev1.PodSpec) []string {
	var out []string
	for _, c := range spec.Containers {
		out = append(out, c.Image)
	}
	return out
}

func deploymentState(d *appsv1.Deployment) incident.WorkloadState {
	w := incident.WorkloadState{Entity: incident.Entity{Namespace: d.Namespace, Kind: incident.KindDeployment, Name: d.Name},
		Selector: matchLabels(d.Spec.Selector), Images: images(d.Spec.Template.Spec), Replicas: replicas(d.Spec.Replicas),
		Ready: d.Status.ReadyReplicas, Available: d.Status.AvailableReplicas, Updated: d.Status.UpdatedReplicas,
		CreatedAt: d.CreationTimestamp.Time}
	w.Conditions = conditions(d.Status.Conditions, func(c appsv1.DeploymentCondition) (string, string, string, string, metav1.Time) {
		return string(c.Type), string(c.Status), c.Reason, c.Message, c.LastTransitionTime
	})
	return w
}

func statefulSetState(s *appsv1.StatefulSet) incident.WorkloadState {
	w := incident.WorkloadState{Entity: incident.Entity{Namespace: s.Namespace, Kind: incident.KindStatefulSet, Name: s.Name},
		Selector: matchLabels(s.Spec.Selector), Images: images(s.Spec.Template.Spec), Replicas: replicas(s.Spec.Replicas),
		Ready: s.Status.ReadyReplicas, Available: s.Status.AvailableReplicas, Updated: s.Status.UpdatedReplicas,
		CreatedAt: s.CreationTimestamp.Time}
	w.Conditions = conditions(s.Status.Conditions, func(c appsv1.StatefulSetCondition) (string, string, string, string, metav1.Time) {
		return string(c.Type), string(c.Status), c.Reason, c.Message, c.LastTransitionTime
	})
	return w
}

func daemonSetState(d *appsv1.DaemonSet) incident.WorkloadState {
	w := incident.WorkloadState{Entity: incident.Entity{Namespace: d.Namespace, Kind: incident.KindDaemonSet, Name: d.Name},
		Selector: matchLabels(d.Spec.Selector), Images: images(d.Spec.Template.Spec), Replicas: d.Status.DesiredNumberScheduled,
		Ready: d.Status.NumberReady, Available: d.Status.NumberAvailable, Updated: d.Status.UpdatedNumberScheduled,
		CreatedAt: d.CreationTimestamp.Time}
	w.Conditions = conditions(d.Status.Conditions, func(c appsv1.DaemonSetCondition) (string, string, string, string, metav1.Time) {
		return string(c.Type), string(c.Status), c.Reason, c.Message, c.LastTransitionTime
	})
	return w
}

func jobState(j *batchv1.Job) incident.WorkloadState {
	w := incident.WorkloadState{Entity: incident.Entity{Namespace: j.Namespace, Kind: incident.KindJob, Name: j.Name},
		Selector: matchLabels(j.Spec.Selector), Images: images(j.Spec.Template.Spec), Replicas: replicas(j.Spec.Parallelism),
		Ready: ptrValue(j.Status.Ready), Active: j.Status.Active, Succeeded: j.Status.Succeeded, Failed: j.Status.Failed,
		BackoffLimit: ptrValue(j.Spec.BackoffLimit), CreatedAt: j.CreationTimestamp.Time}
	w.Conditions = conditions(j.Status.Conditions, func(c batchv1.JobCondition) (string, string, string, string, metav1.Time) {
		return string(c.Type), string(c.Status), c.Reason, c.Message, c.LastTransitionTime
	})
	return w
}

// cronJobState describes a CronJob with the counts of its newest Job.
func cronJobState(c *batchv1.CronJob, lastJob *batchv1.Job) incident.WorkloadState {
	w := incident.WorkloadState{Entity: incident.Entity{Namespace: c.Namespace, Kind: incident.KindCronJob, Name: c.Name},
		Images: images(c.Spec.JobTemplate.Spec.Template.Spec), Schedule: c.Spec.Schedule, CreatedAt: c.CreationTimestamp.Time,
		Active: int32(len(c.Status.Active))}
	if c.Status.LastScheduleTime != nil {
		w.LastSchedule = c.Status.LastScheduleTime.Time
	}
	if lastJob != nil {
		last := jobState(lastJob)
		w.Succeeded, w.Failed, w.BackoffLimit, w.Conditions = last.Succeeded, last.Failed, last.BackoffLimit, last.Conditions
	}
	return w
}

func replicaSetRollout(rs *appsv1.ReplicaSet, owner incident.Entity) incident.Rollout {
	ann := rs.Annotations["deployment.kubernetes.io/revision"]
	if ann == "" {
		ann = rs.Annotations[rolloutRevisionAnnKey]
	}
	rev, _ := strconv.ParseInt(ann, 10, 64)
	return incident.Rollout{Owner: owner, Name: rs.Name, Revision: rev, Images: images(rs.Spec.Template.Spec),
		CreatedAt: rs.CreationTimestamp.Time, Replicas: replicas(rs.Spec.Replicas), Ready: rs.Status.ReadyReplicas,
		ChangeCause: clip(rs.Annotations["kubernetes.io/change-cause"])}
}

func matchLabels(s *metav1.LabelSelector) map[string]string {
	if s == nil {
		return nil
	}
	return s.MatchLabels
}

func replicas(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

func ptrValue(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func dedupe(s []string) []string {
	if len(s) < 2 {
		return s
	}
	sort.Strings(s)
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}
