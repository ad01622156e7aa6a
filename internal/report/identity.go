package report

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"cloudward/internal/finding"
)

// FindingUID returns a finding's identity: the hex SHA-256 of its check ID
// and resource UID. It is stable across scans, so OCSF finding_info.uid, the
// ASFF Id and the SARIF fingerprint of one check on one resource stay the
// same from one scan to the next.
func FindingUID(checkID, resourceUID string) string {
	h := sha256.New()
	h.Write([]byte(checkID))
	h.Write([]byte{0}) // neither part contains NUL, so the join is unambiguous
	h.Write([]byte(resourceUID))
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// complianceRef is one framework requirement a check is mapped to.
type complianceRef struct {
	FrameworkID    string
	FrameworkTitle string
	Version        string
	RequirementID  string
}

// label returns e.g. "CIS AWS Foundations 3.0.0 1.5".
func (r complianceRef) label() string {
	parts := []string{r.FrameworkTitle}
	if r.FrameworkTitle == "" {
		parts[0] = r.FrameworkID
	}
	if r.Version != "" {
		parts = append(parts, r.Version)
	}
	return strings.Join(append(parts, r.RequirementID), " ")
}

// complianceIndex maps each check ID to the requirements that list it, in
// framework then requirement order. Its size is bounded by the frameworks,
// not by the findings.
func complianceIndex(fws []FrameworkInfo) map[string][]complianceRef {
	idx := map[string][]complianceRef{}
	for _, fw := range fws {
		for _, req := range fw.Requirements {
			for _, id := range req.CheckIDs {
				refs := idx[id]
				ref := complianceRef{FrameworkID: fw.ID, FrameworkTitle: fw.Title, Version: fw.Version, RequirementID: req.ID}
				if n := len(refs); n > 0 && refs[n-1] == ref {
					continue // a requirement listing a check twice
				}
				idx[id] = append(refs, ref)
			}
		}
	}
	return idx
}

// checkInfo returns what the summary knows about a finding's check, with the
// check ID as title when the summary has none.
func checkInfo(s *Summary, f finding.Finding) CheckInfo {
	c, ok := s.Check(f.CheckID)
	if !ok {
		return CheckInfo{ID: f.CheckID, Title: f.CheckID, Severity: f.Severity, Provider: f.Provider}
	}
	info := c.CheckInfo
	if info.Title == "" {
		info.Title = info.ID
	}
	return info
}

// providerName returns the display name of a provider ID.
func providerName(p string) string {
	switch p {
	case "aws":
		return "AWS"
	case "gcp":
		return "GCP"
	case "azure":
		return "Azure"
	case "digitalocean":
		return "DigitalOcean"
	}
	return p
}

// awsPartition returns the partition of an ARN ("aws", "aws-cn",
// "aws-us-gov"), or "aws" when uid is not an ARN.
func awsPartition(uid string) string {
	if rest, ok := strings.CutPrefix(uid, "arn:"); ok {
		if p, _, ok := strings.Cut(rest, ":"); ok && p != "" {
			return p
		}
	}
	return "aws"
}

// clip cuts s to at most n runes, marking the cut with an ellipsis. Unlike
// truncate it counts runes, not terminal cells, as the formats with length
// limits (ASFF) do.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
