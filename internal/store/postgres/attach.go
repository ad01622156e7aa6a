package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// ErrNotRunning is returned by JobRows.WriteTx when the snapshot is no
// longer running: it was committed, or failed (its scan died or was rolled
// back). Rows for it are of no use any more.
var ErrNotRunning = errors.New("snapshot is not running")

// JobRows buffers what one unit of work (a distributed collection job)
// adds to a running snapshot that another process began and owns, so that
// all of it is written in one transaction of the caller's: the one that
// also marks the job done in the job queue. A worker that dies before that
// transaction commits leaves nothing behind, and the job can run again.
//
// JobRows has the method set of collect.Sink and is safe for concurrent
// use. It holds every row in memory until WriteTx: one job's worth.
type JobRows struct {
	id int64

	mu sync.Mutex
	b  batch
}

// JobRows returns an empty buffer of rows for the running snapshot id.
func (s *Store) JobRows(snapshot int64) *JobRows { return &JobRows{id: snapshot} }

// Snapshot returns the ID of the snapshot the rows are for.
func (j *JobRows) Snapshot() int64 { return j.id }

// Resource buffers one resource. Within the snapshot, the last resource
// written with a UID wins, whichever writer wrote it.
func (j *JobRows) Resource(_ context.Context, r resource.Resource) error {
	row, err := newResourceRow(j.id, r)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.b.resources = append(j.b.resources, row)
	return nil
}

// Edge buffers one edge; the snapshot keeps each edge once.
func (j *JobRows) Edge(_ context.Context, e resource.Edge) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("snapshot %d: %w", j.id, err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.b.edges = append(j.b.edges, e)
	return nil
}

// Error buffers one collection error.
func (j *JobRows) Error(_ context.Context, e resource.CollectionError) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.b.errs = append(j.b.errs, e)
	return nil
}

// Len reports how many resources, edges and collection errors are buffered.
func (j *JobRows) Len() (resources, edges, errs int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.b.resources), len(j.b.edges), len(j.b.errs)
}

// WriteTx writes the buffered rows in tx, a transaction the caller opened
// on the store's database and commits (or rolls back) itself. It first
// takes a share lock on the snapshot's row and checks that the snapshot is
// still running: the owner's Commit or Rollback waits for tx to end, so
// rows never land in a snapshot that is already complete or failed. It
// returns ErrNotRunning (wrapped) when the snapshot is not running and
// store.ErrNotFound (wrapped) when it does not exist.
func (j *JobRows) WriteTx(ctx context.Context, tx pgx.Tx) error {
	var status string
	err := tx.QueryRow(ctx, `SELECT status FROM snapshots WHERE id = $1 FOR SHARE`, j.id).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("snapshot %d: %w", j.id, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("write to snapshot %d: %w", j.id, err)
	}
	if status != string(store.Running) {
		return fmt.Errorf("snapshot %d is %s: %w", j.id, status, ErrNotRunning)
	}
	// Rows another job already wrote (a resource or edge two jobs both
	// emit) go through the staging tables: make sure this session has them.
	if _, err := tx.Exec(ctx, strings.ReplaceAll(stageTables, "CREATE TEMP TABLE", "CREATE TEMP TABLE IF NOT EXISTS"),
		pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("write to snapshot %d: staging tables: %w", j.id, err)
	}
	j.mu.Lock()
	b := j.b
	j.mu.Unlock()
	w := &writer{id: j.id}
	if err := w.write(ctx, tx, &b); err != nil {
		return fmt.Errorf("write to snapshot %d: %w", j.id, err)
	}
	return nil
}
