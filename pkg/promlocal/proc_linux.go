package promlocal

import (
	"os"
	"syscall"
)

// childAttrs make the kernel kill Prometheus if the process that started it
// dies without calling Close (a test binary killed by its timeout, say).
func childAttrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }
