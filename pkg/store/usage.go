package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// UsageEvent is one explanation's AI spend (or a cache hit, which costs nothing).
type UsageEvent struct {
	At              time.Time
	Provider, Model string
	// User is the Grafana login that asked ("" for background work and the
	// CLI).
	User             string
	PromptTokens     int
	CompletionTokens int
	CostUSD          float64
	CacheHit         bool
}

// UsageDay is the spend of one provider, model and user on one UTC day.
type UsageDay struct {
	Day              string  `json:"day"`
	Provider         string  `json:"provider"`
	Model            string  `json:"model"`
	User             string  `json:"user"`
	PromptTokens     int64   `json:"promptTokens"`
	CompletionTokens int64   `json:"completionTokens"`
	CostUSD          float64 `json:"costUSD"`
	Requests         int64   `json:"requests"`
	CacheHits        int64   `json:"cacheHits"`
}

const dayLayout = "2006-01-02"

// RecordUsage adds an event to its day's totals.
func (s *Store) RecordUsage(ctx context.Context, u UsageEvent) error {
	return s.recordUsage(ctx, s.db, u)
}

// execer is a database or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *Store) recordUsage(ctx context.Context, db execer, u UsageEvent) error {
	hit := 0
	if u.CacheHit {
		hit = 1
	}
	_, err := db.ExecContext(ctx, s.sql.rebind(`INSERT INTO usage (day, provider, model, "user", prompt_tokens, completion_tokens, cost_usd, requests, cache_hits)
		VALUES (?,?,?,?,?,?,?,1,?)
		ON CONFLICT(day, provider, model, "user") DO UPDATE SET
			prompt_tokens = usage.prompt_tokens + excluded.prompt_tokens,
			completion_tokens = usage.completion_tokens + excluded.completion_tokens,
			cost_usd = usage.cost_usd + excluded.cost_usd,
			requests = usage.requests + 1,
			cache_hits = usage.cache_hits + excluded.cache_hits`),
		u.At.UTC().Format(dayLayout), u.Provider, u.Model, u.User, u.PromptTokens, u.CompletionTokens, u.CostUSD, hit)
	if err != nil {
		return fmt.Errorf("record usage: %w", err)
	}
	return nil
}

// Usage returns the daily totals between from and to (inclusive days), oldest first.
func (s *Store) Usage(ctx context.Context, from, to time.Time) ([]UsageDay, error) {
	rows, err := s.db.QueryContext(ctx, s.sql.rebind(`SELECT day, provider, model, "user", prompt_tokens, completion_tokens, cost_usd, requests, cache_hits
		FROM usage WHERE day >= ? AND day <= ? ORDER BY day, provider, model, "user"`),
		from.UTC().Format(dayLayout), to.UTC().Format(dayLayout))
	if err != nil {
		return nil, fmt.Errorf("read usage: %w", err)
	}
	defer rows.Close()
	var out []UsageDay
	for rows.Next() {
		var d UsageDay
		if err := rows.Scan(&d.Day, &d.Provider, &d.Model, &d.User, &d.PromptTokens, &d.CompletionTokens, &d.CostUSD, &d.Requests, &d.CacheHits); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Spent returns the tokens and dollars spent on the UTC day of at.
func (s *Store) Spent(ctx context.Context, at time.Time) (tokens int64, costUSD float64, err error) {
	err = s.queryRow(ctx, `SELECT CAST(COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS BIGINT), COALESCE(SUM(cost_usd), 0)
		FROM usage WHERE day = ?`, at.UTC().Format(dayLayout)).Scan(&tokens, &costUSD)
	if err != nil {
		return 0, 0, fmt.Errorf("read today's spend: %w", err)
	}
	return tokens, costUSD, nil
}
