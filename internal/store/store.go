// Package store keeps snapshots: one scan's resources, edges, collection
// errors and findings. Backends (sqlite, later postgres) implement Store and
// pass the storetest conformance suite.
package store

import (
	"context"
	"errors"
	"iter"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// ErrNotFound is returned when a snapshot does not exist.
var ErrNotFound = errors.New("not found")

// ErrReadOnly is returned by Query when the statement would write, or is not
// a single read-only statement.
var ErrReadOnly = errors.New("only a single read-only statement is allowed")

// Status is a snapshot's state.
type Status string

// Snapshot states. Only complete snapshots are listed by Snapshots and Latest;
// a running snapshot left behind by a crash becomes failed when the store is
// next opened, and its rows are removed.
const (
	Running  Status = "running"
	Complete Status = "complete"
	Failed   Status = "failed"
)

// Snapshot describes one scan.
type Snapshot struct {
	ID         int64     `json:"id"`
	Scope      string    `json:"scope"` // human-readable, e.g. "demo (seed 1, 500 resources)"
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Status     Status    `json:"status"`
	Resources  int64     `json:"resources"`
	Edges      int64     `json:"edges"`
	Errors     int64     `json:"errors"`
	Findings   int64     `json:"findings"`
}

// ResourceFilter selects resources; empty fields match everything.
type ResourceFilter struct {
	Provider resource.Provider
	Account  string
	Region   string
	Kinds    []string
	// UIDs, when not empty, keeps only the resources with these UIDs (a
	// lookup of a few known resources; any number may be given).
	UIDs []string
}

// EdgeFilter selects edges; empty fields match everything. ToKinds and
// FromKinds keep edges whose target (or source) resource has one of the kinds.
type EdgeFilter struct {
	FromKinds []string
	ToKinds   []string
}

// FindingFilter selects findings; empty fields match everything.
type FindingFilter struct {
	Statuses    []finding.Status
	MinSeverity finding.Severity
	CheckIDs    []string
}

// Store is a snapshot store. All methods are safe for concurrent use.
type Store interface {
	// Begin starts a snapshot. Its rows may be written in many batches, but
	// it is listed only once Commit succeeds.
	Begin(ctx context.Context, scope string, started time.Time) (Writer, error)
	// Snapshots lists complete snapshots, newest first.
	Snapshots(ctx context.Context) ([]Snapshot, error)
	// Snapshot returns one snapshot by ID, in any state.
	Snapshot(ctx context.Context, id int64) (Snapshot, error)
	// Latest returns the newest complete snapshot, or ErrNotFound.
	Latest(ctx context.Context) (Snapshot, error)
	// Resources streams a snapshot's resources (also while it is running, so
	// the engine can evaluate before Commit), ordered by account then UID.
	Resources(ctx context.Context, snapshot int64, f ResourceFilter) iter.Seq2[resource.Resource, error]
	// Edges streams a snapshot's edges.
	Edges(ctx context.Context, snapshot int64, f EdgeFilter) iter.Seq2[resource.Edge, error]
	// CollectionErrors returns a snapshot's collection errors.
	CollectionErrors(ctx context.Context, snapshot int64) ([]resource.CollectionError, error)
	// Findings streams a snapshot's findings, with the resource's name, kind,
	// provider, account and region filled in, ordered by severity (highest
	// first), check ID, then resource UID.
	Findings(ctx context.Context, snapshot int64, f FindingFilter) iter.Seq2[finding.Finding, error]
	// Query runs one read-only SQL statement against a snapshot, exposed as
	// the views resources, edges, findings and collection_errors. Any attempt
	// to write fails.
	Query(ctx context.Context, snapshot int64, sql string) (Rows, error)
	Close() error
}

// Writer fills one running snapshot. Its Resource, Edge and Error methods
// make it a collect.Sink; all methods are safe for concurrent use and buffer
// rows into batched transactions.
type Writer interface {
	ID() int64
	Resource(ctx context.Context, r resource.Resource) error
	Edge(ctx context.Context, e resource.Edge) error
	Error(ctx context.Context, e resource.CollectionError) error
	// Findings adds findings for resources already written (by UID).
	Findings(ctx context.Context, fs []finding.Finding) error
	// Flush writes buffered rows, so that Resources and Edges see them.
	Flush(ctx context.Context) error
	// Commit flushes, records counts and end time, and marks the snapshot complete.
	Commit(ctx context.Context) error
	// Rollback marks the snapshot failed and deletes its rows. It is a no-op
	// after Commit.
	Rollback() error
}

// Rows is the result of Query.
type Rows interface {
	Columns() []string
	Next() bool
	// Values returns the current row; JSON columns come back as strings.
	Values() ([]any, error)
	Err() error
	Close() error
}

// MaxSearchLimit is the largest page a Searcher returns.
const MaxSearchLimit = 1000

// ResourceQuery selects one page of a snapshot's resources, ordered by UID.
// Empty fields match everything.
type ResourceQuery struct {
	// Text keeps resources whose name or UID contains it, ignoring case.
	Text     string
	Provider resource.Provider
	Account  string
	Region   string
	// Kinds keeps resources of any of these kinds.
	Kinds []string
	// UIDs keeps the resources with these UIDs (a lookup).
	UIDs []string
	// Tag is "key" (the tag is set, to any value) or "key=value".
	Tag string
	// After is the keyset cursor: the UID of the last resource of the
	// previous page; the page starts after it.
	After string
	// Limit is the page size, 1 to MaxSearchLimit; 0 means 50.
	Limit int
	// Count asks for the total number of matches as well.
	Count bool
}

// ResourcePage is one page of matching resources, ordered by UID.
type ResourcePage struct {
	// Items are the resources without their Properties.
	Items []resource.Resource
	// Next is the After of the next page; empty on the last page.
	Next string
	// Total is the number of matches when the query asked for Count,
	// otherwise -1.
	Total int64
	// Indexed is true when the snapshot's search index answered. Without
	// it the answer is the same but reads every resource of the snapshot.
	Indexed bool
}

// FindingGroup counts a snapshot's findings that share a check, status,
// severity and the provider, account, region and kind of their resource.
type FindingGroup struct {
	CheckID  string
	Status   finding.Status
	Severity finding.Severity
	Provider string
	Account  string
	Region   string
	Kind     string
	Count    int64
	// New counts those first seen in this snapshot (open findings only:
	// PASS findings have no first-seen time).
	New int64
}

// ResourceGroup counts a snapshot's resources of one provider, account,
// region and kind.
type ResourceGroup struct {
	Provider string
	Account  string
	Region   string
	Kind     string
	Count    int64
}

// Searcher is implemented by stores that answer the dashboard's questions
// about a complete snapshot in the database, without streaming a whole
// table: paged search over resources, and aggregate counts.
type Searcher interface {
	// IndexSnapshot builds the search index of a complete snapshot unless
	// it exists, and drops the indexes of snapshots that are no longer
	// complete. It may take long on a large snapshot (see docs/server.md)
	// and is safe to call concurrently and repeatedly.
	IndexSnapshot(ctx context.Context, snapshot int64) error
	// SearchResources returns one page of the snapshot's resources that
	// match q. Before IndexSnapshot it gives the same answer, slower.
	SearchResources(ctx context.Context, snapshot int64, q ResourceQuery) (ResourcePage, error)
	// FindingGroups counts the snapshot's findings by check, status,
	// severity and resource provider, account, region and kind.
	FindingGroups(ctx context.Context, snapshot int64) ([]FindingGroup, error)
	// ResourceGroups counts the snapshot's resources by provider,
	// account, region and kind, ordered by those.
	ResourceGroups(ctx context.Context, snapshot int64) ([]ResourceGroup, error)
	// OpenFindings returns the findings that are not PASS of the
	// resources with the given UIDs, with resource fields filled in,
	// ordered by UID, then severity (highest first), then check ID.
	OpenFindings(ctx context.Context, snapshot int64, uids []string) ([]finding.Finding, error)
}
