package cli

import (
	"context"
	"fmt"
	"iter"

	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/report"
	"cloudward/internal/store"
)

// frameworkChecks returns the IDs of the checks the frameworks'
// requirements name, in first-seen order.
func frameworkChecks(fws []*policy.Framework) []string {
	var ids []string
	seen := map[string]bool{}
	for _, fw := range fws {
		for _, r := range fw.Requirements {
			for _, id := range r.Checks {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
	}
	return ids
}

// frameworkSummary recounts a scan's findings for `scan --framework`: only
// the findings of the selected frameworks' checks, scored against those
// frameworks alone, each finding tagged with the requirements it serves.
func frameworkSummary(ctx context.Context, st store.Store, res pipelineResult, cat *catalog, selected []*policy.Framework) (*report.Summary, error) {
	checks, all := cat.reportInfo()
	var fws []report.FrameworkInfo
	for _, fw := range selected {
		for _, fi := range all {
			if fi.ID == fw.ID {
				fws = append(fws, fi)
			}
		}
	}
	s := report.NewSummary(res.summary.Meta(), checks, fws)
	s.KeepEmptyFrameworks()
	s.TagRequirements()
	if err := s.AddAll(frameworkFindings(ctx, st, res.snapshot.ID, selected, nil)); err != nil {
		return nil, fmt.Errorf("frameworks: read findings: %w", err)
	}
	return s, nil
}

// frameworkFindings reads the snapshot's findings of the frameworks'
// checks with the given statuses (all when empty). Frameworks without a
// single check have no findings.
func frameworkFindings(ctx context.Context, st store.Store, snapshot int64, fws []*policy.Framework, statuses []finding.Status) iter.Seq2[finding.Finding, error] {
	ids := frameworkChecks(fws)
	if len(ids) == 0 {
		return func(func(finding.Finding, error) bool) {}
	}
	return st.Findings(ctx, snapshot, store.FindingFilter{Statuses: statuses, CheckIDs: ids})
}
