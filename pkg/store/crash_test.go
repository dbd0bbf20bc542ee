package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// envCrashWriter makes the test binary a writer child (see TestMain): it
// writes to the store named by the variable until it is killed, printing
// each iteration's number once everything of it is committed.
const envCrashWriter = "AIOPS_STORE_CRASH_WRITER_DSN"

// crashWriter is the child's main.
func crashWriter(dsn string) int {
	ctx := context.Background()
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; ; i++ {
		if err := s.Save(ctx, Record{Explanation: explanation(fmt.Sprintf("ex_%d", i), "A", "ns", incident.CategoryOOMKilled, t0), User: "writer"}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		id, err := s.Reserve(ctx, Reservation{Day: t0, Provider: "openai", Model: "gpt-4o", EstimatedTokens: 10}, Limits{})
		if err == nil {
			err = s.Settle(ctx, id, UsageEvent{At: t0, Provider: "openai", Model: "gpt-4o", PromptTokens: 7, CompletionTokens: 3})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(i) // unbuffered: the parent sees it at once
	}
}

func TestSIGKILLDuringWritesLosesNothingCommitted(t *testing.T) {
	forEachBackend(t, testSIGKILLDuringWritesLosesNothingCommitted)
}

func testSIGKILLDuringWritesLosesNothingCommitted(t *testing.T, b backend) {
	dsn := b.newDSN(t)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), envCrashWriter+"="+dsn)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer // read only after Wait
	child.Stderr = &stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	const killAt = 150
	committed := -1
	lines := bufio.NewScanner(out)
	timeout := time.AfterFunc(2*time.Minute, func() { _ = child.Process.Kill() })
	defer timeout.Stop()
	for lines.Scan() {
		n, err := strconv.Atoi(lines.Text())
		if err != nil {
			t.Fatalf("child printed %q", lines.Text())
		}
		committed = n
		if n == killAt {
			// Killed in the middle of its next iteration's writes.
			if err := child.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = child.Wait()
	if committed < killAt {
		t.Fatalf("the writer stopped at %d before being killed: %s", committed, stderr.String())
	}
	if aside, _ := filepath.Glob(dsn + ".corrupt-*"); len(aside) != 0 {
		t.Fatalf("the killed store was taken for corrupt: %v", aside)
	}
	s := openDSN(t, dsn, Options{Warn: func(msg string, _ ...any) { t.Errorf("warning on reopen: %s", msg) }})
	for i := 0; i <= committed; i++ {
		if _, err := s.Get(context.Background(), fmt.Sprintf("ex_%d", i)); err != nil {
			t.Fatalf("explanation %d was committed before the kill and is gone: %v", i, err)
		}
	}
	tokens, _, err := s.Spent(context.Background(), t0)
	if err != nil {
		t.Fatal(err)
	}
	// Every reported iteration's usage is there; the one in flight may or
	// may not be, but never half of it.
	if want := int64(committed+1) * 10; tokens != want && tokens != want+10 {
		t.Fatalf("usage after the kill: %d tokens, want %d (or %d with the iteration in flight)", tokens, want, want+10)
	}
}
