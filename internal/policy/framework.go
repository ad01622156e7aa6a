package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"cloudward/internal/config"
	"cloudward/internal/resource"

	"github.com/goccy/go-yaml/ast"
)

// Framework is a benchmark or regulation: requirements mapped to checks.
type Framework struct {
	ID          string
	Title       string
	Version     string
	Provider    resource.Provider // empty for multi-cloud frameworks
	Source      string
	Description string
	// Requirements in file order.
	Requirements []Requirement
	File         string
	Line         int
}

// Requirement is one control of a framework.
type Requirement struct {
	ID      string `yaml:"id"`
	Title   string `yaml:"title"`
	Section string `yaml:"section"`
	// Automated is the framework's own assessment status (CIS: automated
	// or manual).
	Automated bool `yaml:"automated"`
	Level     int  `yaml:"level"`
	// Checks are canonical check IDs (aliases in the file are resolved).
	// A requirement without checks is reported as manual.
	Checks []string `yaml:"checks"`
	Line   int      `yaml:"-"`
}

// Manual reports whether no check implements the requirement.
func (r *Requirement) Manual() bool { return len(r.Checks) == 0 }

var frameworkIDPattern = regexp.MustCompile(`^[a-z0-9]+([.-][a-z0-9]+)*$`)

// LoadFrameworks loads every *.yaml file under root in fsys (name prefixes
// file names in errors) and resolves requirement check IDs against checks.
// It reports every problem found, each as file:line: reason. Frameworks come
// back sorted by ID.
func LoadFrameworks(fsys fs.FS, root, name string, checks []*Check) ([]*Framework, error) {
	var (
		out  []*Framework
		errs []error
	)
	ids := map[string]string{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isYAML(p) {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		file := displayName(name, p)
		f, err := ParseFramework(file, data, checks)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if prev, dup := ids[f.ID]; dup {
			errs = append(errs, fmt.Errorf("%s:%d: framework ID %q is already used by %s", file, f.Line, f.ID, prev))
			return nil
		}
		ids[f.ID] = file
		out = append(out, f)
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("walk frameworks in %s: %w", displayName(name, root), err))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *Framework) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// ParseFramework parses one framework file; file names it in errors.
func ParseFramework(file string, data []byte, checks []*Check) (*Framework, error) {
	ps := &config.Problems{File: file}
	root, err := config.ParseMapping(data)
	if err != nil {
		ps.AddYAML(1, "", err)
		return nil, ps.Err()
	}
	if root == nil {
		ps.Add(1, "empty framework file")
		return nil, ps.Err()
	}
	f := &Framework{File: file, Line: config.Line(root)}
	var provider string
	lines := map[string]int{}
	var reqs ast.Node
	for _, mv := range root.Values {
		key := config.Key(mv)
		line := config.Line(mv.Key)
		if _, dup := lines[key]; dup {
			ps.Add(line, "duplicate key %q", key)
			continue
		}
		lines[key] = line
		var target any
		switch key {
		case "id":
			target = &f.ID
		case "title":
			target = &f.Title
		case "version":
			target = &f.Version
		case "provider":
			target = &provider
		case "source":
			target = &f.Source
		case "description":
			target = &f.Description
		case "requirements":
			reqs = mv.Value
			continue
		default:
			ps.Add(line, "unknown field %q (want id, title, version, provider, source, description or requirements)", key)
			continue
		}
		if err := config.Decode(mv.Value, target); err != nil {
			ps.AddYAML(line, key, err)
		}
	}
	lineOf := func(k string) int {
		if l, ok := lines[k]; ok {
			return l
		}
		return f.Line
	}
	if f.ID == "" {
		ps.Add(lineOf("id"), "id is required")
	} else if !frameworkIDPattern.MatchString(f.ID) {
		ps.Add(lineOf("id"), "framework ID %q must be lower case (a-z, 0-9, '-' and '.')", f.ID)
	}
	if strings.TrimSpace(f.Title) == "" {
		ps.Add(lineOf("title"), "title is required")
	}
	f.Provider = resource.Provider(provider)
	if provider != "" && !f.Provider.Valid() {
		ps.Add(lineOf("provider"), "unknown provider %q", provider)
	}
	byID := map[string]*Check{}
	for _, c := range checks {
		byID[c.ID] = c
		for _, a := range c.Aliases {
			byID[a] = c
		}
	}
	seq, ok := reqs.(*ast.SequenceNode)
	switch {
	case reqs == nil:
		ps.Add(f.Line, "requirements: at least one requirement is required")
	case !ok:
		ps.Add(lineOf("requirements"), "requirements: want a list")
	}
	seen := map[string]int{}
	if ok {
		for i, item := range seq.Values {
			line := config.Line(item)
			var r Requirement
			if err := config.Decode(item, &r); err != nil {
				ps.AddYAML(line, fmt.Sprintf("requirements[%d]", i), err)
				continue
			}
			r.Line = line
			if r.ID == "" {
				ps.Add(line, "requirements[%d]: id is required", i)
			} else if prev, dup := seen[r.ID]; dup {
				ps.Add(line, "requirement %q is listed twice (first at line %d)", r.ID, prev)
			} else {
				seen[r.ID] = line
			}
			if strings.TrimSpace(r.Title) == "" {
				ps.Add(line, "requirement %q: title is required", r.ID)
			}
			if r.Level < 0 {
				ps.Add(line, "requirement %q: level must not be negative", r.ID)
			}
			var resolved []string
			for _, id := range r.Checks {
				c, ok := byID[id]
				if !ok && IsOrgCheckID(id) {
					// A company-rule check exists only when cloudward.yaml
					// sets its rule; without it the requirement rests on
					// its other checks, or is manual.
					continue
				}
				if !ok {
					ps.Add(line, "requirement %q: unknown check %q", r.ID, id)
					continue
				}
				if !slices.Contains(resolved, c.ID) {
					resolved = append(resolved, c.ID)
				}
			}
			r.Checks = resolved
			f.Requirements = append(f.Requirements, r)
		}
		if len(seq.Values) == 0 {
			ps.Add(lineOf("requirements"), "requirements: at least one requirement is required")
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return f, nil
}
