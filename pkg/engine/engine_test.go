package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
	"github.com/cloudobs/aiops-app/pkg/store"
	"github.com/cloudobs/aiops-app/pkg/tokens"
)

// scriptedModel answers every request with the same well-formed answer,
// after release is closed when it is set, and counts the calls.
type scriptedModel struct {
	calls   atomic.Int32
	release chan struct{}
}

const unknownAnswer = `{"summary":"Nothing in the evidence explains the alert.","rootCause":{"category":"Unknown","entity":{"kind":"Deployment","namespace":"shop","name":"order"},"description":"No evidence supports a cause.","confidence":0.2},"nextSteps":[],"evidence":[]}`

func (m *scriptedModel) Name() string  { return llm.NameOpenAI }
func (m *scriptedModel) Model() string { return "scripted" }
func (m *scriptedModel) Complete(ctx context.Context, _ llm.Request) (llm.Response, error) {
	m.calls.Add(1)
	if m.release != nil {
		select {
		case <-m.release:
		case <-ctx.Done():
			return llm.Response{}, ctx.Err()
		}
	}
	return llm.Response{Text: unknownAnswer, Usage: llm.Usage{PromptTokens: 900, CompletionTokens: 100, CostUSD: 0.01}}, nil
}
func (m *scriptedModel) Stream(ctx context.Context, req llm.Request, _ func(string)) (llm.Response, error) {
	return m.Complete(ctx, req)
}
func (m *scriptedModel) Health(context.Context) error             { return nil }
func (m *scriptedModel) Models(context.Context) ([]string, error) { return []string{"scripted"}, nil }
func (m *scriptedModel) CountTokens(s string) int                 { return tokens.Count(s) }
func (m *scriptedModel) Price() llm.Price                         { return llm.Price{InputPerMTok: 10, OutputPerMTok: 30} }
func (m *scriptedModel) ContextWindow() int                       { return 128_000 }

// countingObserver counts outcomes.
type countingObserver struct {
	mu       sync.Mutex
	outcomes map[string]int
}

func (o *countingObserver) Explained(_, _ string, _ incident.Explanation, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.outcomes == nil {
		o.outcomes = map[string]int{}
	}
	o.outcomes[outcome]++
}

func (o *countingObserver) count(outcome string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.outcomes[outcome]
}

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func alertFor(name string) incident.Alert {
	return incident.Alert{Labels: map[string]string{"alertname": name, "namespace": "shop"}, Status: "firing", StartsAt: t0}
}

// openTest opens an engine over no evidence sources (every explanation
// says so) with its history in a temporary directory.
func openTest(t *testing.T, cfg config.Settings, opt Options) *Engine {
	t.Helper()
	if opt.HistoryPath == "" {
		opt.HistoryPath = filepath.Join(t.TempDir(), "history.db")
	}
	if opt.Now == nil {
		opt.Now = func() time.Time { return t0.Add(5 * time.Minute) }
	}
	opt.Sources = &evidence.Sources{}
	e := Open(cfg, opt)
	t.Cleanup(e.Close)
	return e
}

func modelSettings() config.Settings {
	cfg := config.DefaultSettings()
	cfg.Provider = config.ProviderOpenAI
	return cfg
}

func TestSecondRequestIsACacheHit(t *testing.T) {
	model := &scriptedModel{}
	obs := &countingObserver{}
	e := openTest(t, modelSettings(), Options{Provider: model, Observer: obs})
	first, err := e.Explain(context.Background(), Request{Alert: alertFor("HighLatency"), User: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.Explain(context.Background(), Request{Alert: alertFor("HighLatency"), User: "bo"})
	if err != nil {
		t.Fatal(err)
	}
	if model.calls.Load() != 1 || second.ID != first.ID {
		t.Fatalf("model calls %d, ids %s then %s", model.calls.Load(), first.ID, second.ID)
	}
	if obs.count(OutcomeOK) != 1 || obs.count(OutcomeCached) != 1 {
		t.Errorf("observer saw %v", obs.outcomes)
	}
	st, err := e.Store(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	days, err := st.Usage(context.Background(), t0, t0)
	// ana's call went to the model, bo's was served from the cache.
	if err != nil || len(days) != 2 || days[0].User != "ana" || days[0].Requests != 1 || days[0].CacheHits != 0 || days[0].PromptTokens != 900 ||
		days[1].User != "bo" || days[1].CacheHits != 1 || days[1].PromptTokens != 0 {
		t.Errorf("usage ledger %+v, %v", days, err)
	}
}

func TestConcurrentIdenticalAlertsShareOneModelCall(t *testing.T) {
	model := &scriptedModel{release: make(chan struct{})}
	e := openTest(t, modelSettings(), Options{Provider: model})
	const callers = 10
	var wg sync.WaitGroup
	ids := make(chan string, callers)
	for range callers {
		wg.Go(func() {
			ex, err := e.Explain(context.Background(), Request{Alert: alertFor("HighErrorRate")})
			if err != nil {
				t.Error(err)
			}
			ids <- ex.ID
		})
	}
	for model.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(model.release)
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	if model.calls.Load() != 1 || len(seen) != 1 {
		t.Errorf("%d model calls and %d distinct answers for %d identical requests", model.calls.Load(), len(seen), callers)
	}
}

func TestBudgetRefusesWithRetryAfterAndHoldsUnderConcurrency(t *testing.T) {
	model := &scriptedModel{release: make(chan struct{})}
	cfg := modelSettings()
	// Each call is estimated at its prompt plus 1024 answer tokens, between
	// 2,000 and 2,500: the limit has room for two estimates, never three.
	cfg.Budgets.DailyTokens = 5000
	e := openTest(t, cfg, Options{Provider: model})
	const callers = 12
	var wg sync.WaitGroup
	var refused atomic.Int32
	for i := range callers {
		wg.Go(func() {
			_, err := e.Explain(context.Background(), Request{Alert: alertFor(fmt.Sprintf("Alert%d", i))})
			var ee *Error
			switch {
			case errors.As(err, &ee) && ee.Code == Refused && errors.Is(err, ErrBudget):
				if ee.RetryAfter <= 0 || ee.RetryAfter > 24*time.Hour {
					t.Errorf("retry after %v", ee.RetryAfter)
				}
				refused.Add(1)
			case err != nil:
				t.Error(err)
			}
		})
	}
	for refused.Load() < callers-2 {
		time.Sleep(time.Millisecond)
	}
	close(model.release)
	wg.Wait()
	if n := model.calls.Load(); n != 2 || refused.Load() != callers-2 {
		t.Fatalf("%d model calls, %d refused", n, refused.Load())
	}
	b, err := e.Budget(context.Background())
	if err != nil || b.UsedTokens != 2000 || b.UsedCostUSD != 0.02 {
		t.Errorf("budget after two calls %+v, %v", b, err)
	}
	offline, err := e.Explain(context.Background(), Request{Alert: alertFor("Later"), Provider: config.ProviderOffline})
	if err != nil || offline.Provider.Name != llm.NameOffline {
		t.Errorf("the offline answer must stay available: %v", err)
	}
}

func TestFailedStoreOpenIsRetried(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "org-1")
	if err := os.WriteFile(blocker, []byte("a file where a directory should be"), 0o600); err != nil {
		t.Fatal(err)
	}
	now := t0
	e := openTest(t, config.DefaultSettings(), Options{HistoryPath: filepath.Join(blocker, "history.db"), Now: func() time.Time { return now }})
	_, err := e.Store(context.Background())
	var ee *Error
	if !errors.As(err, &ee) || ee.Code != Unavailable {
		t.Fatalf("open under a file: %v", err)
	}
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store(context.Background()); err == nil {
		t.Fatal("a failure is remembered for a moment, not retried on every request")
	}
	now = now.Add(storeRetry + time.Second)
	if _, err := e.Store(context.Background()); err != nil {
		t.Fatalf("after the retry interval: %v", err)
	}
}

func TestCancelledRequestDoesNotBreakTheStore(t *testing.T) {
	e := openTest(t, config.DefaultSettings(), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Store(ctx); err != nil {
		t.Fatalf("a cancelled first request must not fail the shared open: %v", err)
	}
	if _, err := e.Explain(context.Background(), Request{Alert: alertFor("X")}); err != nil {
		t.Fatal(err)
	}
	st, err := e.Store(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, total, err := st.List(context.Background(), store.Filter{Limit: 10}); err != nil || total != 1 {
		t.Errorf("history holds %d explanations, %v", total, err)
	}
}

func TestUnknownAndUnconfiguredProvidersAreInvalid(t *testing.T) {
	e := openTest(t, config.DefaultSettings(), Options{})
	for _, p := range []config.Provider{"gpt-5", config.ProviderBedrock} {
		_, err := e.Explain(context.Background(), Request{Alert: alertFor("X"), Provider: p})
		var ee *Error
		if !errors.As(err, &ee) || ee.Code != Invalid {
			t.Errorf("provider %q: %v", p, err)
		}
	}
}
