package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// Begin inserts a running snapshot and returns its Writer.
func (s *Store) Begin(ctx context.Context, scope string, started time.Time) (store.Writer, error) {
	if started.IsZero() {
		started = time.Now()
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO snapshots (scope, started_at, status, owner_host, owner_pid)
		VALUES (?, ?, 'running', ?, ?)`, scope, formatTime(started), s.host, os.Getpid())
	if err != nil {
		return nil, fmt.Errorf("begin snapshot %q: %w", scope, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("begin snapshot %q: %w", scope, err)
	}
	return &writer{s: s, id: id, cur: &batch{}}, nil
}

// resourceRow is a resource ready to bind.
type resourceRow struct {
	uid, provider, account, region, kind, name string
	tags, created                              any // string or nil
	props                                      string
}

// findingRow is a finding ready to bind.
type findingRow struct {
	uid, check, status, reason string
	severity                   int64
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

// writer buffers rows under mu and writes full batches under flushMu. A
// goroutine that fills the buffer takes flushMu before it releases mu, so
// batches are written in the order they were filled (findings never reach
// the database before the resources they refer to) while other goroutines
// fill the next batch.
type writer struct {
	s  *Store
	id int64

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
	err := w.s.inTx(ctx, func(tx *sql.Tx) error { return w.write(ctx, tx, b) })
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
	if err := r.Validate(); err != nil {
		return fmt.Errorf("snapshot %d: %w", w.id, err)
	}
	if !json.Valid(r.Properties) {
		return fmt.Errorf("snapshot %d: resource %s: properties are not valid JSON", w.id, r.UID)
	}
	row := resourceRow{
		uid: r.UID, provider: string(r.Provider), account: r.Account, region: r.Region,
		kind: r.Kind, name: r.Name, props: string(r.Properties),
	}
	if len(r.Tags) > 0 {
		b, err := json.Marshal(r.Tags)
		if err != nil {
			return fmt.Errorf("snapshot %d: resource %s tags: %w", w.id, r.UID, err)
		}
		row.tags = string(b)
	}
	if !r.CreatedAt.IsZero() {
		row.created = formatTime(r.CreatedAt)
	}
	return w.add(ctx, func(b *batch) { b.resources = append(b.resources, row) })
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

// Findings buffers findings. Each must name a resource of this snapshot by
// UID (the engine only evaluates resources it read from the snapshot); the
// store does not look the resource up on write, which would cost an index
// search per finding, and reads join findings to resources.
func (w *writer) Findings(ctx context.Context, fs []finding.Finding) error {
	rows := make([]findingRow, len(fs))
	for i, f := range fs {
		if err := f.Validate(); err != nil {
			return fmt.Errorf("snapshot %d: %w", w.id, err)
		}
		rows[i] = findingRow{uid: f.ResourceUID, check: f.CheckID, status: string(f.Status), reason: f.Reason, severity: int64(f.Severity)}
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
// snapshot complete, in one transaction.
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
	err = w.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := w.write(ctx, tx, b); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE snapshots SET status = 'complete', finished_at = ?2,
			resources = (SELECT count(*) FROM snap_resources WHERE snapshot_id = ?1),
			edges = (SELECT count(*) FROM snap_edges WHERE snapshot_id = ?1),
			errors = (SELECT count(*) FROM snap_errors WHERE snapshot_id = ?1),
			findings = (SELECT count(*) FROM snap_findings WHERE snapshot_id = ?1)
			WHERE id = ?1 AND status = 'running'`, w.id, formatTime(time.Now()))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return errors.New("snapshot is no longer running")
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
	if err := w.s.fail(context.Background(), w.id); err != nil {
		return fmt.Errorf("roll back snapshot %d: %w", w.id, err)
	}
	return nil
}

// inTx runs fn in a write transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// Rows per INSERT statement: multi-row VALUES lists cut the per-statement
// cost of the driver, which dominates single-row inserts.
const (
	resourcesPerInsert = 32
	edgesPerInsert     = 64
	findingsPerInsert  = 128
)

const (
	insertResource = `INSERT INTO snap_resources
		(snapshot_id, uid, provider, account, region, kind, name, tags, created_at, properties)
		VALUES `
	resourceTuple  = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	upsertResource = `
		ON CONFLICT (snapshot_id, uid) DO UPDATE SET provider = excluded.provider,
			account = excluded.account, region = excluded.region, kind = excluded.kind,
			name = excluded.name, tags = excluded.tags, created_at = excluded.created_at,
			properties = excluded.properties`
	insertEdge  = `INSERT OR IGNORE INTO snap_edges (snapshot_id, from_uid, type, to_uid) VALUES `
	edgeTuple   = `(?, ?, ?, ?)`
	insertError = `INSERT INTO snap_errors (snapshot_id, provider, account, region, service, op, kind, message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	insertFinding = `INSERT INTO snap_findings (snapshot_id, resource_uid, check_id, status, severity, reason) VALUES `
	findingTuple  = `(?, ?, ?, ?, ?, ?)`
)

// insertRows inserts n rows with statements of up to per rows each. bind
// appends row i's arguments. The statement for a full chunk is prepared
// once per batch.
func insertRows(ctx, done context.Context, tx *sql.Tx, head, tuple, tail string, n, per int, bind func(i int, args []any) []any) error {
	var (
		full *sql.Stmt
		args []any
	)
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for start := 0; start < n; start += per {
		if err := done.Err(); err != nil {
			return err
		}
		end := min(start+per, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = bind(i, args)
		}
		q := head + strings.Repeat(tuple+", ", end-start-1) + tuple + tail
		if end-start < per {
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
			continue
		}
		if full == nil {
			var err error
			if full, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// write inserts one batch. The statements run without ctx's cancellation
// (the driver would start a watcher goroutine per statement); write checks
// ctx between statements instead.
func (w *writer) write(ctx context.Context, tx *sql.Tx, b *batch) error {
	done := ctx
	ctx = context.WithoutCancel(ctx)
	if len(b.resources) > 0 {
		rs := b.resources
		if hasDuplicateUIDs(rs) {
			// One statement may not upsert the same row twice; keep the
			// last version of each UID, in order.
			rs = lastByUID(rs)
		}
		err := insertRows(ctx, done, tx, insertResource, resourceTuple, upsertResource, len(rs), resourcesPerInsert,
			func(i int, a []any) []any {
				r := &rs[i]
				return append(a, w.id, r.uid, r.provider, r.account, r.region, r.kind, r.name, r.tags, r.created, r.props)
			})
		if err != nil {
			return fmt.Errorf("insert resources: %w", err)
		}
	}
	if len(b.edges) > 0 {
		err := insertRows(ctx, done, tx, insertEdge, edgeTuple, "", len(b.edges), edgesPerInsert,
			func(i int, a []any) []any {
				e := &b.edges[i]
				return append(a, w.id, e.From, e.Type, e.To)
			})
		if err != nil {
			return fmt.Errorf("insert edges: %w", err)
		}
	}
	if len(b.errs) > 0 {
		st, err := tx.PrepareContext(ctx, insertError)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, e := range b.errs {
			if _, err := st.ExecContext(ctx, w.id, string(e.Provider), e.Account, e.Region, e.Service, e.Op, string(e.Kind), e.Message); err != nil {
				return fmt.Errorf("insert collection error: %w", err)
			}
		}
	}
	if len(b.findings) > 0 {
		err := insertRows(ctx, done, tx, insertFinding, findingTuple, "", len(b.findings), findingsPerInsert,
			func(i int, a []any) []any {
				f := &b.findings[i]
				return append(a, w.id, f.uid, f.check, f.status, f.severity, f.reason)
			})
		if err != nil {
			return fmt.Errorf("insert findings: %w", err)
		}
	}
	return nil
}

func hasDuplicateUIDs(rs []resourceRow) bool {
	seen := make(map[string]struct{}, len(rs))
	for i := range rs {
		if _, dup := seen[rs[i].uid]; dup {
			return true
		}
		seen[rs[i].uid] = struct{}{}
	}
	return false
}

// lastByUID keeps the last row of each UID, in the order of those rows.
func lastByUID(rs []resourceRow) []resourceRow {
	last := make(map[string]int, len(rs))
	for i := range rs {
		last[rs[i].uid] = i
	}
	out := make([]resourceRow, 0, len(last))
	for i := range rs {
		if last[rs[i].uid] == i {
			out = append(out, rs[i])
		}
	}
	return out
}
