package config

import (
	"strings"
	"testing"
	"time"

	"cloudward/internal/resource"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "anything", true},
		{"*", "projects/p/buckets/b", true},
		{"**", "", true},
		{"aws-s3-x", "aws-s3-x", true},
		{"aws-s3-x", "aws-s3-xy", false},
		{"aws-s3-*", "aws-s3-bucket-versioning", true},
		{"aws-s3-*", "aws-ec2-x", false},
		{"arn:aws:s3:::public-*", "arn:aws:s3:::public-site", true},
		{"arn:aws:s3:::public-*", "arn:aws:s3:::private", false},
		{"/subscriptions/*/resourceGroups/legacy/*", "/subscriptions/s1/resourceGroups/legacy/providers/x/y", true}, // * crosses /
		{"/subscriptions/*/resourceGroups/legacy/*", "/subscriptions/s1/resourceGroups/other/providers/x", false},
		{"*-logs-*", "acme-logs-2024", true},
		{"*-logs-*", "acme-logs", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "acb", false},
		{"ab*ba", "aba", false}, // prefix and suffix may not overlap
		{"us-east-?", "us-east-1", true},
		{"us-east-?", "us-east-12", false},
		{"us-*-?", "us-west-2", true},
		{"?*x", "x", false},
		{"[literal]", "[literal]", true},
	}
	for _, tt := range tests {
		if got := CompileGlob(tt.pattern).Match(tt.s); got != tt.want {
			t.Errorf("Glob(%q).Match(%q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestMuteMatcher(t *testing.T) {
	ms, err := ParseMutes("mutes.yaml", []byte(`
- check: aws-a
  resource: "arn:aws:s3:::public-*"
  reason: reviewed
  owner: web
  expires: 2026-12-31
- check: "aws-s3-*"
  provider: aws
  account: "222"
  region: "eu-*"
  tags: {environment: sandbox, owner: "*"}
  reason: sandbox
  owner: platform
`))
	if err != nil {
		t.Fatal(err)
	}
	m0, m1 := &ms[0], &ms[1]
	if m0.Where() != "mutes.yaml:2" || !m0.Expires.Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("mute 0: %+v", m0)
	}
	day := func(s string) time.Time {
		t, _ := time.Parse(time.RFC3339, s)
		return t
	}
	for _, tt := range []struct {
		now  string
		want bool
	}{{"2026-11-01T00:00:00Z", true}, {"2026-12-31T23:59:59Z", true}, {"2027-01-01T00:00:00Z", false}} {
		if got := m0.Active(day(tt.now)); got != tt.want {
			t.Errorf("Active(%s) = %v", tt.now, got)
		}
	}
	c0, c1 := m0.Compile(), m1.Compile()
	if !c0.CheckIsLiteral() || c1.CheckIsLiteral() {
		t.Error("CheckIsLiteral")
	}
	if !c0.MatchesCheck("aws-new", "aws-a") || c0.MatchesCheck("aws-b") || !c1.MatchesCheck("aws-s3-versioning") || c1.MatchesCheck("aws-ec2-x") {
		t.Error("MatchesCheck")
	}
	sandbox := resource.Resource{UID: "arn:aws:s3:::b", Provider: resource.AWS, Account: "222", Region: "eu-west-1",
		Tags: map[string]string{"environment": "sandbox", "owner": "ann"}}
	tests := []struct {
		name string
		m    *MuteMatcher
		edit func(r *resource.Resource)
		want bool
	}{
		{"all matchers match", c1, func(*resource.Resource) {}, true},
		{"other provider", c1, func(r *resource.Resource) { r.Provider = resource.GCP }, false},
		{"other account", c1, func(r *resource.Resource) { r.Account = "333" }, false},
		{"other region", c1, func(r *resource.Resource) { r.Region = "us-east-1" }, false},
		{"tag value differs", c1, func(r *resource.Resource) { r.Tags = map[string]string{"environment": "prod", "owner": "ann"} }, false},
		{"tag missing", c1, func(r *resource.Resource) { r.Tags = map[string]string{"environment": "sandbox"} }, false},
		{"no tags", c1, func(r *resource.Resource) { r.Tags = nil }, false},
		{"uid glob", c0, func(r *resource.Resource) { r.UID = "arn:aws:s3:::public-site" }, true},
		{"uid glob miss", c0, func(*resource.Resource) {}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sandbox
			tt.edit(&r)
			if got := tt.m.MatchesResource(&r); got != tt.want {
				t.Errorf("MatchesResource = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseMutesFile(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		n    int
		want string // error substring; "" = valid
	}{
		{"empty", "", 0, ""},
		{"list", "- {check: a, reason: r, owner: o}\n- {check: b, reason: r, owner: o}\n", 2, ""},
		{"section", "mutes:\n  - {check: a, reason: r, owner: o}\n", 1, ""},
		{"other key", "org: {}\n", 0, `m.yaml:1: unknown key "org"`},
		{"scalar", "yes\n", 0, "m.yaml:1: mutes: expected a list"},
		{"bad yaml", "- [\n", 0, "m.yaml:"},
		{"missing owner", "- {check: a, reason: r}\n", 0, "m.yaml:1: mutes[0]: owner is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := ParseMutes("m.yaml", []byte(tt.yaml))
			if tt.want == "" {
				if err != nil || len(ms) != tt.n {
					t.Fatalf("got %d rules, %v", len(ms), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := LoadMutes("testdata/none.yaml"); err == nil || !strings.HasPrefix(err.Error(), "read mutes: ") {
		t.Errorf("LoadMutes: %v", err)
	}
}

func BenchmarkGlobMatch(b *testing.B) {
	g := CompileGlob("arn:aws:s3:::acme-*-logs-*")
	for b.Loop() {
		g.Match("arn:aws:s3:::acme-prod-logs-2026")
	}
}
