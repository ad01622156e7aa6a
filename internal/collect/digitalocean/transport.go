package digitalocean

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// tokenTransport adds the bearer token to every API request.
type tokenTransport struct {
	base  http.RoundTripper
	token string
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.base.RoundTrip(r)
}

// retryTransport retries 429 and 5xx answers to bodiless (read) requests,
// waiting as long as Retry-After (or the ratelimit-reset header) says, else
// with exponential backoff, each wait capped at maxWait, for at most
// attempts attempts. When an answer says the hourly budget is spent
// (ratelimit-remaining: 0), later requests wait for ratelimit-reset first.
type retryTransport struct {
	base     http.RoundTripper
	attempts int
	maxWait  time.Duration
	sleep    func(ctx context.Context, d time.Duration) error
	log      *slog.Logger
	now      func() time.Time

	mu         sync.Mutex
	pauseUntil time.Time
}

func (t *retryTransport) clock() time.Time {
	if t.now != nil {
		return t.now()
	}
	return time.Now()
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		t.mu.Lock()
		pause := t.pauseUntil.Sub(t.clock())
		t.mu.Unlock()
		if pause > 0 {
			if pause > t.maxWait {
				pause = t.maxWait
			}
			t.log.Info("digitalocean rate limit budget spent, waiting", "wait", pause)
			if err := t.sleep(ctx, pause); err != nil {
				return nil, err
			}
		}
		resp, err := t.base.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		t.notePause(resp)
		retryable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		if !retryable || attempt >= t.attempts || (req.Body != nil && req.Body != http.NoBody) {
			return resp, nil
		}
		wait := t.waitFor(resp, attempt)
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		_ = resp.Body.Close()
		t.log.Info("digitalocean API retry", "status", resp.StatusCode, "method", req.Method,
			"path", req.URL.Path, "attempt", attempt, "wait", wait)
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// notePause records the reset time when the rate-limit budget is spent.
func (t *retryTransport) notePause(resp *http.Response) {
	if resp.Header.Get("ratelimit-remaining") != "0" {
		return
	}
	reset, err := strconv.ParseInt(resp.Header.Get("ratelimit-reset"), 10, 64)
	if err != nil {
		return
	}
	t.mu.Lock()
	if u := time.Unix(reset, 0); u.After(t.pauseUntil) {
		t.pauseUntil = u
	}
	t.mu.Unlock()
}

// waitFor returns how long to wait before the next attempt.
func (t *retryTransport) waitFor(resp *http.Response, attempt int) time.Duration {
	var wait time.Duration
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if s, err := strconv.Atoi(ra); err == nil && s >= 0 {
			wait = time.Duration(s) * time.Second
		} else if at, err := http.ParseTime(ra); err == nil {
			wait = at.Sub(t.clock())
		}
	} else if reset, err := strconv.ParseInt(resp.Header.Get("ratelimit-reset"), 10, 64); err == nil && resp.StatusCode == http.StatusTooManyRequests {
		wait = time.Unix(reset, 0).Sub(t.clock())
	}
	if wait <= 0 {
		wait = 500 * time.Millisecond << (attempt - 1)
	}
	if wait > t.maxWait {
		wait = t.maxWait
	}
	return wait
}
