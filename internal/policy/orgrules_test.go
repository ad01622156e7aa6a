package policy

import (
	"context"
	"strings"
	"testing"

	"cloudward/internal/config"
	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

func TestOrgRuleKindErrors(t *testing.T) {
	env := testEnv(t)
	cfg, err := config.Parse("cw.yaml", []byte("org:\n  tag_rules:\n    - key: a\n      kinds: [aws_nope, aws_account]\n    - key: b\n      provider: gcp\n      kinds: [aws_s3_bucket]\n  forbidden_kinds: [aws_s3_bucket, nope]\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.OrgChecks(cfg.Org)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		`cw.yaml:3: org.tag_rules[0]: unknown kind "aws_nope"`,
		"cw.yaml:3: org.tag_rules[0]: kind aws_account cannot carry tags",
		"cw.yaml:5: org.tag_rules[1]: kind aws_s3_bucket is not a gcp kind",
		`cw.yaml:8: org.forbidden_kinds: unknown kind "nope"`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

func TestOrgRulesEvaluate(t *testing.T) {
	env := testEnv(t)
	cfg, err := config.Parse("cw.yaml", []byte(`
org:
  tag_rules:
    - key: cost-center
      pattern: "[0-9]{4}"
      provider: aws
      kinds: [aws_s3_bucket]
  forbidden_kinds: [do_droplet]
  exceptions:
    - resource: "arn:aws:s3:::legacy-*"
      reason: being migrated
`))
	if err != nil {
		t.Fatal(err)
	}
	checks, err := env.OrgChecks(cfg.Org)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 || checks[0].ID != OrgRequiredTagsID || checks[1].ID != OrgForbiddenKindsID {
		t.Fatalf("checks %v", checks)
	}
	bucket := func(name string, tags map[string]string) resource.Resource {
		return resource.Resource{UID: "arn:aws:s3:::" + name, Provider: resource.AWS, Account: "1", Region: "us-east-1",
			Kind: "aws_s3_bucket", Name: name, Tags: tags, Properties: []byte(`{}`)}
	}
	gcpBucket := resource.Resource{UID: "//storage/b", Provider: resource.GCP, Account: "p", Region: "us-central1",
		Kind: "gcp_storage_bucket", Name: "b", Properties: []byte(`{}`)}
	fn := resource.Resource{UID: "do:droplet:1", Provider: resource.DigitalOcean, Account: "t",
		Region: "nyc3", Kind: "do_droplet", Name: "f", Properties: []byte(`{}`)}
	got := map[string]finding.Status{}
	for _, r := range []resource.Resource{
		bucket("ok", map[string]string{"cost-center": "1234"}),
		bucket("bad-value", map[string]string{"cost-center": "12345"}),
		bucket("missing", nil),
		bucket("legacy-1", nil),
		gcpBucket, fn,
	} {
		for _, c := range checks {
			fs := evalOne(t, c, r)
			for _, f := range fs {
				got[c.ID+" "+r.Name] = f.Status
			}
		}
	}
	want := map[string]finding.Status{
		"org-required-tags ok":        finding.Pass,
		"org-required-tags bad-value": finding.Fail,
		"org-required-tags missing":   finding.Fail,
		"org-required-tags b":         finding.Pass,
		"org-required-tags f":         finding.Pass,
		"org-forbidden-kinds f":       finding.Fail,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	if _, ok := got["org-required-tags legacy-1"]; ok {
		t.Errorf("exempt resource got a finding: %v", got)
	}
}

// evalOne evaluates one check on one resource.
func evalOne(t *testing.T, c *Check, r resource.Resource) []finding.Finding {
	t.Helper()
	eng, err := NewEngine([]*Check{c}, EngineOptions{Now: TestNow(), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	fs, _, err := eng.EvaluateResource(context.Background(), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestOrgPredicateRuleErrors(t *testing.T) {
	env := testEnv(t)
	cfg, err := config.Parse("cw.yaml", []byte("org:\n  forbidden_public_exposure:\n    - aws_s3_bucket\n    - aws_iam_user\n    - nope\n  customer_managed_keys: [do_droplet, aws_kms_key]\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.OrgChecks(cfg.Org)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		"cw.yaml:4: org.forbidden_public_exposure: kind aws_iam_user has no public-exposure predicate (kinds with one: aws_s3_bucket, aws_kms_key)",
		`cw.yaml:5: org.forbidden_public_exposure: unknown kind "nope"`,
		"cw.yaml:6: org.customer_managed_keys: kind do_droplet has no customer-managed-key predicate (DigitalOcean offers no customer-managed keys)",
		"cw.yaml:6: org.customer_managed_keys: kind aws_kms_key has no customer-managed-key predicate (kinds with one: aws_s3_bucket, aws_cloudtrail_trail)",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

func TestOrgPredicateRulesEvaluate(t *testing.T) {
	env := testEnv(t)
	cfg, err := config.Parse("cw.yaml", []byte(`
org:
  forbidden_public_exposure: ["*"]
  customer_managed_keys: [aws_s3_bucket]
  exceptions:
    - resource: "arn:aws:s3:::www-*"
      checks: [org-no-public-exposure]
      reason: static web site, public by design
`))
	if err != nil {
		t.Fatal(err)
	}
	checks, err := env.OrgChecks(cfg.Org)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 || checks[0].ID != OrgNoPublicExposureID || checks[1].ID != OrgCustomerManagedKeysID {
		t.Fatalf("checks %v", checks)
	}
	// "*" selects the registered kinds of the table only.
	if want := []string{"aws_kms_key", "aws_s3_bucket", "do_droplet", "gcp_storage_bucket"}; strings.Join(checks[0].Kinds, ",") != strings.Join(want, ",") {
		t.Errorf("public kinds %v, want %v", checks[0].Kinds, want)
	}
	bucket := func(name, props string) resource.Resource {
		return resource.Resource{UID: "arn:aws:s3:::" + name, Provider: resource.AWS, Account: "1", Region: "us-east-1",
			Kind: "aws_s3_bucket", Name: name, Properties: []byte(props)}
	}
	public := `{"policy_status": {"is_public": true}, "public_access_block": {"restrict_public_buckets": false, "ignore_public_acls": false}, "acl": {"grants": []},
		"server_side_encryption_configuration": {"rules": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]}}`
	got := map[string]finding.Status{}
	for _, r := range []resource.Resource{bucket("data", public), bucket("www-site", public)} {
		for _, c := range checks {
			for _, f := range evalOne(t, c, r) {
				got[c.ID+" "+r.Name] = f.Status
			}
		}
	}
	want := map[string]finding.Status{
		"org-no-public-exposure data":        finding.Fail,
		"org-customer-managed-keys data":     finding.Fail,
		"org-customer-managed-keys www-site": finding.Fail,
	}
	if len(got) != len(want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
}
