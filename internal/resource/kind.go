package resource

import (
	"fmt"
	"slices"
	"strings"
)

// ServiceModel is a service's place in the shared-responsibility model.
type ServiceModel string

// The service models. CaaS covers managed container and Kubernetes services,
// which providers treat as a model of their own.
const (
	IaaS ServiceModel = "IaaS"
	PaaS ServiceModel = "PaaS"
	SaaS ServiceModel = "SaaS"
	FaaS ServiceModel = "FaaS"
	CaaS ServiceModel = "CaaS"
)

// Valid reports whether m is a known service model.
func (m ServiceModel) Valid() bool {
	switch m {
	case IaaS, PaaS, SaaS, FaaS, CaaS:
		return true
	}
	return false
}

// Field documents one property in a kind's schema. Type is one of string,
// integer, number, boolean, timestamp, object, array, any; objects list their
// Fields and arrays of objects list the element's Fields.
type Field struct {
	Name        string  `json:"name" yaml:"name"`
	Type        string  `json:"type" yaml:"type"`
	Description string  `json:"description,omitempty" yaml:"description,omitempty"`
	Fields      []Field `json:"fields,omitempty" yaml:"fields,omitempty"`
}

// Kind describes one kind of resource.
type Kind struct {
	Name     string   `json:"name"`
	Provider Provider `json:"provider"`
	// Service is the provider's service name (s3, compute, storage, …).
	Service     string       `json:"service"`
	Description string       `json:"description"`
	Model       ServiceModel `json:"service_model"`
	// Global is true for kinds whose resources have Region == GlobalRegion.
	Global bool `json:"global,omitempty"`
	// Taggable is true when the provider lets users put tags or labels on
	// resources of this kind, so company tag rules apply to it.
	Taggable bool `json:"taggable,omitempty"`
	// Schema documents Properties.
	Schema []Field `json:"schema"`
	// Permissions lists the read-only API permissions needed to collect it.
	Permissions []string `json:"permissions,omitempty"`
	// AI is true for AI and machine-learning service resources (models,
	// endpoints, notebooks, AI accounts and their deployments): they make
	// the AI inventory and the ai-security baseline.
	AI bool `json:"ai,omitempty"`
}

// Validate checks a kind's own metadata.
func (k *Kind) Validate() error {
	if k.Name == "" || strings.ToLower(k.Name) != k.Name || strings.ContainsAny(k.Name, " -.") {
		return fmt.Errorf("kind %q: name must be lower snake_case", k.Name)
	}
	if !k.Provider.Valid() {
		return fmt.Errorf("kind %s: unknown provider %q", k.Name, k.Provider)
	}
	prefix := string(k.Provider) + "_"
	if k.Provider == DigitalOcean {
		prefix = "do_"
	}
	if !strings.HasPrefix(k.Name, prefix) {
		return fmt.Errorf("kind %s: name must start with %q", k.Name, prefix)
	}
	if k.Service == "" {
		return fmt.Errorf("kind %s: empty service", k.Name)
	}
	if k.Description == "" {
		return fmt.Errorf("kind %s: empty description", k.Name)
	}
	if !k.Model.Valid() {
		return fmt.Errorf("kind %s: unknown service model %q", k.Name, k.Model)
	}
	if len(k.Schema) == 0 {
		return fmt.Errorf("kind %s: empty schema", k.Name)
	}
	return validateFields(k.Name, k.Schema)
}

var fieldTypes = []string{"string", "integer", "number", "boolean", "timestamp", "object", "array", "any"}

func validateFields(path string, fs []Field) error {
	seen := map[string]bool{}
	for _, f := range fs {
		p := path + "." + f.Name
		if f.Name == "" {
			return fmt.Errorf("%s: field with empty name", path)
		}
		if seen[f.Name] {
			return fmt.Errorf("%s: duplicate field", p)
		}
		seen[f.Name] = true
		if !slices.Contains(fieldTypes, f.Type) {
			return fmt.Errorf("%s: unknown type %q", p, f.Type)
		}
		if err := validateFields(p, f.Fields); err != nil {
			return err
		}
	}
	return nil
}

// Registry is an immutable set of kinds, built once and passed to the stages
// that need it. There is no global registry.
type Registry struct {
	kinds map[string]Kind
	names []string
}

// NewRegistry validates kinds and indexes them by name.
func NewRegistry(kinds ...[]Kind) (*Registry, error) {
	r := &Registry{kinds: map[string]Kind{}}
	for _, list := range kinds {
		for _, k := range list {
			if err := k.Validate(); err != nil {
				return nil, err
			}
			if _, dup := r.kinds[k.Name]; dup {
				return nil, fmt.Errorf("kind %s registered twice", k.Name)
			}
			r.kinds[k.Name] = k
			r.names = append(r.names, k.Name)
		}
	}
	slices.Sort(r.names)
	return r, nil
}

// Lookup returns the kind with the given name.
func (r *Registry) Lookup(name string) (Kind, bool) {
	k, ok := r.kinds[name]
	return k, ok
}

// All returns every kind sorted by name.
func (r *Registry) All() []Kind {
	out := make([]Kind, 0, len(r.names))
	for _, n := range r.names {
		out = append(out, r.kinds[n])
	}
	return out
}

// Len returns the number of kinds.
func (r *Registry) Len() int { return len(r.names) }
