package aws

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"golang.org/x/sync/errgroup"
)

// sqsAPI is every SQS operation the collector calls. It never receives or
// peeks at messages.
type sqsAPI interface {
	ListQueues(ctx context.Context, in *sqs.ListQueuesInput, optFns ...func(*sqs.Options)) (*sqs.ListQueuesOutput, error)
	GetQueueAttributes(ctx context.Context, in *sqs.GetQueueAttributesInput, optFns ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error)
	ListQueueTags(ctx context.Context, in *sqs.ListQueueTagsInput, optFns ...func(*sqs.Options)) (*sqs.ListQueueTagsOutput, error)
}

// collectSQS emits the region's queues with their access policy and
// encryption (GetQueueAttributes All) and tags.
func collectSQS(ctx context.Context, s *scope) error {
	var api sqsAPI = sqs.NewFromConfig(s.cfg(s.region))
	var urls []string
	pages := sqs.NewListQueuesPaginator(api, &sqs.ListQueuesInput{MaxResults: aws.Int32(1000)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "sqs:ListQueues", err)
		}
		urls = append(urls, page.QueueUrls...)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, u := range urls {
		g.Go(func() error { return collectQueue(gctx, s, api, u) })
	}
	return g.Wait()
}

func collectQueue(ctx context.Context, s *scope, api sqsAPI, url string) error {
	out, err := api.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll},
	})
	if err != nil {
		if isCode(err, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist") {
			return nil // deleted since the listing
		}
		return s.fail(ctx, "sqs:GetQueueAttributes", err)
	}
	a := out.Attributes
	name := url[strings.LastIndex(url, "/")+1:]
	arn := a["QueueArn"]
	if arn == "" {
		arn = s.arn("sqs", s.region, name)
	}
	num := func(k string) int {
		n, _ := strconv.Atoi(a[k])
		return n
	}
	p := obj{
		"queue_url": url, "queue_arn": arn, "queue_name": name,
		"fifo_queue": a["FifoQueue"] == "true", "sqs_managed_sse_enabled": a["SqsManagedSseEnabled"] == "true",
		"visibility_timeout": num("VisibilityTimeout"), "message_retention_period": num("MessageRetentionPeriod"),
	}
	setNonEmpty(p, "kms_master_key_id", a["KmsMasterKeyId"])
	var created time.Time
	if sec, err := strconv.ParseInt(a["CreatedTimestamp"], 10, 64); err == nil {
		created = time.Unix(sec, 0).UTC()
		p["created_timestamp"] = created.Format(time.RFC3339)
	}
	if err := setResourcePolicy(ctx, s, p, "policy", "sqs:GetQueueAttributes", a["Policy"]); err != nil {
		return err
	}
	var tags map[string]string
	tg, err := api.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(url)})
	if err != nil {
		if ferr := s.fail(ctx, "sqs:ListQueueTags", err); ferr != nil {
			return ferr
		}
	} else if len(tg.Tags) > 0 {
		tags = tg.Tags
	}
	return s.emit(ctx, "aws_sqs_queue", arn, name, tags, created, p)
}
