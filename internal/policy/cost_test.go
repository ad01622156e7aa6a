package policy

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// A quadratic condition over a large list exceeds the runtime cost limit in
// an untrusted (user) check, which then reports ERROR naming the limit,
// while the same file loaded as a trusted (built-in) check runs to the end.
func TestCostLimitAppliesToUntrustedChecks(t *testing.T) {
	const file = `id: aws-quadratic
title: quadratic
severity: low
provider: aws
kind: aws_s3_bucket
area: configuration
condition: properties.items.all(a, properties.items.all(b, a == b || a != b))
description: d
risk: r
remediation: {text: t}
tests:
  - {name: p, expect: pass, resource: {properties: {items: [1]}}}
  - {name: f, expect: fail, resource: {properties: {items: [1]}}}
`
	// The second case is deliberately wrong for this test's purpose; only
	// loading and evaluation matter here, not the case runner.
	items := make([]int, 1100) // 1,100² comparisons: over the 1,000,000 cost limit
	for i := range items {
		items[i] = i
	}
	props, _ := json.Marshal(map[string]any{"items": items})
	r := resource.Resource{UID: "arn:aws:s3:::b", Provider: resource.AWS, Account: "1", Region: "us-east-1", Kind: "aws_s3_bucket", Properties: props}
	fsys := fstest.MapFS{"q.yaml": {Data: []byte(file)}}
	for _, tc := range []struct {
		trusted bool
		want    finding.Status
	}{{false, finding.Error}, {true, finding.Pass}} {
		cs, err := testEnv(t).LoadChecks(Source{FS: fsys, Root: ".", Name: "src", Trusted: tc.trusted})
		if err != nil {
			t.Fatal(err)
		}
		eng, err := NewEngine(cs, EngineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		fs, _, err := eng.EvaluateResource(t.Context(), r, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].Status != tc.want {
			t.Fatalf("trusted=%v: findings %+v, want one %s", tc.trusted, fs, tc.want)
		}
		if tc.want == finding.Error && !strings.Contains(strings.ToLower(fs[0].Reason), "cost") {
			t.Errorf("ERROR reason %q does not name the cost limit", fs[0].Reason)
		}
	}
}
