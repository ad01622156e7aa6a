package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"cloudward/internal/finding"
)

// htmlPayload is the findings data of an HTML report, decoded back.
type htmlPayload struct {
	Dict struct {
		Version    int      `json:"version"`
		PageSize   int      `json:"pageSize"`
		Total      int      `json:"total"`
		Severities []string `json:"severities"`
		Checks     [][]any  `json:"checks"`
		Statuses   []string `json:"statuses"`
		UIDs       []string `json:"uids"`
		Names      []string `json:"names"`
		Kinds      []string `json:"kinds"`
		Providers  []string `json:"providers"`
		Accounts   []string `json:"accounts"`
		Regions    []string `json:"regions"`
		Reasons    []string `json:"reasons"`
	}
	Findings []finding.Finding
}

var scriptRE = regexp.MustCompile(`(?s)<script type="application/json" id="(cw-[a-z]+)">(.*?)</script>`)

// decodeHTML extracts and resolves the findings of an HTML report the way
// report.js does.
func decodeHTML(t *testing.T, page []byte) htmlPayload {
	t.Helper()
	blocks := map[string][]byte{}
	for _, m := range scriptRE.FindAllSubmatch(page, -1) {
		blocks[string(m[1])] = m[2]
	}
	var p htmlPayload
	if err := json.Unmarshal(blocks["cw-dict"], &p.Dict); err != nil {
		t.Fatalf("cw-dict: %v", err)
	}
	var rows [][]any
	if err := json.Unmarshal(blocks["cw-findings"], &rows); err != nil {
		t.Fatalf("cw-findings: %v", err)
	}
	str := func(dict []string, v any) string {
		switch v := v.(type) {
		case float64:
			return dict[int(v)]
		case string:
			return v
		}
		t.Fatalf("field %v (%T) is neither an index nor a string", v, v)
		return ""
	}
	checkIDs := make([]string, len(p.Dict.Checks))
	for i, c := range p.Dict.Checks {
		checkIDs[i] = c[0].(string)
	}
	for _, r := range rows {
		if len(r) != 10 {
			t.Fatalf("row %v has %d fields, want 10", r, len(r))
		}
		p.Findings = append(p.Findings, finding.Finding{
			CheckID: str(checkIDs, r[0]), Status: finding.Status(str(p.Dict.Statuses, r[1])), Severity: finding.Severity(r[2].(float64)),
			ResourceUID: str(p.Dict.UIDs, r[3]), ResourceName: str(p.Dict.Names, r[4]), Kind: str(p.Dict.Kinds, r[5]),
			Provider: str(p.Dict.Providers, r[6]), Account: str(p.Dict.Accounts, r[7]), Region: str(p.Dict.Regions, r[8]),
			Reason: str(p.Dict.Reasons, r[9]),
		})
	}
	return p
}

func fixtureTrend() []TrendPoint {
	day := time.Date(2026, 10, 29, 12, 0, 0, 0, time.UTC)
	var out []TrendPoint
	for i, c := range []Counts{{Pass: 4, Fail: 9}, {Pass: 6, Fail: 7, Muted: 1}, {Pass: 7, Fail: 5, Error: 2, Muted: 2}} {
		out = append(out, TrendPoint{SnapshotID: int64(4 + i), Time: day.AddDate(0, 0, i), Counts: c,
			Scores: map[string]float64{"cis-aws-3.0": 20 + 15*float64(i), "company": 50}})
	}
	return append(out, TrendPointOf(fixtureSummary(fixtureErrors)))
}

func TestHTMLGolden(t *testing.T) {
	tests := []struct {
		name string
		s    *Summary
		fs   []finding.Finding
		opts HTMLOptions
	}{
		{"html", fixtureSummary(fixtureErrors), fixtureFindings, HTMLOptions{Trend: fixtureTrend()}},
		{"html_empty", NewSummary(Meta{Scope: "aws (no accounts)"}, nil, nil), nil, HTMLOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, again bytes.Buffer
			if err := WriteHTML(&got, tt.s, seq(tt.fs), tt.opts); err != nil {
				t.Fatal(err)
			}
			if err := WriteHTML(&again, tt.s, seq(tt.fs), tt.opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), again.Bytes()) {
				t.Fatal("output differs between two runs")
			}
			path := filepath.Join("testdata", tt.name+".html.golden")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/report -update)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s (run go test ./internal/report -update and review the diff)", path)
			}
		})
	}
}

func TestHTMLContent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, fixtureSummary(fixtureErrors), seq(fixtureFindings), HTMLOptions{Trend: fixtureTrend(), PageSize: 25}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		`<title>cloudward report · demo (seed 1, 14 resources)</title>`,
		`<dd>#7</dd>`, `2026-11-01 12:00:00 UTC`, // header
		`<span class="value">50.0%</span>`,                          // pass rate 5 / (5 + 5)
		`CIS AWS Foundations <span class="ver">v3.0.0</span>`,       // framework
		`<span class="req manual">manual</span>`,                    // requirement without checks
		`<span class="req no_resources">no resources</span>`,        // requirement whose check had no findings
		`data-filter="check" data-value="aws-iam-root-mfa-enabled"`, // drill-down to findings
		`<tr class="heat2"><td>accounts-identities</td>`,            // responsibility matrix
		`data-filter="account" data-value="111122223333"`,           // per-account view
		`data-filter="region" data-value="europe-west1"`,            // per-region view
		`permission iam.serviceAccounts.list denied`,                // collection errors
		`<polyline class="line series0"`,                            // trend chart
		`snapshot 7 · 2026-11-01 12:00 · 5 FAIL`,                    // trend bar of the current snapshot
		`<rect class="fail" x="80" y="5" width="`,                   // severity chart: critical fails first
		`"pageSize":25,"total":14`,                                  // findings data
		`Turn on all four Block Public Access settings.`,            // remediation
		`id="filters"`, `name="status"`, `name="severity"`, `name="provider"`, // filters
		`name="account"`, `name="region"`, `name="check"`, `name="q"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "src=", "@import", "url("} {
		if i := strings.Index(page, bad); i >= 0 {
			t.Errorf("page contains %q (a network request or external resource?) near %q", bad, page[max(0, i-60):min(len(page), i+60)])
		}
	}
	p := decodeHTML(t, buf.Bytes())
	if len(p.Findings) != len(fixtureFindings) || p.Dict.Total != len(fixtureFindings) {
		t.Fatalf("decoded %d findings (total %d), want %d", len(p.Findings), p.Dict.Total, len(fixtureFindings))
	}
	for i, f := range p.Findings {
		want := fixtureFindings[i]
		want.ResourceName = string([]rune(want.ResourceName)) // report.js sees what JSON can carry
		if f != want {
			t.Errorf("finding %d decodes to\n%+v, want\n%+v", i, f, want)
		}
	}

	// Without two trend points there is no trend chart.
	buf.Reset()
	one := []TrendPoint{TrendPointOf(fixtureSummary(nil))}
	if err := WriteHTML(&buf, fixtureSummary(nil), seq(fixtureFindings), HTMLOptions{Trend: one}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `id="trend"`) || strings.Contains(buf.String(), `id="sec-errors"`) {
		t.Error("a single trend point or no collection errors still render their sections")
	}
}

// hostile strings a cloud API may return as resource names, tags or reasons.
var hostile = []string{
	`</script><script>alert(1)</script>`,
	`</SCRIPT ><img src=x onerror=alert(2)>`,
	`<!-- <script>`,
	"line\u2028separator\u2029para",
	"bad utf8 \xff\xfe end",
	`"quoted" \back\slash & ampersand`,
	"ctl\x00\x01\x1b[31m\x7f",
}

// TestHTMLEscaping checks that no cloud-supplied string can end a script
// element or open markup, and that each still decodes to what it was.
func TestHTMLEscaping(t *testing.T) {
	var fs []finding.Finding
	for i, h := range hostile {
		fs = append(fs, finding.Finding{
			CheckID: h, Severity: finding.High, Status: finding.Fail, Reason: h,
			ResourceUID: fmt.Sprintf("uid-%d-%s", i, h), ResourceName: h, Kind: h, Provider: "aws", Account: h, Region: h,
		})
	}
	checks := []CheckInfo{{ID: hostile[0], Title: hostile[1], Severity: finding.High, Provider: "aws", Area: hostile[2], Remediation: hostile[0]}}
	fws := []FrameworkInfo{{ID: "fw", Title: hostile[0], Requirements: []RequirementInfo{{ID: hostile[1], Title: hostile[0], CheckIDs: []string{hostile[0]}}}}}
	meta := fixtureMeta(nil)
	meta.Scope = hostile[0]
	s := NewSummary(meta, checks, fws)
	for _, f := range fs {
		s.Add(f)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, s, seq(fs), HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	// The page has exactly its own three scripts: two JSON blocks and the code.
	if n := strings.Count(strings.ToLower(page), "<script"); n != 3 {
		t.Errorf("page has %d <script tags, want 3", n)
	}
	if n := strings.Count(strings.ToLower(page), "</script"); n != 3 {
		t.Errorf("page has %d </script tags, want 3", n)
	}
	for _, bad := range []string{"<img", "<!--", "\x00"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	// In script elements JavaScript line terminators are escaped too.
	for _, m := range scriptRE.FindAllStringSubmatch(page, -1) {
		if strings.ContainsAny(m[2], "\u2028\u2029") {
			t.Errorf("script %s contains U+2028 or U+2029", m[1])
		}
	}
	p := decodeHTML(t, buf.Bytes())
	for i, f := range p.Findings {
		want := fs[i]
		for _, s := range []*string{&want.CheckID, &want.Reason, &want.ResourceUID, &want.ResourceName, &want.Kind, &want.Account, &want.Region} {
			*s = string([]rune(*s))
		}
		if f != want {
			t.Errorf("finding %d decodes to\n%q, want\n%q", i, f, want)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range append(hostile, "", "plain", "データ", "\u00e9\u2027\u202a") {
		checkJSONString(t, s)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(checkJSONString)
}

func checkJSONString(t *testing.T, s string) {
	b := appendJSONString(nil, s)
	var got string
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%q encodes to invalid JSON %s: %v", s, b, err)
	}
	if want := string([]rune(s)); got != want {
		t.Errorf("%q round-trips to %q, want %q", s, got, want)
	}
	if bytes.ContainsAny(b, "<>&\u2028\u2029") || !utf8.Valid(b) {
		t.Errorf("%q encodes to %s: not safe in a script element", s, b)
	}
}

// TestHTMLDictionaryCap checks that past a dictionary's cap fields are
// written as literal strings and still decode to the same findings.
func TestHTMLDictionaryCap(t *testing.T) {
	var fs []finding.Finding
	for f := range generated(50, nil) {
		f.Region = fmt.Sprintf("region-%d", len(fs)%7)
		fs = append(fs, f)
	}
	s := NewSummary(fixtureMeta(nil), fixtureChecks, nil)
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	if err := writeHTMLFindings(bw, s, seq(fs), 10, 3); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	p := decodeHTML(t, buf.Bytes())
	if len(p.Dict.UIDs) != 3 || len(p.Dict.Regions) != 3 || len(p.Dict.Statuses) != 4 {
		t.Errorf("dictionaries hold %d uids, %d regions, %d statuses; want 3, 3 and 4", len(p.Dict.UIDs), len(p.Dict.Regions), len(p.Dict.Statuses))
	}
	if !strings.Contains(buf.String(), `"region-4"`) {
		t.Error("no literal region past the cap")
	}
	for i, f := range p.Findings {
		if f != fs[i] {
			t.Fatalf("finding %d decodes to %+v, want %+v", i, f, fs[i])
		}
	}
}

// TestHTMLStreams checks that findings reach the writer while the stream is
// still running.
func TestHTMLStreams(t *testing.T) {
	n := 100_000
	if raceEnabled {
		n = 20_000
	}
	s := NewSummary(fixtureMeta(nil), fixtureChecks, fixtureFrameworks)
	var cw countingWriter
	var writtenAtHalf int64
	err := WriteHTML(&cw, s, generated(n, func(i int) {
		if i == n/2 {
			writtenAtHalf = cw.n
		}
	}), HTMLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Findings are most of the page: by the middle of the stream much of
	// the first half must have been written out.
	if writtenAtHalf < cw.n/3 {
		t.Errorf("only %d of %d bytes written when half the findings were read: findings are not streamed", writtenAtHalf, cw.n)
	}

	if raceEnabled {
		return // the race detector changes allocation counts
	}
	// Past the dictionaries' growth (the generator repeats 1,024 resources),
	// 10× more findings must cost less than one more allocation each.
	allocs := func(k int) float64 {
		return testing.AllocsPerRun(3, func() {
			if err := WriteHTML(io.Discard, s, generated(k, nil), HTMLOptions{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(2_000), allocs(20_000)
	t.Logf("allocations: %v for 2k findings, %v for 20k", small, large)
	if perFinding := (large - small) / 18_000; perFinding >= 1 {
		t.Errorf("%.2f allocations per finding (2k: %v, 20k: %v); want none per finding", perFinding, small, large)
	}
}

func BenchmarkWriteHTML(b *testing.B) {
	const n = 100_000
	s := NewSummary(fixtureMeta(nil), fixtureChecks, fixtureFrameworks)
	b.ReportAllocs()
	for b.Loop() {
		var cw countingWriter
		if err := WriteHTML(&cw, s, generated(n, nil), HTMLOptions{}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(cw.n)
	}
}
