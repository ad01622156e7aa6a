// Package digitalocean collects digitalocean resources. kinds.go documents every kind it produces.
package digitalocean

import "cloudward/internal/resource"

// Kinds lists every kind this provider produces, with its schema.
func Kinds() []resource.Kind { return nil } // SCAFFOLD: replaced by the provider's kinds
