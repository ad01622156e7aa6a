package azure

import (
	"context"
	"slices"
	"time"

	"cloudward/internal/resource"
)

// API versions of the tenant-scope ARM reads.
const (
	apiSubscriptionPolicy = "2021-10-01"
	apiAADDiagnostics     = "2017-04-01"
)

// tenantOf returns the Entra tenant the scan reads Microsoft Graph for:
// Options.TenantID, else the tenant of the first subscription in scope.
func (c *Collector) tenantOf(subs []subscriptionScope) string {
	if c.opts.TenantID != "" {
		return c.opts.TenantID
	}
	for _, s := range subs {
		if t, _ := s.doc["tenant_id"].(string); t != "" {
			return t
		}
	}
	return ""
}

// entraTenant emits the azure_entra_tenant resource: the tenant settings
// the CIS benchmark covers, read from Microsoft Graph. Each read that fails
// (a 403 when the identity lacks Policy.Read.All, AuditLog.Read.All or an
// Entra ID P1 licence) is a collection error and its field stays absent,
// so the checks reading it report ERROR rather than a guess.
func (r *run) entraTenant(ctx context.Context, tenant string) error {
	schema := r.c.kinds["azure_entra_tenant"].Schema
	doc := map[string]any{"tenant_id": tenant}
	if r.secDef != nil {
		doc["security_defaults"] = r.secDef
	}
	record := func(path string, err error) error {
		return r.c.record(ctx, r.sink, tenant, resource.GlobalRegion, "entra", "GET "+path, err)
	}
	const authz = "/v1.0/policies/authorizationPolicy"
	if v, err := r.c.api.graphGet(ctx, authz); err != nil {
		if err := record(authz, err); err != nil {
			return err
		}
	} else {
		doc["authorization_policy"] = project(v, subSchema(schema, "authorization_policy"))
	}
	for _, c := range []struct{ key, path string }{
		{"conditional_access_policies", "/v1.0/identity/conditionalAccess/policies"},
		{"named_locations", "/v1.0/identity/conditionalAccess/namedLocations"},
	} {
		list, err := r.c.api.graphList(ctx, c.path)
		if err != nil {
			if err := record(c.path, err); err != nil {
				return err
			}
			continue
		}
		doc[c.key] = projectList(list, subSchema(schema, c.key))
	}
	const globalAdmins = "/v1.0/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members"
	if list, err := r.c.api.graphList(ctx, globalAdmins+"?$select=id"); err != nil {
		if err := record(globalAdmins, err); err != nil {
			return err
		}
	} else {
		doc["global_administrators"] = len(list)
	}
	const groupSettings = "/v1.0/groupSettings"
	if list, err := r.c.api.graphList(ctx, groupSettings); err != nil {
		if err := record(groupSettings, err); err != nil {
			return err
		}
	} else {
		doc["group_settings"] = projectList(list, subSchema(schema, "group_settings"))
	}
	// Tenant-scope ARM reads.
	armRecord := func(op string, err error) error {
		return r.c.record(ctx, r.sink, tenant, resource.GlobalRegion, "entra", op, err)
	}
	if v, err := r.c.api.get(ctx, "/providers/Microsoft.Subscription/policies/default", apiSubscriptionPolicy); err != nil {
		if err := armRecord("Microsoft.Subscription/policies/read", err); err != nil {
			return err
		}
	} else {
		doc["subscription_policy"] = project(v, subSchema(schema, "subscription_policy"))
	}
	if list, err := r.c.api.list(ctx, "/providers/microsoft.aadiam/diagnosticSettings", apiAADDiagnostics); err != nil {
		if err := armRecord("microsoft.aadiam/diagnosticSettings/read", err); err != nil {
			return err
		}
	} else {
		doc["diagnostic_settings"] = projectList(list, subSchema(schema, "diagnostic_settings"))
	}
	const mfa = "/v1.0/reports/authenticationMethods/userRegistrationDetails"
	if list, err := r.c.api.graphList(ctx, mfa); err != nil {
		if err := record(mfa, err); err != nil {
			return err
		}
	} else {
		doc["mfa_registration"] = mfaSummary(list)
	}
	return r.emit(ctx, "azure_entra_tenant", "/tenants/"+tenant, tenant, resource.GlobalRegion, tenant, nil, time.Time{}, doc)
}

// mfaSummary counts users and admins with and without MFA registered; only
// the admins without MFA are named.
func mfaSummary(list []any) map[string]any {
	users, usersMFA, admins, adminsMFA := 0, 0, 0, 0
	missing := []string{}
	for _, el := range list {
		m, ok := el.(map[string]any)
		if !ok {
			continue
		}
		reg, _ := m["isMfaRegistered"].(bool)
		admin, _ := m["isAdmin"].(bool)
		users++
		if reg {
			usersMFA++
		}
		if admin {
			admins++
			if reg {
				adminsMFA++
			} else {
				missing = append(missing, str(m["userPrincipalName"]))
			}
		}
	}
	slices.Sort(missing)
	return map[string]any{
		"users": users, "users_mfa_registered": usersMFA,
		"admins": admins, "admins_mfa_registered": adminsMFA, "admins_without_mfa": missing,
	}
}
