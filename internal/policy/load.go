package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"cloudward/internal/config"
	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"

	"github.com/goccy/go-yaml/ast"
)

// Env loads and compiles checks against one kind registry. Build one per
// run with NewEnv; it is safe for concurrent use.
type Env struct {
	reg *resource.Registry
	cel *celEnv
}

// NewEnv returns an Env for the kinds in reg.
func NewEnv(reg *resource.Registry) (*Env, error) {
	ce, err := newCELEnv()
	if err != nil {
		return nil, err
	}
	return &Env{reg: reg, cel: ce}, nil
}

// Registry returns the kind registry the Env validates against.
func (e *Env) Registry() *resource.Registry { return e.reg }

// Source is a tree of check files.
type Source struct {
	FS fs.FS
	// Root is the directory inside FS to walk ("." for all of it).
	Root string
	// Name prefixes file names in error messages and Check.File, e.g.
	// "checks" for the built-in tree or the directory a user passed.
	Name string
	// Trusted marks reviewed checks (the built-in tree): they run without
	// the runtime cost limit. User directories must leave it false.
	Trusted bool
}

// LoadChecks loads every *.yaml and *.yml file under each source, compiles
// the checks and validates them, including that IDs and aliases are unique
// across all sources. It reports every problem found, each as
// file:line: reason, joined into one error. Checks come back sorted by ID.
func (e *Env) LoadChecks(srcs ...Source) ([]*Check, error) {
	var (
		checks []*Check
		errs   []error
	)
	for _, src := range srcs {
		root := src.Root
		if root == "" {
			root = "."
		}
		err := fs.WalkDir(src.FS, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !isYAML(p) {
				return nil
			}
			data, err := fs.ReadFile(src.FS, p)
			if err != nil {
				return err
			}
			c, err := e.parseCheck(displayName(src.Name, p), data, src.Trusted)
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			checks = append(checks, c)
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("walk checks in %s: %w", displayName(src.Name, root), err))
		}
	}
	if err := uniqueIDs(checks); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(checks, func(a, b *Check) int { return strings.Compare(a.ID, b.ID) })
	return checks, nil
}

func isYAML(p string) bool {
	return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")
}

func displayName(prefix, p string) string {
	if prefix == "" {
		return p
	}
	return path.Join(prefix, p)
}

// Combine joins check sets (built-in, user, generated) and verifies that
// every ID and alias is unique across them.
func Combine(sets ...[]*Check) ([]*Check, error) {
	var all []*Check
	for _, s := range sets {
		all = append(all, s...)
	}
	if err := uniqueIDs(all); err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b *Check) int { return strings.Compare(a.ID, b.ID) })
	return all, nil
}

func uniqueIDs(checks []*Check) error {
	var errs []error
	owner := map[string]*Check{}
	for _, c := range checks {
		for _, id := range append([]string{c.ID}, c.Aliases...) {
			if o, dup := owner[id]; dup && o != c {
				errs = append(errs, fmt.Errorf("%s: check ID %q is already used by %s (%s)", where(c), id, o.ID, where(o)))
				continue
			}
			owner[id] = c
		}
	}
	return errors.Join(errs...)
}

func where(c *Check) string {
	if c.File == "" {
		return "generated check " + c.ID
	}
	return fmt.Sprintf("%s:%d", c.File, c.Line)
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)

// idPrefix returns the ID prefix checks of provider p must use.
func idPrefix(p resource.Provider) string {
	if p == resource.DigitalOcean {
		return "do-"
	}
	return string(p) + "-"
}

// rawTestResource is a test case's resource as written.
type rawTestResource struct {
	UID        string            `yaml:"uid"`
	Kind       string            `yaml:"kind"`
	Name       string            `yaml:"name"`
	Account    string            `yaml:"account"`
	Region     string            `yaml:"region"`
	Tags       map[string]string `yaml:"tags"`
	CreatedAt  string            `yaml:"created_at"`
	Properties map[string]any    `yaml:"properties"`
	Edge       bool              `yaml:"edge"`
}

// rawTest is a test case as written.
type rawTest struct {
	Name     string            `yaml:"name"`
	Expect   string            `yaml:"expect"`
	Resource *rawTestResource  `yaml:"resource"`
	Related  []rawTestResource `yaml:"related"`
	Org      *config.Org       `yaml:"org"`
	Now      string            `yaml:"now"`
}

// checkFields are the top-level keys of a check file, in documented order.
var checkFields = []string{
	"id", "aliases", "title", "severity", "provider", "kind", "area", "applies_if", "condition",
	"description", "risk", "remediation", "references", "tests",
}

// ParseCheck parses and compiles one check file; file names it in errors.
// It reports every problem found, each as file:line: reason. The check is
// untrusted: it runs under the runtime cost limit.
func (e *Env) ParseCheck(file string, data []byte) (*Check, error) {
	return e.parseCheck(file, data, false)
}

func (e *Env) parseCheck(file string, data []byte, trusted bool) (*Check, error) {
	ps := &config.Problems{File: file}
	root, err := config.ParseMapping(data)
	if err != nil {
		ps.AddYAML(1, "", err)
		return nil, ps.Err()
	}
	if root == nil {
		ps.Add(1, "empty check file")
		return nil, ps.Err()
	}
	c := &Check{File: file, Line: config.Line(root)}
	var (
		severity, provider, area string
		kinds                    []string
		tests                    []*ast.MappingValueNode
		nodes                    = map[string]*ast.MappingValueNode{}
	)
	for _, mv := range root.Values {
		key := config.Key(mv)
		line := config.Line(mv.Key)
		if _, dup := nodes[key]; dup {
			ps.Add(line, "duplicate key %q", key)
			continue
		}
		nodes[key] = mv
		var target any
		switch key {
		case "id":
			target = &c.ID
		case "aliases":
			target = &c.Aliases
		case "title":
			target = &c.Title
		case "severity":
			target = &severity
		case "provider":
			target = &provider
		case "kind":
			var v any
			if err := config.Decode(mv.Value, &v); err != nil {
				ps.AddYAML(line, "kind", err)
				continue
			}
			switch v := v.(type) {
			case string:
				kinds = []string{v}
			case []any:
				for _, k := range v {
					s, ok := k.(string)
					if !ok {
						ps.Add(line, "kind: want a kind name or a list of kind names, found %v", k)
						continue
					}
					kinds = append(kinds, s)
				}
			default:
				ps.Add(line, "kind: want a kind name or a list of kind names")
			}
			continue
		case "area":
			target = &area
		case "applies_if":
			target = &c.AppliesIf
		case "condition":
			target = &c.Condition
		case "description":
			target = &c.Description
		case "risk":
			target = &c.Risk
		case "remediation":
			target = &c.Remediation
		case "references":
			target = &c.References
		case "tests":
			tests = append(tests, mv)
			continue
		default:
			ps.Add(line, "unknown field %q (want one of %s)", key, strings.Join(checkFields, ", "))
			continue
		}
		if _, isNull := mv.Value.(*ast.NullNode); isNull {
			continue
		}
		if err := config.Decode(mv.Value, target); err != nil {
			ps.AddYAML(line, key, err)
		}
	}
	lineOf := func(key string) int {
		if mv, ok := nodes[key]; ok {
			return config.Line(mv.Key)
		}
		return c.Line
	}
	for _, f := range []struct {
		key string
		val string
	}{
		{"id", c.ID}, {"title", c.Title}, {"severity", severity}, {"provider", provider},
		{"area", area}, {"condition", c.Condition}, {"description", c.Description}, {"risk", c.Risk},
	} {
		if strings.TrimSpace(f.val) == "" {
			ps.Add(lineOf(f.key), "%s is required", f.key)
		}
	}
	if _, ok := nodes["kind"]; !ok {
		ps.Add(c.Line, "kind is required")
	}
	if strings.TrimSpace(c.Remediation.Text) == "" {
		ps.Add(lineOf("remediation"), "remediation.text is required")
	}

	c.Provider = resource.Provider(provider)
	if provider != "" && !c.Provider.Valid() {
		ps.Add(lineOf("provider"), "unknown provider %q (want aws, gcp, azure or digitalocean)", provider)
	}
	if c.ID != "" {
		validateID(ps, lineOf("id"), c.ID, c.Provider)
	}
	for _, a := range c.Aliases {
		validateID(ps, lineOf("aliases"), a, c.Provider)
		if a == c.ID {
			ps.Add(lineOf("aliases"), "alias %q repeats the check's own ID", a)
		}
	}
	if severity != "" {
		s, err := finding.ParseSeverity(severity)
		if err != nil {
			ps.Add(lineOf("severity"), "severity: %v", err)
		}
		c.Severity = s
	}
	c.Area = responsibility.Area(area)
	if area != "" && !c.Area.Valid() {
		ps.Add(lineOf("area"), "unknown area %q (want one of %s)", area, areaList())
	}
	if _, ok := nodes["kind"]; ok && len(kinds) == 0 {
		ps.Add(lineOf("kind"), "kind: at least one kind is required")
	}
	seenKind := map[string]bool{}
	for _, k := range kinds {
		if seenKind[k] {
			ps.Add(lineOf("kind"), "kind %q listed twice", k)
			continue
		}
		seenKind[k] = true
		kd, ok := e.reg.Lookup(k)
		if !ok {
			ps.Add(lineOf("kind"), "unknown kind %q (not in the kind registry; see `cloudward kinds`)", k)
			continue
		}
		if c.Provider.Valid() && kd.Provider != c.Provider {
			ps.Add(lineOf("kind"), "kind %q belongs to provider %s, not %s", k, kd.Provider, c.Provider)
		}
	}
	c.Kinds = kinds
	for _, r := range c.References {
		if !strings.HasPrefix(r, "https://") && !strings.HasPrefix(r, "http://") {
			ps.Add(lineOf("references"), "reference %q is not an http(s) URL", r)
		}
	}

	// Compile the expressions.
	if strings.TrimSpace(c.Condition) != "" {
		prg, idx, err := e.cel.compile(c.Condition, true, trusted)
		if err != nil {
			addCELProblems(ps, nodes["condition"], "condition", err)
		}
		c.condition = prg
		c.indexKinds = idx
	}
	if strings.TrimSpace(c.AppliesIf) != "" {
		prg, idx, err := e.cel.compile(c.AppliesIf, true, trusted)
		if err != nil {
			addCELProblems(ps, nodes["applies_if"], "applies_if", err)
		}
		c.appliesIf = prg
		c.indexKinds = mergeKinds(c.indexKinds, idx)
	}
	for _, k := range c.indexKinds {
		if _, ok := e.reg.Lookup(k); !ok {
			ps.Add(lineOf("condition"), "cross-resource function names unknown kind %q", k)
		}
	}

	// Test cases.
	if len(tests) == 0 {
		ps.Add(c.Line, "tests: at least one pass and one fail case are required")
	} else {
		e.parseTests(ps, c, tests[0].Value)
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func validateID(ps *config.Problems, line int, id string, p resource.Provider) {
	if !idPattern.MatchString(id) {
		ps.Add(line, "check ID %q must be lower-kebab-case (a-z, 0-9 and -)", id)
		return
	}
	if p.Valid() && !strings.HasPrefix(id, idPrefix(p)) {
		ps.Add(line, "check ID %q must start with %q for provider %s", id, idPrefix(p), p)
	}
}

func areaList() string {
	s := make([]string, len(responsibility.Areas))
	for i, a := range responsibility.Areas {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

func mergeKinds(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// addCELProblems reports CEL issues at their line in the file.
func addCELProblems(ps *config.Problems, mv *ast.MappingValueNode, field string, err error) {
	base := 0
	block := false
	if mv != nil {
		base = config.Line(mv.Key)
		_, block = mv.Value.(*ast.LiteralNode)
	}
	var ce *celError
	if !errors.As(err, &ce) {
		ps.Add(base, "%s: %v", field, err)
		return
	}
	for _, is := range ce.issues {
		line := base
		if is.line > 0 {
			// A block scalar starts on the line after its key.
			line = base + is.line - 1
			if block {
				line++
			}
		}
		ps.Add(line, "%s: %s", field, is.msg)
	}
}

func (e *Env) parseTests(ps *config.Problems, c *Check, n ast.Node) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		ps.Add(config.Line(n), "tests: want a list of test cases")
		return
	}
	names := map[string]bool{}
	var pass, fail bool
	for i, item := range seq.Values {
		line := config.Line(item)
		var rt rawTest
		if err := config.Decode(item, &rt); err != nil {
			ps.AddYAML(line, fmt.Sprintf("tests[%d]", i), err)
			continue
		}
		label := fmt.Sprintf("tests[%d] %q", i, rt.Name)
		tc := TestCase{Name: rt.Name, Expect: Expectation(rt.Expect), Line: line, Now: TestNow()}
		if rt.Name == "" {
			ps.Add(line, "tests[%d]: name is required", i)
		} else if names[rt.Name] {
			ps.Add(line, "%s: name used twice", label)
		}
		names[rt.Name] = true
		switch tc.Expect {
		case ExpectPass:
			pass = true
		case ExpectFail:
			fail = true
		case ExpectError:
		case ExpectSkip:
			if c.AppliesIf == "" {
				ps.Add(line, "%s: expect: skip needs applies_if", label)
			}
		default:
			ps.Add(line, "%s: expect %q: want pass, fail, error or skip", label, rt.Expect)
		}
		if rt.Now != "" {
			t, err := time.Parse(time.RFC3339, rt.Now)
			if err != nil {
				ps.Add(line, "%s: now %q is not an RFC 3339 timestamp", label, rt.Now)
			}
			tc.Now = t
		}
		if rt.Org != nil {
			config.ValidateOrg(ps, line, nil, *rt.Org)
			tc.Org = rt.Org
		}
		if rt.Resource == nil {
			ps.Add(line, "%s: resource is required", label)
			continue
		}
		if rt.Resource.Edge {
			ps.Add(line, "%s: edge: applies to related resources only", label)
		}
		kind := rt.Resource.Kind
		if kind == "" && len(c.Kinds) > 0 {
			kind = c.Kinds[0]
		}
		if kind != "" && !slices.Contains(c.Kinds, kind) {
			ps.Add(line, "%s: resource kind %q is not one of the check's kinds", label, kind)
		}
		subject, err := e.testResource(*rt.Resource, kind, "", "", fmt.Sprintf("test/%s/subject", kind))
		if err != nil {
			ps.Add(line, "%s: resource: %v", label, err)
			continue
		}
		tc.Resource = subject
		for j, rr := range rt.Related {
			if rr.Kind == "" {
				ps.Add(line, "%s: related[%d]: kind is required", label, j)
				continue
			}
			if _, ok := e.reg.Lookup(rr.Kind); !ok {
				ps.Add(line, "%s: related[%d]: unknown kind %q", label, j, rr.Kind)
				continue
			}
			r, err := e.testResource(rr, rr.Kind, subject.Account, subject.Region, fmt.Sprintf("test/%s/related-%d", rr.Kind, j))
			if err != nil {
				ps.Add(line, "%s: related[%d]: %v", label, j, err)
				continue
			}
			tc.Related = append(tc.Related, r)
			if rr.Edge {
				tc.Edges = append(tc.Edges, resource.Edge{From: subject.UID, To: r.UID, Type: "test"})
			}
		}
		c.Tests = append(c.Tests, tc)
	}
	if !pass || !fail {
		ps.Add(config.Line(n), "tests: at least one pass and one fail case are required")
	}
}

// testResource fills a test resource's defaults: the kind's provider, the
// provider's test account and region (for related resources, the
// subject's account and, unless the subject is global, its region),
// "global" for global kinds, name "test".
func (e *Env) testResource(rr rawTestResource, kind, account, region, uid string) (resource.Resource, error) {
	kd, _ := e.reg.Lookup(kind)
	defAccount, defRegion := TestDefaults(kd.Provider)
	if account != "" {
		defAccount = account
	}
	if region != "" && region != resource.GlobalRegion {
		defRegion = region
	}
	if kd.Global {
		defRegion = resource.GlobalRegion
	}
	r := resource.Resource{
		UID: or(rr.UID, uid), Provider: kd.Provider, Account: or(rr.Account, defAccount),
		Region: or(rr.Region, defRegion), Kind: kind, Name: or(rr.Name, "test"), Tags: rr.Tags,
	}
	if rr.CreatedAt != "" {
		t, err := time.Parse(time.RFC3339, rr.CreatedAt)
		if err != nil {
			return r, fmt.Errorf("created_at %q is not an RFC 3339 timestamp", rr.CreatedAt)
		}
		r.CreatedAt = t
	}
	props := rr.Properties
	if props == nil {
		props = map[string]any{}
	}
	b, err := json.Marshal(props)
	if err != nil {
		return r, fmt.Errorf("properties: %w", err)
	}
	r.Properties = b
	return r, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
