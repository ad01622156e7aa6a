package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
)

// responsibilityFixture is a summary of an AWS and GCP scan with the
// shared-responsibility section: EC2 checked for configuration and
// encryption, Lambda unchecked (its code and data are yours: blind spots),
// the root account checked once for every AWS service model.
func responsibilityFixture(t *testing.T) *Summary {
	t.Helper()
	model, err := responsibility.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	kinds := []resource.Kind{
		{Name: "aws_ec2_instance", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS},
		{Name: "aws_ebs_volume", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS},
		{Name: "aws_lambda_function", Provider: resource.AWS, Service: "lambda", Model: resource.FaaS},
		{Name: "aws_account", Provider: resource.AWS, Service: "account", Model: resource.IaaS, Global: true},
		{Name: "gcp_storage_bucket", Provider: resource.GCP, Service: "storage", Model: resource.IaaS},
	}
	checks := []CheckInfo{
		{ID: "aws-ec2-instance-imdsv2", Title: "IMDSv2", Severity: finding.High, Provider: "aws", Area: "configuration"},
		{ID: "aws-ec2-ebs-volume-encrypted", Title: "EBS encrypted", Severity: finding.High, Provider: "aws", Area: "encryption"},
		{ID: "aws-iam-root-mfa-enabled", Title: "Root MFA", Severity: finding.Critical, Provider: "aws", Area: "accounts-identities"},
		{ID: "gcp-storage-bucket-not-public", Title: "Bucket not public", Severity: finding.Critical, Provider: "gcp", Area: "data-protection"},
	}
	s := NewSummary(fixtureMeta(nil), checks, nil)
	add := func(check, kind string, st finding.Status, n int) {
		for range n {
			s.Add(finding.Finding{CheckID: check, Kind: kind, Status: st, Provider: string(kindProvider(kinds, kind)), ResourceUID: kind})
		}
	}
	add("aws-ec2-instance-imdsv2", "aws_ec2_instance", finding.Pass, 3)
	add("aws-ec2-instance-imdsv2", "aws_ec2_instance", finding.Fail, 1)
	add("aws-ec2-ebs-volume-encrypted", "aws_ebs_volume", finding.Pass, 4)
	add("aws-iam-root-mfa-enabled", "aws_account", finding.Fail, 1)
	add("gcp-storage-bucket-not-public", "gcp_storage_bucket", finding.Pass, 5)
	add("gcp-storage-bucket-not-public", "gcp_storage_bucket", finding.Muted, 1)
	s.SetResponsibility(ResponsibilityInput{
		Model: model, Kinds: kinds,
		Checks: []responsibility.CheckArea{
			{ID: "aws-ec2-instance-imdsv2", Area: responsibility.Configuration, Kinds: []string{"aws_ec2_instance"}},
			{ID: "aws-ec2-ebs-volume-encrypted", Area: responsibility.Encryption, Kinds: []string{"aws_ebs_volume"}},
			{ID: "aws-iam-root-mfa-enabled", Area: responsibility.AccountsIdentities, Kinds: []string{"aws_account"}},
			{ID: "gcp-storage-bucket-not-public", Area: responsibility.DataProtection, Kinds: []string{"gcp_storage_bucket"}},
		},
		Resources: map[string]int64{"aws_ec2_instance": 4, "aws_ebs_volume": 4, "aws_lambda_function": 2, "aws_account": 1, "gcp_storage_bucket": 6},
	})
	return s
}

func kindProvider(kinds []resource.Kind, name string) resource.Provider {
	for _, k := range kinds {
		if k.Name == name {
			return k.Provider
		}
	}
	return ""
}

func TestResponsibilitySectionGolden(t *testing.T) {
	s := responsibilityFixture(t)
	var txt bytes.Buffer
	if err := WriteText(&txt, s, noFindings, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, s, noFindings); err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, s, noFindings, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, s, noFindings, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(html.Bytes(), []byte("<h3>Blind spots</h3>")) || !bytes.Contains(html.Bytes(), []byte("<td>FaaS</td><td>applications</td>")) {
		t.Error("the HTML report lacks the blind spots")
	}
	var doc struct {
		Summary struct {
			Responsibility json.RawMessage `json:"responsibility"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, doc.Summary.Responsibility, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	for name, got := range map[string][]byte{"responsibility.txt.golden": txt.Bytes(), "responsibility.json.golden": pretty.Bytes(), "responsibility.md.golden": md.Bytes()} {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs (run with -update and review):\n%s", name, got)
		}
	}
	// The section's facts, independent of layout.
	r := s.Responsibility()
	spots := map[string]bool{}
	for _, b := range r.BlindSpots {
		spots[string(b.Provider)+" "+string(b.ServiceModel)+" "+string(b.Area)] = true
		if b.Owner == responsibility.Provider {
			t.Errorf("provider area as blind spot: %+v", b)
		}
	}
	for _, want := range []string{"aws FaaS applications", "aws IaaS guest-os", "gcp IaaS encryption"} {
		if !spots[want] {
			t.Errorf("blind spot %q missing from %v", want, spots)
		}
	}
	if spots["aws FaaS accounts-identities"] {
		t.Error("the root-account check covers accounts in every AWS model")
	}
}

// TestResponsibilitySectionAbsent: without SetResponsibility the reports
// have no section (and the JSON no field).
func TestResponsibilitySectionAbsent(t *testing.T) {
	s := NewSummary(fixtureMeta(nil), fixtureChecks, nil)
	var txt, js bytes.Buffer
	if err := WriteText(&txt, s, noFindings, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, s, noFindings); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(txt.Bytes(), []byte("Shared responsibility")) || bytes.Contains(js.Bytes(), []byte(`"responsibility"`)) {
		t.Error("section present without SetResponsibility")
	}
}

// noFindings is an empty findings stream.
func noFindings(func(finding.Finding, error) bool) {}
