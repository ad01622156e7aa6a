package aws_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"cloudward/internal/collect"
	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/demo"
	"cloudward/internal/resource"
)

func TestKindsRegister(t *testing.T) {
	reg, err := resource.NewRegistry(aws.Kinds())
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	if reg.Len() < 16 {
		t.Errorf("got %d kinds, want at least 16", reg.Len())
	}
	for _, k := range reg.All() {
		if k.Provider != resource.AWS {
			t.Errorf("%s: provider %q, want aws", k.Name, k.Provider)
		}
		if len(k.Schema) == 0 {
			t.Errorf("%s: empty schema", k.Name)
		}
		if len(k.Permissions) == 0 {
			t.Errorf("%s: no permissions listed", k.Name)
		}
		for _, p := range k.Permissions {
			svc, op, ok := strings.Cut(p, ":")
			if !ok || svc == "" || op == "" {
				t.Errorf("%s: permission %q is not service:Operation", k.Name, p)
			}
			if !readOnly(op) {
				t.Errorf("%s: permission %q is not a read-only operation", k.Name, p)
			}
		}
		for _, f := range k.Schema {
			checkDocumented(t, k.Name+"."+f.Name, f)
		}
	}
}

func readOnly(op string) bool {
	if op == "GET" { // API Gateway authorizes reads as apigateway:GET
		return true
	}
	for _, prefix := range []string{"List", "Get", "Describe", "Generate"} {
		if strings.HasPrefix(op, prefix) {
			return true
		}
	}
	return false
}

func checkDocumented(t *testing.T, path string, f resource.Field) {
	t.Helper()
	if f.Description == "" {
		t.Errorf("%s: no description", path)
	}
	for _, c := range f.Fields {
		checkDocumented(t, path+"."+c.Name, c)
	}
}

// sink records what the demo generator emits.
type sink struct {
	mu        sync.Mutex
	resources []resource.Resource
	edges     []resource.Edge
	errors    []collect.Error
}

func (s *sink) Resource(_ context.Context, r resource.Resource) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resources = append(s.resources, r)
	return nil
}

func (s *sink) Edge(_ context.Context, e resource.Edge) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edges = append(s.edges, e)
	return nil
}

func (s *sink) Error(_ context.Context, e collect.Error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errors = append(s.errors, e)
	return nil
}

// TestDemoMatchesSchema checks the contract between the schemas and the demo
// estate: every AWS resource the demo emits has a registered kind, is valid,
// has a unique UID, and every property it carries is documented.
func TestDemoMatchesSchema(t *testing.T) {
	reg, err := resource.NewRegistry(aws.Kinds())
	if err != nil {
		t.Fatal(err)
	}
	gen := demo.New(demo.Options{Seed: 1, Size: 5000})
	var s sink
	if err := gen.Collect(context.Background(), &s); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	uids := map[string]bool{}
	seenKinds := map[string]int{}
	for _, r := range s.resources {
		if r.Provider != resource.AWS {
			continue
		}
		if err := r.Validate(); err != nil {
			t.Errorf("invalid resource: %v", err)
			continue
		}
		if uids[r.UID] {
			t.Errorf("duplicate uid %s", r.UID)
		}
		uids[r.UID] = true
		k, ok := reg.Lookup(r.Kind)
		if !ok {
			t.Errorf("%s: unregistered kind %s", r.UID, r.Kind)
			continue
		}
		seenKinds[r.Kind]++
		if k.Global != (r.Region == resource.GlobalRegion) {
			t.Errorf("%s: region %q does not match Global=%v of %s", r.UID, r.Region, k.Global, k.Name)
		}
		if !strings.HasPrefix(r.UID, "arn:aws:") {
			t.Errorf("%s: uid is not an ARN", r.UID)
		}
		var doc map[string]any
		if err := json.Unmarshal(r.Properties, &doc); err != nil {
			t.Errorf("%s: properties: %v", r.UID, err)
			continue
		}
		if n := len(r.Properties); n > 4096 {
			t.Errorf("%s: properties are %d bytes, keep documents small", r.UID, n)
		}
		checkDoc(t, r.UID, k.Schema, doc)
	}
	for _, k := range reg.All() {
		if seenKinds[k.Name] == 0 {
			t.Errorf("demo emits no %s", k.Name)
		}
	}
	var awsPlants int
	for _, p := range gen.Planted() {
		if !strings.HasPrefix(p.UID, "arn:aws:") {
			continue
		}
		awsPlants++
		if !uids[p.UID] {
			t.Errorf("plant %s on %s: no such resource", p.CheckID, p.UID)
		}
	}
	if awsPlants < 30 {
		t.Errorf("got %d AWS plants, want the documented base set and filler plants", awsPlants)
	}
	var awsErrors int
	for _, e := range s.errors {
		if e.Provider == resource.AWS {
			awsErrors++
		}
	}
	if awsErrors == 0 {
		t.Error("demo emits no AWS collection error")
	}
}

func checkDoc(t *testing.T, path string, schema []resource.Field, doc map[string]any) {
	t.Helper()
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		i := slices.IndexFunc(schema, func(f resource.Field) bool { return f.Name == key })
		if i < 0 {
			t.Errorf("%s.%s: not in the schema", path, key)
			continue
		}
		checkValue(t, path+"."+key, schema[i], doc[key])
	}
}

func checkValue(t *testing.T, path string, f resource.Field, v any) {
	t.Helper()
	if v == nil && strings.Contains(f.Description, "null when") {
		return // documented as nullable
	}
	switch f.Type {
	case "any":
		return
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: got %T, want object", path, v)
			return
		}
		if len(f.Fields) > 0 {
			checkDoc(t, path, f.Fields, m)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			t.Errorf("%s: got %T, want array", path, v)
			return
		}
		for _, el := range a {
			if len(f.Fields) == 0 {
				if _, ok := el.(string); !ok {
					t.Errorf("%s: element %T, want string", path, el)
				}
				continue
			}
			m, ok := el.(map[string]any)
			if !ok {
				t.Errorf("%s: element %T, want object", path, el)
				continue
			}
			checkDoc(t, path+"[]", f.Fields, m)
		}
	case "string", "timestamp":
		if _, ok := v.(string); !ok {
			t.Errorf("%s: got %T, want string", path, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			t.Errorf("%s: got %T, want boolean", path, v)
		}
	case "integer", "number":
		if _, ok := v.(float64); !ok {
			t.Errorf("%s: got %T, want number", path, v)
		}
	}
}
