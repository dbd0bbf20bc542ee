// Package store keeps explanation history, user feedback, the explanation
// cache, AI usage and budgets, and the claims that make one replica
// investigate each alert. The default backend is one embedded SQLite file
// (modernc.org/sqlite, no cgo) in the plugin's data directory; a postgres://
// URL selects PostgreSQL (pgx), shared by Grafana replicas in HA. A corrupt
// SQLite file is moved aside and recreated, never a crash and never a
// deletion.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cloudobs/aiops-app/pkg/incident"
)

// ErrNotFound is returned for an unknown explanation id.
var ErrNotFound = errors.New("explanation not found")

// Options bound what the store keeps.
type Options struct {
	// RetentionDays drops explanations older than this; default 30.
	RetentionDays int
	// MaxCount keeps at most this many explanations, newest first; default 10000.
	MaxCount int
	// UsageRetentionDays drops daily usage totals older than this; default 90.
	UsageRetentionDays int
	// ReservationTTL is how long an unsettled budget reservation counts
	// (longer than any model call); default 15 minutes.
	ReservationTTL time.Duration
	// Warn receives warnings such as a corrupt file moved aside.
	Warn func(msg string, args ...any)
	// Now is the clock of retention; default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.RetentionDays <= 0 {
		o.RetentionDays = 30
	}
	if o.MaxCount <= 0 {
		o.MaxCount = 10000
	}
	if o.UsageRetentionDays <= 0 {
		o.UsageRetentionDays = 90
	}
	if o.ReservationTTL <= 0 {
		o.ReservationTTL = 15 * time.Minute
	}
	if o.Warn == nil {
		o.Warn = func(string, ...any) {}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Store is safe for concurrent use, also by several Store values (processes
// or replicas) on the same database.
type Store struct {
	db  *sql.DB
	opt Options
	sql dialect
}

// Record is one stored explanation with who asked and its cache key.
type Record struct {
	Explanation incident.Explanation `json:"explanation"`
	User        string               `json:"user,omitempty"`
	// CacheKey identifies the alert and its evidence; equal keys within the
	// cache TTL return the stored explanation without a model call.
	CacheKey string    `json:"-"`
	Feedback *Feedback `json:"feedback,omitempty"`
}

// Feedback is a user's verdict on an explanation.
type Feedback struct {
	Helpful bool      `json:"helpful"`
	Comment string    `json:"comment,omitempty"`
	User    string    `json:"user,omitempty"`
	At      time.Time `json:"at"`
}

// Filter selects history.
type Filter struct {
	AlertName, Namespace, Category string
	// Group is an alert group's id: its explanations only.
	Group         string
	Since         time.Time
	Limit, Offset int
}

// Open opens or creates the store named by dsn: a postgres:// URL is a
// PostgreSQL database shared by Grafana replicas, anything else the path of
// an SQLite file (created with its directory). Both get the same schema
// through migrations. A cancelled ctx returns its error and leaves the
// database alone; a file SQLite reports as corrupt is renamed to
// <path>.corrupt-<UTC time> (with its -wal and -shm) and a new one created.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(dsn) == "" {
		return nil, errors.New("no store given: a file path (SQLite) or a postgres:// URL")
	}
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, opt)
	}
	return openSQLite(ctx, dsn, opt)
}

// Backend is "sqlite" or "postgres".
func (s *Store) Backend() string { return s.sql.name }

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// exec runs a statement written with ? placeholders.
func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, s.sql.rebind(q), args...)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.db.QueryRowContext(ctx, s.sql.rebind(q), args...)
}

// Save stores an explanation, replacing the one with the same id (its
// feedback is kept).
func (s *Store) Save(ctx context.Context, r Record) error {
	e := r.Explanation
	if e.ID == "" {
		return errors.New("explanation has no id")
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode explanation: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO explanations
		(id, created_at, alertname, namespace, category, "user", cache_key, group_id, body) VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, alertname = excluded.alertname,
			namespace = excluded.namespace, category = excluded.category, "user" = excluded."user",
			cache_key = excluded.cache_key, group_id = excluded.group_id, body = excluded.body`,
		e.ID, e.CreatedAt.UnixMilli(), e.Alert.Name(), alertNamespace(e), string(e.RootCause.Category),
		r.User, r.CacheKey, groupOf(e), string(body))
	if err != nil {
		return fmt.Errorf("save explanation: %w", err)
	}
	return nil
}

// alertNamespace is the namespace the history is filtered by: the alert's
// label, else the root cause's.
func alertNamespace(e incident.Explanation) string {
	if ns := e.Alert.Labels["namespace"]; ns != "" {
		return ns
	}
	return e.RootCause.Entity.Namespace
}

// groupOf is the id of the alert group the explanation belongs to, or "".
func groupOf(e incident.Explanation) string {
	if e.Group == nil {
		return ""
	}
	return e.Group.ID
}

const recordColumns = `SELECT "user", cache_key, body, feedback FROM explanations`

// Get returns one explanation.
func (s *Store) Get(ctx context.Context, id string) (Record, error) {
	r, err := scanRecord(s.queryRow(ctx, recordColumns+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, ErrNotFound
	}
	return r, err
}

// Cached returns the newest explanation with this cache key created at or
// after notBefore.
func (s *Store) Cached(ctx context.Context, key string, notBefore time.Time) (Record, bool, error) {
	if key == "" {
		return Record{}, false, nil
	}
	r, err := scanRecord(s.queryRow(ctx, recordColumns+`
		WHERE cache_key = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1`, key, notBefore.UnixMilli()))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, false, nil
	}
	return r, err == nil, err
}

// List returns the matching explanations, newest first, and their total.
func (s *Store) List(ctx context.Context, f Filter) ([]Record, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	var where []string
	var args []any
	add := func(clause string, v any) {
		where = append(where, clause)
		args = append(args, v)
	}
	if f.AlertName != "" {
		add("alertname = ?", f.AlertName)
	}
	if f.Namespace != "" {
		add("namespace = ?", f.Namespace)
	}
	if f.Category != "" {
		add("category = ?", f.Category)
	}
	if f.Group != "" {
		add("group_id = ?", f.Group)
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", f.Since.UnixMilli())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM explanations"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count history: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, s.sql.rebind(recordColumns+cond+
		" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"), append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list history: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// SetFeedback records a verdict on an explanation.
func (s *Store) SetFeedback(ctx context.Context, id string, fb Feedback) error {
	body, err := json.Marshal(fb)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE explanations SET feedback = ? WHERE id = ?`, string(body), id)
	if err != nil {
		return fmt.Errorf("save feedback: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }

func scanRecord(row scanner) (Record, error) {
	var r Record
	var body string
	var feedback sql.NullString
	if err := row.Scan(&r.User, &r.CacheKey, &body, &feedback); err != nil {
		return Record{}, err
	}
	if err := json.Unmarshal([]byte(body), &r.Explanation); err != nil {
		return Record{}, fmt.Errorf("decode stored explanation: %w", err)
	}
	if feedback.Valid {
		var fb Feedback
		if err := json.Unmarshal([]byte(feedback.String), &fb); err == nil {
			r.Feedback = &fb
		}
	}
	return r, nil
}
