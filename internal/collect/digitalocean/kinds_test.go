package digitalocean

import (
	"testing"

	"cloudward/internal/resource"
)

func TestKinds(t *testing.T) {
	kinds := Kinds()
	reg, err := resource.NewRegistry(kinds)
	if err != nil {
		t.Fatalf("registry rejects digitalocean kinds: %v", err)
	}
	if reg.Len() != len(kinds) {
		t.Fatalf("registry has %d kinds, want %d", reg.Len(), len(kinds))
	}
	for _, k := range kinds {
		t.Run(k.Name, func(t *testing.T) {
			if k.Provider != resource.DigitalOcean {
				t.Errorf("provider = %q, want digitalocean", k.Provider)
			}
			if len(k.Schema) == 0 {
				t.Error("empty schema")
			}
			if len(k.Permissions) == 0 {
				t.Error("no permissions listed")
			}
			var walk func(path string, fs []resource.Field)
			walk = func(path string, fs []resource.Field) {
				for _, fl := range fs {
					if fl.Description == "" {
						t.Errorf("%s.%s: no description", path, fl.Name)
					}
					walk(path+"."+fl.Name, fl.Fields)
				}
			}
			walk(k.Name, k.Schema)
		})
	}
}
