package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// DefaultMaxRows is the default cap on the terminal findings table.
const DefaultMaxRows = 50

// Layout limits of the terminal report.
const (
	topFailingChecks          = 10
	collectionErrorsUngrouped = 10
	maxCheckWidth             = 48
	maxTitleWidth             = 56
	maxResourceWidth          = 48
	maxReasonWidth            = 60
	maxMessageWidth           = 72
	// tableChunk is how many findings rows are measured and written at a
	// time, so an uncapped table (MaxRows 0) keeps constant memory.
	tableChunk = 1000
)

// QueryHint is the command the terminal report's footer suggests.
const QueryHint = `cloudward query "SELECT check_id, count(*) AS failing FROM findings WHERE status = 'FAIL' GROUP BY check_id ORDER BY failing DESC"`

// TextOptions controls the terminal report.
type TextOptions struct {
	// MaxRows caps the findings table; 0 means no cap. DefaultTextOptions
	// sets DefaultMaxRows.
	MaxRows int
	// Color turns on ANSI colours; see ColorEnabled.
	Color bool
	// Requirements adds, for every framework of the summary, a table of
	// its requirements with their status and the framework's coverage
	// (scan --framework).
	Requirements bool
}

// DefaultTextOptions returns the options of a plain `cloudward scan`.
func DefaultTextOptions() TextOptions { return TextOptions{MaxRows: DefaultMaxRows} }

// ColorEnabled reports whether output to f should be coloured: f is a
// terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is not
// "dumb".
func ColorEnabled(f *os.File) bool {
	return colorEnabled(f != nil && term.IsTerminal(int(f.Fd())), os.Getenv("NO_COLOR"), os.Getenv("TERM"))
}

func colorEnabled(tty bool, noColor, termName string) bool {
	return tty && noColor == "" && termName != "dumb"
}

// ANSI SGR styles.
const (
	styleBold    = "1"
	styleDim     = "2"
	styleRed     = "31"
	styleBoldRed = "1;31"
	styleGreen   = "32"
	styleYellow  = "33"
	styleMagenta = "35"
	styleCyan    = "36"
)

func paint(s, style string, color bool) string {
	if !color || style == "" || s == "" {
		return s
	}
	return "\x1b[" + style + "m" + s + "\x1b[0m"
}

func severityStyle(sev finding.Severity) string {
	switch {
	case sev >= finding.Critical:
		return styleBoldRed
	case sev == finding.High:
		return styleRed
	case sev == finding.Medium:
		return styleYellow
	case sev == finding.Low:
		return styleCyan
	}
	return styleDim
}

func statusStyle(st finding.Status) string {
	switch st {
	case finding.Fail:
		return styleRed
	case finding.Error:
		return styleMagenta
	case finding.Muted:
		return styleDim
	case finding.Pass:
		return styleGreen
	}
	return ""
}

func scoreStyle(score float64) string {
	switch {
	case score >= 80:
		return styleGreen
	case score >= 50:
		return styleYellow
	}
	return styleRed
}

// errWriter keeps the first write error so the renderer can check once.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

// WriteText writes the terminal report: a header, counts by status and by
// severity, each framework's score, the top failing checks, collection
// errors, and a table of FAIL and ERROR findings from failing, which must be
// ordered by severity, highest first (other statuses are skipped). The table
// stops after opts.MaxRows rows and says how many more the summary counted.
func WriteText(w io.Writer, s *Summary, failing iter.Seq2[finding.Finding, error], opts TextOptions) error {
	ew := &errWriter{w: bufio.NewWriter(w)}
	c := opts.Color
	m := s.Meta()
	tot := s.Totals()

	// Header.
	scope := m.Scope
	if scope == "" {
		scope = "(no scope)"
	}
	ew.printf("%s %s\n", paint("cloudward scan:", styleBold, c), sanitize(scope))
	var hdr []string
	if m.SnapshotID != 0 {
		hdr = append(hdr, "snapshot "+strconv.FormatInt(m.SnapshotID, 10))
	}
	if !m.StartedAt.IsZero() {
		hdr = append(hdr, "started "+m.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if d := m.Duration(); d > 0 {
		hdr = append(hdr, "took "+formatDuration(d))
	}
	hdr = append(hdr, plural(m.Resources, "resource"))
	ew.printf("%s\n", strings.Join(hdr, " · "))

	// Counts.
	ew.printf("\n%s  %s\n", paint("Findings", styleBold, c), plural(tot.Total(), "finding"))
	var parts []string
	for _, st := range finding.Statuses {
		parts = append(parts, paint(string(st), statusStyle(st), c)+" "+formatInt(tot.Of(st)))
	}
	rate := "pass rate n/a"
	if r, ok := tot.PassRate(); ok {
		rate = fmt.Sprintf("pass rate %.1f%%", r)
	}
	ew.printf("  %s   (%s)\n", strings.Join(parts, "   "), rate)
	parts = parts[:0]
	for _, sev := range finding.Severities {
		parts = append(parts, paint(sev.String(), severityStyle(sev), c)+" "+formatInt(s.Severity(sev).Fail))
	}
	ew.printf("  FAIL by severity: %s\n", strings.Join(parts, "   "))

	// Frameworks.
	if fws := s.Frameworks(); len(fws) > 0 {
		ew.printf("\n%s\n", paint("Frameworks", styleBold, c))
		t := table{cols: []column{
			{title: "FRAMEWORK", max: maxTitleWidth}, {title: "SCORE", align: alignRight},
			{title: "PASSED", align: alignRight}, {title: "FAILED", align: alignRight},
			{title: "ERROR", align: alignRight}, {title: "NO RESOURCES", align: alignRight},
			{title: "MANUAL", align: alignRight},
		}}
		for _, fw := range fws {
			name := cmp.Or(fw.Title, fw.ID)
			if fw.Version != "" {
				name += " " + fw.Version
			}
			score := cell{text: "n/a"}
			if v, ok := fw.Score(); ok {
				score = cell{text: fmt.Sprintf("%.1f%%", v), style: scoreStyle(v)}
			}
			t.add(cell{text: name}, score,
				cell{text: strconv.Itoa(fw.Passed)}, cell{text: strconv.Itoa(fw.Failed)},
				cell{text: strconv.Itoa(fw.Errored)}, cell{text: strconv.Itoa(fw.NoResources)},
				cell{text: strconv.Itoa(fw.Manual)})
		}
		ew.err = cmp.Or(ew.err, t.write(ew, "  ", c))
		ew.printf("  Score = passed / (passed + failed) requirements.\n")
		if opts.Requirements {
			for _, fw := range fws {
				writeRequirements(ew, fw, c)
			}
		}
	}

	writeResponsibility(ew, s.Responsibility(), c)

	// Top failing checks.
	if top := s.TopFailing(topFailingChecks); len(top) > 0 {
		ew.printf("\n%s\n", paint("Top failing checks", styleBold, c))
		t := table{cols: []column{
			{title: "SEVERITY"}, {title: "CHECK", max: maxCheckWidth},
			{title: "TITLE", max: maxTitleWidth}, {title: "FAILING", align: alignRight},
		}}
		for _, ch := range top {
			t.add(cell{text: ch.Severity.String(), style: severityStyle(ch.Severity)}, cell{text: ch.ID},
				cell{text: ch.Title}, cell{text: formatInt(ch.Counts.Fail)})
		}
		ew.err = cmp.Or(ew.err, t.write(ew, "  ", c))
	}

	writeAIInventoryText(ew, s.ai, opts.MaxRows, c)

	// Collection errors.
	writeCollectionErrors(ew, m.CollectionErrors, c)

	// Findings table.
	ew.printf("\n%s  %s %s, %s %s\n", paint("Failing findings", styleBold, c),
		paint("FAIL", statusStyle(finding.Fail), c), formatInt(tot.Fail),
		paint("ERROR", statusStyle(finding.Error), c), formatInt(tot.Error))
	t := table{cols: []column{
		{title: "SEVERITY"}, {title: "CHECK", max: maxCheckWidth}, {title: "RESOURCE", max: maxResourceWidth},
		{title: "ACCOUNT"}, {title: "REGION"}, {title: "STATUS", max: maxReasonWidth},
	}}
	var shown int64
	for f, err := range failing {
		if err != nil {
			return fmt.Errorf("write text report: read findings: %w", err)
		}
		if f.Status != finding.Fail && f.Status != finding.Error {
			continue
		}
		if opts.MaxRows > 0 && shown >= int64(opts.MaxRows) {
			break
		}
		status := string(f.Status)
		if f.Reason != "" {
			status += ": " + f.Reason
		}
		t.add(cell{text: f.Severity.String(), style: severityStyle(f.Severity)}, cell{text: f.CheckID},
			cell{text: cmp.Or(f.ResourceName, f.ResourceUID)}, cell{text: f.Account}, cell{text: f.Region},
			cell{text: status, style: statusStyle(f.Status)})
		shown++
		if len(t.rows) == tableChunk {
			if err := t.flush(ew, "  ", c); err != nil {
				return fmt.Errorf("write text report: %w", err)
			}
		}
	}
	if shown == 0 {
		ew.printf("  No FAIL or ERROR findings.\n")
	} else {
		ew.err = cmp.Or(ew.err, t.flush(ew, "  ", c))
	}
	if more := tot.Fail + tot.Error - shown; more > 0 && shown > 0 {
		ew.printf("  … and %s more. See them all with --output json (e.g. --output table,json=findings.json).\n", formatInt(more))
	}

	// Footer.
	ew.printf("\n%s %s\n", paint("Explore with SQL:", styleDim, c), QueryHint)

	if ew.err == nil {
		ew.err = ew.w.Flush()
	}
	if ew.err != nil {
		return fmt.Errorf("write text report: %w", ew.err)
	}
	return nil
}

// writeCollectionErrors lists collection errors one per row, or grouped by
// provider, service, operation and kind when there are many.
func writeCollectionErrors(ew *errWriter, errs []resource.CollectionError, c bool) {
	if len(errs) == 0 {
		ew.printf("\n%s none\n", paint("Collection errors:", styleBold, c))
		return
	}
	ew.printf("\n%s %s (the resources they cover were not checked)\n",
		paint("Collection errors:", styleBold, c), formatInt(int64(len(errs))))
	if len(errs) <= collectionErrorsUngrouped {
		t := table{cols: []column{
			{title: "PROVIDER"}, {title: "ACCOUNT"}, {title: "REGION"}, {title: "SERVICE"},
			{title: "OPERATION"}, {title: "KIND"}, {title: "MESSAGE", max: maxMessageWidth},
		}}
		for _, e := range errs {
			t.add(cell{text: string(e.Provider)}, cell{text: e.Account}, cell{text: e.Region}, cell{text: e.Service},
				cell{text: e.Op}, cell{text: string(e.Kind), style: styleYellow}, cell{text: e.Message})
		}
		ew.err = cmp.Or(ew.err, t.write(ew, "  ", c))
		return
	}
	type key struct {
		provider    resource.Provider
		service, op string
		kind        resource.ErrorKind
	}
	type group struct {
		key
		count             int
		accounts, regions map[string]bool
		message           string
	}
	byKey := map[key]*group{}
	for _, e := range errs {
		k := key{e.Provider, e.Service, e.Op, e.Kind}
		g := byKey[k]
		if g == nil {
			g = &group{key: k, accounts: map[string]bool{}, regions: map[string]bool{}, message: e.Message}
			byKey[k] = g
		}
		g.count++
		g.accounts[e.Account] = true
		g.regions[e.Region] = true
	}
	groups := make([]*group, 0, len(byKey))
	for _, g := range byKey {
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b *group) int {
		return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.provider, b.provider),
			cmp.Compare(a.service, b.service), cmp.Compare(a.op, b.op), cmp.Compare(a.kind, b.kind))
	})
	t := table{cols: []column{
		{title: "PROVIDER"}, {title: "SERVICE"}, {title: "OPERATION"}, {title: "KIND"},
		{title: "ERRORS", align: alignRight}, {title: "ACCOUNTS", align: alignRight},
		{title: "REGIONS", align: alignRight}, {title: "FIRST MESSAGE", max: maxMessageWidth},
	}}
	for _, g := range groups {
		t.add(cell{text: string(g.provider)}, cell{text: g.service}, cell{text: g.op},
			cell{text: string(g.kind), style: styleYellow}, cell{text: strconv.Itoa(g.count)},
			cell{text: strconv.Itoa(len(g.accounts))}, cell{text: strconv.Itoa(len(g.regions))},
			cell{text: g.message})
	}
	ew.err = cmp.Or(ew.err, t.write(ew, "  ", c))
	ew.printf("  Every error is in --output json (collection_errors).\n")
}

// formatInt writes n with thousands separators: 1,234,567.
func formatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return formatInt(n) + " " + noun + "s"
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
