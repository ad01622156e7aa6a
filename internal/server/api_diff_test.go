package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"cloudward/internal/drift"
	"cloudward/internal/finding"
	"cloudward/internal/server"
	"cloudward/internal/store"
)

// storeDiff is the resource and finding part of `cloudward diff`, over the
// harness's store (the CLI adds framework scores).
func storeDiff(h **harness) server.DiffFunc {
	return func(ctx context.Context, oldID, newID int64) (*drift.Report, error) {
		st := (*h).store
		o, err := st.Snapshot(ctx, oldID)
		if err != nil {
			return nil, err
		}
		n, err := st.Snapshot(ctx, newID)
		if err != nil {
			return nil, err
		}
		r := &drift.Report{
			Old: drift.Snapshot{ID: o.ID, Scope: o.Scope, StartedAt: o.StartedAt},
			New: drift.Snapshot{ID: n.ID, Scope: n.Scope, StartedAt: n.StartedAt},
		}
		r.ResourceCounts, err = drift.Resources(st.Resources(ctx, oldID, store.ResourceFilter{}), st.Resources(ctx, newID, store.ResourceFilter{}),
			func(c drift.ResourceChange) error { r.ResourceChanges = append(r.ResourceChanges, c); return nil })
		if err != nil {
			return nil, err
		}
		open := store.FindingFilter{Statuses: []finding.Status{finding.Fail, finding.Muted}}
		r.Findings, err = drift.Findings(st.Findings(ctx, oldID, open), st.Findings(ctx, newID, open))
		return r, err
	}
}

func TestDiffEndpoint(t *testing.T) {
	var h *harness
	h = newHarness(t, server.Options{Diff: storeDiff(&h)})
	defer h.stop()
	first := h.scanAndWait()
	second := h.scanAndWait()

	var got struct {
		Old, New struct {
			ID int64 `json:"id"`
		}
		ResourceCounts struct {
			Added, Removed, Changed, Unchanged int
		} `json:"resource_counts"`
		Findings struct {
			New          []any `json:"new"`
			StillFailing []any `json:"still_failing"`
		}
		Truncated bool `json:"truncated"`
	}
	// Defaults: the newest snapshot against the one before it, same scope;
	// a read token may look.
	h.do("GET", "/api/v1/diff?limit=5", h.reader, nil, http.StatusOK, &got)
	if got.Old.ID != first || got.New.ID != second {
		t.Errorf("compared %d → %d, want %d → %d", got.Old.ID, got.New.ID, first, second)
	}
	if c := got.ResourceCounts; c.Added+c.Removed+c.Changed != 0 || c.Unchanged == 0 {
		t.Errorf("two scans of the same estate: counts %+v", c)
	}
	if len(got.Findings.New) != 0 || len(got.Findings.StillFailing) != 5 || !got.Truncated {
		t.Errorf("new %d, still failing %d (limit 5), truncated %v", len(got.Findings.New), len(got.Findings.StillFailing), got.Truncated)
	}

	h.do("GET", fmt.Sprintf("/api/v1/diff?old=%d&new=%d", first, second), h.reader, nil, http.StatusOK, nil)
	h.do("GET", "/api/v1/diff?new=99999", h.reader, nil, http.StatusNotFound, nil)
	h.do("GET", "/api/v1/diff?old=abc", h.reader, nil, http.StatusBadRequest, nil)
	h.do("GET", "/api/v1/diff", "", nil, http.StatusUnauthorized, nil)
}

func TestDiffEndpointNotConfigured(t *testing.T) {
	h := newHarness(t, server.Options{})
	defer h.stop()
	h.do("GET", "/api/v1/diff", h.reader, nil, http.StatusNotImplemented, nil)
}
