package demo

import (
	"fmt"
	"time"

	"cloudward/internal/resource"
)

// The AWS AI estate (SageMaker, Bedrock), shaped like the AWS collector's
// sagemaker.go and bedrock.go (see internal/collect/aws for every field).
// acme-prod runs a fraud-scoring model on SageMaker and a support assistant
// on Bedrock, configured with care; acme-dev experiments.
//
// Planted misconfigurations:
//
//	acme-prod  knowledge base website-faq indexing the public bucket
//	           acme-prod-marketing-site.
//	acme-dev   notebook ds-sandbox with direct internet access, root access,
//	           IMDSv1, no customer managed key, and running as a role holding
//	           AdministratorAccess; Studio domain acme-dev-studio with public
//	           internet access and no customer managed key; endpoint config
//	           churn-poc without a customer managed key; model churn-poc-model
//	           outside any VPC and without network isolation, with a token in
//	           its environment; training job churn-poc-train without network
//	           isolation, inter-container encryption or a customer managed
//	           output key, with an API key in its environment; custom model
//	           dev-summarizer without a customer managed key; agent it-triage
//	           without a guardrail or customer managed key; Bedrock model
//	           invocation logging off in us-east-1.
//
// Collection error: Bedrock denied by a service control policy in acme-dev
// eu-central-1 (so no invocation logging configuration there).

type obj = map[string]any

// awsAIRole adds an IAM role that an AI service assumes.
func (e *estate) awsAIRole(ai int, name, service string, policies []awsAttachedPolicy) string {
	if policies == nil {
		policies = []awsAttachedPolicy{}
	}
	e.awsAddRole(ai, name, "assumed by "+service, awsTrust(service), policies, awsTags(awsAccts[ai], "data-team"))
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", awsAccts[ai].id, name)
}

// awsAIEdges links an AI resource to what it reaches.
func (e *estate) awsAIEdges(uid string, reads, writes []string, key, role string, sgs []string, vpc string) {
	for _, b := range reads {
		e.edge(uid, b, "reads_data")
	}
	for _, b := range writes {
		e.edge(uid, b, "writes_data")
	}
	if key != "" {
		e.edge(uid, key, "encrypted_with")
	}
	if role != "" {
		e.edge(uid, role, "execution_role")
	}
	for _, sg := range sgs {
		e.edge(uid, sg, "uses_security_group")
	}
	if vpc != "" {
		e.edge(uid, vpc, "in_vpc")
	}
}

func bucketARN(name string) string { return "arn:aws:s3:::" + name }

// awsAIBase adds the AWS AI resources (SageMaker, Bedrock) of the base estate.
func (e *estate) awsAIBase() {
	e.awsAILogging()
	e.awsAIProd()
	e.awsAIDev()
}

// awsAILogging adds the Bedrock invocation logging configuration of every
// account and region: delivered to CloudWatch Logs and S3, except in
// acme-dev us-east-1.
func (e *estate) awsAILogging() {
	for ai, a := range awsAccts {
		logBucket := fmt.Sprintf("acme-%s-bedrock-logs", a.env)
		for _, region := range awsRegions {
			if a.env == "development" && region == "eu-central-1" {
				// A service control policy keeps Bedrock to the approved
				// regions: nothing can be read there, not even the
				// logging configuration.
				e.collectionError(resource.CollectionError{
					Provider: resource.AWS, Account: a.id, Region: region, Service: "bedrock",
					Op: "bedrock:GetModelInvocationLoggingConfiguration", Kind: resource.Denied,
					Message: "AccessDeniedException: User: arn:aws:sts::" + a.id + ":assumed-role/cloudward-audit/scan is not authorized to perform: bedrock:GetModelInvocationLoggingConfiguration with an explicit deny in a service control policy",
				})
				continue
			}
			uid := fmt.Sprintf("arn:aws:bedrock:%s:%s:model-invocation-logging", region, a.id)
			p := obj{"logging_enabled": false}
			if a.env == "development" && region == "us-east-1" {
				e.plant(uid, "aws-bedrock-model-invocation-logging-enabled", "nobody turned invocation logging on in the account where developers try models")
			} else {
				role := fmt.Sprintf("arn:aws:iam::%s:role/acme-bedrock-logging", a.id)
				p = obj{
					"logging_enabled": true,
					"cloud_watch_config": obj{"log_group_name": "/aws/bedrock/invocations", "role_arn": role,
						"large_data_delivery_s3_config": obj{"bucket_name": logBucket, "key_prefix": region + "/large/"}},
					"s3_config":                  obj{"bucket_name": logBucket, "key_prefix": region + "/invocations/"},
					"text_data_delivery_enabled": true, "image_data_delivery_enabled": true,
					"embedding_data_delivery_enabled": false, "video_data_delivery_enabled": false,
				}
				e.edge(uid, bucketARN(logBucket), "writes_data")
				e.edge(uid, role, "execution_role")
			}
			r := e.awsResource(a, region, "aws_bedrock_model_invocation_logging", uid, "model-invocation-logging", nil, 0)
			r.CreatedAt = time.Time{}
			e.add(r, p)
		}
		b := e.awsBucket(ai, "us-east-1", logBucket, days(300))
		e.awsAddBucket(ai, &b, awsTags(a, "security-team"), days(300))
		e.awsAIRole(ai, "acme-bedrock-logging", "bedrock.amazonaws.com", nil)
	}
}

// awsAIProd is production: SageMaker fraud scoring and a Bedrock support
// assistant, configured with care (one plant: a knowledge base over the
// public marketing-site bucket).
func (e *estate) awsAIProd() {
	const ai, ri = 1, 0
	a, region := awsAccts[ai], awsRegions[ri]
	key := awsKeyARN(ai, ri)
	tags := awsTags(a, "data-team")
	arn := func(service, rest string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, a.id, rest)
	}
	vpc := "vpc-0a2200000000000a1"
	vpcUID := arn("ec2", "vpc/"+vpc)
	sg := awsSG(a, "sg-0a1000000000000a1", "acme-ml-private", "SageMaker and Bedrock jobs (no inbound)", vpc, nil)
	e.awsAddSG(a, region, &sg, awsTags(a, "data-team"))
	sgUID := arn("ec2", "security-group/"+sg.GroupID)
	subnets := []string{"subnet-0a2200000000000a1"}

	for _, name := range []string{"acme-prod-ml-training", "acme-prod-ml-artifacts", "acme-prod-ml-capture", "acme-prod-support-docs", "acme-prod-support-transcripts"} {
		b := e.awsBucket(ai, region, name, days(400))
		b.Logging = awsAccessLogs(ai, ri, name)
		e.awsAddBucket(ai, &b, tags, days(400))
	}
	smRole := e.awsAIRole(ai, "acme-sagemaker-exec", "sagemaker.amazonaws.com",
		[]awsAttachedPolicy{{"AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"}})
	agentRole := e.awsAIRole(ai, "acme-bedrock-agent-support", "bedrock.amazonaws.com", nil)
	kbRole := e.awsAIRole(ai, "acme-bedrock-kb", "bedrock.amazonaws.com", nil)
	tuneRole := e.awsAIRole(ai, "acme-bedrock-customization", "bedrock.amazonaws.com", nil)

	// SageMaker.
	nb := arn("sagemaker", "notebook-instance/fraud-features")
	e.add(e.awsResource(a, region, "aws_sagemaker_notebook_instance", nb, "fraud-features", tags, days(200)), obj{
		"notebook_instance_name": "fraud-features", "notebook_instance_arn": nb, "notebook_instance_status": "InService",
		"instance_type": "ml.m5.xlarge", "direct_internet_access": "Disabled", "root_access": "Disabled",
		"kms_key_id": key, "subnet_id": subnets[0], "security_groups": []string{sg.GroupID}, "role_arn": smRole,
		"platform_identifier": "notebook-al2-v3", "volume_size_in_gb": 50,
		"instance_metadata_service_configuration": obj{"minimum_instance_metadata_service_version": "2"},
		"creation_time": e.ago(days(200)),
	})
	e.awsAIEdges(nb, nil, nil, key, smRole, []string{sgUID}, "")

	dom := arn("sagemaker", "domain/d-0prodstudio1")
	e.add(e.awsResource(a, region, "aws_sagemaker_domain", dom, "acme-studio", tags, days(300)), obj{
		"domain_id": "d-0prodstudio1", "domain_arn": dom, "domain_name": "acme-studio", "status": "InService",
		"auth_mode": "SSO", "app_network_access_type": "VpcOnly", "kms_key_id": key, "vpc_id": vpc, "subnet_ids": subnets,
		"home_efs_file_system_id": "fs-0a22studio0001",
		"default_user_settings":   obj{"execution_role": smRole, "security_groups": []string{sg.GroupID}},
		"creation_time":           e.ago(days(300)),
	})
	e.awsAIEdges(dom, nil, nil, key, smRole, []string{sgUID}, vpcUID)
	for _, u := range []string{"maria.data", "lee.ml"} {
		uid := arn("sagemaker", "user-profile/d-0prodstudio1/"+u)
		e.add(e.awsResource(a, region, "aws_sagemaker_user_profile", uid, u, nil, days(250)), obj{
			"user_profile_name": u, "user_profile_arn": uid, "domain_id": "d-0prodstudio1", "status": "InService",
			"user_settings": obj{"security_groups": []string{}}, "effective_execution_role": smRole,
			"creation_time": e.ago(days(250)),
		})
		e.edge(uid, dom, "member_of")
		e.awsAIEdges(uid, nil, nil, "", smRole, nil, "")
	}

	model := arn("sagemaker", "model/fraud-xgb-v3")
	e.add(e.awsResource(a, region, "aws_sagemaker_model", model, "fraud-xgb-v3", tags, days(30)), obj{
		"model_name": "fraud-xgb-v3", "model_arn": model, "execution_role_arn": smRole, "enable_network_isolation": true,
		"vpc_config": obj{"subnets": subnets, "security_group_ids": []string{sg.GroupID}},
		"primary_container": obj{"image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
			"model_data_url": "s3://acme-prod-ml-artifacts/fraud/v3/model.tar.gz", "mode": "SingleModel",
			"environment": []obj{{"name": "SAGEMAKER_PROGRAM", "looks_like_secret": false}}},
		"containers": []obj{}, "creation_time": e.ago(days(30)),
	})
	e.awsAIEdges(model, []string{bucketARN("acme-prod-ml-artifacts")}, nil, "", smRole, []string{sgUID}, "")
	epc := arn("sagemaker", "endpoint-config/fraud-scorer-v3")
	e.add(e.awsResource(a, region, "aws_sagemaker_endpoint_config", epc, "fraud-scorer-v3", nil, days(30)), obj{
		"endpoint_config_name": "fraud-scorer-v3", "endpoint_config_arn": epc, "kms_key_id": key,
		"production_variants": []obj{{"variant_name": "primary", "model_name": "fraud-xgb-v3", "instance_type": "ml.m5.large", "initial_instance_count": 2}},
		"data_capture_config": obj{"enable_capture": true, "destination_s3_uri": "s3://acme-prod-ml-capture/fraud-scorer", "kms_key_id": key, "initial_sampling_percentage": 20},
		"creation_time":       e.ago(days(30)),
	})
	e.edge(epc, model, "serves_model")
	e.awsAIEdges(epc, nil, []string{bucketARN("acme-prod-ml-capture")}, key, "", nil, "")
	ep := arn("sagemaker", "endpoint/fraud-scorer")
	e.add(e.awsResource(a, region, "aws_sagemaker_endpoint", ep, "fraud-scorer", tags, days(180)), obj{
		"endpoint_name": "fraud-scorer", "endpoint_arn": ep, "endpoint_config_name": "fraud-scorer-v3", "endpoint_status": "InService",
		"production_variants": []obj{{"variant_name": "primary", "current_instance_count": 2}},
		"data_capture_config": obj{"enable_capture": true, "capture_status": "Started", "destination_s3_uri": "s3://acme-prod-ml-capture/fraud-scorer", "kms_key_id": key},
		"creation_time":       e.ago(days(180)),
	})
	e.edge(ep, epc, "uses_config")
	e.awsAIEdges(ep, nil, []string{bucketARN("acme-prod-ml-capture")}, key, "", nil, "")
	for i, age := range []int{2, 9, 16} {
		name := fmt.Sprintf("fraud-xgb-2026-10-%02d", 30-7*i)
		uid := arn("sagemaker", "training-job/"+name)
		e.add(e.awsResource(a, region, "aws_sagemaker_training_job", uid, name, nil, days(age)), obj{
			"training_job_name": name, "training_job_arn": uid, "training_job_status": "Completed", "role_arn": smRole,
			"enable_network_isolation": true, "enable_inter_container_traffic_encryption": true,
			"vpc_config":         obj{"subnets": subnets, "security_group_ids": []string{sg.GroupID}},
			"input_data_config":  []obj{{"channel_name": "train", "s3_uri": "s3://acme-prod-ml-training/fraud/"}},
			"output_data_config": obj{"s3_output_path": "s3://acme-prod-ml-artifacts/fraud/", "kms_key_id": key},
			"resource_config":    obj{"instance_type": "ml.m5.xlarge", "instance_count": 2, "volume_kms_key_id": key},
			"environment":        []obj{}, "creation_time": e.ago(days(age)), "training_end_time": e.ago(days(age) - 3*time.Hour),
		})
		e.awsAIEdges(uid, []string{bucketARN("acme-prod-ml-training")}, []string{bucketARN("acme-prod-ml-artifacts")}, key, smRole, []string{sgUID}, "")
	}

	// Bedrock.
	base := fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/amazon.titan-text-express-v1:0:8k", region)
	job := arn("bedrock", "model-customization-job/amazon.titan-text-express-v1:0:8k/a1b2c3d4e5f6")
	custom := arn("bedrock", "custom-model/amazon.titan-text-express-v1:0:8k/support-tuned")
	e.add(e.awsResource(a, region, "aws_bedrock_model_customization_job", job, "support-tune-2026-10", nil, days(31)), obj{
		"job_name": "support-tune-2026-10", "job_arn": job, "status": "Completed", "customization_type": "FINE_TUNING",
		"role_arn": tuneRole, "base_model_arn": base, "output_model_name": "support-tuned", "output_model_arn": custom,
		"output_model_kms_key_arn": key,
		"training_data_config":     obj{"s3_uri": "s3://acme-prod-support-transcripts/train.jsonl"},
		"output_data_config":       obj{"s3_uri": "s3://acme-prod-ml-artifacts/bedrock/support-tuned/"},
		"vpc_config":               obj{"subnet_ids": subnets, "security_group_ids": []string{sg.GroupID}},
		"creation_time":            e.ago(days(31)), "end_time": e.ago(days(30)),
	})
	e.awsAIEdges(job, []string{bucketARN("acme-prod-support-transcripts")}, []string{bucketARN("acme-prod-ml-artifacts")}, key, tuneRole, []string{sgUID}, "")
	e.add(e.awsResource(a, region, "aws_bedrock_custom_model", custom, "support-tuned", tags, days(30)), obj{
		"model_name": "support-tuned", "model_arn": custom, "model_status": "Active", "customization_type": "FINE_TUNING",
		"base_model_arn": base, "job_arn": job, "model_kms_key_arn": key,
		"training_data_config":   obj{"s3_uri": "s3://acme-prod-support-transcripts/train.jsonl"},
		"validation_data_config": []obj{}, "output_data_config": obj{"s3_uri": "s3://acme-prod-ml-artifacts/bedrock/support-tuned/"},
		"creation_time": e.ago(days(30)),
	})
	e.edge(custom, job, "created_by")
	e.awsAIEdges(custom, []string{bucketARN("acme-prod-support-transcripts")}, []string{bucketARN("acme-prod-ml-artifacts")}, key, "", nil, "")
	pt := arn("bedrock", "provisioned-model/pt0support00a1")
	e.add(e.awsResource(a, region, "aws_bedrock_provisioned_model_throughput", pt, "support-tuned-pt", tags, days(29)), obj{
		"provisioned_model_name": "support-tuned-pt", "provisioned_model_arn": pt, "model_arn": custom, "foundation_model_arn": base,
		"status": "InService", "model_units": 1, "commitment_duration": "OneMonth",
		"commitment_expiration_time": e.now.Add(days(1)).UTC().Format(time.RFC3339), "creation_time": e.ago(days(29)),
	})
	e.edge(pt, custom, "serves_model")
	gr := arn("bedrock", "guardrail/gr0support0a1")
	e.add(e.awsResource(a, region, "aws_bedrock_guardrail", gr, "support-guardrail", awsTags(a, "security-team"), days(60)), obj{
		"guardrail_id": "gr0support0a1", "guardrail_arn": gr, "name": "support-guardrail", "version": "DRAFT", "status": "READY",
		"kms_key_arn": key,
		"content_policy": obj{"filters": []obj{
			{"type": "PROMPT_ATTACK", "input_strength": "HIGH", "output_strength": "NONE"},
			{"type": "HATE", "input_strength": "HIGH", "output_strength": "HIGH"},
			{"type": "MISCONDUCT", "input_strength": "MEDIUM", "output_strength": "MEDIUM"}}},
		"topic_policy":                 obj{"topics": []obj{{"name": "investment-advice", "type": "DENY"}}},
		"sensitive_information_policy": obj{"pii_entities": []obj{{"type": "CREDIT_DEBIT_CARD_NUMBER", "action": "BLOCK"}}, "regexes_count": 1},
		"contextual_grounding_policy":  obj{"filters": []obj{{"type": "GROUNDING", "threshold": 0.75}}},
		"created_at":                   e.ago(days(60)), "updated_at": e.ago(days(10)),
	})
	e.awsAIEdges(gr, nil, nil, key, "", nil, "")

	kbs := []struct{ id, name, bucket string }{
		{"KB0SUPPORT0A", "support-docs", "acme-prod-support-docs"},
		{"KB0WEBFAQ00A", "website-faq", "acme-prod-marketing-site"},
	}
	for _, k := range kbs {
		uid := arn("bedrock", "knowledge-base/"+k.id)
		e.add(e.awsResource(a, region, "aws_bedrock_knowledge_base", uid, k.name, tags, days(45)), obj{
			"knowledge_base_id": k.id, "knowledge_base_arn": uid, "name": k.name, "status": "ACTIVE", "role_arn": kbRole,
			"knowledge_base_configuration": obj{"type": "VECTOR", "embedding_model_arn": fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/amazon.titan-embed-text-v2:0", region)},
			"storage_configuration":        obj{"type": "OPENSEARCH_SERVERLESS", "collection_arn": arn("aoss", "collection/"+k.name)},
			"data_sources": []obj{{"data_source_id": "DS" + k.id[2:], "name": k.bucket, "status": "AVAILABLE", "type": "S3",
				"s3_configuration": obj{"bucket_arn": bucketARN(k.bucket), "inclusion_prefixes": []string{}},
				"kms_key_arn":      key, "data_deletion_policy": "RETAIN"}},
			"created_at": e.ago(days(45)), "updated_at": e.ago(days(5)),
		})
		e.awsAIEdges(uid, []string{bucketARN(k.bucket)}, nil, key, kbRole, nil, "")
	}
	e.plant(arn("bedrock", "knowledge-base/KB0WEBFAQ00A"), "aws-bedrock-knowledge-base-source-bucket-private",
		"the website FAQ knowledge base indexes the public marketing-site bucket: anyone who can change the site changes the assistant's answers")
	agent := arn("bedrock", "agent/AG0SUPPORT0A")
	e.add(e.awsResource(a, region, "aws_bedrock_agent", agent, "support-assistant", awsTags(a, "support-team"), days(40)), obj{
		"agent_id": "AG0SUPPORT0A", "agent_arn": agent, "agent_name": "support-assistant", "agent_status": "PREPARED",
		"agent_resource_role_arn": agentRole, "customer_encryption_key_arn": key,
		"foundation_model":            "anthropic.claude-3-5-sonnet-20240620-v1:0",
		"guardrail_configuration":     obj{"guardrail_identifier": "gr0support0a1", "guardrail_version": "1"},
		"idle_session_ttl_in_seconds": 600,
		"knowledge_bases":             []obj{{"knowledge_base_id": "KB0SUPPORT0A", "knowledge_base_state": "ENABLED"}},
		"created_at":                  e.ago(days(40)), "updated_at": e.ago(days(3)),
	})
	e.edge(agent, gr, "uses_guardrail")
	e.edge(agent, arn("bedrock", "knowledge-base/KB0SUPPORT0A"), "uses_knowledge_base")
	e.awsAIEdges(agent, nil, nil, key, agentRole, nil, "")
}

// awsAIDev is development: data scientists' experiments, with the plants
// listed at the top of the file.
func (e *estate) awsAIDev() {
	const ai, ri = 2, 0
	a, region := awsAccts[ai], awsRegions[ri]
	tags := awsTags(a, "data-team")
	arn := func(service, rest string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, a.id, rest)
	}
	b := e.awsBucket(ai, region, "acme-dev-ml-experiments", days(150))
	e.awsAddBucket(ai, &b, tags, days(150))
	data := bucketARN("acme-dev-ml-experiments")

	adminRole := e.awsAIRole(ai, "acme-ds-notebook", "sagemaker.amazonaws.com",
		[]awsAttachedPolicy{{"AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess"}})
	studioRole := e.awsAIRole(ai, "acme-dev-studio-exec", "sagemaker.amazonaws.com",
		[]awsAttachedPolicy{{"AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"}})
	mlRole := e.awsAIRole(ai, "acme-dev-ml", "sagemaker.amazonaws.com", nil)
	agentRole := e.awsAIRole(ai, "acme-dev-bedrock-agent", "bedrock.amazonaws.com", nil)

	nb := arn("sagemaker", "notebook-instance/ds-sandbox")
	e.add(e.awsResource(a, region, "aws_sagemaker_notebook_instance", nb, "ds-sandbox", tags, days(120)), obj{
		"notebook_instance_name": "ds-sandbox", "notebook_instance_arn": nb, "notebook_instance_status": "InService",
		"instance_type": "ml.t3.large", "direct_internet_access": "Enabled", "root_access": "Enabled",
		"security_groups": []string{}, "role_arn": adminRole, "platform_identifier": "notebook-al2-v2", "volume_size_in_gb": 20,
		"instance_metadata_service_configuration": obj{"minimum_instance_metadata_service_version": "1"},
		"default_code_repository":                 "https://github.com/acme/ds-experiments.git",
		"creation_time":                           e.ago(days(120)),
	})
	e.awsAIEdges(nb, nil, nil, "", adminRole, nil, "")
	e.plant(nb, "aws-sagemaker-notebook-direct-internet-access-disabled", "created with the console default: SageMaker gives it internet access outside the VPC")
	e.plant(nb, "aws-sagemaker-notebook-root-access-disabled", "notebook users can become root and change the instance")
	e.plant(nb, "aws-sagemaker-notebook-kms-cmk", "storage volume encrypted with an AWS managed key only")
	e.plant(nb, "aws-ai-execution-role-not-admin", "runs as acme-ds-notebook, which holds AdministratorAccess")
	e.plant(nb, "aws-sagemaker-notebook-imdsv2", "IMDSv1 still answers: an SSRF in notebook code hands out the administrator role's credentials")

	dom := arn("sagemaker", "domain/d-0devstudio01")
	e.add(e.awsResource(a, region, "aws_sagemaker_domain", dom, "acme-dev-studio", tags, days(100)), obj{
		"domain_id": "d-0devstudio01", "domain_arn": dom, "domain_name": "acme-dev-studio", "status": "InService",
		"auth_mode": "IAM", "app_network_access_type": "PublicInternetOnly", "vpc_id": "vpc-0a3300000000000a0",
		"subnet_ids":            []string{"subnet-0a3300000000000a0"},
		"default_user_settings": obj{"execution_role": studioRole, "security_groups": []string{}},
		"creation_time":         e.ago(days(100)),
	})
	e.awsAIEdges(dom, nil, nil, "", studioRole, nil, "")
	e.plant(dom, "aws-sagemaker-domain-vpc-only", "Studio apps reach the internet directly (PublicInternetOnly)")
	e.plant(dom, "aws-sagemaker-domain-kms-cmk", "home directories encrypted with an AWS managed key only")
	up := arn("sagemaker", "user-profile/d-0devstudio01/sam.intern")
	e.add(e.awsResource(a, region, "aws_sagemaker_user_profile", up, "sam.intern", nil, days(60)), obj{
		"user_profile_name": "sam.intern", "user_profile_arn": up, "domain_id": "d-0devstudio01", "status": "InService",
		"user_settings": obj{"security_groups": []string{}}, "effective_execution_role": studioRole, "creation_time": e.ago(days(60)),
	})
	e.edge(up, dom, "member_of")
	e.awsAIEdges(up, nil, nil, "", studioRole, nil, "")

	model := arn("sagemaker", "model/churn-poc-model")
	e.add(e.awsResource(a, region, "aws_sagemaker_model", model, "churn-poc-model", tags, days(20)), obj{
		"model_name": "churn-poc-model", "model_arn": model, "execution_role_arn": mlRole, "enable_network_isolation": false,
		"primary_container": obj{"image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3-cpu-py311",
			"model_data_url": "s3://acme-dev-ml-experiments/churn/model.tar.gz",
			"environment":    []obj{{"name": "HF_TOKEN", "looks_like_secret": true}}},
		"containers": []obj{}, "creation_time": e.ago(days(20)),
	})
	e.awsAIEdges(model, []string{data}, nil, "", mlRole, nil, "")
	e.plant(model, "aws-sagemaker-model-network-isolation", "inference container outside any VPC and with network access")
	e.plant(model, "aws-sagemaker-model-environment-no-secrets", "Hugging Face token passed in the container environment")
	epc := arn("sagemaker", "endpoint-config/churn-poc")
	e.add(e.awsResource(a, region, "aws_sagemaker_endpoint_config", epc, "churn-poc", nil, days(20)), obj{
		"endpoint_config_name": "churn-poc", "endpoint_config_arn": epc,
		"production_variants": []obj{{"variant_name": "all", "model_name": "churn-poc-model", "instance_type": "ml.t2.medium", "initial_instance_count": 1}},
		"creation_time":       e.ago(days(20)),
	})
	e.edge(epc, model, "serves_model")
	e.plant(epc, "aws-sagemaker-endpoint-config-kms-cmk", "endpoint storage volumes not encrypted with a customer managed key")
	ep := arn("sagemaker", "endpoint/churn-poc")
	e.add(e.awsResource(a, region, "aws_sagemaker_endpoint", ep, "churn-poc", tags, days(20)), obj{
		"endpoint_name": "churn-poc", "endpoint_arn": ep, "endpoint_config_name": "churn-poc", "endpoint_status": "InService",
		"production_variants": []obj{{"variant_name": "all", "current_instance_count": 1}}, "creation_time": e.ago(days(20)),
	})
	e.edge(ep, epc, "uses_config")
	job := arn("sagemaker", "training-job/churn-poc-train")
	e.add(e.awsResource(a, region, "aws_sagemaker_training_job", job, "churn-poc-train", nil, days(21)), obj{
		"training_job_name": "churn-poc-train", "training_job_arn": job, "training_job_status": "Completed", "role_arn": mlRole,
		"enable_network_isolation": false, "enable_inter_container_traffic_encryption": false,
		"input_data_config":  []obj{{"channel_name": "train", "s3_uri": "s3://acme-dev-ml-experiments/churn/train/"}},
		"output_data_config": obj{"s3_output_path": "s3://acme-dev-ml-experiments/churn/"},
		"resource_config":    obj{"instance_type": "ml.g5.xlarge", "instance_count": 2},
		"environment":        []obj{{"name": "WANDB_API_KEY", "looks_like_secret": true}},
		"creation_time":      e.ago(days(21)), "training_end_time": e.ago(days(21) - 5*time.Hour),
	})
	e.awsAIEdges(job, []string{data}, []string{data}, "", mlRole, nil, "")
	e.plant(job, "aws-sagemaker-training-job-network-isolation", "training containers could send the training data anywhere")
	e.plant(job, "aws-sagemaker-training-job-inter-container-encryption", "two-instance job with unencrypted traffic between instances")
	e.plant(job, "aws-sagemaker-training-job-output-kms-cmk", "model artifacts written without a customer managed key")
	e.plant(job, "aws-sagemaker-training-job-environment-no-secrets", "experiment-tracker API key passed in the environment")

	base := fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/meta.llama3-8b-instruct-v1:0", region)
	custom := arn("bedrock", "custom-model/meta.llama3-8b-instruct-v1:0/dev-summarizer")
	e.add(e.awsResource(a, region, "aws_bedrock_custom_model", custom, "dev-summarizer", tags, days(15)), obj{
		"model_name": "dev-summarizer", "model_arn": custom, "model_status": "Active", "customization_type": "FINE_TUNING",
		"base_model_arn": base, "job_arn": arn("bedrock", "model-customization-job/meta.llama3-8b-instruct-v1:0/0dev5umm4r1z"),
		"training_data_config":   obj{"s3_uri": "s3://acme-dev-ml-experiments/summaries/train.jsonl"},
		"validation_data_config": []obj{}, "creation_time": e.ago(days(15)),
	})
	e.awsAIEdges(custom, []string{data}, nil, "", "", nil, "")
	e.plant(custom, "aws-bedrock-custom-model-kms-cmk", "fine-tuned weights encrypted with an AWS owned key only")
	agent := arn("bedrock", "agent/AG0ITTRIAGE0")
	e.add(e.awsResource(a, region, "aws_bedrock_agent", agent, "it-triage", tags, days(12)), obj{
		"agent_id": "AG0ITTRIAGE0", "agent_arn": agent, "agent_name": "it-triage", "agent_status": "PREPARED",
		"agent_resource_role_arn": agentRole, "foundation_model": "anthropic.claude-3-haiku-20240307-v1:0",
		"idle_session_ttl_in_seconds": 1800, "knowledge_bases": []obj{},
		"created_at": e.ago(days(12)), "updated_at": e.ago(days(2)),
	})
	e.awsAIEdges(agent, nil, nil, "", agentRole, nil, "")
	e.plant(agent, "aws-bedrock-agent-guardrail", "agent answers employees with no guardrail against prompt attacks or data leaks")
	e.plant(agent, "aws-bedrock-agent-kms-cmk", "session data encrypted with an AWS owned key only")
}
