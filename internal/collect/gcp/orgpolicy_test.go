package gcp

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOrgPolicies reads the effective organization policies of each
// project: every constraint of OrgPolicyConstraints once per project with
// a GET, shaped by the schema (false booleans put back, list values kept);
// a disabled API or a denied project stops after the first call, records
// one collection error and leaves org_policies out.
func TestOrgPolicies(t *testing.T) {
	srv := fixtures(t)
	sink := collectAll(t, newCollector(t, srv, Options{Organization: org}))

	docs := map[string]map[string]any{}
	for _, r := range sink.res {
		if r.Kind != "gcp_project" {
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal(r.Properties, &doc); err != nil {
			t.Fatal(err)
		}
		docs[r.Account] = doc
	}
	for _, p := range []string{"acme-lab-1177", "acme-sec-3311"} {
		if _, ok := docs[p]["org_policies"]; ok {
			t.Errorf("%s: org_policies present although the API failed", p)
		}
		if c, _ := docs[p]["collected"].(map[string]any); c["orgpolicy"] != nil {
			t.Errorf("%s: orgpolicy marked collected", p)
		}
	}
	web := docs["acme-web-4821"]
	if c, _ := web["collected"].(map[string]any); c["orgpolicy"] != true {
		t.Errorf("acme-web-4821: orgpolicy not marked collected: %v", c)
	}
	pols, _ := web["org_policies"].([]any)
	if len(pols) != len(OrgPolicyConstraints) {
		t.Fatalf("acme-web-4821: %d org policies, want %d", len(pols), len(OrgPolicyConstraints))
	}
	got := map[string]string{}
	for i, p := range pols {
		m := p.(map[string]any)
		if m["constraint"] != OrgPolicyConstraints[i] {
			t.Errorf("policy %d: constraint %v, want %s", i, m["constraint"], OrgPolicyConstraints[i])
		}
		b, _ := json.Marshal(m["spec"])
		got[OrgPolicyConstraints[i]] = string(b)
	}
	want := map[string]string{
		"constraints/iam.disableServiceAccountKeyCreation": `{"inherit_from_parent":false,"reset":false,"rules":[{"allow_all":false,"deny_all":false,"enforce":true}]}`,
		"constraints/iam.allowedPolicyMemberDomains":       `{"inherit_from_parent":true,"reset":false,"rules":[{"allow_all":false,"deny_all":false,"enforce":false,"values":{"allowed_values":["C03acme7x","is:principalSet://iam.googleapis.com/organizations/100200300400"],"denied_values":["C0badco99"]}}]}`,
		"constraints/storage.publicAccessPrevention":       `{"inherit_from_parent":false,"reset":false,"rules":[{"allow_all":false,"deny_all":false,"enforce":false}]}`,
		"constraints/compute.vmExternalIpAccess":           `{"inherit_from_parent":false,"reset":true,"rules":[{"allow_all":true,"deny_all":false,"enforce":false}]}`,
		"constraints/compute.requireOsLogin":               `{"inherit_from_parent":false,"reset":false,"rules":[]}`,
	}
	for c, w := range want {
		if got[c] != w {
			t.Errorf("%s: spec\n%s\nwant\n%s", c, got[c], w)
		}
	}

	calls := map[string]int{}
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/orgpolicy/") {
			continue
		}
		if r.Method != "GET" || !strings.HasSuffix(r.Path, ":getEffectivePolicy") {
			t.Errorf("unexpected org policy request %s %s", r.Method, r.Path)
		}
		calls[strings.Split(r.Path, "/")[4]]++
	}
	if calls["482190317745"] != len(OrgPolicyConstraints) || calls["117734562091"] != 1 || calls["331122334455"] != 1 {
		t.Errorf("org policy calls per project %v, want %d for the complete project and 1 for the others", calls, len(OrgPolicyConstraints))
	}
}

// TestInheritedIAMPolicies reads the IAM policy of the organization and of
// each folder once per organization scan and gives each project those of
// its ancestors; a project below a folder whose policy is denied gets none
// (its checks cannot see everything that applies to it), and a project
// scope reads no ancestor at all.
func TestInheritedIAMPolicies(t *testing.T) {
	srv := fixtures(t)
	sink := collectAll(t, newCollector(t, srv, Options{Organization: org}))
	inherited := map[string][]string{}
	for _, r := range sink.res {
		if r.Kind != "gcp_project" {
			continue
		}
		var doc struct {
			Inherited *[]struct {
				Resource     string `json:"resource"`
				AuditConfigs []any  `json:"audit_configs"`
			} `json:"inherited_iam_policies"`
		}
		if err := json.Unmarshal(r.Properties, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Inherited == nil {
			inherited[r.Account] = nil
			continue
		}
		list := []string{}
		for _, p := range *doc.Inherited {
			list = append(list, p.Resource)
			if p.Resource == "organizations/"+org && len(p.AuditConfigs) != 1 {
				t.Errorf("%s: organization audit configs %v", r.Account, p.AuditConfigs)
			}
		}
		inherited[r.Account] = list
	}
	want := map[string][]string{
		"acme-web-4821": {"organizations/" + org},
		"acme-lab-1177": {"organizations/" + org},
		"acme-sec-3311": nil,
	}
	for p, w := range want {
		if got, ok := inherited[p]; !ok || strings.Join(got, ",") != strings.Join(w, ",") || (w == nil) != (got == nil) {
			t.Errorf("%s: inherited policies %v, want %v", p, got, w)
		}
	}
	calls := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, ":getIamPolicy") && (strings.Contains(r.Path, "/organizations/") || strings.Contains(r.Path, "/folders/")) {
			calls++
		}
	}
	if calls != 3 {
		t.Errorf("%d organization and folder getIamPolicy calls, want 3 (the organization and its two active folders)", calls)
	}

	srv = fixtures(t)
	sink = collectAll(t, newCollector(t, srv, Options{Projects: []string{"acme-web-4821"}}))
	for _, r := range sink.res {
		if r.Kind == "gcp_project" && strings.Contains(string(r.Properties), "inherited_iam_policies") {
			t.Error("a project scope carries inherited IAM policies")
		}
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "/organizations/") || strings.Contains(r.Path, "/folders/") {
			t.Errorf("a project scope read %s", r.Path)
		}
	}
}
