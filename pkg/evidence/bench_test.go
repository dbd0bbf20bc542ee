//go:build unix

package evidence

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
)

// BenchmarkCollect10Pods collects the evidence of an alert on a 10-pod
// Deployment with 2 MiB of log per container, served by kubeapi through
// client-go, plus metrics through the real Prometheus client from a local
// fake. It reports p50/p95 wall time per collection, the CPU time per
// collection (servers included), the worst heap growth during one
// collection started from a collected heap (sampled every millisecond
// without stopping the world, so garbage not yet swept counts), the peak
// heap of the whole process with the servers' 20 MiB of stored logs, and
// the heap one bundle keeps alive.
//
//	go test -run=^$ -bench=Collect10Pods -benchmem ./pkg/evidence/
func BenchmarkCollect10Pods(b *testing.B) {
	api, err := kubeapi.New(deploymentCluster(b, 10, 2<<20))
	if err != nil {
		b.Fatal(err)
	}
	srv, err := api.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	// client-go's rate limiter paces back-to-back collections (about 30
	// requests each) at the product's QPS; it is off here so the benchmark
	// measures one collection, as when an SRE clicks Explain.
	rc := srv.RESTConfig()
	rc.QPS = -1
	kc, err := kube.New(kube.Config{RESTConfig: rc})
	if err != nil {
		b.Fatal(err)
	}
	g := NewGatherer(Sources{Kube: kc, Prom: fakePrometheus(b)}, Options{})
	ctx := context.Background()
	alert := crashAlert()

	// One warm-up run checks the work is the real work: ten full streams.
	bundle, err := g.Collect(ctx, alert, now)
	if err != nil || len(incident.Failures(bundle.Degraded)) > 0 {
		b.Fatalf("warm-up: %v %+v", err, bundle.Degraded)
	}
	var logBytes int
	for _, s := range bundle.Logs {
		for _, l := range s.Lines {
			logBytes += len(l.Text)
		}
	}
	if len(bundle.Pods) != 10 || len(bundle.Logs) != 11 || logBytes < 10*(2<<20)*7/10 {
		b.Fatalf("warm-up collected %d pods, %d streams, %d bytes of log text", len(bundle.Pods), len(bundle.Logs), logBytes)
	}
	bundle = nil

	runtime.GC()
	baseline := heapObjects()
	sampler := startHeapSampler(time.Millisecond)
	var durations []time.Duration
	var cpu time.Duration
	var worstGrowth uint64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		// Each collection starts from a collected heap, like one Explain
		// click in a plugin that has been idle: the growth measured is
		// this collection's own.
		b.StopTimer()
		runtime.GC()
		before := heapObjects()
		sampler.reset()
		cpuBefore := cpuTime()
		b.StartTimer()
		start := time.Now()
		res, err := g.Collect(ctx, alert, now)
		durations = append(durations, time.Since(start))
		cpu += cpuTime() - cpuBefore
		worstGrowth = max(worstGrowth, sampler.peakNow()-min(sampler.peakNow(), before))
		if err != nil || len(incident.Failures(res.Degraded)) > 0 {
			b.Fatalf("collect: %v %+v", err, res.Degraded)
		}
	}
	b.StopTimer()
	peak := sampler.stop()
	// What one collection keeps alive: the bundle, measured after a GC.
	res, _ := g.Collect(ctx, alert, now)
	runtime.GC()
	retained := heapObjects() - min(heapObjects(), baseline)
	runtime.KeepAlive(res)
	slices.Sort(durations)
	b.ReportMetric(float64(percentile(durations, 50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(durations, 95).Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(durations)), "cpu-ms/op")
	b.ReportMetric(float64(worstGrowth)/(1<<20), "peak-heap-growth-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-with-servers-MiB")
	b.ReportMetric(float64(retained)/(1<<20), "bundle-MiB")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, (len(sorted)*p+99)/100-1)]
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

// heapObjects is the live-and-unswept heap, read without a stop-the-world.
func heapObjects() uint64 {
	s := slices.Clone(heapSample)
	metrics.Read(s)
	return s[0].Value.Uint64()
}

type heapSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	peak uint64
	// window is the peak since the last reset.
	window uint64
}

func (h *heapSampler) reset() {
	h.mu.Lock()
	h.window = heapObjects()
	h.mu.Unlock()
}

func (h *heapSampler) peakNow() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(h.window, heapObjects())
}

func startHeapSampler(every time.Duration) *heapSampler {
	h := &heapSampler{done: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			v := heapObjects()
			h.mu.Lock()
			h.peak, h.window = max(h.peak, v), max(h.window, v)
			h.mu.Unlock()
			select {
			case <-h.done:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) stop() uint64 {
	close(h.done)
	h.wg.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.peak
}

// BenchmarkServersOnly10Pods is the servers' own share of
// BenchmarkCollect10Pods: the same log requests (the bulk of the bytes),
// four at a time, with plain net/http and the bodies discarded. The
// difference between the two is the collector's own latency.
//
//	go test -run=^$ -bench='10Pods' -benchmem ./pkg/evidence/
func BenchmarkServersOnly10Pods(b *testing.B) {
	api, err := kubeapi.New(deploymentCluster(b, 10, 2<<20))
	if err != nil {
		b.Fatal(err)
	}
	srv, err := api.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	since := startsAt.Add(-DefaultLogLookback).Format(time.RFC3339)
	var urls []string
	for i := range 10 {
		urls = append(urls, fmt.Sprintf("%s/api/v1/namespaces/shop/pods/%s/log?container=order&timestamps=true&limitBytes=%d&sinceTime=%s",
			srv.URL, podName(i), DefaultLogMaxBytes+1, since))
	}
	urls = append(urls, fmt.Sprintf("%s/api/v1/namespaces/shop/pods/%s/log?container=order&timestamps=true&previous=true&limitBytes=%d",
		srv.URL, podName(0), DefaultLogMaxBytes+1))
	client := &http.Client{}
	var durations []time.Duration
	cpuStart := cpuTime()
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		var wg sync.WaitGroup
		sem := make(chan struct{}, 4)
		errs := make(chan error, len(urls))
		for _, u := range urls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				resp, err := client.Get(u)
				if err != nil {
					errs <- err
					return
				}
				defer resp.Body.Close()
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		durations = append(durations, time.Since(start))
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpuStart
	slices.Sort(durations)
	b.ReportMetric(float64(percentile(durations, 50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(durations, 95).Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(durations)), "cpu-ms/op")
}
