// Package sqlite is the embedded store: one SQLite file (modernc.org/sqlite,
// pure Go) in WAL mode. Writes go through one read-write connection; readers
// (Resources, Findings, …) and Query use separate read-only connections, so
// they never block a scan and see every flushed batch.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"cloudward/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DefaultBatchSize is how many buffered rows a Writer collects before it
// hands them to its write goroutine. Batches are written on the writer's
// own goroutine, so a big batch does not stall the callers.
const DefaultBatchSize = 20000

// DefaultTxRows is how many rows consecutive batches write in one
// transaction (unless a Flush or Commit ends it sooner): fewer, bigger
// transactions rewrite the index pages they touch fewer times (20,000
// rather than 5,000 rows saved ~12 % of a 100,000-resource scan's CPU
// time), and memory stays bounded by the batch, not the transaction.
const DefaultTxRows = 100000

// timeFormat is fixed-width so that stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// Options configures a Store. The zero value is usable.
type Options struct {
	// Logger receives recovery and migration messages; nil discards them.
	Logger *slog.Logger
	// BatchSize is the number of rows a Writer buffers before writing
	// them; 0 means DefaultBatchSize.
	BatchSize int
	// TxRows is the number of rows written per transaction (batches
	// share one); 0 means DefaultTxRows, and it is never less than
	// BatchSize.
	TxRows int
	// CacheMiB is SQLite's page cache for the write connection, in MiB;
	// 0 means 64.
	CacheMiB int
}

// Store is a store.Store backed by one SQLite file.
type Store struct {
	path   string
	log    *slog.Logger
	batch  int
	txRows int
	host   string

	// writers are the open snapshot writers, stopped by Close.
	writersMu sync.Mutex
	writers   map[*writer]struct{}
	closed    bool

	db  *sql.DB // read-write, one connection: migrations, snapshots, batches
	rdb *sql.DB // read-only pool for the streaming readers
	qdb *sql.DB // read-only pool for Query, with per-query views and an authorizer
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed, with its parent directories) the SQLite
// store at path, applies pending migrations, and fails any running snapshot
// whose writer process is gone, deleting its rows.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("open sqlite store: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("open sqlite store: create directory: %w", err)
	}
	s := &Store{path: abs, log: opts.Logger, batch: opts.BatchSize, writers: map[*writer]struct{}{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.batch <= 0 {
		s.batch = DefaultBatchSize
	}
	s.txRows = opts.TxRows
	if s.txRows <= 0 {
		s.txRows = DefaultTxRows
	}
	s.txRows = max(s.txRows, s.batch)
	cache := opts.CacheMiB
	if cache <= 0 {
		cache = 64
	}
	s.host, _ = os.Hostname()

	slashed := filepath.ToSlash(abs)
	if !strings.HasPrefix(slashed, "/") {
		slashed = "/" + slashed // C:/x → /C:/x, as SQLite wants on Windows
	}
	uri := "file://" + (&url.URL{Path: slashed}).EscapedPath()
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	s.db, err = sql.Open("sqlite", uri+"?"+common+
		"&_pragma=page_size(16384)&_pragma=temp_store(MEMORY)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(4096)&_txlock=immediate"+
		"&_pragma=cache_size(-"+strconv.Itoa(cache*1024)+")")
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", abs, err)
	}
	s.db.SetMaxOpenConns(1)
	s.db.SetConnMaxIdleTime(0)
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if err := s.recover(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	ro := uri + "?mode=ro&" + common + "&_pragma=query_only(1)"
	s.rdb, err = sql.Open("sqlite", ro)
	if err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open sqlite store %s read-only: %w", abs, err)
	}
	s.rdb.SetMaxIdleConns(4)
	s.qdb, err = sql.Open("sqlite", ro)
	if err != nil {
		s.db.Close()
		s.rdb.Close()
		return nil, fmt.Errorf("open sqlite store %s for queries: %w", abs, err)
	}
	s.qdb.SetMaxIdleConns(2)
	return s, nil
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Close closes every connection. Writers still open are stopped, not
// committed: their snapshots are failed when the store is next opened.
func (s *Store) Close() error {
	s.writersMu.Lock()
	s.closed = true
	ws := slices.Collect(maps.Keys(s.writers))
	s.writersMu.Unlock()
	for _, w := range ws {
		w.close()
	}
	return errors.Join(s.qdb.Close(), s.rdb.Close(), s.db.Close())
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s: same version %d", ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

// migrate applies pending migrations in one transaction, in version order.
// A migration is pending when its version is not recorded in
// schema_migrations, so versions need not be contiguous: migrations written
// concurrently on separate branches (0005 and 0006, say) apply in any order
// they arrive, as long as each is independent of the other's tables.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	return s.applyMigrations(ctx, ms)
}

// applyMigrations applies those of ms (sorted by version) not yet recorded.
func (s *Store) applyMigrations(ctx context.Context, ms []migration) error {
	known := make(map[int]bool, len(ms))
	for _, m := range ms {
		known[m.version] = true
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", s.path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate %s: %w", s.path, err)
	}
	applied, err := appliedVersions(ctx, tx)
	if err != nil {
		return fmt.Errorf("migrate %s: read schema version: %w", s.path, err)
	}
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("open sqlite store %s: database schema version %d is newer than this cloudward supports (%d): upgrade cloudward", s.path, v, ms[len(ms)-1].version)
		}
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate %s: apply %s: %w", s.path, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.version, m.name, formatTime(time.Now())); err != nil {
			return fmt.Errorf("migrate %s: record %s: %w", s.path, m.name, err)
		}
		s.log.Info("applied store migration", "path", s.path, "migration", m.name)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: commit: %w", s.path, err)
	}
	return nil
}

// appliedVersions returns the versions recorded in schema_migrations.
func appliedVersions(ctx context.Context, tx *sql.Tx) (map[int]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// recover fails running snapshots whose writer is gone and deletes their rows.
func (s *Store) recover(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, owner_host, owner_pid FROM snapshots WHERE status = 'running'`)
	if err != nil {
		return fmt.Errorf("recover running snapshots: %w", err)
	}
	var stale []int64
	for rows.Next() {
		var id, pid int64
		var host string
		if err := rows.Scan(&id, &host, &pid); err != nil {
			rows.Close()
			return fmt.Errorf("recover running snapshots: %w", err)
		}
		if host == s.host && pid > 0 && processAlive(int(pid)) {
			continue // another process on this machine is still writing it
		}
		stale = append(stale, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("recover running snapshots: %w", err)
	}
	for _, id := range stale {
		if err := s.fail(ctx, id); err != nil {
			return fmt.Errorf("recover running snapshot %d: %w", id, err)
		}
		s.log.Warn("failed snapshot left running by a crashed scan", "snapshot", id)
	}
	return nil
}

// fail marks a snapshot failed and deletes its rows, in one transaction.
func (s *Store) fail(ctx context.Context, id int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{
		// Documents this snapshot introduced and no other snapshot uses.
		// Only a snapshot running after this one began can have found
		// one of them already stored (see migrations/0007_resource_docs.sql).
		`DELETE FROM resource_docs WHERE first_snapshot = ?1 AND hash NOT IN (
			SELECT r.doc_hash FROM snap_resources r WHERE r.doc_hash IS NOT NULL AND r.snapshot_id IN (
				SELECT o.id FROM snapshots o WHERE o.id <> ?1 AND (o.finished_at IS NULL
					OR o.finished_at >= (SELECT started_at FROM snapshots WHERE id = ?1))))`,
		`DELETE FROM snap_findings WHERE snapshot_id = ?`,
		`DELETE FROM snap_passes WHERE snapshot_id = ?`,
		`DELETE FROM snap_edges WHERE snapshot_id = ?`,
		`DELETE FROM snap_errors WHERE snapshot_id = ?`,
		`DELETE FROM snap_resources WHERE snapshot_id = ?`,
		`UPDATE snapshots SET status = 'failed', resources = 0, edges = 0, errors = 0, findings = 0 WHERE id = ? AND status <> 'complete'`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeFormat, s) }

const snapshotColumns = `id, scope, started_at, finished_at, status, resources, edges, errors, findings`

func scanSnapshot(sc interface{ Scan(...any) error }) (store.Snapshot, error) {
	var sn store.Snapshot
	var started string
	var finished sql.NullString
	var status string
	if err := sc.Scan(&sn.ID, &sn.Scope, &started, &finished, &status, &sn.Resources, &sn.Edges, &sn.Errors, &sn.Findings); err != nil {
		return sn, err
	}
	sn.Status = store.Status(status)
	var err error
	if sn.StartedAt, err = parseTime(started); err != nil {
		return sn, fmt.Errorf("snapshot %d: started_at: %w", sn.ID, err)
	}
	if finished.Valid {
		if sn.FinishedAt, err = parseTime(finished.String); err != nil {
			return sn, fmt.Errorf("snapshot %d: finished_at: %w", sn.ID, err)
		}
	}
	return sn, nil
}

// Snapshots lists complete snapshots, newest first.
func (s *Store) Snapshots(ctx context.Context) ([]store.Snapshot, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots
		WHERE status = 'complete' ORDER BY started_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	defer rows.Close()
	var out []store.Snapshot
	for rows.Next() {
		sn, err := scanSnapshot(rows)
		if err != nil {
			return nil, fmt.Errorf("list snapshots: %w", err)
		}
		out = append(out, sn)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return out, nil
}

// Snapshot returns one snapshot by ID, in any state.
func (s *Store) Snapshot(ctx context.Context, id int64) (store.Snapshot, error) {
	sn, err := scanSnapshot(s.rdb.QueryRowContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Snapshot{}, fmt.Errorf("snapshot %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Snapshot{}, fmt.Errorf("get snapshot %d: %w", id, err)
	}
	return sn, nil
}

// Latest returns the newest complete snapshot, or store.ErrNotFound.
func (s *Store) Latest(ctx context.Context) (store.Snapshot, error) {
	sn, err := scanSnapshot(s.rdb.QueryRowContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots
		WHERE status = 'complete' ORDER BY started_at DESC, id DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Snapshot{}, fmt.Errorf("latest snapshot: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Snapshot{}, fmt.Errorf("latest snapshot: %w", err)
	}
	return sn, nil
}

// exists returns store.ErrNotFound (wrapped) when the snapshot does not exist.
func (s *Store) exists(ctx context.Context, id int64) error {
	var one int
	err := s.rdb.QueryRowContext(ctx, `SELECT 1 FROM snapshots WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("snapshot %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("snapshot %d: %w", id, err)
	}
	return nil
}

// inList appends " AND col IN (?, ?, …)" for vals to q and args.
func inList(q *strings.Builder, args []any, col string, vals []string) []any {
	if len(vals) == 0 {
		return args
	}
	q.WriteString(" AND " + col + " IN (")
	for i, v := range vals {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("?")
		args = append(args, v)
	}
	q.WriteString(")")
	return args
}
