package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The end-to-end targets of issue 11 on the project's 2-core machine.
const (
	targetSize     = 1_000_000
	targetWall     = 60 * time.Second
	targetRSS      = 1 << 30
	targetPGFactor = 2.0
)

// benchReport is everything the report shows; rendering it is a pure
// function of these values.
type benchReport struct {
	Command            string
	Started            time.Time
	Took               time.Duration
	Machine            machine
	LoadStart, LoadEnd loadAvg
	Binary             string // how the measured cloudward was obtained
	ScanOutput         string // json or table
	Postgres           string // the PostgreSQL server the postgres backend used, if any
	Notes              []string
	Scans              []scanRun
	Rescan             bool
	Repeat             int  // --repeat
	ScansOff           bool // --sizes none
	ComponentsOff      bool
	Components         []componentRun
}

// failed reports whether any measurement failed.
func (r *benchReport) failed() bool {
	for _, s := range r.Scans {
		if s.Err != "" {
			return true
		}
	}
	for _, c := range r.Components {
		if c.Err != "" {
			return true
		}
		for _, s := range c.Skips {
			if s.Failed {
				return true
			}
		}
	}
	return false
}

// render writes the report as Markdown.
func (r *benchReport) render(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# cloudward benchmarks\n\n")
	p("| | |\n|---|---|\n")
	commit := "unknown"
	if r.Machine.Commit != "" {
		commit = "`" + r.Machine.Commit + "`"
		if r.Machine.Dirty > 0 {
			commit += fmt.Sprintf(" with uncommitted changes in %d files", r.Machine.Dirty)
		}
	}
	p("| Commit | %s |\n", commit)
	p("| Go | %s %s |\n", orUnknown(r.Machine.Go), r.Machine.OSArch)
	mach := fmt.Sprintf("%d CPUs (nproc), %s, %s memory", r.Machine.CPUs, orUnknown(r.Machine.CPUModel), gib(r.Machine.MemBytes))
	if r.Machine.Kernel != "" {
		mach += ", Linux " + r.Machine.Kernel
	}
	p("| Machine | %s |\n", mach)
	if len(r.Machine.Env) > 0 {
		p("| Environment | `%s` |\n", strings.Join(r.Machine.Env, "` `"))
	}
	p("| Load average (1, 5, 15 min) | start %s; end %s |\n", r.LoadStart, r.LoadEnd)
	p("| Started | %s, took %s |\n", r.Started.UTC().Format("2006-01-02 15:04:05 MST"), roundDuration(r.Took))
	p("| Command | `%s` |\n", r.Command)
	p("| cloudward | %s |\n", r.Binary)
	if r.Postgres != "" {
		p("| PostgreSQL | %s |\n", r.Postgres)
	}
	p("\n")
	// More runnable tasks than CPUs on average: the benchmarks shared the
	// CPUs (a scan alone keeps both cores of the project's machine busy for
	// part of its run, which the end figure includes).
	if busy := max(r.LoadStart[0], r.LoadEnd[0]); r.Machine.CPUs > 0 && busy > float64(r.Machine.CPUs) {
		p("> **The machine was busy** (load average up to %.2f on %d CPUs): wall times are upper bounds. CPU time (user + sys) is the steadier figure; compare runs made back to back on a quiet machine.\n\n", busy, r.Machine.CPUs)
	}
	for _, n := range r.Notes {
		p("- %s\n", n)
	}
	if len(r.Notes) > 0 {
		p("\n")
	}

	if r.ScansOff {
		p("## End to end\n\nNot run (--sizes none).\n\n")
	} else {
		r.renderScans(p)
		r.renderTargets(p)
	}
	if r.Rescan {
		r.renderRescan(p)
	}
	r.renderComponents(p)
	_, err := io.WriteString(w, b.String())
	return err
}

type printer func(format string, args ...any)

func (r *benchReport) firstPass() []scanRun {
	var runs []scanRun
	for _, s := range r.Scans {
		if s.Pass == 1 {
			runs = append(runs, s)
		}
	}
	return runs
}

func (r *benchReport) renderScans(p printer) {
	out := "json=out.json"
	if r.ScanOutput == "table" {
		out = "table"
	}
	p("## End to end: `cloudward scan --demo --demo-size N --db STORE --output %s -v`\n\n", out)
	runs := r.firstPass()
	if len(runs) == 0 {
		p("No scan ran.\n\n")
		return
	}
	withJSON := r.ScanOutput == "json"
	header := []string{"Backend", "--demo-size", "Resources", "Findings", "Wall", "Resources/s", "CPU (user + sys)", "Peak RSS", "DB size"}
	if withJSON {
		header[3] = "Findings (FAIL / ERROR)"
		header = append(header, "JSON report")
	}
	p("| %s |\n|---|%s\n", strings.Join(header, " | "), strings.Repeat("---:|", len(header)-1))
	var errs []string
	for _, s := range runs {
		if s.Err != "" {
			p("| %s | %s | **failed** (below) |%s\n", r.label(s), thousands(int64(s.Size)), strings.Repeat(" |", len(header)-3))
			errs = append(errs, fmt.Sprintf("%s, --demo-size %d: %s", r.label(s), s.Size, s.Err))
			continue
		}
		cpu := fmt.Sprintf("%s (%s + %s)", seconds(s.CPU()), secondsBare(s.User), secondsBare(s.Sys))
		if s.Backend == backendPostgres {
			if s.ServerMeasured {
				cpu += fmt.Sprintf("; server %s, total %s", seconds(s.ServerCPU), seconds(s.CPU()+s.ServerCPU))
			} else {
				cpu += "; server not measured"
			}
		}
		findings := thousands(s.Findings)
		if withJSON {
			findings += fmt.Sprintf(" (%s / %s)", thousands(s.Fail), thousands(s.Error))
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |", r.label(s), thousands(int64(s.Size)),
			thousands(s.Resources), findings,
			seconds(s.Wall), thousands(int64(math.Round(float64(s.Resources)/s.Wall.Seconds()))),
			cpu, mib(s.MaxRSS), mb(s.DBBytes))
		if withJSON {
			p(" %s |", mb(s.OutBytes))
		}
		p("\n")
	}
	p("\n")
	p("Wall is the scan process's lifetime; CPU, peak RSS (`ru_maxrss`) are the cloudward process's own (`getrusage` of the child). ")
	p("Resources/s is resources ÷ wall (the 60 s target for 1,000,000 is 16,667/s). DB size is the SQLite file plus its `-wal`, or `pg_database_size`, after the scan.")
	if slices.ContainsFunc(runs, func(s scanRun) bool { return s.Backend == backendPostgres }) {
		p(" For PostgreSQL, the server's CPU is not in the child's rusage: \"server\" is the CPU of the postmaster, its background processes and the scan's backends, read from /proc before and after the scan (when the cluster was started here; an external --pg-dsn server is not measured). Its memory is not measured.")
	}
	p("\n\n")

	// Phases, as the -v log's "scan done" line gives them.
	var names []string
	for _, s := range runs {
		for _, ph := range s.Phases {
			if !slices.Contains(names, ph.Name) {
				names = append(names, ph.Name)
			}
		}
	}
	if len(names) > 0 {
		p("Phases (the `scan done` line of the -v log; the rest is process start, catalog loading, reports and exit):\n\n")
		p("| Backend | Resources |")
		for _, n := range names {
			p(" %s |", n)
		}
		p(" rest |\n|---|---:|%s---:|\n", strings.Repeat("---:|", len(names)))
		for _, s := range runs {
			if s.Err != "" {
				continue
			}
			p("| %s | %s |", r.label(s), thousands(s.Resources))
			var sum time.Duration
			for _, n := range names {
				i := slices.IndexFunc(s.Phases, func(ph phase) bool { return ph.Name == n })
				if i < 0 {
					p(" — |")
					continue
				}
				sum += s.Phases[i].D
				p(" %s |", seconds(s.Phases[i].D))
			}
			p(" %s |\n", seconds(max(s.Wall-sum, 0)))
		}
		p("\n")
	}
	for _, e := range errs {
		p("Failed:%s\n\n", fence(e))
	}
	if profs := profiles(r.Scans); len(profs) > 0 {
		p("CPU profiles: %s (`go tool pprof -top BINARY FILE`).\n\n", strings.Join(profs, ", "))
	}
}

func profiles(runs []scanRun) []string {
	var ps []string
	for _, s := range runs {
		if s.Profile != "" && s.Err == "" {
			ps = append(ps, "`"+s.Profile+"`")
		}
	}
	return ps
}

// find returns the successful first-pass scan of backend at size; with
// several (--repeat), the one with the median wall time (the lower of the
// two middle ones for an even count), and how many there were.
func (r *benchReport) find(backend string, size int) (scanRun, int) {
	var ok []scanRun
	for _, s := range r.Scans {
		if s.Backend == backend && s.Size == size && s.Pass == 1 && s.Err == "" {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 {
		return scanRun{}, 0
	}
	slices.SortStableFunc(ok, func(a, b scanRun) int { return cmp.Compare(a.Wall, b.Wall) })
	return ok[(len(ok)-1)/2], len(ok)
}

// findRun returns the successful first-pass scan of one repetition.
func (r *benchReport) findRun(backend string, size, run int) (scanRun, bool) {
	for _, s := range r.Scans {
		if s.Backend == backend && s.Size == size && s.Run == run && s.Pass == 1 && s.Err == "" {
			return s, true
		}
	}
	return scanRun{}, false
}

// label names a scan's backend in tables, with its repetition under
// --repeat.
func (r *benchReport) label(s scanRun) string {
	if r.Repeat > 1 {
		return fmt.Sprintf("%s #%d", s.Backend, s.Run)
	}
	return s.Backend
}

// median says which of several scans a target figure comes from.
func median(n int) string {
	if n < 2 {
		return ""
	}
	return fmt.Sprintf(" (median of %d scans)", n)
}

func (r *benchReport) renderTargets(p printer) {
	p("### Against the targets of issue 11\n\n")
	p("Targets on the project's 2-core machine: 1,000,000 resources end to end in under 60 s with peak RSS under 1 GiB on SQLite, and PostgreSQL within 2× of that.\n\n")
	p("| Target | Measured | |\n|---|---|---|\n")
	notMeasured := "not measured: add 1000000 to --sizes"
	lite, nLite := r.find(backendSQLite, targetSize)
	pg, nPG := r.find(backendPostgres, targetSize)
	haveLite, havePG := nLite > 0, nPG > 0
	if haveLite {
		p("| SQLite, 1,000,000 resources: wall < 60 s | %s%s | %s |\n", seconds(lite.Wall), median(nLite), verdict(lite.Wall < targetWall, lite.Wall.Seconds()/targetWall.Seconds()))
		p("| SQLite, 1,000,000 resources: peak RSS < 1 GiB | %s%s | %s |\n", mib(lite.MaxRSS), median(nLite), verdict(lite.MaxRSS < targetRSS, float64(lite.MaxRSS)/targetRSS))
	} else {
		p("| SQLite, 1,000,000 resources: wall < 60 s | %s | |\n", notMeasured)
		p("| SQLite, 1,000,000 resources: peak RSS < 1 GiB | %s | |\n", notMeasured)
	}
	switch {
	case havePG && haveLite:
		ratio := pg.Wall.Seconds() / lite.Wall.Seconds()
		p("| PostgreSQL, 1,000,000 resources: wall ≤ 2× SQLite's | %s = %.2f× SQLite's %s | %s |\n", seconds(pg.Wall), ratio, seconds(lite.Wall), verdict(ratio <= targetPGFactor, 0))
	case havePG:
		p("| PostgreSQL, 1,000,000 resources: wall ≤ 2× SQLite's | %s; SQLite not measured | |\n", seconds(pg.Wall))
	default:
		p("| PostgreSQL, 1,000,000 resources: wall ≤ 2× SQLite's | %s | |\n", notMeasured)
	}
	if havePG {
		p("| PostgreSQL, 1,000,000 resources: wall < 120 s (2× the SQLite target) | %s%s | %s |\n", seconds(pg.Wall), median(nPG), verdict(pg.Wall < 2*targetWall, pg.Wall.Seconds()/(2*targetWall.Seconds())))
		p("| PostgreSQL, 1,000,000 resources: cloudward's peak RSS < 2 GiB | %s%s | %s |\n", mib(pg.MaxRSS), median(nPG), verdict(pg.MaxRSS < 2*targetRSS, float64(pg.MaxRSS)/(2*targetRSS)))
	}
	p("\n")
}

// verdict says whether a target is met; over > 0 is the measured value as
// a multiple of the target.
func verdict(met bool, over float64) string {
	if met {
		return "met"
	}
	if over > 0 {
		return fmt.Sprintf("**not met** (%.2f× the target)", over)
	}
	return "**not met**"
}

func (r *benchReport) renderRescan(p printer) {
	p("## Rescan into the same store\n\n")
	p("| Backend | Resources | DB after 1st scan | after 2nd | Growth | 2nd scan wall | 2nd scan CPU |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, second := range r.Scans {
		if second.Pass != 2 {
			continue
		}
		first, ok := r.findRun(second.Backend, second.Size, second.Run)
		if !ok {
			continue
		}
		if second.Err != "" {
			p("| %s | %s | %s | **failed**: %s ||||\n", r.label(second), thousands(first.Resources), mb(first.DBBytes), oneLine(second.Err))
			continue
		}
		growth := second.DBBytes - first.DBBytes
		pct := 0.0
		if first.DBBytes > 0 {
			pct = float64(growth) / float64(first.DBBytes) * 100
		}
		p("| %s | %s | %s | %s | +%s (%+.1f %%) | %s | %s |\n", r.label(second), thousands(second.Resources),
			mb(first.DBBytes), mb(second.DBBytes), mb(growth), pct, seconds(second.Wall), seconds(second.CPU()))
	}
	p("\n`cloudward scan --demo` has no fixed-clock option: each scan dates the demo estate from the real clock ")
	p("(key ages, last logins and other timestamps move), so many property documents differ between the two scans ")
	p("and are stored again. This growth is therefore an **upper bound** for a daily scan of an unchanged estate; ")
	p("the `rescan` and `rescan-postgres` component benchmarks below (with --components) scan one estate twice with a fixed clock.\n\n")
}

func (r *benchReport) renderComponents(p printer) {
	p("## Component benchmarks\n\n")
	if r.ComponentsOff {
		p("Not run (--components=false).\n")
		return
	}
	for _, c := range r.Components {
		p("### %s: %s\n\n", c.Name, c.Title)
		if c.Skipped != "" {
			p("Not run: %s\n\n", c.Skipped)
			continue
		}
		p("`%s` (%s, compilation included)\n\n", c.Command, roundDuration(c.Wall))
		if len(c.Results) > 0 {
			var units []string
			for _, res := range c.Results {
				for _, m := range res.Metrics {
					if !slices.Contains(units, m.Unit) {
						units = append(units, m.Unit)
					}
				}
			}
			p("| Benchmark | Iterations |")
			for _, u := range units {
				p(" %s |", u)
			}
			p("\n|---|---:|%s\n", strings.Repeat("---:|", len(units)))
			for _, res := range c.Results {
				p("| %s | %s |", res.Name, thousands(res.Iters))
				for _, u := range units {
					i := slices.IndexFunc(res.Metrics, func(m metric) bool { return m.Unit == u })
					if i < 0 {
						p(" — |")
						continue
					}
					p(" %s |", formatValue(res.Metrics[i].Value))
				}
				p("\n")
			}
			p("\n")
		}
		for _, s := range c.Skips {
			what := "skipped"
			if s.Failed {
				what = "**failed**"
			}
			p("- %s %s: %s\n", s.Name, what, orUnknown(oneLine(s.Reason)))
		}
		if len(c.Skips) > 0 {
			p("\n")
		}
		if c.Err != "" {
			p("Failed:%s\n\n", fence(c.Err))
		}
	}
}

// fence renders a possibly multi-line message to follow a colon: inline
// code when it is one line, else a fenced block.
func fence(s string) string {
	if !strings.Contains(s, "\n") {
		return " `" + strings.ReplaceAll(s, "`", "'") + "`"
	}
	return "\n\n```text\n" + strings.ReplaceAll(s, "```", "'''") + "\n```"
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// seconds formats a duration as seconds: 1.75 s, 15.6 s, 190.6 s.
func seconds(d time.Duration) string { return secondsBare(d) + " s" }

func secondsBare(d time.Duration) string {
	s := d.Seconds()
	if s < 10 {
		return strconv.FormatFloat(s, 'f', 2, 64)
	}
	return strconv.FormatFloat(s, 'f', 1, 64)
}

// roundDuration renders a wall-clock span for people: 45 s, 3 min 12 s.
func roundDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
}

func mib(b int64) string { return thousands(int64(math.Round(float64(b)/(1<<20)))) + " MiB" }

func gib(b int64) string {
	if b <= 0 {
		return "unknown"
	}
	return strconv.FormatFloat(float64(b)/(1<<30), 'f', 1, 64) + " GiB"
}

// mb formats a size in decimal units, as docs/performance.md does: 22.5 MB,
// 226 MB, 2.27 GB.
func mb(b int64) string {
	switch {
	case b >= 1e9:
		return strconv.FormatFloat(float64(b)/1e9, 'f', 2, 64) + " GB"
	case b >= 100e6:
		return thousands(int64(math.Round(float64(b)/1e6))) + " MB"
	default:
		return strconv.FormatFloat(float64(b)/1e6, 'f', 1, 64) + " MB"
	}
}

// formatValue formats a benchmark metric: whole numbers with separators,
// others with three significant digits (more when they are large).
func formatValue(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return thousands(int64(v))
	case math.Abs(v) >= 1000:
		return thousands(int64(math.Round(v)))
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}
