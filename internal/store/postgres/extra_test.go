package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// TestConcurrentOpenMigratesOnce opens one fresh database from many
// goroutines at once: every Open succeeds and each migration is recorded
// once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	dsn := pg.NewDB(t)
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			s, err := Open(t.Context(), dsn, Options{})
			if err == nil {
				err = s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent Open: %v", err)
		}
	}
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n, max int
	if err := conn.QueryRow(t.Context(), `SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || max != len(ms) {
		t.Errorf("schema_migrations: %d rows, max version %d; want %d", n, max, len(ms))
	}

	// A database migrated by a newer cloudward is refused, not downgraded.
	if _, err := conn.Exec(t.Context(), `INSERT INTO schema_migrations VALUES (999, '999_future.sql', now())`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(t.Context(), dsn, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer schema: err = %v, want a 'newer' error", err)
	}
}

// TestRepeatsAcrossBatches writes a UID, an edge and findings again in
// later batches (one row per batch): the COPY conflicts and the merge path
// keeps the last resource and one edge.
func TestRepeatsAcrossBatches(t *testing.T) {
	s := openTest(t, Options{BatchSize: 1})
	defer s.Close()
	ctx := t.Context()
	w, err := s.Begin(ctx, "repeats", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := resource.Resource{UID: "arn:a", Provider: resource.AWS, Account: "1", Region: "r", Kind: "aws_s3_bucket", Name: "v1", Properties: json.RawMessage(`{"v":1}`)}
	e := resource.Edge{From: "arn:a", To: "arn:b", Type: "t"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Resource(ctx, r))
	must(w.Edge(ctx, e))
	must(w.Findings(ctx, []finding.Finding{{CheckID: "c", Status: finding.Fail, Severity: finding.High, ResourceUID: "arn:a"}}))
	r.Name, r.Properties = "v2", json.RawMessage(`{"v": 2}`)
	must(w.Resource(ctx, r))
	must(w.Edge(ctx, e))
	must(w.Commit(ctx))
	sn, err := s.Snapshot(ctx, w.ID())
	must(err)
	if sn.Resources != 1 || sn.Edges != 1 || sn.Findings != 1 {
		t.Errorf("counts %d/%d/%d, want 1/1/1", sn.Resources, sn.Edges, sn.Findings)
	}
	for got, err := range s.Resources(ctx, w.ID(), store.ResourceFilter{}) {
		must(err)
		if got.Name != "v2" || string(got.Properties) != `{"v": 2}` {
			t.Errorf("resource = %s %s, want the last version", got.Name, got.Properties)
		}
	}
	// The finding written before the update still points at the resource.
	for f, err := range s.Findings(ctx, w.ID(), store.FindingFilter{}) {
		must(err)
		if f.ResourceName != "v2" {
			t.Errorf("finding's resource name = %q, want v2", f.ResourceName)
		}
	}
}

func TestCheckStatement(t *testing.T) {
	tests := []struct {
		q        string
		readOnly bool // want store.ErrReadOnly; otherwise want nil
	}{
		{"select 1", false},
		{"  -- lead\n/* a /* nested */ comment */ SELECT 1;;  -- tail", false},
		{"with x as (select 1) select * from x", false},
		{"values (1)", false},
		{"table resources", false},
		{"select 'a;b', \"c;d\", $$e;f$$, $tag$ g ; $$ h $tag$", false},
		{`select E'it\'s; fine'`, false},
		{"select $1", false},
		{"select 'x'; delete from resources", true},
		{"select $$;$$; drop table snap_resources", true},
		{`select E'\''; delete from resources`, true},
		{"/* /* nested */ still comment; */ delete from resources", true},
		{"delete from resources", true},
		{"set transaction read write", true},
		{"copy snap_resources to stdout", true},
		{"call p()", true},
		{"do $$ begin end $$", true},
		{"explain analyze select 1", true},
		{"listen x", true},
	}
	for _, tt := range tests {
		err := checkStatement(tt.q)
		if tt.readOnly && !errors.Is(err, store.ErrReadOnly) || !tt.readOnly && err != nil {
			t.Errorf("checkStatement(%q) = %v, want read-only error: %v", tt.q, err, tt.readOnly)
		}
	}
	if err := checkStatement(" -- nothing\n"); err == nil {
		t.Error("empty statement accepted")
	}
}

// TestQueryCannotEscape tries ways out of Query's read-only transaction
// that the lexer lets through, and checks that a session-level advisory
// lock taken by a statement does not outlive it.
func TestQueryCannotEscape(t *testing.T) {
	s := openTest(t, Options{})
	defer s.Close()
	ctx := t.Context()
	w, err := s.Begin(ctx, "q", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Resource(ctx, resource.Resource{UID: "arn:a", Provider: resource.AWS, Account: "1", Region: "r", Kind: "k", Properties: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	id := w.ID()
	drain := func(q string) error {
		rows, err := s.Query(ctx, id, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if _, err := rows.Values(); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	for _, q := range []string{
		"select set_config('transaction_read_only', 'off', false)",
		"with d as (delete from snap_resources returning 1) select count(*) from d",
		"select * from snap_resources for update",
		"select nextval(pg_get_serial_sequence('snap_errors', 'id'))",
	} {
		if err := drain(q); !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("Query(%q) err = %v, want ErrReadOnly", q, err)
		}
	}
	if err := drain("select pg_advisory_lock(42, 42)"); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, pg.DSN(dbName(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var free bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(42, 42)`).Scan(&free); err != nil {
		t.Fatal(err)
	}
	if !free {
		t.Error("an advisory lock taken by a Query statement outlived it")
	}
	if err := drain("select count(*) from resources"); err != nil {
		t.Fatalf("Query after the attempts: %v", err)
	}
	// Values' types.
	rows, err := s.Query(ctx, id, `select 1::int2, 2::int4, 3::int8, 1.5::float4, 2.5::numeric, 10::numeric,
		true, 'x'::text, '{"b": 1, "a": [1, 2]}'::jsonb, '{"b" : 1}'::json, array[1, 2],
		'2024-01-02T03:04:05.123456Z'::timestamptz, '00000000-0000-0000-0000-000000000001'::uuid, null`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	vals, err := rows.Values()
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1), int64(2), int64(3), float64(1.5), float64(2.5), int64(10),
		true, "x", `{"a":[1,2],"b":1}`, `{"b" : 1}`, "[1,2]",
		"2024-01-02T03:04:05.123456Z", "00000000-0000-0000-0000-000000000001", nil}
	for i := range want {
		if vals[i] != want[i] {
			t.Errorf("column %d (%s) = %#v, want %#v", i, rows.Columns()[i], vals[i], want[i])
		}
	}
}

// dbName returns the name of the database s is connected to.
func dbName(t *testing.T, s *Store) string {
	t.Helper()
	return s.pool.Config().ConnConfig.Database
}

// TestFailedSnapshotCleanupPlansNoNestedLoop holds the cleanup of a failed
// snapshot's documents to a hash or merge anti-join: with the fresh,
// unanalyzed tables of a snapshot that just failed, PostgreSQL otherwise
// plans a nested loop that rescans every other snapshot's resources once
// per document (minutes at 100,000 resources).
func TestFailedSnapshotCleanupPlansNoNestedLoop(t *testing.T) {
	s := openTest(t, Options{})
	defer s.Close()
	ctx := t.Context()
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, noNestedLoops); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `EXPLAIN `+deleteOwnDocs, int64(1))
		if err != nil {
			return err
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			plan = append(plan, line)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		text := strings.Join(plan, "\n")
		if strings.Contains(text, "Nested Loop Anti Join") || !strings.Contains(text, "Anti Join") {
			t.Errorf("cleanup plan is not a hash or merge anti-join:\n%s", text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
