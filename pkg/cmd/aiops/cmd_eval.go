package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/scenario"
	"github.com/cloudobs/aiops-app/pkg/store"
)

func evalCommand() command {
	return command{name: "eval", summary: "replay recorded incidents and score the explanations", run: runEval}
}

func runEval(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "eval", "--scenarios DIR [--heldout DIR]... [--provider P] [--format text|json] [--now RFC3339] [--parallel N] [--min-accuracy F] [--store DSN]")
	dir := fs.String("scenarios", "", "a scenario directory, or a directory holding several (required)")
	var heldoutDirs dirList
	fs.Var(&heldoutDirs, "heldout", "a scenario set scored apart: incidents the analyzers were not tuned on (e.g. testdata/heldout2); repeat for several sets")
	format := fs.String("format", "text", "output: text (one line per scenario, then the accuracy line) or json")
	nowFlag := fs.String("now", "", "evaluation time for every scenario, RFC3339 (default $AIOPS_NOW, else each scenario's own now)")
	parallel := fs.Int("parallel", scenario.DefaultParallel, "scenarios replayed at once (each runs its own Prometheus)")
	minAccuracy := fs.Float64("min-accuracy", 0, "fail (exit 1) when category or entity accuracy of any set is below this share, e.g. 0.9")
	quiet := fs.Bool("quiet", false, "no progress lines on stderr")
	storeFlag := addStoreFlag(fs)
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
	sets := []evalSet{{label: "in-sample", dir: *dir}}
	for _, d := range heldoutDirs {
		sets = append(sets, evalSet{label: "held-out", dir: d})
	}
	for i := range sets {
		if sets[i].scenarios, err = scenario.LoadAll(sets[i].dir); err != nil {
			return fmt.Errorf("load %s scenarios: %w", sets[i].label, err)
		}
		if !override.IsZero() {
			for _, s := range sets[i].scenarios {
				s.Now = override
			}
		}
	}

	st, err := openRecordingStore(ctx, *storeFlag, sio.getenv)
	if err != nil {
		return err
	}
	if st != nil {
		defer st.Close()
	}
	replayer := &scenario.Replayer{Provider: provider}
	if missing := missingPrometheus(); missing != "" {
		replayer.WithoutMetrics = true
		fmt.Fprintf(sio.errOut, "aiops eval: WARNING: %s not installed, replaying WITHOUT METRICS: accuracy will be lower (apt-get install prometheus)\n", missing)
	}
	if !*quiet {
		replayer.Degraded = func(s *scenario.Scenario, d incident.Degraded) {
			fmt.Fprintf(sio.errOut, "aiops eval: %s: evidence source %s degraded: %s\n", s.Name, d.Source, oneLine(d.Error))
		}
	}
	start := time.Now()
	total := 0
	for i := range sets {
		set := &sets[i]
		total += len(set.scenarios)
		var finished atomic.Int32
		opts := scenario.EvalOptions{Parallel: *parallel}
		if !*quiet {
			prefix := ""
			if len(sets) > 1 {
				prefix = set.label + " "
			}
			opts.Done = func(r scenario.Result) {
				fmt.Fprintf(sio.errOut, "%s[%d/%d] %s: %s\n", prefix, finished.Add(1), len(set.scenarios), r.Name, resultStatus(r))
			}
		}
		set.report = scenario.Evaluate(ctx, set.scenarios, recording(replayer, st), opts)
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("evaluation interrupted: %w", err)
		}
	}
	if !*quiet {
		fmt.Fprintf(sio.errOut, "aiops eval: %d scenarios in %s\n", total, time.Since(start).Round(100*time.Millisecond))
	}
	if err := writeEval(sio, *format, sets); err != nil {
		return err
	}
	for _, set := range sets {
		sum := set.report.Summary
		if sum.CategoryAccuracy() < *minAccuracy || sum.EntityAccuracy() < *minAccuracy {
			return fmt.Errorf("%s accuracy below %.2f: category %.2f, entity %.2f (see the scenarios marked FAIL)",
				set.label, *minAccuracy, sum.CategoryAccuracy(), sum.EntityAccuracy())
		}
	}
	return nil
}

// evalSet is one scored set of scenarios: the in-sample corpus, or the
// held-out one scored apart so that tuning on one cannot hide in the other.
type evalSet struct {
	label, dir string
	scenarios  []*scenario.Scenario
	report     scenario.Report
}

// evalOutput is `aiops eval --format json`: the contract's report of the
// --scenarios set; with --heldout, "heldout" is the first held-out set's report
// and "heldoutSets" names and reports every held-out set in flag order.
type evalOutput struct {
	scenario.Report
	Heldout     *scenario.Report `json:"heldout,omitempty"`
	HeldoutSets []heldoutReport  `json:"heldoutSets,omitempty"`
}

type heldoutReport struct {
	Dir string `json:"dir"`
	scenario.Report
}

// dirList is a repeatable directory flag.
type dirList []string

func (d *dirList) String() string { return strings.Join(*d, ",") }

func (d *dirList) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("want a directory")
	}
	*d = append(*d, v)
	return nil
}

// writeEval prints the sets. In text, each set after the first follows a
// header line naming it, and each ends in its own accuracy line, so the last
// line is the accuracy of the last set.
func writeEval(sio stdio, format string, sets []evalSet) error {
	if format == "json" {
		out := evalOutput{Report: sets[0].report}
		if len(sets) > 1 {
			out.Heldout = &sets[1].report
		}
		for _, set := range sets[1:] {
			out.HeldoutSets = append(out.HeldoutSets, heldoutReport{Dir: set.dir, Report: set.report})
		}
		return scenario.WriteJSON(sio.out, out)
	}
	for i, set := range sets {
		if len(sets) > 1 {
			if i > 0 {
				fmt.Fprintln(sio.out)
			}
			fmt.Fprintf(sio.out, "# %s: %s (%d scenarios)\n", set.label, set.dir, len(set.scenarios))
		}
		if err := scenario.WriteText(sio.out, set.report); err != nil {
			return err
		}
	}
	return nil
}

func resultStatus(r scenario.Result) string {
	switch {
	case r.Error != "":
		return "error: " + oneLine(r.Error)
	case !r.Category.OK || !r.Entity.OK:
		return "wrong"
	}
	return "ok"
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

// recording makes ex also keep each explanation in st (when there is one);
// a scenario whose explanation cannot be kept fails.
func recording(ex scenario.Explainer, st *store.Store) scenario.Explainer {
	if st == nil {
		return ex
	}
	return scenario.ExplainerFunc(func(ctx context.Context, s *scenario.Scenario) (incident.Explanation, error) {
		e, err := ex.Explain(ctx, s)
		if err != nil {
			return e, err
		}
		if err := recordExplanation(ctx, st, e); err != nil {
			return e, fmt.Errorf("record the explanation: %w", err)
		}
		return e, nil
	})
}
