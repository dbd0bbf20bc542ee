package analyze

import (
	"fmt"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// bigBundle is an incident at the collector's caps: many pods, events, raw
// log lines and series, with a real problem (OOM kills, a failing
// dependency) among noise.
func bigBundle(pods, linesPerPod int, mined bool) *incident.Bundle {
	var ps []incident.PodState
	for i := range pods {
		c := healthy()
		if i%5 == 0 {
			c = crashed("OOMKilled", 137, int32(3+i%4))
		}
		ps = append(ps, orderPod(fmt.Sprintf("order-%d", i), c))
	}
	b := newBundle(ps...)
	for i := range pods {
		name := fmt.Sprintf("order-%d", i)
		b.Events = append(b.Events,
			podEvent(name, "BackOff", "Back-off restarting failed container order in pod "+name, 12, -10*time.Minute, 0),
			podEvent(name, "Unhealthy", `Readiness probe failed: Get "http://10.0.1.5:8080/ready": context deadline exceeded`, 30, -9*time.Minute, 0))
		s := incident.LogStream{Namespace: "shop", Pod: name, Container: "order", Previous: i%5 == 0}
		for k := range linesPerPod {
			text := fmt.Sprintf(`{"level":"info","msg":"request","path":"/v1/orders/%d","status":200}`, k)
			if k%10 == 0 {
				text = fmt.Sprintf(`{"level":"error","msg":"charge failed","error":"Post \"http://payment-service:8080/charge\": dial tcp 10.96.3.%d:8080: connect: connection refused"}`, k%250)
			}
			s.Lines = append(s.Lines, incident.LogLine{Time: at(time.Duration(k-linesPerPod) * time.Second), Text: text})
		}
		b.Logs = append(b.Logs, s)
		if mined {
			b.Templates = append(b.Templates, template(name, "charge failed: dial tcp <*>: connect: connection refused", linesPerPod/10, true, -5*time.Minute,
				`{"level":"error","msg":"charge failed","error":"dial tcp 10.96.3.7:8080: connect: connection refused"}`))
		}
		vals := make([]float64, 180)
		for k := range vals {
			vals[k] = float64(60+k) * (1 << 20)
		}
		b.Metrics = append(b.Metrics, metric(incident.MetricMemoryWorkingSet, incident.Entity{Namespace: "shop", Kind: incident.KindPod, Name: name}, 10*time.Second, vals...))
	}
	b.Services = []incident.ServiceState{{Namespace: "shop", Name: "payment-service", Ready: 0, NotReady: 3}}
	b.AssignIDs()
	return b
}

func BenchmarkOffline(b *testing.B) {
	for _, size := range []struct {
		pods, lines int
		mined       bool
	}{{10, 500, true}, {10, 5000, false}, {50, 5000, false}} {
		name := fmt.Sprintf("pods=%d/lines=%d/templates=%v", size.pods, size.lines, size.mined)
		b.Run(name, func(b *testing.B) {
			bundle := bigBundle(size.pods, size.lines, size.mined)
			b.ReportAllocs()
			b.ResetTimer()
			var ex incident.Explanation
			for b.Loop() {
				ex = Offline(bundle)
			}
			b.StopTimer()
			if ex.RootCause.Category != incident.CategoryOOMKilled && ex.RootCause.Category != incident.CategoryDependencyFailure {
				b.Fatalf("unexpected root cause %s", ex.RootCause.Category)
			}
			b.ReportMetric(float64(size.pods*size.lines), "lines/op")
			b.ReportMetric(float64(len(ex.Findings)), "findings/op")
		})
	}
}
