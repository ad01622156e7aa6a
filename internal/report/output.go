package report

import (
	"fmt"
	"io"
	"iter"
	"strings"

	"cloudward/internal/finding"
)

// Format is an output format name, as written in --output.
type Format string

// The output formats. Each one is written by one file of this package.
const (
	// FormatTable is the terminal summary and findings table (text.go).
	FormatTable Format = "table"
	// FormatJSON is one JSON document with every finding (json.go).
	FormatJSON Format = "json"
	// FormatOCSF is one OCSF Detection Finding per line (ocsf.go).
	FormatOCSF Format = "ocsf"
	// FormatASFF is AWS Security Hub findings, AWS only (asff.go).
	FormatASFF Format = "asff"
	// FormatSARIF is a SARIF 2.1.0 log (sarif.go).
	FormatSARIF Format = "sarif"
	// FormatCSV is one CSV row per finding (csv.go).
	FormatCSV Format = "csv"
	// FormatJUnit is JUnit XML, one test case per check × resource (junit.go).
	FormatJUnit Format = "junit"
	// FormatMarkdown is a pull-request comment (markdown.go).
	FormatMarkdown Format = "markdown"
	// FormatHTML is a self-contained HTML page with every finding (html.go).
	FormatHTML Format = "html"
)

// Formats returns every known format, in the order help texts list them.
func Formats() []Format {
	return []Format{FormatTable, FormatJSON, FormatOCSF, FormatASFF, FormatSARIF, FormatCSV, FormatJUnit, FormatMarkdown, FormatHTML}
}

// Valid reports whether f is a known format.
func (f Format) Valid() bool {
	for _, g := range Formats() {
		if f == g {
			return true
		}
	}
	return false
}

// Statuses returns the finding statuses the format shows; nil means all.
// The CLI uses it to filter the findings it streams to Write.
func (f Format) Statuses() []finding.Status {
	switch f {
	case FormatTable:
		return []finding.Status{finding.Fail, finding.Error}
	case FormatSARIF:
		return []finding.Status{finding.Fail, finding.Error, finding.Muted}
	case FormatMarkdown:
		return []finding.Status{finding.Fail}
	}
	return nil
}

// Output is one requested output: a format and where to write it.
type Output struct {
	Format Format
	// Path is the file to write; empty means standard output.
	Path string
}

// Stdout reports whether the output goes to standard output.
func (o Output) Stdout() bool { return o.Path == "" }

// ParseOutputs parses an --output spec: a comma-separated list of FORMAT or
// FORMAT=PATH, where a PATH of "-" (or none) means standard output, e.g.
// "table,json=out.json". At most one output may go to standard output and no
// two outputs may share a file.
func ParseOutputs(spec string) ([]Output, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("parse output %q: no format given (known: %s)", spec, knownFormats())
	}
	var outs []Output
	stdout := ""
	paths := map[string]bool{}
	for item := range strings.SplitSeq(spec, ",") {
		name, path, _ := strings.Cut(strings.TrimSpace(item), "=")
		name, path = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(path)
		if name == "" {
			return nil, fmt.Errorf("parse output %q: empty format in %q (known: %s)", spec, item, knownFormats())
		}
		f := Format(name)
		if !f.Valid() {
			return nil, fmt.Errorf("parse output %q: unknown format %q (known: %s)", spec, name, knownFormats())
		}
		if path == "-" {
			path = ""
		}
		if path == "" {
			if stdout != "" {
				return nil, fmt.Errorf("parse output %q: %s and %s both write to standard output; give one of them a file (FORMAT=PATH)", spec, stdout, name)
			}
			stdout = name
		} else {
			if paths[path] {
				return nil, fmt.Errorf("parse output %q: two outputs write to %s", spec, path)
			}
			paths[path] = true
		}
		outs = append(outs, Output{Format: f, Path: path})
	}
	return outs, nil
}

func knownFormats() string {
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// Write renders s and findings to w in format f. findings must hold the
// statuses f.Statuses() asks for, ordered by severity, highest first, then
// by check ID (as the store returns them). text applies to FormatTable, and
// its MaxRows also caps FormatMarkdown's findings list. FormatASFF's count of
// skipped non-AWS findings is available from WriteASFF.
func Write(w io.Writer, f Format, s *Summary, findings iter.Seq2[finding.Finding, error], text TextOptions) error {
	switch f {
	case FormatTable:
		return WriteText(w, s, findings, text)
	case FormatJSON:
		return WriteJSON(w, s, findings)
	case FormatOCSF:
		return WriteOCSF(w, s, findings)
	case FormatASFF:
		_, err := WriteASFF(w, s, findings)
		return err
	case FormatSARIF:
		return WriteSARIF(w, s, findings)
	case FormatCSV:
		return WriteCSV(w, s, findings)
	case FormatJUnit:
		return WriteJUnit(w, s, findings)
	case FormatMarkdown:
		return WriteMarkdown(w, s, findings, MarkdownOptions{MaxRows: text.MaxRows})
	case FormatHTML:
		return WriteHTML(w, s, findings, HTMLOptions{})
	}
	return fmt.Errorf("write report: unknown format %q (known: %s)", f, knownFormats())
}
