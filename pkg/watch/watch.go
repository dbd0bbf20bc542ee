// Package watch tails the logs of selected namespaces, mines their templates
// online per workload, and raises a finding when a new error template
// appears after a warm-up or when a template's rate jumps against its own
// baseline. It reads logs through a Source, and time through a clock, so a
// run is deterministic given both. Memory and work are bounded per watched
// container: bytes and lines per poll, templates per workload (least
// recently seen evicted first), one example per template.
package watch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/logs"
	"github.com/cloudobs/aiops-app/pkg/redact"
)

// Container is one watched container.
type Container struct {
	Namespace string
	Pod       string
	Container string
	// Workload groups the pods that write the same templates (a
	// Deployment's replicas); the miner and the baselines are per workload.
	Workload string
}

func (c Container) key() string { return c.Namespace + "/" + c.Pod + "/" + c.Container }

// Source lists the containers to watch and reads their logs.
type Source interface {
	// Containers lists at most max containers of the pods matching selector
	// ("" for all) in namespace, in a stable order.
	Containers(ctx context.Context, namespace, selector string, max int) ([]Container, error)
	// Logs returns at most maxBytes of the container's log written at or
	// after since, each line prefixed by its RFC 3339 timestamp (the
	// kubelet's --timestamps form).
	Logs(ctx context.Context, c Container, since time.Time, maxBytes int64) ([]byte, error)
}

// Options bound and tune a Watcher. Zero fields take DefaultOptions'.
type Options struct {
	Namespaces []string
	Selector   string
	// Interval is the time between polls; each poll reads what was written
	// since the previous one (the first reads one Interval back).
	Interval time.Duration
	// MaxContainers bounds the containers watched per namespace.
	MaxContainers int
	// MaxBytesPerPoll and MaxLinesPerPoll bound what one container's poll
	// reads and mines; the lines beyond them are read next poll.
	MaxBytesPerPoll int64
	MaxLinesPerPoll int
	// MaxTemplates bounds the templates kept per workload.
	MaxTemplates int
	// WarmUpPolls is how many polls of a workload only learn its templates:
	// what it logged before the watch began is not new.
	WarmUpPolls int
	// BaselinePolls is how many past polls a template's baseline rate is
	// the mean of.
	BaselinePolls int
	// SurgeFactor and MinSurgeCount: a template surges when its lines in a
	// poll reach SurgeFactor times its baseline and at least MinSurgeCount.
	SurgeFactor   float64
	MinSurgeCount int
	// Cooldown is how long a template raises no second finding of the same kind.
	Cooldown time.Duration
	Now      func() time.Time
	// Redactor removes secrets from the templates and examples; nil uses
	// the default rules.
	Redactor *redact.Redactor
	// Observe, when set, is told what each poll did (the plugin's metrics).
	Observe func(PollStats)
}

// PollStats is what one poll did: the watch's own cost and health, for
// metrics. It carries counts only, never log text.
type PollStats struct {
	// Duration is the poll's wall time (the real clock, not Options.Now,
	// which may be a replay's).
	Duration time.Duration
	// Containers were read, and Lines mined from them.
	Containers int
	Lines      int
	// Templates are held after the poll, over every workload.
	Templates int
	// Findings counts the findings raised by kind.
	Findings map[string]int
	// Errors counts by namespace what could not be read: the namespace's
	// pod listing or one of its containers' logs.
	Errors map[string]int
}

// DefaultOptions are the bounds the docs state.
func DefaultOptions() Options {
	return Options{
		Interval:        30 * time.Second,
		MaxContainers:   50,
		MaxBytesPerPoll: 256 << 10,
		MaxLinesPerPoll: 2000,
		MaxTemplates:    500,
		WarmUpPolls:     2,
		BaselinePolls:   10,
		SurgeFactor:     5,
		MinSurgeCount:   20,
		Cooldown:        15 * time.Minute,
		Now:             time.Now,
	}
}

// Hard limits on options from outside (flags, settings).
const (
	maxNamespaces    = 20
	maxContainers    = 500
	maxBytesPerPoll  = 4 << 20
	maxLinesPerPoll  = 50_000
	maxTemplates     = 10_000
	maxBaselinePolls = 100
	minInterval      = time.Second
	maxExampleBytes  = 512
	maxTemplateBytes = 1024
)

func (o Options) withDefaults() (Options, error) {
	d := DefaultOptions()
	if o.Interval == 0 {
		o.Interval = d.Interval
	}
	if o.MaxContainers == 0 {
		o.MaxContainers = d.MaxContainers
	}
	if o.MaxBytesPerPoll == 0 {
		o.MaxBytesPerPoll = d.MaxBytesPerPoll
	}
	if o.MaxLinesPerPoll == 0 {
		o.MaxLinesPerPoll = d.MaxLinesPerPoll
	}
	if o.MaxTemplates == 0 {
		o.MaxTemplates = d.MaxTemplates
	}
	if o.WarmUpPolls == 0 {
		o.WarmUpPolls = d.WarmUpPolls
	}
	if o.BaselinePolls == 0 {
		o.BaselinePolls = d.BaselinePolls
	}
	if o.SurgeFactor == 0 {
		o.SurgeFactor = d.SurgeFactor
	}
	if o.MinSurgeCount == 0 {
		o.MinSurgeCount = d.MinSurgeCount
	}
	if o.Cooldown == 0 {
		o.Cooldown = d.Cooldown
	}
	if o.Now == nil {
		o.Now = d.Now
	}
	if o.Redactor == nil {
		o.Redactor = redact.New(redact.Options{})
	}
	var errs []error
	switch {
	case len(o.Namespaces) == 0:
		errs = append(errs, errors.New("at least one namespace is required"))
	case len(o.Namespaces) > maxNamespaces:
		errs = append(errs, fmt.Errorf("%d namespaces: at most %d", len(o.Namespaces), maxNamespaces))
	}
	if o.Interval < minInterval {
		errs = append(errs, fmt.Errorf("interval %s: at least %s", o.Interval, minInterval))
	}
	check := func(name string, v, hi int64) {
		if v < 1 || v > hi {
			errs = append(errs, fmt.Errorf("%s %d is outside 1..%d", name, v, hi))
		}
	}
	check("max containers", int64(o.MaxContainers), maxContainers)
	check("max bytes per poll", o.MaxBytesPerPoll, maxBytesPerPoll)
	check("max lines per poll", int64(o.MaxLinesPerPoll), maxLinesPerPoll)
	check("max templates", int64(o.MaxTemplates), maxTemplates)
	check("warm-up polls", int64(o.WarmUpPolls), maxBaselinePolls)
	check("baseline polls", int64(o.BaselinePolls), maxBaselinePolls)
	if o.SurgeFactor < 1 || o.SurgeFactor > 1000 {
		errs = append(errs, fmt.Errorf("surge factor %g is outside 1..1000", o.SurgeFactor))
	}
	check("min surge count", int64(o.MinSurgeCount), 1_000_000)
	return o, errors.Join(errs...)
}

// Watcher polls a Source. It is not safe for concurrent use: one goroutine
// calls Poll (or Run).
type Watcher struct {
	src        Source
	opt        Options
	workloads  map[string]*workload
	containers map[string]*tail
}

// tail is where the reading of one container stands.
type tail struct {
	// last is the newest timestamp read and atLast the lines read at
	// exactly that time: the API's sinceTime is in seconds, so a poll
	// re-reads the end of the previous one and skips those.
	last   time.Time
	atLast int
	seen   bool // listed in the latest poll
}

// workload is one workload's miner and per-template statistics.
type workload struct {
	miner *logs.Miner
	stats map[string]*templateStats
	polls int
}

// templateStats counts a template's lines per poll over a ring of the last
// BaselinePolls polls.
type templateStats struct {
	ring     []int
	filled   int // polls recorded in ring, up to len(ring)
	current  int
	level    string
	example  string
	source   Container
	raised   map[string]time.Time
	newAfter bool // first seen after the warm-up
}

// New returns a Watcher, or the errors of its options.
func New(src Source, opt Options) (*Watcher, error) {
	o, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Watcher{src: src, opt: o, workloads: map[string]*workload{}, containers: map[string]*tail{}}, nil
}

// Watched is the number of containers the latest poll listed.
func (w *Watcher) Watched() int { return len(w.containers) }

// Options are the watcher's options with defaults applied.
func (w *Watcher) Options() Options { return w.opt }

// Run polls every Interval until ctx ends, handing each finding to emit and
// each poll's problems to problem (which may be nil).
func (w *Watcher) Run(ctx context.Context, emit func(incident.WatchFinding), problem func(error)) {
	ticker := time.NewTicker(w.opt.Interval)
	defer ticker.Stop()
	for {
		found, err := w.Poll(ctx)
		for _, f := range found {
			emit(f)
		}
		if err != nil && problem != nil && ctx.Err() == nil {
			problem(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Poll reads each watched container's new lines once and returns the
// findings they raise, oldest first. A namespace or container that cannot
// be read is reported in the error and the others still count.
func (w *Watcher) Poll(ctx context.Context) ([]incident.WatchFinding, error) {
	start := time.Now()
	now := w.opt.Now()
	var errs []error
	stats := PollStats{Findings: map[string]int{}, Errors: map[string]int{}}
	for _, t := range w.containers {
		t.seen = false
	}
	touched := map[string]*workload{}
	for _, ns := range w.opt.Namespaces {
		list, err := w.src.Containers(ctx, ns, w.opt.Selector, w.opt.MaxContainers)
		if err != nil {
			errs = append(errs, fmt.Errorf("list pods in %s: %w", ns, err))
			stats.Errors[ns]++
			continue
		}
		for _, c := range list[:min(len(list), w.opt.MaxContainers)] {
			wl := w.workload(c)
			touched[c.Namespace+"/"+c.Workload] = wl
			lines, err := w.read(ctx, c, wl, now)
			stats.Containers++
			stats.Lines += lines
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", c.key(), err))
				stats.Errors[ns]++
			}
		}
	}
	// Containers gone from the listing (pods replaced) free their state.
	for k, t := range w.containers {
		if !t.seen {
			delete(w.containers, k)
		}
	}
	var found []incident.WatchFinding
	keys := make([]string, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		found = append(found, w.judge(touched[k], now)...)
	}
	if w.opt.Observe != nil {
		for _, f := range found {
			stats.Findings[f.Kind]++
		}
		for _, wl := range w.workloads {
			stats.Templates += wl.miner.Len()
		}
		stats.Duration = time.Since(start)
		w.opt.Observe(stats)
	}
	return found, errors.Join(errs...)
}

func (w *Watcher) workload(c Container) *workload {
	key := c.Namespace + "/" + c.Workload
	wl := w.workloads[key]
	if wl == nil {
		wl = &workload{miner: logs.NewMiner(logs.MinerConfig{MaxTemplates: w.opt.MaxTemplates}), stats: map[string]*templateStats{}}
		wl.miner.OnEvict(func(id string) { delete(wl.stats, id) })
		w.workloads[key] = wl
	}
	return wl
}

// read mines the lines one container wrote since its last read and says
// how many.
func (w *Watcher) read(ctx context.Context, c Container, wl *workload, now time.Time) (int, error) {
	t := w.containers[c.key()]
	if t == nil {
		t = &tail{last: now.Add(-w.opt.Interval)}
		w.containers[c.key()] = t
	}
	t.seen = true
	raw, err := w.src.Logs(ctx, c, t.last.Truncate(time.Second), w.opt.MaxBytesPerPoll)
	if err != nil {
		return 0, err
	}
	full := int64(len(raw)) >= w.opt.MaxBytesPerPoll
	if full {
		// The cut-off line is read whole next poll.
		if i := bytes.LastIndexByte(raw, '\n'); i >= 0 {
			raw = raw[:i+1]
		}
	}
	parser := logs.NewParser()
	prevLast, prevAtLast, sameAsPrev := t.last, t.atLast, 0
	lines := 0
	for len(raw) > 0 && lines < w.opt.MaxLinesPerPoll {
		var line []byte
		line, raw, _ = bytes.Cut(raw, []byte{'\n'})
		ts, text, ok := splitTimestamp(line)
		// Lines stamped after now wait for the next poll, so that a poll
		// counts only its own interval (and a replay sees no future).
		if !ok || ts.Before(prevLast) || ts.After(now) {
			continue
		}
		if ts.Equal(prevLast) {
			if sameAsPrev++; sameAsPrev <= prevAtLast {
				continue
			}
		}
		switch {
		case ts.After(t.last):
			t.last, t.atLast = ts, 1
		case ts.Equal(t.last):
			t.atLast++
		}
		lines++
		for _, r := range parser.AddAt(ts, text) {
			w.mine(wl, c, r)
		}
	}
	for _, r := range parser.Flush() {
		w.mine(wl, c, r)
	}
	if full && lines == 0 && sameAsPrev > 0 {
		// More than a poll's bytes were written within the second read
		// last: asking from that second again would return the same lines
		// for ever, so the rest of it is given up.
		t.last, t.atLast = prevLast.Truncate(time.Second).Add(time.Second), 0
	}
	return lines, nil
}

// splitTimestamp cuts the kubelet's RFC 3339 timestamp off a line.
func splitTimestamp(line []byte) (time.Time, string, bool) {
	head, text, ok := bytes.Cut(line, []byte{' '})
	if !ok {
		return time.Time{}, "", false
	}
	ts, err := time.Parse(time.RFC3339Nano, string(head))
	if err != nil {
		return time.Time{}, "", false
	}
	return ts, strings.TrimRight(string(text), "\r"), true
}

// mine adds one record to its workload's templates and counts it.
func (w *Watcher) mine(wl *workload, c Container, r logs.Record) {
	text := r.MineText()
	if strings.TrimSpace(text) == "" {
		return
	}
	id := wl.miner.Add(text)
	st := wl.stats[id]
	if st == nil {
		st = &templateStats{ring: make([]int, w.opt.BaselinePolls), newAfter: wl.polls >= w.opt.WarmUpPolls}
		wl.stats[id] = st
	}
	st.current++
	if logs.SeverityRank(r.Level) > logs.SeverityRank(st.level) || st.example == "" {
		st.level = r.Level
		st.example = cut(r.Raw, maxExampleBytes)
		st.source = c
	}
}

// judge closes a workload's poll: it raises the findings of the counts
// just taken and moves them into the baselines.
func (w *Watcher) judge(wl *workload, now time.Time) []incident.WatchFinding {
	warm := wl.polls >= w.opt.WarmUpPolls
	wl.polls++
	ids := make([]string, 0, len(wl.stats))
	for id := range wl.stats {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var found []incident.WatchFinding
	for _, id := range ids {
		st := wl.stats[id]
		if warm && st.current > 0 {
			baseline := st.baseline()
			switch {
			case st.newAfter && st.filled == 0 && logs.SeverityRank(st.level) >= logs.SeverityRank(logs.LevelError):
				found = w.raise(found, wl, id, st, incident.WatchNewErrorTemplate, baseline, now)
			case st.filled > 0 && logs.SeverityRank(st.level) >= logs.SeverityRank(logs.LevelWarn) &&
				st.current >= w.opt.MinSurgeCount && float64(st.current) >= w.opt.SurgeFactor*max(baseline, 1):
				found = w.raise(found, wl, id, st, incident.WatchTemplateSurge, baseline, now)
			}
		}
		st.ring[wl.polls%len(st.ring)] = st.current
		st.filled = min(st.filled+1, len(st.ring))
		st.current = 0
	}
	return found
}

// baseline is the mean lines per poll over the recorded polls.
func (st *templateStats) baseline() float64 {
	if st.filled == 0 {
		return 0
	}
	sum := 0
	for _, n := range st.ring {
		sum += n
	}
	return float64(sum) / float64(st.filled)
}

func (w *Watcher) raise(found []incident.WatchFinding, wl *workload, id string, st *templateStats, kind string, baseline float64, now time.Time) []incident.WatchFinding {
	if at, ok := st.raised[kind]; ok && now.Sub(at) < w.opt.Cooldown {
		return found
	}
	if st.raised == nil {
		st.raised = map[string]time.Time{}
	}
	st.raised[kind] = now
	tmpl, _ := wl.miner.Template(id)
	return append(found, w.finding(kind, st, cut(w.opt.Redactor.String(tmpl.Pattern), maxTemplateBytes), baseline, now))
}

func (w *Watcher) finding(kind string, st *templateStats, pattern string, baseline float64, now time.Time) incident.WatchFinding {
	c := st.source
	example := w.opt.Redactor.String(st.example)
	var title, detail string
	severity := incident.SeverityWarning
	if logs.SeverityRank(st.level) >= logs.SeverityRank(logs.LevelError) {
		severity = incident.SeverityCritical
	}
	if kind == incident.WatchNewErrorTemplate {
		title = fmt.Sprintf("New %s log template in %s", levelName(st.level), c.Workload)
		detail = fmt.Sprintf("%d lines of a template not seen before in %s/%s: %s", st.current, c.Pod, c.Container, pattern)
	} else {
		title = fmt.Sprintf("Log template rate jumped in %s", c.Workload)
		detail = fmt.Sprintf("%d lines in the last poll against %.1f per poll before (%.0f×) in %s/%s: %s",
			st.current, baseline, float64(st.current)/max(baseline, 1), c.Pod, c.Container, pattern)
	}
	id := findingID(kind, c, pattern, now)
	labels := map[string]string{
		"alertname": kind, "namespace": c.Namespace, "pod": c.Pod, "container": c.Container,
		"severity": string(severity), "source": "aiops-watch",
	}
	return incident.WatchFinding{
		ID: id, At: now, Kind: kind, Namespace: c.Namespace, Workload: c.Workload, Pod: c.Pod, Container: c.Container,
		Template: pattern, Level: st.level, Count: st.current, Baseline: baseline, Example: example,
		Finding: incident.Finding{
			ID: id, Analyzer: "logwatch", Category: incident.CategoryUnknown, Severity: severity,
			Title: title, Detail: detail, Entity: incident.Entity{Kind: "Pod", Namespace: c.Namespace, Name: c.Pod},
			Confidence: 0.5, Onset: now,
		},
		Alert: incident.Alert{
			Labels:      labels,
			Annotations: map[string]string{"summary": title, "description": detail},
			Status:      "firing", StartsAt: now, Fingerprint: id,
		},
	}
}

func levelName(level string) string {
	if level == "" {
		return "error"
	}
	return level
}

// findingID is stable for the same finding at the same time.
func findingID(kind string, c Container, pattern string, at time.Time) string {
	h := fnv.New64a()
	for _, s := range []string{kind, c.Namespace, c.Workload, pattern, strconv.FormatInt(at.UnixNano(), 10)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "w" + strconv.FormatUint(h.Sum64(), 16)
}

// cut bounds s to n bytes at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
