package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/collect/demo"
	"cloudward/internal/store/postgres"
	"cloudward/internal/store/postgres/pgtest"
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

// BenchmarkDemoRescanPostgres is BenchmarkDemoRescan on PostgreSQL: two
// scans of the same demo estate into one database of a throwaway server
// (pgtest, default durability). It reports pg_database_size after each
// scan and logs the largest relations (table plus its indexes and TOAST)
// after the second, so that the share of each table in the growth shows.
// It skips when PostgreSQL is not installed:
//
//	go test ./internal/cli -run '^$' -bench DemoRescanPostgres -benchtime 1x -demo-size 100000 -v
func BenchmarkDemoRescanPostgres(b *testing.B) {
	pg := pgtest.New(pgtest.Options{Durable: true})
	b.Cleanup(func() {
		if err := pg.Close(); err != nil {
			b.Errorf("stop PostgreSQL: %v", err)
		}
	})
	cat, err := loadCatalog(catalogOptions{defaultConfig: demo.Config})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var sizes [2]int64
	var times [2]time.Duration
	var rels []string
	for b.Loop() {
		dsn := pg.NewDB(b)
		for scan := range 2 {
			st, err := postgres.Open(ctx, dsn, postgres.Options{Logger: log})
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
			times[scan] = time.Since(t0)
			if err := st.Close(); err != nil {
				b.Fatal(err)
			}
			sizes[scan], rels = pgSizes(ctx, b, dsn)
		}
	}
	for _, r := range rels {
		b.Log(r)
	}
	b.ReportMetric(float64(sizes[0])/(1<<20), "db-MiB-after-1")
	b.ReportMetric(float64(sizes[1])/(1<<20), "db-MiB-after-2")
	b.ReportMetric(float64(sizes[1]-sizes[0])/float64(sizes[0])*100, "growth-%")
	b.ReportMetric(times[0].Seconds(), "first-scan-s")
	b.ReportMetric(times[1].Seconds(), "second-scan-s")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
}

// pgSizes returns the database's size and, for each table of the public
// schema holding at least 1 MiB, a line with its total size (heap, indexes
// and TOAST), largest first, then one line per index of at least 1 MiB.
func pgSizes(ctx context.Context, b *testing.B, dsn string) (int64, []string) {
	b.Helper()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var size int64
	if err := conn.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&size); err != nil {
		b.Fatal(err)
	}
	rows, err := conn.Query(ctx, `SELECT c.relname, pg_total_relation_size(c.oid), pg_indexes_size(c.oid)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_total_relation_size(c.oid) >= 1048576
		ORDER BY 2 DESC`)
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var name string
		var total, idx int64
		if err := rows.Scan(&name, &total, &idx); err != nil {
			b.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%-16s %8.1f MiB (indexes %.1f MiB, %.0f%% of the database)",
			name, float64(total)/(1<<20), float64(idx)/(1<<20), float64(total)/float64(size)*100))
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	rows, err = conn.Query(ctx, `SELECT c.relname, pg_relation_size(c.oid)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'i' AND pg_relation_size(c.oid) >= 1048576
		ORDER BY 2 DESC`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			b.Fatal(err)
		}
		out = append(out, fmt.Sprintf("  index %-24s %8.1f MiB", name, float64(n)/(1<<20)))
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return size, out
}
