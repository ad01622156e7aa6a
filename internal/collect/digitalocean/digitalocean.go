package digitalocean

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/digitalocean/godo"
	"golang.org/x/sync/errgroup"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// DefaultAPIURL is the DigitalOcean API v2 base URL.
const DefaultAPIURL = "https://api.digitalocean.com/"

// DefaultSpacesEndpoint is the Spaces S3 endpoint template; {region} is
// replaced by each Spaces region's slug.
const DefaultSpacesEndpoint = "https://{region}.digitaloceanspaces.com"

// SpacesRegions lists the regions Spaces is offered in.
var SpacesRegions = []string{"nyc3", "sfo2", "sfo3", "ams3", "fra1", "sgp1", "syd1", "blr1", "lon1", "tor1", "atl1"}

// Options configure a DigitalOcean collector.
type Options struct {
	// Token is the API token (DIGITALOCEAN_TOKEN). It is sent to the API
	// and never logged or stored.
	Token string
	// APIURL overrides DefaultAPIURL (tests, proxies).
	APIURL string
	// SpacesAccessKeyID and SpacesSecretAccessKey are a Spaces access key
	// (SPACES_ACCESS_KEY_ID, SPACES_SECRET_ACCESS_KEY). Without them Spaces
	// buckets are not collected and a collection error says so.
	SpacesAccessKeyID     string
	SpacesSecretAccessKey string
	// SpacesEndpoint overrides DefaultSpacesEndpoint. Without {region} the
	// same endpoint serves every region (the region still signs requests).
	SpacesEndpoint string
	// SpacesRegions overrides the package's SpacesRegions list.
	SpacesRegions []string
	// HTTPClient is the base HTTP client; nil means a client with a 60s timeout.
	HTTPClient *http.Client
	// Logger receives progress and retry messages; nil discards them.
	Logger *slog.Logger
	// MaxAttempts bounds the attempts per API request on 429 and 5xx
	// answers (default 5).
	MaxAttempts int
	// MaxWait caps one wait between attempts (default 60s).
	MaxWait time.Duration
	// Concurrency bounds the jobs (services, Spaces regions) Collect runs
	// at once, the Spaces regions listed at once, and the buckets a Spaces
	// job reads at once (default 4).
	Concurrency int

	// sleep waits between attempts; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// Collector collects one DigitalOcean team: the team behind the token.
type Collector struct {
	opts   Options
	log    *slog.Logger
	api    api
	spaces func(region string) spacesAPI
	// ident is the account behind the token, as RunJob last read it.
	ident identity
}

// New builds a collector. It fails only on unusable options; credentials
// are checked by Collect.
func New(opts Options) (*Collector, error) {
	if opts.Token == "" {
		return nil, errors.New("digitalocean: no API token (set DIGITALOCEAN_TOKEN or use --do-token-file)")
	}
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(opts.APIURL, "/") {
		opts.APIURL += "/"
	}
	if _, err := url.Parse(opts.APIURL); err != nil {
		return nil, fmt.Errorf("API URL: %w", err)
	}
	if opts.SpacesEndpoint == "" {
		opts.SpacesEndpoint = DefaultSpacesEndpoint
	}
	if len(opts.SpacesRegions) == 0 {
		opts.SpacesRegions = SpacesRegions
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 5
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 60 * time.Second
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.sleep == nil {
		opts.sleep = sleepCtx
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := opts.HTTPClient
	if base == nil {
		base = &http.Client{Timeout: 60 * time.Second}
	}
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc := &http.Client{
		Timeout: base.Timeout,
		Transport: &retryTransport{
			base:     &tokenTransport{base: rt, token: opts.Token},
			attempts: opts.MaxAttempts, maxWait: opts.MaxWait, sleep: opts.sleep, log: log,
		},
	}
	gc, err := godo.New(hc, godo.SetBaseURL(opts.APIURL), godo.SetUserAgent("cloudward"))
	if err != nil {
		return nil, fmt.Errorf("build client: %w", err)
	}
	c := &Collector{opts: opts, log: log, api: newAPI(gc)}
	if opts.SpacesAccessKeyID != "" && opts.SpacesSecretAccessKey != "" {
		c.spaces = func(region string) spacesAPI { return newSpacesClient(opts, base, region) }
	}
	return c, nil
}

// Name implements collect.Collector.
func (c *Collector) Name() string { return "digitalocean" }

// Kinds implements collect.Collector.
func (c *Collector) Kinds() []resource.Kind { return Kinds() }

// service is one unit of collection: a godo service (or the Spaces API)
// and the kinds it produces. Each is one job of a distributed scan, except
// spaces, which is one job per Spaces region holding buckets.
type service struct {
	name string
	run  func(ctx context.Context, r *run) error
}

// spacesService is the service whose jobs are per region (see planSpaces
// and collectSpacesRegion); its entry in services has no run function.
const spacesService = "spaces"

// services is the explicit list of what the collector reads, in order.
func services() []service {
	return []service{
		{"account", collectAccount},
		{"projects", collectProjects},
		{"droplets", collectDroplets},
		{"firewalls", collectFirewalls},
		{"volumes", collectVolumes},
		{"snapshots", collectSnapshots},
		{"vpc", collectVPCs},
		{"load_balancers", collectLoadBalancers},
		{"databases", collectDatabases},
		{"kubernetes", collectKubernetes},
		{"registry", collectRegistry},
		{"apps", collectApps},
		{spacesService, nil},
		{"spaces_keys", collectSpacesKeys},
		{"cdn", collectCDN},
		{"certificates", collectCertificates},
		{"domains", collectDomains},
		{"reserved_ips", collectReservedIPs},
		{"functions", collectFunctions},
	}
}

// run is the state shared by the jobs of one Collect call, or the state of
// one RunJob call: the team, its account as read at the start, what the
// droplets are, and the edges emitted so far.
type run struct {
	c       *Collector
	sink    collect.Sink
	account string
	// acct is the account behind the token (the account job emits it).
	acct *godo.Account
	// droplets lists every Droplet once per run: Collect's droplets job
	// and its tag selectors share one listing.
	droplets func() ([]godo.Droplet, error)
	// tagged returns the IDs of the Droplets carrying a tag.
	tagged func(ctx context.Context, tag string) ([]int, error)

	mu sync.Mutex
	// edges holds the edges emitted so far.
	edges map[resource.Edge]bool
}

// tagEdge is an edge from a resource to every Droplet carrying a tag (a
// firewall's, load balancer's or database firewall rule's tag selector).
type tagEdge struct {
	from, tag, typ string
}

// newRun starts the shared state of a Collect call: tag selectors are
// resolved from the run's one listing of every Droplet.
func (c *Collector) newRun(ctx context.Context, sink collect.Sink, acct *godo.Account) *run {
	r := &run{c: c, sink: sink, account: accountID(acct), acct: acct, edges: map[resource.Edge]bool{}}
	r.droplets = sync.OnceValues(func() ([]godo.Droplet, error) { return paginate(ctx, c.api.droplets.List) })
	r.tagged = func(_ context.Context, tag string) ([]int, error) {
		all, err := r.droplets()
		if err != nil {
			return nil, err
		}
		return withTag(all, tag), nil
	}
	return r
}

// newJobRun starts the state of one job: a job that resolves tag selectors
// lists the Droplets of each tag it needs (GET /v2/droplets?tag_name=T),
// once per tag (a failure included), rather than every Droplet.
func (c *Collector) newJobRun(ctx context.Context, sink collect.Sink, account string, acct *godo.Account) *run {
	r := &run{c: c, sink: sink, account: account, acct: acct, edges: map[resource.Edge]bool{}}
	r.droplets = sync.OnceValues(func() ([]godo.Droplet, error) { return paginate(ctx, c.api.droplets.List) })
	type listing struct {
		ids []int
		err error
	}
	var (
		mu    sync.Mutex
		byTag = map[string]listing{}
	)
	r.tagged = func(ctx context.Context, tag string) ([]int, error) {
		mu.Lock()
		defer mu.Unlock()
		if l, ok := byTag[tag]; ok {
			return l.ids, l.err
		}
		ds, err := paginate(ctx, func(ctx context.Context, opt *godo.ListOptions) ([]godo.Droplet, *godo.Response, error) {
			return c.api.droplets.ListByTag(ctx, tag, opt)
		})
		l := listing{err: err}
		if err == nil {
			l.ids = withTag(ds, tag)
		}
		byTag[tag] = l
		return l.ids, l.err
	}
	return r
}

// withTag returns the IDs of the Droplets among ds that carry tag.
func withTag(ds []godo.Droplet, tag string) []int {
	var ids []int
	for _, d := range ds {
		if slices.Contains(d.Tags, tag) {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

// accountID is the account a token's resources belong to: its team, or
// the user for a token without one.
func accountID(a *godo.Account) string {
	if a.Team != nil && a.Team.UUID != "" {
		return a.Team.UUID
	}
	return a.UUID
}

// readAccount reads the account behind the token. Failing to is fatal: the
// token is unusable.
func (c *Collector) readAccount(ctx context.Context) (*godo.Account, error) {
	acct, _, err := c.api.account.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("read account (GET /v2/account): %s", describe(err))
	}
	if accountID(acct) == "" {
		return nil, errors.New("read account (GET /v2/account): the answer names no account or team")
	}
	return acct, nil
}

// Collect implements collect.Collector. It reads the account first: a token
// that cannot read its own account is a fatal error (bad token). It then
// runs the jobs Plan would plan, in this process, sharing one listing of
// the Droplets among them. Every other failure is recorded as a collection
// error and the rest goes on.
func (c *Collector) Collect(ctx context.Context, sink collect.Sink) error {
	acct, err := c.readAccount(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Concurrency)
	r := c.newRun(gctx, sink, acct)
	for _, s := range services() {
		if s.name != spacesService {
			g.Go(func() error { return r.runService(gctx, s) })
			continue
		}
		// Spaces: list the buckets of every region, then collect each
		// region holding some as its own job. A region job that finds no
		// free slot runs here (with Concurrency 1 this goroutine holds the
		// only one).
		g.Go(func() error {
			regions, err := r.planSpaces(gctx)
			if err != nil {
				return err
			}
			for _, sr := range regions {
				job := func() error { return r.runSpacesRegion(gctx, sr.region, sr.buckets) }
				if !g.TryGo(job) {
					if err := job(); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// runService runs one service's job under collect.Guard.
func (r *run) runService(ctx context.Context, s service) error {
	scope := collect.Scope{Provider: resource.DigitalOcean, Account: r.account, Region: resource.GlobalRegion, Service: s.name}
	return collect.Guard(ctx, r.sink, r.c.log, scope, func() error { return s.run(ctx, r) })
}

// runSpacesRegion runs the job of one Spaces region under collect.Guard.
func (r *run) runSpacesRegion(ctx context.Context, region string, buckets []bucketRef) error {
	scope := collect.Scope{Provider: resource.DigitalOcean, Account: r.account, Region: region, Service: spacesService}
	return collect.Guard(ctx, r.sink, r.c.log, scope, func() error { return collectSpacesRegion(ctx, r, region, buckets) })
}

// resolveTags emits the edges of a service's tag selectors: one to every
// Droplet carrying the tag. When the Droplets cannot be listed the edges
// are missing, so the failure is a collection error of svc (once).
func (r *run) resolveTags(ctx context.Context, svc string, sel []tagEdge) error {
	var failed error
	for _, te := range sel {
		ids, err := r.tagged(ctx, te.tag)
		if err != nil {
			failed = cmp.Or(failed, err)
			continue
		}
		for _, id := range ids {
			if err := r.edge(ctx, te.from, dropletUID(id), te.typ); err != nil {
				return err
			}
		}
	}
	if failed != nil {
		return r.fail(ctx, svc, "", opTaggedDroplets, failed)
	}
	return nil
}

// opTaggedDroplets is the operation of a collection error for Droplets
// selected by tag that could not be listed.
const opTaggedDroplets = "GET /v2/droplets (Droplets selected by tag)"

// emit sends one resource. props is marshalled to JSON.
func (r *run) emit(ctx context.Context, kind, uid, region, name string, tags []string, created string, props any) error {
	raw, err := json.Marshal(props)
	if err != nil {
		return fmt.Errorf("digitalocean: encode %s: %w", uid, err)
	}
	if region == "" {
		region = resource.GlobalRegion
	}
	res := resource.Resource{
		UID: uid, Provider: resource.DigitalOcean, Account: r.account, Region: region, Kind: kind,
		Name: name, Tags: mapTags(tags), Properties: raw,
	}
	if created != "" {
		if t, err := time.Parse(time.RFC3339, created); err == nil {
			res.CreatedAt = t.UTC()
		}
	}
	return r.sink.Resource(ctx, res)
}

// edge emits an edge once, however many ways it is found (an LB's Droplet
// IDs and its tag may name the same Droplet).
func (r *run) edge(ctx context.Context, from, to, typ string) error {
	e := resource.Edge{From: from, To: to, Type: typ}
	r.mu.Lock()
	dup := r.edges[e]
	r.edges[e] = true
	r.mu.Unlock()
	if dup {
		return nil
	}
	return r.sink.Edge(ctx, e)
}

// fail records a collection error for one service and operation; it returns
// an error only when the sink does.
func (r *run) fail(ctx context.Context, svc, region, op string, err error) error {
	if region == "" {
		region = resource.GlobalRegion
	}
	kind := classify(err)
	r.c.log.Warn("digitalocean collection error", "service", svc, "op", op, "kind", kind, "error", describe(err))
	return r.sink.Error(ctx, collect.Error{
		Provider: resource.DigitalOcean, Account: r.account, Region: region, Service: svc,
		Op: op, Kind: kind, Message: describe(err),
	})
}

// mapTags maps DigitalOcean tag strings to Resource.Tags by splitting each
// on its first ':'.
func mapTags(tags []string) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		k, v, _ := strings.Cut(t, ":")
		m[k] = v
	}
	return m
}

// ts formats a time as RFC 3339, empty for the zero time.
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func dropletUID(id int) string { return "do:droplet:" + strconv.Itoa(id) }

// nonNil returns s, or an empty slice for nil, so that lists are [] and not
// null in properties.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// paginate calls list for every page, following godo's links.
func paginate[T any](ctx context.Context, list func(ctx context.Context, opt *godo.ListOptions) ([]T, *godo.Response, error)) ([]T, error) {
	var out []T
	opt := &godo.ListOptions{Page: 1, PerPage: 200}
	for {
		items, resp, err := list(ctx, opt)
		if err != nil {
			return out, err
		}
		out = append(out, items...)
		if resp == nil || resp.Links == nil || resp.Links.IsLastPage() {
			return out, nil
		}
		page, err := resp.Links.CurrentPage()
		if err != nil {
			return out, fmt.Errorf("read page links: %w", err)
		}
		if page+1 <= opt.Page {
			return out, fmt.Errorf("page links do not advance (page %d)", page)
		}
		opt = &godo.ListOptions{Page: page + 1, PerPage: opt.PerPage}
	}
}

// classify maps an API error to a collection error kind.
func classify(err error) resource.ErrorKind {
	var er *godo.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch code := er.Response.StatusCode; {
		case code == http.StatusUnauthorized || code == http.StatusForbidden:
			return collect.Denied
		case code == http.StatusTooManyRequests:
			return collect.Throttled
		case code == http.StatusNotFound || code == http.StatusPreconditionFailed:
			return collect.NotEnabled
		}
		return collect.Other
	}
	return classifyS3(err)
}

// describe renders an error without request headers (the token never
// appears in godo's error text, which names method, URL, status and the
// API's message).
func describe(err error) string {
	var er *godo.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		msg := fmt.Sprintf("%d %s", er.Response.StatusCode, http.StatusText(er.Response.StatusCode))
		if er.Message != "" {
			msg += ": " + er.Message
		}
		if er.RequestID != "" {
			msg += " (request " + er.RequestID + ")"
		}
		return msg
	}
	return err.Error()
}

// isNotFound reports whether err is an API 404.
func isNotFound(err error) bool {
	var er *godo.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
