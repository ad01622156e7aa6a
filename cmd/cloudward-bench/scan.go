package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// scanRun is the measurement of one `cloudward scan --demo` process.
type scanRun struct {
	Backend string
	Size    int // --demo-size
	Run     int // 1…--repeat
	Pass    int // 1; 2 for the rescan into the same store
	Err     string

	Wall      time.Duration
	User, Sys time.Duration // the cloudward process's CPU (rusage)
	MaxRSS    int64         // peak resident set size of the cloudward process, bytes
	DBBytes   int64         // store size after the scan: SQLite file + -wal; pg_database_size
	OutBytes  int64         // size of the JSON report (0 with --scan-output table)

	Resources, Findings, Fail, Error int64
	Phases                           []phase

	// ServerCPU is the PostgreSQL server's CPU during the scan (postmaster,
	// its background processes and the backends), when it was measured.
	ServerCPU      time.Duration
	ServerMeasured bool

	Profile string // CPU profile written, if any
}

// CPU is the cloudward process's user + system time.
func (r scanRun) CPU() time.Duration { return r.User + r.Sys }

// scanner runs the end-to-end scans.
type scanner struct {
	bin      string
	work     string
	opts     options
	pg       *pgServer // nil without the postgres backend
	log      *slog.Logger
	profiles bool // the binary has --cpu-profile
}

// buildCloudward builds ./cmd/cloudward of the repository into dir.
func buildCloudward(ctx context.Context, repo, dir string, flags []string) (string, error) {
	bin := filepath.Join(dir, "cloudward")
	args := append([]string{"build", "-o", bin}, flags...)
	args = append(args, "./cmd/cloudward")
	c := exec.CommandContext(ctx, "go", args...)
	c.Dir = repo
	if out, err := c.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return bin, nil
}

// hasFlag reports whether `bin --help` documents flag.
func hasFlag(ctx context.Context, bin, flag string) (bool, error) {
	out, err := exec.CommandContext(ctx, bin, "--help").CombinedOutput()
	if err != nil {
		return false, fmt.Errorf("%s --help: %w\n%s", bin, err, out)
	}
	return bytes.Contains(out, []byte(flag+" ")), nil
}

// scanPair scans one size on one backend into a new store: once, and
// again into the same store with --rescan. run numbers the repetition.
func (s *scanner) scanPair(ctx context.Context, backend string, size, run int) []scanRun {
	passes := 1
	if s.opts.Rescan {
		passes = 2
	}
	var runs []scanRun
	var db, pgName string
	switch backend {
	case backendSQLite:
		db = filepath.Join(s.work, fmt.Sprintf("sqlite-%d-%d.db", size, run))
		if !s.opts.Keep {
			defer removeSQLite(db)
		}
	case backendPostgres:
		pgName = fmt.Sprintf("cwbench_%d_%d_%d", size, run, os.Getpid())
		if err := s.pg.CreateDB(ctx, pgName); err != nil {
			return []scanRun{{Backend: backend, Size: size, Run: run, Pass: 1, Err: err.Error()}}
		}
		if !s.opts.Keep || !s.pg.Local() {
			defer func() {
				if err := s.pg.DropDB(context.WithoutCancel(ctx), pgName); err != nil {
					s.log.Warn("drop benchmark database", "err", err)
				}
			}()
		}
		db = s.pg.DSN(pgName)
	}
	for pass := 1; pass <= passes; pass++ {
		r := s.scanOnce(ctx, backend, size, run, pass, db, pgName)
		runs = append(runs, r)
		if r.Err != "" || ctx.Err() != nil {
			break
		}
	}
	return runs
}

func removeSQLite(db string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(db + suffix)
	}
}

// scanOnce runs one scan and measures it.
func (s *scanner) scanOnce(ctx context.Context, backend string, size, run, pass int, db, pgName string) scanRun {
	r := scanRun{Backend: backend, Size: size, Run: run, Pass: pass}
	// scan-<backend>-<size>[-run<k>][-rescan]: names the log, the JSON
	// report and the CPU profile.
	tag := fmt.Sprintf("%s-%d", backend, size)
	if s.opts.Repeat > 1 {
		tag += fmt.Sprintf("-run%d", run)
	}
	if pass > 1 {
		tag += "-rescan"
	}
	logPath := filepath.Join(s.work, "scan-"+tag+".log")
	outPath := filepath.Join(s.work, "scan-"+tag+".json")
	args := []string{"scan", "--demo", "--demo-size", strconv.Itoa(size), "--db", db, "-v"}
	if s.opts.ScanOutput == "json" {
		args = append(args, "--output", "json="+outPath)
	} else {
		args = append(args, "--output", "table")
	}
	if s.opts.CPUProfileDir != "" {
		r.Profile = filepath.Join(s.opts.CPUProfileDir, "scan-"+tag+".prof")
		args = append(args, "--cpu-profile", r.Profile)
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		r.Err = fmt.Sprintf("scan log: %v", err)
		return r
	}
	defer func() {
		logFile.Close()
		if !s.opts.Keep {
			os.Remove(logPath)
			os.Remove(outPath)
		}
	}()

	var pm int
	var serverBefore time.Duration
	if backend == backendPostgres && s.pg.Local() {
		if pm, err = s.pg.postmasterPID(); err == nil {
			serverBefore, err = treeCPU(pm)
		}
		if err != nil {
			s.log.Warn("postgres server CPU not measured", "err", err)
			pm = 0
		}
	}

	s.log.Info("scan", "backend", backend, "size", size, "run", run, "pass", pass)
	c := exec.CommandContext(ctx, s.bin, args...)
	c.Dir = s.work
	c.Stdout = nil // /dev/null: the table, if any
	c.Stderr = logFile
	ownGroup(c)
	start := time.Now()
	err = c.Run()
	r.Wall = time.Since(start)
	if ps := c.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			r.User = time.Duration(ru.Utime.Nano())
			r.Sys = time.Duration(ru.Stime.Nano())
			r.MaxRSS = ru.Maxrss << 10 // KiB on Linux
		}
	}
	if err != nil {
		r.Err = fmt.Sprintf("cloudward %s: %v%s", strings.Join(redactArgs(args), " "), err, tail(logPath, 8))
		if ctx.Err() != nil {
			r.Err = "interrupted"
		}
		return r
	}
	if pm != 0 {
		waitBackendsGone(pm, pgName, 5*time.Second)
		if after, err := treeCPU(pm); err == nil {
			r.ServerCPU, r.ServerMeasured = after-serverBefore, true
		} else {
			s.log.Warn("postgres server CPU not measured", "err", err)
		}
	}

	if err := s.fillCounts(&r, logPath, outPath); err != nil {
		r.Err = err.Error()
		return r
	}
	switch backend {
	case backendSQLite:
		r.DBBytes = fileSize(db) + fileSize(db+"-wal")
	case backendPostgres:
		if r.DBBytes, err = s.pg.DBSize(ctx, pgName); err != nil {
			r.Err = err.Error()
			return r
		}
	}
	s.log.Info("scanned", "backend", backend, "size", size, "run", run, "pass", pass, "resources", r.Resources,
		"wall", r.Wall.Round(time.Millisecond), "cpu", r.CPU().Round(time.Millisecond),
		"peak_rss_mib", r.MaxRSS>>20, "db_mb", r.DBBytes/1_000_000)
	return r
}

// fillCounts reads the phases from the scan's log and the counts from its
// JSON report (or, without one, from the log).
func (s *scanner) fillCounts(r *scanRun, logPath, outPath string) error {
	f, err := os.Open(logPath)
	if err != nil {
		return fmt.Errorf("scan log: %w", err)
	}
	sum, found, err := findScanDone(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("scan log %s: %w", logPath, err)
	}
	if !found {
		return fmt.Errorf("scan log %s has no \"scan done\" line (was -v dropped?)%s", logPath, tail(logPath, 4))
	}
	r.Phases = sum.Phases
	r.Resources, r.Findings = sum.Resources, sum.Findings
	if s.opts.ScanOutput != "json" {
		return nil
	}
	js, err := readJSONReport(outPath)
	if err != nil {
		return err
	}
	r.OutBytes = fileSize(outPath)
	if js.Snapshot.Resources != sum.Resources || js.Summary.Findings.Total != sum.Findings {
		return fmt.Errorf("the JSON report (%d resources, %d findings) disagrees with the log (%d, %d)",
			js.Snapshot.Resources, js.Summary.Findings.Total, sum.Resources, sum.Findings)
	}
	r.Fail, r.Error = js.Summary.Findings.Fail, js.Summary.Findings.Error
	return nil
}

// jsonReport is the head of cloudward's JSON report.
type jsonReport struct {
	Snapshot struct {
		Resources int64 `json:"resources"`
	} `json:"snapshot"`
	Summary struct {
		Findings struct {
			Total int64 `json:"total"`
			Fail  int64 `json:"fail"`
			Error int64 `json:"error"`
		} `json:"findings"`
	} `json:"summary"`
}

// readJSONReport reads the "snapshot" and "summary" objects at the head of
// a JSON report and stops there: the findings that follow can be gigabytes.
func readJSONReport(path string) (jsonReport, error) {
	var rep jsonReport
	f, err := os.Open(path)
	if err != nil {
		return rep, fmt.Errorf("JSON report: %w", err)
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return rep, fmt.Errorf("JSON report %s: not an object", path)
	}
	var haveSnap, haveSum bool
	for !(haveSnap && haveSum) && dec.More() {
		t, err := dec.Token()
		if err != nil {
			return rep, fmt.Errorf("JSON report %s: %w", path, err)
		}
		var dst any
		switch t {
		case "snapshot":
			dst, haveSnap = &rep.Snapshot, true
		case "summary":
			dst, haveSum = &rep.Summary, true
		default:
			dst = new(json.RawMessage)
		}
		if err := dec.Decode(dst); err != nil {
			return rep, fmt.Errorf("JSON report %s: %v: %w", path, t, err)
		}
	}
	if !haveSnap || !haveSum {
		return rep, fmt.Errorf("JSON report %s: no snapshot or summary object", path)
	}
	return rep, nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// tail returns the last n lines of a file, indented, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "\n    " + strings.Join(lines, "\n    ")
}

// ownGroup runs c in a process group of its own and, when the context is
// cancelled, kills the whole group: `go test` leaves its test binary
// running when only the go command is killed.
func ownGroup(c *exec.Cmd) {
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error {
		err := syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return os.ErrProcessDone
		}
		return err
	}
	c.WaitDelay = 10 * time.Second
}

// writeScanBench writes the end-to-end figures in the Go benchmark format,
// one line per scan, so that benchstat can compare two runs:
//
//	BenchmarkScan/backend=sqlite/size=10000/pass=1 1 1810000000 ns/op 2.37 cpu-s …
func writeScanBench(path string, rep *benchReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "goos: linux\ngoarch: %s\npkg: cloudward/cmd/cloudward\ncpu: %s\n", strings.TrimPrefix(rep.Machine.OSArch, "linux/"), rep.Machine.CPUModel)
	if rep.Machine.Commit != "" {
		fmt.Fprintf(&b, "commit: %s\n", rep.Machine.Commit)
	}
	for _, r := range rep.Scans {
		if r.Err != "" {
			continue
		}
		b.WriteString(scanBenchLine(r))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// scanBenchLine renders one scan as a benchmark result line.
func scanBenchLine(r scanRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BenchmarkScan/backend=%s/size=%d/pass=%d\t1\t%d ns/op", r.Backend, r.Size, r.Pass, r.Wall.Nanoseconds())
	m := func(v float64, unit string) { fmt.Fprintf(&b, "\t%s %s", strconv.FormatFloat(v, 'g', -1, 64), unit) }
	m(r.CPU().Seconds(), "cpu-s")
	m(r.User.Seconds(), "user-s")
	m(r.Sys.Seconds(), "sys-s")
	m(float64(r.MaxRSS)/(1<<20), "peak-RSS-MiB")
	m(float64(r.DBBytes)/1e6, "db-MB")
	m(float64(r.Resources), "resources")
	m(float64(r.Findings), "findings")
	if r.ServerMeasured {
		m(r.ServerCPU.Seconds(), "server-cpu-s")
	}
	for _, p := range r.Phases {
		m(p.D.Seconds(), p.Name+"-s")
	}
	return b.String()
}
