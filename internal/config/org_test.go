package config

import (
	"strings"
	"testing"
)

func TestParseOrgRules(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // error substrings; none = valid
	}{
		{"valid", `
org:
  tag_rules:
    - key: cost-center
      pattern: "[0-9]{4}"
      provider: aws
      kinds: [aws_s3_bucket]
  forbidden_kinds: [do_functions_namespace]
  forbidden_public_exposure: ["*"]
  customer_managed_keys: [aws_ebs_volume, gcp_compute_disk]
  exceptions:
    - resource: "arn:aws:s3:::legacy-*"
      checks: [org-required-tags]
      reason: migrated by Q3
`, nil},
		{"bad pattern", "org:\n  tag_rules:\n    - key: a\n    - key: b\n      pattern: \"([\"\n", []string{`cfg.yaml:4: org.tag_rules[1]: bad pattern "(["`}},
		{"no key and bad provider", "org:\n  tag_rules:\n    - provider: oracle\n", []string{
			"cfg.yaml:3: org.tag_rules[0]: key is required", `cfg.yaml:3: org.tag_rules[0]: unknown provider "oracle"`}},
		{"exception without reason", "org:\n  exceptions:\n    - resource: x\n    - resource: y\n      reason: ok\n      checks: [aws-s3-bucket-not-public]\n", []string{
			"cfg.yaml:3: org.exceptions[0]: reason is required", `cfg.yaml:4: org.exceptions[1]: "aws-s3-bucket-not-public" is not a company-rule check`}},
		{"empty forbidden kind", "org:\n  forbidden_kinds: [a, \"\"]\n", []string{"org.forbidden_kinds: empty kind"}},
		{"public exposure kind lists", "org:\n  forbidden_public_exposure:\n    - aws_s3_bucket\n    - \"*\"\n    - aws_s3_bucket\n  customer_managed_keys: [\"\"]\n", []string{
			`cfg.yaml:4: org.forbidden_public_exposure: "*" selects every kind and must be the only item`,
			`cfg.yaml:5: org.forbidden_public_exposure: "aws_s3_bucket" listed twice`,
			"cfg.yaml:6: org.customer_managed_keys: empty kind"}},
		{"public exposure not a list", "org:\n  forbidden_public_exposure: all\n", []string{"cfg.yaml:2"}},
		{"unknown rule field", "org:\n  tag_rules:\n    - key: a\n      value: b\n", []string{`unknown field "value"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("cfg.yaml", []byte(tt.yaml))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if cfg.Org.Empty() || cfg.Org.File != "cfg.yaml" || len(cfg.Org.Lines.TagRules) != 1 {
					t.Errorf("org %+v", cfg.Org)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
