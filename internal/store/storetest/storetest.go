// Package storetest is the conformance suite every store.Store backend must
// pass. A backend's test calls Run (or RunWith, to name its SQL dialect's
// JSON functions) with a function that opens a fresh, empty store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { … })
//	}
package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// Options describes a backend's SQL dialect, for the Query cases.
type Options struct {
	// JSONText returns an SQL expression for the string at a JSON path
	// ('$.a.b[1]' syntax) in a JSON column of the query views, NULL when
	// the path is missing. nil means SQLite's json_extract(column, 'path').
	JSONText func(column, path string) string
	// JSONNumber is JSONText for a number, as an SQL floating-point value.
	// nil means SQLite's json_extract(column, 'path').
	JSONNumber func(column, path string) string
}

func sqliteJSON(column, path string) string {
	return "json_extract(" + column + ", '" + path + "')"
}

// PostgresJSON is the JSONText and JSONNumber pair for PostgreSQL, whose
// query views expose JSON columns as jsonb.
func PostgresJSON() Options {
	return Options{
		JSONText: func(column, path string) string {
			return "(jsonb_path_query_first(" + column + ", '" + path + "') #>> '{}')"
		},
		JSONNumber: func(column, path string) string {
			return "(jsonb_path_query_first(" + column + ", '" + path + "') #>> '{}')::float8"
		},
	}
}

// Run runs every conformance case as a subtest, with SQLite's JSON
// functions in the Query cases. open must return a new empty store; Run
// closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	RunWith(t, Options{}, open)
}

// RunWith is Run for a backend whose SQL dialect opts describes.
func RunWith(t *testing.T, opts Options, open func(t *testing.T) store.Store) {
	if opts.JSONText == nil {
		opts.JSONText = sqliteJSON
	}
	if opts.JSONNumber == nil {
		opts.JSONNumber = sqliteJSON
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"BeginWriteCommitList", testBeginWriteCommitList},
		{"Latest", testLatest},
		{"RunningInvisible", testRunningInvisible},
		{"Rollback", testRollback},
		{"RollbackAfterCommit", testRollbackAfterCommit},
		{"ConcurrentWriters", testConcurrentWriters},
		{"ResourcesFilterAndOrder", testResourcesFilterAndOrder},
		{"DuplicateResourceKeepsLast", testDuplicateResource},
		{"EdgesFilter", testEdgesFilter},
		{"CollectionErrors", testCollectionErrors},
		{"Findings", testFindings},
		{"FindingValidation", testFindingValidation},
		{"QueryViewsLimitedToSnapshot", func(t *testing.T, s store.Store) { testQueryViews(t, s, opts) }},
		{"QueryRejectsWrites", testQueryRejectsWrites},
		{"RoundTripExact", func(t *testing.T, s store.Store) { testRoundTripExact(t, s, opts) }},
		{"UnknownSnapshot", testUnknownSnapshot},
		{"FirstSeen", testFirstSeen},
		{"RepeatedSnapshots", testRepeatedSnapshots},
		{"ChangedDocuments", testChangedDocuments},
		{"ManyPassFindings", testManyPassFindings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// res builds a valid resource.
func res(provider resource.Provider, account, region, kind, uid string) resource.Resource {
	return resource.Resource{
		UID: uid, Provider: provider, Account: account, Region: region, Kind: kind,
		Name:       uid[strings.LastIndexAny(uid, ":/")+1:],
		Properties: json.RawMessage(fmt.Sprintf(`{"uid":%q,"versioning":{"status":"Enabled"}}`, uid)),
	}
}

func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("iterate: %v", err)
		}
		out = append(out, v)
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// write begins a snapshot, writes rs, edges, errs and fs, and commits.
func write(t *testing.T, s store.Store, scope string, started time.Time, rs []resource.Resource, es []resource.Edge, errs []resource.CollectionError, fs []finding.Finding) int64 {
	t.Helper()
	ctx := t.Context()
	w, err := s.Begin(ctx, scope, started)
	must(t, err)
	for _, r := range rs {
		must(t, w.Resource(ctx, r))
	}
	for _, e := range es {
		must(t, w.Edge(ctx, e))
	}
	for _, e := range errs {
		must(t, w.Error(ctx, e))
	}
	if len(fs) > 0 {
		must(t, w.Findings(ctx, fs))
	}
	must(t, w.Commit(ctx))
	return w.ID()
}

func uids(rs []resource.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.UID
	}
	return out
}

func testBeginWriteCommitList(t *testing.T, s store.Store) {
	ctx := t.Context()
	rs := []resource.Resource{
		res(resource.AWS, "111", "us-east-1", "aws_s3_bucket", "arn:aws:s3:::a"),
		res(resource.AWS, "111", "us-east-1", "aws_s3_bucket", "arn:aws:s3:::b"),
		res(resource.GCP, "proj", "global", "gcp_storage_bucket", "//storage.googleapis.com/c"),
	}
	es := []resource.Edge{{From: "arn:aws:s3:::a", To: "arn:aws:s3:::b", Type: "logs_to"}}
	errs := []resource.CollectionError{{Provider: resource.AWS, Account: "111", Region: "eu-west-3", Service: "ec2", Op: "ec2:DescribeInstances", Kind: resource.Denied, Message: "access denied"}}
	fs := []finding.Finding{{CheckID: "c1", Severity: finding.High, Status: finding.Fail, ResourceUID: "arn:aws:s3:::a"}}
	before := time.Now()
	id := write(t, s, "test scope", t0, rs, es, errs, fs)

	list, err := s.Snapshots(ctx)
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("Snapshots() = %d snapshots, want 1", len(list))
	}
	got := list[0]
	if got.ID != id || got.Scope != "test scope" || got.Status != store.Complete || !got.StartedAt.Equal(t0) {
		t.Errorf("snapshot = %+v, want id %d, scope, complete, started %v", got, id, t0)
	}
	if got.Resources != 3 || got.Edges != 1 || got.Errors != 1 || got.Findings != 1 {
		t.Errorf("counts = %d/%d/%d/%d, want 3/1/1/1", got.Resources, got.Edges, got.Errors, got.Findings)
	}
	if got.FinishedAt.Before(before.Add(-time.Second)) || got.FinishedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("FinishedAt = %v, want about now", got.FinishedAt)
	}
	one, err := s.Snapshot(ctx, id)
	must(t, err)
	if !reflect.DeepEqual(one, got) {
		t.Errorf("Snapshot(%d) = %+v, Snapshots()[0] = %+v", id, one, got)
	}
	if n := len(collect(t, s.Resources(ctx, id, store.ResourceFilter{}))); n != 3 {
		t.Errorf("Resources() = %d, want 3", n)
	}
}

func testLatest(t *testing.T, s store.Store) {
	ctx := t.Context()
	if _, err := s.Latest(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Latest() on empty store: err = %v, want ErrNotFound", err)
	}
	list, err := s.Snapshots(ctx)
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("Snapshots() on empty store = %v", list)
	}
	r := []resource.Resource{res(resource.AWS, "1", "us-east-1", "aws_s3_bucket", "arn:aws:s3:::x")}
	first := write(t, s, "first", t0, r, nil, nil, nil)
	second := write(t, s, "second", t0.Add(time.Hour), r, nil, nil, nil)
	third := write(t, s, "third", t0.Add(2*time.Hour), r, nil, nil, nil)
	latest, err := s.Latest(ctx)
	must(t, err)
	if latest.ID != third {
		t.Errorf("Latest() = %d, want %d", latest.ID, third)
	}
	list, err = s.Snapshots(ctx)
	must(t, err)
	var ids []int64
	for _, sn := range list {
		ids = append(ids, sn.ID)
	}
	if want := []int64{third, second, first}; !slices.Equal(ids, want) {
		t.Errorf("Snapshots() ids = %v, want newest first %v", ids, want)
	}
}

func testRunningInvisible(t *testing.T, s store.Store) {
	ctx := t.Context()
	done := write(t, s, "done", t0, []resource.Resource{res(resource.AWS, "1", "r", "aws_s3_bucket", "arn:old")}, nil, nil, nil)
	w, err := s.Begin(ctx, "running", t0.Add(time.Hour))
	must(t, err)
	t.Cleanup(func() { w.Rollback() })
	must(t, w.Resource(ctx, res(resource.AWS, "1", "r", "aws_s3_bucket", "arn:new")))
	must(t, w.Flush(ctx))

	latest, err := s.Latest(ctx)
	must(t, err)
	if latest.ID != done {
		t.Errorf("Latest() = %d, want the complete snapshot %d", latest.ID, done)
	}
	list, err := s.Snapshots(ctx)
	must(t, err)
	if len(list) != 1 || list[0].ID != done {
		t.Errorf("Snapshots() = %+v, want only %d", list, done)
	}
	sn, err := s.Snapshot(ctx, w.ID())
	must(t, err)
	if sn.Status != store.Running {
		t.Errorf("Snapshot(running).Status = %q, want running", sn.Status)
	}
	// The engine evaluates a running snapshot: flushed rows are visible.
	got := uids(collect(t, s.Resources(ctx, w.ID(), store.ResourceFilter{})))
	if !slices.Equal(got, []string{"arn:new"}) {
		t.Errorf("Resources(running) = %v, want [arn:new]", got)
	}
}

func testRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	w, err := s.Begin(ctx, "rolled back", t0)
	must(t, err)
	must(t, w.Resource(ctx, res(resource.AWS, "1", "r", "aws_s3_bucket", "arn:a")))
	must(t, w.Edge(ctx, resource.Edge{From: "arn:a", To: "arn:b", Type: "t"}))
	must(t, w.Findings(ctx, []finding.Finding{{CheckID: "c", Status: finding.Pass, ResourceUID: "arn:a"}}))
	must(t, w.Flush(ctx))
	must(t, w.Rollback())
	must(t, w.Rollback()) // idempotent
	sn, err := s.Snapshot(ctx, w.ID())
	must(t, err)
	if sn.Status != store.Failed {
		t.Errorf("status after Rollback = %q, want failed", sn.Status)
	}
	if n := len(collect(t, s.Resources(ctx, w.ID(), store.ResourceFilter{}))); n != 0 {
		t.Errorf("Resources after Rollback = %d, want 0", n)
	}
	if n := len(collect(t, s.Edges(ctx, w.ID(), store.EdgeFilter{}))); n != 0 {
		t.Errorf("Edges after Rollback = %d, want 0", n)
	}
	if n := len(collect(t, s.Findings(ctx, w.ID(), store.FindingFilter{}))); n != 0 {
		t.Errorf("Findings after Rollback = %d, want 0", n)
	}
	if err := w.Commit(ctx); err == nil {
		t.Error("Commit after Rollback succeeded")
	}
	if err := w.Resource(ctx, res(resource.AWS, "1", "r", "aws_s3_bucket", "arn:c")); err == nil {
		t.Error("Resource after Rollback succeeded")
	}
	if _, err := s.Latest(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Latest() after Rollback: err = %v, want ErrNotFound", err)
	}

	// A new snapshot after a rollback is unaffected.
	id := write(t, s, "kept", t0, []resource.Resource{res(resource.AWS, "1", "r", "aws_s3_bucket", "arn:k")}, nil, nil, nil)
	list, err := s.Snapshots(ctx)
	must(t, err)
	if len(list) != 1 || list[0].ID != id {
		t.Fatalf("Snapshots() = %+v", list)
	}
}

func testRollbackAfterCommit(t *testing.T, s store.Store) {
	ctx := t.Context()
	w, err := s.Begin(ctx, "c", t0)
	must(t, err)
	must(t, w.Resource(ctx, res(resource.AWS, "1", "r", "aws_s3_bucket", "arn:a")))
	must(t, w.Commit(ctx))
	must(t, w.Rollback())
	sn, err := s.Snapshot(ctx, w.ID())
	must(t, err)
	if sn.Status != store.Complete || sn.Resources != 1 {
		t.Errorf("after Commit+Rollback: %+v, want complete with 1 resource", sn)
	}
	if err := w.Commit(ctx); err == nil {
		t.Error("second Commit succeeded")
	}
}

func testConcurrentWriters(t *testing.T, s store.Store) {
	ctx := t.Context()
	w, err := s.Begin(ctx, "concurrent", t0)
	must(t, err)
	const workers, each = 16, 700
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				uid := fmt.Sprintf("arn:aws:ec2:us-east-1:%03d:instance/i-%05d", g, i)
				r := res(resource.AWS, fmt.Sprintf("%03d", g), "us-east-1", "aws_ec2_instance", uid)
				if err := w.Resource(ctx, r); err != nil {
					errc <- err
					return
				}
				if err := w.Edge(ctx, resource.Edge{From: uid, To: uid + "/vol", Type: "attached_volume"}); err != nil {
					errc <- err
					return
				}
				if err := w.Findings(ctx, []finding.Finding{{CheckID: "ec2-check", Severity: finding.Low, Status: finding.Pass, ResourceUID: uid}}); err != nil {
					errc <- err
					return
				}
				if i%100 == 0 {
					if err := w.Error(ctx, resource.CollectionError{Provider: resource.AWS, Account: "a", Region: "r", Service: "s", Op: "o", Kind: resource.Throttled, Message: "m"}); err != nil {
						errc <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	must(t, w.Commit(ctx))
	sn, err := s.Snapshot(ctx, w.ID())
	must(t, err)
	n := int64(workers * each)
	if sn.Resources != n || sn.Edges != n || sn.Findings != n || sn.Errors != workers*7 {
		t.Errorf("counts = %d/%d/%d/%d, want %d/%d/%d/%d", sn.Resources, sn.Edges, sn.Findings, sn.Errors, n, n, n, workers*7)
	}
	got := collect(t, s.Resources(ctx, w.ID(), store.ResourceFilter{}))
	if int64(len(got)) != n {
		t.Fatalf("Resources() = %d, want %d", len(got), n)
	}
	if !slices.IsSortedFunc(got, func(a, b resource.Resource) int {
		return strings.Compare(a.Account+"\x00"+a.UID, b.Account+"\x00"+b.UID)
	}) {
		t.Error("Resources() not ordered by account, uid")
	}
	if fs := collect(t, s.Findings(ctx, w.ID(), store.FindingFilter{})); int64(len(fs)) != n {
		t.Errorf("Findings() = %d, want %d", len(fs), n)
	}
}

func estate() []resource.Resource {
	return []resource.Resource{
		res(resource.AWS, "222", "us-east-1", "aws_s3_bucket", "arn:aws:s3:::z"),
		res(resource.AWS, "111", "eu-west-1", "aws_ec2_instance", "arn:aws:ec2:eu-west-1:111:instance/i-2"),
		res(resource.AWS, "111", "us-east-1", "aws_ec2_instance", "arn:aws:ec2:us-east-1:111:instance/i-1"),
		res(resource.AWS, "111", "global", "aws_s3_bucket", "arn:aws:s3:::a"),
		res(resource.GCP, "proj-b", "europe-west1", "gcp_compute_instance", "//compute.googleapis.com/projects/proj-b/zones/europe-west1-b/instances/vm"),
		res(resource.Azure, "sub-1", "westeurope", "azure_storage_account", "/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa"),
		res(resource.DigitalOcean, "team", "nyc3", "do_droplet", "do:droplet:42"),
		res(resource.AWS, "222", "us-east-1", "aws_ec2_volume", "arn:aws:ec2:us-east-1:222:volume/vol-1"),
	}
}

func testResourcesFilterAndOrder(t *testing.T, s store.Store) {
	ctx := t.Context()
	rs := estate()
	shuffled := slices.Clone(rs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	// Another snapshot's resources must never leak in.
	write(t, s, "other", t0, []resource.Resource{res(resource.AWS, "111", "us-east-1", "aws_s3_bucket", "arn:aws:s3:::other")}, nil, nil, nil)
	id := write(t, s, "estate", t0, shuffled, nil, nil, nil)

	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b resource.Resource) int {
		if c := strings.Compare(a.Account, b.Account); c != 0 {
			return c
		}
		return strings.Compare(a.UID, b.UID)
	})
	keep := func(f func(resource.Resource) bool) []string {
		var out []string
		for _, r := range sorted {
			if f(r) {
				out = append(out, r.UID)
			}
		}
		return out
	}
	tests := []struct {
		name   string
		filter store.ResourceFilter
		want   []string
	}{
		{"all", store.ResourceFilter{}, uids(sorted)},
		{"provider", store.ResourceFilter{Provider: resource.AWS}, keep(func(r resource.Resource) bool { return r.Provider == resource.AWS })},
		{"account", store.ResourceFilter{Account: "111"}, keep(func(r resource.Resource) bool { return r.Account == "111" })},
		{"region", store.ResourceFilter{Region: "us-east-1"}, keep(func(r resource.Resource) bool { return r.Region == "us-east-1" })},
		{"kinds", store.ResourceFilter{Kinds: []string{"aws_s3_bucket", "do_droplet"}}, keep(func(r resource.Resource) bool { return r.Kind == "aws_s3_bucket" || r.Kind == "do_droplet" })},
		{"combined", store.ResourceFilter{Provider: resource.AWS, Account: "222", Region: "us-east-1", Kinds: []string{"aws_ec2_volume"}}, []string{"arn:aws:ec2:us-east-1:222:volume/vol-1"}},
		{"no match", store.ResourceFilter{Kinds: []string{"nope"}}, nil},
		{"uids", store.ResourceFilter{UIDs: []string{"arn:aws:ec2:us-east-1:222:volume/vol-1", "missing", sorted[0].UID}}, keep(func(r resource.Resource) bool {
			return r.UID == "arn:aws:ec2:us-east-1:222:volume/vol-1" || r.UID == sorted[0].UID
		})},
		{"uids and kinds", store.ResourceFilter{UIDs: []string{"arn:aws:ec2:us-east-1:222:volume/vol-1"}, Kinds: []string{"aws_s3_bucket"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := uids(collect(t, s.Resources(ctx, id, tt.filter)))
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("Resources(%+v) =\n%v\nwant\n%v", tt.filter, got, tt.want)
			}
		})
	}
	t.Run("early break", func(t *testing.T) {
		n := 0
		for _, err := range s.Resources(ctx, id, store.ResourceFilter{}) {
			must(t, err)
			n++
			if n == 2 {
				break
			}
		}
		if n != 2 {
			t.Errorf("read %d, want 2", n)
		}
	})
}

func testDuplicateResource(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := res(resource.AWS, "1", "global", "aws_iam_user", "arn:aws:iam::1:user/bob")
	b := a
	b.Name = "bob-v2"
	b.Properties = json.RawMessage(`{"v":2}`)
	id := write(t, s, "dup", t0, []resource.Resource{a, b}, nil, nil, nil)
	got := collect(t, s.Resources(ctx, id, store.ResourceFilter{}))
	if len(got) != 1 || got[0].Name != "bob-v2" || string(got[0].Properties) != `{"v":2}` {
		t.Errorf("Resources() = %+v, want the last version only", got)
	}
	sn, err := s.Snapshot(ctx, id)
	must(t, err)
	if sn.Resources != 1 {
		t.Errorf("Snapshot.Resources = %d, want 1", sn.Resources)
	}
}

func testEdgesFilter(t *testing.T, s store.Store) {
	ctx := t.Context()
	rs := estate()
	inst := "arn:aws:ec2:us-east-1:111:instance/i-1"
	vol := "arn:aws:ec2:us-east-1:222:volume/vol-1"
	bucket := "arn:aws:s3:::a"
	es := []resource.Edge{
		{From: inst, To: vol, Type: "attached_volume"},
		{From: inst, To: vol, Type: "attached_volume"},                              // duplicate: kept once
		{From: bucket, To: "arn:aws:kms:us-east-1:111:key/k", Type: "uses_kms_key"}, // target not collected
		{From: inst, To: bucket, Type: "reads_from"},
	}
	write(t, s, "other", t0, nil, []resource.Edge{{From: inst, To: bucket, Type: "other_snapshot"}}, nil, nil)
	id := write(t, s, "edges", t0, rs, es, nil, nil)
	tests := []struct {
		name   string
		filter store.EdgeFilter
		want   []resource.Edge
	}{
		{"all", store.EdgeFilter{}, []resource.Edge{es[0], es[3], es[2]}},
		{"from kinds", store.EdgeFilter{FromKinds: []string{"aws_ec2_instance"}}, []resource.Edge{es[0], es[3]}},
		{"to kinds", store.EdgeFilter{ToKinds: []string{"aws_s3_bucket", "aws_ec2_volume"}}, []resource.Edge{es[0], es[3]}},
		{"both", store.EdgeFilter{FromKinds: []string{"aws_ec2_instance"}, ToKinds: []string{"aws_ec2_volume"}}, []resource.Edge{es[0]}},
		{"from bucket", store.EdgeFilter{FromKinds: []string{"aws_s3_bucket"}}, []resource.Edge{es[2]}},
		{"to uncollected kind", store.EdgeFilter{ToKinds: []string{"aws_kms_key"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(t, s.Edges(ctx, id, tt.filter))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Edges(%+v) =\n%v\nwant (ordered by from, type, to)\n%v", tt.filter, got, tt.want)
			}
		})
	}
}

func testCollectionErrors(t *testing.T, s store.Store) {
	ctx := t.Context()
	errs := []resource.CollectionError{
		{Provider: resource.AWS, Account: "111", Region: "ap-east-1", Service: "ec2", Op: "ec2:DescribeInstances", Kind: resource.NotEnabled, Message: "region opted out"},
		{Provider: resource.GCP, Account: "proj", Region: "global", Service: "iam", Op: "iam.serviceAccounts.list", Kind: resource.Denied, Message: "permission denied: ünïcödé ✓"},
		{Provider: resource.Azure, Account: "sub", Region: "westeurope", Service: "storage", Op: "StorageAccounts.List", Kind: resource.Throttled, Message: strings.Repeat("x", 5000)},
	}
	id := write(t, s, "errors", t0, nil, nil, errs, nil)
	empty := write(t, s, "none", t0, nil, nil, nil, nil)
	got, err := s.CollectionErrors(ctx, id)
	must(t, err)
	if !reflect.DeepEqual(got, errs) {
		t.Errorf("CollectionErrors() =\n%+v\nwant\n%+v", got, errs)
	}
	got, err = s.CollectionErrors(ctx, empty)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("CollectionErrors(empty) = %+v", got)
	}
}

func testFindings(t *testing.T, s store.Store) {
	ctx := t.Context()
	rs := estate()
	byUID := map[string]resource.Resource{}
	for _, r := range rs {
		byUID[r.UID] = r
	}
	mk := func(check string, sev finding.Severity, st finding.Status, uid, reason string) finding.Finding {
		r := byUID[uid]
		fd := finding.Finding{CheckID: check, Severity: sev, Status: st, Reason: reason, ResourceUID: uid,
			ResourceName: r.Name, Kind: r.Kind, Provider: string(r.Provider), Account: r.Account, Region: r.Region}
		if st != finding.Pass {
			fd.FirstSeen = t0 // the scope's first snapshot, started at t0
		}
		return fd
	}
	s3a, s3z := "arn:aws:s3:::a", "arn:aws:s3:::z"
	i1 := "arn:aws:ec2:us-east-1:111:instance/i-1"
	drop := "do:droplet:42"
	fs := []finding.Finding{
		mk("s3-public", finding.Critical, finding.Fail, s3z, ""),
		mk("s3-public", finding.Critical, finding.Pass, s3a, ""),
		mk("ec2-imdsv2", finding.High, finding.Fail, i1, ""),
		mk("do-backups", finding.Medium, finding.Error, drop, "backups field missing"),
		mk("s3-versioning", finding.Low, finding.Muted, s3a, "accepted risk until 2026"),
		mk("a-info", finding.Info, finding.Pass, drop, ""),
		mk("b-high", finding.High, finding.Fail, s3a, ""),
	}
	w, err := s.Begin(ctx, "findings", t0)
	must(t, err)
	for _, r := range rs {
		must(t, w.Resource(ctx, r))
	}
	// Findings written before the resources are flushed, in two calls, with
	// the joined fields left empty: the store fills them in.
	for _, half := range [][]finding.Finding{fs[:3], fs[3:]} {
		bare := slices.Clone(half)
		for i := range bare {
			bare[i].ResourceName, bare[i].Kind, bare[i].Provider, bare[i].Account, bare[i].Region = "", "", "", "", ""
		}
		must(t, w.Findings(ctx, bare))
	}
	must(t, w.Commit(ctx))
	id := w.ID()
	write(t, s, "other", t0, []resource.Resource{byUID[s3a]}, nil, nil, []finding.Finding{mk("other-snap", finding.Critical, finding.Fail, s3a, "")})

	ordered := slices.Clone(fs)
	slices.SortFunc(ordered, func(a, b finding.Finding) int {
		if a.Severity != b.Severity {
			return int(b.Severity - a.Severity)
		}
		if c := strings.Compare(a.CheckID, b.CheckID); c != 0 {
			return c
		}
		return strings.Compare(a.ResourceUID, b.ResourceUID)
	})
	keep := func(f func(finding.Finding) bool) []finding.Finding {
		var out []finding.Finding
		for _, x := range ordered {
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
		{"all", store.FindingFilter{}, ordered},
		{"statuses", store.FindingFilter{Statuses: []finding.Status{finding.Fail, finding.Error}}, keep(func(f finding.Finding) bool { return f.Status == finding.Fail || f.Status == finding.Error })},
		{"min severity", store.FindingFilter{MinSeverity: finding.High}, keep(func(f finding.Finding) bool { return f.Severity >= finding.High })},
		{"check ids", store.FindingFilter{CheckIDs: []string{"s3-public", "a-info"}}, keep(func(f finding.Finding) bool { return f.CheckID == "s3-public" || f.CheckID == "a-info" })},
		{"combined", store.FindingFilter{Statuses: []finding.Status{finding.Fail}, MinSeverity: finding.Critical, CheckIDs: []string{"s3-public"}}, []finding.Finding{mk("s3-public", finding.Critical, finding.Fail, s3z, "")}},
		{"none", store.FindingFilter{CheckIDs: []string{"nope"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(t, s.Findings(ctx, id, tt.filter))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Findings(%+v) =\n%+v\nwant\n%+v", tt.filter, got, tt.want)
			}
		})
	}
}

// testFindingValidation: findings with an unknown status or severity are
// refused when written. (Findings name resources by UID and the engine only
// evaluates resources read from the snapshot, so stores do not look each
// resource up on write: that index search per finding was the dominant
// cost of writing millions of findings.)
func testFindingValidation(t *testing.T, s store.Store) {
	ctx := t.Context()
	w, err := s.Begin(ctx, "bad finding", t0)
	must(t, err)
	defer w.Rollback()
	must(t, w.Resource(ctx, res(resource.AWS, "1", "r", "aws_s3_bucket", "arn:a")))
	if err := w.Findings(ctx, []finding.Finding{{CheckID: "c", Status: "BOGUS", ResourceUID: "arn:a"}}); err == nil {
		t.Error("a finding with an unknown status was accepted")
	}
	if err := w.Findings(ctx, []finding.Finding{{CheckID: "c", Status: finding.Fail, Severity: 9, ResourceUID: "arn:a"}}); err == nil {
		t.Error("a finding with an unknown severity was accepted")
	}
	if err := w.Findings(ctx, []finding.Finding{{Status: finding.Fail, ResourceUID: "arn:a"}}); err == nil {
		t.Error("a finding without a check ID was accepted")
	}
}

// queryAll runs q and returns its columns and rows.
func queryAll(t *testing.T, s store.Store, id int64, q string) ([]string, [][]any) {
	t.Helper()
	rows, err := s.Query(t.Context(), id, q)
	if err != nil {
		t.Fatalf("Query(%q): %v", q, err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		v, err := rows.Values()
		must(t, err)
		out = append(out, v)
	}
	must(t, rows.Err())
	return rows.Columns(), out
}

func testQueryViews(t *testing.T, s store.Store, opts Options) {
	rs := estate()
	rs[0].Tags = map[string]string{"env": "prod"}
	rs[0].Properties = json.RawMessage(`{"versioning":{"status":"Suspended"}}`)
	es := []resource.Edge{{From: rs[1].UID, To: rs[2].UID, Type: "peer"}}
	errs := []resource.CollectionError{{Provider: resource.AWS, Account: "111", Region: "r", Service: "s3", Op: "s3:GetBucketPolicy", Kind: resource.Denied, Message: "m"}}
	fs := []finding.Finding{{CheckID: "s3-versioning", Severity: finding.High, Status: finding.Fail, ResourceUID: rs[0].UID}}
	other := write(t, s, "other", t0, []resource.Resource{res(resource.AWS, "9", "r", "aws_s3_bucket", "arn:other")},
		[]resource.Edge{{From: "x", To: "y", Type: "z"}}, errs, []finding.Finding{{CheckID: "x", Status: finding.Pass, ResourceUID: "arn:other"}})
	id := write(t, s, "query", t0, rs, es, errs, fs)

	tests := []struct {
		name     string
		snapshot int64
		query    string
		cols     []string
		rows     [][]any
	}{
		{"count", id, "select count(*) as n from resources", []string{"n"}, [][]any{{int64(len(rs))}}},
		{"count other", other, "select count(*) as n from resources", []string{"n"}, [][]any{{int64(1)}}},
		{"group by kind", id, "select kind, count(*) as n from resources where provider = 'aws' group by kind order by kind",
			[]string{"kind", "n"}, [][]any{{"aws_ec2_instance", int64(2)}, {"aws_ec2_volume", int64(1)}, {"aws_s3_bucket", int64(2)}}},
		{"json properties", id, "select name from resources where " + opts.JSONText("properties", "$.versioning.status") + " != 'Enabled'",
			[]string{"name"}, [][]any{{rs[0].Name}}},
		{"tags as json text", id, "select tags from resources where uid = 'arn:aws:s3:::z'", []string{"tags"}, [][]any{{`{"env":"prod"}`}}},
		{"properties as text", id, "select properties from resources where uid = 'arn:aws:s3:::z'", []string{"properties"}, [][]any{{`{"versioning":{"status":"Suspended"}}`}}},
		{"edges", id, "select from_uid, to_uid, type from edges", []string{"from_uid", "to_uid", "type"}, [][]any{{rs[1].UID, rs[2].UID, "peer"}}},
		{"findings", id, "select check_id, status, severity, reason, resource_uid, kind, provider, account, region, resource_name from findings",
			[]string{"check_id", "status", "severity", "reason", "resource_uid", "kind", "provider", "account", "region", "resource_name"},
			[][]any{{"s3-versioning", "FAIL", "high", "", rs[0].UID, rs[0].Kind, "aws", rs[0].Account, rs[0].Region, rs[0].Name}}},
		{"collection errors", id, "select provider, account, region, service, op, kind, message from collection_errors",
			[]string{"provider", "account", "region", "service", "op", "kind", "message"},
			[][]any{{"aws", "111", "r", "s3", "s3:GetBucketPolicy", "denied", "m"}}},
		{"cte and trailing semicolon", id, "with b as (select * from resources where kind = 'aws_s3_bucket') select count(*) as n from b; -- done",
			[]string{"n"}, [][]any{{int64(2)}}},
		{"null", id, "select null as x", []string{"x"}, [][]any{{nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, rows := queryAll(t, s, tt.snapshot, tt.query)
			if !slices.Equal(cols, tt.cols) {
				t.Errorf("columns = %v, want %v", cols, tt.cols)
			}
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("rows = %#v, want %#v", rows, tt.rows)
			}
		})
	}
}

func testQueryRejectsWrites(t *testing.T, s store.Store) {
	ctx := t.Context()
	id := write(t, s, "guarded", t0, estate(), nil, nil, nil)
	stmts := []string{
		"insert into resources (uid) values ('x')",
		"delete from resources",
		"update resources set name = 'x'",
		"drop view resources",
		"drop table snap_resources",
		"create table x (a)",
		"create temp table x (a)",
		"attach database ':memory:' as x",
		"pragma query_only = 0",
		"select 1; delete from resources",
		"select 1; select 2",
		"with x as (select 1) delete from snap_resources",
		"with x as (select 1) insert into snap_resources (uid) select * from x",
		"begin",
		"vacuum",
		"/* comment */ DELETE FROM resources",
	}
	for _, q := range stmts {
		t.Run(q, func(t *testing.T) {
			rows, err := s.Query(ctx, id, q)
			if err == nil {
				for rows.Next() {
				}
				err = rows.Err()
				rows.Close()
			}
			if !errors.Is(err, store.ErrReadOnly) {
				t.Errorf("Query(%q) err = %v, want ErrReadOnly", q, err)
			}
		})
	}
	_, rows := queryAll(t, s, id, "select count(*) as n from resources")
	if rows[0][0] != int64(len(estate())) {
		t.Errorf("after write attempts: %v resources, want %d", rows[0][0], len(estate()))
	}
	if _, err := s.Query(ctx, id, "select nope from resources"); err == nil || errors.Is(err, store.ErrReadOnly) {
		t.Errorf("bad column: err = %v, want a plain SQL error", err)
	}
}

func testRoundTripExact(t *testing.T, s store.Store, opts Options) {
	ctx := t.Context()
	var big strings.Builder
	big.WriteString(`{"items":[`)
	for i := range 20000 {
		if i > 0 {
			big.WriteString(",")
		}
		fmt.Fprintf(&big, `{"i":%d,"s":"välue %d ✓ \"q\" \\ \u00e9"}`, i, i)
	}
	big.WriteString(`],"nested":{"deep":{"deeper":[1,2.5,-3e10,true,false,null]}}}`)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	rs := []resource.Resource{
		{UID: "arn:unicode:ü✓", Provider: resource.AWS, Account: "1", Region: "global", Kind: "aws_iam_user", Name: "名前 😀",
			Tags:       map[string]string{"owner": "zoë", "empty": "", "emoji 🚀": "quote \"'`", "nl": "a\nb"},
			CreatedAt:  time.Date(2021, 7, 4, 9, 8, 7, 123456789, paris),
			Properties: json.RawMessage(`{"a" : 1,  "b":"\u00fc\ud83d\ude00", "c":[ ] }`)},
		{UID: "arn:big", Provider: resource.GCP, Account: "p", Region: "us", Kind: "gcp_storage_bucket", Name: "big",
			CreatedAt: time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC), Properties: json.RawMessage(big.String())},
		{UID: "arn:bare", Provider: resource.Azure, Account: "s", Region: "r", Kind: "azure_vm", Name: "", Properties: json.RawMessage(`{}`)},
	}
	id := write(t, s, "exact ✓", t0, rs, nil, nil, nil)
	got := collect(t, s.Resources(ctx, id, store.ResourceFilter{}))
	byUID := map[string]resource.Resource{}
	for _, r := range got {
		byUID[r.UID] = r
	}
	if len(byUID) != len(rs) {
		t.Fatalf("got %d resources, want %d", len(byUID), len(rs))
	}
	for _, want := range rs {
		r := byUID[want.UID]
		if r.Provider != want.Provider || r.Account != want.Account || r.Region != want.Region || r.Kind != want.Kind || r.Name != want.Name {
			t.Errorf("%s: fields = %+v, want %+v", want.UID, r, want)
		}
		if !maps.Equal(r.Tags, want.Tags) {
			t.Errorf("%s: tags = %q, want %q", want.UID, r.Tags, want.Tags)
		}
		if !r.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("%s: created_at = %v, want %v", want.UID, r.CreatedAt, want.CreatedAt)
		}
		if string(r.Properties) != string(want.Properties) {
			t.Errorf("%s: properties differ (%d bytes, want %d)", want.UID, len(r.Properties), len(want.Properties))
		}
	}
	sn, err := s.Snapshot(ctx, id)
	must(t, err)
	if sn.Scope != "exact ✓" {
		t.Errorf("scope = %q", sn.Scope)
	}
	_, rows := queryAll(t, s, id, "select "+opts.JSONNumber("properties", "$.nested.deep.deeper[1]")+" as n, "+
		opts.JSONText("tags", "$.owner")+" as owner from resources where uid in ('arn:big', 'arn:unicode:ü✓') order by uid")
	want := [][]any{{2.5, nil}, {nil, "zoë"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("json query = %#v, want %#v", rows, want)
	}
}

func testUnknownSnapshot(t *testing.T, s store.Store) {
	ctx := t.Context()
	const missing = 987654
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", what, err)
		}
	}
	_, err := s.Snapshot(ctx, missing)
	check("Snapshot", err)
	_, err = s.CollectionErrors(ctx, missing)
	check("CollectionErrors", err)
	_, err = s.Query(ctx, missing, "select 1")
	check("Query", err)
	firstErr := func(seq func(func(error) bool)) error {
		var e error
		seq(func(err error) bool { e = err; return err == nil })
		return e
	}
	check("Resources", firstErr(func(y func(error) bool) {
		for _, err := range s.Resources(ctx, missing, store.ResourceFilter{}) {
			if !y(err) {
				return
			}
		}
	}))
	check("Edges", firstErr(func(y func(error) bool) {
		for _, err := range s.Edges(ctx, missing, store.EdgeFilter{}) {
			if !y(err) {
				return
			}
		}
	}))
	check("Findings", firstErr(func(y func(error) bool) {
		for _, err := range s.Findings(ctx, missing, store.FindingFilter{}) {
			if !y(err) {
				return
			}
		}
	}))
}
