package aws_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"cloudward/internal/collect"
	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/aws/awstest"
)

// pacedScan scans the test estate (no ThrottleFirst) with latency and
// limits, in mode, and returns the fake, what was collected, the collector
// and when the scan started.
func pacedScan(t *testing.T, mode awssdk.RetryMode, latency time.Duration, limits map[string]awstest.RateLimit, opts aws.Options) (*awstest.Server, *sink, *aws.Collector, time.Time) {
	t.Helper()
	srv := awstest.New(awstest.Options{Dir: fakeDir, Latency: latency, RateLimits: limits,
		Deny: map[string]bool{member + "/eu-west-1/*": true}, ThrottleFirst: map[string]int{}})
	t.Cleanup(srv.Close)
	opts.Org, opts.RetryMode = true, mode
	c := newCollector(srv, opts)
	var s sink
	start := time.Now()
	if err := c.Collect(context.Background(), &s); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return srv, &s, c, start
}

func uids(s *sink) []string {
	var out []string
	for _, r := range s.resources {
		out = append(out, r.UID)
	}
	slices.Sort(out)
	return out
}

// diff returns what got has and want lacks, and the converse.
func diff(got, want []string) (extra, missing []string) {
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	return extra, missing
}

func errorSet(s *sink) []string {
	var out []string
	for _, e := range s.errors {
		out = append(out, e.Error())
	}
	slices.Sort(out)
	return out
}

// TestPacingSlowsOnlyTheThrottledKey rate-limits EC2 in us-east-1 of the
// member account only: that key is paced, nothing is lost, no other key is
// throttled or paced, and the other accounts finish as fast as without the
// limit, long before the limited key.
func TestPacingSlowsOnlyTheThrottledKey(t *testing.T) {
	const latency = 20 * time.Millisecond
	ref, want, _, refStart := pacedScan(t, aws.RetryModePaced, latency, nil, aws.Options{})
	refWall := time.Since(refStart)
	limited := member + "/us-east-1/ec2"
	limit := awstest.RateLimit{Rate: 4, Burst: 2}
	srv, got, c, start := pacedScan(t, aws.RetryModePaced, latency, map[string]awstest.RateLimit{limited: limit}, aws.Options{})

	if extra, missing := diff(uids(got), uids(want)); len(extra)+len(missing) > 0 {
		t.Errorf("resources differ from the unthrottled scan: extra %v, missing %v", extra, missing)
	}
	if extra, missing := diff(errorSet(got), errorSet(want)); len(extra)+len(missing) > 0 {
		t.Errorf("collection errors differ from the unthrottled scan: extra %v, missing %v", extra, missing)
	}
	keys := srv.Keys()
	lk := keys[limited]
	needed := ref.Keys()[limited].Calls
	if minWall := time.Duration(float64(needed-limit.Burst) / limit.Rate * float64(time.Second)); lk.Last.Sub(start) < minWall*9/10 {
		t.Fatalf("limited key done after %v with %d calls: the limit (bound %v) did not bind; test estate changed?", lk.Last.Sub(start), needed, minWall)
	}
	// Pacing: once throttled, the key's calls wait in the client instead
	// of being refused. The throttles left are the blind ones (the calls
	// the job sent at once, before any answer: about 8, of which the
	// bucket admits 2) and a few while the pace is found, starting from
	// one call per round trip (50/s here; 3 to 9 measured on a loaded
	// machine).
	t.Logf("limited key: %d calls needed, %d throttled answers, %d blind", needed, lk.Throttled, lk.Blind)
	if lk.Blind == 0 || lk.Throttled-lk.Blind >= needed {
		t.Errorf("limited key: %d throttled answers, %d of them blind, for %d calls needed: want some blind and fewer others than calls",
			lk.Throttled, lk.Blind, needed)
	}
	var otherLast time.Time
	for k, st := range keys {
		if k == limited {
			continue
		}
		if st.Throttled != 0 {
			t.Errorf("key %s throttled %d times: only %s is limited", k, st.Throttled, limited)
		}
		if !strings.HasPrefix(k, member+"/") && st.Last.After(otherLast) {
			otherLast = st.Last
		}
	}
	// The other accounts run at full speed: they finish within the time of
	// the whole unthrottled scan (plus scheduling slack on a busy machine),
	// well before the limited key.
	if d := otherLast.Sub(start); d > refWall*2+500*time.Millisecond || !otherLast.Before(lk.Last) {
		t.Errorf("other accounts done after %v (unthrottled scan: %v), limited key after %v: the limit slowed them down",
			d, refWall, lk.Last.Sub(start))
	}
	paced := c.Pacing()
	if len(paced) != 1 || paced[0].Account != member || paced[0].Region != "us-east-1" || paced[0].Service != "EC2" {
		t.Errorf("paced keys %v, want only %s/us-east-1/EC2", paced, member)
	}
}

// TestPacingKeepsTheRetryBudget: a call still throttled after MaxAttempts
// (each retry waiting for the key's pace) is a throttled collection error
// of its scope, as in the standard mode, and the rest is collected.
func TestPacingKeepsTheRetryBudget(t *testing.T) {
	_, want, _, _ := pacedScan(t, aws.RetryModePaced, 0, nil, aws.Options{})
	srv := awstest.New(awstest.Options{Dir: fakeDir, Deny: map[string]bool{member + "/eu-west-1/*": true},
		ThrottleFirst: map[string]int{"lambda:ListFunctions": 1000}})
	t.Cleanup(srv.Close)
	c := newCollector(srv, aws.Options{Org: true, RetryMode: aws.RetryModePaced, MaxAttempts: 3})
	var got sink
	if err := c.Collect(context.Background(), &got); err != nil {
		t.Fatal(err)
	}
	throttled := map[string]bool{}
	for _, e := range got.errors {
		if e.Kind == collect.Throttled {
			if e.Op != "lambda:ListFunctions" {
				t.Errorf("unexpected throttled error %v", e)
			}
			throttled[e.Account+"/"+e.Region] = true
		}
	}
	// Lambda is listed in every scanned region but the denied one.
	for _, k := range []string{mgmt + "/us-east-1", mgmt + "/eu-west-1", member + "/us-east-1", empty + "/us-east-1", empty + "/eu-west-1"} {
		if !throttled[k] {
			t.Errorf("no throttled lambda:ListFunctions error for %s (got %v)", k, throttled)
		}
	}
	for _, st := range srv.Keys() {
		if st.Throttled > 0 && st.Throttled != 3 {
			t.Errorf("a throttled key got %d attempts, want MaxAttempts = 3: %+v", st.Throttled, st)
		}
	}
	have := map[string]bool{}
	for _, u := range uids(&got) {
		have[u] = true
	}
	for _, u := range uids(want) {
		if !have[u] && !strings.Contains(u, ":lambda:") {
			t.Errorf("%s lost: only Lambda functions may be missing", u)
		}
	}
}

// TestPacingUnthrottledIsFree: with nothing throttled, no key is paced and
// the paced mode makes exactly the calls of the standard mode.
func TestPacingUnthrottledIsFree(t *testing.T) {
	std, stdGot, _, _ := pacedScan(t, awssdk.RetryModeStandard, 0, nil, aws.Options{})
	paced, pacedGot, c, _ := pacedScan(t, aws.RetryModePaced, 0, nil, aws.Options{})
	if p := c.Pacing(); len(p) != 0 {
		t.Errorf("paced keys %v without any throttling", p)
	}
	if std.Calls() != paced.Calls() {
		t.Errorf("paced mode made %d calls, standard %d", paced.Calls(), std.Calls())
	}
	if !slices.Equal(uids(stdGot), uids(pacedGot)) {
		t.Error("paced and standard modes collected different resources")
	}
}
