package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"cloudward/internal/cli"
	"cloudward/internal/server"
	"cloudward/internal/serverstate"
)

// updateScreenshots rewrites docs/server-*.png from TestBrowserServeDemo. The
// environment variable CLOUDWARD_UPDATE_SCREENSHOTS=1 does the same.
var updateScreenshots = flag.Bool("update-screenshots", false, "rewrite docs/server-*.png from the browser test")

// browserTimeout bounds the whole browser test, browser start included.
const browserTimeout = 90 * time.Second

// stepTimeout bounds one step (a wait, a click, a screenshot).
const stepTimeout = 20 * time.Second

// findChromium returns the path of a Chromium or Chrome binary, or "" when
// none is installed. $CLOUDWARD_CHROMIUM names one explicitly.
func findChromium() string {
	if p := os.Getenv("CLOUDWARD_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser drives one headless Chromium tab against the server at base.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string // uncaught exceptions and console errors (CSP violations among them)
	allowed  []string // "status URL" of failed requests the test causes on purpose
}

// newBrowser starts headless Chromium with a throwaway profile
// (--user-data-dir in a temporary directory). It skips the test when no
// Chromium is installed.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	exe := findChromium()
	if exe == "" {
		t.Skip("chromium is not installed (set CLOUDWARD_CHROMIUM to its path)")
	}
	// Without a UserDataDir option chromedp passes a new temporary
	// --user-data-dir and removes it once the browser has exited, retrying
	// while Chromium's helpers still write there.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	// The deadline bounds the browser process too: on expiry it is killed.
	bctx, cancelBase := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(bctx, opts...)
	b := &browser{t: t, base: base}
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen))
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		cancelBase()
	})
	// The first Run starts the browser; it must not carry a step timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", exe, err)
	}
	b.ctx = ctx
	return b
}

// listen records uncaught exceptions and console or browser errors. It runs
// on chromedp's reader goroutine, so it only appends under the lock.
func (b *browser) listen(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = "exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil && e.ExceptionDetails.Exception.Description != "" {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range e.Args {
			if a.Value != nil {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		msg = "console.error: " + strings.Join(parts, " ")
	case *log.EventEntryAdded:
		if e.Entry == nil || e.Entry.Level != log.EntryLevelError {
			return
		}
		msg = fmt.Sprintf("log %s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
		if e.Entry.Source == log.EntrySourceNetwork {
			b.mu.Lock()
			defer b.mu.Unlock()
			for _, a := range b.allowed {
				status, u, _ := strings.Cut(a, " ")
				if e.Entry.URL == u && strings.Contains(e.Entry.Text, "status of "+status+" ") {
					return
				}
			}
			b.problems = append(b.problems, msg)
			return
		}
	default:
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, msg)
	b.mu.Unlock()
}

// allow lets a request to path fail with status without failing the test.
func (b *browser) allow(status int, path string) {
	b.mu.Lock()
	b.allowed = append(b.allowed, fmt.Sprintf("%d %s%s", status, b.base, path))
	b.mu.Unlock()
}

// checkProblems fails the test for every exception or error the page logged.
func (b *browser) checkProblems() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser: %s", p)
	}
	b.problems = nil
}

// do runs actions as one step with its own timeout and fails the test on
// error, showing what the page shows.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatal(step, err)
	}
}

// text returns the visible text of the first element matching the CSS
// selector, waiting until it is visible.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.fatal("text of "+sel, err)
	}
	return s
}

// eval evaluates a JavaScript expression and decodes its value into T.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fatal("evaluate "+expr, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it is true. The dashboard
// renders each page after its API calls answer, so every assertion on a new
// page waits for its content rather than for time.
func (b *browser) waitFor(what, predicate string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingTimeout(stepTimeout))); err != nil {
		b.fatal("wait for "+what, err)
	}
}

// fatal stops the test with the error, the URL and the page's text.
func (b *browser) fatal(step string, err error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	page, perr := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
	if perr != nil {
		page = "(page unreadable: " + perr.Error() + ")"
	}
	b.mu.Lock()
	problems := strings.Join(b.problems, "\n")
	b.mu.Unlock()
	b.t.Fatalf("%s: %v\npage:\n%.3000s\nbrowser problems:\n%s", step, err, page, problems)
}

// screenshot saves a PNG of the page to docs/NAME when screenshots are
// being updated: the whole page when full, else the 1280×900 viewport.
func (b *browser) screenshot(name string, full bool) {
	b.t.Helper()
	if !*updateScreenshots && os.Getenv("CLOUDWARD_UPDATE_SCREENSHOTS") == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		b.fatal("screenshot "+name, err)
	}
	path := filepath.Join("..", "..", "docs", name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote %s (%d bytes)", path, len(png))
}

// clear empties the input or textarea with the id. (chromedp's SetValue
// answered "could not set value" for an empty value.)
func (b *browser) clear(id string) {
	b.t.Helper()
	if v := eval[string](b, fmt.Sprintf(`(() => { const el = document.getElementById(%s); el.value = ""; return el.value; })()`, js(id))); v != "" {
		b.t.Fatalf("clear #%s: value %q", id, v)
	}
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// TestBrowserDashboard drives the dashboard in headless Chromium as a person
// would: log in with a token, read the overview, search the inventory, open
// a finding, mute it with a reason, and read the scans & drift timeline.
func TestBrowserDashboard(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	if findChromium() == "" {
		t.Skip("chromium is not installed (set CLOUDWARD_CHROMIUM to its path)")
	}
	_, _, _, aiKinds := standInAIKinds(t)
	h := newHarness(t, server.Options{Kinds: aiKinds})
	// Two snapshots, so that the trend and the drift timeline have a line.
	var snaps []int64
	for range 2 {
		// A finished run is recorded a moment before its scope is free.
		for deadline := time.Now().Add(10 * time.Second); len(h.srv.Running()) > 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("scopes still running: %v", h.srv.Running())
			}
		}
		snaps = append(snaps, h.scanAndWait())
	}
	waitTrend(t, h.url, h.reader, len(snaps))
	b := newBrowser(t, h.url)
	// Before the login the page asks for its session and is refused, and
	// the wrong token below is refused too.
	b.allow(http.StatusUnauthorized, "/api/v1/session")
	b.allow(http.StatusUnauthorized, "/api/v1/login")

	// What the API says, to compare the pages with.
	var ov struct {
		Snapshot struct {
			ID        int64
			Resources int64
		}
		Totals struct{ Fail int64 }
	}
	h.do("GET", "/api/v1/overview", h.reader, nil, 200, &ov)
	if ov.Snapshot.ID != snaps[1] || ov.Snapshot.Resources == 0 || ov.Totals.Fail == 0 {
		t.Fatalf("overview = %+v, want snapshot %d with resources and failing findings", ov, snaps[1])
	}

	// Log in: a wrong token is refused on the page, the admin token is taken.
	b.do("open the dashboard", chromedp.Navigate(h.url+"/"), chromedp.WaitVisible(chromedp.ID("login-form")))
	if got := b.text("#login h1"); got != "Log in" {
		t.Errorf("login heading = %q", got)
	}
	b.do("log in with a wrong token",
		chromedp.SendKeys(chromedp.ID("token"), "cwt_not-a-token"),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)))
	b.waitFor("the login error", `document.getElementById("login-error").textContent !== ""`)
	if shown := eval[bool](b, `document.getElementById("nav").getClientRects().length > 0`); shown {
		t.Error("the navigation shows after a refused login")
	}
	b.clear("token")
	b.do("log in with the admin token",
		chromedp.SendKeys(chromedp.ID("token"), h.admin),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("overview-cards")))
	if got := b.text("#who"); got != "alice (admin)" {
		t.Errorf("logged in as %q, want alice (admin)", got)
	}
	if tok := eval[string](b, `document.getElementById("token").value`); tok != "" {
		t.Error("the token stays in the login field after the login")
	}
	if c := eval[string](b, `document.cookie`); c != "" {
		t.Errorf("the session cookie is readable from JavaScript: %q", c)
	}

	// Overview: the cards agree with the API.
	cards := b.text("#overview-cards")
	for _, want := range []string{
		thousands(ov.Snapshot.Resources) + "\nresources",
		thousands(ov.Totals.Fail) + "\nfailing findings",
		"new since last scan", "muted", "collection errors",
	} {
		if !strings.Contains(cards, want) {
			t.Errorf("overview cards lack %q:\n%s", want, cards)
		}
	}
	main := b.text("#view")
	for _, want := range []string{"Snapshot " + strconv.FormatInt(snaps[1], 10), "Severity", "Frameworks", "Score trend", "Top failing checks"} {
		if !strings.Contains(main, want) {
			t.Errorf("overview lacks %q", want)
		}
	}

	// Inventory: the whole estate, then a search for one bucket.
	b.do("open the inventory", chromedp.Click(chromedp.CSS(`#nav a[href="#/inventory"]`)), chromedp.WaitVisible(chromedp.ID("inventory-search")))
	b.waitFor("the inventory count", `document.getElementById("inventory-count") !== null`)
	if got, want := b.text("#inventory-count"), fmt.Sprintf("%d resource(s)", ov.Snapshot.Resources); got != want {
		t.Errorf("inventory count = %q, want %q", got, want)
	}

	var buckets struct {
		Items []struct{ UID, Name string }
	}
	h.do("GET", "/api/v1/resources?kind=aws_s3_bucket&limit=1", h.reader, nil, 200, &buckets)
	if len(buckets.Items) == 0 {
		t.Fatal("the demo estate has no S3 bucket")
	}
	target := buckets.Items[0]
	var found struct {
		Items []struct{ UID string }
		Total *int64
	}
	h.do("GET", "/api/v1/resources?q="+url.QueryEscape(target.Name), h.reader, nil, 200, &found)
	if found.Total == nil || *found.Total == 0 || *found.Total >= ov.Snapshot.Resources {
		t.Fatalf("search for %q: total %v of %d resources", target.Name, found.Total, ov.Snapshot.Resources)
	}
	b.do("search the inventory",
		chromedp.SendKeys(chromedp.ID("inventory-search"), target.Name),
		chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	b.waitFor("the search results", fmt.Sprintf(`(() => {
		const c = document.getElementById("inventory-count");
		const rows = document.querySelectorAll("#view tbody tr");
		return c !== null && c.textContent === %s && rows.length === %d &&
			[...rows].some(r => r.cells[0].textContent === %s);
	})()`, js(fmt.Sprintf("%d resource(s)", *found.Total)), len(found.Items), js(target.Name)))
	if q := eval[string](b, `location.hash`); !strings.HasPrefix(q, "#/inventory?q=") {
		t.Errorf("the search is not in the address: %q", q)
	}
	if v := eval[string](b, `document.getElementById("inventory-search").value`); v != target.Name {
		t.Errorf("search field = %q after the search, want %q", v, target.Name)
	}
	// The resource page of the match shows its UID and its findings.
	b.do("open the bucket", chromedp.Click(chromedp.JSPath(fmt.Sprintf(
		`[...document.querySelectorAll("#view tbody tr")].find(r => r.cells[0].textContent === %s)`, js(target.Name)))))
	b.waitFor("the resource page", fmt.Sprintf(`(() => {
		const h1 = document.querySelector("#view h1");
		return h1 !== null && h1.textContent === %s && document.querySelector("#view dd.mono") !== null;
	})()`, js(target.Name)))
	if got := b.text("#view dd.mono"); got != target.UID {
		t.Errorf("resource page UID = %q, want %q", got, target.UID)
	}
	page := b.text("#view")
	for _, want := range []string{"Findings", "Related resources", "History", "Properties"} {
		if !strings.Contains(page, want) {
			t.Errorf("resource page lacks %q", want)
		}
	}

	// AI inventory: the AI resources across clouds, what they reach and
	// their failing checks, as the API lists them; a related resource
	// opens its page.
	var ai aiPage
	h.do("GET", "/api/v1/ai", h.reader, nil, 200, &ai)
	if ai.Resources == 0 || len(ai.Items) == 0 {
		t.Fatalf("AI inventory = %+v, want resources", ai)
	}
	b.do("open the AI inventory", chromedp.Click(chromedp.CSS(`#nav a[href="#/ai"]`)), chromedp.WaitVisible(chromedp.ID("ai-count")))
	b.waitFor("the AI rows", fmt.Sprintf(`document.querySelectorAll("#view tr.ai-row").length === %d`, len(ai.Items)))
	if got := b.text("#ai-count"); got != thousands(ai.Resources)+"\nAI resources" {
		t.Errorf("AI count card = %q, want %d AI resources", got, ai.Resources)
	}
	var withRel, withFail *aiItem
	for i, it := range ai.Items {
		if withRel == nil && len(it.Related) > 0 && it.Related[0].Name != "" {
			withRel = &ai.Items[i]
		}
		if withFail == nil && len(it.Failing) > 0 {
			withFail = &ai.Items[i]
		}
	}
	if withRel == nil || withFail == nil {
		t.Fatalf("the first AI page has no resource with related resources (%v) or failing checks (%v)", withRel != nil, withFail != nil)
	}
	rowText := func(uid string) string {
		return eval[string](b, fmt.Sprintf(`(() => { const a = [...document.querySelectorAll("#view tr.ai-row a")].find(a => a.getAttribute("href") === "#/resource?uid=" + encodeURIComponent(%s));
			return a ? a.closest("tr").textContent : ""; })()`, js(uid)))
	}
	if row := rowText(withFail.UID); !strings.Contains(row, string(withFail.MaxSeverity)) || !strings.Contains(row, "Planted "+withFail.Failing[0].CheckID) {
		t.Errorf("AI row of %s = %q, want its failing check %s", withFail.UID, row, withFail.Failing[0].CheckID)
	}
	rel := withRel.Related[0]
	if row := rowText(withRel.UID); !strings.Contains(row, rel.Name) || !strings.Contains(row, rel.Type) {
		t.Errorf("AI row of %s = %q, want related %s (%s)", withRel.UID, row, rel.Name, rel.Type)
	}
	b.do("filter the AI inventory by kind",
		chromedp.SetValue(chromedp.CSS(`#view select[name="kind"]`), withRel.Kind),
		chromedp.Click(chromedp.CSS(`#view form.filters button[type="submit"]`)))
	b.waitFor("the kind filter", fmt.Sprintf(`location.hash.includes("kind=") &&
		[...document.querySelectorAll("#view tr.ai-row")].every(r => r.cells[0].textContent.endsWith(%s))`, js(withRel.Kind)))
	b.do("open a resource an AI resource reaches", chromedp.Click(chromedp.JSPath(fmt.Sprintf(
		`[...document.querySelectorAll("#view tr.ai-row td:nth-child(3) a")].find(a => a.getAttribute("href") === "#/resource?uid=" + encodeURIComponent(%s))`, js(rel.UID)))))
	b.waitFor("the related resource's page", fmt.Sprintf(`(() => { const d = document.querySelector("#view dd.mono"); return d !== null && d.textContent === %s; })()`, js(rel.UID)))

	// Findings: the list starts with the most severe failing finding.
	var fs struct {
		Items []struct {
			CheckID      string `json:"check_id"`
			Title        string
			ResourceUID  string `json:"resource_uid"`
			ResourceName string `json:"resource_name"`
		}
	}
	h.do("GET", "/api/v1/findings", h.reader, nil, 200, &fs)
	if len(fs.Items) == 0 {
		t.Fatal("no failing findings")
	}
	first := fs.Items[0]
	b.do("open the findings", chromedp.Click(chromedp.CSS(`#nav a[href="#/findings"]`)), chromedp.WaitVisible(chromedp.ID("findings-search")))
	b.waitFor("the findings rows", fmt.Sprintf(`document.querySelectorAll("#view tr.finding-row").length === %d`, len(fs.Items)))
	row := b.text("#view tr.finding-row")
	for _, want := range []string{"FAIL", first.Title, first.ResourceName} {
		if !strings.Contains(row, want) {
			t.Errorf("first finding row %q lacks %q", row, want)
		}
	}

	// A finding: its remediation, then a mute with a reason.
	b.do("open the first finding", chromedp.Click(chromedp.CSS(`#view tr.finding-row`)), chromedp.WaitVisible(chromedp.ID("mute-form")))
	if got := b.text("#finding-title"); got != first.Title {
		t.Errorf("finding title = %q, want %q", got, first.Title)
	}
	if got := b.text("#remediation"); got != "Fix "+first.CheckID {
		t.Errorf("remediation = %q, want %q", got, "Fix "+first.CheckID)
	}
	const reason = "accepted risk: public by design (browser test)"
	b.do("mute the finding",
		chromedp.SendKeys(chromedp.ID("mute-reason"), reason),
		chromedp.Click(chromedp.CSS(`#mute-form button[type="submit"]`)))
	b.waitFor("the mute confirmation", `document.getElementById("mute-result").textContent.startsWith("Muted (mute ")`)
	if cls := eval[string](b, `document.getElementById("mute-result").className`); cls == "error" {
		t.Errorf("mute answered an error: %s", b.text("#mute-result"))
	}
	var mutes struct {
		Items []struct {
			ID                     int64
			Check, Resource, Owner string
			Reason                 string
			Active                 bool
		}
	}
	h.do("GET", "/api/v1/mutes", h.reader, nil, 200, &mutes)
	if len(mutes.Items) != 1 {
		t.Fatalf("mutes after the page's mute = %+v, want one", mutes.Items)
	}
	m := mutes.Items[0]
	if m.Check != first.CheckID || m.Resource != first.ResourceUID || m.Reason != reason || m.Owner != "alice" || !m.Active {
		t.Errorf("mute = %+v, want %s on %s by alice: %q", m, first.CheckID, first.ResourceUID, reason)
	}
	if got, want := b.text("#mute-result"), fmt.Sprintf("Muted (mute %d): applies from the next scan.", m.ID); got != want {
		t.Errorf("mute confirmation = %q, want %q", got, want)
	}
	// An empty reason is refused and says so.
	b.clear("mute-reason")
	b.allow(http.StatusBadRequest, "/api/v1/mutes")
	b.do("mute without a reason",
		chromedp.Click(chromedp.CSS(`#mute-form button[type="submit"]`)))
	b.waitFor("the refusal", `document.getElementById("mute-result").className === "error"`)

	// The mutes page logs who muted and why.
	b.do("open the mutes", chromedp.Click(chromedp.CSS(`#nav a[href="#/mutes"]`)))
	b.waitFor("the change log", fmt.Sprintf(`document.getElementById("view").innerText.includes(%s)`, js(reason)))
	mutesPage := b.text("#view")
	for _, want := range []string{"Change log", first.CheckID, "alice"} {
		if !strings.Contains(mutesPage, want) {
			t.Errorf("mutes page lacks %q", want)
		}
	}

	// Scans & drift: one timeline row per snapshot, newest first, and the runs.
	b.do("open scans & drift", chromedp.Click(chromedp.CSS(`#nav a[href="#/drift"]`)))
	b.waitFor("the timeline", fmt.Sprintf(`document.querySelectorAll("#view tr.drift-row").length === %d`, len(snaps)))
	rows := eval[[]string](b, `[...document.querySelectorAll("#view tr.drift-row")].map(r => r.cells[0].textContent + " " + r.cells[1].textContent + " " + r.cells[4].textContent + " " + r.cells[6].textContent)`)
	wantRows := []string{
		fmt.Sprintf("%d test demo %d 0", snaps[1], ov.Totals.Fail),
		fmt.Sprintf("%d test demo %d ", snaps[0], ov.Totals.Fail),
	}
	if strings.Join(rows, "|") != strings.Join(wantRows, "|") {
		t.Errorf("timeline rows = %q, want %q", rows, wantRows)
	}
	drift := b.text("#view")
	for _, want := range []string{"Scan runs", "Scan demo now", "ok"} {
		if !strings.Contains(drift, want) {
			t.Errorf("scans & drift page lacks %q", want)
		}
	}

	// Logging out ends the session: the login form is back.
	b.do("log out", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.do("reload", chromedp.Navigate(h.url+"/#/findings"), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.checkProblems()
}

// thousands formats n as the dashboard's en-US toLocaleString does.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// syncBuffer is a bytes.Buffer that cli.Main's goroutine writes while the
// test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// serveDemo runs `cloudward serve --demo` (the real command: built-in
// checks, frameworks, company rules, scan on start) on a free loopback
// port and returns its URL and the first admin token it prints. The
// command is stopped, and must exit cleanly, when the test ends.
func serveDemo(t *testing.T) (base, token string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	args := []string{"serve", "--demo", "--listen", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "serve.db")}
	go func() { done <- cli.Main(ctx, args, strings.NewReader(""), &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != cli.ExitOK {
				t.Errorf("cloudward serve exited %d: %s", code, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Errorf("cloudward serve did not stop: %s", stderr.String())
		}
	})
	tokenRe := regexp.MustCompile(`(?m)^\s+(cwt_\S+)$`)
	urlRe := regexp.MustCompile(`cloudward serving (http://127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		out := stdout.String()
		tm, um := tokenRe.FindStringSubmatch(out), urlRe.FindStringSubmatch(out)
		if tm != nil && um != nil {
			return um[1], tm[1]
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("cloudward serve exited %d:\n%s\n%s", code, out, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("cloudward serve printed no URL and token:\n%s\n%s", out, stderr.String())
		}
	}
}

// apiGet reads base+path with a bearer token into out.
func apiGet(t *testing.T, base, token, path string, out any) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// waitScans waits until n scans have finished and returns them, newest first.
func waitScans(t *testing.T, base, token string, n int) []serverstate.Run {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var runs struct{ Items []serverstate.Run }
		apiGet(t, base, token, "/api/v1/scans", &runs)
		finished := 0
		for _, r := range runs.Items {
			switch r.Status {
			case serverstate.RunOK:
				finished++
			case serverstate.RunRunning:
			default:
				t.Fatalf("scan %d: %s %s", r.ID, r.Status, r.Error)
			}
		}
		if finished >= n && finished == len(runs.Items) {
			return runs.Items
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d scans finished: %+v", finished, n, runs.Items)
		}
	}
}

// waitTrend waits until the score trend has n snapshots. A scan's run is
// recorded as finished a moment before its snapshot's scores are saved.
func waitTrend(t *testing.T, base, token string, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var trend struct{ Items []json.RawMessage }
		apiGet(t, base, token, "/api/v1/trend", &trend)
		if len(trend.Items) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the trend has %d of %d snapshots", len(trend.Items), n)
		}
	}
}

// TestBrowserServeDemo drives `cloudward serve --demo` itself: the real scan
// pipeline with the built-in checks and frameworks. A finding muted on its
// page is MUTED after the scan that "Scan demo now" starts. With
// -update-screenshots (or CLOUDWARD_UPDATE_SCREENSHOTS=1) it rewrites
// docs/server-{overview,inventory,findings,ai,drift}.png.
func TestBrowserServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	if findChromium() == "" {
		t.Skip("chromium is not installed (set CLOUDWARD_CHROMIUM to its path)")
	}
	base, token := serveDemo(t)
	first := waitScans(t, base, token, 1)[0]
	waitTrend(t, base, token, 1)
	b := newBrowser(t, base)
	b.allow(http.StatusUnauthorized, "/api/v1/session")

	b.do("open the dashboard", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.do("log in",
		chromedp.SendKeys(chromedp.ID("token"), token),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("overview-cards")))
	if got := b.text("#who"); got != "first-admin (admin)" {
		t.Errorf("logged in as %q, want first-admin (admin)", got)
	}
	// The built-in frameworks are scored; the trend has its first point.
	b.waitFor("the framework scores", `document.querySelectorAll("#view tr.click").length > 5 && document.getElementById("trend") !== null`)
	overview := b.text("#view")
	for _, want := range []string{fmt.Sprintf("Snapshot %d", first.SnapshotID), "CIS", "Top failing checks", "Collection errors"} {
		if !strings.Contains(overview, want) {
			t.Errorf("overview lacks %q", want)
		}
	}

	b.do("open the inventory", chromedp.Click(chromedp.CSS(`#nav a[href="#/inventory"]`)), chromedp.WaitVisible(chromedp.ID("inventory-count")))
	b.waitFor("the inventory rows", `document.querySelectorAll("#view tbody tr").length > 10`)
	b.screenshot("server-inventory.png", false)

	// The AI inventory of the demo estate: AI resources of the built-in AI
	// kinds, with what they reach and their failing checks.
	b.do("open the AI inventory", chromedp.Click(chromedp.CSS(`#nav a[href="#/ai"]`)), chromedp.WaitVisible(chromedp.ID("ai-count")))
	b.waitFor("the AI rows", `document.querySelectorAll("#view tr.ai-row").length > 0`)
	if got := b.text("#ai-count"); strings.HasPrefix(got, "0\n") {
		t.Errorf("AI inventory count = %q, want the demo's AI resources", got)
	}
	b.screenshot("server-ai.png", false)

	b.do("open the findings", chromedp.Click(chromedp.CSS(`#nav a[href="#/findings"]`)), chromedp.WaitVisible(chromedp.ID("findings-search")))
	b.waitFor("the findings rows", `document.querySelectorAll("#view tr.finding-row").length > 10`)
	b.screenshot("server-findings.png", false)

	// Mute the first finding, scan again, and see it muted.
	b.do("open the first finding", chromedp.Click(chromedp.CSS(`#view tr.finding-row`)), chromedp.WaitVisible(chromedp.ID("mute-form")))
	findingURL := eval[string](b, `location.href`)
	title := b.text("#finding-title")
	const reason = "accepted risk until the migration (browser test)"
	b.do("mute the finding",
		chromedp.SendKeys(chromedp.ID("mute-reason"), reason),
		chromedp.Click(chromedp.CSS(`#mute-form button[type="submit"]`)))
	b.waitFor("the mute confirmation", `document.getElementById("mute-result").textContent.startsWith("Muted (mute ")`)

	b.do("open scans & drift", chromedp.Click(chromedp.CSS(`#nav a[href="#/drift"]`)))
	b.waitFor("the timeline", `document.querySelectorAll("#view tr.drift-row").length === 1`)
	b.do("scan now", chromedp.Click(chromedp.CSS(`#view .filters button`)))
	b.waitFor("the scan to start", `document.getElementById("view").innerText.includes("Scan of demo started.")`)
	second := waitScans(t, base, token, 2)[0]
	waitTrend(t, base, token, 2)
	if second.SnapshotID <= first.SnapshotID || second.Trigger == first.Trigger {
		t.Errorf("second scan = %+v after %+v", second, first)
	}
	b.do("reload scans & drift", chromedp.Reload())
	b.waitFor("two timeline rows", `document.querySelectorAll("#view tr.drift-row").length === 2`)
	rows := eval[[]string](b, `[...document.querySelectorAll("#view tr.drift-row")].map(r => r.cells[0].textContent + " " + r.cells[6].textContent)`)
	// The muted finding no longer fails: one failing finding fewer.
	if want := []string{fmt.Sprintf("%d -1", second.SnapshotID), fmt.Sprintf("%d ", first.SnapshotID)}; strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Errorf("timeline (snapshot, Δ failing) = %q, want %q", rows, want)
	}
	b.screenshot("server-drift.png", false)

	// With two snapshots the overview draws the score trend.
	b.do("open the overview", chromedp.Click(chromedp.CSS(`#nav a[href="#/overview"]`)))
	b.waitFor("the trend chart", `document.querySelector("#trend svg.trend polyline") !== null`)
	if got := b.text("#trend p"); !strings.HasSuffix(got, ": score over the last 2 snapshots") {
		t.Errorf("trend caption = %q", got)
	}
	if got := b.text("#overview-cards"); !strings.Contains(got, "1\nmuted") {
		t.Errorf("overview cards after the mute:\n%s", got)
	}
	b.screenshot("server-overview.png", true)

	b.do("reopen the finding", chromedp.Navigate(findingURL), chromedp.WaitVisible(chromedp.ID("finding-title")))
	if got := b.text("#finding-title"); got != title {
		t.Errorf("finding title = %q, want %q", got, title)
	}
	b.waitFor("the muted status", `document.querySelector("#view .st-MUTED") !== null`)
	page := b.text("#view")
	for _, want := range []string{"MUTED", reason, "Only failing findings are muted."} {
		if !strings.Contains(page, want) {
			t.Errorf("the muted finding's page lacks %q", want)
		}
	}
	b.checkProblems()
}
