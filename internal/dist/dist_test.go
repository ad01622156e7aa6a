package dist_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/internal/collect"
	"cloudward/internal/dist"
	"cloudward/internal/resource"
	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
	"cloudward/internal/store/postgres/pgtest"
)

var pg = pgtest.New(pgtest.Options{})

func TestMain(m *testing.M) {
	code := m.Run()
	if err := pg.Close(); err != nil && code == 0 {
		fmt.Fprintln(os.Stderr, "stop PostgreSQL:", err)
		code = 1
	}
	os.Exit(code)
}

// fakePlanner plans one job per service in services; the job of service
// "broken" always fails, the others emit one resource and one edge.
type fakePlanner struct {
	services []string
	runs     atomic.Int64
}

func (p *fakePlanner) Name() string                                { return "aws" }
func (p *fakePlanner) Kinds() []resource.Kind                      { return nil }
func (p *fakePlanner) Collect(context.Context, collect.Sink) error { return errors.New("not used") }

func (p *fakePlanner) Plan(ctx context.Context, sink collect.Sink) ([]collect.Job, error) {
	var jobs []collect.Job
	for _, s := range p.services {
		jobs = append(jobs, collect.Job{Provider: resource.AWS, Account: "111111111111", Region: "us-east-1", Service: s,
			Data: json.RawMessage(`{"planned":true}`)})
	}
	return jobs, sink.Error(ctx, collect.Error{Provider: resource.AWS, Account: "111111111111", Region: "ap-east-1",
		Service: "ec2", Op: "ec2:DescribeRegions", Kind: collect.NotEnabled, Message: "not enabled"})
}

func (p *fakePlanner) RunJob(ctx context.Context, job collect.Job, sink collect.Sink) error {
	p.runs.Add(1)
	if job.Service == "broken" {
		return errors.New("the database went away")
	}
	var d struct{ Planned bool }
	if err := json.Unmarshal(job.Data, &d); err != nil || !d.Planned {
		return fmt.Errorf("job data lost on the way: %s", job.Data)
	}
	uid := "arn:aws:" + job.Service + ":us-east-1:111111111111:thing/1"
	if err := sink.Resource(ctx, resource.Resource{UID: uid, Provider: resource.AWS, Account: job.Account,
		Region: job.Region, Kind: "aws_" + job.Service + "_thing", Name: job.Service, Properties: json.RawMessage(`{}`)}); err != nil {
		return err
	}
	return sink.Edge(ctx, resource.Edge{From: uid, To: "arn:aws:iam::111111111111:root", Type: "in_account"})
}

// TestScanAndWorker runs a scan's jobs on an in-process worker: the jobs
// that succeed land in the snapshot, the one that keeps failing becomes a
// collection error naming its scope once its attempts are used up.
func TestScanAndWorker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn := pg.NewDB(t)
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	w, err := st.Begin(ctx, "aws", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p := &fakePlanner{services: []string{"ec2", "s3", "broken", "kms"}}
	scan, err := dist.NewScan(ctx, pool, w.ID(), dist.ScanOptions{MaxAttempts: 2, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := p.Plan(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := scan.Enqueue(ctx, jobs); err != nil {
		t.Fatal(err)
	}

	wctx, stop := context.WithCancel(ctx)
	workerDone := make(chan error, 1)
	go func() {
		err := dist.RunWorker(wctx, pool, st, dist.WorkerOptions{Planners: []collect.Planner{p},
			Concurrency: 2, FetchPollInterval: 50 * time.Millisecond, ID: "unit-worker"})
		if err != nil {
			cancel() // the scan would wait for nothing
		}
		workerDone <- err
	}()
	failed, err := scan.Wait(ctx)
	stop()
	if werr := <-workerDone; werr != nil {
		t.Errorf("worker: %v", werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].Service != "broken" || failed[0].Account != "111111111111" ||
		!strings.Contains(failed[0].Message, "gave up after 2 attempts") || !strings.Contains(failed[0].Message, "the database went away") {
		t.Fatalf("failed jobs: %+v; want the broken job, given up after 2 attempts with its last error", failed)
	}
	if got := p.runs.Load(); got != 5 {
		t.Errorf("%d job runs, want 5 (three jobs once, the broken one twice)", got)
	}
	for _, e := range failed {
		if err := w.Error(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	sn, err := st.Snapshot(ctx, w.ID())
	if err != nil {
		t.Fatal(err)
	}
	if sn.Status != store.Complete || sn.Resources != 3 || sn.Edges != 3 || sn.Errors != 2 {
		t.Errorf("snapshot: %+v; want complete with 3 resources, 3 edges, 2 collection errors", sn)
	}
}

// TestWorkerSameID refuses a second live worker with the same ID: its
// liveness lock would be meaningless.
func TestWorkerSameID(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn := pg.NewDB(t)
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	p := &fakePlanner{}
	wctx, stop := context.WithCancel(ctx)
	first := make(chan error, 1)
	started := make(chan struct{})
	go func() {
		close(started)
		first <- dist.RunWorker(wctx, pool, st, dist.WorkerOptions{Planners: []collect.Planner{p}, ID: "twin"})
	}()
	<-started
	// Wait until the first worker holds its lock.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var held bool
		if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid)`,
			0x6377_0004).Scan(&held); err != nil {
			t.Fatal(err)
		}
		if held {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("first worker never took its liveness lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	err = dist.RunWorker(ctx, pool, st, dist.WorkerOptions{Planners: []collect.Planner{p}, ID: "twin"})
	if err == nil || !strings.Contains(err.Error(), "same ID") {
		t.Errorf("second worker with the same ID: %v, want a refusal", err)
	}
	stop()
	if err := <-first; err != nil {
		t.Errorf("first worker: %v", err)
	}
	if err := dist.RunWorker(ctx, pool, st, dist.WorkerOptions{}); err == nil {
		t.Error("a worker with no collector started")
	}
}

// BenchmarkJobOverhead measures what the queue adds per job: enqueue,
// fetch, one write transaction with the completion, and the scan's polls,
// for jobs that collect one resource without waiting on any API. Run with
// -benchtime=1x: each iteration is a whole scan of 500 jobs on one worker
// running 16 at once and fetching at most every 20 ms (River fetches at
// most every FetchCooldown, so a worker finishes at most Concurrency jobs
// per cooldown: with the defaults, 4 per 100 ms).
func BenchmarkJobOverhead(b *testing.B) {
	const n = 500
	ctx := context.Background()
	dsn := pg.NewDB(b)
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	p := &fakePlanner{}
	for i := range n {
		p.services = append(p.services, fmt.Sprintf("svc%d", i))
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		_ = dist.RunWorker(wctx, pool, st, dist.WorkerOptions{Planners: []collect.Planner{p}, Concurrency: 16,
			FetchPollInterval: 20 * time.Millisecond, ID: "bench-worker"})
	}()
	b.ResetTimer()
	for range b.N {
		w, err := st.Begin(ctx, "aws", time.Now())
		if err != nil {
			b.Fatal(err)
		}
		scan, err := dist.NewScan(ctx, pool, w.ID(), dist.ScanOptions{PollInterval: 50 * time.Millisecond})
		if err != nil {
			b.Fatal(err)
		}
		jobs, err := p.Plan(ctx, w)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := scan.Enqueue(ctx, jobs); err != nil {
			b.Fatal(err)
		}
		failed, err := scan.Wait(ctx)
		if err != nil || len(failed) != 0 {
			b.Fatalf("wait: %v, %d failed", err, len(failed))
		}
		b.ReportMetric(float64(time.Since(t0).Microseconds())/n/1000, "ms/job")
		if err := w.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// TestScanEndsEarly covers a scan that ends before its jobs: Abandon
// deletes the jobs no worker has started, and a job that runs after its
// snapshot failed writes nothing and is cancelled, not retried.
func TestScanEndsEarly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn := pg.NewDB(t)
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	p := &fakePlanner{services: []string{"ec2", "s3"}}
	countJobs := func() int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Abandoned before any worker ran: no job is left.
	w1, err := st.Begin(ctx, "aws", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	scan1, err := dist.NewScan(ctx, pool, w1.ID(), dist.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := p.Plan(ctx, w1)
	if err != nil {
		t.Fatal(err)
	}
	if err := scan1.Enqueue(ctx, jobs); err != nil {
		t.Fatal(err)
	}
	if n := countJobs(); n != 2 {
		t.Fatalf("%d jobs queued, want 2", n)
	}
	if err := scan1.Abandon(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countJobs(); n != 0 {
		t.Errorf("%d jobs left after Abandon, want 0", n)
	}
	if err := w1.Rollback(); err != nil {
		t.Fatal(err)
	}

	// The snapshot failed while its jobs were queued: a worker runs them,
	// finds the snapshot failed, cancels them.
	w2, err := st.Begin(ctx, "aws", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	scan2, err := dist.NewScan(ctx, pool, w2.ID(), dist.ScanOptions{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := scan2.Enqueue(ctx, jobs); err != nil {
		t.Fatal(err)
	}
	if err := w2.Rollback(); err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	workerDone := make(chan error, 1)
	go func() {
		workerDone <- dist.RunWorker(wctx, pool, st, dist.WorkerOptions{Planners: []collect.Planner{p},
			FetchPollInterval: 50 * time.Millisecond, ID: "late-worker"})
	}()
	failed, err := scan2.Wait(ctx)
	stop()
	if werr := <-workerDone; werr != nil {
		t.Errorf("worker: %v", werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 2 {
		t.Fatalf("%d failed jobs, want both cancelled: %+v", len(failed), failed)
	}
	for _, e := range failed {
		if !strings.Contains(e.Message, "cancelled") || !strings.Contains(e.Message, "not running") {
			t.Errorf("failed job: %q; want it cancelled because the snapshot is not running", e.Message)
		}
	}
	if got := p.runs.Load(); got != 2 {
		t.Errorf("%d runs, want 2: a job for a failed snapshot is not retried", got)
	}
	sn, err := st.Snapshot(ctx, w2.ID())
	if err != nil {
		t.Fatal(err)
	}
	if sn.Status != store.Failed || sn.Resources != 0 {
		t.Errorf("snapshot: %+v; want failed and empty", sn)
	}
	var rows int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM snap_resources WHERE snapshot_id = $1`, w2.ID()).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Errorf("%d resource rows written to a failed snapshot", rows)
	}
}
