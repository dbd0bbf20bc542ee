package store

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// reserveConcurrently runs n Reserve calls at once spread over the stores and
// returns the ids granted; every refusal must be ErrBudgetExceeded.
func reserveConcurrently(t *testing.T, stores []*Store, n int, r Reservation, lim Limits) []string {
	t.Helper()
	var (
		mu      sync.Mutex
		granted []string
		wg      sync.WaitGroup
		start   = make(chan struct{})
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(s *Store) {
			defer wg.Done()
			<-start
			id, err := s.Reserve(context.Background(), r, lim)
			if err != nil {
				if !errors.Is(err, ErrBudgetExceeded) {
					t.Errorf("reserve: %v", err)
				}
				return
			}
			mu.Lock()
			granted = append(granted, id)
			mu.Unlock()
		}(stores[i%len(stores)])
	}
	close(start)
	wg.Wait()
	return granted
}

func TestConcurrentReservationsNeverOverspend(t *testing.T) {
	forEachBackend(t, testConcurrentReservationsNeverOverspend)
}

func testConcurrentReservationsNeverOverspend(t *testing.T, b backend) {
	s, other := b.openTwo(t)
	lim := Limits{DailyTokens: 1000}
	est := Reservation{Day: t0, User: "alice", Provider: "openai", Model: "gpt-4o", EstimatedTokens: 37, EstimatedCostUSD: 0.01}
	granted := reserveConcurrently(t, []*Store{s, other}, 200, est, lim)
	// 27 × 37 = 999 fits, a 28th would not: all 200 tried, so exactly 27.
	if len(granted) != 27 {
		t.Fatalf("granted %d reservations of 37 tokens under a 1000-token cap, want 27", len(granted))
	}
	// Each call really used 40 tokens (3 over its estimate): the spend may
	// pass the cap by what calls used beyond their estimates, no more.
	for _, id := range granted {
		if err := s.Settle(context.Background(), id, UsageEvent{At: t0, Provider: "openai", Model: "gpt-4o", PromptTokens: 30, CompletionTokens: 10}); err != nil {
			t.Fatal(err)
		}
	}
	tokens, _, _ := s.Spent(context.Background(), t0)
	if tokens != 27*40 {
		t.Fatalf("spent %d tokens, want %d", tokens, 27*40)
	}
	if _, err := other.Reserve(context.Background(), est, lim); !errors.Is(err, ErrBudgetExceeded) {
		t.Fatalf("the cap is spent; want ErrBudgetExceeded, got %v", err)
	}
}

func TestReserveAndSettleInterleavedHoldTheCostCap(t *testing.T) {
	forEachBackend(t, testReserveAndSettleInterleavedHoldTheCostCap)
}

func testReserveAndSettleInterleavedHoldTheCostCap(t *testing.T, b backend) {
	s, other := b.openTwo(t)
	lim := Limits{DailyCostUSD: 1.00}
	const estimate = 0.03
	var wg sync.WaitGroup
	var granted atomic.Int64
	var settledMu sync.Mutex
	var settled float64
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(st *Store, i int) {
			defer wg.Done()
			id, err := st.Reserve(context.Background(), Reservation{Day: t0, Provider: "openai", Model: "gpt-4o", EstimatedTokens: 500, EstimatedCostUSD: estimate}, lim)
			if errors.Is(err, ErrBudgetExceeded) {
				return
			} else if err != nil {
				t.Error(err)
				return
			}
			granted.Add(1)
			// Half the calls fail part-way and settle what they consumed.
			cost := estimate
			if i%2 == 0 {
				cost = estimate / 3
			}
			if err := st.Settle(context.Background(), id, UsageEvent{At: t0, Provider: "openai", Model: "gpt-4o", PromptTokens: 400, CostUSD: cost}); err != nil {
				t.Error(err)
			}
			settledMu.Lock()
			settled += cost
			settledMu.Unlock()
		}(map[bool]*Store{true: s, false: other}[i%2 == 0], i)
	}
	wg.Wait()
	_, cost, _ := s.Spent(context.Background(), t0)
	if cost > lim.DailyCostUSD+1e-9 {
		t.Fatalf("spent $%.4f over a $%.2f cap", cost, lim.DailyCostUSD)
	}
	if granted.Load() < 33 {
		t.Fatalf("granted %d; 33 estimates of $0.03 fit in $1", granted.Load())
	}
	if math.Abs(cost-settled) > 1e-9 {
		t.Fatalf("spent $%.4f, but the calls settled $%.4f: the usage must be what they consumed", cost, settled)
	}
	// What partial calls did not use is free again: reservations go on
	// being granted until the cap, not the estimates, is reached.
	for {
		if _, err := s.Reserve(context.Background(), Reservation{Day: t0, EstimatedCostUSD: estimate}, lim); errors.Is(err, ErrBudgetExceeded) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		cost += estimate
	}
	if cost > lim.DailyCostUSD+1e-9 || cost < lim.DailyCostUSD-estimate {
		t.Fatalf("spent and reserved $%.4f: want the $%.2f cap filled to within one estimate", cost, lim.DailyCostUSD)
	}
}

func TestSettleRecordsOnceAndKnowsItsReservations(t *testing.T) {
	forEachBackend(t, testSettleRecordsOnceAndKnowsItsReservations)
}

func testSettleRecordsOnceAndKnowsItsReservations(t *testing.T, b backend) {
	ctx := context.Background()
	s, _ := b.open(t, Options{})
	id, err := s.Reserve(ctx, Reservation{Day: t0, Provider: "openai", Model: "gpt-4o", EstimatedTokens: 100}, Limits{DailyTokens: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// A call cut off after 60 tokens records them.
	if err := s.Settle(ctx, id, UsageEvent{At: t0, Provider: "openai", Model: "gpt-4o", PromptTokens: 50, CompletionTokens: 10}); err != nil {
		t.Fatal(err)
	}
	if err := s.Settle(ctx, id, UsageEvent{At: t0, Provider: "openai", Model: "gpt-4o", PromptTokens: 50}); !errors.Is(err, ErrAlreadySettled) {
		t.Fatalf("second settle: %v", err)
	}
	if err := s.Settle(ctx, "rsv_nope", UsageEvent{At: t0}); !errors.Is(err, ErrUnknownReservation) {
		t.Fatalf("unknown reservation: %v", err)
	}
	days, _ := s.Usage(ctx, t0, t0)
	if len(days) != 1 || days[0].PromptTokens != 50 || days[0].CompletionTokens != 10 || days[0].Requests != 1 {
		t.Fatalf("usage %+v", days)
	}
}

func TestStaleReservationsExpire(t *testing.T) { forEachBackend(t, testStaleReservationsExpire) }

func testStaleReservationsExpire(t *testing.T, b backend) {
	ctx := context.Background()
	now := t0
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	s, _ := b.open(t, Options{ReservationTTL: time.Minute, Now: func() time.Time { return *clock.Load() }})
	lim := Limits{DailyTokens: 100}
	r := Reservation{Provider: "openai", Model: "gpt-4o", EstimatedTokens: 80}
	if _, err := s.Reserve(ctx, r, lim); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reserve(ctx, r, lim); !errors.Is(err, ErrBudgetExceeded) {
		t.Fatalf("an open reservation must count: %v", err)
	}
	// The replica that held it died: after the TTL it no longer counts.
	later := t0.Add(2 * time.Minute)
	clock.Store(&later)
	if _, err := s.Reserve(ctx, r, lim); err != nil {
		t.Fatalf("an expired reservation still counts: %v", err)
	}
	// Two days on, Prune removes both.
	much := t0.Add(48 * time.Hour)
	var before, after int
	_ = s.queryRow(ctx, `SELECT COUNT(*) FROM reservations`).Scan(&before)
	if _, err := s.Prune(ctx, much); err != nil {
		t.Fatal(err)
	}
	_ = s.queryRow(ctx, `SELECT COUNT(*) FROM reservations`).Scan(&after)
	if before != 2 || after != 0 {
		t.Fatalf("reservations before prune %d, after %d", before, after)
	}
}

func TestUnpricedModelsFollowTheDocumentedRule(t *testing.T) {
	forEachBackend(t, testUnpricedModelsFollowTheDocumentedRule)
}

func testUnpricedModelsFollowTheDocumentedRule(t *testing.T, b backend) {
	ctx := context.Background()
	s, _ := b.open(t, Options{})
	unpriced := Reservation{Day: t0, Provider: "openai", Model: "my-finetune", EstimatedTokens: 400, Unpriced: true}
	// Only a cost cap: an unpriced model cannot be bounded, so it is refused.
	_, err := s.Reserve(ctx, unpriced, Limits{DailyCostUSD: 5})
	var be *BudgetExceededError
	if !errors.As(err, &be) || be.Reason == "" {
		t.Fatalf("an unpriced model under a cost cap alone must be refused, got %v", err)
	}
	// With a token cap it counts against that cap.
	lim := Limits{DailyTokens: 1000, DailyCostUSD: 5}
	if _, err := s.Reserve(ctx, unpriced, lim); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reserve(ctx, unpriced, lim); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reserve(ctx, unpriced, lim); !errors.Is(err, ErrBudgetExceeded) {
		t.Fatalf("three unpriced reservations of 400 exceed 1000 tokens, got %v", err)
	}
	// No cap at all: nothing to hold, always granted.
	if _, err := s.Reserve(ctx, unpriced, Limits{}); err != nil {
		t.Fatal(err)
	}
}

func TestReserveRefusesUnboundedInput(t *testing.T) {
	s, _ := backends[0].open(t, Options{})
	for name, r := range map[string]Reservation{
		"negative tokens": {EstimatedTokens: -1},
		"NaN cost":        {EstimatedCostUSD: math.NaN()},
		"huge model name": {Model: strings.Repeat("m", maxField+1)},
	} {
		if _, err := s.Reserve(context.Background(), r, Limits{DailyTokens: 100}); err == nil || errors.Is(err, ErrBudgetExceeded) {
			t.Errorf("%s: want an input error, got %v", name, err)
		}
	}
	if _, err := s.ClaimInvestigation(context.Background(), "k", strings.Repeat("o", maxField+1), time.Minute); err == nil {
		t.Error("an unbounded claim owner must be refused")
	}
}

func TestHoldSettlesOnceEvenAfterCancellation(t *testing.T) {
	forEachBackend(t, testHoldSettlesOnceEvenAfterCancellation)
}

func testHoldSettlesOnceEvenAfterCancellation(t *testing.T, b backend) {
	s, _ := b.open(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	settle, err := s.Hold(ctx, Reservation{Day: t0, Provider: "openai", Model: "gpt-4o", EstimatedTokens: 500}, Limits{DailyTokens: 1000})
	if err != nil {
		t.Fatal(err)
	}
	cancel() // the viewer left mid-stream; the tokens were still spent
	for range 3 {
		if err := settle(UsageEvent{At: t0, PromptTokens: 300, CompletionTokens: 20}); err != nil {
			t.Fatal(err)
		}
	}
	days, _ := s.Usage(context.Background(), t0, t0)
	if len(days) != 1 || days[0].Provider != "openai" || days[0].Model != "gpt-4o" || days[0].PromptTokens != 300 || days[0].Requests != 1 {
		t.Fatalf("usage after a cancelled, thrice-settled call: %+v", days)
	}
}
