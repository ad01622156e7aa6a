package dist

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
	"cloudward/internal/store/postgres"
)

// Worker defaults.
const (
	DefaultConcurrency = 4
	DefaultJobTimeout  = 30 * time.Minute
	// rescueMargin is added to the job timeout for River's own stuck-job
	// rescue, the backstop behind the liveness check.
	rescueMargin = 5 * time.Minute
	// livenessInterval is how often a worker checks that its liveness
	// session is still there.
	livenessInterval = 2 * time.Second
)

// WorkerOptions configure a worker process.
type WorkerOptions struct {
	// Planners run the collection jobs, one per provider this worker can
	// collect (each built from the worker's own credentials and flags).
	// Without planners the worker runs no collection job.
	Planners []collect.Planner
	// Registry, when set, makes the worker run evaluation jobs too (of
	// any provider's snapshot: they need no credentials): the kinds the
	// scans' catalogs are compiled against.
	Registry *resource.Registry
	// Concurrency is the number of collection jobs run at once (default
	// DefaultConcurrency).
	Concurrency int
	// EvalConcurrency is the number of evaluation jobs run at once
	// (default 1: each job already evaluates on every CPU, EvalWorkers).
	EvalConcurrency int
	// EvalWorkers bounds the parallel evaluation inside one evaluation job
	// (default GOMAXPROCS).
	EvalWorkers int
	// BeforeEval, when set, is called before each evaluation attempt; an
	// error fails the attempt (tests inject failures with it).
	BeforeEval EvalHook
	// JobTimeout cancels a job that runs longer (default DefaultJobTimeout).
	// River's stuck-job rescue, the backstop when a worker's death is not
	// seen, waits JobTimeout plus five minutes.
	JobTimeout time.Duration
	// FetchPollInterval is how often the worker looks for jobs when
	// PostgreSQL's LISTEN/NOTIFY has not told it of any (default 1 s).
	FetchPollInterval time.Duration
	// ID names the worker in the queue (River's client ID); default
	// cloudward-<host>-<pid>-<random>. It must be unique among live workers.
	ID string
	// Logger receives progress and diagnostics; nil discards them.
	Logger *slog.Logger
}

// RunWorker runs collection jobs (with Planners) and evaluation jobs (with
// a Registry) from the queue until ctx ends, then stops taking jobs and
// waits for the running ones to finish. It returns an
// error when the queue cannot be started, or when the worker's liveness
// session is lost (other processes may then hand its jobs to other
// workers, so it must not go on).
//
// Each job's rows (resources, edges and collection errors, or findings)
// are buffered in memory and written to the snapshot in one transaction
// that also marks the job complete in River: a worker killed mid-job
// leaves nothing written and the job runs again elsewhere.
func RunWorker(ctx context.Context, pool *pgxpool.Pool, st *postgres.Store, opts WorkerOptions) error {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(opts.Planners) == 0 && opts.Registry == nil {
		return errors.New("worker: no collector configured and evaluation off: nothing to run")
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.EvalConcurrency <= 0 {
		opts.EvalConcurrency = 1
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = DefaultJobTimeout
	}
	if opts.FetchPollInterval <= 0 {
		opts.FetchPollInterval = time.Second
	}
	if opts.ID == "" {
		opts.ID = DefaultWorkerID()
	}
	if err := Migrate(ctx, pool, log); err != nil {
		return err
	}

	// The liveness session: an advisory lock held on a connection of its
	// own for the worker's lifetime. PostgreSQL drops it the moment the
	// process dies, however it dies.
	live, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("worker %s: liveness session: %w", opts.ID, err)
	}
	defer live.Release()
	var got bool
	if err := live.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockWorker, workerKey(opts.ID)).Scan(&got); err != nil {
		return fmt.Errorf("worker %s: liveness lock: %w", opts.ID, err)
	}
	if !got {
		return fmt.Errorf("worker %s: another live worker has the same ID (or the same lock key): choose another --id", opts.ID)
	}
	defer func() {
		// Hand the connection back without the lock; a broken one is
		// closed by the pool.
		_, _ = live.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, $2)`, lockWorker, workerKey(opts.ID))
	}()

	planners := map[resource.Provider]collect.Planner{}
	for _, p := range opts.Planners {
		planners[resource.Provider(p.Name())] = p
	}
	workers := river.NewWorkers()
	queues := map[string]river.QueueConfig{}
	if len(planners) > 0 {
		if err := river.AddWorkerSafely(workers, &collectWorker{pool: pool, st: st, planners: planners, log: log, id: opts.ID}); err != nil {
			return fmt.Errorf("worker: %w", err)
		}
		queues[Queue] = river.QueueConfig{MaxWorkers: opts.Concurrency}
	}
	if opts.Registry != nil {
		ew := &evalWorker{pool: pool, st: st, cache: newCatalogCache(pool, opts.Registry), workers: opts.EvalWorkers,
			hook: opts.BeforeEval, log: log, id: opts.ID}
		if err := river.AddWorkerSafely(workers, ew); err != nil {
			return fmt.Errorf("worker: %w", err)
		}
		queues[EvalQueue] = river.QueueConfig{MaxWorkers: opts.EvalConcurrency}
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		ID:                   opts.ID,
		Logger:               log,
		Queues:               queues,
		Workers:              workers,
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.JobTimeout + rescueMargin,
		FetchPollInterval:    opts.FetchPollInterval,
		FetchCooldown:        min(opts.FetchPollInterval, river.FetchCooldownDefault),
		RetryPolicy:          retryPolicy{},
		// Ending ctx (Ctrl-C, SIGTERM) stops fetching and lets the
		// running jobs finish, for at most a job's timeout; losing the
		// liveness session cancels them at once (StopAndCancel below).
		SoftStopTimeout: opts.JobTimeout,
		// Finished jobs are the scan's record of what ran: keep them a
		// week, like discarded ones.
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		CancelledJobRetentionPeriod: 7 * 24 * time.Hour,
	})
	if err != nil {
		return fmt.Errorf("worker: job queue client: %w", err)
	}
	// The client stops when runCtx ends: on ctx, or when liveness is lost.
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if err := client.Start(runCtx); err != nil {
		return fmt.Errorf("worker %s: start: %w", opts.ID, err)
	}
	log.Info("worker started", "id", opts.ID, "collect", len(planners) > 0, "concurrency", opts.Concurrency,
		"evaluate", opts.Registry != nil, "eval_concurrency", opts.EvalConcurrency)
	pinger := make(chan struct{})
	go func() {
		defer close(pinger)
		t := time.NewTicker(livenessInterval)
		defer t.Stop()
		for {
			select {
			case <-runCtx.Done():
				return
			case <-t.C:
				if err := live.Ping(runCtx); err != nil && runCtx.Err() == nil {
					cancel(fmt.Errorf("worker %s: liveness session lost: %w", opts.ID, err))
					// Its jobs may already be handed to other workers:
					// stop them now rather than let them finish.
					_ = client.StopAndCancel(context.WithoutCancel(ctx))
					return
				}
			}
		}
	}()
	<-client.Stopped()
	cause := context.Cause(runCtx)
	cancel(nil)
	<-pinger // the liveness connection is free for the unlock
	log.Info("worker stopped", "id", opts.ID)
	if cause != nil && ctx.Err() == nil {
		return cause
	}
	return nil
}

// DefaultWorkerID returns a new worker ID: cloudward-<host>-<pid>-<random>.
func DefaultWorkerID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("cloudward-%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// retryPolicy retries a failed job after 1, 2, 4… seconds, at most a
// minute: collection errors of the cloud are recorded, not retried, so a
// failed job means an unusual failure (database, worker) that a prompt
// retry on another worker is likely to get past.
type retryPolicy struct{}

func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	d := time.Minute
	if n := len(job.Errors); n < 6 {
		d = time.Second << n
	}
	return time.Now().Add(d)
}

// collectWorker runs one collection job.
type collectWorker struct {
	river.WorkerDefaults[CollectArgs]
	pool     *pgxpool.Pool
	st       *postgres.Store
	planners map[resource.Provider]collect.Planner
	log      *slog.Logger
	id       string
}

// Work collects the job into memory, then writes its rows and completes the
// job in one transaction.
func (w *collectWorker) Work(ctx context.Context, job *river.Job[CollectArgs]) error {
	a := job.Args
	p, ok := w.planners[a.Job.Provider]
	if !ok {
		return fmt.Errorf("worker %s has no %s collector configured", w.id, a.Job.Provider)
	}
	t0 := time.Now()
	rows := w.st.JobRows(a.Snapshot)
	if err := p.RunJob(ctx, a.Job, rows); err != nil {
		return fmt.Errorf("collect %s: %w", a.Job, err)
	}
	err := pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		if err := rows.WriteTx(ctx, tx); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if errors.Is(err, postgres.ErrNotRunning) {
		// The scan is over (failed or interrupted): nothing to retry.
		return river.JobCancel(err)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", a.Job, err)
	}
	nr, ne, nx := rows.Len()
	w.log.Debug("job done", "snapshot", a.Snapshot, "provider", a.Job.Provider, "account", a.Job.Account,
		"region", a.Job.Region, "service", a.Job.Service, "resources", nr, "edges", ne, "errors", nx,
		"attempt", job.Attempt, "elapsed", time.Since(t0).Round(time.Millisecond))
	return nil
}
