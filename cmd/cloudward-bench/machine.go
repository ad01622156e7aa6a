package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// machine describes where the benchmarks ran.
type machine struct {
	CPUs     int    // logical CPUs this process may run on (nproc)
	CPUModel string // "model name" of /proc/cpuinfo
	MemBytes int64  // MemTotal of /proc/meminfo
	Kernel   string // /proc/sys/kernel/osrelease
	Go       string // `go env GOVERSION` of the toolchain that builds and tests
	OSArch   string
	Commit   string   // HEAD of the repository
	Dirty    int      // files with uncommitted changes (git status --porcelain)
	Env      []string // settings of the Go runtime and toolchain that change the figures, NAME=value
}

// goEnv lists the environment variables that change what the benchmarks
// measure: the children (cloudward, go build, go test) inherit them.
var goEnv = []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG", "GOEXPERIMENT", "GOFLAGS", "GOAMD64", "CGO_ENABLED"}

// readMachine gathers the machine's description; what cannot be read is
// left empty rather than failing the run.
func readMachine(ctx context.Context, repo string, getenv func(string) string) machine {
	m := machine{CPUs: runtime.NumCPU(), OSArch: runtime.GOOS + "/" + runtime.GOARCH}
	for _, k := range goEnv {
		if v := getenv(k); v != "" {
			m.Env = append(m.Env, k+"="+v)
		}
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.MemBytes = parseMemTotal(string(b))
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	m.Go = cmdOutput(ctx, repo, "go", "env", "GOVERSION")
	m.Commit = cmdOutput(ctx, repo, "git", "rev-parse", "--short=12", "HEAD")
	if st := cmdOutput(ctx, repo, "git", "status", "--porcelain", "--untracked-files=no"); st != "" {
		m.Dirty = len(strings.Split(st, "\n"))
	}
	return m
}

// parseMemTotal returns MemTotal of a /proc/meminfo text, in bytes.
func parseMemTotal(meminfo string) int64 {
	for line := range strings.SplitSeq(meminfo, "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kib, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return kib << 10
				}
			}
		}
	}
	return 0
}

func cmdOutput(ctx context.Context, dir, name string, args ...string) string {
	c := exec.CommandContext(ctx, name, args...)
	c.Dir = dir
	out, err := c.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// loadAvg is the 1, 5 and 15 minute load average, as `uptime` shows it.
type loadAvg [3]float64

// readLoad reads /proc/loadavg.
func readLoad() (loadAvg, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return loadAvg{}, fmt.Errorf("read load average: %w", err)
	}
	return parseLoad(string(b))
}

func parseLoad(s string) (loadAvg, error) {
	var l loadAvg
	f := strings.Fields(s)
	if len(f) < 3 {
		return l, fmt.Errorf("load average %q: want three numbers", s)
	}
	for i := range l {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return l, fmt.Errorf("load average %q: %w", s, err)
		}
		l[i] = v
	}
	return l, nil
}

// String renders the three figures as uptime does.
func (l loadAvg) String() string { return fmt.Sprintf("%.2f, %.2f, %.2f", l[0], l[1], l[2]) }
