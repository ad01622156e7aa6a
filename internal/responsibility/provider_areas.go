package responsibility

import (
	"slices"

	"cloudward/internal/resource"
)

// ProviderArea is one area of one scanned provider, across the service
// models the estate uses there: the strongest claim on it (customer over
// shared over provider), the checks covering it and their findings, and the
// service models where it is the customer's (or shared) and no check looks.
type ProviderArea struct {
	Provider resource.Provider `json:"provider"`
	Area     Area              `json:"area"`
	Owner    Owner             `json:"owner"`
	// Checks are the checks covering the area for the provider's scanned
	// resources.
	Checks []string `json:"checks"`
	// Counts are their findings, each (check, kind) pair counted once.
	Counts Counts `json:"counts"`
	// Uncovered lists the service models with resources where the area is
	// yours and no check covers it.
	Uncovered []resource.ServiceModel `json:"uncovered,omitempty"`
}

// Yours reports whether the customer owns at least part of the area.
func (pa ProviderArea) Yours() bool { return pa.Owner.Yours() }

// ProviderAreas condenses an estate's matrix to one line per provider with
// resources and area, in resource.Providers and Areas order. Findings of a
// check on an account-wide kind count once, not once per service model.
func (m *Model) ProviderAreas(e Estate) []ProviderArea {
	mx := m.Compute(e, MatrixOptions{})
	kinds := make(map[string]resource.Kind, len(e.Kinds))
	for _, k := range e.Kinds {
		kinds[k.Name] = k
	}
	var out []ProviderArea
	for _, pm := range m.Providers() {
		var rows []Row
		for _, r := range mx.Rows {
			if r.Provider == pm.Provider && r.Resources > 0 {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		for _, a := range Areas {
			pa := ProviderArea{Provider: pm.Provider, Area: a, Owner: Provider, Checks: []string{}}
			for _, r := range rows {
				c, _ := r.Cell(a)
				pa.Owner = stronger(pa.Owner, c.Owner)
				for _, id := range c.Checks {
					if !slices.Contains(pa.Checks, id) {
						pa.Checks = append(pa.Checks, id)
					}
				}
				if c.Uncovered {
					pa.Uncovered = append(pa.Uncovered, r.ServiceModel)
				}
			}
			slices.Sort(pa.Checks)
			for _, ch := range e.Checks {
				if ch.Area != a || !slices.Contains(pa.Checks, ch.ID) {
					continue
				}
				for _, kn := range ch.Kinds {
					if k, ok := kinds[kn]; ok && k.Provider == pm.Provider {
						pa.Counts.add(e.Results[ch.ID][kn])
					}
				}
			}
			out = append(out, pa)
		}
	}
	return out
}

// stronger returns the owner that gives the customer more to do.
func stronger(a, b Owner) Owner {
	rank := func(o Owner) int {
		switch o {
		case Customer:
			return 2
		case Shared:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}
