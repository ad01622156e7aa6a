package cli

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"cloudward/internal/policy"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// crossCapture builds the index of the cross-resource checks while the
// collection streams, so that it need not be read back from the store
// once collection is done (at 1,000,000 resources reading it back was a
// third of the scan: every edge of the snapshot joined against the
// resources to learn the kinds of its ends).
//
// It holds, during the collection: the resources of the kinds the checks
// read account- or region-wide (projected, in the index); the kinds of the
// resources at either end of an edge the checks may follow (UID → kind,
// for the kinds concerned only); and the edges. Once collection is done,
// finish keeps the edges the old read-back kept and reads from the store
// only the few resources of kinds read through edges alone that an edge
// links to a checked resource.
type crossCapture struct {
	eng *policy.Engine
	// wide are kinds read account- or region-wide: all of them are indexed.
	wide map[string]bool
	// relatedOnly maps a kind read only through edges to the kinds of the
	// checks that relate to it.
	relatedOnly map[string][]string
	// track are the kinds whose UIDs kindOf records.
	track map[string]bool

	mu     sync.Mutex
	idx    *policy.Index
	kindOf map[string]string
	edges  []resource.Edge
	err    error
}

// newCrossCapture returns a capture for the engine's index, or nil when
// its checks look across nothing.
func newCrossCapture(eng *policy.Engine) *crossCapture {
	kinds := eng.IndexKinds()
	if len(kinds) == 0 {
		return nil
	}
	c := &crossCapture{
		eng: eng, wide: map[string]bool{}, relatedOnly: eng.RelatedOnly(), track: map[string]bool{},
		idx: eng.NewIndex(), kindOf: map[string]string{},
	}
	for _, k := range kinds {
		if _, only := c.relatedOnly[k]; !only {
			c.wide[k] = true
		}
		c.track[k] = true
	}
	for _, from := range c.relatedOnly {
		for _, k := range from {
			c.track[k] = true
		}
	}
	return c
}

// tracks reports whether resources of kind concern the capture.
func (c *crossCapture) tracks(kind string) bool { return c.track[kind] }

// resource records r; the caller holds mu (see streamSink.Resource).
func (c *crossCapture) resourceLocked(r resource.Resource) {
	c.kindOf[r.UID] = r.Kind
	if !c.wide[r.Kind] || c.err != nil {
		return
	}
	if err := c.idx.PutResource(r); err != nil {
		c.err = err
	}
}

// edge records e.
func (c *crossCapture) edge(e resource.Edge) {
	c.mu.Lock()
	c.edges = append(c.edges, e)
	c.mu.Unlock()
}

// finish returns the index once collection is complete: the edges the
// checks may follow, and the resources of kinds read only through edges
// that an edge links to a resource of a checked kind, read from the store
// by UID.
func (c *crossCapture) finish(ctx context.Context, st store.Store, snapshot int64) (*policy.Index, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return nil, fmt.Errorf("index resources: %w", c.err)
	}
	linked := map[string]bool{}
	var linkedKinds []string
	for _, e := range c.edges {
		from, to := c.kindOf[e.From], c.kindOf[e.To]
		keep := c.wide[from] || c.wide[to]
		if kinds, only := c.relatedOnly[to]; only && from != "" && slices.Contains(kinds, from) {
			keep, linked[e.To] = true, true
		}
		if kinds, only := c.relatedOnly[from]; only && to != "" && slices.Contains(kinds, to) {
			keep, linked[e.From] = true, true
		}
		if keep {
			c.idx.AddEdge(e)
		}
	}
	c.edges = nil
	for k := range c.relatedOnly {
		linkedKinds = append(linkedKinds, k)
	}
	if len(linked) > 0 {
		uids := make([]string, 0, len(linked))
		for uid := range linked {
			uids = append(uids, uid)
		}
		slices.Sort(uids)
		slices.Sort(linkedKinds)
		for r, err := range st.Resources(ctx, snapshot, store.ResourceFilter{Kinds: linkedKinds, UIDs: uids}) {
			if err != nil {
				return nil, fmt.Errorf("index resources: %w", err)
			}
			if err := c.idx.PutResource(r); err != nil {
				return nil, fmt.Errorf("index resources: %w", err)
			}
		}
	}
	c.kindOf = nil
	return c.idx, nil
}
