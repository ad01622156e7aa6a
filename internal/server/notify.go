package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/store"
)

// Notification is what notifiers receive after a scan that found new
// failing findings at or above the configured severity.
type Notification struct {
	SnapshotID  int64     `json:"snapshot_id"`
	Scope       string    `json:"scope"`
	ScannedAt   time.Time `json:"scanned_at"`
	MinSeverity string    `json:"min_severity"`
	// Total is the number of new failing findings; Findings holds at most
	// MaxNotified of them, most severe first.
	Total    int               `json:"total"`
	Findings []NotifiedFinding `json:"findings"`
}

// NotifiedFinding is one new failing finding in a Notification.
type NotifiedFinding struct {
	CheckID      string `json:"check_id"`
	Title        string `json:"title"`
	Severity     string `json:"severity"`
	ResourceUID  string `json:"resource_uid"`
	ResourceName string `json:"resource_name"`
	Kind         string `json:"kind"`
	Provider     string `json:"provider"`
	Account      string `json:"account"`
	Region       string `json:"region"`
}

// MaxNotified caps the findings listed in one notification.
const MaxNotified = 100

// Notifier delivers a notification somewhere.
type Notifier interface {
	// Name identifies the target in logs and metrics ("webhook", "slack").
	Name() string
	Notify(ctx context.Context, n Notification) error
}

// notify tells every notifier about the snapshot's new failing findings.
func (s *Server) notify(ctx context.Context, d *snapData) {
	if len(s.opts.Notifiers) == 0 {
		return
	}
	n := Notification{SnapshotID: d.Snapshot.ID, Scope: d.Snapshot.Scope, ScannedAt: d.Snapshot.StartedAt, MinSeverity: s.opts.NotifyMin.String()}
	f := store.FindingFilter{Statuses: []finding.Status{finding.Fail}, MinSeverity: s.opts.NotifyMin}
	for fd, err := range s.opts.Store.Findings(ctx, d.Snapshot.ID, f) {
		if err != nil {
			s.log.Error("read new findings", "snapshot", d.Snapshot.ID, "err", err)
			return
		}
		if !fd.FirstSeen.Equal(d.Snapshot.StartedAt) {
			continue
		}
		n.Total++
		if len(n.Findings) < MaxNotified {
			n.Findings = append(n.Findings, NotifiedFinding{
				CheckID: fd.CheckID, Title: s.checks[fd.CheckID].Title, Severity: fd.Severity.String(),
				ResourceUID: fd.ResourceUID, ResourceName: fd.ResourceName, Kind: fd.Kind,
				Provider: fd.Provider, Account: fd.Account, Region: fd.Region,
			})
		}
	}
	if n.Total == 0 {
		return
	}
	for _, nt := range s.opts.Notifiers {
		if err := nt.Notify(ctx, n); err != nil {
			s.metrics.notifications.WithLabelValues(nt.Name(), "failed").Inc()
			s.log.Warn("notification failed", "target", nt.Name(), "err", err)
			continue
		}
		s.metrics.notifications.WithLabelValues(nt.Name(), "ok").Inc()
	}
}

// Retry is how deliveries are retried: Attempts tries in all, waiting
// Backoff, then twice as long each time.
type Retry struct {
	Attempts int
	Backoff  time.Duration
}

// DefaultRetry tries 5 times over about 15 seconds.
var DefaultRetry = Retry{Attempts: 5, Backoff: time.Second}

// post sends body to url with headers, retrying network errors, 429 and
// 5xx answers with exponential backoff. The URL is never put in errors: a
// Slack webhook URL is a secret.
func post(ctx context.Context, client *http.Client, url string, body []byte, headers map[string]string, r Retry) error {
	if r.Attempts <= 0 {
		r.Attempts = 1
	}
	wait := r.Backoff
	var last error
	for attempt := 1; attempt <= r.Attempts; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("post notification: bad target URL")
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "cloudward")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return nil
			}
			last = fmt.Errorf("answered %s", resp.Status)
			if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
				return fmt.Errorf("post notification: %w", last)
			}
		} else {
			last = fmt.Errorf("request failed: %s", redactURL(err.Error(), url))
		}
		if attempt == r.Attempts {
			break
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return fmt.Errorf("post notification: %w (after %v)", ctx.Err(), last)
		}
		wait *= 2
	}
	return fmt.Errorf("post notification: %d attempts: %w", r.Attempts, last)
}

func redactURL(msg, url string) string { return strings.ReplaceAll(msg, url, "<target>") }

// Webhook posts the notification as JSON, signed with HMAC-SHA256.
//
// Headers: X-Cloudward-Timestamp is the Unix time of sending and
// X-Cloudward-Signature is "sha256=" + hex(HMAC-SHA256(secret, timestamp +
// "." + body)). Receivers recompute it, compare in constant time and reject
// old timestamps.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client
	Retry  Retry
	Now    func() time.Time
}

// Name implements Notifier.
func (w *Webhook) Name() string { return "webhook" }

// Notify implements Notifier.
func (w *Webhook) Notify(ctx context.Context, n Notification) error {
	body, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	return post(ctx, client(w.Client), w.URL, body, map[string]string{
		"X-Cloudward-Timestamp": ts,
		"X-Cloudward-Signature": Sign(w.Secret, ts, body),
	}, w.Retry)
}

// Sign returns the webhook signature of body sent at timestamp ts.
func Sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a webhook signature in constant time.
func VerifySignature(secret []byte, ts string, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(sig))
}

// Slack posts a summary to a Slack incoming webhook.
type Slack struct {
	URL    string
	Client *http.Client
	Retry  Retry
}

// Name implements Notifier.
func (s *Slack) Name() string { return "slack" }

// Notify implements Notifier.
func (s *Slack) Notify(ctx context.Context, n Notification) error {
	var b strings.Builder
	fmt.Fprintf(&b, "*cloudward*: %d new failing finding(s) at or above %s in %s (snapshot %d)\n", n.Total, n.MinSeverity, n.Scope, n.SnapshotID)
	for i, f := range n.Findings {
		if i == 10 {
			fmt.Fprintf(&b, "… and %d more\n", n.Total-10)
			break
		}
		fmt.Fprintf(&b, "• [%s] %s — %s (%s %s)\n", f.Severity, slackEscape(f.Title), slackEscape(f.ResourceName), f.Provider, slackEscape(f.Account))
	}
	body, err := json.Marshal(map[string]string{"text": b.String()})
	if err != nil {
		return fmt.Errorf("slack: %w", err)
	}
	return post(ctx, client(s.Client), s.URL, body, nil, s.Retry)
}

// slackEscape escapes the characters Slack's mrkdwn treats as control.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func client(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: 15 * time.Second}
}
