package azure

import "cloudward/internal/resource"

// aiIdentity documents a managed identity block of an AI resource.
func aiIdentity() resource.Field {
	return f("identity", "object", "managed identity (absent when none)",
		f("type", "string", "None, SystemAssigned, UserAssigned or SystemAssigned,UserAssigned"),
		f("principal_id", "string", "system identity object ID"))
}

func cognitiveServicesAccount() resource.Kind {
	return resource.Kind{
		Name:        "azure_cognitive_services_account",
		Provider:    resource.Azure,
		Service:     "cognitiveservices",
		Description: "An Azure AI services account (Microsoft.CognitiveServices/accounts): Azure OpenAI, AI Services (Foundry), Speech, Language, Document Intelligence…, with its content-filter (RAI) policies and diagnostic settings",
		Model:       resource.PaaS,
		Taggable:    true,
		AI:          true,
		Permissions: []string{
			"Microsoft.CognitiveServices/accounts/read",
			"Microsoft.CognitiveServices/accounts/raiPolicies/read",
			"Microsoft.Insights/DiagnosticSettings/Read",
		},
		Schema: []resource.Field{
			f("kind", "string", "OpenAI, AIServices, CognitiveServices, FormRecognizer, TextAnalytics, SpeechServices…"),
			f("sku", "object", "pricing tier", f("name", "string", "S0, F0…")),
			aiIdentity(),
			arm(
				f("endpoint", "string", "API endpoint"),
				f("provisioning_state", "string", "Succeeded"),
				f("date_created", "timestamp", "creation time"),
				f("custom_sub_domain_name", "string", "custom subdomain (required for Entra authentication and private endpoints)"),
				f("public_network_access", "string", "Enabled or Disabled"),
				f("network_acls", "object", "firewall (applies when public_network_access is Enabled)",
					f("default_action", "string", "Allow or Deny"),
					f("ip_rules", "array", "allowed public ranges", f("value", "string", "IP or CIDR")),
					f("virtual_network_rules", "array", "allowed subnets", f("id", "string", "subnet ID"))),
				f("disable_local_auth", "boolean", "API keys disabled: only Entra ID tokens accepted; absent means keys work"),
				f("restrict_outbound_network_access", "boolean", "outbound calls limited to allowed_fqdn_list"),
				f("allowed_fqdn_list", "array", "allowed outbound FQDNs (string)"),
				f("encryption", "object", "encryption at rest (absent: Microsoft-managed keys)",
					f("key_source", "string", "Microsoft.CognitiveServices (platform key) or Microsoft.KeyVault (customer-managed key)"),
					f("key_vault_properties", "object", "customer-managed key",
						f("key_name", "string", "key name"),
						f("key_version", "string", "key version"),
						f("key_vault_uri", "string", "vault URI"),
						f("identity_client_id", "string", "user-assigned identity reading the key"))),
				f("user_owned_storage", "array", "storage accounts the service reads or writes (data it can reach)",
					f("resource_id", "string", "storage account ID")),
				privateEndpoints(),
			),
			f("rai_policies", "array", "GET accounts/raiPolicies: content filter policies (Microsoft.Default, Microsoft.DefaultV2 and custom ones)",
				f("name", "string", "policy name"),
				arm(
					f("mode", "string", "Default, Blocking, Asynchronous_filter…"),
					f("base_policy_name", "string", "policy it derives from"),
					f("content_filters", "array", "filters",
						f("name", "string", "Hate, Sexual, Violence, Selfharm, Jailbreak, Indirect Attack, Protected Material…"),
						f("enabled", "boolean", "filter on"),
						f("blocking", "boolean", "matching content is blocked, not only annotated"),
						f("severity_threshold", "string", "Low, Medium or High"),
						f("source", "string", "Prompt or Completion")),
				),
			),
			diagnosticSettings("Microsoft.Insights/diagnosticSettings on the account (Audit, RequestResponse, Trace categories)"),
		},
	}
}

func cognitiveServicesDeployment() resource.Kind {
	return resource.Kind{
		Name:        "azure_cognitive_services_deployment",
		Provider:    resource.Azure,
		Service:     "cognitiveservices",
		Description: "A model deployment in an Azure OpenAI or AI Services account (Microsoft.CognitiveServices/accounts/deployments), with the content-filter policy it runs under",
		Model:       resource.PaaS,
		AI:          true,
		Permissions: []string{"Microsoft.CognitiveServices/accounts/deployments/read"},
		Schema: []resource.Field{
			f("sku", "object", "deployment type and capacity",
				f("name", "string", "Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged…"),
				f("capacity", "integer", "capacity units")),
			arm(
				f("provisioning_state", "string", "Succeeded"),
				f("model", "object", "deployed model",
					f("format", "string", "OpenAI, Microsoft, Meta…"),
					f("name", "string", "model name, e.g. gpt-4o"),
					f("version", "string", "model version"),
					f("source", "string", "source of a fine-tuned model, if any")),
				f("rai_policy_name", "string", "content filter policy; Microsoft.Nil means no content filtering; absent means the account default"),
				f("version_upgrade_option", "string", "OnceNewDefaultVersionAvailable, OnceCurrentVersionExpired or NoAutoUpgrade"),
			),
			f("rai_policy", "object", "the account's raiPolicies entry named by rai_policy_name, copied here (absent when the name is not among the account's policies)",
				f("name", "string", "policy name"),
				arm(
					f("mode", "string", "policy mode"),
					f("content_filters", "array", "filters",
						f("name", "string", "filter name"),
						f("enabled", "boolean", "filter on"),
						f("blocking", "boolean", "blocks matching content"),
						f("severity_threshold", "string", "Low, Medium or High"),
						f("source", "string", "Prompt or Completion")),
				),
			),
		},
	}
}

func mlWorkspace() resource.Kind {
	return resource.Kind{
		Name:        "azure_machine_learning_workspace",
		Provider:    resource.Azure,
		Service:     "machinelearning",
		Description: "An Azure Machine Learning workspace or Azure AI Foundry hub/project (Microsoft.MachineLearningServices/workspaces) with its diagnostic settings",
		Model:       resource.PaaS,
		Taggable:    true,
		AI:          true,
		Permissions: []string{
			"Microsoft.MachineLearningServices/workspaces/read",
			"Microsoft.Insights/DiagnosticSettings/Read",
		},
		Schema: []resource.Field{
			f("kind", "string", "Default, Hub, Project or FeatureStore"),
			f("sku", "object", "tier", f("name", "string", "Basic"), f("tier", "string", "Basic")),
			aiIdentity(),
			arm(
				f("friendly_name", "string", "display name"),
				f("provisioning_state", "string", "Succeeded"),
				f("public_network_access", "string", "Enabled or Disabled"),
				f("allow_public_access_when_behind_vnet", "boolean", "public access kept although private endpoints exist"),
				f("hbi_workspace", "boolean", "high business impact: less diagnostic data collected by Microsoft, local scratch disk encrypted"),
				f("v1_legacy_mode", "boolean", "v1 API mode"),
				f("storage_account", "string", "default storage account ID (data the workspace reads and writes)"),
				f("key_vault", "string", "workspace key vault ID"),
				f("application_insights", "string", "Application Insights ID"),
				f("container_registry", "string", "container registry ID"),
				f("system_datastores_auth_mode", "string", "accessKey or identity"),
				f("encryption", "object", "customer-managed key encryption (absent: Microsoft-managed keys)",
					f("status", "string", "Enabled or Disabled"),
					f("key_vault_properties", "object", "CMK",
						f("key_vault_arm_id", "string", "key vault ID"),
						f("key_identifier", "string", "key URI"))),
				f("managed_network", "object", "managed virtual network (absent or isolation_mode Disabled: none)",
					f("isolation_mode", "string", "Disabled, AllowInternetOutbound or AllowOnlyApprovedOutbound"),
					f("status", "object", "state", f("status", "string", "Active or Inactive"))),
				privateEndpoints(),
			),
			diagnosticSettings("Microsoft.Insights/diagnosticSettings on the workspace"),
		},
	}
}

func mlCompute() resource.Kind {
	return resource.Kind{
		Name:        "azure_machine_learning_compute",
		Provider:    resource.Azure,
		Service:     "machinelearning",
		Description: "A compute target of an Azure Machine Learning workspace (Microsoft.MachineLearningServices/workspaces/computes): compute instances (notebook VMs) and compute clusters",
		Model:       resource.PaaS,
		Taggable:    true,
		AI:          true,
		Permissions: []string{"Microsoft.MachineLearningServices/workspaces/computes/read"},
		Schema: []resource.Field{
			aiIdentity(),
			arm(
				f("compute_type", "string", "ComputeInstance, AmlCompute, Kubernetes, …"),
				f("compute_location", "string", "region"),
				f("provisioning_state", "string", "Succeeded"),
				f("created_on", "timestamp", "creation time"),
				f("disable_local_auth", "boolean", "local (key) authentication disabled"),
				arm(
					f("vm_size", "string", "VM size"),
					f("state", "string", "Running, Stopped… (compute instances)"),
					f("subnet", "object", "VNet subnet, absent when not VNet-injected", f("id", "string", "subnet ID")),
					f("enable_node_public_ip", "boolean", "nodes get a public IP; absent from ARM means the default, true (collected as true)"),
					f("ssh_settings", "object", "compute instance SSH", f("ssh_public_access", "string", "Enabled or Disabled"), f("admin_user_name", "string", "SSH user")),
					f("remote_login_port_public_access", "string", "compute cluster SSH port: Enabled, Disabled or NotSpecified"),
					f("idle_time_before_shutdown", "string", "compute instance idle shutdown, ISO 8601 duration such as PT30M; absent when off"),
					f("connectivity_endpoints", "object", "addresses", f("public_ip_address", "string", "public IP"), f("private_ip_address", "string", "private IP")),
					f("application_sharing_policy", "string", "Personal or Shared"),
				),
			),
		},
	}
}

func searchService() resource.Kind {
	return resource.Kind{
		Name:        "azure_search_service",
		Provider:    resource.Azure,
		Service:     "search",
		Description: "An Azure AI Search service (Microsoft.Search/searchServices), often the retrieval index behind a RAG application, with its diagnostic settings",
		Model:       resource.PaaS,
		Taggable:    true,
		AI:          true,
		Permissions: []string{
			"Microsoft.Search/searchServices/read",
			"Microsoft.Insights/DiagnosticSettings/Read",
		},
		Schema: []resource.Field{
			f("sku", "object", "tier", f("name", "string", "free, basic, standard, standard2, standard3, storage_optimized_l1…")),
			aiIdentity(),
			arm(
				f("status", "string", "running, provisioning, degraded…"),
				f("provisioning_state", "string", "succeeded"),
				f("replica_count", "integer", "replicas"),
				f("partition_count", "integer", "partitions"),
				f("hosting_mode", "string", "default or highDensity"),
				f("public_network_access", "string", "enabled or disabled (ARM writes them in lower case)"),
				f("disable_local_auth", "boolean", "API keys disabled: only Entra ID (RBAC) accepted"),
				f("auth_options", "any", "apiKeyOnly or aadOrApiKey settings, when local auth is on"),
				f("network_rule_set", "object", "IP firewall",
					f("ip_rules", "array", "allowed ranges", f("value", "string", "IP or CIDR")),
					f("bypass", "string", "None or AzureServices")),
				f("encryption_with_cmk", "object", "customer-managed key policy",
					f("enforcement", "string", "Enabled, Disabled or Unspecified"),
					f("encryption_compliance_status", "string", "Compliant or NonCompliant")),
				privateEndpoints(),
			),
			diagnosticSettings("Microsoft.Insights/diagnosticSettings on the service (OperationLogs)"),
		},
	}
}
