package demo

// Google Cloud part of the demo estate: one organization with two projects,
// acme-prod-4821 (a tidy production project) and acme-data-1177 (a data team
// project with older habits). Properties follow the REST API field names in
// snake_case (see internal/collect/gcp/kinds.go).
//
// Planted misconfigurations in the base estate:
//   - acme-data-1177 project: the etl-runner service account holds
//     roles/editor (gcp-iam-sa-no-admin-roles); no Data Access audit logs
//     (gcp-project-audit-logs-all-services).
//   - ci-deployer SA (prod): a user-managed key 412 days old
//     (gcp-iam-sa-no-user-managed-keys, gcp-iam-sa-key-rotated-90-days);
//     etl-runner SA (data): a fresh user-managed key
//     (gcp-iam-sa-no-user-managed-keys).
//   - buckets: acme-prod-4821-public-web readable by allUsers;
//     acme-data-1177-exports without uniform bucket-level access;
//     acme-data-1177-scratch-asia in asia-east1 (org-allowed-regions);
//     acme-data-1177-tmp without an owner label (org-required-tags).
//   - network "default" in acme-data-1177; subnetwork prod-us-east1 without
//     flow logs; firewall default-allow-ssh and default-allow-rdp open to
//     0.0.0.0/0.
//   - instances: bastion-1 with a public IP; etl-worker-1 on the default
//     compute SA with the cloud-platform scope; debug-vm with the serial
//     port on and project SSH keys allowed; nat-gw-1 forwarding IPs;
//     legacy-app-1 not shielded.
//   - disk orphan-scratch-1 without an environment label.
//   - KMS: app-secrets rotated yearly; shared-key usable by
//     allAuthenticatedUsers.
//   - Cloud SQL: prod-mysql-legacy public with 0.0.0.0/0 authorized;
//     data-pg-analytics accepts unencrypted connections; data-pg-staging
//     without backups.
//   - GKE data-gke: legacy ABAC on and a node pool without auto-upgrade.
//
// Fillers add clean buckets, instances, disks and firewall rules, with about
// 2% of each planted (public bucket, public IP, missing label, open SSH).

import (
	"strconv"
	"strings"
	"time"

	"cloudward/internal/resource"
)

type gcpProjectRef struct {
	id, number, owner string
}

// gcpProjects are the demo organization's projects.
var gcpProjects = [2]gcpProjectRef{
	{id: "acme-prod-4821", number: "482190317745", owner: "platform-team"},
	{id: "acme-data-1177", number: "117734562091", owner: "data-team"},
}

// gcpRegions are the regions the company allows for Google Cloud.
var gcpRegions = [3]string{"us-central1", "us-east1", "europe-west1"}

const (
	gcpComputeAPI = "https://www.googleapis.com/compute/v1/projects/"
	gcpOrgID      = "803412276601"
	gcpScopeAll   = "https://www.googleapis.com/auth/cloud-platform"
)

type gcpBinding struct {
	Role    string   `json:"role"`
	Members []string `json:"members"`
}

type gcpAuditLogConfig struct {
	LogType         string   `json:"log_type"`
	ExemptedMembers []string `json:"exempted_members,omitempty"`
}

type gcpAuditConfig struct {
	Service         string              `json:"service"`
	AuditLogConfigs []gcpAuditLogConfig `json:"audit_log_configs"`
}

type gcpPolicy struct {
	Version      int              `json:"version"`
	Etag         string           `json:"etag"`
	Bindings     []gcpBinding     `json:"bindings"`
	AuditConfigs []gcpAuditConfig `json:"audit_configs,omitempty"`
}

type gcpMetaItem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type gcpMetadata struct {
	Fingerprint string        `json:"fingerprint"`
	Items       []gcpMetaItem `json:"items,omitempty"`
}

type gcpParent struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type gcpProject struct {
	ProjectID              string            `json:"project_id"`
	ProjectNumber          string            `json:"project_number"`
	Name                   string            `json:"name"`
	LifecycleState         string            `json:"lifecycle_state"`
	CreateTime             string            `json:"create_time"`
	Parent                 gcpParent         `json:"parent"`
	Labels                 map[string]string `json:"labels"`
	IAMPolicy              gcpPolicy         `json:"iam_policy"`
	CommonInstanceMetadata gcpMetadata       `json:"common_instance_metadata"`
	Collected              map[string]bool   `json:"collected"`
	EssentialContacts      []gcpContact      `json:"essential_contacts"`
	EnabledServices        []string          `json:"enabled_services"`
	OrgPolicies            []gcpOrgPolicy    `json:"org_policies"`
}

type gcpOrgPolicy struct {
	Constraint string        `json:"constraint"`
	Spec       gcpPolicySpec `json:"spec"`
}

type gcpPolicySpec struct {
	Rules             []gcpPolicyRule `json:"rules"`
	InheritFromParent bool            `json:"inherit_from_parent"`
	Reset             bool            `json:"reset"`
}

type gcpPolicyRule struct {
	Enforce  bool             `json:"enforce"`
	AllowAll bool             `json:"allow_all"`
	DenyAll  bool             `json:"deny_all"`
	Values   *gcpPolicyValues `json:"values,omitempty"`
}

type gcpPolicyValues struct {
	AllowedValues []string `json:"allowed_values,omitempty"`
	DeniedValues  []string `json:"denied_values,omitempty"`
}

// gcpOrgPolicies is the effective organization policy of each constraint
// the collector reads, as getEffectivePolicy answers it: the organization
// enforces the hardening constraints and restricts members to its Cloud
// Identity customer; the data project overrides two of them (a key for an
// on-premises ETL job, a contractor's personal account).
func gcpOrgPolicies(p gcpProjectRef) []gcpOrgPolicy {
	enforced := func(c string, on bool) gcpOrgPolicy {
		return gcpOrgPolicy{Constraint: "constraints/" + c, Spec: gcpPolicySpec{Rules: []gcpPolicyRule{{Enforce: on}}}}
	}
	domains := gcpOrgPolicy{Constraint: "constraints/iam.allowedPolicyMemberDomains", Spec: gcpPolicySpec{
		Rules: []gcpPolicyRule{{Values: &gcpPolicyValues{AllowedValues: []string{"C03acme7x"}}}},
	}}
	keys := true
	if p != gcpProjects[0] {
		keys = false
		domains.Spec = gcpPolicySpec{Rules: []gcpPolicyRule{{AllowAll: true}}}
	}
	return []gcpOrgPolicy{
		enforced("compute.disableSerialPortAccess", true),
		enforced("compute.requireOsLogin", false),
		enforced("compute.requireShieldedVm", false),
		enforced("compute.skipDefaultNetworkCreation", true),
		{Constraint: "constraints/compute.vmExternalIpAccess", Spec: gcpPolicySpec{Rules: []gcpPolicyRule{{AllowAll: true}}}},
		domains,
		enforced("iam.automaticIamGrantsForDefaultServiceAccounts", true),
		enforced("iam.disableServiceAccountKeyCreation", keys),
		enforced("sql.restrictPublicIp", false),
		enforced("storage.publicAccessPrevention", true),
		enforced("storage.uniformBucketLevelAccess", false),
	}
}

type gcpContact struct {
	Name                              string   `json:"name"`
	Email                             string   `json:"email"`
	NotificationCategorySubscriptions []string `json:"notification_category_subscriptions"`
	LanguageTag                       string   `json:"language_tag"`
	ValidationState                   string   `json:"validation_state"`
}

type gcpSAKey struct {
	Name            string `json:"name"`
	KeyType         string `json:"key_type"`
	KeyAlgorithm    string `json:"key_algorithm"`
	KeyOrigin       string `json:"key_origin"`
	ValidAfterTime  string `json:"valid_after_time"`
	ValidBeforeTime string `json:"valid_before_time"`
	Disabled        bool   `json:"disabled"`
}

type gcpServiceAccount struct {
	Name        string     `json:"name"`
	ProjectID   string     `json:"project_id"`
	UniqueID    string     `json:"unique_id"`
	Email       string     `json:"email"`
	DisplayName string     `json:"display_name"`
	Disabled    bool       `json:"disabled"`
	Keys        []gcpSAKey `json:"keys"`
}

type gcpUBLA struct {
	Enabled bool `json:"enabled"`
}

type gcpBucketIAMConfig struct {
	UniformBucketLevelAccess gcpUBLA `json:"uniform_bucket_level_access"`
	PublicAccessPrevention   string  `json:"public_access_prevention"`
}

type gcpBucketLogging struct {
	LogBucket       string `json:"log_bucket"`
	LogObjectPrefix string `json:"log_object_prefix"`
}

type gcpRetention struct {
	RetentionPeriod string `json:"retention_period"`
	EffectiveTime   string `json:"effective_time"`
	IsLocked        bool   `json:"is_locked"`
}

type gcpBucketEncryption struct {
	DefaultKmsKeyName string `json:"default_kms_key_name"`
}

type gcpEnabled struct {
	Enabled bool `json:"enabled"`
}

type gcpBucket struct {
	ID               string               `json:"id"`
	Name             string               `json:"name"`
	ProjectNumber    string               `json:"project_number"`
	Location         string               `json:"location"`
	LocationType     string               `json:"location_type"`
	StorageClass     string               `json:"storage_class"`
	TimeCreated      string               `json:"time_created"`
	Updated          string               `json:"updated"`
	Labels           map[string]string    `json:"labels,omitempty"`
	Versioning       gcpEnabled           `json:"versioning"`
	Logging          *gcpBucketLogging    `json:"logging,omitempty"`
	RetentionPolicy  *gcpRetention        `json:"retention_policy,omitempty"`
	Encryption       *gcpBucketEncryption `json:"encryption,omitempty"`
	IAMConfiguration gcpBucketIAMConfig   `json:"iam_configuration"`
	IAMPolicy        gcpPolicy            `json:"iam_policy"`
}

type gcpSARef struct {
	Email  string   `json:"email"`
	Scopes []string `json:"scopes"`
}

type gcpAccessConfig struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	NatIP       string `json:"nat_ip"`
	NetworkTier string `json:"network_tier"`
}

type gcpNIC struct {
	Name          string            `json:"name"`
	Network       string            `json:"network"`
	Subnetwork    string            `json:"subnetwork"`
	NetworkIP     string            `json:"network_ip"`
	AccessConfigs []gcpAccessConfig `json:"access_configs,omitempty"`
}

type gcpAttachedDisk struct {
	DeviceName string `json:"device_name"`
	Source     string `json:"source"`
	Boot       bool   `json:"boot"`
	Mode       string `json:"mode"`
}

type gcpShielded struct {
	EnableSecureBoot          bool `json:"enable_secure_boot"`
	EnableVtpm                bool `json:"enable_vtpm"`
	EnableIntegrityMonitoring bool `json:"enable_integrity_monitoring"`
}

type gcpInstance struct {
	ID                     string            `json:"id"`
	Name                   string            `json:"name"`
	Zone                   string            `json:"zone"`
	MachineType            string            `json:"machine_type"`
	Status                 string            `json:"status"`
	CreationTimestamp      string            `json:"creation_timestamp"`
	CanIPForward           bool              `json:"can_ip_forward"`
	DeletionProtection     bool              `json:"deletion_protection"`
	Labels                 map[string]string `json:"labels,omitempty"`
	Metadata               gcpMetadata       `json:"metadata"`
	ServiceAccounts        []gcpSARef        `json:"service_accounts"`
	NetworkInterfaces      []gcpNIC          `json:"network_interfaces"`
	Disks                  []gcpAttachedDisk `json:"disks"`
	ShieldedInstanceConfig gcpShielded       `json:"shielded_instance_config"`
}

type gcpDiskKey struct {
	KmsKeyName string `json:"kms_key_name"`
}

type gcpDisk struct {
	ID                string            `json:"id"`
	Name              string            `json:"name"`
	Zone              string            `json:"zone"`
	Type              string            `json:"type"`
	SizeGb            string            `json:"size_gb"`
	Status            string            `json:"status"`
	CreationTimestamp string            `json:"creation_timestamp"`
	SourceImage       string            `json:"source_image,omitempty"`
	Users             []string          `json:"users,omitempty"`
	Labels            map[string]string `json:"labels,omitempty"`
	DiskEncryptionKey *gcpDiskKey       `json:"disk_encryption_key,omitempty"`
}

type gcpFwAllowed struct {
	IPProtocol string   `json:"ip_protocol"`
	Ports      []string `json:"ports,omitempty"`
}

type gcpFwLog struct {
	Enable bool `json:"enable"`
}

type gcpFirewall struct {
	ID                string         `json:"id"`
	Name              string         `json:"name"`
	Network           string         `json:"network"`
	Direction         string         `json:"direction"`
	Priority          int            `json:"priority"`
	Disabled          bool           `json:"disabled"`
	SourceRanges      []string       `json:"source_ranges,omitempty"`
	DestinationRanges []string       `json:"destination_ranges,omitempty"`
	TargetTags        []string       `json:"target_tags,omitempty"`
	Allowed           []gcpFwAllowed `json:"allowed,omitempty"`
	Denied            []gcpFwAllowed `json:"denied,omitempty"`
	LogConfig         gcpFwLog       `json:"log_config"`
	CreationTimestamp string         `json:"creation_timestamp"`
}

type gcpRouting struct {
	RoutingMode string `json:"routing_mode"`
}

type gcpNetwork struct {
	ID                    string     `json:"id"`
	Name                  string     `json:"name"`
	AutoCreateSubnetworks bool       `json:"auto_create_subnetworks"`
	IPv4Range             string     `json:"ipv4_range,omitempty"`
	RoutingConfig         gcpRouting `json:"routing_config"`
	Subnetworks           []string   `json:"subnetworks"`
	CreationTimestamp     string     `json:"creation_timestamp"`
}

type gcpSubnetLog struct {
	Enable              bool    `json:"enable"`
	AggregationInterval string  `json:"aggregation_interval"`
	FlowSampling        float64 `json:"flow_sampling"`
	Metadata            string  `json:"metadata"`
}

type gcpSubnetwork struct {
	ID                    string        `json:"id"`
	Name                  string        `json:"name"`
	Network               string        `json:"network"`
	Region                string        `json:"region"`
	IPCidrRange           string        `json:"ip_cidr_range"`
	Purpose               string        `json:"purpose"`
	PrivateIPGoogleAccess bool          `json:"private_ip_google_access"`
	LogConfig             *gcpSubnetLog `json:"log_config,omitempty"`
	CreationTimestamp     string        `json:"creation_timestamp"`
}

type gcpSQLAddr struct {
	Type      string `json:"type"`
	IPAddress string `json:"ip_address"`
}

type gcpAuthNet struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type gcpSQLIPConfig struct {
	Ipv4Enabled        bool         `json:"ipv4_enabled"`
	PrivateNetwork     string       `json:"private_network,omitempty"`
	RequireSsl         bool         `json:"require_ssl"`
	SslMode            string       `json:"ssl_mode"`
	AuthorizedNetworks []gcpAuthNet `json:"authorized_networks,omitempty"`
}

type gcpSQLBackup struct {
	Enabled                    bool   `json:"enabled"`
	StartTime                  string `json:"start_time"`
	PointInTimeRecoveryEnabled bool   `json:"point_in_time_recovery_enabled"`
	BinaryLogEnabled           bool   `json:"binary_log_enabled"`
}

type gcpSQLFlag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type gcpSQLSettings struct {
	Tier                      string            `json:"tier"`
	AvailabilityType          string            `json:"availability_type"`
	UserLabels                map[string]string `json:"user_labels,omitempty"`
	DeletionProtectionEnabled bool              `json:"deletion_protection_enabled"`
	IPConfiguration           gcpSQLIPConfig    `json:"ip_configuration"`
	BackupConfiguration       gcpSQLBackup      `json:"backup_configuration"`
	DatabaseFlags             []gcpSQLFlag      `json:"database_flags,omitempty"`
}

type gcpSQLInstance struct {
	Name            string         `json:"name"`
	Project         string         `json:"project"`
	DatabaseVersion string         `json:"database_version"`
	Region          string         `json:"region"`
	GceZone         string         `json:"gce_zone"`
	State           string         `json:"state"`
	InstanceType    string         `json:"instance_type"`
	ConnectionName  string         `json:"connection_name"`
	CreateTime      string         `json:"create_time"`
	IPAddresses     []gcpSQLAddr   `json:"ip_addresses"`
	Settings        gcpSQLSettings `json:"settings"`
}

type gcpKeyVersion struct {
	Name      string `json:"name"`
	State     string `json:"state"`
	Algorithm string `json:"algorithm"`
}

type gcpKeyTemplate struct {
	Algorithm       string `json:"algorithm"`
	ProtectionLevel string `json:"protection_level"`
}

type gcpCryptoKey struct {
	Name             string            `json:"name"`
	Purpose          string            `json:"purpose"`
	CreateTime       string            `json:"create_time"`
	RotationPeriod   string            `json:"rotation_period,omitempty"`
	NextRotationTime string            `json:"next_rotation_time,omitempty"`
	Labels           map[string]string `json:"labels,omitempty"`
	Primary          gcpKeyVersion     `json:"primary"`
	VersionTemplate  gcpKeyTemplate    `json:"version_template"`
	IAMPolicy        gcpPolicy         `json:"iam_policy"`
}

type gcpAbac struct {
	Enabled bool `json:"enabled,omitempty"`
}

type gcpPrivateCluster struct {
	EnablePrivateNodes    bool   `json:"enable_private_nodes,omitempty"`
	EnablePrivateEndpoint bool   `json:"enable_private_endpoint,omitempty"`
	MasterIpv4CidrBlock   string `json:"master_ipv4_cidr_block,omitempty"`
}

type gcpCidrBlock struct {
	DisplayName string `json:"display_name"`
	CidrBlock   string `json:"cidr_block"`
}

type gcpMasterAuthNets struct {
	Enabled    bool           `json:"enabled,omitempty"`
	CidrBlocks []gcpCidrBlock `json:"cidr_blocks,omitempty"`
}

type gcpWorkloadIdentity struct {
	WorkloadPool string `json:"workload_pool"`
}

type gcpNodeShielded struct {
	EnableSecureBoot          bool `json:"enable_secure_boot,omitempty"`
	EnableIntegrityMonitoring bool `json:"enable_integrity_monitoring,omitempty"`
}

type gcpNodeConfig struct {
	MachineType            string          `json:"machine_type"`
	ImageType              string          `json:"image_type"`
	ServiceAccount         string          `json:"service_account"`
	OauthScopes            []string        `json:"oauth_scopes"`
	ShieldedInstanceConfig gcpNodeShielded `json:"shielded_instance_config"`
}

type gcpNodeManagement struct {
	AutoUpgrade bool `json:"auto_upgrade,omitempty"`
	AutoRepair  bool `json:"auto_repair,omitempty"`
}

type gcpNodePool struct {
	Name             string            `json:"name"`
	Version          string            `json:"version"`
	InitialNodeCount int               `json:"initial_node_count"`
	Config           gcpNodeConfig     `json:"config"`
	Management       gcpNodeManagement `json:"management"`
}

type gcpChannel struct {
	Channel string `json:"channel"`
}

type gcpCluster struct {
	Name                           string               `json:"name"`
	Location                       string               `json:"location"`
	Status                         string               `json:"status"`
	CreateTime                     string               `json:"create_time"`
	CurrentMasterVersion           string               `json:"current_master_version"`
	ResourceLabels                 map[string]string    `json:"resource_labels,omitempty"`
	ReleaseChannel                 gcpChannel           `json:"release_channel"`
	LegacyAbac                     gcpAbac              `json:"legacy_abac"`
	PrivateClusterConfig           gcpPrivateCluster    `json:"private_cluster_config"`
	MasterAuthorizedNetworksConfig gcpMasterAuthNets    `json:"master_authorized_networks_config"`
	WorkloadIdentityConfig         *gcpWorkloadIdentity `json:"workload_identity_config,omitempty"`
	NetworkPolicy                  gcpEnabled           `json:"network_policy"`
	NodePools                      []gcpNodePool        `json:"node_pools"`
}

// gcpLabels returns the labels every clean resource carries.
func gcpLabels(owner, env string) map[string]string {
	return map[string]string{"owner": owner, "environment": env}
}

// gcpEnv is the environment label of a project.
func gcpEnv(p gcpProjectRef) string {
	if p.id == gcpProjects[0].id {
		return "production"
	}
	return "analytics"
}

// gcpAdd emits one Google Cloud resource.
func (e *estate) gcpAdd(kind, uid, project, region, name string, labels map[string]string, age time.Duration, props any) {
	e.add(resource.Resource{
		UID: uid, Provider: resource.GCP, Account: project, Region: region, Kind: kind,
		Name: name, Tags: labels, CreatedAt: e.now.Add(-age).UTC(),
	}, props)
}

func gcpDefaultSA(p gcpProjectRef) string { return p.number + "-compute@developer.gserviceaccount.com" }

func gcpSAEmail(p gcpProjectRef, name string) string {
	return name + "@" + p.id + ".iam.gserviceaccount.com"
}

func gcpNetworkURL(p gcpProjectRef, name string) string {
	return gcpComputeAPI + p.id + "/global/networks/" + name
}

func gcpSubnetURL(p gcpProjectRef, region, name string) string {
	return gcpComputeAPI + p.id + "/regions/" + region + "/subnetworks/" + name
}

func gcpInstanceUID(p gcpProjectRef, zone, name string) string {
	return "//compute.googleapis.com/projects/" + p.id + "/zones/" + zone + "/instances/" + name
}

func gcpDiskUID(p gcpProjectRef, zone, name string) string {
	return "//compute.googleapis.com/projects/" + p.id + "/zones/" + zone + "/disks/" + name
}

func gcpKeyName(p gcpProjectRef, loc, ring, key string) string {
	return "projects/" + p.id + "/locations/" + loc + "/keyRings/" + ring + "/cryptoKeys/" + key
}

// gcpID returns a Compute-style numeric ID derived from a seed.
func gcpID(seed uint64) string {
	return strconv.FormatUint(1000000000000000000+seed*7919%8000000000000000000, 10)
}

func (e *estate) gcpBase() {
	prod, data := gcpProjects[0], gcpProjects[1]

	// Projects.
	for pi, p := range gcpProjects {
		bindings := []gcpBinding{
			{Role: "roles/owner", Members: []string{"group:gcp-admins@acme.example"}},
			{Role: "roles/viewer", Members: []string{"group:engineering@acme.example"}},
			{Role: "roles/compute.serviceAgent", Members: []string{"serviceAccount:service-" + p.number + "@compute-system.iam.gserviceaccount.com"}},
			{Role: "roles/editor", Members: []string{"serviceAccount:" + p.number + "@cloudservices.gserviceaccount.com"}},
			{Role: "roles/logging.logWriter", Members: []string{"serviceAccount:" + gcpSAEmail(p, "app-backend")}},
		}
		var audit []gcpAuditConfig
		if p == prod {
			audit = []gcpAuditConfig{{Service: "allServices", AuditLogConfigs: []gcpAuditLogConfig{
				{LogType: "ADMIN_READ"}, {LogType: "DATA_READ"}, {LogType: "DATA_WRITE"},
			}}}
			bindings = append(bindings, gcpBinding{Role: "roles/cloudbuild.builds.editor", Members: []string{"serviceAccount:" + gcpSAEmail(p, "ci-deployer")}})
		} else {
			bindings = append(bindings, gcpBinding{Role: "roles/editor", Members: []string{"serviceAccount:" + gcpSAEmail(p, "etl-runner")}},
				gcpBinding{Role: "roles/bigquery.dataViewer", Members: []string{"group:analysts@acme.example", "user:jordan.lee.data@gmail.com"}},
				gcpBinding{Role: "roles/iam.serviceAccountAdmin", Members: []string{"group:data-platform@acme.example"}},
				gcpBinding{Role: "roles/iam.serviceAccountUser", Members: []string{"group:data-platform@acme.example"}},
				gcpBinding{Role: "roles/cloudkms.admin", Members: []string{"user:ana.ruiz@acme.example"}},
				gcpBinding{Role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", Members: []string{"user:ana.ruiz@acme.example", "serviceAccount:" + gcpSAEmail(p, "etl-runner")}})
		}
		uid := "//cloudresourcemanager.googleapis.com/projects/" + p.number
		e.gcpAdd("gcp_project", uid, p.id, resource.GlobalRegion, p.id, gcpLabels(p.owner, gcpEnv(p)), days(900-300*pi), gcpProject{
			ProjectID: p.id, ProjectNumber: p.number, Name: p.id, LifecycleState: "ACTIVE",
			CreateTime: e.ago(days(900 - 300*pi)), Parent: gcpParent{Type: "organization", ID: gcpOrgID},
			Labels:                 gcpLabels(p.owner, gcpEnv(p)),
			IAMPolicy:              gcpPolicy{Version: 1, Etag: "BwYb" + p.number[:6], Bindings: bindings, AuditConfigs: audit},
			CommonInstanceMetadata: gcpProjectMetadata(p),
			Collected:              gcpCollected(p), EssentialContacts: gcpContacts(p), EnabledServices: gcpEnabledServices(p),
			OrgPolicies: gcpOrgPolicies(p),
		})
		if p == data {
			e.plant(uid, "gcp-iam-sa-no-admin-roles", "the etl-runner service account holds roles/editor on the project")
			e.plant(uid, "gcp-project-audit-logs-all-services", "no Data Access audit log configuration for allServices")
			e.plant(uid, "gcp-iam-no-personal-accounts", "a contractor's personal Gmail account reads BigQuery data")
			e.plant(uid, "gcp-iam-sa-admin-user-separation", "the data-platform group both creates service accounts and acts as them")
			e.plant(uid, "gcp-iam-no-project-level-sa-user", "Service Account User granted on the whole project")
			e.plant(uid, "gcp-iam-kms-admin-separation", "the KMS administrator can also decrypt")
			e.plant(uid, "gcp-compute-project-os-login-enabled", "OS Login never enabled project-wide")
			e.plant(uid, "gcp-project-essential-contacts", "only a technical contact; security, legal and suspension notices reach nobody")
			e.plant(uid, "gcp-project-cloud-asset-inventory-enabled", "the Cloud Asset Inventory API was never enabled")
			e.plant(uid, "gcp-orgpolicy-sa-key-creation-disabled", "the project overrides the organization's ban on service account keys for an on-premises ETL job")
			e.plant(uid, "gcp-orgpolicy-domain-restricted-sharing", "the project allows every domain so a contractor's personal account could be added")
		}
	}

	// Service accounts.
	sa := func(p gcpProjectRef, email, display string, n int, keys []gcpSAKey) string {
		uniq := "1" + p.number[:8] + strconv.Itoa(100000000+n)
		uid := "//iam.googleapis.com/projects/" + p.id + "/serviceAccounts/" + uniq
		sys := gcpSAKey{
			Name: "projects/" + p.id + "/serviceAccounts/" + email + "/keys/" + gcpID(uint64(n))[:16], KeyType: "SYSTEM_MANAGED",
			KeyAlgorithm: "KEY_ALG_RSA_2048", KeyOrigin: "GOOGLE_PROVIDED", ValidAfterTime: e.ago(days(3)), ValidBeforeTime: e.ago(-days(14)),
		}
		e.gcpAdd("gcp_iam_service_account", uid, p.id, resource.GlobalRegion, email, nil, days(400), gcpServiceAccount{
			Name: "projects/" + p.id + "/serviceAccounts/" + email, ProjectID: p.id, UniqueID: uniq, Email: email,
			DisplayName: display, Keys: append([]gcpSAKey{sys}, keys...),
		})
		return uid
	}
	userKey := func(p gcpProjectRef, email string, age int) gcpSAKey {
		return gcpSAKey{
			Name: "projects/" + p.id + "/serviceAccounts/" + email + "/keys/7f3a9c0d2b6e" + strconv.Itoa(age), KeyType: "USER_MANAGED",
			KeyAlgorithm: "KEY_ALG_RSA_2048", KeyOrigin: "GOOGLE_PROVIDED", ValidAfterTime: e.ago(days(age)), ValidBeforeTime: "9999-12-31T23:59:59Z",
		}
	}
	sa(prod, gcpDefaultSA(prod), "Compute Engine default service account", 1, nil)
	sa(prod, gcpSAEmail(prod, "app-backend"), "Backend application", 2, nil)
	uid := sa(prod, gcpSAEmail(prod, "ci-deployer"), "CI deployer", 3, []gcpSAKey{userKey(prod, gcpSAEmail(prod, "ci-deployer"), 412)})
	e.plant(uid, "gcp-iam-sa-no-user-managed-keys", "a user-managed key exported for the CI system")
	e.plant(uid, "gcp-iam-sa-key-rotated-90-days", "the user-managed key is 412 days old")
	sa(data, gcpDefaultSA(data), "Compute Engine default service account", 4, nil)
	uid = sa(data, gcpSAEmail(data, "etl-runner"), "ETL runner", 5, []gcpSAKey{userKey(data, gcpSAEmail(data, "etl-runner"), 21)})
	e.plant(uid, "gcp-iam-sa-no-user-managed-keys", "a user-managed key downloaded for an on-premises ETL job")
	sa(data, gcpSAEmail(data, "gke-nodes"), "GKE nodes", 6, nil)

	// Buckets.
	type bucketSpec struct {
		p                 gcpProjectRef
		name, region      string
		labels            map[string]string
		public, nonUnform bool
		logs              bool
		plant, why        string
	}
	buckets := []bucketSpec{
		{p: prod, name: "acme-prod-4821-assets", region: "us-central1", labels: gcpLabels("web-team", "production"), logs: true},
		{p: prod, name: "acme-prod-4821-audit-logs", region: "us-central1", labels: gcpLabels("security-team", "production")},
		{p: prod, name: "acme-prod-4821-backups", region: "europe-west1", labels: gcpLabels("platform-team", "production"), logs: true},
		{p: prod, name: "acme-prod-4821-public-web", region: "us-east1", labels: gcpLabels("web-team", "production"), public: true,
			plant: "gcp-storage-bucket-not-public", why: "allUsers granted roles/storage.objectViewer to serve a marketing site"},
		{p: data, name: "acme-data-1177-raw", region: "us-central1", labels: gcpLabels("data-team", "analytics"), logs: true},
		{p: data, name: "acme-data-1177-curated", region: "europe-west1", labels: gcpLabels("data-team", "analytics"), logs: true},
		{p: data, name: "acme-data-1177-exports", region: "us-east1", labels: gcpLabels("data-team", "analytics"), nonUnform: true,
			plant: "gcp-storage-bucket-uniform-access", why: "fine-grained ACLs kept for a partner's legacy uploader"},
		{p: data, name: "acme-data-1177-scratch-asia", region: "asia-east1", labels: gcpLabels("data-team", "analytics"),
			plant: "org-allowed-regions", why: "scratch bucket created in asia-east1, outside the allowed regions"},
		{p: data, name: "acme-data-1177-tmp", region: "us-central1", labels: map[string]string{"environment": "analytics"},
			plant: "org-required-tags", why: "no owner label"},
	}
	for n, b := range buckets {
		members := []gcpBinding{
			{Role: "roles/storage.legacyBucketOwner", Members: []string{"projectEditor:" + b.p.id, "projectOwner:" + b.p.id}},
			{Role: "roles/storage.legacyBucketReader", Members: []string{"projectViewer:" + b.p.id}},
		}
		if b.public {
			members = append(members, gcpBinding{Role: "roles/storage.objectViewer", Members: []string{"allUsers"}})
		}
		props := gcpBucket{
			ID: b.name, Name: b.name, ProjectNumber: b.p.number, Location: upper(b.region), LocationType: "region",
			StorageClass: "STANDARD", TimeCreated: e.ago(days(200 + 37*n)), Updated: e.ago(days(9 + n)), Labels: b.labels,
			Versioning: gcpEnabled{Enabled: b.p == prod},
			IAMConfiguration: gcpBucketIAMConfig{
				UniformBucketLevelAccess: gcpUBLA{Enabled: !b.nonUnform}, PublicAccessPrevention: "inherited",
			},
			IAMPolicy: gcpPolicy{Version: 1, Etag: "CAE=", Bindings: members},
		}
		if !b.public {
			props.IAMConfiguration.PublicAccessPrevention = "enforced"
		}
		if b.logs {
			props.Logging = &gcpBucketLogging{LogBucket: b.p.id + "-access-logs", LogObjectPrefix: b.name}
		}
		if b.name == "acme-prod-4821-backups" {
			props.Encryption = &gcpBucketEncryption{DefaultKmsKeyName: gcpKeyName(prod, "us-central1", "prod-keyring", "bucket-key")}
		}
		if b.name == "acme-prod-4821-audit-logs" {
			props.RetentionPolicy = &gcpRetention{RetentionPeriod: "31536000", EffectiveTime: e.ago(days(300)), IsLocked: true}
		}
		uid := "//storage.googleapis.com/projects/_/buckets/" + b.name
		e.gcpAdd("gcp_storage_bucket", uid, b.p.id, b.region, b.name, b.labels, days(200+37*n), props)
		if b.plant != "" {
			e.plant(uid, b.plant, b.why)
		}
	}

	// KMS keys (before disks so disks can point at them).
	type keySpec struct {
		p                 gcpProjectRef
		region, ring, key string
		rotation          string
		publicMember      bool
		plant, why        string
	}
	keys := []keySpec{
		{p: prod, region: "us-central1", ring: "prod-keyring", key: "disk-key", rotation: "7776000s"},
		{p: prod, region: "us-central1", ring: "prod-keyring", key: "bucket-key", rotation: "2592000s"},
		{p: prod, region: "us-central1", ring: "prod-keyring", key: "app-secrets", rotation: "31536000s",
			plant: "gcp-kms-key-rotation-90-days", why: "rotation period set to one year"},
		{p: data, region: "europe-west1", ring: "data-keyring", key: "etl-key", rotation: "7776000s"},
		{p: data, region: "europe-west1", ring: "data-keyring", key: "shared-key", rotation: "7776000s", publicMember: true,
			plant: "gcp-kms-key-not-public", why: "allAuthenticatedUsers may encrypt and decrypt with the key"},
	}
	keyUID := map[string]string{}
	for n, k := range keys {
		name := gcpKeyName(k.p, k.region, k.ring, k.key)
		bindings := []gcpBinding{{Role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", Members: []string{
			"serviceAccount:service-" + k.p.number + "@compute-system.iam.gserviceaccount.com",
		}}}
		if k.publicMember {
			bindings = append(bindings, gcpBinding{Role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", Members: []string{"allAuthenticatedUsers"}})
		}
		labels := gcpLabels(k.p.owner, gcpEnv(k.p))
		props := gcpCryptoKey{
			Name: name, Purpose: "ENCRYPT_DECRYPT", CreateTime: e.ago(days(500 - 40*n)),
			RotationPeriod: k.rotation, NextRotationTime: e.ago(-days(11 + n)), Labels: labels,
			Primary:         gcpKeyVersion{Name: name + "/cryptoKeyVersions/" + strconv.Itoa(3+n), State: "ENABLED", Algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION"},
			VersionTemplate: gcpKeyTemplate{Algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", ProtectionLevel: "SOFTWARE"},
			IAMPolicy:       gcpPolicy{Version: 1, Etag: "BwX=", Bindings: bindings},
		}
		uid := "//cloudkms.googleapis.com/" + name
		keyUID[k.key] = uid
		e.gcpAdd("gcp_kms_crypto_key", uid, k.p.id, k.region, k.key, labels, days(500-40*n), props)
		if k.plant != "" {
			e.plant(uid, k.plant, k.why)
		}
	}
	e.edge("//storage.googleapis.com/projects/_/buckets/acme-prod-4821-backups", keyUID["bucket-key"], "encrypted_with")

	// Networks, subnetworks, firewalls.
	type subnetSpec struct {
		p                     gcpProjectRef
		network, name, region string
		cidr                  string
		noLogs                bool
		noGoogleAccess        bool
	}
	subnets := []subnetSpec{
		{p: prod, network: "prod-vpc", name: "prod-us-central1", region: "us-central1", cidr: "10.10.0.0/20"},
		{p: prod, network: "prod-vpc", name: "prod-europe-west1", region: "europe-west1", cidr: "10.20.0.0/20"},
		{p: prod, network: "prod-vpc", name: "prod-us-east1", region: "us-east1", cidr: "10.30.0.0/20", noLogs: true},
		{p: data, network: "data-vpc", name: "data-us-central1", region: "us-central1", cidr: "10.60.0.0/20"},
		{p: data, network: "data-vpc", name: "data-europe-west1", region: "europe-west1", cidr: "10.70.0.0/20"},
		{p: data, network: "default", name: "default", region: "us-central1", cidr: "10.128.0.0/20", noGoogleAccess: true},
	}
	netSubnets := map[string][]string{}
	for n, s := range subnets {
		url := gcpSubnetURL(s.p, s.region, s.name)
		netSubnets[s.p.id+"/"+s.network] = append(netSubnets[s.p.id+"/"+s.network], url)
		props := gcpSubnetwork{
			ID: gcpID(uint64(100 + n)), Name: s.name, Network: gcpNetworkURL(s.p, s.network),
			Region: gcpComputeAPI + s.p.id + "/regions/" + s.region, IPCidrRange: s.cidr, Purpose: "PRIVATE",
			PrivateIPGoogleAccess: !s.noGoogleAccess, CreationTimestamp: e.ago(days(600 - 20*n)),
		}
		if s.noLogs {
			props.LogConfig = &gcpSubnetLog{Enable: false, AggregationInterval: "INTERVAL_5_SEC", FlowSampling: 0.5, Metadata: "INCLUDE_ALL_METADATA"}
		} else {
			props.LogConfig = &gcpSubnetLog{Enable: true, AggregationInterval: "INTERVAL_5_SEC", FlowSampling: 1, Metadata: "INCLUDE_ALL_METADATA"}
		}
		uid := "//compute.googleapis.com/projects/" + s.p.id + "/regions/" + s.region + "/subnetworks/" + s.name
		e.gcpAdd("gcp_compute_subnetwork", uid, s.p.id, s.region, s.name, nil, days(600-20*n), props)
		if s.noLogs {
			e.plant(uid, "gcp-compute-subnetwork-flow-logs", "flow logs turned off to save logging costs")
		}
		if s.noGoogleAccess {
			e.plant(uid, "gcp-compute-subnetwork-private-google-access", "auto-created subnetwork without Private Google Access")
		}
	}
	for n, nw := range []struct {
		p    gcpProjectRef
		name string
		auto bool
	}{{prod, "prod-vpc", false}, {data, "data-vpc", false}, {data, "default", true}, {data, "legacy-net", false}} {
		uid := "//compute.googleapis.com/projects/" + nw.p.id + "/global/networks/" + nw.name
		props := gcpNetwork{
			ID: gcpID(uint64(200 + n)), Name: nw.name, AutoCreateSubnetworks: nw.auto, RoutingConfig: gcpRouting{RoutingMode: "REGIONAL"},
			Subnetworks: netSubnets[nw.p.id+"/"+nw.name], CreationTimestamp: e.ago(days(700 - 50*n)),
		}
		if nw.name == "legacy-net" {
			props = gcpNetwork{ID: gcpID(uint64(200 + n)), Name: nw.name, IPv4Range: "10.240.0.0/16", RoutingConfig: gcpRouting{RoutingMode: "REGIONAL"},
				Subnetworks: []string{}, CreationTimestamp: e.ago(days(2900))}
			e.plant(uid, "gcp-compute-network-not-legacy", "a pre-VPC legacy network kept for an old VPN appliance")
			e.plant(uid, "gcp-compute-network-dns-logging", "no DNS server policy with query logging covers the network")
		}
		e.gcpAdd("gcp_compute_network", uid, nw.p.id, resource.GlobalRegion, nw.name, nil, days(700-50*n), props)
		if nw.name == "default" {
			e.plant(uid, "gcp-compute-network-not-default", "the auto-created default network was never deleted")
		}
	}
	type fwSpec struct {
		p              gcpProjectRef
		network, name  string
		src            []string
		proto          string
		ports          []string
		disabled       bool
		plant, why     string
		targetTag, dir string
	}
	fws := []fwSpec{
		{p: prod, network: "prod-vpc", name: "prod-allow-internal", src: []string{"10.0.0.0/8"}, proto: "all"},
		{p: prod, network: "prod-vpc", name: "prod-allow-https-lb", src: []string{"130.211.0.0/22", "35.191.0.0/16"}, proto: "tcp", ports: []string{"443", "8080"}, targetTag: "web"},
		{p: prod, network: "prod-vpc", name: "prod-allow-iap-ssh", src: []string{"35.235.240.0/20"}, proto: "tcp", ports: []string{"22"}},
		{p: prod, network: "prod-vpc", name: "prod-allow-public-https", src: []string{"0.0.0.0/0"}, proto: "tcp", ports: []string{"443"}, targetTag: "bastion"},
		{p: prod, network: "prod-vpc", name: "prod-break-glass-ssh", src: []string{"0.0.0.0/0"}, proto: "tcp", ports: []string{"22"}, disabled: true},
		{p: data, network: "data-vpc", name: "data-allow-internal", src: []string{"10.60.0.0/14"}, proto: "tcp", ports: []string{"0-65535"}},
		{p: data, network: "default", name: "default-allow-icmp", src: []string{"0.0.0.0/0"}, proto: "icmp"},
		{p: data, network: "default", name: "default-allow-internal", src: []string{"10.128.0.0/9"}, proto: "all"},
		{p: data, network: "default", name: "default-allow-ssh", src: []string{"0.0.0.0/0"}, proto: "tcp", ports: []string{"22"},
			plant: "gcp-compute-firewall-no-public-ssh", why: "the default network's SSH rule admits the whole internet"},
		{p: data, network: "default", name: "default-allow-rdp", src: []string{"0.0.0.0/0"}, proto: "tcp", ports: []string{"3389"},
			plant: "gcp-compute-firewall-no-public-rdp", why: "the default network's RDP rule admits the whole internet"},
		{p: prod, network: "prod-vpc", name: "prod-deny-egress-smtp", src: nil, proto: "tcp", ports: []string{"25"}, dir: "EGRESS"},
	}
	for n, fw := range fws {
		props := gcpFirewall{
			ID: gcpID(uint64(300 + n)), Name: fw.name, Network: gcpNetworkURL(fw.p, fw.network), Direction: "INGRESS",
			Priority: 1000, Disabled: fw.disabled, SourceRanges: fw.src, LogConfig: gcpFwLog{Enable: fw.p == prod},
			CreationTimestamp: e.ago(days(650 - 30*n)),
		}
		rule := []gcpFwAllowed{{IPProtocol: fw.proto, Ports: fw.ports}}
		if fw.dir == "EGRESS" {
			props.Direction, props.DestinationRanges, props.Denied, props.Priority = "EGRESS", []string{"0.0.0.0/0"}, rule, 900
		} else {
			props.Allowed = rule
		}
		if fw.targetTag != "" {
			props.TargetTags = []string{fw.targetTag}
		}
		if fw.network == "default" {
			props.Priority = 65534
		}
		uid := "//compute.googleapis.com/projects/" + fw.p.id + "/global/firewalls/" + fw.name
		e.gcpAdd("gcp_compute_firewall", uid, fw.p.id, resource.GlobalRegion, fw.name, nil, days(650-30*n), props)
		if fw.plant != "" {
			e.plant(uid, fw.plant, fw.why)
		}
	}

	// Instances and their boot disks.
	type vmSpec struct {
		p                    gcpProjectRef
		name, zone, subnet   string
		network              string
		defaultSA, publicIP  bool
		serial, noBlockKeys  bool
		ipForward, unshieled bool
		plants               [][2]string
	}
	vms := []vmSpec{
		{p: prod, name: "web-1", zone: "us-central1-a", network: "prod-vpc", subnet: "prod-us-central1"},
		{p: prod, name: "web-2", zone: "us-central1-b", network: "prod-vpc", subnet: "prod-us-central1"},
		{p: prod, name: "api-1", zone: "europe-west1-b", network: "prod-vpc", subnet: "prod-europe-west1"},
		{p: prod, name: "worker-1", zone: "us-east1-c", network: "prod-vpc", subnet: "prod-us-east1"},
		{p: prod, name: "bastion-1", zone: "us-central1-c", network: "prod-vpc", subnet: "prod-us-central1", publicIP: true,
			plants: [][2]string{{"gcp-compute-instance-no-public-ip", "bastion host with an ephemeral external IP instead of IAP"}}},
		{p: prod, name: "nat-gw-1", zone: "us-central1-a", network: "prod-vpc", subnet: "prod-us-central1", ipForward: true,
			plants: [][2]string{{"gcp-compute-instance-ip-forwarding-disabled", "self-managed NAT VM forwards packets instead of Cloud NAT"}}},
		{p: data, name: "etl-worker-2", zone: "europe-west1-c", network: "data-vpc", subnet: "data-europe-west1"},
		{p: data, name: "ml-train-1", zone: "us-central1-f", network: "data-vpc", subnet: "data-us-central1"},
		{p: data, name: "etl-worker-1", zone: "us-central1-a", network: "data-vpc", subnet: "data-us-central1", defaultSA: true,
			plants: [][2]string{
				{"gcp-compute-instance-default-sa-full-scope", "default compute service account with the cloud-platform scope"},
				{"gcp-compute-instance-no-default-sa", "runs as the default compute service account"},
			}},
		{p: data, name: "debug-vm", zone: "us-central1-b", network: "default", subnet: "default", serial: true, noBlockKeys: true,
			plants: [][2]string{
				{"gcp-compute-instance-serial-port-disabled", "interactive serial console left on after debugging"},
				{"gcp-compute-instance-block-project-ssh-keys", "project-wide SSH keys accepted"},
			}},
		{p: data, name: "legacy-app-1", zone: "europe-west1-b", network: "data-vpc", subnet: "data-europe-west1", unshieled: true,
			plants: [][2]string{{"gcp-compute-instance-shielded-vm", "created from a legacy image without Shielded VM support"}}},
	}
	for n, vm := range vms {
		region := vm.zone[:len(vm.zone)-2]
		labels := gcpLabels(vm.p.owner, gcpEnv(vm.p))
		uid := gcpInstanceUID(vm.p, vm.zone, vm.name)
		diskUID := gcpDiskUID(vm.p, vm.zone, vm.name)
		props := e.gcpInstanceProps(vm.p, vm.zone, vm.name, vm.network, vm.subnet, gcpID(uint64(400+n)), labels, days(300-20*n))
		if vm.defaultSA {
			props.ServiceAccounts = []gcpSARef{{Email: gcpDefaultSA(vm.p), Scopes: []string{gcpScopeAll}}}
		}
		if vm.publicIP {
			props.NetworkInterfaces[0].AccessConfigs = []gcpAccessConfig{{Name: "External NAT", Type: "ONE_TO_ONE_NAT", NatIP: "34.123.45." + strconv.Itoa(10+n), NetworkTier: "PREMIUM"}}
		}
		if vm.serial {
			props.Metadata.Items = append(props.Metadata.Items, gcpMetaItem{Key: "serial-port-enable", Value: "true"})
		}
		if vm.noBlockKeys {
			props.Metadata.Items = props.Metadata.Items[1:]
		}
		props.CanIPForward = vm.ipForward
		if vm.unshieled {
			props.ShieldedInstanceConfig = gcpShielded{}
		}
		e.gcpAdd("gcp_compute_instance", uid, vm.p.id, region, vm.name, labels, days(300-20*n), props)
		for _, pl := range vm.plants {
			e.plant(uid, pl[0], pl[1])
		}
		disk := e.gcpDiskProps(vm.p, vm.zone, vm.name, gcpID(uint64(500+n)), uid, labels, days(300-20*n))
		if vm.p == prod {
			disk.DiskEncryptionKey = &gcpDiskKey{KmsKeyName: gcpKeyName(prod, "us-central1", "prod-keyring", "disk-key") + "/cryptoKeyVersions/3"}
		}
		e.gcpAdd("gcp_compute_disk", diskUID, vm.p.id, region, vm.name, labels, days(300-20*n), disk)
		e.edge(uid, diskUID, "attached_volume")
		if vm.p == prod {
			e.edge(diskUID, keyUID["disk-key"], "encrypted_with")
		}
	}
	orphan := gcpDiskUID(data, "us-central1-c", "orphan-scratch-1")
	od := e.gcpDiskProps(data, "us-central1-c", "orphan-scratch-1", gcpID(600), "", map[string]string{"owner": "data-team"}, days(150))
	e.gcpAdd("gcp_compute_disk", orphan, data.id, "us-central1", "orphan-scratch-1", od.Labels, days(150), od)
	e.plant(orphan, "org-required-tags", "detached scratch disk without an environment label")

	// Cloud SQL.
	type sqlSpec struct {
		p                        gcpProjectRef
		name, version, region    string
		public, openNet, noSSL   bool
		noBackup                 bool
		noDeletionProtection     bool
		plants                   [][2]string
		flags                    []gcpSQLFlag
		availability, tier, zone string
	}
	pgFlags := []gcpSQLFlag{{Name: "log_connections", Value: "on"}, {Name: "log_disconnections", Value: "on"}, {Name: "cloudsql.enable_pgaudit", Value: "on"},
		{Name: "log_statement", Value: "ddl"}, {Name: "cloudsql.iam_authentication", Value: "on"}}
	msFlags := []gcpSQLFlag{{Name: "3625", Value: "on"}, {Name: "remote access", Value: "off"}}
	sqls := []sqlSpec{
		{p: prod, name: "prod-pg-main", version: "POSTGRES_16", region: "us-central1", flags: pgFlags, availability: "REGIONAL"},
		{p: prod, name: "prod-mysql-legacy", version: "MYSQL_8_0", region: "us-east1", public: true, openNet: true,
			flags: []gcpSQLFlag{{Name: "local_infile", Value: "on"}, {Name: "skip_show_database", Value: "on"}},
			plants: [][2]string{
				{"gcp-sql-instance-no-public-ip", "public IPv4 address enabled for a reporting tool"},
				{"gcp-sql-instance-no-public-authorized-network", "0.0.0.0/0 added as an authorized network"},
				{"gcp-sql-mysql-local-infile-off", "local_infile turned on for a CSV import script"},
				{"gcp-sql-instance-iam-authentication", "only built-in MySQL users with passwords"},
			}},
		{p: prod, name: "prod-mssql-erp", version: "SQLSERVER_2022_STANDARD", region: "us-central1", flags: msFlags},
		{p: data, name: "data-mysql-reports", version: "MYSQL_8_0", region: "europe-west1",
			flags:  []gcpSQLFlag{{Name: "local_infile", Value: "off"}, {Name: "cloudsql_iam_authentication", Value: "on"}},
			plants: [][2]string{{"gcp-sql-mysql-skip-show-database-on", "skip_show_database never set"}}},
		{p: data, name: "data-pg-analytics", version: "POSTGRES_15", region: "europe-west1", noSSL: true,
			flags: append(append([]gcpSQLFlag(nil), pgFlags...), gcpSQLFlag{Name: "log_min_duration_statement", Value: "0"}, gcpSQLFlag{Name: "log_error_verbosity", Value: "verbose"}),
			plants: [][2]string{
				{"gcp-sql-instance-ssl-required", "unencrypted connections allowed"},
				{"gcp-sql-postgres-log-min-duration-statement-off", "every statement logged with its text while tuning a slow report"},
				{"gcp-sql-postgres-log-error-verbosity", "verbose error logging left on after debugging"},
			}},
		{p: data, name: "data-pg-staging", version: "POSTGRES_15", region: "us-central1", noBackup: true, noDeletionProtection: true,
			flags: []gcpSQLFlag{{Name: "log_connections", Value: "off"}, {Name: "log_statement", Value: "none"}, {Name: "log_min_messages", Value: "debug1"},
				{Name: "log_min_error_statement", Value: "notice"}, {Name: "cloudsql.iam_authentication", Value: "on"}},
			plants: [][2]string{
				{"gcp-sql-instance-backups-enabled", "automated backups turned off on a staging copy that became important"},
				{"gcp-sql-instance-deletion-protection", "deletion protection off on a staging copy that became important"},
				{"gcp-sql-postgres-log-connections-on", "connection logging off"},
				{"gcp-sql-postgres-log-disconnections-on", "disconnection logging never set"},
				{"gcp-sql-postgres-log-statement-ddl", "log_statement set to none"},
				{"gcp-sql-postgres-log-min-messages", "debug logging left on"},
				{"gcp-sql-postgres-log-min-error-statement", "log_min_error_statement lowered to notice"},
				{"gcp-sql-postgres-pgaudit-on", "pgAudit never enabled"},
			}},
		{p: data, name: "data-mssql-legacy", version: "SQLSERVER_2019_STANDARD", region: "europe-west1",
			flags: []gcpSQLFlag{{Name: "external scripts enabled", Value: "on"}, {Name: "cross db ownership chaining", Value: "on"},
				{Name: "user connections", Value: "100"}, {Name: "user options", Value: "32"}, {Name: "contained database authentication", Value: "on"}},
			plants: [][2]string{
				{"gcp-sql-sqlserver-external-scripts-off", "R scripts enabled for a forecasting experiment"},
				{"gcp-sql-sqlserver-cross-db-ownership-chaining-off", "ownership chaining kept from the on-premises server"},
				{"gcp-sql-sqlserver-user-connections-unlimited", "connections capped at 100"},
				{"gcp-sql-sqlserver-user-options-unset", "user options set to 32 for a legacy client"},
				{"gcp-sql-sqlserver-remote-access-off", "remote access left at its default (on)"},
				{"gcp-sql-sqlserver-trace-flag-3625-on", "trace flag 3625 not set"},
				{"gcp-sql-sqlserver-contained-db-auth-off", "contained database users migrated from on-premises"},
			}},
	}
	for n, s := range sqls {
		labels := gcpLabels(s.p.owner, gcpEnv(s.p))
		vpc := "data-vpc"
		if s.p == prod {
			vpc = "prod-vpc"
		}
		ipc := gcpSQLIPConfig{Ipv4Enabled: s.public, PrivateNetwork: "projects/" + s.p.id + "/global/networks/" + vpc, SslMode: "ENCRYPTED_ONLY", RequireSsl: true}
		addrs := []gcpSQLAddr{{Type: "PRIVATE", IPAddress: "10.99." + strconv.Itoa(n) + ".3"}}
		if s.public {
			addrs = append(addrs, gcpSQLAddr{Type: "PRIMARY", IPAddress: "35.202.11." + strconv.Itoa(40+n)})
		}
		if s.openNet {
			ipc.AuthorizedNetworks = []gcpAuthNet{{Name: "office", Value: "198.51.100.0/24"}, {Name: "anywhere", Value: "0.0.0.0/0"}}
		}
		if s.noSSL {
			ipc.SslMode, ipc.RequireSsl = "ALLOW_UNENCRYPTED_AND_ENCRYPTED", false
		}
		avail := s.availability
		if avail == "" {
			avail = "ZONAL"
		}
		props := gcpSQLInstance{
			Name: s.name, Project: s.p.id, DatabaseVersion: s.version, Region: s.region, GceZone: s.region + "-b",
			State: "RUNNABLE", InstanceType: "CLOUD_SQL_INSTANCE", ConnectionName: s.p.id + ":" + s.region + ":" + s.name,
			CreateTime: e.ago(days(420 - 50*n)), IPAddresses: addrs,
			Settings: gcpSQLSettings{
				Tier: "db-custom-2-7680", AvailabilityType: avail, UserLabels: labels, DeletionProtectionEnabled: !s.noDeletionProtection,
				IPConfiguration:     ipc,
				BackupConfiguration: gcpSQLBackup{Enabled: !s.noBackup, StartTime: "03:00", PointInTimeRecoveryEnabled: !s.noBackup && s.version[0] != 'S', BinaryLogEnabled: s.version[0] == 'M'},
				DatabaseFlags:       s.flags,
			},
		}
		uid := "//cloudsql.googleapis.com/projects/" + s.p.id + "/instances/" + s.name
		e.gcpAdd("gcp_sql_instance", uid, s.p.id, s.region, s.name, labels, days(420-50*n), props)
		for _, pl := range s.plants {
			e.plant(uid, pl[0], pl[1])
		}
	}

	// GKE.
	for n, c := range []struct {
		p            gcpProjectRef
		name, region string
		bad          bool
	}{{prod, "prod-gke", "us-central1", false}, {data, "data-gke", "europe-west1", true}} {
		labels := gcpLabels(c.p.owner, gcpEnv(c.p))
		pools := []gcpNodePool{{
			Name: "default-pool", Version: "1.31.4-gke.1256000", InitialNodeCount: 1,
			Config: gcpNodeConfig{MachineType: "e2-standard-4", ImageType: "COS_CONTAINERD", ServiceAccount: gcpSAEmail(c.p, "gke-nodes"),
				OauthScopes:            []string{gcpScopeAll},
				ShieldedInstanceConfig: gcpNodeShielded{EnableSecureBoot: true, EnableIntegrityMonitoring: true}},
			Management: gcpNodeManagement{AutoUpgrade: true, AutoRepair: true},
		}, {
			Name: "batch-pool", Version: "1.31.4-gke.1256000", InitialNodeCount: 0,
			Config: gcpNodeConfig{MachineType: "n2-highmem-8", ImageType: "COS_CONTAINERD", ServiceAccount: gcpSAEmail(c.p, "gke-nodes"),
				OauthScopes:            []string{gcpScopeAll},
				ShieldedInstanceConfig: gcpNodeShielded{EnableSecureBoot: true, EnableIntegrityMonitoring: true}},
			Management: gcpNodeManagement{AutoUpgrade: !c.bad, AutoRepair: true},
		}}
		props := gcpCluster{
			Name: c.name, Location: c.region, Status: "RUNNING", CreateTime: e.ago(days(380 - 100*n)),
			CurrentMasterVersion: "1.31.4-gke.1256000", ResourceLabels: labels, ReleaseChannel: gcpChannel{Channel: "REGULAR"},
			LegacyAbac:           gcpAbac{Enabled: c.bad},
			PrivateClusterConfig: gcpPrivateCluster{EnablePrivateNodes: !c.bad, MasterIpv4CidrBlock: "172.16." + strconv.Itoa(n) + ".0/28"},
			MasterAuthorizedNetworksConfig: gcpMasterAuthNets{Enabled: true, CidrBlocks: []gcpCidrBlock{
				{DisplayName: "corp-vpn", CidrBlock: "198.51.100.0/24"},
			}},
			WorkloadIdentityConfig: &gcpWorkloadIdentity{WorkloadPool: c.p.id + ".svc.id.goog"},
			NetworkPolicy:          gcpEnabled{Enabled: true},
			NodePools:              pools,
		}
		uid := "//container.googleapis.com/projects/" + c.p.id + "/locations/" + c.region + "/clusters/" + c.name
		e.gcpAdd("gcp_container_cluster", uid, c.p.id, c.region, c.name, labels, days(380-100*n), props)
		if c.bad {
			e.plant(uid, "gcp-gke-cluster-legacy-abac-disabled", "legacy ABAC left on after a 1.7 migration")
			e.plant(uid, "gcp-gke-cluster-node-auto-upgrade", "batch-pool pinned with auto-upgrade off")
			e.plant(uid, "gcp-gke-cluster-private-nodes", "nodes with public IPs for a quick test that stayed")
		}
	}

	e.gcpLoggingBase()
	e.gcpAPIKeysBase()
	e.gcpNetworkLoggingBase()
	e.gcpDataprocBase()
	e.gcpFunctionsBase()
	e.gcpDNSBase()
	e.gcpBigQueryBase()
	e.gcpAIBase()

	e.collectionError(resource.CollectionError{
		Provider: resource.GCP, Account: data.id, Region: resource.GlobalRegion, Service: "cloudfunctions",
		Op: "cloudfunctions.functions.list", Kind: resource.NotEnabled,
		Message: "Cloud Functions API has not been used in project " + data.number + " before or it is disabled (SERVICE_DISABLED)",
	})
}

// gcpInstanceProps returns a clean instance: dedicated service account, no
// external IP, Shielded VM, project SSH keys blocked, serial port off.
func (e *estate) gcpInstanceProps(p gcpProjectRef, zone, name, network, subnet, id string, labels map[string]string, age time.Duration) gcpInstance {
	region := zone[:len(zone)-2]
	return gcpInstance{
		ID: id, Name: name, Zone: gcpComputeAPI + p.id + "/zones/" + zone,
		MachineType: gcpComputeAPI + p.id + "/zones/" + zone + "/machineTypes/e2-standard-2",
		Status:      "RUNNING", CreationTimestamp: e.ago(age), Labels: labels,
		Metadata: gcpMetadata{Fingerprint: "mQ1d" + id[len(id)-6:], Items: []gcpMetaItem{
			{Key: "block-project-ssh-keys", Value: "true"},
			{Key: "enable-oslogin", Value: "TRUE"},
		}},
		ServiceAccounts: []gcpSARef{{Email: gcpSAEmail(p, "app-backend"), Scopes: []string{
			"https://www.googleapis.com/auth/logging.write", "https://www.googleapis.com/auth/monitoring.write",
		}}},
		NetworkInterfaces: []gcpNIC{{
			Name: "nic0", Network: gcpNetworkURL(p, network), Subnetwork: gcpSubnetURL(p, region, subnet),
			NetworkIP: gcpInternalIP(id),
		}},
		Disks:                  []gcpAttachedDisk{{DeviceName: name, Source: gcpComputeAPI + p.id + "/zones/" + zone + "/disks/" + name, Boot: true, Mode: "READ_WRITE"}},
		ShieldedInstanceConfig: gcpShielded{EnableSecureBoot: true, EnableVtpm: true, EnableIntegrityMonitoring: true},
	}
}

// gcpDiskProps returns a boot disk, used by the instance user when non-empty.
func (e *estate) gcpDiskProps(p gcpProjectRef, zone, name, id, user string, labels map[string]string, age time.Duration) gcpDisk {
	d := gcpDisk{
		ID: id, Name: name, Zone: gcpComputeAPI + p.id + "/zones/" + zone,
		Type: gcpComputeAPI + p.id + "/zones/" + zone + "/diskTypes/pd-balanced", SizeGb: "50", Status: "READY",
		CreationTimestamp: e.ago(age), SourceImage: "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/debian-12-bookworm-v20251014",
		Labels: labels,
	}
	if user != "" {
		d.Users = []string{gcpComputeAPI + p.id + "/zones/" + zone + "/instances/" + name}
	}
	return d
}

// gcpFill emits one clean filler resource (about 2% planted), cycling through
// buckets, instances, their boot disks and firewall rules. The demo driver
// calls it twice with the same i, so k (unique per call) is derived from i and
// the parity of the resource count, which differs between the two calls.
func (e *estate) gcpFill(i int) {
	k := 2*i + e.count&1
	j := k / 4
	p := gcpProjects[j%2]
	region := gcpRegions[(j/2)%3]
	zone := region + "-" + string(rune('a'+(j/6)%3))
	planted := j%50 == 17
	js := strconv.Itoa(j)
	age := days(1 + j%700)
	switch k % 4 {
	case 0:
		name := p.id + "-fill-" + js
		labels := gcpLabels(p.owner, gcpEnv(p))
		b := gcpBucket{
			ID: name, Name: name, ProjectNumber: p.number, Location: upper(region), LocationType: "region",
			StorageClass: "STANDARD", TimeCreated: e.ago(age), Updated: e.ago(age / 2), Labels: labels,
			Versioning:       gcpEnabled{Enabled: j%3 == 0},
			IAMConfiguration: gcpBucketIAMConfig{UniformBucketLevelAccess: gcpUBLA{Enabled: true}, PublicAccessPrevention: "enforced"},
			IAMPolicy: gcpPolicy{Version: 1, Etag: "CAE=", Bindings: []gcpBinding{
				{Role: "roles/storage.legacyBucketOwner", Members: []string{"projectEditor:" + p.id, "projectOwner:" + p.id}},
			}},
		}
		if planted {
			b.IAMConfiguration.PublicAccessPrevention = "inherited"
			b.IAMPolicy.Bindings = append(b.IAMPolicy.Bindings, gcpBinding{Role: "roles/storage.objectViewer", Members: []string{"allUsers"}})
		}
		uid := "//storage.googleapis.com/projects/_/buckets/" + name
		e.gcpAdd("gcp_storage_bucket", uid, p.id, region, name, labels, age, b)
		if planted {
			e.plant(uid, "gcp-storage-bucket-not-public", "filler bucket shared with allUsers")
		}
	case 1:
		name := "vm-fill-" + js
		labels := gcpLabels(p.owner, gcpEnv(p))
		network, subnet := "prod-vpc", "prod-"+region
		if p.id != gcpProjects[0].id {
			network, subnet = "data-vpc", "data-"+region
		}
		props := e.gcpInstanceProps(p, zone, name, network, subnet, gcpID(uint64(10000+k)), labels, age)
		if planted {
			props.NetworkInterfaces[0].AccessConfigs = []gcpAccessConfig{{Name: "External NAT", Type: "ONE_TO_ONE_NAT", NatIP: "35.184." + strconv.Itoa(j%250) + "." + strconv.Itoa(1+j%200), NetworkTier: "STANDARD"}}
		}
		uid := gcpInstanceUID(p, zone, name)
		e.gcpAdd("gcp_compute_instance", uid, p.id, region, name, labels, age, props)
		if planted {
			e.plant(uid, "gcp-compute-instance-no-public-ip", "filler VM with an external IP")
		}
	case 2:
		name := "vm-fill-" + js
		labels := gcpLabels(p.owner, gcpEnv(p))
		if planted {
			labels = map[string]string{"owner": p.owner}
		}
		inst := gcpInstanceUID(p, zone, name)
		d := e.gcpDiskProps(p, zone, name, gcpID(uint64(10000+k)), inst, labels, age)
		uid := gcpDiskUID(p, zone, name)
		e.gcpAdd("gcp_compute_disk", uid, p.id, region, name, labels, age, d)
		e.edge(inst, uid, "attached_volume")
		if planted {
			e.plant(uid, "org-required-tags", "filler disk without an environment label")
		}
	default:
		name := "fill-allow-app-" + js
		network := "prod-vpc"
		if p.id != gcpProjects[0].id {
			network = "data-vpc"
		}
		fw := gcpFirewall{
			ID: gcpID(uint64(10000 + k)), Name: name, Network: gcpNetworkURL(p, network), Direction: "INGRESS", Priority: 1000,
			SourceRanges: []string{"10.0.0.0/8"}, TargetTags: []string{"app-" + strconv.Itoa(j%40)},
			Allowed:   []gcpFwAllowed{{IPProtocol: "tcp", Ports: []string{strconv.Itoa(8000 + j%1000)}}},
			LogConfig: gcpFwLog{Enable: true}, CreationTimestamp: e.ago(age),
		}
		if planted {
			fw.SourceRanges = []string{"0.0.0.0/0"}
			fw.Allowed = []gcpFwAllowed{{IPProtocol: "tcp", Ports: []string{"22", strconv.Itoa(8000 + j%1000)}}}
		}
		uid := "//compute.googleapis.com/projects/" + p.id + "/global/firewalls/" + name
		e.gcpAdd("gcp_compute_firewall", uid, p.id, resource.GlobalRegion, name, nil, age, fw)
		if planted {
			e.plant(uid, "gcp-compute-firewall-no-public-ssh", "filler rule opened SSH to the internet")
		}
	}
}

// upper upper-cases an ASCII region name the way Cloud Storage writes
// locations.
func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// gcpInternalIP derives a stable internal address from a numeric ID.
func gcpInternalIP(id string) string {
	n, _ := strconv.Atoi(id[len(id)-6:])
	return "10." + strconv.Itoa(n/62500%250) + "." + strconv.Itoa(n/250%250) + "." + strconv.Itoa(2+n%250)
}

// gcpCollected is the "collected" record of a demo project: every service
// read completely, except Cloud Functions in the data project, where the
// API is disabled (see the collection error in gcpBase).
func gcpCollected(p gcpProjectRef) map[string]bool {
	out := map[string]bool{}
	if p == gcpProjects[0] {
		out["cloudfunctions"] = true
	}
	for _, s := range []string{"compute", "iam", "storage", "sqladmin", "cloudkms", "container", "dns", "logging", "bigquery", "monitoring",
		"aiplatform", "notebooks", "apikeys", "essentialcontacts", "serviceusage", "dataproc", "orgpolicy"} {
		out[s] = true
	}
	return out
}

type gcpSink struct {
	Name            string `json:"name"`
	Destination     string `json:"destination"`
	Filter          string `json:"filter,omitempty"`
	Disabled        bool   `json:"disabled"`
	WriterIdentity  string `json:"writer_identity"`
	IncludeChildren bool   `json:"include_children"`
	CreateTime      string `json:"create_time,omitempty"`
	UpdateTime      string `json:"update_time,omitempty"`
}

type gcpLogMetric struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Filter      string `json:"filter"`
	Disabled    bool   `json:"disabled"`
	MetricType  string `json:"metric_type"`
	CreateTime  string `json:"create_time"`
	UpdateTime  string `json:"update_time"`
}

type gcpThreshold struct {
	Filter     string `json:"filter"`
	Comparison string `json:"comparison"`
	Duration   string `json:"duration"`
}

type gcpAlertCondition struct {
	Name               string       `json:"name"`
	DisplayName        string       `json:"display_name"`
	ConditionThreshold gcpThreshold `json:"condition_threshold"`
}

type gcpMutation struct {
	MutateTime string `json:"mutate_time"`
}

type gcpAlertPolicy struct {
	Name                 string              `json:"name"`
	DisplayName          string              `json:"display_name"`
	Enabled              bool                `json:"enabled"`
	Combiner             string              `json:"combiner"`
	UserLabels           map[string]string   `json:"user_labels"`
	NotificationChannels []string            `json:"notification_channels"`
	Conditions           []gcpAlertCondition `json:"conditions"`
	CreationRecord       gcpMutation         `json:"creation_record"`
}

// gcpCISMetrics are the CIS 2.x log-based metrics: name and filter.
var gcpCISMetrics = [...][2]string{
	{"cis-project-ownership-changes", `(protoPayload.serviceName="cloudresourcemanager.googleapis.com") AND (ProjectOwnership OR projectOwnerInvitee) OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="REMOVE" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner") OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="ADD" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner")`},
	{"cis-audit-config-changes", `protoPayload.methodName="SetIamPolicy" AND protoPayload.serviceData.policyDelta.auditConfigDeltas:*`},
	{"cis-custom-role-changes", `resource.type="iam_role" AND (protoPayload.methodName="google.iam.admin.v1.CreateRole" OR protoPayload.methodName="google.iam.admin.v1.DeleteRole" OR protoPayload.methodName="google.iam.admin.v1.UpdateRole")`},
	{"cis-firewall-changes", `resource.type="gce_firewall_rule" AND (protoPayload.methodName:"compute.firewalls.patch" OR protoPayload.methodName:"compute.firewalls.insert" OR protoPayload.methodName:"compute.firewalls.delete")`},
	{"cis-route-changes", `resource.type="gce_route" AND (protoPayload.methodName:"compute.routes.delete" OR protoPayload.methodName:"compute.routes.insert")`},
	{"cis-network-changes", `resource.type="gce_network" AND (protoPayload.methodName:"compute.networks.insert" OR protoPayload.methodName:"compute.networks.patch" OR protoPayload.methodName:"compute.networks.delete" OR protoPayload.methodName:"compute.networks.removePeering" OR protoPayload.methodName:"compute.networks.addPeering")`},
	{"cis-bucket-iam-changes", `resource.type="gcs_bucket" AND protoPayload.methodName="storage.setIamPermissions"`},
	{"cis-sql-config-changes", `protoPayload.methodName="cloudsql.instances.update"`},
}

// gcpLoggingBase adds log sinks, log-based metrics and alert policies:
// acme-prod-4821 exports every entry to its locked audit-logs bucket and
// alerts on every CIS 2.x change; acme-data-1177 exports only errors, to a
// bucket without a locked retention policy, and its one CIS metric's alert
// is disabled.
func (e *estate) gcpLoggingBase() {
	prod, data := gcpProjects[0], gcpProjects[1]
	for _, p := range gcpProjects {
		writer := "serviceAccount:service-" + p.number + "@gcp-sa-logging.iam.gserviceaccount.com"
		sinks := []gcpSink{
			{Name: "_Required", Destination: "logging.googleapis.com/projects/" + p.id + "/locations/global/buckets/_Required",
				Filter: `LOG_ID("cloudaudit.googleapis.com/activity") OR LOG_ID("externalaudit.googleapis.com/activity") OR LOG_ID("cloudaudit.googleapis.com/system_event")`},
			{Name: "_Default", Destination: "logging.googleapis.com/projects/" + p.id + "/locations/global/buckets/_Default",
				Filter: `NOT LOG_ID("cloudaudit.googleapis.com/activity") AND NOT LOG_ID("externalaudit.googleapis.com/activity")`, WriterIdentity: writer},
		}
		if p == prod {
			sinks = append(sinks, gcpSink{Name: "all-to-audit-bucket", Destination: "storage.googleapis.com/acme-prod-4821-audit-logs", WriterIdentity: writer,
				CreateTime: e.ago(days(600)), UpdateTime: e.ago(days(200))})
		} else {
			sinks = append(sinks, gcpSink{Name: "errors-to-raw", Destination: "storage.googleapis.com/acme-data-1177-raw", Filter: "severity>=ERROR",
				WriterIdentity: writer, CreateTime: e.ago(days(300)), UpdateTime: e.ago(days(300))})
		}
		for _, k := range sinks {
			uid := "//logging.googleapis.com/projects/" + p.id + "/sinks/" + k.Name
			e.gcpAdd("gcp_logging_sink", uid, p.id, resource.GlobalRegion, k.Name, nil, days(600), k)
			if b, ok := strings.CutPrefix(k.Destination, "storage.googleapis.com/"); ok {
				e.edge(uid, "//storage.googleapis.com/projects/_/buckets/"+b, "exports_to")
			}
			if k.Name == "errors-to-raw" {
				e.plant(uid, "gcp-logging-sink-bucket-retention-locked", "exports to the raw data bucket, which has no retention policy")
			}
		}
	}
	e.plant("//cloudresourcemanager.googleapis.com/projects/"+data.number, "gcp-logging-sink-exports-all-logs", "the only export sink keeps errors only")

	metric := func(p gcpProjectRef, name, filter string, n int) {
		uid := "//logging.googleapis.com/projects/" + p.id + "/metrics/" + name
		e.gcpAdd("gcp_logging_metric", uid, p.id, resource.GlobalRegion, name, nil, days(500-n), gcpLogMetric{
			Name: name, Description: "CIS Google Cloud 2.x", Filter: filter, MetricType: "logging.googleapis.com/user/" + name,
			CreateTime: e.ago(days(500 - n)), UpdateTime: e.ago(days(500 - n)),
		})
	}
	alert := func(p gcpProjectRef, id, metricName string, enabled bool, n int) {
		name := "projects/" + p.id + "/alertPolicies/" + id
		uid := "//monitoring.googleapis.com/" + name
		labels := gcpLabels("security-team", gcpEnv(p))
		e.gcpAdd("gcp_monitoring_alert_policy", uid, p.id, resource.GlobalRegion, metricName+" alert", labels, days(490-n), gcpAlertPolicy{
			Name: name, DisplayName: metricName + " alert", Enabled: enabled, Combiner: "OR", UserLabels: labels,
			NotificationChannels: []string{"projects/" + p.id + "/notificationChannels/" + strconv.Itoa(9100+n)},
			Conditions: []gcpAlertCondition{{Name: name + "/conditions/1", DisplayName: metricName + " > 0", ConditionThreshold: gcpThreshold{
				Filter: `metric.type="logging.googleapis.com/user/` + metricName + `" AND resource.type="global"`, Comparison: "COMPARISON_GT", Duration: "0s",
			}}},
			CreationRecord: gcpMutation{MutateTime: e.ago(days(490 - n))},
		})
		e.edge(uid, "//logging.googleapis.com/projects/"+p.id+"/metrics/"+metricName, "watches")
	}
	for n, m := range gcpCISMetrics {
		metric(prod, m[0], m[1], n)
		alert(prod, strconv.Itoa(4000+n), m[0], true, n)
	}
	metric(data, gcpCISMetrics[3][0], gcpCISMetrics[3][1], 20)
	alert(data, "5003", gcpCISMetrics[3][0], false, 20)
	dataUID := "//cloudresourcemanager.googleapis.com/projects/" + data.number
	for _, m := range gcpCISMetrics {
		id := "gcp-logging-metric-alert-" + strings.TrimPrefix(m[0], "cis-")
		why := "no log-based metric with an alert for this change"
		if m == gcpCISMetrics[3] {
			why = "the firewall-change metric exists but its alert policy is disabled"
		}
		e.plant(dataUID, id, why)
	}
}

type gcpDNSKeySpec struct {
	KeyType   string `json:"key_type"`
	Algorithm string `json:"algorithm"`
	KeyLength int    `json:"key_length"`
}

type gcpDNSSEC struct {
	State           string          `json:"state"`
	NonExistence    string          `json:"non_existence,omitempty"`
	DefaultKeySpecs []gcpDNSKeySpec `json:"default_key_specs"`
}

type gcpDNSZone struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	DNSName      string            `json:"dns_name"`
	Description  string            `json:"description"`
	Visibility   string            `json:"visibility"`
	CreationTime string            `json:"creation_time"`
	Labels       map[string]string `json:"labels"`
	DNSSECConfig *gcpDNSSEC        `json:"dnssec_config,omitempty"`
}

// gcpDNSBase adds Cloud DNS zones: a signed public zone and a private one
// in production; in the data project a public zone without DNSSEC and one
// signed with RSASHA1.
func (e *estate) gcpDNSBase() {
	prod, data := gcpProjects[0], gcpProjects[1]
	strong := []gcpDNSKeySpec{{KeyType: "keySigning", Algorithm: "rsasha256", KeyLength: 2048}, {KeyType: "zoneSigning", Algorithm: "rsasha256", KeyLength: 1024}}
	weak := []gcpDNSKeySpec{{KeyType: "keySigning", Algorithm: "rsasha1", KeyLength: 2048}, {KeyType: "zoneSigning", Algorithm: "rsasha1", KeyLength: 1024}}
	zones := []struct {
		p              gcpProjectRef
		name, dns, vis string
		dnssec         *gcpDNSSEC
		plants         [][2]string
	}{
		{p: prod, name: "acme-example", dns: "acme.example.", vis: "public", dnssec: &gcpDNSSEC{State: "on", NonExistence: "nsec3", DefaultKeySpecs: strong}},
		{p: prod, name: "internal", dns: "internal.acme.example.", vis: "private"},
		{p: data, name: "data-acme-example", dns: "data.acme.example.", vis: "public", dnssec: &gcpDNSSEC{State: "off", DefaultKeySpecs: []gcpDNSKeySpec{}},
			plants: [][2]string{{"gcp-dns-zone-dnssec-enabled", "DNSSEC never turned on for the data portal's zone"}}},
		{p: data, name: "reports-acme-example", dns: "reports.acme.example.", vis: "public", dnssec: &gcpDNSSEC{State: "on", NonExistence: "nsec", DefaultKeySpecs: weak},
			plants: [][2]string{
				{"gcp-dns-zone-ksk-not-rsasha1", "zone signed in 2019 with RSASHA1 keys"},
				{"gcp-dns-zone-zsk-not-rsasha1", "zone signed in 2019 with RSASHA1 keys"},
			}},
	}
	for n, z := range zones {
		labels := gcpLabels(z.p.owner, gcpEnv(z.p))
		uid := "//dns.googleapis.com/projects/" + z.p.id + "/managedZones/" + z.name
		e.gcpAdd("gcp_dns_managed_zone", uid, z.p.id, resource.GlobalRegion, z.name, labels, days(700-90*n), gcpDNSZone{
			ID: gcpID(uint64(700 + n)), Name: z.name, DNSName: z.dns, Description: "Managed by the platform team", Visibility: z.vis,
			CreationTime: e.ago(days(700 - 90*n)), Labels: labels, DNSSECConfig: z.dnssec,
		})
		for _, pl := range z.plants {
			e.plant(uid, pl[0], pl[1])
		}
	}
}

type gcpDatasetRef struct {
	ProjectID string `json:"project_id"`
	DatasetID string `json:"dataset_id"`
}

type gcpDatasetAccess struct {
	Role         string `json:"role"`
	UserByEmail  string `json:"user_by_email,omitempty"`
	GroupByEmail string `json:"group_by_email,omitempty"`
	SpecialGroup string `json:"special_group,omitempty"`
	IAMMember    string `json:"iam_member,omitempty"`
}

type gcpKMSRef struct {
	KmsKeyName string `json:"kms_key_name"`
}

type gcpDataset struct {
	ID                             string             `json:"id"`
	DatasetReference               gcpDatasetRef      `json:"dataset_reference"`
	FriendlyName                   string             `json:"friendly_name"`
	Location                       string             `json:"location"`
	CreationTime                   string             `json:"creation_time"`
	Labels                         map[string]string  `json:"labels"`
	DefaultEncryptionConfiguration *gcpKMSRef         `json:"default_encryption_configuration,omitempty"`
	Access                         []gcpDatasetAccess `json:"access"`
}

// gcpBigQueryBase adds BigQuery datasets: a CMEK-encrypted analytics
// dataset in production; in the data project a dataset shared with every
// Google account and one on Google-managed keys.
func (e *estate) gcpBigQueryBase() {
	prod, data := gcpProjects[0], gcpProjects[1]
	sets := []struct {
		p            gcpProjectRef
		id, region   string
		cmek, public bool
		plants       [][2]string
	}{
		{p: prod, id: "analytics", region: "us-central1", cmek: true},
		{p: data, id: "marketing_share", region: "europe-west1", public: true, plants: [][2]string{
			{"gcp-bigquery-dataset-not-public", "shared with allAuthenticatedUsers for an agency"},
			{"gcp-bigquery-dataset-cmek", "no default customer-managed key"},
		}},
		{p: data, id: "raw_events", region: "us-central1", plants: [][2]string{{"gcp-bigquery-dataset-cmek", "no default customer-managed key"}}},
		{p: data, id: "curated", region: "europe-west1", cmek: true},
	}
	for n, d := range sets {
		labels := gcpLabels(d.p.owner, gcpEnv(d.p))
		access := []gcpDatasetAccess{
			{Role: "OWNER", SpecialGroup: "projectOwners"},
			{Role: "READER", GroupByEmail: "analysts@acme.example"},
			{Role: "WRITER", UserByEmail: gcpSAEmail(d.p, "app-backend")},
		}
		if d.public {
			access = append(access, gcpDatasetAccess{Role: "READER", SpecialGroup: "allAuthenticatedUsers"})
		}
		props := gcpDataset{
			ID: d.p.id + ":" + d.id, DatasetReference: gcpDatasetRef{ProjectID: d.p.id, DatasetID: d.id}, FriendlyName: d.id,
			Location: d.region, CreationTime: strconv.FormatInt(e.now.Add(-days(400-60*n)).UnixMilli(), 10), Labels: labels, Access: access,
		}
		uid := "//bigquery.googleapis.com/projects/" + d.p.id + "/datasets/" + d.id
		if d.cmek {
			key := gcpKeyName(prod, "us-central1", "prod-keyring", "bucket-key")
			if d.p == data {
				key = gcpKeyName(data, "europe-west1", "data-keyring", "etl-key")
			}
			props.DefaultEncryptionConfiguration = &gcpKMSRef{KmsKeyName: key}
			e.edge(uid, kmsKeyUID(props.DefaultEncryptionConfiguration.KmsKeyName), "encrypted_with")
		}
		e.gcpAdd("gcp_bigquery_dataset", uid, d.p.id, d.region, d.id, labels, days(400-60*n), props)
		for _, pl := range d.plants {
			e.plant(uid, pl[0], pl[1])
		}
	}
}

// kmsKeyUID is the UID of a Cloud KMS crypto key name.
func kmsKeyUID(name string) string { return "//cloudkms.googleapis.com/" + name }

// gcpContacts are a project's effective Essential Contacts: the
// organization's security contact for production, a lone technical
// contact for the data project.
func gcpContacts(p gcpProjectRef) []gcpContact {
	if p == gcpProjects[0] {
		return []gcpContact{
			{Name: "organizations/" + gcpOrgID + "/contacts/1", Email: "security@acme.example", LanguageTag: "en", ValidationState: "VALID",
				NotificationCategorySubscriptions: []string{"SECURITY", "TECHNICAL", "LEGAL", "SUSPENSION"}},
			{Name: "projects/" + p.number + "/contacts/2", Email: "platform-oncall@acme.example", LanguageTag: "en", ValidationState: "VALID",
				NotificationCategorySubscriptions: []string{"TECHNICAL_INCIDENTS"}},
		}
	}
	return []gcpContact{{Name: "projects/" + p.number + "/contacts/7", Email: "data-team@acme.example", LanguageTag: "en", ValidationState: "VALID",
		NotificationCategorySubscriptions: []string{"TECHNICAL"}}}
}

// gcpEnabledServices are the APIs enabled in a project.
func gcpEnabledServices(p gcpProjectRef) []string {
	out := []string{"compute.googleapis.com", "storage.googleapis.com", "sqladmin.googleapis.com", "bigquery.googleapis.com",
		"logging.googleapis.com", "monitoring.googleapis.com", "aiplatform.googleapis.com", "container.googleapis.com"}
	if p == gcpProjects[0] {
		out = append(out, "cloudasset.googleapis.com", "cloudkms.googleapis.com")
	}
	return out
}

type gcpAPIKeyRestrictions struct {
	BrowserKeyRestrictions *struct {
		AllowedReferrers []string `json:"allowed_referrers"`
	} `json:"browser_key_restrictions,omitempty"`
	APITargets []gcpAPITarget `json:"api_targets"`
}

type gcpAPITarget struct {
	Service string   `json:"service"`
	Methods []string `json:"methods"`
}

type gcpAPIKey struct {
	Name         string                `json:"name"`
	UID          string                `json:"uid"`
	DisplayName  string                `json:"display_name"`
	CreateTime   string                `json:"create_time"`
	UpdateTime   string                `json:"update_time"`
	Restrictions gcpAPIKeyRestrictions `json:"restrictions"`
}

// gcpAPIKeysBase adds the data project's API keys: a restricted Maps key
// and a forgotten unrestricted one; production has none.
func (e *estate) gcpAPIKeysBase() {
	data := gcpProjects[1]
	maps := gcpAPIKey{Name: "projects/" + data.number + "/locations/global/keys/3f9a1c", UID: "3f9a1c", DisplayName: "maps-frontend",
		CreateTime: e.ago(days(30)), UpdateTime: e.ago(days(30)),
		Restrictions: gcpAPIKeyRestrictions{APITargets: []gcpAPITarget{{Service: "maps-backend.googleapis.com", Methods: []string{}}}}}
	maps.Restrictions.BrowserKeyRestrictions = &struct {
		AllowedReferrers []string `json:"allowed_referrers"`
	}{AllowedReferrers: []string{"https://data.acme.example/*"}}
	legacy := gcpAPIKey{Name: "projects/" + data.number + "/locations/global/keys/77b2e0", UID: "77b2e0", DisplayName: "legacy-server",
		CreateTime: e.ago(days(400)), UpdateTime: e.ago(days(400)), Restrictions: gcpAPIKeyRestrictions{APITargets: []gcpAPITarget{}}}
	for _, k := range []gcpAPIKey{maps, legacy} {
		uid := "//apikeys.googleapis.com/" + k.Name
		e.gcpAdd("gcp_apikeys_key", uid, data.id, resource.GlobalRegion, k.DisplayName, nil, days(30), k)
		if k.UID == legacy.UID {
			e.plant(uid, "gcp-apikeys-key-restricted-clients", "usable from any website, address or app")
			e.plant(uid, "gcp-apikeys-key-api-restricted", "may call every enabled API")
			e.plant(uid, "gcp-apikeys-key-rotated-90-days", "created 400 days ago and never replaced")
		}
	}
	e.plant("//cloudresourcemanager.googleapis.com/projects/"+data.number, "gcp-apikeys-none-in-project", "two API keys, one of them unused")
}

type gcpDNSPolicyNetwork struct {
	NetworkURL string `json:"network_url"`
}

type gcpDNSPolicy struct {
	Name                    string                `json:"name"`
	ID                      string                `json:"id"`
	Description             string                `json:"description"`
	EnableLogging           bool                  `json:"enable_logging"`
	EnableInboundForwarding bool                  `json:"enable_inbound_forwarding"`
	Networks                []gcpDNSPolicyNetwork `json:"networks"`
}

type gcpBackendLog struct {
	Enable     bool    `json:"enable"`
	SampleRate float64 `json:"sample_rate,omitempty"`
}

type gcpBackendService struct {
	ID                  string          `json:"id"`
	Name                string          `json:"name"`
	Protocol            string          `json:"protocol"`
	LoadBalancingScheme string          `json:"load_balancing_scheme"`
	LogConfig           gcpBackendLog   `json:"log_config"`
	SecurityPolicy      string          `json:"security_policy,omitempty"`
	EnableCDN           bool            `json:"enable_cdn"`
	Backends            []gcpBackendRef `json:"backends"`
	CreationTimestamp   string          `json:"creation_timestamp"`
}

type gcpBackendRef struct {
	Group string `json:"group"`
}

// gcpNetworkLoggingBase adds DNS server policies and load balancer backend
// services: production logs DNS queries and HTTP requests; the data
// project's DNS policy does not log (and leaves the default network out)
// and its reports load balancer does not log requests.
func (e *estate) gcpNetworkLoggingBase() {
	prod, data := gcpProjects[0], gcpProjects[1]
	for n, d := range []struct {
		p       gcpProjectRef
		name    string
		logging bool
		network string
	}{{prod, "prod-dns-logging", true, "prod-vpc"}, {data, "data-dns", false, "data-vpc"}} {
		uid := "//dns.googleapis.com/projects/" + d.p.id + "/policies/" + d.name
		e.gcpAdd("gcp_dns_policy", uid, d.p.id, resource.GlobalRegion, d.name, nil, days(500), gcpDNSPolicy{
			Name: d.name, ID: gcpID(uint64(800 + n)), Description: "VPC DNS policy", EnableLogging: d.logging,
			Networks: []gcpDNSPolicyNetwork{{NetworkURL: gcpNetworkURL(d.p, d.network)}},
		})
		e.edge(uid, "//compute.googleapis.com/projects/"+d.p.id+"/global/networks/"+d.network, "applies_to")
	}
	for _, nw := range []string{"data-vpc", "default"} {
		e.plant("//compute.googleapis.com/projects/"+data.id+"/global/networks/"+nw, "gcp-compute-network-dns-logging", "no DNS server policy with query logging covers the network")
	}
	for n, b := range []struct {
		p                gcpProjectRef
		name, protocol   string
		logging, planted bool
	}{{prod, "web-backend", "HTTPS", true, false}, {data, "reports-backend", "HTTP", false, true}, {data, "kafka-tcp", "TCP", false, false}} {
		uid := "//compute.googleapis.com/projects/" + b.p.id + "/global/backendServices/" + b.name
		props := gcpBackendService{
			ID: gcpID(uint64(850 + n)), Name: b.name, Protocol: b.protocol, LoadBalancingScheme: "EXTERNAL_MANAGED",
			LogConfig: gcpBackendLog{Enable: b.logging}, EnableCDN: b.p == prod,
			Backends:          []gcpBackendRef{{Group: gcpComputeAPI + b.p.id + "/zones/us-central1-a/instanceGroups/" + b.name}},
			CreationTimestamp: e.ago(days(300 - 40*n)),
		}
		if b.logging {
			props.LogConfig.SampleRate = 1
			props.SecurityPolicy = gcpComputeAPI + b.p.id + "/global/securityPolicies/edge-policy"
		}
		e.gcpAdd("gcp_compute_backend_service", uid, b.p.id, resource.GlobalRegion, b.name, nil, days(300-40*n), props)
		if b.planted {
			e.plant(uid, "gcp-compute-backend-service-logging", "request logging never turned on for the internal reports site")
		}
	}
}

// gcpDataprocBase adds a Dataproc cluster per project: production's on a
// customer-managed key, the data project's ad-hoc one on Google-managed
// keys.
func (e *estate) gcpDataprocBase() {
	prod, data := gcpProjects[0], gcpProjects[1]
	for n, c := range []struct {
		p            gcpProjectRef
		name, region string
		cmek         bool
	}{{prod, "spark-etl", "us-central1", true}, {data, "adhoc-spark", "europe-west1", false}} {
		labels := gcpLabels(c.p.owner, gcpEnv(c.p))
		sa := gcpSAEmail(c.p, "app-backend")
		if c.p == data {
			sa = gcpSAEmail(c.p, "etl-runner")
		}
		cfg := map[string]any{
			"config_bucket": "dataproc-staging-" + c.region + "-" + c.p.number, "temp_bucket": "dataproc-temp-" + c.region + "-" + c.p.number,
			"gce_cluster_config": map[string]any{"internal_ip_only": true, "service_account": sa,
				"service_account_scopes": []string{gcpScopeAll}, "subnetwork_uri": gcpSubnetURL(c.p, c.region, c.p.id[5:9]+"-"+c.region)},
			"software_config": map[string]any{"image_version": "2.2.30-debian12"},
		}
		uid := "//dataproc.googleapis.com/projects/" + c.p.id + "/regions/" + c.region + "/clusters/" + c.name
		if c.cmek {
			key := gcpKeyName(prod, "us-central1", "prod-keyring", "disk-key")
			cfg["encryption_config"] = map[string]any{"gce_pd_kms_key_name": key}
			e.edge(uid, kmsKeyUID(key), "encrypted_with")
		}
		e.gcpAdd("gcp_dataproc_cluster", uid, c.p.id, c.region, c.name, labels, days(60-20*n), map[string]any{
			"cluster_name": c.name, "cluster_uuid": "0d7c1e2a-" + strconv.Itoa(1000+n), "project_id": c.p.id, "labels": labels,
			"status": map[string]any{"state": "RUNNING", "state_start_time": e.ago(days(60 - 20*n))}, "config": cfg,
		})
		if !c.cmek {
			e.plant(uid, "gcp-dataproc-cluster-cmek", "ad-hoc cluster created with Google-managed keys")
		}
	}
}

// gcpFunctionsBase adds production's Cloud Functions: a webhook done right
// and a 1st gen export function from 2021 that nobody revisited.
func (e *estate) gcpFunctionsBase() {
	prod := gcpProjects[0]
	for n, f := range []struct {
		name string
		bad  bool
	}{{"checkout-webhook", false}, {"legacy-export", true}} {
		labels := gcpLabels(prod.owner, gcpEnv(prod))
		name := "projects/" + prod.id + "/locations/us-central1/functions/" + f.name
		uid := "//cloudfunctions.googleapis.com/" + name
		sc := map[string]any{
			"service": "projects/" + prod.id + "/locations/us-central1/services/" + f.name, "ingress_settings": "ALLOW_INTERNAL_AND_GCLB",
			"security_level": "SECURE_ALWAYS", "service_account_email": gcpSAEmail(prod, "app-backend"),
			"environment_variables":             map[string]any{"LOG_LEVEL": "[redacted]"},
			"secret_like_environment_variables": []string{},
			"secret_environment_variables":      []map[string]any{{"key": "PSP_SIGNING_KEY", "project_id": prod.number, "secret": "psp-signing-key", "version": "latest"}},
			"timeout_seconds":                   60, "max_instance_count": 20,
		}
		invoker := "serviceAccount:" + gcpSAEmail(prod, "app-backend")
		env := "GEN_2"
		if f.bad {
			env = "GEN_1"
			sc["ingress_settings"], sc["security_level"] = "ALLOW_ALL", "SECURE_OPTIONAL"
			sc["service_account_email"] = prod.id + "@appspot.gserviceaccount.com"
			sc["environment_variables"] = map[string]any{"DB_PASSWORD": "[redacted]", "EXPORT_BUCKET": "[redacted]"}
			sc["secret_like_environment_variables"] = []string{"DB_PASSWORD"}
			sc["secret_environment_variables"] = []map[string]any{}
			delete(sc, "service")
			invoker = "allUsers"
		}
		e.gcpAdd("gcp_cloudfunctions_function", uid, prod.id, "us-central1", f.name, labels, days(200+500*n), map[string]any{
			"name": name, "state": "ACTIVE", "environment": env, "create_time": e.ago(days(200 + 500*n)), "update_time": e.ago(days(30 + 500*n)),
			"labels": labels, "url": "https://us-central1-" + prod.id + ".cloudfunctions.net/" + f.name,
			"build_config":   map[string]any{"runtime": "python312", "entry_point": "main"},
			"service_config": sc,
			"iam_policy":     gcpPolicy{Version: 1, Etag: "BwYf" + strconv.Itoa(n), Bindings: []gcpBinding{{Role: "roles/cloudfunctions.invoker", Members: []string{invoker}}}},
		})
		if f.bad {
			for _, pl := range [][2]string{
				{"gcp-cloudfunctions-function-not-public", "allUsers may invoke the export function"},
				{"gcp-cloudfunctions-function-ingress-restricted", "ingress open to all traffic"},
				{"gcp-cloudfunctions-function-dedicated-sa", "runs as the App Engine default service account"},
				{"gcp-cloudfunctions-function-no-plaintext-secrets", "the database password is a plain environment variable"},
			} {
				e.plant(uid, pl[0], pl[1])
			}
		} else {
			e.edge(uid, gcpSAUID(prod, 2), "runs_as")
		}
	}
}

// gcpProjectMetadata is a project's common instance metadata: OS Login on
// in production only.
func gcpProjectMetadata(p gcpProjectRef) gcpMetadata {
	m := gcpMetadata{Fingerprint: "k3Xq" + p.number[:4], Items: []gcpMetaItem{{Key: "enable-oslogin", Value: "TRUE"}}}
	if p != gcpProjects[0] {
		m.Items = []gcpMetaItem{{Key: "enable-guest-attributes", Value: "TRUE"}}
	}
	return m
}
