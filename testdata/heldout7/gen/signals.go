package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// ---- logs ----

// logLines records a container log: lines start at startAgo before now, spaced by step with a
// deterministic jitter. "{ts}" inside a line is replaced by the line's own time (milliseconds).
func (s *scene) logLines(ns, pod, container string, previous bool, startAgo, step time.Duration, lines ...string) {
	key := ns + "/" + pod + "/" + container + ".log"
	if previous {
		key = ns + "/" + pod + "/" + container + ".previous.log"
	}
	t := s.now.Add(-startAgo)
	for i, l := range lines {
		jitter := time.Duration((i*7919)%997) * time.Millisecond
		at := t.Add(time.Duration(i)*step + jitter)
		l = strings.ReplaceAll(l, "{ts}", at.UTC().Format("2006-01-02T15:04:05.000Z"))
		l = strings.ReplaceAll(l, "{rails_ts}", at.UTC().Format("2006-01-02T15:04:05.000000"))
		l = strings.ReplaceAll(l, "{py_ts}", at.UTC().Format("2006-01-02 15:04:05,000"))
		l = strings.ReplaceAll(l, "{ex_ts}", at.UTC().Format("15:04:05.000"))
		s.logs[key] = append(s.logs[key], at.UTC().Format("2006-01-02T15:04:05.000000000Z")+" "+l)
	}
}

// repeat returns n copies of a line, with "{i}" replaced by the copy's index.
func repeat(n int, line string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strings.ReplaceAll(line, "{i}", fmt.Sprint(i+1))
	}
	return out
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ---- metrics ----

type sample struct {
	at    time.Time
	value float64
}

type series struct {
	labels map[string]string
	points []sample
}

type family struct {
	name, typ, help string
	series          []*series
}

// window is the span and step every series is sampled on.
const (
	window = 5 * time.Minute
	step   = 15 * time.Second
)

// metric adds a series; f receives the position in the window from 0 (oldest) to 1 (now).
// Counters are named without "_total"; the suffix is added on output as OpenMetrics requires.
func (s *scene) metric(name, typ string, labels map[string]string, f func(x float64) float64) {
	var fam *family
	for _, fm := range s.families {
		if fm.name == name {
			fam = fm
		}
	}
	if fam == nil {
		fam = &family{name: name, typ: typ, help: helpFor(name)}
		s.families = append(s.families, fam)
	}
	sr := &series{labels: labels}
	n := int(window / step)
	for i := 0; i <= n; i++ {
		x := float64(i) / float64(n)
		v := f(x)
		if typ == "counter" && v < 0 {
			v = 0
		}
		sr.points = append(sr.points, sample{at: s.now.Add(-window + time.Duration(i)*step), value: v})
	}
	fam.series = append(fam.series, sr)
}

func helpFor(name string) string {
	known := map[string]string{
		"container_memory_working_set_bytes":                   "Current working set of the container in bytes",
		"container_cpu_usage_seconds":                          "Cumulative cpu time consumed in seconds.",
		"container_cpu_cfs_throttled_periods":                  "Number of throttled period intervals.",
		"container_cpu_cfs_periods":                            "Number of elapsed enforcement period intervals.",
		"kube_pod_container_status_restarts":                   "The number of container restarts per container.",
		"kube_pod_container_resource_limits":                   "The number of requested limit resource by a container.",
		"kube_pod_container_resource_requests":                 "The number of requested request resource by a container.",
		"kube_deployment_status_replicas_available":            "The number of available replicas per deployment.",
		"kube_horizontalpodautoscaler_status_current_replicas": "Current number of replicas of pods managed by this autoscaler.",
		"kube_horizontalpodautoscaler_spec_max_replicas":       "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.",
		"kubelet_volume_stats_used_bytes":                      "Number of used bytes in the volume",
		"kubelet_volume_stats_capacity_bytes":                  "Capacity in bytes of the volume",
		"node_filesystem_avail_bytes":                          "Filesystem space available to non-root users in bytes.",
		"up":                                                   "1 if the target is reachable, 0 otherwise.",
	}
	if h, ok := known[name]; ok {
		return h
	}
	return strings.ReplaceAll(name, "_", " ")
}

// openMetrics renders the families in the text format promtool's block importer reads.
func (s *scene) openMetrics() string {
	if len(s.families) == 0 {
		return ""
	}
	var b strings.Builder
	for _, fam := range s.families {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", fam.name, fam.help, fam.name, fam.typ)
		for _, sr := range fam.series {
			name := fam.name
			if fam.typ == "counter" {
				name += "_total"
			}
			lbl := renderLabels(sr.labels)
			for _, p := range sr.points {
				fmt.Fprintf(&b, "%s%s %s %d\n", name, lbl, formatValue(p.value), p.at.Unix())
			}
		}
	}
	b.WriteString("# EOF\n")
	return b.String()
}

func renderLabels(l map[string]string) string {
	if len(l) == 0 {
		return ""
	}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, l[k])
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func formatValue(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.4f", v)
}

// Shapes for metric functions.
func flat(v float64) func(float64) float64 { return func(float64) float64 { return v } }

func ramp(from, to float64) func(float64) float64 {
	return func(x float64) float64 { return from + (to-from)*x }
}

// rate is a counter growing at perSecond from base.
func rate(base, perSecond float64) func(float64) float64 {
	return func(x float64) float64 { return base + perSecond*x*window.Seconds() }
}

// sawtooth climbs from low to high and resets, cycles times over the window (OOM kill pattern).
func sawtooth(low, high float64, cycles int) func(float64) float64 {
	return func(x float64) float64 {
		p := math.Mod(x*float64(cycles), 1)
		return low + (high-low)*p
	}
}

// stepAt switches from before to after at position at.
func stepAt(at, before, after float64) func(float64) float64 {
	return func(x float64) float64 {
		if x < at {
			return before
		}
		return after
	}
}

// cadvisor labels for a container.
func cad(ns, pod, container, node string) map[string]string {
	return map[string]string{"namespace": ns, "pod": pod, "container": container, "node": node,
		"job": "kubelet", "metrics_path": "/metrics/cadvisor", "service": "kube-prometheus-stack-kubelet"}
}

// ksm labels for kube-state-metrics series.
func ksm(extra map[string]string) map[string]string {
	return merge(map[string]string{"job": "kube-state-metrics", "service": "kube-prometheus-stack-kube-state-metrics",
		"instance": "192.168.31.4:8080"}, extra)
}
