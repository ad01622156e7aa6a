package cellib

import (
	"fmt"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
)

// policyFunctions are the CEL functions over IAM-style resource policies:
// policy_allows_public(doc) and public_policy_statements(doc).
func policyFunctions() []cel.EnvOption {
	return []cel.EnvOption{
		cel.Function("policy_allows_public",
			cel.Overload("cloudward_policy_allows_public_dyn", []*cel.Type{cel.DynType}, cel.BoolType,
				cel.UnaryBinding(func(v ref.Val) ref.Val {
					stmts, err := PublicStatements(nativeValue(v))
					if err != nil {
						return types.NewErr("policy_allows_public: %v", err)
					}
					return types.Bool(len(stmts) > 0)
				}))),
		cel.Function("public_policy_statements",
			cel.Overload("cloudward_public_policy_statements_dyn", []*cel.Type{cel.DynType}, cel.ListType(cel.StringType),
				cel.UnaryBinding(func(v ref.Val) ref.Val {
					stmts, err := PublicStatements(nativeValue(v))
					if err != nil {
						return types.NewErr("public_policy_statements: %v", err)
					}
					return types.DefaultTypeAdapter.NativeToValue(stmts)
				}))),
	}
}

// nativeValue converts a CEL value (maps, lists, scalars) to plain Go
// values: map[string]any, []any, string, bool, int64, float64.
func nativeValue(v ref.Val) any {
	if v.Type() == types.NullType {
		return nil
	}
	switch t := v.(type) {
	case traits.Mapper:
		out := map[string]any{}
		it := t.Iterator()
		for it.HasNext() == types.True {
			k := it.Next()
			out[fmt.Sprint(k.Value())] = nativeValue(t.Get(k))
		}
		return out
	case traits.Lister:
		var out []any
		it := t.Iterator()
		for it.HasNext() == types.True {
			out = append(out, nativeValue(it.Next()))
		}
		return out
	default:
		return v.Value()
	}
}

// restrictingKeys are the condition keys that, compared with a specific
// value, limit a statement to known accounts, organizations, networks or
// calling resources (lower case).
var restrictingKeys = map[string]bool{
	"aws:sourceaccount": true, "aws:sourcearn": true, "aws:sourceowner": true,
	"aws:sourceorgid": true, "aws:sourceorgpaths": true,
	"aws:principalorgid": true, "aws:principalorgpaths": true, "aws:principalaccount": true,
	"aws:principalarn": true, "aws:userid": true, "aws:principalservicename": true,
	"aws:sourcevpc": true, "aws:sourcevpce": true, "aws:sourceip": true,
	"kms:calleraccount": true,
}

// PublicStatements returns the Allow statements of an IAM-style resource
// policy that grant access to everyone: a principal of "*" (as a string,
// {"AWS": "*"}, in a list, or an ARN with "*" as its account) or an Allow
// with NotPrincipal, and no condition that restricts the caller to known
// accounts, organizations, source resources or networks (aws:SourceAccount,
// aws:SourceArn, aws:PrincipalOrgID, aws:SourceVpce, aws:SourceIp with a
// non-public range …). A condition does not restrict when its operator is
// negated, ends in IfExists or is ForAllValues (all of which a caller
// without the key satisfies), or when its values are wildcards. An Allow is
// also neutralised by a Deny to everyone, for all actions, whose negated
// condition on a restricting key refuses callers outside the restriction.
//
// doc is a policy as cloudward stores it (normalised) or as AWS writes it:
// Statement an object or a list, values strings or lists. A nil doc (no
// policy) grants nothing. Each statement is named by its Sid, or by its
// position ("#1") when it has none.
func PublicStatements(doc any) ([]string, error) {
	if doc == nil {
		return []string{}, nil
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("policy is %T, want an object", doc)
	}
	var stmts []any
	switch s := m["Statement"].(type) {
	case nil:
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	default:
		return nil, fmt.Errorf("Statement is %T, want a list or an object", s)
	}
	parsed := make([]map[string]any, 0, len(stmts))
	for i, st := range stmts {
		sm, ok := st.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("statement %d is %T, want an object", i+1, st)
		}
		parsed = append(parsed, sm)
	}
	guarded := denyGuard(parsed)
	out := []string{}
	for i, st := range parsed {
		if !strings.EqualFold(fmt.Sprint(st["Effect"]), "Allow") {
			continue
		}
		_, notPrincipal := st["NotPrincipal"]
		if !notPrincipal && !principalIsPublic(st["Principal"]) {
			continue
		}
		if conditionRestricts(st["Condition"], false) || guarded {
			continue
		}
		name := fmt.Sprint(st["Sid"])
		if st["Sid"] == nil || name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		out = append(out, name)
	}
	return out, nil
}

// principalIsPublic reports whether a Principal value names everyone.
func principalIsPublic(p any) bool {
	switch t := p.(type) {
	case map[string]any:
		for _, v := range t {
			if principalIsPublic(v) {
				return true
			}
		}
		return false
	default:
		for _, s := range valueStrings(t) {
			s = strings.TrimSpace(s)
			if s == "*" {
				return true
			}
			// arn:aws:iam::*:root and the like.
			if parts := strings.Split(s, ":"); len(parts) >= 6 && strings.HasPrefix(s, "arn:") && parts[4] == "*" {
				return true
			}
		}
		return false
	}
}

// conditionRestricts reports whether a Condition block holds a restricting
// clause: positive (negated false) for Allow statements, negated for the
// Deny guards.
func conditionRestricts(c any, negated bool) bool {
	cm, ok := c.(map[string]any)
	if !ok {
		return false
	}
	for op, kv := range cm {
		inner, ok := kv.(map[string]any)
		if !ok {
			continue
		}
		for key, vals := range inner {
			if clauseRestricts(op, key, valueStrings(vals), negated) {
				return true
			}
		}
	}
	return false
}

func clauseRestricts(op, key string, vals []string, negated bool) bool {
	key = strings.ToLower(key)
	if !restrictingKeys[key] || len(vals) == 0 {
		return false
	}
	lop := strings.ToLower(op)
	if strings.HasPrefix(lop, "forallvalues:") || strings.HasSuffix(lop, "ifexists") {
		return false
	}
	lop = strings.TrimPrefix(lop, "foranyvalue:")
	like := false
	switch lop {
	case "stringequals", "stringequalsignorecase", "arnequals", "ipaddress":
		if negated {
			return false
		}
	case "stringlike", "arnlike":
		if negated {
			return false
		}
		like = true
	case "stringnotequals", "stringnotequalsignorecase", "arnnotequals", "notipaddress":
		if !negated {
			return false
		}
	case "stringnotlike", "arnnotlike":
		if !negated {
			return false
		}
		like = true
	default:
		return false
	}
	if (lop == "ipaddress" || lop == "notipaddress") != (key == "aws:sourceip") {
		return false
	}
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if strings.Trim(v, "*?") == "" {
			return false
		}
		if key == "aws:sourceip" && IsPublicCIDR(v) {
			return false
		}
		if like && (key == "aws:sourcearn" || key == "aws:principalarn") {
			if parts := strings.Split(v, ":"); len(parts) >= 6 && strings.Trim(parts[4], "*?") == "" {
				return false
			}
		}
	}
	return true
}

// denyGuard reports whether the policy denies every action to everyone
// outside a restriction: a Deny with a public principal, Action "*" (and
// no NotAction) and a negated condition on a restricting key.
func denyGuard(stmts []map[string]any) bool {
	for _, st := range stmts {
		if !strings.EqualFold(fmt.Sprint(st["Effect"]), "Deny") || !principalIsPublic(st["Principal"]) {
			continue
		}
		if _, ok := st["NotAction"]; ok {
			continue
		}
		all := false
		for _, a := range valueStrings(st["Action"]) {
			if strings.TrimSpace(a) == "*" {
				all = true
			}
		}
		if all && conditionRestricts(st["Condition"], true) {
			return true
		}
	}
	return false
}

// valueStrings reads a policy value (a string or a list of scalars) as
// strings.
func valueStrings(v any) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			out = append(out, fmt.Sprint(e))
		}
		return out
	case []string:
		return t
	default:
		return []string{fmt.Sprint(t)}
	}
}
