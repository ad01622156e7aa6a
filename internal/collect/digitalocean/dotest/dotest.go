// Package dotest serves fake DigitalOcean endpoints for tests: an API v2
// server and a Spaces (S3) server, both answering from files in a testdata
// directory, recording every request and refusing anything but GET.
package dotest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Token is the API token the fake API accepts.
const Token = "dop_v1_test_token_never_logged"

// API is a fake DigitalOcean API v2. GET /v2/droplets?page=N answers from
// DIR/v2/droplets.json (page 1) or DIR/v2/droplets.pageN.json; a missing
// file is a 404 with the API's error body.
type API struct {
	*httptest.Server
	dir string

	mu       sync.Mutex
	requests []string
	nonGET   []string
	fail     map[string]*failure
	empty    bool
}

type failure struct {
	status int
	header http.Header
	times  int // -1: always
}

// NewAPI starts a fake API answering from dir; it stops with the test.
func NewAPI(t testing.TB, dir string) *API {
	a := &API{dir: dir, fail: map[string]*failure{}}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.Close)
	return a
}

// Fail makes the next times requests to path (e.g. /v2/cdn/endpoints)
// answer status with header; times < 0 means every request.
func (a *API) Fail(path string, status, times int, header http.Header) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fail[path] = &failure{status: status, header: header, times: times}
}

// Empty makes the API answer like a team with nothing in it: every list is
// empty and the registry does not exist. The account still answers.
func (a *API) Empty() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.empty = true
}

// Requests returns "METHOD /path?query" for every request so far.
func (a *API) Requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.requests...)
}

// NonGET returns the requests that were not GET (a read-only collector
// makes none).
func (a *API) NonGET() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.nonGET...)
}

func apiError(w http.ResponseWriter, status int, id, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"id":%q,"message":%q,"request_id":"req-%d"}`, id, msg, status)
}

func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.requests = append(a.requests, r.Method+" "+r.URL.RequestURI())
	if r.Method != http.MethodGet {
		a.nonGET = append(a.nonGET, r.Method+" "+r.URL.RequestURI())
		a.mu.Unlock()
		apiError(w, http.StatusMethodNotAllowed, "method_not_allowed", "read-only fake")
		return
	}
	f := a.fail[r.URL.Path]
	var fail *failure
	if f != nil && f.times != 0 {
		if f.times > 0 {
			f.times--
		}
		fail = &failure{status: f.status, header: f.header}
	}
	empty := a.empty
	a.mu.Unlock()

	w.Header().Set("ratelimit-limit", "5000")
	w.Header().Set("ratelimit-remaining", "4999")
	if r.Header.Get("Authorization") != "Bearer "+Token {
		apiError(w, http.StatusUnauthorized, "unauthorized", "Unable to authenticate you")
		return
	}
	if fail != nil {
		for k, vs := range fail.header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		switch fail.status {
		case http.StatusForbidden:
			apiError(w, fail.status, "forbidden", "You are not authorized to perform this operation")
		case http.StatusTooManyRequests:
			apiError(w, fail.status, "too_many_requests", "API Rate limit exceeded.")
		default:
			apiError(w, fail.status, "error", http.StatusText(fail.status))
		}
		return
	}
	if empty && r.URL.Path != "/v2/account" {
		if r.URL.Path == "/v2/registry" {
			apiError(w, http.StatusNotFound, "not_found", "registry not found")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"links":{},"meta":{"total":0}}`)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if p, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && p > 1 {
		name += ".page" + strconv.Itoa(p)
	}
	body, err := os.ReadFile(filepath.Join(a.dir, filepath.FromSlash(name)+".json"))
	if err != nil || strings.Contains(name, "..") {
		apiError(w, http.StatusNotFound, "not_found", "The resource you were accessing could not be found.")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// Spaces is a fake Spaces S3 endpoint serving every region: the region is
// read from the request's SigV4 credential scope. GET / answers
// DIR/REGION/list.xml; GET /BUCKET?acl answers DIR/REGION/BUCKET.acl.xml,
// and likewise versioning, lifecycle, cors (.xml) and policy (.json). A
// missing configuration answers the S3 "no such configuration" error.
type Spaces struct {
	*httptest.Server
	dir string

	mu       sync.Mutex
	requests []string
	nonGET   []string
	fail     map[string]s3Failure
	failList map[string]s3Failure // by region
}

type s3Failure struct {
	status int
	code   string
	body   string // answered with 200 when code is empty
}

// NewSpaces starts a fake Spaces endpoint answering from dir.
func NewSpaces(t testing.TB, dir string) *Spaces {
	s := &Spaces{dir: dir, fail: map[string]s3Failure{}, failList: map[string]s3Failure{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Fail makes every request for one configuration of a bucket (sub is acl,
// versioning, lifecycle, policy or cors) answer status with the S3 error
// code, e.g. 403 AccessDenied.
func (s *Spaces) Fail(bucket, sub string, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[bucket+"?"+sub] = s3Failure{status: status, code: code}
}

// FailList makes every ListBuckets request signed for region answer
// status with the S3 error code, e.g. 403 AccessDenied for a region the
// key may not use.
func (s *Spaces) FailList(region string, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failList[region] = s3Failure{status: status, code: code}
}

// Answer makes every request for one configuration of a bucket answer 200
// with body (e.g. a policy that does not parse).
func (s *Spaces) Answer(bucket, sub, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[bucket+"?"+sub] = s3Failure{status: http.StatusOK, body: body}
}

// Requests returns "METHOD REGION /path?query" for every request so far.
func (s *Spaces) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// NonGET returns the requests that were not GET.
func (s *Spaces) NonGET() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.nonGET...)
}

var credScope = regexp.MustCompile(`Credential=[^/]+/[0-9]+/([a-z0-9-]+)/s3/aws4_request`)

func s3Error(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>tx0</RequestId></Error>`, code, code)
}

func (s *Spaces) serve(w http.ResponseWriter, r *http.Request) {
	m := credScope.FindStringSubmatch(r.Header.Get("Authorization"))
	region := ""
	if m != nil {
		region = m[1]
	}
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+region+" "+r.URL.RequestURI())
	if r.Method != http.MethodGet {
		s.nonGET = append(s.nonGET, r.Method+" "+r.URL.RequestURI())
		s.mu.Unlock()
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed")
		return
	}
	bucket := strings.Trim(r.URL.Path, "/")
	var failure *s3Failure
	for sub := range r.URL.Query() {
		if f, ok := s.fail[bucket+"?"+sub]; ok {
			failure = &f
		}
	}
	if f, ok := s.failList[region]; ok && bucket == "" {
		failure = &f
	}
	s.mu.Unlock()
	if region == "" {
		s3Error(w, http.StatusForbidden, "AccessDenied")
		return
	}
	if failure != nil {
		if failure.code == "" {
			_, _ = io.WriteString(w, failure.body)
			return
		}
		s3Error(w, failure.status, failure.code)
		return
	}
	if strings.Contains(bucket, "..") || strings.Contains(bucket, "/") {
		s3Error(w, http.StatusBadRequest, "InvalidRequest")
		return
	}
	serveFile := func(name, missing, ctype string) {
		body, err := os.ReadFile(filepath.Join(s.dir, region, name))
		if err != nil {
			s3Error(w, http.StatusNotFound, missing)
			return
		}
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(body)
	}
	q := r.URL.Query()
	switch {
	case bucket == "":
		if _, err := os.Stat(filepath.Join(s.dir, region, "list.xml")); err != nil {
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>8912345</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>`)
			return
		}
		serveFile("list.xml", "NoSuchBucket", "application/xml")
	case q.Has("acl"):
		serveFile(bucket+".acl.xml", "NoSuchBucket", "application/xml")
	case q.Has("versioning"):
		serveFile(bucket+".versioning.xml", "NoSuchBucket", "application/xml")
	case q.Has("lifecycle"):
		serveFile(bucket+".lifecycle.xml", "NoSuchLifecycleConfiguration", "application/xml")
	case q.Has("policy"):
		serveFile(bucket+".policy.json", "NoSuchBucketPolicy", "application/json")
	case q.Has("cors"):
		serveFile(bucket+".cors.xml", "NoSuchCORSConfiguration", "application/xml")
	default:
		s3Error(w, http.StatusNotImplemented, "NotImplemented")
	}
}
