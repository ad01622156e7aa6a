package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A schedule in cloudward.yaml for a scope serve does not run is refused
// with the file and line, before anything starts listening.
func TestServeScheduleFromConfigUnknownScope(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cloudward.yaml")
	data := "org:\n  required_tags: [owner]\nschedules:\n  - {scope: demo, cron: \"@hourly\"}\n  - {scope: aws, cron: \"0 * * * *\"}\n"
	if err := os.WriteFile(cfg, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "serve", "--demo", "--config", cfg, "--db", filepath.Join(dir, "db"), "--listen", "127.0.0.1:0")
	if code != ExitError {
		t.Fatalf("exit %d, want %d (stderr %q)", code, ExitError, stderr)
	}
	if !strings.Contains(stderr, "cloudward.yaml:5") || !strings.Contains(stderr, `unknown scope "aws"`) {
		t.Errorf("error does not name the file, line and scope: %s", stderr)
	}
}
