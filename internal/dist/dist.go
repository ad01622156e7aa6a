// Package dist runs collection across processes: a distributed scan plans
// its collection into jobs (collect.Planner), enqueues them in River, a job
// queue in the scan's PostgreSQL database, and any number of worker
// processes, wherever they run, execute them with their own credentials and
// write what they collect straight into the running snapshot.
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

	"github.com/jackc/pgx/v5"
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

// Migrate applies River's pending migrations (rivermigrate, line "main") in
// one transaction holding an advisory lock, so that a scan and workers
// starting at once migrate once and wait for each other.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockMigrate); err != nil {
			return fmt.Errorf("job queue migrations: lock: %w", err)
		}
		res, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil)
		if err != nil {
			return fmt.Errorf("job queue migrations: %w", err)
		}
		for _, v := range res.Versions {
			log.Info("applied job queue migration", "version", v.Version, "name", v.Name)
		}
		return nil
	})
}

// workerKey folds a River client ID into the second key of its liveness
// lock. Two IDs may share a key: then a dead worker looks alive and its
// job waits for River's own rescuer, never the other way round.
func workerKey(clientID string) int32 {
	h := fnv.New32a()
	h.Write([]byte(clientID))
	return int32(h.Sum32())
}
