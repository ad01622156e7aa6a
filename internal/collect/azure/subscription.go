package azure

import (
	"context"
	"net/url"
	"strings"
	"time"

	"cloudward/internal/resource"
)

// API versions of the plain ARM reads, one per resource provider.
const (
	apiSecurityPricings = "2024-01-01"
	apiSecurityContacts = "2023-12-01-preview"
	apiDiagnostics      = "2021-05-01-preview"
	apiAuthorization    = "2022-04-01"
	apiStorage          = "2023-05-01"
	apiCompute          = "2024-07-01"
	apiKeyVault         = "2023-07-01"
	apiSQL              = "2021-11-01"
	apiWeb              = "2023-12-01"
	apiPolicy           = "2023-04-01"
	apiSecuritySettings = "2022-05-01"
)

// task is one unit of work inside a subscription.
type task struct {
	service string
	region  string
	fn      func(ctx context.Context) error
}

// regionOf returns a row's location as a region name.
func regionOf(row map[string]any) string {
	loc, _ := row["location"].(string)
	loc = strings.ToLower(strings.ReplaceAll(loc, " ", ""))
	if loc == "" {
		return resource.GlobalRegion
	}
	return loc
}

// try runs one call and records its failure; ok is false when the call
// failed, err non-nil only when the collection must stop.
func (r *run) try(ctx context.Context, sub, region, service, op string, call func() error) (ok bool, err error) {
	if cerr := call(); cerr != nil {
		return false, r.c.record(ctx, r.sink, sub, region, service, op, cerr)
	}
	return true, nil
}

// subscriptionFacts emits the azure_subscription resource: the
// subscription GET plus Defender pricings, security contacts, activity-log
// diagnostic settings and the tenant's security defaults.
func (r *run) subscriptionFacts(ctx context.Context, s subscriptionScope) error {
	schema := r.c.kinds["azure_subscription"].Schema
	doc := map[string]any{}
	for k, v := range s.doc {
		doc[k] = v
	}
	if r.secDef != nil {
		doc["security_defaults"] = r.secDef
	}
	base := "/subscriptions/" + s.id
	for _, c := range []struct{ key, path, version, op string }{
		{"pricings", base + "/providers/Microsoft.Security/pricings", apiSecurityPricings, "Microsoft.Security/pricings/read"},
		{"security_contacts", base + "/providers/Microsoft.Security/securityContacts", apiSecurityContacts, "Microsoft.Security/securityContacts/read"},
		{"security_settings", base + "/providers/Microsoft.Security/settings", apiSecuritySettings, "Microsoft.Security/settings/read"},
		{"diagnostic_settings", base + "/providers/Microsoft.Insights/diagnosticSettings", apiDiagnostics, "Microsoft.Insights/diagnosticSettings/read"},
		{"role_assignments", armPath(base+"/providers/Microsoft.Authorization/roleAssignments", url.Values{"$filter": {"atScope()"}}),
			apiAuthorization, "Microsoft.Authorization/roleAssignments/read"},
		{"policy_assignments", armPath(base+"/providers/Microsoft.Authorization/policyAssignments", url.Values{"$filter": {"atScope()"}}),
			apiPolicy, "Microsoft.Authorization/policyAssignments/read"},
	} {
		var list []any
		service := "subscription"
		if strings.HasPrefix(c.op, "Microsoft.Authorization/") {
			service = "authorization"
		}
		ok, err := r.try(ctx, s.id, resource.GlobalRegion, service, c.op, func() (err error) {
			list, err = r.c.api.list(ctx, c.path, c.version)
			return err
		})
		if err != nil {
			return err
		}
		if ok {
			doc[c.key] = projectList(list, subSchema(schema, c.key))
		}
	}
	if ds, ok := doc["diagnostic_settings"].([]any); ok {
		for _, d := range ds {
			dm, _ := d.(map[string]any)
			st := str(obj(dm, "properties")["storage_account_id"])
			if st == "" {
				continue
			}
			ks, err := r.keySource(ctx, s.id, st)
			if err != nil {
				return err
			}
			if ks != "" {
				dm["storage_account_key_source"] = ks
			}
		}
	}
	name, _ := s.doc["display_name"].(string)
	return r.emit(ctx, "azure_subscription", base, s.id, resource.GlobalRegion, name, s.tag, time.Time{}, doc)
}

// keySource returns the encryption key source of the storage account id
// (an activity log's destination), from the inventory when the account is
// in it, else read from ARM (the account may be in a subscription outside
// the scan, or this is a distributed job that has no inventory). A failed
// read is recorded against sub and gives "".
func (r *run) keySource(ctx context.Context, sub, id string) (string, error) {
	if !strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
		return "", nil // not an ARM resource ID: nothing to read
	}
	key := strings.ToLower(id)
	r.mu.Lock()
	ks, ok := r.keySources[key]
	r.mu.Unlock()
	if ok {
		return ks, nil
	}
	var v any
	ok, err := r.try(ctx, sub, resource.GlobalRegion, "subscription", "Microsoft.Storage/storageAccounts/read", func() (err error) {
		v, err = r.c.api.get(ctx, id, apiStorage)
		return err
	})
	if !ok || err != nil {
		return "", err
	}
	m, _ := v.(map[string]any)
	p, _ := m["properties"].(map[string]any)
	enc, _ := p["encryption"].(map[string]any)
	ks, _ = enc["keySource"].(string)
	r.mu.Lock()
	r.keySources[key] = ks
	r.mu.Unlock()
	return ks, nil
}

// roleDefinitions emits the subscription's custom RBAC roles.
func (r *run) roleDefinitions(ctx context.Context, sub string) error {
	var list []any
	path := armPath("/subscriptions/"+sub+"/providers/Microsoft.Authorization/roleDefinitions",
		url.Values{"$filter": {"type eq 'CustomRole'"}})
	ok, err := r.try(ctx, sub, resource.GlobalRegion, "authorization", "Microsoft.Authorization/roleDefinitions/read", func() (err error) {
		list, err = r.c.api.list(ctx, path, apiAuthorization)
		return err
	})
	if !ok || err != nil {
		return err
	}
	schema := r.c.kinds["azure_role_definition"].Schema
	for _, el := range list {
		m, _ := el.(map[string]any)
		id, _ := m["id"].(string)
		if id == "" {
			continue
		}
		doc := project(m, schema)
		p := obj(doc, "properties")
		if t, _ := p["type"].(string); t != "CustomRole" {
			continue
		}
		name, _ := p["role_name"].(string)
		created, _ := parseTime(str(p["created_on"]))
		if err := r.emit(ctx, "azure_role_definition", id, sub, resource.GlobalRegion, name, nil, created, doc); err != nil {
			return err
		}
	}
	return nil
}

// projectList shapes every element of an ARM list onto fs.
func projectList(list []any, fs []resource.Field) []any {
	out := make([]any, 0, len(list))
	for _, el := range list {
		if m := project(el, fs); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// str returns v as a string, or "".
func str(v any) string {
	s, _ := v.(string)
	return s
}
