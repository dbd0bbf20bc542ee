// Package evidence gathers everything known about an alert: it resolves the
// target, then runs the Kubernetes collector, the Prometheus collector and
// the log sources concurrently, each under its own timeout, and returns one
// Bundle. A failing source costs only its own evidence: it is reported in
// Bundle.Degraded and the rest is kept.
package evidence

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/evidence/kube"
	"github.com/cloudobs/aiops-app/pkg/evidence/logsource"
	"github.com/cloudobs/aiops-app/pkg/evidence/prom"
	"github.com/cloudobs/aiops-app/pkg/evidence/trace"
	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Defaults of Options.
const (
	DefaultSourceTimeout  = 5 * time.Second
	DefaultOverallTimeout = 15 * time.Second
	DefaultMaxPods        = kube.DefaultMaxPods
	DefaultLogLookback    = 15 * time.Minute
	DefaultLogMaxBytes    = kube.DefaultLogMaxBytes
	// DefaultRolloutWindow reaches back far enough to catch the deploy that
	// preceded most incidents without listing a workload's whole history.
	DefaultRolloutWindow = 2 * time.Hour
)

// Source names of degraded entries.
const (
	SourceKubernetes = kube.SourceName
	SourcePrometheus = "prometheus"
	// SourceLogs stands for every log source when none is configured.
	SourceLogs = "logs"
)

// maxErrorLen bounds a degraded entry's reason: errors may quote responses.
const maxErrorLen = 512

// Options bound a collection. Zero values take the defaults.
type Options struct {
	SourceTimeout  time.Duration
	OverallTimeout time.Duration
	MaxPods        int
	LogLookback    time.Duration
	// LogMaxBytes bounds each container's log; the newest lines are kept.
	LogMaxBytes int64
	// RolloutWindow is how long before startsAt rollouts (and events) count.
	RolloutWindow time.Duration
}

func (o Options) withDefaults() Options {
	if o.SourceTimeout <= 0 {
		o.SourceTimeout = DefaultSourceTimeout
	}
	if o.OverallTimeout <= 0 {
		o.OverallTimeout = DefaultOverallTimeout
	}
	if o.MaxPods <= 0 {
		o.MaxPods = DefaultMaxPods
	}
	if o.LogLookback <= 0 {
		o.LogLookback = DefaultLogLookback
	}
	if o.LogMaxBytes <= 0 {
		o.LogMaxBytes = DefaultLogMaxBytes
	}
	if o.RolloutWindow <= 0 {
		o.RolloutWindow = DefaultRolloutWindow
	}
	return o
}

// Sources are the configured evidence sources; nil means not configured.
type Sources struct {
	Kube *kube.Collector
	Prom *prom.Collector
	// Logs are extra log sources (Loki, CloudWatch Logs, files). The
	// Kubernetes log source is added in front of them when Kube is set.
	Logs []logsource.Source
	// Traces reads the target's traces (Tempo or Jaeger).
	Traces *trace.Collector
	// Cost reads the namespace's cost trends for cost alerts.
	Cost CostSource
}

// Gatherer collects evidence for alerts. It is safe for concurrent use.
type Gatherer struct {
	src Sources
	opt Options
}

// NewGatherer prepares a gatherer over the given sources.
func NewGatherer(src Sources, opt Options) *Gatherer {
	return &Gatherer{src: src, opt: opt.withDefaults()}
}

// ErrNoLabels is returned for an alert without labels: there is nothing to
// resolve it to.
var ErrNoLabels = errors.New("the alert has no labels: nothing to collect evidence for")

// Collect resolves the alert's target and gathers its evidence as of now.
// Windows are computed from now and the alert's startsAt only, never the wall
// clock, so a replayed incident gives the same bundle. It fails only for
// unusable input; failing sources become Degraded entries. It does not
// assign evidence IDs (the pipeline does, after log mining).
func (g *Gatherer) Collect(ctx context.Context, a incident.Alert, now time.Time) (*incident.Bundle, error) {
	if len(a.Labels) == 0 {
		return nil, ErrNoLabels
	}
	if now.IsZero() {
		return nil, errors.New("evidence: the evaluation time (now) is zero")
	}
	ctx, cancel := context.WithTimeout(ctx, g.opt.OverallTimeout)
	defer cancel()
	anchor := a.StartsAt
	if anchor.IsZero() || anchor.After(now) {
		anchor = now
	}
	b := &incident.Bundle{Alert: a, Now: now}

	// A cost alert names a namespace; the workload whose cost moved is
	// found first and becomes the target, so its pods and rollouts are read.
	resolveFor := a
	if g.src.Cost != nil && isCostAlert(a) {
		resolveFor = g.costFirst(ctx, a, b, anchor, now)
	}
	res := g.resolve(ctx, resolveFor, b)
	b.Target = res.Target

	tasks := g.tasks(a, res, anchor, now)
	results := make(chan taskResult, len(tasks))
	for _, t := range tasks {
		go runTask(ctx, g.opt.SourceTimeout, t, results)
	}
	got := make([]*taskResult, len(tasks))
	for pending := len(tasks); pending > 0; pending-- {
		select {
		case r := <-results:
			got[r.index] = &r
		case <-ctx.Done():
			pending = 0
		}
	}
	// Apply in task order so the bundle does not depend on who finished first.
	for i, t := range tasks {
		r := got[i]
		if r == nil {
			b.Degraded = append(b.Degraded, degraded(t.source, fmt.Errorf("%s: no answer within the overall timeout of %s", t.what, g.opt.OverallTimeout)))
			continue
		}
		if r.apply != nil {
			r.apply(b)
		}
		if r.err != nil {
			b.Degraded = append(b.Degraded, degraded(t.source, fmt.Errorf("%s: %w", t.what, r.err)))
		}
	}
	g.dependencies(ctx, res, b, anchor.Add(-g.opt.LogLookback), now)
	g.configurationNotes(b)
	return b, nil
}

// addWorkloads adds the workloads read outside the target (add-ons it
// depends on) to the bundle; a failed read becomes a degraded entry.
func (g *Gatherer) addWorkloads(b *incident.Bundle, what string, read func() ([]incident.WorkloadState, error)) {
	var ws []incident.WorkloadState
	err := guard(func() error {
		var err error
		ws, err = read()
		return err
	})
	b.Workloads = append(b.Workloads, ws...)
	if err != nil {
		b.Degraded = append(b.Degraded, degraded(SourceKubernetes, fmt.Errorf("%s: %w", what, err)))
	}
}

// one turns an optional workload into a list.
func one(w *incident.WorkloadState, err error) ([]incident.WorkloadState, error) {
	if w == nil {
		return nil, err
	}
	return []incident.WorkloadState{*w}, err
}

// hasClusterDNS reports whether the Services hold the cluster DNS Service.
func hasClusterDNS(svcs []incident.ServiceState) bool {
	for _, s := range svcs {
		if s.Namespace == "kube-system" && (s.Name == "kube-dns" || s.Selector["k8s-app"] == "kube-dns") {
			return true
		}
	}
	return false
}

// dependencies adds the Services the target may call and the claims its pods
// and theirs mount, once the logs are in (they name Services in other
// namespaces). It runs after the other sources because it needs them.
func (g *Gatherer) dependencies(ctx context.Context, res resolution, b *incident.Bundle, since, now time.Time) {
	if g.src.Kube == nil || res.kube == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, g.opt.SourceTimeout)
	defer cancel()
	var deps kube.DependencyState
	err := guard(func() error {
		var err error
		deps, err = g.src.Kube.Dependencies(ctx, b.Target, b.Pods, b.Services, kube.HintsFrom(append(slices.Clip(b.Logs), warningEvents(b.Events))))
		return err
	})
	b.Services = append(b.Services, deps.Services...)
	b.Claims = append(b.Claims, deps.Claims...)
	if err != nil {
		b.Degraded = append(b.Degraded, degraded(SourceKubernetes, fmt.Errorf("dependencies: %w", err)))
	}
	// A dependency's own logs say why it fails its clients (its disk is
	// full, it is sealed, it lost its quorum); each container that cannot
	// be read is reported, the others kept.
	g.addLogs(ctx, b, "dependency logs", since, now, kube.DependencyLogBytes, func() ([]incident.PodState, error) { return deps.LogPods, nil })
	// Every pod with the default DNS policy depends on the cluster DNS; when
	// its Service is not in the bundle, its Deployment says who answers.
	if !hasClusterDNS(b.Services) {
		g.addWorkloads(b, "cluster DNS", func() ([]incident.WorkloadState, error) { return one(g.src.Kube.ClusterDNSWorkload(ctx)) })
	}
	// Lookups sent to a node-local cache, or failing in the resolver (a
	// cache, when the cluster runs one, is what the pods ask): that
	// DaemonSet answers them.
	resolverFailure := kube.MentionsResolverFailure(b.Logs)
	if kube.MentionsNodeLocalDNS(b.Logs) || resolverFailure {
		g.addWorkloads(b, "node-local DNS", func() ([]incident.WorkloadState, error) { return one(g.src.Kube.NodeLocalDNSWorkload(ctx)) })
	}
	// Lookups time out: the DNS server's own logs say why (its upstream,
	// its load, the network), and so do the node-local caches on the
	// target's nodes.
	if resolverFailure {
		g.addLogs(ctx, b, "cluster DNS logs", since, now, kube.ClusterDNSLogBytes, func() ([]incident.PodState, error) {
			pods, err := g.src.Kube.ClusterDNSPods(ctx, b.Services, b.Workloads)
			if err != nil {
				return nil, err
			}
			if ds, ok := incident.NodeLocalDNS(b.Workloads); ok {
				caches, err := g.src.Kube.NodeLocalDNSPods(ctx, ds, podNodes(b.Pods))
				if err != nil {
					return nil, err
				}
				pods = append(pods, caches...)
			}
			return pods, nil
		})
	}
	// An outside probe of a URL that no pod answers for: the add-ons that
	// publish its name and terminate its TLS are what the probe reaches.
	if len(b.Pods) == 0 && probesURL(b.Alert) {
		g.edgeAddOns(ctx, b, since, now)
	}
	// Credentials come from the metadata service, which a node agent may
	// intercept: when the logs show calls to it, that agent is read.
	if kube.MentionsMetadataService(b.Logs) {
		g.addWorkloads(b, "metadata agents", func() ([]incident.WorkloadState, error) { return g.src.Kube.MetadataAgents(ctx) })
	}
	// A dependency's pod read without its volumes: the kubelet's statistics
	// name the claims made for it.
	if g.src.Prom != nil {
		g.podClaims(ctx, b, deps.LogPods, now)
	}
	// How full each claim is tells a full volume among the several a
	// dependency's replicas mount.
	if g.src.Prom != nil && len(b.Claims) > 0 {
		if err := guard(func() error { return g.src.Prom.ClaimUsage(ctx, b.Claims, now) }); err != nil {
			b.Degraded = append(b.Degraded, degraded(SourcePrometheus, err))
		}
	}
}

// edgeAddOns adds the edge add-ons, their pods and those pods' logs.
func (g *Gatherer) edgeAddOns(ctx context.Context, b *incident.Bundle, since, now time.Time) {
	var ws []incident.WorkloadState
	var pods []incident.PodState
	if err := guard(func() error {
		var err error
		ws, pods, err = g.src.Kube.EdgeAddOns(ctx)
		return err
	}); err != nil {
		b.Degraded = append(b.Degraded, degraded(SourceKubernetes, fmt.Errorf("edge add-ons: %w", err)))
		return
	}
	b.Workloads = append(b.Workloads, ws...)
	b.Pods = append(b.Pods, pods...)
	g.addLogs(ctx, b, "edge add-ons' logs", since, now, kube.ClusterDNSLogBytes, func() ([]incident.PodState, error) { return pods, nil })
}

// probesURL reports whether the alert is a probe of a URL (the blackbox
// exporter's instance label is the probed http(s) URL).
func probesURL(a incident.Alert) bool {
	u, err := url.Parse(strings.TrimSpace(a.Labels["instance"]))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// podNodes are the distinct nodes the pods run on.
func podNodes(pods []incident.PodState) []string {
	var out []string
	for _, p := range pods {
		if p.Node != "" && !slices.Contains(out, p.Node) {
			out = append(out, p.Node)
		}
	}
	return out
}

// addLogs reads the logs of pods outside the target (what it depends on),
// each container's newest maxBytes; the streams read are kept and a failed
// read, of the pods or of any container, becomes a degraded entry.
func (g *Gatherer) addLogs(ctx context.Context, b *incident.Bundle, what string, since, now time.Time, maxBytes int64, pods func() ([]incident.PodState, error)) {
	var streams []incident.LogStream
	err := guard(func() error {
		ps, err := pods()
		if err != nil || len(ps) == 0 {
			return err
		}
		streams, err = g.src.Kube.LogSource().Fetch(ctx, logsource.Request{Pods: ps, Since: since, Until: now, MaxBytes: maxBytes})
		return err
	})
	b.Logs = append(b.Logs, streams...)
	if err != nil {
		b.Degraded = append(b.Degraded, degraded(SourceKubernetes, fmt.Errorf("%s: %w", what, err)))
	}
}

// podClaims adds the claims the kubelet measures for the pods that mount
// none in their spec; a failed read becomes a degraded entry.
func (g *Gatherer) podClaims(ctx context.Context, b *incident.Bundle, pods []incident.PodState, now time.Time) {
	var bare []incident.PodState
	for _, p := range pods {
		if len(p.Claims) == 0 {
			bare = append(bare, p)
		}
	}
	if len(bare) == 0 {
		return
	}
	var named []incident.ClaimState
	err := guard(func() error {
		var err error
		named, err = g.src.Prom.PodClaims(ctx, bare, now)
		return err
	})
	if err != nil {
		b.Degraded = append(b.Degraded, degraded(SourcePrometheus, fmt.Errorf("claims of dependency pods: %w", err)))
	}
	named = slices.DeleteFunc(named, func(c incident.ClaimState) bool {
		return slices.ContainsFunc(b.Claims, func(have incident.ClaimState) bool { return have.Entity() == c.Entity() })
	})
	if len(named) == 0 {
		return
	}
	var claims []incident.ClaimState
	err = guard(func() error {
		var err error
		claims, err = g.src.Kube.Claims(ctx, named)
		return err
	})
	b.Claims = append(b.Claims, claims...)
	if err != nil {
		b.Degraded = append(b.Degraded, degraded(SourceKubernetes, fmt.Errorf("claims of dependency pods: %w", err)))
	}
}

// warningEvents are the Warning events' messages as one stream, for the
// Services they name to be read like those the logs name: a controller's
// FailedCreate names the admission webhook Service it could not call.
func warningEvents(events []incident.Event) incident.LogStream {
	var s incident.LogStream
	for _, e := range events {
		if e.Type == "Warning" {
			s.Lines = append(s.Lines, incident.LogLine{Time: e.LastSeen, Text: e.Message})
		}
	}
	return s
}

// resolution is the target and the examined pods, with or without Kubernetes.
type resolution struct {
	Target incident.Target
	kube   *kube.Resolution
}

// resolve finds the target with Kubernetes when configured; when that fails,
// or without Kubernetes, it falls back to the alert's labels.
func (g *Gatherer) resolve(ctx context.Context, a incident.Alert, b *incident.Bundle) resolution {
	if g.src.Kube == nil {
		return resolution{Target: kube.TargetFromLabels(a)}
	}
	rctx, cancel := context.WithTimeout(ctx, g.opt.SourceTimeout)
	defer cancel()
	var res *kube.Resolution
	err := guard(func() error {
		var err error
		res, err = g.src.Kube.Resolve(rctx, a, g.opt.MaxPods)
		return err
	})
	if err != nil {
		b.Degraded = append(b.Degraded, degraded(SourceKubernetes, fmt.Errorf("resolve target: %w", err)))
		b.Notes = append(b.Notes, "the target was resolved from the alert's labels only: Kubernetes could not be read")
		return resolution{Target: kube.TargetFromLabels(a)}
	}
	b.Pods = res.Pods
	b.Notes = append(b.Notes, res.Notes...)
	return resolution{Target: res.Target, kube: res}
}

// task is one source's share of the collection.
type task struct {
	index  int
	source string
	what   string
	run    func(ctx context.Context) (apply func(*incident.Bundle), err error)
}

type taskResult struct {
	index int
	apply func(*incident.Bundle)
	err   error
}

func (g *Gatherer) tasks(a incident.Alert, res resolution, anchor, now time.Time) []task {
	var tasks []task
	add := func(source, what string, run func(ctx context.Context) (func(*incident.Bundle), error)) {
		tasks = append(tasks, task{index: len(tasks), source: source, what: what, run: run})
	}
	var pods []incident.PodState
	if res.kube != nil {
		pods = res.kube.Pods
		add(SourceKubernetes, "state", func(ctx context.Context) (func(*incident.Bundle), error) {
			st, err := g.src.Kube.CollectState(ctx, res.kube, anchor.Add(-g.opt.RolloutWindow), now)
			if st == nil {
				return nil, err
			}
			return func(b *incident.Bundle) {
				b.Workloads, b.Rollouts, b.Events = st.Workloads, st.Rollouts, st.Events
				b.Nodes, b.Services, b.ConfiguredHosts = st.Nodes, st.Services, st.ConfiguredHosts
				b.Notes = append(b.Notes, st.Notes...)
			}, err
		})
	}
	if g.src.Prom != nil {
		add(SourcePrometheus, "metrics", func(ctx context.Context) (func(*incident.Bundle), error) {
			series, err := g.src.Prom.Collect(ctx, a, res.Target, pods, time.Time{}, now)
			return func(b *incident.Bundle) { b.Metrics = append(b.Metrics, series...) }, err
		})
	}
	if g.src.Traces != nil {
		add(g.src.Traces.Name(), "traces", func(ctx context.Context) (func(*incident.Bundle), error) {
			groups, err := g.src.Traces.Collect(ctx, a, res.Target, anchor, now)
			return func(b *incident.Bundle) { b.Traces = append(b.Traces, groups...) }, err
		})
	}
	var logSources []logsource.Source
	if res.kube != nil {
		logSources = append(logSources, g.src.Kube.LogSource())
	}
	logSources = append(logSources, g.src.Logs...)
	req := logsource.Request{Target: res.Target, Pods: pods, Since: anchor.Add(-g.opt.LogLookback), Until: now, MaxBytes: g.opt.LogMaxBytes}
	for _, src := range logSources {
		add(src.Name(), "logs", func(ctx context.Context) (func(*incident.Bundle), error) {
			streams, err := src.Fetch(ctx, req)
			return func(b *incident.Bundle) { b.Logs = append(b.Logs, streams...) }, err
		})
	}
	return tasks
}

// runTask runs one task under its own timeout and always reports, even when
// the task panics.
func runTask(ctx context.Context, timeout time.Duration, t task, out chan<- taskResult) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var apply func(*incident.Bundle)
	err := guard(func() error {
		var err error
		apply, err = t.run(ctx)
		return err
	})
	if err != nil && ctx.Err() != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (%w)", err, ctx.Err())
	}
	out <- taskResult{index: t.index, apply: apply, err: err}
}

// guard turns a panic in a collector into an error: one broken source must
// not take the explanation down.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error (panic: %v) at %s", r, firstFrame(debug.Stack()))
		}
	}()
	return f()
}

// firstFrame picks the panicking function out of a stack trace for the
// message, without the whole trace.
func firstFrame(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") && i+2 < len(lines) {
			return strings.TrimSpace(lines[i+2])
		}
	}
	return "unknown location"
}

// configurationNotes says which sources are off, in the notes (for the
// reader) and in degraded as "not configured" (so a UI can say why the
// answer is thin).
func (g *Gatherer) configurationNotes(b *incident.Bundle) {
	off := func(source, note string) {
		b.Notes = append(b.Notes, note)
		b.Degraded = append(b.Degraded, incident.Degraded{Source: source, Error: incident.NotConfigured})
	}
	if g.src.Kube == nil {
		off(SourceKubernetes, "Kubernetes is not configured: the target comes from the alert's labels and there is no pod, event or rollout evidence")
	}
	if g.src.Prom == nil {
		off(SourcePrometheus, "Prometheus is not configured: no metrics were collected")
	}
	if g.src.Kube == nil && len(g.src.Logs) == 0 {
		off(SourceLogs, "no log source is configured: no logs were collected")
	}
}

func degraded(source string, err error) incident.Degraded {
	msg := oneLine(err.Error())
	if len(msg) > maxErrorLen {
		msg = strings.ToValidUTF8(msg[:maxErrorLen], "") + "…"
	}
	return incident.Degraded{Source: source, Error: msg}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
