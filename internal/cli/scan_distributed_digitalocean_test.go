//go:build unix

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/collect/digitalocean/dotest"
	"cloudward/internal/dist"
	"cloudward/internal/store/postgres/pgtest"
)

// TestDistributedScanDigitalOcean starts PostgreSQL, the fake DigitalOcean
// API and Spaces endpoints (one service denied, one Spaces region denied,
// one bucket's policy denied), two `cloudward worker --provider
// digitalocean` processes and a `scan --distributed`, and checks that the
// snapshot is identical (resources, edges, collection errors, findings) to
// a single-process scan of the same fake cloud.
func TestDistributedScanDigitalOcean(t *testing.T) {
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

	testdata := filepath.Join("..", "collect", "digitalocean", "testdata")
	api := dotest.NewAPI(t, filepath.Join(testdata, "api"))
	api.Fail("/v2/cdn/endpoints", http.StatusForbidden, -1, nil)
	spaces := dotest.NewSpaces(t, filepath.Join(testdata, "spaces"))
	spaces.FailList("ams3", http.StatusForbidden, "AccessDenied")
	spaces.Fail("acme-public-downloads", "cors", http.StatusForbidden, "AccessDenied")
	const spacesSecret = "spaces-secret-for-distributed-tests"
	t.Setenv("DIGITALOCEAN_TOKEN", dotest.Token)
	t.Setenv("SPACES_ACCESS_KEY_ID", "DO00EXAMPLEKEY0001")
	t.Setenv("SPACES_SECRET_ACCESS_KEY", spacesSecret)
	endpoints := []string{"--do-api-url", api.URL, "--do-spaces-endpoint", spaces.URL}

	// The workers: this test binary re-executed (TestDistributedWorkerProcess).
	logs := startWorkerProcesses(t, dsn, "do-worker", 2, append([]string{"--provider", "digitalocean"}, endpoints...)...)

	// The distributed scan, in this process; the Spaces regions are the
	// scan's business (the jobs carry them).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	scanArgs := append([]string{"scan", "--provider", "digitalocean", "--do-spaces-regions", "nyc3,fra1,ams3",
		"--db", dsn, "-o", "json"}, endpoints...)
	var stdout, stderr bytes.Buffer
	t0 := time.Now()
	code := Main(ctx, append(scanArgs, "--distributed"), strings.NewReader(""), &stdout, &stderr)
	distElapsed := time.Since(t0)
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("distributed scan: exit %d\nstderr: %s\n%s", code, stderr.String(), logs())
	}
	if all := stdout.String() + stderr.String() + logs(); strings.Contains(all, dotest.Token) || strings.Contains(all, spacesSecret) {
		t.Error("a credential shows in the output or the workers' logs")
	}
	var distRep jsonReport
	if err := json.Unmarshal(stdout.Bytes(), &distRep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, stdout.String())
	}

	// Every planned job ran on a worker: one per service of the team, and
	// one per Spaces region holding buckets (nyc3, fra1; ams3 is denied).
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT state, args->'job'->>'service', args->'job'->>'region',
		attempted_by[array_length(attempted_by, 1)] FROM river_job WHERE kind = $1`, dist.JobKind)
	if err != nil {
		t.Fatal(err)
	}
	var spacesJobs []string
	perWorker := map[string]int{}
	jobs := 0
	for rows.Next() {
		var state, service, region, by string
		if err := rows.Scan(&state, &service, &region, &by); err != nil {
			t.Fatal(err)
		}
		jobs++
		if state != "completed" {
			t.Errorf("job %s/%s is %s, want completed", region, service, state)
		}
		if service == "spaces" {
			spacesJobs = append(spacesJobs, region)
		}
		perWorker[by]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(spacesJobs)
	if jobs != 20 || !slices.Equal(spacesJobs, []string{"fra1", "nyc3"}) {
		t.Errorf("%d jobs, Spaces jobs in %v; want 20 (18 services, Spaces in fra1 and nyc3)", jobs, spacesJobs)
	}

	// The same fake cloud, scanned by one process.
	got, oneElapsed := matchSingleProcess(t, ctx, dsn, distRep.Snapshot.ID, scanArgs...)
	for _, op := range []string{`"op":"GET /v2/cdn/endpoints"`, `"op":"s3:ListBuckets"`, `"op":"s3:GetBucketCors acme-public-downloads"`} {
		if !slices.ContainsFunc(got["errors"], func(e string) bool { return strings.Contains(e, op) }) {
			t.Errorf("no collection error with %s in the distributed snapshot: %v", op, got["errors"])
		}
	}
	t.Logf("distributed snapshot: %d resources, %d edges, %d collection errors, %d findings from %d jobs (by worker: %v) in %s (single process: %s)",
		len(got["resources"]), len(got["edges"]), len(got["errors"]), len(got["findings"]), jobs, perWorker,
		distElapsed.Round(time.Millisecond), oneElapsed.Round(time.Millisecond))
}
