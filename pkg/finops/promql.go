package finops

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The PromQL of the allocation. Containers are keyed by (namespace, pod,
// container) on both sides: kube-state-metrics for requests and running
// state, cAdvisor for usage. The sandbox ("POD") and pod-level ("") cAdvisor
// series are not containers.
const (
	containerKey = "namespace,pod,container"
	containerSel = `container!="",container!="POD"`
)

// exprs builds the expressions for one resolution and rate window.
type exprs struct {
	res, rateWindow time.Duration
}

// running is 1 for each container that runs at the evaluation time.
func (e exprs) running() string {
	return fmt.Sprintf(`max by (%s) (kube_pod_container_status_running{%s} == 1)`, containerKey, containerSel)
}

// request is a container's request while it runs: a Pending or finished
// container reserves nothing on a node.
func (e exprs) request(resource, unit string) string {
	return e.whileRunning(e.rawRequest(resource, unit))
}

// Usage counts only while kube-state-metrics says the container runs, as
// requests do: a backfilled or scraped series of a stopped container can
// linger for the lookback delta.
func (e exprs) cpuUsage() string { return e.whileRunning(e.rawCPUUsage()) }

func (e exprs) ramUsage() string { return e.whileRunning(e.rawRAMUsage()) }

func (e exprs) rawRequest(resource, unit string) string {
	return fmt.Sprintf(`max by (%s) (kube_pod_container_resource_requests{resource=%q,unit=%q,%s})`, containerKey, resource, unit, containerSel)
}

func (e exprs) rawCPUUsage() string {
	return fmt.Sprintf(`sum by (%s) (rate(container_cpu_usage_seconds_total{%s}[%s]))`, containerKey, containerSel, promDuration(e.rateWindow))
}

func (e exprs) rawRAMUsage() string {
	return fmt.Sprintf(`sum by (%s) (container_memory_working_set_bytes{%s})`, containerKey, containerSel)
}

func (e exprs) whileRunning(expr string) string {
	return fmt.Sprintf(`(%s and on(%s) %s)`, expr, containerKey, e.running())
}

func (e exprs) nodeCapacity(resource, unit string) string {
	return fmt.Sprintf(`max by (node) (kube_node_status_capacity{resource=%q,unit=%q})`, resource, unit)
}

// integrate sums an expression's values at every resolution step inside
// each bucket (end-step, end]. The subquery's steps are aligned to
// multiples of the resolution and the range is one millisecond short of the
// bucket, so the step on the bucket's opening edge belongs to the bucket
// before on every Prometheus version (2.x ranges are closed on the left,
// 3.x open). Each sample then stands for one resolution of time.
func (e exprs) integrate(expr string, step time.Duration) string {
	return fmt.Sprintf(`sum_over_time(%s[%dms:%s])`, expr, step.Milliseconds()-1, promDuration(e.res))
}

// count is the number of resolution steps in each bucket where expr has a
// value: how long a node existed.
func (e exprs) count(expr string, step time.Duration) string {
	return fmt.Sprintf(`count_over_time(%s[%dms:%s])`, expr, step.Milliseconds()-1, promDuration(e.res))
}

// p95 is the 95th percentile of an expression's values over the window.
func (e exprs) p95(expr string, window time.Duration) string {
	return fmt.Sprintf(`quantile_over_time(0.95, %s[%dms:%s])`, expr, window.Milliseconds()-1, promDuration(e.res))
}

// lastOver is the latest value of each series of selector within the window.
func lastOver(selector string, window time.Duration) string {
	return fmt.Sprintf(`last_over_time(%s[%s])`, selector, promDuration(window))
}

func promDuration(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

// infoQueries are the metadata: where pods ran, who owns them, how nodes
// are priced. Each takes the latest value within the window.
func infoQuery(metric string, by []string, window time.Duration) string {
	return fmt.Sprintf(`max by (%s) (%s)`, strings.Join(by, ","), lastOver(metric, window))
}

// integral and counted are integrate and count of expr as a job's sum, for
// the width of each piece; expr is built once for all the pieces.
func (e exprs) integral(expr string) func(time.Duration) string {
	return func(w time.Duration) string { return e.integrate(expr, w) }
}

func (e exprs) counted(expr string) func(time.Duration) string {
	return func(w time.Duration) string { return e.count(expr, w) }
}
