package analyze

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestProbeFailure(t *testing.T) {
	withProbe := func() incident.ContainerState {
		c := healthy()
		c.Ready = false
		c.Probes = []incident.Probe{{Kind: "liveness", Handler: "httpGet", Path: "/healthz", Port: "8080",
			InitialDelaySec: 5, TimeoutSec: 1, FailureThreshold: 3}}
		return c
	}
	tests := []struct {
		name   string
		events []incident.Event
		want   int
		kind   string
		words  []string
	}{
		{"liveness timeout with kills", []incident.Event{
			podEvent("order-1", "Unhealthy", `Liveness probe failed: Get "http://10.0.1.5:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, 9, -4*time.Minute, 0),
			podEvent("order-1", "Killing", "Container order failed liveness probe, will be restarted", 3, -3*time.Minute, 0),
		}, 1, "liveness", []string{"liveness", "/healthz", "8080", "1s timeout", "restarted the container 3 times"}},
		{"readiness 503", []incident.Event{
			podEvent("order-1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 20, -4*time.Minute, 0),
		}, 1, "readiness", []string{"503", "unhealthy"}},
		{"readiness 404 wrong path", []incident.Event{
			podEvent("order-1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 404", 20, -4*time.Minute, 0),
		}, 1, "readiness", []string{"404", "does not serve"}},
		{"connection refused", []incident.Event{
			podEvent("order-1", "Unhealthy", `Liveness probe failed: Get "http://10.0.1.5:9090/healthz": dial tcp 10.0.1.5:9090: connect: connection refused`, 5, -4*time.Minute, 0),
		}, 1, "liveness", []string{"port 9090", "wrong port"}},
		{"stale probe events from yesterday", []incident.Event{
			podEvent("order-1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 2, -26*time.Hour, -25*time.Hour),
		}, 0, "", nil},
		{"unrelated warning", []incident.Event{
			podEvent("order-1", "FailedMount", "MountVolume.SetUp failed", 1, -time.Minute, 0),
		}, 0, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBundle(orderPod("order-1", withProbe()))
			b.Events = tt.events
			got := analyzeOne(probeFailure{}, b)
			if len(got) != tt.want {
				t.Fatalf("got %d findings, want %d: %+v", len(got), tt.want, got)
			}
			if tt.want == 0 {
				return
			}
			checkFinding(t, b, got[0], incident.CategoryProbeFailure, deployOrder, append(tt.words, tt.kind)...)
		})
	}
}

func TestProbeFailureFromStatusWithoutEvents(t *testing.T) {
	live := incident.Probe{Kind: "liveness", Handler: "httpGet", Path: "/healthz", Port: "8080", TimeoutSec: 1}
	ready := incident.Probe{Kind: "readiness", Handler: "httpGet", Path: "/ready", Port: "8080"}
	tests := []struct {
		name  string
		c     incident.ContainerState
		want  bool
		words []string
	}{
		{"killed repeatedly under a liveness probe", func() incident.ContainerState {
			c := crashed("Error", 137, 4)
			c.Probes = []incident.Probe{live}
			return c
		}(), true, []string{"liveness", "/healthz", "exit 137/143"}},
		{"running but unready", func() incident.ContainerState {
			c := healthy()
			c.Ready, c.Probes = false, []incident.Probe{ready}
			return c
		}(), true, []string{"readiness", "/ready"}},
		{"OOM kills are not probe kills", func() incident.ContainerState {
			c := crashed("OOMKilled", 137, 4)
			c.Probes = []incident.Probe{live}
			return c
		}(), false, nil},
		{"exit 1 is the app's own", func() incident.ContainerState {
			c := crashed("Error", 1, 4)
			c.Probes = []incident.Probe{live}
			return c
		}(), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBundle(orderPod("order-1", tt.c))
			got := analyzeOne(probeFailure{}, b)
			if !tt.want {
				if len(got) != 0 {
					t.Fatalf("want nothing, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %d findings", len(got))
			}
			checkFinding(t, b, got[0], incident.CategoryProbeFailure, deployOrder, tt.words...)
		})
	}
}

// TestReadinessOfStartingPods: a new pod that runs without restarts fails
// readiness while it starts; that is weak evidence, unless the probe is
// misconfigured (4xx) or the rollout missed its deadline.
func TestReadinessOfStartingPods(t *testing.T) {
	starting := func() *incident.Bundle {
		c := healthy()
		c.Ready = false
		p := orderPod("order-1", c)
		p.StartTime = at(-6 * time.Minute)
		b := newBundle(p)
		b.Events = []incident.Event{podEvent("order-1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 20, -5*time.Minute, 0)}
		return b
	}
	got := analyzeOne(probeFailure{}, starting())
	if len(got) != 1 || got[0].Confidence > 0.25 || !strings.Contains(got[0].Detail, "still starting") {
		t.Errorf("starting pod: %+v", got)
	}
	b := starting()
	b.Events[0].Message = "Readiness probe failed: HTTP probe failed with statuscode: 404"
	if got := analyzeOne(probeFailure{}, b); len(got) != 1 || got[0].Confidence <= 0.25 {
		t.Errorf("wrong path while starting: %+v", got)
	}
	b = starting()
	b.Workloads = []incident.WorkloadState{{Entity: deployOrder, Conditions: []incident.Condition{
		{Type: "Progressing", Status: "False", Reason: "ProgressDeadlineExceeded"}}}}
	if got := analyzeOne(probeFailure{}, b); len(got) != 1 || got[0].Confidence <= 0.25 {
		t.Errorf("past the progress deadline: %+v", got)
	}
	b = starting()
	b.Pods[0].Containers[0].RestartCount = 1
	if stillStarting(b, b.Pods[0]) {
		t.Error("a restarted container is not just starting")
	}
}

func TestBackendProbeMisconfigured(t *testing.T) {
	svc := func(problems ...string) incident.ServiceState {
		return incident.ServiceState{Namespace: "shop", Name: "cache", NotReady: len(problems),
			Backend: incident.Entity{Namespace: "shop", Kind: incident.KindStatefulSet, Name: "cache"}, BackendProblems: problems}
	}
	cases := []struct {
		name string
		svc  incident.ServiceState
		want bool
	}{
		{"a Redis probe without the password", svc("cache-0: not ready (Readiness probe failed: NOAUTH Authentication required.)", "cache-1: not ready"), true},
		{"an HTTP probe refused 401", svc("cache-0: not ready (Readiness probe failed: HTTP probe failed with statuscode: 401)"), true},
		{"a probe finding nothing listening is the backend's failure", svc("cache-0: not ready (Readiness probe failed: dial tcp 10.0.0.9:6379: connect: connection refused)"), false},
		{"a crash-looping pod among them is not a probe problem", svc("cache-0: not ready (Readiness probe failed: NOAUTH Authentication required.)", "cache-1: cache CrashLoopBackOff, 7 restarts"), false},
	}
	for _, tc := range cases {
		if _, got := backendProbeMisconfigured(tc.svc); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	ready := svc("cache-0: not ready (Readiness probe failed: NOAUTH Authentication required.)")
	ready.Ready = 2
	if _, got := backendProbeMisconfigured(ready); got {
		t.Error("a Service with ready endpoints blamed on its probe")
	}
}
