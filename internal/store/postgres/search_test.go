package postgres

import (
	"testing"

	"cloudward/internal/serverstate/statetest"
	"cloudward/internal/store"
	"cloudward/internal/store/storetest"
)

func TestSearchConformance(t *testing.T) {
	storetest.RunSearch(t, func(t *testing.T) store.Store { return openTest(t, Options{}) })
}

func TestServerState(t *testing.T) {
	s := openTest(t, Options{})
	defer s.Close()
	statetest.Run(t, s.ServerState())
}
