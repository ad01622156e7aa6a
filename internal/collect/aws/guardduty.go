package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
)

// guardDutyAPI is every GuardDuty operation the collector calls.
type guardDutyAPI interface {
	ListDetectors(ctx context.Context, in *guardduty.ListDetectorsInput, optFns ...func(*guardduty.Options)) (*guardduty.ListDetectorsOutput, error)
	GetDetector(ctx context.Context, in *guardduty.GetDetectorInput, optFns ...func(*guardduty.Options)) (*guardduty.GetDetectorOutput, error)
}

// collectGuardDuty emits the region's GuardDuty detector (at most one per
// account and region) with its status and protection plans. A region
// without a detector emits nothing: the per-region check reads that from
// aws_ec2_regional_settings.
func collectGuardDuty(ctx context.Context, s *scope) error {
	var api guardDutyAPI = guardduty.NewFromConfig(s.cfg(s.region))
	var ids []string
	pages := guardduty.NewListDetectorsPaginator(api, &guardduty.ListDetectorsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "guardduty:ListDetectors", err)
		}
		ids = append(ids, page.DetectorIds...)
	}
	for _, id := range ids {
		d, err := api.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
		if err != nil {
			if ferr := s.fail(ctx, "guardduty:GetDetector", err); ferr != nil {
				return ferr
			}
			continue
		}
		arn := s.arn("guardduty", s.region, "detector/"+id)
		p := obj{"detector_id": id, "status": string(d.Status), "finding_publishing_frequency": string(d.FindingPublishingFrequency)}
		setStr(p, "service_role", d.ServiceRole)
		var created time.Time
		if t, err := time.Parse(time.RFC3339, aws.ToString(d.CreatedAt)); err == nil {
			created = t.UTC()
			p["created_at"] = created.Format(time.RFC3339)
		}
		if t, err := time.Parse(time.RFC3339, aws.ToString(d.UpdatedAt)); err == nil {
			p["updated_at"] = t.UTC().Format(time.RFC3339)
		}
		feats := []obj{}
		for _, f := range d.Features {
			feats = append(feats, obj{"name": string(f.Name), "status": string(f.Status)})
		}
		p["features"] = feats
		tags := d.Tags
		if len(tags) == 0 {
			tags = nil
		}
		if err := s.emit(ctx, "aws_guardduty_detector", arn, id, tags, created, p); err != nil {
			return err
		}
	}
	return nil
}
