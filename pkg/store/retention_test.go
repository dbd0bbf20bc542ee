package store

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestPruneDropsOldUsage(t *testing.T) { forEachBackend(t, testPruneDropsOldUsage) }

func testPruneDropsOldUsage(t *testing.T, b backend) {
	ctx := context.Background()
	s, _ := b.open(t, Options{UsageRetentionDays: 7})
	for _, at := range []time.Time{t0.Add(-10 * 24 * time.Hour), t0.Add(-8 * 24 * time.Hour), t0.Add(-6 * 24 * time.Hour), t0} {
		if err := s.RecordUsage(ctx, UsageEvent{At: at, Provider: "openai", Model: "gpt-4o", PromptTokens: 100}); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := s.Prune(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	days, _ := s.Usage(ctx, t0.Add(-30*24*time.Hour), t0)
	if removed != 2 || len(days) != 2 || days[0].Day != "2026-11-14" {
		t.Fatalf("removed %d, kept %+v", removed, days)
	}
}

func TestKeepPrunedRunsUntilCancelled(t *testing.T) {
	forEachBackend(t, testKeepPrunedRunsUntilCancelled)
}

func testKeepPrunedRunsUntilCancelled(t *testing.T, b backend) {
	ctx, cancel := context.WithCancel(context.Background())
	now := t0
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	s, _ := b.open(t, Options{RetentionDays: 1, Now: func() time.Time { return *clock.Load() }})
	if err := s.Save(ctx, Record{Explanation: explanation("ex_old", "A", "ns", incident.CategoryUnknown, t0)}); err != nil {
		t.Fatal(err)
	}
	reports := make(chan int64, 16)
	done := make(chan struct{})
	go func() {
		s.KeepPruned(ctx, 5*time.Millisecond, func(n int64, err error) {
			if err != nil {
				t.Error(err)
			}
			reports <- n
		})
		close(done)
	}()
	if n := <-reports; n != 0 {
		t.Fatalf("a fresh explanation was pruned (%d)", n)
	}
	later := t0.Add(48 * time.Hour)
	clock.Store(&later)
	deadline := time.After(10 * time.Second)
	for removed := int64(0); removed == 0; {
		select {
		case removed = <-reports:
		case <-deadline:
			t.Fatal("the periodic prune never removed the expired explanation")
		}
	}
	cancel()
	<-done
	if _, err := s.Get(context.Background(), "ex_old"); err != ErrNotFound {
		t.Fatalf("want the explanation pruned, got %v", err)
	}
}
