// Package aws collects AWS resources. kinds.go documents every kind it
// produces: the schema of each kind is the contract between the collector
// (real or demo) and the checks under checks/aws.
//
// Conventions shared by every schema:
//   - Field names are the AWS API's own names in snake_case
//     (AccountMFAEnabled → account_mfa_enabled).
//   - Timestamps are RFC 3339 strings.
//   - An optional API field the AWS answer omits is omitted here too; the
//     schema says so ("absent when …"), and checks test it with has().
//   - IAM policy documents (bucket policies, policy versions, trust
//     policies) keep the IAM policy grammar's own keys (Version, Statement,
//     Effect, Principal, Action, NotAction, Resource, Condition) and are
//     normalised: Statement is always a list; Action, NotAction and Resource
//     are always lists of strings; Principal "*" becomes {"AWS": ["*"]} and
//     every principal and condition value is a list of strings.
//   - Resource-based policies of the kinds added for CIS AWS v7.0 2.21
//     (SQS, Secrets Manager, EventBridge, Glacier, Lambda, SNS, KMS) are
//     null when the resource has none and absent when they could not be
//     read, so checks ERROR rather than pass on missing data.
//   - Secrets never enter a document: Lambda environment variables keep only
//     their names and a looks_like_secret flag.
package aws

import "cloudward/internal/resource"

// Kinds lists every kind this provider produces, with its schema.
func Kinds() []resource.Kind {
	return append([]resource.Kind{
		accountKind(), passwordPolicyKind(), iamUserKind(), iamRoleKind(), iamPolicyKind(),
		s3BucketKind(), ec2InstanceKind(), ebsVolumeKind(), securityGroupKind(), vpcKind(),
		regionalSettingsKind(), kmsKeyKind(), cloudTrailKind(), configRecorderKind(),
		rdsInstanceKind(), lambdaKind(), eksClusterKind(), logGroupKind(),
		accessAnalyzerKind(), securityHubKind(),
		metricFilterKind(), alarmKind(), snsTopicKind(), serverCertificateKind(), networkACLKind(),
		efsKind(), iamGroupKind(),
		sqsQueueKind(), secretKind(), eventBusKind(), glacierVaultKind(),
		loadBalancerKind(), cloudFrontKind(), apiStageKind(),
		guardDutyKind(), ebsSnapshotKind(), imageKind(), rdsClusterKind(), rdsSnapshotKind(),
	}, aiKinds()...)
}

func str(name, desc string) resource.Field {
	return resource.Field{Name: name, Type: "string", Description: desc}
}

func boolean(name, desc string) resource.Field {
	return resource.Field{Name: name, Type: "boolean", Description: desc}
}

func integer(name, desc string) resource.Field {
	return resource.Field{Name: name, Type: "integer", Description: desc}
}

func timestamp(name, desc string) resource.Field {
	return resource.Field{Name: name, Type: "timestamp", Description: desc}
}

func object(name, desc string, fs ...resource.Field) resource.Field {
	return resource.Field{Name: name, Type: "object", Description: desc, Fields: fs}
}

// list is an array; with fields it is an array of objects, without fields
// an array of scalars (the description says which).
func list(name, desc string, fs ...resource.Field) resource.Field {
	return resource.Field{Name: name, Type: "array", Description: desc, Fields: fs}
}

func anyField(name, desc string) resource.Field {
	return resource.Field{Name: name, Type: "any", Description: desc}
}

// policyDocument is the schema of a normalised IAM policy document.
func policyDocument(name, desc string) resource.Field {
	return object(name, desc,
		str("Version", "policy language version, normally 2012-10-17"),
		list("Statement", "statements (always a list)",
			str("Sid", "statement ID; absent when the statement has none"),
			str("Effect", "Allow or Deny"),
			anyField("Principal", `principals by type, e.g. {"AWS": ["*"]}, {"Service": ["cloudtrail.amazonaws.com"]}; each value a list of strings; absent in identity policies`),
			anyField("NotPrincipal", `principals excluded, same shape as Principal; absent unless used (an Allow with NotPrincipal grants everyone else)`),
			list("Action", "actions (list of strings); absent when the statement uses NotAction"),
			list("NotAction", "excluded actions (list of strings); absent unless used"),
			list("Resource", "resource ARNs or patterns (list of strings); absent in trust policies"),
			anyField("Condition", `condition operator → key → list of values, e.g. {"Bool": {"aws:SecureTransport": ["false"]}}; absent when none`),
		),
	)
}

func publicAccessBlock(desc string) resource.Field {
	return object("public_access_block", desc,
		boolean("block_public_acls", "reject requests that add public ACLs"),
		boolean("ignore_public_acls", "ignore existing public ACLs"),
		boolean("block_public_policy", "reject bucket policies that grant public access"),
		boolean("restrict_public_buckets", "restrict access to buckets with public policies to AWS principals of the account"),
	)
}

func attachedPolicies() resource.Field {
	return list("attached_policies", "managed policies attached directly (ListAttached*Policies)",
		str("policy_name", "policy name"),
		str("policy_arn", "policy ARN; AWS managed policies are arn:aws:iam::aws:policy/…"),
	)
}

func ipPermissions(name, desc string) resource.Field {
	return list(name, desc,
		str("ip_protocol", `tcp, udp, icmp, icmpv6, a protocol number, or "-1" for all traffic`),
		integer("from_port", "first port (ICMP type); absent when ip_protocol is -1"),
		integer("to_port", "last port (ICMP code); absent when ip_protocol is -1"),
		list("ip_ranges", "IPv4 ranges",
			str("cidr_ip", "IPv4 CIDR, e.g. 0.0.0.0/0"),
			str("description", "rule description; absent when none")),
		list("ipv6_ranges", "IPv6 ranges",
			str("cidr_ipv6", "IPv6 CIDR, e.g. ::/0"),
			str("description", "rule description; absent when none")),
		list("user_id_group_pairs", "source or destination security groups",
			str("group_id", "security group ID"),
			str("user_id", "owning account ID")),
		list("prefix_list_ids", "managed prefix lists",
			str("prefix_list_id", "prefix list ID")),
	)
}

func accountKind() resource.Kind {
	return resource.Kind{
		Name: "aws_account", Provider: resource.AWS, Service: "iam", Model: resource.IaaS,
		Global:      true,
		Description: "AWS account: root user, account-wide S3 Block Public Access and contact facts (one per account)",
		Permissions: []string{
			"iam:GetAccountSummary", "iam:ListVirtualMFADevices", "iam:ListOrganizationsFeatures", "s3:GetAccountPublicAccessBlock", "account:GetAlternateContact",
			"account:GetContactInformation", "organizations:DescribeOrganization", "organizations:ListAccounts",
			"organizations:ListDelegatedAdministrators", "organizations:ListDelegatedServicesForAccount", "organizations:DescribeResourcePolicy",
		},
		Schema: []resource.Field{
			str("account_id", "12-digit account ID"),
			str("account_name", "account name in AWS Organizations"),
			str("organization_id", "AWS Organizations ID (o-…); absent for standalone accounts"),
			str("email", "root user e-mail address"),
			object("summary_map", "iam:GetAccountSummary SummaryMap",
				integer("account_mfa_enabled", "1 when the root user has MFA, else 0"),
				integer("account_access_keys_present", "1 when the root user has access keys, else 0"),
				integer("account_signing_certificates_present", "1 when the root user has signing certificates"),
				integer("account_password_present", "1 when the root user has a console password"),
				integer("users", "number of IAM users"),
				integer("roles", "number of IAM roles"),
				integer("policies", "number of customer managed policies"),
				integer("mfa_devices", "number of MFA devices"),
				integer("mfa_devices_in_use", "number of MFA devices in use"),
			),
			boolean("is_management_account", "the account is its organization's management account"),
			list("delegated_administrators", "delegated administrator accounts (organizations:ListDelegatedAdministrators + ListDelegatedServicesForAccount); present only on the management account",
				str("id", "member account ID"),
				str("name", "account name"),
				timestamp("delegation_enabled_date", "when it became a delegated administrator"),
				list("services", "service principals it administers, e.g. securityhub.amazonaws.com (list of strings)")),
			object("delegation_policy", "the Organizations resource-based delegation policy (organizations:DescribeResourcePolicy); present only on the management account",
				boolean("present", "a delegation policy exists (false on ResourcePolicyNotFoundException)"),
				policyDocument("document", "the policy (normalised); absent when there is none")),
			object("organizations_features", "organization-wide IAM features (iam:ListOrganizationsFeatures); present only on the organization's management account, absent elsewhere or when the call failed",
				str("organization_id", "organization ID (o-…)"),
				list("enabled_features", "RootCredentialsManagement and/or RootSessions (list of strings)")),
			list("root_virtual_mfa_devices", "virtual MFA devices assigned to the root user (ListVirtualMFADevices, devices whose user ARN ends in :root); empty when the root user's MFA is a hardware device or there is none; absent when the listing failed",
				str("serial_number", "device ARN, e.g. arn:aws:iam::123456789012:mfa/root-account-mfa-device"),
				timestamp("enable_date", "when it was assigned")),
			publicAccessBlock("account-level S3 Block Public Access (s3control GetPublicAccessBlock); all four false when the API answers NoSuchPublicAccessBlockConfiguration"),
			list("alternate_contacts", "registered alternate contacts (account:GetAlternateContact for BILLING, OPERATIONS, SECURITY; missing types are not listed)",
				str("alternate_contact_type", "BILLING, OPERATIONS or SECURITY"),
				str("name", "contact name"),
				str("email_address", "contact e-mail"),
				str("phone_number", "contact phone"),
				str("title", "contact title"),
			),
			object("contact_information", "primary contact (account:GetContactInformation)",
				str("full_name", "contact name"),
				str("company_name", "company"),
				str("country_code", "ISO country code"),
				str("phone_number", "phone number"),
			),
		},
	}
}

func passwordPolicyKind() resource.Kind {
	return resource.Kind{
		Name: "aws_iam_password_policy", Provider: resource.AWS, Service: "iam", Model: resource.IaaS,
		Global:      true,
		Description: "IAM account password policy (one per account, also when none is set)",
		Permissions: []string{"iam:GetAccountPasswordPolicy"},
		Schema: []resource.Field{
			boolean("password_policy_present", "false when the API answers NoSuchEntity (no policy: AWS defaults apply); the other fields are then absent"),
			integer("minimum_password_length", "minimum length"),
			boolean("require_symbols", "at least one symbol"),
			boolean("require_numbers", "at least one digit"),
			boolean("require_uppercase_characters", "at least one upper-case letter"),
			boolean("require_lowercase_characters", "at least one lower-case letter"),
			boolean("allow_users_to_change_password", "users may change their own password"),
			boolean("expire_passwords", "passwords expire"),
			integer("max_password_age", "days before a password expires; 0 when passwords do not expire"),
			integer("password_reuse_prevention", "number of previous passwords that cannot be reused; 0 when not set"),
			boolean("hard_expiry", "expired passwords need an administrator reset"),
		},
	}
}

func iamUserKind() resource.Kind {
	return resource.Kind{
		Name: "aws_iam_user", Provider: resource.AWS, Service: "iam", Model: resource.IaaS,
		Global: true, Taggable: true,
		Description: "IAM user with credentials, MFA devices and direct permissions (credential report + ListAccessKeys/ListMFADevices)",
		Permissions: []string{
			"iam:GetAccountAuthorizationDetails", "iam:GenerateCredentialReport", "iam:GetCredentialReport",
			"iam:ListAccessKeys", "iam:ListMFADevices",
		},
		Schema: []resource.Field{
			str("user_name", "user name"),
			str("user_id", "stable unique ID (AIDA…)"),
			str("arn", "user ARN"),
			str("path", "IAM path"),
			timestamp("create_date", "when the user was created"),
			boolean("password_enabled", "the user has a console password (login profile)"),
			timestamp("password_last_used", "last console sign-in; absent when the password was never used"),
			timestamp("password_last_changed", "last password change; absent without a password"),
			boolean("mfa_active", "the user has at least one MFA device"),
			list("mfa_devices", "MFA devices",
				str("serial_number", "device ARN or serial number"),
				timestamp("enable_date", "when it was enabled")),
			list("access_keys", "access keys (at most two)",
				str("access_key_id", "key ID (AKIA…)"),
				str("status", "Active or Inactive"),
				timestamp("create_date", "when the key was created (last rotated)"),
				timestamp("last_used_date", "last use; absent when never used"),
				str("last_used_service", "service of the last use; absent when never used")),
			attachedPolicies(),
			list("inline_policy_names", "names of inline policies (list of strings)"),
			list("groups", "group names (list of strings)"),
		},
	}
}

func iamRoleKind() resource.Kind {
	return resource.Kind{
		Name: "aws_iam_role", Provider: resource.AWS, Service: "iam", Model: resource.IaaS,
		Global: true, Taggable: true,
		Description: "IAM role with its trust policy and attached policies",
		Permissions: []string{"iam:GetAccountAuthorizationDetails", "iam:ListRoles"},
		Schema: []resource.Field{
			str("role_name", "role name"),
			str("role_id", "stable unique ID (AROA…)"),
			str("arn", "role ARN"),
			str("path", "IAM path"),
			timestamp("create_date", "when the role was created"),
			str("description", "role description"),
			integer("max_session_duration", "maximum session length in seconds"),
			policyDocument("assume_role_policy_document", "trust policy (normalised)"),
			attachedPolicies(),
			list("inline_policy_names", "names of inline policies (list of strings)"),
			object("role_last_used", "last use; empty object when never used",
				timestamp("last_used_date", "last use; absent when never used"),
				str("region", "region of the last use; absent when never used")),
		},
	}
}

func iamPolicyKind() resource.Kind {
	return resource.Kind{
		Name: "aws_iam_policy", Provider: resource.AWS, Service: "iam", Model: resource.IaaS,
		Global: true, Taggable: true,
		Description: "customer managed IAM policy with its default version document",
		Permissions: []string{"iam:GetAccountAuthorizationDetails", "iam:ListPolicyTags"},
		Schema: []resource.Field{
			str("policy_name", "policy name"),
			str("policy_id", "stable unique ID (ANPA…)"),
			str("arn", "policy ARN"),
			str("path", "IAM path"),
			str("default_version_id", "default version, e.g. v3"),
			integer("attachment_count", "number of users, groups and roles it is attached to"),
			boolean("is_attachable", "whether it can be attached"),
			timestamp("create_date", "when it was created"),
			timestamp("update_date", "when the default version last changed"),
			policyDocument("default_version_document", "document of the default version (normalised)"),
		},
	}
}

func s3BucketKind() resource.Kind {
	return resource.Kind{
		Name: "aws_s3_bucket", Provider: resource.AWS, Service: "s3", Model: resource.IaaS,
		Taggable:    true,
		Description: "S3 bucket with its access, encryption, versioning and logging configuration",
		Permissions: []string{
			"s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock", "s3:GetBucketPolicy",
			"s3:GetBucketPolicyStatus", "s3:GetBucketAcl", "s3:GetEncryptionConfiguration", "s3:GetBucketVersioning",
			"s3:GetBucketLogging", "s3:GetBucketTagging", "s3:GetBucketObjectLockConfiguration",
		},
		Schema: []resource.Field{
			str("name", "bucket name"),
			str("arn", "bucket ARN"),
			timestamp("creation_date", "when the bucket was created"),
			str("region", "bucket region (GetBucketLocation; us-east-1 for a null LocationConstraint)"),
			publicAccessBlock("bucket-level Block Public Access; all four false when the API answers NoSuchPublicAccessBlockConfiguration"),
			policyDocument("policy", "bucket policy (normalised); absent when the bucket has no policy"),
			object("policy_status", "GetBucketPolicyStatus",
				boolean("is_public", "S3's own verdict that the policy grants public access; false without a policy")),
			object("acl", "GetBucketAcl",
				object("owner", "bucket owner",
					str("id", "canonical user ID"),
					str("display_name", "display name; absent in most regions")),
				list("grants", "ACL grants",
					object("grantee", "who is granted",
						str("type", "CanonicalUser, Group or AmazonCustomerByEmail"),
						str("id", "canonical user ID; absent for groups"),
						str("uri", "group URI, e.g. http://acs.amazonaws.com/groups/global/AllUsers; absent for users")),
					str("permission", "FULL_CONTROL, READ, WRITE, READ_ACP or WRITE_ACP"))),
			object("server_side_encryption_configuration", "GetBucketEncryption",
				list("rules", "encryption rules",
					object("apply_server_side_encryption_by_default", "default encryption",
						str("sse_algorithm", "AES256, aws:kms or aws:kms:dsse"),
						str("kms_master_key_id", "KMS key ARN; absent for AES256")),
					boolean("bucket_key_enabled", "S3 Bucket Key on"))),
			object("versioning", "GetBucketVersioning",
				str("status", `Enabled, Suspended, or "" when versioning was never enabled`),
				str("mfa_delete", `Enabled, Disabled, or "" when never configured`)),
			object("logging", "server access logging (GetBucketLogging LoggingEnabled); absent when logging is off",
				str("target_bucket", "bucket receiving the logs"),
				str("target_prefix", "key prefix of the logs")),
			boolean("object_lock_enabled", "Object Lock is on"),
		},
	}
}

func ec2InstanceKind() resource.Kind {
	return resource.Kind{
		Name: "aws_ec2_instance", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS,
		Taggable:    true,
		Description: "EC2 instance (DescribeInstances)",
		Permissions: []string{"ec2:DescribeInstances"},
		Schema: []resource.Field{
			str("instance_id", "instance ID"),
			str("instance_type", "instance type"),
			str("image_id", "AMI ID"),
			object("state", "instance state", str("name", "pending, running, shutting-down, terminated, stopping or stopped")),
			timestamp("launch_time", "last launch"),
			str("vpc_id", "VPC ID"),
			str("subnet_id", "subnet ID"),
			str("private_ip_address", "primary private IPv4 address"),
			str("public_ip_address", "public IPv4 address; absent when the instance has none"),
			object("iam_instance_profile", "instance profile; absent when the instance has none",
				str("arn", "instance profile ARN"),
				str("id", "instance profile ID")),
			object("metadata_options", "instance metadata service settings",
				str("http_tokens", "required (IMDSv2 only) or optional (IMDSv1 allowed)"),
				str("http_endpoint", "enabled or disabled"),
				integer("http_put_response_hop_limit", "PUT response hop limit")),
			list("block_device_mappings", "attached EBS volumes",
				str("device_name", "device name, e.g. /dev/xvda"),
				object("ebs", "EBS attachment",
					str("volume_id", "volume ID"),
					str("status", "attaching, attached, detaching or detached"),
					timestamp("attach_time", "when attached"),
					boolean("delete_on_termination", "volume deleted with the instance"))),
			list("security_groups", "security groups",
				str("group_id", "group ID"),
				str("group_name", "group name")),
			object("monitoring", "detailed monitoring", str("state", "disabled, enabled or pending")),
			str("platform_details", "platform, e.g. Linux/UNIX"),
		},
	}
}

func ebsVolumeKind() resource.Kind {
	return resource.Kind{
		Name: "aws_ebs_volume", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS,
		Taggable:    true,
		Description: "EBS volume (DescribeVolumes)",
		Permissions: []string{"ec2:DescribeVolumes"},
		Schema: []resource.Field{
			str("volume_id", "volume ID"),
			integer("size", "size in GiB"),
			str("volume_type", "gp3, gp2, io2, st1…"),
			str("state", "creating, available, in-use, deleting, deleted or error"),
			boolean("encrypted", "the volume is encrypted"),
			str("kms_key_id", "KMS key ARN; absent for unencrypted volumes"),
			str("availability_zone", "availability zone"),
			timestamp("create_time", "when it was created"),
			str("snapshot_id", `source snapshot; "" when none`),
			integer("iops", "provisioned IOPS"),
			list("attachments", "attachments",
				str("instance_id", "instance ID"),
				str("device", "device name"),
				str("state", "attaching, attached, detaching or detached")),
		},
	}
}

func securityGroupKind() resource.Kind {
	return resource.Kind{
		Name: "aws_ec2_security_group", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS,
		Taggable:    true,
		Description: "VPC security group with its ingress and egress rules, including each VPC's default group",
		Permissions: []string{"ec2:DescribeSecurityGroups"},
		Schema: []resource.Field{
			str("group_id", "group ID"),
			str("group_name", `group name; "default" for a VPC's default group`),
			str("description", "group description"),
			str("vpc_id", "VPC ID"),
			str("owner_id", "owning account ID"),
			ipPermissions("ip_permissions", "ingress rules"),
			ipPermissions("ip_permissions_egress", "egress rules"),
		},
	}
}

func vpcKind() resource.Kind {
	return resource.Kind{
		Name: "aws_vpc", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS,
		Taggable:    true,
		Description: "VPC with its flow logs (DescribeVpcs + DescribeFlowLogs)",
		Permissions: []string{"ec2:DescribeVpcs", "ec2:DescribeFlowLogs"},
		Schema: []resource.Field{
			str("vpc_id", "VPC ID"),
			str("cidr_block", "primary IPv4 CIDR"),
			boolean("is_default", "the region's default VPC"),
			str("state", "pending or available"),
			str("instance_tenancy", "default or dedicated"),
			str("dhcp_options_id", "DHCP option set"),
			list("flow_logs", "flow logs whose resource is this VPC",
				str("flow_log_id", "flow log ID"),
				str("flow_log_status", "ACTIVE"),
				str("deliver_logs_status", "SUCCESS or FAILED"),
				str("traffic_type", "ACCEPT, REJECT or ALL"),
				str("log_destination_type", "cloud-watch-logs, s3 or kinesis-data-firehose"),
				str("log_destination", "destination ARN")),
		},
	}
}

func regionalSettingsKind() resource.Kind {
	return resource.Kind{
		Name: "aws_ec2_regional_settings", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS,
		Description: "per account and region settings (EBS default encryption, snapshot public access); one per enabled region, and the subject of per-region checks (Access Analyzer, Security Hub, Config, GuardDuty)",
		Permissions: []string{"ec2:GetEbsEncryptionByDefault", "ec2:GetEbsDefaultKmsKeyId", "ec2:GetSnapshotBlockPublicAccessState"},
		Schema: []resource.Field{
			str("account_id", "account ID"),
			str("region", "region name"),
			boolean("ebs_encryption_by_default", "new EBS volumes are encrypted by default"),
			str("ebs_default_kms_key_id", "default KMS key for EBS encryption (alias/aws/ebs when not changed)"),
			str("snapshot_block_public_access_state", "block-all-sharing, block-new-sharing or unblocked"),
		},
	}
}

func kmsKeyKind() resource.Kind {
	return resource.Kind{
		Name: "aws_kms_key", Provider: resource.AWS, Service: "kms", Model: resource.PaaS,
		Taggable:    true,
		Description: "KMS key with its rotation status (DescribeKey + GetKeyRotationStatus)",
		Permissions: []string{"kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:GetKeyPolicy", "kms:ListResourceTags", "kms:ListAliases"},
		Schema: []resource.Field{
			str("key_id", "key ID (UUID)"),
			str("arn", "key ARN"),
			str("description", "key description"),
			str("key_manager", "CUSTOMER or AWS"),
			str("key_spec", "SYMMETRIC_DEFAULT, RSA_2048, ECC_NIST_P256, HMAC_256…"),
			str("key_usage", "ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC"),
			str("key_state", "Enabled, Disabled, PendingDeletion, PendingImport or Unavailable"),
			str("origin", "AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE"),
			timestamp("creation_date", "when it was created"),
			boolean("multi_region", "multi-Region key"),
			boolean("key_rotation_enabled", "automatic rotation on (GetKeyRotationStatus)"),
			integer("rotation_period_in_days", "rotation period; absent when rotation is off"),
			list("aliases", "alias names (list of strings)"),
			policyDocument("key_policy", "key policy (GetKeyPolicy default, normalised); absent when it could not be read"),
		},
	}
}

func cloudTrailKind() resource.Kind {
	return resource.Kind{
		Name: "aws_cloudtrail_trail", Provider: resource.AWS, Service: "cloudtrail", Model: resource.SaaS,
		Taggable:    true,
		Description: "CloudTrail trail with its status and event selectors, in its home region",
		Permissions: []string{"cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:ListTags"},
		Schema: []resource.Field{
			str("name", "trail name"),
			str("trail_arn", "trail ARN"),
			str("home_region", "region where the trail was created"),
			str("s3_bucket_name", "bucket receiving log files"),
			str("s3_key_prefix", `key prefix; "" when none`),
			boolean("is_multi_region_trail", "the trail records every region"),
			boolean("is_organization_trail", "the trail records every account of the organization"),
			boolean("include_global_service_events", "records global services such as IAM"),
			boolean("log_file_validation_enabled", "log file integrity validation on"),
			str("kms_key_id", "KMS key ARN for SSE-KMS; absent when logs use SSE-S3"),
			str("cloud_watch_logs_log_group_arn", "CloudWatch Logs group receiving events; absent when not delivered"),
			str("cloud_watch_logs_role_arn", "role used for CloudWatch Logs delivery; absent when not delivered"),
			boolean("has_custom_event_selectors", "event selectors were changed from the default"),
			object("status", "GetTrailStatus",
				boolean("is_logging", "the trail is logging"),
				timestamp("latest_delivery_time", "last delivery of a log file"),
				timestamp("start_logging_time", "when logging last started")),
			list("event_selectors", "basic event selectors (GetEventSelectors)",
				str("read_write_type", "ReadOnly, WriteOnly or All"),
				boolean("include_management_events", "management events recorded"),
				list("data_resources", "data event resources",
					str("type", "AWS::S3::Object, AWS::Lambda::Function…"),
					list("values", "ARN prefixes; arn:aws:s3 means every bucket (list of strings)"))),
		},
	}
}

func configRecorderKind() resource.Kind {
	return resource.Kind{
		Name: "aws_config_configuration_recorder", Provider: resource.AWS, Service: "config", Model: resource.SaaS,
		Description: "AWS Config configuration recorder with its status (one per account and region where Config is set up)",
		Permissions: []string{"config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"},
		Schema: []resource.Field{
			str("name", "recorder name"),
			str("role_arn", "role Config uses"),
			object("recording_group", "what is recorded",
				boolean("all_supported", "every supported resource type"),
				boolean("include_global_resource_types", "global types such as IAM"),
				list("resource_types", "explicit types when all_supported is false (list of strings)")),
			object("status", "DescribeConfigurationRecorderStatus",
				boolean("recording", "the recorder is running"),
				str("last_status", "Pending, Success or Failure"),
				timestamp("last_start_time", "when recording last started")),
		},
	}
}

func rdsInstanceKind() resource.Kind {
	return resource.Kind{
		Name: "aws_rds_db_instance", Provider: resource.AWS, Service: "rds", Model: resource.PaaS,
		Taggable:    true,
		Description: "RDS DB instance (DescribeDBInstances)",
		Permissions: []string{"rds:DescribeDBInstances"},
		Schema: []resource.Field{
			str("db_instance_identifier", "instance identifier"),
			str("db_instance_arn", "instance ARN"),
			str("db_instance_class", "instance class"),
			str("engine", "engine, e.g. postgres, mysql, aurora-postgresql"),
			str("engine_version", "engine version"),
			str("db_instance_status", "available, stopped, …"),
			timestamp("instance_create_time", "when it was created"),
			boolean("storage_encrypted", "storage encrypted at rest"),
			str("kms_key_id", "KMS key ARN; absent when not encrypted"),
			boolean("publicly_accessible", "the endpoint resolves to a public address"),
			boolean("auto_minor_version_upgrade", "minor engine upgrades applied automatically"),
			boolean("multi_az", "Multi-AZ deployment"),
			integer("backup_retention_period", "days automated backups are kept; 0 disables them"),
			boolean("deletion_protection", "deletion protection on"),
			boolean("iam_database_authentication_enabled", "IAM database authentication on"),
			object("endpoint", "connection endpoint",
				str("address", "DNS name"),
				integer("port", "port")),
			object("db_subnet_group", "subnet group",
				str("db_subnet_group_name", "name"),
				str("vpc_id", "VPC ID")),
			list("vpc_security_groups", "security groups",
				str("vpc_security_group_id", "group ID"),
				str("status", "active")),
		},
	}
}

func lambdaKind() resource.Kind {
	return resource.Kind{
		Name: "aws_lambda_function", Provider: resource.AWS, Service: "lambda", Model: resource.FaaS,
		Taggable:    true,
		Description: "Lambda function with its configuration and function URL; environment variable values are never stored",
		Permissions: []string{"lambda:ListFunctions", "lambda:GetFunctionUrlConfig", "lambda:GetPolicy", "lambda:ListTags"},
		Schema: []resource.Field{
			str("function_name", "function name"),
			str("function_arn", "function ARN"),
			str("runtime", `runtime identifier, e.g. python3.12; "" for container images`),
			str("package_type", "Zip or Image"),
			str("role", "execution role ARN"),
			str("handler", "handler"),
			integer("code_size", "package size in bytes"),
			integer("memory_size", "memory in MB"),
			integer("timeout", "timeout in seconds"),
			timestamp("last_modified", "last change"),
			list("architectures", "x86_64 or arm64 (list of strings)"),
			object("environment", "environment, redacted by the collector",
				list("variables", "one entry per variable; values are dropped",
					str("name", "variable name"),
					boolean("looks_like_secret", "the name or value looked like a credential (key, token, password patterns or high-entropy value)"))),
			object("function_url_config", "function URL; absent when the function has none",
				str("function_url", "URL"),
				str("auth_type", "AWS_IAM or NONE")),
			object("vpc_config", "VPC attachment; empty lists when not attached",
				list("subnet_ids", "subnets (list of strings)"),
				list("security_group_ids", "security groups (list of strings)")),
			object("tracing_config", "X-Ray tracing", str("mode", "Active or PassThrough")),
			resourcePolicy("policy", "resource-based policy (lambda:GetPolicy, normalised): who may invoke or manage the function"),
		},
	}
}

func eksClusterKind() resource.Kind {
	return resource.Kind{
		Name: "aws_eks_cluster", Provider: resource.AWS, Service: "eks", Model: resource.CaaS,
		Taggable:    true,
		Description: "EKS cluster (ListClusters, DescribeCluster; tags come with it)",
		Permissions: []string{"eks:ListClusters", "eks:DescribeCluster"},
		Schema: []resource.Field{
			str("name", "cluster name"),
			str("arn", "cluster ARN"),
			str("version", "Kubernetes version"),
			str("platform_version", "EKS platform version"),
			str("status", "ACTIVE, CREATING, …"),
			str("role_arn", "cluster service role"),
			timestamp("created_at", "when it was created"),
			object("resources_vpc_config", "networking and API endpoint access",
				str("vpc_id", "VPC ID"),
				list("subnet_ids", "subnets (list of strings)"),
				list("security_group_ids", "additional security groups (list of strings)"),
				str("cluster_security_group_id", "cluster security group"),
				boolean("endpoint_public_access", "the API server endpoint is reachable from the internet"),
				boolean("endpoint_private_access", "the API server endpoint is reachable from the VPC"),
				list("public_access_cidrs", "CIDRs allowed to reach the public endpoint (list of strings)")),
			object("logging", "control plane logging",
				list("cluster_logging", "log type groups",
					list("types", "api, audit, authenticator, controllerManager, scheduler (list of strings)"),
					boolean("enabled", "whether these types are sent to CloudWatch Logs"))),
			list("encryption_config", "envelope encryption; empty when off",
				list("resources", `encrypted resources, e.g. ["secrets"] (list of strings)`),
				object("provider", "key provider", str("key_arn", "KMS key ARN"))),
		},
	}
}

func logGroupKind() resource.Kind {
	return resource.Kind{
		Name: "aws_cloudwatch_log_group", Provider: resource.AWS, Service: "logs", Model: resource.SaaS,
		Taggable:    true,
		Description: "CloudWatch Logs log group (DescribeLogGroups)",
		Permissions: []string{"logs:DescribeLogGroups", "logs:ListTagsForResource"},
		Schema: []resource.Field{
			str("log_group_name", "log group name"),
			str("arn", "log group ARN"),
			timestamp("creation_time", "when it was created"),
			integer("retention_in_days", "retention; absent when events never expire"),
			str("kms_key_id", "KMS key ARN; absent when encrypted with the service key"),
			integer("stored_bytes", "stored bytes"),
			str("log_group_class", "STANDARD or INFREQUENT_ACCESS"),
		},
	}
}

func accessAnalyzerKind() resource.Kind {
	return resource.Kind{
		Name: "aws_accessanalyzer_analyzer", Provider: resource.AWS, Service: "accessanalyzer", Model: resource.SaaS,
		Taggable:    true,
		Description: "IAM Access Analyzer analyzer (ListAnalyzers), per region",
		Permissions: []string{"access-analyzer:ListAnalyzers"},
		Schema: []resource.Field{
			str("arn", "analyzer ARN"),
			str("name", "analyzer name"),
			str("type", "ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS or ORGANIZATION_UNUSED_ACCESS"),
			str("status", "ACTIVE, CREATING, DISABLED or FAILED"),
			timestamp("created_at", "when it was created"),
			timestamp("last_resource_analyzed_at", "last analysis; absent before the first one"),
		},
	}
}

func securityHubKind() resource.Kind {
	return resource.Kind{
		Name: "aws_securityhub_hub", Provider: resource.AWS, Service: "securityhub", Model: resource.SaaS,
		Taggable:    true,
		Description: "Security Hub, one per region where it is enabled (DescribeHub; InvalidAccessException means not enabled)",
		Permissions: []string{"securityhub:DescribeHub", "securityhub:ListTagsForResource"},
		Schema: []resource.Field{
			str("hub_arn", "hub ARN"),
			timestamp("subscribed_at", "when Security Hub was enabled"),
			boolean("auto_enable_controls", "new controls are enabled automatically"),
			str("control_finding_generator", "SECURITY_CONTROL or STANDARD_CONTROL"),
		},
	}
}

// metricFilterKind is a CloudWatch Logs metric filter. The API gives metric
// filters no ARN; the UID is the log group's ARN (without ":*") followed by
// ":metric-filter:" and the filter name, unique per account and region.
func metricFilterKind() resource.Kind {
	return resource.Kind{
		Name: "aws_cloudwatch_log_metric_filter", Provider: resource.AWS, Service: "logs", Model: resource.SaaS,
		Description: "CloudWatch Logs metric filter (DescribeMetricFilters): a pattern over a log group's events that feeds a metric",
		Permissions: []string{"logs:DescribeMetricFilters"},
		Schema: []resource.Field{
			str("filter_name", "filter name"),
			str("log_group_name", "log group the filter reads"),
			str("filter_pattern", `filter pattern, e.g. { ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }`),
			timestamp("creation_time", "when it was created"),
			list("metric_transformations", "metrics the filter publishes",
				str("metric_name", "metric name"),
				str("metric_namespace", "metric namespace, e.g. CISBenchmark"),
				str("metric_value", `value published per match, usually "1"`),
				str("unit", "metric unit; absent when not set")),
		},
	}
}

func alarmKind() resource.Kind {
	return resource.Kind{
		Name: "aws_cloudwatch_alarm", Provider: resource.AWS, Service: "cloudwatch", Model: resource.SaaS,
		Taggable:    true,
		Description: "CloudWatch metric alarm (DescribeAlarms, MetricAlarms)",
		Permissions: []string{"cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"},
		Schema: []resource.Field{
			str("alarm_name", "alarm name"),
			str("alarm_arn", "alarm ARN"),
			str("alarm_description", "description; absent when none"),
			str("metric_name", "metric watched; absent for metric-math alarms"),
			str("namespace", "namespace of the metric; absent for metric-math alarms"),
			str("statistic", "SampleCount, Average, Sum, Minimum or Maximum; absent for extended statistics"),
			str("comparison_operator", "e.g. GreaterThanOrEqualToThreshold"),
			resource.Field{Name: "threshold", Type: "number", Description: "threshold the statistic is compared with"},
			integer("evaluation_periods", "periods evaluated"),
			integer("period", "period in seconds"),
			boolean("actions_enabled", "actions run on state changes"),
			list("alarm_actions", "ARNs notified when the alarm fires, e.g. SNS topics (list of strings)"),
			str("state_value", "OK, ALARM or INSUFFICIENT_DATA"),
			timestamp("state_updated_timestamp", "last state change"),
		},
	}
}

func snsTopicKind() resource.Kind {
	return resource.Kind{
		Name: "aws_sns_topic", Provider: resource.AWS, Service: "sns", Model: resource.SaaS,
		Taggable:    true,
		Description: "SNS topic with its subscriptions (ListTopics, GetTopicAttributes, ListSubscriptionsByTopic)",
		Permissions: []string{"sns:ListTopics", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource"},
		Schema: []resource.Field{
			str("topic_arn", "topic ARN"),
			str("display_name", `display name; "" when not set`),
			str("kms_master_key_id", "KMS key for encryption at rest; absent when not encrypted"),
			integer("subscriptions_confirmed", "confirmed subscriptions (GetTopicAttributes SubscriptionsConfirmed)"),
			integer("subscriptions_pending", "subscriptions waiting for confirmation"),
			resourcePolicy("policy", "topic access policy (GetTopicAttributes Policy, normalised)"),
			list("subscriptions", "subscriptions (ListSubscriptionsByTopic)",
				str("subscription_arn", `subscription ARN, or "PendingConfirmation" while unconfirmed`),
				str("protocol", "email, https, sqs, lambda, sms…"),
				str("endpoint", "where notifications go (address, URL or ARN)")),
		},
	}
}

func serverCertificateKind() resource.Kind {
	return resource.Kind{
		Name: "aws_iam_server_certificate", Provider: resource.AWS, Service: "iam", Model: resource.IaaS,
		Global:      true,
		Description: "server certificate stored in IAM for load balancers and CloudFront (ListServerCertificates)",
		Permissions: []string{"iam:ListServerCertificates"},
		Schema: []resource.Field{
			str("server_certificate_name", "certificate name"),
			str("server_certificate_id", "stable unique ID (ASCA…)"),
			str("arn", "certificate ARN"),
			str("path", "IAM path"),
			timestamp("upload_date", "when it was uploaded"),
			timestamp("expiration", "when the certificate expires"),
		},
	}
}

func networkACLKind() resource.Kind {
	return resource.Kind{
		Name: "aws_ec2_network_acl", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS,
		Taggable:    true,
		Description: "VPC network ACL with its rule entries and subnet associations (DescribeNetworkAcls)",
		Permissions: []string{"ec2:DescribeNetworkAcls"},
		Schema: []resource.Field{
			str("network_acl_id", "network ACL ID (acl-…)"),
			str("vpc_id", "VPC ID"),
			boolean("is_default", "the VPC's default network ACL"),
			str("owner_id", "owning account ID"),
			list("entries", "rules, evaluated in rule_number order per direction; the first match decides",
				integer("rule_number", "rule number; 32767 is the implicit deny-all"),
				str("protocol", `protocol number as a string: "6" TCP, "17" UDP, "1" ICMP, "-1" all`),
				str("rule_action", "allow or deny"),
				boolean("egress", "true for an outbound rule"),
				str("cidr_block", "IPv4 range; absent for IPv6 rules"),
				str("ipv6_cidr_block", "IPv6 range; absent for IPv4 rules"),
				object("port_range", "TCP/UDP ports; absent for all protocols and ICMP",
					integer("from", "first port"),
					integer("to", "last port"))),
			list("associations", "subnets using the ACL",
				str("network_acl_association_id", "association ID"),
				str("subnet_id", "subnet ID")),
		},
	}
}

func efsKind() resource.Kind {
	return resource.Kind{
		Name: "aws_efs_file_system", Provider: resource.AWS, Service: "efs", Model: resource.PaaS,
		Taggable:    true,
		Description: "EFS file system (DescribeFileSystems; tags come with it)",
		Permissions: []string{"elasticfilesystem:DescribeFileSystems"},
		Schema: []resource.Field{
			str("file_system_id", "file system ID (fs-…)"),
			str("file_system_arn", "file system ARN"),
			str("name", "value of the Name tag; absent when none"),
			str("owner_id", "owning account ID"),
			timestamp("creation_time", "when it was created"),
			str("life_cycle_state", "creating, available, updating, deleting, deleted or error"),
			integer("number_of_mount_targets", "mount targets"),
			str("performance_mode", "generalPurpose or maxIO"),
			str("throughput_mode", "bursting, provisioned or elastic"),
			boolean("encrypted", "data encrypted at rest"),
			str("kms_key_id", "KMS key ARN; absent when not encrypted"),
		},
	}
}

func iamGroupKind() resource.Kind {
	return resource.Kind{
		Name: "aws_iam_group", Provider: resource.AWS, Service: "iam", Model: resource.IaaS,
		Global:      true,
		Description: "IAM group with its attached and inline policies (GetAccountAuthorizationDetails GroupDetailList)",
		Permissions: []string{"iam:GetAccountAuthorizationDetails"},
		Schema: []resource.Field{
			str("group_name", "group name"),
			str("group_id", "stable unique ID (AGPA…)"),
			str("arn", "group ARN"),
			str("path", "IAM path"),
			timestamp("create_date", "when the group was created"),
			attachedPolicies(),
			list("inline_policy_names", "names of inline policies (list of strings)"),
		},
	}
}

// resourcePolicy is a resource-based policy that is null when the resource
// has none and absent when it could not be read.
func resourcePolicy(name, desc string) resource.Field {
	return policyDocument(name, desc+"; null when the resource has none, absent when it could not be read")
}

func sqsQueueKind() resource.Kind {
	return resource.Kind{
		Name: "aws_sqs_queue", Provider: resource.AWS, Service: "sqs", Model: resource.SaaS,
		Taggable:    true,
		Description: "SQS queue with its access policy and encryption (ListQueues, GetQueueAttributes All, ListQueueTags); messages are never read",
		Permissions: []string{"sqs:ListQueues", "sqs:GetQueueAttributes", "sqs:ListQueueTags"},
		Schema: []resource.Field{
			str("queue_url", "queue URL"),
			str("queue_arn", "queue ARN (QueueArn)"),
			str("queue_name", "queue name"),
			timestamp("created_timestamp", "when it was created (CreatedTimestamp)"),
			boolean("fifo_queue", "FIFO queue"),
			boolean("sqs_managed_sse_enabled", "encrypted with SQS-managed keys (SSE-SQS)"),
			str("kms_master_key_id", "KMS key for SSE-KMS; absent when not used"),
			integer("visibility_timeout", "visibility timeout in seconds"),
			integer("message_retention_period", "retention in seconds"),
			resourcePolicy("policy", "queue access policy (Policy attribute, normalised)"),
		},
	}
}

func secretKind() resource.Kind {
	return resource.Kind{
		Name: "aws_secretsmanager_secret", Provider: resource.AWS, Service: "secretsmanager", Model: resource.SaaS,
		Taggable:    true,
		Description: "Secrets Manager secret: metadata (ListSecrets) and resource policy (GetResourcePolicy); the secret value is never read",
		Permissions: []string{"secretsmanager:ListSecrets", "secretsmanager:GetResourcePolicy"},
		Schema: []resource.Field{
			str("arn", "secret ARN"),
			str("name", "secret name"),
			str("description", "description; absent when none"),
			str("kms_key_id", "KMS key; absent when the AWS managed key aws/secretsmanager is used"),
			boolean("rotation_enabled", "automatic rotation on"),
			str("rotation_lambda_arn", "rotation function; absent when none"),
			object("rotation_rules", "rotation schedule; absent when rotation was never configured",
				integer("automatically_after_days", "days between rotations; absent with a schedule expression"),
				str("schedule_expression", "cron or rate expression; absent when not used")),
			str("owning_service", "service that manages the secret (e.g. rds); absent for user secrets"),
			str("primary_region", "primary region of a replicated secret; absent otherwise"),
			timestamp("created_date", "when it was created"),
			timestamp("last_changed_date", "last change; absent when never changed"),
			timestamp("last_rotated_date", "last rotation; absent when never rotated"),
			timestamp("last_accessed_date", "last day the value was read; absent when never read"),
			timestamp("next_rotation_date", "next scheduled rotation; absent without rotation"),
			timestamp("deleted_date", "scheduled deletion; absent unless pending deletion"),
			resourcePolicy("policy", "resource policy (GetResourcePolicy, normalised)"),
		},
	}
}

func eventBusKind() resource.Kind {
	return resource.Kind{
		Name: "aws_eventbridge_event_bus", Provider: resource.AWS, Service: "events", Model: resource.SaaS,
		Description: "EventBridge event bus with its resource policy (ListEventBuses), including the default bus",
		Permissions: []string{"events:ListEventBuses"},
		Schema: []resource.Field{
			str("name", `bus name; "default" for the account's default bus`),
			str("arn", "bus ARN"),
			str("description", "description; absent when none"),
			str("managed_by", "service managing the bus; absent for customer buses"),
			timestamp("creation_time", "when it was created; absent when the API omits it"),
			timestamp("last_modified_time", "last change; absent when the API omits it"),
			resourcePolicy("policy", "resource policy (Policy, normalised): who may put events on the bus"),
		},
	}
}

func glacierVaultKind() resource.Kind {
	return resource.Kind{
		Name: "aws_glacier_vault", Provider: resource.AWS, Service: "glacier", Model: resource.SaaS,
		Taggable:    true,
		Description: "S3 Glacier vault with its access policy (ListVaults, GetVaultAccessPolicy, ListTagsForVault)",
		Permissions: []string{"glacier:ListVaults", "glacier:GetVaultAccessPolicy", "glacier:ListTagsForVault"},
		Schema: []resource.Field{
			str("vault_name", "vault name"),
			str("vault_arn", "vault ARN"),
			timestamp("creation_date", "when it was created"),
			timestamp("last_inventory_date", "last inventory; absent before the first"),
			integer("number_of_archives", "archives at the last inventory"),
			integer("size_in_bytes", "size at the last inventory"),
			resourcePolicy("policy", "vault access policy (normalised)"),
		},
	}
}

func loadBalancerKind() resource.Kind {
	return resource.Kind{
		Name: "aws_elbv2_load_balancer", Provider: resource.AWS, Service: "elasticloadbalancing", Model: resource.PaaS,
		Taggable:    true,
		Description: "Application, Network or Gateway Load Balancer with its attributes and listeners (DescribeLoadBalancers, DescribeLoadBalancerAttributes, DescribeListeners, DescribeTags)",
		Permissions: []string{"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
			"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTags"},
		Schema: []resource.Field{
			str("load_balancer_arn", "load balancer ARN"),
			str("load_balancer_name", "name"),
			str("type", "application, network or gateway"),
			str("scheme", "internet-facing or internal"),
			str("vpc_id", "VPC ID"),
			str("dns_name", "DNS name"),
			str("ip_address_type", "ipv4, dualstack or dualstack-without-public-ipv4"),
			timestamp("created_time", "when it was created"),
			object("state", "state", str("code", "active, provisioning, active_impaired or failed")),
			list("security_groups", "security group IDs (list of strings); empty for most Network Load Balancers"),
			object("attributes", "security-relevant attributes (DescribeLoadBalancerAttributes; keys with dots as underscores); absent when they could not be read; an attribute the type does not have is absent",
				boolean("access_logs_s3_enabled", "access logs delivered to S3 (access_logs.s3.enabled)"),
				str("access_logs_s3_bucket", `bucket of the access logs; "" when none`),
				str("access_logs_s3_prefix", `key prefix of the access logs; "" when none`),
				boolean("connection_logs_s3_enabled", "connection logs delivered to S3 (Application Load Balancers)"),
				boolean("deletion_protection_enabled", "deletion protection on"),
				boolean("routing_http_drop_invalid_header_fields_enabled", "invalid HTTP header fields are dropped (Application Load Balancers)"),
				str("routing_http_desync_mitigation_mode", "monitor, defensive or strictest (Application Load Balancers)"),
				boolean("load_balancing_cross_zone_enabled", "cross-zone load balancing (Network and Gateway Load Balancers)")),
			list("listeners", "listeners (DescribeListeners); absent when they could not be read",
				str("listener_arn", "listener ARN"),
				integer("port", "port"),
				str("protocol", "HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP or GENEVE"),
				str("ssl_policy", "security policy of HTTPS and TLS listeners, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06; absent otherwise"),
				list("default_actions", "default actions",
					str("type", "forward, redirect, fixed-response, authenticate-oidc or authenticate-cognito"),
					object("redirect_config", "redirect; absent for other types",
						str("protocol", "HTTP, HTTPS or #{protocol}; absent when not set"),
						str("port", "port or #{port}; absent when not set"),
						str("status_code", "HTTP_301 or HTTP_302")))),
		},
	}
}

func cloudFrontKind() resource.Kind {
	return resource.Kind{
		Name: "aws_cloudfront_distribution", Provider: resource.AWS, Service: "cloudfront", Model: resource.SaaS,
		Global: true, Taggable: true,
		Description: "CloudFront distribution with its viewer TLS and protocol settings, WAF web ACL and standard logging (ListDistributions, GetDistributionConfig, ListTagsForResource)",
		Permissions: []string{"cloudfront:ListDistributions", "cloudfront:GetDistributionConfig", "cloudfront:ListTagsForResource"},
		Schema: []resource.Field{
			str("id", "distribution ID"),
			str("arn", "distribution ARN"),
			str("domain_name", "CloudFront domain name (d….cloudfront.net)"),
			list("aliases", "alternate domain names (list of strings)"),
			str("status", "Deployed or InProgress"),
			boolean("enabled", "the distribution serves requests"),
			str("comment", "comment"),
			str("http_version", "http1.1, http2, http3 or http2and3"),
			str("price_class", "PriceClass_All, PriceClass_200 or PriceClass_100"),
			timestamp("last_modified_time", "last change"),
			str("web_acl_id", `AWS WAF web ACL (ARN for WAFv2, ID for classic); "" when none`),
			object("viewer_certificate", "viewer TLS settings",
				boolean("cloudfront_default_certificate", "the *.cloudfront.net certificate is used (TLSv1 is then allowed whatever the setting)"),
				str("minimum_protocol_version", "security policy, e.g. TLSv1.2_2021, TLSv1, SSLv3"),
				str("ssl_support_method", "sni-only, vip or static-ip"),
				str("acm_certificate_arn", "ACM certificate; absent when not used"),
				str("iam_certificate_id", "IAM server certificate ID; absent when not used")),
			object("default_cache_behavior", "default cache behavior",
				str("viewer_protocol_policy", "allow-all, redirect-to-https or https-only"),
				str("target_origin_id", "origin ID")),
			list("cache_behaviors", "other cache behaviors",
				str("path_pattern", "path pattern"),
				str("viewer_protocol_policy", "allow-all, redirect-to-https or https-only"),
				str("target_origin_id", "origin ID")),
			list("origins", "origins",
				str("id", "origin ID"),
				str("domain_name", "origin domain name"),
				object("custom_origin_config", "custom (non-S3) origin; absent for S3 origins",
					str("origin_protocol_policy", "http-only, match-viewer or https-only"),
					list("origin_ssl_protocols", "TLS versions offered to the origin (list of strings)")),
				str("origin_access_control_id", "origin access control; absent when none")),
			object("logging", "standard logging (legacy) from GetDistributionConfig; absent when it could not be read. Standard logging v2 (CloudWatch Logs delivery) is not seen here",
				boolean("enabled", "access logs written to S3"),
				str("bucket", `log bucket (…s3.amazonaws.com); "" when off`),
				str("prefix", `key prefix; "" when none`),
				boolean("include_cookies", "cookies included in the logs")),
		},
	}
}

func apiStageKind() resource.Kind {
	return resource.Kind{
		Name: "aws_apigateway_stage", Provider: resource.AWS, Service: "apigateway", Model: resource.PaaS,
		Taggable:    true,
		Description: "API Gateway stage of a REST API (v1) or an HTTP or WebSocket API (v2), with its logging settings (GetRestApis, GetApis, GetStages)",
		Permissions: []string{"apigateway:GET"},
		Schema: []resource.Field{
			str("api_id", "API ID"),
			str("api_name", "API name"),
			str("api_type", "REST (v1), HTTP or WEBSOCKET (v2)"),
			list("endpoint_types", "EDGE, REGIONAL or PRIVATE (list of strings; REGIONAL for v2 APIs)"),
			str("stage_name", "stage name"),
			str("deployment_id", "deployment the stage serves; absent for a v2 stage not deployed yet"),
			timestamp("created_date", "when it was created"),
			timestamp("last_updated_date", "last change"),
			object("access_log_settings", "access logging; absent when off",
				str("destination_arn", "CloudWatch Logs group or Firehose stream ARN"),
				str("format", "log format")),
			str("default_logging_level", `execution logging level for all methods or routes: OFF, ERROR or INFO ("OFF" when not set)`),
			boolean("tracing_enabled", "X-Ray tracing on; REST APIs only, absent for v2"),
			boolean("cache_cluster_enabled", "stage cache on; REST APIs only, absent for v2"),
			str("web_acl_arn", "AWS WAF web ACL; REST APIs only, absent when none"),
			str("client_certificate_id", "client certificate for backend authentication; absent when none"),
		},
	}
}

func guardDutyKind() resource.Kind {
	return resource.Kind{
		Name: "aws_guardduty_detector", Provider: resource.AWS, Service: "guardduty", Model: resource.SaaS,
		Taggable:    true,
		Description: "GuardDuty detector of an account and region (ListDetectors, GetDetector); a region without one has none",
		Permissions: []string{"guardduty:ListDetectors", "guardduty:GetDetector"},
		Schema: []resource.Field{
			str("detector_id", "detector ID"),
			str("status", "ENABLED or DISABLED"),
			str("finding_publishing_frequency", "FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS"),
			str("service_role", "service-linked role; absent when not reported"),
			timestamp("created_at", "when it was created"),
			timestamp("updated_at", "last change"),
			list("features", "protection plans",
				str("name", "S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, EKS_RUNTIME_MONITORING, LAMBDA_NETWORK_LOGS, RUNTIME_MONITORING…"),
				str("status", "ENABLED or DISABLED")),
		},
	}
}

func ebsSnapshotKind() resource.Kind {
	return resource.Kind{
		Name: "aws_ebs_snapshot", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS,
		Taggable:    true,
		Description: "EBS snapshot owned by the account, with whether anyone may restore it (DescribeSnapshots, listed once more restorable by all)",
		Permissions: []string{"ec2:DescribeSnapshots"},
		Schema: []resource.Field{
			str("snapshot_id", "snapshot ID"),
			str("volume_id", "source volume (vol-ffffffff for copies)"),
			integer("volume_size", "size in GiB"),
			str("state", "pending, completed, error, recoverable or recovering"),
			boolean("encrypted", "the snapshot is encrypted"),
			str("kms_key_id", "KMS key ARN; absent when not encrypted"),
			str("owner_id", "owning account ID"),
			str("description", `description; "" when none`),
			timestamp("start_time", "when it was taken"),
			boolean("public", "createVolumePermission includes the group all: any AWS account can create a volume from it; absent when the public listing failed"),
		},
	}
}

func imageKind() resource.Kind {
	return resource.Kind{
		Name: "aws_ec2_image", Provider: resource.AWS, Service: "ec2", Model: resource.IaaS,
		Taggable:    true,
		Description: "AMI owned by the account (DescribeImages Owners=self) with its public flag",
		Permissions: []string{"ec2:DescribeImages"},
		Schema: []resource.Field{
			str("image_id", "AMI ID"),
			str("name", "AMI name"),
			str("state", "available, pending, failed, deregistered…"),
			boolean("public", "launch permission includes the group all: any AWS account can launch it"),
			str("owner_id", "owning account ID"),
			str("architecture", "x86_64, arm64…"),
			str("root_device_type", "ebs or instance-store"),
			str("platform_details", "platform, e.g. Linux/UNIX"),
			str("imds_support", `v2.0 when instances launched from it require IMDSv2; "" otherwise`),
			timestamp("creation_date", "when it was created"),
			timestamp("deprecation_time", "deprecation date; absent when none"),
			list("block_device_mappings", "block devices",
				str("device_name", "device name"),
				object("ebs", "EBS device; absent for ephemeral devices",
					boolean("encrypted", "the snapshot behind the device is encrypted"),
					str("snapshot_id", "snapshot ID; absent when none"))),
		},
	}
}

func rdsClusterKind() resource.Kind {
	return resource.Kind{
		Name: "aws_rds_db_cluster", Provider: resource.AWS, Service: "rds", Model: resource.PaaS,
		Taggable:    true,
		Description: "RDS DB cluster: Aurora, Multi-AZ DB clusters, and Neptune and DocumentDB clusters the RDS API lists (DescribeDBClusters; tags come with it)",
		Permissions: []string{"rds:DescribeDBClusters"},
		Schema: []resource.Field{
			str("db_cluster_identifier", "cluster identifier"),
			str("db_cluster_arn", "cluster ARN"),
			str("engine", "aurora-postgresql, aurora-mysql, postgres, mysql, neptune, docdb…"),
			str("engine_version", "engine version"),
			str("engine_mode", "provisioned, serverless…"),
			str("status", "available, stopped, …"),
			timestamp("cluster_create_time", "when it was created"),
			boolean("storage_encrypted", "storage encrypted at rest"),
			str("kms_key_id", "KMS key ARN; absent when not encrypted"),
			boolean("publicly_accessible", "Multi-AZ DB clusters only: the endpoint resolves to a public address; absent for Aurora (see its instances)"),
			boolean("multi_az", "instances in several availability zones"),
			boolean("deletion_protection", "deletion protection on"),
			integer("backup_retention_period", "days automated backups are kept"),
			boolean("iam_database_authentication_enabled", "IAM database authentication on"),
			boolean("auto_minor_version_upgrade", "minor engine upgrades applied automatically"),
			boolean("copy_tags_to_snapshot", "tags copied to snapshots"),
			list("enabled_cloudwatch_logs_exports", "log types exported to CloudWatch Logs (list of strings)"),
			list("db_cluster_members", "member instances",
				str("db_instance_identifier", "instance identifier"),
				boolean("is_cluster_writer", "the writer instance")),
		},
	}
}

func rdsSnapshotKind() resource.Kind {
	return resource.Kind{
		Name: "aws_rds_snapshot", Provider: resource.AWS, Service: "rds", Model: resource.PaaS,
		Taggable:    true,
		Description: "RDS DB snapshot or DB cluster snapshot with who may restore it (DescribeDBSnapshots, DescribeDBClusterSnapshots; the restore attribute of manual snapshots)",
		Permissions: []string{"rds:DescribeDBSnapshots", "rds:DescribeDBSnapshotAttributes", "rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusterSnapshotAttributes"},
		Schema: []resource.Field{
			str("snapshot_source", "instance (DB snapshot) or cluster (DB cluster snapshot)"),
			str("db_snapshot_identifier", "snapshot identifier"),
			str("db_snapshot_arn", "snapshot ARN"),
			str("source_identifier", "DB instance or cluster it was taken from"),
			str("snapshot_type", "manual, automated, shared, public or awsbackup"),
			str("engine", "engine"),
			str("status", "available, creating, …"),
			boolean("encrypted", "the snapshot is encrypted"),
			str("kms_key_id", "KMS key ARN; absent when not encrypted"),
			timestamp("snapshot_create_time", "when it was taken"),
			list("restore_accounts", `accounts allowed to restore it ("all" = public); empty for automated snapshots; absent when the attribute could not be read (list of strings)`),
			boolean("public", "the restore attribute includes all; absent when it could not be read"),
		},
	}
}
