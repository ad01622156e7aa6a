package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"golang.org/x/sync/errgroup"
)

// logsAPI is every CloudWatch Logs operation the collector calls.
type logsAPI interface {
	DescribeLogGroups(ctx context.Context, in *cloudwatchlogs.DescribeLogGroupsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error)
	ListTagsForResource(ctx context.Context, in *cloudwatchlogs.ListTagsForResourceInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.ListTagsForResourceOutput, error)
	DescribeMetricFilters(ctx context.Context, in *cloudwatchlogs.DescribeMetricFiltersInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeMetricFiltersOutput, error)
}

// collectLogs emits the region's log groups with their tags.
func collectLogs(ctx context.Context, s *scope) error {
	var api logsAPI = cloudwatchlogs.NewFromConfig(s.cfg(s.region))
	pages := cloudwatchlogs.NewDescribeLogGroupsPaginator(api, &cloudwatchlogs.DescribeLogGroupsInput{})
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			if ferr := s.fail(ctx, "logs:DescribeLogGroups", err); ferr != nil {
				return ferr
			}
			break
		}
		for _, lg := range page.LogGroups {
			g.Go(func() error {
				name := aws.ToString(lg.LogGroupName)
				arn := trimLogGroupARN(aws.ToString(lg.Arn))
				if arn == "" {
					arn = s.arn("logs", s.region, "log-group:"+name)
				}
				p := obj{"log_group_name": name, "arn": arn, "stored_bytes": deref(lg.StoredBytes), "log_group_class": string(lg.LogGroupClass)}
				var created time.Time
				if lg.CreationTime != nil {
					created = time.UnixMilli(*lg.CreationTime).UTC()
					p["creation_time"] = created.Format(time.RFC3339)
				}
				if lg.RetentionInDays != nil {
					p["retention_in_days"] = *lg.RetentionInDays
				}
				setStr(p, "kms_key_id", lg.KmsKeyId)
				var tags map[string]string
				tg, err := api.ListTagsForResource(gctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
				if err != nil {
					if ferr := s.fail(gctx, "logs:ListTagsForResource", err); ferr != nil {
						return ferr
					}
				} else if len(tg.Tags) > 0 {
					tags = tg.Tags
				}
				if err := s.emit(gctx, "aws_cloudwatch_log_group", arn, name, tags, created, p); err != nil {
					return err
				}
				return s.edge(gctx, arn, aws.ToString(lg.KmsKeyId), "encrypted_with")
			})
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return collectMetricFilters(ctx, s, api)
}

// collectMetricFilters emits the region's metric filters. They have no ARN:
// the UID is the log group's ARN followed by ":metric-filter:" and the
// filter name.
func collectMetricFilters(ctx context.Context, s *scope, api logsAPI) error {
	pages := cloudwatchlogs.NewDescribeMetricFiltersPaginator(api, &cloudwatchlogs.DescribeMetricFiltersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "logs:DescribeMetricFilters", err)
		}
		for _, f := range page.MetricFilters {
			name := aws.ToString(f.FilterName)
			lgArn := s.arn("logs", s.region, "log-group:"+aws.ToString(f.LogGroupName))
			mts := make([]obj, 0, len(f.MetricTransformations))
			for _, m := range f.MetricTransformations {
				mt := obj{"metric_name": aws.ToString(m.MetricName), "metric_namespace": aws.ToString(m.MetricNamespace),
					"metric_value": aws.ToString(m.MetricValue)}
				setNonEmpty(mt, "unit", string(m.Unit))
				mts = append(mts, mt)
			}
			p := obj{"filter_name": name, "log_group_name": aws.ToString(f.LogGroupName),
				"filter_pattern": aws.ToString(f.FilterPattern), "metric_transformations": mts}
			var created time.Time
			if f.CreationTime != nil {
				created = time.UnixMilli(*f.CreationTime).UTC()
				p["creation_time"] = created.Format(time.RFC3339)
			}
			uid := lgArn + ":metric-filter:" + name
			if err := s.emit(ctx, "aws_cloudwatch_log_metric_filter", uid, name, nil, created, p); err != nil {
				return err
			}
			if err := s.edge(ctx, uid, lgArn, "reads_log_group"); err != nil {
				return err
			}
		}
	}
	return nil
}
