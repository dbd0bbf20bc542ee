package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/watch"
)

func watchCommand() command {
	return command{
		name:    "watch",
		summary: "tail the logs of namespaces and print new error templates and template surges as they appear",
		run:     runWatch,
	}
}

func runWatch(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "watch", "--namespace N[,M] [--selector app=x] [--kubeconfig F] [--context C] [--in-cluster] [--interval 30s] [--format text|json] [--polls N] [--now RFC3339]")
	namespaces := fs.String("namespace", "", "comma-separated namespaces to watch (default $POD_NAMESPACE)")
	selector := fs.String("selector", "", "label selector of the pods, e.g. app=order-service (default all pods)")
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file (default $KUBECONFIG or ~/.kube/config)")
	kubeContext := fs.String("context", "", "kubeconfig context")
	inCluster := fs.Bool("in-cluster", false, "use the pod's service account")
	def := watch.DefaultOptions()
	interval := fs.Duration("interval", def.Interval, "time between polls; each reads what was written since the last")
	maxPods := fs.Int("max-containers", def.MaxContainers, "containers watched per namespace")
	warmUp := fs.Int("warm-up", def.WarmUpPolls, "polls that only learn each workload's templates")
	factor := fs.Float64("surge-factor", def.SurgeFactor, "a template surges at this many times its baseline rate")
	minSurge := fs.Int("min-surge", def.MinSurgeCount, "and at least this many lines in one poll")
	format := fs.String("format", "text", "text: one line per finding; json: one JSON object per line")
	polls := fs.Int("polls", 0, "stop after this many polls (default: until interrupted)")
	nowFlag := fs.String("now", "", "replay: start the clock at this RFC3339 time and advance it one interval per poll without waiting")
	quiet := fs.Bool("quiet", false, "do not report progress and problems on standard error")
	err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var nsList []string
	for _, ns := range strings.Split(firstSet(*namespaces, sio.getenv("POD_NAMESPACE")), ",") {
		if ns = strings.TrimSpace(ns); ns != "" {
			nsList = append(nsList, ns)
		}
	}
	if len(nsList) == 0 {
		return usagef("--namespace is required")
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	if *polls < 0 {
		return usagef("--polls must not be negative")
	}
	replay := *nowFlag != ""
	var replayAt time.Time
	now := time.Now
	if replay {
		if replayAt, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
			return usagef("--now %q is not an RFC3339 time", *nowFlag)
		}
		now = func() time.Time { return replayAt }
	}
	opt := watch.Options{
		Namespaces: nsList, Selector: strings.TrimSpace(*selector), Interval: *interval, MaxContainers: *maxPods,
		WarmUpPolls: *warmUp, SurgeFactor: *factor, MinSurgeCount: *minSurge, Now: now,
	}
	mode := kube.ModeKubeconfig
	if *inCluster {
		mode = kube.ModeInCluster
	}
	col, err := kube.New(kube.Config{Mode: mode, KubeconfigPath: *kubeconfig, Context: *kubeContext})
	if err != nil {
		return fmt.Errorf("kubernetes configuration (pass --kubeconfig, or --in-cluster in a pod): %w", err)
	}
	w, err := watch.New(watch.KubeSource{Collector: col}, opt)
	if err != nil {
		return usagef("%s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	print := watchPrinter(sio, *format)
	for n := 0; *polls == 0 || n < *polls; n++ {
		found, err := w.Poll(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if n == 0 && w.Watched() == 0 {
			if err != nil {
				return fmt.Errorf("watch: %w", err)
			}
			return fmt.Errorf("no pods match %s in %s", describeSelector(opt.Selector), strings.Join(nsList, ", "))
		}
		if err != nil && !*quiet {
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(sio.errOut, "aiops: watch: %s\n", line)
			}
		}
		if n == 0 && !*quiet {
			fmt.Fprintf(sio.errOut, "aiops: watching %d containers in %s every %s (first %d polls learn the templates)\n",
				w.Watched(), strings.Join(nsList, ", "), w.Options().Interval, w.Options().WarmUpPolls)
		}
		for _, f := range found {
			if err := print(f); err != nil {
				return err
			}
		}
		if replay {
			replayAt = replayAt.Add(w.Options().Interval)
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(w.Options().Interval):
		}
	}
	return nil
}

func describeSelector(sel string) string {
	if sel == "" {
		return "any pod"
	}
	return "selector " + sel
}

// watchPrinter writes one finding per line, as text or JSON.
func watchPrinter(sio stdio, format string) func(incident.WatchFinding) error {
	enc := json.NewEncoder(sio.out)
	return func(f incident.WatchFinding) error {
		var err error
		if format == "json" {
			err = enc.Encode(f)
		} else {
			_, err = fmt.Fprintf(sio.out, "%s %s %s/%s %s/%s: %s\n", f.At.UTC().Format(time.RFC3339), f.Kind,
				f.Namespace, f.Workload, f.Pod, f.Container, f.Finding.Detail)
		}
		if err != nil {
			return errors.Join(errors.New("write finding"), err)
		}
		return nil
	}
}
