package sqlite

import (
	"errors"
	"testing"
	"time"

	"cloudward/internal/store"
)

func TestCheckStatement(t *testing.T) {
	tests := []struct {
		sql      string
		ok       bool
		readOnly bool // the error wraps store.ErrReadOnly
	}{
		{"select 1", true, false},
		{"  SELECT 1;", true, false},
		{"select 1;;  \n", true, false},
		{"select 1; -- trailing comment", true, false},
		{"select 1; /* trailing */ ;", true, false},
		{"with x as (select 1) select * from x", true, false},
		{"values (1), (2)", true, false},
		{"/* lead */ -- c\n select 1", true, false},
		{"select ';' as semi, \"a;b\" from resources", true, false},
		{"select 'it''s; fine'", true, false},
		{"select [weird;name] from t", true, false},
		{"select `x;y` from t", true, false},
		{"select 1 -- ; delete from t", true, false},
		{"select 1 /* ; delete */", true, false},
		{"", false, false},
		{" ;; -- nothing", false, false},
		{"select 1; delete from t", false, true},
		{"select 1; select 2", false, true},
		{"select 1 /* */; x", false, true},
		{"delete from t", false, true},
		{"insert into t values (1)", false, true},
		{"update t set a = 1", false, true},
		{"drop table t", false, true},
		{"pragma query_only = 0", false, true},
		{"attach 'x' as y", false, true},
		{"explain select 1", false, true},
		{"select 'unterminated", true, false}, // SQLite reports the syntax error
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			err := checkStatement(tt.sql)
			if (err == nil) != tt.ok {
				t.Fatalf("checkStatement(%q) = %v, want ok=%v", tt.sql, err, tt.ok)
			}
			if got := errors.Is(err, store.ErrReadOnly); got != tt.readOnly {
				t.Errorf("checkStatement(%q) = %v, ErrReadOnly=%v, want %v", tt.sql, err, got, tt.readOnly)
			}
		})
	}
}

// FuzzQueryReadOnly checks that no statement, however odd, changes the
// database through Query.
func FuzzQueryReadOnly(f *testing.F) {
	for _, s := range []string{
		"select * from resources",
		"delete from snap_resources",
		"with x as (select 1) delete from snap_resources",
		"select 1; drop table snapshots",
		"insert into snapshots (scope, started_at, status) values ('x', 'y', 'complete')",
		"pragma writable_schema = 1",
		"attach database 'file:/tmp/x.db' as x",
		"select load_extension('x')",
		"create temp trigger t after insert on snap_resources begin delete from snapshots; end",
		"replace into snapshots (id, scope, started_at, status) values (1, 'x', 'y', 'failed')",
		"vacuum into '/tmp/copy.db'",
		"select * from pragma_table_info('resources')",
		"'; delete from snapshots; --",
	} {
		f.Add(s)
	}
	ctx := f.Context()
	s, err := Open(ctx, f.TempDir()+"/fuzz.db", Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	w, err := s.Begin(ctx, "fuzz", time.Now())
	if err != nil {
		f.Fatal(err)
	}
	for i := range 20 {
		if err := w.Resource(ctx, benchResource(i)); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Commit(ctx); err != nil {
		f.Fatal(err)
	}
	id := w.ID()
	version := func(t *testing.T) (dv int64, rows int64) {
		if err := s.db.QueryRowContext(ctx, "PRAGMA data_version").Scan(&dv); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM snap_resources) + (SELECT count(*) FROM snapshots) + (SELECT count(*) FROM sqlite_schema)").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		return dv, rows
	}
	f.Fuzz(func(t *testing.T, q string) {
		dv0, n0 := version(t)
		rows, err := s.Query(ctx, id, q)
		if err == nil {
			for i := 0; rows.Next() && i < 1000; i++ {
				if _, err := rows.Values(); err != nil {
					break
				}
			}
			rows.Close()
		}
		dv1, n1 := version(t)
		if dv0 != dv1 || n0 != n1 {
			t.Fatalf("Query(%q) changed the database (data_version %d -> %d, rows %d -> %d)", q, dv0, dv1, n0, n1)
		}
	})
}
