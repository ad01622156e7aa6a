package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// JSONSchemaVersion is the schema_version of the JSON report. It changes
// only when a field is removed or changes meaning.
const JSONSchemaVersion = "1"

// The JSON document's shapes. Field order is the struct order, so the output
// is deterministic.
type (
	jsonSnapshot struct {
		ID              int64     `json:"id"`
		Scope           string    `json:"scope"`
		StartedAt       time.Time `json:"started_at,omitzero"`
		FinishedAt      time.Time `json:"finished_at,omitzero"`
		DurationSeconds float64   `json:"duration_seconds"`
		Resources       int64     `json:"resources"`
	}
	jsonCounts struct {
		Total int64 `json:"total"`
		Pass  int64 `json:"pass"`
		Fail  int64 `json:"fail"`
		Error int64 `json:"error"`
		Muted int64 `json:"muted"`
	}
	jsonSummary struct {
		Findings   jsonCounts      `json:"findings"`
		PassRate   *float64        `json:"pass_rate"`
		BySeverity []jsonSeverity  `json:"by_severity"`
		ByProvider []jsonGroup     `json:"by_provider"`
		ByAccount  []jsonGroup     `json:"by_account"`
		ByRegion   []jsonGroup     `json:"by_region"`
		Checks     []jsonCheck     `json:"checks"`
		Frameworks []jsonFramework `json:"frameworks"`
		// Responsibility is set when the summary has the section.
		Responsibility *jsonResponsibility `json:"responsibility,omitempty"`
	}
	jsonSeverity struct {
		Severity finding.Severity `json:"severity"`
		jsonCounts
	}
	jsonGroup struct {
		Provider string `json:"provider"`
		Account  string `json:"account,omitempty"`
		Region   string `json:"region,omitempty"`
		jsonCounts
	}
	jsonCheck struct {
		ID       string           `json:"id"`
		Title    string           `json:"title"`
		Severity finding.Severity `json:"severity"`
		Provider string           `json:"provider"`
		Area     string           `json:"area"`
		jsonCounts
	}
	jsonFramework struct {
		ID           string            `json:"id"`
		Title        string            `json:"title"`
		Version      string            `json:"version"`
		Score        *float64          `json:"score"`
		Passed       int               `json:"passed"`
		Failed       int               `json:"failed"`
		Errored      int               `json:"error"`
		NoResources  int               `json:"no_resources"`
		Manual       int               `json:"manual"`
		Requirements []jsonRequirement `json:"requirements"`
	}
	jsonRequirement struct {
		ID        string            `json:"id"`
		Title     string            `json:"title"`
		Automated bool              `json:"automated"`
		Status    RequirementStatus `json:"status"`
		CheckIDs  []string          `json:"check_ids"`
		jsonCounts
	}
	jsonFinding struct {
		CheckID string `json:"check_id"`
		Title   string `json:"title"`
		// Severity is a string, not a finding.Severity, because its
		// MarshalText allocates once per finding.
		Severity    string         `json:"severity"`
		Status      finding.Status `json:"status"`
		Reason      string         `json:"reason"`
		Resource    jsonResource   `json:"resource"`
		Remediation string         `json:"remediation"`
		// Requirements maps each selected framework to the requirement IDs
		// the finding's check serves in it (scan --framework only).
		Requirements map[string][]string `json:"requirements,omitempty"`
	}
	jsonResource struct {
		UID      string `json:"uid"`
		Name     string `json:"name"`
		Kind     string `json:"kind"`
		Provider string `json:"provider"`
		Account  string `json:"account"`
		Region   string `json:"region"`
	}
)

func toJSONCounts(c Counts) jsonCounts {
	return jsonCounts{Total: c.Total(), Pass: c.Pass, Fail: c.Fail, Error: c.Error, Muted: c.Muted}
}

// rounded returns v rounded to two decimals, or nil when !ok.
func rounded(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	r := math.Round(v*100) / 100
	return &r
}

func groupsJSON(gs []Group) []jsonGroup {
	out := make([]jsonGroup, 0, len(gs))
	for _, g := range gs {
		out = append(out, jsonGroup{Provider: g.Provider, Account: g.Account, Region: g.Region, jsonCounts: toJSONCounts(g.Counts)})
	}
	return out
}

func summaryJSON(s *Summary) jsonSummary {
	js := jsonSummary{
		Findings:   toJSONCounts(s.Totals()),
		PassRate:   rounded(s.Totals().PassRate()),
		ByProvider: groupsJSON(s.Providers()),
		ByAccount:  groupsJSON(s.Accounts()),
		ByRegion:   groupsJSON(s.Regions()),
		Checks:     []jsonCheck{},
		Frameworks: []jsonFramework{},
	}
	for _, sev := range finding.Severities {
		js.BySeverity = append(js.BySeverity, jsonSeverity{Severity: sev, jsonCounts: toJSONCounts(s.Severity(sev))})
	}
	for _, c := range s.Checks() {
		js.Checks = append(js.Checks, jsonCheck{ID: c.ID, Title: c.Title, Severity: c.Severity, Provider: c.Provider, Area: c.Area, jsonCounts: toJSONCounts(c.Counts)})
	}
	for _, fw := range s.Frameworks() {
		jf := jsonFramework{
			ID: fw.ID, Title: fw.Title, Version: fw.Version, Score: rounded(fw.Score()),
			Passed: fw.Passed, Failed: fw.Failed, Errored: fw.Errored, NoResources: fw.NoResources, Manual: fw.Manual,
			Requirements: make([]jsonRequirement, 0, len(fw.Requirements)),
		}
		for _, r := range fw.Requirements {
			ids := r.CheckIDs
			if ids == nil {
				ids = []string{}
			}
			jf.Requirements = append(jf.Requirements, jsonRequirement{
				ID: r.ID, Title: r.Title, Automated: r.Automated, Status: r.Status, CheckIDs: ids, jsonCounts: toJSONCounts(r.Counts),
			})
		}
		js.Frameworks = append(js.Frameworks, jf)
	}
	js.Responsibility = responsibilityJSON(s.Responsibility())
	return js
}

// WriteJSON writes one JSON document: schema_version, snapshot, summary
// (counts by status, severity, provider, account, region and check, and each
// framework's score with every requirement's status), collection_errors, and
// findings. Findings are encoded one per line as they stream from all, so
// memory does not grow with their number. An error from all stops the
// document midway and is returned.
func WriteJSON(w io.Writer, s *Summary, all iter.Seq2[finding.Finding, error]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := writeJSONHead(bw, s); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var jf jsonFinding // reused: encoding a pointer to it does not allocate
	n := 0
	for f, err := range all {
		if err != nil {
			return fmt.Errorf("write json report: read findings: %w", err)
		}
		c, _ := s.Check(f.CheckID)
		buf.Reset()
		if n == 0 {
			buf.WriteString("\n    ")
		} else {
			buf.WriteString(",\n    ")
		}
		jf = jsonFinding{
			CheckID: f.CheckID, Title: c.Title, Severity: f.Severity.String(), Status: f.Status, Reason: f.Reason,
			Resource: jsonResource{
				UID: f.ResourceUID, Name: f.ResourceName, Kind: f.Kind,
				Provider: f.Provider, Account: f.Account, Region: f.Region,
			},
			Remediation:  c.Remediation,
			Requirements: s.requirementsOf[f.CheckID],
		}
		if err := enc.Encode(&jf); err != nil {
			return fmt.Errorf("write json report: encode finding %s on %s: %w", f.CheckID, f.ResourceUID, err)
		}
		b := buf.Bytes()
		if _, err := bw.Write(b[:len(b)-1]); err != nil { // drop the encoder's newline
			return fmt.Errorf("write json report: %w", err)
		}
		n++
	}
	tail := "]\n}\n"
	if n > 0 {
		tail = "\n  ]\n}\n"
	}
	if _, err := bw.WriteString(tail); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

func writeJSONHead(w *bufio.Writer, s *Summary) error {
	m := s.Meta()
	errs := m.CollectionErrors
	if errs == nil {
		errs = []resource.CollectionError{}
	}
	parts := []struct {
		key string
		v   any
	}{
		{"schema_version", JSONSchemaVersion},
		{"snapshot", jsonSnapshot{
			ID: m.SnapshotID, Scope: m.Scope, StartedAt: m.StartedAt, FinishedAt: m.FinishedAt,
			DurationSeconds: math.Round(m.Duration().Seconds()*1000) / 1000, Resources: m.Resources,
		}},
		{"summary", summaryJSON(s)},
		{"collection_errors", errs},
	}
	if s.ai != nil {
		parts = append(parts, struct {
			key string
			v   any
		}{"ai_inventory", newAIInventoryJSON(s.ai)})
	}
	w.WriteString("{\n")
	for _, p := range parts {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("  ", "  ")
		if err := enc.Encode(p.v); err != nil {
			return fmt.Errorf("encode %s: %w", p.key, err)
		}
		fmt.Fprintf(w, "  %q: %s,\n", p.key, bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	}
	_, err := w.WriteString(`  "findings": [`)
	return err
}
