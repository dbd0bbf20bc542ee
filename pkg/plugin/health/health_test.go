package health

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	slow := Func("slow", func(ctx context.Context) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	})
	tests := []struct {
		name     string
		checkers []Checker
		want     Status
		wantDeps []Dependency
	}{
		{
			name:     "all ok",
			checkers: []Checker{Func("llm", func(context.Context) (string, error) { return "offline", nil }), Func("prometheus", func(context.Context) (string, error) { return "ready", nil })},
			want:     StatusOK,
			wantDeps: []Dependency{{Name: "llm", Status: StatusOK}, {Name: "prometheus", Status: StatusOK, Message: "ready"}},
		},
		{
			name:     "not configured is not a failure",
			checkers: []Checker{notConfigured("prometheus"), notConfigured("kubernetes")},
			want:     StatusOK,
			wantDeps: []Dependency{{Name: "prometheus", Status: StatusNotConfigured}, {Name: "kubernetes", Status: StatusNotConfigured}},
		},
		{
			name: "one failing fails the report",
			checkers: []Checker{Func("llm", func(context.Context) (string, error) { return "offline", nil }), Func("prometheus", func(context.Context) (string, error) {
				return "", errors.New("dial tcp: connection refused")
			})},
			want:     StatusFailing,
			wantDeps: []Dependency{{Name: "llm", Status: StatusOK}, {Name: "prometheus", Status: StatusFailing, Message: "dial tcp: connection refused"}},
		},
		{
			name:     "timeout",
			checkers: []Checker{slow},
			want:     StatusFailing,
			wantDeps: []Dependency{{Name: "slow", Status: StatusFailing, Message: "no answer within 50ms"}},
		},
		{
			name:     "panic is contained",
			checkers: []Checker{Func("kubernetes", func(context.Context) (string, error) { panic("nil map") })},
			want:     StatusFailing,
			wantDeps: []Dependency{{Name: "kubernetes", Status: StatusFailing, Message: "health check crashed: nil map"}},
		},
		{
			name: "long messages are cut",
			checkers: []Checker{Func("llm", func(context.Context) (string, error) {
				return "", errors.New(strings.Repeat("é", 400))
			})},
			want: StatusFailing,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Run(context.Background(), 50*time.Millisecond, tt.checkers...)
			if r.Status != tt.want {
				t.Errorf("status = %s, want %s: %+v", r.Status, tt.want, r)
			}
			if len(r.Dependencies) != len(tt.checkers) {
				t.Fatalf("%d dependencies, want %d", len(r.Dependencies), len(tt.checkers))
			}
			for i, want := range tt.wantDeps {
				got := r.Dependencies[i]
				if got.Name != want.Name || got.Status != want.Status || (want.Message != "" && got.Message != want.Message) {
					t.Errorf("dependency %d = %+v, want %+v", i, got, want)
				}
			}
			for _, d := range r.Dependencies {
				if len(d.Message) > maxMessageLength+len("…") || !utf8Valid(d.Message) {
					t.Errorf("message not bounded or not UTF-8: %d bytes", len(d.Message))
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	r := Report{Dependencies: []Dependency{
		{Name: "llm", Status: StatusOK, Message: "offline"},
		{Name: "prometheus", Status: StatusFailing, Message: "HTTP 503"},
		{Name: "kubernetes", Status: StatusNotConfigured, Message: "set kubernetes.mode"},
	}}
	want := "llm: ok (offline); prometheus: failing (HTTP 503); kubernetes: not configured"
	if got := r.Summary(); got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}

func notConfigured(name string) Checker {
	return Func(name, func(context.Context) (string, error) { return "set it up to use it", ErrNotConfigured })
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
