package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"cloudward/internal/collect"
	"cloudward/internal/collect/demo"
	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/report"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

type scanFlags struct {
	providers  []string
	demo       bool
	demoSize   int
	demoSeed   uint64
	db         string
	checkDirs  []string
	configPath string
	output     string
	outputFile string
	failOn     string
	maxRows    int
	drift      scanDriftFlags
	frameworks []string
	dist       scanDistributedFlags
	// aiInventory adds the AI inventory section to the reports.
	aiInventory bool
	// memoryLimit is --memory-limit; memoryLimitSet tells whether it was given.
	memoryLimit    string
	memoryLimitSet bool
}

// providerCLI is how a cloud provider plugs into `scan`: its flags, and how
// it builds a collector from them.
type providerCLI interface {
	// Provider names the provider, as given to --provider.
	Provider() resource.Provider
	// AddFlags registers the provider's own flags (prefixed with its name).
	AddFlags(fl *pflag.FlagSet)
	// Collector builds the collector from the flags and the environment.
	Collector(ctx context.Context, log *slog.Logger) (collect.Collector, error)
}

// providerCLIs lists the providers `scan --provider` can collect, in order.
func providerCLIs() []providerCLI {
	return []providerCLI{
		newAWSCLI(),
		newGCPCLI(),
		newAzureCLI(),
		newDigitalOceanCLI(),
	}
}

func newScanCmd(e *env) *cobra.Command {
	var f scanFlags
	providers := providerCLIs()
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Collect resources, store a snapshot, evaluate checks and report findings",
		Long: `scan runs the whole pipeline: it collects every resource in scope, stores
them as a new snapshot, evaluates every check and company rule against them,
stores the findings and reports them.

--provider names the clouds to scan (each provider's flags start with its
name); --demo scans a deterministic
multi-cloud demo estate (3 AWS accounts, 2 Google Cloud projects, 2 Azure
subscriptions, a DigitalOcean team) with planted misconfigurations and the
company rules in its own cloudward.yaml.

Exit codes: 0 when no finding reaches --fail-on, 1 when one does, 2 on a
usage or runtime error.`,
		Example: `  cloudward scan --demo
  cloudward scan --demo --output json --output-file findings.json
  cloudward scan --demo --output table,json=findings.json
  cloudward scan --demo --demo-size 100000 --db /tmp/big.db
  cloudward scan --demo --fail-on high
  cloudward scan --demo --framework nist-800-53-r5
  cloudward scan --demo --checks ./my-checks --config ./cloudward.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.memoryLimitSet = cmd.Flags().Changed("memory-limit")
			return runScan(cmd.Context(), e, f, providers)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.providers, "provider", nil, "clouds to scan, comma-separated (aws, gcp, azure, digitalocean)")
	for _, p := range providers {
		p.AddFlags(fl)
	}
	fl.BoolVar(&f.demo, "demo", false, "scan the built-in demo estate instead of a cloud")
	fl.StringVar(&f.memoryLimit, "memory-limit", "640MiB", "soft limit on this process's Go heap (like GOMEMLIMIT, which applies when this flag is not given); the garbage collector works harder near it; 0: no limit")
	fl.IntVar(&f.demoSize, "demo-size", 0, "grow the demo estate to this many resources (0: the base estate)")
	fl.Uint64Var(&f.demoSeed, "demo-seed", 1, "seed of the demo estate")
	fl.StringVar(&f.db, "db", "", "SQLite database file or postgres:// URL (default: $XDG_DATA_HOME/cloudward/cloudward.db)")
	fl.StringArrayVar(&f.checkDirs, "checks", nil, "directory of your own check files, added to the built-in ones (repeatable)")
	fl.StringVar(&f.configPath, "config", "", "company rules file (cloudward.yaml): required tags, allowed regions, mutes")
	fl.StringVarP(&f.output, "output", "o", "table", "output formats, comma-separated, each optionally =FILE: "+formatList())
	fl.StringVar(&f.outputFile, "output-file", "", "write the (single) output to this file instead of stdout")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a check of this severity or above fails: critical, high, medium, low, info")
	fl.IntVar(&f.maxRows, "max-rows", report.DefaultMaxRows, "rows in the terminal findings table (0: all)")
	fl.StringSliceVar(&f.frameworks, "framework", nil, "report only these frameworks' checks (comma-separated IDs), with per-requirement and per-section results and coverage; JSON findings carry their requirement IDs (see `cloudward frameworks`)")
	fl.BoolVar(&f.aiInventory, "ai-inventory", false, "add the AI inventory section to the reports: every AI resource, the data it reaches, its failing checks (on with --framework ai-security)")
	addScanDriftFlags(cmd, &f.drift)
	addScanDistributedFlags(fl, &f.dist)
	return cmd
}

func runScan(ctx context.Context, e *env, f scanFlags, providers []providerCLI) error {
	switch {
	case f.demo && len(f.providers) > 0:
		return usagef("--demo and --provider exclude each other")
	case !f.demo && len(f.providers) == 0:
		return usagef("nothing to scan: name clouds with --provider, or use --demo")
	}
	var clouds []providerCLI
	for _, name := range f.providers {
		i := slices.IndexFunc(providers, func(p providerCLI) bool { return string(p.Provider()) == name })
		if i < 0 {
			var have []string
			for _, p := range providers {
				have = append(have, string(p.Provider()))
			}
			return usagef("--provider %q: no collector for it yet (available: %s)", name, strings.Join(have, ", "))
		}
		clouds = append(clouds, providers[i])
	}
	if f.demoSize < 0 {
		return usagef("--demo-size must not be negative")
	}
	if err := applyMemoryLimit(f.memoryLimit, f.memoryLimitSet, e.getenv); err != nil {
		return err
	}
	if f.maxRows < 0 {
		return usagef("--max-rows must not be negative")
	}
	failOn := finding.Severity(-1)
	if f.failOn != "" {
		sev, err := finding.ParseSeverity(f.failOn)
		if err != nil {
			return usagef("--fail-on: %v", err)
		}
		failOn = sev
	}
	gate, err := f.drift.parse()
	if err != nil {
		return err
	}
	outputs, err := parseOutputs(f.output, f.outputFile)
	if err != nil {
		return err
	}
	copts := catalogOptions{checkDirs: f.checkDirs, configPath: f.configPath}
	if f.demo {
		copts.defaultConfig = demo.Config
	}
	cat, err := loadCatalog(copts)
	if err != nil {
		return err
	}
	var fws []*policy.Framework
	for _, id := range f.frameworks {
		fw := findFramework(cat.frameworks, id)
		if fw == nil {
			return usagef("--framework: unknown framework %q (see `cloudward frameworks`)", id)
		}
		fws = append(fws, fw)
	}
	if fws != nil {
		cat.frameworks = fws
	}
	if err := addMutesFile(cat, f.drift.mutesPath); err != nil {
		return err
	}
	dbPath, err := dbPath(f.db)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, dbPath, e.log)
	if err != nil {
		return fmt.Errorf("open store %s: %w", displayDB(dbPath), err)
	}
	defer st.Close()

	now := time.Now().UTC()
	var (
		col   collect.Collector
		cols  []collect.Collector
		scope string
	)
	if f.demo {
		// The demo's ages (key ages, last logins) are relative to the
		// scan's start, as they would be in a real estate scanned now.
		col = demo.New(demo.Options{Seed: f.demoSeed, Size: f.demoSize, Now: now})
		scope = fmt.Sprintf("demo (seed %d, size %d)", f.demoSeed, f.demoSize)
	} else {
		var names []string
		for _, p := range clouds {
			c, err := p.Collector(ctx, e.log)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Provider(), err)
			}
			cols = append(cols, c)
			names = append(names, string(p.Provider()))
		}
		col = collect.Multi(cols...)
		scope = strings.Join(names, "+")
	}

	prog := report.StartProgress(e.stderr, isTerminal(e.stderr), report.ProgressInterval)
	in := pipelineInput{
		store: st, collector: col, catalog: cat, scope: scope,
		now: now, progress: prog, log: e.log,
	}
	if f.dist.enabled {
		d, err := newDistributedScan(ctx, f.dist, f.demo, dbPath, cols, prog, e.log)
		if err != nil {
			prog.Stop()
			return err
		}
		defer d.Close()
		in.remote, in.remoteEval = d.collect, d.eval
	}
	res, err := pipeline(ctx, in)
	prog.Stop()
	if err != nil {
		return err
	}
	e.log.Debug("scan done", "snapshot", res.snapshot.ID, "resources", res.snapshot.Resources,
		"findings", res.snapshot.Findings, "collect_and_evaluate", res.timings.collect,
		"cross_resource_checks", res.timings.deferred, "commit", res.timings.commit)

	if fws != nil {
		if res.summary, err = frameworkSummary(ctx, st, res, cat, fws); err != nil {
			return err
		}
	}
	if wantAIInventory(f.aiInventory, fws) {
		t0 := time.Now()
		inv, err := buildAIInventory(ctx, st, res.snapshot.ID, cat)
		if err != nil {
			return err
		}
		e.log.Debug("ai inventory built", "resources", len(inv.Resources), "elapsed", time.Since(t0))
		res.summary.SetAIInventory(inv)
	}
	if err := addResponsibility(ctx, st, res.snapshot.ID, cat, res.summary); err != nil {
		return err
	}
	if err := writeOutputs(ctx, e, st, res, outputs, f.maxRows, fws); err != nil {
		return err
	}
	reportMutes(e, res.mutes)
	// A scan that could read nothing at all is not a clean bill of health:
	// its reports show the collection errors, and the exit code says so,
	// whatever --fail-on is.
	if res.snapshot.Resources == 0 && res.snapshot.Errors > 0 {
		return fmt.Errorf("nothing was collected: %d collection errors in snapshot %d (see the report, or `cloudward query \"select * from collection_errors\"`)",
			res.snapshot.Errors, res.snapshot.ID)
	}
	if err := checkBaseline(ctx, e, st, gate, res.snapshot); err != nil {
		return err
	}
	if failOn >= 0 && res.summary.FailingAtOrAbove(failOn) > 0 {
		return errFindings
	}
	return nil
}

// parseOutputs combines --output and --output-file.
func parseOutputs(spec, file string) ([]report.Output, error) {
	outs, err := report.ParseOutputs(spec)
	if err != nil {
		return nil, usagef("--output: %v", err)
	}
	if file != "" {
		if len(outs) != 1 || outs[0].Path != "" {
			return nil, usagef("--output-file needs exactly one --output format without =FILE")
		}
		outs[0].Path = file
	}
	return outs, nil
}

// dbPath returns the database path: the flag, or the default in the
// user's data directory.
func dbPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	def, err := store.DefaultPath()
	if err != nil {
		return "", fmt.Errorf("default database location: %w (use --db)", err)
	}
	return def, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// writeOutputs renders every requested output from the stored findings;
// with fw, only the findings of its checks, and its requirements.
func writeOutputs(ctx context.Context, e *env, st store.Store, res pipelineResult, outputs []report.Output, maxRows int, fws []*policy.Framework) error {
	for _, out := range outputs {
		w := e.stdout
		var file *os.File
		if out.Path != "" {
			var err error
			if file, err = os.Create(out.Path); err != nil {
				return fmt.Errorf("output %s: %w", out.Format, err)
			}
			w = file
		}
		text := report.TextOptions{MaxRows: maxRows, Color: out.Path == "" && isColorTerminal(e.stdout), Requirements: fws != nil}
		findings := st.Findings(ctx, res.snapshot.ID, store.FindingFilter{Statuses: out.Format.Statuses()})
		if fws != nil {
			findings = frameworkFindings(ctx, st, res.snapshot.ID, fws, out.Format.Statuses())
		}
		err := report.Write(w, out.Format, res.summary, findings, text)
		if file != nil {
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("write %s output: %w", out.Format, err)
		}
	}
	return nil
}

func isColorTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && report.ColorEnabled(f)
}

// formatList names every output format, for help text.
func formatList() string {
	var names []string
	for _, f := range report.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}
