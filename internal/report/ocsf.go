package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// OCSFVersion is the OCSF schema version of the OCSF output.
const OCSFVersion = "1.3.0"

// OCSF identifiers of a Detection Finding "Create" event.
const (
	ocsfCategoryUID = 2    // Findings
	ocsfClassUID    = 2004 // Detection Finding
	ocsfActivityID  = 1    // Create
	ocsfTypeUID     = ocsfClassUID*100 + ocsfActivityID
)

// The OCSF event's shapes, in the order the fields are written.
type (
	ocsfEvent struct {
		ActivityID   int    `json:"activity_id"`
		ActivityName string `json:"activity_name"`
		CategoryUID  int    `json:"category_uid"`
		CategoryName string `json:"category_name"`
		ClassUID     int    `json:"class_uid"`
		ClassName    string `json:"class_name"`
		TypeUID      int    `json:"type_uid"`
		TypeName     string `json:"type_name"`
		// Time is the finding's creation time in epoch milliseconds.
		Time         int64            `json:"time"`
		SeverityID   int              `json:"severity_id"`
		Severity     string           `json:"severity"`
		StatusID     int              `json:"status_id"`
		Status       string           `json:"status"`
		StatusCode   string           `json:"status_code"`
		StatusDetail string           `json:"status_detail,omitempty"`
		Message      string           `json:"message"`
		FindingInfo  ocsfFindingInfo  `json:"finding_info"`
		Resources    []ocsfResource   `json:"resources"`
		Cloud        ocsfCloud        `json:"cloud"`
		Remediation  *ocsfRemediation `json:"remediation,omitempty"`
		Metadata     ocsfMetadata     `json:"metadata"`
		Unmapped     ocsfUnmapped     `json:"unmapped"`
	}
	ocsfFindingInfo struct {
		UID           string       `json:"uid"`
		Title         string       `json:"title"`
		Desc          string       `json:"desc,omitempty"`
		Types         []string     `json:"types,omitempty"`
		CreatedTime   int64        `json:"created_time"`
		FirstSeenTime int64        `json:"first_seen_time"`
		LastSeenTime  int64        `json:"last_seen_time"`
		Analytic      ocsfAnalytic `json:"analytic"`
	}
	ocsfAnalytic struct {
		UID      string `json:"uid"`
		Name     string `json:"name"`
		TypeID   int    `json:"type_id"`
		Type     string `json:"type"`
		Category string `json:"category,omitempty"`
	}
	ocsfResource struct {
		UID            string `json:"uid"`
		Name           string `json:"name,omitempty"`
		Type           string `json:"type"`
		Region         string `json:"region,omitempty"`
		CloudPartition string `json:"cloud_partition,omitempty"`
	}
	ocsfCloud struct {
		Provider string      `json:"provider"`
		Account  ocsfAccount `json:"account"`
		Region   string      `json:"region,omitempty"`
	}
	ocsfAccount struct {
		UID    string `json:"uid"`
		TypeID int    `json:"type_id,omitempty"`
		Type   string `json:"type,omitempty"`
	}
	ocsfRemediation struct {
		Desc       string   `json:"desc"`
		References []string `json:"references,omitempty"`
	}
	ocsfMetadata struct {
		Version   string      `json:"version"`
		Product   ocsfProduct `json:"product"`
		Profiles  []string    `json:"profiles"`
		EventCode string      `json:"event_code"`
	}
	ocsfProduct struct {
		Name       string `json:"name"`
		VendorName string `json:"vendor_name"`
	}
	// ocsfUnmapped holds what Detection Finding has no attribute for.
	ocsfUnmapped struct {
		CheckID string `json:"check_id"`
		Kind    string `json:"kind"`
		Area    string `json:"area,omitempty"`
		Risk    string `json:"risk,omitempty"`
		// Compliance maps a framework ID to the requirement IDs the check
		// is mapped to. Detection Finding has no compliance object (only
		// Compliance Finding, class 2003, does).
		Compliance           map[string][]string `json:"compliance,omitempty"`
		RemediationCLI       string              `json:"remediation_cli,omitempty"`
		RemediationTerraform string              `json:"remediation_terraform,omitempty"`
	}
)

// ocsfSeverityID maps a severity to OCSF severity_id (1 Informational … 5
// Critical) and its caption.
func ocsfSeverity(sev finding.Severity) (int, string) {
	switch sev {
	case finding.Info:
		return 1, "Informational"
	case finding.Low:
		return 2, "Low"
	case finding.Medium:
		return 3, "Medium"
	case finding.High:
		return 4, "High"
	case finding.Critical:
		return 5, "Critical"
	}
	return 0, "Unknown"
}

// ocsfStatus maps a finding status to the finding's OCSF status_id: FAIL is
// New, PASS Resolved, MUTED Suppressed, and ERROR (undecided) Other.
func ocsfStatus(st finding.Status) (int, string) {
	switch st {
	case finding.Fail:
		return 1, "New"
	case finding.Muted:
		return 3, "Suppressed"
	case finding.Pass:
		return 4, "Resolved"
	}
	return 99, "Error"
}

// ocsfAccountType returns the OCSF account type_id and caption of a
// provider's account, or zero when OCSF has none.
func ocsfAccountType(provider string) (int, string) {
	switch provider {
	case string(resource.AWS):
		return 10, "AWS Account"
	case string(resource.GCP):
		return 11, "GCP Project"
	case string(resource.Azure):
		return 13, "Azure Subscription"
	}
	return 0, ""
}

func epochMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// WriteOCSF writes every finding as one OCSF Detection Finding (class_uid
// 2004, schema OCSFVersion) per line, JSON lines. Findings stream through
// one at a time, so memory does not grow with their number. The finding's
// uid is FindingUID; its times are the scan's, since the store does not
// keep first-seen times yet.
func WriteOCSF(w io.Writer, s *Summary, all iter.Seq2[finding.Finding, error]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)

	m := s.Meta()
	created := epochMillis(m.FinishedAt)
	if created == 0 {
		created = epochMillis(m.StartedAt)
	}
	started := epochMillis(m.StartedAt)
	if started == 0 {
		started = created
	}
	compliance := complianceIndex(s.frameworks)

	for f, err := range all {
		if err != nil {
			return fmt.Errorf("write ocsf report: read findings: %w", err)
		}
		c := checkInfo(s, f)
		sevID, sevName := ocsfSeverity(f.Severity)
		stID, stName := ocsfStatus(f.Status)
		accType, accName := ocsfAccountType(f.Provider)
		ev := ocsfEvent{
			ActivityID: ocsfActivityID, ActivityName: "Create",
			CategoryUID: ocsfCategoryUID, CategoryName: "Findings",
			ClassUID: ocsfClassUID, ClassName: "Detection Finding",
			TypeUID: ocsfTypeUID, TypeName: "Detection Finding: Create",
			Time:       created,
			SeverityID: sevID, Severity: sevName,
			StatusID: stID, Status: stName, StatusCode: string(f.Status), StatusDetail: f.Reason,
			Message: fmt.Sprintf("%s: %s %s", f.Status, c.Title, f.ResourceUID),
			FindingInfo: ocsfFindingInfo{
				UID: FindingUID(f.CheckID, f.ResourceUID), Title: c.Title, Desc: c.Description,
				CreatedTime: created, FirstSeenTime: firstSeenMillis(f, started), LastSeenTime: started,
				Analytic: ocsfAnalytic{UID: f.CheckID, Name: c.Title, TypeID: 1, Type: "Rule", Category: c.Area},
			},
			Resources: []ocsfResource{{UID: f.ResourceUID, Name: f.ResourceName, Type: f.Kind, Region: f.Region}},
			Cloud: ocsfCloud{
				Provider: providerName(f.Provider),
				Account:  ocsfAccount{UID: f.Account, TypeID: accType, Type: accName},
				Region:   f.Region,
			},
			Metadata: ocsfMetadata{
				Version:   OCSFVersion,
				Product:   ocsfProduct{Name: "cloudward", VendorName: "cloudward"},
				Profiles:  []string{"cloud"},
				EventCode: f.CheckID,
			},
			Unmapped: ocsfUnmapped{
				CheckID: f.CheckID, Kind: f.Kind, Area: c.Area, Risk: c.Risk,
				RemediationCLI: c.RemediationCLI, RemediationTerraform: c.RemediationTerraform,
			},
		}
		if c.Area != "" {
			ev.FindingInfo.Types = []string{c.Area}
		}
		if f.Provider == string(resource.AWS) {
			ev.Resources[0].CloudPartition = awsPartition(f.ResourceUID)
		}
		if c.Remediation != "" {
			ev.Remediation = &ocsfRemediation{Desc: c.Remediation, References: c.References}
		}
		if refs := compliance[f.CheckID]; len(refs) > 0 {
			ev.Unmapped.Compliance = map[string][]string{}
			for _, r := range refs {
				ev.Unmapped.Compliance[r.FrameworkID] = append(ev.Unmapped.Compliance[r.FrameworkID], r.RequirementID)
			}
		}
		if err := enc.Encode(&ev); err != nil {
			return fmt.Errorf("write ocsf report: encode finding %s on %s: %w", f.CheckID, f.ResourceUID, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write ocsf report: %w", err)
	}
	return nil
}

// firstSeenMillis is when the store first saw the finding failing (kept
// across scans of one scope), or the scan's start for a finding seen now.
func firstSeenMillis(f finding.Finding, started int64) int64 {
	if f.FirstSeen.IsZero() {
		return started
	}
	return f.FirstSeen.UnixMilli()
}
