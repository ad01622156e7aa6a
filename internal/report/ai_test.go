package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudward/internal/finding"
)

// fixtureAI is an AI inventory across three clouds, given out of order so
// that Sort is exercised, with a name that tries to inject markup.
func fixtureAI() *AIInventory {
	inv := &AIInventory{Resources: []AIResource{
		{UID: "arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scorer", Name: "fraud-scorer", Kind: "aws_sagemaker_endpoint",
			Provider: "aws", Account: "111122223333", Region: "us-east-1",
			Links: []AILink{
				{Class: LinkAI, UID: "arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/fraud-v3", Name: "fraud-v3", Kind: "aws_sagemaker_endpoint_config", Edge: "uses_config"},
				{Class: LinkData, UID: "arn:aws:s3:::ml-capture", Name: "ml-capture", Kind: "aws_s3_bucket", Edge: "writes_data"},
				{Class: LinkData, UID: "arn:aws:s3:::ml-capture", Name: "ml-capture", Kind: "aws_s3_bucket", Edge: "reads_data"},
			}},
		{UID: "arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB1", Name: "website-faq", Kind: "aws_bedrock_knowledge_base",
			Provider: "aws", Account: "111122223333", Region: "us-east-1",
			Links: []AILink{
				{Class: LinkIdentity, UID: "arn:aws:iam::111122223333:role/kb", Name: "kb", Kind: "aws_iam_role", Edge: "execution_role"},
				{Class: LinkData, UID: "arn:aws:s3:::marketing-site", Name: "marketing-site", Kind: "aws_s3_bucket", Edge: "reads_data"},
				{Class: LinkData, UID: "arn:aws:s3:::other-account-bucket", Edge: "reads_data"},
				{Class: LinkKey, UID: "arn:aws:kms:us-east-1:111122223333:key/k1", Edge: "encrypted_with"},
			},
			Failing: []AIFinding{{CheckID: "aws-bedrock-knowledge-base-source-bucket-private", Title: "Bedrock knowledge bases do not read from public S3 buckets", Severity: finding.High}}},
		{UID: "//aiplatform.googleapis.com/projects/shop-ml/locations/europe-west4/notebookRuntimes/nb-<b>evil</b>|x", Name: "nb-<b>evil</b>|x",
			Kind: "gcp_workbench_instance", Provider: "gcp", Account: "shop-ml", Region: "europe-west4",
			Links: []AILink{{Class: LinkNetwork, UID: "//compute.googleapis.com/projects/shop-ml/global/networks/default", Name: "default", Kind: "gcp_compute_network", Edge: "in_network"}},
			Failing: []AIFinding{
				{CheckID: "gcp-workbench-instance-cmek", Title: "Workbench disks use a customer-managed key", Severity: finding.Medium},
				{CheckID: "gcp-workbench-instance-no-public-ip", Title: "Workbench has no public IP", Severity: finding.High},
			}},
		{UID: "/subscriptions/0f6c/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/oai-shop", Name: "oai-shop",
			Kind: "azure_cognitive_services_account", Provider: "azure", Account: "0f6c-sub", Region: "westeurope",
			Links:   []AILink{{Class: LinkData, UID: "/subscriptions/0f6c/resourceGroups/ai/providers/Microsoft.Storage/storageAccounts/stshopai", Name: "stshopai", Kind: "azure_storage_account", Edge: "reads_data"}},
			Failing: []AIFinding{{CheckID: "azure-cognitiveservices-local-auth-disabled", Title: "Azure OpenAI account does not accept API keys", Severity: finding.Medium}}},
	}}
	inv.Sort()
	return inv
}

func aiSummary() *Summary {
	s := fixtureSummary(nil)
	s.SetAIInventory(fixtureAI())
	return s
}

// TestAIGolden renders the AI inventory section in every format that shows
// it; the rest of each report is covered by TestGolden.
func TestAIGolden(t *testing.T) {
	tests := []struct {
		name, file string
		render     func(w *bytes.Buffer) error
	}{
		{"text", "ai_text.txt.golden", func(w *bytes.Buffer) error {
			return WriteText(w, aiSummary(), seq(fixtureFindings, FormatTable.Statuses()...), DefaultTextOptions())
		}},
		{"text_capped", "ai_text_capped.txt.golden", func(w *bytes.Buffer) error {
			return WriteText(w, aiSummary(), seq(fixtureFindings, FormatTable.Statuses()...), TextOptions{MaxRows: 2})
		}},
		{"text_empty", "ai_text_empty.txt.golden", func(w *bytes.Buffer) error {
			s := NewSummary(Meta{Scope: "aws"}, nil, nil)
			s.SetAIInventory(&AIInventory{})
			return WriteText(w, s, seq(nil), DefaultTextOptions())
		}},
		{"markdown", "ai_markdown.md.golden", func(w *bytes.Buffer) error {
			return WriteMarkdown(w, aiSummary(), seq(fixtureFindings, FormatMarkdown.Statuses()...), MarkdownOptions{})
		}},
		{"json", "ai_json.json.golden", func(w *bytes.Buffer) error {
			return WriteJSON(w, aiSummary(), seq(fixtureFindings))
		}},
		{"html", "ai_html.html.golden", func(w *bytes.Buffer) error {
			return WriteHTML(w, aiSummary(), seq(fixtureFindings), HTMLOptions{})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, again bytes.Buffer
			if err := tt.render(&got); err != nil {
				t.Fatal(err)
			}
			if err := tt.render(&again); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), again.Bytes()) {
				t.Fatal("output differs between two runs")
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/report -update)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s (run go test ./internal/report -update and review the diff)", path)
			}
		})
	}
}

// TestAIInventorySections checks the properties the goldens rely on: the
// order (most at risk first), the escaping of names taken from the cloud,
// and the JSON shape.
func TestAIInventorySections(t *testing.T) {
	inv := fixtureAI()
	var order []string
	for _, r := range inv.Resources {
		order = append(order, r.Name)
	}
	if got, want := strings.Join(order, ","), "nb-<b>evil</b>|x,website-faq,oai-shop,fraud-scorer"; got != want {
		t.Errorf("order: got %s, want %s", got, want)
	}
	if f := inv.Resources[0].Failing; f[0].Severity != finding.High {
		t.Errorf("findings not sorted most severe first: %v", f)
	}
	if l := inv.Resources[1].Links; l[0].Class != LinkData || l[len(l)-1].Class != LinkKey {
		t.Errorf("links not sorted by class: %v", l)
	}
	st := inv.Stats()
	if st.Resources != 4 || st.ReachingData != 3 || st.WithFailing != 3 || len(st.ByProvider) != 3 {
		t.Errorf("stats: %+v", st)
	}

	var md, html, js bytes.Buffer
	if err := WriteMarkdown(&md, aiSummary(), seq(nil), MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "ml-capture, ml-capture") {
		t.Error("markdown: a bucket both read and written is named twice")
	}
	if strings.Contains(md.String(), "<b>") || strings.Contains(md.String(), "evil</b>|x") {
		t.Error("markdown: a resource name injected markup")
	}
	if err := WriteHTML(&html, aiSummary(), seq(nil), HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html.String(), "<b>evil") || !strings.Contains(html.String(), `id="sec-ai"`) {
		t.Error("html: section missing or a resource name injected markup")
	}
	if err := WriteJSON(&js, aiSummary(), seq(nil)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		AI struct {
			Resources  int `json:"resources"`
			ByProvider []ProviderCount
			Items      []AIResource `json:"items"`
		} `json:"ai_inventory"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AI.Resources != 4 || len(doc.AI.Items) != 4 || doc.AI.Items[1].Links[0].UID != "arn:aws:s3:::marketing-site" {
		t.Errorf("json ai_inventory: %+v", doc.AI)
	}

	// Without an inventory, no format shows the section.
	for _, f := range []Format{FormatTable, FormatMarkdown, FormatJSON, FormatHTML} {
		var b bytes.Buffer
		if err := Write(&b, f, fixtureSummary(nil), seq(fixtureFindings, f.Statuses()...), DefaultTextOptions()); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "AI inventory") || strings.Contains(b.String(), "ai_inventory") {
			t.Errorf("%s: AI inventory shown without being attached", f)
		}
	}
}
