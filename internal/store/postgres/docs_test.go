package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// docsResource is resource i with properties version v.
func docsResource(i, v int) resource.Resource {
	return resource.Resource{
		UID: fmt.Sprintf("arn:aws:s3:::docs-%05d", i), Provider: resource.AWS, Account: "111", Region: "us-east-1",
		Kind: "aws_s3_bucket", Name: fmt.Sprintf("docs-%05d", i),
		Properties: json.RawMessage(fmt.Sprintf(`{"i":%d,"v":%d,"pad":%q}`, i, v, strings.Repeat("x", 400))),
	}
}

// count runs a count query on pool.
func count(t *testing.T, pool *pgxpool.Pool, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := pool.QueryRow(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// checkProperties reads snapshot id and checks that resource i has the
// properties of version v(i), for every i below n, and nothing else.
func checkProperties(t *testing.T, s *Store, id int64, n int, v func(i int) int) {
	t.Helper()
	got := 0
	for r, err := range s.Resources(t.Context(), id, store.ResourceFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		var i int
		if _, err := fmt.Sscanf(r.UID, "arn:aws:s3:::docs-%05d", &i); err != nil {
			t.Fatalf("unexpected resource %s", r.UID)
		}
		if want := docsResource(i, v(i)).Properties; string(r.Properties) != string(want) {
			t.Fatalf("snapshot %d, %s: properties %.40s…, want %.40s…", id, r.UID, r.Properties, want)
		}
		got++
	}
	if got != n {
		t.Errorf("snapshot %d holds %d resources, want %d", id, got, n)
	}
}

// TestDocumentsStoredOnce: a second snapshot of the same estate stores no
// property document again and adds only its changed ones; every snapshot
// reads its own versions back; no reference dangles.
func TestDocumentsStoredOnce(t *testing.T) {
	ctx := t.Context()
	dsn := pg.NewDB(t)
	s, err := Open(ctx, dsn, Options{BatchSize: 300})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	const n = 2000
	snap := func(day int, version func(i int) int) int64 {
		t.Helper()
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
	same := func(int) int { return 0 }
	tenth := func(i int) int {
		if i%10 == 0 {
			return 1
		}
		return 0
	}
	first := snap(1, same)
	if got := count(t, pool, `SELECT count(*) FROM resource_docs`); got != n {
		t.Fatalf("after one snapshot: %d documents, want %d", got, n)
	}
	second := snap(2, same)
	if got := count(t, pool, `SELECT count(*) FROM resource_docs`); got != n {
		t.Errorf("after an unchanged rescan: %d documents, want %d", got, n)
	}
	third := snap(3, tenth)
	if got, want := count(t, pool, `SELECT count(*) FROM resource_docs`), int64(n+n/10); got != want {
		t.Errorf("after a tenth changed: %d documents, want %d", got, want)
	}
	if got := count(t, pool, `SELECT count(*) FROM resource_docs WHERE first_snapshot = $1`, third); got != n/10 {
		t.Errorf("the third snapshot introduced %d documents, want %d", got, n/10)
	}
	checkProperties(t, s, first, n, same)
	checkProperties(t, s, second, n, same)
	checkProperties(t, s, third, n, tenth)
	if got := count(t, pool, `SELECT count(*) FROM snap_resources r
		WHERE NOT EXISTS (SELECT 1 FROM resource_docs d WHERE d.hash = r.doc_hash)`); got != 0 {
		t.Errorf("%d resource rows name a missing document", got)
	}
	// The query view reads the same documents.
	rows, err := s.Query(ctx, third, `select count(*) from resources where (properties->>'v')::int = 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal("query returned no row")
	}
	vals, err := rows.Values()
	if err != nil {
		t.Fatal(err)
	}
	if vals[0] != int64(n/10) {
		t.Errorf("query view: %v resources of version 1, want %d", vals[0], n/10)
	}
}

// TestFailedSnapshotKeepsSharedDocuments: when a snapshot fails, the
// documents it introduced are deleted except those another snapshot that
// can have found them references — one still running, or one committed
// after the failed one began — and the documents it shares with snapshots
// before it stay.
func TestFailedSnapshotKeepsSharedDocuments(t *testing.T) {
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
	docs := func() int64 { return count(t, pool, `SELECT count(*) FROM resource_docs`) }
	begin := func() store.Writer {
		t.Helper()
		w, err := s.Begin(ctx, "docs", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	write := func(w store.Writer, v func(i int) int, from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			if err := w.Resource(ctx, docsResource(i, v(i))); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	v := func(k int) func(int) int { return func(int) int { return k } }

	// A complete snapshot with version 0 of 0..9.
	base := begin()
	write(base, v(0), 0, 10)
	if err := base.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	// Case 1: a and b run at once. a stores version 1 of 0..9 first;
	// b finds 0..4 of them present and stores 10..14 itself. a fails:
	// 0..4 (version 1) stay for b, 5..9 (version 1) go, base's stay.
	a := begin()
	write(a, v(1), 0, 10)
	b := begin()
	write(b, v(1), 0, 5)
	write(b, v(1), 10, 15)
	if got := docs(); got != 25 {
		t.Fatalf("%d documents while a and b run, want 25", got)
	}
	if err := a.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := docs(); got != 20 {
		t.Errorf("after a failed with b running: %d documents, want 20", got)
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	checkProperties(t, s, b.ID(), 10, v(1))
	checkProperties(t, s, base.ID(), 10, v(0))

	// Case 2: c stores version 2 of 0..9; d begins after it, finds 0..4 of
	// them, stores version 2 of 20..24, and commits before c fails: c's
	// documents d uses stay, the rest go.
	c := begin()
	write(c, v(2), 0, 10)
	d := begin()
	write(d, v(2), 0, 5)
	write(d, v(2), 20, 25)
	if err := d.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := docs(); got != 30 {
		t.Errorf("after c failed with d committed: %d documents, want 30", got)
	}
	checkProperties(t, s, d.ID(), 10, v(2))

	// Case 3: e stores nothing new (version 0 of 0..9, base's) and version
	// 3 of 30..34, and fails alone: its own documents go, base's stay.
	e := begin()
	write(e, v(0), 0, 10)
	write(e, v(3), 30, 35)
	if got := docs(); got != 35 {
		t.Fatalf("%d documents while e runs, want 35", got)
	}
	if err := e.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := docs(); got != 30 {
		t.Errorf("after e failed alone: %d documents, want 30", got)
	}
	checkProperties(t, s, base.ID(), 10, v(0))
	if got := count(t, pool, `SELECT count(*) FROM snap_resources r
		WHERE NOT EXISTS (SELECT 1 FROM resource_docs d WHERE d.hash = r.doc_hash)`); got != 0 {
		t.Errorf("%d resource rows name a missing document", got)
	}
}

// TestConcurrentJobsStoreOneDocument: jobs of two snapshots write the same
// new documents at the same time, in transactions of their own, with the
// resources in opposite orders. None fails, and each document is stored
// once.
func TestConcurrentJobsStoreOneDocument(t *testing.T) {
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
	const n, jobs = 500, 8
	var ws []store.Writer
	for range 2 {
		w, err := s.Begin(ctx, "jobs", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	var wg sync.WaitGroup
	errs := make(chan error, jobs)
	for j := range jobs {
		wg.Go(func() {
			rows := s.JobRows(ws[j%2].ID())
			for k := range n {
				i := k
				if j%2 == 1 {
					i = n - 1 - k
				}
				r := docsResource(i, 0)
				r.UID = fmt.Sprintf("%s-job%d", r.UID, j)
				if err := rows.Resource(ctx, r); err != nil {
					errs <- err
					return
				}
			}
			errs <- pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return rows.WriteTx(ctx, tx) })
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("job: %v", err)
		}
	}
	for _, w := range ws {
		if err := w.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := count(t, pool, `SELECT count(*) FROM resource_docs`); got != n {
		t.Errorf("%d documents, want %d", got, n)
	}
	if got := count(t, pool, `SELECT count(*) FROM snap_resources`); got != n*jobs {
		t.Errorf("%d resource rows, want %d", got, n*jobs)
	}
}

// TestJobRowsNeedReadCommitted: a job's transaction at a stricter
// isolation level is refused, since a document deleted after its snapshot
// was taken would look present.
func TestJobRowsNeedReadCommitted(t *testing.T) {
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
	w, err := s.Begin(ctx, "jobs", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	rows := s.JobRows(w.ID())
	if err := rows.Resource(ctx, docsResource(1, 0)); err != nil {
		t.Fatal(err)
	}
	err = pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error { return rows.WriteTx(ctx, tx) })
	if err == nil || !strings.Contains(err.Error(), "read committed") {
		t.Errorf("WriteTx in a repeatable read transaction: %v, want a read committed error", err)
	}
}

// TestMigrateDocuments builds a database at schema version 4 holding two
// snapshots with properties inline (one document shared, one in each
// alone, one with escapes and non-ASCII text), opens it, and checks that
// migration 5 moved every document to resource_docs once, kept resource
// row IDs (findings still join), and that new snapshots dedupe against the
// migrated documents.
func TestMigrateDocuments(t *testing.T) {
	ctx := t.Context()
	dsn := pg.NewDB(t)
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:4] {
		if _, err := conn.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations VALUES ($1, $2, now())`, m.version, m.name); err != nil {
			t.Fatal(err)
		}
	}
	shared := `{"a" : 1,  "b":"\u00fc\ud83d\ude00 ü", "c":[ ] }`
	props := map[string]string{"s1/x": shared, "s1/y": `{"only":1}`, "s2/x": shared, "s2/z": `{"only":2}`}
	if _, err := conn.Exec(ctx, `INSERT INTO snapshots (scope, started_at, finished_at, status, resources, findings)
		VALUES ('old', '2025-01-01', '2025-01-01', 'complete', 2, 1), ('old', '2025-01-02', '2025-01-02', 'complete', 2, 1)`); err != nil {
		t.Fatal(err)
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range props {
			if !yield(k) {
				return
			}
		}
	}) {
		snap := int64(1)
		if strings.HasPrefix(k, "s2/") {
			snap = 2
		}
		if _, err := conn.Exec(ctx, `INSERT INTO snap_resources (snapshot_id, uid, provider, account, region, kind, name, properties)
			VALUES ($1, $2, 'aws', '111', 'us-east-1', 'aws_s3_bucket', $2, $3)`, snap, strings.TrimPrefix(k, snap2prefix(snap)), props[k]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO snap_findings (snapshot_id, resource_id, check_id, status, severity)
		SELECT snapshot_id, id, 'c1', 'FAIL', 3 FROM snap_resources WHERE uid = 'x'`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO finding_seen VALUES (1, 'c1', 'x', 'FAIL', '2025-01-01'), (2, 'c1', 'x', 'FAIL', '2025-01-01')`); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var docs int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM resource_docs`).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if docs != 3 {
		t.Errorf("migrated %d documents, want 3", docs)
	}
	var first int64
	sum := sha256.Sum256([]byte(shared))
	if err := conn.QueryRow(ctx, `SELECT first_snapshot FROM resource_docs WHERE hash = $1`, sum[:]).Scan(&first); err != nil {
		t.Fatalf("the shared document is not under the SHA-256 of its bytes: %v", err)
	}
	if first != 1 {
		t.Errorf("shared document attributed to snapshot %d, want 1", first)
	}
	for snap := int64(1); snap <= 2; snap++ {
		got := map[string]string{}
		for r, err := range s.Resources(ctx, snap, store.ResourceFilter{}) {
			if err != nil {
				t.Fatal(err)
			}
			got[snap2prefix(snap)+r.UID] = string(r.Properties)
		}
		for k, want := range props {
			if strings.HasPrefix(k, snap2prefix(snap)) && got[k] != want {
				t.Errorf("snapshot %d, %s: properties %q, want %q", snap, k, got[k], want)
			}
		}
		var fs []finding.Finding
		for f, err := range s.Findings(ctx, snap, store.FindingFilter{}) {
			if err != nil {
				t.Fatal(err)
			}
			fs = append(fs, f)
		}
		if len(fs) != 1 || fs[0].ResourceUID != "x" {
			t.Errorf("snapshot %d findings after migration: %+v, want one on x", snap, fs)
		}
	}

	// A new snapshot gets fresh row IDs and stores no migrated document
	// again.
	w, err := s.Begin(ctx, "old", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Resource(ctx, resource.Resource{UID: "x", Provider: resource.AWS, Account: "111", Region: "us-east-1",
		Kind: "aws_s3_bucket", Name: "x", Properties: json.RawMessage(shared)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Findings(ctx, []finding.Finding{{CheckID: "c1", ResourceUID: "x", Status: finding.Fail, Severity: finding.High}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM resource_docs`).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if docs != 3 {
		t.Errorf("after a new snapshot of the shared document: %d documents, want 3", docs)
	}
	for f, err := range s.Findings(ctx, w.ID(), store.FindingFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if f.FirstSeen.Year() != 2025 {
			t.Errorf("first seen %v: the open finding of the migrated snapshots was not carried", f.FirstSeen)
		}
	}
}

// snap2prefix is the key prefix of TestMigrateDocuments' snapshot id.
func snap2prefix(id int64) string { return fmt.Sprintf("s%d/", id) }
