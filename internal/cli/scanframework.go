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

// frameworkChecks returns the IDs of the checks a framework's requirements
// name, in first-seen order.
func frameworkChecks(fw *policy.Framework) []string {
	var ids []string
	seen := map[string]bool{}
	for _, r := range fw.Requirements {
		for _, id := range r.Checks {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// frameworkSummary recounts a scan's findings for `scan --framework`: only
// the findings of the framework's checks, scored against that framework
// alone.
func frameworkSummary(ctx context.Context, st store.Store, res pipelineResult, cat *catalog, fw *policy.Framework) (*report.Summary, error) {
	checks, fws := cat.reportInfo()
	for _, fi := range fws {
		if fi.ID == fw.ID {
			fws = []report.FrameworkInfo{fi}
			break
		}
	}
	s := report.NewSummary(res.summary.Meta(), checks, fws)
	if err := s.AddAll(frameworkFindings(ctx, st, res.snapshot.ID, fw, nil)); err != nil {
		return nil, fmt.Errorf("framework %s: read findings: %w", fw.ID, err)
	}
	return s, nil
}

// frameworkFindings reads the snapshot's findings of the framework's
// checks with the given statuses (all when empty). A framework without a
// single check has no findings.
func frameworkFindings(ctx context.Context, st store.Store, snapshot int64, fw *policy.Framework, statuses []finding.Status) iter.Seq2[finding.Finding, error] {
	ids := frameworkChecks(fw)
	if len(ids) == 0 {
		return func(func(finding.Finding, error) bool) {}
	}
	return st.Findings(ctx, snapshot, store.FindingFilter{Statuses: statuses, CheckIDs: ids})
}
