package storetest

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// RunSearch runs the conformance cases of store.Searcher as subtests. open
// must return a new empty store that implements store.Searcher; RunSearch
// closes it when the subtest ends.
func RunSearch(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store, se store.Searcher)
	}{
		{"SearchResources", testSearchResources},
		{"SearchErrors", testSearchErrors},
		{"IndexSnapshot", testIndexSnapshot},
		{"FindingGroups", testFindingGroups},
		{"ResourceGroups", testResourceGroups},
		{"OpenFindings", testOpenFindings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			se, ok := s.(store.Searcher)
			if !ok {
				t.Fatalf("%T does not implement store.Searcher", s)
			}
			tt.fn(t, s, se)
		})
	}
}

// searchEstate is a small estate over three clouds with names and UIDs that
// exercise case folding, short text and characters with a meaning in SQL
// LIKE patterns or FTS queries.
func searchEstate() []resource.Resource {
	var rs []resource.Resource
	add := func(p resource.Provider, account, region, kind, uid, name string, tags map[string]string) {
		r := res(p, account, region, kind, uid)
		r.Name, r.Tags = name, tags
		rs = append(rs, r)
	}
	for i := range 12 {
		env := []string{"prod", "dev", "test"}[i%3]
		add(resource.AWS, fmt.Sprintf("11%d", i%2), []string{"us-east-1", "eu-west-1"}[i%2], "aws_s3_bucket",
			fmt.Sprintf("arn:aws:s3:::bucket-%02d", i), fmt.Sprintf("Bucket-%s-%02d", env, i), map[string]string{"env": env, "team": "data"})
	}
	for i := range 8 {
		add(resource.AWS, "110", "us-east-1", "aws_ec2_instance",
			fmt.Sprintf("arn:aws:ec2:us-east-1:110:instance/i-%04x", i*7919), fmt.Sprintf("web-%d", i), map[string]string{"env": "prod"})
	}
	add(resource.GCP, "proj-a", "europe-west1", "gcp_storage_bucket", "//storage.googleapis.com/projects/_/buckets/Ünïcode_50%", `Ünïcode "quoted" 50%_done`, nil)
	add(resource.GCP, "proj-a", "global", "gcp_vertex_endpoint", "//aiplatform.googleapis.com/projects/proj-a/endpoints/9", "ab", map[string]string{"owner": ""})
	add(resource.Azure, "sub-1", "westeurope", "azure_openai_account", "/subscriptions/sub-1/providers/Microsoft.CognitiveServices/accounts/oai", "OAI*prod", map[string]string{"env": "prod"})
	add(resource.Azure, "sub-1", "westeurope", "azure_storage_account", "/subscriptions/sub-1/storageAccounts/sa", "sa", nil)
	return rs
}

// matchQuery is the reference semantics of store.ResourceQuery.
func matchQuery(r resource.Resource, q store.ResourceQuery) bool {
	if text := strings.TrimSpace(q.Text); text != "" &&
		!strings.Contains(asciiLower(r.Name), asciiLower(text)) &&
		!strings.Contains(asciiLower(r.UID), asciiLower(text)) {
		return false
	}
	if (q.Provider != "" && r.Provider != q.Provider) || (q.Account != "" && r.Account != q.Account) ||
		(q.Region != "" && r.Region != q.Region) {
		return false
	}
	if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, r.Kind) {
		return false
	}
	if len(q.UIDs) > 0 && !slices.Contains(q.UIDs, r.UID) {
		return false
	}
	if q.Tag != "" {
		k, v, hasVal := strings.Cut(q.Tag, "=")
		got, ok := r.Tags[k]
		if !ok || (hasVal && got != v) {
			return false
		}
	}
	return true
}

// asciiLower folds ASCII letters only: search ignores the case of ASCII
// letters (as SQL lower() does on every backend), not of other letters.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// searchAll pages through q with the given page size and returns every UID
// and the total of the first page.
func searchAll(t *testing.T, se store.Searcher, id int64, q store.ResourceQuery, limit int, indexed bool) ([]string, int64) {
	t.Helper()
	q.Limit, q.Count = limit, true
	var got []string
	total := int64(-2)
	for page := 0; ; page++ {
		p, err := se.SearchResources(t.Context(), id, q)
		if err != nil {
			t.Fatalf("SearchResources(%+v): %v", q, err)
		}
		if p.Indexed != indexed {
			t.Fatalf("SearchResources(%+v).Indexed = %v, want %v", q, p.Indexed, indexed)
		}
		if page == 0 {
			total = p.Total
		}
		if len(p.Items) > limit {
			t.Fatalf("SearchResources(%+v): %d items, limit %d", q, len(p.Items), limit)
		}
		for _, r := range p.Items {
			if len(r.Properties) != 0 {
				t.Fatalf("SearchResources: item %s has properties", r.UID)
			}
			got = append(got, r.UID)
		}
		if p.Next == "" {
			break
		}
		if len(p.Items) != limit || p.Next != p.Items[len(p.Items)-1].UID {
			t.Fatalf("SearchResources(%+v): Next %q after a page of %d", q, p.Next, len(p.Items))
		}
		if page > 100 {
			t.Fatal("SearchResources: paging does not end")
		}
		q.After = p.Next
		q.Count = false
	}
	return got, total
}

func testSearchResources(t *testing.T, s store.Store, se store.Searcher) {
	rs := searchEstate()
	id := write(t, s, "search", t0, rs, nil, nil, nil)
	// Another snapshot with other resources must never show.
	write(t, s, "search", t0.Add(time.Hour), []resource.Resource{
		res(resource.AWS, "110", "us-east-1", "aws_s3_bucket", "arn:aws:s3:::bucket-prod-other"),
	}, nil, nil, nil)
	queries := []store.ResourceQuery{
		{},
		{Text: "bucket"},
		{Text: "BUCKET-PROD"},
		{Text: "  prod  "},
		{Text: "ab"},
		{Text: "b"},
		{Text: "ünïcode"},
		{Text: "Ünï"},
		{Text: "ÜNïCODE_"},
		{Text: `"quoted"`},
		{Text: "50%_"},
		{Text: "%"},
		{Text: "_"},
		{Text: "*prod"},
		{Text: "i-"},
		{Text: "no such thing"},
		{Provider: resource.AWS},
		{Provider: resource.GCP, Region: "global"},
		{Account: "111"},
		{Region: "us-east-1", Kinds: []string{"aws_ec2_instance"}},
		{Kinds: []string{"aws_s3_bucket", "azure_openai_account"}},
		{Kinds: []string{"unknown_kind"}},
		{Tag: "env"},
		{Tag: "env=prod"},
		{Tag: "owner="},
		{Tag: "owner"},
		{Tag: "env=nope"},
		{Tag: "team=data", Text: "dev", Region: "eu-west-1"},
		{Text: "prod", Kinds: []string{"aws_s3_bucket"}, Tag: "env=prod"},
		{UIDs: []string{"arn:aws:s3:::bucket-03", "sa", "/subscriptions/sub-1/storageAccounts/sa"}},
		{UIDs: []string{"arn:aws:s3:::bucket-03"}, Text: "dev"},
	}
	for _, indexed := range []bool{false, true} {
		if indexed {
			must(t, se.IndexSnapshot(t.Context(), id))
		}
		for _, q := range queries {
			var want []string
			for _, r := range rs {
				if matchQuery(r, q) {
					want = append(want, r.UID)
				}
			}
			slices.Sort(want)
			for _, limit := range []int{1, 3, 1000} {
				got, total := searchAll(t, se, id, q, limit, indexed)
				if !slices.Equal(got, want) {
					t.Errorf("indexed %v, limit %d, %+v:\n got %q\nwant %q", indexed, limit, q, got, want)
				}
				if total != int64(len(want)) {
					t.Errorf("indexed %v, %+v: total %d, want %d", indexed, q, total, len(want))
				}
			}
		}
		// A page starts after the cursor even when the cursor is not a UID
		// of the snapshot, and tags and fields come back.
		p, err := se.SearchResources(t.Context(), id, store.ResourceQuery{After: "arn:aws:s3:::bucket-05x", Limit: 1})
		must(t, err)
		if len(p.Items) != 1 || p.Items[0].UID != "arn:aws:s3:::bucket-06" || p.Total != -1 {
			t.Fatalf("indexed %v: page after a non-UID cursor = %+v", indexed, p)
		}
		r := p.Items[0]
		if r.Name != "Bucket-prod-06" || r.Kind != "aws_s3_bucket" || r.Provider != resource.AWS || r.Account != "110" ||
			r.Region != "us-east-1" || !maps.Equal(r.Tags, map[string]string{"env": "prod", "team": "data"}) {
			t.Errorf("indexed %v: item = %+v", indexed, r)
		}
	}
}

func testSearchErrors(t *testing.T, s store.Store, se store.Searcher) {
	ctx := t.Context()
	id := write(t, s, "search", t0, searchEstate(), nil, nil, nil)
	for _, q := range []store.ResourceQuery{{Limit: -1}, {Limit: store.MaxSearchLimit + 1}, {Text: "a\x00b"}, {Kinds: []string{"\xff"}}} {
		if _, err := se.SearchResources(ctx, id, q); err == nil {
			t.Errorf("SearchResources(%+v) succeeded, want an error", q)
		}
	}
	if _, err := se.SearchResources(ctx, id+100, store.ResourceQuery{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SearchResources(unknown snapshot) = %v, want ErrNotFound", err)
	}
	for name, fn := range map[string]func(int64) error{
		"IndexSnapshot":  func(id int64) error { return se.IndexSnapshot(ctx, id) },
		"FindingGroups":  func(id int64) error { _, err := se.FindingGroups(ctx, id); return err },
		"ResourceGroups": func(id int64) error { _, err := se.ResourceGroups(ctx, id); return err },
		"OpenFindings":   func(id int64) error { _, err := se.OpenFindings(ctx, id, []string{"x"}); return err },
	} {
		if err := fn(id + 100); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s(unknown snapshot) = %v, want ErrNotFound", name, err)
		}
	}
}

func testIndexSnapshot(t *testing.T, s store.Store, se store.Searcher) {
	ctx := t.Context()
	rs := searchEstate()
	running, err := s.Begin(ctx, "search", t0)
	must(t, err)
	defer running.Rollback()
	must(t, running.Resource(ctx, rs[0]))
	must(t, running.Flush(ctx))
	if err := se.IndexSnapshot(ctx, running.ID()); err == nil {
		t.Error("IndexSnapshot(running snapshot) succeeded, want an error")
	}
	// Concurrent and repeated calls build one index.
	id := write(t, s, "search", t0, rs, nil, nil, nil)
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- se.IndexSnapshot(ctx, id) }()
	}
	for range 4 {
		must(t, <-errs)
	}
	must(t, se.IndexSnapshot(ctx, id))
	got, _ := searchAll(t, se, id, store.ResourceQuery{Text: "web"}, 2, true)
	if len(got) != 8 {
		t.Errorf("search after repeated indexing: %d results, want 8", len(got))
	}
	// Indexing many snapshots keeps a few indexes; the others still answer.
	var ids []int64
	for i := range 8 {
		sid := write(t, s, "search", t0.Add(time.Duration(i+1)*time.Hour), rs, nil, nil, nil)
		must(t, se.IndexSnapshot(ctx, sid))
		ids = append(ids, sid)
	}
	last, err := se.SearchResources(ctx, ids[len(ids)-1], store.ResourceQuery{Text: "web"})
	must(t, err)
	if !last.Indexed || len(last.Items) != 8 {
		t.Errorf("newest indexed snapshot: indexed %v, %d items", last.Indexed, len(last.Items))
	}
	first, err := se.SearchResources(ctx, id, store.ResourceQuery{Text: "web", Count: true})
	must(t, err)
	if first.Indexed || first.Total != 8 {
		t.Errorf("oldest snapshot after 8 newer indexes: indexed %v, total %d; want its index dropped and the same answer", first.Indexed, first.Total)
	}
}

// searchFindings writes a snapshot of searchEstate with findings on some
// resources and returns its ID, its resources and findings.
func searchFindings(t *testing.T, s store.Store, started time.Time, extra []finding.Finding) (int64, []resource.Resource, []finding.Finding) {
	rs := searchEstate()
	var fs []finding.Finding
	for i, r := range rs {
		fs = append(fs, finding.Finding{CheckID: "c.tagged", Severity: finding.Low, Status: finding.Pass, ResourceUID: r.UID})
		st := []finding.Status{finding.Pass, finding.Fail, finding.Error, finding.Muted}[i%4]
		fs = append(fs, finding.Finding{CheckID: "c." + r.Kind, Severity: finding.Severity(i % 5), Status: st, ResourceUID: r.UID, Reason: "why " + r.Name})
	}
	fs = append(fs, extra...)
	return write(t, s, "search", started, rs, nil, nil, fs), rs, fs
}

func testFindingGroups(t *testing.T, s store.Store, se store.Searcher) {
	ctx := t.Context()
	id1, rs, _ := searchFindings(t, s, t0, nil)
	// The second scan has one more failing finding: new; the others carry
	// their first-seen time.
	id2, _, fs := searchFindings(t, s, t0.Add(time.Hour), []finding.Finding{
		{CheckID: "c.new", Severity: finding.Critical, Status: finding.Fail, ResourceUID: rs[0].UID},
	})
	byUID := map[string]resource.Resource{}
	for _, r := range rs {
		byUID[r.UID] = r
	}
	type key struct {
		check, status  string
		sev            finding.Severity
		p, a, reg, knd string
	}
	for _, tc := range []struct {
		id     int64
		newOne bool
	}{{id1, false}, {id2, true}} {
		want := map[key]store.FindingGroup{}
		for _, f := range fs {
			if !tc.newOne && f.CheckID == "c.new" {
				continue
			}
			r := byUID[f.ResourceUID]
			k := key{f.CheckID, string(f.Status), f.Severity, string(r.Provider), r.Account, r.Region, r.Kind}
			g := want[k]
			g.CheckID, g.Status, g.Severity = f.CheckID, f.Status, f.Severity
			g.Provider, g.Account, g.Region, g.Kind = string(r.Provider), r.Account, r.Region, r.Kind
			g.Count++
			if f.Status != finding.Pass && (tc.id == id1 || f.CheckID == "c.new") {
				g.New++
			}
			want[k] = g
		}
		got, err := se.FindingGroups(ctx, tc.id)
		must(t, err)
		// Asked again (a store may keep the counts), the same.
		again, err := se.FindingGroups(ctx, tc.id)
		must(t, err)
		sortGroups := func(gs []store.FindingGroup) {
			slices.SortFunc(gs, func(a, b store.FindingGroup) int {
				return cmp.Or(cmp.Compare(a.CheckID, b.CheckID), cmp.Compare(a.Status, b.Status), cmp.Compare(a.Severity, b.Severity),
					cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Kind, b.Kind))
			})
		}
		w := slices.Collect(maps.Values(want))
		sortGroups(w)
		sortGroups(got)
		sortGroups(again)
		if !slices.Equal(got, w) || !slices.Equal(again, w) {
			t.Errorf("snapshot %d FindingGroups:\n got %+v\nthen %+v\nwant %+v", tc.id, got, again, w)
		}
	}
}

func testResourceGroups(t *testing.T, s store.Store, se store.Searcher) {
	ctx := t.Context()
	rs := searchEstate()
	id := write(t, s, "search", t0, rs, nil, nil, nil)
	write(t, s, "search", t0.Add(time.Hour), rs[:1], nil, nil, nil)
	counts := map[store.ResourceGroup]int64{}
	for _, r := range rs {
		counts[store.ResourceGroup{Provider: string(r.Provider), Account: r.Account, Region: r.Region, Kind: r.Kind}]++
	}
	var want []store.ResourceGroup
	for g, n := range counts {
		g.Count = n
		want = append(want, g)
	}
	slices.SortFunc(want, func(a, b store.ResourceGroup) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Kind, b.Kind))
	})
	for _, indexed := range []bool{false, false, true} {
		if indexed {
			must(t, se.IndexSnapshot(ctx, id))
		}
		got, err := se.ResourceGroups(ctx, id)
		must(t, err)
		if !slices.Equal(got, want) {
			t.Errorf("indexed %v ResourceGroups:\n got %+v\nwant %+v", indexed, got, want)
		}
	}
}

func testOpenFindings(t *testing.T, s store.Store, se store.Searcher) {
	ctx := t.Context()
	id, rs, fs := searchFindings(t, s, t0, nil)
	ask := []string{rs[1].UID, rs[2].UID, rs[4].UID, rs[len(rs)-1].UID, "no-such-uid"}
	var want []finding.Finding
	for _, f := range fs {
		if f.Status == finding.Pass || !slices.Contains(ask, f.ResourceUID) {
			continue
		}
		for _, r := range rs {
			if r.UID == f.ResourceUID {
				f.ResourceName, f.Kind, f.Provider, f.Account, f.Region = r.Name, r.Kind, string(r.Provider), r.Account, r.Region
			}
		}
		f.FirstSeen = t0
		want = append(want, f)
	}
	slices.SortFunc(want, func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(a.ResourceUID, b.ResourceUID), cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.CheckID, b.CheckID))
	})
	got, err := se.OpenFindings(ctx, id, ask)
	must(t, err)
	if len(got) != len(want) {
		t.Fatalf("OpenFindings: %d findings, want %d:\n got %+v\nwant %+v", len(got), len(want), got, want)
	}
	for i := range got {
		if !got[i].FirstSeen.Equal(want[i].FirstSeen) {
			t.Errorf("OpenFindings[%d].FirstSeen = %v, want %v", i, got[i].FirstSeen, want[i].FirstSeen)
		}
		got[i].FirstSeen = want[i].FirstSeen
		if got[i] != want[i] {
			t.Errorf("OpenFindings[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got, err := se.OpenFindings(ctx, id, nil); err != nil || len(got) != 0 {
		t.Errorf("OpenFindings(no UIDs) = %v, %v; want nothing", got, err)
	}
}
