package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// A ledger written before usage was kept per user gains the user column on
// open, keeps its days (as user ""), and then records each user apart.
func TestUsagePerUserMigration(t *testing.T) { forEachBackend(t, testUsagePerUserMigration) }

func testUsagePerUserMigration(t *testing.T, b backend) {
	ctx := context.Background()
	s, dsn := b.open(t, Options{})
	// The schema before usage per user (6, right after groups); the
	// migrations after it run again.
	before := slices.Index(s.sql.migrations, groupMigration) + 1
	for _, q := range []string{
		`DROP TABLE usage`,
		`CREATE TABLE usage (
			day TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,
			prompt_tokens BIGINT NOT NULL DEFAULT 0, completion_tokens BIGINT NOT NULL DEFAULT 0,
			cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0, requests BIGINT NOT NULL DEFAULT 0, cache_hits BIGINT NOT NULL DEFAULT 0,
			PRIMARY KEY (day, provider, model))`,
		`INSERT INTO usage VALUES ('2026-11-20', 'openai', 'gpt-4o-mini', 100, 20, 0.5, 2, 0)`,
		fmt.Sprintf(`DELETE FROM schema_migrations WHERE version > %d`, before),
	} {
		if _, err := s.exec(ctx, q); err != nil {
			t.Fatalf("roll back to schema %d: %s: %v", before, q, err)
		}
	}
	s.Close()

	s = openDSN(t, dsn, Options{})
	for _, u := range []UsageEvent{
		{At: t0, Provider: "openai", Model: "gpt-4o-mini", User: "ana", PromptTokens: 10, CompletionTokens: 5, CostUSD: 0.01},
		{At: t0, Provider: "openai", Model: "gpt-4o-mini", User: "ana", PromptTokens: 30, CompletionTokens: 5, CostUSD: 0.03},
		{At: t0, Provider: "openai", Model: "gpt-4o-mini", User: "bob", PromptTokens: 7, CompletionTokens: 3, CostUSD: 0.02},
	} {
		if err := s.RecordUsage(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	days, err := s.Usage(ctx, t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]UsageDay{}
	for _, d := range days {
		got[d.User] = d
	}
	if len(days) != 3 || got[""].PromptTokens != 100 || got[""].Requests != 2 ||
		got["ana"].PromptTokens != 40 || got["ana"].Requests != 2 || got["bob"].CompletionTokens != 3 {
		t.Fatalf("usage per user = %+v, want the old day as user \"\", ana's two calls summed and bob's apart", days)
	}
	tokens, cost, err := s.Spent(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if tokens != 100+20+50+10 || cost < 0.56-1e-9 || cost > 0.56+1e-9 {
		t.Errorf("spent today = %d tokens, $%g; want every user's", tokens, cost)
	}

	// A reservation settles under the user that made it.
	settle, err := s.Hold(ctx, Reservation{Day: t0, User: "cy", Provider: "openai", Model: "gpt-4o-mini", EstimatedTokens: 10}, Limits{DailyTokens: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := settle(UsageEvent{At: t0, PromptTokens: 8}); err != nil {
		t.Fatal(err)
	}
	days, _ = s.Usage(ctx, t0, t0)
	found := false
	for _, d := range days {
		found = found || (d.User == "cy" && d.PromptTokens == 8)
	}
	if !found {
		t.Errorf("the settled reservation is not cy's: %+v", days)
	}
}
