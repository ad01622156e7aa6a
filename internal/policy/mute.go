package policy

import (
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"cloudward/internal/config"
	"cloudward/internal/resource"
)

// MuteResult is how one mute rule fared in one engine's evaluations.
type MuteResult struct {
	// Mute is the rule as given to NewEngine.
	Mute *config.Mute
	// Expired is true when the rule's expiry day had passed at the scan
	// time: it muted nothing and its findings stayed FAIL.
	Expired bool
	// Muted counts the FAIL findings the rule turned into MUTED. A finding
	// matched by several rules counts for the first, in file order.
	Muted int64
}

// Stale reports whether an active rule muted nothing: whatever it was
// written for is fixed or gone, and the rule can be removed.
func (r MuteResult) Stale() bool { return !r.Expired && r.Muted == 0 }

// muteRule is a compiled, active rule with its hit counter.
type muteRule struct {
	*config.MuteMatcher
	hits atomic.Int64
}

// muteIndex holds the active rules by canonical check ID, resolved once
// against the engine's checks (IDs, aliases and check globs), so the hot
// path is one map lookup and the resource matchers of the rules that
// concern that check.
type muteIndex struct {
	byCheck map[string][]*muteRule
	results []MuteResult // in rule order
	rules   []*muteRule  // parallel to results; nil for expired rules
}

func newMuteIndex(checks []*Check, mutes []config.Mute, now time.Time) muteIndex {
	idx := muteIndex{byCheck: map[string][]*muteRule{}}
	for i := range mutes {
		m := &mutes[i]
		idx.results = append(idx.results, MuteResult{Mute: m, Expired: !m.Active(now)})
		if !m.Active(now) {
			idx.rules = append(idx.rules, nil)
			continue
		}
		rule := &muteRule{MuteMatcher: m.Compile()}
		idx.rules = append(idx.rules, rule)
		for _, c := range checks {
			if rule.MatchesCheck(c.ID) || rule.MatchesCheck(c.Aliases...) {
				idx.byCheck[c.ID] = append(idx.byCheck[c.ID], rule)
			}
		}
	}
	return idx
}

// match returns the first active rule that mutes a FAIL of checkID on r,
// counting the hit, or nil.
func (idx *muteIndex) match(checkID string, r *resource.Resource) *config.Mute {
	for _, rule := range idx.byCheck[checkID] {
		if rule.MatchesResource(r) {
			rule.hits.Add(1)
			return rule.Mute
		}
	}
	return nil
}

// MuteResults reports, in the order given to NewEngine, whether each mute
// rule had expired and how many findings it muted in this engine's
// evaluations so far. Call it after Evaluate to find expired and stale
// rules.
func (e *Engine) MuteResults() []MuteResult {
	out := slices.Clone(e.mutes.results)
	for i, rule := range e.mutes.rules {
		if rule != nil {
			out[i].Muted = rule.hits.Load()
		}
	}
	return out
}

// ValidateMutes reports rules whose check matches none of checks (a
// misspelt ID, or a glob that matches no check), each as file:line: reason.
func ValidateMutes(checks []*Check, mutes []config.Mute) error {
	var errs []error
	for i := range mutes {
		m := &mutes[i]
		if config.CompileGlob(m.Check).MatchesAll() {
			continue
		}
		mm := m.Compile()
		if slices.ContainsFunc(checks, func(c *Check) bool { return mm.MatchesCheck(c.ID) || mm.MatchesCheck(c.Aliases...) }) {
			continue
		}
		what := "unknown check"
		if !mm.CheckIsLiteral() {
			what = "a check pattern that matches no check:"
		}
		errs = append(errs, &config.Problem{File: m.File, Line: m.Line, Reason: fmt.Sprintf("mute names %s %q", what, m.Check)})
	}
	return errors.Join(errs...)
}
