package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// propertiesColumn is the SQL expression of a snap_resources row's
// properties: its document in resource_docs, or the inline column for rows
// written before migration 0007.
const propertiesColumn = `CASE WHEN doc_hash IS NULL THEN properties
	ELSE (SELECT d.body FROM resource_docs d WHERE d.hash = doc_hash) END`

// Resources streams a snapshot's resources ordered by account then UID,
// through the (snapshot_id, account, uid) index. Rows flushed by a running
// snapshot's Writer are visible.
func (s *Store) Resources(ctx context.Context, snapshot int64, f store.ResourceFilter) iter.Seq2[resource.Resource, error] {
	return func(yield func(resource.Resource, error) bool) {
		if err := s.exists(ctx, snapshot); err != nil {
			yield(resource.Resource{}, fmt.Errorf("list resources: %w", err))
			return
		}
		var q strings.Builder
		q.WriteString(`SELECT uid, provider, account, region, kind, name, tags, created_at, ` + propertiesColumn + `
			FROM snap_resources INDEXED BY snap_resources_order WHERE snapshot_id = ?`)
		args := []any{snapshot}
		if f.Provider != "" {
			q.WriteString(" AND provider = ?")
			args = append(args, string(f.Provider))
		}
		if f.Account != "" {
			q.WriteString(" AND account = ?")
			args = append(args, f.Account)
		}
		if f.Region != "" {
			q.WriteString(" AND region = ?")
			args = append(args, f.Region)
		}
		args = inList(&q, args, "kind", f.Kinds)
		if len(f.UIDs) > 0 {
			// One JSON array parameter: no limit on the number of UIDs.
			list, err := json.Marshal(f.UIDs)
			if err != nil {
				yield(resource.Resource{}, fmt.Errorf("list resources of snapshot %d: %w", snapshot, err))
				return
			}
			q.WriteString(" AND uid IN (SELECT value FROM json_each(?))")
			args = append(args, string(list))
		}
		if len(f.Kinds) > 0 || len(f.UIDs) > 0 {
			// A few kinds or UIDs of a big estate: find them through the
			// kind or UID index and sort them (the unary + keeps SQLite from walking
			// the whole snapshot in order instead, ~30x slower).
			q.WriteString(" ORDER BY +account, +uid")
		} else {
			q.WriteString(" ORDER BY account, uid")
		}
		rows, err := s.rdb.QueryContext(ctx, q.String(), args...)
		if err != nil {
			yield(resource.Resource{}, fmt.Errorf("list resources of snapshot %d: %w", snapshot, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var r resource.Resource
			var provider string
			var tags, created sql.NullString
			var props []byte
			if err := rows.Scan(&r.UID, &provider, &r.Account, &r.Region, &r.Kind, &r.Name, &tags, &created, &props); err != nil {
				yield(resource.Resource{}, fmt.Errorf("read resource of snapshot %d: %w", snapshot, err))
				return
			}
			r.Provider = resource.Provider(provider)
			r.Properties = props
			if tags.Valid {
				if err := json.Unmarshal([]byte(tags.String), &r.Tags); err != nil {
					yield(resource.Resource{}, fmt.Errorf("read resource %s tags: %w", r.UID, err))
					return
				}
			}
			if created.Valid {
				if r.CreatedAt, err = parseTime(created.String); err != nil {
					yield(resource.Resource{}, fmt.Errorf("read resource %s created_at: %w", r.UID, err))
					return
				}
			}
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(resource.Resource{}, fmt.Errorf("list resources of snapshot %d: %w", snapshot, err))
		}
	}
}

// Edges streams a snapshot's edges ordered by source UID, type, then target
// UID. FromKinds and ToKinds keep edges whose source (target) resource is in
// the snapshot with one of the kinds.
func (s *Store) Edges(ctx context.Context, snapshot int64, f store.EdgeFilter) iter.Seq2[resource.Edge, error] {
	return func(yield func(resource.Edge, error) bool) {
		if err := s.exists(ctx, snapshot); err != nil {
			yield(resource.Edge{}, fmt.Errorf("list edges: %w", err))
			return
		}
		var q strings.Builder
		q.WriteString(`SELECT e.from_uid, e.type, e.to_uid FROM snap_edges e`)
		if len(f.FromKinds) > 0 {
			q.WriteString(` JOIN snap_resources fr ON fr.snapshot_id = e.snapshot_id AND fr.uid = e.from_uid`)
		}
		if len(f.ToKinds) > 0 {
			q.WriteString(` JOIN snap_resources tr ON tr.snapshot_id = e.snapshot_id AND tr.uid = e.to_uid`)
		}
		q.WriteString(` WHERE e.snapshot_id = ?`)
		args := []any{snapshot}
		args = inList(&q, args, "fr.kind", f.FromKinds)
		args = inList(&q, args, "tr.kind", f.ToKinds)
		q.WriteString(` ORDER BY e.from_uid, e.type, e.to_uid`)
		rows, err := s.rdb.QueryContext(ctx, q.String(), args...)
		if err != nil {
			yield(resource.Edge{}, fmt.Errorf("list edges of snapshot %d: %w", snapshot, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var e resource.Edge
			if err := rows.Scan(&e.From, &e.Type, &e.To); err != nil {
				yield(resource.Edge{}, fmt.Errorf("read edge of snapshot %d: %w", snapshot, err))
				return
			}
			if !yield(e, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(resource.Edge{}, fmt.Errorf("list edges of snapshot %d: %w", snapshot, err))
		}
	}
}

// CollectionErrors returns a snapshot's collection errors in the order they
// were written.
func (s *Store) CollectionErrors(ctx context.Context, snapshot int64) ([]resource.CollectionError, error) {
	if err := s.exists(ctx, snapshot); err != nil {
		return nil, fmt.Errorf("list collection errors: %w", err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT provider, account, region, service, op, kind, message
		FROM snap_errors WHERE snapshot_id = ? ORDER BY id`, snapshot)
	if err != nil {
		return nil, fmt.Errorf("list collection errors of snapshot %d: %w", snapshot, err)
	}
	defer rows.Close()
	var out []resource.CollectionError
	for rows.Next() {
		var e resource.CollectionError
		var provider, kind string
		if err := rows.Scan(&provider, &e.Account, &e.Region, &e.Service, &e.Op, &kind, &e.Message); err != nil {
			return nil, fmt.Errorf("read collection error of snapshot %d: %w", snapshot, err)
		}
		e.Provider = resource.Provider(provider)
		e.Kind = resource.ErrorKind(kind)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list collection errors of snapshot %d: %w", snapshot, err)
	}
	return out, nil
}

// Findings streams a snapshot's findings joined to their resources, ordered
// by severity (highest first), check ID, then resource UID.
func (s *Store) Findings(ctx context.Context, snapshot int64, f store.FindingFilter) iter.Seq2[finding.Finding, error] {
	return func(yield func(finding.Finding, error) bool) {
		if err := s.exists(ctx, snapshot); err != nil {
			yield(finding.Finding{}, fmt.Errorf("list findings: %w", err))
			return
		}
		q, args := findingsQuery(snapshot, f)
		rows, err := s.rdb.QueryContext(ctx, q, args...)
		if err != nil {
			yield(finding.Finding{}, fmt.Errorf("list findings of snapshot %d: %w", snapshot, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var fd finding.Finding
			var sev int64
			var status string
			var firstSeen sql.NullString
			if err := rows.Scan(&fd.CheckID, &sev, &status, &fd.Reason,
				&fd.ResourceUID, &fd.ResourceName, &fd.Kind, &fd.Provider, &fd.Account, &fd.Region, &firstSeen); err != nil {
				yield(finding.Finding{}, fmt.Errorf("read finding of snapshot %d: %w", snapshot, err))
				return
			}
			if firstSeen.Valid {
				if fd.FirstSeen, err = parseTime(firstSeen.String); err != nil {
					yield(finding.Finding{}, fmt.Errorf("read finding %s on %s first_seen: %w", fd.CheckID, fd.ResourceUID, err))
					return
				}
			}
			fd.Severity = finding.Severity(sev)
			fd.Status = finding.Status(status)
			if !yield(fd, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(finding.Finding{}, fmt.Errorf("list findings of snapshot %d: %w", snapshot, err))
		}
	}
}

// findingsQuery returns the statement and arguments of Findings: the rows
// of snap_findings and, when PASS findings are wanted, the expansion of
// snap_passes (one finding per UID of each row), merged in order.
func findingsQuery(snapshot int64, f store.FindingFilter) (string, []any) {
	var q strings.Builder
	q.WriteString(`SELECT f.check_id, f.severity, f.status, f.reason,
			r.uid, r.name, r.kind, r.provider, r.account, r.region, fs.first_seen
		FROM snap_findings f JOIN snap_resources r ON r.snapshot_id = f.snapshot_id AND r.uid = f.resource_uid
		LEFT JOIN finding_seen fs ON fs.snapshot_id = f.snapshot_id AND fs.check_id = f.check_id AND fs.resource_uid = r.uid
		WHERE f.snapshot_id = ?`)
	passes := len(f.Statuses) == 0 || slices.Contains(f.Statuses, finding.Pass)
	if !passes {
		// The same expression as the partial index's, so SQLite uses it.
		q.WriteString(" AND f.status <> 'PASS'")
	}
	args := []any{snapshot}
	if f.MinSeverity > finding.Info {
		q.WriteString(" AND f.severity >= ?")
		args = append(args, int64(f.MinSeverity))
	}
	statuses := make([]string, len(f.Statuses))
	for i, st := range f.Statuses {
		statuses[i] = string(st)
	}
	args = inList(&q, args, "f.status", statuses)
	args = inList(&q, args, "f.check_id", f.CheckIDs)
	if passes {
		q.WriteString(`
		UNION ALL
		SELECT p.check_id, p.severity, 'PASS', '', r.uid, r.name, r.kind, r.provider, r.account, r.region, NULL
		FROM snap_passes p CROSS JOIN json_each(p.uids) j
			CROSS JOIN snap_resources r ON r.snapshot_id = p.snapshot_id AND r.uid = j.value
		WHERE p.snapshot_id = ?`)
		args = append(args, snapshot)
		if f.MinSeverity > finding.Info {
			q.WriteString(" AND p.severity >= ?")
			args = append(args, int64(f.MinSeverity))
		}
		args = inList(&q, args, "p.check_id", f.CheckIDs)
		q.WriteString(" ORDER BY 2 DESC, 1, 5")
	} else {
		q.WriteString(" ORDER BY f.severity DESC, f.check_id, f.resource_uid")
	}
	return q.String(), args
}
