//go:build unix

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/collect/azure/aztest"
	"cloudward/internal/dist"
	"cloudward/internal/store/postgres/pgtest"
)

// TestDistributedAzureScanMatchesSingleProcess runs `scan --distributed
// --provider azure` against the fake Azure tenant (two subscriptions, one
// of which has Microsoft.Security unregistered and its Key Vault's data
// plane behind a firewall) with two `cloudward worker` processes (the test
// binary re-executed, see TestDistributedWorkerProcess), and checks that
// the snapshot is complete and identical (resources, edges, collection
// errors, findings) to a single-process scan of the same fake.
func TestDistributedAzureScanMatchesSingleProcess(t *testing.T) {
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

	srv := aztest.New(t, filepath.Join("..", "collect", "azure", "testdata", "arm"))
	const sbx = "b81d4e07-6c35-4f9e-8e2a-5d7c3a1f9b60"
	srv.Fail("/subscriptions/"+sbx+"/providers/Microsoft.Security/", http.StatusConflict, "MissingSubscriptionRegistration",
		"The subscription is not registered to use namespace 'Microsoft.Security'.")
	srv.Fail("/kvdata/kv-acme-sbx/", http.StatusForbidden, "Forbidden", "Client address is not authorized. (ForbiddenByFirewall)")
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(aztest.Token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	azFlags := []string{"--azure-endpoint", srv.URL, "--azure-graph-endpoint", srv.URL + aztest.GraphPrefix,
		"--azure-token-file", tokenFile}

	logs := startWorkerProcesses(t, dsn, "azure-worker", 2, append([]string{"--provider", "azure"}, azFlags...)...)

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
		code := Main(ctx, append([]string{"scan", "--provider", "azure", "--db", dsn, "--distributed", "-o", "json"}, azFlags...),
			strings.NewReader(""), &stdout, &stderr)
		done <- result{code, stdout.String(), stderr.String()}
	}()
	var distRes result
	select {
	case distRes = <-done:
	case <-ctx.Done():
		t.Fatalf("distributed scan did not finish\n%s", logs())
	}
	distElapsed := time.Since(t0)
	if distRes.code != ExitOK && distRes.code != ExitFindings {
		t.Fatalf("distributed scan: exit %d\nstderr: %s\n%s", distRes.code, distRes.stderr, logs())
	}
	if strings.Contains(distRes.stdout+distRes.stderr+logs(), aztest.Token) {
		t.Error("the bearer token shows in the output or the workers' logs")
	}
	var distRep jsonReport
	if err := json.Unmarshal([]byte(distRes.stdout), &distRep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, distRes.stdout)
	}
	got, oneElapsed := matchSingleProcess(t, ctx, dsn, distRep.Snapshot.ID, append([]string{"scan", "--provider", "azure", "--db", dsn, "-o", "json"}, azFlags...)...)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var jobs, workersUsed int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT attempted_by[array_length(attempted_by, 1)])
		FROM river_job WHERE state = 'completed' AND kind = $1`, dist.JobKind).Scan(&jobs, &workersUsed); err != nil {
		t.Fatal(err)
	}
	if jobs == 0 {
		t.Error("no collection job completed in the queue")
	}
	t.Logf("distributed snapshot: %d resources, %d edges, %d collection errors, %d findings from %d collection jobs on %d worker(s) in %s (single process: %s)",
		len(got["resources"]), len(got["edges"]), len(got["errors"]), len(got["findings"]), jobs, workersUsed,
		distElapsed.Round(time.Millisecond), oneElapsed.Round(time.Millisecond))
}
