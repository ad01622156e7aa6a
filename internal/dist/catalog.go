package dist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/internal/config"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
)

// catalogFormat versions the catalog document; a worker refuses a format
// it does not know.
const catalogFormat = 1

// catalogRetention is how long a catalog no scan has used stays stored.
const catalogRetention = "30 days"

// catalogTable keeps evaluation catalogs by the SHA-256 of their document.
// It belongs to this package, not to the store's migrations: only
// distributed evaluation reads it. Migrate creates it.
const catalogTable = `CREATE TABLE IF NOT EXISTS cloudward_eval_catalogs (
	hash text PRIMARY KEY,
	doc bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	used_at timestamptz NOT NULL DEFAULT now()
)`

// catalogDoc is what defines a scan's evaluation besides its clock: the
// files of every check source it loaded (built-in and --checks
// directories), and the company rules and mutes of its cloudward.yaml (and
// --mutes file). Schedules are left out: they do not change a verdict.
// Nothing in it is a secret: check sources and rules only.
type catalogDoc struct {
	Format  int             `json:"format"`
	Sources []catalogSource `json:"sources"`
	Org     config.Org      `json:"org"`
	Mutes   []config.Mute   `json:"mutes"`
	// Checks are the IDs the scan compiled, in order: a worker whose
	// compilation differs (another cloudward version) refuses the job.
	Checks []string `json:"checks"`
}

// catalogSource is one policy.Source with its check files.
type catalogSource struct {
	Name    string        `json:"name"`
	Root    string        `json:"root"`
	Trusted bool          `json:"trusted"`
	Files   []catalogFile `json:"files"`
}

// catalogFile is one check file: its path inside the source's tree and
// its bytes.
type catalogFile struct {
	Path string `json:"path"`
	Data []byte `json:"data"`
}

// Catalog is a scan's evaluation catalog as one document, ready to store
// and send to the workers by its hash.
type Catalog struct {
	hash string
	doc  []byte
}

// NewCatalog builds the catalog document of a scan: the check files of
// srcs (read again from their file systems, as Env.LoadChecks reads them),
// the company rules and mutes, and the IDs of checks, the catalog the
// scan compiled from them.
func NewCatalog(srcs []policy.Source, org config.Org, mutes []config.Mute, checks []*policy.Check) (*Catalog, error) {
	d := catalogDoc{Format: catalogFormat, Org: org, Mutes: mutes}
	for _, src := range srcs {
		root := src.Root
		if root == "" {
			root = "."
		}
		cs := catalogSource{Name: src.Name, Root: root, Trusted: src.Trusted}
		err := fs.WalkDir(src.FS, root, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				return nil
			}
			data, err := fs.ReadFile(src.FS, p)
			if err != nil {
				return err
			}
			cs.Files = append(cs.Files, catalogFile{Path: p, Data: data})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("evaluation catalog: read checks in %s: %w", path.Join(src.Name, root), err)
		}
		d.Sources = append(d.Sources, cs)
	}
	for _, c := range checks {
		d.Checks = append(d.Checks, c.ID)
	}
	doc, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("evaluation catalog: encode: %w", err)
	}
	sum := sha256.Sum256(doc)
	return &Catalog{hash: hex.EncodeToString(sum[:]), doc: doc}, nil
}

// Hash returns the hex SHA-256 of the document, the catalog's key.
func (c *Catalog) Hash() string { return c.hash }

// Size returns the document's length in bytes.
func (c *Catalog) Size() int { return len(c.doc) }

// putCatalog stores c unless it is stored already (then it marks it used),
// and deletes the catalogs no scan has used for catalogRetention.
func putCatalog(ctx context.Context, pool *pgxpool.Pool, c *Catalog) error {
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO cloudward_eval_catalogs (hash, doc) VALUES ($1, $2)
			ON CONFLICT (hash) DO UPDATE SET used_at = now()`, c.hash, c.doc); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM cloudward_eval_catalogs
			WHERE used_at < now() - $1::interval AND hash <> $2`, catalogRetention, c.hash)
		return err
	})
	if err != nil {
		return fmt.Errorf("store evaluation catalog %.12s: %w", c.hash, err)
	}
	return nil
}

// compiled is a catalog compiled by a worker.
type compiled struct {
	checks []*policy.Check
	byID   map[string]*policy.Check
	// single are the checks that read only the resource itself.
	single []*policy.Check
	org    config.Org
	mutes  []config.Mute
}

// compileCatalog decodes a catalog document and compiles it with the same
// loader a scan uses (Env.LoadChecks over the same files, Env.OrgChecks,
// Combine, ValidateMutes), so that a worker's verdicts are the scan's,
// whatever checks the worker's own binary has built in.
func compileCatalog(env *policy.Env, doc []byte) (*compiled, error) {
	var d catalogDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if d.Format != catalogFormat {
		return nil, fmt.Errorf("format %d, this worker reads format %d: run the same cloudward version as the scan", d.Format, catalogFormat)
	}
	var srcs []policy.Source
	for _, s := range d.Sources {
		files := fstest.MapFS{}
		for _, f := range s.Files {
			files[f.Path] = &fstest.MapFile{Data: f.Data, Mode: 0o444}
		}
		srcs = append(srcs, policy.Source{FS: files, Root: s.Root, Name: s.Name, Trusted: s.Trusted})
	}
	loaded, err := env.LoadChecks(srcs...)
	if err != nil {
		return nil, fmt.Errorf("load checks:\n%w", err)
	}
	org, err := env.OrgChecks(d.Org)
	if err != nil {
		return nil, fmt.Errorf("company rules: %w", err)
	}
	all, err := policy.Combine(loaded, org)
	if err != nil {
		return nil, err
	}
	if err := policy.ValidateMutes(all, d.Mutes); err != nil {
		return nil, err
	}
	ids := make([]string, len(all))
	for i, c := range all {
		ids[i] = c.ID
	}
	if !slices.Equal(ids, d.Checks) {
		return nil, fmt.Errorf("this worker compiles %d checks where the scan compiled %d: run the same cloudward version as the scan", len(ids), len(d.Checks))
	}
	c := &compiled{checks: all, byID: make(map[string]*policy.Check, len(all)), org: d.Org, mutes: d.Mutes}
	for _, ch := range all {
		c.byID[ch.ID] = ch
		if len(ch.IndexKinds()) == 0 {
			c.single = append(c.single, ch)
		}
	}
	return c, nil
}

// maxCatalogs is how many compiled catalogs a worker keeps.
const maxCatalogs = 4

// catalogCache compiles each catalog a worker is asked for once, however
// many of its jobs run at once, and keeps the last few.
type catalogCache struct {
	pool *pgxpool.Pool
	reg  *resource.Registry

	mu      sync.Mutex
	env     *policy.Env
	entries map[string]*catalogEntry
	tick    int64
}

type catalogEntry struct {
	ready chan struct{} // closed once cat or err is set
	cat   *compiled
	err   error
	used  int64
}

func newCatalogCache(pool *pgxpool.Pool, reg *resource.Registry) *catalogCache {
	return &catalogCache{pool: pool, reg: reg, entries: map[string]*catalogEntry{}}
}

// get returns the compiled catalog with the given hash, loading and
// compiling it on first use. A failure is not kept: the next job tries
// again.
func (c *catalogCache) get(ctx context.Context, hash string) (*compiled, error) {
	c.mu.Lock()
	c.tick++
	e, ok := c.entries[hash]
	if ok {
		e.used = c.tick
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			return nil, e.err
		}
		return e.cat, nil
	}
	e = &catalogEntry{ready: make(chan struct{}), used: c.tick}
	c.entries[hash] = e
	c.evictLocked()
	c.mu.Unlock()

	e.cat, e.err = c.load(ctx, hash)
	close(e.ready)
	if e.err != nil {
		c.mu.Lock()
		if c.entries[hash] == e {
			delete(c.entries, hash)
		}
		c.mu.Unlock()
		return nil, e.err
	}
	return e.cat, nil
}

// evictLocked drops the least recently used compiled catalogs beyond
// maxCatalogs.
func (c *catalogCache) evictLocked() {
	for len(c.entries) > maxCatalogs {
		var oldest string
		var at int64
		for h, e := range c.entries {
			select {
			case <-e.ready:
			default:
				continue // still compiling
			}
			if oldest == "" || e.used < at {
				oldest, at = h, e.used
			}
		}
		if oldest == "" {
			return
		}
		delete(c.entries, oldest)
	}
}

func (c *catalogCache) load(ctx context.Context, hash string) (*compiled, error) {
	var doc []byte
	err := c.pool.QueryRow(ctx, `SELECT doc FROM cloudward_eval_catalogs WHERE hash = $1`, hash).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("evaluation catalog %.12s: not in the database", hash)
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation catalog %.12s: read: %w", hash, err)
	}
	if sum := sha256.Sum256(doc); hex.EncodeToString(sum[:]) != hash {
		return nil, fmt.Errorf("evaluation catalog %.12s: stored document does not match its hash", hash)
	}
	c.mu.Lock()
	env := c.env
	c.mu.Unlock()
	if env == nil {
		if env, err = policy.NewEnv(c.reg); err != nil {
			return nil, fmt.Errorf("evaluation catalog %.12s: check environment: %w", hash, err)
		}
		c.mu.Lock()
		if c.env == nil {
			c.env = env
		}
		env = c.env
		c.mu.Unlock()
	}
	cat, err := compileCatalog(env, doc)
	if err != nil {
		return nil, fmt.Errorf("evaluation catalog %.12s: %w", hash, err)
	}
	return cat, nil
}

// engine returns an engine over the checks a shard names (all the
// single-resource checks when it names none) at the scan's clock.
func (c *compiled) engine(shard Shard, opts policy.EngineOptions) (*policy.Engine, error) {
	checks := c.single
	if len(shard.Checks) > 0 {
		checks = make([]*policy.Check, 0, len(shard.Checks))
		for _, id := range shard.Checks {
			ch, ok := c.byID[id]
			if !ok {
				return nil, fmt.Errorf("shard %d: check %s is not in the catalog", shard.ID, id)
			}
			checks = append(checks, ch)
		}
	}
	opts.Org, opts.Mutes = c.org, c.mutes
	eng, err := policy.NewEngine(checks, opts)
	if err != nil {
		return nil, fmt.Errorf("shard %d: %w", shard.ID, err)
	}
	return eng, nil
}
