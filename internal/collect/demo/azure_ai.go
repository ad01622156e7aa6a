package demo

import "time"

// azureAIBase adds the Azure AI resources of the base estate, shaped like
// the collector's azure_cognitive_services_*, azure_machine_learning_* and
// azure_search_service kinds. Production runs an Azure OpenAI account, a
// Machine Learning workspace and an AI Search service locked down
// (private, keyless, customer-managed keys, logged); the sandbox has an AI
// Services account, a workspace and a search service left open.
func (e *estate) azureAIBase() {
	law := "/subscriptions/" + azProd + "/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security"
	diag := func(cats ...string) []azDiagSetting {
		if len(cats) == 0 {
			return []azDiagSetting{}
		}
		d := azDiag(azProd, "to-law", cats...)
		d.Properties.WorkspaceID = law
		return []azDiagSetting{d}
	}
	kvProd := azRID(azProd, "rg-security", "Microsoft.KeyVault/vaults", "kv-acme-prod-eus")
	prodData := azRID(azProd, "rg-data-weu", "Microsoft.Storage/storageAccounts", "acmeproddata")
	vnetProd := azRID(azProd, "rg-network-eus", "Microsoft.Network/virtualNetworks", "vnet-prod-eus")
	filters := func(blocking bool) []any {
		var out []any
		for _, n := range []string{"Hate", "Sexual", "Violence", "Selfharm"} {
			for _, src := range []string{"Prompt", "Completion"} {
				out = append(out, map[string]any{"name": n, "enabled": true, "blocking": blocking, "severity_threshold": "Medium", "source": src})
			}
		}
		return out
	}
	policy := func(name, mode string, blocking bool) map[string]any {
		return map[string]any{"name": name, "properties": map[string]any{"mode": mode, "content_filters": filters(blocking)}}
	}

	// ---- Azure OpenAI / AI Services accounts and their deployments ----
	account := func(sub, rg, name, kind, owner string, props map[string]any, identity map[string]any, diags []azDiagSetting, policies []map[string]any) string {
		uid := azRID(sub, rg, "Microsoft.CognitiveServices/accounts", name)
		doc := map[string]any{"kind": kind, "sku": map[string]any{"name": "S0"}, "properties": props, "diagnostic_settings": diags}
		if identity != nil {
			doc["identity"] = identity
		}
		ps := make([]any, len(policies))
		for i, p := range policies {
			ps[i] = map[string]any{"name": p["name"], "properties": p["properties"]}
		}
		doc["rai_policies"] = ps
		e.add(azRes(uid, sub, "eastus", "azure_cognitive_services_account", name, azTags(owner, azEnv(sub)), e.now.Add(-days(200))), doc)
		return uid
	}
	deployment := func(acct, sub, name, model, version, sku string, policy map[string]any) string {
		uid := acct + "/deployments/" + name
		props := map[string]any{
			"provisioning_state":     "Succeeded",
			"model":                  map[string]any{"format": "OpenAI", "name": model, "version": version},
			"version_upgrade_option": "OnceNewDefaultVersionAvailable",
		}
		doc := map[string]any{"sku": map[string]any{"name": sku, "capacity": 50}, "properties": props}
		if policy != nil {
			props["rai_policy_name"] = policy["name"]
			doc["rai_policy"] = policy
		}
		e.add(azRes(uid, sub, "eastus", "azure_cognitive_services_deployment", name, nil, time.Time{}), doc)
		e.edge(uid, acct, "deployed_in")
		return uid
	}
	def := policy("Microsoft.DefaultV2", "Blocking", true)
	oai := account(azProd, "rg-ai-eus", "oai-acme-prod", "OpenAI", "ml-team", map[string]any{
		"endpoint": "https://oai-acme-prod.openai.azure.com/", "provisioning_state": "Succeeded", "date_created": e.ago(days(200)),
		"custom_sub_domain_name": "oai-acme-prod", "public_network_access": "Disabled", "disable_local_auth": true,
		"network_acls": map[string]any{"default_action": "Deny", "ip_rules": []any{}, "virtual_network_rules": []any{map[string]any{"id": vnetProd + "/subnets/snet-app"}}},
		"encryption": map[string]any{"key_source": "Microsoft.KeyVault", "key_vault_properties": map[string]any{
			"key_name": "cmk-openai", "key_version": "", "key_vault_uri": "https://kv-acme-prod-eus.vault.azure.net/"}},
		"user_owned_storage":           []any{map[string]any{"resource_id": prodData}},
		"private_endpoint_connections": []any{},
	}, map[string]any{"type": "SystemAssigned", "principal_id": "e1a3c5e7-0b2d-4f6a-8c1e-3a5c7e9b1d01"}, diag("Audit", "RequestResponse"), []map[string]any{def})
	e.edge(oai, kvProd, "encrypted_with")
	e.edge(oai, prodData, "uses_storage")
	e.edge(oai, vnetProd, "allows_network")
	deployment(oai, azProd, "gpt-4o", "gpt-4o", "2024-11-20", "GlobalStandard", def)
	deployment(oai, azProd, "text-embedding-3-large", "text-embedding-3-large", "1", "Standard", def)

	annotate := policy("annotate-only", "Asynchronous_filter", false)
	ais := account(azSandbox, "rg-sandbox", "ais-acme-sbx", "AIServices", "growth-team", map[string]any{
		"endpoint": "https://ais-acme-sbx.cognitiveservices.azure.com/", "provisioning_state": "Succeeded", "date_created": e.ago(days(90)),
		"custom_sub_domain_name": "ais-acme-sbx", "public_network_access": "Enabled", "disable_local_auth": false,
		"network_acls":                 map[string]any{"default_action": "Allow", "ip_rules": []any{}, "virtual_network_rules": []any{}},
		"private_endpoint_connections": []any{},
	}, nil, diag(), []map[string]any{def, annotate})
	e.plant(ais, "azure-cognitiveservices-public-network-disabled", "sandbox AI Services endpoint open to the internet")
	e.plant(ais, "azure-cognitiveservices-local-auth-disabled", "API keys still accepted; a key sits in a team notebook")
	e.plant(ais, "azure-cognitiveservices-cmk", "stored prompts and files encrypted with Microsoft-managed keys only")
	e.plant(ais, "azure-cognitiveservices-diagnostic-logs", "no diagnostic setting: calls to the models are not logged")
	e.plant(ais, "azure-cognitiveservices-managed-identity", "no managed identity, so no keyless access to data sources")
	deployment(ais, azSandbox, "gpt-4o-mini", "gpt-4o-mini", "2024-07-18", "GlobalStandard", def)
	u := deployment(ais, azSandbox, "gpt-4o-mini-raw", "gpt-4o-mini", "2024-07-18", "GlobalStandard", annotate)
	e.plant(u, "azure-openai-deployment-content-filter", "content filters only annotate: harmful completions are returned to the caller")

	// ---- Azure Machine Learning workspaces and computes ----
	workspace := func(sub, rg, name, owner string, props map[string]any, diags []azDiagSetting) string {
		uid := azRID(sub, rg, "Microsoft.MachineLearningServices/workspaces", name)
		e.add(azRes(uid, sub, "eastus", "azure_machine_learning_workspace", name, azTags(owner, azEnv(sub)), time.Time{}), map[string]any{
			"kind": "Default", "sku": map[string]any{"name": "Basic", "tier": "Basic"},
			"identity":   map[string]any{"type": "SystemAssigned", "principal_id": "e2b4d6f8-1a3c-4e5b-9d7f-" + name[len(name)-4:] + "00000000"},
			"properties": props, "diagnostic_settings": diags,
		})
		if st, _ := props["storage_account"].(string); st != "" {
			e.edge(uid, st, "uses_storage")
		}
		if kv, _ := props["key_vault"].(string); kv != "" {
			e.edge(uid, kv, "uses_key_vault")
		}
		return uid
	}
	compute := func(ws, sub, name, owner string, inner map[string]any) string {
		uid := ws + "/computes/" + name
		e.add(azRes(uid, sub, "eastus", "azure_machine_learning_compute", name, azTags(owner, azEnv(sub)), e.now.Add(-days(60))), map[string]any{
			"properties": map[string]any{
				"compute_type": "ComputeInstance", "compute_location": "eastus", "provisioning_state": "Succeeded",
				"created_on": e.ago(days(60)), "disable_local_auth": true, "properties": inner,
			},
		})
		e.edge(uid, ws, "in_workspace")
		return uid
	}
	mlw := workspace(azProd, "rg-ai-eus", "mlw-acme-prod", "ml-team", map[string]any{
		"friendly_name": "Acme ML", "provisioning_state": "Succeeded", "public_network_access": "Disabled",
		"allow_public_access_when_behind_vnet": false, "hbi_workspace": true, "v1_legacy_mode": false,
		"storage_account": prodData, "key_vault": kvProd, "system_datastores_auth_mode": "identity",
		"encryption": map[string]any{"status": "Enabled", "key_vault_properties": map[string]any{
			"key_vault_arm_id": kvProd, "key_identifier": "https://kv-acme-prod-eus.vault.azure.net/keys/cmk-ml"}},
		"managed_network":              map[string]any{"isolation_mode": "AllowOnlyApprovedOutbound", "status": map[string]any{"status": "Active"}},
		"private_endpoint_connections": []any{},
	}, diag("AmlComputeClusterEvent", "AmlRunStatusChangedEvent"))
	e.edge(mlw, kvProd, "encrypted_with")
	compute(mlw, azProd, "ci-data-science-01", "ml-team", map[string]any{
		"vm_size": "STANDARD_DS3_V2", "state": "Stopped", "enable_node_public_ip": false,
		"ssh_settings":              map[string]any{"ssh_public_access": "Disabled", "admin_user_name": "azureuser"},
		"idle_time_before_shutdown": "PT30M", "application_sharing_policy": "Personal",
		"connectivity_endpoints": map[string]any{"private_ip_address": "10.10.1.20"},
	})

	sbxStorage := azRID(azSandbox, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxpublic")
	sbxVault := azRID(azSandbox, "rg-sandbox", "Microsoft.KeyVault/vaults", "kv-acme-sbx")
	mls := workspace(azSandbox, "rg-sandbox", "mlw-acme-sbx", "growth-team", map[string]any{
		"friendly_name": "Sandbox ML", "provisioning_state": "Succeeded", "public_network_access": "Enabled",
		"hbi_workspace": false, "v1_legacy_mode": false, "storage_account": sbxStorage, "key_vault": sbxVault,
		"system_datastores_auth_mode": "accessKey", "private_endpoint_connections": []any{},
	}, diag())
	e.plant(mls, "azure-ml-workspace-public-network-disabled", "sandbox workspace reachable from the internet")
	e.plant(mls, "azure-ml-workspace-cmk", "workspace created without a customer-managed key")
	e.plant(mls, "azure-ml-workspace-managed-network-isolation", "no managed network: computes can send data anywhere")
	e.plant(mls, "azure-ml-workspace-diagnostic-logs", "no diagnostic setting on the workspace")
	u = compute(mls, azSandbox, "ci-growth-notebook", "growth-team", map[string]any{
		"vm_size": "STANDARD_NC6S_V3", "state": "Running", "enable_node_public_ip": true,
		"ssh_settings":               map[string]any{"ssh_public_access": "Enabled", "admin_user_name": "azureuser"},
		"application_sharing_policy": "Personal",
		"connectivity_endpoints":     map[string]any{"public_ip_address": "198.51.100.24", "private_ip_address": "10.0.0.4"},
	})
	e.plant(u, "azure-ml-compute-no-public-ip", "notebook VM has a public IP address")
	e.plant(u, "azure-ml-compute-ssh-disabled", "SSH open to the internet on the notebook VM")
	e.plant(u, "azure-ml-compute-idle-shutdown", "GPU notebook VM never shuts down when idle")

	// ---- Azure AI Search ----
	search := func(sub, rg, name, owner string, identity map[string]any, props map[string]any, diags []azDiagSetting) string {
		uid := azRID(sub, rg, "Microsoft.Search/searchServices", name)
		doc := map[string]any{"sku": map[string]any{"name": "standard"}, "properties": props, "diagnostic_settings": diags}
		if identity != nil {
			doc["identity"] = identity
		}
		e.add(azRes(uid, sub, "eastus", "azure_search_service", name, azTags(owner, azEnv(sub)), time.Time{}), doc)
		return uid
	}
	search(azProd, "rg-ai-eus", "srch-acme-prod", "ml-team", map[string]any{"type": "SystemAssigned", "principal_id": "e3c5e7a9-2b4d-4f6a-8c0e-4b6d8f0a2c03"}, map[string]any{
		"status": "running", "provisioning_state": "succeeded", "replica_count": 2, "partition_count": 1, "hosting_mode": "default",
		"public_network_access": "disabled", "disable_local_auth": true,
		"network_rule_set":             map[string]any{"ip_rules": []any{}, "bypass": "AzureServices"},
		"encryption_with_cmk":          map[string]any{"enforcement": "Enabled", "encryption_compliance_status": "Compliant"},
		"private_endpoint_connections": []any{},
	}, diag("OperationLogs"))
	s := search(azSandbox, "rg-sandbox", "srch-acme-sbx", "growth-team", nil, map[string]any{
		"status": "running", "provisioning_state": "succeeded", "replica_count": 1, "partition_count": 1, "hosting_mode": "default",
		"public_network_access": "enabled", "disable_local_auth": false,
		"network_rule_set":             map[string]any{"ip_rules": []any{}, "bypass": "None"},
		"encryption_with_cmk":          map[string]any{"enforcement": "Unspecified", "encryption_compliance_status": "Compliant"},
		"private_endpoint_connections": []any{},
	}, diag())
	e.plant(s, "azure-search-public-network-disabled", "RAG index of internal documents reachable from the internet")
	e.plant(s, "azure-search-local-auth-disabled", "admin API key in use by the sandbox chatbot")
	e.plant(s, "azure-search-cmk", "customer-managed key encryption not enforced on the index")
	e.plant(s, "azure-search-diagnostic-logs", "query and indexing operations are not logged")
	e.plant(s, "azure-search-managed-identity", "no managed identity: indexers pull data with connection strings")
}
