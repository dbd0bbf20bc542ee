package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store/pgtest"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func explanation(id, alertname, namespace string, cat incident.Category, at time.Time) incident.Explanation {
	return incident.Explanation{
		ID: id, CreatedAt: at, Summary: "summary of " + id,
		Alert:     incident.Alert{Labels: map[string]string{"alertname": alertname, "namespace": namespace}},
		RootCause: incident.RootCause{Category: cat, Entity: incident.Entity{Namespace: namespace, Kind: "Deployment", Name: "order"}},
	}
}

func TestMain(m *testing.M) {
	if dsn := os.Getenv(envCrashWriter); dsn != "" {
		os.Exit(crashWriter(dsn))
	}
	if dsn := os.Getenv(envClaimHolder); dsn != "" {
		os.Exit(claimHolder(dsn))
	}
	os.Exit(pgtest.Main(m))
}

// backend makes a fresh, empty database of one kind for a test.
type backend struct {
	name   string
	newDSN func(t testing.TB) string
}

// backends are what every shared test runs against: the embedded SQLite
// file and a real PostgreSQL (skipped loudly where it is not installed,
// required under CI=true).
var backends = []backend{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "history.db") }},
	{"postgres", func(t testing.TB) string { return pgtest.NewDatabase(t) }},
}

func forEachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b) })
	}
}

// open opens a fresh database and returns it with its DSN.
func (b backend) open(t testing.TB, opt Options) (*Store, string) {
	t.Helper()
	dsn := b.newDSN(t)
	return openDSN(t, dsn, opt), dsn
}

// openTwo opens one fresh database twice, as two processes or replicas would.
func (b backend) openTwo(t testing.TB) (*Store, *Store) {
	t.Helper()
	s, dsn := b.open(t, Options{})
	return s, openDSN(t, dsn, Options{})
}

func openDSN(t testing.TB, dsn string, opt Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestHistorySurvivesRestart(t *testing.T) { forEachBackend(t, testHistorySurvivesRestart) }

func testHistorySurvivesRestart(t *testing.T, b backend) {
	ctx := context.Background()
	s, path := b.open(t, Options{})
	if err := s.Save(ctx, Record{Explanation: explanation("ex_1", "KubePodCrashLooping", "shop", incident.CategoryOOMKilled, t0), User: "alice"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFeedback(ctx, "ex_1", Feedback{Helpful: true, Comment: "spot on", User: "bob", At: t0}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	reopened, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	r, err := reopened.Get(ctx, "ex_1")
	if err != nil {
		t.Fatal(err)
	}
	if r.User != "alice" || r.Explanation.RootCause.Category != incident.CategoryOOMKilled || r.Feedback == nil || !r.Feedback.Helpful || r.Feedback.Comment != "spot on" {
		t.Fatalf("after restart: %+v", r)
	}
	if _, err := reopened.Get(ctx, "ex_missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	if err := reopened.SetFeedback(ctx, "ex_missing", Feedback{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("feedback on a missing explanation: %v", err)
	}
}

func TestListFiltersAndPages(t *testing.T) { forEachBackend(t, testListFiltersAndPages) }

func testListFiltersAndPages(t *testing.T, b backend) {
	ctx := context.Background()
	s, _ := b.open(t, Options{})
	for i := 0; i < 7; i++ {
		ns, cat := "shop", incident.CategoryOOMKilled
		if i%2 == 1 {
			ns, cat = "payments", incident.CategoryDependencyFailure
		}
		if err := s.Save(ctx, Record{Explanation: explanation(fmt.Sprintf("ex_%d", i), "HighErrorRate", ns, cat, t0.Add(time.Duration(i)*time.Minute))}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		filter    Filter
		wantIDs   []string
		wantTotal int
	}{
		{"newest first, paged", Filter{Limit: 2, Offset: 1}, []string{"ex_5", "ex_4"}, 7},
		{"by namespace", Filter{Namespace: "payments"}, []string{"ex_5", "ex_3", "ex_1"}, 3},
		{"by category", Filter{Category: "OOMKilled", Limit: 1}, []string{"ex_6"}, 4},
		{"since", Filter{Since: t0.Add(5 * time.Minute)}, []string{"ex_6", "ex_5"}, 2},
		{"by alertname, none", Filter{AlertName: "Other"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.List(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range got {
				ids = append(ids, r.Explanation.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.wantIDs) || total != tt.wantTotal {
				t.Fatalf("got %v (total %d), want %v (total %d)", ids, total, tt.wantIDs, tt.wantTotal)
			}
		})
	}
}

func TestCacheHonoursKeyAndAge(t *testing.T) { forEachBackend(t, testCacheHonoursKeyAndAge) }

func testCacheHonoursKeyAndAge(t *testing.T, b backend) {
	ctx := context.Background()
	s, _ := b.open(t, Options{})
	_ = s.Save(ctx, Record{Explanation: explanation("ex_old", "A", "ns", incident.CategoryUnknown, t0), CacheKey: "k1"})
	_ = s.Save(ctx, Record{Explanation: explanation("ex_new", "A", "ns", incident.CategoryUnknown, t0.Add(time.Minute)), CacheKey: "k1"})
	r, ok, err := s.Cached(ctx, "k1", t0.Add(30*time.Second))
	if err != nil || !ok || r.Explanation.ID != "ex_new" {
		t.Fatalf("want the newest fresh entry, got %v %v %v", r.Explanation.ID, ok, err)
	}
	if _, ok, _ := s.Cached(ctx, "k1", t0.Add(2*time.Minute)); ok {
		t.Fatal("an entry older than the TTL must not be served")
	}
	if _, ok, _ := s.Cached(ctx, "other", t0); ok {
		t.Fatal("another key must not be served")
	}
}

func TestPruneByAgeAndCount(t *testing.T) { forEachBackend(t, testPruneByAgeAndCount) }

func testPruneByAgeAndCount(t *testing.T, b backend) {
	ctx := context.Background()
	s, _ := b.open(t, Options{RetentionDays: 1, MaxCount: 3})
	for i := 0; i < 6; i++ {
		at := t0.Add(time.Duration(i) * time.Hour)
		if i == 0 {
			at = t0.Add(-72 * time.Hour)
		}
		_ = s.Save(ctx, Record{Explanation: explanation(fmt.Sprintf("ex_%d", i), "A", "ns", incident.CategoryUnknown, at)})
	}
	removed, err := s.Prune(ctx, t0.Add(6*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got, total, _ := s.List(ctx, Filter{})
	if removed != 3 || total != 3 || got[0].Explanation.ID != "ex_5" || got[2].Explanation.ID != "ex_3" {
		t.Fatalf("removed %d, kept %d: %+v", removed, total, got)
	}
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	forEachBackend(t, testConcurrentWritersAndReaders)
}

func testConcurrentWritersAndReaders(t *testing.T, b backend) {
	ctx := context.Background()
	s, path := b.open(t, Options{})
	// A second handle on the same file plays a restarted plugin process.
	other, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			db := s
			if w%2 == 1 {
				db = other
			}
			for i := 0; i < 25; i++ {
				id := fmt.Sprintf("ex_%d_%d", w, i)
				if err := db.Save(ctx, Record{Explanation: explanation(id, "A", "ns", incident.CategoryUnknown, t0)}); err != nil {
					errs <- err
				}
				if err := db.RecordUsage(ctx, UsageEvent{At: t0, Provider: "openai", Model: "gpt-4o-mini", PromptTokens: 10, CompletionTokens: 5, CostUSD: 0.001}); err != nil {
					errs <- err
				}
				if _, _, err := db.List(ctx, Filter{Limit: 5}); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	_, total, _ := s.List(ctx, Filter{})
	tokens, _, _ := s.Spent(ctx, t0)
	if total != 200 || tokens != 200*15 {
		t.Fatalf("lost writes: %d explanations, %d tokens", total, tokens)
	}
}

func TestUsageByDayProviderAndModel(t *testing.T) { forEachBackend(t, testUsageByDayProviderAndModel) }

func testUsageByDayProviderAndModel(t *testing.T, b backend) {
	ctx := context.Background()
	s, _ := b.open(t, Options{})
	events := []UsageEvent{
		{At: t0, Provider: "openai", Model: "gpt-4o", PromptTokens: 1000, CompletionTokens: 200, CostUSD: 0.0045},
		{At: t0.Add(time.Hour), Provider: "openai", Model: "gpt-4o", PromptTokens: 500, CompletionTokens: 100, CostUSD: 0.002},
		{At: t0.Add(2 * time.Hour), Provider: "openai", Model: "gpt-4o", CacheHit: true},
		{At: t0.Add(24 * time.Hour), Provider: "ollama", Model: "llama3", PromptTokens: 3000, CompletionTokens: 400},
	}
	for _, e := range events {
		if err := s.RecordUsage(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	days, err := s.Usage(ctx, t0, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 2 {
		t.Fatalf("want two rows, got %+v", days)
	}
	d := days[0]
	if d.Day != "2026-11-20" || d.PromptTokens != 1500 || d.CompletionTokens != 300 || d.Requests != 3 || d.CacheHits != 1 || d.CostUSD < 0.0064 || d.CostUSD > 0.0066 {
		t.Fatalf("day totals wrong: %+v", d)
	}
	tokens, cost, _ := s.Spent(ctx, t0.Add(25*time.Hour))
	if tokens != 3400 || cost != 0 {
		t.Fatalf("spent on day two: %d tokens, $%v", tokens, cost)
	}
}
