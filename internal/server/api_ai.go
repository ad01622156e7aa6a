package server

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// maxAIRelated bounds the related resources listed per AI resource.
const maxAIRelated = 50

type aiKindJSON struct {
	Kind        string `json:"kind"`
	Provider    string `json:"provider"`
	Description string `json:"description,omitempty"`
	Count       int64  `json:"count"`
}

type aiRelatedJSON struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
	Name string `json:"name,omitempty"`
	Kind string `json:"kind,omitempty"`
	// Data is true when the related resource holds data (a bucket,
	// dataset, database, storage account…): what the AI resource can reach.
	Data bool `json:"data"`
}

type aiFindingJSON struct {
	CheckID  string `json:"check_id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Reason   string `json:"reason,omitempty"`
}

type aiItemJSON struct {
	resourceJSON
	Related  []aiRelatedJSON `json:"related"`
	Failing  []aiFindingJSON `json:"failing"`
	Severity string          `json:"max_severity,omitempty"`
}

// dataKindWords mark the kinds whose resources hold data.
var dataKindWords = []string{"bucket", "dataset", "storage", "database", "_db", "sql", "table", "volume", "disk",
	"snapshot", "knowledge_base", "data_source", "feature_store", "file_system", "cosmos", "redis", "search", "spaces"}

func isDataKind(kind string) bool {
	return slices.ContainsFunc(dataKindWords, func(w string) bool { return strings.Contains(kind, w) })
}

// handleAI is the AI inventory: every resource whose kind is an AI kind
// (resource.Kind.AI), across clouds, paged by UID like the inventory, each
// with the resources it links to (edges from it, data stores marked) and
// its failing findings. provider, kind and q (free text) filter it.
func (s *Server) handleAI(w http.ResponseWriter, r *http.Request) {
	sn, ok := s.snapshotParam(w, r)
	if !ok {
		return
	}
	rq, err := resourceQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if rq.Account != "" || rq.Region != "" || rq.Tag != "" {
		writeError(w, http.StatusBadRequest, "the AI inventory filters by provider, kind and q only")
		return
	}
	ctx := r.Context()
	d, err := s.data.get(ctx, sn.ID)
	if err != nil {
		s.serverError(w, err)
		return
	}
	// The AI kinds present in the snapshot, with their counts.
	counts := map[string]*aiKindJSON{}
	for _, f := range d.Facets {
		k, ok := s.aiKinds[f.Kind]
		if !ok {
			continue
		}
		c := counts[f.Kind]
		if c == nil {
			c = &aiKindJSON{Kind: k.Name, Provider: string(k.Provider), Description: k.Description}
			counts[f.Kind] = c
		}
		c.Count += f.Count
	}
	kinds := make([]aiKindJSON, 0, len(counts))
	var total int64
	for _, c := range counts {
		kinds = append(kinds, *c)
		total += c.Count
	}
	slices.SortFunc(kinds, func(a, b aiKindJSON) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Kind, b.Kind))
	})
	out := map[string]any{"snapshot": sn.ID, "kinds": kinds, "items": []aiItemJSON{}, "resources": total}

	want := rq.Kinds
	rq.Kinds = nil
	for _, k := range kinds {
		if (len(want) == 0 || slices.Contains(want, k.Kind)) && (rq.Provider == "" || string(rq.Provider) == k.Provider) {
			rq.Kinds = append(rq.Kinds, k.Kind)
		}
	}
	if len(rq.Kinds) == 0 {
		if rq.After == "" {
			out["total"] = 0
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	rq.Count = rq.After == ""
	page, err := s.searcher.SearchResources(ctx, sn.ID, rq)
	if err != nil {
		s.serverError(w, err)
		return
	}
	if page.Next != "" {
		out["next_after"] = page.Next
	}
	if rq.Count {
		out["total"] = page.Total
	}
	items, err := s.aiItems(r, sn.ID, page.Items)
	if err != nil {
		s.serverError(w, err)
		return
	}
	out["items"] = items
	writeJSON(w, http.StatusOK, out)
}

// aiItems adds to one page of AI resources their related resources and
// failing findings: one query for the page's edges, one lookup of the
// related resources and one of the open findings.
func (s *Server) aiItems(r *http.Request, snapshot int64, rs []resource.Resource) ([]aiItemJSON, error) {
	ctx := r.Context()
	items := make([]aiItemJSON, len(rs))
	at := map[string]int{}
	lits := make([]string, len(rs))
	uids := make([]string, len(rs))
	for i, res := range rs {
		items[i] = aiItemJSON{resourceJSON: resourceItem(res), Related: []aiRelatedJSON{}, Failing: []aiFindingJSON{}}
		at[res.UID] = i
		lits[i] = sqlString(res.UID)
		uids[i] = res.UID
	}
	if len(rs) == 0 {
		return items, nil
	}
	edges, err := s.queryRows(ctx, snapshot, `SELECT from_uid, type, to_uid FROM edges WHERE from_uid IN (`+
		strings.Join(lits, ", ")+`) ORDER BY from_uid, type, to_uid`)
	if err != nil {
		return nil, fmt.Errorf("edges of AI resources: %w", err)
	}
	var targets []string
	for _, e := range edges {
		i := at[str(e[0])]
		if len(items[i].Related) < maxAIRelated {
			items[i].Related = append(items[i].Related, aiRelatedJSON{Type: str(e[1]), UID: str(e[2])})
			targets = append(targets, str(e[2]))
		}
	}
	slices.Sort(targets)
	targets = slices.Compact(targets)
	named := map[string]resource.Resource{}
	for len(targets) > 0 {
		n := min(len(targets), store.MaxSearchLimit)
		page, err := s.searcher.SearchResources(ctx, snapshot, store.ResourceQuery{UIDs: targets[:n], Limit: store.MaxSearchLimit})
		if err != nil {
			return nil, fmt.Errorf("resources related to AI resources: %w", err)
		}
		for _, x := range page.Items {
			named[x.UID] = x
		}
		targets = targets[n:]
	}
	for i := range items {
		for j, rel := range items[i].Related {
			if x, ok := named[rel.UID]; ok {
				items[i].Related[j].Name, items[i].Related[j].Kind = x.Name, x.Kind
				items[i].Related[j].Data = isDataKind(x.Kind)
			}
		}
	}
	fs, err := s.searcher.OpenFindings(ctx, snapshot, uids)
	if err != nil {
		return nil, fmt.Errorf("findings of AI resources: %w", err)
	}
	for _, f := range fs {
		if f.Status != finding.Fail {
			continue
		}
		i := at[f.ResourceUID]
		if len(items[i].Failing) == 0 {
			items[i].Severity = f.Severity.String() // findings come most severe first
		}
		items[i].Failing = append(items[i].Failing, aiFindingJSON{CheckID: f.CheckID, Title: s.checks[f.CheckID].Title,
			Severity: f.Severity.String(), Reason: f.Reason})
	}
	return items, nil
}
