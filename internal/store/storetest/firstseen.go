package storetest

import (
	"testing"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// testFirstSeen: an open finding (FAIL, MUTED, ERROR) keeps the first_seen
// of the previous complete snapshot of the same scope while it stays open
// (FAIL and MUTED are one state); a finding that opens, reopens or changes
// between FAIL and ERROR starts again at its snapshot's start. Other
// scopes, running and rolled-back snapshots do not count; PASS findings
// have no first_seen.
func testFirstSeen(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := "arn:aws:s3:::a", "arn:aws:s3:::b"
	rs := []resource.Resource{
		res(resource.AWS, "111", "us-east-1", "aws_s3_bucket", a),
		res(resource.AWS, "111", "us-east-1", "aws_s3_bucket", b),
	}
	f := func(check string, st finding.Status, uid string) finding.Finding {
		return finding.Finding{CheckID: check, Severity: finding.High, Status: st, ResourceUID: uid}
	}
	t1, t2, t3 := t0.Add(time.Hour), t0.Add(2*time.Hour), t0.Add(3*time.Hour)
	s1 := write(t, s, "scope", t0, rs, nil, nil, []finding.Finding{
		f("c1", finding.Fail, a), f("c2", finding.Fail, b), f("c3", finding.Pass, a), f("c4", finding.Error, b), f("c5", finding.Fail, a),
	})
	// Another scope, a rolled-back and a running snapshot in between.
	write(t, s, "other scope", t0.Add(30*time.Minute), rs, nil, nil, []finding.Finding{f("c3", finding.Fail, a)})
	rb, err := s.Begin(ctx, "scope", t0.Add(40*time.Minute))
	must(t, err)
	for _, r := range rs {
		must(t, rb.Resource(ctx, r))
	}
	must(t, rb.Findings(ctx, []finding.Finding{f("c3", finding.Fail, a)}))
	must(t, rb.Flush(ctx))
	must(t, rb.Rollback())
	running, err := s.Begin(ctx, "scope", t0.Add(50*time.Minute))
	must(t, err)
	defer running.Rollback()
	must(t, running.Resource(ctx, rs[0]))

	s2 := write(t, s, "scope", t1, rs, nil, nil, []finding.Finding{
		f("c1", finding.Muted, a), f("c2", finding.Pass, b), f("c3", finding.Fail, a), f("c4", finding.Error, b), f("c5", finding.Error, a),
	})
	s3 := write(t, s, "scope", t2, rs, nil, nil, []finding.Finding{
		f("c1", finding.Fail, a), f("c2", finding.Fail, b), f("c3", finding.Fail, a), f("c4", finding.Fail, b),
	})
	// A snapshot started earlier but committed later carries from the
	// snapshot before it in time, not from the newest.
	s4 := write(t, s, "scope", t3, rs, nil, nil, []finding.Finding{f("c3", finding.Fail, a)})

	want := map[int64]map[string]time.Time{
		s1: {"c1": t0, "c2": t0, "c3": {}, "c4": t0, "c5": t0},
		s2: {"c1": t0, "c2": {}, "c3": t1, "c4": t0, "c5": t1},
		s3: {"c1": t0, "c2": t2, "c3": t1, "c4": t2},
		s4: {"c3": t1},
	}
	for snap, checks := range want {
		got := map[string]time.Time{}
		for _, fd := range collect(t, s.Findings(ctx, snap, store.FindingFilter{})) {
			got[fd.CheckID] = fd.FirstSeen
		}
		if len(got) != len(checks) {
			t.Errorf("snapshot %d: %d findings, want %d", snap, len(got), len(checks))
		}
		for check, w := range checks {
			if g := got[check]; !g.Equal(w) {
				t.Errorf("snapshot %d: %s first seen %v, want %v", snap, check, g, w)
			}
		}
	}
	// The filtered (open findings only) read agrees.
	for _, fd := range collect(t, s.Findings(ctx, s3, store.FindingFilter{Statuses: []finding.Status{finding.Fail}})) {
		if fd.CheckID == "c3" && !fd.FirstSeen.Equal(t1) {
			t.Errorf("filtered read: c3 first seen %v", fd.FirstSeen)
		}
	}
}
