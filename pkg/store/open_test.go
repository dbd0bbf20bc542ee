package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// snapshot reads the database and its -wal and -shm (nil where absent).
func snapshot(t *testing.T, path string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		out[suffix] = b
	}
	return out
}

func sameFiles(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	for suffix, b := range want {
		if !bytes.Equal(b, got[suffix]) {
			t.Errorf("file%s changed: %d bytes before, %d after", suffix, len(b), len(got[suffix]))
		}
	}
}

// liveStore leaves a store open with committed rows in its -wal, as a
// running plugin process does.
func liveStore(t *testing.T) (string, *Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i := 0; i < 20; i++ {
		if err := s.Save(context.Background(), Record{Explanation: explanation(fmt.Sprintf("ex_%d", i), "A", "ns", incident.CategoryOOMKilled, t0)}); err != nil {
			t.Fatal(err)
		}
	}
	if snapshot(t, path)["-wal"] == nil {
		t.Fatal("the test needs committed rows in the -wal file")
	}
	return path, s
}

func TestCancelledOpenLeavesTheFileAlone(t *testing.T) {
	path, _ := liveStore(t)
	before := snapshot(t, path)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	for name, ctx := range map[string]context.Context{"cancelled": cancelled, "deadline": expired} {
		t.Run(name, func(t *testing.T) {
			s, err := Open(ctx, path, Options{Warn: func(msg string, _ ...any) { t.Errorf("unexpected warning %q", msg) }})
			if err == nil {
				s.Close()
				t.Fatal("an open with a dead context must fail")
			}
			if !errors.Is(err, ctx.Err()) {
				t.Fatalf("want the context's error, got %v", err)
			}
			sameFiles(t, before, snapshot(t, path))
			if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 0 {
				t.Fatalf("a healthy file was moved aside: %v", aside)
			}
		})
	}
	reopened, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("a failed open must not stop the next one: %v", err)
	}
	defer reopened.Close()
	if _, total, _ := reopened.List(context.Background(), Filter{}); total != 20 {
		t.Fatalf("history lost: %d explanations", total)
	}
}

// Cancellations that land at any moment of the open (the quick_check, the
// migration) must never be taken for corruption.
func TestOpenCancelledAtAnyMomentKeepsHistory(t *testing.T) {
	path, _ := liveStore(t)
	for i := 0; i < 40; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i*50)*time.Microsecond)
		s, err := Open(ctx, path, Options{Warn: func(msg string, _ ...any) { t.Errorf("unexpected warning %q", msg) }})
		cancel()
		if err == nil {
			s.Close()
		} else if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("try %d: want success or the deadline, got %v", i, err)
		}
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 0 {
		t.Fatalf("a healthy file was moved aside: %v", aside)
	}
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, total, _ := s.List(context.Background(), Filter{}); total != 20 {
		t.Fatalf("history lost: %d explanations", total)
	}
}

func TestCorruptFileIsMovedAsideNeverDeleted(t *testing.T) {
	healthy := func(t *testing.T) string {
		path, s := liveStore(t)
		s.Close() // checkpoints the -wal into the file
		return path
	}
	tests := []struct {
		name    string
		corrupt func(t *testing.T) string
	}{
		{"not a database", func(t *testing.T) string {
			path := filepath.Join(t.TempDir(), "history.db")
			if err := os.WriteFile(path, bytes.Repeat([]byte("this is not a database "), 40), 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}},
		{"damaged pages", func(t *testing.T) string {
			path := healthy(t)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// Keep the header (page 1) and scribble over the b-tree pages.
			for i := 4096; i < len(b); i++ {
				b[i] = byte(i * 7)
			}
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.corrupt(t)
			before := snapshot(t, path)
			var warned string
			s, err := Open(context.Background(), path, Options{Warn: func(msg string, _ ...any) { warned = msg }})
			if err != nil {
				t.Fatalf("a corrupt file must be replaced, got %v", err)
			}
			defer s.Close()
			if warned == "" {
				t.Error("moving a corrupt store aside must log a warning")
			}
			if err := s.Save(context.Background(), Record{Explanation: explanation("ex_new", "A", "ns", incident.CategoryUnknown, t0)}); err != nil {
				t.Fatalf("the new store does not work: %v", err)
			}
			aside, _ := filepath.Glob(path + ".corrupt-*")
			if len(aside) != 1 {
				t.Fatalf("want the corrupt file kept aside, found %v", aside)
			}
			kept, _ := os.ReadFile(aside[0])
			if !bytes.Equal(kept, before[""]) {
				t.Fatal("the file kept aside is not the corrupt file as it was")
			}
		})
	}
}

func TestMovedAsideKeepsItsWAL(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history.db")
	for suffix, body := range map[string]string{"": "garbage garbage garbage garbage garbage garbage", "-wal": "committed?", "-shm": "index"} {
		if err := os.WriteFile(path+suffix, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	aside, err := moveAside(path, t0)
	if err != nil {
		t.Fatal(err)
	}
	if aside != path+".corrupt-20261120T100000Z" {
		t.Fatalf("aside name %q", aside)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if !exists(aside + suffix) {
			t.Errorf("%s%s was not kept", aside, suffix)
		}
		if exists(path + suffix) {
			t.Errorf("%s%s is still in the way", path, suffix)
		}
	}
	// A second corruption within the same second gets its own name.
	if err := os.WriteFile(path, []byte("again"), 0o600); err != nil {
		t.Fatal(err)
	}
	second, err := moveAside(path, t0)
	if err != nil || second == aside || !exists(second) || !exists(aside) {
		t.Fatalf("second move: %q %v", second, err)
	}
}

func TestAnUnopenableFileIsNotCorruption(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history.db")
	// A directory where the file should be: SQLite cannot open it, but
	// nothing says it is damaged, so nothing may be renamed.
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(context.Background(), path, Options{}); err == nil {
		s.Close()
		t.Fatal("opening a directory must fail")
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 0 {
		t.Fatalf("moved aside without SQLite saying it is corrupt: %v", aside)
	}
	if !exists(path) {
		t.Fatal("the path was removed")
	}
}

func TestMigrationsRecordTheirVersion(t *testing.T) {
	forEachBackend(t, testMigrationsRecordTheirVersion)
}

func testMigrationsRecordTheirVersion(t *testing.T, b backend) {
	s, path := b.open(t, Options{})
	var v int
	if err := s.queryRow(context.Background(), `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != len(s.sql.migrations) {
		t.Fatalf("schema version %d, want %d", v, len(s.sql.migrations))
	}
	s.Close()
	// A newer database than the build refuses to open rather than guess.
	again, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.exec(context.Background(), `INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)`, v+1); err != nil {
		t.Fatal(err)
	}
	again.Close()
	if s, err := Open(context.Background(), path, Options{}); err == nil {
		s.Close()
		t.Fatal("a schema from a newer build must be refused")
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 0 {
		t.Fatalf("a newer schema is not corruption: %v", aside)
	}
}

// A data directory may hold characters that mean something in an SQLite
// URI; the file must still be created where the path says.
func TestAPathWithURICharactersOpensWhereItPoints(t *testing.T) {
	path := filepath.Join(t.TempDir(), "my data #1 ?mode=ro %41", "history.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), Record{Explanation: explanation("ex_1", "A", "ns", incident.CategoryUnknown, t0)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if !exists(path) {
		t.Fatalf("the database is not at %s", path)
	}
}

// Replicas (or processes) that start together on a new database all open it,
// and each migration is applied once.
func TestConcurrentOpensMigrateOnce(t *testing.T) { forEachBackend(t, testConcurrentOpensMigrateOnce) }

func testConcurrentOpensMigrateOnce(t *testing.T, b backend) {
	dsn := b.newDSN(t)
	errs := make(chan error, 4)
	stores := make(chan *Store, 4)
	for range 4 {
		go func() {
			s, err := Open(context.Background(), dsn, Options{})
			errs <- err
			stores <- s
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent open: %v", err)
		}
		if s := <-stores; s != nil {
			t.Cleanup(func() { s.Close() })
		}
	}
	s := openDSN(t, dsn, Options{})
	var rows, version int
	if err := s.queryRow(context.Background(), `SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&rows, &version); err != nil {
		t.Fatal(err)
	}
	if rows != len(s.sql.migrations) || version != len(s.sql.migrations) {
		t.Fatalf("%d migration rows up to version %d, want %d once each", rows, version, len(s.sql.migrations))
	}
}
