package cli

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"cloudward/internal/collect"
	"cloudward/internal/dist"
	"cloudward/internal/resource"
	"cloudward/internal/store/postgres"
)

type workerFlags struct {
	db              string
	providers       []string
	jobs            []string
	concurrency     int
	evalConcurrency int
	jobTimeout      time.Duration
	poll            time.Duration
	id              string
}

// Values of worker --jobs.
const (
	jobsCollect  = "collect"
	jobsEvaluate = "evaluate"
)

// planningFlags are provider flags that only the scan uses (they decide
// what is planned); a worker runs the jobs it is given and hides them.
var planningFlags = []string{"aws-regions", "aws-org",
	"gcp-project", "gcp-folder", "gcp-org", "gcp-vertex-locations", "gcp-projects-at-once",
	"do-spaces-regions", "azure-subscription"}

// workerCollectorCLI is a providerCLI whose collector is built differently
// for a worker, e.g. without the scope a scan must name (the jobs carry it).
type workerCollectorCLI interface {
	WorkerCollector(ctx context.Context, log *slog.Logger) (collect.Collector, error)
}

// workerCollector builds a provider's collector for a worker.
func workerCollector(ctx context.Context, p providerCLI, log *slog.Logger) (collect.Collector, error) {
	if w, ok := p.(workerCollectorCLI); ok {
		return w.WorkerCollector(ctx, log)
	}
	return p.Collector(ctx, log)
}

func newWorkerCmd(e *env) *cobra.Command {
	var f workerFlags
	providers := providerCLIs()
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run collection and evaluation jobs of distributed scans (scan --distributed) from a PostgreSQL job queue",
		Long: `worker takes the jobs that ` + "`scan --distributed`" + ` queued in the --db PostgreSQL
database and runs them:

- collection jobs, with this machine's own cloud credentials (the standard
  credential chains and the provider flags below; the queue carries scopes,
  never credentials), for the clouds named with --provider;
- evaluation jobs, once a scan's snapshot is collected: a shard of the
  snapshot evaluated with the scan's own checks, company rules and mutes,
  which travel through the database (the worker's filesystem and built-in
  checks play no part). They need no cloud credentials, and a worker runs
  them whatever its --provider.

Each job's rows (resources, or findings) are written to the running
snapshot in the same transaction that marks the job done, so a worker that
dies mid-job leaves nothing behind and the job runs again on another worker.

Run any number of workers, on any machines that reach the database; stop
one with Ctrl-C or SIGTERM: it finishes its running jobs first.`,
		Example: `  cloudward worker --db postgres://cloudward@db.internal/cloudward --provider aws
  cloudward worker --db "$CLOUDWARD_DB" --provider aws --aws-role-name SecurityAudit --concurrency 8
  cloudward worker --db "$CLOUDWARD_DB" --jobs evaluate    # no cloud credentials needed`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWorker(cmd.Context(), e, f, providers)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "PostgreSQL database of the scans and their job queue (postgres://…)")
	fl.StringSliceVar(&f.providers, "provider", []string{"aws"}, "clouds this worker collects, comma-separated (those that can be distributed: aws, gcp, digitalocean, azure); ignored with --jobs evaluate")
	fl.StringSliceVar(&f.jobs, "jobs", []string{jobsCollect, jobsEvaluate}, "which jobs this worker runs, comma-separated: "+jobsCollect+", "+jobsEvaluate)
	for _, p := range providers {
		p.AddFlags(fl)
	}
	for _, name := range planningFlags {
		if fl.Lookup(name) != nil {
			_ = fl.MarkHidden(name)
		}
	}
	fl.IntVar(&f.concurrency, "concurrency", dist.DefaultConcurrency, "collection jobs run at once")
	fl.IntVar(&f.evalConcurrency, "eval-concurrency", 1, "evaluation jobs run at once (each already evaluates on every CPU)")
	fl.DurationVar(&f.jobTimeout, "job-timeout", dist.DefaultJobTimeout, "cancel a job that runs longer than this")
	fl.DurationVar(&f.poll, "poll-interval", time.Second, "how often to look for jobs when none was announced")
	fl.StringVar(&f.id, "id", "", "this worker's name in the queue, unique among live workers (default: cloudward-<host>-<pid>-<random>)")
	return cmd
}

func runWorker(ctx context.Context, e *env, f workerFlags, providers []providerCLI) error {
	switch {
	case f.db == "":
		return usagef("--db is required: the PostgreSQL database the scans use (postgres://…)")
	case !postgres.IsDSN(f.db):
		return usagef("--db must be a PostgreSQL URL (postgres://…): workers share the scans' database")
	case f.concurrency < 1:
		return usagef("--concurrency must be at least 1")
	case f.evalConcurrency < 1:
		return usagef("--eval-concurrency must be at least 1")
	case f.jobTimeout <= 0:
		return usagef("--job-timeout must be positive")
	case f.poll <= 0:
		return usagef("--poll-interval must be positive")
	}
	var collectJobs, evalJobs bool
	for _, j := range f.jobs {
		switch j {
		case jobsCollect:
			collectJobs = true
		case jobsEvaluate:
			evalJobs = true
		default:
			return usagef("--jobs %q: want %s or %s", j, jobsCollect, jobsEvaluate)
		}
	}
	if !collectJobs && !evalJobs {
		return usagef("--jobs: name %s, %s or both", jobsCollect, jobsEvaluate)
	}
	if collectJobs && len(f.providers) == 0 {
		return usagef("--provider: name at least one cloud (or run --jobs %s only)", jobsEvaluate)
	}
	var planners []collect.Planner
	for _, name := range f.providers {
		if !collectJobs {
			break
		}
		i := slices.IndexFunc(providers, func(p providerCLI) bool { return string(p.Provider()) == name })
		if i < 0 {
			var have []string
			for _, p := range providers {
				have = append(have, string(p.Provider()))
			}
			return usagef("--provider %q: no collector for it (available: %s)", name, strings.Join(have, ", "))
		}
		c, err := workerCollector(ctx, providers[i], e.log)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		p, ok := c.(collect.Planner)
		if !ok {
			return usagef("--provider %s: its collector cannot run distributed jobs yet", name)
		}
		planners = append(planners, p)
	}
	var reg *resource.Registry
	if evalJobs {
		var err error
		if reg, err = registry(); err != nil {
			return err
		}
	}
	// Evaluation jobs read the snapshot while they evaluate: a connection
	// per running job, on top of the store's own.
	st, err := postgres.Open(ctx, f.db, postgres.Options{Logger: e.log, MaxConns: int32(2 + f.evalConcurrency)})
	if err != nil {
		return fmt.Errorf("open store %s: %w", displayDB(f.db), err)
	}
	defer st.Close()
	// Each running job holds a connection while it writes; River needs a
	// few of its own (fetching, LISTEN, leadership, maintenance), and the
	// liveness session one.
	pool, err := openQueuePool(ctx, f.db, int32(f.concurrency+f.evalConcurrency+6))
	if err != nil {
		return err
	}
	defer pool.Close()
	if f.id == "" {
		f.id = dist.DefaultWorkerID()
	}
	fmt.Fprintf(e.stderr, "cloudward worker %s: running %s jobs from %s (Ctrl-C to stop)\n", f.id, strings.Join(f.jobs, " and "), displayDB(f.db))
	return dist.RunWorker(ctx, pool, st, dist.WorkerOptions{
		Planners: planners, Registry: reg, Concurrency: f.concurrency, EvalConcurrency: f.evalConcurrency,
		JobTimeout: f.jobTimeout, FetchPollInterval: f.poll, ID: f.id, Logger: e.log,
	})
}
