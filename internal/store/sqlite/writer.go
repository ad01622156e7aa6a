package sqlite

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// Begin inserts a running snapshot and returns its Writer. The Writer
// writes full batches on a goroutine of its own, so that the callers
// (collectors, the engine) go on while SQLite writes; that goroutine ends at
// Commit, Rollback or Close.
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
	w := &writer{s: s, id: id, cur: newBatch(), queue: make(chan job, writeQueue), done: make(chan struct{})}
	s.writersMu.Lock()
	if s.closed {
		s.writersMu.Unlock()
		return nil, fmt.Errorf("begin snapshot %q: store is closed", scope)
	}
	s.writers[w] = struct{}{}
	s.writersMu.Unlock()
	go w.loop()
	return w, nil
}

// writeQueue is how many full batches may wait for the write goroutine
// before producers block: enough to keep it busy, few enough to bound memory.
const writeQueue = 2

// resourceRow is a resource ready to bind.
type resourceRow struct {
	uid, provider, account, region, kind, name string
	tags, created                              any // string or nil
	props                                      string
	hash                                       []byte // SHA-256 of props: the resource_docs key
}

// findingRow is a finding ready to bind.
type findingRow struct {
	uid, check, status, reason string
	severity                   int64
}

// passKey groups PASS findings: one snap_passes row per key and batch.
type passKey struct {
	check    string
	severity int64
}

// batch holds rows not yet written. Resources go first so that findings in
// the same batch can refer to them.
type batch struct {
	resources []resourceRow
	edges     []resource.Edge
	errs      []resource.CollectionError
	findings  []findingRow
	// passes holds the UIDs of PASS findings without a reason, by check:
	// they are stored compactly (see migrations/0006_compact_passes.sql).
	passes map[passKey][]string
	npass  int
}

func newBatch() *batch { return &batch{passes: map[passKey][]string{}} }

// passesPerRow weighs a PASS finding against a row in the batch size: one
// compact row carries many of them.
const passesPerRow = 16

func (b *batch) len() int {
	return len(b.resources) + len(b.edges) + len(b.errs) + len(b.findings) + b.npass/passesPerRow
}

// job is one unit of work for the write goroutine: a batch to write (may
// be empty), then, when commit is set, the snapshot's commit; ack receives
// the writer's first error once the job is done.
type job struct {
	b      *batch
	commit bool
	ack    chan error
}

// writer buffers rows under mu and hands full batches to its write
// goroutine (loop) through queue, in the order they were filled, so
// findings never reach the database before the resources they refer to.
// A producer that fills a batch while the queue is full waits: memory
// stays bounded by writeQueue batches.
type writer struct {
	s  *Store
	id int64

	mu     sync.Mutex // guards cur and closed, and orders sends on queue
	cur    *batch
	closed string // "committed" or "rolled back" once the writer is done

	queue chan job
	done  chan struct{} // closed when loop returns

	errMu sync.Mutex
	err   error // first write error: the snapshot is incomplete from then on
	abort atomic.Bool
}

func (w *writer) ID() int64 { return w.id }

func (w *writer) firstErr() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.err
}

func (w *writer) setErr(err error) {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

// loop writes the queued batches until queue is closed. Consecutive
// batches share one transaction until it holds txRows rows or a Flush or
// Commit asks for what was written: each index page a transaction dirties
// is written to the WAL once per transaction, and the random UID keys of a
// big snapshot dirty most pages of its indexes in every transaction. After
// an error (or an abort) it writes nothing more but still answers acks.
func (w *writer) loop() {
	defer close(w.done)
	ctx := context.Background()
	var (
		tx   *sql.Tx
		rows int
	)
	defer func() {
		if tx != nil {
			// Closed without a Flush or Commit (Rollback, Store.Close): what
			// the open transaction holds is not part of any snapshot.
			_ = tx.Rollback()
		}
	}()
	for j := range w.queue {
		if w.firstErr() == nil && !w.abort.Load() && (j.b.len() > 0 || j.commit || (tx != nil && j.ack != nil)) {
			err := func() error {
				if tx == nil {
					var err error
					if tx, err = w.s.db.BeginTx(ctx, nil); err != nil {
						return err
					}
				}
				rows += j.b.len()
				if err := w.write(ctx, tx, j.b); err != nil {
					return err
				}
				if j.commit {
					if err := w.commit(ctx, tx); err != nil {
						return err
					}
				}
				if j.ack == nil && !j.commit && rows < w.s.txRows {
					return nil
				}
				err := tx.Commit()
				tx, rows = nil, 0
				return err
			}()
			if err != nil {
				if tx != nil {
					err = errors.Join(err, tx.Rollback())
					tx, rows = nil, 0
				}
				w.setErr(fmt.Errorf("write snapshot %d: %w", w.id, err))
			}
		}
		if j.ack != nil {
			j.ack <- w.firstErr()
		}
	}
}

// send queues j. It is called with mu held, which keeps batches in order.
// A batch that could not be queued is lost, so the writer is unusable
// from then on: Commit must not make a snapshot without it.
func (w *writer) send(ctx context.Context, j job) error {
	select {
	case w.queue <- j:
		return nil
	case <-ctx.Done():
		err := fmt.Errorf("snapshot %d: %w", w.id, ctx.Err())
		w.setErr(err)
		return err
	}
}

// wait waits for ack.
func (w *writer) wait(ctx context.Context, ack chan error) error {
	select {
	case err := <-ack:
		return err
	case <-ctx.Done():
		return fmt.Errorf("snapshot %d: %w", w.id, ctx.Err())
	}
}

// add appends to the current batch and queues it once it is full.
func (w *writer) add(ctx context.Context, fill func(b *batch)) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usableLocked(); err != nil {
		return err
	}
	fill(w.cur)
	if w.cur.len() < w.s.batch {
		return nil
	}
	b := w.cur
	w.cur = newBatch()
	return w.send(ctx, job{b: b})
}

func (w *writer) usableLocked() error {
	if w.closed != "" {
		return fmt.Errorf("snapshot %d: writer already %s", w.id, w.closed)
	}
	return w.firstErr()
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
	sum := sha256.Sum256(r.Properties)
	row.hash = sum[:]
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
// search per finding, and reads join findings to resources. PASS findings
// without a reason, most of a scan's findings, are kept by check and
// stored compactly.
func (w *writer) Findings(ctx context.Context, fs []finding.Finding) error {
	for _, f := range fs {
		if err := f.Validate(); err != nil {
			return fmt.Errorf("snapshot %d: %w", w.id, err)
		}
	}
	return w.add(ctx, func(b *batch) {
		for _, f := range fs {
			if f.Status == finding.Pass && f.Reason == "" {
				k := passKey{check: f.CheckID, severity: int64(f.Severity)}
				b.passes[k] = append(b.passes[k], f.ResourceUID)
				b.npass++
				continue
			}
			b.findings = append(b.findings, findingRow{uid: f.ResourceUID, check: f.CheckID, status: string(f.Status), reason: f.Reason, severity: int64(f.Severity)})
		}
	})
}

// Flush writes buffered rows and waits until every queued batch is written.
func (w *writer) Flush(ctx context.Context) error {
	w.mu.Lock()
	if err := w.usableLocked(); err != nil {
		w.mu.Unlock()
		return err
	}
	b := w.cur
	w.cur = newBatch()
	ack := make(chan error, 1)
	err := w.send(ctx, job{b: b, ack: ack})
	w.mu.Unlock()
	if err != nil {
		return err
	}
	return w.wait(ctx, ack)
}

// Commit writes the last batch, the counts and the end time, and marks the
// snapshot complete, in one transaction.
func (w *writer) Commit(ctx context.Context) error {
	w.mu.Lock()
	if err := w.usableLocked(); err != nil {
		w.mu.Unlock()
		return fmt.Errorf("commit: %w", err)
	}
	b := w.cur
	w.cur = newBatch()
	ack := make(chan error, 1)
	if err := w.send(ctx, job{b: b, commit: true, ack: ack}); err != nil {
		w.mu.Unlock()
		return fmt.Errorf("commit: %w", err)
	}
	w.closed = "committing"
	w.mu.Unlock()
	// Wait even if ctx ends: the commit job is queued and the writer must
	// know its outcome (Rollback after a failed Commit is still possible).
	err := <-ack
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.closed = ""
		return fmt.Errorf("commit: %w", err)
	}
	w.closed = "committed"
	w.stopLocked()
	return nil
}

// commit records counts and end time and marks the snapshot complete.
func (w *writer) commit(ctx context.Context, tx *sql.Tx) error {
	res, err := tx.ExecContext(ctx, `UPDATE snapshots SET status = 'complete', finished_at = ?2,
		resources = (SELECT count(*) FROM snap_resources WHERE snapshot_id = ?1),
		edges = (SELECT count(*) FROM snap_edges WHERE snapshot_id = ?1),
		errors = (SELECT count(*) FROM snap_errors WHERE snapshot_id = ?1),
		findings = (SELECT count(*) FROM snap_findings WHERE snapshot_id = ?1)
			+ (SELECT coalesce(sum(n), 0) FROM snap_passes WHERE snapshot_id = ?1)
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
}

// stopLocked closes the queue and waits for the write goroutine to end.
// It is called with mu held, once.
func (w *writer) stopLocked() {
	close(w.queue)
	<-w.done
	w.s.writersMu.Lock()
	delete(w.s.writers, w)
	w.s.writersMu.Unlock()
}

// Rollback marks the snapshot failed and deletes its rows; it is a no-op
// after Commit or a previous Rollback.
func (w *writer) Rollback() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed != "" {
		return nil
	}
	w.closed = "rolled back"
	w.cur = newBatch()
	w.abort.Store(true)
	w.stopLocked()
	if err := w.s.fail(context.Background(), w.id); err != nil {
		return fmt.Errorf("roll back snapshot %d: %w", w.id, err)
	}
	return nil
}

// close stops the writer without committing (Store.Close): its snapshot
// stays running, and is failed when the store is next opened.
func (w *writer) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed != "" {
		// Done already, or committing: Commit stops the goroutine.
		return
	}
	w.closed = "closed"
	w.abort.Store(true)
	w.stopLocked()
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
	docsPerInsert      = 64
	edgesPerInsert     = 64
	findingsPerInsert  = 128
	passesPerInsert    = 32
)

const (
	insertDoc      = `INSERT INTO resource_docs (hash, first_snapshot, body) VALUES `
	docTuple       = `(?, ?, ?)`
	docConflict    = ` ON CONFLICT (hash) DO NOTHING`
	insertResource = `INSERT INTO snap_resources
		(snapshot_id, uid, provider, account, region, kind, name, tags, created_at, properties, doc_hash)
		VALUES `
	resourceTuple  = `(?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)`
	upsertResource = `
		ON CONFLICT (snapshot_id, uid) DO UPDATE SET provider = excluded.provider,
			account = excluded.account, region = excluded.region, kind = excluded.kind,
			name = excluded.name, tags = excluded.tags, created_at = excluded.created_at,
			properties = excluded.properties, doc_hash = excluded.doc_hash`
	insertEdge  = `INSERT OR IGNORE INTO snap_edges (snapshot_id, from_uid, type, to_uid) VALUES `
	edgeTuple   = `(?, ?, ?, ?)`
	insertError = `INSERT INTO snap_errors (snapshot_id, provider, account, region, service, op, kind, message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	insertPass    = `INSERT INTO snap_passes (snapshot_id, check_id, severity, n, uids) VALUES `
	passTuple     = `(?, ?, ?, ?, ?)`
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
		// Rows in key order: each page of an index is then read and
		// dirtied once per batch, in order, instead of once per row at
		// random (the indexes of a 1,000,000-resource snapshot do not fit
		// the page cache). The batch is the writer's own: sorting it in
		// place is safe.
		slices.SortFunc(rs, func(a, b resourceRow) int {
			return cmp.Or(cmp.Compare(a.account, b.account), cmp.Compare(a.uid, b.uid))
		})
		byHash := make([]int, len(rs))
		for i := range byHash {
			byHash[i] = i
		}
		slices.SortFunc(byHash, func(a, b int) int { return bytes.Compare(rs[a].hash, rs[b].hash) })
		// Documents first: an unchanged one (same hash) is not written again.
		err := insertRows(ctx, done, tx, insertDoc, docTuple, docConflict, len(rs), docsPerInsert,
			func(i int, a []any) []any {
				r := &rs[byHash[i]]
				return append(a, r.hash, w.id, r.props)
			})
		if err != nil {
			return fmt.Errorf("insert property documents: %w", err)
		}
		err = insertRows(ctx, done, tx, insertResource, resourceTuple, upsertResource, len(rs), resourcesPerInsert,
			func(i int, a []any) []any {
				r := &rs[i]
				return append(a, w.id, r.uid, r.provider, r.account, r.region, r.kind, r.name, r.tags, r.created, r.hash)
			})
		if err != nil {
			return fmt.Errorf("insert resources: %w", err)
		}
	}
	if len(b.edges) > 0 {
		slices.SortFunc(b.edges, func(x, y resource.Edge) int {
			return cmp.Or(cmp.Compare(x.From, y.From), cmp.Compare(x.Type, y.Type), cmp.Compare(x.To, y.To))
		})
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
	if len(b.passes) > 0 {
		if err := w.writePasses(ctx, tx, b.passes); err != nil {
			return fmt.Errorf("insert passed checks: %w", err)
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

// writePasses writes one snap_passes row per check: the UIDs that passed
// it, sorted and without duplicates, as a JSON array.
func (w *writer) writePasses(ctx context.Context, tx *sql.Tx, passes map[passKey][]string) error {
	keys := slices.SortedFunc(maps.Keys(passes), func(a, b passKey) int {
		return cmp.Or(cmp.Compare(a.check, b.check), cmp.Compare(a.severity, b.severity))
	})
	uids := make([]string, len(keys))
	ns := make([]int, len(keys))
	for i, k := range keys {
		us := passes[k]
		slices.Sort(us)
		us = slices.Compact(us)
		b, err := json.Marshal(us)
		if err != nil {
			return err
		}
		uids[i], ns[i] = string(b), len(us)
	}
	return insertRows(ctx, ctx, tx, insertPass, passTuple, "", len(keys), passesPerInsert,
		func(i int, a []any) []any {
			return append(a, w.id, keys[i].check, keys[i].severity, ns[i], uids[i])
		})
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
