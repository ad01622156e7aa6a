package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat: 100
// on every Linux architecture Go supports (sysconf(_SC_CLK_TCK) needs cgo).
const clockTicks = 100

// procStat is what cpu accounting needs of /proc/<pid>/stat.
type procStat struct {
	PPID     int
	CPU      time.Duration // utime + stime
	Children time.Duration // cutime + cstime: children that exited and were waited for
}

// parseProcStat parses the text of /proc/<pid>/stat. The command name (field
// 2) is in parentheses and may hold spaces and parentheses, so fields are
// counted from the last ')'.
func parseProcStat(s string) (procStat, error) {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("proc stat %q: no command name", s)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime is field 14, so f[11].
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("proc stat: %d fields after the command name, want at least 15", len(f))
	}
	var v [5]int64
	for j, k := range []int{1, 11, 12, 13, 14} { // ppid, utime, stime, cutime, cstime
		n, err := strconv.ParseInt(f[k], 10, 64)
		if err != nil {
			return procStat{}, fmt.Errorf("proc stat field %d %q: %w", k+3, f[k], err)
		}
		v[j] = n
	}
	tick := time.Second / clockTicks
	return procStat{PPID: int(v[0]), CPU: time.Duration(v[1]+v[2]) * tick, Children: time.Duration(v[3]+v[4]) * tick}, nil
}

func readProcStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseProcStat(string(b))
}

// treeCPU returns the CPU time used so far by the process pid and its
// descendants: its own, that of its children that exited (cutime, cstime)
// and that of its children still running. For a PostgreSQL postmaster this
// covers the backends of closed connections and the background processes
// (checkpointer, WAL writer, autovacuum). Grandchildren still running are
// not counted (PostgreSQL's processes are all the postmaster's children).
func treeCPU(pid int) (time.Duration, error) {
	root, err := readProcStat(pid)
	if err != nil {
		return 0, fmt.Errorf("cpu of process %d: %w", pid, err)
	}
	total := root.CPU + root.Children
	for _, child := range childPIDs(pid) {
		if st, err := readProcStat(child); err == nil { // it may have exited since
			total += st.CPU
		}
	}
	return total, nil
}

// childPIDs lists the running children of pid.
func childPIDs(pid int) []int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var kids []int
	for _, d := range dirs {
		n, err := strconv.Atoi(filepath.Base(d))
		if err != nil || n == pid {
			continue
		}
		st, err := readProcStat(n)
		if err == nil && st.PPID == pid {
			kids = append(kids, n)
		}
	}
	return kids
}

// waitBackendsGone waits up to timeout for the postmaster's backends of
// database db to exit (their cmdline names the database), so that their CPU
// is in the postmaster's cutime when it is read.
func waitBackendsGone(pid int, db string, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		busy := false
		for _, child := range childPIDs(pid) {
			b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", child))
			if strings.Contains(string(b), " "+db+" ") {
				busy = true
				break
			}
		}
		if !busy {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
