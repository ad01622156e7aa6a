package report

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"strings"

	"cloudward/internal/finding"
)

// MarkdownOptions controls the Markdown report.
type MarkdownOptions struct {
	// MaxRows caps the failing findings listed; 0 means no cap. A pull
	// request comment holds at most 65,536 characters, so set one there.
	MaxRows int
}

// markdownMaxErrors caps the collection errors listed.
const markdownMaxErrors = 10

// WriteMarkdown writes a GitHub-flavoured Markdown report for pull-request
// comments: counts by status, by severity, framework scores, collection
// errors, then the failing findings of failing grouped by severity under
// one heading each, capped at opts.MaxRows rows with a line saying how many
// more the summary counted. failing must be ordered by severity, highest
// first; findings other than FAIL are skipped. Everything taken from the
// scanned cloud is escaped, so a resource name cannot inject Markdown,
// HTML, or @-mentions into the comment.
func WriteMarkdown(w io.Writer, s *Summary, failing iter.Seq2[finding.Finding, error], opts MarkdownOptions) error {
	ew := &errWriter{w: bufio.NewWriter(w)}
	m := s.Meta()
	tot := s.Totals()

	ew.printf("## cloudward scan: %s\n\n", mdEscape(m.Scope))
	var hdr []string
	if m.SnapshotID != 0 {
		hdr = append(hdr, fmt.Sprintf("snapshot %d", m.SnapshotID))
	}
	hdr = append(hdr, fmt.Sprintf("%s resources", formatInt(m.Resources)))
	if !m.FinishedAt.IsZero() {
		hdr = append(hdr, m.FinishedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if d := m.Duration(); d > 0 {
		hdr = append(hdr, fmt.Sprintf("took %.1fs", d.Seconds()))
	}
	ew.printf("%s\n\n", strings.Join(hdr, " · "))

	rate := "n/a"
	if r, ok := tot.PassRate(); ok {
		rate = fmt.Sprintf("%.1f%%", r)
	}
	ew.printf("| Fail | Error | Muted | Pass | Pass rate |\n|---:|---:|---:|---:|---:|\n")
	ew.printf("| %s | %s | %s | %s | %s |\n\n", formatInt(tot.Fail), formatInt(tot.Error), formatInt(tot.Muted), formatInt(tot.Pass), rate)

	ew.printf("### By severity\n\n| Severity | Fail | Error | Muted | Pass |\n|---|---:|---:|---:|---:|\n")
	for _, sev := range finding.Severities {
		c := s.Severity(sev)
		ew.printf("| %s | %s | %s | %s | %s |\n", sev, formatInt(c.Fail), formatInt(c.Error), formatInt(c.Muted), formatInt(c.Pass))
	}

	if fws := s.Frameworks(); len(fws) > 0 {
		ew.printf("\n### Frameworks\n\n| Framework | Score | Passed | Failed | Error | No resources | Manual |\n|---|---:|---:|---:|---:|---:|---:|\n")
		for _, fw := range fws {
			score := "n/a"
			if v, ok := fw.Score(); ok {
				score = fmt.Sprintf("%.1f%%", v)
			}
			name := fw.Title
			if fw.Version != "" {
				name += " " + fw.Version
			}
			ew.printf("| %s | %s | %d | %d | %d | %d | %d |\n", mdEscape(name), score, fw.Passed, fw.Failed, fw.Errored, fw.NoResources, fw.Manual)
		}
	}

	writeResponsibilityMarkdown(ew, s.Responsibility())
	writeAIInventoryMarkdown(ew, s.ai, opts.MaxRows)

	if errs := m.CollectionErrors; len(errs) > 0 {
		ew.printf("\n### Collection errors (%d)\n\nThe resources they cover were not checked.\n\n| Provider | Account | Region | Operation | Message |\n|---|---|---|---|---|\n", len(errs))
		for i, e := range errs {
			if i == markdownMaxErrors {
				ew.printf("\n…and %d more collection errors.\n", len(errs)-markdownMaxErrors)
				break
			}
			ew.printf("| %s | %s | %s | %s | %s |\n", mdEscape(string(e.Provider)), mdEscape(e.Account), mdEscape(e.Region), mdEscape(e.Op), mdEscape(e.Message))
		}
	}

	ew.printf("\n### Failing findings (%s)\n", formatInt(tot.Fail))
	if tot.Fail == 0 {
		ew.printf("\nNo failing findings.\n")
	}
	rows := 0
	current := finding.Severity(-1)
	for f, err := range failing {
		if err != nil {
			return fmt.Errorf("write markdown report: read findings: %w", err)
		}
		if f.Status != finding.Fail {
			continue
		}
		if opts.MaxRows > 0 && rows == opts.MaxRows {
			break
		}
		if f.Severity != current {
			current = f.Severity
			ew.printf("\n#### %s (%s)\n\n| Check | Resource | Account | Region |\n|---|---|---|---|\n",
				strings.ToUpper(current.String()[:1])+current.String()[1:], formatInt(s.Severity(current).Fail))
		}
		c := checkInfo(s, f)
		ew.printf("| %s<br>%s | %s<br>%s | %s | %s |\n",
			mdEscape(c.Title), mdCode(f.CheckID), mdEscape(f.ResourceName), mdCode(f.ResourceUID), mdEscape(f.Account), mdEscape(f.Region))
		rows++
	}
	if more := tot.Fail - int64(rows); rows > 0 && more > 0 {
		ew.printf("\n…and %s more failing findings (see the full report).\n", formatInt(more))
	}
	if ew.err != nil {
		return fmt.Errorf("write markdown report: %w", ew.err)
	}
	if err := ew.w.Flush(); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// mdEscaper backslash-escapes the ASCII punctuation that Markdown or HTML
// would interpret in a table cell (emphasis, code, links, tags, entities,
// strikethrough, math, @-mentions, cell separators) and flattens line
// breaks. Parentheses need no escape once brackets are escaped.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `{`, `\{`, `}`, `\}`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`,
	`@`, `\@`, `&`, `\&`, `$`, `\$`, "\r\n", " ", "\n", " ", "\r", " ",
)

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdCode renders s as a code span. A code span shows backslashes literally,
// so instead of escaping, backticks and pipes (which end a table cell even
// inside a span on GitHub) are replaced by look-alikes.
func mdCode(s string) string {
	s = strings.NewReplacer("`", "ˋ", "|", "¦", "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}
