package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"golang.org/x/sync/errgroup"
)

// kmsAPI is every KMS operation the collector calls.
type kmsAPI interface {
	ListKeys(ctx context.Context, in *kms.ListKeysInput, optFns ...func(*kms.Options)) (*kms.ListKeysOutput, error)
	ListAliases(ctx context.Context, in *kms.ListAliasesInput, optFns ...func(*kms.Options)) (*kms.ListAliasesOutput, error)
	DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, optFns ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	GetKeyRotationStatus(ctx context.Context, in *kms.GetKeyRotationStatusInput, optFns ...func(*kms.Options)) (*kms.GetKeyRotationStatusOutput, error)
	ListResourceTags(ctx context.Context, in *kms.ListResourceTagsInput, optFns ...func(*kms.Options)) (*kms.ListResourceTagsOutput, error)
	GetKeyPolicy(ctx context.Context, in *kms.GetKeyPolicyInput, optFns ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error)
}

// collectKMS emits the region's customer managed keys with rotation status
// and aliases. AWS managed keys are skipped after DescribeKey.
func collectKMS(ctx context.Context, s *scope) error {
	var api kmsAPI = kms.NewFromConfig(s.cfg(s.region))
	// The alias and key listings are independent: run them at once.
	aliases := map[string][]string{}
	var keys []kmstypes.KeyListEntry
	lg, lctx := errgroup.WithContext(ctx)
	lg.Go(func() error {
		apages := kms.NewListAliasesPaginator(api, &kms.ListAliasesInput{})
		for apages.HasMorePages() {
			page, err := apages.NextPage(lctx)
			if err != nil {
				return s.fail(ctx, "kms:ListAliases", err)
			}
			for _, a := range page.Aliases {
				if a.TargetKeyId != nil {
					aliases[*a.TargetKeyId] = append(aliases[*a.TargetKeyId], aws.ToString(a.AliasName))
				}
			}
		}
		return nil
	})
	keysOK := false
	lg.Go(func() error {
		pages := kms.NewListKeysPaginator(api, &kms.ListKeysInput{})
		for pages.HasMorePages() {
			page, err := pages.NextPage(lctx)
			if err != nil {
				return s.fail(ctx, "kms:ListKeys", err)
			}
			keys = append(keys, page.Keys...)
		}
		keysOK = true
		return nil
	})
	if err := lg.Wait(); err != nil || !keysOK {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, k := range keys {
		g.Go(func() error { return collectKey(gctx, s, api, aws.ToString(k.KeyId), aliases) })
	}
	return g.Wait()
}

func collectKey(ctx context.Context, s *scope, api kmsAPI, id string, aliases map[string][]string) error {
	out, err := api.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if err != nil {
		return s.fail(ctx, "kms:DescribeKey", err)
	}
	m := out.KeyMetadata
	if m == nil || m.KeyManager != kmstypes.KeyManagerTypeCustomer {
		return nil
	}
	arn := aws.ToString(m.Arn)
	p := obj{
		"key_id": aws.ToString(m.KeyId), "arn": arn, "description": aws.ToString(m.Description),
		"key_manager": string(m.KeyManager), "key_spec": string(m.KeySpec), "key_usage": string(m.KeyUsage),
		"key_state": string(m.KeyState), "origin": string(m.Origin), "multi_region": deref(m.MultiRegion),
		"aliases": strs(aliases[id]),
	}
	setTS(p, "creation_date", m.CreationDate)
	// Rotation applies to enabled symmetric keys only; others answer
	// UnsupportedOperationException.
	if m.KeySpec == kmstypes.KeySpecSymmetricDefault && m.Origin == kmstypes.OriginTypeAwsKms && m.KeyState != kmstypes.KeyStatePendingDeletion {
		rot, err := api.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
		if err != nil {
			if ferr := s.fail(ctx, "kms:GetKeyRotationStatus", err); ferr != nil {
				return ferr
			}
		} else {
			p["key_rotation_enabled"] = rot.KeyRotationEnabled
			if rot.KeyRotationEnabled && rot.RotationPeriodInDays != nil {
				p["rotation_period_in_days"] = *rot.RotationPeriodInDays
			}
		}
	} else {
		p["key_rotation_enabled"] = false
	}
	// The key policy (its only policy, "default"); a key without one
	// cannot exist, so a failure leaves key_policy out and checks ERROR.
	kp, err := api.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id)})
	if err != nil {
		if ferr := s.fail(ctx, "kms:GetKeyPolicy", err); ferr != nil {
			return ferr
		}
	} else if err := setResourcePolicy(ctx, s, p, "key_policy", "kms:GetKeyPolicy", aws.ToString(kp.Policy)); err != nil {
		return err
	}
	var tags map[string]string
	tpages := kms.NewListResourceTagsPaginator(api, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	for tpages.HasMorePages() {
		page, err := tpages.NextPage(ctx)
		if err != nil {
			if ferr := s.fail(ctx, "kms:ListResourceTags", err); ferr != nil {
				return ferr
			}
			break
		}
		for k, v := range tagMap(page.Tags, func(t kmstypes.Tag) (*string, *string) { return t.TagKey, t.TagValue }) {
			if tags == nil {
				tags = map[string]string{}
			}
			tags[k] = v
		}
	}
	name := aws.ToString(m.KeyId)
	if a := aliases[id]; len(a) > 0 {
		name = a[0]
	}
	return s.emit(ctx, "aws_kms_key", arn, name, tags, timeOf(m.CreationDate), p)
}
