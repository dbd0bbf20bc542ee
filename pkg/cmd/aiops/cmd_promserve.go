package main

import (
	"context"
	"fmt"

	"github.com/cloudobs/aiops-app/pkg/promlocal"
)

func promserveCommand() command {
	return command{
		name:    "promserve",
		summary: "serve a recorded incident's metrics (OpenMetrics) from a real local Prometheus until interrupted",
		run:     runPromserve,
	}
}

func runPromserve(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "promserve", "--openmetrics FILE [--data-dir DIR]")
	om := fs.String("openmetrics", "", "OpenMetrics file with timestamps, ending in # EOF (a scenario's metrics.om)")
	dataDir := fs.String("data-dir", "", "keep the TSDB here instead of a temporary directory")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *om == "" {
		return usagef("--openmetrics is required")
	}
	fmt.Fprintf(sio.errOut, "backfilling %s and starting prometheus...\n", *om)
	srv, err := promlocal.FromOpenMetrics(ctx, *om, promlocal.Options{DataDir: *dataDir})
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintln(sio.out, srv.URL())
	fmt.Fprintln(sio.errOut, "prometheus is ready; press Ctrl-C to stop")
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return err
	}
	return nil
}
