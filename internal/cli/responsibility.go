package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"cloudward/internal/collect/demo"
	"cloudward/internal/finding"
	"cloudward/internal/report"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
)

type responsibilityFlags struct {
	demo     bool
	db       string
	snapshot int64
	explain  string
	format   string
	all      bool
}

func newResponsibilityCmd(e *env) *cobra.Command {
	var f responsibilityFlags
	cmd := &cobra.Command{
		Use:   "responsibility",
		Short: "Show the shared-responsibility matrix of a scanned estate, or one kind's split",
		Long: `responsibility shows, for a scanned estate, who owns each area of security
(physical, host, network controls, guest OS, applications, identity, accounts,
access, endpoints, data, encryption, logging, configuration) per provider and
service model, as each provider's own model states it: the customer, the
provider, or both (shared). For every area it shows how many of your
resources fall there, the checks that cover it and their pass rate, and it
lists your blind spots: areas that are yours (or shared) where no check looks.

It reads the latest snapshot of --db (or the one --snapshot names); --demo
scans the demo estate into a temporary database first. --explain KIND says
in plain words what you and the provider each do for one kind of resource.`,
		Example: `  cloudward responsibility --demo
  cloudward responsibility --db cloudward.db --snapshot 3 --format json
  cloudward responsibility --explain aws_lambda_function
  cloudward responsibility --explain aws_ec2_instance`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runResponsibility(cmd.Context(), e, f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.demo, "demo", false, "scan the built-in demo estate (into a temporary database) and show its matrix")
	fl.StringVar(&f.db, "db", "", "SQLite database file or postgres:// URL (default: $XDG_DATA_HOME/cloudward/cloudward.db)")
	fl.Int64Var(&f.snapshot, "snapshot", 0, "snapshot to read (default: the latest complete one)")
	fl.StringVar(&f.explain, "explain", "", "explain one resource kind's split instead (see `cloudward kinds`)")
	fl.StringVar(&f.format, "format", "table", "output format: table or json")
	fl.BoolVar(&f.all, "all", false, "also show service models the estate has no resources in")
	return cmd
}

func runResponsibility(ctx context.Context, e *env, f responsibilityFlags) error {
	if f.format != "table" && f.format != "json" {
		return usagef("--format: want table or json, got %q", f.format)
	}
	if f.demo && (f.db != "" || f.snapshot != 0) {
		return usagef("--demo excludes --db and --snapshot")
	}
	model, err := responsibility.Builtin()
	if err != nil {
		return err
	}
	if f.explain != "" {
		reg, err := registry()
		if err != nil {
			return err
		}
		k, ok := reg.Lookup(f.explain)
		if !ok {
			return usagef("--explain: unknown kind %q (see `cloudward kinds`)", f.explain)
		}
		ex, err := model.Explain(k)
		if err != nil {
			return err
		}
		if f.format == "json" {
			return writeJSON(e.stdout, ex)
		}
		return writeExplanation(e.stdout, ex)
	}
	copts := catalogOptions{}
	if f.demo {
		copts.defaultConfig = demo.Config
	}
	cat, err := loadCatalog(copts)
	if err != nil {
		return err
	}
	var (
		st   store.Store
		snap int64
	)
	if f.demo {
		dir, err := os.MkdirTemp("", "cloudward-responsibility-")
		if err != nil {
			return fmt.Errorf("demo database: %w", err)
		}
		defer os.RemoveAll(dir)
		if st, err = openStore(ctx, filepath.Join(dir, "demo.db"), e.log); err != nil {
			return fmt.Errorf("demo database: %w", err)
		}
		defer st.Close()
		now := time.Now().UTC()
		prog := report.StartProgress(io.Discard, false, report.ProgressInterval)
		res, err := pipeline(ctx, pipelineInput{
			store: st, collector: demo.New(demo.Options{Seed: 1, Now: now}), catalog: cat,
			scope: "demo (seed 1, size 0)", now: now, progress: prog, log: e.log,
		})
		prog.Stop()
		if err != nil {
			return err
		}
		snap = res.snapshot.ID
	} else {
		path, err := dbPath(f.db)
		if err != nil {
			return err
		}
		if _, err := os.Stat(path); err != nil && !postgres.IsDSN(path) {
			return fmt.Errorf("no database at %s: run `cloudward scan` first, name one with --db, or use --demo", path)
		}
		if st, err = openStore(ctx, path, e.log); err != nil {
			return fmt.Errorf("open store %s: %w", displayDB(path), err)
		}
		defer st.Close()
		if snap = f.snapshot; snap == 0 {
			s, err := st.Latest(ctx)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no complete snapshot in %s: run `cloudward scan` first", displayDB(path))
			}
			if err != nil {
				return err
			}
			snap = s.ID
		} else if _, err := st.Snapshot(ctx, snap); err != nil {
			return fmt.Errorf("snapshot %d: %w", snap, err)
		}
	}
	estate, err := loadEstate(ctx, st, snap, cat)
	if err != nil {
		return err
	}
	mx := model.Compute(estate, responsibility.MatrixOptions{AllModels: f.all})
	if f.format == "json" {
		return writeJSON(e.stdout, struct {
			Snapshot   int64                      `json:"snapshot"`
			Rows       []responsibility.Row       `json:"rows"`
			BlindSpots []responsibility.BlindSpot `json:"blind_spots"`
		}{snap, mx.Rows, mx.BlindSpots()})
	}
	return writeMatrix(e.stdout, model, mx)
}

// loadEstate counts a snapshot's resources per kind and its findings per
// check and kind.
func loadEstate(ctx context.Context, st store.Store, snap int64, cat *catalog) (responsibility.Estate, error) {
	e := responsibility.Estate{
		Kinds:     cat.registry.All(),
		Resources: map[string]int64{},
		Results:   map[string]map[string]responsibility.Counts{},
	}
	for _, c := range cat.checks {
		e.Checks = append(e.Checks, responsibility.CheckArea{ID: c.ID, Area: c.Area, Kinds: c.Kinds})
	}
	for r, err := range st.Resources(ctx, snap, store.ResourceFilter{}) {
		if err != nil {
			return e, fmt.Errorf("read resources: %w", err)
		}
		e.Resources[r.Kind]++
	}
	for f, err := range st.Findings(ctx, snap, store.FindingFilter{}) {
		if err != nil {
			return e, fmt.Errorf("read findings: %w", err)
		}
		byKind := e.Results[f.CheckID]
		if byKind == nil {
			byKind = map[string]responsibility.Counts{}
			e.Results[f.CheckID] = byKind
		}
		c := byKind[f.Kind]
		switch f.Status {
		case finding.Pass:
			c.Pass++
		case finding.Fail:
			c.Fail++
		case finding.Error:
			c.Error++
		case finding.Muted:
			c.Muted++
		}
		byKind[f.Kind] = c
	}
	return e, nil
}

func writeMatrix(w io.Writer, model *responsibility.Model, mx *responsibility.Matrix) error {
	if len(mx.Rows) == 0 {
		_, err := fmt.Fprintln(w, "No resources in this snapshot.")
		return err
	}
	var prev resource.Provider
	for _, row := range mx.Rows {
		if row.Provider != prev {
			prev = row.Provider
			if pm, ok := model.Provider(row.Provider); ok {
				fmt.Fprintf(w, "\n%s — %s\n", strings.ToUpper(string(row.Provider)), pm.Title)
			}
		}
		fmt.Fprintf(w, "\n  %s %s: %d resources (%s)\n", row.Provider, row.ServiceModel, row.Resources, strings.Join(row.Kinds, ", "))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "    AREA\tOWNER\tCHECKS\tPASS RATE\tFAIL\tNOTE")
		var providerAreas []string
		for _, c := range row.Cells {
			if c.Owner == responsibility.Provider && len(c.Checks) == 0 {
				providerAreas = append(providerAreas, string(c.Area))
				continue
			}
			rate := "-"
			if r, ok := c.Counts.PassRate(); ok {
				rate = fmt.Sprintf("%.1f%%", r)
			}
			note := ""
			if c.Uncovered {
				note = "BLIND SPOT: yours, no check"
			}
			fmt.Fprintf(tw, "    %s\t%s\t%d\t%s\t%d\t%s\n", c.Area, c.Owner, len(c.Checks), rate, c.Counts.Fail, note)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(providerAreas) > 0 {
			fmt.Fprintf(w, "    provider's: %s\n", strings.Join(providerAreas, ", "))
		}
	}
	spots := mx.BlindSpots()
	fmt.Fprintf(w, "\nBlind spots: %d customer or shared areas with resources and no check\n", len(spots))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  PROVIDER\tMODEL\tAREA\tOWNER\tRESOURCES")
	for _, b := range spots {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d\n", b.Provider, b.ServiceModel, b.Area, b.Owner, b.Resources)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nA blind spot is not a failure: it is an area that is yours where cloudward has no check yet. Cover it with a check of your own (--checks) or a manual control.")
	return err
}

func writeExplanation(w io.Writer, ex responsibility.Explanation) error {
	fmt.Fprintf(w, "%s (%s %s, %s): %s\n\n", ex.Kind, ex.Provider, ex.Service, ex.ServiceModel, ex.Description)
	fmt.Fprintf(w, "%s\n\n", ex.Summary)
	for _, group := range []struct {
		title string
		owner responsibility.Owner
	}{{"You", responsibility.Customer}, {"Shared", responsibility.Shared}, {"The provider", responsibility.Provider}} {
		var lines []string
		for _, s := range ex.Areas {
			if s.Owner == group.owner {
				lines = append(lines, fmt.Sprintf("  - %s: %s", s.Title, s.Words))
			}
		}
		if len(lines) > 0 {
			fmt.Fprintf(w, "%s:\n%s\n\n", group.title, strings.Join(lines, "\n"))
		}
	}
	if len(ex.SharedFate) > 0 {
		fmt.Fprintf(w, "Shared fate (what %s adds to help with your half):\n", ex.Provider)
		for _, s := range ex.SharedFate {
			fmt.Fprintf(w, "  - %s\n", s)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Sources:")
	for _, s := range ex.Sources {
		fmt.Fprintf(w, "  %s: %s\n", s.Title, s.URL)
	}
	return nil
}
