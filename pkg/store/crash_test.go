package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
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
	s, ok := openInChild(dsn)
	if !ok {
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

// openInChild opens the store of a child process, reporting a failure on
// its stderr.
func openInChild(dsn string) (*Store, bool) {
	s, err := Open(context.Background(), dsn, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return nil, false
	}
	return s, true
}

// startChild re-executes the test binary as the child that env names, on
// dsn; its stderr is to be read only after Wait.
func startChild(t *testing.T, env, dsn string) (*exec.Cmd, io.Reader, *bytes.Buffer) {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), env+"="+dsn)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &bytes.Buffer{}
	child.Stderr = stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	return child, out, stderr
}

func TestSIGKILLDuringWritesLosesNothingCommitted(t *testing.T) {
	forEachBackend(t, testSIGKILLDuringWritesLosesNothingCommitted)
}

func testSIGKILLDuringWritesLosesNothingCommitted(t *testing.T, b backend) {
	dsn := b.newDSN(t)
	child, out, stderr := startChild(t, envCrashWriter, dsn)
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

// envClaimHolder makes the test binary a replica that claims an
// investigation and renews its lease until it is killed.
const envClaimHolder = "AIOPS_STORE_CLAIM_HOLDER_DSN"

const (
	holderLease = 2 * time.Second
	holderKey   = "investigation-under-test"
)

func claimHolder(dsn string) int {
	ctx := context.Background()
	s, ok := openInChild(dsn)
	if !ok {
		return 1
	}
	for first := true; ; first = false {
		ok, err := s.ClaimInvestigation(ctx, holderKey, "replica-child", holderLease)
		if err != nil || !ok {
			fmt.Fprintln(os.Stderr, "claim:", ok, err)
			return 1
		}
		if first {
			fmt.Println("claimed")
		}
		time.Sleep(holderLease / 5)
	}
}

func TestAReplicaKilledMidInvestigationIsTakenOver(t *testing.T) {
	forEachBackend(t, testAReplicaKilledMidInvestigationIsTakenOver)
}

func testAReplicaKilledMidInvestigationIsTakenOver(t *testing.T, b backend) {
	s, dsn := b.open(t, Options{})
	child, out, stderr := startChild(t, envClaimHolder, dsn)
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "claimed\n" {
		t.Fatalf("the holder did not claim (%q, %v): %s", line, err, stderr.String())
	}
	claim := func() bool {
		ok, err := s.ClaimInvestigation(context.Background(), holderKey, "replica-parent", holderLease)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	// Alive and renewing, the holder keeps the claim past its first lease.
	time.Sleep(holderLease * 3 / 2)
	if claim() {
		t.Fatal("a live replica's renewed claim was taken over")
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	for !claim() {
		if time.Since(killed) > 10*holderLease {
			t.Fatal("the dead replica's claim was never taken over")
		}
		time.Sleep(holderLease / 10)
	}
	if waited := time.Since(killed); waited > 4*holderLease {
		t.Errorf("took over %v after the kill, want about one lease (%v)", waited, holderLease)
	}
}
