// Package policy is the evaluate stage: it loads checks and frameworks,
// compiles check conditions to CEL programs once, turns the company rules
// into checks of the same shape, and evaluates a stream of resources in
// parallel into findings.
//
// policy never imports collect or store: the caller passes the kind
// registry, the resources (an iter.Seq2, as store.Resources returns) and
// the resources the cross-resource functions need (an Index).
package policy

import (
	"time"

	"cloudward/internal/config"
	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"

	"github.com/google/cel-go/cel"
)

// Check is one compiled check.
type Check struct {
	ID      string
	Aliases []string
	Title   string
	// Severity of a failure.
	Severity finding.Severity
	// Provider is the cloud the check is for; empty for the generated
	// company-rule checks, which apply to every provider.
	Provider resource.Provider
	// Kinds are the resource kinds it evaluates.
	Kinds []string
	Area  responsibility.Area
	// AppliesIf is an optional CEL expression; resources where it is false
	// get no finding.
	AppliesIf string
	// Condition is the CEL expression, true when the resource is compliant.
	Condition   string
	Description string
	Risk        string
	Remediation Remediation
	References  []string
	Tests       []TestCase
	// File and Line locate the check's source ("" for generated checks).
	File string
	Line int
	// Generated is true for checks built from the company rules.
	Generated bool

	condition  cel.Program
	appliesIf  cel.Program
	indexKinds []string
}

// HasID reports whether id is the check's ID or one of its aliases.
func (c *Check) HasID(id string) bool {
	if c.ID == id {
		return true
	}
	for _, a := range c.Aliases {
		if a == id {
			return true
		}
	}
	return false
}

// IndexKinds returns the kinds the check's cross-resource functions read.
func (c *Check) IndexKinds() []string { return c.indexKinds }

// Remediation says how to fix a failing resource.
type Remediation struct {
	Text      string `yaml:"text"`
	CLI       string `yaml:"cli"`
	Terraform string `yaml:"terraform"`
}

// Expectation is a test case's expected outcome.
type Expectation string

// Expectations. Skip means applies_if is false: no finding.
const (
	ExpectPass  Expectation = "pass"
	ExpectFail  Expectation = "fail"
	ExpectError Expectation = "error"
	ExpectSkip  Expectation = "skip"
)

// TestCase is one of a check's own test cases.
type TestCase struct {
	Name   string
	Expect Expectation
	// Resource is the subject; defaults are filled in at load.
	Resource resource.Resource
	// Related are other resources visible to the cross-resource functions.
	Related []resource.Resource
	// Edges link the subject to related resources marked edge: true.
	Edges []resource.Edge
	// Org overrides the company rules when set.
	Org *config.Org
	// Now is the case's scan time.
	Now time.Time
	// Line is where the case starts in the check's file.
	Line int
}

// TestNow returns the scan time of test cases that do not set now:
// 2026-11-01T12:00:00Z.
func TestNow() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }

// TestDefaults returns the account and region test resources of provider
// get when the case does not set them.
func TestDefaults(p resource.Provider) (account, region string) {
	switch p {
	case resource.AWS:
		return "111111111111", "us-east-1"
	case resource.GCP:
		return "demo-project", "us-central1"
	case resource.Azure:
		return "00000000-0000-0000-0000-000000000000", "eastus"
	case resource.DigitalOcean:
		return "do-team", "nyc3"
	}
	return "test-account", "test-region"
}
