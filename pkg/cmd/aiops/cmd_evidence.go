package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/finops"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/promlocal"
	"github.com/cloudobs/aiops-app/pkg/scenario"
)

func evidenceCommand() command {
	return command{
		name:    "evidence",
		summary: "collect the evidence of an alert (target, pods, events, rollouts, nodes, logs, metrics) and print it as JSON",
		run:     runEvidence,
	}
}

func runEvidence(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "evidence", "--alert FILE|- [--kubeconfig F] [--context C] [--in-cluster|--no-kube] [--prometheus-url U] [--loki-url U] [--log-files PATTERN] [--now RFC3339] [limits]\n   or: aiops evidence --scenario DIR [limits]")
	alertPath := fs.String("alert", "", "alert context, Alertmanager webhook or Grafana alert instance (JSON), - for standard input (required unless --scenario)")
	scenarioDir := fs.String("scenario", "", "a recorded incident (scenario fixture directory): its alert at its time, its kube/ and logs/ served locally, its metrics.om in a local Prometheus when installed")
	src := addSourceFlags(fs)
	nowFlag := fs.String("now", "", "evaluation time, RFC3339, for replaying a recorded incident (default $AIOPS_NOW or the wall clock)")
	var opt evidence.Options
	fs.IntVar(&opt.MaxPods, "max-pods", evidence.DefaultMaxPods, "most pods examined, unhealthiest first")
	fs.DurationVar(&opt.LogLookback, "log-lookback", evidence.DefaultLogLookback, "logs from this long before the alert started")
	fs.Int64Var(&opt.LogMaxBytes, "log-max-bytes", evidence.DefaultLogMaxBytes, "bytes of log kept per container (the newest)")
	fs.DurationVar(&opt.RolloutWindow, "rollout-window", evidence.DefaultRolloutWindow, "rollouts and events from this long before the alert started")
	fs.DurationVar(&opt.SourceTimeout, "source-timeout", evidence.DefaultSourceTimeout, "time limit of each source")
	fs.DurationVar(&opt.OverallTimeout, "timeout", evidence.DefaultOverallTimeout, "time limit of the whole collection")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *alertPath == "" && *scenarioDir == "" {
		return usagef("--alert is required (a file, or - for standard input), or --scenario DIR")
	}
	if *alertPath != "" && *scenarioDir != "" {
		return usagef("--alert and --scenario exclude each other")
	}
	if src.inCluster && src.noKube {
		return usagef("--in-cluster and --no-kube exclude each other")
	}
	for name, d := range map[string]time.Duration{"--log-lookback": opt.LogLookback, "--rollout-window": opt.RolloutWindow,
		"--source-timeout": opt.SourceTimeout, "--timeout": opt.OverallTimeout} {
		if d <= 0 {
			return usagef("%s must be positive, like 15m or 5s", name)
		}
	}
	if opt.MaxPods <= 0 || opt.LogMaxBytes <= 0 {
		return usagef("--max-pods and --log-max-bytes must be positive")
	}
	if *scenarioDir != "" {
		return replayEvidence(ctx, sio, *scenarioDir, opt)
	}
	now, err := evaluationTime(*nowFlag, sio.getenv("AIOPS_NOW"))
	if err != nil {
		return err
	}
	a, skipped, err := readAlert(sio, *alertPath)
	if err != nil {
		return err
	}
	if skipped > 0 {
		fmt.Fprintf(sio.errOut, "aiops: the input holds %d more alerts; collecting for the first (%s)\n", skipped, a.Name())
	}
	sources, err := src.build(sio.getenv)
	if err != nil {
		return err
	}
	return collectAndPrint(ctx, sio, sources, opt, a, now)
}

func collectAndPrint(ctx context.Context, sio stdio, sources evidence.Sources, opt evidence.Options, a incident.Alert, now time.Time) error {
	bundle, err := evidence.NewGatherer(sources, opt).Collect(ctx, a, now)
	if err != nil {
		return usagef("--alert: %v", err)
	}
	for _, d := range bundle.Degraded {
		fmt.Fprintf(sio.errOut, "aiops: %s evidence is partial: %s\n", d.Source, d.Error)
	}
	return writeJSON(sio.out, bundle)
}

// replayEvidence collects a recorded incident's evidence the way the product
// would have: client-go against its objects and logs served on 127.0.0.1,
// the Prometheus client against its metrics in a local Prometheus.
func replayEvidence(ctx context.Context, sio stdio, dir string, opt evidence.Options) error {
	s, err := scenario.Load(dir)
	if err != nil {
		return usagef("--scenario: %v", err)
	}
	srv, err := scenario.ServeKube(s)
	if err != nil {
		return usagef("--scenario: %v", err)
	}
	defer srv.Close()
	var sources evidence.Sources
	if sources.Kube, err = kube.New(kube.Config{RESTConfig: srv.RESTConfig()}); err != nil {
		return fmt.Errorf("connect to the local Kubernetes API: %w", err)
	}
	metrics := filepath.Join(dir, scenario.MetricsFile)
	if _, statErr := os.Stat(metrics); statErr == nil {
		fmt.Fprintf(sio.errOut, "aiops: loading %s into a local Prometheus…\n", metrics)
		promSrv, err := promlocal.FromOpenMetrics(ctx, metrics, promlocal.Options{})
		switch {
		case errors.Is(err, promlocal.ErrNotInstalled):
			fmt.Fprintf(sio.errOut, "aiops: %v; collecting without metrics\n", err)
		case err != nil:
			return fmt.Errorf("%s: %w", metrics, err)
		default:
			defer promSrv.Close()
			if sources.Prom, err = prom.New(prom.Config{URL: promSrv.URL()}); err != nil {
				return fmt.Errorf("connect to the local Prometheus: %w", err)
			}
			if sources.Cost, err = evidence.NewCostSource(prom.Config{URL: promSrv.URL()}, finops.DefaultPricing()); err != nil {
				return fmt.Errorf("connect to the local Prometheus: %w", err)
			}
		}
	}
	return collectAndPrint(ctx, sio, sources, opt, s.Alert, s.Now)
}

// addSourceFlags registers the evidence source flags that explain also
// takes, with the same names and meanings.
func addSourceFlags(fs *flag.FlagSet) *explainSources {
	var src explainSources
	fs.StringVar(&src.kubeconfig, "kubeconfig", "", "kubeconfig file (default $KUBECONFIG or ~/.kube/config)")
	fs.StringVar(&src.kubeContext, "context", "", "kubeconfig context (default the current one)")
	fs.BoolVar(&src.inCluster, "in-cluster", false, "use the pod's service account instead of a kubeconfig")
	fs.BoolVar(&src.noKube, "no-kube", false, "do not read Kubernetes (labels and logs only)")
	fs.StringVar(&src.promURL, "prometheus-url", "", "Prometheus base URL (default $PROMETHEUS_URL; bearer token from $PROMETHEUS_TOKEN)")
	fs.StringVar(&src.lokiURL, "loki-url", "", "Loki base URL for logs (default $LOKI_URL; bearer token from $LOKI_TOKEN)")
	fs.StringVar(&src.lokiTenant, "loki-tenant", "", "Loki tenant (X-Scope-OrgID)")
	fs.StringVar(&src.logFiles, "log-files", "", "log file pattern with {namespace}/{pod}/{container} placeholders")
	return &src
}
