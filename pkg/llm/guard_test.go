package llm

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// scriptedBackend fails or answers according to a script, one entry a call.
type scriptedBackend struct {
	mu     sync.Mutex
	script []error
	calls  int
	// block, when set, holds each call until it is closed.
	block    chan struct{}
	inFlight atomic.Int32
	maxSeen  atomic.Int32
	tokens   []string
}

func (s *scriptedBackend) next() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if len(s.script) == 0 {
		return nil
	}
	err := s.script[0]
	s.script = s.script[1:]
	return err
}

func (s *scriptedBackend) complete(ctx context.Context, req Request) (Response, error) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxSeen.Load()
		if n <= m || s.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	if s.block != nil {
		select {
		case <-s.block:
		case <-ctx.Done():
			return Response{}, ctx.Err()
		}
	}
	if err := s.next(); err != nil {
		return Response{}, err
	}
	return Response{Text: "ok", Usage: Usage{PromptTokens: 1000, CompletionTokens: 100}}, nil
}

func (s *scriptedBackend) stream(ctx context.Context, req Request, onToken func(string)) (Response, error) {
	for _, t := range s.tokens {
		onToken(t)
	}
	return s.complete(ctx, req)
}

func (s *scriptedBackend) health(context.Context) error             { return nil }
func (s *scriptedBackend) models(context.Context) ([]string, error) { return nil, nil }

func newTestGuard(b backend, p Policy) (*guarded, *[]time.Duration, *time.Time) {
	g := newGuarded("test", "m", b, p, Price{InputPerMTok: 1, OutputPerMTok: 2}, 1000, func(s string) int { return len(s) })
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	g.now = func() time.Time { return now }
	g.breaker.now = func() time.Time { return now }
	var waits []time.Duration
	g.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		now = now.Add(d)
		return nil
	}
	g.jitter = func() float64 { return 1 }
	return g, &waits, &now
}

func serverErr() error { return &Error{Provider: "test", Kind: KindServer, Status: 503} }

func TestGuardRetriesWithJitteredBackoff(t *testing.T) {
	tests := []struct {
		name      string
		script    []error
		wantErr   ErrorKind
		wantCalls int
		wantWaits []time.Duration
	}{
		{"success first time", nil, "", 1, nil},
		{"two 5xx then success", []error{serverErr(), serverErr()}, "", 3,
			[]time.Duration{500 * time.Millisecond, time.Second}},
		{"retry-after wins", []error{&Error{Kind: KindRateLimited, Status: 429, RetryAfter: 3 * time.Second}}, "", 2,
			[]time.Duration{3*time.Second + 300*time.Millisecond}},
		{"retry-after beyond the cap fails at once", []error{&Error{Kind: KindRateLimited, Status: 429, RetryAfter: 5 * time.Minute}},
			KindRateLimited, 1, nil},
		{"gives up after max retries", []error{serverErr(), serverErr(), serverErr(), serverErr()}, KindServer, 3,
			[]time.Duration{500 * time.Millisecond, time.Second}},
		{"auth is not retried", []error{&Error{Kind: KindAuth, Status: 401}}, KindAuth, 1, nil},
		{"timeouts are retried", []error{context.DeadlineExceeded}, "", 2, []time.Duration{500 * time.Millisecond}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &scriptedBackend{script: tc.script}
			g, waits, _ := newTestGuard(b, Policy{})
			resp, err := g.Complete(context.Background(), Request{})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if resp.Usage.CostUSD != (1000*1+100*2)/1e6 {
					t.Errorf("cost %v", resp.Usage.CostUSD)
				}
			} else {
				var perr *Error
				if !errors.As(err, &perr) || perr.Kind != tc.wantErr {
					t.Fatalf("error %v, want kind %s", err, tc.wantErr)
				}
			}
			if b.calls != tc.wantCalls {
				t.Errorf("calls %d, want %d", b.calls, tc.wantCalls)
			}
			if len(*waits) != len(tc.wantWaits) {
				t.Fatalf("waits %v, want %v", *waits, tc.wantWaits)
			}
			for i := range tc.wantWaits {
				if (*waits)[i] != tc.wantWaits[i] {
					t.Errorf("wait %d = %v, want %v", i, (*waits)[i], tc.wantWaits[i])
				}
			}
		})
	}
}

func TestGuardDoesNotRetryAfterTokensWereStreamed(t *testing.T) {
	b := &scriptedBackend{script: []error{serverErr()}, tokens: []string{"partial"}}
	g, _, _ := newTestGuard(b, Policy{})
	var got []string
	_, err := g.Stream(context.Background(), Request{}, func(s string) { got = append(got, s) })
	if err == nil || b.calls != 1 || len(got) != 1 {
		t.Errorf("err %v calls %d tokens %v: a stream that already emitted must not be repeated", err, b.calls, got)
	}
}

func TestGuardBackoffRespectsDeadline(t *testing.T) {
	b := &scriptedBackend{script: []error{serverErr(), serverErr()}}
	g, waits, now := newTestGuard(b, Policy{BaseBackoff: time.Second})
	// The fake clock starts at the real time so the context is alive.
	*now = time.Now()
	ctx, cancel := context.WithDeadline(context.Background(), now.Add(time.Minute))
	defer cancel()
	*now = now.Add(time.Minute - 300*time.Millisecond)
	_, err := g.Complete(ctx, Request{})
	if err == nil || b.calls != 1 || len(*waits) != 0 {
		t.Errorf("err %v calls %d waits %v: a backoff past the deadline must not be slept", err, b.calls, *waits)
	}
}

func TestCircuitBreaker(t *testing.T) {
	b := &scriptedBackend{}
	g, _, now := newTestGuard(b, Policy{MaxRetries: -1, BreakerFailures: 3, BreakerCooldown: 10 * time.Second})
	call := func() error { _, err := g.Complete(context.Background(), Request{}); return err }

	b.script = []error{serverErr(), serverErr(), serverErr()}
	for range 3 {
		if call() == nil {
			t.Fatal("scripted failure succeeded")
		}
	}
	// Open: fails fast without calling the backend.
	calls := b.calls
	err := call()
	if !errors.Is(err, ErrCircuitOpen) || b.calls != calls {
		t.Fatalf("open breaker: err %v, backend calls %d -> %d", err, calls, b.calls)
	}
	// After the cooldown one probe goes through; it fails, so it opens again.
	*now = now.Add(11 * time.Second)
	b.script = []error{serverErr()}
	if err := call(); errors.Is(err, ErrCircuitOpen) || b.calls != calls+1 {
		t.Fatalf("probe: err %v calls %d", err, b.calls)
	}
	if err := call(); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("after a failed probe: %v", err)
	}
	// The next probe succeeds and closes the breaker.
	*now = now.Add(11 * time.Second)
	if err := call(); err != nil {
		t.Fatalf("successful probe: %v", err)
	}
	if err := call(); err != nil {
		t.Fatalf("closed breaker: %v", err)
	}
	// Client errors say nothing about an outage and never open it.
	b.script = []error{&Error{Kind: KindBadRequest}, &Error{Kind: KindBadRequest}, &Error{Kind: KindBadRequest}}
	for range 3 {
		_ = call()
	}
	if err := call(); err != nil {
		t.Fatalf("bad requests opened the breaker: %v", err)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	b := &scriptedBackend{block: make(chan struct{})}
	g, _, _ := newTestGuard(b, Policy{MaxConcurrency: 2})
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = g.Complete(context.Background(), Request{})
		}()
	}
	// Wait until two calls are inside the backend, then give the rest a
	// moment to (wrongly) enter too.
	for b.inFlight.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(5 * time.Millisecond)
	close(b.block)
	wg.Wait()
	if m := b.maxSeen.Load(); m != 2 {
		t.Errorf("max concurrent calls %d, want 2", m)
	}

	// A caller waiting for a slot gives up with its context.
	blocked := &scriptedBackend{block: make(chan struct{})}
	g2, _, _ := newTestGuard(blocked, Policy{MaxConcurrency: 1})
	go func() { _, _ = g2.Complete(context.Background(), Request{}) }()
	for blocked.inFlight.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := g2.Complete(ctx, Request{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting caller: %v", err)
	}
	close(blocked.block)
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"0.5":                           500 * time.Millisecond,
		"-1":                            0,
		"soon":                          0,
		"Fri, 20 Nov 2026 10:00:07 GMT": 7 * time.Second,
		"Fri, 20 Nov 2026 09:00:00 GMT": 0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestTables(t *testing.T) {
	tests := []struct {
		model  string
		window int
		input  float64
	}{
		{"gpt-4o-mini-2024-07-18", 128000, 0.15},
		{"gpt-4o", 128000, 2.50},
		{"us.anthropic.claude-3-5-sonnet-20241022-v2:0", 200000, 3.00},
		{"meta.llama3-70b-instruct-v1:0", 8192, 2.65},
		{"llama3:8b", 8192, 0},
		{"llama3.1:70b", 128000, 0},
		{"amazon.nova-lite-v1:0", 300000, 0.06},
		{"my-finetune", defaultWindow, 0},
	}
	for _, tc := range tests {
		if w := ContextWindowFor(tc.model); w != tc.window {
			t.Errorf("%s window %d, want %d", tc.model, w, tc.window)
		}
		if p := PriceFor(tc.model); p.InputPerMTok != tc.input {
			t.Errorf("%s input price %v, want %v", tc.model, p.InputPerMTok, tc.input)
		}
	}
}
