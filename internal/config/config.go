// Package config reads cloudward.yaml, the company-rules file: the
// organisation's required tags, allowed regions, forbidden kinds, forbidden
// public exposure and customer-managed-key requirements, with their
// exceptions, and the governed list of mutes. It only parses and validates; the policy engine turns the rules into
// checks.
//
// The file is strict: unknown keys are errors naming file:line, so a typo
// never silently disables a rule. New sections (schedules, notifications…)
// are added as new fields of Config when they are implemented.
package config

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"cloudward/internal/resource"

	"github.com/goccy/go-yaml/ast"
)

// Config is the parsed company-rules file.
type Config struct {
	// Org holds the organisation-wide rules.
	Org Org
	// Mutes lists governed exceptions: failing findings they match are
	// reported as MUTED with the mute's reason.
	Mutes []Mute
	// Schedules says when `cloudward serve` scans each scope.
	Schedules []Schedule
}

// Org is the organisation-wide rules section (`org:`).
type Org struct {
	// RequiredTags are tag keys every taggable resource must carry with a
	// non-empty value.
	RequiredTags []string `yaml:"required_tags"`
	// AllowedRegions maps a provider to the regions resources may live in.
	// A provider without an entry is unconstrained.
	AllowedRegions map[resource.Provider][]string `yaml:"allowed_regions"`
	// TagRules require a tag on some providers or kinds, optionally with
	// its value matching a pattern (org-required-tags).
	TagRules []TagRule `yaml:"tag_rules"`
	// ForbiddenKinds are resource kinds the company does not allow at all
	// (org-forbidden-kinds).
	ForbiddenKinds []string `yaml:"forbidden_kinds"`
	// ForbiddenPublicExposure lists the kinds whose resources must not be
	// publicly exposed (org-no-public-exposure); AllKinds ("*") means every
	// kind cloudward can tell is public. What "public" means for each kind
	// is the policy package's reviewed table.
	ForbiddenPublicExposure []string `yaml:"forbidden_public_exposure"`
	// CustomerManagedKeys lists the kinds whose resources must be encrypted
	// with a customer-managed key (org-customer-managed-keys); AllKinds
	// ("*") means every kind cloudward can tell this for.
	CustomerManagedKeys []string `yaml:"customer_managed_keys"`
	// Exceptions exempt resources from the company rules.
	Exceptions []OrgException `yaml:"exceptions"`
	// File and Lines locate the rules for errors found after parsing
	// (unknown kinds need the kind registry).
	File  string   `yaml:"-"`
	Lines OrgLines `yaml:"-"`
}

// TagRule requires tag Key, non-empty, on the resources of Provider (all
// when empty) and Kinds (every taggable kind when empty). When Pattern is
// set, the value must match it: an RE2 regular expression matched against
// the whole value.
type TagRule struct {
	Key      string            `yaml:"key"`
	Pattern  string            `yaml:"pattern"`
	Provider resource.Provider `yaml:"provider"`
	Kinds    []string          `yaml:"kinds"`
}

// OrgException exempts the resources whose UID matches Resource (a Glob)
// from the company-rule checks listed in Checks (all of them when empty).
// Exempt resources get no finding from those checks.
type OrgException struct {
	Resource string   `yaml:"resource"`
	Checks   []string `yaml:"checks"`
	Reason   string   `yaml:"reason"`
}

// AllKinds, as the only item of a kind list of forbidden_public_exposure or
// customer_managed_keys, selects every kind the rule can be decided for.
const AllKinds = "*"

// OrgLines holds the line of each list item of the org section.
type OrgLines struct {
	TagRules                []int
	ForbiddenKinds          []int
	ForbiddenPublicExposure []int
	CustomerManagedKeys     []int
	Exceptions              []int
}

// At returns lines[i], or fallback when the line is unknown.
func (OrgLines) At(lines []int, i, fallback int) int {
	if i < len(lines) && lines[i] > 0 {
		return lines[i]
	}
	return fallback
}

// Empty reports whether o sets no rule.
func (o Org) Empty() bool {
	return len(o.RequiredTags) == 0 && len(o.AllowedRegions) == 0 && len(o.TagRules) == 0 && len(o.ForbiddenKinds) == 0 &&
		len(o.ForbiddenPublicExposure) == 0 && len(o.CustomerManagedKeys) == 0
}

// Load reads and parses the file at name.
func Load(name string) (*Config, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(name, data)
}

// Parse parses a cloudward.yaml document; name is used in error messages.
// Every problem is reported, each as name:line: reason.
func Parse(name string, data []byte) (*Config, error) {
	ps := &Problems{File: name}
	cfg := &Config{}
	root, err := ParseMapping(data)
	if err != nil {
		ps.AddYAML(1, "", err)
		return nil, ps.Err()
	}
	if root == nil {
		return cfg, nil
	}
	seen := map[string]bool{}
	for _, mv := range root.Values {
		key := Key(mv)
		line := Line(mv.Key)
		if seen[key] {
			ps.Add(line, "duplicate key %q", key)
			continue
		}
		seen[key] = true
		switch key {
		case "org":
			parseOrg(ps, mv.Value, &cfg.Org)
		case "mutes":
			cfg.Mutes = append(cfg.Mutes, parseMutes(ps, mv.Value)...)
		case "schedules":
			cfg.Schedules = parseSchedules(ps, mv.Value)
		default:
			ps.Add(line, "unknown key %q (want org, mutes or schedules)", key)
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func parseOrg(ps *Problems, n ast.Node, org *Org) {
	if _, isNull := n.(*ast.NullNode); isNull {
		return
	}
	if err := Decode(n, org); err != nil {
		ps.AddYAML(Line(n), "org", err)
		return
	}
	org.File = ps.File
	if m, ok := n.(*ast.MappingNode); ok {
		for _, mv := range m.Values {
			seq, ok := mv.Value.(*ast.SequenceNode)
			if !ok {
				continue
			}
			var lines []int
			for _, item := range seq.Values {
				lines = append(lines, Line(item))
			}
			switch Key(mv) {
			case "tag_rules":
				org.Lines.TagRules = lines
			case "forbidden_kinds":
				org.Lines.ForbiddenKinds = lines
			case "forbidden_public_exposure":
				org.Lines.ForbiddenPublicExposure = lines
			case "customer_managed_keys":
				org.Lines.CustomerManagedKeys = lines
			case "exceptions":
				org.Lines.Exceptions = lines
			}
		}
	}
	ValidateOrg(ps, Line(n), KeyLines(n), *org)
}

// ValidateOrg records the problems of org: empty or repeated tag keys,
// unknown providers, empty region lists. lines gives the line of each key
// path (see KeyLines); problems at unknown paths are reported at line.
func ValidateOrg(ps *Problems, line int, lines map[string]int, org Org) {
	at := func(path string) int {
		if l, ok := lines[path]; ok {
			return l
		}
		return line
	}
	seen := map[string]bool{}
	for _, t := range org.RequiredTags {
		if strings.TrimSpace(t) == "" {
			ps.Add(at("required_tags"), "org.required_tags: empty tag key")
		}
		if seen[t] {
			ps.Add(at("required_tags"), "org.required_tags: %q listed twice", t)
		}
		seen[t] = true
	}
	provs := make([]resource.Provider, 0, len(org.AllowedRegions))
	for p := range org.AllowedRegions {
		provs = append(provs, p)
	}
	slices.Sort(provs)
	for _, p := range provs {
		pl := at("allowed_regions." + string(p))
		if !p.Valid() {
			ps.Add(pl, "org.allowed_regions: unknown provider %q (want one of %s)", p, providerList())
		}
		if len(org.AllowedRegions[p]) == 0 {
			ps.Add(pl, "org.allowed_regions.%s: empty region list (omit the provider to leave it unconstrained)", p)
		}
		for _, r := range org.AllowedRegions[p] {
			if strings.TrimSpace(r) == "" {
				ps.Add(pl, "org.allowed_regions.%s: empty region", p)
			}
		}
	}
	for i, r := range org.TagRules {
		l := org.Lines.At(org.Lines.TagRules, i, at("tag_rules"))
		if strings.TrimSpace(r.Key) == "" {
			ps.Add(l, "org.tag_rules[%d]: key is required", i)
		}
		if r.Provider != "" && !r.Provider.Valid() {
			ps.Add(l, "org.tag_rules[%d]: unknown provider %q (want one of %s)", i, r.Provider, providerList())
		}
		if r.Pattern != "" {
			if _, err := regexp.Compile(r.Pattern); err != nil {
				ps.Add(l, "org.tag_rules[%d]: bad pattern %q: %v", i, r.Pattern, err)
			}
		}
	}
	for i, k := range org.ForbiddenKinds {
		if strings.TrimSpace(k) == "" {
			ps.Add(org.Lines.At(org.Lines.ForbiddenKinds, i, at("forbidden_kinds")), "org.forbidden_kinds: empty kind")
		}
	}
	kindList := func(name string, lines []int, list []string) {
		seen := map[string]bool{}
		for i, k := range list {
			l := org.Lines.At(lines, i, at(name))
			switch {
			case strings.TrimSpace(k) == "":
				ps.Add(l, "org.%s: empty kind", name)
			case k == AllKinds && len(list) > 1:
				ps.Add(l, "org.%s: %q selects every kind and must be the only item", name, AllKinds)
			case seen[k]:
				ps.Add(l, "org.%s: %q listed twice", name, k)
			}
			seen[k] = true
		}
	}
	kindList("forbidden_public_exposure", org.Lines.ForbiddenPublicExposure, org.ForbiddenPublicExposure)
	kindList("customer_managed_keys", org.Lines.CustomerManagedKeys, org.CustomerManagedKeys)
	for i, x := range org.Exceptions {
		l := org.Lines.At(org.Lines.Exceptions, i, at("exceptions"))
		if strings.TrimSpace(x.Resource) == "" {
			ps.Add(l, "org.exceptions[%d]: resource (a UID or glob) is required", i)
		}
		if strings.TrimSpace(x.Reason) == "" {
			ps.Add(l, "org.exceptions[%d]: reason is required", i)
		}
		for _, id := range x.Checks {
			if !strings.HasPrefix(id, "org-") {
				ps.Add(l, "org.exceptions[%d]: %q is not a company-rule check (org-…); use mutes for built-in checks", i, id)
			}
		}
	}
}

func providerList() string {
	s := make([]string, len(resource.Providers))
	for i, p := range resource.Providers {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}
