package aws_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/aws/awstest"
)

// BenchmarkCollectThrottled drives the collector, with its production
// retry settings, against the fake estate with 50 ms latency per call and
// 20% of calls throttled. It reports wall time against the bound (calls ×
// latency ÷ requests in flight), calls made against the minimum (distinct
// successful requests), and resources lost against an unthrottled scan.
func BenchmarkCollectThrottled(b *testing.B) {
	const latency = 50 * time.Millisecond
	base := awstest.New(awstest.Options{Dir: fakeDir, Deny: map[string]bool{member + "/eu-west-1/*": true}})
	b.Cleanup(base.Close)
	var want sink
	if err := newCollector(base, aws.Options{Org: true}).Collect(context.Background(), &want); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []awssdk.RetryMode{awssdk.RetryModeAdaptive, awssdk.RetryModeStandard} {
		b.Run(string(mode), func(b *testing.B) { benchThrottled(b, mode, len(want.resources), len(want.errors)) })
	}
}

func benchThrottled(b *testing.B, mode awssdk.RetryMode, wantResources, wantErrors int) {
	const latency = 50 * time.Millisecond
	for b.Loop() {
		srv := awstest.New(awstest.Options{
			Dir: fakeDir, Latency: latency, ThrottleRate: benchThrottleRate(), Seed: 1,
			Deny: map[string]bool{member + "/eu-west-1/*": true},
		})
		opts := aws.Options{Org: true, RetryMode: mode, EndpointURL: srv.URL, HTTPClient: srv.HTTPClient(), Credentials: awstest.Credentials(mgmt)}
		c := aws.New(opts)
		var got sink
		start := time.Now()
		if err := c.Collect(context.Background(), &got); err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start)
		srv.Close()
		calls := srv.Calls()
		inFlight := 32 // the default Options.MaxInFlight
		bound := time.Duration(calls) * latency / time.Duration(inFlight)
		b.ReportMetric(float64(wall.Milliseconds()), "wall-ms")
		b.ReportMetric(float64(bound.Milliseconds()), "bound-ms")
		b.ReportMetric(float64(calls), "calls")
		b.ReportMetric(float64(srv.Distinct()), "min-calls")
		b.ReportMetric(float64(srv.Throttled()), "throttled")
		b.ReportMetric(float64(wantResources-len(got.resources)), "lost")
		b.ReportMetric(float64(len(got.errors)-wantErrors), "extra-errors")
	}
}

// benchThrottleRate is 20%, or CLOUDWARD_BENCH_THROTTLE (a fraction) to
// compare with an unthrottled run.
func benchThrottleRate() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("CLOUDWARD_BENCH_THROTTLE"), 64); err == nil {
		return v
	}
	return 0.2
}
