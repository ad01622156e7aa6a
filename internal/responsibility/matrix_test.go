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

func TestProviderAreas(t *testing.T) {
	m := builtin(t)
	reg := registry(t)
	e := responsibility.Estate{
		Kinds:     reg.All(),
		Resources: map[string]int64{"aws_ec2_instance": 3, "aws_account": 1, "aws_lambda_function": 4, "do_droplet": 2},
		Checks: []responsibility.CheckArea{
			{ID: "imds", Area: responsibility.Configuration, Kinds: []string{"aws_ec2_instance"}},
			{ID: "root-mfa", Area: responsibility.AccountsIdentities, Kinds: []string{"aws_account"}},
			{ID: "org-tags", Area: responsibility.Configuration, Kinds: []string{"aws_ec2_instance", "aws_lambda_function", "do_droplet"}},
		},
		Results: map[string]map[string]responsibility.Counts{
			"imds":     {"aws_ec2_instance": {Pass: 2, Fail: 1}},
			"root-mfa": {"aws_account": {Fail: 1}},
			"org-tags": {"aws_ec2_instance": {Pass: 3}, "aws_lambda_function": {Fail: 4}, "do_droplet": {Pass: 2}},
		},
	}
	pas := m.ProviderAreas(e)
	got := map[string]responsibility.ProviderArea{}
	for _, pa := range pas {
		got[string(pa.Provider)+" "+string(pa.Area)] = pa
	}
	if len(pas) != 2*len(responsibility.Areas) {
		t.Fatalf("%d lines, want one per area for aws and digitalocean", len(pas))
	}
	// The account-wide check counts once although it covers IaaS and FaaS.
	if a := got["aws accounts-identities"]; a.Counts != (responsibility.Counts{Fail: 1}) || len(a.Checks) != 1 || len(a.Uncovered) != 0 {
		t.Errorf("aws accounts %+v", a)
	}
	// Configuration: both checks, counts of aws kinds only.
	if c := got["aws configuration"]; c.Counts != (responsibility.Counts{Pass: 5, Fail: 5}) || len(c.Checks) != 2 {
		t.Errorf("aws configuration %+v", c)
	}
	if c := got["digitalocean configuration"]; c.Counts != (responsibility.Counts{Pass: 2}) {
		t.Errorf("digitalocean configuration %+v", c)
	}
	// Guest OS: yours on EC2 (IaaS) and unchecked; the provider's for Lambda.
	if g := got["aws guest-os"]; g.Owner != responsibility.Customer || len(g.Uncovered) != 1 || g.Uncovered[0] != resource.IaaS {
		t.Errorf("aws guest-os %+v", g)
	}
	if p := got["aws physical"]; p.Owner != responsibility.Provider || p.Yours() || len(p.Uncovered) != 0 {
		t.Errorf("aws physical %+v", p)
	}
}
