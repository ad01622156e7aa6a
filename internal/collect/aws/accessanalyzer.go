package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
)

// accessAnalyzerAPI is every IAM Access Analyzer operation the collector calls.
type accessAnalyzerAPI interface {
	ListAnalyzers(ctx context.Context, in *accessanalyzer.ListAnalyzersInput, optFns ...func(*accessanalyzer.Options)) (*accessanalyzer.ListAnalyzersOutput, error)
}

// collectAccessAnalyzer emits the region's analyzers; tags come with the
// listing.
func collectAccessAnalyzer(ctx context.Context, s *scope) error {
	var api accessAnalyzerAPI = accessanalyzer.NewFromConfig(s.cfg(s.region))
	pages := accessanalyzer.NewListAnalyzersPaginator(api, &accessanalyzer.ListAnalyzersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "access-analyzer:ListAnalyzers", err)
		}
		for _, a := range page.Analyzers {
			arn := aws.ToString(a.Arn)
			p := obj{"arn": arn, "name": aws.ToString(a.Name), "type": string(a.Type), "status": string(a.Status)}
			setTS(p, "created_at", a.CreatedAt)
			setTS(p, "last_resource_analyzed_at", a.LastResourceAnalyzedAt)
			if err := s.emit(ctx, "aws_accessanalyzer_analyzer", arn, aws.ToString(a.Name), a.Tags, timeOf(a.CreatedAt), p); err != nil {
				return err
			}
		}
	}
	return nil
}
