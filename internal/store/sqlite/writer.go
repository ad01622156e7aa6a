package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
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
	if e.From == "" || e.To == "" || e.Type == "" {
		return fmt.Errorf("snapshot %d: edge %q -%q-> %q: empty field", w.id, e.From, e.Type, e.To)
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
		switch {
		case f.CheckID == "":
			return fmt.Errorf("snapshot %d: finding for %s: empty check id", w.id, f.ResourceUID)
		case f.ResourceUID == "":
			return fmt.Errorf("snapshot %d: finding of %s: empty resource uid", w.id, f.CheckID)
		case !slices.Contains(finding.Statuses, f.Status):
			return fmt.Errorf("snapshot %d: finding of %s on %s: unknown status %q", w.id, f.CheckID, f.ResourceUID, f.Status)
		case f.Severity < finding.Info || f.Severity > finding.Critical:
			return fmt.Errorf("snapshot %d: finding of %s on %s: unknown %v", w.id, f.CheckID, f.ResourceUID, f.Severity)
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
		return nil
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

const (
	insertResource = `INSERT INTO snap_resources
		(snapshot_id, uid, provider, account, region, kind, name, tags, created_at, properties)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (snapshot_id, uid) DO UPDATE SET provider = excluded.provider,
			account = excluded.account, region = excluded.region, kind = excluded.kind,
			name = excluded.name, tags = excluded.tags, created_at = excluded.created_at,
			properties = excluded.properties`
	insertEdge  = `INSERT OR IGNORE INTO snap_edges (snapshot_id, from_uid, type, to_uid) VALUES (?, ?, ?, ?)`
	insertError = `INSERT INTO snap_errors (snapshot_id, provider, account, region, service, op, kind, message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	insertFinding = `INSERT INTO snap_findings (snapshot_id, resource_id, check_id, status, severity, reason)
		SELECT ?1, id, ?2, ?3, ?4, ?5 FROM snap_resources WHERE snapshot_id = ?1 AND uid = ?6`
)

// write inserts one batch with prepared statements. The statements run
// without ctx's cancellation (the driver would start a watcher goroutine
// per statement); write checks ctx between rows instead.
func (w *writer) write(ctx context.Context, tx *sql.Tx, b *batch) error {
	done := ctx
	ctx = context.WithoutCancel(ctx)
	if len(b.resources) > 0 {
		st, err := tx.PrepareContext(ctx, insertResource)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, r := range b.resources {
			if i%256 == 0 && done.Err() != nil {
				return done.Err()
			}
			if _, err := st.ExecContext(ctx, w.id, r.uid, r.provider, r.account, r.region, r.kind, r.name, r.tags, r.created, r.props); err != nil {
				return fmt.Errorf("insert resource %s: %w", r.uid, err)
			}
		}
	}
	if len(b.edges) > 0 {
		st, err := tx.PrepareContext(ctx, insertEdge)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, e := range b.edges {
			if _, err := st.ExecContext(ctx, w.id, e.From, e.Type, e.To); err != nil {
				return fmt.Errorf("insert edge %s -> %s: %w", e.From, e.To, err)
			}
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
		st, err := tx.PrepareContext(ctx, insertFinding)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, f := range b.findings {
			if i%256 == 0 && done.Err() != nil {
				return done.Err()
			}
			res, err := st.ExecContext(ctx, w.id, f.check, f.status, f.severity, f.reason, f.uid)
			if err != nil {
				return fmt.Errorf("insert finding %s on %s: %w", f.check, f.uid, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("insert finding %s on %s: %w", f.check, f.uid, err)
			} else if n == 0 {
				return fmt.Errorf("finding %s: resource %s is not in the snapshot", f.check, f.uid)
			}
		}
	}
	return nil
}
