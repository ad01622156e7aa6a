package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cloudward/internal/config"
	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
)

// IDs of the checks generated from org.forbidden_public_exposure and
// org.customer_managed_keys.
const (
	OrgNoPublicExposureID    = "org-no-public-exposure"
	OrgCustomerManagedKeysID = "org-customer-managed-keys"
)

// CEL literals shared by the predicates.
const (
	awsAllUsersURI           = `"http://acs.amazonaws.com/groups/global/AllUsers"`
	awsAuthenticatedUsersURI = `"http://acs.amazonaws.com/groups/global/AuthenticatedUsers"`
	gcpPublicMembers         = `["allUsers", "allAuthenticatedUsers"]`
)

// KindPredicate is one row of a company-rule table: a CEL expression over
// one kind's properties (the schema in `cloudward kinds KIND`) and what it
// means in plain words.
type KindPredicate struct {
	Kind string
	// Expr is true when the resource has the property the rule is about
	// (it is public; it is encrypted with a customer-managed key). It may
	// use the cross-resource functions with literal kinds.
	Expr string
	// Means says the same in words, for the check's description and the
	// documentation.
	Means string
}

// awsCustomerKey is true when the KMS key reference key (a CEL expression:
// a key ARN, ID, alias or alias ARN) is not AWS managed: not an aws/ alias,
// and not a key the account's KMS inventory lists with key_manager AWS. A
// key of another account cannot be AWS managed (those live in the
// resource's own account), so it counts as the customer's.
func awsCustomerKey(key string) string {
	return fmt.Sprintf(`!%[1]s.contains("alias/aws/") && !account_resources("aws_kms_key").exists(k, `+
		`(k.properties.arn == %[1]s || k.properties.key_id == %[1]s) && k.properties.key_manager == "AWS")`, key)
}

// PublicExposurePredicates is the reviewed table of what "publicly
// exposed" means per kind, for org.forbidden_public_exposure. Every
// expression reads only fields of its kind's documented schema; a field
// the collector could not read makes the check ERROR, never PASS.
func PublicExposurePredicates() []KindPredicate {
	s3PublicPolicy := `properties.policy_status.is_public && !properties.public_access_block.restrict_public_buckets && ` +
		`!account_resources("aws_account").exists(a, a.properties.?public_access_block.?restrict_public_buckets.orValue(false))`
	s3PublicACL := `properties.acl.grants.exists(g, g.grantee.?uri.orValue("") in [` + awsAllUsersURI + `, ` + awsAuthenticatedUsersURI + `]) && ` +
		`!properties.public_access_block.ignore_public_acls && ` +
		`!account_resources("aws_account").exists(a, a.properties.?public_access_block.?ignore_public_acls.orValue(false))`
	azureFlexiblePublic := `properties.properties.network.public_network_access == "Enabled" && ` +
		`properties.firewall_rules.exists(r, r.properties.start_ip_address == "0.0.0.0" && r.properties.end_ip_address == "255.255.255.255")`
	gcpIAMPublic := `properties.iam_policy.bindings.exists(b, b.members.exists(m, m in ` + gcpPublicMembers + `))`
	return []KindPredicate{
		// AWS
		{Kind: "aws_s3_bucket", Expr: "(" + s3PublicPolicy + ") || (" + s3PublicACL + ")",
			Means: "the bucket policy is public (S3's own GetBucketPolicyStatus verdict) and neither the bucket's nor the account's Block Public Access restricts it, or an ACL grant names AllUsers or AuthenticatedUsers and neither block ignores public ACLs"},
		{Kind: "aws_ec2_security_group", Expr: `properties.ip_permissions.exists(p, p.ip_ranges.exists(r, is_public_cidr(r.cidr_ip)) || p.ipv6_ranges.exists(r, is_public_cidr(r.cidr_ipv6)))`,
			Means: "an ingress rule admits 0.0.0.0/0 or ::/0, on any port"},
		{Kind: "aws_ec2_instance", Expr: `properties.?public_ip_address.orValue("") != ""`,
			Means: "the instance has a public IPv4 address"},
		{Kind: "aws_rds_db_instance", Expr: `properties.publicly_accessible`,
			Means: "the instance is publicly accessible (its endpoint resolves to a public address)"},
		{Kind: "aws_eks_cluster", Expr: `properties.resources_vpc_config.endpoint_public_access && properties.resources_vpc_config.public_access_cidrs.exists(c, is_public_cidr(c))`,
			Means: "the Kubernetes API endpoint is public and open to 0.0.0.0/0"},
		{Kind: "aws_lambda_function", Expr: `properties.?function_url_config.?auth_type.orValue("") == "NONE" || policy_allows_public(properties.policy)`,
			Means: "the function has a function URL that requires no authentication, or its resource policy lets everyone invoke or manage it (policy_allows_public)"},
		{Kind: "aws_ec2_image", Expr: `properties.public`,
			Means: "the AMI is shared with everyone (launch permission group all)"},
		{Kind: "aws_ebs_snapshot", Expr: `properties.public`,
			Means: "the snapshot is shared with everyone (create-volume permission group all)"},
		{Kind: "aws_rds_snapshot", Expr: `properties.public`,
			Means: "the snapshot can be restored by every AWS account (restore attribute all)"},
		{Kind: "aws_rds_db_cluster", Expr: `properties.?publicly_accessible.orValue(false)`,
			Means: "the Multi-AZ DB cluster is publicly accessible (Aurora clusters are judged by their instances)"},
		{Kind: "aws_elbv2_load_balancer", Expr: `properties.scheme == "internet-facing"`,
			Means: "the load balancer is internet-facing"},
		{Kind: "aws_sqs_queue", Expr: `policy_allows_public(properties.policy)`,
			Means: "the queue policy grants access to everyone without a restricting condition (policy_allows_public)"},
		{Kind: "aws_sns_topic", Expr: `policy_allows_public(properties.policy)`,
			Means: "the topic policy grants access to everyone without a restricting condition (policy_allows_public)"},
		{Kind: "aws_secretsmanager_secret", Expr: `policy_allows_public(properties.policy)`,
			Means: "the secret's resource policy grants access to everyone without a restricting condition (policy_allows_public)"},
		{Kind: "aws_kms_key", Expr: `policy_allows_public(properties.key_policy)`,
			Means: "the key policy grants access to everyone without a restricting condition (policy_allows_public)"},
		{Kind: "aws_eventbridge_event_bus", Expr: `policy_allows_public(properties.policy)`,
			Means: "the event bus policy lets everyone put events without a restricting condition (policy_allows_public)"},
		{Kind: "aws_glacier_vault", Expr: `policy_allows_public(properties.policy)`,
			Means: "the vault access policy grants access to everyone without a restricting condition (policy_allows_public)"},
		// Google Cloud
		{Kind: "gcp_storage_bucket", Expr: gcpIAMPublic,
			Means: "an IAM binding grants a role to allUsers or allAuthenticatedUsers"},
		{Kind: "gcp_compute_firewall", Expr: `properties.direction == "INGRESS" && !properties.disabled && properties.?source_ranges.orValue([]).exists(r, is_public_cidr(r))`,
			Means: "an enabled ingress rule admits 0.0.0.0/0 or ::/0"},
		{Kind: "gcp_compute_instance", Expr: `properties.network_interfaces.exists(n, n.?access_configs.orValue([]).size() > 0)`,
			Means: "a network interface has an external IP (an access config)"},
		{Kind: "gcp_sql_instance", Expr: `properties.settings.ip_configuration.ipv4_enabled`,
			Means: "the instance has a public IPv4 address"},
		{Kind: "gcp_bigquery_dataset", Expr: `properties.access.exists(a, a.?iam_member.orValue("") in ` + gcpPublicMembers + ` || a.?special_group.orValue("") == "allAuthenticatedUsers")`,
			Means: "an access entry names allUsers or allAuthenticatedUsers"},
		{Kind: "gcp_cloudfunctions_function", Expr: gcpIAMPublic + ` || properties.service_config.ingress_settings == "ALLOW_ALL"`,
			Means: "an IAM binding lets allUsers or allAuthenticatedUsers invoke it, or it accepts traffic from the internet (ingress ALLOW_ALL)"},
		{Kind: "gcp_kms_crypto_key", Expr: gcpIAMPublic,
			Means: "an IAM binding grants a role on the key to allUsers or allAuthenticatedUsers"},
		// Azure
		{Kind: "azure_storage_account", Expr: `properties.properties.allow_blob_public_access`,
			Means: "anonymous public read access to blobs is allowed on the account"},
		{Kind: "azure_storage_container", Expr: `properties.properties.public_access != "None"`,
			Means: "the container allows anonymous access (Blob or Container level)"},
		{Kind: "azure_network_security_group", Expr: `properties.properties.security_rules.exists(r, r.properties.direction == "Inbound" && r.properties.access == "Allow" && ` +
			`([r.properties.?source_address_prefix.orValue("")] + r.properties.?source_address_prefixes.orValue([])).exists(s, is_public_cidr(s)))`,
			Means: "an inbound Allow rule admits *, Internet, 0.0.0.0/0 or ::/0"},
		{Kind: "azure_sql_server", Expr: `properties.firewall_rules.exists(r, r.properties.start_ip_address == "0.0.0.0" && r.properties.end_ip_address == "255.255.255.255")`,
			Means: "a server firewall rule admits every IPv4 address (0.0.0.0-255.255.255.255)"},
		{Kind: "azure_postgresql_flexible_server", Expr: azureFlexiblePublic,
			Means: "public network access is enabled and a firewall rule admits every IPv4 address (0.0.0.0-255.255.255.255)"},
		{Kind: "azure_mysql_flexible_server", Expr: azureFlexiblePublic,
			Means: "public network access is enabled and a firewall rule admits every IPv4 address (0.0.0.0-255.255.255.255)"},
		{Kind: "azure_key_vault", Expr: `properties.properties.public_network_access != "Disabled" && properties.properties.network_acls.default_action != "Deny"`,
			Means: "public network access is enabled and the vault firewall's default action is Allow"},
		// DigitalOcean
		{Kind: "do_spaces_bucket", Expr: `properties.acl.grants.exists(g, g.grantee.?uri.orValue("") == ` + awsAllUsersURI + `) || policy_allows_public(properties.policy)`,
			Means: "the ACL grants AllUsers, or the bucket policy grants access to everyone without a restricting condition (policy_allows_public)"},
		{Kind: "do_firewall", Expr: `properties.inbound_rules.exists(r, r.sources.?addresses.orValue([]).exists(a, is_public_cidr(a)))`,
			Means: "an inbound rule admits 0.0.0.0/0 or ::/0"},
		{Kind: "do_database_cluster", Expr: `properties.firewall_rules.size() == 0 || properties.firewall_rules.exists(r, r.type == "ip_addr" && is_public_cidr(r.value))`,
			Means: "the cluster has no trusted sources (reachable from any address) or trusts 0.0.0.0/0"},
		{Kind: "do_droplet", Expr: `properties.networks.v4.exists(n, n.type == "public") || properties.networks.v6.exists(n, n.type == "public")`,
			Means: "the Droplet has a public IPv4 or IPv6 address"},
	}
}

// CustomerManagedKeyPredicates is the reviewed table of what "encrypted
// with a customer-managed key" means per kind, for
// org.customer_managed_keys. DigitalOcean offers no customer-managed keys,
// so none of its kinds is listed.
func CustomerManagedKeyPredicates() []KindPredicate {
	return []KindPredicate{
		// AWS: a KMS key that is not AWS managed.
		{Kind: "aws_s3_bucket", Expr: `properties.server_side_encryption_configuration.rules.exists(r, ` +
			`r.apply_server_side_encryption_by_default.sse_algorithm.startsWith("aws:kms") && ` +
			`r.apply_server_side_encryption_by_default.?kms_master_key_id.orValue("") != "" && ` +
			awsCustomerKey("r.apply_server_side_encryption_by_default.kms_master_key_id") + `)`,
			Means: "default encryption is SSE-KMS (or DSSE-KMS) with a named key that is not AWS managed (not aws/s3)"},
		{Kind: "aws_ebs_volume", Expr: `properties.encrypted ? (properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id") + `) : false`,
			Means: "the volume is encrypted with a KMS key that is not AWS managed (not aws/ebs)"},
		{Kind: "aws_ebs_snapshot", Expr: `properties.encrypted ? (properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id") + `) : false`,
			Means: "the snapshot is encrypted with a KMS key that is not AWS managed (not aws/ebs)"},
		{Kind: "aws_rds_db_instance", Expr: `properties.storage_encrypted ? (properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id") + `) : false`,
			Means: "storage is encrypted with a KMS key that is not AWS managed (not aws/rds)"},
		{Kind: "aws_rds_db_cluster", Expr: `properties.storage_encrypted ? (properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id") + `) : false`,
			Means: "cluster storage is encrypted with a KMS key that is not AWS managed (not aws/rds)"},
		{Kind: "aws_rds_snapshot", Expr: `properties.encrypted ? (properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id") + `) : false`,
			Means: "the snapshot is encrypted with a KMS key that is not AWS managed (not aws/rds)"},
		{Kind: "aws_efs_file_system", Expr: `properties.encrypted ? (properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id") + `) : false`,
			Means: "the file system is encrypted with a KMS key that is not AWS managed (not aws/elasticfilesystem)"},
		{Kind: "aws_cloudtrail_trail", Expr: `properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id"),
			Means: "log files are encrypted with SSE-KMS under a key that is not AWS managed"},
		{Kind: "aws_cloudwatch_log_group", Expr: `properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id"),
			Means: "log events are encrypted with a KMS key that is not AWS managed (not the service key)"},
		{Kind: "aws_sns_topic", Expr: `properties.?kms_master_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_master_key_id"),
			Means: "messages are encrypted with a KMS key that is not AWS managed (not aws/sns)"},
		{Kind: "aws_sqs_queue", Expr: `properties.?kms_master_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_master_key_id"),
			Means: "messages are encrypted with SSE-KMS under a key that is not AWS managed (not SSE-SQS, not aws/sqs)"},
		{Kind: "aws_secretsmanager_secret", Expr: `properties.?kms_key_id.orValue("") != "" && ` + awsCustomerKey("properties.kms_key_id"),
			Means: "the secret is encrypted with a KMS key that is not AWS managed (not aws/secretsmanager)"},
		{Kind: "aws_eks_cluster", Expr: `properties.encryption_config.exists(c, "secrets" in c.resources && c.provider.key_arn != "")`,
			Means: "Kubernetes secrets are envelope-encrypted with a KMS key (EKS accepts only customer keys)"},
		// Google Cloud: a Cloud KMS key (or, for disks, a customer-supplied key).
		{Kind: "gcp_storage_bucket", Expr: `properties.?encryption.?default_kms_key_name.orValue("") != ""`,
			Means: "the bucket's default encryption names a Cloud KMS key"},
		{Kind: "gcp_compute_disk", Expr: `properties.?disk_encryption_key.?kms_key_name.orValue("") != "" || properties.?disk_encryption_key.?sha256.orValue("") != ""`,
			Means: "the disk is encrypted with a Cloud KMS key (CMEK) or a customer-supplied key (CSEK)"},
		{Kind: "gcp_dataproc_cluster", Expr: `properties.config.?encryption_config.?gce_pd_kms_key_name.orValue("") != ""`,
			Means: "the cluster's disks are encrypted with a Cloud KMS key (gce_pd_kms_key_name)"},
		{Kind: "gcp_bigquery_dataset", Expr: `properties.?default_encryption_configuration.?kms_key_name.orValue("") != ""`,
			Means: "the dataset's default encryption names a Cloud KMS key"},
		// Azure: a key in the customer's Key Vault.
		{Kind: "azure_storage_account", Expr: `properties.properties.encryption.key_source == "Microsoft.Keyvault"`,
			Means: "encryption uses a key in Key Vault (key_source Microsoft.Keyvault)"},
		{Kind: "azure_managed_disk", Expr: `properties.properties.encryption.type in ["EncryptionAtRestWithCustomerKey", "EncryptionAtRestWithPlatformAndCustomerKeys"]`,
			Means: "the disk is encrypted at rest with a customer key (disk encryption set)"},
		{Kind: "azure_sql_server", Expr: `properties.encryption_protector.properties.server_key_type == "AzureKeyVault"`,
			Means: "the TDE protector is a Key Vault key (server_key_type AzureKeyVault)"},
		{Kind: "azure_postgresql_flexible_server", Expr: `properties.properties.data_encryption.type == "AzureKeyVault"`,
			Means: "data is encrypted with a Key Vault key (data_encryption.type AzureKeyVault)"},
		{Kind: "azure_mysql_flexible_server", Expr: `properties.properties.data_encryption.type == "AzureKeyVault"`,
			Means: "data is encrypted with a Key Vault key (data_encryption.type AzureKeyVault)"},
		{Kind: "azure_cognitive_services_account", Expr: `properties.properties.?encryption.?key_source.orValue("") == "Microsoft.KeyVault"`,
			Means: "the account encrypts with a Key Vault key (encryption.key_source Microsoft.KeyVault)"},
	}
}

// predicateRule is one of the two kind-table rules of the company rules.
type predicateRule struct {
	id, key   string // check ID, cloudward.yaml key under org
	kinds     []string
	lines     []int
	table     []KindPredicate
	what      string // "public-exposure" or "customer-managed-key", for errors
	noneHint  map[resource.Provider]string
	negate    bool // the check passes when the predicate is false
	severity  finding.Severity
	area      responsibility.Area
	title     string
	desc      string
	risk      string
	remedy    string
	whatWords string
}

func (e *Env) predicateRules(org config.Org) []predicateRule {
	return []predicateRule{
		{
			id: OrgNoPublicExposureID, key: "forbidden_public_exposure", kinds: org.ForbiddenPublicExposure,
			lines: org.Lines.ForbiddenPublicExposure, table: PublicExposurePredicates(), what: "public-exposure",
			negate: true, severity: finding.High, area: responsibility.NetworkControls,
			title: "Resource is not publicly exposed",
			desc:  "No resource of a kind listed under org.forbidden_public_exposure in cloudward.yaml is publicly exposed. What counts as public, per kind: ",
			risk: "The company forbids public exposure for these kinds: a public resource is reachable by anyone on the internet, " +
				"so a weak password, an unpatched service or a mistaken file permission is exploited within hours by automated scanners.",
			remedy: "Remove the public access (public IP, 0.0.0.0/0 rule, allUsers or AllUsers grant, anonymous access, public policy statement) " +
				"and reach the resource through a private network, a VPN or bastion, or a CDN or load balancer in front of it; " +
				"or add an exception with its reason to org.exceptions when the exposure is intended.",
			whatWords: "public",
		},
		{
			id: OrgCustomerManagedKeysID, key: "customer_managed_keys", kinds: org.CustomerManagedKeys,
			lines: org.Lines.CustomerManagedKeys, table: CustomerManagedKeyPredicates(), what: "customer-managed-key",
			noneHint: map[resource.Provider]string{resource.DigitalOcean: "DigitalOcean offers no customer-managed keys"},
			severity: finding.Medium, area: responsibility.Encryption,
			title: "Resource is encrypted with a customer-managed key",
			desc:  "Every resource of a kind listed under org.customer_managed_keys in cloudward.yaml is encrypted with a key the company manages. Per kind: ",
			risk: "Data encrypted with provider-managed keys can be read by anyone the provider's service lets in: the company cannot revoke " +
				"access by disabling the key, cannot restrict and audit key use separately, and may breach contracts or regulations " +
				"(PCI DSS, HIPAA, customer agreements) that require customer-controlled keys.",
			remedy: "Create a key in AWS KMS, Cloud KMS or Azure Key Vault with rotation on, grant the service access to it, and " +
				"re-encrypt the resource with it (copy or snapshot and restore where the key cannot be changed in place).",
			whatWords: "encrypted with a customer-managed key",
		},
	}
}

// validatePredicateRules reports, at the rule's file:line, unknown kinds
// and kinds the rule's table has no predicate for.
func (e *Env) validatePredicateRules(ps *config.Problems, org config.Org) {
	for _, r := range e.predicateRules(org) {
		byKind := map[string]bool{}
		for _, p := range r.table {
			byKind[p.Kind] = true
		}
		for i, name := range r.kinds {
			if name == config.AllKinds {
				continue
			}
			line := org.Lines.At(r.lines, i, 0)
			k, ok := e.reg.Lookup(name)
			switch {
			case !ok:
				ps.Add(line, "org.%s: unknown kind %q (see `cloudward kinds`)", r.key, name)
			case !byKind[name]:
				hint := r.noneHint[k.Provider]
				if hint == "" {
					hint = "kinds with one: " + strings.Join(r.supported(e.reg, k.Provider), ", ")
				}
				ps.Add(line, "org.%s: kind %s has no %s predicate (%s)", r.key, name, r.what, hint)
			}
		}
	}
}

// supported lists the registered kinds of provider p the rule's table
// covers.
func (r predicateRule) supported(reg *resource.Registry, p resource.Provider) []string {
	var out []string
	for _, pr := range r.table {
		if k, ok := reg.Lookup(pr.Kind); ok && k.Provider == p {
			out = append(out, pr.Kind)
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// predicateChecks builds the checks of org.forbidden_public_exposure and
// org.customer_managed_keys: one check each, over the selected kinds, whose
// condition dispatches on resource.kind to the kind's predicate.
func (e *Env) predicateChecks(org config.Org) []*Check {
	var out []*Check
	for _, r := range e.predicateRules(org) {
		if len(r.kinds) == 0 {
			continue
		}
		var sel []KindPredicate
		all := slices.Contains(r.kinds, config.AllKinds)
		for _, p := range r.table {
			if _, ok := e.reg.Lookup(p.Kind); !ok {
				continue
			}
			if all || slices.Contains(r.kinds, p.Kind) {
				sel = append(sel, p)
			}
		}
		if len(sel) == 0 {
			continue
		}
		slices.SortFunc(sel, func(a, b KindPredicate) int { return strings.Compare(a.Kind, b.Kind) })
		kinds := make([]string, len(sel))
		var cond, means strings.Builder
		for i, p := range sel {
			kinds[i] = p.Kind
			test := "(" + p.Expr + ")"
			if r.negate {
				test = "!" + test
			}
			fmt.Fprintf(&cond, "resource.kind == %s ? %s :\n", strconv.Quote(p.Kind), test)
			if i > 0 {
				means.WriteString("; ")
			}
			fmt.Fprintf(&means, "%s: %s when %s", p.Kind, r.whatWords, p.Means)
		}
		cond.WriteString("true")
		out = append(out, &Check{
			ID: r.id, Title: r.title, Severity: r.severity, Kinds: kinds, Area: r.area,
			Condition:   cond.String(),
			Description: r.desc + means.String() + ".",
			Risk:        r.risk,
			Remediation: Remediation{Text: r.remedy},
			Generated:   true,
		})
	}
	return out
}
