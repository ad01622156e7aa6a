package cli

import (
	"context"
	"iter"
	"slices"

	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/report"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// aiFramework is the framework whose selection (scan --framework) turns
// the AI inventory section on.
const aiFramework = "ai-security"

// wantAIInventory reports whether the reports carry the AI inventory:
// asked for with --ai-inventory, or implied by --framework ai-security.
func wantAIInventory(flag bool, fws []*policy.Framework) bool {
	return flag || slices.ContainsFunc(fws, func(fw *policy.Framework) bool { return fw.ID == aiFramework })
}

// buildAIInventory reads a snapshot's AI inventory from the store: the
// resources of AI kinds, the edges from and to them, the linked resources
// of the kinds report.AILinkedKinds names (to name them), and the FAIL
// findings.
func buildAIInventory(ctx context.Context, st store.Store, snapshot int64, reg *resource.Registry, checks []report.CheckInfo) (*report.AIInventory, error) {
	kinds := report.AIKinds(reg)
	if len(kinds) == 0 {
		return &report.AIInventory{Resources: []report.AIResource{}}, nil
	}
	titles := make(map[string]string, len(checks))
	for _, c := range checks {
		titles[c.ID] = c.Title
	}
	edges := func(yield func(resource.Edge, error) bool) {
		for _, f := range []store.EdgeFilter{{FromKinds: kinds}, {ToKinds: kinds}} {
			for e, err := range st.Edges(ctx, snapshot, f) {
				if !yield(e, err) || err != nil {
					return
				}
			}
		}
	}
	src := report.AIInventorySource{
		Registry:  reg,
		Resources: st.Resources(ctx, snapshot, store.ResourceFilter{Kinds: kinds}),
		Edges:     iter.Seq2[resource.Edge, error](edges),
		Failing:   st.Findings(ctx, snapshot, store.FindingFilter{Statuses: []finding.Status{finding.Fail}}),
		Titles:    titles,
	}
	// An empty kind filter would read every resource.
	if linked := report.AILinkedKinds(reg); len(linked) > 0 {
		src.Linked = st.Resources(ctx, snapshot, store.ResourceFilter{Kinds: linked})
	}
	return report.BuildAIInventory(src)
}
