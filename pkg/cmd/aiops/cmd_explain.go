package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/alert"
	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/file"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource/loki"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/finops"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

func explainCommand() command {
	return command{
		name:    "explain",
		summary: "explain a firing alert from its Kubernetes, Prometheus and log evidence",
		run:     runExplain,
	}
}

// explainSources are the evidence source flags of explain.
type explainSources struct {
	kubeconfig  string
	kubeContext string
	inCluster   bool
	noKube      bool
	promURL     string
	lokiURL     string
	lokiTenant  string
	logFiles    string
}

func runExplain(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "explain", "--alert FILE|- [--kubeconfig F] [--context C] [--prometheus-url U] [--provider P] [--model M] [--format json|markdown] [--now RFC3339] [--store DSN]")
	alertPath := fs.String("alert", "", "alert context, Alertmanager webhook or Grafana alert instance (JSON), - for standard input (required)")
	src := addSourceFlags(fs)
	nowFlag := fs.String("now", "", "evaluation time, RFC3339, for replaying a recorded incident (default $AIOPS_NOW or the wall clock)")
	format := fs.String("format", "json", "json (the explanation) or markdown")
	quiet := fs.Bool("quiet", false, "do not report progress on standard error")
	storeFlag := addStoreFlag(fs)
	pf := addProviderFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *alertPath == "" {
		return usagef("--alert is required (a file, or - for standard input)")
	}
	if err := checkFormat(*format, "json", "markdown"); err != nil {
		return err
	}
	if src.inCluster && src.noKube {
		return usagef("--in-cluster and --no-kube exclude each other")
	}
	now, err := evaluationTime(*nowFlag, sio.getenv("AIOPS_NOW"))
	if err != nil {
		return err
	}
	provider, err := pf.build(sio.getenv)
	if err != nil {
		return err
	}
	a, skipped, err := readAlert(sio, *alertPath)
	if err != nil {
		return err
	}
	if skipped > 0 && !*quiet {
		fmt.Fprintf(sio.errOut, "aiops: the input holds %d more alerts; explaining the first (%s)\n", skipped, a.Name())
	}
	sources, err := src.build(sio.getenv)
	if err != nil {
		return err
	}
	// Opened before the model is asked, so a wrong --store costs nothing.
	st, err := openRecordingStore(ctx, *storeFlag, sio.getenv)
	if err != nil {
		return err
	}
	if st != nil {
		defer st.Close()
	}
	eng := engine.Open(config.DefaultSettings(), engine.Options{Sources: &sources, Provider: provider, Now: func() time.Time { return now }})
	defer eng.Close()
	ex, err := eng.Explain(ctx, engine.Request{Alert: a, Progress: progressPrinter(sio, *quiet)})
	if err != nil {
		return fmt.Errorf("explain %s: %w", a.Name(), err)
	}
	reportDegraded(sio, ex, *quiet)
	if *format == "markdown" {
		err = writeMarkdown(sio.out, ex)
	} else {
		err = writeJSON(sio.out, ex)
	}
	if err != nil || st == nil {
		return err
	}
	if err := recordExplanation(ctx, st, ex); err != nil {
		return fmt.Errorf("the explanation was printed but not recorded: %w", err)
	}
	return nil
}

// build connects the configured sources; a source that is not configured is
// left out (and the gatherer notes what is missing).
func (s explainSources) build(getenv func(string) string) (evidence.Sources, error) {
	var out evidence.Sources
	mode := kube.ModeKubeconfig
	switch {
	case s.noKube:
		mode = kube.ModeOff
	case s.inCluster:
		mode = kube.ModeInCluster
	}
	kc, err := kube.New(kube.Config{Mode: mode, KubeconfigPath: s.kubeconfig, Context: s.kubeContext})
	if err != nil {
		return out, fmt.Errorf("kubernetes: %w (or pass --no-kube to explain from Prometheus and logs only)", err)
	}
	out.Kube = kc
	if u := firstSet(s.promURL, getenv("PROMETHEUS_URL")); u != "" {
		cfg := prom.Config{URL: u}
		if tok := getenv("PROMETHEUS_TOKEN"); tok != "" {
			cfg.AuthType, cfg.BearerToken = "bearer", tok
		}
		pc, err := prom.New(cfg)
		if err != nil {
			return out, fmt.Errorf("prometheus: %w", err)
		}
		out.Prom = pc
		if out.Cost, err = evidence.NewCostSource(cfg, finops.DefaultPricing()); err != nil {
			return out, err
		}
	}
	if u := firstSet(s.lokiURL, getenv("LOKI_URL")); u != "" {
		src, err := loki.New(loki.Config{URL: u, TenantID: s.lokiTenant, BearerToken: getenv("LOKI_TOKEN")})
		if err != nil {
			return out, fmt.Errorf("loki: %w", err)
		}
		out.Logs = append(out.Logs, src)
	}
	if s.logFiles != "" {
		src, err := file.New(file.Config{Pattern: s.logFiles})
		if err != nil {
			return out, fmt.Errorf("--log-files: %w", err)
		}
		out.Logs = append(out.Logs, logsource.Source(src))
	}
	return out, nil
}

// readAlert parses the alert input; a webhook may carry several alerts, of
// which the first is explained and the rest counted.
func readAlert(sio stdio, path string) (incident.Alert, int, error) {
	in, err := openInput(sio, path)
	if err != nil {
		return incident.Alert{}, 0, err
	}
	defer in.Close()
	alerts, err := alert.Parse(in)
	if err != nil {
		if alert.IsInputError(err) || errors.Is(err, alert.ErrTooLarge) {
			return incident.Alert{}, 0, usagef("--alert: %v", err)
		}
		return incident.Alert{}, 0, fmt.Errorf("read alert: %w", err)
	}
	if len(alerts) == 0 {
		return incident.Alert{}, 0, usagef("--alert: the input holds no alert")
	}
	return alerts[0], len(alerts) - 1, nil
}

// evaluationTime is --now, else $AIOPS_NOW, else the wall clock.
func evaluationTime(flagValue, env string) (time.Time, error) {
	v := firstSet(flagValue, env)
	if v == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usagef("--now (or AIOPS_NOW) %q is not an RFC3339 time like 2026-11-20T10:05:00Z", v)
	}
	return t, nil
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// progressPrinter reports the pipeline's stages on standard error and, while
// the model answers, the summary as it is written.
func progressPrinter(sio stdio, quiet bool) explain.Progress {
	if quiet {
		return nil
	}
	streaming := false
	labels := map[string]string{
		explain.StageResolving:   "resolving the alert's target",
		explain.StageCollecting:  "collecting evidence",
		explain.StageAnalyzing:   "analysing",
		explain.StageAskingModel: "asking the model",
	}
	return func(stage, token string) {
		if token != "" {
			if !streaming {
				fmt.Fprint(sio.errOut, "  ")
				streaming = true
			}
			fmt.Fprint(sio.errOut, token)
			return
		}
		if streaming {
			fmt.Fprintln(sio.errOut)
			streaming = false
		}
		if label, ok := labels[stage]; ok {
			fmt.Fprintf(sio.errOut, "aiops: %s…\n", label)
		}
	}
}

// reportDegraded says on standard error which sources (or the model) could
// not be used, so a partial answer is not mistaken for a complete one.
func reportDegraded(sio stdio, ex incident.Explanation, quiet bool) {
	if quiet {
		return
	}
	for _, d := range ex.Degraded {
		fmt.Fprintf(sio.errOut, "aiops: %s was not usable: %s\n", d.Source, oneLine(d.Error))
	}
}

// writeMarkdown renders an explanation for a terminal or a chat message.
func writeMarkdown(w io.Writer, ex incident.Explanation) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "## %s\n\n", oneLine(ex.Summary))
	rc := ex.RootCause
	fmt.Fprintf(&sb, "**Root cause:** %s — %s (confidence %.0f%%)\n\n", rc.Category, entityLabel(rc.Entity), 100*rc.Confidence)
	if rc.Description != "" {
		fmt.Fprintf(&sb, "%s\n\n", rc.Description)
	}
	if len(ex.NextSteps) > 0 {
		sb.WriteString("### Next steps\n\n")
		for i, s := range ex.NextSteps {
			fmt.Fprintf(&sb, "%d. %s\n", i+1, oneLine(s.Text))
			if s.Command != "" {
				fmt.Fprintf(&sb, "   `%s`\n", strings.ReplaceAll(oneLine(s.Command), "`", "'"))
			}
		}
		sb.WriteString("\n")
	}
	if len(ex.Findings) > 0 {
		sb.WriteString("### Findings\n\n")
		for _, f := range ex.Findings {
			fmt.Fprintf(&sb, "- **%s** %s: %s [%s]\n", f.Severity, f.Category, oneLine(f.Title), strings.Join(f.Evidence, ", "))
		}
		sb.WriteString("\n")
	}
	if len(ex.Evidence) > 0 {
		sb.WriteString("### Evidence\n\n")
		for _, e := range ex.Evidence {
			count := ""
			if e.Count > 1 {
				count = fmt.Sprintf(" (×%d)", e.Count)
			}
			fmt.Fprintf(&sb, "- `%s` %s %s: %s%s\n", e.ID, e.Kind, entityLabel(e.Entity), oneLine(clipLine(e.Text, 300)), count)
		}
		sb.WriteString("\n")
	}
	for _, d := range ex.Degraded {
		fmt.Fprintf(&sb, "> degraded: %s: %s\n", d.Source, oneLine(d.Error))
	}
	for _, n := range ex.Notes {
		fmt.Fprintf(&sb, "> note: %s\n", oneLine(n))
	}
	provider := ex.Provider.Name
	if ex.Provider.Model != "" {
		provider += " " + ex.Provider.Model
	}
	fmt.Fprintf(&sb, "\n_%s · %d prompt + %d completion tokens · $%.4f · %d ms_\n", provider,
		ex.Usage.PromptTokens, ex.Usage.CompletionTokens, ex.Usage.CostUSD, ex.Timings.TotalMs)
	if c := ex.IncidentCost; c.TotalUSD > 0 {
		fmt.Fprintf(&sb, "_incident cost so far: $%.4f (compute $%.4f: %s; AI $%.4f)_\n", c.TotalUSD, c.ComputeUSD, c.Basis, c.LLMUSD)
	}
	if _, err := io.WriteString(w, sb.String()); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func entityLabel(e incident.Entity) string {
	if e.IsZero() {
		if e.Namespace != "" {
			return "namespace " + e.Namespace
		}
		return "(no entity)"
	}
	return e.String()
}

func clipLine(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
