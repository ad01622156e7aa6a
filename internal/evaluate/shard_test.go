package evaluate_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"cloudward/internal/collect/demo"
	"cloudward/internal/evaluate"
	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
	"cloudward/internal/store"
	"cloudward/internal/store/sqlite"
)

const (
	namedCheck = `id: aws-acme-bucket-prefix
title: Bucket names start with the company prefix
severity: low
provider: aws
kind: aws_s3_bucket
area: configuration
condition: resource.name.startsWith("acme-")
description: d
risk: r
remediation:
  text: t
tests:
  - {name: p, expect: pass, resource: {name: acme-a}}
  - {name: f, expect: fail, resource: {name: a}}
`
	fewCheck = `id: aws-acme-few-buckets
title: An account has fewer than three buckets
severity: info
provider: aws
kind: aws_s3_bucket
area: configuration
condition: size(account_resources("aws_s3_bucket")) < 3
description: d
risk: r
remediation:
  text: t
tests:
  - {name: p, expect: pass, resource: {name: a}}
  - name: f
    expect: fail
    resource: {name: a}
    related: [{kind: aws_s3_bucket}, {kind: aws_s3_bucket}, {kind: aws_s3_bucket}]
`
)

// TestShard evaluates shards of a stored snapshot: only the resources the
// filters select get findings, and a cross-resource check sees the whole
// snapshot through its index, whatever the shard's filter.
func TestShard(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.Begin(ctx, "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Account 1 has three buckets, account 2 one.
	for i, acct := range []string{"111111111111", "111111111111", "111111111111", "222222222222"} {
		if err := w.Resource(ctx, resource.Resource{UID: fmt.Sprintf("arn:aws:s3:::b%d", i), Provider: resource.AWS, Account: acct,
			Region: "global", Kind: "aws_s3_bucket", Name: fmt.Sprintf("b%d", i), Properties: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	reg, err := resource.NewRegistry(demo.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	env, err := policy.NewEnv(reg)
	if err != nil {
		t.Fatal(err)
	}
	named, err := env.ParseCheck("named.yaml", []byte(namedCheck))
	if err != nil {
		t.Fatal(err)
	}
	few, err := env.ParseCheck("few.yaml", []byte(fewCheck))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		check   *policy.Check
		filters []store.ResourceFilter
		want    []string
	}{
		{"single, one account", named, []store.ResourceFilter{{Kinds: []string{"aws_s3_bucket"}, Account: "222222222222"}},
			[]string{"arn:aws:s3:::b3 FAIL"}},
		{"cross, the other account", few, []store.ResourceFilter{{Kinds: []string{"aws_s3_bucket"}, Account: "111111111111"}},
			[]string{"arn:aws:s3:::b0 FAIL", "arn:aws:s3:::b1 FAIL", "arn:aws:s3:::b2 FAIL"}},
		{"cross, two filters", few, []store.ResourceFilter{{Kinds: []string{"aws_s3_bucket"}, Account: "222222222222"}, {Kinds: []string{"aws_ec2_instance"}}},
			[]string{"arn:aws:s3:::b3 PASS"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			eng, err := policy.NewEngine([]*policy.Check{tt.check}, policy.EngineOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			stats, err := evaluate.Shard(ctx, st, w.ID(), eng, tt.filters, func(fs []finding.Finding) error {
				for _, f := range fs {
					got = append(got, f.ResourceUID+" "+string(f.Status))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) || stats.Resources != int64(len(tt.want)) {
				t.Errorf("findings %v (%d resources read), want %v", got, stats.Resources, tt.want)
			}
		})
	}
}
