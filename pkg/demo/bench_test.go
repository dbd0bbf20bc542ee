package demo

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// BenchmarkStampWriter measures the log capture cost per line: every line a
// service writes passes through it.
func BenchmarkStampWriter(b *testing.B) {
	line := []byte(`{"time":"2026-11-20T10:00:00Z","level":"INFO","msg":"order created","service":"order-service","order_id":"ord_3f2a9c1b7d4e5f60"}` + "\n")
	w := newStampWriter(io.Discard)
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := w.Write(line); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkObjects measures rendering the demo's cluster snapshot at
// explain time (4 pods, their events).
func BenchmarkObjects(b *testing.B) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var pods []ContainerStatus
	var events []EventRecord
	for i, a := range apps {
		spec := ContainerSpec{Namespace: Namespace, App: a.name, Pod: fmt.Sprintf("%s-7d9c5b6f4-x2x1%d", a.name, i),
			Container: a.name, Port: 8080 + i, MemoryLimit: a.memoryLimit, Env: []string{"PORT=8080", "ADMIN_TOKEN=x"},
			SecretEnv: map[string]bool{"ADMIN_TOKEN": true}}
		pods = append(pods, ContainerStatus{Spec: spec, Created: t0, Running: true, StartedAt: t0, Restarts: 2,
			Last: &Termination{Reason: "OOMKilled", ExitCode: 137, StartedAt: t0, FinishedAt: t0.Add(time.Minute)}})
		events = append(events, EventRecord{Namespace: Namespace, Pod: spec.Pod, Type: "Warning", Reason: "BackOff",
			Message: "Back-off restarting failed container", Count: 3, First: t0, Last: t0.Add(time.Minute)})
	}
	b.ReportAllocs()
	for b.Loop() {
		objs, err := Objects(pods, events, t0.Add(2*time.Minute))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(objs)), "objects/op")
	}
}
