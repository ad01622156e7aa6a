package azure

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Resource Graph reports an identity's query quota on every answer: how
// many queries are left in the current window and when the window resets.
const (
	headerQuotaRemaining   = "x-ms-user-quota-remaining"
	headerQuotaResetsAfter = "x-ms-user-quota-resets-after"
)

// maxQuotaWait caps one wait for Resource Graph's quota window (its windows
// are seconds long; a larger value is not trusted).
const maxQuotaWait = time.Minute

// graphQuota paces this process's Resource Graph queries: once an answer
// says the quota is spent, the next queries wait until its window resets
// instead of being throttled (a distributed scan makes one query per
// resource job, and Resource Graph allows an identity about 15 per 5
// seconds). Throttled queries are still retried by the client's policy.
type graphQuota struct {
	mu    sync.Mutex
	until time.Time
	now   func() time.Time
}

// wait blocks until the quota window observed last has reset, or ctx ends.
func (q *graphQuota) wait(ctx context.Context) error {
	q.mu.Lock()
	d := q.until.Sub(q.now())
	q.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// observe reads the quota headers of a Resource Graph answer (nil when the
// call got no answer).
func (q *graphQuota) observe(resp *http.Response) {
	if resp == nil {
		return
	}
	remaining, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get(headerQuotaRemaining)))
	if err != nil || remaining > 0 {
		return
	}
	d, ok := parseResetsAfter(resp.Header.Get(headerQuotaResetsAfter))
	if !ok {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if until := q.now().Add(min(d, maxQuotaWait)); until.After(q.until) {
		q.until = until
	}
}

// parseResetsAfter reads an hh:mm:ss duration (fractional seconds allowed).
func parseResetsAfter(s string) (time.Duration, bool) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) != 3 {
		return 0, false
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || h < 0 || m < 0 || m > 59 || sec < 0 || sec >= 60 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec*float64(time.Second)), true
}
