package pgtest

import (
	"context"
	"database/sql"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestServerRunsAndIsRemoved(t *testing.T) {
	if _, err := BinDir(); err != nil && os.Getenv("CI") != "true" {
		t.Skipf("SKIP: %v", err)
	}
	s, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dsn, err := s.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	var user string
	if err := db.QueryRow("SELECT current_user").Scan(&user); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if user != "postgres" {
		t.Fatalf("connected as %q", user)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.dir); !os.IsNotExist(err) {
		t.Fatalf("the server's directory is still there: %v", err)
	}
}
