package policy

import (
	"encoding/json"
	"fmt"
	"iter"
	"testing"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// syntheticBuckets returns n buckets with a realistic properties document.
func syntheticBuckets(n int) []resource.Resource {
	out := make([]resource.Resource, 0, n)
	for i := range n {
		props := fmt.Sprintf(`{"versioning":{"status":%q,"mfa_delete":"Disabled"},`+
			`"public_access_block":{"block_public_acls":true,"ignore_public_acls":true,"block_public_policy":%t,"restrict_public_buckets":true},`+
			`"encryption":{"rules":[{"sse_algorithm":"aws:kms","kms_master_key_id":"arn:aws:kms:us-east-1:111111111111:key/%d"}]},`+
			`"logging":{"target_bucket":"logs","target_prefix":"b%d/"},"policy":{"statements":[{"effect":"Allow","principal":"*","action":"s3:GetObject"}]},`+
			`"lifecycle_rules":3,"object_lock":false}`,
			[]string{"Enabled", "Suspended"}[i%2], i%3 != 0, i, i)
		r := resource.Resource{
			UID: fmt.Sprintf("arn:aws:s3:::bucket-%d", i), Provider: resource.AWS, Account: "111111111111",
			Region: "us-east-1", Kind: "aws_s3_bucket", Name: fmt.Sprintf("bucket-%d", i),
			Tags: map[string]string{"owner": "team", "environment": "prod"}, Properties: json.RawMessage(props),
		}
		out = append(out, r)
	}
	return out
}

// repeat yields rs over and over, n resources in all, as a store would
// stream them.
func repeat(rs []resource.Resource, n int) iter.Seq2[resource.Resource, error] {
	return func(yield func(resource.Resource, error) bool) {
		for i := range n {
			if !yield(rs[i%len(rs)], nil) {
				return
			}
		}
	}
}

// BenchmarkEvaluate measures evaluation throughput on synthetic buckets
// with two checks each (versioning and the org required-tags check).
func BenchmarkEvaluate(b *testing.B) {
	env := testEnv(b)
	cs := testChecks(b)
	org, err := env.OrgChecks(testOrg())
	if err != nil {
		b.Fatal(err)
	}
	checks := []*Check{checkByIDB(b, cs, "aws-test-bucket-versioning"), checkByIDB(b, org, OrgRequiredTagsID)}
	eng, err := NewEngine(checks, EngineOptions{Now: TestNow(), Org: testOrg()})
	if err != nil {
		b.Fatal(err)
	}
	const n = 50000
	pool := syntheticBuckets(1000)
	b.ReportAllocs()
	b.ResetTimer()
	var evals int64
	for b.Loop() {
		st, err := eng.Evaluate(b.Context(), repeat(pool, n), nil, func([]finding.Finding) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		evals += st.Evaluations
	}
	b.ReportMetric(float64(evals)/b.Elapsed().Seconds(), "evals/s")
	b.ReportMetric(float64(evals)/2/b.Elapsed().Seconds(), "resources/s")
}

func checkByIDB(b *testing.B, cs []*Check, id string) *Check {
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	b.Fatalf("no check %s", id)
	return nil
}
