package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// fixedReport is a report of every section from fixed measurements: the
// figures of docs/performance.md's latest SQLite run and of its PostgreSQL
// table where they exist.
func fixedReport() *benchReport {
	scan := func(backend string, size int, res, findings, fail int64, wall, user, sys float64, rssMiB, db int64, phases ...float64) scanRun {
		r := scanRun{Backend: backend, Size: size, Run: 1, Pass: 1, Resources: res, Findings: findings, Fail: fail,
			Wall: sec(wall), User: sec(user), Sys: sec(sys), MaxRSS: rssMiB << 20, DBBytes: db, OutBytes: findings * 930}
		for i, name := range []string{"collect_and_evaluate", "cross_resource_checks", "commit"} {
			if i < len(phases) {
				r.Phases = append(r.Phases, phase{Name: name, D: sec(phases[i])})
			}
		}
		return r
	}
	lite10k := scan("sqlite", 10000, 10000, 52432, 4411, 1.81, 2.04, 0.33, 227, 20_400_000, 0.73, 0.28, 0.012)
	lite10k2 := lite10k
	lite10k2.Pass, lite10k2.DBBytes, lite10k2.Wall = 2, 41_200_000, sec(1.93)
	lite1m := scan("sqlite", 1000000, 1000000, 5328010, 440100, 124.3, 120.9, 33.6, 1105, 1_980_000_000, 75, 42, 0.6)
	lite1m.Profile = "/tmp/prof/scan-sqlite-1000000.prof"
	pg10k := scan("postgres", 10000, 10000, 52432, 4411, 2.7, 1.2, 0.3, 114, 31_000_000, 1.9, 0.5, 0.1)
	pg10k.ServerCPU, pg10k.ServerMeasured = sec(1.4), true
	pg10k2 := pg10k
	pg10k2.Pass, pg10k2.DBBytes = 2, 47_500_000
	pg1m := scan("postgres", 1000000, 1000000, 5328010, 440100, 188, 60.1, 16.9, 781, 2_300_000_000, 150, 30, 3)
	pg1m.ServerCPU, pg1m.ServerMeasured = sec(131.5), true
	return &benchReport{
		Command: "cloudward-bench --sizes 10000,1000000 --rescan --cpu-profile-dir /tmp/prof",
		Started: time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC),
		Took:    13*time.Minute + 7*time.Second,
		Machine: machine{CPUs: 2, CPUModel: "AMD EPYC", MemBytes: 24105 << 20, Kernel: "6.18.44", Go: "go1.26.8",
			OSArch: "linux/amd64", Commit: "2faf44612345", Dirty: 3, Env: []string{"GOGC=200", "GOMEMLIMIT=900MiB"}},
		LoadStart:  loadAvg{1.05, 1.2, 1.9},
		LoadEnd:    loadAvg{1.9, 1.7, 1.8},
		Binary:     "built from the commit above with `go build ./cmd/cloudward` in 16 s",
		ScanOutput: "json",
		Postgres:   "15.18, throwaway cluster started here (max_connections = 100, shared_buffers = 256MB), over a Unix socket, default durability (fsync on)",
		Scans: []scanRun{
			lite10k, lite10k2, lite1m,
			pg10k, pg10k2, pg1m,
		},
		Rescan: true,
		Components: []componentRun{
			{component: components(options{})[0], Command: "go test ./internal/policy -run '^$' -bench '^BenchmarkEvaluate$' -benchtime 5x", Wall: sec(21.4),
				Results: []benchResult{{Name: "BenchmarkEvaluate", Procs: 2, Iters: 5, Metrics: []metric{
					{412345678, "ns/op"}, {242517.3, "evals/s"}, {121258.6, "resources/s"}, {51234567, "B/op"}, {812345, "allocs/op"}}}}},
			{component: components(options{})[2], Skipped: "PostgreSQL server binaries (initdb, pg_ctl) not found"},
			{component: components(options{})[3], Command: "go test ./internal/collect/aws -run '^$' -bench '^BenchmarkCollectThrottled$' -benchtime 1x", Wall: sec(48),
				Results: []benchResult{
					{Name: "BenchmarkCollectThrottled/adaptive", Procs: 2, Iters: 1, Metrics: []metric{{18.9e9, "ns/op"}, {18900, "wall-ms"}, {903, "bound-ms"}, {578, "calls"}, {0, "lost"}}},
					{Name: "BenchmarkCollectThrottled/standard", Procs: 2, Iters: 1, Metrics: []metric{{4.3e9, "ns/op"}, {4300, "wall-ms"}, {903, "bound-ms"}, {578, "calls"}, {0, "lost"}}},
				}},
			{component: components(options{})[5], Command: "go test ./internal/dist -run '^$' -bench '^BenchmarkJobOverhead$' -benchtime 1x", Wall: sec(30),
				Skips: []benchSkip{{Name: "BenchmarkJobOverhead", Failed: true, Reason: "wait: context deadline exceeded, 3 failed"}},
				Err:   "go test ./internal/dist …: exit status 1\n    FAIL\tcloudward/internal/dist\t30.1s"},
		},
	}
}

func TestRenderGolden(t *testing.T) {
	failed := fixedReport()
	failed.Scans = []scanRun{
		{Backend: "sqlite", Size: 200, Pass: 1, Resources: 635, Findings: 2534, Fail: 369, Wall: sec(0.31), User: sec(0.4), Sys: sec(0.05), MaxRSS: 150 << 20, DBBytes: 1_531_904,
			Phases: []phase{{"collect_and_evaluate", sec(0.057)}, {"cross_resource_checks", sec(0.036)}, {"commit", sec(0.005)}}},
		{Backend: "sqlite", Size: 1000000, Pass: 1, Err: "cloudward scan --demo --demo-size 1000000 …: signal: killed\n    fatal error: runtime: out of memory"},
		{Backend: "postgres", Size: 200, Pass: 1, Resources: 635, Findings: 2534, Wall: sec(0.9), User: sec(0.5), Sys: sec(0.1), MaxRSS: 140 << 20, DBBytes: 10_000_000},
	}
	failed.ScanOutput = "table"
	failed.Rescan = false
	failed.ComponentsOff = true
	failed.Components = nil
	failed.LoadEnd = loadAvg{12.5, 6, 3.6}
	failed.Notes = []string{"PostgreSQL not scanned: none here."}

	for _, tc := range []struct {
		name string
		rep  *benchReport
	}{
		{"report", fixedReport()},
		{"report-failed", failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.rep.render(&buf); err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			if err := tc.rep.render(&again); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Fatalf("rendering twice differs (err %v)", err)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("report differs from %s (run with -update to accept):\n%s", path, buf.String())
			}
		})
	}
}

func TestFailed(t *testing.T) {
	rep := fixedReport()
	if !rep.failed() { // the dist component failed
		t.Error("failed() = false with a failed component")
	}
	rep.Components = rep.Components[:3]
	if rep.failed() {
		t.Error("failed() = true with every measurement made (a skip is not a failure)")
	}
	rep.Scans[1].Err = "boom"
	if !rep.failed() {
		t.Error("failed() = false with a failed scan")
	}
}

func TestFormatting(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{thousands(0), "0"},
		{thousands(999), "999"},
		{thousands(1000), "1,000"},
		{thousands(5328010), "5,328,010"},
		{thousands(-1234567), "-1,234,567"},
		{seconds(sec(1.754)), "1.75 s"},
		{seconds(sec(124.33)), "124.3 s"},
		{roundDuration(sec(45.4)), "45 s"},
		{roundDuration(sec(192)), "3 min 12 s"},
		{mib(1105 << 20), "1,105 MiB"},
		{mb(22_540_000), "22.5 MB"},
		{mb(226_400_000), "226 MB"},
		{mb(2_270_000_000), "2.27 GB"},
		{formatValue(242517.3), "242,517"},
		{formatValue(578), "578"},
		{formatValue(6.9), "6.9"},
		{formatValue(0.0123456), "0.0123"},
		{verdict(true, 2), "met"},
		{verdict(false, 2.07), "**not met** (2.07× the target)"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestRepeat: with --repeat, the targets use the scan of median wall time,
// the rows name their repetition, and each rescan is compared with the
// first scan of its own repetition.
func TestRepeat(t *testing.T) {
	rep := fixedReport()
	rep.Repeat = 3
	var scans []scanRun
	for i, wall := range []float64{130, 110, 124.3} {
		s := rep.Scans[2] // sqlite 1,000,000
		s.Run, s.Wall, s.MaxRSS = i+1, sec(wall), int64(1000+i)<<20
		scans = append(scans, s)
	}
	r2 := rep.Scans[0] // sqlite 10,000, and its rescan
	r2.Run, r2.DBBytes = 2, 30_000_000
	r2b := rep.Scans[1]
	r2b.Run, r2b.DBBytes = 2, 45_000_000
	failed := scanRun{Backend: "sqlite", Size: 1000000, Run: 4, Pass: 1, Err: "boom", Wall: sec(1)}
	rep.Scans = append([]scanRun{rep.Scans[0], rep.Scans[1], r2, r2b, failed}, scans...)

	got, n := rep.find("sqlite", 1000000)
	if n != 3 || got.Run != 3 {
		t.Errorf("find = run %d of %d, want run 3 (median wall) of 3", got.Run, n)
	}
	var buf bytes.Buffer
	if err := rep.render(&buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"| SQLite, 1,000,000 resources: wall < 60 s | 124.3 s (median of 3 scans) | **not met** (2.07× the target) |",
		"| SQLite, 1,000,000 resources: peak RSS < 1 GiB | 1,002 MiB (median of 3 scans) | met |",
		"| sqlite #2 | 10,000 | 30.0 MB | 45.0 MB | +15.0 MB (+50.0 %) |",
		"| sqlite #1 | 10,000 | 20.4 MB | 41.2 MB |",
		"| sqlite #4 | 1,000,000 | **failed** (below) |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}
