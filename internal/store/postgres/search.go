package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

var _ store.Searcher = (*Store)(nil)

// keepSearchIndexes is how many snapshot search indexes are kept: building
// one drops the oldest-built beyond this number.
const keepSearchIndexes = 4

// lockSearch serialises index builds (second key: snapshot ID).
const lockSearch = 0x6377_0010

func searchTable(snapshot int64) string { return "search_r_" + strconv.FormatInt(snapshot, 10) }

// searchIndexed reports whether snapshot has a complete search index.
func (s *Store) searchIndexed(ctx context.Context, snapshot int64) (bool, error) {
	var one int
	err := s.pool.QueryRow(ctx, `SELECT 1 FROM search_indexes WHERE snapshot_id = $1`, snapshot).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("snapshot %d search index: %w", snapshot, err)
	}
	return true, nil
}

// trigramAvailable creates the pg_trgm extension unless it exists and
// reports whether it is there. It is trusted from PostgreSQL 13 on, so a
// database owner may create it; when that is refused, search works
// without the trigram indexes (a scan of the snapshot's search table).
func (s *Store) trigramAvailable(ctx context.Context) bool {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')`).Scan(&ok); err == nil && ok {
		return true
	}
	if _, err := s.pool.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm`); err != nil {
		s.log.Warn("pg_trgm is not available: search reads the whole search table", "err", err)
		return false
	}
	return true
}

// IndexSnapshot builds the search index of a complete snapshot: a table of
// its resources without properties, with B-tree indexes that keep each
// filter in UID order (keyset pages read only what they return), a GIN
// index over tags, and trigram GIN indexes over the lower-cased name and
// UID when pg_trgm is available. The build is one transaction under an
// advisory lock, so concurrent calls build it once and a crash leaves
// nothing behind.
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
	trigram := s.trigramAvailable(ctx)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, int32(lockSearch), lockKey(snapshot)); err != nil {
			return err
		}
		var one int
		switch err := tx.QueryRow(ctx, `SELECT 1 FROM search_indexes WHERE snapshot_id = $1`, snapshot).Scan(&one); {
		case err == nil:
			return nil // built by a concurrent call
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		t := searchTable(snapshot)
		id := strconv.FormatInt(snapshot, 10)
		stmts := []string{
			`DROP TABLE IF EXISTS ` + t,
			`CREATE TABLE ` + t + ` AS SELECT uid, provider, account, region, kind, name, tags,
				lower(name) AS lname, lower(uid) AS luid
				FROM snap_resources WHERE snapshot_id = ` + id + ` ORDER BY uid`,
			`ALTER TABLE ` + t + ` ADD PRIMARY KEY (uid)`,
			`CREATE INDEX ON ` + t + ` (kind, uid)`,
			`CREATE INDEX ON ` + t + ` (provider, uid)`,
			`CREATE INDEX ON ` + t + ` (account, uid)`,
			`CREATE INDEX ON ` + t + ` (region, uid)`,
			`CREATE INDEX ON ` + t + ` USING gin (tags)`,
		}
		if trigram {
			stmts = append(stmts,
				`CREATE INDEX ON `+t+` USING gin (lname gin_trgm_ops)`,
				`CREATE INDEX ON `+t+` USING gin (luid gin_trgm_ops)`)
		}
		stmts = append(stmts, `ANALYZE `+t)
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO search_indexes (snapshot_id, built_at, resources, trigram)
			SELECT $1, $2, count(*), $3 FROM `+t, snapshot, time.Now().UTC(), trigram); err != nil {
			return err
		}
		return dropSearchIndexes(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("index snapshot %d: %w", snapshot, err)
	}
	return nil
}

// dropSearchIndexes drops the indexes of snapshots that are not complete
// any more and those beyond the keepSearchIndexes most recently built.
func dropSearchIndexes(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT snapshot_id FROM search_indexes
		WHERE snapshot_id NOT IN (SELECT id FROM snapshots WHERE status = 'complete')
		UNION SELECT snapshot_id FROM (SELECT snapshot_id FROM search_indexes
			ORDER BY built_at DESC, snapshot_id DESC OFFSET $1) old`, keepSearchIndexes)
	if err != nil {
		return fmt.Errorf("list stale search indexes: %w", err)
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("list stale search indexes: %w", err)
	}
	for _, id := range stale {
		if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS `+searchTable(id)); err != nil {
			return fmt.Errorf("drop search index of snapshot %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM search_indexes WHERE snapshot_id = $1`, id); err != nil {
			return fmt.Errorf("drop search index of snapshot %d: %w", id, err)
		}
	}
	return nil
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

// asciiLower folds ASCII letters only, as lower() does on the "C"
// collation the columns use: search ignores the case of ASCII letters.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// likeContains is a LIKE pattern (escape \) matching strings containing s.
func likeContains(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

// SearchResources returns one page of a snapshot's resources matching q,
// ordered by UID (byte order), from the snapshot's search index when it
// has one and from snap_resources otherwise.
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
	var a args
	var where strings.Builder
	var from string
	text := asciiLower(strings.TrimSpace(q.Text))
	if page.Indexed {
		from = searchTable(snapshot) + " r"
		where.WriteString("true")
		if text != "" {
			p := a.add(likeContains(text))
			where.WriteString(" AND (r.lname LIKE " + p + " OR r.luid LIKE " + p + ")")
		}
	} else {
		from = "snap_resources r"
		where.WriteString("r.snapshot_id = " + a.add(snapshot))
		if text != "" {
			p := a.add(text)
			where.WriteString(" AND (strpos(lower(r.name), " + p + ") > 0 OR strpos(lower(r.uid), " + p + ") > 0)")
		}
	}
	if q.Tag != "" {
		k, v, hasVal := strings.Cut(q.Tag, "=")
		if hasVal {
			where.WriteString(" AND r.tags @> jsonb_build_object(" + a.add(k) + "::text, " + a.add(v) + "::text)")
		} else {
			where.WriteString(" AND r.tags ? " + a.add(k))
		}
	}
	for _, c := range []struct{ col, v string }{{"r.provider", string(q.Provider)}, {"r.account", q.Account}, {"r.region", q.Region}} {
		if c.v != "" {
			where.WriteString(" AND " + c.col + " = " + a.add(c.v))
		}
	}
	a.inList(&where, "r.kind", q.Kinds)
	a.inList(&where, "r.uid", q.UIDs)
	if q.Count {
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM `+from+` WHERE `+where.String(), a...).Scan(&page.Total); err != nil {
			return page, fmt.Errorf("search resources of snapshot %d: count: %w", snapshot, err)
		}
	}
	if q.After != "" {
		where.WriteString(" AND r.uid > " + a.add(q.After))
	}
	rows, err := s.pool.Query(ctx, `SELECT r.uid, r.provider, r.account, r.region, r.kind, r.name, r.tags FROM `+from+
		` WHERE `+where.String()+` ORDER BY r.uid LIMIT `+strconv.Itoa(limit+1), a...)
	if err != nil {
		return page, fmt.Errorf("search resources of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r resource.Resource
		var provider string
		if err := rows.Scan(&r.UID, &provider, &r.Account, &r.Region, &r.Kind, &r.Name, &r.Tags); err != nil {
			return page, fmt.Errorf("search resources of snapshot %d: %w", snapshot, err)
		}
		r.Provider = resource.Provider(provider)
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

// FindingGroups counts a snapshot's findings grouped by check, status,
// severity and their resource's provider, account, region and kind, in one
// aggregate query over snap_findings and the expanded compact PASS rows of
// snap_passes.
func (s *Store) FindingGroups(ctx context.Context, snapshot int64) ([]store.FindingGroup, error) {
	if err := s.exists(ctx, snapshot); err != nil {
		return nil, fmt.Errorf("count findings: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT f.check_id, f.status, f.severity, r.provider, r.account, r.region, r.kind,
			count(*), count(fs.first_seen)
		FROM (SELECT resource_id, check_id, status, severity FROM snap_findings WHERE snapshot_id = $1
			UNION ALL
			SELECT u.id, p.check_id, 'PASS', p.severity FROM snap_passes p, unnest(p.resource_ids) u (id)
			WHERE p.snapshot_id = $1) f (resource_id, check_id, status, severity)
		JOIN snap_resources r ON r.id = f.resource_id
		LEFT JOIN finding_seen fs ON fs.snapshot_id = $1 AND fs.check_id = f.check_id
			AND fs.resource_uid = r.uid AND f.status <> 'PASS'
			AND fs.first_seen = (SELECT started_at FROM snapshots WHERE id = $1)
		GROUP BY 1, 2, 3, 4, 5, 6, 7`, snapshot)
	if err != nil {
		return nil, fmt.Errorf("count findings of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	var out []store.FindingGroup
	for rows.Next() {
		var g store.FindingGroup
		var status string
		var sev int16
		if err := rows.Scan(&g.CheckID, &status, &sev, &g.Provider, &g.Account, &g.Region, &g.Kind, &g.Count, &g.New); err != nil {
			return nil, fmt.Errorf("count findings of snapshot %d: %w", snapshot, err)
		}
		g.Status, g.Severity = finding.Status(status), finding.Severity(sev)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count findings of snapshot %d: %w", snapshot, err)
	}
	return out, nil
}

// ResourceGroups counts a snapshot's resources by provider, account, region
// and kind, from its search index when it has one (a much smaller table).
func (s *Store) ResourceGroups(ctx context.Context, snapshot int64) ([]store.ResourceGroup, error) {
	if err := s.exists(ctx, snapshot); err != nil {
		return nil, fmt.Errorf("count resources: %w", err)
	}
	indexed, err := s.searchIndexed(ctx, snapshot)
	if err != nil {
		return nil, fmt.Errorf("count resources: %w", err)
	}
	q := `SELECT provider, account, region, kind, count(*) FROM snap_resources WHERE snapshot_id = $1`
	a := []any{snapshot}
	if indexed {
		q, a = `SELECT provider, account, region, kind, count(*) FROM `+searchTable(snapshot), nil
	}
	rows, err := s.pool.Query(ctx, q+` GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, a...)
	if err != nil {
		return nil, fmt.Errorf("count resources of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	var out []store.ResourceGroup
	for rows.Next() {
		var g store.ResourceGroup
		if err := rows.Scan(&g.Provider, &g.Account, &g.Region, &g.Kind, &g.Count); err != nil {
			return nil, fmt.Errorf("count resources of snapshot %d: %w", snapshot, err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count resources of snapshot %d: %w", snapshot, err)
	}
	return out, nil
}

// OpenFindings returns the findings that are not PASS of the resources
// with the given UIDs.
func (s *Store) OpenFindings(ctx context.Context, snapshot int64, uids []string) ([]finding.Finding, error) {
	if err := s.exists(ctx, snapshot); err != nil {
		return nil, fmt.Errorf("open findings: %w", err)
	}
	if len(uids) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT f.check_id, f.severity, f.status, f.reason,
			r.uid, r.name, r.kind, r.provider, r.account, r.region, fs.first_seen
		FROM snap_resources r
		JOIN snap_findings f ON f.snapshot_id = r.snapshot_id AND f.resource_id = r.id
		LEFT JOIN finding_seen fs ON fs.snapshot_id = f.snapshot_id AND fs.check_id = f.check_id AND fs.resource_uid = r.uid
		WHERE r.snapshot_id = $1 AND r.uid = ANY($2) AND f.status <> 'PASS'
		ORDER BY r.uid, f.severity DESC, f.check_id`, snapshot, uids)
	if err != nil {
		return nil, fmt.Errorf("open findings of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	var out []finding.Finding
	for rows.Next() {
		var fd finding.Finding
		var sev int16
		var status string
		var firstSeen *time.Time
		if err := rows.Scan(&fd.CheckID, &sev, &status, &fd.Reason,
			&fd.ResourceUID, &fd.ResourceName, &fd.Kind, &fd.Provider, &fd.Account, &fd.Region, &firstSeen); err != nil {
			return nil, fmt.Errorf("open findings of snapshot %d: %w", snapshot, err)
		}
		if firstSeen != nil {
			fd.FirstSeen = firstSeen.UTC()
		}
		fd.Severity, fd.Status = finding.Severity(sev), finding.Status(status)
		out = append(out, fd)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open findings of snapshot %d: %w", snapshot, err)
	}
	return out, nil
}
