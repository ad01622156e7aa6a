package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"testing"

	"cloudward/internal/finding"
)

// generatedUIDs are reused by generated so that the generator itself does
// not allocate and allocation counts measure the report alone.
var generatedUIDs = func() []string {
	uids := make([]string, 1024)
	for i := range uids {
		uids[i] = fmt.Sprintf("arn:aws:s3:::bucket-%04d", i)
	}
	return uids
}()

// generated streams n findings over the fixture's checks without keeping
// them; before is called before each yield with the finding's index.
func generated(n int, before func(i int)) iter.Seq2[finding.Finding, error] {
	return func(yield func(finding.Finding, error) bool) {
		f := finding.Finding{Kind: "aws_s3_bucket", Provider: "aws", Account: "111122223333", Region: "eu-west-1"}
		for i := range n {
			if before != nil {
				before(i)
			}
			c := fixtureChecks[i%len(fixtureChecks)]
			f.CheckID, f.Severity = c.ID, c.Severity
			f.Status = finding.Statuses[i%len(finding.Statuses)]
			f.ResourceUID = generatedUIDs[i%len(generatedUIDs)]
			f.ResourceName = f.ResourceUID[len("arn:aws:s3:::"):]
			if !yield(f, nil) {
				return
			}
		}
	}
}

func TestJSONDocument(t *testing.T) {
	var buf bytes.Buffer
	s := fixtureSummary(fixtureErrors)
	if err := WriteJSON(&buf, s, seq(fixtureFindings)); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("not valid JSON:\n%s", buf.String())
	}
	var doc struct {
		SchemaVersion string `json:"schema_version"`
		Snapshot      struct {
			ID        int64 `json:"id"`
			Resources int64 `json:"resources"`
		} `json:"snapshot"`
		Summary struct {
			Findings   jsonCounts `json:"findings"`
			PassRate   *float64   `json:"pass_rate"`
			Frameworks []struct {
				ID           string   `json:"id"`
				Score        *float64 `json:"score"`
				Requirements []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				} `json:"requirements"`
			} `json:"frameworks"`
		} `json:"summary"`
		CollectionErrors []map[string]string `json:"collection_errors"`
		Findings         []jsonFinding       `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != "1" || doc.Snapshot.ID != 7 || doc.Snapshot.Resources != 14 {
		t.Errorf("head = %+v", doc)
	}
	if doc.Summary.Findings.Total != 14 || doc.Summary.PassRate == nil || *doc.Summary.PassRate != 50 {
		t.Errorf("summary counts = %+v, pass rate %v", doc.Summary.Findings, doc.Summary.PassRate)
	}
	if len(doc.Summary.Frameworks) != 2 || doc.Summary.Frameworks[1].Score == nil || *doc.Summary.Frameworks[1].Score != 50 {
		t.Errorf("frameworks = %+v", doc.Summary.Frameworks)
	}
	if got := doc.Summary.Frameworks[0].Requirements[2]; got.ID != "1.1" || got.Status != "manual" {
		t.Errorf("requirement without checks = %+v, want manual", got)
	}
	if len(doc.CollectionErrors) != 2 || doc.CollectionErrors[1]["op"] != "iam.serviceAccounts.list" {
		t.Errorf("collection_errors = %+v", doc.CollectionErrors)
	}
	if len(doc.Findings) != len(fixtureFindings) {
		t.Fatalf("%d findings, want %d", len(doc.Findings), len(fixtureFindings))
	}
	f := doc.Findings[4]
	if f.Title != "S3 bucket blocks public access" || f.Status != finding.Error || f.Severity != "high" || f.Reason == "" ||
		f.Resource.Name != fixtureFindings[4].ResourceName || f.Remediation == "" {
		t.Errorf("finding 4 = %+v", f)
	}
}

// countingWriter counts bytes and discards them.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// TestJSONStreams checks that findings reach the writer while the stream is
// still running (nothing collects them), that the whole document decodes
// finding by finding, and that allocations per finding do not grow.
func TestJSONStreams(t *testing.T) {
	n := 200_000
	if raceEnabled {
		n = 20_000
	}
	s := NewSummary(fixtureMeta(nil), fixtureChecks, fixtureFrameworks)

	var cw countingWriter
	var writtenAtHalf int64
	err := WriteJSON(&cw, s, generated(n, func(i int) {
		if i == n/2 {
			writtenAtHalf = cw.n
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	// Each finding is about 300 bytes: by the middle of the stream most of
	// the first half must have been written out.
	if writtenAtHalf < cw.n/3 {
		t.Errorf("only %d of %d bytes written when half the findings were read: findings are not streamed", writtenAtHalf, cw.n)
	}

	// Decode a document through a pipe, one finding at a time. A quarter
	// of the findings keeps the test fast (decoding costs more than writing).
	decoded := n / 4
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteJSON(pw, s, generated(decoded, nil))) }()
	dec := json.NewDecoder(pr)
	got, err := countStreamedFindings(dec)
	pr.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got != decoded {
		t.Errorf("decoded %d findings, want %d", got, decoded)
	}

	if raceEnabled {
		return // the race detector changes allocation counts
	}
	// Findings are encoded without allocating: 10× more findings must cost
	// less than one more allocation each (today: none).
	allocs := func(k int) float64 {
		return testing.AllocsPerRun(3, func() {
			if err := WriteJSON(io.Discard, s, generated(k, nil)); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(1_000), allocs(10_000)
	t.Logf("allocations: %v for 1k findings, %v for 10k", small, large)
	if perFinding := (large - small) / 9_000; perFinding >= 1 {
		t.Errorf("%.1f allocations per finding (1k: %v, 10k: %v); want none per finding", perFinding, small, large)
	}
}

// countStreamedFindings reads a JSON report token by token and decodes the
// findings array one element at a time, so memory stays constant.
func countStreamedFindings(dec *json.Decoder) (int, error) {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0, fmt.Errorf("document start: %v %v", tok, err)
	}
	n := 0
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return n, err
		}
		if key != "findings" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return n, fmt.Errorf("value of %v: %w", key, err)
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return n, fmt.Errorf("findings start: %v %v", tok, err)
		}
		for dec.More() {
			var f jsonFinding
			if err := dec.Decode(&f); err != nil {
				return n, fmt.Errorf("finding %d: %w", n, err)
			}
			if f.CheckID == "" || f.Resource.UID == "" {
				return n, fmt.Errorf("finding %d is empty: %+v", n, f)
			}
			n++
		}
		if _, err := dec.Token(); err != nil {
			return n, err
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return n, fmt.Errorf("document end: %v %v", tok, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return n, fmt.Errorf("data after the document: %v", err)
	}
	return n, nil
}

// BenchmarkSummaryAddAndJSON measures the per-finding cost of a report:
// Summary.Add plus WriteJSON.
func BenchmarkSummaryAddAndJSON(b *testing.B) {
	const n = 10_000
	b.ReportAllocs()
	for b.Loop() {
		s := NewSummary(fixtureMeta(nil), fixtureChecks, fixtureFrameworks)
		if err := s.AddAll(generated(n, nil)); err != nil {
			b.Fatal(err)
		}
		if err := WriteJSON(io.Discard, s, generated(n, nil)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/finding")
}
