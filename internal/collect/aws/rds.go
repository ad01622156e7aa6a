package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// rdsAPI is every RDS operation the collector calls.
type rdsAPI interface {
	DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, optFns ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
}

// collectRDS emits the region's DB instances; tags come with the listing.
func collectRDS(ctx context.Context, s *scope) error {
	var api rdsAPI = rds.NewFromConfig(s.cfg(s.region))
	pages := rds.NewDescribeDBInstancesPaginator(api, &rds.DescribeDBInstancesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "rds:DescribeDBInstances", err)
		}
		for _, db := range page.DBInstances {
			arn := aws.ToString(db.DBInstanceArn)
			p := obj{
				"db_instance_identifier": aws.ToString(db.DBInstanceIdentifier), "db_instance_arn": arn,
				"db_instance_class": aws.ToString(db.DBInstanceClass), "engine": aws.ToString(db.Engine),
				"engine_version": aws.ToString(db.EngineVersion), "db_instance_status": aws.ToString(db.DBInstanceStatus),
				"storage_encrypted": deref(db.StorageEncrypted), "publicly_accessible": deref(db.PubliclyAccessible),
				"auto_minor_version_upgrade": deref(db.AutoMinorVersionUpgrade), "multi_az": deref(db.MultiAZ),
				"backup_retention_period": deref(db.BackupRetentionPeriod), "deletion_protection": deref(db.DeletionProtection),
				"iam_database_authentication_enabled": deref(db.IAMDatabaseAuthenticationEnabled),
			}
			setTS(p, "instance_create_time", db.InstanceCreateTime)
			if deref(db.StorageEncrypted) {
				setStr(p, "kms_key_id", db.KmsKeyId)
			}
			if e := db.Endpoint; e != nil {
				p["endpoint"] = obj{"address": aws.ToString(e.Address), "port": deref(e.Port)}
			}
			if g := db.DBSubnetGroup; g != nil {
				p["db_subnet_group"] = obj{"db_subnet_group_name": aws.ToString(g.DBSubnetGroupName), "vpc_id": aws.ToString(g.VpcId)}
			}
			sgs := []obj{}
			for _, g := range db.VpcSecurityGroups {
				sgs = append(sgs, obj{"vpc_security_group_id": aws.ToString(g.VpcSecurityGroupId), "status": aws.ToString(g.Status)})
			}
			p["vpc_security_groups"] = sgs
			tags := tagMap(db.TagList, func(t rdstypes.Tag) (*string, *string) { return t.Key, t.Value })
			if err := s.emit(ctx, "aws_rds_db_instance", arn, aws.ToString(db.DBInstanceIdentifier), tags, timeOf(db.InstanceCreateTime), p); err != nil {
				return err
			}
			if deref(db.StorageEncrypted) {
				if err := s.edge(ctx, arn, aws.ToString(db.KmsKeyId), "encrypted_with"); err != nil {
					return err
				}
			}
			for _, g := range db.VpcSecurityGroups {
				if err := s.edge(ctx, arn, s.arn("ec2", s.region, "security-group/"+aws.ToString(g.VpcSecurityGroupId)), "uses_security_group"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
