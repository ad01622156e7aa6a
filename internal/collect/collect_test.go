package collect

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"cloudward/internal/resource"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type recSink struct {
	mu        sync.Mutex
	resources []resource.Resource
	errs      []Error
}

func (s *recSink) Resource(_ context.Context, r resource.Resource) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resources = append(s.resources, r)
	return nil
}
func (s *recSink) Edge(context.Context, resource.Edge) error { return nil }
func (s *recSink) Error(_ context.Context, e Error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, e)
	return nil
}

func TestGuardRecoversPanics(t *testing.T) {
	sink := &recSink{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	scope := Scope{Provider: resource.AWS, Account: "1", Region: "eu-west-1", Service: "s3"}
	err := Guard(context.Background(), sink, log, scope, func() error { panic("boom") })
	if err != nil {
		t.Fatalf("Guard returned %v; a panic must become a collection error", err)
	}
	if len(sink.errs) != 1 {
		t.Fatalf("got %d collection errors, want 1", len(sink.errs))
	}
	e := sink.errs[0]
	if e.Account != "1" || e.Region != "eu-west-1" || e.Service != "s3" || e.Kind != Other || !strings.Contains(e.Message, "boom") {
		t.Errorf("collection error %+v does not carry the scope and cause", e)
	}
	want := errors.New("sink full")
	if err := Guard(context.Background(), sink, log, scope, func() error { return want }); !errors.Is(err, want) {
		t.Errorf("Guard changed a returned error: %v", err)
	}
}

type fakeCollector struct {
	name string
	n    int
	err  error
}

func (f fakeCollector) Name() string           { return f.name }
func (f fakeCollector) Kinds() []resource.Kind { return []resource.Kind{{Name: f.name + "_thing"}} }
func (f fakeCollector) Collect(ctx context.Context, sink Sink) error {
	for i := range f.n {
		if err := sink.Resource(ctx, resource.Resource{UID: f.name + string(rune('a'+i))}); err != nil {
			return err
		}
	}
	return f.err
}

func TestMulti(t *testing.T) {
	sink := &recSink{}
	m := Multi(fakeCollector{name: "aws", n: 3}, fakeCollector{name: "gcp", n: 2})
	if m.Name() != "aws+gcp" || len(m.Kinds()) != 2 {
		t.Errorf("Name %q, %d kinds", m.Name(), len(m.Kinds()))
	}
	if err := m.Collect(context.Background(), sink); err != nil {
		t.Fatal(err)
	}
	if len(sink.resources) != 5 {
		t.Errorf("collected %d resources, want 5", len(sink.resources))
	}
	failing := Multi(fakeCollector{name: "aws", n: 1}, fakeCollector{name: "gcp", err: errors.New("no credentials")})
	err := failing.Collect(context.Background(), &recSink{})
	if err == nil || !strings.Contains(err.Error(), "gcp: no credentials") {
		t.Errorf("error %v does not name the failing collector", err)
	}
}
