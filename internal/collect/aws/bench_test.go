package aws_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/aws/awstest"
)

// benchLatency is the fake's latency per call in the benchmarks.
const benchLatency = 50 * time.Millisecond

// benchModes are the retry modes compared, in one run.
var benchModes = []awssdk.RetryMode{awssdk.RetryModeStandard, awssdk.RetryModeAdaptive, aws.RetryModePaced}

// benchRateLimit is the rate limit of every (account, region, service) key
// in BenchmarkCollectThrottled/ratelimit: 10 requests per second after a
// burst of 5, so that the busiest keys (S3 and IAM of the management
// account) take seconds while most keys never meet the limit.
var benchRateLimit = awstest.RateLimit{Rate: 10, Burst: 5}

// BenchmarkCollectThrottled drives the collector, with its production retry
// settings (8 attempts, full-jitter backoff, 32 calls in flight), against
// the fake organization (3 accounts × 2 regions) with 50 ms latency per
// call, in each retry mode: standard, the SDK's adaptive, and paced.
//
// Two kinds of throttling:
//
//   - ratelimit: AWS's own shape, a token bucket per (account, region,
//     service) of 10 req/s after a burst of 5 (benchRateLimit). A client
//     that paces each key right loses no call to it.
//   - random: 20 % of all calls throttled at random
//     (CLOUDWARD_BENCH_THROTTLE sets the fraction). No client can avoid
//     these, so calls = minimum is impossible by construction; kept to
//     compare with earlier figures.
//
// Each iteration first scans the fake with the same latency and nothing
// throttled (the reference), then with throttling. Metrics:
//
//   - wall-ms: the throttled scan's wall time.
//   - bound-ms = max(ref-ms, rate-bound-ms), where ref-ms is the reference
//     scan's wall time: what latency, concurrency and the longest chain of
//     dependent calls allow (it is at least latency × calls ÷ in-flight and
//     at least the longest chain × latency), and rate-bound-ms is the
//     slowest key's (calls − burst) ÷ rate, its calls being those of the
//     reference scan (every answer takes a token, AccessDenied included).
//     Neither can be beaten by any client; wall-ms ÷ bound-ms is the
//     "ratio" metric, the target being ≤ 1.25.
//   - key-bound-ms (ratelimit): a tighter bound, the latest any key can
//     finish: when the reference scan made its first call (the chain of
//     calls it depends on: identity, organization, role, regions, bucket
//     list… at full speed) plus its (calls − burst) ÷ rate; key-ratio is
//     wall-ms ÷ max(ref-ms, key-bound-ms).
//   - calls: requests the throttled scan made, throttled ones included;
//     min-calls: the reference scan's calls (each distinct request once:
//     the distinct successful requests plus the AccessDenied answers of
//     the denied region), so calls − min-calls is what throttling cost.
//   - throttled: throttling answers; blind: those of requests sent before
//     the key's first throttling answer could reach the client (within
//     one latency of the first throttled request: no client that starts
//     unthrottled avoids them), so calls − min-calls − blind is what the
//     client's pacing cost; lost: resources of the reference scan
//     missing from the throttled one; extra-errors: collection errors the
//     reference scan did not have.
func BenchmarkCollectThrottled(b *testing.B) {
	for _, shape := range []string{"ratelimit", "random"} {
		for _, mode := range benchModes {
			b.Run(shape+"/"+string(mode), func(b *testing.B) { benchThrottled(b, shape, mode) })
		}
	}
}

// benchScan runs one scan against srv in mode and returns what it collected,
// its wall time and start.
func benchScan(b *testing.B, srv *awstest.Server, mode awssdk.RetryMode) (*sink, time.Duration, time.Time, *aws.Collector) {
	b.Helper()
	c := aws.New(aws.Options{Org: true, RetryMode: mode, EndpointURL: srv.URL, HTTPClient: srv.HTTPClient(),
		Credentials: awstest.Credentials(mgmt)})
	var got sink
	start := time.Now()
	if err := c.Collect(context.Background(), &got); err != nil {
		b.Fatal(err)
	}
	return &got, time.Since(start), start, c
}

// benchBuckets is how many buckets benchEstate adds to the management
// account, all in us-east-1: ten settings calls each on one key.
const benchBuckets = 5

// benchEstate copies the test estate into a temporary directory and adds
// benchBuckets buckets (with the settings of acme-logs) to the management
// account, so that one key, S3 in us-east-1, is clearly the busiest.
func benchEstate(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if err := os.CopyFS(dir, os.DirFS(fakeDir)); err != nil {
		b.Fatal(err)
	}
	list := filepath.Join(dir, "s3", "ListBuckets."+mgmt+".xml")
	doc, err := os.ReadFile(list)
	if err != nil {
		b.Fatal(err)
	}
	var extra strings.Builder
	for i := range benchBuckets {
		name := fmt.Sprintf("bench-%02d", i)
		fmt.Fprintf(&extra, "<Bucket><Name>%s</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>", name)
		settings, err := filepath.Glob(filepath.Join(fakeDir, "s3", "*.acme-logs.xml"))
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range settings {
			body, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			out := filepath.Join(dir, "s3", strings.Replace(filepath.Base(f), ".acme-logs.", "."+name+".", 1))
			if err := os.WriteFile(out, bytes.ReplaceAll(body, []byte("acme-logs"), []byte(name)), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	doc = bytes.Replace(doc, []byte("</Buckets>"), []byte(extra.String()+"</Buckets>"), 1)
	if err := os.WriteFile(list, doc, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func benchThrottled(b *testing.B, shape string, mode awssdk.RetryMode) {
	deny := map[string]bool{member + "/eu-west-1/*": true}
	estate := benchEstate(b)
	for b.Loop() {
		ref := awstest.New(awstest.Options{Dir: estate, Latency: benchLatency, Deny: deny})
		want, refWall, refStart, _ := benchScan(b, ref, mode)
		ref.Close()
		refKeys := ref.Keys()

		opts := awstest.Options{Dir: estate, Latency: benchLatency, Deny: deny, Seed: 1}
		rateBound, chainBound := time.Duration(0), time.Duration(0)
		if shape == "ratelimit" {
			opts.RateLimits = map[string]awstest.RateLimit{"*/*/*": benchRateLimit}
			for _, st := range refKeys {
				d := time.Duration(float64(st.Calls-benchRateLimit.Burst) / benchRateLimit.Rate * float64(time.Second))
				rateBound = max(rateBound, d)
				chainBound = max(chainBound, st.First.Sub(refStart)+d)
			}
		} else {
			opts.ThrottleRate = benchThrottleRate()
		}
		srv := awstest.New(opts)
		got, wall, _, c := benchScan(b, srv, mode)
		srv.Close()

		bound := max(refWall, rateBound)
		b.ReportMetric(float64(wall.Milliseconds()), "wall-ms")
		b.ReportMetric(float64(bound.Milliseconds()), "bound-ms")
		b.ReportMetric(float64(refWall.Milliseconds()), "ref-ms")
		b.ReportMetric(float64(rateBound.Milliseconds()), "rate-bound-ms")
		b.ReportMetric(wall.Seconds()/bound.Seconds(), "ratio")
		if chainBound > 0 {
			b.ReportMetric(float64(chainBound.Milliseconds()), "key-bound-ms")
			b.ReportMetric(wall.Seconds()/max(refWall, chainBound).Seconds(), "key-ratio")
		}
		b.ReportMetric(float64(srv.Calls()), "calls")
		b.ReportMetric(float64(ref.Calls()), "min-calls")
		b.ReportMetric(float64(srv.Throttled()), "throttled")
		blind := 0
		for _, st := range srv.Keys() {
			blind += st.Blind
		}
		b.ReportMetric(float64(blind), "blind")
		b.ReportMetric(float64(lost(want, got)), "lost")
		b.ReportMetric(float64(len(got.errors)-len(want.errors)), "extra-errors")
		if testing.Verbose() {
			b.Logf("%s/%s: slowest keys %s; paced: %v", shape, mode, slowest(srv.Keys(), 4), c.Pacing())
		}
	}
}

// lost counts the resources of want missing from got.
func lost(want, got *sink) int {
	have := map[string]bool{}
	for _, r := range got.resources {
		have[r.UID] = true
	}
	n := 0
	for _, r := range want.resources {
		if !have[r.UID] {
			n++
		}
	}
	return n
}

// slowest renders the n keys whose calls spanned the longest time.
func slowest(keys map[string]awstest.KeyStats, n int) string {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	span := func(k string) time.Duration { return keys[k].Last.Sub(keys[k].First) }
	sort.Slice(names, func(i, j int) bool { return span(names[i]) > span(names[j]) })
	out := ""
	for i, k := range names {
		if i == n {
			break
		}
		st := keys[k]
		out += fmt.Sprintf("%s %d calls (%d throttled, %d distinct) over %s; ", k, st.Calls, st.Throttled, st.Distinct,
			st.Last.Sub(st.First).Round(time.Millisecond))
	}
	return out
}

// benchThrottleRate is 20%, or CLOUDWARD_BENCH_THROTTLE (a fraction) to
// compare with an unthrottled run.
func benchThrottleRate() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("CLOUDWARD_BENCH_THROTTLE"), 64); err == nil {
		return v
	}
	return 0.2
}
