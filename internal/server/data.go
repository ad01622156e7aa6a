package server

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"cloudward/internal/finding"
	"cloudward/internal/report"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
	"cloudward/internal/store"
)

// snapData is what the overview, frameworks, responsibility and facet
// views need of one snapshot. It is computed once per snapshot from two
// aggregate queries (findings and resources counted by group in the
// store), so that no request reads a whole table.
type snapData struct {
	Snapshot   store.Snapshot
	Summary    *report.Summary
	Counts     []findingCount
	Errors     []resource.CollectionError
	NewFailing int64
	Facets     []facetRow
	Areas      []areaRow
}

// findingCount is the number of findings of one severity, status and provider.
type findingCount struct {
	Severity finding.Severity `json:"severity"`
	Status   finding.Status   `json:"status"`
	Provider string           `json:"provider"`
	Count    int64            `json:"count"`
}

// facetRow counts the resources of one provider, account, region and kind.
type facetRow struct {
	Provider string `json:"provider"`
	Account  string `json:"account"`
	Region   string `json:"region"`
	Kind     string `json:"kind"`
	Count    int64  `json:"count"`
}

// areaRow is one cell of the responsibility matrix: the findings of the
// checks of one area on one service model.
type areaRow struct {
	Area   string        `json:"area"`
	Model  string        `json:"service_model"`
	Checks int           `json:"checks"`
	Counts report.Counts `json:"counts"`
}

// savedScore is the compact record of a snapshot kept for trends.
type savedScore struct {
	Frameworks map[string]float64 `json:"frameworks"`
	Failing    map[string]int64   `json:"failing"` // by severity
	Pass       int64              `json:"pass"`
	Fail       int64              `json:"fail"`
	NewFailing int64              `json:"new_failing"`
	Resources  int64              `json:"resources"`
}

type dataEntry struct {
	done chan struct{}
	data *snapData
	err  error
}

// dataCache computes snapData once per snapshot and keeps the newest few.
type dataCache struct {
	s       *Server
	mu      sync.Mutex
	entries map[int64]*dataEntry
	latestN int64 // newest snapshot whose metrics are published
}

const dataCacheSize = 4

func newDataCache(s *Server) *dataCache {
	return &dataCache{s: s, entries: map[int64]*dataEntry{}}
}

// latest returns the data of the newest complete snapshot.
func (c *dataCache) latest(ctx context.Context) (*snapData, error) {
	sn, err := c.s.opts.Store.Latest(ctx)
	if err != nil {
		return nil, err
	}
	return c.get(ctx, sn.ID)
}

// get returns a snapshot's data, computing it if needed. Concurrent callers
// for the same snapshot wait for one computation.
func (c *dataCache) get(ctx context.Context, id int64) (*snapData, error) {
	c.mu.Lock()
	e, ok := c.entries[id]
	if !ok {
		e = &dataEntry{done: make(chan struct{})}
		c.entries[id] = e
		if len(c.entries) > dataCacheSize {
			oldest := id
			for k := range c.entries {
				oldest = min(oldest, k)
			}
			delete(c.entries, oldest)
		}
		c.mu.Unlock()
		// The computation outlives the request that started it.
		e.data, e.err = c.build(context.WithoutCancel(ctx), id)
		close(e.done)
		if e.err != nil {
			c.mu.Lock()
			delete(c.entries, id)
			c.mu.Unlock()
		}
		return e.data, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.data, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *dataCache) build(ctx context.Context, id int64) (*snapData, error) {
	s := c.s
	st := s.opts.Store
	sn, err := st.Snapshot(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, err)
	}
	if sn.Status != store.Complete {
		return nil, fmt.Errorf("snapshot %d is %s: %w", id, sn.Status, store.ErrNotFound)
	}
	d := &snapData{Snapshot: sn}
	if d.Errors, err = st.CollectionErrors(ctx, id); err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, err)
	}
	d.Summary = report.NewSummary(report.Meta{
		SnapshotID: id, Scope: sn.Scope, StartedAt: sn.StartedAt, FinishedAt: sn.FinishedAt,
		Resources: sn.Resources, CollectionErrors: d.Errors,
	}, s.opts.Checks, s.opts.Frameworks)
	type countKey struct {
		sev      finding.Severity
		status   finding.Status
		provider string
	}
	type areaKey struct{ area, model string }
	counts := map[countKey]int64{}
	areas := map[areaKey]*areaRow{}
	areaChecks := map[areaKey]map[string]bool{}
	// The store counts the findings in SQL: a few thousand groups come
	// back instead of every finding, and a store may keep them (SQLite
	// does), so that this is paid once per snapshot, not per server start.
	groups, err := s.searcher.FindingGroups(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d findings: %w", id, err)
	}
	for _, g := range groups {
		f := finding.Finding{CheckID: g.CheckID, Status: g.Status, Severity: g.Severity,
			Provider: g.Provider, Account: g.Account, Region: g.Region, Kind: g.Kind}
		// Summary counts one finding per Add; a group of n is n findings
		// that differ only in their resource, which it does not keep.
		for range g.Count {
			d.Summary.Add(f)
		}
		counts[countKey{g.Severity, g.Status, g.Provider}] += g.Count
		if g.Status == finding.Fail {
			d.NewFailing += g.New
		}
		area := s.checks[g.CheckID].Area
		if area == "" {
			area = "unassigned"
		}
		model := string(s.models[g.Kind])
		if model == "" {
			model = "other"
		}
		k := areaKey{area, model}
		a := areas[k]
		if a == nil {
			a = &areaRow{Area: area, Model: model}
			areas[k] = a
			areaChecks[k] = map[string]bool{}
		}
		switch g.Status {
		case finding.Pass:
			a.Counts.Pass += g.Count
		case finding.Fail:
			a.Counts.Fail += g.Count
		case finding.Muted:
			a.Counts.Muted += g.Count
		default:
			a.Counts.Error += g.Count
		}
		areaChecks[k][g.CheckID] = true
	}
	for k, v := range counts {
		d.Counts = append(d.Counts, findingCount{Severity: k.sev, Status: k.status, Provider: k.provider, Count: v})
	}
	slices.SortFunc(d.Counts, func(a, b findingCount) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.Status, b.Status), cmp.Compare(a.Provider, b.Provider))
	})
	order := map[string]int{}
	for i, a := range responsibility.Areas {
		order[string(a)] = i
	}
	rank := func(a string) int {
		if i, ok := order[a]; ok {
			return i
		}
		return len(order)
	}
	for k, a := range areas {
		a.Checks = len(areaChecks[k])
		d.Areas = append(d.Areas, *a)
	}
	slices.SortFunc(d.Areas, func(a, b areaRow) int {
		return cmp.Or(cmp.Compare(rank(a.Area), rank(b.Area)), cmp.Compare(a.Area, b.Area), cmp.Compare(a.Model, b.Model))
	})
	if d.Facets, err = facets(ctx, s.searcher, id); err != nil {
		return nil, err
	}
	c.publish(ctx, d)
	// The search index of the snapshot: in the background, after the
	// counts (it takes longer, and the overview needs only the counts).
	s.index.start(id)
	return d, nil
}

// facets counts a snapshot's resources by provider, account, region and kind.
func facets(ctx context.Context, se store.Searcher, id int64) ([]facetRow, error) {
	groups, err := se.ResourceGroups(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d facets: %w", id, err)
	}
	out := make([]facetRow, 0, len(groups))
	for _, g := range groups {
		out = append(out, facetRow{Provider: g.Provider, Account: g.Account, Region: g.Region, Kind: g.Kind, Count: g.Count})
	}
	return out, nil
}

// publish saves the snapshot's scores for trends and, when it is the newest
// snapshot seen, sets the metrics from it.
func (c *dataCache) publish(ctx context.Context, d *snapData) {
	s := c.s
	sc := savedScore{Frameworks: map[string]float64{}, Failing: map[string]int64{}, NewFailing: d.NewFailing, Resources: d.Snapshot.Resources}
	for _, fw := range d.Summary.Frameworks() {
		if v, ok := fw.Score(); ok {
			sc.Frameworks[fw.ID] = v
		}
	}
	for _, sev := range finding.Severities {
		sc.Failing[sev.String()] = d.Summary.Severity(sev).Fail
	}
	tot := d.Summary.Totals()
	sc.Pass, sc.Fail = tot.Pass, tot.Fail
	if b, err := json.Marshal(sc); err == nil {
		if err := s.opts.State.SaveScore(ctx, d.Snapshot.ID, d.Snapshot.Scope, d.Snapshot.StartedAt, b); err != nil {
			s.log.Warn("save snapshot scores", "snapshot", d.Snapshot.ID, "err", err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d.Snapshot.ID < c.latestN {
		return
	}
	c.latestN = d.Snapshot.ID
	m := s.metrics
	m.findings.Reset()
	for _, fc := range d.Counts {
		m.findings.WithLabelValues(fc.Severity.String(), string(fc.Status), fc.Provider).Set(float64(fc.Count))
	}
	m.frameworkScore.Reset()
	for id, v := range sc.Frameworks {
		m.frameworkScore.WithLabelValues(id).Set(v)
	}
	m.latestSnapshot.Set(float64(d.Snapshot.ID))
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func num(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}
