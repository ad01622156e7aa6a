package store

import (
	"path/filepath"
	"testing"
)

func TestDefaultPath(t *testing.T) {
	tests := []struct {
		name string
		xdg  string
		home string
		want string
	}{
		{"xdg", "/data", "/home/u", "/data/cloudward/cloudward.db"},
		{"no xdg", "", "/home/u", "/home/u/.local/share/cloudward/cloudward.db"},
		{"relative xdg is ignored", "rel", "/home/u", "/home/u/.local/share/cloudward/cloudward.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_DATA_HOME", tt.xdg)
			t.Setenv("HOME", tt.home)
			got, err := DefaultPath()
			if err != nil {
				t.Fatal(err)
			}
			if got != filepath.FromSlash(tt.want) {
				t.Errorf("DefaultPath() = %q, want %q", got, tt.want)
			}
		})
	}
}
