// Package finops allocates Kubernetes compute cost from Prometheus the way
// OpenCost does (cost = max(request, usage) × price, integrated over the
// time each container ran), prices nodes (custom rates, the EKS table, spot),
// finds the idle share, right-sizes workloads and sets the AI spend beside
// it. It knows nothing of Grafana: the data source, the CLI and the analyzers
// all call the same API.
package finops

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Grouping keys of Query.GroupBy; "label:<name>" groups by a pod label
// (falling back to the namespace's label).
const (
	ByNamespace = "namespace"
	ByWorkload  = "workload"
	ByPod       = "pod"
	ByNode      = "node"
	ByContainer = "container"
	labelPrefix = "label:"
)

// Output forms of Query.Format.
const (
	FormatTable      = "table"
	FormatTimeSeries = "timeseries"
)

// Bounds on what one query may ask for.
const (
	DefaultResolution = 5 * time.Minute
	MaxWindow         = 93 * 24 * time.Hour
	// MaxBuckets bounds the points of a time series.
	MaxBuckets = 2000
	// defaultBuckets is how many points a time series gets when the step is
	// not given.
	defaultBuckets  = 120
	maxFilterValues = 100
	maxFilterLabels = 10
	maxNameLen      = 253
)

// Query is one allocation request.
type Query struct {
	Start, End time.Time
	// Resolution is the sampling step of the integration: each sample of a
	// running container counts for one resolution of time. Default 5m.
	Resolution time.Duration
	// Step is the width of one time-series bucket (a multiple of the
	// resolution); zero chooses about 120 buckets. The table form ignores it.
	Step    time.Duration
	GroupBy string
	Filter  Filter
	Format  string
}

// Filter keeps the containers that match every non-empty field.
type Filter struct {
	Namespaces []string          `json:"namespace,omitempty"`
	Workloads  []string          `json:"workload,omitempty"`
	Pods       []string          `json:"pod,omitempty"`
	Nodes      []string          `json:"node,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
}

// filterJSON accepts a single string or a list for each field.
type filterJSON struct {
	Namespace stringList        `json:"namespace"`
	Workload  stringList        `json:"workload"`
	Pod       stringList        `json:"pod"`
	Node      stringList        `json:"node"`
	Labels    map[string]string `json:"labels"`
}

type stringList []string

func (s *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		if one != "" {
			*s = []string{one}
		}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("want a string or a list of strings")
	}
	*s = many
	return nil
}

// QueryJSON is the data source's cost query:
// {"groupBy":"namespace|workload|pod|node|label:<name>","filter":{...},"format":"table|timeseries"}.
type QueryJSON struct {
	GroupBy string     `json:"groupBy"`
	Filter  filterJSON `json:"filter"`
	Format  string     `json:"format"`
	// Resolution and Step are Go or Prometheus durations ("5m", "1h").
	Resolution string `json:"resolution"`
	Step       string `json:"step"`
}

// maxQueryBytes bounds a cost query's JSON.
const maxQueryBytes = 64 << 10

// ParseQuery reads a cost query's JSON for the window [start, end].
func ParseQuery(r io.Reader, start, end time.Time) (Query, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxQueryBytes+1))
	if err != nil {
		return Query{}, fmt.Errorf("read cost query: %w", err)
	}
	if len(data) > maxQueryBytes {
		return Query{}, fmt.Errorf("cost query is larger than %d bytes", maxQueryBytes)
	}
	var qj QueryJSON
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &qj); err != nil {
			return Query{}, fmt.Errorf("cost query JSON: %w", err)
		}
	}
	q := Query{
		Start:   start,
		End:     end,
		GroupBy: qj.GroupBy,
		Format:  qj.Format,
		Filter: Filter{
			Namespaces: qj.Filter.Namespace,
			Workloads:  qj.Filter.Workload,
			Pods:       qj.Filter.Pod,
			Nodes:      qj.Filter.Node,
			Labels:     qj.Filter.Labels,
		},
	}
	if q.Resolution, err = parseDuration("resolution", qj.Resolution); err != nil {
		return Query{}, err
	}
	if q.Step, err = parseDuration("step", qj.Step); err != nil {
		return Query{}, err
	}
	if err := q.normalise(); err != nil {
		return Query{}, err
	}
	return q, nil
}

func parseDuration(field, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		d2, err2 := parsePromDuration(s)
		if err2 != nil {
			return 0, fmt.Errorf("%s %q: want a duration such as 5m or 1h", field, s)
		}
		d = d2
	}
	return d, nil
}

// parsePromDuration reads the day and week units Go's parser lacks.
func parsePromDuration(s string) (time.Duration, error) {
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			var v int
			if _, err := fmt.Sscanf(n, "%d", &v); err != nil || v <= 0 || fmt.Sprint(v) != n {
				return 0, fmt.Errorf("bad duration %q", s)
			}
			return time.Duration(v) * u.unit, nil
		}
	}
	return 0, fmt.Errorf("bad duration %q", s)
}

// ParseWindow reads a window such as "24h", "7d" or "2w".
func ParseWindow(s string) (time.Duration, error) {
	d, err := parseDuration("window", s)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("window %q: want a positive duration", s)
	}
	return d, nil
}

// labelName is what a Kubernetes label key may hold, enough to map it to
// kube-state-metrics' label_<sanitised> form.
var labelName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._/-]{0,252})$`)

// Validate reports what is wrong with q, as Allocate would, without
// querying anything.
func (q Query) Validate() error { return q.normalise() }

// normalise applies defaults, aligns the window to the resolution and
// validates everything that came from outside.
func (q *Query) normalise() error {
	if q.GroupBy == "" {
		q.GroupBy = ByNamespace
	}
	switch q.GroupBy {
	case ByNamespace, ByWorkload, ByPod, ByNode, ByContainer:
	default:
		name, ok := strings.CutPrefix(q.GroupBy, labelPrefix)
		if !ok || !labelName.MatchString(name) {
			return fmt.Errorf("groupBy %q: want namespace, workload, pod, node, container or label:<name>", q.GroupBy)
		}
	}
	if q.Format == "" {
		q.Format = FormatTable
	}
	if q.Format != FormatTable && q.Format != FormatTimeSeries {
		return fmt.Errorf("format %q: want table or timeseries", q.Format)
	}
	if q.Resolution == 0 {
		q.Resolution = DefaultResolution
	}
	if q.Resolution < time.Minute || q.Resolution > 24*time.Hour || q.Resolution%time.Minute != 0 {
		return fmt.Errorf("resolution %s: want whole minutes between 1m and 24h", q.Resolution)
	}
	if q.Start.IsZero() || q.End.IsZero() {
		return errors.New("the window needs a start and an end")
	}
	q.Start = q.Start.UTC().Truncate(q.Resolution)
	q.End = q.End.UTC().Truncate(q.Resolution)
	window := q.End.Sub(q.Start)
	if window < q.Resolution {
		return fmt.Errorf("window [%s, %s] is shorter than the resolution %s", q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339), q.Resolution)
	}
	if window > MaxWindow {
		return fmt.Errorf("window of %s is longer than the %s allowed", window, MaxWindow)
	}
	if q.Format == FormatTable {
		q.Step = window
	} else {
		if q.Step == 0 {
			q.Step = max(q.Resolution, (window/defaultBuckets+q.Resolution-1)/q.Resolution*q.Resolution)
		}
		if q.Step < q.Resolution || q.Step%q.Resolution != 0 {
			return fmt.Errorf("step %s: want a multiple of the resolution %s", q.Step, q.Resolution)
		}
		if q.Step > window {
			q.Step = window
		}
		if window/q.Step > MaxBuckets {
			return fmt.Errorf("step %s gives %d points over the window, at most %d", q.Step, window/q.Step, MaxBuckets)
		}
		// Whole buckets ending at End: the window starts where the first one does.
		q.Start = q.End.Add(-window / q.Step * q.Step)
	}
	return q.Filter.validate()
}

func (f *Filter) validate() error {
	lists := []struct {
		name string
		vals []string
	}{{"namespace", f.Namespaces}, {"workload", f.Workloads}, {"pod", f.Pods}, {"node", f.Nodes}}
	for _, l := range lists {
		if len(l.vals) > maxFilterValues {
			return fmt.Errorf("filter %s has %d values, at most %d", l.name, len(l.vals), maxFilterValues)
		}
		for _, v := range l.vals {
			if v == "" || len(v) > maxNameLen || strings.ContainsAny(v, "\"\\\n") {
				return fmt.Errorf("filter %s value %q: want a Kubernetes name", l.name, v)
			}
		}
	}
	if len(f.Labels) > maxFilterLabels {
		return fmt.Errorf("filter labels has %d entries, at most %d", len(f.Labels), maxFilterLabels)
	}
	for k, v := range f.Labels {
		if !labelName.MatchString(k) || len(v) > 63 {
			return fmt.Errorf("filter label %q=%q: want a Kubernetes label", k, v)
		}
	}
	sort.Strings(f.Namespaces)
	return nil
}

// ksmLabel is kube-state-metrics' name for a Kubernetes label key:
// label_ and the key with every character outside [a-zA-Z0-9_] turned into _.
func ksmLabel(key string) string {
	var b strings.Builder
	b.WriteString("label_")
	for _, r := range key {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
