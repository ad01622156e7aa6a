package gcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/googleapi"

	"cloudward/internal/resource"
)

// readOnly reports whether a request only reads: a GET or HEAD, or one of
// the POST methods Google defines as reads (getIamPolicy on Resource
// Manager, Cloud Asset searches).
func readOnly(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodPost:
		p := r.URL.Path
		return strings.HasSuffix(p, ":getIamPolicy") || strings.HasSuffix(p, ":searchAllResources") ||
			strings.HasSuffix(p, ":searchAllIamPolicies")
	}
	return false
}

// ErrWrite is returned, wrapped, for any request that is not a read; the
// collector's own code never makes one, and the guard makes sure of it.
var ErrWrite = errors.New("gcp: the collector only reads")

// guard is the collector's HTTP transport: it refuses anything but reads
// and retries throttled (429), unavailable (5xx) and failed transports with
// full-jitter exponential back-off, honouring Retry-After. Every call the
// collector makes is a read, so each is safe to repeat.
type guard struct {
	base       http.RoundTripper
	maxRetries int
	delay      time.Duration
	maxDelay   time.Duration
	log        *slog.Logger
	// sleep waits d or until ctx ends; nil means a timer.
	sleep func(ctx context.Context, d time.Duration) error
}

// RoundTrip implements http.RoundTripper.
func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if !readOnly(req) {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%w: refused %s %s", ErrWrite, req.Method, req.URL.Path)
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("gcp retry %s: %w", req.URL.Path, err)
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		resp, err := g.base.RoundTrip(r)
		retry := err != nil && ctx.Err() == nil
		if err == nil {
			retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusBadGateway ||
				resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout ||
				resp.StatusCode == http.StatusInternalServerError
		}
		if !retry || attempt >= g.maxRetries || (req.Body != nil && req.GetBody == nil) {
			return resp, err
		}
		wait := g.backoff(attempt)
		if resp != nil {
			if s := resp.Header.Get("Retry-After"); s != "" {
				if n, perr := strconv.Atoi(s); perr == nil && n >= 0 {
					wait = time.Duration(n) * time.Second
				}
			}
			if wait > g.maxDelay {
				return resp, nil
			}
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			g.log.Debug("gcp: retrying", "path", req.URL.Path, "status", resp.StatusCode, "attempt", attempt+1, "wait", wait)
		}
		if err := g.wait(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// backoff is a full-jitter exponential delay for the given attempt.
func (g *guard) backoff(attempt int) time.Duration {
	d := g.delay << attempt
	if d <= 0 || d > g.maxDelay {
		d = g.maxDelay
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

func (g *guard) wait(ctx context.Context, d time.Duration) error {
	if g.sleep != nil {
		return g.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// classify maps an API error to a collection error kind and a message that
// holds no credentials: 403 with SERVICE_DISABLED or accessNotConfigured
// is a disabled API, other 401/403 a denial, 429 throttling left after the
// retries.
func classify(err error) (resource.ErrorKind, string) {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return resource.OtherError, err.Error()
	}
	msg := ge.Message
	if msg == "" {
		msg = http.StatusText(ge.Code)
	}
	msg = fmt.Sprintf("%d: %s", ge.Code, msg)
	switch ge.Code {
	case http.StatusForbidden:
		if serviceDisabled(ge) {
			return resource.NotEnabled, msg
		}
		return resource.Denied, msg
	case http.StatusUnauthorized:
		return resource.Denied, msg
	case http.StatusTooManyRequests:
		return resource.Throttled, msg
	}
	return resource.OtherError, msg
}

// serviceDisabled reports whether a 403 says the API is not enabled in the
// project.
func serviceDisabled(ge *googleapi.Error) bool {
	for _, e := range ge.Errors {
		if e.Reason == "accessNotConfigured" || e.Reason == "SERVICE_DISABLED" {
			return true
		}
	}
	for _, d := range ge.Details {
		if m, ok := d.(map[string]any); ok && m["reason"] == "SERVICE_DISABLED" {
			return true
		}
	}
	return strings.Contains(ge.Message, "SERVICE_DISABLED") || strings.Contains(ge.Message, "has not been used in project")
}
