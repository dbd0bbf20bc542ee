package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/cloudobs/aiops-app/pkg/incident"
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

// cliUser is who the CLI's records are made by.
const cliUser = "aiops-cli"

// recordExplanation keeps ex in st, with its AI usage on its provider's
// ledger, as the app does for what it explains.
func recordExplanation(ctx context.Context, st *store.Store, ex incident.Explanation) error {
	if err := st.Save(ctx, store.Record{Explanation: ex, User: cliUser}); err != nil {
		return err
	}
	return st.RecordUsage(ctx, store.UsageEvent{At: ex.CreatedAt, Provider: ex.Provider.Name, Model: ex.Provider.Model,
		PromptTokens: ex.Usage.PromptTokens, CompletionTokens: ex.Usage.CompletionTokens, CostUSD: ex.Usage.CostUSD})
}

// openRecordingStore opens the store named by --store or $AIOPS_STORE to
// record into; nil (and no error) when neither names one.
func openRecordingStore(ctx context.Context, flagValue string, getenv func(string) string) (*store.Store, error) {
	dsn := storeDSN(flagValue, getenv)
	if dsn == "" {
		return nil, nil
	}
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return nil, fmt.Errorf("open the history store: %w", err)
	}
	return st, nil
}
