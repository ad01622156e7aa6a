package report

import (
	"encoding/json"
	"errors"
	"iter"
	"slices"
	"testing"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

func each2[T any](items []T, err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}

// lookupIn serves Lookup from a list, and fails when asked for a UID that
// is no end of an edge.
func lookupIn(rs []resource.Resource, err error) func([]string) iter.Seq2[resource.Resource, error] {
	return func(uids []string) iter.Seq2[resource.Resource, error] {
		var out []resource.Resource
		for _, r := range rs {
			if slices.Contains(uids, r.UID) {
				out = append(out, r)
			}
		}
		if slices.Contains(uids, "unlinked") || slices.Contains(uids, "m1") {
			panic("looked up a UID that is not an unknown edge end")
		}
		return each2(out, err)
	}
}

func testRegistry(t *testing.T) *resource.Registry {
	t.Helper()
	k := func(name string, p resource.Provider, ai bool) resource.Kind {
		return resource.Kind{Name: name, Provider: p, Service: "svc", Description: name, Model: resource.PaaS, AI: ai,
			Schema: []resource.Field{{Name: "name", Type: "string"}}}
	}
	reg, err := resource.NewRegistry([]resource.Kind{
		k("aws_sagemaker_model", resource.AWS, true), k("aws_sagemaker_endpoint_config", resource.AWS, true),
		k("aws_s3_bucket", resource.AWS, false), k("aws_iam_role", resource.AWS, false), k("aws_kms_key", resource.AWS, false),
		k("aws_ec2_security_group", resource.AWS, false), k("aws_cloudwatch_log_group", resource.AWS, false),
		k("azure_cognitive_services_account", resource.Azure, true), k("azure_storage_account", resource.Azure, false),
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestBuildAIInventory: links in both directions, named when the other end
// was collected and classified by edge type when not, duplicates dropped,
// only FAIL findings of AI resources kept, and read errors returned.
func TestBuildAIInventory(t *testing.T) {
	reg := testRegistry(t)
	res := []resource.Resource{
		{UID: "m1", Name: "fraud", Kind: "aws_sagemaker_model", Provider: resource.AWS, Account: "1", Region: "us-east-1"},
		{UID: "c1", Name: "fraud-config", Kind: "aws_sagemaker_endpoint_config", Provider: resource.AWS, Account: "1", Region: "us-east-1"},
		{UID: "oai", Name: "oai", Kind: "azure_cognitive_services_account", Provider: resource.Azure, Account: "s", Region: "westeurope"},
		{UID: "b-ignored", Name: "not ai", Kind: "aws_s3_bucket", Provider: resource.AWS},
	}
	edges := []resource.Edge{
		{From: "m1", To: "arn:aws:s3:::artifacts", Type: "reads_data"},
		{From: "m1", To: "arn:aws:iam::1:role/ml", Type: "execution_role"},
		{From: "m1", To: "arn:aws:s3:::other-account", Type: "reads_data"},
		{From: "c1", To: "m1", Type: "serves_model"},
		{From: "c1", To: "m1", Type: "serves_model"}, // yielded again by the second query
		{From: "c1", To: "key1", Type: "encrypted_with"},
		{From: "c1", To: "lg", Type: "logs_to"},
		{From: "st1", To: "oai", Type: "feeds"},
	}
	linked := []resource.Resource{
		{UID: "arn:aws:s3:::artifacts", Name: "artifacts", Kind: "aws_s3_bucket"},
		{UID: "arn:aws:iam::1:role/ml", Name: "ml", Kind: "aws_iam_role"},
		{UID: "key1", Name: "alias/ml", Kind: "aws_kms_key"},
		{UID: "lg", Name: "/ml/logs", Kind: "aws_cloudwatch_log_group"},
		{UID: "st1", Name: "stai", Kind: "azure_storage_account"},
		{UID: "unlinked", Name: "x", Kind: "aws_s3_bucket"},
	}
	fails := []finding.Finding{
		{CheckID: "aws-sagemaker-model-network-isolation", Severity: finding.Medium, Status: finding.Fail, ResourceUID: "m1"},
		{CheckID: "aws-ai-execution-role-not-admin", Severity: finding.High, Status: finding.Fail, ResourceUID: "m1"},
		{CheckID: "x", Severity: finding.High, Status: finding.Pass, ResourceUID: "c1"},
		{CheckID: "y", Severity: finding.High, Status: finding.Fail, ResourceUID: "b-ignored"},
	}
	inv, err := BuildAIInventory(AIInventorySource{
		Registry: reg, Resources: each2(res, nil), Edges: each2(edges, nil), Lookup: lookupIn(linked, nil), Failing: each2(fails, nil),
		Titles: map[string]string{"aws-ai-execution-role-not-admin": "AI services do not run as administrator roles"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(inv, "", " ")
	if len(inv.Resources) != 3 {
		t.Fatalf("got %d resources, want the 3 AI ones:\n%s", len(inv.Resources), got)
	}
	m := inv.Resources[0]
	if m.UID != "m1" || len(m.Failing) != 2 || m.Failing[0].CheckID != "aws-ai-execution-role-not-admin" || m.Failing[0].Title == "" {
		t.Errorf("model first, with its two failures, most severe first:\n%s", got)
	}
	want := []AILink{
		{Class: LinkData, UID: "arn:aws:s3:::artifacts", Name: "artifacts", Kind: "aws_s3_bucket", Edge: "reads_data"},
		{Class: LinkData, UID: "arn:aws:s3:::other-account", Edge: "reads_data"},
		{Class: LinkIdentity, UID: "arn:aws:iam::1:role/ml", Name: "ml", Kind: "aws_iam_role", Edge: "execution_role"},
	}
	if !slices.Equal(m.Links, want) {
		t.Errorf("model links:\n%s", got)
	}
	var cfg, oai AIResource
	for _, r := range inv.Resources {
		switch r.UID {
		case "c1":
			cfg = r
		case "oai":
			oai = r
		}
	}
	wantCfg := []AILink{
		{Class: LinkAI, UID: "m1", Name: "fraud", Kind: "aws_sagemaker_model", Edge: "serves_model"},
		{Class: LinkKey, UID: "key1", Name: "alias/ml", Kind: "aws_kms_key", Edge: "encrypted_with"},
		{Class: LinkOther, UID: "lg", Name: "/ml/logs", Kind: "aws_cloudwatch_log_group", Edge: "logs_to"},
	}
	if !slices.Equal(cfg.Links, wantCfg) || len(cfg.Failing) != 0 {
		t.Errorf("endpoint config links (the AI-to-AI edge listed once, on its source):\n%s", got)
	}
	if len(oai.Links) != 1 || !oai.Links[0].Incoming || oai.Links[0].Class != LinkData || oai.Links[0].Name != "stai" {
		t.Errorf("incoming link:\n%s", got)
	}

	boom := errors.New("disk on fire")
	for name, src := range map[string]AIInventorySource{
		"resources": {Registry: reg, Resources: each2(res, boom), Edges: each2(edges, nil), Failing: each2(fails, nil)},
		"edges":     {Registry: reg, Resources: each2(res, nil), Edges: each2(edges, boom), Failing: each2(fails, nil)},
		"linked":    {Registry: reg, Resources: each2(res, nil), Edges: each2(edges, nil), Lookup: lookupIn(linked, boom), Failing: each2(fails, nil)},
		"findings":  {Registry: reg, Resources: each2(res, nil), Edges: each2(edges, nil), Failing: each2(fails, boom)},
	} {
		if _, err := BuildAIInventory(src); !errors.Is(err, boom) {
			t.Errorf("%s: got %v, want the read error", name, err)
		}
	}
}

func TestAILinkClass(t *testing.T) {
	reg := testRegistry(t)
	if got := AIKinds(reg); !slices.Equal(got, []string{"aws_sagemaker_endpoint_config", "aws_sagemaker_model", "azure_cognitive_services_account"}) {
		t.Errorf("AIKinds: %v", got)
	}
	for kind, want := range map[string]string{"aws_s3_bucket": LinkData, "azure_storage_account": LinkData, "aws_iam_role": LinkIdentity,
		"aws_kms_key": LinkKey, "aws_ec2_security_group": LinkNetwork, "aws_sagemaker_model": LinkAI, "aws_cloudwatch_log_group": LinkOther} {
		if got := AILinkClass(reg, kind, ""); got != want {
			t.Errorf("AILinkClass(%s) = %s, want %s", kind, got, want)
		}
	}
	for edge, want := range map[string]string{"reads_data": LinkData, "encrypted_with": LinkKey, "execution_role": LinkIdentity, "in_vpc": LinkNetwork, "member_of": LinkOther} {
		if got := AILinkClass(reg, "", edge); got != want {
			t.Errorf("AILinkClass(edge %s) = %s, want %s", edge, got, want)
		}
	}
}
