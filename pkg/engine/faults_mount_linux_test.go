package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/store/disktest"
)

func openOn(t *testing.T, path string, logs *recordingLogger) *Engine {
	t.Helper()
	e := Open(config.DefaultSettings(), Options{HistoryPath: path, Sources: &evidence.Sources{}, Logger: logs,
		Collect: faultCollect, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
	t.Cleanup(e.Close)
	return e
}

// TestFaultMatrixRealENOSPCKeepsAnsweringAndKeepsHistory fills a real
// filesystem (a 4 MiB tmpfs) under an open history: the explanations made
// while it is full are answered and their failed saves logged as a full
// disk, what was committed before stays readable, and once room is made
// the same engine saves again and a restart finds it all.
func TestFaultMatrixRealENOSPCKeepsAnsweringAndKeepsHistory(t *testing.T) {
	if !disktest.InOwnNamespace(t) {
		return
	}
	dir, _ := disktest.Small(t, "4m")
	logs := &recordingLogger{}
	e := openOn(t, filepath.Join(dir, "org-1", "history.db"), logs)
	saved := explainWithin(t, e)
	assertSaved(t, e, saved.ID)

	free := disktest.Fill(t, dir)
	// SQLite still commits what fits in the pages its WAL already holds, so
	// which write fails first varies; one must, and be logged as a full disk.
	for range 3 {
		if ex := explainWithin(t, e); ex.Summary == "" {
			t.Fatal("no answer while the disk was full")
		}
	}
	if !logs.said("disk is full") {
		t.Errorf("the full disk was not logged as such: %q", logs.errors)
	}
	assertSaved(t, e, saved.ID)

	free()
	after := explainWithin(t, e)
	assertSaved(t, e, after.ID)
	e.Close()
	again := openOn(t, filepath.Join(dir, "org-1", "history.db"), logs)
	assertSaved(t, again, saved.ID)
	assertSaved(t, again, after.ID)
}

// TestFaultMatrixReadOnlyFilesystemKeepsAnsweringAndMovesNothing mounts the
// data directory read-only for real (EROFS, which stops root as chmod does
// not). Linux refuses to remount a filesystem read-only while the store
// holds its file open for writing (EBUSY), so the fault a running plugin
// meets is a restart onto a read-only volume: every explanation is
// answered, the log says the history cannot be opened, the file is neither
// moved aside as corrupt nor changed, and once the volume is writable
// again the history is all there.
func TestFaultMatrixReadOnlyFilesystemKeepsAnsweringAndMovesNothing(t *testing.T) {
	if !disktest.InOwnNamespace(t) {
		return
	}
	dir, remount := disktest.Small(t, "16m")
	path := filepath.Join(dir, "org-1", "history.db")
	logs := &recordingLogger{}
	e := openOn(t, path, logs)
	saved := explainWithin(t, e)
	assertSaved(t, e, saved.ID)
	e.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	remount(true)
	if err := os.WriteFile(filepath.Join(dir, "probe"), nil, 0o600); !errors.Is(err, syscall.EROFS) {
		t.Fatalf("writing on the read-only mount: %v, want EROFS", err)
	}
	ro := openOn(t, path, logs)
	for range 2 {
		if ex := explainWithin(t, ro); ex.Summary == "" {
			t.Fatal("no answer on a read-only volume")
		}
	}
	if !logs.said("cannot be opened") {
		t.Errorf("the log does not say the history cannot be opened: %q", logs.errors)
	}
	if _, err := ro.Store(context.Background()); err == nil || !strings.Contains(err.Error(), config.EnvDir) {
		t.Errorf("the history error %v does not name the data directory to make writable", err)
	}
	ro.Close()
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, en := range entries {
		if strings.Contains(en.Name(), "corrupt") {
			t.Errorf("a read-only volume was taken for corruption: %s", en.Name())
		}
	}
	if now, err := os.ReadFile(path); err != nil || string(now) != string(before) {
		t.Errorf("the history file changed on a read-only volume (%v)", err)
	}

	remount(false)
	back := openOn(t, path, logs)
	assertSaved(t, back, saved.ID)
	assertSaved(t, back, explainWithin(t, back).ID)
}
