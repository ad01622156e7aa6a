package store

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultPath returns where the SQLite store lives when the user does not
// say: $XDG_DATA_HOME/cloudward/cloudward.db, or
// ~/.local/share/cloudward/cloudward.db when XDG_DATA_HOME is unset. It does
// not create anything.
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "cloudward", "cloudward.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("default store path: %w", err)
	}
	return filepath.Join(home, ".local", "share", "cloudward", "cloudward.db"), nil
}
