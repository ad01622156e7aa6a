//go:build unix

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/collect/gcp/gcptest"
	"cloudward/internal/dist"
	"cloudward/internal/store/postgres/pgtest"
)

// TestDistributedScanGCP starts PostgreSQL, the fake Google Cloud
// organization (three active projects, one of them denied everywhere, one
// with services not enabled, a folder whose sinks and IAM policy are
// denied), two `cloudward worker --provider gcp` processes that name no
// scope, and a `scan --distributed --gcp-org`, and checks that the snapshot
// is identical (resources, edges, collection errors, findings) to a
// single-process scan of the same fake cloud.
func TestDistributedScanGCP(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and two worker processes")
	}
	pg := pgtest.New(pgtest.Options{})
	t.Cleanup(func() {
		if err := pg.Close(); err != nil {
			t.Errorf("stop PostgreSQL: %v", err)
		}
	})
	dsn := pg.NewDB(t)
	srv := gcptest.New(t, filepath.Join("..", "collect", "gcp", "testdata", "api"))

	// The workers: this test binary re-executed (TestDistributedWorkerProcess).
	logs := startWorkerProcesses(t, dsn, "gcp-worker", 2, "--provider", "gcp", "--gcp-endpoint", srv.URL)

	// The distributed scan, in this process: the organization is the
	// scan's business (the jobs name their projects).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	scanArgs := []string{"scan", "--provider", "gcp", "--gcp-org", "100200300400", "--gcp-endpoint", srv.URL,
		"--db", dsn, "-o", "json"}
	var stdout, stderr bytes.Buffer
	t0 := time.Now()
	code := Main(ctx, append(scanArgs, "--distributed"), strings.NewReader(""), &stdout, &stderr)
	distElapsed := time.Since(t0)
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("distributed scan: exit %d\nstderr: %s\n%s", code, stderr.String(), logs())
	}
	var distRep jsonReport
	if err := json.Unmarshal(stdout.Bytes(), &distRep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, stdout.String())
	}

	// One job per active project, each completed by a worker.
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT state, args->'job'->>'account', args->'job'->>'service',
		attempted_by[array_length(attempted_by, 1)] FROM river_job WHERE kind = $1`, dist.JobKind)
	if err != nil {
		t.Fatal(err)
	}
	var projects []string
	perWorker := map[string]int{}
	for rows.Next() {
		var state, project, service, by string
		if err := rows.Scan(&state, &project, &service, &by); err != nil {
			t.Fatal(err)
		}
		if state != "completed" || service != "project" {
			t.Errorf("job %s/%s is %s, want a completed project job", project, service, state)
		}
		projects = append(projects, project)
		perWorker[by]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(projects)
	if want := []string{"acme-lab-1177", "acme-sec-3311", "acme-web-4821"}; !slices.Equal(projects, want) {
		t.Errorf("jobs for projects %v, want %v", projects, want)
	}

	// The same fake cloud, scanned by one process.
	got, oneElapsed := matchSingleProcess(t, ctx, dsn, distRep.Snapshot.ID, scanArgs...)
	// Planning failures (a folder's sinks and IAM policy) and job failures
	// (the denied project) are both in the snapshot.
	for _, op := range []string{`"account":"folders/300","region":"global","service":"logging","op":"logging.sinks.list"`,
		`"account":"acme-sec-3311","region":"global","service":"iam","op":"iam.serviceAccounts.list"`} {
		if !slices.ContainsFunc(got["errors"], func(e string) bool { return strings.Contains(e, op) }) {
			t.Errorf("no collection error with %s in the distributed snapshot: %v", op, got["errors"])
		}
	}
	t.Logf("distributed snapshot: %d resources, %d edges, %d collection errors, %d findings from %d jobs (by worker: %v) in %s (single process: %s)",
		len(got["resources"]), len(got["edges"]), len(got["errors"]), len(got["findings"]), len(projects), perWorker,
		distElapsed.Round(time.Millisecond), oneElapsed.Round(time.Millisecond))
}

// TestWorkerHidesGCPScope checks that a worker's help hides the scan's
// Google Cloud scope flags (the jobs carry the scope) and keeps those a
// worker uses to reach the APIs.
func TestWorkerHidesGCPScope(t *testing.T) {
	code, stdout, stderr := run(t, "worker", "--help")
	if code != ExitOK {
		t.Fatalf("worker --help: exit %d\n%s", code, stderr)
	}
	for _, hidden := range []string{"--gcp-project", "--gcp-folder", "--gcp-org", "--gcp-vertex-locations", "--gcp-projects-at-once"} {
		if strings.Contains(stdout, hidden) {
			t.Errorf("worker --help shows %s", hidden)
		}
	}
	for _, shown := range []string{"--gcp-impersonate", "--gcp-token-file", "--gcp-endpoint", "--gcp-max-in-flight"} {
		if !strings.Contains(stdout, shown) {
			t.Errorf("worker --help does not show %s", shown)
		}
	}
}
