package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// ASFFSchemaVersion is the AWS Security Finding Format version written.
const ASFFSchemaVersion = "2018-10-08"

// asffDefaultRegion is the region of the product ARN of findings on global
// resources (IAM, the account), which have no region of their own.
const asffDefaultRegion = "us-east-1"

// Length limits of BatchImportFindings.
const (
	asffMaxTitle        = 256
	asffMaxDescription  = 1024
	asffMaxRecommend    = 512
	asffMaxRequirements = 32
)

// The ASFF finding's shapes, in the order the fields are written.
type (
	asffFinding struct {
		SchemaVersion string            `json:"SchemaVersion"`
		ID            string            `json:"Id"`
		ProductArn    string            `json:"ProductArn"`
		ProductName   string            `json:"ProductName"`
		CompanyName   string            `json:"CompanyName"`
		GeneratorID   string            `json:"GeneratorId"`
		AwsAccountID  string            `json:"AwsAccountId"`
		Types         []string          `json:"Types"`
		FirstObserved string            `json:"FirstObservedAt"`
		LastObserved  string            `json:"LastObservedAt"`
		CreatedAt     string            `json:"CreatedAt"`
		UpdatedAt     string            `json:"UpdatedAt"`
		Severity      asffSeverity      `json:"Severity"`
		Title         string            `json:"Title"`
		Description   string            `json:"Description"`
		Remediation   *asffRemediation  `json:"Remediation,omitempty"`
		ProductFields map[string]string `json:"ProductFields"`
		Resources     []asffResource    `json:"Resources"`
		Compliance    asffCompliance    `json:"Compliance"`
		Workflow      asffWorkflow      `json:"Workflow"`
		RecordState   string            `json:"RecordState"`
	}
	asffSeverity struct {
		Label    string `json:"Label"`
		Original string `json:"Original"`
	}
	asffRemediation struct {
		Recommendation asffRecommendation `json:"Recommendation"`
	}
	asffRecommendation struct {
		Text string `json:"Text"`
		URL  string `json:"Url,omitempty"`
	}
	asffResource struct {
		Type      string `json:"Type"`
		ID        string `json:"Id"`
		Partition string `json:"Partition"`
		Region    string `json:"Region,omitempty"`
	}
	asffCompliance struct {
		Status              string   `json:"Status"`
		RelatedRequirements []string `json:"RelatedRequirements,omitempty"`
	}
	asffWorkflow struct {
		Status string `json:"Status"`
	}
)

// asffResourceTypes maps cloudward AWS kinds to ASFF resource types; other
// kinds are "Other".
var asffResourceTypes = map[string]string{
	"aws_account":            "AwsAccount",
	"aws_iam_user":           "AwsIamUser",
	"aws_iam_role":           "AwsIamRole",
	"aws_iam_policy":         "AwsIamPolicy",
	"aws_s3_bucket":          "AwsS3Bucket",
	"aws_ec2_instance":       "AwsEc2Instance",
	"aws_ebs_volume":         "AwsEc2Volume",
	"aws_ec2_security_group": "AwsEc2SecurityGroup",
	"aws_vpc":                "AwsEc2Vpc",
	"aws_kms_key":            "AwsKmsKey",
	"aws_cloudtrail_trail":   "AwsCloudTrailTrail",
	"aws_rds_db_instance":    "AwsRdsDbInstance",
	"aws_lambda_function":    "AwsLambdaFunction",
	"aws_eks_cluster":        "AwsEksCluster",
}

func asffSeverityLabel(sev finding.Severity) string {
	if sev == finding.Info {
		return "INFORMATIONAL"
	}
	return strings.ToUpper(clampSeverity(sev).String())
}

// asffState maps a finding status to Compliance.Status and Workflow.Status:
// FAIL is FAILED/NEW, PASS is PASSED/RESOLVED, MUTED is FAILED/SUPPRESSED,
// and ERROR (undecided) is NOT_AVAILABLE/NEW.
func asffState(st finding.Status) (compliance, workflow string) {
	switch st {
	case finding.Fail:
		return "FAILED", "NEW"
	case finding.Pass:
		return "PASSED", "RESOLVED"
	case finding.Muted:
		return "FAILED", "SUPPRESSED"
	}
	return "NOT_AVAILABLE", "NEW"
}

// ASFFStats counts what WriteASFF wrote and skipped.
type ASFFStats struct {
	// Written is the number of AWS findings written.
	Written int64
	// Skipped is the number of findings on other providers, which Security
	// Hub cannot take.
	Skipped int64
}

// WriteASFF writes the AWS findings of all as a JSON array of AWS Security
// Finding Format findings, the Findings parameter of Security Hub's
// BatchImportFindings (which takes at most 100 per call). Findings on other
// providers are skipped and counted in the returned stats. Findings stream
// through one at a time, so memory does not grow with their number.
//
// Each finding's Id is "cloudward/" + FindingUID; its ProductArn is the
// account's default custom-integration product in the resource's region
// (us-east-1 for global resources). Observed, created and updated times are
// the scan's.
func WriteASFF(w io.Writer, s *Summary, all iter.Seq2[finding.Finding, error]) (ASFFStats, error) {
	var stats ASFFStats
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")

	m := s.Meta()
	started, finished := m.StartedAt, m.FinishedAt
	if finished.IsZero() {
		finished = started
	}
	if started.IsZero() {
		started = finished
	}
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	compliance := complianceIndex(s.frameworks)

	bw.WriteString("[")
	for f, err := range all {
		if err != nil {
			return stats, fmt.Errorf("write asff report: read findings: %w", err)
		}
		if f.Provider != string(resource.AWS) {
			stats.Skipped++
			continue
		}
		c := checkInfo(s, f)
		region := f.Region
		if region == "" || region == resource.GlobalRegion {
			region = asffDefaultRegion
		}
		partition := awsPartition(f.ResourceUID)
		compStatus, workflow := asffState(f.Status)
		af := asffFinding{
			SchemaVersion: ASFFSchemaVersion,
			ID:            "cloudward/" + FindingUID(f.CheckID, f.ResourceUID),
			ProductArn:    fmt.Sprintf("arn:%s:securityhub:%s:%s:product/%s/default", partition, region, f.Account, f.Account),
			ProductName:   "cloudward",
			CompanyName:   "cloudward",
			GeneratorID:   "cloudward/" + f.CheckID,
			AwsAccountID:  f.Account,
			Types:         []string{"Software and Configuration Checks/Cloudward/" + areaOrDefault(c.Area)},
			FirstObserved: ts(firstObserved(f, started)), LastObserved: ts(started),
			CreatedAt: ts(finished), UpdatedAt: ts(finished),
			Severity:    asffSeverity{Label: asffSeverityLabel(f.Severity), Original: f.Severity.String()},
			Title:       clip(c.Title, asffMaxTitle),
			Description: clip(asffDescription(c, f), asffMaxDescription),
			ProductFields: map[string]string{
				"cloudward/CheckId": f.CheckID, "cloudward/Status": string(f.Status), "cloudward/Kind": f.Kind,
			},
			Resources:   []asffResource{{Type: asffResourceType(f.Kind), ID: f.ResourceUID, Partition: partition}},
			Compliance:  asffCompliance{Status: compStatus},
			Workflow:    asffWorkflow{Status: workflow},
			RecordState: "ACTIVE",
		}
		if f.Region != "" && f.Region != resource.GlobalRegion {
			af.Resources[0].Region = f.Region
		}
		if f.Reason != "" {
			af.ProductFields["cloudward/Reason"] = f.Reason
		}
		if c.Remediation != "" {
			af.Remediation = &asffRemediation{Recommendation: asffRecommendation{Text: clip(c.Remediation, asffMaxRecommend)}}
			if len(c.References) > 0 {
				af.Remediation.Recommendation.URL = c.References[0]
			}
		}
		for _, r := range compliance[f.CheckID] {
			if len(af.Compliance.RelatedRequirements) == asffMaxRequirements {
				break
			}
			af.Compliance.RelatedRequirements = append(af.Compliance.RelatedRequirements, r.label())
		}

		buf.Reset()
		if stats.Written == 0 {
			buf.WriteString("\n  ")
		} else {
			buf.WriteString(",\n  ")
		}
		if err := enc.Encode(&af); err != nil {
			return stats, fmt.Errorf("write asff report: encode finding %s on %s: %w", f.CheckID, f.ResourceUID, err)
		}
		if _, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))); err != nil {
			return stats, fmt.Errorf("write asff report: %w", err)
		}
		stats.Written++
	}
	tail := "]\n"
	if stats.Written > 0 {
		tail = "\n]\n"
	}
	bw.WriteString(tail)
	if err := bw.Flush(); err != nil {
		return stats, fmt.Errorf("write asff report: %w", err)
	}
	return stats, nil
}

func asffResourceType(kind string) string {
	if t, ok := asffResourceTypes[kind]; ok {
		return t
	}
	return "Other"
}

func areaOrDefault(area string) string {
	if area == "" {
		return "configuration"
	}
	return area
}

// asffDescription is the check's description (or title), the resource, and
// the reason of an ERROR or MUTED finding.
func asffDescription(c CheckInfo, f finding.Finding) string {
	d := c.Description
	if d == "" {
		d = c.Title
	}
	d = strings.TrimSpace(d) + " Resource: " + f.ResourceUID + "."
	if f.Reason != "" {
		d += " " + string(f.Status) + ": " + f.Reason
	}
	return d
}

// firstObserved is when the store first saw the finding failing, or the
// scan's start for a finding seen now.
func firstObserved(f finding.Finding, started time.Time) time.Time {
	if f.FirstSeen.IsZero() {
		return started
	}
	return f.FirstSeen
}
