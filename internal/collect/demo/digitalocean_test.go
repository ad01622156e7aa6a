package demo

import (
	"context"
	"encoding/json"
	"testing"

	"cloudward/internal/collect/digitalocean"
	"cloudward/internal/resource"
)

// TestDigitalOceanEstateMatchesCollector checks the contract between the
// demo and the real collector: every DigitalOcean document the demo emits
// passes the same schema conformance the collector's output is held to,
// and every kind the collector produces appears in the demo.
func TestDigitalOceanEstateMatchesCollector(t *testing.T) {
	s := &azSink{}
	e := &estate{ctx: context.Background(), sink: s, now: Epoch}
	e.doBase()
	for i := range 300 {
		e.doFill(i)
	}
	if e.err != nil {
		t.Fatal(e.err)
	}
	reg, err := resource.NewRegistry(digitalocean.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range s.res {
		k, ok := reg.Lookup(r.Kind)
		if !ok {
			t.Errorf("%s: kind %s is not a DigitalOcean kind", r.UID, r.Kind)
			continue
		}
		seen[r.Kind] = true
		if k.Global != (r.Region == resource.GlobalRegion) {
			t.Errorf("%s: region %q, kind global=%v", r.UID, r.Region, k.Global)
		}
		var props any
		if err := json.Unmarshal(r.Properties, &props); err != nil {
			t.Fatal(err)
		}
		for _, v := range digitalocean.SchemaViolations(r.Kind, props, k.Schema) {
			t.Errorf("%s: %s", r.UID, v)
		}
	}
	for _, k := range digitalocean.Kinds() {
		if !seen[k.Name] && k.Name != "do_functions_namespace" {
			t.Errorf("the demo produces no %s", k.Name)
		}
	}
}
