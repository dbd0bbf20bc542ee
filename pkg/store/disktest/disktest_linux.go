// Package disktest gives a test a small filesystem of its own, to fill up
// or make read-only for real (ENOSPC, EROFS) under the history store. The
// test re-runs itself in a mount namespace of its own, where it may mount
// a tmpfs that nothing outside sees: as root, a private mount namespace
// (the real root, so PostgreSQL can still be run as nobody there); as
// another user, a user and mount namespace keeping that user's id, with
// CAP_SYS_ADMIN only to mount. Where neither can be made, the test skips
// loudly, or fails under CI=true, where it must run.
package disktest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// envChild marks the test binary re-run inside its own mount namespace.
const envChild = "AIOPS_TEST_MOUNT_NAMESPACE"

// capSysAdmin is CAP_SYS_ADMIN, which mounting needs.
const capSysAdmin = 21

// InOwnNamespace reports whether the test runs in a mount namespace of its
// own. Outside it re-runs the test there, fails with the child's output if
// the child failed, and returns false: the caller returns, its work done
// by the child.
func InOwnNamespace(t *testing.T) bool {
	t.Helper()
	if os.Getenv(envChild) != "" {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envChild+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS}
	if uid, gid := os.Getuid(), os.Getgid(); uid != 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
			UidMappings: []syscall.SysProcIDMap{{ContainerID: uid, HostID: uid, Size: 1}},
			GidMappings: []syscall.SysProcIDMap{{ContainerID: gid, HostID: gid, Size: 1}},
			AmbientCaps: []uintptr{capSysAdmin},
		}
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		missing := fmt.Sprintf("%s needs a mount namespace of its own (root, or unprivileged user namespaces) for a filesystem to fill: %v", t.Name(), err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("required under CI=true: %s", missing)
		}
		fmt.Fprintf(os.Stderr, "SKIP: %s\n", missing)
		t.Skipf("SKIP: %s", missing)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("in its own mount namespace: %v\n%s", err, out)
	}
	t.Logf("passed in its own mount namespace")
	return false
}

// Small mounts a fresh tmpfs of size bytes ("4m") in the test's own mount
// namespace and returns it, with a function that remounts it read-only or
// writable. Its mount point is in /tmp as root, so that PostgreSQL run as
// nobody can reach it.
func Small(t *testing.T, size string) (dir string, remount func(readOnly bool)) {
	t.Helper()
	if os.Getenv(envChild) == "" {
		t.Fatal("disktest.Small outside InOwnNamespace would mount on the host")
	}
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		t.Fatalf("making the mounts private: %v", err)
	}
	base := ""
	if os.Geteuid() == 0 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "aiops-small-fs-")
	if err != nil {
		t.Fatal(err)
	}
	opts := "size=" + size + ",mode=0755"
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		os.Remove(dir)
		t.Fatalf("mounting a %s tmpfs: %v", size, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmounting: %v", err)
		}
		if err := os.Remove(dir); err != nil {
			t.Errorf("removing the mount point: %v", err)
		}
	})
	return dir, func(readOnly bool) {
		t.Helper()
		flags := uintptr(syscall.MS_REMOUNT)
		if readOnly {
			flags |= syscall.MS_RDONLY
		}
		if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, opts); err != nil {
			t.Fatalf("remounting (read-only %t): %v", readOnly, err)
		}
	}
}

// Fill writes a file on dir until the filesystem is full (ENOSPC) and
// returns a function that removes it, making the room again.
func Fill(t *testing.T, dir string) (free func()) {
	t.Helper()
	name := dir + "/filler"
	f, err := os.Create(name)
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
	return func() {
		t.Helper()
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
}
