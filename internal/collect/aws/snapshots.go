package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ec2ImagesAPI is every EC2 operation the snapshot and image collector
// calls.
type ec2ImagesAPI interface {
	DescribeSnapshots(ctx context.Context, in *ec2.DescribeSnapshotsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSnapshotsOutput, error)
	DescribeImages(ctx context.Context, in *ec2.DescribeImagesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error)
}

// collectSnapshotsAndImages emits the EBS snapshots and AMIs the account
// owns in the region. Which snapshots are public comes from a second
// listing filtered on restorable-by "all" rather than one
// DescribeSnapshotAttribute call per snapshot; AMIs carry their Public flag.
func collectSnapshotsAndImages(ctx context.Context, s *scope) error {
	var api ec2ImagesAPI = ec2.NewFromConfig(s.cfg(s.region))
	var snaps []ec2types.Snapshot
	pages := ec2.NewDescribeSnapshotsPaginator(api, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(1000)})
	snapsOK := true
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			if ferr := s.fail(ctx, "ec2:DescribeSnapshots", err); ferr != nil {
				return ferr
			}
			snapsOK = false
			break
		}
		snaps = append(snaps, page.Snapshots...)
	}
	if snapsOK && len(snaps) > 0 {
		public := map[string]bool{}
		publicOK := true
		ppages := ec2.NewDescribeSnapshotsPaginator(api, &ec2.DescribeSnapshotsInput{
			OwnerIds: []string{"self"}, RestorableByUserIds: []string{"all"}, MaxResults: aws.Int32(1000)})
		for ppages.HasMorePages() {
			page, err := ppages.NextPage(ctx)
			if err != nil {
				if ferr := s.fail(ctx, "ec2:DescribeSnapshots", err); ferr != nil {
					return ferr
				}
				publicOK = false
				break
			}
			for _, sn := range page.Snapshots {
				public[aws.ToString(sn.SnapshotId)] = true
			}
		}
		for _, sn := range snaps {
			if err := emitSnapshot(ctx, s, sn, public, publicOK); err != nil {
				return err
			}
		}
	}
	ipages := ec2.NewDescribeImagesPaginator(api, &ec2.DescribeImagesInput{Owners: []string{"self"}, MaxResults: aws.Int32(1000)})
	for ipages.HasMorePages() {
		page, err := ipages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "ec2:DescribeImages", err)
		}
		for _, im := range page.Images {
			if err := emitImage(ctx, s, im); err != nil {
				return err
			}
		}
	}
	return nil
}

func emitSnapshot(ctx context.Context, s *scope, sn ec2types.Snapshot, public map[string]bool, publicOK bool) error {
	id := aws.ToString(sn.SnapshotId)
	arn := s.arn("ec2", s.region, "snapshot/"+id)
	p := obj{
		"snapshot_id": id, "volume_id": aws.ToString(sn.VolumeId), "volume_size": deref(sn.VolumeSize),
		"state": string(sn.State), "encrypted": deref(sn.Encrypted), "owner_id": aws.ToString(sn.OwnerId),
		"description": aws.ToString(sn.Description),
	}
	setStr(p, "kms_key_id", sn.KmsKeyId)
	setTS(p, "start_time", sn.StartTime)
	// Left out when the public listing failed, so the check ERRORs.
	if publicOK {
		p["public"] = public[id]
	}
	tags := tagMap(sn.Tags, func(t ec2types.Tag) (*string, *string) { return t.Key, t.Value })
	name := id
	if n := tags["Name"]; n != "" {
		name = n
	}
	if err := s.emit(ctx, "aws_ebs_snapshot", arn, name, tags, timeOf(sn.StartTime), p); err != nil {
		return err
	}
	if err := s.edge(ctx, arn, s.arn("ec2", s.region, "volume/"+aws.ToString(sn.VolumeId)), "snapshot_of"); err != nil {
		return err
	}
	return s.edge(ctx, arn, aws.ToString(sn.KmsKeyId), "encrypted_with")
}

func emitImage(ctx context.Context, s *scope, im ec2types.Image) error {
	id := aws.ToString(im.ImageId)
	arn := "arn:" + s.acct.partition + ":ec2:" + s.region + "::image/" + id
	p := obj{
		"image_id": id, "name": aws.ToString(im.Name), "state": string(im.State), "public": deref(im.Public),
		"owner_id": aws.ToString(im.OwnerId), "architecture": string(im.Architecture),
		"root_device_type": string(im.RootDeviceType), "platform_details": aws.ToString(im.PlatformDetails),
		"imds_support": string(im.ImdsSupport),
	}
	var created time.Time
	if t, err := time.Parse(time.RFC3339, aws.ToString(im.CreationDate)); err == nil {
		created = t.UTC()
		p["creation_date"] = created.Format(time.RFC3339)
	}
	if t, err := time.Parse(time.RFC3339, aws.ToString(im.DeprecationTime)); err == nil {
		p["deprecation_time"] = t.UTC().Format(time.RFC3339)
	}
	devs := []obj{}
	for _, b := range im.BlockDeviceMappings {
		d := obj{"device_name": aws.ToString(b.DeviceName)}
		if e := b.Ebs; e != nil {
			ed := obj{"encrypted": deref(e.Encrypted)}
			setStr(ed, "snapshot_id", e.SnapshotId)
			d["ebs"] = ed
		}
		devs = append(devs, d)
	}
	p["block_device_mappings"] = devs
	tags := tagMap(im.Tags, func(t ec2types.Tag) (*string, *string) { return t.Key, t.Value })
	name := aws.ToString(im.Name)
	if name == "" {
		name = id
	}
	return s.emit(ctx, "aws_ec2_image", arn, name, tags, created, p)
}
