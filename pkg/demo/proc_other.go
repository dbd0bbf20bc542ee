//go:build !linux

package demo

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// The supervisor reads /proc and uses process groups with a parent-death
// signal: Linux only. Elsewhere containers still run, without a memory limit.

func childAttrs() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }

func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

func stopGroup(pid int, _ time.Duration, exited <-chan error) {
	killGroup(pid)
	<-exited
}

func exitCode(err *exec.ExitError) int { return err.ExitCode() }

func residentBytes(int) (int64, error) { return 0, errors.New("memory accounting needs Linux /proc") }
