package policy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cloudward/internal/config"
	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

func testOrg() config.Org {
	return config.Org{
		RequiredTags:   []string{"owner", "environment"},
		AllowedRegions: map[resource.Provider][]string{resource.AWS: {"us-east-1", "eu-west-1"}},
	}
}

func bucket(uid, props string, tags map[string]string) resource.Resource {
	return resource.Resource{
		UID: uid, Provider: resource.AWS, Account: "111111111111", Region: "us-east-1",
		Kind: "aws_s3_bucket", Name: uid, Tags: tags, Properties: json.RawMessage(props),
	}
}

func seq(rs ...resource.Resource) iter.Seq2[resource.Resource, error] {
	return func(yield func(resource.Resource, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func checkByID(t *testing.T, cs []*Check, id string) *Check {
	t.Helper()
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %s", id)
	return nil
}

func TestEngineStatuses(t *testing.T) {
	c := checkByID(t, testChecks(t), "aws-test-bucket-versioning")
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	mutes := []config.Mute{
		{Check: "aws-test-old-versioning", Resource: "arn:aws:s3:::muted-*", Reason: "accepted by alias", Expires: now.AddDate(0, 0, 1)},
		{Check: "*", Resource: "arn:aws:s3:::expired", Reason: "too old", Expires: now.AddDate(0, 0, -1)},
		{Check: "aws-test-bucket-versioning", Resource: "*", Account: "999999999999", Reason: "other account"},
		{Check: "aws-test-bucket-versioning", Resource: "arn:aws:s3:::passing", Reason: "never used on a pass"},
	}
	eng, err := NewEngine([]*Check{c}, EngineOptions{Now: now, Mutes: mutes})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		r      resource.Resource
		status finding.Status // "" = no finding
		reason string
	}{
		{bucket("arn:aws:s3:::passing", `{"versioning":{"status":"Enabled"}}`, nil), finding.Pass, ""},
		{bucket("arn:aws:s3:::failing", `{"versioning":{"status":"Suspended"}}`, nil), finding.Fail, ""},
		{bucket("arn:aws:s3:::missing", `{}`, nil), finding.Error, "no such key: versioning"},
		{bucket("arn:aws:s3:::wrong-type", `{"versioning":"on"}`, nil), finding.Error, "no such key: status"},
		{bucket("arn:aws:s3:::bad-json", `{"versioning":`, nil), finding.Error, "properties are not a JSON object"},
		{bucket("arn:aws:s3:::skipped", `{}`, map[string]string{"ephemeral": "true"}), "", ""},
		{bucket("arn:aws:s3:::muted-1", `{"versioning":{"status":"Suspended"}}`, nil), finding.Muted, "accepted by alias"},
		{bucket("arn:aws:s3:::muted-2", `{}`, nil), finding.Error, "no such key: versioning"},
		{bucket("arn:aws:s3:::expired", `{"versioning":{}}`, nil), finding.Error, "no such key: status"},
		{bucket("arn:aws:s3:::expired", `{"versioning":{"status":"x"}}`, nil), finding.Fail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.r.UID, func(t *testing.T) {
			fs, st, err := eng.EvaluateResource(t.Context(), tt.r, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.status == "" {
				if len(fs) != 0 || st.Skipped != 1 {
					t.Fatalf("want no finding, got %+v (stats %+v)", fs, st)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("got %d findings", len(fs))
			}
			f := fs[0]
			if f.Status != tt.status || !strings.Contains(f.Reason, tt.reason) || (tt.reason == "" && f.Reason != "") {
				t.Errorf("got %s %q, want %s %q", f.Status, f.Reason, tt.status, tt.reason)
			}
			if f.CheckID != c.ID || f.Severity != finding.Medium || f.ResourceUID != tt.r.UID || f.Kind != "aws_s3_bucket" ||
				f.Account != "111111111111" || f.Region != "us-east-1" || f.Provider != "aws" {
				t.Errorf("finding fields wrong: %+v", f)
			}
		})
	}
	// The account-limited mute applies only in its account.
	r := bucket("arn:aws:s3:::other", `{"versioning":{"status":"x"}}`, nil)
	r.Account = "999999999999"
	fs, _, err := eng.EvaluateResource(t.Context(), r, nil)
	if err != nil || fs[0].Status != finding.Muted || fs[0].Reason != "other account" {
		t.Errorf("account mute: %+v %v", fs, err)
	}
}

func TestValidateMutes(t *testing.T) {
	cs := testChecks(t)
	err := ValidateMutes(cs, []config.Mute{
		{Check: "aws-test-old-versioning"}, {Check: "*"},
		{Check: "aws-typo", File: "cloudward.yaml", Line: 7},
	})
	if err == nil || err.Error() != `cloudward.yaml:7: mute names unknown check "aws-typo"` {
		t.Fatalf("ValidateMutes: %v", err)
	}
}

func TestOrgChecks(t *testing.T) {
	env := testEnv(t)
	none, err := env.OrgChecks(config.Org{})
	if err != nil || len(none) != 0 {
		t.Fatalf("no rules gave %d checks, %v", len(none), err)
	}
	org := testOrg()
	cs, err := env.OrgChecks(org)
	if err != nil {
		t.Fatal(err)
	}
	tags := checkByID(t, cs, OrgRequiredTagsID)
	regions := checkByID(t, cs, OrgAllowedRegionsID)
	if got := strings.Join(tags.Kinds, ","); got != "aws_cloudtrail_trail,aws_iam_user,aws_kms_key,aws_s3_bucket,do_droplet,gcp_storage_bucket" {
		t.Errorf("required-tags kinds = %s", got)
	}
	if got := strings.Join(regions.Kinds, ","); got != "aws_cloudtrail_trail,aws_kms_key,aws_s3_bucket,do_droplet,gcp_storage_bucket" {
		t.Errorf("allowed-regions kinds = %s", got)
	}
	if tags.Severity != finding.Medium || regions.Severity != finding.High || tags.Area != "configuration" || regions.Area != "data-protection" {
		t.Error("severity or area wrong")
	}
	eng, err := NewEngine(cs, EngineOptions{Org: org})
	if err != nil {
		t.Fatal(err)
	}
	good := map[string]string{"owner": "team", "environment": "prod"}
	type want struct{ tags, regions finding.Status }
	tests := []struct {
		name string
		r    resource.Resource
		want want
	}{
		{"compliant", bucket("b1", `{}`, good), want{finding.Pass, finding.Pass}},
		{"missing tag", bucket("b2", `{}`, map[string]string{"owner": "team"}), want{finding.Fail, finding.Pass}},
		{"empty tag", bucket("b3", `{}`, map[string]string{"owner": "team", "environment": ""}), want{finding.Fail, finding.Pass}},
		{"no tags", bucket("b4", `{}`, nil), want{finding.Fail, finding.Pass}},
		{"wrong region", func() resource.Resource { r := bucket("b5", `{}`, good); r.Region = "ap-south-1"; return r }(), want{finding.Pass, finding.Fail}},
		{"unconstrained provider", resource.Resource{UID: "g1", Provider: resource.GCP, Account: "p", Region: "asia-east1", Kind: "gcp_storage_bucket", Tags: good, Properties: json.RawMessage(`{}`)}, want{finding.Pass, finding.Pass}},
		{"global kind", resource.Resource{UID: "u1", Provider: resource.AWS, Account: "a", Region: "global", Kind: "aws_iam_user", Properties: json.RawMessage(`{}`)}, want{finding.Fail, ""}},
		{"untaggable kind", resource.Resource{UID: "a1", Provider: resource.AWS, Account: "a", Region: "global", Kind: "aws_account", Properties: json.RawMessage(`{}`)}, want{"", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, _, err := eng.EvaluateResource(t.Context(), tt.r, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got want
			for _, f := range fs {
				switch f.CheckID {
				case OrgRequiredTagsID:
					got.tags = f.Status
				case OrgAllowedRegionsID:
					got.regions = f.Status
				}
				if f.Status == finding.Error {
					t.Errorf("%s: ERROR %s", f.CheckID, f.Reason)
				}
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestEvaluateParallel runs many resources through Evaluate and checks the
// counts, that every resource got its findings once, and the index.
func TestEvaluateParallel(t *testing.T) {
	cs := testChecks(t)
	eng, err := NewEngine(cs, EngineOptions{Now: TestNow(), Workers: 4, BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(eng.IndexKinds(), ","); got != "aws_cloudtrail_trail,aws_kms_key" {
		t.Fatalf("IndexKinds = %s", got)
	}
	idx := NewIndex()
	trail := resource.Resource{UID: "trail", Provider: resource.AWS, Account: "111111111111", Region: "us-east-1", Kind: "aws_cloudtrail_trail",
		Properties: json.RawMessage(`{"is_multi_region_trail":true,"status":{"is_logging":true}}`)}
	if err := idx.AddResource(trail); err != nil {
		t.Fatal(err)
	}
	if err := idx.AddResource(trail); err == nil {
		t.Error("AddResource accepted a duplicate UID")
	}
	const n = 1000
	var rs []resource.Resource
	for i := range n {
		status := "Enabled"
		if i%4 == 0 {
			status = "Suspended"
		}
		rs = append(rs, bucket(fmt.Sprintf("b%d", i), `{"versioning":{"status":"`+status+`"}}`, nil))
	}
	for _, acct := range []string{"111111111111", "222222222222"} {
		rs = append(rs, resource.Resource{UID: "acct-" + acct, Provider: resource.AWS, Account: acct, Region: "global", Kind: "aws_account", Properties: json.RawMessage(`{}`)})
	}
	rs = append(rs, resource.Resource{UID: "unchecked", Kind: "do_droplet", Properties: json.RawMessage(`{}`)})
	seen := map[string]int{}
	var byCheck = map[string]finding.Status{}
	calls := 0
	st, err := eng.Evaluate(t.Context(), seq(rs...), idx, func(fs []finding.Finding) error {
		calls++
		for _, f := range fs {
			seen[f.CheckID+" "+f.ResourceUID]++
			if strings.HasPrefix(f.ResourceUID, "acct-") {
				byCheck[f.ResourceUID] = f.Status
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Resources != n+3 || st.Evaluations != 2*n+2 || st.Fail != n/4+1 || st.Pass != 2*n-n/4+1 || st.Error != 0 {
		t.Errorf("stats %+v", st)
	}
	if calls < 2 {
		t.Errorf("emit called %d times, want batches", calls)
	}
	for k, v := range seen {
		if v != 1 {
			t.Errorf("%s: %d findings", k, v)
		}
	}
	if byCheck["acct-111111111111"] != finding.Pass || byCheck["acct-222222222222"] != finding.Fail {
		t.Errorf("account_resources: %v", byCheck)
	}
}

func TestEvaluateErrors(t *testing.T) {
	cs := testChecks(t)
	eng, err := NewEngine(cs, EngineOptions{Workers: 2, BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	var rs []resource.Resource
	for i := range 100 {
		rs = append(rs, bucket(fmt.Sprint(i), `{}`, nil))
	}
	boom := errors.New("boom")
	t.Run("emit", func(t *testing.T) {
		_, err := eng.Evaluate(t.Context(), seq(rs...), nil, func([]finding.Finding) error { return boom })
		if !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("stream", func(t *testing.T) {
		stream := func(yield func(resource.Resource, error) bool) {
			if !yield(rs[0], nil) {
				return
			}
			yield(resource.Resource{}, boom)
		}
		_, err := eng.Evaluate(t.Context(), stream, nil, func([]finding.Finding) error { return nil })
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "read resources") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		var emitted atomic.Int64
		_, err := eng.Evaluate(ctx, seq(rs...), nil, func(fs []finding.Finding) error {
			emitted.Add(1)
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
	})
}
