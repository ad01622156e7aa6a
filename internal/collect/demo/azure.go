package demo

import (
	"strconv"
	"time"

	"cloudward/internal/resource"
)

// The Azure estate: one Entra tenant with two subscriptions, "Acme
// Production" (clean) and "Acme Sandbox" (where most plants live), in the
// allowed regions eastus and westeurope. Properties follow the shapes
// documented in internal/collect/azure/kinds.go: the ARM GET answer in
// snake_case, ARM's own `properties` nesting kept, extra calls' answers as
// top-level siblings.
//
// Base-estate plants (see azureBase for each plant's reason):
//   - sandbox subscription: Defender for Servers and for Storage on Free;
//     no activity log alert for public IP deletion
//   - sandbox custom role with "*" assignable at the subscription
//   - storage: a public-blob account with an open firewall, a legacy account
//     without secure transfer and with TLS 1.0, a public container, an account
//     in a region outside the allowed ones (centralus)
//   - NSGs: RDP from Internet, RDP via a port range from 0.0.0.0/0, SSH from *
//   - sandbox VNet subnet without an NSG; sandbox westeurope VNet in a region
//     without Network Watcher
//   - key vault without purge protection and with a secret that never expires
//   - SQL server with an allow-all firewall rule
//   - App Service: HTTP allowed, FTP allowed, a secret-looking app setting
//   - AKS cluster with a public, unrestricted API server
//   - VM with an unmanaged (VHD) OS disk; VM without the owner tag
//   - unattached disk with platform keys; disk exportable from all networks
const (
	azTenant     = "7d3e5b1a-2f4c-4e8b-9a61-0c5d2e8f4b17"
	azProd       = "3f2a9c61-8b4e-4d7a-a5c2-1e9f0b6d7a42"
	azSandbox    = "b81d4e07-6c35-4f9e-8e2a-5d7c3a1f9b60"
	azActionProd = "/subscriptions/" + azProd + "/resourceGroups/rg-monitoring/providers/microsoft.insights/actionGroups/ag-secops"
	azActionSbx  = "/subscriptions/" + azSandbox + "/resourceGroups/rg-monitoring/providers/microsoft.insights/actionGroups/ag-secops"
)

// ---- property shapes shared by the base estate and the filler ----

type azSKU struct {
	Name string `json:"name"`
	Tier string `json:"tier,omitempty"`
}

type azID struct {
	ID string `json:"id"`
}

type azIdentity struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principal_id,omitempty"`
}

type azPrivateEndpointConnection struct {
	ID         string `json:"id"`
	Properties struct {
		State struct {
			Status string `json:"status"`
		} `json:"private_link_service_connection_state"`
	} `json:"properties"`
}

type azDiagLog struct {
	Category      string `json:"category,omitempty"`
	CategoryGroup string `json:"category_group,omitempty"`
	Enabled       bool   `json:"enabled"`
}

type azDiagSetting struct {
	Name       string `json:"name"`
	Properties struct {
		StorageAccountID string      `json:"storage_account_id,omitempty"`
		WorkspaceID      string      `json:"workspace_id,omitempty"`
		Logs             []azDiagLog `json:"logs"`
	} `json:"properties"`
	// StorageAccountKeySource is computed by the collector on the
	// subscription's settings only.
	StorageAccountKeySource string `json:"storage_account_key_source,omitempty"`
}

// azActivityExport is the subscription's activity-log diagnostic setting:
// to Log Analytics and to an archive storage account with its key source.
func azActivityExport(sub string) []azDiagSetting {
	d := azDiag(sub, "activity-to-law",
		"Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy", "Autoscale", "ResourceHealth")
	if sub == azProd {
		d.Properties.StorageAccountID = azRID(azProd, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs")
		d.StorageAccountKeySource = "Microsoft.Keyvault"
	} else {
		d.Properties.StorageAccountID = azRID(azSandbox, "rg-sandbox", "Microsoft.Storage/storageAccounts", "acmesbxlegacy")
		d.StorageAccountKeySource = "Microsoft.Storage"
	}
	return []azDiagSetting{d}
}

type azRetention struct {
	Enabled bool `json:"enabled"`
	Days    int  `json:"days,omitempty"`
}

type azEncService struct {
	Enabled bool   `json:"enabled"`
	KeyType string `json:"key_type"`
}

type azStorageAccount struct {
	Kind       string `json:"kind"`
	SKU        azSKU  `json:"sku"`
	Properties struct {
		ProvisioningState            string `json:"provisioning_state"`
		CreationTime                 string `json:"creation_time"`
		AccessTier                   string `json:"access_tier"`
		SupportsHTTPSTrafficOnly     bool   `json:"supports_https_traffic_only"`
		MinimumTLSVersion            string `json:"minimum_tls_version"`
		AllowBlobPublicAccess        bool   `json:"allow_blob_public_access"`
		AllowSharedKeyAccess         bool   `json:"allow_shared_key_access"`
		AllowCrossTenantReplication  bool   `json:"allow_cross_tenant_replication"`
		DefaultToOAuthAuthentication bool   `json:"default_to_o_auth_authentication"`
		PublicNetworkAccess          string `json:"public_network_access"`
		NetworkACLs                  struct {
			DefaultAction       string     `json:"default_action"`
			Bypass              string     `json:"bypass"`
			IPRules             []azIPRule `json:"ip_rules"`
			VirtualNetworkRules []azIPRule `json:"virtual_network_rules"`
		} `json:"network_acls"`
		Encryption struct {
			KeySource                       string `json:"key_source"`
			RequireInfrastructureEncryption bool   `json:"require_infrastructure_encryption"`
			KeyVaultProperties              *struct {
				KeyName     string `json:"keyname"`
				KeyVersion  string `json:"keyversion"`
				KeyVaultURI string `json:"keyvaulturi"`
			} `json:"keyvaultproperties,omitempty"`
			Services struct {
				Blob azEncService `json:"blob"`
				File azEncService `json:"file"`
			} `json:"services"`
		} `json:"encryption"`
		KeyPolicy *struct {
			KeyExpirationPeriodInDays int `json:"key_expiration_period_in_days"`
		} `json:"key_policy,omitempty"`
		KeyCreationTime struct {
			Key1 string `json:"key1"`
			Key2 string `json:"key2"`
		} `json:"key_creation_time"`
		PrivateEndpointConnections []azPrivateEndpointConnection `json:"private_endpoint_connections"`
	} `json:"properties"`
	BlobService struct {
		Properties struct {
			DeleteRetentionPolicy          azRetention `json:"delete_retention_policy"`
			ContainerDeleteRetentionPolicy azRetention `json:"container_delete_retention_policy"`
			IsVersioningEnabled            bool        `json:"is_versioning_enabled"`
		} `json:"properties"`
	} `json:"blob_service"`
	FileService *azFileService `json:"file_service,omitempty"`
	Locks       []azLock       `json:"locks"`
}

// azFileService is GET fileServices/default.
type azFileService struct {
	Properties struct {
		ShareDeleteRetentionPolicy azRetention `json:"share_delete_retention_policy"`
		ProtocolSettings           struct {
			SMB struct {
				Versions          string `json:"versions,omitempty"`
				ChannelEncryption string `json:"channel_encryption,omitempty"`
			} `json:"smb"`
		} `json:"protocol_settings"`
	} `json:"properties"`
}

// azLock is a management lock covering a resource.
type azLock struct {
	Name       string `json:"name"`
	Properties struct {
		Level string `json:"level"`
		Notes string `json:"notes,omitempty"`
	} `json:"properties"`
}

// azIPRule is a storage firewall rule: value is a CIDR for ip_rules, id a
// subnet for virtual_network_rules.
type azIPRule struct {
	Value  string `json:"value,omitempty"`
	ID     string `json:"id,omitempty"`
	Action string `json:"action"`
}

type azContainer struct {
	Properties struct {
		PublicAccess           string `json:"public_access"`
		LastModifiedTime       string `json:"last_modified_time"`
		LeaseState             string `json:"lease_state"`
		HasImmutabilityPolicy  bool   `json:"has_immutability_policy"`
		HasLegalHold           bool   `json:"has_legal_hold"`
		Deleted                bool   `json:"deleted"`
		DefaultEncryptionScope string `json:"default_encryption_scope"`
	} `json:"properties"`
}

type azDiskRef struct {
	ID                 string `json:"id"`
	StorageAccountType string `json:"storage_account_type"`
	DiskEncryptionSet  *azID  `json:"disk_encryption_set,omitempty"`
}

type azVhd struct {
	URI string `json:"uri"`
}

type azVMDisk struct {
	Lun          *int       `json:"lun,omitempty"`
	Name         string     `json:"name"`
	OSType       string     `json:"os_type,omitempty"`
	CreateOption string     `json:"create_option"`
	Caching      string     `json:"caching"`
	DiskSizeGB   int        `json:"disk_size_gb"`
	ManagedDisk  *azDiskRef `json:"managed_disk,omitempty"`
	Vhd          *azVhd     `json:"vhd,omitempty"`
}

type azExtension struct {
	Name       string `json:"name"`
	Properties struct {
		Publisher          string `json:"publisher"`
		Type               string `json:"type"`
		TypeHandlerVersion string `json:"type_handler_version"`
		ProvisioningState  string `json:"provisioning_state"`
	} `json:"properties"`
}

type azVM struct {
	Identity   *azIdentity `json:"identity,omitempty"`
	Zones      []string    `json:"zones,omitempty"`
	Properties struct {
		VMID              string `json:"vm_id"`
		ProvisioningState string `json:"provisioning_state"`
		TimeCreated       string `json:"time_created"`
		HardwareProfile   struct {
			VMSize string `json:"vm_size"`
		} `json:"hardware_profile"`
		StorageProfile struct {
			ImageReference struct {
				Publisher string `json:"publisher"`
				Offer     string `json:"offer"`
				SKU       string `json:"sku"`
				Version   string `json:"version"`
			} `json:"image_reference"`
			OSDisk    azVMDisk   `json:"os_disk"`
			DataDisks []azVMDisk `json:"data_disks"`
		} `json:"storage_profile"`
		OSProfile struct {
			ComputerName       string `json:"computer_name"`
			AdminUsername      string `json:"admin_username"`
			LinuxConfiguration struct {
				DisablePasswordAuthentication bool `json:"disable_password_authentication"`
				ProvisionVMAgent              bool `json:"provision_vm_agent"`
			} `json:"linux_configuration"`
		} `json:"os_profile"`
		SecurityProfile struct {
			EncryptionAtHost bool   `json:"encryption_at_host"`
			SecurityType     string `json:"security_type"`
			UefiSettings     struct {
				SecureBootEnabled bool `json:"secure_boot_enabled"`
				VTpmEnabled       bool `json:"v_tpm_enabled"`
			} `json:"uefi_settings"`
		} `json:"security_profile"`
		DiagnosticsProfile struct {
			BootDiagnostics struct {
				Enabled bool `json:"enabled"`
			} `json:"boot_diagnostics"`
		} `json:"diagnostics_profile"`
		NetworkProfile struct {
			NetworkInterfaces []azID `json:"network_interfaces"`
		} `json:"network_profile"`
	} `json:"properties"`
	Extensions []azExtension `json:"extensions"`
}

type azDisk struct {
	SKU        azSKU  `json:"sku"`
	ManagedBy  string `json:"managed_by"`
	Properties struct {
		TimeCreated       string `json:"time_created"`
		OSType            string `json:"os_type,omitempty"`
		DiskSizeGB        int    `json:"disk_size_gb"`
		DiskState         string `json:"disk_state"`
		ProvisioningState string `json:"provisioning_state"`
		Encryption        struct {
			Type                string `json:"type"`
			DiskEncryptionSetID string `json:"disk_encryption_set_id,omitempty"`
		} `json:"encryption"`
		NetworkAccessPolicy string `json:"network_access_policy"`
		PublicNetworkAccess string `json:"public_network_access"`
	} `json:"properties"`
}

type azRuleProps struct {
	Description                string   `json:"description,omitempty"`
	Protocol                   string   `json:"protocol"`
	SourcePortRange            string   `json:"source_port_range"`
	SourcePortRanges           []string `json:"source_port_ranges"`
	DestinationPortRange       string   `json:"destination_port_range,omitempty"`
	DestinationPortRanges      []string `json:"destination_port_ranges"`
	SourceAddressPrefix        string   `json:"source_address_prefix,omitempty"`
	SourceAddressPrefixes      []string `json:"source_address_prefixes"`
	DestinationAddressPrefix   string   `json:"destination_address_prefix"`
	DestinationAddressPrefixes []string `json:"destination_address_prefixes"`
	Access                     string   `json:"access"`
	Priority                   int      `json:"priority"`
	Direction                  string   `json:"direction"`
	ProvisioningState          string   `json:"provisioning_state"`
}

type azRule struct {
	Name       string      `json:"name"`
	Properties azRuleProps `json:"properties"`
}

type azNSG struct {
	Properties struct {
		ProvisioningState string   `json:"provisioning_state"`
		ResourceGUID      string   `json:"resource_guid"`
		SecurityRules     []azRule `json:"security_rules"`
		NetworkInterfaces []azID   `json:"network_interfaces"`
		Subnets           []azID   `json:"subnets"`
	} `json:"properties"`
}

type azKVItem struct {
	Name       string `json:"name"`
	Properties struct {
		Attributes struct {
			Enabled bool  `json:"enabled"`
			Exp     int64 `json:"exp,omitempty"`
			Created int64 `json:"created"`
		} `json:"attributes"`
	} `json:"properties"`
	// RotationPolicy is set on keys only (data plane rotationpolicy).
	RotationPolicy map[string]any `json:"rotation_policy,omitempty"`
}

// azRotation is a key rotation policy: rotate after 90 days (when rotate)
// and notify 30 days before expiry.
func azRotation(rotate bool) map[string]any {
	acts := []any{map[string]any{"trigger": map[string]any{"time_before_expiry": "P30D"}, "action": map[string]any{"type": "Notify"}}}
	if rotate {
		acts = append([]any{map[string]any{"trigger": map[string]any{"time_after_create": "P90D"}, "action": map[string]any{"type": "Rotate"}}}, acts...)
	}
	return map[string]any{"lifetime_actions": acts, "attributes": map[string]any{"expiry_time": "P1Y"}}
}

// azCert is a certificate with its issuance policy.
func azCert(name string, months int) map[string]any {
	return map[string]any{"name": name, "attributes": map[string]any{"enabled": true},
		"policy": map[string]any{"x509_props": map[string]any{"validity_months": months, "subject": "CN=" + name + ".acme.example"},
			"issuer": map[string]any{"name": "DigiCert"}}}
}

type azKeyVault struct {
	Properties struct {
		TenantID string `json:"tenant_id"`
		SKU      struct {
			Family string `json:"family"`
			Name   string `json:"name"`
		} `json:"sku"`
		VaultURI                  string `json:"vault_uri"`
		EnableSoftDelete          bool   `json:"enable_soft_delete"`
		SoftDeleteRetentionInDays int    `json:"soft_delete_retention_in_days"`
		EnablePurgeProtection     bool   `json:"enable_purge_protection"`
		EnableRbacAuthorization   bool   `json:"enable_rbac_authorization"`
		PublicNetworkAccess       string `json:"public_network_access"`
		NetworkACLs               struct {
			DefaultAction string `json:"default_action"`
			Bypass        string `json:"bypass"`
		} `json:"network_acls"`
		PrivateEndpointConnections []azPrivateEndpointConnection `json:"private_endpoint_connections"`
	} `json:"properties"`
	Keys               []azKVItem       `json:"keys"`
	Secrets            []azKVItem       `json:"secrets"`
	Certificates       []map[string]any `json:"certificates"`
	DiagnosticSettings []azDiagSetting  `json:"diagnostic_settings"`
}

type azFirewallRule struct {
	Name       string `json:"name"`
	Properties struct {
		StartIPAddress string `json:"start_ip_address"`
		EndIPAddress   string `json:"end_ip_address"`
	} `json:"properties"`
}

type azSQLDatabase struct {
	Name       string `json:"name"`
	SKU        azSKU  `json:"sku"`
	Properties struct {
		Status string `json:"status"`
	} `json:"properties"`
	TDE struct {
		Properties struct {
			State string `json:"state"`
		} `json:"properties"`
	} `json:"transparent_data_encryption"`
}

type azSQLServer struct {
	Identity   *azIdentity `json:"identity,omitempty"`
	Properties struct {
		Version             string `json:"version"`
		State               string `json:"state"`
		FQDN                string `json:"fully_qualified_domain_name"`
		AdministratorLogin  string `json:"administrator_login"`
		MinimalTLSVersion   string `json:"minimal_tls_version"`
		PublicNetworkAccess string `json:"public_network_access"`
		Administrators      *struct {
			AdministratorType         string `json:"administrator_type"`
			PrincipalType             string `json:"principal_type"`
			Login                     string `json:"login"`
			SID                       string `json:"sid"`
			TenantID                  string `json:"tenant_id"`
			AzureADOnlyAuthentication bool   `json:"azure_ad_only_authentication"`
		} `json:"administrators,omitempty"`
	} `json:"properties"`
	FirewallRules    []azFirewallRule `json:"firewall_rules"`
	AuditingSettings struct {
		Properties struct {
			State                       string `json:"state"`
			RetentionDays               int    `json:"retention_days"`
			IsAzureMonitorTargetEnabled bool   `json:"is_azure_monitor_target_enabled"`
		} `json:"properties"`
	} `json:"auditing_settings"`
	EncryptionProtector struct {
		Kind       string `json:"kind"`
		Properties struct {
			ServerKeyType       string `json:"server_key_type"`
			ServerKeyName       string `json:"server_key_name"`
			AutoRotationEnabled bool   `json:"auto_rotation_enabled"`
		} `json:"properties"`
	} `json:"encryption_protector"`
	Databases []azSQLDatabase `json:"databases"`
}

type azAppSetting struct {
	Name            string `json:"name"`
	LooksLikeSecret bool   `json:"looks_like_secret"`
}

type azAppService struct {
	Kind       string      `json:"kind"`
	Identity   *azIdentity `json:"identity,omitempty"`
	Properties struct {
		State               string `json:"state"`
		DefaultHostName     string `json:"default_host_name"`
		ServerFarmID        string `json:"server_farm_id"`
		HTTPSOnly           bool   `json:"https_only"`
		ClientCertEnabled   bool   `json:"client_cert_enabled"`
		ClientCertMode      string `json:"client_cert_mode"`
		PublicNetworkAccess string `json:"public_network_access"`
		SiteConfig          struct {
			MinTLSVersion          string `json:"min_tls_version"`
			ScmMinTLSVersion       string `json:"scm_min_tls_version"`
			FtpsState              string `json:"ftps_state"`
			HTTP20Enabled          bool   `json:"http20_enabled"`
			RemoteDebuggingEnabled bool   `json:"remote_debugging_enabled"`
			AlwaysOn               bool   `json:"always_on"`
			LinuxFxVersion         string `json:"linux_fx_version"`
		} `json:"site_config"`
	} `json:"properties"`
	AppSettings        []azAppSetting  `json:"app_settings"`
	DiagnosticSettings []azDiagSetting `json:"diagnostic_settings"`
}

// ---- helpers ----

// azRID builds an ARM resource ID.
func azRID(sub, rg, typ, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + typ + "/" + name
}

// azRes builds the envelope of an Azure resource.
func azRes(uid, sub, region, kind, name string, tags map[string]string, created time.Time) resource.Resource {
	return resource.Resource{
		UID: uid, Provider: resource.Azure, Account: sub, Region: region,
		Kind: kind, Name: name, Tags: tags, CreatedAt: created,
	}
}

func azTags(owner, env string) map[string]string {
	return map[string]string{"owner": owner, "environment": env}
}

func azEnv(sub string) string {
	if sub == azProd {
		return "production"
	}
	return "sandbox"
}

// azDiag is a diagnostic setting sending the given categories to a Log
// Analytics workspace in sub.
func azDiag(sub, name string, categories ...string) azDiagSetting {
	var d azDiagSetting
	d.Name = name
	d.Properties.WorkspaceID = "/subscriptions/" + sub + "/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security"
	d.Properties.Logs = make([]azDiagLog, len(categories))
	for i, c := range categories {
		d.Properties.Logs[i] = azDiagLog{Category: c, Enabled: true}
	}
	return d
}

// azCleanStorage returns a storage account that passes every Azure check.
func (e *estate) azCleanStorage(created time.Duration) *azStorageAccount {
	s := &azStorageAccount{Kind: "StorageV2", SKU: azSKU{Name: "Standard_GRS", Tier: "Standard"}}
	p := &s.Properties
	p.ProvisioningState = "Succeeded"
	p.CreationTime = e.ago(created)
	p.AccessTier = "Hot"
	p.SupportsHTTPSTrafficOnly = true
	p.MinimumTLSVersion = "TLS1_2"
	p.AllowSharedKeyAccess = false
	p.DefaultToOAuthAuthentication = true
	p.PublicNetworkAccess = "Disabled"
	p.NetworkACLs.DefaultAction = "Deny"
	p.NetworkACLs.Bypass = "AzureServices"
	p.NetworkACLs.IPRules = []azIPRule{{Value: "203.0.113.0/24", Action: "Allow"}}
	p.NetworkACLs.VirtualNetworkRules = []azIPRule{}
	p.Encryption.KeySource = "Microsoft.Storage"
	p.Encryption.RequireInfrastructureEncryption = true
	p.Encryption.Services.Blob = azEncService{Enabled: true, KeyType: "Account"}
	p.Encryption.Services.File = azEncService{Enabled: true, KeyType: "Account"}
	p.KeyPolicy = &struct {
		KeyExpirationPeriodInDays int `json:"key_expiration_period_in_days"`
	}{90}
	p.KeyCreationTime.Key1 = e.ago(days(40))
	p.KeyCreationTime.Key2 = e.ago(days(40))
	var pe azPrivateEndpointConnection
	pe.ID = "pe-blob"
	pe.Properties.State.Status = "Approved"
	p.PrivateEndpointConnections = []azPrivateEndpointConnection{pe}
	b := &s.BlobService.Properties
	b.DeleteRetentionPolicy = azRetention{Enabled: true, Days: 14}
	b.ContainerDeleteRetentionPolicy = azRetention{Enabled: true, Days: 14}
	b.IsVersioningEnabled = true
	s.FileService = &azFileService{}
	s.FileService.Properties.ShareDeleteRetentionPolicy = azRetention{Enabled: true, Days: 14}
	s.FileService.Properties.ProtocolSettings.SMB.Versions = "SMB3.1.1"
	s.FileService.Properties.ProtocolSettings.SMB.ChannelEncryption = "AES-256-GCM"
	var lock azLock
	lock.Name = "rg-no-delete"
	lock.Properties.Level = "CanNotDelete"
	lock.Properties.Notes = "resource group protected from deletion"
	s.Locks = []azLock{lock}
	return s
}

func (e *estate) azNewContainer(access string, modified time.Duration) *azContainer {
	c := &azContainer{}
	c.Properties.PublicAccess = access
	c.Properties.LastModifiedTime = e.ago(modified)
	c.Properties.LeaseState = "Available"
	c.Properties.DefaultEncryptionScope = "$account-encryption-key"
	return c
}

// azCleanVM returns a Linux VM with managed OS and data disks.
func (e *estate) azCleanVM(name, size, osDiskID, dataDiskID, nicID string, created time.Duration) *azVM {
	v := &azVM{Identity: &azIdentity{Type: "SystemAssigned", PrincipalID: "0f6b" + name}}
	p := &v.Properties
	p.VMID = "vm-" + name
	p.ProvisioningState = "Succeeded"
	p.TimeCreated = e.ago(created)
	p.HardwareProfile.VMSize = size
	img := &p.StorageProfile.ImageReference
	img.Publisher, img.Offer, img.SKU, img.Version = "Canonical", "ubuntu-24_04-lts", "server", "latest"
	p.StorageProfile.OSDisk = azVMDisk{Name: name + "_OsDisk", OSType: "Linux", CreateOption: "FromImage", Caching: "ReadWrite", DiskSizeGB: 64,
		ManagedDisk: &azDiskRef{ID: osDiskID, StorageAccountType: "Premium_LRS"}}
	p.StorageProfile.DataDisks = []azVMDisk{}
	if dataDiskID != "" {
		lun := 0
		p.StorageProfile.DataDisks = []azVMDisk{{Lun: &lun, Name: name + "_data0", CreateOption: "Attach", Caching: "ReadOnly", DiskSizeGB: 256,
			ManagedDisk: &azDiskRef{ID: dataDiskID, StorageAccountType: "Premium_LRS"}}}
	}
	p.OSProfile.ComputerName = name
	p.OSProfile.AdminUsername = "azureops"
	p.OSProfile.LinuxConfiguration.DisablePasswordAuthentication = true
	p.OSProfile.LinuxConfiguration.ProvisionVMAgent = true
	p.SecurityProfile.EncryptionAtHost = true
	p.SecurityProfile.SecurityType = "TrustedLaunch"
	p.SecurityProfile.UefiSettings.SecureBootEnabled = true
	p.SecurityProfile.UefiSettings.VTpmEnabled = true
	p.DiagnosticsProfile.BootDiagnostics.Enabled = true
	p.NetworkProfile.NetworkInterfaces = []azID{{ID: nicID}}
	var ext azExtension
	ext.Name = "AzureMonitorLinuxAgent"
	ext.Properties.Publisher = "Microsoft.Azure.Monitor"
	ext.Properties.Type = "AzureMonitorLinuxAgent"
	ext.Properties.TypeHandlerVersion = "1.33"
	ext.Properties.ProvisioningState = "Succeeded"
	v.Extensions = []azExtension{ext}
	return v
}

// azCleanDisk returns an attached, platform-key disk with network export
// disabled.
func (e *estate) azCleanDisk(vmID string, sizeGB int, created time.Duration) *azDisk {
	d := &azDisk{SKU: azSKU{Name: "Premium_LRS", Tier: "Premium"}, ManagedBy: vmID}
	d.Properties.TimeCreated = e.ago(created)
	d.Properties.DiskSizeGB = sizeGB
	d.Properties.DiskState = "Attached"
	if vmID == "" {
		d.Properties.DiskState = "Unattached"
	}
	d.Properties.ProvisioningState = "Succeeded"
	d.Properties.Encryption.Type = "EncryptionAtRestWithPlatformKey"
	d.Properties.NetworkAccessPolicy = "DenyAll"
	d.Properties.PublicNetworkAccess = "Disabled"
	return d
}

// azRuleOf builds an NSG rule with a single source and destination port.
func azRuleOf(name string, prio int, dir, access, proto, src, port string) azRule {
	return azRule{Name: name, Properties: azRuleProps{
		Protocol: proto, SourcePortRange: "*", SourcePortRanges: []string{},
		DestinationPortRange: port, DestinationPortRanges: []string{},
		SourceAddressPrefix: src, SourceAddressPrefixes: []string{},
		DestinationAddressPrefix: "*", DestinationAddressPrefixes: []string{},
		Access: access, Priority: prio, Direction: dir, ProvisioningState: "Succeeded",
	}}
}

func azNSGOf(guid string, subnets []azID, rules ...azRule) *azNSG {
	n := &azNSG{}
	n.Properties.ProvisioningState = "Succeeded"
	n.Properties.ResourceGUID = guid
	n.Properties.SecurityRules = rules
	n.Properties.NetworkInterfaces = []azID{}
	n.Properties.Subnets = subnets
	if n.Properties.Subnets == nil {
		n.Properties.Subnets = []azID{}
	}
	return n
}

func (e *estate) azKVItemOf(name string, created time.Duration, expiresIn time.Duration) azKVItem {
	var it azKVItem
	it.Name = name
	it.Properties.Attributes.Enabled = true
	it.Properties.Attributes.Created = e.now.Add(-created).Unix()
	if expiresIn != 0 {
		it.Properties.Attributes.Exp = e.now.Add(expiresIn).Unix()
	}
	return it
}

// azCleanVault returns a key vault that passes every Azure check.
func (e *estate) azCleanVault(sub, name string) *azKeyVault {
	v := &azKeyVault{}
	p := &v.Properties
	p.TenantID = azTenant
	p.SKU.Family, p.SKU.Name = "A", "standard"
	p.VaultURI = "https://" + name + ".vault.azure.net/"
	p.EnableSoftDelete = true
	p.SoftDeleteRetentionInDays = 90
	p.EnablePurgeProtection = true
	p.EnableRbacAuthorization = true
	p.PublicNetworkAccess = "Disabled"
	p.NetworkACLs.DefaultAction = "Deny"
	p.NetworkACLs.Bypass = "AzureServices"
	var pe azPrivateEndpointConnection
	pe.ID = azRID(sub, "rg-network", "Microsoft.Network/privateEndpoints", "pe-"+name) + "/privateEndpointConnections/" + name
	pe.Properties.State.Status = "Approved"
	p.PrivateEndpointConnections = []azPrivateEndpointConnection{pe}
	key := e.azKVItemOf("cmk-storage", days(200), days(165))
	key.RotationPolicy = azRotation(true)
	v.Keys = []azKVItem{key}
	v.Certificates = []map[string]any{azCert("www-"+name, 12)}
	v.Secrets = []azKVItem{e.azKVItemOf("db-password", days(30), days(60))}
	v.DiagnosticSettings = []azDiagSetting{azDiag(sub, "audit-to-law", "AuditEvent")}
	return v
}

// azCleanSQL returns a SQL server that passes every Azure check.
func (e *estate) azCleanSQL(name, dbName string) *azSQLServer {
	s := &azSQLServer{Identity: &azIdentity{Type: "SystemAssigned"}}
	p := &s.Properties
	p.Version = "12.0"
	p.State = "Ready"
	p.FQDN = name + ".database.windows.net"
	p.AdministratorLogin = "sqladmin"
	p.MinimalTLSVersion = "1.2"
	p.PublicNetworkAccess = "Enabled"
	p.Administrators = &struct {
		AdministratorType         string `json:"administrator_type"`
		PrincipalType             string `json:"principal_type"`
		Login                     string `json:"login"`
		SID                       string `json:"sid"`
		TenantID                  string `json:"tenant_id"`
		AzureADOnlyAuthentication bool   `json:"azure_ad_only_authentication"`
	}{"ActiveDirectory", "Group", "sg-sql-admins", "5c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", azTenant, true}
	var fw azFirewallRule
	fw.Name = "office-egress"
	fw.Properties.StartIPAddress = "203.0.113.0"
	fw.Properties.EndIPAddress = "203.0.113.255"
	s.FirewallRules = []azFirewallRule{fw}
	a := &s.AuditingSettings.Properties
	a.State = "Enabled"
	a.RetentionDays = 90
	a.IsAzureMonitorTargetEnabled = true
	s.EncryptionProtector.Kind = "servicemanaged"
	s.EncryptionProtector.Properties.ServerKeyType = "ServiceManaged"
	s.EncryptionProtector.Properties.ServerKeyName = "ServiceManaged"
	var db azSQLDatabase
	db.Name = dbName
	db.SKU = azSKU{Name: "GP_Gen5_2", Tier: "GeneralPurpose"}
	db.Properties.Status = "Online"
	db.TDE.Properties.State = "Enabled"
	s.Databases = []azSQLDatabase{db}
	return s
}

// azCleanApp returns an App Service app that passes every Azure check.
func azCleanApp(kind, name, plan string) *azAppService {
	a := &azAppService{Kind: kind, Identity: &azIdentity{Type: "SystemAssigned", PrincipalID: "9a7c" + name}}
	p := &a.Properties
	p.State = "Running"
	p.DefaultHostName = name + ".azurewebsites.net"
	p.ServerFarmID = plan
	p.HTTPSOnly = true
	p.ClientCertMode = "Optional"
	p.PublicNetworkAccess = "Enabled"
	c := &p.SiteConfig
	c.MinTLSVersion = "1.2"
	c.ScmMinTLSVersion = "1.2"
	c.FtpsState = "Disabled"
	c.HTTP20Enabled = true
	c.AlwaysOn = true
	c.LinuxFxVersion = "PYTHON|3.12"
	a.DiagnosticSettings = []azDiagSetting{azDiag(azProd, "http-logs-to-law", "AppServiceHTTPLogs", "AppServiceAuditLogs")}
	a.AppSettings = []azAppSetting{
		{Name: "APPLICATIONINSIGHTS_CONNECTION_STRING"},
		{Name: "DATABASE_PASSWORD"}, // a @Microsoft.KeyVault(...) reference: not a secret value
		{Name: "FEATURE_FLAGS"},
	}
	return a
}

// ---- base estate ----

func (e *estate) azureBase() {
	e.azureAccounts()
	e.azureNetwork()
	e.azureStorage()
	e.azureCompute()
	e.azurePaaS()
	e.azureData()
	e.azureGateways()
	e.azureTenant()
	e.azureAIBase()
	e.collectionError(resource.CollectionError{
		Provider: resource.Azure, Account: azSandbox, Region: resource.GlobalRegion, Service: "aks",
		Op: "Microsoft.ContainerService/managedClusters/read", Kind: resource.NotEnabled,
		Message: "MissingSubscriptionRegistration: The subscription is not registered to use namespace 'Microsoft.ContainerService'",
	})
	e.collectionError(resource.CollectionError{
		Provider: resource.Azure, Account: azProd, Region: "westeurope", Service: "network",
		Op: "Microsoft.Network/networkWatchers/flowLogs/read", Kind: resource.Denied,
		Message: "AuthorizationFailed: the client does not have authorization to perform action 'Microsoft.Network/networkWatchers/flowLogs/read' over scope 'NetworkWatcherRG/NetworkWatcher_westeurope'",
	})
}

func (e *estate) azureAccounts() {
	// The administrative operations CIS wants an activity log alert for, and
	// the alert names Acme gave them.
	alertOps := [...][2]string{
		{"alert-policy-assignment-write", "Microsoft.Authorization/policyAssignments/write"},
		{"alert-policy-assignment-delete", "Microsoft.Authorization/policyAssignments/delete"},
		{"alert-nsg-write", "Microsoft.Network/networkSecurityGroups/write"},
		{"alert-nsg-delete", "Microsoft.Network/networkSecurityGroups/delete"},
		{"alert-security-solution-write", "Microsoft.Security/securitySolutions/write"},
		{"alert-security-solution-delete", "Microsoft.Security/securitySolutions/delete"},
		{"alert-sql-firewall-write", "Microsoft.Sql/servers/firewallRules/write"},
		{"alert-sql-firewall-delete", "Microsoft.Sql/servers/firewallRules/delete"},
		{"alert-public-ip-write", "Microsoft.Network/publicIPAddresses/write"},
		{"alert-public-ip-delete", "Microsoft.Network/publicIPAddresses/delete"},
	}
	plans := []string{"CloudPosture", "VirtualMachines", "StorageAccounts", "SqlServers", "SqlServerVirtualMachines",
		"OpenSourceRelationalDatabases", "CosmosDbs", "KeyVaults", "Containers", "AppServices", "Arm", "Api"}
	for _, sub := range []struct {
		id, name, action string
		created          int
	}{{azProd, "Acme Production", azActionProd, 1400}, {azSandbox, "Acme Sandbox", azActionSbx, 600}} {
		uid := "/subscriptions/" + sub.id
		pricings := make([]map[string]any, 0, len(plans))
		for _, p := range plans {
			tier := "Standard"
			if sub.id == azSandbox && (p == "VirtualMachines" || p == "StorageAccounts") {
				tier = "Free"
			}
			props := map[string]any{"pricing_tier": tier}
			if tier == "Standard" {
				props["enablement_time"] = e.ago(days(sub.created - 30))
				switch p {
				case "VirtualMachines":
					props["sub_plan"] = "P2"
					props["extensions"] = []any{
						map[string]any{"name": "AgentlessVmScanning", "is_enabled": "True"},
						map[string]any{"name": "FileIntegrityMonitoring", "is_enabled": "True"},
					}
				case "StorageAccounts":
					props["sub_plan"] = "DefenderForStorageV2"
				}
			}
			pricings = append(pricings, map[string]any{"name": p, "properties": props})
		}
		e.add(azRes(uid, sub.id, resource.GlobalRegion, "azure_subscription", sub.name, azTags("cloud-platform", azEnv(sub.id)), e.now.Add(-days(sub.created))), map[string]any{
			"subscription_id": sub.id,
			"tenant_id":       azTenant,
			"display_name":    sub.name,
			"state":           "Enabled",
			"subscription_policies": map[string]any{
				"location_placement_id": "Public_2014-09-01", "quota_id": "EnterpriseAgreement_2014-09-01", "spending_limit": "Off",
			},
			"security_defaults": map[string]any{"is_enabled": true},
			"pricings":          pricings,
			"security_contacts": []any{map[string]any{"name": "default", "properties": map[string]any{
				"emails":                "secops@acme.example;cloud-platform@acme.example",
				"phone":                 "",
				"is_enabled":            true,
				"notifications_by_role": map[string]any{"state": "On", "roles": []string{"Owner"}},
				"notifications_sources": []any{
					map[string]any{"source_type": "Alert", "minimal_severity": "Medium"},
					map[string]any{"source_type": "AttackPath", "minimal_risk_level": "High"},
				},
			}}},
			"diagnostic_settings": azActivityExport(sub.id),
			"security_settings": []any{map[string]any{"name": "WDATP", "kind": "DataExportSettings",
				"properties": map[string]any{"enabled": sub.id == azProd}}},
			"role_assignments":   azRoleAssignments(sub.id),
			"policy_assignments": azPolicyAssignments(sub.id),
		})
		if sub.id == azSandbox {
			e.plant(uid, "azure-defender-servers-on", "Defender for Servers left on the Free tier in the sandbox subscription")
			e.plant(uid, "azure-defender-storage-on", "Defender for Storage left on the Free tier in the sandbox subscription")
			e.plant(uid, "azure-monitor-alert-public-ip-delete", "the sandbox has no activity log alert for public IP deletion")
			e.plant(uid, "azure-iam-subscription-owners-2-to-3", "the sandbox has a single Owner: nobody else can recover or review it")
			e.plant(uid, "azure-policy-mcsb-assigned", "the system-updates policy of the Microsoft cloud security benchmark was set to Disabled")
			e.plant(uid, "azure-activity-log-storage-cmk", "the sandbox archives its activity log in the legacy account, encrypted with platform keys")
			e.plant(uid, "azure-defender-system-updates-monitored", "missing OS updates are no longer reported in the sandbox")
			e.plant(uid, "azure-iam-lock-admin-role", "no custom role for managing resource locks in the sandbox")
			e.plant(uid, "azure-defender-servers-agentless-scanning", "Defender for Servers is off in the sandbox, so is agentless scanning")
			e.plant(uid, "azure-defender-servers-file-integrity-monitoring", "Defender for Servers is off in the sandbox, so is file integrity monitoring")
			e.plant(uid, "azure-defender-endpoint-integration", "Defender for Endpoint integration switched off in the sandbox")
			e.plant(uid, "azure-monitor-application-insights", "sandbox apps run without Application Insights")
			e.plant(uid, "azure-network-bastion-host", "no Bastion in the sandbox: the jump host's RDP is opened to the internet instead")
		}
		e.plant(uid, "azure-iam-no-root-user-access-admin", "a Global Administrator elevated to User Access Administrator at the root scope and never removed it; every subscription inherits it")

		// Activity log alerts, one per administrative operation plus Service Health.
		for _, op := range alertOps {
			if sub.id == azSandbox && op[0] == "alert-public-ip-delete" {
				continue
			}
			e.azAlert(sub.id, sub.action, op[0], []map[string]any{
				{"field": "category", "equals": "Administrative"},
				{"field": "operationName", "equals": op[1]},
			})
		}
		e.azAlert(sub.id, sub.action, "alert-service-health", []map[string]any{
			{"field": "category", "equals": "ServiceHealth"},
			{"field": "properties.incidentType", "equals": "Incident"},
		})
	}

	// Custom roles.
	opRole := "/subscriptions/" + azProd + "/providers/Microsoft.Authorization/roleDefinitions/6a1d4c1e-0b7f-4e4f-9f3c-2d8b1e5a7c90"
	e.add(azRes(opRole, azProd, resource.GlobalRegion, "azure_role_definition", "Acme VM Operator", nil, e.now.Add(-days(700))), map[string]any{
		"properties": map[string]any{
			"role_name": "Acme VM Operator", "type": "CustomRole", "description": "Start, stop and restart VMs",
			"assignable_scopes": []string{"/subscriptions/" + azProd},
			"permissions": []any{map[string]any{
				"actions":          []string{"Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/virtualMachines/restart/action", "Microsoft.Compute/virtualMachines/deallocate/action"},
				"not_actions":      []string{},
				"data_actions":     []string{},
				"not_data_actions": []string{},
			}},
			"created_on": e.ago(days(700)), "updated_on": e.ago(days(120)),
		},
	})
	lockRole := "/subscriptions/" + azProd + "/providers/Microsoft.Authorization/roleDefinitions/2e4b8c0d-5a1f-4c3e-9d7b-6f8a0c2e4b19"
	e.add(azRes(lockRole, azProd, resource.GlobalRegion, "azure_role_definition", "Acme Resource Lock Administrator", nil, e.now.Add(-days(650))), map[string]any{
		"properties": map[string]any{
			"role_name": "Acme Resource Lock Administrator", "type": "CustomRole", "description": "Create and remove management locks",
			"assignable_scopes": []string{"/subscriptions/" + azProd},
			"permissions": []any{map[string]any{
				"actions":     []string{"Microsoft.Authorization/locks/*", "Microsoft.Resources/subscriptions/resourceGroups/read"},
				"not_actions": []string{}, "data_actions": []string{}, "not_data_actions": []string{},
			}},
			"created_on": e.ago(days(650)), "updated_on": e.ago(days(650)),
		},
	})
	sbxRole := "/subscriptions/" + azSandbox + "/providers/Microsoft.Authorization/roleDefinitions/c3e8a4b2-7d19-4f6a-b0e5-8f2c9d1a3b74"
	e.add(azRes(sbxRole, azSandbox, resource.GlobalRegion, "azure_role_definition", "Sandbox Admin", nil, e.now.Add(-days(300))), map[string]any{
		"properties": map[string]any{
			"role_name": "Sandbox Admin", "type": "CustomRole", "description": "Full control of the sandbox",
			"assignable_scopes": []string{"/subscriptions/" + azSandbox},
			"permissions": []any{map[string]any{
				"actions": []string{"*"}, "not_actions": []string{}, "data_actions": []string{}, "not_data_actions": []string{},
			}},
			"created_on": e.ago(days(300)), "updated_on": e.ago(days(300)),
		},
	})
	e.plant(sbxRole, "azure-iam-no-custom-owner-roles", "custom role granting * at subscription scope: an owner role outside RBAC review")
}

// Built-in role GUIDs.
const (
	azRoleOwner       = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	azRoleUAA         = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
	azRoleContributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
)

// azRoleAssignments lists the role assignments at or above a subscription:
// production has two Owners, the sandbox one; both inherit a forgotten
// root-scope User Access Administrator assignment.
func azRoleAssignments(sub string) []any {
	ra := func(guid, role, principal, ptype, scope string) map[string]any {
		return map[string]any{"name": guid, "properties": map[string]any{
			"role_definition_id": "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/" + role,
			"principal_id":       principal, "principal_type": ptype, "scope": scope, "created_on": "2025-01-15T09:00:00Z",
		}}
	}
	scope := "/subscriptions/" + sub
	out := []any{ra("0c1f7a2e-5b3d-4e8f-9a60-2d4c6e8f0a11", azRoleUAA, "4f2a6c8e-0b1d-4e3f-a5c7-9e1b3d5f7a02", "User", "/")}
	if sub == azProd {
		return append(out,
			ra("1a2b3c4d-0001-4e5f-8a9b-0c1d2e3f4a51", azRoleOwner, "6b8d0f2a-4c6e-4a1b-9d3f-5e7a9c1b3d04", "Group", scope),
			ra("1a2b3c4d-0002-4e5f-8a9b-0c1d2e3f4a52", azRoleOwner, "8d0f2a4c-6e8a-4c3d-b5f7-7a9c1e3b5d06", "User", scope),
			ra("1a2b3c4d-0003-4e5f-8a9b-0c1d2e3f4a53", azRoleContributor, "a0c2e4f6-8b1d-4e5f-9a7c-3e5b7d9f1a08", "ServicePrincipal", scope))
	}
	return append(out, ra("2b3c4d5e-0001-4f6a-9b0c-1d2e3f4a5b61", azRoleOwner, "c2e4a6f8-0d3b-4f7a-8c1e-5b7d9f1a3c0a", "User", scope))
}

// azPolicyAssignments lists the subscription's policy assignments: the
// Microsoft cloud security benchmark (Defender for Cloud's default), with
// one effect disabled in the sandbox.
func azPolicyAssignments(sub string) []any {
	params := map[string]any{"identityEnableMFAForWritePermissionsMonitoringEffect": map[string]any{"value": "AuditIfNotExists"}}
	if sub == azSandbox {
		params["systemUpdatesMonitoringEffect"] = map[string]any{"value": "Disabled"}
	}
	return []any{map[string]any{"name": "SecurityCenterBuiltIn", "properties": map[string]any{
		"display_name":         "ASC Default (subscription: " + sub + ")",
		"policy_definition_id": "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8",
		"scope":                "/subscriptions/" + sub,
		"enforcement_mode":     "Default",
		"parameters":           params,
	}}}
}

func (e *estate) azAlert(sub, action, name string, conds []map[string]any) {
	uid := azRID(sub, "rg-monitoring", "microsoft.insights/activityLogAlerts", name)
	e.add(azRes(uid, sub, resource.GlobalRegion, "azure_activity_log_alert", name, azTags("secops", azEnv(sub)), time.Time{}), map[string]any{
		"properties": map[string]any{
			"enabled":     true,
			"description": "CIS activity log alert",
			"scopes":      []string{"/subscriptions/" + sub},
			"condition":   map[string]any{"all_of": conds},
			"actions":     map[string]any{"action_groups": []any{map[string]any{"action_group_id": action}}},
		},
	})
}

func (e *estate) azureNetwork() {
	// Network Watcher: enabled everywhere but the sandbox's westeurope.
	for _, w := range [][2]string{{azProd, "eastus"}, {azProd, "westeurope"}, {azSandbox, "eastus"}} {
		name := "NetworkWatcher_" + w[1]
		uid := azRID(w[0], "NetworkWatcherRG", "Microsoft.Network/networkWatchers", name)
		e.add(azRes(uid, w[0], w[1], "azure_network_watcher", name, azTags("cloud-platform", azEnv(w[0])), time.Time{}),
			map[string]any{"properties": map[string]any{"provisioning_state": "Succeeded"}})
	}

	type subnet struct{ name, cidr, nsg string }
	vnet := func(sub, rg, region, name, cidr string, subnets ...subnet) string {
		uid := azRID(sub, rg, "Microsoft.Network/virtualNetworks", name)
		list := make([]map[string]any, 0, len(subnets))
		for _, s := range subnets {
			p := map[string]any{"address_prefix": s.cidr, "private_endpoint_network_policies": "Disabled"}
			if s.nsg != "" {
				p["network_security_group"] = map[string]any{"id": azRID(sub, rg, "Microsoft.Network/networkSecurityGroups", s.nsg)}
			}
			list = append(list, map[string]any{"name": s.name, "id": uid + "/subnets/" + s.name, "properties": p})
		}
		props := map[string]any{
			"provisioning_state":     "Succeeded",
			"address_space":          map[string]any{"address_prefixes": []string{cidr}},
			"enable_ddos_protection": sub == azProd,
			"subnets":                list,
		}
		if sub == azProd {
			props["ddos_protection_plan"] = map[string]any{"id": azRID(azProd, "rg-network-eus", "Microsoft.Network/ddosProtectionPlans", "ddos-acme")}
		}
		e.add(azRes(uid, sub, region, "azure_virtual_network", name, azTags("network-team", azEnv(sub)), time.Time{}), map[string]any{"properties": props})
		if sub == azSandbox {
			e.plant(uid, "azure-vnet-ddos-protection", "sandbox networks are left out of the DDoS protection plan")
		}
		return uid
	}
	vnet(azProd, "rg-network-eus", "eastus", "vnet-prod-eus", "10.10.0.0/16",
		subnet{"snet-app", "10.10.1.0/24", "nsg-app-eus"}, subnet{"snet-data", "10.10.2.0/24", "nsg-data-eus"},
		subnet{"snet-mgmt", "10.10.3.0/24", "nsg-mgmt-eus"}, subnet{"AzureBastionSubnet", "10.10.250.0/26", ""},
		subnet{"GatewaySubnet", "10.10.255.0/27", ""})
	vnet(azProd, "rg-network-weu", "westeurope", "vnet-prod-weu", "10.20.0.0/16",
		subnet{"snet-app", "10.20.1.0/24", "nsg-app-weu"}, subnet{"snet-data", "10.20.2.0/24", "nsg-data-weu"})
	sbxEus := vnet(azSandbox, "rg-sandbox", "eastus", "vnet-sbx-eus", "10.90.0.0/16",
		subnet{"snet-dev", "10.90.1.0/24", "nsg-sbx-dev"}, subnet{"snet-jump", "10.90.2.0/24", "nsg-sbx-jump"},
		subnet{"snet-scratch", "10.90.3.0/24", ""})
	e.plant(sbxEus, "azure-vnet-subnets-have-nsg", "snet-scratch has no network security group")
	sbxWeu := vnet(azSandbox, "rg-sandbox-weu", "westeurope", "vnet-sbx-weu", "10.91.0.0/16",
		subnet{"snet-dev", "10.91.1.0/24", "nsg-sbx-legacy"})
	e.plant(sbxWeu, "azure-network-watcher-enabled", "the sandbox uses westeurope but Network Watcher was never enabled there")

	nsg := func(sub, rg, region, name string, n *azNSG) string {
		uid := azRID(sub, rg, "Microsoft.Network/networkSecurityGroups", name)
		e.add(azRes(uid, sub, region, "azure_network_security_group", name, azTags("network-team", azEnv(sub)), time.Time{}), n)
		return uid
	}
	sn := func(sub, rg, vn, s string) []azID {
		return []azID{{ID: azRID(sub, rg, "Microsoft.Network/virtualNetworks", vn) + "/subnets/" + s}}
	}
	u := nsg(azProd, "rg-network-eus", "eastus", "nsg-app-eus", azNSGOf("1b7e7c4e-0001-4a8e-9c1d-5f2a3b4c5d01", sn(azProd, "rg-network-eus", "vnet-prod-eus", "snet-app"),
		azRuleOf("allow-https-internet", 100, "Inbound", "Allow", "Tcp", "Internet", "443"),
		azRuleOf("deny-ssh-internet", 200, "Inbound", "Deny", "Tcp", "Internet", "22")))
	e.plant(u, "azure-nsg-http-restricted", "the public web tier takes HTTPS straight from the internet instead of through the Application Gateway")
	nsg(azProd, "rg-network-eus", "eastus", "nsg-data-eus", azNSGOf("1b7e7c4e-0002-4a8e-9c1d-5f2a3b4c5d02", sn(azProd, "rg-network-eus", "vnet-prod-eus", "snet-data"),
		azRuleOf("allow-sql-from-app", 100, "Inbound", "Allow", "Tcp", "10.10.1.0/24", "1433")))
	mgmt := azRuleOf("allow-ssh-rdp-bastion", 100, "Inbound", "Allow", "Tcp", "10.10.250.0/26", "")
	mgmt.Properties.DestinationPortRanges = []string{"22", "3389"}
	nsg(azProd, "rg-network-eus", "eastus", "nsg-mgmt-eus", azNSGOf("1b7e7c4e-0003-4a8e-9c1d-5f2a3b4c5d03", sn(azProd, "rg-network-eus", "vnet-prod-eus", "snet-mgmt"), mgmt))
	u = nsg(azProd, "rg-network-weu", "westeurope", "nsg-app-weu", azNSGOf("1b7e7c4e-0004-4a8e-9c1d-5f2a3b4c5d04", sn(azProd, "rg-network-weu", "vnet-prod-weu", "snet-app"),
		azRuleOf("allow-https-internet", 100, "Inbound", "Allow", "Tcp", "Internet", "443"),
		azRuleOf("allow-http-internet", 110, "Inbound", "Allow", "Tcp", "Internet", "80")))
	e.plant(u, "azure-nsg-http-restricted", "the westeurope web tier serves HTTP and HTTPS directly to the internet")
	nsg(azProd, "rg-network-weu", "westeurope", "nsg-data-weu", azNSGOf("1b7e7c4e-0005-4a8e-9c1d-5f2a3b4c5d05", sn(azProd, "rg-network-weu", "vnet-prod-weu", "snet-data"),
		azRuleOf("allow-pg-from-app", 100, "Inbound", "Allow", "Tcp", "10.20.1.0/24", "5432"),
		azRuleOf("allow-ssh-out", 100, "Outbound", "Allow", "Tcp", "*", "22")))

	dev := azRuleOf("allow-dev-ports", 100, "Inbound", "Allow", "*", "*", "")
	dev.Properties.DestinationPortRanges = []string{"22", "8080"}
	u = nsg(azSandbox, "rg-sandbox", "eastus", "nsg-sbx-dev", azNSGOf("1b7e7c4e-0006-4a8e-9c1d-5f2a3b4c5d06", sn(azSandbox, "rg-sandbox", "vnet-sbx-eus", "snet-dev"), dev))
	e.plant(u, "azure-nsg-ssh-restricted", "allows SSH (22) from any source (*) for developer convenience")
	e.plant(u, "azure-nsg-udp-restricted", "the developer rule allows every protocol, UDP included, from any source")
	u = nsg(azSandbox, "rg-sandbox", "eastus", "nsg-sbx-jump", azNSGOf("1b7e7c4e-0007-4a8e-9c1d-5f2a3b4c5d07", sn(azSandbox, "rg-sandbox", "vnet-sbx-eus", "snet-jump"),
		azRuleOf("allow-rdp", 300, "Inbound", "Allow", "Tcp", "Internet", "3389")))
	e.plant(u, "azure-nsg-rdp-restricted", "jump host NSG allows RDP from the Internet service tag")
	legacy := azRuleOf("legacy-app-range", 400, "Inbound", "Allow", "Tcp", "", "3000-4000")
	legacy.Properties.SourceAddressPrefixes = []string{"198.51.100.0/24", "0.0.0.0/0"}
	u = nsg(azSandbox, "rg-sandbox-weu", "westeurope", "nsg-sbx-legacy", azNSGOf("1b7e7c4e-0008-4a8e-9c1d-5f2a3b4c5d08", sn(azSandbox, "rg-sandbox-weu", "vnet-sbx-weu", "snet-dev"), legacy))
	e.plant(u, "azure-nsg-rdp-restricted", "port range 3000-4000 open to 0.0.0.0/0 includes RDP (3389)")
}

func (e *estate) azureStorage() {
	acct := func(sub, rg, region, name, owner string, s *azStorageAccount) string {
		uid := azRID(sub, rg, "Microsoft.Storage/storageAccounts", name)
		e.add(azRes(uid, sub, region, "azure_storage_account", name, azTags(owner, azEnv(sub)), time.Time{}), s)
		return uid
	}
	cont := func(acctUID, sub, region, name string, c *azContainer) string {
		uid := acctUID + "/blobServices/default/containers/" + name
		e.add(azRes(uid, sub, region, "azure_storage_container", name, nil, time.Time{}), c)
		e.edge(uid, acctUID, "in_storage_account")
		return uid
	}
	kvProd := azRID(azProd, "rg-security", "Microsoft.KeyVault/vaults", "kv-acme-prod-eus")

	logs := e.azCleanStorage(days(1300))
	logs.Properties.Encryption.KeySource = "Microsoft.Keyvault"
	logs.Properties.Encryption.KeyVaultProperties = &struct {
		KeyName     string `json:"keyname"`
		KeyVersion  string `json:"keyversion"`
		KeyVaultURI string `json:"keyvaulturi"`
	}{"cmk-storage", "", "https://kv-acme-prod-eus.vault.azure.net/"}
	logs.Properties.AllowSharedKeyAccess = false
	u := acct(azProd, "rg-monitoring", "eastus", "acmeprodlogs", "secops", logs)
	e.edge(u, kvProd, "encrypted_with")
	cont(u, azProd, "eastus", "insights-activity-logs", e.azNewContainer("None", days(1)))

	data := e.azCleanStorage(days(900))
	data.SKU.Name = "Standard_RAGZRS"
	u = acct(azProd, "rg-data-weu", "westeurope", "acmeproddata", "data-platform", data)
	cont(u, azProd, "westeurope", "exports", e.azNewContainer("None", days(2)))
	cont(u, azProd, "westeurope", "raw", e.azNewContainer("None", days(1)))

	web := e.azCleanStorage(days(500))
	u = acct(azProd, "rg-web-eus", "eastus", "acmeprodweb", "web-team", web)
	cont(u, azProd, "eastus", "assets", e.azNewContainer("None", days(5)))

	pub := e.azCleanStorage(days(200))
	pub.SKU.Name = "Standard_LRS"
	pub.Properties.AllowBlobPublicAccess = true
	pub.Properties.NetworkACLs.DefaultAction = "Allow"
	pub.Properties.NetworkACLs.IPRules = []azIPRule{}
	pub.Locks = []azLock{}
	pub.Properties.PublicNetworkAccess = "Enabled"
	pub.Properties.PrivateEndpointConnections = []azPrivateEndpointConnection{}
	u = acct(azSandbox, "rg-sandbox", "eastus", "acmesbxpublic", "growth-team", pub)
	e.plant(u, "azure-storage-geo-redundant", "shared downloads kept in a single region (LRS)")
	e.plant(u, "azure-storage-public-network-disabled", "public endpoint left on to share downloads")
	e.plant(u, "azure-storage-private-endpoint", "no private endpoint: everything goes through the public endpoint")
	e.plant(u, "azure-storage-delete-lock", "no delete lock on the account or its resource group: one command deletes the shared downloads")
	e.plant(u, "azure-storage-blob-public-access-disabled", "anonymous blob access allowed to share demo downloads")
	e.plant(u, "azure-storage-default-network-deny", "storage firewall left open to all networks")
	c := cont(u, azSandbox, "eastus", "downloads", e.azNewContainer("Blob", days(3)))
	e.plant(c, "azure-storage-container-not-public", "container serves blobs anonymously")
	cont(u, azSandbox, "eastus", "internal", e.azNewContainer("None", days(3)))

	leg := e.azCleanStorage(days(2100))
	leg.Kind = "Storage"
	leg.SKU.Name = "Standard_LRS"
	leg.Properties.SupportsHTTPSTrafficOnly = false
	leg.Properties.MinimumTLSVersion = "TLS1_0"
	leg.Properties.AllowSharedKeyAccess = true
	leg.Properties.PublicNetworkAccess = "Enabled"
	leg.Properties.PrivateEndpointConnections = []azPrivateEndpointConnection{}
	leg.Properties.DefaultToOAuthAuthentication = false
	leg.Properties.KeyPolicy = nil
	leg.Properties.KeyCreationTime.Key1 = e.ago(days(2100))
	leg.Properties.KeyCreationTime.Key2 = e.ago(days(700))
	leg.BlobService.Properties.IsVersioningEnabled = false
	leg.FileService.Properties.ShareDeleteRetentionPolicy = azRetention{Enabled: false}
	leg.FileService.Properties.ProtocolSettings.SMB.Versions = ""
	leg.FileService.Properties.ProtocolSettings.SMB.ChannelEncryption = ""
	u = acct(azSandbox, "rg-sandbox", "eastus", "acmesbxlegacy", "growth-team", leg)
	e.plant(u, "azure-storage-geo-redundant", "legacy account kept in a single region (LRS)")
	e.plant(u, "azure-storage-public-network-disabled", "legacy account still reached over its public endpoint")
	e.plant(u, "azure-storage-private-endpoint", "legacy account predates private endpoints and never got one")
	e.plant(u, "azure-storage-shared-key-disabled", "old deployment scripts still sign requests with the account key")
	e.plant(u, "azure-storage-default-oauth", "the portal still reads data with the account key")
	e.plant(u, "azure-storage-key-expiration-policy", "no key expiration policy on the legacy account")
	e.plant(u, "azure-storage-keys-rotated-90-days", "key1 has not been regenerated since the account was created")
	e.plant(u, "azure-storage-blob-versioning", "blob versioning never enabled on the legacy account")
	e.plant(u, "azure-storage-file-share-soft-delete", "deleted file shares cannot be recovered")
	e.plant(u, "azure-storage-smb-311", "file shares still accept SMB 2.1 and 3.0 for old Windows servers")
	e.plant(u, "azure-storage-smb-aes256", "SMB channel encryption still allows AES-128")
	e.plant(u, "azure-storage-secure-transfer-required", "legacy account still accepts plain HTTP")
	e.plant(u, "azure-storage-minimum-tls-12", "legacy account still accepts TLS 1.0 clients")

	exp := e.azCleanStorage(days(20))
	exp.SKU.Name = "Standard_LRS"
	exp.Properties.NetworkACLs.Bypass = "None"
	exp.Properties.PublicNetworkAccess = "Enabled"
	exp.Properties.PrivateEndpointConnections = []azPrivateEndpointConnection{}
	u = acct(azSandbox, "rg-sandbox-experiments", "centralus", "acmesbxexperiments", "ml-team", exp)
	e.plant(u, "azure-storage-geo-redundant", "experiment data kept in a single region (LRS)")
	e.plant(u, "azure-storage-public-network-disabled", "experiment account reachable on its public endpoint")
	e.plant(u, "azure-storage-private-endpoint", "no private endpoint for the experiment account")
	e.plant(u, "azure-storage-trusted-services-bypass", "firewall denies by default without the trusted-services exception: diagnostic logs cannot be written")
	e.plant(u, "org-allowed-regions", "experiment data stored in centralus, outside the allowed regions")
}

func (e *estate) azureCompute() {
	type vm struct {
		sub, rg, region, name, size, owner string
		data                               bool
	}
	for _, v := range []vm{
		{azProd, "rg-web-eus", "eastus", "vm-prod-web-01", "Standard_D4s_v5", "web-team", false},
		{azProd, "rg-web-eus", "eastus", "vm-prod-web-02", "Standard_D4s_v5", "web-team", false},
		{azProd, "rg-data-weu", "westeurope", "vm-prod-db-01", "Standard_E8s_v5", "data-platform", true},
		{azSandbox, "rg-sandbox", "eastus", "vm-sbx-scratch", "Standard_B2s", "", true},
	} {
		uid := azRID(v.sub, v.rg, "Microsoft.Compute/virtualMachines", v.name)
		osID := azRID(v.sub, v.rg, "Microsoft.Compute/disks", v.name+"_OsDisk")
		dataID := ""
		if v.data {
			dataID = azRID(v.sub, v.rg, "Microsoft.Compute/disks", v.name+"_data0")
		}
		nic := azRID(v.sub, v.rg, "Microsoft.Network/networkInterfaces", v.name+"-nic")
		tags := azTags(v.owner, azEnv(v.sub))
		diskOwner := v.owner
		if v.owner == "" {
			diskOwner = "growth-team"
			tags = map[string]string{"environment": "sandbox", "purpose": "scratch"}
			e.plant(uid, "org-required-tags", "VM created by hand in the portal without the owner tag")
		}
		e.add(azRes(uid, v.sub, v.region, "azure_virtual_machine", v.name, tags, e.now.Add(-days(300))), e.azCleanVM(v.name, v.size, osID, dataID, nic, days(300)))
		os := e.azCleanDisk(uid, 64, days(300))
		os.Properties.OSType = "Linux"
		e.add(azRes(osID, v.sub, v.region, "azure_managed_disk", v.name+"_OsDisk", azTags(diskOwner, azEnv(v.sub)), time.Time{}), os)
		e.edge(uid, osID, "attached_volume")
		if v.data {
			d := e.azCleanDisk(uid, 256, days(300))
			if v.sub == azSandbox {
				d.Properties.NetworkAccessPolicy = "AllowAll"
				d.Properties.PublicNetworkAccess = "Enabled"
				e.plant(dataID, "azure-disk-network-access-restricted", "data disk can be exported over SAS from any network")
			}
			e.add(azRes(dataID, v.sub, v.region, "azure_managed_disk", v.name+"_data0", azTags(diskOwner, azEnv(v.sub)), time.Time{}), d)
			e.edge(uid, dataID, "attached_volume")
		}
	}

	// A legacy VM on an unmanaged VHD disk.
	leg := azRID(azSandbox, "rg-sandbox", "Microsoft.Compute/virtualMachines", "vm-sbx-legacy")
	lv := e.azCleanVM("vm-sbx-legacy", "Standard_A2_v2", "", "", azRID(azSandbox, "rg-sandbox", "Microsoft.Network/networkInterfaces", "vm-sbx-legacy-nic"), days(1900))
	lv.Identity = nil
	lv.Properties.StorageProfile.OSDisk.ManagedDisk = nil
	lv.Properties.StorageProfile.OSDisk.Vhd = &azVhd{URI: "https://acmesbxlegacy.blob.core.windows.net/vhds/vm-sbx-legacy-os.vhd"}
	lv.Properties.SecurityProfile.SecurityType = ""
	lv.Properties.SecurityProfile.UefiSettings.SecureBootEnabled = false
	lv.Properties.SecurityProfile.UefiSettings.VTpmEnabled = false
	e.add(azRes(leg, azSandbox, "eastus", "azure_virtual_machine", "vm-sbx-legacy", azTags("growth-team", "sandbox"), e.now.Add(-days(1900))), lv)
	e.plant(leg, "azure-vm-managed-disks", "OS disk is an unmanaged VHD page blob in a storage account")

	// Unattached disks: prod's keeps a customer key, the sandbox's does not.
	des := azRID(azProd, "rg-security", "Microsoft.Compute/diskEncryptionSets", "des-acme-prod")
	kept := e.azCleanDisk("", 512, days(60))
	kept.Properties.Encryption.Type = "EncryptionAtRestWithCustomerKey"
	kept.Properties.Encryption.DiskEncryptionSetID = des
	keptID := azRID(azProd, "rg-data-weu", "Microsoft.Compute/disks", "disk-db-restore-2026-09")
	e.add(azRes(keptID, azProd, "westeurope", "azure_managed_disk", "disk-db-restore-2026-09", azTags("data-platform", "production"), time.Time{}), kept)
	orphan := e.azCleanDisk("", 128, days(400))
	orphanID := azRID(azSandbox, "rg-sandbox", "Microsoft.Compute/disks", "disk-sbx-orphan")
	e.add(azRes(orphanID, azSandbox, "eastus", "azure_managed_disk", "disk-sbx-orphan", azTags("growth-team", "sandbox"), time.Time{}), orphan)
	e.plant(orphanID, "azure-disk-unattached-cmk", "disk left behind by a deleted VM, encrypted only with the platform key")
}

func (e *estate) azurePaaS() {
	// Key vaults.
	for _, kv := range [][3]string{{azProd, "rg-security", "eastus"}, {azProd, "rg-security-weu", "westeurope"}} {
		name := "kv-acme-prod-eus"
		if kv[2] == "westeurope" {
			name = "kv-acme-prod-weu"
		}
		uid := azRID(kv[0], kv[1], "Microsoft.KeyVault/vaults", name)
		e.add(azRes(uid, kv[0], kv[2], "azure_key_vault", name, azTags("secops", "production"), time.Time{}), e.azCleanVault(kv[0], name))
	}
	sbx := e.azCleanVault(azSandbox, "kv-acme-sbx")
	sbx.Properties.EnablePurgeProtection = false
	sbx.Properties.PrivateEndpointConnections = []azPrivateEndpointConnection{}
	sbx.Keys[0].RotationPolicy = azRotation(false)
	sbx.Certificates = []map[string]any{azCert("demo-sbx", 24)}
	sbx.Secrets = append(sbx.Secrets, e.azKVItemOf("stripe-test-key", days(250), 0))
	sbxID := azRID(azSandbox, "rg-sandbox", "Microsoft.KeyVault/vaults", "kv-acme-sbx")
	e.add(azRes(sbxID, azSandbox, "eastus", "azure_key_vault", "kv-acme-sbx", azTags("growth-team", "sandbox"), time.Time{}), sbx)
	e.plant(sbxID, "azure-keyvault-key-rotation", "the sandbox key only notifies before expiry; it never rotates")
	e.plant(sbxID, "azure-keyvault-certificate-validity", "demo certificate issued for 24 months")
	e.plant(sbxID, "azure-keyvault-private-endpoint", "sandbox vault has no private endpoint; clients can only reach it publicly")
	e.plant(sbxID, "azure-keyvault-purge-protection", "purge protection off: a deleted vault's keys can be purged before recovery")
	e.plant(sbxID, "azure-keyvault-secret-expiry", "secret stripe-test-key has no expiry date")

	// SQL servers.
	u := azRID(azProd, "rg-data-eus", "Microsoft.Sql/servers", "sql-acme-prod-eus")
	e.add(azRes(u, azProd, "eastus", "azure_sql_server", "sql-acme-prod-eus", azTags("data-platform", "production"), time.Time{}), e.azCleanSQL("sql-acme-prod-eus", "orders"))
	open := e.azCleanSQL("sql-acme-sbx", "scratch")
	var all azFirewallRule
	all.Name = "AllowAll"
	all.Properties.StartIPAddress = "0.0.0.0"
	all.Properties.EndIPAddress = "255.255.255.255"
	open.FirewallRules = append(open.FirewallRules, all)
	u = azRID(azSandbox, "rg-sandbox", "Microsoft.Sql/servers", "sql-acme-sbx")
	e.add(azRes(u, azSandbox, "eastus", "azure_sql_server", "sql-acme-sbx", azTags("growth-team", "sandbox"), time.Time{}), open)
	e.plant(u, "azure-sql-no-allow-all-firewall", "firewall rule 0.0.0.0-255.255.255.255 opens the server to the whole internet")

	// App Service.
	plan := azRID(azProd, "rg-web-eus", "Microsoft.Web/serverfarms", "asp-acme-prod-eus")
	u = azRID(azProd, "rg-web-eus", "Microsoft.Web/sites", "app-acme-web-eus")
	e.add(azRes(u, azProd, "eastus", "azure_app_service", "app-acme-web-eus", azTags("web-team", "production"), time.Time{}), azCleanApp("app,linux", "app-acme-web-eus", plan))
	fplan := azRID(azProd, "rg-orders-weu", "Microsoft.Web/serverfarms", "asp-acme-orders-weu")
	u = azRID(azProd, "rg-orders-weu", "Microsoft.Web/sites", "func-acme-orders-weu")
	e.add(azRes(u, azProd, "westeurope", "azure_app_service", "func-acme-orders-weu", azTags("orders-team", "production"), time.Time{}), azCleanApp("functionapp,linux", "func-acme-orders-weu", fplan))
	demo := azCleanApp("app,linux", "app-acme-sbx-demo", azRID(azSandbox, "rg-sandbox", "Microsoft.Web/serverfarms", "asp-sbx"))
	demo.Properties.HTTPSOnly = false
	demo.Properties.SiteConfig.FtpsState = "AllAllowed"
	demo.AppSettings = append(demo.AppSettings, azAppSetting{Name: "STRIPE_SECRET_KEY", LooksLikeSecret: true})
	demo.DiagnosticSettings = []azDiagSetting{}
	u = azRID(azSandbox, "rg-sandbox", "Microsoft.Web/sites", "app-acme-sbx-demo")
	e.add(azRes(u, azSandbox, "eastus", "azure_app_service", "app-acme-sbx-demo", azTags("growth-team", "sandbox"), time.Time{}), demo)
	e.plant(u, "azure-appservice-https-only", "demo app still serves plain HTTP")
	e.plant(u, "azure-appservice-ftps-disabled", "plain FTP deployment left enabled")
	e.plant(u, "azure-appservice-http-logs", "no diagnostic setting: the demo app's HTTP requests are not logged")
	e.plant(u, "azure-appservice-no-plaintext-secrets", "Stripe secret key pasted into an application setting instead of a Key Vault reference")

	// AKS (the sandbox has no AKS: the namespace is not registered there).
	aks := func(region, name string, private bool) string {
		uid := azRID(azProd, "rg-aks-"+region, "Microsoft.ContainerService/managedClusters", name)
		props := map[string]any{
			"provisioning_state":     "Succeeded",
			"kubernetes_version":     "1.31.3",
			"dns_prefix":             name,
			"fqdn":                   name + "-dns.hcp." + region + ".azmk8s.io",
			"enable_rbac":            true,
			"disable_local_accounts": true,
			"aad_profile":            map[string]any{"managed": true, "enable_azure_rbac": true, "admin_group_object_i_ds": []string{"2b8d6f3a-1c4e-4f7b-9a2d-6e5c8b1f0a3d"}},
			"network_profile":        map[string]any{"network_plugin": "azure", "network_policy": "cilium", "outbound_type": "loadBalancer"},
			"agent_pool_profiles": []any{
				map[string]any{"name": "system", "count": 3, "vm_size": "Standard_D4s_v5", "os_type": "Linux", "mode": "System", "enable_node_public_ip": false, "enable_encryption_at_host": true},
				map[string]any{"name": "work", "count": 6, "vm_size": "Standard_D8s_v5", "os_type": "Linux", "mode": "User", "enable_node_public_ip": false, "enable_encryption_at_host": true},
			},
			"addon_profiles": map[string]any{"azurepolicy": map[string]any{"enabled": true}, "omsagent": map[string]any{"enabled": true}},
		}
		if private {
			props["api_server_access_profile"] = map[string]any{"enable_private_cluster": true, "authorized_ip_ranges": []string{}}
		}
		e.add(azRes(uid, azProd, region, "azure_aks_cluster", name, azTags("platform-team", "production"), e.now.Add(-days(400))), map[string]any{
			"identity":   map[string]any{"type": "SystemAssigned"},
			"sku":        map[string]any{"name": "Base", "tier": "Standard"},
			"properties": props,
		})
		return uid
	}
	aks("eastus", "aks-acme-prod-eus", true)
	u = aks("westeurope", "aks-acme-batch-weu", false)
	e.plant(u, "azure-aks-api-server-restricted", "batch cluster's API server is public with no authorized IP ranges")
}

// azureTenant emits the Entra tenant behind both subscriptions. It runs on
// security defaults, so the Conditional Access checks do not apply; its
// tenant settings are left at several permissive defaults.
func (e *estate) azureTenant() {
	uid := "/tenants/" + azTenant
	e.add(azRes(uid, azTenant, resource.GlobalRegion, "azure_entra_tenant", azTenant, nil, time.Time{}), map[string]any{
		"tenant_id":         azTenant,
		"security_defaults": map[string]any{"is_enabled": true},
		"authorization_policy": map[string]any{
			"allow_invites_from":                              "everyone",
			"guest_user_role_id":                              "2af84b1e-32c8-42b7-82bc-daa82404023b",
			"allowed_to_sign_up_email_based_subscriptions":    false,
			"allowed_to_use_sspr":                             true,
			"allow_email_verified_users_to_join_organization": false,
			"block_msol_power_shell":                          true,
			"default_user_role_permissions": map[string]any{
				"allowed_to_create_apps":            false,
				"allowed_to_create_security_groups": false,
				"allowed_to_create_tenants":         true,
				"allowed_to_read_other_users":       true,
				"permission_grant_policies_assigned": []string{
					"ManagePermissionGrantsForSelf.microsoft-user-default-low",
					"ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team",
				},
			},
		},
		"conditional_access_policies": []any{},
		"named_locations":             []any{map[string]any{"id": "5e1c9a7b-3d2f-4b8e-a6c4-0f9d7b5e3a21", "display_name": "Blocked countries"}},
		"global_administrators":       4,
		"group_settings": []any{
			map[string]any{"display_name": "Password Rule Settings", "template_id": "5cf42378-d67d-4f36-ba46-e8b86229381d", "values": []any{
				map[string]any{"name": "LockoutThreshold", "value": "10"}, map[string]any{"name": "LockoutDurationInSeconds", "value": "60"},
				map[string]any{"name": "EnableBannedPasswordCheck", "value": "True"}, map[string]any{"name": "BannedPasswordList", "value": "acme\tacmecorp\tacme2026"},
			}},
			map[string]any{"display_name": "Group.Unified", "template_id": "62375ab9-6b52-47ed-826b-58e47e0e304b", "values": []any{
				map[string]any{"name": "EnableGroupCreation", "value": "true"},
			}},
		},
		"subscription_policy": map[string]any{"properties": map[string]any{
			"block_subscriptions_leaving_tenant": true, "block_subscriptions_into_tenant": true,
		}},
		"diagnostic_settings": []azDiagSetting{azDiag(azProd, "entra-to-law", "AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs",
			"ServicePrincipalSignInLogs", "ManagedIdentitySignInLogs", "ProvisioningLogs")},
		"mfa_registration": map[string]any{
			"users": 412, "users_mfa_registered": 409, "admins": 6, "admins_mfa_registered": 6, "admins_without_mfa": []string{},
		},
	})
	e.plant(uid, "azure-entra-guest-invites-restricted", "any user, guests included, may invite external users (the tenant default)")
	e.plant(uid, "azure-entra-users-cannot-create-tenants", "non-admin users may still create Entra tenants")
	e.plant(uid, "azure-entra-user-consent-disabled", "users may consent to low-risk apps from verified publishers instead of going through admin consent")
	e.plant(uid, "azure-entra-trusted-named-location", "only a country block list is defined: no trusted office ranges")
	e.plant(uid, "azure-entra-mfa-registered-all-users", "three users never registered an MFA method")
	e.plant(uid, "azure-entra-m365-group-creation-restricted", "anyone can create Microsoft 365 groups (and their Teams and SharePoint sites)")
	e.plant(uid, "azure-entra-diagnostic-graph-activity-logs", "Microsoft Graph activity logs are not exported")
}

// azureGateways emits the Databricks workspaces, Application Gateways, WAF
// policies and VPN gateways.
func (e *estate) azureGateways() {
	law := "/subscriptions/" + azProd + "/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security"
	vnetWeu := azRID(azProd, "rg-network-weu", "Microsoft.Network/virtualNetworks", "vnet-prod-weu")
	pv := func(v any) map[string]any { return map[string]any{"value": v} }
	approved := []any{map[string]any{"id": "pe-databricks", "properties": map[string]any{
		"private_link_service_connection_state": map[string]any{"status": "Approved"}}}}

	dbw := azRID(azProd, "rg-data-weu", "Microsoft.Databricks/workspaces", "dbw-acme-analytics")
	d := azDiag(azProd, "to-law")
	d.Properties.WorkspaceID = law
	d.Properties.Logs = []azDiagLog{{CategoryGroup: "allLogs", Enabled: true}}
	e.add(azRes(dbw, azProd, "westeurope", "azure_databricks_workspace", "dbw-acme-analytics", azTags("data-platform", "production"), time.Time{}), map[string]any{
		"sku": map[string]any{"name": "premium"},
		"properties": map[string]any{
			"provisioning_state": "Succeeded", "workspace_url": "adb-4829104718.8.azuredatabricks.net",
			"managed_resource_group_id": "/subscriptions/" + azProd + "/resourceGroups/databricks-rg-dbw-acme-analytics",
			"public_network_access":     "Disabled", "required_nsg_rules": "NoAzureDatabricksRules",
			"parameters": map[string]any{
				"custom_virtual_network_id": pv(vnetWeu), "custom_public_subnet_name": pv("snet-app"),
				"custom_private_subnet_name": pv("snet-data"), "enable_no_public_ip": pv(true),
				"require_infrastructure_encryption": pv(true),
			},
			"encryption": map[string]any{"entities": map[string]any{"managed_services": map[string]any{
				"key_source": "Microsoft.Keyvault", "key_vault_properties": map[string]any{
					"key_vault_uri": "https://kv-acme-prod-weu.vault.azure.net/", "key_name": "cmk-databricks", "key_version": "7f3a"}}}},
			"private_endpoint_connections": approved,
		},
		"diagnostic_settings": []azDiagSetting{d},
	})
	e.edge(dbw, vnetWeu, "in_network")

	sdb := azRID(azSandbox, "rg-sandbox", "Microsoft.Databricks/workspaces", "dbw-acme-sbx")
	e.add(azRes(sdb, azSandbox, "eastus", "azure_databricks_workspace", "dbw-acme-sbx", azTags("growth-team", "sandbox"), time.Time{}), map[string]any{
		"sku": map[string]any{"name": "premium"},
		"properties": map[string]any{
			"provisioning_state": "Succeeded", "workspace_url": "adb-7730158264.4.azuredatabricks.net",
			"managed_resource_group_id": "/subscriptions/" + azSandbox + "/resourceGroups/databricks-rg-dbw-acme-sbx",
			"public_network_access":     "Enabled", "required_nsg_rules": "AllRules",
			"parameters":                   map[string]any{"enable_no_public_ip": pv(false)},
			"private_endpoint_connections": []any{},
		},
		"diagnostic_settings": []azDiagSetting{},
	})
	e.plant(sdb, "azure-databricks-vnet-injection", "sandbox workspace runs in a Databricks-managed network")
	e.plant(sdb, "azure-databricks-no-public-ip", "cluster nodes get public IP addresses")
	e.plant(sdb, "azure-databricks-public-network-disabled", "workspace UI and API open to the internet")
	e.plant(sdb, "azure-databricks-private-endpoint", "no Private Link for the sandbox workspace")
	e.plant(sdb, "azure-databricks-cmk", "notebooks and secrets encrypted with Microsoft-managed keys only")
	e.plant(sdb, "azure-databricks-diagnostic-logs", "Databricks audit logs are not delivered anywhere")

	// Application Gateways and WAF policies.
	waf := func(sub, rg, name, owner string, body, bot bool, gateways []string) string {
		uid := azRID(sub, rg, "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", name)
		sets := []any{map[string]any{"rule_set_type": "Microsoft_DefaultRuleSet", "rule_set_version": "2.1"}}
		if bot {
			sets = append(sets, map[string]any{"rule_set_type": "Microsoft_BotManagerRuleSet", "rule_set_version": "1.0"})
		}
		gws := make([]any, len(gateways))
		for i, g := range gateways {
			gws[i] = map[string]any{"id": g}
		}
		e.add(azRes(uid, sub, "eastus", "azure_application_gateway_waf_policy", name, azTags(owner, azEnv(sub)), time.Time{}), map[string]any{
			"properties": map[string]any{
				"provisioning_state": "Succeeded",
				"policy_settings": map[string]any{"state": "Enabled", "mode": "Prevention", "request_body_check": body,
					"max_request_body_size_in_kb": 128, "file_upload_limit_in_mb": 100},
				"managed_rules":        map[string]any{"managed_rule_sets": sets},
				"application_gateways": gws,
			},
		})
		return uid
	}
	agw := azRID(azProd, "rg-network-eus", "Microsoft.Network/applicationGateways", "agw-acme-web-eus")
	wp := waf(azProd, "rg-network-eus", "waf-acme-web-eus", "network-team", true, true, []string{agw})
	gateway := func(sub, rg, name, owner, tier string, props map[string]any) string {
		uid := azRID(sub, rg, "Microsoft.Network/applicationGateways", name)
		props["provisioning_state"] = "Succeeded"
		props["operational_state"] = "Running"
		props["sku"] = map[string]any{"name": tier, "tier": tier, "capacity": 2}
		props["http_listeners"] = []any{map[string]any{"name": "https", "properties": map[string]any{"protocol": "Https"}}}
		e.add(azRes(uid, sub, "eastus", "azure_application_gateway", name, azTags(owner, azEnv(sub)), time.Time{}), map[string]any{"properties": props})
		return uid
	}
	gateway(azProd, "rg-network-eus", "agw-acme-web-eus", "network-team", "WAF_v2", map[string]any{
		"enable_http2":    true,
		"ssl_policy":      map[string]any{"policy_type": "Predefined", "policy_name": "AppGwSslPolicy20220101S"},
		"firewall_policy": map[string]any{"id": wp},
	})
	e.edge(agw, wp, "protected_by")
	u := gateway(azSandbox, "rg-sandbox", "agw-acme-sbx", "growth-team", "Standard_v2", map[string]any{
		"enable_http2": false,
		"ssl_policy":   map[string]any{"policy_type": "Predefined", "policy_name": "AppGwSslPolicy20150501"},
	})
	e.plant(u, "azure-appgw-waf-enabled", "sandbox gateway on the Standard tier: no WAF in front of the demo apps")
	e.plant(u, "azure-appgw-tls-12", "the 2015 predefined SSL policy still accepts TLS 1.0")
	e.plant(u, "azure-appgw-http2", "HTTP/2 left off")
	u = waf(azSandbox, "rg-sandbox", "waf-acme-trial", "growth-team", false, false, nil)
	e.plant(u, "azure-waf-policy-request-body-inspection", "trial WAF policy does not inspect request bodies")
	e.plant(u, "azure-waf-policy-bot-protection", "trial WAF policy has no bot protection rule set")

	// VPN gateways with point-to-site access.
	vgw := func(sub, rg, name, owner string, auth []string, protocols []string) string {
		uid := azRID(sub, rg, "Microsoft.Network/virtualNetworkGateways", name)
		e.add(azRes(uid, sub, "eastus", "azure_virtual_network_gateway", name, azTags(owner, azEnv(sub)), time.Time{}), map[string]any{
			"properties": map[string]any{
				"provisioning_state": "Succeeded", "gateway_type": "Vpn", "vpn_type": "RouteBased",
				"sku":                      map[string]any{"name": "VpnGw2AZ", "tier": "VpnGw2AZ"},
				"vpn_client_configuration": map[string]any{"vpn_client_protocols": protocols, "vpn_authentication_types": auth},
			},
		})
		return uid
	}
	vgw(azProd, "rg-network-eus", "vgw-acme-p2s-eus", "network-team", []string{"AAD"}, []string{"OpenVPN"})
	u = vgw(azSandbox, "rg-sandbox", "vgw-acme-sbx", "growth-team", []string{"Certificate"}, []string{"IkeV2", "SSTP"})
	e.plant(u, "azure-vpn-gateway-p2s-entra-auth", "sandbox VPN users connect with shared client certificates, no MFA")
}

// azureData emits the Network Watcher flow logs and the PostgreSQL and
// MySQL flexible servers.
func (e *estate) azureData() {
	law := "/subscriptions/" + azProd + "/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-acme-security"
	logs := azRID(azProd, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs")
	flow := func(sub, region, name, target string, enabled bool, days int, ta bool) string {
		watcher := azRID(sub, "NetworkWatcherRG", "Microsoft.Network/networkWatchers", "NetworkWatcher_"+region)
		uid := watcher + "/flowLogs/" + name
		e.add(azRes(uid, sub, region, "azure_network_watcher_flow_log", name, azTags("network-team", azEnv(sub)), time.Time{}), map[string]any{
			"properties": map[string]any{
				"target_resource_id": target, "storage_id": logs, "enabled": enabled, "provisioning_state": "Succeeded",
				"retention_policy": map[string]any{"enabled": true, "days": days},
				"format":           map[string]any{"type": "JSON", "version": 2},
				"flow_analytics_configuration": map[string]any{"network_watcher_flow_analytics_configuration": map[string]any{
					"enabled": ta, "workspace_resource_id": law, "workspace_region": "eastus", "traffic_analytics_interval": 10,
				}},
			},
		})
		e.edge(uid, target, "monitors")
		e.edge(uid, logs, "writes_to")
		return uid
	}
	flow(azProd, "eastus", "fl-vnet-prod-eus", azRID(azProd, "rg-network-eus", "Microsoft.Network/virtualNetworks", "vnet-prod-eus"), true, 90, true)
	u := flow(azSandbox, "eastus", "fl-vnet-sbx-eus", azRID(azSandbox, "rg-sandbox", "Microsoft.Network/virtualNetworks", "vnet-sbx-eus"), true, 30, false)
	e.plant(u, "azure-network-flow-log-retention-90-days", "sandbox VNet flow records are deleted after 30 days")
	e.plant(u, "azure-network-flow-log-traffic-analytics", "sandbox flow records stay in storage: traffic analytics is off")
	u = flow(azSandbox, "eastus", "fl-nsg-sbx-jump", azRID(azSandbox, "rg-sandbox", "Microsoft.Network/networkSecurityGroups", "nsg-sbx-jump"), false, 90, true)
	e.plant(u, "azure-network-flow-log-enabled", "the jump host's NSG flow log was switched off during a cost review")

	appi := azRID(azProd, "rg-web-eus", "Microsoft.Insights/components", "appi-acme-web-eus")
	e.add(azRes(appi, azProd, "eastus", "azure_application_insights", "appi-acme-web-eus", azTags("web-team", "production"), time.Time{}), map[string]any{
		"kind": "web",
		"properties": map[string]any{
			"application_type": "web", "provisioning_state": "Succeeded", "workspace_resource_id": law, "ingestion_mode": "LogAnalytics",
			"public_network_access_for_ingestion": "Enabled", "public_network_access_for_query": "Enabled", "disable_local_auth": true,
		},
	})
	vnetProd := azRID(azProd, "rg-network-eus", "Microsoft.Network/virtualNetworks", "vnet-prod-eus")
	bas := azRID(azProd, "rg-network-eus", "Microsoft.Network/bastionHosts", "bas-acme-prod-eus")
	e.add(azRes(bas, azProd, "eastus", "azure_bastion_host", "bas-acme-prod-eus", azTags("network-team", "production"), time.Time{}), map[string]any{
		"sku": map[string]any{"name": "Standard"},
		"properties": map[string]any{
			"provisioning_state": "Succeeded", "dns_name": "bst-7f3c9a.bastion.azure.com", "enable_tunneling": true,
			"enable_ip_connect": false, "enable_shareable_link": false, "disable_copy_paste": false,
			"ip_configurations": []any{map[string]any{"name": "ipconf", "properties": map[string]any{
				"subnet": map[string]any{"id": vnetProd + "/subnets/AzureBastionSubnet"}}}},
		},
	})
	e.edge(bas, vnetProd, "in_network")

	type param struct{ name, value, def string }
	server := func(kind, typ, sub, rg, region, name, owner string, sku azSKU, network map[string]any, fw [][3]string, params []param, extra map[string]any) string {
		uid := azRID(sub, rg, typ, name)
		rules := make([]any, 0, len(fw))
		for _, r := range fw {
			rules = append(rules, map[string]any{"name": r[0], "properties": map[string]any{"start_ip_address": r[1], "end_ip_address": r[2]}})
		}
		cfg := make([]any, 0, len(params))
		for _, p := range params {
			src := "system-default"
			if p.value != p.def {
				src = "user-override"
			}
			cfg = append(cfg, map[string]any{"name": p.name, "properties": map[string]any{"value": p.value, "default_value": p.def, "source": src, "data_type": "Enumeration"}})
		}
		props := map[string]any{
			"version": extra["version"], "state": "Ready", "administrator_login": "dbadmin",
			"fully_qualified_domain_name": name + extra["domain"].(string),
			"network":                     network,
			"data_encryption":             map[string]any{"type": "SystemManaged"},
			"backup":                      map[string]any{"backup_retention_days": 14, "geo_redundant_backup": "Enabled"},
			"high_availability":           map[string]any{"mode": "ZoneRedundant"},
		}
		if a, ok := extra["auth_config"]; ok {
			props["auth_config"] = a
		}
		e.add(azRes(uid, sub, region, kind, name, azTags(owner, azEnv(sub)), time.Time{}), map[string]any{
			"sku": sku, "properties": props, "firewall_rules": rules, "configurations": cfg,
		})
		return uid
	}
	pg := func(secure, throttle, retention string) []param {
		return []param{{"require_secure_transport", secure, "on"}, {"ssl_min_protocol_version", "TLSv1.2", "TLSv1.2"}, {"log_checkpoints", "on", "on"},
			{"log_connections", "on", "on"}, {"log_disconnections", "on", "off"}, {"connection_throttle.enable", throttle, "off"}, {"logfiles.retention_days", retention, "3"}}
	}
	pgExtra := map[string]any{"version": "16", "domain": ".postgres.database.azure.com",
		"auth_config": map[string]any{"active_directory_auth": "Enabled", "password_auth": "Disabled"}}
	private := func(sub, rg, vnet, subnet string) map[string]any {
		return map[string]any{"public_network_access": "Disabled", "delegated_subnet_resource_id": azRID(sub, rg, "Microsoft.Network/virtualNetworks", vnet) + "/subnets/" + subnet}
	}
	server("azure_postgresql_flexible_server", "Microsoft.DBforPostgreSQL/flexibleServers", azProd, "rg-data-weu", "westeurope", "pg-acme-orders-weu", "orders-team",
		azSKU{Name: "Standard_D4ds_v5", Tier: "GeneralPurpose"}, private(azProd, "rg-network-weu", "vnet-prod-weu", "snet-data"), nil, pg("on", "on", "7"), pgExtra)
	u = server("azure_postgresql_flexible_server", "Microsoft.DBforPostgreSQL/flexibleServers", azSandbox, "rg-sandbox", "eastus", "pg-acme-sbx", "growth-team",
		azSKU{Name: "Standard_B1ms", Tier: "Burstable"}, map[string]any{"public_network_access": "Enabled"},
		[][3]string{{"AllowAllAzureServicesAndResourcesWithinAzureIps_2025-5-12", "0.0.0.0", "0.0.0.0"}}, pg("off", "off", "3"), pgExtra)
	e.plant(u, "azure-postgresql-secure-transport", "require_secure_transport turned off for an old client library")
	e.plant(u, "azure-postgresql-connection-throttling", "connection throttling left at its default (off)")
	e.plant(u, "azure-postgresql-log-retention", "server logs kept only the default 3 days")
	e.plant(u, "azure-postgresql-firewall-restricted", "'allow public access from any Azure service' is ticked: every Azure tenant can reach the login endpoint")

	my := func(tls, audit string) []param {
		return []param{{"require_secure_transport", "ON", "ON"}, {"tls_version", tls, "TLSv1.2"}, {"audit_log_enabled", audit, "OFF"}, {"audit_log_events", "CONNECTION", "CONNECTION"}}
	}
	myExtra := map[string]any{"version": "8.0.21", "domain": ".mysql.database.azure.com"}
	server("azure_mysql_flexible_server", "Microsoft.DBforMySQL/flexibleServers", azProd, "rg-web-eus", "eastus", "mysql-acme-shop-eus", "web-team",
		azSKU{Name: "Standard_D2ds_v4", Tier: "GeneralPurpose"}, private(azProd, "rg-network-eus", "vnet-prod-eus", "snet-data"), nil, my("TLSv1.2,TLSv1.3", "ON"), myExtra)
	u = server("azure_mysql_flexible_server", "Microsoft.DBforMySQL/flexibleServers", azSandbox, "rg-sandbox", "eastus", "mysql-acme-sbx", "growth-team",
		azSKU{Name: "Standard_B1ms", Tier: "Burstable"}, map[string]any{"public_network_access": "Enabled"},
		[][3]string{{"office", "203.0.113.0", "203.0.113.255"}}, my("TLSv1.1,TLSv1.2", "OFF"), myExtra)
	e.plant(u, "azure-mysql-tls-12", "TLS 1.1 still accepted for a legacy reporting tool")
	e.plant(u, "azure-mysql-audit-log", "audit log never switched on")
}

// ---- filler ----

// azureFill emits one Azure resource, cycling through the common kinds.
// About 1.6% of each kind is planted (group g ≡ 37 mod 64).
func (e *estate) azureFill(i int) {
	const kinds = 8
	k, g := i%kinds, i/kinds
	sub := azProd
	if g%4 == 3 {
		sub = azSandbox
	}
	region := "eastus"
	if g%2 == 1 {
		region = "westeurope"
	}
	gs := strconv.Itoa(g)
	rg := "rg-fill-" + region + "-" + strconv.Itoa(g%40)
	env := azEnv(sub)
	owner := [...]string{"web-team", "data-platform", "orders-team", "ml-team", "platform-team"}[g%5]
	planted := g%64 == 37
	created := days(30 + g%900)
	acctUID := azRID(sub, rg, "Microsoft.Storage/storageAccounts", "acmefill"+gs)
	vmUID := azRID(sub, rg, "Microsoft.Compute/virtualMachines", "vm-fill-"+gs)
	diskUID := azRID(sub, rg, "Microsoft.Compute/disks", "vm-fill-"+gs+"_OsDisk")

	switch k {
	case 0:
		s := e.azCleanStorage(created)
		if planted {
			s.Properties.SupportsHTTPSTrafficOnly = false
			e.plant(acctUID, "azure-storage-secure-transfer-required", "filler account accepts plain HTTP")
		}
		e.add(azRes(acctUID, sub, region, "azure_storage_account", "acmefill"+gs, azTags(owner, env), time.Time{}), s)
	case 1:
		uid := acctUID + "/blobServices/default/containers/data-" + gs
		access := "None"
		if planted {
			access = "Container"
			e.plant(uid, "azure-storage-container-not-public", "filler container lists and serves blobs anonymously")
		}
		e.add(azRes(uid, sub, region, "azure_storage_container", "data-"+gs, nil, time.Time{}), e.azNewContainer(access, days(g%30+1)))
		e.edge(uid, acctUID, "in_storage_account")
	case 2:
		tags := azTags(owner, env)
		if planted {
			delete(tags, "owner")
			e.plant(vmUID, "org-required-tags", "filler VM without the owner tag")
		}
		v := e.azCleanVM("vm-fill-"+gs, "Standard_D2s_v5", diskUID, "", azRID(sub, rg, "Microsoft.Network/networkInterfaces", "vm-fill-"+gs+"-nic"), created)
		e.add(azRes(vmUID, sub, region, "azure_virtual_machine", "vm-fill-"+gs, tags, e.now.Add(-created)), v)
		e.edge(vmUID, diskUID, "attached_volume")
	case 3:
		d := e.azCleanDisk(vmUID, 64, created)
		d.Properties.OSType = "Linux"
		if planted {
			d.Properties.NetworkAccessPolicy = "AllowAll"
			d.Properties.PublicNetworkAccess = "Enabled"
			e.plant(diskUID, "azure-disk-network-access-restricted", "filler disk exportable from any network")
		}
		e.add(azRes(diskUID, sub, region, "azure_managed_disk", "vm-fill-"+gs+"_OsDisk", azTags(owner, env), time.Time{}), d)
	case 4:
		uid := azRID(sub, rg, "Microsoft.Network/networkSecurityGroups", "nsg-fill-"+gs)
		rules := []azRule{
			azRuleOf("allow-https-lb", 100, "Inbound", "Allow", "Tcp", "AzureLoadBalancer", "443"),
			azRuleOf("allow-ssh-vnet", 110, "Inbound", "Allow", "Tcp", "VirtualNetwork", "22"),
		}
		if planted {
			rules[1].Properties.SourceAddressPrefix = "Internet"
			e.plant(uid, "azure-nsg-ssh-restricted", "filler NSG allows SSH from the Internet service tag")
		}
		e.add(azRes(uid, sub, region, "azure_network_security_group", "nsg-fill-"+gs, azTags(owner, env), time.Time{}), azNSGOf("fill-"+gs, nil, rules...))
	case 5:
		name := "kv-fill-" + gs
		uid := azRID(sub, rg, "Microsoft.KeyVault/vaults", name)
		v := e.azCleanVault(sub, name)
		if planted {
			v.Properties.EnablePurgeProtection = false
			e.plant(uid, "azure-keyvault-purge-protection", "filler vault without purge protection")
		}
		e.add(azRes(uid, sub, region, "azure_key_vault", name, azTags(owner, env), time.Time{}), v)
	case 6:
		name := "app-fill-" + gs
		uid := azRID(sub, rg, "Microsoft.Web/sites", name)
		a := azCleanApp("app,linux", name, azRID(sub, rg, "Microsoft.Web/serverfarms", "asp-fill-"+strconv.Itoa(g%40)))
		if planted {
			a.Properties.SiteConfig.MinTLSVersion = "1.0"
			e.plant(uid, "azure-appservice-min-tls-12", "filler app still accepts TLS 1.0")
		}
		e.add(azRes(uid, sub, region, "azure_app_service", name, azTags(owner, env), time.Time{}), a)
	case 7:
		name := "sql-fill-" + gs
		uid := azRID(sub, rg, "Microsoft.Sql/servers", name)
		s := e.azCleanSQL(name, "db-"+gs)
		if planted {
			s.AuditingSettings.Properties.State = "Disabled"
			e.plant(uid, "azure-sql-auditing-enabled", "filler SQL server without auditing")
		}
		e.add(azRes(uid, sub, region, "azure_sql_server", name, azTags(owner, env), time.Time{}), s)
	}
}
