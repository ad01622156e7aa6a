package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azarm "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"
	"golang.org/x/sync/errgroup"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// DefaultEndpoint is the Azure Resource Manager endpoint of the public cloud.
const DefaultEndpoint = "https://management.azure.com"

// DefaultGraphEndpoint is the Microsoft Graph endpoint of the public cloud.
const DefaultGraphEndpoint = "https://graph.microsoft.com"

// keyVaultScope is the token scope of Key Vault data-plane reads (key
// rotation policies, certificate policies) in the public cloud.
const keyVaultScope = "https://vault.azure.net/.default"

const moduleName, moduleVersion = "cloudward/azure", "v1.0.0"

// Options configure an Azure collector.
type Options struct {
	// Credential authenticates every call; nil means DefaultAzureCredential
	// (environment, workload identity, managed identity, Azure CLI…) for
	// TenantID.
	Credential azcore.TokenCredential
	// AccessToken, when set and Credential is nil, is a bearer token
	// obtained elsewhere (az account get-access-token, an emulator) sent
	// with every call instead of DefaultAzureCredential. It is never
	// logged or stored.
	AccessToken string
	// TenantID restricts the scan to subscriptions of this Entra tenant
	// and is the tenant DefaultAzureCredential signs in to; empty means the
	// credential's home tenant and every subscription it sees.
	TenantID string
	// Subscriptions lists the subscription IDs to scan; empty means every
	// subscription the credential can see.
	Subscriptions []string
	// Endpoint overrides DefaultEndpoint (sovereign clouds, emulators,
	// tests). A plain http:// endpoint is allowed for emulators.
	Endpoint string
	// GraphEndpoint overrides DefaultGraphEndpoint.
	GraphEndpoint string
	// Transport sends the HTTP requests; nil means azcore's default.
	Transport policy.Transporter
	// MaxRetries bounds the retries of one call on 429, 5xx and transport
	// errors (default 5). Retry-After is honoured up to MaxRetryDelay.
	MaxRetries int
	// RetryDelay is the first back-off without Retry-After (default 2s).
	RetryDelay time.Duration
	// MaxRetryDelay caps one wait (default 2m); a longer Retry-After ends
	// the retries and the call is recorded as throttled.
	MaxRetryDelay time.Duration
	// Concurrency bounds the calls in flight per subscription (default 8).
	Concurrency int
	// SubscriptionConcurrency bounds the subscriptions collected at once
	// (default 4).
	SubscriptionConcurrency int
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
}

// Collector collects Azure resources from every subscription in scope. It
// only reads: ARM GETs, Microsoft Graph GETs, the Resource Graph query and
// the App Service application-settings list action.
type Collector struct {
	opts   Options
	log    *slog.Logger
	api    *api
	subs   *armsubscriptions.Client
	graph  *armresourcegraph.Client
	kinds  map[string]resource.Kind
	tenant string
	quota  *graphQuota // paces Resource Graph queries
}

// New builds a collector. It makes no call: credentials are first used by
// Collect.
func New(opts Options) (*Collector, error) {
	if opts.Endpoint == "" {
		opts.Endpoint = DefaultEndpoint
	}
	if opts.GraphEndpoint == "" {
		opts.GraphEndpoint = DefaultGraphEndpoint
	}
	opts.Endpoint = strings.TrimRight(opts.Endpoint, "/")
	opts.GraphEndpoint = strings.TrimRight(opts.GraphEndpoint, "/")
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 5
	}
	if opts.RetryDelay == 0 {
		opts.RetryDelay = 2 * time.Second
	}
	if opts.MaxRetryDelay == 0 {
		opts.MaxRetryDelay = 2 * time.Minute
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.SubscriptionConcurrency <= 0 {
		opts.SubscriptionConcurrency = 4
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	insecure := strings.HasPrefix(opts.Endpoint, "http://") || strings.HasPrefix(opts.GraphEndpoint, "http://")
	cfg := cloud.AzurePublic
	if opts.Endpoint != DefaultEndpoint {
		cfg.Services = map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: opts.Endpoint, Audience: opts.Endpoint},
		}
	}
	co := policy.ClientOptions{
		Cloud:                           cfg,
		Transport:                       opts.Transport,
		InsecureAllowCredentialWithHTTP: insecure,
		Retry: policy.RetryOptions{
			MaxRetries: int32(opts.MaxRetries), RetryDelay: opts.RetryDelay, MaxRetryDelay: opts.MaxRetryDelay,
		},
		Telemetry: policy.TelemetryOptions{ApplicationID: "cloudward"},
	}
	cred := opts.Credential
	if cred == nil && opts.AccessToken != "" {
		cred = staticToken(opts.AccessToken)
	}
	if cred == nil {
		var err error
		cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
			ClientOptions: policy.ClientOptions{Transport: opts.Transport}, TenantID: opts.TenantID,
		})
		if err != nil {
			return nil, fmt.Errorf("azure credential: %w", err)
		}
	}
	// Automatic resource-provider registration is a write: never.
	ao := &azarm.ClientOptions{ClientOptions: co, DisableRPRegistration: true}
	armc, err := azarm.NewClient(moduleName, moduleVersion, cred, ao)
	if err != nil {
		return nil, fmt.Errorf("azure arm client: %w", err)
	}
	subs, err := armsubscriptions.NewClient(cred, ao)
	if err != nil {
		return nil, fmt.Errorf("azure subscriptions client: %w", err)
	}
	rg, err := armresourcegraph.NewClient(cred, ao)
	if err != nil {
		return nil, fmt.Errorf("azure resource graph client: %w", err)
	}
	graph, err := azcore.NewClient(moduleName, moduleVersion, runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{opts.GraphEndpoint + "/.default"},
			&policy.BearerTokenOptions{InsecureAllowCredentialWithHTTP: insecure})},
	}, &co)
	if err != nil {
		return nil, fmt.Errorf("azure graph client: %w", err)
	}
	vault, err := azcore.NewClient(moduleName, moduleVersion, runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{keyVaultScope},
			&policy.BearerTokenOptions{InsecureAllowCredentialWithHTTP: insecure})},
	}, &co)
	if err != nil {
		return nil, fmt.Errorf("azure key vault client: %w", err)
	}
	kinds := map[string]resource.Kind{}
	for _, k := range Kinds() {
		kinds[k.Name] = k
	}
	return &Collector{
		opts: opts, log: log, subs: subs, graph: rg, kinds: kinds, quota: &graphQuota{now: time.Now},
		api: &api{arm: armc.Pipeline(), armURL: opts.Endpoint, graph: graph.Pipeline(), graphURL: opts.GraphEndpoint,
			vault: vault.Pipeline(), insecure: insecure},
	}, nil
}

// Name implements collect.Collector.
func (c *Collector) Name() string { return "azure" }

// Kinds implements collect.Collector.
func (c *Collector) Kinds() []resource.Kind { return Kinds() }

// subscriptionScope is one subscription in scope.
type subscriptionScope struct {
	id  string
	doc map[string]any
	tag map[string]string
}

// run is the state shared by the jobs of one Collect call, or of one
// RunJob call.
type run struct {
	c      *Collector
	sink   collect.Sink
	secDef map[string]any // Graph security defaults, nil when unreadable
	// vaults maps normalized Key Vault URIs to vault IDs (read-only while
	// jobs run).
	vaults map[string]string
	mu     sync.Mutex
	// keySources maps lower-case storage account IDs to their encryption
	// key source, for the activity log's destination account (under mu).
	keySources map[string]string
	pending    []resource.Edge // under mu
}

// Collect implements collect.Collector: it plans the scan as Plan does and
// runs every job in this process, the jobs of a subscription together
// (Options.Concurrency calls in flight), Options.SubscriptionConcurrency
// subscriptions at once. The jobs read the rows of the one bulk Resource
// Graph inventory planning made instead of querying it again. It returns an
// error only when no subscription can be listed (bad credentials) or the
// sink fails; every other failure is a collection error and the scan goes
// on.
func (c *Collector) Collect(ctx context.Context, sink collect.Sink) error {
	p, err := c.plan(ctx, sink, true)
	if err != nil {
		return err
	}
	if len(p.subs) == 0 {
		c.log.Warn("azure: no subscription in scope")
		return nil
	}
	r := &run{c: c, sink: sink, secDef: p.secDef, vaults: p.index.vaults, keySources: p.index.keySources}
	subs := map[string]subscriptionScope{}
	for _, s := range p.subs {
		subs[strings.ToLower(s.id)] = s
	}
	// The jobs of each scope (the tenant, each subscription), in plan order.
	type scope struct{ account, kind string }
	var scopes []scope
	byScope := map[scope][]collect.Job{}
	for _, j := range p.jobs {
		sc := scope{j.Account, "subscription"}
		if j.Service == svcEntra {
			sc.kind = "tenant"
		}
		if _, ok := byScope[sc]; !ok {
			scopes = append(scopes, sc)
		}
		byScope[sc] = append(byScope[sc], j)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.SubscriptionConcurrency)
	for _, sc := range scopes {
		g.Go(func() error {
			s := subs[strings.ToLower(sc.account)]
			if sc.kind == "tenant" {
				s = subscriptionScope{id: sc.account}
			}
			var tasks []task
			for _, j := range byScope[sc] {
				ts, err := r.jobTasks(gctx, j.Service, s, p.rows[strings.ToLower(j.Account)])
				if err != nil {
					return err
				}
				tasks = append(tasks, ts...)
			}
			return r.runTasks(gctx, sc.account, tasks)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return r.flushEdges(ctx)
}

// subscriptions resolves the scope: the given subscription IDs (each read
// with a GET, a denied one recorded and skipped) or every subscription the
// credential lists.
func (c *Collector) subscriptions(ctx context.Context, sink collect.Sink) ([]subscriptionScope, error) {
	var out []subscriptionScope
	add := func(s *armsubscriptions.Subscription) {
		if s == nil || s.SubscriptionID == nil {
			return
		}
		if c.opts.TenantID != "" && s.TenantID != nil && !strings.EqualFold(*s.TenantID, c.opts.TenantID) {
			return
		}
		out = append(out, subscriptionDoc(s))
	}
	if len(c.opts.Subscriptions) > 0 {
		seen := map[string]bool{}
		for _, id := range c.opts.Subscriptions {
			if seen[strings.ToLower(id)] {
				continue
			}
			seen[strings.ToLower(id)] = true
			resp, err := c.subs.Get(ctx, id, nil)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if err := c.record(ctx, sink, id, resource.GlobalRegion, "subscription", "Microsoft.Resources/subscriptions/read", err); err != nil {
					return nil, err
				}
				continue
			}
			add(&resp.Subscription)
		}
		return out, nil
	}
	pager := c.subs.NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("azure list subscriptions: %w", err)
		}
		for _, s := range page.Value {
			add(s)
		}
	}
	slices.SortFunc(out, func(a, b subscriptionScope) int { return strings.Compare(a.id, b.id) })
	return out, nil
}

func subscriptionDoc(s *armsubscriptions.Subscription) subscriptionScope {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	doc := map[string]any{
		"subscription_id": str(s.SubscriptionID),
		"tenant_id":       str(s.TenantID),
		"display_name":    str(s.DisplayName),
	}
	if s.State != nil {
		doc["state"] = string(*s.State)
	}
	if p := s.SubscriptionPolicies; p != nil {
		sp := map[string]any{"location_placement_id": str(p.LocationPlacementID), "quota_id": str(p.QuotaID)}
		if p.SpendingLimit != nil {
			sp["spending_limit"] = string(*p.SpendingLimit)
		}
		doc["subscription_policies"] = sp
	}
	tags := map[string]string{}
	for k, v := range s.Tags {
		if v != nil {
			tags[k] = *v
		}
	}
	return subscriptionScope{id: str(s.SubscriptionID), doc: doc, tag: tags}
}

// record turns a failed call into a collection error. It returns an error
// only when ctx is done or the sink fails.
func (c *Collector) record(ctx context.Context, sink collect.Sink, account, region, service, op string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	kind, msg := classify(err)
	c.log.Warn("azure collection error", "subscription", account, "service", service, "op", op, "kind", kind, "error", msg)
	return sink.Error(ctx, collect.Error{
		Provider: resource.Azure, Account: account, Region: region, Service: service, Op: op, Kind: kind, Message: msg,
	})
}

// emit sends one resource whose properties doc has been shaped already.
func (r *run) emit(ctx context.Context, kind, uid, sub, region, name string, tags map[string]string, created time.Time, doc map[string]any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("azure encode %s: %w", uid, err)
	}
	if r.c.kinds[kind].Global {
		region = resource.GlobalRegion
	}
	if len(tags) == 0 {
		tags = nil
	}
	return r.sink.Resource(ctx, resource.Resource{
		UID: uid, Provider: resource.Azure, Account: sub, Region: region, Kind: kind, Name: name,
		Tags: tags, CreatedAt: created, Properties: b,
	})
}

// edge queues an edge; edges are sent after every resource so that both
// ends exist, whatever order the subscriptions finish in.
func (r *run) edge(from, to, typ string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = append(r.pending, resource.Edge{From: from, To: to, Type: typ})
}

// flushEdges sends the queued edges.
func (r *run) flushEdges(ctx context.Context) error {
	r.mu.Lock()
	pending := r.pending
	r.pending = nil
	r.mu.Unlock()
	for _, e := range pending {
		if err := r.sink.Edge(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// staticToken is a credential that hands out one pre-obtained token.
type staticToken string

// GetToken implements azcore.TokenCredential.
func (t staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(t), ExpiresOn: time.Now().Add(time.Hour)}, nil
}
