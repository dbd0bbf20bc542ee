package store

import (
	"context"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

func TestWatchFindings(t *testing.T) { forEachBackend(t, testWatchFindings) }

func testWatchFindings(t *testing.T, b backend) {
	ctx := context.Background()
	s, _ := b.open(t, Options{RetentionDays: 1})
	finding := func(id, ns string, at time.Time) incident.WatchFinding {
		return incident.WatchFinding{ID: id, At: at, Kind: incident.WatchNewErrorTemplate, Namespace: ns, Pod: "web-1",
			Template: "payment refused <*>", Alert: incident.Alert{Labels: map[string]string{"alertname": incident.WatchNewErrorTemplate}}}
	}
	for _, f := range []incident.WatchFinding{
		finding("w1", "shop", t0), finding("w2", "shop", t0.Add(time.Minute)), finding("w3", "pay", t0.Add(2*time.Minute)),
		finding("w1", "shop", t0), // raised again by another replica
		finding("w0", "shop", t0.Add(-72*time.Hour)),
	} {
		if err := s.SaveWatchFinding(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.WatchFindings(ctx, "shop", t0.Add(-time.Hour), 10)
	if err != nil || len(got) != 2 || got[0].ID != "w2" || got[1].ID != "w1" || got[1].Template != "payment refused <*>" ||
		got[1].Alert.Labels["alertname"] != incident.WatchNewErrorTemplate {
		t.Fatalf("shop findings %+v, %v", got, err)
	}
	if all, _ := s.WatchFindings(ctx, "", t0.Add(-time.Hour), 1); len(all) != 1 || all[0].ID != "w3" {
		t.Fatalf("newest of all %+v", all)
	}
	if _, err := s.Prune(ctx, t0); err != nil {
		t.Fatal(err)
	}
	if old, _ := s.WatchFindings(ctx, "shop", time.Time{}, 0); len(old) != 2 {
		t.Fatalf("after pruning a day: %d findings, want the 2 recent", len(old))
	}
}
