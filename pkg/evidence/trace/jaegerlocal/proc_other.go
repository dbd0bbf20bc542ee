//go:build !linux

package jaegerlocal

import "syscall"

func childAttrs() *syscall.SysProcAttr { return nil }
