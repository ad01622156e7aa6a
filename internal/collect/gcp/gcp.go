package gcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/sync/errgroup"
	aiplatform "google.golang.org/api/aiplatform/v1"
	apikeys "google.golang.org/api/apikeys/v2"
	bigquery "google.golang.org/api/bigquery/v2"
	cloudfunctions "google.golang.org/api/cloudfunctions/v2"
	cloudkms "google.golang.org/api/cloudkms/v1"
	crm "google.golang.org/api/cloudresourcemanager/v3"
	compute "google.golang.org/api/compute/v1"
	container "google.golang.org/api/container/v1"
	dataproc "google.golang.org/api/dataproc/v1"
	dns "google.golang.org/api/dns/v1"
	essentialcontacts "google.golang.org/api/essentialcontacts/v1"
	iam "google.golang.org/api/iam/v1"
	"google.golang.org/api/impersonate"
	logging "google.golang.org/api/logging/v2"
	monitoring "google.golang.org/api/monitoring/v3"
	notebooks "google.golang.org/api/notebooks/v2"
	"google.golang.org/api/option"
	orgpolicy "google.golang.org/api/orgpolicy/v2"
	serviceusage "google.golang.org/api/serviceusage/v1"
	sqladmin "google.golang.org/api/sqladmin/v1"
	storage "google.golang.org/api/storage/v1"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// ReadOnlyScope is the OAuth scope the collector asks for: read access to
// every Google Cloud API.
const ReadOnlyScope = "https://www.googleapis.com/auth/cloud-platform.read-only"

// Options configure a Google Cloud collector. Exactly one scope is used:
// Projects, else Folder, else Organization.
type Options struct {
	// Projects lists project IDs to scan.
	Projects []string
	// Organization is a numeric organization ID: every ACTIVE project under
	// it, in nested folders too, is scanned.
	Organization string
	// Folder is a numeric folder ID, scanned like Organization.
	Folder string
	// Endpoint, when set, is the base URL of a Google-API-speaking server
	// (an emulator, a test fake): each API is reached at
	// Endpoint/<api>/<its usual path>, e.g. Endpoint/compute/compute/v1/
	// and Endpoint/cloudresourcemanager/v3/projects/….
	Endpoint string
	// TokenSource authenticates every call; nil means Application Default
	// Credentials (or ImpersonateServiceAccount) unless
	// WithoutAuthentication is set.
	TokenSource oauth2.TokenSource
	// ImpersonateServiceAccount is the e-mail of a service account whose
	// short-lived tokens are used, minted with the ADC identity.
	ImpersonateServiceAccount string
	// WithoutAuthentication sends no credentials (emulators, tests).
	WithoutAuthentication bool
	// Transport sends the HTTP requests; nil means http.DefaultTransport.
	// The read-only guard and the retries always wrap it.
	Transport http.RoundTripper
	// MaxRetries bounds the retries of one call on 429, 5xx and transport
	// errors (default 5).
	MaxRetries int
	// RetryDelay is the first back-off without Retry-After (default 1s).
	RetryDelay time.Duration
	// MaxRetryDelay caps one wait (default 1m).
	MaxRetryDelay time.Duration
	// VertexLocations, when set, are the Vertex AI locations read in each
	// project (e.g. us-central1, europe-west4); empty means every location
	// the Vertex AI API lists for the project.
	VertexLocations []string
	// Concurrency bounds the calls in flight per project (default 8).
	Concurrency int
	// ProjectConcurrency bounds the projects collected at once (default 4).
	ProjectConcurrency int
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
}

// Collector collects Google Cloud resources from every project in scope.
// It only reads: GETs and the getIamPolicy POSTs, enforced by its HTTP
// transport (see readOnly).
type Collector struct {
	opts  Options
	log   *slog.Logger
	kinds map[string]resource.Kind
	// One REST client per service, all on the same guarded HTTP client.
	crm      *crm.Service
	cmp      *compute.Service
	gcs      *storage.Service
	iam      *iam.Service
	sql      *sqladmin.Service
	kms      *cloudkms.Service
	gke      *container.Service
	dns      *dns.Service
	logs     *logging.Service
	bq       *bigquery.Service
	mon      *monitoring.Service
	nb       *notebooks.Service
	keys     *apikeys.Service
	contacts *essentialcontacts.Service
	usage    *serviceusage.Service
	dp       *dataproc.Service
	fn       *cloudfunctions.Service
	orgpol   *orgpolicy.Service
	// ai is the global Vertex AI endpoint (locations); aiAt returns the
	// regional one each location's resources are served from.
	ai       *aiplatform.Service
	aiMu     sync.Mutex
	aiByLoc  map[string]*aiplatform.Service
	aiOption func(loc string) []option.ClientOption
}

// New builds a collector. It makes no API call; credentials are looked up
// (ADC) but first used by Collect. Options without a scope (no projects,
// folder or organization) make a collector that can only run planned jobs
// (RunJob): a distributed worker's; Collect and Plan then fail.
func New(ctx context.Context, opts Options) (*Collector, error) {
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 5
	}
	if opts.RetryDelay == 0 {
		opts.RetryDelay = time.Second
	}
	if opts.MaxRetryDelay == 0 {
		opts.MaxRetryDelay = time.Minute
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.ProjectConcurrency <= 0 {
		opts.ProjectConcurrency = 4
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := opts.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	var rt http.RoundTripper = &guard{base: base, maxRetries: opts.MaxRetries, delay: opts.RetryDelay, maxDelay: opts.MaxRetryDelay, log: log}
	if !opts.WithoutAuthentication {
		ts := opts.TokenSource
		if ts == nil && opts.ImpersonateServiceAccount != "" {
			var err error
			ts, err = impersonate.CredentialsTokenSource(ctx, impersonate.CredentialsConfig{
				TargetPrincipal: opts.ImpersonateServiceAccount, Scopes: []string{ReadOnlyScope},
			})
			if err != nil {
				return nil, fmt.Errorf("gcp impersonate %s: %w", opts.ImpersonateServiceAccount, err)
			}
		}
		if ts == nil {
			creds, err := google.FindDefaultCredentials(ctx, ReadOnlyScope)
			if err != nil {
				return nil, fmt.Errorf("application default credentials (gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS): %w", err)
			}
			ts = creds.TokenSource
		}
		rt = &oauth2.Transport{Source: ts, Base: rt}
	}
	hc := &http.Client{Transport: rt}
	endpoint := strings.TrimRight(opts.Endpoint, "/")
	o := func(api, path string) []option.ClientOption {
		out := []option.ClientOption{option.WithHTTPClient(hc), option.WithUserAgent("cloudward")}
		if endpoint != "" {
			out = append(out, option.WithEndpoint(endpoint+"/"+api+"/"+path))
		}
		return out
	}
	c := &Collector{opts: opts, log: log, kinds: map[string]resource.Kind{}}
	for _, k := range Kinds() {
		c.kinds[k.Name] = k
	}
	var err error
	if c.crm, err = crm.NewService(ctx, o("cloudresourcemanager", "")...); err != nil {
		return nil, fmt.Errorf("gcp resource manager client: %w", err)
	}
	if c.cmp, err = compute.NewService(ctx, o("compute", "compute/v1/")...); err != nil {
		return nil, fmt.Errorf("gcp compute client: %w", err)
	}
	if c.gcs, err = storage.NewService(ctx, o("storage", "storage/v1/")...); err != nil {
		return nil, fmt.Errorf("gcp storage client: %w", err)
	}
	if c.iam, err = iam.NewService(ctx, o("iam", "")...); err != nil {
		return nil, fmt.Errorf("gcp iam client: %w", err)
	}
	if c.sql, err = sqladmin.NewService(ctx, o("sqladmin", "")...); err != nil {
		return nil, fmt.Errorf("gcp sqladmin client: %w", err)
	}
	if c.kms, err = cloudkms.NewService(ctx, o("cloudkms", "")...); err != nil {
		return nil, fmt.Errorf("gcp cloudkms client: %w", err)
	}
	if c.gke, err = container.NewService(ctx, o("container", "")...); err != nil {
		return nil, fmt.Errorf("gcp container client: %w", err)
	}
	if c.dns, err = dns.NewService(ctx, o("dns", "")...); err != nil {
		return nil, fmt.Errorf("gcp dns client: %w", err)
	}
	if c.logs, err = logging.NewService(ctx, o("logging", "")...); err != nil {
		return nil, fmt.Errorf("gcp logging client: %w", err)
	}
	if c.bq, err = bigquery.NewService(ctx, o("bigquery", "bigquery/v2/")...); err != nil {
		return nil, fmt.Errorf("gcp bigquery client: %w", err)
	}
	if c.mon, err = monitoring.NewService(ctx, o("monitoring", "")...); err != nil {
		return nil, fmt.Errorf("gcp monitoring client: %w", err)
	}
	if c.nb, err = notebooks.NewService(ctx, o("notebooks", "")...); err != nil {
		return nil, fmt.Errorf("gcp notebooks client: %w", err)
	}
	if c.keys, err = apikeys.NewService(ctx, o("apikeys", "")...); err != nil {
		return nil, fmt.Errorf("gcp apikeys client: %w", err)
	}
	if c.contacts, err = essentialcontacts.NewService(ctx, o("essentialcontacts", "")...); err != nil {
		return nil, fmt.Errorf("gcp essentialcontacts client: %w", err)
	}
	if c.usage, err = serviceusage.NewService(ctx, o("serviceusage", "")...); err != nil {
		return nil, fmt.Errorf("gcp serviceusage client: %w", err)
	}
	if c.dp, err = dataproc.NewService(ctx, o("dataproc", "")...); err != nil {
		return nil, fmt.Errorf("gcp dataproc client: %w", err)
	}
	if c.fn, err = cloudfunctions.NewService(ctx, o("cloudfunctions", "")...); err != nil {
		return nil, fmt.Errorf("gcp cloudfunctions client: %w", err)
	}
	if c.orgpol, err = orgpolicy.NewService(ctx, o("orgpolicy", "")...); err != nil {
		return nil, fmt.Errorf("gcp orgpolicy client: %w", err)
	}
	if c.ai, err = aiplatform.NewService(ctx, o("aiplatform", "")...); err != nil {
		return nil, fmt.Errorf("gcp aiplatform client: %w", err)
	}
	// Vertex AI serves each location's resources from its own host,
	// LOCATION-aiplatform.googleapis.com; with Endpoint set, from
	// Endpoint/aiplatform/LOCATION/.
	c.aiByLoc = map[string]*aiplatform.Service{}
	c.aiOption = func(loc string) []option.ClientOption {
		out := []option.ClientOption{option.WithHTTPClient(hc), option.WithUserAgent("cloudward")}
		if endpoint != "" {
			return append(out, option.WithEndpoint(endpoint+"/aiplatform/"+loc+"/"))
		}
		return append(out, option.WithEndpoint("https://"+loc+"-aiplatform.googleapis.com/"))
	}
	return c, nil
}

// aiAt returns the Vertex AI client of a location, built once.
func (c *Collector) aiAt(ctx context.Context, loc string) (*aiplatform.Service, error) {
	c.aiMu.Lock()
	defer c.aiMu.Unlock()
	if s, ok := c.aiByLoc[loc]; ok {
		return s, nil
	}
	s, err := aiplatform.NewService(ctx, c.aiOption(loc)...)
	if err != nil {
		return nil, fmt.Errorf("gcp aiplatform client for %s: %w", loc, err)
	}
	c.aiByLoc[loc] = s
	return s, nil
}

// Name implements collect.Collector.
func (c *Collector) Name() string { return "gcp" }

// Kinds implements collect.Collector.
func (c *Collector) Kinds() []resource.Kind { return Kinds() }

// run is the state of one job: one project, collected by RunJob (Collect
// runs every planned job).
type run struct {
	c       *Collector
	id      string // the project's ID
	sink    collect.Sink
	mu      sync.Mutex
	pending []resource.Edge
	// saUID maps the e-mail of each service account of the project to its
	// UID; saEdges wait for the listing and are resolved at the end of the
	// job (see resolveSAEdges).
	saUID   map[string]string
	saEdges []resource.Edge
	// inheritedSinks and inheritedIAM are what the planner read of the
	// project's ancestors (nil when not known: a project scope, or an
	// ancestor that could not be read).
	inheritedSinks []any
	inheritedIAM   []any
	// vertexLocations are the Vertex AI locations the scan named (empty:
	// every location the API lists for the project).
	vertexLocations []string
}

// Collect implements collect.Collector. It returns an error only when the
// scope cannot be resolved at all (the organization or folder cannot be
// listed), ctx ends or the sink fails; every other failure is a collection
// error and the scan goes on. It plans the scan and runs every job, up to
// Options.ProjectConcurrency at once: exactly what distributed workers do
// with the same jobs (see Plan and RunJob).
func (c *Collector) Collect(ctx context.Context, sink collect.Sink) error {
	jobs, err := c.Plan(ctx, sink)
	if err != nil {
		return err
	}
	c.log.Info("gcp: collecting", "projects", len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.ProjectConcurrency)
	for _, j := range jobs {
		g.Go(func() error { return c.RunJob(gctx, j, sink) })
	}
	return g.Wait()
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
	c.log.Warn("gcp collection error", "project", account, "service", service, "op", op, "kind", kind, "error", msg)
	return sink.Error(ctx, collect.Error{
		Provider: resource.GCP, Account: account, Region: region, Service: service, Op: op, Kind: kind, Message: msg,
	})
}

// emit sends one resource whose properties doc has been shaped already.
func (r *run) emit(ctx context.Context, kind, uid, project, region, name string, tags map[string]string, created string, doc map[string]any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("gcp encode %s: %w", uid, err)
	}
	if r.c.kinds[kind].Global || region == "" {
		region = resource.GlobalRegion
	}
	if len(tags) == 0 {
		tags = nil
	}
	var at time.Time
	if created != "" {
		if t, err := time.Parse(time.RFC3339Nano, created); err == nil {
			at = t.UTC()
		}
	}
	return r.sink.Resource(ctx, resource.Resource{
		UID: uid, Provider: resource.GCP, Account: project, Region: region, Kind: kind, Name: name,
		Tags: tags, CreatedAt: at, Properties: b,
	})
}

// serviceAccount records the UID of a collected service account.
func (r *run) serviceAccount(email, uid string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.saUID[email] = uid
}

// saEdge queues an edge to the service account with this e-mail; it is
// sent only when that account was collected (in any project in scope).
func (r *run) saEdge(from, email, typ string) {
	if from == "" || email == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.saEdges = append(r.saEdges, resource.Edge{From: from, To: email, Type: typ})
}

// edge queues an edge; edges are sent after every resource so that both
// ends exist, whatever order the projects finish in.
func (r *run) edge(from, to, typ string) {
	if from == "" || to == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = append(r.pending, resource.Edge{From: from, To: to, Type: typ})
}
