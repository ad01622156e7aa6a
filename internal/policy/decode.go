package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"cloudward/internal/resource"

	"github.com/google/cel-go/common/types"
)

// decodeProperties decodes a properties document. Integral JSON numbers
// become int64 and the others float64, so that CEL integer functions and
// arithmetic work on counts, ports and ages.
func decodeProperties(b []byte) (map[string]any, error) {
	if len(b) == 0 {
		return map[string]any{}, nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("properties are not a JSON object: %w", err)
	}
	if m == nil {
		m = map[string]any{}
	}
	for k, v := range m {
		m[k] = convertNumbers(v)
	}
	return m, nil
}

func convertNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := v.Int64(); err == nil {
				return i
			}
		}
		f, err := v.Float64()
		if err != nil {
			return s
		}
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = convertNumbers(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = convertNumbers(x)
		}
		return v
	}
	return v
}

// resourceMap is the CEL view of a resource: the `resource` variable and the
// elements of the cross-resource functions' lists.
func resourceMap(r *resource.Resource, props map[string]any) map[string]any {
	tags := r.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	m := map[string]any{
		"uid":        r.UID,
		"name":       r.Name,
		"kind":       r.Kind,
		"provider":   string(r.Provider),
		"account":    r.Account,
		"region":     r.Region,
		"tags":       tags,
		"properties": props,
	}
	if !r.CreatedAt.IsZero() {
		m["created_at"] = types.Timestamp{Time: r.CreatedAt}
	}
	return m
}
