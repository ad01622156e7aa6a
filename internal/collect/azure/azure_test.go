package azure

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"cloudward/internal/collect"
	"cloudward/internal/collect/azure/aztest"
	"cloudward/internal/resource"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	prodSub = "3f2a9c61-8b4e-4d7a-a5c2-1e9f0b6d7a42"
	sbxSub  = "b81d4e07-6c35-4f9e-8e2a-5d7c3a1f9b60"
	// tenantID is the fixtures' Entra tenant.
	tenantID = "7d3e5b1a-2f4c-4e8b-9a61-0c5d2e8f4b17"
)

// memSink keeps what a collector emits.
type memSink struct {
	mu    sync.Mutex
	res   []resource.Resource
	edges []resource.Edge
	errs  []collect.Error
}

func (s *memSink) Resource(_ context.Context, r resource.Resource) error {
	if err := r.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.res = append(s.res, r)
	return nil
}

func (s *memSink) Edge(_ context.Context, e resource.Edge) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edges = append(s.edges, e)
	return nil
}

func (s *memSink) Error(_ context.Context, e collect.Error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, e)
	return nil
}

func (s *memSink) sorted() {
	slices.SortFunc(s.res, func(a, b resource.Resource) int { return cmp.Compare(a.UID, b.UID) })
	slices.SortFunc(s.edges, func(a, b resource.Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Type, b.Type))
	})
	slices.SortFunc(s.errs, func(a, b collect.Error) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Service, b.Service), cmp.Compare(a.Op, b.Op), cmp.Compare(a.Message, b.Message))
	})
}

func (s *memSink) byUID(uid string) (resource.Resource, bool) {
	for _, r := range s.res {
		if r.UID == uid {
			return r, true
		}
	}
	return resource.Resource{}, false
}

func (s *memSink) errKinds() map[string]resource.ErrorKind {
	out := map[string]resource.ErrorKind{}
	for _, e := range s.errs {
		out[e.Account+" "+e.Service+" "+e.Op] = e.Kind
	}
	return out
}

// newFake starts the fake endpoint over testdata/arm.
func newFake(t *testing.T) *aztest.Server {
	t.Helper()
	return aztest.New(t, filepath.Join("testdata", "arm"))
}

// collectFrom runs a collector against srv.
func collectFrom(t *testing.T, srv *aztest.Server, mod func(*Options)) (*memSink, error) {
	t.Helper()
	opts := Options{
		Credential: aztest.Credential{}, Endpoint: srv.URL, GraphEndpoint: srv.URL + aztest.GraphPrefix,
		RetryDelay: 10 * time.Millisecond, MaxRetryDelay: 5 * time.Second,
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	sink := &memSink{}
	err = c.Collect(t.Context(), sink)
	sink.sorted()
	return sink, err
}

// assertReadOnly fails when the collector sent anything but GETs and the
// two read-only POSTs.
func assertReadOnly(t *testing.T, srv *aztest.Server) {
	t.Helper()
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet || (r.Method == http.MethodPost && aztest.ReadPOST(r.Path)) {
			continue
		}
		t.Errorf("collector sent %s %s: not a read", r.Method, r.Path)
	}
}

type golden struct {
	Resources []goldenResource `json:"resources"`
	Edges     []resource.Edge  `json:"edges"`
	Errors    []collect.Error  `json:"errors"`
}

type goldenResource struct {
	resource.Resource
	Properties any `json:"properties"`
}

func TestCollectGolden(t *testing.T) {
	srv := newFake(t)
	sink, err := collectFrom(t, srv, nil)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	assertReadOnly(t, srv)
	t.Logf("%d resources, %d edges from %d HTTP requests", len(sink.res), len(sink.edges), len(srv.Requests()))
	g := golden{Edges: sink.edges, Errors: sink.errs}
	for _, r := range sink.res {
		var p any
		if err := json.Unmarshal(r.Properties, &p); err != nil {
			t.Fatalf("%s: %v", r.UID, err)
		}
		g.Resources = append(g.Resources, goldenResource{Resource: r, Properties: p})
	}
	got, err := json.MarshalIndent(g, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	// The fixtures' vault URIs point at the fake, whose port changes.
	got = bytes.ReplaceAll(got, []byte(srv.URL), []byte("{{server}}"))
	path := filepath.Join("testdata", "golden", "collect.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("collected output differs from %s (run with -update and review the diff)", path)
	}
	if len(sink.errs) != 0 {
		t.Errorf("clean fixtures gave collection errors: %v", sink.errs)
	}
	kinds := map[string]int{}
	for _, r := range sink.res {
		kinds[r.Kind]++
	}
	for _, k := range Kinds() {
		if kinds[k.Name] == 0 {
			t.Errorf("no %s collected", k.Name)
		}
	}
	// Secrets never reach a resource.
	for _, r := range sink.res {
		for _, secret := range []string{"sk_live_4eC39HqLyjWDarjtT1zdp7dcAZ", "ssh-ed25519", "InstrumentationKey="} {
			if strings.Contains(string(r.Properties), secret) {
				t.Errorf("%s stores %q", r.UID, secret)
			}
		}
	}
}

// TestCollectedMatchesSchema checks every collected document against its
// kind's schema: no undocumented property, every value of the documented
// JSON type.
func TestCollectedMatchesSchema(t *testing.T) {
	sink, err := collectFrom(t, newFake(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]resource.Kind{}
	for _, k := range Kinds() {
		kinds[k.Name] = k
	}
	for _, r := range sink.res {
		k, ok := kinds[r.Kind]
		if !ok {
			t.Errorf("%s: unknown kind %s", r.UID, r.Kind)
			continue
		}
		if k.Global != (r.Region == resource.GlobalRegion) {
			t.Errorf("%s: region %q for a kind with Global=%v", r.UID, r.Region, k.Global)
		}
		var doc any
		if err := json.Unmarshal(r.Properties, &doc); err != nil {
			t.Fatal(err)
		}
		for _, v := range schemaViolations(r.Kind, doc, k.Schema) {
			t.Error(v)
		}
	}
}

func schemaViolations(path string, v any, fs []resource.Field) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var out []string
	for key, val := range m {
		p := path + "." + key
		f, ok := field(fs, key)
		if !ok {
			out = append(out, p+": not in the schema")
			continue
		}
		want := f.Type
		if want == "any" {
			continue // documented as free-form
		}
		got := ""
		switch x := val.(type) {
		case map[string]any:
			got = "object"
			out = append(out, schemaViolations(p, x, f.Fields)...)
		case []any:
			got = "array"
			for _, el := range x {
				out = append(out, schemaViolations(p+"[]", el, f.Fields)...)
			}
		case bool:
			got = "boolean"
		case float64:
			got = "number"
			if want == "integer" && x == float64(int64(x)) {
				got = "integer"
			}
		case string:
			got = "string"
			if want == "timestamp" {
				if _, err := time.Parse(time.RFC3339, x); err == nil {
					got = "timestamp"
				}
			}
		}
		if got != want {
			out = append(out, fmt.Sprintf("%s: %s, schema says %s", p, got, want))
		}
	}
	return out
}

func TestResourceGraphPaging(t *testing.T) {
	srv := newFake(t)
	sink, err := collectFrom(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && strings.EqualFold(r.Path, "/providers/Microsoft.ResourceGraph/resources") {
			posts++
		}
	}
	if posts != 2 {
		t.Errorf("%d Resource Graph queries, want 2 (first page, then $skipToken)", posts)
	}
	// Rows of both pages arrive: the first and last IDs in KQL order.
	for _, uid := range []string{
		"/subscriptions/" + prodSub + "/resourceGroups/rg-aks-eus/providers/Microsoft.ContainerService/managedClusters/aks-acme-prod",
		"/subscriptions/" + sbxSub + "/resourceGroups/rg-sandbox-weu/providers/Microsoft.Network/virtualNetworks/vnet-sbx-weu",
	} {
		if _, ok := sink.byUID(uid); !ok {
			t.Errorf("%s not collected", uid)
		}
	}
	// ARM nextLink paging: the second page of containers.
	if _, ok := sink.byUID("/subscriptions/" + sbxSub + "/resourceGroups/rg-sandbox/providers/Microsoft.Storage/storageAccounts/acmesbxpublic/blobServices/default/containers/internal"); !ok {
		t.Error("container from the nextLink page not collected")
	}
}

func TestThrottledThenSuccess(t *testing.T) {
	srv := newFake(t)
	srv.Throttle("/providers/Microsoft.ResourceGraph/resources", 2, "1")
	start := time.Now()
	sink, err := collectFrom(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 2*time.Second {
		t.Errorf("collection took %v: Retry-After: 1 (twice) not honoured", el)
	}
	if len(sink.errs) != 0 {
		t.Errorf("errors after retried throttling: %v", sink.errs)
	}
	if len(sink.res) < 40 {
		t.Errorf("%d resources after throttling, want the full inventory", len(sink.res))
	}
}

func TestThrottledTooLongIsRecorded(t *testing.T) {
	srv := newFake(t)
	srv.Throttle("/subscriptions/"+prodSub+"/providers/Microsoft.Security/pricings", 100, "0")
	sink, err := collectFrom(t, srv, func(o *Options) { o.MaxRetries = 2 })
	if err != nil {
		t.Fatal(err)
	}
	if k := sink.errKinds()[prodSub+" subscription Microsoft.Security/pricings/read"]; k != resource.Throttled {
		t.Errorf("pricings error kind %q, want throttled; errors: %v", k, sink.errs)
	}
	sub, ok := sink.byUID("/subscriptions/" + prodSub)
	if !ok {
		t.Fatal("subscription not emitted")
	}
	if strings.Contains(string(sub.Properties), `"pricings"`) {
		t.Error("pricings present although the call failed")
	}
}

func TestDeniedSubscription(t *testing.T) {
	t.Run("discovered", func(t *testing.T) {
		srv := newFake(t)
		srv.Fail("/subscriptions/"+sbxSub, http.StatusForbidden, "AuthorizationFailed",
			"The client does not have authorization to perform action over scope '/subscriptions/"+sbxSub+"'.")
		sink, err := collectFrom(t, srv, nil)
		if err != nil {
			t.Fatal(err)
		}
		kinds := sink.errKinds()
		if kinds[sbxSub+" subscription Microsoft.Security/pricings/read"] != resource.Denied {
			t.Errorf("no denied pricings error for the sandbox: %v", sink.errs)
		}
		for _, e := range sink.errs {
			if e.Account != sbxSub || e.Kind != resource.Denied {
				t.Errorf("unexpected error %v", e)
			}
		}
		if _, ok := sink.byUID("/subscriptions/" + prodSub); !ok {
			t.Error("the scan did not go on with the production subscription")
		}
	})
	t.Run("named", func(t *testing.T) {
		srv := newFake(t)
		srv.Fail("/subscriptions/"+sbxSub, http.StatusForbidden, "AuthorizationFailed", "denied")
		sink, err := collectFrom(t, srv, func(o *Options) { o.Subscriptions = []string{prodSub, sbxSub} })
		if err != nil {
			t.Fatal(err)
		}
		if len(sink.errs) != 1 || sink.errs[0].Kind != resource.Denied || sink.errs[0].Account != sbxSub {
			t.Errorf("errors %v, want one denied error for the sandbox", sink.errs)
		}
		for _, r := range sink.res {
			if r.Account == sbxSub {
				t.Errorf("resource %s of a denied subscription", r.UID)
			}
		}
		if _, ok := sink.byUID("/subscriptions/" + prodSub); !ok {
			t.Error("production subscription missing")
		}
	})
}

func TestProviderNotRegistered(t *testing.T) {
	srv := newFake(t)
	srv.Fail("/subscriptions/"+sbxSub+"/providers/Microsoft.Security/", http.StatusConflict, "MissingSubscriptionRegistration",
		"The subscription is not registered to use namespace 'Microsoft.Security'.")
	sink, err := collectFrom(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	kinds := sink.errKinds()
	for _, op := range []string{"Microsoft.Security/pricings/read", "Microsoft.Security/securityContacts/read"} {
		if k := kinds[sbxSub+" subscription "+op]; k != resource.NotEnabled {
			t.Errorf("%s: kind %q, want not_enabled", op, k)
		}
	}
	assertReadOnly(t, srv) // no automatic provider registration
	if _, ok := sink.byUID("/subscriptions/" + sbxSub); !ok {
		t.Error("sandbox subscription not emitted")
	}
}

func TestGraphDenied(t *testing.T) {
	srv := newFake(t)
	srv.Fail(aztest.GraphPrefix+"/", http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	sink, err := collectFrom(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	// One denied error per Graph read (security defaults, authorization
	// policy, Conditional Access policies, named locations, Global
	// Administrators, group settings, MFA registration), all against the
	// tenant; ARM collection is untouched.
	if len(sink.errs) != 7 {
		t.Fatalf("errors %v, want seven denied entra errors", sink.errs)
	}
	for _, e := range sink.errs {
		if e.Service != "entra" || e.Kind != resource.Denied || e.Account != tenantID {
			t.Errorf("error %v, want a denied entra error on the tenant", e)
		}
		if !strings.Contains(e.Message, "Insufficient privileges") {
			t.Errorf("message %q lacks Graph's reason", e.Message)
		}
	}
	sub, _ := sink.byUID("/subscriptions/" + prodSub)
	if strings.Contains(string(sub.Properties), "security_defaults") {
		t.Error("security_defaults present although Graph denied")
	}
	ten, ok := sink.byUID("/tenants/" + tenantID)
	if !ok {
		t.Fatal("tenant resource not emitted")
	}
	var doc map[string]any
	if err := json.Unmarshal(ten.Properties, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"authorization_policy", "conditional_access_policies", "named_locations", "mfa_registration", "global_administrators", "group_settings", "security_defaults"} {
		if _, ok := doc[key]; ok {
			t.Errorf("tenant has %s although Graph denied it", key)
		}
	}
	for _, key := range []string{"subscription_policy", "diagnostic_settings"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("tenant lacks %s, read from ARM", key)
		}
	}
}

// TestEntraTenant checks the Microsoft Graph reads: both pages of
// Conditional Access policies and of the MFA registration report (through
// @odata.nextLink), and that only admins' names are kept.
func TestEntraTenant(t *testing.T) {
	srv := newFake(t)
	sink, err := collectFrom(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	ten, ok := sink.byUID("/tenants/" + tenantID)
	if !ok {
		t.Fatal("tenant resource not emitted")
	}
	var doc struct {
		CA  []map[string]any `json:"conditional_access_policies"`
		MFA struct {
			Users, UsersMFA, Admins, AdminsMFA int
			Missing                            []string `json:"admins_without_mfa"`
		} `json:"mfa_registration"`
		Authz map[string]any `json:"authorization_policy"`
	}
	if err := json.Unmarshal(ten.Properties, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.CA) != 3 {
		t.Errorf("%d conditional access policies, want 3 over two pages", len(doc.CA))
	}
	if len(doc.MFA.Missing) != 1 || doc.MFA.Missing[0] != "carol.admin@acme.example" {
		t.Errorf("admins without MFA %v, want [carol.admin@acme.example] from the second page", doc.MFA.Missing)
	}
	if strings.Contains(string(ten.Properties), "bob@acme.example") {
		t.Error("a non-admin user's name was stored")
	}
	if doc.Authz["allow_invites_from"] != "everyone" {
		t.Errorf("authorization policy %v", doc.Authz)
	}
}

// TestAIAndDatabases checks the AI and database enrichment: deployments
// and computes become resources with edges to their parent, deployments
// carry the content-filter policy they run under, server parameters are
// filtered to the documented ones across nextLink pages.
func TestAIAndDatabases(t *testing.T) {
	srv := newFake(t)
	sink, err := collectFrom(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertReadOnly(t, srv)
	rg := func(sub, group, typ, name string) string {
		return "/subscriptions/" + sub + "/resourceGroups/" + group + "/providers/" + typ + "/" + name
	}
	oai := rg(prodSub, "rg-ai-eus", "Microsoft.CognitiveServices/accounts", "oai-acme-prod")
	sbxAI := rg(sbxSub, "rg-sandbox", "Microsoft.CognitiveServices/accounts", "ais-acme-sbx")
	mlw := rg(prodSub, "rg-ai-eus", "Microsoft.MachineLearningServices/workspaces", "mlw-acme-prod")
	edges := map[string]bool{}
	for _, e := range sink.edges {
		edges[e.From+" "+e.Type+" "+e.To] = true
	}
	for _, want := range []string{
		oai + "/deployments/gpt-4o deployed_in " + oai,
		sbxAI + "/deployments/whisper deployed_in " + sbxAI,
		oai + " encrypted_with " + rg(prodSub, "rg-security", "Microsoft.KeyVault/vaults", "kv-acme-prod"),
		oai + " uses_storage " + rg(prodSub, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs"),
		oai + " allows_network " + rg(prodSub, "rg-network-eus", "Microsoft.Network/virtualNetworks", "vnet-prod-eus"),
		mlw + "/computes/ci-alice in_workspace " + mlw,
		mlw + " uses_storage " + rg(prodSub, "rg-monitoring", "Microsoft.Storage/storageAccounts", "acmeprodlogs"),
	} {
		if !edges[want] {
			t.Errorf("edge missing: %s", want)
		}
	}
	dep, ok := sink.byUID(sbxAI + "/deployments/gpt-4o-mini")
	if !ok {
		t.Fatal("deployment not collected")
	}
	if !strings.Contains(string(dep.Properties), `"rai_policy":{"name":"annotate-only"`) {
		t.Errorf("deployment lacks its content filter policy: %s", dep.Properties)
	}
	cluster, ok := sink.byUID(mlw + "/computes/cpu-cluster")
	if !ok {
		t.Fatal("compute cluster not collected")
	}
	if !strings.Contains(string(cluster.Properties), `"enable_node_public_ip":true`) {
		t.Errorf("compute cluster without enableNodePublicIp should default to true: %s", cluster.Properties)
	}
	pg, ok := sink.byUID(rg(prodSub, "rg-data-eus", "Microsoft.DBforPostgreSQL/flexibleServers", "pg-acme-orders"))
	if !ok {
		t.Fatal("postgres server not collected")
	}
	var doc struct {
		Configurations []struct{ Name string } `json:"configurations"`
	}
	if err := json.Unmarshal(pg.Properties, &doc); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range doc.Configurations {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "require_secure_transport,log_checkpoints,connection_throttle.enable,logfiles.retention_days,log_connections,log_disconnections,ssl_min_protocol_version" {
		t.Errorf("configurations %s", got)
	}
}

// TestKeyVaultDataPlaneDenied: a vault whose firewall refuses data-plane
// reads is a denied collection error; its ARM facts are kept and the
// data-plane fields stay absent (their checks then report ERROR).
func TestKeyVaultDataPlaneDenied(t *testing.T) {
	srv := newFake(t)
	srv.Fail("/kvdata/kv-acme-sbx/", http.StatusForbidden, "Forbidden",
		"Client address is not authorized and caller is not a trusted service. (ForbiddenByFirewall)")
	sink, err := collectFrom(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.errs) != 1 || sink.errs[0].Kind != resource.Denied || sink.errs[0].Account != sbxSub ||
		!strings.Contains(sink.errs[0].Op, "data plane") {
		t.Fatalf("errors %v, want one denied data-plane error for the sandbox vault", sink.errs)
	}
	v, ok := sink.byUID("/subscriptions/" + sbxSub + "/resourceGroups/rg-sandbox/providers/Microsoft.KeyVault/vaults/kv-acme-sbx")
	if !ok {
		t.Fatal("vault not emitted")
	}
	if strings.Contains(string(v.Properties), `"certificates"`) || !strings.Contains(string(v.Properties), `"secrets"`) {
		t.Errorf("vault properties %s: want ARM secrets kept and no certificates", v.Properties)
	}
}

type badCredential struct{}

func (badCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, errors.New("no credential available")
}

func TestNoCredentialIsFatal(t *testing.T) {
	srv := newFake(t)
	_, err := collectFrom(t, srv, func(o *Options) { o.Credential = badCredential{}; o.MaxRetries = -1 })
	if err == nil {
		t.Fatal("Collect succeeded without a credential")
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"supportsHttpsTrafficOnly":     "supports_https_traffic_only",
		"defaultToOAuthAuthentication": "default_to_o_auth_authentication",
		"enableRBAC":                   "enable_rbac",
		"adminGroupObjectIDs":          "admin_group_object_i_ds",
		"vTpmEnabled":                  "v_tpm_enabled",
		"http20Enabled":                "http20_enabled",
		"diskSizeGB":                   "disk_size_gb",
		"provisionVMAgent":             "provision_vm_agent",
		"azureADOnlyAuthentication":    "azure_ad_only_authentication",
		"authorizedIPRanges":           "authorized_ip_ranges",
		"keyvaultproperties":           "keyvaultproperties",
		"key1":                         "key1",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLooksLikeSecret(t *testing.T) {
	for _, c := range []struct {
		name, value string
		want        bool
	}{
		{"STRIPE_SECRET_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", true},
		{"DB", "Server=tcp:x.database.windows.net;User ID=a;Password=hunter2hunter2;", true},
		{"STORAGE", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc==", true},
		{"DATABASE_PASSWORD", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)", false},
		{"DATABASE_PASSWORD", "correct-horse-battery", true},
		{"FEATURE_FLAGS", "checkout-v2,search", false},
		{"APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x/", false},
		{"WEBSITE_RUN_FROM_PACKAGE", "1", false},
		{"API_TOKEN", "", false},
	} {
		if got := looksLikeSecret(c.name, c.value); got != c.want {
			t.Errorf("looksLikeSecret(%q, %q) = %v, want %v", c.name, c.value, got, c.want)
		}
	}
}
