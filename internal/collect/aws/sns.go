package aws

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// snsAPI is every SNS operation the collector calls.
type snsAPI interface {
	ListTopics(ctx context.Context, in *sns.ListTopicsInput, optFns ...func(*sns.Options)) (*sns.ListTopicsOutput, error)
	GetTopicAttributes(ctx context.Context, in *sns.GetTopicAttributesInput, optFns ...func(*sns.Options)) (*sns.GetTopicAttributesOutput, error)
	ListSubscriptionsByTopic(ctx context.Context, in *sns.ListSubscriptionsByTopicInput, optFns ...func(*sns.Options)) (*sns.ListSubscriptionsByTopicOutput, error)
	ListTagsForResource(ctx context.Context, in *sns.ListTagsForResourceInput, optFns ...func(*sns.Options)) (*sns.ListTagsForResourceOutput, error)
}

// collectSNS emits the region's topics with their attributes,
// subscriptions and tags. A topic whose attributes cannot be read is
// skipped (and reported); one whose subscriptions cannot be listed is
// emitted without the subscriptions field, so checks that need it ERROR.
func collectSNS(ctx context.Context, s *scope) error {
	var api snsAPI = sns.NewFromConfig(s.cfg(s.region))
	pages := sns.NewListTopicsPaginator(api, &sns.ListTopicsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "sns:ListTopics", err)
		}
		for _, t := range page.Topics {
			if err := collectTopic(ctx, s, api, aws.ToString(t.TopicArn)); err != nil {
				return err
			}
		}
	}
	return nil
}

func collectTopic(ctx context.Context, s *scope, api snsAPI, arn string) error {
	attrs, err := api.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil {
		return s.fail(ctx, "sns:GetTopicAttributes", err)
	}
	a := attrs.Attributes
	count := func(k string) int {
		n, _ := strconv.Atoi(a[k])
		return n
	}
	p := obj{"topic_arn": arn, "display_name": a["DisplayName"],
		"subscriptions_confirmed": count("SubscriptionsConfirmed"), "subscriptions_pending": count("SubscriptionsPending")}
	setNonEmpty(p, "kms_master_key_id", a["KmsMasterKeyId"])
	if err := setResourcePolicy(ctx, s, p, "policy", "sns:GetTopicAttributes", a["Policy"]); err != nil {
		return err
	}

	subs := []obj{}
	subPages := sns.NewListSubscriptionsByTopicPaginator(api, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(arn)})
	for subPages.HasMorePages() {
		page, err := subPages.NextPage(ctx)
		if err != nil {
			if ferr := s.fail(ctx, "sns:ListSubscriptionsByTopic", err); ferr != nil {
				return ferr
			}
			subs = nil
			break
		}
		for _, sub := range page.Subscriptions {
			subs = append(subs, obj{"subscription_arn": aws.ToString(sub.SubscriptionArn),
				"protocol": aws.ToString(sub.Protocol), "endpoint": aws.ToString(sub.Endpoint)})
		}
	}
	if subs != nil {
		p["subscriptions"] = subs
	}

	var tags map[string]string
	tg, err := api.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		if ferr := s.fail(ctx, "sns:ListTagsForResource", err); ferr != nil {
			return ferr
		}
	} else if len(tg.Tags) > 0 {
		tags = make(map[string]string, len(tg.Tags))
		for _, t := range tg.Tags {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	name := arn[strings.LastIndex(arn, ":")+1:]
	return s.emit(ctx, "aws_sns_topic", arn, name, tags, time.Time{}, p)
}
