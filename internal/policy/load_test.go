package policy

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

func TestLoadChecksBad(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"unknown-field.yaml", []string{
			`unknown-field.yaml:2: unknown field "titel"`,
			`unknown-field.yaml:1: title is required`,
		}},
		{"bad-enums.yaml", []string{
			`bad-enums.yaml:3: severity: unknown severity "urgent"`,
			`bad-enums.yaml:6: unknown area "kitchen"`,
		}},
		{"bad-id-kind.yaml", []string{
			`bad-id-kind.yaml:1: check ID "S3_Bucket" must be lower-kebab-case`,
			`bad-id-kind.yaml:2: check ID "gcp-wrong-prefix" must start with "aws-"`,
			`bad-id-kind.yaml:6: unknown kind "aws_nope"`,
			`bad-id-kind.yaml:6: kind "gcp_storage_bucket" belongs to provider gcp, not aws`,
		}},
		{"no-fail-test.yaml", []string{
			`no-fail-test.yaml:16: tests[1] "p": name used twice`,
			`no-fail-test.yaml:16: tests[1] "p": expect "maybe"`,
			`no-fail-test.yaml:13: tests: at least one pass and one fail case are required`,
		}},
		{"non-bool.yaml", []string{`non-bool.yaml:7: condition: must evaluate to bool, not int`}},
		{"cel-syntax.yaml", []string{`cel-syntax.yaml:10: condition: 3:1: Syntax error`}},
		{"non-literal.yaml", []string{`non-literal.yaml:7: condition: 1:27: account_resources: the kind must be a string literal`}},
		{"unknown-function.yaml", []string{`unknown-function.yaml:7: condition: 1:17: undeclared reference to 'no_such_function'`}},
		{"missing-all.yaml", []string{
			"missing-all.yaml:1: title is required", "severity is required", "provider is required",
			"area is required", "condition is required", "description is required", "risk is required",
			"kind is required", "remediation.text is required", "tests: at least one pass and one fail case",
		}},
		{"yaml-syntax.yaml", []string{`yaml-syntax.yaml:2: sequence end token ']' not found`}},
	}
	env := testEnv(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/bad/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			c, err := env.ParseCheck("testdata/bad/"+tt.file, data)
			if err == nil {
				t.Fatalf("ParseCheck accepted %s: %+v", tt.file, c)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q; got:\n%v", w, err)
				}
			}
			if n := len(strings.Split(err.Error(), "\n")); n < len(tt.want) {
				t.Errorf("got %d problems, want at least %d:\n%v", n, len(tt.want), err)
			}
		})
	}
}

func TestLoadChecksBadDirCollectsEveryFile(t *testing.T) {
	_, err := testEnv(t).LoadChecks(Source{FS: os.DirFS("testdata/bad"), Root: ".", Name: "bad"})
	if err == nil {
		t.Fatal("LoadChecks accepted testdata/bad")
	}
	entries, _ := os.ReadDir("testdata/bad")
	for _, e := range entries {
		if !strings.Contains(err.Error(), "bad/"+e.Name()+":") {
			t.Errorf("no problem reported for %s", e.Name())
		}
	}
}

func TestLoadChecksGood(t *testing.T) {
	cs := testChecks(t)
	if len(cs) != 3 {
		t.Fatalf("loaded %d checks, want 3", len(cs))
	}
	c := cs[2]
	if c.ID != "aws-test-trail-in-account" || c.Severity != finding.High || c.Provider != resource.AWS ||
		len(c.Kinds) != 1 || c.Kinds[0] != "aws_account" || c.File != "testdata/checks/aws/aws-test-trail-in-account.yaml" || c.Line != 1 {
		t.Errorf("unexpected check: %+v", c)
	}
	if got := c.IndexKinds(); len(got) != 1 || got[0] != "aws_cloudtrail_trail" {
		t.Errorf("IndexKinds = %v", got)
	}
	tc := c.Tests[1]
	if tc.Resource.Account != "111111111111" || tc.Resource.Region != resource.GlobalRegion || tc.Resource.Name != "test" {
		t.Errorf("defaults not filled: %+v", tc.Resource)
	}
	if len(tc.Related) != 1 || tc.Related[0].Account != "222222222222" || tc.Related[0].Region != "us-east-1" {
		t.Errorf("related not filled: %+v", tc.Related)
	}
	if !cs[1].HasID("aws-test-old-versioning") {
		t.Error("alias lost")
	}
}

func TestLoadChecksDuplicateIDs(t *testing.T) {
	data, err := os.ReadFile("testdata/checks/aws/aws-test-bucket-versioning.yaml")
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(string(data), "id: aws-test-bucket-versioning", "id: aws-test-other", 1)
	fsys := fstest.MapFS{
		"a/one.yaml": {Data: data},
		"b/two.yaml": {Data: []byte(renamed)}, // same alias as one.yaml
	}
	env := testEnv(t)
	_, err = env.LoadChecks(Source{FS: fsys, Root: ".", Name: "user"})
	if err == nil || !strings.Contains(err.Error(), `check ID "aws-test-old-versioning" is already used by aws-test-bucket-versioning (user/a/one.yaml:1)`) {
		t.Fatalf("duplicate alias not reported: %v", err)
	}
	// Across sources: a user check may not reuse a built-in ID.
	_, err = env.LoadChecks(Source{FS: fsys, Root: "a", Name: "builtin"}, Source{FS: fsys, Root: "a", Name: "user"})
	if err == nil || !strings.Contains(err.Error(), "user/a/one.yaml:1: check ID \"aws-test-bucket-versioning\" is already used") {
		t.Fatalf("duplicate across sources not reported: %v", err)
	}
	builtin := testChecks(t)
	orgs, err := env.OrgChecks(testOrg())
	if err != nil {
		t.Fatal(err)
	}
	all, err := Combine(builtin, orgs)
	if err != nil || len(all) != 5 {
		t.Fatalf("Combine: %d checks, %v", len(all), err)
	}
	if _, err := Combine(builtin, testChecks(t)[:1]); err == nil {
		t.Fatal("Combine accepted a duplicate")
	}
}

func TestFrameworks(t *testing.T) {
	checks := testChecks(t)
	fws, err := LoadFrameworks(os.DirFS("testdata/frameworks"), ".", "fw", checks)
	if err != nil {
		t.Fatal(err)
	}
	if len(fws) != 1 {
		t.Fatalf("got %d frameworks", len(fws))
	}
	f := fws[0]
	if f.ID != "test-framework-v1.0" || f.Provider != resource.AWS || len(f.Requirements) != 2 {
		t.Fatalf("unexpected framework %+v", f)
	}
	r := f.Requirements[0]
	if len(r.Checks) != 1 || r.Checks[0] != "aws-test-bucket-versioning" || r.Manual() || !r.Automated || r.Level != 1 {
		t.Errorf("alias not resolved or fields lost: %+v", r)
	}
	if !f.Requirements[1].Manual() {
		t.Error("requirement without checks is not manual")
	}

	bad := `id: Bad Framework
title: x
colour: blue
requirements:
  - id: "1"
    title: one
    checks: [aws-nope]
  - id: "1"
    title: again
    checks: []
  - id: "2"
    levle: 3
`
	_, err = ParseFramework("bad.yaml", []byte(bad), checks)
	for _, w := range []string{
		`bad.yaml:1: framework ID "Bad Framework" must be lower case`,
		`bad.yaml:3: unknown field "colour"`,
		`bad.yaml:5: requirement "1": unknown check "aws-nope"`,
		`bad.yaml:8: requirement "1" is listed twice (first at line 5)`,
		`bad.yaml:12: requirements[2]: unknown field "levle"`,
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q; got:\n%v", w, err)
		}
	}
}
