package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cloudward/internal/collect"
	"cloudward/internal/collect/demo"
	"cloudward/internal/drift"
	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
	"cloudward/internal/store/sqlite"
)

// plantingCollector wraps the demo and plants known drift: it changes one
// resource (a new property and another owner tag), removes one and adds a
// copy of it under a new UID (with its edges), so the estate is otherwise
// the same.
type plantingCollector struct {
	collect.Collector
	change, remove string
}

type plantingSink struct {
	collect.Sink
	c *plantingCollector
}

func (c *plantingCollector) Collect(ctx context.Context, sink collect.Sink) error {
	return c.Collector.Collect(ctx, &plantingSink{Sink: sink, c: c})
}

func (s *plantingSink) Resource(ctx context.Context, r resource.Resource) error {
	switch r.UID {
	case s.c.change:
		var props map[string]any
		if err := json.Unmarshal(r.Properties, &props); err != nil {
			return err
		}
		props["drift_test"] = "changed"
		b, err := json.Marshal(props)
		if err != nil {
			return err
		}
		r.Properties = b
		tags := map[string]string{}
		for k, v := range r.Tags {
			tags[k] = v
		}
		tags["owner"] = "someone-else"
		r.Tags = tags
	case s.c.remove:
		r.UID += "-copy"
	}
	return s.Sink.Resource(ctx, r)
}

func (s *plantingSink) Edge(ctx context.Context, e resource.Edge) error {
	if e.From == s.c.remove {
		e.From += "-copy"
	}
	if e.To == s.c.remove {
		e.To += "-copy"
	}
	return s.Sink.Edge(ctx, e)
}

func TestDiffReportsExactlyThePlantedDrift(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "cw.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cat, err := loadCatalog(catalogOptions{defaultConfig: demo.Config})
	if err != nil {
		t.Fatal(err)
	}
	demoNow := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	scan := func(col collect.Collector, now time.Time) store.Snapshot {
		res, err := pipeline(ctx, pipelineInput{store: st, collector: col, catalog: cat, scope: "demo drift", now: now})
		if err != nil {
			t.Fatal(err)
		}
		return res.snapshot
	}
	s1 := scan(demo.New(demo.Options{Seed: 1, Now: demoNow}), demoNow)

	// Plant on an S3 bucket (change) and a failing DigitalOcean droplet
	// (remove + re-add under a new UID).
	var change, remove string
	var removedFails []string
	for f, err := range st.Findings(ctx, s1.ID, store.FindingFilter{Statuses: []finding.Status{finding.Fail}}) {
		if err != nil {
			t.Fatal(err)
		}
		if remove == "" && f.Kind == "do_droplet" {
			remove = f.ResourceUID
		}
	}
	for f, err := range st.Findings(ctx, s1.ID, store.FindingFilter{Statuses: []finding.Status{finding.Fail}}) {
		if err != nil {
			t.Fatal(err)
		}
		if f.ResourceUID == remove {
			removedFails = append(removedFails, f.CheckID)
		}
	}
	for r, err := range st.Resources(ctx, s1.ID, store.ResourceFilter{Kinds: []string{"aws_s3_bucket"}}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Tags["owner"] != "" {
			change = r.UID
			break
		}
	}
	if change == "" || remove == "" || len(removedFails) == 0 {
		t.Fatalf("no resources to plant on: change %q remove %q fails %v", change, remove, removedFails)
	}
	var oldOwner string
	for r, err := range st.Resources(ctx, s1.ID, store.ResourceFilter{Kinds: []string{"aws_s3_bucket"}}) {
		if err == nil && r.UID == change {
			oldOwner = r.Tags["owner"]
		}
	}
	now2 := demoNow.Add(time.Hour)
	s2 := scan(&plantingCollector{Collector: demo.New(demo.Options{Seed: 1, Now: demoNow}), change: change, remove: remove}, now2)

	oldSn, newSn, err := diffSnapshots(ctx, st, nil)
	if err != nil || oldSn.ID != s1.ID || newSn.ID != s2.ID {
		t.Fatalf("default snapshots %d, %d (%v), want %d, %d", oldSn.ID, newSn.ID, err, s1.ID, s2.ID)
	}
	r, err := diffReport(ctx, st, oldSn, newSn, cat)
	if err != nil {
		t.Fatal(err)
	}
	rc := r.ResourceCounts
	if rc.Added != 1 || rc.Removed != 1 || rc.Changed != 1 || rc.Unchanged != int(s1.Resources)-2 {
		t.Errorf("resource counts %+v (snapshot has %d)", rc, s1.Resources)
	}
	got := map[drift.ResourceChangeType]drift.ResourceChange{}
	for _, c := range r.ResourceChanges {
		got[c.Type] = c
	}
	if got[drift.Added].UID != remove+"-copy" || got[drift.Removed].UID != remove || got[drift.Changed].UID != change {
		t.Errorf("resource changes %+v", r.ResourceChanges)
	}
	wantChanges := []drift.Change{
		{Path: "properties.drift_test", New: json.RawMessage(`"changed"`)},
		{Path: "tags.owner", Old: mustJSON(t, oldOwner), New: json.RawMessage(`"someone-else"`)},
	}
	if c := got[drift.Changed].Changes; len(c) != 2 || c[0].Path != wantChanges[0].Path || c[0].Old != nil || string(c[0].New) != string(wantChanges[0].New) ||
		c[1].Path != wantChanges[1].Path || string(c[1].Old) != string(wantChanges[1].Old) || string(c[1].New) != string(wantChanges[1].New) {
		t.Errorf("changes %s, want %s", mustJSON(t, c), mustJSON(t, wantChanges))
	}

	checksOf := func(cs []drift.FindingChange, uid string, status finding.Status) []string {
		var out []string
		for _, c := range cs {
			if c.Finding.ResourceUID != uid || c.NewStatus != status {
				t.Errorf("unexpected finding change %+v", c)
			}
			out = append(out, c.Finding.CheckID)
		}
		slices.Sort(out)
		return out
	}
	slices.Sort(removedFails)
	if n := checksOf(r.Findings.New, remove+"-copy", finding.Fail); !slices.Equal(n, removedFails) {
		t.Errorf("new findings %v, want %v", n, removedFails)
	}
	if n := checksOf(r.Findings.Resolved, remove, ""); !slices.Equal(n, removedFails) {
		t.Errorf("resolved findings %v, want %v", n, removedFails)
	}
	var fails1 int
	for range st.Findings(ctx, s1.ID, store.FindingFilter{Statuses: []finding.Status{finding.Fail}}) {
		fails1++
	}
	if len(r.Findings.StillFailing) != fails1-len(removedFails) {
		t.Errorf("%d still failing, want %d", len(r.Findings.StillFailing), fails1-len(removedFails))
	}
	for _, c := range r.Findings.StillFailing {
		if !c.Finding.FirstSeen.Equal(demoNow) {
			t.Fatalf("still failing %s on %s first seen %v, want %v", c.Finding.CheckID, c.Finding.ResourceUID, c.Finding.FirstSeen, demoNow)
		}
	}
	for _, c := range r.Findings.New {
		if !c.Finding.FirstSeen.Equal(now2) {
			t.Errorf("new %s first seen %v, want %v", c.Finding.CheckID, c.Finding.FirstSeen, now2)
		}
	}
	if len(r.Scores) == 0 {
		t.Error("no framework scores")
	}
	for _, f := range []drift.Format{drift.Table, drift.JSON, drift.Markdown} {
		var b strings.Builder
		if err := drift.Write(&b, f, r, 0); err != nil || !strings.Contains(b.String(), remove+"-copy") || !strings.Contains(b.String(), "drift_test") {
			t.Errorf("%s output lacks the planted changes (%v):\n%s", f, err, b.String())
		}
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMutesFileAndFailOnNew(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cw.db")
	mutes := filepath.Join(dir, "mutes.yaml")
	write := func(s string) {
		if err := os.WriteFile(mutes, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Every high and critical FAIL of the demo, muted; plus an expired and
	// a stale rule.
	write(`
- check: "*"
  provider: aws
  reason: accepted for the test
  owner: qa
- check: "*"
  reason: old exception
  owner: legacy-team
  resource: "*"
  expires: 2020-01-01
- check: "*"
  resource: "arn:aws:s3:::no-such-bucket"
  reason: bucket deleted long ago
  owner: storage
`)
	out := filepath.Join(dir, "out.json")
	code, _, stderr := run(t, "scan", "--demo", "--db", db, "--mutes", mutes, "-o", "json", "--output-file", out)
	if code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "mutes.yaml:6 (owner legacy-team) expired on 2020-01-01") ||
		!strings.Contains(stderr, "mutes.yaml:11 (owner storage) matched no failing finding") ||
		strings.Contains(stderr, "mutes.yaml:2 ") {
		t.Errorf("warnings:\n%s", stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []finding.Finding `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var muted int
	for _, f := range doc.Findings {
		// The JSON report nests the resource; AWS checks are named aws-….
		if strings.HasPrefix(f.CheckID, "aws-") && f.Status == finding.Fail {
			t.Fatalf("aws finding not muted: %+v", f)
		}
		if f.Status == finding.Muted {
			muted++
			if f.Reason != "accepted for the test" {
				t.Errorf("muted %+v", f)
			}
		}
	}
	if muted == 0 {
		t.Fatal("nothing muted")
	}
	// Unmuted, the AWS findings are new FAILs relative to the baseline.
	code, _, stderr = run(t, "scan", "--demo", "--db", db, "--baseline", "previous", "--fail-on-new", "high", "-o", "json", "--output-file", out)
	if code != ExitFindings || !strings.Contains(stderr, "new failing findings at or above high since snapshot 1") {
		t.Errorf("gate: exit %d, %s", code, stderr)
	}
	// Against itself there is nothing new.
	code, _, stderr = run(t, "scan", "--demo", "--db", db, "--baseline", "2", "--fail-on-new", "high", "-o", "json", "--output-file", out)
	if code != ExitOK || !strings.Contains(stderr, "baseline: 0 new failing findings") {
		t.Errorf("no regression: exit %d, %s", code, stderr)
	}
	// A malformed rule is a clear error.
	write("- check: x\n  reason: r\n")
	code, _, stderr = run(t, "scan", "--demo", "--db", db, "--mutes", mutes)
	if code != ExitError || !strings.Contains(stderr, "mutes.yaml:1: mutes[0]: owner is required") {
		t.Errorf("malformed: exit %d, %s", code, stderr)
	}
	code, _, stderr = run(t, "scan", "--demo", "--db", db, "--fail-on-new", "high")
	if code != ExitError || !strings.Contains(stderr, "--fail-on-new needs --baseline") {
		t.Errorf("usage: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := run(t, "diff", "--db", db, "1", "2", "--format", "markdown")
	if code != ExitOK || !strings.Contains(stdout, "## Drift: snapshot 1 → 2") {
		t.Errorf("diff: exit %d, %s%s", code, stdout, stderr)
	}
}
