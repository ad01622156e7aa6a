package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Format is a diff output format.
type Format string

// Formats.
const (
	Table    Format = "table"
	JSON     Format = "json"
	Markdown Format = "markdown"
)

// ParseFormat parses a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Table, JSON, Markdown:
		return f, nil
	case "md":
		return Markdown, nil
	}
	return "", fmt.Errorf("unknown diff format %q (want table, json or markdown)", s)
}

// Write renders r in format f. maxRows caps each list in the table and
// Markdown formats (0: all); JSON is always complete.
func Write(w io.Writer, f Format, r *Report, maxRows int) error {
	switch f {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case Markdown:
		return writeMarkdown(w, r, maxRows)
	case Table:
		return writeTable(w, r, maxRows)
	}
	return fmt.Errorf("unknown diff format %q", f)
}

func capped[T any](l []T, maxRows int) ([]T, int) {
	if maxRows > 0 && len(l) > maxRows {
		return l[:maxRows], len(l) - maxRows
	}
	return l, 0
}

func value(v json.RawMessage) string {
	if v == nil {
		return "(absent)"
	}
	return string(v)
}

func score(s Score) string {
	if !s.OK {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", s.Value)
}

func delta(c ScoreChange) string {
	d, ok := c.Delta()
	if !ok {
		return ""
	}
	return fmt.Sprintf("%+.1f", d)
}

func status(s string) string {
	if s == "" {
		return "gone"
	}
	return s
}

func writeTable(out io.Writer, r *Report, maxRows int) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Drift from snapshot %d (%s, %s) to snapshot %d (%s, %s)\n\n", r.Old.ID, r.Old.Scope, r.Old.StartedAt.UTC().Format("2006-01-02 15:04:05Z"),
		r.New.ID, r.New.Scope, r.New.StartedAt.UTC().Format("2006-01-02 15:04:05Z"))
	rc := r.ResourceCounts
	p("Resources: %d added, %d removed, %d changed, %d unchanged\n", rc.Added, rc.Removed, rc.Changed, rc.Unchanged)
	fd := r.Findings
	p("Findings:  %d new, %d resolved, %d still failing\n\n", len(fd.New), len(fd.Resolved), len(fd.StillFailing))
	changes, more := capped(r.ResourceChanges, maxRows)
	if len(changes) > 0 {
		p("CHANGE\tKIND\tACCOUNT\tRESOURCE\tPATH\tOLD → NEW\n")
		for _, c := range changes {
			if c.Type != Changed {
				p("%s\t%s\t%s\t%s\t\t\n", c.Type, c.Kind, c.Account, c.UID)
				continue
			}
			for i, ch := range c.Changes {
				if i == 0 {
					p("%s\t%s\t%s\t%s\t%s\t%s → %s\n", c.Type, c.Kind, c.Account, c.UID, ch.Path, value(ch.Old), value(ch.New))
				} else {
					p("\t\t\t\t%s\t%s → %s\n", ch.Path, value(ch.Old), value(ch.New))
				}
			}
		}
		if more > 0 {
			p("… %d more resource changes (--max-rows 0 shows all)\n", more)
		}
		p("\n")
	}
	for _, sec := range []struct {
		title string
		list  []FindingChange
	}{{"New findings", fd.New}, {"Resolved findings", fd.Resolved}} {
		list, more := capped(sec.list, maxRows)
		if len(list) == 0 {
			continue
		}
		p("%s\nSEVERITY\tCHECK\tRESOURCE\tACCOUNT\tNOW\n", sec.title)
		for _, c := range list {
			p("%s\t%s\t%s\t%s\t%s\n", c.Finding.Severity, c.Finding.CheckID, c.Finding.ResourceUID, c.Finding.Account, status(string(c.NewStatus)))
		}
		if more > 0 {
			p("… %d more\n", more)
		}
		p("\n")
	}
	if len(r.Scores) > 0 {
		p("FRAMEWORK\tOLD\tNEW\tCHANGE\n")
		for _, s := range r.Scores {
			p("%s\t%s\t%s\t%s\n", s.Framework, score(s.Old), score(s.New), delta(s))
		}
	}
	return w.Flush()
}

// mdCell escapes a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func writeMarkdown(out io.Writer, r *Report, maxRows int) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("## Drift: snapshot %d → %d\n\n", r.Old.ID, r.New.ID)
	p("%s, %s → %s, %s\n\n", mdCell(r.Old.Scope), r.Old.StartedAt.UTC().Format("2006-01-02 15:04Z"), mdCell(r.New.Scope), r.New.StartedAt.UTC().Format("2006-01-02 15:04Z"))
	rc, fd := r.ResourceCounts, r.Findings
	p("| | Count |\n|---|---:|\n| Resources added | %d |\n| Resources removed | %d |\n| Resources changed | %d |\n", rc.Added, rc.Removed, rc.Changed)
	p("| Findings new | %d |\n| Findings resolved | %d |\n| Findings still failing | %d |\n\n", len(fd.New), len(fd.Resolved), len(fd.StillFailing))
	if len(r.Scores) > 0 {
		p("### Scores\n\n| Framework | Old | New | Change |\n|---|---:|---:|---:|\n")
		for _, s := range r.Scores {
			p("| %s | %s | %s | %s |\n", mdCell(s.Framework), score(s.Old), score(s.New), delta(s))
		}
		p("\n")
	}
	for _, sec := range []struct {
		title string
		list  []FindingChange
	}{{"New findings", fd.New}, {"Resolved findings", fd.Resolved}} {
		list, more := capped(sec.list, maxRows)
		if len(list) == 0 {
			continue
		}
		p("### %s\n\n| Severity | Check | Resource | Account | Now |\n|---|---|---|---|---|\n", sec.title)
		for _, c := range list {
			p("| %s | `%s` | `%s` | %s | %s |\n", c.Finding.Severity, mdCell(c.Finding.CheckID), mdCell(c.Finding.ResourceUID), mdCell(c.Finding.Account), status(string(c.NewStatus)))
		}
		if more > 0 {
			p("\n… and %d more.\n", more)
		}
		p("\n")
	}
	changes, more := capped(r.ResourceChanges, maxRows)
	if len(changes) > 0 {
		p("### Resource changes\n\n| Change | Kind | Resource | Path | Old | New |\n|---|---|---|---|---|---|\n")
		for _, c := range changes {
			if c.Type != Changed {
				p("| %s | %s | `%s` | | | |\n", c.Type, c.Kind, mdCell(c.UID))
				continue
			}
			for _, ch := range c.Changes {
				p("| %s | %s | `%s` | `%s` | `%s` | `%s` |\n", c.Type, c.Kind, mdCell(c.UID), mdCell(ch.Path), mdCell(value(ch.Old)), mdCell(value(ch.New)))
			}
		}
		if more > 0 {
			p("\n… and %d more.\n", more)
		}
	}
	_, err := io.WriteString(out, b.String())
	return err
}
