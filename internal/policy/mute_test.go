package policy

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudward/internal/config"
	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// TestMuteRules runs a mutes file with matching, expiring, expired and
// stale rules through the engine and checks every finding's status and the
// per-rule results.
func TestMuteRules(t *testing.T) {
	c := checkByID(t, testChecks(t), "aws-test-bucket-versioning")
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	mutes, err := config.ParseMutes("mutes.yaml", []byte(`
- check: "aws-test-*-versioning"     # glob over IDs and aliases
  resource: "arn:aws:s3:::legacy-*"
  reason: legacy buckets, migration planned
  owner: storage-team
  ticket: https://tickets.example.com/SEC-1
  expires: 2026-11-01               # last day: still active at 09:00
- check: aws-test-old-versioning    # by alias
  tags: {environment: sandbox}
  region: "us-*"
  reason: sandboxes are disposable
  owner: platform
- check: "*"
  resource: "arn:aws:s3:::expired-*"
  reason: was accepted until October
  owner: security
  expires: 2026-10-31
- check: aws-test-bucket-versioning
  account: "999999999999"
  reason: account closed
  owner: finance
- check: aws-test-bucket-versioning
  resource: "arn:aws:s3:::passing"
  reason: mutes only FAIL, so this never matches
  owner: security
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateMutes([]*Check{c}, mutes); err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine([]*Check{c}, EngineOptions{Now: now, Mutes: mutes})
	if err != nil {
		t.Fatal(err)
	}
	failing := `{"versioning":{"status":"Suspended"}}`
	tests := []struct {
		r      resource.Resource
		status finding.Status
		reason string
	}{
		{bucket("arn:aws:s3:::legacy-1", failing, nil), finding.Muted, "legacy buckets"},
		{bucket("arn:aws:s3:::legacy-2", failing, map[string]string{"environment": "sandbox"}), finding.Muted, "legacy buckets"}, // first rule wins
		{bucket("arn:aws:s3:::sandbox-1", failing, map[string]string{"environment": "sandbox"}), finding.Muted, "sandboxes"},
		{bucket("arn:aws:s3:::prod-1", failing, map[string]string{"environment": "prod"}), finding.Fail, ""},
		{bucket("arn:aws:s3:::expired-1", failing, nil), finding.Fail, ""},
		{bucket("arn:aws:s3:::passing", `{"versioning":{"status":"Enabled"}}`, nil), finding.Pass, ""},
		{bucket("arn:aws:s3:::legacy-3", `{}`, nil), finding.Error, "no such key"}, // ERROR is never muted
	}
	for _, tt := range tests {
		t.Run(tt.r.UID, func(t *testing.T) {
			fs, _, err := eng.EvaluateResource(t.Context(), tt.r, nil)
			if err != nil || len(fs) != 1 {
				t.Fatalf("got %v, %v", fs, err)
			}
			if fs[0].Status != tt.status || !strings.Contains(fs[0].Reason, tt.reason) {
				t.Errorf("got %s %q, want %s %q", fs[0].Status, fs[0].Reason, tt.status, tt.reason)
			}
		})
	}
	got := eng.MuteResults()
	want := []struct {
		muted          int64
		expired, stale bool
	}{{2, false, false}, {1, false, false}, {0, true, false}, {0, false, true}, {0, false, true}}
	if len(got) != len(want) {
		t.Fatalf("%d results", len(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Muted != w.muted || g.Expired != w.expired || g.Stale() != w.stale || g.Mute != &mutes[i] {
			t.Errorf("rule %d (%s): muted %d expired %v stale %v, want %+v", i, g.Mute.Where(), g.Muted, g.Expired, g.Stale(), w)
		}
	}
	// The next day the first rule has expired too.
	next, err := NewEngine([]*Check{c}, EngineOptions{Now: now.AddDate(0, 0, 1), Mutes: mutes})
	if err != nil {
		t.Fatal(err)
	}
	fs, _, _ := next.EvaluateResource(t.Context(), bucket("arn:aws:s3:::legacy-1", failing, nil), nil)
	if fs[0].Status != finding.Fail || !next.MuteResults()[0].Expired {
		t.Errorf("expired rule still mutes: %+v", fs[0])
	}
}

// TestMuteCountsConcurrent checks hit counts under parallel evaluation.
func TestMuteCountsConcurrent(t *testing.T) {
	c := checkByID(t, testChecks(t), "aws-test-bucket-versioning")
	mutes := []config.Mute{{Resource: "arn:aws:s3:::m-*", Reason: "r", Owner: "o"}}
	eng, err := NewEngine([]*Check{c}, EngineOptions{Mutes: mutes, Workers: 4, BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	var rs []resource.Resource
	for i := range 100 {
		rs = append(rs, bucket("arn:aws:s3:::m-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+time.Duration(i).String(), `{"versioning":{"status":"Off"}}`, nil))
	}
	var mu sync.Mutex
	muted := 0
	if _, err := eng.Evaluate(t.Context(), seq(rs...), nil, func(fs []finding.Finding) error {
		mu.Lock()
		defer mu.Unlock()
		for _, f := range fs {
			if f.Status == finding.Muted {
				muted++
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if muted != 100 || eng.MuteResults()[0].Muted != 100 {
		t.Errorf("muted %d, rule counted %d", muted, eng.MuteResults()[0].Muted)
	}
}

func TestValidateMutePatterns(t *testing.T) {
	cs := testChecks(t)
	err := ValidateMutes(cs, []config.Mute{
		{Check: "aws-test-*"}, {Check: ""}, {Resource: "x"},
		{Check: "gcp-nothing-*", File: "m.yaml", Line: 4},
	})
	if err == nil || err.Error() != `m.yaml:4: mute names a check pattern that matches no check: "gcp-nothing-*"` {
		t.Fatalf("ValidateMutes: %v", err)
	}
}

// BenchmarkEvaluateWithMutes measures a failing evaluation with no rules
// and with 200 rules on its check that all miss on the resource.
func BenchmarkEvaluateWithMutes(b *testing.B) {
	c := checkByIDB(b, testChecks(b), "aws-test-bucket-versioning")
	var mutes []config.Mute
	for i := range 200 {
		mutes = append(mutes, config.Mute{Check: "aws-test-bucket-versioning", Resource: "arn:aws:s3:::team-" + string(rune('a'+i%26)) + "-*", Tags: map[string]string{"n": time.Duration(i).String()}, Reason: "r", Owner: "o"})
	}
	r := bucket("arn:aws:s3:::team-q-logs", `{"versioning":{"status":"Off"}}`, map[string]string{"n": "x"})
	for _, n := range []int{0, 200} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			eng, err := NewEngine([]*Check{c}, EngineOptions{Mutes: mutes[:n]})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, _, err := eng.EvaluateResource(b.Context(), r, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
