package trace

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// benchCollect times whole collections (three queries and the summary) and
// reports their p95, the figure the explain pipeline adds.
func benchCollect(b *testing.B, src Source) {
	c := NewCollector(src, Options{})
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		gs, err := c.Collect(context.Background(), shopAlert, incident.Target{Namespace: "shop"}, alertStart, alertNow)
		took = append(took, time.Since(start))
		if err != nil || len(gs) == 0 {
			b.Fatalf("collect: %d groups, %v", len(gs), err)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[int(0.95*float64(len(took)-1))].Microseconds())/1000, "p95-ms")
}

// go test -run XXX -bench Collect -benchtime 200x ./pkg/evidence/trace/
func BenchmarkCollectTempo(b *testing.B) {
	f := &fakeTempo{traces: shopTraces()}
	benchCollect(b, newFakeTempo(b, f, HTTPConfig{}))
}

func BenchmarkCollectJaeger(b *testing.B) {
	srv := startJaeger(b)
	j, err := NewJaeger(HTTPConfig{URL: srv.QueryURL})
	if err != nil {
		b.Fatal(err)
	}
	traces := shopTraces()
	exportOTLP(b, srv.OTLPEndpoint, traces)
	waitTraces(b, j, "order-service", traces)
	benchCollect(b, j)
}
