package gcp

import (
	"context"

	container "google.golang.org/api/container/v1"
)

var clusterOptional = paths("workload_identity_config", "private_cluster_config.master_ipv4_cidr_block")

// clusters collects the project's GKE clusters in every location.
func (s *scope) clusters(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_container_cluster"].Schema
	var resp *container.ListClustersResponse
	err := s.call(ctx, func() error {
		var err error
		resp, err = s.r.c.gke.Projects.Locations.Clusters.List("projects/" + s.id + "/locations/-").Context(ctx).Do()
		return err
	})
	if err != nil {
		return s.fail(ctx, "", "container", "container.clusters.list", err)
	}
	for _, z := range resp.MissingZones {
		s.r.c.log.Warn("gcp: GKE zone unreachable", "project", s.id, "zone", z)
	}
	for _, cl := range resp.Clusters {
		doc, err := shape(cl, schema, clusterOptional)
		if err != nil {
			return err
		}
		uid := "//container.googleapis.com/projects/" + s.id + "/locations/" + cl.Location + "/clusters/" + cl.Name
		region := cl.Location
		if len(region) > 2 && region[len(region)-2] == '-' {
			region = zoneRegion(region)
		}
		if err := s.r.emit(ctx, "gcp_container_cluster", uid, s.id, region, cl.Name, cl.ResourceLabels, cl.CreateTime, doc); err != nil {
			return err
		}
	}
	return nil
}
