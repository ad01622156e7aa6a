package postgres

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// stageTables are per-connection temporary tables the writer COPYs rows
// into when they need a join or an upsert on their way in. They empty
// themselves at every commit.
const stageTables = `
CREATE TEMP TABLE stage_resources (
	uid text COLLATE "C" NOT NULL, provider text NOT NULL, account text NOT NULL,
	region text NOT NULL, kind text NOT NULL, name text NOT NULL, tags jsonb,
	created_at timestamptz, created_nsec integer NOT NULL, doc_hash bytea NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE stage_docs (
	hash bytea NOT NULL, body json NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE stage_edges (
	from_uid text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, to_uid text COLLATE "C" NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE stage_findings (
	seq integer NOT NULL, uid text COLLATE "C" NOT NULL, check_id text NOT NULL,
	status text NOT NULL, severity smallint NOT NULL, reason text NOT NULL
) ON COMMIT DELETE ROWS;`

// Begin inserts a running snapshot and returns its Writer. The Writer owns
// one connection until Commit or Rollback; that connection's session holds
// an advisory lock on the snapshot which tells other processes its writer
// is alive. The row and the lock are created in one transaction, so no
// other process can see the snapshot unlocked.
func (s *Store) Begin(ctx context.Context, scope string, started time.Time) (store.Writer, error) {
	if started.IsZero() {
		started = time.Now()
	}
	conn, err := pgx.ConnectConfig(ctx, s.wcfg)
	if err != nil {
		return nil, fmt.Errorf("begin snapshot %q: connect: %w", scope, err)
	}
	var id int64
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO snapshots (scope, started_at, status, owner_host, owner_pid)
			VALUES ($1, $2, 'running', $3, $4) RETURNING id`, scope, started, s.host, os.Getpid()).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockSnapshot, lockKey(id)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, stageTables, pgx.QueryExecModeSimpleProtocol)
		return err
	})
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("begin snapshot %q: %w", scope, err)
	}
	return &writer{s: s, id: id, conn: conn, cur: &batch{}}, nil
}

// resourceRow is a resource ready to COPY. Its properties go to
// resource_docs, keyed by hash, unless a document with that hash is there
// already; the row itself carries only the hash.
type resourceRow struct {
	uid, provider, account, region, kind, name string
	tags                                       any // JSON string or nil
	created                                    any // time.Time (microseconds) or nil
	nsec                                       int32
	props                                      []byte
	hash                                       []byte // SHA-256 of props
}

func (r *resourceRow) values() []any {
	return []any{r.uid, r.provider, r.account, r.region, r.kind, r.name, r.tags, r.created, r.nsec, r.hash}
}

var resourceColumns = []string{"uid", "provider", "account", "region", "kind", "name", "tags", "created_at", "created_nsec", "doc_hash"}

// findingRow is a finding ready to COPY.
type findingRow struct {
	uid, check, status, reason string
	severity                   int16
}

// batch holds rows not yet written. Resources go first so that findings in
// the same batch can refer to them.
type batch struct {
	resources []resourceRow
	edges     []resource.Edge
	errs      []resource.CollectionError
	findings  []findingRow
}

func (b *batch) len() int { return len(b.resources) + len(b.edges) + len(b.errs) + len(b.findings) }

// writer buffers rows under mu and writes full batches on its connection
// under flushMu. A goroutine that fills the buffer takes flushMu before it
// releases mu, so batches are written in the order they were filled
// (findings never reach the database before the resources they refer to)
// while other goroutines fill the next batch.
type writer struct {
	s    *Store
	id   int64
	conn *pgx.Conn // guarded by flushMu; nil once closed

	mu     sync.Mutex
	cur    *batch
	closed string // "committed" or "rolled back" once the writer is done
	err    error  // first write error: the snapshot is incomplete from then on

	flushMu sync.Mutex
}

func (w *writer) ID() int64 { return w.id }

// add appends to the current batch and writes it once it is full.
func (w *writer) add(ctx context.Context, fill func(b *batch)) error {
	w.mu.Lock()
	if err := w.usableLocked(); err != nil {
		w.mu.Unlock()
		return err
	}
	fill(w.cur)
	if w.cur.len() < w.s.batch {
		w.mu.Unlock()
		return nil
	}
	return w.flushLocked(ctx)
}

// flushLocked swaps out the current batch and writes it. It is called with
// mu held and releases it.
func (w *writer) flushLocked(ctx context.Context) error {
	b := w.cur
	w.cur = &batch{}
	w.flushMu.Lock()
	w.mu.Unlock()
	defer w.flushMu.Unlock()
	if b.len() == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, w.conn, func(tx pgx.Tx) error { return w.write(ctx, tx, b) })
	if err != nil {
		err = fmt.Errorf("write snapshot %d: %w", w.id, err)
		w.mu.Lock()
		if w.err == nil {
			w.err = err
		}
		w.mu.Unlock()
	}
	return err
}

func (w *writer) usableLocked() error {
	if w.closed != "" {
		return fmt.Errorf("snapshot %d: writer already %s", w.id, w.closed)
	}
	return w.err
}

// Resource buffers one resource. A resource written twice in one snapshot
// (same UID) keeps the last version.
func (w *writer) Resource(ctx context.Context, r resource.Resource) error {
	row, err := newResourceRow(w.id, r)
	if err != nil {
		return err
	}
	return w.add(ctx, func(b *batch) { b.resources = append(b.resources, row) })
}

// newResourceRow validates r for snapshot id and converts it for COPY.
func newResourceRow(id int64, r resource.Resource) (resourceRow, error) {
	if err := r.Validate(); err != nil {
		return resourceRow{}, fmt.Errorf("snapshot %d: %w", id, err)
	}
	if !json.Valid(r.Properties) {
		return resourceRow{}, fmt.Errorf("snapshot %d: resource %s: properties are not valid JSON", id, r.UID)
	}
	sum := sha256.Sum256(r.Properties)
	row := resourceRow{
		uid: r.UID, provider: string(r.Provider), account: r.Account, region: r.Region,
		kind: r.Kind, name: r.Name, props: r.Properties, hash: sum[:],
	}
	if len(r.Tags) > 0 {
		b, err := json.Marshal(r.Tags)
		if err != nil {
			return resourceRow{}, fmt.Errorf("snapshot %d: resource %s tags: %w", id, r.UID, err)
		}
		row.tags = string(b)
	}
	if !r.CreatedAt.IsZero() {
		// timestamptz keeps microseconds; the rest goes in created_nsec.
		t := r.CreatedAt.UTC()
		row.created = t.Truncate(time.Microsecond)
		row.nsec = int32(t.Nanosecond() % 1000)
	}
	return row, nil
}

// Edge buffers one edge; duplicates are kept once.
func (w *writer) Edge(ctx context.Context, e resource.Edge) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("snapshot %d: %w", w.id, err)
	}
	return w.add(ctx, func(b *batch) { b.edges = append(b.edges, e) })
}

// Error buffers one collection error.
func (w *writer) Error(ctx context.Context, e resource.CollectionError) error {
	return w.add(ctx, func(b *batch) { b.errs = append(b.errs, e) })
}

// Findings buffers findings. Each must name a resource already written to
// this snapshot by UID; an unknown UID fails the flush that writes it.
func (w *writer) Findings(ctx context.Context, fs []finding.Finding) error {
	rows := make([]findingRow, len(fs))
	for i, f := range fs {
		if err := f.Validate(); err != nil {
			return fmt.Errorf("snapshot %d: %w", w.id, err)
		}
		rows[i] = findingRow{uid: f.ResourceUID, check: f.CheckID, status: string(f.Status), reason: f.Reason, severity: int16(f.Severity)}
	}
	return w.add(ctx, func(b *batch) { b.findings = append(b.findings, rows...) })
}

// Flush writes buffered rows.
func (w *writer) Flush(ctx context.Context) error {
	w.mu.Lock()
	if err := w.usableLocked(); err != nil {
		w.mu.Unlock()
		return err
	}
	return w.flushLocked(ctx)
}

// Commit writes the last batch, the counts and the end time, and marks the
// snapshot complete, in one transaction; then it closes the connection.
func (w *writer) Commit(ctx context.Context) error {
	w.mu.Lock()
	if err := w.usableLocked(); err != nil {
		w.mu.Unlock()
		return fmt.Errorf("commit: %w", err)
	}
	w.closed = "committed"
	b := w.cur
	w.cur = &batch{}
	w.flushMu.Lock()
	w.mu.Unlock()
	defer w.flushMu.Unlock()
	// A write that failed while this Commit waited for flushMu poisons it.
	w.mu.Lock()
	err := w.err
	w.mu.Unlock()
	if err != nil {
		w.closed = ""
		return fmt.Errorf("commit: %w", err)
	}
	err = pgx.BeginFunc(ctx, w.conn, func(tx pgx.Tx) error {
		// The snapshot's row first, then (in write) the document lock: the
		// order every transaction that takes both keeps. Rows being written
		// by jobs of other processes (JobRows) are committed before this
		// lock is granted.
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM snapshots WHERE id = $1 FOR UPDATE`, w.id).Scan(&status); err != nil {
			return err
		}
		if status != string(store.Running) {
			return fmt.Errorf("snapshot is %s, no longer running", status)
		}
		if err := w.write(ctx, tx, b); err != nil {
			return err
		}
		// end_seq is taken after the last row is written: see
		// migrations/0005_resource_docs.sql.
		_, err := tx.Exec(ctx, `UPDATE snapshots SET status = 'complete', finished_at = now(),
			end_seq = nextval('snapshot_seq'),
			resources = (SELECT count(*) FROM snap_resources WHERE snapshot_id = $1),
			edges = (SELECT count(*) FROM snap_edges WHERE snapshot_id = $1),
			errors = (SELECT count(*) FROM snap_errors WHERE snapshot_id = $1),
			findings = (SELECT count(*) FROM snap_findings WHERE snapshot_id = $1)
				+ (SELECT coalesce(sum(cardinality(resource_ids)), 0) FROM snap_passes WHERE snapshot_id = $1)
			WHERE id = $1`, w.id)
		if err != nil {
			return err
		}
		return recordFirstSeen(ctx, tx, w.id)
	})
	if err != nil {
		w.mu.Lock()
		w.closed = ""
		w.err = fmt.Errorf("commit snapshot %d: %w", w.id, err)
		w.mu.Unlock()
		return fmt.Errorf("commit snapshot %d: %w", w.id, err)
	}
	w.closeConn()
	return nil
}

// Rollback marks the snapshot failed and deletes its rows; it is a no-op
// after Commit or a previous Rollback.
func (w *writer) Rollback() error {
	w.mu.Lock()
	if w.closed != "" {
		w.mu.Unlock()
		return nil
	}
	w.closed = "rolled back"
	w.cur = &batch{}
	w.flushMu.Lock()
	w.mu.Unlock()
	defer w.flushMu.Unlock()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, w.conn, func(tx pgx.Tx) error { return failTx(ctx, tx, w.id) })
	if err != nil {
		// The connection may be broken: try through the pool.
		err = w.s.inTx(ctx, func(tx pgx.Tx) error { return failTx(ctx, tx, w.id) })
	}
	w.closeConn()
	if err != nil {
		return fmt.Errorf("roll back snapshot %d: %w", w.id, err)
	}
	return nil
}

// closeConn closes the writer's connection, which releases its lock. It is
// called with flushMu held.
func (w *writer) closeConn() {
	if w.conn != nil {
		w.conn.Close(context.Background())
		w.conn = nil
	}
}

// write inserts one batch: resources, edges, errors, then findings.
func (w *writer) write(ctx context.Context, tx pgx.Tx, b *batch) error {
	if err := w.writeResources(ctx, tx, b.resources); err != nil {
		return err
	}
	if err := w.writeEdges(ctx, tx, b.edges); err != nil {
		return err
	}
	if len(b.errs) > 0 {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"snap_errors"},
			[]string{"snapshot_id", "provider", "account", "region", "service", "op", "kind", "message"},
			pgx.CopyFromSlice(len(b.errs), func(i int) ([]any, error) {
				e := b.errs[i]
				return []any{w.id, string(e.Provider), e.Account, e.Region, e.Service, e.Op, string(e.Kind), e.Message}, nil
			}))
		if err != nil {
			return fmt.Errorf("insert collection errors: %w", err)
		}
	}
	return w.writeFindings(ctx, tx, b.findings)
}

// recordFirstSeen fills finding_seen for the open findings of snapshot id,
// carrying first_seen from the previous complete snapshot (by start time)
// of the same scope while the finding stays open, FAIL and MUTED counting
// as one state. It runs in Commit's transaction, after the snapshot's rows
// are written.
func recordFirstSeen(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `WITH cur AS (SELECT scope, started_at FROM snapshots WHERE id = $1),
		prev AS (SELECT s.id FROM snapshots s, cur
			WHERE s.scope = cur.scope AND s.status = 'complete' AND s.id <> $1 AND s.started_at <= cur.started_at
			ORDER BY s.started_at DESC, s.id DESC LIMIT 1)
		INSERT INTO finding_seen (snapshot_id, check_id, resource_uid, status, first_seen)
		SELECT $1, f.check_id, r.uid, f.status,
			CASE WHEN p.status = f.status OR (p.status IN ('FAIL', 'MUTED') AND f.status IN ('FAIL', 'MUTED'))
				THEN p.first_seen ELSE (SELECT started_at FROM cur) END
		FROM snap_findings f
		JOIN snap_resources r ON r.id = f.resource_id
		LEFT JOIN finding_seen p ON p.snapshot_id = (SELECT id FROM prev)
			AND p.check_id = f.check_id AND p.resource_uid = r.uid
		WHERE f.snapshot_id = $1 AND f.status <> 'PASS'
		ON CONFLICT DO NOTHING`, id)
	if err != nil {
		return fmt.Errorf("first seen: %w", err)
	}
	return nil
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// copyOrMerge COPYs rows straight into the snapshot table inside a
// savepoint. When a row is already there (a UID or edge written by an
// earlier batch) the savepoint is rolled back and the rows go through the
// staging table and merge instead; that path is slower but rare. The
// direct COPY has a snapshot_id column before cols.
func copyOrMerge(ctx context.Context, tx pgx.Tx, table, stage string, cols []string, n int, row func(i int) []any, direct func(i int) []any, merge string, args ...any) error {
	return copyOrMergeCols(ctx, tx, table, stage, append([]string{"snapshot_id"}, cols...), cols, n, row, direct, merge, args...)
}

// copyOrMergeCols is copyOrMerge with the direct COPY's columns spelled
// out.
func copyOrMergeCols(ctx context.Context, tx pgx.Tx, table, stage string, directCols, cols []string, n int, row func(i int) []any, direct func(i int) []any, merge string, args ...any) error {
	// The savepoint is never released: COMMIT does that, one round trip
	// fewer.
	if _, err := tx.Exec(ctx, `SAVEPOINT copy_`+table); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, directCols,
		pgx.CopyFromSlice(n, func(i int) ([]any, error) { return direct(i), nil }))
	if err == nil {
		return nil
	}
	if !isUniqueViolation(err) {
		return err
	}
	if _, rbErr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT copy_`+table); rbErr != nil {
		return errors.Join(err, rbErr)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, cols,
		pgx.CopyFromSlice(n, func(i int) ([]any, error) { return row(i), nil })); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, merge, args...)
	return err
}

// writeResources writes resources, the last of each UID winning, and the
// documents of their properties that are not stored yet.
func (w *writer) writeResources(ctx context.Context, tx pgx.Tx, rs []resourceRow) error {
	if len(rs) == 0 {
		return nil
	}
	rs = lastByKey(rs, func(r *resourceRow) string { return r.uid })
	// In index order: each B-tree page of the snapshot's UID indexes is then
	// visited once per batch, in order, instead of once per row at random.
	slices.SortFunc(rs, func(a, b resourceRow) int {
		return cmp.Or(cmp.Compare(a.account, b.account), cmp.Compare(a.uid, b.uid))
	})
	if err := w.writeDocs(ctx, tx, rs); err != nil {
		return fmt.Errorf("insert property documents: %w", err)
	}
	err := copyOrMerge(ctx, tx, "snap_resources", "stage_resources", resourceColumns, len(rs),
		func(i int) []any { return rs[i].values() },
		func(i int) []any { return append([]any{w.id}, rs[i].values()...) },
		`INSERT INTO snap_resources (snapshot_id, uid, provider, account, region, kind, name, tags, created_at, created_nsec, doc_hash)
			SELECT $1, uid, provider, account, region, kind, name, tags, created_at, created_nsec, doc_hash FROM stage_resources
			ON CONFLICT (snapshot_id, uid) DO UPDATE SET provider = excluded.provider,
				account = excluded.account, region = excluded.region, kind = excluded.kind,
				name = excluded.name, tags = excluded.tags, created_at = excluded.created_at,
				created_nsec = excluded.created_nsec, doc_hash = excluded.doc_hash`, w.id)
	if err != nil {
		return fmt.Errorf("insert resources: %w", err)
	}
	return nil
}

// writeDocs stores the documents of rs that resource_docs lacks. It first
// takes the shared document lock for the rest of the transaction (a failing
// snapshot's cleanup takes it exclusively, so no document this transaction
// finds present can be deleted before the rows that reference it commit)
// and, in the same round trip, asks which of the batch's hashes are
// missing. Only those documents are sent: a rescan of an unchanged estate
// sends hashes, not properties. The missing ones are COPYed in hash order,
// so that two transactions storing overlapping documents wait for each
// other in one direction only; when a concurrent transaction stored one of
// them first, the COPY fails and the documents are inserted with ON
// CONFLICT DO NOTHING instead.
//
// The transaction must be READ COMMITTED: each statement must see what
// committed before the lock was granted.
func (w *writer) writeDocs(ctx context.Context, tx pgx.Tx, rs []resourceRow) error {
	hashes := make([][]byte, 0, len(rs))
	body := make(map[string][]byte, len(rs))
	for i := range rs {
		k := string(rs[i].hash)
		if _, ok := body[k]; !ok {
			body[k] = rs[i].props
			hashes = append(hashes, rs[i].hash)
		}
	}
	var bt pgx.Batch
	var isolation string
	bt.Queue(`SELECT current_setting('transaction_isolation') FROM (SELECT pg_advisory_xact_lock_shared($1, 0)::text) l`,
		lockDocs).QueryRow(func(row pgx.Row) error { return row.Scan(&isolation) })
	var missing [][]byte
	bt.Queue(`SELECT h FROM unnest($1::bytea[]) h WHERE NOT EXISTS (SELECT 1 FROM resource_docs d WHERE d.hash = h)`,
		hashes).Query(func(rows pgx.Rows) error {
		var err error
		missing, err = pgx.CollectRows(rows, pgx.RowTo[[]byte])
		return err
	})
	if err := tx.SendBatch(ctx, &bt).Close(); err != nil {
		return err
	}
	if isolation != "read committed" {
		return fmt.Errorf("the transaction's isolation is %s: writing resources needs read committed", isolation)
	}
	if len(missing) == 0 {
		return nil
	}
	slices.SortFunc(missing, bytes.Compare)
	return copyOrMergeCols(ctx, tx, "resource_docs", "stage_docs",
		[]string{"hash", "first_snapshot", "body"}, []string{"hash", "body"}, len(missing),
		func(i int) []any { return []any{missing[i], body[string(missing[i])]} },
		func(i int) []any { return []any{missing[i], w.id, body[string(missing[i])]} },
		`INSERT INTO resource_docs (hash, first_snapshot, body)
			SELECT hash, $1, body FROM stage_docs ORDER BY hash ON CONFLICT (hash) DO NOTHING`, w.id)
}

// writeEdges writes edges, each once.
func (w *writer) writeEdges(ctx context.Context, tx pgx.Tx, es []resource.Edge) error {
	if len(es) == 0 {
		return nil
	}
	es = lastByKey(es, func(e *resource.Edge) resource.Edge { return *e })
	slices.SortFunc(es, func(x, y resource.Edge) int {
		return cmp.Or(cmp.Compare(x.From, y.From), cmp.Compare(x.Type, y.Type), cmp.Compare(x.To, y.To))
	})
	err := copyOrMerge(ctx, tx, "snap_edges", "stage_edges", []string{"from_uid", "type", "to_uid"}, len(es),
		func(i int) []any { return []any{es[i].From, es[i].Type, es[i].To} },
		func(i int) []any { return []any{w.id, es[i].From, es[i].Type, es[i].To} },
		`INSERT INTO snap_edges (snapshot_id, from_uid, type, to_uid)
			SELECT $1, from_uid, type, to_uid FROM stage_edges ON CONFLICT DO NOTHING`, w.id)
	if err != nil {
		return fmt.Errorf("insert edges: %w", err)
	}
	return nil
}

// writeFindings COPYs findings into the staging table and resolves their
// resource IDs with one statement. The lateral join makes each lookup one
// probe of the (snapshot_id, uid) index, whatever the planner thinks of
// the unanalyzed staging table (a hash join would read the whole
// snapshot's resources once per batch). PASS findings without a reason go
// to snap_passes, one row per (check, severity) listing the resource rows
// (migrations/0006_compact_passes.sql); the others to snap_findings. A
// finding whose UID is not in the snapshot fails the batch, naming the UID.
func (w *writer) writeFindings(ctx context.Context, tx pgx.Tx, fs []findingRow) error {
	if len(fs) == 0 {
		return nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_findings"},
		[]string{"seq", "uid", "check_id", "status", "severity", "reason"},
		pgx.CopyFromSlice(len(fs), func(i int) ([]any, error) {
			f := fs[i]
			return []any{int32(i), f.uid, f.check, f.status, f.severity, f.reason}, nil
		})); err != nil {
		return fmt.Errorf("insert findings: %w", err)
	}
	var resolved int64
	err := tx.QueryRow(ctx, `WITH resolved AS MATERIALIZED (
			SELECT r.id, f.check_id, f.status, f.severity, f.reason
			FROM stage_findings f
			CROSS JOIN LATERAL (SELECT id FROM snap_resources r WHERE r.snapshot_id = $1 AND r.uid = f.uid) r),
		open AS (INSERT INTO snap_findings (snapshot_id, resource_id, check_id, status, severity, reason)
			SELECT $1, id, check_id, status, severity, reason FROM resolved
			WHERE status <> 'PASS' OR reason <> ''),
		passed AS (INSERT INTO snap_passes (snapshot_id, check_id, severity, resource_ids)
			SELECT $1, check_id, severity, array_agg(id ORDER BY id) FROM resolved
			WHERE status = 'PASS' AND reason = ''
			GROUP BY check_id, severity)
		SELECT count(*) FROM resolved`, w.id).Scan(&resolved)
	if err != nil {
		return fmt.Errorf("insert findings: %w", err)
	}
	if resolved != int64(len(fs)) {
		var uid, check string
		err := tx.QueryRow(ctx, `SELECT f.uid, f.check_id FROM stage_findings f
			WHERE NOT EXISTS (SELECT 1 FROM snap_resources r WHERE r.snapshot_id = $1 AND r.uid = f.uid)
			ORDER BY f.seq LIMIT 1`, w.id).Scan(&uid, &check)
		if err != nil {
			return fmt.Errorf("insert findings: %d of %d resolved: %w", resolved, len(fs), err)
		}
		return fmt.Errorf("finding %s: resource %s is not in the snapshot", check, uid)
	}
	return nil
}

// lastByKey returns xs with only the last element of each key, in the order
// of those last elements. It returns xs itself when all keys differ.
func lastByKey[T any, K comparable](xs []T, key func(*T) K) []T {
	last := make(map[K]int, len(xs))
	for i := range xs {
		last[key(&xs[i])] = i
	}
	if len(last) == len(xs) {
		return xs
	}
	out := make([]T, 0, len(last))
	for i := range xs {
		if last[key(&xs[i])] == i {
			out = append(out, xs[i])
		}
	}
	return out
}
