package kube

import (
	"sort"
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
func unhealthiness(p *pod) int {
	score := 0
	switch p.Status.Phase {
	case podFailed:
		score += 50
	case podPending, podUnknown:
		score += 40
	}
	if p.Status.Reason == "Evicted" {
		score += 30
	}
	ready := false
	for _, c := range p.Status.Conditions {
		if c.Type == podReady && c.Status == statusTrue {
			ready = true
		}
	}
	if !ready && p.Status.Phase != podSucceeded {
		score += 20
	}
	for _, statuses := range [][]containerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses} {
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
func lastTermination(p *pod) int64 {
	var last int64
	for _, cs := range p.Status.ContainerStatuses {
		for _, t := range []*terminated{cs.State.Terminated, cs.LastTerminationState.Terminated} {
			if t != nil && t.FinishedAt.Unix() > last {
				last = t.FinishedAt.Unix()
			}
		}
	}
	return last
}

// rankPods orders pods unhealthiest first; ties go to the most recently
// terminated, then by name so the order is stable.
func rankPods(pods []pod) {
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
