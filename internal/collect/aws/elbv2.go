package aws

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"golang.org/x/sync/errgroup"
)

// elbv2API is every Elastic Load Balancing v2 operation the collector
// calls.
type elbv2API interface {
	DescribeLoadBalancers(ctx context.Context, in *elb.DescribeLoadBalancersInput, optFns ...func(*elb.Options)) (*elb.DescribeLoadBalancersOutput, error)
	DescribeLoadBalancerAttributes(ctx context.Context, in *elb.DescribeLoadBalancerAttributesInput, optFns ...func(*elb.Options)) (*elb.DescribeLoadBalancerAttributesOutput, error)
	DescribeListeners(ctx context.Context, in *elb.DescribeListenersInput, optFns ...func(*elb.Options)) (*elb.DescribeListenersOutput, error)
	DescribeTags(ctx context.Context, in *elb.DescribeTagsInput, optFns ...func(*elb.Options)) (*elb.DescribeTagsOutput, error)
}

// elbTagBatch is the most ARNs DescribeTags takes in one call.
const elbTagBatch = 20

// collectELBv2 emits the region's Application, Network and Gateway Load
// Balancers with their attributes and listeners. Tags are read 20 load
// balancers per call.
func collectELBv2(ctx context.Context, s *scope) error {
	var api elbv2API = elb.NewFromConfig(s.cfg(s.region))
	var lbs []elbtypes.LoadBalancer
	pages := elb.NewDescribeLoadBalancersPaginator(api, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(400)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "elasticloadbalancing:DescribeLoadBalancers", err)
		}
		lbs = append(lbs, page.LoadBalancers...)
	}
	tags := map[string]map[string]string{}
	for i := 0; i < len(lbs); i += elbTagBatch {
		var arns []string
		for _, lb := range lbs[i:min(i+elbTagBatch, len(lbs))] {
			arns = append(arns, aws.ToString(lb.LoadBalancerArn))
		}
		out, err := api.DescribeTags(ctx, &elb.DescribeTagsInput{ResourceArns: arns})
		if err != nil {
			if ferr := s.fail(ctx, "elasticloadbalancing:DescribeTags", err); ferr != nil {
				return ferr
			}
			continue
		}
		for _, td := range out.TagDescriptions {
			tags[aws.ToString(td.ResourceArn)] = tagMap(td.Tags, func(t elbtypes.Tag) (*string, *string) { return t.Key, t.Value })
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, lb := range lbs {
		g.Go(func() error { return collectLoadBalancer(gctx, s, api, lb, tags[aws.ToString(lb.LoadBalancerArn)]) })
	}
	return g.Wait()
}

func collectLoadBalancer(ctx context.Context, s *scope, api elbv2API, lb elbtypes.LoadBalancer, tags map[string]string) error {
	arn := aws.ToString(lb.LoadBalancerArn)
	p := obj{
		"load_balancer_arn": arn, "load_balancer_name": aws.ToString(lb.LoadBalancerName),
		"type": string(lb.Type), "scheme": string(lb.Scheme), "vpc_id": aws.ToString(lb.VpcId),
		"dns_name": aws.ToString(lb.DNSName), "ip_address_type": string(lb.IpAddressType),
		"security_groups": strs(lb.SecurityGroups),
	}
	setTS(p, "created_time", lb.CreatedTime)
	if lb.State != nil {
		p["state"] = obj{"code": string(lb.State.Code)}
	}
	// Attributes: a failure leaves "attributes" out, so checks ERROR.
	attrs, err := api.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn})
	if err != nil {
		if ferr := s.fail(ctx, "elasticloadbalancing:DescribeLoadBalancerAttributes", err); ferr != nil {
			return ferr
		}
	} else {
		p["attributes"] = lbAttributes(attrs.Attributes)
	}
	listeners := []obj{}
	lpages := elb.NewDescribeListenersPaginator(api, &elb.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn, PageSize: aws.Int32(400)})
	for lpages.HasMorePages() {
		page, err := lpages.NextPage(ctx)
		if err != nil {
			if ferr := s.fail(ctx, "elasticloadbalancing:DescribeListeners", err); ferr != nil {
				return ferr
			}
			listeners = nil
			break
		}
		for _, l := range page.Listeners {
			listeners = append(listeners, listenerDoc(l))
		}
	}
	if listeners != nil {
		p["listeners"] = listeners
	}
	if err := s.emit(ctx, "aws_elbv2_load_balancer", arn, aws.ToString(lb.LoadBalancerName), tags, timeOf(lb.CreatedTime), p); err != nil {
		return err
	}
	for _, sg := range lb.SecurityGroups {
		if err := s.edge(ctx, arn, s.arn("ec2", s.region, "security-group/"+sg), "uses_security_group"); err != nil {
			return err
		}
	}
	if attrs, ok := p["attributes"].(obj); ok {
		if b, _ := attrs["access_logs_s3_bucket"].(string); b != "" {
			return s.edge(ctx, arn, "arn:"+s.acct.partition+":s3:::"+b, "logs_to")
		}
	}
	return nil
}

// lbAttributes keeps the security-relevant load balancer attributes, keyed
// by the attribute name with dots and dashes as underscores, typed.
func lbAttributes(attrs []elbtypes.LoadBalancerAttribute) obj {
	out := obj{}
	for _, a := range attrs {
		k, v := aws.ToString(a.Key), aws.ToString(a.Value)
		name := strings.NewReplacer(".", "_", "-", "_").Replace(k)
		switch k {
		case "access_logs.s3.enabled", "connection_logs.s3.enabled", "deletion_protection.enabled",
			"routing.http.drop_invalid_header_fields.enabled", "load_balancing.cross_zone.enabled":
			out[name] = v == "true"
		case "access_logs.s3.bucket", "access_logs.s3.prefix", "routing.http.desync_mitigation_mode":
			out[name] = v
		}
	}
	return out
}

func listenerDoc(l elbtypes.Listener) obj {
	d := obj{"listener_arn": aws.ToString(l.ListenerArn), "port": deref(l.Port), "protocol": string(l.Protocol)}
	setStr(d, "ssl_policy", l.SslPolicy)
	actions := []obj{}
	for _, a := range l.DefaultActions {
		ad := obj{"type": string(a.Type)}
		if r := a.RedirectConfig; r != nil {
			rc := obj{"status_code": string(r.StatusCode)}
			setStr(rc, "protocol", r.Protocol)
			setStr(rc, "port", r.Port)
			ad["redirect_config"] = rc
		}
		actions = append(actions, ad)
	}
	d["default_actions"] = actions
	return d
}
