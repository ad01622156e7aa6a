// Package finding holds the result of evaluating one check against one
// resource. It is pure data shared by the engine, the store and the reports.
package finding

import (
	"fmt"
	"strings"
	"time"
)

// Status is the outcome of one check on one resource.
type Status string

// Statuses. ERROR means the check could not be decided (data missing, the
// expression failed); it is never reported as PASS or FAIL.
const (
	Pass  Status = "PASS"
	Fail  Status = "FAIL"
	Error Status = "ERROR"
	Muted Status = "MUTED"
)

// Statuses lists every status in report order.
var Statuses = []Status{Fail, Error, Muted, Pass}

// Severity ranks how bad a failing check is.
type Severity int

// Severities, ordered so that comparisons work.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

// Severities lists every severity from most to least severe.
var Severities = []Severity{Critical, High, Medium, Low, Info}

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the lower-case name.
func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of %s)", s, strings.Join(severityNames[:], ", "))
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Finding is the result of one check on one resource.
type Finding struct {
	CheckID  string   `json:"check_id"`
	Severity Severity `json:"severity"`
	Status   Status   `json:"status"`
	// Reason explains ERROR (what was missing or failed) and MUTED (the mute
	// rule's reason); empty otherwise.
	Reason string `json:"reason,omitempty"`

	ResourceUID  string `json:"resource_uid"`
	ResourceName string `json:"resource_name"`
	Kind         string `json:"kind"`
	Provider     string `json:"provider"`
	Account      string `json:"account"`
	Region       string `json:"region"`

	// FirstSeen is when this check first found this resource in its current
	// state, across the snapshots of one scope: the start of the earliest
	// scan in the unbroken run of scans where it was FAIL or MUTED (or
	// ERROR). The store sets it when it reads findings back; it is zero
	// for PASS findings and for findings not read from a store.
	FirstSeen time.Time `json:"first_seen,omitzero"`
}

// Validate reports the first structural problem with f: a store refuses
// findings without a check or resource, or with an unknown status or
// severity.
func (f *Finding) Validate() error {
	switch {
	case f.CheckID == "":
		return fmt.Errorf("finding for %s: empty check id", f.ResourceUID)
	case f.ResourceUID == "":
		return fmt.Errorf("finding of %s: empty resource uid", f.CheckID)
	case f.Status != Pass && f.Status != Fail && f.Status != Error && f.Status != Muted:
		return fmt.Errorf("finding of %s on %s: unknown status %q", f.CheckID, f.ResourceUID, f.Status)
	case f.Severity < Info || f.Severity > Critical:
		return fmt.Errorf("finding of %s on %s: unknown %v", f.CheckID, f.ResourceUID, f.Severity)
	}
	return nil
}
