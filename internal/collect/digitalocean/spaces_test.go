package digitalocean

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// bucketProps returns the decoded properties of one collected bucket.
func bucketProps(t *testing.T, sink *memSink, uid string) map[string]any {
	t.Helper()
	i := slices.IndexFunc(sink.res, func(r resource.Resource) bool { return r.UID == uid })
	if i < 0 {
		t.Fatalf("bucket %s not collected", uid)
	}
	var m map[string]any
	if err := json.Unmarshal(sink.res[i].Properties, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSpacesMissingVersusUnread: a configuration the bucket does not have is
// an explicit value; one whose read fails is absent (so checks give ERROR)
// and is a collection error naming the bucket and operation.
func TestSpacesMissingVersusUnread(t *testing.T) {
	tests := []struct {
		name     string
		sub      string // configuration made to fail
		code     string
		field    string // property that must be absent after a failure
		explicit any    // its value when the bucket simply lacks it
		op       string
		kind     resource.ErrorKind
	}{
		{"policy denied", "policy", "AccessDenied", "policy", nil, "s3:GetBucketPolicy acme-assets", collect.Denied},
		{"cors throttled", "cors", "SlowDown", "cors_rules", []any{}, "s3:GetBucketCors acme-assets", collect.Throttled},
		{"lifecycle broken", "lifecycle", "InternalError", "lifecycle_rules", nil, "s3:GetBucketLifecycleConfiguration acme-assets", collect.Other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakes(t)
			opts := f.options()
			opts.MaxAttempts = 1
			// Baseline: acme-assets has no policy and no CORS.
			clean := bucketProps(t, collectWith(t, opts), "do:space:nyc3:acme-assets")
			if tt.explicit != nil || tt.field == "policy" {
				got, ok := clean[tt.field]
				if !ok {
					t.Fatalf("%s absent on a bucket that simply lacks it: %v", tt.field, clean)
				}
				if tt.field == "policy" && (got != nil || clean["policy_status"] != "none") {
					t.Errorf("no policy: policy = %v, policy_status = %v; want null and none", got, clean["policy_status"])
				}
			}

			status := http.StatusForbidden
			if tt.code != "AccessDenied" {
				status = http.StatusServiceUnavailable
			}
			if tt.code == "InternalError" {
				status = http.StatusInternalServerError
			}
			f.spaces.Fail("acme-assets", tt.sub, status, tt.code)
			sink := collectWith(t, opts)
			props := bucketProps(t, sink, "do:space:nyc3:acme-assets")
			if v, ok := props[tt.field]; ok {
				t.Errorf("%s = %v after a failed read, want it absent", tt.field, v)
			}
			if tt.field == "policy" && props["policy_status"] != "unread" {
				t.Errorf("policy_status = %v, want unread", props["policy_status"])
			}
			i := slices.IndexFunc(sink.errs, func(e collect.Error) bool { return e.Service == "spaces" && e.Op == tt.op })
			if i < 0 {
				t.Fatalf("no collection error for %s; errors: %+v", tt.op, sink.errs)
			}
			if e := sink.errs[i]; e.Kind != tt.kind || e.Region != "nyc3" {
				t.Errorf("error = %+v, want kind %s in nyc3", e, tt.kind)
			}
			// The other buckets are untouched.
			other := bucketProps(t, sink, "do:space:nyc3:acme-public-downloads")
			if other["policy_status"] != "present" {
				t.Errorf("acme-public-downloads policy_status = %v, want present", other["policy_status"])
			}
		})
	}
}

func TestParseBucketPolicy(t *testing.T) {
	tests := []struct {
		name, doc, want, err string
	}{
		{
			name: "principal star, single statement object, string action",
			doc:  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}}`,
			want: `{"Statement":[{"Action":["s3:ListBucket"],"Effect":"Allow","Principal":{"AWS":["*"]},"Resource":["arn:aws:s3:::b"]}],"Version":"2012-10-17"}`,
		},
		{
			name: "condition values become lists",
			doc:  `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:GetObject"],"Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"NumericLessThan":{"s3:max-keys":10}}}]}`,
			want: `{"Statement":[{"Action":["s3:GetObject"],"Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]},"NumericLessThan":{"s3:max-keys":["10"]}},"Effect":"Allow","Principal":{"AWS":["*"]}}]}`,
		},
		{name: "not JSON", doc: `<Policy/>`, err: "policy document"},
		{name: "empty", doc: "  ", err: "empty policy document"},
		{name: "statement is a string", doc: `{"Statement":"allow all"}`, err: "Statement is a string"},
		{name: "statement item is a number", doc: `{"Statement":[1]}`, err: "statement 0 is a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseBucketPolicy(tt.doc)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(got)
			if string(b) != tt.want {
				t.Errorf("got  %s\nwant %s", b, tt.want)
			}
		})
	}
}

// TestUnparseablePolicyIsUnread: a policy that does not decode is recorded
// and left unread, never taken for "no policy".
func TestUnparseablePolicyIsUnread(t *testing.T) {
	f := newFakes(t)
	f.spaces.Answer("acme-backups", "policy", `{"Statement": "everyone may read"}`)
	sink := collectWith(t, f.options())
	props := bucketProps(t, sink, "do:space:fra1:acme-backups")
	if _, ok := props["policy"]; ok || props["policy_status"] != "unread" {
		t.Errorf("policy = %v, policy_status = %v; want absent and unread", props["policy"], props["policy_status"])
	}
	if !slices.ContainsFunc(sink.errs, func(e collect.Error) bool {
		return e.Op == "s3:GetBucketPolicy acme-backups" && strings.Contains(e.Message, "decode the policy")
	}) {
		t.Errorf("no decode error recorded: %+v", sink.errs)
	}
}

// TestCDNEndpoints: endpoints with and without a custom domain, and the
// edge to the certificate of the custom one.
func TestCDNEndpoints(t *testing.T) {
	f := newFakes(t)
	sink := collectWith(t, f.options())
	var cdns []resource.Resource
	for _, r := range sink.res {
		if r.Kind == "do_cdn_endpoint" {
			cdns = append(cdns, r)
		}
	}
	if len(cdns) != 2 {
		t.Fatalf("collected %d CDN endpoints, want 2", len(cdns))
	}
	want := resource.Edge{From: "do:cdn:cd0cd0cd-0000-4000-8000-000000000002", To: "do:certificate:ce7ce7ce-0000-4000-8000-000000000001", Type: "uses_certificate"}
	if !slices.Contains(sink.edges, want) {
		t.Errorf("edges lack %+v", want)
	}
	for _, e := range sink.errs {
		if e.Service == "cdn" {
			t.Errorf("unexpected CDN error %+v", e)
		}
	}
}
