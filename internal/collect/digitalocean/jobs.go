package digitalocean

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/digitalocean/godo"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

var _ collect.Planner = (*Collector)(nil)

// jobData is what a DigitalOcean job carries beyond its scope. Only Spaces
// jobs carry anything: the buckets the planner listed in the job's region
// (ListBuckets runs once per region, at planning, so that a bucket listed by
// several regional endpoints is kept once, as in Collect). The other jobs
// need nothing but the team (Job.Account). No credentials: a worker uses
// its own token and Spaces key.
type jobData struct {
	Buckets []bucketRef `json:"buckets,omitempty"`
}

// spacesRegionSlug is what a Spaces region looks like (nyc3, fra1): the
// region of a job goes into the Spaces endpoint's host name.
var spacesRegionSlug = regexp.MustCompile(`^[a-z]{2,8}[0-9]{1,2}$`)

// Plan implements collect.Planner. It reads the account behind the token
// (failing to is the error of Plan, as it is Collect's), lists the buckets
// of every Spaces region (failures are collection errors, as in Collect),
// and returns one job per service of the team, in services() order, the
// Spaces one split into one job per region holding buckets.
func (c *Collector) Plan(ctx context.Context, sink collect.Sink) ([]collect.Job, error) {
	acct, err := c.readAccount(ctx)
	if err != nil {
		return nil, err
	}
	r := c.newJobRun(ctx, sink, accountID(acct), acct)
	regions, err := r.planSpaces(ctx)
	if err != nil {
		return nil, err
	}
	var jobs []collect.Job
	for _, s := range services() {
		if s.name != spacesService {
			jobs = append(jobs, collect.Job{Provider: resource.DigitalOcean, Account: r.account,
				Region: resource.GlobalRegion, Service: s.name})
			continue
		}
		for _, sr := range regions {
			data, err := json.Marshal(jobData{Buckets: sr.buckets})
			if err != nil {
				return nil, fmt.Errorf("digitalocean: plan spaces in %s: %w", sr.region, err)
			}
			jobs = append(jobs, collect.Job{Provider: resource.DigitalOcean, Account: r.account,
				Region: sr.region, Service: spacesService, Data: data})
		}
	}
	c.log.Info("digitalocean: scan planned", "account", r.account, "spaces_regions", len(regions), "jobs", len(jobs))
	return jobs, nil
}

// RunJob implements collect.Planner: it runs one planned job with this
// process's token and Spaces key. The token must belong to the job's
// account: the account behind it is read once per process (and again by
// the account job, which emits it), and a token of another team is an
// error, never resources filed under the wrong account.
func (c *Collector) RunJob(ctx context.Context, job collect.Job, sink collect.Sink) error {
	d, run, err := c.checkJob(job)
	if err != nil {
		return err
	}
	var (
		acct *godo.Account
		who  string
	)
	if job.Service == "account" {
		if acct, err = c.readAccount(ctx); err == nil {
			who = accountID(acct)
			c.ident.remember(who)
		}
	} else {
		who, err = c.ident.account(ctx, c)
	}
	if err != nil {
		return fmt.Errorf("digitalocean: job %s: %w", job, err)
	}
	if who != job.Account {
		return fmt.Errorf("digitalocean: job %s: this worker's token belongs to account %s, not %s", job, who, job.Account)
	}
	r := c.newJobRun(ctx, sink, job.Account, acct)
	if job.Service == spacesService {
		return r.runSpacesRegion(ctx, job.Region, d.Buckets)
	}
	return r.runService(ctx, run)
}

// checkJob validates a job before any API call: its provider, account,
// service, region and data must be ones Plan produces.
func (c *Collector) checkJob(job collect.Job) (jobData, service, error) {
	var d jobData
	if job.Provider != resource.DigitalOcean {
		return d, service{}, fmt.Errorf("digitalocean: job %s is not a DigitalOcean job", job)
	}
	if job.Account == "" {
		return d, service{}, fmt.Errorf("digitalocean: job %s: no account", job)
	}
	if len(job.Data) > 0 {
		dec := json.NewDecoder(bytes.NewReader(job.Data))
		dec.DisallowUnknownFields()
		err := dec.Decode(&d)
		if err == nil && dec.Decode(new(json.RawMessage)) != io.EOF {
			err = errors.New("more than one JSON value")
		}
		if err != nil {
			return d, service{}, fmt.Errorf("digitalocean: job %s: decode its data: %w", job, err)
		}
	}
	i := slices.IndexFunc(services(), func(s service) bool { return s.name == job.Service })
	if i < 0 {
		return d, service{}, fmt.Errorf("digitalocean: job %s: no such service (a job planned by another version of cloudward?)", job)
	}
	s := services()[i]
	if s.name != spacesService {
		if job.Region != resource.GlobalRegion {
			return d, s, fmt.Errorf("digitalocean: job %s: service %s is global, not per region", job, s.name)
		}
		if len(d.Buckets) > 0 {
			return d, s, fmt.Errorf("digitalocean: job %s: buckets in the data of a %s job", job, s.name)
		}
		return d, s, nil
	}
	if !spacesRegionSlug.MatchString(job.Region) {
		return d, s, fmt.Errorf("digitalocean: job %s: %q is not a Spaces region", job, job.Region)
	}
	if len(d.Buckets) == 0 {
		return d, s, fmt.Errorf("digitalocean: job %s: no buckets in its data", job)
	}
	for i, b := range d.Buckets {
		if b.Name == "" || strings.ContainsAny(b.Name, "/?# ") {
			return d, s, fmt.Errorf("digitalocean: job %s: bucket %d: bad name %q", job, i+1, b.Name)
		}
		if b.Created != "" {
			if _, err := time.Parse(time.RFC3339, b.Created); err != nil {
				return d, s, fmt.Errorf("digitalocean: job %s: bucket %s: creation date: %w", job, b.Name, err)
			}
		}
	}
	return d, s, nil
}

// identity is the account behind this process's token, read once by the
// first job that needs it. A failed read is not kept: the next job tries
// again.
type identity struct {
	mu sync.Mutex
	id string
}

// account returns the account behind the token, reading it if no job has.
func (i *identity) account(ctx context.Context, c *Collector) (string, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.id != "" {
		return i.id, nil
	}
	acct, err := c.readAccount(ctx)
	if err != nil {
		return "", err
	}
	i.id = accountID(acct)
	return i.id, nil
}

// remember records the account behind the token as just read.
func (i *identity) remember(id string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.id = id
}
