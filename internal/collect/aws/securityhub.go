package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
)

// securityHubAPI is every Security Hub operation the collector calls.
type securityHubAPI interface {
	DescribeHub(ctx context.Context, in *securityhub.DescribeHubInput, optFns ...func(*securityhub.Options)) (*securityhub.DescribeHubOutput, error)
	ListTagsForResource(ctx context.Context, in *securityhub.ListTagsForResourceInput, optFns ...func(*securityhub.Options)) (*securityhub.ListTagsForResourceOutput, error)
}

// collectSecurityHub emits the region's hub when Security Hub is enabled.
// InvalidAccessException means "not subscribed": no hub, and no error.
func collectSecurityHub(ctx context.Context, s *scope) error {
	var api securityHubAPI = securityhub.NewFromConfig(s.cfg(s.region))
	hub, err := api.DescribeHub(ctx, &securityhub.DescribeHubInput{})
	if isCode(err, "InvalidAccessException", "ResourceNotFoundException") {
		return nil
	}
	if err != nil {
		return s.fail(ctx, "securityhub:DescribeHub", err)
	}
	arn := aws.ToString(hub.HubArn)
	p := obj{
		"hub_arn": arn, "auto_enable_controls": deref(hub.AutoEnableControls),
		"control_finding_generator": string(hub.ControlFindingGenerator),
	}
	var created time.Time
	if t, err := time.Parse(time.RFC3339, aws.ToString(hub.SubscribedAt)); err == nil {
		created = t
		p["subscribed_at"] = t.UTC().Format(time.RFC3339)
	}
	var tags map[string]string
	tg, err := api.ListTagsForResource(ctx, &securityhub.ListTagsForResourceInput{ResourceArn: hub.HubArn})
	if err != nil {
		if ferr := s.fail(ctx, "securityhub:ListTagsForResource", err); ferr != nil {
			return ferr
		}
	} else if len(tg.Tags) > 0 {
		tags = tg.Tags
	}
	return s.emit(ctx, "aws_securityhub_hub", arn, "default", tags, created, p)
}
