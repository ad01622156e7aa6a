package report

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixture is a small fixed scan: five known checks, one unknown, two
// frameworks, wide and hostile resource names, and two collection errors.
func fixtureMeta(errs []resource.CollectionError) Meta {
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	return Meta{
		SnapshotID: 7, Scope: "demo (seed 1, 14 resources)",
		StartedAt: start, FinishedAt: start.Add(2345 * time.Millisecond),
		Resources: 14, CollectionErrors: errs,
	}
}

var fixtureErrors = []resource.CollectionError{
	{Provider: resource.AWS, Account: "111122223333", Region: "ap-east-1", Service: "ec2", Op: "ec2:DescribeInstances", Kind: resource.NotEnabled, Message: "region is not enabled for this account"},
	{Provider: resource.GCP, Account: "shop-prod", Region: "global", Service: "iam", Op: "iam.serviceAccounts.list", Kind: resource.Denied, Message: "permission iam.serviceAccounts.list denied"},
}

var fixtureChecks = []CheckInfo{
	{ID: "aws-s3-bucket-public-access-blocked", Title: "S3 bucket blocks public access", Severity: finding.High, Provider: "aws", Area: "data-protection", Remediation: "Turn on all four Block Public Access settings."},
	{ID: "aws-iam-root-mfa-enabled", Title: "Root user has MFA", Severity: finding.Critical, Provider: "aws", Area: "accounts-identities", Remediation: "Enable MFA on the root user."},
	{ID: "gcp-storage-bucket-uniform-access", Title: "Bucket uses uniform bucket-level access", Severity: finding.Medium, Provider: "gcp", Area: "access-management", Remediation: "Enable uniform bucket-level access."},
	{ID: "azure-storage-https-only", Title: "Storage account accepts HTTPS only", Severity: finding.Medium, Provider: "azure", Area: "encryption", Remediation: "Set supportsHttpsTrafficOnly to true."},
	{ID: "org-required-tags", Title: "Resource has the required tags <owner>", Severity: finding.Low, Provider: "aws", Area: "configuration", Remediation: "Add the tags owner & cost-center."},
}

var fixtureFrameworks = []FrameworkInfo{
	{ID: "cis-aws-3.0", Title: "CIS AWS Foundations", Version: "3.0.0", Requirements: []RequirementInfo{
		{ID: "1.5", Title: "Root MFA", Automated: true, CheckIDs: []string{"aws-iam-root-mfa-enabled"}},
		{ID: "2.1.4", Title: "S3 public access", Automated: true, CheckIDs: []string{"aws-s3-bucket-public-access-blocked"}},
		{ID: "1.1", Title: "Maintain contact details", Automated: false},
	}},
	{ID: "company", Title: "Company rules", Requirements: []RequirementInfo{
		{ID: "tags", Title: "Tagging", Automated: true, CheckIDs: []string{"org-required-tags"}},
		{ID: "https", Title: "HTTPS", Automated: true, CheckIDs: []string{"azure-storage-https-only"}},
		{ID: "gcs", Title: "GCS", Automated: true, CheckIDs: []string{"gcp-storage-bucket-uniform-access"}},
		{ID: "none", Title: "Nothing evaluated", Automated: true, CheckIDs: []string{"do-droplet-backups"}},
	}},
}

func fnd(check string, sev finding.Severity, st finding.Status, reason, provider, account, region, name string) finding.Finding {
	return finding.Finding{
		CheckID: check, Severity: sev, Status: st, Reason: reason,
		ResourceUID: provider + ":" + account + ":" + name, ResourceName: name, Kind: provider + "_thing",
		Provider: provider, Account: account, Region: region,
	}
}

// fixtureFindings is ordered by severity, highest first, as the store
// returns them.
var fixtureFindings = []finding.Finding{
	fnd("aws-iam-root-mfa-enabled", finding.Critical, finding.Fail, "", "aws", "111122223333", "global", "root"),
	fnd("aws-iam-root-mfa-enabled", finding.Critical, finding.Pass, "", "aws", "444455556666", "global", "root"),
	fnd("aws-s3-bucket-public-access-blocked", finding.High, finding.Fail, "", "aws", "111122223333", "eu-west-1", "customer-exports-2026"),
	fnd("aws-s3-bucket-public-access-blocked", finding.High, finding.Fail, "", "aws", "111122223333", "eu-west-1", "データ-バケット"),
	fnd("aws-s3-bucket-public-access-blocked", finding.High, finding.Error, "no such key: public_access_block", "aws", "444455556666", "us-east-1", "logs\x1b[31m-evil\nname"),
	fnd("aws-s3-bucket-public-access-blocked", finding.High, finding.Muted, "public website, approved by security (SEC-42)", "aws", "444455556666", "us-east-1", "www-site"),
	fnd("aws-s3-bucket-public-access-blocked", finding.High, finding.Pass, "", "aws", "444455556666", "us-east-1", "backups"),
	fnd("azure-storage-https-only", finding.Medium, finding.Error, "no such key: supports_https_traffic_only", "azure", "0f6c-sub", "westeurope", "stshop"),
	fnd("gcp-storage-bucket-uniform-access", finding.Medium, finding.Fail, "", "gcp", "shop-prod", "europe-west1", "a-very-long-bucket-name-that-goes-on-and-on-and-on-beyond-the-column"),
	fnd("gcp-storage-bucket-uniform-access", finding.Medium, finding.Pass, "", "gcp", "shop-prod", "europe-west1", "assets"),
	fnd("org-required-tags", finding.Low, finding.Muted, "sandbox", "aws", "111122223333", "eu-west-1", "sandbox-vm"),
	fnd("org-required-tags", finding.Low, finding.Pass, "", "aws", "111122223333", "eu-west-1", "web-1"),
	fnd("custom-check-unknown", finding.Info, finding.Fail, "", "digitalocean", "team-1", "ams3", "droplet-1"),
	fnd("custom-check-unknown", finding.Info, finding.Pass, "", "digitalocean", "team-1", "ams3", "droplet-2"),
}

func fixtureSummary(errs []resource.CollectionError) *Summary {
	s := NewSummary(fixtureMeta(errs), fixtureChecks, fixtureFrameworks)
	for _, f := range fixtureFindings {
		s.Add(f)
	}
	return s
}

// seq streams fs, keeping only the given statuses (all when none given).
func seq(fs []finding.Finding, statuses ...finding.Status) iter.Seq2[finding.Finding, error] {
	return func(yield func(finding.Finding, error) bool) {
		for _, f := range fs {
			if len(statuses) > 0 && !slices.Contains(statuses, f.Status) {
				continue
			}
			if !yield(f, nil) {
				return
			}
		}
	}
}

// manyErrors returns n collection errors over a few services, to exercise
// grouping.
func manyErrors(n int) []resource.CollectionError {
	var out []resource.CollectionError
	regions := []string{"us-east-1", "us-west-2", "eu-west-1", "ap-south-1"}
	for i := range n {
		e := resource.CollectionError{Provider: resource.AWS, Account: fmt.Sprintf("10000000000%d", i%3), Region: regions[i%len(regions)],
			Service: "ec2", Op: "ec2:DescribeInstances", Kind: resource.Denied, Message: "User is not authorized to perform ec2:DescribeInstances"}
		if i%4 == 3 {
			e.Service, e.Op, e.Kind, e.Message = "lambda", "lambda:ListFunctions", resource.Throttled, "Rate exceeded"
		}
		out = append(out, e)
	}
	return out
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		render func(w *bytes.Buffer) error
	}{
		{"text", func(w *bytes.Buffer) error {
			return WriteText(w, fixtureSummary(fixtureErrors), seq(fixtureFindings, FormatTable.Statuses()...), DefaultTextOptions())
		}},
		{"text_color", func(w *bytes.Buffer) error {
			opts := DefaultTextOptions()
			opts.Color = true
			return WriteText(w, fixtureSummary(fixtureErrors), seq(fixtureFindings, FormatTable.Statuses()...), opts)
		}},
		{"text_capped_grouped", func(w *bytes.Buffer) error {
			return WriteText(w, fixtureSummary(manyErrors(23)), seq(fixtureFindings, FormatTable.Statuses()...), TextOptions{MaxRows: 3})
		}},
		{"text_empty", func(w *bytes.Buffer) error {
			return WriteText(w, NewSummary(Meta{Scope: "aws (no accounts)"}, nil, nil), seq(nil), DefaultTextOptions())
		}},
		{"json", func(w *bytes.Buffer) error {
			return WriteJSON(w, fixtureSummary(fixtureErrors), seq(fixtureFindings))
		}},
		{"json_empty", func(w *bytes.Buffer) error {
			return WriteJSON(w, NewSummary(Meta{Scope: "aws (no accounts)"}, nil, nil), seq(nil))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, again bytes.Buffer
			if err := tt.render(&got); err != nil {
				t.Fatal(err)
			}
			if err := tt.render(&again); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), again.Bytes()) {
				t.Fatal("output differs between two runs")
			}
			ext := ".txt.golden"
			if tt.name == "json" || tt.name == "json_empty" {
				ext = ".json.golden"
			}
			path := filepath.Join("testdata", tt.name+ext)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/report -update)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s (run go test ./internal/report -update and review the diff)\n--- got:\n%s", path, got.String())
			}
		})
	}
}

func TestWriteStreamError(t *testing.T) {
	boom := errors.New("disk on fire")
	bad := func(yield func(finding.Finding, error) bool) {
		if !yield(fixtureFindings[0], nil) {
			return
		}
		yield(finding.Finding{}, boom)
	}
	s := fixtureSummary(nil)
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			err := Write(&bytes.Buffer{}, f, s, bad, DefaultTextOptions())
			if !errors.Is(err, boom) {
				t.Fatalf("got %v, want an error wrapping %v", err, boom)
			}
		})
	}
}

func TestAddAll(t *testing.T) {
	s := NewSummary(Meta{}, fixtureChecks, nil)
	if err := s.AddAll(seq(fixtureFindings)); err != nil {
		t.Fatal(err)
	}
	if got := s.Totals().Total(); got != int64(len(fixtureFindings)) {
		t.Errorf("total = %d, want %d", got, len(fixtureFindings))
	}
	boom := errors.New("boom")
	err := s.AddAll(func(yield func(finding.Finding, error) bool) { yield(finding.Finding{}, boom) })
	if !errors.Is(err, boom) {
		t.Errorf("AddAll error = %v, want %v", err, boom)
	}
}
