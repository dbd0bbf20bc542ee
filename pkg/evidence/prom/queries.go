package prom

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// querySpec is one metric to collect. Its alternatives are tried in order
// and the first that returns data wins: exporters and versions name the same
// thing differently (kube-state-metrics v1 and v2, service/app/job labels).
type querySpec struct {
	name         string
	unit         string
	alternatives []string
	// entity names what a returned series is about.
	entity func(labels map[string]string) incident.Entity
	// belongs, when set, picks the series that are the alert's own when a
	// query returns others too; if none belongs, all are kept.
	belongs func(labels map[string]string) bool
}

// Units of the standard series.
const (
	unitBytes   = "bytes"
	unitCores   = "cores"
	unitRatio   = "ratio"
	unitCount   = "count"
	unitPerSec  = "req/s"
	unitSeconds = "seconds"
)

// containerMetricSpecs are the per-container standard series: memory and CPU
// against their limits, throttling, restarts and OOM kills, from cAdvisor
// and kube-state-metrics.
func containerMetricSpecs(sel podSelector, window string) []querySpec {
	m := sel.matchers()
	real := m + `, container!="", container!="POD"` // not the pod cgroup, not the pause container
	by := "max by (namespace, pod, container) "
	sumBy := "sum by (namespace, pod, container) "
	podEntity := func(l map[string]string) incident.Entity {
		ns := l["namespace"]
		if ns == "" {
			ns = sel.namespace
		}
		return incident.Entity{Namespace: ns, Kind: incident.KindPod, Name: l["pod"]}
	}
	rate := func(metric, matchers string) string {
		return sumBy + "(rate(" + metric + "{" + matchers + "}[" + window + "]))"
	}
	return []querySpec{
		{name: incident.MetricMemoryWorkingSet, unit: unitBytes, entity: podEntity, alternatives: []string{
			by + "(container_memory_working_set_bytes{" + real + "})",
		}},
		{name: incident.MetricMemoryLimit, unit: unitBytes, entity: podEntity, alternatives: []string{
			by + `(kube_pod_container_resource_limits{` + m + `, resource="memory"})`,
			by + "(kube_pod_container_resource_limits_memory_bytes{" + m + "})",
		}},
		{name: incident.MetricCPUUsage, unit: unitCores, entity: podEntity, alternatives: []string{
			rate("container_cpu_usage_seconds_total", real),
		}},
		{name: incident.MetricCPULimit, unit: unitCores, entity: podEntity, alternatives: []string{
			by + `(kube_pod_container_resource_limits{` + m + `, resource="cpu"})`,
			by + "(kube_pod_container_resource_limits_cpu_cores{" + m + "})",
		}},
		{name: incident.MetricCPUThrottling, unit: unitRatio, entity: podEntity, alternatives: []string{
			rate("container_cpu_cfs_throttled_periods_total", real) + " / " + rate("container_cpu_cfs_periods_total", real),
		}},
		{name: incident.MetricRestarts, unit: unitCount, entity: podEntity, alternatives: []string{
			by + "(kube_pod_container_status_restarts_total{" + m + "})",
		}},
		// kube-state-metrics only has the OOMKilled series once a container
		// was killed; "or restarts * 0" fills the time before with zeros, so
		// the kill shows as a step with an onset.
		{name: incident.MetricOOMKills, unit: unitCount, entity: podEntity, alternatives: []string{
			by + `(kube_pod_container_status_last_terminated_reason{` + m + `, reason="OOMKilled"}) or ` +
				by + "(kube_pod_container_status_restarts_total{" + m + "}) * 0",
			sumBy + "(increase(container_oom_events_total{" + real + "}[" + window + "]))",
		}},
	}
}

// httpMetricSpecs are the service's request rate, error ratio and latency
// quantiles, from the http_requests_total / http_request_duration_seconds
// conventions, under whichever label names the service.
func httpMetricSpecs(namespace, service, window string) []querySpec {
	entity := func(map[string]string) incident.Entity {
		return incident.Entity{Namespace: namespace, Kind: incident.KindService, Name: service}
	}
	q := quote(service)
	labelings := []string{
		"service=" + q,
		"app=" + q,
		// The Prometheus Operator names jobs after the service, some setups
		// prefix the namespace.
		"job=~" + quote("(.*/)?"+regexp.QuoteMeta(service)),
	}
	per := func(build func(l string) string) []string {
		out := make([]string, len(labelings))
		for i, l := range labelings {
			out[i] = build(l)
		}
		return out
	}
	r := func(l, extra string) string {
		return "sum(rate(http_requests_total{" + l + extra + "}[" + window + "]))"
	}
	quantile := func(phi string) func(string) string {
		return func(l string) string {
			return "histogram_quantile(" + phi + ", sum by (le) (rate(http_request_duration_seconds_bucket{" + l + "}[" + window + "])))"
		}
	}
	return []querySpec{
		{name: incident.MetricRequestRate, unit: unitPerSec, entity: entity, alternatives: per(func(l string) string {
			return r(l, "")
		})},
		// No 5xx series at all means no errors, not no data: "or vector(0)".
		{name: incident.MetricErrorRatio, unit: unitRatio, entity: entity, alternatives: per(func(l string) string {
			return "(" + r(l, `, code=~"5.."`) + " or " + r(l, `, status=~"5.."`) + " or vector(0)) / " + r(l, "")
		})},
		{name: incident.MetricLatencyP95, unit: unitSeconds, entity: entity, alternatives: per(quantile("0.95"))},
		{name: incident.MetricLatencyP99, unit: unitSeconds, entity: entity, alternatives: per(quantile("0.99"))},
	}
}

// scaleMetricSpecs are the workload's replica count and the current and
// maximum replicas of the HorizontalPodAutoscaler that scales it, from
// kube-state-metrics: the autoscaler is found by its scale target
// (kube_horizontalpodautoscaler_info, KSM v2), else by the workload's name
// (v2, then v1's kube_hpa_*). Only scalable workloads have them.
func scaleMetricSpecs(w incident.Entity) []querySpec {
	var replicas string
	switch w.Kind {
	case incident.KindDeployment:
		replicas = "kube_deployment_status_replicas{namespace=" + quote(w.Namespace) + ", deployment=" + quote(w.Name) + "}"
	case incident.KindStatefulSet:
		replicas = "kube_statefulset_status_replicas{namespace=" + quote(w.Namespace) + ", statefulset=" + quote(w.Name) + "}"
	default:
		return nil
	}
	entity := func(map[string]string) incident.Entity { return w }
	ns := "namespace=" + quote(w.Namespace)
	hpa := func(v2, v1 string) []string {
		return []string{
			"max(" + v2 + "{" + ns + "} * on (namespace, horizontalpodautoscaler) group_left () " +
				"kube_horizontalpodautoscaler_info{" + ns + ", scaletargetref_kind=" + quote(w.Kind) + ", scaletargetref_name=" + quote(w.Name) + "})",
			"max(" + v2 + "{" + ns + ", horizontalpodautoscaler=" + quote(w.Name) + "})",
			"max(" + v1 + "{" + ns + ", hpa=" + quote(w.Name) + "})",
		}
	}
	return []querySpec{
		{name: incident.MetricWorkloadReplicas, unit: unitCount, entity: entity, alternatives: []string{"max(" + replicas + ")"}},
		{name: incident.MetricHPAReplicas, unit: unitCount, entity: entity, alternatives: hpa(
			"kube_horizontalpodautoscaler_status_current_replicas", "kube_hpa_status_current_replicas")},
		{name: incident.MetricHPAMaxReplicas, unit: unitCount, entity: entity, alternatives: hpa(
			"kube_horizontalpodautoscaler_spec_max_replicas", "kube_hpa_spec_max_replicas")},
		{name: incident.MetricHPAMinReplicas, unit: unitCount, entity: entity, alternatives: hpa(
			"kube_horizontalpodautoscaler_spec_min_replicas", "kube_hpa_spec_min_replicas")},
		queueBacklogSpec(w),
	}
}

// maxQueues bounds the backlog series one query returns.
const maxQueues = 5

// queueExporters are the common exporters' queue depth metrics and the label
// that names the queue: CloudWatch's SQS metrics (cloudwatch_exporter, then
// YACE's dimension label), RabbitMQ's own plugin, the Sidekiq exporter and
// kafka_exporter's consumer-group lag.
var queueExporters = []struct{ metric, queueLabel string }{
	{"aws_sqs_approximate_number_of_messages_visible_average", "queue_name"},
	{"aws_sqs_approximate_number_of_messages_visible_average", "dimension_QueueName"},
	{"rabbitmq_queue_messages_ready", "queue"},
	{"sidekiq_queue_size", "queue"},
	{"kafka_consumergroup_lag", "consumergroup"},
}

// queueBacklogSpec is the depth of the queues the workload may consume:
// those an exporter in the workload's namespace reports, and, since cloud
// queue exporters run elsewhere and carry no namespace, those named with the
// workload's first name part (queue "invoice-render" for "invoice-renderer").
func queueBacklogSpec(w incident.Entity) querySpec {
	ns := "namespace=" + quote(w.Namespace)
	stem, _, _ := strings.Cut(w.Name, "-")
	var alternatives []string
	for _, e := range queueExporters {
		by := "sum by (" + e.queueLabel + ") "
		expr := by + "(" + e.metric + "{" + ns + "})"
		if len(stem) >= 3 {
			expr += " or " + by + "(" + e.metric + "{" + e.queueLabel + "=~" + quote("(?i).*"+regexp.QuoteMeta(stem)+".*") + "})"
		}
		alternatives = append(alternatives, "topk("+strconv.Itoa(maxQueues)+", "+expr+")")
	}
	return querySpec{name: incident.MetricQueueBacklog, unit: unitCount, alternatives: alternatives,
		entity: func(map[string]string) incident.Entity { return w }}
}

// maxConntrackNodes bounds the nodes asked about in one query.
const maxConntrackNodes = 20

// conntrackSpec is how full node-exporter's connection-tracking table is on
// the nodes that run the pods, under the instance label (the node name,
// with or without the exporter's port) or a node label, as setups relabel it.
func conntrackSpec(pods []incident.PodState) (querySpec, bool) {
	var nodes []string
	for _, p := range pods {
		if p.Node != "" && dnsName(p.Node) && !slices.Contains(nodes, p.Node) && len(nodes) < maxConntrackNodes {
			nodes = append(nodes, p.Node)
		}
	}
	if len(nodes) == 0 {
		return querySpec{}, false
	}
	slices.Sort(nodes)
	names := alternation(nodes)
	ratio := func(label, pattern string) string {
		sel := "{" + label + "=~" + quote(pattern) + "}"
		return "max by (" + label + ") (node_nf_conntrack_entries" + sel + " / node_nf_conntrack_entries_limit" + sel + ")"
	}
	return querySpec{name: incident.MetricConntrackRatio, unit: unitRatio,
		alternatives: []string{ratio("instance", "(?:"+names+")(?::[0-9]+)?"), ratio("node", "(?:"+names+")")},
		entity: func(l map[string]string) incident.Entity {
			node := l["node"]
			if node == "" {
				node, _, _ = strings.Cut(l["instance"], ":")
			}
			return incident.Entity{Kind: incident.KindNode, Name: node}
		}}, true
}

// alertSpec runs the rule's own query without its final threshold, so the
// series shows the value before, during and after the alert rather than
// only while it fired.
func alertSpec(a incident.Alert, t incident.Target) querySpec {
	return querySpec{
		name:         incident.MetricAlert,
		alternatives: []string{stripThreshold(a.Query)},
		// A rule over the whole cluster returns every crash-looping pod;
		// the alert instance is the series whose labels agree with its own.
		belongs: func(l map[string]string) bool {
			for k, v := range l {
				if av, ok := a.Labels[k]; ok && av != v {
					return false
				}
			}
			return true
		},
		entity: func(l map[string]string) incident.Entity {
			ns := l["namespace"]
			if ns == "" {
				ns = t.Namespace
			}
			switch {
			case l["pod"] != "":
				return incident.Entity{Namespace: ns, Kind: incident.KindPod, Name: l["pod"]}
			case !t.Workload.IsZero():
				return t.Workload
			case l["service"] != "":
				return incident.Entity{Namespace: ns, Kind: incident.KindService, Name: l["service"]}
			case l["node"] != "":
				return incident.Entity{Kind: incident.KindNode, Name: l["node"]}
			}
			return incident.Entity{}
		},
	}
}

// logQLPipeline finds the line filters and parsers that only LogQL has: a
// Grafana rule over Loki is not Prometheus's to run, and asking would only
// add a misleading failure.
var logQLPipeline = regexp.MustCompile(`\|[=~]|\|\s*(json|logfmt|pattern|regexp|unpack|line_format|label_format|unwrap|drop|keep|decolorize)(\s|$)`)

func isLogQL(q string) bool { return logQLPipeline.MatchString(q) }

// thresholdRE is a trailing comparison with a number: "> 2", "== bool 1",
// "<= -0.5", ">1e3".
var thresholdRE = regexp.MustCompile(`\s*(==|!=|>=|<=|>|<)\s*(bool\s+)?[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$`)

// stripThreshold drops a trailing "<op> <number>" when what remains is a
// complete expression (balanced parentheses). Comparison binds loosest but
// for and/or/unless, so what remains is the compared value.
func stripThreshold(q string) string {
	q = strings.TrimSpace(q)
	loc := thresholdRE.FindStringIndex(q)
	if loc == nil || loc[0] == 0 {
		return q
	}
	rest := strings.TrimSpace(q[:loc[0]])
	if !balanced(rest) {
		return q
	}
	lower := strings.ToLower(rest)
	for _, op := range []string{" and ", " or ", " unless "} {
		if strings.Contains(lower, op) {
			return q // a set operation binds looser than the comparison
		}
	}
	return rest
}

func balanced(s string) bool {
	depth := 0
	inString := rune(0)
	for i, r := range s {
		switch {
		case inString != 0:
			if r == inString && (i == 0 || s[i-1] != '\\') {
				inString = 0
			}
		case r == '"' || r == '\'' || r == '`':
			inString = r
		case r == '(' || r == '{' || r == '[':
			depth++
		case r == ')' || r == '}' || r == ']':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0 && inString == 0
}

// podSelector matches the target's pods in PromQL.
type podSelector struct {
	namespace string
	pods      []string
	podRegex  string
	container string
}

// selectorFor builds the pod selector, or reports false when the target
// names nothing narrower than the whole cluster.
func selectorFor(t incident.Target, pods []incident.PodState) (podSelector, bool) {
	sel := podSelector{namespace: t.Namespace, container: t.Container}
	seen := map[string]bool{}
	add := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			sel.pods = append(sel.pods, name)
		}
	}
	for _, p := range pods {
		add(p.Name)
		if sel.namespace == "" {
			sel.namespace = p.Namespace
		}
	}
	for _, p := range t.Pods {
		add(p)
	}
	slices.Sort(sel.pods)
	if len(sel.pods) == 0 && !t.Workload.IsZero() {
		sel.podRegex = podNamePattern(t.Workload)
		if sel.namespace == "" {
			sel.namespace = t.Workload.Namespace
		}
	}
	return sel, sel.namespace != "" || len(sel.pods) > 0
}

func (s podSelector) matchers() string {
	var m []string
	if s.namespace != "" {
		m = append(m, "namespace="+quote(s.namespace))
	}
	switch {
	case len(s.pods) > 0:
		m = append(m, "pod=~"+anyOf(s.pods))
	case s.podRegex != "":
		m = append(m, "pod=~"+quote(s.podRegex))
	}
	if s.container != "" {
		m = append(m, "container="+quote(s.container))
	}
	return strings.Join(m, ", ")
}

// podNamePattern is the regexp of the names a controller gives its pods.
func podNamePattern(w incident.Entity) string {
	n := regexp.QuoteMeta(w.Name)
	switch w.Kind {
	case incident.KindDeployment:
		return n + "-[a-z0-9]{5,10}-[a-z0-9]{5}" // <rs hash>-<pod suffix>
	case incident.KindStatefulSet:
		return n + "-[0-9]+"
	case incident.KindCronJob:
		return n + "-[0-9]+-[a-z0-9]{5}"
	case incident.KindPod:
		return n
	}
	return n + "-[a-z0-9]{5}" // DaemonSet, ReplicaSet, Job
}

// serviceName is the service whose HTTP metrics describe the target.
func serviceName(a incident.Alert, t incident.Target) string {
	for _, s := range []string{t.Service, a.Labels["service"], t.Workload.Name, a.Labels["app"], a.Labels["job"]} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// quote makes a PromQL string literal; label values come from the alert and
// must not be able to change the query.
func quote(s string) string { return strconv.Quote(s) }

// anyOf is a quoted regexp matching exactly one of the names.
func anyOf(names []string) string { return quote(alternation(names)) }

// alternation is a regexp matching exactly one of the names, unquoted.
func alternation(names []string) string {
	alts := make([]string, len(names))
	for i, n := range names {
		alts[i] = regexp.QuoteMeta(n)
	}
	return strings.Join(alts, "|")
}

// stepFor keeps a range query within maxPoints points: the span divided
// into maxPoints-1 intervals, rounded up to whole seconds.
func stepFor(since, until time.Time, maxPoints int) time.Duration {
	secs := math.Ceil(until.Sub(since).Seconds() / float64(maxPoints-1))
	return time.Duration(max(secs, 1)) * time.Second
}

// rateWindow is the range of rate() and increase(): wide enough for several
// scrapes, narrow enough to place the onset.
func rateWindow(step, configured time.Duration) string {
	w := configured
	if w <= 0 {
		w = max(4*step, time.Minute)
	}
	return model.Duration(w.Round(time.Second)).String()
}
