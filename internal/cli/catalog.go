package cli

import (
	"fmt"
	"os"

	"cloudward/checks"
	"cloudward/frameworks"
	"cloudward/internal/config"
	"cloudward/internal/policy"
	"cloudward/internal/report"
	"cloudward/internal/resource"
)

// catalog is everything a run evaluates against: kinds, checks (built-in,
// the user's, and those generated from the company rules), frameworks and
// the company-rules file.
type catalog struct {
	registry   *resource.Registry
	checks     []*policy.Check
	frameworks []*policy.Framework
	config     *config.Config
	// sources are the check trees the checks were loaded from (built-in
	// first, then each --checks directory): distributed evaluation ships
	// their files to the workers.
	sources []policy.Source
}

// catalogOptions says where the user's additions come from.
type catalogOptions struct {
	checkDirs  []string
	configPath string
	// defaultConfig is used when configPath is empty (the demo's rules).
	defaultConfig []byte
}

func loadCatalog(opts catalogOptions) (*catalog, error) {
	reg, err := registry()
	if err != nil {
		return nil, err
	}
	env, err := policy.NewEnv(reg)
	if err != nil {
		return nil, fmt.Errorf("check environment: %w", err)
	}
	srcs := []policy.Source{{FS: checks.FS(), Root: ".", Name: "checks", Trusted: true}}
	for _, dir := range opts.checkDirs {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, usagef("--checks: %v", err)
		}
		if !st.IsDir() {
			return nil, usagef("--checks %s: not a directory", dir)
		}
		srcs = append(srcs, policy.Source{FS: os.DirFS(dir), Root: ".", Name: dir})
	}
	builtin, err := env.LoadChecks(srcs...)
	if err != nil {
		return nil, fmt.Errorf("load checks:\n%w", err)
	}
	cfg := &config.Config{}
	switch {
	case opts.configPath != "":
		if cfg, err = config.Load(opts.configPath); err != nil {
			return nil, err
		}
	case opts.defaultConfig != nil:
		if cfg, err = config.Parse("demo cloudward.yaml", opts.defaultConfig); err != nil {
			return nil, err
		}
	}
	org, err := env.OrgChecks(cfg.Org)
	if err != nil {
		return nil, fmt.Errorf("company rules: %w", err)
	}
	all, err := policy.Combine(builtin, org)
	if err != nil {
		return nil, err
	}
	if err := policy.ValidateMutes(all, cfg.Mutes); err != nil {
		return nil, err
	}
	fws, err := policy.LoadFrameworks(frameworks.FS(), ".", "frameworks", all)
	if err != nil {
		return nil, fmt.Errorf("load frameworks:\n%w", err)
	}
	return &catalog{registry: reg, checks: all, frameworks: fws, config: cfg, sources: srcs}, nil
}

// reportInfo converts the catalog into the plain data reports take.
func (c *catalog) reportInfo() ([]report.CheckInfo, []report.FrameworkInfo) {
	checks := make([]report.CheckInfo, 0, len(c.checks))
	for _, ch := range c.checks {
		checks = append(checks, report.CheckInfo{
			ID: ch.ID, Title: ch.Title, Severity: ch.Severity, Provider: string(ch.Provider),
			Area: string(ch.Area), Remediation: ch.Remediation.Text,
			Description: ch.Description, Risk: ch.Risk,
			RemediationCLI: ch.Remediation.CLI, RemediationTerraform: ch.Remediation.Terraform,
			References: ch.References,
		})
	}
	fws := make([]report.FrameworkInfo, 0, len(c.frameworks))
	for _, fw := range c.frameworks {
		fi := report.FrameworkInfo{ID: fw.ID, Title: fw.Title, Version: fw.Version, Provider: string(fw.Provider)}
		for _, r := range fw.Requirements {
			fi.Requirements = append(fi.Requirements, report.RequirementInfo{
				ID: r.ID, Section: r.Section, Title: r.Title, Automated: r.Automated, CheckIDs: r.Checks,
			})
		}
		fws = append(fws, fi)
	}
	return checks, fws
}
