package cli

import (
	"context"
	"log/slog"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/pflag"

	"cloudward/internal/collect"
	"cloudward/internal/collect/aws"
	"cloudward/internal/resource"
)

// awsCLI plugs the AWS collector into `scan --provider aws`.
type awsCLI struct {
	profile     string
	regions     []string
	org         bool
	roleName    string
	externalID  string
	endpointURL string
	concurrency int
	retryMode   string
}

func newAWSCLI() providerCLI { return &awsCLI{} }

// Provider implements providerCLI.
func (a *awsCLI) Provider() resource.Provider { return resource.AWS }

// AddFlags implements providerCLI.
func (a *awsCLI) AddFlags(fl *pflag.FlagSet) {
	fl.StringVar(&a.profile, "aws-profile", "", "AWS shared-config profile (default: the standard credential chain)")
	fl.StringSliceVar(&a.regions, "aws-regions", nil, "AWS regions to scan, comma-separated (default: every enabled region)")
	fl.BoolVar(&a.org, "aws-org", false, "scan every active account of the AWS organization, assuming --aws-role-name in each")
	fl.StringVar(&a.roleName, "aws-role-name", "OrganizationAccountAccessRole", "role assumed in member accounts with --aws-org")
	fl.StringVar(&a.externalID, "aws-external-id", "", "external ID for AssumeRole with --aws-org")
	fl.StringVar(&a.endpointURL, "aws-endpoint-url", "", "send every AWS call to this endpoint (LocalStack, moto); S3 switches to path-style")
	fl.StringVar(&a.retryMode, "aws-retry-mode", string(aws.RetryModePaced), "AWS retry mode: paced (slows down only the account, region and service AWS throttles), standard (jittered backoff) or adaptive (the SDK's client-side rate limiter)")
	fl.IntVar(&a.concurrency, "aws-max-in-flight", 32, "AWS API requests in flight at once, across accounts and regions")
}

// Collector implements providerCLI.
func (a *awsCLI) Collector(_ context.Context, log *slog.Logger) (collect.Collector, error) {
	if a.concurrency < 1 {
		return nil, usagef("--aws-max-in-flight must be at least 1")
	}
	switch awssdk.RetryMode(a.retryMode) {
	case aws.RetryModePaced, awssdk.RetryModeStandard, awssdk.RetryModeAdaptive:
	default:
		return nil, usagef("--aws-retry-mode must be paced, standard or adaptive")
	}
	return aws.New(aws.Options{RetryMode: awssdk.RetryMode(a.retryMode),
		Profile: a.profile, Regions: a.regions, Org: a.org, RoleName: a.roleName,
		ExternalID: a.externalID, EndpointURL: a.endpointURL, MaxInFlight: a.concurrency, Logger: log,
	}), nil
}
