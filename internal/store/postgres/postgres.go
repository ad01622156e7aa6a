// Package postgres is the shared store: PostgreSQL through pgx, for teams
// and for scans too large for one machine. It implements store.Store with
// the same semantics as the sqlite package: snapshots are written in
// batches (COPY into the snapshot tables) and become visible only once
// committed, a snapshot left running by a crashed writer is failed by the
// next Open, and Query runs one read-only statement over per-snapshot views.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DefaultBatchSize is how many buffered rows a Writer collects before it
// writes them in one transaction.
const DefaultBatchSize = 10000

// DefaultQueryTimeout bounds one Query statement when Options.QueryTimeout
// is zero.
const DefaultQueryTimeout = 5 * time.Minute

// Advisory lock classes (the first key of pg_advisory_lock(int, int)).
// "cw" in ASCII, plus one per use; 0x6377_0003 and 0x6377_0004 are
// internal/dist's.
const (
	lockMigrate  = 0x6377_0001 // second key 0: schema migrations
	lockSnapshot = 0x6377_0002 // second key: snapshot ID, held by its writer
	// lockDocs (second key 0) guards resource_docs: shared by every
	// transaction that writes resources, exclusive while a failed
	// snapshot's documents are deleted.
	lockDocs = 0x6377_0005
)

// Options configures a Store. The zero value is usable.
type Options struct {
	// Logger receives recovery and migration messages; nil discards them.
	Logger *slog.Logger
	// BatchSize is the number of rows per write transaction; 0 means
	// DefaultBatchSize.
	BatchSize int
	// MaxConns caps the connection pool used by readers and Query; 0 means
	// pgxpool's default (the larger of 4 and the number of CPUs). Each
	// open Writer holds one more connection of its own.
	MaxConns int32
	// QueryTimeout is Query's statement_timeout; 0 means
	// DefaultQueryTimeout.
	QueryTimeout time.Duration
}

// Store is a store.Store backed by a PostgreSQL database.
type Store struct {
	log          *slog.Logger
	batch        int
	host         string
	queryTimeout time.Duration
	display      string // the DSN without its password, for messages

	pool *pgxpool.Pool // migrations, readers and snapshot bookkeeping
	// qpool serves Query. It is separate so that a statement that takes a
	// session-level resource cannot affect the store's own connections.
	qpool *pgxpool.Pool
	// wcfg opens the one connection each Writer holds for its lifetime.
	wcfg *pgx.ConnConfig
}

var _ store.Store = (*Store)(nil)

// IsDSN reports whether s names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a file.
func IsDSN(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Open connects to the database dsn names (a postgres:// URL or a libpq
// key=value string), applies pending migrations under an advisory lock so
// that concurrent processes migrate once, and fails every running snapshot
// whose writer's session is gone, deleting its rows.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the DSN, password included.
		return nil, errors.New("open postgres store: cannot parse the connection string")
	}
	s := &Store{log: opts.Logger, batch: opts.BatchSize, queryTimeout: opts.QueryTimeout}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.batch <= 0 {
		s.batch = DefaultBatchSize
	}
	if s.queryTimeout <= 0 {
		s.queryTimeout = DefaultQueryTimeout
	}
	s.host, _ = os.Hostname()
	s.display = describe(cfg.ConnConfig)
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	s.wcfg = cfg.ConnConfig.Copy()

	qcfg := cfg.Copy()
	// Query statements are the user's: run each as an unnamed prepared
	// statement (one statement only, enforced by the server) and never
	// cache them.
	qcfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	qcfg.MaxConns = 2
	if opts.MaxConns > 0 && opts.MaxConns < qcfg.MaxConns {
		qcfg.MaxConns = opts.MaxConns
	}

	s.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres store %s: %w", s.display, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.pool.Close()
		return nil, err
	}
	if err := s.recover(ctx); err != nil {
		s.pool.Close()
		return nil, err
	}
	s.qpool, err = pgxpool.NewWithConfig(ctx, qcfg)
	if err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("open postgres store %s for queries: %w", s.display, err)
	}
	return s, nil
}

// describe returns user@host:port/database, without the password.
func describe(c *pgx.ConnConfig) string {
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Close closes the connection pools. Writers still open are not committed;
// their snapshots are failed by the next Open.
func (s *Store) Close() error {
	s.qpool.Close()
	s.pool.Close()
	return nil
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
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies pending migrations in one transaction that holds a
// transaction-level advisory lock, so that processes opening the store at
// the same time apply each migration once and wait for each other.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockMigrate); err != nil {
			return fmt.Errorf("migrate %s: lock: %w", s.display, err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
			return fmt.Errorf("migrate %s: %w", s.display, err)
		}
		var current int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
			return fmt.Errorf("migrate %s: read schema version: %w", s.display, err)
		}
		if current > len(ms) {
			return fmt.Errorf("open postgres store %s: database schema version %d is newer than this cloudward supports (%d): upgrade cloudward", s.display, current, len(ms))
		}
		for _, m := range ms[current:] {
			if _, err := tx.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
				return fmt.Errorf("migrate %s: apply %s: %w", s.display, m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())`,
				m.version, m.name); err != nil {
				return fmt.Errorf("migrate %s: record %s: %w", s.display, m.name, err)
			}
			s.log.Info("applied store migration", "db", s.display, "migration", m.name)
		}
		return nil
	})
}

// recover fails running snapshots whose writer is gone and deletes their
// rows. A writer holds a session-level advisory lock on its snapshot for
// as long as it lives, and the server drops it when the writer's
// connection ends, so a lock this process can take marks a dead writer
// wherever it ran.
func (s *Store) recover(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT id FROM snapshots WHERE status = 'running'`)
	if err != nil {
		return fmt.Errorf("recover running snapshots: %w", err)
	}
	running, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("recover running snapshots: %w", err)
	}
	for _, id := range running {
		failed, err := s.failIfAbandoned(ctx, id)
		if err != nil {
			return fmt.Errorf("recover running snapshot %d: %w", id, err)
		}
		if failed {
			s.log.Warn("failed snapshot left running by a crashed scan", "snapshot", id)
		}
	}
	return nil
}

// failIfAbandoned fails snapshot id if no session holds its writer lock.
func (s *Store) failIfAbandoned(ctx context.Context, id int64) (bool, error) {
	var failed bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var free bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1, $2)`, lockSnapshot, lockKey(id)).Scan(&free); err != nil {
			return err
		}
		if !free {
			return nil // its writer is alive
		}
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM snapshots WHERE id = $1 FOR UPDATE`, id).Scan(&status); err != nil {
			return err
		}
		if status != string(store.Running) {
			return nil // committed or rolled back meanwhile
		}
		failed = true
		return failTx(ctx, tx, id)
	})
	return failed, err
}

// lockKey folds a snapshot ID into the int4 second key of an advisory lock.
func lockKey(id int64) int32 { return int32(id) }

// deleteOwnDocs deletes the documents snapshot $1 stored first that no
// snapshot which can have found them references: another running one, or
// a complete one that committed after this one began (see
// migrations/0005_resource_docs.sql).
const deleteOwnDocs = `DELETE FROM resource_docs d WHERE d.first_snapshot = $1 AND NOT EXISTS (
	SELECT 1 FROM snap_resources r
	WHERE r.doc_hash = d.hash AND r.snapshot_id IN (
		SELECT o.id FROM snapshots o, snapshots b
		WHERE b.id = $1 AND o.id <> $1
			AND (o.status = 'running' OR (o.status = 'complete' AND o.end_seq > b.begin_seq))))`

// noNestedLoops is how failTx plans deleteOwnDocs.
const noNestedLoops = `SET LOCAL enable_nestloop = off`

// failTx marks a snapshot failed and deletes its rows and the property
// documents only it introduced. It locks the snapshot's row first (so that
// jobs writing into it through JobRows finish, and later ones find it
// failed) and then takes the document lock exclusively, the order every
// writer keeps.
func failTx(ctx context.Context, tx pgx.Tx, id int64) error {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM snapshots WHERE id = $1 FOR UPDATE`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockDocs); err != nil {
		return err
	}
	// The tables a failing snapshot just filled have no statistics yet: the
	// planner then takes them for empty and probes every other snapshot's
	// resources once per document of this one (a nested loop: 13 minutes
	// and counting for 100,000 documents). Hash or merge the anti-join.
	if _, err := tx.Exec(ctx, noNestedLoops); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, deleteOwnDocs, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `RESET enable_nestloop`); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM finding_seen WHERE snapshot_id = $1`,
		`DELETE FROM snap_findings WHERE snapshot_id = $1`,
		`DELETE FROM snap_passes WHERE snapshot_id = $1`,
		`DELETE FROM snap_edges WHERE snapshot_id = $1`,
		`DELETE FROM snap_errors WHERE snapshot_id = $1`,
		`DELETE FROM snap_resources WHERE snapshot_id = $1`,
		`UPDATE snapshots SET status = 'failed', resources = 0, edges = 0, errors = 0, findings = 0
			WHERE id = $1 AND status <> 'complete'`,
	} {
		if _, err := tx.Exec(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a transaction on a pooled connection.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

const snapshotColumns = `id, scope, started_at, finished_at, status, resources, edges, errors, findings`

func scanSnapshot(row pgx.Row) (store.Snapshot, error) {
	var sn store.Snapshot
	var finished *time.Time
	var status string
	if err := row.Scan(&sn.ID, &sn.Scope, &sn.StartedAt, &finished, &status, &sn.Resources, &sn.Edges, &sn.Errors, &sn.Findings); err != nil {
		return sn, err
	}
	sn.StartedAt = sn.StartedAt.UTC()
	if finished != nil {
		sn.FinishedAt = finished.UTC()
	}
	sn.Status = store.Status(status)
	return sn, nil
}

// Snapshots lists complete snapshots, newest first.
func (s *Store) Snapshots(ctx context.Context) ([]store.Snapshot, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+snapshotColumns+` FROM snapshots
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
	sn, err := scanSnapshot(s.pool.QueryRow(ctx, `SELECT `+snapshotColumns+` FROM snapshots WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Snapshot{}, fmt.Errorf("snapshot %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Snapshot{}, fmt.Errorf("get snapshot %d: %w", id, err)
	}
	return sn, nil
}

// Latest returns the newest complete snapshot, or store.ErrNotFound.
func (s *Store) Latest(ctx context.Context) (store.Snapshot, error) {
	sn, err := scanSnapshot(s.pool.QueryRow(ctx, `SELECT `+snapshotColumns+` FROM snapshots
		WHERE status = 'complete' ORDER BY started_at DESC, id DESC LIMIT 1`))
	if errors.Is(err, pgx.ErrNoRows) {
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
	err := s.pool.QueryRow(ctx, `SELECT 1 FROM snapshots WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("snapshot %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("snapshot %d: %w", id, err)
	}
	return nil
}
