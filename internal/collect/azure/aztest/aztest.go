// Package aztest is a fake Azure endpoint for tests: Azure Resource Manager,
// Resource Graph and Microsoft Graph answered from JSON files, so the real
// azure-sdk-for-go clients can be driven without a cloud. It records every
// request so tests can prove the collector only reads.
package aztest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Token is the bearer token the fake accepts.
const Token = "aztest-bearer-token"

// GraphPrefix is the path under which the server answers Microsoft Graph:
// point the collector's Graph endpoint at URL+GraphPrefix.
const GraphPrefix = "/graph"

// Credential is an azcore.TokenCredential that hands out Token.
type Credential struct{}

// GetToken implements azcore.TokenCredential.
func (Credential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: Token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
}

type override struct {
	prefix     string
	status     int
	code, msg  string
	times      int // 0: always
	retryAfter string
}

// Server answers from the files under a root directory: a request for
// /a/B/c is answered with root/a/B/c.json, matched without regard to case
// as ARM does, with {{server}} replaced by the server's URL (for nextLink). Resource Graph queries (POST
// /providers/Microsoft.ResourceGraph/resources) are answered from
// providers/Microsoft.ResourceGraph/resources.json, or resources.TOKEN.json
// for $skipToken TOKEN, keeping only the rows of the requested
// subscriptions.
type Server struct {
	*httptest.Server
	files     map[string]string
	mu        sync.Mutex
	requests  []Request
	overrides []*override
	quota     *quota
}

// quota is Resource Graph's per-identity query quota.
type quota struct {
	n      int
	window time.Duration
	start  time.Time
	used   int
}

// New starts a server over root; it stops when the test ends.
func New(t testing.TB, root string) *Server {
	t.Helper()
	s := &Server{files: map[string]string{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		s.files[strings.ToLower("/"+filepath.ToSlash(strings.TrimSuffix(rel, ".json")))] = p
		return nil
	})
	if err != nil {
		t.Fatalf("aztest: read %s: %v", root, err)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Fail makes every request whose path starts with prefix fail with status
// and an ARM error body {code, message}.
func (s *Server) Fail(prefix string, status int, code, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.overrides = append(s.overrides, &override{prefix: strings.ToLower(prefix), status: status, code: code, msg: message})
}

// Throttle answers the next times requests under prefix with 429 and the
// given Retry-After header, then serves normally.
func (s *Server) Throttle(prefix string, times int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.overrides = append(s.overrides, &override{prefix: strings.ToLower(prefix), status: http.StatusTooManyRequests,
		code: "TooManyRequests", msg: "Rate limit exceeded", times: times, retryAfter: retryAfter})
}

// ResourceGraphQuota makes Resource Graph allow n queries per window, as
// the real service does per identity: every answer carries the
// x-ms-user-quota-remaining and x-ms-user-quota-resets-after headers, and a
// query beyond the quota is answered 429 (without Retry-After).
func (s *Server) ResourceGraphQuota(n int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quota = &quota{n: n, window: window}
}

// takeQuota counts one query against the quota and sets the quota headers;
// it reports false when the quota is spent.
func (s *Server) takeQuota(w http.ResponseWriter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.quota
	if q == nil {
		return true
	}
	now := time.Now()
	if now.Sub(q.start) >= q.window {
		q.start, q.used = now, 0
	}
	q.used++
	left := q.start.Add(q.window).Sub(now)
	w.Header().Set("x-ms-user-quota-remaining", fmt.Sprint(max(q.n-q.used, 0)))
	w.Header().Set("x-ms-user-quota-resets-after", fmt.Sprintf("%02d:%02d:%06.3f",
		int(left.Hours()), int(left.Minutes())%60, left.Seconds()-60*float64(int(left.Minutes()))))
	return q.used <= q.n
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ReadPOSTs lists the POST paths that are reads the collector is allowed:
// the Resource Graph query and the App Service application-settings list
// action.
func ReadPOST(path string) bool {
	p := strings.ToLower(path)
	return p == "/providers/microsoft.resourcegraph/resources" ||
		(strings.Contains(p, "/providers/microsoft.web/sites/") && strings.HasSuffix(p, "/config/appsettings/list"))
}

func armError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-ms-error-code", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.ToLower(r.URL.Path)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path})
	var hit *override
	for _, o := range s.overrides {
		if strings.HasPrefix(path, o.prefix) && o.times >= 0 {
			hit = o
			if o.times > 0 {
				if o.times--; o.times == 0 {
					o.times = -1 // spent
				}
			}
			break
		}
	}
	s.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+Token {
		armError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "The access token is invalid.")
		return
	}
	if hit != nil {
		if hit.retryAfter != "" {
			w.Header().Set("Retry-After", hit.retryAfter)
		}
		armError(w, hit.status, hit.code, hit.msg)
		return
	}
	graph := strings.HasPrefix(path, GraphPrefix+"/")
	if !graph && r.URL.Query().Get("api-version") == "" {
		armError(w, http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
		return
	}
	if r.Method == http.MethodPost && path == "/providers/microsoft.resourcegraph/resources" {
		if !s.takeQuota(w) {
			armError(w, http.StatusTooManyRequests, "RateLimiting", "Please provide below info when asking for support: …")
			return
		}
		s.query(w, r)
		return
	}
	file, ok := s.files[path]
	if !ok {
		armError(w, http.StatusNotFound, "ResourceNotFound", fmt.Sprintf("The resource %s was not found.", r.URL.Path))
		return
	}
	body, err := os.ReadFile(file)
	if err != nil {
		armError(w, http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(strings.ReplaceAll(string(body), "{{server}}", s.URL)))
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query         string   `json:"query"`
		Subscriptions []string `json:"subscriptions"`
		Options       struct {
			SkipToken    string `json:"$skipToken"`
			ResultFormat string `json:"resultFormat"`
		} `json:"options"`
	}
	b, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(b, &req); err != nil || req.Query == "" {
		armError(w, http.StatusBadRequest, "BadRequest", "invalid query request")
		return
	}
	name := "/providers/microsoft.resourcegraph/resources"
	if req.Options.SkipToken != "" {
		name += "." + strings.ToLower(req.Options.SkipToken)
	}
	file, ok := s.files[name]
	if !ok {
		armError(w, http.StatusBadRequest, "InvalidSkipToken", "unknown $skipToken")
		return
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		armError(w, http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	raw = []byte(strings.ReplaceAll(string(raw), "{{server}}", s.URL))
	var page map[string]any
	if err := json.Unmarshal(raw, &page); err != nil {
		armError(w, http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	want := map[string]bool{}
	for _, id := range req.Subscriptions {
		want[strings.ToLower(id)] = true
	}
	rows, _ := page["data"].([]any)
	kept := []any{}
	for _, row := range rows {
		m, _ := row.(map[string]any)
		if sub, _ := m["subscriptionId"].(string); want[strings.ToLower(sub)] {
			kept = append(kept, row)
		}
	}
	page["data"], page["count"] = kept, len(kept)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(page)
}
