package policy

import (
	"fmt"
	"slices"

	"cloudward/internal/resource"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
)

// Index holds the resources and edges the cross-resource functions
// (account_resources, region_resources, related) look at: the resources of
// the kinds Engine.IndexKinds names, and the edges touching them. Fill it
// before Evaluate and do not change it during; reads are concurrent.
type Index struct {
	byUID   map[string]indexEntry
	account map[indexKey][]ref.Val
	region  map[indexKey][]ref.Val
	// accountUIDs and regionUIDs name the resource at each position of
	// the account and region lists (PutResource finds a replaced one).
	accountUIDs map[indexKey][]string
	regionUIDs  map[indexKey][]string
	edges       map[string][]string
	// project keeps, per kind, only the property keys checks read; a kind
	// absent from it keeps every key.
	project map[string]*projection
}

type indexEntry struct {
	kind    string
	val     ref.Val
	account indexKey // the entry's key in Index.account (region: add the region)
	region  string
}

type indexKey struct {
	provider, account, region, kind string
}

// NewIndex returns an empty index that keeps every property of the
// resources added. Engine.NewIndex keeps only what the engine's checks read.
func NewIndex() *Index {
	return &Index{
		byUID:       map[string]indexEntry{},
		account:     map[indexKey][]ref.Val{},
		region:      map[indexKey][]ref.Val{},
		accountUIDs: map[indexKey][]string{},
		regionUIDs:  map[indexKey][]string{},
		edges:       map[string][]string{},
	}
}

// AddResource adds one resource. Its properties are decoded once, here, and
// only the keys the index keeps for the kind are held. Adding a UID twice
// is an error.
func (x *Index) AddResource(r resource.Resource) error {
	if _, dup := x.byUID[r.UID]; dup {
		return fmt.Errorf("index resource %s: added twice", r.UID)
	}
	return x.PutResource(r)
}

// PutResource adds one resource, or replaces the one indexed under its UID
// (a collector that emits a resource again: the last version wins, as in
// the store).
func (x *Index) PutResource(r resource.Resource) error {
	props, err := decodeProperties(r.Properties)
	if err != nil {
		return fmt.Errorf("index resource %s: %w", r.UID, err)
	}
	if p := x.project[r.Kind]; p != nil {
		p.apply(props)
	}
	v := types.DefaultTypeAdapter.NativeToValue(resourceMap(&r, props))
	ak := indexKey{provider: string(r.Provider), account: r.Account, kind: r.Kind}
	rk := ak
	rk.region = r.Region
	if old, ok := x.byUID[r.UID]; ok {
		ork := old.account
		ork.region = old.region
		if old.account == ak && old.region == r.Region {
			x.account[ak][slices.Index(x.accountUIDs[ak], r.UID)] = v
			x.region[rk][slices.Index(x.regionUIDs[rk], r.UID)] = v
			x.byUID[r.UID] = indexEntry{kind: r.Kind, val: v, account: ak, region: r.Region}
			return nil
		}
		x.account[old.account], x.accountUIDs[old.account] = without(x.account[old.account], x.accountUIDs[old.account], r.UID)
		x.region[ork], x.regionUIDs[ork] = without(x.region[ork], x.regionUIDs[ork], r.UID)
	}
	x.byUID[r.UID] = indexEntry{kind: r.Kind, val: v, account: ak, region: r.Region}
	x.account[ak] = append(x.account[ak], v)
	x.accountUIDs[ak] = append(x.accountUIDs[ak], r.UID)
	x.region[rk] = append(x.region[rk], v)
	x.regionUIDs[rk] = append(x.regionUIDs[rk], r.UID)
	return nil
}

// without returns vals and uids without the position of uid. The slices
// are copied: a list handed to a check earlier is never changed.
func without(vals []ref.Val, uids []string, uid string) ([]ref.Val, []string) {
	i := slices.Index(uids, uid)
	if i < 0 {
		return vals, uids
	}
	return slices.Concat(vals[:i], vals[i+1:]), slices.Concat(uids[:i], uids[i+1:])
}

// AddEdge adds one edge. Edges whose ends are not in the index are kept:
// the related function only returns indexed resources, from either end.
func (x *Index) AddEdge(e resource.Edge) {
	x.edges[e.From] = append(x.edges[e.From], e.To)
	x.edges[e.To] = append(x.edges[e.To], e.From)
}

// Len returns the number of indexed resources.
func (x *Index) Len() int {
	if x == nil {
		return 0
	}
	return len(x.byUID)
}

// Resources implements cellib.Lookup.
func (x *Index) Resources(provider, account, region, kind string) ref.Val {
	k := indexKey{provider: provider, account: account, kind: kind}
	var vals []ref.Val
	if region == "" {
		vals = x.account[k]
	} else {
		k.region = region
		vals = x.region[k]
	}
	return types.NewRefValList(types.DefaultTypeAdapter, vals)
}

// Related implements cellib.Lookup.
func (x *Index) Related(uid, kind string) ref.Val {
	var (
		vals []ref.Val
		seen map[string]bool
	)
	for _, n := range x.edges[uid] {
		ent, ok := x.byUID[n]
		if !ok || ent.kind != kind {
			continue
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		vals = append(vals, ent.val)
	}
	return types.NewRefValList(types.DefaultTypeAdapter, vals)
}
