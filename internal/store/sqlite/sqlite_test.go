package sqlite

import (
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"cloudward/internal/store"
	"cloudward/internal/store/storetest"
)

func TestMain(m *testing.M) {
	if crashChild() {
		return
	}
	goleak.VerifyTestMain(m)
}

func openTest(t *testing.T, opts Options) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "sub", "dir", "cloudward.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t, Options{}) })
}

// TestConformanceSmallBatches runs the suite with tiny batches, so that
// every case crosses many flushes.
func TestConformanceSmallBatches(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t, Options{BatchSize: 3}) })
}
