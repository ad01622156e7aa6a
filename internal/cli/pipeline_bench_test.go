package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"cloudward/internal/collect/demo"
	"cloudward/internal/store/sqlite"
)

// BenchmarkDemoRescan measures storage growth: it scans the same demo
// estate twice into one SQLite database, as a daily scan of an unchanged
// estate does, and reports the database size after each scan (file size
// once the store is closed and its WAL checkpointed) and the second scan's
// time. Run with -benchtime=1x:
//
//	go test ./internal/cli -run '^$' -bench DemoRescan -benchtime 1x -demo-size 100000
func BenchmarkDemoRescan(b *testing.B) {
	cat, err := loadCatalog(catalogOptions{defaultConfig: demo.Config})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var sizes [2]int64
	var second time.Duration
	for i := 0; b.Loop(); i++ {
		path := filepath.Join(b.TempDir(), "rescan"+strconv.Itoa(i)+".db")
		for scan := range 2 {
			st, err := sqlite.Open(ctx, path, sqlite.Options{Logger: log})
			if err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			_, err = pipeline(ctx, pipelineInput{
				store: st, collector: demo.New(demo.Options{Seed: 1, Size: *benchSize}),
				catalog: cat, scope: "bench", now: time.Now(), log: log,
			})
			if err != nil {
				b.Fatal(err)
			}
			if scan == 1 {
				second = time.Since(t0)
			}
			if err := st.Close(); err != nil {
				b.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			sizes[scan] = fi.Size()
		}
	}
	b.ReportMetric(float64(sizes[0])/(1<<20), "db-MiB-after-1")
	b.ReportMetric(float64(sizes[1])/(1<<20), "db-MiB-after-2")
	b.ReportMetric(float64(sizes[1]-sizes[0])/float64(sizes[0])*100, "growth-%")
	b.ReportMetric(second.Seconds(), "second-scan-s")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
}
