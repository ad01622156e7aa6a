package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"cloudward/internal/finding"
)

// The JSON schemas the machine-readable outputs are validated against.
const (
	ocsfSchemaPath  = "testdata/schema/ocsf-1.3.0-detection_finding.schema.json"
	sarifSchemaPath = "testdata/schema/sarif-2.1.0-subset.schema.json"
)

// outputChecks is fixtureChecks with the first check's full documentation,
// so the formats that carry it (OCSF, ASFF, SARIF) show it.
func outputChecks() []CheckInfo {
	checks := slices.Clone(fixtureChecks)
	c := &checks[0]
	c.Description = "All four Block Public Access settings are on."
	c.Risk = "One permissive ACL exposes the bucket's objects."
	c.RemediationCLI = "aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true"
	c.RemediationTerraform = "resource \"aws_s3_bucket_public_access_block\" \"this\" {\n  block_public_acls = true\n}\n"
	c.References = []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"}
	return checks
}

func outputSummary() *Summary {
	s := NewSummary(fixtureMeta(fixtureErrors), outputChecks(), fixtureFrameworks)
	for _, f := range fixtureFindings {
		s.Add(f)
	}
	return s
}

// render writes the fixture in format f, with the statuses f asks for.
func render(t *testing.T, f Format, opts TextOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, outputSummary(), seq(fixtureFindings, f.Statuses()...), opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOutputsGolden(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		opts   TextOptions
		empty  bool
	}{
		{name: "ocsf.jsonl", format: FormatOCSF},
		{name: "asff.json", format: FormatASFF},
		{name: "asff_empty.json", format: FormatASFF, empty: true},
		{name: "sarif.sarif", format: FormatSARIF},
		{name: "sarif_empty.sarif", format: FormatSARIF, empty: true},
		{name: "csv.csv", format: FormatCSV},
		{name: "junit.xml", format: FormatJUnit},
		{name: "junit_empty.xml", format: FormatJUnit, empty: true},
		{name: "markdown.md", format: FormatMarkdown},
		{name: "markdown_capped.md", format: FormatMarkdown, opts: TextOptions{MaxRows: 2}},
		{name: "markdown_empty.md", format: FormatMarkdown, empty: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []byte
			if tt.empty {
				var buf bytes.Buffer
				if err := Write(&buf, tt.format, NewSummary(Meta{Scope: "aws (no accounts)"}, nil, nil), seq(nil), tt.opts); err != nil {
					t.Fatal(err)
				}
				got = buf.Bytes()
			} else {
				got = render(t, tt.format, tt.opts)
				if again := render(t, tt.format, tt.opts); !bytes.Equal(got, again) {
					t.Fatal("output differs between two runs")
				}
			}
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/report -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test ./internal/report -update and review the diff)\n--- got:\n%s", path, got)
			}
		})
	}
}

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return sch
}

func validateJSON(t *testing.T, sch *jsonschema.Schema, doc []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("invalid against the schema: %v\n%s", err, doc)
	}
}

func TestOCSFValidatesAgainstSchema(t *testing.T) {
	sch := compileSchema(t, ocsfSchemaPath)
	lines := bytes.Split(bytes.TrimSuffix(render(t, FormatOCSF, TextOptions{}), []byte("\n")), []byte("\n"))
	if len(lines) != len(fixtureFindings) {
		t.Fatalf("%d lines, want one per finding (%d)", len(lines), len(fixtureFindings))
	}
	for i, line := range lines {
		validateJSON(t, sch, line)
		var ev ocsfEvent
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatal(err)
		}
		f := fixtureFindings[i]
		if ev.ClassUID != 2004 || ev.TypeUID != 200401 || ev.FindingInfo.UID != FindingUID(f.CheckID, f.ResourceUID) ||
			ev.StatusCode != string(f.Status) || ev.Resources[0].UID != f.ResourceUID {
			t.Errorf("line %d = %+v, want finding %+v", i, ev, f)
		}
	}
	// The schema is strict enough to catch a mistake.
	for _, bad := range []string{
		`{"class_uid": 2004}`,
		strings.Replace(string(lines[0]), `"class_uid":2004`, `"class_uid":2003`, 1),
		strings.Replace(string(lines[0]), `"severity_id":5`, `"severity_id":7`, 1),
		strings.Replace(string(lines[0]), `"metadata":{`, `"invented":1,"metadata":{`, 1),
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("schema accepts %s", bad)
		}
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	sch := compileSchema(t, sarifSchemaPath)
	doc := render(t, FormatSARIF, TextOptions{})
	validateJSON(t, sch, doc)

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []sarifRule `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Invocations []sarifInvocation `json:"invocations"`
			Results     []sarifResult     `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(doc, &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	s := outputSummary()
	tot := s.Totals()
	if got, want := len(run.Results), int(tot.Fail+tot.Error+tot.Muted); got != want {
		t.Errorf("%d results, want %d (FAIL + ERROR + MUTED)", got, want)
	}
	for _, r := range run.Results {
		if r.RuleIndex == nil || run.Tool.Driver.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s: ruleIndex %v does not point at its rule", r.RuleID, r.RuleIndex)
		}
		switch r.Properties.Status {
		case "MUTED":
			if len(r.Suppressions) != 1 || r.Suppressions[0].Justification == "" {
				t.Errorf("muted result without its suppression: %+v", r)
			}
		case "ERROR":
			if r.Kind != "review" || r.Level != "none" {
				t.Errorf("error result = %s/%s, want review/none", r.Kind, r.Level)
			}
		}
	}
	if n := len(run.Invocations[0].ToolExecutionNotifications); n != len(fixtureErrors) {
		t.Errorf("%d notifications, want one per collection error", n)
	}
	if h := run.Tool.Driver.Rules[slices.IndexFunc(run.Tool.Driver.Rules, func(r sarifRule) bool {
		return r.ID == "aws-s3-bucket-public-access-blocked"
	})].Help; !strings.Contains(h.Markdown, "```sh\naws s3api") || !strings.Contains(h.Text, "Terraform") {
		t.Errorf("rule help lacks the remediation: %+v", h)
	}
}

func TestASFF(t *testing.T) {
	var buf bytes.Buffer
	stats, err := WriteASFF(&buf, outputSummary(), seq(fixtureFindings))
	if err != nil {
		t.Fatal(err)
	}
	var aws int64
	for _, f := range fixtureFindings {
		if f.Provider == "aws" {
			aws++
		}
	}
	if stats.Written != aws || stats.Skipped != int64(len(fixtureFindings))-aws {
		t.Errorf("stats = %+v, want %d written and the rest skipped", stats, aws)
	}
	var got []asffFinding
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if int64(len(got)) != aws {
		t.Fatalf("%d findings, want %d", len(got), aws)
	}
	arn := regexp.MustCompile(`^arn:aws:securityhub:[a-z0-9-]+:\d{12}:product/\d{12}/default$`)
	for _, f := range got {
		if f.SchemaVersion != "2018-10-08" || !arn.MatchString(f.ProductArn) || len(f.ID) == 0 || f.GeneratorID == "" ||
			f.Title == "" || f.Description == "" || len(f.Resources) != 1 || f.RecordState != "ACTIVE" {
			t.Errorf("incomplete finding: %+v", f)
		}
		if !slices.Contains([]string{"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}, f.Severity.Label) {
			t.Errorf("severity label %q", f.Severity.Label)
		}
		if len(f.Title) > asffMaxTitle || len(f.Description) > asffMaxDescription*4 {
			t.Errorf("title or description too long: %+v", f)
		}
	}
}

func TestJUnitXML(t *testing.T) {
	doc := render(t, FormatJUnit, TextOptions{})
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name     string          `xml:"name,attr"`
			Tests    int             `xml:"tests,attr"`
			Failures int             `xml:"failures,attr"`
			Errors   int             `xml:"errors,attr"`
			Skipped  int             `xml:"skipped,attr"`
			Cases    []junitTestCase `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(doc, &suites); err != nil {
		t.Fatalf("not valid XML: %v\n%s", err, doc)
	}
	if suites.Tests != len(fixtureFindings) || int64(suites.Failures) != outputSummary().Totals().Fail {
		t.Errorf("totals = %d tests, %d failures", suites.Tests, suites.Failures)
	}
	seen := map[string]bool{}
	cases := 0
	for _, s := range suites.Suites {
		if seen[s.Name] {
			t.Errorf("check %s has two suites", s.Name)
		}
		seen[s.Name] = true
		var fail, errs, skip int
		for _, c := range s.Cases {
			cases++
			if c.Classname != s.Name {
				t.Errorf("case %s in suite %s", c.Classname, s.Name)
			}
			if c.Failure != nil {
				fail++
			}
			if c.Error != nil {
				errs++
			}
			if c.Skipped != nil {
				skip++
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != fail || s.Errors != errs || s.Skipped != skip {
			t.Errorf("suite %s counts %d/%d/%d/%d, cases say %d/%d/%d/%d", s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, len(s.Cases), fail, errs, skip)
		}
	}
	if cases != len(fixtureFindings) {
		t.Errorf("%d test cases, want one per finding (%d)", cases, len(fixtureFindings))
	}
}

func TestCSV(t *testing.T) {
	hostile := fnd("org-required-tags", finding.Low, finding.Fail, "=HYPERLINK(\"http://evil\")", "aws", "111122223333", "eu-west-1", "+cmd|' /C calc'!A0")
	var buf bytes.Buffer
	if err := WriteCSV(&buf, outputSummary(), seq(append(slices.Clone(fixtureFindings), hostile))); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(fixtureFindings)+2 || !slices.Equal(rows[0], CSVColumns()) {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	last := rows[len(rows)-1]
	for _, cell := range last {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("cell %q would run as a spreadsheet formula", cell)
		}
	}
	if last[10] != "'+cmd|' /C calc'!A0" {
		t.Errorf("resource name cell = %q", last[10])
	}
}

func TestMarkdownEscapesCloudData(t *testing.T) {
	hostile := fnd("org-required-tags", finding.Low, finding.Fail, "", "aws", "111122223333", "eu-west-1",
		"<img src=x onerror=alert(1)> @security-team | [click](http://evil) *bold* `code`\nnext")
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, outputSummary(), seq([]finding.Finding{hostile}), MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	// Code spans show their content literally (no HTML, links or
	// mentions), so only the text outside them must be escaped.
	// An escaped backtick is not a code span delimiter.
	out := strings.ReplaceAll(buf.String(), "\\`", "")
	if n := strings.Count(out, "`"); n != 4 {
		t.Errorf("%d code span delimiters, want 4 (check ID and resource UID): a backtick in the name ends a span early:\n%s", n, buf.String())
	}
	out = regexp.MustCompile("`[^`]*`").ReplaceAllString(out, "CODE")
	for _, raw := range []string{"<img", "@security-team", "[click]", "*bold*", "\nnext", "| ["} {
		// Unescaped: not preceded by a backslash.
		if regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(raw)).MatchString(out) {
			t.Errorf("markdown contains unescaped %q:\n%s", raw, out)
		}
	}
}

// TestOutputsStream checks that every machine-readable format writes its
// findings while the stream is still running, not after collecting them.
func TestOutputsStream(t *testing.T) {
	n := 40_000
	if raceEnabled {
		n = 4_000
	}
	s := NewSummary(fixtureMeta(nil), fixtureChecks, fixtureFrameworks)
	if err := s.AddAll(generated(n, nil)); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatOCSF, FormatASFF, FormatSARIF, FormatCSV, FormatJUnit} {
		t.Run(string(f), func(t *testing.T) {
			var cw countingWriter
			var writtenAtHalf int64
			err := Write(&cw, f, s, generated(n, func(i int) {
				if i == n/2 {
					writtenAtHalf = cw.n
				}
			}), TextOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if writtenAtHalf < cw.n/3 {
				t.Errorf("only %d of %d bytes written when half the findings were read: findings are not streamed", writtenAtHalf, cw.n)
			}
		})
	}
}

func TestFindingUIDIsStable(t *testing.T) {
	a := FindingUID("aws-iam-root-mfa-enabled", "arn:aws:iam::111122223333:root")
	if a != FindingUID("aws-iam-root-mfa-enabled", "arn:aws:iam::111122223333:root") || len(a) != 64 {
		t.Errorf("FindingUID = %q", a)
	}
	if FindingUID("ab", "c") == FindingUID("a", "bc") {
		t.Error("FindingUID does not separate check ID from resource UID")
	}
}
