package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cloudward/internal/config"
	"cloudward/internal/serverstate"
)

func (s *Server) handleFrameworks(w http.ResponseWriter, r *http.Request) {
	d, ok := s.snapData(w, r)
	if !ok {
		return
	}
	out := []frameworkJSON{}
	for _, fw := range d.Summary.Frameworks() {
		out = append(out, frameworkInfo(fw))
	}
	writeJSON(w, http.StatusOK, map[string]any{"snapshot": d.Snapshot.ID, "items": out})
}

type requirementJSON struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Automated bool     `json:"automated"`
	Checks    []string `json:"checks"`
	Status    string   `json:"status"`
	Pass      int64    `json:"pass"`
	Fail      int64    `json:"fail"`
	Error     int64    `json:"error"`
	Muted     int64    `json:"muted"`
}

func (s *Server) handleFramework(w http.ResponseWriter, r *http.Request) {
	d, ok := s.snapData(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	for _, fw := range d.Summary.Frameworks() {
		if fw.ID != id {
			continue
		}
		reqs := []requirementJSON{}
		for _, rq := range fw.Requirements {
			reqs = append(reqs, requirementJSON{ID: rq.ID, Title: rq.Title, Automated: rq.Automated, Checks: nonNil(rq.CheckIDs),
				Status: string(rq.Status), Pass: rq.Counts.Pass, Fail: rq.Counts.Fail, Error: rq.Counts.Error, Muted: rq.Counts.Muted})
		}
		writeJSON(w, http.StatusOK, map[string]any{"snapshot": d.Snapshot.ID, "framework": frameworkInfo(fw), "requirements": reqs})
		return
	}
	writeError(w, http.StatusNotFound, "no such framework")
}

func (s *Server) handleResponsibility(w http.ResponseWriter, r *http.Request) {
	d, ok := s.snapData(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"snapshot": d.Snapshot.ID, "items": nonNil(d.Areas)})
}

type trendJSON struct {
	SnapshotID int64     `json:"snapshot_id"`
	Scope      string    `json:"scope"`
	At         time.Time `json:"at"`
	savedScore
}

// maxTrend is how many snapshots the trend covers.
const maxTrend = 60

// handleTrend returns the saved scores of the newest snapshots, oldest first.
func (s *Server) handleTrend(w http.ResponseWriter, r *http.Request) {
	scores, err := s.opts.State.Scores(r.Context(), maxTrend)
	if err != nil {
		s.serverError(w, err)
		return
	}
	out := []trendJSON{}
	for _, sc := range slices.Backward(scores) {
		t := trendJSON{SnapshotID: sc.SnapshotID, Scope: sc.Scope, At: sc.At}
		if err := json.Unmarshal(sc.Data, &t.savedScore); err != nil {
			continue
		}
		out = append(out, t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

type muteJSON struct {
	serverstate.Mute
	Active bool `json:"active"`
}

func (s *Server) handleMutes(w http.ResponseWriter, r *http.Request) {
	ms, err := s.opts.State.Mutes(r.Context())
	if err != nil {
		s.serverError(w, err)
		return
	}
	now := s.opts.Now()
	out := []muteJSON{}
	for _, m := range ms {
		out = append(out, muteJSON{Mute: m, Active: m.Active(now)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

// handleAddMute adds a mute: FAIL findings of a check (on one resource, or
// every resource) become MUTED from the next scan on. Who is the token's
// name; why is the required reason.
func (s *Server) handleAddMute(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Check    string `json:"check"`
		Resource string `json:"resource"`
		Reason   string `json:"reason"`
		Expires  string `json:"expires"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Check == "":
		writeError(w, http.StatusBadRequest, "check: required")
		return
	case in.Reason == "":
		writeError(w, http.StatusBadRequest, "reason: required: say why this finding is accepted")
		return
	case len(in.Reason) > 2000 || !validText(in.Resource):
		writeError(w, http.StatusBadRequest, "reason or resource too long")
		return
	}
	if _, ok := s.checks[in.Check]; !ok {
		writeError(w, http.StatusBadRequest, "check: no such check")
		return
	}
	now := s.opts.Now().UTC()
	m := serverstate.Mute{Check: in.Check, Resource: in.Resource, Reason: in.Reason, Owner: principalFrom(r.Context()).token.Name, CreatedAt: now}
	if in.Expires != "" {
		t, err := time.Parse(config.DateLayout, in.Expires)
		if err != nil {
			writeError(w, http.StatusBadRequest, "expires: want YYYY-MM-DD")
			return
		}
		m.Expires = t.AddDate(0, 0, 1) // the mute applies through that day (UTC)
		if !m.Expires.After(now) {
			writeError(w, http.StatusBadRequest, "expires: must not be in the past")
			return
		}
	}
	m, err := s.opts.State.AddMute(r.Context(), m, serverstate.MuteChange{Action: "add", Who: m.Owner, Why: m.Reason, At: now})
	if err != nil {
		s.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, muteJSON{Mute: m, Active: true})
}

func (s *Server) handleExpireMute(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "mute ID: want a number")
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if strings.TrimSpace(in.Reason) == "" {
		writeError(w, http.StatusBadRequest, "reason: required: say why the mute ends")
		return
	}
	who := principalFrom(r.Context()).token.Name
	m, err := s.opts.State.ExpireMute(r.Context(), id, serverstate.MuteChange{Action: "expire", Who: who, Why: strings.TrimSpace(in.Reason), At: s.opts.Now().UTC()})
	if errors.Is(err, serverstate.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such mute")
		return
	}
	if err != nil {
		s.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, muteJSON{Mute: m, Active: false})
}

func (s *Server) handleMuteChanges(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	cs, err := s.opts.State.MuteChanges(r.Context(), limit)
	if err != nil {
		s.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(cs)})
}

func (s *Server) handleScans(w http.ResponseWriter, r *http.Request) {
	limit, err := limitParam(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	runs, err := s.opts.State.Runs(r.Context(), limit)
	if err != nil {
		s.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"items": nonNil(runs), "running": nonNil(s.Running()), "scopes": nonNil(s.opts.Scopes), "schedules": nonNil(s.opts.Schedules),
	})
}

// handleScanNow starts a scan of a scope ("scan now").
func (s *Server) handleScanNow(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Scope string `json:"scope"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if !contains(s.opts.Scopes, in.Scope) {
		writeError(w, http.StatusBadRequest, "scope: unknown (see GET /api/v1/scans)")
		return
	}
	run, err := s.StartScan(in.Scope, "manual:"+principalFrom(r.Context()).token.Name)
	if errors.Is(err, ErrScanRunning) {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	if err != nil {
		s.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, run)
}

// ConfigMutes turns the mutes active at now into company-rule mutes, for
// the scan pipeline to apply next to those of cloudward.yaml.
func ConfigMutes(ms []serverstate.Mute, now time.Time) []config.Mute {
	var out []config.Mute
	for _, m := range ms {
		if !m.Active(now) {
			continue
		}
		out = append(out, config.Mute{Check: m.Check, Resource: m.Resource, Reason: m.Reason, Owner: m.Owner,
			File: "serve API mute", Line: int(m.ID)})
	}
	return out
}
