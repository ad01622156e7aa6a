package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"

	"cloudward/internal/collect"
	"cloudward/internal/dist"
	"cloudward/internal/report"
	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
)

// scanDistributedFlags are the flags of `scan --distributed`.
type scanDistributedFlags struct {
	enabled     bool
	maxAttempts int
	// eval is where the checks run: evalOnWorkers or evalLocal.
	eval      string
	shardSize int64
}

func addScanDistributedFlags(fl *pflag.FlagSet, f *scanDistributedFlags) {
	fl.BoolVar(&f.enabled, "distributed", false, "plan the collection into (account, region, service) jobs, queue them in the --db PostgreSQL database and let `cloudward worker` processes collect them, then evaluate the snapshot on the workers too (see --distributed-eval); reports run here")
	fl.IntVar(&f.maxAttempts, "distributed-attempts", dist.DefaultMaxAttempts, "with --distributed, attempts per job before it is given up (a collection job: recorded as a collection error; an evaluation job: the scan fails)")
	fl.StringVar(&f.eval, "distributed-eval", evalOnWorkers, "with --distributed, where the checks run once the snapshot is collected: "+evalOnWorkers+" (evaluation jobs of about --distributed-shard-size resources, with this scan's checks, company rules and mutes) or "+evalLocal+" (in this process)")
	fl.Int64Var(&f.shardSize, "distributed-shard-size", dist.DefaultShardSize, "with --distributed-eval "+evalOnWorkers+", resources per evaluation job (kinds with more are split by account, then region)")
}

// distributedScan is the collection side of `scan --distributed`: the
// pipeline's remote collection, and the pool it runs on.
type distributedScan struct {
	pool     *pgxpool.Pool
	planners []collect.Planner
	attempts int
	progress *report.Progress
	log      *slog.Logger
	// eval is nil when the checks run in this process
	// (--distributed-eval local).
	eval *distributedEval
	// scan is the queue side of the snapshot's jobs, once collect has
	// queued them.
	scan *dist.Scan
}

// newDistributedScan checks that a distributed scan can run (a PostgreSQL
// store, collectors that can plan jobs) and connects to the queue. Close
// it when the scan is done.
func newDistributedScan(ctx context.Context, f scanDistributedFlags, demo bool, dsn string, cols []collect.Collector,
	prog *report.Progress, log *slog.Logger) (*distributedScan, error) {
	switch {
	case demo:
		return nil, usagef("--distributed collects clouds named with --provider; the demo estate is generated in this process")
	case !postgres.IsDSN(dsn):
		return nil, usagef("--distributed needs a PostgreSQL --db (postgres://…): the job queue and the workers share it")
	case f.maxAttempts < 1:
		return nil, usagef("--distributed-attempts must be at least 1")
	case f.eval != evalOnWorkers && f.eval != evalLocal:
		return nil, usagef("--distributed-eval %q: want %s or %s", f.eval, evalOnWorkers, evalLocal)
	case f.shardSize < 1:
		return nil, usagef("--distributed-shard-size must be at least 1")
	}
	d := &distributedScan{attempts: f.maxAttempts, progress: prog, log: log}
	if f.eval == evalOnWorkers {
		d.eval = &distributedEval{d: d, shardSize: f.shardSize}
	}
	for _, c := range cols {
		p, ok := c.(collect.Planner)
		if !ok {
			return nil, usagef("--distributed: the %s collector cannot be split into jobs yet; scan it without --distributed", c.Name())
		}
		d.planners = append(d.planners, p)
	}
	pool, err := openQueuePool(ctx, dsn, 4)
	if err != nil {
		return nil, err
	}
	d.pool = pool
	return d, nil
}

// openQueuePool connects to the job queue's database with room for
// maxConns connections.
func openQueuePool(ctx context.Context, dsn string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the DSN, password included.
		return nil, errors.New("job queue: cannot parse the connection string")
	}
	cfg.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("job queue %s: %w", displayDB(dsn), err)
	}
	return pool, nil
}

// Close closes the queue's connections.
func (d *distributedScan) Close() { d.pool.Close() }

// collect plans the scan, queues its jobs, waits for the workers to run
// them and records the jobs given up as collection errors of snapshot w.
// If it fails or is interrupted, the jobs not yet started are deleted.
func (d *distributedScan) collect(ctx context.Context, w store.Writer) (err error) {
	scan, err := dist.NewScan(ctx, d.pool, w.ID(), dist.ScanOptions{
		MaxAttempts: d.attempts, Logger: d.log, Progress: d.progress.Add,
	})
	if err != nil {
		return err
	}
	d.scan = scan
	d.progress.Phase("planning", "", 0)
	t0 := time.Now()
	var jobs []collect.Job
	for _, p := range d.planners {
		js, err := p.Plan(ctx, w)
		if err != nil {
			return fmt.Errorf("%s: plan: %w", p.Name(), err)
		}
		jobs = append(jobs, js...)
	}
	d.log.Info("distributed scan planned", "snapshot", w.ID(), "jobs", len(jobs), "elapsed", time.Since(t0).Round(time.Millisecond))
	d.progress.Phase("collecting on workers", "jobs", int64(len(jobs)))
	if err := scan.Enqueue(ctx, jobs); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if aerr := scan.Abandon(context.WithoutCancel(ctx)); aerr != nil {
				err = errors.Join(err, aerr)
			}
		}
	}()
	failed, err := scan.Wait(ctx)
	if err != nil {
		return fmt.Errorf("wait for workers: %w", err)
	}
	for _, e := range failed {
		if err := w.Error(ctx, e); err != nil {
			return err
		}
	}
	d.log.Info("distributed collection done", "snapshot", w.ID(), "jobs", len(jobs), "given_up", len(failed),
		"elapsed", time.Since(t0).Round(time.Millisecond))
	return nil
}
