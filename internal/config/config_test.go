package config

import (
	"os"
	"strings"
	"testing"

	"cloudward/internal/resource"
)

func TestParseDemoConfig(t *testing.T) {
	data, err := os.ReadFile("../collect/demo/cloudward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("cloudward.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.Org.RequiredTags, ",") != "owner,environment" {
		t.Errorf("required tags %v", cfg.Org.RequiredTags)
	}
	if got := cfg.Org.AllowedRegions[resource.DigitalOcean]; strings.Join(got, ",") != "nyc3,ams3,fra1" {
		t.Errorf("digitalocean regions %v", got)
	}
	if len(cfg.Org.AllowedRegions) != 4 || cfg.Org.Empty() {
		t.Errorf("allowed regions %v", cfg.Org.AllowedRegions)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // error substrings; none = valid
	}{
		{"empty", "", nil},
		{"comments only", "# nothing\n", nil},
		{"mutes", `
mutes:
  - check: aws-s3-bucket-public-access-blocked
    resource: "arn:aws:s3:::public-*"
    reason: static website, reviewed by security
    owner: web-team
    ticket: https://jira.example.com/browse/SEC-12
    expires: 2026-12-31
  - check: "*"
    provider: aws
    account: "123456789012"
    region: "us-*"
    tags: {environment: sandbox}
    reason: sandbox account
    owner: platform
`, nil},
		{"unknown top-level key", "org: {}\nnotifications: daily\n", []string{"cfg.yaml:2: unknown key \"notifications\""}},
		{"unknown org key", "org:\n  required_tag: [owner]\n", []string{"cfg.yaml:2: org: unknown field \"required_tag\""}},
		{"bad provider and empty list", "org:\n  allowed_regions:\n    aws: []\n    oracle: [x]\n", []string{
			`cfg.yaml:4: org.allowed_regions: unknown provider "oracle"`,
			`cfg.yaml:3: org.allowed_regions.aws: empty region list`,
		}},
		{"bad tags", "org:\n  required_tags: [owner, owner, \"\"]\n", []string{`"owner" listed twice`, "empty tag key"}},
		{"bad mutes", `
mutes:
  - check: aws-x
    expires: 31/12/2026
  - resource: x
    reason: r
    owner: o
    provider: oracle
    ticket: "jira SEC-1"
  - check: x
    reason: z
    owner: o
    until: tomorrow
  - reason: everything
    owner: o
  - check: y
    reason: r
    owner: "  "
    tags: {"": x}
`, []string{
			`cfg.yaml:3: mutes[0]: reason is required`,
			`cfg.yaml:3: mutes[0]: owner is required`,
			`cfg.yaml:3: mutes[0]: expires "31/12/2026": want a date YYYY-MM-DD`,
			`cfg.yaml:5: mutes[1]: unknown provider "oracle"`,
			`cfg.yaml:5: mutes[1]: ticket "jira SEC-1": want an http(s) URL`,
			`cfg.yaml:13: mutes[2]: unknown field "until"`,
			`cfg.yaml:14: mutes[3]: matches every finding`,
			`cfg.yaml:16: mutes[4]: owner is required`,
			`cfg.yaml:16: mutes[4]: tags: empty tag key`,
		}},
		{"mutes not a list", "mutes: yes\n", []string{"cfg.yaml:1: mutes: expected a list"}},
		{"not a mapping", "- a\n- b\n", []string{"cfg.yaml:1: expected a mapping"}},
		{"two documents", "org: {}\n---\norg: {}\n", []string{"more than one YAML document"}},
		{"duplicate key", "org: {}\norg: {}\n", []string{"cfg.yaml:2:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("cfg.yaml", []byte(tt.yaml))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if cfg == nil {
					t.Fatal("nil config")
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted: %+v", cfg)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q; got:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoad(t *testing.T) {
	if _, err := Load("testdata/does-not-exist.yaml"); err == nil || !strings.HasPrefix(err.Error(), "read config: ") {
		t.Fatalf("Load: %v", err)
	}
	cfg, err := Load("../collect/demo/cloudward.yaml")
	if err != nil || len(cfg.Org.RequiredTags) != 2 {
		t.Fatalf("Load demo: %v", err)
	}
}
