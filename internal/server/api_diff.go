package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"cloudward/internal/drift"
	"cloudward/internal/store"
)

// DiffFunc compares two complete snapshots: resources added, removed and
// changed, findings new, resolved and still failing, score changes. The CLI
// passes the same logic `cloudward diff` uses.
type DiffFunc func(ctx context.Context, oldID, newID int64) (*drift.Report, error)

// Diff answers are capped: each list keeps at most this many entries by
// default (limit= raises it up to maxDiffLimit); counts stay complete.
const (
	defaultDiffLimit = 500
	maxDiffLimit     = 5000
)

type diffJSON struct {
	*drift.Report
	// Truncated is true when a list was cut to the limit.
	Truncated bool `json:"truncated"`
}

// handleDiff serves GET /api/v1/diff?old=ID&new=ID. Without new, the
// newest complete snapshot; without old, the newest complete snapshot of the
// same scope before new.
func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	if s.opts.Diff == nil {
		writeError(w, http.StatusNotImplemented, "diff is not available on this server")
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	param := func(name string) (int64, bool) {
		v := q.Get(name)
		if v == "" {
			return 0, true
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil && n > 0
	}
	oldID, ok1 := param("old")
	newID, ok2 := param("new")
	limit, ok3 := param("limit")
	if !ok1 || !ok2 || !ok3 {
		writeError(w, http.StatusBadRequest, "old, new and limit must be positive integers")
		return
	}
	if limit == 0 {
		limit = defaultDiffLimit
	}
	limit = min(limit, maxDiffLimit)

	snaps, err := s.opts.Store.Snapshots(ctx)
	if err != nil {
		s.serverError(w, err)
		return
	}
	var newSn *store.Snapshot
	for i := range snaps {
		if newID == 0 || snaps[i].ID == newID {
			newSn = &snaps[i]
			break
		}
	}
	if newSn == nil {
		writeError(w, http.StatusNotFound, "no such complete snapshot")
		return
	}
	if oldID == 0 {
		for _, sn := range snaps { // newest first
			if sn.Scope == newSn.Scope && sn.ID != newSn.ID && !sn.StartedAt.After(newSn.StartedAt) {
				oldID = sn.ID
				break
			}
		}
		if oldID == 0 {
			writeError(w, http.StatusNotFound, "no earlier snapshot of scope "+newSn.Scope+" to compare with")
			return
		}
	}
	rep, err := s.opts.Diff(ctx, oldID, newSn.ID)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such snapshot")
		return
	}
	if err != nil {
		s.serverError(w, err)
		return
	}
	out := diffJSON{Report: rep}
	cut := func(n int) int {
		if n > int(limit) {
			out.Truncated = true
			return int(limit)
		}
		return n
	}
	rep.ResourceChanges = rep.ResourceChanges[:cut(len(rep.ResourceChanges))]
	rep.Findings.New = rep.Findings.New[:cut(len(rep.Findings.New))]
	rep.Findings.Resolved = rep.Findings.Resolved[:cut(len(rep.Findings.Resolved))]
	rep.Findings.StillFailing = rep.Findings.StillFailing[:cut(len(rep.Findings.StillFailing))]
	writeJSON(w, http.StatusOK, out)
}
