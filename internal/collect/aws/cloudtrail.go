package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"golang.org/x/sync/errgroup"
)

// cloudtrailAPI is every CloudTrail operation the collector calls.
type cloudtrailAPI interface {
	DescribeTrails(ctx context.Context, in *cloudtrail.DescribeTrailsInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error)
	GetTrailStatus(ctx context.Context, in *cloudtrail.GetTrailStatusInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error)
	GetEventSelectors(ctx context.Context, in *cloudtrail.GetEventSelectorsInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.GetEventSelectorsOutput, error)
	ListTags(ctx context.Context, in *cloudtrail.ListTagsInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error)
}

// collectCloudTrail emits the trails whose home region is this region
// (shadow trails are left out, so a multi-region trail appears once), with
// status, event selectors and edges to bucket, log group and key.
func collectCloudTrail(ctx context.Context, s *scope) error {
	var api cloudtrailAPI = cloudtrail.NewFromConfig(s.cfg(s.region))
	out, err := api.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(false)})
	if err != nil {
		return s.fail(ctx, "cloudtrail:DescribeTrails", err)
	}
	for _, t := range out.TrailList {
		if r := aws.ToString(t.HomeRegion); r != "" && r != s.region {
			continue
		}
		if err := collectTrail(ctx, s, api, t); err != nil {
			return err
		}
	}
	return nil
}

func collectTrail(ctx context.Context, s *scope, api cloudtrailAPI, t cttypes.Trail) error {
	arn := aws.ToString(t.TrailARN)
	p := obj{
		"name": aws.ToString(t.Name), "trail_arn": arn, "home_region": aws.ToString(t.HomeRegion),
		"s3_bucket_name": aws.ToString(t.S3BucketName), "s3_key_prefix": aws.ToString(t.S3KeyPrefix),
		"is_multi_region_trail": deref(t.IsMultiRegionTrail), "is_organization_trail": deref(t.IsOrganizationTrail),
		"include_global_service_events": deref(t.IncludeGlobalServiceEvents),
		"log_file_validation_enabled":   deref(t.LogFileValidationEnabled),
		"has_custom_event_selectors":    deref(t.HasCustomEventSelectors),
	}
	setStr(p, "kms_key_id", t.KmsKeyId)
	setStr(p, "cloud_watch_logs_log_group_arn", t.CloudWatchLogsLogGroupArn)
	setStr(p, "cloud_watch_logs_role_arn", t.CloudWatchLogsRoleArn)

	// Status, selectors and tags are independent reads.
	var (
		status, sels any
		tags         map[string]string
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		st, err := api.GetTrailStatus(gctx, &cloudtrail.GetTrailStatusInput{Name: t.TrailARN})
		if err != nil {
			return s.fail(ctx, "cloudtrail:GetTrailStatus", err)
		}
		o := obj{"is_logging": deref(st.IsLogging)}
		setTS(o, "latest_delivery_time", st.LatestDeliveryTime)
		setTS(o, "start_logging_time", st.StartLoggingTime)
		status = o
		return nil
	})
	g.Go(func() error {
		sel, err := api.GetEventSelectors(gctx, &cloudtrail.GetEventSelectorsInput{TrailName: t.TrailARN})
		if err != nil {
			return s.fail(ctx, "cloudtrail:GetEventSelectors", err)
		}
		list := []obj{}
		for _, e := range sel.EventSelectors {
			drs := []obj{}
			for _, d := range e.DataResources {
				drs = append(drs, obj{"type": aws.ToString(d.Type), "values": strs(d.Values)})
			}
			list = append(list, obj{
				"read_write_type": string(e.ReadWriteType), "include_management_events": deref(e.IncludeManagementEvents),
				"data_resources": drs,
			})
		}
		sels = list
		return nil
	})
	g.Go(func() error {
		tg, err := api.ListTags(gctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{arn}})
		if err != nil {
			return s.fail(ctx, "cloudtrail:ListTags", err)
		}
		for _, rt := range tg.ResourceTagList {
			tags = tagMap(rt.TagsList, func(t cttypes.Tag) (*string, *string) { return t.Key, t.Value })
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	if status != nil {
		p["status"] = status
	}
	if sels != nil {
		p["event_selectors"] = sels
	}
	if err := s.emit(ctx, "aws_cloudtrail_trail", arn, aws.ToString(t.Name), tags, time.Time{}, p); err != nil {
		return err
	}
	if b := aws.ToString(t.S3BucketName); b != "" {
		if err := s.edge(ctx, arn, "arn:"+s.acct.partition+":s3:::"+b, "delivers_to_bucket"); err != nil {
			return err
		}
	}
	if lg := aws.ToString(t.CloudWatchLogsLogGroupArn); lg != "" {
		if err := s.edge(ctx, arn, trimLogGroupARN(lg), "delivers_to_log_group"); err != nil {
			return err
		}
	}
	return s.edge(ctx, arn, aws.ToString(t.KmsKeyId), "encrypted_with")
}

// trimLogGroupARN drops the ":*" CloudTrail appends to log group ARNs.
func trimLogGroupARN(arn string) string {
	if len(arn) > 2 && arn[len(arn)-2:] == ":*" {
		return arn[:len(arn)-2]
	}
	return arn
}
