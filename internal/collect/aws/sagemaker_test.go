package aws_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"cloudward/internal/collect"
	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/aws/awstest"
	"cloudward/internal/resource"
)

// collectAI scans the management account in us-east-1 against the fake
// and returns what was collected.
func collectAI(t *testing.T, fake awstest.Options, client func(*http.Client) aws.Options) *sink {
	t.Helper()
	fake.Dir = fakeDir
	srv := awstest.New(fake)
	t.Cleanup(srv.Close)
	c := newCollector(srv, aws.Options{Regions: []string{"us-east-1"}})
	if client != nil {
		opts := client(srv.HTTPClient())
		opts.Regions = []string{"us-east-1"}
		opts.EndpointURL = srv.URL
		opts.Credentials = awstest.Credentials(mgmt)
		opts.Backoff = fastBackoff{}
		c = aws.New(opts)
	}
	var s sink
	if err := c.Collect(context.Background(), &s); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return &s
}

func aiResources(s *sink) map[string]resource.Resource {
	out := map[string]resource.Resource{}
	for _, r := range s.resources {
		if strings.HasPrefix(r.Kind, "aws_sagemaker_") || strings.HasPrefix(r.Kind, "aws_bedrock_") {
			out[r.UID] = r
		}
	}
	return out
}

func props(t *testing.T, r resource.Resource) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Properties, &m); err != nil {
		t.Fatalf("%s: %v", r.UID, err)
	}
	return m
}

func hasEdge(s *sink, from, to, typ string) bool {
	for _, e := range s.edges {
		if e.From == from && e.To == to && e.Type == typ {
			return true
		}
	}
	return false
}

// TestSageMakerCollect covers every SageMaker kind: paging of the notebook
// listing, the documents, the redaction of container environments, the
// user profile's inherited role and the edges to data, keys, roles and
// networks.
func TestSageMakerCollect(t *testing.T) {
	s := collectAI(t, awstest.Options{ThrottleFirst: map[string]int{"sagemaker:ListNotebookInstances": 2}}, nil)
	if len(s.errors) != 0 {
		t.Fatalf("collection errors: %v", s.errors)
	}
	got := aiResources(s)
	const p = "arn:aws:sagemaker:us-east-1:111111111111:"
	kinds := map[string]string{
		p + "notebook-instance/research-sandbox":  "aws_sagemaker_notebook_instance",
		p + "notebook-instance/fraud-features":    "aws_sagemaker_notebook_instance", // second page
		p + "domain/d-studio01":                   "aws_sagemaker_domain",
		p + "user-profile/d-studio01/alice":       "aws_sagemaker_user_profile",
		p + "user-profile/d-studio01/ml-pipeline": "aws_sagemaker_user_profile",
		p + "endpoint/fraud-scorer":               "aws_sagemaker_endpoint",
		p + "endpoint-config/fraud-scorer-v3":     "aws_sagemaker_endpoint_config",
		p + "model/fraud-xgb-v3":                  "aws_sagemaker_model",
		p + "training-job/fraud-xgb-2026-10-30":   "aws_sagemaker_training_job",
	}
	for uid, kind := range kinds {
		r, ok := got[uid]
		if !ok {
			t.Errorf("missing %s", uid)
			continue
		}
		if r.Kind != kind || r.Region != "us-east-1" || r.Account != mgmt {
			t.Errorf("%s: got %s in %s/%s", uid, r.Kind, r.Account, r.Region)
		}
	}
	nb := props(t, got[p+"notebook-instance/research-sandbox"])
	if nb["direct_internet_access"] != "Enabled" || nb["root_access"] != "Enabled" || nb["kms_key_id"] != nil {
		t.Errorf("research-sandbox: %v", nb)
	}
	nb = props(t, got[p+"notebook-instance/fraud-features"])
	if nb["direct_internet_access"] != "Disabled" || nb["subnet_id"] != "subnet-0aaa1111" {
		t.Errorf("fraud-features: %v", nb)
	}
	if tags := got[p+"notebook-instance/fraud-features"].Tags; tags["owner"] != "data-team" {
		t.Errorf("fraud-features tags: %v", tags)
	}
	alice := props(t, got[p+"user-profile/d-studio01/alice"])
	if alice["effective_execution_role"] != "arn:aws:iam::111111111111:role/service-role/AmazonSageMaker-ExecutionRole" {
		t.Errorf("alice does not inherit the domain's role: %v", alice)
	}
	job := props(t, got[p+"training-job/fraud-xgb-2026-10-30"])
	if job["enable_network_isolation"] != false || job["enable_inter_container_traffic_encryption"] != false {
		t.Errorf("training job: %v", job)
	}
	// Secrets never leave the collector: environment values are dropped.
	secret := regexp.MustCompile(`tok-Zx8Qp3|0123456789abcdef`)
	for _, r := range got {
		if secret.Match(r.Properties) {
			t.Errorf("%s: an environment value leaked into the document", r.UID)
		}
	}
	model := props(t, got[p+"model/fraud-xgb-v3"])
	env := model["primary_container"].(map[string]any)["environment"].([]any)
	flags := map[string]bool{}
	for _, v := range env {
		m := v.(map[string]any)
		flags[m["name"].(string)] = m["looks_like_secret"].(bool)
	}
	if !mapsEqual(flags, map[string]bool{"SAGEMAKER_PROGRAM": false, "FEATURE_STORE_TOKEN": true}) {
		t.Errorf("model environment: %v", flags)
	}
	for _, e := range []struct{ from, to, typ string }{
		{p + "training-job/fraud-xgb-2026-10-30", "arn:aws:s3:::acme-ml-training", "reads_data"},
		{p + "training-job/fraud-xgb-2026-10-30", "arn:aws:s3:::acme-ml-artifacts", "writes_data"},
		{p + "model/fraud-xgb-v3", "arn:aws:s3:::acme-ml-artifacts", "reads_data"},
		{p + "model/fraud-xgb-v3", "arn:aws:iam::111111111111:role/fraud-ml-inference", "execution_role"},
		{p + "notebook-instance/fraud-features", "arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666", "encrypted_with"},
		{p + "notebook-instance/fraud-features", "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0ml11111", "uses_security_group"},
		{p + "domain/d-studio01", "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0main", "in_vpc"},
		{p + "user-profile/d-studio01/ml-pipeline", "arn:aws:iam::111111111111:role/ml-pipeline", "execution_role"},
		{p + "endpoint/fraud-scorer", p + "endpoint-config/fraud-scorer-v3", "uses_config"},
		{p + "endpoint-config/fraud-scorer-v3", p + "model/fraud-xgb-v3", "serves_model"},
		{p + "endpoint-config/fraud-scorer-v3", "arn:aws:s3:::acme-ml-capture", "writes_data"},
	} {
		if !hasEdge(s, e.from, e.to, e.typ) {
			t.Errorf("missing edge %s -%s-> %s", e.from, e.typ, e.to)
		}
	}
}

// TestAIAccessDenied: a denied SageMaker or Bedrock is a denied
// collection error per listing, and the other services are still collected.
func TestAIAccessDenied(t *testing.T) {
	s := collectAI(t, awstest.Options{Deny: map[string]bool{mgmt + "/us-east-1/sagemaker": true, mgmt + "/us-east-1/bedrock": true}}, nil)
	if n := len(aiResources(s)); n != 0 {
		t.Errorf("%d AI resources collected from denied services", n)
	}
	ops := map[string]bool{}
	for _, e := range s.errors {
		if e.Kind != collect.Denied || e.Region != "us-east-1" {
			t.Errorf("unexpected error %v", e)
		}
		ops[e.Op] = true
	}
	for _, op := range []string{"sagemaker:ListNotebookInstances", "sagemaker:ListDomains", "sagemaker:ListEndpoints",
		"sagemaker:ListEndpointConfigs", "sagemaker:ListModels", "sagemaker:ListTrainingJobs",
		"bedrock:GetModelInvocationLoggingConfiguration", "bedrock:ListCustomModels", "bedrock:ListProvisionedModelThroughputs",
		"bedrock:ListGuardrails", "bedrock:ListModelCustomizationJobs", "bedrock:ListKnowledgeBases", "bedrock:ListAgents"} {
		if !ops[op] {
			t.Errorf("no denied error for %s (got %v)", op, ops)
		}
	}
	var buckets int
	for _, r := range s.resources {
		if r.Kind == "aws_lambda_function" || r.Kind == "aws_kms_key" {
			buckets++
		}
	}
	if buckets == 0 {
		t.Error("other services were not collected")
	}
}

// noEndpoint fails the requests of one service in one region as the DNS
// does when the service has no endpoint there.
type noEndpoint struct {
	next            *http.Client
	service, region string
	calls           *atomic.Int64
}

var scopeRe = regexp.MustCompile(`Credential=[^/]+/[0-9]+/([^/]+)/([^/]+)/aws4_request`)

func (n noEndpoint) Do(req *http.Request) (*http.Response, error) {
	if m := scopeRe.FindStringSubmatch(req.Header.Get("Authorization")); m != nil && m[1] == n.region && m[2] == n.service {
		n.calls.Add(1)
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: n.service + "." + n.region + ".amazonaws.com", IsNotFound: true}}
	}
	return n.next.Do(req)
}

// TestAIServiceNotOffered: in a region where the service has no endpoint
// the job is skipped without a collection error (and without retries).
func TestAIServiceNotOffered(t *testing.T) {
	for _, svc := range []string{"bedrock", "sagemaker"} {
		t.Run(svc, func(t *testing.T) {
			var calls atomic.Int64
			s := collectAI(t, awstest.Options{}, func(c *http.Client) aws.Options {
				return aws.Options{HTTPClient: noEndpoint{next: c, service: svc, region: "us-east-1", calls: &calls}}
			})
			if len(s.errors) != 0 {
				t.Errorf("collection errors: %v", s.errors)
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("%d calls to the missing endpoint, want 1 (no retries, no further listings)", n)
			}
			var skipped, other int
			for _, r := range aiResources(s) {
				if strings.HasPrefix(r.Kind, "aws_"+svc+"_") {
					skipped++
				} else {
					other++
				}
			}
			if skipped != 0 {
				t.Errorf("%d %s resources collected where the service has no endpoint", skipped, svc)
			}
			if other == 0 {
				t.Errorf("the other AI service was not collected")
			}
		})
	}
}
