// Package dist runs a scan across processes: a distributed scan plans its
// collection into jobs (collect.Planner), enqueues them in River, a job
// queue in the scan's PostgreSQL database, and any number of worker
// processes, wherever they run, execute them with their own credentials and
// write what they collect straight into the running snapshot. Once the
// snapshot is collected, the scan plans its evaluation into shards
// (PlanEval) and the workers evaluate them with the scan's own catalog,
// which travels through the database (NewCatalog), writing the findings
// into the snapshot.
//
// The queue is River's (riverqueue/river, tables created by its own
// migrations through rivermigrate); the only thing added to it is a
// liveness signal: each worker's database session holds an advisory lock
// for as long as the worker lives, so that the scan can hand a dead
// worker's running job to another worker within a poll interval instead of
// waiting for River's stuck-job rescuer (which runs every 30 s and must
// wait for the longest job a healthy worker might run). See
// docs/distributed.md.
package dist

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"cloudward/internal/collect"
)

// Queue is the River queue collection jobs are enqueued in.
const Queue = "cloudward_collect"

// JobKind is the River job kind of a collection job.
const JobKind = "cloudward_collect"

// Advisory lock classes (first key of pg_advisory_lock(int, int)); they
// continue the store's "cw" classes (0x6377_0001 and 0x6377_0002).
const (
	lockMigrate = 0x6377_0003 // second key 0: River's migrations
	lockWorker  = 0x6377_0004 // second key: hash of a worker's River client ID
)

// CollectArgs is a collection job as River stores it: which snapshot the
// rows go to, and the collector's job. It holds no credentials.
type CollectArgs struct {
	Snapshot int64       `json:"snapshot"`
	Job      collect.Job `json:"job"`
}

// Kind implements river.JobArgs.
func (CollectArgs) Kind() string { return JobKind }

// Migrate applies River's pending migrations (rivermigrate, line "main"),
// then creates this package's table of evaluation catalogs unless it
// exists, while holding an advisory lock, so that a scan and workers
// starting at once migrate once and wait for each other. (River's migrations cannot
// share one transaction: a later one uses an enum value an earlier one
// adds.)
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, 0)`, lockMigrate); err != nil {
		return fmt.Errorf("job queue migrations: lock: %w", err)
	}
	defer func() {
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, 0)`, lockMigrate); uerr != nil && err == nil {
			err = fmt.Errorf("job queue migrations: unlock: %w", uerr)
		}
	}()
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("applied job queue migration", "version", v.Version, "name", v.Name)
	}
	// This package's own table, under the same lock.
	if _, err := conn.Exec(ctx, catalogTable); err != nil {
		return fmt.Errorf("job queue migrations: evaluation catalogs: %w", err)
	}
	return nil
}

// workerKey folds a River client ID into the second key of its liveness
// lock. Two IDs may share a key: then a dead worker looks alive and its
// job waits for River's own rescuer, never the other way round.
func workerKey(clientID string) int32 {
	h := fnv.New32a()
	h.Write([]byte(clientID))
	return int32(h.Sum32())
}
