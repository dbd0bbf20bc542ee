// Package demo runs the no-Docker demo: it builds the sample services,
// supervises them like a small kubelet, serves their state through a local
// Kubernetes API, runs a real Prometheus with the repository's rules,
// injects a fault, waits for the alert and explains it with the same
// pipeline as the plugin.
package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/evidence/trace"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/kubeapi"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/promlocal"
)

// Namespace is where the demo's workloads live.
const Namespace = "demo"

// Defaults of Config.
const (
	DefaultTimeout        = 4 * time.Minute
	DefaultWarmup         = 40 * time.Second
	DefaultRate           = 10
	DefaultScrapeInterval = 5 * time.Second
)

// app is one sample service as the demo deploys it.
type app struct {
	name        string
	memoryLimit int64
	// deps are the environment variables naming other apps' URLs.
	deps map[string]string
	// serves is false for the load generator, which has no port.
	serves bool
}

var apps = []app{
	{name: "auth-service", memoryLimit: 96 << 20, serves: true},
	{name: "payment-service", memoryLimit: 96 << 20, serves: true},
	{name: "order-service", memoryLimit: 96 << 20, serves: true,
		deps: map[string]string{"AUTH_URL": "auth-service", "PAYMENT_URL": "payment-service"}},
	{name: "loadgen", memoryLimit: 128 << 20,
		deps: map[string]string{"AUTH_URL": "auth-service", "ORDER_URL": "order-service", "PAYMENT_URL": "payment-service"}},
}

// Config is one demo run.
type Config struct {
	Fault Fault
	// Source is the repository checkout; empty means found from the
	// working directory.
	Source string
	// WorkDir keeps binaries, logs and Prometheus data; empty means a
	// temporary directory removed at the end.
	WorkDir string
	// Timeout bounds the wait for the alert to fire (DefaultTimeout).
	Timeout time.Duration
	// Warmup is healthy traffic before a run-time fault is injected, so
	// the metrics have a baseline (DefaultWarmup).
	Warmup time.Duration
	// Rate is the load generator's journeys per second (DefaultRate).
	Rate float64
	// ScrapeInterval is Prometheus's scrape and rule evaluation interval.
	ScrapeInterval time.Duration
	Kubelet        KubeletOptions
	// PrometheusBin is the prometheus executable (default from PATH).
	PrometheusBin string
	// JaegerBin is the Jaeger executable (default: jaegerlocal.Binary's
	// search); without one the demo runs without traces.
	JaegerBin string
	// NoTraces runs the demo without Jaeger even when it is installed.
	NoTraces bool
	// Provider answers the explanation; nil is the offline provider.
	Provider llm.Provider
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
	// ExplainProgress receives the explain pipeline's stages.
	ExplainProgress explain.Progress
}

// Result is what a demo run produced.
type Result struct {
	Alert       incident.Alert
	Explanation incident.Explanation
}

// Run performs the whole demo and stops everything it started before
// returning, also when ctx is cancelled.
func Run(ctx context.Context, cfg Config) (Result, error) {
	cfg = cfg.withDefaults()
	say := func(format string, args ...any) {
		fmt.Fprintf(cfg.Progress, "demo: "+format+"\n", args...)
	}
	repo, err := FindRepository(cfg.Source)
	if err != nil {
		return Result{}, err
	}
	if _, err := exec.LookPath(firstNonEmpty(cfg.PrometheusBin, "prometheus")); err != nil {
		return Result{}, fmt.Errorf("%w; or pass --prometheus FILE", promlocal.ErrNotInstalled)
	}
	work, cleanup, err := workDir(cfg.WorkDir)
	if err != nil {
		return Result{}, err
	}
	defer cleanup()

	say("building the services from %s", repo)
	bins, err := build(ctx, repo, filepath.Join(work, "bin"))
	if err != nil {
		return Result{}, err
	}

	runCtx, stop := context.WithCancel(ctx)
	kopt := cfg.Kubelet
	kopt.LogDir = filepath.Join(work, "logs")
	kubelet, err := NewKubelet(kopt)
	if err != nil {
		stop()
		return Result{}, err
	}
	defer func() {
		say("stopping the services and Prometheus")
		stop()
		kubelet.Wait()
	}()

	metricsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, fmt.Errorf("listen for kubelet metrics: %w", err)
	}
	metricsSrv := &http.Server{Handler: MetricsHandler(kubelet), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = metricsSrv.Serve(metricsLn) }()
	defer metricsSrv.Close()

	var otlpEndpoint string
	jaeger := startJaeger(ctx, cfg, say)
	if jaeger != nil {
		defer jaeger.Close()
		otlpEndpoint = jaeger.OTLPEndpoint
	}

	specs, adminToken, err := containerSpecs(cfg, bins, otlpEndpoint)
	if err != nil {
		return Result{}, err
	}
	var targets []scrapeTarget
	for _, s := range specs {
		if s.Port > 0 {
			targets = append(targets, scrapeTarget{Addr: "127.0.0.1:" + strconv.Itoa(s.Port), Namespace: s.Namespace, Pod: s.Pod, App: s.App})
		}
	}
	rules, err := filepath.Glob(filepath.Join(repo, "deploy", "prometheus", "rules", "*.yml"))
	if err != nil || len(rules) == 0 {
		return Result{}, fmt.Errorf("no alert rules in %s/deploy/prometheus/rules", repo)
	}
	promConfig := filepath.Join(work, "prometheus.yml")
	if err := os.WriteFile(promConfig, []byte(prometheusConfig(cfg.ScrapeInterval, rules, targets, metricsLn.Addr().String())), 0o644); err != nil {
		return Result{}, fmt.Errorf("write prometheus config: %w", err)
	}

	say("starting %d pods in namespace %s", len(specs), Namespace)
	for _, s := range specs {
		if err := kubelet.Run(runCtx, s); err != nil {
			return Result{}, err
		}
	}
	say("starting Prometheus (scrape and evaluation every %s, rules from %s)", cfg.ScrapeInterval, filepath.Join(repo, "deploy", "prometheus", "rules"))
	promSrv, err := promlocal.Start(ctx, promConfig, promlocal.Options{PrometheusBin: cfg.PrometheusBin, DataDir: filepath.Join(work, "prometheus-data")})
	if err != nil {
		return Result{}, fmt.Errorf("start prometheus: %w", err)
	}
	defer promSrv.Close()
	say("Prometheus at %s", promSrv.URL())

	client := &http.Client{Timeout: 5 * time.Second}
	if err := waitHealthy(ctx, client, specs, cfg.Fault, say); err != nil {
		return Result{}, err
	}
	servicesUp := time.Now()
	faultAt := servicesUp
	if cfg.Fault.Runtime != "" {
		say("healthy traffic for %s, so the metrics have a baseline", cfg.Warmup)
		if err := sleep(ctx, cfg.Warmup); err != nil {
			return Result{}, err
		}
		target := specByApp(specs, cfg.Fault.Target)
		say("injecting fault %q: %s", cfg.Fault.Name, cfg.Fault.Description)
		faultAt = time.Now()
		if err := injectFault(ctx, client, target.Port, adminToken, cfg.Fault.Runtime); err != nil {
			return Result{}, err
		}
	} else {
		say("fault %q is built in from the start: %s", cfg.Fault.Name, cfg.Fault.Description)
	}

	firing, err := waitFiring(ctx, client, promSrv.URL(), cfg.Fault, cfg.Timeout, say)
	if err != nil {
		return Result{}, err
	}
	say("%s is firing (active since %s); explaining it", cfg.Fault.selector(), firing.StartsAt.Format(time.RFC3339))
	tl := timeline{servicesUp: servicesUp, faultAt: faultAt}
	if jaeger != nil {
		tl.jaegerURL = jaeger.QueryURL
	}
	ex, err := explainNow(ctx, cfg, kubelet, promSrv.URL(), firing, tl)
	if err != nil {
		return Result{}, err
	}
	return Result{Alert: firing, Explanation: ex}, nil
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Warmup <= 0 {
		c.Warmup = DefaultWarmup
	}
	if c.Rate <= 0 {
		c.Rate = DefaultRate
	}
	if c.ScrapeInterval < time.Second {
		c.ScrapeInterval = DefaultScrapeInterval
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return c
}

// timeline is when the demo's services came up and the fault began, and
// where their traces are ("" without Jaeger).
type timeline struct {
	servicesUp, faultAt time.Time
	jaegerURL           string
}

// explainNow snapshots the kubelet into a Kubernetes API and runs the
// explain pipeline against it, the demo's Prometheus and its Jaeger.
func explainNow(ctx context.Context, cfg Config, k *Kubelet, promURL string, a incident.Alert, tl timeline) (incident.Explanation, error) {
	now := time.Now().UTC()
	pods, events := k.Snapshot()
	objs, err := Objects(pods, events, now)
	if err != nil {
		return incident.Explanation{}, err
	}
	logs, err := Logs(k, pods)
	if err != nil {
		return incident.Explanation{}, err
	}
	api, err := kubeapi.New(kubeapi.Config{Objects: objs, Logs: logs})
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("kubernetes api: %w", err)
	}
	srv, err := api.Start()
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("kubernetes api: %w", err)
	}
	defer srv.Close()
	kc, err := kube.New(kube.Config{RESTConfig: srv.RESTConfig()})
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("kubernetes client: %w", err)
	}
	rateWindow, lookback := metricsWindow(cfg.ScrapeInterval, tl.servicesUp, a.StartsAt)
	pc, err := prom.New(prom.Config{URL: promURL, RateWindow: rateWindow, Lookback: lookback})
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("prometheus client: %w", err)
	}
	sources := evidence.Sources{Kube: kc, Prom: pc}
	if tl.jaegerURL != "" {
		jaeger, err := trace.NewJaeger(trace.HTTPConfig{URL: tl.jaegerURL})
		if err != nil {
			return incident.Explanation{}, fmt.Errorf("jaeger client: %w", err)
		}
		sources.Traces = trace.NewCollector(jaeger, traceOptions(tl.servicesUp, tl.faultAt, a.StartsAt))
	}
	eng := engine.Open(config.DefaultSettings(), engine.Options{Sources: &sources, Provider: cfg.Provider, Now: func() time.Time { return now }})
	defer eng.Close()
	ex, err := eng.Explain(ctx, engine.Request{Alert: a, Progress: cfg.ExplainProgress})
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("explain %s: %w", a.Name(), err)
	}
	return ex, nil
}

// metricsWindow chooses the rate window and how far before the alert the
// metrics are read. A real cluster has hours of history; the demo's has
// seconds, and a rate whose window reaches back before the first scrape
// ramps up from zero, which reads as a traffic spike. So the window is a
// few scrapes wide and the lookback starts once it is full.
func metricsWindow(scrape time.Duration, servicesUp, startsAt time.Time) (rateWindow, lookback time.Duration) {
	rateWindow = 4 * scrape
	firstFull := servicesUp.Add(rateWindow + scrape)
	lookback = startsAt.Sub(firstFull).Round(time.Second)
	if lookback < 2*scrape {
		lookback = 2 * scrape
	}
	return rateWindow, lookback
}

// containerSpecs lays out the pods: names, free ports, URLs between them,
// the fault's start settings and a fresh admin token.
func containerSpecs(cfg Config, bins map[string]string, otlpEndpoint string) ([]ContainerSpec, string, error) {
	tokenBytes := make([]byte, 16)
	if _, err := rand.Read(tokenBytes); err != nil {
		return nil, "", fmt.Errorf("admin token: %w", err)
	}
	token := hex.EncodeToString(tokenBytes)
	// One signing key for auth-service and payment-service, as the
	// auth-signing-key Secret is in the cluster.
	keyBytes := make([]byte, 32)
	if _, err := rand.Read(keyBytes); err != nil {
		return nil, "", fmt.Errorf("signing key: %w", err)
	}
	signingKey := hex.EncodeToString(keyBytes)
	ports := map[string]int{}
	for _, a := range apps {
		if a.serves {
			p, err := freePort()
			if err != nil {
				return nil, "", err
			}
			ports[a.name] = p
		}
	}
	specs := make([]ContainerSpec, 0, len(apps))
	for _, a := range apps {
		env := []string{"HOST=127.0.0.1"}
		if a.serves {
			env = append(env, "PORT="+strconv.Itoa(ports[a.name]), "ADMIN_TOKEN="+token,
				"SHOP_DEV_MODE=true", "AUTH_SIGNING_KEY="+signingKey)
		} else {
			env = append(env, "RATE="+strconv.FormatFloat(cfg.Rate, 'f', -1, 64))
		}
		env = append(env, tracingEnv(otlpEndpoint)...)
		for v, dep := range a.deps {
			env = append(env, v+"=http://127.0.0.1:"+strconv.Itoa(ports[dep]))
		}
		if a.name == cfg.Fault.Target {
			env = append(env, cfg.Fault.StartEnv...)
		}
		hash := podTemplateHash(append([]string{a.name}, env...)...)
		specs = append(specs, ContainerSpec{
			Namespace: Namespace, App: a.name, Pod: a.name + "-" + hash + "-" + randomSuffix(), Container: a.name,
			Binary: bins[a.name], Env: sortedEnv(env), SecretEnv: map[string]bool{"ADMIN_TOKEN": true, "AUTH_SIGNING_KEY": true},
			Port: ports[a.name], MemoryLimit: a.memoryLimit, ReadinessPath: readinessPath(a),
		})
	}
	return specs, token, nil
}

func sortedEnv(env []string) []string {
	out := slices.Clone(env)
	slices.Sort(out)
	return out
}

func readinessPath(a app) string {
	if a.serves {
		return "/readyz"
	}
	return ""
}

func specByApp(specs []ContainerSpec, name string) ContainerSpec {
	for _, s := range specs {
		if s.App == name {
			return s
		}
	}
	return ContainerSpec{}
}

// build compiles the services and the load generator with the local Go
// toolchain.
func build(ctx context.Context, repo, dir string) (map[string]string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("the Go toolchain is not installed or not on PATH: install Go 1.26 from https://go.dev/dl")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("binaries directory: %w", err)
	}
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	bins := map[string]string{}
	for _, a := range apps {
		args = append(args, "./services/"+a.name)
		bins[a.name] = filepath.Join(dir, a.name)
	}
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = repo
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("demo interrupted while building: %w", ctx.Err())
		}
		return nil, fmt.Errorf("go build of the services failed: %w: %s", err, strings.TrimSpace(out.String()))
	}
	return bins, nil
}

// waitHealthy waits until every service answers /healthz; a service whose
// fault is built in may never do so and is not waited for.
func waitHealthy(ctx context.Context, client *http.Client, specs []ContainerSpec, f Fault, say func(string, ...any)) error {
	deadline := time.Now().Add(60 * time.Second)
	for _, s := range specs {
		if s.Port == 0 || (s.App == f.Target && len(f.StartEnv) > 0) {
			continue
		}
		url := "http://127.0.0.1:" + strconv.Itoa(s.Port) + "/healthz"
		for {
			if err := get(ctx, client, url); err == nil {
				say("%s is up (pod %s/%s)", s.App, s.Namespace, s.Pod)
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s did not answer %s within 60s: see its log", s.App, url)
			}
			if err := sleep(ctx, 200*time.Millisecond); err != nil {
				return err
			}
		}
	}
	return nil
}

func get(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// injectFault sets a run-time fault through the service's guarded admin
// endpoint.
func injectFault(ctx context.Context, client *http.Client, port int, token, body string) error {
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/admin/faults"
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("fault request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("inject fault: %w", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("inject fault: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	return nil
}

// waitFiring polls Prometheus every 2s until the fault's alert fires.
func waitFiring(ctx context.Context, client *http.Client, promURL string, f Fault, timeout time.Duration, say func(string, ...any)) (incident.Alert, error) {
	start := time.Now()
	lastErr := error(nil)
	for {
		st, err := findAlert(ctx, client, promURL, f)
		elapsed := time.Since(start).Round(time.Second)
		switch {
		case err != nil:
			lastErr = err
			say("waiting for %s to fire: %v (%s)", f.selector(), err, elapsed)
		case st.State == "firing":
			return st.Alert, nil
		case st.State == "pending":
			say("waiting for %s to fire: pending %s", f.selector(), time.Since(st.ActiveAt).Round(time.Second))
		default:
			say("waiting for %s to fire: not active yet (%s)", f.selector(), elapsed)
		}
		if time.Since(start) > timeout {
			if lastErr != nil {
				return incident.Alert{}, fmt.Errorf("%s did not fire within %s: %w", f.selector(), timeout, lastErr)
			}
			return incident.Alert{}, fmt.Errorf("%s did not fire within %s: the fault did not produce the alert (rerun with --keep DIR and read the logs and %s)", f.selector(), timeout, promURL)
		}
		if err := sleep(ctx, 2*time.Second); err != nil {
			return incident.Alert{}, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("demo interrupted: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

func workDir(keep string) (string, func(), error) {
	if keep != "" {
		abs, err := filepath.Abs(keep)
		if err != nil {
			return "", nil, fmt.Errorf("--keep: %w", err)
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return "", nil, fmt.Errorf("--keep: %w", err)
		}
		return abs, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "aiops-demo-")
	if err != nil {
		return "", nil, fmt.Errorf("work directory: %w", err)
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
