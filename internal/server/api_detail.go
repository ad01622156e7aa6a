package server

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"cloudward/internal/finding"
	"cloudward/internal/store"
)

// queryCount runs a SELECT count(*) statement.
func (s *Server) queryCount(ctx context.Context, id int64, sql string) (int64, error) {
	rows, err := s.opts.Store.Query(ctx, id, sql)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	if rows.Next() {
		v, err := rows.Values()
		if err != nil {
			return 0, err
		}
		n = num(v[0])
	}
	return n, rows.Err()
}

// queryRows runs sql and returns every row's values.
func (s *Server) queryRows(ctx context.Context, id int64, sql string) ([][]any, error) {
	rows, err := s.opts.Store.Query(ctx, id, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func tagsOf(s string) map[string]string {
	m := map[string]string{}
	if s != "" {
		json.Unmarshal([]byte(s), &m)
	}
	return m
}

type edgeJSON struct {
	Direction string `json:"direction"` // "out" (this → other) or "in"
	Type      string `json:"type"`
	UID       string `json:"uid"`
	Name      string `json:"name,omitempty"`
	Kind      string `json:"kind,omitempty"`
}

type resourceFindingJSON struct {
	CheckID  string `json:"check_id"`
	Title    string `json:"title"`
	Status   string `json:"status"`
	Severity string `json:"severity"`
	Reason   string `json:"reason,omitempty"`
}

// maxEdges bounds the related resources listed for one resource.
const maxEdges = 500

// handleResource returns one resource with its properties, related
// resources (both directions) and open findings.
func (s *Server) handleResource(w http.ResponseWriter, r *http.Request) {
	sn, ok := s.snapshotParam(w, r)
	if !ok {
		return
	}
	uid := r.URL.Query().Get("uid")
	if uid == "" || !validText(uid) {
		writeError(w, http.StatusBadRequest, "uid: required")
		return
	}
	ctx := r.Context()
	lit := sqlString(uid)
	rows, err := s.queryRows(ctx, sn.ID, `SELECT uid, provider, account, region, kind, name, tags, created_at, properties FROM resources WHERE uid = `+lit)
	if err != nil {
		s.serverError(w, err)
		return
	}
	if len(rows) == 0 {
		writeError(w, http.StatusNotFound, "no such resource in this snapshot")
		return
	}
	v := rows[0]
	res := resourceJSON{UID: str(v[0]), Provider: str(v[1]), Account: str(v[2]), Region: str(v[3]), Kind: str(v[4]),
		Name: str(v[5]), Tags: tagsOf(str(v[6])), CreatedAt: str(v[7]), Properties: jsonRaw(str(v[8]))}
	edges := []edgeJSON{}
	erows, err := s.queryRows(ctx, sn.ID, fmt.Sprintf(`SELECT 'out', e.type, e.to_uid, r.name, r.kind FROM edges e LEFT JOIN resources r ON r.uid = e.to_uid WHERE e.from_uid = %[1]s
		UNION ALL SELECT 'in', e.type, e.from_uid, r.name, r.kind FROM edges e LEFT JOIN resources r ON r.uid = e.from_uid WHERE e.to_uid = %[1]s
		LIMIT %d`, lit, maxEdges))
	if err != nil {
		s.serverError(w, err)
		return
	}
	for _, e := range erows {
		edges = append(edges, edgeJSON{Direction: str(e[0]), Type: str(e[1]), UID: str(e[2]), Name: str(e[3]), Kind: str(e[4])})
	}
	// Its open findings (FAIL, ERROR, MUTED), read through the store's
	// index of open findings: a resource's PASS findings have no index,
	// and looking for them would read every finding of the snapshot.
	open, err := s.searcher.OpenFindings(ctx, sn.ID, []string{uid})
	if err != nil {
		s.serverError(w, err)
		return
	}
	rank := map[finding.Status]int{finding.Fail: 0, finding.Error: 1, finding.Muted: 2}
	slices.SortStableFunc(open, func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(rank[a.Status], rank[b.Status]), cmp.Compare(a.CheckID, b.CheckID))
	})
	findings := []resourceFindingJSON{}
	for _, f := range open {
		findings = append(findings, resourceFindingJSON{CheckID: f.CheckID, Title: s.checks[f.CheckID].Title, Status: string(f.Status),
			Severity: f.Severity.String(), Reason: f.Reason})
	}
	writeJSON(w, http.StatusOK, map[string]any{"snapshot": sn.ID, "resource": res, "edges": edges, "findings": findings})
}

type historyJSON struct {
	SnapshotID int64  `json:"snapshot_id"`
	StartedAt  string `json:"started_at"`
	Present    bool   `json:"present"`
	Changed    bool   `json:"changed"`
	Failing    int64  `json:"failing"`
}

// maxHistory is how many snapshots a resource's history looks back.
const maxHistory = 20

// handleResourceHistory tells, for the newest snapshots of the same scope,
// whether the resource was there, whether its properties or tags changed
// since the snapshot before, and how many checks failed on it.
func (s *Server) handleResourceHistory(w http.ResponseWriter, r *http.Request) {
	sn, ok := s.snapshotParam(w, r)
	if !ok {
		return
	}
	uid := r.URL.Query().Get("uid")
	if uid == "" || !validText(uid) {
		writeError(w, http.StatusBadRequest, "uid: required")
		return
	}
	ctx := r.Context()
	all, err := s.opts.Store.Snapshots(ctx)
	if err != nil {
		s.serverError(w, err)
		return
	}
	var snaps []store.Snapshot
	for _, x := range all {
		if x.Scope == sn.Scope && x.ID <= sn.ID && len(snaps) < maxHistory {
			snaps = append(snaps, x)
		}
	}
	lit := sqlString(uid)
	out := make([]historyJSON, len(snaps))
	var prev []byte
	for i := len(snaps) - 1; i >= 0; i-- {
		x := snaps[i]
		h := historyJSON{SnapshotID: x.ID, StartedAt: x.StartedAt.UTC().Format("2006-01-02T15:04:05Z")}
		rows, err := s.queryRows(ctx, x.ID, `SELECT name, tags, properties FROM resources WHERE uid = `+lit)
		if err != nil {
			s.serverError(w, err)
			return
		}
		var sum []byte
		if len(rows) > 0 {
			h.Present = true
			d := sha256.Sum256([]byte(str(rows[0][0]) + "\x00" + str(rows[0][1]) + "\x00" + str(rows[0][2])))
			sum = d[:]
			h.Changed = prev != nil && string(prev) != string(sum)
			open, err := s.searcher.OpenFindings(ctx, x.ID, []string{uid})
			if err != nil {
				s.serverError(w, err)
				return
			}
			for _, f := range open {
				if f.Status == finding.Fail {
					h.Failing++
				}
			}
		}
		prev = sum
		out[i] = h
	}
	writeJSON(w, http.StatusOK, map[string]any{"uid": uid, "items": out})
}

type findingJSON struct {
	finding.Finding
	Title string `json:"title"`
}

// handleFindings lists findings, most severe first, filtered by status
// (default FAIL), minimum severity, check, provider, account, region, kind
// and free text, with offset paging. It streams the store's ordered
// findings and stops as soon as the page is full.
func (s *Server) handleFindings(w http.ResponseWriter, r *http.Request) {
	sn, ok := s.snapshotParam(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, err1 := limitParam(r)
	offset, err2 := offsetParam(r)
	if err := errErr(err1, err2); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var f store.FindingFilter
	statuses := q.Get("status")
	if statuses == "" {
		statuses = "FAIL"
	}
	if statuses != "all" {
		for st := range strings.SplitSeq(statuses, ",") {
			st := finding.Status(strings.ToUpper(strings.TrimSpace(st)))
			switch st {
			case finding.Pass, finding.Fail, finding.Error, finding.Muted:
				f.Statuses = append(f.Statuses, st)
			default:
				writeError(w, http.StatusBadRequest, "status: want PASS, FAIL, ERROR, MUTED or all")
				return
			}
		}
	}
	if v := q.Get("severity"); v != "" {
		sev, err := finding.ParseSeverity(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "severity: "+err.Error())
			return
		}
		f.MinSeverity = sev
	}
	if v := q.Get("check"); v != "" {
		f.CheckIDs = []string{v}
	}
	provider, account, region, kind := q.Get("provider"), q.Get("account"), q.Get("region"), q.Get("kind")
	text := strings.ToLower(strings.TrimSpace(q.Get("q")))
	match := func(fd finding.Finding) bool {
		if (provider != "" && fd.Provider != provider) || (account != "" && fd.Account != account) ||
			(region != "" && fd.Region != region) || (kind != "" && fd.Kind != kind) {
			return false
		}
		if text == "" {
			return true
		}
		return strings.Contains(strings.ToLower(fd.ResourceName), text) || strings.Contains(strings.ToLower(fd.ResourceUID), text) ||
			strings.Contains(strings.ToLower(fd.CheckID), text) || strings.Contains(strings.ToLower(s.checks[fd.CheckID].Title), text)
	}
	items := []findingJSON{}
	skipped, more := 0, false
	for fd, err := range s.opts.Store.Findings(r.Context(), sn.ID, f) {
		if err != nil {
			s.serverError(w, err)
			return
		}
		if !match(fd) {
			continue
		}
		if skipped < offset {
			skipped++
			continue
		}
		if len(items) == limit {
			more = true
			break
		}
		items = append(items, findingJSON{Finding: fd, Title: s.checks[fd.CheckID].Title})
	}
	out := map[string]any{"snapshot": sn.ID, "offset": offset, "items": items, "has_more": more}
	writeJSON(w, http.StatusOK, out)
}

func errErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// handleFinding returns one finding with its check's description, risk and
// remediation, and the mutes that name it.
func (s *Server) handleFinding(w http.ResponseWriter, r *http.Request) {
	sn, ok := s.snapshotParam(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	check, uid := q.Get("check"), q.Get("uid")
	if check == "" || uid == "" {
		writeError(w, http.StatusBadRequest, "check and uid are required")
		return
	}
	var found *finding.Finding
	for fd, err := range s.opts.Store.Findings(r.Context(), sn.ID, store.FindingFilter{CheckIDs: []string{check}}) {
		if err != nil {
			s.serverError(w, err)
			return
		}
		if fd.ResourceUID == uid {
			found = &fd
			break
		}
	}
	if found == nil {
		writeError(w, http.StatusNotFound, "no such finding in this snapshot")
		return
	}
	mutes, err := s.opts.State.Mutes(r.Context())
	if err != nil {
		s.serverError(w, err)
		return
	}
	now := s.opts.Now()
	related := []muteJSON{}
	for _, m := range mutes {
		if m.Check == check && (m.Resource == "" || m.Resource == uid) {
			related = append(related, muteJSON{Mute: m, Active: m.Active(now)})
		}
	}
	c := s.checks[check]
	writeJSON(w, http.StatusOK, map[string]any{
		"snapshot": sn.ID,
		"finding":  findingJSON{Finding: *found, Title: c.Title},
		"check": map[string]any{
			"id": c.ID, "title": c.Title, "severity": c.Severity.String(), "provider": c.Provider, "area": c.Area,
			"description": c.Description, "risk": c.Risk, "remediation": c.Remediation,
			"remediation_cli": c.RemediationCLI, "remediation_terraform": c.RemediationTerraform, "references": nonNil(c.References),
		},
		"mutes": related,
	})
}
