package report

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// AIInventorySource is what BuildAIInventory reads, as streams a store
// (or any other source) provides. The CLI and the server fill it from the
// store's Resources, Edges and Findings.
type AIInventorySource struct {
	// Registry says which kinds are AI kinds and classifies links.
	Registry *resource.Registry
	// Resources yields the resources of the AI kinds (AIKinds).
	Resources iter.Seq2[resource.Resource, error]
	// Edges yields the edges touching AI resources, in either direction
	// (an edge may be yielded twice).
	Edges iter.Seq2[resource.Edge, error]
	// Lookup yields the resources with the given UIDs that exist (only
	// UID, Name and Kind are read): the ends of the AI resources' edges,
	// so that links show names and kinds. May be nil (links then show
	// UIDs and are classified by edge type).
	Lookup func(uids []string) iter.Seq2[resource.Resource, error]
	// Failing yields FAIL findings; those of AI resources are kept.
	Failing iter.Seq2[finding.Finding, error]
	// Titles maps check IDs to titles.
	Titles map[string]string
}

// AIKinds returns the names of the registry's AI kinds, sorted.
func AIKinds(reg *resource.Registry) []string {
	var out []string
	for _, k := range reg.All() {
		if k.AI {
			out = append(out, k.Name)
		}
	}
	return out
}

// AILinkClass says what a resource linked to an AI resource is: by its
// kind when it was collected (kind is registered), else by the edge type
// (reads_data, encrypted_with, execution_role, in_vpc…).
func AILinkClass(reg *resource.Registry, kind, edge string) string {
	if k, ok := reg.Lookup(kind); ok {
		if k.AI {
			return LinkAI
		}
		n := k.Name
		switch {
		case containsAny(n, "kms", "key_vault", "crypto_key", "secret"):
			return LinkKey
		case containsAny(n, "iam_role", "service_account", "managed_identity", "user_assigned_identity"):
			return LinkIdentity
		case containsAny(n, "bucket", "storage_account", "storage_container", "dataset", "bigquery", "_sql", "rds_",
			"database", "file_system", "glacier", "postgresql", "mysql", "cosmos", "dynamodb", "spaces"):
			return LinkData
		case containsAny(n, "vpc", "subnet", "security_group", "network", "firewall"):
			return LinkNetwork
		}
		return LinkOther
	}
	switch {
	case containsAny(edge, "data", "source", "storage", "dataset", "bucket"):
		return LinkData
	case containsAny(edge, "encrypt", "key"):
		return LinkKey
	case containsAny(edge, "role", "identity", "service_account", "runs_as"):
		return LinkIdentity
	case containsAny(edge, "vpc", "subnet", "security_group", "network"):
		return LinkNetwork
	}
	return LinkOther
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// BuildAIInventory assembles the AI inventory from src: every AI resource,
// its links with the name and kind of the other end when it was collected,
// and its FAIL findings, sorted (AIInventory.Sort). Memory is bounded by
// the AI resources and their edges, not by the estate.
func BuildAIInventory(src AIInventorySource) (*AIInventory, error) {
	inv := &AIInventory{Resources: []AIResource{}}
	index := map[string]int{}
	for r, err := range src.Resources {
		if err != nil {
			return nil, fmt.Errorf("ai inventory: read resources: %w", err)
		}
		if k, ok := src.Registry.Lookup(r.Kind); !ok || !k.AI {
			continue
		}
		if _, dup := index[r.UID]; dup {
			continue
		}
		index[r.UID] = len(inv.Resources)
		inv.Resources = append(inv.Resources, AIResource{
			UID: r.UID, Name: r.Name, Kind: r.Kind, Provider: string(r.Provider), Account: r.Account, Region: r.Region,
		})
	}
	if len(inv.Resources) == 0 {
		return inv, nil
	}

	type pending struct {
		at   int
		link AILink
	}
	var links []pending
	seen := map[resource.Edge]bool{}
	others := map[string]*resource.Resource{}
	for e, err := range src.Edges {
		if err != nil {
			return nil, fmt.Errorf("ai inventory: read edges: %w", err)
		}
		if seen[e] {
			continue
		}
		seen[e] = true
		// An edge is listed on its source when that is an AI resource,
		// else on its target.
		if at, ok := index[e.From]; ok {
			links = append(links, pending{at, AILink{UID: e.To, Edge: e.Type}})
			others[e.To] = nil
		} else if at, ok := index[e.To]; ok {
			links = append(links, pending{at, AILink{UID: e.From, Edge: e.Type, Incoming: true}})
			others[e.From] = nil
		}
	}
	for uid := range others {
		if i, ok := index[uid]; ok {
			r := inv.Resources[i]
			others[uid] = &resource.Resource{UID: uid, Name: r.Name, Kind: r.Kind}
		}
	}
	var unknown []string
	for uid, known := range others {
		if known == nil {
			unknown = append(unknown, uid)
		}
	}
	if src.Lookup != nil && len(unknown) > 0 {
		slices.Sort(unknown)
		for r, err := range src.Lookup(unknown) {
			if err != nil {
				return nil, fmt.Errorf("ai inventory: read linked resources: %w", err)
			}
			if known, ok := others[r.UID]; ok && known == nil {
				others[r.UID] = &resource.Resource{UID: r.UID, Name: r.Name, Kind: r.Kind}
			}
		}
	}
	for _, p := range links {
		l := p.link
		if o := others[l.UID]; o != nil {
			l.Name, l.Kind = o.Name, o.Kind
		}
		l.Class = AILinkClass(src.Registry, l.Kind, l.Edge)
		r := &inv.Resources[p.at]
		r.Links = append(r.Links, l)
	}
	for f, err := range src.Failing {
		if err != nil {
			return nil, fmt.Errorf("ai inventory: read findings: %w", err)
		}
		if f.Status != finding.Fail {
			continue
		}
		if at, ok := index[f.ResourceUID]; ok {
			r := &inv.Resources[at]
			r.Failing = append(r.Failing, AIFinding{CheckID: f.CheckID, Title: src.Titles[f.CheckID], Severity: f.Severity})
		}
	}
	inv.Sort()
	return inv, nil
}
