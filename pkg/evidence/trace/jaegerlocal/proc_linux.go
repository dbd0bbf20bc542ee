package jaegerlocal

import "syscall"

// childAttrs make the kernel kill Jaeger if the process that started it
// dies without calling Close.
func childAttrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
