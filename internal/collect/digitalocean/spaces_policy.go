package digitalocean

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// parseBucketPolicy decodes a Spaces bucket policy (the S3 policy grammar)
// and normalises it as the AWS collector does, so that checks read one
// shape: Statement is always a list; Action, NotAction, Resource and
// NotResource are lists of strings; Principal "*" becomes {"AWS": ["*"]} and
// every principal and condition value is a list of strings.
func parseBucketPolicy(text string) (map[string]any, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errors.New("empty policy document")
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, fmt.Errorf("policy document: %w", err)
	}
	out := map[string]any{}
	if v, ok := raw["Version"].(string); ok {
		out["Version"] = v
	}
	var stmts []any
	switch s := raw["Statement"].(type) {
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	case nil:
	default:
		return nil, fmt.Errorf("policy Statement is %s, want a list or an object", jsonType(s))
	}
	norm := make([]map[string]any, 0, len(stmts))
	for i, st := range stmts {
		m, ok := st.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("policy statement %d is %s, want an object", i, jsonType(st))
		}
		n := map[string]any{}
		for _, k := range []string{"Sid", "Effect"} {
			if v, ok := m[k].(string); ok && v != "" {
				n[k] = v
			}
		}
		for _, k := range []string{"Action", "NotAction", "Resource", "NotResource"} {
			if v, ok := m[k]; ok {
				n[k] = policyStrings(v)
			}
		}
		for _, k := range []string{"Principal", "NotPrincipal"} {
			if p, ok := m[k]; ok {
				n[k] = policyPrincipal(p)
			}
		}
		if c, ok := m["Condition"].(map[string]any); ok {
			cond := map[string]map[string][]string{}
			for op, kv := range c {
				inner, ok := kv.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("policy statement %d: condition %s is %s, want an object", i, op, jsonType(kv))
				}
				cond[op] = map[string][]string{}
				for k, v := range inner {
					cond[op][k] = policyStrings(v)
				}
			}
			n["Condition"] = cond
		}
		norm = append(norm, n)
	}
	out["Statement"] = norm
	return out, nil
}

// policyPrincipal normalises a principal: "*" (or any string) is
// {"AWS": [s]}; an object maps each type to a list of strings.
func policyPrincipal(p any) map[string][]string {
	if s, ok := p.(string); ok {
		return map[string][]string{"AWS": {s}}
	}
	out := map[string][]string{}
	if m, ok := p.(map[string]any); ok {
		for k, v := range m {
			out[k] = policyStrings(v)
		}
	}
	return out
}

// policyStrings turns a policy value (a string, number, boolean or a list
// of them) into a list of strings.
func policyStrings(v any) []string {
	switch t := v.(type) {
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			out = append(out, policyScalar(e))
		}
		return out
	case nil:
		return []string{}
	default:
		return []string{policyScalar(t)}
	}
}

func policyScalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		return strconv.FormatBool(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
