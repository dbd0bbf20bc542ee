package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// errQuickCheck is a failed PRAGMA quick_check: SQLite itself says the file
// is damaged.
var errQuickCheck = errors.New("quick_check failed")

// openSQLite opens the file at path. Only SQLite's own verdict (a corrupt
// or not-a-database error, or a failed quick_check) moves a file aside; any
// other failure, above all a cancelled or expired ctx, is returned with the
// file, its -wal and its -shm untouched, so the caller can simply try again.
func openSQLite(ctx context.Context, path string, opt Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	s, err := openSQLiteFile(ctx, path, opt)
	if err == nil {
		return s, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	if !isCorrupt(err) {
		return nil, fmt.Errorf("open history store %s: %w", path, err)
	}
	aside, moveErr := moveAside(path, opt.Now())
	if moveErr != nil {
		return nil, fmt.Errorf("history store %s is corrupt (%v) and cannot be moved aside: %w", path, err, moveErr)
	}
	opt.Warn("history store is corrupt; moved it aside and started a new one", "path", path, "movedTo", aside, "error", err.Error())
	return openSQLiteFile(ctx, path, opt)
}

// isCorrupt reports whether err is SQLite's own word that the file is damaged
// or not a database.
func isCorrupt(err error) bool {
	if errors.Is(err, errQuickCheck) {
		return true
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff // the primary code of an extended one
	return code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB
}

// moveAside renames path and its -wal and -shm to <path>.corrupt-<time>
// (keeping the three together so the set still opens for inspection or
// recovery). It never deletes anything.
func moveAside(path string, now time.Time) (string, error) {
	base := fmt.Sprintf("%s.corrupt-%s", path, now.UTC().Format("20060102T150405Z"))
	aside := base
	for i := 1; exists(aside) || exists(aside+"-wal"); i++ {
		aside = fmt.Sprintf("%s.%d", base, i)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(path+suffix, aside+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
	}
	return aside, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func openSQLiteFile(ctx context.Context, path string, opt Options) (*Store, error) {
	// _txlock=immediate makes every transaction take the write lock at BEGIN,
	// so a read-then-write (a budget reservation, a migration) is atomic also
	// against another process on the same file.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// One connection serialises writers inside the process; busy_timeout
	// covers a second process (a restarted plugin while the old one drains).
	db.SetMaxOpenConns(1)
	if err := quickCheck(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{db: db, opt: opt, sql: sqliteDialect}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func quickCheck(ctx context.Context, db *sql.DB) error {
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return err
	}
	if check != "ok" {
		return fmt.Errorf("%w: %s", errQuickCheck, check)
	}
	return nil
}
