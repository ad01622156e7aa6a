package policy_test

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/policy"
)

// The CIS coverage documents (docs/cis-aws.md, docs/cis-gcp.md) are
// generated from the framework files by the tests below; these helpers
// write the parts every benchmark's document shares.

// writeCheckRows writes one table row per check: the requirement IDs it
// serves in each of fws, in order ("—" where it serves none). The caller
// writes the table's header.
func writeCheckRows(b *bytes.Buffer, fws []*policy.Framework) {
	byCheck := map[string][][]string{}
	for i, f := range fws {
		for _, r := range f.Requirements {
			for _, c := range r.Checks {
				if byCheck[c] == nil {
					byCheck[c] = make([][]string, len(fws))
				}
				byCheck[c][i] = append(byCheck[c][i], r.ID)
			}
		}
	}
	ids := make([]string, 0, len(byCheck))
	for c := range byCheck {
		ids = append(ids, c)
	}
	slices.Sort(ids)
	for _, c := range ids {
		fmt.Fprintf(b, "| `%s` |", c)
		for _, reqs := range byCheck[c] {
			s := strings.Join(reqs, ", ")
			if s == "" {
				s = "—"
			}
			fmt.Fprintf(b, " %s |", s)
		}
		b.WriteString("\n")
	}
}

// writeRequirementTables writes, per framework, every recommendation by
// section with its A/M flag, level and checks ("manual review" when none).
func writeRequirementTables(b *bytes.Buffer, fws []*policy.Framework) {
	for _, f := range fws {
		fmt.Fprintf(b, "\n## %s %s (`%s`)\n\n", f.Title, f.Version, f.ID)
		b.WriteString("| ID | Recommendation | A/M | Level | Checks |\n|---|---|---|---|---|\n")
		section := ""
		for _, r := range f.Requirements {
			if r.Section != section {
				section = r.Section
				fmt.Fprintf(b, "| | **%s** | | | |\n", section)
			}
			am := "M"
			if r.Automated {
				am = "A"
			}
			checks := "manual review"
			if !r.Manual() {
				cs := make([]string, len(r.Checks))
				for i, c := range r.Checks {
					cs[i] = "`" + c + "`"
				}
				checks = strings.Join(cs, ", ")
			}
			fmt.Fprintf(b, "| %s | %s | %s | L%d | %s |\n", r.ID, strings.ReplaceAll(r.Title, "|", `\|`), am, r.Level, checks)
		}
	}
}

// compareGeneratedDoc writes got to path when update is set, and otherwise
// fails when the file differs, saying how to regenerate it.
func compareGeneratedDoc(t *testing.T, path string, got []byte, update bool, regenerate string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (generate it with: %s)", err, regenerate)
	}
	if !bytes.Equal(old, got) {
		t.Errorf("%s is stale: run %s", path, regenerate)
	}
}
