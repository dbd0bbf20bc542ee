package finops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"

	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
	"github.com/cloudobs/aiops-app/pkg/promlocal"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// BenchmarkAllocateCluster allocates a generated cluster's cost by namespace
// over its whole window at the 5-minute resolution, against a real
// Prometheus that promtool backfilled. The target is 1,000 pods over 7 days
// in under 5 s and 256 MiB of heap:
//
//	AIOPS_BENCH_PODS=1000 AIOPS_BENCH_DAYS=7 go test -run '^$' -bench AllocateCluster -benchtime 1x -benchmem -timeout 1h ./pkg/finops/
//
// (AIOPS_BENCH_UNCOMPRESSED=1 for Options.UncompressedAnswers.)
// The fixture is built once per size and cached (benchPrometheus); the
// default is the smaller cluster.
func BenchmarkAllocateCluster(b *testing.B) {
	pods, days := envInt(b, "AIOPS_BENCH_PODS", 100), envInt(b, "AIOPS_BENCH_DAYS", 7)
	cluster := generatedCluster(pods, days)
	srv := benchPrometheus(b, cluster, pods, days)
	c, err := api.NewClient(api.Config{Address: srv.URL()})
	if err != nil {
		b.Fatal(err)
	}
	// The fixture is sampled every 5 minutes, so rate() needs two samples'
	// worth of window. AIOPS_BENCH_UNCOMPRESSED=1 measures the option for a
	// Prometheus on the same host; by default the answers are gzipped, as
	// Go's client asks.
	alloc, err := New(c, DefaultPricing(), Options{RateWindow: 10 * time.Minute,
		UncompressedAnswers: os.Getenv("AIOPS_BENCH_UNCOMPRESSED") == "1"})
	if err != nil {
		b.Fatal(err)
	}
	q := Query{Start: cluster.Start.Add(10 * time.Minute), End: cluster.End, GroupBy: ByNamespace, Format: FormatTable}
	var peak heapPeak
	promCPU, selfCPU := processCPU(srv.Pid()), processCPU(os.Getpid())
	b.ResetTimer()
	for range b.N {
		peak.start()
		res, err := alloc.Allocate(context.Background(), q)
		peak.stop()
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Rows) < 10 || res.TotalCost <= 0 {
			b.Fatalf("allocation of %d pods: %d rows, total %v", pods, len(res.Rows), res.TotalCost)
		}
	}
	b.StopTimer()
	// Most of an allocation's CPU is Prometheus's, evaluating and encoding
	// the answers, so a change is judged by both processes' CPU seconds
	// (where /proc tells them), not by wall time on a shared machine.
	if p0, s0 := promCPU, selfCPU; p0 >= 0 && s0 >= 0 {
		if p1, s1 := processCPU(srv.Pid()), processCPU(os.Getpid()); p1 >= 0 && s1 >= 0 {
			b.ReportMetric((p1-p0)/float64(b.N), "prom-cpu-s/op")
			b.ReportMetric((s1-s0)/float64(b.N), "test-cpu-s/op")
		}
	}
	b.ReportMetric(float64(peak.max)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(pods), "pods")
	b.ReportMetric(float64(days), "days")
}

// benchFixtureVersion names what generatedCluster writes: bump it when the
// generator or finopstest changes, so an old cached TSDB is not reused.
const benchFixtureVersion = 1

// benchPrometheus serves the generated cluster from a TSDB cached in the
// user's cache directory (~/.cache/aiops/finops-bench-v<version>-<pods>-<days>),
// built on first use: the fixture for 1,000 pods over 7 days is 16 million
// samples, minutes of work to write and backfill.
func benchPrometheus(b *testing.B, c finopstest.Cluster, pods, days int) *promlocal.Server {
	b.Helper()
	root, err := os.UserCacheDir()
	if err != nil {
		b.Fatalf("cache directory for the benchmark fixture: %v", err)
	}
	dir := filepath.Join(root, "aiops", fmt.Sprintf("finops-bench-v%d-%d-%d", benchFixtureVersion, pods, days))
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		buildBenchTSDB(b, c, dir)
	} else if err != nil {
		b.Fatal(err)
	}
	// 36h is the longest block of a Prometheus with the default 15-day
	// retention; it keeps Prometheus from compacting the cached 18h blocks
	// into longer ones while the benchmark runs.
	return promlocaltest.FromTSDBWith(b, dir, promlocal.Options{StartTimeout: 10 * time.Minute,
		ExtraFlags: []string{"--storage.tsdb.max-block-duration=36h"}})
}

// buildBenchTSDB writes the cluster's OpenMetrics and backfills it into dir
// in 18h blocks (the layout a default Prometheus compacts to; promtool
// rereads its whole input for every block, so 2h blocks would mean ten
// times the passes). It builds beside dir and renames, so an interrupted
// build is never taken for a finished one. Progress goes to stderr, since
// a benchmark's log only appears once it ends.
func buildBenchTSDB(b *testing.B, c finopstest.Cluster, dir string) {
	b.Helper()
	began := time.Now()
	progress := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "finops bench fixture %s: %s (%s)\n", filepath.Base(dir), fmt.Sprintf(format, args...), time.Since(began).Round(time.Second))
	}
	partial := dir + ".partial"
	if err := os.RemoveAll(partial); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(partial, 0o755); err != nil {
		b.Fatal(err)
	}
	omPath := filepath.Join(partial, "cluster.om")
	f, err := os.Create(omPath)
	if err != nil {
		b.Fatal(err)
	}
	w := &progressWriter{w: f, every: 256 << 20, report: func(n int64) { progress("wrote %d MiB of OpenMetrics", n>>20) }}
	if err := c.Write(w); err != nil {
		f.Close()
		b.Fatalf("write fixture: %v", err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	progress("fixture written, %d MiB; backfilling with promtool", w.n>>20)
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(30 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				entries, _ := os.ReadDir(partial)
				progress("backfilling, %d blocks written", len(entries)-1)
			}
		}
	}()
	err = promlocal.Backfill(context.Background(), omPath, partial, promlocal.Options{BlockDuration: 18 * time.Hour})
	close(done)
	if errors.Is(err, promlocal.ErrNotInstalled) {
		b.Skipf("SKIP: %v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Remove(omPath); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(partial, dir); err != nil {
		b.Fatal(err)
	}
	progress("done")
}

// progressWriter counts what passes through and reports every so many bytes.
type progressWriter struct {
	w      io.Writer
	n      int64
	every  int64
	report func(n int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if p.n/p.every != (p.n+int64(n))/p.every {
		p.report(p.n + int64(n))
	}
	p.n += int64(n)
	return n, err
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// generatedCluster is pods pods of one container in ten namespaces, five
// replicas per Deployment, twenty pods per m5.xlarge node, for days days
// sampled every 5 minutes; every seventh pod is replaced halfway through.
func generatedCluster(pods, days int) finopstest.Cluster {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(time.Duration(days) * 24 * time.Hour)
	c := finopstest.Cluster{Start: start, End: end, Interval: 5 * time.Minute, NamespaceLabels: map[string]map[string]string{}}
	for n := 0; n < (pods+19)/20; n++ {
		c.Nodes = append(c.Nodes, finopstest.Node{Name: fmt.Sprintf("node-%03d", n), InstanceType: "m5.xlarge",
			Region: "us-east-1", CapacityType: "ON_DEMAND", Cores: 4, MemBytes: 16 * finopstest.GiB})
	}
	for i := range pods {
		ns := fmt.Sprintf("team-%d", i%10)
		c.NamespaceLabels[ns] = map[string]string{"team": ns}
		deploy := fmt.Sprintf("svc-%d", i/5)
		p := finopstest.Pod{Namespace: ns, Name: fmt.Sprintf("%s-%d", deploy, i), Node: c.Nodes[i/20].Name,
			OwnerKind: "ReplicaSet", OwnerName: deploy + "-7d9c5", DeploymentName: deploy,
			Labels: map[string]string{"app": deploy},
			Containers: []finopstest.Container{{Name: "app", CPURequest: 0.1 + float64(i%4)/10, MemRequest: 0.25 * finopstest.GiB,
				CPUUsage: 0.05 + float64(i%5)/20, MemUsage: 0.2 * finopstest.GiB}}}
		if i%7 == 0 {
			p.Stopped = start.Add(end.Sub(start) / 2)
		}
		c.Pods = append(c.Pods, p)
	}
	return c
}

// processCPU is the user and system CPU seconds process pid has used, from
// /proc/<pid>/stat (in USER_HZ ticks, 100 a second on every Linux ABI); -1
// where there is no /proc.
func processCPU(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name, field 2, is in parentheses and may hold spaces;
	// utime and stime are fields 14 and 15.
	rest := raw[bytes.LastIndexByte(raw, ')')+1:]
	f := strings.Fields(string(rest))
	if len(f) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return (utime + stime) / 100
}

// heapPeak samples the live heap every few milliseconds while an
// allocation runs; -benchmem only reports what was allocated in total.
type heapPeak struct {
	max  uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func (h *heapPeak) start() {
	runtime.GC()
	h.done = make(chan struct{})
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			h.max = max(h.max, sample[0].Value.Uint64())
			select {
			case <-h.done:
				return
			case <-tick.C:
			}
		}
	}()
}

func (h *heapPeak) stop() {
	close(h.done)
	h.wg.Wait()
}
