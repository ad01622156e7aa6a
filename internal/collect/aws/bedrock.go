package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	brtypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/bedrockagent"
	batypes "github.com/aws/aws-sdk-go-v2/service/bedrockagent/types"

	"cloudward/internal/resource"
)

// bedrockAPI is every Bedrock operation the collector calls.
type bedrockAPI interface {
	ListCustomModels(ctx context.Context, in *bedrock.ListCustomModelsInput, optFns ...func(*bedrock.Options)) (*bedrock.ListCustomModelsOutput, error)
	GetCustomModel(ctx context.Context, in *bedrock.GetCustomModelInput, optFns ...func(*bedrock.Options)) (*bedrock.GetCustomModelOutput, error)
	ListProvisionedModelThroughputs(ctx context.Context, in *bedrock.ListProvisionedModelThroughputsInput, optFns ...func(*bedrock.Options)) (*bedrock.ListProvisionedModelThroughputsOutput, error)
	GetModelInvocationLoggingConfiguration(ctx context.Context, in *bedrock.GetModelInvocationLoggingConfigurationInput, optFns ...func(*bedrock.Options)) (*bedrock.GetModelInvocationLoggingConfigurationOutput, error)
	ListGuardrails(ctx context.Context, in *bedrock.ListGuardrailsInput, optFns ...func(*bedrock.Options)) (*bedrock.ListGuardrailsOutput, error)
	GetGuardrail(ctx context.Context, in *bedrock.GetGuardrailInput, optFns ...func(*bedrock.Options)) (*bedrock.GetGuardrailOutput, error)
	ListModelCustomizationJobs(ctx context.Context, in *bedrock.ListModelCustomizationJobsInput, optFns ...func(*bedrock.Options)) (*bedrock.ListModelCustomizationJobsOutput, error)
	GetModelCustomizationJob(ctx context.Context, in *bedrock.GetModelCustomizationJobInput, optFns ...func(*bedrock.Options)) (*bedrock.GetModelCustomizationJobOutput, error)
	ListTagsForResource(ctx context.Context, in *bedrock.ListTagsForResourceInput, optFns ...func(*bedrock.Options)) (*bedrock.ListTagsForResourceOutput, error)
}

// bedrockAgentAPI is every Agents for Amazon Bedrock operation the
// collector calls.
type bedrockAgentAPI interface {
	ListAgents(ctx context.Context, in *bedrockagent.ListAgentsInput, optFns ...func(*bedrockagent.Options)) (*bedrockagent.ListAgentsOutput, error)
	GetAgent(ctx context.Context, in *bedrockagent.GetAgentInput, optFns ...func(*bedrockagent.Options)) (*bedrockagent.GetAgentOutput, error)
	ListAgentKnowledgeBases(ctx context.Context, in *bedrockagent.ListAgentKnowledgeBasesInput, optFns ...func(*bedrockagent.Options)) (*bedrockagent.ListAgentKnowledgeBasesOutput, error)
	ListKnowledgeBases(ctx context.Context, in *bedrockagent.ListKnowledgeBasesInput, optFns ...func(*bedrockagent.Options)) (*bedrockagent.ListKnowledgeBasesOutput, error)
	GetKnowledgeBase(ctx context.Context, in *bedrockagent.GetKnowledgeBaseInput, optFns ...func(*bedrockagent.Options)) (*bedrockagent.GetKnowledgeBaseOutput, error)
	ListDataSources(ctx context.Context, in *bedrockagent.ListDataSourcesInput, optFns ...func(*bedrockagent.Options)) (*bedrockagent.ListDataSourcesOutput, error)
	GetDataSource(ctx context.Context, in *bedrockagent.GetDataSourceInput, optFns ...func(*bedrockagent.Options)) (*bedrockagent.GetDataSourceOutput, error)
	ListTagsForResource(ctx context.Context, in *bedrockagent.ListTagsForResourceInput, optFns ...func(*bedrockagent.Options)) (*bedrockagent.ListTagsForResourceOutput, error)
}

func bedrockKinds() []resource.Kind {
	vpcConfig := object("vpc_config", "VPC the job runs in; absent when none",
		list("subnet_ids", "subnet IDs (list of strings)"),
		list("security_group_ids", "security group IDs (list of strings)"))
	s3uri := func(name, desc string) resource.Field { return object(name, desc, str("s3_uri", "S3 URI")) }
	logging := aiKind("aws_bedrock_model_invocation_logging", "bedrock", resource.SaaS,
		"Bedrock model invocation logging configuration of one account and region (GetModelInvocationLoggingConfiguration): an account-level fact, one per region where Bedrock is offered",
		[]string{"bedrock:GetModelInvocationLoggingConfiguration"},
		boolean("logging_enabled", "invocation logs are delivered to CloudWatch Logs or S3 (a logging configuration exists with at least one destination)"),
		object("cloud_watch_config", "CloudWatch Logs destination; absent when none",
			str("log_group_name", "log group"),
			str("role_arn", "role Bedrock uses to write"),
			object("large_data_delivery_s3_config", "S3 location of payloads too large for CloudWatch; absent when none",
				str("bucket_name", "bucket"), str("key_prefix", "key prefix"))),
		object("s3_config", "S3 destination; absent when none",
			str("bucket_name", "bucket"), str("key_prefix", "key prefix")),
		boolean("text_data_delivery_enabled", "prompts and completions of text models are logged"),
		boolean("image_data_delivery_enabled", "image inputs and outputs are logged"),
		boolean("embedding_data_delivery_enabled", "embeddings are logged"),
		boolean("video_data_delivery_enabled", "video inputs and outputs are logged"))
	logging.Taggable = false
	job := aiKind("aws_bedrock_model_customization_job", "bedrock", resource.SaaS,
		"Bedrock model customization (fine-tuning, continued pre-training, distillation) job (GetModelCustomizationJob); only jobs of the last 90 days, at most 100 per region, newest first",
		[]string{"bedrock:ListModelCustomizationJobs", "bedrock:GetModelCustomizationJob"},
		str("job_name", "job name"),
		str("job_arn", "job ARN"),
		str("status", "InProgress, Completed, Failed, Stopping, Stopped"),
		str("customization_type", "FINE_TUNING, CONTINUED_PRE_TRAINING, DISTILLATION…"),
		str("role_arn", "IAM role Bedrock assumes to read the training data and write the output"),
		str("base_model_arn", "model being customized"),
		str("output_model_name", "name of the custom model produced"),
		str("output_model_arn", "ARN of the custom model; absent until the job completes"),
		str("output_model_kms_key_arn", "KMS key of the custom model; absent when AWS-owned keys are used"),
		s3uri("training_data_config", "training data"),
		s3uri("output_data_config", "where metrics and outputs are written"),
		vpcConfig,
		timestamp("creation_time", "when it was created"),
		timestamp("end_time", "when it ended; absent while running"))
	job.Taggable = false
	return []resource.Kind{
		aiKind("aws_bedrock_custom_model", "bedrock", resource.SaaS,
			"Bedrock custom (fine-tuned or imported) model (GetCustomModel)",
			[]string{"bedrock:ListCustomModels", "bedrock:GetCustomModel", "bedrock:ListTagsForResource"},
			str("model_name", "model name"),
			str("model_arn", "model ARN"),
			str("model_status", "Active, Creating, Failed"),
			str("customization_type", "FINE_TUNING, CONTINUED_PRE_TRAINING, DISTILLATION, IMPORTED"),
			str("base_model_arn", "foundation model it derives from"),
			str("job_arn", "customization job that produced it; absent for imported models"),
			str("model_kms_key_arn", "KMS key the model is encrypted with; absent when AWS-owned keys are used"),
			s3uri("training_data_config", "training data; absent when not reported"),
			list("validation_data_config", "validation data sets", str("s3_uri", "S3 URI")),
			s3uri("output_data_config", "job output location; absent when not reported"),
			timestamp("creation_time", "when it was created")),
		aiKind("aws_bedrock_provisioned_model_throughput", "bedrock", resource.SaaS,
			"Bedrock Provisioned Throughput: dedicated capacity serving a foundation or custom model (ListProvisionedModelThroughputs)",
			[]string{"bedrock:ListProvisionedModelThroughputs", "bedrock:ListTagsForResource"},
			str("provisioned_model_name", "name"),
			str("provisioned_model_arn", "ARN"),
			str("model_arn", "model served (foundation or custom)"),
			str("foundation_model_arn", "foundation model underneath"),
			str("status", "InService, Creating, Updating, Failed"),
			integer("model_units", "model units purchased"),
			str("commitment_duration", "OneMonth, SixMonths; absent for no commitment"),
			timestamp("commitment_expiration_time", "end of the commitment; absent for no commitment"),
			timestamp("creation_time", "when it was created")),
		logging,
		aiKind("aws_bedrock_guardrail", "bedrock", resource.SaaS,
			"Bedrock guardrail, working draft (GetGuardrail): content, prompt-attack, topic, word, sensitive-information and grounding policies",
			[]string{"bedrock:ListGuardrails", "bedrock:GetGuardrail", "bedrock:ListTagsForResource"},
			str("guardrail_id", "guardrail ID"),
			str("guardrail_arn", "guardrail ARN"),
			str("name", "name"),
			str("version", "version described (DRAFT)"),
			str("status", "READY, CREATING, FAILED…"),
			str("kms_key_arn", "KMS key of the guardrail; absent when AWS-owned keys are used"),
			object("content_policy", "content filters; absent when none",
				list("filters", "filters",
					str("type", "SEXUAL, VIOLENCE, HATE, INSULTS, MISCONDUCT or PROMPT_ATTACK"),
					str("input_strength", "NONE, LOW, MEDIUM or HIGH"),
					str("output_strength", "NONE, LOW, MEDIUM or HIGH"))),
			object("topic_policy", "denied topics; absent when none",
				list("topics", "topics", str("name", "topic name"), str("type", "DENY"))),
			object("word_policy", "blocked words; absent when none",
				integer("words_count", "custom words blocked"),
				list("managed_word_lists", "managed lists, e.g. PROFANITY (list of strings)")),
			object("sensitive_information_policy", "PII and regex filters; absent when none",
				list("pii_entities", "PII types", str("type", "PII type, e.g. EMAIL"), str("action", "BLOCK, ANONYMIZE or NONE")),
				integer("regexes_count", "custom regex filters")),
			object("contextual_grounding_policy", "grounding and relevance filters; absent when none",
				list("filters", "filters", str("type", "GROUNDING or RELEVANCE"), anyField("threshold", "threshold between 0 and 1"))),
			timestamp("created_at", "when it was created"),
			timestamp("updated_at", "when it last changed")),
		aiKind("aws_bedrock_agent", "bedrock", resource.SaaS,
			"Agent for Amazon Bedrock (GetAgent, ListAgentKnowledgeBases of the working draft); the agent's instructions are not stored",
			[]string{"bedrock:ListAgents", "bedrock:GetAgent", "bedrock:ListAgentKnowledgeBases", "bedrock:ListTagsForResource"},
			str("agent_id", "agent ID"),
			str("agent_arn", "agent ARN"),
			str("agent_name", "name"),
			str("agent_status", "PREPARED, NOT_PREPARED, CREATING, FAILED…"),
			str("agent_resource_role_arn", "IAM role the agent acts as"),
			str("customer_encryption_key_arn", "KMS key of the agent's data; absent when AWS-owned keys are used"),
			str("foundation_model", "model the agent orchestrates with"),
			object("guardrail_configuration", "guardrail applied to the agent; absent when none",
				str("guardrail_identifier", "guardrail ID or ARN"),
				str("guardrail_version", "guardrail version")),
			integer("idle_session_ttl_in_seconds", "idle session timeout"),
			list("knowledge_bases", "knowledge bases associated with the working draft; absent when they could not be listed",
				str("knowledge_base_id", "knowledge base ID"),
				str("knowledge_base_state", "ENABLED or DISABLED")),
			timestamp("created_at", "when it was created"),
			timestamp("updated_at", "when it last changed")),
		aiKind("aws_bedrock_knowledge_base", "bedrock", resource.SaaS,
			"Knowledge base for Amazon Bedrock with its data sources (GetKnowledgeBase, ListDataSources, GetDataSource)",
			[]string{"bedrock:ListKnowledgeBases", "bedrock:GetKnowledgeBase", "bedrock:ListDataSources", "bedrock:GetDataSource", "bedrock:ListTagsForResource"},
			str("knowledge_base_id", "knowledge base ID"),
			str("knowledge_base_arn", "knowledge base ARN"),
			str("name", "name"),
			str("status", "ACTIVE, CREATING, FAILED…"),
			str("role_arn", "IAM role the knowledge base reads its sources and vector store with"),
			object("knowledge_base_configuration", "type of knowledge base",
				str("type", "VECTOR, KENDRA or SQL"),
				str("embedding_model_arn", "embedding model of a VECTOR knowledge base; absent otherwise")),
			object("storage_configuration", "vector store",
				str("type", "OPENSEARCH_SERVERLESS, RDS, PINECONE, S3_VECTORS…"),
				str("collection_arn", "OpenSearch Serverless collection; absent for other stores")),
			list("data_sources", "data sources; absent when they could not be listed",
				str("data_source_id", "data source ID"),
				str("name", "name"),
				str("status", "AVAILABLE, DELETING, DELETE_UNSUCCESSFUL"),
				str("type", "S3, WEB, CONFLUENCE, SALESFORCE, SHAREPOINT, CUSTOM…"),
				object("s3_configuration", "S3 source; absent for other types",
					str("bucket_arn", "bucket read"),
					str("bucket_owner_account_id", "owner of the bucket when it is another account; absent otherwise"),
					list("inclusion_prefixes", "key prefixes read; empty for the whole bucket (list of strings)")),
				str("kms_key_arn", "KMS key of transient ingestion data; absent when AWS-owned keys are used"),
				str("data_deletion_policy", "RETAIN or DELETE")),
			timestamp("created_at", "when it was created"),
			timestamp("updated_at", "when it last changed")),
		job,
	}
}

// collectBedrock emits the region's Bedrock resources and its invocation
// logging configuration. A region without a Bedrock endpoint is skipped.
func collectBedrock(ctx context.Context, s *scope) error {
	cfg := s.cfg(s.region)
	var api bedrockAPI = bedrock.NewFromConfig(cfg)
	var agents bedrockAgentAPI = bedrockagent.NewFromConfig(cfg)
	lg, err := api.GetModelInvocationLoggingConfiguration(ctx, &bedrock.GetModelInvocationLoggingConfigurationInput{})
	switch {
	case serviceUnavailable(err):
		s.c.log.Info("aws: Bedrock is not offered in the region, skipped", "account", s.acct.id, "region", s.region)
		return nil
	case err != nil:
		if ferr := s.fail(ctx, "bedrock:GetModelInvocationLoggingConfiguration", err); ferr != nil {
			return ferr
		}
	default:
		if err := brLogging(ctx, s, lg.LoggingConfig); err != nil {
			return err
		}
	}
	for _, part := range []func(context.Context, *scope, bedrockAPI) error{brCustomModels, brProvisioned, brGuardrails, brCustomizationJobs} {
		if err := part(ctx, s, api); err != nil {
			return err
		}
	}
	if err := brKnowledgeBases(ctx, s, agents); err != nil {
		return err
	}
	return brAgents(ctx, s, agents)
}

func brLogging(ctx context.Context, s *scope, c *brtypes.LoggingConfig) error {
	uid := s.arn("bedrock", s.region, "model-invocation-logging")
	p := obj{"logging_enabled": false}
	var writes []string
	var roles []string
	if c != nil {
		p["logging_enabled"] = c.CloudWatchConfig != nil || c.S3Config != nil
		p["text_data_delivery_enabled"] = deref(c.TextDataDeliveryEnabled)
		p["image_data_delivery_enabled"] = deref(c.ImageDataDeliveryEnabled)
		p["embedding_data_delivery_enabled"] = deref(c.EmbeddingDataDeliveryEnabled)
		p["video_data_delivery_enabled"] = deref(c.VideoDataDeliveryEnabled)
		if cw := c.CloudWatchConfig; cw != nil {
			o := obj{"log_group_name": aws.ToString(cw.LogGroupName), "role_arn": aws.ToString(cw.RoleArn)}
			if l := cw.LargeDataDeliveryS3Config; l != nil {
				o["large_data_delivery_s3_config"] = obj{"bucket_name": aws.ToString(l.BucketName), "key_prefix": aws.ToString(l.KeyPrefix)}
				writes = append(writes, "s3://"+aws.ToString(l.BucketName))
			}
			p["cloud_watch_config"] = o
			roles = append(roles, aws.ToString(cw.RoleArn))
		}
		if s3c := c.S3Config; s3c != nil {
			p["s3_config"] = obj{"bucket_name": aws.ToString(s3c.BucketName), "key_prefix": aws.ToString(s3c.KeyPrefix)}
			writes = append(writes, "s3://"+aws.ToString(s3c.BucketName))
		}
	}
	if err := s.emit(ctx, "aws_bedrock_model_invocation_logging", uid, "model-invocation-logging", nil, time.Time{}, p); err != nil {
		return err
	}
	if cw, ok := p["cloud_watch_config"].(obj); ok {
		if err := s.edge(ctx, uid, s.arn("logs", s.region, "log-group:"+cw["log_group_name"].(string)), "logs_to"); err != nil {
			return err
		}
	}
	return s.aiEdges(ctx, uid, aiEdges{writes: writes, roles: roles})
}

// brTags reads a Bedrock resource's tags; a failure is recorded.
func brTags(ctx context.Context, s *scope, api bedrockAPI, arn string) (map[string]string, error) {
	out, err := api.ListTagsForResource(ctx, &bedrock.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
	if err != nil {
		return nil, s.fail(ctx, "bedrock:ListTagsForResource", err)
	}
	tags := tagMap(out.Tags, func(t brtypes.Tag) (*string, *string) { return t.Key, t.Value })
	if len(tags) == 0 {
		return nil, nil
	}
	return tags, nil
}

func brCustomModels(ctx context.Context, s *scope, api bedrockAPI) error {
	pages := bedrock.NewListCustomModelsPaginator(api, &bedrock.ListCustomModelsInput{})
	items, ok, _, err := smList(ctx, s, "bedrock:ListCustomModels", func(ctx context.Context) (bool, []brtypes.CustomModelSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.ModelSummaries, nil
	})
	if !ok {
		return err
	}
	return each(ctx, s, items, func(ctx context.Context, it brtypes.CustomModelSummary) error {
		d, err := api.GetCustomModel(ctx, &bedrock.GetCustomModelInput{ModelIdentifier: it.ModelArn})
		if err != nil {
			return s.fail(ctx, "bedrock:GetCustomModel", err)
		}
		arn := aws.ToString(d.ModelArn)
		p := obj{
			"model_name": aws.ToString(d.ModelName), "model_arn": arn, "model_status": string(d.ModelStatus),
			"customization_type": string(d.CustomizationType), "base_model_arn": aws.ToString(d.BaseModelArn),
		}
		setStr(p, "job_arn", d.JobArn)
		setStr(p, "model_kms_key_arn", d.ModelKmsKeyArn)
		var reads, writes []string
		if t := d.TrainingDataConfig; t != nil && t.S3Uri != nil {
			p["training_data_config"] = obj{"s3_uri": *t.S3Uri}
			reads = append(reads, *t.S3Uri)
		}
		vals := []obj{}
		if v := d.ValidationDataConfig; v != nil {
			for _, x := range v.Validators {
				vals = append(vals, obj{"s3_uri": aws.ToString(x.S3Uri)})
				reads = append(reads, aws.ToString(x.S3Uri))
			}
		}
		p["validation_data_config"] = vals
		if o := d.OutputDataConfig; o != nil && o.S3Uri != nil {
			p["output_data_config"] = obj{"s3_uri": *o.S3Uri}
			writes = append(writes, *o.S3Uri)
		}
		setTS(p, "creation_time", d.CreationTime)
		tags, err := brTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_bedrock_custom_model", arn, aws.ToString(d.ModelName), tags, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		if err := s.edge(ctx, arn, aws.ToString(d.JobArn), "created_by"); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{reads: reads, writes: writes, keys: []string{aws.ToString(d.ModelKmsKeyArn)}})
	})
}

func brProvisioned(ctx context.Context, s *scope, api bedrockAPI) error {
	pages := bedrock.NewListProvisionedModelThroughputsPaginator(api, &bedrock.ListProvisionedModelThroughputsInput{})
	items, ok, _, err := smList(ctx, s, "bedrock:ListProvisionedModelThroughputs", func(ctx context.Context) (bool, []brtypes.ProvisionedModelSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.ProvisionedModelSummaries, nil
	})
	if !ok {
		return err
	}
	return each(ctx, s, items, func(ctx context.Context, d brtypes.ProvisionedModelSummary) error {
		arn := aws.ToString(d.ProvisionedModelArn)
		p := obj{
			"provisioned_model_name": aws.ToString(d.ProvisionedModelName), "provisioned_model_arn": arn,
			"model_arn": aws.ToString(d.ModelArn), "foundation_model_arn": aws.ToString(d.FoundationModelArn),
			"status": string(d.Status), "model_units": deref(d.ModelUnits),
		}
		setNonEmpty(p, "commitment_duration", string(d.CommitmentDuration))
		setTS(p, "commitment_expiration_time", d.CommitmentExpirationTime)
		setTS(p, "creation_time", d.CreationTime)
		tags, err := brTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_bedrock_provisioned_model_throughput", arn, aws.ToString(d.ProvisionedModelName), tags, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		return s.edge(ctx, arn, aws.ToString(d.ModelArn), "serves_model")
	})
}

func brGuardrails(ctx context.Context, s *scope, api bedrockAPI) error {
	pages := bedrock.NewListGuardrailsPaginator(api, &bedrock.ListGuardrailsInput{})
	items, ok, _, err := smList(ctx, s, "bedrock:ListGuardrails", func(ctx context.Context) (bool, []brtypes.GuardrailSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.Guardrails, nil
	})
	if !ok {
		return err
	}
	return each(ctx, s, items, func(ctx context.Context, it brtypes.GuardrailSummary) error {
		d, err := api.GetGuardrail(ctx, &bedrock.GetGuardrailInput{GuardrailIdentifier: it.Id})
		if err != nil {
			return s.fail(ctx, "bedrock:GetGuardrail", err)
		}
		arn := aws.ToString(d.GuardrailArn)
		p := obj{
			"guardrail_id": aws.ToString(d.GuardrailId), "guardrail_arn": arn, "name": aws.ToString(d.Name),
			"version": aws.ToString(d.Version), "status": string(d.Status),
		}
		setStr(p, "kms_key_arn", d.KmsKeyArn)
		if c := d.ContentPolicy; c != nil {
			fs := []obj{}
			for _, f := range c.Filters {
				fs = append(fs, obj{"type": string(f.Type), "input_strength": string(f.InputStrength), "output_strength": string(f.OutputStrength)})
			}
			p["content_policy"] = obj{"filters": fs}
		}
		if t := d.TopicPolicy; t != nil {
			ts := []obj{}
			for _, x := range t.Topics {
				ts = append(ts, obj{"name": aws.ToString(x.Name), "type": string(x.Type)})
			}
			p["topic_policy"] = obj{"topics": ts}
		}
		if w := d.WordPolicy; w != nil {
			lists := []string{}
			for _, m := range w.ManagedWordLists {
				lists = append(lists, string(m.Type))
			}
			p["word_policy"] = obj{"words_count": len(w.Words), "managed_word_lists": lists}
		}
		if si := d.SensitiveInformationPolicy; si != nil {
			pii := []obj{}
			for _, e := range si.PiiEntities {
				pii = append(pii, obj{"type": string(e.Type), "action": string(e.Action)})
			}
			p["sensitive_information_policy"] = obj{"pii_entities": pii, "regexes_count": len(si.Regexes)}
		}
		if g := d.ContextualGroundingPolicy; g != nil {
			fs := []obj{}
			for _, f := range g.Filters {
				fs = append(fs, obj{"type": string(f.Type), "threshold": deref(f.Threshold)})
			}
			p["contextual_grounding_policy"] = obj{"filters": fs}
		}
		setTS(p, "created_at", d.CreatedAt)
		setTS(p, "updated_at", d.UpdatedAt)
		tags, err := brTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_bedrock_guardrail", arn, aws.ToString(d.Name), tags, timeOf(d.CreatedAt), p); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{keys: []string{aws.ToString(d.KmsKeyArn)}})
	})
}

func brCustomizationJobs(ctx context.Context, s *scope, api bedrockAPI) error {
	since := time.Now().Add(-aiJobWindowDays * 24 * time.Hour)
	pages := bedrock.NewListModelCustomizationJobsPaginator(api, &bedrock.ListModelCustomizationJobsInput{
		CreationTimeAfter: aws.Time(since), SortBy: brtypes.SortJobsByCreationTime, SortOrder: brtypes.SortOrderDescending,
		MaxResults: aws.Int32(aiJobLimit),
	})
	var items []brtypes.ModelCustomizationJobSummary
	_, ok, _, err := smList(ctx, s, "bedrock:ListModelCustomizationJobs", func(ctx context.Context) (bool, []brtypes.ModelCustomizationJobSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		items = append(items, p.ModelCustomizationJobSummaries...)
		return pages.HasMorePages() && len(items) < aiJobLimit, nil, nil
	})
	if !ok {
		return err
	}
	if len(items) > aiJobLimit {
		items = items[:aiJobLimit]
	}
	return each(ctx, s, items, func(ctx context.Context, it brtypes.ModelCustomizationJobSummary) error {
		d, err := api.GetModelCustomizationJob(ctx, &bedrock.GetModelCustomizationJobInput{JobIdentifier: it.JobArn})
		if err != nil {
			return s.fail(ctx, "bedrock:GetModelCustomizationJob", err)
		}
		arn := aws.ToString(d.JobArn)
		p := obj{
			"job_name": aws.ToString(d.JobName), "job_arn": arn, "status": string(d.Status),
			"customization_type": string(d.CustomizationType), "role_arn": aws.ToString(d.RoleArn),
			"base_model_arn": aws.ToString(d.BaseModelArn), "output_model_name": aws.ToString(d.OutputModelName),
		}
		setStr(p, "output_model_arn", d.OutputModelArn)
		setStr(p, "output_model_kms_key_arn", d.OutputModelKmsKeyArn)
		var reads, writes, sgs []string
		if t := d.TrainingDataConfig; t != nil {
			p["training_data_config"] = obj{"s3_uri": aws.ToString(t.S3Uri)}
			reads = append(reads, aws.ToString(t.S3Uri))
		}
		if o := d.OutputDataConfig; o != nil {
			p["output_data_config"] = obj{"s3_uri": aws.ToString(o.S3Uri)}
			writes = append(writes, aws.ToString(o.S3Uri))
		}
		if v := d.VpcConfig; v != nil {
			p["vpc_config"] = obj{"subnet_ids": strs(v.SubnetIds), "security_group_ids": strs(v.SecurityGroupIds)}
			sgs = v.SecurityGroupIds
		}
		setTS(p, "creation_time", d.CreationTime)
		setTS(p, "end_time", d.EndTime)
		if err := s.emit(ctx, "aws_bedrock_model_customization_job", arn, aws.ToString(d.JobName), nil, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{reads: reads, writes: writes, keys: []string{aws.ToString(d.OutputModelKmsKeyArn)},
			roles: []string{aws.ToString(d.RoleArn)}, securityGroups: sgs})
	})
}

// baTags reads an Agents for Bedrock resource's tags; a failure is recorded.
func baTags(ctx context.Context, s *scope, api bedrockAgentAPI, arn string) (map[string]string, error) {
	out, err := api.ListTagsForResource(ctx, &bedrockagent.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		return nil, s.fail(ctx, "bedrock:ListTagsForResource", err)
	}
	if len(out.Tags) == 0 {
		return nil, nil
	}
	return out.Tags, nil
}

func brKnowledgeBases(ctx context.Context, s *scope, api bedrockAgentAPI) error {
	pages := bedrockagent.NewListKnowledgeBasesPaginator(api, &bedrockagent.ListKnowledgeBasesInput{})
	items, ok, _, err := smList(ctx, s, "bedrock:ListKnowledgeBases", func(ctx context.Context) (bool, []batypes.KnowledgeBaseSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.KnowledgeBaseSummaries, nil
	})
	if !ok {
		return err
	}
	return each(ctx, s, items, func(ctx context.Context, it batypes.KnowledgeBaseSummary) error {
		out, err := api.GetKnowledgeBase(ctx, &bedrockagent.GetKnowledgeBaseInput{KnowledgeBaseId: it.KnowledgeBaseId})
		if err != nil || out.KnowledgeBase == nil {
			if err == nil {
				return nil
			}
			return s.fail(ctx, "bedrock:GetKnowledgeBase", err)
		}
		d := out.KnowledgeBase
		arn := aws.ToString(d.KnowledgeBaseArn)
		p := obj{
			"knowledge_base_id": aws.ToString(d.KnowledgeBaseId), "knowledge_base_arn": arn, "name": aws.ToString(d.Name),
			"status": string(d.Status), "role_arn": aws.ToString(d.RoleArn),
		}
		if c := d.KnowledgeBaseConfiguration; c != nil {
			o := obj{"type": string(c.Type)}
			if v := c.VectorKnowledgeBaseConfiguration; v != nil {
				setStr(o, "embedding_model_arn", v.EmbeddingModelArn)
			}
			p["knowledge_base_configuration"] = o
		}
		if c := d.StorageConfiguration; c != nil {
			o := obj{"type": string(c.Type)}
			if os := c.OpensearchServerlessConfiguration; os != nil {
				setStr(o, "collection_arn", os.CollectionArn)
			}
			p["storage_configuration"] = o
		}
		sources, reads, keys, err := brDataSources(ctx, s, api, aws.ToString(d.KnowledgeBaseId))
		if err != nil {
			return err
		}
		if sources != nil {
			p["data_sources"] = sources
		}
		setTS(p, "created_at", d.CreatedAt)
		setTS(p, "updated_at", d.UpdatedAt)
		tags, err := baTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_bedrock_knowledge_base", arn, aws.ToString(d.Name), tags, timeOf(d.CreatedAt), p); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{reads: reads, keys: keys, roles: []string{aws.ToString(d.RoleArn)}})
	})
}

// brDataSources describes a knowledge base's data sources. It returns nil
// sources when they could not be listed (the failure is recorded).
func brDataSources(ctx context.Context, s *scope, api bedrockAgentAPI, kbID string) (sources []obj, reads, keys []string, err error) {
	pages := bedrockagent.NewListDataSourcesPaginator(api, &bedrockagent.ListDataSourcesInput{KnowledgeBaseId: aws.String(kbID)})
	items, ok, _, err := smList(ctx, s, "bedrock:ListDataSources", func(ctx context.Context) (bool, []batypes.DataSourceSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.DataSourceSummaries, nil
	})
	if !ok {
		return nil, nil, nil, err
	}
	sources = []obj{}
	for _, it := range items {
		out, err := api.GetDataSource(ctx, &bedrockagent.GetDataSourceInput{KnowledgeBaseId: aws.String(kbID), DataSourceId: it.DataSourceId})
		if err != nil {
			if ferr := s.fail(ctx, "bedrock:GetDataSource", err); ferr != nil {
				return nil, nil, nil, ferr
			}
			continue
		}
		d := out.DataSource
		if d == nil {
			continue
		}
		o := obj{"data_source_id": aws.ToString(d.DataSourceId), "name": aws.ToString(d.Name), "status": string(d.Status),
			"data_deletion_policy": string(d.DataDeletionPolicy)}
		if c := d.DataSourceConfiguration; c != nil {
			o["type"] = string(c.Type)
			if s3c := c.S3Configuration; s3c != nil {
				sc := obj{"bucket_arn": aws.ToString(s3c.BucketArn), "inclusion_prefixes": strs(s3c.InclusionPrefixes)}
				setStr(sc, "bucket_owner_account_id", s3c.BucketOwnerAccountId)
				o["s3_configuration"] = sc
				reads = append(reads, aws.ToString(s3c.BucketArn))
			}
		}
		if e := d.ServerSideEncryptionConfiguration; e != nil {
			setStr(o, "kms_key_arn", e.KmsKeyArn)
			keys = append(keys, aws.ToString(e.KmsKeyArn))
		}
		sources = append(sources, o)
	}
	return sources, reads, keys, nil
}

func brAgents(ctx context.Context, s *scope, api bedrockAgentAPI) error {
	pages := bedrockagent.NewListAgentsPaginator(api, &bedrockagent.ListAgentsInput{})
	items, ok, _, err := smList(ctx, s, "bedrock:ListAgents", func(ctx context.Context) (bool, []batypes.AgentSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.AgentSummaries, nil
	})
	if !ok {
		return err
	}
	return each(ctx, s, items, func(ctx context.Context, it batypes.AgentSummary) error {
		out, err := api.GetAgent(ctx, &bedrockagent.GetAgentInput{AgentId: it.AgentId})
		if err != nil || out.Agent == nil {
			if err == nil {
				return nil
			}
			return s.fail(ctx, "bedrock:GetAgent", err)
		}
		d := out.Agent
		arn := aws.ToString(d.AgentArn)
		p := obj{
			"agent_id": aws.ToString(d.AgentId), "agent_arn": arn, "agent_name": aws.ToString(d.AgentName),
			"agent_status": string(d.AgentStatus), "agent_resource_role_arn": aws.ToString(d.AgentResourceRoleArn),
			"foundation_model": aws.ToString(d.FoundationModel), "idle_session_ttl_in_seconds": deref(d.IdleSessionTTLInSeconds),
		}
		setStr(p, "customer_encryption_key_arn", d.CustomerEncryptionKeyArn)
		guardrail := ""
		if g := d.GuardrailConfiguration; g != nil && aws.ToString(g.GuardrailIdentifier) != "" {
			p["guardrail_configuration"] = obj{"guardrail_identifier": aws.ToString(g.GuardrailIdentifier), "guardrail_version": aws.ToString(g.GuardrailVersion)}
			guardrail = aws.ToString(g.GuardrailIdentifier)
			if !isARN(guardrail) {
				guardrail = s.arn("bedrock", s.region, "guardrail/"+guardrail)
			}
		}
		var kbs []obj
		kpages := bedrockagent.NewListAgentKnowledgeBasesPaginator(api, &bedrockagent.ListAgentKnowledgeBasesInput{AgentId: d.AgentId, AgentVersion: aws.String("DRAFT")})
		kitems, kok, _, err := smList(ctx, s, "bedrock:ListAgentKnowledgeBases", func(ctx context.Context) (bool, []batypes.AgentKnowledgeBaseSummary, error) {
			p, err := kpages.NextPage(ctx)
			if err != nil {
				return false, nil, err
			}
			return kpages.HasMorePages(), p.AgentKnowledgeBaseSummaries, nil
		})
		if err != nil {
			return err
		}
		if kok {
			kbs = []obj{}
			for _, k := range kitems {
				kbs = append(kbs, obj{"knowledge_base_id": aws.ToString(k.KnowledgeBaseId), "knowledge_base_state": string(k.KnowledgeBaseState)})
			}
			p["knowledge_bases"] = kbs
		}
		setTS(p, "created_at", d.CreatedAt)
		setTS(p, "updated_at", d.UpdatedAt)
		tags, err := baTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_bedrock_agent", arn, aws.ToString(d.AgentName), tags, timeOf(d.CreatedAt), p); err != nil {
			return err
		}
		if err := s.edge(ctx, arn, guardrail, "uses_guardrail"); err != nil {
			return err
		}
		for _, k := range kbs {
			if err := s.edge(ctx, arn, s.arn("bedrock", s.region, "knowledge-base/"+k["knowledge_base_id"].(string)), "uses_knowledge_base"); err != nil {
				return err
			}
		}
		return s.aiEdges(ctx, arn, aiEdges{keys: []string{aws.ToString(d.CustomerEncryptionKeyArn)}, roles: []string{aws.ToString(d.AgentResourceRoleArn)}})
	})
}

func isARN(s string) bool { return len(s) > 4 && s[:4] == "arn:" }
