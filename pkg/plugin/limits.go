package plugin

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateLimiter is a token bucket per user: perWindow requests, refilled
// evenly over the window. Zero perWindow means unlimited.
type rateLimiter struct {
	perWindow int
	window    time.Duration

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxTrackedUsers bounds the limiter's memory; full buckets are forgotten
// first, since forgetting them changes nothing.
const maxTrackedUsers = 10_000

func newRateLimiter(perWindow int, window time.Duration) *rateLimiter {
	return &rateLimiter{perWindow: perWindow, window: window, buckets: map[string]*bucket{}}
}

// allow takes one token for user; when none is left it returns how long
// until one is.
func (l *rateLimiter) allow(user string, now time.Time) (bool, time.Duration) {
	if l.perWindow <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	capacity := float64(l.perWindow)
	rate := capacity / l.window.Seconds()
	b, ok := l.buckets[user]
	if !ok {
		if len(l.buckets) >= maxTrackedUsers {
			l.forgetFull(now, capacity, rate)
		}
		b = &bucket{tokens: capacity, at: now}
		l.buckets[user] = b
	}
	b.tokens = math.Min(capacity, b.tokens+now.Sub(b.at).Seconds()*rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / rate * float64(time.Second))
	return false, wait.Round(time.Second) + time.Second
}

func (l *rateLimiter) forgetFull(now time.Time, capacity, rate float64) {
	for user, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*rate >= capacity {
			delete(l.buckets, user)
		}
	}
	if len(l.buckets) >= maxTrackedUsers {
		// Everyone is mid-window: start over rather than grow without bound.
		clear(l.buckets)
	}
}

// checkRate refuses a user who asked too often, saying when to retry.
func (s *service) checkRate(w http.ResponseWriter, user string) error {
	ok, wait := s.limiter.allow(user, s.now())
	if ok {
		return nil
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())))
	return Errorf(http.StatusTooManyRequests, "you asked for %d explanations in the last minute, the most allowed per user; try again in %s",
		s.settings.Budgets.PerUserPerMinute, wait)
}

// Budget is the daily AI budget and what today has used of it.
type Budget struct {
	DailyTokens  int64     `json:"dailyTokens"`
	DailyCostUSD float64   `json:"dailyCostUSD"`
	UsedTokens   int64     `json:"usedTokens"`
	UsedCostUSD  float64   `json:"usedCostUSD"`
	ResetsAt     time.Time `json:"resetsAt"`
}

// exhausted reports whether either limit is used up.
func (b Budget) exhausted() bool {
	return (b.DailyTokens > 0 && b.UsedTokens >= b.DailyTokens) ||
		(b.DailyCostUSD > 0 && b.UsedCostUSD >= b.DailyCostUSD)
}

// nextUTCMidnight is when the daily budget resets: usage is kept per UTC day.
func nextUTCMidnight(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// budget reads today's spend from the store.
func (s *service) budget(ctx context.Context) (Budget, error) {
	now := s.now()
	b := Budget{DailyTokens: s.settings.Budgets.DailyTokens, DailyCostUSD: s.settings.Budgets.DailyCostUSD, ResetsAt: nextUTCMidnight(now)}
	st, err := s.history(ctx)
	if err != nil {
		return b, err
	}
	b.UsedTokens, b.UsedCostUSD, err = st.Spent(ctx, now)
	return b, err
}

// checkBudget refuses a model call once today's budget is spent. Without a
// store the spend cannot be known; a configured budget then fails closed.
func (s *service) checkBudget(ctx context.Context, w http.ResponseWriter) error {
	if s.settings.Budgets.DailyTokens <= 0 && s.settings.Budgets.DailyCostUSD <= 0 {
		return nil
	}
	b, err := s.budget(ctx)
	if err != nil {
		return err
	}
	if !b.exhausted() {
		return nil
	}
	wait := b.ResetsAt.Sub(s.now()).Round(time.Minute)
	if w != nil {
		w.Header().Set("Retry-After", strconv.Itoa(int(b.ResetsAt.Sub(s.now()).Seconds())+1))
	}
	return &StatusError{Status: http.StatusTooManyRequests, Message: fmt.Sprintf(
		"today's AI budget is used up (%d of %d tokens, $%.2f of $%.2f); it resets at %s (in %s). Explanations with provider=offline still work",
		b.UsedTokens, b.DailyTokens, b.UsedCostUSD, b.DailyCostUSD, b.ResetsAt.Format("15:04 MST"), wait), Err: errBudget}
}

// errBudget marks refusals for an exhausted budget (the webhook skips them).
var errBudget = fmt.Errorf("daily AI budget exhausted")
