package kube

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
)

// badWaitingReasons are waiting reasons that mean the container cannot run.
var badWaitingReasons = map[string]bool{
	"CrashLoopBackOff": true, "ImagePullBackOff": true, "ErrImagePull": true, "InvalidImageName": true,
	"CreateContainerConfigError": true, "CreateContainerError": true, "RunContainerError": true,
	"PostStartHookError": true, "ContainerCannotRun": true,
}

// unhealthiness scores a pod so the worst are examined first when there are
// more pods than the cap: failed or pending, not ready, containers that
// cannot run, terminations, restarts.
func unhealthiness(p *corev1.Pod) int {
	score := 0
	switch p.Status.Phase {
	case corev1.PodFailed:
		score += 50
	case corev1.PodPending, corev1.PodUnknown:
		score += 40
	}
	if p.Status.Reason == "Evicted" {
		score += 30
	}
	ready := false
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			ready = true
		}
	}
	if !ready && p.Status.Phase != corev1.PodSucceeded {
		score += 20
	}
	for _, statuses := range [][]corev1.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses} {
		for _, cs := range statuses {
			switch {
			case cs.State.Waiting != nil && badWaitingReasons[cs.State.Waiting.Reason]:
				score += 40
			case cs.State.Waiting != nil:
				score += 10
			case cs.State.Terminated != nil && cs.State.Terminated.ExitCode != 0:
				score += 30
			}
			if t := cs.LastTerminationState.Terminated; t != nil {
				score += 10
				if t.Reason == "OOMKilled" {
					score += 10
				}
			}
			score += int(min(cs.RestartCount, 20))
		}
	}
	return score
}

// lastTermination is the most recent container termination of the pod.
func lastTermination(p *corev1.Pod) int64 {
	var last int64
	for _, cs := range p.Status.ContainerStatuses {
		for _, t := range []*corev1.ContainerStateTerminated{cs.State.Terminated, cs.LastTerminationState.Terminated} {
			if t != nil && t.FinishedAt.Unix() > last {
				last = t.FinishedAt.Unix()
			}
		}
	}
	return last
}

// rankPods orders pods unhealthiest first; ties go to the most recently
// terminated, then by name so the order is stable.
func rankPods(pods []corev1.Pod) {
	type ranked struct {
		score int
		last  int64
	}
	keys := make(map[string]ranked, len(pods))
	for i := range pods {
		keys[pods[i].Namespace+"/"+pods[i].Name] = ranked{unhealthiness(&pods[i]), lastTermination(&pods[i])}
	}
	sort.SliceStable(pods, func(i, j int) bool {
		a, b := keys[pods[i].Namespace+"/"+pods[i].Name], keys[pods[j].Namespace+"/"+pods[j].Name]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.last != b.last {
			return a.last > b.last
		}
		if pods[i].Namespace != pods[j].Namespace {
			return pods[i].Namespace < pods[j].Namespace
		}
		return pods[i].Name < pods[j].Name
	})
}
