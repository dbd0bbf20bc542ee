package finops

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/cloudobs/aiops-app/pkg/finops/finopstest"
	"github.com/cloudobs/aiops-app/pkg/promlocal"
	"github.com/cloudobs/aiops-app/pkg/promlocal/promlocaltest"
)

// BenchmarkAllocateCluster allocates a generated cluster's cost by namespace
// over its whole window at the 5-minute resolution, against a real
// Prometheus that promtool backfilled. The target is 1,000 pods over 7 days
// in under 5 s and 256 MiB of heap:
//
//	AIOPS_BENCH_PODS=1000 AIOPS_BENCH_DAYS=7 go test -run XXX -bench AllocateCluster -benchtime 3x -benchmem ./pkg/finops/
//
// The backfill dominates (about 2 minutes for the default of 100 pods over
// 7 days on 2 cores, ten times that for the target), so the default is the
// smaller cluster.
func BenchmarkAllocateCluster(b *testing.B) {
	pods, days := envInt(b, "AIOPS_BENCH_PODS", 100), envInt(b, "AIOPS_BENCH_DAYS", 7)
	cluster := generatedCluster(pods, days)
	backfill := time.Now()
	srv := promlocaltest.FromOpenMetricsWith(b, cluster.WriteFile(b, b.TempDir()), promlocal.Options{StartTimeout: time.Hour})
	b.Logf("%d pods over %d days: fixture and backfill took %s", pods, days, time.Since(backfill).Round(time.Second))
	c, err := api.NewClient(api.Config{Address: srv.URL()})
	if err != nil {
		b.Fatal(err)
	}
	// The fixture is sampled every 5 minutes, so rate() needs two samples'
	// worth of window.
	alloc, err := New(v1.NewAPI(c), DefaultPricing(), Options{RateWindow: 10 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	q := Query{Start: cluster.Start.Add(10 * time.Minute), End: cluster.End, GroupBy: ByNamespace, Format: FormatTable}
	var peak heapPeak
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
	b.ReportMetric(float64(peak.max)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(pods), "pods")
	b.ReportMetric(float64(days), "days")
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
