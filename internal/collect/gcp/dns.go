package gcp

import (
	"context"

	dns "google.golang.org/api/dns/v1"
)

// managedZones collects the project's Cloud DNS zones with their DNSSEC
// configuration.
func (s *scope) managedZones(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_dns_managed_zone"].Schema
	var all []*dns.ManagedZone
	err := s.call(ctx, func() error {
		return s.r.c.dns.ManagedZones.List(s.id).Context(ctx).Pages(ctx, func(l *dns.ManagedZonesListResponse) error {
			all = append(all, l.ManagedZones...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "dns", "dns.managedZones.list", err)
	}
	for _, z := range all {
		doc, err := shape(z, schema, paths("dnssec_config"))
		if err != nil {
			return err
		}
		uid := "//dns.googleapis.com/projects/" + s.id + "/managedZones/" + z.Name
		if err := s.r.emit(ctx, "gcp_dns_managed_zone", uid, s.id, "", z.Name, z.Labels, z.CreationTime, doc); err != nil {
			return err
		}
	}
	return nil
}
