package report

import (
	"bufio"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"io"
	"iter"
	"math"
	"slices"
	"strconv"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
)

//go:embed html/report.tmpl html/ai.tmpl html/report.css html/report.js
var htmlAssets embed.FS

// DefaultHTMLPageSize is how many findings rows one page of the HTML
// report's findings table shows.
const DefaultHTMLPageSize = 100

// Layout limits of the HTML report.
const (
	htmlTopFailing       = 10
	htmlCollectionErrors = 500
)

// HTMLOptions controls the HTML report.
type HTMLOptions struct {
	// Trend is the scope's history, oldest first, usually the earlier
	// snapshots followed by TrendPointOf the current summary. The trend
	// charts are drawn when it holds at least two points.
	Trend []TrendPoint
	// PageSize is the number of findings rows per page; 0 means
	// DefaultHTMLPageSize. The reader can change it in the page.
	PageSize int
}

// TrendPoint is one snapshot's result, a point of the HTML report's trend
// charts.
type TrendPoint struct {
	SnapshotID int64
	Time       time.Time
	// Counts are the snapshot's findings by status.
	Counts Counts
	// Scores are framework scores in percent by framework ID; a framework
	// missing from a point leaves a gap in its line.
	Scores map[string]float64
}

// TrendPointOf returns the trend point of the snapshot s summarizes.
func TrendPointOf(s *Summary) TrendPoint {
	m := s.Meta()
	p := TrendPoint{SnapshotID: m.SnapshotID, Time: m.StartedAt, Counts: s.Totals(), Scores: map[string]float64{}}
	for _, fw := range s.Frameworks() {
		if v, ok := fw.Score(); ok {
			p.Scores[fw.ID] = v
		}
	}
	return p
}

// htmlTemplate parses the embedded page template once per report; parsing
// takes well under a millisecond and keeps the package free of globals.
func htmlTemplate() (*template.Template, error) {
	funcs := template.FuncMap{
		"int":  formatInt,
		"pct":  formatPercent,
		"sev":  func(s finding.Severity) string { return clampSeverity(s).String() },
		"date": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") },
	}
	return template.New("report.tmpl").Funcs(funcs).ParseFS(htmlAssets, "html/report.tmpl", "html/ai.tmpl")
}

func formatPercent(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	return strconv.FormatFloat(math.Floor(v*10)/10, 'f', 1, 64) + "%"
}

// WriteHTML writes one self-contained HTML page: the snapshot's scope and
// time, framework scores with every requirement's outcome, severity and
// trend charts (inline SVG), the responsibility matrix, the top failing
// checks, per-account and per-region counts, collection errors, and every
// finding with its remediation in a table that pages and filters in the
// browser, offline. The page makes no network requests.
//
// Findings are encoded as they stream from all (see html_data.go), so memory
// is bounded by the dictionaries' cap, not by the number of findings. An
// error from all stops the page midway and is returned.
func WriteHTML(w io.Writer, s *Summary, all iter.Seq2[finding.Finding, error], opts HTMLOptions) error {
	tmpl, err := htmlTemplate()
	if err != nil {
		return fmt.Errorf("write html report: parse template: %w", err)
	}
	css, err := htmlAssets.ReadFile("html/report.css")
	if err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	js, err := htmlAssets.ReadFile("html/report.js")
	if err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := tmpl.ExecuteTemplate(bw, "head", newHTMLView(s, opts, string(css))); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	if err := writeHTMLFindings(bw, s, all, opts.PageSize, htmlDictMax); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	bw.WriteString("<script>\n")
	bw.Write(js)
	bw.WriteString("</script>\n")
	if err := tmpl.ExecuteTemplate(bw, "tail", nil); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// writeHTMLFindings writes two JSON script elements: cw-findings, an array
// of findings, then cw-dict, the dictionaries the findings index into and
// the check catalog.
//
// A finding is [check, status, severity, uid, name, kind, provider, account,
// region, reason]: severity is 0 (info) to 4 (critical); every other field
// is an index into the dictionary of the same name or, once that dictionary
// is full (dictMax entries), the string itself.
func writeHTMLFindings(bw *bufio.Writer, s *Summary, all iter.Seq2[finding.Finding, error], pageSize, dictMax int) error {
	checks := s.Checks()
	ids := make([]string, len(checks))
	for i, c := range checks {
		ids[i] = c.ID
	}
	statuses := make([]string, len(finding.Statuses))
	for i, st := range finding.Statuses {
		statuses[i] = string(st)
	}
	var (
		checkDict    = newHTMLDict(math.MaxInt, ids...)
		statusDict   = newHTMLDict(max(dictMax, len(statuses)), statuses...)
		uidDict      = newHTMLDict(dictMax)
		nameDict     = newHTMLDict(dictMax)
		kindDict     = newHTMLDict(dictMax)
		providerDict = newHTMLDict(dictMax)
		accountDict  = newHTMLDict(dictMax)
		regionDict   = newHTMLDict(dictMax)
		reasonDict   = newHTMLDict(dictMax, "")
	)
	bw.WriteString(`<script type="application/json" id="cw-findings">[`)
	b := make([]byte, 0, 512)
	n := 0
	for f, err := range all {
		if err != nil {
			return fmt.Errorf("read findings: %w", err)
		}
		b = b[:0]
		if n > 0 {
			b = append(b, ',')
		}
		if n%64 == 0 {
			b = append(b, '\n') // keep lines short for editors and diffs
		}
		b = append(b, '[')
		b = checkDict.appendRef(b, f.CheckID)
		b = append(b, ',')
		b = statusDict.appendRef(b, string(f.Status))
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(clampSeverity(f.Severity)), 10)
		b = append(b, ',')
		b = uidDict.appendRef(b, f.ResourceUID)
		b = append(b, ',')
		b = nameDict.appendRef(b, f.ResourceName)
		b = append(b, ',')
		b = kindDict.appendRef(b, f.Kind)
		b = append(b, ',')
		b = providerDict.appendRef(b, f.Provider)
		b = append(b, ',')
		b = accountDict.appendRef(b, f.Account)
		b = append(b, ',')
		b = regionDict.appendRef(b, f.Region)
		b = append(b, ',')
		b = reasonDict.appendRef(b, f.Reason)
		b = append(b, ']')
		if _, err := bw.Write(b); err != nil {
			return err
		}
		n++
	}
	bw.WriteString("]</script>\n")

	if pageSize <= 0 {
		pageSize = DefaultHTMLPageSize
	}
	b = append(b[:0], `<script type="application/json" id="cw-dict">{"version":1,"pageSize":`...)
	b = strconv.AppendInt(b, int64(pageSize), 10)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `,"severities":["info","low","medium","high","critical"],"checks":[`...)
	for i, id := range checkDict.list {
		c, ok := s.Check(id)
		if !ok {
			c.ID = id
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = appendJSONStrings(b, []string{c.ID, c.Title, c.Provider, c.Area, c.Remediation})
		b = append(b[:len(b)-1], ',') // open the array back up for the severity
		b = strconv.AppendInt(b, int64(clampSeverity(c.Severity)), 10)
		b = append(b, ']')
	}
	b = append(b, ']')
	for _, d := range []struct {
		name string
		dict *htmlDict
	}{
		{"statuses", statusDict}, {"uids", uidDict}, {"names", nameDict}, {"kinds", kindDict},
		{"providers", providerDict}, {"accounts", accountDict}, {"regions", regionDict}, {"reasons", reasonDict},
	} {
		b = append(b, ",\n\""...)
		b = append(b, d.name...)
		b = append(b, `":`...)
		b = d.dict.appendList(b)
	}
	b = append(b, "}</script>\n"...)
	_, err := bw.Write(b)
	return err
}

// The page's view model. Geometry for the SVG charts is computed here so
// the template only places it.
type (
	htmlView struct {
		CSS        template.CSS
		Meta       Meta
		Duration   string
		Totals     Counts
		PassRate   string
		Frameworks []htmlFramework
		Severity   htmlSeverityChart
		Areas      []htmlArea
		// BlindSpots are set when the summary has the responsibility section.
		BlindSpots []responsibility.BlindSpot
		TopFailing []CheckSummary
		Accounts   htmlGroupTable
		Regions    htmlGroupTable
		Errors     []resource.CollectionError
		MoreErrors int
		Trend      *htmlTrend
		AI         *htmlAIInventory
	}
	htmlSegment struct {
		Class string
		// X and W are in chart units for SVG bars, in percent for HTML bars.
		X, W  float64
		Count int64
	}
	htmlFramework struct {
		FrameworkScore
		ScoreText    string
		ScoreClass   string
		Segments     []htmlSegment
		Requirements []htmlRequirement
	}
	htmlRequirement struct {
		RequirementResult
		StatusText string
	}
	htmlSeverityChart struct {
		Width, Height float64
		Rows          []htmlSeverityRow
	}
	htmlSeverityRow struct {
		Name     string
		Y, TextY float64
		Counts   Counts
		Segments []htmlSegment
		EndX     float64
	}
	htmlArea struct {
		Area     string
		Checks   int
		Counts   Counts
		PassRate string
		// Heat is 0–4: how much of the area's decided findings fail.
		Heat int
	}
	htmlGroupTable struct {
		// Column is the heading of the second column; Filter is the
		// findings filter its values set.
		Column, Filter string
		Rows           []htmlGroup
	}
	htmlGroup struct {
		Group
		// Value is the account or the region.
		Value    string
		PassRate string
		Segments []htmlSegment
	}
	htmlTrend struct {
		Width, Height float64
		Left, Right   float64
		Top, Bottom   float64
		// Score chart: lines of percentages.
		Lines []htmlTrendLine
		// Fail chart: one bar per point.
		Bars    []htmlTrendBar
		MaxFail int64
		Ticks   []htmlTick
		Labels  []htmlTick
	}
	htmlTrendLine struct {
		Name   string
		Class  string
		Points string
		Dots   []htmlTrendDot
	}
	htmlTrendDot struct {
		X, Y  float64
		Label string
	}
	htmlTrendBar struct {
		X, Y, W, H float64
		Label      string
	}
	htmlTick struct {
		X, Y  float64
		Label string
	}
)

var statusClasses = [...]struct {
	status finding.Status
	class  string
}{{finding.Fail, "fail"}, {finding.Error, "error"}, {finding.Muted, "muted"}, {finding.Pass, "pass"}}

// segments splits width w into one segment per status of c, scaled so that
// total fills w.
func segments(c Counts, total int64, w float64) []htmlSegment {
	if total <= 0 {
		return nil
	}
	var out []htmlSegment
	x := 0.0
	for _, sc := range statusClasses {
		n := c.Of(sc.status)
		if n == 0 {
			continue
		}
		sw := w * float64(n) / float64(total)
		out = append(out, htmlSegment{Class: sc.class, X: round2(x), W: round2(sw), Count: n})
		x += sw
	}
	return out
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

var requirementText = map[RequirementStatus]string{
	RequirementPass: "pass", RequirementFail: "fail", RequirementError: "error",
	RequirementNoResources: "no resources", RequirementManual: "manual",
}

func newHTMLView(s *Summary, opts HTMLOptions, css string) htmlView {
	m := s.Meta()
	v := htmlView{
		CSS:        template.CSS(css),
		Meta:       m,
		Totals:     s.Totals(),
		PassRate:   formatPercent(s.Totals().PassRate()),
		TopFailing: s.TopFailing(htmlTopFailing),
		Errors:     m.CollectionErrors,
	}
	if d := m.Duration(); d > 0 {
		v.Duration = formatDuration(d)
	}
	if len(v.Errors) > htmlCollectionErrors {
		v.MoreErrors = len(v.Errors) - htmlCollectionErrors
		v.Errors = v.Errors[:htmlCollectionErrors]
	}
	for _, fw := range s.Frameworks() {
		score, ok := fw.Score()
		hf := htmlFramework{FrameworkScore: fw, ScoreText: formatPercent(score, ok), ScoreClass: scoreClass(score, ok)}
		n := len(fw.Requirements)
		if n > 0 {
			x := 0.0
			for _, p := range []struct {
				class string
				n     int
			}{{"pass", fw.Passed}, {"fail", fw.Failed}, {"error", fw.Errored}, {"none", fw.NoResources}, {"manual", fw.Manual}} {
				if p.n == 0 {
					continue
				}
				w := 100 * float64(p.n) / float64(n)
				hf.Segments = append(hf.Segments, htmlSegment{Class: p.class, X: round2(x), W: round2(w), Count: int64(p.n)})
				x += w
			}
		}
		for _, r := range fw.Requirements {
			hf.Requirements = append(hf.Requirements, htmlRequirement{RequirementResult: r, StatusText: requirementText[r.Status]})
		}
		v.Frameworks = append(v.Frameworks, hf)
	}
	v.Severity = severityChart(s)
	v.Areas = areaMatrix(s)
	if r := s.Responsibility(); r != nil {
		v.BlindSpots = r.BlindSpots
	}
	v.Accounts = htmlGroupTable{Column: "Account", Filter: "account", Rows: htmlGroups(s.Accounts(), func(g Group) string { return g.Account })}
	v.Regions = htmlGroupTable{Column: "Region", Filter: "region", Rows: htmlGroups(s.Regions(), func(g Group) string { return g.Region })}
	v.Trend = trendChart(opts.Trend, s.Frameworks())
	v.AI = newHTMLAIInventory(s.ai)
	return v
}

func scoreClass(score float64, ok bool) string {
	switch {
	case !ok:
		return "none"
	case score >= 90:
		return "good"
	case score >= 70:
		return "fair"
	}
	return "poor"
}

// Severity chart layout, in SVG units.
const (
	sevLabelW = 80.0
	sevBarW   = 400.0
	sevRowH   = 30.0
	sevBarH   = 20.0
)

func severityChart(s *Summary) htmlSeverityChart {
	var maxTotal int64
	for _, sev := range finding.Severities {
		maxTotal = max(maxTotal, s.Severity(sev).Total())
	}
	c := htmlSeverityChart{Width: sevLabelW + sevBarW + 150, Height: sevRowH * float64(len(finding.Severities))}
	for i, sev := range finding.Severities {
		counts := s.Severity(sev)
		segs := segments(counts, maxTotal, sevBarW)
		end := sevLabelW
		for j := range segs {
			segs[j].X += sevLabelW
			end = segs[j].X + segs[j].W
		}
		y := float64(i) * sevRowH
		c.Rows = append(c.Rows, htmlSeverityRow{
			Name: sev.String(), Y: y + (sevRowH-sevBarH)/2, TextY: y + sevRowH/2 + 5,
			Counts: counts, Segments: segs, EndX: round2(end + 8),
		})
	}
	return c
}

func areaMatrix(s *Summary) []htmlArea {
	byArea := map[string]*htmlArea{}
	for _, c := range s.Checks() {
		a := byArea[c.Area]
		if a == nil {
			a = &htmlArea{Area: c.Area}
			byArea[c.Area] = a
		}
		a.Checks++
		a.Counts.merge(c.Counts)
	}
	order := make(map[string]int, len(responsibility.Areas))
	for i, a := range responsibility.Areas {
		order[string(a)] = i
	}
	out := make([]htmlArea, 0, len(byArea))
	for _, a := range byArea {
		rate, ok := a.Counts.PassRate()
		a.PassRate = formatPercent(rate, ok)
		if d := a.Counts.Pass + a.Counts.Fail; d > 0 {
			a.Heat = int(math.Ceil(4 * float64(a.Counts.Fail) / float64(d)))
		}
		if a.Area == "" {
			a.Area = "unassigned"
		}
		out = append(out, *a)
	}
	rank := func(a string) int {
		if i, ok := order[a]; ok {
			return i
		}
		return len(order)
	}
	slices.SortFunc(out, func(a, b htmlArea) int {
		return cmp.Or(cmp.Compare(rank(a.Area), rank(b.Area)), cmp.Compare(a.Area, b.Area))
	})
	return out
}

func htmlGroups(gs []Group, value func(Group) string) []htmlGroup {
	out := make([]htmlGroup, 0, len(gs))
	for _, g := range gs {
		rate, ok := g.Counts.PassRate()
		out = append(out, htmlGroup{Group: g, Value: value(g), PassRate: formatPercent(rate, ok), Segments: segments(g.Counts, g.Counts.Total(), 100)})
	}
	return out
}

// Trend chart layout, in SVG units.
const (
	trendW      = 640.0
	trendH      = 220.0
	trendLeft   = 48.0
	trendRight  = 24.0
	trendTop    = 12.0
	trendBottom = 28.0
	// trendMaxLabels caps the x-axis date labels.
	trendMaxLabels = 8
)

// trendChart lays out the score lines (overall pass rate and each
// framework's score) and the FAIL bars; nil when there are fewer than two
// points.
func trendChart(points []TrendPoint, fws []FrameworkScore) *htmlTrend {
	if len(points) < 2 {
		return nil
	}
	t := &htmlTrend{Width: trendW, Height: trendH, Left: trendLeft, Right: trendW - trendRight, Top: trendTop, Bottom: trendH - trendBottom}
	plotW, plotH := t.Right-t.Left, t.Bottom-t.Top
	xAt := func(i int) float64 { return round2(t.Left + plotW*float64(i)/float64(len(points)-1)) }
	yAt := func(pct float64) float64 { return round2(t.Bottom - plotH*min(max(pct, 0), 100)/100) }
	for _, pct := range []float64{0, 25, 50, 75, 100} {
		t.Ticks = append(t.Ticks, htmlTick{X: t.Left - 6, Y: yAt(pct), Label: strconv.Itoa(int(pct)) + "%"})
	}
	step := max(1, int(math.Ceil(float64(len(points))/trendMaxLabels)))
	for i := 0; i < len(points); i += step {
		t.Labels = append(t.Labels, htmlTick{X: xAt(i), Y: t.Bottom + 18, Label: points[i].Time.UTC().Format("Jan 2")})
	}

	line := func(name, class string, value func(TrendPoint) (float64, bool)) {
		l := htmlTrendLine{Name: name, Class: class}
		for i, p := range points {
			v, ok := value(p)
			if !ok {
				continue
			}
			x, y := xAt(i), yAt(v)
			if l.Points != "" {
				l.Points += " "
			}
			l.Points += strconv.FormatFloat(x, 'f', -1, 64) + "," + strconv.FormatFloat(y, 'f', -1, 64)
			l.Dots = append(l.Dots, htmlTrendDot{X: x, Y: y, Label: fmt.Sprintf("%s · snapshot %d · %s", name, p.SnapshotID, formatPercent(v, true))})
		}
		if len(l.Dots) > 0 {
			t.Lines = append(t.Lines, l)
		}
	}
	line("Pass rate", "series0", func(p TrendPoint) (float64, bool) { return p.Counts.PassRate() })
	for i, fw := range fws {
		line(fw.Title, "series"+strconv.Itoa(i%5+1), func(p TrendPoint) (float64, bool) {
			v, ok := p.Scores[fw.ID]
			return v, ok
		})
	}

	for _, p := range points {
		t.MaxFail = max(t.MaxFail, p.Counts.Fail)
	}
	barW := min(plotW/float64(len(points)-1)*0.6, 2*trendRight)
	for i, p := range points {
		h := 0.0
		if t.MaxFail > 0 {
			h = plotH * float64(p.Counts.Fail) / float64(t.MaxFail)
		}
		t.Bars = append(t.Bars, htmlTrendBar{
			X: round2(xAt(i) - barW/2), Y: round2(t.Bottom - h), W: round2(barW), H: round2(h),
			Label: fmt.Sprintf("snapshot %d · %s · %s FAIL", p.SnapshotID, p.Time.UTC().Format("2006-01-02 15:04"), formatInt(p.Counts.Fail)),
		})
	}
	return t
}
