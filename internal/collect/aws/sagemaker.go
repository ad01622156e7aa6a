package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"golang.org/x/sync/errgroup"

	"cloudward/internal/resource"
)

// sagemakerAPI is every SageMaker operation the collector calls.
type sagemakerAPI interface {
	ListNotebookInstances(ctx context.Context, in *sagemaker.ListNotebookInstancesInput, optFns ...func(*sagemaker.Options)) (*sagemaker.ListNotebookInstancesOutput, error)
	DescribeNotebookInstance(ctx context.Context, in *sagemaker.DescribeNotebookInstanceInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeNotebookInstanceOutput, error)
	ListDomains(ctx context.Context, in *sagemaker.ListDomainsInput, optFns ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error)
	DescribeDomain(ctx context.Context, in *sagemaker.DescribeDomainInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeDomainOutput, error)
	ListUserProfiles(ctx context.Context, in *sagemaker.ListUserProfilesInput, optFns ...func(*sagemaker.Options)) (*sagemaker.ListUserProfilesOutput, error)
	DescribeUserProfile(ctx context.Context, in *sagemaker.DescribeUserProfileInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeUserProfileOutput, error)
	ListEndpoints(ctx context.Context, in *sagemaker.ListEndpointsInput, optFns ...func(*sagemaker.Options)) (*sagemaker.ListEndpointsOutput, error)
	DescribeEndpoint(ctx context.Context, in *sagemaker.DescribeEndpointInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeEndpointOutput, error)
	ListEndpointConfigs(ctx context.Context, in *sagemaker.ListEndpointConfigsInput, optFns ...func(*sagemaker.Options)) (*sagemaker.ListEndpointConfigsOutput, error)
	DescribeEndpointConfig(ctx context.Context, in *sagemaker.DescribeEndpointConfigInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeEndpointConfigOutput, error)
	ListModels(ctx context.Context, in *sagemaker.ListModelsInput, optFns ...func(*sagemaker.Options)) (*sagemaker.ListModelsOutput, error)
	DescribeModel(ctx context.Context, in *sagemaker.DescribeModelInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeModelOutput, error)
	ListTrainingJobs(ctx context.Context, in *sagemaker.ListTrainingJobsInput, optFns ...func(*sagemaker.Options)) (*sagemaker.ListTrainingJobsOutput, error)
	DescribeTrainingJob(ctx context.Context, in *sagemaker.DescribeTrainingJobInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeTrainingJobOutput, error)
	ListTags(ctx context.Context, in *sagemaker.ListTagsInput, optFns ...func(*sagemaker.Options)) (*sagemaker.ListTagsOutput, error)
}

func sagemakerKinds() []resource.Kind {
	vpcConfig := object("vpc_config", "VPC the containers run in; absent when none (the containers then have internet access unless network isolation is on)",
		list("subnets", "subnet IDs (list of strings)"),
		list("security_group_ids", "security group IDs (list of strings)"))
	environment := list("environment", "container environment variables; values are never stored",
		str("name", "variable name"),
		boolean("looks_like_secret", "the name or value looked like a credential"))
	container := []resource.Field{
		str("image", "inference image URI"),
		str("model_data_url", "S3 URI of the model artifacts; absent when the image holds the model"),
		str("mode", "SingleModel or MultiModel; absent when not set"),
		environment,
	}
	userSettings := func(name, desc string) resource.Field {
		return object(name, desc,
			str("execution_role", "IAM role ARN the apps run as; absent when not set (a user profile then inherits the domain's)"),
			list("security_groups", "security groups of the apps (list of strings)"))
	}
	nbPerms := []string{"sagemaker:ListNotebookInstances", "sagemaker:DescribeNotebookInstance", "sagemaker:ListTags"}
	domainPerms := []string{"sagemaker:ListDomains", "sagemaker:DescribeDomain", "sagemaker:ListTags"}
	userPerms := []string{"sagemaker:ListDomains", "sagemaker:ListUserProfiles", "sagemaker:DescribeUserProfile"}
	epPerms := []string{"sagemaker:ListEndpoints", "sagemaker:DescribeEndpoint", "sagemaker:ListTags"}
	epcPerms := []string{"sagemaker:ListEndpointConfigs", "sagemaker:DescribeEndpointConfig"}
	modelPerms := []string{"sagemaker:ListModels", "sagemaker:DescribeModel", "sagemaker:ListTags"}
	jobPerms := []string{"sagemaker:ListTrainingJobs", "sagemaker:DescribeTrainingJob"}

	user := aiKind("aws_sagemaker_user_profile", "sagemaker", resource.PaaS,
		"SageMaker domain user profile (DescribeUserProfile)", userPerms,
		str("user_profile_name", "profile name"),
		str("user_profile_arn", "profile ARN"),
		str("domain_id", "domain the profile belongs to"),
		str("status", "InService, Pending, Failed…"),
		userSettings("user_settings", "the profile's own settings (no execution_role and empty security_groups when it has none)"),
		str("effective_execution_role", "the role the profile's apps run as: its own execution_role, else the domain default; absent when neither is set or the domain could not be read"),
		timestamp("creation_time", "when it was created"))
	user.Taggable = false
	epc := aiKind("aws_sagemaker_endpoint_config", "sagemaker", resource.PaaS,
		"SageMaker endpoint configuration: the models an endpoint serves and how its storage and captured data are encrypted (DescribeEndpointConfig)", epcPerms,
		str("endpoint_config_name", "configuration name"),
		str("endpoint_config_arn", "configuration ARN"),
		str("kms_key_id", "KMS key of the ML storage volumes; absent when AWS-managed encryption is used"),
		list("production_variants", "model variants",
			str("variant_name", "variant name"),
			str("model_name", "model served"),
			str("instance_type", "instance type; absent for serverless variants"),
			integer("initial_instance_count", "instances at creation; absent for serverless variants")),
		object("data_capture_config", "request/response capture; absent when never configured",
			boolean("enable_capture", "capture is on"),
			str("destination_s3_uri", "where captured data is written"),
			str("kms_key_id", "KMS key of the captured data; absent when none"),
			integer("initial_sampling_percentage", "percentage of requests captured")),
		object("async_inference_config", "asynchronous inference output; absent for real-time endpoints",
			str("s3_output_path", "where results are written"),
			str("kms_key_id", "KMS key of the results; absent when none")),
		boolean("enable_network_isolation", "inference components run without network access; absent when not set"),
		vpcConfig,
		timestamp("creation_time", "when it was created"))
	epc.Taggable = false
	job := aiKind("aws_sagemaker_training_job", "sagemaker", resource.PaaS,
		"SageMaker training job (DescribeTrainingJob); only jobs of the last 90 days, at most 100 per region, newest first", jobPerms,
		str("training_job_name", "job name"),
		str("training_job_arn", "job ARN"),
		str("training_job_status", "InProgress, Completed, Failed, Stopping, Stopped"),
		str("role_arn", "IAM role the job runs as"),
		boolean("enable_network_isolation", "the training containers have no network access"),
		boolean("enable_inter_container_traffic_encryption", "traffic between training instances is encrypted"),
		vpcConfig,
		list("input_data_config", "input channels",
			str("channel_name", "channel name, e.g. train"),
			str("s3_uri", "S3 URI read; absent for non-S3 sources")),
		object("output_data_config", "where the model artifacts go",
			str("s3_output_path", "S3 URI written"),
			str("kms_key_id", "KMS key of the artifacts; absent when none")),
		object("resource_config", "training instances",
			str("instance_type", "instance type"),
			integer("instance_count", "number of instances"),
			str("volume_kms_key_id", "KMS key of the storage volumes; absent when none")),
		environment,
		timestamp("creation_time", "when it was created"),
		timestamp("training_end_time", "when training ended; absent while running"))
	job.Taggable = false

	return []resource.Kind{
		aiKind("aws_sagemaker_notebook_instance", "sagemaker", resource.PaaS,
			"SageMaker notebook instance (DescribeNotebookInstance)", nbPerms,
			str("notebook_instance_name", "instance name"),
			str("notebook_instance_arn", "instance ARN"),
			str("notebook_instance_status", "InService, Stopped, Pending, Failed…"),
			str("instance_type", "ML instance type, e.g. ml.t3.medium"),
			str("direct_internet_access", "Enabled (SageMaker gives the instance internet access) or Disabled (only through its VPC)"),
			str("root_access", "Enabled or Disabled: whether notebook users can become root"),
			str("kms_key_id", "KMS key of the storage volume; absent when AWS-managed encryption is used"),
			str("subnet_id", "subnet of the instance's network interface; absent when not in a VPC"),
			list("security_groups", "security group IDs (list of strings)"),
			str("role_arn", "IAM role the notebook runs as"),
			str("platform_identifier", "platform, e.g. notebook-al2-v2"),
			integer("volume_size_in_gb", "storage volume size"),
			object("instance_metadata_service_configuration", "IMDS settings; absent when not reported",
				str("minimum_instance_metadata_service_version", "1 (IMDSv1 allowed) or 2 (IMDSv2 only)")),
			str("default_code_repository", "Git repository cloned at start; absent when none"),
			timestamp("creation_time", "when it was created")),
		aiKind("aws_sagemaker_domain", "sagemaker", resource.PaaS,
			"SageMaker AI domain (Studio): network mode, encryption and default execution role (DescribeDomain)", domainPerms,
			str("domain_id", "domain ID (d-…)"),
			str("domain_arn", "domain ARN"),
			str("domain_name", "domain name"),
			str("status", "InService, Pending, Failed…"),
			str("auth_mode", "SSO or IAM"),
			str("app_network_access_type", "PublicInternetOnly (apps reach the internet through SageMaker) or VpcOnly"),
			str("kms_key_id", "KMS key of the domain's EFS volume; absent when AWS-managed encryption is used"),
			str("vpc_id", "VPC of the apps"),
			list("subnet_ids", "subnets of the apps (list of strings)"),
			str("home_efs_file_system_id", "shared EFS file system of the users' home directories; absent when none"),
			userSettings("default_user_settings", "defaults of every user profile"),
			timestamp("creation_time", "when it was created")),
		user,
		aiKind("aws_sagemaker_endpoint", "sagemaker", resource.PaaS,
			"SageMaker inference endpoint (DescribeEndpoint)", epPerms,
			str("endpoint_name", "endpoint name"),
			str("endpoint_arn", "endpoint ARN"),
			str("endpoint_config_name", "configuration in use"),
			str("endpoint_status", "InService, Creating, Failed…"),
			list("production_variants", "variants being served",
				str("variant_name", "variant name"),
				integer("current_instance_count", "instances running; absent for serverless variants")),
			object("data_capture_config", "request/response capture; absent when never configured",
				boolean("enable_capture", "capture is on"),
				str("capture_status", "Started or Stopped"),
				str("destination_s3_uri", "where captured data is written"),
				str("kms_key_id", "KMS key of the captured data; absent when none")),
			timestamp("creation_time", "when it was created")),
		epc,
		aiKind("aws_sagemaker_model", "sagemaker", resource.PaaS,
			"SageMaker model: inference containers, their network access and execution role (DescribeModel)", modelPerms,
			str("model_name", "model name"),
			str("model_arn", "model ARN"),
			str("execution_role_arn", "IAM role the containers run as"),
			boolean("enable_network_isolation", "the containers have no network access"),
			vpcConfig,
			object("primary_container", "the container; absent for multi-container models", container...),
			list("containers", "containers of an inference pipeline; empty for single-container models", container...),
			timestamp("creation_time", "when it was created")),
		job,
	}
}

// collectSageMaker emits the region's SageMaker resources. A region
// without a SageMaker endpoint is skipped.
func collectSageMaker(ctx context.Context, s *scope) error {
	var api sagemakerAPI = sagemaker.NewFromConfig(s.cfg(s.region))
	for _, part := range []func(context.Context, *scope, sagemakerAPI) (bool, error){
		smNotebooks, smDomains, smEndpoints, smEndpointConfigs, smModels, smTrainingJobs,
	} {
		unavailable, err := part(ctx, s, api)
		if err != nil {
			return err
		}
		if unavailable {
			s.c.log.Info("aws: SageMaker is not offered in the region, skipped", "account", s.acct.id, "region", s.region)
			return nil
		}
	}
	return nil
}

// smList pages through one listing. It reports unavailable when the
// service has no endpoint in the region, and records any other failure.
func smList[T any](ctx context.Context, s *scope, op string, next func(context.Context) (bool, []T, error)) (items []T, ok, unavailable bool, err error) {
	for {
		more, page, lerr := next(ctx)
		if lerr != nil {
			if serviceUnavailable(lerr) {
				return nil, false, true, nil
			}
			return nil, false, false, s.fail(ctx, op, lerr)
		}
		items = append(items, page...)
		if !more {
			return items, true, false, nil
		}
	}
}

// each runs fn over items with the scope's detail concurrency.
func each[T any](ctx context.Context, s *scope, items []T, fn func(context.Context, T) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, it := range items {
		g.Go(func() error { return fn(gctx, it) })
	}
	return g.Wait()
}

// smTags reads a resource's tags; a failure is recorded and gives no tags.
func smTags(ctx context.Context, s *scope, api sagemakerAPI, arn string) (map[string]string, error) {
	var tags map[string]string
	pages := sagemaker.NewListTagsPaginator(api, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, s.fail(ctx, "sagemaker:ListTags", err)
		}
		for k, v := range tagMap(page.Tags, func(t smtypes.Tag) (*string, *string) { return t.Key, t.Value }) {
			if tags == nil {
				tags = map[string]string{}
			}
			tags[k] = v
		}
	}
	return tags, nil
}

func smVPC(v *smtypes.VpcConfig) (obj, []string) {
	if v == nil {
		return nil, nil
	}
	return obj{"subnets": strs(v.Subnets), "security_group_ids": strs(v.SecurityGroupIds)}, v.SecurityGroupIds
}

func redactedEnv(env map[string]string) []obj {
	out := []obj{}
	for _, k := range sortedKeys(env) {
		out = append(out, obj{"name": k, "looks_like_secret": looksLikeSecret(k, env[k])})
	}
	return out
}

func smNotebooks(ctx context.Context, s *scope, api sagemakerAPI) (bool, error) {
	pages := sagemaker.NewListNotebookInstancesPaginator(api, &sagemaker.ListNotebookInstancesInput{})
	items, ok, unavailable, err := smList(ctx, s, "sagemaker:ListNotebookInstances", func(ctx context.Context) (bool, []smtypes.NotebookInstanceSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.NotebookInstances, nil
	})
	if !ok {
		return unavailable, err
	}
	return false, each(ctx, s, items, func(ctx context.Context, it smtypes.NotebookInstanceSummary) error {
		d, err := api.DescribeNotebookInstance(ctx, &sagemaker.DescribeNotebookInstanceInput{NotebookInstanceName: it.NotebookInstanceName})
		if err != nil {
			return s.fail(ctx, "sagemaker:DescribeNotebookInstance", err)
		}
		arn := aws.ToString(d.NotebookInstanceArn)
		p := obj{
			"notebook_instance_name": aws.ToString(d.NotebookInstanceName), "notebook_instance_arn": arn,
			"notebook_instance_status": string(d.NotebookInstanceStatus), "instance_type": string(d.InstanceType),
			"direct_internet_access": string(d.DirectInternetAccess), "root_access": string(d.RootAccess),
			"security_groups": strs(d.SecurityGroups), "role_arn": aws.ToString(d.RoleArn),
			"platform_identifier": aws.ToString(d.PlatformIdentifier), "volume_size_in_gb": deref(d.VolumeSizeInGB),
		}
		setStr(p, "kms_key_id", d.KmsKeyId)
		setStr(p, "subnet_id", d.SubnetId)
		setStr(p, "default_code_repository", d.DefaultCodeRepository)
		if m := d.InstanceMetadataServiceConfiguration; m != nil {
			p["instance_metadata_service_configuration"] = obj{"minimum_instance_metadata_service_version": aws.ToString(m.MinimumInstanceMetadataServiceVersion)}
		}
		setTS(p, "creation_time", d.CreationTime)
		tags, err := smTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_sagemaker_notebook_instance", arn, aws.ToString(d.NotebookInstanceName), tags, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{keys: []string{aws.ToString(d.KmsKeyId)}, roles: []string{aws.ToString(d.RoleArn)}, securityGroups: d.SecurityGroups})
	})
}

func smDomains(ctx context.Context, s *scope, api sagemakerAPI) (bool, error) {
	pages := sagemaker.NewListDomainsPaginator(api, &sagemaker.ListDomainsInput{})
	items, ok, unavailable, err := smList(ctx, s, "sagemaker:ListDomains", func(ctx context.Context) (bool, []smtypes.DomainDetails, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.Domains, nil
	})
	if !ok {
		return unavailable, err
	}
	return false, each(ctx, s, items, func(ctx context.Context, it smtypes.DomainDetails) error {
		d, err := api.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: it.DomainId})
		if err != nil {
			if ferr := s.fail(ctx, "sagemaker:DescribeDomain", err); ferr != nil {
				return ferr
			}
			// The profiles can still be listed, without the domain default role.
			return smUserProfiles(ctx, s, api, aws.ToString(it.DomainId), "")
		}
		arn := aws.ToString(d.DomainArn)
		defaults := smUserSettings(d.DefaultUserSettings)
		p := obj{
			"domain_id": aws.ToString(d.DomainId), "domain_arn": arn, "domain_name": aws.ToString(d.DomainName),
			"status": string(d.Status), "auth_mode": string(d.AuthMode), "app_network_access_type": string(d.AppNetworkAccessType),
			"vpc_id": aws.ToString(d.VpcId), "subnet_ids": strs(d.SubnetIds), "default_user_settings": defaults,
		}
		setStr(p, "kms_key_id", d.KmsKeyId)
		setStr(p, "home_efs_file_system_id", d.HomeEfsFileSystemId)
		setTS(p, "creation_time", d.CreationTime)
		tags, err := smTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_sagemaker_domain", arn, aws.ToString(d.DomainName), tags, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		var role string
		var sgs []string
		if u := d.DefaultUserSettings; u != nil {
			role, sgs = aws.ToString(u.ExecutionRole), u.SecurityGroups
		}
		if err := s.aiEdges(ctx, arn, aiEdges{keys: []string{aws.ToString(d.KmsKeyId)}, roles: []string{role}, vpcs: []string{aws.ToString(d.VpcId)}, securityGroups: sgs}); err != nil {
			return err
		}
		return smUserProfiles(ctx, s, api, aws.ToString(d.DomainId), role)
	})
}

func smUserSettings(u *smtypes.UserSettings) obj {
	if u == nil {
		return obj{"security_groups": []string{}}
	}
	o := obj{"security_groups": strs(u.SecurityGroups)}
	setStr(o, "execution_role", u.ExecutionRole)
	return o
}

// smUserProfiles emits a domain's user profiles; defaultRole is the
// domain's default execution role ("" when unknown).
func smUserProfiles(ctx context.Context, s *scope, api sagemakerAPI, domainID, defaultRole string) error {
	pages := sagemaker.NewListUserProfilesPaginator(api, &sagemaker.ListUserProfilesInput{DomainIdEquals: aws.String(domainID)})
	items, ok, _, err := smList(ctx, s, "sagemaker:ListUserProfiles", func(ctx context.Context) (bool, []smtypes.UserProfileDetails, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.UserProfiles, nil
	})
	if !ok {
		return err
	}
	return each(ctx, s, items, func(ctx context.Context, it smtypes.UserProfileDetails) error {
		d, err := api.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(domainID), UserProfileName: it.UserProfileName})
		if err != nil {
			return s.fail(ctx, "sagemaker:DescribeUserProfile", err)
		}
		arn := aws.ToString(d.UserProfileArn)
		p := obj{
			"user_profile_name": aws.ToString(d.UserProfileName), "user_profile_arn": arn, "domain_id": domainID,
			"status": string(d.Status), "user_settings": smUserSettings(d.UserSettings),
		}
		role := defaultRole
		var sgs []string
		if u := d.UserSettings; u != nil {
			if u.ExecutionRole != nil {
				role = *u.ExecutionRole
			}
			sgs = u.SecurityGroups
		}
		setNonEmpty(p, "effective_execution_role", role)
		setTS(p, "creation_time", d.CreationTime)
		if err := s.emit(ctx, "aws_sagemaker_user_profile", arn, aws.ToString(d.UserProfileName), nil, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		if err := s.edge(ctx, arn, s.arn("sagemaker", s.region, "domain/"+domainID), "member_of"); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{roles: []string{role}, securityGroups: sgs})
	})
}

func smEndpoints(ctx context.Context, s *scope, api sagemakerAPI) (bool, error) {
	pages := sagemaker.NewListEndpointsPaginator(api, &sagemaker.ListEndpointsInput{})
	items, ok, unavailable, err := smList(ctx, s, "sagemaker:ListEndpoints", func(ctx context.Context) (bool, []smtypes.EndpointSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.Endpoints, nil
	})
	if !ok {
		return unavailable, err
	}
	return false, each(ctx, s, items, func(ctx context.Context, it smtypes.EndpointSummary) error {
		d, err := api.DescribeEndpoint(ctx, &sagemaker.DescribeEndpointInput{EndpointName: it.EndpointName})
		if err != nil {
			return s.fail(ctx, "sagemaker:DescribeEndpoint", err)
		}
		arn := aws.ToString(d.EndpointArn)
		variants := []obj{}
		for _, v := range d.ProductionVariants {
			o := obj{"variant_name": aws.ToString(v.VariantName)}
			if v.CurrentInstanceCount != nil {
				o["current_instance_count"] = *v.CurrentInstanceCount
			}
			variants = append(variants, o)
		}
		p := obj{
			"endpoint_name": aws.ToString(d.EndpointName), "endpoint_arn": arn, "endpoint_config_name": aws.ToString(d.EndpointConfigName),
			"endpoint_status": string(d.EndpointStatus), "production_variants": variants,
		}
		var writes, keys []string
		if c := d.DataCaptureConfig; c != nil {
			dc := obj{"enable_capture": deref(c.EnableCapture), "capture_status": string(c.CaptureStatus), "destination_s3_uri": aws.ToString(c.DestinationS3Uri)}
			setStr(dc, "kms_key_id", c.KmsKeyId)
			p["data_capture_config"] = dc
			writes, keys = append(writes, aws.ToString(c.DestinationS3Uri)), append(keys, aws.ToString(c.KmsKeyId))
		}
		setTS(p, "creation_time", d.CreationTime)
		tags, err := smTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_sagemaker_endpoint", arn, aws.ToString(d.EndpointName), tags, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		if err := s.edge(ctx, arn, s.arn("sagemaker", s.region, "endpoint-config/"+lowerName(aws.ToString(d.EndpointConfigName))), "uses_config"); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{writes: writes, keys: keys})
	})
}

func smEndpointConfigs(ctx context.Context, s *scope, api sagemakerAPI) (bool, error) {
	pages := sagemaker.NewListEndpointConfigsPaginator(api, &sagemaker.ListEndpointConfigsInput{})
	items, ok, unavailable, err := smList(ctx, s, "sagemaker:ListEndpointConfigs", func(ctx context.Context) (bool, []smtypes.EndpointConfigSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.EndpointConfigs, nil
	})
	if !ok {
		return unavailable, err
	}
	return false, each(ctx, s, items, func(ctx context.Context, it smtypes.EndpointConfigSummary) error {
		d, err := api.DescribeEndpointConfig(ctx, &sagemaker.DescribeEndpointConfigInput{EndpointConfigName: it.EndpointConfigName})
		if err != nil {
			return s.fail(ctx, "sagemaker:DescribeEndpointConfig", err)
		}
		arn := aws.ToString(d.EndpointConfigArn)
		variants := []obj{}
		var models []string
		for _, v := range d.ProductionVariants {
			o := obj{"variant_name": aws.ToString(v.VariantName), "model_name": aws.ToString(v.ModelName)}
			if v.InstanceType != "" {
				o["instance_type"] = string(v.InstanceType)
			}
			if v.InitialInstanceCount != nil {
				o["initial_instance_count"] = *v.InitialInstanceCount
			}
			variants = append(variants, o)
			models = append(models, aws.ToString(v.ModelName))
		}
		p := obj{"endpoint_config_name": aws.ToString(d.EndpointConfigName), "endpoint_config_arn": arn, "production_variants": variants}
		setStr(p, "kms_key_id", d.KmsKeyId)
		keys := []string{aws.ToString(d.KmsKeyId)}
		var writes []string
		if c := d.DataCaptureConfig; c != nil {
			dc := obj{"enable_capture": deref(c.EnableCapture), "destination_s3_uri": aws.ToString(c.DestinationS3Uri), "initial_sampling_percentage": deref(c.InitialSamplingPercentage)}
			setStr(dc, "kms_key_id", c.KmsKeyId)
			p["data_capture_config"] = dc
			writes, keys = append(writes, aws.ToString(c.DestinationS3Uri)), append(keys, aws.ToString(c.KmsKeyId))
		}
		if a := d.AsyncInferenceConfig; a != nil && a.OutputConfig != nil {
			o := obj{"s3_output_path": aws.ToString(a.OutputConfig.S3OutputPath)}
			setStr(o, "kms_key_id", a.OutputConfig.KmsKeyId)
			p["async_inference_config"] = o
			writes, keys = append(writes, aws.ToString(a.OutputConfig.S3OutputPath)), append(keys, aws.ToString(a.OutputConfig.KmsKeyId))
		}
		if d.EnableNetworkIsolation != nil {
			p["enable_network_isolation"] = *d.EnableNetworkIsolation
		}
		vpc, sgs := smVPC(d.VpcConfig)
		if vpc != nil {
			p["vpc_config"] = vpc
		}
		setTS(p, "creation_time", d.CreationTime)
		if err := s.emit(ctx, "aws_sagemaker_endpoint_config", arn, aws.ToString(d.EndpointConfigName), nil, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		for _, m := range models {
			if err := s.edge(ctx, arn, s.arn("sagemaker", s.region, "model/"+lowerName(m)), "serves_model"); err != nil {
				return err
			}
		}
		return s.aiEdges(ctx, arn, aiEdges{writes: writes, keys: keys, roles: []string{aws.ToString(d.ExecutionRoleArn)}, securityGroups: sgs})
	})
}

func smContainer(c smtypes.ContainerDefinition) obj {
	o := obj{"image": aws.ToString(c.Image), "environment": redactedEnv(c.Environment)}
	setStr(o, "model_data_url", c.ModelDataUrl)
	if c.Mode != "" {
		o["mode"] = string(c.Mode)
	}
	return o
}

func smModels(ctx context.Context, s *scope, api sagemakerAPI) (bool, error) {
	pages := sagemaker.NewListModelsPaginator(api, &sagemaker.ListModelsInput{})
	items, ok, unavailable, err := smList(ctx, s, "sagemaker:ListModels", func(ctx context.Context) (bool, []smtypes.ModelSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		return pages.HasMorePages(), p.Models, nil
	})
	if !ok {
		return unavailable, err
	}
	return false, each(ctx, s, items, func(ctx context.Context, it smtypes.ModelSummary) error {
		d, err := api.DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: it.ModelName})
		if err != nil {
			return s.fail(ctx, "sagemaker:DescribeModel", err)
		}
		arn := aws.ToString(d.ModelArn)
		containers := []obj{}
		var reads []string
		for _, c := range d.Containers {
			containers = append(containers, smContainer(c))
			reads = append(reads, aws.ToString(c.ModelDataUrl))
		}
		p := obj{
			"model_name": aws.ToString(d.ModelName), "model_arn": arn, "execution_role_arn": aws.ToString(d.ExecutionRoleArn),
			"enable_network_isolation": deref(d.EnableNetworkIsolation), "containers": containers,
		}
		if d.PrimaryContainer != nil {
			p["primary_container"] = smContainer(*d.PrimaryContainer)
			reads = append(reads, aws.ToString(d.PrimaryContainer.ModelDataUrl))
		}
		vpc, sgs := smVPC(d.VpcConfig)
		if vpc != nil {
			p["vpc_config"] = vpc
		}
		setTS(p, "creation_time", d.CreationTime)
		tags, err := smTags(ctx, s, api, arn)
		if err != nil {
			return err
		}
		if err := s.emit(ctx, "aws_sagemaker_model", arn, aws.ToString(d.ModelName), tags, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{reads: reads, roles: []string{aws.ToString(d.ExecutionRoleArn)}, securityGroups: sgs})
	})
}

func smTrainingJobs(ctx context.Context, s *scope, api sagemakerAPI) (bool, error) {
	since := time.Now().Add(-aiJobWindowDays * 24 * time.Hour)
	pages := sagemaker.NewListTrainingJobsPaginator(api, &sagemaker.ListTrainingJobsInput{
		CreationTimeAfter: aws.Time(since), SortBy: smtypes.SortByCreationTime, SortOrder: smtypes.SortOrderDescending,
		MaxResults: aws.Int32(aiJobLimit),
	})
	var items []smtypes.TrainingJobSummary
	_, ok, unavailable, err := smList(ctx, s, "sagemaker:ListTrainingJobs", func(ctx context.Context) (bool, []smtypes.TrainingJobSummary, error) {
		p, err := pages.NextPage(ctx)
		if err != nil {
			return false, nil, err
		}
		items = append(items, p.TrainingJobSummaries...)
		return pages.HasMorePages() && len(items) < aiJobLimit, nil, nil
	})
	if !ok {
		return unavailable, err
	}
	if len(items) > aiJobLimit {
		items = items[:aiJobLimit]
	}
	return false, each(ctx, s, items, func(ctx context.Context, it smtypes.TrainingJobSummary) error {
		d, err := api.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: it.TrainingJobName})
		if err != nil {
			return s.fail(ctx, "sagemaker:DescribeTrainingJob", err)
		}
		arn := aws.ToString(d.TrainingJobArn)
		inputs := []obj{}
		var reads []string
		for _, c := range d.InputDataConfig {
			o := obj{"channel_name": aws.ToString(c.ChannelName)}
			if c.DataSource != nil && c.DataSource.S3DataSource != nil {
				o["s3_uri"] = aws.ToString(c.DataSource.S3DataSource.S3Uri)
				reads = append(reads, aws.ToString(c.DataSource.S3DataSource.S3Uri))
			}
			inputs = append(inputs, o)
		}
		p := obj{
			"training_job_name": aws.ToString(d.TrainingJobName), "training_job_arn": arn,
			"training_job_status": string(d.TrainingJobStatus), "role_arn": aws.ToString(d.RoleArn),
			"enable_network_isolation":                  deref(d.EnableNetworkIsolation),
			"enable_inter_container_traffic_encryption": deref(d.EnableInterContainerTrafficEncryption),
			"input_data_config":                         inputs, "environment": redactedEnv(d.Environment),
		}
		vpc, sgs := smVPC(d.VpcConfig)
		if vpc != nil {
			p["vpc_config"] = vpc
		}
		var writes, keys []string
		out := obj{}
		if o := d.OutputDataConfig; o != nil {
			out["s3_output_path"] = aws.ToString(o.S3OutputPath)
			setStr(out, "kms_key_id", o.KmsKeyId)
			writes, keys = append(writes, aws.ToString(o.S3OutputPath)), append(keys, aws.ToString(o.KmsKeyId))
		}
		p["output_data_config"] = out
		rc := obj{}
		if r := d.ResourceConfig; r != nil {
			rc["instance_type"] = string(r.InstanceType)
			rc["instance_count"] = deref(r.InstanceCount)
			setStr(rc, "volume_kms_key_id", r.VolumeKmsKeyId)
			keys = append(keys, aws.ToString(r.VolumeKmsKeyId))
		}
		p["resource_config"] = rc
		setTS(p, "creation_time", d.CreationTime)
		setTS(p, "training_end_time", d.TrainingEndTime)
		if err := s.emit(ctx, "aws_sagemaker_training_job", arn, aws.ToString(d.TrainingJobName), nil, timeOf(d.CreationTime), p); err != nil {
			return err
		}
		return s.aiEdges(ctx, arn, aiEdges{reads: reads, writes: writes, keys: keys, roles: []string{aws.ToString(d.RoleArn)}, securityGroups: sgs})
	})
}
