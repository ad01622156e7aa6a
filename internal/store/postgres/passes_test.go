package postgres

import (
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/internal/finding"
	"cloudward/internal/store"
)

// TestCompactPasses: PASS findings without a reason are stored as
// snap_passes rows (one per batch and check), every other finding as a
// snap_findings row, and every reader sees one finding per (check,
// resource) as before: Findings with and without filters, FindingGroups,
// the snapshot's count and the query view.
func TestCompactPasses(t *testing.T) {
	ctx := t.Context()
	dsn := pg.NewDB(t)
	s, err := Open(ctx, dsn, Options{BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	w, err := s.Begin(ctx, "passes", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	const n = 120
	for i := range n {
		if err := w.Resource(ctx, docsResource(i, 0)); err != nil {
			t.Fatal(err)
		}
	}
	// Per resource: c-low passes, c-high passes (with a reason on every
	// tenth resource), c-mid fails on every third resource.
	var fs []finding.Finding
	for i := range n {
		uid := docsResource(i, 0).UID
		fs = append(fs, finding.Finding{CheckID: "c-low", ResourceUID: uid, Status: finding.Pass, Severity: finding.Low})
		high := finding.Finding{CheckID: "c-high", ResourceUID: uid, Status: finding.Pass, Severity: finding.High}
		if i%10 == 0 {
			high.Reason = "exempt by tag"
		}
		fs = append(fs, high)
		mid := finding.Finding{CheckID: "c-mid", ResourceUID: uid, Status: finding.Pass, Severity: finding.Medium}
		if i%3 == 0 {
			mid.Status, mid.Reason = finding.Fail, fmt.Sprintf("resource %d", i)
		}
		fs = append(fs, mid)
		if len(fs) >= 50 {
			if err := w.Findings(ctx, fs); err != nil {
				t.Fatal(err)
			}
			fs = nil
		}
	}
	if err := w.Findings(ctx, fs); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	id := w.ID()
	const total = 3 * n
	passes := n + (n - n/10) + (n - n/3) // compact: no reason
	if got := count(t, pool, `SELECT coalesce(sum(cardinality(resource_ids)), 0) FROM snap_passes WHERE snapshot_id = $1`, id); got != int64(passes) {
		t.Errorf("snap_passes lists %d findings, want %d", got, passes)
	}
	if got := count(t, pool, `SELECT count(*) FROM snap_findings WHERE snapshot_id = $1`, id); got != int64(total-passes) {
		t.Errorf("snap_findings holds %d rows, want %d", got, total-passes)
	}
	if got := count(t, pool, `SELECT count(*) FROM snap_passes WHERE snapshot_id = $1`, id); got >= int64(passes)/4 {
		t.Errorf("snap_passes holds %d rows for %d findings: not compact", got, passes)
	}
	sn, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if sn.Findings != total {
		t.Errorf("snapshot counts %d findings, want %d", sn.Findings, total)
	}

	tests := []struct {
		name   string
		filter store.FindingFilter
		want   int
	}{
		{"all", store.FindingFilter{}, total},
		{"pass", store.FindingFilter{Statuses: []finding.Status{finding.Pass}}, total - n/3},
		{"fail", store.FindingFilter{Statuses: []finding.Status{finding.Fail}}, n / 3},
		{"high and up", store.FindingFilter{MinSeverity: finding.High}, n},
		{"medium and up", store.FindingFilter{MinSeverity: finding.Medium}, 2 * n},
		{"one check", store.FindingFilter{CheckIDs: []string{"c-mid"}}, n},
		{"one check passing", store.FindingFilter{CheckIDs: []string{"c-mid"}, Statuses: []finding.Status{finding.Pass}}, n - n/3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []finding.Finding
			for f, err := range s.Findings(ctx, id, tt.filter) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, f)
			}
			if len(got) != tt.want {
				t.Fatalf("%d findings, want %d", len(got), tt.want)
			}
			for i := 1; i < len(got); i++ {
				a, b := got[i-1], got[i]
				if a.Severity < b.Severity || a.Severity == b.Severity && (a.CheckID > b.CheckID || a.CheckID == b.CheckID && a.ResourceUID >= b.ResourceUID) {
					t.Fatalf("findings out of order at %d: %s %s, then %s %s", i, a.CheckID, a.ResourceUID, b.CheckID, b.ResourceUID)
				}
			}
			for _, f := range got {
				if f.ResourceName == "" || f.Kind != "aws_s3_bucket" || f.Account != "111" {
					t.Fatalf("finding without its resource: %+v", f)
				}
				if f.CheckID == "c-high" && f.Reason == "" && f.Status != finding.Pass {
					t.Fatalf("finding %+v", f)
				}
			}
		})
	}

	groups, err := s.FindingGroups(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	byStatus := map[string]int64{}
	for _, g := range groups {
		byStatus[g.CheckID+" "+string(g.Status)] += g.Count
	}
	want := map[string]int64{"c-low PASS": n, "c-high PASS": n, "c-mid PASS": n - n/3, "c-mid FAIL": n / 3}
	for k, v := range want {
		if byStatus[k] != v {
			t.Errorf("FindingGroups: %s = %d, want %d (all: %v)", k, byStatus[k], v, byStatus)
		}
	}

	rows, err := s.Query(ctx, id, `select status, count(*), count(distinct resource_name) from findings group by status order by status`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][2]int64{}
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		got[v[0].(string)] = [2]int64{v[1].(int64), v[2].(int64)}
	}
	if got["PASS"] != [2]int64{total - n/3, n} || got["FAIL"] != [2]int64{n / 3, n / 3} {
		t.Errorf("query view findings by status: %v", got)
	}
}
