package plugin

import (
	"fmt"
	"math"
	"net/http"
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
func (s *service) checkRate(user string) error {
	ok, wait := s.limiter.allow(user, s.engine.Now())
	if ok {
		return nil
	}
	return &StatusError{Status: http.StatusTooManyRequests, RetryAfter: wait, Message: fmt.Sprintf(
		"you asked for %d explanations in the last minute, the most allowed per user; try again in %s",
		s.limiter.perWindow, wait)}
}
