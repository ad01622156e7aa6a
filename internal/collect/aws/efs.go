package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"
)

// efsAPI is every EFS operation the collector calls.
type efsAPI interface {
	DescribeFileSystems(ctx context.Context, in *efs.DescribeFileSystemsInput, optFns ...func(*efs.Options)) (*efs.DescribeFileSystemsOutput, error)
}

// collectEFS emits the region's file systems; tags come with the listing.
func collectEFS(ctx context.Context, s *scope) error {
	var api efsAPI = efs.NewFromConfig(s.cfg(s.region))
	pages := efs.NewDescribeFileSystemsPaginator(api, &efs.DescribeFileSystemsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "elasticfilesystem:DescribeFileSystems", err)
		}
		for _, f := range page.FileSystems {
			id := aws.ToString(f.FileSystemId)
			arn := aws.ToString(f.FileSystemArn)
			if arn == "" {
				arn = s.arn("elasticfilesystem", s.region, "file-system/"+id)
			}
			p := obj{
				"file_system_id": id, "file_system_arn": arn, "owner_id": aws.ToString(f.OwnerId),
				"life_cycle_state": string(f.LifeCycleState), "number_of_mount_targets": f.NumberOfMountTargets,
				"performance_mode": string(f.PerformanceMode), "throughput_mode": string(f.ThroughputMode),
				"encrypted": deref(f.Encrypted),
			}
			setStr(p, "name", f.Name)
			setStr(p, "kms_key_id", f.KmsKeyId)
			setTS(p, "creation_time", f.CreationTime)
			tags := tagMap(f.Tags, func(t efstypes.Tag) (*string, *string) { return t.Key, t.Value })
			name := aws.ToString(f.Name)
			if name == "" {
				name = id
			}
			if err := s.emit(ctx, "aws_efs_file_system", arn, name, tags, timeOf(f.CreationTime), p); err != nil {
				return err
			}
			if err := s.edge(ctx, arn, aws.ToString(f.KmsKeyId), "encrypted_with"); err != nil {
				return err
			}
		}
	}
	return nil
}
