package sqlite

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloudward/internal/resource"
)

// docsResource is resource i with properties version v.
func docsResource(i, v int) resource.Resource {
	return resource.Resource{
		UID: fmt.Sprintf("arn:aws:s3:::docs-%05d", i), Provider: resource.AWS, Account: "111", Region: "us-east-1",
		Kind: "aws_s3_bucket", Name: fmt.Sprintf("docs-%05d", i),
		Properties: json.RawMessage(fmt.Sprintf(`{"i":%d,"v":%d,"pad":%q}`, i, v, strings.Repeat("x", 400))),
	}
}

func (s *Store) count(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.db.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// usedBytes is the size of the database's pages in use, after a
// checkpoint (free pages excluded).
func (s *Store) usedBytes(t *testing.T) int64 {
	t.Helper()
	if _, err := s.db.ExecContext(t.Context(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	return s.count(t, "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size")
}

// TestDocumentsStoredOnce: a second snapshot of the same estate stores no
// property document again, so it grows the database by a fraction of the
// first; changed documents are added; a rolled-back snapshot's new
// documents are removed and the ones it shared are kept.
func TestDocumentsStoredOnce(t *testing.T) {
	ctx := t.Context()
	s := openTest(t, Options{BatchSize: 300})
	defer s.Close()
	const n = 2000
	snap := func(day int, version func(i int) int) int64 {
		w, err := s.Begin(ctx, "docs", time.Date(2025, 1, day, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := w.Resource(ctx, docsResource(i, version(i))); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		return w.ID()
	}
	empty := s.usedBytes(t)
	snap(1, func(int) int { return 1 })
	afterFirst := s.usedBytes(t)
	snap(2, func(int) int { return 1 })
	afterSecond := s.usedBytes(t)
	if got := s.count(t, "SELECT count(*) FROM resource_docs"); got != n {
		t.Errorf("documents after two identical snapshots = %d, want %d", got, n)
	}
	first, second := afterFirst-empty, afterSecond-afterFirst
	t.Logf("first snapshot: %d bytes; identical second: %d bytes (%.0f%%)", first, second, 100*float64(second)/float64(first))
	if second*3 > first {
		t.Errorf("identical second snapshot grew the database by %d bytes, more than a third of the first's %d", second, first)
	}

	// A tenth of the documents change.
	snap(3, func(i int) int { return 1 + min(1, i%10/9) })
	if got, want := s.count(t, "SELECT count(*) FROM resource_docs"), int64(n+n/10); got != want {
		t.Errorf("documents after a tenth changed = %d, want %d", got, want)
	}

	// A failed snapshot: 100 new documents, the rest shared.
	w, err := s.Begin(ctx, "docs", time.Date(2025, 1, 4, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		v := 1
		if i < 100 {
			v = 3
		}
		if err := w.Resource(ctx, docsResource(i, v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := s.count(t, "SELECT count(*) FROM resource_docs"), int64(n+n/10+100); got != want {
		t.Errorf("documents while the snapshot runs = %d, want %d", got, want)
	}
	if err := w.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got, want := s.count(t, "SELECT count(*) FROM resource_docs"), int64(n+n/10); got != want {
		t.Errorf("documents after rollback = %d, want %d (its new ones removed, shared ones kept)", got, want)
	}
	if got := s.count(t, `SELECT count(*) FROM snap_resources r WHERE r.doc_hash IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM resource_docs d WHERE d.hash = r.doc_hash)`); got != 0 {
		t.Errorf("%d resources name a missing document", got)
	}
}

// TestCloseStopsOpenWriters: closing the store with a snapshot still being
// written stops its write goroutine (goleak checks at the end of the
// package) and the writer refuses further rows; the next open fails the
// snapshot and removes its rows and the documents it introduced.
func TestCloseStopsOpenWriters(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "close.db")
	s, err := Open(ctx, path, Options{BatchSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Begin(ctx, "open", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		if err := w.Resource(ctx, docsResource(i, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Resource(ctx, docsResource(500, 1)); err == nil {
		t.Error("Resource after Close succeeded")
	}
	if err := w.Commit(ctx); err == nil {
		t.Error("Commit after Close succeeded")
	}
	// This process is alive, so Open would keep a snapshot it owns
	// running; pretend another (dead) process wrote it.
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.db.ExecContext(ctx, "UPDATE snapshots SET owner_pid = -1"); err != nil {
		t.Fatal(err)
	}
	if err := s.recover(ctx); err != nil {
		t.Fatal(err)
	}
	sn, err := s.Snapshot(ctx, w.ID())
	if err != nil {
		t.Fatal(err)
	}
	if sn.Status != "failed" {
		t.Errorf("status after reopen = %s, want failed", sn.Status)
	}
	for _, q := range []string{"SELECT count(*) FROM snap_resources", "SELECT count(*) FROM resource_docs"} {
		if n := s.count(t, q); n != 0 {
			t.Errorf("%s = %d after recovery, want 0", q, n)
		}
	}
}
