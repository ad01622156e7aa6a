package azure

import "cloudward/internal/resource"

// paramValue documents a Databricks workspace parameter ({value: …}).
func paramValue(name, typ, desc string) resource.Field {
	return f(name, "object", desc, f("value", typ, "parameter value"))
}

// cmkEntity documents one Databricks encryption entity.
func cmkEntity(name, desc string) resource.Field {
	return f(name, "object", desc,
		f("key_source", "string", "Microsoft.Keyvault for a customer-managed key"),
		f("key_vault_properties", "object", "the key",
			f("key_vault_uri", "string", "vault URI"),
			f("key_name", "string", "key name"),
			f("key_version", "string", "key version")))
}

func databricksWorkspace() resource.Kind {
	return resource.Kind{
		Name:        "azure_databricks_workspace",
		Provider:    resource.Azure,
		Service:     "databricks",
		Description: "An Azure Databricks workspace (Microsoft.Databricks/workspaces) with its diagnostic settings",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.Databricks/workspaces/read",
			"Microsoft.Insights/DiagnosticSettings/Read",
		},
		Schema: []resource.Field{
			f("sku", "object", "tier", f("name", "string", "standard, premium or trial")),
			arm(
				f("provisioning_state", "string", "Succeeded"),
				f("workspace_url", "string", "adb-….azuredatabricks.net"),
				f("managed_resource_group_id", "string", "managed resource group"),
				f("public_network_access", "string", "Enabled or Disabled (front-end access)"),
				f("required_nsg_rules", "string", "AllRules, NoAzureDatabricksRules or NoAzureServiceRules"),
				f("parameters", "object", "deployment parameters",
					paramValue("custom_virtual_network_id", "string", "customer VNet (VNet injection); absent for a managed VNet"),
					paramValue("custom_public_subnet_name", "string", "host (public) subnet name"),
					paramValue("custom_private_subnet_name", "string", "container (private) subnet name"),
					paramValue("enable_no_public_ip", "boolean", "secure cluster connectivity: cluster nodes without public IPs"),
					paramValue("require_infrastructure_encryption", "boolean", "double encryption of DBFS root"),
				),
				f("encryption", "object", "customer-managed keys (absent: Microsoft-managed)",
					f("entities", "object", "what is encrypted",
						cmkEntity("managed_services", "notebooks, secrets, queries in the control plane"),
						cmkEntity("managed_disk", "cluster managed disks"),
					),
				),
				privateEndpoints(),
			),
			diagnosticSettings("Microsoft.Insights/diagnosticSettings on the workspace (accounts, clusters, notebook, jobs… categories)"),
		},
	}
}

func applicationGateway() resource.Kind {
	return resource.Kind{
		Name:        "azure_application_gateway",
		Provider:    resource.Azure,
		Service:     "network",
		Description: "An Azure Application Gateway (Microsoft.Network/applicationGateways): layer-7 load balancer, with or without WAF",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Network/applicationGateways/read"},
		Schema: []resource.Field{arm(
			f("provisioning_state", "string", "Succeeded"),
			f("operational_state", "string", "Running, Stopped…"),
			f("sku", "object", "tier",
				f("name", "string", "Standard_v2, WAF_v2, Basic…"),
				f("tier", "string", "Standard, Standard_v2, WAF, WAF_v2 or Basic"),
				f("capacity", "integer", "instances")),
			f("enable_http2", "boolean", "HTTP/2 for clients; absent from ARM means off (collected as false)"),
			f("ssl_policy", "object", "TLS policy for listeners (absent: the service default for the API version)",
				f("policy_type", "string", "Predefined, Custom or CustomV2"),
				f("policy_name", "string", "predefined policy, e.g. AppGwSslPolicy20220101S"),
				f("min_protocol_version", "string", "TLSv1_0, TLSv1_1, TLSv1_2 or TLSv1_3 (Custom policies)"),
				f("cipher_suites", "array", "allowed cipher suites (string), Custom policies")),
			f("web_application_firewall_configuration", "object", "legacy WAF configuration (WAF v1, or v2 without a policy)",
				f("enabled", "boolean", "WAF on"),
				f("firewall_mode", "string", "Detection or Prevention"),
				f("rule_set_type", "string", "OWASP"),
				f("rule_set_version", "string", "e.g. 3.2"),
				f("request_body_check", "boolean", "request bodies inspected")),
			f("firewall_policy", "object", "WAF policy associated with the gateway", f("id", "string", "WAF policy ID")),
			f("http_listeners", "array", "listeners",
				f("name", "string", "listener name"),
				arm(
					f("protocol", "string", "Http or Https"),
					f("firewall_policy", "object", "per-listener WAF policy", f("id", "string", "WAF policy ID")))),
		)},
	}
}

func wafPolicy() resource.Kind {
	return resource.Kind{
		Name:        "azure_application_gateway_waf_policy",
		Provider:    resource.Azure,
		Service:     "network",
		Description: "An Application Gateway web application firewall policy (Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies)",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/read"},
		Schema: []resource.Field{arm(
			f("provisioning_state", "string", "Succeeded"),
			f("policy_settings", "object", "engine settings",
				f("state", "string", "Enabled or Disabled"),
				f("mode", "string", "Detection or Prevention"),
				f("request_body_check", "boolean", "request bodies inspected"),
				f("max_request_body_size_in_kb", "integer", "inspection limit"),
				f("file_upload_limit_in_mb", "integer", "upload limit")),
			f("managed_rules", "object", "managed rule sets",
				f("managed_rule_sets", "array", "rule sets",
					f("rule_set_type", "string", "OWASP, Microsoft_DefaultRuleSet or Microsoft_BotManagerRuleSet"),
					f("rule_set_version", "string", "version"))),
			f("application_gateways", "array", "gateways using the policy", f("id", "string", "gateway ID")),
		)},
	}
}

func vpnGateway() resource.Kind {
	return resource.Kind{
		Name:        "azure_virtual_network_gateway",
		Provider:    resource.Azure,
		Service:     "network",
		Description: "An Azure VPN or ExpressRoute gateway (Microsoft.Network/virtualNetworkGateways) with its point-to-site configuration",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Network/virtualNetworkGateways/read"},
		Schema: []resource.Field{arm(
			f("provisioning_state", "string", "Succeeded"),
			f("gateway_type", "string", "Vpn or ExpressRoute"),
			f("vpn_type", "string", "RouteBased or PolicyBased"),
			f("sku", "object", "tier", f("name", "string", "VpnGw1…"), f("tier", "string", "VpnGw1…")),
			f("vpn_client_configuration", "object", "point-to-site VPN (absent when P2S is not configured)",
				f("vpn_client_protocols", "array", "protocols (string): OpenVPN, IkeV2, SSTP"),
				f("vpn_authentication_types", "array", "authentication types (string): AAD, Certificate, Radius"),
				f("aad_tenant", "string", "Entra tenant URL for AAD authentication")),
		)},
	}
}
