package postgres

import (
	"errors"
	"os"
	"testing"

	"go.uber.org/goleak"

	"cloudward/internal/store"
	"cloudward/internal/store/postgres/pgtest"
	"cloudward/internal/store/storetest"
)

// pg is this test binary's PostgreSQL server, started by the first test
// that needs a database.
var pg = pgtest.New(pgtest.Options{})

func TestMain(m *testing.M) {
	if crashChild() {
		return
	}
	code := m.Run()
	if err := errors.Join(pg.Close(), pgDurable.Close()); err != nil && code == 0 {
		os.Stderr.WriteString("stop PostgreSQL: " + err.Error() + "\n")
		code = 1
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			os.Stderr.WriteString("goleak: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}

func openTest(t *testing.T, opts Options) *Store {
	t.Helper()
	s, err := Open(t.Context(), pg.NewDB(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.RunWith(t, storetest.PostgresJSON(), func(t *testing.T) store.Store { return openTest(t, Options{}) })
}

// TestConformanceSmallBatches runs the suite with tiny batches, so that
// every case crosses many flushes (and duplicate UIDs and edges land in
// different batches, taking the merge path).
func TestConformanceSmallBatches(t *testing.T) {
	storetest.RunWith(t, storetest.PostgresJSON(), func(t *testing.T) store.Store { return openTest(t, Options{BatchSize: 16}) })
}

func TestIsDSN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"postgres://u@h/db", true},
		{"postgresql://u@h/db", true},
		{"POSTGRES://u@h/db", true},
		{"/var/lib/cloudward.db", false},
		{"postgres.db", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsDSN(tt.in); got != tt.want {
			t.Errorf("IsDSN(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
