package policy

import (
	"fmt"
	"slices"
	"strings"

	"cloudward/internal/policy/cellib"

	"github.com/google/cel-go/cel"
	celast "github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/types"
)

// Evaluation limits. CostLimit bounds the work one expression may do on one
// resource (CEL's abstract cost units, roughly one per operation visited);
// InterruptCheckFrequency is how many comprehension iterations run between
// checks for cancellation.
//
// The cost limit applies to checks from untrusted sources (the user's
// --checks directories, ParseCheck). Built-in checks and the checks
// generated from company rules are reviewed code whose cost is linear in
// the resource's size, and run without CEL's runtime cost tracking, which
// roughly halves evaluation time; cancellation still interrupts them.
const (
	CostLimit               = 1_000_000
	InterruptCheckFrequency = 100
)

// celEnv is the compiled CEL environment shared by every check.
type celEnv struct {
	env *cel.Env
}

func newCELEnv() (*celEnv, error) {
	env, err := cel.NewEnv(cellib.Library())
	if err != nil {
		return nil, fmt.Errorf("build CEL environment: %w", err)
	}
	return &celEnv{env: env}, nil
}

// celIssue is one CEL compile problem, with its line inside the expression.
type celIssue struct {
	line int
	msg  string
}

// celError carries every issue of one expression.
type celError struct {
	issues []celIssue
}

func (e *celError) Error() string {
	msgs := make([]string, len(e.issues))
	for i, is := range e.issues {
		msgs[i] = is.msg
	}
	return strings.Join(msgs, "; ")
}

// compile parses, type-checks and plans expr. The result must be bool
// (or dyn, checked at evaluation). It returns the kinds the expression's
// cross-resource functions read.
func (ce *celEnv) compile(expr string, wantBool, trusted bool) (cel.Program, []string, error) {
	a, iss := ce.env.Compile(expr)
	if iss != nil && iss.Err() != nil {
		out := &celError{}
		for _, e := range iss.Errors() {
			out.issues = append(out.issues, celIssue{line: e.Location.Line(), msg: fmt.Sprintf("%d:%d: %s", e.Location.Line(), e.Location.Column()+1, e.Message)})
		}
		return nil, nil, out
	}
	if wantBool {
		switch t := a.OutputType(); {
		case t.IsExactType(types.BoolType), t.IsExactType(types.DynType):
		default:
			return nil, nil, &celError{issues: []celIssue{{msg: fmt.Sprintf("must evaluate to bool, not %s", t)}}}
		}
	}
	kinds, err := lookupKinds(a)
	if err != nil {
		return nil, nil, &celError{issues: []celIssue{{msg: err.Error()}}}
	}
	opts := []cel.ProgramOption{
		cel.EvalOptions(cel.OptOptimize),
		cel.InterruptCheckFrequency(InterruptCheckFrequency),
	}
	if !trusted {
		opts = append(opts, cel.CostLimit(CostLimit))
	}
	prg, err := ce.env.Program(a, opts...)
	if err != nil {
		return nil, nil, &celError{issues: []celIssue{{msg: fmt.Sprintf("plan: %v", err)}}}
	}
	return prg, kinds, nil
}

// lookupKinds walks a checked expression for calls to the cross-resource
// functions and returns the kinds they name, sorted and unique.
func lookupKinds(a *cel.Ast) ([]string, error) {
	var (
		kinds []string
		bad   []string
	)
	celast.PreOrderVisit(a.NativeRep().Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() != celast.CallKind {
			return
		}
		call := e.AsCall()
		if !slices.Contains(cellib.LookupFunctions[:], call.FunctionName()) {
			return
		}
		args := call.Args()
		if len(args) != 2 || args[1].Kind() != celast.LiteralKind {
			bad = append(bad, strings.TrimPrefix(call.FunctionName(), "__"))
			return
		}
		s, ok := args[1].AsLiteral().(types.String)
		if !ok {
			bad = append(bad, strings.TrimPrefix(call.FunctionName(), "__"))
			return
		}
		kinds = append(kinds, string(s))
	}))
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s: the kind argument must be a string literal", strings.Join(bad, ", "))
	}
	slices.Sort(kinds)
	return slices.Compact(kinds), nil
}
