package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudobs/aiops-app/pkg/engine"
	"github.com/cloudobs/aiops-app/pkg/incident"
	"github.com/cloudobs/aiops-app/pkg/store"
)

func webhookBody(alerts ...map[string]any) map[string]any {
	list := make([]any, len(alerts))
	for i, a := range alerts {
		list[i] = a
	}
	return map[string]any{"version": "4", "status": "firing", "receiver": "aiops", "alerts": list}
}

func resolved(a map[string]any) map[string]any {
	a["status"] = "resolved"
	return a
}

func TestWebhookExplainsInTheBackgroundForTheExplainButton(t *testing.T) {
	h := newHarness(t, `{}`, map[string]string{"webhookSecret": "s3cret"})
	ctx := context.Background()
	secret := map[string][]string{webhookSecretHeader: {"s3cret"}}
	for _, tt := range []struct {
		name    string
		role    string
		headers map[string][]string
		status  int
	}{
		{"no identity", "", nil, http.StatusUnauthorized},
		{"the secret alone", "", secret, http.StatusUnauthorized},
		{"wrong secret", RoleViewer, map[string][]string{webhookSecretHeader: {"s3creT"}}, http.StatusUnauthorized},
		{"viewer without secret", RoleViewer, nil, http.StatusForbidden},
		{"editor with a wrong secret", RoleEditor, map[string][]string{webhookSecretHeader: {"nope"}}, http.StatusUnauthorized},
	} {
		if status, body, _ := h.call(ctx, tt.role, "POST", "webhook/alertmanager", webhookBody(testAlert("W")), tt.headers); status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, status, body, tt.status)
		}
	}

	status, body, _ := h.call(ctx, RoleViewer, "POST", "webhook/alertmanager",
		webhookBody(testAlert("Hooked"), testAlert("Hooked"), resolved(testAlert("Gone"))), secret)
	got := decode[webhookResponse](t, body)
	if status != http.StatusAccepted || got.Received != 3 || got.Resolved != 1 || got.Queued+got.Duplicates != 2 || got.Queued < 1 {
		t.Fatalf("webhook: %d %s", status, body)
	}

	// The background explanation lands in history as the webhook's.
	var page historyPage
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, body, _ = h.call(ctx, RoleViewer, "GET", "explanations?alertname=Hooked", nil, nil)
		if page = decode[historyPage](t, body); page.Total > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if page.Total != 1 || page.Items[0].User != webhookUser {
		t.Fatalf("history after the webhook: %+v", page)
	}
	// The Explain button finds it ready: same id, no new explanation.
	_, body, _ = h.call(ctx, RoleViewer, "POST", "explain", testAlert("Hooked"), nil)
	if ex := decode[incident.Explanation](t, body); ex.ID != page.Items[0].ID {
		t.Errorf("explain after the webhook made %s, want the ready %s", ex.ID, page.Items[0].ID)
	}
	// An Editor's service account (a Grafana contact point, which sends no
	// secret header) suffices on its own.
	if status, body, _ := h.call(ctx, RoleEditor, "POST", "webhook/alertmanager", webhookBody(testAlert("ViaGrafana")), nil); status != http.StatusAccepted {
		t.Errorf("editor webhook: %d %s", status, body)
	}
	if status, _, _ := h.call(ctx, RoleViewer, "POST", "webhook/alertmanager", `{"version":"4","alerts":[{"status":"firing"}]}`, secret); status != http.StatusBadRequest {
		t.Errorf("alert without labels: %d", status)
	}
}

// newTestQueue is a queue of size on its own SQLite store whose jobs work
// does; it is stopped when the test ends, or by the returned stop.
func newTestQueue(t *testing.T, size int, work func(context.Context, []incident.Alert) error) (*webhookQueue, *store.Store, func()) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "queue.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	life, stop := context.WithCancel(context.Background())
	q := newWebhookQueue(life, size, NewMetrics(prometheus.NewRegistry()),
		func(context.Context) (*store.Store, error) { return st, nil }, "test-owner", t.Logf, work)
	var once sync.Once
	end := func() { once.Do(func() { stop(); q.wait() }) }
	t.Cleanup(func() { end(); st.Close() })
	return q, st, end
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestWebhookQueueDedupeAndBackPressure drives the queue with a worker that
// holds every alert until released.
func TestWebhookQueueDedupeAndBackPressure(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var done []string
	q, st, stop := newTestQueue(t, 3, func(ctx context.Context, job []incident.Alert) error {
		select {
		case <-release:
		case <-ctx.Done():
			return nil
		}
		mu.Lock()
		for _, a := range job {
			done = append(done, a.Name())
		}
		mu.Unlock()
		return nil
	})
	ctx := context.Background()
	alert := func(name string) incident.Alert {
		return incident.Alert{Labels: map[string]string{"alertname": name}, Status: "firing"}
	}
	waiting := func() int {
		n, err := st.WaitingDeliveries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	var results []string
	for i, name := range []string{"a", "b", "a", "c", "d", "e", "f", "g", "b"} {
		got, _, err := q.offer(ctx, []incident.Alert{alert(name)})
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, got...)
		if i < 2 {
			// Wait until a worker holds the alert, so the queue is empty again.
			waitFor(t, "a worker to take "+name, func() bool { return waiting() == 0 })
		}
	}
	// Two workers hold a and b; c, d, e fill the queue of 3; f and g are
	// refused; the repeated a and b are duplicates while in flight.
	want := []string{resultQueued, resultQueued, resultDuplicate, resultQueued, resultQueued, resultQueued, resultFull, resultFull, resultDuplicate}
	if !slices.Equal(results, want) {
		t.Errorf("results %v, want %v", results, want)
	}
	if r, _, _ := q.offer(ctx, []incident.Alert{{Labels: map[string]string{"alertname": "r"}, Status: "resolved"}}); r[0] != resultResolved {
		t.Error("a resolved alert was queued")
	}
	close(release)
	waitFor(t, "five jobs", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(done) == 5
	})
	// Once explained, the same alert may be queued again.
	waitFor(t, "a to be finished", func() bool {
		r, _, err := q.offer(ctx, []incident.Alert{alert("a")})
		return err == nil && r[0] == resultQueued
	})
	stop()
	mu.Lock()
	defer mu.Unlock()
	// The re-queued a may or may not have run before stop: compare the set.
	slices.Sort(done)
	if got := strings.Join(slices.Compact(done), ""); got != "abcde" {
		t.Errorf("explained %v, want a to e once each (a possibly twice)", done)
	}
}

func TestWebhookRefusesWhenTheQueueIsFull(t *testing.T) {
	model := newFakeModel(t)
	model.block.Store(true)
	h := newHarness(t, model.settings(`,"webhookQueueSize":1`), map[string]string{"openaiApiKey": "sk-test", "webhookSecret": "s3cret"})
	secret := map[string][]string{webhookSecretHeader: {"s3cret"}}
	// Two workers take the first two alerts (and wait on the model), the
	// third fills the queue.
	for i := range 3 {
		status, body, _ := h.call(context.Background(), RoleViewer, "POST", "webhook/alertmanager", webhookBody(testAlert(fmt.Sprint("Busy", i))), secret)
		if got := decode[webhookResponse](t, body); status != http.StatusAccepted || got.Queued != 1 {
			t.Fatalf("alert %d: %d %s", i, status, body)
		}
		if i < 2 {
			<-model.started
		}
	}
	status, body, hdr := h.call(context.Background(), RoleViewer, "POST", "webhook/alertmanager", webhookBody(testAlert("Late1"), testAlert("Late2")), secret)
	if got := decode[webhookResponse](t, body); status != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" || got.Refused != 2 {
		t.Errorf("full queue: %d %s %v, want 503 with Retry-After", status, body, hdr)
	}
	// A repeat of a waiting alert is a duplicate, not a refusal.
	status, body, _ = h.call(context.Background(), RoleViewer, "POST", "webhook/alertmanager", webhookBody(testAlert("Busy2")), secret)
	if got := decode[webhookResponse](t, body); status != http.StatusAccepted || got.Duplicates != 1 {
		t.Errorf("duplicate of a queued alert: %d %s", status, body)
	}
}

// TestLoad200ConcurrentExplains sends 200 concurrent /explain calls through
// CallResource to an app whose model is a local OpenAI-compatible server,
// and checks that none fails and that no goroutine outlives them. The
// throughput and p95 it logs are the figures in docs/api.md.
func TestLoad200ConcurrentExplains(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	model := newFakeModel(t)
	h := newHarness(t, model.settings(`,"budgets":{"perUserPerMinute":0}`), map[string]string{"openaiApiKey": "sk-test"})
	h.app() // instance created before the goroutine baseline
	_, _, _ = h.call(context.Background(), RoleViewer, "POST", "explain", testAlert("Warmup"), nil)
	model.srv.CloseClientConnections()
	time.Sleep(50 * time.Millisecond)
	before := runtime.NumGoroutine()

	const n = 200
	latencies := make([]time.Duration, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			status, body, _ := h.call(context.Background(), RoleViewer, "POST", "explain", testAlert(fmt.Sprint("Load", i)), nil)
			latencies[i] = time.Since(t0)
			statuses[i] = status
			if status == 200 {
				var ex incident.Explanation
				if err := json.Unmarshal(body, &ex); err != nil || ex.ID == "" {
					statuses[i] = -1
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	for i, s := range statuses {
		if s != 200 {
			t.Errorf("request %d: status %d", i, s)
		}
	}
	slices.Sort(latencies)
	p95 := latencies[n*95/100-1]
	t.Logf("200 concurrent /explain: %.1f explanations/s, p50 %s, p95 %s, max %s, model requests %d",
		float64(n)/elapsed.Seconds(), latencies[n/2], p95, latencies[n-1], model.requests.Load())

	_, body, _ := h.call(context.Background(), RoleViewer, "GET", "explanations?limit=1", nil, nil)
	if page := decode[historyPage](t, body); page.Total != n+1 {
		t.Errorf("history holds %d explanations, want %d", page.Total, n+1)
	}
	// Idle keep-alive connections to the model are pooled, not leaked:
	// drop them before counting.
	model.srv.CloseClientConnections()
	deadline := time.Now().Add(5 * time.Second)
	after := runtime.NumGoroutine()
	for after > before+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		after = runtime.NumGoroutine()
	}
	if after > before+2 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

// One delivery's firing alerts are one job, explained as one group whose
// explanations history lists under the group's id.
func TestWebhookExplainsADeliveryAsOneGroup(t *testing.T) {
	jobs := make(chan []incident.Alert, 4)
	q, _, stop := newTestQueue(t, 2, func(_ context.Context, job []incident.Alert) error { jobs <- job; return nil })
	a := incident.Alert{Labels: map[string]string{"alertname": "a"}, Status: "firing"}
	b := incident.Alert{Labels: map[string]string{"alertname": "b"}, Status: "firing"}
	gone := incident.Alert{Labels: map[string]string{"alertname": "c"}, Status: "resolved"}
	results, _, err := q.offer(context.Background(), []incident.Alert{a, b, a, gone})
	if want := []string{resultQueued, resultQueued, resultDuplicate, resultResolved}; err != nil || !slices.Equal(results, want) {
		t.Errorf("results %v %v, want %v", results, err, want)
	}
	if job := <-jobs; len(job) != 2 || job[0].Name() != "a" || job[1].Name() != "b" {
		t.Errorf("job %v, want a and b together", job)
	}
	stop()

	h := newHarness(t, `{}`, map[string]string{"webhookSecret": "s3cret"})
	order, payment := testAlert("OrderErrors"), testAlert("PaymentDown")
	order["labels"] = map[string]string{"alertname": "OrderErrors", "namespace": "shop", "deployment": "order"}
	payment["labels"] = map[string]string{"alertname": "PaymentDown", "namespace": "shop", "deployment": "payment"}
	status, body, _ := h.call(context.Background(), RoleViewer, "POST", "webhook/alertmanager", webhookBody(order, payment),
		map[string][]string{webhookSecretHeader: {"s3cret"}})
	if got := decode[webhookResponse](t, body); status != http.StatusAccepted || got.Queued != 2 {
		t.Fatalf("webhook: %d %s", status, body)
	}
	var page historyPage
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, body, _ = h.call(context.Background(), RoleViewer, "GET", "explanations", nil, nil)
		if page = decode[historyPage](t, body); page.Total == 2 && page.Items[0].Group != nil && page.Items[1].Group != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if page.Total != 2 || page.Items[0].Group == nil || page.Items[1].Group == nil || page.Items[0].Group.ID != page.Items[1].Group.ID {
		t.Fatalf("history after the delivery: %s", body)
	}
	_, body, _ = h.call(context.Background(), RoleViewer, "GET", "explanations?group="+page.Items[0].Group.ID, nil, nil)
	if got := decode[historyPage](t, body); got.Total != 2 || len(got.Items[0].Group.Alerts) != 2 {
		t.Errorf("the group's history: %s", body)
	}
}

// A delivery whose explanation was not kept stays pending: the queue does
// not mark it done, so the same alert offered again is still a duplicate of
// it, where a kept one frees its alert to be queued anew.
func TestWebhookDeliveryNotKeptStaysPending(t *testing.T) {
	a := incident.Alert{Labels: map[string]string{"alertname": "a"}, Status: "firing"}
	offer := func(q *webhookQueue) string {
		results, _, err := q.offer(context.Background(), []incident.Alert{a})
		if err != nil {
			t.Fatal(err)
		}
		return results[0]
	}
	start := func(workErr error) *webhookQueue {
		worked := make(chan struct{}, 1)
		q, _, stop := newTestQueue(t, 2, func(context.Context, []incident.Alert) error {
			select {
			case worked <- struct{}{}:
			default:
			}
			return workErr
		})
		t.Cleanup(stop)
		if got := offer(q); got != resultQueued {
			t.Fatalf("first offer: %s", got)
		}
		<-worked
		return q
	}
	kept := start(nil)
	waitFor(t, "the kept delivery to free its alert", func() bool { return offer(kept) == resultQueued })

	notKept := start(engine.ErrNotKept)
	// The kept case shows how soon a job's end is recorded; give this one
	// ample time to be (wrongly) marked done before looking.
	time.Sleep(300 * time.Millisecond)
	if got := offer(notKept); got != resultDuplicate {
		t.Errorf("offered again after a job whose explanation was not kept: %s, want %s (still pending)", got, resultDuplicate)
	}
}
