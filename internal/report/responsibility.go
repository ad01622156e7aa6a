package report

import (
	"cmp"
	"fmt"
	"strings"

	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
)

// checkKind keys a check's findings on one resource kind: the check's
// index in Summary.checks and the kind.
type checkKind struct {
	check int
	kind  string
}

// ResponsibilityInput is what the shared-responsibility section needs
// besides the findings the Summary counted: the model, the kind registry
// (provider and service model of every kind), the checks with their area
// and kinds, and how many resources of each kind the snapshot holds.
type ResponsibilityInput struct {
	Model     *responsibility.Model
	Kinds     []resource.Kind
	Checks    []responsibility.CheckArea
	Resources map[string]int64
}

// ResponsibilitySection is the shared-responsibility part of a report: for
// every provider scanned, each area with its owner, covering checks and
// their findings, and the blind spots (areas that are yours, in a service
// model you use, where no check looks).
type ResponsibilitySection struct {
	Areas      []responsibility.ProviderArea `json:"areas"`
	BlindSpots []responsibility.BlindSpot    `json:"blind_spots"`
}

// SetResponsibility computes the shared-responsibility section from the
// findings counted so far (call it once every finding has been added) and
// adds it to the reports rendered from s.
func (s *Summary) SetResponsibility(in ResponsibilityInput) {
	e := responsibility.Estate{
		Kinds: in.Kinds, Resources: in.Resources, Checks: in.Checks,
		Results: map[string]map[string]responsibility.Counts{},
	}
	for k, c := range s.byKind {
		id := s.checks[k.check].ID
		m := e.Results[id]
		if m == nil {
			m = map[string]responsibility.Counts{}
			e.Results[id] = m
		}
		m[k.kind] = responsibility.Counts{Pass: c.Pass, Fail: c.Fail, Error: c.Error, Muted: c.Muted}
	}
	spots := in.Model.Compute(e, responsibility.MatrixOptions{}).BlindSpots()
	if spots == nil {
		spots = []responsibility.BlindSpot{}
	}
	s.resp = &ResponsibilitySection{Areas: in.Model.ProviderAreas(e), BlindSpots: spots}
}

// Responsibility returns the shared-responsibility section, or nil when
// SetResponsibility was not called.
func (s *Summary) Responsibility() *ResponsibilitySection { return s.resp }

// jsonResponsibility is the JSON form of the section: the customer's (and
// shared) areas with their pass rate, and the blind spots.
type jsonResponsibility struct {
	Areas      []jsonResponsibilityArea   `json:"areas"`
	BlindSpots []responsibility.BlindSpot `json:"blind_spots"`
}

type jsonResponsibilityArea struct {
	responsibility.ProviderArea
	PassRate *float64 `json:"pass_rate"`
}

// responsibilityJSON returns the JSON form of the section, nil when unset.
func responsibilityJSON(r *ResponsibilitySection) *jsonResponsibility {
	if r == nil {
		return nil
	}
	out := &jsonResponsibility{Areas: []jsonResponsibilityArea{}, BlindSpots: r.BlindSpots}
	for _, a := range r.Areas {
		if !a.Yours() {
			continue
		}
		out.Areas = append(out.Areas, jsonResponsibilityArea{ProviderArea: a, PassRate: rounded(a.Counts.PassRate())})
	}
	return out
}

// writeResponsibility writes the terminal section: per provider scanned,
// the areas that are yours (or shared) with their checks and pass rate,
// then the blind spots.
func writeResponsibility(ew *errWriter, r *ResponsibilitySection, c bool) {
	if r == nil {
		return
	}
	ew.printf("\n%s  your side, per provider scanned (the full matrix: cloudward responsibility)\n",
		paint("Shared responsibility", styleBold, c))
	t := table{cols: []column{
		{title: "PROVIDER"}, {title: "AREA"}, {title: "OWNER"}, {title: "CHECKS", align: alignRight},
		{title: "PASS RATE", align: alignRight}, {title: "FAIL", align: alignRight}, {title: "NOTE"},
	}}
	for _, a := range r.Areas {
		if !a.Yours() {
			continue
		}
		rate := cell{text: "-"}
		if v, ok := a.Counts.PassRate(); ok {
			rate = cell{text: fmt.Sprintf("%.1f%%", v), style: scoreStyle(v)}
		}
		note := cell{text: "covered"}
		if len(a.Uncovered) > 0 {
			models := make([]string, len(a.Uncovered))
			for i, m := range a.Uncovered {
				models[i] = string(m)
			}
			note = cell{text: "blind spot: " + strings.Join(models, ", "), style: styleYellow}
		}
		t.add(cell{text: string(a.Provider)}, cell{text: string(a.Area)}, cell{text: string(a.Owner)},
			cell{text: fmt.Sprint(len(a.Checks))}, rate, cell{text: formatInt(a.Counts.Fail)}, note)
	}
	if len(t.rows) == 0 {
		ew.printf("  No resources of a provider with a responsibility model.\n")
		return
	}
	ew.err = cmp.Or(ew.err, t.write(ew, "  ", c))
	if len(r.BlindSpots) == 0 {
		ew.printf("  No blind spots: every area that is yours has a check.\n")
		return
	}
	ew.printf("  %s: %d areas are yours (or shared) where no check looks; cover them with checks of your own (--checks) or manual controls.\n",
		paint("Blind spots", styleYellow, c), len(r.BlindSpots))
}

// writeResponsibilityMarkdown writes the section as a Markdown table.
func writeResponsibilityMarkdown(ew *errWriter, r *ResponsibilitySection) {
	if r == nil {
		return
	}
	ew.printf("\n### Shared responsibility\n\nYour side (customer or shared areas) per provider scanned; `cloudward responsibility` shows the full matrix.\n\n")
	ew.printf("| Provider | Area | Owner | Checks | Pass rate | Fail | Blind spot in |\n|---|---|---|---:|---:|---:|---|\n")
	for _, a := range r.Areas {
		if !a.Yours() {
			continue
		}
		rate := "-"
		if v, ok := a.Counts.PassRate(); ok {
			rate = fmt.Sprintf("%.1f%%", v)
		}
		models := make([]string, len(a.Uncovered))
		for i, m := range a.Uncovered {
			models[i] = string(m)
		}
		ew.printf("| %s | %s | %s | %d | %s | %s | %s |\n", a.Provider, a.Area, a.Owner, len(a.Checks), rate,
			formatInt(a.Counts.Fail), strings.Join(models, ", "))
	}
	ew.printf("\n%d blind spots: areas that are yours where no check looks.\n", len(r.BlindSpots))
}
