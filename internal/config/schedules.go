package config

import (
	"github.com/goccy/go-yaml/ast"
	"github.com/robfig/cron/v3"
)

// Schedule runs scans of one scope on a cron expression (`cloudward serve`).
type Schedule struct {
	// Scope is a scan scope (demo, aws, gcp, azure, digitalocean) or "*"
	// for every scope serve runs.
	Scope string `yaml:"scope"`
	// Cron is a standard five-field cron expression or a descriptor such
	// as @hourly or @every 30m.
	Cron string `yaml:"cron"`
	// Line locates the entry for errors found later (an unknown scope).
	Line int `yaml:"-"`
}

// parseSchedules reads the schedules: section.
func parseSchedules(ps *Problems, n ast.Node) []Schedule {
	if _, isNull := n.(*ast.NullNode); isNull {
		return nil
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		ps.Add(Line(n), "schedules: want a list of {scope, cron}")
		return nil
	}
	var out []Schedule
	for _, item := range seq.Values {
		var s Schedule
		if err := Decode(item, &s); err != nil {
			ps.AddYAML(Line(item), "schedules", err)
			continue
		}
		s.Line = Line(item)
		switch {
		case s.Scope == "":
			ps.Add(s.Line, "schedule without a scope (a scope name, or \"*\" for every scope)")
		case s.Cron == "":
			ps.Add(s.Line, "schedule for %q without a cron expression", s.Scope)
		default:
			if _, err := cron.ParseStandard(s.Cron); err != nil {
				ps.Add(s.Line, "schedule for %q: cron expression %q: %v", s.Scope, s.Cron, err)
				continue
			}
			out = append(out, s)
		}
	}
	return out
}
