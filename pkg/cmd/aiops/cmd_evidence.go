package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence"
)

func evidenceCommand() command {
	return command{
		name:    "evidence",
		summary: "collect the evidence of an alert (target, pods, events, rollouts, nodes, logs, metrics) and print it as JSON",
		run:     runEvidence,
	}
}

func runEvidence(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "evidence", "--alert FILE|- [--kubeconfig F] [--context C] [--in-cluster|--no-kube] [--prometheus-url U] [--loki-url U] [--log-files PATTERN] [--now RFC3339] [limits]")
	alertPath := fs.String("alert", "", "alert context, Alertmanager webhook or Grafana alert instance (JSON), - for standard input (required)")
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
	if *alertPath == "" {
		return usagef("--alert is required (a file, or - for standard input)")
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
	bundle, err := evidence.NewGatherer(sources, opt).Collect(ctx, a, now)
	if err != nil {
		return usagef("--alert: %v", err)
	}
	for _, d := range bundle.Degraded {
		fmt.Fprintf(sio.errOut, "aiops: %s evidence is partial: %s\n", d.Source, d.Error)
	}
	return writeJSON(sio.out, bundle)
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
