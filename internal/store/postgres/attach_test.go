package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// TestJobRows writes two jobs' rows into a snapshot another writer owns,
// each in a transaction of its own pool, and checks what the snapshot
// holds after Commit: both jobs' rows, a UID both wrote once (the later
// job's version), an edge both wrote once, and nothing from a job whose
// transaction rolled back.
func TestJobRows(t *testing.T) {
	ctx := t.Context()
	dsn := pg.NewDB(t)
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	w, err := s.Begin(ctx, "distributed", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res := func(uid, version string) resource.Resource {
		return resource.Resource{UID: uid, Provider: resource.AWS, Account: "111", Region: "us-east-1",
			Kind: "aws_s3_bucket", Name: uid, Tags: map[string]string{"v": version},
			Properties: json.RawMessage(fmt.Sprintf(`{"version":%q}`, version))}
	}
	job := func(n int, shared string, commit bool) {
		t.Helper()
		rows := s.JobRows(w.ID())
		for i := range 3 {
			if err := rows.Resource(ctx, res(fmt.Sprintf("job%d-%d", n, i), "1")); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Resource(ctx, res("shared", shared)); err != nil {
			t.Fatal(err)
		}
		if err := rows.Edge(ctx, resource.Edge{From: "shared", To: fmt.Sprintf("job%d-0", n), Type: "uses"}); err != nil {
			t.Fatal(err)
		}
		if err := rows.Edge(ctx, resource.Edge{From: "shared", To: "job1-0", Type: "uses"}); err != nil {
			t.Fatal(err)
		}
		if err := rows.Error(ctx, resource.CollectionError{Provider: resource.AWS, Account: "111", Region: "us-east-1",
			Service: fmt.Sprintf("svc%d", n), Op: "svc:List", Kind: resource.Denied, Message: "denied"}); err != nil {
			t.Fatal(err)
		}
		if r, e, x := rows.Len(); r != 4 || e != 2 || x != 1 {
			t.Fatalf("Len = %d, %d, %d; want 4, 2, 1", r, e, x)
		}
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if err := rows.WriteTx(ctx, tx); err != nil {
				return err
			}
			if !commit {
				return errRollback
			}
			return nil
		})
		if err != nil && !(errors.Is(err, errRollback) && !commit) {
			t.Fatalf("job %d: %v", n, err)
		}
	}
	job(1, "first", true)
	job(2, "second", true)
	job(3, "third", false)

	if err := s.JobRows(w.ID()).Resource(ctx, resource.Resource{UID: "x"}); err == nil {
		t.Error("an invalid resource was buffered")
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	sn, err := s.Snapshot(ctx, w.ID())
	if err != nil {
		t.Fatal(err)
	}
	if sn.Resources != 7 || sn.Edges != 2 || sn.Errors != 2 {
		t.Errorf("snapshot holds %d resources, %d edges, %d errors; want 7, 2, 2", sn.Resources, sn.Edges, sn.Errors)
	}
	var uids []string
	for r, err := range s.Resources(ctx, w.ID(), store.ResourceFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		uids = append(uids, r.UID)
		if r.UID == "shared" && (string(r.Properties) != `{"version":"second"}` || r.Tags["v"] != "second") {
			t.Errorf("shared resource: %s %v; want the second job's version", r.Properties, r.Tags)
		}
	}
	if slices.ContainsFunc(uids, func(u string) bool { return u == "job3-0" }) {
		t.Error("a rolled-back job's rows are in the snapshot")
	}

	// A committed snapshot takes no more rows.
	rows := s.JobRows(w.ID())
	if err := rows.Resource(ctx, res("late", "1")); err != nil {
		t.Fatal(err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return rows.WriteTx(ctx, tx) })
	if !errors.Is(err, ErrNotRunning) {
		t.Errorf("WriteTx after Commit: %v, want ErrNotRunning", err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return s.JobRows(w.ID()+100).WriteTx(ctx, tx) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("WriteTx to a missing snapshot: %v, want ErrNotFound", err)
	}
}

var errRollback = errors.New("roll back")

// TestJobRowsAfterRollback checks that a failed snapshot takes no rows.
func TestJobRowsAfterRollback(t *testing.T) {
	ctx := context.Background()
	dsn := pg.NewDB(t)
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	w, err := s.Begin(ctx, "distributed", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Rollback(); err != nil {
		t.Fatal(err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return s.JobRows(w.ID()).WriteTx(ctx, tx) })
	if !errors.Is(err, ErrNotRunning) {
		t.Errorf("WriteTx after Rollback: %v, want ErrNotRunning", err)
	}
}
