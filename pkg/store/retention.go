package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Prune applies retention: explanations by age and count, daily usage by
// age, budget reservations a day after they expired, and investigation
// claims, log-watch findings and webhook deliveries as old as the
// explanations removed. It returns how many rows were removed. Run it
// periodically (KeepPruned does).
func (s *Store) Prune(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.Add(-days(s.opt.RetentionDays)).UnixMilli()
	usageCutoff := now.Add(-days(s.opt.UsageRetentionDays)).UTC().Format(dayLayout)
	steps := []struct{ what, q string }{
		{"explanations by age", `DELETE FROM explanations WHERE created_at < ?`},
		{"explanations by count", `DELETE FROM explanations WHERE id IN
			(SELECT id FROM explanations ORDER BY created_at DESC, id DESC ` + s.sql.limitAll + ` OFFSET ?)`},
		{"usage", `DELETE FROM usage WHERE day < ?`},
		{"budget reservations", `DELETE FROM reservations WHERE expires_at < ?`},
		{"investigation claims", `DELETE FROM claims WHERE expires_at < ?`},
		{"watch findings", `DELETE FROM watch_findings WHERE created_at < ?`},
		// A delivery still waiting after the retention period would only
		// explain alerts long gone.
		{"webhook deliveries", `DELETE FROM webhook_deliveries WHERE COALESCE(done_at, created_at) < ?`},
		{"webhook queue keys", `DELETE FROM webhook_queued_alerts WHERE delivery_id NOT IN
			(SELECT id FROM webhook_deliveries WHERE done_at IS NULL)`},
	}
	// A reservation is kept a day past its expiry so that a late Settle
	// still finds it.
	args := [][]any{{cutoff}, {s.opt.MaxCount}, {usageCutoff}, {now.Add(-24 * time.Hour).UnixMilli()}, {cutoff}, {cutoff}, {cutoff}, {}}
	var removed int64
	err := s.inTx(ctx, lockRetention, func(tx *sql.Tx) error {
		for i, st := range steps {
			res, err := tx.ExecContext(ctx, s.sql.rebind(st.q), args[i]...)
			if err != nil {
				return fmt.Errorf("prune %s: %w", st.what, err)
			}
			n, _ := res.RowsAffected()
			removed += n
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return removed, nil
}

// KeepPruned runs Prune now and then every interval until ctx ends, passing
// each outcome to report (which may be nil).
func (s *Store) KeepPruned(ctx context.Context, every time.Duration, report func(removed int64, err error)) {
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.Prune(ctx, s.opt.Now())
		if report != nil && ctx.Err() == nil {
			report(n, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
