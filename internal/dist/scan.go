package dist

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"cloudward/internal/collect"
)

// Scan defaults.
const (
	// DefaultMaxAttempts is how many times a job runs before it is given up
	// and recorded as a collection error.
	DefaultMaxAttempts = 3
	// DefaultPollInterval is how often Wait reads the jobs' states.
	DefaultPollInterval = 500 * time.Millisecond
	// idleWarning is how long Wait waits without any job finishing before
	// it warns that no worker seems to be running.
	idleWarning = time.Minute
)

// ScanOptions configure the scan side of a distributed collection.
type ScanOptions struct {
	// MaxAttempts is each job's attempt limit (default DefaultMaxAttempts).
	MaxAttempts int
	// PollInterval is how often Wait reads progress and looks for jobs
	// held by dead workers (default DefaultPollInterval).
	PollInterval time.Duration
	// Progress, when set, is told how many jobs finished since the last
	// call (completed, given up or cancelled).
	Progress func(finished int64)
	// Logger receives progress and diagnostics; nil discards them.
	Logger *slog.Logger
}

// Scan enqueues one snapshot's jobs and waits for them.
type Scan struct {
	pool     *pgxpool.Pool
	client   *river.Client[pgx.Tx]
	snapshot int64
	opts     ScanOptions
	log      *slog.Logger
}

// NewScan prepares the distributed collection of snapshot, a running
// snapshot this process owns. It applies River's migrations.
func NewScan(ctx context.Context, pool *pgxpool.Pool, snapshot int64, opts ScanOptions) (*Scan, error) {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := Migrate(ctx, pool, log); err != nil {
		return nil, err
	}
	// An insert-only client: it is never started, so it works no job and
	// takes no part in River's leader election.
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: log, SkipUnknownJobCheck: true})
	if err != nil {
		return nil, fmt.Errorf("job queue client: %w", err)
	}
	return &Scan{pool: pool, client: client, snapshot: snapshot, opts: opts, log: log}, nil
}

// Enqueue inserts every job in one transaction (River's InsertMany): a
// scan's plan is queued whole or not at all.
func (s *Scan) Enqueue(ctx context.Context, jobs []collect.Job) error {
	if len(jobs) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		params[i] = river.InsertManyParams{
			Args:       CollectArgs{Snapshot: s.snapshot, Job: j},
			InsertOpts: &river.InsertOpts{Queue: Queue, MaxAttempts: s.opts.MaxAttempts},
		}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := s.client.InsertManyFastTx(ctx, tx, params)
		return err
	})
	if err != nil {
		return fmt.Errorf("enqueue %d jobs of snapshot %d: %w", len(jobs), s.snapshot, err)
	}
	s.log.Info("distributed scan: jobs enqueued", "snapshot", s.snapshot, "jobs", len(jobs))
	return nil
}

// listParams selects the snapshot's jobs of one kind through River's GIN
// index on args.
func (s *Scan) listParams(kind string, states ...rivertype.JobState) *river.JobListParams {
	filter, _ := json.Marshal(map[string]int64{"snapshot": s.snapshot})
	return river.NewJobListParams().Kinds(kind).States(states...).First(10000).
		Where("args @> @filter::jsonb", river.NamedArgs{"filter": string(filter)})
}

// unfinished are the states of a job that may still run.
var unfinished = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// Wait returns once every collection job of the snapshot has finished.
// Meanwhile it reports progress and hands the jobs of workers that died
// (their liveness session is gone) back to the queue, or gives them up once
// they have used their attempts. It returns a collection error for every
// job given up or cancelled, naming the job's scope and its last error.
func (s *Scan) Wait(ctx context.Context) ([]collect.Error, error) {
	if err := s.wait(ctx, JobKind); err != nil {
		return nil, err
	}
	return s.failures(ctx)
}

// wait returns once every job of kind of the snapshot has finished,
// reporting progress and handing dead workers' jobs back meanwhile.
func (s *Scan) wait(ctx context.Context, kind string) error {
	t := time.NewTicker(s.opts.PollInterval)
	defer t.Stop()
	var lastFinished int64
	lastProgress := time.Now()
	warned := false
	for {
		counts, err := s.counts(ctx, kind)
		if err != nil {
			return err
		}
		var left, finished int64
		for state, n := range counts {
			if slices.Contains(unfinished, state) {
				left += n
			} else {
				finished += n
			}
		}
		if finished > lastFinished && s.opts.Progress != nil {
			s.opts.Progress(finished - lastFinished)
		}
		if finished != lastFinished {
			lastFinished, lastProgress, warned = finished, time.Now(), false
		} else if !warned && time.Since(lastProgress) > idleWarning {
			s.log.Warn("distributed scan: no job finished for a minute: is a `cloudward worker` running against this database?",
				"snapshot", s.snapshot, "jobs_left", left, "running", counts[rivertype.JobStateRunning])
			warned = true
		}
		if left == 0 {
			return nil
		}
		if counts[rivertype.JobStateRunning] > 0 {
			if err := s.rescueDead(ctx, kind); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// counts returns how many of the snapshot's jobs of kind are in each
// state. It is the one statement that reads River's table directly:
// River's API lists jobs but does not count them, and a scan may have
// hundreds of thousands.
func (s *Scan) counts(ctx context.Context, kind string) (map[rivertype.JobState]int64, error) {
	filter, _ := json.Marshal(map[string]int64{"snapshot": s.snapshot})
	rows, err := s.pool.Query(ctx, `SELECT state::text, count(*) FROM river_job
		WHERE kind = $1 AND args @> $2::jsonb GROUP BY state`, kind, string(filter))
	if err != nil {
		return nil, fmt.Errorf("read job states of snapshot %d: %w", s.snapshot, err)
	}
	out := map[rivertype.JobState]int64{}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read job states of snapshot %d: %w", s.snapshot, err)
		}
		out[rivertype.JobState(state)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read job states of snapshot %d: %w", s.snapshot, err)
	}
	return out, nil
}

// rescueDead finds running jobs whose worker's liveness lock is free (the
// worker is dead) and makes them available again, or discards them when
// they have used their attempts, through River's own rescue operation.
func (s *Scan) rescueDead(ctx context.Context, kind string) error {
	res, err := s.client.JobList(ctx, s.listParams(kind, rivertype.JobStateRunning))
	if err != nil {
		return fmt.Errorf("list running jobs of snapshot %d: %w", s.snapshot, err)
	}
	dead := map[string]bool{}
	now := time.Now().UTC()
	params := &riverdriver.JobRescueManyParams{StuckHorizon: now}
	for _, j := range res.Jobs {
		if len(j.AttemptedBy) == 0 {
			continue
		}
		by := j.AttemptedBy[len(j.AttemptedBy)-1]
		isDead, seen := dead[by]
		if !seen {
			if isDead, err = s.workerDead(ctx, by); err != nil {
				return err
			}
			dead[by] = isDead
		}
		if !isDead {
			continue
		}
		state, finalized := rivertype.JobStateAvailable, (*time.Time)(nil)
		if j.Attempt >= j.MaxAttempts {
			state, finalized = rivertype.JobStateDiscarded, &now
		}
		msg, _ := json.Marshal(rivertype.AttemptError{At: now, Attempt: j.Attempt,
			Error: fmt.Sprintf("worker %s died while running the job (its database session ended)", by)})
		params.ID = append(params.ID, j.ID)
		params.Error = append(params.Error, msg)
		params.FinalizedAt = append(params.FinalizedAt, finalized)
		// Keep the job's place in the queue: it was due long ago.
		params.ScheduledAt = append(params.ScheduledAt, j.ScheduledAt)
		params.State = append(params.State, string(state))
		s.log.Warn("distributed scan: worker died mid-job; job handed back to the queue",
			"snapshot", s.snapshot, "worker", by, "job", j.ID, "attempt", j.Attempt, "state", state)
	}
	if len(params.ID) == 0 {
		return nil
	}
	if _, err := s.client.Driver().GetExecutor().JobRescueMany(ctx, params); err != nil {
		return fmt.Errorf("hand back jobs of dead workers: %w", err)
	}
	return nil
}

// workerDead reports whether no session holds the liveness lock of the
// worker with River client ID id.
func (s *Scan) workerDead(ctx context.Context, id string) (bool, error) {
	var free bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1, $2)`, lockWorker, workerKey(id)).Scan(&free)
	})
	if err != nil {
		return false, fmt.Errorf("check worker %s: %w", id, err)
	}
	return free, nil
}

// failures turns the snapshot's discarded and cancelled jobs into
// collection errors.
func (s *Scan) failures(ctx context.Context) ([]collect.Error, error) {
	var out []collect.Error
	params := s.listParams(JobKind, rivertype.JobStateDiscarded, rivertype.JobStateCancelled).OrderBy(river.JobListOrderByID, river.SortOrderAsc)
	for {
		res, err := s.client.JobList(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("list failed jobs of snapshot %d: %w", s.snapshot, err)
		}
		for _, j := range res.Jobs {
			var a CollectArgs
			if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
				return nil, fmt.Errorf("job %d of snapshot %d: decode: %w", j.ID, s.snapshot, err)
			}
			last := "no error recorded"
			if n := len(j.Errors); n > 0 {
				last = j.Errors[n-1].Error
			}
			what := fmt.Sprintf("gave up after %d attempts", j.Attempt)
			if j.State == rivertype.JobStateCancelled {
				what = "cancelled"
			}
			sc := a.Job.Scope()
			out = append(out, collect.Error{Provider: sc.Provider, Account: sc.Account, Region: sc.Region,
				Service: sc.Service, Op: "collect", Kind: collect.Other,
				Message: fmt.Sprintf("distributed job %s %s: %s", a.Job, what, strings.TrimSpace(last))})
		}
		if len(res.Jobs) < 10000 {
			return out, nil
		}
		params = params.After(res.LastCursor)
	}
}

// Abandon deletes the snapshot's jobs (collection and evaluation) that
// have not started, when the scan gives up (interrupted, or failed).
// Running jobs stop at their worker's write, which finds the snapshot no
// longer running and cancels the job.
func (s *Scan) Abandon(ctx context.Context) error {
	filter, _ := json.Marshal(map[string]int64{"snapshot": s.snapshot})
	params := river.NewJobDeleteManyParams().Kinds(JobKind, EvalJobKind).First(10000).
		States(rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateScheduled).
		Where("args @> @filter::jsonb", river.NamedArgs{"filter": string(filter)})
	for {
		res, err := s.client.JobDeleteMany(ctx, params)
		if err != nil {
			return fmt.Errorf("delete the jobs of snapshot %d: %w", s.snapshot, err)
		}
		if len(res.Jobs) == 0 {
			return nil
		}
	}
}
