// Package awstest is a fake AWS endpoint for tests: it answers the real
// aws-sdk-go-v2 clients in each service's wire protocol (query XML, EC2
// query, JSON 1.1, REST-JSON, REST-XML) from recorded or hand-written
// response files, and can add latency, throttling and AccessDenied.
//
// Response files live in Options.Dir as <service>/<Operation>[.<key>][.page2].<ext>,
// where service is the SigV4 signing name (iam, ec2, s3, s3control, kms…).
// The key selects per-resource answers; the candidates tried, in order, are
// every request parameter value, "<account>-<region>", the region, the
// account and no key. A request carrying the value "page2" (a pagination
// token) reads the .page2 variant. A file whose first line is
// "!ERROR <status> <Code> <message>" answers with that API error. With no
// file at all, the fake answers the protocol's empty response.
//
// The account is read from the access key: static keys end with the
// 12-digit account ID, and AssumeRole hands out keys for the role's account.
//
// Throttling comes in three shapes: ThrottleFirst (the first n calls of an
// operation), ThrottleRate (a random fraction of all calls, which no client
// can avoid) and RateLimits, the shape of AWS itself: a token bucket per
// (account, region, service) that answers requests over its rate with the
// service's throttling error.
package awstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"golang.org/x/time/rate"
)

// Options configure the fake.
type Options struct {
	// Dir holds the response files.
	Dir string
	// Latency is added to every answer.
	Latency time.Duration
	// ThrottleRate is the fraction of calls answered with a throttling
	// error (deterministic for a given Seed).
	ThrottleRate float64
	// ThrottleFirst answers the first n calls of an operation
	// ("service:Operation") with a throttling error.
	ThrottleFirst map[string]int
	// Deny answers AccessDenied for "account/region/service"; region and
	// service may be "*".
	Deny map[string]bool
	// RateLimits throttle like AWS: each (account, region, service) has its
	// own token bucket, and a request that finds it empty is answered with
	// the service's throttling error (and takes no token). Keys are
	// "account/region/service" (service is the SigV4 signing name: ec2,
	// iam, s3…); account, region and service may each be "*", and the most
	// specific pattern wins (exact, then a "*" region, then a "*" account,
	// then "*" services), so {"*/*/*": {10, 5}} limits every key
	// separately. Requests are admitted or refused when they arrive, before
	// Latency.
	//
	// The bucket is per service, not per operation: EC2 makes all its
	// Describe* actions share one bucket and IAM and STS limit the account
	// as a whole, and a client that stays within a service-wide bucket also
	// stays within per-operation ones, while the converse does not hold.
	RateLimits map[string]RateLimit
	// Seed seeds the throttling decisions.
	Seed uint64
}

// RateLimit is a token bucket: Rate requests per second sustained, after a
// burst of Burst requests (at least 1) the bucket holds when full.
type RateLimit struct {
	Rate  float64
	Burst int
}

// KeyStats are the answers given to one (account, region, service).
type KeyStats struct {
	// Calls counts the requests answered, throttled ones included.
	Calls int
	// Throttled counts the throttling answers.
	Throttled int
	// Blind counts the throttled requests that arrived within Latency of
	// the key's first throttled one: sent before its answer could reach
	// the client, so no client that starts unthrottled avoids them.
	Blind int
	// Distinct counts the distinct successful requests: the minimum calls.
	Distinct int
	// Limit is the key's rate limit; zero when it has none.
	Limit RateLimit
	// First and Last are when the first and last requests arrived.
	First, Last time.Time
}

// Server is a running fake.
type Server struct {
	*httptest.Server
	opts Options

	mu        sync.Mutex
	rng       *rand.Rand
	firstLeft map[string]int
	ops       map[string]int // successful answers per service:Operation
	throttled atomic.Int64
	calls     atomic.Int64
	distinct  map[string]bool
	keys      map[string]*keyState
}

// keyState is one (account, region, service): its bucket and its counts.
type keyState struct {
	limit  RateLimit
	bucket *rate.Limiter // nil: unlimited
	// firstThrottle is when the first throttled request arrived.
	firstThrottle time.Time
	stats         KeyStats
	distinct      map[string]bool
}

// New starts a fake; Close it when done.
func New(opts Options) *Server {
	s := &Server{opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, 7)), firstLeft: map[string]int{},
		ops: map[string]int{}, distinct: map[string]bool{}, keys: map[string]*keyState{}}
	for k, v := range opts.ThrottleFirst {
		s.firstLeft[k] = v
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// HTTPClient returns a client that sends every request to the fake,
// whatever host the SDK computed (S3 Control prefixes the account ID).
func (s *Server) HTTPClient() *http.Client {
	addr := s.Listener.Addr().String()
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 256,
	}
	return &http.Client{Transport: tr}
}

// Credentials returns static credentials that the fake reads as account.
func Credentials(account string) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("AKIDFAKE"+account, "secret", "")
}

// Calls is the number of requests answered, throttled ones included.
func (s *Server) Calls() int64 { return s.calls.Load() }

// Throttled is the number of requests answered with a throttling error.
func (s *Server) Throttled() int64 { return s.throttled.Load() }

// Distinct is the number of distinct successful requests (service,
// operation, parameters): the minimum number of calls a scan could make.
func (s *Server) Distinct() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.distinct)
}

// Keys returns the answers per "account/region/service" key.
func (s *Server) Keys() map[string]KeyStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]KeyStats, len(s.keys))
	for k, ks := range s.keys {
		st := ks.stats
		st.Distinct = len(ks.distinct)
		out[k] = st
	}
	return out
}

// Ops returns the successful answers per "service:Operation".
func (s *Server) Ops() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.ops))
	for k, v := range s.ops {
		out[k] = v
	}
	return out
}

var credRe = regexp.MustCompile(`Credential=([^/]+)/[0-9]+/([^/]+)/([^/]+)/aws4_request`)

// request is a decoded call.
type request struct {
	service, op, region, account string
	proto                        string // query, ec2, json, restjson, restxml
	method                       string
	params                       []string
	target                       string // JSON target prefix
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	body, _ := io.ReadAll(r.Body)
	m := credRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		http.Error(w, "unsigned request", http.StatusForbidden)
		return
	}
	req := request{region: m[2], service: m[3], account: accountOf(m[1]), method: r.Method}
	if err := decode(&req, r, body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	arrived := time.Now()
	overLimit := !s.admit(req, arrived)
	if s.opts.Latency > 0 {
		time.Sleep(s.opts.Latency)
	}
	opKey := req.service + ":" + req.op
	if overLimit || s.throttle(opKey) {
		s.countThrottled(req, arrived)
		s.throttled.Add(1)
		writeError(w, req, http.StatusBadRequest, throttleCode(req), "Rate exceeded")
		return
	}
	for _, k := range []string{req.account + "/" + req.region + "/" + req.service, req.account + "/*/" + req.service,
		req.account + "/" + req.region + "/*", req.account + "/*/*"} {
		if s.opts.Deny[k] {
			writeError(w, req, http.StatusForbidden, deniedCode(req), fmt.Sprintf("User: arn:aws:iam::%s:user/scanner is not authorized to perform: %s", req.account, opKey))
			return
		}
	}
	if req.service == "sts" {
		s.record(req)
		s.sts(w, req, body)
		return
	}
	content, ok := s.lookup(req)
	if !ok {
		s.record(req)
		writeBody(w, req, http.StatusOK, emptyAnswer(req))
		return
	}
	if strings.HasPrefix(string(content), "!ERROR ") {
		line, _, _ := strings.Cut(string(content), "\n")
		f := strings.SplitN(strings.TrimSpace(line), " ", 4)
		status := http.StatusBadRequest
		fmt.Sscan(f[1], &status)
		msg := ""
		if len(f) > 3 {
			msg = f[3]
		}
		s.record(req)
		writeError(w, req, status, f[2], msg)
		return
	}
	s.record(req)
	writeBody(w, req, http.StatusOK, content)
}

func (s *Server) record(req request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops[req.service+":"+req.op]++
	id := req.account + "|" + req.region + "|" + req.service + "|" + req.op + "|" + strings.Join(req.params, "|")
	s.distinct[id] = true
	s.keys[keyOf(req)].distinct[id] = true
}

// keyOf is the (account, region, service) a request is throttled under.
// Agents for Bedrock signs as bedrock but has its own endpoint
// (bedrock-agent) and quotas.
func keyOf(req request) string {
	service := req.service
	if service == "bedrock" && bedrockAgentOps[req.op] && !(req.op == "ListTagsForResource" && req.method == http.MethodPost) {
		service = "bedrock-agent"
	}
	return req.account + "/" + req.region + "/" + service
}

var bedrockAgentOps = map[string]bool{"ListAgents": true, "GetAgent": true, "ListAgentKnowledgeBases": true,
	"ListKnowledgeBases": true, "GetKnowledgeBase": true, "ListDataSources": true, "GetDataSource": true,
	"ListTagsForResource": true}

// admit counts a request against its key and reports whether the key's
// bucket (if any) had a token for it.
func (s *Server) admit(req request, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := keyOf(req)
	ks := s.keys[k]
	if ks == nil {
		ks = &keyState{distinct: map[string]bool{}}
		if l, ok := s.limitFor(req); ok {
			ks.limit = l
			ks.bucket = rate.NewLimiter(rate.Limit(l.Rate), max(l.Burst, 1))
		}
		ks.stats.First = now
		s.keys[k] = ks
	}
	ks.stats.Calls++
	ks.stats.Limit = ks.limit
	ks.stats.Last = now
	return ks.bucket == nil || ks.bucket.AllowN(now, 1)
}

// limitFor finds the most specific RateLimits entry for req.
func (s *Server) limitFor(req request) (RateLimit, bool) {
	if len(s.opts.RateLimits) == 0 {
		return RateLimit{}, false
	}
	for _, svc := range []string{req.service, "*"} {
		for _, k := range []string{req.account + "/" + req.region, req.account + "/*", "*/" + req.region, "*/*"} {
			if l, ok := s.opts.RateLimits[k+"/"+svc]; ok {
				return l, true
			}
		}
	}
	return RateLimit{}, false
}

func (s *Server) countThrottled(req request, arrived time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks := s.keys[keyOf(req)]
	ks.stats.Throttled++
	if ks.firstThrottle.IsZero() {
		ks.firstThrottle = arrived
	}
	if arrived.Sub(ks.firstThrottle) <= s.opts.Latency {
		ks.stats.Blind++
	}
}

func (s *Server) throttle(op string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.firstLeft[op] > 0 {
		s.firstLeft[op]--
		return true
	}
	return s.opts.ThrottleRate > 0 && s.rng.Float64() < s.opts.ThrottleRate
}

func accountOf(akid string) string {
	if len(akid) >= 12 {
		if tail := akid[len(akid)-12:]; strings.Trim(tail, "0123456789") == "" {
			return tail
		}
	}
	return "000000000000"
}

// decode finds the protocol, operation and parameters of a request.
func decode(req *request, r *http.Request, body []byte) error {
	q := r.URL.Query()
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		req.proto = "json"
		t := r.Header.Get("X-Amz-Target")
		req.target, req.op, _ = strings.Cut(t, ".")
		var m map[string]any
		if len(body) > 0 {
			if err := json.Unmarshal(body, &m); err != nil {
				return fmt.Errorf("json body: %w", err)
			}
		}
		req.params = jsonParams(m)
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return err
		}
		req.op = form.Get("Action")
		req.proto = "query"
		if req.service == "ec2" {
			req.proto = "ec2"
		}
		for _, k := range sortedKeys(form) {
			if k != "Action" && k != "Version" {
				req.params = append(req.params, form[k]...)
			}
		}
	case req.service == "s3":
		req.proto = "restxml"
		return decodeS3(req, r)
	case req.service == "cloudfront":
		req.proto = "restxml"
		return decodeCloudFront(req, r)
	default:
		req.proto = "restjson"
		return decodeREST(req, r, body)
	}
	if req.op == "" {
		return fmt.Errorf("no operation in request %s %s", r.Method, r.URL)
	}
	_ = q
	return nil
}

func jsonParams(m map[string]any) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		switch v := m[k].(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var s3Subresources = []struct{ query, op string }{
	{"location", "GetBucketLocation"}, {"publicAccessBlock", "GetPublicAccessBlock"},
	{"policyStatus", "GetBucketPolicyStatus"}, {"policy", "GetBucketPolicy"}, {"acl", "GetBucketAcl"},
	{"encryption", "GetBucketEncryption"}, {"versioning", "GetBucketVersioning"}, {"logging", "GetBucketLogging"},
	{"tagging", "GetBucketTagging"}, {"object-lock", "GetObjectLockConfiguration"},
}

func decodeS3(req *request, r *http.Request) error {
	path := strings.Trim(r.URL.Path, "/")
	q := r.URL.Query()
	if strings.HasPrefix(path, "v20180820/configuration/publicAccessBlock") {
		req.service, req.op = "s3control", "GetPublicAccessBlock"
		return nil
	}
	if path == "" {
		req.op = "ListBuckets"
		if t := q.Get("continuation-token"); t != "" {
			req.params = []string{t}
		}
		return nil
	}
	req.params = []string{strings.SplitN(path, "/", 2)[0]}
	for _, sr := range s3Subresources {
		if _, ok := q[sr.query]; ok {
			req.op = sr.op
			return nil
		}
	}
	return fmt.Errorf("unknown S3 request %s %s", r.Method, r.URL)
}

// restRoutes map REST requests to operations: the first route whose
// service and method match, whose path starts with prefix and (when set)
// ends with suffix wins; the path segments in between are parameters. A
// "*" in prefix matches one path segment, which is a parameter too.
// decodeCloudFront reads CloudFront's REST-XML requests.
func decodeCloudFront(req *request, r *http.Request) error {
	path := strings.TrimPrefix(r.URL.Path, "/2020-05-31")
	q := r.URL.Query()
	switch {
	case path == "/distribution":
		req.op = "ListDistributions"
		if m := q.Get("Marker"); m != "" {
			req.params = []string{m}
		}
	case strings.HasPrefix(path, "/distribution/") && strings.HasSuffix(path, "/config"):
		req.op = "GetDistributionConfig"
		req.params = []string{strings.TrimSuffix(strings.TrimPrefix(path, "/distribution/"), "/config")}
	case path == "/tagging":
		req.op = "ListTagsForResource"
		req.params = []string{q.Get("Resource")}
	default:
		return fmt.Errorf("unknown CloudFront request %s %s", r.Method, r.URL)
	}
	return nil
}

var restRoutes = []struct {
	service, method, prefix, op, suffix string
}{
	{"lambda", "GET", "/2015-03-31/functions/", "GetPolicy", "/policy"},
	{"glacier", "GET", "/-/vaults/", "GetVaultAccessPolicy", "/access-policy"},
	{"glacier", "GET", "/-/vaults/", "ListTagsForVault", "/tags"},
	{"glacier", "GET", "/-/vaults", "ListVaults", ""},
	{"eks", "GET", "/clusters/", "DescribeCluster", ""},
	{"eks", "GET", "/clusters", "ListClusters", ""},
	{"guardduty", "GET", "/detector/", "GetDetector", ""},
	{"guardduty", "GET", "/detector", "ListDetectors", ""},
	{"apigateway", "GET", "/restapis/", "GetStages", "/stages"},
	{"apigateway", "GET", "/restapis", "GetRestApis", ""},
	{"apigateway", "GET", "/v2/apis/", "GetStages", "/stages"},
	{"apigateway", "GET", "/v2/apis", "GetApis", ""},
	{"lambda", "GET", "/2015-03-31/functions", "ListFunctions", ""},
	{"lambda", "GET", "/2021-10-31/functions/", "GetFunctionUrlConfig", ""},
	{"lambda", "GET", "/2017-03-31/tags/", "ListTags", ""},
	{"securityhub", "GET", "/accounts", "DescribeHub", ""},
	{"securityhub", "GET", "/tags/", "ListTagsForResource", ""},
	{"access-analyzer", "GET", "/analyzer", "ListAnalyzers", ""},
	{"account", "POST", "/getAlternateContact", "GetAlternateContact", ""},
	{"account", "POST", "/getContactInformation", "GetContactInformation", ""},
	{"elasticfilesystem", "GET", "/2015-02-01/file-systems", "DescribeFileSystems", ""},
	// Bedrock and Agents for Bedrock share the signing name bedrock.
	{"bedrock", "GET", "/custom-models/", "GetCustomModel", ""},
	{"bedrock", "GET", "/custom-models", "ListCustomModels", ""},
	{"bedrock", "GET", "/provisioned-model-throughputs", "ListProvisionedModelThroughputs", ""},
	{"bedrock", "GET", "/logging/modelinvocations", "GetModelInvocationLoggingConfiguration", ""},
	{"bedrock", "GET", "/guardrails/", "GetGuardrail", ""},
	{"bedrock", "GET", "/guardrails", "ListGuardrails", ""},
	{"bedrock", "GET", "/model-customization-jobs/", "GetModelCustomizationJob", ""},
	{"bedrock", "GET", "/model-customization-jobs", "ListModelCustomizationJobs", ""},
	{"bedrock", "POST", "/listTagsForResource", "ListTagsForResource", ""},
	{"bedrock", "GET", "/tags/", "ListTagsForResource", ""},
	{"bedrock", "POST", "/agents/*/agentversions/", "ListAgentKnowledgeBases", "/knowledgebases/"},
	{"bedrock", "POST", "/agents/", "ListAgents", ""},
	{"bedrock", "GET", "/agents/", "GetAgent", ""},
	{"bedrock", "POST", "/knowledgebases/*/datasources/", "ListDataSources", ""},
	{"bedrock", "POST", "/knowledgebases/", "ListKnowledgeBases", ""},
	{"bedrock", "GET", "/knowledgebases/*/datasources/", "GetDataSource", ""},
	{"bedrock", "GET", "/knowledgebases/", "GetKnowledgeBase", ""},
}

// cutRoutePrefix matches prefix against the start of path, "*" standing
// for one segment, and returns the rest of the path and the segments "*"
// matched.
func cutRoutePrefix(path, prefix string) (rest string, wild []string, ok bool) {
	parts := strings.Split(prefix, "*")
	rest = path
	for i, part := range parts {
		if !strings.HasPrefix(rest, part) {
			return "", nil, false
		}
		rest = rest[len(part):]
		if i == len(parts)-1 {
			break
		}
		seg, after, found := strings.Cut(rest, "/")
		if !found || seg == "" {
			return "", nil, false
		}
		wild = append(wild, seg)
		rest = "/" + after
	}
	return rest, wild, true
}

func decodeREST(req *request, r *http.Request, body []byte) error {
	path := r.URL.EscapedPath()
	for _, rt := range restRoutes {
		if rt.service != req.service || rt.method != r.Method {
			continue
		}
		rest, wild, ok := cutRoutePrefix(path, rt.prefix)
		if ok && strings.HasSuffix(rest, rt.suffix) && len(rest) >= len(rt.suffix) {
			req.op = rt.op
			rest = strings.Trim(strings.TrimSuffix(rest, rt.suffix), "/")
			segs := append(wild, strings.Split(rest, "/")...)
			for _, seg := range segs {
				if seg == "" || seg == "url" {
					continue
				}
				if u, err := url.PathUnescape(seg); err == nil {
					seg = u
				}
				req.params = append(req.params, seg)
			}
			q := r.URL.Query()
			for _, k := range sortedKeys(q) {
				req.params = append(req.params, q[k]...)
			}
			if len(body) > 0 {
				var m map[string]any
				if json.Unmarshal(body, &m) == nil {
					req.params = append(req.params, jsonParams(m)...)
				}
			}
			return nil
		}
	}
	return fmt.Errorf("unknown %s request %s %s", req.service, r.Method, r.URL)
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (s *Server) lookup(req request) ([]byte, bool) {
	ext := ".xml"
	if req.proto == "json" || req.proto == "restjson" {
		ext = ".json"
	}
	page := ""
	var keys []string
	for _, p := range req.params {
		if p == "page2" {
			page = ".page2"
			continue
		}
		keys = append(keys, "."+unsafe.ReplaceAllString(p, "_"))
	}
	keys = append(keys, "."+req.account+"-"+req.region, "."+req.region, "."+req.account, "")
	dir := filepath.Join(s.opts.Dir, req.service)
	for _, k := range keys {
		b, err := os.ReadFile(filepath.Join(dir, req.op+k+page+ext))
		if err == nil {
			return b, true
		}
	}
	return nil, false
}

func emptyAnswer(req request) []byte {
	switch req.proto {
	case "json", "restjson":
		return []byte("{}")
	case "ec2":
		return []byte(fmt.Sprintf(`<%sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"></%sResponse>`, req.op, req.op))
	case "restxml":
		if req.op == "ListBuckets" {
			return []byte(`<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Buckets></Buckets></ListAllMyBucketsResult>`)
		}
		return []byte(`<Empty/>`)
	default:
		return []byte(fmt.Sprintf(`<%sResponse><%sResult></%sResult></%sResponse>`, req.op, req.op, req.op, req.op))
	}
}

func writeBody(w http.ResponseWriter, req request, status int, body []byte) {
	switch req.proto {
	case "json":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	case "restjson":
		w.Header().Set("Content-Type", "application/json")
	default:
		w.Header().Set("Content-Type", "text/xml")
	}
	w.Header().Set("X-Amzn-RequestId", "fake-request")
	w.WriteHeader(status)
	w.Write(bytes.TrimSpace(body))
}

func throttleCode(req request) string {
	switch req.proto {
	case "ec2":
		return "RequestLimitExceeded"
	case "query":
		return "Throttling"
	case "restxml":
		return "SlowDown"
	case "restjson":
		return "TooManyRequestsException"
	default:
		return "ThrottlingException"
	}
}

func deniedCode(req request) string {
	switch req.proto {
	case "ec2":
		return "UnauthorizedOperation"
	case "query", "restxml":
		return "AccessDenied"
	default:
		return "AccessDeniedException"
	}
}

func writeError(w http.ResponseWriter, req request, status int, code, msg string) {
	if code == throttleCode(req) {
		switch req.proto {
		case "restxml":
			status = http.StatusServiceUnavailable
		case "restjson":
			status = http.StatusTooManyRequests
		}
	}
	var body string
	switch req.proto {
	case "json":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		b, _ := json.Marshal(map[string]string{"__type": code, "message": msg})
		body = string(b)
	case "restjson":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", code)
		b, _ := json.Marshal(map[string]string{"message": msg})
		body = string(b)
	case "ec2":
		w.Header().Set("Content-Type", "text/xml")
		body = fmt.Sprintf(`<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fake</RequestID></Response>`, code, xmlEscape(msg))
	case "restxml":
		w.Header().Set("Content-Type", "application/xml")
		if req.service == "s3control" || req.service == "cloudfront" {
			body = fmt.Sprintf(`<ErrorResponse><Error><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>`, code, xmlEscape(msg))
			break
		}
		body = fmt.Sprintf(`<Error><Code>%s</Code><Message>%s</Message><RequestId>fake</RequestId></Error>`, code, xmlEscape(msg))
	default:
		w.Header().Set("Content-Type", "text/xml")
		body = fmt.Sprintf(`<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>`, code, xmlEscape(msg))
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sts answers GetCallerIdentity and AssumeRole from the request itself.
func (s *Server) sts(w http.ResponseWriter, req request, body []byte) {
	form, _ := url.ParseQuery(string(body))
	switch req.op {
	case "GetCallerIdentity":
		writeBody(w, req, http.StatusOK, []byte(fmt.Sprintf(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:iam::%[1]s:user/scanner</Arn><UserId>AIDAFAKE</UserId><Account>%[1]s</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`, req.account)))
	case "AssumeRole":
		arn := form.Get("RoleArn")
		parts := strings.Split(arn, ":")
		if len(parts) < 5 {
			writeError(w, req, http.StatusBadRequest, "ValidationError", "bad role ARN")
			return
		}
		target := parts[4]
		if s.opts.Deny[target+"/*/sts"] {
			writeError(w, req, http.StatusForbidden, "AccessDenied", "not authorized to perform sts:AssumeRole on "+arn)
			return
		}
		exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		writeBody(w, req, http.StatusOK, []byte(fmt.Sprintf(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAFAKE%s</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>%s</Expiration></Credentials>
<AssumedRoleUser><Arn>%s/%s</Arn><AssumedRoleId>AROAFAKE:%s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
			target, exp, strings.Replace(arn, ":iam:", ":sts:", 1), form.Get("RoleSessionName"), form.Get("RoleSessionName"))))
	default:
		writeError(w, req, http.StatusBadRequest, "InvalidAction", "unsupported sts action "+req.op)
	}
}
