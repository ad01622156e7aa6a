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
	return g.Wait()
}
