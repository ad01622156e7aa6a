package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudward/internal/collect/aws/awstest"
)

// TestScanAWS runs `scan --provider aws --aws-org` end to end against the
// fake AWS endpoint, with credentials from the environment, and checks what
// was stored, found and reported as not collected.
func TestScanAWS(t *testing.T) {
	srv := awstest.New(awstest.Options{
		Dir:  filepath.Join("..", "collect", "aws", "testdata", "fake"),
		Deny: map[string]bool{"222222222222/eu-west-1/*": true},
	})
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFAKE111111111111")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "aws-secret-for-tests")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
	db := filepath.Join(t.TempDir(), "aws.db")

	code, stdout, stderr := run(t, "scan", "--provider", "aws", "--aws-org", "--aws-endpoint-url", srv.URL,
		"--db", db, "-o", "json")
	if code != 0 && code != 1 {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
	if strings.Contains(stdout+stderr, "aws-secret-for-tests") {
		t.Error("output shows a credential")
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, stdout)
	}
	// The collector's golden estate was collected from the same fake with
	// the same denied region.
	var golden struct {
		Resources []json.RawMessage `json:"resources"`
	}
	gb, err := os.ReadFile(filepath.Join("..", "collect", "aws", "testdata", "collect.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(gb, &golden); err != nil {
		t.Fatal(err)
	}
	if rep.Snapshot.Resources != int64(len(golden.Resources)) {
		t.Errorf("snapshot holds %d resources, want the %d of the fake estate (collect.golden.json)", rep.Snapshot.Resources, len(golden.Resources))
	}
	fails := map[string]bool{}
	status := map[string]string{}
	for _, f := range rep.Findings {
		status[f.CheckID+" "+f.Resource.UID] = string(f.Status)
		if f.Status == "FAIL" {
			fails[f.CheckID+" "+f.Resource.UID] = true
		}
	}
	if got := status["aws-cloudwatch-alarm-root-usage arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/111111111111"]; got != "PASS" {
		t.Errorf("root-usage alarm chain of the management account: %q, want PASS", got)
	}
	for _, want := range []string{
		"aws-s3-bucket-not-public arn:aws:s3:::acme-public",
		"aws-ec2-instance-imdsv2 arn:aws:ec2:us-east-1:111111111111:instance/i-0bastion",
		"aws-ec2-sg-no-public-admin-ports-ipv4 arn:aws:ec2:us-east-1:111111111111:security-group/sg-0ssh",
		"aws-rds-not-publicly-accessible arn:aws:rds:us-east-1:111111111111:db:orders-db",
		"aws-lambda-no-secrets-in-env arn:aws:lambda:us-east-1:111111111111:function:billing-sync",
		"aws-lambda-url-requires-auth arn:aws:lambda:us-east-1:111111111111:function:billing-sync",
		"aws-iam-policy-no-full-admin arn:aws:iam::111111111111:policy/acme-admin",
		"aws-ec2-ebs-volume-encrypted arn:aws:ec2:us-east-1:111111111111:volume/vol-0spare",
		// The failed-sign-in alarm notifies a topic whose only subscription is pending.
		"aws-cloudwatch-alarm-console-auth-failures arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/111111111111",
		"aws-iam-server-certificate-not-expired arn:aws:iam::111111111111:server-certificate/legacy-elb-2024",
		"aws-ec2-nacl-no-public-admin-ports arn:aws:ec2:us-east-1:111111111111:network-acl/acl-0default",
		"aws-efs-encrypted arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-0legacy",
		"aws-iam-no-cloudshell-full-access arn:aws:iam::111111111111:group/support",
		"aws-organizations-delegated-policy-management arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/111111111111",
		// The member's root MFA is a virtual device.
		"aws-iam-root-hardware-mfa arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/222222222222",
		// The member account has no metric filters at all.
		"aws-cloudwatch-alarm-root-usage arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/222222222222",
		// AI services (SageMaker, Bedrock).
		"aws-sagemaker-notebook-direct-internet-access-disabled arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/research-sandbox",
		"aws-sagemaker-model-environment-no-secrets arn:aws:sagemaker:us-east-1:111111111111:model/fraud-xgb-v3",
		"aws-bedrock-agent-guardrail arn:aws:bedrock:us-east-1:111111111111:agent/AG0TRIAGE",
		"aws-bedrock-model-invocation-logging-enabled arn:aws:bedrock:eu-west-1:111111111111:model-invocation-logging",
		// CIS v7.0 2.21: resource policies open to everyone.
		"aws-sqs-queue-policy-not-public arn:aws:sqs:us-east-1:111111111111:public-intake",
		"aws-secretsmanager-secret-policy-not-public arn:aws:secretsmanager:us-east-1:111111111111:secret:partner/api-token-GhIjKl",
		"aws-eventbridge-bus-policy-not-public arn:aws:events:us-east-1:111111111111:event-bus/partner-ingest",
		"aws-glacier-vault-policy-not-public arn:aws:glacier:us-east-1:111111111111:vaults/shared-exports",
		// CIS v7.0 4.10: front ends without access logs.
		"aws-cloudfront-access-logging arn:aws:cloudfront::111111111111:distribution/E2LEGACYAPI01",
		"aws-apigateway-stage-access-logging arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev",
		"aws-apigateway-stage-access-logging arn:aws:apigateway:us-east-1::/apis/h7k9m2/stages/$default",
		"aws-elbv2-listener-tls-policy arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web-public/50dc6c495c0c9188",
		"aws-eks-endpoint-not-public arn:aws:eks:us-east-1:111111111111:cluster/ml-sandbox",
		"aws-ec2-ebs-snapshot-not-public arn:aws:ec2:us-east-1:111111111111:snapshot/snap-0shared02",
		"aws-ec2-ami-not-public arn:aws:ec2:us-east-1::image/ami-0demo02",
		"aws-rds-snapshot-not-public arn:aws:rds:us-east-1:111111111111:snapshot:legacy-export",
		"aws-guardduty-enabled arn:aws:ec2:us-east-1:222222222222:regional-settings",
	} {
		if !fails[want] {
			t.Errorf("no FAIL for %s", want)
		}
	}
	for _, clean := range []string{
		"aws-s3-bucket-not-public arn:aws:s3:::acme-logs",
		"aws-iam-password-policy-min-length arn:aws:iam::111111111111:account-password-policy",
		"aws-iam-server-certificate-not-expired arn:aws:iam::111111111111:server-certificate/www-2026",
		"aws-ec2-nacl-no-public-admin-ports arn:aws:ec2:us-east-1:111111111111:network-acl/acl-0guarded",
		"aws-efs-encrypted arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-0shared",
		"aws-iam-root-credentials-management arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/111111111111",
		"aws-organizations-delegated-administrators arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/111111111111",
		"aws-iam-no-cloudshell-full-access arn:aws:iam::111111111111:group/admins",
		"aws-iam-root-hardware-mfa arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/111111111111",
		// trail → log group → root-usage filter → alarm → confirmed e-mail subscriber.
		"aws-cloudwatch-alarm-root-usage arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/111111111111",
		// Policies restricted by aws:SourceArn, aws:PrincipalOrgID, AWS:SourceOwner, a named account.
		"aws-sqs-queue-policy-not-public arn:aws:sqs:us-east-1:111111111111:orders-in",
		"aws-eventbridge-bus-policy-not-public arn:aws:events:us-east-1:111111111111:event-bus/default",
		"aws-sns-topic-policy-not-public arn:aws:sns:us-east-1:111111111111:security-alerts",
		"aws-lambda-function-policy-not-public arn:aws:lambda:us-east-1:111111111111:function:billing-sync",
		"aws-kms-key-policy-not-public arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"aws-glacier-vault-policy-not-public arn:aws:glacier:us-east-1:111111111111:vaults/legal-hold",
		"aws-cloudfront-access-logging arn:aws:cloudfront::111111111111:distribution/E1WEBSITE0001",
		"aws-elbv2-access-logging arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web-public/50dc6c495c0c9188",
		"aws-apigateway-stage-access-logging arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod",
		"aws-guardduty-enabled arn:aws:ec2:us-east-1:111111111111:regional-settings",
		"aws-rds-snapshot-not-public arn:aws:rds:us-east-1:111111111111:cluster-snapshot:orders-aurora-pre-upgrade",
	} {
		if status[clean] != "PASS" {
			t.Errorf("clean resource %s: %q, want PASS", clean, status[clean])
		}
		if fails[clean] {
			t.Errorf("clean resource failed: %s", clean)
		}
	}
	var errs struct {
		CollectionErrors []struct {
			Account, Region, Op, Kind string
		} `json:"collection_errors"`
	}
	if err := json.Unmarshal([]byte(stdout), &errs); err != nil {
		t.Fatal(err)
	}
	var denied, malformed int
	for _, e := range errs.CollectionErrors {
		switch {
		case e.Account == "222222222222" && e.Region == "eu-west-1" && e.Kind == "denied":
			denied++
		case e.Op == "kms:ListKeys" && e.Kind == "other":
			malformed++
		default:
			t.Errorf("unexpected collection error %+v", e)
		}
	}
	if denied == 0 || malformed != 1 {
		t.Errorf("collection errors: %d denied in the member's eu-west-1, %d malformed; want some and 1", denied, malformed)
	}
}
