package kube

import (
	"slices"
	"testing"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// An init container still running holds the pod in Init: its log is read;
// one that completed is not.
func TestLogJobsReadRunningInitContainer(t *testing.T) {
	pods := []incident.PodState{{Namespace: "shop", Name: "api-1", Containers: []incident.ContainerState{
		{Name: "agent-init", Init: true, State: "running"},
		{Name: "migrate", Init: true, State: "terminated", Terminated: &incident.Termination{ExitCode: 0}},
		{Name: "api", State: "waiting", Reason: "PodInitializing"},
	}}}
	got := logJobs(pods, "")
	if want := []logJob{{"shop", "api-1", "agent-init", false}}; !slices.Equal(got, want) {
		t.Errorf("logJobs = %+v, want %+v", got, want)
	}
}
