package engine

import (
	"context"
	"errors"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// TestFaultMatrixDiskFullKeepsAnsweringAndKeepsHistory fills the disk the
// only way a test can without a mount: a file-size limit of one byte, so
// every write the store tries fails as it would on a full disk (EFBIG
// instead of ENOSPC, the same failed write for SQLite). The answer must
// still come, the failed save be logged, and what was committed before
// stay readable, in this engine and after a restart.
func TestFaultMatrixDiskFullKeepsAnsweringAndKeepsHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	logs := &recordingLogger{}
	open := func() *Engine {
		e := Open(config.DefaultSettings(), Options{HistoryPath: path, Sources: &evidence.Sources{}, Logger: logs,
			Collect: faultCollect, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
		t.Cleanup(e.Close)
		return e
	}
	e := open()
	saved := explainWithin(t, e)
	assertSaved(t, e, saved.ID)
	if logs.said("Saving the explanation failed") {
		t.Fatalf("the save failed before the disk was full: %q", logs.errors)
	}
	var answered string
	withFullDisk(t, func() {
		ctx, cancel := context.WithTimeout(context.Background(), faultDeadline)
		defer cancel()
		ex, err := e.Explain(ctx, Request{Alert: alertFor("DiskFullAlert"), User: "bo"})
		if err != nil {
			t.Errorf("a full disk must cost the history, not the answer: %v", err)
		}
		answered = ex.Summary
		if !slices.ContainsFunc(ex.Degraded, func(d incident.Degraded) bool { return d.Source == "history" }) {
			t.Errorf("the answer does not say the history did not keep it: degraded %v", ex.Degraded)
		}
	})
	if answered == "" {
		t.Error("no answer while the disk was full")
	}
	if !logs.said("Saving the explanation failed") {
		t.Errorf("the failed save was not logged: %q", logs.errors)
	}
	assertSaved(t, e, saved.ID)
	e.Close()
	assertSaved(t, open(), saved.ID)
}

// TestFaultMatrixDiskFullInvestigationIsNotDone: a webhook investigation
// the full disk cannot record reports ErrNotKept, so that its delivery is
// tried again rather than marked done, and the retry with room explains it;
// an explanation missing from the history is not kept either.
func TestFaultMatrixDiskFullInvestigationIsNotDone(t *testing.T) {
	e := Open(config.DefaultSettings(), Options{HistoryPath: filepath.Join(t.TempDir(), "history.db"), Sources: &evidence.Sources{},
		Logger: &recordingLogger{}, Collect: faultCollect, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
	t.Cleanup(e.Close)
	if _, err := e.Store(context.Background()); err != nil {
		t.Fatal(err)
	}
	req := Request{Alert: alertFor("DiskFullInvestigation"), User: "webhook"}
	withFullDisk(t, func() {
		ctx, cancel := context.WithTimeout(context.Background(), faultDeadline)
		defer cancel()
		if _, _, err := e.Investigate(ctx, req, time.Minute); !errors.Is(err, ErrNotKept) {
			t.Errorf("Investigate on a full disk = %v, want ErrNotKept", err)
		}
	})
	ex, claimed, err := e.Investigate(context.Background(), req, time.Minute)
	if !claimed || err != nil {
		t.Fatalf("with room again, the retry = claimed %v, %v", claimed, err)
	}
	assertSaved(t, e, ex.ID)
	if err := e.kept(context.Background(), ex, incident.Explanation{ID: "never-saved"}); !errors.Is(err, ErrNotKept) {
		t.Errorf("kept with an unsaved explanation = %v, want ErrNotKept", err)
	}
}

// withFullDisk runs f with every file write failing as on a full disk: a
// file-size limit of one byte (EFBIG instead of ENOSPC, the same failed
// write for SQLite).
func withFullDisk(t *testing.T, f func()) {
	t.Helper()
	// Without this the kernel's SIGXFSZ ends the test binary.
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skipf("no file-size limit here: %v", err)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 1, Max: old.Max}); err != nil {
		t.Skipf("cannot limit the file size: %v", err)
	}
	defer func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
			t.Fatalf("restoring the file-size limit: %v", err)
		}
	}()
	f()
}
