package azure

import (
	"testing"
	"time"

	"cloudward/internal/collect"
)

func TestParseResetsAfter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"00:00:03", 3 * time.Second, true},
		{"00:00:04.5", 4500 * time.Millisecond, true},
		{"01:02:03", time.Hour + 2*time.Minute + 3*time.Second, true},
		{" 00:00:01 ", time.Second, true},
		{"", 0, false},
		{"3", 0, false},
		{"00:61:00", 0, false},
		{"00:00:-1", 0, false},
		{"a:b:c", 0, false},
	} {
		got, ok := parseResetsAfter(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseResetsAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestResourceGraphQuotaPaced: with Resource Graph allowing 3 queries per
// window and no retries, planning and running resource jobs (two queries
// each in the fake) waits for the window to reset whenever an answer says
// the quota is spent, instead of being throttled.
func TestResourceGraphQuotaPaced(t *testing.T) {
	srv := newFake(t)
	const window = 400 * time.Millisecond
	srv.ResourceGraphQuota(3, window)
	c := newCollector(t, srv, func(o *Options) { o.MaxRetries = -1 })
	var s memSink
	start := time.Now()
	jobs, err := c.Plan(t.Context(), &s)
	if err != nil {
		t.Fatal(err)
	}
	var run []collect.Job
	for _, j := range jobs {
		if j.Account == prodSub && (j.Service == "storage" || j.Service == "keyvault" || j.Service == "network") {
			run = append(run, j)
		}
	}
	for _, j := range run {
		if err := c.RunJob(t.Context(), j, &s); err != nil {
			t.Fatalf("RunJob %s: %v", j, err)
		}
	}
	// 2 + 3×2 = 8 queries at 3 a window: at least two waits.
	if el := time.Since(start); el < 2*window-50*time.Millisecond {
		t.Errorf("8 queries took %v: the quota windows (%v) were not waited for", el, window)
	}
	if len(s.errs) != 0 {
		t.Errorf("collection errors %v: queries were throttled", s.errs)
	}
	if len(s.res) == 0 {
		t.Error("no resource collected")
	}
}
