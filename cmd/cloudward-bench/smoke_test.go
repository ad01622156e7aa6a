package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmoke runs the command for real at a tiny size on SQLite: it builds
// cloudward, scans the demo estate and checks that the report's figures
// are sane. Building cloudward is most of its time (the build cache makes
// it cheap when the packages were built before).
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cloudward and runs a scan")
	}
	out := filepath.Join(t.TempDir(), "bench.md")
	args := []string{"--sizes", "200", "--components=false", "--backends", "sqlite", "--repo", "../..", "--out", out}
	opts, err := parseOptions(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// Without DWARF and symbols: linking the 200+ MB binary is most of
	// the build when the packages are in the build cache.
	opts.BuildFlags = []string{"-ldflags=-s -w"}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	rep, err := bench(t.Context(), log, opts, os.Getenv, "cloudward-bench "+strings.Join(redactArgs(args), " "))
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, logs.String())
	}
	if len(rep.Scans) != 1 {
		t.Fatalf("%d scans, want 1: %+v", len(rep.Scans), rep.Scans)
	}
	s := rep.Scans[0]
	if s.Err != "" {
		t.Fatalf("scan failed: %s", s.Err)
	}
	checks := []struct {
		ok   bool
		what string
	}{
		{s.Resources >= 200, "resources ≥ --demo-size"},
		{s.Findings > s.Resources, "more findings than resources"},
		{s.Fail > 0 && s.Fail < s.Findings, "some findings FAIL, not all"},
		{s.Error == 0, "no ERROR finding"},
		{s.Wall > 0 && s.Wall < 5*time.Minute, "wall time"},
		{s.User > 0 && s.CPU() < 2*time.Duration(rep.Machine.CPUs)*s.Wall+time.Second, "CPU time, bounded by wall × CPUs"},
		{s.MaxRSS > 10<<20 && s.MaxRSS < 8<<30, "peak RSS between 10 MiB and 8 GiB"},
		{s.DBBytes > 100<<10, "database size"},
		{s.OutBytes > 0, "JSON report size"},
		{len(s.Phases) >= 2, "phases from the -v log"},
		{rep.Machine.CPUs > 0 && rep.Machine.Go != "" && rep.Machine.Commit != "", "machine description"},
	}
	var phases time.Duration
	for _, p := range s.Phases {
		phases += p.D
	}
	checks = append(checks, struct {
		ok   bool
		what string
	}{phases > 0 && phases <= s.Wall, "phases add up to at most the wall time"})
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: %+v", c.what, s)
		}
	}

	if rep.failed() {
		t.Error("the report says a measurement failed")
	}
	if err := writeReport(rep, opts.Out, nil); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# cloudward benchmarks", "| sqlite | 200 | ", "### Against the targets of issue 11", "Not run (--components=false)."} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("warnings:\n%s", logs.String())
	}
}

// TestScanFailureIsReported: a scan that fails, or whose output cannot be
// read, is recorded with the reason, the other scans still run, and the run
// counts as failed.
func TestScanFailureIsReported(t *testing.T) {
	done := `echo 'time=x level=DEBUG msg="scan done" snapshot=1 resources=635 findings=2534 commit=1ms' >&2`
	for _, tc := range []struct {
		name, script string
		want         []string
	}{
		{"exit status", "echo 'cloudward: open store: disk full' >&2\nexit 2", []string{"exit status 2", "disk full"}},
		{"no scan done line", "echo 'time=x level=INFO msg=other' >&2", []string{`has no "scan done" line`, "msg=other"}},
		{"no JSON report", done, []string{"JSON report", "no such file"}},
		{"counts disagree", done + "\nfor a in \"$@\"; do case $a in json=*) echo '{\"snapshot\":{\"resources\":7},\"summary\":{\"findings\":{\"total\":2534}}}' > ${a#json=};; esac; done",
			[]string{"disagrees with the log"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fake := filepath.Join(dir, "cloudward")
			if err := os.WriteFile(fake, []byte("#!/bin/sh\n"+tc.script+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			args := []string{"--sizes", "200,300", "--components=false", "--backends", "sqlite", "--repo", "../..", "--cloudward", fake, "--work-dir", dir}
			opts, err := parseOptions(args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := bench(t.Context(), slog.New(slog.DiscardHandler), opts, os.Getenv, "cloudward-bench")
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Scans) != 2 {
				t.Fatalf("%d scans, want both sizes tried: %+v", len(rep.Scans), rep.Scans)
			}
			for _, s := range rep.Scans {
				for _, w := range tc.want {
					if !strings.Contains(s.Err, w) {
						t.Errorf("size %d: error %q, want it to contain %q", s.Size, s.Err, w)
					}
				}
			}
			if !rep.failed() {
				t.Error("failed() = false")
			}
			var buf bytes.Buffer
			if err := rep.render(&buf); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "| sqlite | 300 | **failed** (below) |") {
				t.Errorf("report:\n%s", buf.String())
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "cwbench*")); len(left) > 0 {
				t.Errorf("work directory left: %v", left)
			}
		})
	}
}
