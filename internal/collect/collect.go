// Package collect defines how collectors hand resources to the rest of the
// pipeline: a Collector turns a scope into a stream of resources, edges and
// collection errors, written to a Sink. Collectors never evaluate checks and
// never touch the store directly.
package collect

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"golang.org/x/sync/errgroup"

	"cloudward/internal/resource"
)

// Sink receives what a collector finds. Implementations must be safe for
// concurrent use: collectors call them from many goroutines. A Sink error
// (for example a full disk) aborts the collection.
type Sink interface {
	Resource(ctx context.Context, r resource.Resource) error
	Edge(ctx context.Context, e resource.Edge) error
	Error(ctx context.Context, e Error) error
}

// Collector collects resources from one source (a cloud provider, or the
// demo estate).
type Collector interface {
	// Name names the source: aws, gcp, azure, digitalocean, demo.
	Name() string
	// Kinds lists every kind the collector can produce, with its schema.
	Kinds() []resource.Kind
	// Collect streams resources to sink. It returns an error only when the
	// whole collection cannot go on (bad credentials for every account, the
	// sink failing, ctx cancelled); per-scope failures go to sink.Error.
	Collect(ctx context.Context, sink Sink) error
}

// Error is a failure to collect part of the scope; see resource.CollectionError.
type Error = resource.CollectionError

// Error kinds, re-exported for collectors.
const (
	Denied     = resource.Denied
	NotEnabled = resource.NotEnabled
	Throttled  = resource.Throttled
	Other      = resource.OtherError
)

// Scope names the part of an estate one job covers.
type Scope struct {
	Provider resource.Provider
	Account  string
	Region   string
	Service  string
}

// Guard runs fn and turns a panic into a collection Error for scope, so that
// one broken service never takes the scan down.
func Guard(ctx context.Context, sink Sink, log *slog.Logger, scope Scope, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("collector panic", "provider", scope.Provider, "account", scope.Account,
				"region", scope.Region, "service", scope.Service, "panic", p, "stack", string(debug.Stack()))
			err = sink.Error(ctx, Error{
				Provider: scope.Provider, Account: scope.Account, Region: scope.Region, Service: scope.Service,
				Op: "collect", Kind: Other, Message: fmt.Sprintf("internal error: %v", p),
			})
		}
	}()
	return fn()
}

// Multi runs several collectors at once into the same sink. A collector that
// fails aborts the others (their partial output stays in the sink and the
// caller rolls the snapshot back).
func Multi(cs ...Collector) Collector { return multi(cs) }

type multi []Collector

func (m multi) Name() string {
	names := make([]string, len(m))
	for i, c := range m {
		names[i] = c.Name()
	}
	return strings.Join(names, "+")
}

func (m multi) Kinds() []resource.Kind {
	var out []resource.Kind
	for _, c := range m {
		out = append(out, c.Kinds()...)
	}
	return out
}

func (m multi) Collect(ctx context.Context, sink Sink) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range m {
		g.Go(func() error {
			if err := c.Collect(ctx, sink); err != nil {
				return fmt.Errorf("%s: %w", c.Name(), err)
			}
			return nil
		})
	}
	return g.Wait()
}
