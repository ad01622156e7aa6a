package cli

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// DefaultMemoryLimit is scan's soft limit on the Go heap when neither
// --memory-limit nor GOMEMLIMIT is given. Without a limit the heap grows
// to twice what is live before the garbage collector runs; a
// 1,000,000-resource scan holds ~400 MiB live (the cross-resource index,
// the write queue) and peaked at 1.15 GiB of RSS. With 640 MiB the
// collector runs earlier instead, for about the same CPU (docs/performance.md).
// It is a soft limit: a scan that needs more live memory gets it, at the
// cost of more frequent collections.
const DefaultMemoryLimit = 640 << 20

// parseByteSize parses a size such as 640MiB, 1.5GiB, 512MB or 1048576
// (bytes). Zero means no limit.
func parseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
	}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n < 0 || n*float64(mult) >= 1<<62 || strings.ContainsAny(t, "eEnNiI") {
		return 0, fmt.Errorf("want a size such as 640MiB, 1.5GiB, 2GiB or 0, got %q", s)
	}
	return int64(n * float64(mult)), nil
}

// applyMemoryLimit sets the Go heap's soft limit for a scan: flag when it
// was given, else nothing when GOMEMLIMIT is set (the runtime applied it),
// else DefaultMemoryLimit. "0" removes any limit.
func applyMemoryLimit(flag string, changed bool, getenv func(string) string) error {
	limit := int64(DefaultMemoryLimit)
	switch {
	case changed:
		n, err := parseByteSize(flag)
		if err != nil {
			return usagef("--memory-limit: %v", err)
		}
		limit = n
	case getenv("GOMEMLIMIT") != "":
		return nil
	}
	if limit == 0 {
		limit = 1<<63 - 1 // math.MaxInt64: no limit
	}
	debug.SetMemoryLimit(limit)
	return nil
}
