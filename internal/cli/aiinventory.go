package cli

import (
	"context"
	"fmt"
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

// aiKinds returns the names of the registry's AI kinds, sorted.
func aiKinds(reg *resource.Registry) []string {
	var out []string
	for _, k := range reg.All() {
		if k.AI {
			out = append(out, k.Name)
		}
	}
	return out
}

// linkClass says what a resource linked to an AI resource is, by its kind
// (or, for a resource that was not collected, by the edge type).
func linkClass(reg *resource.Registry, kind, edge string) string {
	if k, ok := reg.Lookup(kind); ok {
		if k.AI {
			return report.LinkAI
		}
		n := k.Name
		switch {
		case containsAny(n, "kms", "key_vault", "crypto_key", "secret"):
			return report.LinkKey
		case containsAny(n, "iam_role", "service_account", "managed_identity", "user_assigned_identity"):
			return report.LinkIdentity
		case containsAny(n, "bucket", "storage_account", "storage_container", "dataset", "bigquery", "_sql", "rds_",
			"database", "file_system", "glacier", "postgresql", "mysql", "cosmos", "dynamodb", "spaces", "table"):
			return report.LinkData
		case containsAny(n, "vpc", "subnet", "security_group", "network", "firewall"):
			return report.LinkNetwork
		}
		return report.LinkOther
	}
	switch {
	case containsAny(edge, "data", "source", "storage", "dataset", "bucket"):
		return report.LinkData
	case containsAny(edge, "encrypt", "key"):
		return report.LinkKey
	case containsAny(edge, "role", "identity", "service_account", "runs_as"):
		return report.LinkIdentity
	case containsAny(edge, "vpc", "subnet", "security_group", "network"):
		return report.LinkNetwork
	}
	return report.LinkOther
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// buildAIInventory reads the AI inventory of a snapshot from the store:
// the resources of AI kinds, the edges touching them (with the name and
// kind of the other end when it was collected), and their FAIL findings.
// Memory is bounded by the AI resources and their edges, not the estate.
func buildAIInventory(ctx context.Context, st store.Store, snapshot int64, reg *resource.Registry, checks []report.CheckInfo) (*report.AIInventory, error) {
	kinds := aiKinds(reg)
	inv := &report.AIInventory{Resources: []report.AIResource{}}
	if len(kinds) == 0 {
		return inv, nil
	}
	index := map[string]int{}
	for r, err := range st.Resources(ctx, snapshot, store.ResourceFilter{Kinds: kinds}) {
		if err != nil {
			return nil, fmt.Errorf("ai inventory: read resources: %w", err)
		}
		index[r.UID] = len(inv.Resources)
		inv.Resources = append(inv.Resources, report.AIResource{
			UID: r.UID, Name: r.Name, Kind: r.Kind, Provider: string(r.Provider), Account: r.Account, Region: r.Region,
		})
	}
	if len(inv.Resources) == 0 {
		return inv, nil
	}

	// Edges from and to AI resources; the other ends are looked up below.
	type pending struct {
		at   int
		link report.AILink
	}
	var links []pending
	others := map[string]*resource.Resource{}
	for _, dir := range []store.EdgeFilter{{FromKinds: kinds}, {ToKinds: kinds}} {
		incoming := len(dir.ToKinds) > 0
		for e, err := range st.Edges(ctx, snapshot, dir) {
			if err != nil {
				return nil, fmt.Errorf("ai inventory: read edges: %w", err)
			}
			self, other := e.From, e.To
			if incoming {
				self, other = e.To, e.From
			}
			at, ok := index[self]
			if !ok {
				continue
			}
			if incoming {
				if _, both := index[other]; both {
					continue // an edge between two AI resources is listed once, on its source
				}
			}
			links = append(links, pending{at, report.AILink{UID: other, Edge: e.Type, Incoming: incoming}})
			others[other] = nil
		}
	}
	// Name and kind of the linked resources that were collected: AI
	// resources are known; the others are read kind by kind, keeping only
	// those linked.
	for uid := range others {
		if i, ok := index[uid]; ok {
			r := inv.Resources[i]
			others[uid] = &resource.Resource{UID: uid, Name: r.Name, Kind: r.Kind}
		}
	}
	var linkedKinds []string
	for _, k := range reg.All() {
		if !k.AI && linkClass(reg, k.Name, "") != report.LinkOther {
			linkedKinds = append(linkedKinds, k.Name)
		}
	}
	for r, err := range st.Resources(ctx, snapshot, store.ResourceFilter{Kinds: linkedKinds}) {
		if err != nil {
			return nil, fmt.Errorf("ai inventory: read linked resources: %w", err)
		}
		if known, ok := others[r.UID]; ok && known == nil {
			others[r.UID] = &resource.Resource{UID: r.UID, Name: r.Name, Kind: r.Kind}
		}
	}
	for _, p := range links {
		l := p.link
		if o := others[l.UID]; o != nil {
			l.Name, l.Kind = o.Name, o.Kind
		}
		l.Class = linkClass(reg, l.Kind, l.Edge)
		r := &inv.Resources[p.at]
		r.Links = append(r.Links, l)
	}

	titles := make(map[string]string, len(checks))
	for _, c := range checks {
		titles[c.ID] = c.Title
	}
	for f, err := range st.Findings(ctx, snapshot, store.FindingFilter{Statuses: []finding.Status{finding.Fail}}) {
		if err != nil {
			return nil, fmt.Errorf("ai inventory: read findings: %w", err)
		}
		if at, ok := index[f.ResourceUID]; ok {
			r := &inv.Resources[at]
			r.Failing = append(r.Failing, report.AIFinding{CheckID: f.CheckID, Title: titles[f.CheckID], Severity: f.Severity})
		}
	}
	inv.Sort()
	return inv, nil
}
