package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// benchResult is one benchmark result line of `go test -bench` output, in
// the Go benchmark data format (golang.org/design/14313-benchmark-format):
//
//	BenchmarkName-2   	      10	  123456 ns/op	  42.0 rows/s
type benchResult struct {
	Pkg     string   // the "pkg:" configuration line in force, if any
	Name    string   // full name, with sub-benchmarks, without the -GOMAXPROCS suffix
	Procs   int      // the -GOMAXPROCS suffix (0 when absent)
	Iters   int64    // iterations run
	Metrics []metric // value/unit pairs in line order, custom metrics included
}

// metric is one value/unit pair of a result line.
type metric struct {
	Value float64
	Unit  string
}

// benchSkip is a benchmark that skipped or failed, with the message its
// output gave for it.
type benchSkip struct {
	Name   string
	Failed bool // --- FAIL (else --- SKIP)
	Reason string
}

// benchOutput is what one `go test -bench` run printed, parsed.
type benchOutput struct {
	Config  map[string]string // configuration lines (goos, goarch, pkg, cpu…), last value wins
	Results []benchResult
	Skips   []benchSkip
}

// parseBenchLine parses one benchmark result line. ok is false for lines
// that are not result lines (configuration lines, logs, PASS, ok …);
// err is set only for lines that look like result lines but are malformed.
func parseBenchLine(line string) (r benchResult, ok bool, err error) {
	f := strings.Fields(line)
	if len(f) == 0 || !isBenchName(f[0]) {
		return benchResult{}, false, nil
	}
	// A name alone is what `go test` prints before a benchmark whose
	// results follow on a later line (sub-benchmark parents, benchmarks
	// that log): not a result line.
	if len(f) < 4 {
		return benchResult{}, false, nil
	}
	if len(f)%2 != 0 {
		return benchResult{}, false, fmt.Errorf("benchmark line %q: want name, iterations and value/unit pairs, got %d fields", line, len(f))
	}
	r.Name, r.Procs = splitProcs(f[0])
	r.Iters, err = strconv.ParseInt(f[1], 10, 64)
	if err != nil || r.Iters < 0 {
		return benchResult{}, false, fmt.Errorf("benchmark line %q: iterations %q is not a count", line, f[1])
	}
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return benchResult{}, false, fmt.Errorf("benchmark line %q: value %q of %q is not a number", line, f[i], f[i+1])
		}
		r.Metrics = append(r.Metrics, metric{Value: v, Unit: f[i+1]})
	}
	return r, true, nil
}

// isBenchName reports whether s is a benchmark name: "Benchmark" followed
// by the end of the field or a character that is not a lower-case letter
// (the format says an upper-case letter; `go test` also accepts digits and
// underscores after the prefix).
func isBenchName(s string) bool {
	rest, ok := strings.CutPrefix(s, "Benchmark")
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	c, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLower(c)
}

// splitProcs splits the -GOMAXPROCS suffix off a benchmark name.
func splitProcs(name string) (string, int) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name, 0
	}
	n, err := strconv.Atoi(name[i+1:])
	if err != nil || n <= 0 {
		return name, 0
	}
	return name[:i], n
}

// parseConfigLine parses a configuration line, "key: value", where key
// starts with a lower-case letter and holds no space.
func parseConfigLine(line string) (key, value string, ok bool) {
	key, value, ok = strings.Cut(line, ":")
	if !ok || key == "" || strings.ContainsFunc(key, unicode.IsSpace) {
		return "", "", false
	}
	c, _ := utf8.DecodeRuneInString(key)
	if !unicode.IsLower(c) {
		return "", "", false
	}
	if value != "" && value[0] != ' ' && value[0] != '\t' {
		return "", "", false
	}
	return key, strings.TrimSpace(value), true
}

// parseBenchOutput reads the output of `go test -bench` (with -v or not).
// Malformed result lines are errors; everything else that is not a result,
// configuration, SKIP or FAIL line (logs, PASS, ok) is ignored.
func parseBenchOutput(r io.Reader) (benchOutput, error) {
	out := benchOutput{Config: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var last *benchSkip // the SKIP/FAIL whose indented reason lines follow
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if last != nil {
			if trimmed != "" && (line[0] == ' ' || line[0] == '\t') && !strings.HasPrefix(trimmed, "--- ") {
				if last.Reason != "" {
					last.Reason += " "
				}
				last.Reason += stripLogPrefix(trimmed)
				continue
			}
			last = nil
		}
		if name, ok := strings.CutPrefix(trimmed, "--- SKIP: "); ok {
			out.Skips = append(out.Skips, benchSkip{Name: firstField(name)})
			last = &out.Skips[len(out.Skips)-1]
			continue
		}
		if name, ok := strings.CutPrefix(trimmed, "--- FAIL: "); ok {
			out.Skips = append(out.Skips, benchSkip{Name: firstField(name), Failed: true})
			last = &out.Skips[len(out.Skips)-1]
			continue
		}
		res, ok, err := parseBenchLine(line)
		if err != nil {
			return out, fmt.Errorf("line %d: %w", lineNo, err)
		}
		if ok {
			res.Pkg = out.Config["pkg"]
			out.Results = append(out.Results, res)
			continue
		}
		if k, v, ok := parseConfigLine(line); ok {
			out.Config[k] = v
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("read benchmark output: %w", err)
	}
	return out, nil
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

// stripLogPrefix removes the "file_test.go:123: " prefix of a t.Log line.
func stripLogPrefix(s string) string {
	file, rest, ok := strings.Cut(s, ": ")
	if ok && strings.Contains(file, ".go:") && !strings.ContainsAny(file, " \t") {
		return rest
	}
	return s
}
