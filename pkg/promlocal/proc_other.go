//go:build !linux

package promlocal

import (
	"os"
	"syscall"
)

func childAttrs() *syscall.SysProcAttr { return nil }

// terminate kills outright where SIGTERM is not portable.
func terminate(p *os.Process) error { return p.Kill() }
