package resource

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestResourceValidate(t *testing.T) {
	ok := Resource{UID: "arn:aws:s3:::b", Provider: AWS, Account: "1", Region: "us-east-1", Kind: "aws_s3_bucket", Properties: json.RawMessage(`{}`)}
	tests := []struct {
		name   string
		mutate func(r *Resource)
		want   string // substring of the error; "" for valid
	}{
		{"valid", func(r *Resource) {}, ""},
		{"empty uid", func(r *Resource) { r.UID = "" }, "empty uid"},
		{"unknown provider", func(r *Resource) { r.Provider = "oracle" }, "unknown provider"},
		{"empty kind", func(r *Resource) { r.Kind = "" }, "empty kind"},
		{"empty account", func(r *Resource) { r.Account = "" }, "empty account"},
		{"empty region", func(r *Resource) { r.Region = "" }, "empty region"},
		{"no properties", func(r *Resource) { r.Properties = nil }, "no properties"},
		{"properties not an object", func(r *Resource) { r.Properties = json.RawMessage(`[1]`) }, "JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.mutate(&r)
			err := r.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func validKind() Kind {
	return Kind{
		Name: "aws_s3_bucket", Provider: AWS, Service: "s3", Description: "An S3 bucket.", Model: PaaS,
		Schema: []Field{{Name: "versioning", Type: "object", Fields: []Field{{Name: "status", Type: "string"}}}},
	}
}

func TestKindValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(k *Kind)
		want   string
	}{
		{"valid", func(k *Kind) {}, ""},
		{"upper case name", func(k *Kind) { k.Name = "AWS_S3" }, "snake_case"},
		{"wrong prefix", func(k *Kind) { k.Name = "gcp_bucket" }, `start with "aws_"`},
		{"digitalocean prefix", func(k *Kind) { k.Provider, k.Name = DigitalOcean, "do_droplet" }, ""},
		{"unknown provider", func(k *Kind) { k.Provider = "x" }, "unknown provider"},
		{"no service", func(k *Kind) { k.Service = "" }, "empty service"},
		{"no description", func(k *Kind) { k.Description = "" }, "empty description"},
		{"bad model", func(k *Kind) { k.Model = "XaaS" }, "service model"},
		{"no schema", func(k *Kind) { k.Schema = nil }, "empty schema"},
		{"bad field type", func(k *Kind) { k.Schema[0].Fields[0].Type = "str" }, "aws_s3_bucket.versioning.status: unknown type"},
		{"duplicate field", func(k *Kind) { k.Schema = append(k.Schema, k.Schema[0]) }, "duplicate field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := validKind()
			k.Schema = []Field{{Name: "versioning", Type: "object", Fields: []Field{{Name: "status", Type: "string"}}}}
			tt.mutate(&k)
			err := k.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	a := validKind()
	b := validKind()
	b.Name = "aws_ec2_instance"
	r, err := NewRegistry([]Kind{a}, []Kind{b})
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != 2 {
		t.Fatalf("Len = %d", r.Len())
	}
	if all := r.All(); all[0].Name != "aws_ec2_instance" || all[1].Name != "aws_s3_bucket" {
		t.Errorf("All not sorted: %v, %v", all[0].Name, all[1].Name)
	}
	if _, ok := r.Lookup("aws_s3_bucket"); !ok {
		t.Error("Lookup missed a registered kind")
	}
	if _, ok := r.Lookup("nope"); ok {
		t.Error("Lookup found an unregistered kind")
	}
	if _, err := NewRegistry([]Kind{a, a}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate kind: %v", err)
	}
	bad := validKind()
	bad.Model = ""
	if _, err := NewRegistry([]Kind{bad}); err == nil {
		t.Error("invalid kind accepted")
	}
}
