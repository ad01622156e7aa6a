package azure

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"cloudward/internal/collect"
	"cloudward/internal/collect/azure/aztest"
	"cloudward/internal/resource"
)

// newCollector builds a collector against srv.
func newCollector(t *testing.T, srv *aztest.Server, mod func(*Options)) *Collector {
	t.Helper()
	opts := Options{
		Credential: aztest.Credential{}, Endpoint: srv.URL, GraphEndpoint: srv.URL + aztest.GraphPrefix,
		RetryDelay: 10 * time.Millisecond, MaxRetryDelay: 5 * time.Second,
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// canonical sorts everything a sink received on every field, so that two
// runs compare whatever order their jobs finished in.
func canonical(s *memSink) *memSink {
	out := &memSink{res: slices.Clone(s.res), edges: slices.Clone(s.edges), errs: slices.Clone(s.errs)}
	slices.SortFunc(out.res, func(a, b resource.Resource) int {
		return cmp.Or(cmp.Compare(a.UID, b.UID), bytes.Compare(a.Properties, b.Properties))
	})
	slices.SortFunc(out.edges, func(a, b resource.Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Type, b.Type))
	})
	slices.SortFunc(out.errs, func(a, b collect.Error) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Service, b.Service),
			cmp.Compare(a.Op, b.Op), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Message, b.Message))
	})
	return out
}

// TestPlanAndRunJobsMatchCollect plans each scenario, sends every job
// through JSON (as the queue does), runs them in reverse order on a second
// collector (another process: no subscription list, no state of the
// planner's) and checks that the result is exactly what Collect yields, and
// that the tenant-wide reads are made once, by the planner or the tenant's
// job, not once per job.
func TestPlanAndRunJobsMatchCollect(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(*aztest.Server)
		opts func(*Options)
		// jobs is the number of jobs planned.
		jobs int
	}{
		{name: "clean", jobs: 1 + 2 + 12 + 2 + 10},
		{name: "subscription denied", fail: func(s *aztest.Server) {
			s.Fail("/subscriptions/"+sbxSub, http.StatusForbidden, "AuthorizationFailed", "The client does not have authorization.")
		}, jobs: 1 + 2 + 12 + 2 + 10},
		{name: "named subscription denied", fail: func(s *aztest.Server) {
			s.Fail("/subscriptions/"+sbxSub, http.StatusForbidden, "AuthorizationFailed", "denied")
		}, opts: func(o *Options) { o.Subscriptions = []string{prodSub, sbxSub, prodSub} }, jobs: 1 + 2 + 12},
		{name: "provider not registered", fail: func(s *aztest.Server) {
			s.Fail("/subscriptions/"+sbxSub+"/providers/Microsoft.Security/", http.StatusConflict, "MissingSubscriptionRegistration",
				"The subscription is not registered to use namespace 'Microsoft.Security'.")
		}, jobs: 1 + 2 + 12 + 2 + 10},
		{name: "graph denied", fail: func(s *aztest.Server) {
			s.Fail(aztest.GraphPrefix+"/", http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		}, jobs: 1 + 2 + 12 + 2 + 10},
		{name: "resource graph denied", fail: func(s *aztest.Server) {
			s.Fail("/providers/Microsoft.ResourceGraph/", http.StatusForbidden, "AuthorizationFailed", "denied")
		}, jobs: 1 + 2*2},
		{name: "vault data plane denied", fail: func(s *aztest.Server) {
			s.Fail("/kvdata/kv-acme-sbx/", http.StatusForbidden, "Forbidden", "Client address is not authorized. (ForbiddenByFirewall)")
		}, jobs: 1 + 2 + 12 + 2 + 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFake(t)
			if tc.fail != nil {
				tc.fail(srv)
			}
			want, err := collectFrom(t, srv, tc.opts)
			if err != nil {
				t.Fatalf("Collect: %v", err)
			}
			collectCalls := srv.Requests()
			before := len(collectCalls)

			var got memSink
			jobs, err := newCollector(t, srv, tc.opts).Plan(t.Context(), &got)
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			if len(got.res) != 0 || len(got.edges) != 0 {
				t.Errorf("Plan emitted %d resources, %d edges; planning only resolves the scope", len(got.res), len(got.edges))
			}
			if len(jobs) != tc.jobs {
				t.Errorf("%d jobs planned, want %d", len(jobs), tc.jobs)
			}
			seen := map[string]bool{}
			for _, j := range jobs {
				if seen[j.String()] {
					t.Errorf("job %s planned twice", j)
				}
				seen[j.String()] = true
				for _, secret := range []string{aztest.Token, "sk_live_", "AccountKey="} {
					if strings.Contains(string(j.Data), secret) {
						t.Errorf("job %s carries %q: %s", j, secret, j.Data)
					}
				}
				if len(j.Data) > 2048 {
					t.Errorf("job %s carries %d bytes of data", j, len(j.Data))
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
			worker := newCollector(t, srv, nil)
			for _, j := range decoded {
				if err := worker.RunJob(t.Context(), j, &got); err != nil {
					t.Fatalf("RunJob %s: %v", j, err)
				}
			}
			assertReadOnly(t, srv)
			g, w := canonical(&got), canonical(want)
			if !reflect.DeepEqual(g.res, w.res) || !reflect.DeepEqual(g.edges, w.edges) || !reflect.DeepEqual(g.errs, w.errs) {
				t.Errorf("jobs collected %d resources, %d edges, %d errors; Collect %d, %d, %d\n%s",
					len(g.res), len(g.edges), len(g.errs), len(w.res), len(w.edges), len(w.errs), diffSinks(g, w))
			}
			if len(w.res) == 0 {
				t.Error("Collect collected nothing: the scenario tests nothing")
			}
			// Tenant-wide reads happen once across the plan and its jobs.
			jobCalls := srv.Requests()[before:]
			counts := map[string]int{}
			for _, r := range jobCalls {
				counts[strings.ToLower(r.Path)]++
			}
			// The plan and its jobs make the calls Collect makes, plus each
			// resource job's Resource Graph query (two pages in the fake)
			// and the subscription job's read of its activity log's
			// destination account, which Collect finds in its inventory.
			calls := map[string]int{}
			for _, r := range jobCalls {
				calls[r.Method+" "+strings.ToLower(r.Path)]++
			}
			for _, r := range collectCalls {
				calls[r.Method+" "+strings.ToLower(r.Path)]--
			}
			resourceJobs := 0
			for _, j := range jobs {
				if j.Service != svcEntra && j.Service != svcSubscription && j.Service != svcAuthorization {
					resourceJobs++
				}
			}
			for call, n := range calls {
				switch {
				case n == 0:
				case call == "POST /providers/microsoft.resourcegraph/resources" && n == 2*resourceJobs:
				case call == "GET "+strings.ToLower(logsAccount) && n == 1:
				default:
					t.Errorf("%s: %+d calls in the plan and its jobs against Collect", call, n)
				}
			}
			t.Logf("%d jobs, %d calls (Collect: %d)", len(jobs), len(jobCalls), len(collectCalls))
			for _, path := range []string{
				aztest.GraphPrefix + "/v1.0/policies/identitysecuritydefaultsenforcementpolicy",
				aztest.GraphPrefix + "/v1.0/policies/authorizationpolicy",
				"/providers/microsoft.subscription/policies/default",
			} {
				if counts[path] != 1 {
					t.Errorf("%s read %d times by the plan and its jobs, want once", path, counts[path])
				}
			}
		})
	}
}

// logsAccount is the storage account the production subscription's
// activity log is archived to.
const logsAccount = "/subscriptions/" + prodSub + "/resourcegroups/rg-monitoring/providers/microsoft.storage/storageaccounts/acmeprodlogs"

// diffSinks describes how two canonical sinks differ.
func diffSinks(got, want *memSink) string {
	var b strings.Builder
	only := func(label string, a, c []string) {
		for _, x := range a {
			if !slices.Contains(c, x) {
				b.WriteString(label + x + "\n")
			}
		}
	}
	lines := func(s *memSink) (res, edges, errs []string) {
		for _, r := range s.res {
			j, _ := json.Marshal(r)
			res = append(res, string(j))
		}
		for _, e := range s.edges {
			edges = append(edges, e.From+" "+e.Type+" "+e.To)
		}
		for _, e := range s.errs {
			j, _ := json.Marshal(e)
			errs = append(errs, string(j))
		}
		return
	}
	gr, ge, gx := lines(got)
	wr, we, wx := lines(want)
	only("only jobs: ", gr, wr)
	only("only Collect: ", wr, gr)
	only("only jobs edge: ", ge, we)
	only("only Collect edge: ", we, ge)
	only("only jobs error: ", gx, wx)
	only("only Collect error: ", wx, gx)
	return b.String()
}

// TestPlanOrder checks that the plan is deterministic: the tenant's job
// first, then each subscription's subscription, authorization and service
// jobs, services sorted; every job in the global region.
func TestPlanOrder(t *testing.T) {
	srv := newFake(t)
	var s memSink
	jobs, err := newCollector(t, srv, nil).Plan(t.Context(), &s)
	if err != nil {
		t.Fatal(err)
	}
	again, err := newCollector(t, srv, nil).Plan(t.Context(), &memSink{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(jobs, again) {
		t.Error("two plans of the same estate differ")
	}
	var got []string
	for _, j := range jobs {
		if j.Region != resource.GlobalRegion || j.Provider != resource.Azure {
			t.Errorf("job %s: want an azure job in the global region", j)
		}
		got = append(got, j.Account[:4]+"/"+j.Service)
	}
	want := []string{"7d3e/entra",
		"3f2a/subscription", "3f2a/authorization", "3f2a/aks", "3f2a/appservice", "3f2a/cognitiveservices", "3f2a/compute",
		"3f2a/databricks", "3f2a/keyvault", "3f2a/machinelearning", "3f2a/monitor", "3f2a/network", "3f2a/postgresql",
		"3f2a/sql", "3f2a/storage",
		"b81d/subscription", "b81d/authorization", "b81d/appservice", "b81d/cognitiveservices", "b81d/compute",
		"b81d/keyvault", "b81d/monitor", "b81d/mysql", "b81d/network", "b81d/search", "b81d/sql", "b81d/storage"}
	if !slices.Equal(got, want) {
		t.Errorf("plan\n%v\nwant\n%v", got, want)
	}
	// The storage job carries the vault its CMK account uses, by URI.
	for _, j := range jobs {
		if j.Account == prodSub && j.Service == "storage" {
			var d jobData
			if err := json.Unmarshal(j.Data, &d); err != nil {
				t.Fatal(err)
			}
			if id := d.Vaults[vaultKey(srv.URL+"/kvdata/kv-acme-prod/")]; !strings.HasSuffix(id, "/vaults/kv-acme-prod") {
				t.Errorf("storage job data %s lacks the CMK vault", j.Data)
			}
		}
	}
}

// TestPlanWithoutCredentialFails: planning that cannot list a subscription
// is an error, not an empty plan.
func TestPlanWithoutCredentialFails(t *testing.T) {
	srv := newFake(t)
	c := newCollector(t, srv, func(o *Options) { o.Credential = badCredential{}; o.MaxRetries = -1 })
	if jobs, err := c.Plan(t.Context(), &memSink{}); err == nil {
		t.Fatalf("Plan succeeded without a credential: %d jobs", len(jobs))
	}
}

// TestRunJobRejectsBadJobs checks that a job the collector cannot have
// planned is an error naming the job, not a panic or a silent no-op, and
// that no request is sent for it.
func TestRunJobRejectsBadJobs(t *testing.T) {
	srv := newFake(t)
	c := newCollector(t, srv, func(o *Options) { o.TenantID = tenantID })
	subData := `{"subscription":{"subscription_id":"` + prodSub + `","display_name":"Acme Production"}}`
	job := func(account, region, service, data string) collect.Job {
		j := collect.Job{Provider: resource.Azure, Account: account, Region: region, Service: service}
		if data != "" {
			j.Data = json.RawMessage(data)
		}
		return j
	}
	for _, tc := range []struct {
		name string
		job  collect.Job
		want string
	}{
		{"other provider", collect.Job{Provider: resource.AWS, Account: prodSub, Region: "global", Service: "storage"}, "not an Azure job"},
		{"malformed data", job(prodSub, "global", "storage", `[`), "decode its data"},
		{"data of another shape", job(prodSub, "global", "storage", `{"vaults":["x"]}`), "decode its data"},
		{"no account", job("", "global", "storage", `{}`), "not a subscription or tenant ID"},
		{"path in account", job(prodSub+"/../../providers", "global", "storage", `{}`), "not a subscription or tenant ID"},
		{"regional", job(prodSub, "eastus", "storage", `{}`), "global region"},
		{"unknown service", job(prodSub, "global", "nope", `{}`), "no such service"},
		{"subscription without facts", job(prodSub, "global", "subscription", `{}`), "facts are missing"},
		{"subscription facts of another", job(sbxSub, "global", "subscription", subData), "describes subscription"},
		{"another tenant", job("0c1d2e3f-0000-4000-8000-000000000000", "global", "entra", `{}`), "signs in to tenant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Requests())
			var s memSink
			err := c.RunJob(context.Background(), tc.job, &s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("RunJob: %v, want an error containing %q", err, tc.want)
			}
			if n := len(srv.Requests()) - before; n != 0 {
				t.Errorf("%d requests sent for a rejected job", n)
			}
			if len(s.res)+len(s.edges)+len(s.errs) != 0 {
				t.Errorf("a rejected job emitted %d resources, %d edges, %d errors", len(s.res), len(s.edges), len(s.errs))
			}
		})
	}
}

// TestResourceJobQueryFails: a resource job whose own Resource Graph query
// fails (the planner's succeeded) records one collection error naming the
// job's service, and collects nothing else.
func TestResourceJobQueryFails(t *testing.T) {
	srv := newFake(t)
	c := newCollector(t, srv, nil)
	jobs, err := c.Plan(t.Context(), &memSink{})
	if err != nil {
		t.Fatal(err)
	}
	srv.Fail("/providers/Microsoft.ResourceGraph/", http.StatusForbidden, "AuthorizationFailed", "denied")
	var s memSink
	ran := 0
	for _, j := range jobs {
		if j.Service == "storage" || j.Service == "keyvault" {
			ran++
			if err := c.RunJob(t.Context(), j, &s); err != nil {
				t.Fatalf("RunJob %s: %v", j, err)
			}
		}
	}
	if len(s.errs) != ran {
		t.Fatalf("%d errors from %d failed jobs: %v", len(s.errs), ran, s.errs)
	}
	for _, e := range s.errs {
		if (e.Service != "storage" && e.Service != "keyvault") || e.Op != "Microsoft.ResourceGraph/resources/read" || e.Kind != resource.Denied {
			t.Errorf("error %v, want a denied Resource Graph read of the job's service", e)
		}
	}
	if len(s.res) != 0 || len(s.edges) != 0 {
		t.Errorf("failed jobs emitted %d resources, %d edges", len(s.res), len(s.edges))
	}
}
