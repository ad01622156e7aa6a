package demo

import (
	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/azure"
	"cloudward/internal/collect/digitalocean"
	"cloudward/internal/collect/gcp"
	"cloudward/internal/resource"
)

// Kinds lists every kind the demo estate produces: the real collectors' kinds.
func Kinds() []resource.Kind {
	var out []resource.Kind
	for _, ks := range [][]resource.Kind{aws.Kinds(), gcp.Kinds(), azure.Kinds(), digitalocean.Kinds()} {
		out = append(out, ks...)
	}
	return out
}
