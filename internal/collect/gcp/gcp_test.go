package gcp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/googleapi"

	"cloudward/internal/collect"
	"cloudward/internal/collect/gcp/gcptest"
	"cloudward/internal/resource"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const org = "100200300400"

// memSink keeps what a collector sends.
type memSink struct {
	mu      sync.Mutex
	res     []resource.Resource
	edges   []resource.Edge
	errs    []collect.Error
	failOn  string
	panicOn string
}

func (m *memSink) Resource(_ context.Context, r resource.Resource) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failOn != "" && r.Kind == m.failOn {
		return errors.New("disk full")
	}
	if m.panicOn != "" && r.Kind == m.panicOn {
		m.mu.Unlock()
		defer m.mu.Lock()
		panic("sink exploded on " + r.UID)
	}
	m.res = append(m.res, r)
	return nil
}

func (m *memSink) Edge(_ context.Context, e resource.Edge) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.edges = append(m.edges, e)
	return nil
}

func (m *memSink) Error(_ context.Context, e collect.Error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.errs = append(m.errs, e)
	return nil
}

func newCollector(t *testing.T, srv *gcptest.Server, opts Options) *Collector {
	t.Helper()
	opts.Endpoint = srv.URL
	opts.WithoutAuthentication = true
	opts.RetryDelay = time.Millisecond
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func collectAll(t *testing.T, c *Collector) *memSink {
	t.Helper()
	sink := &memSink{}
	if err := c.Collect(context.Background(), sink); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	slices.SortFunc(sink.res, func(a, b resource.Resource) int { return strings.Compare(a.UID, b.UID) })
	slices.SortFunc(sink.errs, func(a, b collect.Error) int {
		return strings.Compare(a.Account+a.Op+a.Region, b.Account+b.Op+b.Region)
	})
	return sink
}

func fixtures(t *testing.T) *gcptest.Server {
	return gcptest.New(t, filepath.Join("testdata", "api"))
}

// TestCollectOrganization walks the organization (paged project list,
// nested folders, a project being deleted), collects three projects — one
// complete, one with Compute, Cloud SQL and GKE disabled, one denied
// everywhere — survives two 429s, and matches the golden output.
func TestCollectOrganization(t *testing.T) {
	srv := fixtures(t)
	srv.Throttle("storage/storage/v1/b/acme-web-4821-public/iam", 2)
	srv.Throttle("iam/v1/projects/acme-web-4821/serviceAccounts@pageToken=sa-2", 1)
	sink := collectAll(t, newCollector(t, srv, Options{Organization: org}))

	counts := map[string]int{}
	accounts := map[string]bool{}
	for _, r := range sink.res {
		counts[r.Kind]++
		accounts[r.Account] = true
	}
	want := map[string]int{
		"gcp_project": 3, "gcp_iam_service_account": 3, "gcp_storage_bucket": 3, "gcp_compute_instance": 2,
		"gcp_compute_disk": 2, "gcp_compute_firewall": 4, "gcp_compute_network": 3, "gcp_compute_subnetwork": 2,
		"gcp_sql_instance": 2, "gcp_kms_crypto_key": 2, "gcp_container_cluster": 1,
		"gcp_dns_managed_zone": 3, "gcp_logging_sink": 3, "gcp_bigquery_dataset": 2,
		"gcp_logging_metric": 3, "gcp_monitoring_alert_policy": 2, "gcp_vertex_ai_endpoint": 2, "gcp_vertex_ai_model": 1,
		"gcp_vertex_ai_dataset": 2, "gcp_vertex_ai_custom_job": 2, "gcp_vertex_ai_training_pipeline": 1,
		"gcp_vertex_ai_pipeline_job": 1, "gcp_workbench_instance": 2,
		"gcp_apikeys_key": 3, "gcp_dns_policy": 1, "gcp_compute_backend_service": 2, "gcp_dataproc_cluster": 2,
		"gcp_cloudfunctions_function": 2,
	}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d resources, want %d", k, counts[k], n)
		}
	}
	if accounts["acme-old-9900"] {
		t.Error("a DELETE_REQUESTED project was collected")
	}
	if !accounts["acme-sec-3311"] {
		t.Error("the project in a nested folder was not found")
	}

	kinds := map[string]string{}
	for _, e := range sink.errs {
		kinds[e.Account+" "+e.Op] = string(e.Kind)
	}
	wantErr := map[string]string{
		"acme-lab-1177 compute.projects.get":                           "not_enabled",
		"acme-lab-1177 sqladmin.instances.list":                        "not_enabled",
		"acme-lab-1177 container.clusters.list":                        "not_enabled",
		"acme-lab-1177 dns.managedZones.list":                          "not_enabled",
		"acme-web-4821 compute.disks.aggregatedList":                   "other",
		"acme-sec-3311 dns.managedZones.list":                          "denied",
		"acme-sec-3311 logging.sinks.list":                             "denied",
		"acme-sec-3311 bigquery.datasets.list":                         "denied",
		"acme-sec-3311 cloudresourcemanager.projects.getIamPolicy":     "denied",
		"acme-sec-3311 compute.projects.get":                           "denied",
		"acme-sec-3311 iam.serviceAccounts.list":                       "denied",
		"acme-sec-3311 storage.buckets.list":                           "denied",
		"acme-sec-3311 sqladmin.instances.list":                        "denied",
		"acme-sec-3311 cloudkms.locations.list":                        "denied",
		"acme-sec-3311 container.clusters.list":                        "denied",
		"acme-lab-1177 monitoring.alertPolicies.list":                  "not_enabled",
		"acme-lab-1177 aiplatform.locations.list":                      "not_enabled",
		"acme-lab-1177 notebooks.instances.list":                       "not_enabled",
		"acme-sec-3311 logging.metrics.list":                           "denied",
		"acme-sec-3311 monitoring.alertPolicies.list":                  "denied",
		"acme-sec-3311 aiplatform.locations.list":                      "denied",
		"acme-sec-3311 notebooks.instances.list":                       "denied",
		"acme-web-4821 notebooks.instances.list":                       "other",
		"acme-lab-1177 apikeys.keys.list":                              "not_enabled",
		"acme-sec-3311 apikeys.keys.list":                              "denied",
		"acme-sec-3311 essentialcontacts.contacts.compute":             "denied",
		"acme-sec-3311 serviceusage.services.list":                     "denied",
		"acme-lab-1177 compute.regions.list":                           "not_enabled",
		"acme-sec-3311 compute.regions.list":                           "denied",
		"folders/300 logging.sinks.list":                               "denied",
		"acme-lab-1177 cloudfunctions.functions.list":                  "not_enabled",
		"acme-sec-3311 cloudfunctions.functions.list":                  "denied",
		"acme-lab-1177 orgpolicy.projects.policies.getEffectivePolicy": "not_enabled",
		"acme-sec-3311 orgpolicy.projects.policies.getEffectivePolicy": "denied",
		"folders/300 cloudresourcemanager.folders.getIamPolicy":        "denied",
	}
	if len(sink.errs) != len(wantErr) {
		t.Errorf("%d collection errors, want %d: %+v", len(sink.errs), len(wantErr), sink.errs)
	}
	for k, v := range wantErr {
		if kinds[k] != v {
			t.Errorf("collection error %s: kind %q, want %q", k, kinds[k], v)
		}
	}

	// The denied project is stored without the parts that failed, so the
	// checks over them are ERROR rather than a false PASS.
	for _, r := range sink.res {
		if r.Account == "acme-sec-3311" {
			var doc map[string]any
			json.Unmarshal(r.Properties, &doc)
			if _, ok := doc["iam_policy"]; ok {
				t.Error("denied project carries an IAM policy")
			}
		}
	}

	checkSchemas(t, sink.res)
	golden(t, "collect.golden.json", sink)
	assertReadOnly(t, srv)
}

func TestCollectProjectsAndFolder(t *testing.T) {
	srv := fixtures(t)
	sink := collectAll(t, newCollector(t, srv, Options{Projects: []string{"acme-web-4821", "acme-gone-0000"}}))
	for _, r := range sink.res {
		if r.Account != "acme-web-4821" {
			t.Errorf("resource of %s collected for --gcp-project acme-web-4821", r.Account)
		}
	}
	if len(sink.res) != 56 {
		t.Errorf("%d resources, want 56", len(sink.res))
	}
	if len(sink.errs) != 3 || sink.errs[0].Account != "acme-gone-0000" || sink.errs[0].Kind != collect.Denied ||
		sink.errs[1].Region != "asia-east1-a" || sink.errs[2].Region != "asia-east1-b" {
		t.Errorf("errors %+v, want a denied error for acme-gone-0000 and two unreachable zones", sink.errs)
	}

	sink = collectAll(t, newCollector(t, srv, Options{Folder: "200"}))
	if len(sink.res) != 1 || sink.res[0].Kind != "gcp_project" || sink.res[0].Account != "acme-sec-3311" {
		t.Errorf("folder scope collected %+v, want only the acme-sec-3311 project", sink.res)
	}
}

func TestCollectUnlistableOrganization(t *testing.T) {
	srv := fixtures(t)
	c := newCollector(t, srv, Options{Organization: "999"})
	if err := c.Collect(context.Background(), &memSink{}); err == nil {
		t.Fatal("Collect succeeded on an organization that cannot be listed")
	}
}

func TestCollectThrottledForGood(t *testing.T) {
	srv := fixtures(t)
	srv.Throttle("sqladmin/v1/projects/acme-web-4821/instances", 100)
	sink := collectAll(t, newCollector(t, srv, Options{Projects: []string{"acme-web-4821"}, MaxRetries: 2}))
	var got []collect.Error
	for _, e := range sink.errs {
		if e.Service == "sqladmin" {
			got = append(got, e)
		}
	}
	if len(got) != 1 || got[0].Kind != collect.Throttled {
		t.Fatalf("errors %+v, want one throttled sqladmin error", sink.errs)
	}
	n := 0
	for _, r := range srv.Requests() {
		if r.Key == "sqladmin/v1/projects/acme-web-4821/instances" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d attempts, want 3 (1 + 2 retries)", n)
	}
}

func TestCollectSinkFailureAborts(t *testing.T) {
	srv := fixtures(t)
	c := newCollector(t, srv, Options{Projects: []string{"acme-web-4821"}})
	err := c.Collect(context.Background(), &memSink{failOn: "gcp_storage_bucket"})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Collect = %v, want the sink's error", err)
	}
}

// TestGuardRefusesWrites proves the transport never lets a write through,
// whatever the code above it asks for.
func TestGuardRefusesWrites(t *testing.T) {
	called := 0
	g := &guard{base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		called++
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}}, nil
	}), maxRetries: 1, delay: time.Millisecond, maxDelay: time.Second, log: slog.New(slog.DiscardHandler)}
	for _, tt := range []struct {
		method, path string
		ok           bool
	}{
		{"GET", "/compute/v1/projects/p/global/firewalls", true},
		{"POST", "/v3/projects/1:getIamPolicy", true},
		{"POST", "/v1/organizations/1:searchAllResources", true},
		{"POST", "/v3/projects/1:setIamPolicy", false},
		{"POST", "/compute/v1/projects/p/zones/z/instances", false},
		{"DELETE", "/storage/v1/b/bucket", false},
		{"PATCH", "/storage/v1/b/bucket", false},
		{"PUT", "/storage/v1/b/bucket/iam", false},
	} {
		called = 0
		req, _ := http.NewRequest(tt.method, "https://x.googleapis.com"+tt.path, bytes.NewReader(nil))
		resp, err := g.RoundTrip(req)
		if tt.ok && (err != nil || called != 1) {
			t.Errorf("%s %s refused: %v", tt.method, tt.path, err)
		}
		if !tt.ok && (!errors.Is(err, ErrWrite) || called != 0) {
			t.Errorf("%s %s let through (err %v)", tt.method, tt.path, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want resource.ErrorKind
	}{
		{"disabled by reason", &googleapi.Error{Code: 403, Errors: []googleapi.ErrorItem{{Reason: "accessNotConfigured"}}}, resource.NotEnabled},
		{"disabled by detail", &googleapi.Error{Code: 403, Details: []any{map[string]any{"reason": "SERVICE_DISABLED"}}}, resource.NotEnabled},
		{"disabled by message", &googleapi.Error{Code: 403, Message: "Cloud SQL Admin API has not been used in project 1 before or it is disabled."}, resource.NotEnabled},
		{"denied", &googleapi.Error{Code: 403, Message: "The caller does not have permission"}, resource.Denied},
		{"unauthenticated", &googleapi.Error{Code: 401}, resource.Denied},
		{"throttled", fmt.Errorf("wrapped: %w", &googleapi.Error{Code: 429}), resource.Throttled},
		{"not found", &googleapi.Error{Code: 404}, resource.OtherError},
		{"transport", errors.New("connection refused"), resource.OtherError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := classify(tt.err); got != tt.want {
				t.Errorf("classify = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"IPProtocol": "ip_protocol", "natIP": "nat_ip", "networkIP": "network_ip", "ipv4Enabled": "ipv4_enabled",
		"IPv4Range": "ipv4_range", "masterIpv4CidrBlock": "master_ipv4_cidr_block", "sizeGb": "size_gb",
		"sha256": "sha256", "canIpForward": "can_ip_forward", "enableVtpm": "enable_vtpm", "id": "id",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkSchemas fails when a document holds a key its kind does not declare
// or a value of the wrong type.
func checkSchemas(t *testing.T, res []resource.Resource) {
	t.Helper()
	reg, err := resource.NewRegistry(Kinds())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", r.UID, err)
		}
		k, ok := reg.Lookup(r.Kind)
		if !ok {
			t.Errorf("%s: unregistered kind %s", r.UID, r.Kind)
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal(r.Properties, &doc); err != nil {
			t.Errorf("%s: %v", r.UID, err)
			continue
		}
		conforms(t, r.UID, doc, k.Schema)
	}
}

func conforms(t *testing.T, path string, doc map[string]any, fields []resource.Field) {
	t.Helper()
	for key, v := range doc {
		i := slices.IndexFunc(fields, func(f resource.Field) bool { return f.Name == key })
		if i < 0 {
			t.Errorf("%s.%s: not in the schema", path, key)
			continue
		}
		f := fields[i]
		p := path + "." + key
		ok := true
		switch f.Type {
		case "string":
			_, ok = v.(string)
		case "timestamp":
			s, isStr := v.(string)
			_, perr := time.Parse(time.RFC3339Nano, s)
			ok = isStr && perr == nil
		case "integer":
			n, isNum := v.(float64)
			ok = isNum && n == float64(int64(n))
		case "number":
			_, ok = v.(float64)
		case "boolean":
			_, ok = v.(bool)
		case "object":
			var m map[string]any
			m, ok = v.(map[string]any)
			if ok && len(f.Fields) > 0 {
				conforms(t, p, m, f.Fields)
			}
		case "array":
			var a []any
			a, ok = v.([]any)
			for j, e := range a {
				if len(f.Fields) == 0 {
					continue
				}
				m, isObj := e.(map[string]any)
				if !isObj {
					t.Errorf("%s[%d]: not an object", p, j)
					continue
				}
				conforms(t, fmt.Sprintf("%s[%d]", p, j), m, f.Fields)
			}
		}
		if !ok {
			t.Errorf("%s: %v is not a %s", p, v, f.Type)
		}
	}
}

func golden(t *testing.T, name string, sink *memSink) {
	t.Helper()
	edges := slices.Clone(sink.edges)
	slices.SortFunc(edges, func(a, b resource.Edge) int { return strings.Compare(a.From+a.To+a.Type, b.From+b.To+b.Type) })
	got, err := json.MarshalIndent(struct {
		Resources []resource.Resource `json:"resources"`
		Edges     []resource.Edge     `json:"edges"`
		Errors    []collect.Error     `json:"errors"`
	}{sink.res, edges, sink.errs}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update and review the diff)", path)
	}
}

func assertReadOnly(t *testing.T, srv *gcptest.Server) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the fake")
	}
	for _, r := range reqs {
		if r.Method != http.MethodGet && !(r.Method == http.MethodPost && strings.HasSuffix(r.Path, ":getIamPolicy")) {
			t.Errorf("collector sent %s %s", r.Method, r.Path)
		}
	}
	t.Logf("%d requests", len(reqs))
}

func TestMetadataRedacted(t *testing.T) {
	srv := fixtures(t)
	sink := collectAll(t, newCollector(t, srv, Options{Projects: []string{"acme-web-4821"}}))
	for _, r := range sink.res {
		if strings.Contains(string(r.Properties), "echo hi") {
			t.Errorf("%s: a startup script reached the properties", r.UID)
		}
	}
}

// countingTransport measures how many requests are in flight at once.
type countingTransport struct {
	mu       sync.Mutex
	now, max int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.now++
	c.max = max(c.max, c.now)
	c.mu.Unlock()
	time.Sleep(2 * time.Millisecond)
	defer func() {
		c.mu.Lock()
		c.now--
		c.mu.Unlock()
	}()
	return http.DefaultTransport.RoundTrip(r)
}

func TestConcurrencyBounded(t *testing.T) {
	srv := fixtures(t)
	for _, n := range []int{1, 3} {
		ct := &countingTransport{}
		c := newCollector(t, srv, Options{Organization: org, Concurrency: n, ProjectConcurrency: 1, Transport: ct})
		collectAll(t, c)
		if ct.max > n {
			t.Errorf("Concurrency %d: %d requests in flight at once", n, ct.max)
		}
		if n > 1 && ct.max < 2 {
			t.Errorf("Concurrency %d: calls never overlapped", n)
		}
	}
}

// latencyTransport adds a fixed delay to every call, like a distant API.
type latencyTransport struct {
	delay time.Duration
	n     atomicCounter
}

type atomicCounter struct {
	mu sync.Mutex
	n  int
}

func (c *atomicCounter) add() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (l *latencyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	l.n.add()
	time.Sleep(l.delay)
	return http.DefaultTransport.RoundTrip(r)
}

// BenchmarkCollectOrganization collects an organization of 100 copies of
// the complete fixture project with 20 ms added to every call, 8 calls in
// flight per project and 1, 4 (the default) or 16 projects at once:
//
//	go test ./internal/collect/gcp -run '^$' -bench CollectOrganization -benchtime 1x
func BenchmarkCollectOrganization(b *testing.B) {
	const projects = 100
	raw, err := os.ReadFile(filepath.Join("testdata", "api", "web.json"))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var list []map[string]any
	for i := range projects {
		id, num := fmt.Sprintf("acme-web-%04d", i), fmt.Sprintf("4821903%05d", i)
		s := strings.ReplaceAll(strings.ReplaceAll(string(raw), "acme-web-4821", id), "482190317745", num)
		if err := os.WriteFile(filepath.Join(dir, id+".json"), []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
		list = append(list, map[string]any{"name": "projects/" + num, "projectId": id, "state": "ACTIVE", "parent": "organizations/1"})
	}
	orgDoc, _ := json.Marshal(map[string]any{
		"cloudresourcemanager/v3/projects@parent=organizations_1": map[string]any{"projects": list},
		"cloudresourcemanager/v3/folders@parent=organizations_1":  map[string]any{},
		"logging/v2/organizations/1/sinks":                        map[string]any{},
		"cloudresourcemanager/v3/organizations/1:getIamPolicy":    map[string]any{"etag": "ACAB"},
	})
	if err := os.WriteFile(filepath.Join(dir, "org.json"), orgDoc, 0o644); err != nil {
		b.Fatal(err)
	}
	srv := gcptest.New(b, dir)
	for _, at := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("projects-at-once=%d", at), func(b *testing.B) { benchCollect(b, srv, at, projects) })
	}
}

func benchCollect(b *testing.B, srv *gcptest.Server, projectsAtOnce, projects int) {
	for b.Loop() {
		lt := &latencyTransport{delay: 20 * time.Millisecond}
		c, err := New(context.Background(), Options{
			Organization: "1", Endpoint: srv.URL, WithoutAuthentication: true, Transport: lt,
			ProjectConcurrency: projectsAtOnce, Logger: slog.New(slog.DiscardHandler),
		})
		if err != nil {
			b.Fatal(err)
		}
		sink := &memSink{}
		start := time.Now()
		if err := c.Collect(context.Background(), sink); err != nil {
			b.Fatal(err)
		}
		if len(sink.errs) != 2*projects || len(sink.res) != projects*56 { // two unreachable zones each
			b.Fatalf("%d resources, errors %v", len(sink.res), sink.errs)
		}
		b.ReportMetric(float64(lt.n.n), "requests")
		b.ReportMetric(time.Since(start).Seconds(), "s/org")
	}
}

// TestCollectPanicIsCollectionError: a panic in one service is recorded as
// a collection error and the other services and projects go on.
func TestCollectPanicIsCollectionError(t *testing.T) {
	srv := fixtures(t)
	c := newCollector(t, srv, Options{Projects: []string{"acme-web-4821"}})
	sink := &memSink{panicOn: "gcp_sql_instance"}
	if err := c.Collect(context.Background(), sink); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	var internal []collect.Error
	for _, e := range sink.errs {
		if strings.Contains(e.Message, "internal error") {
			internal = append(internal, e)
		}
	}
	if len(internal) != 1 || internal[0].Service != "sqladmin" {
		t.Errorf("errors %+v, want one internal error for sqladmin", sink.errs)
	}
	if len(sink.res) != 54 {
		t.Errorf("%d resources, want the 54 outside Cloud SQL", len(sink.res))
	}
}

func TestCollectCancelled(t *testing.T) {
	srv := fixtures(t)
	c := newCollector(t, srv, Options{Organization: org})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Collect(ctx, &memSink{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Collect = %v, want context.Canceled", err)
	}
}
