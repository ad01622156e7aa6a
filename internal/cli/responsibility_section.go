package cli

import (
	"context"
	"fmt"

	"cloudward/internal/report"
	"cloudward/internal/responsibility"
	"cloudward/internal/store"
)

// addResponsibility adds the shared-responsibility section to a scan's
// summary: the built-in model, the kind registry, the checks' areas and the
// snapshot's resources per kind (one GROUP BY in stores that can count,
// else one pass over the resources).
func addResponsibility(ctx context.Context, st store.Store, snapshot int64, cat *catalog, s *report.Summary) error {
	model, err := responsibility.Builtin()
	if err != nil {
		return err
	}
	counts := map[string]int64{}
	if srch, ok := st.(store.Searcher); ok {
		groups, err := srch.ResourceGroups(ctx, snapshot)
		if err != nil {
			return fmt.Errorf("responsibility section: %w", err)
		}
		for _, g := range groups {
			counts[g.Kind] += g.Count
		}
	} else {
		for r, err := range st.Resources(ctx, snapshot, store.ResourceFilter{}) {
			if err != nil {
				return fmt.Errorf("responsibility section: read resources: %w", err)
			}
			counts[r.Kind]++
		}
	}
	in := report.ResponsibilityInput{Model: model, Kinds: cat.registry.All(), Resources: counts}
	for _, c := range cat.checks {
		in.Checks = append(in.Checks, responsibility.CheckArea{ID: c.ID, Area: c.Area, Kinds: c.Kinds})
	}
	s.SetResponsibility(in)
	return nil
}
