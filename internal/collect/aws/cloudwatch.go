package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// cloudwatchAPI is every CloudWatch operation the collector calls.
type cloudwatchAPI interface {
	DescribeAlarms(ctx context.Context, in *cloudwatch.DescribeAlarmsInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error)
	ListTagsForResource(ctx context.Context, in *cloudwatch.ListTagsForResourceInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.ListTagsForResourceOutput, error)
}

// collectAlarms emits the region's metric alarms with their tags.
func collectAlarms(ctx context.Context, s *scope) error {
	var api cloudwatchAPI = cloudwatch.NewFromConfig(s.cfg(s.region))
	pages := cloudwatch.NewDescribeAlarmsPaginator(api, &cloudwatch.DescribeAlarmsInput{
		AlarmTypes: []types.AlarmType{types.AlarmTypeMetricAlarm},
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "cloudwatch:DescribeAlarms", err)
		}
		for _, a := range page.MetricAlarms {
			arn := aws.ToString(a.AlarmArn)
			name := aws.ToString(a.AlarmName)
			p := obj{
				"alarm_name": name, "alarm_arn": arn, "comparison_operator": string(a.ComparisonOperator),
				"threshold": deref(a.Threshold), "evaluation_periods": deref(a.EvaluationPeriods), "period": deref(a.Period),
				"actions_enabled": deref(a.ActionsEnabled), "alarm_actions": strs(a.AlarmActions),
				"state_value": string(a.StateValue),
			}
			setStr(p, "alarm_description", a.AlarmDescription)
			setStr(p, "metric_name", a.MetricName)
			setStr(p, "namespace", a.Namespace)
			setNonEmpty(p, "statistic", string(a.Statistic))
			setTS(p, "state_updated_timestamp", a.StateUpdatedTimestamp)
			var tags map[string]string
			tg, err := api.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: a.AlarmArn})
			if err != nil {
				if ferr := s.fail(ctx, "cloudwatch:ListTagsForResource", err); ferr != nil {
					return ferr
				}
			} else if len(tg.Tags) > 0 {
				tags = make(map[string]string, len(tg.Tags))
				for _, t := range tg.Tags {
					tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
				}
			}
			if err := s.emit(ctx, "aws_cloudwatch_alarm", arn, name, tags, timeOf(a.AlarmConfigurationUpdatedTimestamp), p); err != nil {
				return err
			}
			for _, act := range a.AlarmActions {
				if err := s.edge(ctx, arn, act, "notifies"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
