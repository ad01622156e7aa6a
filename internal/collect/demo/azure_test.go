package demo

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"cloudward/internal/collect"
	"cloudward/internal/collect/azure"
	"cloudward/internal/resource"
)

// azSink records what a generator emits.
type azSink struct {
	mu    sync.Mutex
	res   []resource.Resource
	edges []resource.Edge
	errs  []collect.Error
}

func (s *azSink) Resource(_ context.Context, r resource.Resource) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.res = append(s.res, r)
	return nil
}

func (s *azSink) Edge(_ context.Context, e resource.Edge) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edges = append(s.edges, e)
	return nil
}

func (s *azSink) Error(_ context.Context, e collect.Error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, e)
	return nil
}

// azEstate runs only the Azure part of the generator: the base estate and n
// filler calls.
func azEstate(t *testing.T, n int) (*azSink, []Plant) {
	t.Helper()
	s := &azSink{}
	e := &estate{ctx: context.Background(), sink: s, now: Epoch}
	e.azureBase()
	for i := range n {
		before := e.count
		e.azureFill(i)
		if got := e.count - before; got != 1 {
			t.Fatalf("azureFill(%d) emitted %d resources, want exactly 1", i, got)
		}
	}
	if e.err != nil {
		t.Fatal(e.err)
	}
	sortPlants(e.plants)
	return s, e.plants
}

func TestAzureEstateShape(t *testing.T) {
	s, plants := azEstate(t, 4000)
	reg, err := resource.NewRegistry(azure.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"eastus": true, "westeurope": true}
	plantedFor := map[string]bool{}
	for _, p := range plants {
		plantedFor[p.UID+" "+p.CheckID] = true
	}
	uids := map[string]bool{}
	for _, r := range s.res {
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
		if r.Provider != resource.Azure {
			t.Errorf("%s: provider %q", r.UID, r.Provider)
		}
		if uids[r.UID] {
			t.Errorf("duplicate uid %s", r.UID)
		}
		uids[r.UID] = true
		switch {
		case r.Kind == "azure_entra_tenant":
			if r.UID != "/tenants/"+r.Account {
				t.Errorf("%s: tenant uid is not /tenants/ACCOUNT", r.UID)
			}
		case !strings.HasPrefix(r.UID, "/subscriptions/"+r.Account):
			t.Errorf("%s: uid is not an ARM ID in subscription %s", r.UID, r.Account)
		}
		k, ok := reg.Lookup(r.Kind)
		if !ok {
			t.Errorf("%s: unregistered kind %s", r.UID, r.Kind)
			continue
		}
		if k.Global != (r.Region == resource.GlobalRegion) {
			t.Errorf("%s: region %q does not match kind %s (global=%v)", r.UID, r.Region, k.Name, k.Global)
		}
		if k.Taggable && (r.Tags["owner"] == "" || r.Tags["environment"] == "") && !plantedFor[r.UID+" org-required-tags"] {
			t.Errorf("%s: missing required tags without a plant", r.UID)
		}
		if k.Taggable && !k.Global && !allowed[r.Region] && !plantedFor[r.UID+" org-allowed-regions"] {
			t.Errorf("%s: region %s not allowed and not planted", r.UID, r.Region)
		}
		var props map[string]any
		if err := json.Unmarshal(r.Properties, &props); err != nil {
			t.Errorf("%s: properties: %v", r.UID, err)
		}
		limit := 3000
		if r.Kind == "azure_subscription" {
			limit = 6000 // Defender plans, contacts, exports, role and policy assignments
		}
		if n := len(r.Properties); n > limit {
			t.Errorf("%s: properties are %d bytes, keep them realistic but small", r.UID, n)
		}
	}
	for _, p := range plants {
		if !uids[p.UID] {
			t.Errorf("plant %s on unknown resource %s", p.CheckID, p.UID)
		}
		if p.Why == "" {
			t.Errorf("plant %s %s has no reason", p.UID, p.CheckID)
		}
	}
	for _, ed := range s.edges {
		if !uids[ed.From] {
			t.Errorf("edge %s from unknown %s", ed.Type, ed.From)
		}
	}
	if len(s.errs) == 0 {
		t.Error("no collection errors in the Azure estate")
	}
	filled := 0
	for _, p := range plants {
		if strings.Contains(p.UID, "fill") {
			filled++
		}
	}
	if rate := float64(filled) / 4000; rate < 0.01 || rate > 0.02 {
		t.Errorf("filler plant rate %.3f, want 1-2%%", rate)
	}
}

func TestAzureEstateDeterministic(t *testing.T) {
	a, pa := azEstate(t, 500)
	b, pb := azEstate(t, 500)
	if len(a.res) != len(b.res) || len(pa) != len(pb) {
		t.Fatalf("sizes differ: %d/%d resources, %d/%d plants", len(a.res), len(b.res), len(pa), len(pb))
	}
	for i := range a.res {
		if a.res[i].UID != b.res[i].UID || string(a.res[i].Properties) != string(b.res[i].Properties) {
			t.Fatalf("resource %d differs: %s vs %s", i, a.res[i].UID, b.res[i].UID)
		}
	}
	for i := range pa {
		if pa[i] != pb[i] {
			t.Fatalf("plant %d differs: %+v vs %+v", i, pa[i], pb[i])
		}
	}
}

func BenchmarkAzureFill(b *testing.B) {
	e := &estate{ctx: context.Background(), sink: discardSinkAz{}, now: Epoch}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e.azureFill(i)
	}
}

type discardSinkAz struct{}

func (discardSinkAz) Resource(context.Context, resource.Resource) error { return nil }
func (discardSinkAz) Edge(context.Context, resource.Edge) error         { return nil }
func (discardSinkAz) Error(context.Context, collect.Error) error        { return nil }

// TestAzureEstateMatchesSchema checks the contract between the demo and the
// kind schemas: every property the demo emits is documented, with its type.
func TestAzureEstateMatchesSchema(t *testing.T) {
	s, _ := azEstate(t, 800)
	reg, err := resource.NewRegistry(azure.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	reported := map[string]bool{}
	var walk func(path string, v any, fs []resource.Field)
	walk = func(path string, v any, fs []resource.Field) {
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		for key, val := range obj {
			p := path + "." + key
			var f *resource.Field
			for i := range fs {
				if fs[i].Name == key {
					f = &fs[i]
				}
			}
			if f != nil && f.Type == "any" {
				continue // documented as free-form
			}
			if f == nil {
				if !reported[p] {
					reported[p] = true
					t.Errorf("%s: emitted but not in the schema", p)
				}
				continue
			}
			switch x := val.(type) {
			case map[string]any:
				if f.Type != "object" && !reported[p] {
					reported[p] = true
					t.Errorf("%s: emitted an object, schema says %s", p, f.Type)
				}
				walk(p, x, f.Fields)
			case []any:
				if f.Type != "array" && !reported[p] {
					reported[p] = true
					t.Errorf("%s: emitted an array, schema says %s", p, f.Type)
				}
				for _, el := range x {
					walk(p+"[]", el, f.Fields)
				}
			}
		}
	}
	for _, r := range s.res {
		k, _ := reg.Lookup(r.Kind)
		var props any
		if err := json.Unmarshal(r.Properties, &props); err != nil {
			t.Fatal(err)
		}
		walk(r.Kind, props, k.Schema)
	}
}
