package server_test

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"

	"cloudward/internal/collect/demo"
	"cloudward/internal/resource"
	"cloudward/internal/server"
)

// estateRecorder keeps what a collector emits.
type estateRecorder struct {
	mu    sync.Mutex
	res   []resource.Resource
	edges []resource.Edge
}

func (e *estateRecorder) Resource(_ context.Context, r resourceT) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.res = append(e.res, r)
	return nil
}

func (e *estateRecorder) Edge(_ context.Context, x edgeT) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.edges = append(e.edges, x)
	return nil
}

func (e *estateRecorder) Error(context.Context, collErrT) error { return nil }

// aiPage is an answer of GET /api/v1/ai.
type aiPage struct {
	Resources int64
	Kinds     []struct {
		Kind, Provider string
		Count          int64
	}
	Items     []aiItem
	NextAfter string `json:"next_after"`
	Total     *int64
}

// aiItem is one AI resource of an aiPage.
type aiItem struct {
	UID, Kind, Provider string
	MaxSeverity         string `json:"max_severity"`
	Related             []struct {
		Type, UID, Name, Kind string
		Data                  bool
	}
	Failing []struct {
		CheckID string `json:"check_id"`
	}
}

// TestAIInventory marks two kinds of the demo estate as AI kinds and checks
// that the AI inventory lists exactly their resources, page by page, each
// with the resources its edges lead to and its failing findings.
func TestAIInventory(t *testing.T) {
	est, g, ai, regKinds := standInAIKinds(t)
	kindOf := map[string]resource.Resource{}
	for _, r := range est.res {
		kindOf[r.UID] = r
	}
	planted := map[string][]string{}
	for _, p := range g.Planted() {
		if !slices.Contains(planted[p.UID], p.CheckID) {
			planted[p.UID] = append(planted[p.UID], p.CheckID)
		}
	}
	h := newHarness(t, server.Options{Kinds: regKinds})
	h.scanAndWait()

	want := map[string]resource.Resource{}
	for _, r := range est.res {
		if slices.Contains(ai, r.Kind) {
			want[r.UID] = r
		}
	}
	var first aiPage
	h.do("GET", "/api/v1/ai?limit=7", h.reader, nil, 200, &first)
	if first.Total == nil || *first.Total != int64(len(want)) || first.Resources != int64(len(want)) || len(first.Kinds) != 2 {
		t.Fatalf("first page: total %v, resources %d, kinds %+v; want %d resources of 2 kinds", first.Total, first.Resources, first.Kinds, len(want))
	}
	for _, k := range first.Kinds {
		n := 0
		for _, r := range want {
			if r.Kind == k.Kind {
				n++
			}
		}
		if k.Count != int64(n) || !slices.Contains(ai, k.Kind) {
			t.Errorf("kind %+v: want count %d", k, n)
		}
	}
	seen := map[string]bool{}
	related, failing := 0, 0
	for after := ""; ; {
		var p aiPage
		h.do("GET", "/api/v1/ai?limit=7&after="+url.QueryEscape(after), h.reader, nil, 200, &p)
		for _, it := range p.Items {
			r, ok := want[it.UID]
			if !ok || seen[it.UID] {
				t.Fatalf("item %s (%s): not an AI resource, or listed twice", it.UID, it.Kind)
			}
			seen[it.UID] = true
			var edges []string
			for _, e := range est.edges {
				if e.From == r.UID {
					edges = append(edges, e.Type+" "+e.To)
				}
			}
			var got []string
			for _, rel := range it.Related {
				got = append(got, rel.Type+" "+rel.UID)
				if x, ok := kindOf[rel.UID]; ok && (rel.Name != x.Name || rel.Kind != x.Kind) {
					t.Errorf("%s related %s: name %q kind %q, want %q %q", it.UID, rel.UID, rel.Name, rel.Kind, x.Name, x.Kind)
				}
			}
			slices.Sort(edges)
			slices.Sort(got)
			if !slices.Equal(edges, got) {
				t.Errorf("%s related = %q, want %q", it.UID, got, edges)
			}
			related += len(got)
			var checks []string
			for _, f := range it.Failing {
				checks = append(checks, f.CheckID)
			}
			wantChecks := slices.Clone(planted[it.UID])
			slices.Sort(checks)
			slices.Sort(wantChecks)
			if !slices.Equal(checks, wantChecks) {
				t.Errorf("%s failing = %q, want %q", it.UID, checks, wantChecks)
			}
			if (len(checks) > 0) != (it.MaxSeverity != "") {
				t.Errorf("%s: max_severity %q with %d failing", it.UID, it.MaxSeverity, len(checks))
			}
			failing += len(checks)
		}
		if p.NextAfter == "" {
			break
		}
		after = p.NextAfter
	}
	if len(seen) != len(want) || related == 0 || failing == 0 {
		t.Errorf("paged through %d of %d AI resources, %d related, %d failing", len(seen), len(want), related, failing)
	}

	// Filters: kind, provider, free text; others are refused.
	var p aiPage
	h.do("GET", "/api/v1/ai?kind="+url.QueryEscape(ai[0]), h.reader, nil, 200, &p)
	for _, it := range p.Items {
		if it.Kind != ai[0] {
			t.Errorf("kind filter: got %s", it.Kind)
		}
	}
	h.do("GET", "/api/v1/ai?provider=no-such-cloud", h.reader, nil, 200, &p)
	if len(p.Items) != 0 || p.Total == nil || *p.Total != 0 {
		t.Errorf("unknown provider: %+v", p)
	}
	name := want[firstOfKind(est.res, ai[1])].Name
	h.do("GET", "/api/v1/ai?q="+url.QueryEscape(name), h.reader, nil, 200, &p)
	if !slices.ContainsFunc(p.Items, func(it aiItem) bool { return want[it.UID].Name == name }) {
		t.Errorf("q=%s found %d items, not the resource named so", name, len(p.Items))
	}
	h.do("GET", "/api/v1/ai?region=us-east-1", h.reader, nil, http.StatusBadRequest, nil)
	h.do("GET", "/api/v1/ai", "", nil, http.StatusUnauthorized, nil)
}

func TestAIInventoryWithoutAIKinds(t *testing.T) {
	h := newHarness(t, server.Options{})
	h.scanAndWait()
	var p aiPage
	h.do("GET", "/api/v1/ai", h.reader, nil, 200, &p)
	if len(p.Items) != 0 || len(p.Kinds) != 0 || p.Resources != 0 {
		t.Errorf("no AI kinds: %+v", p)
	}
}

// standInAIKinds collects the demo estate and picks the two kinds with the
// most outgoing edges, at least one with a planted misconfiguration, to
// stand in for AI kinds: it returns the estate, its generator, the two
// kinds, and a kind list (for server.Options.Kinds) that marks them AI
// next to an AI kind the estate does not have.
func standInAIKinds(t *testing.T) (*estateRecorder, *demo.Generator, []string, []resource.Kind) {
	t.Helper()
	est := &estateRecorder{}
	g := demo.New(demo.Options{})
	if err := g.Collect(context.Background(), est); err != nil {
		t.Fatal(err)
	}
	byUID := map[string]resource.Resource{}
	for _, r := range est.res {
		byUID[r.UID] = r
	}
	out := map[string]int{}
	for _, e := range est.edges {
		out[byUID[e.From].Kind]++
	}
	var kinds []string
	for k := range out {
		kinds = append(kinds, k)
	}
	plantedKinds := map[string]bool{}
	for _, p := range g.Planted() {
		plantedKinds[byUID[p.UID].Kind] = true
	}
	// Kinds with plants first, then by outgoing edges.
	slices.SortFunc(kinds, func(a, b string) int {
		return cmp.Or(-cmp.Compare(boolInt(plantedKinds[a]), boolInt(plantedKinds[b])), out[b]-out[a], cmp.Compare(a, b))
	})
	if len(kinds) < 2 || !plantedKinds[kinds[0]] {
		t.Fatalf("the demo estate has no kind with both edges and planted misconfigurations")
	}
	ai := kinds[:2]
	var reg []resource.Kind
	for _, k := range ai {
		reg = append(reg, resource.Kind{Name: k, Provider: byUID[firstOfKind(est.res, k)].Provider, AI: true, Description: "stand-in AI kind"})
	}
	reg = append(reg, resource.Kind{Name: "azure_openai_account", Provider: resource.Azure, AI: true}) // absent: not listed
	return est, g, ai, reg
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func firstOfKind(rs []resource.Resource, kind string) string {
	for _, r := range rs {
		if r.Kind == kind {
			return r.UID
		}
	}
	return ""
}
