// Package report renders the result of a scan: a terminal summary with a
// findings table, a JSON document, and a progress display for long scans.
//
// Its inputs are plain data. A Summary is built incrementally from every
// finding (Add is cheap and keeps no findings); the renderers then take the
// Summary and a stream of findings, which they encode as they go, so memory
// does not grow with the number of findings. The package never queries a
// cloud, the store or the policy engine: the CLI converts their types into
// Meta, CheckInfo and FrameworkInfo.
//
// One output format is one file: text.go (the terminal table) and json.go.
// output.go parses --output specs and dispatches to the format's writer.
package report

import (
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// Meta describes the scanned snapshot.
type Meta struct {
	// SnapshotID is the store's ID of the snapshot.
	SnapshotID int64
	// Scope is the human-readable scope, e.g. "demo (seed 1, 500 resources)".
	Scope      string
	StartedAt  time.Time
	FinishedAt time.Time
	// Resources is the number of resources collected.
	Resources int64
	// CollectionErrors lists what could not be collected.
	CollectionErrors []resource.CollectionError
}

// Duration returns how long the scan took, or zero when either time is unset.
func (m Meta) Duration() time.Duration {
	if m.StartedAt.IsZero() || m.FinishedAt.IsZero() || m.FinishedAt.Before(m.StartedAt) {
		return 0
	}
	return m.FinishedAt.Sub(m.StartedAt)
}

// CheckInfo is what a report shows about one check.
type CheckInfo struct {
	ID       string
	Title    string
	Severity finding.Severity
	Provider string
	// Area is the shared-responsibility area the check covers
	// (a responsibility.Area value).
	Area string
	// Remediation is the check's remediation text.
	Remediation string
	// Description says what the check verifies; Risk what a failure exposes.
	Description string
	Risk        string
	// RemediationCLI and RemediationTerraform are the check's optional fix
	// as a shell command and as Terraform.
	RemediationCLI       string
	RemediationTerraform string
	// References are documentation URLs.
	References []string
}

// FrameworkInfo is a compliance framework: requirements mapped to checks.
type FrameworkInfo struct {
	ID      string
	Title   string
	Version string
	// Provider is the cloud a provider-specific framework (a CIS benchmark)
	// covers; empty for multi-cloud frameworks. Summary.Frameworks leaves
	// out provider frameworks of clouds the scan has no findings for.
	Provider     string
	Requirements []RequirementInfo
}

// RequirementInfo is one requirement of a framework. A requirement without
// checks is reported as manual.
type RequirementInfo struct {
	ID string
	// Section is the framework's grouping (e.g. "1 Identity and Access
	// Management"); reports score each section.
	Section   string
	Title     string
	Automated bool
	CheckIDs  []string
}
