package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cloudward/internal/dist"
	"cloudward/internal/policy"
	"cloudward/internal/report"
	"cloudward/internal/store"
)

// Values of --distributed-eval.
const (
	evalOnWorkers = "workers"
	evalLocal     = "local"
)

// distributedEval is the evaluation side of `scan --distributed` when the
// workers evaluate: pipelineRemoteEval calls it once the collection jobs
// are done.
type distributedEval struct {
	d *distributedScan
	// shardSize is the number of resources an evaluation job aims at.
	shardSize int64
}

// pipelineRemoteEval is the pipeline of a distributed scan whose workers
// evaluate as well as collect: the snapshot is filled by the collection
// jobs (in.remote), then planned into evaluation shards that the workers
// evaluate with this scan's catalog, writing the findings; then the
// snapshot is committed and the summary, stats and mute results are
// rebuilt from what the workers stored and recorded. The result is the
// one pipeline would return for the same snapshot.
func pipelineRemoteEval(ctx context.Context, in pipelineInput) (res pipelineResult, err error) {
	cfg := in.catalog.config
	// The engine is only built here for the mute rules' expiry at the
	// scan's clock; it evaluates nothing.
	muteEngine, err := policy.NewEngine(nil, policy.EngineOptions{Now: in.now, Org: cfg.Org, Mutes: cfg.Mutes})
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

	t0 := time.Now()
	if err := in.remote(ctx, w); err != nil {
		return res, fmt.Errorf("collect: %w", err)
	}
	if err := w.Flush(ctx); err != nil {
		return res, fmt.Errorf("write snapshot: %w", err)
	}
	res.timings.collect = time.Since(t0)

	t0 = time.Now()
	er, err := in.remoteEval.evaluate(ctx, in, w.ID())
	if err != nil {
		return res, err
	}
	res.timings.deferred = time.Since(t0)

	errs, err := commitSnapshot(ctx, in, w, &res)
	if err != nil {
		return res, err
	}
	checks, fws := in.catalog.reportInfo()
	res.summary = report.NewSummary(report.Meta{
		SnapshotID: w.ID(), Scope: in.scope, StartedAt: in.now, FinishedAt: res.snapshot.FinishedAt,
		Resources: res.snapshot.Resources, CollectionErrors: errs,
	}, checks, fws)
	// The workers counted their findings as they wrote them: the summary
	// adds up those counts instead of reading every finding back.
	var counted int64
	for _, c := range er.Findings {
		f := c.Finding()
		for range c.Count {
			res.summary.Add(f)
		}
		counted += c.Count
	}
	if counted != res.snapshot.Findings || counted != er.Stats.Evaluations {
		return res, fmt.Errorf("evaluation: the workers counted %d findings (%d evaluations), the snapshot holds %d",
			counted, er.Stats.Evaluations, res.snapshot.Findings)
	}
	res.stats = er.Stats
	res.stats.Resources = res.snapshot.Resources
	res.mutes = muteEngine.MuteResults()
	if len(res.mutes) != len(er.Muted) {
		return res, fmt.Errorf("evaluation: %d mute counts for %d mute rules", len(er.Muted), len(res.mutes))
	}
	for i := range res.mutes {
		res.mutes[i].Muted = er.Muted[i]
	}
	return res, nil
}

// evaluate plans the complete snapshot's evaluation into shards, queues
// them with the scan's catalog and waits for the workers to evaluate them.
func (e *distributedEval) evaluate(ctx context.Context, in pipelineInput, snapshot int64) (dist.EvalResult, error) {
	d := e.d
	if d.scan == nil {
		return dist.EvalResult{}, errors.New("evaluate: the collection jobs were not queued")
	}
	sr, ok := in.store.(store.Searcher)
	if !ok {
		return dist.EvalResult{}, errors.New("evaluate: the store cannot count the snapshot's resources")
	}
	in.progress.Phase("planning evaluation", "", 0)
	groups, err := sr.ResourceGroups(ctx, snapshot)
	if err != nil {
		return dist.EvalResult{}, fmt.Errorf("evaluate: %w", err)
	}
	cfg := in.catalog.config
	cat, err := dist.NewCatalog(in.catalog.sources, cfg.Org, cfg.Mutes, in.catalog.checks)
	if err != nil {
		return dist.EvalResult{}, err
	}
	shards := dist.PlanEval(in.catalog.checks, groups, e.shardSize)
	var resources int64
	for _, g := range groups {
		resources += g.Count
	}
	t0 := time.Now()
	in.progress.Phase("evaluating on workers", "jobs", int64(len(shards)))
	if err := d.scan.EnqueueEval(ctx, cat, in.now, shards); err != nil {
		return dist.EvalResult{}, err
	}
	res, err := d.scan.WaitEval(ctx, len(cfg.Mutes))
	if err != nil {
		if aerr := d.scan.Abandon(context.WithoutCancel(ctx)); aerr != nil {
			err = errors.Join(err, aerr)
		}
		return res, fmt.Errorf("evaluate on workers: %w", err)
	}
	d.log.Info("distributed evaluation done", "snapshot", snapshot, "jobs", len(shards), "resources", resources,
		"findings", res.Stats.Evaluations, "elapsed", time.Since(t0).Round(time.Millisecond))
	return res, nil
}
