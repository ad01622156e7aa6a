package gcp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"cloudward/internal/resource"
)

// The properties of a kind are the REST API's own JSON, keys in snake_case,
// pruned to the kind's schema (kinds.go is the contract). shape does that
// from the client library's typed answer, so the collector and the schema
// cannot drift apart field by field:
//
//   - keys are converted from camelCase (IPProtocol → ip_protocol, natIP →
//     nat_ip, ipv4Enabled → ipv4_enabled);
//   - fields the schema does not declare are dropped; objects without
//     declared fields (labels) are kept whole, their keys untouched;
//   - the API omits false booleans and empty lists and objects; shape puts
//     them back (false, [], {}) so a check can read them, except for the
//     paths listed as optional, whose absence is meaningful ("no logging
//     configured", "all ports").

// snakeOverrides are API names the generic conversion gets wrong.
var snakeOverrides = map[string]string{"IPv4Range": "ipv4_range"}

// snake converts a JSON key from the API's camelCase to snake_case.
func snake(s string) string {
	if o, ok := snakeOverrides[s]; ok {
		return o
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 {
				prev := rs[i-1]
				nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
					b.WriteByte('_')
				}
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shape turns an API object into a properties document for fields.
// optional lists dotted paths (relative to fields) left absent when the API
// omits them.
func shape(v any, fields []resource.Field, optional map[string]bool) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("gcp shape: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("gcp shape: %w", err)
	}
	return conform(m, fields, "", optional), nil
}

// conform prunes and completes one object.
func conform(m map[string]any, fields []resource.Field, path string, optional map[string]bool) map[string]any {
	src := make(map[string]any, len(m))
	for k, v := range m {
		src[snake(k)] = v
	}
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		p := f.Name
		if path != "" {
			p = path + "." + f.Name
		}
		v, ok := src[f.Name]
		if ok && v != nil {
			out[f.Name] = conformValue(v, f, p, optional)
			continue
		}
		if optional[p] {
			continue
		}
		switch f.Type {
		case "boolean":
			out[f.Name] = false
		case "array":
			out[f.Name] = []any{}
		case "object":
			if len(f.Fields) == 0 {
				out[f.Name] = map[string]any{}
			} else {
				out[f.Name] = conform(nil, f.Fields, p, optional)
			}
		}
	}
	return out
}

func conformValue(v any, f resource.Field, path string, optional map[string]bool) any {
	switch f.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok || len(f.Fields) == 0 {
			return v
		}
		return conform(obj, f.Fields, path, optional)
	case "array":
		arr, ok := v.([]any)
		if !ok || len(f.Fields) == 0 {
			return v
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			if obj, ok := e.(map[string]any); ok {
				out[i] = conform(obj, f.Fields, path, optional)
			} else {
				out[i] = e
			}
		}
		return out
	}
	return v
}

// field returns the schema field name of fields.
func field(fields []resource.Field, name string) resource.Field {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	panic("gcp: schema has no field " + name)
}

// except returns fields without the named ones (those collected by
// separate calls and set with setShaped).
func except(fields []resource.Field, names ...string) []resource.Field {
	var out []resource.Field
	for _, f := range fields {
		skip := false
		for _, n := range names {
			skip = skip || f.Name == n
		}
		if !skip {
			out = append(out, f)
		}
	}
	return out
}

// setShaped shapes v as the object field name of schema and stores it in
// doc. optional paths are relative to that field.
func setShaped(doc map[string]any, schema []resource.Field, name string, v any, optional map[string]bool) error {
	f := field(schema, name)
	m, err := shape(v, f.Fields, optional)
	if err != nil {
		return err
	}
	doc[name] = m
	return nil
}

// paths builds an optional-path set.
func paths(ps ...string) map[string]bool {
	m := make(map[string]bool, len(ps))
	for _, p := range ps {
		m[p] = true
	}
	return m
}

// policyOptional are the optional paths of an IAM policy.
var policyOptional = paths("audit_configs", "audit_configs.audit_log_configs.exempted_members")

// metadataSettings are the Compute Engine metadata keys whose values are
// settings a check reads. Every other value (startup scripts, ssh-keys,
// user-data, application configuration) may hold a secret and is stored as
// Redacted; its key is kept.
var metadataSettings = paths("enable-oslogin", "enable-oslogin-2fa", "block-project-ssh-keys", "serial-port-enable",
	"serial-port-logging-enable", "enable-guest-attributes", "disable-legacy-endpoints", "enable-windows-ssh",
	"google-logging-enabled", "google-monitoring-enabled", "vmDnsSetting", "enable-osconfig")

// Redacted replaces a metadata value that may hold a secret.
const Redacted = "[redacted]"

// redactMetadata redacts, in place, the values of a shaped metadata object.
func redactMetadata(m any) {
	obj, _ := m.(map[string]any)
	items, _ := obj["items"].([]any)
	for _, it := range items {
		if kv, ok := it.(map[string]any); ok {
			if k, _ := kv["key"].(string); !metadataSettings[k] {
				kv["value"] = Redacted
			}
		}
	}
}

// str reads a string property of a shaped document.
func str(doc map[string]any, key string) string {
	s, _ := doc[key].(string)
	return s
}

// last returns the last segment of a resource URL or name.
func last(url string) string {
	return url[strings.LastIndexByte(url, '/')+1:]
}

// zoneRegion returns the region of a zone name (us-central1-a → us-central1).
func zoneRegion(zone string) string {
	if i := strings.LastIndexByte(zone, '-'); i > 0 {
		return zone[:i]
	}
	return zone
}

// computeUID turns a Compute Engine self link
// (https://www.googleapis.com/compute/v1/projects/…) into the full
// resource name //compute.googleapis.com/projects/….
func computeUID(link string) string {
	i := strings.Index(link, "/projects/")
	if i < 0 {
		return ""
	}
	return "//compute.googleapis.com" + link[i:]
}

// kmsKeyUID returns the UID of the crypto key a key or key version name
// points at.
func kmsKeyUID(name string) string {
	if name == "" {
		return ""
	}
	if i := strings.Index(name, "/cryptoKeyVersions/"); i >= 0 {
		name = name[:i]
	}
	return "//cloudkms.googleapis.com/" + name
}
