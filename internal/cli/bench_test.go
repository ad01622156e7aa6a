package cli

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cloudward/internal/collect/demo"
	"cloudward/internal/store/sqlite"
)

var benchSize = flag.Int("demo-size", 100_000, "resources in the end-to-end demo scan benchmark")

// BenchmarkDemoScan measures the whole pipeline (collect → store → evaluate
// → store findings → commit) on the demo estate, without rendering a
// report. Run with -benchtime=1x for big sizes:
//
//	go test ./internal/cli -run '^$' -bench DemoScan -benchtime 1x -demo-size 1000000
func BenchmarkDemoScan(b *testing.B) {
	cat, err := loadCatalog(catalogOptions{defaultConfig: demo.Config})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var res pipelineResult
	for i := 0; b.Loop(); i++ {
		path := filepath.Join(b.TempDir(), "bench"+strconv.Itoa(i)+".db")
		st, err := sqlite.Open(ctx, path, sqlite.Options{Logger: log})
		if err != nil {
			b.Fatal(err)
		}
		res, err = pipeline(ctx, pipelineInput{
			store: st, collector: demo.New(demo.Options{Seed: 1, Size: *benchSize}),
			catalog: cat, scope: "bench", now: time.Now(), log: log,
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(res.snapshot.Resources)
	b.ReportMetric(n, "resources")
	b.ReportMetric(float64(res.stats.Evaluations), "evaluations")
	b.ReportMetric(res.timings.collect.Seconds(), "collect-s")
	b.ReportMetric(res.timings.deferred.Seconds(), "deferred-s")
	b.ReportMetric(res.timings.commit.Seconds(), "commit-s")
	b.ReportMetric(n/b.Elapsed().Seconds()*float64(b.N), "resources/s")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
}

// peakRSS returns the process's peak resident set size in bytes (Linux).
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
