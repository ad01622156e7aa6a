package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/finding"
)

func TestParseOutputs(t *testing.T) {
	tests := []struct {
		spec    string
		want    []Output
		wantErr string
	}{
		{spec: "table", want: []Output{{Format: FormatTable}}},
		{spec: "json", want: []Output{{Format: FormatJSON}}},
		{spec: "json=-", want: []Output{{Format: FormatJSON}}},
		{spec: "json=", want: []Output{{Format: FormatJSON}}},
		{spec: "table,json=out.json", want: []Output{{Format: FormatTable}, {Format: FormatJSON, Path: "out.json"}}},
		{spec: " TABLE , json = reports/out.json ", want: []Output{{Format: FormatTable}, {Format: FormatJSON, Path: "reports/out.json"}}},
		{spec: "table=scan.txt,json", want: []Output{{Format: FormatTable, Path: "scan.txt"}, {Format: FormatJSON}}},
		{spec: "json=a.json,json=b.json", want: []Output{{Format: FormatJSON, Path: "a.json"}, {Format: FormatJSON, Path: "b.json"}}},
		{spec: "", wantErr: "no format given (known: table, json, ocsf"},
		{spec: "  ", wantErr: "no format given"},
		{spec: "pdf", wantErr: `unknown format "pdf" (known: table, json, ocsf`},
		{spec: "table,sarif=out.sarif,ocsf=out.ocsf.json,csv=out.csv,junit=out.xml,asff=out.asff.json,markdown=out.md", want: []Output{
			{Format: FormatTable}, {Format: FormatSARIF, Path: "out.sarif"}, {Format: FormatOCSF, Path: "out.ocsf.json"}, {Format: FormatCSV, Path: "out.csv"},
			{Format: FormatJUnit, Path: "out.xml"}, {Format: FormatASFF, Path: "out.asff.json"}, {Format: FormatMarkdown, Path: "out.md"},
		}},
		{spec: "table,", wantErr: "empty format"},
		{spec: "=out.json", wantErr: "empty format"},
		{spec: "table,json", wantErr: "table and json both write to standard output"},
		{spec: "table,table=-", wantErr: "both write to standard output"},
		{spec: "json=out.json,table=out.json", wantErr: "two outputs write to out.json"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseOutputs(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseOutputs(%q) error = %v, want it to contain %q", tt.spec, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ParseOutputs(%q) = %+v, want %+v", tt.spec, got, tt.want)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	for _, f := range Formats() {
		if !f.Valid() {
			t.Errorf("%s is listed but not valid", f)
		}
	}
	if Format("pdf").Valid() {
		t.Error("pdf is not implemented and must not be valid")
	}
	if got := FormatTable.Statuses(); !slices.Equal(got, []finding.Status{finding.Fail, finding.Error}) {
		t.Errorf("table statuses = %v", got)
	}
	if got := FormatJSON.Statuses(); got != nil {
		t.Errorf("json statuses = %v, want nil (all)", got)
	}
	if err := Write(nil, Format("pdf"), nil, nil, TextOptions{}); err == nil || !strings.Contains(err.Error(), "known: table, json, ocsf") {
		t.Errorf("Write(pdf) error = %v", err)
	}
	if o := (Output{Format: FormatJSON}); !o.Stdout() {
		t.Error("an output without a path goes to standard output")
	}
}

func ExampleParseOutputs() {
	outs, err := ParseOutputs("table,json=findings.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range outs {
		fmt.Printf("%s stdout=%v path=%q\n", o.Format, o.Stdout(), o.Path)
	}
	_, err = ParseOutputs("table,xml=out.xml")
	fmt.Println(err)
	// Output:
	// table stdout=true path=""
	// json stdout=false path="findings.json"
	// parse output "table,xml=out.xml": unknown format "xml" (known: table, json, ocsf, asff, sarif, csv, junit, markdown, html)
}
