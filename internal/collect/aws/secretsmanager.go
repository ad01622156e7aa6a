package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"golang.org/x/sync/errgroup"
)

// secretsManagerAPI is every Secrets Manager operation the collector
// calls: metadata and resource policies only. It must never hold
// GetSecretValue or BatchGetSecretValue (TestSecretValuesNeverRead).
type secretsManagerAPI interface {
	ListSecrets(ctx context.Context, in *secretsmanager.ListSecretsInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.ListSecretsOutput, error)
	GetResourcePolicy(ctx context.Context, in *secretsmanager.GetResourcePolicyInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetResourcePolicyOutput, error)
}

// collectSecretsManager emits the region's secrets: metadata from the
// listing (tags included) and each secret's resource policy.
func collectSecretsManager(ctx context.Context, s *scope) error {
	var api secretsManagerAPI = secretsmanager.NewFromConfig(s.cfg(s.region))
	var secrets []smtypes.SecretListEntry
	pages := secretsmanager.NewListSecretsPaginator(api, &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(100)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "secretsmanager:ListSecrets", err)
		}
		secrets = append(secrets, page.SecretList...)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, sec := range secrets {
		g.Go(func() error { return collectSecret(gctx, s, api, sec) })
	}
	return g.Wait()
}

func collectSecret(ctx context.Context, s *scope, api secretsManagerAPI, sec smtypes.SecretListEntry) error {
	arn := aws.ToString(sec.ARN)
	p := obj{
		"arn": arn, "name": aws.ToString(sec.Name), "rotation_enabled": deref(sec.RotationEnabled),
	}
	setStr(p, "description", sec.Description)
	setStr(p, "kms_key_id", sec.KmsKeyId)
	setStr(p, "rotation_lambda_arn", sec.RotationLambdaARN)
	setStr(p, "owning_service", sec.OwningService)
	setStr(p, "primary_region", sec.PrimaryRegion)
	if r := sec.RotationRules; r != nil {
		rr := obj{}
		if r.AutomaticallyAfterDays != nil {
			rr["automatically_after_days"] = *r.AutomaticallyAfterDays
		}
		setStr(rr, "schedule_expression", r.ScheduleExpression)
		p["rotation_rules"] = rr
	}
	setTS(p, "created_date", sec.CreatedDate)
	setTS(p, "last_changed_date", sec.LastChangedDate)
	setTS(p, "last_rotated_date", sec.LastRotatedDate)
	setTS(p, "last_accessed_date", sec.LastAccessedDate)
	setTS(p, "next_rotation_date", sec.NextRotationDate)
	setTS(p, "deleted_date", sec.DeletedDate)
	pol, err := api.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: sec.ARN})
	if err != nil {
		if ferr := s.fail(ctx, "secretsmanager:GetResourcePolicy", err); ferr != nil {
			return ferr
		}
	} else if err := setResourcePolicy(ctx, s, p, "policy", "secretsmanager:GetResourcePolicy", aws.ToString(pol.ResourcePolicy)); err != nil {
		return err
	}
	tags := tagMap(sec.Tags, func(t smtypes.Tag) (*string, *string) { return t.Key, t.Value })
	if err := s.emit(ctx, "aws_secretsmanager_secret", arn, aws.ToString(sec.Name), tags, timeOf(sec.CreatedDate), p); err != nil {
		return err
	}
	if err := s.edge(ctx, arn, aws.ToString(sec.RotationLambdaARN), "rotated_by"); err != nil {
		return err
	}
	return s.edge(ctx, arn, kmsKeyRef(s, aws.ToString(sec.KmsKeyId)), "encrypted_with")
}

// kmsKeyRef turns a KMS key reference into a key ARN when it is a bare key
// ID; aliases and ARNs are returned as they are, "" stays "".
func kmsKeyRef(s *scope, id string) string {
	if id == "" || len(id) < 36 || id[:4] == "arn:" || id[:6] == "alias/" {
		return id
	}
	return s.arn("kms", s.region, "key/"+id)
}
