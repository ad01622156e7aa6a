package dist_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/checks"
	"cloudward/internal/collect/demo"
	"cloudward/internal/config"
	"cloudward/internal/dist"
	"cloudward/internal/evaluate"
	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
)

var (
	benchEvalSize        = flag.Int("eval-size", 5000, "demo estate size of BenchmarkEvalThroughput")
	benchEvalConcurrency = flag.Int("eval-concurrency", 1, "evaluation jobs each worker of BenchmarkEvalThroughput runs at once")
	benchEvalShardSize   = flag.Int64("eval-shard-size", dist.DefaultShardSize/10, "resources per evaluation job of BenchmarkEvalThroughput")
)

// evalMutes are mutes added to the demo's company rules: one that mutes,
// one stale, one expired.
const evalMutes = `mutes:
  - check: org-required-tags
    account: "1*"
    reason: tagged by a pipeline we trust
    owner: platform
  - check: aws-s3-bucket-versioning-enabled
    resource: "arn:aws:nothing:*"
    reason: nothing matches this any more
    owner: platform
  - check: "*"
    reason: long expired
    owner: platform
    expires: 2020-01-01
`

// evalSetup is a PostgreSQL store holding a collected demo snapshot, and
// the catalog a scan of it would use.
type evalSetup struct {
	st       *postgres.Store
	pool     *pgxpool.Pool
	reg      *resource.Registry
	snapshot store.Writer
	now      time.Time
	srcs     []policy.Source
	cfg      *config.Config
	checks   []*policy.Check
}

func newEvalSetup(tb testing.TB, ctx context.Context, size int) *evalSetup {
	tb.Helper()
	dsn := pg.NewDB(tb)
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	reg, err := resource.NewRegistry(demo.Kinds())
	if err != nil {
		tb.Fatal(err)
	}
	env, err := policy.NewEnv(reg)
	if err != nil {
		tb.Fatal(err)
	}
	srcs := []policy.Source{{FS: checks.FS(), Root: ".", Name: "checks", Trusted: true}}
	loaded, err := env.LoadChecks(srcs...)
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := config.Parse("demo cloudward.yaml", demo.Config)
	if err != nil {
		tb.Fatal(err)
	}
	mutes, err := config.Parse("mutes.yaml", []byte(evalMutes))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Mutes = append(cfg.Mutes, mutes.Mutes...)
	org, err := env.OrgChecks(cfg.Org)
	if err != nil {
		tb.Fatal(err)
	}
	all, err := policy.Combine(loaded, org)
	if err != nil {
		tb.Fatal(err)
	}
	if err := policy.ValidateMutes(all, cfg.Mutes); err != nil {
		tb.Fatal(err)
	}
	s := &evalSetup{st: st, pool: pool, reg: reg, now: demo.Epoch, srcs: srcs, cfg: cfg, checks: all}
	s.snapshot = s.collect(tb, ctx, size)
	return s
}

// collect writes a demo estate into a new running snapshot.
func (s *evalSetup) collect(tb testing.TB, ctx context.Context, size int) store.Writer {
	tb.Helper()
	w, err := s.st.Begin(ctx, "demo", s.now)
	if err != nil {
		tb.Fatal(err)
	}
	if err := demo.New(demo.Options{Seed: 1, Size: size, Now: s.now}).Collect(ctx, w); err != nil {
		tb.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		tb.Fatal(err)
	}
	return w
}

// local evaluates the snapshot in this process as a single-process scan
// evaluates a stored snapshot: the single-resource checks over every
// resource, the cross-resource ones over their kinds with their index.
func (s *evalSetup) local(ctx context.Context, snapshot int64) ([]finding.Finding, policy.Stats, []policy.MuteResult, error) {
	var out []finding.Finding
	st, mutes, err := s.localEmit(ctx, snapshot, func(fs []finding.Finding) error { out = append(out, fs...); return nil })
	return out, st, mutes, err
}

// localEmit is local with the findings handed to emit as the engine
// emits them.
func (s *evalSetup) localEmit(ctx context.Context, snapshot int64, emit func([]finding.Finding) error) (policy.Stats, []policy.MuteResult, error) {
	var single, cross []*policy.Check
	var crossKinds []string
	for _, c := range s.checks {
		if len(c.IndexKinds()) > 0 {
			cross = append(cross, c)
			crossKinds = append(crossKinds, c.Kinds...)
		} else {
			single = append(single, c)
		}
	}
	slices.Sort(crossKinds)
	opts := policy.EngineOptions{Now: s.now, Org: s.cfg.Org, Mutes: s.cfg.Mutes}
	var total policy.Stats
	var results [][]policy.MuteResult
	for _, part := range []struct {
		checks []*policy.Check
		filter store.ResourceFilter
	}{{single, store.ResourceFilter{}}, {cross, store.ResourceFilter{Kinds: slices.Compact(crossKinds)}}} {
		eng, err := policy.NewEngine(part.checks, opts)
		if err != nil {
			return total, nil, err
		}
		st, err := evaluate.Shard(ctx, s.st, snapshot, eng, []store.ResourceFilter{part.filter}, emit)
		if err != nil {
			return total, nil, err
		}
		total.Evaluations += st.Evaluations
		total.Skipped += st.Skipped
		total.Pass += st.Pass
		total.Fail += st.Fail
		total.Error += st.Error
		total.Muted += st.Muted
		results = append(results, eng.MuteResults())
	}
	mutes := slices.Clone(results[0])
	for i := range mutes {
		mutes[i].Muted += results[1][i].Muted
	}
	return total, mutes, nil
}

// runWorkers starts n in-process workers that only evaluate, and returns
// a function that stops them and reports their errors.
func (s *evalSetup) runWorkers(tb testing.TB, ctx context.Context, n int, hook dist.EvalHook) (stop func()) {
	wctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- dist.RunWorker(wctx, s.pool, s.st, dist.WorkerOptions{Registry: s.reg, FetchPollInterval: 20 * time.Millisecond,
				EvalConcurrency: *benchEvalConcurrency,
				ID:              fmt.Sprintf("eval-%d", i), BeforeEval: hook})
		}()
	}
	return func() {
		cancel()
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				tb.Errorf("worker: %v", err)
			}
		}
	}
}

// distributed plans, queues and waits for the evaluation of the snapshot.
func (s *evalSetup) distributed(ctx context.Context, snapshot int64, target int64) (dist.EvalResult, int, error) {
	scan, err := dist.NewScan(ctx, s.pool, snapshot, dist.ScanOptions{PollInterval: 20 * time.Millisecond, MaxAttempts: 2})
	if err != nil {
		return dist.EvalResult{}, 0, err
	}
	groups, err := s.st.ResourceGroups(ctx, snapshot)
	if err != nil {
		return dist.EvalResult{}, 0, err
	}
	cat, err := dist.NewCatalog(s.srcs, s.cfg.Org, s.cfg.Mutes, s.checks)
	if err != nil {
		return dist.EvalResult{}, 0, err
	}
	shards := dist.PlanEval(s.checks, groups, target)
	if err := scan.EnqueueEval(ctx, cat, s.now, shards); err != nil {
		return dist.EvalResult{}, 0, err
	}
	res, err := scan.WaitEval(ctx, len(s.cfg.Mutes))
	return res, len(shards), err
}

func findingLines(tb testing.TB, fs []finding.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		f.FirstSeen = time.Time{}
		b, err := json.Marshal(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = string(b)
	}
	slices.Sort(out)
	return out
}

// TestEvalJobsMatchLocal evaluates a demo estate of a few thousand
// resources (planted misconfigurations, company rules, mutes, cross-resource
// checks) on two workers in shards of 300 resources, the first attempt of
// one shard failing, and compares the stored findings, stats and mute
// counts with an evaluation in this process. Then a shard that keeps
// failing makes the evaluation fail, naming the shard.
func TestEvalJobsMatchLocal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s := newEvalSetup(t, ctx, 3000)
	var failedOnce atomic.Int64
	stop := s.runWorkers(t, ctx, 2, func(_ context.Context, a dist.EvalArgs, attempt int) error {
		if a.Shard.ID == 2 && attempt == 1 {
			failedOnce.Add(1)
			return errors.New("injected")
		}
		if a.Shard.Resources == -1 {
			return errors.New("never")
		}
		return nil
	})
	defer stop()
	snap := s.snapshot.ID()
	res, shards, err := s.distributed(ctx, snap, 300)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.snapshot.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var stored []finding.Finding
	for f, err := range s.st.Findings(ctx, snap, store.FindingFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, f)
	}
	want, wantStats, wantMutes, err := s.local(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	got, exp := findingLines(t, stored), findingLines(t, want)
	if !slices.Equal(got, exp) {
		t.Errorf("findings differ: %d stored by the workers, %d evaluated here", len(got), len(exp))
	}
	var counted int64
	groups := map[dist.FindingCount]int64{}
	for _, c := range res.Findings {
		counted += c.Count
		n := c.Count
		c.Count = 0
		groups[c] += n
	}
	wantGroups := map[dist.FindingCount]int64{}
	for _, f := range want {
		wantGroups[dist.FindingCount{CheckID: f.CheckID, Status: f.Status, Severity: f.Severity, Provider: f.Provider,
			Account: f.Account, Region: f.Region, Kind: f.Kind}]++
	}
	if counted != int64(len(want)) || len(groups) != len(res.Findings) || !maps.Equal(groups, wantGroups) {
		t.Errorf("the jobs counted %d findings in %d groups, want %d in %d", counted, len(res.Findings), len(want), len(wantGroups))
	}
	res.Stats.Resources = 0
	if res.Stats != wantStats {
		t.Errorf("stats: workers %+v, here %+v", res.Stats, wantStats)
	}
	for i, m := range wantMutes {
		if res.Muted[i] != m.Muted {
			t.Errorf("mute %s: workers muted %d, here %d", m.Mute.Where(), res.Muted[i], m.Muted)
		}
	}
	if wantMutes[0].Muted == 0 || wantStats.Muted == 0 || wantStats.Fail == 0 {
		t.Errorf("mutes %v, stats %+v: the estate is not what this test expects", wantMutes, wantStats)
	}
	if failedOnce.Load() != 1 || res.Jobs != shards || shards < 5 {
		t.Errorf("%d injected failures, %d jobs recorded for %d shards", failedOnce.Load(), res.Jobs, shards)
	}
	t.Logf("%d shards, %d findings, stats %+v", shards, len(got), res.Stats)

	// A shard that fails every attempt fails the evaluation.
	w := s.collect(t, ctx, 0)
	defer func() { _ = w.Rollback() }()
	scan, err := dist.NewScan(ctx, s.pool, w.ID(), dist.ScanOptions{PollInterval: 20 * time.Millisecond, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := dist.NewCatalog(s.srcs, s.cfg.Org, s.cfg.Mutes, s.checks)
	if err != nil {
		t.Fatal(err)
	}
	if err := scan.EnqueueEval(ctx, cat, s.now, []dist.Shard{{ID: 7, Resources: -1, Filters: []dist.Filter{{Kinds: []string{"aws_s3_bucket"}}}}}); err != nil {
		t.Fatal(err)
	}
	_, err = scan.WaitEval(ctx, len(s.cfg.Mutes))
	if err == nil || !strings.Contains(err.Error(), "shard 7") || !strings.Contains(err.Error(), "gave up after 2 attempts") || !strings.Contains(err.Error(), "never") {
		t.Errorf("a shard failing every attempt: %v", err)
	}
}

// BenchmarkEvalThroughput measures evaluation of a demo estate
// (-eval-size resources, default 5,000) three ways: in this process as a
// scan evaluates a stored snapshot, findings written (local), as
// evaluation jobs on one worker, and on two workers sharing this machine.
// resources/s is the estate's size over the wall time from planning to the
// last job done (for local: of the evaluation and the writes). The
// workers first evaluate a small snapshot, which makes each compile the
// catalog (s-warmup); the measured run reuses it. Run with -benchtime=1x.
func BenchmarkEvalThroughput(b *testing.B) {
	ctx := context.Background()
	s := newEvalSetup(b, ctx, *benchEvalSize)
	var resources int64
	groups, err := s.st.ResourceGroups(ctx, s.snapshot.ID())
	if err != nil {
		b.Fatal(err)
	}
	for _, g := range groups {
		resources += g.Count
	}
	if err := s.snapshot.Rollback(); err != nil {
		b.Fatal(err)
	}
	b.Run("local", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			w := s.collect(b, ctx, *benchEvalSize)
			b.StartTimer()
			t0 := time.Now()
			// Findings go to the snapshot's writer as they are emitted,
			// as in a scan.
			if _, _, err := s.localEmit(ctx, w.ID(), func(fs []finding.Finding) error { return w.Findings(ctx, fs) }); err != nil {
				b.Fatal(err)
			}
			if err := w.Flush(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(resources)/time.Since(t0).Seconds(), "resources/s")
			b.StopTimer()
			_ = w.Rollback()
			b.StartTimer()
		}
	})
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			stop := s.runWorkers(b, ctx, workers, nil)
			defer stop()
			// Warm up: each worker compiles the catalog once (timed
			// apart: that is a cost per worker and catalog, not per job).
			b.StopTimer()
			w := s.collect(b, ctx, 0)
			t0 := time.Now()
			if _, _, err := s.distributed(ctx, w.ID(), 200); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(t0).Seconds(), "s-warmup")
			_ = w.Rollback()
			b.StartTimer()
			for range b.N {
				b.StopTimer()
				w := s.collect(b, ctx, *benchEvalSize)
				b.StartTimer()
				t0 := time.Now()
				res, shards, err := s.distributed(ctx, w.ID(), *benchEvalShardSize)
				if err != nil {
					b.Fatal(err)
				}
				el := time.Since(t0)
				b.ReportMetric(float64(resources)/el.Seconds(), "resources/s")
				b.ReportMetric(float64(resources)/el.Seconds()/float64(workers), "resources/s/worker")
				b.ReportMetric(float64(shards), "jobs")
				b.ReportMetric(float64(res.Stats.Evaluations), "findings")
				b.StopTimer()
				_ = w.Rollback()
				b.StartTimer()
			}
		})
	}
}

// TestEvalJobOfDeadWorkerRunsElsewhere loses a worker mid-evaluation (its
// database session is terminated, as when its machine dies): the scan
// hands its job to another worker, the evaluation completes with the
// findings of an in-process evaluation, and no finding is written twice.
func TestEvalJobOfDeadWorkerRunsElsewhere(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := newEvalSetup(t, ctx, 0)
	started := make(chan struct{})
	var once sync.Once
	doomedDone := make(chan error, 1)
	go func() {
		doomedDone <- dist.RunWorker(ctx, s.pool, s.st, dist.WorkerOptions{Registry: s.reg, FetchPollInterval: 20 * time.Millisecond,
			ID: "doomed", BeforeEval: func(ctx context.Context, a dist.EvalArgs, attempt int) error {
				once.Do(func() { close(started) })
				<-ctx.Done() // hangs until its worker goes
				return ctx.Err()
			}})
	}()
	type result struct {
		res dist.EvalResult
		err error
	}
	done := make(chan result, 1)
	snap := s.snapshot.ID()
	go func() {
		res, _, err := s.distributed(ctx, snap, 1_000_000) // one job per kind of check
		done <- result{res, err}
	}()
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("the doomed worker never ran a job")
	}
	// The doomed worker's liveness session ends.
	if _, err := s.pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND classid = $1::oid`, 0x6377_0004); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-doomedDone:
		if err == nil || !strings.Contains(err.Error(), "liveness") {
			t.Errorf("doomed worker: %v, want its liveness lost", err)
		}
	case <-ctx.Done():
		t.Fatal("the doomed worker did not stop")
	}
	stop := s.runWorkers(t, ctx, 1, nil)
	defer stop()
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if err := s.snapshot.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var stored []finding.Finding
	for f, err := range s.st.Findings(ctx, snap, store.FindingFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, f)
	}
	want, _, _, err := s.local(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	if got, exp := findingLines(t, stored), findingLines(t, want); !slices.Equal(got, exp) {
		t.Errorf("findings differ: %d stored, %d evaluated here", len(got), len(exp))
	}
	var handedBack int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = $1 AND 'doomed' = ANY(attempted_by)
		AND state = 'completed'`, dist.EvalJobKind).Scan(&handedBack); err != nil {
		t.Fatal(err)
	}
	if handedBack == 0 {
		t.Error("the doomed worker's job was not completed by another worker")
	}
}
