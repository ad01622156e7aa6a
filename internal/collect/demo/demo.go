// Package demo generates a deterministic, realistic multi-cloud estate with
// a documented set of planted misconfigurations. It powers `scan --demo`,
// the benchmarks and the end-to-end tests.
//
// The estate is shaped exactly like the real collectors' output: same kinds,
// same property names and nesting, so the same checks run on demo and real
// data. Each provider lives in its own file (aws.go, gcp.go, azure.go,
// digitalocean.go) with a base estate (fixed, hand-designed, with planted
// misconfigurations) and a filler that scales the estate to any size.
package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// Options configures the generator.
type Options struct {
	// Seed makes the estate deterministic; the same seed and size always give
	// the same estate.
	Seed uint64
	// Size is the total number of resources to generate. Values below the
	// base estate's size give the base estate.
	Size int
	// Now is the reference time for ages (key ages, creation dates). Zero
	// means the fixed demo epoch, so output is stable across runs.
	Now time.Time
}

// Epoch is the default reference time of the demo estate.
var Epoch = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// Plant is one misconfiguration the generator put in the estate on purpose.
type Plant struct {
	UID     string `json:"uid"`
	CheckID string `json:"check_id"`
	Why     string `json:"why"`
}

// Generator is the demo collector.
type Generator struct {
	opts Options

	mu     sync.Mutex
	plants []Plant
}

// New returns a generator.
func New(opts Options) *Generator {
	if opts.Now.IsZero() {
		opts.Now = Epoch
	}
	return &Generator{opts: opts}
}

// Name implements collect.Collector.
func (g *Generator) Name() string { return "demo" }

// Kinds implements collect.Collector: every kind the demo produces.
func (g *Generator) Kinds() []resource.Kind { return Kinds() }

// Planted returns the misconfigurations planted by the last Collect, sorted
// by UID then check ID.
func (g *Generator) Planted() []Plant {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Plant(nil), g.plants...)
}

// Collect implements collect.Collector.
func (g *Generator) Collect(ctx context.Context, sink collect.Sink) error {
	e := &estate{
		ctx:  ctx,
		sink: sink,
		now:  g.opts.Now,
		rng:  rand.New(rand.NewPCG(g.opts.Seed, 0x636c6f7564776172)),
	}
	base := []func(*estate){(*estate).awsBase, (*estate).awsAIBase, (*estate).gcpBase, (*estate).azureBase, (*estate).doBase}
	fill := []func(*estate, int){(*estate).awsFill, (*estate).gcpFill, (*estate).azureFill, (*estate).doFill}
	for _, b := range base {
		b(e)
		if e.err != nil {
			return e.err
		}
	}
	// calls counts each provider's filler calls, so that every call gets a
	// fresh index (i/8 would hand AWS each index three times).
	var calls [4]int
	for i := 0; e.count < g.opts.Size; i++ {
		// Weighted like real estates: AWS is the biggest cloud in most of them.
		p := [...]int{0, 0, 0, 1, 1, 2, 2, 3}[i%8]
		fill[p](e, calls[p])
		calls[p]++
		if e.err != nil {
			return e.err
		}
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	sortPlants(e.plants)
	g.mu.Lock()
	g.plants = e.plants
	g.mu.Unlock()
	return nil
}

// estate is the state of one generation run. Provider files call its
// methods; the first sink error stops generation.
type estate struct {
	ctx    context.Context
	sink   collect.Sink
	now    time.Time
	rng    *rand.Rand
	count  int
	err    error
	plants []Plant
}

// add emits one resource whose properties are props marshalled to JSON.
func (e *estate) add(r resource.Resource, props any) {
	if e.err != nil {
		return
	}
	b, err := json.Marshal(props)
	if err != nil {
		e.err = fmt.Errorf("demo: marshal %s: %w", r.UID, err)
		return
	}
	r.Properties = b
	if err := e.sink.Resource(e.ctx, r); err != nil {
		e.err = err
		return
	}
	e.count++
}

// edge emits one edge.
func (e *estate) edge(from, to, typ string) {
	if e.err != nil {
		return
	}
	if err := e.sink.Edge(e.ctx, resource.Edge{From: from, To: to, Type: typ}); err != nil {
		e.err = err
	}
}

// plant records that the resource uid fails checkID on purpose.
func (e *estate) plant(uid, checkID, why string) {
	e.plants = append(e.plants, Plant{UID: uid, CheckID: checkID, Why: why})
}

// collectionError emits a collection error, as a real collector would for a
// denied or disabled scope.
func (e *estate) collectionError(ce resource.CollectionError) {
	if e.err != nil {
		return
	}
	if err := e.sink.Error(e.ctx, ce); err != nil {
		e.err = err
	}
}

// ago returns the reference time minus d, formatted as the APIs do (RFC 3339).
func (e *estate) ago(d time.Duration) string {
	return e.now.Add(-d).UTC().Format(time.RFC3339)
}

// days is a day count as a Duration.
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// Config is the company-rules file (cloudward.yaml) that goes with the demo
// estate: the required tags and allowed regions its plants violate.
//
//go:embed cloudward.yaml
var Config []byte
