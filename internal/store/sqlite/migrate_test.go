package sqlite

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMigrations(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var version int
	if err := s.db.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if last := ms[len(ms)-1].version; version != last {
		t.Errorf("schema version = %d, want %d", version, last)
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopening applies nothing and keeps the version.
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != len(ms) {
		t.Errorf("schema_migrations rows = %d, %v; want %d", n, err, len(ms))
	}

	// A database written by a newer cloudward is refused.
	if _, err := s.db.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', 'x')", ms[len(ms)-1].version+1); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, path, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer than this cloudward supports") {
		t.Errorf("Open(newer schema) err = %v, want a clear version error", err)
	}
}

// TestMigrationsOutOfOrder: a migration numbered below one already applied
// (written concurrently on another branch) is applied when it arrives, and
// nothing is applied twice.
func TestMigrationsOutOfOrder(t *testing.T) {
	ctx := t.Context()
	s := openTest(t, Options{})
	defer s.Close()
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	last := ms[len(ms)-1].version
	later := migration{version: last + 2, name: "later.sql", sql: "CREATE TABLE later_t (x INTEGER)"}
	if err := s.applyMigrations(ctx, append(slices.Clone(ms), later)); err != nil {
		t.Fatal(err)
	}
	gap := migration{version: last + 1, name: "gap.sql", sql: "CREATE TABLE gap_t (x INTEGER)"}
	if err := s.applyMigrations(ctx, append(slices.Clone(ms), gap, later)); err != nil {
		t.Fatalf("apply a migration below the newest applied: %v", err)
	}
	for _, table := range []string{"later_t", "gap_t"} {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: count = %d, %v; want 1", table, n, err)
		}
	}
	// Without later.sql in this binary, the database is newer than it.
	err = s.applyMigrations(ctx, append(slices.Clone(ms), gap))
	if err == nil || !strings.Contains(err.Error(), "newer than this cloudward supports") {
		t.Errorf("apply without a recorded migration: err = %v, want a clear version error", err)
	}
}
