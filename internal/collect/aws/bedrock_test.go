package aws_test

import (
	"regexp"
	"testing"

	"cloudward/internal/collect/aws/awstest"
)

// TestBedrockCollect covers every Bedrock kind: paging of the agent
// listing, the invocation logging configuration (on in us-east-1 of the
// management account), guardrails, knowledge bases with their S3 data
// sources, and the edges from each to data, keys, roles and guardrails.
func TestBedrockCollect(t *testing.T) {
	s := collectAI(t, awstest.Options{ThrottleFirst: map[string]int{"bedrock:ListAgents": 1}}, nil)
	if len(s.errors) != 0 {
		t.Fatalf("collection errors: %v", s.errors)
	}
	got := aiResources(s)
	const p = "arn:aws:bedrock:us-east-1:111111111111:"
	custom := p + "custom-model/amazon.titan-text-express-v1:0:8k/support-tuned"
	job := p + "model-customization-job/amazon.titan-text-express-v1:0:8k/abc123def456"
	kinds := map[string]string{
		p + "model-invocation-logging":      "aws_bedrock_model_invocation_logging",
		custom:                              "aws_bedrock_custom_model",
		job:                                 "aws_bedrock_model_customization_job",
		p + "provisioned-model/pt0support1": "aws_bedrock_provisioned_model_throughput",
		p + "guardrail/gr0support":          "aws_bedrock_guardrail",
		p + "knowledge-base/KB0SUPPORT":     "aws_bedrock_knowledge_base",
		p + "agent/AG0SUPPORT":              "aws_bedrock_agent",
		p + "agent/AG0TRIAGE":               "aws_bedrock_agent", // second page
	}
	for uid, kind := range kinds {
		if r, ok := got[uid]; !ok || r.Kind != kind {
			t.Errorf("missing %s %s", kind, uid)
		}
	}
	lg := props(t, got[p+"model-invocation-logging"])
	if lg["logging_enabled"] != true || lg["s3_config"].(map[string]any)["bucket_name"] != "acme-bedrock-logs" {
		t.Errorf("invocation logging: %v", lg)
	}
	kb := props(t, got[p+"knowledge-base/KB0SUPPORT"])
	ds := kb["data_sources"].([]any)
	if len(ds) != 1 || ds[0].(map[string]any)["s3_configuration"].(map[string]any)["bucket_arn"] != "arn:aws:s3:::acme-support-docs" {
		t.Errorf("knowledge base data sources: %v", ds)
	}
	support := props(t, got[p+"agent/AG0SUPPORT"])
	if support["guardrail_configuration"] == nil || len(support["knowledge_bases"].([]any)) != 1 {
		t.Errorf("support agent: %v", support)
	}
	if got[p+"agent/AG0SUPPORT"].Tags["owner"] != "support-team" || got[p+"guardrail/gr0support"].Tags["owner"] != "security-team" {
		t.Error("tags of the agent (map) or the guardrail (list) not read")
	}
	triage := props(t, got[p+"agent/AG0TRIAGE"])
	if _, ok := triage["guardrail_configuration"]; ok {
		t.Errorf("triage agent has no guardrail: %v", triage)
	}
	// The agent's instructions (its system prompt) are never stored.
	if regexp.MustCompile(`escalation code|Triage IT tickets`).Match(got[p+"agent/AG0SUPPORT"].Properties) ||
		regexp.MustCompile(`Triage IT tickets`).Match(got[p+"agent/AG0TRIAGE"].Properties) {
		t.Error("agent instructions leaked into the document")
	}
	for _, e := range []struct{ from, to, typ string }{
		{p + "knowledge-base/KB0SUPPORT", "arn:aws:s3:::acme-support-docs", "reads_data"},
		{p + "knowledge-base/KB0SUPPORT", "arn:aws:iam::111111111111:role/bedrock-kb-support", "execution_role"},
		{p + "agent/AG0SUPPORT", p + "knowledge-base/KB0SUPPORT", "uses_knowledge_base"},
		{p + "agent/AG0SUPPORT", p + "guardrail/gr0support", "uses_guardrail"},
		{p + "agent/AG0SUPPORT", "arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666", "encrypted_with"},
		{custom, "arn:aws:s3:::acme-support-transcripts", "reads_data"},
		{custom, job, "created_by"},
		{job, "arn:aws:iam::111111111111:role/bedrock-customization", "execution_role"},
		{p + "provisioned-model/pt0support1", custom, "serves_model"},
		{p + "model-invocation-logging", "arn:aws:s3:::acme-bedrock-logs", "writes_data"},
	} {
		if !hasEdge(s, e.from, e.to, e.typ) {
			t.Errorf("missing edge %s -%s-> %s", e.from, e.typ, e.to)
		}
	}
}
