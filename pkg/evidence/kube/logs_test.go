package kube

import (
	"slices"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestLogJobsInitContainers(t *testing.T) {
	pod := func(init incident.ContainerState) incident.PodState {
		init.Name, init.Init = "setup", true
		return incident.PodState{Namespace: "shop", Name: "order-1", Containers: []incident.ContainerState{
			init, {Name: "order", State: "waiting", Reason: "PodInitializing"}}}
	}
	cases := []struct {
		name string
		init incident.ContainerState
		want []logJob
	}{
		{"a running init container holds the pod in Init: read it", incident.ContainerState{State: "running"},
			[]logJob{{"shop", "order-1", "setup", false}}},
		{"a completed init container is not read", incident.ContainerState{State: "terminated", Terminated: &incident.Termination{ExitCode: 0}}, nil},
		{"a failed init container is read", incident.ContainerState{State: "terminated", Terminated: &incident.Termination{ExitCode: 1}},
			[]logJob{{"shop", "order-1", "setup", false}}},
	}
	for _, tc := range cases {
		if got := logJobs([]incident.PodState{pod(tc.init)}, ""); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
