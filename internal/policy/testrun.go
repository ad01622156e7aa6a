package policy

import (
	"context"
	"fmt"
	"strings"

	"cloudward/internal/config"
	"cloudward/internal/finding"
)

// TestResult is the outcome of one check test case.
type TestResult struct {
	CheckID string
	File    string
	Line    int
	Case    string
	Want    Expectation
	// Got is pass, fail, error or skip.
	Got Expectation
	// Reason is the evaluation error when Got is error.
	Reason string
}

// OK reports whether the case got what it expected.
func (r TestResult) OK() bool { return r.Want == r.Got }

// String describes the result for a failing test's message.
func (r TestResult) String() string {
	s := fmt.Sprintf("%s:%d: check %s, case %q: got %s, want %s", r.File, r.Line, r.CheckID, r.Case, r.Got, r.Want)
	if r.Reason != "" {
		s += " (" + r.Reason + ")"
	}
	return s
}

// RunTest evaluates one of c's test cases: the case's resource alone, with
// its related resources and edges in the index, the case's now, and its org
// rules (none when it sets none).
func RunTest(ctx context.Context, c *Check, tc TestCase) (TestResult, error) {
	res := TestResult{CheckID: c.ID, File: c.File, Line: tc.Line, Case: tc.Name, Want: tc.Expect}
	var org config.Org
	if tc.Org != nil {
		org = *tc.Org
	}
	eng, err := NewEngine([]*Check{c}, EngineOptions{Now: tc.Now, Org: org, Workers: 1})
	if err != nil {
		return res, err
	}
	idx := NewIndex()
	for _, r := range tc.Related {
		if err := idx.AddResource(r); err != nil {
			return res, fmt.Errorf("run test %s/%s: %w", c.ID, tc.Name, err)
		}
	}
	for _, e := range tc.Edges {
		idx.AddEdge(e)
	}
	fs, _, err := eng.EvaluateResource(ctx, tc.Resource, idx)
	if err != nil {
		return res, fmt.Errorf("run test %s/%s: %w", c.ID, tc.Name, err)
	}
	switch len(fs) {
	case 0:
		res.Got = ExpectSkip
	case 1:
		res.Got = Expectation(strings.ToLower(string(fs[0].Status)))
		if fs[0].Status == finding.Error {
			res.Reason = fs[0].Reason
		}
	default:
		return res, fmt.Errorf("run test %s/%s: %d findings for one resource", c.ID, tc.Name, len(fs))
	}
	return res, nil
}
