package logs

import (
	"bufio"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/logs/internal/corpusgen"
)

// benchLines is a 1,000,000-line mixed log (all corpus styles), generated
// once per process.
var benchLines = sync.OnceValue(func() []string {
	corpus := corpusgen.Generate(7, 1_000_000)
	out := make([]string, len(corpus))
	for i, l := range corpus {
		out[i] = l.Text
	}
	return out
})

// BenchmarkMine measures the miner alone: masking, tree descent, matching,
// on the messages of a 1,000,000-line mixed log.
func BenchmarkMine(b *testing.B) {
	lines := benchLines()
	p := NewParser()
	var msgs []string
	for _, l := range lines {
		for _, r := range p.Add(l) {
			msgs = append(msgs, r.MineText())
		}
	}
	for _, r := range p.Flush() {
		msgs = append(msgs, r.MineText())
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		m := NewMiner(DefaultMinerConfig())
		for _, s := range msgs {
			m.Add(s)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	// On a shared machine wall time includes waiting for a core; CPU time
	// is what the miner costs.
	b.ReportMetric(float64(len(lines))*float64(b.N)/cpu.Seconds(), "lines/cpu-s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(lines)), "ns/line")
}

// cpuTime is the user+system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParseAndMine measures the whole path from raw line to template id.
func BenchmarkParseAndMine(b *testing.B) {
	lines := benchLines()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		p := NewParser()
		m := NewMiner(DefaultMinerConfig())
		for _, l := range lines {
			for _, r := range p.Add(l) {
				m.Add(r.MineText())
			}
		}
		for _, r := range p.Flush() {
			m.Add(r.MineText())
		}
	}
	b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(len(lines))*float64(b.N)/(cpuTime()-cpu0).Seconds(), "lines/cpu-s")
}

// BenchmarkStream500MB streams 500 MB of generated log through the parser
// and the summary (the same path as `aiops logmine`) without holding it,
// and reports the peak heap it adds and the memory obtained from the OS (run
// it alone for the latter: -bench=BenchmarkStream500MB).
func BenchmarkStream500MB(b *testing.B) {
	const size = 500 << 20
	for b.Loop() {
		start := time.Now()
		cpu0 := cpuTime()
		runtime.GC()
		// Other benchmarks of the process may hold data; count only what
		// streaming adds to it.
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		var peakInuse, peakSys atomic.Uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			var ms runtime.MemStats
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peakInuse.Load() {
					peakInuse.Store(ms.HeapInuse)
				}
				if ms.Sys > peakSys.Load() {
					peakSys.Store(ms.Sys)
				}
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		}()
		sc := bufio.NewScanner(corpusgen.Reader(11, size))
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		p := NewParser()
		s := NewSummary(SummaryOptions{})
		lines := 0
		for sc.Scan() {
			for _, r := range p.Add(sc.Text()) {
				s.Add(r, "")
			}
			lines++
		}
		for _, r := range p.Flush() {
			s.Add(r, "")
		}
		close(stop)
		<-done
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(peakInuse.Load()-min(peakInuse.Load(), base.HeapInuse))/(1<<20), "peak-heap-MiB")
		// Sys is the process's whole footprint: meaningful when this
		// benchmark runs alone.
		b.ReportMetric(float64(peakSys.Load())/(1<<20), "peak-sys-MiB")
		b.ReportMetric(float64(lines), "lines")
		b.ReportMetric(float64(size)/(1<<20)/time.Since(start).Seconds(), "MiB/s")
		b.ReportMetric(float64(size)/(1<<20)/(cpuTime()-cpu0).Seconds(), "MiB/cpu-s")
	}
}
