// Package resource holds the vocabulary every stage shares: a Resource, the
// Edges between resources, and the Kind registry that documents each kind of
// resource. It is pure data and imports no cloud SDK.
package resource

import (
	"encoding/json"
	"fmt"
	"time"
)

// Provider names a cloud.
type Provider string

// The providers cloudward knows.
const (
	AWS          Provider = "aws"
	GCP          Provider = "gcp"
	Azure        Provider = "azure"
	DigitalOcean Provider = "digitalocean"
)

// Providers lists every provider in a stable order.
var Providers = []Provider{AWS, GCP, Azure, DigitalOcean}

// Valid reports whether p is a known provider.
func (p Provider) Valid() bool {
	for _, q := range Providers {
		if p == q {
			return true
		}
	}
	return false
}

// GlobalRegion is the Region of resources that do not live in one region
// (IAM users, account-level settings, GCP projects…).
const GlobalRegion = "global"

// Resource is one thing a customer owns in a cloud.
type Resource struct {
	// UID is globally unique and stable: an AWS ARN, a GCP full resource
	// name, an Azure resource ID, or do:<type>:<id> for DigitalOcean.
	UID      string   `json:"uid"`
	Provider Provider `json:"provider"`
	// Account is the AWS account ID, GCP project ID, Azure subscription ID
	// or DigitalOcean team UUID the resource belongs to.
	Account string `json:"account"`
	// Region is the provider's region name, or GlobalRegion.
	Region string `json:"region"`
	// Kind is a registered kind name such as aws_s3_bucket.
	Kind string            `json:"kind"`
	Name string            `json:"name"`
	Tags map[string]string `json:"tags,omitempty"`
	// CreatedAt is when the provider says the resource was created; zero when
	// the API does not say.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// Properties is a JSON object with what the provider's API says about
	// the resource, assembled from every call needed, with the API's own
	// field names in snake_case.
	Properties json.RawMessage `json:"properties"`
}

// Validate reports the first structural problem with r, naming the field.
func (r *Resource) Validate() error {
	switch {
	case r.UID == "":
		return fmt.Errorf("resource of kind %q has an empty uid", r.Kind)
	case !r.Provider.Valid():
		return fmt.Errorf("resource %s: unknown provider %q", r.UID, r.Provider)
	case r.Kind == "":
		return fmt.Errorf("resource %s: empty kind", r.UID)
	case r.Account == "":
		return fmt.Errorf("resource %s: empty account", r.UID)
	case r.Region == "":
		return fmt.Errorf("resource %s: empty region", r.UID)
	}
	if len(r.Properties) == 0 {
		return fmt.Errorf("resource %s: no properties", r.UID)
	}
	if r.Properties[0] != '{' {
		return fmt.Errorf("resource %s: properties must be a JSON object", r.UID)
	}
	return nil
}

// Edge is a typed, directed link between two resources, such as an instance
// and the volume attached to it.
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Type names the relation from From's point of view, e.g. "attached_volume",
	// "uses_kms_key", "delivers_to_log_group".
	Type string `json:"type"`
}

// Validate reports an edge with an empty end or type.
func (e Edge) Validate() error {
	if e.From == "" || e.To == "" || e.Type == "" {
		return fmt.Errorf("edge %q -%q-> %q: empty field", e.From, e.Type, e.To)
	}
	return nil
}
