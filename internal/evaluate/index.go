// Package evaluate runs the policy engine over a snapshot held in a store:
// it loads the index the cross-resource checks look across (LoadIndex) and
// evaluates a slice of the snapshot's resources (Shard). A single-process
// scan calls LoadIndex for its cross-resource checks; a distributed worker
// calls Shard, and so LoadIndex, for each evaluation job. Both run the same
// code, so their verdicts agree.
package evaluate

import (
	"context"
	"fmt"

	"cloudward/internal/policy"
	"cloudward/internal/store"
)

// LoadIndex reads the resources of the kinds the engine's checks look
// across, and the edges touching them, into the engine's index. Of a kind
// the checks read only through edges (related), only the resources linked
// to a resource the checks evaluate are loaded: checks over a few AI
// resources relating to buckets and roles do not hold every bucket and
// role of the estate.
func LoadIndex(ctx context.Context, st store.Store, snapshot int64, eng *policy.Engine) (*policy.Index, error) {
	kinds := eng.IndexKinds()
	idx := eng.NewIndex()
	if len(kinds) == 0 {
		return idx, nil
	}
	// Kinds read only through edges: the edges between them and the kinds
	// of the checks that relate to them are all the lookups need, and
	// their ends of those edges are the resources worth loading.
	linked := map[string]map[string]bool{} // kind → UIDs worth loading
	for kind, from := range eng.RelatedOnly() {
		uids := map[string]bool{}
		for _, dir := range []struct {
			f    store.EdgeFilter
			from bool // the kind's end is the edge's source
		}{
			{store.EdgeFilter{FromKinds: from, ToKinds: []string{kind}}, false},
			{store.EdgeFilter{FromKinds: []string{kind}, ToKinds: from}, true},
		} {
			for e, err := range st.Edges(ctx, snapshot, dir.f) {
				if err != nil {
					return nil, fmt.Errorf("index edges of %s: %w", kind, err)
				}
				idx.AddEdge(e)
				if dir.from {
					uids[e.From] = true
				} else {
					uids[e.To] = true
				}
			}
		}
		linked[kind] = uids
	}
	var read, wide []string
	for _, k := range kinds {
		uids, only := linked[k]
		if !only {
			wide = append(wide, k)
		}
		if !only || len(uids) > 0 {
			read = append(read, k)
		}
	}
	if len(read) > 0 {
		for r, err := range st.Resources(ctx, snapshot, store.ResourceFilter{Kinds: read}) {
			if err != nil {
				return nil, fmt.Errorf("index resources: %w", err)
			}
			if uids, only := linked[r.Kind]; only && !uids[r.UID] {
				continue
			}
			if err := idx.AddResource(r); err != nil {
				return nil, fmt.Errorf("index resources: %w", err)
			}
		}
	}
	if len(wide) > 0 {
		for _, f := range []store.EdgeFilter{{ToKinds: wide}, {FromKinds: wide}} {
			for e, err := range st.Edges(ctx, snapshot, f) {
				if err != nil {
					return nil, fmt.Errorf("index edges: %w", err)
				}
				idx.AddEdge(e)
			}
		}
	}
	return idx, nil
}
