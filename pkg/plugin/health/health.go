// Package health checks the app's dependencies (LLM provider, Prometheus,
// Kubernetes) and reports each one as ok, failing with the reason, or not
// configured. It knows nothing of Grafana: the plugin adapter turns a Report
// into a CheckHealth result and the /health resource serves it as JSON.
package health

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Status of one dependency or of the whole report.
type Status string

// The three answers a check can give.
const (
	StatusOK            Status = "ok"
	StatusFailing       Status = "failing"
	StatusNotConfigured Status = "not_configured"
)

// ErrNotConfigured is what a Checker returns when its dependency is switched
// off in the settings; it is not a failure.
var ErrNotConfigured = errors.New("not configured")

// Checker probes one dependency. On success it returns a short description of
// what answered (a version, a model); on failure an error saying why.
type Checker interface {
	Name() string
	Check(ctx context.Context) (string, error)
}

// Func adapts a function to a Checker, so a provider's Health(ctx) method can
// be plugged in without a wrapper type.
func Func(name string, check func(ctx context.Context) (string, error)) Checker {
	return funcChecker{name: name, check: check}
}

type funcChecker struct {
	name  string
	check func(ctx context.Context) (string, error)
}

func (f funcChecker) Name() string                              { return f.name }
func (f funcChecker) Check(ctx context.Context) (string, error) { return f.check(ctx) }

// Dependency is the outcome for one checker.
type Dependency struct {
	Name      string `json:"name"`
	Status    Status `json:"status"`
	Message   string `json:"message"`
	LatencyMs int64  `json:"latencyMs"`
}

// Report is the outcome of all checks: failing when any dependency fails.
type Report struct {
	Status       Status       `json:"status"`
	Dependencies []Dependency `json:"dependencies"`
}

// maxMessageLength keeps one upstream's error page from flooding the UI.
const maxMessageLength = 300

// Run checks every dependency concurrently, each bounded by timeout, and
// returns them in the order given. A checker that panics is reported as
// failing rather than taking the plugin down.
func Run(ctx context.Context, timeout time.Duration, checkers ...Checker) Report {
	deps := make([]Dependency, len(checkers))
	var wg sync.WaitGroup
	for i, c := range checkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			deps[i] = runOne(ctx, timeout, c)
		}()
	}
	wg.Wait()
	report := Report{Status: StatusOK, Dependencies: deps}
	for _, d := range deps {
		if d.Status == StatusFailing {
			report.Status = StatusFailing
		}
	}
	return report
}

func runOne(ctx context.Context, timeout time.Duration, c Checker) (dep Dependency) {
	dep.Name = c.Name()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	defer func() {
		dep.LatencyMs = time.Since(start).Milliseconds()
		if r := recover(); r != nil {
			dep.Status, dep.Message = StatusFailing, fmt.Sprintf("health check crashed: %v", r)
		}
		dep.Message = truncate(dep.Message)
	}()
	detail, err := c.Check(ctx)
	switch {
	case err == nil:
		dep.Status, dep.Message = StatusOK, detail
	case errors.Is(err, ErrNotConfigured):
		dep.Status, dep.Message = StatusNotConfigured, detail
		if dep.Message == "" {
			dep.Message = "not configured"
		}
	case ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded):
		dep.Status, dep.Message = StatusFailing, fmt.Sprintf("no answer within %s", timeout)
	default:
		dep.Status, dep.Message = StatusFailing, err.Error()
	}
	return dep
}

// Summary is the one-line human version, e.g.
// "llm: ok (offline); prometheus: failing (connection refused); kubernetes: not configured".
func (r Report) Summary() string {
	parts := make([]string, 0, len(r.Dependencies))
	for _, d := range r.Dependencies {
		switch d.Status {
		case StatusNotConfigured:
			parts = append(parts, d.Name+": not configured")
		default:
			parts = append(parts, fmt.Sprintf("%s: %s (%s)", d.Name, d.Status, d.Message))
		}
	}
	return strings.Join(parts, "; ")
}

func truncate(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= maxMessageLength {
		return s
	}
	cut := maxMessageLength
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
