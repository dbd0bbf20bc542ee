package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// Findings are collected live from the cluster: bounded in time and cached
// briefly, since a dashboard refreshes every panel at once and often.
const (
	findingsTimeout     = 20 * time.Second
	findingsTTL         = 30 * time.Second
	defaultRows         = 100
	maxFindingsCached   = 256
	findingsAlertName   = "DashboardFindings"
	explanationsMaxRows = 1000
)

func limitOr(q Query, def int) int {
	if q.Limit > 0 {
		return q.Limit
	}
	return def
}

func errResponse(status backend.Status, format string, args ...any) backend.DataResponse {
	return backend.ErrDataResponseWithSource(status, backend.ErrorSourcePlugin, fmt.Sprintf(format, args...))
}

// queryFindings serves the log watch's stored findings of the namespace,
// then runs the evidence collection and the analyzers (no model) for the
// namespace or label selector, as if an alert named them.
func (d *Datasource) queryFindings(ctx context.Context, q Query, dq backend.DataQuery) backend.DataResponse {
	if q.Namespace == "" && q.Selector == "" {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream,
			"findings need a namespace or a selector (for example namespace shop, selector app=order)")
	}
	watched, watchErr := d.watchFindings(ctx, q, dq)
	key := q.Namespace + "\x00" + q.Selector
	ex, err := d.findings.get(key, d.now(), func() (incident.Explanation, error) {
		if d.engine == nil {
			return incident.Explanation{}, fmt.Errorf("the data source settings are invalid: %w", d.settingsErr)
		}
		labels := q.Labels()
		labels["alertname"] = findingsAlertName
		if q.Namespace != "" {
			labels["namespace"] = q.Namespace
		}
		ctx, cancel := context.WithTimeout(ctx, findingsTimeout)
		defer cancel()
		return d.engine.Findings(ctx, incident.Alert{Labels: labels, Status: "firing", StartsAt: d.now()})
	})
	// The log watch's findings still answer when the live collection cannot.
	if err != nil && len(watched) == 0 {
		return errResponse(backend.StatusInternal, "findings for %s: %v", describe(q), err)
	}
	limit := limitOr(q, defaultRows)
	watched = watched[:min(len(watched), limit)]
	live := ex.Findings[:min(len(ex.Findings), limit-len(watched))]
	n := len(watched) + len(live)
	frame := data.NewFrame("findings",
		data.NewField("severity", nil, make([]string, n)),
		data.NewField("category", nil, make([]string, n)),
		data.NewField("title", nil, make([]string, n)),
		data.NewField("kind", nil, make([]string, n)),
		data.NewField("name", nil, make([]string, n)),
		data.NewField("namespace", nil, make([]string, n)),
		data.NewField("confidence", nil, make([]float64, n)).SetConfig(&data.FieldConfig{DisplayName: "Confidence", Unit: "percentunit"}),
		data.NewField("detail", nil, make([]string, n)),
		data.NewField("analyzer", nil, make([]string, n)),
		data.NewField("alert", nil, make([]string, n)),
	)
	row := func(i int, f incident.Finding, alert string) {
		frame.SetRow(i, string(f.Severity), string(f.Category), f.Title, f.Entity.Kind, f.Entity.Name, f.Entity.Namespace, f.Confidence, f.Detail, f.Analyzer, alert)
	}
	for i, w := range watched {
		// The synthetic alert, ready for POST /explain from a panel link.
		alert, _ := json.Marshal(w.Alert)
		row(i, w.Finding, string(alert))
	}
	for i, f := range live {
		row(len(watched)+i, f, "")
	}
	setNames(frame, map[string]string{"severity": "Severity", "category": "Category", "title": "Finding", "kind": "Kind",
		"name": "Object", "namespace": "Namespace", "detail": "Detail", "analyzer": "Analyzer", "alert": "Alert"})
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	for _, note := range ex.Notes {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: note})
	}
	for _, dg := range ex.Degraded {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: dg.Source + ": " + dg.Error})
	}
	for _, e := range []error{err, watchErr} {
		if e != nil {
			frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: e.Error()})
		}
	}
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// watchFindings are the log watch's findings of the query's namespace
// raised in its time range (the last day when it has none), newest first.
// Without a history there are none, which is not an error unless the
// watch is on.
func (d *Datasource) watchFindings(ctx context.Context, q Query, dq backend.DataQuery) ([]incident.WatchFinding, error) {
	if d.engine == nil {
		return nil, nil
	}
	st, err := d.history(ctx)
	if err != nil {
		if d.engine.Settings().Watch.Enabled {
			return nil, fmt.Errorf("log watch findings: %w", err)
		}
		return nil, nil
	}
	from, to := dq.TimeRange.From, dq.TimeRange.To
	if from.IsZero() {
		from = d.now().Add(-24 * time.Hour)
	}
	found, err := st.WatchFindings(ctx, q.Namespace, from, limitOr(q, defaultRows))
	if err != nil {
		return nil, fmt.Errorf("log watch findings: %w", err)
	}
	if !to.IsZero() {
		found = slices.DeleteFunc(found, func(f incident.WatchFinding) bool { return f.At.After(to) })
	}
	return found, nil
}

func describe(q Query) string {
	switch {
	case q.Namespace != "" && q.Selector != "":
		return "namespace " + q.Namespace + " selector " + q.Selector
	case q.Namespace != "":
		return "namespace " + q.Namespace
	}
	return "selector " + q.Selector
}

func setNames(f *data.Frame, names map[string]string) {
	for _, field := range f.Fields {
		if name, ok := names[field.Name]; ok {
			if field.Config == nil {
				field.Config = &data.FieldConfig{}
			}
			field.Config.DisplayName = name
		}
	}
}

// queryExplanations lists history within the dashboard's time range.
func (d *Datasource) queryExplanations(ctx context.Context, q Query, dq backend.DataQuery) backend.DataResponse {
	if q.Category != "" && !incident.Category(q.Category).Valid() {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream,
			fmt.Sprintf("category %s is not one of the root-cause categories", quoteShort(q.Category)))
	}
	st, err := d.history(ctx)
	if err != nil {
		return errResponse(backend.StatusInternal, "%v", err)
	}
	limit := min(limitOr(q, defaultRows), explanationsMaxRows)
	recs, _, err := st.List(ctx, store.Filter{AlertName: q.AlertName, Namespace: q.Namespace, Category: q.Category,
		Since: dq.TimeRange.From, Limit: limit})
	if err != nil {
		return errResponse(backend.StatusInternal, "read history: %v", err)
	}
	frame := data.NewFrame("explanations",
		data.NewField("time", nil, []time.Time{}),
		data.NewField("alertname", nil, []string{}),
		data.NewField("namespace", nil, []string{}),
		data.NewField("category", nil, []string{}),
		data.NewField("summary", nil, []string{}),
		data.NewField("confidence", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "Confidence", Unit: "percentunit"}),
		data.NewField("provider", nil, []string{}),
		data.NewField("model", nil, []string{}),
		data.NewField("user", nil, []string{}),
		data.NewField("helpful", nil, []*bool{}),
		data.NewField("tokens", nil, []int64{}).SetConfig(&data.FieldConfig{DisplayName: "Tokens", Unit: "short"}),
		data.NewField("cost", nil, []float64{}).SetConfig(&data.FieldConfig{DisplayName: "Cost", Unit: "currencyUSD"}),
		data.NewField("id", nil, []string{}),
	)
	for _, r := range recs {
		ex := r.Explanation
		if !dq.TimeRange.To.IsZero() && ex.CreatedAt.After(dq.TimeRange.To) {
			continue
		}
		var helpful *bool
		if r.Feedback != nil {
			h := r.Feedback.Helpful
			helpful = &h
		}
		frame.AppendRow(ex.CreatedAt, ex.Alert.Name(), ex.Alert.Labels["namespace"], string(ex.RootCause.Category), ex.Summary,
			ex.RootCause.Confidence, ex.Provider.Name, ex.Provider.Model, r.User, helpful,
			int64(ex.Usage.PromptTokens+ex.Usage.CompletionTokens), ex.Usage.CostUSD, ex.ID)
	}
	setNames(frame, map[string]string{"time": "Time", "alertname": "Alert", "namespace": "Namespace", "category": "Category",
		"summary": "Summary", "provider": "Provider", "model": "Model", "user": "Asked by", "helpful": "Helpful", "id": "ID"})
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// queryUsage returns one daily series per provider and model: tokens, or
// cost in dollars.
func (d *Datasource) queryUsage(ctx context.Context, q Query, dq backend.DataQuery) backend.DataResponse {
	st, err := d.history(ctx)
	if err != nil {
		return errResponse(backend.StatusInternal, "%v", err)
	}
	from, to := dq.TimeRange.From, dq.TimeRange.To
	if to.IsZero() {
		to = d.now()
	}
	if from.IsZero() || from.After(to) {
		from = to.AddDate(0, 0, -30)
	}
	days, err := st.Usage(ctx, from, to)
	if err != nil {
		return errResponse(backend.StatusInternal, "read usage: %v", err)
	}
	type series struct {
		labels data.Labels
		name   string
		byDay  map[time.Time]float64
	}
	byKey := map[string]*series{}
	var keys []string
	for _, day := range days {
		if (q.Provider != "" && day.Provider != q.Provider) || (q.Model != "" && day.Model != q.Model) || (q.User != "" && day.User != q.User) {
			continue
		}
		t, err := time.Parse("2006-01-02", day.Day)
		if err != nil {
			continue
		}
		k, name, labels := usageSeries(q.GroupBy, day)
		s, ok := byKey[k]
		if !ok {
			s = &series{labels: labels, name: name, byDay: map[time.Time]float64{}}
			byKey[k] = s
			keys = append(keys, k)
		}
		v := float64(day.PromptTokens + day.CompletionTokens)
		if q.Metric == MetricCost {
			v = day.CostUSD
		}
		s.byDay[t] += v
	}
	sort.Strings(keys)
	unit, what := "short", "Tokens"
	if q.Metric == MetricCost {
		unit, what = "currencyUSD", "Cost"
	}
	var frames data.Frames
	for _, k := range keys {
		s := byKey[k]
		times := make([]time.Time, 0, len(s.byDay))
		for t := range s.byDay {
			times = append(times, t)
		}
		slices.SortFunc(times, time.Time.Compare)
		values := make([]float64, len(times))
		for i, t := range times {
			values[i] = s.byDay[t]
		}
		value := data.NewField(q.Metric, s.labels, values).
			SetConfig(&data.FieldConfig{DisplayNameFromDS: strings.TrimSpace(what + " " + s.name), Unit: unit})
		frame := data.NewFrame("ai_usage", data.NewField("time", nil, times), value)
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, PreferredVisualization: data.VisTypeGraph}
		frames = append(frames, frame)
	}
	if len(frames) == 0 {
		// An empty frame with the right schema keeps panels from showing
		// "no data" errors from a missing field type.
		frames = data.Frames{data.NewFrame("ai_usage", data.NewField("time", nil, []time.Time{}),
			data.NewField(q.Metric, nil, []float64{}).SetConfig(&data.FieldConfig{Unit: unit}))}
	}
	return backend.DataResponse{Frames: frames}
}

// usageSeries is the series a ledger row adds to under the grouping: its
// key, display name and labels. Background work (the webhook) has no user.
func usageSeries(groupBy string, day store.UsageDay) (string, string, data.Labels) {
	switch groupBy {
	case UsageByProvider:
		return day.Provider, day.Provider, data.Labels{"provider": day.Provider}
	case UsageByUser:
		user := day.User
		if user == "" {
			user = "(background)"
		}
		return user, user, data.Labels{"user": user}
	case UsageByDay:
		return "all", "", nil
	}
	return day.Provider + "/" + day.Model, strings.TrimSpace(day.Provider + " " + day.Model), data.Labels{"provider": day.Provider, "model": day.Model}
}

// findingsCache keeps recent findings per query so that a dashboard's
// panels and refreshes share one collection; concurrent askers of one key
// wait for the same collection.
type findingsCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]*findingsEntry
}

type findingsEntry struct {
	ready chan struct{}
	at    time.Time
	ex    incident.Explanation
	err   error
}

func newFindingsCache(ttl time.Duration) *findingsCache {
	return &findingsCache{ttl: ttl, entries: map[string]*findingsEntry{}}
}

func (c *findingsCache) get(key string, now time.Time, load func() (incident.Explanation, error)) (incident.Explanation, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok && (now.Sub(e.at) > c.ttl) {
		select {
		case <-e.ready:
			ok = false
		default:
		}
	}
	if !ok {
		if len(c.entries) >= maxFindingsCached {
			for k, old := range c.entries {
				select {
				case <-old.ready:
					delete(c.entries, k)
				default:
				}
			}
		}
		e = &findingsEntry{ready: make(chan struct{}), at: now}
		c.entries[key] = e
		c.mu.Unlock()
		e.ex, e.err = load()
		if e.err != nil {
			// Failures are not cached: the next refresh tries again.
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key)
			}
			c.mu.Unlock()
		}
		close(e.ready)
		return e.ex, e.err
	}
	c.mu.Unlock()
	<-e.ready
	return e.ex, e.err
}
