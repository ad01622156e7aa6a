package storetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// Stores may keep a document once for every snapshot that holds it
// (content-addressed properties), and PASS findings in a compact form.
// These cases pin what readers must still see: every snapshot reads back
// exactly what was written to it, whatever later or failed snapshots
// wrote, and every PASS finding comes back one by one, in order.

// repeatEstate is a small estate in which two resources share one
// properties document byte for byte.
func repeatEstate() []resource.Resource {
	rs := estate()
	shared := json.RawMessage(`{"shared":true,"versioning":{"status":"Enabled"}}`)
	rs[0].Properties = shared
	rs[1].Properties = shared
	rs[2].Tags = map[string]string{"env": "prod"}
	rs[2].CreatedAt = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	return rs
}

// passFindings returns a PASS finding of check on every resource of rs
// and a FAIL of check "fail" on the first.
func passFindings(rs []resource.Resource, check string) []finding.Finding {
	var fs []finding.Finding
	for _, r := range rs {
		fs = append(fs, finding.Finding{CheckID: check, Severity: finding.Medium, Status: finding.Pass, ResourceUID: r.UID})
	}
	return append(fs, finding.Finding{CheckID: "fail", Severity: finding.High, Status: finding.Fail, ResourceUID: rs[0].UID})
}

// snapshotContents is what readers see of one snapshot.
type snapshotContents struct {
	resources []resource.Resource
	findings  []finding.Finding
	props     []string // properties through the query view, by UID
}

func readSnapshot(t *testing.T, s store.Store, id int64) snapshotContents {
	t.Helper()
	ctx := t.Context()
	var c snapshotContents
	c.resources = collect(t, s.Resources(ctx, id, store.ResourceFilter{}))
	c.findings = collect(t, s.Findings(ctx, id, store.FindingFilter{}))
	for i := range c.findings {
		c.findings[i].FirstSeen = time.Time{} // compared across scopes
	}
	_, rows := queryAll(t, s, id, "SELECT uid, properties FROM resources ORDER BY uid")
	for _, r := range rows {
		c.props = append(c.props, fmt.Sprint(r[0])+" "+normalJSON(t, fmt.Sprint(r[1])))
	}
	return c
}

// normalJSON re-encodes a JSON document (backends may return jsonb text
// with other spacing through Query).
func normalJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("query view properties %q: %v", s, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sameContents(t *testing.T, what string, got, want snapshotContents) {
	t.Helper()
	if !reflect.DeepEqual(got.resources, want.resources) {
		t.Errorf("%s: Resources() =\n%+v\nwant\n%+v", what, got.resources, want.resources)
	}
	if !slices.Equal(got.findings, want.findings) {
		t.Errorf("%s: Findings() =\n%+v\nwant\n%+v", what, got.findings, want.findings)
	}
	if !slices.Equal(got.props, want.props) {
		t.Errorf("%s: query view properties =\n%q\nwant\n%q", what, got.props, want.props)
	}
}

// testRepeatedSnapshots: the same estate written in several snapshots reads
// back identically from each, including resources that share a document.
func testRepeatedSnapshots(t *testing.T, s store.Store) {
	rs := repeatEstate()
	fs := passFindings(rs, "pass")
	first := write(t, s, "daily", t0, rs, nil, nil, fs)
	want := readSnapshot(t, s, first)
	if len(want.resources) != len(rs) {
		t.Fatalf("Resources() = %d, want %d", len(want.resources), len(rs))
	}
	for _, r := range want.resources {
		var in resource.Resource
		for _, x := range rs {
			if x.UID == r.UID {
				in = x
			}
		}
		if string(r.Properties) != string(in.Properties) {
			t.Errorf("%s: properties = %s, want %s", r.UID, r.Properties, in.Properties)
		}
	}
	for day := 1; day <= 2; day++ {
		id := write(t, s, "daily", t0.Add(time.Duration(day)*24*time.Hour), rs, nil, nil, fs)
		sameContents(t, fmt.Sprintf("day %d", day), readSnapshot(t, s, id), want)
	}
	sameContents(t, "first snapshot after two more", readSnapshot(t, s, first), want)
	sn, err := s.Snapshot(t.Context(), first)
	must(t, err)
	if sn.Resources != int64(len(rs)) || sn.Findings != int64(len(fs)) {
		t.Errorf("counts = %d resources, %d findings; want %d, %d", sn.Resources, sn.Findings, len(rs), len(fs))
	}
}

// testChangedDocuments: a document that changes is read back changed only
// from the snapshots that wrote the change; a rolled-back snapshot that
// introduced documents and reused others leaves every other snapshot
// intact, and its documents may be written again later.
func testChangedDocuments(t *testing.T, s store.Store) {
	ctx := t.Context()
	rs := repeatEstate()
	first := write(t, s, "daily", t0, rs, nil, nil, passFindings(rs, "pass"))
	want1 := readSnapshot(t, s, first)

	changed := slices.Clone(rs)
	changed[0].Properties = json.RawMessage(`{"shared":false,"versioning":{"status":"Suspended"}}`)
	changed[3].Properties = changed[1].Properties // now three share one document
	second := write(t, s, "daily", t0.Add(24*time.Hour), changed, nil, nil, passFindings(changed, "pass"))
	want2 := readSnapshot(t, s, second)
	got := map[string]string{}
	for _, r := range want2.resources {
		got[r.UID] = string(r.Properties)
	}
	for _, r := range changed {
		if got[r.UID] != string(r.Properties) {
			t.Errorf("second snapshot: %s properties = %s, want %s", r.UID, got[r.UID], r.Properties)
		}
	}
	sameContents(t, "first snapshot after a change", readSnapshot(t, s, first), want1)

	// A failed snapshot: new documents, reused ones, then rolled back.
	w, err := s.Begin(ctx, "daily", t0.Add(48*time.Hour))
	must(t, err)
	failing := slices.Clone(changed)
	failing[2].Properties = json.RawMessage(`{"only":"in the failed snapshot"}`)
	for _, r := range failing {
		must(t, w.Resource(ctx, r))
	}
	must(t, w.Findings(ctx, passFindings(failing, "pass")))
	must(t, w.Flush(ctx))
	must(t, w.Rollback())
	sameContents(t, "first snapshot after a rollback", readSnapshot(t, s, first), want1)
	sameContents(t, "second snapshot after a rollback", readSnapshot(t, s, second), want2)

	// The rolled-back snapshot's document, written again, reads back.
	again := write(t, s, "daily", t0.Add(72*time.Hour), failing, nil, nil, nil)
	for _, r := range collect(t, s.Resources(ctx, again, store.ResourceFilter{})) {
		if r.UID == failing[2].UID && string(r.Properties) != string(failing[2].Properties) {
			t.Errorf("after rollback and rewrite: %s properties = %s, want %s", r.UID, r.Properties, failing[2].Properties)
		}
	}
}

// testManyPassFindings: PASS findings of many checks, written in many
// calls and interleaved with the other statuses, come back one by one in
// the contract's order, under every filter, and are counted.
func testManyPassFindings(t *testing.T, s store.Store) {
	ctx := t.Context()
	var rs []resource.Resource
	for i := range 300 {
		// UIDs written out of order, over three accounts.
		uid := fmt.Sprintf("arn:aws:s3:::b-%03d", (i*7919)%300)
		rs = append(rs, res(resource.AWS, fmt.Sprintf("%03d", i%3), "us-east-1", "aws_s3_bucket", uid))
	}
	checks := []struct {
		id  string
		sev finding.Severity
	}{{"z-low", finding.Low}, {"a-high", finding.High}, {"m-high", finding.High}, {"c-info", finding.Info}}
	var all []finding.Finding
	for i, r := range rs {
		for j, c := range checks {
			f := finding.Finding{CheckID: c.id, Severity: c.sev, Status: finding.Pass, ResourceUID: r.UID,
				ResourceName: r.Name, Kind: r.Kind, Provider: string(r.Provider), Account: r.Account, Region: r.Region}
			switch (i + j) % 17 {
			case 0:
				f.Status = finding.Fail
			case 5:
				f.Status, f.Reason = finding.Error, "no data"
			case 9:
				f.Reason = "passed with a note" // a PASS with a reason
			}
			all = append(all, f)
		}
	}
	w, err := s.Begin(ctx, "passes", t0)
	must(t, err)
	for _, r := range rs {
		must(t, w.Resource(ctx, r))
	}
	for chunk := range slices.Chunk(all, 37) {
		must(t, w.Findings(ctx, chunk))
	}
	must(t, w.Commit(ctx))
	id := w.ID()
	// Another snapshot with the same findings must not leak into this one.
	write(t, s, "passes", t0.Add(time.Hour), rs, nil, nil, all[:50])

	for i := range all {
		if all[i].Status != finding.Pass {
			all[i].FirstSeen = t0
		}
	}
	slices.SortFunc(all, func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), strings.Compare(a.CheckID, b.CheckID), strings.Compare(a.ResourceUID, b.ResourceUID))
	})
	keep := func(f func(finding.Finding) bool) []finding.Finding {
		var out []finding.Finding
		for _, x := range all {
			if f(x) {
				out = append(out, x)
			}
		}
		return out
	}
	tests := []struct {
		name   string
		filter store.FindingFilter
		want   []finding.Finding
	}{
		{"all", store.FindingFilter{}, all},
		{"pass only", store.FindingFilter{Statuses: []finding.Status{finding.Pass}}, keep(func(f finding.Finding) bool { return f.Status == finding.Pass })},
		{"pass and fail", store.FindingFilter{Statuses: []finding.Status{finding.Fail, finding.Pass}}, keep(func(f finding.Finding) bool { return f.Status == finding.Pass || f.Status == finding.Fail })},
		{"not pass", store.FindingFilter{Statuses: []finding.Status{finding.Fail, finding.Error}}, keep(func(f finding.Finding) bool { return f.Status == finding.Fail || f.Status == finding.Error })},
		{"min severity", store.FindingFilter{MinSeverity: finding.High}, keep(func(f finding.Finding) bool { return f.Severity >= finding.High })},
		{"check ids", store.FindingFilter{CheckIDs: []string{"z-low", "c-info"}}, keep(func(f finding.Finding) bool { return f.CheckID == "z-low" || f.CheckID == "c-info" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(t, s.Findings(ctx, id, tt.filter))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Findings(%+v): %d findings, want %d", tt.filter, len(got), len(tt.want))
				for i := range min(len(got), len(tt.want)) {
					if got[i] != tt.want[i] {
						t.Errorf("first difference at %d: got %+v, want %+v", i, got[i], tt.want[i])
						break
					}
				}
			}
		})
	}
	sn, err := s.Snapshot(ctx, id)
	must(t, err)
	if sn.Findings != int64(len(all)) {
		t.Errorf("Snapshot.Findings = %d, want %d", sn.Findings, len(all))
	}
	_, rows := queryAll(t, s, id, "SELECT status, count(*) FROM findings GROUP BY status ORDER BY status")
	var gotCounts []string
	for _, r := range rows {
		gotCounts = append(gotCounts, fmt.Sprint(r[0], "=", r[1]))
	}
	counts := map[finding.Status]int{}
	for _, f := range all {
		counts[f.Status]++
	}
	var wantCounts []string
	for _, st := range []finding.Status{finding.Error, finding.Fail, finding.Pass} {
		wantCounts = append(wantCounts, fmt.Sprint(st, "=", counts[st]))
	}
	if !slices.Equal(gotCounts, wantCounts) {
		t.Errorf("query view findings by status = %v, want %v", gotCounts, wantCounts)
	}
}
