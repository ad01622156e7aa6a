package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cloudward/internal/collect/demo"
	"cloudward/internal/finding"
	"cloudward/internal/report"
	"cloudward/internal/server"
	"cloudward/internal/serverstate"
	"cloudward/internal/store"
	"cloudward/internal/store/sqlite"
)

// passCheck passes on every resource of the test estate.
const passCheck = "test-inventory-recorded"

// demoScan is a ScanFunc that stores the demo estate with a FAIL finding
// for every planted misconfiguration and a PASS finding per resource. It
// returns the checks it reports on.
func demoScan(st store.Store) (server.ScanFunc, []report.CheckInfo) {
	plants := demo.New(demo.Options{})
	if err := plants.Collect(context.Background(), discard{}); err != nil {
		panic(err)
	}
	checks := []report.CheckInfo{{ID: passCheck, Title: "Inventory recorded", Severity: finding.Low, Area: "configuration"}}
	seen := map[string]bool{passCheck: true}
	for i, p := range plants.Planted() {
		if !seen[p.CheckID] {
			seen[p.CheckID] = true
			checks = append(checks, report.CheckInfo{ID: p.CheckID, Title: "Planted " + p.CheckID,
				Severity: finding.Severity(i % 5), Area: "access-management", Remediation: "Fix " + p.CheckID})
		}
	}
	sev := map[string]finding.Severity{}
	for _, c := range checks {
		sev[c.ID] = c.Severity
	}
	scan := func(ctx context.Context, scope string) (int64, error) {
		g := demo.New(demo.Options{})
		w, err := st.Begin(ctx, "test "+scope, time.Now().UTC())
		if err != nil {
			return 0, err
		}
		rec := &recorder{Writer: w}
		if err := g.Collect(ctx, rec); err != nil {
			w.Rollback()
			return 0, err
		}
		if err := w.Flush(ctx); err != nil {
			w.Rollback()
			return 0, err
		}
		var fs []finding.Finding
		for _, uid := range rec.uids {
			fs = append(fs, finding.Finding{CheckID: passCheck, Severity: finding.Low, Status: finding.Pass, ResourceUID: uid})
		}
		dup := map[[2]string]bool{}
		for _, p := range g.Planted() {
			k := [2]string{p.CheckID, p.UID}
			if dup[k] {
				continue
			}
			dup[k] = true
			fs = append(fs, finding.Finding{CheckID: p.CheckID, Severity: sev[p.CheckID], Status: finding.Fail, ResourceUID: p.UID})
		}
		if err := w.Findings(ctx, fs); err != nil {
			w.Rollback()
			return 0, err
		}
		if err := w.Commit(ctx); err != nil {
			return 0, err
		}
		return w.ID(), nil
	}
	return scan, checks
}

type discard struct{}

func (discard) Resource(context.Context, resourceT) error { return nil }
func (discard) Edge(context.Context, edgeT) error         { return nil }
func (discard) Error(context.Context, collErrT) error     { return nil }

type recorder struct {
	store.Writer
	mu   sync.Mutex
	uids []string
}

func (r *recorder) Resource(ctx context.Context, res resourceT) error {
	r.mu.Lock()
	r.uids = append(r.uids, res.UID)
	r.mu.Unlock()
	return r.Writer.Resource(ctx, res)
}

// harness is a server on loopback with a snapshot, an admin and a read token.
type harness struct {
	t      *testing.T
	srv    *server.Server
	url    string
	admin  string
	reader string
	state  serverstate.State
	store  store.Store
	cancel context.CancelFunc
	done   chan struct{}
}

func newHarness(t *testing.T, opts server.Options) *harness {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "serve.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	scan, checks := demoScan(st)
	if opts.Scan == nil {
		opts.Scan = scan
	}
	opts.Store, opts.State = st, st.ServerState()
	opts.Checks = checks
	if opts.Scopes == nil {
		opts.Scopes = []string{"demo"}
	}
	opts.SecureCookies = true
	srv, err := server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: srv, state: opts.State, store: st, done: make(chan struct{})}
	h.admin, _, err = server.CreateToken(ctx, opts.State, "alice", serverstate.ScopeAdmin, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.reader, _, err = server.CreateToken(ctx, opts.State, "bob", serverstate.ScopeRead, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.url = "http://" + ln.Addr().String()
	rctx, cancel := context.WithCancel(ctx)
	h.cancel = cancel
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); srv.Run(rctx) }()
	go func() { defer wg.Done(); srv.Serve(rctx, ln, "", "") }()
	go func() { wg.Wait(); close(h.done) }()
	t.Cleanup(h.stop)
	return h
}

func (h *harness) stop() {
	h.cancel()
	<-h.done
}

// scanAndWait runs a scan through the API and waits for its snapshot.
func (h *harness) scanAndWait() int64 {
	h.t.Helper()
	var run serverstate.Run
	h.do("POST", "/api/v1/scans", h.admin, map[string]string{"scope": "demo"}, http.StatusAccepted, &run)
	for range 600 {
		var runs struct{ Items []serverstate.Run }
		h.do("GET", "/api/v1/scans", h.admin, nil, 200, &runs)
		for _, r := range runs.Items {
			if r.ID == run.ID && r.Status != serverstate.RunRunning {
				if r.Status != serverstate.RunOK {
					h.t.Fatalf("scan failed: %s", r.Error)
				}
				return r.SnapshotID
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatal("scan did not finish")
	return 0
}

// do sends a request with a bearer token and checks the status; the JSON
// answer is decoded into out and validated against the OpenAPI document.
func (h *harness) do(method, path, token string, body any, want int, out any) *http.Response {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.url+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return h.send(req, want, out)
}

func (h *harness) send(req *http.Request, want int, out any) *http.Response {
	h.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", req.Method, req.URL.Path, resp.StatusCode, want, b)
	}
	validateResponse(h.t, req, resp, b)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			h.t.Fatalf("%s %s: %v: %s", req.Method, req.URL, err, b)
		}
	}
	return resp
}

func TestAPIAuth(t *testing.T) {
	h := newHarness(t, server.Options{})
	h.scanAndWait()
	for _, p := range []string{"/api/v1/overview", "/api/v1/resources", "/api/v1/mutes", "/metrics"} {
		h.do("GET", p, "", nil, http.StatusUnauthorized, nil)
		h.do("GET", p, "cwt_wrong", nil, http.StatusUnauthorized, nil)
	}
	// A read token reads but cannot mute or scan.
	h.do("GET", "/api/v1/overview", h.reader, nil, 200, nil)
	mute := map[string]string{"check": passCheck, "reason": "accepted risk"}
	h.do("POST", "/api/v1/mutes", h.reader, mute, http.StatusForbidden, nil)
	h.do("POST", "/api/v1/scans", h.reader, map[string]string{"scope": "demo"}, http.StatusForbidden, nil)
	// The admin token mutes; the change is logged with who and why.
	var m struct{ ID int64 }
	h.do("POST", "/api/v1/mutes", h.admin, mute, http.StatusCreated, &m)
	h.do("POST", "/api/v1/mutes", h.admin, map[string]string{"check": passCheck}, http.StatusBadRequest, nil)
	h.do("POST", fmt.Sprintf("/api/v1/mutes/%d/expire", m.ID), h.admin, map[string]string{"reason": "fixed now"}, 200, nil)
	var changes struct{ Items []serverstate.MuteChange }
	h.do("GET", "/api/v1/mutes/changes", h.reader, nil, 200, &changes)
	if len(changes.Items) != 2 || changes.Items[0].Who != "alice" || changes.Items[0].Why != "fixed now" || changes.Items[1].Why != "accepted risk" {
		t.Errorf("mute changes = %+v", changes.Items)
	}
	// Revoked tokens stop working.
	toks, _ := h.state.Tokens(context.Background())
	for _, tk := range toks {
		if tk.Name == "bob" {
			h.state.RevokeToken(context.Background(), tk.ID, time.Now())
		}
	}
	h.do("GET", "/api/v1/overview", h.reader, nil, http.StatusUnauthorized, nil)
}

func TestAPIThrottlesFailedAuth(t *testing.T) {
	h := newHarness(t, server.Options{})
	for range 10 {
		h.do("GET", "/api/v1/overview", "cwt_guess", nil, http.StatusUnauthorized, nil)
	}
	h.do("GET", "/api/v1/overview", h.admin, nil, http.StatusTooManyRequests, nil)
}

func TestAPIPagingAndFilters(t *testing.T) {
	h := newHarness(t, server.Options{})
	snap := h.scanAndWait()
	type page struct {
		Items []struct {
			UID, Provider, Name, Kind string
			Tags                      map[string]string
		}
		NextAfter string `json:"next_after"`
		Total     *int64
	}
	var p1, p2 page
	h.do("GET", "/api/v1/resources?limit=5", h.reader, nil, 200, &p1)
	if len(p1.Items) != 5 || p1.NextAfter == "" || p1.Total == nil || *p1.Total < 50 {
		t.Fatalf("first page = %+v", p1)
	}
	h.do("GET", "/api/v1/resources?limit=5&after="+url.QueryEscape(p1.NextAfter), h.reader, nil, 200, &p2)
	if len(p2.Items) != 5 || p2.Items[0].UID <= p1.Items[4].UID {
		t.Fatalf("second page does not follow the first: %+v", p2)
	}
	// Walking every page visits each resource once.
	seen := map[string]bool{}
	after := ""
	for {
		var p page
		h.do("GET", "/api/v1/resources?limit=100&after="+url.QueryEscape(after), h.reader, nil, 200, &p)
		for _, it := range p.Items {
			if seen[it.UID] {
				t.Fatalf("resource %s on two pages", it.UID)
			}
			seen[it.UID] = true
		}
		if p.NextAfter == "" {
			break
		}
		after = p.NextAfter
	}
	if int64(len(seen)) != *p1.Total {
		t.Errorf("paged through %d resources, total says %d", len(seen), *p1.Total)
	}

	var aws page
	h.do("GET", "/api/v1/resources?provider=aws&limit=500", h.reader, nil, 200, &aws)
	if len(aws.Items) == 0 || int64(len(aws.Items)) != *aws.Total {
		t.Fatalf("aws filter: %d items, total %v", len(aws.Items), aws.Total)
	}
	for _, it := range aws.Items {
		if it.Provider != "aws" {
			t.Errorf("provider filter let through %+v", it)
		}
	}
	var search page
	h.do("GET", "/api/v1/resources?q=S3:&kind=aws_s3_bucket", h.reader, nil, 200, &search)
	if len(search.Items) == 0 {
		t.Fatal("search found nothing")
	}
	for _, it := range search.Items {
		if it.Kind != "aws_s3_bucket" || !strings.Contains(strings.ToLower(it.Name+it.UID), "s3:") {
			t.Errorf("search let through %+v", it)
		}
	}
	var tagged page
	h.do("GET", "/api/v1/resources?tag=environment%3Dproduction", h.reader, nil, 200, &tagged)
	for _, it := range tagged.Items {
		if it.Tags["environment"] != "production" {
			t.Errorf("tag filter let through %+v", it)
		}
	}
	// Text shorter than a trigram is refused: it would read every resource.
	h.do("GET", "/api/v1/resources?q=S3", h.reader, nil, http.StatusBadRequest, nil)
	// An injection attempt is just a search string.
	h.do("GET", "/api/v1/resources?q="+url.QueryEscape("x') OR 1=1 --"), h.reader, nil, 200, &search)
	if len(search.Items) != 0 {
		t.Errorf("quote in search matched %d resources", len(search.Items))
	}

	// Findings: FAIL by default, most severe first, paged.
	type fpage struct {
		Items []struct {
			CheckID     string `json:"check_id"`
			Severity    finding.Severity
			Status      finding.Status
			ResourceUID string `json:"resource_uid"`
			Provider    string
		}
		HasMore bool `json:"has_more"`
	}
	var all fpage
	h.do("GET", "/api/v1/findings?limit=500", h.reader, nil, 200, &all)
	if len(all.Items) < 5 || all.HasMore {
		t.Fatalf("findings = %d, has_more %v", len(all.Items), all.HasMore)
	}
	for i, f := range all.Items {
		if f.Status != finding.Fail || (i > 0 && f.Severity > all.Items[i-1].Severity) {
			t.Fatalf("finding %d out of order or not FAIL: %+v", i, f)
		}
	}
	var a, b fpage
	h.do("GET", "/api/v1/findings?limit=3", h.reader, nil, 200, &a)
	h.do("GET", "/api/v1/findings?limit=3&offset=3", h.reader, nil, 200, &b)
	if !a.HasMore || len(b.Items) != 3 || b.Items[0] != all.Items[3] || a.Items[2] != all.Items[2] {
		t.Errorf("offset paging: %+v then %+v", a, b)
	}
	var high fpage
	h.do("GET", "/api/v1/findings?severity=high&provider=aws&limit=500", h.reader, nil, 200, &high)
	for _, f := range high.Items {
		if f.Severity < finding.High || f.Provider != "aws" {
			t.Errorf("filter let through %+v", f)
		}
	}
	var pass fpage
	h.do("GET", "/api/v1/findings?status=PASS&limit=2", h.reader, nil, 200, &pass)
	if len(pass.Items) != 2 || pass.Items[0].Status != finding.Pass {
		t.Errorf("status filter: %+v", pass)
	}
	h.do("GET", "/api/v1/findings?status=BOGUS", h.reader, nil, http.StatusBadRequest, nil)
	h.do("GET", "/api/v1/findings?limit=100000", h.reader, nil, http.StatusBadRequest, nil)

	// One finding and its resource, with related resources and history.
	f := all.Items[0]
	var fd struct {
		Check struct{ Remediation string }
	}
	h.do("GET", "/api/v1/finding?check="+url.QueryEscape(f.CheckID)+"&uid="+url.QueryEscape(f.ResourceUID), h.reader, nil, 200, &fd)
	if fd.Check.Remediation != "Fix "+f.CheckID {
		t.Errorf("finding remediation = %q", fd.Check.Remediation)
	}
	var res struct {
		Resource struct{ UID string }
		Findings []struct {
			CheckID string `json:"check_id"`
		}
	}
	h.do("GET", "/api/v1/resource?uid="+url.QueryEscape(f.ResourceUID), h.reader, nil, 200, &res)
	if res.Resource.UID != f.ResourceUID || len(res.Findings) == 0 {
		t.Errorf("resource = %+v", res)
	}
	h.do("GET", "/api/v1/resource/history?uid="+url.QueryEscape(f.ResourceUID), h.reader, nil, 200, nil)
	h.do("GET", "/api/v1/resource?uid=nope", h.reader, nil, http.StatusNotFound, nil)
	h.do("GET", fmt.Sprintf("/api/v1/overview?snapshot=%d", snap), h.reader, nil, 200, nil)
	h.do("GET", "/api/v1/overview?snapshot=999", h.reader, nil, http.StatusNotFound, nil)
	for _, p := range []string{"/api/v1/facets", "/api/v1/frameworks", "/api/v1/responsibility", "/api/v1/trend",
		"/api/v1/snapshots", "/api/v1/collection-errors", "/api/v1/mutes", "/api/v1/session"} {
		h.do("GET", p, h.reader, nil, 200, nil)
	}
}

func TestSessionCookieAndCSRF(t *testing.T) {
	h := newHarness(t, server.Options{})
	login := func(origin, token string, want int) *http.Response {
		b, _ := json.Marshal(map[string]string{"token": token})
		req, _ := http.NewRequest("POST", h.url+"/api/v1/login", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		return h.send(req, want, nil)
	}
	login("https://evil.example", h.admin, http.StatusForbidden)
	login(h.url, "cwt_wrong", http.StatusUnauthorized)
	resp := login(h.url, h.admin, 200)
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "cloudward_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie = %+v", cookie)
	}
	withCookie := func(method, path, origin, csrf string, body any, want int, out any) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, h.url+path, rd)
		req.AddCookie(cookie)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		h.send(req, want, out)
	}
	var sess struct {
		Name  string
		Scope string
		CSRF  string `json:"csrf_token"`
	}
	withCookie("GET", "/api/v1/session", "", "", nil, 200, &sess)
	if sess.Name != "alice" || sess.Scope != "admin" || sess.CSRF == "" {
		t.Fatalf("session = %+v", sess)
	}
	mute := map[string]string{"check": passCheck, "reason": "accepted"}
	withCookie("POST", "/api/v1/mutes", h.url, "", mute, http.StatusForbidden, nil)
	withCookie("POST", "/api/v1/mutes", h.url, "wrong", mute, http.StatusForbidden, nil)
	withCookie("POST", "/api/v1/mutes", "https://evil.example", sess.CSRF, mute, http.StatusForbidden, nil)
	withCookie("POST", "/api/v1/mutes", h.url, sess.CSRF, mute, http.StatusCreated, nil)
	withCookie("POST", "/api/v1/logout", h.url, sess.CSRF, nil, http.StatusNoContent, nil)
	withCookie("GET", "/api/v1/session", "", "", nil, http.StatusUnauthorized, nil)
}

func TestSecurityHeadersAndLimits(t *testing.T) {
	h := newHarness(t, server.Options{})
	for _, p := range []string{"/", "/app.js", "/api/v1/overview"} {
		resp, err := http.Get(h.url + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", p, resp.Header)
		}
	}
	big := map[string]string{"check": passCheck, "reason": strings.Repeat("x", 100<<10)}
	h.do("POST", "/api/v1/mutes", h.admin, big, http.StatusRequestEntityTooLarge, nil)
	h.do("GET", "/api/v1/nope", h.admin, nil, http.StatusNotFound, nil)
	resp, err := http.Get(h.url + "/etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown file: %d", resp.StatusCode)
	}
	// The dashboard's HTML has no inline script or style.
	resp, _ = http.Get(h.url + "/")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "<script>") || strings.Contains(string(b), "style=") || strings.Contains(string(b), "http://") {
		t.Errorf("index.html has inline script/style or an external URL")
	}
}

func TestCheckListen(t *testing.T) {
	tests := []struct {
		addr          string
		tls, insecure bool
		ok            bool
	}{
		{"127.0.0.1:8080", false, false, true},
		{"localhost:8080", false, false, true},
		{"[::1]:8080", false, false, true},
		{"0.0.0.0:8080", false, false, false},
		{"192.0.2.1:8080", false, false, false},
		{":8080", false, false, false},
		{"0.0.0.0:8443", true, false, true},
		{"0.0.0.0:8080", false, true, true},
		{"nonsense", false, false, false},
	}
	for _, tt := range tests {
		err := server.CheckListen(tt.addr, tt.tls, tt.insecure)
		if (err == nil) != tt.ok {
			t.Errorf("CheckListen(%q, tls=%v, insecure=%v) = %v", tt.addr, tt.tls, tt.insecure, err)
		}
	}
}

func TestSchedulerNeverOverlapsAndRecordsFailures(t *testing.T) {
	release := make(chan struct{})
	var calls, concurrent, maxConcurrent atomic.Int32
	scan := func(ctx context.Context, scope string) (int64, error) {
		n := concurrent.Add(1)
		defer concurrent.Add(-1)
		for {
			m := maxConcurrent.Load()
			if n <= m || maxConcurrent.CompareAndSwap(m, n) {
				break
			}
		}
		calls.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		return 0, errors.New("cloud said no")
	}
	h := newHarness(t, server.Options{Scan: scan, Schedules: []server.Schedule{{Scope: "demo", Cron: "@every 1s"}}})
	h.do("POST", "/api/v1/scans", h.admin, map[string]string{"scope": "demo"}, http.StatusAccepted, nil)
	h.do("POST", "/api/v1/scans", h.admin, map[string]string{"scope": "demo"}, http.StatusConflict, nil)
	h.do("POST", "/api/v1/scans", h.admin, map[string]string{"scope": "nope"}, http.StatusBadRequest, nil)
	time.Sleep(2200 * time.Millisecond) // scheduled ticks while the scan runs are skipped
	close(release)
	var runs struct{ Items []serverstate.Run }
	for range 200 {
		h.do("GET", "/api/v1/scans", h.admin, nil, 200, &runs)
		if len(runs.Items) > 0 && runs.Items[len(runs.Items)-1].Status == serverstate.RunFailed {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	first := runs.Items[len(runs.Items)-1]
	if first.Status != serverstate.RunFailed || first.Error != "cloud said no" || first.Trigger != "manual:alice" {
		t.Errorf("first run = %+v", first)
	}
	if maxConcurrent.Load() != 1 {
		t.Errorf("%d scans of one scope ran at once", maxConcurrent.Load())
	}
	// The failed scan is retried on the next tick.
	deadline := time.Now().Add(5 * time.Second)
	for calls.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if calls.Load() < 2 {
		t.Error("failed scan was not retried on the next tick")
	}
}

func TestShutdownCancelsRunningScanAfterGrace(t *testing.T) {
	started := make(chan struct{})
	cancelled := make(chan struct{})
	scan := func(ctx context.Context, scope string) (int64, error) {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return 0, ctx.Err()
	}
	h := newHarness(t, server.Options{Scan: scan, ShutdownGrace: 100 * time.Millisecond})
	h.do("POST", "/api/v1/scans", h.admin, map[string]string{"scope": "demo"}, http.StatusAccepted, nil)
	<-started
	h.stop()
	select {
	case <-cancelled:
	default:
		t.Fatal("running scan was not cancelled at shutdown")
	}
	runs, _ := h.state.Runs(context.Background(), 1)
	if len(runs) != 1 || runs[0].Status != serverstate.RunFailed {
		t.Errorf("cancelled run = %+v", runs)
	}
}

func TestMetrics(t *testing.T) {
	h := newHarness(t, server.Options{})
	h.scanAndWait()
	req, _ := http.NewRequest("GET", h.url+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+h.reader)
	var body string
	for range 100 { // scores are published just after the run is recorded
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body = string(b)
		if strings.Contains(body, "cloudward_scan_resources{") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{
		`cloudward_findings{provider="aws",severity=`, `cloudward_scans_total{result="ok",scope="demo"} 1`,
		`cloudward_scan_duration_seconds_count{scope="demo"} 1`, `cloudward_scan_resources{scope="demo"}`,
		`cloudward_collection_errors{scope="demo"}`, `cloudward_api_requests_total{code="200",route="GET /api/v1/scans"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestWebhookNotificationSignedAndRetried(t *testing.T) {
	secret := []byte("s3cret")
	var attempts atomic.Int32
	got := make(chan server.Notification, 1)
	recv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if attempts.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // the first delivery fails
			return
		}
		if !server.VerifySignature(secret, r.Header.Get("X-Cloudward-Timestamp"), b, r.Header.Get("X-Cloudward-Signature")) {
			t.Errorf("bad signature %q", r.Header.Get("X-Cloudward-Signature"))
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var n server.Notification
		if err := json.Unmarshal(b, &n); err != nil {
			t.Error(err)
		}
		got <- n
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go recv.Serve(ln)
	defer recv.Close()
	var slackBody atomic.Value
	slack := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		slackBody.Store(string(b))
	})}
	sln, _ := net.Listen("tcp", "127.0.0.1:0")
	go slack.Serve(sln)
	defer slack.Close()

	h := newHarness(t, server.Options{NotifyMin: finding.Medium, Notifiers: []server.Notifier{
		&server.Webhook{URL: "http://" + ln.Addr().String() + "/hook", Secret: secret, Retry: server.Retry{Attempts: 3, Backoff: 10 * time.Millisecond}},
		&server.Slack{URL: "http://" + sln.Addr().String() + "/slack"},
	}})
	h.scanAndWait()
	select {
	case n := <-got:
		if n.Total == 0 || len(n.Findings) == 0 {
			t.Fatalf("notification = %+v", n)
		}
		for _, f := range n.Findings {
			sev, _ := finding.ParseSeverity(f.Severity)
			if sev < finding.Medium {
				t.Errorf("notified below the minimum severity: %+v", f)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("webhook not delivered")
	}
	if attempts.Load() != 2 {
		t.Errorf("webhook attempts = %d, want 2", attempts.Load())
	}
	deadline := time.Now().Add(5 * time.Second)
	for slackBody.Load() == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s, _ := slackBody.Load().(string); !strings.Contains(s, "new failing finding") {
		t.Errorf("slack body = %q", s)
	}
	// A second scan finds nothing new: no second delivery.
	h.scanAndWait()
	time.Sleep(200 * time.Millisecond)
	if attempts.Load() != 2 {
		t.Errorf("second scan notified again (%d attempts)", attempts.Load())
	}
}

func TestSignature(t *testing.T) {
	sig := server.Sign([]byte("k"), "1700000000", []byte(`{"a":1}`))
	if !server.VerifySignature([]byte("k"), "1700000000", []byte(`{"a":1}`), sig) {
		t.Error("signature does not verify")
	}
	if server.VerifySignature([]byte("k"), "1700000001", []byte(`{"a":1}`), sig) || server.VerifySignature([]byte("x"), "1700000000", []byte(`{"a":1}`), sig) {
		t.Error("signature verifies with another timestamp or key")
	}
}
