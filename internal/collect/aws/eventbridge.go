package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
)

// eventBridgeAPI is every EventBridge operation the collector calls.
type eventBridgeAPI interface {
	ListEventBuses(ctx context.Context, in *eventbridge.ListEventBusesInput, optFns ...func(*eventbridge.Options)) (*eventbridge.ListEventBusesOutput, error)
}

// collectEventBridge emits the region's event buses. The listing carries
// each bus's resource policy, so this is one call per page.
func collectEventBridge(ctx context.Context, s *scope) error {
	var api eventBridgeAPI = eventbridge.NewFromConfig(s.cfg(s.region))
	in := &eventbridge.ListEventBusesInput{Limit: aws.Int32(100)}
	for {
		page, err := api.ListEventBuses(ctx, in)
		if err != nil {
			return s.fail(ctx, "events:ListEventBuses", err)
		}
		for _, b := range page.EventBuses {
			arn := aws.ToString(b.Arn)
			if arn == "" {
				arn = s.arn("events", s.region, "event-bus/"+aws.ToString(b.Name))
			}
			p := obj{"name": aws.ToString(b.Name), "arn": arn}
			setStr(p, "description", b.Description)
			setStr(p, "managed_by", b.ManagedBy)
			setTS(p, "creation_time", b.CreationTime)
			setTS(p, "last_modified_time", b.LastModifiedTime)
			if err := setResourcePolicy(ctx, s, p, "policy", "events:ListEventBuses", aws.ToString(b.Policy)); err != nil {
				return err
			}
			if err := s.emit(ctx, "aws_eventbridge_event_bus", arn, aws.ToString(b.Name), nil, timeOf(b.CreationTime), p); err != nil {
				return err
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return nil
		}
		in.NextToken = page.NextToken
	}
}
