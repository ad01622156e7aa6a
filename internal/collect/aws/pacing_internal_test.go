package aws

import (
	"context"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/aws/smithy-go"
)

var errThrottled = &smithy.GenericAPIError{Code: "Throttling", Message: "Rate exceeded"}

// TestPaceEstimate feeds a key the answers of a token bucket of 10 req/s
// and checks the rate estimated between throttles.
func TestPaceEstimate(t *testing.T) {
	t0 := time.Now().Add(-10 * time.Second)
	tests := []struct {
		name  string
		marks []time.Duration // throttles, after t0
		ok    []time.Duration // successes, after t0
		at    time.Duration   // the throttle being estimated
		want  float64
		found bool
	}{
		{
			name:  "two seconds at 10/s",
			marks: []time.Duration{0},
			ok:    every(100*time.Millisecond, 20),
			at:    2 * time.Second, want: 10.25, found: true,
		},
		{
			// The key was idle for the first second: the window since the
			// second throttle is the one that measures AWS's rate.
			name:  "largest of the long windows",
			marks: []time.Duration{0, time.Second},
			ok:    shift(time.Second, every(100*time.Millisecond, 12)),
			at:    2200 * time.Millisecond, want: 12.5 / 1.2, found: true,
		},
		{
			name:  "too short",
			marks: []time.Duration{0},
			ok:    every(50*time.Millisecond, 3),
			at:    200 * time.Millisecond, found: false,
		},
		{
			name:  "too few successes",
			marks: []time.Duration{0},
			ok:    []time.Duration{300 * time.Millisecond},
			at:    time.Second, found: false,
		},
		{
			// Only windows shorter than a second: the longest wins.
			name:  "short windows",
			marks: []time.Duration{0, 200 * time.Millisecond},
			ok:    every(100*time.Millisecond, 5),
			at:    500 * time.Millisecond, want: 5.5 / 0.5, found: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kp := &pace{}
			for _, m := range tt.marks {
				kp.marks = append(kp.marks, t0.Add(m))
			}
			for _, o := range tt.ok {
				kp.ok = append(kp.ok, t0.Add(o))
			}
			got, found := kp.estimate(t0.Add(tt.at))
			if found != tt.found || (found && math.Abs(got-tt.want) > 0.01) {
				t.Errorf("estimate = %.3f, %v; want %.3f, %v", got, found, tt.want, tt.found)
			}
		})
	}
}

func every(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d * time.Duration(i+1)
	}
	return out
}

func shift(by time.Duration, ds []time.Duration) []time.Duration {
	for i := range ds {
		ds[i] += by
	}
	return ds
}

// TestPaceEpisodes: a key is free until throttled; a throttle paces it;
// throttles of calls sent before the cut are the same episode; a later
// throttle cuts again; other keys are untouched.
func TestPaceEpisodes(t *testing.T) {
	p := newPacer(slog.New(slog.DiscardHandler))
	k := p.get(paceKey{"1", "us-east-1", "EC2"})
	other := p.get(paceKey{"2", "us-east-1", "EC2"})
	ctx := context.Background()

	var sent []time.Time
	for range 20 {
		s, err := k.wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, s)
	}
	if k.paced {
		t.Fatal("paced before any throttle")
	}
	k.done(sent[0], nil)
	k.done(sent[1], errThrottled)
	if !k.paced || k.episodes != 1 {
		t.Fatalf("after a throttle: paced %v, episodes %d; want paced, 1", k.paced, k.episodes)
	}
	first := k.rate
	if first < 20 {
		t.Errorf("first pace %.1f/s, want at least the 20 calls sent in the last second", first)
	}
	// The rest of the burst was sent before the cut: same episode.
	for _, s := range sent[2:] {
		k.done(s, errThrottled)
	}
	if k.episodes != 1 || k.rate != first {
		t.Errorf("throttles of calls sent before the cut changed the pace: episodes %d, rate %.1f (was %.1f)", k.episodes, k.rate, first)
	}
	// A call sent at the new pace and throttled cuts again.
	s, err := k.wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	k.done(s, errThrottled)
	if k.episodes != 2 || k.rate >= first {
		t.Errorf("second episode: episodes %d, rate %.1f, want 2 and below %.1f", k.episodes, k.rate, first)
	}
	// Paced calls wait for their slot.
	start := time.Now()
	for range 3 {
		if _, err := k.wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if min := time.Duration(float64(2*time.Second) / k.rate); time.Since(start) < min*9/10 {
		t.Errorf("3 paced calls at %.1f/s took %v, want at least %v", k.rate, time.Since(start), min)
	}
	if other.paced || len(p.stats()) != 1 {
		t.Errorf("another key was paced: %v", p.stats())
	}
	// A canceled wait returns the context's error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := k.wait(cctx); err == nil {
		t.Error("wait with a canceled context succeeded")
	}
}
