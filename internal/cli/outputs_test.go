package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

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

func validate(t *testing.T, sch *jsonschema.Schema, name string, doc []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("%s is not JSON: %v", name, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("%s is invalid against its schema: %v", name, err)
	}
}

// TestScanWritesEveryOutput runs one demo scan with every machine-readable
// format at once and checks each file: OCSF and SARIF against their JSON
// schemas, JUnit as XML, CSV as RFC 4180, ASFF as AWS-only JSON, and that
// all of them agree with the JSON report on the number of findings.
func TestScanWritesEveryOutput(t *testing.T) {
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	spec := strings.Join([]string{
		"table", "json=" + path("a.json"), "sarif=" + path("b.sarif"), "ocsf=" + path("c.ocsf.json"),
		"csv=" + path("d.csv"), "junit=" + path("e.xml"), "asff=" + path("f.json"), "markdown=" + path("g.md"),
	}, ",")
	code, stdout, stderr := run(t, "scan", "--demo", "--db", path("cw.db"), "--output", spec)
	if code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "cloudward scan:") {
		t.Errorf("no table on stdout:\n%s", stdout)
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(path(name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	var rep jsonReport
	if err := json.Unmarshal(read("a.json"), &rep); err != nil {
		t.Fatal(err)
	}
	total, failing, aws := len(rep.Findings), 0, 0
	for _, f := range rep.Findings {
		if f.Status == "FAIL" || f.Status == "ERROR" || f.Status == "MUTED" {
			failing++
		}
		if strings.HasPrefix(f.Resource.UID, "arn:aws") {
			aws++
		}
	}
	if total == 0 || failing == 0 {
		t.Fatalf("demo scan found %d findings, %d failing", total, failing)
	}

	ocsf := compileSchema(t, "../report/testdata/schema/ocsf-1.3.0-detection_finding.schema.json")
	lines := bytes.Split(bytes.TrimSuffix(read("c.ocsf.json"), []byte("\n")), []byte("\n"))
	if len(lines) != total {
		t.Errorf("%d OCSF events, want %d", len(lines), total)
	}
	for _, l := range lines {
		validate(t, ocsf, "OCSF event", l)
	}

	sarifDoc := read("b.sarif")
	validate(t, compileSchema(t, "../report/testdata/schema/sarif-2.1.0-subset.schema.json"), "SARIF log", sarifDoc)
	var sarif struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarifDoc, &sarif); err != nil {
		t.Fatal(err)
	}
	if got := len(sarif.Runs[0].Results); got != failing {
		t.Errorf("%d SARIF results, want %d (FAIL, ERROR and MUTED)", got, failing)
	}

	rows, err := csv.NewReader(bytes.NewReader(read("d.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != total+1 {
		t.Errorf("%d CSV rows, want a header and %d findings", len(rows), total)
	}

	var junit struct {
		Tests  int `xml:"tests,attr"`
		Suites []struct {
			Cases []struct{} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(read("e.xml"), &junit); err != nil {
		t.Fatalf("JUnit is not XML: %v", err)
	}
	cases := 0
	for _, s := range junit.Suites {
		cases += len(s.Cases)
	}
	if junit.Tests != total || cases != total {
		t.Errorf("JUnit: %d tests, %d cases, want %d", junit.Tests, cases, total)
	}

	var asff []struct {
		AwsAccountID string `json:"AwsAccountId"`
		Resources    []struct {
			ID string `json:"Id"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(read("f.json"), &asff); err != nil {
		t.Fatal(err)
	}
	if len(asff) != aws {
		t.Errorf("%d ASFF findings, want the %d AWS ones", len(asff), aws)
	}

	md := string(read("g.md"))
	if !strings.HasPrefix(md, "## cloudward scan:") || !strings.Contains(md, "### Failing findings") {
		t.Errorf("markdown report:\n%s", md)
	}
}
