package policy

import (
	"fmt"

	"cloudward/internal/resource"

	"github.com/google/cel-go/common/types"
)

// decodeProperties decodes a properties document. Integral JSON numbers
// become int64 and the others float64, so that CEL integer functions and
// arithmetic work on counts, ports and ages.
func decodeProperties(b []byte) (map[string]any, error) {
	return decodePropertiesWith(&jsonParser{}, b)
}

// decodePropertiesWith is decodeProperties with a reusable parser.
func decodePropertiesWith(p *jsonParser, b []byte) (map[string]any, error) {
	if len(b) == 0 {
		return map[string]any{}, nil
	}
	m, err := p.parse(b)
	if err != nil {
		return nil, fmt.Errorf("properties are not a JSON object: %w", err)
	}
	return m, nil
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
