package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cloudobs/aiops-app/pkg/explain"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/store"
)

// Budget is the daily AI budget and what today has used of it.
type Budget struct {
	DailyTokens  int64     `json:"dailyTokens"`
	DailyCostUSD float64   `json:"dailyCostUSD"`
	UsedTokens   int64     `json:"usedTokens"`
	UsedCostUSD  float64   `json:"usedCostUSD"`
	ResetsAt     time.Time `json:"resetsAt"`
}

// Exhausted reports whether either limit is used up.
func (b Budget) Exhausted() bool {
	return (b.DailyTokens > 0 && b.UsedTokens >= b.DailyTokens) ||
		(b.DailyCostUSD > 0 && b.UsedCostUSD >= b.DailyCostUSD)
}

// nextUTCMidnight is when the daily budget resets: usage is kept per UTC day.
func nextUTCMidnight(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// Budget reads today's spend from the store.
func (e *Engine) Budget(ctx context.Context) (Budget, error) {
	now := e.opt.Now()
	b := Budget{DailyTokens: e.cfg.Budgets.DailyTokens, DailyCostUSD: e.cfg.Budgets.DailyCostUSD, ResetsAt: nextUTCMidnight(now)}
	st, err := e.Store(ctx)
	if err != nil {
		return b, err
	}
	b.UsedTokens, b.UsedCostUSD, err = st.Spent(ctx, now)
	return b, err
}

// budgetGate reserves each model call's estimate (its prompt plus the
// answer cap, priced with the model's price) in the store before the call
// and settles what it really used after it, failed and cut calls included.
// The store does both atomically across requests and across replicas that
// share it, so the day's spend never passes a limit. A model with no known
// price counts against the token limit only, and is refused under a cost
// limit alone. Without a store the spend cannot be known, so a configured
// budget fails closed.
type budgetGate struct {
	e        *Engine
	provider llm.Provider
}

func (g *budgetGate) BeforeModel(ctx context.Context, call explain.ModelCall) (func(incident.Usage), error) {
	e := g.e
	limits := e.cfg.Budgets
	if limits.DailyTokens <= 0 && limits.DailyCostUSD <= 0 {
		return func(u incident.Usage) {
			e.recordUsage(ctx, store.UsageEvent{Provider: call.Provider, Model: call.Model, User: call.User,
				PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, CostUSD: u.CostUSD})
		}, nil
	}
	st, err := e.Store(ctx)
	if err != nil {
		return nil, err
	}
	price := g.provider.Price()
	holdCtx, cancel := e.storeContext(ctx)
	defer cancel()
	settle, err := st.Hold(holdCtx, store.Reservation{
		Day: e.opt.Now(), User: call.User, Provider: call.Provider, Model: call.Model,
		EstimatedTokens:  int64(call.PromptTokens + call.MaxOutputTokens),
		EstimatedCostUSD: price.Cost(call.PromptTokens, call.MaxOutputTokens),
		Unpriced:         price == (llm.Price{}),
	}, store.Limits{DailyTokens: limits.DailyTokens, DailyCostUSD: limits.DailyCostUSD})
	if errors.Is(err, store.ErrBudgetExceeded) {
		wait := nextUTCMidnight(e.opt.Now()).Sub(e.opt.Now())
		return nil, &Error{Code: Refused, RetryAfter: wait, Err: fmt.Errorf("%w: %w", ErrBudget, err), Message: fmt.Sprintf(
			"today's AI budget has no room for this request (%s); it resets at 00:00 UTC (in %s). Explanations with provider=offline still work",
			budgetReason(err), wait.Round(time.Minute))}
	}
	if err != nil {
		return nil, unavailable("the AI budget cannot be checked", err)
	}
	return func(u incident.Usage) {
		if err := settle(store.UsageEvent{At: e.opt.Now(), Provider: call.Provider, Model: call.Model, User: call.User,
			PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, CostUSD: u.CostUSD}); err != nil {
			e.opt.Logger.Error("Recording a model call's usage failed", "provider", call.Provider, "error", err)
		}
	}, nil
}

// budgetReason is the store's account of a refusal.
func budgetReason(err error) string {
	var be *store.BudgetExceededError
	if errors.As(err, &be) {
		return fmt.Sprintf("%s; used %d tokens and $%.2f, %d tokens and $%.2f in flight, limits %d tokens and $%.2f",
			be.Reason, be.UsedTokens, be.UsedCostUSD, be.ReservedTokens, be.ReservedCostUSD, be.Limits.DailyTokens, be.Limits.DailyCostUSD)
	}
	return "limit reached"
}
