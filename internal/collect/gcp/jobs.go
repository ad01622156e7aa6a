package gcp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	crm "google.golang.org/api/cloudresourcemanager/v3"
	"google.golang.org/api/googleapi"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

var _ collect.Planner = (*Collector)(nil)

// ProjectJob is the Service of every Google Cloud job: a job collects one
// whole project (every service, then the gcp_project resource).
//
// A job is a project rather than a (project, service) pair because the
// gcp_project resource records which of the project's services were read
// completely (its "collected" field, which checks read to be ERROR rather
// than a false verdict) and carries facts several services read
// (project-wide Compute Engine metadata, essential contacts, enabled
// services, effective organization policies): splitting the services over
// jobs that run anywhere, in any order, would leave no job able to write
// it. A project's services run at once inside the job, bounded by
// Options.Concurrency, as in Collect.
const ProjectJob = "project"

// jobData is what a Google Cloud job carries beyond its scope: the project
// as the planner read it (projects.get or projects.list), what the planner
// read once per scan of its ancestors, and the Vertex AI locations the scan
// named. No credentials: a worker calls the APIs with its own.
type jobData struct {
	Project *crm.Project `json:"project"`
	// InheritedSinks and InheritedIAM are absent for a project scope, or
	// when an ancestor's sinks or policy could not be read (that failure
	// is a collection error of the planner): the project resource then
	// has no inherited_sinks or inherited_iam_policies.
	InheritedSinks *[]any `json:"inherited_sinks,omitempty"`
	InheritedIAM   *[]any `json:"inherited_iam_policies,omitempty"`
	// VertexLocations are the locations the scan limited Vertex AI to
	// (Options.VertexLocations); absent means every location the API
	// lists for the project.
	VertexLocations []string `json:"vertex_locations,omitempty"`
}

// Plan implements collect.Planner: it resolves the scope as Collect does
// (the named projects, or every ACTIVE project under the organization or
// folder), reads the sinks and IAM policies of the organization and folders
// once, and returns one job per project, in project ID order for an
// organization or folder scope, in the order named for a project scope.
// Projects that cannot be read, folders that cannot be listed and
// ancestors whose sinks or policy cannot be read are collection errors, as
// in Collect.
func (c *Collector) Plan(ctx context.Context, sink collect.Sink) ([]collect.Job, error) {
	if len(c.opts.Projects) == 0 && c.opts.Organization == "" && c.opts.Folder == "" {
		return nil, errors.New("gcp: no scope: name projects, a folder or an organization")
	}
	projects, parentOf, err := c.discover(ctx, sink)
	if err != nil {
		return nil, err
	}
	if len(projects) == 0 {
		c.log.Warn("gcp: no active project in scope")
		return nil, nil
	}
	a := &ancestors{parentOf: parentOf}
	if err := a.readSinks(ctx, c, sink); err != nil {
		return nil, err
	}
	if err := a.readIAM(ctx, c, sink); err != nil {
		return nil, err
	}
	jobs := make([]collect.Job, 0, len(projects))
	seen := map[string]bool{}
	for _, p := range projects {
		if seen[p.ProjectId] {
			continue // named twice
		}
		seen[p.ProjectId] = true
		d := jobData{Project: p, VertexLocations: c.opts.VertexLocations}
		if sinks, ok := a.inheritedSinks(p.Parent); ok {
			d.InheritedSinks = &sinks
		}
		if pols, ok := a.inheritedIAM(p.Parent); ok {
			d.InheritedIAM = &pols
		}
		data, err := json.Marshal(d)
		if err != nil {
			return nil, fmt.Errorf("gcp plan project %s: %w", p.ProjectId, err)
		}
		jobs = append(jobs, collect.Job{
			Provider: resource.GCP, Account: p.ProjectId, Region: resource.GlobalRegion, Service: ProjectJob, Data: data,
		})
	}
	c.log.Info("gcp: scan planned", "projects", len(jobs), "jobs", len(jobs))
	return jobs, nil
}

// RunJob implements collect.Planner: it collects one planned project with
// this process's credentials. Options.Projects, Organization, Folder and
// VertexLocations of this collector play no part: the job says what to
// read.
func (c *Collector) RunJob(ctx context.Context, job collect.Job, sink collect.Sink) error {
	r, p, err := c.decodeJob(job)
	if err != nil {
		return err
	}
	r.sink = sink
	if err := r.project(ctx, p); err != nil {
		return err
	}
	return r.flushEdges(ctx)
}

// decodeJob checks a job and rebuilds the run and the project it
// describes.
func (c *Collector) decodeJob(job collect.Job) (*run, *crm.Project, error) {
	if job.Provider != resource.GCP {
		return nil, nil, fmt.Errorf("gcp: job %s is not a Google Cloud job", job)
	}
	if job.Service != ProjectJob || job.Region != resource.GlobalRegion {
		return nil, nil, fmt.Errorf("gcp: job %s: no such job (Google Cloud jobs are %s/PROJECT/%s/%s; a job planned by another version of cloudward?)",
			job, resource.GCP, resource.GlobalRegion, ProjectJob)
	}
	// Numbers are kept as written (json.Number): the ancestors' policies
	// go into the project resource unchanged.
	dec := json.NewDecoder(bytes.NewReader(job.Data))
	dec.UseNumber()
	var d jobData
	if err := dec.Decode(&d); err != nil {
		return nil, nil, fmt.Errorf("gcp: job %s: decode its data: %w", job, err)
	}
	if dec.More() {
		return nil, nil, fmt.Errorf("gcp: job %s: decode its data: more than one JSON value", job)
	}
	p := d.Project
	switch {
	case p == nil:
		return nil, nil, fmt.Errorf("gcp: job %s: its data names no project", job)
	case p.ProjectId != job.Account:
		return nil, nil, fmt.Errorf("gcp: job %s: its data describes project %q", job, p.ProjectId)
	case !validProjectName(p.Name):
		return nil, nil, fmt.Errorf("gcp: job %s: project name %q is not projects/NUMBER", job, p.Name)
	}
	r := &run{c: c, id: p.ProjectId, saUID: map[string]string{}, vertexLocations: d.VertexLocations}
	if d.InheritedSinks != nil {
		r.inheritedSinks = *d.InheritedSinks
		if r.inheritedSinks == nil {
			r.inheritedSinks = []any{}
		}
	}
	if d.InheritedIAM != nil {
		r.inheritedIAM = *d.InheritedIAM
		if r.inheritedIAM == nil {
			r.inheritedIAM = []any{}
		}
	}
	return r, p, nil
}

// validProjectName reports whether name is projects/NUMBER.
func validProjectName(name string) bool {
	n, ok := strings.CutPrefix(name, "projects/")
	if !ok || n == "" {
		return false
	}
	for _, ch := range n {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	return true
}

// flushEdges sends the job's edges once every resource of the project is
// sent: the queued ones, and those to service accounts (resolveSAEdges),
// sorted.
func (r *run) flushEdges(ctx context.Context) error {
	if err := r.resolveSAEdges(ctx); err != nil {
		return err
	}
	slices.SortFunc(r.pending, func(a, b resource.Edge) int {
		return strings.Compare(a.From+" "+a.To+" "+a.Type, b.From+" "+b.To+" "+b.Type)
	})
	r.pending = slices.Compact(r.pending)
	for _, e := range r.pending {
		if err := r.sink.Edge(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// resolveSAEdges turns the queued edges to service account e-mails into
// edges to their UIDs. An account of the job's own project is known from
// its listing; another one (a resource running as an account of another
// project) is read with serviceAccounts.get, once per e-mail and job. An
// account that cannot be read (deleted, in a project the caller cannot
// see, or not an e-mail) gets no edge; a failure other than not found or
// denied is a collection error of the job's project (service iam).
func (r *run) resolveSAEdges(ctx context.Context) error {
	if len(r.saEdges) == 0 {
		return nil
	}
	emails := map[string]bool{}
	for _, e := range r.saEdges {
		if _, ok := r.saUID[e.To]; !ok && strings.Contains(e.To, "@") && !strings.Contains(e.To, "/") {
			emails[e.To] = true
		}
	}
	sorted := make([]string, 0, len(emails))
	for e := range emails {
		sorted = append(sorted, e)
	}
	slices.Sort(sorted)
	sem := make(chan struct{}, r.c.opts.Concurrency)
	uids := make([]string, len(sorted))
	errs := make([]error, len(sorted))
	var wg sync.WaitGroup
	for i, email := range sorted {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			sa, err := r.c.iam.Projects.ServiceAccounts.Get("projects/-/serviceAccounts/" + email).Context(ctx).Do()
			if err != nil {
				errs[i] = err
				return
			}
			if sa.ProjectId != "" && sa.UniqueId != "" {
				uids[i] = "//iam.googleapis.com/projects/" + sa.ProjectId + "/serviceAccounts/" + sa.UniqueId
			}
		})
	}
	wg.Wait()
	for i, email := range sorted {
		err := errs[i]
		var ge *googleapi.Error
		switch {
		case err == nil:
			if uids[i] != "" {
				r.saUID[email] = uids[i]
			}
		case errors.As(err, &ge) && (ge.Code == http.StatusNotFound || ge.Code == http.StatusForbidden):
			r.c.log.Debug("gcp: service account not readable; no edge to it", "email", email, "code", ge.Code)
		default:
			if err := r.c.record(ctx, r.sink, r.id, resource.GlobalRegion, "iam", "iam.serviceAccounts.get", err); err != nil {
				return err
			}
		}
	}
	for _, e := range r.saEdges {
		if uid, ok := r.saUID[e.To]; ok {
			r.pending = append(r.pending, resource.Edge{From: e.From, To: uid, Type: e.Type})
		}
	}
	return nil
}
