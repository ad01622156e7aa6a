package serverstate_test

import (
	"testing"

	"cloudward/internal/serverstate"
	"cloudward/internal/serverstate/statetest"
)

func TestMemory(t *testing.T) { statetest.Run(t, serverstate.NewMemory()) }
