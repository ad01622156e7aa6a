package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// component is one package's benchmarks, run with go test -bench.
type component struct {
	Name      string // short name
	Title     string // what it measures
	Pkg       string // package pattern
	Bench     string // -bench regexp
	Benchtime string
	Args      []string // flags for the test binary (after -args)
	NeedsPG   bool     // the benchmarks start PostgreSQL through pgtest
}

// components returns the component benchmarks to run: each package's
// benchmarks that the performance documentation quotes, with the benchtime
// it quotes them at.
func components(o options) []component {
	cs := []component{
		{Name: "policy", Title: "check evaluation (2 checks on ~500-byte documents, 50,000 resources per op)",
			Pkg: "./internal/policy", Bench: "^BenchmarkEvaluate$", Benchtime: "5x"},
		{Name: "sqlite", Title: "SQLite store: write and read 100,000 resources, write 100,000 findings",
			Pkg: "./internal/store/sqlite", Bench: ".", Benchtime: "100000x"},
		{Name: "postgres", Title: "PostgreSQL store (pgtest server, default durability): the same",
			Pkg: "./internal/store/postgres", Bench: ".", Benchtime: "100000x", NeedsPG: true},
		{Name: "aws", Title: "AWS collector against the fake organization, 50 ms per call, 20 % throttled",
			Pkg: "./internal/collect/aws", Bench: "^BenchmarkCollectThrottled$", Benchtime: "1x"},
		{Name: "gcp", Title: "GCP collector, organization of 100 projects, 20 ms per call",
			Pkg: "./internal/collect/gcp", Bench: "^BenchmarkCollectOrganization$", Benchtime: "1x"},
		{Name: "dist", Title: "distributed scan: River queue overhead per job (500 jobs, one worker)",
			Pkg: "./internal/dist", Bench: "^BenchmarkJobOverhead$", Benchtime: "1x", NeedsPG: true},
		{Name: "dist-eval", Title: "distributed evaluation of a 5,000-resource demo snapshot: in-process, one worker, two workers",
			Pkg: "./internal/dist", Bench: "^BenchmarkEvalThroughput$", Benchtime: "1x", NeedsPG: true},
	}
	if o.Rescan {
		n := strconv.Itoa(slices.Min(o.Sizes))
		size := thousands(int64(slices.Min(o.Sizes)))
		cs = append(cs,
			component{Name: "rescan",
				Title: "SQLite growth of a rescan of an unchanged estate (fixed clock, " + size + " resources, in-process)",
				Pkg:   "./internal/cli", Bench: "^BenchmarkDemoRescan$", Benchtime: "1x",
				Args: []string{"-demo-size", n}},
			component{Name: "rescan-postgres",
				Title: "PostgreSQL growth of a rescan of an unchanged estate (fixed clock, " + size + " resources, in-process, pgtest server)",
				Pkg:   "./internal/cli", Bench: "^BenchmarkDemoRescanPostgres$", Benchtime: "1x",
				Args: []string{"-demo-size", n}, NeedsPG: true})
	}
	return cs
}

// componentNames lists the names --components accepts.
func componentNames() []string {
	var names []string
	for _, c := range components(options{Rescan: true, Sizes: []int{1}}) {
		names = append(names, c.Name)
	}
	return names
}

// componentRun is the outcome of one component's go test -bench.
type componentRun struct {
	component
	Command string
	Wall    time.Duration // go test, compilation included
	Results []benchResult
	Skips   []benchSkip
	Skipped string // why it did not run
	Err     string
}

// args returns the go test command line.
func (c component) args(count int) []string {
	a := []string{"test", c.Pkg, "-run", "^$", "-bench", c.Bench, "-benchtime", c.Benchtime}
	if count > 1 {
		a = append(a, "-count", strconv.Itoa(count))
	}
	if len(c.Args) > 0 {
		a = append(a, "-args")
		a = append(a, c.Args...)
	}
	return a
}

// commandLine renders args as a shell command line.
func commandLine(name string, args []string) string {
	q := []string{name}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$^*?[]|&;<>()\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q = append(q, a)
	}
	return strings.Join(q, " ")
}

// runComponent runs one component's benchmarks. tmp becomes the test's
// TMPDIR, so that a PostgreSQL server pgtest leaves behind (its test binary
// killed) can be found and stopped. The output is kept in rawDir, if set.
func runComponent(ctx context.Context, log *slog.Logger, repo, tmp, rawDir string, c component, count int) componentRun {
	args := c.args(count)
	run := componentRun{component: c, Command: commandLine("go", args)}
	out := filepath.Join(tmp, "bench-"+c.Name+".txt")
	if rawDir != "" {
		out = filepath.Join(rawDir, "bench-"+c.Name+".txt")
	}
	f, err := os.Create(out)
	if err != nil {
		run.Err = err.Error()
		return run
	}
	if rawDir == "" {
		defer os.Remove(out)
	}
	defer f.Close()
	log.Info("component benchmark", "name", c.Name, "command", run.Command)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.Stdout, cmd.Stderr = f, f
	ownGroup(cmd)
	start := time.Now()
	runErr := cmd.Run()
	run.Wall = time.Since(start)
	if _, err := f.Seek(0, 0); err != nil {
		run.Err = err.Error()
		return run
	}
	parsed, perr := parseBenchOutput(f)
	run.Results, run.Skips = parsed.Results, parsed.Skips
	switch {
	case ctx.Err() != nil:
		run.Err = "interrupted"
	case runErr != nil:
		run.Err = fmt.Sprintf("%s: %v%s", run.Command, runErr, tail(out, 12))
	case perr != nil:
		run.Err = fmt.Sprintf("%s: output: %v", run.Command, perr)
	case len(run.Results) == 0 && len(run.Skips) == 0:
		run.Err = fmt.Sprintf("%s: no benchmark ran%s", run.Command, tail(out, 6))
	}
	log.Info("component benchmark done", "name", c.Name, "results", len(run.Results), "wall", run.Wall.Round(time.Millisecond))
	return run
}
