package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDistributedUsageErrors checks that misuse of worker and scan
// --distributed is a usage error (exit 2) that says what to do.
func TestDistributedUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cw.db")
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"worker without db":     {[]string{"worker"}, "--db is required"},
		"worker on sqlite":      {[]string{"worker", "--db", db}, "must be a PostgreSQL URL"},
		"worker concurrency":    {[]string{"worker", "--db", "postgres://x@/db", "--concurrency", "0"}, "--concurrency must be at least 1"},
		"worker timeout":        {[]string{"worker", "--db", "postgres://x@/db", "--job-timeout", "0s"}, "--job-timeout must be positive"},
		"worker unknown cloud":  {[]string{"worker", "--db", "postgres://x@/db", "--provider", "oracle"}, `--provider "oracle": no collector`},
		"worker no cloud":       {[]string{"worker", "--db", "postgres://x@/db", "--provider", ""}, "name at least one cloud"},
		"distributed demo":      {[]string{"scan", "--demo", "--distributed", "--db", db}, "demo estate is generated in this process"},
		"distributed on sqlite": {[]string{"scan", "--provider", "aws", "--distributed", "--db", db}, "needs a PostgreSQL --db"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(t, tc.args...)
			if code != ExitError || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
			}
		})
	}
}

// TestWorkerHelpHidesPlanningFlags: scope flags are the scan's business.
func TestWorkerHelpHidesPlanningFlags(t *testing.T) {
	code, stdout, stderr := run(t, "worker", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, hidden := range planningFlags {
		if regexp.MustCompile(`(?m)^\s+--` + hidden + `\b`).MatchString(stdout) {
			t.Errorf("worker --help shows --%s, a flag only the scan uses", hidden)
		}
	}
	for _, shown := range []string{"--aws-role-name", "--concurrency", "--job-timeout", "--db"} {
		if !strings.Contains(stdout, shown) {
			t.Errorf("worker --help does not show %s", shown)
		}
	}
}
