package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/store/postgres/pgtest"
)

// findingSet reads a JSON report and returns its findings as sorted
// "status check uid" lines.
func findingSet(t *testing.T, path string) (int64, []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep jsonReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Status+" "+f.CheckID+" "+f.Resource.UID)
	}
	slices.Sort(out)
	return rep.Snapshot.Resources, out
}

// TestPostgresScanAndQuery scans the demo estate into PostgreSQL, checks
// that the report matches a scan of the same estate into SQLite, and
// queries the snapshot. It skips when PostgreSQL is not installed.
func TestPostgresScanAndQuery(t *testing.T) {
	pg := pgtest.New(pgtest.Options{})
	t.Cleanup(func() {
		if err := pg.Close(); err != nil {
			t.Errorf("stop PostgreSQL: %v", err)
		}
	})
	dsn := pg.NewDB(t)
	dir := t.TempDir()
	pgOut, liteOut := filepath.Join(dir, "pg.json"), filepath.Join(dir, "lite.json")
	for _, args := range [][]string{
		{"--db", dsn, "--output-file", pgOut},
		{"--db", filepath.Join(dir, "cw.db"), "--output-file", liteOut},
	} {
		args = append([]string{"scan", "--demo", "--demo-size", "2000", "--output", "json"}, args...)
		if code, _, stderr := run(t, args...); code != ExitOK && code != ExitFindings {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	pgN, pgFindings := findingSet(t, pgOut)
	liteN, liteFindings := findingSet(t, liteOut)
	if pgN != liteN || pgN == 0 {
		t.Errorf("PostgreSQL snapshot has %d resources, SQLite %d", pgN, liteN)
	}
	if !slices.Equal(pgFindings, liteFindings) {
		t.Errorf("findings differ between PostgreSQL and SQLite:\nonly in PostgreSQL: %v\nonly in SQLite: %v",
			difference(pgFindings, liteFindings), difference(liteFindings, pgFindings))
	}

	code, stdout, stderr := run(t, "query", "--db", dsn, "--format", "json",
		"select kind, count(*) as n from resources group by kind order by kind")
	if code != ExitOK {
		t.Fatalf("query exit %d: %s", code, stderr)
	}
	total := 0
	for line := range strings.Lines(stdout) {
		var row struct {
			Kind string `json:"kind"`
			N    int    `json:"n"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("query line %q: %v", line, err)
		}
		total += row.N
	}
	if int64(total) != pgN {
		t.Errorf("query counted %d resources, the snapshot has %d", total, pgN)
	}
	// jsonb operators work on properties.
	code, stdout, stderr = run(t, "query", "--db", dsn, "--format", "csv",
		"select count(*) from resources where kind = 'aws_s3_bucket' and properties ? 'versioning'")
	if code != ExitOK || strings.TrimSpace(stdout) == "" {
		t.Fatalf("jsonb query: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	code, _, stderr = run(t, "query", "--db", dsn, "delete from resources")
	if code != ExitError || !strings.Contains(stderr, "read-only") {
		t.Errorf("a writing query: exit %d, stderr %q; want exit 2 and a read-only error", code, stderr)
	}
}
