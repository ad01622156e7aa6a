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
	if err := s.dnsPolicies(ctx); err != nil {
		return err
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

// dnsPolicies collects the project's Cloud DNS server policies, which turn
// query logging on for the networks they name.
func (s *scope) dnsPolicies(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_dns_policy"].Schema
	var all []*dns.Policy
	err := s.call(ctx, func() error {
		return s.r.c.dns.Policies.List(s.id).Context(ctx).Pages(ctx, func(l *dns.PoliciesListResponse) error {
			all = append(all, l.Policies...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "dns", "dns.policies.list", err)
	}
	for _, p := range all {
		doc, err := shape(p, schema, nil)
		if err != nil {
			return err
		}
		uid := "//dns.googleapis.com/projects/" + s.id + "/policies/" + p.Name
		if err := s.r.emit(ctx, "gcp_dns_policy", uid, s.id, "", p.Name, nil, "", doc); err != nil {
			return err
		}
		for _, n := range p.Networks {
			s.r.edge(uid, computeUID(n.NetworkUrl), "applies_to")
		}
	}
	return nil
}
