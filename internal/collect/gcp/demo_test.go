package gcp_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"cloudward/internal/collect/demo"
	"cloudward/internal/collect/gcp"
	"cloudward/internal/collect/gcp/gcptest"
	"cloudward/internal/resource"
)

// shapeSink records, per kind, every property path its documents hold.
type shapeSink struct {
	mu    sync.Mutex
	paths map[string]map[string]bool
}

func (s *shapeSink) Resource(_ context.Context, r resource.Resource) error {
	if r.Provider != resource.GCP {
		return nil
	}
	var doc map[string]any
	if err := json.Unmarshal(r.Properties, &doc); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paths[r.Kind] == nil {
		s.paths[r.Kind] = map[string]bool{}
	}
	walk("", doc, s.paths[r.Kind])
	return nil
}
func (s *shapeSink) Edge(context.Context, resource.Edge) error             { return nil }
func (s *shapeSink) Error(context.Context, resource.CollectionError) error { return nil }

// walk records the paths below v; label maps hold user keys, not schema
// fields, and are not walked.
func walk(prefix string, v any, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		if strings.HasSuffix(prefix, "labels") {
			return
		}
		for k, e := range v {
			into[prefix+"."+k] = true
			walk(prefix+"."+k, e, into)
		}
	case []any:
		for _, e := range v {
			walk(prefix+"[]", e, into)
		}
	}
}

// TestDemoShapedLikeCollector checks that every property path the demo
// estate's Google Cloud part holds is one the collector produces from real
// API answers, so checks written against the demo hold on real projects.
func TestDemoShapedLikeCollector(t *testing.T) {
	srv := gcptest.New(t, filepath.Join("testdata", "api"))
	c, err := gcp.New(context.Background(), gcp.Options{
		Organization: "100200300400", Endpoint: srv.URL, WithoutAuthentication: true, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := &shapeSink{paths: map[string]map[string]bool{}}
	if err := c.Collect(context.Background(), got); err != nil {
		t.Fatal(err)
	}
	want := &shapeSink{paths: map[string]map[string]bool{}}
	if err := demo.New(demo.Options{Seed: 1}).Collect(context.Background(), want); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for k := range want.paths {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		if got.paths[k] == nil {
			t.Errorf("%s: the demo has it, the collector produced none", k)
			continue
		}
		var missing []string
		for p := range want.paths[k] {
			// Every project of the fixtures misses some service (that is
			// what they test), so "collected" is held to the schema.
			if svc, ok := strings.CutPrefix(p, ".collected."); ok && k == "gcp_project" && collectedField(svc) {
				continue
			}
			if !got.paths[k][p] {
				missing = append(missing, p)
			}
		}
		slices.Sort(missing)
		for _, p := range missing {
			t.Errorf("%s: demo path %s never produced by the collector", k, p)
		}
	}
}

// collectedField reports whether gcp_project's "collected" schema names svc.
func collectedField(svc string) bool {
	for _, k := range gcp.Kinds() {
		if k.Name != "gcp_project" {
			continue
		}
		for _, f := range k.Schema {
			if f.Name == "collected" {
				return slices.ContainsFunc(f.Fields, func(x resource.Field) bool { return x.Name == svc })
			}
		}
	}
	return false
}
