package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// percentiles reports the p50 and p95 of the durations under name.
func percentiles(b *testing.B, name string, d []time.Duration) {
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)*50/100].Microseconds()), name+"-p50-µs")
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds()), name+"-p95-µs")
}

// benchExplanation is about the size of a real one (~4 KB of JSON).
func benchExplanation(i int) incident.Explanation {
	e := explanation(fmt.Sprintf("ex_%05d", i), "KubePodCrashLooping", "shop", incident.CategoryOOMKilled, t0.Add(time.Duration(i)*time.Second))
	e.Fingerprint = fmt.Sprintf("%016x", i)
	e.Summary = strings.Repeat("order-service was OOMKilled after its memory limit was lowered. ", 10)
	for j := 0; j < 15; j++ {
		e.Evidence = append(e.Evidence, incident.Evidence{ID: fmt.Sprintf("ev%d", j), Kind: incident.EvidenceEvent,
			Text: "Container order was OOMKilled (exit code 137) 4 times in 10 minutes", Count: j})
	}
	return e
}

// BenchmarkHistory writes 10,000 explanations and lists all of them, 50 a
// page, newest first, then lists the newest page 200 times, reporting the
// p50 and p95 of each operation.
func BenchmarkHistory(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			const n = 10_000
			for b.Loop() {
				s, _ := be.open(b, Options{MaxCount: n})
				ctx := context.Background()
				saves := make([]time.Duration, 0, n)
				for i := 0; i < n; i++ {
					start := time.Now()
					if err := s.Save(ctx, Record{Explanation: benchExplanation(i), User: "alice", CacheKey: fmt.Sprintf("k%d", i)}); err != nil {
						b.Fatal(err)
					}
					saves = append(saves, time.Since(start))
				}
				var lists []time.Duration
				seen := 0
				for off := 0; off < n; off += 50 {
					start := time.Now()
					recs, total, err := s.List(ctx, Filter{Limit: 50, Offset: off})
					if err != nil || total != n {
						b.Fatalf("list at %d: %d of %d, %v", off, len(recs), total, err)
					}
					lists = append(lists, time.Since(start))
					seen += len(recs)
				}
				if seen != n {
					b.Fatalf("listed %d of %d", seen, n)
				}
				// The page a user opens: the newest 50.
				var firsts []time.Duration
				for range 200 {
					start := time.Now()
					if _, _, err := s.List(ctx, Filter{Limit: 50}); err != nil {
						b.Fatal(err)
					}
					firsts = append(firsts, time.Since(start))
				}
				percentiles(b, "save", saves)
				percentiles(b, "list50", lists)
				percentiles(b, "newest50", firsts)
			}
		})
	}
}

// BenchmarkReserve200 runs 200 concurrent reservations (and their
// settlements) against a cap that admits 100 of them, over two handles, and
// reports the latency of Reserve and how far the spend went over the cap
// (it must be 0: every call used exactly its estimate).
func BenchmarkReserve200(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			for b.Loop() {
				s, other := be.openTwo(b)
				lim := Limits{DailyTokens: 100 * 1500}
				var (
					mu      sync.Mutex
					lat     []time.Duration
					granted int
					wg      sync.WaitGroup
					start   = make(chan struct{})
				)
				for i := 0; i < 200; i++ {
					wg.Add(1)
					go func(st *Store) {
						defer wg.Done()
						<-start
						t := time.Now()
						id, err := st.Reserve(context.Background(), Reservation{Day: t0, Provider: "openai", Model: "gpt-4o", EstimatedTokens: 1500}, lim)
						d := time.Since(t)
						if err != nil && !errors.Is(err, ErrBudgetExceeded) {
							b.Error(err)
							return
						}
						mu.Lock()
						lat = append(lat, d)
						if err == nil {
							granted++
						}
						mu.Unlock()
						if err == nil {
							if err := st.Settle(context.Background(), id, UsageEvent{At: t0, Provider: "openai", Model: "gpt-4o", PromptTokens: 1000, CompletionTokens: 500}); err != nil {
								b.Error(err)
							}
						}
					}([]*Store{s, other}[i%2])
				}
				close(start)
				wg.Wait()
				tokens, _, err := s.Spent(context.Background(), t0)
				if err != nil {
					b.Fatal(err)
				}
				percentiles(b, "reserve", lat)
				b.ReportMetric(float64(granted), "granted")
				b.ReportMetric(float64(max(0, tokens-lim.DailyTokens)), "overspent-tokens")
				if granted != 100 || tokens != lim.DailyTokens {
					b.Fatalf("granted %d, spent %d of %d", granted, tokens, lim.DailyTokens)
				}
			}
		})
	}
}
