package responsibility_test

import (
	"testing"

	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
)

func TestCompute(t *testing.T) {
	m := builtin(t)
	reg := registry(t)
	e := responsibility.Estate{
		Kinds: reg.All(),
		Resources: map[string]int64{
			"aws_ec2_instance": 3, "aws_ebs_volume": 2, "aws_account": 1, "aws_lambda_function": 4,
			"unknown_kind": 9,
		},
		Checks: []responsibility.CheckArea{
			{ID: "imds", Area: responsibility.Configuration, Kinds: []string{"aws_ec2_instance"}},
			{ID: "ebs", Area: responsibility.Encryption, Kinds: []string{"aws_ebs_volume"}},
			{ID: "root-mfa", Area: responsibility.AccountsIdentities, Kinds: []string{"aws_account"}},
			{ID: "lambda-url", Area: responsibility.Endpoints, Kinds: []string{"aws_lambda_function"}},
			{ID: "org-tags", Area: responsibility.Configuration, Kinds: []string{"aws_ec2_instance", "aws_lambda_function", "gcp_compute_instance"}},
		},
		Results: map[string]map[string]responsibility.Counts{
			"imds":     {"aws_ec2_instance": {Pass: 2, Fail: 1}},
			"ebs":      {"aws_ebs_volume": {Pass: 1, Muted: 1}},
			"root-mfa": {"aws_account": {Fail: 1}},
			"org-tags": {"aws_ec2_instance": {Pass: 3}, "aws_lambda_function": {Fail: 4}},
		},
	}
	mx := m.Compute(e, responsibility.MatrixOptions{})
	if len(mx.Rows) != 2 {
		t.Fatalf("rows %+v, want AWS IaaS and FaaS", mx.Rows)
	}
	iaas, faas := mx.Rows[0], mx.Rows[1]
	if iaas.ServiceModel != resource.IaaS || iaas.Resources != 6 || faas.ServiceModel != resource.FaaS || faas.Resources != 4 {
		t.Fatalf("rows %+v / %+v", iaas, faas)
	}
	cfg, _ := iaas.Cell(responsibility.Configuration)
	if len(cfg.Checks) != 2 || cfg.Counts != (responsibility.Counts{Pass: 5, Fail: 1}) || cfg.Uncovered {
		t.Errorf("IaaS configuration %+v", cfg)
	}
	if r, ok := cfg.Counts.PassRate(); !ok || r < 83 || r > 84 {
		t.Errorf("pass rate %v", r)
	}
	// The account-wide check covers accounts in every model.
	for _, row := range mx.Rows {
		c, _ := row.Cell(responsibility.AccountsIdentities)
		if len(c.Checks) != 1 || c.Checks[0] != "root-mfa" || c.Counts.Fail != 1 {
			t.Errorf("%s accounts %+v", row.ServiceModel, c)
		}
	}
	// Lambda's OS is AWS's: never a blind spot. Its applications are yours
	// and unchecked here: a blind spot.
	spots := map[responsibility.Area]bool{}
	for _, b := range mx.BlindSpots() {
		if b.Owner == responsibility.Provider {
			t.Errorf("provider area reported as blind spot: %+v", b)
		}
		if b.ServiceModel == resource.FaaS {
			spots[b.Area] = true
		}
	}
	if spots[responsibility.GuestOS] || !spots[responsibility.Applications] || spots[responsibility.Endpoints] {
		t.Errorf("FaaS blind spots %v", spots)
	}
	all := m.Compute(e, responsibility.MatrixOptions{AllModels: true})
	if len(all.Rows) <= len(mx.Rows) {
		t.Fatalf("AllModels gave %d rows", len(all.Rows))
	}
	for _, row := range all.Rows {
		if row.Resources == 0 {
			for _, c := range row.Cells {
				if c.Uncovered {
					t.Errorf("%s %s %s: empty row with a blind spot", row.Provider, row.ServiceModel, c.Area)
				}
			}
		}
	}
}
