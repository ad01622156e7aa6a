package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// scan --framework takes several frameworks: the terminal report scores
// each one per requirement and per section, and every JSON finding carries
// the requirement IDs its check serves in each selected framework.
func TestScanSeveralFrameworks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	out := filepath.Join(dir, "out.json")
	code, stdout, stderr := run(t, "scan", "--demo", "--db", db, "--framework", "cis-aws-foundations-v3.0,cis-aws-foundations-v5.0",
		"--output", "table,json="+out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Requirements  CIS Amazon Web Services Foundations Benchmark 3.0.0",
		"Requirements  CIS Amazon Web Services Foundations Benchmark 5.0.0", "Sections (score", "4 Monitoring"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("terminal report lacks %q", want)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []struct {
			CheckID      string              `json:"check_id"`
			Requirements map[string][]string `json:"requirements"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range rep.Findings {
		if len(f.Requirements) == 0 {
			t.Fatalf("finding of %s carries no requirement IDs", f.CheckID)
		}
		if f.CheckID == "aws-iam-root-mfa-enabled" && !slices.Contains(f.Requirements["cis-aws-foundations-v5.0"], "1.4") {
			t.Errorf("root MFA finding requirements %v, want v5.0 1.4", f.Requirements)
		}
		for fw := range f.Requirements {
			if fw != "cis-aws-foundations-v3.0" && fw != "cis-aws-foundations-v5.0" {
				t.Errorf("finding of %s names unselected framework %s", f.CheckID, fw)
			}
		}
	}
	if code, _, _ := run(t, "scan", "--demo", "--db", db, "--framework", "cis-aws-foundations-v5.0,nope"); code != ExitError {
		t.Errorf("unknown framework in the list: exit %d, want %d", code, ExitError)
	}
}
