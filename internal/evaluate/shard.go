package evaluate

import (
	"context"
	"fmt"
	"iter"

	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// Shard evaluates the engine's checks over the resources of snapshot that
// filters select, read from st one filter after the other into one
// parallel Evaluate. When the checks look across resources, their index
// is loaded first with LoadIndex, from the whole snapshot: a shard of an
// estate's resources sees the same index as a scan of all of them. A
// resource two filters select is evaluated twice, so callers give
// disjoint filters. Findings go to emit as Evaluate hands them over
// (never concurrently); the returned Stats count the resources read.
func Shard(ctx context.Context, st store.Store, snapshot int64, eng *policy.Engine, filters []store.ResourceFilter,
	emit func([]finding.Finding) error) (policy.Stats, error) {
	var idx *policy.Index
	if len(eng.IndexKinds()) > 0 {
		var err error
		if idx, err = LoadIndex(ctx, st, snapshot, eng); err != nil {
			return policy.Stats{}, err
		}
	}
	stats, err := eng.Evaluate(ctx, concat(ctx, st, snapshot, filters), idx, emit)
	if err != nil {
		return stats, fmt.Errorf("evaluate snapshot %d: %w", snapshot, err)
	}
	return stats, nil
}

// concat yields the resources of each filter in turn.
func concat(ctx context.Context, st store.Store, snapshot int64, filters []store.ResourceFilter) iter.Seq2[resource.Resource, error] {
	return func(yield func(resource.Resource, error) bool) {
		for _, f := range filters {
			for r, err := range st.Resources(ctx, snapshot, f) {
				if !yield(r, err) || err != nil {
					return
				}
			}
		}
	}
}
