package server

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"cloudward/internal/finding"
	"cloudward/internal/report"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// Paging bounds.
const (
	defaultLimit = 50
	maxLimit     = 500
)

func limitParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, fmt.Errorf("limit: want 1 to %d", maxLimit)
	}
	return n, nil
}

func offsetParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("offset")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errors.New("offset: want a number ≥ 0")
	}
	return n, nil
}

// snapshotParam returns the snapshot the request names with ?snapshot=,
// or the latest complete one. It answers the error itself.
func (s *Server) snapshotParam(w http.ResponseWriter, r *http.Request) (store.Snapshot, bool) {
	ctx := r.Context()
	v := r.URL.Query().Get("snapshot")
	var sn store.Snapshot
	var err error
	if v == "" {
		sn, err = s.opts.Store.Latest(ctx)
	} else {
		id, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			writeError(w, http.StatusBadRequest, "snapshot: want a snapshot ID")
			return sn, false
		}
		sn, err = s.opts.Store.Snapshot(ctx, id)
		if err == nil && sn.Status != store.Complete {
			err = store.ErrNotFound
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such snapshot (is the first scan still running?)")
		return sn, false
	}
	if err != nil {
		s.serverError(w, err)
		return sn, false
	}
	return sn, true
}

func (s *Server) snapData(w http.ResponseWriter, r *http.Request) (*snapData, bool) {
	sn, ok := s.snapshotParam(w, r)
	if !ok {
		return nil, false
	}
	d, err := s.data.get(r.Context(), sn.ID)
	if err != nil {
		s.serverError(w, err)
		return nil, false
	}
	return d, true
}

func (s *Server) handleSnapshots(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	sns, err := s.opts.Store.Snapshots(r.Context())
	if err != nil {
		s.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(sns[:min(limit, len(sns))])})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type severityJSON struct {
	Severity string `json:"severity"`
	report.Counts
}

type frameworkJSON struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Version     string   `json:"version,omitempty"`
	Score       *float64 `json:"score"`
	Passed      int      `json:"passed"`
	Failed      int      `json:"failed"`
	Errored     int      `json:"errored"`
	NoResources int      `json:"no_resources"`
	Manual      int      `json:"manual"`
}

func frameworkInfo(fw report.FrameworkScore) frameworkJSON {
	out := frameworkJSON{ID: fw.ID, Title: fw.Title, Version: fw.Version, Passed: fw.Passed, Failed: fw.Failed,
		Errored: fw.Errored, NoResources: fw.NoResources, Manual: fw.Manual}
	if v, ok := fw.Score(); ok {
		v = float64(int(v*10+0.5)) / 10
		out.Score = &v
	}
	return out
}

type groupJSON struct {
	Provider string `json:"provider"`
	Account  string `json:"account,omitempty"`
	Region   string `json:"region,omitempty"`
	report.Counts
}

type checkJSON struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Provider string `json:"provider"`
	report.Counts
}

func (s *Server) handleOverview(w http.ResponseWriter, r *http.Request) {
	d, ok := s.snapData(w, r)
	if !ok {
		return
	}
	var sev []severityJSON
	for _, v := range finding.Severities {
		sev = append(sev, severityJSON{Severity: v.String(), Counts: d.Summary.Severity(v)})
	}
	var fws []frameworkJSON
	for _, fw := range d.Summary.Frameworks() {
		fws = append(fws, frameworkInfo(fw))
	}
	var provs []groupJSON
	for _, g := range d.Summary.Providers() {
		provs = append(provs, groupJSON{Provider: g.Provider, Counts: g.Counts})
	}
	var top []checkJSON
	for _, c := range d.Summary.TopFailing(10) {
		top = append(top, checkJSON{ID: c.ID, Title: c.Title, Severity: c.Severity.String(), Provider: c.Provider, Counts: c.Counts})
	}
	errs := d.Errors[:min(20, len(d.Errors))]
	writeJSON(w, http.StatusOK, map[string]any{
		"snapshot":          d.Snapshot,
		"totals":            d.Summary.Totals(),
		"severities":        sev,
		"new_failing":       d.NewFailing,
		"frameworks":        nonNil(fws),
		"providers":         nonNil(provs),
		"top_failing":       nonNil(top),
		"collection_errors": map[string]any{"total": len(d.Errors), "items": collectionErrors(errs)},
		"running":           nonNil(s.Running()),
	})
}

type collectionErrorJSON struct {
	Provider string `json:"provider"`
	Account  string `json:"account"`
	Region   string `json:"region"`
	Service  string `json:"service"`
	Op       string `json:"op"`
	Kind     string `json:"kind"`
	Message  string `json:"message"`
}

func collectionErrors(errs []resource.CollectionError) []collectionErrorJSON {
	out := make([]collectionErrorJSON, 0, len(errs))
	for _, e := range errs {
		out = append(out, collectionErrorJSON{Provider: string(e.Provider), Account: e.Account, Region: e.Region,
			Service: e.Service, Op: e.Op, Kind: string(e.Kind), Message: e.Message})
	}
	return out
}

func (s *Server) handleCollectionErrors(w http.ResponseWriter, r *http.Request) {
	d, ok := s.snapData(w, r)
	if !ok {
		return
	}
	limit, err1 := limitParam(r)
	offset, err2 := offsetParam(r)
	if err := errors.Join(err1, err2); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	errs := d.Errors[min(offset, len(d.Errors)):]
	errs = errs[:min(limit, len(errs))]
	writeJSON(w, http.StatusOK, map[string]any{"total": len(d.Errors), "items": collectionErrors(errs)})
}

type countJSON struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

func (s *Server) handleFacets(w http.ResponseWriter, r *http.Request) {
	d, ok := s.snapData(w, r)
	if !ok {
		return
	}
	sums := [4]map[string]int64{{}, {}, {}, {}}
	for _, f := range d.Facets {
		for i, k := range []string{f.Provider, f.Account, f.Region, f.Kind} {
			sums[i][k] += f.Count
		}
	}
	list := func(m map[string]int64) []countJSON {
		out := make([]countJSON, 0, len(m))
		for k, v := range m {
			out = append(out, countJSON{k, v})
		}
		slices.SortFunc(out, func(a, b countJSON) int { return cmp.Compare(a.Name, b.Name) })
		return out
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"providers": list(sums[0]), "accounts": list(sums[1]), "regions": list(sums[2]), "kinds": list(sums[3]),
	})
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func validText(s string) bool {
	return !strings.ContainsRune(s, 0) && len(s) <= 1024 && utf8.ValidString(s)
}

type resourceJSON struct {
	UID        string            `json:"uid"`
	Provider   string            `json:"provider"`
	Account    string            `json:"account"`
	Region     string            `json:"region"`
	Kind       string            `json:"kind"`
	Name       string            `json:"name"`
	Tags       map[string]string `json:"tags"`
	CreatedAt  string            `json:"created_at,omitempty"`
	Properties jsonRaw           `json:"properties,omitempty"`
}

// jsonRaw is a JSON document read from the store, passed through as is.
type jsonRaw string

// MarshalJSON implements json.Marshaler.
func (j jsonRaw) MarshalJSON() ([]byte, error) {
	if j == "" {
		return []byte("null"), nil
	}
	return []byte(j), nil
}

// minSearchText is the shortest free-text search: the length of a trigram.
const minSearchText = 3

// resourceQuery reads an inventory search from the request: provider,
// account, region, kind, tag (key or key=value), q (free text over name
// and UID, ignoring the case of ASCII letters), after (the keyset cursor)
// and limit.
func resourceQuery(r *http.Request) (store.ResourceQuery, error) {
	q := r.URL.Query()
	var rq store.ResourceQuery
	limit, err := limitParam(r)
	if err != nil {
		return rq, err
	}
	rq.Limit = limit
	for _, p := range []struct {
		name string
		dst  *string
	}{{"account", &rq.Account}, {"region", &rq.Region}, {"tag", &rq.Tag}, {"q", &rq.Text}, {"after", &rq.After}} {
		v := q.Get(p.name)
		if !validText(v) {
			return rq, fmt.Errorf("%s: invalid value", p.name)
		}
		*p.dst = v
	}
	rq.Text = strings.TrimSpace(rq.Text)
	if rq.Text != "" && utf8.RuneCountInString(rq.Text) < minSearchText {
		// Shorter text cannot use the trigram index and would read every
		// resource of the snapshot.
		return rq, fmt.Errorf("q: type at least %d characters", minSearchText)
	}
	if v := q.Get("provider"); v != "" {
		if !validText(v) {
			return rq, errors.New("provider: invalid value")
		}
		rq.Provider = resource.Provider(v)
	}
	if v := q.Get("kind"); v != "" {
		if !validText(v) {
			return rq, errors.New("kind: invalid value")
		}
		rq.Kinds = []string{v}
	}
	return rq, nil
}

// handleResources lists a snapshot's resources, filtered and paged by UID
// (keyset paging: ?after= the last UID of the previous page), so a page
// costs the same at any depth. The store answers from the snapshot's
// search index; a search of the newest snapshot of a scope that has none
// yet starts building it (the answer says "indexed": false meanwhile).
func (s *Server) handleResources(w http.ResponseWriter, r *http.Request) {
	sn, ok := s.snapshotParam(w, r)
	if !ok {
		return
	}
	rq, err := resourceQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	filtered := rq.Text != "" || rq.Provider != "" || rq.Account != "" || rq.Region != "" || rq.Tag != "" || len(rq.Kinds) > 0
	// The total of a filtered search is counted on its first page only.
	rq.Count = filtered && rq.After == ""
	page, err := s.searcher.SearchResources(r.Context(), sn.ID, rq)
	if err != nil {
		s.serverError(w, err)
		return
	}
	if !page.Indexed && s.index.newest(sn.ID, sn.Scope) {
		s.index.start(sn.ID)
	}
	items := make([]resourceJSON, 0, len(page.Items))
	for _, res := range page.Items {
		items = append(items, resourceItem(res))
	}
	out := map[string]any{"snapshot": sn.ID, "items": items, "indexed": page.Indexed}
	if page.Next != "" {
		out["next_after"] = page.Next
	}
	switch {
	case !filtered && rq.After == "":
		out["total"] = sn.Resources
	case rq.Count:
		out["total"] = page.Total
	}
	writeJSON(w, http.StatusOK, out)
}

// resourceItem is a listed resource (without properties).
func resourceItem(r resource.Resource) resourceJSON {
	tags := r.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return resourceJSON{UID: r.UID, Provider: string(r.Provider), Account: r.Account, Region: r.Region,
		Kind: r.Kind, Name: r.Name, Tags: tags}
}
