package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/collect/demo"
	"cloudward/internal/report"
	"cloudward/internal/resource"
)

// demoAI is the demo estate's AI resources and the plants on them.
type demoAI struct {
	resources map[string]resource.Resource
	plants    map[string][]string // uid → check IDs
}

type aiSink struct {
	reg *resource.Registry
	out map[string]resource.Resource
}

func (s *aiSink) Resource(_ context.Context, r resource.Resource) error {
	if k, ok := s.reg.Lookup(r.Kind); ok && k.AI {
		s.out[r.UID] = r
	}
	return nil
}
func (s *aiSink) Edge(context.Context, resource.Edge) error             { return nil }
func (s *aiSink) Error(context.Context, resource.CollectionError) error { return nil }

func loadDemoAI(t *testing.T) demoAI {
	t.Helper()
	reg, err := resource.NewRegistry(demo.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	g := demo.New(demo.Options{Seed: 1})
	s := &aiSink{reg: reg, out: map[string]resource.Resource{}}
	if err := g.Collect(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	d := demoAI{resources: s.out, plants: map[string][]string{}}
	for _, p := range g.Planted() {
		if _, ok := s.out[p.UID]; ok {
			d.plants[p.UID] = append(d.plants[p.UID], p.CheckID)
		}
	}
	return d
}

// TestAISecurityDemoScan is the end-to-end test of issue 12: `scan --demo
// --framework ai-security` scores the baseline and shows the AI inventory
// across the three clouds, with every AI resource, what it reaches and
// exactly its planted failures.
func TestAISecurityDemoScan(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "ai.json")
	code, stdout, stderr := run(t, "scan", "--demo", "--db", filepath.Join(dir, "cw.db"), "--framework", "ai-security",
		"--output", "table,json="+out, "--max-rows", "0")
	if code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	for _, want := range []string{"cloudward AI Security Baseline", "AI-NET-1", "AI inventory", "ds-sandbox", "website-faq"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table output lacks %q", want)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		AI struct {
			Resources  int                    `json:"resources"`
			ByProvider []report.ProviderCount `json:"by_provider"`
			Items      []report.AIResource    `json:"items"`
		} `json:"ai_inventory"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	want := loadDemoAI(t)
	if rep.AI.Resources != len(want.resources) || len(rep.AI.Items) != len(want.resources) {
		t.Fatalf("inventory has %d resources (%d items), the demo has %d AI resources", rep.AI.Resources, len(rep.AI.Items), len(want.resources))
	}
	providers := map[string]bool{}
	for _, p := range rep.AI.ByProvider {
		providers[p.Provider] = p.Count > 0
	}
	for _, p := range []string{"aws", "gcp", "azure"} {
		if !providers[p] {
			t.Errorf("no %s AI resource in the inventory (%v)", p, rep.AI.ByProvider)
		}
	}
	items := map[string]report.AIResource{}
	for _, it := range rep.AI.Items {
		if _, ok := want.resources[it.UID]; !ok {
			t.Errorf("inventory lists %s, which is not an AI resource of the demo", it.UID)
		}
		items[it.UID] = it
		var failing []string
		for _, f := range it.Failing {
			failing = append(failing, f.CheckID)
		}
		slices.Sort(failing)
		planted := slices.Clone(want.plants[it.UID])
		slices.Sort(planted)
		planted = slices.Compact(planted)
		if !slices.Equal(failing, planted) {
			t.Errorf("%s: failing %v, planted %v", it.UID, failing, planted)
		}
	}
	link := func(uid, class, to string) {
		t.Helper()
		for _, l := range items[uid].Links {
			if l.Class == class && l.UID == to {
				return
			}
		}
		t.Errorf("%s: no %s link to %s (links: %v)", uid, class, to, items[uid].Links)
	}
	const prod, dev = "arn:aws:bedrock:us-east-1:222222222222:", "arn:aws:sagemaker:us-east-1:333333333333:"
	link(prod+"knowledge-base/KB0WEBFAQ00A", report.LinkData, "arn:aws:s3:::acme-prod-marketing-site")
	link(prod+"knowledge-base/KB0WEBFAQ00A", report.LinkIdentity, "arn:aws:iam::222222222222:role/acme-bedrock-kb")
	link(prod+"knowledge-base/KB0WEBFAQ00A", report.LinkKey, "arn:aws:kms:us-east-1:222222222222:key/0c000010-7a1e-4c3d-8e4f-000000000010")
	link(prod+"agent/AG0SUPPORT0A", report.LinkAI, prod+"knowledge-base/KB0SUPPORT0A")
	link(dev+"notebook-instance/ds-sandbox", report.LinkIdentity, "arn:aws:iam::333333333333:role/acme-ds-notebook")
	link(dev+"training-job/churn-poc-train", report.LinkData, "arn:aws:s3:::acme-dev-ml-experiments")
	// The linked bucket was collected: the inventory names it.
	for _, l := range items[prod+"knowledge-base/KB0WEBFAQ00A"].Links {
		if l.Class == report.LinkData && (l.Kind != "aws_s3_bucket" || l.Name != "acme-prod-marketing-site") {
			t.Errorf("data link not resolved to the collected bucket: %+v", l)
		}
	}
	// Most at risk first.
	if len(rep.AI.Items[0].Failing) == 0 || len(rep.AI.Items[len(rep.AI.Items)-1].Failing) > 0 {
		t.Error("inventory is not ordered most at risk first")
	}
}

// TestAIInventoryFlag: --ai-inventory adds the section to any scan; without
// it (and without --framework ai-security) reports do not carry it.
func TestAIInventoryFlag(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cw.db")
	code, stdout, stderr := run(t, "scan", "--demo", "--db", db, "--output", "markdown", "--ai-inventory")
	if code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "### AI inventory") || !strings.Contains(stdout, "acme-prod-marketing-site") {
		t.Error("markdown lacks the AI inventory")
	}
	code, stdout, stderr = run(t, "scan", "--demo", "--db", db, "--output", "markdown")
	if code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout, "AI inventory") {
		t.Error("AI inventory shown without being asked for")
	}
}

// TestAISecurityFrameworkMapsEveryAICheck keeps the baseline complete:
// every built-in check of an AI kind (Kind.AI) of any cloud is mapped to a
// requirement of frameworks/ai-security.yaml, and the framework maps only
// checks of AI kinds.
func TestAISecurityFrameworkMapsEveryAICheck(t *testing.T) {
	cat, err := loadCatalog(catalogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fw := findFramework(cat.frameworks, aiFramework)
	if fw == nil {
		t.Fatal("no ai-security framework")
	}
	mapped := map[string]bool{}
	for _, r := range fw.Requirements {
		for _, id := range r.Checks {
			mapped[id] = true
		}
	}
	isAI := func(kinds []string) bool {
		for _, k := range kinds {
			if kd, ok := cat.registry.Lookup(k); ok && kd.AI {
				return true
			}
		}
		return false
	}
	var aiChecks int
	for _, c := range cat.checks {
		if !isAI(c.Kinds) {
			if mapped[c.ID] {
				t.Errorf("ai-security maps %s, which checks no AI kind (%v)", c.ID, c.Kinds)
			}
			continue
		}
		aiChecks++
		if !mapped[c.ID] {
			t.Errorf("AI check %s (%s) is not mapped in frameworks/ai-security.yaml", c.ID, c.Provider)
		}
	}
	if aiChecks < 20 {
		t.Errorf("only %d AI checks", aiChecks)
	}
}
