package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/store"
)

// envStore is the default of --store.
const envStore = "AIOPS_STORE"

// addStoreFlag registers --store on a command.
func addStoreFlag(fs *flag.FlagSet) *string {
	return fs.String("store", "", "history store: an SQLite file path or a postgres:// URL (default $"+envStore+")")
}

// storeDSN is --store, else $AIOPS_STORE; "" means no store.
func storeDSN(flagValue string, getenv func(string) string) string {
	if v := strings.TrimSpace(flagValue); v != "" {
		return v
	}
	return strings.TrimSpace(getenv(envStore))
}

// errNoStore says how to name a store.
var errNoStore = errors.New("no history store: pass --store FILE (SQLite) or --store postgres://user@host/db, or set " + envStore)

// openExistingStore opens a store to read: an SQLite file that does not
// exist is an error rather than a new empty database.
func openExistingStore(ctx context.Context, dsn string) (*store.Store, error) {
	if !store.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("no history store at %s (nothing recorded there yet?): %w", dsn, err)
		}
	}
	return store.Open(ctx, dsn, store.Options{})
}
