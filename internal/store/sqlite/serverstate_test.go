package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"cloudward/internal/serverstate/statetest"
	"cloudward/internal/store/sqlite"
)

func TestServerState(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	statetest.Run(t, st.ServerState())
}
