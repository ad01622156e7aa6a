package policy_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/config"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
)

// predicateSample is one resource a kind predicate is tried on.
type predicateSample struct {
	name   string
	expect policy.Expectation
	props  string   // JSON properties
	keys   []string // JSON properties of aws_kms_key resources in the account
	acct   string   // JSON properties of the aws_account, if any
}

// publicSamples: pass = not public, fail = public.
var publicSamples = map[string][]predicateSample{
	"aws_s3_bucket": {
		{name: "private", expect: "pass", props: `{"policy_status": {"is_public": false}, "public_access_block": {"restrict_public_buckets": false, "ignore_public_acls": false}, "acl": {"grants": [{"grantee": {"type": "CanonicalUser", "id": "abc"}, "permission": "FULL_CONTROL"}]}}`},
		{name: "public policy", expect: "fail", props: `{"policy_status": {"is_public": true}, "public_access_block": {"restrict_public_buckets": false, "ignore_public_acls": false}, "acl": {"grants": []}}`},
		{name: "public policy restricted by the account", expect: "pass", acct: `{"public_access_block": {"restrict_public_buckets": true, "ignore_public_acls": true}}`,
			props: `{"policy_status": {"is_public": true}, "public_access_block": {"restrict_public_buckets": false, "ignore_public_acls": false}, "acl": {"grants": []}}`},
		{name: "AllUsers ACL", expect: "fail", props: `{"policy_status": {"is_public": false}, "public_access_block": {"restrict_public_buckets": false, "ignore_public_acls": false}, "acl": {"grants": [{"grantee": {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}, "permission": "READ"}]}}`},
		{name: "AllUsers ACL ignored by the bucket", expect: "pass", props: `{"policy_status": {"is_public": false}, "public_access_block": {"restrict_public_buckets": false, "ignore_public_acls": true}, "acl": {"grants": [{"grantee": {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}, "permission": "READ"}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_ec2_security_group": {
		{name: "internal only", expect: "pass", props: `{"ip_permissions": [{"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "ip_ranges": [{"cidr_ip": "10.0.0.0/8"}], "ipv6_ranges": []}]}`},
		{name: "https from anywhere", expect: "fail", props: `{"ip_permissions": [{"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "ip_ranges": [{"cidr_ip": "0.0.0.0/0"}], "ipv6_ranges": []}]}`},
		{name: "IPv6 anywhere", expect: "fail", props: `{"ip_permissions": [{"ip_protocol": "-1", "ip_ranges": [], "ipv6_ranges": [{"cidr_ipv6": "::/0"}]}]}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_ec2_image": {
		{name: "private", expect: "pass", props: `{"public": false}`},
		{name: "public", expect: "fail", props: `{"public": true}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_ebs_snapshot": {
		{name: "private", expect: "pass", props: `{"public": false}`},
		{name: "public", expect: "fail", props: `{"public": true}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_rds_snapshot": {
		{name: "private", expect: "pass", props: `{"public": false, "restore_accounts": []}`},
		{name: "public", expect: "fail", props: `{"public": true, "restore_accounts": ["all"]}`},
		{name: "attribute not read", expect: "error", props: `{"snapshot_type": "manual"}`},
	},
	"aws_rds_db_cluster": {
		{name: "Aurora (judged by its instances)", expect: "pass", props: `{"engine": "aurora-postgresql"}`},
		{name: "private Multi-AZ cluster", expect: "pass", props: `{"publicly_accessible": false}`},
		{name: "public Multi-AZ cluster", expect: "fail", props: `{"publicly_accessible": true}`},
	},
	"aws_elbv2_load_balancer": {
		{name: "internal", expect: "pass", props: `{"scheme": "internal"}`},
		{name: "internet-facing", expect: "fail", props: `{"scheme": "internet-facing"}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"gcp_cloudfunctions_function": {
		{name: "internal, invoker is a service account", expect: "pass", props: `{"service_config": {"ingress_settings": "ALLOW_INTERNAL_ONLY"}, "iam_policy": {"bindings": [{"role": "roles/cloudfunctions.invoker", "members": ["serviceAccount:a@p.iam.gserviceaccount.com"]}]}}`},
		{name: "anyone may invoke", expect: "fail", props: `{"service_config": {"ingress_settings": "ALLOW_INTERNAL_ONLY"}, "iam_policy": {"bindings": [{"role": "roles/cloudfunctions.invoker", "members": ["allUsers"]}]}}`},
		{name: "internet ingress", expect: "fail", props: `{"service_config": {"ingress_settings": "ALLOW_ALL"}, "iam_policy": {"bindings": []}}`},
		{name: "not collected", expect: "error", props: `{"iam_policy": {"bindings": []}}`},
	},
	"aws_ec2_instance": {
		{name: "private address only", expect: "pass", props: `{"private_ip_address": "10.0.1.5"}`},
		{name: "public address", expect: "fail", props: `{"private_ip_address": "10.0.1.5", "public_ip_address": "54.12.3.4"}`},
	},
	"aws_rds_db_instance": {
		{name: "private", expect: "pass", props: `{"publicly_accessible": false}`},
		{name: "publicly accessible", expect: "fail", props: `{"publicly_accessible": true}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_eks_cluster": {
		{name: "private endpoint", expect: "pass", props: `{"resources_vpc_config": {"endpoint_public_access": false, "public_access_cidrs": ["0.0.0.0/0"]}}`},
		{name: "public endpoint for the office", expect: "pass", props: `{"resources_vpc_config": {"endpoint_public_access": true, "public_access_cidrs": ["203.0.113.0/24"]}}`},
		{name: "public endpoint for everyone", expect: "fail", props: `{"resources_vpc_config": {"endpoint_public_access": true, "public_access_cidrs": ["0.0.0.0/0"]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_lambda_function": {
		{name: "no function URL", expect: "pass", props: `{"function_name": "f", "policy": null}`},
		{name: "IAM-authenticated URL", expect: "pass", props: `{"function_url_config": {"function_url": "https://x.lambda-url.us-east-1.on.aws/", "auth_type": "AWS_IAM"}, "policy": null}`},
		{name: "open URL", expect: "fail", props: `{"function_url_config": {"function_url": "https://x.lambda-url.us-east-1.on.aws/", "auth_type": "NONE"}, "policy": null}`},
		{name: "anyone may invoke", expect: "fail", props: `{"policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["lambda:InvokeFunction"], "Resource": ["*"]}]}}`},
		{name: "policy not collected", expect: "error", props: `{"function_name": "f"}`},
	},
	"aws_sqs_queue": {
		{name: "account only", expect: "pass", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:root"]}, "Action": ["sqs:SendMessage"], "Resource": ["*"]}]}}`},
		{name: "no policy", expect: "pass", props: `{"policy": null}`},
		{name: "everyone", expect: "fail", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["sqs:SendMessage"], "Resource": ["*"]}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_sns_topic": {
		{name: "account only", expect: "pass", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:root"]}, "Action": ["sns:Publish"], "Resource": ["*"]}]}}`},
		{name: "no policy", expect: "pass", props: `{"policy": null}`},
		{name: "everyone", expect: "fail", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["sns:Publish"], "Resource": ["*"]}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_secretsmanager_secret": {
		{name: "account only", expect: "pass", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:root"]}, "Action": ["secretsmanager:GetSecretValue"], "Resource": ["*"]}]}}`},
		{name: "no policy", expect: "pass", props: `{"policy": null}`},
		{name: "everyone", expect: "fail", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["secretsmanager:GetSecretValue"], "Resource": ["*"]}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_kms_key": {
		{name: "account only", expect: "pass", props: `{"key_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:root"]}, "Action": ["kms:Decrypt"], "Resource": ["*"]}]}}`},
		{name: "no policy", expect: "pass", props: `{"key_policy": null}`},
		{name: "everyone", expect: "fail", props: `{"key_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["kms:Decrypt"], "Resource": ["*"]}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_eventbridge_event_bus": {
		{name: "account only", expect: "pass", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:root"]}, "Action": ["events:PutEvents"], "Resource": ["*"]}]}}`},
		{name: "no policy", expect: "pass", props: `{"policy": null}`},
		{name: "everyone", expect: "fail", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["events:PutEvents"], "Resource": ["*"]}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_glacier_vault": {
		{name: "account only", expect: "pass", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111111111111:root"]}, "Action": ["glacier:InitiateJob"], "Resource": ["*"]}]}}`},
		{name: "no policy", expect: "pass", props: `{"policy": null}`},
		{name: "everyone", expect: "fail", props: `{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["glacier:InitiateJob"], "Resource": ["*"]}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"gcp_storage_bucket": {
		{name: "team only", expect: "pass", props: `{"iam_policy": {"bindings": [{"role": "roles/storage.objectViewer", "members": ["group:data@acme.example"]}]}}`},
		{name: "allUsers", expect: "fail", props: `{"iam_policy": {"bindings": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"gcp_compute_firewall": {
		{name: "egress rule", expect: "pass", props: `{"direction": "EGRESS", "disabled": false, "destination_ranges": ["0.0.0.0/0"]}`},
		{name: "disabled ingress", expect: "pass", props: `{"direction": "INGRESS", "disabled": true, "source_ranges": ["0.0.0.0/0"]}`},
		{name: "internal ingress", expect: "pass", props: `{"direction": "INGRESS", "disabled": false, "source_ranges": ["10.128.0.0/9"]}`},
		{name: "ingress from anywhere", expect: "fail", props: `{"direction": "INGRESS", "disabled": false, "source_ranges": ["0.0.0.0/0"]}`},
		{name: "direction not collected", expect: "error", props: `{"disabled": false, "source_ranges": ["0.0.0.0/0"]}`},
	},
	"gcp_compute_instance": {
		{name: "internal IP only", expect: "pass", props: `{"network_interfaces": [{"network_ip": "10.128.0.2"}]}`},
		{name: "external IP", expect: "fail", props: `{"network_interfaces": [{"network_ip": "10.128.0.2", "access_configs": [{"nat_ip": "34.1.2.3"}]}]}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"gcp_sql_instance": {
		{name: "private IP only", expect: "pass", props: `{"settings": {"ip_configuration": {"ipv4_enabled": false}}}`},
		{name: "public IP", expect: "fail", props: `{"settings": {"ip_configuration": {"ipv4_enabled": true, "authorized_networks": []}}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"gcp_bigquery_dataset": {
		{name: "named readers", expect: "pass", props: `{"access": [{"role": "READER", "user_by_email": "bi@acme.example"}]}`},
		{name: "allUsers", expect: "fail", props: `{"access": [{"role": "READER", "iam_member": "allUsers"}]}`},
		{name: "allAuthenticatedUsers", expect: "fail", props: `{"access": [{"role": "READER", "special_group": "allAuthenticatedUsers"}]}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"gcp_kms_crypto_key": {
		{name: "service account only", expect: "pass", props: `{"iam_policy": {"bindings": [{"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "members": ["serviceAccount:app@p.iam.gserviceaccount.com"]}]}}`},
		{name: "allAuthenticatedUsers", expect: "fail", props: `{"iam_policy": {"bindings": [{"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "members": ["allAuthenticatedUsers"]}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_storage_account": {
		{name: "no anonymous access", expect: "pass", props: `{"properties": {"allow_blob_public_access": false}}`},
		{name: "anonymous access allowed", expect: "fail", props: `{"properties": {"allow_blob_public_access": true}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_storage_container": {
		{name: "private", expect: "pass", props: `{"properties": {"public_access": "None"}}`},
		{name: "blob level", expect: "fail", props: `{"properties": {"public_access": "Blob"}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_network_security_group": {
		{name: "internal source", expect: "pass", props: `{"properties": {"security_rules": [{"properties": {"direction": "Inbound", "access": "Allow", "source_address_prefix": "10.0.0.0/8", "source_address_prefixes": []}}]}}`},
		{name: "deny from the internet", expect: "pass", props: `{"properties": {"security_rules": [{"properties": {"direction": "Inbound", "access": "Deny", "source_address_prefix": "Internet", "source_address_prefixes": []}}]}}`},
		{name: "allow from the internet", expect: "fail", props: `{"properties": {"security_rules": [{"properties": {"direction": "Inbound", "access": "Allow", "source_address_prefix": "Internet", "source_address_prefixes": []}}]}}`},
		{name: "allow from a prefix list with 0.0.0.0/0", expect: "fail", props: `{"properties": {"security_rules": [{"properties": {"direction": "Inbound", "access": "Allow", "source_address_prefixes": ["10.0.0.0/8", "0.0.0.0/0"]}}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_sql_server": {
		{name: "office range", expect: "pass", props: `{"firewall_rules": [{"properties": {"start_ip_address": "203.0.113.1", "end_ip_address": "203.0.113.254"}}]}`},
		{name: "every address", expect: "fail", props: `{"firewall_rules": [{"properties": {"start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}}]}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_postgresql_flexible_server": {
		{name: "VNet integrated", expect: "pass", props: `{"properties": {"network": {"public_network_access": "Disabled"}}, "firewall_rules": []}`},
		{name: "public with office range", expect: "pass", props: `{"properties": {"network": {"public_network_access": "Enabled"}}, "firewall_rules": [{"name": "office", "properties": {"start_ip_address": "203.0.113.1", "end_ip_address": "203.0.113.254"}}]}`},
		{name: "open to the internet", expect: "fail", props: `{"properties": {"network": {"public_network_access": "Enabled"}}, "firewall_rules": [{"name": "all", "properties": {"start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}}]}`},
		{name: "not collected", expect: "error", props: `{"firewall_rules": [{"name": "all", "properties": {"start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}}]}`},
	},
	"azure_mysql_flexible_server": {
		{name: "public with office range", expect: "pass", props: `{"properties": {"network": {"public_network_access": "Enabled"}}, "firewall_rules": [{"name": "office", "properties": {"start_ip_address": "203.0.113.1", "end_ip_address": "203.0.113.254"}}]}`},
		{name: "open to the internet", expect: "fail", props: `{"properties": {"network": {"public_network_access": "Enabled"}}, "firewall_rules": [{"name": "all", "properties": {"start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}}]}`},
	},
	"azure_key_vault": {
		{name: "private", expect: "pass", props: `{"properties": {"public_network_access": "Disabled", "network_acls": {"default_action": "Allow"}}}`},
		{name: "firewall denies by default", expect: "pass", props: `{"properties": {"public_network_access": "Enabled", "network_acls": {"default_action": "Deny"}}}`},
		{name: "open", expect: "fail", props: `{"properties": {"public_network_access": "Enabled", "network_acls": {"default_action": "Allow"}}}`},
		{name: "not collected", expect: "error", props: `{"properties": {"public_network_access": "Enabled"}}`},
	},
	"do_spaces_bucket": {
		{name: "private, no policy", expect: "pass", props: `{"acl": {"grants": []}, "policy_status": "none", "policy": null}`},
		{name: "policy restricted by source IP", expect: "pass", props: `{"acl": {"grants": []}, "policy_status": "present", "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:GetObject"], "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}]}}`},
		{name: "public-read ACL", expect: "fail", props: `{"acl": {"grants": [{"grantee": {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}, "permission": "READ"}]}, "policy_status": "none", "policy": null}`},
		{name: "public policy", expect: "fail", props: `{"acl": {"grants": []}, "policy_status": "present", "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:GetObject"]}]}}`},
		{name: "policy unread", expect: "error", props: `{"acl": {"grants": []}, "policy_status": "unread"}`},
	},
	"do_firewall": {
		{name: "VPC only", expect: "pass", props: `{"inbound_rules": [{"protocol": "tcp", "ports": "22", "sources": {"addresses": ["10.10.0.0/16"]}}]}`},
		{name: "tag source", expect: "pass", props: `{"inbound_rules": [{"protocol": "tcp", "ports": "5432", "sources": {"tags": ["web"]}}]}`},
		{name: "open to the world", expect: "fail", props: `{"inbound_rules": [{"protocol": "tcp", "ports": "443", "sources": {"addresses": ["0.0.0.0/0", "::/0"]}}]}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"do_database_cluster": {
		{name: "trusted Droplets", expect: "pass", props: `{"firewall_rules": [{"type": "droplet", "value": "101"}]}`},
		{name: "no trusted sources", expect: "fail", props: `{"firewall_rules": []}`},
		{name: "trusts everyone", expect: "fail", props: `{"firewall_rules": [{"type": "ip_addr", "value": "0.0.0.0/0"}]}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"do_droplet": {
		{name: "VPC only", expect: "pass", props: `{"networks": {"v4": [{"ip_address": "10.110.0.2", "type": "private"}], "v6": []}}`},
		{name: "public IPv4", expect: "fail", props: `{"networks": {"v4": [{"ip_address": "10.110.0.2", "type": "private"}, {"ip_address": "159.203.1.2", "type": "public"}], "v6": []}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
}

const (
	customerKey = `{"arn": "arn:aws:kms:us-east-1:111111111111:key/1111", "key_id": "1111", "key_manager": "CUSTOMER"}`
	awsKey      = `{"arn": "arn:aws:kms:us-east-1:111111111111:key/2222", "key_id": "2222", "key_manager": "AWS"}`
)

// cmkSamples: pass = customer-managed key, fail = not.
var cmkSamples = map[string][]predicateSample{
	"aws_s3_bucket": {
		{name: "customer key", expect: "pass", keys: []string{customerKey, awsKey},
			props: `{"server_side_encryption_configuration": {"rules": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}}]}}`},
		{name: "key of another account", expect: "pass", keys: []string{awsKey},
			props: `{"server_side_encryption_configuration": {"rules": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms:dsse", "kms_master_key_id": "arn:aws:kms:us-east-1:222222222222:key/9999"}}]}}`},
		{name: "SSE-S3", expect: "fail", props: `{"server_side_encryption_configuration": {"rules": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]}}`},
		{name: "SSE-KMS with the default aws/s3 key", expect: "fail", props: `{"server_side_encryption_configuration": {"rules": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}]}}`},
		{name: "AWS managed key by ARN", expect: "fail", keys: []string{awsKey},
			props: `{"server_side_encryption_configuration": {"rules": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:us-east-1:111111111111:key/2222"}}]}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_ebs_volume": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "aws/ebs", expect: "fail", keys: []string{awsKey}, props: `{"encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/2222"}`},
		{name: "unencrypted", expect: "fail", props: `{"encrypted": false}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_ebs_snapshot": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "unencrypted", expect: "fail", props: `{"encrypted": false}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"gcp_dataproc_cluster": {
		{name: "CMEK", expect: "pass", props: `{"config": {"encryption_config": {"gce_pd_kms_key_name": "projects/p/locations/us/keyRings/r/cryptoKeys/k"}}}`},
		{name: "Google-managed", expect: "fail", props: `{"config": {}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_rds_db_instance": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"storage_encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "aws/rds alias", expect: "fail", props: `{"storage_encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:alias/aws/rds"}`},
		{name: "unencrypted", expect: "fail", props: `{"storage_encrypted": false}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_rds_db_cluster": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"storage_encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "AWS managed key", expect: "fail", keys: []string{awsKey}, props: `{"storage_encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/2222"}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_rds_snapshot": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "unencrypted", expect: "fail", props: `{"encrypted": false}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_efs_file_system": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "AWS managed key", expect: "fail", keys: []string{awsKey}, props: `{"encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/2222"}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"aws_cloudtrail_trail": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "SSE-S3", expect: "fail", props: `{"name": "t"}`},
	},
	"aws_cloudwatch_log_group": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "service key", expect: "fail", props: `{"log_group_name": "g"}`},
	},
	"aws_sns_topic": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"kms_master_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "aws/sns", expect: "fail", props: `{"kms_master_key_id": "alias/aws/sns"}`},
	},
	"aws_sqs_queue": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"sqs_managed_sse_enabled": false, "kms_master_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "SSE-SQS", expect: "fail", props: `{"sqs_managed_sse_enabled": true}`},
	},
	"aws_secretsmanager_secret": {
		{name: "customer key", expect: "pass", keys: []string{customerKey}, props: `{"kms_key_id": "arn:aws:kms:us-east-1:111111111111:key/1111"}`},
		{name: "aws/secretsmanager", expect: "fail", props: `{"name": "s"}`},
	},
	"aws_eks_cluster": {
		{name: "secrets encrypted", expect: "pass", props: `{"encryption_config": [{"resources": ["secrets"], "provider": {"key_arn": "arn:aws:kms:us-east-1:111111111111:key/1111"}}]}`},
		{name: "no envelope encryption", expect: "fail", props: `{"encryption_config": []}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"gcp_storage_bucket": {
		{name: "CMEK", expect: "pass", props: `{"encryption": {"default_kms_key_name": "projects/p/locations/us/keyRings/r/cryptoKeys/k"}}`},
		{name: "Google-managed", expect: "fail", props: `{"name": "b"}`},
	},
	"gcp_compute_disk": {
		{name: "CMEK", expect: "pass", props: `{"disk_encryption_key": {"kms_key_name": "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"}}`},
		{name: "CSEK", expect: "pass", props: `{"disk_encryption_key": {"sha256": "bWFkZSB1cA=="}}`},
		{name: "Google-managed", expect: "fail", props: `{"name": "d"}`},
	},
	"gcp_bigquery_dataset": {
		{name: "CMEK", expect: "pass", props: `{"default_encryption_configuration": {"kms_key_name": "projects/p/locations/eu/keyRings/r/cryptoKeys/k"}}`},
		{name: "Google-managed", expect: "fail", props: `{"id": "p:d"}`},
	},
	"azure_storage_account": {
		{name: "Key Vault key", expect: "pass", props: `{"properties": {"encryption": {"key_source": "Microsoft.Keyvault"}}}`},
		{name: "platform key", expect: "fail", props: `{"properties": {"encryption": {"key_source": "Microsoft.Storage"}}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_managed_disk": {
		{name: "customer key", expect: "pass", props: `{"properties": {"encryption": {"type": "EncryptionAtRestWithCustomerKey"}}}`},
		{name: "platform key", expect: "fail", props: `{"properties": {"encryption": {"type": "EncryptionAtRestWithPlatformKey"}}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_postgresql_flexible_server": {
		{name: "Key Vault key", expect: "pass", props: `{"properties": {"data_encryption": {"type": "AzureKeyVault"}}}`},
		{name: "system managed", expect: "fail", props: `{"properties": {"data_encryption": {"type": "SystemManaged"}}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_mysql_flexible_server": {
		{name: "Key Vault key", expect: "pass", props: `{"properties": {"data_encryption": {"type": "AzureKeyVault"}}}`},
		{name: "system managed", expect: "fail", props: `{"properties": {"data_encryption": {"type": "SystemManaged"}}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_cognitive_services_account": {
		{name: "Key Vault key", expect: "pass", props: `{"properties": {"encryption": {"key_source": "Microsoft.KeyVault"}}}`},
		{name: "Microsoft-managed", expect: "fail", props: `{"properties": {"public_network_access": "Disabled"}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
	"azure_sql_server": {
		{name: "Key Vault protector", expect: "pass", props: `{"encryption_protector": {"kind": "azurekeyvault", "properties": {"server_key_type": "AzureKeyVault"}}}`},
		{name: "service-managed protector", expect: "fail", props: `{"encryption_protector": {"kind": "servicemanaged", "properties": {"server_key_type": "ServiceManaged"}}}`},
		{name: "not collected", expect: "error", props: `{}`},
	},
}

// TestKindPredicateTables runs every row of the public-exposure and
// customer-managed-key tables through the generated check: each kind is
// registered, has a passing and a failing sample, and gives the verdict
// its samples expect (ERROR when a field it reads is missing).
func TestKindPredicateTables(t *testing.T) {
	env := builtinEnv(t)
	tables := []struct {
		name    string
		org     config.Org
		table   []policy.KindPredicate
		samples map[string][]predicateSample
	}{
		{"public", config.Org{ForbiddenPublicExposure: []string{config.AllKinds}}, policy.PublicExposurePredicates(), publicSamples},
		{"cmk", config.Org{CustomerManagedKeys: []string{config.AllKinds}}, policy.CustomerManagedKeyPredicates(), cmkSamples},
	}
	for _, tb := range tables {
		t.Run(tb.name, func(t *testing.T) {
			checks, err := env.OrgChecks(tb.org)
			if err != nil {
				t.Fatal(err)
			}
			if len(checks) != 1 {
				t.Fatalf("%d checks, want 1", len(checks))
			}
			c := checks[0]
			seen := map[string]bool{}
			for _, p := range tb.table {
				if seen[p.Kind] {
					t.Errorf("%s listed twice", p.Kind)
				}
				seen[p.Kind] = true
				if !slices.Contains(c.Kinds, p.Kind) {
					t.Errorf("%s: not a registered kind (the check covers %v)", p.Kind, c.Kinds)
				}
				if p.Means == "" {
					t.Errorf("%s: no plain-words meaning", p.Kind)
				}
				got := map[policy.Expectation]bool{}
				for _, s := range tb.samples[p.Kind] {
					got[s.expect] = true
				}
				if !got["pass"] || !got["fail"] {
					t.Errorf("%s: needs a passing and a failing sample", p.Kind)
				}
			}
			for kind, samples := range tb.samples {
				if !seen[kind] {
					t.Errorf("samples for %s, which the table lacks", kind)
					continue
				}
				k, _ := env.Registry().Lookup(kind)
				for _, s := range samples {
					t.Run(kind+"/"+s.name, func(t *testing.T) {
						tc := sampleCase(t, k, s)
						res, err := policy.RunTest(t.Context(), c, tc)
						if err != nil {
							t.Fatal(err)
						}
						if !res.OK() {
							t.Errorf("%s", res)
						}
					})
				}
			}
		})
	}
}

func sampleCase(t *testing.T, k resource.Kind, s predicateSample) policy.TestCase {
	t.Helper()
	if !json.Valid([]byte(s.props)) {
		t.Fatalf("bad JSON: %s", s.props)
	}
	account, region := policy.TestDefaults(k.Provider)
	if k.Global {
		region = resource.GlobalRegion
	}
	tc := policy.TestCase{
		Name: s.name, Expect: s.expect, Now: policy.TestNow(),
		Resource: resource.Resource{UID: "test:" + k.Name, Provider: k.Provider, Account: account, Region: region,
			Kind: k.Name, Name: "test", Properties: json.RawMessage(s.props)},
	}
	for i, key := range s.keys {
		tc.Related = append(tc.Related, resource.Resource{UID: "test:key:" + string(rune('a'+i)), Provider: resource.AWS,
			Account: account, Region: region, Kind: "aws_kms_key", Name: "key", Properties: json.RawMessage(key)})
	}
	if s.acct != "" {
		tc.Related = append(tc.Related, resource.Resource{UID: "test:account", Provider: resource.AWS, Account: account,
			Region: resource.GlobalRegion, Kind: "aws_account", Name: "account", Properties: json.RawMessage(s.acct)})
	}
	return tc
}

// TestKindPredicatesDocumented: docs/company-rules.md names every kind of
// both tables, so the reviewed table and the user's documentation agree.
func TestKindPredicatesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/company-rules.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(policy.PublicExposurePredicates(), policy.CustomerManagedKeyPredicates()...) {
		if !strings.Contains(string(doc), "`"+p.Kind+"`") {
			t.Errorf("docs/company-rules.md does not mention `%s`", p.Kind)
		}
	}
}
