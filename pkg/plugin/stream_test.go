package plugin

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// fakeClock drives a hub's time in tests.
type fakeClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.at = c.at.Add(d)
	c.mu.Unlock()
}

func hubWithClock() (*hub, *fakeClock) {
	c := &fakeClock{at: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	h := newHub()
	h.now = c.now
	return h, c
}

// streamOne runs one explanation through h as the handler and a viewer do,
// and returns what the viewer received.
func streamOne(t testing.TB, h *hub, id string, ex *incident.Explanation) []streamEvent {
	t.Helper()
	tp, err := h.claim(id, "alice")
	if err != nil {
		t.Fatal(err)
	}
	var got []streamEvent
	done := make(chan error, 1)
	go func() {
		done <- tp.relay(context.Background(), func(e streamEvent) error { got = append(got, e); return nil })
	}()
	_, cancel := context.WithCancel(context.Background())
	tp.attachJob(cancel)
	tp.publish(streamEvent{Stage: "collecting"})
	for i := 0; i < 50; i++ {
		tp.publish(streamEvent{Stage: "asking_model", Token: "token "})
	}
	tp.publish(streamEvent{Stage: streamStageDone, Explanation: ex})
	tp.detachJob()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return got
}

func sampleExplanation(i int) *incident.Explanation {
	return &incident.Explanation{ID: fmt.Sprintf("ex_%d", i), Summary: strings.Repeat("the order service ran out of memory. ", 50),
		Evidence: make([]incident.Evidence, 20)}
}

func TestFinishedTopicsAreCappedAndExpire(t *testing.T) {
	h, clock := hubWithClock()
	for i := 0; i < 1000; i++ {
		got := streamOne(t, h, fmt.Sprintf("stream-%06d", i), sampleExplanation(i))
		if last := got[len(got)-1]; last.Stage != streamStageDone || last.Explanation == nil {
			t.Fatalf("the viewer did not get the result: %+v", last)
		}
	}
	h.mu.Lock()
	held := len(h.topics)
	h.mu.Unlock()
	if held > maxFinished {
		t.Fatalf("%d finished topics held, cap %d", held, maxFinished)
	}
	// A running explanation is never dropped with the finished ones.
	running, _ := h.claim("stream-running", "bob")
	clock.advance(finishedGrace + time.Second)
	if _, err := h.claim("stream-next", "bob"); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	_, stillRunning := h.topics["stream-running"]
	held = len(h.topics)
	h.mu.Unlock()
	if !stillRunning || held != 2 {
		t.Fatalf("after the grace period: %d topics held (running kept: %v), want the two unfinished", held, stillRunning)
	}
	running.publish(streamEvent{Stage: streamStageDone})
}

func TestALateViewerWithinTheGraceGetsTheResult(t *testing.T) {
	h, clock := hubWithClock()
	tp, _ := h.claim("stream-late", "alice")
	tp.publish(streamEvent{Stage: streamStageDone, Explanation: sampleExplanation(1)})
	clock.advance(finishedGrace / 2)
	again, err := h.claim("stream-late", "alice")
	if err != nil || again != tp {
		t.Fatalf("within the grace the finished topic must still be there: %v", err)
	}
	var got []streamEvent
	if err := again.relay(context.Background(), func(e streamEvent) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Explanation == nil {
		t.Fatalf("late viewer got %+v", got)
	}
}

func TestAbandonedTopicsAreSwept(t *testing.T) {
	h, clock := hubWithClock()
	for i := 0; i < 100; i++ {
		if _, err := h.claim(fmt.Sprintf("stream-never-%03d", i), "mallory"); err != nil {
			t.Fatal(err)
		}
	}
	clock.advance(topicTTL + sweepEvery + time.Second)
	if _, err := h.claim("stream-fresh", "alice"); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.topics) != 1 {
		t.Fatalf("%d topics after the TTL, want only the fresh one", len(h.topics))
	}
}

// BenchmarkStreamHeap streams 10,000 explanations through one hub and
// reports the live heap after the first 1,000 and after all 10,000: it
// must stay flat (finished topics are dropped), not grow with the count.
func BenchmarkStreamHeap(b *testing.B) {
	for b.Loop() {
		h := newHub()
		var at1k, at10k uint64
		for i := 0; i < 10_000; i++ {
			streamOne(b, h, fmt.Sprintf("stream-%06d", i), sampleExplanation(i))
			if i == 999 {
				at1k = liveHeap()
			}
		}
		at10k = liveHeap()
		b.ReportMetric(float64(at1k)/(1<<20), "heap-MB@1k")
		b.ReportMetric(float64(at10k)/(1<<20), "heap-MB@10k")
		h.mu.Lock()
		b.ReportMetric(float64(len(h.topics)), "topics-held")
		h.mu.Unlock()
		runtime.KeepAlive(h)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
