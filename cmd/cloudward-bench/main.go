// Command cloudward-bench runs cloudward's benchmarks with one command and
// prints a Markdown report: end-to-end demo scans of the built binary at
// each --sizes on SQLite and PostgreSQL (wall time, CPU, peak RSS, database
// size, phases, optionally a rescan into the same store), and the packages'
// component benchmarks (go test -bench), with the machine they ran on and
// the targets of issue 11 next to the figures. See docs/benchmarks.md.
//
//	go run ./cmd/cloudward-bench --sizes 10000,100000,1000000 --out bench.md
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK     = 0 // every measurement was made
	exitFailed = 1 // the report was written, but some measurement failed
	exitError  = 2 // usage error, or nothing could be measured
)

// run runs the command and returns its exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	opts, err := parseOptions(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "cloudward-bench: %v\n", err)
		return exitError
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rep, err := bench(ctx, log, opts, getenv, "cloudward-bench "+strings.Join(redactArgs(args), " "))
	if err != nil {
		fmt.Fprintf(stderr, "cloudward-bench: %v\n", err)
		return exitError
	}
	if err := writeReport(rep, opts.Out, stdout); err != nil {
		fmt.Fprintf(stderr, "cloudward-bench: %v\n", err)
		return exitError
	}
	if opts.Out != "" {
		log.Info("report written", "file", opts.Out)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "cloudward-bench: interrupted; the report holds what was measured")
		return exitFailed
	}
	if rep.failed() {
		fmt.Fprintln(stderr, "cloudward-bench: some measurements failed (see the report)")
		return exitFailed
	}
	return exitOK
}

func writeReport(rep *benchReport, path string, stdout io.Writer) error {
	if path == "" {
		return rep.render(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	err = rep.render(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

// bench makes every measurement. It returns an error only when nothing can
// be measured (no repository, no binary, no PostgreSQL asked for); a
// measurement that fails is recorded in the report and the others go on.
func bench(ctx context.Context, log *slog.Logger, opts options, getenv func(string) string, command string) (rep *benchReport, err error) {
	rep = &benchReport{Command: command, Started: time.Now(), ScanOutput: opts.ScanOutput, Rescan: opts.Rescan, Repeat: opts.Repeat, ComponentsOff: !opts.Components, ScansOff: len(opts.Sizes) == 0}
	rep.LoadStart, _ = readLoad()
	repo, err := moduleRoot(ctx, opts.Repo)
	if err != nil {
		return nil, err
	}
	rep.Machine = readMachine(ctx, repo, getenv)

	// The work directory: binary, databases, logs, and the TMPDIR of the
	// component benchmarks. Readable by others, so that PostgreSQL's
	// servers (run as the postgres user when this runs as root) reach
	// their directories inside it.
	parent := opts.WorkDir
	if parent == "" {
		parent = os.TempDir()
	}
	if parent, err = filepath.Abs(parent); err != nil {
		return nil, fmt.Errorf("--work-dir: %w", err)
	}
	work, err := os.MkdirTemp(parent, "cwbench")
	if err != nil {
		return nil, fmt.Errorf("work directory: %w", err)
	}
	if err := os.Chmod(work, 0o755); err != nil {
		return nil, fmt.Errorf("work directory: %w", err)
	}
	binDir, binErr := pgBinDir(getenv)
	if d := untraversable(work); binErr == nil && os.Geteuid() == 0 && startsPostgres(opts) && d != "" {
		// PostgreSQL (ours, and the component benchmarks' pgtest servers)
		// runs as the postgres user, which must reach the work directory.
		os.RemoveAll(work)
		return nil, fmt.Errorf("--work-dir: %s is not searchable by other users, so the postgres user (PostgreSQL runs as it when you are root) cannot reach %s: choose a directory under /tmp", d, work)
	}
	defer func() {
		if binErr == nil {
			if serr := stopStrayClusters(filepath.Join(work, "tmp"), binDir); serr != nil {
				log.Warn("stop a PostgreSQL server left by a component benchmark", "err", serr)
			}
		}
		if opts.Keep {
			log.Info("work directory kept", "dir", work)
			return
		}
		if rerr := os.RemoveAll(work); rerr != nil {
			log.Warn("remove work directory", "dir", work, "err", rerr)
		}
	}()

	if opts.RawDir != "" {
		if err := os.MkdirAll(opts.RawDir, 0o755); err != nil {
			return nil, fmt.Errorf("--raw-dir: %w", err)
		}
	}
	if opts.CPUProfileDir != "" {
		if err := os.MkdirAll(opts.CPUProfileDir, 0o755); err != nil {
			return nil, fmt.Errorf("--cpu-profile-dir: %w", err)
		}
		if opts.CPUProfileDir, err = filepath.Abs(opts.CPUProfileDir); err != nil {
			return nil, fmt.Errorf("--cpu-profile-dir: %w", err)
		}
	}

	// The binary.
	bin := opts.Cloudward
	switch {
	case len(opts.Sizes) == 0:
		rep.Binary = "not needed (--sizes none)"
	case bin != "":
		if bin, err = filepath.Abs(bin); err != nil {
			return nil, fmt.Errorf("--cloudward: %w", err)
		}
		if _, err := os.Stat(bin); err != nil {
			return nil, fmt.Errorf("--cloudward: %w", err)
		}
		rep.Binary = "`" + bin + "` (--cloudward; the commit above may not be what it was built from)"
	default:
		log.Info("building cloudward", "repo", repo)
		t0 := time.Now()
		if bin, err = buildCloudward(ctx, repo, work, opts.BuildFlags); err != nil {
			return nil, err
		}
		rep.Binary = fmt.Sprintf("built from the commit above with `%s` in %s", commandLine("go", append(append([]string{"build"}, opts.BuildFlags...), "./cmd/cloudward")), roundDuration(time.Since(t0)))
	}
	if opts.CPUProfileDir != "" && len(opts.Sizes) > 0 {
		ok, err := hasFlag(ctx, bin, "--cpu-profile")
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("--cpu-profile-dir: %s has no --cpu-profile flag (it was built before the flag existed)", bin)
		}
	}

	// The backends.
	backends := opts.Backends
	pgWanted := slices.Contains(backends, backendPostgres) && len(opts.Sizes) > 0
	if backends == nil && len(opts.Sizes) > 0 {
		backends = []string{backendSQLite}
		switch {
		case opts.PGDSN != "" || binErr == nil:
			backends = append(backends, backendPostgres)
			pgWanted = true
		default:
			rep.Notes = append(rep.Notes, "PostgreSQL not scanned: "+binErr.Error()+".")
		}
	}
	var pg *pgServer
	if pgWanted {
		if opts.PGDSN != "" {
			pg, err = externalServer(ctx, opts.PGDSN)
			if err != nil {
				return nil, err
			}
			rep.Postgres = fmt.Sprintf("%s, existing server %s (--pg-dsn): a database per run, created and dropped; its CPU is not measured", pg.Version, redactURL(opts.PGDSN))
		} else {
			if binErr != nil {
				return nil, fmt.Errorf("--backends postgres: %w", binErr)
			}
			log.Info("starting a PostgreSQL cluster", "bin", binDir)
			pg, err = startCluster(ctx, work, binDir)
			defer func() {
				if serr := pg.Stop(opts.Keep); serr != nil {
					log.Warn("stop the PostgreSQL cluster", "err", serr)
				}
			}()
			if err != nil {
				return nil, err
			}
			rep.Postgres = fmt.Sprintf("%s, throwaway cluster started here (%s), over a Unix socket, default durability (fsync on)", pg.Version, strings.Join(pgConfig[1:], ", "))
		}
	}

	sc := &scanner{bin: bin, work: work, opts: opts, pg: pg, log: log}
	// Size by size, each backend after the other: the runs compared with
	// each other (PostgreSQL against SQLite at one size) are back to back.
	// With --repeat, the repetitions alternate backends too.
	for _, n := range opts.Sizes {
		for run := 1; run <= opts.Repeat; run++ {
			for _, b := range backends {
				if ctx.Err() != nil {
					break
				}
				rep.Scans = append(rep.Scans, sc.scanPair(ctx, b, n, run)...)
			}
		}
	}

	if opts.RawDir != "" && len(rep.Scans) > 0 {
		if err := writeScanBench(filepath.Join(opts.RawDir, "e2e.txt"), rep); err != nil {
			log.Warn("raw end-to-end figures", "err", err)
		}
	}

	if opts.Components {
		tmp := filepath.Join(work, "tmp")
		if err := os.Mkdir(tmp, 0o755); err != nil {
			return nil, fmt.Errorf("work directory: %w", err)
		}
		for _, c := range components(opts) {
			if ctx.Err() != nil {
				break
			}
			if opts.Only != nil && !slices.Contains(opts.Only, c.Name) {
				continue
			}
			if c.NeedsPG && binErr != nil {
				rep.Components = append(rep.Components, componentRun{component: c, Skipped: binErr.Error() + " (the package's benchmarks start their own server; --pg-dsn is not used for them)"})
				continue
			}
			rep.Components = append(rep.Components, runComponent(ctx, log, repo, tmp, opts.RawDir, c, opts.Count))
			if c.NeedsPG {
				if err := stopStrayClusters(tmp, binDir); err != nil {
					log.Warn("stop a PostgreSQL server left by a component benchmark", "err", err)
				}
			}
		}
	}
	rep.LoadEnd, _ = readLoad()
	rep.Took = time.Since(rep.Started)
	return rep, nil
}

// startsPostgres reports whether the run starts a PostgreSQL server of its
// own (the postgres backend without --pg-dsn, or a component benchmark that
// starts one through pgtest), when the binaries are there.
func startsPostgres(o options) bool {
	if len(o.Sizes) > 0 && o.PGDSN == "" && (o.Backends == nil || slices.Contains(o.Backends, backendPostgres)) {
		return true
	}
	if o.Components {
		for _, c := range components(o) {
			if c.NeedsPG && (o.Only == nil || slices.Contains(o.Only, c.Name)) {
				return true
			}
		}
	}
	return false
}

// moduleRoot returns the root of the cloudward module that holds dir.
func moduleRoot(ctx context.Context, dir string) (string, error) {
	c := exec.CommandContext(ctx, "go", "env", "GOMOD")
	c.Dir = dir
	out, err := c.Output()
	if err != nil {
		return "", fmt.Errorf("--repo %s: go env GOMOD: %w", dir, err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("--repo %s: not inside a Go module (run from the cloudward repository)", dir)
	}
	b, err := os.ReadFile(gomod)
	if err != nil {
		return "", fmt.Errorf("--repo %s: %w", dir, err)
	}
	if !strings.Contains(string(b), "module cloudward\n") {
		return "", fmt.Errorf("--repo %s: %s is not the cloudward module", dir, gomod)
	}
	return filepath.Dir(gomod), nil
}
