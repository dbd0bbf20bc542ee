package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Bounds of one feed run. The plugin's resource API takes bodies of at
// most 1 MiB, so the logs sent are the newest that fit below that.
const (
	feedMaxPods        = 20
	feedMaxSendBytes   = 900 << 10
	feedPerContainer   = 256 << 10
	feedRequestTimeout = 2 * time.Minute
	feedMaxAnswerBytes = 4 << 20
	summarizePath      = "/api/plugins/cloudobs-aiops-app/resources/summarize"
)

func feedCommand() command {
	return command{
		name:    "feed",
		summary: "read the recent logs of services' pods and summarise them, through Grafana or locally (a Job/CronJob)",
		run:     runFeed,
	}
}

func runFeed(ctx context.Context, sio stdio, args []string) error {
	fs := newFlagSet(sio, "feed", "--namespace N [--selector app=x | --services a,b] [--since 15m] [--grafana-url U --token T] [--format json|markdown]")
	namespace := fs.String("namespace", "", "namespace of the services (default $POD_NAMESPACE)")
	selector := fs.String("selector", "", "label selector of the pods, e.g. app=order-service")
	services := fs.String("services", "", "comma-separated service names; pods labelled app or app.kubernetes.io/name with one of them")
	since := fs.Duration("since", 15*time.Minute, "how far back to read logs")
	tail := fs.Int64("tail", 2000, "most lines per container")
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig file (default $KUBECONFIG or ~/.kube/config)")
	kubeContext := fs.String("context", "", "kubeconfig context")
	inCluster := fs.Bool("in-cluster", false, "use the pod's service account (for a Job or CronJob)")
	grafanaURL := fs.String("grafana-url", "", "Grafana base URL; with it the logs go to the app's /summarize (default $GRAFANA_URL)")
	token := fs.String("token", "", "Grafana service-account token (default $GRAFANA_TOKEN)")
	format := fs.String("format", "json", "json: {summary, rootCause, category, nextSteps}; markdown")
	quiet := fs.Bool("quiet", false, "do not report progress on standard error")
	pf := addProviderFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ns := firstSet(*namespace, sio.getenv("POD_NAMESPACE"))
	if ns == "" {
		return usagef("--namespace is required")
	}
	sel, err := feedSelector(*selector, *services)
	if err != nil {
		return err
	}
	if err := checkFormat(*format, "json", "markdown"); err != nil {
		return err
	}
	if *since <= 0 || *tail <= 0 {
		return usagef("--since and --tail must be positive")
	}
	target := firstSet(*grafanaURL, sio.getenv("GRAFANA_URL"))
	tok := firstSet(*token, sio.getenv("GRAFANA_TOKEN"))
	if target != "" {
		if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("--grafana-url must be http(s)://host[:port]")
		}
		if tok == "" {
			return usagef("--token (or GRAFANA_TOKEN) is required with --grafana-url: create a service account with the Viewer role")
		}
	}

	cs, err := feedClient(*kubeconfig, *kubeContext, *inCluster)
	if err != nil {
		return err
	}
	logs, pods, problems, err := collectFeedLogs(ctx, cs, ns, sel, int64(since.Seconds()), *tail)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(sio.errOut, "aiops: could not read the log of %s\n", p)
	}
	if !*quiet {
		fmt.Fprintf(sio.errOut, "aiops: read %d bytes of logs from %d pods in %s (%s)\n", len(logs), pods, ns, sel)
	}
	if strings.TrimSpace(logs) == "" {
		return fmt.Errorf("the pods matching %s in %s wrote no logs in the last %s; widen --since or check the selector", sel, ns, *since)
	}

	var ex incident.Explanation
	if target != "" {
		ex, err = summarizeThroughGrafana(ctx, target, tok, keepNewest(logs, feedMaxSendBytes))
	} else {
		provider, perr := pf.build(sio.getenv)
		if perr != nil {
			return perr
		}
		eng := engine.Open(config.DefaultSettings(), engine.Options{Provider: provider})
		defer eng.Close()
		ex, err = eng.Summarize(ctx, logs, engine.Request{Progress: progressPrinter(sio, *quiet)})
	}
	if err != nil {
		return err
	}
	if *format == "markdown" {
		return writeMarkdown(sio.out, ex)
	}
	return writeJSON(sio.out, seedSummary(ex))
}

// feedSelector builds the pod selector from --selector or --services.
func feedSelector(selector, services string) (string, error) {
	selector, services = strings.TrimSpace(selector), strings.TrimSpace(services)
	switch {
	case selector != "" && services != "":
		return "", usagef("use --selector or --services, not both")
	case selector != "":
		return selector, nil
	case services == "":
		return "", usagef("--selector or --services is required")
	}
	var names []string
	for _, s := range strings.Split(services, ",") {
		if s = strings.TrimSpace(s); s != "" {
			names = append(names, s)
		}
	}
	return strings.Join(names, ","), nil
}

func feedClient(kubeconfig, kubeContext string, inCluster bool) (kubernetes.Interface, error) {
	var cfg *rest.Config
	var err error
	if inCluster {
		cfg, err = rest.InClusterConfig()
	} else {
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		if kubeconfig != "" {
			rules.ExplicitPath = kubeconfig
		}
		cfg, err = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: kubeContext}).ClientConfig()
	}
	if err != nil {
		return nil, fmt.Errorf("kubernetes configuration (pass --kubeconfig, or --in-cluster in a pod): %w", err)
	}
	cfg.UserAgent = "aiops-feed"
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	return cs, nil
}

// collectFeedLogs lists the pods and reads each container's recent log
// with timestamps, and the previous run's log of a container that
// restarted (the crash is usually there); the lines of all pods are merged
// in time order, each marked with its pod and container after its
// timestamp. A container whose log cannot be read is reported in problems
// and the others still count. sel is a label selector, or a comma list of
// service names (no '=').
func collectFeedLogs(ctx context.Context, cs kubernetes.Interface, ns, sel string, sinceSeconds, tail int64) (logs string, pods int, problems []string, err error) {
	var list []corev1.Pod
	selectors := []string{sel}
	if !strings.ContainsAny(sel, "=!()") {
		selectors = []string{"app in (" + sel + ")", "app.kubernetes.io/name in (" + sel + ")"}
	}
	seen := map[string]bool{}
	for _, s := range selectors {
		got, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: s, Limit: 500})
		if err != nil {
			return "", 0, nil, fmt.Errorf("list pods %s in %s: %w", s, ns, err)
		}
		for _, p := range got.Items {
			if !seen[p.Name] {
				seen[p.Name] = true
				list = append(list, p)
			}
		}
	}
	if len(list) == 0 {
		return "", 0, nil, fmt.Errorf("no pods match %s in namespace %s", sel, ns)
	}
	slices.SortFunc(list, func(a, b corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	list = list[:min(len(list), feedMaxPods)]
	var lines []string
	read := func(pod, container string, previous bool) {
		limit := int64(feedPerContainer)
		raw, err := cs.CoreV1().Pods(ns).GetLogs(pod, &corev1.PodLogOptions{Container: container, Timestamps: true, Previous: previous,
			SinceSeconds: &sinceSeconds, TailLines: &tail, LimitBytes: &limit}).DoRaw(ctx)
		source := pod + "/" + container
		if previous {
			source += " previous"
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %s", source, oneLine(err.Error())))
			return
		}
		for _, l := range strings.Split(string(raw), "\n") {
			if strings.TrimSpace(l) == "" {
				continue
			}
			// "<timestamp> [pod/container] text": the timestamp stays first,
			// so text order is time order and Summarize still reads it.
			if ts, text, ok := strings.Cut(l, " "); ok {
				l = ts + " [" + source + "] " + text
			}
			lines = append(lines, l)
		}
	}
	for _, p := range list {
		restarted := map[string]bool{}
		for _, st := range p.Status.ContainerStatuses {
			restarted[st.Name] = st.RestartCount > 0 || st.LastTerminationState.Terminated != nil
		}
		for _, c := range p.Spec.Containers {
			if restarted[c.Name] {
				read(p.Name, c.Name, true)
			}
			read(p.Name, c.Name, false)
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n", len(list), problems, nil
}

// keepNewest cuts s to its last max bytes at a line boundary.
func keepNewest(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := len(s) - max
	if s[cut-1] == '\n' {
		return s[cut:]
	}
	s = s[cut:]
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return ""
}

// summarizeThroughGrafana posts the logs to the app's /summarize resource.
func summarizeThroughGrafana(ctx context.Context, base, token, logs string) (incident.Explanation, error) {
	body, err := json.Marshal(map[string]string{"logs": logs})
	if err != nil {
		return incident.Explanation{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, feedRequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+summarizePath, bytes.NewReader(body))
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("summarize request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("reach Grafana at %s: %w", redactedHost(base), err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, feedMaxAnswerBytes))
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("read Grafana's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var env struct {
			Error   json.RawMessage `json:"error"`
			Message string          `json:"message"`
		}
		_ = json.Unmarshal(raw, &env)
		var inner struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(env.Error, &inner)
		msg := firstSet(inner.Message, env.Message, http.StatusText(resp.StatusCode))
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			msg += " (check the service-account token and that it has at least the Viewer role)"
		}
		return incident.Explanation{}, fmt.Errorf("grafana answered %d: %s", resp.StatusCode, msg)
	}
	var out struct {
		Explanation incident.Explanation `json:"explanation"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return incident.Explanation{}, fmt.Errorf("grafana's answer is not a summary: %w", err)
	}
	if out.Explanation.Summary == "" {
		return incident.Explanation{}, errors.New("grafana's answer holds no summary; is the cloudobs-aiops-app plugin enabled?")
	}
	return out.Explanation, nil
}

// redactedHost names the server without a path or credentials.
func redactedHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the given URL"
	}
	return u.Scheme + "://" + u.Host
}
