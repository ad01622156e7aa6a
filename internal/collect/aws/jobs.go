package aws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/sync/errgroup"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

var _ collect.Planner = (*Collector)(nil)

// jobData is what an AWS job carries beyond its scope: the account as the
// planner resolved it, and the regions scanned in it (the S3 job keeps the
// buckets of those regions only). No credentials: a worker reaches the
// account with its own, assuming Options.RoleName in member accounts.
type jobData struct {
	Name      string   `json:"name"`
	Email     string   `json:"email,omitempty"`
	OrgID     string   `json:"org_id,omitempty"`
	UID       string   `json:"uid"`
	Mgmt      bool     `json:"management,omitempty"`
	Partition string   `json:"partition"`
	Regions   []string `json:"regions"`
}

// Plan implements collect.Planner: it resolves the accounts in scope,
// checks that each can be reached and lists its regions (as Collect does),
// and returns one job per (account, region, service), accounts in ID order.
func (c *Collector) Plan(ctx context.Context, sink collect.Sink) ([]collect.Job, error) {
	base, err := c.baseConfig(ctx)
	if err != nil {
		return nil, err
	}
	accts, err := c.accounts(ctx, base, sink)
	if err != nil {
		return nil, err
	}
	perAccount := make([][]collect.Job, len(accts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.AccountConcurrency)
	for i, a := range accts {
		g.Go(func() error {
			scope := collect.Scope{Provider: resource.AWS, Account: a.id, Region: resource.GlobalRegion, Service: "account"}
			return collect.Guard(gctx, sink, c.log, scope, func() error {
				regions, ok, err := c.prepareAccount(gctx, a, sink)
				if err != nil || !ok {
					return err
				}
				data, err := json.Marshal(jobData{Name: a.name, Email: a.email, OrgID: a.orgID, UID: a.uid,
					Mgmt: a.mgmt, Partition: a.partition, Regions: regions})
				if err != nil {
					return fmt.Errorf("plan account %s: %w", a.id, err)
				}
				for _, j := range accountJobs(regions) {
					perAccount[i] = append(perAccount[i], collect.Job{
						Provider: resource.AWS, Account: a.id, Region: j.region, Service: j.service, Data: data,
					})
				}
				return nil
			})
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var jobs []collect.Job
	for _, js := range perAccount {
		jobs = append(jobs, js...)
	}
	c.log.Info("aws: scan planned", "accounts", len(accts), "jobs", len(jobs))
	return jobs, nil
}

// RunJob implements collect.Planner: it runs one planned job with this
// process's credentials.
func (c *Collector) RunJob(ctx context.Context, job collect.Job, sink collect.Sink) error {
	if job.Provider != resource.AWS {
		return fmt.Errorf("aws: job %s is not an AWS job", job)
	}
	var d jobData
	if err := json.Unmarshal(job.Data, &d); err != nil {
		return fmt.Errorf("aws: job %s: decode its data: %w", job, err)
	}
	if job.Account == "" || d.Partition == "" || d.UID == "" {
		return fmt.Errorf("aws: job %s: account, partition or account UID missing", job)
	}
	j, ok := findJob(job.Region, job.Service, d.Regions)
	if !ok {
		return fmt.Errorf("aws: job %s: no such service in this region (a job planned by another version of cloudward?)", job)
	}
	a, err := c.worker.target(ctx, c, job.Account, d)
	if err != nil {
		return fmt.Errorf("aws: job %s: %w", job, err)
	}
	return c.runJob(ctx, a, d.Regions, j, sink)
}

// findJob returns the job of service in region among those accountJobs
// plans for regions.
func findJob(region, service string, regions []string) (accountJob, bool) {
	if region != resource.GlobalRegion && !slices.Contains(regions, region) {
		return accountJob{}, false
	}
	for _, j := range accountJobs([]string{region}) {
		if j.region == region && j.service == service {
			return j, true
		}
	}
	return accountJob{}, false
}

// jobWorker is RunJob's per-process state: the base configuration and the
// caller's identity, resolved once, and one target per account, so that
// the jobs of an account share its assumed-role credentials cache.
type jobWorker struct {
	mu      sync.Mutex
	base    *aws.Config
	stsc    stsAPI
	self    string
	targets map[string]*target
}

// target returns the account of a job, reached with this process's
// credentials: directly when they are the account's own, else through
// Options.RoleName. A failure to resolve the base configuration is not
// cached: the next job tries again.
func (w *jobWorker) target(ctx context.Context, c *Collector, acct string, d jobData) (*target, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t, ok := w.targets[acct]; ok && t.name == d.Name && t.uid == d.UID {
		return t, nil
	}
	if w.base == nil {
		base, err := c.baseConfig(ctx)
		if err != nil {
			return nil, err
		}
		stsc := sts.NewFromConfig(base)
		id, err := stsc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return nil, fmt.Errorf("no usable credentials (sts:GetCallerIdentity): %w", err)
		}
		if aws.ToString(id.Account) == "" {
			return nil, errors.New("sts:GetCallerIdentity returned no account")
		}
		self := aws.ToString(id.Account)
		base.Retryer = c.retryerFor(self)
		w.base, w.stsc, w.self = &base, sts.NewFromConfig(base), self
		w.targets = map[string]*target{}
	}
	t := &target{id: acct, name: d.Name, email: d.Email, orgID: d.OrgID, uid: d.UID, mgmt: d.Mgmt,
		partition: d.Partition, cfg: *w.base}
	if acct != w.self {
		t.cfg = c.assumeRoleConfig(*w.base, w.stsc, d.Partition, acct)
		t.cfg.Retryer = c.retryerFor(acct)
	}
	w.targets[acct] = t
	return t, nil
}
