// Package explain is the pipeline behind "Explain this alert": collect the
// evidence, redact it, select the logs, run the analyzers, ask the configured
// model within its context window, validate the answer (one repair attempt,
// then the analyzers' explanation) and hand back an incident.Explanation.
// The plugin's HTTP API, the CLI and the evaluation all call it the same way.
package explain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/cloudobs/aiops-app/pkg/analyze"
	"github.com/cloudobs/aiops-app/pkg/finops"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/logs"
	"github.com/cloudobs/aiops-app/pkg/prompt"
	"github.com/cloudobs/aiops-app/pkg/redact"
	"github.com/cloudobs/aiops-app/pkg/tokens"
)

// Gatherer collects the evidence bundle for an alert (pkg/evidence).
type Gatherer interface {
	Collect(ctx context.Context, a incident.Alert, now time.Time) (*incident.Bundle, error)
}

// Config wires a Pipeline. Zero fields take the documented defaults.
type Config struct {
	// Gatherer collects evidence; nil means no collection (Summarize only).
	Gatherer Gatherer
	// Provider is the model; nil or llm.Offline answers from the analyzers.
	Provider llm.Provider
	// Redactor scrubs secrets; nil means redact.New(redact.Options{}).
	// Redaction is never off.
	Redactor *redact.Redactor
	// LogTokenBudget bounds the selected log templates (default 1500).
	LogTokenBudget int
	// AnswerTokens is reserved for the model's answer (default 1024).
	AnswerTokens int
	// PromptTokenBudget caps the prompt (default 6000); it is lowered further
	// to the model's context window minus AnswerTokens.
	PromptTokenBudget int
	// Now is the clock (default time.Now); the CLI passes --now.
	Now func() time.Time
	// IDs makes explanation ids (default NewID).
	IDs func() string
	// Cache reuses explanations of the same evidence and keeps new ones;
	// nil means every request is explained afresh and nothing is kept.
	Cache Cache
	// Gate is asked before every model call; nil means no limit.
	Gate Gate
	// Pricing prices the incident's compute (default finops.DefaultPricing).
	Pricing *finops.Pricing
	// Deadline bounds one explanation from the moment it is asked for: the
	// model is asked only until then, and a model still silent at the
	// deadline is given up for the analyzers' answer, with the model named
	// in degraded. Without it a silent model holds the caller for every
	// attempt's timeout in turn. Zero leaves the caller's context as the
	// only bound.
	Deadline time.Duration
}

// Request is one explanation to make.
type Request struct {
	Alert incident.Alert
	// User is who asked ("" for background work); the gate and the cache
	// record it.
	User string
	// Refresh skips the cache lookup (the answer is still kept).
	Refresh bool
	// Progress receives stage changes and streamed summary pieces.
	Progress Progress
	// Collected, when set, is Alert's evidence already collected (by
	// Collect, of this or another pipeline with the same redaction): it is
	// explained through the cache and the gate like a fresh collection,
	// without collecting again.
	Collected *Collected
}

// Collected is evidence collected and prepared (redacted, logs mined, ids
// assigned) for one alert, so that it can be analysed and then explained
// by another pipeline without a second collection. It is read, not
// changed, by the explanations made from it, one at a time.
type Collected struct {
	bundle *incident.Bundle
	took   time.Duration
}

// Cache remembers explanations. Lookup returns one made for the same key
// (user is who asked, for the usage ledger);
// Keep records a new one, with key "" when it must not be reused (log
// summaries have no evidence state to compare), and says when it could not:
// the answer then lists the history as degraded.
type Cache interface {
	Lookup(ctx context.Context, key, user string) (incident.Explanation, bool)
	Keep(ctx context.Context, key string, ex incident.Explanation, user string) error
}

// historyNotSaved is the degraded entry of an answer the history did not
// keep; the error stays in the plugin's log, which redacts it.
var historyNotSaved = incident.Degraded{Source: "history", Error: "not saved: the store refused the write (see the plugin log)"}

// keep records ex in the cache and history, and lists the history as
// degraded in the answer when that failed.
func (p *Pipeline) keep(ctx context.Context, key string, ex incident.Explanation, user string) incident.Explanation {
	if p.cfg.Cache == nil {
		return ex
	}
	if err := p.cfg.Cache.Keep(context.WithoutCancel(ctx), key, ex, user); err != nil {
		ex.Degraded = append(slices.Clip(ex.Degraded), historyNotSaved)
	}
	return ex
}

// ModelCall describes a model request about to be sent.
type ModelCall struct {
	User, Provider, Model string
	// PromptTokens is the prompt's size; MaxOutputTokens caps the answer.
	PromptTokens, MaxOutputTokens int
}

// Gate decides whether a model call may be made (budgets, quotas). A
// refusal is returned to the caller as is. When it allows the call, settle
// must be called once with what the call really consumed, failed and cut
// calls included.
type Gate interface {
	BeforeModel(ctx context.Context, call ModelCall) (settle func(incident.Usage), err error)
}

// Defaults of Config.
const (
	DefaultLogTokenBudget    = 1500
	DefaultAnswerTokens      = 1024
	DefaultPromptTokenBudget = 6000
	// temperature is low: the answer should follow the evidence, not vary.
	temperature = 0.1
)

// Progress stages, in order.
const (
	StageResolving   = "resolving"
	StageCollecting  = "collecting"
	StageAnalyzing   = "analyzing"
	StageAskingModel = "asking_model"
	StageDone        = "done"
)

// Progress reports a stage change (token empty) or, during asking_model, a
// piece of the summary as the model writes it.
type Progress func(stage string, token string)

// Pipeline explains alerts. It is safe for concurrent use.
type Pipeline struct {
	cfg      Config
	redactor *redact.Redactor
	provider llm.Provider
	// flight makes concurrent requests for the same key share one answer.
	flight singleflight.Group
}

// New returns a pipeline with cfg's defaults filled in.
func New(cfg Config) *Pipeline {
	if cfg.LogTokenBudget <= 0 {
		cfg.LogTokenBudget = DefaultLogTokenBudget
	}
	if cfg.AnswerTokens <= 0 {
		cfg.AnswerTokens = DefaultAnswerTokens
	}
	if cfg.PromptTokenBudget <= 0 {
		cfg.PromptTokenBudget = DefaultPromptTokenBudget
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IDs == nil {
		cfg.IDs = NewID
	}
	if cfg.Pricing == nil {
		pricing := finops.DefaultPricing()
		cfg.Pricing = &pricing
	}
	p := &Pipeline{cfg: cfg, redactor: cfg.Redactor, provider: cfg.Provider}
	if p.redactor == nil {
		p.redactor = redact.New(redact.Options{})
	}
	if p.provider == nil {
		p.provider = llm.Offline{}
	}
	return p
}

// ErrNoGatherer is returned by Explain when the pipeline has no evidence
// collection configured.
var ErrNoGatherer = errors.New("no evidence sources configured (Kubernetes, Prometheus or logs)")

// Explain collects the evidence for req.Alert (unless req.Collected holds
// it) and explains it, reusing the cached explanation of the same evidence
// unless req.Refresh is set.
func (p *Pipeline) Explain(ctx context.Context, req Request) (incident.Explanation, error) {
	progress := orNop(req.Progress)
	start := time.Now()
	if p.cfg.Gatherer == nil && req.Collected == nil {
		return incident.Explanation{}, ErrNoGatherer
	}
	progress(StageResolving, "")
	progress(StageCollecting, "")
	c := req.Collected
	if c == nil {
		var err error
		if c, err = p.Collect(ctx, req.Alert); err != nil {
			return incident.Explanation{}, err
		}
	} else {
		// A handed-over collection counts its own time, spent before this call.
		start = start.Add(-c.took)
	}
	b, collect := c.bundle, c.took
	progress(StageAnalyzing, "")
	key := p.cacheKey(b)
	if p.cfg.Cache != nil && !req.Refresh {
		if ex, ok := p.cfg.Cache.Lookup(ctx, key, req.User); ok {
			progress(StageDone, "")
			return ex, nil
		}
	}
	fresh := func() (incident.Explanation, error) {
		ex, err := p.explain(ctx, b, req.User, progress, start)
		if err != nil {
			return ex, err
		}
		ex.Timings.CollectMs = collect.Milliseconds()
		ex.Timings.TotalMs = time.Since(start).Milliseconds()
		return p.keep(ctx, key, ex, req.User), nil
	}
	v, err, shared := p.flight.Do(key, func() (any, error) { return fresh() })
	if shared && err != nil && ctx.Err() == nil && errors.Is(err, context.Canceled) {
		// The request this one waited on was cancelled by its viewer; this
		// one still wants the answer.
		return fresh()
	}
	ex, _ := v.(incident.Explanation)
	if shared && err == nil {
		progress(StageDone, "")
	}
	return ex, err
}

// Collect gathers the evidence for a and prepares it, as Explain does before
// it analyses it.
func (p *Pipeline) Collect(ctx context.Context, a incident.Alert) (*Collected, error) {
	if p.cfg.Gatherer == nil {
		return nil, ErrNoGatherer
	}
	start := time.Now()
	b, err := p.cfg.Gatherer.Collect(ctx, a, p.cfg.Now())
	if err != nil {
		return nil, fmt.Errorf("collect evidence: %w", err)
	}
	if b == nil {
		return nil, errors.New("collect evidence: the gatherer returned no bundle")
	}
	if b.Alert.Labels == nil {
		b.Alert = a
	}
	took := time.Since(start)
	p.prepare(b)
	return &Collected{bundle: b, took: took}, nil
}

// cacheKey is the model asked and the state of the evidence.
func (p *Pipeline) cacheKey(b *incident.Bundle) string {
	return p.provider.Name() + "/" + p.provider.Model() + "/" + b.StateKey()
}

// ExplainBundle runs the stages after collection, for replayed bundles and
// tests. b is modified in place: redacted, logs selected, ids assigned. It
// neither reads nor fills the cache.
func (p *Pipeline) ExplainBundle(ctx context.Context, b *incident.Bundle, progress Progress) (incident.Explanation, error) {
	if b == nil {
		return incident.Explanation{}, errors.New("explain: no bundle")
	}
	start := time.Now()
	progress = orNop(progress)
	progress(StageAnalyzing, "")
	p.prepare(b)
	ex, err := p.explain(ctx, b, "", progress, start)
	ex.Timings.TotalMs = time.Since(start).Milliseconds()
	return ex, err
}

// prepare redacts b, mines its logs into templates and numbers its
// evidence: everything after it, the cache key and the prompt included, is
// built from the redacted bundle only.
func (p *Pipeline) prepare(b *incident.Bundle) {
	if b.Now.IsZero() {
		b.Now = p.cfg.Now()
	}
	p.redactor.Bundle(b)
	if len(b.Templates) == 0 && len(b.Logs) > 0 {
		b.Templates = logs.Select(b.Logs, logs.SelectOptions{StartsAt: b.Alert.StartsAt, TokenBudget: p.cfg.LogTokenBudget,
			Terminated: terminatedContainers(b)})
		// Templates carry example lines: scrub them too, in case mining
		// joined pieces a line-level pass could not see whole.
		for i := range b.Templates {
			t := &b.Templates[i]
			t.Pattern = p.redactor.String(t.Pattern)
			for j := range t.Examples {
				t.Examples[j] = p.redactor.String(t.Examples[j])
			}
		}
	}
	b.AssignIDs()
}

// explain analyses a prepared bundle and, unless the provider is offline,
// asks the model about it, until Deadline after start.
func (p *Pipeline) explain(ctx context.Context, b *incident.Bundle, user string, progress Progress, start time.Time) (incident.Explanation, error) {
	an := analyze.Analyze(b)
	var ex incident.Explanation
	var llmTime time.Duration
	if llm.IsOffline(p.provider) {
		ex = an.Explanation(b)
	} else {
		progress(StageAskingModel, "")
		asked := time.Now()
		var err error
		ex, err = p.ask(ctx, b, an, user, progress, start)
		if err != nil {
			return incident.Explanation{}, err
		}
		llmTime = time.Since(asked)
	}
	if err := ctx.Err(); err != nil {
		return incident.Explanation{}, fmt.Errorf("explain: %w", err)
	}
	p.redactor.Explanation(&ex)
	p.finish(&ex, b)
	ex.Timings.LLMMs = llmTime.Milliseconds()
	progress(StageDone, "")
	return ex, nil
}

// ask runs the model path: prompt, gate, streamed answer, validation, one
// repair, and the analyzers' explanation when the model cannot be used. Its
// only error is the gate's refusal.
func (p *Pipeline) ask(ctx context.Context, b *incident.Bundle, an analyze.Analysis, user string, progress Progress, start time.Time) (incident.Explanation, error) {
	catalog := b.Catalog()
	known := make(map[string]bool, len(catalog))
	for _, e := range catalog {
		known[e.ID] = true
	}
	budget := p.promptBudget()
	pr, err := prompt.Build(prompt.Input{
		Alert: b.Alert, Target: b.Target, Findings: an.Findings, Evidence: catalog, Suggested: an.Root,
		Notes: b.Notes, Degraded: b.Degraded, Now: b.Now,
	}, budget, p.provider.CountTokens, tokens.Truncate)
	if err != nil {
		return p.fallback(b, an, "", fmt.Errorf("build prompt: %w", err), llm.Usage{}), nil
	}
	if pr.Tokens > budget {
		// Even without evidence the prompt does not fit: sending it would
		// only be cut or refused by the model.
		return p.fallback(b, an, "", fmt.Errorf("the model's context window (%d tokens) leaves %d for the prompt, which needs %d; choose a model with a larger context or set its real context window in the provider's settings",
			p.provider.ContextWindow(), budget, pr.Tokens), llm.Usage{}), nil
	}
	settle := func(incident.Usage) {}
	if p.cfg.Gate != nil {
		settle, err = p.cfg.Gate.BeforeModel(ctx, ModelCall{User: user, Provider: p.provider.Name(), Model: p.provider.Model(),
			PromptTokens: pr.Tokens, MaxOutputTokens: p.cfg.AnswerTokens})
		if err != nil {
			return incident.Explanation{}, err
		}
	}
	ex := p.askModel(ctx, b, an, pr, known, progress, start)
	settle(ex.Usage)
	return ex, nil
}

// askModel sends the built prompt, validates the answer and repairs it
// once, all within the explanation's deadline.
func (p *Pipeline) askModel(ctx context.Context, b *incident.Bundle, an analyze.Analysis, pr prompt.Prompt, known map[string]bool, progress Progress, start time.Time) incident.Explanation {
	if p.cfg.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, start.Add(p.cfg.Deadline))
		defer cancel()
	}
	// late says why a call failed when the deadline, not the caller or the
	// provider, ended it.
	late := func(err error) error {
		if p.cfg.Deadline > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("no answer within the explanation deadline (%s): %w", p.cfg.Deadline, err)
		}
		return err
	}
	req := llm.Request{
		System:      pr.System,
		Messages:    []llm.Message{{Role: llm.RoleUser, Content: pr.User}},
		MaxTokens:   p.cfg.AnswerTokens,
		Temperature: temperature,
		Schema:      &llm.Schema{Name: prompt.SchemaName, JSON: pr.Schema},
	}
	shown := &redactingStream{redactor: p.redactor, emit: func(s string) { progress(StageAskingModel, s) }}
	summary := prompt.NewSummaryStream(shown.write)
	var received strings.Builder
	resp, err := p.provider.Stream(ctx, req, func(piece string) {
		if received.Len() < prompt.MaxAnswerBytes {
			received.WriteString(piece)
		}
		summary.Write(piece)
	})
	shown.flush()
	if err != nil {
		return p.fallback(b, an, "", late(fmt.Errorf("ask %s: %w", p.provider.Name(), err)), p.consumed(resp.Usage, pr.Tokens, received.String()))
	}
	usage := resp.Usage
	check := prompt.Known{Evidence: known, Data: pr.User, Citations: findingCitations(an.Findings)}
	answer, verr := prompt.Parse(resp.Text, check)
	if verr != nil {
		first := resp.Text
		assistant, fix := prompt.Repair(resp.Text, verr)
		req.Messages = append(req.Messages,
			llm.Message{Role: llm.RoleAssistant, Content: assistant},
			llm.Message{Role: llm.RoleUser, Content: fix})
		resp, err = p.provider.Complete(ctx, req)
		usage.Add(resp.Usage)
		if err != nil {
			return p.fallback(b, an, first, late(fmt.Errorf("repair request to %s: %w", p.provider.Name(), err)), usage)
		}
		answer, verr = prompt.Parse(resp.Text, check)
		if verr != nil {
			return p.fallback(b, an, first, fmt.Errorf("the model's answer was invalid twice: %w", verr), usage)
		}
	}
	ex := incident.Explanation{
		Fingerprint: b.Alert.Fingerprint,
		Summary:     answer.Summary,
		RootCause:   answer.RootCause,
		Findings:    an.Findings,
		Evidence:    analyze.CitedEvidence(b, answer.Evidence, an.Findings),
		NextSteps:   answer.NextSteps,
		Usage:       incident.Usage(usage),
	}
	if len(ex.NextSteps) == 0 {
		ex.NextSteps = analyze.NextSteps(b, ex.RootCause)
	}
	for _, r := range answer.Repairs {
		ex.Notes = append(ex.Notes, "model answer repaired: "+r)
	}
	if pr.Omitted > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d lower-priority evidence items were not shown to the model (token budget)", pr.Omitted))
	}
	return ex
}

// consumed is what a failed or cut call used: the provider's own count
// when it gave one, else the prompt sent and the answer received so far,
// counted and priced as the model would, so budgets see every call.
func (p *Pipeline) consumed(reported llm.Usage, promptTokens int, received string) llm.Usage {
	if reported.PromptTokens > 0 || reported.CompletionTokens > 0 {
		return reported
	}
	completion := p.provider.CountTokens(received)
	return llm.Usage{PromptTokens: promptTokens, CompletionTokens: completion,
		CostUSD: p.provider.Price().Cost(promptTokens, completion)}
}

// findingCitations are the evidence ids the analyzers' findings cite, per
// category: what an answer that cites nothing is given for its category.
func findingCitations(findings []incident.Finding) map[incident.Category][]string {
	out := map[incident.Category][]string{}
	for _, f := range findings {
		for _, id := range f.Evidence {
			if !slices.Contains(out[f.Category], id) {
				out[f.Category] = append(out[f.Category], id)
			}
		}
	}
	return out
}

// promptBudget is the configured cap, lowered to what the model's context
// window leaves after the answer.
func (p *Pipeline) promptBudget() int {
	budget := p.cfg.PromptTokenBudget
	if w := p.provider.ContextWindow(); w > 0 {
		budget = min(budget, w-p.cfg.AnswerTokens)
	}
	return max(budget, 0)
}

// fallback is the analyzers' explanation with the reason the model's was not
// used, and the model's text when there was one.
func (p *Pipeline) fallback(b *incident.Bundle, an analyze.Analysis, modelText string, cause error, usage llm.Usage) incident.Explanation {
	ex := an.Explanation(b)
	ex.ModelText = clipText(modelText, prompt.MaxAnswerBytes)
	ex.Usage = incident.Usage(usage)
	ex.Notes = append(ex.Notes, "answered from the analyzers: "+oneLine(cause.Error()))
	ex.Degraded = append(ex.Degraded, incident.Degraded{Source: "llm/" + p.provider.Name(), Error: oneLine(cause.Error())})
	return ex
}

// finish fills the fields every explanation carries.
func (p *Pipeline) finish(ex *incident.Explanation, b *incident.Bundle) {
	ex.ID = p.cfg.IDs()
	ex.Fingerprint = b.Alert.Fingerprint
	ex.Alert = b.Alert
	ex.CreatedAt = b.Now
	ex.Provider = incident.ProviderInfo{Name: p.provider.Name(), Model: p.provider.Model()}
	ex.IncidentCost = finops.IncidentCost(b, *p.cfg.Pricing, ex.Usage.CostUSD)
	if ex.Degraded == nil {
		ex.Degraded = []incident.Degraded{}
	}
	if ex.Findings == nil {
		ex.Findings = []incident.Finding{}
	}
	if ex.Evidence == nil {
		ex.Evidence = []incident.Evidence{}
	}
	if ex.NextSteps == nil {
		ex.NextSteps = []incident.NextStep{}
	}
	// Collection caveats come first; the model path's notes follow.
	seen := map[string]bool{}
	notes := make([]string, 0, len(b.Notes)+len(ex.Notes))
	for _, n := range append(append([]string(nil), b.Notes...), ex.Notes...) {
		if !seen[n] {
			seen[n] = true
			notes = append(notes, n)
		}
	}
	ex.Notes = notes
	deg := make([]incident.Degraded, 0, len(b.Degraded)+len(ex.Degraded))
	seenDeg := map[incident.Degraded]bool{}
	for _, d := range append(append([]incident.Degraded(nil), b.Degraded...), ex.Degraded...) {
		if !seenDeg[d] {
			seenDeg[d] = true
			deg = append(deg, d)
		}
	}
	ex.Degraded = deg
}

// terminatedContainers names the containers whose current run has ended, so
// log selection keeps their last lines.
func terminatedContainers(b *incident.Bundle) []string {
	var out []string
	for _, pod := range b.Pods {
		for _, c := range pod.Containers {
			if c.State == "terminated" {
				out = append(out, pod.Namespace+"/"+pod.Name+"/"+c.Name)
			}
		}
	}
	return out
}

func orNop(p Progress) Progress {
	if p == nil {
		return func(string, string) {}
	}
	return p
}
