package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"golang.org/x/sync/errgroup"
)

// cloudFrontAPI is every CloudFront operation the collector calls.
type cloudFrontAPI interface {
	ListDistributions(ctx context.Context, in *cloudfront.ListDistributionsInput, optFns ...func(*cloudfront.Options)) (*cloudfront.ListDistributionsOutput, error)
	GetDistributionConfig(ctx context.Context, in *cloudfront.GetDistributionConfigInput, optFns ...func(*cloudfront.Options)) (*cloudfront.GetDistributionConfigOutput, error)
	ListTagsForResource(ctx context.Context, in *cloudfront.ListTagsForResourceInput, optFns ...func(*cloudfront.Options)) (*cloudfront.ListTagsForResourceOutput, error)
}

// collectCloudFront emits the account's distributions (a global service,
// called in us-east-1). The listing carries the TLS, protocol and WAF
// settings; the standard logging configuration needs GetDistributionConfig.
func collectCloudFront(ctx context.Context, s *scope) error {
	cfg := s.cfg(cloudFrontRegion(s))
	var api cloudFrontAPI = cloudfront.NewFromConfig(cfg)
	var dists []cftypes.DistributionSummary
	pages := cloudfront.NewListDistributionsPaginator(api, &cloudfront.ListDistributionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "cloudfront:ListDistributions", err)
		}
		if page.DistributionList != nil {
			dists = append(dists, page.DistributionList.Items...)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, d := range dists {
		g.Go(func() error { return collectDistribution(gctx, s, api, d) })
	}
	return g.Wait()
}

// cloudFrontRegion is the region CloudFront's control plane answers in.
func cloudFrontRegion(s *scope) string {
	if s.acct.partition == "aws-cn" {
		return "cn-northwest-1"
	}
	return "us-east-1"
}

func collectDistribution(ctx context.Context, s *scope, api cloudFrontAPI, d cftypes.DistributionSummary) error {
	arn := aws.ToString(d.ARN)
	p := obj{
		"id": aws.ToString(d.Id), "arn": arn, "domain_name": aws.ToString(d.DomainName),
		"status": aws.ToString(d.Status), "enabled": deref(d.Enabled), "comment": aws.ToString(d.Comment),
		"http_version": string(d.HttpVersion), "price_class": string(d.PriceClass),
		"web_acl_id": aws.ToString(d.WebACLId),
	}
	setTS(p, "last_modified_time", d.LastModifiedTime)
	aliases := []string{}
	if d.Aliases != nil {
		aliases = strs(d.Aliases.Items)
	}
	p["aliases"] = aliases
	if vc := d.ViewerCertificate; vc != nil {
		v := obj{
			"cloudfront_default_certificate": deref(vc.CloudFrontDefaultCertificate),
			"minimum_protocol_version":       string(vc.MinimumProtocolVersion),
			"ssl_support_method":             string(vc.SSLSupportMethod),
		}
		setStr(v, "acm_certificate_arn", vc.ACMCertificateArn)
		setStr(v, "iam_certificate_id", vc.IAMCertificateId)
		p["viewer_certificate"] = v
	}
	if dcb := d.DefaultCacheBehavior; dcb != nil {
		p["default_cache_behavior"] = obj{"viewer_protocol_policy": string(dcb.ViewerProtocolPolicy), "target_origin_id": aws.ToString(dcb.TargetOriginId)}
	}
	behaviors := []obj{}
	if d.CacheBehaviors != nil {
		for _, cb := range d.CacheBehaviors.Items {
			behaviors = append(behaviors, obj{"path_pattern": aws.ToString(cb.PathPattern),
				"viewer_protocol_policy": string(cb.ViewerProtocolPolicy), "target_origin_id": aws.ToString(cb.TargetOriginId)})
		}
	}
	p["cache_behaviors"] = behaviors
	origins := []obj{}
	if d.Origins != nil {
		for _, o := range d.Origins.Items {
			od := obj{"id": aws.ToString(o.Id), "domain_name": aws.ToString(o.DomainName)}
			if c := o.CustomOriginConfig; c != nil {
				cd := obj{"origin_protocol_policy": string(c.OriginProtocolPolicy)}
				if c.OriginSslProtocols != nil {
					cd["origin_ssl_protocols"] = enumStrs(c.OriginSslProtocols.Items)
				}
				od["custom_origin_config"] = cd
			}
			setNonEmpty(od, "origin_access_control_id", aws.ToString(o.OriginAccessControlId))
			origins = append(origins, od)
		}
	}
	p["origins"] = origins
	// Standard (legacy) logging lives in the distribution's configuration
	// only; a failure leaves "logging" out, so the logging check ERRORs.
	cfg, err := api.GetDistributionConfig(ctx, &cloudfront.GetDistributionConfigInput{Id: d.Id})
	if err != nil {
		if ferr := s.fail(ctx, "cloudfront:GetDistributionConfig", err); ferr != nil {
			return ferr
		}
	} else {
		l := obj{"enabled": false, "bucket": "", "prefix": "", "include_cookies": false}
		if cfg.DistributionConfig != nil && cfg.DistributionConfig.Logging != nil {
			lc := cfg.DistributionConfig.Logging
			l = obj{"enabled": deref(lc.Enabled), "bucket": aws.ToString(lc.Bucket), "prefix": aws.ToString(lc.Prefix), "include_cookies": deref(lc.IncludeCookies)}
		}
		p["logging"] = l
	}
	var tags map[string]string
	tg, err := api.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: d.ARN})
	if err != nil {
		if ferr := s.fail(ctx, "cloudfront:ListTagsForResource", err); ferr != nil {
			return ferr
		}
	} else if tg.Tags != nil {
		tags = tagMap(tg.Tags.Items, func(t cftypes.Tag) (*string, *string) { return t.Key, t.Value })
	}
	return s.emit(ctx, "aws_cloudfront_distribution", arn, aws.ToString(d.Id), tags, timeOf(d.LastModifiedTime), p)
}
