package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cloudobs/aiops-app/pkg/alert"
)

func alertCommand() command {
	return command{
		name:    "alert",
		summary: "normalise an alert body (alert context, Alertmanager/Grafana webhook, Grafana alert instance) and print it as JSON",
		run:     runAlert,
	}
}

func runAlert(_ context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "alert", "[--input FILE|-]")
	input := fs.String("input", "-", "the alert body, - for standard input")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	in, err := openInput(sio, *input)
	if err != nil {
		return err
	}
	defer in.Close()
	alerts, err := alert.Parse(in)
	if err != nil {
		return fmt.Errorf("%w (fix the body and retry)", err)
	}
	enc := json.NewEncoder(sio.out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(alerts); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	return nil
}
