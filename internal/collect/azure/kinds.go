// Package azure collects azure resources. kinds.go documents every kind it produces.
package azure

import "cloudward/internal/resource"

// Kinds lists every kind this provider produces, with its schema.
func Kinds() []resource.Kind { return nil } // SCAFFOLD: replaced by the provider's kinds
