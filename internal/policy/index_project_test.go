package policy

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"cloudward/internal/resource"
)

func TestPropertyKeys(t *testing.T) {
	tests := []struct {
		name  string
		exprs []string
		want  []string // nil with ok false: every key must be kept
		ok    bool
	}{
		{"own fields", []string{`properties.a && has(properties.b) && properties.c.d == 1`}, []string{"a", "b", "c"}, true},
		{"indexed resources", []string{`account_resources("aws_cloudtrail_trail").exists(t, t.properties.is_logging && t.properties.?multi.orValue(false))`}, []string{"is_logging", "multi"}, true},
		{"related and resource", []string{`related("aws_s3_bucket").all(b, b.properties["encryption"] != null) || resource.properties.x`}, []string{"encryption", "x"}, true},
		{"several expressions", []string{`properties.a`, "", `properties.?b.hasValue()`}, []string{"a", "b"}, true},
		{"no properties", []string{`tags.env == "prod" && resource.name != ""`}, nil, true},
		{"nested properties field", []string{`properties.spec.properties.y`}, []string{"spec", "y"}, true},
		{"iterated", []string{`account_resources("k").exists(t, t.properties.exists(k, k == "x"))`}, nil, false},
		{"passed whole", []string{`size(properties) > 0`}, nil, false},
		{"computed key", []string{`properties[tags.key] == 1`}, nil, false},
		{"whole value compared", []string{`related("k").exists(t, t.properties == {})`}, nil, false},
		{"does not parse", []string{`properties.a &&`}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, ok := propertyKeys(tt.exprs...)
			if ok != tt.ok {
				t.Fatalf("propertyKeys ok = %v, want %v (keys %v)", ok, tt.ok, keys)
			}
			if !ok {
				return
			}
			if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
				t.Errorf("propertyKeys = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestEngineIndexProjects: the engine's index keeps the properties its
// checks read of the kinds they look across, and evaluates as an index
// keeping everything does.
func TestEngineIndexProjects(t *testing.T) {
	var checks []*Check
	for _, src := range []string{`id: aws-test-trail-logging
title: Some trail logs
severity: high
provider: aws
kind: [aws_account]
area: logging-monitoring
condition: account_resources("aws_cloudtrail_trail").exists(t, t.properties.is_logging && t.properties.?kms.orValue("") != "")
description: d
risk: r
remediation:
  text: x
tests:
  - name: logging
    expect: pass
    resource: {properties: {}}
    related: [{kind: aws_cloudtrail_trail, properties: {is_logging: true, kms: k}}]
  - name: none
    expect: fail
    resource: {properties: {}}
`, `id: aws-test-bucket-related
title: Related buckets are private
severity: low
provider: aws
kind: [aws_iam_user]
area: data-protection
condition: related("aws_s3_bucket").all(b, b.properties.public == false)
description: d
risk: r
remediation:
  text: x
tests:
  - name: private
    expect: pass
    resource: {properties: {}}
  - name: public
    expect: fail
    resource: {properties: {}}
    related: [{kind: aws_s3_bucket, properties: {public: true}}]
`} {
		c, err := testEnv(t).ParseCheck("test.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks, c)
	}
	eng, err := NewEngine(checks, EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := eng.RelatedOnly(), map[string][]string{"aws_s3_bucket": {"aws_iam_user"}}; !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("RelatedOnly() = %v, want %v", got, want)
	}
	trail := resource.Resource{UID: "trail", Provider: resource.AWS, Account: "1", Region: "us-east-1", Kind: "aws_cloudtrail_trail",
		Properties: json.RawMessage(`{"is_logging":true,"kms":"k","big":{"lots":[1,2,3]},"other":"x"}`)}
	bucket := resource.Resource{UID: "bucket", Provider: resource.AWS, Account: "1", Region: "us-east-1", Kind: "aws_s3_bucket",
		Properties: json.RawMessage(`{"public":false,"policy":"{...}","acl":[]}`)}
	full, projected := NewIndex(), eng.NewIndex()
	for _, idx := range []*Index{full, projected} {
		for _, r := range []resource.Resource{trail, bucket} {
			if err := idx.AddResource(r); err != nil {
				t.Fatal(err)
			}
		}
		idx.AddEdge(resource.Edge{From: "i-1", To: "bucket", Type: "reads"})
	}
	keysOf := func(x *Index, uid string) []string {
		m := x.byUID[uid].val.Value().(map[string]any)
		return slices.Sorted(maps.Keys(m["properties"].(map[string]any)))
	}
	if got := keysOf(projected, "trail"); !slices.Equal(got, []string{"is_logging", "kms"}) {
		t.Errorf("projected trail keys = %v, want [is_logging kms]", got)
	}
	if got := keysOf(projected, "bucket"); !slices.Equal(got, []string{"public"}) {
		t.Errorf("projected bucket keys = %v, want [public]", got)
	}
	if got := keysOf(full, "trail"); len(got) != 4 {
		t.Errorf("NewIndex trail keys = %v, want all four", got)
	}
	for _, r := range []resource.Resource{
		{UID: "acct", Provider: resource.AWS, Account: "1", Region: "global", Kind: "aws_account", Properties: json.RawMessage(`{}`)},
		{UID: "i-1", Provider: resource.AWS, Account: "1", Region: "global", Kind: "aws_iam_user", Properties: json.RawMessage(`{}`)},
	} {
		want, _, err := eng.EvaluateResource(t.Context(), r, full)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := eng.EvaluateResource(t.Context(), r, projected)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) || len(got) != 1 || got[0].Status != "PASS" {
			t.Errorf("%s: projected index findings %+v, full index %+v; want the same single PASS", r.UID, got, want)
		}
	}
}

func TestLookupUses(t *testing.T) {
	tests := []struct {
		name  string
		exprs []string
		want  map[string]bool
		ok    bool
	}{
		{"related only", []string{`related("aws_s3_bucket").all(b, b.properties.x)`}, map[string]bool{"aws_s3_bucket": false}, true},
		{"account wide", []string{`account_resources("aws_iam_role").size() > 0`}, map[string]bool{"aws_iam_role": true}, true},
		{"region wide", []string{`region_resources("k").size() > 0`}, map[string]bool{"k": true}, true},
		{"both, across expressions", []string{`related("k").size() > 0`, `account_resources("k").size() > 0`, ""}, map[string]bool{"k": true}, true},
		{"none", []string{`properties.a`}, map[string]bool{}, true},
		{"does not parse", []string{`related("k"`}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := lookupUses(tt.exprs...)
			if ok != tt.ok || (ok && !maps.Equal(got, tt.want)) {
				t.Errorf("lookupUses = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
