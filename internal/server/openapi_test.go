package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

// validateResponse checks an API answer against api/openapi.yaml: the
// route must be documented, and the status and body must match it.
func validateResponse(t *testing.T, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") || resp.StatusCode == http.StatusTooManyRequests && req.URL.Path != "/api/v1/login" {
		return
	}
	specOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromFile("../../api/openapi.yaml")
		if err != nil {
			specErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = err
			return
		}
		doc.Servers = nil // match any host
		specRouter, specErr = gorillamux.NewRouter(doc)
	})
	if specErr != nil {
		t.Fatalf("api/openapi.yaml: %v", specErr)
	}
	// Route on a copy without the host, as the spec has no servers.
	r2 := req.Clone(context.Background())
	r2.URL = &url.URL{Path: req.URL.Path, RawQuery: req.URL.RawQuery}
	route, params, err := specRouter.FindRoute(r2)
	if err != nil {
		if resp.StatusCode == http.StatusNotFound {
			return // undocumented paths answer 404, as they should
		}
		t.Fatalf("%s %s: not in api/openapi.yaml: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: r2, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s → %d does not match api/openapi.yaml: %v", req.Method, req.URL, resp.StatusCode, err)
	}
}
