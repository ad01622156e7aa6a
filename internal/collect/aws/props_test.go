package aws

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{
			name: "single statement, star principal, scalar values",
			in:   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:TlsVersion":1.2}}}}`,
			want: `{"Statement":[{"Action":["s3:GetObject"],"Condition":{"Bool":{"aws:SecureTransport":["false"]},"NumericLessThan":{"s3:TlsVersion":["1.2"]}},"Effect":"Allow","Principal":{"AWS":["*"]},"Resource":["arn:aws:s3:::b/*"]}],"Version":"2012-10-17"}`,
		},
		{
			name: "URL-encoded trust policy with service principal list",
			in:   url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Sid":"T","Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}`),
			want: `{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Sid":"T"}],"Version":"2012-10-17"}`,
		},
		{
			name: "NotAction kept, NotResource dropped",
			in:   `{"Statement":[{"Effect":"Deny","NotAction":"iam:*","NotResource":"*"}]}`,
			want: `{"Statement":[{"Effect":"Deny","NotAction":["iam:*"]}]}`,
		},
		{name: "not JSON", in: `{"Statement":`, wantErr: true},
		{name: "statement not an object", in: `{"Statement":["x"]}`, wantErr: true},
		{name: "empty", in: ` `, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePolicy(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			b, _ := json.Marshal(got)
			if string(b) != tt.want {
				t.Errorf("got  %s\nwant %s", b, tt.want)
			}
		})
	}
}

func TestLooksLikeSecret(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"DB_PASSWORD", "x", true},
		{"GITHUB_TOKEN", "", true},
		{"STRIPE", "sk_live_51Habc", true},
		{"CREDS", "AKIAIOSFODNN7EXAMPLE", true},
		{"SIGNING", "Zx8Qp3Lm9Vt2Rk7Wn4Hs6Jd1Fg5Yb0Ce", true},
		{"LOG_LEVEL", "info", false},
		{"TABLE_NAME", "orders-production-table", false},
		{"QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/111111111111/orders", false},
	}
	for _, tt := range tests {
		if got := looksLikeSecret(tt.name, tt.value); got != tt.want {
			t.Errorf("looksLikeSecret(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"AccountMFAEnabled": "account_mfa_enabled", "MFADevicesInUse": "mfa_devices_in_use",
		"Users": "users", "AccountSigningCertificatesPresent": "account_signing_certificates_present",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	for code, want := range map[string]string{
		"AccessDenied": "denied", "UnauthorizedOperation": "denied", "OptInRequired": "not_enabled",
		"SubscriptionRequiredException": "not_enabled", "Throttling": "throttled", "RequestLimitExceeded": "throttled",
		"InternalFailure": "",
	} {
		got, _ := classifyCode(code)
		if string(got) != want {
			t.Errorf("classifyCode(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestClassifyTimeout(t *testing.T) {
	kind, msg := classify(fmt.Errorf("send request: %w", os.ErrDeadlineExceeded))
	if kind != "other" || !strings.HasPrefix(msg, "timed out") {
		t.Errorf("classify(timeout) = %q, %q; want other, timed out…", kind, msg)
	}
}
