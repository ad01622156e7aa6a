package gcp

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
	crm "google.golang.org/api/cloudresourcemanager/v3"
	compute "google.golang.org/api/compute/v1"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// discover resolves the scope into ACTIVE projects: the named projects (each
// read with projects.get; a denied one is recorded and skipped), or every
// project under the folder or organization, nested folders included.
func (c *Collector) discover(ctx context.Context, sink collect.Sink) ([]*crm.Project, map[string]string, error) {
	var out []*crm.Project
	// parentOf maps each folder found to its parent (folders/… or
	// organizations/…), so that a project's ancestors are known.
	parentOf := map[string]string{}
	if len(c.opts.Projects) > 0 {
		for _, id := range c.opts.Projects {
			p, err := c.crm.Projects.Get("projects/" + id).Context(ctx).Do()
			if err != nil {
				if err := c.record(ctx, sink, id, resource.GlobalRegion, "cloudresourcemanager", "cloudresourcemanager.projects.get", err); err != nil {
					return nil, nil, err
				}
				continue
			}
			if p.State != "ACTIVE" {
				c.log.Info("gcp: skipping inactive project", "project", id, "state", p.State)
				continue
			}
			out = append(out, p)
		}
		return out, nil, nil
	}
	root := "organizations/" + c.opts.Organization
	if c.opts.Folder != "" {
		root = "folders/" + c.opts.Folder
	}
	queue := []string{root}
	for len(queue) > 0 {
		parent := queue[0]
		queue = queue[1:]
		err := c.crm.Projects.List().Parent(parent).Pages(ctx, func(l *crm.ListProjectsResponse) error {
			for _, p := range l.Projects {
				if p.State == "ACTIVE" {
					out = append(out, p)
				}
			}
			return nil
		})
		if err == nil {
			err = c.crm.Folders.List().Parent(parent).Pages(ctx, func(l *crm.ListFoldersResponse) error {
				for _, f := range l.Folders {
					if f.State == "ACTIVE" {
						queue = append(queue, f.Name)
						parentOf[f.Name] = parent
					}
				}
				return nil
			})
		}
		if err != nil {
			if parent == root {
				return nil, nil, fmt.Errorf("gcp list projects under %s: %w", root, err)
			}
			if err := c.record(ctx, sink, parent, resource.GlobalRegion, "cloudresourcemanager", "cloudresourcemanager.projects.list", err); err != nil {
				return nil, nil, err
			}
		}
	}
	slices.SortFunc(out, func(a, b *crm.Project) int { return strings.Compare(a.ProjectId, b.ProjectId) })
	parentOf[root] = ""
	return out, parentOf, nil
}

// scope is one project being collected.
type scope struct {
	r      *run
	id     string
	number string
	sem    chan struct{}
	// failed holds the services of this project with a recorded
	// collection error (or a panic): they were not read completely.
	mu     sync.Mutex
	failed map[string]bool
	// extra holds project-level facts other services read for the
	// project resource (essential_contacts, enabled_services).
	extra map[string]any
}

// call runs one API call (or one paged listing) within the project's
// concurrency bound.
func (s *scope) call(ctx context.Context, fn func() error) error {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.sem }()
	return fn()
}

// fail records a failed call of service in this project.
func (s *scope) fail(ctx context.Context, region, service, op string, err error) error {
	if region == "" {
		region = resource.GlobalRegion
	}
	s.markFailed(service)
	return s.r.c.record(ctx, s.r.sink, s.id, region, service, op, err)
}

// markFailed notes that service was not read completely in this project.
func (s *scope) markFailed(service string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed[service] = true
}

// collected returns the gcp_project "collected" document: true for each
// service of the project read without any collection error. A service
// that failed, even in part, is absent, so that a check reading
// properties.collected.<service> is ERROR rather than a false verdict.
func (s *scope) collected() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]any{}
	for _, svc := range services {
		if !s.failed[svc.name] {
			out[svc.name] = true
		}
	}
	return out
}

// services lists the collection of each service of a project, in the
// order they are started; one file per service holds each.
var services = []struct {
	name string
	fn   func(s *scope, ctx context.Context, meta chan<- *compute.Metadata) error
}{
	{"compute", (*scope).compute},
	{"iam", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.serviceAccounts(ctx) }},
	{"storage", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.buckets(ctx) }},
	{"sqladmin", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.sqlInstances(ctx) }},
	{"cloudkms", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.cryptoKeys(ctx) }},
	{"container", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.clusters(ctx) }},
	{"dns", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.managedZones(ctx) }},
	{"logging", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.logs(ctx) }},
	{"bigquery", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.datasets(ctx) }},
	{"monitoring", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.alertPolicies(ctx) }},
	{"aiplatform", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.vertexAI(ctx) }},
	{"notebooks", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error {
		return s.workbenchInstances(ctx)
	}},
	{"apikeys", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.apiKeys(ctx) }},
	{"essentialcontacts", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.essentialContacts(ctx) }},
	{"serviceusage", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.enabledServices(ctx) }},
	{"dataproc", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.dataprocClusters(ctx) }},
	{"cloudfunctions", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.functions(ctx) }},
	{"orgpolicy", func(s *scope, ctx context.Context, _ chan<- *compute.Metadata) error { return s.orgPolicies(ctx) }},
}

// project collects every service of one project at once, each behind
// collect.Guard so that a panic in one is a collection error. The project
// resource itself is emitted last, once it knows which services were read
// completely (its "collected" field).
func (r *run) project(ctx context.Context, p *crm.Project) error {
	s := &scope{r: r, id: p.ProjectId, number: strings.TrimPrefix(p.Name, "projects/"), sem: make(chan struct{}, r.c.opts.Concurrency), failed: map[string]bool{}, extra: map[string]any{}}
	// The compute service reads the project-wide metadata the project
	// resource carries; it hands it over (nil when unreadable) on meta.
	meta := make(chan *compute.Metadata, 1)
	g, gctx := errgroup.WithContext(ctx)
	for _, svc := range services {
		g.Go(func() error {
			sc := collect.Scope{Provider: resource.GCP, Account: s.id, Region: resource.GlobalRegion, Service: svc.name}
			done := false
			err := collect.Guard(gctx, r.sink, r.c.log, sc, func() error {
				err := svc.fn(s, gctx, meta)
				done = true
				return err
			})
			if !done {
				s.markFailed(svc.name)
			}
			if svc.name == "compute" {
				// Whatever happened (a panic included), the project
				// resource must not wait for metadata forever.
				select {
				case meta <- nil:
				default:
				}
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	sc := collect.Scope{Provider: resource.GCP, Account: s.id, Region: resource.GlobalRegion, Service: "cloudresourcemanager"}
	return collect.Guard(ctx, r.sink, r.c.log, sc, func() error { return s.projectResource(ctx, p, meta) })
}

// projectResource emits the gcp_project resource: projects.get, its IAM
// policy with audit configuration, and the Compute Engine project metadata.
func (s *scope) projectResource(ctx context.Context, p *crm.Project, meta <-chan *compute.Metadata) error {
	kind := s.r.c.kinds["gcp_project"]
	doc := map[string]any{
		"project_id":      p.ProjectId,
		"project_number":  s.number,
		"name":            p.DisplayName,
		"lifecycle_state": p.State,
		"create_time":     p.CreateTime,
		"labels":          labelsOrEmpty(p.Labels),
	}
	if doc["name"] == "" {
		doc["name"] = p.ProjectId
	}
	if typ, id, ok := strings.Cut(p.Parent, "/"); ok {
		doc["parent"] = map[string]any{"type": strings.TrimSuffix(typ, "s"), "id": id}
	}
	var pol *crm.Policy
	err := s.call(ctx, func() error {
		var err error
		pol, err = s.r.c.crm.Projects.GetIamPolicy(p.Name, &crm.GetIamPolicyRequest{
			Options: &crm.GetPolicyOptions{RequestedPolicyVersion: 3},
		}).Context(ctx).Do()
		return err
	})
	if err != nil {
		if err := s.fail(ctx, "", "cloudresourcemanager", "cloudresourcemanager.projects.getIamPolicy", err); err != nil {
			return err
		}
	} else if err := setShaped(doc, kind.Schema, "iam_policy", pol, policyOptional); err != nil {
		return err
	}
	select {
	case m := <-meta:
		if m != nil {
			if err := setShaped(doc, kind.Schema, "common_instance_metadata", m, paths("items")); err != nil {
				return err
			}
			redactMetadata(doc["common_instance_metadata"])
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	doc["collected"] = s.collected()
	if s.r.inheritedSinks != nil {
		doc["inherited_sinks"] = s.r.inheritedSinks
	}
	if s.r.inheritedIAM != nil {
		doc["inherited_iam_policies"] = s.r.inheritedIAM
	}
	s.mu.Lock()
	for k, v := range s.extra {
		doc[k] = v
	}
	s.mu.Unlock()
	uid := "//cloudresourcemanager.googleapis.com/projects/" + s.number
	return s.r.emit(ctx, "gcp_project", uid, s.id, "", p.ProjectId, p.Labels, p.CreateTime, doc)
}

func labelsOrEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// ancestors is what the planner learns of the folders and organization
// above the projects of an organization or folder scope, read once per
// scan and handed to each project's job.
type ancestors struct {
	// parentOf maps the organization or folder in scope and every folder
	// below it to its parent ("" for the root); nil for a project scope.
	parentOf map[string]string
	// sinksOf holds the sinks of each of them that export their
	// children's entries, absent when they could not be listed.
	sinksOf map[string][]any
	// iamOf holds the IAM policy of each of them, absent when it could
	// not be read.
	iamOf map[string]map[string]any
}

// sorted returns the organization and folders, sorted.
func (a *ancestors) sorted() []string {
	out := make([]string, 0, len(a.parentOf))
	for p := range a.parentOf {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// readIAM reads, once per scan (while planning), the IAM policy (with its
// audit configuration) of the organization or folder in scope and of every
// folder below it (organizations and folders getIamPolicy). A policy that
// cannot be read is a collection error (account folders/ID or
// organizations/ID) and the projects below it get no
// inherited_iam_policies. Nothing is read for a project scope.
func (a *ancestors) readIAM(ctx context.Context, c *Collector, sink collect.Sink) error {
	if len(a.parentOf) == 0 {
		return nil
	}
	schema := field(c.kinds["gcp_project"].Schema, "inherited_iam_policies").Fields
	a.iamOf = map[string]map[string]any{}
	req := &crm.GetIamPolicyRequest{Options: &crm.GetPolicyOptions{RequestedPolicyVersion: 3}}
	for _, parent := range a.sorted() {
		var (
			pol *crm.Policy
			err error
			op  string
		)
		if strings.HasPrefix(parent, "organizations/") {
			op = "cloudresourcemanager.organizations.getIamPolicy"
			pol, err = c.crm.Organizations.GetIamPolicy(parent, req).Context(ctx).Do()
		} else {
			op = "cloudresourcemanager.folders.getIamPolicy"
			pol, err = c.crm.Folders.GetIamPolicy(parent, req).Context(ctx).Do()
		}
		if err != nil {
			if err := c.record(ctx, sink, parent, resource.GlobalRegion, "cloudresourcemanager", op, err); err != nil {
				return err
			}
			continue
		}
		m, err := shape(pol, schema, policyOptional)
		if err != nil {
			return err
		}
		m["resource"] = parent
		a.iamOf[parent] = m
	}
	return nil
}

// inheritedIAM returns the IAM policies of every ancestor of a project's
// parent, nearest first, and whether all of them could be read (false for
// a project scope, where ancestors are not walked).
func (a *ancestors) inheritedIAM(parent string) ([]any, bool) {
	if a.iamOf == nil || parent == "" {
		return nil, false
	}
	out := []any{}
	for p := parent; p != ""; p = a.parentOf[p] {
		pol, ok := a.iamOf[p]
		if !ok {
			return nil, false
		}
		out = append(out, pol)
	}
	return out, true
}
