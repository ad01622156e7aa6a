package serverstate_test

import (
	"testing"

	"cloudward/internal/server/serverstate"
	"cloudward/internal/server/serverstate/statetest"
)

func TestMemory(t *testing.T) { statetest.Run(t, serverstate.NewMemory()) }
