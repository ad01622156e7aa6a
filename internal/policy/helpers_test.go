package policy

import (
	"os"
	"testing"

	"cloudward/internal/resource"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func field(name, typ string) resource.Field { return resource.Field{Name: name, Type: typ} }

// testKinds are the kinds the unit tests' checks use.
func testKinds() []resource.Kind {
	schema := []resource.Field{field("a", "boolean")}
	return []resource.Kind{
		{Name: "aws_s3_bucket", Provider: resource.AWS, Service: "s3", Description: "bucket", Model: resource.PaaS, Taggable: true, Schema: schema},
		{Name: "aws_cloudtrail_trail", Provider: resource.AWS, Service: "cloudtrail", Description: "trail", Model: resource.SaaS, Taggable: true, Schema: schema},
		{Name: "aws_kms_key", Provider: resource.AWS, Service: "kms", Description: "key", Model: resource.SaaS, Taggable: true, Schema: schema},
		{Name: "aws_iam_user", Provider: resource.AWS, Service: "iam", Description: "user", Model: resource.SaaS, Global: true, Taggable: true, Schema: schema},
		{Name: "aws_account", Provider: resource.AWS, Service: "account", Description: "account", Model: resource.SaaS, Global: true, Schema: schema},
		{Name: "gcp_storage_bucket", Provider: resource.GCP, Service: "storage", Description: "bucket", Model: resource.PaaS, Taggable: true, Schema: schema},
		{Name: "do_droplet", Provider: resource.DigitalOcean, Service: "droplets", Description: "droplet", Model: resource.IaaS, Taggable: true, Schema: schema},
	}
}

func testEnv(t testing.TB) *Env {
	t.Helper()
	reg, err := resource.NewRegistry(testKinds())
	if err != nil {
		t.Fatal(err)
	}
	env, err := NewEnv(reg)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func testChecks(t testing.TB) []*Check {
	t.Helper()
	cs, err := testEnv(t).LoadChecks(Source{FS: os.DirFS("testdata/checks"), Root: ".", Name: "testdata/checks"})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
