package responsibility_test

import (
	"strings"
	"testing"

	"cloudward/checks"
	"cloudward/internal/collect/demo"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
)

func builtin(t *testing.T) *responsibility.Model {
	t.Helper()
	m, err := responsibility.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func registry(t *testing.T) *resource.Registry {
	t.Helper()
	reg, err := resource.NewRegistry(demo.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// Every provider has a model, and every registered kind maps to a service
// model its provider's model covers.
func TestBuiltinCoversEveryKind(t *testing.T) {
	m := builtin(t)
	reg := registry(t)
	if err := m.Validate(reg); err != nil {
		t.Fatal(err)
	}
	for _, p := range resource.Providers {
		if _, ok := m.Provider(p); !ok {
			t.Errorf("no model for %s", p)
		}
	}
	for _, k := range reg.All() {
		pm, _ := m.Provider(k.Provider)
		if _, ok := pm.Owner(k.Model, responsibility.DataProtection); !ok {
			t.Errorf("%s: %s model has no %s split", k.Name, k.Provider, k.Model)
		}
	}
}

// Every provider gives an owner for every area of every service model it
// offers, the provider always owns the physical layer, and the areas the
// providers' own documents keep with the customer are the customer's.
func TestBuiltinEveryModelComplete(t *testing.T) {
	m := builtin(t)
	for _, pm := range m.Providers() {
		if len(pm.ServiceModels()) < 3 {
			t.Errorf("%s: only %v", pm.Provider, pm.ServiceModels())
		}
		for _, sm := range pm.ServiceModels() {
			for _, a := range responsibility.Areas {
				o, ok := pm.Owner(sm, a)
				if !ok || !o.Valid() {
					t.Errorf("%s %s %s: owner %q", pm.Provider, sm, a, o)
				}
			}
			for _, a := range []responsibility.Area{responsibility.DataProtection, responsibility.AccountsIdentities, responsibility.AccessManagement, responsibility.Endpoints} {
				if o, _ := pm.Owner(sm, a); o != responsibility.Customer {
					t.Errorf("%s %s %s: owner %s, want customer", pm.Provider, sm, a, o)
				}
			}
			if o, _ := pm.Owner(sm, responsibility.Physical); o != responsibility.Provider {
				t.Errorf("%s %s physical: %s", pm.Provider, sm, o)
			}
		}
	}
	// Spot checks against the providers' documents.
	for _, tc := range []struct {
		p    resource.Provider
		sm   resource.ServiceModel
		a    responsibility.Area
		want responsibility.Owner
	}{
		{resource.AWS, resource.IaaS, responsibility.GuestOS, responsibility.Customer},
		{resource.AWS, resource.FaaS, responsibility.GuestOS, responsibility.Provider},
		{resource.AWS, resource.FaaS, responsibility.Applications, responsibility.Customer},
		{resource.Azure, resource.PaaS, responsibility.IdentityInfrastructure, responsibility.Shared},
		{resource.Azure, resource.SaaS, responsibility.Applications, responsibility.Provider},
		{resource.Azure, resource.IaaS, responsibility.IdentityInfrastructure, responsibility.Customer},
		{resource.GCP, resource.IaaS, responsibility.Encryption, responsibility.Shared},
		{resource.DigitalOcean, resource.PaaS, responsibility.GuestOS, responsibility.Provider},
	} {
		pm, _ := m.Provider(tc.p)
		if got, _ := pm.Owner(tc.sm, tc.a); got != tc.want {
			t.Errorf("%s %s %s: %s, want %s", tc.p, tc.sm, tc.a, got, tc.want)
		}
	}
	gcp, _ := m.Provider(resource.GCP)
	if len(gcp.SharedFate) == 0 {
		t.Error("gcp: shared-fate additions missing")
	}
}

// Every built-in check names a valid area, and a customer or shared one:
// a check of a provider-only area would test something the user cannot
// change.
func TestEveryCheckHasArea(t *testing.T) {
	env, err := policy.NewEnv(registry(t))
	if err != nil {
		t.Fatal(err)
	}
	all, err := env.LoadChecks(policy.Source{FS: checks.FS(), Root: ".", Name: "checks"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no checks")
	}
	for _, c := range all {
		if !c.Area.Valid() {
			t.Errorf("%s: area %q", c.ID, c.Area)
		}
		if c.Area == responsibility.Physical || c.Area == responsibility.HostInfrastructure {
			t.Errorf("%s: covers the provider-only area %s", c.ID, c.Area)
		}
	}
}

func TestParseErrors(t *testing.T) {
	full := func(sm string, owners map[string]string) string {
		var b strings.Builder
		b.WriteString("  " + sm + ":\n    summary: s\n    owners:\n")
		for _, a := range responsibility.Areas {
			o := "customer"
			if a == responsibility.Physical || a == responsibility.HostInfrastructure {
				o = "provider"
			}
			if v, ok := owners[string(a)]; ok {
				if v == "" {
					continue
				}
				o = v
			}
			b.WriteString("      " + string(a) + ": " + o + "\n")
		}
		return b.String()
	}
	head := "provider: aws\ntitle: T\nsources: [{title: S, url: https://example.com}]\nmodels:\n"
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"valid", head + full("IaaS", nil), nil},
		{"missing area", head + full("IaaS", map[string]string{"guest-os": ""}), []string{"no owner for area guest-os"}},
		{"bad owner", head + full("PaaS", map[string]string{"encryption": "nobody"}), []string{`unknown owner "nobody"`}},
		{"customer physical", head + full("IaaS", map[string]string{"physical": "customer"}), []string{"physical: must be the provider's"}},
		{"unknown model", head + full("XaaS", nil), []string{`unknown service model "XaaS"`}},
		{"unknown provider", strings.Replace(head, "aws", "oracle", 1) + full("IaaS", nil), []string{`unknown provider "oracle"`}},
		{"no sources", strings.Replace(head, "sources: [{title: S, url: https://example.com}]\n", "", 1) + full("IaaS", nil), []string{"at least one source"}},
		{"unknown field", head + full("IaaS", nil) + "extra: 1\n", []string{"extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := responsibility.Parse("m.yaml", []byte(tt.yaml))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
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

func TestExplain(t *testing.T) {
	m := builtin(t)
	reg := registry(t)
	for _, tc := range []struct {
		kind string
		area responsibility.Area
		want responsibility.Owner
		word string
	}{
		{"aws_ec2_instance", responsibility.GuestOS, responsibility.Customer, "patch"},
		{"aws_lambda_function", responsibility.GuestOS, responsibility.Provider, "provider patches"},
		{"aws_lambda_function", responsibility.Applications, responsibility.Customer, "code"},
	} {
		k, ok := reg.Lookup(tc.kind)
		if !ok {
			t.Fatalf("no kind %s", tc.kind)
		}
		ex, err := m.Explain(k)
		if err != nil {
			t.Fatal(err)
		}
		if len(ex.Areas) != len(responsibility.Areas) || ex.Summary == "" || len(ex.Sources) == 0 {
			t.Fatalf("%s: incomplete %+v", tc.kind, ex)
		}
		for _, s := range ex.Areas {
			if s.Area == tc.area && (s.Owner != tc.want || !strings.Contains(s.Words, tc.word)) {
				t.Errorf("%s %s: %s %q, want %s containing %q", tc.kind, tc.area, s.Owner, s.Words, tc.want, tc.word)
			}
		}
	}
}
