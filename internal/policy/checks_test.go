package policy_test

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	"cloudward/checks"
	"cloudward/frameworks"
	"cloudward/internal/collect/demo"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
)

// builtinEnv builds the Env of the real kind registry. Importing collect is
// allowed here, in an external test package only; package policy itself
// never imports collect.
func builtinEnv(t *testing.T) *policy.Env {
	t.Helper()
	reg, err := resource.NewRegistry(demo.Kinds())
	if err != nil {
		t.Fatalf("kind registry: %v", err)
	}
	env, err := policy.NewEnv(reg)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func builtinChecks(t *testing.T, env *policy.Env) []*policy.Check {
	t.Helper()
	cs, err := env.LoadChecks(policy.Source{FS: checks.FS(), Root: ".", Name: "checks", Trusted: true})
	if err != nil {
		t.Fatalf("loading built-in checks failed; every problem, as file:line: reason:\n%v", err)
	}
	return cs
}

// TestBuiltinChecks loads every embedded check and runs each of its test
// cases as the subtest <check-id>/<case-name>. Run one check with
// go test ./internal/policy -run 'TestBuiltinChecks/aws-s3-bucket-public-access-blocked'.
func TestBuiltinChecks(t *testing.T) {
	env := builtinEnv(t)
	cs := builtinChecks(t, env)
	if len(cs) == 0 {
		t.Fatal("no built-in checks embedded")
	}
	for _, c := range cs {
		t.Run(c.ID, func(t *testing.T) {
			// Layout: checks/<provider dir>/<service>/<id>.yaml.
			parts := strings.Split(c.File, "/")
			wantDir := string(c.Provider)
			if len(parts) != 4 || parts[1] != wantDir || parts[3] != c.ID+".yaml" {
				t.Errorf("%s: a built-in check lives at checks/%s/<service>/%s.yaml", c.File, wantDir, c.ID)
			}
			for _, tc := range c.Tests {
				t.Run(tc.Name, func(t *testing.T) {
					res, err := policy.RunTest(t.Context(), c, tc)
					if err != nil {
						t.Fatalf("%s:%d: %v", c.File, tc.Line, err)
					}
					if !res.OK() {
						t.Errorf("%s", res)
					}
				})
			}
		})
	}
}

// TestBuiltinFrameworks loads every embedded framework against the
// built-in checks: each requirement's check IDs must exist.
func TestBuiltinFrameworks(t *testing.T) {
	env := builtinEnv(t)
	cs := builtinChecks(t, env)
	fws, err := policy.LoadFrameworks(frameworks.FS(), ".", "frameworks", cs)
	if err != nil {
		t.Fatalf("loading built-in frameworks failed:\n%v", err)
	}
	files, _ := fs.Glob(frameworks.FS(), "*.yaml")
	if len(fws) != len(files) {
		t.Errorf("loaded %d frameworks from %d files", len(fws), len(files))
	}
	for _, f := range fws {
		if path.Base(f.File) != f.ID+".yaml" {
			t.Errorf("%s: framework %s should live in frameworks/%s.yaml", f.File, f.ID, f.ID)
		}
		if len(f.Requirements) == 0 {
			t.Errorf("%s: no requirements", f.File)
		}
	}
}

// TestBuiltinKinds checks that every kind the checks use is registered (the
// loader enforces it) and that the registry's kinds are well formed.
func TestBuiltinKinds(t *testing.T) {
	env := builtinEnv(t)
	cs := builtinChecks(t, env)
	for _, c := range cs {
		for _, k := range append(append([]string(nil), c.Kinds...), c.IndexKinds()...) {
			if _, ok := env.Registry().Lookup(k); !ok {
				t.Errorf("%s:%d: check %s uses unregistered kind %s", c.File, c.Line, c.ID, k)
			}
		}
	}
}

// TestDemoConfigChecks generates the org checks of the demo's
// cloudward.yaml and runs them alongside the built-in checks.
func TestDemoConfigChecks(t *testing.T) {
	env := builtinEnv(t)
	cs := builtinChecks(t, env)
	cfg, err := configParse(demo.Config)
	if err != nil {
		t.Fatal(err)
	}
	org, err := env.OrgChecks(cfg.Org)
	if err != nil {
		t.Fatal(err)
	}
	// required tags, allowed regions, no public exposure, customer-managed keys.
	if len(org) != 4 {
		t.Fatalf("demo rules gave %d org checks, want 4", len(org))
	}
	if _, err := policy.Combine(cs, org); err != nil {
		t.Fatal(err)
	}
}
