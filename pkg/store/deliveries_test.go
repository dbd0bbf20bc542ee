package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func firing(name string) incident.Alert {
	return incident.Alert{Labels: map[string]string{"alertname": name}, Status: "firing", StartsAt: t0}
}

func enqueue(t *testing.T, st *Store, max int, names ...string) (Enqueued, error) {
	t.Helper()
	var alerts []incident.Alert
	for _, n := range names {
		alerts = append(alerts, firing(n))
	}
	return st.EnqueueDelivery(context.Background(), alerts, names, max)
}

func take(t *testing.T, st *Store, owner string) (Delivery, bool) {
	t.Helper()
	d, ok, err := st.TakeDelivery(context.Background(), owner, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return d, ok
}

func names(d Delivery) []string {
	var out []string
	for _, a := range d.Alerts {
		out = append(out, a.Name())
	}
	return out
}

func TestWebhookQueueSurvivesRestartAndLeases(t *testing.T) {
	forEachBackend(t, testWebhookQueueSurvivesRestartAndLeases)
}

func testWebhookQueueSurvivesRestartAndLeases(t *testing.T, b backend) {
	ctx := context.Background()
	c := newClock(t0)
	first, dsn := b.open(t, Options{Now: c.now})
	got, err := enqueue(t, first, 10, "a", "b")
	if err != nil || got.ID == "" || got.Waiting != 1 || slices.Contains(got.Duplicate, true) {
		t.Fatalf("enqueue: %+v %v", got, err)
	}
	c.advance(time.Millisecond) // deliveries are taken in the order they came
	// An alert waiting is a duplicate; the delivery keeps the new one only.
	if got, err := enqueue(t, first, 10, "b", "c"); err != nil || !slices.Equal(got.Duplicate, []bool{true, false}) || got.Waiting != 2 {
		t.Fatalf("enqueue with a duplicate: %+v %v", got, err)
	}
	if got, err := enqueue(t, first, 10, "a"); err != nil || got.ID != "" || !got.Duplicate[0] {
		t.Fatalf("enqueue of duplicates only: %+v %v", got, err)
	}
	// The process stops without explaining anything: a new one on the same
	// database finds both deliveries, oldest first.
	first.Close()
	st := openDSN(t, dsn, Options{Now: c.now})
	other := openDSN(t, dsn, Options{Now: c.now})
	d, ok := take(t, st, "replica-a")
	if !ok || !slices.Equal(names(d), []string{"a", "b"}) || d.Attempts != 1 {
		t.Fatalf("first take: %+v %v", d, ok)
	}
	if n, _ := st.WaitingDeliveries(ctx); n != 1 {
		t.Errorf("%d waiting after one take, want 1", n)
	}
	// Taken deliveries are still duplicates.
	if got, _ := enqueue(t, other, 10, "a"); !got.Duplicate[0] {
		t.Error("an alert being explained was queued again")
	}
	// replica-a dies holding the first delivery: until its lease runs out
	// the other replica takes only the second one.
	d2, ok := take(t, other, "replica-b")
	if !ok || !slices.Equal(names(d2), []string{"c"}) {
		t.Fatalf("second take: %+v %v", d2, ok)
	}
	if _, ok := take(t, other, "replica-b"); ok {
		t.Fatal("a delivery under a live lease was taken")
	}
	// replica-b stops on purpose: it gives its delivery back, uncounted.
	if err := other.ReleaseDelivery(ctx, d2.ID, "replica-b"); err != nil {
		t.Fatal(err)
	}
	if again, ok := take(t, other, "replica-b"); !ok || again.ID != d2.ID || again.Attempts != 1 {
		t.Fatalf("take after release: %+v %v", again, ok)
	}
	c.advance(61 * time.Second)
	taken, ok := take(t, other, "replica-b")
	if !ok || taken.ID != d.ID || taken.Attempts != 2 {
		t.Fatalf("take after the lease ran out: %+v %v", taken, ok)
	}
	if err := st.FinishDelivery(ctx, d.ID, "replica-a"); !errors.Is(err, ErrNotTaken) {
		t.Errorf("finishing a lost delivery: %v", err)
	}
	for _, id := range []string{d.ID, d2.ID} {
		if err := other.FinishDelivery(ctx, id, "replica-b"); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := take(t, st, "replica-a"); ok {
		t.Fatal("a finished delivery was taken")
	}
	// Finished, the same alert is queued again (its next firing).
	if got, err := enqueue(t, st, 10, "a"); err != nil || got.Duplicate[0] {
		t.Fatalf("enqueue after finish: %+v %v", got, err)
	}
}

func TestWebhookQueueBoundAndGiveUp(t *testing.T) { forEachBackend(t, testWebhookQueueBoundAndGiveUp) }

func testWebhookQueueBoundAndGiveUp(t *testing.T, b backend) {
	ctx := context.Background()
	c := newClock(t0)
	var mu sync.Mutex
	var warned []string
	st, _ := b.open(t, Options{Now: c.now, Warn: func(msg string, _ ...any) {
		mu.Lock()
		warned = append(warned, msg)
		mu.Unlock()
	}})
	for i := range 2 {
		if _, err := enqueue(t, st, 2, fmt.Sprint("w", i)); err != nil {
			t.Fatal(err)
		}
	}
	// Full: nothing of the refused delivery is kept, not even its keys.
	if _, err := enqueue(t, st, 2, "late"); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("third delivery into a queue of 2: %v", err)
	}
	// A taken delivery no longer waits, so there is room again.
	d, _ := take(t, st, "w")
	if got, err := enqueue(t, st, 2, "late"); err != nil || got.Duplicate[0] {
		t.Fatalf("after a take: %+v %v", got, err)
	}
	for range 2 {
		other, ok := take(t, st, "x")
		if !ok || st.FinishDelivery(ctx, other.ID, "x") != nil {
			t.Fatal("cannot take and finish the other deliveries")
		}
	}
	// A delivery whose worker dies every time is given up after
	// MaxDeliveryAttempts takes.
	for attempt := 2; attempt <= MaxDeliveryAttempts; attempt++ {
		c.advance(2 * time.Minute)
		again, ok := take(t, st, "w")
		if !ok || again.ID != d.ID || again.Attempts != attempt {
			t.Fatalf("attempt %d: %+v %v", attempt, again, ok)
		}
	}
	c.advance(2 * time.Minute)
	if next, ok := take(t, st, "w"); ok {
		t.Fatalf("after %d attempts the delivery was taken again: %+v", MaxDeliveryAttempts, next)
	}
	mu.Lock()
	if !slices.Contains(warned, "Webhook delivery given up after repeated attempts") {
		t.Errorf("no warning for the given-up delivery: %v", warned)
	}
	mu.Unlock()
	// Retention removes deliveries done or waiting past it, and their keys.
	if n, err := st.Prune(ctx, c.now().Add(31*24*time.Hour)); err != nil || n < 3 {
		t.Fatalf("prune: %d %v", n, err)
	}
	var rows int
	if err := st.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM webhook_deliveries) + (SELECT COUNT(*) FROM webhook_queued_alerts)`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("%d queue rows after retention (%v), want 0", rows, err)
	}
}

func TestWebhookQueueTakesEachDeliveryOnce(t *testing.T) {
	forEachBackend(t, testWebhookQueueTakesEachDeliveryOnce)
}

func testWebhookQueueTakesEachDeliveryOnce(t *testing.T, b backend) {
	a, other := b.openTwo(t)
	const n = 20
	for i := range n {
		if _, err := enqueue(t, a, n, fmt.Sprint("d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := []*Store{a, other}[w%2]
			for {
				d, ok, err := st.TakeDelivery(context.Background(), fmt.Sprint("worker-", w), time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				seen[d.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d deliveries taken, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("delivery %s taken %d times", id, k)
		}
	}
}
