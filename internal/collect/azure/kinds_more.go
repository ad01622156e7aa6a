package azure

import "cloudward/internal/resource"

// privateEndpoints documents ARM's privateEndpointConnections list.
func privateEndpoints() resource.Field {
	return f("private_endpoint_connections", "array", "private endpoints",
		f("id", "string", "connection ID"),
		arm(f("private_link_service_connection_state", "object", "approval", f("status", "string", "Approved, Pending, Rejected"))))
}

// firewallRules documents a database server's firewallRules list.
func firewallRules() resource.Field {
	return f("firewall_rules", "array", "GET firewallRules: public IP ranges allowed in; 0.0.0.0-0.0.0.0 is the 'allow Azure services' switch",
		f("name", "string", "rule name"),
		arm(
			f("start_ip_address", "string", "first address"),
			f("end_ip_address", "string", "last address"),
		),
	)
}

// serverConfigurations documents the server parameters the collector keeps
// from GET configurations (the security-relevant ones only).
func serverConfigurations(names string) resource.Field {
	return f("configurations", "array", "GET configurations, only these parameters: "+names,
		f("name", "string", "parameter name"),
		arm(
			f("value", "string", "current value, e.g. on/off, ON/OFF, a number or a list"),
			f("default_value", "string", "the service default"),
			f("source", "string", "system-default or user-override"),
			f("data_type", "string", "Boolean, Integer, Enumeration, Set…"),
		),
	)
}

func entraTenant() resource.Kind {
	return resource.Kind{
		Name:        "azure_entra_tenant",
		Provider:    resource.Azure,
		Service:     "entra",
		Description: "The Microsoft Entra ID tenant behind the scanned subscriptions: authorization policy (guest, consent and self-service settings), Conditional Access policies, named locations and MFA registration, read from Microsoft Graph. Account is the tenant ID.",
		Model:       resource.SaaS,
		Global:      true,
		Permissions: []string{
			"Policy.Read.All (Microsoft Graph: policies/authorizationPolicy, identity/conditionalAccess/policies, namedLocations, identitySecurityDefaultsEnforcementPolicy)",
			"Directory.Read.All (Microsoft Graph: directoryRoles members, groupSettings)",
			"Microsoft.Subscription/policies/read and microsoft.aadiam/diagnosticSettings/read (ARM, tenant scope)",
			"AuditLog.Read.All (Microsoft Graph: reports/authenticationMethods/userRegistrationDetails; needs Entra ID P1)",
		},
		Schema: []resource.Field{
			f("tenant_id", "string", "tenant GUID"),
			f("security_defaults", "object", "GET /v1.0/policies/identitySecurityDefaultsEnforcementPolicy",
				f("is_enabled", "boolean", "security defaults enforced")),
			f("authorization_policy", "object", "GET /v1.0/policies/authorizationPolicy",
				f("allow_invites_from", "string", "who may invite guests: none, adminsAndGuestInviters, adminsGuestInvitersAndAllMembers or everyone"),
				f("guest_user_role_id", "string", "guest permissions: 10dae51f-b6af-4016-8d66-8c2a99b929b3 (same as members), a0b1b346-4d3e-4e8b-98f8-753987be4970 (limited), 2af84b1e-32c8-42b7-82bc-daa82404023b (restricted to their own objects)"),
				f("allowed_to_sign_up_email_based_subscriptions", "boolean", "users may sign up for email-based subscriptions"),
				f("allowed_to_use_sspr", "boolean", "self-service password reset allowed"),
				f("allow_email_verified_users_to_join_organization", "boolean", "email-verified users may join the tenant"),
				f("block_msol_power_shell", "boolean", "legacy MSOnline PowerShell blocked"),
				f("default_user_role_permissions", "object", "what every member user may do",
					f("allowed_to_create_apps", "boolean", "users can register applications"),
					f("allowed_to_create_security_groups", "boolean", "users can create security groups"),
					f("allowed_to_create_tenants", "boolean", "users can create tenants"),
					f("allowed_to_read_other_users", "boolean", "users can read other users"),
					f("allowed_to_read_bitlocker_keys_for_owned_device", "boolean", "users can read their devices' BitLocker keys"),
					f("permission_grant_policies_assigned", "array", "user consent policies (string): empty = users cannot consent; ManagePermissionGrantsForSelf.microsoft-user-default-low = verified publishers, low-risk permissions; …-legacy = any app"),
				),
			),
			f("conditional_access_policies", "array", "GET /v1.0/identity/conditionalAccess/policies",
				f("id", "string", "policy ID"),
				f("display_name", "string", "policy name"),
				f("state", "string", "enabled, disabled or enabledForReportingButNotEnforced"),
				f("conditions", "object", "when the policy applies",
					f("users", "object", "who",
						f("include_users", "array", "user IDs (string), or All, None, GuestsOrExternalUsers"),
						f("exclude_users", "array", "excluded user IDs (string)"),
						f("include_groups", "array", "group IDs (string)"),
						f("include_roles", "array", "directory role template IDs (string)"),
					),
					f("applications", "object", "what",
						f("include_applications", "array", "app IDs (string), All, Office365 or MicrosoftAdminPortals; Windows Azure Service Management API is 797f4846-ba00-4fd7-ba43-dac1f8f63013"),
						f("exclude_applications", "array", "excluded app IDs (string)"),
						f("include_user_actions", "array", "user actions (string), e.g. urn:user:registerdevice"),
					),
					f("client_app_types", "array", "client app types (string): all, browser, mobileAppsAndDesktopClients, exchangeActiveSync, other"),
					f("sign_in_risk_levels", "array", "sign-in risk levels (string): low, medium, high"),
					f("user_risk_levels", "array", "user risk levels (string)"),
					f("locations", "object", "where",
						f("include_locations", "array", "named location IDs (string) or All"),
						f("exclude_locations", "array", "excluded locations (string), AllTrusted"),
					),
				),
				f("grant_controls", "object", "what is required (absent for session-only policies)",
					f("operator", "string", "AND or OR"),
					f("built_in_controls", "array", "controls (string): block, mfa, compliantDevice, domainJoinedDevice, passwordChange…"),
					f("authentication_strength", "object", "authentication strength required, if any",
						f("id", "string", "strength ID"), f("display_name", "string", "e.g. Multifactor authentication")),
				),
			),
			f("named_locations", "array", "GET /v1.0/identity/conditionalAccess/namedLocations",
				f("id", "string", "location ID"),
				f("display_name", "string", "name"),
				f("is_trusted", "boolean", "IP-range location marked trusted (absent for country locations)"),
			),
			f("global_administrators", "integer", "members of the Global Administrator role (GET /v1.0/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members); only the count is kept"),
			f("group_settings", "array", "GET /v1.0/groupSettings: tenant-wide directory settings; a template never instantiated is absent and its defaults apply",
				f("display_name", "string", "Password Rule Settings, Group.Unified, …"),
				f("template_id", "string", "directory setting template ID"),
				f("values", "array", "settings",
					f("name", "string", "setting name: LockoutThreshold, LockoutDurationInSeconds, EnableBannedPasswordCheck, BannedPasswordList, EnableGroupCreation…"),
					f("value", "string", "value, always a string")),
			),
			f("subscription_policy", "object", "GET /providers/Microsoft.Subscription/policies/default (ARM): tenant-wide subscription movement policy",
				arm(
					f("block_subscriptions_leaving_tenant", "boolean", "subscriptions cannot be moved out of the tenant"),
					f("block_subscriptions_into_tenant", "boolean", "subscriptions cannot be moved into the tenant"),
				),
			),
			diagnosticSettings("GET /providers/microsoft.aadiam/diagnosticSettings (ARM): where Entra sign-in, audit and Graph activity logs are exported"),
			f("mfa_registration", "object", "summary of GET /v1.0/reports/authenticationMethods/userRegistrationDetails (all pages); per-user details are not stored",
				f("users", "integer", "users listed"),
				f("users_mfa_registered", "integer", "users with isMfaRegistered"),
				f("admins", "integer", "users with isAdmin (a privileged directory role)"),
				f("admins_mfa_registered", "integer", "admins with isMfaRegistered"),
				f("admins_without_mfa", "array", "userPrincipalName (string) of every admin without MFA registered"),
			),
		},
	}
}

func flowLog() resource.Kind {
	return resource.Kind{
		Name:        "azure_network_watcher_flow_log",
		Provider:    resource.Azure,
		Service:     "network",
		Description: "A Network Watcher flow log (Microsoft.Network/networkWatchers/flowLogs) on a network security group or a virtual network",
		Model:       resource.IaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Network/networkWatchers/flowLogs/read"},
		Schema: []resource.Field{arm(
			f("target_resource_id", "string", "NSG or VNet (or subnet, NIC) the flow log records"),
			f("target_resource_guid", "string", "target GUID"),
			f("storage_id", "string", "storage account the records are written to"),
			f("enabled", "boolean", "flow logging on"),
			f("provisioning_state", "string", "Succeeded"),
			f("retention_policy", "object", "how long records are kept in the storage account",
				f("enabled", "boolean", "retention enforced (false or days 0: kept forever)"),
				f("days", "integer", "days kept; 0 = forever"),
			),
			f("format", "object", "record format", f("type", "string", "JSON"), f("version", "integer", "1 or 2")),
			f("flow_analytics_configuration", "object", "traffic analytics",
				f("network_watcher_flow_analytics_configuration", "object", "Log Analytics destination",
					f("enabled", "boolean", "traffic analytics on: records reach Log Analytics"),
					f("workspace_resource_id", "string", "Log Analytics workspace resource ID"),
					f("workspace_region", "string", "workspace region"),
					f("traffic_analytics_interval", "integer", "processing interval, minutes (10 or 60)"),
				),
			),
		)},
	}
}

func postgresFlexibleServer() resource.Kind {
	return resource.Kind{
		Name:        "azure_postgresql_flexible_server",
		Provider:    resource.Azure,
		Service:     "postgresql",
		Description: "An Azure Database for PostgreSQL flexible server with its firewall rules and security-relevant server parameters",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.DBforPostgreSQL/flexibleServers/read",
			"Microsoft.DBforPostgreSQL/flexibleServers/firewallRules/read",
			"Microsoft.DBforPostgreSQL/flexibleServers/configurations/read",
		},
		Schema: []resource.Field{
			f("sku", "object", "compute tier", f("name", "string", "e.g. Standard_D2ds_v5"), f("tier", "string", "Burstable, GeneralPurpose or MemoryOptimized")),
			f("identity", "object", "managed identity (absent when none)", f("type", "string", "UserAssigned, SystemAssigned or None")),
			arm(
				f("version", "string", "PostgreSQL major version"),
				f("state", "string", "Ready, Stopped…"),
				f("fully_qualified_domain_name", "string", "server FQDN"),
				f("administrator_login", "string", "password-auth admin login"),
				f("network", "object", "connectivity",
					f("public_network_access", "string", "Enabled or Disabled"),
					f("delegated_subnet_resource_id", "string", "VNet-integrated subnet, if any"),
					f("private_dns_zone_arm_resource_id", "string", "private DNS zone, if any")),
				f("auth_config", "object", "authentication",
					f("active_directory_auth", "string", "Enabled or Disabled (Entra authentication)"),
					f("password_auth", "string", "Enabled or Disabled")),
				f("data_encryption", "object", "encryption at rest",
					f("type", "string", "SystemManaged or AzureKeyVault (customer-managed key)"),
					f("primary_key_uri", "string", "CMK URI")),
				f("backup", "object", "backups",
					f("backup_retention_days", "integer", "7-35"),
					f("geo_redundant_backup", "string", "Enabled or Disabled")),
				f("high_availability", "object", "HA", f("mode", "string", "Disabled, SameZone or ZoneRedundant")),
			),
			firewallRules(),
			serverConfigurations("require_secure_transport, ssl_min_protocol_version, log_checkpoints, log_connections, log_disconnections, connection_throttle.enable, logfiles.retention_days"),
		},
	}
}

func mysqlFlexibleServer() resource.Kind {
	return resource.Kind{
		Name:        "azure_mysql_flexible_server",
		Provider:    resource.Azure,
		Service:     "mysql",
		Description: "An Azure Database for MySQL flexible server with its firewall rules and security-relevant server parameters",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.DBforMySQL/flexibleServers/read",
			"Microsoft.DBforMySQL/flexibleServers/firewallRules/read",
			"Microsoft.DBforMySQL/flexibleServers/configurations/read",
		},
		Schema: []resource.Field{
			f("sku", "object", "compute tier", f("name", "string", "e.g. Standard_D2ds_v4"), f("tier", "string", "Burstable, GeneralPurpose or BusinessCritical")),
			f("identity", "object", "managed identity (absent when none)", f("type", "string", "UserAssigned or None")),
			arm(
				f("version", "string", "MySQL version, e.g. 8.0.21"),
				f("state", "string", "Ready, Stopped…"),
				f("fully_qualified_domain_name", "string", "server FQDN"),
				f("administrator_login", "string", "admin login"),
				f("network", "object", "connectivity",
					f("public_network_access", "string", "Enabled or Disabled"),
					f("delegated_subnet_resource_id", "string", "VNet-integrated subnet, if any")),
				f("data_encryption", "object", "encryption at rest", f("type", "string", "SystemManaged or AzureKeyVault")),
				f("backup", "object", "backups",
					f("backup_retention_days", "integer", "1-35"),
					f("geo_redundant_backup", "string", "Enabled or Disabled")),
				f("high_availability", "object", "HA", f("mode", "string", "Disabled, SameZone or ZoneRedundant")),
			),
			firewallRules(),
			serverConfigurations("require_secure_transport, tls_version, audit_log_enabled, audit_log_events"),
		},
	}
}

func applicationInsights() resource.Kind {
	return resource.Kind{
		Name:        "azure_application_insights",
		Provider:    resource.Azure,
		Service:     "monitor",
		Description: "An Application Insights component (Microsoft.Insights/components)",
		Model:       resource.SaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Insights/components/read"},
		Schema: []resource.Field{
			f("kind", "string", "web, other…"),
			arm(
				f("application_type", "string", "web or other"),
				f("provisioning_state", "string", "Succeeded"),
				f("workspace_resource_id", "string", "Log Analytics workspace (workspace-based components)"),
				f("ingestion_mode", "string", "LogAnalytics or ApplicationInsights (classic)"),
				f("public_network_access_for_ingestion", "string", "Enabled or Disabled"),
				f("public_network_access_for_query", "string", "Enabled or Disabled"),
				f("disable_local_auth", "boolean", "instrumentation-key ingestion disabled (Entra only)"),
			),
		},
	}
}

func bastionHost() resource.Kind {
	return resource.Kind{
		Name:        "azure_bastion_host",
		Provider:    resource.Azure,
		Service:     "network",
		Description: "An Azure Bastion host (Microsoft.Network/bastionHosts): browser-based RDP/SSH to VMs without public IPs",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Network/bastionHosts/read"},
		Schema: []resource.Field{
			f("sku", "object", "tier", f("name", "string", "Developer, Basic, Standard or Premium")),
			arm(
				f("provisioning_state", "string", "Succeeded"),
				f("dns_name", "string", "bastion FQDN"),
				f("enable_tunneling", "boolean", "native client support"),
				f("enable_ip_connect", "boolean", "connect by IP address"),
				f("enable_shareable_link", "boolean", "shareable links to VMs"),
				f("disable_copy_paste", "boolean", "clipboard disabled"),
				f("ip_configurations", "array", "IP configurations",
					f("name", "string", "configuration name"),
					arm(f("subnet", "object", "AzureBastionSubnet", f("id", "string", "subnet ID")))),
			),
		},
	}
}
