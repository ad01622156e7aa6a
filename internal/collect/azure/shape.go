package azure

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"cloudward/internal/resource"
)

// snake converts an ARM camelCase key to snake_case the way the Azure SDK
// for Python spells attributes: a word starts at an upper-case letter that
// follows a lower-case letter or digit, or that ends a run of capitals
// (defaultToOAuthAuthentication → default_to_o_auth_authentication,
// enableRBAC → enable_rbac, adminGroupObjectIDs → admin_group_object_i_ds).
func snake(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// field finds the documented field named name.
func field(fs []resource.Field, name string) (resource.Field, bool) {
	for _, f := range fs {
		if f.Name == name {
			return f, true
		}
	}
	return resource.Field{}, false
}

// subSchema returns the fields documented under the path of names in a
// kind's schema; it panics on a path the schema lacks (a programming error
// caught by the tests).
func subSchema(fs []resource.Field, path ...string) []resource.Field {
	for _, name := range path {
		f, ok := field(fs, name)
		if !ok {
			panic(fmt.Sprintf("azure: schema has no field %q", strings.Join(path, ".")))
		}
		fs = f.Fields
	}
	return fs
}

// project shapes v, a JSON value decoded from an ARM answer, onto the
// documented fields: keys are converted to snake_case, undocumented keys
// and values of the wrong JSON type are dropped, timestamps are normalized
// to RFC 3339. Whatever the schema does not name — secret values among it —
// never reaches a resource.
func project(v any, fs []resource.Field) map[string]any {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]any, len(obj))
	for k, val := range obj {
		if val == nil {
			continue
		}
		f, ok := field(fs, snake(k))
		if !ok {
			if f, ok = field(fs, strings.ToLower(k)); !ok {
				continue
			}
		}
		if x, ok := value(val, f); ok {
			out[f.Name] = x
		}
	}
	return out
}

func value(v any, f resource.Field) (any, bool) {
	switch f.Type {
	case "object":
		if _, ok := v.(map[string]any); !ok {
			return nil, false
		}
		return project(v, f.Fields), true
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return nil, false
		}
		out := make([]any, 0, len(arr))
		for _, el := range arr {
			if m, ok := el.(map[string]any); ok {
				if len(f.Fields) > 0 {
					out = append(out, project(m, f.Fields))
				}
				continue
			}
			if el != nil {
				out = append(out, el)
			}
		}
		return out, true
	case "string":
		s, ok := v.(string)
		return s, ok
	case "boolean":
		b, ok := v.(bool)
		return b, ok
	case "integer", "number":
		n, ok := v.(float64)
		return n, ok
	case "timestamp":
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		t, ok := parseTime(s)
		if !ok {
			return nil, false
		}
		return t.UTC().Format(time.RFC3339Nano), true
	}
	return v, true
}

// parseTime reads ARM's timestamps, which sometimes lack a zone (UTC).
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// obj returns m[key] as an object, creating it when absent.
func obj(m map[string]any, key string) map[string]any {
	if o, ok := m[key].(map[string]any); ok {
		return o
	}
	o := map[string]any{}
	m[key] = o
	return o
}

// setDefault sets m[key] to v when ARM left it out: ARM omits some
// booleans and lists when they hold their documented default.
func setDefault(m map[string]any, key string, v any) {
	if _, ok := m[key]; !ok {
		m[key] = v
	}
}

// decode reads a JSON document into a generic value.
func decode(b []byte) (any, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return v, nil
}
