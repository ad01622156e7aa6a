package report

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	"cloudward/internal/finding"
)

// SARIFVersion is the SARIF version written.
const SARIFVersion = "2.1.0"

// sarifSchemaURI is the $schema of a SARIF 2.1.0 log.
const sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// sarifFingerprint is the partialFingerprints key holding FindingUID.
const sarifFingerprint = "cloudwardFindingId/v1"

// The SARIF log's shapes, in the order the fields are written.
type (
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		Name                 string             `json:"name"`
		ShortDescription     sarifText          `json:"shortDescription"`
		FullDescription      sarifText          `json:"fullDescription"`
		Help                 sarifText          `json:"help"`
		HelpURI              string             `json:"helpUri,omitempty"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           sarifRuleProps     `json:"properties"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags             []string `json:"tags"`
		Precision        string   `json:"precision"`
		SecuritySeverity string   `json:"security-severity"`
		Severity         string   `json:"cloudward/severity"`
		Compliance       []string `json:"cloudward/compliance,omitempty"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		StartTimeUTC               string              `json:"startTimeUtc,omitempty"`
		EndTimeUTC                 string              `json:"endTimeUtc,omitempty"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level      string             `json:"level"`
		Message    sarifText          `json:"message"`
		Descriptor sarifDescriptorRef `json:"descriptor"`
		Properties map[string]string  `json:"properties"`
	}
	sarifDescriptorRef struct {
		ID string `json:"id"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           *int               `json:"ruleIndex,omitempty"`
		Kind                string             `json:"kind"`
		Level               string             `json:"level"`
		Message             sarifText          `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
		Properties          sarifResultProps   `json:"properties"`
	}
	sarifLocation struct {
		LogicalLocations []sarifLogicalLocation `json:"logicalLocations"`
	}
	sarifLogicalLocation struct {
		Name               string `json:"name"`
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status"`
		Justification string `json:"justification,omitempty"`
	}
	sarifResultProps struct {
		Status   string `json:"cloudward/status"`
		Provider string `json:"cloudward/provider"`
		Account  string `json:"cloudward/account"`
		Region   string `json:"cloudward/region"`
		Kind     string `json:"cloudward/kind"`
	}
)

// sarifLevel maps a severity to the level of a failing result: critical and
// high are errors, medium warnings, low and info notes.
func sarifLevel(sev finding.Severity) string {
	switch {
	case sev >= finding.High:
		return "error"
	case sev == finding.Medium:
		return "warning"
	}
	return "note"
}

// sarifSecuritySeverity is GitHub code scanning's 0–10 security-severity.
func sarifSecuritySeverity(sev finding.Severity) string {
	switch clampSeverity(sev) {
	case finding.Critical:
		return "9.5"
	case finding.High:
		return "8.0"
	case finding.Medium:
		return "5.5"
	case finding.Low:
		return "3.0"
	}
	return "0.0"
}

// sarifRules returns one rule per check with a FAIL, ERROR or MUTED finding,
// sorted by ID, and each rule's index.
func sarifRules(s *Summary) ([]sarifRule, map[string]int) {
	compliance := complianceIndex(s.frameworks)
	var checks []CheckSummary
	for _, c := range s.checks {
		if c.Counts.Fail+c.Counts.Error+c.Counts.Muted > 0 {
			checks = append(checks, c)
		}
	}
	slices.SortFunc(checks, func(a, b CheckSummary) int { return cmp.Compare(a.ID, b.ID) })
	rules := make([]sarifRule, 0, len(checks))
	index := make(map[string]int, len(checks))
	for _, c := range checks {
		title := cmp.Or(c.Title, c.ID)
		r := sarifRule{
			ID: c.ID, Name: title,
			ShortDescription:     sarifText{Text: title},
			FullDescription:      sarifText{Text: strings.TrimSpace(cmp.Or(c.Description, title))},
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(c.Severity)},
			Properties: sarifRuleProps{
				Tags:      []string{"security", "cspm"},
				Precision: "very-high", SecuritySeverity: sarifSecuritySeverity(c.Severity), Severity: c.Severity.String(),
			},
		}
		if c.Provider != "" {
			r.Properties.Tags = append(r.Properties.Tags, c.Provider)
		}
		if c.Area != "" {
			r.Properties.Tags = append(r.Properties.Tags, c.Area)
		}
		for _, ref := range compliance[c.ID] {
			r.Properties.Compliance = append(r.Properties.Compliance, ref.label())
		}
		if len(c.References) > 0 {
			r.HelpURI = c.References[0]
		}
		r.Help = sarifHelp(c.CheckInfo)
		index[c.ID] = len(rules)
		rules = append(rules, r)
	}
	return rules, index
}

// sarifHelp renders a check's risk, remediation and references as text and
// Markdown.
func sarifHelp(c CheckInfo) sarifText {
	var t, md strings.Builder
	section := func(title, body string) {
		body = strings.TrimSpace(body)
		if body == "" {
			return
		}
		fmt.Fprintf(&t, "%s: %s\n", title, body)
		fmt.Fprintf(&md, "**%s:** %s\n\n", title, body)
	}
	code := func(title, lang, body string) {
		body = strings.TrimSpace(body)
		if body == "" {
			return
		}
		fmt.Fprintf(&t, "%s:\n%s\n", title, body)
		fmt.Fprintf(&md, "**%s:**\n\n```%s\n%s\n```\n\n", title, lang, body)
	}
	section("Risk", c.Risk)
	section("Remediation", c.Remediation)
	code("CLI", "sh", c.RemediationCLI)
	code("Terraform", "hcl", c.RemediationTerraform)
	if len(c.References) > 0 {
		t.WriteString("References:\n")
		md.WriteString("**References:**\n\n")
		for _, r := range c.References {
			fmt.Fprintf(&t, "- %s\n", r)
			fmt.Fprintf(&md, "- <%s>\n", r)
		}
	}
	if t.Len() == 0 {
		return sarifText{Text: cmp.Or(c.Title, c.ID)}
	}
	return sarifText{Text: strings.TrimSpace(t.String()), Markdown: strings.TrimSpace(md.String())}
}

// WriteSARIF writes a SARIF 2.1.0 log with one run. Its rules are the
// checks with FAIL, ERROR or MUTED findings (from s), with their remediation
// as help; its results are the findings of all, streamed one at a time so
// memory does not grow with their number. A FAIL is a result of kind "fail"
// whose level follows the severity; a MUTED finding is the same with an
// external, accepted suppression; an ERROR (the check could not decide) is
// a result of kind "review", level "none". PASS findings are skipped. Each
// result's location is a logical location naming the resource UID, and its
// partial fingerprint is FindingUID. Collection errors are tool execution
// notifications.
func WriteSARIF(w io.Writer, s *Summary, all iter.Seq2[finding.Finding, error]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := writeSARIFHead(bw, s); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	_, index := sarifRules(s)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("        ", "  ")
	n := 0
	for f, err := range all {
		if err != nil {
			return fmt.Errorf("write sarif report: read findings: %w", err)
		}
		if f.Status == finding.Pass {
			continue
		}
		r := sarifResultOf(s, f, index)
		buf.Reset()
		if n == 0 {
			buf.WriteString("\n        ")
		} else {
			buf.WriteString(",\n        ")
		}
		if err := enc.Encode(&r); err != nil {
			return fmt.Errorf("write sarif report: encode finding %s on %s: %w", f.CheckID, f.ResourceUID, err)
		}
		if _, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))); err != nil {
			return fmt.Errorf("write sarif report: %w", err)
		}
		n++
	}
	tail := "]\n    }\n  ]\n}\n"
	if n > 0 {
		tail = "\n      ]\n    }\n  ]\n}\n"
	}
	bw.WriteString(tail)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

func sarifResultOf(s *Summary, f finding.Finding, index map[string]int) sarifResult {
	c := checkInfo(s, f)
	r := sarifResult{
		RuleID: f.CheckID, Kind: "fail", Level: sarifLevel(f.Severity),
		Message: sarifText{Text: fmt.Sprintf("%s: %s %s (%s)", c.Title, f.Kind, f.ResourceName, f.ResourceUID)},
		Locations: []sarifLocation{{LogicalLocations: []sarifLogicalLocation{{
			Name: cmp.Or(f.ResourceName, f.ResourceUID), FullyQualifiedName: f.ResourceUID, Kind: "resource",
		}}}},
		PartialFingerprints: map[string]string{sarifFingerprint: FindingUID(f.CheckID, f.ResourceUID)},
		Properties: sarifResultProps{
			Status: string(f.Status), Provider: f.Provider, Account: f.Account, Region: f.Region, Kind: f.Kind,
		},
	}
	if i, ok := index[f.CheckID]; ok {
		r.RuleIndex = &i
	}
	switch f.Status {
	case finding.Muted:
		r.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: f.Reason}}
	case finding.Fail:
	default:
		r.Kind, r.Level = "review", "none"
		r.Message.Text = fmt.Sprintf("%s could not be decided for %s: %s", c.Title, f.ResourceUID, f.Reason)
	}
	return r
}

func writeSARIFHead(w *bufio.Writer, s *Summary) error {
	rules, _ := sarifRules(s)
	m := s.Meta()
	inv := sarifInvocation{ExecutionSuccessful: true}
	if !m.StartedAt.IsZero() {
		inv.StartTimeUTC = m.StartedAt.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if !m.FinishedAt.IsZero() {
		inv.EndTimeUTC = m.FinishedAt.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	for _, e := range m.CollectionErrors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:      "warning",
			Message:    sarifText{Text: fmt.Sprintf("%s %s %s: %s", e.Provider, e.Account, e.Region, e.Message)},
			Descriptor: sarifDescriptorRef{ID: "collection-error/" + string(e.Kind)},
			Properties: map[string]string{
				"cloudward/provider": string(e.Provider), "cloudward/account": e.Account, "cloudward/region": e.Region,
				"cloudward/service": e.Service, "cloudward/operation": e.Op,
			},
		})
	}
	enc := func(v any) ([]byte, error) {
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		e.SetIndent("      ", "  ")
		if err := e.Encode(v); err != nil {
			return nil, err
		}
		return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
	}
	tool, err := enc(sarifTool{Driver: sarifDriver{
		Name: "cloudward", InformationURI: "https://github.com/cloudward/cloudward", Rules: rules,
	}})
	if err != nil {
		return fmt.Errorf("encode tool: %w", err)
	}
	invs, err := enc([]sarifInvocation{inv})
	if err != nil {
		return fmt.Errorf("encode invocations: %w", err)
	}
	fmt.Fprintf(w, "{\n  \"$schema\": %q,\n  \"version\": %q,\n  \"runs\": [\n    {\n", sarifSchemaURI, SARIFVersion)
	fmt.Fprintf(w, "      \"tool\": %s,\n      \"invocations\": %s,\n      \"results\": [", tool, invs)
	return nil
}
