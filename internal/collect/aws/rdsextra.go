package aws

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// rdsClustersAPI is every RDS operation the cluster and snapshot collector
// calls.
type rdsClustersAPI interface {
	DescribeDBClusters(ctx context.Context, in *rds.DescribeDBClustersInput, optFns ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error)
	DescribeDBSnapshots(ctx context.Context, in *rds.DescribeDBSnapshotsInput, optFns ...func(*rds.Options)) (*rds.DescribeDBSnapshotsOutput, error)
	DescribeDBSnapshotAttributes(ctx context.Context, in *rds.DescribeDBSnapshotAttributesInput, optFns ...func(*rds.Options)) (*rds.DescribeDBSnapshotAttributesOutput, error)
	DescribeDBClusterSnapshots(ctx context.Context, in *rds.DescribeDBClusterSnapshotsInput, optFns ...func(*rds.Options)) (*rds.DescribeDBClusterSnapshotsOutput, error)
	DescribeDBClusterSnapshotAttributes(ctx context.Context, in *rds.DescribeDBClusterSnapshotAttributesInput, optFns ...func(*rds.Options)) (*rds.DescribeDBClusterSnapshotAttributesOutput, error)
}

// collectRDSClustersAndSnapshots emits the region's DB clusters and the
// account's DB and DB cluster snapshots. Only manual snapshots can be
// shared, so only they cost a restore-attribute call each.
func collectRDSClustersAndSnapshots(ctx context.Context, s *scope) error {
	var api rdsClustersAPI = rds.NewFromConfig(s.cfg(s.region))
	if err := collectDBClusters(ctx, s, api); err != nil {
		return err
	}
	if err := collectDBSnapshots(ctx, s, api); err != nil {
		return err
	}
	return collectDBClusterSnapshots(ctx, s, api)
}

func collectDBClusters(ctx context.Context, s *scope, api rdsClustersAPI) error {
	pages := rds.NewDescribeDBClustersPaginator(api, &rds.DescribeDBClustersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "rds:DescribeDBClusters", err)
		}
		for _, c := range page.DBClusters {
			arn := aws.ToString(c.DBClusterArn)
			p := obj{
				"db_cluster_identifier": aws.ToString(c.DBClusterIdentifier), "db_cluster_arn": arn,
				"engine": aws.ToString(c.Engine), "engine_version": aws.ToString(c.EngineVersion), "engine_mode": aws.ToString(c.EngineMode),
				"status": aws.ToString(c.Status), "storage_encrypted": deref(c.StorageEncrypted),
				"multi_az": deref(c.MultiAZ), "deletion_protection": deref(c.DeletionProtection),
				"backup_retention_period":             deref(c.BackupRetentionPeriod),
				"iam_database_authentication_enabled": deref(c.IAMDatabaseAuthenticationEnabled),
				"auto_minor_version_upgrade":          deref(c.AutoMinorVersionUpgrade),
				"copy_tags_to_snapshot":               deref(c.CopyTagsToSnapshot),
				"enabled_cloudwatch_logs_exports":     strs(c.EnabledCloudwatchLogsExports),
			}
			if c.PubliclyAccessible != nil {
				p["publicly_accessible"] = *c.PubliclyAccessible
			}
			if deref(c.StorageEncrypted) {
				setStr(p, "kms_key_id", c.KmsKeyId)
			}
			setTS(p, "cluster_create_time", c.ClusterCreateTime)
			members := []obj{}
			for _, m := range c.DBClusterMembers {
				members = append(members, obj{"db_instance_identifier": aws.ToString(m.DBInstanceIdentifier), "is_cluster_writer": deref(m.IsClusterWriter)})
			}
			p["db_cluster_members"] = members
			tags := tagMap(c.TagList, func(t rdstypes.Tag) (*string, *string) { return t.Key, t.Value })
			if err := s.emit(ctx, "aws_rds_db_cluster", arn, aws.ToString(c.DBClusterIdentifier), tags, timeOf(c.ClusterCreateTime), p); err != nil {
				return err
			}
			if deref(c.StorageEncrypted) {
				if err := s.edge(ctx, arn, aws.ToString(c.KmsKeyId), "encrypted_with"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// snapshotDoc is the common document of DB and DB cluster snapshots.
func snapshotDoc(source, id, arn, of, typ, engine, status string, encrypted bool, kms *string, created *time.Time) obj {
	p := obj{
		"snapshot_source": source, "db_snapshot_identifier": id, "db_snapshot_arn": arn, "source_identifier": of,
		"snapshot_type": typ, "engine": engine, "status": status, "encrypted": encrypted,
	}
	if encrypted {
		setStr(p, "kms_key_id", kms)
	}
	setTS(p, "snapshot_create_time", created)
	return p
}

// setRestore records who may restore a manual snapshot: restore_accounts
// lists the "restore" attribute's values ("all" makes it public). A
// failed attribute read leaves both fields out, so checks ERROR.
func setRestore(p obj, values []string) {
	p["restore_accounts"] = strs(values)
	p["public"] = slices.Contains(values, "all")
}

func collectDBSnapshots(ctx context.Context, s *scope, api rdsClustersAPI) error {
	pages := rds.NewDescribeDBSnapshotsPaginator(api, &rds.DescribeDBSnapshotsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "rds:DescribeDBSnapshots", err)
		}
		for _, sn := range page.DBSnapshots {
			arn := aws.ToString(sn.DBSnapshotArn)
			typ := aws.ToString(sn.SnapshotType)
			p := snapshotDoc("instance", aws.ToString(sn.DBSnapshotIdentifier), arn, aws.ToString(sn.DBInstanceIdentifier),
				typ, aws.ToString(sn.Engine), aws.ToString(sn.Status), deref(sn.Encrypted), sn.KmsKeyId, sn.SnapshotCreateTime)
			if typ == "manual" {
				out, err := api.DescribeDBSnapshotAttributes(ctx, &rds.DescribeDBSnapshotAttributesInput{DBSnapshotIdentifier: sn.DBSnapshotIdentifier})
				if err != nil {
					if ferr := s.fail(ctx, "rds:DescribeDBSnapshotAttributes", err); ferr != nil {
						return ferr
					}
				} else {
					var vals []string
					if r := out.DBSnapshotAttributesResult; r != nil {
						for _, a := range r.DBSnapshotAttributes {
							if aws.ToString(a.AttributeName) == "restore" {
								vals = a.AttributeValues
							}
						}
					}
					setRestore(p, vals)
				}
			} else {
				setRestore(p, nil) // automated snapshots cannot be shared
			}
			tags := tagMap(sn.TagList, func(t rdstypes.Tag) (*string, *string) { return t.Key, t.Value })
			if err := s.emit(ctx, "aws_rds_snapshot", arn, aws.ToString(sn.DBSnapshotIdentifier), tags, timeOf(sn.SnapshotCreateTime), p); err != nil {
				return err
			}
		}
	}
	return nil
}

func collectDBClusterSnapshots(ctx context.Context, s *scope, api rdsClustersAPI) error {
	pages := rds.NewDescribeDBClusterSnapshotsPaginator(api, &rds.DescribeDBClusterSnapshotsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "rds:DescribeDBClusterSnapshots", err)
		}
		for _, sn := range page.DBClusterSnapshots {
			arn := aws.ToString(sn.DBClusterSnapshotArn)
			typ := aws.ToString(sn.SnapshotType)
			p := snapshotDoc("cluster", aws.ToString(sn.DBClusterSnapshotIdentifier), arn, aws.ToString(sn.DBClusterIdentifier),
				typ, aws.ToString(sn.Engine), aws.ToString(sn.Status), deref(sn.StorageEncrypted), sn.KmsKeyId, sn.SnapshotCreateTime)
			if typ == "manual" {
				out, err := api.DescribeDBClusterSnapshotAttributes(ctx, &rds.DescribeDBClusterSnapshotAttributesInput{DBClusterSnapshotIdentifier: sn.DBClusterSnapshotIdentifier})
				if err != nil {
					if ferr := s.fail(ctx, "rds:DescribeDBClusterSnapshotAttributes", err); ferr != nil {
						return ferr
					}
				} else {
					var vals []string
					if r := out.DBClusterSnapshotAttributesResult; r != nil {
						for _, a := range r.DBClusterSnapshotAttributes {
							if aws.ToString(a.AttributeName) == "restore" {
								vals = a.AttributeValues
							}
						}
					}
					setRestore(p, vals)
				}
			} else {
				setRestore(p, nil)
			}
			tags := tagMap(sn.TagList, func(t rdstypes.Tag) (*string, *string) { return t.Key, t.Value })
			if err := s.emit(ctx, "aws_rds_snapshot", arn, aws.ToString(sn.DBClusterSnapshotIdentifier), tags, timeOf(sn.SnapshotCreateTime), p); err != nil {
				return err
			}
		}
	}
	return nil
}
