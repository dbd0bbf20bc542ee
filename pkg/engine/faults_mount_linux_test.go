package engine

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
)

// envMountChild marks the test binary re-run inside its own user and mount
// namespace, where it may mount a filesystem of its own.
const envMountChild = "AIOPS_TEST_MOUNT_NAMESPACE"

// inOwnMountNamespace reports whether the test runs in a user and mount
// namespace of its own, where it may mount filesystems (no privilege
// needed, nothing visible outside). Outside it re-runs the test there,
// fails with the child's output if the child failed, and returns false:
// the caller returns, its work done by the child.
func inOwnMountNamespace(t *testing.T) bool {
	t.Helper()
	if os.Getenv(envMountChild) != "" {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envMountChild+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Skipf("SKIP: no user and mount namespace here, so no filesystem of the test's own: %v", err)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("in its own mount namespace: %v\n%s", err, out)
	}
	t.Logf("passed in its own mount namespace")
	return false
}

// smallFilesystem mounts a fresh tmpfs of size bytes in the test's own
// mount namespace and returns it, with a function that remounts it
// read-only or writable.
func smallFilesystem(t *testing.T, size string) (dir string, remount func(readOnly bool)) {
	t.Helper()
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		t.Fatalf("making the mounts private: %v", err)
	}
	dir = t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Fatalf("mounting a %s tmpfs: %v", size, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmounting: %v", err)
		}
	})
	return dir, func(readOnly bool) {
		t.Helper()
		flags := uintptr(syscall.MS_REMOUNT)
		if readOnly {
			flags |= syscall.MS_RDONLY
		}
		if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, "size="+size); err != nil {
			t.Fatalf("remounting (read-only %t): %v", readOnly, err)
		}
	}
}

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
	if !inOwnMountNamespace(t) {
		return
	}
	dir, _ := smallFilesystem(t, "4m")
	logs := &recordingLogger{}
	e := openOn(t, filepath.Join(dir, "org-1", "history.db"), logs)
	saved := explainWithin(t, e)
	assertSaved(t, e, saved.ID)

	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v, want ENOSPC", err)
			}
			break
		}
	}
	f.Close()
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

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
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
	if !inOwnMountNamespace(t) {
		return
	}
	dir, remount := smallFilesystem(t, "16m")
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
