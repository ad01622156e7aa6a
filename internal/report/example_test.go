package report_test

import (
	"os"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/report"
)

// Example shows the whole flow: count every finding into a Summary, then
// render the terminal report from a stream of the failing ones.
func Example() {
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	s := report.NewSummary(
		report.Meta{SnapshotID: 1, Scope: "aws 111122223333", StartedAt: start, FinishedAt: start.Add(3 * time.Second), Resources: 2},
		[]report.CheckInfo{{ID: "aws-s3-bucket-versioning", Title: "S3 bucket has versioning", Severity: finding.Medium, Provider: "aws"}},
		[]report.FrameworkInfo{{ID: "demo", Title: "Demo", Requirements: []report.RequirementInfo{
			{ID: "1", Title: "Versioning", Automated: true, CheckIDs: []string{"aws-s3-bucket-versioning"}},
		}}},
	)
	all := []finding.Finding{
		{CheckID: "aws-s3-bucket-versioning", Severity: finding.Medium, Status: finding.Fail, ResourceName: "logs", Provider: "aws", Account: "111122223333", Region: "eu-west-1"},
		{CheckID: "aws-s3-bucket-versioning", Severity: finding.Medium, Status: finding.Pass, ResourceName: "data", Provider: "aws", Account: "111122223333", Region: "eu-west-1"},
	}
	for _, f := range all {
		s.Add(f)
	}
	failing := func(yield func(finding.Finding, error) bool) {
		for _, f := range all {
			if f.Status == finding.Fail && !yield(f, nil) {
				return
			}
		}
	}
	if err := report.WriteText(os.Stdout, s, failing, report.DefaultTextOptions()); err != nil {
		panic(err)
	}
	// Output:
	// cloudward scan: aws 111122223333
	// snapshot 1 · started 2026-11-01 12:00:00 UTC · took 3s · 2 resources
	//
	// Findings  2 findings
	//   FAIL 1   ERROR 0   MUTED 0   PASS 1   (pass rate 50.0%)
	//   FAIL by severity: critical 0   high 0   medium 1   low 0   info 0
	//
	// Frameworks
	//   FRAMEWORK  SCORE  PASSED  FAILED  ERROR  NO RESOURCES  MANUAL
	//   Demo        0.0%       0       1      0             0       0
	//   Score = passed / (passed + failed) requirements.
	//
	// Top failing checks
	//   SEVERITY  CHECK                     TITLE                     FAILING
	//   medium    aws-s3-bucket-versioning  S3 bucket has versioning        1
	//
	// Collection errors: none
	//
	// Failing findings  FAIL 1, ERROR 0
	//   SEVERITY  CHECK                     RESOURCE  ACCOUNT       REGION     STATUS
	//   medium    aws-s3-bucket-versioning  logs      111122223333  eu-west-1  FAIL
	//
	// Explore with SQL: cloudward query "SELECT check_id, count(*) AS failing FROM findings WHERE status = 'FAIL' GROUP BY check_id ORDER BY failing DESC"
}
