package engine

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudobs/aiops-app/pkg/config"
	"github.com/cloudobs/aiops-app/pkg/evidence"
	"github.com/cloudobs/aiops-app/pkg/store"
	"github.com/cloudobs/aiops-app/pkg/store/pgtest"
)

// TestFaultMatrixPostgresFailuresKeepAnsweringAndLoseNothingCommitted runs
// the shared PostgreSQL history through its faults: killed (SIGKILL) while
// explanations are being answered, refusing connections while it is down,
// a table locked past the statement timeout, and frozen with connections
// open. Every explanation is answered within the deadline, each failed
// save is logged, and every explanation committed before, between and
// after the faults is there once the server is back, in this engine and in
// a new one.
func TestFaultMatrixPostgresFailuresKeepAnsweringAndLoseNothingCommitted(t *testing.T) {
	srv, dsn := pgtest.Own(t)
	// The server, not the client, ends a statement stuck behind a lock.
	dsn += "&statement_timeout=300"
	logs := &recordingLogger{}
	open := func(storeTimeout time.Duration) *Engine {
		e := Open(config.DefaultSettings(), Options{HistoryPath: dsn, Sources: &evidence.Sources{}, Logger: logs,
			Collect: faultCollect, StoreTimeout: storeTimeout, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
		t.Cleanup(e.Close)
		return e
	}
	e := open(time.Second)
	var committed []string
	explain := func(e *Engine, name string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), faultDeadline)
		defer cancel()
		start := time.Now()
		ex, err := e.Explain(ctx, Request{Alert: alertFor(name), User: "ana"})
		if err != nil {
			t.Fatalf("%s: a failing history must cost the history, not the answer: %v", name, err)
		}
		if elapsed := time.Since(start); elapsed > faultDeadline {
			t.Fatalf("%s: held the caller %s", name, elapsed)
		}
		if ex.Summary == "" {
			t.Fatalf("%s: no answer", name)
		}
		return ex.ID
	}
	committed = append(committed, explain(e, "BeforeTheFaults"))

	// Killed while explanations are being answered.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				explain(e, fmt.Sprintf("DuringTheKill%d_%d", i, j))
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	srv.Kill()
	wg.Wait()
	if !logs.said("Saving the explanation failed") {
		t.Errorf("no failed save logged while the server was down: %q", logs.errors)
	}

	// Down: the open engine's pool and a new engine both meet refused connections.
	explain(e, "WhileDown")
	fresh := open(time.Second)
	explain(fresh, "NewEngineWhileDown")
	if !logs.said("cannot be opened") {
		t.Errorf("the refused open was not logged: %q", logs.errors)
	}

	if err := srv.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	committed = append(committed, explain(e, "AfterTheRestart"))

	// A lock held past the statement timeout.
	lockCtx, unlock := context.WithCancel(context.Background())
	locked := make(chan error, 1)
	go func() { locked <- holdTableLock(lockCtx, dsn, "explanations") }()
	waitLocked(t, dsn, "explanations")
	explain(e, "BehindALock")
	unlock()
	if err := <-locked; err != nil {
		t.Fatal(err)
	}
	if !logs.said("statement timeout") {
		t.Errorf("the statement timeout was not logged: %q", logs.errors)
	}
	committed = append(committed, explain(e, "AfterTheLock"))

	// Frozen: connections open, nothing answers. The store timeout ends each wait.
	if err := srv.Freeze(); err != nil {
		t.Fatal(err)
	}
	explain(e, "WhileFrozen")
	if err := srv.Thaw(); err != nil {
		t.Fatal(err)
	}
	committed = append(committed, explain(e, "AfterTheThaw"))

	for _, id := range committed {
		assertSaved(t, e, id)
	}
	e.Close()
	again := open(time.Second)
	for _, id := range committed {
		assertSaved(t, again, id)
	}
}

// holdTableLock holds an exclusive lock on table until ctx ends, as a
// migration or a long maintenance statement on the shared database would.
func holdTableLock(ctx context.Context, dsn, table string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if _, err := tx.Exec("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE"); err != nil {
		_ = tx.Rollback()
		return err
	}
	<-ctx.Done()
	return tx.Rollback()
}

// waitLocked waits until some session holds table's exclusive lock.
func waitLocked(t *testing.T, dsn, table string) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var n int
		err := db.QueryRow(`SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid
			WHERE c.relname = $1 AND l.mode = 'AccessExclusiveLock' AND l.granted`, table).Scan(&n)
		if err == nil && n > 0 {
			return
		}
	}
	t.Fatalf("the lock on %s was never taken", table)
}

// TestFaultMatrixPostgresReadOnlyReplicaKeepsAnsweringAndReadsHistory
// points the engine at a real hot standby of the history's database (a
// base backup streaming from the primary, in recovery), as a failover that
// left a replica, or a URL naming one, would: explanations are still
// answered, each refused save is logged naming the store, and what was
// committed on the primary is read from the replica.
func TestFaultMatrixPostgresReadOnlyReplicaKeepsAnsweringAndReadsHistory(t *testing.T) {
	srv, dsn := pgtest.Own(t)
	logs := &recordingLogger{}
	open := func(dsn string) *Engine {
		e := Open(config.DefaultSettings(), Options{HistoryPath: dsn, Sources: &evidence.Sources{}, Logger: logs,
			Collect: faultCollect, StoreTimeout: time.Second, Now: func() time.Time { return t0.Add(5 * time.Minute) }})
		t.Cleanup(e.Close)
		return e
	}
	explain := func(e *Engine, name string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), faultDeadline)
		defer cancel()
		ex, err := e.Explain(ctx, Request{Alert: alertFor(name), User: "ana"})
		if err != nil || ex.Summary == "" {
			t.Fatalf("%s: a read-only history must cost the history, not the answer: %v", name, err)
		}
		return ex.ID
	}
	primary := open(dsn)
	committed := explain(primary, "BeforeTheFailover")
	primary.Close()

	standby, err := srv.Standby(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := standby.Stop(); err != nil {
			t.Errorf("stopping the standby: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	replicaDSN := standby.DSN(strings.TrimPrefix(u.Path, "/"))
	replica := open(replicaDSN)
	explain(replica, "OnTheReplica")
	if !logs.said("Saving the explanation failed") || !logs.said("read-only") || !logs.said(store.DisplayName(replicaDSN)) {
		t.Errorf("the refused save was not logged with the store and the reason: %q", logs.errors)
	}
	assertSaved(t, replica, committed)
}
