package demo

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as the containers the supervisor runs: with
// DEMO_TEST_CHILD set it behaves as a leaking, failing or idle program.
func TestMain(m *testing.M) {
	switch os.Getenv("DEMO_TEST_CHILD") {
	case "":
		os.Exit(m.Run())
	case "leak":
		fmt.Println("leaking")
		var kept [][]byte
		for {
			b := make([]byte, 4<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1
			}
			kept = append(kept, b)
			time.Sleep(10 * time.Millisecond)
		}
	case "fail":
		fmt.Println("starting")
		fmt.Fprintln(os.Stderr, "config: DATABASE_URL is not set")
		os.Exit(3)
	case "serve":
		// Ready while the file READY_FILE exists.
		http.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
			if _, err := os.Stat(os.Getenv("READY_FILE")); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		})
		if err := http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "idle":
		fmt.Println("idle")
		time.Sleep(time.Hour)
	}
}

func childSpec(t *testing.T, mode string, limit int64) ContainerSpec {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return ContainerSpec{Namespace: "demo", App: "app", Pod: "app-5d8f7c9b4-x2x1q", Container: "app",
		Binary: exe, Env: []string{"DEMO_TEST_CHILD=" + mode}, MemoryLimit: limit}
}

// waitFor polls the kubelet until cond holds for the only container.
func waitFor(t *testing.T, k *Kubelet, what string, cond func(ContainerStatus) bool) ContainerStatus {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		pods, _ := k.Snapshot()
		if len(pods) == 1 && cond(pods[0]) {
			return pods[0]
		}
		time.Sleep(20 * time.Millisecond)
	}
	pods, _ := k.Snapshot()
	t.Fatalf("timed out waiting for %s; state %+v", what, pods)
	return ContainerStatus{}
}

func TestKubeletKillsOverMemoryLimitAsOOMKilled(t *testing.T) {
	k, err := NewKubelet(KubeletOptions{LogDir: t.TempDir(), BackoffBase: 50 * time.Millisecond, MemoryPoll: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); k.Wait() }()
	if err := k.Run(ctx, childSpec(t, "leak", 48<<20)); err != nil {
		t.Fatal(err)
	}
	st := waitFor(t, k, "an OOM kill", func(s ContainerStatus) bool { return s.Last != nil })
	if st.Last.Reason != "OOMKilled" || st.Last.ExitCode != 137 {
		t.Fatalf("last termination = %+v, want OOMKilled 137", *st.Last)
	}
	if st.Restarts < 1 || st.Last.FinishedAt.Before(st.Last.StartedAt) {
		t.Fatalf("restarts %d, termination %+v", st.Restarts, *st.Last)
	}
}

func TestKubeletRestartsWithBackoffAndKeepsPreviousLog(t *testing.T) {
	dir := t.TempDir()
	k, err := NewKubelet(KubeletOptions{LogDir: dir, BackoffBase: 20 * time.Millisecond, BackoffMax: 40 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	spec := childSpec(t, "fail", 0)
	if err := k.Run(ctx, spec); err != nil {
		t.Fatal(err)
	}
	st := waitFor(t, k, "three restarts", func(s ContainerStatus) bool { return s.Restarts >= 3 })
	cancel()
	k.Wait()
	if st.Last == nil || st.Last.Reason != "Error" || st.Last.ExitCode != 3 {
		t.Fatalf("last termination = %+v, want Error 3", st.Last)
	}
	_, events := k.Snapshot()
	var backoffs int
	for _, e := range events {
		if e.Reason == "BackOff" {
			backoffs = e.Count
		}
	}
	if backoffs < 3 {
		t.Fatalf("BackOff events counted %d times, want >= 3: %+v", backoffs, events)
	}
	prev, err := os.ReadFile(k.LogPath(spec, true))
	if err != nil {
		t.Fatalf("previous log: %v", err)
	}
	line := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z config: DATABASE_URL is not set$`)
	found := false
	for _, l := range strings.Split(strings.TrimSpace(string(prev)), "\n") {
		found = found || line.MatchString(l)
	}
	if !found {
		t.Fatalf("previous log lacks the stamped error line:\n%s", prev)
	}
}

func TestKubeletStopsContainersOnCancel(t *testing.T) {
	k, err := NewKubelet(KubeletOptions{LogDir: t.TempDir(), StopGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := k.Run(ctx, childSpec(t, "idle", 0)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, k, "running", func(s ContainerStatus) bool { return s.Running })
	cancel()
	done := make(chan struct{})
	go func() { k.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("container still running 10s after cancel")
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, 10 * time.Second}, {1, 20 * time.Second}, {2, 40 * time.Second},
		{5, 5 * time.Minute}, {60, 5 * time.Minute},
	}
	for _, tc := range tests {
		if got := backoff(10*time.Second, 5*time.Minute, tc.attempt); got != tc.want {
			t.Errorf("backoff(attempt %d) = %s, want %s", tc.attempt, got, tc.want)
		}
	}
}

func TestStampWriter(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 5000, time.UTC)
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"one line", []string{"hello\n"}, "2026-11-20T10:00:00.000005000Z hello\n"},
		{"split write", []string{"hel", "lo\nwor", "ld\n"}, "2026-11-20T10:00:00.000005000Z hello\n2026-11-20T10:00:00.000005000Z world\n"},
		{"unterminated flushed", []string{"last words"}, "2026-11-20T10:00:00.000005000Z last words\n"},
		{"empty line kept", []string{"\n"}, "2026-11-20T10:00:00.000005000Z \n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := newStampWriter(&buf)
			w.now = func() time.Time { return at }
			for _, s := range tc.writes {
				if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tc.want {
				t.Fatalf("got %q, want %q", buf.String(), tc.want)
			}
		})
	}
}

func TestStampWriterSplitsOverlongLines(t *testing.T) {
	var buf bytes.Buffer
	w := newStampWriter(&buf)
	if _, err := w.Write(bytes.Repeat([]byte("x"), 3*maxLineBytes)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\n"); got != 3 {
		t.Fatalf("%d lines, want 3", got)
	}
}

func TestKubeletReadinessProbe(t *testing.T) {
	dir := t.TempDir()
	readyFile := filepath.Join(dir, "ready")
	if err := os.WriteFile(readyFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewKubelet(KubeletOptions{LogDir: dir, ProbePeriod: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); k.Wait() }()
	spec := childSpec(t, "serve", 0)
	spec.Port, spec.ReadinessPath = port, "/readyz"
	spec.Env = append(spec.Env, "PORT="+strconv.Itoa(port), "READY_FILE="+readyFile)
	if err := k.Run(ctx, spec); err != nil {
		t.Fatal(err)
	}
	waitFor(t, k, "ready", func(s ContainerStatus) bool { return s.Ready })
	if err := os.Remove(readyFile); err != nil {
		t.Fatal(err)
	}
	waitFor(t, k, "unready after failed probes", func(s ContainerStatus) bool { return !s.Ready && s.Running })
	_, events := k.Snapshot()
	found := false
	for _, e := range events {
		found = found || (e.Reason == "Unhealthy" && e.Count >= 3 && e.Message == "Readiness probe failed: HTTP probe failed with statuscode: 503")
	}
	if !found {
		t.Fatalf("no Unhealthy event counted 3 times: %+v", events)
	}
}
