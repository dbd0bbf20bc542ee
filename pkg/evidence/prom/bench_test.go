package prom

import (
	"context"
	"math"
	"testing"
	"time"
)

// BenchmarkSummarise: one 200-point series, the most a query returns.
func BenchmarkSummarise(b *testing.B) {
	pts := series(200, func(i int) float64 { return 100 + 10*math.Sin(float64(i)/7) + float64(max(0, i-120)) })
	startsAt := at(150)
	b.ReportAllocs()
	for b.Loop() {
		Summarise(pts, startsAt)
	}
}

// BenchmarkCollect: a full collection (alert query and the 11 standard
// series) against a real Prometheus on loopback.
func BenchmarkCollect(b *testing.B) {
	srv := startFixturePrometheus(b)
	c, err := New(Config{URL: srv.URL()})
	if err != nil {
		b.Fatal(err)
	}
	since, until := fxStartsAt.Add(-30*time.Minute), fxStartsAt.Add(10*time.Minute)
	ctx := context.Background()
	var n int
	b.ReportAllocs()
	for b.Loop() {
		series, err := c.Collect(ctx, fixtureAlert(), fixtureTarget(), nil, since, until)
		if err != nil {
			b.Fatal(err)
		}
		n = len(series)
	}
	b.ReportMetric(float64(n), "series/op")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/collect")
}
