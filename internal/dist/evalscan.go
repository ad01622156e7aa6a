package dist

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"cloudward/internal/policy"
)

// maxFailuresShown is how many failed evaluation jobs an error names.
const maxFailuresShown = 5

// EvalResult is what a snapshot's evaluation jobs recorded, added up.
type EvalResult struct {
	// Jobs is the number of evaluation jobs.
	Jobs int
	// Stats adds up the jobs' engine counts.
	Stats policy.Stats
	// Muted adds up, per mute rule in the catalog's order, the findings
	// the rule muted.
	Muted []int64
	// Findings adds up the jobs' finding counts (see FindingCount).
	Findings []FindingCount
}

// EnqueueEval stores the catalog (once per hash) and queues one
// evaluation job per shard, all in one transaction, evaluated at the
// scan's clock now.
func (s *Scan) EnqueueEval(ctx context.Context, cat *Catalog, now time.Time, shards []Shard) error {
	if err := putCatalog(ctx, s.pool, cat); err != nil {
		return err
	}
	if len(shards) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(shards))
	for i, sh := range shards {
		params[i] = river.InsertManyParams{
			Args:       EvalArgs{Snapshot: s.snapshot, Catalog: cat.Hash(), Now: now, Shard: sh},
			InsertOpts: &river.InsertOpts{Queue: EvalQueue, MaxAttempts: s.opts.MaxAttempts},
		}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := s.client.InsertManyFastTx(ctx, tx, params)
		return err
	})
	if err != nil {
		return fmt.Errorf("enqueue %d evaluation jobs of snapshot %d: %w", len(shards), s.snapshot, err)
	}
	s.log.Info("distributed scan: evaluation jobs enqueued", "snapshot", s.snapshot, "jobs", len(shards),
		"catalog", cat.Hash()[:12], "catalog_bytes", cat.Size())
	return nil
}

// WaitEval returns once every evaluation job of the snapshot has finished
// (handing dead workers' jobs back meanwhile, as Wait does), with what the
// jobs recorded, added up. A job given up or cancelled fails the
// evaluation: the snapshot would lack its findings. mutes is the number of
// mute rules of the catalog.
func (s *Scan) WaitEval(ctx context.Context, mutes int) (EvalResult, error) {
	res := EvalResult{Muted: make([]int64, mutes)}
	if err := s.wait(ctx, EvalJobKind); err != nil {
		return res, err
	}
	params := s.listParams(EvalJobKind, rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateCancelled).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc)
	var failed []string
	counts := findingCounter{}
	for {
		page, err := s.client.JobList(ctx, params)
		if err != nil {
			return res, fmt.Errorf("list evaluation jobs of snapshot %d: %w", s.snapshot, err)
		}
		for _, j := range page.Jobs {
			res.Jobs++
			var a EvalArgs
			if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
				return res, fmt.Errorf("evaluation job %d of snapshot %d: decode: %w", j.ID, s.snapshot, err)
			}
			if j.State != rivertype.JobStateCompleted {
				last := "no error recorded"
				if n := len(j.Errors); n > 0 {
					last = strings.TrimSpace(j.Errors[n-1].Error)
				}
				what := fmt.Sprintf("gave up after %d attempts", j.Attempt)
				if j.State == rivertype.JobStateCancelled {
					what = "was cancelled"
				}
				failed = append(failed, fmt.Sprintf("shard %d (%d resources) %s: %s", a.Shard.ID, a.Shard.Resources, what, last))
				continue
			}
			var out EvalOutput
			if err := json.Unmarshal(j.Output(), &out); err != nil || j.Output() == nil {
				return res, fmt.Errorf("evaluation job %d (shard %d) of snapshot %d: no readable output recorded", j.ID, a.Shard.ID, s.snapshot)
			}
			if len(out.Muted) != mutes {
				return res, fmt.Errorf("evaluation job %d (shard %d) of snapshot %d: %d mute counts for %d rules", j.ID, a.Shard.ID, s.snapshot, len(out.Muted), mutes)
			}
			addStats(&res.Stats, out.Stats)
			for i, n := range out.Muted {
				res.Muted[i] += n
			}
			counts.merge(out.Findings)
		}
		if len(page.Jobs) < 10000 {
			break
		}
		params = params.After(page.LastCursor)
	}
	res.Findings = counts.list()
	if len(failed) > 0 {
		shown := failed[:min(len(failed), maxFailuresShown)]
		more := ""
		if len(failed) > len(shown) {
			more = fmt.Sprintf("; and %d more", len(failed)-len(shown))
		}
		return res, fmt.Errorf("%d of %d evaluation jobs failed: %s%s", len(failed), res.Jobs, strings.Join(shown, "; "), more)
	}
	return res, nil
}

// addStats adds o to s.
func addStats(s *policy.Stats, o policy.Stats) {
	s.Resources += o.Resources
	s.Evaluations += o.Evaluations
	s.Skipped += o.Skipped
	s.Pass += o.Pass
	s.Fail += o.Fail
	s.Error += o.Error
	s.Muted += o.Muted
}
