package report

import (
	"math"
	"slices"
	"testing"

	"cloudward/internal/finding"
)

func TestRequirementStatus(t *testing.T) {
	const a, b, c = "check-a", "check-b", "check-c"
	tests := []struct {
		name     string
		checks   []string
		findings []finding.Status // findings of check-a
		others   []finding.Status // findings of check-b
		want     RequirementStatus
	}{
		{name: "no checks is manual", want: RequirementManual},
		{name: "no checks is manual even with findings elsewhere", others: []finding.Status{finding.Fail}, want: RequirementManual},
		{name: "checks without findings", checks: []string{a}, want: RequirementNoResources},
		{name: "unknown check id", checks: []string{c}, others: []finding.Status{finding.Pass}, want: RequirementNoResources},
		{name: "all pass", checks: []string{a}, findings: []finding.Status{finding.Pass, finding.Pass}, want: RequirementPass},
		{name: "muted only counts as not failing", checks: []string{a}, findings: []finding.Status{finding.Muted}, want: RequirementPass},
		{name: "pass and muted", checks: []string{a}, findings: []finding.Status{finding.Pass, finding.Muted}, want: RequirementPass},
		{name: "one fail among passes", checks: []string{a}, findings: []finding.Status{finding.Pass, finding.Fail, finding.Pass}, want: RequirementFail},
		{name: "fail beats error", checks: []string{a}, findings: []finding.Status{finding.Error, finding.Fail}, want: RequirementFail},
		{name: "error only", checks: []string{a}, findings: []finding.Status{finding.Error}, want: RequirementError},
		{name: "error and pass is undecided", checks: []string{a}, findings: []finding.Status{finding.Pass, finding.Error}, want: RequirementError},
		{name: "fail in second check", checks: []string{a, b}, findings: []finding.Status{finding.Pass}, others: []finding.Status{finding.Fail}, want: RequirementFail},
		{name: "second check has no findings", checks: []string{a, b}, findings: []finding.Status{finding.Pass}, want: RequirementPass},
		{name: "duplicate check ids counted once", checks: []string{a, a}, findings: []finding.Status{finding.Pass}, want: RequirementPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fw := FrameworkInfo{ID: "fw", Requirements: []RequirementInfo{{ID: "r", CheckIDs: tt.checks}}}
			s := NewSummary(Meta{}, []CheckInfo{{ID: a}, {ID: b}}, []FrameworkInfo{fw})
			for _, st := range tt.findings {
				s.Add(finding.Finding{CheckID: a, Status: st})
			}
			for _, st := range tt.others {
				s.Add(finding.Finding{CheckID: b, Status: st})
			}
			got := s.Frameworks()[0].Requirements[0]
			if got.Status != tt.want {
				t.Errorf("status = %s, want %s", got.Status, tt.want)
			}
			var want int64
			if slices.Contains(tt.checks, a) {
				want += int64(len(tt.findings))
			}
			if slices.Contains(tt.checks, b) {
				want += int64(len(tt.others))
			}
			if got.Counts.Total() != want {
				t.Errorf("requirement counts %+v, want %d findings (each listed check once)", got.Counts, want)
			}
		})
	}
}

func TestFrameworkScore(t *testing.T) {
	tests := []struct {
		name                                   string
		statuses                               []RequirementStatus
		wantScore                              float64
		wantOK                                 bool
		passed, failed, errored, noRes, manual int
	}{
		{name: "empty framework", wantOK: false},
		{name: "only manual and no resources", statuses: []RequirementStatus{RequirementManual, RequirementNoResources}, wantOK: false, noRes: 1, manual: 1},
		{name: "only errors", statuses: []RequirementStatus{RequirementError}, wantOK: false, errored: 1},
		{name: "all pass", statuses: []RequirementStatus{RequirementPass, RequirementPass}, wantScore: 100, wantOK: true, passed: 2},
		{name: "all fail", statuses: []RequirementStatus{RequirementFail}, wantScore: 0, wantOK: true, failed: 1},
		{
			name:      "mixed: error, manual and no resources leave the score alone",
			statuses:  []RequirementStatus{RequirementPass, RequirementFail, RequirementFail, RequirementError, RequirementManual, RequirementNoResources},
			wantScore: 100.0 / 3, wantOK: true, passed: 1, failed: 2, errored: 1, noRes: 1, manual: 1,
		},
	}
	// Each status is produced by one requirement over its own check.
	findingsFor := map[RequirementStatus][]finding.Status{
		RequirementPass:  {finding.Pass},
		RequirementFail:  {finding.Fail, finding.Pass},
		RequirementError: {finding.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reqs []RequirementInfo
			var fs []finding.Finding
			for i, st := range tt.statuses {
				id := string(rune('a' + i))
				r := RequirementInfo{ID: id, Automated: st != RequirementManual}
				if st != RequirementManual {
					r.CheckIDs = []string{"check-" + id}
				}
				for _, fst := range findingsFor[st] {
					fs = append(fs, finding.Finding{CheckID: "check-" + id, Status: fst})
				}
				reqs = append(reqs, r)
			}
			s := NewSummary(Meta{}, nil, []FrameworkInfo{{ID: "fw", Requirements: reqs}})
			for _, f := range fs {
				s.Add(f)
			}
			got := s.Frameworks()[0]
			score, ok := got.Score()
			if ok != tt.wantOK || math.Abs(score-tt.wantScore) > 1e-9 {
				t.Errorf("Score() = %v, %v; want %v, %v", score, ok, tt.wantScore, tt.wantOK)
			}
			if got.Passed != tt.passed || got.Failed != tt.failed || got.Errored != tt.errored || got.NoResources != tt.noRes || got.Manual != tt.manual {
				t.Errorf("counts passed=%d failed=%d error=%d no_resources=%d manual=%d; want %d %d %d %d %d",
					got.Passed, got.Failed, got.Errored, got.NoResources, got.Manual, tt.passed, tt.failed, tt.errored, tt.noRes, tt.manual)
			}
			for i, r := range got.Requirements {
				if r.Status != tt.statuses[i] {
					t.Errorf("requirement %s: status %s, want %s", r.ID, r.Status, tt.statuses[i])
				}
			}
		})
	}
}

func TestSummaryCounts(t *testing.T) {
	s := fixtureSummary(nil)

	if got, want := s.Totals(), (Counts{Pass: 5, Fail: 5, Error: 2, Muted: 2}); got != want {
		t.Errorf("Totals() = %+v, want %+v", got, want)
	}
	if got, want := s.Severity(finding.High), (Counts{Pass: 1, Fail: 2, Error: 1, Muted: 1}); got != want {
		t.Errorf("Severity(high) = %+v, want %+v", got, want)
	}
	if got := s.Severity(finding.Severity(42)); got != (Counts{}) {
		t.Errorf("Severity(42) = %+v, want zero", got)
	}
	for _, tt := range []struct {
		sev  finding.Severity
		want int64
	}{{finding.Critical, 1}, {finding.High, 3}, {finding.Medium, 4}, {finding.Low, 4}, {finding.Info, 5}} {
		if got := s.FailingAtOrAbove(tt.sev); got != tt.want {
			t.Errorf("FailingAtOrAbove(%s) = %d, want %d", tt.sev, got, tt.want)
		}
	}
	if r, ok := s.Totals().PassRate(); !ok || r != 50 {
		t.Errorf("PassRate() = %v, %v; want 50, true", r, ok)
	}
	if _, ok := (Counts{Muted: 3, Error: 1}).PassRate(); ok {
		t.Error("PassRate() of muted and error findings only should not be defined")
	}

	var ids []string
	for _, c := range s.TopFailing(3) {
		ids = append(ids, c.ID)
	}
	if want := []string{"aws-iam-root-mfa-enabled", "aws-s3-bucket-public-access-blocked", "gcp-storage-bucket-uniform-access"}; !slices.Equal(ids, want) {
		t.Errorf("TopFailing(3) = %v, want %v", ids, want)
	}
	if got := len(s.TopFailing(0)); got != 4 {
		t.Errorf("len(TopFailing(0)) = %d, want 4", got)
	}

	unknown, ok := s.Check("custom-check-unknown")
	if !ok || unknown.Severity != finding.Info || unknown.Provider != "digitalocean" || unknown.Counts != (Counts{Pass: 1, Fail: 1}) {
		t.Errorf("Check(custom-check-unknown) = %+v, %v", unknown, ok)
	}
	if got := len(s.Checks()); got != len(fixtureChecks)+1 {
		t.Errorf("len(Checks()) = %d, want %d", got, len(fixtureChecks)+1)
	}

	wantProviders := []Group{
		{Provider: "aws", Counts: Counts{Pass: 3, Fail: 3, Error: 1, Muted: 2}},
		{Provider: "azure", Counts: Counts{Error: 1}},
		{Provider: "digitalocean", Counts: Counts{Pass: 1, Fail: 1}},
		{Provider: "gcp", Counts: Counts{Pass: 1, Fail: 1}},
	}
	if got := s.Providers(); !slices.Equal(got, wantProviders) {
		t.Errorf("Providers() = %+v, want %+v", got, wantProviders)
	}
	accounts := s.Accounts()
	if len(accounts) != 5 || accounts[0] != (Group{Provider: "aws", Account: "111122223333", Counts: Counts{Pass: 1, Fail: 3, Muted: 1}}) {
		t.Errorf("Accounts() = %+v", accounts)
	}
	regions := s.Regions()
	if len(regions) != 6 || regions[0] != (Group{Provider: "aws", Region: "eu-west-1", Counts: Counts{Pass: 1, Fail: 2, Muted: 1}}) {
		t.Errorf("Regions() = %+v", regions)
	}
}

func TestSummaryDuplicateChecksAndOddValues(t *testing.T) {
	s := NewSummary(Meta{}, []CheckInfo{{ID: "a", Title: "first"}, {ID: "a", Title: "second"}}, nil)
	s.Add(finding.Finding{CheckID: "a", Status: "BOGUS", Severity: finding.Severity(-3)})
	s.Add(finding.Finding{CheckID: "a", Status: finding.Fail, Severity: finding.Severity(9)})
	c, _ := s.Check("a")
	if c.Title != "first" || len(s.Checks()) != 1 {
		t.Errorf("duplicate check: got %+v (%d checks), want the first one only", c, len(s.Checks()))
	}
	if c.Counts != (Counts{Error: 1, Fail: 1}) {
		t.Errorf("counts = %+v: an unknown status counts as an error", c.Counts)
	}
	if s.Severity(finding.Info).Error != 1 || s.Severity(finding.Critical).Fail != 1 {
		t.Error("out-of-range severities should be clamped to info and critical")
	}
}

func TestSummaryAddDoesNotAllocate(t *testing.T) {
	s := fixtureSummary(nil)
	f := fixtureFindings[2]
	if n := testing.AllocsPerRun(1000, func() { s.Add(f) }); n != 0 {
		t.Errorf("Add allocates %v times per finding of a known check, account and region; want 0", n)
	}
}
