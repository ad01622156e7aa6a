package cli

import (
	"runtime/debug"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"640MiB", 640 << 20, false},
		{"2GiB", 2 << 30, false},
		{"512MB", 512e6, false},
		{" 1 KiB ", 1024, false},
		{"1048576", 1048576, false},
		{"0", 0, false},
		{"12B", 12, false},
		{"", 0, true},
		{"-1MiB", 0, true},
		{"1.5GiB", 3 << 29, false},
		{"1e3MiB", 0, true},
		{"NaN", 0, true},
		{"InfGiB", 0, true},
		{"lots", 0, true},
		{"9999999999TiB", 0, true},
	}
	for _, tt := range tests {
		got, err := parseByteSize(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestApplyMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "GOMEMLIMIT" {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name    string
		flag    string
		changed bool
		gomem   string
		start   int64
		want    int64
		wantErr bool
	}{
		{"default", "640MiB", false, "", 1 << 40, DefaultMemoryLimit, false},
		{"GOMEMLIMIT wins over the default", "640MiB", false, "3GiB", 3 << 30, 3 << 30, false},
		{"flag wins over GOMEMLIMIT", "1GiB", true, "3GiB", 3 << 30, 1 << 30, false},
		{"zero removes the limit", "0", true, "", 1 << 30, 1<<63 - 1, false},
		{"bad flag", "much", true, "", 1 << 30, 1 << 30, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			debug.SetMemoryLimit(tt.start)
			err := applyMemoryLimit(tt.flag, tt.changed, env(tt.gomem))
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.want {
				t.Errorf("limit %d, want %d", got, tt.want)
			}
		})
	}
}
