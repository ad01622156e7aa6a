package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// recordFirstSeen fills finding_seen for the open findings of snapshot id,
// carrying first_seen from the previous complete snapshot of the same scope
// (see migrations/0002_first_seen.sql). It runs inside Commit's transaction,
// after the snapshot's rows are written: one INSERT … SELECT with one
// primary-key lookup per open finding.
func recordFirstSeen(ctx context.Context, tx *sql.Tx, id int64) error {
	var scope, started string
	if err := tx.QueryRowContext(ctx, `SELECT scope, started_at FROM snapshots WHERE id = ?`, id).Scan(&scope, &started); err != nil {
		return fmt.Errorf("first seen: read snapshot: %w", err)
	}
	var prev int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM snapshots
		WHERE scope = ? AND status = 'complete' AND id <> ? AND started_at <= ?
		ORDER BY started_at DESC, id DESC LIMIT 1`, scope, id, started).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("first seen: previous snapshot: %w", err)
	}
	uid, from, err := findingUID(ctx, tx)
	if err != nil {
		return err
	}
	q := `INSERT INTO finding_seen (snapshot_id, check_id, resource_uid, status, first_seen)
		SELECT ?1, f.check_id, ` + uid + `, f.status,
			CASE WHEN p.status = f.status OR (p.status IN ('FAIL', 'MUTED') AND f.status IN ('FAIL', 'MUTED'))
				THEN p.first_seen ELSE ?2 END
		FROM ` + from + `
		LEFT JOIN finding_seen p ON p.snapshot_id = ?3 AND p.check_id = f.check_id AND p.resource_uid = ` + uid + `
		WHERE f.snapshot_id = ?1 AND f.status <> 'PASS'
		ON CONFLICT DO NOTHING`
	if _, err := tx.ExecContext(ctx, q, id, started, prev); err != nil {
		return fmt.Errorf("first seen: %w", err)
	}
	return nil
}

// findingUID returns the SQL expression of a finding's resource UID and
// the FROM clause that makes it available. snap_findings names its
// resource either by row ID (resource_id, schema of 0001 as first
// released) or by UID (resource_uid); this supports both.
func findingUID(ctx context.Context, tx *sql.Tx) (uid, from string, err error) {
	var n int
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('snap_findings') WHERE name = 'resource_uid'`).Scan(&n)
	if err != nil {
		return "", "", fmt.Errorf("first seen: read findings schema: %w", err)
	}
	if n > 0 {
		return "f.resource_uid", "snap_findings f", nil
	}
	return "r.uid", "snap_findings f JOIN snap_resources r ON r.id = f.resource_id", nil
}
