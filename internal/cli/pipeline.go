package cli

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"cloudward/internal/collect"
	"cloudward/internal/evaluate"
	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/report"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// pipelineInput is one scan's wiring.
type pipelineInput struct {
	store     store.Store
	collector collect.Collector
	catalog   *catalog
	scope     string
	now       time.Time
	progress  *report.Progress
	log       *slog.Logger
	// remote, when set, replaces collector: it fills the snapshot from
	// other processes (distributed workers) and returns once it is
	// complete; the streamed checks then run over the stored resources.
	remote func(ctx context.Context, w store.Writer) error
	// remoteEval, when set with remote, has the distributed workers
	// evaluate the collected snapshot too (pipelineRemoteEval,
	// eval_distributed.go) instead of this process.
	remoteEval *distributedEval
}

type pipelineResult struct {
	snapshot store.Snapshot
	summary  *report.Summary
	stats    policy.Stats
	// mutes is how each mute rule fared (expired, stale, findings muted).
	mutes   []policy.MuteResult
	timings struct{ collect, deferred, commit time.Duration }
}

// streamBuffer is how many collected resources may wait for evaluation.
const streamBuffer = 4096

// pipeline runs collect → store → evaluate → store findings and commits the
// snapshot. On any error the snapshot is rolled back; earlier snapshots are
// never touched.
//
// Checks that only read the resource itself are evaluated as resources are
// collected and written, so the estate is never read back for them and
// evaluation overlaps collection. Checks that look across resources
// (account_resources, region_resources, related) need the whole snapshot:
// they run once collection is complete, over the resources of their kinds
// only, with an index of the kinds they look at.
func pipeline(ctx context.Context, in pipelineInput) (res pipelineResult, err error) {
	if in.remote != nil && in.remoteEval != nil {
		return pipelineRemoteEval(ctx, in)
	}
	cfg := in.catalog.config
	var streamed, deferred []*policy.Check
	for _, c := range in.catalog.checks {
		if len(c.IndexKinds()) > 0 {
			deferred = append(deferred, c)
		} else {
			streamed = append(streamed, c)
		}
	}
	eopts := policy.EngineOptions{Now: in.now, Org: cfg.Org, Mutes: cfg.Mutes}
	streamEngine, err := policy.NewEngine(streamed, eopts)
	if err != nil {
		return res, fmt.Errorf("build engine: %w", err)
	}
	deferredEngine, err := policy.NewEngine(deferred, eopts)
	if err != nil {
		return res, fmt.Errorf("build engine: %w", err)
	}

	w, err := in.store.Begin(ctx, in.scope, in.now)
	if err != nil {
		return res, fmt.Errorf("begin snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			if rerr := w.Rollback(); rerr != nil {
				err = errors.Join(err, fmt.Errorf("roll back snapshot %d: %w", w.ID(), rerr))
			}
		}
	}()

	checks, fws := in.catalog.reportInfo()
	res.summary = report.NewSummary(report.Meta{SnapshotID: w.ID(), Scope: in.scope, StartedAt: in.now}, checks, fws)
	// emit is called by one Evaluate at a time, never concurrently.
	emit := func(fs []finding.Finding) error {
		for i := range fs {
			res.summary.Add(fs[i])
		}
		return w.Findings(ctx, fs)
	}

	// Collect, store and evaluate the streamed checks together.
	t0 := time.Now()
	in.progress.Phase("collecting and evaluating", "resources", 0)
	g, gctx := errgroup.WithContext(ctx)
	queue := make(chan resource.Resource, streamBuffer)
	sink := &streamSink{Sink: w, queue: queue, progress: in.progress}
	if in.remote == nil {
		// Resources collected here: index them for the cross-resource
		// checks as they stream (a distributed collection reads them back).
		sink.cross = newCrossCapture(deferredEngine)
	}
	g.Go(func() error {
		defer close(queue)
		if in.remote != nil {
			return collectRemote(gctx, in, w, sink)
		}
		if err := in.collector.Collect(gctx, sink); err != nil {
			return fmt.Errorf("collect: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		st, err := streamEngine.Evaluate(gctx, drain(gctx, queue), nil, emit)
		res.stats = st
		if err != nil {
			return fmt.Errorf("evaluate: %w", err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return res, err
	}
	if err := w.Flush(ctx); err != nil {
		return res, fmt.Errorf("write snapshot: %w", err)
	}
	res.timings.collect = time.Since(t0)

	// Evaluate the checks that look across resources.
	t0 = time.Now()
	if len(deferred) > 0 {
		var idx *policy.Index
		if sink.cross != nil {
			idx, err = sink.cross.finish(ctx, in.store, w.ID())
		} else {
			idx, err = evaluate.LoadIndex(ctx, in.store, w.ID(), deferredEngine)
		}
		if err != nil {
			return res, err
		}
		var kinds []string
		for _, c := range deferred {
			kinds = append(kinds, c.Kinds...)
		}
		slices.Sort(kinds)
		kinds = slices.Compact(kinds)
		in.progress.Phase("evaluating cross-resource checks", "", 0)
		st, err := deferredEngine.Evaluate(ctx, in.store.Resources(ctx, w.ID(), store.ResourceFilter{Kinds: kinds}), idx, emit)
		if err != nil {
			return res, fmt.Errorf("evaluate: %w", err)
		}
		res.stats.Evaluations += st.Evaluations
		res.stats.Skipped += st.Skipped
		res.stats.Pass += st.Pass
		res.stats.Fail += st.Fail
		res.stats.Error += st.Error
		res.stats.Muted += st.Muted
	}
	res.timings.deferred = time.Since(t0)

	errs, err := commitSnapshot(ctx, in, w, &res)
	if err != nil {
		return res, err
	}
	res.stats.Resources = sink.resources.Load()
	res.summary.SetMeta(report.Meta{
		SnapshotID: w.ID(), Scope: in.scope, StartedAt: in.now, FinishedAt: res.snapshot.FinishedAt,
		Resources: res.snapshot.Resources, CollectionErrors: errs,
	})
	res.mutes = mergeMuteResults(streamEngine.MuteResults(), deferredEngine.MuteResults())
	return res, nil
}

// commitSnapshot commits the snapshot w writes, then reads its final
// description into res (timing the commit) and returns its collection
// errors.
func commitSnapshot(ctx context.Context, in pipelineInput, w store.Writer, res *pipelineResult) ([]resource.CollectionError, error) {
	t0 := time.Now()
	in.progress.Phase("saving", "", 0)
	if err := w.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit snapshot %d: %w", w.ID(), err)
	}
	res.timings.commit = time.Since(t0)
	var err error
	if res.snapshot, err = in.store.Snapshot(ctx, w.ID()); err != nil {
		return nil, err
	}
	errs, err := in.store.CollectionErrors(ctx, w.ID())
	if err != nil {
		return nil, fmt.Errorf("read collection errors: %w", err)
	}
	return errs, nil
}

// collectRemote runs in.remote, then queues the resources it stored for
// evaluation, as streamSink does for resources collected in this process.
func collectRemote(ctx context.Context, in pipelineInput, w store.Writer, sink *streamSink) error {
	if err := in.remote(ctx, w); err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	if err := w.Flush(ctx); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	in.progress.Phase("evaluating", "resources", 0)
	for r, err := range in.store.Resources(ctx, w.ID(), store.ResourceFilter{}) {
		if err != nil {
			return fmt.Errorf("read collected resources: %w", err)
		}
		select {
		case sink.queue <- r:
		case <-ctx.Done():
			return ctx.Err()
		}
		sink.resources.Add(1)
		in.progress.Add(1)
	}
	return nil
}

// drain yields the resources sent on queue until it is closed or ctx ends.
func drain(ctx context.Context, queue <-chan resource.Resource) iter.Seq2[resource.Resource, error] {
	return func(yield func(resource.Resource, error) bool) {
		for {
			select {
			case r, ok := <-queue:
				if !ok || !yield(r, nil) {
					return
				}
			case <-ctx.Done():
				yield(resource.Resource{}, ctx.Err())
				return
			}
		}
	}
}

// streamSink writes what collectors find to the snapshot and queues each
// resource for evaluation. It counts resources for the progress display.
type streamSink struct {
	collect.Sink
	queue     chan<- resource.Resource
	progress  *report.Progress
	resources atomic.Int64
	// cross, when set, indexes what the cross-resource checks look at.
	cross *crossCapture
}

func (s *streamSink) Resource(ctx context.Context, r resource.Resource) error {
	if s.cross != nil && s.cross.tracks(r.Kind) {
		// Written and indexed under one lock: a resource emitted twice
		// ends as the same version in the store and in the index.
		s.cross.mu.Lock()
		err := s.Sink.Resource(ctx, r)
		if err == nil {
			s.cross.resourceLocked(r)
		}
		s.cross.mu.Unlock()
		if err != nil {
			return err
		}
	} else if err := s.Sink.Resource(ctx, r); err != nil {
		return err
	}
	select {
	case s.queue <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.resources.Add(1)
	s.progress.Add(1)
	return nil
}

func (s *streamSink) Edge(ctx context.Context, e resource.Edge) error {
	if err := s.Sink.Edge(ctx, e); err != nil {
		return err
	}
	if s.cross != nil {
		s.cross.edge(e)
	}
	return nil
}
