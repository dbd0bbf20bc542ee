package engine

import (
	"testing"
	"time"
)

func TestBudgetResetsAtUTCMidnight(t *testing.T) {
	at := time.Date(2026, 11, 20, 23, 59, 0, 0, time.FixedZone("PST", -8*3600))
	if got, want := nextUTCMidnight(at), time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("next reset %v, want %v", got, want)
	}
	for _, b := range []struct {
		budget Budget
		out    bool
	}{
		{Budget{}, false},
		{Budget{DailyTokens: 100, UsedTokens: 99}, false},
		{Budget{DailyTokens: 100, UsedTokens: 100}, true},
		{Budget{DailyCostUSD: 1, UsedCostUSD: 1.5}, true},
		{Budget{UsedTokens: 1e9, UsedCostUSD: 1e9}, false},
	} {
		if b.budget.Exhausted() != b.out {
			t.Errorf("%+v exhausted = %v", b.budget, !b.out)
		}
	}
}
