package analyze

import (
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestCrashLoop(t *testing.T) {
	tests := []struct {
		name   string
		bundle func() *incident.Bundle
		want   bool
		words  []string
	}{
		{"exit 1 with last lines from the previous run", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", crashed("Error", 1, 6)))
			b.Logs = []incident.LogStream{{Namespace: "shop", Pod: "order-1", Container: "order", Previous: true,
				Lines: []incident.LogLine{{Time: at(-3 * time.Minute), Text: "starting order service"},
					{Time: at(-2 * time.Minute), Text: "fatal: cannot parse orders table schema"}}}}
			return b
		}, true, []string{"exit code 1", "generic application error", "cannot parse orders table schema", "6 restarts"}},
		{"exit 127 command not found", func() *incident.Bundle {
			return newBundle(orderPod("order-1", crashed("ContainerCannotRun", 127, 3)))
		}, true, []string{"not found in the image"}},
		{"exit 139 segfault", func() *incident.Bundle {
			return newBundle(orderPod("order-1", crashed("Error", 139, 3)))
		}, true, []string{"SIGSEGV"}},
		{"back-off event only", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Events = []incident.Event{podEvent("order-1", "BackOff", "Back-off restarting failed container order in pod order-1", 12, -5*time.Minute, 0)}
			return b
		}, true, []string{"Back-off restarting"}},
		{"OOM kills are not crash loops", func() *incident.Bundle {
			return newBundle(orderPod("order-1", crashed("OOMKilled", 137, 5)))
		}, false, nil},
		{"one old restart is not a loop", func() *incident.Bundle {
			c := healthy()
			c.RestartCount = 1
			c.LastTermination = &incident.Termination{Reason: "Error", ExitCode: 1}
			return newBundle(orderPod("order-1", c))
		}, false, nil},
		{"back-off pulling an image is not a crash", func() *incident.Bundle {
			b := newBundle(orderPod("order-1", healthy()))
			b.Events = []incident.Event{podEvent("order-1", "BackOff", `Back-off pulling image "shop/order:v2"`, 4, -time.Minute, 0)}
			return b
		}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.bundle()
			got := analyzeOne(crashLoop{}, b)
			if !tt.want {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one finding, got %d", len(got))
			}
			checkFinding(t, b, got[0], incident.CategoryCrashLoop, deployOrder, tt.words...)
		})
	}
}

func TestCrashLoopRuntimeCannotStart(t *testing.T) {
	c := incident.ContainerState{Name: "order", State: "waiting", Reason: "RunContainerError",
		Message: `failed to create containerd task: exec: "/app/server": stat /app/server: no such file or directory`}
	b := newBundle(orderPod("order-1", c))
	got := analyzeOne(crashLoop{}, b)
	if len(got) != 1 {
		t.Fatalf("got %d findings", len(got))
	}
	checkFinding(t, b, got[0], incident.CategoryCrashLoop, deployOrder, "could not start", "/app/server")
}
