package trace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// Defaults of Options.
const (
	DefaultMaxTraces     = 20
	DefaultMaxSpans      = 500
	DefaultLookback      = 15 * time.Minute
	DefaultBaseline      = 30 * time.Minute
	DefaultSlowThreshold = time.Second
	DefaultMaxGroups     = 5
	// Hard caps whatever the settings say: a summary reads at most
	// 3*MaxTraces*MaxSpans spans.
	maxTracesCap = 200
	maxSpansCap  = 5000
)

// Options bound a collection. Zero values take the defaults.
type Options struct {
	// MaxTraces is the most traces read per query (three queries per
	// collection); MaxSpans the most spans kept per trace.
	MaxTraces int
	MaxSpans  int
	// Lookback is how far before the alert's start its window begins;
	// Baseline how long the window before that is.
	Lookback time.Duration
	Baseline time.Duration
	// SlowThreshold is when an operation without a baseline counts as slow,
	// and what the problem query asks for besides errors.
	SlowThreshold time.Duration
	// MaxGroups bounds each kind of group.
	MaxGroups int
}

func (o Options) withDefaults() Options {
	if o.MaxTraces <= 0 {
		o.MaxTraces = DefaultMaxTraces
	}
	o.MaxTraces = min(o.MaxTraces, maxTracesCap)
	if o.MaxSpans <= 0 {
		o.MaxSpans = DefaultMaxSpans
	}
	o.MaxSpans = min(o.MaxSpans, maxSpansCap)
	if o.Lookback <= 0 {
		o.Lookback = DefaultLookback
	}
	if o.Baseline <= 0 {
		o.Baseline = DefaultBaseline
	}
	if o.SlowThreshold <= 0 {
		o.SlowThreshold = DefaultSlowThreshold
	}
	if o.MaxGroups <= 0 {
		o.MaxGroups = DefaultMaxGroups
	}
	return o
}

// Collector summarises a source's traces for an alert.
type Collector struct {
	src Source
	opt Options
}

// NewCollector prepares a collector over src.
func NewCollector(src Source, opt Options) *Collector {
	return &Collector{src: src, opt: opt.withDefaults()}
}

// Name is the source's name, for degraded entries.
func (c *Collector) Name() string { return c.src.Name() }

// Ping checks the source.
func (c *Collector) Ping(ctx context.Context) error { return c.src.Ping(ctx) }

// Services are the service.name values to try for a target, most specific
// first: OpenTelemetry's service.name is usually the workload or Service.
func Services(a incident.Alert, t incident.Target) []string {
	var out []string
	for _, s := range []string{a.Labels["service_name"], a.Labels["service"], t.Service, t.Workload.Name, a.Labels["app"], a.Labels["job"]} {
		s = strings.TrimSpace(s)
		if s != "" && serviceNameRe.MatchString(s) && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// maxServiceTries bounds how many candidate names are asked for.
const maxServiceTries = 3

// Collect reads the traces of the alert's service around anchor (the
// alert's start) up to now, and the baseline before, and summarises them.
// It tries the candidate service names in turn until one has traces. On
// error it returns what it could summarise with the error.
func (c *Collector) Collect(ctx context.Context, a incident.Alert, t incident.Target, anchor, now time.Time) ([]incident.TraceGroup, error) {
	services := Services(a, t)
	if len(services) == 0 {
		return nil, errors.New("traces: the alert names no service to look traces up by")
	}
	start := anchor.Add(-c.opt.Lookback)
	var errs []error
	for _, svc := range services[:min(len(services), maxServiceTries)] {
		w, err := c.windows(ctx, svc, start, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("service %s: %w", svc, err))
		}
		if len(w.Problem)+len(w.Window)+len(w.Baseline) > 0 {
			return Summarize(c.src.Name(), w, c.opt.SlowThreshold, c.opt.MaxGroups), errors.Join(errs...)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// windows runs the three queries concurrently.
func (c *Collector) windows(ctx context.Context, service string, start, end time.Time) (Windows, error) {
	base := Query{Service: service, Start: start, End: end, Limit: c.opt.MaxTraces, MaxSpans: c.opt.MaxSpans}
	problem := base
	problem.ErrorsOnly, problem.MinDuration = true, c.opt.SlowThreshold
	baseline := base
	baseline.Start, baseline.End = start.Add(-c.opt.Baseline), start
	queries := []Query{problem, base, baseline}
	results := make([][]Trace, len(queries))
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	for i, q := range queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.src.Traces(ctx, q)
		}()
	}
	wg.Wait()
	return Windows{Problem: results[0], Window: results[1], Baseline: results[2]}, errors.Join(errs...)
}
