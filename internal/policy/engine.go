package policy

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sync"
	"time"

	"cloudward/internal/config"
	"cloudward/internal/finding"
	"cloudward/internal/policy/cellib"
	"cloudward/internal/resource"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/interpreter"
	"golang.org/x/sync/errgroup"
)

// DefaultBatchSize is how many resources one worker evaluates at a time,
// and so roughly how many findings one emit call carries per check.
const DefaultBatchSize = 512

// EngineOptions configures an Engine.
type EngineOptions struct {
	// Now is the scan's start time, the `now` of every condition; zero
	// means time.Now() when the engine is built.
	Now time.Time
	// Org is the company rules the `org` variable shows (and the generated
	// org checks read).
	Org config.Org
	// Mutes turn matching FAIL findings into MUTED. Rules expired at Now
	// never apply; rules naming checks the engine does not have match
	// nothing (see ValidateMutes). MuteResults reports how each fared.
	Mutes []config.Mute
	// Workers bounds parallel evaluation; zero means GOMAXPROCS.
	Workers int
	// BatchSize is the number of resources per work item; zero means
	// DefaultBatchSize.
	BatchSize int
}

// Stats counts what one Evaluate did.
type Stats struct {
	// Resources read from the stream.
	Resources int64 `json:"resources"`
	// Evaluations is the number of (check, resource) pairs that produced
	// a finding.
	Evaluations int64 `json:"evaluations"`
	// Skipped counts pairs where applies_if was false.
	Skipped int64 `json:"skipped"`
	Pass    int64 `json:"pass"`
	Fail    int64 `json:"fail"`
	Error   int64 `json:"error"`
	Muted   int64 `json:"muted"`
}

func (s *Stats) add(o Stats) {
	s.Resources += o.Resources
	s.Evaluations += o.Evaluations
	s.Skipped += o.Skipped
	s.Pass += o.Pass
	s.Fail += o.Fail
	s.Error += o.Error
	s.Muted += o.Muted
}

func (s *Stats) count(st finding.Status) {
	s.Evaluations++
	switch st {
	case finding.Pass:
		s.Pass++
	case finding.Fail:
		s.Fail++
	case finding.Error:
		s.Error++
	case finding.Muted:
		s.Muted++
	}
}

// Engine evaluates checks over resources. It is immutable after NewEngine
// and safe for concurrent use.
type Engine struct {
	checks     []*Check
	byKind     map[string][]*Check
	indexKinds []string
	project    map[string]*projection
	// decode keeps, per kind, the top-level property keys the checks of
	// the kind read; a kind absent from it is decoded whole.
	decode  map[string]map[string]bool
	related map[string][]string
	now     time.Time
	nowVal  ref.Val
	orgVal  ref.Val
	mutes   muteIndex
	workers int
	batch   int
}

// NewEngine returns an engine for checks. Every check must have been
// compiled by an Env (LoadChecks, ParseCheck or OrgChecks).
func NewEngine(checks []*Check, opts EngineOptions) (*Engine, error) {
	e := &Engine{
		checks:  checks,
		byKind:  map[string][]*Check{},
		now:     opts.Now,
		workers: opts.Workers,
		batch:   opts.BatchSize,
	}
	if e.now.IsZero() {
		e.now = time.Now().UTC()
	}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	if e.batch <= 0 {
		e.batch = DefaultBatchSize
	}
	var kinds []string
	e.project = map[string]*projection{}
	wideKinds, relatedFrom := map[string]bool{}, map[string][]string{}
	for _, c := range checks {
		if c.condition == nil {
			return nil, fmt.Errorf("new engine: check %s was not compiled", c.ID)
		}
		for _, k := range c.Kinds {
			e.byKind[k] = append(e.byKind[k], c)
		}
		kinds = append(kinds, c.indexKinds...)
		if len(c.indexKinds) > 0 {
			keys, ok := propertyKeys(c.Condition, c.AppliesIf)
			wide, parsed := lookupUses(c.Condition, c.AppliesIf)
			for _, k := range c.indexKinds {
				if e.project[k] == nil {
					e.project[k] = &projection{}
				}
				e.project[k].merge(keys, ok)
				if isWide, seen := wide[k]; !parsed || !seen || isWide {
					wideKinds[k] = true
				} else {
					relatedFrom[k] = append(relatedFrom[k], c.Kinds...)
				}
			}
		}
	}
	e.decode = decodeKeys(e.byKind)
	e.related = map[string][]string{}
	for k, from := range relatedFrom {
		if !wideKinds[k] {
			slices.Sort(from)
			e.related[k] = slices.Compact(from)
		}
	}
	slices.Sort(kinds)
	e.indexKinds = slices.Compact(kinds)
	e.nowVal = types.Timestamp{Time: e.now}
	e.orgVal = types.DefaultTypeAdapter.NativeToValue(orgMap(opts.Org))
	e.mutes = newMuteIndex(checks, opts.Mutes, e.now)
	return e, nil
}

// decodeKeys returns, per kind, the property keys the kind's checks read,
// for the kinds whose checks all name the keys they read (see
// propertyKeys). A document is then decoded without the other keys: most
// checks read a few keys of documents that have dozens.
func decodeKeys(byKind map[string][]*Check) map[string]map[string]bool {
	out := map[string]map[string]bool{}
kinds:
	for kind, checks := range byKind {
		keep := map[string]bool{}
		for _, c := range checks {
			keys, ok := propertyKeys(c.Condition, c.AppliesIf)
			if !ok {
				continue kinds
			}
			for k := range keys {
				keep[k] = true
			}
		}
		out[kind] = keep
	}
	return out
}

// orgMap is the CEL view of the company rules; both keys are always set.
func orgMap(o config.Org) map[string]any {
	tags := o.RequiredTags
	if tags == nil {
		tags = []string{}
	}
	regions := map[string][]string{}
	for p, rs := range o.AllowedRegions {
		regions[string(p)] = rs
	}
	return map[string]any{"required_tags": tags, "allowed_regions": regions}
}

// Checks returns the engine's checks.
func (e *Engine) Checks() []*Check { return e.checks }

// Now returns the scan time conditions see.
func (e *Engine) Now() time.Time { return e.now }

// NewIndex returns an empty index for Evaluate that keeps, of each
// resource added, only the properties the engine's checks may read (the
// keys their expressions name), so that a check looking across a kind the
// estate has many of does not hold every document of the kind.
func (e *Engine) NewIndex() *Index {
	x := NewIndex()
	x.project = e.project
	return x
}

// RelatedOnly returns the index kinds the checks read only through edges
// (related), each with the kinds of the resources those checks evaluate.
// The index needs only the resources of such a kind that an edge links to
// a resource of one of those kinds; the others are never returned. Kinds
// read account- or region-wide are not listed: load all of them.
func (e *Engine) RelatedOnly() map[string][]string {
	out := make(map[string][]string, len(e.related))
	for k, from := range e.related {
		out[k] = slices.Clone(from)
	}
	return out
}

// IndexKinds returns, sorted, the kinds the checks' cross-resource
// functions read. Load those resources (and the edges touching them) into
// the Index passed to Evaluate.
func (e *Engine) IndexKinds() []string { return slices.Clone(e.indexKinds) }

// Evaluate evaluates every applicable check on every resource of the
// stream, in parallel, and hands findings to emit in batches. emit is never
// called concurrently; the slice is the callee's to keep. Findings come in
// no particular order. Resources are read once and never all held: memory
// is bounded by Workers × BatchSize. idx may be nil when IndexKinds is
// empty. The first error from the stream, from emit or from ctx stops the
// evaluation and is returned.
func (e *Engine) Evaluate(ctx context.Context, resources iter.Seq2[resource.Resource, error], idx *Index, emit func([]finding.Finding) error) (Stats, error) {
	var (
		total Stats
		mu    sync.Mutex
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.workers)
	submit := func(batch []resource.Resource) {
		g.Go(func() error {
			fs, st, err := e.evalBatch(gctx, batch, idx)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			total.add(st)
			if len(fs) == 0 {
				return nil
			}
			if err := emit(fs); err != nil {
				return fmt.Errorf("emit findings: %w", err)
			}
			return nil
		})
	}
	var streamErr error
	batch := make([]resource.Resource, 0, e.batch)
	for r, err := range resources {
		if err != nil {
			streamErr = fmt.Errorf("read resources: %w", err)
			break
		}
		if len(batch) == 0 && gctx.Err() != nil {
			break
		}
		batch = append(batch, r)
		if len(batch) == e.batch {
			submit(batch)
			batch = make([]resource.Resource, 0, e.batch)
		}
	}
	if streamErr == nil && len(batch) > 0 && gctx.Err() == nil {
		submit(batch)
	}
	werr := g.Wait()
	switch {
	case streamErr != nil:
		return total, streamErr
	case werr != nil:
		return total, werr
	}
	if err := ctx.Err(); err != nil {
		return total, fmt.Errorf("evaluate: %w", err)
	}
	return total, nil
}

func (e *Engine) evalBatch(ctx context.Context, batch []resource.Resource, idx *Index) ([]finding.Finding, Stats, error) {
	if err := ctx.Err(); err != nil {
		return nil, Stats{}, fmt.Errorf("evaluate: %w", err)
	}
	var (
		st     Stats
		out    []finding.Finding
		parser jsonParser
	)
	for i := range batch {
		var err error
		out, err = e.evalResource(ctx, &batch[i], idx, &parser, out, &st)
		if err != nil {
			return nil, st, err
		}
	}
	return out, st, nil
}

// EvaluateResource evaluates every applicable check on one resource and
// returns its findings.
func (e *Engine) EvaluateResource(ctx context.Context, r resource.Resource, idx *Index) ([]finding.Finding, Stats, error) {
	var st Stats
	fs, err := e.evalResource(ctx, &r, idx, &jsonParser{}, nil, &st)
	return fs, st, err
}

func (e *Engine) evalResource(ctx context.Context, r *resource.Resource, idx *Index, parser *jsonParser, out []finding.Finding, st *Stats) ([]finding.Finding, error) {
	st.Resources++
	checks := e.byKind[r.Kind]
	if len(checks) == 0 {
		return out, nil
	}
	act := &activation{e: e, r: r, idx: idx, parser: parser}
	for _, c := range checks {
		f := finding.Finding{
			CheckID: c.ID, Severity: c.Severity,
			ResourceUID: r.UID, ResourceName: r.Name, Kind: r.Kind,
			Provider: string(r.Provider), Account: r.Account, Region: r.Region,
		}
		if c.appliesIf != nil {
			ok, err := evalBool(ctx, c.appliesIf, act)
			if err != nil {
				if cerr := ctx.Err(); cerr != nil {
					return out, fmt.Errorf("evaluate: %w", cerr)
				}
				f.Status, f.Reason = finding.Error, "applies_if: "+err.Error()
				st.count(f.Status)
				out = append(out, f)
				continue
			}
			if !ok {
				st.Skipped++
				continue
			}
		}
		ok, err := evalBool(ctx, c.condition, act)
		switch {
		case err != nil:
			if cerr := ctx.Err(); cerr != nil {
				return out, fmt.Errorf("evaluate: %w", cerr)
			}
			f.Status, f.Reason = finding.Error, err.Error()
		case ok:
			f.Status = finding.Pass
		default:
			f.Status = finding.Fail
			if m := e.mutes.match(c.ID, r); m != nil {
				f.Status, f.Reason = finding.Muted, m.Reason
			}
		}
		st.count(f.Status)
		out = append(out, f)
	}
	return out, nil
}

func evalBool(ctx context.Context, prg cel.Program, act *activation) (bool, error) {
	v, _, err := prg.ContextEval(ctx, act)
	if err != nil {
		return false, err
	}
	b, ok := v.(types.Bool)
	if !ok {
		return false, fmt.Errorf("expression returned %s, not bool", v.Type().TypeName())
	}
	return bool(b), nil
}

// activation is the variables of one resource's evaluation. It is used by
// one goroutine; properties, resource and scope are built on first use, so
// a resource whose checks read only tags is never decoded.
type activation struct {
	e       *Engine
	r       *resource.Resource
	idx     *Index
	parser  *jsonParser
	tags    ref.Val
	decoded bool
	props   map[string]any
	propErr ref.Val
	res     ref.Val
	scope   *cellib.Scope
}

// properties decodes the resource's properties once. A decoding error is
// returned as a CEL error value, so every check reading properties reports
// ERROR with the reason.
func (a *activation) properties() (map[string]any, ref.Val) {
	if !a.decoded {
		a.decoded = true
		var (
			p   map[string]any
			err error
		)
		if keep, ok := a.e.decode[a.r.Kind]; ok && len(a.r.Properties) > 0 {
			if p, err = a.parser.parseKeys(a.r.Properties, keep); err != nil {
				err = fmt.Errorf("properties are not a JSON object: %w", err)
			}
		} else {
			p, err = decodePropertiesWith(a.parser, a.r.Properties)
		}
		if err != nil {
			a.propErr = types.WrapErr(err)
		}
		a.props = p
	}
	return a.props, a.propErr
}

// ResolveName implements interpreter.Activation.
func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case cellib.VarProperties:
		p, err := a.properties()
		if err != nil {
			return err, true
		}
		return p, true
	case cellib.VarTags:
		if a.tags == nil {
			tags := a.r.Tags
			if tags == nil {
				tags = map[string]string{}
			}
			a.tags = types.NewStringStringMap(types.DefaultTypeAdapter, tags)
		}
		return a.tags, true
	case cellib.VarResource:
		if a.res == nil {
			p, err := a.properties()
			if err != nil {
				return err, true
			}
			a.res = types.DefaultTypeAdapter.NativeToValue(resourceMap(a.r, p))
		}
		return a.res, true
	case cellib.VarNow:
		return a.e.nowVal, true
	case cellib.VarOrg:
		return a.e.orgVal, true
	case cellib.VarScope:
		if a.scope == nil {
			a.scope = &cellib.Scope{
				Now: a.e.now, UID: a.r.UID, Provider: string(a.r.Provider),
				Account: a.r.Account, Region: a.r.Region,
			}
			if a.idx != nil {
				a.scope.Lookup = a.idx
			}
		}
		return a.scope, true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (a *activation) Parent() interpreter.Activation { return nil }
