package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/demo"
)

func demoCommand() command {
	return command{
		name:    "demo",
		summary: "run the sample services and a real Prometheus, inject a fault, explain the alert it fires",
		run:     runDemo,
	}
}

func runDemo(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "demo", "[--fault "+strings.Join(demo.FaultNames(), "|")+"] [--format json|markdown] [--wait 4m] [--keep DIR] [--source DIR] [--traces=false] [--provider P]")
	faultName := fs.String("fault", "dependency", "the incident to produce: "+strings.Join(demo.FaultNames(), ", "))
	format := fs.String("format", "markdown", "markdown or json (the explanation)")
	wait := fs.Duration("wait", demo.DefaultTimeout, "how long to wait for the alert to fire")
	warmup := fs.Duration("warmup", demo.DefaultWarmup, "healthy traffic before a run-time fault is injected")
	rate := fs.Float64("rate", demo.DefaultRate, "load generator journeys per second")
	keep := fs.String("keep", "", "keep binaries, logs and Prometheus data in DIR (default: a temporary directory, removed)")
	source := fs.String("source", "", "repository checkout to build the services from (default: found from the working directory)")
	promBin := fs.String("prometheus", "", "prometheus executable (default: prometheus on PATH)")
	traces := fs.Bool("traces", true, "run a local Jaeger the services export traces to, when one is installed (scripts/system-deps.sh builds it)")
	jaegerBin := fs.String("jaeger", "", "jaeger executable (default: $AIOPS_JAEGER, the build in ~/.cache/aiops/bin, or jaeger on PATH)")
	quiet := fs.Bool("quiet", false, "do not report progress on standard error")
	pf := addProviderFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fault, err := demo.LookupFault(*faultName)
	if err != nil {
		return usagef("--fault: %v", err)
	}
	if err := checkFormat(*format, "json", "markdown"); err != nil {
		return err
	}
	if *wait <= 0 || *warmup < 0 || *rate <= 0 || *rate > 200 {
		return usagef("--wait must be positive, --warmup not negative, --rate between 0 and 200")
	}
	provider, err := pf.build(sio.getenv)
	if err != nil {
		return err
	}
	cfg := demo.Config{
		Fault: fault, Source: *source, WorkDir: *keep, Timeout: *wait, Warmup: max(*warmup, time.Millisecond),
		Rate: *rate, PrometheusBin: *promBin, JaegerBin: *jaegerBin, NoTraces: !*traces, Provider: provider,
		ExplainProgress: progressPrinter(sio, *quiet),
	}
	if !*quiet {
		cfg.Progress = sio.errOut
	}
	res, err := demo.Run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("demo %s: %w", fault.Name, err)
	}
	reportDegraded(sio, res.Explanation, *quiet)
	if *format == "json" {
		return writeJSON(sio.out, res.Explanation)
	}
	return writeMarkdown(sio.out, res.Explanation)
}
