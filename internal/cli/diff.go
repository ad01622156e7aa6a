package cli

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"cloudward/internal/config"
	"cloudward/internal/drift"
	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/report"
	"cloudward/internal/store"
)

type diffFlags struct {
	db      string
	format  string
	maxRows int
}

func newDiffCmd(e *env) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff [OLD] [NEW]",
		Short: "Show what changed between two snapshots: resources, findings, scores",
		Long: `diff compares two snapshots: resources added, removed and changed (with each
changed property path and its old → new value), findings new, resolved and
still failing (a finding is a check on a resource; only FAIL counts as
failing), and each framework's score.

With no argument it compares the newest complete snapshot with the one
before it of the same scope; with OLD only, OLD with the newest snapshot of
OLD's scope. See docs/drift.md.`,
		Example: `  cloudward diff
  cloudward diff 12
  cloudward diff 12 15 --format markdown > drift.md
  cloudward diff --format json | jq '.findings.new'`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd.Context(), e, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "SQLite database file or postgres:// URL (default: $XDG_DATA_HOME/cloudward/cloudward.db)")
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table, json or markdown")
	fl.IntVar(&f.maxRows, "max-rows", report.DefaultMaxRows, "rows per list in table and markdown output (0: all)")
	return cmd
}

func runDiff(ctx context.Context, e *env, f diffFlags, args []string) error {
	format, err := drift.ParseFormat(f.format)
	if err != nil {
		return usagef("--format: %v", err)
	}
	if f.maxRows < 0 {
		return usagef("--max-rows must not be negative")
	}
	ids := make([]int64, len(args))
	for i, a := range args {
		if ids[i], err = strconv.ParseInt(a, 10, 64); err != nil || ids[i] <= 0 {
			return usagef("snapshot %q: want a snapshot ID (see cloudward query --snapshots)", a)
		}
	}
	path, err := dbPath(f.db)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, path, e.log)
	if err != nil {
		return fmt.Errorf("open store %s: %w", displayDB(path), err)
	}
	defer st.Close()
	oldSn, newSn, err := diffSnapshots(ctx, st, ids)
	if err != nil {
		return err
	}
	cat, err := loadCatalog(catalogOptions{})
	if err != nil {
		return err
	}
	r, err := diffReport(ctx, st, oldSn, newSn, cat)
	if err != nil {
		return err
	}
	return drift.Write(e.stdout, format, r, f.maxRows)
}

// diffSnapshots resolves the command's arguments to two complete snapshots.
func diffSnapshots(ctx context.Context, st store.Store, ids []int64) (store.Snapshot, store.Snapshot, error) {
	var none store.Snapshot
	get := func(id int64) (store.Snapshot, error) {
		sn, err := st.Snapshot(ctx, id)
		if err != nil {
			return none, err
		}
		if sn.Status != store.Complete {
			return none, fmt.Errorf("snapshot %d is %s, not complete", id, sn.Status)
		}
		return sn, nil
	}
	if len(ids) == 2 {
		o, err := get(ids[0])
		if err != nil {
			return none, none, err
		}
		n, err := get(ids[1])
		return o, n, err
	}
	all, err := st.Snapshots(ctx) // newest first
	if err != nil {
		return none, none, err
	}
	if len(ids) == 1 {
		o, err := get(ids[0])
		if err != nil {
			return none, none, err
		}
		for _, sn := range all {
			if sn.Scope == o.Scope && sn.ID != o.ID && !sn.StartedAt.Before(o.StartedAt) {
				return o, sn, nil
			}
		}
		return none, none, fmt.Errorf("no snapshot of scope %q newer than %d to compare with", o.Scope, o.ID)
	}
	if len(all) == 0 {
		return none, none, fmt.Errorf("no snapshot yet: run cloudward scan first: %w", store.ErrNotFound)
	}
	n := all[0]
	for _, sn := range all[1:] {
		if sn.Scope == n.Scope {
			return sn, n, nil
		}
	}
	return none, none, fmt.Errorf("only one snapshot of scope %q (%d): scan again, or name two snapshots", n.Scope, n.ID)
}

// diffReport builds the diff between two snapshots: it merge-joins their
// resource streams, matches their findings and scores both with the
// catalog's frameworks.
func diffReport(ctx context.Context, st store.Store, oldSn, newSn store.Snapshot, cat *catalog) (*drift.Report, error) {
	r := &drift.Report{
		Old: drift.Snapshot{ID: oldSn.ID, Scope: oldSn.Scope, StartedAt: oldSn.StartedAt},
		New: drift.Snapshot{ID: newSn.ID, Scope: newSn.Scope, StartedAt: newSn.StartedAt},
	}
	var err error
	r.ResourceCounts, err = drift.Resources(
		st.Resources(ctx, oldSn.ID, store.ResourceFilter{}),
		st.Resources(ctx, newSn.ID, store.ResourceFilter{}),
		func(c drift.ResourceChange) error {
			r.ResourceChanges = append(r.ResourceChanges, c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("diff resources: %w", err)
	}
	checks, fws := cat.reportInfo()
	oldSum := report.NewSummary(report.Meta{SnapshotID: oldSn.ID}, checks, fws)
	newSum := report.NewSummary(report.Meta{SnapshotID: newSn.ID}, checks, fws)
	r.Findings, err = drift.Findings(
		tee(st.Findings(ctx, oldSn.ID, store.FindingFilter{}), oldSum),
		tee(st.Findings(ctx, newSn.ID, store.FindingFilter{}), newSum))
	if err != nil {
		return nil, fmt.Errorf("diff findings: %w", err)
	}
	oldScores := oldSum.Frameworks()
	for i, ns := range newSum.Frameworks() {
		os := oldScores[i]
		sc := drift.ScoreChange{Framework: ns.ID, Title: ns.Title}
		sc.Old.Value, sc.Old.OK = os.Score()
		sc.New.Value, sc.New.OK = ns.Score()
		if sc.Old.OK || sc.New.OK {
			r.Scores = append(r.Scores, sc)
		}
	}
	return r, nil
}

// tee counts every finding of seq into sum as it passes.
func tee(seq iter.Seq2[finding.Finding, error], sum *report.Summary) iter.Seq2[finding.Finding, error] {
	return func(yield func(finding.Finding, error) bool) {
		for f, err := range seq {
			if err == nil {
				sum.Add(f)
			}
			if !yield(f, err) {
				return
			}
		}
	}
}

// scanDriftFlags are scan's mutes-file and regression-gate flags.
type scanDriftFlags struct {
	mutesPath string
	baseline  string
	failOnNew string
}

func addScanDriftFlags(cmd *cobra.Command, f *scanDriftFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.mutesPath, "mutes", "", "mutes file: governed rules that mark matching FAIL findings MUTED (added to cloudward.yaml's)")
	fl.StringVar(&f.baseline, "baseline", "", "snapshot ID to compare with (\"previous\": the last complete snapshot of the same scope)")
	fl.StringVar(&f.failOnNew, "fail-on-new", "", "with --baseline: exit 1 when a FAIL finding of this severity or above was not FAIL in the baseline")
}

// driftGate is the parsed form of scanDriftFlags.
type driftGate struct {
	failOnNew finding.Severity // -1: off
	baseline  int64            // 0: none; -1: previous of the same scope
}

func (f scanDriftFlags) parse() (driftGate, error) {
	g := driftGate{failOnNew: -1}
	switch f.baseline {
	case "":
	case "previous":
		g.baseline = -1
	default:
		id, err := strconv.ParseInt(f.baseline, 10, 64)
		if err != nil || id <= 0 {
			return g, usagef("--baseline %q: want a snapshot ID or \"previous\"", f.baseline)
		}
		g.baseline = id
	}
	if f.failOnNew != "" {
		if g.baseline == 0 {
			return g, usagef("--fail-on-new needs --baseline SNAPSHOT (or --baseline previous)")
		}
		sev, err := finding.ParseSeverity(f.failOnNew)
		if err != nil {
			return g, usagef("--fail-on-new: %v", err)
		}
		g.failOnNew = sev
	}
	return g, nil
}

// addMutesFile appends the rules of a mutes file to the catalog's and
// validates them against its checks.
func addMutesFile(cat *catalog, path string) error {
	if path == "" {
		return nil
	}
	ms, err := config.LoadMutes(path)
	if err != nil {
		return err
	}
	if err := policy.ValidateMutes(cat.checks, ms); err != nil {
		return err
	}
	cat.config.Mutes = append(cat.config.Mutes, ms...)
	return nil
}

// reportMutes writes a warning for every expired or stale mute rule.
func reportMutes(e *env, results []policy.MuteResult) {
	for _, r := range results {
		m := r.Mute
		switch {
		case r.Expired:
			fmt.Fprintf(e.stderr, "warning: mute rule %s (owner %s) expired on %s and no longer mutes; renew it or fix the findings\n",
				m.Where(), m.Owner, m.Expires.Format(config.DateLayout))
		case r.Stale():
			fmt.Fprintf(e.stderr, "warning: mute rule %s (owner %s) matched no failing finding in this scan; remove it if it is no longer needed\n",
				m.Where(), m.Owner)
		}
	}
}

// mergeMuteResults adds up the results of engines built from the same rules.
func mergeMuteResults(lists ...[]policy.MuteResult) []policy.MuteResult {
	if len(lists) == 0 {
		return nil
	}
	out := slices.Clone(lists[0])
	for _, l := range lists[1:] {
		for i := range out {
			out[i].Muted += l[i].Muted
		}
	}
	return out
}

// checkBaseline compares the scan's FAIL findings with the baseline's and
// reports (and, with --fail-on-new, gates on) findings that newly fail.
func checkBaseline(ctx context.Context, e *env, st store.Store, g driftGate, sn store.Snapshot) error {
	if g.baseline == 0 {
		return nil
	}
	base := g.baseline
	if base < 0 {
		all, err := st.Snapshots(ctx)
		if err != nil {
			return err
		}
		for _, s := range all {
			if s.Scope == sn.Scope && s.ID != sn.ID && !s.StartedAt.After(sn.StartedAt) {
				base = s.ID
				break
			}
		}
	}
	var oldSeq iter.Seq2[finding.Finding, error]
	fails := store.FindingFilter{Statuses: []finding.Status{finding.Fail}}
	if base < 0 {
		fmt.Fprintf(e.stderr, "baseline: no earlier snapshot of scope %q; every failing finding is new\n", sn.Scope)
		oldSeq = func(func(finding.Finding, error) bool) {}
	} else {
		if _, err := st.Snapshot(ctx, base); err != nil {
			return fmt.Errorf("--baseline: %w", err)
		}
		oldSeq = st.Findings(ctx, base, fails)
	}
	d, err := drift.Findings(oldSeq, st.Findings(ctx, sn.ID, fails))
	if err != nil {
		return fmt.Errorf("compare with baseline: %w", err)
	}
	sev := max(g.failOnNew, finding.Info)
	news := drift.AtOrAbove(d.New, sev)
	fmt.Fprintf(e.stderr, "baseline: %d new failing findings at or above %s since snapshot %d (%d resolved, %d still failing)\n",
		len(news), sev, base, len(d.Resolved), len(d.StillFailing))
	if g.failOnNew >= 0 && len(news) > 0 {
		return errFindings
	}
	return nil
}
