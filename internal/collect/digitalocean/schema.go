package digitalocean

import (
	"fmt"
	"slices"
	"time"

	"cloudward/internal/resource"
)

// SchemaViolations lists how doc (a properties document decoded with
// encoding/json) departs from a kind's schema: properties that are not
// documented, and values whose JSON type does not match the documented
// type. path prefixes the messages.
func SchemaViolations(path string, doc any, schema []resource.Field) []string {
	var out []string
	var walk func(path string, v any, fs []resource.Field)
	walk = func(path string, v any, fs []resource.Field) {
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, key := range keys {
			val := obj[key]
			p := path + "." + key
			i := slices.IndexFunc(fs, func(f resource.Field) bool { return f.Name == key })
			if i < 0 {
				out = append(out, p+": emitted but not in the schema")
				continue
			}
			f := fs[i]
			if val == nil {
				continue // null: absent value
			}
			if msg := typeMismatch(f.Type, val); msg != "" {
				out = append(out, fmt.Sprintf("%s: %s", p, msg))
				continue
			}
			if f.Type == "any" {
				continue // free-form: not described field by field
			}
			switch x := val.(type) {
			case map[string]any:
				walk(p, x, f.Fields)
			case []any:
				for _, el := range x {
					walk(p+"[]", el, f.Fields)
				}
			}
		}
	}
	walk(path, doc, schema)
	return out
}

func typeMismatch(typ string, v any) string {
	got := ""
	switch x := v.(type) {
	case map[string]any:
		got = "object"
	case []any:
		got = "array"
	case bool:
		got = "boolean"
	case float64:
		got = "number"
		if x == float64(int64(x)) && typ == "integer" {
			got = "integer"
		}
	case string:
		got = "string"
		if typ == "timestamp" {
			if x == "" {
				return ""
			}
			if _, err := time.Parse(time.RFC3339, x); err != nil {
				return fmt.Sprintf("timestamp %q is not RFC 3339", x)
			}
			return ""
		}
	}
	if typ == "any" || got == typ {
		return ""
	}
	return fmt.Sprintf("emitted %s, schema says %s", got, typ)
}
