package demo

// Plants that follow from the demo's company rules (cloudward.yaml) on
// resources the other providers' generators emit. They live here, next to
// the rules that cause them, rather than in each generator: the rule is the
// reason these resources fail. A renamed resource makes the end-to-end test
// (TestDemoScanFindsExactlyThePlants) report the plant as not found.
//
// org-customer-managed-keys covers aws_s3_bucket and aws_efs_file_system:
// every demo bucket uses its account's customer KMS key except the one in
// ap-southeast-1 (SSE-S3: no key exists in that region), and the
// development file system is not encrypted at all.
//
// org-no-public-exposure covers aws_s3_bucket, aws_lambda_function,
// do_spaces_bucket and do_database_cluster. The public marketing site
// bucket and the webhook function are intended to be public and are
// exempt in cloudward.yaml (org.exceptions); the DigitalOcean plants are in
// digitalocean.go.
func (e *estate) orgRulePlants() {
	for _, p := range []struct{ uid, why string }{
		{"arn:aws:s3:::acme-dev-apac-experiments", "encrypted with SSE-S3 (AES256): no customer-managed KMS key in ap-southeast-1"},
		{"arn:aws:elasticfilesystem:eu-central-1:333333333333:file-system/fs-0a33000000000e1f2", "not encrypted at all, so not with a customer-managed key"},
	} {
		e.plant(p.uid, "org-customer-managed-keys", p.why)
	}
}
