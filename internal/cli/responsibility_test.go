package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"cloudward/frameworks"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
)

func TestResponsibilityDemo(t *testing.T) {
	code, out, stderr := run(t, "responsibility", "--demo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"AWS — ", "GCP — ", "AZURE — ", "DIGITALOCEAN — ", "aws FaaS", "Blind spots:", "BLIND SPOT"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	code, out, stderr = run(t, "responsibility", "--demo", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Rows []struct {
			Provider  resource.Provider `json:"provider"`
			Resources int64             `json:"resources"`
		} `json:"rows"`
		BlindSpots []struct {
			Owner string `json:"owner"`
		} `json:"blind_spots"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[resource.Provider]bool{}
	for _, r := range doc.Rows {
		if r.Resources == 0 {
			t.Errorf("row without resources: %+v", r)
		}
		seen[r.Provider] = true
	}
	for _, p := range resource.Providers {
		if !seen[p] {
			t.Errorf("no row for %s", p)
		}
	}
	if len(doc.BlindSpots) == 0 {
		t.Error("no blind spots listed")
	}
	for _, b := range doc.BlindSpots {
		if b.Owner == "provider" {
			t.Errorf("provider-owned blind spot %+v", b)
		}
	}
}

func TestResponsibilityFromSnapshot(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	if code, _, stderr := run(t, "scan", "--demo", "--db", db, "--output", "json", "--output-file", filepath.Join(t.TempDir(), "f.json")); code != 1 && code != 0 {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	code, out, stderr := run(t, "responsibility", "--db", db, "--snapshot", "1")
	if code != 0 || !strings.Contains(out, "digitalocean IaaS") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	if code, _, _ := run(t, "responsibility", "--db", db, "--snapshot", "99"); code == 0 {
		t.Errorf("missing snapshot: exit %d", code)
	}
	if code, _, _ := run(t, "responsibility", "--demo", "--db", db); code != 2 {
		t.Errorf("--demo with --db: exit %d", code)
	}
}

func TestResponsibilityExplain(t *testing.T) {
	code, out, _ := run(t, "responsibility", "--explain", "aws_ec2_instance")
	if code != 0 || !strings.Contains(out, "You:\n") || !strings.Contains(out, "Guest OS and patching: patch and harden") {
		t.Errorf("ec2 explanation (exit %d):\n%s", code, out)
	}
	code, out, _ = run(t, "responsibility", "--explain", "aws_lambda_function")
	if code != 0 || !strings.Contains(out, "Guest OS and patching: the provider patches the operating system and runtime") {
		t.Errorf("lambda explanation (exit %d):\n%s", code, out)
	}
	code, out, _ = run(t, "responsibility", "--explain", "gcp_compute_instance")
	if code != 0 || !strings.Contains(out, "Shared fate") {
		t.Errorf("gcp explanation (exit %d):\n%s", code, out)
	}
	if code, _, _ := run(t, "responsibility", "--explain", "nope"); code != 2 {
		t.Errorf("unknown kind: exit %d", code)
	}
}

// wantCoverage pins each framework's size and how many of its requirements
// have checks without company rules (org-* checks absent), so a mapping
// change is deliberate.
var wantCoverage = map[string][2]int{
	"nist-800-53-r5":                {59, 47},
	"nist-csf-2.0":                  {35, 22},
	"iso-27001-2022":                {36, 26},
	"pci-dss-4.0":                   {40, 34},
	"hipaa-security-rule":           {26, 17},
	"soc2":                          {27, 19},
	"gdpr":                          {15, 9},
	"nis2":                          {14, 9},
	"fedramp-moderate":              {49, 43},
	"aws-well-architected-security": {35, 30},
}

func TestFrameworkCoverage(t *testing.T) {
	cat, err := loadCatalog(catalogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range wantCoverage {
		fw := findFramework(cat.frameworks, id)
		if fw == nil {
			t.Errorf("framework %s missing", id)
			continue
		}
		covered := 0
		for _, r := range fw.Requirements {
			if !r.Manual() {
				covered++
			}
		}
		if got := [2]int{len(fw.Requirements), covered}; got != want {
			t.Errorf("%s: %d requirements, %d with checks; want %v", id, got[0], got[1], want)
		}
	}
	// With the demo's company rules, the region rule backs GDPR's transfer
	// article, which is manual without it.
	withOrg, err := loadCatalog(catalogOptions{defaultConfig: []byte("org:\n  allowed_regions: {aws: [eu-west-1]}\n")})
	if err != nil {
		t.Fatal(err)
	}
	gdpr := findFramework(withOrg.frameworks, "gdpr")
	for _, r := range gdpr.Requirements {
		if r.ID == "Art. 44" && (len(r.Checks) != 1 || r.Checks[0] != policy.OrgAllowedRegionsID) {
			t.Errorf("Art. 44 checks %v", r.Checks)
		}
	}
	// Every built-in framework file loads against the built-in checks.
	if _, err := policy.LoadFrameworks(frameworks.FS(), ".", "frameworks", cat.checks); err != nil {
		t.Fatal(err)
	}
}

func TestScanFramework(t *testing.T) {
	dir := t.TempDir()
	for id := range wantCoverage {
		code, out, stderr := run(t, "scan", "--demo", "--db", filepath.Join(dir, id+".db"), "--framework", id, "--max-rows", "3")
		if code != 0 && code != 1 {
			t.Fatalf("%s: exit %d: %s", id, code, stderr)
		}
		if !strings.Contains(out, "Requirements  ") || !strings.Contains(out, "Coverage: ") {
			t.Errorf("%s: no per-requirement results:\n%s", id, out)
		}
		if strings.Count(out, "\n  cis-") > 0 || strings.Contains(out, "CIS Amazon") {
			t.Errorf("%s: other frameworks in the report", id)
		}
	}
	if code, _, _ := run(t, "scan", "--demo", "--db", filepath.Join(dir, "x.db"), "--framework", "nope"); code != 2 {
		t.Errorf("unknown framework: exit %d", code)
	}
}
