package main

import (
	"context"
	"fmt"

	"github.com/cloudobs/aiops-app/pkg/redact"
)

func redactCommand() command {
	return command{
		name:    "redact",
		summary: "copy standard input to standard output with secrets replaced by [REDACTED:<kind>]",
		run:     runRedact,
	}
}

func runRedact(_ context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "redact", "[--emails] [--ips] < in > out")
	emails := fs.Bool("emails", false, "also mask e-mail addresses")
	ips := fs.Bool("ips", false, "also mask IPv4 and IPv6 addresses")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	r := redact.New(redact.Options{Emails: *emails, IPs: *ips})
	if err := r.Stream(sio.out, sio.in); err != nil {
		return fmt.Errorf("redact: %w", err)
	}
	return nil
}
