package file

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

var (
	since = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	until = time.Date(2026, 11, 20, 10, 10, 0, 0, time.UTC)
)

const (
	podA = "order-service-6c9f7b8d5-abcde"
	podB = "order-service-6c9f7b8d5-fghij"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// stamped makes timestamped lines 1 minute apart from start.
func stamped(start time.Time, n int, text string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s %s %d\n", start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339Nano), text, i)
	}
	return b.String()
}

// scenarioDir lays out logs as a scenario fixture does.
func scenarioDir(t *testing.T) string {
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	write(t, filepath.Join(logs, "shop", podA, "order.log"), stamped(since.Add(-20*time.Minute), 60, "started"))
	write(t, filepath.Join(logs, "shop", podA, "order.previous.log"),
		stamped(since.Add(5*time.Minute), 3, "leaking")+"fatal error: runtime: out of memory\r\n")
	write(t, filepath.Join(logs, "shop", podA, "istio-proxy.log"), stamped(since, 2, "proxy"))
	write(t, filepath.Join(logs, "shop", podB, "order.log"), stamped(since, 2, "healthy"))
	write(t, filepath.Join(logs, "billing", podA, "order.log"), stamped(since, 2, "other namespace"))
	write(t, filepath.Join(logs, "shop", "payment-service-5f5f5f5f5-zzzzz", "payment.log"), stamped(since, 2, "payment"))
	return dir
}

func fetch(t *testing.T, pattern string, req logsource.Request) []incident.LogStream {
	t.Helper()
	s, err := New(Config{Pattern: pattern})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "file" {
		t.Errorf("Name() = %q", s.Name())
	}
	got, err := s.Fetch(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func keys(streams []incident.LogStream) []string {
	var out []string
	for _, s := range streams {
		k := s.Namespace + "/" + s.Pod + "/" + s.Container
		if s.Previous {
			k += " (previous)"
		}
		out = append(out, k)
	}
	return out
}

func TestScenarioLayout(t *testing.T) {
	dir := scenarioDir(t)
	pattern := filepath.Join(dir, "logs", "{namespace}", "{pod}", "{container}.log")
	tests := []struct {
		name string
		req  logsource.Request
		want []string
	}{
		{"pods and container", logsource.Request{
			Target: incident.Target{Namespace: "shop", Pods: []string{podA, podB}, Container: "order"}, Since: since, Until: until},
			[]string{"shop/" + podA + "/order", "shop/" + podA + "/order (previous)", "shop/" + podB + "/order"}},
		{"pod states, every container", logsource.Request{
			Pods: []incident.PodState{{Namespace: "shop", Name: podA}}, Since: since, Until: until},
			[]string{"shop/" + podA + "/istio-proxy", "shop/" + podA + "/order", "shop/" + podA + "/order (previous)"}},
		{"workload finds its pods by name", logsource.Request{
			Target: incident.Target{Namespace: "shop", Container: "order",
				Workload: incident.Entity{Namespace: "shop", Kind: incident.KindDeployment, Name: "order-service"}},
			Since: since, Until: until},
			[]string{"shop/" + podA + "/order", "shop/" + podA + "/order (previous)", "shop/" + podB + "/order"}},
		{"namespace only", logsource.Request{Target: incident.Target{Namespace: "billing"}, Since: since, Until: until},
			[]string{"billing/" + podA + "/order"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := fetch(t, pattern, tc.req)
			if strings.Join(keys(got), ",") != strings.Join(tc.want, ",") {
				t.Errorf("streams %v, want %v", keys(got), tc.want)
			}
			for _, s := range got {
				if s.Source != "file" {
					t.Errorf("source %q", s.Source)
				}
			}
		})
	}
}

func TestLinesWindowAndTimestamps(t *testing.T) {
	dir := scenarioDir(t)
	pattern := filepath.Join(dir, "logs", "{namespace}", "{pod}", "{container}.log")
	got := fetch(t, pattern, logsource.Request{
		Target: incident.Target{Namespace: "shop", Pods: []string{podA}, Container: "order"}, Since: since, Until: until,
	})
	current, previous := got[0], got[1]
	// 60 lines from since-20m, 1 minute apart: the first 20 are before the window, the last 40 within it.
	if len(current.Lines) != 40 {
		t.Errorf("current: %d lines, want 40", len(current.Lines))
	}
	if first := current.Lines[0]; !first.Time.Equal(since) || first.Text != "started 20" {
		t.Errorf("first line %+v", first)
	}
	// The line without a timestamp is kept, with a zero time and its whole text.
	last := previous.Lines[len(previous.Lines)-1]
	if len(previous.Lines) != 4 || !last.Time.IsZero() || last.Text != "fatal error: runtime: out of memory" {
		t.Errorf("previous: %+v", previous.Lines)
	}
	if current.Truncated || previous.Truncated {
		t.Error("nothing was cut")
	}
}

func TestTailWithinMaxBytes(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "svc", "app.log"), stamped(since, 30, "line"))
	got := fetch(t, filepath.Join(dir, "{service}", "*.log"), logsource.Request{
		Target: incident.Target{Service: "svc"}, Since: since, Until: until, MaxBytes: 200,
	})
	if len(got) != 1 || got[0].Pod != "svc" || got[0].Container != "svc" {
		t.Fatalf("got %v", keys(got))
	}
	s := got[0]
	if !s.Truncated {
		t.Error("want truncated")
	}
	var used int
	for _, l := range s.Lines {
		used += len(l.Text) + 1
		if l.Time.IsZero() {
			t.Errorf("partial first line kept: %q", l.Text)
		}
	}
	if used > 200 || s.Lines[len(s.Lines)-1].Text != "line 29" {
		t.Errorf("%d bytes, last %q", used, s.Lines[len(s.Lines)-1].Text)
	}
}

func TestMergedFilesAndPlainLayouts(t *testing.T) {
	dir := t.TempDir()
	// Two files of one service, interleaved in time: merged in time order.
	write(t, filepath.Join(dir, "svc", "a.log"), stamped(since, 3, "a"))
	write(t, filepath.Join(dir, "svc", "b.log"), stamped(since.Add(30*time.Second), 3, "b"))
	got := fetch(t, filepath.Join(dir, "{service}", "[ab].log"), logsource.Request{Since: since, Until: until})
	if len(got) != 1 || len(got[0].Lines) != 6 || got[0].Lines[1].Text != "b 0" {
		t.Fatalf("got %+v", got)
	}
	// No placeholders: each file is a container named after it.
	write(t, filepath.Join(dir, "plain", "worker.log"), "no timestamps here\n")
	if err := os.Mkdir(filepath.Join(dir, "plain", "dir.log"), 0o755); err != nil {
		t.Fatal(err)
	}
	got = fetch(t, filepath.Join(dir, "plain", "*.log"), logsource.Request{Target: incident.Target{Namespace: "vm"}, Until: until})
	if len(got) != 1 || got[0].Container != "worker" || got[0].Pod != "worker" || got[0].Namespace != "vm" {
		t.Fatalf("got %+v", got)
	}
}

func TestPatternErrors(t *testing.T) {
	for _, p := range []string{"", "logs/{ns}/x.log", "logs/{pod/x.log", "logs/[a.log"} {
		if _, err := New(Config{Pattern: p}); err == nil {
			t.Errorf("New(%q): want an error", p)
		}
	}
}

func TestCancelled(t *testing.T) {
	dir := scenarioDir(t)
	s, err := New(Config{Pattern: filepath.Join(dir, "logs", "{namespace}", "{pod}", "{container}.log")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Fetch(ctx, logsource.Request{Target: incident.Target{Namespace: "shop"}, Until: until}); err == nil {
		t.Error("want the context's error")
	}
}

func TestPing(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "logs", "shop", podA, "order.log"), "hello\n")
	for _, tc := range []struct {
		pattern, wantErr string
	}{
		{filepath.Join(root, "logs", "{namespace}", "{pod}", "{container}.log"), ""},
		{filepath.Join(root, "logs", "shop", podA, "order.log"), ""},
		{filepath.Join(root, "logs", "{namespace}", "{pod}", "{container}.txt"), "no file matches"},
		{filepath.Join(root, "gone", "{namespace}", "{pod}.log"), "no such file or directory"},
	} {
		s, err := New(Config{Pattern: tc.pattern})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Ping(context.Background())
		if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: ping = %v, want %q", tc.pattern, err, tc.wantErr)
		}
	}
}
