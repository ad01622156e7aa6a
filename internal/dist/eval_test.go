package dist

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"cloudward/checks"
	"cloudward/internal/collect/demo"
	"cloudward/internal/config"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// testUserChecks is a user --checks tree: one single-resource check, one
// cross-resource check.
var testUserChecks = fstest.MapFS{
	"mine/prefix.yaml": {Data: []byte(`id: aws-acme-bucket-prefix
title: Bucket names start with the company prefix
severity: low
provider: aws
kind: aws_s3_bucket
area: configuration
condition: resource.name.startsWith("acme-")
description: Every bucket is named acme-something.
risk: Buckets nobody recognises are left unowned.
remediation:
  text: Recreate the bucket under a prefixed name.
tests:
  - name: prefixed
    expect: pass
    resource: {name: acme-logs}
  - name: not prefixed
    expect: fail
    resource: {name: logs}
`)},
	"mine/few.yml": {Data: []byte(`id: aws-acme-few-buckets
title: An account has fewer than three buckets
severity: info
provider: aws
kind: aws_s3_bucket
area: configuration
condition: size(account_resources("aws_s3_bucket")) < 3
description: Buckets are consolidated.
risk: Sprawl.
remediation:
  text: Consolidate buckets.
tests:
  - name: one
    expect: pass
    resource: {name: a}
  - name: many
    expect: fail
    resource: {name: a}
    related:
      - {kind: aws_s3_bucket, name: b}
      - {kind: aws_s3_bucket, name: c}
      - {kind: aws_s3_bucket, name: d}
`)},
	"mine/README.md": {Data: []byte("not a check")},
}

// testMutes are mutes added to the demo's rules: one that mutes, one
// stale, one expired.
const testMutes = `mutes:
  - check: org-required-tags
    account: "1*"
    reason: tagged by a pipeline we trust
    owner: platform
  - check: aws-acme-bucket-prefix
    resource: "arn:aws:nothing:*"
    reason: nothing matches this any more
    owner: platform
  - check: "*"
    reason: long expired
    owner: platform
    expires: 2020-01-01
`

// testCatalog is what a scan of the demo estate with the user checks
// above loads: its sources, its rules and mutes (the demo's cloudward.yaml),
// and the compiled checks.
type testCatalog struct {
	reg    *resource.Registry
	env    *policy.Env
	srcs   []policy.Source
	cfg    *config.Config
	checks []*policy.Check
}

func loadTestCatalog(t testing.TB) *testCatalog {
	t.Helper()
	reg, err := resource.NewRegistry(demo.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	env, err := policy.NewEnv(reg)
	if err != nil {
		t.Fatal(err)
	}
	srcs := []policy.Source{
		{FS: checks.FS(), Root: ".", Name: "checks", Trusted: true},
		{FS: testUserChecks, Root: ".", Name: "/home/me/checks"},
	}
	loaded, err := env.LoadChecks(srcs...)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("demo cloudward.yaml", demo.Config)
	if err != nil {
		t.Fatal(err)
	}
	mutes, err := config.Parse("mutes.yaml", []byte(testMutes))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mutes = append(cfg.Mutes, mutes.Mutes...)
	org, err := env.OrgChecks(cfg.Org)
	if err != nil {
		t.Fatal(err)
	}
	all, err := policy.Combine(loaded, org)
	if err != nil {
		t.Fatal(err)
	}
	return &testCatalog{reg: reg, env: env, srcs: srcs, cfg: cfg, checks: all}
}

// TestCatalogRoundTrip compiles a catalog document the way a worker does
// and gets the scan's checks back, with the same sources, trust, rules and
// mutes; the document is deterministic and a worker refuses one whose
// checks compile differently.
func TestCatalogRoundTrip(t *testing.T) {
	tc := loadTestCatalog(t)
	cat, err := NewCatalog(tc.srcs, tc.cfg.Org, tc.cfg.Mutes, tc.checks)
	if err != nil {
		t.Fatal(err)
	}
	again, err := NewCatalog(tc.srcs, tc.cfg.Org, tc.cfg.Mutes, tc.checks)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Hash() != again.Hash() || len(cat.Hash()) != 64 {
		t.Errorf("hashes %s and %s of the same catalog", cat.Hash(), again.Hash())
	}
	got, err := compileCatalog(tc.env, cat.doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.checks) != len(tc.checks) {
		t.Fatalf("%d checks compiled, want %d", len(got.checks), len(tc.checks))
	}
	for i, c := range tc.checks {
		g := got.checks[i]
		if g.ID != c.ID || g.File != c.File || g.Line != c.Line || g.Condition != c.Condition || g.AppliesIf != c.AppliesIf ||
			g.Severity != c.Severity || !slices.Equal(g.Kinds, c.Kinds) || !slices.Equal(g.IndexKinds(), c.IndexKinds()) {
			t.Errorf("check %d: compiled %s (%s:%d), want %s (%s:%d)", i, g.ID, g.File, g.Line, c.ID, c.File, c.Line)
		}
	}
	if !slices.ContainsFunc(got.checks, func(c *policy.Check) bool { return c.ID == "aws-acme-few-buckets" }) ||
		!slices.ContainsFunc(got.checks, func(c *policy.Check) bool { return strings.HasPrefix(c.ID, "org-") }) {
		t.Error("the user's checks or the company rules' checks are missing")
	}
	if len(got.mutes) != len(tc.cfg.Mutes) || len(got.mutes) == 0 {
		t.Fatalf("%d mutes, want %d", len(got.mutes), len(tc.cfg.Mutes))
	}
	for i, m := range tc.cfg.Mutes {
		g := got.mutes[i]
		if g.Where() != m.Where() || g.Check != m.Check || g.Resource != m.Resource || !g.Expires.Equal(m.Expires) || g.Reason != m.Reason {
			t.Errorf("mute %d: %+v, want %+v", i, g, m)
		}
	}
	if !slices.Equal(got.org.RequiredTags, tc.cfg.Org.RequiredTags) || len(got.org.AllowedRegions) != len(tc.cfg.Org.AllowedRegions) {
		t.Errorf("org rules: %+v, want %+v", got.org, tc.cfg.Org)
	}

	// A worker whose compilation differs refuses the catalog.
	short, err := NewCatalog(tc.srcs, tc.cfg.Org, tc.cfg.Mutes, tc.checks[1:])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := compileCatalog(tc.env, short.doc); err == nil || !strings.Contains(err.Error(), "same cloudward version") {
		t.Errorf("a catalog compiling to other checks: %v, want a refusal", err)
	}
	if _, err := compileCatalog(tc.env, []byte(`{"format": 99}`)); err == nil || !strings.Contains(err.Error(), "format 99") {
		t.Errorf("an unknown format: %v", err)
	}
}

// TestPlanEval checks plans on the demo estate's counts at several shard
// sizes: every (check, resource) pair in exactly one shard, shards within
// the target unless one account-region of one kind is larger, and the same
// plan every time.
func TestPlanEval(t *testing.T) {
	tc := loadTestCatalog(t)
	// Resource counts shaped like a large estate: a few huge kinds, many
	// accounts, several regions.
	var groups []store.ResourceGroup
	for _, k := range []struct {
		kind     string
		accounts int
		regions  []string
		per      int64
	}{
		{"aws_s3_bucket", 40, []string{"global"}, 500},
		{"aws_ec2_instance", 30, []string{"us-east-1", "eu-west-1", "ap-south-1"}, 900},
		{"aws_iam_role", 3, []string{"global"}, 12_000},
		{"aws_cloudtrail_trail", 40, []string{"us-east-1"}, 1},
		{"aws_iam_password_policy", 40, []string{"global"}, 1},
		{"gcp_storage_bucket", 5, []string{"us-central1"}, 20},
		{"aws_ec2_security_group", 1, []string{"us-east-1", "eu-west-1"}, 30_000},
	} {
		for a := range k.accounts {
			for _, r := range k.regions {
				groups = append(groups, store.ResourceGroup{Provider: strings.SplitN(k.kind, "_", 2)[0],
					Account: fmt.Sprintf("acct-%02d", a), Region: r, Kind: k.kind, Count: k.per})
			}
		}
	}
	for _, target := range []int64{1_000, 10_000, 25_000, 1_000_000} {
		t.Run(fmt.Sprint(target), func(t *testing.T) {
			plan := PlanEval(tc.checks, groups, target)
			if !slices.EqualFunc(plan, PlanEval(tc.checks, groups, target), func(a, b Shard) bool {
				return fmt.Sprint(a) == fmt.Sprint(b)
			}) {
				t.Fatal("two plans of the same snapshot differ")
			}
			covered := map[string]int{} // check|kind|account|region → shards
			for i, sh := range plan {
				if sh.ID != i+1 {
					t.Errorf("shard %d has ID %d", i+1, sh.ID)
				}
				var n int64
				var ids []*policy.Check
				for _, c := range tc.checks {
					if (len(sh.Checks) == 0 && len(c.IndexKinds()) == 0) || slices.Contains(sh.Checks, c.ID) {
						ids = append(ids, c)
					}
				}
				for _, f := range sh.Filters {
					for _, g := range groups {
						if !slices.Contains(f.Kinds, g.Kind) || (f.Account != "" && f.Account != g.Account) || (f.Region != "" && f.Region != g.Region) {
							continue
						}
						n += g.Count
						for _, c := range ids {
							if slices.Contains(c.Kinds, g.Kind) {
								covered[c.ID+"|"+g.Kind+"|"+g.Account+"|"+g.Region]++
							}
						}
					}
				}
				if n != sh.Resources {
					t.Errorf("shard %d: says %d resources, its filters select %d", sh.ID, sh.Resources, n)
				}
				if n > target && !(len(sh.Filters) == 1 && sh.Filters[0].Region != "") {
					t.Errorf("shard %d: %d resources over the target %d with filters %v", sh.ID, n, target, sh.Filters)
				}
			}
			for _, c := range tc.checks {
				for _, g := range groups {
					if !slices.Contains(c.Kinds, g.Kind) {
						continue
					}
					key := c.ID + "|" + g.Kind + "|" + g.Account + "|" + g.Region
					if covered[key] != 1 {
						t.Fatalf("%s on %s %s %s: in %d shards, want 1", c.ID, g.Kind, g.Account, g.Region, covered[key])
					}
					delete(covered, key)
				}
			}
			if len(covered) != 0 {
				t.Errorf("shards evaluate checks on kinds they do not have: %d pairs", len(covered))
			}
			t.Logf("target %d: %d shards", target, len(plan))
		})
	}
	if plan := PlanEval(tc.checks, nil, 0); len(plan) != 0 {
		t.Errorf("an empty snapshot has %d shards", len(plan))
	}
}

// TestPlanEvalSplits checks how one big kind is split: whole while it fits,
// by account, then by region.
func TestPlanEvalSplits(t *testing.T) {
	tc := loadTestCatalog(t)
	var single []*policy.Check
	for _, c := range tc.checks {
		if slices.Equal(c.Kinds, []string{"aws_s3_bucket"}) && len(c.IndexKinds()) == 0 {
			single = append(single, c)
		}
	}
	groups := []store.ResourceGroup{
		{Kind: "aws_s3_bucket", Account: "a", Region: "global", Count: 40},
		{Kind: "aws_s3_bucket", Account: "b", Region: "global", Count: 30},
		{Kind: "aws_s3_bucket", Account: "c", Region: "us-east-1", Count: 80},
		{Kind: "aws_s3_bucket", Account: "c", Region: "eu-west-1", Count: 70},
	}
	for _, tt := range []struct {
		target int64
		want   string
	}{
		{1000, "aws_s3_bucket = 220"},
		{100, "aws_s3_bucket account a; aws_s3_bucket account b = 70 | aws_s3_bucket account c region eu-west-1 = 70 | aws_s3_bucket account c region us-east-1 = 80"},
		{50, "aws_s3_bucket account a = 40 | aws_s3_bucket account b = 30 | aws_s3_bucket account c region eu-west-1 = 70 | aws_s3_bucket account c region us-east-1 = 80"},
	} {
		var got []string
		for _, sh := range PlanEval(single, groups, tt.target) {
			var fs []string
			for _, f := range sh.Filters {
				fs = append(fs, f.String())
			}
			got = append(got, fmt.Sprintf("%s = %d", strings.Join(fs, "; "), sh.Resources))
		}
		if s := strings.Join(got, " | "); s != tt.want {
			t.Errorf("target %d:\n got %s\nwant %s", tt.target, s, tt.want)
		}
	}
}
