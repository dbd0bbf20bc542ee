package kit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Main runs a service process: build it from the environment, let register
// add the business routes, serve until SIGINT/SIGTERM. It returns the exit
// status for main to pass to os.Exit.
func Main(name string, register func(s *Service, getenv func(string) string) error) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	svc, err := New(ctx, name, Options{})
	if err == nil {
		err = register(svc, os.Getenv)
	}
	if err == nil {
		err = svc.Run(ctx)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}

// NewID returns a random identifier such as "ord_3f2a9c1b7d4e5f60".
func NewID(prefix string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}
