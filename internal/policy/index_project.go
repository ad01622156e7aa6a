package policy

import (
	"maps"
	"slices"
	"strings"

	"github.com/google/cel-go/common"
	celast "github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/parser"
)

// projection is the set of top-level property keys the checks that look at
// one indexed kind may read. The index keeps only those of each resource
// of the kind: a cross-resource check over a kind the estate has many of
// (every S3 bucket, every droplet) would otherwise hold every document of
// the kind, decoded, for the whole evaluation.
type projection struct {
	all  bool // some check reads properties in a way keys cannot tell
	keys map[string]bool
}

func (p *projection) merge(keys map[string]bool, ok bool) {
	if !ok {
		p.all = true
		return
	}
	if p.keys == nil {
		p.keys = map[string]bool{}
	}
	maps.Copy(p.keys, keys)
}

// apply drops the keys of props the projection does not keep.
func (p *projection) apply(props map[string]any) {
	if p.all {
		return
	}
	for k := range props {
		if !p.keys[k] {
			delete(props, k)
		}
	}
}

// propertyKeys returns the top-level property keys the expressions read:
// fields selected (x.properties.k, has(x.properties.k), x.properties.?k)
// or indexed with a string literal (x.properties["k"]) from a `properties`
// value, whoever's it is (the resource's own or an indexed one's: a
// superset is safe). It returns false when some expression uses a
// `properties` value otherwise (iterates it, passes it whole to a
// function, indexes it with a computed key) or does not parse; then every
// key must be kept.
func propertyKeys(exprs ...string) (map[string]bool, bool) {
	p, err := parser.NewParser(parser.Macros(parser.AllMacros...), parser.EnableOptionalSyntax(true))
	if err != nil {
		return nil, false
	}
	keys := map[string]bool{}
	for _, expr := range exprs {
		if expr == "" {
			continue
		}
		a, errs := p.Parse(common.NewTextSource(expr))
		if errs != nil && len(errs.GetErrors()) > 0 {
			return nil, false
		}
		if !collectKeys(a.Expr(), nil, keys) {
			return nil, false
		}
	}
	return keys, true
}

// collectKeys walks e (whose parent is parent, nil at the root) and adds
// the keys read from properties values to keys; it reports false when a
// properties value is used in another way.
func collectKeys(e, parent celast.Expr, keys map[string]bool) bool {
	if isProperties(e) {
		k, ok := keyOf(e, parent)
		if !ok {
			return false
		}
		keys[k] = true
	}
	for _, c := range children(e) {
		if !collectKeys(c, e, keys) {
			return false
		}
	}
	return true
}

// isProperties reports whether e is the `properties` variable or a field
// named properties (resource.properties, t.properties).
func isProperties(e celast.Expr) bool {
	switch e.Kind() {
	case celast.IdentKind:
		return e.AsIdent() == "properties"
	case celast.SelectKind:
		return e.AsSelect().FieldName() == "properties"
	}
	return false
}

// keyOf returns the key parent reads from the properties value e.
func keyOf(e, parent celast.Expr) (string, bool) {
	if parent == nil {
		return "", false
	}
	switch parent.Kind() {
	case celast.SelectKind:
		s := parent.AsSelect()
		if s.Operand() == e {
			return s.FieldName(), true
		}
	case celast.CallKind:
		c := parent.AsCall()
		switch c.FunctionName() {
		case operators.Index, operators.OptIndex, operators.OptSelect:
			args := c.Args()
			if len(args) == 2 && args[0] == e && args[1].Kind() == celast.LiteralKind {
				if s, ok := args[1].AsLiteral().(types.String); ok {
					return string(s), true
				}
			}
		}
	}
	return "", false
}

// lookupUses returns, per kind the expressions' cross-resource functions
// name, whether some call reads it account- or region-wide
// (account_resources, region_resources) rather than only through edges
// (related). ok is false when an expression does not parse.
func lookupUses(exprs ...string) (wide map[string]bool, ok bool) {
	p, err := parser.NewParser(parser.Macros(parser.AllMacros...), parser.EnableOptionalSyntax(true))
	if err != nil {
		return nil, false
	}
	wide = map[string]bool{}
	for _, expr := range exprs {
		if expr == "" {
			continue
		}
		a, errs := p.Parse(common.NewTextSource(expr))
		if errs != nil && len(errs.GetErrors()) > 0 {
			return nil, false
		}
		var walk func(e celast.Expr)
		walk = func(e celast.Expr) {
			if e.Kind() == celast.CallKind {
				c := e.AsCall()
				args := c.Args()
				if len(args) > 0 && args[len(args)-1].Kind() == celast.LiteralKind {
					if kind, isStr := args[len(args)-1].AsLiteral().(types.String); isStr {
						switch strings.TrimPrefix(c.FunctionName(), "__") {
						case "account_resources", "region_resources":
							wide[string(kind)] = true
						case "related":
							wide[string(kind)] = wide[string(kind)] || false
						}
					}
				}
			}
			for _, ch := range children(e) {
				walk(ch)
			}
		}
		walk(a.Expr())
	}
	return wide, true
}

// children returns e's direct subexpressions.
func children(e celast.Expr) []celast.Expr {
	switch e.Kind() {
	case celast.SelectKind:
		return []celast.Expr{e.AsSelect().Operand()}
	case celast.CallKind:
		c := e.AsCall()
		out := slices.Clone(c.Args())
		if c.IsMemberFunction() {
			out = append(out, c.Target())
		}
		return out
	case celast.ListKind:
		return e.AsList().Elements()
	case celast.MapKind:
		var out []celast.Expr
		for _, en := range e.AsMap().Entries() {
			me := en.AsMapEntry()
			out = append(out, me.Key(), me.Value())
		}
		return out
	case celast.StructKind:
		var out []celast.Expr
		for _, f := range e.AsStruct().Fields() {
			out = append(out, f.AsStructField().Value())
		}
		return out
	case celast.ComprehensionKind:
		c := e.AsComprehension()
		return []celast.Expr{c.IterRange(), c.AccuInit(), c.LoopCondition(), c.LoopStep(), c.Result()}
	}
	return nil
}
