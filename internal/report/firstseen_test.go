package report

import (
	"bytes"
	"encoding/json"
	"iter"
	"testing"
	"time"

	"cloudward/internal/finding"
)

func one(f finding.Finding) iter.Seq2[finding.Finding, error] {
	return func(yield func(finding.Finding, error) bool) { yield(f, nil) }
}

// OCSF and ASFF carry when a finding was first seen failing (kept by the
// store across scans), not the current scan's start.
func TestFirstSeenInOCSFAndASFF(t *testing.T) {
	first := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	s := NewSummary(Meta{SnapshotID: 2, StartedAt: start, FinishedAt: start.Add(time.Minute)},
		[]CheckInfo{{ID: "aws-x", Title: "x", Severity: finding.High, Provider: "aws"}}, nil)
	f := finding.Finding{CheckID: "aws-x", Severity: finding.High, Status: finding.Fail,
		ResourceUID: "arn:aws:s3:::b", ResourceName: "b", Kind: "aws_s3_bucket", Provider: "aws",
		Account: "111111111111", Region: "us-east-1", FirstSeen: first}
	s.Add(f)

	var b bytes.Buffer
	if err := WriteOCSF(&b, s, one(f)); err != nil {
		t.Fatal(err)
	}
	var ev struct {
		FindingInfo struct {
			FirstSeen int64 `json:"first_seen_time"`
			LastSeen  int64 `json:"last_seen_time"`
		} `json:"finding_info"`
	}
	if err := json.Unmarshal(b.Bytes(), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.FindingInfo.FirstSeen != first.UnixMilli() || ev.FindingInfo.LastSeen != start.UnixMilli() {
		t.Errorf("OCSF first/last seen = %d/%d, want %d/%d", ev.FindingInfo.FirstSeen, ev.FindingInfo.LastSeen, first.UnixMilli(), start.UnixMilli())
	}

	b.Reset()
	if _, err := WriteASFF(&b, s, one(f)); err != nil {
		t.Fatal(err)
	}
	var afs []struct {
		FirstObservedAt string
		LastObservedAt  string
	}
	if err := json.Unmarshal(b.Bytes(), &afs); err != nil {
		t.Fatal(err)
	}
	if len(afs) != 1 || afs[0].FirstObservedAt != first.Format(time.RFC3339Nano) && afs[0].FirstObservedAt != first.Format(time.RFC3339) {
		t.Errorf("ASFF FirstObservedAt = %+v, want %s", afs, first.Format(time.RFC3339))
	}
}
