package config

import (
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Problem is one problem in a YAML file, with the line it was found on.
type Problem struct {
	File   string
	Line   int
	Reason string
}

// Error formats the problem as file:line: reason.
func (p *Problem) Error() string {
	if p.Line <= 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Reason)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason)
}

// Problems collects the problems found in one file.
type Problems struct {
	File string
	list []error
}

// Add records a problem at line.
func (ps *Problems) Add(line int, format string, args ...any) {
	ps.list = append(ps.list, &Problem{File: ps.File, Line: line, Reason: fmt.Sprintf(format, args...)})
}

// AddYAML records a YAML decoding error, at the position the decoder gives
// when it gives one, else at fallback.
func (ps *Problems) AddYAML(fallback int, prefix string, err error) {
	line, msg := YAMLErrorPosition(err)
	if line == 0 {
		line = fallback
	}
	if prefix != "" {
		msg = prefix + ": " + msg
	}
	ps.list = append(ps.list, &Problem{File: ps.File, Line: line, Reason: msg})
}

// Len returns the number of problems recorded.
func (ps *Problems) Len() int { return len(ps.list) }

// Err joins every problem, or returns nil when there are none.
func (ps *Problems) Err() error { return errors.Join(ps.list...) }

// YAMLErrorPosition extracts the line and the bare message from a go-yaml
// error. It returns line 0 when the error carries no position.
func YAMLErrorPosition(err error) (int, string) {
	var prob *Problem
	if errors.As(err, &prob) {
		return prob.Line, prob.Reason
	}
	var pe interface {
		GetMessage() string
		GetToken() *token.Token
	}
	if errors.As(err, &pe) {
		if tk := pe.GetToken(); tk != nil && tk.Position != nil {
			return tk.Position.Line, pe.GetMessage()
		}
		return 0, pe.GetMessage()
	}
	return 0, err.Error()
}

// Line returns the line a node starts on, or 0.
func Line(n ast.Node) int {
	if n == nil {
		return 0
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 0
	}
	return tk.Position.Line
}

// ParseMapping parses data as a single YAML document whose body is a
// mapping. An empty document gives a nil mapping and no error.
func ParseMapping(data []byte) (m *ast.MappingNode, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, &Problem{Line: 1, Reason: fmt.Sprintf("YAML parser failed: %v", p)}
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
	default:
		return nil, &Problem{Line: Line(bodies[1]), Reason: "more than one YAML document"}
	}
	return AsMapping(bodies[0])
}

// AsMapping returns n as a mapping node, or a positioned error.
func AsMapping(n ast.Node) (*ast.MappingNode, error) {
	for {
		switch v := n.(type) {
		case *ast.MappingNode:
			return v, nil
		case *ast.TagNode:
			n = v.Value
			continue
		case *ast.AnchorNode:
			n = v.Value
			continue
		}
		return nil, &Problem{Line: Line(n), Reason: fmt.Sprintf("expected a mapping, found %s", n.Type())}
	}
}

// Key returns a mapping entry's key as a string.
func Key(mv *ast.MappingValueNode) string {
	if s, ok := mv.Key.(*ast.StringNode); ok {
		return s.Value
	}
	return mv.Key.String()
}

// Decode decodes node into v, rejecting unknown fields. A panic in the
// YAML library (it has had some on malformed input) becomes an error at the
// node's line.
func Decode(node ast.Node, v any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &Problem{Line: Line(node), Reason: fmt.Sprintf("cannot decode this value: %v", p)}
		}
	}()
	return yaml.NodeToValue(node, v, yaml.Strict())
}

// KeyLines returns the line of each key of a mapping node, and of each key
// of the mappings nested in it, as dotted paths ("allowed_regions.aws").
func KeyLines(n ast.Node) map[string]int {
	out := map[string]int{}
	var walk func(prefix string, n ast.Node)
	walk = func(prefix string, n ast.Node) {
		m, ok := n.(*ast.MappingNode)
		if !ok {
			return
		}
		for _, mv := range m.Values {
			k := prefix + Key(mv)
			out[k] = Line(mv.Key)
			walk(k+".", mv.Value)
		}
	}
	walk("", n)
	return out
}
