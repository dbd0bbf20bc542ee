package plugin

import (
	"fmt"
	"testing"
	"time"
)

func TestRateLimiterRefillsOverTheWindow(t *testing.T) {
	l := newRateLimiter(3, time.Minute)
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Duration
		user string
		ok   bool
	}{
		{0, "a", true}, {0, "a", true}, {0, "a", true}, {0, "a", false},
		{0, "b", true},
		{19 * time.Second, "a", false}, {21 * time.Second, "a", true}, {21 * time.Second, "a", false},
		{10 * time.Minute, "a", true}, {10 * time.Minute, "a", true}, {10 * time.Minute, "a", true}, {10 * time.Minute, "a", false},
	}
	for i, s := range steps {
		ok, wait := l.allow(s.user, t0.Add(s.at))
		if ok != s.ok {
			t.Errorf("step %d (%s at %s): allowed %v, want %v", i, s.user, s.at, ok, s.ok)
		}
		if !ok && (wait <= 0 || wait > 21*time.Second) {
			t.Errorf("step %d: wait %s", i, wait)
		}
	}
	if ok, _ := newRateLimiter(0, time.Minute).allow("x", t0); !ok {
		t.Error("zero limit refused")
	}
}

func TestRateLimiterForgetsUsersBeyondItsBound(t *testing.T) {
	l := newRateLimiter(1, time.Minute)
	t0 := time.Now()
	for i := range maxTrackedUsers + 10 {
		l.allow(fmt.Sprint("user", i), t0)
	}
	if n := len(l.buckets); n > maxTrackedUsers {
		t.Errorf("%d users tracked, bound %d", n, maxTrackedUsers)
	}
}
