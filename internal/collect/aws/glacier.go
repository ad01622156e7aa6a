package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	glaciertypes "github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"golang.org/x/sync/errgroup"
)

// glacierAPI is every S3 Glacier operation the collector calls.
type glacierAPI interface {
	ListVaults(ctx context.Context, in *glacier.ListVaultsInput, optFns ...func(*glacier.Options)) (*glacier.ListVaultsOutput, error)
	GetVaultAccessPolicy(ctx context.Context, in *glacier.GetVaultAccessPolicyInput, optFns ...func(*glacier.Options)) (*glacier.GetVaultAccessPolicyOutput, error)
	ListTagsForVault(ctx context.Context, in *glacier.ListTagsForVaultInput, optFns ...func(*glacier.Options)) (*glacier.ListTagsForVaultOutput, error)
}

// collectGlacier emits the region's S3 Glacier vaults with their access
// policy and tags.
func collectGlacier(ctx context.Context, s *scope) error {
	var api glacierAPI = glacier.NewFromConfig(s.cfg(s.region))
	var vaults []glaciertypes.DescribeVaultOutput
	pages := glacier.NewListVaultsPaginator(api, &glacier.ListVaultsInput{AccountId: aws.String("-")})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "glacier:ListVaults", err)
		}
		vaults = append(vaults, page.VaultList...)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, v := range vaults {
		g.Go(func() error { return collectVault(gctx, s, api, v) })
	}
	return g.Wait()
}

func collectVault(ctx context.Context, s *scope, api glacierAPI, v glaciertypes.DescribeVaultOutput) error {
	name := aws.ToString(v.VaultName)
	arn := aws.ToString(v.VaultARN)
	if arn == "" {
		arn = s.arn("glacier", s.region, "vaults/"+name)
	}
	p := obj{"vault_name": name, "vault_arn": arn, "number_of_archives": v.NumberOfArchives, "size_in_bytes": v.SizeInBytes}
	var created time.Time
	if t, err := time.Parse(time.RFC3339, aws.ToString(v.CreationDate)); err == nil {
		created = t.UTC()
		p["creation_date"] = created.Format(time.RFC3339)
	}
	if t, err := time.Parse(time.RFC3339, aws.ToString(v.LastInventoryDate)); err == nil {
		p["last_inventory_date"] = t.UTC().Format(time.RFC3339)
	}
	pol, err := api.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String(name)})
	switch {
	case isCode(err, "ResourceNotFoundException"):
		p["policy"] = nil
	case err != nil:
		if ferr := s.fail(ctx, "glacier:GetVaultAccessPolicy", err); ferr != nil {
			return ferr
		}
	default:
		doc := ""
		if pol.Policy != nil {
			doc = aws.ToString(pol.Policy.Policy)
		}
		if err := setResourcePolicy(ctx, s, p, "policy", "glacier:GetVaultAccessPolicy", doc); err != nil {
			return err
		}
	}
	var tags map[string]string
	tg, err := api.ListTagsForVault(ctx, &glacier.ListTagsForVaultInput{AccountId: aws.String("-"), VaultName: aws.String(name)})
	if err != nil {
		if ferr := s.fail(ctx, "glacier:ListTagsForVault", err); ferr != nil {
			return ferr
		}
	} else if len(tg.Tags) > 0 {
		tags = tg.Tags
	}
	return s.emit(ctx, "aws_glacier_vault", arn, name, tags, created, p)
}
