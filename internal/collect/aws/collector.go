package aws

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/sync/errgroup"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// Options configure the AWS collector. The zero value scans the account of
// the default credential chain in every enabled region.
type Options struct {
	// Profile is the shared-config profile (--aws-profile); empty uses the
	// default chain (environment, shared config, SSO, IMDS/ECS roles).
	Profile string
	// Regions limits the scan to these regions; empty scans every region
	// DescribeRegions reports as enabled.
	Regions []string
	// Org lists the organization's active accounts and assumes RoleName in
	// each member account.
	Org bool
	// RoleName is the role assumed in member accounts (default
	// OrganizationAccountAccessRole).
	RoleName string
	// ExternalID is passed to AssumeRole when set.
	ExternalID string
	// SessionName is the AssumeRole session name (default cloudward).
	SessionName string
	// EndpointURL sends every API call to this endpoint (LocalStack, moto…)
	// and switches S3 to path-style addressing. AWS_ENDPOINT_URL and
	// AWS_ENDPOINT_URL_<SERVICE> are honoured as well.
	EndpointURL string
	// HomeRegion is the region used for global calls (STS, IAM,
	// Organizations, DescribeRegions); default: the profile's region, else
	// us-east-1.
	HomeRegion string
	// MaxInFlight bounds the HTTP requests in flight across the whole scan
	// (default 32).
	MaxInFlight int
	// AccountConcurrency bounds the accounts scanned at once (default 4).
	AccountConcurrency int
	// JobConcurrency bounds the (region, service) jobs run at once per
	// account (default 16).
	JobConcurrency int
	// DetailConcurrency bounds the per-resource calls (bucket settings, key
	// rotation…) run at once within one job (default 4).
	DetailConcurrency int
	// CallTimeout bounds one HTTP request, body included (default 60s);
	// it applies to the SDK's own HTTP client, not to HTTPClient.
	CallTimeout time.Duration
	// MaxAttempts is the retryer's attempt limit per call (default 8).
	MaxAttempts int
	// RetryMode is RetryModePaced (the default: the standard retryer plus
	// a pacer per account, region and service that slows down only the
	// keys AWS throttles), aws.RetryModeStandard (retries with jittered
	// backoff, the load being bounded by MaxInFlight) or
	// aws.RetryModeAdaptive (the SDK's client-side rate limiter, one per
	// service client; see docs/aws.md for why it is not the default).
	RetryMode aws.RetryMode
	// Backoff overrides the retryer's backoff (default: full jitter, up to
	// 100 ms × 2^attempt, capped at 20 s).
	Backoff retry.BackoffDelayer
	// ReportPollInterval is the wait between credential report polls
	// (default 2s).
	ReportPollInterval time.Duration
	// HTTPClient replaces the SDK's HTTP client (tests).
	HTTPClient aws.HTTPClient
	// Credentials replaces the default credential chain (tests).
	Credentials aws.CredentialsProvider
	// Logger receives progress and diagnostics; nil discards them.
	Logger *slog.Logger
}

// Collector collects AWS accounts through aws-sdk-go-v2. It implements
// collect.Collector.
type Collector struct {
	opts  Options
	log   *slog.Logger
	calls atomic.Int64
	// pacer paces calls per (account, region, service) in RetryModePaced.
	pacer *pacer
	// worker is RunJob's state: configuration and accounts resolved once
	// per process (jobs.go).
	worker jobWorker
}

// New returns a collector with opts, filling in defaults.
func New(opts Options) *Collector {
	if opts.RoleName == "" {
		opts.RoleName = "OrganizationAccountAccessRole"
	}
	if opts.SessionName == "" {
		opts.SessionName = "cloudward"
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 32
	}
	if opts.AccountConcurrency <= 0 {
		opts.AccountConcurrency = 4
	}
	if opts.JobConcurrency <= 0 {
		opts.JobConcurrency = 16
	}
	if opts.DetailConcurrency <= 0 {
		opts.DetailConcurrency = 4
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = 60 * time.Second
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.RetryMode == "" {
		opts.RetryMode = RetryModePaced
	}
	if opts.Backoff == nil {
		opts.Backoff = jitterBackoff{base: 100 * time.Millisecond, max: 20 * time.Second}
	}
	if opts.ReportPollInterval <= 0 {
		opts.ReportPollInterval = 2 * time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Collector{opts: opts, log: log, pacer: newPacer(log)}
}

// Pacing lists the (account, region, service) keys AWS throttled and the
// pace the collector settled on for each (RetryModePaced only).
func (c *Collector) Pacing() []PaceStat { return c.pacer.stats() }

// Name implements collect.Collector.
func (c *Collector) Name() string { return "aws" }

// Kinds implements collect.Collector.
func (c *Collector) Kinds() []resource.Kind { return Kinds() }

// Calls reports the HTTP requests made so far, retries included.
func (c *Collector) Calls() int64 { return c.calls.Load() }

// target is one account in scope with the configuration to reach it.
type target struct {
	id, name, email, orgID, uid string
	// mgmt is true for the organization's management account.
	mgmt      bool
	partition string
	cfg       aws.Config
}

// Collect implements collect.Collector. It fails only when no account can
// be reached at all (no credentials, organization not listable) or the sink
// fails; everything else becomes a collection error.
func (c *Collector) Collect(ctx context.Context, sink collect.Sink) error {
	base, err := c.baseConfig(ctx)
	if err != nil {
		return err
	}
	accts, err := c.accounts(ctx, base, sink)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.AccountConcurrency)
	for _, a := range accts {
		g.Go(func() error {
			scope := collect.Scope{Provider: resource.AWS, Account: a.id, Region: resource.GlobalRegion, Service: "account"}
			return collect.Guard(gctx, sink, c.log, scope, func() error { return c.collectAccount(gctx, a, sink) })
		})
	}
	err = g.Wait()
	for _, p := range c.Pacing() {
		c.log.Info("aws: paced after throttling", "account", p.Account, "region", p.Region, "service", p.Service,
			"rate", fmt.Sprintf("%.1f/s", p.Rate), "throttles", p.Throttles)
	}
	return err
}

// baseConfig loads the credential chain and wires the retryer, the
// endpoint override and the bounded HTTP client.
func (c *Collector) baseConfig(ctx context.Context) (aws.Config, error) {
	// The caller's account is not known yet: its calls are paced under ""
	// until accounts() binds the configuration to it.
	loaders := []func(*config.LoadOptions) error{config.WithRetryer(c.retryerFor(""))}
	if c.opts.Profile != "" {
		loaders = append(loaders, config.WithSharedConfigProfile(c.opts.Profile))
	}
	if c.opts.Credentials != nil {
		loaders = append(loaders, config.WithCredentialsProvider(c.opts.Credentials))
	}
	if c.opts.EndpointURL != "" {
		loaders = append(loaders, config.WithBaseEndpoint(c.opts.EndpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loaders...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load aws config: %w", err)
	}
	// Every request of the scan goes through one bound and one counter.
	next := cfg.HTTPClient
	if c.opts.HTTPClient != nil {
		next = c.opts.HTTPClient
	}
	if next == nil {
		next = awshttp.NewBuildableClient()
	}
	// A hung connection must not hang the scan: each request (body
	// included) gets CallTimeout, then the retryer and the collection
	// error take over.
	if bc, ok := next.(*awshttp.BuildableClient); ok {
		next = bc.WithTimeout(c.opts.CallTimeout)
	}
	cfg.HTTPClient = &limitedClient{next: next, sem: make(chan struct{}, c.opts.MaxInFlight), calls: &c.calls}
	if c.opts.HomeRegion != "" {
		cfg.Region = c.opts.HomeRegion
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return cfg, nil
}

// retryerFor returns the retryer factory of account's configuration: the
// SDK calls it once per service client.
func (c *Collector) retryerFor(account string) func() aws.Retryer {
	return func() aws.Retryer {
		std := func(so *retry.StandardOptions) {
			so.MaxAttempts = c.opts.MaxAttempts
			so.Backoff = c.opts.Backoff
		}
		switch c.opts.RetryMode {
		case aws.RetryModeAdaptive:
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, std)
			})
		case RetryModePaced:
			return &pacedRetryer{RetryerV2: retry.NewStandard(std), p: c.pacer, account: account}
		}
		return retry.NewStandard(std)
	}
}

// pathStyle reports whether S3 must use path-style addressing: whenever an
// endpoint is overridden, since emulators rarely serve virtual hosts.
func (c *Collector) pathStyle() bool {
	if c.opts.EndpointURL != "" {
		return true
	}
	for _, v := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"} {
		if os.Getenv(v) != "" {
			return true
		}
	}
	return false
}

// jitterBackoff is "full jitter" exponential backoff: a random wait up to
// base × 2^attempt, capped at max. The SDK default waits up to 2^attempt
// seconds, which, on top of the adaptive client-side rate limiter,
// serialises a scan that meets routine throttling.
type jitterBackoff struct{ base, max time.Duration }

func (j jitterBackoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	ceil := j.max
	if attempt < 20 {
		if d := j.base << attempt; d < ceil {
			ceil = d
		}
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1)), nil
}

// limitedClient bounds the requests in flight and counts them.
type limitedClient struct {
	next  aws.HTTPClient
	sem   chan struct{}
	calls *atomic.Int64
}

func (l *limitedClient) Do(req *http.Request) (*http.Response, error) {
	select {
	case l.sem <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	defer func() { <-l.sem }()
	l.calls.Add(1)
	return l.next.Do(req)
}

// stsAPI is every STS operation the collector calls. AssumeRole is made
// by the credential provider of member accounts.
type stsAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
	AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}

// organizationsAPI is every Organizations operation the collector calls.
type organizationsAPI interface {
	DescribeOrganization(ctx context.Context, in *organizations.DescribeOrganizationInput, optFns ...func(*organizations.Options)) (*organizations.DescribeOrganizationOutput, error)
	ListAccounts(ctx context.Context, in *organizations.ListAccountsInput, optFns ...func(*organizations.Options)) (*organizations.ListAccountsOutput, error)
	ListDelegatedAdministrators(ctx context.Context, in *organizations.ListDelegatedAdministratorsInput, optFns ...func(*organizations.Options)) (*organizations.ListDelegatedAdministratorsOutput, error)
	ListDelegatedServicesForAccount(ctx context.Context, in *organizations.ListDelegatedServicesForAccountInput, optFns ...func(*organizations.Options)) (*organizations.ListDelegatedServicesForAccountOutput, error)
	DescribeResourcePolicy(ctx context.Context, in *organizations.DescribeResourcePolicyInput, optFns ...func(*organizations.Options)) (*organizations.DescribeResourcePolicyOutput, error)
}

// accounts resolves the accounts in scope: the caller's, or every active
// account of the organization with an assumed role.
func (c *Collector) accounts(ctx context.Context, base aws.Config, sink collect.Sink) ([]*target, error) {
	var stsc stsAPI = sts.NewFromConfig(base)
	id, err := stsc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("no usable credentials (sts:GetCallerIdentity): %w", err)
	}
	self := aws.ToString(id.Account)
	base.Retryer = c.retryerFor(self)
	stsc = sts.NewFromConfig(base)
	partition := "aws"
	if p := strings.Split(aws.ToString(id.Arn), ":"); len(p) > 2 && p[1] != "" {
		partition = p[1]
	}
	var orgc organizationsAPI = organizations.NewFromConfig(base)
	var org *orgtypes.Organization
	if out, err := orgc.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err == nil {
		org = out.Organization
	} else if c.opts.Org {
		return nil, fmt.Errorf("--aws-org: organizations:DescribeOrganization: %w", err)
	} else {
		c.log.Debug("aws: no organization information", "account", self, "err", err)
	}
	accountUID := func(acct string) string {
		if org != nil {
			return fmt.Sprintf("arn:%s:organizations::%s:account/%s/%s", partition, aws.ToString(org.MasterAccountId), aws.ToString(org.Id), acct)
		}
		return fmt.Sprintf("arn:%s:iam::%s:root", partition, acct)
	}
	orgID := ""
	if org != nil {
		orgID = aws.ToString(org.Id)
	}
	isMgmt := func(acct string) bool { return org != nil && aws.ToString(org.MasterAccountId) == acct }
	if !c.opts.Org {
		return []*target{{id: self, name: self, orgID: orgID, uid: accountUID(self), mgmt: isMgmt(self), partition: partition, cfg: base}}, nil
	}
	var out []*target
	pages := organizations.NewListAccountsPaginator(orgc, &organizations.ListAccountsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("--aws-org: organizations:ListAccounts: %w", err)
		}
		for _, a := range page.Accounts {
			if a.Status != orgtypes.AccountStatusActive {
				c.log.Info("aws: skipping inactive account", "account", aws.ToString(a.Id), "status", a.Status)
				continue
			}
			acct := &target{
				id: aws.ToString(a.Id), name: aws.ToString(a.Name), email: aws.ToString(a.Email),
				orgID: orgID, uid: aws.ToString(a.Arn), mgmt: isMgmt(aws.ToString(a.Id)), partition: partition, cfg: base,
			}
			if acct.uid == "" {
				acct.uid = accountUID(acct.id)
			}
			if acct.id != self {
				acct.cfg = c.assumeRoleConfig(base, stsc, partition, acct.id)
				acct.cfg.Retryer = c.retryerFor(acct.id)
			}
			out = append(out, acct)
		}
	}
	slices.SortFunc(out, func(a, b *target) int { return strings.Compare(a.id, b.id) })
	return out, nil
}

// assumeRoleConfig returns base with credentials of the role assumed in
// member account acct (Options.RoleName).
func (c *Collector) assumeRoleConfig(base aws.Config, stsc stsAPI, partition, acct string) aws.Config {
	cfg := base.Copy()
	role := fmt.Sprintf("arn:%s:iam::%s:role/%s", partition, acct, c.opts.RoleName)
	// The cache refreshes the role's credentials before they expire, so a
	// long scan never runs on stale ones.
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(stsc, role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = c.opts.SessionName
		if c.opts.ExternalID != "" {
			o.ExternalID = aws.String(c.opts.ExternalID)
		}
	}), func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = 5 * time.Minute })
	return cfg
}

// collectAccount scans one account: credentials, regions, then every
// (region, service) job with bounded concurrency.
func (c *Collector) collectAccount(ctx context.Context, a *target, sink collect.Sink) error {
	start := time.Now()
	regions, ok, err := c.prepareAccount(ctx, a, sink)
	if err != nil || !ok {
		return err
	}
	c.log.Info("aws: scanning account", "account", a.id, "regions", len(regions))

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.JobConcurrency)
	for _, j := range accountJobs(regions) {
		g.Go(func() error { return c.runJob(gctx, a, regions, j, sink) })
	}
	err = g.Wait()
	c.log.Info("aws: account done", "account", a.id, "elapsed", time.Since(start).Round(time.Millisecond))
	return err
}

// prepareAccount checks that the account's credentials work (assuming its
// role) and lists its regions. ok is false when the account cannot be
// scanned; that is recorded as a collection error.
func (c *Collector) prepareAccount(ctx context.Context, a *target, sink collect.Sink) (regions []string, ok bool, err error) {
	acctScope := &scope{c: c, acct: a, region: resource.GlobalRegion, service: "sts", sink: sink}
	if _, err := a.cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, false, acctScope.fail(ctx, "sts:AssumeRole", err)
	}
	regions, err = c.regions(ctx, a, sink)
	if err != nil {
		return nil, false, err
	}
	return regions, true, nil
}

// accountJob is one (region, service) job of an account.
type accountJob struct {
	region, service string
	fn              func(context.Context, *scope) error
}

// accountJobs lists every job of an account scanned in regions: the global
// services, then each regional service in each region.
func accountJobs(regions []string) []accountJob {
	jobs := []accountJob{
		{resource.GlobalRegion, "account", collectAccountFacts},
		{resource.GlobalRegion, "iam", collectIAM},
		{resource.GlobalRegion, "s3", collectS3},
		{resource.GlobalRegion, "cloudfront", collectCloudFront},
	}
	for _, region := range regions {
		for _, j := range regionalJobs() {
			jobs = append(jobs, accountJob{region, j.service, j.fn})
		}
	}
	return jobs
}

// runJob runs one job of account a, a panic becoming a collection error.
func (c *Collector) runJob(ctx context.Context, a *target, regions []string, j accountJob, sink collect.Sink) error {
	s := &scope{c: c, acct: a, region: j.region, service: j.service, sink: sink, regions: regions}
	cs := collect.Scope{Provider: resource.AWS, Account: a.id, Region: j.region, Service: j.service}
	t0 := time.Now()
	defer func() {
		c.log.Debug("aws: job done", "account", a.id, "region", j.region, "service", j.service, "elapsed", time.Since(t0).Round(time.Millisecond))
	}()
	return collect.Guard(ctx, sink, c.log, cs, func() error { return j.fn(ctx, s) })
}

type regionalJob struct {
	service string
	fn      func(context.Context, *scope) error
}

func regionalJobs() []regionalJob {
	return append([]regionalJob{
		{"ec2", collectEC2},
		{"kms", collectKMS},
		{"cloudtrail", collectCloudTrail},
		{"config", collectConfig},
		{"rds", collectRDS},
		{"lambda", collectLambda},
		{"logs", collectLogs},
		{"accessanalyzer", collectAccessAnalyzer},
		{"securityhub", collectSecurityHub},
		{"cloudwatch", collectAlarms},
		{"sns", collectSNS},
		{"efs", collectEFS},
		{"sqs", collectSQS},
		{"secretsmanager", collectSecretsManager},
		{"events", collectEventBridge},
		{"glacier", collectGlacier},
		{"elasticloadbalancing", collectELBv2},
		{"apigateway", collectAPIGateway},
		{"eks", collectEKS},
		{"guardduty", collectGuardDuty},
		{"ebs", collectSnapshotsAndImages},
		{"rds-clusters", collectRDSClustersAndSnapshots},
	}, aiJobs()...)
}

// regions lists the account's enabled regions (DescribeRegions), limited to
// Options.Regions. Regions not opted in are skipped and logged; a region
// asked for explicitly but not enabled is a collection error.
func (c *Collector) regions(ctx context.Context, a *target, sink collect.Sink) ([]string, error) {
	s := &scope{c: c, acct: a, region: a.cfg.Region, service: "ec2", sink: sink}
	var api ec2RegionsAPI = ec2.NewFromConfig(a.cfg)
	out, err := describeRegions(ctx, api)
	if err != nil {
		if ferr := s.fail(ctx, "ec2:DescribeRegions", err); ferr != nil {
			return nil, ferr
		}
		// Without the list, scan what was asked for, or the home region.
		if len(c.opts.Regions) > 0 {
			return slices.Clone(c.opts.Regions), nil
		}
		return []string{a.cfg.Region}, nil
	}
	enabled := map[string]bool{}
	var all []string
	for _, r := range out.Regions {
		name := aws.ToString(r.RegionName)
		if aws.ToString(r.OptInStatus) == "not-opted-in" {
			c.log.Info("aws: skipping region not enabled in the account", "account", a.id, "region", name)
			continue
		}
		enabled[name] = true
		all = append(all, name)
	}
	if len(c.opts.Regions) == 0 {
		slices.Sort(all)
		return all, nil
	}
	var regions []string
	for _, r := range c.opts.Regions {
		if !enabled[r] {
			err := sink.Error(ctx, collect.Error{
				Provider: resource.AWS, Account: a.id, Region: r, Service: "ec2", Op: "ec2:DescribeRegions",
				Kind: collect.NotEnabled, Message: fmt.Sprintf("region %s is not enabled in account %s (or does not exist)", r, a.id),
			})
			if err != nil {
				return nil, err
			}
			continue
		}
		regions = append(regions, r)
	}
	return regions, nil
}

func describeRegions(ctx context.Context, api ec2RegionsAPI) (*ec2.DescribeRegionsOutput, error) {
	return api.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
}

// scope is one job's part of the estate and how it reports.
type scope struct {
	c       *Collector
	acct    *target
	region  string
	service string
	sink    collect.Sink
	regions []string
}

// cfg returns the account's configuration for region (the home region for
// global services).
func (s *scope) cfg(region string) aws.Config {
	cfg := s.acct.cfg.Copy()
	if region != "" && region != resource.GlobalRegion {
		cfg.Region = region
	}
	return cfg
}

// arn builds an ARN in the account's partition.
func (s *scope) arn(service, region, rest string) string {
	if region == resource.GlobalRegion {
		region = ""
	}
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", s.acct.partition, service, region, s.acct.id, rest)
}

// emit sends one resource whose properties are props.
func (s *scope) emit(ctx context.Context, kind, uid, name string, tags map[string]string, created time.Time, props any) error {
	return s.emitIn(ctx, s.region, kind, uid, name, tags, created, props)
}

func (s *scope) emitIn(ctx context.Context, region, kind, uid, name string, tags map[string]string, created time.Time, props any) error {
	raw, err := marshalProps(props)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", kind, uid, err)
	}
	if len(tags) == 0 {
		tags = nil
	}
	return s.sink.Resource(ctx, resource.Resource{
		UID: uid, Provider: resource.AWS, Account: s.acct.id, Region: region, Kind: kind,
		Name: name, Tags: tags, CreatedAt: created.UTC(), Properties: raw,
	})
}

// edge sends one edge; an empty end is skipped.
func (s *scope) edge(ctx context.Context, from, to, typ string) error {
	if from == "" || to == "" {
		return nil
	}
	return s.sink.Edge(ctx, resource.Edge{From: from, To: to, Type: typ})
}

// fail records err from op as a collection error of the scope. It returns
// an error only when the scan must stop: the context is done or the sink
// failed.
func (s *scope) fail(ctx context.Context, op string, err error) error {
	return s.failIn(ctx, s.region, op, err)
}

func (s *scope) failIn(ctx context.Context, region, op string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	kind, msg := classify(err)
	service := s.service
	if svc, _, ok := strings.Cut(op, ":"); ok {
		service = svc
	}
	s.c.log.Warn("aws: collection error", "account", s.acct.id, "region", region, "op", op, "kind", kind, "err", msg)
	return s.sink.Error(ctx, collect.Error{
		Provider: resource.AWS, Account: s.acct.id, Region: region, Service: service,
		Op: op, Kind: kind, Message: msg,
	})
}
