package store

import (
	"strings"
	"testing"
)

func TestDisplayNameHidesPasswords(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"/var/lib/grafana/history.db", "/var/lib/grafana/history.db"},
		{"postgres://aiops:s3cret@db:5432/aiops?sslmode=require", "postgres://aiops:xxxxx@db:5432/aiops?sslmode=require"},
		{"postgresql://aiops@db/aiops?password=s3cret", "postgresql://aiops@db/aiops?password=xxxxx"},
		{"postgres://aiops:s3%zzcret@db/aiops", "postgres://(unparsable URL)"},
	}
	for _, tt := range tests {
		got := DisplayName(tt.dsn)
		if got != tt.want || strings.Contains(got, "s3cret") {
			t.Errorf("DisplayName(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
	if !IsPostgres(" PostgreSQL://x/y") || IsPostgres("postgres.db") {
		t.Error("IsPostgres must go by the URL scheme only")
	}
}
