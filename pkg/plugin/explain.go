package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/alert"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// explainJob is one explanation to make.
type explainJob struct {
	alert    incident.Alert
	provider Provider
	refresh  bool
	user     string
	progress explain.Progress
	// w receives the Retry-After header of a budget refusal (nil in the
	// background).
	w http.ResponseWriter
}

// explainAlert collects the alert's evidence and returns the cached
// explanation when the same alert with the same evidence was explained
// within the cache TTL, else asks the pipeline and stores the answer.
func (s *service) explainAlert(ctx context.Context, job explainJob) (incident.Explanation, error) {
	progress := job.progress
	if progress == nil {
		progress = func(string, string) {}
	}
	start := time.Now()
	pl, prov, err := s.pipeline(job.provider)
	if err != nil {
		return incident.Explanation{}, err
	}
	g, err := s.evidenceGatherer()
	if err != nil {
		return incident.Explanation{}, err
	}
	progress(explain.StageResolving, "")
	progress(explain.StageCollecting, "")
	b, err := g.Collect(ctx, job.alert, s.now())
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("collect evidence: %w", err)
	}
	if b.Alert.Labels == nil {
		b.Alert = job.alert
	}
	collect := time.Since(start)
	key := cacheKey(job.alert, b, prov)
	if !job.refresh {
		if ex, ok := s.cached(ctx, key, prov); ok {
			progress(explain.StageDone, "")
			return ex, nil
		}
	}
	if !llm.IsOffline(prov) {
		if err := s.checkBudget(ctx, job.w); err != nil {
			return incident.Explanation{}, err
		}
	}
	ex, err := pl.ExplainBundle(ctx, b, progress)
	if err != nil {
		s.count(prov, "", outcomeOf(err))
		return incident.Explanation{}, err
	}
	ex.Timings.CollectMs = collect.Milliseconds()
	ex.Timings.TotalMs = time.Since(start).Milliseconds()
	s.record(ctx, ex, prov, job.user, key)
	return ex, nil
}

// summarize is the seed-compatible path: raw logs in, no collection.
func (s *service) summarize(ctx context.Context, logs, user string, w http.ResponseWriter) (incident.Explanation, error) {
	pl, prov, err := s.pipeline("")
	if err != nil {
		return incident.Explanation{}, err
	}
	if !llm.IsOffline(prov) {
		if err := s.checkBudget(ctx, w); err != nil {
			return incident.Explanation{}, err
		}
	}
	ex, err := pl.Summarize(ctx, logs, explain.Request{User: user})
	if err != nil {
		s.count(prov, "", outcomeOf(err))
		return incident.Explanation{}, err
	}
	s.record(ctx, ex, prov, user, "")
	return ex, nil
}

func outcomeOf(err error) string {
	if errors.Is(err, context.Canceled) {
		return outcomeCancelled
	}
	return outcomeError
}

func (s *service) count(prov llm.Provider, category, outcome string) {
	s.metrics.Explanations.WithLabelValues(prov.Name(), category, outcome).Inc()
}

// cached returns a stored explanation for key that is younger than the TTL.
func (s *service) cached(ctx context.Context, key string, prov llm.Provider) (incident.Explanation, bool) {
	ttl := time.Duration(s.settings.CacheTTL)
	if ttl <= 0 {
		return incident.Explanation{}, false
	}
	st, err := s.history(ctx)
	if err != nil {
		return incident.Explanation{}, false
	}
	rec, ok, err := st.Cached(ctx, key, s.now().Add(-ttl))
	if err != nil {
		s.logger.Warn("Reading the explanation cache failed", "requestId", ctxRequestID(ctx), "error", err)
		return incident.Explanation{}, false
	}
	if !ok {
		return incident.Explanation{}, false
	}
	s.metrics.CacheHits.Inc()
	s.count(prov, string(rec.Explanation.RootCause.Category), outcomeCached)
	if err := st.RecordUsage(ctx, store.UsageEvent{At: s.now(), Provider: prov.Name(), Model: prov.Model(), CacheHit: true}); err != nil {
		s.logger.Warn("Recording a cache hit failed", "requestId", ctxRequestID(ctx), "error", err)
	}
	return rec.Explanation, true
}

// record counts a fresh explanation and stores it with its usage. A store
// failure is logged, not returned: the user still gets the answer.
func (s *service) record(ctx context.Context, ex incident.Explanation, prov llm.Provider, user, key string) {
	name, model := ex.Provider.Name, ex.Provider.Model
	if name == "" {
		name, model = prov.Name(), prov.Model()
	}
	s.metrics.Explanations.WithLabelValues(name, string(ex.RootCause.Category), outcomeOK).Inc()
	if !llm.IsOffline(prov) {
		s.metrics.ModelLatency.WithLabelValues(name, model).Observe(float64(ex.Timings.LLMMs) / 1000)
	}
	s.metrics.Tokens.WithLabelValues(name, model, "prompt").Add(float64(ex.Usage.PromptTokens))
	s.metrics.Tokens.WithLabelValues(name, model, "completion").Add(float64(ex.Usage.CompletionTokens))
	s.metrics.CostUSD.WithLabelValues(name, model).Add(ex.Usage.CostUSD)
	st, err := s.history(ctx)
	if err != nil {
		return
	}
	// The request may have been answered already when the viewer leaves;
	// storing must not depend on it.
	ctx = context.WithoutCancel(ctx)
	if err := st.Save(ctx, store.Record{Explanation: ex, User: user, CacheKey: key}); err != nil {
		s.logger.Error("Saving the explanation failed", "requestId", ctxRequestID(ctx), "id", ex.ID, "error", err)
	}
	if err := st.RecordUsage(ctx, store.UsageEvent{At: s.now(), Provider: name, Model: model,
		PromptTokens: ex.Usage.PromptTokens, CompletionTokens: ex.Usage.CompletionTokens, CostUSD: ex.Usage.CostUSD}); err != nil {
		s.logger.Error("Recording usage failed", "requestId", ctxRequestID(ctx), "id", ex.ID, "error", err)
	}
}

// cacheKey identifies an alert, the model asked and the state of its
// evidence. It leaves out what changes on every collection without
// changing the story (timestamps, counts of repeated events, log text, metric
// samples) and keeps what does change it: pod phases and container states,
// restart reasons, workload readiness, rollouts, event reasons, failing
// sources. The alert's startsAt is in, so a new firing is a new key.
func cacheKey(a incident.Alert, b *incident.Bundle, prov llm.Provider) string {
	h := sha256.New()
	line := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		h.Write([]byte{'\n'})
	}
	line("v1", prov.Name(), prov.Model())
	labels := make([]string, 0, len(a.Labels))
	for k, v := range a.Labels {
		labels = append(labels, k+"="+v)
	}
	slices.Sort(labels)
	line(labels...)
	line(a.Status, a.StartsAt.UTC().Format(time.RFC3339))
	var lines []string
	for _, p := range b.Pods {
		for _, c := range p.Containers {
			last := ""
			if c.LastTermination != nil {
				last = c.LastTermination.Reason + "/" + strconv.Itoa(int(c.LastTermination.ExitCode))
			}
			lines = append(lines, strings.Join([]string{"pod", p.Namespace, p.Name, p.Phase, p.Reason, c.Name, c.Image, c.State, c.Reason, last, strconv.FormatBool(c.Ready)}, "\x00"))
		}
	}
	for _, w := range b.Workloads {
		lines = append(lines, strings.Join([]string{"workload", w.Entity.String(), strings.Join(w.Images, ","),
			strconv.Itoa(int(w.Replicas)), strconv.Itoa(int(w.Ready)), strconv.Itoa(int(w.Failed))}, "\x00"))
	}
	for _, r := range b.Rollouts {
		lines = append(lines, strings.Join([]string{"rollout", r.Owner.String(), r.Name, strconv.FormatInt(r.Revision, 10)}, "\x00"))
	}
	for _, e := range b.Events {
		lines = append(lines, strings.Join([]string{"event", e.Object.String(), e.Type, e.Reason}, "\x00"))
	}
	for _, n := range b.Nodes {
		for _, c := range n.Conditions {
			lines = append(lines, strings.Join([]string{"node", n.Name, c.Type, c.Status}, "\x00"))
		}
	}
	for _, d := range b.Degraded {
		lines = append(lines, "degraded\x00"+d.Source)
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	for _, l := range lines {
		line(l)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// requestID is the id of the request, shared by its log lines and its error envelope.
func requestID(r *http.Request) string { return ctxRequestID(r.Context()) }

// ctxRequestID is the request id carried by ctx; background work has none
// and logs the alert or explanation instead.
func ctxRequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// postExplain serves POST /explain.
func (a *App) postExplain(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	u := requestUser(r.Context())
	q := r.URL.Query()
	provider := Provider(strings.ToLower(strings.TrimSpace(q.Get("provider"))))
	refresh := q.Get("refresh") == "true" || q.Get("refresh") == "1"
	streamParam := q.Get("stream")
	if streamParam != "" && !validStreamID.MatchString(streamParam) {
		return Errorf(http.StatusBadRequest, "stream must be 8 to 64 letters, digits, '-' or '_'")
	}
	alerts, err := alert.Parse(r.Body)
	if err != nil {
		return alertError(err)
	}
	if len(alerts) == 0 {
		return Errorf(http.StatusBadRequest, "the body holds no alert")
	}
	if err := a.svc.checkRate(w, userName(u)); err != nil {
		return err
	}
	job := explainJob{alert: alerts[0], provider: provider, refresh: refresh, user: userName(u), w: w}
	ctx := r.Context()
	var t *topic
	if streamParam != "" {
		t, err = a.svc.hub.claim(streamParam, userName(u))
		if err != nil {
			return Errorf(http.StatusConflict, "the stream id %s is in use; make a new one", streamParam)
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		t.attachJob(cancel)
		defer t.detachJob()
		job.progress = func(stage, token string) {
			if token != "" {
				t.publish(streamEvent{Stage: explain.StageAskingModel, Token: token})
				return
			}
			if stage != explain.StageDone {
				t.publish(streamEvent{Stage: stage})
			}
		}
	}
	a.logger.Info("Explaining alert", "requestId", requestID(r), "alertname", clip(job.alert.Name(), 128),
		"user", job.user, "provider", string(provider), "refresh", refresh, "stream", streamParam != "")
	ex, err := a.svc.explainAlert(ctx, job)
	if t != nil {
		if err != nil {
			_, msg := statusOf(err)
			t.publish(streamEvent{Stage: streamStageErr, Error: msg})
		} else {
			t.publish(streamEvent{Stage: streamStageDone, Explanation: &ex})
		}
	}
	if err != nil {
		return err
	}
	a.logger.Info("Explained alert", "requestId", requestID(r), "id", ex.ID, "category", string(ex.RootCause.Category),
		"provider", ex.Provider.Name, "totalMs", ex.Timings.TotalMs)
	writeJSON(w, http.StatusOK, ex)
	return nil
}

// alertError maps the alert parser's errors to 400 and 413.
func alertError(err error) error {
	var ie *alert.InputError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &ie):
		return &StatusError{Status: http.StatusBadRequest, Message: ie.Error(), Err: err}
	case errors.Is(err, alert.ErrTooLarge), errors.As(err, &tooBig):
		return &StatusError{Status: http.StatusRequestEntityTooLarge, Message: fmt.Sprintf("the body is larger than %d bytes", min(alert.MaxBodyBytes, maxRequestBody)), Err: err}
	}
	return fmt.Errorf("read alert: %w", err)
}

// summarizeRequest and summarizeResponse are the seed's API.
type summarizeRequest struct {
	Logs string `json:"logs"`
}

type summarizeResponse struct {
	Summary   string   `json:"summary"`
	RootCause string   `json:"rootCause"`
	NextSteps []string `json:"nextSteps"`
	// Explanation is the full answer, for clients that want more.
	Explanation incident.Explanation `json:"explanation"`
}

// postSummarize serves POST /summarize.
func (a *App) postSummarize(w http.ResponseWriter, r *http.Request) error {
	if err := a.ready(); err != nil {
		return err
	}
	var req summarizeRequest
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return Errorf(http.StatusBadRequest, `the body is empty; send {"logs": "..."}`)
		}
		return Errorf(http.StatusBadRequest, `the body is not JSON of the form {"logs": "..."}`)
	}
	if strings.TrimSpace(req.Logs) == "" {
		return Errorf(http.StatusBadRequest, `"logs" is empty; send the log lines to summarize`)
	}
	u := requestUser(r.Context())
	if err := a.svc.checkRate(w, userName(u)); err != nil {
		return err
	}
	ex, err := a.svc.summarize(r.Context(), req.Logs, userName(u), w)
	if err != nil {
		return err
	}
	resp := summarizeResponse{Summary: ex.Summary, RootCause: ex.RootCause.Description, Explanation: ex, NextSteps: []string{}}
	if resp.RootCause == "" {
		resp.RootCause = string(ex.RootCause.Category)
	}
	for _, s := range ex.NextSteps {
		text := s.Text
		if s.Command != "" {
			text += ": " + s.Command
		}
		resp.NextSteps = append(resp.NextSteps, text)
	}
	a.logger.Info("Summarized logs", "requestId", requestID(r), "id", ex.ID, "user", userName(u), "bytes", len(req.Logs))
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// ready refuses work when the settings are invalid.
func (a *App) ready() error {
	if a.settingsErr != nil || a.svc == nil {
		return errSettings
	}
	return nil
}
