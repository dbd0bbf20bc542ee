package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrate brings the schema to the newest version. It runs in one
// transaction that holds the database's write lock (SQLite: BEGIN
// IMMEDIATE; PostgreSQL: an advisory lock), so two processes or replicas
// opening a new database at once apply each migration once.
func (s *Store) migrate(ctx context.Context) error {
	// A schema already current needs no write transaction, which also lets
	// a read-only database (a PostgreSQL hot standby) open, to be read.
	var current int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err == nil && current == len(s.sql.migrations) {
		return nil
	}
	return s.inTx(ctx, lockMigrations, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			applied_at BIGINT NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if current > len(s.sql.migrations) {
			return fmt.Errorf("the database has schema version %d, newer than this build knows (%d); upgrade the plugin", current, len(s.sql.migrations))
		}
		for v := current + 1; v <= len(s.sql.migrations); v++ {
			if _, err := tx.ExecContext(ctx, s.sql.migrations[v-1]); err != nil {
				return fmt.Errorf("apply schema migration %d: %w", v, err)
			}
			if _, err := tx.ExecContext(ctx, s.sql.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
				v, s.opt.Now().UnixMilli()); err != nil {
				return fmt.Errorf("record schema migration %d: %w", v, err)
			}
		}
		return nil
	})
}

// Keys of the transactions that must not run at the same time as another of
// the same key, on any handle of the database; noLock is one that needs no
// serialisation beyond its rows' own locks.
const (
	noLock         int64 = 0
	lockMigrations int64 = 0x6169_6f70_0001 + iota
	lockBudget
	lockRetention
	lockQueue
)

// inTx runs fn in a transaction that is committed when fn returns nil. The
// transaction is serialised with every other one of the same key: SQLite's
// BEGIN IMMEDIATE serialises all writers; PostgreSQL takes a transaction
// advisory lock on key.
func (s *Store) inTx(ctx context.Context, key int64, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if s.sql.serialize != "" && key != noLock {
		if _, err := tx.ExecContext(ctx, s.sql.rebind(s.sql.serialize), key); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("lock: %w", err)
		}
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
