package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// logField is one key=value pair of a log/slog text line.
type logField struct {
	Key, Value string
}

// parseLogLine splits a log/slog TextHandler line into its fields, in line
// order. Keys and values are bare words, or Go-quoted strings when they hold
// spaces, quotes, '=' or control characters (as slog writes them).
func parseLogLine(line string) ([]logField, error) {
	var fields []logField
	s := line
	for {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			return fields, nil
		}
		key, rest, err := logToken(s, true)
		if err != nil {
			return nil, fmt.Errorf("log line %q: key: %w", line, err)
		}
		if !strings.HasPrefix(rest, "=") {
			return nil, fmt.Errorf("log line %q: key %q has no '='", line, key)
		}
		val, rest, err := logToken(rest[1:], false)
		if err != nil {
			return nil, fmt.Errorf("log line %q: value of %s: %w", line, key, err)
		}
		fields = append(fields, logField{Key: key, Value: val})
		s = rest
	}
}

// logToken reads one bare or quoted token from the start of s. A bare key
// ends at '=' or a space; a bare value ends at a space.
func logToken(s string, isKey bool) (tok, rest string, err error) {
	if strings.HasPrefix(s, `"`) {
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				tok, err := strconv.Unquote(s[:i+1])
				if err != nil {
					return "", "", fmt.Errorf("bad quoted string %s", s[:i+1])
				}
				return tok, s[i+1:], nil
			}
		}
		return "", "", fmt.Errorf("unterminated quoted string")
	}
	end := strings.IndexAny(s, " =")
	if !isKey {
		end = strings.IndexByte(s, ' ')
	}
	if end < 0 {
		end = len(s)
	}
	if isKey && end == 0 {
		return "", "", fmt.Errorf("empty key")
	}
	return s[:end], s[end:], nil
}

// scanSummary is what the -v log's "scan done" line says about a scan.
type scanSummary struct {
	Snapshot  int64
	Resources int64
	Findings  int64
	// Phases are the fields whose values are durations, in line order
	// (collect_and_evaluate, cross_resource_checks, commit today).
	Phases []phase
}

// phase is one timed step of a scan.
type phase struct {
	Name string
	D    time.Duration
}

// findScanDone reads a `cloudward scan -v` log and returns its last
// "scan done" line, parsed. found is false when there is none (the scan
// failed, or the log is not a text log).
func findScanDone(r io.Reader) (sum scanSummary, found bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var last string
	for sc.Scan() {
		if strings.Contains(sc.Text(), `msg="scan done"`) {
			last = sc.Text()
		}
	}
	if err := sc.Err(); err != nil {
		return sum, false, fmt.Errorf("read scan log: %w", err)
	}
	if last == "" {
		return sum, false, nil
	}
	fields, err := parseLogLine(last)
	if err != nil {
		return sum, false, err
	}
	for _, f := range fields {
		switch f.Key {
		case "time", "level", "msg":
			continue
		case "snapshot", "resources", "findings":
			n, err := strconv.ParseInt(f.Value, 10, 64)
			if err != nil {
				return sum, false, fmt.Errorf("scan done line: %s=%q is not a count", f.Key, f.Value)
			}
			switch f.Key {
			case "snapshot":
				sum.Snapshot = n
			case "resources":
				sum.Resources = n
			default:
				sum.Findings = n
			}
			continue
		}
		// Any other field that reads as a duration (slog writes them as
		// "1.5s"; a bare integer is a count) is a phase, so phases the
		// pipeline adds later show up without a change here.
		if _, err := strconv.ParseInt(f.Value, 10, 64); err == nil {
			continue
		}
		if d, err := time.ParseDuration(f.Value); err == nil {
			sum.Phases = append(sum.Phases, phase{Name: f.Key, D: d})
		}
	}
	return sum, true, nil
}
