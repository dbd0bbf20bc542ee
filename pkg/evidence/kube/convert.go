package kube

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

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
func podState(p *pod, owner incident.Entity, replicaSet string) incident.PodState {
	ps := incident.PodState{
		Namespace: p.Namespace, Name: p.Name, Node: p.Spec.NodeName, IP: p.Status.PodIP,
		Phase: p.Status.Phase, Reason: p.Status.Reason, Message: clip(p.Status.Message),
		Labels: p.Labels, Owner: owner, ReplicaSet: replicaSet,
		CreatedAt: p.CreationTimestamp.Time, QOSClass: p.Status.QOSClass,
	}
	if p.Status.StartTime != nil {
		ps.StartTime = p.Status.StartTime.Time
	}
	ps.Conditions = conditions(p.Status.Conditions)
	statuses := map[string]containerStatus{}
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

func claimState(c *persistentVolumeClaim) incident.ClaimState {
	st := incident.ClaimState{Namespace: c.Namespace, Name: c.Name, Phase: c.Status.Phase}
	if c.Spec.StorageClassName != nil {
		st.StorageClass = *c.Spec.StorageClassName
	}
	if q, ok := c.Spec.Resources.Requests[resourceStorage]; ok {
		st.Requested = q.Value()
	}
	if q, ok := c.Status.Capacity[resourceStorage]; ok {
		st.Capacity = q.Value()
	}
	return st
}

func containerState(c containerSpec, s containerStatus, init bool) incident.ContainerState {
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
		probe *probeSpec
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

func termination(t *terminated) *incident.Termination {
	return &incident.Termination{Reason: t.Reason, Message: clip(t.Message), ExitCode: t.ExitCode, Signal: t.Signal,
		StartedAt: t.StartedAt.Time, FinishedAt: t.FinishedAt.Time}
}

func probe(kind string, p *probeSpec) incident.Probe {
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

func resources(rl resourceList) incident.Resources {
	var r incident.Resources
	if q, ok := rl[resourceCPU]; ok {
		r.CPUMilli = q.MilliValue()
	}
	if q, ok := rl[resourceMemory]; ok {
		r.MemoryBytes = q.Value()
	}
	if q, ok := rl[resourceEphemeral]; ok {
		r.EphemeralBytes = q.Value()
	}
	if q, ok := rl[resourcePods]; ok {
		r.Pods = q.Value()
	}
	return r
}

// regionLabel is the well-known label of a node's cloud region.
const regionLabel = "topology.kubernetes.io/region"

func nodeState(n *node) incident.NodeState {
	ns := incident.NodeState{Name: n.Name, Allocatable: resources(n.Status.Allocatable),
		Capacity: resources(n.Status.Capacity), Unschedulable: n.Spec.Unschedulable, Region: n.Labels[regionLabel]}
	ns.Conditions = conditions(n.Status.Conditions)
	for _, t := range n.Spec.Taints {
		ns.Taints = append(ns.Taints, fmt.Sprintf("%s=%s:%s", t.Key, t.Value, t.Effect))
	}
	return ns
}

// event normalises both event shapes: the core count/firstTimestamp/
// lastTimestamp one and the eventTime/series one newer emitters (the
// scheduler) use, which core/v1 shows with count 0 and null timestamps.
func event(e *kubeEvent) incident.Event {
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

func conditions(cs []condition) []incident.Condition {
	var out []incident.Condition
	for _, c := range cs {
		out = append(out, incident.Condition{Type: c.Type, Status: c.Status, Reason: c.Reason, Message: clip(c.Message), LastTransitionTime: c.LastTransitionTime.Time})
	}
	return out
}

func images(spec podSpec) []string {
	var out []string
	for _, c := range spec.Containers {
		out = append(out, c.Image)
	}
	return out
}

// workloadState describes a Deployment, StatefulSet, DaemonSet or Job; each
// kind counts its pods in its own status fields.
func workloadState(kind string, o *workload) incident.WorkloadState {
	w := incident.WorkloadState{Entity: incident.Entity{Namespace: o.Namespace, Kind: kind, Name: o.Name},
		Selector: matchLabels(o.Spec.Selector), Images: images(o.Spec.Template.Spec), CreatedAt: o.CreationTimestamp.Time,
		Conditions: conditions(o.Status.Conditions)}
	st := o.Status
	switch kind {
	case incident.KindDaemonSet:
		w.Replicas, w.Ready, w.Available, w.Updated = st.DesiredNumberScheduled, st.NumberReady, st.NumberAvailable, st.UpdatedNumberScheduled
	case incident.KindJob:
		w.Replicas, w.Ready, w.Active, w.Succeeded, w.Failed = replicas(o.Spec.Parallelism), ptrValue(st.Ready), st.Active, st.Succeeded, st.Failed
		w.BackoffLimit = ptrValue(o.Spec.BackoffLimit)
	default:
		w.Replicas, w.Ready, w.Available, w.Updated = replicas(o.Spec.Replicas), st.ReadyReplicas, st.AvailableReplicas, st.UpdatedReplicas
	}
	return w
}

// cronJobState describes a CronJob with the counts of its newest Job.
func cronJobState(c *cronJob, lastJob *workload) incident.WorkloadState {
	w := incident.WorkloadState{Entity: incident.Entity{Namespace: c.Namespace, Kind: incident.KindCronJob, Name: c.Name},
		Images: images(c.Spec.JobTemplate.Spec.Template.Spec), Schedule: c.Spec.Schedule, CreatedAt: c.CreationTimestamp.Time,
		Active: int32(len(c.Status.Active)), Suspended: c.Spec.Suspend != nil && *c.Spec.Suspend}
	if c.Status.LastScheduleTime != nil {
		w.LastSchedule = c.Status.LastScheduleTime.Time
	}
	if lastJob != nil {
		last := workloadState(incident.KindJob, lastJob)
		w.Succeeded, w.Failed, w.BackoffLimit, w.Conditions = last.Succeeded, last.Failed, last.BackoffLimit, last.Conditions
	}
	return w
}

func replicaSetRollout(rs *workload, owner incident.Entity) incident.Rollout {
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
