package report

import (
	"slices"
	"testing"

	"cloudward/internal/finding"
)

// A provider benchmark is scored only when its cloud was scanned, unless
// the user selected it; multi-cloud frameworks are always scored.
func TestFrameworksOfScannedProviders(t *testing.T) {
	fws := []FrameworkInfo{
		{ID: "cis-aws", Provider: "aws", Requirements: []RequirementInfo{{ID: "1", CheckIDs: []string{"aws-a"}}}},
		{ID: "cis-gcp", Provider: "gcp", Requirements: []RequirementInfo{{ID: "1", CheckIDs: []string{"gcp-a"}}}},
		{ID: "nist", Requirements: []RequirementInfo{{ID: "AC-1", CheckIDs: []string{"aws-a", "gcp-a"}}}},
	}
	checks := []CheckInfo{{ID: "aws-a", Provider: "aws"}, {ID: "gcp-a", Provider: "gcp"}}
	ids := func(s *Summary) []string {
		var out []string
		for _, fs := range s.Frameworks() {
			out = append(out, fs.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		keep bool
		want []string
	}{
		{"scanned providers only", false, []string{"cis-gcp", "nist"}},
		{"selected frameworks kept", true, []string{"cis-aws", "cis-gcp", "nist"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSummary(Meta{}, checks, fws)
			if tc.keep {
				s.KeepEmptyFrameworks()
			}
			s.Add(finding.Finding{CheckID: "gcp-a", Status: finding.Fail, Provider: "gcp", ResourceUID: "//x"})
			if got := ids(s); !slices.Equal(got, tc.want) {
				t.Fatalf("frameworks = %v, want %v", got, tc.want)
			}
		})
	}
}
