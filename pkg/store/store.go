// Package store keeps explanation history, user feedback, the explanation
// cache and AI usage in one embedded SQLite file (modernc.org/sqlite, no cgo)
// in the plugin's data directory. It survives restarts; a corrupt file is moved
// aside and recreated, never a crash.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

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
	// Warn receives warnings such as a recreated corrupt file.
	Warn func(msg string, args ...any)
}

// Store is safe for concurrent use.
type Store struct {
	db   *sql.DB
	opt  Options
	path string
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
	Since                          time.Time
	Limit, Offset                  int
}

const schema = `
CREATE TABLE IF NOT EXISTS explanations (
	id          TEXT PRIMARY KEY,
	created_at  INTEGER NOT NULL,
	alertname   TEXT NOT NULL,
	namespace   TEXT NOT NULL,
	category    TEXT NOT NULL,
	user        TEXT NOT NULL,
	cache_key   TEXT NOT NULL,
	body        TEXT NOT NULL,
	feedback    TEXT
);
CREATE INDEX IF NOT EXISTS explanations_created ON explanations(created_at);
CREATE INDEX IF NOT EXISTS explanations_cache ON explanations(cache_key, created_at);
CREATE TABLE IF NOT EXISTS usage (
	day               TEXT NOT NULL,
	provider          TEXT NOT NULL,
	model             TEXT NOT NULL,
	prompt_tokens     INTEGER NOT NULL DEFAULT 0,
	completion_tokens INTEGER NOT NULL DEFAULT 0,
	cost_usd          REAL NOT NULL DEFAULT 0,
	requests          INTEGER NOT NULL DEFAULT 0,
	cache_hits        INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, provider, model)
);`

// Open opens or creates the store at path. A file that is not a healthy
// SQLite database is renamed to path.corrupt-<time> and a new one created.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if opt.RetentionDays <= 0 {
		opt.RetentionDays = 30
	}
	if opt.MaxCount <= 0 {
		opt.MaxCount = 10000
	}
	if opt.Warn == nil {
		opt.Warn = func(string, ...any) {}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	s, err := open(ctx, path, opt)
	if err == nil {
		return s, nil
	}
	aside := fmt.Sprintf("%s.corrupt-%d", path, time.Now().Unix())
	opt.Warn("history store unusable, moving it aside and starting a new one", "path", path, "movedTo", aside, "error", err.Error())
	if rerr := os.Rename(path, aside); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
		return nil, fmt.Errorf("history store %s is unusable (%v) and cannot be moved aside: %w", path, err, rerr)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
	return open(ctx, path, opt)
}

func open(ctx context.Context, path string, opt Options) (*Store, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// One connection serialises writers inside the process; busy_timeout
	// covers a second process (a restarted plugin while the old one drains).
	db.SetMaxOpenConns(1)
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil || check != "ok" {
		db.Close()
		if err == nil {
			err = fmt.Errorf("quick_check: %s", check)
		}
		return nil, err
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return &Store{db: db, opt: opt, path: path}, nil
}

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// Save stores an explanation (replacing one with the same id).
func (s *Store) Save(ctx context.Context, r Record) error {
	e := r.Explanation
	if e.ID == "" {
		return errors.New("explanation has no id")
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode explanation: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT OR REPLACE INTO explanations
		(id, created_at, alertname, namespace, category, user, cache_key, body) VALUES (?,?,?,?,?,?,?,?)`,
		e.ID, e.CreatedAt.UnixMilli(), e.Alert.Name(), alertNamespace(e), string(e.RootCause.Category),
		r.User, r.CacheKey, string(body))
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

// Get returns one explanation.
func (s *Store) Get(ctx context.Context, id string) (Record, error) {
	row := s.db.QueryRowContext(ctx, `SELECT user, cache_key, body, feedback FROM explanations WHERE id = ?`, id)
	r, err := scanRecord(row)
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
	row := s.db.QueryRowContext(ctx, `SELECT user, cache_key, body, feedback FROM explanations
		WHERE cache_key = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1`, key, notBefore.UnixMilli())
	r, err := scanRecord(row)
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
	if !f.Since.IsZero() {
		add("created_at >= ?", f.Since.UnixMilli())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM explanations"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count history: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT user, cache_key, body, feedback FROM explanations"+cond+
		" ORDER BY created_at DESC LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
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
	res, err := s.db.ExecContext(ctx, `UPDATE explanations SET feedback = ? WHERE id = ?`, string(body), id)
	if err != nil {
		return fmt.Errorf("save feedback: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Prune applies retention by age and count; it returns how many were removed.
func (s *Store) Prune(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.Add(-time.Duration(s.opt.RetentionDays) * 24 * time.Hour).UnixMilli()
	res, err := s.db.ExecContext(ctx, `DELETE FROM explanations WHERE created_at < ? OR id IN
		(SELECT id FROM explanations ORDER BY created_at DESC LIMIT -1 OFFSET ?)`, cutoff, s.opt.MaxCount)
	if err != nil {
		return 0, fmt.Errorf("prune history: %w", err)
	}
	return res.RowsAffected()
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
