package cli

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

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
// resources of AI kinds, the edges from and to them, the names and kinds
// of the resources at their other ends, and the FAIL findings of the
// checks that evaluate AI kinds. Every read is limited to the AI part of
// the estate, so its cost does not grow with the rest of it.
func buildAIInventory(ctx context.Context, st store.Store, snapshot int64, cat *catalog) (*report.AIInventory, error) {
	reg := cat.registry
	kinds := report.AIKinds(reg)
	if len(kinds) == 0 {
		return &report.AIInventory{Resources: []report.AIResource{}}, nil
	}
	// Only checks that evaluate an AI kind (the company rules included)
	// can fail on an AI resource.
	titles := map[string]string{}
	var checkIDs []string
	for _, c := range cat.checks {
		if slices.ContainsFunc(c.Kinds, func(k string) bool { return slices.Contains(kinds, k) }) {
			titles[c.ID] = c.Title
			checkIDs = append(checkIDs, c.ID)
		}
	}
	failing := func(func(finding.Finding, error) bool) {}
	if len(checkIDs) > 0 {
		failing = st.Findings(ctx, snapshot, store.FindingFilter{Statuses: []finding.Status{finding.Fail}, CheckIDs: checkIDs})
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
	return report.BuildAIInventory(report.AIInventorySource{
		Registry:  reg,
		Resources: st.Resources(ctx, snapshot, store.ResourceFilter{Kinds: kinds}),
		Edges:     iter.Seq2[resource.Edge, error](edges),
		Lookup: func(uids []string) iter.Seq2[resource.Resource, error] {
			return lookupResources(ctx, st, snapshot, uids)
		},
		Failing: failing,
		Titles:  titles,
	})
}

// lookupChunk is how many UIDs one lookup query names.
const lookupChunk = 500

// lookupResources yields the UID, name and kind of the snapshot's
// resources with the given UIDs, through the store's read-only SQL views
// (the same on SQLite and PostgreSQL), a chunk of UIDs per query.
func lookupResources(ctx context.Context, st store.Store, snapshot int64, uids []string) iter.Seq2[resource.Resource, error] {
	return func(yield func(resource.Resource, error) bool) {
		for chunk := range slices.Chunk(uids, lookupChunk) {
			var q strings.Builder
			q.WriteString("SELECT uid, name, kind FROM resources WHERE uid IN (")
			n := 0
			for _, u := range chunk {
				if strings.ContainsRune(u, 0) {
					continue
				}
				if n > 0 {
					q.WriteString(", ")
				}
				q.WriteString("'" + strings.ReplaceAll(u, "'", "''") + "'")
				n++
			}
			if n == 0 {
				continue
			}
			q.WriteString(")")
			rows, err := st.Query(ctx, snapshot, q.String())
			if err != nil {
				yield(resource.Resource{}, fmt.Errorf("look up linked resources: %w", err))
				return
			}
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil || len(vals) != 3 {
					rows.Close()
					yield(resource.Resource{}, fmt.Errorf("look up linked resources: read row: %w", cmpErr(err, len(vals))))
					return
				}
				r := resource.Resource{UID: text(vals[0]), Name: text(vals[1]), Kind: text(vals[2])}
				if !yield(r, nil) {
					rows.Close()
					return
				}
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				yield(resource.Resource{}, fmt.Errorf("look up linked resources: %w", err))
				return
			}
		}
	}
}

func cmpErr(err error, n int) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("got %d columns, want 3", n)
}

// text returns a SQL value as a string.
func text(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
