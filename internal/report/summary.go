package report

import (
	"cmp"
	"fmt"
	"iter"
	"slices"

	"cloudward/internal/finding"
)

// Counts counts findings by status.
type Counts struct {
	Pass  int64 `json:"pass"`
	Fail  int64 `json:"fail"`
	Error int64 `json:"error"`
	Muted int64 `json:"muted"`
}

// add counts one finding. A status the package does not know is counted as
// an error: it is neither a pass nor a fail.
func (c *Counts) add(st finding.Status) {
	switch st {
	case finding.Pass:
		c.Pass++
	case finding.Fail:
		c.Fail++
	case finding.Muted:
		c.Muted++
	default:
		c.Error++
	}
}

func (c *Counts) merge(o Counts) {
	c.Pass += o.Pass
	c.Fail += o.Fail
	c.Error += o.Error
	c.Muted += o.Muted
}

// Total returns the number of findings counted.
func (c Counts) Total() int64 { return c.Pass + c.Fail + c.Error + c.Muted }

// Of returns the count for one status.
func (c Counts) Of(st finding.Status) int64 {
	switch st {
	case finding.Pass:
		return c.Pass
	case finding.Fail:
		return c.Fail
	case finding.Muted:
		return c.Muted
	case finding.Error:
		return c.Error
	}
	return 0
}

// PassRate returns PASS / (PASS + FAIL) as a percentage. MUTED and ERROR
// findings are left out. ok is false when there is no PASS or FAIL finding.
func (c Counts) PassRate() (rate float64, ok bool) {
	return percent(c.Pass, c.Pass+c.Fail)
}

func percent(n, d int64) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return 100 * float64(n) / float64(d), true
}

// Group is the counts of one provider, account or region. Provider is always
// set; Account is set for account groups and Region for region groups.
type Group struct {
	Provider string
	Account  string
	Region   string
	Counts   Counts
}

// CheckSummary is the counts of one check. A check that produced findings
// but was not passed to NewSummary has only its ID and severity.
type CheckSummary struct {
	CheckInfo
	Counts Counts
}

// RequirementStatus is the outcome of one framework requirement.
type RequirementStatus string

// Requirement outcomes.
const (
	// RequirementPass: its checks have findings and none failed or errored
	// (MUTED counts as not failing).
	RequirementPass RequirementStatus = "pass"
	// RequirementFail: at least one of its checks has a FAIL finding.
	RequirementFail RequirementStatus = "fail"
	// RequirementError: no FAIL, but at least one ERROR finding, so the
	// requirement could not be decided.
	RequirementError RequirementStatus = "error"
	// RequirementNoResources: its checks have no findings at all.
	RequirementNoResources RequirementStatus = "no_resources"
	// RequirementManual: the requirement has no checks.
	RequirementManual RequirementStatus = "manual"
)

// RequirementResult is a requirement with its outcome and the counts of its
// checks' findings.
type RequirementResult struct {
	RequirementInfo
	Status RequirementStatus
	Counts Counts
}

// FrameworkScore is a framework's result.
type FrameworkScore struct {
	ID           string
	Title        string
	Version      string
	Requirements []RequirementResult
	// Number of requirements by status.
	Passed, Failed, Errored, NoResources, Manual int
}

// Score returns passed / (passed + failed) requirements as a percentage.
// ok is false when no requirement passed or failed.
func (f FrameworkScore) Score() (score float64, ok bool) {
	return percent(int64(f.Passed), int64(f.Passed+f.Failed))
}

type groupKey struct{ provider, second string }

// Summary aggregates findings as they stream by. It keeps counts by status,
// severity, check, provider, account and region, never the findings
// themselves, so its memory is bounded by the number of distinct checks,
// accounts and regions. It is not safe for concurrent use.
type Summary struct {
	// requirementsOf maps a check ID to framework ID → requirement IDs,
	// once TagRequirements has been called.
	requirementsOf map[string]map[string][]string
	meta           Meta
	frameworks     []FrameworkInfo
	// ai is the AI inventory section, when attached (ai.go).
	ai *AIInventory

	checkIndex map[string]int
	checks     []CheckSummary
	// last is the index of the previous finding's check: findings usually
	// arrive grouped by check, so this skips most map lookups.
	last int

	// byKind counts each check's findings per resource kind (for the
	// shared-responsibility section); resp is that section, once set.
	byKind map[checkKind]*Counts
	resp   *ResponsibilitySection

	total      Counts
	bySeverity [finding.Critical + 1]Counts
	providers  map[string]*Counts
	// keepEmptyFrameworks: see KeepEmptyFrameworks.
	keepEmptyFrameworks bool
	accounts            map[groupKey]*Counts
	regions             map[groupKey]*Counts
}

// NewSummary returns an empty summary of the snapshot described by meta.
// checks gives titles, severities and remediations; frameworks are scored
// from the per-check counts. Later duplicates of a check ID are ignored.
func NewSummary(meta Meta, checks []CheckInfo, frameworks []FrameworkInfo) *Summary {
	s := &Summary{
		meta:       meta,
		frameworks: frameworks,
		checkIndex: make(map[string]int, len(checks)),
		checks:     make([]CheckSummary, 0, len(checks)),
		last:       -1,
		providers:  map[string]*Counts{},
		byKind:     map[checkKind]*Counts{},
		accounts:   map[groupKey]*Counts{},
		regions:    map[groupKey]*Counts{},
	}
	for _, c := range checks {
		if _, dup := s.checkIndex[c.ID]; dup {
			continue
		}
		s.checkIndex[c.ID] = len(s.checks)
		s.checks = append(s.checks, CheckSummary{CheckInfo: c})
	}
	return s
}

// Add counts one finding.
func (s *Summary) Add(f finding.Finding) {
	s.total.add(f.Status)
	s.bySeverity[clampSeverity(f.Severity)].add(f.Status)

	i := s.last
	if i < 0 || s.checks[i].ID != f.CheckID {
		var ok bool
		i, ok = s.checkIndex[f.CheckID]
		if !ok {
			i = len(s.checks)
			s.checkIndex[f.CheckID] = i
			s.checks = append(s.checks, CheckSummary{CheckInfo: CheckInfo{ID: f.CheckID, Severity: f.Severity, Provider: f.Provider}})
		}
		s.last = i
	}
	s.checks[i].Counts.add(f.Status)
	counter(s.byKind, checkKind{i, f.Kind}).add(f.Status)

	counter(s.providers, f.Provider).add(f.Status)
	counter(s.accounts, groupKey{f.Provider, f.Account}).add(f.Status)
	counter(s.regions, groupKey{f.Provider, f.Region}).add(f.Status)
}

// AddAll counts every finding of seq and returns the first error it yields.
func (s *Summary) AddAll(seq iter.Seq2[finding.Finding, error]) error {
	for f, err := range seq {
		if err != nil {
			return fmt.Errorf("summarize findings: %w", err)
		}
		s.Add(f)
	}
	return nil
}

func counter[K comparable](m map[K]*Counts, k K) *Counts {
	c := m[k]
	if c == nil {
		c = &Counts{}
		m[k] = c
	}
	return c
}

func clampSeverity(sev finding.Severity) finding.Severity {
	return min(max(sev, finding.Info), finding.Critical)
}

// Meta returns the snapshot description given to NewSummary.
func (s *Summary) Meta() Meta { return s.meta }

// Totals returns the counts of all findings.
func (s *Summary) Totals() Counts { return s.total }

// Severity returns the counts of findings of one severity.
func (s *Summary) Severity(sev finding.Severity) Counts {
	if sev < finding.Info || sev > finding.Critical {
		return Counts{}
	}
	return s.bySeverity[sev]
}

// FailingAtOrAbove returns the number of FAIL findings of severity sev or
// higher, for --fail-on.
func (s *Summary) FailingAtOrAbove(sev finding.Severity) int64 {
	var n int64
	for v := max(sev, finding.Info); v <= finding.Critical; v++ {
		n += s.bySeverity[v].Fail
	}
	return n
}

// Check returns what the summary knows about one check.
func (s *Summary) Check(id string) (CheckSummary, bool) {
	i, ok := s.checkIndex[id]
	if !ok {
		return CheckSummary{}, false
	}
	return s.checks[i], true
}

// Checks returns every check, in the order given to NewSummary followed by
// checks seen only in findings, in order of first appearance.
func (s *Summary) Checks() []CheckSummary { return slices.Clone(s.checks) }

// TopFailing returns up to n checks with FAIL findings, most severe first,
// then most failing resources first, then by ID. n <= 0 means all.
func (s *Summary) TopFailing(n int) []CheckSummary {
	var out []CheckSummary
	for _, c := range s.checks {
		if c.Counts.Fail > 0 {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b CheckSummary) int {
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(b.Counts.Fail, a.Counts.Fail),
			cmp.Compare(a.ID, b.ID),
		)
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// Providers returns the counts per provider, sorted by provider.
func (s *Summary) Providers() []Group {
	out := make([]Group, 0, len(s.providers))
	for p, c := range s.providers {
		out = append(out, Group{Provider: p, Counts: *c})
	}
	sortGroups(out)
	return out
}

// Accounts returns the counts per provider account, sorted by provider then
// account.
func (s *Summary) Accounts() []Group {
	out := make([]Group, 0, len(s.accounts))
	for k, c := range s.accounts {
		out = append(out, Group{Provider: k.provider, Account: k.second, Counts: *c})
	}
	sortGroups(out)
	return out
}

// Regions returns the counts per provider region, sorted by provider then
// region.
func (s *Summary) Regions() []Group {
	out := make([]Group, 0, len(s.regions))
	for k, c := range s.regions {
		out = append(out, Group{Provider: k.provider, Region: k.second, Counts: *c})
	}
	sortGroups(out)
	return out
}

func sortGroups(gs []Group) {
	slices.SortFunc(gs, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region))
	})
}

// Frameworks scores every framework from the findings added so far, in the
// order given to NewSummary. A provider-specific framework whose provider
// has no finding at all (a GCP-only scan and the CIS AWS benchmark) is left
// out, unless KeepEmptyFrameworks was called.
func (s *Summary) Frameworks() []FrameworkScore {
	out := make([]FrameworkScore, 0, len(s.frameworks))
	for _, fw := range s.frameworks {
		if fw.Provider != "" && !s.keepEmptyFrameworks && s.providers[fw.Provider] == nil {
			continue
		}
		out = append(out, s.score(fw))
	}
	return out
}

// KeepEmptyFrameworks makes Frameworks score every framework, also those of
// providers the scan has no findings for: for frameworks a user selected.
func (s *Summary) KeepEmptyFrameworks() { s.keepEmptyFrameworks = true }

func (s *Summary) score(fw FrameworkInfo) FrameworkScore {
	fs := FrameworkScore{ID: fw.ID, Title: fw.Title, Version: fw.Version, Requirements: make([]RequirementResult, 0, len(fw.Requirements))}
	for _, req := range fw.Requirements {
		r := RequirementResult{RequirementInfo: req}
		seen := make(map[string]bool, len(req.CheckIDs))
		for _, id := range req.CheckIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			if c, ok := s.Check(id); ok {
				r.Counts.merge(c.Counts)
			}
		}
		r.Status = requirementStatus(len(req.CheckIDs) > 0, r.Counts)
		switch r.Status {
		case RequirementPass:
			fs.Passed++
		case RequirementFail:
			fs.Failed++
		case RequirementError:
			fs.Errored++
		case RequirementNoResources:
			fs.NoResources++
		case RequirementManual:
			fs.Manual++
		}
		fs.Requirements = append(fs.Requirements, r)
	}
	return fs
}

func requirementStatus(hasChecks bool, c Counts) RequirementStatus {
	switch {
	case !hasChecks:
		return RequirementManual
	case c.Fail > 0:
		return RequirementFail
	case c.Error > 0:
		return RequirementError
	case c.Pass > 0 || c.Muted > 0:
		return RequirementPass
	}
	return RequirementNoResources
}

// SetMeta replaces the snapshot description, for callers that learn the end
// time or the collection errors after counting started.
func (s *Summary) SetMeta(meta Meta) { s.meta = meta }

// TagRequirements makes the JSON report list, in every finding, the
// requirement IDs its check serves in each of the summary's frameworks, so
// a compliance report can be filtered by requirement (scan --framework).
func (s *Summary) TagRequirements() {
	s.requirementsOf = map[string]map[string][]string{}
	for _, fw := range s.frameworks {
		for _, r := range fw.Requirements {
			for _, id := range r.CheckIDs {
				m := s.requirementsOf[id]
				if m == nil {
					m = map[string][]string{}
					s.requirementsOf[id] = m
				}
				if !slices.Contains(m[fw.ID], r.ID) {
					m[fw.ID] = append(m[fw.ID], r.ID)
				}
			}
		}
	}
}
