package aws

import (
	"reflect"
	"slices"
	"strings"
)

// clientInterface is one narrow client interface and the IAM service
// prefix of its operations.
type clientInterface struct {
	prefix string
	typ    reflect.Type
}

// clientInterfaces lists every interface through which the collector calls
// AWS. Together they are the complete set of operations it can perform.
func clientInterfaces() []clientInterface {
	return append([]clientInterface{
		{"sts", reflect.TypeFor[stsAPI]()},
		{"organizations", reflect.TypeFor[organizationsAPI]()},
		{"account", reflect.TypeFor[accountAPI]()},
		{"iam", reflect.TypeFor[iamAPI]()},
		{"s3", reflect.TypeFor[s3controlAPI]()},
		{"s3", reflect.TypeFor[s3API]()},
		{"ec2", reflect.TypeFor[ec2API]()},
		{"kms", reflect.TypeFor[kmsAPI]()},
		{"cloudtrail", reflect.TypeFor[cloudtrailAPI]()},
		{"config", reflect.TypeFor[configAPI]()},
		{"rds", reflect.TypeFor[rdsAPI]()},
		{"lambda", reflect.TypeFor[lambdaAPI]()},
		{"logs", reflect.TypeFor[logsAPI]()},
		{"access-analyzer", reflect.TypeFor[accessAnalyzerAPI]()},
		{"securityhub", reflect.TypeFor[securityHubAPI]()},
		{"cloudwatch", reflect.TypeFor[cloudwatchAPI]()},
		{"sns", reflect.TypeFor[snsAPI]()},
		{"elasticfilesystem", reflect.TypeFor[efsAPI]()},
		{"sqs", reflect.TypeFor[sqsAPI]()},
		{"secretsmanager", reflect.TypeFor[secretsManagerAPI]()},
		{"events", reflect.TypeFor[eventBridgeAPI]()},
		{"glacier", reflect.TypeFor[glacierAPI]()},
		{"elasticloadbalancing", reflect.TypeFor[elbv2API]()},
		{"cloudfront", reflect.TypeFor[cloudFrontAPI]()},
		{"apigateway", reflect.TypeFor[apiGatewayAPI]()},
		{"apigateway", reflect.TypeFor[apiGatewayV2API]()},
		{"eks", reflect.TypeFor[eksAPI]()},
		{"guardduty", reflect.TypeFor[guardDutyAPI]()},
		{"ec2", reflect.TypeFor[ec2ImagesAPI]()},
		{"rds", reflect.TypeFor[rdsClustersAPI]()},
	}, aiClientInterfaces()...)
}

// RequiredPermissions returns the IAM actions the collector needs, sorted:
// exactly the operations of its client interfaces. docs/aws.md holds the
// policy built from this list, and a test keeps the two in step.
func RequiredPermissions() []string {
	// SDK operations whose IAM action has another name.
	iamActionNames := map[string]string{
		"s3:ListBuckets":                 "s3:ListAllMyBuckets",
		"s3:GetBucketEncryption":         "s3:GetEncryptionConfiguration",
		"s3:GetPublicAccessBlock":        "s3:GetBucketPublicAccessBlock",
		"s3:GetObjectLockConfiguration":  "s3:GetBucketObjectLockConfiguration",
		"s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
		// API Gateway authorizes by HTTP method on resource paths.
		"apigateway:GetRestApis": "apigateway:GET",
		"apigateway:GetStages":   "apigateway:GET",
		"apigateway:GetApis":     "apigateway:GET",
	}
	var out []string
	for _, ci := range clientInterfaces() {
		key := ci.prefix
		if ci.typ == reflect.TypeFor[s3controlAPI]() {
			key = "s3control"
		}
		for i := range ci.typ.NumMethod() {
			op := key + ":" + ci.typ.Method(i).Name
			if a, ok := iamActionNames[op]; ok {
				op = a
			} else {
				op = ci.prefix + ":" + ci.typ.Method(i).Name
			}
			out = append(out, op)
		}
	}
	// sts:GetCallerIdentity needs no permission but is listed for clarity;
	// sts:AssumeRole is the only way the collector enters member accounts.
	slices.Sort(out)
	return slices.Compact(out)
}

// readOnlyOperation reports whether an operation name is a read: List*,
// Describe*, Get*, or GenerateCredentialReport (which only builds the
// report that GetCredentialReport reads). AssumeRole is the one exception,
// needed to read member accounts.
func readOnlyOperation(name string) bool {
	for _, p := range []string{"List", "Describe", "Get"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return name == "GenerateCredentialReport" || name == "AssumeRole"
}
