package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// A history written before alert groups gains the group column on open
// and keeps every explanation; grouped explanations are then listed by
// their group.
func TestGroupMigrationKeepsHistoryAndListsGroups(t *testing.T) {
	forEachBackend(t, testGroupMigrationKeepsHistoryAndListsGroups)
}

func testGroupMigrationKeepsHistoryAndListsGroups(t *testing.T, b backend) {
	ctx := context.Background()
	s, dsn := b.open(t, Options{})
	// The schema before groups; the migrations after it run again.
	before := slices.Index(s.sql.migrations, groupMigration)
	for _, q := range []string{
		`DROP INDEX explanations_group`,
		`ALTER TABLE explanations DROP COLUMN group_id`,
		fmt.Sprintf(`DELETE FROM schema_migrations WHERE version > %d`, before),
	} {
		if _, err := s.exec(ctx, q); err != nil {
			t.Fatalf("roll back to schema %d: %s: %v", before, q, err)
		}
	}
	if _, err := s.exec(ctx, `INSERT INTO explanations (id, created_at, alertname, namespace, category, "user", cache_key, body)
		VALUES ('ex_old', ?, 'HighErrorRate', 'shop', 'OOMKilled', 'ana', 'k', '{"id":"ex_old","summary":"kept"}')`, t0.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openDSN(t, dsn, Options{})
	old, err := s.Get(ctx, "ex_old")
	if err != nil || old.Explanation.Summary != "kept" || old.User != "ana" {
		t.Fatalf("the explanation kept before the migration: %+v, %v", old, err)
	}
	group := func(id string) *incident.AlertGroup {
		return &incident.AlertGroup{ID: id, Alerts: []incident.GroupMember{{Name: "HighErrorRate", SharesCause: true}}}
	}
	for i, g := range []string{"grp_aaaaaaaaaaaaaaaa", "grp_bbbbbbbbbbbbbbbb", "grp_aaaaaaaaaaaaaaaa"} {
		ex := explanation(fmt.Sprintf("ex_%d", i), "HighErrorRate", "shop", incident.CategoryOOMKilled, t0.Add(time.Duration(i+1)*time.Minute))
		ex.Group = group(g)
		if err := s.Save(ctx, Record{Explanation: ex}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		filter Filter
		want   string
	}{
		{Filter{Group: "grp_aaaaaaaaaaaaaaaa"}, "[ex_2 ex_0]"},
		{Filter{Group: "grp_bbbbbbbbbbbbbbbb"}, "[ex_1]"},
		{Filter{Group: "grp_cccccccccccccccc"}, "[]"},
		{Filter{}, "[ex_2 ex_1 ex_0 ex_old]"},
	} {
		recs, total, err := s.List(ctx, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, r := range recs {
			ids = append(ids, r.Explanation.ID)
		}
		if fmt.Sprint(ids) != tt.want || total != len(ids) {
			t.Errorf("group %q lists %v (total %d), want %s", tt.filter.Group, ids, total, tt.want)
		}
	}
	// Saved again without a group, the column follows the body: they never disagree.
	ex := explanation("ex_1", "HighErrorRate", "shop", incident.CategoryOOMKilled, t0.Add(2*time.Minute))
	if err := s.Save(ctx, Record{Explanation: ex}); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := s.List(ctx, Filter{Group: "grp_bbbbbbbbbbbbbbbb"}); total != 0 {
		t.Errorf("the group outlived the body that named it: %d", total)
	}
}
