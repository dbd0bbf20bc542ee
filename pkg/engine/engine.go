// Package engine is the composition root: from the settings it builds the
// evidence gatherer, one explain pipeline per provider, the history store
// behind the cache and the budget gate, and it answers Explain and
// Summarize. The Grafana app, its nested data source and the CLI all open an
// Engine and call it; none of them wires the pipeline itself.
package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/finops"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/redact"
	"github.com/cloudobs/aiops-app/pkg/store"
	"github.com/cloudobs/aiops-app/pkg/watch"
)

// Logger is the part of a structured logger the engine uses (Grafana's
// backend logger and slog both fit).
type Logger interface {
	Info(msg string, args ...any)
	Warn(msg string, args ...any)
	Error(msg string, args ...any)
}

// Outcomes told to the Observer.
const (
	OutcomeOK        = "ok"
	OutcomeCached    = "cached"
	OutcomeError     = "error"
	OutcomeCancelled = "cancelled"
)

// Observer is told of every explanation answered (metrics).
type Observer interface {
	Explained(provider, model string, ex incident.Explanation, outcome string)
}

// Options are what the settings do not say: where files live and what the
// caller replaces. Zero values take the documented defaults.
type Options struct {
	// HistoryPath is the store: a SQLite file, or a postgres:// DSN shared
	// by replicas; "" keeps no history, cache or budget (the CLI's default).
	HistoryPath string
	// Prune applies the settings' retention to the history, at open and
	// hourly. Only the process that writes the history should: the data
	// source reads the app's file with its own settings.
	Prune bool
	// Sources replaces the sources the settings configure (the CLI's flags,
	// tests, the demo).
	Sources *evidence.Sources
	// Collect bounds the evidence collection (zero values: the evidence
	// package's defaults); tests shorten the timeouts.
	Collect evidence.Options
	// StoreTimeout bounds each history, cache and ledger operation made
	// while answering (default 5 s); tests shorten it.
	StoreTimeout time.Duration
	// Provider replaces the default provider (the CLI's flags): it answers
	// requests that name no provider, whatever the settings say.
	Provider llm.Provider
	// Logger defaults to one that discards.
	Logger Logger
	// Observer defaults to none.
	Observer Observer
	// WatchPolled, when set, is told what each poll of the log watch did
	// (metrics).
	WatchPolled func(watch.PollStats)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// storeRetry is how long a failed store open is remembered before the next
// request tries again.
const storeRetry = 10 * time.Second

// pruneEvery is how often retention runs while the store is open.
const pruneEvery = time.Hour

// Request is one alert to explain.
type Request struct {
	Alert incident.Alert
	// Provider is the model to ask ("" = the default provider).
	Provider config.Provider
	// Refresh skips the cache.
	Refresh bool
	// User is who asked ("" for background work).
	User     string
	Progress explain.Progress
}

// Reader is the part of an engine that needs no model: the history store
// and the evidence gatherer, opened on first use, and the analyzers'
// findings. The nested data source holds a Reader and not an Engine, so its
// binary links no LLM client: the linker keeps what is reachable, and the
// provider constructors are reachable only through Engine's methods.
type Reader struct {
	cfg config.Settings
	opt Options

	// life bounds background work (retention); Close ends it.
	life context.Context
	stop context.CancelFunc

	storeMu    sync.Mutex
	store      *store.Store
	storeErr   error
	storeTried time.Time
	closed     bool

	gatherOnce sync.Once
	gatherer   *evidence.Gatherer
	gatherErr  error
}

// Engine explains alerts with the configured sources and models. It is safe
// for concurrent use; expensive parts are built on first use, so an engine
// that only answers health checks opens no database and no cluster client.
type Engine struct {
	*Reader

	provMu    sync.Mutex
	pipelines map[config.Provider]providerPipeline

	ownerOnce sync.Once
	ownerID   string
}

// providerPipeline is a provider and the pipeline that asks it.
type providerPipeline struct {
	pipeline *explain.Pipeline
	provider llm.Provider
}

// Open returns an engine for cfg. Nothing is connected yet.
func Open(cfg config.Settings, opt Options) *Engine {
	if opt.Provider != nil {
		cfg.Provider = config.Provider(opt.Provider.Name())
	}
	return &Engine{Reader: OpenReader(cfg, opt), pipelines: map[config.Provider]providerPipeline{}}
}

// OpenReader returns a reader for cfg (opt.Provider is not used). Nothing
// is connected yet.
func OpenReader(cfg config.Settings, opt Options) *Reader {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = discard{}
	}
	if opt.StoreTimeout <= 0 {
		opt.StoreTimeout = defaultStoreTimeout
	}
	life, stop := context.WithCancel(context.Background())
	return &Reader{cfg: cfg, opt: opt, life: life, stop: stop}
}

// Settings are the settings the engine was opened with.
func (e *Reader) Settings() config.Settings { return e.cfg }

// Now is the engine's clock.
func (e *Reader) Now() time.Time { return e.opt.Now() }

// Close ends background work and releases the store.
func (e *Reader) Close() {
	e.stop()
	e.storeMu.Lock()
	defer e.storeMu.Unlock()
	e.closed = true
	if e.store != nil {
		if err := e.store.Close(); err != nil {
			e.opt.Logger.Warn("Closing the history store failed", "error", err)
		}
		e.store = nil
	}
}

// errNoHistoryPath marks an engine opened without a history file.
var errNoHistoryPath = errors.New("no history file configured")

// Store opens the history store on first use. A failed open is retried by
// the first request after storeRetry, never remembered for the engine's
// life. The open does not depend on ctx: a request cancelled by its viewer
// must not abort (or be mistaken for corruption in) an open other requests
// share.
func (e *Reader) Store(ctx context.Context) (*store.Store, error) {
	e.storeMu.Lock()
	defer e.storeMu.Unlock()
	switch {
	case e.store != nil:
		return e.store, nil
	case e.closed:
		return nil, unavailable("the explanation history is closed", errors.New("engine closed"))
	case e.opt.HistoryPath == "":
		return nil, unavailable("no explanation history is kept", errNoHistoryPath)
	case e.storeErr != nil && e.opt.Now().Sub(e.storeTried) < storeRetry:
		return nil, e.storeErr
	}
	e.storeTried = e.opt.Now()
	openCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	st, err := store.Open(openCtx, e.opt.HistoryPath, store.Options{
		RetentionDays:      e.cfg.HistoryRetentionDays,
		MaxCount:           e.cfg.HistoryMaxCount,
		UsageRetentionDays: e.cfg.UsageRetentionDays,
		Warn:               e.opt.Logger.Warn,
	})
	if err != nil {
		e.opt.Logger.Error("History store cannot be opened; explanations are not cached or kept until it can", "store", store.DisplayName(e.opt.HistoryPath), "error", err)
		e.storeErr = unavailable("the explanation history is unavailable; check that the plugin's data directory ("+config.EnvDir+") is writable", err)
		return nil, e.storeErr
	}
	e.store, e.storeErr = st, nil
	if e.opt.Prune {
		e.prune(st)
		go e.pruneLoop(st)
	}
	return st, nil
}

// pruneLoop applies retention while the engine lives.
func (e *Reader) pruneLoop(st *store.Store) {
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		select {
		case <-e.life.Done():
			return
		case <-t.C:
			e.prune(st)
		}
	}
}

func (e *Reader) prune(st *store.Store) {
	n, err := st.Prune(e.life, e.opt.Now())
	switch {
	case err != nil && e.life.Err() == nil:
		e.opt.Logger.Warn("Pruning history failed", "error", err)
	case n > 0:
		e.opt.Logger.Info("Pruned old explanations", "removed", n)
	}
}

// Gatherer connects the evidence sources on first use.
func (e *Reader) Gatherer() (*evidence.Gatherer, error) {
	e.gatherOnce.Do(func() {
		src := e.opt.Sources
		if src == nil {
			s, err := Sources(e.cfg)
			if err != nil {
				e.gatherErr = unavailable("an evidence source cannot be set up; open the app's Configuration page and press Test", err)
				return
			}
			src = &s
		}
		e.gatherer = evidence.NewGatherer(*src, e.opt.Collect)
	})
	return e.gatherer, e.gatherErr
}

// lazyGatherer connects the sources when the first alert is explained.
type lazyGatherer struct{ e *Reader }

func (g lazyGatherer) Collect(ctx context.Context, a incident.Alert, now time.Time) (*incident.Bundle, error) {
	gt, err := g.e.Gatherer()
	if err != nil {
		return nil, err
	}
	return gt.Collect(ctx, a, now)
}

// Provider returns the model behind provider p ("" = the default).
func (e *Engine) Provider(p config.Provider) (llm.Provider, error) {
	pp, err := e.pipeline(p)
	return pp.provider, err
}

// pipeline returns the explain pipeline of provider p ("" = the default).
func (e *Engine) pipeline(p config.Provider) (providerPipeline, error) {
	if p == "" {
		p = e.cfg.Provider
	}
	if !config.KnownProvider(p) {
		return providerPipeline{}, &Error{Code: Invalid, Message: fmt.Sprintf("unknown provider %q; use offline, openai, ollama or bedrock", clip(string(p), 32))}
	}
	e.provMu.Lock()
	defer e.provMu.Unlock()
	if pp, ok := e.pipelines[p]; ok {
		return pp, nil
	}
	prov := e.opt.Provider
	if prov == nil || p != e.cfg.Provider {
		if !e.cfg.ProviderConfigured(p) {
			return providerPipeline{}, &Error{Code: Invalid, Message: fmt.Sprintf("the %s provider is not configured; an admin can set it up on the app's Configuration page", p)}
		}
		var err error
		prov, err = llm.New(LLMSettings(e.cfg, p))
		if err != nil {
			return providerPipeline{}, unavailable(fmt.Sprintf("the %s provider cannot be set up; check it on the app's Configuration page", p), err)
		}
	}
	pl := explain.New(explain.Config{
		Gatherer: lazyGatherer{e.Reader},
		Provider: prov,
		Redactor: e.redactor(),
		Now:      e.opt.Now,
		Cache:    &storeCache{e: e, provider: prov},
		Gate:     &budgetGate{e: e, provider: prov},
		Pricing:  e.pricing(),
		Deadline: time.Duration(e.cfg.ExplainTimeout),
	})
	pp := providerPipeline{pipeline: pl, provider: prov}
	e.pipelines[p] = pp
	return pp, nil
}

// Explain collects the alert's evidence and explains it, from the cache when
// the same evidence was explained within the cache TTL.
func (e *Engine) Explain(ctx context.Context, req Request) (incident.Explanation, error) {
	return e.explainCollected(ctx, req, nil)
}

// explainCollected is Explain with the alert's evidence already collected
// when c is set (nil collects it).
func (e *Engine) explainCollected(ctx context.Context, req Request, c *explain.Collected) (incident.Explanation, error) {
	pp, err := e.pipeline(req.Provider)
	if err != nil {
		return incident.Explanation{}, err
	}
	ex, err := pp.pipeline.Explain(ctx, explain.Request{Alert: req.Alert, User: req.User, Refresh: req.Refresh, Progress: req.Progress, Collected: c})
	if err != nil {
		e.observe(pp.provider, incident.Explanation{}, outcomeOf(err))
	}
	return ex, err
}

// Findings collects the alert's evidence and answers from the analyzers
// alone, with neither cache nor history: dashboards poll it.
func (e *Reader) Findings(ctx context.Context, a incident.Alert) (incident.Explanation, error) {
	return e.analyzers().Explain(ctx, explain.Request{Alert: a})
}

// analyzers is a pipeline that answers from the analyzers alone. Its
// redaction is the provider pipelines', so what it collects they can
// explain.
func (e *Reader) analyzers() *explain.Pipeline {
	return explain.New(explain.Config{
		Gatherer: lazyGatherer{e},
		Redactor: e.redactor(),
		Now:      e.opt.Now,
		Pricing:  e.pricing(),
	})
}

// Summarize explains raw log lines with the default provider (the
// seed-compatible path: no collection, no cache).
func (e *Engine) Summarize(ctx context.Context, logs string, req Request) (incident.Explanation, error) {
	pp, err := e.pipeline(req.Provider)
	if err != nil {
		return incident.Explanation{}, err
	}
	ex, err := pp.pipeline.Summarize(ctx, logs, explain.Request{User: req.User, Progress: req.Progress})
	if err != nil {
		e.observe(pp.provider, incident.Explanation{}, outcomeOf(err))
	}
	return ex, err
}

// pricing prices what an incident cost: the settings' overrides, or the
// defaults when those are invalid (the settings' validation names them).
func (e *Reader) pricing() *finops.Pricing {
	p, err := Pricing(e.cfg)
	if err != nil {
		p = finops.DefaultPricing()
	}
	return &p
}

func (e *Reader) redactor() *redact.Redactor {
	return redact.New(redact.Options{Emails: e.cfg.Redaction.Emails, IPs: e.cfg.Redaction.IPs, Known: e.cfg.SecretValues()})
}

func (e *Engine) observe(prov llm.Provider, ex incident.Explanation, outcome string) {
	if e.opt.Observer != nil {
		e.opt.Observer.Explained(prov.Name(), prov.Model(), ex, outcome)
	}
}

func outcomeOf(err error) string {
	if errors.Is(err, context.Canceled) {
		return OutcomeCancelled
	}
	return OutcomeError
}

func unavailable(msg string, err error) *Error {
	return &Error{Code: Unavailable, Message: msg, Err: err}
}

// clip shortens outside text quoted in an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// discard is the Logger of an engine opened without one.
type discard struct{}

func (discard) Info(string, ...any)  {}
func (discard) Warn(string, ...any)  {}
func (discard) Error(string, ...any) {}
