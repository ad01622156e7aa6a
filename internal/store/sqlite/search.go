package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

var _ store.Searcher = (*Store)(nil)

// keepSearchIndexes is how many snapshot search indexes are kept: building
// one drops the oldest-built beyond this number (an index of a 1,000,000
// resource snapshot takes a few hundred MB; see docs/server.md).
const keepSearchIndexes = 4

// minTrigram is the shortest text the trigram index can look up; shorter
// search text is matched by reading the index's resource table.
const minTrigram = 3

// searchTable names a per-snapshot table of the database (kept counts).
func searchTable(prefix string, snapshot int64) string {
	return prefix + strconv.FormatInt(snapshot, 10)
}

// The search index of snapshot N lives in a file of its own next to the
// database, <db>.search-N, with tables r (the resources without properties,
// inserted in UID order so that rowid order is UID order, with indexes on
// uid, kind, provider, account and region: each also ordered by rowid, so
// a keyset page of a filter reads only the rows it returns), t (an FTS5
// trigram index of the lower-cased name and UID, contentless, rowid = r's)
// and g (tags: key, value, rowid). It is built in a temporary file through
// a connection of its own that reads the database attached read-only, then
// renamed into place and listed in search_indexes (migration 0005) in a
// short transaction: the store's single write connection is never held
// while an index is built, so scans, logins and mutes go on meanwhile.

// searchPath is the path of snapshot's search index file.
func (s *Store) searchPath(snapshot int64) string {
	return s.path + ".search-" + strconv.FormatInt(snapshot, 10)
}

// fileURI is the SQLite URI of the file at abs with query parameters.
func fileURI(abs, query string) string {
	slashed := filepath.ToSlash(abs)
	if !strings.HasPrefix(slashed, "/") {
		slashed = "/" + slashed
	}
	return "file://" + (&url.URL{Path: slashed}).EscapedPath() + "?" + query
}

// searchIndexed reports whether snapshot has a complete search index.
func (s *Store) searchIndexed(ctx context.Context, snapshot int64) (bool, error) {
	var one int
	err := s.rdb.QueryRowContext(ctx, `SELECT 1 FROM search_indexes WHERE snapshot_id = ?`, snapshot).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("snapshot %d search index: %w", snapshot, err)
	}
	if _, err := os.Stat(s.searchPath(snapshot)); err != nil {
		return false, nil // listed by an older cloudward, or removed by hand
	}
	return true, nil
}

// openSearch opens snapshot's search index file read-only.
func (s *Store) openSearch(snapshot int64) (*sql.DB, error) {
	db, err := sql.Open("sqlite", fileURI(s.searchPath(snapshot), "mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(10000)"))
	if err != nil {
		return nil, fmt.Errorf("open search index of snapshot %d: %w", snapshot, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// IndexSnapshot builds the search index of a complete snapshot (see above)
// unless it exists, then drops the indexes of snapshots that are no longer
// complete and those beyond the newest few built, and the kept counts of
// snapshots that are no longer complete. Concurrent calls may each build
// the index; the last rename wins, and the indexes are the same.
func (s *Store) IndexSnapshot(ctx context.Context, snapshot int64) error {
	sn, err := s.Snapshot(ctx, snapshot)
	if err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	if sn.Status != store.Complete {
		return fmt.Errorf("index snapshot %d: it is %s: %w", snapshot, sn.Status, store.ErrNotFound)
	}
	if ok, err := s.searchIndexed(ctx, snapshot); err != nil || ok {
		return err
	}
	final := s.searchPath(snapshot)
	tmp, err := os.CreateTemp(filepath.Dir(final), filepath.Base(final)+".tmp-*")
	if err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := s.buildSearch(ctx, snapshot, tmp.Name()); err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO search_indexes (snapshot_id, built_at, resources) VALUES (?, ?, ?)`,
		snapshot, formatTime(time.Now()), sn.Resources); err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	stale, err := dropSearchIndexes(ctx, tx)
	if err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	if err := dropStaleCounts(ctx, tx); err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("index snapshot %d: commit: %w", snapshot, err)
	}
	for _, id := range stale {
		if err := os.Remove(s.searchPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.log.Warn("remove search index", "snapshot", id, "err", err)
		}
	}
	return nil
}

// buildSearch writes snapshot's search index into the file at path.
func (s *Store) buildSearch(ctx context.Context, snapshot int64, path string) error {
	// The file is renamed into place only once complete: it needs no
	// journal and no syncs.
	db, err := sql.Open("sqlite", fileURI(path, "_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-65536)"))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	id := strconv.FormatInt(snapshot, 10)
	for _, q := range []string{
		`ATTACH DATABASE '` + strings.ReplaceAll(fileURI(s.path, "mode=ro"), "'", "''") + `' AS src`,
		`CREATE TABLE r (rid INTEGER PRIMARY KEY, uid TEXT NOT NULL, provider TEXT NOT NULL,
			account TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, tags TEXT)`,
		`INSERT INTO r (uid, provider, account, region, kind, name, tags)
			SELECT uid, provider, account, region, kind, name, tags FROM src.snap_resources
			WHERE snapshot_id = ` + id + ` ORDER BY uid`,
		`DETACH DATABASE src`,
		`CREATE UNIQUE INDEX r_uid ON r (uid)`,
		`CREATE INDEX r_kind ON r (kind)`,
		`CREATE INDEX r_provider ON r (provider)`,
		`CREATE INDEX r_account ON r (account)`,
		`CREATE INDEX r_region ON r (region)`,
		`CREATE VIRTUAL TABLE t USING fts5(name, uid, content='', columnsize=0, tokenize='trigram case_sensitive 1')`,
		`INSERT INTO t (rowid, name, uid) SELECT rid, lower(name), lower(uid) FROM r`,
		`INSERT INTO t (t) VALUES ('optimize')`,
		`CREATE TABLE g (key TEXT NOT NULL, value TEXT NOT NULL, rid INTEGER NOT NULL,
			PRIMARY KEY (key, value, rid)) WITHOUT ROWID`,
		`INSERT INTO g (key, value, rid) SELECT j.key, j.value, r.rid FROM r, json_each(r.tags) j WHERE r.tags IS NOT NULL`,
		`ANALYZE`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// dropSearchIndexes unlists the indexes of snapshots that are not complete
// any more and those beyond the keepSearchIndexes most recently built, and
// returns their snapshot IDs (the caller removes the files once this
// commits).
func dropSearchIndexes(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT snapshot_id FROM search_indexes
		WHERE snapshot_id NOT IN (SELECT id FROM snapshots WHERE status = 'complete')
		UNION SELECT snapshot_id FROM (SELECT snapshot_id FROM search_indexes
			ORDER BY built_at DESC, snapshot_id DESC LIMIT -1 OFFSET ?)`, keepSearchIndexes)
	if err != nil {
		return nil, fmt.Errorf("list stale search indexes: %w", err)
	}
	var stale []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list stale search indexes: %w", err)
		}
		stale = append(stale, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("list stale search indexes: %w", err)
	}
	for _, id := range stale {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_indexes WHERE snapshot_id = ?`, id); err != nil {
			return nil, fmt.Errorf("drop search index of snapshot %d: %w", id, err)
		}
	}
	return stale, nil
}

// checkResourceQuery validates q and returns its page size.
func checkResourceQuery(q store.ResourceQuery) (int, error) {
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	if limit < 1 || limit > store.MaxSearchLimit {
		return 0, fmt.Errorf("search resources: limit %d: want 1 to %d", q.Limit, store.MaxSearchLimit)
	}
	for _, v := range append([]string{q.Text, string(q.Provider), q.Account, q.Region, q.Tag, q.After}, append(q.Kinds, q.UIDs...)...) {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return 0, fmt.Errorf("search resources: %q is not valid text", v)
		}
	}
	return limit, nil
}

// asciiLower folds ASCII letters only, as SQL lower() does: search ignores
// the case of ASCII letters, not of other letters.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// ftsPhrase quotes text as an FTS5 phrase: with the trigram tokenizer it
// matches exactly the strings that contain text, ignoring case.
func ftsPhrase(text string) string { return `"` + strings.ReplaceAll(text, `"`, `""`) + `"` }

// SearchResources returns one page of a snapshot's resources matching q,
// ordered by UID. With the snapshot's search index, each filter reads an
// index ordered by UID and stops when the page is full, text goes through
// the trigram index, and tags through the tag table; without it the same
// query runs over snap_resources.
func (s *Store) SearchResources(ctx context.Context, snapshot int64, q store.ResourceQuery) (store.ResourcePage, error) {
	page := store.ResourcePage{Total: -1}
	limit, err := checkResourceQuery(q)
	if err != nil {
		return page, err
	}
	if err := s.exists(ctx, snapshot); err != nil {
		return page, fmt.Errorf("search resources: %w", err)
	}
	if page.Indexed, err = s.searchIndexed(ctx, snapshot); err != nil {
		return page, fmt.Errorf("search resources: %w", err)
	}
	text := strings.TrimSpace(q.Text)
	var where strings.Builder
	var args []any
	var from, order string
	db := s.rdb
	if page.Indexed {
		if db, err = s.openSearch(snapshot); err != nil {
			return page, fmt.Errorf("search resources: %w", err)
		}
		defer db.Close()
		from, order = "r", "r.rid"
		where.WriteString("1 = 1")
		if text != "" {
			if utf8.RuneCountInString(text) >= minTrigram {
				where.WriteString(" AND r.rid IN (SELECT rowid FROM t WHERE t MATCH ?)")
				args = append(args, ftsPhrase(asciiLower(text)))
			} else {
				where.WriteString(" AND (instr(lower(r.name), ?) > 0 OR instr(lower(r.uid), ?) > 0)")
				args = append(args, asciiLower(text), asciiLower(text))
			}
		}
		if q.Tag != "" {
			k, v, hasVal := strings.Cut(q.Tag, "=")
			if hasVal {
				where.WriteString(" AND r.rid IN (SELECT rid FROM g WHERE key = ? AND value = ?)")
				args = append(args, k, v)
			} else {
				where.WriteString(" AND r.rid IN (SELECT rid FROM g WHERE key = ?)")
				args = append(args, k)
			}
		}
	} else {
		from, order = "snap_resources r", "r.uid"
		where.WriteString("r.snapshot_id = ?")
		args = append(args, snapshot)
		if text != "" {
			where.WriteString(" AND (instr(lower(r.name), ?) > 0 OR instr(lower(r.uid), ?) > 0)")
			args = append(args, asciiLower(text), asciiLower(text))
		}
		if q.Tag != "" {
			k, v, hasVal := strings.Cut(q.Tag, "=")
			if hasVal {
				where.WriteString(" AND EXISTS (SELECT 1 FROM json_each(r.tags) WHERE key = ? AND value = ?)")
				args = append(args, k, v)
			} else {
				where.WriteString(" AND EXISTS (SELECT 1 FROM json_each(r.tags) WHERE key = ?)")
				args = append(args, k)
			}
		}
	}
	for _, c := range []struct{ col, v string }{{"r.provider", string(q.Provider)}, {"r.account", q.Account}, {"r.region", q.Region}} {
		if c.v != "" {
			where.WriteString(" AND " + c.col + " = ?")
			args = append(args, c.v)
		}
	}
	args = inList(&where, args, "r.kind", q.Kinds)
	args = inList(&where, args, "r.uid", q.UIDs)
	if q.Count {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+where.String(), args...).Scan(&page.Total); err != nil {
			return page, fmt.Errorf("search resources of snapshot %d: count: %w", snapshot, err)
		}
	}
	if q.After != "" {
		if page.Indexed {
			// rowid order is UID order: start after the last rowid whose
			// UID is not beyond the cursor (one lookup in the UID index).
			where.WriteString(" AND r.rid > (SELECT coalesce(max(rid), 0) FROM r WHERE uid <= ?)")
		} else {
			where.WriteString(" AND r.uid > ?")
		}
		args = append(args, q.After)
	}
	rows, err := db.QueryContext(ctx, `SELECT r.uid, r.provider, r.account, r.region, r.kind, r.name, r.tags FROM `+from+
		` WHERE `+where.String()+` ORDER BY `+order+` LIMIT `+strconv.Itoa(limit+1), args...)
	if err != nil {
		return page, fmt.Errorf("search resources of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r resource.Resource
		var provider string
		var tags sql.NullString
		if err := rows.Scan(&r.UID, &provider, &r.Account, &r.Region, &r.Kind, &r.Name, &tags); err != nil {
			return page, fmt.Errorf("search resources of snapshot %d: %w", snapshot, err)
		}
		r.Provider = resource.Provider(provider)
		if tags.Valid {
			if err := json.Unmarshal([]byte(tags.String), &r.Tags); err != nil {
				return page, fmt.Errorf("search resources: resource %s tags: %w", r.UID, err)
			}
		}
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("search resources of snapshot %d: %w", snapshot, err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = page.Items[limit-1].UID
	}
	return page, nil
}

// Counting a snapshot's findings reads all of them (4.9 million rows at
// 1,000,000 resources: about a minute on a busy 2-core machine), so the
// counts are kept once computed, in small tables per snapshot:
// search_f_N (findings by group) and search_c_N (resources by group).
// They are computed on a read-only connection and written in a short
// transaction, so a scan writing meanwhile is not held up.

// countsTable returns the rows of the kept counts table name, or ok false
// when there is none yet.
func (s *Store) countsTable(ctx context.Context, name string) (bool, error) {
	var one int
	err := s.rdb.QueryRowContext(ctx, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// keepCounts writes rows (each with len(cols) values) to the new table
// name. A concurrent call that wrote it first wins; both have the same
// rows.
func (s *Store) keepCounts(ctx context.Context, name, cols string, rows [][]any) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+name+` (`+cols+`)`); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+name).Scan(&n); err != nil || n > 0 {
		return err
	}
	for _, r := range rows {
		marks := strings.Repeat(", ?", len(r))[2:]
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+name+` VALUES (`+marks+`)`, r...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// dropStaleCounts drops the kept counts of snapshots that are no longer
// complete.
func dropStaleCounts(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND (name LIKE 'search\_f\_%' ESCAPE '\' OR name LIKE 'search\_c\_%' ESCAPE '\')`)
	if err != nil {
		return fmt.Errorf("list kept counts: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("list kept counts: %w", err)
		}
		names = append(names, n)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("list kept counts: %w", err)
	}
	for _, n := range names {
		id, err := strconv.ParseInt(n[len("search_f_"):], 10, 64)
		if err != nil {
			continue // not ours
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM snapshots WHERE id = ? AND status = 'complete'`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := tx.ExecContext(ctx, `DROP TABLE `+n); err != nil {
				return fmt.Errorf("drop kept counts %s: %w", n, err)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("list kept counts: %w", err)
		}
	}
	return nil
}

// findingGroupsSQL aggregates snapshot id's findings joined to their
// resources through join ("<table> r ON …"). PASS findings are in
// snap_findings and, compactly, in snap_passes (migration 0006): the same
// join, on each UID of a snap_passes row, counts those.
func findingGroupsSQL(join, id string) string {
	passJoin := strings.NewReplacer("f.snapshot_id", "p.snapshot_id", "f.resource_uid", "j.value").Replace(join)
	return `SELECT check_id, status, severity, provider, account, region, kind, sum(n) AS n, sum(new) AS new FROM (
		SELECT f.check_id, f.status, f.severity, r.provider, r.account, r.region, r.kind,
			count(*) AS n, count(CASE WHEN f.status <> 'PASS' THEN fs.first_seen END) AS new
		FROM snap_findings f JOIN ` + join + `
		LEFT JOIN finding_seen fs ON fs.snapshot_id = f.snapshot_id AND fs.check_id = f.check_id
			AND fs.resource_uid = f.resource_uid
			AND fs.first_seen = (SELECT started_at FROM snapshots WHERE id = ` + id + `)
		WHERE f.snapshot_id = ` + id + `
		GROUP BY 1, 2, 3, 4, 5, 6, 7
		UNION ALL
		SELECT p.check_id, 'PASS', p.severity, r.provider, r.account, r.region, r.kind, count(*), 0
		FROM snap_passes p CROSS JOIN json_each(p.uids) j CROSS JOIN ` + passJoin + `
		WHERE p.snapshot_id = ` + id + `
		GROUP BY 1, 2, 3, 4, 5, 6, 7)
		GROUP BY 1, 2, 3, 4, 5, 6, 7`
}

// FindingGroups counts a snapshot's findings grouped by check, status,
// severity and their resource's provider, account, region and kind. A
// complete snapshot's counts are computed once and kept.
func (s *Store) FindingGroups(ctx context.Context, snapshot int64) ([]store.FindingGroup, error) {
	sn, err := s.Snapshot(ctx, snapshot)
	if err != nil {
		return nil, fmt.Errorf("count findings: %w", err)
	}
	name := searchTable("search_f_", snapshot)
	kept, err := s.countsTable(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("count findings of snapshot %d: %w", snapshot, err)
	}
	q := findingGroupsSQL("snap_resources r ON r.snapshot_id = f.snapshot_id AND r.uid = f.resource_uid", strconv.FormatInt(snapshot, 10))
	var args []any
	if kept {
		q, args = `SELECT * FROM `+name, nil
	}
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("count findings of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	var out []store.FindingGroup
	var keep [][]any
	for rows.Next() {
		var g store.FindingGroup
		var status string
		var sev int64
		if err := rows.Scan(&g.CheckID, &status, &sev, &g.Provider, &g.Account, &g.Region, &g.Kind, &g.Count, &g.New); err != nil {
			return nil, fmt.Errorf("count findings of snapshot %d: %w", snapshot, err)
		}
		g.Status, g.Severity = finding.Status(status), finding.Severity(sev)
		out = append(out, g)
		keep = append(keep, []any{g.CheckID, status, sev, g.Provider, g.Account, g.Region, g.Kind, g.Count, g.New})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count findings of snapshot %d: %w", snapshot, err)
	}
	if !kept && sn.Status == store.Complete {
		if err := s.keepCounts(ctx, name, `check_id TEXT, status TEXT, severity INTEGER, provider TEXT, account TEXT,
			region TEXT, kind TEXT, n INTEGER, new INTEGER`, keep); err != nil {
			return nil, fmt.Errorf("keep finding counts of snapshot %d: %w", snapshot, err)
		}
	}
	return out, nil
}

// ResourceGroups counts a snapshot's resources by provider, account, region
// and kind. A complete snapshot's counts are computed once and kept.
func (s *Store) ResourceGroups(ctx context.Context, snapshot int64) ([]store.ResourceGroup, error) {
	sn, err := s.Snapshot(ctx, snapshot)
	if err != nil {
		return nil, fmt.Errorf("count resources: %w", err)
	}
	name := searchTable("search_c_", snapshot)
	kept, err := s.countsTable(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("count resources of snapshot %d: %w", snapshot, err)
	}
	q := `SELECT provider, account, region, kind, count(*) FROM snap_resources WHERE snapshot_id = ? GROUP BY 1, 2, 3, 4`
	args := []any{snapshot}
	if kept {
		q, args = `SELECT * FROM `+name, nil
	}
	rows, err := s.rdb.QueryContext(ctx, q+` ORDER BY 1, 2, 3, 4`, args...)
	if err != nil {
		return nil, fmt.Errorf("count resources of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	var out []store.ResourceGroup
	var keep [][]any
	for rows.Next() {
		var g store.ResourceGroup
		if err := rows.Scan(&g.Provider, &g.Account, &g.Region, &g.Kind, &g.Count); err != nil {
			return nil, fmt.Errorf("count resources of snapshot %d: %w", snapshot, err)
		}
		out = append(out, g)
		keep = append(keep, []any{g.Provider, g.Account, g.Region, g.Kind, g.Count})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count resources of snapshot %d: %w", snapshot, err)
	}
	if !kept && sn.Status == store.Complete {
		if err := s.keepCounts(ctx, name, `provider TEXT, account TEXT, region TEXT, kind TEXT, n INTEGER`, keep); err != nil {
			return nil, fmt.Errorf("keep resource counts of snapshot %d: %w", snapshot, err)
		}
	}
	return out, nil
}

// OpenFindings returns the findings that are not PASS of the resources
// with the given UIDs. It reads the partial index of open findings, which
// holds the resource UID, so it never reads the PASS findings.
func (s *Store) OpenFindings(ctx context.Context, snapshot int64, uids []string) ([]finding.Finding, error) {
	if err := s.exists(ctx, snapshot); err != nil {
		return nil, fmt.Errorf("open findings: %w", err)
	}
	if len(uids) == 0 {
		return nil, nil
	}
	var q strings.Builder
	q.WriteString(`SELECT f.check_id, f.severity, f.status, f.reason,
			r.uid, r.name, r.kind, r.provider, r.account, r.region, fs.first_seen
		FROM snap_findings f INDEXED BY snap_findings_open
		JOIN snap_resources r ON r.snapshot_id = f.snapshot_id AND r.uid = f.resource_uid
		LEFT JOIN finding_seen fs ON fs.snapshot_id = f.snapshot_id AND fs.check_id = f.check_id AND fs.resource_uid = f.resource_uid
		WHERE f.snapshot_id = ? AND f.status <> 'PASS'`)
	args := inList(&q, []any{snapshot}, "f.resource_uid", uids)
	q.WriteString(` ORDER BY r.uid, f.severity DESC, f.check_id`)
	rows, err := s.rdb.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("open findings of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	var out []finding.Finding
	for rows.Next() {
		var fd finding.Finding
		var sev int64
		var status string
		var firstSeen sql.NullString
		if err := rows.Scan(&fd.CheckID, &sev, &status, &fd.Reason,
			&fd.ResourceUID, &fd.ResourceName, &fd.Kind, &fd.Provider, &fd.Account, &fd.Region, &firstSeen); err != nil {
			return nil, fmt.Errorf("open findings of snapshot %d: %w", snapshot, err)
		}
		if firstSeen.Valid {
			if fd.FirstSeen, err = parseTime(firstSeen.String); err != nil {
				return nil, fmt.Errorf("open finding %s on %s first_seen: %w", fd.CheckID, fd.ResourceUID, err)
			}
		}
		fd.Severity, fd.Status = finding.Severity(sev), finding.Status(status)
		out = append(out, fd)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open findings of snapshot %d: %w", snapshot, err)
	}
	return out, nil
}
