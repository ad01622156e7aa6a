package report

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cloudward/internal/finding"
)

// chromiumPath returns the headless browser to test with: $CLOUDWARD_CHROMIUM
// or the first of Debian's and other distributions' names found on PATH.
func chromiumPath() string {
	if p := os.Getenv("CLOUDWARD_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// dumpDOM loads url in headless Chromium, offline, and returns the DOM after
// the page's scripts ran, and the browser's console log.
func dumpDOM(t *testing.T, browser, url string, flags ...string) (dom, console string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0",
	}, flags...)
	cmd := exec.CommandContext(ctx, browser, append(args, "--dump-dom", url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, stderr.String())
	}
	var log []string
	for line := range strings.Lines(stderr.String()) {
		if strings.Contains(line, ":CONSOLE") {
			log = append(log, line)
		}
	}
	return stdout.String(), strings.Join(log, "")
}

var (
	visibleRE = regexp.MustCompile(`id="count"[^>]*data-visible="(\d+)"[^>]*>([^<]*)<`)
	rowRE     = regexp.MustCompile(`<tr class="row"`)
)

// browserFixture is a demo-sized scan: 3 providers, 6 accounts, 5 regions,
// every check of the fixture on every resource, and one resource with a
// hostile name.
func browserFixture() (*Summary, []finding.Finding) {
	accounts := []struct{ provider, account string }{
		{"aws", "111111111111"}, {"aws", "222222222222"}, {"aws", "333333333333"},
		{"gcp", "shop-prod"}, {"gcp", "shop-dev"}, {"azure", "0f6c-sub"},
	}
	regions := []string{"eu-west-1", "us-east-1", "europe-west1", "westeurope", "global"}
	var fs []finding.Finding
	for i := range 600 {
		a := accounts[i%len(accounts)]
		name := fmt.Sprintf("res-%04d", i)
		if i == 77 {
			name = `</script><img src=x onerror="document.title='pwned'">`
		}
		for j, c := range fixtureChecks {
			st := finding.Pass
			switch (i + j) % 9 {
			case 0, 4:
				st = finding.Fail
			case 5:
				st = finding.Muted
			case 7:
				if j == 3 {
					st = finding.Error
				}
			}
			fs = append(fs, finding.Finding{
				CheckID: c.ID, Severity: c.Severity, Status: st,
				ResourceUID: fmt.Sprintf("%s:%s:thing/%04d", a.provider, a.account, i), ResourceName: name,
				Kind: a.provider + "_thing", Provider: a.provider, Account: a.account, Region: regions[i%len(regions)],
			})
		}
	}
	// The store returns findings by severity, highest first.
	var sorted []finding.Finding
	for _, sev := range finding.Severities {
		for _, f := range fs {
			if f.Severity == sev {
				sorted = append(sorted, f)
			}
		}
	}
	meta := fixtureMeta(nil)
	meta.Scope, meta.Resources = "demo (browser test)", 600
	s := NewSummary(meta, fixtureChecks, fixtureFrameworks)
	for _, f := range sorted {
		s.Add(f)
	}
	return s, sorted
}

// TestHTMLInBrowser renders a report in headless Chromium and checks that
// the script builds the findings table, pages it, and filters it from the
// URL hash, without console errors. CI installs Debian's chromium; the test
// is skipped where no browser is installed.
func TestHTMLInBrowser(t *testing.T) {
	browser := chromiumPath()
	if browser == "" {
		t.Skip("chromium is not installed (apt-get install chromium); CI installs it")
	}
	s, fs := browserFixture()
	path := filepath.Join(t.TempDir(), "report.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, s, seq(fs), HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	count := func(keep func(finding.Finding) bool) int {
		n := 0
		for _, f := range fs {
			if keep(f) {
				n++
			}
		}
		return n
	}

	tests := []struct {
		name    string
		hash    string
		visible int
		size    int      // page size, when not the default
		text    string   // the count line starts with it
		has     []string // the DOM contains these
	}{
		{name: "all", visible: len(fs),
			text: fmt.Sprintf("Showing 1–100 of %s findings", formatInt(int64(len(fs)))),
			has:  []string{`<option value="FAIL">FAIL (`, `<option value="critical">critical (600)</option>`, `<option value="shop-dev">shop-dev (500)</option>`}},
		{name: "status", hash: "#status=FAIL",
			visible: count(func(f finding.Finding) bool { return f.Status == finding.Fail })},
		{name: "combined", hash: "#account=222222222222&region=us-east-1&severity=high", visible: count(func(f finding.Finding) bool {
			return f.Account == "222222222222" && f.Region == "us-east-1" && f.Severity == finding.High
		}),
			has: []string{`<span class="sev high">high</span>`}},
		{name: "check", hash: "#check=azure-storage-https-only&status=ERROR", visible: count(func(f finding.Finding) bool {
			return f.CheckID == "azure-storage-https-only" && f.Status == finding.Error
		})},
		{name: "search", hash: "#q=" + "%3C%2Fscript%3E%3Cimg", visible: len(fixtureChecks),
			has: []string{`&lt;/script&gt;&lt;img src=x onerror="document.title='pwned'"&gt;`, `<title>cloudward report · demo (browser test)</title>`}},
		{name: "page", hash: "#status=PASS&page=3&size=50", size: 50,
			visible: count(func(f finding.Finding) bool { return f.Status == finding.Pass }), text: "Showing 101–150 of "},
		{name: "nothing", hash: "#region=mars-north-1", visible: 0, text: "No findings match."},
	}
	t.Run("interactive", func(t *testing.T) {
		t.Parallel()
		page := filepath.Join(filepath.Dir(path), "interact.html")
		if err := os.WriteFile(page, []byte(interactPage), 0o644); err != nil {
			t.Fatal(err)
		}
		// Virtual time lets the page's timers run before the DOM is dumped.
		dom, console := dumpDOM(t, browser, "file://"+page, "--allow-file-access-from-files", "--virtual-time-budget=10000")
		if console != "" {
			t.Errorf("console output:\n%s", console)
		}
		m := regexp.MustCompile(`(?s)<pre id="out" data-done="true">(.*?)</pre>`).FindStringSubmatch(dom)
		if m == nil {
			t.Fatalf("the steps did not finish:\n%.3000s", dom)
		}
		log := strings.ReplaceAll(m[1], "&amp;", "&")
		// The first row is the first FAIL finding; FAIL rows have no reason.
		first := fs[slices.IndexFunc(fs, func(f finding.Finding) bool { return f.Status == finding.Fail })]
		c := fixtureChecks[slices.IndexFunc(fixtureChecks, func(c CheckInfo) bool { return c.ID == first.CheckID })]
		if want := "detail: " + c.ID + " — " + c.Title + " | " + first.ResourceUID + " | " + c.Area + " | " + c.Remediation + "\n"; !strings.Contains(log, want) {
			t.Errorf("the expanded row does not show %q:\n%s", want, log)
		}
		search := count(func(f finding.Finding) bool {
			return f.Account == "shop-dev" && strings.Contains(f.ResourceName, "res-000")
		})
		for _, want := range []string{
			fmt.Sprintf("account link: visible=%d page=page 1 of 5 hash=#account=shop-dev\n", count(func(f finding.Finding) bool { return f.Account == "shop-dev" })),
			fmt.Sprintf("search: visible=%d page=page 1 of 1 hash=#account=shop-dev&q=RES-000\n", search),
			fmt.Sprintf("status: visible=%d ", count(func(f finding.Finding) bool {
				return f.Account == "shop-dev" && strings.Contains(f.ResourceName, "res-000") && f.Status == finding.Fail
			})),
			"hash=#status=FAIL&account=shop-dev&q=RES-000\n",
			fmt.Sprintf("next page: visible=%d page=page 2 of 30 hash=#page=2\n", len(fs)),
		} {
			if !strings.Contains(log, want) {
				t.Errorf("log lacks %q:\n%s", want, log)
			}
		}
	})
	for _, tt := range tests {
		if tt.visible == 0 && tt.name != "nothing" {
			t.Fatalf("%s: the fixture has no finding for %s", tt.name, tt.hash)
		}
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dom, console := dumpDOM(t, browser, "file://"+path+tt.hash)
			if console != "" {
				t.Errorf("console output:\n%s", console)
			}
			if !strings.Contains(dom, `data-ready="true"`) {
				t.Fatalf("the script did not finish; DOM starts:\n%.2000s", dom)
			}
			m := visibleRE.FindStringSubmatch(dom)
			if m == nil {
				t.Fatal("no findings count in the DOM")
			}
			if got, _ := strconv.Atoi(m[1]); got != tt.visible {
				t.Errorf("%d findings visible, want %d (%q)", got, tt.visible, m[2])
			}
			size := cmp.Or(tt.size, DefaultHTMLPageSize)
			if got, want := len(rowRE.FindAllStringIndex(dom, -1)), min(tt.visible, size); got != want {
				t.Errorf("%d table rows, want %d", got, want)
			}
			if !strings.HasPrefix(m[2], tt.text) {
				t.Errorf("count line %q, want it to start with %q", m[2], tt.text)
			}
			for _, want := range tt.has {
				if !strings.Contains(dom, want) {
					t.Errorf("DOM lacks %q", want)
				}
			}
			if strings.Contains(dom, "<img") || strings.Contains(dom, "pwned</title>") {
				t.Error("a resource name was rendered as markup")
			}
		})
	}
}

// interactPage loads a report in an iframe and uses it as a reader would:
// it expands a row, follows an account link, types a search, picks a status
// and pages on, logging what the report shows after each step.
const interactPage = `<!DOCTYPE html><html><body><pre id="out"></pre>
<iframe id="f" src="report.html" width="1400" height="1000"></iframe>
<script>
var out = document.getElementById('out'), f = document.getElementById('f');
f.onload = function () {
  var w = f.contentWindow, d = f.contentDocument, form = d.getElementById('filters');
  function log(step) {
    var c = d.getElementById('count');
    out.textContent += step + ': visible=' + c.dataset.visible + ' page=' + d.getElementById('page').textContent +
      ' hash=' + w.location.hash + '\n';
  }
  d.querySelector('tr.row').click();
  var dds = Array.prototype.map.call(d.querySelectorAll('tr.detail dd'), function (dd) { return dd.textContent; });
  out.textContent += 'detail: ' + dds.join(' | ') + '\n';
  d.querySelector('a[data-filter="account"][data-value="shop-dev"]').click();
  log('account link');
  form.elements.q.value = 'RES-000';
  form.elements.q.dispatchEvent(new w.Event('input', { bubbles: true }));
  setTimeout(function () {
    log('search');
    form.elements.status.value = 'FAIL';
    form.elements.status.dispatchEvent(new w.Event('input', { bubbles: true }));
    setTimeout(function () {
      log('status');
      d.getElementById('reset-filters').click();
      d.getElementById('next').click();
      log('next page');
      out.dataset.done = 'true';
    }, 50);
  }, 500);
};
</script></body></html>`

// measurePage loads a report in an iframe, then applies filters through the
// report's hashchange handler synchronously, so that --dump-dom captures
// every timing. performance.memory needs --enable-precise-memory-info.
const measurePage = `<!DOCTYPE html><html><body><pre id="out"></pre>
<iframe id="f" src="%s" width="1400" height="1000"></iframe>
<script>
var out = document.getElementById('out'), f = document.getElementById('f');
var hashes = ['#status=FAIL', '#severity=critical&region=eu-west-1', '#check=aws-s3-bucket-versioning-enabled',
  '#status=PASS&page=2000', '#q=bucket', '#q=svc-9&status=PASS', '#q=zzz-no-match'];
f.onload = function () {
  var w = f.contentWindow, d = f.contentDocument, b = d.body.dataset;
  out.textContent += 'load: script start ' + b.startMs + ' ms, data parsed ' + b.parseMs + ' ms, first page rendered ' + b.renderMs +
    ' ms, JS heap ' + (w.performance.memory.usedJSHeapSize / 1048576).toFixed(0) + ' MiB, findings ' + d.getElementById('count').dataset.visible + '\n';
  hashes.forEach(function (h) {
    w.history.replaceState(null, '', h);
    w.dispatchEvent(new w.HashChangeEvent('hashchange'));
    out.textContent += h + ': ' + b.filterMs + ' ms, ' + d.getElementById('count').dataset.visible + ' match, ' +
      d.querySelectorAll('tr.row').length + ' rows in the DOM\n';
  });
};
</script></body></html>`

// TestHTMLMeasure measures a report in headless Chromium: time to the first
// rendered page and time to apply filters. It runs only when
// CLOUDWARD_HTML_MEASURE names a report, e.g. one written by
//
//	cloudward scan --demo --demo-size 100000 --output html=/tmp/big.html
//
// and prints the figures docs/html-report.md quotes.
func TestHTMLMeasure(t *testing.T) {
	report := os.Getenv("CLOUDWARD_HTML_MEASURE")
	if report == "" {
		t.Skip("set CLOUDWARD_HTML_MEASURE to a report file to measure it")
	}
	browser := chromiumPath()
	if browser == "" {
		t.Skip("chromium is not installed")
	}
	abs, err := filepath.Abs(report)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(filepath.Dir(abs), ".measure-"+filepath.Base(abs))
	if err := os.WriteFile(page, fmt.Appendf(nil, measurePage, filepath.Base(abs)), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(page)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--allow-file-access-from-files", "--enable-precise-memory-info",
		"--dump-dom", "file://"+page).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<pre id="out">(.*?)</pre>`).FindSubmatch(out)
	if m == nil || !bytes.Contains(m[1], []byte("load:")) {
		t.Fatalf("no measurements in the page:\n%.3000s", out)
	}
	t.Logf("%s: %.1f MB; chromium ran %.1fs in all\n%s", report, float64(st.Size())/1e6, time.Since(start).Seconds(),
		strings.ReplaceAll(string(m[1]), "&amp;", "&"))
}
