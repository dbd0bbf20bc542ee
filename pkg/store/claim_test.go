package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a settable time shared by the handles of a test.
type clock struct{ at atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) set(t time.Time)         { c.at.Store(&t) }
func (c *clock) now() time.Time          { return *c.at.Load() }
func (c *clock) advance(d time.Duration) { c.set(c.now().Add(d)) }

func TestOneReplicaWinsAClaim(t *testing.T) { forEachBackend(t, testOneReplicaWinsAClaim) }

func testOneReplicaWinsAClaim(t *testing.T, b backend) {
	a, other := b.openTwo(t)
	key := InvestigationKey("3f2a9c", t0)
	var wins atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st := a
			if i%2 == 1 {
				st = other
			}
			<-start
			ok, err := st.ClaimInvestigation(context.Background(), key, fmt.Sprintf("replica-%d", i), time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins.Add(1)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d replicas claimed one webhook, want exactly 1", wins.Load())
	}
}

func TestAnExpiredClaimIsTakenOver(t *testing.T) { forEachBackend(t, testAnExpiredClaimIsTakenOver) }

func testAnExpiredClaimIsTakenOver(t *testing.T, b backend) {
	ctx := context.Background()
	c := newClock(t0)
	a, dsn := b.open(t, Options{Now: c.now})
	other := openDSN(t, dsn, Options{Now: c.now})
	key := InvestigationKey("3f2a9c", t0)
	claim := func(st *Store, owner string) bool {
		t.Helper()
		ok, err := st.ClaimInvestigation(ctx, key, owner, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim(a, "replica-a") || claim(other, "replica-b") {
		t.Fatal("the first claim must win and the second lose")
	}
	c.advance(30 * time.Second)
	if !claim(a, "replica-a") {
		t.Fatal("the owner must be able to renew its lease")
	}
	c.advance(45 * time.Second) // 75 s after the first claim, 45 s after the renewal
	if claim(other, "replica-b") {
		t.Fatal("a renewed lease was taken over before it ran out")
	}
	// replica-a dies: its lease runs out and replica-b takes over.
	c.advance(30 * time.Second)
	if !claim(other, "replica-b") {
		t.Fatal("an expired claim must be taken over")
	}
	if claim(a, "replica-a") {
		t.Fatal("the replica that lost its lease must not get it back while the new one holds it")
	}
	if err := a.FinishInvestigation(ctx, key, "replica-a"); !errors.Is(err, ErrNotClaimed) {
		t.Fatalf("finishing a lost claim: %v", err)
	}
	if err := other.FinishInvestigation(ctx, key, "replica-b"); err != nil {
		t.Fatal(err)
	}
	// Finished: a redelivery of the same firing, even much later, is skipped.
	c.advance(time.Hour)
	if claim(a, "replica-a") || claim(other, "replica-b") {
		t.Fatal("a finished investigation was claimed again")
	}
	// A new firing of the same alert is another key.
	if ok, _ := a.ClaimInvestigation(ctx, InvestigationKey("3f2a9c", t0.Add(2*time.Hour)), "replica-a", time.Minute); !ok {
		t.Fatal("a new firing must be claimable")
	}
}

func TestInvestigationKey(t *testing.T) {
	k := InvestigationKey("abc", t0)
	if k != InvestigationKey("abc", t0.In(time.FixedZone("x", 3600))) {
		t.Error("the key must not depend on the time zone of startsAt")
	}
	if k == InvestigationKey("abc", t0.Add(time.Second)) || k == InvestigationKey("abd", t0) {
		t.Error("different firings must have different keys")
	}
	if len(InvestigationKey(string(make([]byte, 100000)), t0)) != 64 {
		t.Error("the key must be bounded whatever the fingerprint")
	}
}

func TestCancelledOpenReturnsTheContextError(t *testing.T) {
	forEachBackend(t, testCancelledOpenReturnsTheContextError)
}

func testCancelledOpenReturnsTheContextError(t *testing.T, b backend) {
	s, dsn := b.open(t, Options{})
	if err := s.Save(context.Background(), Record{Explanation: explanation("ex_1", "A", "ns", "OOMKilled", t0)}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if st, err := Open(ctx, dsn, Options{}); !errors.Is(err, context.Canceled) {
		if st != nil {
			st.Close()
		}
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if _, err := openDSN(t, dsn, Options{}).Get(context.Background(), "ex_1"); err != nil {
		t.Fatalf("after a cancelled open: %v", err)
	}
}
