package policy_test

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"cloudward/frameworks"
	"cloudward/internal/policy"
)

var updateCISAWS = flag.Bool("update-cis-aws", false, "rewrite docs/cis-aws.md from the framework files")

// cisAWSVersions are the CIS AWS Foundations framework files, oldest first,
// with the number of recommendations (total, automated) that the catalog
// lists for each version: /work/shared/reference/cis-catalog.md section 1.1
// "Version history at a glance" (rows v3.0.0, v5.0.0, v6.0.0, v7.0.0),
// itemised in sections 1.2 (v5.0, v6.0, v7.0 columns) and 1.3 (v3.0).
var cisAWSVersions = []struct {
	id               string
	short            string
	total, automated int
}{
	{"cis-aws-foundations-v3.0", "v3.0", 62, 35},
	{"cis-aws-foundations-v5.0", "v5.0", 63, 35},
	{"cis-aws-foundations-v6.0", "v6.0", 63, 35},
	{"cis-aws-foundations-v7.0", "v7.0", 70, 34},
}

func loadCISAWS(t *testing.T) []*policy.Framework {
	t.Helper()
	env := builtinEnv(t)
	cs := builtinChecks(t, env)
	fws, err := policy.LoadFrameworks(frameworks.FS(), ".", "frameworks", cs)
	if err != nil {
		t.Fatalf("loading built-in frameworks: %v", err)
	}
	byID := map[string]*policy.Framework{}
	for _, f := range fws {
		byID[f.ID] = f
	}
	out := make([]*policy.Framework, 0, len(cisAWSVersions))
	for _, v := range cisAWSVersions {
		f, ok := byID[v.id]
		if !ok {
			t.Fatalf("framework %s is missing", v.id)
		}
		out = append(out, f)
	}
	return out
}

// TestCISAWSFrameworkCounts asserts that every CIS AWS framework file lists
// every recommendation of its version, no more, with the catalog's
// Automated/Manual split, and that IDs are unique and sections match IDs.
func TestCISAWSFrameworkCounts(t *testing.T) {
	fws := loadCISAWS(t)
	for i, v := range cisAWSVersions {
		f := fws[i]
		t.Run(v.short, func(t *testing.T) {
			if got := len(f.Requirements); got != v.total {
				t.Errorf("%s: %d requirements, the catalog lists %d", f.File, got, v.total)
			}
			auto := 0
			seen := map[string]bool{}
			for _, r := range f.Requirements {
				if r.Automated {
					auto++
				}
				if seen[r.ID] {
					t.Errorf("%s:%d: duplicate requirement %s", f.File, r.Line, r.ID)
				}
				seen[r.ID] = true
				if r.Level != 1 && r.Level != 2 {
					t.Errorf("%s:%d: requirement %s has level %d, want 1 or 2", f.File, r.Line, r.ID, r.Level)
				}
				sect, _, _ := strings.Cut(r.Section, " ")
				if r.ID != sect && !strings.HasPrefix(r.ID, sect+".") {
					t.Errorf("%s:%d: requirement %s sits in section %q", f.File, r.Line, r.ID, r.Section)
				}
			}
			if auto != v.automated {
				t.Errorf("%s: %d automated requirements, the catalog lists %d", f.File, auto, v.automated)
			}
		})
	}
}

// TestCISAWSDoc keeps docs/cis-aws.md, the mapping of every CIS AWS
// recommendation to cloudward checks, in step with the framework files.
// Rewrite it with go test ./internal/policy -run TestCISAWSDoc -update-cis-aws.
func TestCISAWSDoc(t *testing.T) {
	fws := loadCISAWS(t)
	var b bytes.Buffer
	b.WriteString("# CIS AWS Foundations Benchmark coverage\n\n")
	b.WriteString("cloudward ships the CIS Amazon Web Services Foundations Benchmark v3.0, v5.0, v6.0 and v7.0 as frameworks\n")
	b.WriteString("(`frameworks/cis-aws-foundations-v*.yaml`). Each file lists every recommendation of its version with our own short title,\n")
	b.WriteString("its section, CIS profile level and CIS's Automated/Manual flag, and the checks that decide it.\n")
	b.WriteString("A recommendation without checks is reported as needing manual review, never as passed.\n\n")
	b.WriteString("Run one with `cloudward scan --framework cis-aws-foundations-v5.0` (several: comma-separated);\n")
	b.WriteString("`cloudward frameworks cis-aws-foundations-v5.0` shows its coverage.\n\n")
	b.WriteString("This file is generated from the framework files by `go test ./internal/policy -run TestCISAWSDoc -update-cis-aws`.\n\n")

	b.WriteString("## Coverage\n\n| Framework | Recommendations | Automated (CIS) | Manual (CIS) | With checks |\n|---|---|---|---|---|\n")
	for _, f := range fws {
		auto, covered := 0, 0
		for _, r := range f.Requirements {
			if r.Automated {
				auto++
			}
			if !r.Manual() {
				covered++
			}
		}
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d | %d |\n", f.ID, len(f.Requirements), auto, len(f.Requirements)-auto, covered)
	}

	// Check → requirement IDs per version.
	b.WriteString("\n## Checks and the recommendations they serve\n\n| Check |")
	for _, v := range cisAWSVersions {
		fmt.Fprintf(&b, " %s |", v.short)
	}
	b.WriteString("\n|---|")
	for range cisAWSVersions {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	writeCheckRows(&b, fws)
	writeRequirementTables(&b, fws)
	compareGeneratedDoc(t, filepath.Join("..", "..", "docs", "cis-aws.md"), b.Bytes(), *updateCISAWS, "go test ./internal/policy -run TestCISAWSDoc -update-cis-aws")
}

// cisAWSNotAPI lists, per version, the recommendations the catalog
// (/work/shared/reference/cis-catalog.md, column Scan) does not mark "api":
// "evidence" (the data exists but the verdict is the organization's
// judgement) or "no" (not observable through the API). Every other
// recommendation must have at least one check.
var cisAWSNotAPI = map[string][]string{
	"v3.0": {"1.1", "1.3", "1.7", "1.21", "2.1.3", "5.5"},
	"v5.0": {"1.1", "1.6", "1.20", "2.1.3", "5.6"},
	"v6.0": {"2.1", "2.6", "2.20", "3.1.3", "6.6"},
	"v7.0": {"2.1.2", "2.1.3", "2.1.4", "2.2", "2.7", "2.19", "3.1.3", "6.6", "6.8"},
}

// TestCISAWSDecidableCovered asserts that every recommendation the catalog
// marks decidable from API data has a check in each framework file.
func TestCISAWSDecidableCovered(t *testing.T) {
	fws := loadCISAWS(t)
	for i, v := range cisAWSVersions {
		f := fws[i]
		t.Run(v.short, func(t *testing.T) {
			notAPI := map[string]bool{}
			for _, id := range cisAWSNotAPI[v.short] {
				notAPI[id] = true
			}
			seen := map[string]bool{}
			for _, r := range f.Requirements {
				seen[r.ID] = true
				if !notAPI[r.ID] && r.Manual() {
					t.Errorf("%s:%d: requirement %s (%s) is decidable from API data but has no check", f.File, r.Line, r.ID, r.Title)
				}
			}
			for id := range notAPI {
				if !seen[id] {
					t.Errorf("%s: cisAWSNotAPI names %s, which the framework does not list", f.File, id)
				}
			}
		})
	}
}
