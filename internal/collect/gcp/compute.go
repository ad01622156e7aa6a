package gcp

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
	compute "google.golang.org/api/compute/v1"
)

var (
	instanceOptional = paths("metadata.items", "network_interfaces.access_configs", "confidential_instance_config")
	diskOptional     = paths("disk_encryption_key", "source_image")
	firewallOptional = paths("target_tags", "source_tags", "allowed", "denied", "allowed.ports", "denied.ports",
		"source_ranges", "destination_ranges")
	subnetOptional = paths("log_config")
)

// compute collects Compute Engine: the project metadata (handed to the
// project resource on meta), instances and disks (aggregated lists),
// firewall rules, networks and subnetworks. When projects.get fails (API
// disabled, denied) that one error is recorded and nothing else is tried.
func (s *scope) compute(ctx context.Context, meta chan<- *compute.Metadata) error {
	var p *compute.Project
	err := s.call(ctx, func() error {
		var err error
		p, err = s.r.c.cmp.Projects.Get(s.id).Context(ctx).Do()
		return err
	})
	if err != nil {
		meta <- nil
		return s.fail(ctx, "", "compute", "compute.projects.get", err)
	}
	meta <- p.CommonInstanceMetadata
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.instances(gctx) })
	g.Go(func() error { return s.disks(gctx) })
	g.Go(func() error { return s.firewalls(gctx) })
	g.Go(func() error { return s.networks(gctx) })
	g.Go(func() error { return s.subnetworks(gctx) })
	g.Go(func() error { return s.backendServices(gctx) })
	return g.Wait()
}

func (s *scope) instances(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_compute_instance"].Schema
	var all []*compute.Instance
	var unreachable []string
	err := s.call(ctx, func() error {
		return s.r.c.cmp.Instances.AggregatedList(s.id).Context(ctx).Pages(ctx, func(l *compute.InstanceAggregatedList) error {
			for _, sl := range l.Items {
				all = append(all, sl.Instances...)
			}
			unreachable = append(unreachable, l.Unreachables...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "compute", "compute.instances.aggregatedList", err)
	}
	if err := s.unreachable(ctx, "compute.instances.aggregatedList", unreachable); err != nil {
		return err
	}
	for _, in := range all {
		doc, err := shape(in, schema, instanceOptional)
		if err != nil {
			return err
		}
		redactMetadata(doc["metadata"])
		zone := last(in.Zone)
		uid := "//compute.googleapis.com/projects/" + s.id + "/zones/" + zone + "/instances/" + in.Name
		if err := s.r.emit(ctx, "gcp_compute_instance", uid, s.id, zoneRegion(zone), in.Name, in.Labels, in.CreationTimestamp, doc); err != nil {
			return err
		}
		for _, d := range in.Disks {
			s.r.edge(uid, computeUID(d.Source), "attached_volume")
		}
		for _, n := range in.NetworkInterfaces {
			s.r.edge(uid, computeUID(n.Subnetwork), "in_subnetwork")
		}
	}
	return nil
}

func (s *scope) disks(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_compute_disk"].Schema
	var all []*compute.Disk
	var unreachable []string
	err := s.call(ctx, func() error {
		return s.r.c.cmp.Disks.AggregatedList(s.id).Context(ctx).Pages(ctx, func(l *compute.DiskAggregatedList) error {
			for _, sl := range l.Items {
				all = append(all, sl.Disks...)
			}
			unreachable = append(unreachable, l.Unreachables...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "compute", "compute.disks.aggregatedList", err)
	}
	if err := s.unreachable(ctx, "compute.disks.aggregatedList", unreachable); err != nil {
		return err
	}
	for _, d := range all {
		if d.Zone == "" {
			continue // regional disks are not part of this kind
		}
		doc, err := shape(d, schema, diskOptional)
		if err != nil {
			return err
		}
		zone := last(d.Zone)
		uid := "//compute.googleapis.com/projects/" + s.id + "/zones/" + zone + "/disks/" + d.Name
		if err := s.r.emit(ctx, "gcp_compute_disk", uid, s.id, zoneRegion(zone), d.Name, d.Labels, d.CreationTimestamp, doc); err != nil {
			return err
		}
		if k := d.DiskEncryptionKey; k != nil {
			s.r.edge(uid, kmsKeyUID(k.KmsKeyName), "encrypted_with")
		}
	}
	return nil
}

func (s *scope) firewalls(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_compute_firewall"].Schema
	var all []*compute.Firewall
	err := s.call(ctx, func() error {
		return s.r.c.cmp.Firewalls.List(s.id).Context(ctx).Pages(ctx, func(l *compute.FirewallList) error {
			all = append(all, l.Items...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "compute", "compute.firewalls.list", err)
	}
	for _, f := range all {
		doc, err := shape(f, schema, firewallOptional)
		if err != nil {
			return err
		}
		uid := "//compute.googleapis.com/projects/" + s.id + "/global/firewalls/" + f.Name
		if err := s.r.emit(ctx, "gcp_compute_firewall", uid, s.id, "", f.Name, nil, f.CreationTimestamp, doc); err != nil {
			return err
		}
		s.r.edge(uid, computeUID(f.Network), "in_network")
	}
	return nil
}

func (s *scope) networks(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_compute_network"].Schema
	var all []*compute.Network
	err := s.call(ctx, func() error {
		return s.r.c.cmp.Networks.List(s.id).Context(ctx).Pages(ctx, func(l *compute.NetworkList) error {
			all = append(all, l.Items...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "compute", "compute.networks.list", err)
	}
	for _, n := range all {
		doc, err := shape(n, schema, paths("ipv4_range"))
		if err != nil {
			return err
		}
		if n.IPv4Range != "" {
			delete(doc, "auto_create_subnetworks") // legacy networks have no mode
		}
		uid := "//compute.googleapis.com/projects/" + s.id + "/global/networks/" + n.Name
		if err := s.r.emit(ctx, "gcp_compute_network", uid, s.id, "", n.Name, nil, n.CreationTimestamp, doc); err != nil {
			return err
		}
	}
	return nil
}

func (s *scope) subnetworks(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_compute_subnetwork"].Schema
	var all []*compute.Subnetwork
	var unreachable []string
	err := s.call(ctx, func() error {
		return s.r.c.cmp.Subnetworks.AggregatedList(s.id).Context(ctx).Pages(ctx, func(l *compute.SubnetworkAggregatedList) error {
			for _, sl := range l.Items {
				all = append(all, sl.Subnetworks...)
			}
			unreachable = append(unreachable, l.Unreachables...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "compute", "compute.subnetworks.aggregatedList", err)
	}
	if err := s.unreachable(ctx, "compute.subnetworks.aggregatedList", unreachable); err != nil {
		return err
	}
	for _, n := range all {
		doc, err := shape(n, schema, subnetOptional)
		if err != nil {
			return err
		}
		if str(doc, "purpose") == "" {
			doc["purpose"] = "PRIVATE" // the API's documented default
		}
		region := last(n.Region)
		uid := "//compute.googleapis.com/projects/" + s.id + "/regions/" + region + "/subnetworks/" + n.Name
		if err := s.r.emit(ctx, "gcp_compute_subnetwork", uid, s.id, region, n.Name, nil, n.CreationTimestamp, doc); err != nil {
			return err
		}
		s.r.edge(uid, computeUID(n.Network), "in_network")
	}
	return nil
}

// unreachable records the zones or regions an aggregated list could not
// reach: their resources are missing from the snapshot.
func (s *scope) unreachable(ctx context.Context, op string, scopes []string) error {
	for _, sc := range scopes {
		err := s.fail(ctx, last(sc), "compute", op,
			fmt.Errorf("%s unreachable: its resources are not in the answer", sc))
		if err != nil {
			return err
		}
	}
	return nil
}

// backendServices collects the load balancers' backend services, global
// and regional (backendServices.aggregatedList).
func (s *scope) backendServices(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_compute_backend_service"].Schema
	var all []*compute.BackendService
	var unreachable []string
	err := s.call(ctx, func() error {
		return s.r.c.cmp.BackendServices.AggregatedList(s.id).Context(ctx).Pages(ctx, func(l *compute.BackendServiceAggregatedList) error {
			for _, sl := range l.Items {
				all = append(all, sl.BackendServices...)
			}
			unreachable = append(unreachable, l.Unreachables...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "compute", "compute.backendServices.aggregatedList", err)
	}
	if err := s.unreachable(ctx, "compute.backendServices.aggregatedList", unreachable); err != nil {
		return err
	}
	for _, b := range all {
		doc, err := shape(b, schema, paths("region", "security_policy"))
		if err != nil {
			return err
		}
		region, scope := "", "global"
		if b.Region != "" {
			region = last(b.Region)
			scope = "regions/" + region
		}
		uid := "//compute.googleapis.com/projects/" + s.id + "/" + scope + "/backendServices/" + b.Name
		if err := s.r.emit(ctx, "gcp_compute_backend_service", uid, s.id, region, b.Name, nil, b.CreationTimestamp, doc); err != nil {
			return err
		}
	}
	return nil
}
