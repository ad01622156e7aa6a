package config

import (
	"strings"
	"testing"
)

func TestSchedules(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []Schedule
		err  string // substring; "" for success
	}{
		{
			name: "scopes and descriptors",
			yaml: "schedules:\n  - {scope: aws, cron: \"0 */6 * * *\"}\n  - {scope: \"*\", cron: \"@hourly\"}\n",
			want: []Schedule{{Scope: "aws", Cron: "0 */6 * * *", Line: 2}, {Scope: "*", Cron: "@hourly", Line: 3}},
		},
		{name: "bad cron", yaml: "schedules:\n  - {scope: aws, cron: \"every day\"}\n", err: "c.yaml:2: schedule for \"aws\": cron expression"},
		{name: "no scope", yaml: "schedules:\n  - {cron: \"@daily\"}\n", err: "c.yaml:2: schedule without a scope"},
		{name: "no cron", yaml: "schedules:\n  - {scope: gcp}\n", err: "without a cron expression"},
		{name: "not a list", yaml: "schedules: daily\n", err: "want a list"},
		{name: "unknown field", yaml: "schedules:\n  - {scope: gcp, cron: \"@daily\", when: now}\n", err: "c.yaml:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tt.yaml))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Schedules) != len(tt.want) {
				t.Fatalf("schedules %+v, want %+v", cfg.Schedules, tt.want)
			}
			for i := range tt.want {
				if cfg.Schedules[i] != tt.want[i] {
					t.Errorf("schedule %d = %+v, want %+v", i, cfg.Schedules[i], tt.want[i])
				}
			}
		})
	}
}
