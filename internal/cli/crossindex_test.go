package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"

	"cloudward/internal/collect"
	"cloudward/internal/collect/demo"
	"cloudward/internal/evaluate"
	"cloudward/internal/finding"
	"cloudward/internal/policy"
	"cloudward/internal/resource"
	"cloudward/internal/store"
	"cloudward/internal/store/sqlite"
)

// reemitSink passes everything on and remembers the reserved IPs and load
// balancers and the addresses DNS records point at, so that the test can
// emit one that a record points at again, with another address.
type reemitSink struct {
	collect.Sink
	holders []resource.Resource
	pointed map[string]bool // A record data
}

func (s *reemitSink) Resource(ctx context.Context, r resource.Resource) error {
	switch r.Kind {
	case "do_reserved_ip", "do_loadbalancer":
		s.holders = append(s.holders, r)
	case "do_domain":
		var d struct {
			Records []struct{ Type, Data string } `json:"records"`
		}
		if err := json.Unmarshal(r.Properties, &d); err != nil {
			return err
		}
		for _, rec := range d.Records {
			if rec.Type == "A" {
				s.pointed[rec.Data] = true
			}
		}
	}
	return s.Sink.Resource(ctx, r)
}

// pointedHolder returns a reserved IP or load balancer whose address a record
// names.
func (s *reemitSink) pointedHolder() (resource.Resource, bool) {
	for _, h := range s.holders {
		var p struct {
			IP string `json:"ip"`
		}
		if json.Unmarshal(h.Properties, &p) == nil && s.pointed[p.IP] {
			return h, true
		}
	}
	return resource.Resource{}, false
}

// TestCrossCaptureMatchesReadBack checks that the index the scan builds
// while the collection streams gives the cross-resource checks exactly the
// verdicts of the index read back from the store (what distributed scans
// and earlier versions use), including a resource emitted twice.
func TestCrossCaptureMatchesReadBack(t *testing.T) {
	ctx := t.Context()
	cat, err := loadCatalog(catalogOptions{defaultConfig: demo.Config})
	if err != nil {
		t.Fatal(err)
	}
	var deferred []*policy.Check
	for _, c := range cat.checks {
		if len(c.IndexKinds()) > 0 {
			deferred = append(deferred, c)
		}
	}
	eng, err := policy.NewEngine(deferred, policy.EngineOptions{Now: demo.Epoch, Org: cat.config.Org})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "x.db"), sqlite.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.Begin(ctx, "test", demo.Epoch)
	if err != nil {
		t.Fatal(err)
	}
	queue := make(chan resource.Resource, 64)
	done := make(chan struct{})
	go func() {
		for range queue {
		}
		close(done)
	}()
	capture := newCrossCapture(eng)
	if capture == nil {
		t.Fatal("the built-in checks look across nothing")
	}
	sink := &streamSink{Sink: w, queue: queue, progress: nil, cross: capture}
	// Reserved IPs and load balancers are read account-wide by
	// do-dns-record-not-dangling: one emitted again with another address
	// leaves its record dangling, in the store (the last version wins) and
	// so in the index.
	re := &reemitSink{Sink: sink, pointed: map[string]bool{}}
	if err := demo.New(demo.Options{Seed: 1, Size: 3000}).Collect(ctx, re); err != nil {
		t.Fatal(err)
	}
	again, ok := re.pointedHolder()
	if !ok {
		t.Fatal("no DNS record of the demo points at a reserved IP or load balancer")
	}
	again.Properties = json.RawMessage(`{"ip":"203.0.113.250"}`)
	if err := sink.Resource(ctx, again); err != nil {
		t.Fatal(err)
	}
	close(queue)
	<-done
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	captured, err := capture.finish(ctx, st, w.ID())
	if err != nil {
		t.Fatal(err)
	}
	readBack, err := evaluate.LoadIndex(ctx, st, w.ID(), eng)
	if err != nil {
		t.Fatal(err)
	}
	if captured.Len() != readBack.Len() {
		t.Errorf("captured index holds %d resources, read back %d", captured.Len(), readBack.Len())
	}
	var kinds []string
	for _, c := range deferred {
		kinds = append(kinds, c.Kinds...)
	}
	evalWith := func(idx *policy.Index) []finding.Finding {
		var out []finding.Finding
		_, err := eng.Evaluate(ctx, st.Resources(ctx, w.ID(), store.ResourceFilter{Kinds: kinds}), idx, func(fs []finding.Finding) error {
			out = append(out, fs...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(out, func(a, b finding.Finding) int {
			return cmp.Or(cmp.Compare(a.CheckID, b.CheckID), cmp.Compare(a.ResourceUID, b.ResourceUID))
		})
		return out
	}
	got, want := evalWith(captured), evalWith(readBack)
	if len(got) != len(want) {
		t.Fatalf("%d findings with the captured index, %d with the read-back one", len(got), len(want))
	}
	statuses := map[finding.Status]int{}
	for i := range got {
		g, w := got[i], want[i]
		if g.CheckID != w.CheckID || g.ResourceUID != w.ResourceUID || g.Status != w.Status || g.Reason != w.Reason {
			t.Errorf("finding %d: captured %s %s %s (%s), read back %s %s %s (%s)", i,
				g.CheckID, g.ResourceUID, g.Status, g.Reason, w.CheckID, w.ResourceUID, w.Status, w.Reason)
		}
		statuses[g.Status]++
	}
	if statuses[finding.Pass] == 0 || statuses[finding.Fail] == 0 {
		t.Errorf("want both verdicts among the cross-resource findings, got %v", statuses)
	}
}
