package watch

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// genSource writes linesPerPoll lines per container per poll interval, in
// the kubelet's timestamped form: JSON, logfmt and plain lines of a dozen
// templates with variable fields, and one line in twenty with a word never
// seen before, which keeps creating templates up to the bound.
type genSource struct {
	containers   []Container
	linesPerPoll int
	interval     time.Duration
	seq          int
	buf          []byte
}

var genFormats = []string{
	`{"level":"info","msg":"served order %d in %dms","path":"/api/orders"}`,
	`{"level":"info","msg":"cache hit for user %d","ttl":%d}`,
	`level=info msg="request completed" status=200 bytes=%d duration=%dms`,
	`level=warn msg="slow query" table=orders took=%dms rows=%d`,
	`{"level":"error","msg":"charge failed: gateway answered 502","order":%d,"attempt":%d}`,
	`2026-12-06 10:00:00,123 INFO [http-nio-8080-exec-%d] c.e.OrderController - GET /orders/%d 200`,
	`E1206 10:00:00.000000 1 reconciler.go:%d] failed to sync item %d: conflict`,
	`WARN retrying connection to db-%d.internal:%d`,
	`INFO worker %d finished batch of %d jobs`,
	`{"level":"debug","msg":"heartbeat","seq":%d,"lag":%d}`,
}

func (g *genSource) Containers(_ context.Context, _, _ string, max int) ([]Container, error) {
	return g.containers[:min(len(g.containers), max)], nil
}

func (g *genSource) Logs(_ context.Context, _ Container, since time.Time, maxBytes int64) ([]byte, error) {
	g.buf = g.buf[:0]
	step := g.interval / time.Duration(g.linesPerPoll+1)
	// since is the last read second; the interval after it is new.
	start := since.Truncate(g.interval).Add(g.interval)
	for i := range g.linesPerPoll {
		g.seq++
		g.buf = start.Add(time.Duration(i+1)*step).UTC().AppendFormat(g.buf, time.RFC3339Nano)
		g.buf = append(g.buf, ' ')
		if g.seq%20 == 0 {
			w := letters(g.seq)
			g.buf = fmt.Appendf(g.buf, "ERROR %s broke %sx during %sy\n", w, w, w)
			continue
		}
		g.buf = fmt.Appendf(g.buf, genFormats[g.seq%len(genFormats)], g.seq%9973, g.seq%431)
		g.buf = append(g.buf, '\n')
		if int64(len(g.buf)) >= maxBytes {
			break
		}
	}
	return g.buf, nil
}

// letters spells n in base 26 with a..z, a word the miner does not mask.
func letters(n int) string {
	var b []byte
	for ; n > 0; n /= 26 {
		b = append(b, byte('a'+n%26))
	}
	return string(b)
}

func benchContainers(pods int) []Container {
	out := make([]Container, pods)
	for i := range out {
		out[i] = Container{Namespace: "bench", Pod: fmt.Sprintf("api-%d-7d9c5-x%04d", i/5, i), Container: "app", Workload: fmt.Sprintf("api-%d", i/5)}
	}
	return out
}

// BenchmarkWatchPoll1000Lines is the CPU of one watched container: one op
// is one poll that reads, parses and mines 1000 lines (generating them is
// included, so this is an upper bound).
func BenchmarkWatchPoll1000Lines(b *testing.B) {
	src := &genSource{containers: benchContainers(1), linesPerPoll: 1000, interval: 30 * time.Second}
	clk := &clock{t: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)}
	w, err := New(src, Options{Namespaces: []string{"bench"}, Interval: src.interval, Now: clk.now})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		clk.t = clk.t.Add(src.interval)
		if _, err := w.Poll(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/1000lines")
}

// BenchmarkWatchRetainedPerPod is the memory one watched container keeps:
// 50 containers of 10 workloads, each poll 1000 lines per container, until
// the templates reach their bound (MaxTemplates per workload); the heap
// kept after a collection, divided by the containers.
func BenchmarkWatchRetainedPerPod(b *testing.B) {
	const pods, polls = 50, 40
	for b.Loop() {
		src := &genSource{containers: benchContainers(pods), linesPerPoll: 1000, interval: 30 * time.Second}
		clk := &clock{t: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		w, err := New(src, Options{Namespaces: []string{"bench"}, Interval: src.interval, MaxContainers: pods, Now: clk.now})
		if err != nil {
			b.Fatal(err)
		}
		for range polls {
			clk.t = clk.t.Add(src.interval)
			if _, err := w.Poll(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		src.buf = nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/pods, "retained-B/pod")
		templates := 0
		for _, wl := range w.workloads {
			templates += wl.miner.Len()
		}
		b.ReportMetric(float64(templates)/float64(len(w.workloads)), "templates/workload")
		runtime.KeepAlive(w)
	}
}
