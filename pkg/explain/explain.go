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
	"time"

	"github.com/cloudobs/aiops-app/pkg/analyze"
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

// Explain collects the evidence for a and explains it.
func (p *Pipeline) Explain(ctx context.Context, a incident.Alert, progress Progress) (incident.Explanation, error) {
	progress = orNop(progress)
	start := time.Now()
	if p.cfg.Gatherer == nil {
		return incident.Explanation{}, ErrNoGatherer
	}
	progress(StageResolving, "")
	progress(StageCollecting, "")
	b, err := p.cfg.Gatherer.Collect(ctx, a, p.cfg.Now())
	if err != nil {
		return incident.Explanation{}, fmt.Errorf("collect evidence: %w", err)
	}
	if b == nil {
		return incident.Explanation{}, errors.New("collect evidence: the gatherer returned no bundle")
	}
	if b.Alert.Labels == nil {
		b.Alert = a
	}
	collect := time.Since(start)
	ex, err := p.explain(ctx, b, progress)
	if err != nil {
		return ex, err
	}
	ex.Timings.CollectMs = collect.Milliseconds()
	ex.Timings.TotalMs = time.Since(start).Milliseconds()
	return ex, nil
}

// ExplainBundle runs the stages after collection, for replayed bundles and
// tests. b is modified in place: redacted, logs selected, ids assigned.
func (p *Pipeline) ExplainBundle(ctx context.Context, b *incident.Bundle, progress Progress) (incident.Explanation, error) {
	if b == nil {
		return incident.Explanation{}, errors.New("explain: no bundle")
	}
	start := time.Now()
	ex, err := p.explain(ctx, b, orNop(progress))
	ex.Timings.TotalMs = time.Since(start).Milliseconds()
	return ex, err
}

func (p *Pipeline) explain(ctx context.Context, b *incident.Bundle, progress Progress) (incident.Explanation, error) {
	if b.Now.IsZero() {
		b.Now = p.cfg.Now()
	}
	progress(StageAnalyzing, "")
	// Redaction comes first: everything below, the prompt included, is
	// built from the redacted bundle only.
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

	var ex incident.Explanation
	var llmTime time.Duration
	if llm.IsOffline(p.provider) {
		ex = analyze.Offline(b)
	} else {
		progress(StageAskingModel, "")
		start := time.Now()
		ex = p.ask(ctx, b, progress)
		llmTime = time.Since(start)
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

// ask runs the model path: prompt, streamed answer, validation, one repair,
// and the analyzers' explanation when the model cannot be used.
func (p *Pipeline) ask(ctx context.Context, b *incident.Bundle, progress Progress) incident.Explanation {
	findings := analyze.Run(b)
	root, findings := analyze.Rank(b, findings)
	catalog := b.Catalog()
	known := make(map[string]bool, len(catalog))
	for _, e := range catalog {
		known[e.ID] = true
	}
	budget := p.promptBudget()
	pr, err := prompt.Build(prompt.Input{
		Alert: b.Alert, Target: b.Target, Findings: findings, Evidence: catalog, Suggested: root,
		Notes: b.Notes, Degraded: b.Degraded, Now: b.Now,
	}, budget, p.provider.CountTokens, tokens.Truncate)
	if err != nil {
		return p.fallback(b, "", fmt.Errorf("build prompt: %w", err), llm.Usage{})
	}
	if pr.Tokens > budget {
		// Even without evidence the prompt does not fit: sending it would
		// only be cut or refused by the model.
		return p.fallback(b, "", fmt.Errorf("the model's context window (%d tokens) leaves %d for the prompt, which needs %d; use a model with a larger context or set its real size (--context-window)",
			p.provider.ContextWindow(), budget, pr.Tokens), llm.Usage{})
	}
	req := llm.Request{
		System:      pr.System,
		Messages:    []llm.Message{{Role: llm.RoleUser, Content: pr.User}},
		MaxTokens:   p.cfg.AnswerTokens,
		Temperature: temperature,
		Schema:      &llm.Schema{Name: prompt.SchemaName, JSON: pr.Schema},
	}
	summary := prompt.NewSummaryStream(func(s string) { progress(StageAskingModel, s) })
	resp, err := p.provider.Stream(ctx, req, summary.Write)
	if err != nil {
		return p.fallback(b, "", fmt.Errorf("ask %s: %w", p.provider.Name(), err), llm.Usage{})
	}
	usage := resp.Usage
	answer, verr := prompt.Parse(resp.Text, prompt.Known{Evidence: known, Data: pr.User})
	if verr != nil {
		first := resp.Text
		assistant, fix := prompt.Repair(resp.Text, verr)
		req.Messages = append(req.Messages,
			llm.Message{Role: llm.RoleAssistant, Content: assistant},
			llm.Message{Role: llm.RoleUser, Content: fix})
		resp, err = p.provider.Complete(ctx, req)
		if err != nil {
			return p.fallback(b, first, fmt.Errorf("repair request to %s: %w", p.provider.Name(), err), usage)
		}
		usage.Add(resp.Usage)
		answer, verr = prompt.Parse(resp.Text, prompt.Known{Evidence: known, Data: pr.User})
		if verr != nil {
			return p.fallback(b, first, fmt.Errorf("the model's answer was invalid twice: %w", verr), usage)
		}
	}
	ex := incident.Explanation{
		Fingerprint: b.Alert.Fingerprint,
		Summary:     answer.Summary,
		RootCause:   answer.RootCause,
		Findings:    findings,
		Evidence:    citedEvidence(catalog, answer.Evidence, findings),
		NextSteps:   answer.NextSteps,
		Usage:       incident.Usage(usage),
	}
	if len(ex.NextSteps) == 0 {
		ex.NextSteps = analyze.NextSteps(b, ex.RootCause)
	}
	if pr.Omitted > 0 {
		ex.Notes = append(ex.Notes, fmt.Sprintf("%d lower-priority evidence items were not shown to the model (token budget)", pr.Omitted))
	}
	return ex
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
func (p *Pipeline) fallback(b *incident.Bundle, modelText string, cause error, usage llm.Usage) incident.Explanation {
	ex := analyze.Offline(b)
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

// maxEvidence bounds the evidence an explanation carries.
const maxEvidence = 30

// citedEvidence is what the answer cites, then what the findings cite, in
// catalog order, bounded.
func citedEvidence(catalog []incident.Evidence, cited []string, findings []incident.Finding) []incident.Evidence {
	want := map[string]int{}
	for _, id := range cited {
		want[id] = 0
	}
	for _, f := range findings {
		for _, id := range f.Evidence {
			if _, ok := want[id]; !ok {
				want[id] = 1
			}
		}
	}
	out := make([]incident.Evidence, 0, min(len(want), maxEvidence))
	for pass := 0; pass < 2; pass++ {
		for _, e := range catalog {
			if r, ok := want[e.ID]; ok && r == pass && len(out) < maxEvidence {
				out = append(out, e)
			}
		}
	}
	return out
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
