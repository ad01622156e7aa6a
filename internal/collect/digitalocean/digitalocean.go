package digitalocean

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
	// Concurrency bounds the services collected at once (default 4).
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
// and the kinds it produces.
type service struct {
	name string
	run  func(ctx context.Context, r *run) error
}

// services is the explicit list of what the collector reads, in order.
func services() []service {
	return []service{
		{"account", collectSSHKeys},
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
		{"spaces", collectSpaces},
		{"spaces_keys", collectSpacesKeys},
		{"cdn", collectCDN},
		{"certificates", collectCertificates},
		{"domains", collectDomains},
		{"reserved_ips", collectReservedIPs},
		{"functions", collectFunctions},
	}
}

// run is the state of one Collect call shared by the services.
type run struct {
	c       *Collector
	sink    collect.Sink
	account string

	mu sync.Mutex
	// dropletTags maps each Droplet ID to its tags, for tag-selected edges.
	dropletTags map[int][]string
	// tagEdges are edges to every Droplet carrying a tag, resolved once
	// all Droplets are known.
	tagEdges []tagEdge
	// edges holds the edges emitted so far.
	edges map[resource.Edge]bool
}

type tagEdge struct {
	from, tag, typ string
}

// Collect implements collect.Collector. It reads the account first: a token
// that cannot read its own account is a fatal error (bad token). Every other
// failure is recorded as a collection error and the rest goes on.
func (c *Collector) Collect(ctx context.Context, sink collect.Sink) error {
	acct, _, err := c.api.account.Get(ctx)
	if err != nil {
		return fmt.Errorf("read account (GET /v2/account): %s", describe(err))
	}
	team := acct.UUID
	if acct.Team != nil && acct.Team.UUID != "" {
		team = acct.Team.UUID
	}
	r := &run{c: c, sink: sink, account: team, dropletTags: map[int][]string{}, edges: map[resource.Edge]bool{}}
	if err := r.emitAccount(ctx, acct); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Concurrency)
	for _, s := range services() {
		g.Go(func() error {
			scope := collect.Scope{Provider: resource.DigitalOcean, Account: team, Region: resource.GlobalRegion, Service: s.name}
			return collect.Guard(gctx, sink, c.log, scope, func() error { return s.run(gctx, r) })
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return r.resolveTagEdges(ctx)
}

// resolveTagEdges emits the edges whose target is "every Droplet with tag T".
func (r *run) resolveTagEdges(ctx context.Context) error {
	byTag := map[string][]int{}
	for id, tags := range r.dropletTags {
		for _, t := range tags {
			byTag[t] = append(byTag[t], id)
		}
	}
	for _, te := range r.tagEdges {
		for _, id := range byTag[te.tag] {
			if err := r.edge(ctx, te.from, dropletUID(id), te.typ); err != nil {
				return err
			}
		}
	}
	return nil
}

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
