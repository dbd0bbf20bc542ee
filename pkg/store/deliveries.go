package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// The webhook queue: an accepted Alertmanager or Grafana delivery is
// committed here before the sender is answered, so that a plugin restart
// before it is explained does not lose it (Alertmanager does not resend a
// delivery it saw accepted). A worker takes a delivery under a lease,
// explains it and finishes it; a worker that stops on purpose gives its
// delivery back, one that dies lets the lease run out, and the next take,
// by this process after a restart or by another replica sharing the
// database, explains it then. The alerts of waiting and taken deliveries
// are listed by key, so an alert delivered again meanwhile is a duplicate,
// also across restarts and replicas.

// ErrQueueFull is returned by EnqueueDelivery when as many deliveries wait
// as the queue may hold.
var ErrQueueFull = errors.New("webhook queue full")

// ErrNotTaken is returned by FinishDelivery for a delivery the caller
// does not hold.
var ErrNotTaken = errors.New("delivery not taken by this owner")

// MaxDeliveryAttempts is how often a delivery is taken before it is given
// up: one whose explanation kills the process every time must not stop the
// queue for good.
const MaxDeliveryAttempts = 3

// Delivery is one accepted webhook delivery's firing alerts.
type Delivery struct {
	ID     string
	Alerts []incident.Alert
	// Attempts counts the takes, this one included.
	Attempts int
}

// Enqueued says what EnqueueDelivery kept.
type Enqueued struct {
	// ID is the delivery's; empty when every alert was a duplicate.
	ID string
	// Duplicate[i] is true for an alert already waiting or being explained.
	Duplicate []bool
	// Waiting is how many deliveries wait to be taken, this one included.
	Waiting int
}

// EnqueueDelivery commits the alerts not already queued as one delivery,
// keyed by keys (one per alert, distinct). It refuses with ErrQueueFull,
// keeping nothing, when maxWaiting deliveries wait already.
func (s *Store) EnqueueDelivery(ctx context.Context, alerts []incident.Alert, keys []string, maxWaiting int) (Enqueued, error) {
	if len(alerts) == 0 || len(alerts) != len(keys) || maxWaiting <= 0 {
		return Enqueued{}, fmt.Errorf("enqueue needs alerts, one key each, and a positive bound")
	}
	for _, k := range keys {
		if k == "" || len(k) > maxField {
			return Enqueued{}, fmt.Errorf("queue key of %d bytes: want 1 to %d", len(k), maxField)
		}
	}
	id, err := newDeliveryID()
	if err != nil {
		return Enqueued{}, err
	}
	now := s.opt.Now().UnixMilli()
	out := Enqueued{Duplicate: make([]bool, len(alerts))}
	err = s.inTx(ctx, lockQueue, func(tx *sql.Tx) error {
		var kept []incident.Alert
		for i, k := range keys {
			res, err := tx.ExecContext(ctx, s.sql.rebind(`INSERT INTO webhook_queued_alerts (key, delivery_id) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`), k, id)
			if err != nil {
				return fmt.Errorf("queue alert: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				out.Duplicate[i] = true
				continue
			}
			kept = append(kept, alerts[i])
		}
		if len(kept) == 0 {
			return nil
		}
		if err := tx.QueryRowContext(ctx, s.sql.rebind(countWaiting), now).Scan(&out.Waiting); err != nil {
			return fmt.Errorf("count waiting deliveries: %w", err)
		}
		if out.Waiting >= maxWaiting {
			return ErrQueueFull
		}
		body, err := json.Marshal(kept)
		if err != nil {
			return fmt.Errorf("encode delivery: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.sql.rebind(`INSERT INTO webhook_deliveries (id, created_at, alerts) VALUES (?, ?, ?)`), id, now, string(body)); err != nil {
			return fmt.Errorf("queue delivery: %w", err)
		}
		out.ID = id
		out.Waiting++
		return nil
	})
	if err != nil {
		return Enqueued{}, err
	}
	return out, nil
}

// TakeDelivery gives owner the oldest delivery that waits (never taken,
// given back, or whose lease ran out) for lease, or false when none does.
// A delivery taken MaxDeliveryAttempts times already is finished instead,
// with warn told why.
func (s *Store) TakeDelivery(ctx context.Context, owner string, lease time.Duration) (Delivery, bool, error) {
	if owner == "" || len(owner) > maxField || lease <= 0 {
		return Delivery{}, false, fmt.Errorf("take needs an owner and a positive lease")
	}
	// Another worker may take the same row between the read and the
	// update; the update's condition makes one of them win, and the other
	// reads again.
	for range 8 {
		now := s.opt.Now().UnixMilli()
		var d Delivery
		var body string
		err := s.queryRow(ctx, `SELECT id, alerts, attempts FROM webhook_deliveries
			WHERE done_at IS NULL AND lease_until <= ? ORDER BY created_at, id LIMIT 1`, now).Scan(&d.ID, &body, &d.Attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return Delivery{}, false, nil
		}
		if err != nil {
			return Delivery{}, false, fmt.Errorf("read waiting delivery: %w", err)
		}
		if d.Attempts >= MaxDeliveryAttempts {
			s.opt.Warn("Webhook delivery given up after repeated attempts", "delivery", d.ID, "attempts", d.Attempts)
			if err := s.FinishDelivery(ctx, d.ID, ""); err != nil {
				return Delivery{}, false, err
			}
			continue
		}
		res, err := s.exec(ctx, `UPDATE webhook_deliveries SET owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE id = ? AND done_at IS NULL AND lease_until <= ?`, owner, now+lease.Milliseconds(), d.ID, now)
		if err != nil {
			return Delivery{}, false, fmt.Errorf("take delivery: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		if err := json.Unmarshal([]byte(body), &d.Alerts); err != nil {
			// A row this build cannot read would be taken for ever.
			s.opt.Warn("Webhook delivery cannot be decoded and is dropped", "delivery", d.ID, "error", err)
			if err := s.FinishDelivery(ctx, d.ID, owner); err != nil {
				return Delivery{}, false, err
			}
			continue
		}
		d.Attempts++
		return d, true, nil
	}
	return Delivery{}, false, nil
}

// FinishDelivery marks owner's delivery done and frees its alerts' keys,
// so that a later firing of the same alert is queued again. It returns
// ErrNotTaken when owner no longer holds it (its lease ran out and another
// worker took it); owner "" finishes it whoever holds it.
func (s *Store) FinishDelivery(ctx context.Context, id, owner string) error {
	return s.inTx(ctx, noLock, func(tx *sql.Tx) error {
		q := `UPDATE webhook_deliveries SET done_at = ? WHERE id = ? AND done_at IS NULL`
		args := []any{s.opt.Now().UnixMilli(), id}
		if owner != "" {
			q += ` AND owner = ?`
			args = append(args, owner)
		}
		res, err := tx.ExecContext(ctx, s.sql.rebind(q), args...)
		if err != nil {
			return fmt.Errorf("finish delivery: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s", ErrNotTaken, id)
		}
		if _, err := tx.ExecContext(ctx, s.sql.rebind(`DELETE FROM webhook_queued_alerts WHERE delivery_id = ?`), id); err != nil {
			return fmt.Errorf("free delivery's alerts: %w", err)
		}
		return nil
	})
}

// ReleaseDelivery gives owner's delivery back unexplained (its worker is
// stopping), so the next take need not wait for the lease; the attempt
// is not counted.
func (s *Store) ReleaseDelivery(ctx context.Context, id, owner string) error {
	_, err := s.exec(ctx, `UPDATE webhook_deliveries SET owner = '', lease_until = 0, attempts = attempts - 1
		WHERE id = ? AND owner = ? AND done_at IS NULL`, id, owner)
	if err != nil {
		return fmt.Errorf("release delivery: %w", err)
	}
	return nil
}

// countWaiting counts the deliveries no worker holds: never taken, given
// back, or whose lease ran out.
const countWaiting = `SELECT COUNT(*) FROM webhook_deliveries WHERE done_at IS NULL AND lease_until <= ?`

// WaitingDeliveries is how many deliveries wait to be taken.
func (s *Store) WaitingDeliveries(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, countWaiting, s.opt.Now().UnixMilli()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count waiting deliveries: %w", err)
	}
	return n, nil
}

func newDeliveryID() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("delivery id: %w", err)
	}
	return "dlv_" + hex.EncodeToString(b[:]), nil
}

// deliveriesMigration is migration 8 of both: the webhook queue. Like the
// others it can run again over its own result.
func deliveriesMigration(integer string) string {
	return fmt.Sprintf(`CREATE TABLE IF NOT EXISTS webhook_deliveries (
			id          TEXT PRIMARY KEY,
			created_at  %[1]s NOT NULL,
			alerts      TEXT NOT NULL,
			owner       TEXT NOT NULL DEFAULT '',
			lease_until %[1]s NOT NULL DEFAULT 0,
			attempts    %[1]s NOT NULL DEFAULT 0,
			done_at     %[1]s
		);
		CREATE INDEX IF NOT EXISTS webhook_deliveries_waiting ON webhook_deliveries(done_at, lease_until, created_at);
		CREATE TABLE IF NOT EXISTS webhook_queued_alerts (
			key         TEXT PRIMARY KEY,
			delivery_id TEXT NOT NULL
		);
		CREATE INDEX IF NOT EXISTS webhook_queued_alerts_delivery ON webhook_queued_alerts(delivery_id);`, integer)
}
