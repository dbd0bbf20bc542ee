package store

import (
	"fmt"
	"strconv"
	"strings"
)

// dialect is what differs between the SQL of the backends: placeholders,
// the schema's types and how a transaction serialises budget checks.
type dialect struct {
	name string
	// migrations are applied in order, each once, recorded in schema_migrations.
	migrations []string
	// numbered placeholders ($1, $2, ...) instead of ?.
	numbered bool
	// serialize, run first in a transaction with a lock key, makes it wait
	// for any other transaction holding the same key; empty where every
	// write transaction is serialised already.
	serialize string
	// limitAll is the LIMIT clause that means no limit (for OFFSET alone).
	limitAll string
}

// rebind rewrites the ? placeholders of q for the dialect. No statement of
// this package has a ? inside a string literal.
func (d dialect) rebind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var sqliteDialect = dialect{
	name:     "sqlite",
	limitAll: "LIMIT -1",
	migrations: []string{
		// 1: the schema of the first release (hence IF NOT EXISTS: files
		// written before migrations existed already have it).
		`CREATE TABLE IF NOT EXISTS explanations (
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
		);`,
		// 2: budget reservations.
		`CREATE TABLE reservations (
			id         TEXT PRIMARY KEY,
			day        TEXT NOT NULL,
			user       TEXT NOT NULL,
			provider   TEXT NOT NULL,
			model      TEXT NOT NULL,
			tokens     INTEGER NOT NULL,
			cost_usd   REAL NOT NULL,
			created_at INTEGER NOT NULL,
			expires_at INTEGER NOT NULL,
			settled_at INTEGER
		);
		CREATE INDEX reservations_open ON reservations(day, expires_at);`,
		claimsMigration("INTEGER"),
		// 4: history pages are read newest first with id as the tie-break;
		// an index in that order spares sorting every row (with its body).
		`CREATE INDEX explanations_created_id ON explanations(created_at, id);
		DROP INDEX IF EXISTS explanations_created;`,
		groupMigration,
		// 6: usage per user. SQLite cannot change a primary key in place,
		// so the table is rebuilt; the days recorded before keep user "".
		`CREATE TABLE usage_by_user (
			day               TEXT NOT NULL,
			provider          TEXT NOT NULL,
			model             TEXT NOT NULL,
			"user"            TEXT NOT NULL DEFAULT '',
			prompt_tokens     INTEGER NOT NULL DEFAULT 0,
			completion_tokens INTEGER NOT NULL DEFAULT 0,
			cost_usd          REAL NOT NULL DEFAULT 0,
			requests          INTEGER NOT NULL DEFAULT 0,
			cache_hits        INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (day, provider, model, "user")
		);
		INSERT INTO usage_by_user (day, provider, model, "user", prompt_tokens, completion_tokens, cost_usd, requests, cache_hits)
			SELECT day, provider, model, '', prompt_tokens, completion_tokens, cost_usd, requests, cache_hits FROM usage;
		DROP TABLE usage;
		ALTER TABLE usage_by_user RENAME TO usage;`,
		watchMigration("INTEGER"),
		deliveriesMigration("INTEGER"),
	},
}

// postgresDialect has the same tables with PostgreSQL's types: BIGINT for
// times in milliseconds and counters, DOUBLE PRECISION for dollars.
var postgresDialect = dialect{
	name:      "postgres",
	numbered:  true,
	limitAll:  "LIMIT ALL",
	serialize: `SELECT pg_advisory_xact_lock(?)`,
	migrations: []string{
		`CREATE TABLE explanations (
			id          TEXT PRIMARY KEY,
			created_at  BIGINT NOT NULL,
			alertname   TEXT NOT NULL,
			namespace   TEXT NOT NULL,
			category    TEXT NOT NULL,
			"user"      TEXT NOT NULL,
			cache_key   TEXT NOT NULL,
			body        TEXT NOT NULL,
			feedback    TEXT
		);
		CREATE INDEX explanations_created ON explanations(created_at);
		CREATE INDEX explanations_cache ON explanations(cache_key, created_at);
		CREATE TABLE usage (
			day               TEXT NOT NULL,
			provider          TEXT NOT NULL,
			model             TEXT NOT NULL,
			prompt_tokens     BIGINT NOT NULL DEFAULT 0,
			completion_tokens BIGINT NOT NULL DEFAULT 0,
			cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,
			requests          BIGINT NOT NULL DEFAULT 0,
			cache_hits        BIGINT NOT NULL DEFAULT 0,
			PRIMARY KEY (day, provider, model)
		);`,
		`CREATE TABLE reservations (
			id         TEXT PRIMARY KEY,
			day        TEXT NOT NULL,
			"user"     TEXT NOT NULL,
			provider   TEXT NOT NULL,
			model      TEXT NOT NULL,
			tokens     BIGINT NOT NULL,
			cost_usd   DOUBLE PRECISION NOT NULL,
			created_at BIGINT NOT NULL,
			expires_at BIGINT NOT NULL,
			settled_at BIGINT
		);
		CREATE INDEX reservations_open ON reservations(day, expires_at);`,
		claimsMigration("BIGINT"),
		// 4: history pages are read newest first with id as the tie-break;
		// an index in that order spares sorting every row (with its body).
		`CREATE INDEX explanations_created_id ON explanations(created_at, id);
		DROP INDEX IF EXISTS explanations_created;`,
		groupMigration,
		// 6: usage per user; the days recorded before keep user "". Like
		// SQLite's rebuild it can run again over its own result.
		`ALTER TABLE usage ADD COLUMN IF NOT EXISTS "user" TEXT NOT NULL DEFAULT '';
		ALTER TABLE usage DROP CONSTRAINT IF EXISTS usage_pkey;
		ALTER TABLE usage ADD PRIMARY KEY (day, provider, model, "user");`,
		watchMigration("BIGINT"),
		deliveriesMigration("BIGINT"),
	},
}

// groupMigration is migration 5 of both: the alert group an explanation
// belongs to (its GroupID; empty for an alert explained alone, which every
// explanation kept before is), for listing a group's explanations.
const groupMigration = `ALTER TABLE explanations ADD COLUMN group_id TEXT NOT NULL DEFAULT '';
		CREATE INDEX explanations_group ON explanations(group_id, created_at);`

// watchMigration is migration 7 of both: the log watch's findings, read
// by namespace and newest first. Like the others it can run again over its
// own result (the migration tests roll back and replay).
func watchMigration(integer string) string {
	return fmt.Sprintf(`CREATE TABLE IF NOT EXISTS watch_findings (
			id         TEXT PRIMARY KEY,
			created_at %[1]s NOT NULL,
			namespace  TEXT NOT NULL,
			body       TEXT NOT NULL
		);
		CREATE INDEX IF NOT EXISTS watch_findings_ns ON watch_findings(namespace, created_at);
		CREATE INDEX IF NOT EXISTS watch_findings_created ON watch_findings(created_at);`, integer)
}

// claimsMigration is migration 3 of both: investigation claims.
func claimsMigration(integer string) string {
	return fmt.Sprintf(`CREATE TABLE claims (
			key        TEXT PRIMARY KEY,
			owner      TEXT NOT NULL,
			claimed_at %[1]s NOT NULL,
			expires_at %[1]s NOT NULL,
			done_at    %[1]s
		);`, integer)
}
