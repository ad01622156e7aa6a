// Package azure collects Microsoft Azure resources. kinds.go documents every
// kind it produces.
//
// Shape of a resource's Properties: the Azure Resource Manager (ARM) GET
// answer for the resource, minus the envelope fields that live on
// resource.Resource itself (id → UID, name → Name, location → Region, tags →
// Tags, type → Kind). Every JSON key is converted mechanically from ARM's
// camelCase to snake_case, the way the Azure SDK for Python spells them
// (supportsHttpsTrafficOnly → supports_https_traffic_only,
// defaultToOAuthAuthentication → default_to_o_auth_authentication, enableRBAC →
// enable_rbac); keys ARM already writes in lower case (keyvaultproperties) stay
// as they are. The ARM nesting is kept: a storage account's default network
// action is properties.properties.network_acls.default_action in CEL
// (`properties` is the document, the inner `properties` is ARM's).
//
// Facts that need another call (a storage account's blob service, a SQL
// server's firewall rules, an App Service's site config, a subscription's
// Defender pricings) are added as top-level siblings of ARM's `properties`,
// each shaped like that call's answer. Values that may hold secrets (App
// Service application settings) are never stored: only names and a
// looks_like_secret flag.
package azure

import "cloudward/internal/resource"

// f builds a schema field.
func f(name, typ, desc string, fields ...resource.Field) resource.Field {
	return resource.Field{Name: name, Type: typ, Description: desc, Fields: fields}
}

// arm wraps ARM's inner properties object.
func arm(fields ...resource.Field) resource.Field {
	return f("properties", "object", "ARM properties of the resource", fields...)
}

// diagnosticSettings documents the answer of
// Microsoft.Insights/diagnosticSettings (list) on a resource.
func diagnosticSettings(desc string) resource.Field {
	return f("diagnostic_settings", "array", desc,
		f("name", "string", "setting name"),
		arm(
			f("storage_account_id", "string", "destination storage account resource ID, if any"),
			f("workspace_id", "string", "destination Log Analytics workspace resource ID, if any"),
			f("event_hub_authorization_rule_id", "string", "destination Event Hub authorization rule, if any"),
			f("logs", "array", "log categories",
				f("category", "string", "log category, e.g. Administrative, AuditEvent"),
				f("category_group", "string", "category group, e.g. audit, allLogs"),
				f("enabled", "boolean", "whether the category is exported"),
			),
		),
	)
}

// activityLogSettings documents the subscription's diagnostic settings,
// with the encryption of a destination storage account found in the scan.
func activityLogSettings() resource.Field {
	d := diagnosticSettings("Microsoft.Insights/diagnosticSettings on the subscription: where the activity log is exported")
	d.Fields = append(d.Fields, f("storage_account_key_source", "string",
		"computed: encryption.keySource (Microsoft.Storage or Microsoft.Keyvault) of the destination storage account, when it is in the scan"))
	return d
}

// Kinds lists every kind this provider produces, with its schema.
func Kinds() []resource.Kind {
	return []resource.Kind{
		subscription(),
		activityLogAlert(),
		roleDefinition(),
		storageAccount(),
		storageContainer(),
		virtualMachine(),
		managedDisk(),
		networkSecurityGroup(),
		virtualNetwork(),
		networkWatcher(),
		keyVault(),
		sqlServer(),
		appService(),
		aksCluster(),
		entraTenant(),
		flowLog(),
		postgresFlexibleServer(),
		mysqlFlexibleServer(),
		cognitiveServicesAccount(),
		cognitiveServicesDeployment(),
		mlWorkspace(),
		mlCompute(),
		searchService(),
		applicationInsights(),
		bastionHost(),
		databricksWorkspace(),
		applicationGateway(),
		wafPolicy(),
		vpnGateway(),
	}
}

// locks documents Microsoft.Authorization/locks entries.
func locks(desc string) resource.Field {
	return f("locks", "array", desc,
		f("id", "string", "lock resource ID: SCOPE/providers/Microsoft.Authorization/locks/NAME"),
		f("name", "string", "lock name"),
		arm(
			f("level", "string", "CanNotDelete or ReadOnly"),
			f("notes", "string", "why the lock exists"),
		),
	)
}

func subscription() resource.Kind {
	return resource.Kind{
		Name:        "azure_subscription",
		Provider:    resource.Azure,
		Service:     "subscription",
		Description: "An Azure subscription with its tenant-wide Entra security defaults, Defender for Cloud plans, security contacts and activity-log export settings",
		Model:       resource.SaaS,
		Global:      true,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.Resources/subscriptions/read",
			"Microsoft.Security/pricings/read",
			"Microsoft.Security/securityContacts/read",
			"Microsoft.Security/settings/read",
			"Microsoft.Insights/DiagnosticSettings/Read",
			"Microsoft.Authorization/roleAssignments/read",
			"Microsoft.Authorization/policyAssignments/read",
			"Policy.Read.All (Microsoft Graph, identitySecurityDefaultsEnforcementPolicy)",
		},
		Schema: []resource.Field{
			f("subscription_id", "string", "subscription GUID"),
			f("tenant_id", "string", "Entra tenant GUID"),
			f("display_name", "string", "subscription display name"),
			f("state", "string", "Enabled, Warned, PastDue, Disabled or Deleted"),
			f("subscription_policies", "object", "quota and spending policies",
				f("location_placement_id", "string", "placement ID"),
				f("quota_id", "string", "quota ID, e.g. EnterpriseAgreement_2014-09-01"),
				f("spending_limit", "string", "On, Off or CurrentPeriodOff"),
			),
			f("security_defaults", "object", "Microsoft Graph identitySecurityDefaultsEnforcementPolicy of the subscription's tenant",
				f("is_enabled", "boolean", "whether Entra security defaults are enforced"),
			),
			f("pricings", "array", "Microsoft.Security/pricings: one Defender for Cloud plan per entry",
				f("name", "string", "plan: CloudPosture, VirtualMachines, StorageAccounts, SqlServers, SqlServerVirtualMachines, OpenSourceRelationalDatabases, CosmosDbs, KeyVaults, Containers, AppServices, Arm, Api"),
				arm(
					f("pricing_tier", "string", "Free or Standard (Standard = plan on)"),
					f("sub_plan", "string", "plan variant, e.g. P2, DefenderForStorageV2"),
					f("enablement_time", "timestamp", "when the plan was turned on"),
					f("extensions", "array", "plan components, e.g. AgentlessVmScanning, FileIntegrityMonitoring, MdeDesignatedSubscription for VirtualMachines",
						f("name", "string", "component name"),
						f("is_enabled", "string", "True or False (a string in the API)"),
					),
				),
			),
			f("security_settings", "array", "Microsoft.Security/settings: Defender for Cloud integrations",
				f("name", "string", "WDATP (Defender for Endpoint), MCAS (Defender for Cloud Apps), Sentinel…"),
				f("kind", "string", "DataExportSettings or AlertSyncSettings"),
				arm(f("enabled", "boolean", "integration on")),
			),
			f("security_contacts", "array", "Microsoft.Security/securityContacts",
				f("name", "string", "contact name, normally default"),
				arm(
					f("emails", "string", "semicolon-separated additional email addresses"),
					f("phone", "string", "phone number"),
					f("is_enabled", "boolean", "whether the contact is active"),
					f("notifications_by_role", "object", "who is notified by role",
						f("state", "string", "On or Off"),
						f("roles", "array", "roles notified: Owner, Contributor, ServiceAdmin, AccountAdmin"),
					),
					f("notifications_sources", "array", "what triggers notifications",
						f("source_type", "string", "Alert or AttackPath"),
						f("minimal_severity", "string", "for Alert: Low, Medium or High"),
						f("minimal_risk_level", "string", "for AttackPath: Low, Medium, High or Critical"),
					),
				),
			),
			activityLogSettings(),
			f("role_assignments", "array", "Microsoft.Authorization/roleAssignments with $filter=atScope(): assignments at the subscription and inherited from above it (management groups, root /); resource-group and resource assignments are not listed",
				f("name", "string", "assignment GUID"),
				arm(
					f("role_definition_id", "string", "role definition resource ID; ends with the role GUID (Owner 8e3af657-a8ff-443c-a75c-2fe8c4bcb635, User Access Administrator 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, Contributor b24988ac-6180-42a0-ab88-20f7382dd24c)"),
					f("principal_id", "string", "object ID of the user, group or service principal"),
					f("principal_type", "string", "User, Group, ServicePrincipal, ForeignGroup or Device"),
					f("scope", "string", "where the assignment is made: /, /providers/Microsoft.Management/managementGroups/ID or /subscriptions/ID"),
					f("created_on", "timestamp", "creation time"),
				),
			),
			f("policy_assignments", "array", "Microsoft.Authorization/policyAssignments with $filter=atScope(): assignments at the subscription and inherited from management groups",
				f("name", "string", "assignment name, e.g. SecurityCenterBuiltIn for Defender for Cloud's default"),
				arm(
					f("display_name", "string", "display name"),
					f("policy_definition_id", "string", "policy or initiative ID; the Microsoft cloud security benchmark initiative ends with 1f3afdf9-d0c9-4c3d-847f-89da613e70a8"),
					f("scope", "string", "assignment scope"),
					f("enforcement_mode", "string", "Default (enforced) or DoNotEnforce"),
					f("parameters", "any", "parameter values as ARM returns them: {NAME: {value: …}}; keys are the policy's own parameter names, e.g. …Effect"),
				),
			),
		},
	}
}

func activityLogAlert() resource.Kind {
	return resource.Kind{
		Name:        "azure_activity_log_alert",
		Provider:    resource.Azure,
		Service:     "monitor",
		Description: "An Azure Monitor activity log alert rule (Microsoft.Insights/activityLogAlerts)",
		Model:       resource.SaaS,
		Global:      true,
		Taggable:    true,
		Permissions: []string{"Microsoft.Insights/ActivityLogAlerts/Read"},
		Schema: []resource.Field{arm(
			f("enabled", "boolean", "whether the rule is active"),
			f("description", "string", "rule description"),
			f("scopes", "array", "resource IDs the rule watches (string), normally the subscription"),
			f("condition", "object", "what fires the rule",
				f("all_of", "array", "conditions that must all match",
					f("field", "string", "activity log field: category, operationName, resourceType, level…"),
					f("equals", "string", "value the field must equal"),
				),
			),
			f("actions", "object", "what the rule does",
				f("action_groups", "array", "action groups notified",
					f("action_group_id", "string", "action group resource ID"),
				),
			),
		)},
	}
}

func roleDefinition() resource.Kind {
	return resource.Kind{
		Name:        "azure_role_definition",
		Provider:    resource.Azure,
		Service:     "authorization",
		Description: "A custom Azure RBAC role definition assignable in a subscription",
		Model:       resource.SaaS,
		Global:      true,
		Permissions: []string{"Microsoft.Authorization/roleDefinitions/read"},
		Schema: []resource.Field{arm(
			f("role_name", "string", "display name of the role"),
			f("type", "string", "CustomRole or BuiltInRole"),
			f("description", "string", "role description"),
			f("assignable_scopes", "array", "scopes (string) the role can be assigned at: /, /subscriptions/ID, …"),
			f("permissions", "array", "permission blocks",
				f("actions", "array", "allowed control-plane actions (string), * for all"),
				f("not_actions", "array", "excluded control-plane actions (string)"),
				f("data_actions", "array", "allowed data-plane actions (string)"),
				f("not_data_actions", "array", "excluded data-plane actions (string)"),
			),
			f("created_on", "timestamp", "creation time"),
			f("updated_on", "timestamp", "last update time"),
		)},
	}
}

func storageAccount() resource.Kind {
	return resource.Kind{
		Name:        "azure_storage_account",
		Provider:    resource.Azure,
		Service:     "storage",
		Description: "An Azure Storage account with its blob service settings",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.Storage/storageAccounts/read",
			"Microsoft.Storage/storageAccounts/blobServices/read",
			"Microsoft.Authorization/locks/read",
			"Microsoft.Storage/storageAccounts/fileServices/read",
		},
		Schema: []resource.Field{
			f("kind", "string", "StorageV2, BlobStorage, FileStorage, BlockBlobStorage or Storage"),
			f("sku", "object", "redundancy",
				f("name", "string", "Standard_LRS, Standard_GRS, Standard_RAGRS, Standard_ZRS, Standard_GZRS, Premium_LRS…"),
				f("tier", "string", "Standard or Premium"),
			),
			arm(
				f("provisioning_state", "string", "Succeeded while usable"),
				f("creation_time", "timestamp", "creation time"),
				f("access_tier", "string", "Hot, Cool or Cold"),
				f("supports_https_traffic_only", "boolean", "secure transfer required"),
				f("minimum_tls_version", "string", "TLS1_0, TLS1_1, TLS1_2 or TLS1_3"),
				f("allow_blob_public_access", "boolean", "whether containers may be made anonymous-readable"),
				f("allow_shared_key_access", "boolean", "whether account keys and SAS signed with them are accepted"),
				f("allow_cross_tenant_replication", "boolean", "whether object replication to other tenants is allowed"),
				f("default_to_o_auth_authentication", "boolean", "portal defaults to Entra authorization"),
				f("public_network_access", "string", "Enabled, Disabled or SecuredByPerimeter"),
				f("network_acls", "object", "storage firewall",
					f("default_action", "string", "Allow or Deny for traffic matching no rule"),
					f("bypass", "string", "comma-separated: None, AzureServices, Logging, Metrics"),
					f("ip_rules", "array", "allowed public ranges",
						f("value", "string", "IP or CIDR"),
						f("action", "string", "Allow"),
					),
					f("virtual_network_rules", "array", "allowed subnets",
						f("id", "string", "subnet resource ID"),
						f("action", "string", "Allow"),
					),
				),
				f("encryption", "object", "encryption at rest",
					f("key_source", "string", "Microsoft.Storage (platform key) or Microsoft.Keyvault (customer-managed key)"),
					f("require_infrastructure_encryption", "boolean", "double encryption at the infrastructure layer"),
					f("keyvaultproperties", "object", "customer-managed key, when key_source is Microsoft.Keyvault",
						f("keyname", "string", "key name"),
						f("keyversion", "string", "key version, empty for automatic rotation"),
						f("keyvaulturi", "string", "vault URI"),
					),
					f("services", "object", "per-service encryption",
						f("blob", "object", "blob service", f("enabled", "boolean", "encrypted"), f("key_type", "string", "Account or Service")),
						f("file", "object", "file service", f("enabled", "boolean", "encrypted"), f("key_type", "string", "Account or Service")),
					),
				),
				f("key_policy", "object", "account key expiry policy (absent when none)",
					f("key_expiration_period_in_days", "integer", "days after which keys should be rotated"),
				),
				f("key_creation_time", "object", "when each account key was last generated",
					f("key1", "timestamp", "key1 creation"),
					f("key2", "timestamp", "key2 creation"),
				),
				f("private_endpoint_connections", "array", "private endpoints",
					f("id", "string", "connection resource ID"),
					arm(f("private_link_service_connection_state", "object", "approval", f("status", "string", "Approved, Pending, Rejected"))),
				),
			),
			f("blob_service", "object", "GET blobServices/default",
				arm(
					f("delete_retention_policy", "object", "blob soft delete",
						f("enabled", "boolean", "on"), f("days", "integer", "retention days")),
					f("container_delete_retention_policy", "object", "container soft delete",
						f("enabled", "boolean", "on"), f("days", "integer", "retention days")),
					f("is_versioning_enabled", "boolean", "blob versioning"),
				),
			),
			f("file_service", "object", "GET fileServices/default (absent for blob-only accounts, BlobStorage and BlockBlobStorage)",
				arm(
					f("share_delete_retention_policy", "object", "file share soft delete",
						f("enabled", "boolean", "on"), f("days", "integer", "retention days")),
					f("protocol_settings", "object", "protocols",
						f("smb", "object", "SMB settings; an absent or empty list allows every value",
							f("versions", "string", "semicolon-separated allowed versions: SMB2.1, SMB3.0, SMB3.1.1"),
							f("channel_encryption", "string", "semicolon-separated allowed ciphers: AES-128-CCM, AES-128-GCM, AES-256-GCM"),
							f("authentication_methods", "string", "NTLMv2, Kerberos"),
							f("kerberos_ticket_encryption", "string", "RC4-HMAC, AES-256"),
						),
					),
				),
			),
			locks("management locks that protect the account: those on the account, its resource group or its subscription (GET subscriptions/ID/providers/Microsoft.Authorization/locks)"),
		},
	}
}

func storageContainer() resource.Kind {
	return resource.Kind{
		Name:        "azure_storage_container",
		Provider:    resource.Azure,
		Service:     "storage",
		Description: "A blob container in an Azure Storage account",
		Model:       resource.PaaS,
		Permissions: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/read"},
		Schema: []resource.Field{arm(
			f("public_access", "string", "anonymous access level: None, Blob or Container"),
			f("last_modified_time", "timestamp", "last change"),
			f("lease_state", "string", "Available, Leased, Expired, Breaking, Broken"),
			f("has_immutability_policy", "boolean", "an immutability policy is set"),
			f("has_legal_hold", "boolean", "a legal hold is set"),
			f("deleted", "boolean", "soft-deleted"),
			f("default_encryption_scope", "string", "encryption scope"),
		)},
	}
}

func virtualMachine() resource.Kind {
	disk := func(name, desc string, extra ...resource.Field) resource.Field {
		fs := append([]resource.Field{
			f("name", "string", "disk name"),
			f("create_option", "string", "FromImage, Empty, Attach"),
			f("caching", "string", "None, ReadOnly, ReadWrite"),
			f("disk_size_gb", "integer", "size"),
			f("managed_disk", "object", "present for managed disks; absent for unmanaged (VHD) disks",
				f("id", "string", "disk resource ID"),
				f("storage_account_type", "string", "Premium_LRS, StandardSSD_LRS…"),
				f("disk_encryption_set", "object", "customer-managed key set, if any", f("id", "string", "disk encryption set ID")),
			),
			f("vhd", "object", "unmanaged disks only", f("uri", "string", "page blob URI")),
		}, extra...)
		return f(name, "object", desc, fs...)
	}
	return resource.Kind{
		Name:        "azure_virtual_machine",
		Provider:    resource.Azure,
		Service:     "compute",
		Description: "An Azure virtual machine with its extensions",
		Model:       resource.IaaS,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.Compute/virtualMachines/read",
			"Microsoft.Compute/virtualMachines/extensions/read",
		},
		Schema: []resource.Field{
			f("identity", "object", "managed identity (absent when none)",
				f("type", "string", "SystemAssigned, UserAssigned, SystemAssigned, UserAssigned or None"),
				f("principal_id", "string", "system identity object ID"),
			),
			f("zones", "array", "availability zones (string)"),
			arm(
				f("vm_id", "string", "VM unique ID"),
				f("provisioning_state", "string", "Succeeded while usable"),
				f("time_created", "timestamp", "creation time"),
				f("hardware_profile", "object", "size", f("vm_size", "string", "e.g. Standard_D4s_v5")),
				f("storage_profile", "object", "disks and image",
					f("image_reference", "object", "image",
						f("publisher", "string", "publisher"), f("offer", "string", "offer"),
						f("sku", "string", "sku"), f("version", "string", "version")),
					disk("os_disk", "OS disk",
						f("os_type", "string", "Linux or Windows"),
						f("encryption_settings", "object", "Azure Disk Encryption (ADE) settings, if any", f("enabled", "boolean", "ADE on")),
					),
					f("data_disks", "array", "data disks, same fields as os_disk plus lun",
						f("lun", "integer", "logical unit"),
						f("name", "string", "disk name"),
						f("create_option", "string", "FromImage, Empty, Attach"),
						f("caching", "string", "None, ReadOnly, ReadWrite"),
						f("disk_size_gb", "integer", "size"),
						f("managed_disk", "object", "present for managed disks",
							f("id", "string", "disk resource ID"),
							f("storage_account_type", "string", "Premium_LRS, StandardSSD_LRS…"),
							f("disk_encryption_set", "object", "customer-managed key set, if any", f("id", "string", "disk encryption set ID")),
						),
						f("vhd", "object", "unmanaged disks only", f("uri", "string", "page blob URI")),
					),
				),
				f("os_profile", "object", "guest OS settings",
					f("computer_name", "string", "host name"),
					f("admin_username", "string", "admin user name"),
					f("linux_configuration", "object", "Linux only",
						f("disable_password_authentication", "boolean", "SSH keys only"),
						f("provision_vm_agent", "boolean", "VM agent installed")),
					f("windows_configuration", "object", "Windows only",
						f("provision_vm_agent", "boolean", "VM agent installed"),
						f("enable_automatic_updates", "boolean", "Windows Update on")),
				),
				f("security_profile", "object", "host and boot security",
					f("encryption_at_host", "boolean", "temp disk and caches encrypted on the host"),
					f("security_type", "string", "TrustedLaunch or ConfidentialVM"),
					f("uefi_settings", "object", "trusted launch",
						f("secure_boot_enabled", "boolean", "secure boot"),
						f("v_tpm_enabled", "boolean", "virtual TPM")),
				),
				f("diagnostics_profile", "object", "diagnostics",
					f("boot_diagnostics", "object", "boot diagnostics", f("enabled", "boolean", "on"))),
				f("network_profile", "object", "NICs",
					f("network_interfaces", "array", "NIC references", f("id", "string", "NIC resource ID"))),
			),
			f("extensions", "array", "GET virtualMachines/extensions",
				f("name", "string", "extension name"),
				arm(
					f("publisher", "string", "e.g. Microsoft.Azure.Monitor"),
					f("type", "string", "e.g. AzureMonitorLinuxAgent, MDE.Linux"),
					f("type_handler_version", "string", "version"),
					f("provisioning_state", "string", "Succeeded when installed"),
				),
			),
		},
	}
}

func managedDisk() resource.Kind {
	return resource.Kind{
		Name:        "azure_managed_disk",
		Provider:    resource.Azure,
		Service:     "compute",
		Description: "An Azure managed disk",
		Model:       resource.IaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Compute/disks/read"},
		Schema: []resource.Field{
			f("sku", "object", "disk type",
				f("name", "string", "Premium_LRS, StandardSSD_LRS, Standard_LRS, UltraSSD_LRS…"),
				f("tier", "string", "Premium or Standard")),
			f("managed_by", "string", "resource ID of the VM it is attached to, empty when unattached"),
			arm(
				f("time_created", "timestamp", "creation time"),
				f("os_type", "string", "Linux or Windows for OS disks"),
				f("disk_size_gb", "integer", "size"),
				f("disk_state", "string", "Attached, Unattached, Reserved, ActiveSAS…"),
				f("provisioning_state", "string", "Succeeded while usable"),
				f("encryption", "object", "encryption at rest",
					f("type", "string", "EncryptionAtRestWithPlatformKey, EncryptionAtRestWithCustomerKey or EncryptionAtRestWithPlatformAndCustomerKeys"),
					f("disk_encryption_set_id", "string", "disk encryption set, for customer keys"),
				),
				f("encryption_settings_collection", "object", "Azure Disk Encryption, if any", f("enabled", "boolean", "ADE on")),
				f("network_access_policy", "string", "AllowAll, AllowPrivate or DenyAll (export/import over SAS)"),
				f("public_network_access", "string", "Enabled or Disabled"),
				f("disk_access_id", "string", "disk access resource for AllowPrivate"),
			),
		},
	}
}

func networkSecurityGroup() resource.Kind {
	rule := []resource.Field{
		f("name", "string", "rule name"),
		arm(
			f("description", "string", "rule description"),
			f("protocol", "string", "Tcp, Udp, Icmp, Esp, Ah or *"),
			f("source_port_range", "string", "single source port or range; absent when source_port_ranges is used"),
			f("source_port_ranges", "array", "source ports or ranges (string)"),
			f("destination_port_range", "string", "single destination port, range like 3000-4000, or *; absent when destination_port_ranges is used"),
			f("destination_port_ranges", "array", "destination ports or ranges (string)"),
			f("source_address_prefix", "string", "single source: CIDR, IP, service tag (Internet, VirtualNetwork…) or *; absent when source_address_prefixes is used"),
			f("source_address_prefixes", "array", "sources (string)"),
			f("destination_address_prefix", "string", "single destination"),
			f("destination_address_prefixes", "array", "destinations (string)"),
			f("access", "string", "Allow or Deny"),
			f("priority", "integer", "100-4096, lower first"),
			f("direction", "string", "Inbound or Outbound"),
			f("provisioning_state", "string", "Succeeded"),
		),
	}
	return resource.Kind{
		Name:        "azure_network_security_group",
		Provider:    resource.Azure,
		Service:     "network",
		Description: "An Azure network security group and its rules",
		Model:       resource.IaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Network/networkSecurityGroups/read"},
		Schema: []resource.Field{arm(
			f("provisioning_state", "string", "Succeeded"),
			f("resource_guid", "string", "GUID"),
			f("security_rules", "array", "user rules", rule...),
			f("default_security_rules", "array", "Azure's fixed default rules", rule...),
			f("network_interfaces", "array", "NICs using it", f("id", "string", "NIC ID")),
			f("subnets", "array", "subnets using it", f("id", "string", "subnet ID")),
		)},
	}
}

func virtualNetwork() resource.Kind {
	return resource.Kind{
		Name:        "azure_virtual_network",
		Provider:    resource.Azure,
		Service:     "network",
		Description: "An Azure virtual network and its subnets",
		Model:       resource.IaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Network/virtualNetworks/read"},
		Schema: []resource.Field{arm(
			f("provisioning_state", "string", "Succeeded"),
			f("address_space", "object", "ranges", f("address_prefixes", "array", "CIDRs (string)")),
			f("enable_ddos_protection", "boolean", "DDoS Network Protection on"),
			f("ddos_protection_plan", "object", "plan, when protected", f("id", "string", "plan ID")),
			f("subnets", "array", "subnets",
				f("name", "string", "subnet name (GatewaySubnet, AzureFirewallSubnet, AzureBastionSubnet are Azure-managed)"),
				f("id", "string", "subnet resource ID"),
				arm(
					f("address_prefix", "string", "CIDR"),
					f("network_security_group", "object", "NSG on the subnet, absent when none", f("id", "string", "NSG ID")),
					f("private_endpoint_network_policies", "string", "Enabled or Disabled"),
				),
			),
		)},
	}
}

func networkWatcher() resource.Kind {
	return resource.Kind{
		Name:        "azure_network_watcher",
		Provider:    resource.Azure,
		Service:     "network",
		Description: "An Azure Network Watcher (one per subscription and region where it is enabled)",
		Model:       resource.IaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.Network/networkWatchers/read"},
		Schema: []resource.Field{arm(
			f("provisioning_state", "string", "Succeeded when enabled"),
		)},
	}
}

func keyVault() resource.Kind {
	item := func(name, desc string, extra ...resource.Field) resource.Field {
		return f(name, "array", desc, append([]resource.Field{
			f("name", "string", "object name"),
			arm(f("attributes", "object", "metadata only; values are never collected",
				f("enabled", "boolean", "usable"),
				f("exp", "integer", "expiry, seconds since the Unix epoch; absent when it never expires"),
				f("nbf", "integer", "not before, seconds since the Unix epoch"),
				f("created", "integer", "creation, seconds since the Unix epoch"),
			)),
		}, extra...)...)
	}
	return resource.Kind{
		Name:        "azure_key_vault",
		Provider:    resource.Azure,
		Service:     "keyvault",
		Description: "An Azure Key Vault with key and secret expiry metadata and diagnostic settings",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.KeyVault/vaults/read",
			"Microsoft.KeyVault/vaults/keys/read",
			"Microsoft.KeyVault/vaults/secrets/read",
			"Microsoft.Insights/DiagnosticSettings/Read",
			"Key Vault data plane (Key Vault Reader role; network reach to the vault): keys/rotationpolicy, certificates and their policies",
		},
		Schema: []resource.Field{
			arm(
				f("tenant_id", "string", "tenant GUID"),
				f("sku", "object", "tier", f("family", "string", "A"), f("name", "string", "standard or premium")),
				f("vault_uri", "string", "https://NAME.vault.azure.net/"),
				f("enable_soft_delete", "boolean", "soft delete on (always true for new vaults)"),
				f("soft_delete_retention_in_days", "integer", "7-90"),
				f("enable_purge_protection", "boolean", "purge protection on; absent in ARM until set, collected as false"),
				f("enable_rbac_authorization", "boolean", "Azure RBAC data-plane authorization instead of access policies"),
				f("public_network_access", "string", "Enabled or Disabled"),
				f("network_acls", "object", "vault firewall",
					f("default_action", "string", "Allow or Deny"),
					f("bypass", "string", "AzureServices or None")),
				f("private_endpoint_connections", "array", "private endpoints",
					f("id", "string", "connection ID"),
					arm(f("private_link_service_connection_state", "object", "approval", f("status", "string", "Approved, Pending, Rejected")))),
			),
			item("keys", "Microsoft.KeyVault/vaults/keys",
				f("rotation_policy", "object", "data plane GET {vault}/keys/NAME/rotationpolicy, for enabled keys (absent when the vault refused the read)",
					f("lifetime_actions", "array", "what happens when",
						f("trigger", "object", "when", f("time_after_create", "string", "ISO 8601 duration after creation, e.g. P90D"),
							f("time_before_expiry", "string", "ISO 8601 duration before expiry, e.g. P30D")),
						f("action", "object", "what", f("type", "string", "Rotate or Notify"))),
					f("attributes", "object", "policy attributes", f("expiry_time", "string", "expiry set on new key versions, e.g. P2Y")))),
			item("secrets", "Microsoft.KeyVault/vaults/secrets"),
			f("certificates", "array", "data plane GET {vault}/certificates and each certificate's policy (absent when the vault refused the read)",
				f("name", "string", "certificate name"),
				f("attributes", "object", "metadata", f("enabled", "boolean", "usable"), f("exp", "integer", "expiry, seconds since the Unix epoch")),
				f("policy", "object", "GET certificates/NAME/policy",
					f("x509_props", "object", "certificate properties",
						f("validity_months", "integer", "validity of issued certificates in months"),
						f("subject", "string", "subject")),
					f("issuer", "object", "issuer", f("name", "string", "Self, Unknown or a CA issuer name")))),
			diagnosticSettings("Microsoft.Insights/diagnosticSettings on the vault"),
		},
	}
}

func sqlServer() resource.Kind {
	return resource.Kind{
		Name:        "azure_sql_server",
		Provider:    resource.Azure,
		Service:     "sql",
		Description: "An Azure SQL logical server with its firewall rules, auditing, Entra admin and databases' TDE state",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.Sql/servers/read",
			"Microsoft.Sql/servers/firewallRules/read",
			"Microsoft.Sql/servers/auditingSettings/read",
			"Microsoft.Sql/servers/encryptionProtector/read",
			"Microsoft.Sql/servers/databases/read",
			"Microsoft.Sql/servers/databases/transparentDataEncryption/read",
		},
		Schema: []resource.Field{
			f("identity", "object", "managed identity (absent when none)", f("type", "string", "SystemAssigned…")),
			arm(
				f("version", "string", "12.0"),
				f("state", "string", "Ready"),
				f("fully_qualified_domain_name", "string", "NAME.database.windows.net"),
				f("administrator_login", "string", "SQL admin login"),
				f("minimal_tls_version", "string", "1.0, 1.1, 1.2, 1.3 or None"),
				f("public_network_access", "string", "Enabled, Disabled or SecuredByPerimeter"),
				f("administrators", "object", "Entra administrator (absent when none)",
					f("administrator_type", "string", "ActiveDirectory"),
					f("principal_type", "string", "User, Group or Application"),
					f("login", "string", "admin display name"),
					f("sid", "string", "object ID"),
					f("tenant_id", "string", "tenant GUID"),
					f("azure_ad_only_authentication", "boolean", "SQL authentication disabled"),
				),
			),
			f("firewall_rules", "array", "GET servers/firewallRules",
				f("name", "string", "rule name; AllowAllWindowsAzureIps is the 'Allow Azure services' switch"),
				arm(
					f("start_ip_address", "string", "first address"),
					f("end_ip_address", "string", "last address"),
				),
			),
			f("auditing_settings", "object", "GET servers/auditingSettings/default",
				arm(
					f("state", "string", "Enabled or Disabled"),
					f("retention_days", "integer", "0 = keep forever"),
					f("is_azure_monitor_target_enabled", "boolean", "audit to Log Analytics / Event Hub"),
					f("storage_endpoint", "string", "audit storage endpoint"),
				),
			),
			f("encryption_protector", "object", "GET servers/encryptionProtector/current",
				f("kind", "string", "servicemanaged or azurekeyvault"),
				arm(
					f("server_key_type", "string", "ServiceManaged or AzureKeyVault"),
					f("server_key_name", "string", "key name"),
					f("auto_rotation_enabled", "boolean", "key auto rotation"),
				),
			),
			f("databases", "array", "GET servers/databases (master excluded)",
				f("name", "string", "database name"),
				f("sku", "object", "tier", f("name", "string", "e.g. GP_Gen5_2"), f("tier", "string", "e.g. GeneralPurpose")),
				arm(f("status", "string", "Online, Paused…")),
				f("transparent_data_encryption", "object", "GET databases/transparentDataEncryption/current",
					arm(f("state", "string", "Enabled or Disabled"))),
			),
		},
	}
}

func appService() resource.Kind {
	return resource.Kind{
		Name:        "azure_app_service",
		Provider:    resource.Azure,
		Service:     "appservice",
		Description: "An Azure App Service web app or function app (Microsoft.Web/sites) with its site config and application setting names",
		Model:       resource.PaaS,
		Taggable:    true,
		Permissions: []string{
			"Microsoft.Web/sites/Read",
			"Microsoft.Web/sites/config/Read",
			"Microsoft.Web/sites/config/list/Action (application setting names; values are discarded)",
			"Microsoft.Insights/DiagnosticSettings/Read",
		},
		Schema: []resource.Field{
			f("kind", "string", "app, app,linux, functionapp, functionapp,linux…"),
			f("identity", "object", "managed identity (absent when none)",
				f("type", "string", "SystemAssigned, UserAssigned, SystemAssigned, UserAssigned"),
				f("principal_id", "string", "system identity object ID")),
			arm(
				f("state", "string", "Running or Stopped"),
				f("default_host_name", "string", "NAME.azurewebsites.net"),
				f("server_farm_id", "string", "App Service plan ID"),
				f("https_only", "boolean", "HTTP redirected to HTTPS"),
				f("client_cert_enabled", "boolean", "client certificates requested"),
				f("client_cert_mode", "string", "Required, Optional or OptionalInteractiveUser"),
				f("public_network_access", "string", "Enabled or Disabled"),
				f("site_config", "object", "GET sites/config/web",
					f("min_tls_version", "string", "1.0, 1.1, 1.2 or 1.3"),
					f("scm_min_tls_version", "string", "same for the Kudu (SCM) site"),
					f("ftps_state", "string", "AllAllowed, FtpsOnly or Disabled"),
					f("http20_enabled", "boolean", "HTTP/2"),
					f("remote_debugging_enabled", "boolean", "remote debugging"),
					f("always_on", "boolean", "always on"),
					f("linux_fx_version", "string", "runtime stack on Linux, e.g. PYTHON|3.12"),
				),
			),
			diagnosticSettings("Microsoft.Insights/diagnosticSettings on the app (AppServiceHTTPLogs, AppServiceConsoleLogs, AppServiceAuditLogs…)"),
			f("app_settings", "array", "POST sites/config/appsettings/list: names only",
				f("name", "string", "setting name"),
				f("looks_like_secret", "boolean", "the value looked like a credential (key, password, connection string) and is not a Key Vault reference"),
			),
		},
	}
}

func aksCluster() resource.Kind {
	return resource.Kind{
		Name:        "azure_aks_cluster",
		Provider:    resource.Azure,
		Service:     "aks",
		Description: "An Azure Kubernetes Service managed cluster",
		Model:       resource.CaaS,
		Taggable:    true,
		Permissions: []string{"Microsoft.ContainerService/managedClusters/read"},
		Schema: []resource.Field{
			f("identity", "object", "cluster identity", f("type", "string", "SystemAssigned or UserAssigned")),
			f("sku", "object", "tier", f("name", "string", "Base"), f("tier", "string", "Free, Standard or Premium")),
			arm(
				f("provisioning_state", "string", "Succeeded"),
				f("kubernetes_version", "string", "e.g. 1.30.5"),
				f("dns_prefix", "string", "DNS prefix"),
				f("fqdn", "string", "public API server FQDN"),
				f("enable_rbac", "boolean", "Kubernetes RBAC on"),
				f("disable_local_accounts", "boolean", "local admin kubeconfig disabled"),
				f("aad_profile", "object", "Entra integration (absent when none)",
					f("managed", "boolean", "managed Entra integration"),
					f("enable_azure_rbac", "boolean", "Azure RBAC for Kubernetes authorization"),
					f("admin_group_object_i_ds", "array", "admin group object IDs (string)")),
				f("network_profile", "object", "networking",
					f("network_plugin", "string", "azure, kubenet or none"),
					f("network_policy", "string", "azure, calico, cilium; absent when none"),
					f("outbound_type", "string", "loadBalancer, userDefinedRouting…")),
				f("api_server_access_profile", "object", "API server exposure (absent when public and unrestricted)",
					f("enable_private_cluster", "boolean", "private API server"),
					f("authorized_ip_ranges", "array", "allowed CIDRs (string) for a public API server")),
				f("agent_pool_profiles", "array", "node pools",
					f("name", "string", "pool name"),
					f("count", "integer", "nodes"),
					f("vm_size", "string", "node size"),
					f("os_type", "string", "Linux or Windows"),
					f("mode", "string", "System or User"),
					f("enable_node_public_ip", "boolean", "nodes get public IPs"),
					f("enable_encryption_at_host", "boolean", "host encryption")),
				f("addon_profiles", "object", "add-ons",
					f("azurepolicy", "object", "Azure Policy add-on", f("enabled", "boolean", "on")),
					f("omsagent", "object", "Container insights", f("enabled", "boolean", "on"))),
			),
		},
	}
}
