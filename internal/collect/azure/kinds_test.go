package azure

import (
	"strings"
	"testing"

	"cloudward/internal/resource"
)

func TestKindsRegister(t *testing.T) {
	reg, err := resource.NewRegistry(Kinds())
	if err != nil {
		t.Fatalf("registry rejects azure kinds: %v", err)
	}
	if reg.Len() != len(Kinds()) {
		t.Fatalf("registry holds %d kinds, want %d", reg.Len(), len(Kinds()))
	}
}

func TestKindsDocumented(t *testing.T) {
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			if k.Provider != resource.Azure {
				t.Errorf("provider = %q, want azure", k.Provider)
			}
			if !strings.HasPrefix(k.Name, "azure_") {
				t.Errorf("name %q lacks the azure_ prefix", k.Name)
			}
			if len(k.Schema) == 0 {
				t.Error("empty schema")
			}
			if len(k.Permissions) == 0 {
				t.Error("no permissions listed")
			}
			var walk func(path string, fs []resource.Field)
			walk = func(path string, fs []resource.Field) {
				for _, f := range fs {
					p := path + "." + f.Name
					if f.Description == "" {
						t.Errorf("%s: no description", p)
					}
					if f.Name != strings.ToLower(f.Name) || strings.ContainsAny(f.Name, "- ") {
						t.Errorf("%s: field names are snake_case", p)
					}
					if f.Type == "object" && len(f.Fields) == 0 {
						t.Errorf("%s: object without documented fields", p)
					}
					walk(p, f.Fields)
				}
			}
			walk(k.Name, k.Schema)
		})
	}
}
