package llm

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Policy bounds how a remote provider is called. Zero fields take the
// defaults of defaultPolicy.
type Policy struct {
	// Timeout bounds each attempt (default 60s; local models may need more).
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt (default 2).
	// Negative disables retries.
	MaxRetries int
	// BaseBackoff is the first retry's delay before jitter (default 500ms);
	// it doubles per retry up to MaxBackoff (default 20s).
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// MaxRetryAfter caps how long a Retry-After header can make us wait
	// (default 60s); a longer wait fails the call instead.
	MaxRetryAfter time.Duration
	// MaxConcurrency is how many calls may be in flight at once (default 4).
	MaxConcurrency int
	// BreakerFailures consecutive outages (5xx, timeouts, unreachable) open
	// the breaker (default 5); it stays open for BreakerCooldown (default
	// 30s), then lets one probe through.
	BreakerFailures int
	BreakerCooldown time.Duration
}

// defaultPolicy is what a zero Policy means (read only).
var defaultPolicy = Policy{
	Timeout:         60 * time.Second,
	MaxRetries:      2,
	BaseBackoff:     500 * time.Millisecond,
	MaxBackoff:      20 * time.Second,
	MaxRetryAfter:   60 * time.Second,
	MaxConcurrency:  4,
	BreakerFailures: 5,
	BreakerCooldown: 30 * time.Second,
}

func (p Policy) withDefaults() Policy {
	d := defaultPolicy
	if p.Timeout > 0 {
		d.Timeout = p.Timeout
	}
	if p.MaxRetries > 0 {
		d.MaxRetries = p.MaxRetries
	} else if p.MaxRetries < 0 {
		d.MaxRetries = 0
	}
	if p.BaseBackoff > 0 {
		d.BaseBackoff = p.BaseBackoff
	}
	if p.MaxBackoff > 0 {
		d.MaxBackoff = p.MaxBackoff
	}
	if p.MaxRetryAfter > 0 {
		d.MaxRetryAfter = p.MaxRetryAfter
	}
	if p.MaxConcurrency > 0 {
		d.MaxConcurrency = p.MaxConcurrency
	}
	if p.BreakerFailures > 0 {
		d.BreakerFailures = p.BreakerFailures
	}
	if p.BreakerCooldown > 0 {
		d.BreakerCooldown = p.BreakerCooldown
	}
	return d
}

// backend is one provider's wire protocol; guarded adds everything else.
// Backends return *Error for failures they can classify.
type backend interface {
	complete(ctx context.Context, req Request) (Response, error)
	stream(ctx context.Context, req Request, onToken func(string)) (Response, error)
	health(ctx context.Context) error
	models(ctx context.Context) ([]string, error)
}

// guarded is a Provider: a backend behind timeout, retries, a concurrency
// limit and a circuit breaker, with price and context tables applied.
type guarded struct {
	name    string
	model   string
	backend backend
	policy  Policy
	price   Price
	window  int
	count   func(string) int

	sem     chan struct{}
	breaker *breaker
	// sleep and jitter are replaced in tests to run without real delays.
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func() float64
	now    func() time.Time
}

func newGuarded(name, model string, b backend, policy Policy, price Price, window int, count func(string) int) *guarded {
	policy = policy.withDefaults()
	return &guarded{
		name: name, model: model, backend: b, policy: policy, price: price, window: window, count: count,
		sem:     make(chan struct{}, policy.MaxConcurrency),
		breaker: &breaker{threshold: policy.BreakerFailures, cooldown: policy.BreakerCooldown, now: time.Now},
		sleep:   sleepContext,
		jitter:  rand.Float64,
		now:     time.Now,
	}
}

func (g *guarded) Name() string             { return g.name }
func (g *guarded) Model() string            { return g.model }
func (g *guarded) Price() Price             { return g.price }
func (g *guarded) ContextWindow() int       { return g.window }
func (g *guarded) CountTokens(s string) int { return g.count(s) }

func (g *guarded) Complete(ctx context.Context, req Request) (Response, error) {
	return g.call(ctx, req, func(ctx context.Context) (Response, error) {
		return g.backend.complete(ctx, req)
	}, func() bool { return false })
}

func (g *guarded) Stream(ctx context.Context, req Request, onToken func(string)) (Response, error) {
	// Once a token reached the caller a retry would repeat it, so only
	// failures before the first token are retried.
	if onToken == nil {
		onToken = func(string) {}
	}
	var mu sync.Mutex
	started := false
	forward := func(tok string) {
		if tok == "" {
			return
		}
		mu.Lock()
		started = true
		mu.Unlock()
		onToken(tok)
	}
	return g.call(ctx, req, func(ctx context.Context) (Response, error) {
		return g.backend.stream(ctx, req, forward)
	}, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return started
	})
}

func (g *guarded) Health(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, min(g.policy.Timeout, 15*time.Second))
	defer cancel()
	return g.classify(g.backend.health(ctx))
}

func (g *guarded) Models(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, min(g.policy.Timeout, 15*time.Second))
	defer cancel()
	ms, err := g.backend.models(ctx)
	return ms, g.classify(err)
}

// call runs one request through breaker, limit, timeout and retries.
func (g *guarded) call(ctx context.Context, req Request, attempt func(context.Context) (Response, error), streamed func() bool) (Response, error) {
	if err := g.breaker.allow(); err != nil {
		return Response{}, &Error{Provider: g.name, Kind: KindCircuitOpen, Err: err,
			Hint: fmt.Sprintf("the last %d calls failed; retrying after %s", g.policy.BreakerFailures, g.policy.BreakerCooldown)}
	}
	select {
	case g.sem <- struct{}{}:
		defer func() { <-g.sem }()
	case <-ctx.Done():
		g.breaker.release()
		return Response{}, fmt.Errorf("%s: waiting for a free request slot: %w", g.name, ctx.Err())
	}
	for n := 0; ; n++ {
		actx, cancel := context.WithTimeout(ctx, g.policy.Timeout)
		resp, err := attempt(actx)
		cancel()
		if err == nil {
			g.breaker.success()
			g.fillUsage(req, &resp)
			return resp, nil
		}
		if ctx.Err() != nil {
			g.breaker.release()
			return Response{}, fmt.Errorf("%s: %w", g.name, ctx.Err())
		}
		perr := g.asError(err)
		if perr.countsAsOutage() {
			g.breaker.failure()
		} else {
			g.breaker.release()
		}
		if !perr.retryable() || n >= g.policy.MaxRetries || streamed() {
			return Response{}, perr
		}
		wait, ok := g.backoff(ctx, n, perr.RetryAfter)
		if !ok {
			return Response{}, perr
		}
		if err := g.sleep(ctx, wait); err != nil {
			return Response{}, fmt.Errorf("%s: %w", g.name, err)
		}
		if err := g.breaker.allow(); err != nil {
			return Response{}, &Error{Provider: g.name, Kind: KindCircuitOpen, Err: err}
		}
	}
}

// backoff is the delay before retry n+1: the Retry-After the provider asked
// for, or exponential backoff with equal jitter. ok is false when the wait
// would outlast the caller's deadline or MaxRetryAfter.
func (g *guarded) backoff(ctx context.Context, n int, retryAfter time.Duration) (time.Duration, bool) {
	var wait time.Duration
	if retryAfter > 0 {
		if retryAfter > g.policy.MaxRetryAfter {
			return 0, false
		}
		// A little jitter on top keeps synchronised clients apart.
		wait = retryAfter + time.Duration(g.jitter()*float64(retryAfter)/10)
	} else {
		d := g.policy.BaseBackoff << n
		if d <= 0 || d > g.policy.MaxBackoff {
			d = g.policy.MaxBackoff
		}
		wait = d/2 + time.Duration(g.jitter()*float64(d/2))
	}
	if deadline, has := ctx.Deadline(); has && g.now().Add(wait).After(deadline) {
		return 0, false
	}
	return wait, true
}

func (g *guarded) asError(err error) *Error {
	var perr *Error
	if errors.As(err, &perr) {
		return perr
	}
	return &Error{Provider: g.name, Kind: transportKind(err), Err: err}
}

func (g *guarded) classify(err error) error {
	if err == nil {
		return nil
	}
	return g.asError(err)
}

// fillUsage estimates token counts a provider did not report (some
// OpenAI-compatible servers omit usage when streaming) and prices the call.
func (g *guarded) fillUsage(req Request, resp *Response) {
	// Counts come from the provider's response: untrusted, so nonsense
	// (negative or absurd) is replaced by our own count.
	const maxTokens = 10_000_000
	if resp.Usage.PromptTokens < 0 || resp.Usage.PromptTokens > maxTokens {
		resp.Usage.PromptTokens = 0
	}
	if resp.Usage.CompletionTokens < 0 || resp.Usage.CompletionTokens > maxTokens {
		resp.Usage.CompletionTokens = 0
	}
	if resp.Usage.PromptTokens == 0 {
		n := g.count(req.System)
		for _, m := range req.Messages {
			n += g.count(m.Content)
		}
		resp.Usage.PromptTokens = n
	}
	if resp.Usage.CompletionTokens == 0 && resp.Text != "" {
		resp.Usage.CompletionTokens = g.count(resp.Text)
	}
	resp.Usage.CostUSD = g.price.Cost(resp.Usage.PromptTokens, resp.Usage.CompletionTokens)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// breaker fails fast after threshold consecutive outages, for cooldown; then
// one probe call decides whether it closes again.
type breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu       sync.Mutex
	failures int
	openedAt time.Time
	open     bool
	probing  bool
}

// allow admits a call or returns ErrCircuitOpen. After the cooldown exactly
// one caller is admitted as the probe.
func (b *breaker) allow() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return nil
	}
	if b.probing || b.now().Sub(b.openedAt) < b.cooldown {
		return ErrCircuitOpen
	}
	b.probing = true
	return nil
}

func (b *breaker) success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures, b.open, b.probing = 0, false, false
}

func (b *breaker) failure() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures++
	if b.probing || b.failures >= b.threshold {
		b.open, b.probing, b.openedAt = true, false, b.now()
	}
}

// release ends a call that says nothing about the provider's health (a bad
// request, a cancelled caller): a probe slot is handed back.
func (b *breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
}
