package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cloudward/internal/collect/demo"
	"cloudward/internal/resource"
)

// run runs cloudward in-process and returns its exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

type jsonReport struct {
	Snapshot struct {
		ID        int64 `json:"id"`
		Resources int64 `json:"resources"`
	} `json:"snapshot"`
	Findings []struct {
		CheckID  string `json:"check_id"`
		Status   string `json:"status"`
		Reason   string `json:"reason"`
		Resource struct {
			UID string `json:"uid"`
		} `json:"resource"`
	} `json:"findings"`
}

// nullSink discards resources; it lets a test learn the demo's plants.
type nullSink struct{ n int }

func (s *nullSink) Resource(context.Context, resource.Resource) error { s.n++; return nil }
func (s *nullSink) Edge(context.Context, resource.Edge) error         { return nil }
func (s *nullSink) Error(context.Context, resource.CollectionError) error {
	return nil
}

func plants(t *testing.T, size int) ([]string, int) {
	t.Helper()
	g := demo.New(demo.Options{Seed: 1, Size: size})
	var sink nullSink
	if err := g.Collect(context.Background(), &sink); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range g.Planted() {
		out = append(out, p.UID+" "+p.CheckID)
	}
	slices.Sort(out)
	return slices.Compact(out), sink.n
}

// TestDemoScanFindsExactlyThePlants is the end-to-end test of the
// foundation: the demo scan must fail exactly the planted
// misconfigurations, flag nothing in the clean resources, and leave no
// check undecided.
func TestDemoScanFindsExactlyThePlants(t *testing.T) {
	for _, size := range []int{0, 5000} {
		t.Run("size_"+itoa(size), func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "cw.db")
			out := filepath.Join(dir, "out.json")
			code, _, stderr := run(t, "scan", "--demo", "--demo-size", itoa(size), "--db", db, "--output", "json", "--output-file", out)
			if code != ExitOK {
				t.Fatalf("scan exit %d: %s", code, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var rep jsonReport
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatalf("report is not JSON: %v", err)
			}
			want, n := plants(t, size)
			if rep.Snapshot.Resources != int64(n) {
				t.Errorf("snapshot has %d resources, the demo emitted %d", rep.Snapshot.Resources, n)
			}
			var got []string
			for _, f := range rep.Findings {
				switch f.Status {
				case "FAIL":
					got = append(got, f.Resource.UID+" "+f.CheckID)
				case "ERROR":
					t.Errorf("ERROR finding on the demo estate: %s %s: %s", f.CheckID, f.Resource.UID, f.Reason)
				}
			}
			slices.Sort(got)
			for _, missing := range difference(want, got) {
				t.Errorf("planted but not found: %s", missing)
			}
			for _, extra := range difference(got, want) {
				t.Errorf("found but not planted (a clean resource was flagged): %s", extra)
			}
			if len(want) < 20 {
				t.Errorf("only %d plants; the demo should plant a broad set", len(want))
			}
		})
	}
}

func TestQueryAfterScan(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cw.db")
	if code, _, stderr := run(t, "scan", "--demo", "--db", db, "--output", "json", "--output-file", os.DevNull); code != 0 {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	code, stdout, stderr := run(t, "query", "--db", db, "--format", "json", "select kind, count(*) as n from resources group by kind order by kind")
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, stderr)
	}
	_, n := plants(t, 0)
	total, kinds := 0, 0
	for line := range strings.Lines(stdout) {
		var row struct {
			Kind string `json:"kind"`
			N    int    `json:"n"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("query line %q: %v", line, err)
		}
		total += row.N
		kinds++
	}
	if total != n {
		t.Errorf("query counted %d resources, want %d", total, n)
	}
	if kinds < 30 {
		t.Errorf("demo estate has %d kinds, want at least 30", kinds)
	}

	code, _, stderr = run(t, "query", "--db", db, "delete from resources")
	if code != ExitError || !strings.Contains(stderr, "read-only") && !strings.Contains(stderr, "readonly") && !strings.Contains(stderr, "not allowed") {
		t.Errorf("a writing query: exit %d, stderr %q; want exit 2 and a read-only error", code, stderr)
	}
}

func TestExitCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cw.db")
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"demo fails on critical plants", []string{"scan", "--demo", "--db", db, "--fail-on", "critical", "-o", "json", "--output-file", os.DevNull}, ExitFindings},
		{"no threshold", []string{"scan", "--demo", "--db", db, "-o", "json", "--output-file", os.DevNull}, ExitOK},
		{"bad severity", []string{"scan", "--demo", "--db", db, "--fail-on", "bad"}, ExitError},
		{"unknown flag", []string{"scan", "--nope"}, ExitError},
		{"no collector", []string{"scan", "--db", db}, ExitError},
		{"unknown output", []string{"scan", "--demo", "--db", db, "-o", "pdf"}, ExitError},
		{"unknown kind", []string{"kinds", "aws_nope"}, ExitError},
		{"version", []string{"version"}, ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := run(t, tt.args...); code != tt.want {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.want, stderr)
			}
		})
	}
}

func TestCatalogCommands(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"kinds"}, []string{"aws_s3_bucket", "gcp_storage_bucket", "azure_storage_account", "do_droplet"}},
		{[]string{"kinds", "aws_s3_bucket"}, []string{"public_access_block", "service model:"}},
		{[]string{"checks", "--provider", "aws", "--severity", "critical"}, []string{"aws-s3-bucket-not-public"}},
		{[]string{"checks", "aws-s3-bucket-public-access-blocked"}, []string{"Remediation:", "Terraform:", "aws s3api put-public-access-block"}},
		{[]string{"frameworks"}, []string{"cis-gcp-foundations-v4.0"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := run(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestBrokenUserCheckNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := "id: aws-my-check\ntitle: t\nseverity: high\nprovider: aws\nkind: aws_s3_bucket\narea: configuration\ncondition: properties.versioning.status ==\n"
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "checks", "--checks", dir)
	if code != ExitError {
		t.Fatalf("exit %d, want %d", code, ExitError)
	}
	if !strings.Contains(stderr, "mine.yaml:") {
		t.Errorf("error does not name the file and line: %s", stderr)
	}
}

func difference(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			out = append(out, x)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
