package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Claims make an alert delivered to every Grafana replica (Alertmanager
// sends each webhook to all of them behind a load balancer, or to each
// listed URL) investigated once: the replica that claims the alert's key
// investigates; the others skip it. A claim is a lease: its owner renews it
// by claiming again while it works and finishes it when done; a replica that
// dies lets the lease run out, and the next delivery to another replica takes
// the investigation over. A finished claim is kept (with the history's
// retention) so a repeated delivery of the same firing is not investigated
// again.

// ErrNotClaimed is returned by FinishInvestigation for a claim the caller
// does not hold (it expired and another replica took it over).
var ErrNotClaimed = errors.New("investigation not claimed by this owner")

// InvestigationKey is the claim key of one firing of an alert: its
// fingerprint and the time it started, hashed to a bounded length.
func InvestigationKey(fingerprint string, startsAt time.Time) string {
	sum := sha256.Sum256([]byte(fingerprint + "\x00" + startsAt.UTC().Format(time.RFC3339Nano)))
	return hex.EncodeToString(sum[:])
}

// ClaimInvestigation takes key for owner for lease and reports whether the
// caller holds it: true when it was free, expired, or already the caller's
// (which renews it); false when another owner holds a live lease or the
// investigation is finished.
func (s *Store) ClaimInvestigation(ctx context.Context, key, owner string, lease time.Duration) (bool, error) {
	if key == "" || owner == "" || lease <= 0 {
		return false, fmt.Errorf("claim needs a key, an owner and a positive lease")
	}
	if err := boundedFields(map[string]string{"claim key": key, "claim owner": owner}); err != nil {
		return false, err
	}
	now := s.opt.Now()
	// One statement: PostgreSQL locks the conflicting row, SQLite the
	// database, so two replicas cannot both see the claim as free.
	res, err := s.exec(ctx, `INSERT INTO claims (key, owner, claimed_at, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
		WHERE claims.done_at IS NULL AND (claims.owner = excluded.owner OR claims.expires_at <= ?)`,
		key, owner, now.UnixMilli(), now.Add(lease).UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("claim investigation: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim investigation: %w", err)
	}
	return n == 1, nil
}

// FinishInvestigation marks owner's claim on key done, so that no later
// delivery of the same firing starts another investigation.
func (s *Store) FinishInvestigation(ctx context.Context, key, owner string) error {
	res, err := s.exec(ctx, `UPDATE claims SET done_at = ? WHERE key = ? AND owner = ? AND done_at IS NULL`,
		s.opt.Now().UnixMilli(), key, owner)
	if err != nil {
		return fmt.Errorf("finish investigation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", ErrNotClaimed, key)
	}
	return nil
}

// ReleaseInvestigation gives owner's unfinished claim on key up at once,
// for an investigation stopped on purpose (its process is shutting down),
// so that whoever resumes it need not wait for the lease.
func (s *Store) ReleaseInvestigation(ctx context.Context, key, owner string) error {
	if _, err := s.exec(ctx, `DELETE FROM claims WHERE key = ? AND owner = ? AND done_at IS NULL`, key, owner); err != nil {
		return fmt.Errorf("release investigation: %w", err)
	}
	return nil
}
