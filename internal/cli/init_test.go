package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudward/internal/config"
	"cloudward/internal/resource"
)

func TestInit(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		want      []string
		wantNot   []string
		regionsOf string // a provider whose allowed regions must be set; "" for none
	}{
		{
			name:      "healthcare in the EU",
			args:      []string{"--industry", "healthcare", "--customers", "eu", "--required-tags", "owner,cost-center"},
			want:      []string{"--framework hipaa-security-rule", "--framework gdpr", "--framework nis2", "required_tags: [owner, cost-center]", "\n  forbidden_public_exposure: [", "\n  customer_managed_keys: ["},
			regionsOf: "aws",
		},
		{
			name:    "payments, global customers",
			args:    []string{"--industry", "payments", "--customers", "global"},
			want:    []string{"--framework pci-dss-4.0", "required_tags: [owner, environment]"},
			wantNot: []string{"--framework gdpr"},
		},
		{
			name:      "saas: customer-managed keys suggested, not required",
			args:      []string{"--industry", "saas", "--customers", "us"},
			want:      []string{"\n  forbidden_public_exposure: [", "\n  # customer_managed_keys: ["},
			wantNot:   []string{"\n  customer_managed_keys: ["},
			regionsOf: "aws",
		},
		{name: "unknown industry", args: []string{"--industry", "mining", "--customers", "eu"}, wantCode: ExitError},
		{name: "no answers without a terminal", args: nil, wantCode: ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cloudward.yaml")
			code, _, stderr := run(t, append([]string{"init", "--output", path}, tt.args...)...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d: %s", code, tt.wantCode, stderr)
			}
			if tt.wantCode != 0 {
				return
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(data), w) {
					t.Errorf("file lacks %q:\n%s", w, data)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(string(data), w) {
					t.Errorf("file has %q", w)
				}
			}
			cfg, err := config.Parse(path, data)
			if err != nil {
				t.Fatalf("generated file does not parse: %v", err)
			}
			if got := len(cfg.Org.AllowedRegions[resource.Provider(tt.regionsOf)]); (tt.regionsOf != "") != (got > 0) {
				t.Errorf("allowed regions for %q: %d", tt.regionsOf, got)
			}
			// The file loads with the real catalog and drives a scan.
			if code, _, stderr := run(t, "scan", "--demo", "--config", path, "--db", filepath.Join(t.TempDir(), "db"), "-o", "json", "--output-file", os.DevNull); code != 0 {
				t.Errorf("scan with the generated file: exit %d: %s", code, stderr)
			}
			// A second init does not overwrite without --force.
			if code, _, _ := run(t, append([]string{"init", "--output", path}, tt.args...)...); code != ExitError {
				t.Errorf("init over an existing file: exit %d, want %d", code, ExitError)
			}
		})
	}
}
