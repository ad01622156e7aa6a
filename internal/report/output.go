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
)

// Formats returns every known format, in the order help texts list them.
func Formats() []Format { return []Format{FormatTable, FormatJSON} }

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
	if f == FormatTable {
		return []finding.Status{finding.Fail, finding.Error}
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
// statuses f.Statuses() asks for, ordered by severity, highest first. text
// applies to FormatTable only.
func Write(w io.Writer, f Format, s *Summary, findings iter.Seq2[finding.Finding, error], text TextOptions) error {
	switch f {
	case FormatTable:
		return WriteText(w, s, findings, text)
	case FormatJSON:
		return WriteJSON(w, s, findings)
	}
	return fmt.Errorf("write report: unknown format %q (known: %s)", f, knownFormats())
}
