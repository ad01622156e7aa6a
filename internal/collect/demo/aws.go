package demo

import (
	"fmt"
	"strings"
	"time"

	"cloudward/internal/resource"
)

// The AWS demo estate: an organization with three accounts (management,
// production, development) in four allowed regions, shaped like the AWS
// collector's output (see internal/collect/aws/kinds.go for every field).
//
// Planted misconfigurations of the base estate (each one recorded with
// e.plant, so the end-to-end test can compare them with the FAIL findings):
//
//	acme-mgmt  IAM user svc-backup with two active access keys; Terraform
//	           state bucket without MFA Delete; centralized root access off; no
//	           Organizations delegation policy.
//	acme-prod  account-level S3 Block Public Access off, no security contact;
//	           public bucket acme-prod-marketing-site; bucket
//	           acme-prod-tmp-export without an owner tag; CloudTrail bucket
//	           without access logging; user bob.legacy with a 200-day-old key;
//	           user reporting-bot with a directly attached policy; attached
//	           customer policy acme-break-glass-admin granting *:*; bastion
//	           instance allowing IMDSv1; bastion-sg open to 0.0.0.0/0 on 22;
//	           legacy-rdp SG open to ::/0 on 3389; KMS key without rotation
//	           (eu-west-1); EBS default encryption off in us-west-2; Lambda
//	           billing-sync with a secret-looking environment variable; SG
//	           legacy-fileshare open to 0.0.0.0/0 on 445 (SMB); root MFA is
//	           virtual, not hardware; an expired IAM server certificate; no
//	           Organizations-changes alarm; the route-table alarm notifies a
//	           topic without a confirmed subscriber; console user
//	           erin.analyst with an unused key created at user setup.
//	acme-dev   root user without MFA (so not hardware MFA either); no
//	           multi-region trail, so no S3 data events and none of the 15 CIS
//	           monitoring alarms; no AWS Support role; password policy of 8
//	           characters; user carol.dev with a console password and no MFA;
//	           user old-contractor unused for 120 days; role temp-migration-role
//	           without tags; bucket acme-dev-scratch without versioning; bucket
//	           acme-dev-apac-experiments in ap-southeast-1; VPC without flow logs
//	           and with AWS's allow-all default network ACL; default SG with
//	           rules; SG dev-debug-open allowing all traffic from 0.0.0.0/0 (so
//	           SMB too); instance without instance profile and its unencrypted
//	           volume; public, single-AZ RDS instance; Lambda on python3.8;
//	           Lambda URL without auth; EKS endpoint open to 0.0.0.0/0; log group
//	           kept 7 days; no Security Hub in eu-central-1; no Access Analyzer
//	           in eu-west-1; Config recorder stopped in us-west-2; unencrypted
//	           EFS file system dev-media-cache; group developers holding
//	           AWSCloudShellFullAccess.
//
// Collection errors: Lambda AccessDenied in acme-dev eu-central-1 and the
// opt-in region ap-east-1 not enabled in acme-prod.

type awsAcct struct {
	id, name, env, email string
}

var awsAccts = [3]awsAcct{
	{"111111111111", "acme-mgmt", "management", "aws-mgmt@acme.example"},
	{"222222222222", "acme-prod", "production", "aws-prod@acme.example"},
	{"333333333333", "acme-dev", "development", "aws-dev@acme.example"},
}

var awsRegions = [4]string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1"}

var awsOwners = [5]string{"platform-team", "payments-team", "data-team", "web-team", "security-team"}

const (
	awsOrgID          = "o-a1b2c3d4e5"
	awsSupportPolicy  = "arn:aws:iam::aws:policy/AWSSupportAccess"
	awsLegacyRuntime  = "python3.8"
	awsCurrentRuntime = "python3.12"
)

// ---- property documents (field names: see internal/collect/aws/kinds.go) ----

type awsPAB struct {
	BlockPublicAcls       bool `json:"block_public_acls"`
	IgnorePublicAcls      bool `json:"ignore_public_acls"`
	BlockPublicPolicy     bool `json:"block_public_policy"`
	RestrictPublicBuckets bool `json:"restrict_public_buckets"`
}

var awsPABOn = awsPAB{true, true, true, true}

type awsStatement struct {
	Sid       string                         `json:"Sid,omitempty"`
	Effect    string                         `json:"Effect"`
	Principal map[string][]string            `json:"Principal,omitempty"`
	Action    []string                       `json:"Action,omitempty"`
	NotAction []string                       `json:"NotAction,omitempty"`
	Resource  []string                       `json:"Resource,omitempty"`
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

type awsPolicyDoc struct {
	Version   string         `json:"Version"`
	Statement []awsStatement `json:"Statement"`
}

type awsSummaryMap struct {
	AccountMFAEnabled                 int `json:"account_mfa_enabled"`
	AccountAccessKeysPresent          int `json:"account_access_keys_present"`
	AccountSigningCertificatesPresent int `json:"account_signing_certificates_present"`
	AccountPasswordPresent            int `json:"account_password_present"`
	Users                             int `json:"users"`
	Roles                             int `json:"roles"`
	Policies                          int `json:"policies"`
	MFADevices                        int `json:"mfa_devices"`
	MFADevicesInUse                   int `json:"mfa_devices_in_use"`
}

type awsContact struct {
	AlternateContactType string `json:"alternate_contact_type"`
	Name                 string `json:"name"`
	EmailAddress         string `json:"email_address"`
	PhoneNumber          string `json:"phone_number"`
	Title                string `json:"title"`
}

type awsContactInfo struct {
	FullName    string `json:"full_name"`
	CompanyName string `json:"company_name"`
	CountryCode string `json:"country_code"`
	PhoneNumber string `json:"phone_number"`
}

type awsDelegated struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	DelegationEnabledDate string   `json:"delegation_enabled_date"`
	Services              []string `json:"services"`
}

type awsOrgFeatures struct {
	OrganizationID  string   `json:"organization_id"`
	EnabledFeatures []string `json:"enabled_features"`
}

type awsAccountProps struct {
	AccountID        string          `json:"account_id"`
	AccountName      string          `json:"account_name"`
	OrganizationID   string          `json:"organization_id,omitempty"`
	Email            string          `json:"email"`
	SummaryMap       awsSummaryMap   `json:"summary_map"`
	RootVirtualMFA   []awsMFADevice  `json:"root_virtual_mfa_devices"`
	OrgFeatures      *awsOrgFeatures `json:"organizations_features,omitempty"`
	IsManagement     bool            `json:"is_management_account"`
	DelegatedAdmins  []awsDelegated  `json:"delegated_administrators,omitempty"`
	DelegationPolicy *struct {
		Present bool `json:"present"`
	} `json:"delegation_policy,omitempty"`
	PublicAccessBlock  awsPAB         `json:"public_access_block"`
	AlternateContacts  []awsContact   `json:"alternate_contacts"`
	ContactInformation awsContactInfo `json:"contact_information"`
}

type awsPasswordPolicy struct {
	PasswordPolicyPresent      bool `json:"password_policy_present"`
	MinimumPasswordLength      int  `json:"minimum_password_length"`
	RequireSymbols             bool `json:"require_symbols"`
	RequireNumbers             bool `json:"require_numbers"`
	RequireUppercaseCharacters bool `json:"require_uppercase_characters"`
	RequireLowercaseCharacters bool `json:"require_lowercase_characters"`
	AllowUsersToChangePassword bool `json:"allow_users_to_change_password"`
	ExpirePasswords            bool `json:"expire_passwords"`
	MaxPasswordAge             int  `json:"max_password_age"`
	PasswordReusePrevention    int  `json:"password_reuse_prevention"`
	HardExpiry                 bool `json:"hard_expiry"`
}

type awsAttachedPolicy struct {
	PolicyName string `json:"policy_name"`
	PolicyArn  string `json:"policy_arn"`
}

type awsMFADevice struct {
	SerialNumber string `json:"serial_number"`
	EnableDate   string `json:"enable_date"`
}

type awsAccessKey struct {
	AccessKeyID     string `json:"access_key_id"`
	Status          string `json:"status"`
	CreateDate      string `json:"create_date"`
	LastUsedDate    string `json:"last_used_date,omitempty"`
	LastUsedService string `json:"last_used_service,omitempty"`
}

type awsUserProps struct {
	UserName            string              `json:"user_name"`
	UserID              string              `json:"user_id"`
	Arn                 string              `json:"arn"`
	Path                string              `json:"path"`
	CreateDate          string              `json:"create_date"`
	PasswordEnabled     bool                `json:"password_enabled"`
	PasswordLastUsed    string              `json:"password_last_used,omitempty"`
	PasswordLastChanged string              `json:"password_last_changed,omitempty"`
	MFAActive           bool                `json:"mfa_active"`
	MFADevices          []awsMFADevice      `json:"mfa_devices"`
	AccessKeys          []awsAccessKey      `json:"access_keys"`
	AttachedPolicies    []awsAttachedPolicy `json:"attached_policies"`
	InlinePolicyNames   []string            `json:"inline_policy_names"`
	Groups              []string            `json:"groups"`
}

type awsRoleLastUsed struct {
	LastUsedDate string `json:"last_used_date,omitempty"`
	Region       string `json:"region,omitempty"`
}

type awsRoleProps struct {
	RoleName                 string              `json:"role_name"`
	RoleID                   string              `json:"role_id"`
	Arn                      string              `json:"arn"`
	Path                     string              `json:"path"`
	CreateDate               string              `json:"create_date"`
	Description              string              `json:"description"`
	MaxSessionDuration       int                 `json:"max_session_duration"`
	AssumeRolePolicyDocument awsPolicyDoc        `json:"assume_role_policy_document"`
	AttachedPolicies         []awsAttachedPolicy `json:"attached_policies"`
	InlinePolicyNames        []string            `json:"inline_policy_names"`
	RoleLastUsed             awsRoleLastUsed     `json:"role_last_used"`
}

type awsPolicyProps struct {
	PolicyName             string       `json:"policy_name"`
	PolicyID               string       `json:"policy_id"`
	Arn                    string       `json:"arn"`
	Path                   string       `json:"path"`
	DefaultVersionID       string       `json:"default_version_id"`
	AttachmentCount        int          `json:"attachment_count"`
	IsAttachable           bool         `json:"is_attachable"`
	CreateDate             string       `json:"create_date"`
	UpdateDate             string       `json:"update_date"`
	DefaultVersionDocument awsPolicyDoc `json:"default_version_document"`
}

type awsGrantee struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	URI  string `json:"uri,omitempty"`
}

type awsGrant struct {
	Grantee    awsGrantee `json:"grantee"`
	Permission string     `json:"permission"`
}

type awsACL struct {
	Owner struct {
		ID string `json:"id"`
	} `json:"owner"`
	Grants []awsGrant `json:"grants"`
}

type awsSSEDefault struct {
	SSEAlgorithm   string `json:"sse_algorithm"`
	KMSMasterKeyID string `json:"kms_master_key_id,omitempty"`
}

type awsSSERule struct {
	ApplyServerSideEncryptionByDefault awsSSEDefault `json:"apply_server_side_encryption_by_default"`
	BucketKeyEnabled                   bool          `json:"bucket_key_enabled"`
}

type awsBucketLogging struct {
	TargetBucket string `json:"target_bucket"`
	TargetPrefix string `json:"target_prefix"`
}

type awsBucketProps struct {
	Name              string        `json:"name"`
	Arn               string        `json:"arn"`
	CreationDate      string        `json:"creation_date"`
	Region            string        `json:"region"`
	PublicAccessBlock awsPAB        `json:"public_access_block"`
	Policy            *awsPolicyDoc `json:"policy,omitempty"`
	PolicyStatus      struct {
		IsPublic bool `json:"is_public"`
	} `json:"policy_status"`
	ACL                               awsACL `json:"acl"`
	ServerSideEncryptionConfiguration struct {
		Rules []awsSSERule `json:"rules"`
	} `json:"server_side_encryption_configuration"`
	Versioning struct {
		Status    string `json:"status"`
		MFADelete string `json:"mfa_delete"`
	} `json:"versioning"`
	Logging           *awsBucketLogging `json:"logging,omitempty"`
	ObjectLockEnabled bool              `json:"object_lock_enabled"`
}

type awsGroupRef struct {
	GroupID   string `json:"group_id"`
	GroupName string `json:"group_name"`
}

type awsBlockDevice struct {
	DeviceName string `json:"device_name"`
	EBS        struct {
		VolumeID            string `json:"volume_id"`
		Status              string `json:"status"`
		AttachTime          string `json:"attach_time"`
		DeleteOnTermination bool   `json:"delete_on_termination"`
	} `json:"ebs"`
}

type awsInstanceProfile struct {
	Arn string `json:"arn"`
	ID  string `json:"id"`
}

type awsInstanceProps struct {
	InstanceID   string `json:"instance_id"`
	InstanceType string `json:"instance_type"`
	ImageID      string `json:"image_id"`
	State        struct {
		Name string `json:"name"`
	} `json:"state"`
	LaunchTime         string              `json:"launch_time"`
	VpcID              string              `json:"vpc_id"`
	SubnetID           string              `json:"subnet_id"`
	PrivateIPAddress   string              `json:"private_ip_address"`
	PublicIPAddress    string              `json:"public_ip_address,omitempty"`
	IamInstanceProfile *awsInstanceProfile `json:"iam_instance_profile,omitempty"`
	MetadataOptions    struct {
		HTTPTokens              string `json:"http_tokens"`
		HTTPEndpoint            string `json:"http_endpoint"`
		HTTPPutResponseHopLimit int    `json:"http_put_response_hop_limit"`
	} `json:"metadata_options"`
	BlockDeviceMappings []awsBlockDevice `json:"block_device_mappings"`
	SecurityGroups      []awsGroupRef    `json:"security_groups"`
	Monitoring          struct {
		State string `json:"state"`
	} `json:"monitoring"`
	PlatformDetails string `json:"platform_details"`
}

type awsVolumeAttachment struct {
	InstanceID string `json:"instance_id"`
	Device     string `json:"device"`
	State      string `json:"state"`
}

type awsVolumeProps struct {
	VolumeID         string                `json:"volume_id"`
	Size             int                   `json:"size"`
	VolumeType       string                `json:"volume_type"`
	State            string                `json:"state"`
	Encrypted        bool                  `json:"encrypted"`
	KMSKeyID         string                `json:"kms_key_id,omitempty"`
	AvailabilityZone string                `json:"availability_zone"`
	CreateTime       string                `json:"create_time"`
	SnapshotID       string                `json:"snapshot_id"`
	Iops             int                   `json:"iops"`
	Attachments      []awsVolumeAttachment `json:"attachments"`
}

type awsIPRange struct {
	CidrIP      string `json:"cidr_ip"`
	Description string `json:"description,omitempty"`
}

type awsIPv6Range struct {
	CidrIPv6    string `json:"cidr_ipv6"`
	Description string `json:"description,omitempty"`
}

type awsGroupPair struct {
	GroupID string `json:"group_id"`
	UserID  string `json:"user_id"`
}

type awsPrefixList struct {
	PrefixListID string `json:"prefix_list_id"`
}

type awsIPPermission struct {
	IPProtocol       string          `json:"ip_protocol"`
	FromPort         *int            `json:"from_port,omitempty"`
	ToPort           *int            `json:"to_port,omitempty"`
	IPRanges         []awsIPRange    `json:"ip_ranges"`
	IPv6Ranges       []awsIPv6Range  `json:"ipv6_ranges"`
	UserIDGroupPairs []awsGroupPair  `json:"user_id_group_pairs"`
	PrefixListIDs    []awsPrefixList `json:"prefix_list_ids"`
}

type awsSGProps struct {
	GroupID             string            `json:"group_id"`
	GroupName           string            `json:"group_name"`
	Description         string            `json:"description"`
	VpcID               string            `json:"vpc_id"`
	OwnerID             string            `json:"owner_id"`
	IPPermissions       []awsIPPermission `json:"ip_permissions"`
	IPPermissionsEgress []awsIPPermission `json:"ip_permissions_egress"`
}

type awsFlowLog struct {
	FlowLogID          string `json:"flow_log_id"`
	FlowLogStatus      string `json:"flow_log_status"`
	DeliverLogsStatus  string `json:"deliver_logs_status"`
	TrafficType        string `json:"traffic_type"`
	LogDestinationType string `json:"log_destination_type"`
	LogDestination     string `json:"log_destination"`
}

type awsVPCProps struct {
	VpcID           string       `json:"vpc_id"`
	CidrBlock       string       `json:"cidr_block"`
	IsDefault       bool         `json:"is_default"`
	State           string       `json:"state"`
	InstanceTenancy string       `json:"instance_tenancy"`
	DhcpOptionsID   string       `json:"dhcp_options_id"`
	FlowLogs        []awsFlowLog `json:"flow_logs"`
}

type awsRegionalSettings struct {
	AccountID                      string `json:"account_id"`
	Region                         string `json:"region"`
	EBSEncryptionByDefault         bool   `json:"ebs_encryption_by_default"`
	EBSDefaultKMSKeyID             string `json:"ebs_default_kms_key_id"`
	SnapshotBlockPublicAccessState string `json:"snapshot_block_public_access_state"`
}

type awsKMSKeyProps struct {
	KeyID                string        `json:"key_id"`
	Arn                  string        `json:"arn"`
	Description          string        `json:"description"`
	KeyManager           string        `json:"key_manager"`
	KeySpec              string        `json:"key_spec"`
	KeyUsage             string        `json:"key_usage"`
	KeyState             string        `json:"key_state"`
	Origin               string        `json:"origin"`
	CreationDate         string        `json:"creation_date"`
	MultiRegion          bool          `json:"multi_region"`
	KeyRotationEnabled   bool          `json:"key_rotation_enabled"`
	RotationPeriodInDays int           `json:"rotation_period_in_days,omitempty"`
	Aliases              []string      `json:"aliases"`
	KeyPolicy            *awsPolicyDoc `json:"key_policy,omitempty"`
}

type awsDataResource struct {
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

type awsEventSelector struct {
	ReadWriteType           string            `json:"read_write_type"`
	IncludeManagementEvents bool              `json:"include_management_events"`
	DataResources           []awsDataResource `json:"data_resources"`
}

type awsTrailProps struct {
	Name                       string `json:"name"`
	TrailArn                   string `json:"trail_arn"`
	HomeRegion                 string `json:"home_region"`
	S3BucketName               string `json:"s3_bucket_name"`
	S3KeyPrefix                string `json:"s3_key_prefix"`
	IsMultiRegionTrail         bool   `json:"is_multi_region_trail"`
	IsOrganizationTrail        bool   `json:"is_organization_trail"`
	IncludeGlobalServiceEvents bool   `json:"include_global_service_events"`
	LogFileValidationEnabled   bool   `json:"log_file_validation_enabled"`
	KMSKeyID                   string `json:"kms_key_id,omitempty"`
	CloudWatchLogsLogGroupArn  string `json:"cloud_watch_logs_log_group_arn,omitempty"`
	CloudWatchLogsRoleArn      string `json:"cloud_watch_logs_role_arn,omitempty"`
	HasCustomEventSelectors    bool   `json:"has_custom_event_selectors"`
	Status                     struct {
		IsLogging          bool   `json:"is_logging"`
		LatestDeliveryTime string `json:"latest_delivery_time"`
		StartLoggingTime   string `json:"start_logging_time"`
	} `json:"status"`
	EventSelectors []awsEventSelector `json:"event_selectors"`
}

type awsRecorderProps struct {
	Name           string `json:"name"`
	RoleArn        string `json:"role_arn"`
	RecordingGroup struct {
		AllSupported               bool     `json:"all_supported"`
		IncludeGlobalResourceTypes bool     `json:"include_global_resource_types"`
		ResourceTypes              []string `json:"resource_types"`
	} `json:"recording_group"`
	Status struct {
		Recording     bool   `json:"recording"`
		LastStatus    string `json:"last_status"`
		LastStartTime string `json:"last_start_time"`
	} `json:"status"`
}

type awsRDSProps struct {
	DBInstanceIdentifier             string `json:"db_instance_identifier"`
	DBInstanceArn                    string `json:"db_instance_arn"`
	DBInstanceClass                  string `json:"db_instance_class"`
	Engine                           string `json:"engine"`
	EngineVersion                    string `json:"engine_version"`
	DBInstanceStatus                 string `json:"db_instance_status"`
	InstanceCreateTime               string `json:"instance_create_time"`
	StorageEncrypted                 bool   `json:"storage_encrypted"`
	KMSKeyID                         string `json:"kms_key_id,omitempty"`
	PubliclyAccessible               bool   `json:"publicly_accessible"`
	AutoMinorVersionUpgrade          bool   `json:"auto_minor_version_upgrade"`
	MultiAZ                          bool   `json:"multi_az"`
	BackupRetentionPeriod            int    `json:"backup_retention_period"`
	DeletionProtection               bool   `json:"deletion_protection"`
	IAMDatabaseAuthenticationEnabled bool   `json:"iam_database_authentication_enabled"`
	Endpoint                         struct {
		Address string `json:"address"`
		Port    int    `json:"port"`
	} `json:"endpoint"`
	DBSubnetGroup struct {
		DBSubnetGroupName string `json:"db_subnet_group_name"`
		VpcID             string `json:"vpc_id"`
	} `json:"db_subnet_group"`
	VpcSecurityGroups []struct {
		VpcSecurityGroupID string `json:"vpc_security_group_id"`
		Status             string `json:"status"`
	} `json:"vpc_security_groups"`
}

type awsEnvVar struct {
	Name            string `json:"name"`
	LooksLikeSecret bool   `json:"looks_like_secret"`
}

type awsLambdaProps struct {
	FunctionName  string   `json:"function_name"`
	FunctionArn   string   `json:"function_arn"`
	Runtime       string   `json:"runtime"`
	PackageType   string   `json:"package_type"`
	Role          string   `json:"role"`
	Handler       string   `json:"handler"`
	CodeSize      int      `json:"code_size"`
	MemorySize    int      `json:"memory_size"`
	Timeout       int      `json:"timeout"`
	LastModified  string   `json:"last_modified"`
	Architectures []string `json:"architectures"`
	Environment   struct {
		Variables []awsEnvVar `json:"variables"`
	} `json:"environment"`
	FunctionURLConfig *struct {
		FunctionURL string `json:"function_url"`
		AuthType    string `json:"auth_type"`
	} `json:"function_url_config,omitempty"`
	VpcConfig struct {
		SubnetIDs        []string `json:"subnet_ids"`
		SecurityGroupIDs []string `json:"security_group_ids"`
	} `json:"vpc_config"`
	TracingConfig struct {
		Mode string `json:"mode"`
	} `json:"tracing_config"`
	// Policy is the resource-based policy; nil marshals to null (none).
	Policy *awsPolicyDoc `json:"policy"`
}

type awsEKSLogging struct {
	Types   []string `json:"types"`
	Enabled bool     `json:"enabled"`
}

type awsEKSEncryption struct {
	Resources []string `json:"resources"`
	Provider  struct {
		KeyArn string `json:"key_arn"`
	} `json:"provider"`
}

type awsEKSProps struct {
	Name               string `json:"name"`
	Arn                string `json:"arn"`
	Version            string `json:"version"`
	PlatformVersion    string `json:"platform_version"`
	Status             string `json:"status"`
	RoleArn            string `json:"role_arn"`
	CreatedAt          string `json:"created_at"`
	ResourcesVpcConfig struct {
		VpcID                  string   `json:"vpc_id"`
		SubnetIDs              []string `json:"subnet_ids"`
		SecurityGroupIDs       []string `json:"security_group_ids"`
		ClusterSecurityGroupID string   `json:"cluster_security_group_id"`
		EndpointPublicAccess   bool     `json:"endpoint_public_access"`
		EndpointPrivateAccess  bool     `json:"endpoint_private_access"`
		PublicAccessCidrs      []string `json:"public_access_cidrs"`
	} `json:"resources_vpc_config"`
	Logging struct {
		ClusterLogging []awsEKSLogging `json:"cluster_logging"`
	} `json:"logging"`
	EncryptionConfig []awsEKSEncryption `json:"encryption_config"`
}

type awsLogGroupProps struct {
	LogGroupName    string `json:"log_group_name"`
	Arn             string `json:"arn"`
	CreationTime    string `json:"creation_time"`
	RetentionInDays int    `json:"retention_in_days,omitempty"`
	KMSKeyID        string `json:"kms_key_id,omitempty"`
	StoredBytes     int64  `json:"stored_bytes"`
	LogGroupClass   string `json:"log_group_class"`
}

type awsAnalyzerProps struct {
	Arn                    string `json:"arn"`
	Name                   string `json:"name"`
	Type                   string `json:"type"`
	Status                 string `json:"status"`
	CreatedAt              string `json:"created_at"`
	LastResourceAnalyzedAt string `json:"last_resource_analyzed_at,omitempty"`
}

type awsHubProps struct {
	HubArn                  string `json:"hub_arn"`
	SubscribedAt            string `json:"subscribed_at"`
	AutoEnableControls      bool   `json:"auto_enable_controls"`
	ControlFindingGenerator string `json:"control_finding_generator"`
}

// ---- small helpers ----

func awsTags(a awsAcct, owner string) map[string]string {
	return map[string]string{"owner": owner, "environment": a.env, "managed-by": "terraform"}
}

func awsPtr[T any](v T) *T { return &v }

// awsKeyARN is the ARN of the account-region's customer managed data key.
func awsKeyARN(ai, ri int) string {
	n := ai*10 + ri
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/0c%06d-7a1e-4c3d-8e4f-%012d", awsRegions[ri], awsAccts[ai].id, n, n)
}

func awsRegionIndex(region string) int {
	for i, r := range awsRegions {
		if r == region {
			return i
		}
	}
	return -1
}

func (e *estate) awsResource(a awsAcct, region, kind, uid, name string, tags map[string]string, created time.Duration) resource.Resource {
	return resource.Resource{
		UID: uid, Provider: resource.AWS, Account: a.id, Region: region, Kind: kind,
		Name: name, Tags: tags, CreatedAt: e.now.Add(-created).UTC().Truncate(time.Second),
	}
}

// awsTLSDeny is the statement that refuses plain-HTTP requests to a bucket.
func awsTLSDeny(bucketArn string) awsStatement {
	return awsStatement{
		Sid: "DenyInsecureTransport", Effect: "Deny",
		Principal: map[string][]string{"AWS": {"*"}},
		Action:    []string{"s3:*"},
		Resource:  []string{bucketArn, bucketArn + "/*"},
		Condition: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}},
	}
}

// awsBucket returns a clean bucket document: private, TLS-only, KMS
// encrypted, versioned.
func (e *estate) awsBucket(ai int, region, name string, age time.Duration) awsBucketProps {
	arn := "arn:aws:s3:::" + name
	var p awsBucketProps
	p.Name = name
	p.Arn = arn
	p.CreationDate = e.ago(age)
	p.Region = region
	p.PublicAccessBlock = awsPABOn
	p.Policy = &awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{awsTLSDeny(arn)}}
	p.ACL.Owner.ID = fmt.Sprintf("c0ffee%058d", ai)
	p.ACL.Grants = []awsGrant{{Grantee: awsGrantee{Type: "CanonicalUser", ID: p.ACL.Owner.ID}, Permission: "FULL_CONTROL"}}
	sse := awsSSEDefault{SSEAlgorithm: "AES256"}
	if ri := awsRegionIndex(region); ri >= 0 {
		sse = awsSSEDefault{SSEAlgorithm: "aws:kms", KMSMasterKeyID: awsKeyARN(ai, ri)}
	}
	p.ServerSideEncryptionConfiguration.Rules = []awsSSERule{{ApplyServerSideEncryptionByDefault: sse, BucketKeyEnabled: true}}
	p.Versioning.Status = "Enabled"
	p.Versioning.MFADelete = "Enabled"
	return p
}

func (e *estate) awsAddBucket(ai int, p *awsBucketProps, tags map[string]string, age time.Duration) {
	e.add(e.awsResource(awsAccts[ai], p.Region, "aws_s3_bucket", p.Arn, p.Name, tags, age), p)
	if rules := p.ServerSideEncryptionConfiguration.Rules; len(rules) > 0 && rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID != "" {
		e.edge(p.Arn, rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID, "encrypted_with")
	}
}

func awsPort(from, to int, proto string, cidrs []string, cidr6s []string) awsIPPermission {
	p := awsIPPermission{IPProtocol: proto, IPRanges: []awsIPRange{}, IPv6Ranges: []awsIPv6Range{},
		UserIDGroupPairs: []awsGroupPair{}, PrefixListIDs: []awsPrefixList{}}
	if proto != "-1" {
		p.FromPort, p.ToPort = awsPtr(from), awsPtr(to)
	}
	for _, c := range cidrs {
		p.IPRanges = append(p.IPRanges, awsIPRange{CidrIP: c})
	}
	for _, c := range cidr6s {
		p.IPv6Ranges = append(p.IPv6Ranges, awsIPv6Range{CidrIPv6: c})
	}
	return p
}

var awsEgressAll = []awsIPPermission{awsPort(0, 0, "-1", []string{"0.0.0.0/0"}, nil)}

func awsSG(a awsAcct, id, name, desc, vpc string, in []awsIPPermission) awsSGProps {
	if in == nil {
		in = []awsIPPermission{}
	}
	return awsSGProps{GroupID: id, GroupName: name, Description: desc, VpcID: vpc, OwnerID: a.id,
		IPPermissions: in, IPPermissionsEgress: awsEgressAll}
}

func (e *estate) awsAddSG(a awsAcct, region string, p *awsSGProps, tags map[string]string) {
	uid := fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", region, a.id, p.GroupID)
	e.add(e.awsResource(a, region, "aws_ec2_security_group", uid, p.GroupName, tags, days(300)), p)
}

func (e *estate) awsInstance(a awsAcct, id, typ, vpc, sg, sgName, volID, profile string, age time.Duration) awsInstanceProps {
	var p awsInstanceProps
	p.InstanceID = id
	p.InstanceType = typ
	p.ImageID = "ami-0c7217cdde317cfec"
	p.State.Name = "running"
	p.LaunchTime = e.ago(age)
	p.VpcID = vpc
	p.SubnetID = "subnet-" + vpc[4:]
	p.PrivateIPAddress = fmt.Sprintf("10.%d.%d.%d", len(id)%200, int(age/time.Hour)%250, 10+int(age/time.Minute)%240)
	if profile != "" {
		p.IamInstanceProfile = &awsInstanceProfile{
			Arn: fmt.Sprintf("arn:aws:iam::%s:instance-profile/%s", a.id, profile),
			ID:  "AIPA" + a.id[:4] + "EXAMPLEPROFILE",
		}
	}
	p.MetadataOptions.HTTPTokens = "required"
	p.MetadataOptions.HTTPEndpoint = "enabled"
	p.MetadataOptions.HTTPPutResponseHopLimit = 2
	var bd awsBlockDevice
	bd.DeviceName = "/dev/xvda"
	bd.EBS.VolumeID = volID
	bd.EBS.Status = "attached"
	bd.EBS.AttachTime = p.LaunchTime
	bd.EBS.DeleteOnTermination = true
	p.BlockDeviceMappings = []awsBlockDevice{bd}
	p.SecurityGroups = []awsGroupRef{{GroupID: sg, GroupName: sgName}}
	p.Monitoring.State = "enabled"
	p.PlatformDetails = "Linux/UNIX"
	return p
}

func (e *estate) awsVolume(ai, ri int, id, instanceID string, size int, age time.Duration) awsVolumeProps {
	p := awsVolumeProps{
		VolumeID: id, Size: size, VolumeType: "gp3", State: "available", Encrypted: true,
		KMSKeyID: awsKeyARN(ai, ri), AvailabilityZone: awsRegions[ri] + "a", CreateTime: e.ago(age),
		Iops: 3000, Attachments: []awsVolumeAttachment{},
	}
	if instanceID != "" {
		p.State = "in-use"
		p.Attachments = append(p.Attachments, awsVolumeAttachment{InstanceID: instanceID, Device: "/dev/xvda", State: "attached"})
	}
	return p
}

func (e *estate) awsAddVolume(ai, ri int, p *awsVolumeProps, tags map[string]string, age time.Duration) string {
	a := awsAccts[ai]
	uid := fmt.Sprintf("arn:aws:ec2:%s:%s:volume/%s", awsRegions[ri], a.id, p.VolumeID)
	e.add(e.awsResource(a, awsRegions[ri], "aws_ebs_volume", uid, p.VolumeID, tags, age), p)
	if p.Encrypted {
		e.edge(uid, p.KMSKeyID, "encrypted_with")
	}
	return uid
}

func (e *estate) awsLambda(ai, ri int, name, runtime string, age time.Duration) awsLambdaProps {
	a := awsAccts[ai]
	p := awsLambdaProps{
		FunctionName: name,
		FunctionArn:  fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", awsRegions[ri], a.id, name),
		Runtime:      runtime, PackageType: "Zip",
		Role:    fmt.Sprintf("arn:aws:iam::%s:role/acme-lambda-exec", a.id),
		Handler: "app.handler", CodeSize: 48213, MemorySize: 256, Timeout: 30,
		LastModified: e.ago(age), Architectures: []string{"arm64"},
	}
	p.Environment.Variables = []awsEnvVar{{Name: "LOG_LEVEL"}, {Name: "TABLE_NAME"}}
	p.VpcConfig.SubnetIDs = []string{}
	p.VpcConfig.SecurityGroupIDs = []string{}
	p.TracingConfig.Mode = "Active"
	return p
}

func (e *estate) awsAddLambda(ai, ri int, p *awsLambdaProps, tags map[string]string, age time.Duration) {
	e.add(e.awsResource(awsAccts[ai], awsRegions[ri], "aws_lambda_function", p.FunctionArn, p.FunctionName, tags, age), p)
	e.edge(p.FunctionArn, p.Role, "execution_role")
}

func (e *estate) awsRDS(ai, ri int, id, engine, version string, age time.Duration) awsRDSProps {
	a := awsAccts[ai]
	var p awsRDSProps
	p.DBInstanceIdentifier = id
	p.DBInstanceArn = fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", awsRegions[ri], a.id, id)
	p.DBInstanceClass = "db.r6g.large"
	p.Engine, p.EngineVersion = engine, version
	p.DBInstanceStatus = "available"
	p.InstanceCreateTime = e.ago(age)
	p.StorageEncrypted = true
	p.KMSKeyID = awsKeyARN(ai, ri)
	p.AutoMinorVersionUpgrade = true
	p.MultiAZ = true
	p.BackupRetentionPeriod = 7
	p.DeletionProtection = a.env == "production"
	p.IAMDatabaseAuthenticationEnabled = true
	p.Endpoint.Address = fmt.Sprintf("%s.c9akciq32.%s.rds.amazonaws.com", id, awsRegions[ri])
	p.Endpoint.Port = 5432
	p.DBSubnetGroup.DBSubnetGroupName = "acme-" + a.env + "-db"
	p.DBSubnetGroup.VpcID = fmt.Sprintf("vpc-0e%02d%02d5a1c2b3d4e5f", ai, ri)
	p.VpcSecurityGroups = append(p.VpcSecurityGroups, struct {
		VpcSecurityGroupID string `json:"vpc_security_group_id"`
		Status             string `json:"status"`
	}{fmt.Sprintf("sg-0d%02d%02d7a8b9c0d1e2f", ai, ri), "active"})
	return p
}

func (e *estate) awsAddRDS(ai, ri int, p *awsRDSProps, tags map[string]string, age time.Duration) {
	e.add(e.awsResource(awsAccts[ai], awsRegions[ri], "aws_rds_db_instance", p.DBInstanceArn, p.DBInstanceIdentifier, tags, age), p)
	if p.StorageEncrypted {
		e.edge(p.DBInstanceArn, p.KMSKeyID, "encrypted_with")
	}
}

func (e *estate) awsLogGroup(ai, ri int, name string, retention int, age time.Duration) awsLogGroupProps {
	return awsLogGroupProps{
		LogGroupName: name,
		Arn:          fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", awsRegions[ri], awsAccts[ai].id, name),
		CreationTime: e.ago(age), RetentionInDays: retention, StoredBytes: int64(age/time.Hour) * 1048576,
		LogGroupClass: "STANDARD",
	}
}

func (e *estate) awsAddLogGroup(ai, ri int, p *awsLogGroupProps, tags map[string]string, age time.Duration) {
	e.add(e.awsResource(awsAccts[ai], awsRegions[ri], "aws_cloudwatch_log_group", p.Arn, p.LogGroupName, tags, age), p)
}

// ---- base estate ----

func (e *estate) awsBase() {
	for ai := range awsAccts {
		e.awsAccountFacts(ai)
		e.awsIdentity(ai)
		for ri := range awsRegions {
			e.awsRegional(ai, ri)
		}
	}
	e.awsStorage()
	e.awsLogging()
	e.awsMonitoring()
	e.awsServerCertificates()
	e.awsFileSystems()
	e.awsGroups()
	e.awsNetworkAndCompute()
	e.awsApps()
	e.awsResourcePolicies()
	e.awsWebFrontEnds()
	e.awsThreatDetectionAndImages()
	e.awsRDSClustersAndSnapshots()

	e.collectionError(resource.CollectionError{
		Provider: resource.AWS, Account: awsAccts[2].id, Region: "eu-central-1", Service: "lambda",
		Op: "lambda:ListFunctions", Kind: resource.Denied,
		Message: "AccessDeniedException: User: arn:aws:sts::333333333333:assumed-role/cloudward-audit/scan is not authorized to perform: lambda:ListFunctions with an explicit deny in a service control policy",
	})
	e.collectionError(resource.CollectionError{
		Provider: resource.AWS, Account: awsAccts[1].id, Region: "ap-east-1", Service: "ec2",
		Op: "ec2:DescribeInstances", Kind: resource.NotEnabled,
		Message: "OptInRequired: the region ap-east-1 is not enabled for this account",
	})
}

func awsAccountUID(a awsAcct) string {
	return fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", awsAccts[0].id, awsOrgID, a.id)
}

func (e *estate) awsAccountFacts(ai int) {
	a := awsAccts[ai]
	uid := awsAccountUID(a)
	p := awsAccountProps{
		AccountID: a.id, AccountName: a.name, OrganizationID: awsOrgID, Email: a.email,
		SummaryMap: awsSummaryMap{
			AccountMFAEnabled: 1, AccountPasswordPresent: 1,
			Users: 3, Roles: 6, Policies: 2, MFADevices: 3, MFADevicesInUse: 3,
		},
		RootVirtualMFA:    []awsMFADevice{},
		PublicAccessBlock: awsPABOn,
		AlternateContacts: []awsContact{
			{"BILLING", "Acme Finance", "finance@acme.example", "+1-555-0100", "Accounts payable"},
			{"OPERATIONS", "Acme Platform On-call", "platform-oncall@acme.example", "+1-555-0101", "On-call"},
			{"SECURITY", "Acme Security", "security@acme.example", "+1-555-0102", "Security team"},
		},
		ContactInformation: awsContactInfo{"Acme Cloud Team", "Acme Corp", "US", "+1-555-0199"},
	}
	switch a.env {
	case "management":
		// Centralized root access is not turned on yet.
		p.OrgFeatures = &awsOrgFeatures{OrganizationID: awsOrgID, EnabledFeatures: []string{}}
		e.plant(uid, "aws-iam-root-credentials-management", "member accounts still have their own root credentials: centralized root access is off")
		p.IsManagement = true
		p.DelegatedAdmins = []awsDelegated{{ID: awsAccts[1].id, Name: awsAccts[1].name, DelegationEnabledDate: e.ago(days(700)),
			Services: []string{"securityhub.amazonaws.com", "access-analyzer.amazonaws.com"}}}
		p.DelegationPolicy = &struct {
			Present bool `json:"present"`
		}{false}
		e.plant(uid, "aws-organizations-delegated-policy-management", "no delegation policy: SCP changes are made in the management account")
	case "production":
		p.PublicAccessBlock = awsPAB{}
		e.plant(uid, "aws-s3-account-public-access-blocked", "account-level S3 Block Public Access turned off to publish the marketing site")
		p.AlternateContacts = p.AlternateContacts[:2]
		e.plant(uid, "aws-account-security-contact", "no SECURITY alternate contact registered")
		p.RootVirtualMFA = []awsMFADevice{{SerialNumber: "arn:aws:iam::" + a.id + ":mfa/root-account-mfa-device", EnableDate: e.ago(days(1500))}}
		e.plant(uid, "aws-iam-root-hardware-mfa", "root user's MFA is an authenticator app, not a hardware key")
	case "development":
		p.SummaryMap.AccountMFAEnabled = 0
		e.plant(uid, "aws-iam-root-mfa-enabled", "root user has a password but no MFA device")
		e.plant(uid, "aws-iam-root-hardware-mfa", "root user has no MFA device at all")
		e.plant(uid, "aws-iam-support-role-exists", "no role has AWSSupportAccess attached")
		e.plant(uid, "aws-cloudtrail-multi-region-enabled", "only a single-region trail in us-west-2")
		e.plant(uid, "aws-cloudtrail-s3-write-data-events", "no trail records S3 object-level events")
		e.plant(uid, "aws-cloudtrail-s3-read-data-events", "no trail records S3 object-level events")
	}
	e.add(e.awsResource(a, resource.GlobalRegion, "aws_account", uid, a.name, nil, days(2200-300*ai)), &p)

	pp := awsPasswordPolicy{
		PasswordPolicyPresent: true, MinimumPasswordLength: 16, RequireSymbols: true, RequireNumbers: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true,
		PasswordReusePrevention: 24,
	}
	ppUID := fmt.Sprintf("arn:aws:iam::%s:account-password-policy", a.id)
	if a.env == "development" {
		pp.MinimumPasswordLength = 8
		e.plant(ppUID, "aws-iam-password-policy-min-length", "password policy allows 8-character passwords")
	}
	e.add(e.awsResource(a, resource.GlobalRegion, "aws_iam_password_policy", ppUID, a.name+"-password-policy", nil, 0), &pp)
}

type awsServerCertProps struct {
	ServerCertificateName string `json:"server_certificate_name"`
	ServerCertificateID   string `json:"server_certificate_id"`
	Arn                   string `json:"arn"`
	Path                  string `json:"path"`
	UploadDate            string `json:"upload_date"`
	Expiration            string `json:"expiration"`
}

type awsEFSProps struct {
	FileSystemID         string `json:"file_system_id"`
	FileSystemArn        string `json:"file_system_arn"`
	Name                 string `json:"name"`
	OwnerID              string `json:"owner_id"`
	CreationTime         string `json:"creation_time"`
	LifeCycleState       string `json:"life_cycle_state"`
	NumberOfMountTargets int    `json:"number_of_mount_targets"`
	PerformanceMode      string `json:"performance_mode"`
	ThroughputMode       string `json:"throughput_mode"`
	Encrypted            bool   `json:"encrypted"`
	KMSKeyID             string `json:"kms_key_id,omitempty"`
}

// awsFileSystems adds EFS file systems: an encrypted one in production and
// an unencrypted one in development (a plant).
func (e *estate) awsFileSystems() {
	for _, f := range []struct {
		ai, ri    int
		id, name  string
		encrypted bool
		owner     string
	}{
		{1, 0, "fs-0a22000000000e1f1", "acme-prod-shared-uploads", true, "web-team"},
		{2, 3, "fs-0a33000000000e1f2", "dev-media-cache", false, "data-team"},
	} {
		a := awsAccts[f.ai]
		region := awsRegions[f.ri]
		p := awsEFSProps{
			FileSystemID: f.id, Name: f.name, OwnerID: a.id, CreationTime: e.ago(days(500)),
			FileSystemArn:  fmt.Sprintf("arn:aws:elasticfilesystem:%s:%s:file-system/%s", region, a.id, f.id),
			LifeCycleState: "available", NumberOfMountTargets: 2, PerformanceMode: "generalPurpose",
			ThroughputMode: "elastic", Encrypted: f.encrypted,
		}
		tags := awsTags(a, f.owner)
		tags["Name"] = f.name
		if f.encrypted {
			p.KMSKeyID = awsKeyARN(f.ai, f.ri)
		}
		e.add(e.awsResource(a, region, "aws_efs_file_system", p.FileSystemArn, f.name, tags, days(500)), &p)
		if f.encrypted {
			e.edge(p.FileSystemArn, p.KMSKeyID, "encrypted_with")
		} else {
			e.plant(p.FileSystemArn, "aws-efs-encrypted", "file system created without encryption at rest")
		}
	}
}

type awsGroupProps struct {
	GroupName         string              `json:"group_name"`
	GroupID           string              `json:"group_id"`
	Arn               string              `json:"arn"`
	Path              string              `json:"path"`
	CreateDate        string              `json:"create_date"`
	AttachedPolicies  []awsAttachedPolicy `json:"attached_policies"`
	InlinePolicyNames []string            `json:"inline_policy_names"`
}

// awsGroups adds the IAM groups the demo users belong to. The development
// account's developers group holds AWSCloudShellFullAccess (a plant).
func (e *estate) awsGroups() {
	const managed = "arn:aws:iam::aws:policy/"
	for _, g := range []struct {
		ai       int
		name     string
		policies []string
	}{
		{0, "admins", []string{"AdministratorAccess"}},
		{0, "deployers", []string{"PowerUserAccess"}},
		{0, "backup-operators", []string{"AWSBackupOperatorAccess"}},
		{1, "operators", []string{"ReadOnlyAccess", "AWSSupportAccess"}},
		{1, "analysts", []string{"ReadOnlyAccess"}},
		{1, "deployers", []string{"PowerUserAccess"}},
		{2, "developers", []string{"PowerUserAccess", "AWSCloudShellFullAccess"}},
	} {
		a := awsAccts[g.ai]
		p := awsGroupProps{
			GroupName: g.name, GroupID: fmt.Sprintf("AGPA%s%08X", a.id[:4], len(g.name)*104729+g.ai),
			Arn: fmt.Sprintf("arn:aws:iam::%s:group/%s", a.id, g.name), Path: "/", CreateDate: e.ago(days(800)),
			InlinePolicyNames: []string{},
		}
		for _, pol := range g.policies {
			p.AttachedPolicies = append(p.AttachedPolicies, awsAttachedPolicy{pol, managed + pol})
			if pol == "AWSCloudShellFullAccess" {
				e.plant(p.Arn, "aws-iam-no-cloudshell-full-access", "developers can move files in and out through CloudShell")
			}
		}
		e.add(e.awsResource(a, resource.GlobalRegion, "aws_iam_group", p.Arn, g.name, nil, days(800)), &p)
	}
}

// awsServerCertificates adds the production account's IAM server
// certificates: a current one and a forgotten expired one.
func (e *estate) awsServerCertificates() {
	a := awsAccts[1]
	for _, c := range []struct {
		name, id         string
		uploaded, expiry time.Duration
	}{
		{"acme-legacy-api-2025", "ASCA2222LEGACYAPI25X", days(420), days(55)},
		{"acme-partner-portal", "ASCA2222PARTNERPORTL", days(120), -days(245)},
	} {
		p := awsServerCertProps{
			ServerCertificateName: c.name, ServerCertificateID: c.id, Path: "/",
			Arn:        fmt.Sprintf("arn:aws:iam::%s:server-certificate/%s", a.id, c.name),
			UploadDate: e.ago(c.uploaded), Expiration: e.ago(c.expiry),
		}
		e.add(e.awsResource(a, resource.GlobalRegion, "aws_iam_server_certificate", p.Arn, c.name, nil, c.uploaded), &p)
		if c.expiry > 0 {
			e.plant(p.Arn, "aws-iam-server-certificate-not-expired", "certificate expired 55 days ago and was never deleted")
		}
	}
}

func (e *estate) awsUser(ai int, name string, groups ...string) awsUserProps {
	a := awsAccts[ai]
	return awsUserProps{
		UserName: name, UserID: fmt.Sprintf("AIDA%s%08X", a.id[:4], len(name)*7919+ai),
		Arn: fmt.Sprintf("arn:aws:iam::%s:user/%s", a.id, name), Path: "/",
		CreateDate: e.ago(days(400)), MFADevices: []awsMFADevice{}, AccessKeys: []awsAccessKey{},
		AttachedPolicies: []awsAttachedPolicy{}, InlinePolicyNames: []string{}, Groups: append([]string{}, groups...),
	}
}

func (e *estate) awsConsoleUser(p *awsUserProps, lastUsed time.Duration, mfa bool) {
	p.PasswordEnabled = true
	p.PasswordLastUsed = e.ago(lastUsed)
	p.PasswordLastChanged = e.ago(days(60))
	if mfa {
		p.MFAActive = true
		p.MFADevices = []awsMFADevice{{SerialNumber: strings.Replace(p.Arn, ":user/", ":mfa/", 1), EnableDate: e.ago(days(390))}}
	}
}

func (e *estate) awsKey(n int, status string, created, used time.Duration) awsAccessKey {
	k := awsAccessKey{AccessKeyID: fmt.Sprintf("AKIA%016d", n), Status: status, CreateDate: e.ago(created)}
	if used >= 0 {
		k.LastUsedDate = e.ago(used)
		k.LastUsedService = "s3"
	}
	return k
}

func (e *estate) awsAddUser(ai int, p *awsUserProps, owner string) {
	e.add(e.awsResource(awsAccts[ai], resource.GlobalRegion, "aws_iam_user", p.Arn, p.UserName, awsTags(awsAccts[ai], owner), days(400)), p)
}

func awsTrust(service string) awsPolicyDoc {
	return awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{
		Effect: "Allow", Principal: map[string][]string{"Service": {service}}, Action: []string{"sts:AssumeRole"},
	}}}
}

func (e *estate) awsAddRole(ai int, name, desc string, trust awsPolicyDoc, policies []awsAttachedPolicy, tags map[string]string) {
	a := awsAccts[ai]
	p := awsRoleProps{
		RoleName: name, RoleID: fmt.Sprintf("AROA%s%08X", a.id[:4], len(name)*104729+ai),
		Arn: fmt.Sprintf("arn:aws:iam::%s:role/%s", a.id, name), Path: "/", CreateDate: e.ago(days(500)),
		Description: desc, MaxSessionDuration: 3600, AssumeRolePolicyDocument: trust,
		AttachedPolicies: policies, InlinePolicyNames: []string{},
		RoleLastUsed: awsRoleLastUsed{LastUsedDate: e.ago(days(1)), Region: "us-east-1"},
	}
	e.add(e.awsResource(a, resource.GlobalRegion, "aws_iam_role", p.Arn, name, tags, days(500)), &p)
}

func (e *estate) awsAddPolicy(ai int, name string, attached int, doc awsPolicyDoc) string {
	a := awsAccts[ai]
	p := awsPolicyProps{
		PolicyName: name, PolicyID: fmt.Sprintf("ANPA%s%08X", a.id[:4], len(name)*15485863+ai),
		Arn: fmt.Sprintf("arn:aws:iam::%s:policy/%s", a.id, name), Path: "/", DefaultVersionID: "v2",
		AttachmentCount: attached, IsAttachable: true, CreateDate: e.ago(days(600)), UpdateDate: e.ago(days(90)),
		DefaultVersionDocument: doc,
	}
	e.add(e.awsResource(a, resource.GlobalRegion, "aws_iam_policy", p.Arn, name, awsTags(a, "security-team"), days(600)), &p)
	return p.Arn
}

func (e *estate) awsIdentity(ai int) {
	a := awsAccts[ai]
	uid := func(kind, name string) string { return fmt.Sprintf("arn:aws:iam::%s:%s/%s", a.id, kind, name) }
	adminDoc := awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"}}}}

	// Roles every account has.
	support := []awsAttachedPolicy{{"AWSSupportAccess", awsSupportPolicy}}
	if a.env != "development" {
		e.awsAddRole(ai, "acme-support", "AWS Support incident handling", awsTrust("support.amazonaws.com"), support, awsTags(a, "security-team"))
	}
	e.awsAddRole(ai, "acme-lambda-exec", "Lambda execution role", awsTrust("lambda.amazonaws.com"),
		[]awsAttachedPolicy{{"AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}}, awsTags(a, "platform-team"))
	e.awsAddRole(ai, "acme-app-instance", "EC2 application instances", awsTrust("ec2.amazonaws.com"),
		[]awsAttachedPolicy{{"AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}}, awsTags(a, "platform-team"))
	e.awsAddRole(ai, "acme-eks-cluster", "EKS control plane", awsTrust("eks.amazonaws.com"),
		[]awsAttachedPolicy{{"AmazonEKSClusterPolicy", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"}}, awsTags(a, "platform-team"))
	if ai != 0 {
		orgTrust := awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{
			Effect: "Allow", Principal: map[string][]string{"AWS": {"arn:aws:iam::111111111111:root"}}, Action: []string{"sts:AssumeRole"},
		}}}
		e.awsAddRole(ai, "OrganizationAccountAccessRole", "Organizations admin access from the management account", orgTrust,
			[]awsAttachedPolicy{{"AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess"}}, awsTags(a, "security-team"))
	}

	switch a.env {
	case "management":
		e.awsAddPolicy(ai, "acme-billing-readonly", 1, awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{
			Effect: "Allow", Action: []string{"ce:Get*", "ce:Describe*", "budgets:View*"}, Resource: []string{"*"},
		}}})
		u := e.awsUser(ai, "alice.admin", "admins")
		e.awsConsoleUser(&u, days(1), true)
		e.awsAddUser(ai, &u, "security-team")

		u = e.awsUser(ai, "ci-deploy", "deployers")
		u.AccessKeys = []awsAccessKey{e.awsKey(1001, "Active", days(30), days(1)), e.awsKey(1002, "Inactive", days(200), days(150))}
		e.awsAddUser(ai, &u, "platform-team")

		u = e.awsUser(ai, "svc-backup", "backup-operators")
		u.AccessKeys = []awsAccessKey{e.awsKey(1003, "Active", days(10), days(1)), e.awsKey(1004, "Active", days(40), days(3))}
		e.awsAddUser(ai, &u, "platform-team")
		e.plant(u.Arn, "aws-iam-user-single-active-access-key", "two active access keys left over from a rotation")

	case "production":
		arn := e.awsAddPolicy(ai, "acme-break-glass-admin", 1, adminDoc)
		e.plant(arn, "aws-iam-policy-no-full-admin", "attached customer policy grants Action * on Resource *")
		e.awsAddPolicy(ai, "acme-app-data-rw", 1, awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{
			Effect: "Allow", Action: []string{"s3:GetObject", "s3:PutObject"}, Resource: []string{"arn:aws:s3:::acme-prod-app-data/*"},
		}}})

		u := e.awsUser(ai, "dana.ops", "operators")
		e.awsConsoleUser(&u, days(2), true)
		e.awsAddUser(ai, &u, "platform-team")

		u = e.awsUser(ai, "erin.analyst", "analysts")
		u.CreateDate = e.ago(days(20))
		e.awsConsoleUser(&u, days(1), true)
		u.PasswordLastChanged = u.CreateDate
		u.AccessKeys = []awsAccessKey{e.awsKey(2003, "Active", days(20)-3*time.Minute, -1)}
		e.awsAddUser(ai, &u, "data-team")
		e.plant(u.Arn, "aws-iam-user-no-initial-access-key", "access key created with the console user and never used")

		u = e.awsUser(ai, "bob.legacy", "deployers")
		u.AccessKeys = []awsAccessKey{e.awsKey(2001, "Active", days(200), days(2))}
		e.awsAddUser(ai, &u, "payments-team")
		e.plant(u.Arn, "aws-iam-user-access-keys-rotated", "active access key created 200 days ago")

		u = e.awsUser(ai, "reporting-bot")
		u.AccessKeys = []awsAccessKey{e.awsKey(2002, "Active", days(20), days(1))}
		u.AttachedPolicies = []awsAttachedPolicy{{"AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}}
		e.awsAddUser(ai, &u, "data-team")
		e.plant(u.Arn, "aws-iam-user-no-direct-policies", "managed policy attached to the user instead of a group")

	case "development":
		// Not attached anywhere: the admin check does not apply to it.
		e.awsAddPolicy(ai, "acme-legacy-admin-draft", 0, adminDoc)

		u := e.awsUser(ai, "carol.dev", "developers")
		e.awsConsoleUser(&u, days(3), false)
		e.awsAddUser(ai, &u, "web-team")
		e.plant(u.Arn, "aws-iam-user-console-mfa", "console password without an MFA device")

		u = e.awsUser(ai, "old-contractor", "developers")
		e.awsConsoleUser(&u, days(120), true)
		e.awsAddUser(ai, &u, "web-team")
		e.plant(u.Arn, "aws-iam-user-unused-credentials", "console password last used 120 days ago")

		e.awsAddRole(ai, "temp-migration-role", "Data migration (temporary)", awsTrust("ec2.amazonaws.com"),
			[]awsAttachedPolicy{{"AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}}, nil)
		e.plant(uid("role", "temp-migration-role"), "org-required-tags", "role created by hand without owner and environment tags")
	}
}

// awsRegional emits the per account-region facts and services.
func (e *estate) awsRegional(ai, ri int) {
	a := awsAccts[ai]
	region := awsRegions[ri]
	tags := awsTags(a, "security-team")

	settingsUID := fmt.Sprintf("arn:aws:ec2:%s:%s:regional-settings", region, a.id)
	rs := awsRegionalSettings{
		AccountID: a.id, Region: region, EBSEncryptionByDefault: true,
		EBSDefaultKMSKeyID: awsKeyARN(ai, ri), SnapshotBlockPublicAccessState: "block-all-sharing",
	}
	if a.env == "production" && region == "us-west-2" {
		rs.EBSEncryptionByDefault = false
		rs.EBSDefaultKMSKeyID = "alias/aws/ebs"
		e.plant(settingsUID, "aws-ec2-ebs-default-encryption", "EBS encryption by default never turned on in us-west-2")
	}
	e.add(e.awsResource(a, region, "aws_ec2_regional_settings", settingsUID, a.name+"/"+region, nil, 0), &rs)

	// KMS data key of the account-region.
	keyARN := awsKeyARN(ai, ri)
	k := awsKMSKeyProps{
		KeyID: keyARN[len(keyARN)-36:], Arn: keyARN, Description: "Acme " + a.env + " data key",
		KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT", KeyState: "Enabled",
		Origin: "AWS_KMS", CreationDate: e.ago(days(700)), KeyRotationEnabled: true, RotationPeriodInDays: 365,
		Aliases: []string{"alias/acme-" + a.env + "-data"},
		KeyPolicy: &awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{
			Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: map[string][]string{"AWS": {"arn:aws:iam::" + a.id + ":root"}},
			Action: []string{"kms:*"}, Resource: []string{"*"},
		}}},
	}
	if a.env == "development" && region == "us-east-1" {
		k.KeyPolicy.Statement = append(k.KeyPolicy.Statement, awsStatement{
			Sid: "AllowUseViaS3", Effect: "Allow", Principal: map[string][]string{"AWS": {"*"}},
			Action: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resource: []string{"*"},
			Condition: map[string]map[string][]string{"StringEquals": {"kms:ViaService": {"s3.us-east-1.amazonaws.com"}}},
		})
		e.plant(keyARN, "aws-kms-key-policy-not-public", "key policy lets any AWS account use the key through S3 (kms:ViaService alone does not name the caller)")
	}
	if a.env == "production" && region == "eu-west-1" {
		k.KeyRotationEnabled = false
		k.RotationPeriodInDays = 0
		e.plant(keyARN, "aws-kms-key-rotation-enabled", "customer managed key with automatic rotation off")
	}
	e.add(e.awsResource(a, region, "aws_kms_key", keyARN, k.Aliases[0], tags, days(700)), &k)

	// Security Hub, Access Analyzer, Config.
	if a.env == "development" && region == "eu-central-1" {
		e.plant(settingsUID, "aws-securityhub-enabled", "Security Hub never enabled in eu-central-1")
	} else {
		hub := awsHubProps{
			HubArn:       fmt.Sprintf("arn:aws:securityhub:%s:%s:hub/default", region, a.id),
			SubscribedAt: e.ago(days(500)), AutoEnableControls: true, ControlFindingGenerator: "SECURITY_CONTROL",
		}
		e.add(e.awsResource(a, region, "aws_securityhub_hub", hub.HubArn, "default", tags, days(500)), &hub)
	}
	if a.env == "development" && region == "eu-west-1" {
		e.plant(settingsUID, "aws-accessanalyzer-enabled", "no IAM Access Analyzer in eu-west-1")
	} else {
		typ, name := "ACCOUNT", "acme-account-analyzer"
		if ai == 0 {
			typ, name = "ORGANIZATION", "acme-org-analyzer"
		}
		an := awsAnalyzerProps{
			Arn:  fmt.Sprintf("arn:aws:access-analyzer:%s:%s:analyzer/%s", region, a.id, name),
			Name: name, Type: typ, Status: "ACTIVE", CreatedAt: e.ago(days(450)), LastResourceAnalyzedAt: e.ago(time.Hour),
		}
		e.add(e.awsResource(a, region, "aws_accessanalyzer_analyzer", an.Arn, name, tags, days(450)), &an)
	}
	rec := awsRecorderProps{Name: "default", RoleArn: fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", a.id)}
	rec.RecordingGroup.AllSupported = true
	rec.RecordingGroup.IncludeGlobalResourceTypes = region == "us-east-1"
	rec.RecordingGroup.ResourceTypes = []string{}
	rec.Status.Recording = true
	rec.Status.LastStatus = "SUCCESS"
	rec.Status.LastStartTime = e.ago(days(120))
	recUID := fmt.Sprintf("arn:aws:config:%s:%s:configuration-recorder/default/%s", region, a.id, a.id[:4]+"c0nf1g")
	if a.env == "development" && region == "us-west-2" {
		rec.Status.Recording = false
		rec.Status.LastStatus = "PENDING"
		e.plant(settingsUID, "aws-config-recording-enabled", "Config recorder stopped in us-west-2")
	}
	e.add(e.awsResource(a, region, "aws_config_configuration_recorder", recUID, "default", nil, days(400)), &rec)

	// Access-log bucket of the account-region.
	name := fmt.Sprintf("acme-%s-s3-access-logs-%s", a.env, region)
	b := e.awsBucket(ai, region, name, days(800))
	b.Policy.Statement = append(b.Policy.Statement, awsStatement{
		Sid: "S3ServerAccessLogsPolicy", Effect: "Allow",
		Principal: map[string][]string{"Service": {"logging.s3.amazonaws.com"}},
		Action:    []string{"s3:PutObject"}, Resource: []string{b.Arn + "/*"},
	})
	e.awsAddBucket(ai, &b, tags, days(800))
}

func awsAccessLogs(ai, ri int, prefix string) *awsBucketLogging {
	return &awsBucketLogging{
		TargetBucket: fmt.Sprintf("acme-%s-s3-access-logs-%s", awsAccts[ai].env, awsRegions[ri]),
		TargetPrefix: prefix + "/",
	}
}

func (e *estate) awsStorage() {
	// Management: Terraform state.
	b := e.awsBucket(0, "eu-central-1", "acme-mgmt-terraform-state", days(900))
	b.ObjectLockEnabled = true
	b.Logging = awsAccessLogs(0, 3, "acme-mgmt-terraform-state")
	b.Versioning.MFADelete = "Disabled"
	e.awsAddBucket(0, &b, awsTags(awsAccts[0], "platform-team"), days(900))
	e.plant(b.Arn, "aws-s3-bucket-mfa-delete", "versioned, but MFA Delete never enabled with the root user")

	// Production.
	b = e.awsBucket(1, "us-east-1", "acme-prod-app-data", days(700))
	b.Logging = awsAccessLogs(1, 0, "acme-prod-app-data")
	e.awsAddBucket(1, &b, awsTags(awsAccts[1], "payments-team"), days(700))

	b = e.awsBucket(1, "us-east-1", "acme-prod-marketing-site", days(650))
	b.PublicAccessBlock = awsPAB{}
	b.Policy.Statement = append(b.Policy.Statement, awsStatement{
		Sid: "PublicRead", Effect: "Allow", Principal: map[string][]string{"AWS": {"*"}},
		Action: []string{"s3:GetObject"}, Resource: []string{b.Arn + "/*"},
	})
	b.PolicyStatus.IsPublic = true
	e.awsAddBucket(1, &b, awsTags(awsAccts[1], "web-team"), days(650))
	e.plant(b.Arn, "aws-s3-bucket-public-access-blocked", "Block Public Access removed to host a static site")
	e.plant(b.Arn, "aws-s3-bucket-not-public", "bucket policy grants s3:GetObject to everyone")

	b = e.awsBucket(1, "eu-west-1", "acme-prod-tmp-export", days(40))
	tags := map[string]string{"environment": "production"}
	e.awsAddBucket(1, &b, tags, days(40))
	e.plant(b.Arn, "org-required-tags", "created by a one-off script without an owner tag")

	// Development.
	b = e.awsBucket(2, "us-west-2", "acme-dev-scratch", days(200))
	b.Versioning.Status = ""
	b.Versioning.MFADelete = ""
	e.awsAddBucket(2, &b, awsTags(awsAccts[2], "web-team"), days(200))
	e.plant(b.Arn, "aws-s3-bucket-versioning-enabled", "versioning never enabled")
	e.plant(b.Arn, "aws-s3-bucket-mfa-delete", "no versioning, so no MFA Delete either")

	b = e.awsBucket(2, "ap-southeast-1", "acme-dev-apac-experiments", days(90))
	e.awsAddBucket(2, &b, awsTags(awsAccts[2], "data-team"), days(90))
	e.plant(b.Arn, "org-allowed-regions", "bucket created in ap-southeast-1, outside the allowed regions")
}

func (e *estate) awsLogging() {
	type trail struct {
		ai, ri     int
		name       string
		multi      bool
		dataEvents bool
		bucketLogs bool
	}
	for _, t := range []trail{
		{0, 0, "acme-mgmt-trail", true, true, true},
		{1, 0, "acme-prod-trail", true, true, false},
		{2, 1, "acme-dev-local-trail", false, false, true},
	} {
		a := awsAccts[t.ai]
		region := awsRegions[t.ri]
		tags := awsTags(a, "security-team")

		bucket := fmt.Sprintf("acme-%s-cloudtrail-logs", a.env)
		b := e.awsBucket(t.ai, region, bucket, days(1000))
		b.Policy.Statement = append(b.Policy.Statement,
			awsStatement{Sid: "AWSCloudTrailAclCheck", Effect: "Allow", Principal: map[string][]string{"Service": {"cloudtrail.amazonaws.com"}},
				Action: []string{"s3:GetBucketAcl"}, Resource: []string{b.Arn}},
			awsStatement{Sid: "AWSCloudTrailWrite", Effect: "Allow", Principal: map[string][]string{"Service": {"cloudtrail.amazonaws.com"}},
				Action: []string{"s3:PutObject"}, Resource: []string{b.Arn + "/AWSLogs/" + a.id + "/*"},
				Condition: map[string]map[string][]string{"StringEquals": {"s3:x-amz-acl": {"bucket-owner-full-control"}}}},
		)
		if t.bucketLogs {
			b.Logging = awsAccessLogs(t.ai, t.ri, bucket)
		} else {
			e.plant(b.Arn, "aws-s3-cloudtrail-bucket-access-logging", "CloudTrail bucket without server access logging")
		}
		e.awsAddBucket(t.ai, &b, tags, days(1000))

		retention := 365
		lgName := "aws-cloudtrail-logs-" + a.name
		if a.env == "development" {
			retention = 400
		}
		lg := e.awsLogGroup(t.ai, t.ri, lgName, retention, days(1000))
		lg.KMSKeyID = awsKeyARN(t.ai, t.ri)
		e.awsAddLogGroup(t.ai, t.ri, &lg, tags, days(1000))

		var p awsTrailProps
		p.Name = t.name
		p.TrailArn = fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, a.id, t.name)
		p.HomeRegion = region
		p.S3BucketName = bucket
		p.IsMultiRegionTrail = t.multi
		p.IncludeGlobalServiceEvents = t.multi
		p.LogFileValidationEnabled = true
		p.KMSKeyID = awsKeyARN(t.ai, t.ri)
		p.CloudWatchLogsLogGroupArn = lg.Arn + ":*"
		p.CloudWatchLogsRoleArn = fmt.Sprintf("arn:aws:iam::%s:role/acme-cloudtrail-to-logs", a.id)
		p.HasCustomEventSelectors = t.dataEvents
		p.Status.IsLogging = true
		p.Status.LatestDeliveryTime = e.ago(5 * time.Minute)
		p.Status.StartLoggingTime = e.ago(days(1000))
		sel := awsEventSelector{ReadWriteType: "All", IncludeManagementEvents: true, DataResources: []awsDataResource{}}
		if t.dataEvents {
			sel.DataResources = append(sel.DataResources, awsDataResource{Type: "AWS::S3::Object", Values: []string{"arn:aws:s3"}})
		}
		p.EventSelectors = []awsEventSelector{sel}
		e.add(e.awsResource(a, region, "aws_cloudtrail_trail", p.TrailArn, t.name, tags, days(1000)), &p)
		e.edge(p.TrailArn, b.Arn, "delivers_to_bucket")
		e.edge(p.TrailArn, lg.Arn, "delivers_to_log_group")
		e.edge(p.TrailArn, p.KMSKeyID, "encrypted_with")
	}

	lg := e.awsLogGroup(2, 3, "/acme/dev/webhooks", 7, days(60))
	e.awsAddLogGroup(2, 3, &lg, awsTags(awsAccts[2], "web-team"), days(60))
	e.plant(lg.Arn, "aws-logs-group-retention", "application logs kept only 7 days")
}

// awsCISAlarms are the CIS monitoring items: the check that verifies each,
// its metric name and the filter pattern CIS recommends.
var awsCISAlarms = [...]struct{ check, metric, pattern string }{
	{"aws-cloudwatch-alarm-unauthorized-api-calls", "UnauthorizedAPICalls",
		`{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }`},
	{"aws-cloudwatch-alarm-console-signin-without-mfa", "ConsoleSigninWithoutMFA",
		`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`},
	{"aws-cloudwatch-alarm-root-usage", "RootAccountUsage",
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`},
	{"aws-cloudwatch-alarm-iam-policy-changes", "IAMPolicyChanges",
		`{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy))}`},
	{"aws-cloudwatch-alarm-cloudtrail-changes", "CloudTrailConfigChanges",
		`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`},
	{"aws-cloudwatch-alarm-console-auth-failures", "ConsoleLoginFailures",
		`{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`},
	{"aws-cloudwatch-alarm-kms-key-deletion", "DisableOrDeleteCMK",
		`{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }`},
	{"aws-cloudwatch-alarm-s3-bucket-policy-changes", "S3BucketPolicyChanges",
		`{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }`},
	{"aws-cloudwatch-alarm-config-changes", "AWSConfigChanges",
		`{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }`},
	{"aws-cloudwatch-alarm-security-group-changes", "SecurityGroupChanges",
		`{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`},
	{"aws-cloudwatch-alarm-nacl-changes", "NACLChanges",
		`{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`},
	{"aws-cloudwatch-alarm-network-gateway-changes", "NetworkGatewayChanges",
		`{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }`},
	{"aws-cloudwatch-alarm-route-table-changes", "RouteTableChanges",
		`{($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }`},
	{"aws-cloudwatch-alarm-vpc-changes", "VPCChanges",
		`{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }`},
	{"aws-cloudwatch-alarm-organizations-changes", "OrganizationsChanges",
		`{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }`},
}

type awsMetricTransformation struct {
	MetricName      string `json:"metric_name"`
	MetricNamespace string `json:"metric_namespace"`
	MetricValue     string `json:"metric_value"`
}

type awsMetricFilterProps struct {
	FilterName            string                    `json:"filter_name"`
	LogGroupName          string                    `json:"log_group_name"`
	FilterPattern         string                    `json:"filter_pattern"`
	CreationTime          string                    `json:"creation_time"`
	MetricTransformations []awsMetricTransformation `json:"metric_transformations"`
}

type awsAlarmProps struct {
	AlarmName             string   `json:"alarm_name"`
	AlarmArn              string   `json:"alarm_arn"`
	MetricName            string   `json:"metric_name"`
	Namespace             string   `json:"namespace"`
	Statistic             string   `json:"statistic"`
	ComparisonOperator    string   `json:"comparison_operator"`
	Threshold             float64  `json:"threshold"`
	EvaluationPeriods     int      `json:"evaluation_periods"`
	Period                int      `json:"period"`
	ActionsEnabled        bool     `json:"actions_enabled"`
	AlarmActions          []string `json:"alarm_actions"`
	StateValue            string   `json:"state_value"`
	StateUpdatedTimestamp string   `json:"state_updated_timestamp"`
}

type awsSubscription struct {
	SubscriptionArn string `json:"subscription_arn"`
	Protocol        string `json:"protocol"`
	Endpoint        string `json:"endpoint"`
}

type awsTopicProps struct {
	TopicArn               string            `json:"topic_arn"`
	DisplayName            string            `json:"display_name"`
	KMSMasterKeyID         string            `json:"kms_master_key_id,omitempty"`
	SubscriptionsConfirmed int               `json:"subscriptions_confirmed"`
	SubscriptionsPending   int               `json:"subscriptions_pending"`
	Subscriptions          []awsSubscription `json:"subscriptions"`
	Policy                 *awsPolicyDoc     `json:"policy"`
}

// awsAddTopic adds an SNS topic in us-east-1 with one e-mail subscription,
// confirmed or still pending.
func (e *estate) awsAddTopic(ai int, name, email string, confirmed bool) string {
	a := awsAccts[ai]
	arn := fmt.Sprintf("arn:aws:sns:us-east-1:%s:%s", a.id, name)
	p := awsTopicProps{TopicArn: arn, DisplayName: name, KMSMasterKeyID: "alias/aws/sns", Policy: awsDefaultTopicPolicy(a, arn)}
	sub := awsSubscription{SubscriptionArn: "PendingConfirmation", Protocol: "email", Endpoint: email}
	if confirmed {
		sub.SubscriptionArn = arn + ":5f1c0e2a-7b3d-4e8f-9a01-" + a.id
		p.SubscriptionsConfirmed = 1
	} else {
		p.SubscriptionsPending = 1
	}
	p.Subscriptions = []awsSubscription{sub}
	e.add(e.awsResource(a, "us-east-1", "aws_sns_topic", arn, name, awsTags(a, "security-team"), days(800)), &p)
	return arn
}

// awsMonitoring sets up the CIS metric filters and alarms on the CloudTrail
// log groups (us-east-1) of the management and production accounts. The
// development account has no multi-region trail, so it fails every item.
func (e *estate) awsMonitoring() {
	for ai := range 2 {
		a := awsAccts[ai]
		topic := e.awsAddTopic(ai, "acme-security-alerts", "secops@acme.example", true)
		netTopic := topic
		if a.env == "production" {
			netTopic = e.awsAddTopic(ai, "acme-prod-netops", "netops@acme.example", false)
		}
		lgName := "aws-cloudtrail-logs-" + a.name
		lgArn := fmt.Sprintf("arn:aws:logs:us-east-1:%s:log-group:%s", a.id, lgName)
		for _, c := range awsCISAlarms {
			if a.env == "production" && c.metric == "OrganizationsChanges" {
				e.plant(awsAccountUID(a), c.check, "member account has no metric filter for AWS Organizations events")
				continue
			}
			mf := awsMetricFilterProps{
				FilterName: "cis-" + c.metric, LogGroupName: lgName, FilterPattern: c.pattern,
				CreationTime:          e.ago(days(700)),
				MetricTransformations: []awsMetricTransformation{{MetricName: c.metric, MetricNamespace: "CISBenchmark", MetricValue: "1"}},
			}
			mfUID := lgArn + ":metric-filter:" + mf.FilterName
			e.add(e.awsResource(a, "us-east-1", "aws_cloudwatch_log_metric_filter", mfUID, mf.FilterName, nil, days(700)), &mf)
			e.edge(mfUID, lgArn, "reads_log_group")

			al := awsAlarmProps{
				AlarmName: "cis-" + c.metric, MetricName: c.metric, Namespace: "CISBenchmark",
				Statistic: "Sum", ComparisonOperator: "GreaterThanOrEqualToThreshold", Threshold: 1,
				EvaluationPeriods: 1, Period: 300, ActionsEnabled: true, AlarmActions: []string{topic},
				StateValue: "OK", StateUpdatedTimestamp: e.ago(days(3)),
			}
			al.AlarmArn = fmt.Sprintf("arn:aws:cloudwatch:us-east-1:%s:alarm:%s", a.id, al.AlarmName)
			if c.metric == "RouteTableChanges" {
				al.AlarmActions = []string{netTopic}
				if netTopic != topic {
					e.plant(awsAccountUID(a), c.check, "route table alarm notifies a topic whose only subscription was never confirmed")
				}
			}
			e.add(e.awsResource(a, "us-east-1", "aws_cloudwatch_alarm", al.AlarmArn, al.AlarmName, awsTags(a, "security-team"), days(700)), &al)
			e.edge(al.AlarmArn, al.AlarmActions[0], "notifies")
		}
	}
	for _, c := range awsCISAlarms {
		e.plant(awsAccountUID(awsAccts[2]), c.check, "no multi-region trail delivers events to CloudWatch Logs")
	}
}

type awsPortRange struct {
	From int `json:"from"`
	To   int `json:"to"`
}

type awsNACLEntry struct {
	RuleNumber int           `json:"rule_number"`
	Protocol   string        `json:"protocol"`
	RuleAction string        `json:"rule_action"`
	Egress     bool          `json:"egress"`
	CidrBlock  string        `json:"cidr_block"`
	PortRange  *awsPortRange `json:"port_range,omitempty"`
}

type awsNACLAssoc struct {
	NetworkACLAssociationID string `json:"network_acl_association_id"`
	SubnetID                string `json:"subnet_id"`
}

type awsNACLProps struct {
	NetworkACLID string         `json:"network_acl_id"`
	VpcID        string         `json:"vpc_id"`
	IsDefault    bool           `json:"is_default"`
	OwnerID      string         `json:"owner_id"`
	Entries      []awsNACLEntry `json:"entries"`
	Associations []awsNACLAssoc `json:"associations"`
}

// awsAddNACL adds the VPC's default network ACL. Acme's baseline denies SSH
// and RDP from the internet ahead of AWS's allow-all rule; awsDefaults
// leaves the ACL as AWS created it (a plant).
func (e *estate) awsAddNACL(a awsAcct, region string, n int, vpc string, awsDefaults bool, tags map[string]string) {
	p := awsNACLProps{NetworkACLID: fmt.Sprintf("acl-0%016x", n+1), VpcID: vpc, IsDefault: true, OwnerID: a.id,
		Associations: []awsNACLAssoc{{fmt.Sprintf("aclassoc-0%016x", n+1), "subnet-" + vpc[4:]}}}
	if !awsDefaults {
		p.Entries = append(p.Entries,
			awsNACLEntry{50, "6", "deny", false, "0.0.0.0/0", &awsPortRange{22, 22}},
			awsNACLEntry{51, "6", "deny", false, "0.0.0.0/0", &awsPortRange{3389, 3389}})
	}
	p.Entries = append(p.Entries,
		awsNACLEntry{100, "-1", "allow", false, "0.0.0.0/0", nil},
		awsNACLEntry{32767, "-1", "deny", false, "0.0.0.0/0", nil},
		awsNACLEntry{100, "-1", "allow", true, "0.0.0.0/0", nil},
		awsNACLEntry{32767, "-1", "deny", true, "0.0.0.0/0", nil})
	uid := fmt.Sprintf("arn:aws:ec2:%s:%s:network-acl/%s", region, a.id, p.NetworkACLID)
	e.add(e.awsResource(a, region, "aws_ec2_network_acl", uid, p.NetworkACLID, tags, days(900)), &p)
	if awsDefaults {
		e.plant(uid, "aws-ec2-nacl-no-public-admin-ports", "default network ACL still admits all traffic, SSH and RDP included, from 0.0.0.0/0")
	}
}

func (e *estate) awsNetworkAndCompute() {
	type vpc struct {
		ai, ri   int
		id, cidr string
		flowLogs bool
	}
	vpcs := []vpc{
		{0, 0, "vpc-0a1100000000000a1", "10.10.0.0/16", true},
		{1, 0, "vpc-0a2200000000000a1", "10.20.0.0/16", true},
		{1, 2, "vpc-0a2200000000000e1", "10.21.0.0/16", true},
		{2, 1, "vpc-0a3300000000000b2", "10.30.0.0/16", false},
		{2, 3, "vpc-0a3300000000000c1", "10.31.0.0/16", true},
	}
	for n, v := range vpcs {
		a := awsAccts[v.ai]
		region := awsRegions[v.ri]
		tags := awsTags(a, "platform-team")
		p := awsVPCProps{VpcID: v.id, CidrBlock: v.cidr, State: "available", InstanceTenancy: "default",
			DhcpOptionsID: fmt.Sprintf("dopt-0%016x", n+1), FlowLogs: []awsFlowLog{}}
		uid := fmt.Sprintf("arn:aws:ec2:%s:%s:vpc/%s", region, a.id, v.id)
		if v.flowLogs {
			p.FlowLogs = append(p.FlowLogs, awsFlowLog{
				FlowLogID: fmt.Sprintf("fl-0%016x", n+1), FlowLogStatus: "ACTIVE", DeliverLogsStatus: "SUCCESS",
				TrafficType: "ALL", LogDestinationType: "s3",
				LogDestination: fmt.Sprintf("arn:aws:s3:::acme-%s-s3-access-logs-%s/vpc-flow-logs/", a.env, region),
			})
		} else {
			e.plant(uid, "aws-vpc-flow-logs-enabled", "VPC without flow logs")
		}
		e.add(e.awsResource(a, region, "aws_vpc", uid, "acme-"+a.env+"-"+region, tags, days(900)), &p)
		e.awsAddNACL(a, region, n, v.id, v.ai == 2 && v.ri == 1, tags)

		// The VPC's default security group: emptied, except one left as AWS made it.
		def := awsSG(a, fmt.Sprintf("sg-0de%014x", n+1), "default", "default VPC security group", v.id, nil)
		def.IPPermissionsEgress = []awsIPPermission{}
		if a.env == "development" && region == "eu-central-1" {
			self := awsPort(0, 0, "-1", nil, nil)
			self.UserIDGroupPairs = []awsGroupPair{{GroupID: def.GroupID, UserID: a.id}}
			def.IPPermissions = []awsIPPermission{self}
			def.IPPermissionsEgress = awsEgressAll
			e.plant(fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", region, a.id, def.GroupID),
				"aws-ec2-default-sg-restricts-all", "default security group still has AWS's allow rules")
		}
		e.awsAddSG(a, region, &def, tags)

		// A load balancer group open on 443 only.
		lb := awsSG(a, fmt.Sprintf("sg-0ab%014x", n+1), "acme-web-lb", "public HTTPS load balancer", v.id,
			[]awsIPPermission{awsPort(443, 443, "tcp", []string{"0.0.0.0/0"}, []string{"::/0"})})
		e.awsAddSG(a, region, &lb, tags)
		app := awsSG(a, fmt.Sprintf("sg-0ac%014x", n+1), "acme-app", "application instances", v.id, nil)
		fromLB := awsPort(8080, 8080, "tcp", nil, nil)
		fromLB.UserIDGroupPairs = []awsGroupPair{{GroupID: lb.GroupID, UserID: a.id}}
		app.IPPermissions = []awsIPPermission{fromLB, awsPort(22, 22, "tcp", []string{v.cidr}, nil)}
		e.awsAddSG(a, region, &app, tags)
	}

	prod, dev := awsAccts[1], awsAccts[2]
	bastion := awsSG(prod, "sg-0b0000000000000a1", "bastion-sg", "SSH bastion", vpcs[1].id,
		[]awsIPPermission{awsPort(22, 22, "tcp", []string{"0.0.0.0/0"}, nil)})
	e.awsAddSG(prod, "us-east-1", &bastion, awsTags(prod, "platform-team"))
	e.plant("arn:aws:ec2:us-east-1:222222222222:security-group/"+bastion.GroupID, "aws-ec2-sg-no-public-admin-ports-ipv4", "SSH open to 0.0.0.0/0")

	rdp := awsSG(prod, "sg-0b0000000000000e1", "legacy-rdp", "Windows jump host", vpcs[2].id,
		[]awsIPPermission{awsPort(3389, 3389, "tcp", []string{"10.21.0.0/16"}, []string{"::/0"})})
	e.awsAddSG(prod, "eu-west-1", &rdp, awsTags(prod, "platform-team"))
	e.plant("arn:aws:ec2:eu-west-1:222222222222:security-group/"+rdp.GroupID, "aws-ec2-sg-no-public-admin-ports-ipv6", "RDP open to ::/0")

	debug := awsSG(dev, "sg-0b0000000000000b2", "dev-debug-open", "temporary debugging", vpcs[3].id,
		[]awsIPPermission{awsPort(0, 0, "-1", []string{"0.0.0.0/0"}, nil)})
	e.awsAddSG(dev, "us-west-2", &debug, awsTags(dev, "web-team"))
	debugUID := "arn:aws:ec2:us-west-2:333333333333:security-group/" + debug.GroupID
	e.plant(debugUID, "aws-ec2-sg-no-public-all-traffic", "all traffic allowed from 0.0.0.0/0")
	e.plant(debugUID, "aws-ec2-sg-no-public-admin-ports-ipv4", "all ports, so also SSH and RDP, open to 0.0.0.0/0")
	e.plant(debugUID, "aws-ec2-sg-no-public-cifs", "all ports, so also SMB (445), open to 0.0.0.0/0")

	smb := awsSG(prod, "sg-0b0000000000000e2", "legacy-fileshare", "Windows file share for branch offices", vpcs[2].id,
		[]awsIPPermission{awsPort(445, 445, "tcp", []string{"0.0.0.0/0"}, nil)})
	e.awsAddSG(prod, "eu-west-1", &smb, awsTags(prod, "platform-team"))
	e.plant("arn:aws:ec2:eu-west-1:222222222222:security-group/"+smb.GroupID, "aws-ec2-sg-no-public-cifs", "SMB share reachable from the whole internet")

	type inst struct {
		ai, vi  int
		id, typ string
		name    string
		sg      awsSGProps
	}
	lbApp := func(n int, a awsAcct) awsSGProps {
		return awsSG(a, fmt.Sprintf("sg-0ac%014x", n+1), "acme-app", "", "", nil)
	}
	for _, in := range []inst{
		{0, 0, "i-0a1100000000000a1", "t3.medium", "acme-mgmt-tools", lbApp(0, awsAccts[0])},
		{1, 1, "i-0a2200000000000a1", "m7g.large", "web-1", lbApp(1, prod)},
		{1, 1, "i-0a2200000000000a2", "m7g.large", "web-2", lbApp(1, prod)},
		{1, 1, "i-0a2200000000000a3", "t3.micro", "bastion", bastion},
		{1, 2, "i-0a2200000000000e1", "m7g.large", "web-eu-1", lbApp(2, prod)},
		{2, 3, "i-0a3300000000000b1", "c7i.xlarge", "dev-build-runner", lbApp(3, dev)},
	} {
		a := awsAccts[in.ai]
		v := vpcs[in.vi]
		region := awsRegions[v.ri]
		tags := awsTags(a, "platform-team")
		tags["Name"] = in.name
		volID := "vol-" + in.id[2:]
		profile := "acme-app-instance"
		if in.name == "dev-build-runner" {
			profile = ""
		}
		p := e.awsInstance(a, in.id, in.typ, v.id, in.sg.GroupID, in.sg.GroupName, volID, profile, days(30))
		uid := fmt.Sprintf("arn:aws:ec2:%s:%s:instance/%s", region, a.id, in.id)
		switch in.name {
		case "bastion":
			p.MetadataOptions.HTTPTokens = "optional"
			p.PublicIPAddress = "203.0.113.24"
			e.plant(uid, "aws-ec2-instance-imdsv2", "IMDSv1 still allowed on an internet-facing host")
		case "dev-build-runner":
			e.plant(uid, "aws-ec2-instance-iam-profile", "runner uses static keys instead of an instance profile")
		}
		e.add(e.awsResource(a, region, "aws_ec2_instance", uid, in.name, tags, days(30)), &p)
		if p.IamInstanceProfile != nil {
			e.edge(uid, fmt.Sprintf("arn:aws:iam::%s:role/acme-app-instance", a.id), "instance_role")
		}

		vol := e.awsVolume(in.ai, v.ri, volID, in.id, 50, days(30))
		vtags := awsTags(a, "platform-team")
		if in.name == "dev-build-runner" {
			vol.Encrypted = false
			vol.KMSKeyID = ""
		}
		vuid := e.awsAddVolume(in.ai, v.ri, &vol, vtags, days(30))
		if !vol.Encrypted {
			e.plant(vuid, "aws-ec2-ebs-volume-encrypted", "volume created before EBS default encryption was on")
		}
		e.edge(uid, vuid, "attached_volume")
	}

	// RDS.
	r := e.awsRDS(1, 0, "orders-db", "postgres", "16.4", days(500))
	e.awsAddRDS(1, 0, &r, awsTags(prod, "payments-team"), days(500))
	r = e.awsRDS(1, 2, "orders-db-eu", "postgres", "16.4", days(300))
	e.awsAddRDS(1, 2, &r, awsTags(prod, "payments-team"), days(300))
	r = e.awsRDS(2, 1, "analytics-sandbox", "mysql", "8.0.39", days(80))
	r.PubliclyAccessible = true
	r.MultiAZ = false
	e.awsAddRDS(2, 1, &r, awsTags(dev, "data-team"), days(80))
	e.plant(r.DBInstanceArn, "aws-rds-not-publicly-accessible", "sandbox database reachable from the internet")
	e.plant(r.DBInstanceArn, "aws-rds-multi-az", "single-AZ deployment: no standby in a second Availability Zone")

	// EKS.
	for _, c := range []struct {
		ai, vi int
		name   string
		cidrs  []string
	}{
		{1, 1, "prod-platform", []string{"203.0.113.0/24"}},
		{2, 3, "dev-sandbox", []string{"0.0.0.0/0"}},
	} {
		a := awsAccts[c.ai]
		v := vpcs[c.vi]
		region := awsRegions[v.ri]
		var p awsEKSProps
		p.Name = c.name
		p.Arn = fmt.Sprintf("arn:aws:eks:%s:%s:cluster/%s", region, a.id, c.name)
		p.Version = "1.33"
		p.PlatformVersion = "eks.9"
		p.Status = "ACTIVE"
		p.RoleArn = fmt.Sprintf("arn:aws:iam::%s:role/acme-eks-cluster", a.id)
		p.CreatedAt = e.ago(days(250))
		p.ResourcesVpcConfig.VpcID = v.id
		p.ResourcesVpcConfig.SubnetIDs = []string{"subnet-" + v.id[4:]}
		p.ResourcesVpcConfig.SecurityGroupIDs = []string{}
		p.ResourcesVpcConfig.ClusterSecurityGroupID = "sg-0e" + v.id[6:]
		p.ResourcesVpcConfig.EndpointPublicAccess = true
		p.ResourcesVpcConfig.EndpointPrivateAccess = true
		p.ResourcesVpcConfig.PublicAccessCidrs = c.cidrs
		p.Logging.ClusterLogging = []awsEKSLogging{
			{Types: []string{"api", "audit", "authenticator"}, Enabled: true},
			{Types: []string{"controllerManager", "scheduler"}, Enabled: false},
		}
		if c.cidrs[0] == "0.0.0.0/0" {
			p.Logging.ClusterLogging = []awsEKSLogging{
				{Types: []string{"api", "authenticator"}, Enabled: true},
				{Types: []string{"audit", "controllerManager", "scheduler"}, Enabled: false},
			}
			e.plant(p.Arn, "aws-eks-control-plane-logging", "audit log turned off to save CloudWatch costs")
		}
		enc := awsEKSEncryption{Resources: []string{"secrets"}}
		enc.Provider.KeyArn = awsKeyARN(c.ai, v.ri)
		p.EncryptionConfig = []awsEKSEncryption{enc}
		e.add(e.awsResource(a, region, "aws_eks_cluster", p.Arn, c.name, awsTags(a, "platform-team"), days(250)), &p)
		e.edge(p.Arn, p.RoleArn, "cluster_role")
		e.edge(p.Arn, enc.Provider.KeyArn, "encrypted_with")
		if c.cidrs[0] == "0.0.0.0/0" {
			e.plant(p.Arn, "aws-eks-endpoint-not-public", "API server endpoint open to the whole internet")
		}
	}
}

func (e *estate) awsApps() {
	prod, dev := awsAccts[1], awsAccts[2]

	f := e.awsLambda(0, 0, "account-vending", "python3.13", days(100))
	e.awsAddLambda(0, 0, &f, awsTags(awsAccts[0], "platform-team"), days(100))

	f = e.awsLambda(1, 0, "order-events", "nodejs22.x", days(20))
	f.Handler = "index.handler"
	f.Policy = &awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{
		Sid: "sns-invoke", Effect: "Allow", Principal: map[string][]string{"Service": {"sns.amazonaws.com"}},
		Action: []string{"lambda:InvokeFunction"}, Resource: []string{f.FunctionArn},
		Condition: map[string]map[string][]string{"ArnLike": {"AWS:SourceArn": {"arn:aws:sns:us-east-1:" + prod.id + ":acme-security-alerts"}}},
	}}}
	e.awsAddLambda(1, 0, &f, awsTags(prod, "payments-team"), days(20))

	f = e.awsLambda(1, 0, "billing-sync", awsCurrentRuntime, days(45))
	f.Environment.Variables = []awsEnvVar{{Name: "QUEUE_URL"}, {Name: "STRIPE_API_KEY", LooksLikeSecret: true}}
	e.awsAddLambda(1, 0, &f, awsTags(prod, "payments-team"), days(45))
	e.plant(f.FunctionArn, "aws-lambda-no-secrets-in-env", "API key stored in a plain environment variable")

	f = e.awsLambda(2, 1, "legacy-thumbnailer", awsLegacyRuntime, days(900))
	e.awsAddLambda(2, 1, &f, awsTags(dev, "web-team"), days(900))
	e.plant(f.FunctionArn, "aws-lambda-supported-runtime", "python3.8 is deprecated by AWS Lambda")

	f = e.awsLambda(2, 1, "webhook-receiver", "nodejs22.x", days(60))
	f.FunctionURLConfig = &struct {
		FunctionURL string `json:"function_url"`
		AuthType    string `json:"auth_type"`
	}{"https://w3bh00kdev7x2.lambda-url.us-west-2.on.aws/", "NONE"}
	f.Policy = &awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{
		Sid: "FunctionURLAllowPublicAccess", Effect: "Allow", Principal: map[string][]string{"AWS": {"*"}},
		Action: []string{"lambda:InvokeFunctionUrl"}, Resource: []string{f.FunctionArn},
		Condition: map[string]map[string][]string{"StringEquals": {"lambda:FunctionUrlAuthType": {"NONE"}}},
	}}}
	e.plant(f.FunctionArn, "aws-lambda-function-policy-not-public", "resource policy lets anyone invoke the function URL")
	e.awsAddLambda(2, 1, &f, awsTags(dev, "web-team"), days(60))
	e.plant(f.FunctionArn, "aws-lambda-url-requires-auth", "function URL callable by anyone without signing")
}

// ---- filler ----

// awsFill emits one AWS resource. Filler index i is grouped by seven: each
// group shares an account and region and cycles bucket, instance, volume
// (attached to the group's instance), security group, function, log group
// and database. About 1.5% are planted (i%67 == 13).
func (e *estate) awsFill(i int) {
	g := i / 7
	ai, ri := g%3, (g/3)%4
	a := awsAccts[ai]
	region := awsRegions[ri]
	owner := awsOwners[g%len(awsOwners)]
	tags := map[string]string{"owner": owner, "environment": a.env, "service": fmt.Sprintf("svc-%d", g%97)}
	planted := i%67 == 13
	age := days(1 + g%700)
	instanceID := fmt.Sprintf("i-0f%015x", 7*g+1)
	volumeID := fmt.Sprintf("vol-0f%015x", 7*g+2)
	vpc := fmt.Sprintf("vpc-0f%02d%02d00000000000", ai, ri)

	switch i % 7 {
	case 0:
		b := e.awsBucket(ai, region, fmt.Sprintf("acme-%s-%s-data-%d", a.env, owner, i), age)
		b.Logging = awsAccessLogs(ai, ri, b.Name)
		if planted {
			delete(tags, "owner")
			e.plant(b.Arn, "org-required-tags", "bucket without an owner tag")
		}
		e.awsAddBucket(ai, &b, tags, age)
	case 1:
		types := [...]string{"t3.medium", "m7g.large", "c7i.large", "r7g.xlarge"}
		sgID := fmt.Sprintf("sg-0f%015x", 7*g+3)
		p := e.awsInstance(a, instanceID, types[e.rng.IntN(len(types))], vpc, sgID, fmt.Sprintf("svc-%d", g), volumeID, "acme-app-instance", age)
		uid := fmt.Sprintf("arn:aws:ec2:%s:%s:instance/%s", region, a.id, instanceID)
		if planted {
			p.MetadataOptions.HTTPTokens = "optional"
			e.plant(uid, "aws-ec2-instance-imdsv2", "launched from an old template allowing IMDSv1")
		}
		e.add(e.awsResource(a, region, "aws_ec2_instance", uid, fmt.Sprintf("svc-%d-%d", g%97, i), tags, age), &p)
		e.edge(uid, fmt.Sprintf("arn:aws:iam::%s:role/acme-app-instance", a.id), "instance_role")
	case 2:
		v := e.awsVolume(ai, ri, volumeID, instanceID, 20+10*(g%10), age)
		if planted {
			v.Encrypted = false
			v.KMSKeyID = ""
		}
		uid := e.awsAddVolume(ai, ri, &v, tags, age)
		if planted {
			e.plant(uid, "aws-ec2-ebs-volume-encrypted", "volume restored from an unencrypted snapshot")
		}
		e.edge(fmt.Sprintf("arn:aws:ec2:%s:%s:instance/%s", region, a.id, instanceID), uid, "attached_volume")
	case 3:
		in := []awsIPPermission{awsPort(8080, 8080, "tcp", []string{"10.0.0.0/8"}, nil)}
		if planted {
			in = append(in, awsPort(22, 22, "tcp", []string{"0.0.0.0/0"}, nil))
		}
		p := awsSG(a, fmt.Sprintf("sg-0f%015x", i), fmt.Sprintf("svc-%d", g), "service instances", vpc, in)
		e.awsAddSG(a, region, &p, tags)
		if planted {
			e.plant(fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", region, a.id, p.GroupID),
				"aws-ec2-sg-no-public-admin-ports-ipv4", "SSH opened to 0.0.0.0/0 for debugging")
		}
	case 4:
		runtimes := [...]string{"python3.12", "python3.13", "nodejs22.x", "java21"}
		rt := runtimes[g%len(runtimes)]
		if planted {
			rt = awsLegacyRuntime
		}
		f := e.awsLambda(ai, ri, fmt.Sprintf("svc-%d-fn-%d", g%97, i), rt, age)
		e.awsAddLambda(ai, ri, &f, tags, age)
		if planted {
			e.plant(f.FunctionArn, "aws-lambda-supported-runtime", "function still on python3.8")
		}
	case 5:
		retentions := [...]int{365, 400, 731, 1827, 0}
		ret := retentions[g%len(retentions)]
		if planted {
			ret = 14
		}
		lg := e.awsLogGroup(ai, ri, fmt.Sprintf("/acme/%s/svc-%d/%d", a.env, g%97, i), ret, age)
		e.awsAddLogGroup(ai, ri, &lg, tags, age)
		if planted {
			e.plant(lg.Arn, "aws-logs-group-retention", "log group kept only 14 days")
		}
	case 6:
		r := e.awsRDS(ai, ri, fmt.Sprintf("svc-%d-db-%d", g%97, i), "postgres", "16.4", age)
		if planted {
			r.PubliclyAccessible = true
			e.plant(r.DBInstanceArn, "aws-rds-not-publicly-accessible", "database given a public endpoint")
		}
		e.awsAddRDS(ai, ri, &r, tags, age)
	}
}

// ---- resource-based policies (CIS AWS v7.0 2.21) ----

// awsDefaultTopicPolicy is the policy SNS gives a new topic: everyone, but
// only on behalf of the owning account (AWS:SourceOwner).
func awsDefaultTopicPolicy(a awsAcct, arn string) *awsPolicyDoc {
	return &awsPolicyDoc{Version: "2008-10-17", Statement: []awsStatement{{
		Sid: "__default_statement_ID", Effect: "Allow", Principal: map[string][]string{"AWS": {"*"}},
		Action:    []string{"SNS:GetTopicAttributes", "SNS:Subscribe", "SNS:Publish"},
		Resource:  []string{arn},
		Condition: map[string]map[string][]string{"StringEquals": {"AWS:SourceOwner": {a.id}}},
	}}}
}

type awsQueueProps struct {
	QueueURL               string        `json:"queue_url"`
	QueueArn               string        `json:"queue_arn"`
	QueueName              string        `json:"queue_name"`
	CreatedTimestamp       string        `json:"created_timestamp"`
	FifoQueue              bool          `json:"fifo_queue"`
	SqsManagedSseEnabled   bool          `json:"sqs_managed_sse_enabled"`
	KMSMasterKeyID         string        `json:"kms_master_key_id,omitempty"`
	VisibilityTimeout      int           `json:"visibility_timeout"`
	MessageRetentionPeriod int           `json:"message_retention_period"`
	Policy                 *awsPolicyDoc `json:"policy"`
}

type awsSecretProps struct {
	Arn              string        `json:"arn"`
	Name             string        `json:"name"`
	Description      string        `json:"description,omitempty"`
	KMSKeyID         string        `json:"kms_key_id,omitempty"`
	RotationEnabled  bool          `json:"rotation_enabled"`
	CreatedDate      string        `json:"created_date"`
	LastChangedDate  string        `json:"last_changed_date,omitempty"`
	LastAccessedDate string        `json:"last_accessed_date,omitempty"`
	Policy           *awsPolicyDoc `json:"policy"`
}

type awsEventBusProps struct {
	Name   string        `json:"name"`
	Arn    string        `json:"arn"`
	Policy *awsPolicyDoc `json:"policy"`
}

type awsVaultProps struct {
	VaultName        string        `json:"vault_name"`
	VaultArn         string        `json:"vault_arn"`
	CreationDate     string        `json:"creation_date"`
	NumberOfArchives int           `json:"number_of_archives"`
	SizeInBytes      int           `json:"size_in_bytes"`
	Policy           *awsPolicyDoc `json:"policy"`
}

// awsOneStatement is a policy of one Allow statement.
func awsOneStatement(sid string, principal map[string][]string, actions []string, res string, cond map[string]map[string][]string) *awsPolicyDoc {
	return &awsPolicyDoc{Version: "2012-10-17", Statement: []awsStatement{{
		Sid: sid, Effect: "Allow", Principal: principal, Action: actions, Resource: []string{res}, Condition: cond,
	}}}
}

// awsResourcePolicies adds the resources whose resource-based policies CIS
// AWS v7.0 2.21 reviews: SQS queues, Secrets Manager secrets, EventBridge
// buses, Glacier vaults and one more SNS topic. Plants: the production
// queue partner-drop open to everyone, the production secret
// partner/api-token readable by any account's root, the development bus
// dev-webhooks open to everyone, the development vault dev-exports whose
// org condition is a wildcard and the development topic
// dev-build-notifications anyone may publish to.
func (e *estate) awsResourcePolicies() {
	everyone := map[string][]string{"AWS": {"*"}}
	orgOnly := map[string]map[string][]string{"StringEquals": {"aws:PrincipalOrgID": {awsOrgID}}}
	for ai, a := range awsAccts {
		const region = "us-east-1"
		ri := 0
		tags := awsTags(a, "platform-team")

		// Every account's default event bus; production lets the
		// organization put events on it.
		bus := awsEventBusProps{Name: "default", Arn: fmt.Sprintf("arn:aws:events:%s:%s:event-bus/default", region, a.id)}
		if a.env == "production" {
			bus.Policy = awsOneStatement("OrgPutEvents", everyone, []string{"events:PutEvents"}, bus.Arn, orgOnly)
		}
		e.add(e.awsResource(a, region, "aws_eventbridge_event_bus", bus.Arn, bus.Name, nil, 0), &bus)

		// A work queue fed by the account's SNS alerts topic.
		q := awsQueueProps{
			QueueName: "acme-" + a.env + "-work", CreatedTimestamp: e.ago(days(300 + 10*ai)),
			SqsManagedSseEnabled: true, VisibilityTimeout: 30, MessageRetentionPeriod: 345600,
		}
		q.QueueURL = fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", region, a.id, q.QueueName)
		q.QueueArn = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, a.id, q.QueueName)
		q.Policy = awsOneStatement("FromAlerts", map[string][]string{"Service": {"sns.amazonaws.com"}}, []string{"sqs:SendMessage"}, q.QueueArn,
			map[string]map[string][]string{"ArnEquals": {"aws:SourceArn": {fmt.Sprintf("arn:aws:sns:%s:%s:acme-security-alerts", region, a.id)}}})
		e.add(e.awsResource(a, region, "aws_sqs_queue", q.QueueArn, q.QueueName, tags, days(300+10*ai)), &q)

		// The account's database credentials, rotated, without a policy.
		sec := awsSecretProps{
			Arn:  fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s/db-credentials-%c%c%c%c%c%c", region, a.id, a.env, 'A'+ai, 'b', 'C', 'd', 'E', 'f'),
			Name: a.env + "/db-credentials", Description: "application database credentials", KMSKeyID: awsKeyARN(ai, ri),
			RotationEnabled: true, CreatedDate: e.ago(days(400)), LastChangedDate: e.ago(days(20)), LastAccessedDate: e.ago(days(1)),
		}
		e.add(e.awsResource(a, region, "aws_secretsmanager_secret", sec.Arn, sec.Name, tags, days(400)), &sec)
		e.edge(sec.Arn, sec.KMSKeyID, "encrypted_with")

		// An archive vault without an access policy.
		v := awsVaultProps{VaultName: "acme-" + a.env + "-archive", CreationDate: e.ago(days(900)), NumberOfArchives: 1200 + ai, SizeInBytes: 734003200}
		v.VaultArn = fmt.Sprintf("arn:aws:glacier:%s:%s:vaults/%s", region, a.id, v.VaultName)
		e.add(e.awsResource(a, region, "aws_glacier_vault", v.VaultArn, v.VaultName, tags, days(900)), &v)
	}

	prod, dev := awsAccts[1], awsAccts[2]
	const region = "us-east-1"

	q := awsQueueProps{QueueName: "partner-drop", CreatedTimestamp: e.ago(days(90)), VisibilityTimeout: 60, MessageRetentionPeriod: 86400, KMSMasterKeyID: "alias/aws/sqs"}
	q.QueueURL = fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", region, prod.id, q.QueueName)
	q.QueueArn = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, prod.id, q.QueueName)
	q.Policy = awsOneStatement("PartnersSend", everyone, []string{"sqs:SendMessage"}, q.QueueArn, nil)
	e.add(e.awsResource(prod, region, "aws_sqs_queue", q.QueueArn, q.QueueName, awsTags(prod, "payments-team"), days(90)), &q)
	e.plant(q.QueueArn, "aws-sqs-queue-policy-not-public", "queue policy lets anyone send messages, meant for three partners")

	sec := awsSecretProps{
		Arn:  fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:partner/api-token-GhIjKl", region, prod.id),
		Name: "partner/api-token", Description: "token shared with the payment partner", CreatedDate: e.ago(days(200)),
	}
	sec.Policy = awsOneStatement("PartnerRead", map[string][]string{"AWS": {"arn:aws:iam::*:root"}}, []string{"secretsmanager:GetSecretValue"}, "*", nil)
	e.add(e.awsResource(prod, region, "aws_secretsmanager_secret", sec.Arn, sec.Name, awsTags(prod, "payments-team"), days(200)), &sec)
	e.plant(sec.Arn, "aws-secretsmanager-secret-policy-not-public", "secret readable by the root of any AWS account")
	e.plant(sec.Arn, "aws-secretsmanager-secret-rotation", "partner token never rotated since it was created")

	bus := awsEventBusProps{Name: "dev-webhooks", Arn: fmt.Sprintf("arn:aws:events:%s:%s:event-bus/dev-webhooks", region, dev.id)}
	bus.Policy = awsOneStatement("AnyonePuts", everyone, []string{"events:PutEvents"}, bus.Arn, nil)
	e.add(e.awsResource(dev, region, "aws_eventbridge_event_bus", bus.Arn, bus.Name, nil, 0), &bus)
	e.plant(bus.Arn, "aws-eventbridge-bus-policy-not-public", "any AWS account can put events on the bus")

	v := awsVaultProps{VaultName: "dev-exports", CreationDate: e.ago(days(150)), NumberOfArchives: 14, SizeInBytes: 10485760}
	v.VaultArn = fmt.Sprintf("arn:aws:glacier:%s:%s:vaults/%s", region, dev.id, v.VaultName)
	v.Policy = awsOneStatement("ShareExports", everyone, []string{"glacier:InitiateJob", "glacier:GetJobOutput"}, v.VaultArn,
		map[string]map[string][]string{"StringLike": {"aws:PrincipalOrgID": {"*"}}})
	e.add(e.awsResource(dev, region, "aws_glacier_vault", v.VaultArn, v.VaultName, awsTags(dev, "data-team"), days(150)), &v)
	e.plant(v.VaultArn, "aws-glacier-vault-policy-not-public", "the organization condition is a wildcard, so any account can retrieve archives")

	arn := fmt.Sprintf("arn:aws:sns:%s:%s:dev-build-notifications", region, dev.id)
	t := awsTopicProps{TopicArn: arn, DisplayName: "builds", SubscriptionsConfirmed: 1,
		Subscriptions: []awsSubscription{{SubscriptionArn: arn + ":0b1c2d3e-0000-4000-8000-" + dev.id, Protocol: "https", Endpoint: "https://ci.acme.example/hooks/sns"}},
		Policy:        awsOneStatement("AnyonePublishes", everyone, []string{"SNS:Publish"}, arn, nil)}
	e.add(e.awsResource(dev, region, "aws_sns_topic", arn, "dev-build-notifications", awsTags(dev, "platform-team"), days(120)), &t)
	e.plant(arn, "aws-sns-topic-policy-not-public", "anyone can publish to the topic")
}

// ---- web front ends (CIS AWS v7.0 4.10) ----

type awsLBListener struct {
	ListenerArn    string `json:"listener_arn"`
	Port           int    `json:"port"`
	Protocol       string `json:"protocol"`
	SslPolicy      string `json:"ssl_policy,omitempty"`
	DefaultActions []struct {
		Type           string `json:"type"`
		RedirectConfig *struct {
			Protocol   string `json:"protocol"`
			Port       string `json:"port"`
			StatusCode string `json:"status_code"`
		} `json:"redirect_config,omitempty"`
	} `json:"default_actions"`
}

type awsLBProps struct {
	LoadBalancerArn  string `json:"load_balancer_arn"`
	LoadBalancerName string `json:"load_balancer_name"`
	Type             string `json:"type"`
	Scheme           string `json:"scheme"`
	VpcID            string `json:"vpc_id"`
	DNSName          string `json:"dns_name"`
	IPAddressType    string `json:"ip_address_type"`
	CreatedTime      string `json:"created_time"`
	State            struct {
		Code string `json:"code"`
	} `json:"state"`
	SecurityGroups []string `json:"security_groups"`
	Attributes     struct {
		AccessLogsS3Enabled                       bool   `json:"access_logs_s3_enabled"`
		AccessLogsS3Bucket                        string `json:"access_logs_s3_bucket"`
		AccessLogsS3Prefix                        string `json:"access_logs_s3_prefix"`
		DeletionProtectionEnabled                 bool   `json:"deletion_protection_enabled"`
		RoutingHTTPDropInvalidHeaderFieldsEnabled bool   `json:"routing_http_drop_invalid_header_fields_enabled"`
		RoutingHTTPDesyncMitigationMode           string `json:"routing_http_desync_mitigation_mode"`
	} `json:"attributes"`
	Listeners []awsLBListener `json:"listeners"`
}

// awsListener builds a listener; redirect set makes an HTTP-to-HTTPS
// redirect, policy an HTTPS listener.
func awsListener(lbArn string, n, port int, proto, policy string, redirect bool) awsLBListener {
	l := awsLBListener{
		ListenerArn: strings.Replace(lbArn, ":loadbalancer/", ":listener/", 1) + fmt.Sprintf("/%016x", n),
		Port:        port, Protocol: proto, SslPolicy: policy,
	}
	l.DefaultActions = make([]struct {
		Type           string `json:"type"`
		RedirectConfig *struct {
			Protocol   string `json:"protocol"`
			Port       string `json:"port"`
			StatusCode string `json:"status_code"`
		} `json:"redirect_config,omitempty"`
	}, 1)
	l.DefaultActions[0].Type = "forward"
	if redirect {
		l.DefaultActions[0].Type = "redirect"
		l.DefaultActions[0].RedirectConfig = &struct {
			Protocol   string `json:"protocol"`
			Port       string `json:"port"`
			StatusCode string `json:"status_code"`
		}{"HTTPS", "443", "HTTP_301"}
	}
	return l
}

type awsViewerCert struct {
	CloudFrontDefaultCertificate bool   `json:"cloudfront_default_certificate"`
	MinimumProtocolVersion       string `json:"minimum_protocol_version"`
	SSLSupportMethod             string `json:"ssl_support_method"`
	ACMCertificateArn            string `json:"acm_certificate_arn,omitempty"`
}

type awsCacheBehavior struct {
	PathPattern          string `json:"path_pattern,omitempty"`
	ViewerProtocolPolicy string `json:"viewer_protocol_policy"`
	TargetOriginID       string `json:"target_origin_id"`
}

type awsDistributionProps struct {
	ID                   string             `json:"id"`
	Arn                  string             `json:"arn"`
	DomainName           string             `json:"domain_name"`
	Aliases              []string           `json:"aliases"`
	Status               string             `json:"status"`
	Enabled              bool               `json:"enabled"`
	Comment              string             `json:"comment"`
	HTTPVersion          string             `json:"http_version"`
	PriceClass           string             `json:"price_class"`
	LastModifiedTime     string             `json:"last_modified_time"`
	WebACLID             string             `json:"web_acl_id"`
	ViewerCertificate    awsViewerCert      `json:"viewer_certificate"`
	DefaultCacheBehavior awsCacheBehavior   `json:"default_cache_behavior"`
	CacheBehaviors       []awsCacheBehavior `json:"cache_behaviors"`
	Origins              []struct {
		ID         string `json:"id"`
		DomainName string `json:"domain_name"`
	} `json:"origins"`
	Logging struct {
		Enabled        bool   `json:"enabled"`
		Bucket         string `json:"bucket"`
		Prefix         string `json:"prefix"`
		IncludeCookies bool   `json:"include_cookies"`
	} `json:"logging"`
}

type awsStageProps struct {
	APIID             string   `json:"api_id"`
	APIName           string   `json:"api_name"`
	APIType           string   `json:"api_type"`
	EndpointTypes     []string `json:"endpoint_types"`
	StageName         string   `json:"stage_name"`
	DeploymentID      string   `json:"deployment_id"`
	CreatedDate       string   `json:"created_date"`
	AccessLogSettings *struct {
		DestinationArn string `json:"destination_arn"`
		Format         string `json:"format"`
	} `json:"access_log_settings,omitempty"`
	DefaultLoggingLevel string `json:"default_logging_level"`
	TracingEnabled      *bool  `json:"tracing_enabled,omitempty"`
}

// awsWebFrontEnds adds load balancers, CloudFront distributions and API
// Gateway stages. Production's are configured well; development's
// dev-preview load balancer has no access logs, keeps invalid headers, runs
// a TLS 1.0 policy and serves plain HTTP; its legacy-downloads distribution
// has no logging, allows HTTP, uses the default certificate (TLSv1) and no
// WAF; the webhooks HTTP API stage has no access logs.
func (e *estate) awsWebFrontEnds() {
	prod, dev := awsAccts[1], awsAccts[2]
	for _, lb := range []struct {
		a             awsAcct
		ai, ri        int
		name, id      string
		good          bool
		owner, bucket string
	}{
		{prod, 1, 0, "acme-prod-web", "5a1b2c3d4e5f6a7b", true, "web-team", "acme-prod-access-logs"},
		{dev, 2, 1, "dev-preview", "6b2c3d4e5f6a7b8c", false, "web-team", ""},
	} {
		region := awsRegions[lb.ri]
		p := awsLBProps{
			LoadBalancerArn:  fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", region, lb.a.id, lb.name, lb.id),
			LoadBalancerName: lb.name, Type: "application", Scheme: "internet-facing",
			VpcID: fmt.Sprintf("vpc-0f%02d%02d00000000000", lb.ai, lb.ri), IPAddressType: "ipv4", CreatedTime: e.ago(days(400)),
			SecurityGroups: []string{fmt.Sprintf("sg-0e%02d%02d0000000000001", lb.ai, lb.ri)},
		}
		p.DNSName = fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", lb.name, lb.id[:8], region)
		p.State.Code = "active"
		p.Attributes.DeletionProtectionEnabled = lb.good
		p.Attributes.RoutingHTTPDesyncMitigationMode = "defensive"
		if lb.good {
			p.Attributes.AccessLogsS3Enabled = true
			p.Attributes.AccessLogsS3Bucket = lb.bucket
			p.Attributes.AccessLogsS3Prefix = "elb/" + lb.name
			p.Attributes.RoutingHTTPDropInvalidHeaderFieldsEnabled = true
			p.Listeners = []awsLBListener{
				awsListener(p.LoadBalancerArn, 1, 80, "HTTP", "", true),
				awsListener(p.LoadBalancerArn, 2, 443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06", false),
			}
		} else {
			p.Listeners = []awsLBListener{
				awsListener(p.LoadBalancerArn, 1, 80, "HTTP", "", false),
				awsListener(p.LoadBalancerArn, 2, 443, "HTTPS", "ELBSecurityPolicy-2016-08", false),
			}
			e.plant(p.LoadBalancerArn, "aws-elbv2-access-logging", "access logs never turned on for the preview environment")
			e.plant(p.LoadBalancerArn, "aws-elbv2-drop-invalid-headers", "invalid HTTP header fields passed to the targets")
			e.plant(p.LoadBalancerArn, "aws-elbv2-listener-tls-policy", "HTTPS listener on ELBSecurityPolicy-2016-08, which allows TLS 1.0")
			e.plant(p.LoadBalancerArn, "aws-elbv2-http-redirects-to-https", "port 80 forwards plain HTTP to the targets")
		}
		e.add(e.awsResource(lb.a, region, "aws_elbv2_load_balancer", p.LoadBalancerArn, lb.name, awsTags(lb.a, lb.owner), days(400)), &p)
		for _, sg := range p.SecurityGroups {
			e.edge(p.LoadBalancerArn, fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", region, lb.a.id, sg), "uses_security_group")
		}
		if lb.bucket != "" {
			e.edge(p.LoadBalancerArn, "arn:aws:s3:::"+lb.bucket, "logs_to")
		}
	}

	for _, d := range []struct {
		a    awsAcct
		id   string
		good bool
	}{
		{prod, "E3PRODSITE0001", true},
		{dev, "E4DEVDOWNLOADS", false},
	} {
		p := awsDistributionProps{
			ID: d.id, Arn: fmt.Sprintf("arn:aws:cloudfront::%s:distribution/%s", d.a.id, d.id),
			DomainName: fmt.Sprintf("d%s.cloudfront.net", strings.ToLower(d.id[:10])), Status: "Deployed", Enabled: true,
			HTTPVersion: "http2and3", PriceClass: "PriceClass_100", LastModifiedTime: e.ago(days(60)),
			CacheBehaviors: []awsCacheBehavior{},
		}
		origin := struct {
			ID         string `json:"id"`
			DomainName string `json:"domain_name"`
		}{"site", "acme-" + d.a.env + "-site.s3.us-east-1.amazonaws.com"}
		p.Origins = append(p.Origins, origin)
		name := "www.acme.example"
		if d.good {
			p.Comment = "public website"
			p.Aliases = []string{name}
			p.WebACLID = fmt.Sprintf("arn:aws:wafv2:us-east-1:%s:global/webacl/site/0a1b2c3d", d.a.id)
			p.ViewerCertificate = awsViewerCert{MinimumProtocolVersion: "TLSv1.2_2021", SSLSupportMethod: "sni-only",
				ACMCertificateArn: fmt.Sprintf("arn:aws:acm:us-east-1:%s:certificate/11111111-2222-3333-4444-555555555555", d.a.id)}
			p.DefaultCacheBehavior = awsCacheBehavior{ViewerProtocolPolicy: "redirect-to-https", TargetOriginID: "site"}
			p.Logging.Enabled = true
			p.Logging.Bucket = "acme-prod-access-logs.s3.amazonaws.com"
			p.Logging.Prefix = "cloudfront/"
		} else {
			name = "legacy-downloads"
			p.Comment = "legacy downloads"
			p.Aliases = []string{}
			p.ViewerCertificate = awsViewerCert{CloudFrontDefaultCertificate: true, MinimumProtocolVersion: "TLSv1", SSLSupportMethod: "vip"}
			p.DefaultCacheBehavior = awsCacheBehavior{ViewerProtocolPolicy: "allow-all", TargetOriginID: "site"}
			e.plant(p.Arn, "aws-cloudfront-access-logging", "standard logging never configured")
			e.plant(p.Arn, "aws-cloudfront-viewer-https", "viewers may fetch over plain HTTP")
			e.plant(p.Arn, "aws-cloudfront-tls-min-version", "default CloudFront certificate, which accepts TLSv1")
			e.plant(p.Arn, "aws-cloudfront-waf", "no AWS WAF web ACL in front of the distribution")
		}
		e.add(e.awsResource(d.a, resource.GlobalRegion, "aws_cloudfront_distribution", p.Arn, name, awsTags(d.a, "web-team"), days(600)), &p)
	}

	yes := true
	for _, st := range []struct {
		a           awsAcct
		ai, ri      int
		apiID, name string
		typ         string
		stage       string
		logs        bool
	}{
		{prod, 1, 0, "p4q5r6s7t8", "orders-api", "REST", "prod", true},
		{dev, 2, 1, "w1x2y3", "webhooks", "HTTP", "$default", false},
	} {
		region := awsRegions[st.ri]
		path := "restapis"
		if st.typ != "REST" {
			path = "apis"
		}
		uid := fmt.Sprintf("arn:aws:apigateway:%s::/%s/%s/stages/%s", region, path, st.apiID, st.stage)
		p := awsStageProps{APIID: st.apiID, APIName: st.name, APIType: st.typ, EndpointTypes: []string{"REGIONAL"},
			StageName: st.stage, DeploymentID: "d" + st.apiID[:4], CreatedDate: e.ago(days(200)), DefaultLoggingLevel: "OFF"}
		if st.typ == "REST" {
			p.TracingEnabled = &yes
		}
		if st.logs {
			lg := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/aws/apigateway/%s", region, st.a.id, st.name)
			p.AccessLogSettings = &struct {
				DestinationArn string `json:"destination_arn"`
				Format         string `json:"format"`
			}{lg, "$context.requestId $context.identity.sourceIp $context.status"}
			p.DefaultLoggingLevel = "ERROR"
			e.add(e.awsResource(st.a, region, "aws_apigateway_stage", uid, st.name+"/"+st.stage, awsTags(st.a, "payments-team"), days(200)), &p)
			e.edge(uid, lg, "logs_to")
			continue
		}
		e.add(e.awsResource(st.a, region, "aws_apigateway_stage", uid, st.name+"/"+st.stage, awsTags(st.a, "web-team"), days(200)), &p)
		e.plant(uid, "aws-apigateway-stage-access-logging", "stage serves requests without access logs")
	}
}

// ---- GuardDuty, EBS snapshots, AMIs ----

type awsDetectorProps struct {
	DetectorID                 string `json:"detector_id"`
	Status                     string `json:"status"`
	FindingPublishingFrequency string `json:"finding_publishing_frequency"`
	CreatedAt                  string `json:"created_at"`
	Features                   []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	} `json:"features"`
}

type awsSnapshotProps struct {
	SnapshotID  string `json:"snapshot_id"`
	VolumeID    string `json:"volume_id"`
	VolumeSize  int    `json:"volume_size"`
	State       string `json:"state"`
	Encrypted   bool   `json:"encrypted"`
	KMSKeyID    string `json:"kms_key_id,omitempty"`
	OwnerID     string `json:"owner_id"`
	Description string `json:"description"`
	StartTime   string `json:"start_time"`
	Public      bool   `json:"public"`
}

type awsImageProps struct {
	ImageID             string `json:"image_id"`
	Name                string `json:"name"`
	State               string `json:"state"`
	Public              bool   `json:"public"`
	OwnerID             string `json:"owner_id"`
	Architecture        string `json:"architecture"`
	RootDeviceType      string `json:"root_device_type"`
	PlatformDetails     string `json:"platform_details"`
	ImdsSupport         string `json:"imds_support"`
	CreationDate        string `json:"creation_date"`
	BlockDeviceMappings []struct {
		DeviceName string `json:"device_name"`
		Ebs        struct {
			Encrypted  bool   `json:"encrypted"`
			SnapshotID string `json:"snapshot_id"`
		} `json:"ebs"`
	} `json:"block_device_mappings"`
}

// awsThreatDetectionAndImages adds a GuardDuty detector to every account
// and region but two (development eu-west-1 has none, production
// eu-central-1's is suspended: plants on their regional settings), and
// EBS snapshots and AMIs: production's are private and encrypted,
// development's snapshot dev-db-export is unencrypted and public and its
// AMI dev-build-agent is public (plants).
func (e *estate) awsThreatDetectionAndImages() {
	for ai, a := range awsAccts {
		for ri, region := range awsRegions {
			settingsUID := fmt.Sprintf("arn:aws:ec2:%s:%s:regional-settings", region, a.id)
			if a.env == "development" && region == "eu-west-1" {
				e.plant(settingsUID, "aws-guardduty-enabled", "GuardDuty never enabled in eu-west-1")
				continue
			}
			id := fmt.Sprintf("%02d%02d%028x", ai, ri, ai*4+ri+1)
			p := awsDetectorProps{DetectorID: id, Status: "ENABLED", FindingPublishingFrequency: "FIFTEEN_MINUTES", CreatedAt: e.ago(days(600))}
			for _, f := range []string{"S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "RUNTIME_MONITORING", "LAMBDA_NETWORK_LOGS"} {
				p.Features = append(p.Features, struct {
					Name   string `json:"name"`
					Status string `json:"status"`
				}{f, "ENABLED"})
			}
			if a.env == "production" && region == "eu-central-1" {
				p.Status = "DISABLED"
				e.plant(settingsUID, "aws-guardduty-enabled", "detector suspended during a cost review and never resumed")
			}
			uid := fmt.Sprintf("arn:aws:guardduty:%s:%s:detector/%s", region, a.id, id)
			e.add(e.awsResource(a, region, "aws_guardduty_detector", uid, id, awsTags(a, "security-team"), days(600)), &p)
		}
	}

	for _, sn := range []struct {
		ai, ri     int
		id, volume string
		good       bool
		desc       string
	}{
		{1, 0, "snap-0a2200000000000a1", "vol-0a2200000000000b1", true, "orders-db nightly"},
		{2, 1, "snap-0a3300000000000a2", "vol-0a3300000000000b2", false, "dev-db-export for the analytics vendor"},
	} {
		a := awsAccts[sn.ai]
		region := awsRegions[sn.ri]
		p := awsSnapshotProps{SnapshotID: sn.id, VolumeID: sn.volume, VolumeSize: 200, State: "completed", OwnerID: a.id,
			Description: sn.desc, StartTime: e.ago(days(30)), Encrypted: sn.good}
		uid := fmt.Sprintf("arn:aws:ec2:%s:%s:snapshot/%s", region, a.id, sn.id)
		tags := awsTags(a, "data-team")
		if sn.good {
			p.KMSKeyID = awsKeyARN(sn.ai, sn.ri)
			tags["Name"] = "orders-db-nightly"
		} else {
			p.Public = true
			tags["Name"] = "dev-db-export"
			e.plant(uid, "aws-ec2-ebs-snapshot-not-public", "shared with all AWS accounts instead of the vendor's account")
			e.plant(uid, "aws-ec2-ebs-snapshot-encrypted", "taken from an unencrypted volume")
		}
		e.add(e.awsResource(a, region, "aws_ebs_snapshot", uid, tags["Name"], tags, days(30)), &p)
		e.edge(uid, fmt.Sprintf("arn:aws:ec2:%s:%s:volume/%s", region, a.id, sn.volume), "snapshot_of")
		if p.KMSKeyID != "" {
			e.edge(uid, p.KMSKeyID, "encrypted_with")
		}
	}

	for _, im := range []struct {
		ai, ri   int
		id, name string
		public   bool
	}{
		{1, 0, "ami-0a22000000000c001", "acme-golden-al2023", false},
		{2, 1, "ami-0a33000000000c002", "dev-build-agent", true},
	} {
		a := awsAccts[im.ai]
		region := awsRegions[im.ri]
		p := awsImageProps{ImageID: im.id, Name: im.name, State: "available", Public: im.public, OwnerID: a.id,
			Architecture: "arm64", RootDeviceType: "ebs", PlatformDetails: "Linux/UNIX", ImdsSupport: "v2.0", CreationDate: e.ago(days(90))}
		p.BlockDeviceMappings = make([]struct {
			DeviceName string `json:"device_name"`
			Ebs        struct {
				Encrypted  bool   `json:"encrypted"`
				SnapshotID string `json:"snapshot_id"`
			} `json:"ebs"`
		}, 1)
		p.BlockDeviceMappings[0].DeviceName = "/dev/xvda"
		p.BlockDeviceMappings[0].Ebs.Encrypted = true
		p.BlockDeviceMappings[0].Ebs.SnapshotID = "snap-" + im.id[4:]
		uid := fmt.Sprintf("arn:aws:ec2:%s::image/%s", region, im.id)
		e.add(e.awsResource(a, region, "aws_ec2_image", uid, im.name, awsTags(a, "platform-team"), days(90)), &p)
		if im.public {
			e.plant(uid, "aws-ec2-ami-not-public", "build image made public to share it with a contractor")
		}
	}
}

// ---- RDS clusters and snapshots ----

type awsClusterProps struct {
	DBClusterIdentifier              string   `json:"db_cluster_identifier"`
	DBClusterArn                     string   `json:"db_cluster_arn"`
	Engine                           string   `json:"engine"`
	EngineVersion                    string   `json:"engine_version"`
	EngineMode                       string   `json:"engine_mode"`
	Status                           string   `json:"status"`
	ClusterCreateTime                string   `json:"cluster_create_time"`
	StorageEncrypted                 bool     `json:"storage_encrypted"`
	KMSKeyID                         string   `json:"kms_key_id,omitempty"`
	MultiAZ                          bool     `json:"multi_az"`
	DeletionProtection               bool     `json:"deletion_protection"`
	BackupRetentionPeriod            int      `json:"backup_retention_period"`
	IAMDatabaseAuthenticationEnabled bool     `json:"iam_database_authentication_enabled"`
	AutoMinorVersionUpgrade          bool     `json:"auto_minor_version_upgrade"`
	CopyTagsToSnapshot               bool     `json:"copy_tags_to_snapshot"`
	EnabledCloudwatchLogsExports     []string `json:"enabled_cloudwatch_logs_exports"`
	DBClusterMembers                 []struct {
		DBInstanceIdentifier string `json:"db_instance_identifier"`
		IsClusterWriter      bool   `json:"is_cluster_writer"`
	} `json:"db_cluster_members"`
}

type awsRDSSnapshotProps struct {
	SnapshotSource       string   `json:"snapshot_source"`
	DBSnapshotIdentifier string   `json:"db_snapshot_identifier"`
	DBSnapshotArn        string   `json:"db_snapshot_arn"`
	SourceIdentifier     string   `json:"source_identifier"`
	SnapshotType         string   `json:"snapshot_type"`
	Engine               string   `json:"engine"`
	Status               string   `json:"status"`
	Encrypted            bool     `json:"encrypted"`
	KMSKeyID             string   `json:"kms_key_id,omitempty"`
	SnapshotCreateTime   string   `json:"snapshot_create_time"`
	RestoreAccounts      []string `json:"restore_accounts"`
	Public               bool     `json:"public"`
}

// awsRDSClustersAndSnapshots adds an Aurora cluster per workload account
// and snapshots: production's are encrypted and shared with no one (its
// cluster snapshot only with the management account); development's
// cluster dev-aurora is unencrypted, and its manual snapshot
// dev-aurora-copy is unencrypted and public (plants).
func (e *estate) awsRDSClustersAndSnapshots() {
	for _, c := range []struct {
		ai, ri int
		id     string
		good   bool
	}{
		{1, 0, "orders-aurora", true},
		{2, 1, "dev-aurora", false},
	} {
		a := awsAccts[c.ai]
		region := awsRegions[c.ri]
		p := awsClusterProps{
			DBClusterIdentifier: c.id, DBClusterArn: fmt.Sprintf("arn:aws:rds:%s:%s:cluster:%s", region, a.id, c.id),
			Engine: "aurora-postgresql", EngineVersion: "16.4", EngineMode: "provisioned", Status: "available",
			ClusterCreateTime: e.ago(days(500)), StorageEncrypted: c.good, MultiAZ: c.good, DeletionProtection: c.good,
			BackupRetentionPeriod: 7, IAMDatabaseAuthenticationEnabled: c.good, AutoMinorVersionUpgrade: true, CopyTagsToSnapshot: true,
			EnabledCloudwatchLogsExports: []string{"postgresql"},
		}
		p.DBClusterMembers = append(p.DBClusterMembers, struct {
			DBInstanceIdentifier string `json:"db_instance_identifier"`
			IsClusterWriter      bool   `json:"is_cluster_writer"`
		}{c.id + "-1", true})
		if c.good {
			p.KMSKeyID = awsKeyARN(c.ai, c.ri)
			e.edge(p.DBClusterArn, p.KMSKeyID, "encrypted_with")
		} else {
			e.plant(p.DBClusterArn, "aws-rds-cluster-storage-encrypted", "cluster created without encryption for a quick test and kept")
		}
		e.add(e.awsResource(a, region, "aws_rds_db_cluster", p.DBClusterArn, c.id, awsTags(a, "data-team"), days(500)), &p)

		// One automated and one manual snapshot per cluster.
		for i, typ := range []string{"automated", "manual"} {
			name := fmt.Sprintf("rds:%s-2026-10-31", c.id)
			if typ == "manual" {
				name = c.id + "-copy"
			}
			sp := awsRDSSnapshotProps{
				SnapshotSource: "cluster", DBSnapshotIdentifier: name, SourceIdentifier: c.id, SnapshotType: typ,
				DBSnapshotArn: fmt.Sprintf("arn:aws:rds:%s:%s:cluster-snapshot:%s", region, a.id, name),
				Engine:        "aurora-postgresql", Status: "available", Encrypted: c.good, SnapshotCreateTime: e.ago(days(1 + 20*i)),
				RestoreAccounts: []string{},
			}
			if c.good {
				sp.KMSKeyID = p.KMSKeyID
				if typ == "manual" {
					sp.RestoreAccounts = []string{awsAccts[0].id}
				}
			} else {
				e.plant(sp.DBSnapshotArn, "aws-rds-snapshot-encrypted", "snapshot of an unencrypted cluster")
				if typ == "manual" {
					sp.RestoreAccounts = []string{"all"}
					sp.Public = true
					e.plant(sp.DBSnapshotArn, "aws-rds-snapshot-not-public", "shared with all AWS accounts to hand a copy to a contractor")
				}
			}
			e.add(e.awsResource(a, region, "aws_rds_snapshot", sp.DBSnapshotArn, name, awsTags(a, "data-team"), days(1+20*i)), &sp)
		}
	}
}
