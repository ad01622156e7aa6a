package digitalocean

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/digitalocean/godo"

	"cloudward/internal/collect"
	"cloudward/internal/collect/digitalocean/dotest"
	"cloudward/internal/resource"
)

// team is the account of the fixtures (the token's team).
const team = "3c2f8f7e-9a1b-4c5d-8e6f-0a1b2c3d4e5f"

// jobScenario is one fake cloud: setup arms the fakes (each run of the
// scenario gets fresh ones), opts adjusts the collector's options.
type jobScenario struct {
	name  string
	setup func(t *testing.T, f *fakes)
	opts  func(o *Options)
	// jobs is what Plan must return (Job.String, in order).
	jobs []string
	// extra is what the planner and the worker call beyond Collect's
	// calls: request -> count.
	extra map[string]int
}

// tagExtra is what a distributed run calls beyond Collect when the
// droplets listing works: the planner's and the worker's reads of the
// account, and the three jobs with a "web" tag selector (firewalls, load
// balancers, databases) listing the Droplets tagged web (two pages).
var tagExtra = map[string]int{
	"GET /v2/account": 2,
	"GET /v2/droplets?page=1&per_page=200&tag_name=web": 3,
	"GET /v2/droplets?page=2&per_page=200&tag_name=web": 3,
}

// jobsOf returns the Job.String of every job of the fixtures' team: the
// global services and the Spaces regions given.
func jobsOf(spacesRegions ...string) []string {
	var out []string
	for _, s := range services() {
		if s.name != spacesService {
			out = append(out, "digitalocean/"+team+"/global/"+s.name)
			continue
		}
		for _, r := range spacesRegions {
			out = append(out, "digitalocean/"+team+"/"+r+"/spaces")
		}
	}
	return out
}

func jobScenarios() []jobScenario {
	return []jobScenario{
		{
			name: "standard",
			setup: func(_ *testing.T, f *fakes) {
				f.api.Fail("/v2/volumes", http.StatusTooManyRequests, 1, http.Header{"Retry-After": {"7"}})
				f.api.Fail("/v2/cdn/endpoints", http.StatusForbidden, -1, nil)
			},
			jobs:  jobsOf("nyc3", "fra1"),
			extra: tagExtra,
		},
		{
			name: "denied and disabled scopes",
			setup: func(_ *testing.T, f *fakes) {
				// Droplets denied: their job and the three tag selectors
				// fail; a Spaces region denied at planning; a bucket's
				// policy denied; the registry not enabled.
				f.api.Fail("/v2/droplets", http.StatusForbidden, -1, nil)
				f.api.Fail("/v2/registry", http.StatusNotFound, -1, nil)
				f.api.Fail("/v2/databases/options", http.StatusServiceUnavailable, -1, nil)
				f.spaces.FailList("fra1", http.StatusForbidden, "AccessDenied")
				f.spaces.Fail("acme-public-downloads", "policy", http.StatusForbidden, "AccessDenied")
			},
			opts: func(o *Options) { o.MaxAttempts = 1 },
			jobs: jobsOf("nyc3"),
			extra: map[string]int{
				"GET /v2/account": 2,
				"GET /v2/droplets?page=1&per_page=200&tag_name=web": 3,
			},
		},
		{
			name: "bucket listed by two regions",
			setup: func(t *testing.T, f *fakes) {
				dir := t.TempDir()
				copyDir(t, filepath.Join("testdata", "spaces", "nyc3"), filepath.Join(dir, "nyc3"))
				copyDir(t, filepath.Join("testdata", "spaces", "nyc3"), filepath.Join(dir, "ams3"))
				f.spaces = dotest.NewSpaces(t, dir)
			},
			opts:  func(o *Options) { o.SpacesRegions = []string{"ams3", "nyc3", "fra1"} },
			jobs:  jobsOf("ams3"),
			extra: tagExtra,
		},
		{
			name:  "no spaces key",
			opts:  func(o *Options) { o.SpacesAccessKeyID, o.SpacesSecretAccessKey = "", "" },
			jobs:  jobsOf(),
			extra: tagExtra,
		},
		{
			name: "empty team",
			setup: func(t *testing.T, f *fakes) {
				f.api.Empty()
				f.spaces = dotest.NewSpaces(t, t.TempDir())
			},
			jobs:  jobsOf(),
			extra: map[string]int{"GET /v2/account": 2},
		},
		{
			name:  "one job at a time",
			opts:  func(o *Options) { o.Concurrency = 1 },
			jobs:  jobsOf("nyc3", "fra1"),
			extra: tagExtra,
		},
	}
}

// TestPlanAndRunJobsMatchCollect plans each scenario, sends every job
// through JSON (as the queue does), runs them in reverse order on a second
// collector (another process, with its own token and state) and checks
// that the result is exactly what Collect yields on the same fake cloud:
// resources, edges and collection errors, and the same API calls but for
// the few a job needs on its own.
func TestPlanAndRunJobsMatchCollect(t *testing.T) {
	for _, sc := range jobScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			arm := func() (*fakes, Options) {
				f := newFakes(t)
				if sc.setup != nil {
					sc.setup(t, f)
				}
				o := f.options()
				o.SpacesEndpoint = f.spaces.URL
				if sc.opts != nil {
					sc.opts(&o)
				}
				return f, o
			}
			fc, oc := arm()
			want := collectWith(t, oc)

			fd, od := arm()
			planner, err := New(od)
			if err != nil {
				t.Fatal(err)
			}
			got := &memSink{}
			jobs, err := planner.Plan(context.Background(), got)
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			if len(got.res) != 0 || len(got.edges) != 0 {
				t.Errorf("Plan emitted %d resources, %d edges; planning only resolves the scope", len(got.res), len(got.edges))
			}
			var names []string
			for _, j := range jobs {
				names = append(names, j.String())
				for _, secret := range []string{dotest.Token, od.SpacesSecretAccessKey, "DO00EXAMPLEKEY0001"} {
					if secret != "" && strings.Contains(string(j.Data), secret) {
						t.Errorf("job %s carries a credential: %s", j, j.Data)
					}
				}
			}
			if !slices.Equal(names, sc.jobs) {
				t.Errorf("planned jobs\n %v\nwant\n %v", names, sc.jobs)
			}

			raw, err := json.Marshal(jobs)
			if err != nil {
				t.Fatal(err)
			}
			var decoded []collect.Job
			if err := json.Unmarshal(raw, &decoded); err != nil {
				t.Fatal(err)
			}
			slices.Reverse(decoded)
			worker, err := New(od)
			if err != nil {
				t.Fatal(err)
			}
			nPlanned := len(fd.api.Requests())
			for _, j := range decoded {
				if err := worker.RunJob(context.Background(), j, got); err != nil {
					t.Fatalf("RunJob %s: %v", j, err)
				}
			}
			if len(fd.api.Requests()) == nPlanned {
				t.Error("the worker made no API call")
			}

			gr, ge, gx := sortedAll(got)
			wr, we, wx := sortedAll(want)
			if len(wr) == 0 {
				t.Fatal("Collect collected nothing: the scenario is broken")
			}
			if !reflect.DeepEqual(gr, wr) {
				t.Errorf("jobs collected %d resources, Collect %d:\n jobs: %v\n collect: %v", len(gr), len(wr), uids(gr), uids(wr))
			}
			if !reflect.DeepEqual(ge, we) {
				t.Errorf("jobs emitted edges\n %v\nCollect\n %v", ge, we)
			}
			if !reflect.DeepEqual(gx, wx) {
				t.Errorf("jobs reported errors\n %+v\nCollect\n %+v", gx, wx)
			}

			// The same calls as Collect, plus only what jobs need on their
			// own; Spaces is listed once per region, by the planner.
			if d := countDiff(fd.api.Requests(), fc.api.Requests()); !maps.Equal(d, sc.extra) {
				t.Errorf("API calls of planner and worker minus Collect's = %v, want %v", d, sc.extra)
			}
			if d := countDiff(fd.spaces.Requests(), fc.spaces.Requests()); len(d) != 0 {
				t.Errorf("Spaces calls of planner and worker minus Collect's = %v, want none", d)
			}
			again, err := planner.Plan(context.Background(), &memSink{})
			if err != nil || !reflect.DeepEqual(again, jobs) {
				t.Errorf("a second Plan differs (%v): the plan is not deterministic", err)
			}
		})
	}
}

// TestCollectListsDropletsOnce: the droplets job and the three tag
// selectors of one Collect share a single listing of the Droplets.
func TestCollectListsDropletsOnce(t *testing.T) {
	f := newFakes(t)
	sink := collectWith(t, f.options())
	n := 0
	for _, r := range f.api.Requests() {
		if strings.HasPrefix(r, "GET /v2/droplets") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d droplet list requests, want 2 (one listing of two pages): %v", n, f.api.Requests())
	}
	for _, e := range []resource.Edge{
		{From: "do:firewall:e1f2a3b4-0000-4000-8000-000000000001", To: "do:droplet:316449101", Type: "protects"},
		{From: "do:loadbalancer:1b2c3d4e-0000-4000-8000-000000000001", To: "do:droplet:316449101", Type: "targets"},
		{From: "do:dbaas:9d8c7b6a-0000-4000-8000-000000000001", To: "do:droplet:316449101", Type: "trusts"},
	} {
		if !slices.Contains(sink.edges, e) {
			t.Errorf("tag-selected edge %v missing", e)
		}
	}
}

// TestRunJobRejectsBadJobs checks that a job the collector cannot have
// planned is an error naming the job, before any API call, not a panic or
// a silent no-op; and that a token of another team is refused.
func TestRunJobRejectsBadJobs(t *testing.T) {
	spaces := json.RawMessage(`{"buckets":[{"name":"acme-assets","created":"2023-05-01T10:00:00Z"}]}`)
	job := func(mod func(j *collect.Job)) collect.Job {
		j := collect.Job{Provider: resource.DigitalOcean, Account: team, Region: "nyc3", Service: "spaces", Data: spaces}
		mod(&j)
		return j
	}
	for _, tc := range []struct {
		name  string
		job   collect.Job
		want  string
		calls bool // the error comes after reading the account
	}{
		{"other provider", job(func(j *collect.Job) { j.Provider = resource.AWS }), "not a DigitalOcean job", false},
		{"no account", job(func(j *collect.Job) { j.Account = "" }), "no account", false},
		{"bad data", job(func(j *collect.Job) { j.Data = json.RawMessage(`[`) }), "decode its data", false},
		{"data of another shape", job(func(j *collect.Job) { j.Data = json.RawMessage(`{"regions":["nyc3"]}`) }), "decode its data", false},
		{"trailing data", job(func(j *collect.Job) { j.Data = json.RawMessage(`{} {}`) }), "decode its data", false},
		{"unknown service", job(func(j *collect.Job) { j.Service = "nope" }), "no such service", false},
		{"global service in a region", job(func(j *collect.Job) { j.Service, j.Data = "droplets", nil }), "is global", false},
		{"buckets on another service", job(func(j *collect.Job) { j.Service, j.Region = "droplets", "global" }), "buckets in the data", false},
		{"spaces without buckets", job(func(j *collect.Job) { j.Data = nil }), "no buckets", false},
		{"spaces in no region", job(func(j *collect.Job) { j.Region = "global" }), "not a Spaces region", false},
		{"spaces region that is a host", job(func(j *collect.Job) { j.Region = "evil.example/x" }), "not a Spaces region", false},
		{"bad bucket name", job(func(j *collect.Job) { j.Data = json.RawMessage(`{"buckets":[{"name":"../x/y"}]}`) }), "bad name", false},
		{"bad creation date", job(func(j *collect.Job) { j.Data = json.RawMessage(`{"buckets":[{"name":"a","created":"May"}]}`) }), "creation date", false},
		{"another team's job", job(func(j *collect.Job) { j.Account = "0badc0de-0000-4000-8000-000000000000" }), "belongs to account " + team, true},
		{"another team's account job", collect.Job{Provider: resource.DigitalOcean, Account: "0badc0de-0000-4000-8000-000000000000",
			Region: "global", Service: "account"}, "belongs to account " + team, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakes(t)
			c, err := New(f.options())
			if err != nil {
				t.Fatal(err)
			}
			s := &memSink{}
			err = c.RunJob(context.Background(), tc.job, s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("RunJob: %v, want an error containing %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.job.String()) {
				t.Errorf("error %q does not name the job %s", err, tc.job)
			}
			if len(s.res)+len(s.edges)+len(s.errs) != 0 {
				t.Errorf("a refused job emitted %d resources, %d edges, %d errors", len(s.res), len(s.edges), len(s.errs))
			}
			calls := append(f.api.Requests(), f.spaces.Requests()...)
			if tc.calls {
				if !slices.Equal(calls, []string{"GET /v2/account"}) {
					t.Errorf("calls %v, want only the account read", calls)
				}
			} else if len(calls) != 0 {
				t.Errorf("a malformed job made calls: %v", calls)
			}
		})
	}
}

// TestRunJobOnAWorkerWithoutSpacesKey: a Spaces job reaching a worker that
// has no Spaces key is a denied collection error of that region.
func TestRunJobOnAWorkerWithoutSpacesKey(t *testing.T) {
	f := newFakes(t)
	o := f.options()
	o.SpacesAccessKeyID, o.SpacesSecretAccessKey = "", ""
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	s := &memSink{}
	j := collect.Job{Provider: resource.DigitalOcean, Account: team, Region: "nyc3", Service: "spaces",
		Data: json.RawMessage(`{"buckets":[{"name":"acme-assets"}]}`)}
	if err := c.RunJob(context.Background(), j, s); err != nil {
		t.Fatal(err)
	}
	if len(s.errs) != 1 || s.errs[0].Kind != collect.Denied || s.errs[0].Region != "nyc3" || s.errs[0].Service != "spaces" {
		t.Errorf("errors = %+v, want one denied spaces error in nyc3", s.errs)
	}
	if len(s.res) != 0 || len(f.spaces.Requests()) != 0 {
		t.Errorf("%d resources, Spaces calls %v; want none", len(s.res), f.spaces.Requests())
	}
}

// TestRunJobRereadsTheAccountAfterAFailure: a failed account read is not
// kept; the worker's next job reads again.
func TestRunJobRereadsTheAccountAfterAFailure(t *testing.T) {
	f := newFakes(t)
	f.api.Fail("/v2/account", http.StatusServiceUnavailable, 1, nil)
	o := f.options()
	o.MaxAttempts = 1
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	j := collect.Job{Provider: resource.DigitalOcean, Account: team, Region: "global", Service: "vpc"}
	if err := c.RunJob(context.Background(), j, &memSink{}); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("first RunJob: %v, want the 503 of the account read", err)
	}
	s := &memSink{}
	if err := c.RunJob(context.Background(), j, s); err != nil {
		t.Fatalf("second RunJob: %v", err)
	}
	if !slices.ContainsFunc(s.res, func(r resource.Resource) bool { return r.Kind == "do_vpc" }) {
		t.Errorf("the second run collected no VPC: %v", uids(s.res))
	}
	if err := c.RunJob(context.Background(), j, &memSink{}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range f.api.Requests() {
		if r == "GET /v2/account" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d account reads, want 2 (the failed one, then one kept for later jobs)", n)
	}
}

// sortedAll returns a sink's content in a total order (errors by every
// field, so that equal sets compare equal).
func sortedAll(s *memSink) ([]resource.Resource, []resource.Edge, []collect.Error) {
	res, edges, errs := s.sorted()
	slices.SortFunc(errs, func(a, b collect.Error) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Service, b.Service),
			cmp.Compare(a.Op, b.Op), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Message, b.Message))
	})
	return res, edges, errs
}

func uids(rs []resource.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.UID)
	}
	return out
}

// countDiff returns, for each request, how many more times it is in a
// than in b (entries with no difference left out).
func countDiff(a, b []string) map[string]int {
	d := map[string]int{}
	for _, r := range a {
		d[r]++
	}
	for _, r := range b {
		d[r]--
	}
	maps.DeleteFunc(d, func(_ string, n int) bool { return n == 0 })
	return d
}

// copyDir copies the files of src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// countingDroplets answers ListByTag with fixed Droplets or an error and
// counts the calls per tag.
type countingDroplets struct {
	dropletsAPI
	err   error
	calls map[string]int
}

func (c *countingDroplets) ListByTag(_ context.Context, tag string, _ *godo.ListOptions) ([]godo.Droplet, *godo.Response, error) {
	c.calls[tag]++
	if c.err != nil {
		return nil, nil, c.err
	}
	return []godo.Droplet{{ID: 1, Tags: []string{"web"}}, {ID: 2, Tags: []string{"db"}}, {ID: 3, Tags: []string{"web", "db"}}}, nil, nil
}

// TestJobTagSelectorsListEachTagOnce: within a job, selectors of the same
// tag share one listing, a failed one included (reported once, for the
// service), and only the Droplets carrying the tag get edges.
func TestJobTagSelectorsListEachTagOnce(t *testing.T) {
	sel := []tagEdge{{"do:firewall:a", "web", "protects"}, {"do:firewall:b", "web", "protects"}, {"do:firewall:b", "db", "protects"}}
	for _, tc := range []struct {
		name      string
		err       error
		wantEdges int
		wantErrs  int
	}{
		// a: 1, 3; b: 1, 3 (web) and 2, 3 (db), its edge to 3 once.
		{"listed", nil, 5, 0},
		{"denied", &godo.ErrorResponse{Response: &http.Response{StatusCode: http.StatusForbidden}, Message: "no"}, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakes(t)
			c, err := New(f.options())
			if err != nil {
				t.Fatal(err)
			}
			cd := &countingDroplets{err: tc.err, calls: map[string]int{}}
			c.api.droplets = cd
			s := &memSink{}
			r := c.newJobRun(context.Background(), s, team, nil)
			if err := r.resolveTags(context.Background(), "firewalls", sel); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(cd.calls, map[string]int{"web": 1, "db": 1}) {
				t.Errorf("ListByTag calls %v, want one per tag", cd.calls)
			}
			if len(s.edges) != tc.wantEdges || len(s.errs) != tc.wantErrs {
				t.Errorf("%d edges %v, %d errors %+v; want %d and %d", len(s.edges), s.edges, len(s.errs), s.errs, tc.wantEdges, tc.wantErrs)
			}
			for _, e := range s.errs {
				if e.Service != "firewalls" || e.Op != opTaggedDroplets || e.Kind != collect.Denied {
					t.Errorf("error %+v, want a denied firewalls %s", e, opTaggedDroplets)
				}
			}
		})
	}
}
