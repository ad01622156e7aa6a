package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// args numbers query parameters as they are added.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// inList appends " AND col = ANY($n)" for vals.
func (a *args) inList(q *strings.Builder, col string, vals []string) {
	if len(vals) > 0 {
		q.WriteString(" AND " + col + " = ANY(" + a.add(vals) + ")")
	}
}

// Resources streams a snapshot's resources ordered by account then UID
// (byte order), through the (snapshot_id, account, uid) index, each with
// its properties document from resource_docs. Rows
// flushed by a running snapshot's Writer are visible.
func (s *Store) Resources(ctx context.Context, snapshot int64, f store.ResourceFilter) iter.Seq2[resource.Resource, error] {
	return func(yield func(resource.Resource, error) bool) {
		if err := s.exists(ctx, snapshot); err != nil {
			yield(resource.Resource{}, fmt.Errorf("list resources: %w", err))
			return
		}
		var q strings.Builder
		a := args{}
		// The document is a scalar subquery, one probe of resource_docs'
		// primary key per row, so that rows stream in index order whatever
		// the size of resource_docs (a hash join would read all of it).
		q.WriteString(`SELECT uid, provider, account, region, kind, name, tags::text, created_at, created_nsec,
				(SELECT d.body::text FROM resource_docs d WHERE d.hash = r.doc_hash)
			FROM snap_resources r WHERE snapshot_id = ` + a.add(snapshot))
		if f.Provider != "" {
			q.WriteString(" AND provider = " + a.add(string(f.Provider)))
		}
		if f.Account != "" {
			q.WriteString(" AND account = " + a.add(f.Account))
		}
		if f.Region != "" {
			q.WriteString(" AND region = " + a.add(f.Region))
		}
		a.inList(&q, "kind", f.Kinds)
		a.inList(&q, "uid", f.UIDs)
		q.WriteString(" ORDER BY account, uid")
		rows, err := s.pool.Query(ctx, q.String(), a...)
		if err != nil {
			yield(resource.Resource{}, fmt.Errorf("list resources of snapshot %d: %w", snapshot, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var r resource.Resource
			var provider string
			var tags *string
			var created *time.Time
			var nsec int32
			var props []byte
			if err := rows.Scan(&r.UID, &provider, &r.Account, &r.Region, &r.Kind, &r.Name, &tags, &created, &nsec, &props); err != nil {
				yield(resource.Resource{}, fmt.Errorf("read resource of snapshot %d: %w", snapshot, err))
				return
			}
			r.Provider = resource.Provider(provider)
			r.Properties = props
			if tags != nil {
				if err := json.Unmarshal([]byte(*tags), &r.Tags); err != nil {
					yield(resource.Resource{}, fmt.Errorf("read resource %s tags: %w", r.UID, err))
					return
				}
			}
			if created != nil {
				r.CreatedAt = created.UTC().Add(time.Duration(nsec))
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
		a := args{}
		q.WriteString(`SELECT e.from_uid, e.type, e.to_uid FROM snap_edges e`)
		if len(f.FromKinds) > 0 {
			q.WriteString(` JOIN snap_resources fr ON fr.snapshot_id = e.snapshot_id AND fr.uid = e.from_uid`)
		}
		if len(f.ToKinds) > 0 {
			q.WriteString(` JOIN snap_resources tr ON tr.snapshot_id = e.snapshot_id AND tr.uid = e.to_uid`)
		}
		q.WriteString(` WHERE e.snapshot_id = ` + a.add(snapshot))
		a.inList(&q, "fr.kind", f.FromKinds)
		a.inList(&q, "tr.kind", f.ToKinds)
		q.WriteString(` ORDER BY e.from_uid, e.type, e.to_uid`)
		rows, err := s.pool.Query(ctx, q.String(), a...)
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
	rows, err := s.pool.Query(ctx, `SELECT provider, account, region, service, op, kind, message
		FROM snap_errors WHERE snapshot_id = $1 ORDER BY id`, snapshot)
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
		a := args{}
		id := a.add(snapshot)
		var open, passed strings.Builder
		open.WriteString(`SELECT resource_id, check_id, status, severity, reason FROM snap_findings WHERE snapshot_id = ` + id)
		passed.WriteString(`SELECT u.id, p.check_id, 'PASS', p.severity, '' FROM snap_passes p, unnest(p.resource_ids) u (id)
			WHERE p.snapshot_id = ` + id)
		withPasses := len(f.Statuses) == 0 || slices.Contains(f.Statuses, finding.Pass)
		if !withPasses {
			// The partial index's predicate, so the planner can use it.
			open.WriteString(" AND status <> 'PASS'")
		}
		if f.MinSeverity > finding.Info {
			sev := a.add(int16(f.MinSeverity))
			open.WriteString(" AND severity >= " + sev)
			passed.WriteString(" AND p.severity >= " + sev)
		}
		statuses := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			statuses[i] = string(st)
		}
		a.inList(&open, "status", statuses)
		if len(f.CheckIDs) > 0 {
			checks := a.add(f.CheckIDs)
			open.WriteString(" AND check_id = ANY(" + checks + ")")
			passed.WriteString(" AND p.check_id = ANY(" + checks + ")")
		}
		// PASS findings without a reason are stored compactly in
		// snap_passes (migrations/0006_compact_passes.sql) and expanded
		// here.
		from := open.String()
		if withPasses {
			from += "\n\t\t\tUNION ALL\n\t\t\t" + passed.String()
		}
		var q strings.Builder
		q.WriteString(`SELECT f.check_id, f.severity, f.status, f.reason,
				r.uid, r.name, r.kind, r.provider, r.account, r.region, fs.first_seen
			FROM (` + from + `) f (resource_id, check_id, status, severity, reason)
			JOIN snap_resources r ON r.id = f.resource_id
			LEFT JOIN finding_seen fs ON fs.snapshot_id = ` + id + ` AND fs.check_id = f.check_id AND fs.resource_uid = r.uid`)
		q.WriteString(" ORDER BY f.severity DESC, f.check_id, r.uid")
		rows, err := s.pool.Query(ctx, q.String(), a...)
		if err != nil {
			yield(finding.Finding{}, fmt.Errorf("list findings of snapshot %d: %w", snapshot, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var fd finding.Finding
			var sev int16
			var status string
			var firstSeen *time.Time
			if err := rows.Scan(&fd.CheckID, &sev, &status, &fd.Reason,
				&fd.ResourceUID, &fd.ResourceName, &fd.Kind, &fd.Provider, &fd.Account, &fd.Region, &firstSeen); err != nil {
				yield(finding.Finding{}, fmt.Errorf("read finding of snapshot %d: %w", snapshot, err))
				return
			}
			if firstSeen != nil {
				fd.FirstSeen = firstSeen.UTC()
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
