// Package gcptest is a fake Google Cloud REST endpoint for tests. It
// answers the collector's calls from JSON fixtures, so the real client
// libraries (Resource Manager, Compute, IAM, Storage, Cloud SQL, KMS, GKE)
// run unchanged against it with gcp.Options.Endpoint set to its URL.
//
// A fixture file is a JSON object mapping request keys to answers. A key is
// the request path without its leading slash (each API lives under its own
// name, e.g. compute/compute/v1/projects/p1/global/firewalls), followed by
// "@name=value" for each of the query parameters project, parent and
// pageToken that are set ("/" in values written "_"). A key ending in "/*"
// answers every path below it that has no key of its own. An answer with a
// top-level "error" object is sent with error.code as the HTTP status.
package gcptest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	Key    string
}

// Server is the fake endpoint.
type Server struct {
	*httptest.Server
	answers  map[string]json.RawMessage
	mu       sync.Mutex
	requests []Request
	throttle map[string]int
}

// New serves every *.json fixture file of dir until the test ends.
func New(t testing.TB, dir string) *Server {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("gcptest: no fixtures in %s: %v", dir, err)
	}
	s := &Server{answers: map[string]json.RawMessage{}, throttle: map[string]int{}}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("gcptest: %s: %v", f, err)
		}
		for k, v := range m {
			if _, dup := s.answers[k]; dup {
				t.Fatalf("gcptest: %s: key %s defined twice", f, k)
			}
			s.answers[k] = v
		}
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Key returns the fixture key of a request.
func Key(r *http.Request) string {
	key := strings.TrimPrefix(r.URL.Path, "/")
	q := r.URL.Query()
	for _, p := range []string{"project", "parent", "pageToken"} {
		if v := q.Get(p); v != "" {
			key += "@" + p + "=" + strings.ReplaceAll(v, "/", "_")
		}
	}
	return key
}

// Throttle makes the next n requests with this key answer 429.
func (s *Server) Throttle(key string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle[key] = n
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	key := Key(r)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Key: key})
	throttled := s.throttle[key] > 0
	if throttled {
		s.throttle[key]--
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if throttled {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"error":{"code":429,"message":"Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute'.","status":"RESOURCE_EXHAUSTED"}}`))
		return
	}
	body, ok := s.answers[key]
	for p := key; !ok && p != ""; {
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			break
		}
		p = p[:i]
		body, ok = s.answers[p+"/*"]
	}
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":404,"message":"gcptest: no fixture for ` + key + `","status":"NOT_FOUND"}}`))
		return
	}
	var e struct {
		Error *struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != nil && e.Error.Code != 0 {
		w.WriteHeader(e.Error.Code)
	}
	w.Write(body)
}
