package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseBenchLine(t *testing.T) {
	for _, tc := range []struct {
		line    string
		want    benchResult
		ok      bool
		wantErr string
	}{
		{line: "BenchmarkEvaluate-2   \t       5\t 412345678 ns/op\t    242517 evals/s\t    121258 resources/s",
			want: benchResult{Name: "BenchmarkEvaluate", Procs: 2, Iters: 5, Metrics: []metric{{412345678, "ns/op"}, {242517, "evals/s"}, {121258, "resources/s"}}}, ok: true},
		{line: "BenchmarkCollectOrganization/projects-at-once=4-2 1 6912345678 ns/op 7604 requests 6.912 s/org",
			want: benchResult{Name: "BenchmarkCollectOrganization/projects-at-once=4", Procs: 2, Iters: 1, Metrics: []metric{{6912345678, "ns/op"}, {7604, "requests"}, {6.912, "s/org"}}}, ok: true},
		{line: "BenchmarkX 10 1.5e+03 ns/op", want: benchResult{Name: "BenchmarkX", Iters: 10, Metrics: []metric{{1500, "ns/op"}}}, ok: true},
		{line: "Benchmark 1 2 ns/op", want: benchResult{Name: "Benchmark", Iters: 1, Metrics: []metric{{2, "ns/op"}}}, ok: true},
		{line: "BenchmarkNeg-x 1 -3 lost", want: benchResult{Name: "BenchmarkNeg-x", Iters: 1, Metrics: []metric{{-3, "lost"}}}, ok: true},
		{line: "BenchmarkCollectThrottled"},                      // a name alone: results follow later
		{line: "BenchmarkCollectThrottled/adaptive-2   \t     "}, // the same, with padding
		{line: "Benchmarking is fun 1 2"},                        // lower case after the prefix
		{line: "goos: linux"},
		{line: "PASS"},
		{line: "ok  \tcloudward/internal/policy\t12.3s"},
		{line: ""},
		{line: "BenchmarkOdd-2 1 2 ns/op 3", wantErr: "value/unit pairs"},
		{line: "BenchmarkBadN-2 many 2 ns/op", wantErr: "not a count"},
		{line: "BenchmarkBadV-2 1 fast ns/op", wantErr: "not a number"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			got, ok, err := parseBenchLine(tc.line)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, %v, %v; want %+v, %v", got, ok, err, tc.want, tc.ok)
			}
		})
	}
}

// benchOutputText is real `go test -bench` output of several packages'
// shapes: configuration lines, sub-benchmarks, a benchmark whose logs split
// its name from its results, and a skip with its reason.
const benchOutputText = `goos: linux
goarch: amd64
pkg: cloudward/internal/collect/aws
cpu: AMD EPYC
BenchmarkCollectThrottled/adaptive-2         	       1	18912345678 ns/op	       903.0 bound-ms	       578.0 calls	         0 extra-errors	         0 lost	       415.0 min-calls	       114.0 throttled	     18912 wall-ms
BenchmarkCollectThrottled/standard-2         	       1	4312345678 ns/op	       903.0 bound-ms	       578.0 calls	         0 extra-errors	         0 lost	       415.0 min-calls	       114.0 throttled	      4312 wall-ms
PASS
ok  	cloudward/internal/collect/aws	25.1s
pkg: cloudward/internal/store/postgres
BenchmarkWriteResources
    bench_test.go:45: a log line of the benchmark
BenchmarkWriteResources-2   	  100000	     81234 ns/op	        64.10 db-MB	     12310 rows/s
--- SKIP: BenchmarkReadResources
    pgtest.go:168: no PostgreSQL for this test: PostgreSQL server binaries (initdb, pg_ctl) not found
    second line of the reason
--- FAIL: BenchmarkWriteFindings
    bench_test.go:130: boom
FAIL
`

func TestParseBenchOutput(t *testing.T) {
	out, err := parseBenchOutput(strings.NewReader(benchOutputText))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(out.Results); got != 3 {
		t.Fatalf("%d results, want 3: %+v", got, out.Results)
	}
	first := out.Results[0]
	if first.Name != "BenchmarkCollectThrottled/adaptive" || first.Procs != 2 || first.Pkg != "cloudward/internal/collect/aws" ||
		len(first.Metrics) != 8 || first.Metrics[7] != (metric{18912, "wall-ms"}) {
		t.Errorf("first result %+v", first)
	}
	if w := out.Results[2]; w.Name != "BenchmarkWriteResources" || w.Pkg != "cloudward/internal/store/postgres" || w.Metrics[2] != (metric{12310, "rows/s"}) {
		t.Errorf("third result %+v", w)
	}
	wantSkips := []benchSkip{
		{Name: "BenchmarkReadResources", Reason: "no PostgreSQL for this test: PostgreSQL server binaries (initdb, pg_ctl) not found second line of the reason"},
		{Name: "BenchmarkWriteFindings", Failed: true, Reason: "boom"},
	}
	if !reflect.DeepEqual(out.Skips, wantSkips) {
		t.Errorf("skips %+v, want %+v", out.Skips, wantSkips)
	}
	if out.Config["cpu"] != "AMD EPYC" || out.Config["goos"] != "linux" {
		t.Errorf("config %v", out.Config)
	}

	if _, err := parseBenchOutput(strings.NewReader("x\nBenchmarkBad-2 1 x ns/op\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("malformed line: err = %v, want one naming line 2", err)
	}
}

// formatBenchLine writes r the way the testing package does (values in Go
// float syntax), for the round-trip fuzz test.
func formatBenchLine(r benchResult) string {
	name := r.Name
	if r.Procs > 0 {
		name += "-" + strconv.Itoa(r.Procs)
	}
	s := fmt.Sprintf("%s\t%d", name, r.Iters)
	for _, m := range r.Metrics {
		s += "\t" + strconv.FormatFloat(m.Value, 'g', -1, 64) + " " + m.Unit
	}
	return s
}

// FuzzParseBenchLine: no line panics; a parsed line formatted again parses
// to the same result.
func FuzzParseBenchLine(f *testing.F) {
	for line := range strings.SplitSeq(benchOutputText, "\n") {
		f.Add(line)
	}
	f.Add("BenchmarkX-2 1 NaN ns/op 1e308 x")
	f.Add("Benchmark-2-4 1 2 ns/op")
	f.Fuzz(func(t *testing.T, line string) {
		r, ok, err := parseBenchLine(line)
		if err != nil || !ok {
			return
		}
		if len(r.Metrics) != (len(strings.Fields(line))-2)/2 {
			t.Fatalf("%q: %d metrics from %d fields", line, len(r.Metrics), len(strings.Fields(line)))
		}
		again, ok, err := parseBenchLine(formatBenchLine(r))
		if err != nil || !ok {
			t.Fatalf("%q → %q does not parse: %v", line, formatBenchLine(r), err)
		}
		if !sameResult(r, again) {
			t.Fatalf("%q: round trip %+v → %+v", line, r, again)
		}
	})
}

func sameResult(a, b benchResult) bool {
	if a.Name != b.Name || a.Procs != b.Procs || a.Iters != b.Iters || len(a.Metrics) != len(b.Metrics) {
		return false
	}
	for i := range a.Metrics {
		x, y := a.Metrics[i], b.Metrics[i]
		if x.Unit != y.Unit || (x.Value != y.Value && !(math.IsNaN(x.Value) && math.IsNaN(y.Value))) {
			return false
		}
	}
	return true
}

// FuzzParseBenchOutput: arbitrary output never panics.
func FuzzParseBenchOutput(f *testing.F) {
	f.Add(benchOutputText)
	f.Add("--- SKIP: \n\t\n--- FAIL: x\n  y\n")
	f.Fuzz(func(t *testing.T, text string) {
		_, _ = parseBenchOutput(strings.NewReader(text))
	})
}

func TestParseLogLine(t *testing.T) {
	line := `time=2026-11-29T20:04:52.532Z level=DEBUG msg="scan done" snapshot=1 resources=635 findings=2534 collect_and_evaluate=57.074626ms cross_resource_checks=35.659466ms commit=5.137665ms`
	got, err := parseLogLine(line)
	if err != nil {
		t.Fatal(err)
	}
	want := []logField{{"time", "2026-11-29T20:04:52.532Z"}, {"level", "DEBUG"}, {"msg", "scan done"}, {"snapshot", "1"},
		{"resources", "635"}, {"findings", "2534"}, {"collect_and_evaluate", "57.074626ms"}, {"cross_resource_checks", "35.659466ms"}, {"commit", "5.137665ms"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
	for _, bad := range []string{`msg="unterminated`, `novalue`, `=x`, `k="\q"`} {
		if _, err := parseLogLine(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// FuzzParseLogLine: whatever slog's TextHandler writes for a key and a
// string value parses back to them.
func FuzzParseLogLine(f *testing.F) {
	f.Add("msg", "scan done")
	f.Add("path", `/tmp/a b/"c".db`)
	f.Add("k=v", "x=y z")
	f.Add("", "")
	f.Add("a\tb", "\x00\xff\n")
	f.Fuzz(func(t *testing.T, key, value string) {
		if key == "" || key == slog.TimeKey {
			return // slog drops attributes with empty keys; time is removed below
		}
		var buf bytes.Buffer
		h := slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		}})
		slog.New(h).Info("m", key, value)
		fields, err := parseLogLine(strings.TrimSuffix(buf.String(), "\n"))
		if err != nil {
			t.Fatalf("%q: %v", buf.String(), err)
		}
		if len(fields) != 3 || fields[2].Key != key || fields[2].Value != value {
			t.Fatalf("%q parsed to %q", buf.String(), fields)
		}
	})
}

func TestFindScanDone(t *testing.T) {
	log := `time=2026-11-29T20:04:52.318Z level=INFO msg="applied store migration" path=/tmp/wb/t.db migration=0007_resource_docs.sql
time=2026-11-29T20:04:52.532Z level=DEBUG msg="scan done" snapshot=1 resources=635 findings=2534 collect_and_evaluate=57.074626ms cross_resource_checks=35.659466ms commit=5.137665ms
time=2026-11-29T20:04:53.532Z level=DEBUG msg="scan done" snapshot=2 resources=10000 findings=52432 collect_and_evaluate=1.5s index_load=0s evaluations=900 commit=2m1s
`
	sum, found, err := findScanDone(strings.NewReader(log))
	if err != nil || !found {
		t.Fatalf("found %v, err %v", found, err)
	}
	want := scanSummary{Snapshot: 2, Resources: 10000, Findings: 52432, Phases: []phase{
		{"collect_and_evaluate", 1500 * time.Millisecond}, {"index_load", 0}, {"commit", 121 * time.Second}}}
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("got %+v, want %+v", sum, want)
	}
	if _, found, err := findScanDone(strings.NewReader("level=INFO msg=other\n")); found || err != nil {
		t.Errorf("no scan done line: found %v, err %v", found, err)
	}
	if _, _, err := findScanDone(strings.NewReader(`msg="scan done" resources=many` + "\n")); err == nil {
		t.Error("bad count: no error")
	}
}

func TestReadJSONReport(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	// The real head of a report, and findings that must not be read: the
	// trailing garbage proves the reader stops after the summary.
	if err := os.WriteFile(good, []byte(`{"schema_version":"1","snapshot":{"id":1,"resources":635},
"summary":{"findings":{"total":2534,"pass":2165,"fail":369,"error":0},"by_severity":[]},
"findings":[ this is not JSON`), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := readJSONReport(good)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Snapshot.Resources != 635 || rep.Summary.Findings.Total != 2534 || rep.Summary.Findings.Fail != 369 {
		t.Errorf("got %+v", rep)
	}
	for name, text := range map[string]string{"array.json": `[]`, "nosummary.json": `{"snapshot":{"resources":1}}`, "trunc.json": `{"snapshot":`} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		if _, err := readJSONReport(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want one naming the file", name, err)
		}
	}
}

func TestParseProcStat(t *testing.T) {
	// A postmaster's stat line; the command name holds a space and ')'.
	line := "4242 (postgres: a) b) S 1 4242 4242 0 -1 4194560 1234 5678 0 0 250 75 300 25 20 0 7 0 123456 1000000 2000 18446744073709551615"
	st, err := parseProcStat(line)
	if err != nil {
		t.Fatal(err)
	}
	want := procStat{PPID: 1, CPU: 3250 * time.Millisecond, Children: 3250 * time.Millisecond}
	if st != want {
		t.Errorf("got %+v, want %+v", st, want)
	}
	for _, bad := range []string{"", "1 (x S 1", "1 (x) S 1 2 3", "1 (x) S p 4242 4242 0 -1 4194560 1234 5678 0 0 250 75 300 25 20"} {
		if _, err := parseProcStat(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	self, err := treeCPU(os.Getpid())
	if err != nil || self < 0 {
		t.Errorf("treeCPU(self) = %v, %v", self, err)
	}
}

func TestMachineParsers(t *testing.T) {
	if got := parseMemTotal("MemTotal:       24684012 kB\nMemFree: 1 kB\n"); got != 24684012<<10 {
		t.Errorf("parseMemTotal = %d", got)
	}
	l, err := parseLoad("1.81 1.73 2.07 3/612 12345\n")
	if err != nil || l != (loadAvg{1.81, 1.73, 2.07}) || l.String() != "1.81, 1.73, 2.07" {
		t.Errorf("parseLoad = %v, %v", l, err)
	}
	if _, err := parseLoad("1.0 x"); err == nil {
		t.Error("parseLoad: no error for a short line")
	}
}

func TestParseOptions(t *testing.T) {
	o, err := parseOptions(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.Sizes, []int{10000, 100000}) || o.Backends != nil || !o.Components || o.Count != 1 || o.ScanOutput != "json" {
		t.Errorf("defaults %+v", o)
	}
	o, err = parseOptions([]string{"--sizes", "10k, 100_000,1M", "--backends", "postgres,sqlite", "--components=false", "--pg-dsn", "postgres://u:p@h/db", "--build-flags", "-pgo=off -trimpath"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.Sizes, []int{10000, 100000, 1000000}) || !reflect.DeepEqual(o.Backends, []string{"postgres", "sqlite"}) ||
		o.Components || !reflect.DeepEqual(o.BuildFlags, []string{"-pgo=off", "-trimpath"}) {
		t.Errorf("parsed %+v", o)
	}

	o, err = parseOptions([]string{"--sizes", "none", "--components=policy,sqlite"}, io.Discard)
	if err != nil || o.Sizes != nil || !o.Components || !reflect.DeepEqual(o.Only, []string{"policy", "sqlite"}) {
		t.Errorf("--components=policy,sqlite: %+v, %v", o, err)
	}
	o, err = parseOptions([]string{"--components"}, io.Discard)
	if err != nil || !o.Components || o.Only != nil {
		t.Errorf("--components alone: %+v, %v", o, err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--sizes", ""}, "--sizes: want positive resource counts"},
		{[]string{"--sizes", "abc"}, `--sizes: want positive resource counts up to 100M (e.g. 10000 or 10k), got "abc"`},
		{[]string{"--sizes", "0"}, "--sizes"},
		{[]string{"--sizes", "-5"}, "--sizes"},
		{[]string{"--sizes", "200M"}, "--sizes"},
		{[]string{"--sizes", "10000,10k"}, "--sizes: 10000 named twice"},
		{[]string{"--backends", "mysql"}, `--backends: unknown backend "mysql" (want sqlite, postgres or auto)`},
		{[]string{"--backends", "sqlite,"}, "--backends: empty name"},
		{[]string{"--backends", "sqlite,sqlite"}, "--backends: sqlite named twice"},
		{[]string{"--pg-dsn", "host=/tmp dbname=x"}, "--pg-dsn: want a postgres:// URL"},
		{[]string{"--pg-dsn", "postgres://u:secret@h/db", "--backends", "sqlite"}, "--pg-dsn is given but --backends does not include postgres"},
		{[]string{"--count", "0"}, "--count: want 1 or more, got 0"},
		{[]string{"--repeat", "0"}, "--repeat: want 1 or more, got 0"},
		{[]string{"--scan-output", "html"}, `--scan-output: want json or table, got "html"`},
		{[]string{"--cloudward", "/bin/x", "--build-flags", "-race"}, "--build-flags has no effect with --cloudward"},
		{[]string{"10000"}, `unexpected arguments ["10000"]`},
		{[]string{"--components", "policy"}, "name components with --components=policy (with '=')"},
		{[]string{"--components=policy,nope"}, `--components: unknown component "nope"`},
		{[]string{"--components=policy,"}, "empty component name"},
		{[]string{"--components=rescan"}, "--components rescan and rescan-postgres need --rescan"},
		{[]string{"--components=rescan-postgres"}, "need --rescan"},
		{[]string{"--sizes", "none", "--rescan"}, "--rescan needs --sizes"},
		{[]string{"--sizes", "none", "--components=false"}, "nothing to run"},
		{[]string{"--nope"}, "flag provided but not defined: -nope"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, err := parseOptions(tc.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func TestRunUsageErrors(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(t.Context(), []string{"--sizes", "x"}, io.Discard, &stderr, os.Getenv); code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	if !strings.HasPrefix(stderr.String(), "cloudward-bench: --sizes:") {
		t.Errorf("stderr %q", stderr.String())
	}
	stderr.Reset()
	if code := run(t.Context(), []string{"-help"}, io.Discard, &stderr, os.Getenv); code != exitOK || !strings.Contains(stderr.String(), "Usage:") {
		t.Errorf("-help: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if code := run(t.Context(), []string{"--repo", t.TempDir()}, io.Discard, &stderr, os.Getenv); code != exitError || !strings.Contains(stderr.String(), "--repo") {
		t.Errorf("outside the module: exit %d, stderr %q", code, stderr.String())
	}
}

func TestComponentArgs(t *testing.T) {
	cs := components(options{Sizes: []int{100000, 10000}, Rescan: true})
	last := cs[len(cs)-2]
	if last.Name != "rescan" {
		t.Fatalf("--rescan adds no rescan component: %+v", last)
	}
	got := commandLine("go", last.args(3))
	want := `go test ./internal/cli -run '^$' -bench '^BenchmarkDemoRescan$' -benchtime 1x -count 3 -args -demo-size 10000`
	if got != want {
		t.Errorf("command\n got %s\nwant %s", got, want)
	}
	if pg := cs[len(cs)-1]; pg.Name != "rescan-postgres" || !pg.NeedsPG || pg.Args[1] != "10000" {
		t.Errorf("rescan-postgres component %+v", pg)
	}
	if cs := components(options{Sizes: []int{10}}); strings.HasPrefix(cs[len(cs)-1].Name, "rescan") {
		t.Error("rescan component without --rescan")
	}
}

func TestStartsPostgres(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"--backends", "sqlite"}, true}, // the postgres and dist components
		{[]string{"--backends", "sqlite", "--components=false"}, false},
		{[]string{"--backends", "sqlite", "--components=policy,aws"}, false},
		{[]string{"--sizes", "none", "--components=dist"}, true},
		{[]string{"--pg-dsn", "postgres://h/db", "--components=false"}, false},
		{[]string{"--backends", "postgres", "--components=false"}, true},
	} {
		o, err := parseOptions(tc.args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if got := startsPostgres(o); got != tc.want {
			t.Errorf("%q: startsPostgres = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestRedactArgs(t *testing.T) {
	got := redactArgs([]string{"--pg-dsn", "postgres://u:hunter2@h/db?sslmode=disable", "--pg-dsn=postgresql://u:hunter2@h/db", "--db", "/tmp/x.db", "postgres://u@h/db"})
	want := []string{"--pg-dsn", "postgres://u:xxxxx@h/db?sslmode=disable", "--pg-dsn=postgresql://u:xxxxx@h/db", "--db", "/tmp/x.db", "postgres://u@h/db"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestScanBenchLine: the end-to-end figures written for benchstat parse
// back as benchmark lines with the same values.
func TestScanBenchLine(t *testing.T) {
	rep := fixedReport()
	dir := t.TempDir()
	path := filepath.Join(dir, "e2e.txt")
	if err := writeScanBench(path, rep); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := parseBenchOutput(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != len(rep.Scans) || out.Config["commit"] != rep.Machine.Commit || out.Config["pkg"] != "cloudward/cmd/cloudward" {
		t.Fatalf("%d results (want %d), config %v", len(out.Results), len(rep.Scans), out.Config)
	}
	pg := out.Results[5] // postgres 1,000,000
	if pg.Name != "BenchmarkScan/backend=postgres/size=1000000/pass=1" || pg.Iters != 1 {
		t.Errorf("name %q, iterations %d", pg.Name, pg.Iters)
	}
	want := map[string]float64{"ns/op": 188e9, "cpu-s": 77, "peak-RSS-MiB": 781, "db-MB": 2300, "resources": 1e6,
		"server-cpu-s": 131.5, "collect_and_evaluate-s": 150, "commit-s": 3}
	for _, m := range pg.Metrics {
		if w, ok := want[m.Unit]; ok {
			if math.Abs(m.Value-w) > 1e-6*w {
				t.Errorf("%s = %v, want %v", m.Unit, m.Value, w)
			}
			delete(want, m.Unit)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing metrics %v in %+v", want, pg.Metrics)
	}
}
