package gcp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// sorted returns what a sink received as sorted JSON lines, so that two
// runs in different orders compare equal.
func (m *memSink) sorted(t *testing.T) map[string][]string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string][]string{}
	add := func(part string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[part] = append(out[part], string(b))
	}
	for _, r := range m.res {
		add("resources", r)
	}
	for _, e := range m.edges {
		add("edges", e)
	}
	for _, e := range m.errs {
		add("errors", e)
	}
	for _, v := range out {
		slices.Sort(v)
	}
	return out
}

// reformat decodes and re-encodes a job's data as a queue storing it in a
// jsonb column may: keys reordered, spacing changed.
func reformat(t *testing.T, data json.RawMessage) json.RawMessage {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(v, "", "   ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPlanAndRunJobsMatchCollect plans each scope, sends every job through
// JSON (as the queue does, reformatting its data), runs the jobs in reverse
// order on a second collector that names no scope (a worker) and checks that
// planning errors plus the jobs' output are exactly what Collect yields:
// resources, edges and collection errors, including a denied project, a
// denied folder and services not enabled.
func TestPlanAndRunJobsMatchCollect(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		jobs int
	}{
		{"organization", Options{Organization: org}, 3},
		{"folder", Options{Folder: "200"}, 1},
		{"projects with a denied one", Options{Projects: []string{"acme-web-4821", "acme-gone-0000", "acme-lab-1177"}}, 2},
		{"vertex locations named", Options{Projects: []string{"acme-web-4821"}, VertexLocations: []string{"us-central1"}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fixtures(t)
			want := collectAll(t, newCollector(t, srv, tc.opts))

			var got memSink
			// The planner authenticates: its token must not travel.
			popts := tc.opts
			popts.Endpoint, popts.RetryDelay = srv.URL, time.Millisecond
			popts.TokenSource = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "ya29.secret-for-tests", TokenType: "Bearer"})
			planner, err := New(context.Background(), popts)
			if err != nil {
				t.Fatal(err)
			}
			jobs, err := planner.Plan(context.Background(), &got)
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			if len(got.res) != 0 || len(got.edges) != 0 {
				t.Errorf("Plan emitted %d resources and %d edges; planning only resolves the scope", len(got.res), len(got.edges))
			}
			if len(jobs) != tc.jobs {
				t.Errorf("%d jobs, want %d: %v", len(jobs), tc.jobs, jobs)
			}
			seen := map[string]bool{}
			for _, j := range jobs {
				if seen[j.String()] {
					t.Errorf("job %s planned twice", j)
				}
				seen[j.String()] = true
				if j.Provider != resource.GCP || j.Service != ProjectJob || j.Region != resource.GlobalRegion {
					t.Errorf("job %s: want gcp/PROJECT/global/project", j)
				}
				if len(j.Data) > 16<<10 {
					t.Errorf("job %s carries %d bytes of data", j, len(j.Data))
				}
				if strings.Contains(string(j.Data), "ya29.secret-for-tests") {
					t.Errorf("job %s carries a token: %s", j, j.Data)
				}
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
			worker := newCollector(t, srv, Options{})
			for _, j := range decoded {
				j.Data = reformat(t, j.Data)
				if err := worker.RunJob(context.Background(), j, &got); err != nil {
					t.Fatalf("RunJob %s: %v", j, err)
				}
			}
			g, w := got.sorted(t), want.sorted(t)
			for _, part := range []string{"resources", "edges", "errors"} {
				if !slices.Equal(g[part], w[part]) {
					t.Errorf("%s: jobs yield %d, Collect %d\nonly jobs: %v\nonly Collect: %v", part, len(g[part]), len(w[part]),
						minus(g[part], w[part]), minus(w[part], g[part]))
				}
			}
		})
	}
}

// minus returns the lines of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestPlanReadsAncestorsOnce checks that the organization's and folders'
// sinks and IAM policies are read once per scan, by the planner, and that
// running the jobs reads none of them again.
func TestPlanReadsAncestorsOnce(t *testing.T) {
	srv := fixtures(t)
	jobs, err := newCollector(t, srv, Options{Organization: org}).Plan(context.Background(), &memSink{})
	if err != nil {
		t.Fatal(err)
	}
	worker := newCollector(t, srv, Options{})
	for _, j := range jobs {
		if err := worker.RunJob(context.Background(), j, &memSink{}); err != nil {
			t.Fatal(err)
		}
	}
	n := map[string]int{}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "/organizations/") || strings.Contains(r.Path, "/folders/") {
			n[r.Path]++
		}
	}
	if len(n) == 0 {
		t.Fatal("no organization or folder was read")
	}
	for path, k := range n {
		if k != 1 {
			t.Errorf("%s read %d times, want once", path, k)
		}
	}
}

// TestServiceAccountEdgeOutsideListing checks that a resource running as a
// service account that is not in its project's listing (the App Engine
// default account, here; an account of another project, in general) gets
// its runs_as edge through serviceAccounts.get, read once per job however
// many resources use it, and that an account that cannot be read (the
// default compute account: not found) gets no edge and no error.
func TestServiceAccountEdgeOutsideListing(t *testing.T) {
	srv := fixtures(t)
	sink := collectAll(t, newCollector(t, srv, Options{Projects: []string{"acme-web-4821"}}))
	want := resource.Edge{
		From: "//cloudfunctions.googleapis.com/projects/acme-web-4821/locations/us-central1/functions/legacy-export",
		To:   "//iam.googleapis.com/projects/acme-web-4821/serviceAccounts/104820000000000000009", Type: "runs_as",
	}
	if !slices.Contains(sink.edges, want) {
		t.Errorf("no edge %+v among %+v", want, sink.edges)
	}
	gets := map[string]int{}
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/iam/v1/projects/-/serviceAccounts/") {
			gets[r.Path]++
		}
	}
	if gets["/iam/v1/projects/-/serviceAccounts/482190317745-compute@developer.gserviceaccount.com"] != 1 {
		t.Errorf("the default compute account was read %v", gets)
	}
	for path, k := range gets {
		if k != 1 {
			t.Errorf("%s read %d times, want once", path, k)
		}
	}
	if gets["/iam/v1/projects/-/serviceAccounts/app@acme-web-4821.iam.gserviceaccount.com"] != 0 {
		t.Error("an account of the project's own listing was read again")
	}
	for _, e := range sink.errs {
		if e.Op == "iam.serviceAccounts.get" {
			t.Errorf("unexpected collection error %+v: a missing account gets no edge, not an error", e)
		}
	}
}

// TestServiceAccountLookupThrottled checks that a serviceAccounts.get
// throttled past its retries is a collection error of the project (service
// iam) and that the edge is left out, while the project resource still
// counts iam as collected (the listing was complete).
func TestServiceAccountLookupThrottled(t *testing.T) {
	srv := fixtures(t)
	srv.Throttle("iam/v1/projects/-/serviceAccounts/acme-web-4821@appspot.gserviceaccount.com", 100)
	sink := collectAll(t, newCollector(t, srv, Options{Projects: []string{"acme-web-4821"}, MaxRetries: 1}))
	var got []collect.Error
	for _, e := range sink.errs {
		if e.Op == "iam.serviceAccounts.get" {
			got = append(got, e)
		}
	}
	if len(got) != 1 || got[0].Kind != collect.Throttled || got[0].Service != "iam" || got[0].Account != "acme-web-4821" {
		t.Errorf("errors %+v, want one throttled iam.serviceAccounts.get error of acme-web-4821", sink.errs)
	}
	for _, e := range sink.edges {
		if strings.HasSuffix(e.To, "/104820000000000000009") {
			t.Errorf("edge %+v to an account that could not be read", e)
		}
	}
	for _, r := range sink.res {
		if r.Kind == "gcp_project" {
			var doc struct {
				Collected map[string]bool `json:"collected"`
			}
			if err := json.Unmarshal(r.Properties, &doc); err != nil {
				t.Fatal(err)
			}
			if !doc.Collected["iam"] {
				t.Errorf("collected %v: the service account listing was complete", doc.Collected)
			}
		}
	}
}

// TestRunJobRejectsBadJobs checks that a job the collector cannot have
// planned is an error naming the job, not a panic or a silent no-op.
func TestRunJobRejectsBadJobs(t *testing.T) {
	srv := fixtures(t)
	c := newCollector(t, srv, Options{})
	data := func(id, name string) json.RawMessage {
		return json.RawMessage(fmt.Sprintf(`{"project":{"projectId":%q,"name":%q,"state":"ACTIVE"}}`, id, name))
	}
	good := data("acme-web-4821", "projects/482190317745")
	for _, tc := range []struct {
		name string
		job  collect.Job
		want string
	}{
		{"other provider", collect.Job{Provider: resource.AWS, Account: "acme-web-4821", Region: "global", Service: ProjectJob, Data: good}, "not a Google Cloud job"},
		{"unknown service", collect.Job{Provider: resource.GCP, Account: "acme-web-4821", Region: "global", Service: "compute", Data: good}, "no such job"},
		{"regional", collect.Job{Provider: resource.GCP, Account: "acme-web-4821", Region: "us-central1", Service: ProjectJob, Data: good}, "no such job"},
		{"bad data", collect.Job{Provider: resource.GCP, Account: "acme-web-4821", Region: "global", Service: ProjectJob, Data: json.RawMessage(`[`)}, "decode"},
		{"no data", collect.Job{Provider: resource.GCP, Account: "acme-web-4821", Region: "global", Service: ProjectJob}, "decode"},
		{"two values", collect.Job{Provider: resource.GCP, Account: "acme-web-4821", Region: "global", Service: ProjectJob, Data: json.RawMessage(string(good) + `{}`)}, "more than one"},
		{"wrong types", collect.Job{Provider: resource.GCP, Account: "acme-web-4821", Region: "global", Service: ProjectJob, Data: json.RawMessage(`{"project":{"projectId":7}}`)}, "decode"},
		{"no project", collect.Job{Provider: resource.GCP, Account: "acme-web-4821", Region: "global", Service: ProjectJob, Data: json.RawMessage(`{}`)}, "names no project"},
		{"another project", collect.Job{Provider: resource.GCP, Account: "acme-lab-1177", Region: "global", Service: ProjectJob, Data: good}, `describes project "acme-web-4821"`},
		{"bad project name", collect.Job{Provider: resource.GCP, Account: "acme-web-4821", Region: "global", Service: ProjectJob, Data: data("acme-web-4821", "projects/acme-web-4821")}, "not projects/NUMBER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s memSink
			err := c.RunJob(context.Background(), tc.job, &s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("RunJob: %v, want an error containing %q", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), tc.job.String()) {
				t.Errorf("RunJob: %v does not name the job %s", err, tc.job)
			}
			if len(s.res)+len(s.edges)+len(s.errs) != 0 {
				t.Errorf("a rejected job sent %d resources, %d edges, %d errors", len(s.res), len(s.edges), len(s.errs))
			}
		})
	}
}

// TestPlanNeedsAScope checks that a worker's collector (no scope) cannot
// plan or collect.
func TestPlanNeedsAScope(t *testing.T) {
	c := newCollector(t, fixtures(t), Options{})
	if _, err := c.Plan(context.Background(), &memSink{}); err == nil || !strings.Contains(err.Error(), "no scope") {
		t.Errorf("Plan without a scope: %v, want a no scope error", err)
	}
	if err := c.Collect(context.Background(), &memSink{}); err == nil || !strings.Contains(err.Error(), "no scope") {
		t.Errorf("Collect without a scope: %v, want a no scope error", err)
	}
}
