package config

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"cloudward/internal/resource"
)

// Mute is one governed exception: a rule that turns the FAIL findings it
// matches into MUTED. Every set matcher must match (AND); a finding is
// muted when any active rule matches it (OR). Matchers left empty match
// everything, but a rule must set at least one.
type Mute struct {
	// Check is a check ID, alias or Glob over them; empty or "*" matches
	// every check.
	Check string
	// Provider, when set, limits the rule to one provider.
	Provider resource.Provider
	// Account and Region, when set, are Globs over the resource's account
	// (AWS account, GCP project, Azure subscription, DO team) and region.
	Account string
	Region  string
	// Resource is a resource UID or a Glob over UIDs.
	Resource string
	// Tags lists tags the resource must all carry; each value is a Glob
	// ("*" only requires the key).
	Tags map[string]string
	// Reason says why the finding is accepted; it is required.
	Reason string
	// Owner is who answers for the exception (a person or team); required.
	Owner string
	// Ticket is an optional http(s) link to the tracking ticket.
	Ticket string
	// Expires is the last day (UTC) the rule applies; zero means never.
	Expires time.Time
	// File and Line locate the rule in its file.
	File string
	Line int
}

// DateLayout is the layout of Mute.Expires in the file.
const DateLayout = "2006-01-02"

// Active reports whether the rule applies at now: it has no expiry or now
// is on or before its expiry day (UTC).
func (m *Mute) Active(now time.Time) bool {
	return m.Expires.IsZero() || now.Before(m.Expires.AddDate(0, 0, 1))
}

// Where returns file:line of the rule.
func (m *Mute) Where() string {
	if m.Line <= 0 {
		return m.File
	}
	return fmt.Sprintf("%s:%d", m.File, m.Line)
}

// MuteMatcher is a Mute with its patterns compiled. It is immutable and
// safe for concurrent use.
type MuteMatcher struct {
	// Mute is the rule.
	Mute     *Mute
	check    Glob
	account  Glob
	region   Glob
	resource Glob
	tags     []tagGlob
}

type tagGlob struct {
	key   string
	value Glob
}

// Compile compiles the rule's patterns.
func (m *Mute) Compile() *MuteMatcher {
	mm := &MuteMatcher{
		Mute:     m,
		check:    CompileGlob(m.Check),
		account:  CompileGlob(m.Account),
		region:   CompileGlob(m.Region),
		resource: CompileGlob(m.Resource),
	}
	for k, v := range m.Tags {
		mm.tags = append(mm.tags, tagGlob{key: k, value: CompileGlob(v)})
	}
	slices.SortFunc(mm.tags, func(a, b tagGlob) int { return strings.Compare(a.key, b.key) })
	return mm
}

// MatchesCheck reports whether the rule covers a check known by any of ids
// (its ID and aliases).
func (mm *MuteMatcher) MatchesCheck(ids ...string) bool {
	return slices.ContainsFunc(ids, mm.check.Match)
}

// CheckIsLiteral reports whether the rule names one check ID or alias
// rather than a pattern.
func (mm *MuteMatcher) CheckIsLiteral() bool { return mm.check.IsLiteral() }

// MatchesResource reports whether the rule's provider, account, region,
// resource and tag matchers all match r. It does not look at the check or
// the expiry.
func (mm *MuteMatcher) MatchesResource(r *resource.Resource) bool {
	m := mm.Mute
	if m.Provider != "" && m.Provider != r.Provider {
		return false
	}
	if !mm.account.Match(r.Account) || !mm.region.Match(r.Region) || !mm.resource.Match(r.UID) {
		return false
	}
	for _, t := range mm.tags {
		v, ok := r.Tags[t.key]
		if !ok || !t.value.Match(v) {
			return false
		}
	}
	return true
}

// LoadMutes reads a mutes file (see ParseMutes).
func LoadMutes(name string) ([]Mute, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read mutes: %w", err)
	}
	return ParseMutes(name, data)
}

// ParseMutes parses a mutes file: either a list of rules, or a mapping
// whose only key is `mutes:` holding that list (the cloudward.yaml section,
// so rules can move between the two files unchanged). name is used in error
// messages; every problem is reported, each as name:line: reason.
func ParseMutes(name string, data []byte) ([]Mute, error) {
	ps := &Problems{File: name}
	body, err := parseBody(data)
	if err != nil {
		ps.AddYAML(1, "", err)
		return nil, ps.Err()
	}
	var out []Mute
	switch n := body.(type) {
	case nil:
	case *ast.MappingNode:
		for _, mv := range n.Values {
			if key := Key(mv); key != "mutes" {
				ps.Add(Line(mv.Key), "unknown key %q (a mutes file holds a list of rules, or `mutes:` and that list)", key)
				continue
			}
			out = append(out, parseMutes(ps, mv.Value)...)
		}
	default:
		out = parseMutes(ps, n)
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// parseBody parses data as a single YAML document and returns its body,
// nil for an empty document.
func parseBody(data []byte) (body ast.Node, err error) {
	defer func() {
		if p := recover(); p != nil {
			body, err = nil, &Problem{Line: 1, Reason: fmt.Sprintf("YAML parser failed: %v", p)}
		}
	}()
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, err
	}
	var bodies []ast.Node
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			bodies = append(bodies, d.Body)
		}
	}
	switch len(bodies) {
	case 0:
		return nil, nil
	case 1:
		return bodies[0], nil
	}
	return nil, &Problem{Line: Line(bodies[1]), Reason: "more than one YAML document"}
}

// rawMute is a rule as written in the file.
type rawMute struct {
	Check    string            `yaml:"check"`
	Provider string            `yaml:"provider"`
	Account  string            `yaml:"account"`
	Region   string            `yaml:"region"`
	Resource string            `yaml:"resource"`
	Tags     map[string]string `yaml:"tags"`
	Reason   string            `yaml:"reason"`
	Owner    string            `yaml:"owner"`
	Ticket   string            `yaml:"ticket"`
	Expires  string            `yaml:"expires"`
}

func parseMutes(ps *Problems, n ast.Node) []Mute {
	if _, isNull := n.(*ast.NullNode); isNull {
		return nil
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		ps.Add(Line(n), "mutes: expected a list of mute rules, found %s", n.Type())
		return nil
	}
	var out []Mute
	for i, item := range seq.Values {
		line := Line(item)
		var rm rawMute
		if err := Decode(item, &rm); err != nil {
			ps.AddYAML(line, fmt.Sprintf("mutes[%d]", i), err)
			continue
		}
		m := Mute{
			Check: strings.TrimSpace(rm.Check), Provider: resource.Provider(strings.TrimSpace(rm.Provider)),
			Account: strings.TrimSpace(rm.Account), Region: strings.TrimSpace(rm.Region),
			Resource: strings.TrimSpace(rm.Resource), Tags: rm.Tags,
			Reason: strings.TrimSpace(rm.Reason), Owner: strings.TrimSpace(rm.Owner), Ticket: strings.TrimSpace(rm.Ticket),
			File: ps.File, Line: line,
		}
		before := ps.Len()
		if m.Check == "" && m.Provider == "" && m.Account == "" && m.Region == "" && m.Resource == "" && len(m.Tags) == 0 {
			ps.Add(line, "mutes[%d]: matches every finding: set at least one of check, provider, account, region, resource, tags (check: \"*\" mutes every check on purpose)", i)
		}
		if m.Provider != "" && !m.Provider.Valid() {
			ps.Add(line, "mutes[%d]: unknown provider %q (want one of %s)", i, m.Provider, providerList())
		}
		for k := range m.Tags {
			if strings.TrimSpace(k) == "" {
				ps.Add(line, "mutes[%d]: tags: empty tag key", i)
			}
		}
		if m.Reason == "" {
			ps.Add(line, "mutes[%d]: reason is required: say why this finding is accepted", i)
		}
		if m.Owner == "" {
			ps.Add(line, "mutes[%d]: owner is required: say who answers for this exception", i)
		}
		if m.Ticket != "" {
			if u, err := url.Parse(m.Ticket); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				ps.Add(line, "mutes[%d]: ticket %q: want an http(s) URL", i, m.Ticket)
			}
		}
		if rm.Expires != "" {
			t, err := time.Parse(DateLayout, strings.TrimSpace(rm.Expires))
			if err != nil {
				ps.Add(line, "mutes[%d]: expires %q: want a date YYYY-MM-DD", i, rm.Expires)
			}
			m.Expires = t
		}
		if ps.Len() == before {
			out = append(out, m)
		}
	}
	return out
}
