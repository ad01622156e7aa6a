package responsibility

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"cloudward/internal/resource"
)

// Owner says who is responsible for an area in a service model.
type Owner string

// The owners, as each provider's model states them.
const (
	Customer Owner = "customer"
	Shared   Owner = "shared"
	Provider Owner = "provider"
)

// Valid reports whether o is a known owner.
func (o Owner) Valid() bool { return o == Customer || o == Shared || o == Provider }

// Yours reports whether the customer owns at least part of the area.
func (o Owner) Yours() bool { return o == Customer || o == Shared }

// Source is a document a provider model is taken from.
type Source struct {
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// ServiceModelSplit is who owns each area in one service model of one
// provider.
type ServiceModelSplit struct {
	// Summary says the split in plain words.
	Summary string `yaml:"summary" json:"summary"`
	// Owners gives the owner of every area.
	Owners map[Area]Owner `yaml:"owners" json:"owners"`
}

// ProviderModel is one provider's shared-responsibility model.
type ProviderModel struct {
	Provider resource.Provider `yaml:"provider" json:"provider"`
	Title    string            `yaml:"title" json:"title"`
	Sources  []Source          `yaml:"sources" json:"sources"`
	Notes    string            `yaml:"notes" json:"notes,omitempty"`
	// SharedFate lists what the provider adds to help with the customer's
	// half without taking ownership (Google Cloud's "shared fate").
	SharedFate []string `yaml:"shared_fate" json:"shared_fate,omitempty"`
	// AccountKinds are account-wide kinds: a check on one of them covers
	// its area in every service model of the provider.
	AccountKinds []string `yaml:"account_kinds" json:"account_kinds,omitempty"`
	// Models holds the split of every service model the provider offers.
	Models map[resource.ServiceModel]ServiceModelSplit `yaml:"models" json:"models"`
}

// ServiceModels returns the service models the provider offers, in the
// order IaaS, PaaS, CaaS, FaaS, SaaS.
func (p *ProviderModel) ServiceModels() []resource.ServiceModel {
	var out []resource.ServiceModel
	for _, m := range modelOrder {
		if _, ok := p.Models[m]; ok {
			out = append(out, m)
		}
	}
	return out
}

// Owner returns who owns area a in service model m.
func (p *ProviderModel) Owner(m resource.ServiceModel, a Area) (Owner, bool) {
	split, ok := p.Models[m]
	if !ok {
		return "", false
	}
	o, ok := split.Owners[a]
	return o, ok
}

var modelOrder = []resource.ServiceModel{resource.IaaS, resource.PaaS, resource.CaaS, resource.FaaS, resource.SaaS}

// Model is the shared-responsibility model of every provider.
type Model struct {
	providers map[resource.Provider]*ProviderModel
}

//go:embed models/*.yaml
var modelFiles embed.FS

// Builtin returns the reviewed model data embedded in the binary: one file
// per provider under models/.
func Builtin() (*Model, error) {
	return Load(modelFiles, "models")
}

// Load reads every *.yaml file in dir of fsys as one provider's model.
func Load(fsys fs.FS, dir string) (*Model, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read responsibility models: %w", err)
	}
	m := &Model{providers: map[resource.Provider]*ProviderModel{}}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		name := dir + "/" + e.Name()
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read responsibility model %s: %w", name, err)
		}
		p, err := Parse(name, data)
		if err != nil {
			return nil, err
		}
		if _, dup := m.providers[p.Provider]; dup {
			return nil, fmt.Errorf("responsibility model %s: provider %s described twice", name, p.Provider)
		}
		m.providers[p.Provider] = p
	}
	return m, nil
}

// Parse parses and validates one provider's model; name is used in errors.
// Every service model must give an owner for every area, and the physical
// and host areas must be the provider's.
func Parse(name string, data []byte) (*ProviderModel, error) {
	var p ProviderModel
	if err := yaml.UnmarshalWithOptions(data, &p, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("parse responsibility model %s: %w", name, err)
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if !p.Provider.Valid() {
		bad("unknown provider %q", p.Provider)
	}
	if p.Title == "" {
		bad("title is required")
	}
	if len(p.Sources) == 0 {
		bad("at least one source is required")
	}
	for i, s := range p.Sources {
		if s.Title == "" || !strings.HasPrefix(s.URL, "https://") {
			bad("sources[%d]: want a title and an https URL", i)
		}
	}
	if len(p.Models) == 0 {
		bad("models: at least one service model is required")
	}
	for _, sm := range slices.Sorted(maps.Keys(p.Models)) {
		split := p.Models[sm]
		if !sm.Valid() {
			bad("models: unknown service model %q", sm)
			continue
		}
		if strings.TrimSpace(split.Summary) == "" {
			bad("models.%s: summary is required", sm)
		}
		for a, o := range split.Owners {
			if !a.Valid() {
				bad("models.%s: unknown area %q", sm, a)
			}
			if !o.Valid() {
				bad("models.%s.%s: unknown owner %q (want customer, shared or provider)", sm, a, o)
			}
		}
		for _, a := range Areas {
			o, ok := split.Owners[a]
			switch {
			case !ok:
				bad("models.%s: no owner for area %s", sm, a)
			case (a == Physical || a == HostInfrastructure) && o != Provider:
				bad("models.%s.%s: must be the provider's", sm, a)
			}
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("responsibility model %s: %s", name, strings.Join(errs, "; "))
	}
	return &p, nil
}

// Provider returns one provider's model.
func (m *Model) Provider(p resource.Provider) (*ProviderModel, bool) {
	pm, ok := m.providers[p]
	return pm, ok
}

// Providers returns every provider's model, in resource.Providers order.
func (m *Model) Providers() []*ProviderModel {
	var out []*ProviderModel
	for _, p := range resource.Providers {
		if pm, ok := m.providers[p]; ok {
			out = append(out, pm)
		}
	}
	return out
}

// Validate checks the model against a kind registry: every provider with
// kinds has a model, every kind's service model is one its provider
// offers, and every account kind is registered under that provider.
func (m *Model) Validate(reg *resource.Registry) error {
	var errs []string
	for _, k := range reg.All() {
		pm, ok := m.providers[k.Provider]
		if !ok {
			errs = append(errs, fmt.Sprintf("kind %s: no responsibility model for provider %s", k.Name, k.Provider))
			continue
		}
		if _, ok := pm.Models[k.Model]; !ok {
			errs = append(errs, fmt.Sprintf("kind %s: service model %s is not in %s's responsibility model", k.Name, k.Model, k.Provider))
		}
	}
	for _, pm := range m.Providers() {
		for _, name := range pm.AccountKinds {
			k, ok := reg.Lookup(name)
			if !ok || k.Provider != pm.Provider {
				errs = append(errs, fmt.Sprintf("%s account_kinds: %s is not a registered %s kind", pm.Provider, name, pm.Provider))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("responsibility model: %s", strings.Join(errs, "; "))
	}
	return nil
}

// Split is one area's owner in plain words.
type Split struct {
	Area  Area   `json:"area"`
	Title string `json:"title"`
	Owner Owner  `json:"owner"`
	Words string `json:"words"`
}

// Explanation is one kind's place in its provider's model.
type Explanation struct {
	Kind         string                `json:"kind"`
	Provider     resource.Provider     `json:"provider"`
	Service      string                `json:"service"`
	Description  string                `json:"description"`
	ServiceModel resource.ServiceModel `json:"service_model"`
	Summary      string                `json:"summary"`
	Areas        []Split               `json:"areas"`
	SharedFate   []string              `json:"shared_fate,omitempty"`
	Sources      []Source              `json:"sources"`
}

// Explain says who owns what for kind k.
func (m *Model) Explain(k resource.Kind) (Explanation, error) {
	pm, ok := m.providers[k.Provider]
	if !ok {
		return Explanation{}, fmt.Errorf("explain %s: no responsibility model for provider %s", k.Name, k.Provider)
	}
	split, ok := pm.Models[k.Model]
	if !ok {
		return Explanation{}, fmt.Errorf("explain %s: %s's model has no %s split", k.Name, k.Provider, k.Model)
	}
	ex := Explanation{
		Kind: k.Name, Provider: k.Provider, Service: k.Service, Description: k.Description,
		ServiceModel: k.Model, Summary: strings.TrimSpace(split.Summary),
		SharedFate: pm.SharedFate, Sources: pm.Sources,
	}
	for _, a := range Areas {
		o := split.Owners[a]
		ex.Areas = append(ex.Areas, Split{Area: a, Title: a.Title(), Owner: o, Words: a.Words(o)})
	}
	return ex, nil
}
