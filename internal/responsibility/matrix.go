package responsibility

import (
	"slices"

	"cloudward/internal/resource"
)

// Counts are finding counts of the checks covering one cell.
type Counts struct {
	Pass  int64 `json:"pass"`
	Fail  int64 `json:"fail"`
	Error int64 `json:"error"`
	Muted int64 `json:"muted"`
}

// PassRate returns pass / (pass + fail + error) in percent; muted findings
// are accepted risk and count as neither. ok is false with nothing decided.
func (c Counts) PassRate() (rate float64, ok bool) {
	d := c.Pass + c.Fail + c.Error
	if d == 0 {
		return 0, false
	}
	return 100 * float64(c.Pass) / float64(d), true
}

func (c *Counts) add(o Counts) {
	c.Pass += o.Pass
	c.Fail += o.Fail
	c.Error += o.Error
	c.Muted += o.Muted
}

// CheckArea is what the matrix needs of a check: the area it covers and the
// kinds it evaluates.
type CheckArea struct {
	ID    string
	Area  Area
	Kinds []string
}

// Estate is the matrix's input: the registered kinds, how many resources of
// each kind were scanned, the checks, and finding counts per check and kind.
type Estate struct {
	Kinds []resource.Kind
	// Resources counts the scanned resources per kind.
	Resources map[string]int64
	Checks    []CheckArea
	// Results counts findings per check ID, then per kind.
	Results map[string]map[string]Counts
}

// Cell is one area of one provider × service model row.
type Cell struct {
	Area  Area  `json:"area"`
	Owner Owner `json:"owner"`
	// Checks are the checks covering the area for this row's resources.
	Checks []string `json:"checks"`
	Counts Counts   `json:"counts"`
	// Uncovered is true for a customer or shared area that no check covers:
	// a blind spot.
	Uncovered bool `json:"uncovered"`
}

// Row is one provider × service model of the estate.
type Row struct {
	Provider     resource.Provider     `json:"provider"`
	ServiceModel resource.ServiceModel `json:"service_model"`
	// Resources is how many scanned resources fall in this row.
	Resources int64 `json:"resources"`
	// Kinds are the kinds of those resources.
	Kinds []string `json:"kinds"`
	Cells []Cell   `json:"cells"`
}

// Cell returns the row's cell for area a.
func (r Row) Cell(a Area) (Cell, bool) {
	i := slices.IndexFunc(r.Cells, func(c Cell) bool { return c.Area == a })
	if i < 0 {
		return Cell{}, false
	}
	return r.Cells[i], true
}

// Matrix is the estate's shared-responsibility matrix.
type Matrix struct {
	Rows []Row `json:"rows"`
}

// BlindSpot is a customer or shared area of a row with resources that no
// check covers.
type BlindSpot struct {
	Provider     resource.Provider     `json:"provider"`
	ServiceModel resource.ServiceModel `json:"service_model"`
	Area         Area                  `json:"area"`
	Owner        Owner                 `json:"owner"`
	Resources    int64                 `json:"resources"`
}

// BlindSpots lists the uncovered customer and shared cells, row by row.
func (mx *Matrix) BlindSpots() []BlindSpot {
	var out []BlindSpot
	for _, r := range mx.Rows {
		for _, c := range r.Cells {
			if c.Uncovered {
				out = append(out, BlindSpot{Provider: r.Provider, ServiceModel: r.ServiceModel, Area: c.Area, Owner: c.Owner, Resources: r.Resources})
			}
		}
	}
	return out
}

// MatrixOptions tunes Compute.
type MatrixOptions struct {
	// AllModels adds rows for service models the estate has no resources
	// in (every model each provider offers).
	AllModels bool
}

// Compute builds the matrix of an estate: one row per provider (in
// resource.Providers order) and service model with resources (or every
// model with opts.AllModels), one cell per area with its owner, the checks
// covering it and their findings. A check covers area A of row (p, m) when
// it names A and evaluates a kind of provider p whose service model is m, or
// an account-wide kind of p (which covers A in every model of p). Only
// customer and shared cells of rows with resources can be blind spots.
func (m *Model) Compute(e Estate, opts MatrixOptions) *Matrix {
	kinds := make(map[string]resource.Kind, len(e.Kinds))
	for _, k := range e.Kinds {
		kinds[k.Name] = k
	}
	type rowKey struct {
		p resource.Provider
		m resource.ServiceModel
	}
	type cellKey struct {
		rowKey
		a Area
	}
	// Which (check, kind) pairs feed which cells.
	type cover struct {
		check, kind string
	}
	covers := map[cellKey][]cover{}
	for _, c := range e.Checks {
		for _, kn := range c.Kinds {
			k, ok := kinds[kn]
			if !ok {
				continue
			}
			pm, ok := m.providers[k.Provider]
			if !ok {
				continue
			}
			models := []resource.ServiceModel{k.Model}
			if slices.Contains(pm.AccountKinds, kn) {
				models = pm.ServiceModels()
			}
			for _, sm := range models {
				ck := cellKey{rowKey{k.Provider, sm}, c.Area}
				covers[ck] = append(covers[ck], cover{c.ID, kn})
			}
		}
	}
	resources := map[rowKey]int64{}
	rowKinds := map[rowKey][]string{}
	for kn, n := range e.Resources {
		k, ok := kinds[kn]
		if !ok || n == 0 {
			continue
		}
		rk := rowKey{k.Provider, k.Model}
		resources[rk] += n
		rowKinds[rk] = append(rowKinds[rk], kn)
	}
	mx := &Matrix{}
	for _, pm := range m.Providers() {
		for _, sm := range pm.ServiceModels() {
			rk := rowKey{pm.Provider, sm}
			if resources[rk] == 0 && !opts.AllModels {
				continue
			}
			kn := rowKinds[rk]
			slices.Sort(kn)
			row := Row{Provider: pm.Provider, ServiceModel: sm, Resources: resources[rk], Kinds: kn}
			for _, a := range Areas {
				cell := Cell{Area: a, Owner: pm.Models[sm].Owners[a], Checks: []string{}}
				for _, cv := range covers[cellKey{rk, a}] {
					if !slices.Contains(cell.Checks, cv.check) {
						cell.Checks = append(cell.Checks, cv.check)
					}
					cell.Counts.add(e.Results[cv.check][cv.kind])
				}
				slices.Sort(cell.Checks)
				cell.Uncovered = cell.Owner.Yours() && len(cell.Checks) == 0 && row.Resources > 0
				row.Cells = append(row.Cells, cell)
			}
			mx.Rows = append(mx.Rows, row)
		}
	}
	return mx
}
