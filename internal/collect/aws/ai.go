package aws

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"

	"cloudward/internal/resource"
)

// The AI and machine-learning kinds: SageMaker (sagemaker.go) and Bedrock
// with Bedrock Agents (bedrock.go). Every one has Kind.AI set, so it shows
// in the AI inventory and the ai-security baseline.
//
// Edges from AI resources say what they can reach:
//
//	reads_data     → aws_s3_bucket   (training input, knowledge-base data sources)
//	writes_data    → aws_s3_bucket   (training output, data capture, invocation logs)
//	encrypted_with → aws_kms_key     (customer managed keys)
//	execution_role → aws_iam_role    (the identity the service acts as)
//	in_vpc         → aws_vpc, uses_security_group → aws_ec2_security_group
//	plus links between AI resources (endpoint → endpoint config → model,
//	agent → knowledge base and guardrail, custom model → base job).

// Bounds on the job histories: only recent jobs are collected, and at most
// this many per region, newest first.
const (
	// aiJobWindowDays is how far back training and customization jobs are
	// listed.
	aiJobWindowDays = 90
	// aiJobLimit caps the jobs of one kind collected per region.
	aiJobLimit = 100
)

// aiKinds lists the AI and machine-learning kinds (SageMaker, Bedrock).
func aiKinds() []resource.Kind {
	return append(sagemakerKinds(), bedrockKinds()...)
}

// aiJobs lists the regional jobs that collect the AI kinds.
func aiJobs() []regionalJob {
	return []regionalJob{
		{"sagemaker", collectSageMaker},
		{"bedrock", collectBedrock},
	}
}

// aiClientInterfaces lists the client interfaces of the AI collectors; the
// Bedrock Agents API is authorized under the bedrock IAM prefix.
func aiClientInterfaces() []clientInterface {
	return []clientInterface{
		{"sagemaker", reflect.TypeFor[sagemakerAPI]()},
		{"bedrock", reflect.TypeFor[bedrockAPI]()},
		{"bedrock", reflect.TypeFor[bedrockAgentAPI]()},
	}
}

// aiKind is the common shape of an AI kind: regional, taggable unless said
// otherwise, flagged AI.
func aiKind(name, service string, model resource.ServiceModel, desc string, perms []string, schema ...resource.Field) resource.Kind {
	return resource.Kind{
		Name: name, Provider: resource.AWS, Service: service, Model: model, Taggable: true, AI: true,
		Description: desc, Permissions: perms, Schema: schema,
	}
}

// serviceUnavailable reports whether err says the service has no endpoint
// in the region (the endpoint's host name does not exist): the service is
// not offered there, which is not a failure of the scan.
func serviceUnavailable(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// s3BucketARN returns the ARN of the bucket of an s3:// URI or a bucket
// ARN, or "" when s is neither.
func s3BucketARN(partition, s string) string {
	if strings.HasPrefix(s, "arn:") {
		p := strings.SplitN(s, ":", 6)
		if len(p) == 6 && p[2] == "s3" {
			bucket, _, _ := strings.Cut(p[5], "/")
			return fmt.Sprintf("arn:%s:s3:::%s", p[1], bucket)
		}
		return ""
	}
	rest, ok := strings.CutPrefix(s, "s3://")
	if !ok {
		return ""
	}
	bucket, _, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return ""
	}
	return fmt.Sprintf("arn:%s:s3:::%s", partition, bucket)
}

// kmsKeyARN returns the key ARN for a KMS key ID or key ARN as APIs accept
// them, or "" for aliases (which name no key without a lookup).
func (s *scope) kmsKeyARN(id string) string {
	switch {
	case id == "":
		return ""
	case strings.HasPrefix(id, "arn:"):
		if strings.Contains(id, ":key/") {
			return id
		}
		return ""
	case strings.HasPrefix(id, "alias/"):
		return ""
	}
	return s.arn("kms", s.region, "key/"+id)
}

// aiEdges sends the edges of one AI resource: S3 data it reads and writes
// (s3:// URIs or bucket ARNs), its KMS keys, its role, VPC and security
// groups. Empty values are skipped.
type aiEdges struct {
	reads, writes, keys, roles, vpcs, securityGroups []string
}

func (s *scope) aiEdges(ctx context.Context, uid string, e aiEdges) error {
	seen := map[string]bool{}
	send := func(to, typ string) error {
		if to == "" || seen[typ+" "+to] {
			return nil
		}
		seen[typ+" "+to] = true
		return s.edge(ctx, uid, to, typ)
	}
	for _, u := range e.reads {
		if err := send(s3BucketARN(s.acct.partition, u), "reads_data"); err != nil {
			return err
		}
	}
	for _, u := range e.writes {
		if err := send(s3BucketARN(s.acct.partition, u), "writes_data"); err != nil {
			return err
		}
	}
	for _, k := range e.keys {
		if err := send(s.kmsKeyARN(k), "encrypted_with"); err != nil {
			return err
		}
	}
	for _, r := range e.roles {
		if err := send(r, "execution_role"); err != nil {
			return err
		}
	}
	for _, v := range e.vpcs {
		if v != "" {
			if err := send(s.arn("ec2", s.region, "vpc/"+v), "in_vpc"); err != nil {
				return err
			}
		}
	}
	for _, g := range e.securityGroups {
		if g != "" {
			if err := send(s.arn("ec2", s.region, "security-group/"+g), "uses_security_group"); err != nil {
				return err
			}
		}
	}
	return nil
}

// lowerName lower-cases a SageMaker resource name as its ARN spells it.
func lowerName(name string) string { return strings.ToLower(name) }
