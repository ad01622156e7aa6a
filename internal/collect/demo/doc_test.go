package demo_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"cloudward/internal/collect/demo"
	"cloudward/internal/resource"
)

var update = flag.Bool("update", false, "rewrite docs/demo.md from the generator")

type tally struct {
	kinds     map[string]int
	providers map[resource.Provider]int
	errors    []resource.CollectionError
	names     map[string]string
}

func (t *tally) Resource(_ context.Context, r resource.Resource) error {
	t.kinds[r.Kind]++
	t.providers[r.Provider]++
	t.names[r.UID] = r.Kind + " `" + r.Name + "` (" + r.Account + ", " + r.Region + ")"
	return nil
}
func (t *tally) Edge(context.Context, resource.Edge) error { return nil }
func (t *tally) Error(_ context.Context, e resource.CollectionError) error {
	t.errors = append(t.errors, e)
	return nil
}

// TestDemoDoc keeps docs/demo.md, the documented list of planted
// misconfigurations, in step with the generator. Rewrite it with -update.
func TestDemoDoc(t *testing.T) {
	g := demo.New(demo.Options{Seed: 1})
	tl := &tally{kinds: map[string]int{}, providers: map[resource.Provider]int{}, names: map[string]string{}}
	if err := g.Collect(context.Background(), tl); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("# The demo estate\n\n")
	b.WriteString("`cloudward scan --demo` scans a deterministic, generated multi-cloud estate: no cloud account needed.\n")
	b.WriteString("Its resources are shaped exactly like the real collectors' output, so the same checks run on both.\n")
	b.WriteString("It comes with company rules (`internal/collect/demo/cloudward.yaml`: required tags `owner` and `environment`, allowed regions per cloud, no public storage or databases of the listed kinds, customer-managed keys for S3 and EFS, with two reviewed exceptions).\n")
	b.WriteString("`--demo-size N` grows it to N resources with more clean resources and about 1–2% planted ones; `--demo-seed` changes it.\n\n")
	b.WriteString("This file is generated from the generator by `go test ./internal/collect/demo -run TestDemoDoc -update`;\n")
	b.WriteString("the end-to-end test (`internal/cli`, `TestDemoScanFindsExactlyThePlants`) asserts that a scan fails exactly these, and nothing else.\n\n")
	fmt.Fprintf(&b, "## Base estate: %d resources, %d kinds\n\n", len(tl.names), len(tl.kinds))
	b.WriteString("| Provider | Resources |\n|---|---|\n")
	for _, p := range resource.Providers {
		fmt.Fprintf(&b, "| %s | %d |\n", p, tl.providers[p])
	}
	fmt.Fprintf(&b, "\n## Planted misconfigurations (%d)\n\n", len(g.Planted()))
	b.WriteString("| Resource | Check | Why |\n|---|---|---|\n")
	for _, p := range g.Planted() {
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", tl.names[p.UID], p.CheckID, p.Why)
	}
	fmt.Fprintf(&b, "\n## Collection errors (%d)\n\nThe demo also reports scopes a real scan could not read, as real collectors do:\n\n", len(tl.errors))
	b.WriteString("| Provider | Account | Region | Operation | Kind | Message |\n|---|---|---|---|---|---|\n")
	for _, e := range tl.errors {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", e.Provider, e.Account, e.Region, e.Op, e.Kind, e.Message)
	}
	path := filepath.Join("..", "..", "..", "docs", "demo.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("docs/demo.md is out of date with the generator; run go test ./internal/collect/demo -run TestDemoDoc -update")
	}
}
