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

// cisGCPVersions are the CIS Google Cloud Platform Foundation framework
// files with the number of recommendations (total, automated) that the
// catalog lists for each version: /work/shared/reference/cis-catalog.md
// section 2 ("v5.0.0: 93 recs (71 Automated / 22 Manual) … v4.0.0: 84
// recs (72 A / 12 M)"), itemised in its table.
var cisGCPVersions = []struct {
	id               string
	total, automated int
	// mapped is the least number of requirements with checks: the count
	// only goes up as checks are added.
	mapped int
}{
	{"cis-gcp-foundations-v4.0", 84, 72, 71},
	{"cis-gcp-foundations-v5.0", 93, 71, 74},
}

// TestCISGCPFrameworkCounts asserts that each CIS GCP framework file lists
// every recommendation of its version, no more, with the catalog's
// Automated/Manual split; that IDs are unique, levels 1 or 2 and sections
// match IDs; and that the two versions map the same recommendation (moved
// IDs and all) to the same checks.
func TestCISGCPFrameworkCounts(t *testing.T) {
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
	checksByTitle := map[string]map[string]string{}
	for _, v := range cisGCPVersions {
		f, ok := byID[v.id]
		if !ok {
			t.Fatalf("framework %s is missing", v.id)
		}
		t.Run(v.id, func(t *testing.T) {
			if got := len(f.Requirements); got != v.total {
				t.Errorf("%s: %d requirements, the catalog lists %d", f.File, got, v.total)
			}
			auto, mapped := 0, 0
			seen := map[string]bool{}
			checksByTitle[v.id] = map[string]string{}
			for _, r := range f.Requirements {
				if r.Automated {
					auto++
				}
				if len(r.Checks) > 0 {
					mapped++
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
				for _, c := range r.Checks {
					if !strings.HasPrefix(c, "gcp-") {
						t.Errorf("%s:%d: requirement %s maps the non-GCP check %s", f.File, r.Line, r.ID, c)
					}
				}
				checksByTitle[v.id][r.Title] = strings.Join(r.Checks, ",")
			}
			if auto != v.automated {
				t.Errorf("%s: %d automated requirements, the catalog lists %d", f.File, auto, v.automated)
			}
			if mapped < v.mapped {
				t.Errorf("%s: %d requirements with checks, want at least %d", f.File, mapped, v.mapped)
			}
		})
	}
	// A recommendation carried from v4.0 to v5.0 keeps its title; it must
	// keep its checks too.
	for title, c4 := range checksByTitle["cis-gcp-foundations-v4.0"] {
		if c5, ok := checksByTitle["cis-gcp-foundations-v5.0"][title]; ok && c4 != c5 {
			t.Errorf("%q: checks %q in v4.0 but %q in v5.0", title, c4, c5)
		}
	}
}

var updateCISGCP = flag.Bool("update-cis-gcp", false, "rewrite docs/cis-gcp.md from the framework files")

// TestCISGCPDoc keeps docs/cis-gcp.md, the mapping of every CIS Google
// Cloud recommendation to cloudward checks, in step with the framework
// files. Rewrite it with go test ./internal/policy -run TestCISGCPDoc
// -update-cis-gcp.
func TestCISGCPDoc(t *testing.T) {
	env := builtinEnv(t)
	cs := builtinChecks(t, env)
	all, err := policy.LoadFrameworks(frameworks.FS(), ".", "frameworks", cs)
	if err != nil {
		t.Fatalf("loading built-in frameworks: %v", err)
	}
	var fws []*policy.Framework
	for _, v := range cisGCPVersions {
		for _, f := range all {
			if f.ID == v.id {
				fws = append(fws, f)
			}
		}
	}
	if len(fws) != len(cisGCPVersions) {
		t.Fatalf("found %d CIS GCP frameworks, want %d", len(fws), len(cisGCPVersions))
	}
	var b bytes.Buffer
	b.WriteString("# CIS Google Cloud Platform Foundation Benchmark coverage\n\n")
	b.WriteString("cloudward ships the CIS Google Cloud Platform Foundation Benchmark v4.0 and v5.0 as frameworks\n")
	b.WriteString("(`frameworks/cis-gcp-foundations-v*.yaml`). Each file lists every recommendation of its version with our own short title,\n")
	b.WriteString("its section, CIS profile level and CIS's Automated/Manual flag, and the checks that decide it.\n")
	b.WriteString("A recommendation without checks is reported as needing manual review, never as passed.\n\n")
	b.WriteString("Run one with `cloudward scan --provider gcp --gcp-org ORG_ID --framework cis-gcp-foundations-v5.0`;\n")
	b.WriteString("`cloudward frameworks cis-gcp-foundations-v5.0` shows its coverage. See docs/gcp.md for what the checks read.\n\n")
	b.WriteString("This file is generated from the framework files by `go test ./internal/policy -run TestCISGCPDoc -update-cis-gcp`.\n\n")
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
	b.WriteString("\n## Checks and the recommendations they serve\n\n| Check | v4.0 | v5.0 |\n|---|---|---|\n")
	writeCheckRows(&b, fws)
	writeRequirementTables(&b, fws)
	compareGeneratedDoc(t, filepath.Join("..", "..", "docs", "cis-gcp.md"), b.Bytes(), *updateCISGCP, "go test ./internal/policy -run TestCISGCPDoc -update-cis-gcp")
}
