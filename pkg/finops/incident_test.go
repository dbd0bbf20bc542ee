package finops

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestIncidentCost(t *testing.T) {
	running := func(name string, started time.Time, cpuMilli, memBytes int64) incident.PodState {
		return incident.PodState{Namespace: "shop", Name: name, Phase: "Running", StartTime: started, Containers: []incident.ContainerState{
			{Name: "init", Init: true, Requests: incident.Resources{CPUMilli: 4000, MemoryBytes: 8 << 30}},
			{Name: "app", Requests: incident.Resources{CPUMilli: cpuMilli, MemoryBytes: memBytes}},
		}}
	}
	b := &incident.Bundle{
		Alert: incident.Alert{StartsAt: t0},
		Now:   t0.Add(2 * time.Hour),
		Pods: []incident.PodState{
			running("a", t0.Add(-time.Hour), 500, 1<<30),
			running("b", t0.Add(time.Hour), 1000, 2<<30),
			{Namespace: "shop", Name: "pending", Phase: "Pending", Containers: []incident.ContainerState{{Name: "app", Requests: incident.Resources{CPUMilli: 8000}}}},
		},
	}
	p := DefaultPricing()
	got := IncidentCost(b, p, 0.0123)
	// a: 0.5 core and 1 GiB for 2 h; b: 1 core and 2 GiB for its last hour;
	// the init container and the pending pod reserve nothing.
	near(t, "core-hours", got.CPUCoreHours, 0.5*2+1*1)
	near(t, "GiB-hours", got.RAMGiBHours, 1*2+2*1)
	near(t, "compute", got.ComputeUSD, 2*0.031611+4*0.004237)
	near(t, "total", got.TotalUSD, 2*0.031611+4*0.004237+0.0123)
	near(t, "hours", got.Hours, 2)
	if got.Pods != 2 || !got.Since.Equal(t0) || !strings.Contains(got.Basis, "2 running pods over 2h0m0s") {
		t.Errorf("cost = %+v", got)
	}

	// A resolved alert stops the clock at its end.
	b.Alert.EndsAt = t0.Add(90 * time.Minute)
	got = IncidentCost(b, p, 0)
	near(t, "resolved core-hours", got.CPUCoreHours, 0.5*1.5+1*0.5)

	// No start, no compute: only the model spend.
	got = IncidentCost(&incident.Bundle{Now: t0, Pods: b.Pods}, p, 0.5)
	if got.ComputeUSD != 0 || got.TotalUSD != 0.5 {
		t.Errorf("without a start: %+v", got)
	}
}
