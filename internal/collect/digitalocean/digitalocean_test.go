package digitalocean

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalocean/godo"

	"cloudward/internal/collect"
	"cloudward/internal/collect/digitalocean/dotest"
	"cloudward/internal/resource"
)

var update = flag.Bool("update", false, "rewrite golden files")

// memSink keeps what a collector emits.
type memSink struct {
	mu    sync.Mutex
	res   []resource.Resource
	edges []resource.Edge
	errs  []collect.Error
}

func (s *memSink) Resource(_ context.Context, r resource.Resource) error {
	if err := r.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.res = append(s.res, r)
	return nil
}

func (s *memSink) Edge(_ context.Context, e resource.Edge) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edges = append(s.edges, e)
	return nil
}

func (s *memSink) Error(_ context.Context, e collect.Error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, e)
	return nil
}

// sorted returns the sink's content in a stable order.
func (s *memSink) sorted() ([]resource.Resource, []resource.Edge, []collect.Error) {
	slices.SortFunc(s.res, func(a, b resource.Resource) int { return cmp.Compare(a.UID, b.UID) })
	slices.SortFunc(s.edges, func(a, b resource.Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Type, b.Type))
	})
	slices.SortFunc(s.errs, func(a, b collect.Error) int {
		return cmp.Or(cmp.Compare(a.Service, b.Service), cmp.Compare(a.Op, b.Op))
	})
	return s.res, s.edges, s.errs
}

type fakes struct {
	api    *dotest.API
	spaces *dotest.Spaces
	sleeps []time.Duration
	mu     sync.Mutex
}

func newFakes(t *testing.T) *fakes {
	return &fakes{
		api:    dotest.NewAPI(t, filepath.Join("testdata", "api")),
		spaces: dotest.NewSpaces(t, filepath.Join("testdata", "spaces")),
	}
}

func (f *fakes) options() Options {
	return Options{
		Token: dotest.Token, APIURL: f.api.URL, SpacesEndpoint: f.spaces.URL,
		SpacesAccessKeyID: "DO00EXAMPLEKEY0001", SpacesSecretAccessKey: "spaces-secret-never-logged",
		SpacesRegions: []string{"nyc3", "fra1", "ams3"},
		sleep: func(_ context.Context, d time.Duration) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.sleeps = append(f.sleeps, d)
			return nil
		},
	}
}

func collectWith(t *testing.T, opts Options) *memSink {
	t.Helper()
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if err := c.Collect(context.Background(), sink); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return sink
}

type golden struct {
	Resources []resource.Resource `json:"resources"`
	Edges     []resource.Edge     `json:"edges"`
	Errors    []collect.Error     `json:"errors"`
}

// TestCollect runs the collector against the fake API (two pages of
// Droplets, a 429 with Retry-After on volumes, a 403 on the CDN) and the
// fake Spaces endpoint, and compares everything it emits with the golden
// file.
func TestCollect(t *testing.T) {
	f := newFakes(t)
	f.api.Fail("/v2/volumes", http.StatusTooManyRequests, 1, http.Header{"Retry-After": {"7"}})
	f.api.Fail("/v2/cdn/endpoints", http.StatusForbidden, -1, nil)
	sink := collectWith(t, f.options())
	res, edges, errs := sink.sorted()

	got, err := json.MarshalIndent(golden{Resources: res, Edges: edges, Errors: errs}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", "collect.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("collected output differs from %s (run with -update and review the diff):\n%s", path, firstDiff(string(got), string(want)))
	}

	t.Run("paging", func(t *testing.T) {
		if !slices.ContainsFunc(f.api.Requests(), func(r string) bool { return strings.HasPrefix(r, "GET /v2/droplets?page=2") }) {
			t.Errorf("page 2 of droplets never requested: %v", f.api.Requests())
		}
		n := 0
		for _, r := range res {
			if r.Kind == "do_droplet" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d droplets, want 2 (one per page)", n)
		}
	})
	t.Run("429 retried after Retry-After", func(t *testing.T) {
		if !slices.Contains(f.sleeps, 7*time.Second) {
			t.Errorf("waits %v, want one of 7s", f.sleeps)
		}
		if !slices.ContainsFunc(res, func(r resource.Resource) bool { return r.Kind == "do_volume" }) {
			t.Error("volumes missing after the retry")
		}
	})
	t.Run("403 is a denied collection error and the rest goes on", func(t *testing.T) {
		var cdn []collect.Error
		for _, e := range errs {
			if e.Service == "cdn" {
				cdn = append(cdn, e)
			}
		}
		if len(cdn) != 1 || cdn[0].Kind != collect.Denied || cdn[0].Op != "GET /v2/cdn/endpoints" {
			t.Errorf("cdn errors = %+v, want one denied GET /v2/cdn/endpoints", cdn)
		}
		if len(errs) != 1 {
			t.Errorf("errors = %+v, want only the cdn one", errs)
		}
	})
	t.Run("read only", func(t *testing.T) {
		if n := f.api.NonGET(); len(n) > 0 {
			t.Errorf("non-GET API requests: %v", n)
		}
		if n := f.spaces.NonGET(); len(n) > 0 {
			t.Errorf("non-GET Spaces requests: %v", n)
		}
	})
	t.Run("no secrets stored", func(t *testing.T) {
		for _, s := range []string{dotest.Token, "spaces-secret-never-logged", "s3cr3t-do-not-store", "hunter2", "pa55word", "dof_v1_secret", "EV[1:"} {
			if bytes.Contains(got, []byte(s)) {
				t.Errorf("collected output holds %q", s)
			}
		}
	})
	t.Run("spaces regions", func(t *testing.T) {
		for _, region := range []string{"nyc3", "fra1", "ams3"} {
			if !slices.ContainsFunc(f.spaces.Requests(), func(r string) bool { return r == "GET "+region+" /?x-id=ListBuckets" || r == "GET "+region+" /" }) {
				t.Errorf("ListBuckets not called in %s: %v", region, f.spaces.Requests())
			}
		}
	})
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n got: " + al[i] + "\nwant: " + bl[i]
		}
	}
	return "lengths differ: got " + itoa(len(al)) + " lines, want " + itoa(len(bl))
}

func itoa(i int) string { return strconv.Itoa(i) }

func jsonInt(i int) string { return strconv.Itoa(i) }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type recorder struct{ *httptest.ResponseRecorder }

func newRecorder() recorder { return recorder{httptest.NewRecorder()} }

func (r recorder) result() *http.Response { return r.Result() }

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestCollectedMatchesSchema checks every collected document against its
// kind's schema: each property is documented, with its type.
func TestCollectedMatchesSchema(t *testing.T) {
	f := newFakes(t)
	sink := collectWith(t, f.options())
	reg, err := resource.NewRegistry(Kinds())
	if err != nil {
		t.Fatal(err)
	}
	seenKinds := map[string]bool{}
	for _, r := range sink.res {
		k, ok := reg.Lookup(r.Kind)
		if !ok {
			t.Errorf("%s: unregistered kind %s", r.UID, r.Kind)
			continue
		}
		seenKinds[r.Kind] = true
		if k.Global != (r.Region == resource.GlobalRegion) {
			t.Errorf("%s: region %q but kind global=%v", r.UID, r.Region, k.Global)
		}
		var props any
		if err := json.Unmarshal(r.Properties, &props); err != nil {
			t.Fatal(err)
		}
		for _, p := range SchemaViolations(r.Kind, props, k.Schema) {
			t.Errorf("%s: %s", r.UID, p)
		}
	}
	for _, k := range Kinds() {
		if !seenKinds[k.Name] && k.Name != "do_cdn_endpoint" {
			t.Errorf("kind %s never collected from the fixtures", k.Name)
		}
	}
}

// TestEmptyTeam: a team with nothing in it yields its account and nothing
// else, and no errors.
func TestEmptyTeam(t *testing.T) {
	f := &fakes{api: dotest.NewAPI(t, filepath.Join("testdata", "api")), spaces: dotest.NewSpaces(t, t.TempDir())}
	f.api.Empty()
	sink := collectWith(t, f.options())
	if len(sink.res) != 1 || sink.res[0].Kind != "do_account" {
		t.Errorf("resources = %v, want only the account", sink.res)
	}
	if len(sink.edges) != 0 || len(sink.errs) != 0 {
		t.Errorf("edges %v, errors %v; want none", sink.edges, sink.errs)
	}
}

func TestBadTokenIsFatalAndNotLeaked(t *testing.T) {
	f := newFakes(t)
	opts := f.options()
	opts.Token = "dop_v1_wrong_token_value"
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Collect(context.Background(), &memSink{})
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v, want a 401", err)
	}
	if strings.Contains(err.Error(), opts.Token) {
		t.Errorf("error leaks the token: %v", err)
	}
	if _, err := New(Options{}); err == nil {
		t.Error("New without a token succeeded")
	}
}

func TestMissingSpacesKeysIsRecorded(t *testing.T) {
	f := newFakes(t)
	opts := f.options()
	opts.SpacesAccessKeyID, opts.SpacesSecretAccessKey = "", ""
	sink := collectWith(t, opts)
	if !slices.ContainsFunc(sink.errs, func(e collect.Error) bool { return e.Service == "spaces" && e.Kind == collect.Denied }) {
		t.Errorf("errors = %+v, want a denied spaces error", sink.errs)
	}
	if len(f.spaces.Requests()) != 0 {
		t.Errorf("Spaces called without keys: %v", f.spaces.Requests())
	}
}

// TestThrottledAfterRetries: a 429 that never ends gives up after
// MaxAttempts and is recorded as throttled.
func TestThrottledAfterRetries(t *testing.T) {
	f := newFakes(t)
	f.api.Fail("/v2/certificates", http.StatusTooManyRequests, -1, http.Header{"Retry-After": {"1"}})
	opts := f.options()
	opts.MaxAttempts = 3
	sink := collectWith(t, opts)
	n := 0
	for _, r := range f.api.Requests() {
		if strings.HasPrefix(r, "GET /v2/certificates") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	if !slices.ContainsFunc(sink.errs, func(e collect.Error) bool { return e.Service == "certificates" && e.Kind == collect.Throttled }) {
		t.Errorf("errors = %+v, want a throttled certificates error", sink.errs)
	}
}

type panickingCDN struct{}

func (panickingCDN) List(context.Context, *godo.ListOptions) ([]godo.CDN, *godo.Response, error) {
	panic("boom")
}

func TestPanicInOneServiceIsACollectionError(t *testing.T) {
	f := newFakes(t)
	c, err := New(f.options())
	if err != nil {
		t.Fatal(err)
	}
	c.api.cdn = panickingCDN{}
	sink := &memSink{}
	if err := c.Collect(context.Background(), sink); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(sink.errs, func(e collect.Error) bool { return e.Service == "cdn" && strings.Contains(e.Message, "boom") }) {
		t.Errorf("errors = %+v, want the cdn panic", sink.errs)
	}
	if !slices.ContainsFunc(sink.res, func(r resource.Resource) bool { return r.Kind == "do_droplet" }) {
		t.Error("the other services did not run")
	}
}

// TestClientInterfacesAreReadOnly proves the collector can only read: every
// method of every client interface it holds is a List or Get call (godo's
// domain records list is named Records).
func TestClientInterfacesAreReadOnly(t *testing.T) {
	check := func(owner string, it reflect.Type) {
		for i := range it.NumMethod() {
			m := it.Method(i).Name
			if !strings.HasPrefix(m, "List") && !strings.HasPrefix(m, "Get") && m != "Records" {
				t.Errorf("%s.%s is not a read operation", owner, m)
			}
		}
	}
	at := reflect.TypeFor[api]()
	for i := range at.NumField() {
		fl := at.Field(i)
		if fl.Type.Kind() != reflect.Interface {
			t.Errorf("api.%s is a %s, want a narrow interface", fl.Name, fl.Type)
			continue
		}
		check("api."+fl.Name, fl.Type)
	}
	check("spacesAPI", reflect.TypeFor[spacesAPI]())
}

func TestRetryWait(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tr := &retryTransport{maxWait: 30 * time.Second, now: func() time.Time { return now }}
	for _, tc := range []struct {
		name    string
		header  http.Header
		status  int
		attempt int
		want    time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"5"}}, 429, 1, 5 * time.Second},
		{"http date", http.Header{"Retry-After": {now.Add(12 * time.Second).Format(http.TimeFormat)}}, 429, 1, 12 * time.Second},
		{"capped", http.Header{"Retry-After": {"3600"}}, 429, 1, 30 * time.Second},
		{"ratelimit-reset", http.Header{"Ratelimit-Reset": {jsonInt(int(now.Add(9 * time.Second).Unix()))}}, 429, 1, 9 * time.Second},
		{"backoff 1", http.Header{}, 503, 1, 500 * time.Millisecond},
		{"backoff 3", http.Header{}, 503, 3, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tr.waitFor(&http.Response{StatusCode: tc.status, Header: tc.header}, tc.attempt)
			if got != tc.want {
				t.Errorf("wait = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRateLimitBudgetSpent: an answer with ratelimit-remaining 0 makes the
// next request wait for ratelimit-reset.
func TestRateLimitBudgetSpent(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	var waits []time.Duration
	srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ratelimit-remaining", "0")
		w.Header().Set("ratelimit-reset", jsonInt(int(now.Add(20*time.Second).Unix())))
	})
	tr := &retryTransport{
		base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			rec := newRecorder()
			srv.ServeHTTP(rec, r)
			return rec.result(), nil
		}),
		attempts: 3, maxWait: time.Minute, now: func() time.Time { return now },
		sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
		log:   discardLog(),
	}
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, "http://x/v2/droplets", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if !slices.Equal(waits, []time.Duration{20 * time.Second}) {
		t.Errorf("waits = %v, want one of 20s before the second request", waits)
	}
}

func TestLooksLikeSecret(t *testing.T) {
	for _, tc := range []struct {
		key, value string
		want       bool
	}{
		{"LOG_LEVEL", "info", false},
		{"PUBLIC_URL", "https://shop.acme.example", false},
		{"DATABASE_PASSWORD", "x", true},
		{"GITHUB_TOKEN", "abc", true},
		{"AWS_CREDS", "AKIAIOSFODNN7EXAMPLE", true},
		{"DATABASE_URL", "postgres://app:pw@db:5432/app", true},
		{"SESSION", "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXwVuTsRqPoNm", true},
		{"FEATURE_FLAGS", "checkout,search,recommendations", false},
		{"API_KEY", "", false},
	} {
		if got := looksLikeSecret(tc.key, tc.value); got != tc.want {
			t.Errorf("looksLikeSecret(%q, %q) = %v, want %v", tc.key, tc.value, got, tc.want)
		}
	}
}
