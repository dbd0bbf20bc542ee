package explain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/llm"
)

// memoryCache is a Cache in a map that counts what it is asked.
type memoryCache struct {
	mu      sync.Mutex
	byKey   map[string]incident.Explanation
	kept    []string
	lookups int
	keepErr error // what Keep returns, as a full disk would
}

func (c *memoryCache) Lookup(_ context.Context, key, _ string) (incident.Explanation, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lookups++
	ex, ok := c.byKey[key]
	return ex, ok
}

func (c *memoryCache) Keep(_ context.Context, key string, ex incident.Explanation, user string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = map[string]incident.Explanation{}
	}
	if key != "" {
		c.byKey[key] = ex
	}
	c.kept = append(c.kept, key+"|"+user)
	return c.keepErr
}

// gateFunc adapts a function to Gate.
type gateFunc func(ctx context.Context, call ModelCall) (func(incident.Usage), error)

func (f gateFunc) BeforeModel(ctx context.Context, call ModelCall) (func(incident.Usage), error) {
	return f(ctx, call)
}

func oomGatherer() Gatherer {
	return gatherFunc(func(_ context.Context, a incident.Alert, now time.Time) (*incident.Bundle, error) {
		b := oomBundle(3)
		b.Now = now
		return b, nil
	})
}

func TestCacheReusesTheSameEvidence(t *testing.T) {
	model := &fakeModel{answer: wellBehaved}
	cache := &memoryCache{}
	p := New(Config{Gatherer: oomGatherer(), Provider: model, Cache: cache, IDs: fixedIDs})
	a := oomBundle(3).Alert
	first, err := p.Explain(context.Background(), Request{Alert: a, User: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := p.Explain(context.Background(), Request{Alert: a, User: "bo"})
	if err != nil {
		t.Fatal(err)
	}
	if len(model.all()) != 1 || second.ID != first.ID || len(cache.kept) != 1 {
		t.Fatalf("model calls %d, ids %s %s, kept %v", len(model.all()), first.ID, second.ID, cache.kept)
	}
	third, err := p.Explain(context.Background(), Request{Alert: a, Refresh: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(model.all()) != 2 || len(cache.kept) != 2 {
		t.Errorf("refresh: model calls %d, kept %v", len(model.all()), cache.kept)
	}
	for _, kept := range cache.byKey {
		if kept.Timings != third.Timings {
			t.Errorf("the kept explanation's timings %+v differ from the answer's %+v", kept.Timings, third.Timings)
		}
	}
}

// TestAnswerTheHistoryDidNotKeepListsItAsDegraded: a failed save costs the
// history, not the answer, and the answer says so without the store's error.
func TestAnswerTheHistoryDidNotKeepListsItAsDegraded(t *testing.T) {
	cache := &memoryCache{keepErr: errors.New("write /data/history.db: no space left on device")}
	p := New(Config{Gatherer: oomGatherer(), Provider: &fakeModel{answer: wellBehaved}, Cache: cache, IDs: fixedIDs})
	ex, err := p.Explain(context.Background(), Request{Alert: oomBundle(3).Alert, User: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ex.Degraded, historyNotSaved) || strings.Contains(fmt.Sprint(ex.Degraded), "/data/") {
		t.Errorf("degraded %v, want the history listed as not saved, without the store's error", ex.Degraded)
	}
	cache.keepErr = nil
	ex, err = p.Explain(context.Background(), Request{Alert: oomBundle(3).Alert, Refresh: true})
	if err != nil || slices.Contains(ex.Degraded, historyNotSaved) {
		t.Errorf("a kept answer lists the history as degraded: %v, %v", ex.Degraded, err)
	}
}

func TestConcurrentIdenticalRequestsShareOneModelCall(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	model := &fakeModel{answer: func(req llm.Request, n int) (string, error) {
		calls.Add(1)
		<-release
		return wellBehaved(req, n)
	}}
	p := New(Config{Gatherer: oomGatherer(), Provider: model})
	a := oomBundle(3).Alert
	const callers = 8
	var wg sync.WaitGroup
	ids := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			ex, err := p.Explain(context.Background(), Request{Alert: a})
			ids[i], errs[i] = ex.ID, err
		})
	}
	// Let every caller reach the shared call before the model answers.
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("caller %d: id %s err %v (first %s)", i, ids[i], errs[i], ids[0])
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d model calls for %d identical requests", n, callers)
	}
}

func TestGateRefusesAndSettlesWhatWasUsed(t *testing.T) {
	model := &fakeModel{answer: wellBehaved}
	refusal := errors.New("daily budget spent")
	var asked ModelCall
	var settled []incident.Usage
	gate := gateFunc(func(_ context.Context, call ModelCall) (func(incident.Usage), error) {
		asked = call
		if call.User == "over" {
			return nil, refusal
		}
		return func(u incident.Usage) { settled = append(settled, u) }, nil
	})
	p := New(Config{Gatherer: oomGatherer(), Provider: model, Gate: gate})
	a := oomBundle(3).Alert
	if _, err := p.Explain(context.Background(), Request{Alert: a, User: "over"}); !errors.Is(err, refusal) {
		t.Fatalf("refused call: %v", err)
	}
	if len(model.all()) != 0 || asked.PromptTokens == 0 || asked.MaxOutputTokens != DefaultAnswerTokens || asked.Provider != "openai" {
		t.Fatalf("model called %d times; gate asked %+v", len(model.all()), asked)
	}
	ex, err := p.Explain(context.Background(), Request{Alert: a, User: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if len(settled) != 1 || settled[0] != ex.Usage || settled[0].PromptTokens == 0 {
		t.Errorf("settled %v, explanation usage %+v", settled, ex.Usage)
	}
	offline := New(Config{Gatherer: oomGatherer(), Gate: gate})
	if _, err := offline.Explain(context.Background(), Request{Alert: a, User: "over"}); err != nil {
		t.Errorf("the offline answer costs nothing and must not be gated: %v", err)
	}
}

func TestSummaryIsKeptButNeverReused(t *testing.T) {
	cache := &memoryCache{}
	p := New(Config{Cache: cache})
	for range 2 {
		if _, err := p.Summarize(context.Background(), "level=error msg=\"db timeout\"", Request{User: "ana"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(cache.kept) != 2 || cache.kept[0] != "|ana" || cache.lookups != 0 {
		t.Errorf("kept %v lookups %d", cache.kept, cache.lookups)
	}
}

// cutModel streams the start of an answer, then the connection drops, and
// reports no usage, as a provider does for a cut stream.
type cutModel struct{ fakeModel }

func (m *cutModel) Stream(_ context.Context, _ llm.Request, onToken func(string)) (llm.Response, error) {
	onToken(`{"summary":"order-service pods are OOMKilled at their memory limit and restart`)
	return llm.Response{}, errors.New("stream: unexpected EOF")
}

func (m *cutModel) Price() llm.Price { return llm.Price{InputPerMTok: 1, OutputPerMTok: 2} }

func TestACutStreamSettlesWhatItConsumed(t *testing.T) {
	var settled []incident.Usage
	gate := gateFunc(func(context.Context, ModelCall) (func(incident.Usage), error) {
		return func(u incident.Usage) { settled = append(settled, u) }, nil
	})
	p := New(Config{Gatherer: oomGatherer(), Provider: &cutModel{}, Gate: gate})
	ex, err := p.Explain(context.Background(), Request{Alert: oomBundle(3).Alert})
	if err != nil {
		t.Fatal(err)
	}
	if len(settled) != 1 || settled[0].PromptTokens == 0 || settled[0].CompletionTokens == 0 || settled[0].CostUSD <= 0 {
		t.Fatalf("settled %+v", settled)
	}
	if ex.Usage != settled[0] || !hasDegraded(ex, "llm/openai") {
		t.Errorf("explanation usage %+v degraded %v", ex.Usage, ex.Degraded)
	}
}

// TestCollectedEvidenceGoesThroughTheCacheAndTheGate: evidence one
// pipeline collected (the analyzers', as an alert group's analysis does) is
// explained by another without a second collection, under the same cache
// key as a fresh collection and past the same gate.
func TestCollectedEvidenceGoesThroughTheCacheAndTheGate(t *testing.T) {
	var collections atomic.Int32
	gatherer := gatherFunc(func(_ context.Context, a incident.Alert, now time.Time) (*incident.Bundle, error) {
		collections.Add(1)
		b := oomBundle(3)
		b.Now = now
		return b, nil
	})
	model := &fakeModel{answer: wellBehaved}
	cache := &memoryCache{}
	var gated atomic.Int32
	gate := gateFunc(func(context.Context, ModelCall) (func(incident.Usage), error) {
		gated.Add(1)
		return func(incident.Usage) {}, nil
	})
	analyzers := New(Config{Gatherer: gatherer, IDs: fixedIDs})
	p := New(Config{Gatherer: gatherer, Provider: model, Cache: cache, Gate: gate, IDs: fixedIDs})
	a := oomBundle(3).Alert

	c, err := analyzers.Collect(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	analysed, err := analyzers.Explain(context.Background(), Request{Alert: a, Collected: c})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := p.Explain(context.Background(), Request{Alert: a, Collected: c, User: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	if collections.Load() != 1 || len(model.all()) != 1 || gated.Load() != 1 || len(cache.kept) != 1 {
		t.Fatalf("%d collections, %d model calls, %d gated, kept %v; want 1 of each", collections.Load(), len(model.all()), gated.Load(), cache.kept)
	}
	if analysed.RootCause.Category != incident.CategoryOOMKilled || ex.RootCause.Category != incident.CategoryOOMKilled {
		t.Fatalf("analysed %s, explained %s", analysed.RootCause.Category, ex.RootCause.Category)
	}
	// A fresh collection of the same evidence finds the explanation kept.
	again, err := p.Explain(context.Background(), Request{Alert: a, User: "bo"})
	if err != nil {
		t.Fatal(err)
	}
	if collections.Load() != 2 || len(model.all()) != 1 || again.ID != ex.ID {
		t.Errorf("a fresh collection: %d collections, %d model calls, id %s want %s", collections.Load(), len(model.all()), again.ID, ex.ID)
	}
}
