//go:build unix

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/collect/aws/awstest"
	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
	"cloudward/internal/store/postgres/pgtest"
)

// workerArgsEnv carries the arguments of a worker run by the re-executed
// test binary (TestDistributedWorkerProcess).
const workerArgsEnv = "CLOUDWARD_TEST_WORKER_ARGS"

// TestDistributedWorkerProcess is not a test: it is the body of the worker
// processes TestDistributedScanSurvivesWorkerKill starts by re-executing
// the test binary. Without workerArgsEnv it skips.
func TestDistributedWorkerProcess(t *testing.T) {
	raw := os.Getenv(workerArgsEnv)
	if raw == "" {
		t.Skip("helper process of TestDistributedScanSurvivesWorkerKill")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		fmt.Fprintln(os.Stderr, "worker args:", err)
		os.Exit(3)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	code := Main(ctx, args, strings.NewReader(""), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// lockedBuffer is a bytes.Buffer safe for a process's output and a test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDistributedScanSurvivesWorkerKill starts PostgreSQL, a fake AWS
// organization answering with latency, three `cloudward worker` processes
// and a `scan --distributed`; it kills one worker (SIGKILL) while it runs a
// job, starts a fourth one, and checks that the snapshot is complete and identical (resources,
// edges, collection errors, findings) to a single-process scan of the same
// fake cloud, that the killed worker's job ran again elsewhere, and that
// the workers evaluated the snapshot.
func TestDistributedScanSurvivesWorkerKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and three worker processes")
	}
	pg := pgtest.New(pgtest.Options{})
	t.Cleanup(func() {
		if err := pg.Close(); err != nil {
			t.Errorf("stop PostgreSQL: %v", err)
		}
	})
	dsn := pg.NewDB(t)

	srv := awstest.New(awstest.Options{
		Dir:     filepath.Join("..", "collect", "aws", "testdata", "fake"),
		Deny:    map[string]bool{"222222222222/eu-west-1/*": true},
		Latency: 40 * time.Millisecond,
	})
	t.Cleanup(srv.Close)
	awsEnv := map[string]string{
		"AWS_ACCESS_KEY_ID":           "AKIDFAKE111111111111",
		"AWS_SECRET_ACCESS_KEY":       "aws-secret-for-tests",
		"AWS_REGION":                  "us-east-1",
		"AWS_CONFIG_FILE":             filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_PROFILE":                 "",
	}
	for k, v := range awsEnv {
		t.Setenv(k, v)
	}

	// The workers: this test binary re-executed.
	type worker struct {
		id     string
		cmd    *exec.Cmd
		out    *lockedBuffer
		exited chan struct{} // closed when the process has exited
		err    error         // how it exited, once exited is closed
	}
	var workers []*worker
	startWorker := func(i int) *worker {
		w := &worker{id: fmt.Sprintf("test-worker-%d", i), out: &lockedBuffer{}, exited: make(chan struct{})}
		args, _ := json.Marshal([]string{"worker", "--db", dsn, "--provider", "aws", "--aws-endpoint-url", srv.URL,
			"--id", w.id, "--concurrency", "2", "--poll-interval", "100ms", "-v"})
		w.cmd = exec.Command(os.Args[0], "-test.run=^TestDistributedWorkerProcess$", "-test.count=1")
		w.cmd.Env = append(os.Environ(), workerArgsEnv+"="+string(args))
		w.cmd.Stdout, w.cmd.Stderr = w.out, w.out
		if err := w.cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", w.id, err)
		}
		go func() {
			w.err = w.cmd.Wait()
			close(w.exited)
		}()
		workers = append(workers, w)
		return w
	}
	for i := 1; i <= 3; i++ {
		startWorker(i)
	}
	stopWorkers := func() {
		for _, w := range workers {
			_ = w.cmd.Process.Signal(syscall.SIGTERM)
		}
		for _, w := range workers {
			select {
			case <-w.exited:
			case <-time.After(10 * time.Second):
				_ = w.cmd.Process.Kill()
				<-w.exited
			}
		}
	}
	t.Cleanup(stopWorkers)
	logs := func() string {
		var b strings.Builder
		for _, w := range workers {
			fmt.Fprintf(&b, "--- %s\n%s", w.id, w.out.String())
		}
		return b.String()
	}

	// Every worker takes jobs before the scan queues them, so that the
	// victim has some to run however slowly the machine starts processes.
	ready := time.Now().Add(2 * time.Minute)
	for _, w := range workers {
		for !strings.Contains(w.out.String(), `msg="worker started"`) {
			select {
			case <-w.exited:
				t.Fatalf("%s exited: %v\n%s", w.id, w.err, logs())
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(ready) {
				t.Fatalf("%s did not start in 2 minutes\n%s", w.id, logs())
			}
		}
	}

	// The distributed scan, in this process. The deadline is generous:
	// the machine may be busy; the assertions are about what is stored.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	t0 := time.Now()
	go func() {
		var stdout, stderr bytes.Buffer
		code := Main(ctx, []string{"scan", "--provider", "aws", "--aws-org", "--aws-endpoint-url", srv.URL,
			"--db", dsn, "--distributed", "-o", "json"}, strings.NewReader(""), &stdout, &stderr)
		done <- result{code, stdout.String(), stderr.String()}
	}()

	// Kill worker 2 while it runs a job.
	victim := workers[1]
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var dist result
	var killedAt time.Time
	killed := false
	for !killed {
		select {
		case dist = <-done:
			t.Fatalf("the scan ended (exit %d) before %s ran a job; stderr: %s\n%s", dist.code, victim.id, dist.stderr, logs())
		case <-victim.exited:
			t.Fatalf("%s exited by itself: %v\n%s", victim.id, victim.err, logs())
		case <-time.After(5 * time.Millisecond):
		}
		var running int
		// river_job may not exist yet: the first process to start migrates.
		err := conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'running'
			AND attempted_by[array_length(attempted_by, 1)] = $1`, victim.id).Scan(&running)
		if err == nil && running > 0 {
			if err := victim.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed, killedAt = true, time.Now()
			// A newcomer joins mid-scan: opening the store runs its crash
			// recovery, which must leave the running snapshot alone.
			startWorker(4)
		}
	}
	select {
	case dist = <-done:
	case <-ctx.Done():
		t.Fatalf("distributed scan did not finish\n%s", logs())
	}
	distElapsed := time.Since(t0)
	if dist.code != ExitOK && dist.code != ExitFindings {
		t.Fatalf("distributed scan: exit %d\nstderr: %s\n%s", dist.code, dist.stderr, logs())
	}
	if strings.Contains(dist.stdout+dist.stderr+logs(), "aws-secret-for-tests") {
		t.Error("a credential shows in the output or the workers' logs")
	}
	var distRep jsonReport
	if err := json.Unmarshal([]byte(dist.stdout), &distRep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, dist.stdout)
	}

	// The killed worker's job ran again, on another worker.
	var rerun, jobs int
	var rerunDone *time.Time
	if err := conn.QueryRow(ctx, `SELECT count(*), max(finalized_at) FROM river_job WHERE state = 'completed'
		AND $1 = ANY(attempted_by) AND array_length(attempted_by, 1) > 1
		AND errors::text LIKE '%died while running the job%'`, victim.id).Scan(&rerun, &rerunDone); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM river_job`).Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if rerun == 0 {
		t.Errorf("no job of the killed worker %s was handed back and completed elsewhere\n%s", victim.id, logs())
	}
	// The workers evaluated the snapshot (scan --distributed evaluates on
	// the workers by default).
	var evalJobs, evalWorkers int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT attempted_by[array_length(attempted_by, 1)])
		FROM river_job WHERE kind = 'cloudward_evaluate' AND state = 'completed' AND args @> $1::jsonb`,
		fmt.Sprintf(`{"snapshot": %d}`, distRep.Snapshot.ID)).Scan(&evalJobs, &evalWorkers); err != nil {
		t.Fatal(err)
	}
	if evalJobs == 0 {
		t.Errorf("no evaluation job completed: the scan did not evaluate on the workers\n%s", logs())
	}

	// The same fake cloud, scanned by one process.
	t1 := time.Now()
	code, stdout, stderr := run(t, "scan", "--provider", "aws", "--aws-org", "--aws-endpoint-url", srv.URL,
		"--db", dsn, "-o", "json")
	oneElapsed := time.Since(t1)
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("single-process scan: exit %d\n%s", code, stderr)
	}
	var oneRep jsonReport
	if err := json.Unmarshal([]byte(stdout), &oneRep); err != nil {
		t.Fatalf("decode report: %v", err)
	}

	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := snapshotContents(t, st, distRep.Snapshot.ID)
	want := snapshotContents(t, st, oneRep.Snapshot.ID)
	sn, err := st.Snapshot(ctx, distRep.Snapshot.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sn.Status != store.Complete {
		t.Errorf("distributed snapshot is %s, want complete", sn.Status)
	}
	for _, part := range []string{"resources", "edges", "errors", "findings"} {
		if len(want[part]) == 0 && part != "edges" {
			t.Errorf("the single-process scan has no %s: the fake estate is not what this test expects", part)
		}
		if !slices.Equal(got[part], want[part]) {
			t.Errorf("%s differ (distributed %d, single process %d)\nonly distributed: %v\nonly single process: %v",
				part, len(got[part]), len(want[part]), difference(got[part], want[part]), difference(want[part], got[part]))
		}
	}
	t.Logf("distributed snapshot: %d resources, %d edges, %d collection errors, %d findings from %d jobs (%d of them evaluation jobs, run by %d workers) in %s (single process: %s); %d job(s) re-run after the kill",
		len(got["resources"]), len(got["edges"]), len(got["errors"]), len(got["findings"]), jobs, evalJobs, evalWorkers,
		distElapsed.Round(time.Millisecond), oneElapsed.Round(time.Millisecond), rerun)
	var handedBack *time.Time
	if err := conn.QueryRow(ctx, `SELECT min((e->>'at')::timestamptz) FROM river_job, unnest(errors) e
		WHERE e->>'error' LIKE '%died while running the job%'`).Scan(&handedBack); err != nil {
		t.Fatal(err)
	}
	if handedBack != nil {
		t.Logf("the killed worker's job was handed back %s after the kill", handedBack.Sub(killedAt).Round(time.Millisecond))
	}
	if rerunDone != nil {
		t.Logf("the killed worker's last job completed elsewhere %s after the kill", rerunDone.Sub(killedAt).Round(time.Millisecond))
	}
}

// snapshotContents returns a snapshot's resources, edges, collection errors
// and findings as sorted JSON lines.
func snapshotContents(t *testing.T, st store.Store, id int64) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	add := func(part string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[part] = append(out[part], string(b))
	}
	for r, err := range st.Resources(ctx, id, store.ResourceFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		add("resources", r)
	}
	for e, err := range st.Edges(ctx, id, store.EdgeFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		add("edges", e)
	}
	errs, err := st.CollectionErrors(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		add("errors", e)
	}
	for f, err := range st.Findings(ctx, id, store.FindingFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		// When a finding was first seen depends on the snapshots before.
		f.FirstSeen = time.Time{}
		add("findings", f)
	}
	for _, v := range out {
		slices.Sort(v)
	}
	return out
}
