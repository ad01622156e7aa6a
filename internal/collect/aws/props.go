package aws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// obj is a property document under construction.
type obj = map[string]any

func marshalProps(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// ts formats t as RFC 3339; nil gives "".
func ts(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// setTS sets key to the timestamp t when it is known.
func setTS(o obj, key string, t *time.Time) {
	if s := ts(t); s != "" {
		o[key] = s
	}
}

// setStr sets key to *v when v is not nil.
func setStr(o obj, key string, v *string) {
	if v != nil {
		o[key] = *v
	}
}

// setNonEmpty sets key to v when v is not "".
func setNonEmpty(o obj, key, v string) {
	if v != "" {
		o[key] = v
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// strs returns s, never nil, so that documents carry [] rather than null.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// enumStrs converts a slice of string enums.
func enumStrs[T ~string](s []T) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		out = append(out, string(v))
	}
	return out
}

// parsePolicy decodes an IAM policy document (raw JSON, or URL-encoded as
// IAM returns it) and normalises it: Statement is a list; Action,
// NotAction, Resource are lists of strings; Principal "*" becomes
// {"AWS": ["*"]}; principal and condition values are lists of strings.
func parsePolicy(doc string) (obj, error) {
	doc = strings.TrimSpace(doc)
	if doc == "" {
		return nil, fmt.Errorf("empty policy document")
	}
	if !strings.HasPrefix(doc, "{") {
		u, err := url.QueryUnescape(doc)
		if err != nil {
			return nil, fmt.Errorf("policy document: %w", err)
		}
		doc = u
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, fmt.Errorf("policy document: %w", err)
	}
	out := obj{}
	if v, ok := raw["Version"].(string); ok {
		out["Version"] = v
	}
	var stmts []any
	switch s := raw["Statement"].(type) {
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	}
	norm := make([]obj, 0, len(stmts))
	for _, st := range stmts {
		m, ok := st.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("policy statement is %T, want an object", st)
		}
		n := obj{}
		for _, k := range []string{"Sid", "Effect"} {
			if v, ok := m[k].(string); ok && v != "" {
				n[k] = v
			}
		}
		// NotResource is not in the schema and is left out.
		for _, k := range []string{"Action", "NotAction", "Resource"} {
			if v, ok := m[k]; ok {
				n[k] = stringList(v)
			}
		}
		if p, ok := m["Principal"]; ok {
			n["Principal"] = principal(p)
		}
		if p, ok := m["NotPrincipal"]; ok {
			n["NotPrincipal"] = principal(p)
		}
		if c, ok := m["Condition"].(map[string]any); ok {
			cond := map[string]map[string][]string{}
			for op, kv := range c {
				inner, ok := kv.(map[string]any)
				if !ok {
					continue
				}
				cond[op] = map[string][]string{}
				for k, v := range inner {
					cond[op][k] = stringList(v)
				}
			}
			n["Condition"] = cond
		}
		norm = append(norm, n)
	}
	out["Statement"] = norm
	return out, nil
}

func principal(p any) map[string][]string {
	if s, ok := p.(string); ok {
		return map[string][]string{"AWS": {s}}
	}
	out := map[string][]string{}
	if m, ok := p.(map[string]any); ok {
		for k, v := range m {
			out[k] = stringList(v)
		}
	}
	return out
}

// stringList turns a policy value (string, number, bool or list of them)
// into a list of strings.
func stringList(v any) []string {
	switch t := v.(type) {
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			out = append(out, scalar(e))
		}
		return out
	case nil:
		return []string{}
	default:
		return []string{scalar(t)}
	}
}

func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		if t {
			return "true"
		}
		return "false"
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", t), "0"), ".")
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}

// tagMap converts SDK tags to a map. key and value read one tag.
func tagMap[T any](tags []T, kv func(T) (*string, *string)) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		k, v := kv(t)
		if k != nil {
			out[*k] = deref(v)
		}
	}
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
