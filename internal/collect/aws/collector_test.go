package aws_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cloudward/internal/collect"
	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/aws/awstest"
	"cloudward/internal/resource"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	mgmt    = "111111111111"
	member  = "222222222222"
	empty   = "333333333333"
	fakeDir = "testdata/fake"
)

// fastBackoff keeps retries quick against the fake.
type fastBackoff struct{}

func (fastBackoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return time.Duration(attempt) * time.Millisecond, nil
}

func newCollector(srv *awstest.Server, opts aws.Options) *aws.Collector {
	opts.EndpointURL = srv.URL
	opts.HTTPClient = srv.HTTPClient()
	if opts.Credentials == nil {
		opts.Credentials = awstest.Credentials(mgmt)
	}
	if opts.Backoff == nil {
		opts.Backoff = fastBackoff{}
	}
	opts.ReportPollInterval = time.Millisecond
	return aws.New(opts)
}

// scenario is the standard test estate: an organization of three active
// accounts (and a suspended one), an AccessDenied region in the member
// account, a throttled Lambda listing and a malformed KMS answer.
func scenario(t testing.TB, extra awstest.Options) (*awstest.Server, *sink) {
	t.Helper()
	extra.Dir = fakeDir
	if extra.Deny == nil {
		extra.Deny = map[string]bool{member + "/eu-west-1/*": true}
	}
	if extra.ThrottleFirst == nil {
		extra.ThrottleFirst = map[string]int{"lambda:ListFunctions": 2, "iam:GetAccountAuthorizationDetails": 1}
	}
	srv := awstest.New(extra)
	t.Cleanup(srv.Close)
	c := newCollector(srv, aws.Options{Org: true})
	var s sink
	if err := c.Collect(context.Background(), &s); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return srv, &s
}

type golden struct {
	Resources []resource.Resource `json:"resources"`
	Edges     []resource.Edge     `json:"edges"`
	Errors    []collect.Error     `json:"errors"`
}

func (s *sink) golden() golden {
	g := golden{Resources: slices.Clone(s.resources), Edges: slices.Clone(s.edges), Errors: slices.Clone(s.errors)}
	slices.SortFunc(g.Resources, func(a, b resource.Resource) int { return strings.Compare(a.UID, b.UID) })
	slices.SortFunc(g.Edges, func(a, b resource.Edge) int {
		return strings.Compare(a.From+" "+a.Type+" "+a.To, b.From+" "+b.Type+" "+b.To)
	})
	slices.SortFunc(g.Errors, func(a, b collect.Error) int { return strings.Compare(a.Error(), b.Error()) })
	return g
}

func TestCollectGolden(t *testing.T) {
	_, s := scenario(t, awstest.Options{})
	got, err := json.MarshalIndent(s.golden(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "collect.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("collected estate differs from %s (run go test -update and review the diff)", path)
	}
}

func TestCollectScenario(t *testing.T) {
	srv, s := scenario(t, awstest.Options{})
	byUID := map[string]resource.Resource{}
	count := map[string]map[string]int{} // account → kind → n
	for _, r := range s.resources {
		if _, dup := byUID[r.UID]; dup {
			t.Errorf("duplicate uid %s", r.UID)
		}
		byUID[r.UID] = r
		if count[r.Account] == nil {
			count[r.Account] = map[string]int{}
		}
		count[r.Account][r.Kind]++
		if r.Region == "ap-east-1" {
			t.Errorf("%s collected in the not-opted-in region ap-east-1", r.UID)
		}
	}
	// Pagination: both pages of IAM details, EC2 volumes and org accounts.
	for _, uid := range []string{
		"arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:user/svc-ci",
		"arn:aws:iam::111111111111:policy/acme-admin",
		"arn:aws:ec2:us-east-1:111111111111:volume/vol-0root", "arn:aws:ec2:us-east-1:111111111111:volume/vol-0spare",
		"arn:aws:lambda:us-east-1:111111111111:function:billing-sync", // after two throttled answers
		"arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/333333333333",
	} {
		if _, ok := byUID[uid]; !ok {
			t.Errorf("missing %s", uid)
		}
	}
	if _, ok := byUID["arn:aws:s3:::acme-hk"]; ok {
		t.Error("bucket in a region outside the scan was collected")
	}
	if _, ok := count["444444444444"]; ok {
		t.Error("suspended account was scanned")
	}
	// The empty account: account facts, password policy and one settings
	// resource and one Bedrock invocation logging configuration per region,
	// nothing else.
	if got, want := count[empty], map[string]int{"aws_account": 1, "aws_iam_password_policy": 1, "aws_ec2_regional_settings": 2, "aws_bedrock_model_invocation_logging": 2}; !mapsEqual(got, want) {
		t.Errorf("empty account: got %v, want %v", got, want)
	}
	// The member account: eu-west-1 denied → every regional service there
	// is a denied collection error, and nothing is collected in it.
	var malformed, throttled int
	denied := map[string]bool{}
	for _, e := range s.errors {
		switch {
		case e.Account == member && e.Region == "eu-west-1":
			if e.Kind != collect.Denied {
				t.Errorf("member eu-west-1 error %v: want denied", e)
			}
			denied[e.Service] = true
		case e.Account == mgmt && e.Op == "kms:ListKeys":
			if e.Kind != collect.Other || e.Region != "eu-west-1" {
				t.Errorf("malformed answer error %v: want other in eu-west-1", e)
			}
			malformed++
		case e.Kind == collect.Throttled:
			throttled++
		default:
			t.Errorf("unexpected collection error %v", e)
		}
	}
	for _, svc := range []string{"ec2", "kms", "cloudtrail", "config", "rds", "lambda", "logs", "access-analyzer",
		"securityhub", "cloudwatch", "sns", "elasticfilesystem", "sqs", "secretsmanager", "events", "glacier", "elasticloadbalancing", "apigateway", "eks", "guardduty", "sagemaker", "bedrock"} {
		if !denied[svc] {
			t.Errorf("no denied error for %s in member eu-west-1 (got %v): every regional service must report it", svc, denied)
		}
	}
	if malformed != 1 {
		t.Errorf("got %d errors for the malformed KMS answer, want 1", malformed)
	}
	if throttled != 0 {
		t.Errorf("got %d throttled errors, want 0 (the retryer absorbs them)", throttled)
	}
	for _, r := range s.resources {
		if r.Account == member && r.Region == "eu-west-1" && r.Kind != "aws_ec2_regional_settings" {
			t.Errorf("%s collected in a denied region", r.UID)
		}
	}
	if srv.Throttled() != 3 {
		t.Errorf("fake throttled %d calls, want 3", srv.Throttled())
	}
	// Secrets never leave the collector.
	for _, r := range s.resources {
		if strings.Contains(string(r.Properties), "sk_live") || strings.Contains(string(r.Properties), "Zx8Qp3") {
			t.Errorf("%s: an environment variable value leaked into the document", r.UID)
		}
	}
	fn := byUID["arn:aws:lambda:us-east-1:111111111111:function:billing-sync"]
	var doc struct {
		Environment struct {
			Variables []struct {
				Name            string `json:"name"`
				LooksLikeSecret bool   `json:"looks_like_secret"`
			} `json:"variables"`
		} `json:"environment"`
	}
	if err := json.Unmarshal(fn.Properties, &doc); err != nil {
		t.Fatal(err)
	}
	secret := map[string]bool{}
	for _, v := range doc.Environment.Variables {
		secret[v.Name] = v.LooksLikeSecret
	}
	if want := map[string]bool{"LOG_LEVEL": false, "STRIPE_API_KEY": true, "WEBHOOK_SIGNING": true}; !mapsEqual(secret, want) {
		t.Errorf("lambda env redaction: got %v, want %v", secret, want)
	}
}

func mapsEqual[V comparable](a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestCollectMatchesSchema checks every collected document against its
// kind's schema, like TestDemoMatchesSchema does for the demo.
func TestCollectMatchesSchema(t *testing.T) {
	_, s := scenario(t, awstest.Options{})
	reg, err := resource.NewRegistry(aws.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, r := range s.resources {
		if err := r.Validate(); err != nil {
			t.Errorf("invalid resource: %v", err)
			continue
		}
		k, ok := reg.Lookup(r.Kind)
		if !ok {
			t.Errorf("%s: unregistered kind %s", r.UID, r.Kind)
			continue
		}
		kinds[r.Kind] = true
		if k.Global != (r.Region == resource.GlobalRegion) {
			t.Errorf("%s: region %q does not match Global=%v", r.UID, r.Region, k.Global)
		}
		var doc map[string]any
		if err := json.Unmarshal(r.Properties, &doc); err != nil {
			t.Errorf("%s: %v", r.UID, err)
			continue
		}
		checkDoc(t, r.UID, k.Schema, doc)
	}
	for _, k := range reg.All() {
		if !kinds[k.Name] {
			t.Errorf("the fake estate produced no %s", k.Name)
		}
	}
}

// TestCollectStandalone scans without --aws-org: only the caller's account,
// limited to one region, and a region that is not enabled is reported.
func TestCollectStandalone(t *testing.T) {
	srv := awstest.New(awstest.Options{Dir: fakeDir})
	t.Cleanup(srv.Close)
	c := newCollector(srv, aws.Options{Regions: []string{"us-east-1", "ap-east-1"}})
	var s sink
	if err := c.Collect(context.Background(), &s); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.resources {
		if r.Account != mgmt || (r.Region != "us-east-1" && r.Region != resource.GlobalRegion) {
			t.Errorf("out of scope: %s %s %s", r.Account, r.Region, r.UID)
		}
	}
	if len(s.errors) != 1 || s.errors[0].Region != "ap-east-1" || s.errors[0].Kind != collect.NotEnabled {
		t.Errorf("errors: got %v, want one not_enabled for ap-east-1", s.errors)
	}
}

// TestCollectAssumeRoleDenied records a member account whose role cannot be
// assumed and scans the others.
func TestCollectAssumeRoleDenied(t *testing.T) {
	srv := awstest.New(awstest.Options{Dir: fakeDir, Deny: map[string]bool{member + "/*/sts": true}})
	t.Cleanup(srv.Close)
	c := newCollector(srv, aws.Options{Org: true, Regions: []string{"us-east-1"}})
	var s sink
	if err := c.Collect(context.Background(), &s); err != nil {
		t.Fatal(err)
	}
	var stsErr bool
	for _, e := range s.errors {
		if e.Account == member && e.Op == "sts:AssumeRole" && e.Kind == collect.Denied {
			stsErr = true
		}
	}
	if !stsErr {
		t.Errorf("no denied sts:AssumeRole error for %s: %v", member, s.errors)
	}
	for _, r := range s.resources {
		if r.Account == member {
			t.Errorf("resource collected from an account whose role was denied: %s", r.UID)
		}
	}
}

// TestCollectNoCredentials fails the whole collection when the caller is
// unknown.
func TestCollectNoCredentials(t *testing.T) {
	srv := awstest.New(awstest.Options{Dir: fakeDir, Deny: map[string]bool{mgmt + "/*/sts": true}})
	t.Cleanup(srv.Close)
	c := newCollector(srv, aws.Options{})
	var s sink
	if err := c.Collect(context.Background(), &s); err == nil {
		t.Fatal("Collect succeeded with denied credentials")
	}
}
