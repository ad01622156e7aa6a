package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Backends.
const (
	backendSQLite   = "sqlite"
	backendPostgres = "postgres"
)

// options are the command's flags, validated.
type options struct {
	Sizes         []int
	Backends      []string // sqlite, postgres; nil: auto
	PGDSN         string
	Rescan        bool
	Components    bool
	Only          []string // component names to run; nil: all
	Count         int
	Repeat        int // end-to-end scans per size and backend
	Out           string
	CPUProfileDir string
	Cloudward     string // a built cloudward to measure instead of building one
	BuildFlags    []string
	ScanOutput    string // json or table
	WorkDir       string
	Keep          bool
	Repo          string
	RawDir        string // where the benchmark-format outputs are kept
}

const usageText = `cloudward-bench runs cloudward's benchmarks with one command and prints a
Markdown report: end-to-end demo scans at each --sizes on each backend
(wall time, CPU, peak RSS, database size, phases), optionally a rescan into
the same store, and the packages' component benchmarks.

Usage:
  go run ./cmd/cloudward-bench [flags]

Examples:
  go run ./cmd/cloudward-bench                                  # 10,000 and 100,000; components
  go run ./cmd/cloudward-bench --sizes 10000,100000,1000000 --out bench.md
  go run ./cmd/cloudward-bench --sizes 100k --components=false --rescan
  go run ./cmd/cloudward-bench --backends postgres --pg-dsn 'postgres://me@db/bench'

Flags:
`

// parseOptions parses and validates the command line.
func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("cloudward-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	sizes := fs.String("sizes", "10000,100000", "demo estate sizes to scan end to end, comma-separated (10k and 1M work too); none: no end-to-end scan")
	backends := fs.String("backends", "auto", "stores to scan into, comma-separated: sqlite, postgres; auto: sqlite, and postgres when its server binaries are found or --pg-dsn is given")
	fs.StringVar(&o.PGDSN, "pg-dsn", "", "postgres:// URL of an existing server to use instead of starting a throwaway cluster (the role needs CREATEDB; its CPU is not measured)")
	fs.BoolVar(&o.Rescan, "rescan", false, "scan each size a second time into the same store and report the growth")
	comps := &componentsFlag{on: true}
	fs.Var(comps, "components", "run the packages' component benchmarks (go test -bench): true, false, or --components=NAMES to run some ("+strings.Join(componentNames(), ", ")+")")
	fs.IntVar(&o.Count, "count", 1, "go test -count for the component benchmarks")
	fs.IntVar(&o.Repeat, "repeat", 1, "scan each size on each backend this many times (each into a new store; the targets use the median wall time)")
	fs.StringVar(&o.Out, "out", "", "write the report to `FILE` instead of stdout")
	fs.StringVar(&o.CPUProfileDir, "cpu-profile-dir", "", "write a CPU profile of each scan to `DIR`/scan-<backend>-<size>.prof (created if missing)")
	fs.StringVar(&o.Cloudward, "cloudward", "", "measure this cloudward `binary` instead of building ./cmd/cloudward")
	buildFlags := fs.String("build-flags", "", "extra flags for go build of cloudward, space-separated (e.g. -pgo=off)")
	fs.StringVar(&o.ScanOutput, "scan-output", "json", "the scans' report: json (every finding, to a file) or table (the terminal table, discarded)")
	fs.StringVar(&o.WorkDir, "work-dir", "", "directory for the binary, databases and logs (default: the system temporary directory); removed at the end unless --keep")
	fs.BoolVar(&o.Keep, "keep", false, "keep the work directory (databases, logs, JSON outputs)")
	fs.StringVar(&o.RawDir, "raw-dir", "", "also write the figures in Go's benchmark format to `DIR` (e2e.txt, bench-<component>.txt), for benchstat")
	fs.StringVar(&o.Repo, "repo", ".", "the cloudward repository (module root or a directory inside it)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		if slices.Contains(componentNames(), strings.Split(fs.Arg(0), ",")[0]) {
			return o, fmt.Errorf("unexpected arguments %q: name components with --components=%s (with '=')", fs.Args(), fs.Arg(0))
		}
		return o, fmt.Errorf("unexpected arguments %q: every setting is a flag (see -help)", fs.Args())
	}
	o.Components, o.Only = comps.on, comps.only
	for _, n := range o.Only {
		if !slices.Contains(componentNames(), n) {
			return o, fmt.Errorf("--components: unknown component %q (want true, false or some of %s)", n, strings.Join(componentNames(), ", "))
		}
	}
	var err error
	if *sizes != "none" {
		if o.Sizes, err = parseSizes(*sizes); err != nil {
			return o, err
		}
	}
	if (slices.Contains(o.Only, "rescan") || slices.Contains(o.Only, "rescan-postgres")) && !o.Rescan {
		return o, errors.New("--components rescan and rescan-postgres need --rescan (they measure the growth at the smallest of --sizes)")
	}
	if o.Rescan && o.Sizes == nil {
		return o, errors.New("--rescan needs --sizes")
	}
	if o.Sizes == nil && !o.Components {
		return o, errors.New("--sizes none and --components=false: nothing to run")
	}
	if *backends != "auto" {
		for b := range strings.SplitSeq(*backends, ",") {
			b = strings.TrimSpace(b)
			switch b {
			case backendSQLite, backendPostgres:
				if slices.Contains(o.Backends, b) {
					return o, fmt.Errorf("--backends: %s named twice", b)
				}
				o.Backends = append(o.Backends, b)
			case "":
				return o, fmt.Errorf("--backends: empty name in %q", *backends)
			default:
				return o, fmt.Errorf("--backends: unknown backend %q (want sqlite, postgres or auto)", b)
			}
		}
	}
	if o.PGDSN != "" {
		if _, err := parsePGURL(o.PGDSN); err != nil {
			return o, err
		}
		if o.Backends != nil && !slices.Contains(o.Backends, backendPostgres) {
			return o, errors.New("--pg-dsn is given but --backends does not include postgres")
		}
	}
	if o.Repeat < 1 {
		return o, fmt.Errorf("--repeat: want 1 or more, got %d", o.Repeat)
	}
	if o.Count < 1 {
		return o, fmt.Errorf("--count: want 1 or more, got %d", o.Count)
	}
	switch o.ScanOutput {
	case "json", "table":
	default:
		return o, fmt.Errorf("--scan-output: want json or table, got %q", o.ScanOutput)
	}
	o.BuildFlags = strings.Fields(*buildFlags)
	if o.Cloudward != "" && len(o.BuildFlags) > 0 {
		return o, errors.New("--build-flags has no effect with --cloudward (nothing is built)")
	}
	return o, nil
}

// parseSizes parses a comma-separated list of positive sizes; "10k" and
// "1M" (and "10_000") are accepted.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		n, err := parseSize(f)
		if err != nil {
			return nil, fmt.Errorf("--sizes: %w", err)
		}
		if slices.Contains(sizes, n) {
			return nil, fmt.Errorf("--sizes: %d named twice", n)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func parseSize(f string) (int, error) {
	mult := 1
	num := strings.ReplaceAll(f, "_", "")
	switch {
	case strings.HasSuffix(num, "k"), strings.HasSuffix(num, "K"):
		mult, num = 1_000, num[:len(num)-1]
	case strings.HasSuffix(num, "M"), strings.HasSuffix(num, "m"):
		mult, num = 1_000_000, num[:len(num)-1]
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || n > 100_000_000/mult {
		return 0, fmt.Errorf("want positive resource counts up to 100M (e.g. 10000 or 10k), got %q", f)
	}
	return n * mult, nil
}

// componentsFlag is --components: a boolean, or a list of component names.
type componentsFlag struct {
	on   bool
	only []string
}

// String implements flag.Value.
func (f *componentsFlag) String() string {
	if f == nil {
		return ""
	}
	if f.only != nil {
		return strings.Join(f.only, ",")
	}
	return strconv.FormatBool(f.on)
}

// Set implements flag.Value: a boolean, or component names.
func (f *componentsFlag) Set(s string) error {
	if b, err := strconv.ParseBool(s); err == nil {
		f.on, f.only = b, nil
		return nil
	}
	f.on, f.only = true, nil
	for n := range strings.SplitSeq(s, ",") {
		if n = strings.TrimSpace(n); n == "" {
			return fmt.Errorf("empty component name in %q", s)
		}
		f.only = append(f.only, n)
	}
	return nil
}

// IsBoolFlag lets --components stand alone, as a boolean flag.
func (f *componentsFlag) IsBoolFlag() bool { return true }
