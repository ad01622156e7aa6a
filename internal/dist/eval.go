package dist

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"cloudward/internal/evaluate"
	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
)

// EvalQueue is the River queue evaluation jobs are enqueued in.
const EvalQueue = "cloudward_evaluate"

// EvalJobKind is the River job kind of an evaluation job.
const EvalJobKind = "cloudward_evaluate"

// DefaultShardSize is the number of resources an evaluation job aims at.
const DefaultShardSize = 25_000

// EvalArgs is an evaluation job as River stores it: the snapshot, the
// catalog (by hash, stored with PutCatalog), the scan's clock and the
// shard to evaluate.
type EvalArgs struct {
	Snapshot int64     `json:"snapshot"`
	Catalog  string    `json:"catalog"`
	Now      time.Time `json:"now"`
	Shard    Shard     `json:"shard"`
}

// Kind implements river.JobArgs.
func (EvalArgs) Kind() string { return EvalJobKind }

// Shard is one evaluation job's part of a snapshot: some checks over some
// resources. Across a plan every (check, resource) pair is evaluated by
// exactly one shard.
type Shard struct {
	// ID numbers the shard in its plan, from 1.
	ID int `json:"id"`
	// Checks lists the cross-resource checks the shard evaluates; empty
	// means every single-resource check of the catalog.
	Checks []string `json:"checks,omitempty"`
	// Filters select the resources evaluated; they are disjoint.
	Filters []Filter `json:"filters"`
	// Resources is how many resources the filters selected when planned.
	Resources int64 `json:"resources"`
}

// Filter selects resources of a snapshot: of Kinds, and when set of one
// account and one region.
type Filter struct {
	Kinds   []string `json:"kinds"`
	Account string   `json:"account,omitempty"`
	Region  string   `json:"region,omitempty"`
}

// ResourceFilter returns f as the store's filter.
func (f Filter) ResourceFilter() store.ResourceFilter {
	return store.ResourceFilter{Kinds: f.Kinds, Account: f.Account, Region: f.Region}
}

func (f Filter) String() string {
	s := strings.Join(f.Kinds, ",")
	if f.Account != "" {
		s += " account " + f.Account
	}
	if f.Region != "" {
		s += " region " + f.Region
	}
	return s
}

// EvalOutput is what an evaluation job records with its completion (River's
// job output): its engine's counts, how many findings each mute rule
// muted (in the catalog's rule order), and its findings counted by what
// a report summary counts them by.
type EvalOutput struct {
	Stats    policy.Stats   `json:"stats"`
	Muted    []int64        `json:"muted,omitempty"`
	Findings []FindingCount `json:"findings,omitempty"`
}

// FindingCount counts findings of one check, status and severity on
// resources of one provider, account, region and kind: all a report
// summary needs of them, so that the scan summarizes the workers'
// findings without reading them back.
type FindingCount struct {
	CheckID  string           `json:"c"`
	Status   finding.Status   `json:"s"`
	Severity finding.Severity `json:"v"`
	Provider string           `json:"p"`
	Account  string           `json:"a"`
	Region   string           `json:"r"`
	Kind     string           `json:"k"`
	Count    int64            `json:"n"`
}

// Finding returns a finding with the counted fields set.
func (c FindingCount) Finding() finding.Finding {
	return finding.Finding{CheckID: c.CheckID, Status: c.Status, Severity: c.Severity,
		Provider: c.Provider, Account: c.Account, Region: c.Region, Kind: c.Kind}
}

// findingCounter counts findings into FindingCounts.
type findingCounter map[FindingCount]int64

func (fc findingCounter) add(f *finding.Finding) {
	fc[FindingCount{CheckID: f.CheckID, Status: f.Status, Severity: f.Severity,
		Provider: f.Provider, Account: f.Account, Region: f.Region, Kind: f.Kind}]++
}

// merge adds counts.
func (fc findingCounter) merge(cs []FindingCount) {
	for _, c := range cs {
		n := c.Count
		c.Count = 0
		fc[c] += n
	}
}

// list returns the counts in a stable order.
func (fc findingCounter) list() []FindingCount {
	out := make([]FindingCount, 0, len(fc))
	for k, n := range fc {
		k.Count = n
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b FindingCount) int {
		return cmp.Or(strings.Compare(a.CheckID, b.CheckID), strings.Compare(string(a.Status), string(b.Status)),
			cmp.Compare(a.Severity, b.Severity), strings.Compare(a.Provider, b.Provider), strings.Compare(a.Account, b.Account),
			strings.Compare(a.Region, b.Region), strings.Compare(a.Kind, b.Kind))
	})
	return out
}

// PlanEval splits the evaluation of a snapshot into shards of about
// target resources (DefaultShardSize when target <= 0), from the
// snapshot's resource counts (store.Searcher.ResourceGroups):
//
//   - the single-resource checks run together over the kinds they
//     evaluate; kinds are packed into shards whole while they fit, a kind
//     with more than target resources is split by account, and an account
//     with more than target by region;
//   - the cross-resource checks (those with IndexKinds) run in shards of
//     their own, grouped by the kinds they evaluate (small groups packed
//     together), each shard loading its checks' index from the whole
//     snapshot, so a group whose kinds are split by account still sees
//     every account's resources through its index.
//
// Kinds without resources get no shard. The plan is deterministic.
func PlanEval(checks []*policy.Check, groups []store.ResourceGroup, target int64) []Shard {
	if target <= 0 {
		target = DefaultShardSize
	}
	c := newCounts(groups)
	var plan []Shard
	add := func(checkIDs []string, filters []Filter, n int64) {
		plan = append(plan, Shard{ID: len(plan) + 1, Checks: checkIDs, Filters: filters, Resources: n})
	}

	// Single-resource checks.
	var singleKinds []string
	type crossGroup struct {
		kinds []string
		ids   []string
	}
	cross := map[string]*crossGroup{}
	for _, ch := range checks {
		kinds := slices.Sorted(slices.Values(ch.Kinds))
		if len(ch.IndexKinds()) == 0 {
			singleKinds = append(singleKinds, kinds...)
			continue
		}
		key := strings.Join(slices.Compact(kinds), ",")
		g := cross[key]
		if g == nil {
			g = &crossGroup{kinds: slices.Compact(kinds)}
			cross[key] = g
		}
		g.ids = append(g.ids, ch.ID)
	}
	slices.Sort(singleKinds)
	for _, sh := range pack(c.units(slices.Compact(singleKinds), target), target) {
		add(nil, sh.filters, sh.n)
	}

	// Cross-resource checks: a group that fits whole is packed with the
	// next groups that fit; a larger one gets shards of its own.
	var (
		curIDs   []string
		curKinds []string
		curN     int64
	)
	flush := func() {
		if len(curKinds) > 0 {
			slices.Sort(curKinds)
			add(curIDs, []Filter{{Kinds: curKinds}}, curN)
		}
		curIDs, curKinds, curN = nil, nil, 0
	}
	for _, key := range slices.Sorted(func(yield func(string) bool) {
		for k := range cross {
			if !yield(k) {
				return
			}
		}
	}) {
		g := cross[key]
		units := c.units(g.kinds, target)
		var n int64
		for _, u := range units {
			n += u.n
		}
		if n == 0 {
			continue
		}
		if n > target {
			for _, sh := range pack(units, target) {
				add(slices.Clone(g.ids), sh.filters, sh.n)
			}
			continue
		}
		// The group fits whole, so its units are whole kinds; kinds the
		// shard already reads cost nothing more.
		var added int64
		for _, u := range units {
			if !slices.Contains(curKinds, u.filter.Kinds[0]) {
				added += u.n
			}
		}
		if curN+added > target {
			flush()
			added = n
		}
		curIDs = append(curIDs, g.ids...)
		for _, u := range units {
			if !slices.Contains(curKinds, u.filter.Kinds[0]) {
				curKinds = append(curKinds, u.filter.Kinds[0])
			}
		}
		curN += added
	}
	flush()
	for i := range plan {
		slices.Sort(plan[i].Checks)
		plan[i].Checks = slices.Compact(plan[i].Checks)
	}
	return plan
}

// counts holds a snapshot's resource counts by kind, account and region.
type counts struct {
	kind    map[string]int64
	account map[[2]string]int64 // kind, account
	region  map[[3]string]int64 // kind, account, region
}

func newCounts(groups []store.ResourceGroup) *counts {
	c := &counts{kind: map[string]int64{}, account: map[[2]string]int64{}, region: map[[3]string]int64{}}
	for _, g := range groups {
		c.kind[g.Kind] += g.Count
		c.account[[2]string{g.Kind, g.Account}] += g.Count
		c.region[[3]string{g.Kind, g.Account, g.Region}] += g.Count
	}
	return c
}

// unit is a filter and how many resources it selects.
type unit struct {
	filter Filter
	n      int64
}

// units splits the resources of kinds into filters of at most target
// resources where possible: whole kinds, else a kind's accounts, else an
// account's regions.
func (c *counts) units(kinds []string, target int64) []unit {
	var out []unit
	for _, k := range kinds {
		n := c.kind[k]
		if n == 0 {
			continue
		}
		if n <= target {
			out = append(out, unit{Filter{Kinds: []string{k}}, n})
			continue
		}
		var accounts []string
		for ka := range c.account {
			if ka[0] == k {
				accounts = append(accounts, ka[1])
			}
		}
		slices.Sort(accounts)
		for _, a := range accounts {
			n := c.account[[2]string{k, a}]
			if n <= target {
				out = append(out, unit{Filter{Kinds: []string{k}, Account: a}, n})
				continue
			}
			var regions []string
			for kar := range c.region {
				if kar[0] == k && kar[1] == a {
					regions = append(regions, kar[2])
				}
			}
			slices.Sort(regions)
			for _, r := range regions {
				out = append(out, unit{Filter{Kinds: []string{k}, Account: a, Region: r}, c.region[[3]string{k, a, r}]})
			}
		}
	}
	return out
}

// packed is one shard's filters.
type packed struct {
	filters []Filter
	n       int64
}

// pack fills shards with units in order, starting a new shard when the
// next unit would take the current one past target.
func pack(units []unit, target int64) []packed {
	var out []packed
	var cur packed
	for _, u := range units {
		if cur.n > 0 && cur.n+u.n > target {
			cur.filters = mergeWhole(cur.filters)
			out = append(out, cur)
			cur = packed{}
		}
		cur.filters = append(cur.filters, u.filter)
		cur.n += u.n
	}
	if cur.n > 0 {
		cur.filters = mergeWhole(cur.filters)
		out = append(out, cur)
	}
	return out
}

// mergeWhole folds the filters of whole kinds (no account, no region) into
// one, so that a shard reads them with one query.
func mergeWhole(fs []Filter) []Filter {
	var whole []string
	var out []Filter
	for _, f := range fs {
		if f.Account == "" && f.Region == "" {
			whole = append(whole, f.Kinds...)
			continue
		}
		out = append(out, f)
	}
	if len(whole) == 0 {
		return out
	}
	slices.Sort(whole)
	return append([]Filter{{Kinds: slices.Compact(whole)}}, out...)
}

// EvalHook is called before each attempt of an evaluation job with the
// job's arguments and attempt number (from 1); an error it returns fails
// the attempt, which River then retries. Tests inject failures with it.
type EvalHook func(ctx context.Context, args EvalArgs, attempt int) error

// evalWorker runs one evaluation job.
type evalWorker struct {
	river.WorkerDefaults[EvalArgs]
	pool    *pgxpool.Pool
	st      *postgres.Store
	cache   *catalogCache
	workers int
	hook    EvalHook
	log     *slog.Logger
	id      string
}

// Work evaluates the job's shard into memory, then writes its findings,
// records its counts as the job's output and completes the job in one
// transaction: an attempt that fails or dies leaves no finding behind.
func (w *evalWorker) Work(ctx context.Context, job *river.Job[EvalArgs]) error {
	a := job.Args
	if w.hook != nil {
		if err := w.hook(ctx, a, job.Attempt); err != nil {
			return fmt.Errorf("evaluate shard %d of snapshot %d: %w", a.Shard.ID, a.Snapshot, err)
		}
	}
	t0 := time.Now()
	cat, err := w.cache.get(ctx, a.Catalog)
	if err != nil {
		return err
	}
	eng, err := cat.engine(a.Shard, policy.EngineOptions{Now: a.Now, Workers: w.workers})
	if err != nil {
		return err
	}
	filters := make([]store.ResourceFilter, len(a.Shard.Filters))
	for i, f := range a.Shard.Filters {
		filters[i] = f.ResourceFilter()
	}
	rows := w.st.JobRows(a.Snapshot)
	counts := findingCounter{}
	stats, err := evaluate.Shard(ctx, w.st, a.Snapshot, eng, filters, func(fs []finding.Finding) error {
		for i := range fs {
			counts.add(&fs[i])
		}
		return rows.Findings(ctx, fs)
	})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return river.JobCancel(err)
		}
		return fmt.Errorf("evaluate shard %d of snapshot %d: %w", a.Shard.ID, a.Snapshot, err)
	}
	out := EvalOutput{Stats: stats, Findings: counts.list()}
	for _, r := range eng.MuteResults() {
		out.Muted = append(out.Muted, r.Muted)
	}
	if err := river.RecordOutput(ctx, out); err != nil {
		return fmt.Errorf("evaluate shard %d of snapshot %d: record output: %w", a.Shard.ID, a.Snapshot, err)
	}
	err = pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		if err := rows.WriteTx(ctx, tx); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if errors.Is(err, postgres.ErrNotRunning) {
		return river.JobCancel(err)
	}
	if err != nil {
		return fmt.Errorf("write findings of shard %d of snapshot %d: %w", a.Shard.ID, a.Snapshot, err)
	}
	w.log.Debug("evaluation job done", "snapshot", a.Snapshot, "shard", a.Shard.ID, "resources", stats.Resources,
		"findings", stats.Evaluations, "attempt", job.Attempt, "elapsed", time.Since(t0).Round(time.Millisecond))
	return nil
}
