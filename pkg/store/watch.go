package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// maxWatchFindingsListed bounds one WatchFindings answer.
const maxWatchFindingsListed = 1000

// SaveWatchFinding keeps a log-watch finding; saving the same id again is
// a no-op, so a replica that raises it too does not duplicate it.
func (s *Store) SaveWatchFinding(ctx context.Context, f incident.WatchFinding) error {
	body, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode watch finding: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO watch_findings (id, created_at, namespace, body) VALUES (?,?,?,?) ON CONFLICT(id) DO NOTHING`,
		f.ID, f.At.UnixMilli(), f.Namespace, string(body))
	if err != nil {
		return fmt.Errorf("save watch finding: %w", err)
	}
	return nil
}

// WatchFindings lists the findings raised at or after since, newest first,
// of one namespace ("" for all), at most limit (bounded).
func (s *Store) WatchFindings(ctx context.Context, namespace string, since time.Time, limit int) ([]incident.WatchFinding, error) {
	if limit <= 0 || limit > maxWatchFindingsListed {
		limit = maxWatchFindingsListed
	}
	q := `SELECT body FROM watch_findings WHERE created_at >= ?`
	args := []any{since.UnixMilli()}
	if namespace != "" {
		q += ` AND namespace = ?`
		args = append(args, namespace)
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	rows, err := s.db.QueryContext(ctx, s.sql.rebind(q), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list watch findings: %w", err)
	}
	defer rows.Close()
	var out []incident.WatchFinding
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("read watch finding: %w", err)
		}
		var f incident.WatchFinding
		if err := json.Unmarshal([]byte(body), &f); err != nil {
			return nil, fmt.Errorf("decode watch finding: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
