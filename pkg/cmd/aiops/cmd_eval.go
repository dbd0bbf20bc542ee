package main

import (
	"context"
	"fmt"
	"os/exec"
	"sync/atomic"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/scenario"
)

func evalCommand() command {
	return command{name: "eval", summary: "replay recorded incidents and score the explanations", run: runEval}
}

func runEval(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "eval", "--scenarios DIR [--provider P] [--format text|json] [--now RFC3339] [--parallel N] [--min-accuracy F]")
	dir := fs.String("scenarios", "", "a scenario directory, or a directory holding several (required)")
	format := fs.String("format", "text", "output: text (one line per scenario, then the accuracy line) or json")
	nowFlag := fs.String("now", "", "evaluation time for every scenario, RFC3339 (default $AIOPS_NOW, else each scenario's own now)")
	parallel := fs.Int("parallel", scenario.DefaultParallel, "scenarios replayed at once (each runs its own Prometheus)")
	minAccuracy := fs.Float64("min-accuracy", 0, "fail (exit 1) when category or entity accuracy is below this share, e.g. 0.9")
	quiet := fs.Bool("quiet", false, "no progress lines on stderr")
	pf := addProviderFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return usagef("--scenarios is required")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	if *parallel < 1 {
		return usagef("--parallel must be at least 1")
	}
	if *minAccuracy < 0 || *minAccuracy > 1 {
		return usagef("--min-accuracy is a share between 0 and 1")
	}
	override, err := evalTime(*nowFlag, sio.getenv("AIOPS_NOW"))
	if err != nil {
		return err
	}
	provider, err := pf.build(sio.getenv)
	if err != nil {
		return err
	}
	scenarios, err := scenario.LoadAll(*dir)
	if err != nil {
		return fmt.Errorf("load scenarios: %w", err)
	}
	if !override.IsZero() {
		for _, s := range scenarios {
			s.Now = override
		}
	}

	replayer := &scenario.Replayer{Provider: provider}
	if missing := missingPrometheus(); missing != "" {
		replayer.WithoutMetrics = true
		fmt.Fprintf(sio.errOut, "aiops eval: WARNING: %s not installed, replaying WITHOUT METRICS: accuracy will be lower (apt-get install prometheus)\n", missing)
	}
	var finished atomic.Int32
	opts := scenario.EvalOptions{Parallel: *parallel}
	if !*quiet {
		replayer.Degraded = func(s *scenario.Scenario, d incident.Degraded) {
			fmt.Fprintf(sio.errOut, "aiops eval: %s: evidence source %s degraded: %s\n", s.Name, d.Source, oneLine(d.Error))
		}
		opts.Done = func(r scenario.Result) {
			status := "ok"
			switch {
			case r.Error != "":
				status = "error: " + oneLine(r.Error)
			case !r.Category.OK || !r.Entity.OK:
				status = "wrong"
			}
			fmt.Fprintf(sio.errOut, "[%d/%d] %s: %s\n", finished.Add(1), len(scenarios), r.Name, status)
		}
	}
	start := time.Now()
	rep := scenario.Evaluate(ctx, scenarios, replayer, opts)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("evaluation interrupted: %w", err)
	}
	if !*quiet {
		fmt.Fprintf(sio.errOut, "aiops eval: %d scenarios in %s\n", len(scenarios), time.Since(start).Round(100*time.Millisecond))
	}
	if *format == "json" {
		err = scenario.WriteJSON(sio.out, rep)
	} else {
		err = scenario.WriteText(sio.out, rep)
	}
	if err != nil {
		return err
	}
	sum := rep.Summary
	if sum.CategoryAccuracy() < *minAccuracy || sum.EntityAccuracy() < *minAccuracy {
		return fmt.Errorf("accuracy below %.2f: category %.2f, entity %.2f (see the scenarios marked FAIL)",
			*minAccuracy, sum.CategoryAccuracy(), sum.EntityAccuracy())
	}
	return nil
}

// evalTime reads --now, else $AIOPS_NOW; zero means each scenario's own time.
func evalTime(flagValue, envValue string) (time.Time, error) {
	v, source := flagValue, "--now"
	if v == "" {
		v, source = envValue, "AIOPS_NOW"
	}
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usagef("%s must be an RFC3339 time such as 2026-11-20T10:05:00Z: %v", source, err)
	}
	return t, nil
}

// missingPrometheus names the binary replays need that is not on PATH.
func missingPrometheus() string {
	for _, bin := range []string{"prometheus", "promtool"} {
		if _, err := exec.LookPath(bin); err != nil {
			return bin
		}
	}
	return ""
}
