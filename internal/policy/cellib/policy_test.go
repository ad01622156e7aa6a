package cellib

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestPublicStatements(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // nil: error expected
	}{
		{"no policy", `null`, []string{}},
		{"principal star string", `{"Statement":[{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}`, []string{"Open"}},
		{"AWS star", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}}`, []string{"#1"}},
		{"normalised AWS list", `{"Statement":[{"Effect":"Deny","Principal":{"AWS":["*"]},"Action":["*"]},{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","*"]},"Action":["kms:Decrypt"]}]}`, []string{"#2"}},
		{"account wildcard ARN", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"*"}]}`, []string{"#1"}},
		{"named account", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"*"}]}`, []string{}},
		{"service principal", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish"}]}`, []string{}},
		{"deny star", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}`, []string{}},
		{"not principal", `{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"*"}]}`, []string{"#1"}},
		{"source account", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}`, []string{}},
		{"source arn like", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:SendMessage","Condition":{"ArnLike":{"aws:SourceArn":["arn:aws:sns:us-east-1:123456789012:alerts"]}}}]}`, []string{}},
		{"source arn any account", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:alerts"}}}]}`, []string{"#1"}},
		{"org id", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-abc"]}}}]}`, []string{}},
		{"vpce case-insensitive key", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringEquals":{"AWS:SOURCEVPCE":"vpce-1"}}}]}`, []string{}},
		{"org id wildcard", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringLike":{"aws:PrincipalOrgID":"*"}}}]}`, []string{"#1"}},
		{"if exists", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"123456789012"}}}]}`, []string{"#1"}},
		{"negated on allow", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"123456789012"}}}]}`, []string{"#1"}},
		{"unrelated key", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, []string{"#1"}},
		{"source ip private", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}}]}`, []string{}},
		{"source ip everything", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]}`, []string{"#1"}},
		{"for all values", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"ForAllValues:StringEquals":{"aws:PrincipalOrgPaths":["o-a/r-b/"]}}}]}`, []string{"#1"}},
		{"kms caller account", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Condition":{"StringEquals":{"kms:CallerAccount":"123456789012"}}}]}`, []string{}},
		{"deny guard outside org", `{"Statement":[{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject"},{"Effect":"Deny","Principal":"*","Action":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}`, []string{}},
		{"deny guard with if exists does not guard", `{"Statement":[{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject"},{"Effect":"Deny","Principal":"*","Action":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-abc"}}}]}`, []string{"Read"}},
		{"statement not an object", `{"Statement":["x"]}`, nil},
		{"policy not an object", `"x"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc any
			if err := json.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			got, err := PublicStatements(doc)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("got %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPolicyFunctionsInCEL(t *testing.T) {
	tests := []struct {
		expr string
		want any
	}{
		{`policy_allows_public({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["sqs:*"]}]})`, true},
		{`policy_allows_public({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Condition": {"StringEquals": {"aws:SourceAccount": ["111122223333"]}}}]})`, false},
		{`public_policy_statements({"Statement": [{"Sid": "A", "Effect": "Allow", "Principal": "*"}, {"Effect": "Allow", "Principal": "*"}]}) == ["A", "#2"]`, true},
		{`policy_allows_public(properties.port)`, "error:policy is int64"},
		{`policy_allows_public(null)`, false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			v, err := eval(t, tt.expr, nil)
			if s, ok := tt.want.(string); ok {
				if err == nil || !strings.Contains(err.Error(), s[len("error:"):]) {
					t.Fatalf("got %v, %v; want an error with %q", v, err, s)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.Value() != tt.want {
				t.Errorf("got %v, want %v", v.Value(), tt.want)
			}
		})
	}
}
