package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"golang.org/x/sync/errgroup"
)

// eksAPI is every EKS operation the collector calls.
type eksAPI interface {
	ListClusters(ctx context.Context, in *eks.ListClustersInput, optFns ...func(*eks.Options)) (*eks.ListClustersOutput, error)
	DescribeCluster(ctx context.Context, in *eks.DescribeClusterInput, optFns ...func(*eks.Options)) (*eks.DescribeClusterOutput, error)
}

// collectEKS emits the region's EKS clusters (DescribeCluster carries the
// tags).
func collectEKS(ctx context.Context, s *scope) error {
	var api eksAPI = eks.NewFromConfig(s.cfg(s.region))
	var names []string
	pages := eks.NewListClustersPaginator(api, &eks.ListClustersInput{MaxResults: aws.Int32(100)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "eks:ListClusters", err)
		}
		names = append(names, page.Clusters...)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, n := range names {
		g.Go(func() error { return collectCluster(gctx, s, api, n) })
	}
	return g.Wait()
}

func collectCluster(ctx context.Context, s *scope, api eksAPI, name string) error {
	out, err := api.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(name)})
	if err != nil {
		if isCode(err, "ResourceNotFoundException") {
			return nil // deleted since the listing
		}
		return s.fail(ctx, "eks:DescribeCluster", err)
	}
	c := out.Cluster
	if c == nil {
		return nil
	}
	arn := aws.ToString(c.Arn)
	p := obj{
		"name": aws.ToString(c.Name), "arn": arn, "version": aws.ToString(c.Version),
		"platform_version": aws.ToString(c.PlatformVersion), "status": string(c.Status), "role_arn": aws.ToString(c.RoleArn),
	}
	setTS(p, "created_at", c.CreatedAt)
	vpc := obj{"subnet_ids": []string{}, "security_group_ids": []string{}, "public_access_cidrs": []string{}}
	if v := c.ResourcesVpcConfig; v != nil {
		vpc = obj{
			"vpc_id": aws.ToString(v.VpcId), "subnet_ids": strs(v.SubnetIds), "security_group_ids": strs(v.SecurityGroupIds),
			"cluster_security_group_id": aws.ToString(v.ClusterSecurityGroupId),
			"endpoint_public_access":    v.EndpointPublicAccess, "endpoint_private_access": v.EndpointPrivateAccess,
			"public_access_cidrs": strs(v.PublicAccessCidrs),
		}
	}
	p["resources_vpc_config"] = vpc
	logs := []obj{}
	if c.Logging != nil {
		for _, l := range c.Logging.ClusterLogging {
			logs = append(logs, obj{"types": enumStrs(l.Types), "enabled": deref(l.Enabled)})
		}
	}
	p["logging"] = obj{"cluster_logging": logs}
	enc := []obj{}
	var keys []string
	for _, e := range c.EncryptionConfig {
		d := obj{"resources": strs(e.Resources)}
		if e.Provider != nil {
			d["provider"] = obj{"key_arn": aws.ToString(e.Provider.KeyArn)}
			keys = append(keys, aws.ToString(e.Provider.KeyArn))
		}
		enc = append(enc, d)
	}
	p["encryption_config"] = enc
	tags := c.Tags
	if len(tags) == 0 {
		tags = nil
	}
	if err := s.emit(ctx, "aws_eks_cluster", arn, aws.ToString(c.Name), tags, timeOf(c.CreatedAt), p); err != nil {
		return err
	}
	if err := s.edge(ctx, arn, aws.ToString(c.RoleArn), "cluster_role"); err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.edge(ctx, arn, k, "encrypted_with"); err != nil {
			return err
		}
	}
	return nil
}
