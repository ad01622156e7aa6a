package azure

import (
	"context"
	"strings"
	"time"
)

const (
	apiCognitive = "2024-10-01"
	apiML        = "2024-10-01"
)

// cognitiveAccount enriches an Azure AI services / Azure OpenAI account:
// content-filter policies, diagnostic settings, its deployments (emitted as
// resources of their own) and edges to the keys, storage and networks it
// uses.
func (e *enrich) cognitiveAccount(ctx context.Context) error {
	p := obj(e.doc, "properties")
	// ARM leaves these out when they hold their defaults.
	setDefault(p, "disable_local_auth", false)
	setDefault(p, "public_network_access", "Enabled")
	if to := e.r.vaults[vaultKey(cmkVaultURI("azure_cognitive_services_account", e.doc))]; to != "" {
		e.r.edge(e.id, to, "encrypted_with")
	}
	if enc, _ := p["encryption"].(map[string]any); len(enc) == 0 {
		delete(p, "encryption")
	}
	if st, ok := p["user_owned_storage"].([]any); ok {
		for _, s := range st {
			if id := str(s.(map[string]any)["resource_id"]); id != "" {
				e.r.edge(e.id, id, "uses_storage")
			}
		}
	}
	if acl, ok := p["network_acls"].(map[string]any); ok {
		rules, _ := acl["virtual_network_rules"].([]any)
		for _, rl := range rules {
			if v := vnetOf(str(rl.(map[string]any)["id"])); v != "" {
				e.r.edge(e.id, v, "allows_network")
			}
		}
	}
	if err := e.diagnostics(ctx); err != nil {
		return err
	}
	policies, ok, err := e.list(ctx, e.id+"/raiPolicies", apiCognitive, "Microsoft.CognitiveServices/accounts/raiPolicies/read")
	if err != nil {
		return err
	}
	byName := map[string]map[string]any{}
	if ok {
		shaped := projectList(policies, subSchema(e.schema, "rai_policies"))
		e.doc["rai_policies"] = shaped
		for _, sp := range shaped {
			m := sp.(map[string]any)
			byName[str(m["name"])] = m
		}
	}
	deps, ok, err := e.list(ctx, e.id+"/deployments", apiCognitive, "Microsoft.CognitiveServices/accounts/deployments/read")
	if !ok || err != nil {
		return err
	}
	ds := e.r.c.kinds["azure_cognitive_services_deployment"].Schema
	for _, el := range deps {
		m, _ := el.(map[string]any)
		id := str(m["id"])
		if id == "" {
			continue
		}
		doc := project(m, ds)
		if pol := byName[str(obj(doc, "properties")["rai_policy_name"])]; pol != nil {
			// pol is shaped already; its snake_case keys project onto themselves.
			doc["rai_policy"] = project(pol, subSchema(ds, "rai_policy"))
		}
		if err := e.r.emit(ctx, "azure_cognitive_services_deployment", id, e.sub, e.region, str(m["name"]), nil, time.Time{}, doc); err != nil {
			return err
		}
		e.r.edge(id, e.id, "deployed_in")
	}
	return nil
}

// mlWorkspace enriches an Azure Machine Learning workspace: edges to the
// storage, key vault and keys it uses, diagnostic settings, and its
// computes, emitted as resources of their own.
func (e *enrich) mlWorkspace(ctx context.Context) error {
	p := obj(e.doc, "properties")
	setDefault(p, "public_network_access", "Enabled")
	setDefault(p, "hbi_workspace", false)
	for key, typ := range map[string]string{"storage_account": "uses_storage", "key_vault": "uses_key_vault"} {
		if id := str(p[key]); id != "" {
			e.r.edge(e.id, id, typ)
		}
	}
	if kv, ok := obj(p, "encryption")["key_vault_properties"].(map[string]any); ok {
		if id := str(kv["key_vault_arm_id"]); id != "" {
			e.r.edge(e.id, id, "encrypted_with")
		}
	}
	if enc, _ := p["encryption"].(map[string]any); len(enc) == 0 {
		delete(p, "encryption")
	}
	if err := e.diagnostics(ctx); err != nil {
		return err
	}
	computes, ok, err := e.list(ctx, e.id+"/computes", apiML, "Microsoft.MachineLearningServices/workspaces/computes/read")
	if !ok || err != nil {
		return err
	}
	cs := e.r.c.kinds["azure_machine_learning_compute"].Schema
	for _, el := range computes {
		m, _ := el.(map[string]any)
		id := str(m["id"])
		if id == "" {
			continue
		}
		doc := project(m, cs)
		cp := obj(doc, "properties")
		inner := obj(cp, "properties")
		if t := str(cp["compute_type"]); t == "ComputeInstance" || t == "AmlCompute" {
			setDefault(inner, "enable_node_public_ip", true)
		}
		if sn, ok := inner["subnet"].(map[string]any); ok {
			if v := vnetOf(str(sn["id"])); v != "" {
				e.r.edge(id, v, "in_network")
			}
		}
		region := e.region
		if loc := strings.ToLower(strings.ReplaceAll(str(cp["compute_location"]), " ", "")); loc != "" {
			region = loc
		}
		created, _ := parseTime(str(cp["created_on"]))
		if err := e.r.emit(ctx, "azure_machine_learning_compute", id, e.sub, region, str(m["name"]), tagsOf(m["tags"]), created, doc); err != nil {
			return err
		}
		e.r.edge(id, e.id, "in_workspace")
	}
	return nil
}

// searchService enriches an Azure AI Search service.
func (e *enrich) searchService(ctx context.Context) error {
	p := obj(e.doc, "properties")
	setDefault(p, "disable_local_auth", false)
	setDefault(p, "public_network_access", "enabled")
	return e.diagnostics(ctx)
}
