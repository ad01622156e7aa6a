package policy_test

import (
	"strings"
	"testing"

	"cloudward/frameworks"
	"cloudward/internal/policy"
)

// cisAzureVersions are the CIS Azure Foundations framework files with the
// number of recommendations (total, automated) the catalog lists for each:
// /work/shared/reference/cis-catalog.md section 3 ("v6.0.0: 127 recs (89
// Automated / 38 Manual)", "v5.0.0: 155 recs (93 A / 62 M)"), itemised in
// 3.1 (v6.0, with each row's v5.0 ID) and 3.2 (the 29 v5.0-only rows).
var cisAzureVersions = []struct {
	id               string
	total, automated int
	// v5only lists requirement IDs that exist in this version only and
	// must be present (the Entra items v6.0 dropped).
	mustHave []string
}{
	{"cis-azure-foundations-v5.0", 155, 93, []string{"5.2.1", "5.2.8", "5.4", "5.16", "5.21", "5.26", "5.28", "6.1.1.6", "6.1.1.10"}},
	{"cis-azure-foundations-v6.0", 127, 89, []string{"2.1.12", "5.1.4", "5.7", "6.1.1.9"}},
}

// TestCISAzureFrameworkCounts asserts that every CIS Azure framework file
// lists every recommendation of its version, no more, with the catalog's
// Automated/Manual split, unique IDs, levels 1 or 2 and sections that match
// the IDs.
func TestCISAzureFrameworkCounts(t *testing.T) {
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
	for _, v := range cisAzureVersions {
		t.Run(v.id, func(t *testing.T) {
			f, ok := byID[v.id]
			if !ok {
				t.Fatalf("framework %s is missing", v.id)
			}
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
				// Every recommendation CIS marks Automated is decidable from
				// API data and has a check (docs/azure.md, coverage).
				if r.Automated && len(r.Checks) == 0 {
					t.Errorf("%s:%d: automated requirement %s has no check", f.File, r.Line, r.ID)
				}
				for _, c := range r.Checks {
					if !strings.HasPrefix(c, "azure-") {
						t.Errorf("%s:%d: requirement %s maps non-Azure check %s", f.File, r.Line, r.ID, c)
					}
				}
			}
			if auto != v.automated {
				t.Errorf("%s: %d automated requirements, the catalog lists %d", f.File, auto, v.automated)
			}
			for _, id := range v.mustHave {
				if !seen[id] {
					t.Errorf("%s: recommendation %s missing", f.File, id)
				}
			}
		})
	}
}
