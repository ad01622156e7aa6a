package sqlite

import (
	"testing"

	"cloudward/internal/store"
	"cloudward/internal/store/storetest"
)

func TestSearchConformance(t *testing.T) {
	storetest.RunSearch(t, func(t *testing.T) store.Store { return openTest(t, Options{}) })
}
