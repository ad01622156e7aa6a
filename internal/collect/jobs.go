package collect

import (
	"context"
	"encoding/json"
	"fmt"

	"cloudward/internal/resource"
)

// Job is one independently runnable part of a collection: an (account,
// region, service) scope plus whatever non-secret facts the collector
// learned while planning it. A Job is plain JSON: it travels through a job
// queue to worker processes, which run it with their own credentials. It
// never carries credentials.
type Job struct {
	Provider resource.Provider `json:"provider"`
	Account  string            `json:"account"`
	Region   string            `json:"region"`
	Service  string            `json:"service"`
	// Data is the collector's own description of the job (for AWS: the
	// account's name, organization and enabled regions). Only the
	// collector that planned the job reads it, by decoding it: the queue
	// may reformat the document (key order, spacing).
	Data json.RawMessage `json:"data,omitempty"`
}

// Scope returns the part of the estate the job covers.
func (j Job) Scope() Scope {
	return Scope{Provider: j.Provider, Account: j.Account, Region: j.Region, Service: j.Service}
}

// String names the job for logs and errors: provider/account/region/service.
func (j Job) String() string {
	return fmt.Sprintf("%s/%s/%s/%s", j.Provider, j.Account, j.Region, j.Service)
}

// Planner is a Collector whose work can be split into Jobs and run by other
// processes. Running every planned job (in any order, on any machines, each
// into the same snapshot) yields exactly what Collect yields: the same
// resources, edges and collection errors.
type Planner interface {
	Collector
	// Plan resolves the scope (accounts, regions) and returns the jobs that
	// cover it, in a deterministic order. Failures found while planning (an
	// account whose role cannot be assumed, a region not enabled) go to
	// sink as collection errors, exactly as Collect would report them. It
	// returns an error only when nothing can be planned at all.
	Plan(ctx context.Context, sink Sink) ([]Job, error)
	// RunJob collects one planned job into sink. As with Collect, it
	// returns an error only when the job cannot go on (the sink failed, ctx
	// ended); per-scope failures go to sink.Error. A job of another
	// provider, or one this collector did not plan, is an error.
	RunJob(ctx context.Context, job Job, sink Sink) error
}
