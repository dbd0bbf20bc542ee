package engine

import (
	"context"
	"fmt"
	"sync"
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

// budgetBook holds the estimates of the model calls in flight, so that
// concurrent requests see each other's spend before it is recorded.
type budgetBook struct {
	mu     sync.Mutex
	tokens int64
	cost   float64
}

// budgetGate refuses a model call once today's spend, counting the calls
// in flight at their estimate, reaches a limit; each call can overshoot by
// at most its own estimate. A model with no known price costs $0 and counts
// against the token limit only. Without a store the spend cannot be known,
// so a configured budget fails closed.
type budgetGate struct {
	e        *Engine
	provider llm.Provider
}

func (g *budgetGate) BeforeModel(ctx context.Context, call explain.ModelCall) (func(incident.Usage), error) {
	e := g.e
	record := func(u incident.Usage) {
		e.recordUsage(ctx, store.UsageEvent{Provider: call.Provider, Model: call.Model,
			PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, CostUSD: u.CostUSD})
	}
	limits := e.cfg.Budgets
	if limits.DailyTokens <= 0 && limits.DailyCostUSD <= 0 {
		return record, nil
	}
	b, err := e.Budget(ctx)
	if err != nil {
		return nil, err
	}
	estTokens := int64(call.PromptTokens + call.MaxOutputTokens)
	estCost := g.provider.Price().Cost(call.PromptTokens, call.MaxOutputTokens)
	book := &e.budget
	book.mu.Lock()
	b.UsedTokens += book.tokens
	b.UsedCostUSD += book.cost
	if b.Exhausted() {
		book.mu.Unlock()
		wait := b.ResetsAt.Sub(e.opt.Now())
		return nil, &Error{Code: Refused, RetryAfter: wait, Err: ErrBudget, Message: fmt.Sprintf(
			"today's AI budget is used up (%d of %d tokens, $%.2f of $%.2f); it resets at %s (in %s). Explanations with provider=offline still work",
			b.UsedTokens, b.DailyTokens, b.UsedCostUSD, b.DailyCostUSD, b.ResetsAt.Format("15:04 MST"), wait.Round(time.Minute))}
	}
	book.tokens += estTokens
	book.cost += estCost
	book.mu.Unlock()
	var once sync.Once
	return func(u incident.Usage) {
		once.Do(func() {
			// Record before releasing the estimate, so that no moment
			// counts the call as neither in flight nor spent.
			record(u)
			book.mu.Lock()
			book.tokens -= estTokens
			book.cost -= estCost
			book.mu.Unlock()
		})
	}, nil
}
