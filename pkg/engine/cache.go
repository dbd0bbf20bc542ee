package engine

import (
	"context"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// storeCache is the pipeline's cache and history over the store: lookups
// honour the cache TTL, every new explanation is kept with who asked, and
// the usage ledger counts cache hits and offline answers (model calls are
// counted by the budget gate, which sees failed calls too).
type storeCache struct {
	e        *Engine
	provider llm.Provider
}

func (c *storeCache) Lookup(ctx context.Context, key, user string) (incident.Explanation, bool) {
	ttl := time.Duration(c.e.cfg.CacheTTL)
	if ttl <= 0 {
		return incident.Explanation{}, false
	}
	st, err := c.e.Store(ctx)
	if err != nil {
		return incident.Explanation{}, false
	}
	ctx, cancel := c.e.storeContext(ctx)
	defer cancel()
	rec, ok, err := st.Cached(ctx, key, c.e.opt.Now().Add(-ttl))
	if err != nil {
		c.e.opt.Logger.Warn("Reading the explanation cache failed", "error", err)
		return incident.Explanation{}, false
	}
	if !ok {
		return incident.Explanation{}, false
	}
	c.e.observe(c.provider, rec.Explanation, OutcomeCached)
	c.e.recordUsage(ctx, store.UsageEvent{Provider: c.provider.Name(), Model: c.provider.Model(), User: user, CacheHit: true})
	return rec.Explanation, true
}

func (c *storeCache) Keep(ctx context.Context, key string, ex incident.Explanation, user string) error {
	c.e.observe(c.provider, ex, OutcomeOK)
	if llm.IsOffline(c.provider) {
		c.e.recordUsage(ctx, store.UsageEvent{Provider: c.provider.Name(), Model: c.provider.Model(), User: user})
	}
	st, err := c.e.Store(ctx)
	if err != nil {
		return nil // no history configured, or it failed to open (logged then)
	}
	ctx, cancel := c.e.storeContext(ctx)
	defer cancel()
	if err := st.Save(ctx, store.Record{Explanation: ex, User: user, CacheKey: key}); err != nil {
		c.e.opt.Logger.Error("Saving the explanation failed", "store", store.DisplayName(c.e.opt.HistoryPath), "id", ex.ID, "error", err)
		return err
	}
	return nil
}

// defaultStoreTimeout bounds one history, cache or ledger operation made
// while an explanation is answered: a database that stops answering (a
// frozen PostgreSQL, a black-holed connection) costs the history, never the
// answer. The saves run detached from the caller, so nothing else would.
// It is long enough for a burst of writers queued behind SQLite's single
// writer: at 5 s, 200 concurrent explanations lost a dozen saves.
const defaultStoreTimeout = 30 * time.Second

func (e *Engine) storeContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, e.opt.StoreTimeout)
}

// recordUsage adds an event to the ledger; without a store it is dropped
// (the CLI keeps no ledger).
func (e *Engine) recordUsage(ctx context.Context, u store.UsageEvent) {
	st, err := e.Store(ctx)
	if err != nil {
		return
	}
	u.At = e.opt.Now()
	ctx, cancel := e.storeContext(context.WithoutCancel(ctx))
	defer cancel()
	if err := st.RecordUsage(ctx, u); err != nil {
		e.opt.Logger.Error("Recording usage failed", "provider", u.Provider, "error", err)
	}
}
