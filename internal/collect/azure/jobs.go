package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

var _ collect.Planner = (*Collector)(nil)

// The services of the jobs that do not come from Resource Graph rows. Every
// other job's service is the Service of the kinds whose Resource Graph types
// it collects (storage, compute, network…).
const (
	// svcEntra is the tenant's job: Microsoft Graph and tenant-scope ARM
	// reads (azure_entra_tenant). Its account is the tenant ID.
	svcEntra = "entra"
	// svcSubscription is a subscription's own facts (azure_subscription):
	// Defender plans, contacts, diagnostic settings, role and policy
	// assignments at its scope.
	svcSubscription = "subscription"
	// svcAuthorization is a subscription's custom RBAC roles
	// (azure_role_definition).
	svcAuthorization = "authorization"
)

// jobData is what an Azure job carries beyond its scope: the non-secret
// facts the planner read once for every job that needs them. No
// credentials: a worker signs in with its own.
type jobData struct {
	// SecurityDefaults is the tenant's Entra security defaults policy as
	// read once by the planner (entra and subscription jobs; absent when it
	// could not be read, then the planner recorded the error).
	SecurityDefaults map[string]any `json:"security_defaults,omitempty"`
	// Subscription is the subscription as the planner listed it (display
	// name, tenant, state, policies), for the subscription job.
	Subscription map[string]any `json:"subscription,omitempty"`
	// Tags are the subscription's tags, for the subscription job.
	Tags map[string]string `json:"tags,omitempty"`
	// Vaults maps the Key Vault URIs (normalized) that the job's
	// resources use for customer-managed keys to the vaults' IDs, for
	// those vaults in scope: a resource job reads only its own rows, and
	// the vault may be in another subscription.
	Vaults map[string]string `json:"vaults,omitempty"`
}

// planned is what planning learns: the scope, the tenant-wide facts, the
// index of the bulk inventory, the jobs, and (for Collect only) the
// inventory's rows.
type planned struct {
	subs   []subscriptionScope
	secDef map[string]any
	rows   map[string][]map[string]any // by lower-case subscription ID
	index  rowIndex
	jobs   []collect.Job
}

// plan resolves the scope exactly as Collect needs it: the subscriptions,
// the tenant's security defaults and the Resource Graph inventory, each
// read once, their failures recorded to sink. Then it lists the jobs: the
// tenant's (when known), then for each subscription in order its
// subscription and authorization jobs and one job per service that has
// resources in it, services sorted. The inventory's rows are kept only
// when keepRows is set (Collect runs the jobs on them; a distributed job
// queries its own): the planner of a distributed scan holds per row only
// the customer-managed keys' vault URIs.
func (c *Collector) plan(ctx context.Context, sink collect.Sink, keepRows bool) (*planned, error) {
	subs, err := c.subscriptions(ctx, sink)
	if err != nil {
		return nil, err
	}
	p := &planned{subs: subs, rows: map[string][]map[string]any{}, index: newRowIndex()}
	if len(subs) == 0 {
		return p, nil
	}
	r := &run{c: c, sink: sink}
	if err := r.securityDefaults(ctx, subs); err != nil {
		return nil, err
	}
	p.secDef = r.secDef
	// What each subscription's rows tell the plan: the services present and
	// the vault URIs of each service's customer-managed keys.
	services := map[string]map[string]map[string]bool{} // sub → service → vault URIs
	err = r.inventoryEach(ctx, subs, allGraphTypes(), "resourcegraph", func(sub string, row map[string]any) {
		if keepRows {
			p.rows[sub] = append(p.rows[sub], row)
			p.index.add(row)
		} else {
			p.index.addVault(row) // key sources serve Collect only
		}
		kind, ok := rowKind(row)
		if !ok {
			return
		}
		svc := c.kinds[kind].Service
		if services[sub] == nil {
			services[sub] = map[string]map[string]bool{}
		}
		if services[sub][svc] == nil {
			services[sub][svc] = map[string]bool{}
		}
		if cmkKinds[kind] {
			if uri := vaultKey(cmkVaultURI(kind, project(row, c.kinds[kind].Schema))); uri != "" {
				services[sub][svc][uri] = true
			}
		}
	})
	if err != nil {
		return nil, err
	}
	job := func(account, service string, d jobData) error {
		b, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("azure plan: encode job data: %w", err)
		}
		j := collect.Job{Provider: resource.Azure, Account: account, Region: resource.GlobalRegion, Service: service}
		if string(b) != "{}" { // else the job needs no data
			j.Data = b
		}
		p.jobs = append(p.jobs, j)
		return nil
	}
	if tenant := c.tenantOf(subs); tenant != "" {
		if err := job(tenant, svcEntra, jobData{SecurityDefaults: p.secDef}); err != nil {
			return nil, err
		}
	}
	for _, s := range subs {
		if err := job(s.id, svcSubscription, jobData{SecurityDefaults: p.secDef, Subscription: s.doc, Tags: s.tag}); err != nil {
			return nil, err
		}
		if err := job(s.id, svcAuthorization, jobData{}); err != nil {
			return nil, err
		}
		// One job per service with resources here, with the vaults (in
		// scope) its resources' customer-managed keys live in.
		inSub := services[strings.ToLower(s.id)]
		for _, svc := range slices.Sorted(maps.Keys(inSub)) {
			var d jobData
			for uri := range inSub[svc] {
				if id := p.index.vaults[uri]; id != "" {
					if d.Vaults == nil {
						d.Vaults = map[string]string{}
					}
					d.Vaults[uri] = id
				}
			}
			if err := job(s.id, svc, d); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// Plan implements collect.Planner. It resolves the scope as Collect does
// (the subscriptions, the tenant's security defaults, the Resource Graph
// inventory; their failures go to sink as the same collection errors) and
// returns one job for the tenant (Microsoft Graph and tenant-scope ARM,
// planned once however many subscriptions the tenant has), then per
// subscription, in order, a subscription job, an authorization job and one
// job per service that has resources in the subscription. Every job's
// region is "global": a job covers its service in every location.
func (c *Collector) Plan(ctx context.Context, sink collect.Sink) ([]collect.Job, error) {
	p, err := c.plan(ctx, sink, false)
	if err != nil {
		return nil, err
	}
	if len(p.subs) == 0 {
		c.log.Warn("azure: no subscription in scope")
	}
	c.log.Info("azure: scan planned", "subscriptions", len(p.subs), "jobs", len(p.jobs))
	return p.jobs, nil
}

// RunJob implements collect.Planner: it runs one planned job with this
// process's credentials. A resource job queries Resource Graph for its own
// subscription and service.
func (c *Collector) RunJob(ctx context.Context, job collect.Job, sink collect.Sink) error {
	if job.Provider != resource.Azure {
		return fmt.Errorf("azure: job %s is not an Azure job", job)
	}
	var d jobData
	if len(job.Data) > 0 {
		if err := json.Unmarshal(job.Data, &d); err != nil {
			return fmt.Errorf("azure: job %s: decode its data: %w", job, err)
		}
	}
	if !validID(job.Account) {
		return fmt.Errorf("azure: job %s: account %q is not a subscription or tenant ID", job, job.Account)
	}
	if job.Region != resource.GlobalRegion {
		return fmt.Errorf("azure: job %s: region %q: Azure jobs are planned for the global region", job, job.Region)
	}
	s := subscriptionScope{id: job.Account}
	r := &run{c: c, sink: sink, secDef: d.SecurityDefaults, vaults: map[string]string{}, keySources: map[string]string{}}
	var rows []map[string]any
	switch job.Service {
	case svcEntra:
		// Microsoft Graph answers for the tenant the credential signs in
		// to: a worker bound to another tenant must not read it.
		if c.opts.TenantID != "" && !strings.EqualFold(c.opts.TenantID, job.Account) {
			return fmt.Errorf("azure: job %s: this process signs in to tenant %s, not the job's", job, c.opts.TenantID)
		}
	case svcAuthorization:
	case svcSubscription:
		if d.Subscription == nil {
			return fmt.Errorf("azure: job %s: the subscription's facts are missing from its data", job)
		}
		if id := str(d.Subscription["subscription_id"]); !strings.EqualFold(id, job.Account) {
			return fmt.Errorf("azure: job %s: its data describes subscription %q", job, id)
		}
		s.doc, s.tag = d.Subscription, d.Tags
	default:
		types := serviceTypes(c.kinds, job.Service)
		if len(types) == 0 {
			return fmt.Errorf("azure: job %s: no such service (a job planned by another version of cloudward?)", job)
		}
		for uri, id := range d.Vaults {
			r.vaults[vaultKey(uri)] = id
		}
		err := r.inventoryEach(ctx, []subscriptionScope{s}, types, job.Service, func(_ string, row map[string]any) {
			rows = append(rows, row)
		})
		if err != nil {
			return err
		}
	}
	tasks, err := r.jobTasks(ctx, job.Service, s, rows)
	if err != nil {
		return err
	}
	if err := r.runTasks(ctx, job.Account, tasks); err != nil {
		return err
	}
	return r.flushEdges(ctx)
}

// jobTasks returns the tasks of one job: service in the subscription s (or,
// for the entra job, the tenant whose ID is s.id). rows are the
// subscription's Resource Graph rows; a resource job keeps those of its
// service. A storage job first lists the subscription's management locks,
// which its accounts report.
func (r *run) jobTasks(ctx context.Context, service string, s subscriptionScope, rows []map[string]any) ([]task, error) {
	switch service {
	case svcEntra:
		return []task{{svcEntra, resource.GlobalRegion, func(ctx context.Context) error { return r.entraTenant(ctx, s.id) }}}, nil
	case svcSubscription:
		return []task{{svcSubscription, resource.GlobalRegion, func(ctx context.Context) error { return r.subscriptionFacts(ctx, s) }}}, nil
	case svcAuthorization:
		return []task{{svcAuthorization, resource.GlobalRegion, func(ctx context.Context) error { return r.roleDefinitions(ctx, s.id) }}}, nil
	}
	var tasks []task
	var locks *lockSet
	lockedKinds := false
	for _, row := range rows {
		kind, ok := rowKind(row)
		if !ok || r.c.kinds[kind].Service != service {
			continue
		}
		if kind == "azure_storage_account" && !lockedKinds {
			lockedKinds = true
			var err error
			if locks, err = r.subscriptionLocks(ctx, s.id); err != nil {
				return nil, err
			}
		}
		tasks = append(tasks, task{service, regionOf(row), func(ctx context.Context) error { return r.row(ctx, s.id, kind, row, locks) }})
	}
	return tasks, nil
}

// runTasks runs tasks of the scope account (a subscription or the tenant)
// with at most Options.Concurrency at once, each under collect.Guard.
func (r *run) runTasks(ctx context.Context, account string, tasks []task) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.c.opts.Concurrency)
	for _, t := range tasks {
		g.Go(func() error {
			scope := collect.Scope{Provider: resource.Azure, Account: account, Region: t.region, Service: t.service}
			return collect.Guard(gctx, r.sink, r.c.log, scope, func() error { return t.fn(gctx) })
		})
	}
	return g.Wait()
}

// rowKind returns the kind of a Resource Graph row.
func rowKind(row map[string]any) (string, bool) {
	t, _ := row["type"].(string)
	kind, ok := graphTypes[strings.ToLower(t)]
	return kind, ok
}

// serviceTypes returns the Resource Graph types of the kinds of service.
func serviceTypes(kinds map[string]resource.Kind, service string) []string {
	var out []string
	for t, kind := range graphTypes {
		if kinds[kind].Service == service {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// cmkKinds are the kinds whose customer-managed key cmkVaultURI finds.
var cmkKinds = map[string]bool{"azure_storage_account": true, "azure_cognitive_services_account": true}

// cmkVaultURI returns the Key Vault URI of the customer-managed key a
// resource document of kind (shaped by project) is encrypted with, or "".
func cmkVaultURI(kind string, doc map[string]any) string {
	p, _ := doc["properties"].(map[string]any)
	enc, _ := p["encryption"].(map[string]any)
	switch kind {
	case "azure_storage_account":
		kv, _ := enc["keyvaultproperties"].(map[string]any)
		return str(kv["keyvaulturi"])
	case "azure_cognitive_services_account":
		kv, _ := enc["key_vault_properties"].(map[string]any)
		return str(kv["key_vault_uri"])
	}
	return ""
}

// validID reports whether id can be a subscription or tenant ID (or a
// tenant's domain name): it goes into ARM paths, so no path separators.
func validID(id string) bool {
	if id == "" || len(id) > 253 {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
		default:
			return false
		}
	}
	return id != "." && id != ".."
}
