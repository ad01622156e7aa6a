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
	"cloudward/internal/store/postgres"
)

type workerFlags struct {
	db          string
	providers   []string
	concurrency int
	jobTimeout  time.Duration
	poll        time.Duration
	id          string
}

// planningFlags are provider flags that only the scan uses (they decide
// what is planned); a worker runs the jobs it is given and hides them.
var planningFlags = []string{"aws-regions", "aws-org",
	"gcp-project", "gcp-folder", "gcp-org", "gcp-vertex-locations", "gcp-projects-at-once"}

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
		Short: "Run collection jobs of distributed scans (scan --distributed) from a PostgreSQL job queue",
		Long: `worker takes collection jobs that ` + "`scan --distributed`" + ` queued in the --db
PostgreSQL database and runs them with this machine's own cloud credentials
(the standard credential chains and the provider flags below; the queue
carries scopes, never credentials). Each job's resources are written to the
running snapshot in the same transaction that marks the job done, so a
worker that dies mid-job leaves nothing behind and the job runs again on
another worker.

Run any number of workers, on any machines that reach the database; stop
one with Ctrl-C or SIGTERM: it finishes its running jobs first.`,
		Example: `  cloudward worker --db postgres://cloudward@db.internal/cloudward --provider aws
  cloudward worker --db "$CLOUDWARD_DB" --provider aws --aws-role-name SecurityAudit --concurrency 8`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWorker(cmd.Context(), e, f, providers)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "PostgreSQL database of the scans and their job queue (postgres://…)")
	fl.StringSliceVar(&f.providers, "provider", []string{"aws"}, "clouds this worker collects, comma-separated (those that can be distributed: aws)")
	for _, p := range providers {
		p.AddFlags(fl)
	}
	for _, name := range planningFlags {
		if fl.Lookup(name) != nil {
			_ = fl.MarkHidden(name)
		}
	}
	fl.IntVar(&f.concurrency, "concurrency", dist.DefaultConcurrency, "jobs run at once")
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
	case f.jobTimeout <= 0:
		return usagef("--job-timeout must be positive")
	case f.poll <= 0:
		return usagef("--poll-interval must be positive")
	case len(f.providers) == 0:
		return usagef("--provider: name at least one cloud")
	}
	var planners []collect.Planner
	for _, name := range f.providers {
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
	st, err := postgres.Open(ctx, f.db, postgres.Options{Logger: e.log, MaxConns: 2})
	if err != nil {
		return fmt.Errorf("open store %s: %w", displayDB(f.db), err)
	}
	defer st.Close()
	// Each running job holds a connection while it writes; River needs a
	// few of its own (fetching, LISTEN, leadership, maintenance), and the
	// liveness session one.
	pool, err := openQueuePool(ctx, f.db, int32(f.concurrency+6))
	if err != nil {
		return err
	}
	defer pool.Close()
	if f.id == "" {
		f.id = dist.DefaultWorkerID()
	}
	fmt.Fprintf(e.stderr, "cloudward worker %s: running jobs from %s, %d at once (Ctrl-C to stop)\n", f.id, displayDB(f.db), f.concurrency)
	return dist.RunWorker(ctx, pool, st, dist.WorkerOptions{
		Planners: planners, Concurrency: f.concurrency, JobTimeout: f.jobTimeout,
		FetchPollInterval: f.poll, ID: f.id, Logger: e.log,
	})
}
