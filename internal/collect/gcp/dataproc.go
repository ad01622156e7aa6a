package gcp

import (
	"context"

	"golang.org/x/sync/errgroup"
	compute "google.golang.org/api/compute/v1"
	dataproc "google.golang.org/api/dataproc/v1"
)

// dataprocClusters collects the project's Dataproc clusters. Dataproc
// lists clusters per region, so the Compute Engine regions are listed
// first; the first region is read alone, so that a disabled or denied
// Dataproc API is one collection error, not one per region.
func (s *scope) dataprocClusters(ctx context.Context) error {
	var regions []string
	err := s.call(ctx, func() error {
		return s.r.c.cmp.Regions.List(s.id).Context(ctx).Pages(ctx, func(l *compute.RegionList) error {
			for _, r := range l.Items {
				regions = append(regions, r.Name)
			}
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "dataproc", "compute.regions.list", err)
	}
	if len(regions) == 0 {
		return nil
	}
	// list reads one region; ok is false when the listing failed (and
	// was recorded).
	list := func(ctx context.Context, region string) (ok bool, err error) {
		var all []*dataproc.Cluster
		err = s.call(ctx, func() error {
			return s.r.c.dp.Projects.Regions.Clusters.List(s.id, region).Context(ctx).Pages(ctx, func(l *dataproc.ListClustersResponse) error {
				all = append(all, l.Clusters...)
				return nil
			})
		})
		if err != nil {
			return false, s.fail(ctx, region, "dataproc", "dataproc.clusters.list", err)
		}
		return true, s.dataprocEmit(ctx, region, all)
	}
	if ok, err := list(ctx, regions[0]); !ok || err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, region := range regions[1:] {
		g.Go(func() error {
			_, err := list(gctx, region)
			return err
		})
	}
	return g.Wait()
}

func (s *scope) dataprocEmit(ctx context.Context, region string, all []*dataproc.Cluster) error {
	schema := s.r.c.kinds["gcp_dataproc_cluster"].Schema
	for _, c := range all {
		doc, err := shape(c, schema, paths("config.encryption_config", "config.gce_cluster_config.service_account"))
		if err != nil {
			return err
		}
		var created string
		if c.Status != nil && c.Status.State == "RUNNING" && len(c.StatusHistory) > 0 {
			created = c.StatusHistory[0].StateStartTime
		}
		uid := "//dataproc.googleapis.com/projects/" + s.id + "/regions/" + region + "/clusters/" + c.ClusterName
		if err := s.r.emit(ctx, "gcp_dataproc_cluster", uid, s.id, region, c.ClusterName, c.Labels, created, doc); err != nil {
			return err
		}
		if cfg := c.Config; cfg != nil {
			if e := cfg.EncryptionConfig; e != nil {
				s.r.edge(uid, kmsKeyUID(e.GcePdKmsKeyName), "encrypted_with")
			}
			if g := cfg.GceClusterConfig; g != nil {
				s.r.saEdge(uid, g.ServiceAccount, "runs_as")
			}
		}
	}
	return nil
}
