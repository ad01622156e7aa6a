package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"cloudward/internal/resource"
)

// api makes the plain REST reads the collector needs beyond Resource
// Graph: ARM GETs (one api-version per call) and Microsoft Graph GETs,
// through azcore pipelines that authenticate, retry (429 with Retry-After,
// 5xx) and log like the SDK's own clients.
type api struct {
	arm      runtime.Pipeline
	armURL   string
	graph    runtime.Pipeline
	graphURL string
	// vault reads Key Vault data-plane metadata at the vault URIs ARM
	// reports; insecure allows http:// vault URIs (emulators, tests only,
	// when the ARM endpoint is http:// too).
	vault    runtime.Pipeline
	insecure bool
}

// apiKeyVaultData is the Key Vault data-plane API version.
const apiKeyVaultData = "7.4"

// vaultURL joins a vault URI and a data-plane path, or returns "" when the
// URI may not receive a token (not https outside test mode).
func (a *api) vaultURL(vaultURI, path string) string {
	u, err := url.Parse(vaultURI)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(a.insecure && u.Scheme == "http")) {
		return ""
	}
	return strings.TrimRight(vaultURI, "/") + path
}

// vaultGet reads one Key Vault data-plane document.
func (a *api) vaultGet(ctx context.Context, rawURL string) (any, error) {
	return a.do(ctx, a.vault, http.MethodGet, rawURL, apiKeyVaultData)
}

// vaultList reads a Key Vault data-plane collection, following nextLink.
func (a *api) vaultList(ctx context.Context, rawURL string) ([]any, error) {
	var out []any
	next, version := rawURL, apiKeyVaultData
	for next != "" {
		v, err := a.do(ctx, a.vault, http.MethodGet, next, version)
		if err != nil {
			return nil, err
		}
		page, _ := v.(map[string]any)
		vals, _ := page["value"].([]any)
		out = append(out, vals...)
		next, _ = page["nextLink"].(string)
		version = "" // nextLink carries its own query
	}
	return out, nil
}

// get reads one ARM document at path (an ARM resource path such as
// /subscriptions/ID/providers/…) with the given api-version.
func (a *api) get(ctx context.Context, path, apiVersion string) (any, error) {
	return a.do(ctx, a.arm, http.MethodGet, a.armURL+path, apiVersion)
}

// list reads an ARM collection at path, following nextLink, and returns
// the elements of every page's value array.
func (a *api) list(ctx context.Context, path, apiVersion string) ([]any, error) {
	var out []any
	next := a.armURL + path
	for next != "" {
		v, err := a.do(ctx, a.arm, http.MethodGet, next, apiVersion)
		if err != nil {
			return nil, err
		}
		page, _ := v.(map[string]any)
		vals, _ := page["value"].([]any)
		out = append(out, vals...)
		next, _ = page["nextLink"].(string)
		apiVersion = "" // nextLink carries its own query
	}
	return out, nil
}

// listAction calls a read-only ARM list action (POST …/list), the only way
// ARM returns some settings. The answer stays inside the collector: callers
// keep what the kind's schema documents and nothing else.
func (a *api) listAction(ctx context.Context, path, apiVersion string) (any, error) {
	if !strings.HasSuffix(path, "/list") {
		return nil, fmt.Errorf("azure: %s is not a list action", path)
	}
	return a.do(ctx, a.arm, http.MethodPost, a.armURL+path, apiVersion)
}

// graphGet reads one Microsoft Graph document at path (such as
// /v1.0/policies/identitySecurityDefaultsEnforcementPolicy).
func (a *api) graphGet(ctx context.Context, path string) (any, error) {
	return a.do(ctx, a.graph, http.MethodGet, a.graphURL+path, "")
}

// graphList reads a Microsoft Graph collection at path, following
// @odata.nextLink, and returns the elements of every page's value array.
func (a *api) graphList(ctx context.Context, path string) ([]any, error) {
	var out []any
	next := a.graphURL + path
	for next != "" {
		v, err := a.do(ctx, a.graph, http.MethodGet, next, "")
		if err != nil {
			return nil, err
		}
		page, _ := v.(map[string]any)
		vals, _ := page["value"].([]any)
		out = append(out, vals...)
		next, _ = page["@odata.nextLink"].(string)
	}
	return out, nil
}

func (a *api) do(ctx context.Context, pl runtime.Pipeline, method, rawURL, apiVersion string) (any, error) {
	req, err := runtime.NewRequest(ctx, method, rawURL)
	if err != nil {
		return nil, fmt.Errorf("azure request %s: %w", rawURL, err)
	}
	if apiVersion != "" {
		q := req.Raw().URL.Query()
		q.Set("api-version", apiVersion)
		req.Raw().URL.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	}
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := pl.Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	body, err := runtime.Payload(resp)
	if err != nil {
		return nil, fmt.Errorf("azure read %s: %w", req.Raw().URL.Path, err)
	}
	v, err := decode(body)
	if err != nil {
		return nil, fmt.Errorf("azure decode %s: %w", req.Raw().URL.Path, err)
	}
	return v, nil
}

// armPath returns the path of an ARM resource ID with query parameters
// appended verbatim (e.g. an OData $filter).
func armPath(id string, query url.Values) string {
	if len(query) == 0 {
		return id
	}
	return id + "?" + strings.ReplaceAll(query.Encode(), "+", "%20")
}

// classify turns a failed call into a collection error kind and a short
// message: the ARM or Graph error code and message, without the request
// dump azcore's ResponseError prints.
func classify(err error) (resource.ErrorKind, string) {
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return resource.OtherError, err.Error()
	}
	code, msg := re.ErrorCode, ""
	if re.RawResponse != nil {
		if body, perr := runtime.Payload(re.RawResponse); perr == nil {
			var e struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if json.Unmarshal(body, &e) == nil {
				msg = e.Error.Message
				if code == "" {
					code = e.Error.Code
				}
			}
		}
	}
	text := fmt.Sprintf("HTTP %d", re.StatusCode)
	if code != "" {
		text += " " + code
	}
	if msg != "" {
		text += ": " + msg
	}
	lc := strings.ToLower(code)
	switch {
	case re.StatusCode == http.StatusTooManyRequests:
		return resource.Throttled, text
	case lc == "missingsubscriptionregistration", lc == "subscriptionnotregistered",
		lc == "noregisteredproviderfound", strings.Contains(lc, "notregistered"):
		return resource.NotEnabled, text
	case re.StatusCode == http.StatusUnauthorized, re.StatusCode == http.StatusForbidden,
		strings.Contains(lc, "authorization"), strings.Contains(lc, "forbidden"), strings.Contains(lc, "denied"):
		return resource.Denied, text
	case lc == "disabledsubscription", lc == "readonlydisabledsubscription", lc == "subscriptionnotfound":
		return resource.NotEnabled, text
	}
	return resource.OtherError, text
}
