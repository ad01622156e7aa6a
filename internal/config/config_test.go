package config

import (
	"os"
	"strings"
	"testing"
	"time"

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
    expires: 2026-12-31
  - check: "*"
    resource: "*"
    account: "123456789012"
    reason: sandbox account
`, nil},
		{"unknown top-level key", "org: {}\nschedules: daily\n", []string{"cfg.yaml:2: unknown key \"schedules\""}},
		{"unknown org key", "org:\n  required_tag: [owner]\n", []string{"cfg.yaml:2: org: unknown field \"required_tag\""}},
		{"bad provider and empty list", "org:\n  allowed_regions:\n    aws: []\n    oracle: [x]\n", []string{
			`cfg.yaml:4: org.allowed_regions: unknown provider "oracle"`,
			`cfg.yaml:3: org.allowed_regions.aws: empty region list`,
		}},
		{"bad tags", "org:\n  required_tags: [owner, owner, \"\"]\n", []string{`"owner" listed twice`, "empty tag key"}},
		{"bad mutes", `
mutes:
  - check: aws-x
    resource: "[unclosed"
    expires: 31/12/2026
  - resource: x
    reason: r
  - check: x
    resource: y
    reason: z
    until: tomorrow
`, []string{
			`cfg.yaml:3: mutes[0]: resource "[unclosed": bad glob`,
			`cfg.yaml:3: mutes[0]: reason is required`,
			`cfg.yaml:3: mutes[0]: expires "31/12/2026": want a date YYYY-MM-DD`,
			`cfg.yaml:6: mutes[1]: check is required`,
			`cfg.yaml:11: mutes[2]: unknown field "until"`,
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

func TestMuteMatches(t *testing.T) {
	cfg, err := Parse("cfg.yaml", []byte(`
mutes:
  - check: aws-a
    resource: "arn:aws:s3:::public-*"
    reason: reviewed
    expires: 2026-12-31
  - check: "*"
    resource: "*"
    account: "222"
    reason: sandbox
`))
	if err != nil {
		t.Fatal(err)
	}
	m0, m1 := &cfg.Mutes[0], &cfg.Mutes[1]
	if m0.Line != 3 || m0.File != "cfg.yaml" || !m0.Expires.Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("mute 0: %+v", m0)
	}
	day := func(s string) time.Time {
		t, _ := time.Parse(time.RFC3339, s)
		return t
	}
	tests := []struct {
		m       *Mute
		check   string
		uid     string
		account string
		now     time.Time
		want    bool
	}{
		{m0, "aws-a", "arn:aws:s3:::public-site", "111", day("2026-11-01T00:00:00Z"), true},
		{m0, "aws-a", "arn:aws:s3:::public-site", "111", day("2026-12-31T23:59:59Z"), true},
		{m0, "aws-a", "arn:aws:s3:::public-site", "111", day("2027-01-01T00:00:00Z"), false}, // expired
		{m0, "aws-b", "arn:aws:s3:::public-site", "111", day("2026-11-01T00:00:00Z"), false}, // other check
		{m0, "aws-a", "arn:aws:s3:::private", "111", day("2026-11-01T00:00:00Z"), false},     // glob miss
		{m1, "anything", "projects/p/buckets/b", "222", day("2030-01-01T00:00:00Z"), true},   // * crosses /
		{m1, "anything", "x", "333", day("2030-01-01T00:00:00Z"), false},                     // other account
	}
	for i, tt := range tests {
		if got := tt.m.Matches(tt.check, tt.uid, tt.account, tt.now); got != tt.want {
			t.Errorf("case %d: Matches = %v, want %v", i, got, tt.want)
		}
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
